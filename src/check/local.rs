//! A project's own rules, as `orgspec rules` and `orgspec explain` show them beside the
//! catalogue: each `rule` item of the files checked, with its title, severity, doc comment
//! and where it is written.

use std::fmt::Write as _;

use crate::resolve::Workspace;
use crate::source::FileId;
use crate::syntax::ast::{AtomKind, Item, StatementKind};

/// One rule written in a spec or project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRule {
    pub id: String,
    pub title: String,
    /// As its `severity` statement says, else `error` (docs/rule-language.md).
    pub severity: String,
    /// Its `///` doc comment, without the slashes.
    pub docs: String,
    /// `path:line`.
    pub location: String,
    /// The rule as written.
    pub source: String,
}

/// The rules written in `files` (and the files they `use`), each once, in file order.
pub fn local_rules(ws: &Workspace, files: &[FileId]) -> Vec<LocalRule> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for &file in files {
        for f in ws.unit_files(file) {
            if !seen.insert(f) {
                continue;
            }
            let Some(parsed) = ws.parsed(f) else { continue };
            for item in &parsed.items {
                if ws.sources.slice(item.kind) == "rule" {
                    // a rule that takes a catalogue id is a `rule_error`, not a rule
                    if let Some(rule) = describe(ws, item)
                        .filter(|r| crate::vocab::catalogue::lookup(&r.id).is_none())
                    {
                        out.push(rule);
                    }
                }
            }
        }
    }
    out
}

fn describe(ws: &Workspace, item: &Item) -> Option<LocalRule> {
    let src = &ws.sources;
    let header = item.header.as_ref()?;
    let atoms: Vec<_> = header
        .value
        .old
        .iter()
        .flat_map(|t| t.atoms.iter())
        .collect();
    let id = atoms.first().filter(|a| matches!(a.kind, AtomKind::Word))?;
    let title = atoms
        .iter()
        .find(|a| matches!(a.kind, AtomKind::Str))
        .and_then(|a| crate::syntax::unescape(src.slice(a.span), a.span).ok())
        .unwrap_or_default();
    let severity = item
        .rule
        .as_ref()
        .and_then(|body| {
            body.statements.iter().find_map(|s| match s.kind {
                StatementKind::Severity(Some(level)) => Some(src.slice(level).to_string()),
                _ => None,
            })
        })
        .unwrap_or_else(|| "error".to_string());
    let docs = item
        .docs
        .iter()
        .map(|d| {
            let line = src.slice(*d).trim_start_matches("///");
            line.strip_prefix(' ').unwrap_or(line).to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = src.get(item.span.file);
    let (line, _) = file.line_col(item.span.start);
    Some(LocalRule {
        id: src.slice(id.span).to_string(),
        title,
        severity,
        docs,
        location: format!("{}:{line}", file.path.display()),
        source: src.slice(item.span).to_string(),
    })
}

/// `orgspec rules`: the local rules' section.
pub fn table(rules: &[LocalRule]) -> String {
    let mut out = String::new();
    if rules.is_empty() {
        return out;
    }
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let _ = writeln!(out, "Local rules (written in this project)");
    for r in rules {
        let _ = writeln!(
            out,
            "  {:width$}  {:7}  {} ({})",
            r.id, r.severity, r.title, r.location
        );
    }
    out
}

/// `orgspec explain RULE` for a local rule.
pub fn explain(r: &LocalRule) -> String {
    let mut out = format!(
        "# {} (local)\n\n{} · {}\n\nDefined in `{}`, in the rule language: a rule of this project, not of orgspec's catalogue.\n\n",
        r.id, r.severity, r.title, r.location
    );
    if r.docs.trim().is_empty() {
        out.push_str("It has no doc comment: write one with `///` lines above the rule (docs/rule-language.md).\n");
    } else {
        out.push_str(r.docs.trim_end());
        out.push('\n');
    }
    let _ = write!(
        out,
        "\n## Definition\n\n```org\n{}\n```\n",
        r.source.trim_end()
    );
    out
}
