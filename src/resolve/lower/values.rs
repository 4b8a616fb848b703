//! Reading one written value: a string, a number, an amount, a date, a word of a fixed
//! set, a list of names, an item's header.

use super::messages::{clip, unexpected_after};
use std::borrow::Cow;

use super::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::resolve::names::{closest, with_suggestion};
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, Item, Term};
use crate::value::{parse_decimal, Date, Decimal};

/// The names of a list as [`Lowerer::name_list`] reads them.
pub(super) type NameAtoms<'t> = smallvec::SmallVec<[&'t Atom; 2]>;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn string(&mut self, a: &Atom) -> Option<String> {
        match crate::syntax::unescape(self.text(a.span), a.span) {
            Ok(text) => Some(text),
            Err(d) => {
                self.push(*d);
                None
            }
        }
    }

    pub(super) fn kind_mismatch(&self, a: &Atom, expected: &str, what: &str) -> Diagnostic {
        let found = self.text(a.span);
        Diagnostic::error(
            "type_mismatch",
            a.span,
            format!(
                "{what} needs {expected}, found {} `{}`",
                a.kind.describe(),
                clip(found)
            ),
        )
        .with_label(format!("expected {expected}"))
        .with_help(format!(
            "write {expected} here; `tbd` stands for a value not decided yet"
        ))
    }

    pub(super) fn is_word(&self, a: &Atom, w: &str) -> bool {
        matches!(a.kind, AtomKind::Word) && self.text(a.span) == w
    }

    /// The single atom of a one-value field, reporting anything else.
    pub(super) fn single<'t>(&mut self, terms: &'t [Term], what: &str) -> Option<&'t Atom> {
        match terms {
            [t] if t.atoms.len() == 1 && t.key.is_none() => Some(&t.atoms[0]),
            [t, ..] if t.atoms.is_empty() => None,
            [t] => {
                let extra = t.atoms.get(1).unwrap_or(&t.atoms[0]);
                let found = self.text(extra.span);
                let first_is_field = crate::decl::KINDS
                    .iter()
                    .any(|(_, rows, _)| rows.iter().any(|r| r.name == found));
                let mut d = Diagnostic::error(
                    "type_mismatch",
                    extra.span,
                    format!("{what} takes one value"),
                )
                .with_label(format!("unexpected `{}`", clip(found)));
                d = if first_is_field {
                    d.with_help(format!(
                        "if `{found}` starts another field, put it on its own line or after `;`"
                    ))
                } else {
                    d.with_help("give one value, or separate list items with `,` where the field takes a list")
                };
                self.push(d);
                None
            }
            [_, second, ..] => {
                self.push(
                    Diagnostic::error(
                        "type_mismatch",
                        second.span,
                        format!("{what} takes one value, not a list"),
                    )
                    .with_label("unexpected second value")
                    .with_help("keep one value"),
                );
                None
            }
            [] => None,
        }
    }

    pub(super) fn whole_number(&mut self, a: &Atom, what: &str) -> Option<u32> {
        if !matches!(a.kind, AtomKind::Number) || self.text(a.span).contains('.') {
            self.push(self.kind_mismatch(a, "a whole number", what));
            return None;
        }
        if let Ok(n) = crate::value::without_underscores(self.text(a.span)).parse::<u32>() {
            Some(n)
        } else {
            self.push(
                Diagnostic::error("invalid_value", a.span, format!("{what} is too large"))
                    .with_label("more than 4,294,967,295")
                    .with_help("check the number"),
            );
            None
        }
    }

    pub(super) fn decimal(&mut self, a: &Atom, what: &str) -> Option<Decimal> {
        if !matches!(a.kind, AtomKind::Number) {
            self.push(self.kind_mismatch(a, "a number", what));
            return None;
        }
        parse_decimal(self.text(a.span)).or_else(|| {
            self.push(
                Diagnostic::error("invalid_value", a.span, format!("{what} is out of range"))
                    .with_label("too many digits")
                    .with_help("check the number"),
            );
            None
        })
    }

    pub(super) fn money(&mut self, a: &Atom) -> Option<Decimal> {
        if !matches!(a.kind, AtomKind::Money) {
            self.push(self.kind_mismatch(a, "an amount of money such as `£30_000`", "this value"));
            return None;
        }
        let text = &self.text(a.span)[2..]; // `£` is two bytes
        if let Some((_, pence)) = text.split_once('.') {
            if pence.len() != 2 {
                self.push(
                    Diagnostic::error(
                        "invalid_value",
                        a.span,
                        "money has exactly two decimal places",
                    )
                    .with_label(format!(
                        "{} decimal place{}",
                        pence.len(),
                        if pence.len() == 1 { "" } else { "s" }
                    ))
                    .with_help(
                        "write pounds and pence as `£41_850.50`, or whole pounds as `£41_850`",
                    ),
                );
                return None;
            }
        }
        parse_decimal(text)
    }

    pub(super) fn date(&mut self, a: &Atom, what: &str) -> Option<Date> {
        if !matches!(a.kind, AtomKind::Date) {
            self.push(self.kind_mismatch(a, "a date such as `2008-04-01`", what));
            return None;
        }
        match Date::parse(self.text(a.span)) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(
                    Diagnostic::error(
                        "invalid_value",
                        a.span,
                        format!("`{}` is not a real date", self.text(a.span)),
                    )
                    .with_label(e.to_string())
                    .with_help("dates are written `YYYY-MM-DD`, or `YYYY-MM` for a whole month"),
                );
                None
            }
        }
    }

    pub(super) fn enum_atom<T: Copy>(
        &mut self,
        a: &Atom,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        // the options as a message lists them, written out only for a message
        let listed = || {
            options
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !matches!(a.kind, AtomKind::Word) {
            self.push(self.kind_mismatch(a, &format!("one of {}", listed()), what));
            return None;
        }
        let text = self.text(a.span);
        if let Some((_, v)) = options.iter().find(|(n, _)| *n == text) {
            return Some(*v);
        }
        let listed = listed();
        let close = closest(text, options.iter().map(|(n, _)| *n));
        let mut d = Diagnostic::error(
            "invalid_value",
            a.span,
            format!("`{text}` is not a valid value for {what}"),
        )
        .with_label(format!("expected one of {listed}"));
        d = with_suggestion(d, &close, a.span, || format!("{what} is one of {listed}"));
        self.push(d);
        None
    }

    /// A whole list written `tbd`.
    pub(super) fn lone_tbd(&self, terms: &[Term]) -> Option<Span> {
        match terms {
            [t] => match t.atoms.as_slice() {
                [a] if self.is_word(a, "tbd") => Some(a.span),
                _ => None,
            },
            _ => None,
        }
    }

    /// Every atom of a comma list of single names (a list may be bracketed): most hold one
    /// or two, and every post reads one (its `areas`), so they are not allocated.
    pub(super) fn name_list<'t>(&mut self, terms: &'t [Term], what: &str) -> NameAtoms<'t> {
        if let Some(tbd) = self.lone_tbd(terms) {
            self.undecided(tbd, what);
            return NameAtoms::new();
        }
        let mut out = NameAtoms::new();
        for t in terms {
            for (i, a) in t.atoms.iter().enumerate() {
                if let AtomKind::List(inner) = &a.kind {
                    out.extend(self.name_list(inner, what));
                    continue;
                }
                if i > 0 {
                    self.push(
                        Diagnostic::error(
                            "type_mismatch",
                            a.span,
                            format!("expected `,` between the items of {what}"),
                        )
                        .with_label("a second value without a comma")
                        .with_help("separate list items with commas: `a, b, c`"),
                    );
                    break;
                }
                out.push(a);
            }
        }
        out
    }

    /// The name or title written after an item's id, its escapes read (an escape orgspec
    /// does not know is reported, and the name is `None`).
    pub(super) fn title_and_name(&mut self, item: &Item) -> Option<String> {
        self.header_string(item).map(|(_, text)| text.into_owned())
    }

    /// The string token of an item's name or title, its escapes all known, and the text it
    /// reads as (borrowed from the spec when it has no escape); what else its header holds
    /// is reported.
    pub(super) fn header_string(&mut self, item: &Item) -> Option<(Span, Cow<'a, str>)> {
        let header = item.header.as_ref()?;
        let term = header.value.old.first()?;
        let mut name = None;
        // the id comes first; when it is missing (already reported) the name may stand first
        let skip = usize::from(
            term.atoms
                .first()
                .is_some_and(|a| matches!(a.kind, AtomKind::Word)),
        );
        for a in term.atoms.iter().skip(skip) {
            if matches!(a.kind, AtomKind::Str) && name.is_none() {
                let token = self.text(a.span);
                name = crate::value::unescaped(&token[1..token.len() - 1])
                    .ok()
                    .map(|text| (a.span, text));
                if name.is_none() {
                    // reported where the escape is
                    self.string(a);
                }
            } else {
                self.push(unexpected_after(self.src, a, "the item's name"));
                break;
            }
        }
        if let Some(extra) = header.value.old.get(1).or(header
            .value
            .new
            .as_ref()
            .and_then(|n| n.1.first()))
        {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    extra.span,
                    "unexpected value in the item header",
                )
                .with_label("not part of this item")
                .with_help("fields go inside the item's `{ … }` block"),
            );
        }
        if let Some((eq, _)) = header.eq.as_deref() {
            self.push(
                Diagnostic::error("syntax_error", *eq, "unexpected `=` in the item header")
                    .with_label("only `align` uses `=`")
                    .with_help("fields go inside the item's `{ … }` block"),
            );
        }
        name
    }
}
