//! What each fuzz target does with its input, shared by the targets (`fuzz_targets/`) and by
//! `tests/fuzz_regressions.rs`, which replays every input a target ever crashed on
//! (`fuzz/regressions/TARGET/`). Each function panics when an invariant breaks.

#![allow(dead_code, reason = "each target uses one function")]

use std::path::Path;

use orgspec::diagnostic::{Diagnostic, Summary};
use orgspec::report;
use orgspec::resolve::{MemoryLoader, Workspace};

/// Check `files` (name, bytes) as one unit rooted at the first, as `orgspec check` does;
/// every span must lie on character boundaries inside its file, and every output format
/// must render.
fn check_files(files: &[(&str, Vec<u8>)]) -> Vec<(String, String)> {
    check_files_as(files, true)
}

/// [`check_files`]; with `deferring`, as `orgspec check` reads a spec (posts parsed as they
/// are lowered, each tree freed at once), else as the language server does (every tree
/// parsed first, and kept).
fn check_files_as(files: &[(&str, Vec<u8>)], deferring: bool) -> Vec<(String, String)> {
    let mut loader = MemoryLoader::default();
    for (name, bytes) in files {
        loader.files.insert((*name).into(), bytes.clone());
    }
    let mut ws = if deferring {
        Workspace::deferring_posts()
    } else {
        Workspace::new()
    };
    let Ok(root) = ws.load_root(&mut loader, Path::new(files[0].0), Path::new(".")) else {
        return Vec::new();
    };
    let (diagnostics, _, _) = orgspec::driver::check_units_indexed(
        &mut ws,
        &[root],
        &orgspec::driver::Settings::default(),
        !deferring,
    );
    for d in &diagnostics {
        for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
            let text = &ws.sources.get(span.file).text;
            assert!(
                span.start <= span.end && span.end as usize <= text.len(),
                "{d:?}"
            );
            assert!(
                text.is_char_boundary(span.start as usize)
                    && text.is_char_boundary(span.end as usize),
                "{d:?}"
            );
        }
    }
    render_all(&ws, &diagnostics, root);
    diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.clone()))
        .collect()
}

fn render_all(ws: &Workspace, diagnostics: &[Diagnostic], root: orgspec::FileId) {
    let options = report::HumanOptions {
        color: false,
        width: 100,
    };
    report::render_human(&ws.sources, diagnostics, options);
    let short = report::render_short(&ws.sources, diagnostics);
    assert_eq!(
        short.lines().count(),
        diagnostics.len(),
        "one line per finding"
    );
    let summary = Summary::count(diagnostics, 1);
    let json: serde_json::Value =
        serde_json::from_str(&report::render_json(&ws.sources, diagnostics, summary)).unwrap();
    assert_eq!(json["version"].as_u64(), Some(1));
    let item_at = |span| {
        ws.item_at(span)
            .map(|(kind, id)| (kind.to_string(), id.to_string()))
    };
    // SARIF describes the whole rule catalogue each time (half a millisecond, a hundred
    // times the rest): one input in eight, chosen by its findings, renders it
    if diagnostics.len() % 8 == 3 {
        let sarif: serde_json::Value =
            serde_json::from_str(&report::render_sarif(&ws.sources, diagnostics, &item_at))
                .unwrap();
        assert_eq!(sarif["version"], "2.1.0");
    }
    report::render_github(&ws.sources, diagnostics);
    report::render_junit(&ws.sources, diagnostics, &[root], &item_at);
}

/// `check`: any bytes as a spec, through the whole pipeline and every output format.
pub fn check(bytes: &[u8]) {
    let files = [("a.org", bytes.to_vec())];
    let deferring = check_files_as(&files, true);
    let keeping = check_files_as(&files, false);
    assert_eq!(
        deferring, keeping,
        "parsing posts as they are lowered changed the findings"
    );
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Err(e) = orgspec::syntax::plain_reads_as_pest(orgspec::FileId(0), text) {
            panic!("the reader of plain items disagrees with pest: {e}");
        }
    }
}

/// `fmt`: what the formatter formats it formats for good (a fixed point), and the layout
/// changes no finding; what it refuses is a syntax error.
pub fn format(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match orgspec::format::format(orgspec::FileId(0), text) {
        Ok(formatted) => {
            let again = orgspec::format::format(orgspec::FileId(0), &formatted);
            assert!(
                matches!(&again, Ok(t) if *t == formatted),
                "not a fixed point: {again:?}"
            );
            let mut before = check_files(&[("a.org", text.as_bytes().to_vec())]);
            let mut after = check_files(&[("a.org", formatted.into_bytes())]);
            before.sort();
            after.sort();
            assert_eq!(before, after, "the layout changed the findings");
        }
        Err(orgspec::format::FormatError::Syntax(d)) => assert!(!d.is_empty()),
        Err(orgspec::format::FormatError::Unsafe(why)) => {
            panic!("the formatter would change what the file says: {why}")
        }
    }
}

/// A small structure for rules to run over.
const STRUCTURE: &str = "org sbc \"Stockton\" { kind council; tiers 6 }\norg pct \"PCT\" { kind nhs; tiers 7 }\nalign sbc 2 = pct 3\npost director \"Director\" { employer sbc; tier 1; statutory dcs }\npost head \"Head\" { employer sbc; tier 2; reports_to director; funded sbc 50%, pct 50% }\nnew post lead \"Lead\" { employer pct; tier 4; reports_to head; grade tbd }\ndeleted post old \"Old\" { employer sbc; tier 3; reports_to head }\ntimeline t { consultation 2024-01-01 .. 2024-02-01; effective 2024-04 }\n";

/// `rules`: any bytes as the body of a rule over a small structure: the rule compiler and
/// the evaluator.
pub fn rules(bytes: &[u8]) {
    let mut spec = STRUCTURE.as_bytes().to_vec();
    spec.extend_from_slice(b"rule fuzzed \"Fuzzed\" {\n");
    spec.extend_from_slice(bytes);
    spec.extend_from_slice(b"\n}\n");
    let files = [("a.org", spec)];
    let guarded = check_files(&files);
    // a check asks only the subjects its filter can hold of: asking all finds the same
    orgspec::check::engine::eval::set_guarded(false);
    let every = check_files(&files);
    orgspec::check::engine::eval::set_guarded(true);
    assert_eq!(guarded, every, "a guard changed what the rule finds");
}

/// The folder the language server's sessions work in: a spec and one it uses.
fn lsp_folder() -> &'static Path {
    static FOLDER: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    FOLDER
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("orgspec.toml"), "").unwrap();
            std::fs::write(dir.path().join("bodies.org"), STRUCTURE).unwrap();
            std::fs::write(
                dir.path().join("a.org"),
                "use \"bodies.org\"\npost p \"P\" { employer sbc; tier 3; reports_to head }\n",
            )
            .unwrap();
            dir
        })
        .path()
}

/// `lsp`: a session of the language server, in memory: `initialize`, then each
/// NUL-separated piece of the input as a message (those that are JSON-RPC), then
/// `shutdown` and `exit`. The server must answer every request and end cleanly.
pub fn lsp(bytes: &[u8]) {
    use lsp_server::{Connection, Message, Notification, Request, RequestId};
    let folder = lsp_folder();
    let (client, server) = Connection::memory();
    let serving = std::thread::spawn(move || orgspec::lsp::serve(&server));
    let uri = format!("file://{}", folder.display());
    let init = Request::new(
        RequestId::from(0),
        "initialize".into(),
        serde_json::json!({ "processId": null, "rootUri": uri, "capabilities": {} }),
    );
    client.sender.send(init.into()).unwrap();
    client
        .sender
        .send(Message::Notification(Notification::new(
            "initialized".into(),
            serde_json::json!({}),
        )))
        .unwrap();
    let mut pending = Vec::new();
    for piece in bytes.split(|b| *b == 0) {
        let Ok(message) = serde_json::from_slice::<Message>(piece) else {
            continue;
        };
        match &message {
            // the session's end is the harness's to send
            Message::Request(r) if r.method == "shutdown" || r.method == "initialize" => continue,
            Message::Notification(n) if n.method == "exit" || n.method == "initialized" => continue,
            Message::Request(r) => pending.push(r.id.clone()),
            _ => {}
        }
        client.sender.send(message).unwrap();
    }
    let shutdown = RequestId::from(-1);
    client
        .sender
        .send(Request::new(shutdown.clone(), "shutdown".into(), serde_json::Value::Null).into())
        .unwrap();
    client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            serde_json::Value::Null,
        )))
        .unwrap();
    let ended = serving.join().expect("the server thread panicked");
    assert_eq!(
        ended,
        orgspec::lsp::Served::Exit {
            after_shutdown: true
        }
    );
    // every request was answered
    let answered: Vec<RequestId> = client
        .receiver
        .try_iter()
        .filter_map(|m| match m {
            Message::Response(r) => Some(r.id),
            _ => None,
        })
        .collect();
    for id in pending.iter().chain([&shutdown]) {
        assert!(answered.contains(id), "request {id:?} was not answered");
    }
}
