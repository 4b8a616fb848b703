//! Stage 5: diagnostics → text. `human` (miette), `short` (one line each, for editors'
//! quickfix), `json` (for tools; schema in `docs/json-output.md`), `sarif` (code
//! scanning), `github` (Actions annotations), `junit` (CI test reports).

mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod shown;

pub use github::render_github;
pub use human::{render_human, render_page, HumanOptions, PageOptions};
pub use json::render_json;
pub use junit::render_junit;
pub use sarif::{render_sarif, ItemAt};

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// `path:line:col: severity[rule_id]: message`, one per line (docs/language.md, output).
pub fn render_short(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = sources.get(d.span.file);
        let (line, col) = file.line_col(d.span.start);
        // one finding, one line: a line feed in a quoted string cannot forge another
        let _ = writeln!(
            out,
            "{}:{line}:{col}: {}[{}]: {}",
            shown::one_line(&file.path.display().to_string()),
            d.severity.as_str(),
            d.rule,
            shown::one_line(&d.message)
        );
    }
    out
}

/// What follows a finding's message in the plain-text formats (GitHub annotations, JUnit
/// cases): each place, the finding's own first, as `path:line:col: label`, and the help, one
/// per line.
pub fn plain_details(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut out = String::new();
    for (span, message) in d.places() {
        let (line, col) = sources.get(span.file).line_col(span.start);
        let _ = write!(
            out,
            "\n{}:{line}:{col}: {message}",
            sources.path(span.file).display(),
        );
    }
    if let Some(help) = &d.help {
        let _ = write!(out, "\nhelp: {help}");
    }
    out
}

/// The closing line of human output.
pub fn summary_line(summary: &crate::diagnostic::Summary) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if summary.errors + summary.warnings + summary.infos == 0 {
        return format!(
            "checked {}: no problems found",
            plural(summary.files, "file")
        );
    }
    let mut parts = Vec::new();
    if summary.errors > 0 {
        parts.push(plural(summary.errors, "error"));
    }
    if summary.warnings > 0 {
        parts.push(plural(summary.warnings, "warning"));
    }
    if summary.infos > 0 {
        parts.push(plural(summary.infos, "note"));
    }
    format!(
        "checked {}: {}",
        plural(summary.files, "file"),
        parts.join(", ")
    )
}
