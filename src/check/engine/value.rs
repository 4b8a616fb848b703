//! Run-time values of the rule language.
//!
//! Missing information is a value, not an error: `None` is a field not written (or a
//! post that does not exist on that side), `Unknown` a value written `tbd` or one that
//! cannot be computed (the tiers of two unaligned bodies). Comparisons and arithmetic
//! with `Unknown` give `Unknown`, `and`/`or`/`not` follow three-valued logic, and a
//! `require` that is `Unknown` makes no finding: checks that need a value skip it, as
//! docs/language.md says, and `undecided` lists the open question instead.
//!
//! Uncertainty is a value too. A date is the earliest and the latest day it may be (a
//! month written `2007-06` is any of its thirty days), and a number computed from such
//! dates is a range (`Between`): a comparison is true or false only when it is so for
//! every reading, and unknown otherwise. So a rule reports only what is certainly wrong.

use std::sync::Arc;

use crate::decl::{AgreementIx, AreaIx, GradeIx, OrgIx, PersonIx, PostIx, ServiceIx};
use crate::model::Side;
use crate::source::Span;
use crate::value::Decimal;

#[derive(Clone, Debug)]
pub enum Val<'a> {
    Unknown,
    None,
    Bool(bool),
    Num(Decimal),
    Pct(Decimal),
    Money(Decimal),
    /// Days since 1970-01-01: the earliest and the latest the date may be (the same day
    /// for a date written to the day).
    Date(i64, i64),
    /// A number known to lie between two bounds (days between two uncertain dates, a
    /// figure of the law that changed during an uncertain date).
    /// (Boxed: rare, and two decimals would make every value 16 bytes larger.)
    Between(Box<(Decimal, Decimal)>),
    /// `(scale, level)` of a normalised tier.
    Level(u32, i64),
    /// Text borrowed from the spec or the model.
    Str(&'a str),
    /// Text owned by a rule or a setting.
    Text(Arc<str>),
    Sym(&'a str),
    Post(PostIx, Side),
    Org(OrgIx),
    Area(AreaIx),
    Grade(GradeIx),
    Person(PersonIx),
    Pool(u32),
    Slot(u32),
    Service(ServiceIx),
    Agreement(AgreementIx),
    Event(u32),
    Budget(u32),
    Spec,
    /// A stated proposal (`proposal`), by its place.
    Proposal(u32),
    /// An establishment where redundancies are proposed (`model::redundancies`).
    Establishment(u32),
    /// A table of the law (`std/law.org`), by its place in the library.
    Law(u32),
    /// A statutory role of the catalogue (`vocab::roles::ROLES`), by its place.
    Role(u32),
    /// Share `ix` of a post's `funded` on a side; `u32::MAX` is the implicit 100% of the
    /// employer.
    Share(PostIx, Side, u32),
    Contact(ServiceIx, u32),
    List(Arc<[V<'a>]>),
}

thread_local! {
    /// The empty list, shared: a field a post does not write is read as an empty list on
    /// most reads of a rule, and an empty `Arc<[V]>` of its own is an allocation.
    static EMPTY: Arc<[V<'static>]> = Arc::from([]);
}

/// An empty list, without allocating one.
pub fn empty_list<'a>() -> Arc<[V<'a>]> {
    EMPTY.with(Arc::clone)
}

/// A list of the items given, the shared empty list when there are none (an empty
/// `Arc<[V]>` of its own still allocates its counts).
pub fn list_of<'a>(items: impl ExactSizeIterator<Item = V<'a>>) -> Arc<[V<'a>]> {
    if items.len() == 0 {
        empty_list()
    } else {
        items.collect()
    }
}

/// A value and, when it was read from the spec, where it is written: `at p.reports_to`
/// points at the `reports_to` value, not at the manager's declaration.
#[derive(Clone, Debug)]
pub struct V<'a> {
    pub val: Val<'a>,
    pub at: Option<Span>,
}

impl<'a> V<'a> {
    pub fn bare(val: Val<'a>) -> V<'a> {
        V { val, at: None }
    }

    pub fn at(val: Val<'a>, at: Span) -> V<'a> {
        V { val, at: Some(at) }
    }
}

impl Val<'_> {
    pub fn is_missing(&self) -> bool {
        matches!(self, Val::Unknown | Val::None)
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Val::Str(s) | Val::Sym(s) => Some(s),
            Val::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The decimal of a number-like value known exactly.
    pub fn decimal(&self) -> Option<Decimal> {
        match self {
            Val::Num(d) | Val::Pct(d) | Val::Money(d) => Some(*d),
            _ => None,
        }
    }

    /// The least and the greatest a number-like value or a date may be.
    pub fn bounds(&self) -> Option<(Decimal, Decimal)> {
        match self {
            Val::Num(d) | Val::Pct(d) | Val::Money(d) => Some((*d, *d)),
            Val::Between(r) => Some(**r),
            Val::Date(a, b) => Some((Decimal::from(*a), Decimal::from(*b))),
            _ => None,
        }
    }

    /// A number between two bounds: exact when they meet.
    pub fn between(lo: Decimal, hi: Decimal) -> Val<'static> {
        if lo == hi {
            Val::Num(lo)
        } else {
            Val::Between(Box::new((lo, hi)))
        }
    }

    /// `==` in three-valued logic: `None` for unknown.
    pub fn equals(&self, other: &Val) -> Option<bool> {
        use Val as X;
        Some(match (self, other) {
            (X::Unknown, _) | (_, X::Unknown) => return None,
            (X::None, X::None) | (X::Spec, X::Spec) => true,
            (X::None, _) | (_, X::None) => false,
            (X::Bool(a), X::Bool(b)) => a == b,
            (X::Level(s, a), X::Level(t, b)) => {
                if s != t {
                    return None;
                }
                a == b
            }
            (X::Post(a, _), X::Post(b, _)) => a == b,
            (X::Org(a), X::Org(b)) => a == b,
            (X::Area(a), X::Area(b)) => a == b,
            (X::Grade(a), X::Grade(b)) => a == b,
            (X::Person(a), X::Person(b)) => a == b,
            (X::Pool(a), X::Pool(b))
            | (X::Law(a), X::Law(b))
            | (X::Role(a), X::Role(b))
            | (X::Proposal(a), X::Proposal(b))
            | (X::Establishment(a), X::Establishment(b))
            | (X::Slot(a), X::Slot(b))
            | (X::Event(a), X::Event(b))
            | (X::Budget(a), X::Budget(b)) => a == b,
            (X::Service(a), X::Service(b)) => a == b,
            (X::Agreement(a), X::Agreement(b)) => a == b,
            (X::Share(post, side, ix), X::Share(other, other_side, other_ix)) => {
                post == other && side == other_side && ix == other_ix
            }
            (X::Contact(a, i), X::Contact(b, j)) => a == b && i == j,
            // the commonest of the comparisons below, without reading bounds or text
            (X::Num(a), X::Num(b)) | (X::Pct(a), X::Pct(b)) | (X::Money(a), X::Money(b)) => a == b,
            (X::Sym(a) | X::Str(a), X::Sym(b) | X::Str(b)) => a == b,
            (X::List(a), X::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut all = Some(true);
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.val.equals(&y.val) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                return all;
            }
            (a, b) => match (a.bounds(), b.bounds(), a.text(), b.text()) {
                // equal for every reading only when both are one and the same value
                (Some((a1, a2)), Some((b1, b2)), ..) => {
                    if a2 < b1 || b2 < a1 {
                        false
                    } else if a1 == a2 && b1 == b2 {
                        true
                    } else {
                        return None;
                    }
                }
                (_, _, Some(x), Some(y)) => x == y,
                _ => false,
            },
        })
    }

    /// `self < other` (or `<=`) for every reading of both: `Some(true)` when it holds for
    /// all, `Some(false)` when it holds for none, `None` when it depends or they cannot be
    /// compared.
    pub fn less(&self, other: &Val, or_equal: bool) -> Option<bool> {
        match (self, other) {
            (Val::Level(s, a), Val::Level(t, b)) => {
                return (s == t).then_some(if or_equal { a <= b } else { a < b });
            }
            // two exact numbers (`p.tier > 3`, `p.displaced > 0`): one comparison, not the
            // two of their bounds
            (Val::Num(a), Val::Num(b))
            | (Val::Pct(a), Val::Pct(b))
            | (Val::Money(a), Val::Money(b)) => {
                return Some(if or_equal { a <= b } else { a < b });
            }
            // days (a month is its first and last): compared as days, not as decimals
            (Val::Date(a1, a2), Val::Date(b1, b2)) => {
                return ranges_less((a1, a2), (b1, b2), or_equal);
            }
            _ => {}
        }
        let (a1, a2) = self.bounds()?;
        let (b1, b2) = other.bounds()?;
        ranges_less((&a1, &a2), (&b1, &b2), or_equal)
    }
}

/// Whether every value of one range is below (or at most) every value of another: true
/// when so for every reading, false when so for none, unknown when the ranges overlap.
fn ranges_less<T: PartialOrd>(
    (a1, a2): (&T, &T),
    (b1, b2): (&T, &T),
    or_equal: bool,
) -> Option<bool> {
    let (all, none) = if or_equal {
        (a2 <= b1, a1 > b2)
    } else {
        (a2 < b1, a1 >= b2)
    };
    if all {
        Some(true)
    } else if none {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order of two values read from their bounds, as every pair was before exact
    /// numbers and days were compared directly.
    fn by_bounds(a: &Val, b: &Val, or_equal: bool) -> Option<bool> {
        let (a1, a2) = a.bounds()?;
        let (b1, b2) = b.bounds()?;
        ranges_less((&a1, &a2), (&b1, &b2), or_equal)
    }

    #[test]
    fn numbers_and_days_compare_as_their_bounds_do() {
        let n = |x: i64| Val::Num(Decimal::from(x));
        let values = [
            n(-1),
            n(0),
            n(3),
            Val::Num(Decimal::new(35, 1)),
            Val::between(Decimal::from(2), Decimal::from(4)),
            Val::Pct(Decimal::from(50)),
            Val::Pct(Decimal::from(20)),
            Val::Money(Decimal::from(100)),
            Val::Money(Decimal::new(10_001, 2)),
            // a day, another, and a month holding the first
            Val::Date(100, 100),
            Val::Date(130, 130),
            Val::Date(91, 120),
            Val::Date(121, 151),
        ];
        for a in &values {
            for b in &values {
                let same_kind = std::mem::discriminant(a) == std::mem::discriminant(b);
                if !same_kind {
                    continue;
                }
                for or_equal in [false, true] {
                    assert_eq!(
                        a.less(b, or_equal),
                        by_bounds(a, b, or_equal),
                        "{a:?} {} {b:?}",
                        if or_equal { "<=" } else { "<" }
                    );
                }
            }
        }
        // equality, against the reading of bounds and text every pair had before
        let words = [Val::Sym("council"), Val::Str("council"), Val::Sym("nhs")];
        for a in values.iter().chain(&words) {
            for b in values.iter().chain(&words) {
                let expected = match (a.bounds(), b.bounds(), a.text(), b.text()) {
                    (Some((a1, a2)), Some((b1, b2)), ..) => {
                        if a2 < b1 || b2 < a1 {
                            Some(false)
                        } else {
                            (a1 == a2 && b1 == b2).then_some(true)
                        }
                    }
                    (_, _, Some(x), Some(y)) => Some(x == y),
                    _ => Some(false),
                };
                assert_eq!(a.equals(b), expected, "{a:?} == {b:?}");
            }
        }
        // a day inside a month is neither certainly before it nor certainly not
        assert_eq!(Val::Date(100, 100).less(&Val::Date(91, 120), false), None);
    }
}
