//! The one diagnostic value every stage produces and every output format renders.
//!
//! Conventions (after cedar, Elm and rustc): the message is one line, lowercase, with no
//! final period, user input in backticks; the primary label says what is wrong *here*;
//! secondary labels name the other places involved; `help` says how to fix it, in words a
//! council HR officer would use.

use std::borrow::Cow;

use serde::Serialize;

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A secondary place involved in a finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One text replacement that is part of a fix.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A fix the checker can state exactly (an editor can apply it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The stable rule id (`funding_sum`), normative: tools match on it.
    pub rule: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// What the primary span shows, in a few words.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// Each place the finding names with its label: its own first (when labelled), then the
    /// others, as reports list them.
    pub fn places(&self) -> impl Iterator<Item = (Span, &str)> {
        self.label
            .as_deref()
            .map(|label| (self.span, label))
            .into_iter()
            .chain(self.labels.iter().map(|l| (l.span, l.message.as_str())))
    }

    pub fn new(
        rule: impl Into<Cow<'static, str>>,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity,
            message: message.into(),
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    pub fn error(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, Severity::Error, span, message)
    }

    pub fn warning(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, Severity::Warning, span, message)
    }

    pub fn info(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, Severity::Info, span, message)
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_fix(
        mut self,
        description: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Diagnostic {
        self.fixes.push(Fix {
            description: description.into(),
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        });
        self
    }

    /// The order findings are reported in: by file, then position, then rule.
    pub fn sort_key(&self) -> (u32, u32, u32, &str, &str) {
        (
            self.span.file.0,
            self.span.start,
            self.span.end,
            &self.rule,
            &self.message,
        )
    }
}

/// Counts of a run, for the summary line and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
}

impl Summary {
    pub fn count(diagnostics: &[Diagnostic], files: usize) -> Summary {
        let mut s = Summary {
            files,
            ..Summary::default()
        };
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}
