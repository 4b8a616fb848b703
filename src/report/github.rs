//! `--format github`: GitHub Actions workflow commands, one per finding, so each shows as
//! an annotation on its line of the pull request:
//! `::error file=a.org,line=3,col=5,endLine=3,endColumn=12,title=funding_sum::message`.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// The message of a workflow command: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render_github(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let file = sources.get(d.span.file);
        let (line, col) = file.line_col(d.span.start);
        let (end_line, end_col) = file.line_col(d.span.end);
        let message = format!("{}{}", d.message, super::plain_details(sources, d));
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            property(&file.path.display().to_string()),
            property(&format!("orgspec {}", d.rule)),
            data(&message)
        );
    }
    out
}
