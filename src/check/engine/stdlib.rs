//! The standard library: the domain rules of the catalogue, written in the rule language in
//! `std/*.org` and embedded in the binary. Parsed and compiled once per process.

use std::path::PathBuf;
use std::sync::LazyLock;

use super::compile::{compile, CompiledRule, NoItems, Origin};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::syntax::parse_file;

/// The files of the standard library, by category.
pub const FILES: &[(&str, &str)] = &[
    (
        "std/structure.org",
        include_str!("../../../std/structure.org"),
    ),
    ("std/funding.org", include_str!("../../../std/funding.org")),
    (
        "std/outcomes.org",
        include_str!("../../../std/outcomes.org"),
    ),
    (
        "std/localities.org",
        include_str!("../../../std/localities.org"),
    ),
    (
        "std/timeline.org",
        include_str!("../../../std/timeline.org"),
    ),
    ("std/budget.org", include_str!("../../../std/budget.org")),
];

pub struct StdRule {
    pub compiled: CompiledRule,
    /// The `///` documentation above the rule, as markdown.
    pub docs: String,
    /// The rule's source text, as `explain` shows it.
    pub source: String,
    pub file: &'static str,
}

pub struct Library {
    pub rules: Vec<StdRule>,
    /// Problems in the library itself (a test keeps this empty).
    pub errors: Vec<Diagnostic>,
    pub sources: SourceMap,
}

static LIBRARY: LazyLock<Library> = LazyLock::new(load);

fn load() -> Library {
    let mut sources = SourceMap::default();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (path, text) in FILES {
        let file = sources.add(PathBuf::from(path), (*text).to_string());
        let (parsed, diagnostics) = parse_file(file, text);
        errors.extend(diagnostics);
        for item in &parsed.items {
            if item.rule.is_none() {
                errors.push(Diagnostic::error(
                    "syntax_error",
                    item.kind,
                    "the standard library holds rules only",
                ));
                continue;
            }
            match compile(&sources, item, &NoItems, Origin::Std) {
                Ok(compiled) => {
                    let docs = item
                        .docs
                        .iter()
                        .map(|d| {
                            let line = sources.slice(*d);
                            let line = line.strip_prefix("///").unwrap_or(line);
                            line.strip_prefix(' ')
                                .unwrap_or(line)
                                .trim_end()
                                .to_string()
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    rules.push(StdRule {
                        compiled,
                        docs,
                        source: sources.slice(item.span).to_string(),
                        file: path,
                    });
                }
                Err(e) => errors.extend(e),
            }
        }
    }
    Library {
        rules,
        errors,
        sources,
    }
}

pub fn library() -> &'static Library {
    &LIBRARY
}

pub fn rules() -> &'static [StdRule] {
    &LIBRARY.rules
}

pub fn find(id: &str) -> Option<&'static StdRule> {
    LIBRARY.rules.iter().find(|r| r.compiled.id == id)
}
