//! `--format json`: one document, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! The schema is documented in `docs/json-output.md` and kept stable: fields may be added,
//! never renamed or removed, without raising `version`.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Summary};
use crate::source::{SourceMap, Span};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonSpan {
    /// Byte offsets, end exclusive.
    start: u32,
    end: u32,
    /// 1-based; columns count characters (Unicode scalar values).
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonLabel {
    file: String,
    span: JsonSpan,
    message: String,
}

#[derive(Serialize)]
struct JsonEdit {
    file: String,
    span: JsonSpan,
    replacement: String,
}

#[derive(Serialize)]
struct JsonFix {
    description: String,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    file: String,
    span: JsonSpan,
    label: Option<&'a str>,
    labels: Vec<JsonLabel>,
    help: Option<&'a str>,
    fixes: Vec<JsonFix>,
}

fn span(sources: &SourceMap, s: Span) -> JsonSpan {
    let f = sources.get(s.file);
    let (line, column) = f.line_col(s.start);
    let (end_line, end_column) = f.line_col(s.end);
    JsonSpan {
        start: s.start,
        end: s.end,
        line,
        column,
        end_line,
        end_column,
    }
}

fn path(sources: &SourceMap, s: Span) -> String {
    sources.path(s.file).display().to_string()
}

pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic], summary: Summary) -> String {
    let doc = Document {
        version: 1,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                rule: &d.rule,
                severity: d.severity.as_str(),
                message: &d.message,
                file: path(sources, d.span),
                span: span(sources, d.span),
                label: d.label.as_deref(),
                labels: d
                    .labels
                    .iter()
                    .map(|l| JsonLabel {
                        file: path(sources, l.span),
                        span: span(sources, l.span),
                        message: l.message.clone(),
                    })
                    .collect(),
                help: d.help.as_deref(),
                fixes: d
                    .fixes
                    .iter()
                    .map(|f| JsonFix {
                        description: f.description.clone(),
                        edits: f
                            .edits
                            .iter()
                            .map(|e| JsonEdit {
                                file: path(sources, e.span),
                                span: span(sources, e.span),
                                replacement: e.replacement.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        summary,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("diagnostics serialise");
    s.push('\n');
    s
}
