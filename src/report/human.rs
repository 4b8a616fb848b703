//! `--format human`: miette's graphical reports, with the rule id in the header and labels
//! in other files shown as related reports.

use std::fmt;
use std::fmt::Write as _;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap, Span};

#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    pub color: bool,
    /// Wrap width; fixed in tests so snapshots do not depend on the terminal.
    pub width: usize,
}

/// A secondary label this many lines or fewer from the primary shares its snippet; a
/// farther one gets a snippet of its own rather than quoting everything in between.
const NEAR_LINES: usize = 4;

/// Lines longer than this are not quoted: a 5 MB line must not be printed back.
const MAX_QUOTED_LINE: usize = 400;

/// A file's text as miette source, named by its path.
struct FileSource<'a> {
    file: &'a SourceFile,
}

impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, miette::MietteError> {
        let inner = self.file.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.path.display().to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

struct Report<'a> {
    severity: Severity,
    code: Option<String>,
    message: String,
    help: Option<String>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn quotable(file: &SourceFile, span: Span) -> bool {
    let (line, _) = file.line_col(span.start);
    let (end_line, _) = file.line_col(span.end);
    (line..=end_line).all(|l| file.line_range(l).len() <= MAX_QUOTED_LINE)
}

fn location(file: &SourceFile, span: Span) -> String {
    let (line, col) = file.line_col(span.start);
    format!("{}:{line}:{col}", file.path.display())
}

fn labeled(span: Span, text: Option<String>, primary: bool) -> LabeledSpan {
    let s = SourceSpan::new((span.start as usize).into(), span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, s)
    } else {
        LabeledSpan::new_with_span(text, s)
    }
}

fn build<'a>(sources: &'a SourceMap, d: &Diagnostic) -> Report<'a> {
    let file = sources.get(d.span.file);
    let quote = quotable(file, d.span);
    let mut labels = vec![labeled(d.span, d.label.clone(), true)];
    let mut related = Vec::new();
    let (primary_line, _) = file.line_col(d.span.start);
    for l in &d.labels {
        let lf = sources.get(l.span.file);
        let near = l.span.file == d.span.file
            && lf.line_col(l.span.start).0.abs_diff(primary_line) <= NEAR_LINES;
        if near && quote && quotable(lf, l.span) {
            labels.push(labeled(l.span, Some(l.message.clone()), false));
        } else {
            let q = quotable(lf, l.span);
            related.push(Report {
                severity: Severity::Info,
                code: None,
                message: if q {
                    l.message.clone()
                } else {
                    format!("{}: {}", location(lf, l.span), l.message)
                },
                help: None,
                source: q.then_some(FileSource { file: lf }),
                labels: vec![labeled(l.span, None, true)],
                related: Vec::new(),
            });
        }
    }
    let message = if quote {
        d.message.clone()
    } else {
        format!(
            "{}: {} (the line is too long to show)",
            location(file, d.span),
            d.message
        )
    };
    Report {
        severity: d.severity,
        code: Some(format!("{}[{}]", d.severity.as_str(), d.rule)),
        message,
        help: d.help.clone(),
        source: quote.then_some(FileSource { file }),
        labels,
        related,
    }
}

pub fn render_human(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_context_lines(1)
        .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let report = build(sources, d);
        if handler.render_report(&mut out, &report).is_err() {
            // rendering never fails on our own values; if it did, keep the finding
            out.push_str(&crate::report::render_short(
                sources,
                std::slice::from_ref(d),
            ));
        }
        out.push('\n');
    }
    out
}

/// What the human page shows beyond the findings themselves.
#[derive(Clone, Debug, Default)]
pub struct PageOptions {
    /// List each open question (`undecided`) in full instead of summarising them.
    pub open_questions: bool,
    /// The command as typed, to show how to see what was summarised.
    pub command: String,
}

/// The rule whose findings are the paper's open questions, summarised by default.
const OPEN_QUESTION: &str = "undecided";

/// The whole human output of a check: errors first, then warnings, then notes (each group
/// in the order found), so that a newcomer sees what is wrong on the first screen; the open
/// questions, which can be many, are counted per file unless asked for in full.
pub fn render_page(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
    page: &PageOptions,
) -> String {
    let mut shown: Vec<&Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut open: Vec<(crate::source::FileId, usize)> = Vec::new();
    for d in diagnostics {
        if !page.open_questions && d.rule == OPEN_QUESTION {
            match open.iter_mut().find(|(f, _)| *f == d.span.file) {
                Some((_, n)) => *n += 1,
                None => open.push((d.span.file, 1)),
            }
        } else {
            shown.push(d);
        }
    }
    shown.sort_by_key(|d| d.severity);
    let shown: Vec<Diagnostic> = shown.into_iter().cloned().collect();
    let mut out = render_human(sources, &shown, options);
    if !open.is_empty() {
        out.push_str(&open_questions_summary(sources, &open, &page.command));
    }
    out
}

fn open_questions_summary(
    sources: &SourceMap,
    open: &[(crate::source::FileId, usize)],
    command: &str,
) -> String {
    let total: usize = open.iter().map(|(_, n)| n).sum();
    let mut out = format!(
        "note: {total} open question{} not shown (items whose `tbd` values the paper leaves undecided):\n",
        if total == 1 { "" } else { "s" }
    );
    let width = open
        .iter()
        .map(|(f, _)| sources.path(*f).display().to_string().chars().count())
        .max()
        .unwrap_or(0);
    for (file, n) in open {
        let path = sources.path(*file).display().to_string();
        let _ = writeln!(out, "  {path:<width$}  {n:>4}");
    }
    let _ = writeln!(
        out,
        "  = help: list them with `{command} --open-questions`; hide all notes with `--min-severity warning`\n"
    );
    out
}
