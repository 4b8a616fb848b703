//! `sum`, `min` and `max`: folding values one at a time, for the builtins, the
//! comprehensions (`sum(r in p.direct_reports: r.count)`) and the projections folded as
//! they are read (`sum(p.direct_reports.count)`).

use super::builtins::Builtin;
use super::eval::arithmetic;
use super::value::{Val, V};
use crate::syntax::ast::BinaryOp;
use crate::value::Decimal;
use crate::vocab::Base;

/// `sum`, `min` or `max` of values: unknown if any is, `none` ignored.
pub(super) fn fold<'a>(op: Builtin, items: &[V<'a>], zero: Base) -> Val<'a> {
    let mut folding = Folding::new(op);
    for item in items {
        if !folding.add(&item.val) {
            break;
        }
    }
    folding.finish(zero)
}

/// A `sum`, `min` or `max` taken one value at a time.
pub(super) struct Folding<'a> {
    op: Builtin,
    acc: Option<Val<'a>>,
    unknown: bool,
}

impl<'a> Folding<'a> {
    pub(super) fn new(op: Builtin) -> Folding<'a> {
        Folding {
            op,
            acc: None,
            unknown: false,
        }
    }

    /// Take one more value; `false` once the result is unknown, whatever follows.
    pub(super) fn add(&mut self, v: &Val<'a>) -> bool {
        match v {
            Val::Unknown => self.unknown = true,
            Val::None => {}
            v => match (self.op, self.acc.take()) {
                (_, None) => self.acc = Some(v.clone()),
                (Builtin::Sum, Some(a)) => self.acc = Some(arithmetic(BinaryOp::Add, &a, v)),
                (_, Some(a)) => match extreme(self.op == Builtin::Min, &a, v) {
                    Some(e) => self.acc = Some(e),
                    None => self.unknown = true,
                },
            },
        }
        !self.unknown
    }

    pub(super) fn finish(self, zero: Base) -> Val<'a> {
        match (self.unknown, self.acc, self.op) {
            (true, ..) => Val::Unknown,
            (false, Some(v), _) => v,
            (false, None, Builtin::Sum) => match zero {
                Base::Pct => Val::Pct(Decimal::ZERO),
                Base::Money => Val::Money(Decimal::ZERO),
                _ => Val::Num(Decimal::ZERO),
            },
            (false, None, _) => Val::None,
        }
    }
}

/// The least (or greatest) of two values, for every reading: of two ranges, the range from
/// the least of their lows to the least of their highs. `None` when they cannot be ordered.
fn extreme<'a>(least: bool, left: &Val<'a>, right: &Val<'a>) -> Option<Val<'a>> {
    let pick = |x: Decimal, y: Decimal| if least { x.min(y) } else { x.max(y) };
    let pick_day = |x: i64, y: i64| if least { x.min(y) } else { x.max(y) };
    match (left, right) {
        (Val::Level(s, x), Val::Level(t, y)) if s == t => Some(Val::Level(*s, pick_day(*x, *y))),
        (Val::Date(a1, a2), Val::Date(b1, b2)) => {
            Some(Val::Date(pick_day(*a1, *b1), pick_day(*a2, *b2)))
        }
        (Val::Num(_) | Val::Between(..), Val::Num(_) | Val::Between(..)) => {
            let ((a1, a2), (b1, b2)) = (left.bounds()?, right.bounds()?);
            Some(Val::between(pick(a1, b1), pick(a2, b2)))
        }
        (Val::Pct(x), Val::Pct(y)) => Some(Val::Pct(pick(*x, *y))),
        (Val::Money(x), Val::Money(y)) => Some(Val::Money(pick(*x, *y))),
        _ => None,
    }
}
