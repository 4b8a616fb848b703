//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// The `.org` files under `dir`, in the order of their paths.
pub fn org_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            org_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "org") {
            out.push(p);
        }
    }
}

/// Every `.org` file of the repository (the specs, the standard library, the fixtures and
/// the docs' examples), by path relative to its root, with its text; a file that is not
/// UTF-8 is left out.
pub fn repository() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["specs", "std", "tests/fixtures", "docs"] {
        if root.join(dir).is_dir() {
            org_files(&root.join(dir), &mut files);
        }
    }
    files
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).unwrap()).ok()?;
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            Some((rel, text))
        })
        .collect()
}
