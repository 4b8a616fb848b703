//! How a value of each shape is read ([`Lower`], [`Element`]): numbers within their
//! bounds, money, dates, strings, words, grades, holders, reasons, roles, fallbacks,
//! funding shares and service contacts.

use super::fields::{Element, Lower};
use super::Lowerer;
use crate::decl::{
    Contact, Fallback, Flag, GradeIx, GradeSpec, Headcount, Holder, Known, Money, Outcome, Percent,
    PersonIx, Reason, Ref, Role, Share, Spanned, Text, Why, Word, Words,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::names::{closest, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, Term};
use crate::value::{parse_decimal, Date, Decimal};
use crate::vocab::roles::{role_info, role_words};
use crate::vocab::{FieldRow, Namespace};

impl Lowerer<'_, '_> {
    /// Whether a number is within its row's bounds; reports it when it is not.
    fn within_bounds(&mut self, a: &Atom, value: Decimal, row: &FieldRow) -> bool {
        let Some(b) = row.bounds else { return true };
        let min = Decimal::from(b.min);
        let low = if b.min_exclusive {
            value <= min
        } else {
            value < min
        };
        let high = b.max.is_some_and(|max| value > Decimal::from(max));
        if low || high {
            let text = self.text(a.span);
            self.push(
                Diagnostic::error("invalid_value", a.span, b.message.replace("{}", text))
                    .with_label(b.label.replace("{}", text))
                    .with_help(b.help.replace("{}", text)),
            );
            return false;
        }
        true
    }
}

/// A whole number in a list (`tiers_removed 2, 4`).
impl Element for u32 {
    fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
        let n = l.whole_number(a, row.what)?;
        l.within_bounds(a, Decimal::from(n), row).then_some(n)
    }
}

impl Lower for u32 {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        let n = l.whole_number(a, row.what)?;
        l.within_bounds(a, Decimal::from(n), row)
            .then_some((n, a.span))
    }
}

/// `118`, or `at least 118` where a paper gives a lower bound.
impl Lower for Headcount {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let at_least = match terms {
            [t] => {
                matches!(t.atoms.as_slice(), [a, b, _] if l.is_word(a, "at") && l.is_word(b, "least"))
            }
            _ => false,
        };
        if at_least {
            let t = &terms[0];
            let n = l.whole_number(&t.atoms[2], row.what)?;
            return Some((
                Headcount {
                    people: n,
                    at_least: true,
                },
                t.span,
            ));
        }
        let a = l.single(terms, row.what)?;
        let n = l.whole_number(a, row.what)?;
        Some((
            Headcount {
                people: n,
                at_least: false,
            },
            a.span,
        ))
    }
}

impl Lower for Decimal {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        let d = l.decimal(a, row.what)?;
        l.within_bounds(a, d, row).then_some((d, a.span))
    }
}

impl Lower for Money {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        Some((Money(l.money(a)?), a.span))
    }
}

impl Lower for Percent {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        if !matches!(a.kind, AtomKind::Percent) {
            l.push(l.kind_mismatch(a, "a percentage such as `28%`", row.what));
            return None;
        }
        let text = l.text(a.span);
        let p = parse_decimal(&text[..text.len() - 1])?;
        if p > Decimal::ONE_HUNDRED {
            l.push(
                Diagnostic::error(
                    "invalid_value",
                    a.span,
                    format!("{} is more than the whole", crate::value::percent(p)),
                )
                .with_label("at most 100%")
                .with_help(format!(
                    "{} is a share of pay: write it as a percentage from 0% to 100%",
                    row.what
                )),
            );
            return None;
        }
        Some((Percent(p), a.span))
    }
}

impl Lower for Date {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        Some((l.date(a, row.what)?, a.span))
    }
}

impl Lower for Text {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        if !matches!(a.kind, AtomKind::Str) {
            l.push(l.kind_mismatch(a, row.expected.unwrap_or("a string"), row.what));
            return None;
        }
        Some((Text(l.string(a)?.into()), a.span))
    }
}

impl Lower for Word {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        if !matches!(a.kind, AtomKind::Word) {
            l.push(l.kind_mismatch(a, row.expected.unwrap_or("a name"), row.what));
            return None;
        }
        Some((Word(l.text(a.span).into()), a.span))
    }
}

impl Lower for Flag {
    /// A flag takes no value: one written is reported, and the flag still stands.
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let first = terms.first()?.span;
        let span = first.to(terms.last().map_or(first, |t| t.span));
        l.push(
            Diagnostic::error(
                "type_mismatch",
                span,
                format!("`{}` takes no value", row.name),
            )
            .with_label("unexpected")
            .with_help(format!("write `{}` alone: {}", row.name, row.doc())),
        );
        Some((Flag, span))
    }

    fn alone(_span: Span) -> Option<Self> {
        Some(Flag)
    }
}

impl Lower for GradeSpec {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let a = l.single(terms, row.what)?;
        // Grades resolve against the employer's table once the employer is known
        // (`regrade_by_employer`): here each named grade must exist for some employer.
        let one = |l: &mut Lowerer, g: &Atom| -> Option<GradeIx> {
            if !matches!(g.kind, AtomKind::Word) {
                l.push(l.kind_mismatch(g, "a grade such as `PO15`", row.what));
                return None;
            }
            l.reference(g, &[Namespace::Grade], row.what)
                .map(|(_, i)| GradeIx(i))
        };
        let spec = match &a.kind {
            AtomKind::Range(ends) => {
                let (lo, hi) = (one(l, &ends[0]), one(l, &ends[1]));
                GradeSpec::Between(lo?, hi?)
            }
            _ => GradeSpec::One(one(l, a)?),
        };
        Some((spec, a.span))
    }
}

impl Lower for Holder {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let list = l.name_list(terms, row.what);
        let first = *list.first()?;
        if l.is_word(first, "vacant") {
            return Some((Holder::Vacant, first.span));
        }
        let mut holder = None;
        for a in &list {
            match a.kind {
                AtomKind::Str => {
                    l.string(a);
                    holder.get_or_insert(Holder::Named);
                }
                _ => {
                    if let Some((_, i)) = l.reference(a, &[Namespace::Person], row.what) {
                        holder.get_or_insert(Holder::Person(PersonIx(i)));
                    }
                }
            }
        }
        Some((holder?, first.span))
    }

    /// `holder none`: nobody holds the post on this side.
    fn none(span: Span) -> Known<Self> {
        Known::Given(Holder::Vacant, span)
    }
}

/// A reason: a word of the set, or a reason given in words.
impl Element for Why {
    fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
        if matches!(a.kind, AtomKind::Str) {
            return Some(Why::Text(l.string(a)?.into()));
        }
        l.enum_atom(a, row.what, Reason::WORDS).map(Why::Reason)
    }
}

impl Element for Ref {
    fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
        l.reference(a, row.namespaces, row.what)
            .map(|(namespace, index)| Ref { namespace, index })
    }
}

/// A statutory role orgspec knows, or a local role that is not a misspelling of one.
impl Element for Role {
    fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
        if !matches!(a.kind, AtomKind::Word) {
            l.push(l.kind_mismatch(a, row.expected.unwrap_or("a role"), row.what));
            return None;
        }
        let role = l.text(a.span);
        if role_info(role).is_none() {
            let close = closest(role, role_words());
            if let Some(&best) = close.first() {
                l.push(
                    Diagnostic::error(
                        "unknown_name",
                        a.span,
                        format!("unknown statutory role `{role}`"),
                    )
                    .with_label("not a role orgspec knows, and close to one it does")
                    .with_help(did_you_mean(&close).unwrap_or_default())
                    .with_fix(format!("replace with `{best}`"), a.span, best),
                );
                return None;
            }
        }
        Some(Role(role.into()))
    }
}

/// A post, or an outcome (`redeployment`, `vr`, `er`) unless a post has that name.
impl Element for Fallback {
    fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
        let text = l.text(a.span);
        match Outcome::from_word(text) {
            Some(o) if l.names.get(Namespace::Post, text).is_none() => Some(Fallback::Outcome(o)),
            _ => l.post_ref(a, row.what).map(Fallback::Post),
        }
    }
}

/// `funded sbc 50%, ntpct tbd`: each funder and its share. A share that cannot be read is
/// reported where it is; the list is then not summed, so one misspelt funder is one
/// finding, not two. The findings about a whole list point at its `funded`.
impl Lower for Vec<Share> {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let mut shares = Vec::new();
        let before = l.diagnostics.len();
        for t in terms {
            match t.atoms.as_slice() {
                [org, pct] if matches!(pct.kind, AtomKind::Percent) => {
                    let Some(o) = l.resolve_org_atom(org, row.name) else {
                        continue;
                    };
                    let text = l.text(pct.span);
                    let Some(p) = parse_decimal(&text[..text.len() - 1]) else {
                        continue;
                    };
                    if p > Decimal::ONE_HUNDRED || p.is_zero() {
                        l.push(
                            Diagnostic::error("invalid_value", pct.span, format!("a funding share of {} is not possible", crate::value::percent(p)))
                                .with_label("a share is more than 0% and at most 100%")
                                .with_help("write each funder's share of the post's cost, e.g. `funded sbc 50%, ntpct 50%`"),
                        );
                        continue;
                    }
                    shares.push(Share {
                        org: o,
                        percent: Some(p),
                        span: t.span,
                        org_span: org.span,
                    });
                }
                [org, pct] if l.is_word(pct, "tbd") => {
                    let Some(o) = l.resolve_org_atom(org, row.name) else {
                        continue;
                    };
                    l.undecided(
                        pct.span,
                        &format!("the share paid by `{}`", l.text(org.span)),
                    );
                    shares.push(Share {
                        org: o,
                        percent: None,
                        span: t.span,
                        org_span: org.span,
                    });
                }
                [org, number]
                    if matches!(org.kind, AtomKind::Word)
                        && matches!(number.kind, AtomKind::Number) =>
                {
                    // `funded sbc 50`: the `%` left out
                    let written = l.text(number.span);
                    l.push(
                        Diagnostic::error(
                            "type_mismatch",
                            number.span,
                            format!("the share `{written}` has no `%`: orgspec writes `{written}%`"),
                        )
                        .with_label(format!("write `{written}%`"))
                        .with_help("a funding share is a percentage of the post's cost, written with `%`: `funded sbc 50%, ntpct 50%`")
                        .with_fix(format!("write `{written}%`"), number.span, format!("{written}%")),
                    );
                }
                [org] if matches!(org.kind, AtomKind::Word) && l.text(org.span) != "tbd" => {
                    l.push(
                        Diagnostic::error(
                            "type_mismatch",
                            t.span,
                            format!("`{}` has no share", l.text(org.span)),
                        )
                        .with_label("expected `ORG PERCENT`")
                        .with_help("give each funder's share, e.g. `funded sbc 50%, ntpct 50%`"),
                    );
                }
                [_, _, third, ..] => {
                    l.push(
                        Diagnostic::error(
                            "type_mismatch",
                            third.span,
                            "expected `,` between funding shares",
                        )
                        .with_label("a new share starts here")
                        .with_help("separate shares with commas: `funded sbc 50%, ntpct 50%`"),
                    );
                }
                _ => {
                    l.push(
                        Diagnostic::error(
                            "type_mismatch",
                            t.span,
                            "a funding share is an org and a percentage",
                        )
                        .with_label("expected `ORG PERCENT`")
                        .with_help("e.g. `funded sbc 50%, ntpct 50%`"),
                    );
                }
            }
        }
        let unreadable = l.diagnostics[before..]
            .iter()
            .any(|d| d.severity == Severity::Error);
        (!shares.is_empty() && !unreadable).then_some((shares, l.field_name))
    }
}

/// `contacts north: lead_n, central: [lead_c, deputy_c]`: each locality's contact posts.
impl Lower for Vec<Contact> {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        let mut contacts = Vec::new();
        for t in terms {
            let Some(key) = t.key else {
                l.push(
                    Diagnostic::error(
                        "type_mismatch",
                        t.span,
                        "a contact is a locality and its posts",
                    )
                    .with_label("expected `AREA: POST`")
                    .with_help(
                        "e.g. `contacts north: portage_lead_n, central: [lead_c, deputy_c]`",
                    ),
                );
                continue;
            };
            let key_atom = Atom {
                kind: AtomKind::Word,
                span: key,
            };
            let Some((_, area)) = l.reference(&key_atom, &[Namespace::Area], "a contact") else {
                continue;
            };
            let mut posts = Vec::new();
            let value = Term {
                key: None,
                atoms: t.atoms.clone(),
                span: t.span,
            };
            for a in l.name_list(std::slice::from_ref(&value), row.what) {
                if let Some(p) = l.post_ref(a, row.what) {
                    posts.push(Spanned {
                        value: p,
                        span: a.span,
                    });
                }
            }
            contacts.push(Contact {
                area: Spanned {
                    value: crate::decl::AreaIx(area),
                    span: key,
                },
                posts,
            });
        }
        let first = terms.first()?.span;
        Some((contacts, first.to(terms.last().map_or(first, |t| t.span))))
    }
}
