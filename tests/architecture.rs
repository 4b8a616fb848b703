//! The stage order holds: no module imports from a floor above its own, and no two
//! folders import each other. Read from the source text, as a reader of the code would.
//!
//! Floors, lowest first (ARCHITECTURE.md):
//! 0. the ground every stage stands on: `source`, `value`, `diagnostic`, the language's
//!    vocabulary `vocab` and its typed declarations `decl`;
//! 1. `syntax`; 2. `resolve`; 3. `model`; 4. `check`; 5. `report`;
//! 6. what serves the front ends: `config`, `driver`, `format`, `generate`, `project`;
//! 7. the front ends: `cli`, `lsp`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FLOORS: &[(&str, u8)] = &[
    ("source", 0),
    ("value", 0),
    ("diagnostic", 0),
    ("vocab", 0),
    ("decl", 0),
    ("syntax", 1),
    ("resolve", 2),
    ("model", 3),
    ("check", 4),
    ("report", 5),
    ("present", 5),
    ("config", 6),
    ("driver", 6),
    ("format", 6),
    ("generate", 6),
    ("import", 6),
    ("project", 6),
    ("cli", 7),
    ("lsp", 7),
];

/// Names the crate root re-exports, and the module each comes from.
const ROOT_REEXPORTS: &[(&str, &str)] = &[
    ("Diagnostic", "diagnostic"),
    ("Label", "diagnostic"),
    ("Severity", "diagnostic"),
    ("FileId", "source"),
    ("SourceMap", "source"),
    ("Span", "source"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// A file's module path: `src/check/engine/eval/mod.rs` → `check::engine::eval`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, strings or its test module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            if c == '"' && prev != '\\' {
                in_string = !in_string;
            } else if !in_string && line[i..].starts_with("//") {
                break;
            } else if !in_string {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Every module path a file names: `crate::a::b`, `super::x`, and `use crate::{a, b}`.
fn references(module: &[String], code: &str) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let words = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|w| {
                w.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .take_while(|w: &String| !w.is_empty())
            .collect()
    };
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + 7..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let path = words(part.trim());
                if !path.is_empty() {
                    out.insert(path);
                }
            }
        } else {
            out.insert(words(after));
        }
        rest = after;
    }
    // `super::` in module a::b (file `a/b.rs` or `a/b/mod.rs`) names a::…
    let parent: Vec<String> = module[..module.len().saturating_sub(1)].to_vec();
    let mut rest = code;
    while let Some(at) = rest.find("super::") {
        let before = rest[..at].chars().last();
        let after = &rest[at + 7..];
        if before.is_none_or(|c| !c.is_alphanumeric() && c != ':') {
            let mut path = parent.clone();
            path.extend(words(after));
            out.insert(path);
        }
        rest = after;
    }
    out.retain(|p| !p.is_empty());
    out
}

struct Graph {
    /// module → the modules it names, at the depth where the two first differ.
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        if module.is_empty() || module == ["lib"] || module == ["main"] {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for mut target in references(&module, &code(&text)) {
            if let Some((_, m)) = ROOT_REEXPORTS.iter().find(|(n, _)| *n == target[0]) {
                target = vec![(*m).to_string()];
            }
            // the first level at which the two paths part
            let depth = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if depth >= module.len() || depth >= target.len() {
                continue; // a module naming itself or something inside it
            }
            edges
                .entry(module[..=depth].to_vec())
                .or_default()
                .insert(target[..=depth].to_vec());
        }
    }
    Graph { edges }
}

fn floor(module: &str) -> u8 {
    FLOORS
        .iter()
        .find(|(m, _)| *m == module)
        .unwrap_or_else(|| {
            panic!("`src/{module}` is on no floor: add it to FLOORS here and to ARCHITECTURE.md")
        })
        .1
}

#[test]
fn no_module_imports_from_a_higher_floor() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g.edges {
        if from.len() != 1 {
            continue;
        }
        for to in tos {
            let (a, b) = (floor(&from[0]), floor(&to[0]));
            if b > a {
                wrong.push(format!("{} (floor {a}) → {} (floor {b})", from[0], to[0]));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the stage order:\n{}",
        wrong.join("\n")
    );
}

/// The modules of one folder that name each other, directly or through others.
fn circles(g: &Graph) -> BTreeSet<String> {
    let mut folders = BTreeSet::new();
    for (from, tos) in &g.edges {
        for to in tos {
            // does `to` reach `from` among the same folder's children?
            let mut seen = BTreeSet::new();
            let mut stack = vec![to.clone()];
            while let Some(m) = stack.pop() {
                if &m == from {
                    folders.insert(from[..from.len() - 1].join("::"));
                    break;
                }
                if seen.insert(m.clone()) {
                    stack.extend(g.edges.get(&m).into_iter().flatten().cloned());
                }
            }
        }
    }
    folders
}

#[test]
fn folders_do_not_import_each_other() {
    let g = graph();
    let found = circles(&g);
    // the rule engine's builtins are typed by the compiler and run by the evaluator, each of
    // which names them: one circle, inside `check/engine`
    let allowed: BTreeSet<String> = ["check::engine".to_string()].into();
    let unexpected: Vec<&String> = found.difference(&allowed).collect();
    assert!(
        unexpected.is_empty(),
        "modules that import each other, in: {unexpected:?}\n(every edge: {:#?})",
        g.edges
    );
    assert!(
        !found.contains(""),
        "two top-level modules import each other"
    );
}

#[test]
fn the_test_sees_the_imports_it_judges() {
    let g = graph();
    let named = |from: &str, to: &str| {
        g.edges
            .get(&vec![from.to_string()])
            .is_some_and(|t| t.contains(&vec![to.to_string()]))
    };
    // a sample of imports the code is known to make
    assert!(named("check", "model"));
    assert!(named("resolve", "syntax"));
    assert!(named("lsp", "driver"));
    assert!(named("decl", "vocab"));
}
