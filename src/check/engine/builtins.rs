//! The builtin functions of the rule language, each in one place: its name and doc
//! ([`BUILTINS`]), its typing (in the compiler) and its evaluation (in the evaluator).

use std::sync::Arc;

use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use super::compile::{Compiler, Node};
use super::eval::{arithmetic, missing_like, Evaluator, R};
use super::fold::{fold, Folding};
use super::schema::Access;
use super::value::{list_of, Val, V};
use crate::decl::Known;
use crate::model::Side;
use crate::resolve::names::{closest, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind};
use crate::value::Decimal;
use crate::vocab::{Base, Ty};

/// Builtin functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Count,
    Sum,
    Min,
    Max,
    First,
    Filter,
    Either,
    Choose,
    Open,
    Law,
    LawSource,
    Tier,
    Ancestors,
    Days,
    Plural,
    RoleHolders,
    RoleHoldersBefore,
    Role,
    Present,
    Body,
}

pub const BUILTINS: &[(&str, Builtin, &str)] = &[
    (
        "count",
        Builtin::Count,
        "`count(XS)`, `count(y in XS where COND)`: how many",
    ),
    (
        "sum",
        Builtin::Sum,
        "`sum(XS)`, `sum(y in XS where COND: y.fte)`: the total of numbers, percentages or money",
    ),
    ("min", Builtin::Min, "`min(XS)` or `min(a, b)`: the least"),
    (
        "max",
        Builtin::Max,
        "`max(XS)` or `max(a, b)`: the greatest",
    ),
    (
        "first",
        Builtin::First,
        "`first(XS)`: the first element, or `none`; `first(XS, n)`: the first `n` elements",
    ),
    (
        "filter",
        Builtin::Filter,
        "`filter(y in XS where COND)`: the elements of `XS` that meet `COND`, as a list (to bind with `let`)",
    ),
    (
        "either",
        Builtin::Either,
        "`either(a, b)`: `a` when it is known (not `none`, unknown or an empty list), else `b`",
    ),
    (
        "choose",
        Builtin::Choose,
        "`choose(c, a, b)`: `a` when `c` holds, `b` when it does not, unknown when `c` is (for a message that reads differently in two cases)",
    ),
    (
        "open",
        Builtin::Open,
        "`open(x)`: `x` is written `tbd` (or cannot be known): the paper leaves it open",
    ),
    (
        "law",
        Builtin::Law,
        "`law(NAME, d)`: the figure of the law in force on date `d` (`std/law.org`, docs/law.md); a range where `d` is uncertain across a change; unknown before the first version; the latest version when `d` is `none` (the spec gives no date)",
    ),
    (
        "law_source",
        Builtin::LawSource,
        "`law_source(NAME, d)`: where that figure comes from: the Act and section, as amended, in force on `d`",
    ),
    (
        "tier",
        Builtin::Tier,
        "`tier(p)`: the post's tier normalised through `align`, numbered as after the restructure (a post before it moves up below a tier its employer's `tiers_removed` names)",
    ),
    (
        "ancestors",
        Builtin::Ancestors,
        "`ancestors(p)`: its line managers up to the top, nearest first",
    ),
    (
        "days",
        Builtin::Days,
        "`days(a, b)`: days from date `a` to date `b`",
    ),
    (
        "plural",
        Builtin::Plural,
        "`plural(n, \"holder\")`: \"1 holder\", \"2 holders\" (for messages)",
    ),
    (
        "role_holders",
        Builtin::RoleHolders,
        "`role_holders(r)`, `role_holders(r, o)`: posts holding statutory role `r` after the restructure (for authority `o`: the posts whose `statutory_for`, else whose employer, is `o`)",
    ),
    (
        "role_holders_before",
        Builtin::RoleHoldersBefore,
        "`role_holders_before(r)`, `role_holders_before(r, o)`: posts holding `r` before it",
    ),
    (
        "role",
        Builtin::Role,
        "`role(r)`: the statutory role `r` as the catalogue describes it (docs/roles.md): `.title`, `.single`, `.chief`, `.answers_to`, `.source`; `none` for a local role. Of a list, the list of the roles the catalogue knows",
    ),
    (
        "present",
        Builtin::Present,
        "`present(s, a)`: service `s` has a post based in or managing area `a`",
    ),
    (
        "body",
        Builtin::Body,
        "`body(x)`: an org itself, or the employer of a post",
    ),
];

impl Compiler<'_> {
    /// The type of a call, checking its arguments; unknown functions and wrong arguments
    /// are `rule_error`s.
    pub(super) fn call(&mut self, name: Span, args: &[Expr], whole: Span) -> (Node, Ty) {
        let text = self.text(name).to_string();
        let Some((_, builtin, _)) = BUILTINS.iter().find(|(n, ..)| *n == text) else {
            let close = closest(&text, BUILTINS.iter().map(|b| b.0));
            let help = did_you_mean(&close).unwrap_or_else(|| {
                format!(
                    "the functions are {}",
                    BUILTINS
                        .iter()
                        .map(|b| format!("`{}`", b.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            self.error(
                name,
                &format!("unknown function `{text}`"),
                "no such function",
                &help,
            );
            for a in args {
                if !matches!(a.kind, ExprKind::Comprehension { .. }) {
                    self.expr(a);
                }
            }
            return (Node::Const(Val::Unknown), Ty::ERROR);
        };
        let builtin = *builtin;
        let aggregate = matches!(
            builtin,
            Builtin::Count | Builtin::Sum | Builtin::Min | Builtin::Max
        );
        if aggregate && args.len() == 1 {
            if let ExprKind::Comprehension {
                var,
                over,
                filter,
                map,
            } = &args[0].kind
            {
                return self.aggregate(
                    Some(builtin),
                    *var,
                    over,
                    filter.as_deref(),
                    map.as_deref(),
                );
            }
        }
        let compiled: Vec<(Node, Ty, Span)> = args
            .iter()
            .map(|a| {
                let (n, t) = match &a.kind {
                    ExprKind::Comprehension {
                        var,
                        over,
                        filter,
                        map,
                    } => self.aggregate(None, *var, over, filter.as_deref(), map.as_deref()),
                    _ => self.expr(a),
                };
                (n, t, a.span)
            })
            .collect();
        let arity = |c: &mut Compiler, want: &str| {
            c.error(
                whole,
                &format!("`{text}` takes {want}"),
                &format!("{} given", args.len()),
                BUILTINS.iter().find(|b| b.1 == builtin).map_or("", |b| b.2),
            );
        };
        let any_error = compiled.iter().any(|(_, t, _)| t.is_error());
        let expect = |c: &mut Compiler, i: usize, want: &str, ok: bool| {
            if !ok && !any_error {
                let (_, ty, span) = &compiled[i];
                c.error(
                    *span,
                    &format!("`{text}` needs {want}, and this is {ty}"),
                    "the wrong kind of value",
                    BUILTINS.iter().find(|b| b.1 == builtin).map_or("", |b| b.2),
                );
            }
        };
        let ty_of = |i: usize| compiled[i].1;
        let result: Ty = match builtin {
            Builtin::Count => {
                if compiled.len() == 1 {
                    expect(self, 0, "a list", ty_of(0).list);
                } else {
                    arity(self, "one list");
                }
                Ty::NUM
            }
            Builtin::Sum => {
                if compiled.len() == 1 {
                    let t = ty_of(0);
                    expect(
                        self,
                        0,
                        "a list of numbers, percentages or amounts of money",
                        t.list
                            && matches!(
                                t.base,
                                Base::Num | Base::Pct | Base::Money | Base::Nothing
                            ),
                    );
                    Ty::one(if t.base == Base::Nothing {
                        Base::Num
                    } else {
                        t.base
                    })
                } else {
                    arity(self, "one list");
                    Ty::ERROR
                }
            }
            Builtin::Min | Builtin::Max => match compiled.len() {
                1 => {
                    let t = ty_of(0);
                    expect(
                        self,
                        0,
                        "a list of numbers, percentages, amounts or dates",
                        t.list && t.base.is_ordered(),
                    );
                    Ty::one(t.base)
                }
                2 => {
                    let (a, b) = (ty_of(0), ty_of(1));
                    let ok = !a.list && !b.list && a.base.is_ordered() && a.comparable(b);
                    expect(
                        self,
                        1,
                        &format!("a value of the same kind as the first ({a})"),
                        ok,
                    );
                    Ty::one(a.base)
                }
                _ => {
                    arity(self, "one list, or two values");
                    Ty::ERROR
                }
            },
            Builtin::First => match compiled.len() {
                1 => {
                    expect(self, 0, "a list", ty_of(0).list);
                    Ty::one(ty_of(0).base)
                }
                2 => {
                    expect(self, 0, "a list", ty_of(0).list);
                    expect(self, 1, "a number", ty_of(1) == Ty::NUM);
                    Ty::list_of(ty_of(0).base)
                }
                _ => {
                    arity(self, "a list, and optionally how many");
                    Ty::ERROR
                }
            },
            Builtin::Filter => {
                if compiled.len() == 1 {
                    expect(self, 0, "a list", ty_of(0).list);
                    ty_of(0)
                } else {
                    arity(self, "a list, `y in XS where COND`");
                    Ty::ERROR
                }
            }
            Builtin::Either => {
                if compiled.len() == 2 {
                    let (a, b) = (ty_of(0), ty_of(1));
                    expect(
                        self,
                        1,
                        &format!("a value of the same kind as the first ({a})"),
                        a.comparable(b),
                    );
                    if a.base == Base::Nothing {
                        b
                    } else {
                        a
                    }
                } else {
                    arity(self, "two values");
                    Ty::ERROR
                }
            }
            Builtin::Open => {
                if compiled.len() != 1 {
                    arity(self, "one value");
                }
                Ty::BOOL
            }
            Builtin::Choose => {
                if compiled.len() == 3 {
                    let (a, b) = (ty_of(1), ty_of(2));
                    expect(self, 0, "a condition", ty_of(0) == Ty::BOOL);
                    expect(
                        self,
                        2,
                        &format!("a value of the same kind as the second ({a})"),
                        a.comparable(b),
                    );
                    if a.base == Base::Nothing {
                        b
                    } else {
                        a
                    }
                } else {
                    arity(self, "a condition and two values");
                    Ty::ERROR
                }
            }
            Builtin::Law | Builtin::LawSource => {
                if compiled.len() == 2 {
                    expect(
                        self,
                        0,
                        "a figure of the law, such as `s188_days`",
                        ty_of(0) == Ty::one(Base::Law),
                    );
                    expect(self, 1, "a date", ty_of(1) == Ty::one(Base::Date));
                } else {
                    arity(self, "a figure of the law and a date");
                }
                if builtin == Builtin::Law {
                    Ty::NUM
                } else {
                    Ty::one(Base::Str)
                }
            }
            Builtin::Tier | Builtin::Ancestors => {
                if compiled.len() == 1 {
                    expect(self, 0, "a post", ty_of(0) == Ty::one(Base::Post));
                } else {
                    arity(self, "one post");
                }
                if builtin == Builtin::Tier {
                    Ty::one(Base::Level)
                } else {
                    Ty::list_of(Base::Post)
                }
            }
            Builtin::Days => {
                if compiled.len() == 2 {
                    expect(self, 0, "a date", ty_of(0) == Ty::one(Base::Date));
                    expect(self, 1, "a date", ty_of(1) == Ty::one(Base::Date));
                } else {
                    arity(self, "two dates");
                }
                Ty::NUM
            }
            Builtin::Plural => {
                if compiled.len() == 2 {
                    expect(self, 0, "a number", ty_of(0) == Ty::NUM);
                    expect(self, 1, "a string", ty_of(1) == Ty::one(Base::Str));
                } else {
                    arity(self, "a number and a noun");
                }
                Ty::one(Base::Str)
            }
            Builtin::RoleHolders | Builtin::RoleHoldersBefore => {
                if matches!(compiled.len(), 1 | 2) {
                    let t = ty_of(0);
                    expect(
                        self,
                        0,
                        "a statutory role",
                        !t.list && matches!(t.base, Base::Sym | Base::Str),
                    );
                    if compiled.len() == 2 {
                        expect(self, 1, "an org", ty_of(1) == Ty::one(Base::Org));
                    }
                } else {
                    arity(self, "a statutory role, and an org");
                }
                Ty::list_of(Base::Post)
            }
            Builtin::Role => {
                let mut list = false;
                if compiled.len() == 1 {
                    let t = ty_of(0);
                    list = t.list;
                    expect(
                        self,
                        0,
                        "a statutory role, or a list of them",
                        matches!(t.base, Base::Sym | Base::Str | Base::Nothing),
                    );
                } else {
                    arity(self, "one statutory role, or a list of them");
                }
                if list {
                    Ty::list_of(Base::Role)
                } else {
                    Ty::one(Base::Role)
                }
            }
            Builtin::Present => {
                if compiled.len() == 2 {
                    expect(self, 0, "a service", ty_of(0) == Ty::one(Base::Service));
                    expect(self, 1, "an area", ty_of(1) == Ty::one(Base::Area));
                } else {
                    arity(self, "a service and an area");
                }
                Ty::BOOL
            }
            Builtin::Body => {
                if compiled.len() == 1 {
                    let t = ty_of(0);
                    expect(
                        self,
                        0,
                        "a post or an org",
                        !t.list && matches!(t.base, Base::Post | Base::Org | Base::Item),
                    );
                } else {
                    arity(self, "one post or org");
                }
                Ty::one(Base::Org)
            }
        };
        let zero = result.base;
        (
            Node::Call(builtin, compiled.into_iter().map(|c| c.0).collect(), zero),
            result,
        )
    }
}

impl<'a> Evaluator<'a> {
    /// `sum(p.direct_reports.count)`: the field of each element folded as it is read,
    /// without the list of them that `Evaluator::project` would build (one allocation a
    /// post with reports, for `span_of_control`); the same values, `none` skipped and
    /// lists flattened, for the same steps.
    fn fold_projection(&mut self, b: Builtin, base: &'a Node, f: Access, zero: Base) -> R<V<'a>> {
        self.burn(3)?;
        let base = self.operand(base)?;
        let Val::List(items) = &base.val else {
            let v = self.field(&base, f);
            return Ok(V::bare(match &v.val {
                Val::List(items) => {
                    self.burn(items.len() as u64)?;
                    fold(b, &items[..], zero)
                }
                Val::None => fold(b, &[], zero),
                _ => Val::Unknown,
            }));
        };
        self.burn(items.len() as u64)?;
        let mut folding = Folding::new(b);
        let mut taken = 0;
        for item in items.iter() {
            let v = self.field(item, f);
            let more = match &v.val {
                Val::List(inner) => {
                    self.burn(inner.len() as u64)?;
                    taken += inner.len();
                    inner.iter().all(|x| folding.add(&x.val))
                }
                Val::None => true,
                other => {
                    taken += 1;
                    folding.add(other)
                }
            };
            if !more {
                break;
            }
        }
        self.burn(taken as u64)?;
        Ok(V::bare(folding.finish(zero)))
    }

    pub(super) fn call(&mut self, b: Builtin, args: &'a [Node], zero: Base) -> R<V<'a>> {
        if let (Builtin::Count, [Node::LocalField(slot, Access::Derived(d))]) = (b, args) {
            // `count(p.slots)`: the length of the index's entry, without building the
            // list, for the same steps
            if let Some(n) = self.indexed_len(self.local(*slot), *d) {
                self.burn(2)?;
                return Ok(V::bare(Val::Num(Decimal::from(n))));
            }
        }
        if let (Builtin::Sum | Builtin::Min | Builtin::Max, [Node::Field(base, f)]) = (b, args) {
            return self.fold_projection(b, base, *f, zero);
        }
        // most functions take one or two arguments: no allocation for them
        let mut values: SmallVec<[V<'a>; 2]> = SmallVec::with_capacity(args.len());
        for a in args {
            values.push(self.operand(a)?);
        }
        let m = self.model;
        let list = |v: &V<'a>| -> Option<Arc<[V<'a>]>> {
            match &v.val {
                Val::List(items) => Some(items.clone()),
                _ => None,
            }
        };
        Ok(match b {
            Builtin::Count => match &values[0].val {
                Val::List(items) => V::bare(Val::Num(Decimal::from(items.len()))),
                Val::None => V::bare(Val::Num(Decimal::ZERO)),
                _ => V::bare(Val::Unknown),
            },
            Builtin::Sum | Builtin::Min | Builtin::Max if values.len() == 1 => {
                match list(&values[0]) {
                    Some(items) => {
                        self.burn(items.len() as u64)?;
                        V::bare(fold(b, &items, zero))
                    }
                    None if matches!(values[0].val, Val::None) => V::bare(fold(b, &[], zero)),
                    None => V::bare(Val::Unknown),
                }
            }
            Builtin::Sum | Builtin::Min | Builtin::Max => V::bare(fold(b, &values, zero)),
            Builtin::First if values.len() == 2 => {
                match (&values[0].val, values[1].val.decimal()) {
                    (Val::List(items), Some(n)) => {
                        // the first n: none for n below 1, all for n past the list's length
                        use rust_decimal::prelude::ToPrimitive;
                        let n = if n < Decimal::ONE {
                            0
                        } else {
                            n.trunc().to_usize().unwrap_or(usize::MAX)
                        };
                        self.burn(n.min(items.len()) as u64)?;
                        V::bare(Val::List(items.iter().take(n).cloned().collect()))
                    }
                    (v, _) => V::bare(missing_like(v)),
                }
            }
            Builtin::First => match &values[0].val {
                Val::List(items) => items.first().cloned().unwrap_or(V::bare(Val::None)),
                Val::Unknown => V::bare(Val::Unknown),
                _ => V::bare(Val::None),
            },
            Builtin::Filter => values.into_iter().next().expect("one argument"),
            Builtin::Either => {
                let mut values = values.into_iter();
                let a = values.next().expect("two arguments");
                let b = values.next().expect("two arguments");
                let empty = matches!(&a.val, Val::List(items) if items.is_empty());
                if a.val.is_missing() || empty {
                    b
                } else {
                    a
                }
            }
            Builtin::Open => V::bare(Val::Bool(matches!(values[0].val, Val::Unknown))),
            Builtin::Choose => {
                let mut values = values.into_iter();
                let c = values.next().expect("three arguments");
                let (a, b) = (values.next().expect("three"), values.next().expect("three"));
                match c.val {
                    Val::Bool(true) => a,
                    Val::Bool(false) => b,
                    _ => V::bare(Val::Unknown),
                }
            }
            Builtin::Law | Builtin::LawSource => {
                let Val::Law(l) = &values[0].val else {
                    return Ok(V::bare(missing_like(&values[0].val)));
                };
                let law = super::stdlib::laws().get(*l as usize);
                let versions = match &values[1].val {
                    Val::Date(first, last) => law.and_then(|law| law.in_force(*first, *last)),
                    // the spec gives no date: the law in force now, its latest version
                    Val::None => law
                        .and_then(|law| law.versions.last())
                        .map(std::slice::from_ref),
                    other => return Ok(V::bare(missing_like(other))),
                };
                V::bare(match versions {
                    None => Val::Unknown,
                    Some(vs) if b == Builtin::Law => {
                        let lo = vs.iter().map(|v| v.value).min().unwrap_or_default();
                        let hi = vs.iter().map(|v| v.value).max().unwrap_or_default();
                        Val::between(lo, hi)
                    }
                    Some(vs) => Val::Text(
                        vs.iter()
                            .map(|v| v.source.as_str())
                            .collect::<Vec<_>>()
                            .join("; or, from a later date, ")
                            .into(),
                    ),
                })
            }
            Builtin::Tier => V::bare(match &values[0].val {
                Val::Post(p, side) => match self.state(*p, *side) {
                    Some(s) => match m.normalised_tier_on(s, *side) {
                        Some((scale, level)) => Val::Level(scale, level),
                        None if matches!(s.tier, Known::Absent) => Val::None,
                        None => Val::Unknown,
                    },
                    None => Val::None,
                },
                other => missing_like(other),
            }),
            Builtin::Ancestors => match &values[0].val {
                Val::Post(p, side) => {
                    let structure = m.structure(*side);
                    let mut out = Vec::new();
                    let mut seen = FxHashSet::default();
                    let mut at = *p;
                    seen.insert(at);
                    while let Some(s) = structure.state(at) {
                        self.burn(1)?;
                        let Some(up) = m.state(s).reports_to.given() else {
                            break;
                        };
                        if !structure.exists(up) || !seen.insert(up) {
                            break;
                        }
                        out.push(V::bare(Val::Post(up, *side)));
                        at = up;
                    }
                    V::bare(Val::List(list_of(out.into_iter())))
                }
                other => V::bare(missing_like(other)),
            },
            Builtin::Days => V::bare(match (&values[0].val, &values[1].val) {
                (a @ Val::Date(..), b @ Val::Date(..)) => arithmetic(BinaryOp::Sub, b, a),
                (a, b) if matches!(a, Val::Unknown) || matches!(b, Val::Unknown) => Val::Unknown,
                _ => Val::None,
            }),
            Builtin::Plural => V::bare(match (&values[0].val, values[1].val.text()) {
                (Val::Num(n), Some(noun)) => {
                    let s = if *n == Decimal::ONE { "" } else { "s" };
                    Val::Text(format!("{n} {noun}{s}").into())
                }
                (v, _) => missing_like(v),
            }),
            Builtin::RoleHolders | Builtin::RoleHoldersBefore => {
                let Some(role) = values[0].val.text() else {
                    return Ok(V::bare(missing_like(&values[0].val)));
                };
                let side = if b == Builtin::RoleHolders {
                    Side::After
                } else {
                    Side::Before
                };
                let index = m.role_holders(side);
                let posts = index.get(role).map_or(&[][..], Vec::as_slice);
                let authority = match values.get(1).map(|v| &v.val) {
                    None => None,
                    Some(Val::Org(o)) => Some(*o),
                    Some(other) => return Ok(V::bare(missing_like(other))),
                };
                V::bare(Val::List(
                    posts
                        .iter()
                        .filter(|p| {
                            authority.is_none_or(|o| {
                                m.structure(side)
                                    .state(**p)
                                    .is_some_and(|s| m.state(s).holds_for(o))
                            })
                        })
                        .map(|p| V::bare(Val::Post(*p, side)))
                        .collect(),
                ))
            }
            Builtin::Role => {
                let role = |v: &Val<'a>| match v {
                    Val::Unknown | Val::None => v.clone(),
                    v => match v.text().and_then(crate::vocab::roles::role_info) {
                        Some((i, _)) => Val::Role(i),
                        None => Val::None,
                    },
                };
                match &values[0].val {
                    // a list maps: local roles, which the catalogue does not know, drop out
                    Val::List(items) => V::bare(Val::List(
                        items
                            .iter()
                            .map(|x| V {
                                val: role(&x.val),
                                at: x.at,
                            })
                            .filter(|x| !matches!(x.val, Val::None))
                            .collect(),
                    )),
                    v => V::bare(role(v)),
                }
            }
            Builtin::Present => V::bare(match (&values[0].val, &values[1].val) {
                (Val::Service(s), Val::Area(a)) => Val::Bool(m.presence().contains(&(*s, *a))),
                (a, b) if matches!(a, Val::Unknown) || matches!(b, Val::Unknown) => Val::Unknown,
                _ => Val::None,
            }),
            Builtin::Body => V::bare(match &values[0].val {
                Val::Org(o) => Val::Org(*o),
                Val::Post(p, side) => match self.state(*p, *side).map(|s| s.employer) {
                    Some(Known::Given(o, _)) => Val::Org(o),
                    Some(Known::Undecided(_) | Known::Invalid(_)) => Val::Unknown,
                    _ => Val::None,
                },
                other => missing_like(other),
            }),
        })
    }
}
