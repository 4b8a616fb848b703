//! `--format human`: miette's graphical reports, with the rule id in the header and labels
//! in other files shown as related reports.

use std::fmt;
use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap, Span};

use super::shown::{self, ShownFile};

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

/// Each file's shown text (escaped for the terminal, see `shown.rs`), made when a
/// finding first quotes it.
struct Shown<'a> {
    sources: &'a SourceMap,
    files: Vec<std::cell::OnceCell<ShownFile<'a>>>,
}

impl<'a> Shown<'a> {
    fn new(sources: &'a SourceMap) -> Shown<'a> {
        Shown {
            sources,
            files: (0..sources.len())
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    fn file(&self, id: crate::source::FileId) -> &ShownFile<'a> {
        self.files[id.0 as usize].get_or_init(|| ShownFile::new(self.sources.get(id)))
    }
}

struct Report<'a> {
    severity: Severity,
    code: Option<String>,
    message: String,
    help: Option<String>,
    source: Option<&'a ShownFile<'a>>,
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
        self.source.map(|s| s as &dyn SourceCode)
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
    format!(
        "{}:{line}:{col}",
        shown::one_line(&file.path.display().to_string())
    )
}

/// A label at `span` of `file`, placed in the file's shown text.
fn labeled(file: &ShownFile, span: Span, text: Option<&str>, primary: bool) -> LabeledSpan {
    let start = file.offset(span.start as usize);
    let s = SourceSpan::new(start.into(), file.offset(span.end as usize) - start);
    let text = text.map(|t| shown::one_line(t).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, s)
    } else {
        LabeledSpan::new_with_span(text, s)
    }
}

/// A finding as miette renders it, and the places far from it: each run of nearby places
/// is quoted as a snippet of its own after the finding's (not as a separate "Advice"),
/// and a place on a line too long to quote is named in a note.
struct Built<'a> {
    report: Report<'a>,
    far: Vec<Report<'a>>,
    notes: Vec<String>,
}

fn build<'a>(sources: &'a SourceMap, shown: &'a Shown<'a>, d: &Diagnostic) -> Built<'a> {
    let file = sources.get(d.span.file);
    let quote = quotable(file, d.span);
    let mut labels = vec![labeled(
        shown.file(d.span.file),
        d.span,
        d.label.as_deref(),
        true,
    )];
    let mut far: Vec<&crate::diagnostic::Label> = Vec::new();
    let mut notes = Vec::new();
    let (primary_line, _) = file.line_col(d.span.start);
    for l in &d.labels {
        let lf = sources.get(l.span.file);
        let near = l.span.file == d.span.file
            && lf.line_col(l.span.start).0.abs_diff(primary_line) <= NEAR_LINES;
        if !quotable(lf, l.span) {
            notes.push(format!(
                "{}: {}",
                location(lf, l.span),
                shown::one_line(&l.message)
            ));
        } else if near && quote {
            labels.push(labeled(
                shown.file(l.span.file),
                l.span,
                Some(&l.message),
                false,
            ));
        } else {
            far.push(l);
        }
    }
    // runs of places in one file, each within a few lines of the one before
    far.sort_by_key(|l| (l.span.file != d.span.file, l.span.file, l.span.start));
    let mut runs: Vec<(Span, Vec<LabeledSpan>, usize)> = Vec::new();
    for l in far {
        let lf = sources.get(l.span.file);
        let line = lf.line_col(l.span.start).0;
        let label = labeled(shown.file(l.span.file), l.span, Some(&l.message), true);
        match runs.last_mut() {
            Some((first, run, last))
                if first.file == l.span.file && line.abs_diff(*last) <= NEAR_LINES =>
            {
                run.push(label);
                *last = line;
            }
            _ => runs.push((l.span, vec![label], line)),
        }
    }
    let far = runs
        .into_iter()
        .map(|(first, labels, _)| Report {
            severity: Severity::Info,
            code: None,
            message: String::new(),
            help: None,
            source: Some(shown.file(first.file)),
            labels,
            related: Vec::new(),
        })
        .collect();
    let message = if quote {
        shown::one_line(&d.message).into_owned()
    } else {
        format!(
            "{}: {} (the line is too long to show)",
            location(file, d.span),
            shown::one_line(&d.message)
        )
    };
    Built {
        report: Report {
            severity: d.severity,
            code: Some(format!("{}[{}]", d.severity.as_str(), d.rule)),
            message,
            help: d.help.as_deref().map(|h| shown::lines(h).into_owned()),
            source: quote.then(|| shown.file(d.span.file)),
            labels,
            related: Vec::new(),
        },
        far,
        notes,
    }
}

/// A line without its colour codes.
fn visible(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Render one finding: its own snippet, then the snippets of the places far from it, then
/// its notes and help.
fn render_one(handler: &GraphicalReportHandler, built: &Built, out: &mut String) -> fmt::Result {
    let mut main = String::new();
    handler.render_report(&mut main, &built.report)?;
    let mut extra = String::new();
    for r in &built.far {
        let mut snippet = String::new();
        handler.render_report(&mut snippet, r)?;
        // the snippet alone: from its `╭─[file:line:col]` on
        let mut at = 0;
        for line in snippet.split_inclusive('\n') {
            if visible(line).trim_start().starts_with('╭') {
                break;
            }
            at += line.len();
        }
        extra.push_str(snippet[at..].trim_end_matches('\n'));
        extra.push('\n');
    }
    for note in &built.notes {
        let _ = writeln!(extra, "  note: {note}");
    }
    // before the help, which closes the finding
    let mut help_at = main.trim_end_matches('\n').len();
    let mut at = 0;
    for line in main.split_inclusive('\n') {
        if visible(line).starts_with("  help:") {
            help_at = at;
        }
        at += line.len();
    }
    if help_at == main.trim_end_matches('\n').len() && !extra.is_empty() {
        main.truncate(help_at);
        main.push('\n');
        help_at = main.len();
    }
    out.push_str(&main[..help_at]);
    out.push_str(&extra);
    out.push_str(&main[help_at..]);
    Ok(())
}

pub fn render_human(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    options: HumanOptions,
) -> String {
    let all: Vec<&Diagnostic> = diagnostics.iter().collect();
    render_each(sources, &all, options)
}

/// [`render_human`] of findings held by reference (the page orders them without copying).
fn render_each(sources: &SourceMap, diagnostics: &[&Diagnostic], options: HumanOptions) -> String {
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
    let shown = Shown::new(sources);
    for d in diagnostics {
        let built = build(sources, &shown, d);
        if render_one(&handler, &built, &mut out).is_err() {
            // rendering never fails on our own values; if it did, keep the finding
            out.push_str(&crate::report::render_short(
                sources,
                std::slice::from_ref(*d),
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
    let mut out = render_each(sources, &shown, options);
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
