//! `cargo bench --bench lsp`: keystroke-to-diagnostics latency of `orgspec lsp`.
//!
//! The release binary is started as a language server, a generated spec is opened as an
//! editor buffer, and single-character edits are sent one at a time, each as an editor
//! sends a keystroke (`didChange` with one incremental change); the time from sending it
//! to receiving the file's `publishDiagnostics` is measured. Also: go to definition and
//! hover on the same buffer, and a burst of ten keystrokes sent in one write (the time to
//! the last one's diagnostics, and how many checks were published: 1 when coalesced). Sizes default to 10k posts; `ORGSPEC_BENCH_SIZES=1000,10000`
//! to choose.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::time::Instant;

use serde_json::json;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::var("ORGSPEC_BENCH_SIZES").ok().map_or_else(
        || vec![10_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    println!(
        "orgspec lsp, generated specs (seed 1); cores: {}",
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    println!(
        "{:>7} {:>6} {:>5} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>7}",
        "posts",
        "MB",
        "keys",
        "open ms",
        "key med ms",
        "key max ms",
        "def med ms",
        "hover med ms",
        "burst10 ms",
        "checks"
    );
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("orgspec.toml"), "").expect("write settings");
        let text = orgspec::generate::spec(n, 1);
        let path = dir.path().join("generated.org");
        std::fs::write(&path, &text).expect("write spec");

        let mut client = lsp_client::Client::start(env!("CARGO_BIN_EXE_orgspec"));
        client.initialize(dir.path());
        let t = Instant::now();
        let uri = client.open(&path, &text);
        client.diagnostics_for(&uri);
        let open = t.elapsed().as_secs_f64() * 1000.0;

        // type a word into the title of a post in the middle of the file
        let at = text[text.len() / 2..]
            .find("post ")
            .map(|i| text.len() / 2 + i)
            .expect("a post");
        let quote = at + text[at..].find('"').expect("a title") + 1;
        let line = text[..quote].matches('\n').count();
        let column = quote - text[..quote].rfind('\n').map_or(0, |i| i + 1);
        let keys = 21;
        let mut key_times = Vec::new();
        for k in 0..keys {
            let position = json!({ "line": line, "character": column + k });
            let t = Instant::now();
            client.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": { "uri": uri, "version": k + 2 },
                    "contentChanges": [{ "range": { "start": position, "end": position }, "text": "x" }],
                }),
            );
            client.diagnostics_for(&uri);
            key_times.push(t.elapsed().as_secs_f64() * 1000.0);
        }

        // a burst: ten keystrokes in one write, as an editor flushing queued edits; the time
        // to the last one's diagnostics, and how many checks were published on the way
        let edits: Vec<(&str, serde_json::Value)> = (0..10)
            .map(|k| {
                let position = json!({ "line": line, "character": column + keys + k });
                (
                    "textDocument/didChange",
                    json!({
                        "textDocument": { "uri": uri, "version": keys + 2 + k },
                        "contentChanges": [{ "range": { "start": position, "end": position }, "text": "y" }],
                    }),
                )
            })
            .collect();
        let last = keys + 11;
        let t = Instant::now();
        client.notify_all(&edits);
        let mut burst_checks = 0;
        loop {
            burst_checks += 1;
            if client.published_for(&uri)["version"] == last {
                break;
            }
        }
        let burst = t.elapsed().as_secs_f64() * 1000.0;

        // navigation on a reference: the `reports_to` of a post in the middle
        let reference =
            at + text[at..].find("reports_to ").expect("a manager") + "reports_to ".len();
        let ref_line = text[..reference].matches('\n').count();
        let ref_col = reference - text[..reference].rfind('\n').map_or(0, |i| i + 1);
        let position = json!({ "textDocument": { "uri": uri }, "position": { "line": ref_line, "character": ref_col + 1 } });
        let mut timed = |method: &str| {
            let mut times = Vec::new();
            for _ in 0..11 {
                let t = Instant::now();
                let result = client.request(method, position.clone());
                assert!(!result.is_null(), "{method} found nothing");
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            median(times)
        };
        let definition = timed("textDocument/definition");
        let hover = timed("textDocument/hover");
        let worst = key_times.iter().copied().fold(0.0, f64::max);
        println!(
            "{n:>7} {:>6.1} {keys:>5} {open:>12.0} {:>12.0} {worst:>12.0} {definition:>12.1} {hover:>12.1} {burst:>12.0} {burst_checks:>7}",
            text.len() as f64 / 1e6,
            median(key_times),
        );
        let _ = client.shutdown();
    }
}
