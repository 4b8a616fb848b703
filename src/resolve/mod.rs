//! Stage 2: files and names. Loads each file once, follows `use`, and lowers each
//! compilation unit (a file with everything it uses, transitively) into declarations.
//!
//! No IO happens here: the CLI (or a test, or the language server) supplies a [`Loader`].

mod lower;
pub mod names;

pub use lower::{Lowered, Lowerer};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::{normalize, FileId, SourceMap, Span};
use crate::syntax::ast::{AtomKind, ParsedFile};
use crate::syntax::defer::parse_file_deferring;
use crate::syntax::reuse::Previous;
use crate::syntax::{parse_file, parse_file_reusing, parse_uses, MAX_FILE_BYTES};
use crate::vocab::Namespace;

/// Where files come from.
pub trait Loader {
    /// The bytes of a file, or why it cannot be read.
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String>;
    /// A path's identity (symlinks and `..` resolved), or `None` if it does not exist.
    fn canonical(&self, path: &Path) -> Option<PathBuf>;
}

/// A `use` edge: the item's span, and the file it loaded (if it could).
#[derive(Debug, Clone)]
struct UseEdge {
    span: Span,
    target: Option<FileId>,
}

/// Where ids are declared and used in one unit: what an editor needs for go to
/// definition, find references and rename.
#[derive(Debug, Default, Clone)]
pub struct NameIndex {
    /// Each declared id: its namespace and the span of the id.
    pub declarations: Vec<(Namespace, Span)>,
    /// Each resolved use of an id: where, in which namespace, and the declaring id's span.
    pub references: Vec<(Span, Namespace, Span)>,
}

/// All files of a run, each loaded and parsed once.
#[derive(Default)]
pub struct Workspace {
    pub sources: SourceMap,
    parsed: Vec<ParsedFile>,
    uses: Vec<Vec<UseEdge>>,
    by_canonical: HashMap<PathBuf, FileId>,
    /// Findings about files themselves: encoding, syntax, imports.
    pub file_diagnostics: Vec<Diagnostic>,
    /// Read only each file's `use` items ([`Workspace::uses_only`]).
    uses_only: bool,
    /// Leave posts to be parsed when lowered ([`Workspace::deferring_posts`]).
    defer_posts: bool,
    /// An earlier parse of files, by canonical path, whose unchanged items are moved into
    /// this one's ([`Workspace::reusing`]).
    previous: HashMap<PathBuf, Previous>,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// A workspace whose files' posts are parsed when they are lowered, not when loaded
    /// ([`crate::syntax::defer`]): for a run that lowers each unit once, releasing its
    /// trees ([`Workspace::lower_unit_releasing`]) — `orgspec check`. Until then a post's
    /// item holds only its lifecycle, keyword and id.
    pub fn deferring_posts() -> Workspace {
        Workspace {
            defer_posts: true,
            ..Workspace::default()
        }
    }

    /// A workspace that reads only the `use` items of its files: who uses what, for
    /// `check --dependents`, at the cost of a line scan instead of a parse. Its files'
    /// items, and its findings, are not the files' own.
    pub fn uses_only() -> Workspace {
        Workspace {
            uses_only: true,
            ..Workspace::default()
        }
    }

    /// A workspace whose files are parsed reusing `previous` (from
    /// [`Workspace::into_previous`]): an item whose text has not changed since is moved,
    /// not parsed again. The language server's re-check after a keystroke.
    pub fn reusing(previous: HashMap<PathBuf, Previous>) -> Workspace {
        Workspace {
            previous,
            ..Workspace::default()
        }
    }

    /// Drop what is left of the earlier parse: the files it had that this one did not load.
    pub fn forget_previous(&mut self) {
        self.previous = HashMap::new();
    }

    /// Each file's text and parse, by canonical path, for the next workspace to reuse.
    pub fn into_previous(self) -> HashMap<PathBuf, Previous> {
        let mut texts: Vec<Option<String>> =
            self.sources.into_texts().into_iter().map(Some).collect();
        let mut parsed: Vec<Option<ParsedFile>> = self.parsed.into_iter().map(Some).collect();
        self.by_canonical
            .into_iter()
            .filter_map(|(path, id)| {
                let i = id.0 as usize;
                let previous = Previous {
                    text: texts.get_mut(i)?.take()?,
                    parsed: parsed.get_mut(i)?.take()?,
                };
                Some((path, previous))
            })
            .collect()
    }

    /// Load a file given by the user (or found in a folder), and everything it `use`s.
    /// `root` is the project root that imports may not leave.
    pub fn load_root(
        &mut self,
        loader: &mut dyn Loader,
        path: &Path,
        root: &Path,
    ) -> Result<FileId, String> {
        let canonical = loader
            .canonical(path)
            .ok_or_else(|| format!("`{}` does not exist", path.display()))?;
        let bytes = loader.read(path)?;
        Ok(self.load_bytes(loader, normalize(path), canonical, bytes, root))
    }

    /// Add a file from memory (an editor buffer, a test) and load what it uses.
    pub fn load_text(
        &mut self,
        loader: &mut dyn Loader,
        path: &Path,
        text: &str,
        root: &Path,
    ) -> FileId {
        let canonical = loader.canonical(path).unwrap_or_else(|| path.to_path_buf());
        self.load_bytes(
            loader,
            normalize(path),
            canonical,
            text.as_bytes().to_vec(),
            root,
        )
    }

    fn load_bytes(
        &mut self,
        loader: &mut dyn Loader,
        path: PathBuf,
        canonical: PathBuf,
        bytes: Vec<u8>,
        root: &Path,
    ) -> FileId {
        if let Some(&id) = self.by_canonical.get(&canonical) {
            return id;
        }
        let id = self.add_parsed(path, canonical, bytes);
        self.follow_uses(loader, id, root);
        id
    }

    /// Decode and parse a file not loaded before; its `use`s are not followed.
    fn add_parsed(&mut self, path: PathBuf, canonical: PathBuf, bytes: Vec<u8>) -> FileId {
        let (text, problem) = decode(bytes);
        let id = self.sources.add(path, text);
        let parsed = if let Some(problem) = problem {
            self.file_diagnostics
                .push(problem.into_diagnostic(id, &self.sources));
            ParsedFile::default()
        } else if self.uses_only {
            parse_uses(id, &self.sources.get(id).text)
        } else if self.defer_posts {
            let (parsed, diags) = parse_file_deferring(id, &self.sources.get(id).text);
            self.file_diagnostics.extend(diags);
            parsed
        } else {
            let previous = self.previous.remove(&canonical);
            let (parsed, diags) = parse_file_reusing(id, &self.sources.get(id).text, previous);
            self.file_diagnostics.extend(diags);
            parsed
        };
        self.by_canonical.insert(canonical, id);
        self.parsed.push(parsed);
        self.uses.push(Vec::new());
        id
    }

    /// The `use` items of `id`: each item's span, its path's span and the path; a `use`
    /// without a readable path is reported.
    fn use_targets(&mut self, id: FileId) -> Vec<(Span, Span, String)> {
        let mut targets = Vec::new();
        for item in &self.parsed[id.0 as usize].items {
            if self.sources.slice(item.kind) != "use" {
                continue;
            }
            match use_path(item) {
                Ok(path) => {
                    let raw = self.sources.slice(path);
                    targets.push((item.span, path, raw[1..raw.len() - 1].to_string()));
                }
                Err(d) => self.file_diagnostics.push(*d),
            }
        }
        targets
    }

    /// Load what `id` uses, and what those use, depth first in the order written (the
    /// order files are numbered in), on a stack of its own: a chain of thousands of files
    /// takes no more of the machine's stack than one.
    fn follow_uses(&mut self, loader: &mut dyn Loader, id: FileId, root: &Path) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let project = Project {
            given: root,
            canonical: loader.canonical(root).unwrap_or_else(|| root.to_path_buf()),
            lexical: absolute(root, &cwd),
            cwd,
        };
        let mut stack = vec![(id, self.use_targets(id), 0usize)];
        while let Some((file, targets, next)) = stack.last_mut() {
            let Some((item_span, path_span, target)) = targets.get(*next).cloned() else {
                stack.pop();
                continue;
            };
            *next += 1;
            let file = *file;
            let here = self.sources.path(file).to_path_buf();
            let (edge, fresh) = self.resolve_use(loader, &here, &target, path_span, &project);
            self.uses[file.0 as usize].push(UseEdge {
                span: item_span,
                target: edge,
            });
            if fresh {
                if let Some(new) = edge {
                    let targets = self.use_targets(new);
                    stack.push((new, targets, 0));
                }
            }
        }
    }

    fn resolve_use(
        &mut self,
        loader: &mut dyn Loader,
        here: &Path,
        target: &str,
        span: Span,
        project: &Project,
    ) -> (Option<FileId>, bool) {
        let root = project.given;
        let error = |message: String, label: &str, help: &str| {
            Diagnostic::error("import_error", span, message)
                .with_label(label)
                .with_help(help)
        };
        if Path::new(target).is_absolute() {
            self.file_diagnostics.push(error(
                format!("`use \"{target}\"` is an absolute path"),
                "paths in `use` are relative to this file",
                "write the path relative to this file, e.g. `use \"../common/bodies.org\"`",
            ));
            return (None, false);
        }
        let reached = normalize(&here.parent().unwrap_or(Path::new("")).join(target));
        let outside = || {
            error(
                format!("`{target}` is outside the project"),
                &format!("the project root is `{}`", root.display()),
                "a spec may only use files inside its project (the folder holding `orgspec.toml`, else the folder checked); move the file in, or add an `orgspec.toml` higher up",
            )
        };
        // Whether a path outside the project exists is not for a spec to find out: the
        // path as written is judged before the file is looked for.
        if !absolute(&reached, &project.cwd).starts_with(&project.lexical) {
            self.file_diagnostics.push(outside());
            return (None, false);
        }
        let Some(canonical) = loader.canonical(&reached) else {
            self.file_diagnostics.push(error(
                format!("cannot find `{target}`"),
                &format!("no file at `{}`", reached.display()),
                "the path is relative to the file that has the `use`; check the spelling and the folder",
            ));
            return (None, false);
        };
        // a symbolic link inside the project to a file outside it
        if !canonical.starts_with(&project.canonical) {
            self.file_diagnostics.push(outside());
            return (None, false);
        }
        if let Some(&id) = self.by_canonical.get(&canonical) {
            return (Some(id), false);
        }
        match loader.read(&reached) {
            Ok(bytes) => (Some(self.add_parsed(reached, canonical, bytes)), true),
            Err(why) => {
                self.file_diagnostics.push(error(
                    format!("cannot read `{target}`"),
                    &why,
                    "check that the file is readable",
                ));
                (None, false)
            }
        }
    }

    /// Report every cycle of `use` once (strongly connected components of the use graph).
    pub fn report_cycles(&mut self) {
        let n = self.parsed.len();
        let edges: Vec<Vec<FileId>> = self
            .uses
            .iter()
            .map(|u| u.iter().filter_map(|e| e.target).collect())
            .collect();
        for component in strongly_connected(n, &edges) {
            let is_cycle =
                component.len() > 1 || edges[component[0].0 as usize].contains(&component[0]);
            if !is_cycle {
                continue;
            }
            let mut members = component.clone();
            members.sort_by_key(|f| self.sources.path(*f).to_path_buf());
            let in_cycle = |f: &FileId| members.contains(f);
            let mut spans = Vec::new();
            for f in &members {
                for e in &self.uses[f.0 as usize] {
                    if e.target.as_ref().is_some_and(in_cycle) {
                        spans.push((*f, e.span));
                    }
                }
            }
            let names: Vec<String> = members
                .iter()
                .map(|f| format!("`{}`", self.sources.path(*f).display()))
                .collect();
            let (_, primary) = spans[0];
            let mut d = Diagnostic::error(
                "import_error",
                primary,
                if members.len() == 1 {
                    format!("{} uses itself", names[0])
                } else {
                    format!(
                        "these files use each other in a cycle: {}",
                        names.join(" → ")
                    )
                },
            )
            .with_label("this `use` is part of the cycle")
            .with_help("move what both files need into a third file that each of them uses");
            for &(_, s) in &spans[1..] {
                d = d.with_secondary(s, "and this `use`");
            }
            self.file_diagnostics.push(d);
        }
    }

    /// The syntax tree of a loaded `.org` file (`None` for `orgspec.toml`).
    pub fn parsed(&self, file: FileId) -> Option<&ParsedFile> {
        self.parsed.get(file.0 as usize)
    }

    /// The `use` items of a file that loaded a file: the item's span and the file.
    pub fn uses_of(&self, file: FileId) -> impl Iterator<Item = (Span, FileId)> + '_ {
        self.uses
            .get(file.0 as usize)
            .into_iter()
            .flatten()
            .filter_map(|e| Some((e.span, e.target?)))
    }

    /// The item whose text holds the start of `span` (items do not overlap).
    pub fn item_containing(&self, span: Span) -> Option<&crate::syntax::ast::Item> {
        let items = &self.parsed.get(span.file.0 as usize)?.items;
        let at = items.partition_point(|i| i.span.start <= span.start);
        items
            .get(at.checked_sub(1)?)
            .filter(|i| span.start < i.span.end)
    }

    /// The post left to be parsed when lowered ([`crate::syntax::defer`]) whose text holds
    /// the start of `span`.
    fn deferred_containing(&self, span: Span) -> Option<&crate::syntax::ast::Deferred> {
        let posts = &self.parsed.get(span.file.0 as usize)?.deferred;
        let at = posts.partition_point(|p| p.span().start <= span.start);
        posts
            .get(at.checked_sub(1)?)
            .filter(|p| span.start < p.span().end)
    }

    /// The item whose text holds `span`: its keyword and id as written (`post`, `head_ops`).
    /// Findings are tied to it where a position would move with every edit (SARIF
    /// fingerprints).
    pub fn item_at(&self, span: Span) -> Option<(&str, &str)> {
        if let Some(post) = self.deferred_containing(span) {
            let head = post.head(&self.sources.get(span.file).text);
            return Some((self.sources.slice(head.kind), self.sources.slice(head.id)));
        }
        let item = self.item_containing(span)?;
        let kind = self.sources.slice(item.kind);
        let id = item.first_atom().map_or("", |a| self.sources.slice(a.span));
        Some((kind, id))
    }

    /// The files of the unit rooted at `root`: what it uses first, then itself.
    pub fn unit_files(&self, root: FileId) -> Vec<FileId> {
        let mut order = Vec::new();
        let mut state = vec![0u8; self.parsed.len()];
        let mut stack = vec![(root, 0usize)];
        state[root.0 as usize] = 1;
        while let Some((f, next)) = stack.pop() {
            let uses = &self.uses[f.0 as usize];
            if let Some(edge) = uses.get(next) {
                stack.push((f, next + 1));
                if let Some(t) = edge.target {
                    if state[t.0 as usize] == 0 {
                        state[t.0 as usize] = 1;
                        stack.push((t, 0));
                    }
                }
            } else {
                state[f.0 as usize] = 2;
                order.push(f);
            }
        }
        order
    }

    /// Lower one compilation unit (its files in load order); with `index`, also record
    /// where each id is declared and used.
    pub fn lower_unit(&self, files: &[FileId], index: bool) -> Lowered<'_> {
        let items: Vec<_> = files
            .iter()
            .flat_map(|f| self.parsed[f.0 as usize].items.iter())
            .collect();
        let lost: Vec<(Span, Span)> = files
            .iter()
            .flat_map(|f| self.parsed[f.0 as usize].lost.iter().copied())
            .collect();
        let lowerer = lower::Lowerer::new(&self.sources).with_lost(lost);
        if index {
            lowerer.indexing().lower(&items)
        } else {
            lowerer.lower(&items)
        }
    }

    /// [`Workspace::lower_unit`] for a run that lowers the unit once and reads its
    /// posts' syntax trees no more (`check` on the command line): each post's fields are
    /// freed as soon as it is lowered ([`lower::Lowerer::lower_releasing`]), and a post
    /// left unparsed by [`Workspace::deferring_posts`] is parsed then; so a large spec's
    /// tree and what is lowered from it are not held at once. An item keeps its keyword,
    /// header and span, for [`Workspace::item_at`]; the files cannot be lowered again.
    /// Returns the workspace's sources beside the lowered unit, which borrows them. When a
    /// left post's text does not read as its head was declared, the unit is
    /// [`Lowered::incomplete`]: parse its files in full ([`Workspace::parse_released`])
    /// and lower it again.
    pub fn lower_unit_releasing(&mut self, files: &[FileId]) -> (&SourceMap, Lowered<'_>) {
        let mut by_id: Vec<Option<&mut ParsedFile>> = self.parsed.iter_mut().map(Some).collect();
        let mut items = Vec::new();
        let mut lost = Vec::new();
        for f in files {
            let Some(parsed) = by_id.get_mut(f.0 as usize).and_then(Option::take) else {
                continue;
            };
            lost.extend(parsed.lost.iter().copied());
            // its items can no more be moved into an edited text's parse
            parsed.sources.iter_mut().for_each(|s| *s = None);
            // the posts left to be parsed in their place among the items (neither overlaps
            // another)
            let mut deferred = parsed.deferred.iter().peekable();
            for item in &mut parsed.items {
                while let Some(post) = deferred.next_if(|d| d.span().start < item.span.start) {
                    items.push(lower::Lent::Deferred(post));
                }
                items.push(lower::Lent::Free(item));
            }
            items.extend(deferred.map(lower::Lent::Deferred));
        }
        let lowerer = lower::Lowerer::new(&self.sources).with_lost(lost);
        (&self.sources, lowerer.lower_releasing(items))
    }

    /// Parse in full each of `files` whose posts were left to be parsed when lowered
    /// ([`Workspace::deferring_posts`]), before a lowering that keeps the trees; the
    /// syntax errors found. Those of items read when loading were reported then, and are
    /// found again.
    pub fn parse_deferred(&mut self, files: &[FileId]) -> Vec<Diagnostic> {
        self.parse_again(files, |parsed| !parsed.deferred.is_empty())
    }

    /// Parse every one of `files` in full again, after a lowering that released their
    /// posts' trees came out [`Lowered::incomplete`]; the syntax errors found, as
    /// [`Workspace::parse_deferred`].
    pub fn parse_released(&mut self, files: &[FileId]) -> Vec<Diagnostic> {
        self.parse_again(files, |_| true)
    }

    fn parse_again(
        &mut self,
        files: &[FileId],
        due: impl Fn(&ParsedFile) -> bool,
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for &f in files {
            let Some(parsed) = self.parsed.get_mut(f.0 as usize).filter(|p| due(p)) else {
                continue;
            };
            let (fresh, diagnostics) = parse_file(f, &self.sources.get(f).text);
            *parsed = fresh;
            found.extend(diagnostics);
        }
        found
    }
}

/// The path a `use` item names (the string, quotes included), or why it names none.
pub fn use_path(item: &crate::syntax::ast::Item) -> Result<Span, Box<Diagnostic>> {
    item.first_atom()
        .filter(|a| matches!(a.kind, AtomKind::Str))
        .map(|a| a.span)
        .ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "syntax_error",
                    item.span,
                    "expected a file path after `use`",
                )
                .with_label("`use` names a file in quotes")
                .with_help("write `use \"common/bodies.org\"`, relative to this file"),
            )
        })
}

/// Tarjan's algorithm, iterative (a long chain of `use` must not overflow the stack).
fn strongly_connected(n: usize, edges: &[Vec<FileId>]) -> Vec<Vec<FileId>> {
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(w) = edges[v].get(*i).map(|f| f.0 as usize) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(FileId(w as u32));
                        if w == v {
                            break;
                        }
                    }
                    out.push(component);
                }
            }
        }
    }
    out
}

/// Why a file's bytes are not orgspec text.
enum Undecodable {
    /// More than [`MAX_FILE_BYTES`] (readers stop one byte past the limit).
    TooLarge,
    /// A NUL byte at `nul`; `at` is where the shown text stops being readable (the NUL,
    /// or an earlier byte that is not UTF-8).
    Binary {
        at: usize,
        nul: usize,
    },
    NotUtf8(usize),
}

impl Undecodable {
    fn into_diagnostic(self, file: FileId, sources: &SourceMap) -> Diagnostic {
        let at = |o: usize| {
            Span::new(
                file,
                o.min(sources.get(file).text.len()),
                o.min(sources.get(file).text.len()),
            )
        };
        match self {
            Undecodable::TooLarge => Diagnostic::error("syntax_error", at(0), "this file is too large to check")
                .with_label("larger than 1 GiB")
                .with_help("split the spec into files joined by `use`"),
            Undecodable::Binary { at: o, nul } => Diagnostic::error("syntax_error", at(o), "this file is not text")
                .with_label(if o == nul {
                    format!("a NUL byte at byte {nul}")
                } else {
                    format!("bytes that are not UTF-8 here, and a NUL byte at byte {nul}")
                })
                .with_help("orgspec reads UTF-8 text files; is this a spreadsheet or a Word document saved as `.org`?"),
            Undecodable::NotUtf8(o) => Diagnostic::error("syntax_error", at(o), "this file is not UTF-8 text")
                .with_label(format!("the bytes at {o} are not UTF-8"))
                .with_help("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)"),
        }
    }
}

/// Read one file's bytes into `sources` without following its `use`s (the formatter, an
/// editor buffer): its id, and why it is not orgspec text if it is not.
pub fn add_file(
    sources: &mut SourceMap,
    path: &Path,
    bytes: Vec<u8>,
) -> (FileId, Option<Diagnostic>) {
    let (text, problem) = decode(bytes);
    let id = sources.add(normalize(path), text);
    (id, problem.map(|p| p.into_diagnostic(id, sources)))
}

/// Bytes → text. A leading BOM is dropped; byte offsets count from after it.
fn decode(bytes: Vec<u8>) -> (String, Option<Undecodable>) {
    if bytes.len() > MAX_FILE_BYTES {
        return (String::new(), Some(Undecodable::TooLarge));
    }
    let bytes = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[3..].to_vec()
    } else {
        bytes
    };
    if let Some(nul) = memchr::memchr(0, &bytes) {
        // Lossy decoding widens each bad byte to three, so offsets past the first bad
        // byte would not match the file: the span stops at the first unreadable byte.
        let at = match std::str::from_utf8(&bytes[..nul]) {
            Ok(_) => nul,
            Err(e) => e.valid_up_to(),
        };
        let shown = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        return (shown, Some(Undecodable::Binary { at, nul }));
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let o = e.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some(Undecodable::NotUtf8(o)),
            )
        }
    }
}

/// A [`Loader`] over files held in memory, for tests and editors.
#[derive(Default)]
pub struct MemoryLoader {
    pub files: HashMap<PathBuf, Vec<u8>>,
}

impl MemoryLoader {
    pub fn with(files: &[(&str, &str)]) -> MemoryLoader {
        MemoryLoader {
            files: files
                .iter()
                .map(|(p, t)| (normalize(Path::new(p)), t.as_bytes().to_vec()))
                .collect(),
        }
    }
}

impl Loader for MemoryLoader {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| "no such file".into())
    }

    /// Memory files live under `/mem`, so `..` out of the project is caught as on disk.
    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        let p = normalize(path);
        let exists = self.files.contains_key(&p)
            || p == Path::new(".")
            || self.files.keys().any(|k| k.starts_with(&p));
        exists.then(|| normalize(&Path::new("/mem").join(&p)))
    }
}

/// The project root a `use` may not leave: as given, as the file system resolves it (a
/// link inside the project to a file outside is caught), and as written (made absolute,
/// `..` resolved: a path outside is refused before the file system is asked whether it
/// exists).
struct Project<'a> {
    given: &'a Path,
    canonical: PathBuf,
    lexical: PathBuf,
    /// The current folder, that relative paths start from.
    cwd: PathBuf,
}

/// `path` made absolute from `cwd`, `..` resolved, without asking the file system.
fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&cwd.join(path))
    }
}
