//! The diagnostics several kinds of item give, and the `undecided` notes: one per item,
//! listing its open questions.

use super::Lowerer;
use crate::decl::Known;
use crate::diagnostic::Diagnostic;
use crate::resolve::names::{closest, with_suggestion};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Atom, AtomKind, Item, Term};
use crate::vocab::Namespace;

impl Lowerer<'_, '_> {
    /// Note a `tbd`; the notes of one item are reported together by [`Self::flush_undecided`].
    pub(super) fn undecided(&mut self, span: Span, what: &str) {
        self.open_questions
            .push((span, what.to_string(), format!("{what}: `tbd`")));
    }

    /// Note an open question the spec leaves unsaid (not written `tbd`), labelled at `span`.
    pub(super) fn unsaid(&mut self, span: Span, what: &str, label: &str) {
        self.open_questions
            .push((span, what.to_string(), label.to_string()));
    }

    /// One `undecided` note per item: its open questions, each `tbd` labelled.
    pub(super) fn flush_undecided(&mut self, item: &Item) {
        if self.open_questions.is_empty() {
            return;
        }
        let questions = std::mem::take(&mut self.open_questions);
        let subject = self.subject(item);
        let whats: Vec<&str> = questions.iter().map(|(_, w, _)| w.as_str()).collect();
        let list = match whats.as_slice() {
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => unreachable!("not empty"),
        };
        let verb = if whats.len() == 1 { "is" } else { "are" };
        let (first_span, _, first_label) = &questions[0];
        let all_tbd = questions.iter().all(|(_, _, l)| l.ends_with(": `tbd`"));
        let mut d = Diagnostic::info(
            "undecided",
            *first_span,
            format!("{subject}: {list} {verb} not decided yet"),
        )
        .with_label(first_label.clone())
        .with_help(if all_tbd {
            "an open question of the paper: replace `tbd` with the value once it is decided"
        } else {
            "open questions of the paper: write each once it is decided"
        });
        for (span, _, label) in &questions[1..] {
            d = d.with_secondary(*span, label.clone());
        }
        self.push(d);
    }

    /// "post `head_ops`", "the timeline": what an item is, for messages about it.
    pub(super) fn subject(&self, item: &Item) -> String {
        let kind = self.text(item.kind);
        if kind == "timeline" {
            return "the timeline".into();
        }
        match item.first_atom() {
            Some(a) if matches!(a.kind, AtomKind::Word) => {
                format!("{kind} `{}`", self.text(a.span))
            }
            _ => format!("this `{kind}`"),
        }
    }
}

/// The value of a field whose value was written but could not be read (already reported).
pub(super) fn written<T>(terms: &[Term]) -> Known<T> {
    terms
        .first()
        .map_or(Known::Absent, |t| Known::Invalid(t.span))
}

/// "a" or "an" before a noun.
pub(super) fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

pub(super) fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub(super) fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(39).collect::<String>())
    } else {
        s.to_string()
    }
}

pub(super) fn duplicate(ns: Namespace, name: &str, second: Span, first: Span) -> Diagnostic {
    Diagnostic::error(
        "duplicate_name",
        second,
        format!(
            "{} {} called `{name}` is declared twice",
            ns.article(),
            ns.noun()
        ),
    )
    .with_label("declared again here")
    .with_secondary(first, "first declared here")
    .with_help(format!(
        "give each {} its own id; if both describe the same {}, delete one",
        ns.noun(),
        ns.noun()
    ))
}

pub(super) fn unknown_field(name: &str, span: Span, allowed: &[&str], kind: &str) -> Diagnostic {
    let a = article(kind);
    // a timeline's lines are entries of a kind, not fields
    let (message, label, listing) = if kind == "timeline" {
        (
            format!("`{name}` is not a kind of timeline entry"),
            "not a timeline entry kind".to_string(),
            "the kinds of timeline entry are",
        )
    } else {
        (
            format!("unknown field `{name}` on {a} {kind}"),
            format!("{a} {kind} has no field `{name}`"),
            "",
        )
    };
    let d = Diagnostic::error("unknown_field", span, message).with_label(label);
    let close = closest(name, allowed.iter().copied());
    let quoted = || {
        allowed
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    with_suggestion(d, &close, span, || {
        if allowed.is_empty() {
            format!("{a} {kind} takes no fields")
        } else if listing.is_empty() {
            format!("the fields of {a} {kind} are {}", quoted())
        } else {
            format!("{listing} {}", quoted())
        }
    })
}

pub(super) fn unexpected_after(src: &SourceMap, a: &Atom, after: &str) -> Diagnostic {
    Diagnostic::error(
        "syntax_error",
        a.span,
        format!("unexpected `{}` after {after}", clip(src.slice(a.span))),
    )
    .with_label("not expected here")
    .with_help("fields go inside the item's `{ … }` block, one per line")
}
