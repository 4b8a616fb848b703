//! `orgspec lsp`: the language server, over stdio, on top of the same pipeline as the CLI.
//!
//! The server keeps the editor's open buffers and re-checks the project when they change:
//! every `.org` file under the workspace folder is a root, the buffers replace the files on
//! disk, so a change to `bodies.org` re-reports the files that `use` it. Changes that
//! arrive together are checked once (the queue is drained before checking). Every request
//! runs under `catch_unwind`: a bug answers one request with an error, never kills the
//! server.

mod analysis;
mod features;
mod publish;
mod text;
mod transport;

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use crossbeam_channel::{RecvTimeoutError, TryRecvError};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{
    notification, CodeActionKind, CodeActionProviderCapability, CompletionOptions,
    InitializeParams, OneOf, PositionEncodingKind, PublishDiagnosticsParams, RenameOptions,
    ServerCapabilities, TextDocumentContentChangeEvent, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};

use analysis::Analysis;
use text::{path_to_uri, uri_to_path, Encoding, LineIndex};

/// Run the server on standard input and output until the client says `exit`.
pub fn run() -> i32 {
    let (connection, transport) = transport::stdio();
    let outcome = serve(&connection);
    drop(connection);
    let transport = transport.join();
    if let Err(why) = &transport {
        eprintln!("orgspec lsp: stopped: {why}");
    }
    match outcome {
        Served::Failed => crate::project::EXIT_FAILURE,
        // as the protocol asks: 0 after `shutdown`, 1 if the client exits without it
        Served::Exit { after_shutdown } if after_shutdown && transport.is_ok() => {
            crate::project::EXIT_OK
        }
        Served::Exit { .. } => crate::project::EXIT_FINDINGS,
        Served::InputClosed => {
            if transport.is_ok() {
                eprintln!("orgspec lsp: the client closed the connection without `exit`");
            }
            crate::project::EXIT_FINDINGS
        }
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    /// The client did not initialise.
    Failed,
    /// The client sent `exit`, after `shutdown` or not.
    Exit { after_shutdown: bool },
    /// The client's input ended (or broke) before `exit`.
    InputClosed,
}

/// Serve one session on `connection` (stdio, or an in-memory pair in tests and fuzzing)
/// from `initialize` to `exit`.
pub fn serve(connection: &Connection) -> Served {
    let (id, init) = match connection.initialize_start() {
        Ok(start) => start,
        Err(e) => {
            eprintln!("orgspec lsp: the client did not initialise: {e}");
            return Served::Failed;
        }
    };
    let params: InitializeParams = serde_json::from_value(init).unwrap_or_default();
    let encoding = negotiate_encoding(&params);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "orgspec", "version": env!("CARGO_PKG_VERSION") },
    });
    if let Err(e) = connection.initialize_finish(id, result) {
        eprintln!("orgspec lsp: the client did not finish initialising: {e}");
        return Served::Failed;
    }
    let mut server = Server::new(&params, encoding);
    match server.main_loop(connection) {
        Ended::Exit => Served::Exit {
            after_shutdown: server.shutting_down,
        },
        Ended::InputClosed => Served::InputClosed,
    }
}

/// How the main loop ended.
enum Ended {
    /// The client sent `exit`.
    Exit,
    /// The client's input ended (or broke) before `exit`.
    InputClosed,
}

/// The column unit: UTF-8 when the client offers it (no conversion), else UTF-32, else
/// the protocol's default UTF-16.
fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".into(), " ".into(), ",".into()]),
            ..CompletionOptions::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(
            lsp_types::CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..lsp_types::CodeActionOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// How long the server waits, after a change, for another message before it checks: long
/// enough for the messages of one burst (an editor's batched edits, a paste, a rename's
/// many changes) to be read off the pipe, short against a check (tens of milliseconds).
const QUIET: std::time::Duration = std::time::Duration::from_millis(5);

pub(crate) struct Server {
    /// The workspace folder: its `.org` files are checked.
    folder: Option<PathBuf>,
    /// The project root (the folder holding `orgspec.toml`, at or above the workspace
    /// folder, else the folder): `use` may not leave it, its settings apply.
    root: Option<PathBuf>,
    /// The buffers the editor has open: their text replaces the file's.
    open: HashMap<PathBuf, String>,
    /// The version of each open buffer, as the editor numbers them: published with its
    /// diagnostics, so an editor can drop diagnostics of a text it no longer shows.
    versions: HashMap<PathBuf, i32>,
    analysis: Option<Analysis>,
    /// Files that were sent diagnostics, to clear those that have none now.
    published: HashSet<PathBuf>,
    /// Whether the buffers changed since the last check.
    dirty: bool,
    /// The `.org` files found under the folder, until files may have come or gone.
    folder_files: Option<Vec<PathBuf>>,
    /// Where the rules' documentation is written for `codeDescription` links.
    docs: Option<RuleDocs>,
    shutting_down: bool,
    /// What a column counts, as negotiated.
    pub(crate) encoding: Encoding,
}

impl Server {
    fn new(params: &InitializeParams, encoding: Encoding) -> Server {
        let folder = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone());
        #[allow(deprecated, reason = "older clients send only rootUri")]
        let folder = folder.or_else(|| params.root_uri.clone());
        let folder = folder
            .as_ref()
            .and_then(uri_to_path)
            .map(|p| std::fs::canonicalize(&p).unwrap_or(p));
        let root = folder.as_ref().map(|p| {
            crate::project::project_root(p)
                .map_or(p.clone(), |r| std::fs::canonicalize(&r).unwrap_or(r))
        });
        Server {
            folder,
            root,
            open: HashMap::new(),
            versions: HashMap::new(),
            analysis: None,
            published: HashSet::new(),
            folder_files: None,
            dirty: true,
            docs: write_rule_docs(),
            shutting_down: false,
            encoding,
        }
    }

    fn main_loop(&mut self, connection: &Connection) -> Ended {
        let queue = &connection.receiver;
        loop {
            let message = if self.dirty {
                // Check only when no message is waiting, and none follows within QUIET:
                // edits typed or sent together are checked once, after the last of them.
                match queue.try_recv() {
                    Ok(m) => m,
                    Err(TryRecvError::Disconnected) => return Ended::InputClosed,
                    Err(TryRecvError::Empty) => match queue.recv_timeout(QUIET) {
                        Ok(m) => m,
                        Err(RecvTimeoutError::Disconnected) => return Ended::InputClosed,
                        Err(RecvTimeoutError::Timeout) => {
                            self.refresh(connection);
                            continue;
                        }
                    },
                }
            } else {
                match queue.recv() {
                    Ok(m) => m,
                    Err(_) => return Ended::InputClosed,
                }
            };
            match message {
                Message::Request(request) => {
                    if request.method == "shutdown" {
                        self.shutting_down = true;
                        send(connection, Response::new_ok(request.id, ()));
                        continue;
                    }
                    if self.shutting_down {
                        send(
                            connection,
                            Response::new_err(
                                request.id,
                                ErrorCode::InvalidRequest as i32,
                                "the server is shutting down".into(),
                            ),
                        );
                        continue;
                    }
                    if self.dirty {
                        self.refresh(connection);
                    }
                    let response = self.respond(request);
                    send(connection, response);
                }
                Message::Notification(n) => {
                    if n.method == notification::Exit::METHOD {
                        return Ended::Exit;
                    }
                    self.notify(connection, &n);
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Answer a request; a panic in a handler becomes an error response.
    fn respond(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            features::handle(self, &request.method, request.params)
        }));
        match result {
            Ok(Ok(value)) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Ok(Err(RequestError::InvalidParams(why))) => {
                Response::new_err(id, ErrorCode::InvalidParams as i32, why)
            }
            Ok(Err(RequestError::Failed(why))) => {
                Response::new_err(id, ErrorCode::RequestFailed as i32, why)
            }
            Ok(Err(RequestError::Unknown)) => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("orgspec does not answer `{}`", request.method),
            ),
            Err(_) => internal_error(id),
        }
    }

    fn notify(&mut self, connection: &Connection, n: &Notification) {
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.apply(n)));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(why)) => log(connection, &format!("`{}` ignored: {why}", n.method)),
            Err(_) => log(
                connection,
                &format!(
                    "`{}` failed inside orgspec; the buffer may be stale",
                    n.method
                ),
            ),
        }
    }

    fn apply(&mut self, n: &Notification) -> Result<(), String> {
        fn params<T: serde::de::DeserializeOwned>(n: &Notification) -> Result<T, String> {
            serde_json::from_value(n.params.clone()).map_err(|e| e.to_string())
        }
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = params(n)?;
                let path = document_path(&p.text_document.uri)?;
                if self
                    .folder_files
                    .as_ref()
                    .is_some_and(|f| !f.contains(&path))
                {
                    self.folder_files = None; // perhaps a new file: walk again
                }
                self.versions.insert(path.clone(), p.text_document.version);
                self.open.insert(path, p.text_document.text);
            }
            notification::DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = params(n)?;
                let path = document_path(&p.text_document.uri)?;
                let text = self
                    .open
                    .get_mut(&path)
                    .ok_or("a change to a document that is not open")?;
                for change in p.content_changes {
                    apply_change(text, change, self.encoding);
                }
                self.versions.insert(path, p.text_document.version);
            }
            notification::DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = params(n)?;
                let path = document_path(&p.text_document.uri)?;
                self.versions.remove(&path);
                self.open.remove(&path);
            }
            notification::DidSaveTextDocument::METHOD
            | notification::DidChangeWatchedFiles::METHOD => self.folder_files = None,
            notification::DidChangeConfiguration::METHOD => {}
            _ => return Ok(()),
        }
        self.dirty = true;
        Ok(())
    }

    /// The files to check: every `.org` file of the workspace folder, and the open buffers.
    /// The folder is walked again only when files may have come or gone (not per keystroke).
    fn roots(&mut self) -> Vec<PathBuf> {
        let folder = self.folder.as_ref();
        let on_disk = self.folder_files.get_or_insert_with(|| {
            let Some(folder) = folder else {
                return Vec::new();
            };
            ignore::WalkBuilder::new(folder)
                .require_git(false)
                .build()
                .flatten()
                .filter(|e| {
                    e.file_type().is_some_and(|t| t.is_file())
                        && e.path().extension().is_some_and(|x| x == "org")
                })
                .map(|e| e.path().to_path_buf())
                .collect()
        });
        let mut roots: Vec<PathBuf> = on_disk.iter().chain(self.open.keys()).cloned().collect();
        roots.sort();
        roots.dedup();
        roots
    }

    fn project_root_of(&self, roots: &[PathBuf]) -> PathBuf {
        self.root.clone().unwrap_or_else(|| {
            roots
                .first()
                .and_then(|p| p.parent())
                .map_or_else(|| PathBuf::from("/"), Path::to_path_buf)
        })
    }

    /// Check again and publish the findings of every file.
    fn refresh(&mut self, connection: &Connection) {
        self.dirty = false;
        let roots = self.roots();
        let root = self.project_root_of(&roots);
        let settings = root.join(crate::config::FILE_NAME);
        // the old analysis goes before the new one is built, so that the two never take
        // memory at once (requests wait for the check: nothing reads it meanwhile); only
        // its files' texts and parses are kept, for the unchanged items to be moved into
        // the new parse rather than parsed again
        let previous = self
            .analysis
            .take()
            .map(Analysis::into_previous)
            .unwrap_or_default();
        let analysis = std::panic::catch_unwind(AssertUnwindSafe(|| {
            Analysis::run(
                &roots,
                &root,
                settings.is_file().then_some(settings.as_path()),
                &self.open,
                previous,
            )
        }));
        let Ok(analysis) = analysis else {
            log(
                connection,
                "checking failed inside orgspec; findings are not updated",
            );
            return;
        };
        let mut by_file = publish::by_file(
            &analysis,
            self.encoding,
            self.docs.as_ref().map(|d| d.dir.as_path()),
        );
        // clear what is fixed; and an open buffer always hears that its check is done
        for path in std::mem::take(&mut self.published)
            .into_iter()
            .chain(self.open.keys().cloned())
        {
            by_file.entry(path).or_default();
        }
        for (path, diagnostics) in by_file {
            if !diagnostics.is_empty() {
                self.published.insert(path.clone());
            }
            let params = PublishDiagnosticsParams {
                uri: path_to_uri(&path),
                diagnostics,
                version: self.versions.get(&path).copied(),
            };
            send(
                connection,
                Notification::new(notification::PublishDiagnostics::METHOD.to_string(), params),
            );
        }
        self.analysis = Some(analysis);
    }
}

/// Why a request got no answer.
pub(crate) enum RequestError {
    InvalidParams(String),
    /// The request is understood but cannot be done (a file that does not parse).
    Failed(String),
    Unknown,
}

fn internal_error(id: RequestId) -> Response {
    Response::new_err(
        id,
        ErrorCode::InternalError as i32,
        "orgspec failed answering this request; the server carries on".into(),
    )
}

fn document_path(uri: &Uri) -> Result<PathBuf, String> {
    uri_to_path(uri)
        .map(|p| crate::source::normalize(&p))
        .ok_or_else(|| format!("`{}` is not a file", uri.as_str()))
}

/// Apply one change: a range replaced, or the whole text.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        Some(range) => {
            let index = LineIndex::new(text, encoding);
            let start = index.offset(text, range.start);
            let end = index.offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

fn send(connection: &Connection, message: impl Into<Message>) {
    let _ = connection.sender.send(message.into());
}

fn log(connection: &Connection, message: &str) {
    send(
        connection,
        Notification::new(
            notification::LogMessage::METHOD.to_string(),
            lsp_types::LogMessageParams {
                typ: lsp_types::MessageType::WARNING,
                message: format!("orgspec: {message}"),
            },
        ),
    );
}

/// Where the rules' documentation was written, and the private folder holding it when
/// there is no cache folder (removed when the server stops).
struct RuleDocs {
    dir: PathBuf,
    _private: Option<tempfile::TempDir>,
}

/// Write each rule's documentation to a folder of this version, for the links of
/// `codeDescription` (an editor opens them in a tab, offline, matching the binary): the
/// user's cache folder, or, with neither `XDG_CACHE_HOME` nor `HOME`, a folder of the
/// server's own in the temporary folder (never a fixed name there, which another user
/// could have planted with links). Each file is written beside and renamed into place, so
/// a link planted in its stead is replaced, never followed.
fn write_rule_docs() -> Option<RuleDocs> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    let (dir, private) = if let Some(base) = cache {
        let dir = base
            .join("orgspec")
            .join(env!("CARGO_PKG_VERSION"))
            .join("rules");
        std::fs::create_dir_all(&dir).ok()?;
        (dir, None)
    } else {
        let private = tempfile::Builder::new()
            .prefix("orgspec-rules-")
            .tempdir()
            .ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let only_me = std::fs::Permissions::from_mode(0o700);
            std::fs::set_permissions(private.path(), only_me).ok()?;
        }
        (private.path().to_path_buf(), Some(private))
    };
    for id in crate::vocab::catalogue::ids() {
        let file = dir.join(format!("{id}.md"));
        if let Ok(text) = crate::check::docs::explain(id) {
            let current = std::fs::symlink_metadata(&file)
                .is_ok_and(|m| m.is_file())
                .then(|| std::fs::read_to_string(&file).ok())
                .flatten();
            if current.as_deref() != Some(text.as_str()) {
                let mut temp = tempfile::NamedTempFile::new_in(&dir).ok()?;
                std::io::Write::write_all(&mut temp, text.as_bytes()).ok()?;
                temp.persist(&file).ok()?;
            }
        }
    }
    Some(RuleDocs {
        dir: std::fs::canonicalize(&dir).unwrap_or(dir),
        _private: private,
    })
}

impl Server {
    pub(crate) fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref()
    }

    pub(crate) fn open_text(&self, path: &Path) -> Option<&str> {
        self.open.get(path).map(String::as_str)
    }
}
