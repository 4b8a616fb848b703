//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;

use orgspec::diagnostic::Summary;
use orgspec::report::{render_human, render_json, HumanOptions};
use orgspec::resolve::Workspace;
use orgspec::Diagnostic;

/// `(line, rule)` pairs announced in a fixture by `// expect: rule_a, rule_b` on the line
/// of the finding, `// expect-above: rule` for the line above, or `// expect-below: rule`.
pub fn expectations(text: &str) -> BTreeSet<(usize, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        for (marker, offset) in [
            ("// expect: ", 0i64),
            ("// expect-above: ", -1),
            ("// expect-below: ", 1),
        ] {
            if let Some(at) = line.find(marker) {
                for rule in line[at + marker.len()..].split(',') {
                    out.insert(((i as i64 + 1 + offset) as usize, rule.trim().to_string()));
                }
            }
        }
    }
    out
}

/// What a run found, as `(line, rule)` pairs of one file.
pub fn found(ws: &Workspace, diagnostics: &[Diagnostic]) -> BTreeSet<(usize, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                ws.sources.get(d.span.file).line_col(d.span.start).0,
                d.rule.to_string(),
            )
        })
        .collect()
}

pub fn human(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    render_human(
        &ws.sources,
        diagnostics,
        HumanOptions {
            color: false,
            width: 100,
        },
    )
}

pub fn json(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    render_json(&ws.sources, diagnostics, Summary::count(diagnostics, 1))
}

/// Every `.org` file under `dir`, as (path relative to `dir`, text).
pub fn support_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "org") {
            let name = format!("support/{}", p.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    out
}
