//! Expressions of a rule, typed: names, fields, operators, quantifiers and aggregates.

use std::sync::Arc;

use super::{Compiler, Node};
use crate::check::engine::builtins::{Builtin, BUILTINS};
use crate::check::engine::schema::{fields, symbols, COLLECTIONS};
use crate::check::engine::value::Val;
use crate::diagnostic::Diagnostic;
use crate::resolve::names::{closest, did_you_mean, with_suggestion};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::vocab::{Base, Ty};

impl Compiler<'_> {
    pub(crate) fn name(&mut self, span: Span) -> (Node, Ty) {
        let name = self.text(span).to_string();
        if let Some((slot, ty)) = self.lookup(&name) {
            return (Node::Local(slot), ty);
        }
        if let Some((i, p)) = self.params.iter().enumerate().find(|(_, p)| p.name == name) {
            return (Node::Param(i), p.ty);
        }
        if name == "spec" {
            return (Node::Spec, Ty::one(Base::Spec));
        }
        if let Some((_, c, base, _)) = COLLECTIONS.iter().find(|(n, ..)| *n == name) {
            return (Node::Collection(*c), Ty::list_of(*base));
        }
        if BUILTINS.iter().any(|(n, ..)| *n == name) {
            self.error(
                span,
                &format!("`{name}` is a function"),
                "used without `(…)`",
                &format!("call it: `{name}(…)`"),
            );
            return (Node::Const(Val::Unknown), Ty::ERROR);
        }
        if let Some((base, val, declared)) = self.items.resolve(&name) {
            self.item_uses.push((span, declared));
            return (Node::Const(val), Ty::one(base));
        }
        if let Some((i, _)) = crate::check::engine::stdlib::law_named(&name) {
            return (Node::Const(Val::Law(i)), Ty::one(Base::Law));
        }
        if let Some(sym) = symbols().find(|s| *s == name) {
            return (Node::Const(Val::Sym(sym)), Ty::one(Base::Sym));
        }
        let mut candidates: Vec<&str> = self.scope.iter().map(|(n, ..)| n.as_str()).collect();
        candidates.extend(self.params.iter().map(|p| p.name.as_str()));
        for global in COLLECTIONS.iter().map(|c| c.0).chain(symbols()) {
            candidates.push(global);
        }
        candidates.push("spec");
        let close = closest(&name, candidates.into_iter());
        let help = did_you_mean(&close).unwrap_or_else(|| {
            "a name is a `for`/`let`/quantifier variable, a `param`, a collection such as `posts`, an item id or an enumerated value such as `retired`".into()
        });
        self.error(
            span,
            &format!("unknown name `{name}`"),
            "not defined",
            &help,
        );
        (Node::Const(Val::Unknown), Ty::ERROR)
    }

    pub(crate) fn expr(&mut self, e: &Expr) -> (Node, Ty) {
        match &e.kind {
            ExprKind::Number(n) => (Node::Const(Val::Num(*n)), Ty::NUM),
            ExprKind::Percent(n) => (Node::Const(Val::Pct(*n)), Ty::one(Base::Pct)),
            ExprKind::Money(n) => (Node::Const(Val::Money(*n)), Ty::one(Base::Money)),
            ExprKind::Date(d) => (
                Node::Const(Val::Date(d.first_day(), d.last_day())),
                Ty::one(Base::Date),
            ),
            ExprKind::Str(s) => (Node::Const(Val::Text(Arc::from(&**s))), Ty::one(Base::Str)),
            ExprKind::Bool(b) => (Node::Const(Val::Bool(*b)), Ty::BOOL),
            ExprKind::None => (Node::Const(Val::None), Ty::one(Base::Nothing)),
            ExprKind::Name => self.name(e.span),
            ExprKind::List(items) => {
                let mut nodes = Vec::with_capacity(items.len());
                let mut elem = Ty::one(Base::Nothing);
                for item in items {
                    let (node, ty) = self.expr(item);
                    if ty.list && !ty.is_error() {
                        self.error(
                            item.span,
                            "lists do not nest",
                            "a list inside a list",
                            "write the elements one after another: `[a, b, c]`",
                        );
                    } else if elem.base == Base::Nothing || elem.is_error() {
                        elem = ty;
                    } else if !elem.comparable(ty) {
                        self.error(
                            item.span,
                            &format!(
                                "a list holds one kind of value: this is {ty}, the first is {elem}"
                            ),
                            "a different kind",
                            "keep one kind of value in a list",
                        );
                    }
                    nodes.push(node);
                }
                (Node::List(nodes), Ty::list_of(elem.base))
            }
            ExprKind::Field { base, name } => self.field(base, *name),
            ExprKind::Call { name, args } => self.call(*name, args, e.span),
            ExprKind::Unary { op, operand } => {
                let (node, ty) = self.expr(operand);
                match op {
                    UnaryOp::Not => {
                        if ty != Ty::BOOL && !ty.is_error() {
                            self.error(
                                operand.span,
                                &format!("`not` needs a true/false value, and this is {ty}"),
                                "not a condition",
                                "write `not` before a condition such as `x in xs`",
                            );
                        }
                        (Node::Not(Box::new(node)), Ty::BOOL)
                    }
                    UnaryOp::Neg => {
                        if !ty.is_error()
                            && (ty.list || !matches!(ty.base, Base::Num | Base::Pct | Base::Money))
                        {
                            self.error(
                                operand.span,
                                &format!(
                                    "`-` needs a number, percentage or amount, and this is {ty}"
                                ),
                                "cannot be negated",
                                "negate numbers only",
                            );
                        }
                        (Node::Neg(Box::new(node)), ty)
                    }
                }
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => self.binary(*op, *op_span, lhs, rhs),
            ExprKind::Quantifier {
                all,
                var,
                over,
                filter,
                body,
            } => {
                let (over_node, over_ty) = self.expr(over);
                let elem = self.element_type(over, over_ty, if *all { "`all`" } else { "`any`" });
                let mark = self.scope.len();
                let slot = self.bind(*var, elem);
                let filter = filter
                    .as_ref()
                    .map(|f| Box::new(self.condition(f, "`where`")));
                let body = Box::new(self.condition(body, "the quantifier's body"));
                self.scope.truncate(mark);
                (
                    Node::Quantifier {
                        all: *all,
                        slot,
                        over: Box::new(over_node),
                        filter,
                        body,
                    },
                    Ty::BOOL,
                )
            }
            ExprKind::Comprehension { .. } => {
                self.error(
                    e.span,
                    "`y in XS where …` stands only inside a function's brackets",
                    "not a function's argument",
                    "write `count(y in XS where COND)` or `first(y in XS where COND)`; for membership, `x in xs` needs no variable",
                );
                (Node::Const(Val::Unknown), Ty::ERROR)
            }
        }
    }

    pub(crate) fn element_type(&mut self, over: &Expr, ty: Ty, what: &str) -> Ty {
        if ty.is_error() {
            Ty::ERROR
        } else if ty.list {
            Ty::one(ty.base)
        } else {
            self.error(
                over.span,
                &format!("{what} ranges over a list, and this is {ty}"),
                "not a list",
                "range over a collection such as `posts` or a list field such as `p.funded`",
            );
            Ty::ERROR
        }
    }

    fn field(&mut self, base: &Expr, name: Span) -> (Node, Ty) {
        let (node, ty) = self.expr(base);
        if ty.is_error() {
            return (Node::Const(Val::Unknown), Ty::ERROR);
        }
        let field = self.text(name).to_string();
        let table = fields(ty.base);
        if let Some(f) = table.iter().find(|f| f.name == field) {
            let result = Ty {
                base: f.ty.base,
                list: f.ty.list || ty.list,
            };
            let node = match node {
                Node::Local(slot) => Node::LocalField(slot, f.access),
                node => Node::Field(Box::new(node), f.access),
            };
            return (node, result);
        }
        let (_, noun) = ty.base.noun();
        let message = if table.is_empty() {
            format!("{} has no fields", Ty::one(ty.base))
        } else {
            format!("`{field}` is not a field of {}", Ty::one(ty.base))
        };
        // the elements of a mixed list have only a name: suggesting `name` would not help
        let close = if ty.base == Base::Item {
            Vec::new()
        } else {
            closest(&field, table.iter().map(|f| f.name))
        };
        let d = Diagnostic::error("rule_error", name, message)
            .with_label(format!("no such field on {}", Ty::one(ty.base)));
        let d = with_suggestion(d, &close, name, || {
            if ty.base == Base::Item {
                "the elements of this list are of several kinds; use `body(x)` for the org of a post or org, or compare them with `==` and `in`".into()
            } else if table.is_empty() {
                format!("a {noun} is a plain value")
            } else {
                format!(
                    "the fields of {} are {}",
                    Ty::one(ty.base),
                    table
                        .iter()
                        .map(|f| format!("`{}`", f.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        });
        self.errors.push(d);
        (Node::Const(Val::Unknown), Ty::ERROR)
    }

    fn binary(&mut self, op: BinaryOp, op_span: Span, lhs: &Expr, rhs: &Expr) -> (Node, Ty) {
        let (l, lt) = self.expr(lhs);
        let (r, rt) = self.expr(rhs);
        let node = Node::Binary(op, Box::new(l), Box::new(r));
        if lt.is_error() || rt.is_error() {
            let ty = match op {
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => Ty::ERROR,
                _ => Ty::BOOL,
            };
            return (node, ty);
        }
        let mismatch = |c: &mut Compiler, why: &str, help: &str| {
            let d = Diagnostic::error(
                "rule_error",
                op_span,
                format!("`{}` cannot combine {lt} and {rt}", op.symbol()),
            )
            .with_label(why.to_string())
            .with_secondary(lhs.span, format!("{lt}"))
            .with_secondary(rhs.span, format!("{rt}"))
            .with_help(help.to_string());
            c.errors.push(d);
        };
        match op {
            BinaryOp::And | BinaryOp::Or => {
                for (side, ty) in [(lhs, lt), (rhs, rt)] {
                    if ty != Ty::BOOL && ty.base != Base::Nothing {
                        self.error(
                            side.span,
                            &format!(
                                "`{}` joins true/false conditions, and this is {ty}",
                                op.symbol()
                            ),
                            "not a condition",
                            "compare it first: `x > 0`, `x != none`",
                        );
                    }
                }
                (node, Ty::BOOL)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if !lt.comparable(rt) {
                    mismatch(
                        self,
                        "these can never be equal",
                        "compare values of one kind: a date with a date, a post with a post",
                    );
                }
                (node, Ty::BOOL)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let ordered = |t: Ty| !t.list && (t.base.is_ordered() || t.base == Base::Nothing);
                if !(ordered(lt) && ordered(rt) && lt.comparable(rt)) {
                    let help = if (lt.base == Base::Level) == (rt.base == Base::Level) {
                        "order values of one kind: numbers, percentages, amounts of money or dates"
                    } else {
                        "`tier(p)` is a normalised tier: compare it with another `tier(…)`, or compare `p.tier` with a number"
                    };
                    mismatch(self, "these cannot be put in order", help);
                }
                (node, Ty::BOOL)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                if !rt.list && rt.base != Base::Nothing {
                    self.error(
                        rhs.span,
                        &format!(
                            "`{}` needs a list on its right, and this is {rt}",
                            op.symbol()
                        ),
                        "not a list",
                        "write `x in [a, b]` or `x in p.statutory`",
                    );
                } else if lt.list || !lt.comparable(Ty::one(rt.base)) {
                    mismatch(
                        self,
                        "never an element of this list",
                        "look for a value of the list's own kind",
                    );
                }
                (node, Ty::BOOL)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                if let Some(ty) = arithmetic(op, lt, rt) {
                    (node, ty)
                } else {
                    mismatch(
                        self,
                        "no such arithmetic",
                        "numbers, percentages and money add to their own kind; money × number is money; date − date is a number of days; date ± number is a date",
                    );
                    (node, Ty::ERROR)
                }
            }
        }
    }

    pub(crate) fn aggregate(
        &mut self,
        op: Option<Builtin>,
        var: Span,
        over: &Expr,
        filter: Option<&Expr>,
        map: Option<&Expr>,
    ) -> (Node, Ty) {
        let name = op
            .and_then(|op| BUILTINS.iter().find(|b| b.1 == op))
            .map_or("y in XS", |b| b.0);
        let (over_node, over_ty) = self.expr(over);
        let elem = self.element_type(over, over_ty, &format!("`{name}`"));
        let mark = self.scope.len();
        let slot = self.bind(var, elem);
        let filter = filter.map(|f| Box::new(self.condition(f, "`where`")));
        let (map, value_ty) = match map {
            Some(m) => {
                let (node, ty) = self.expr(m);
                (Some(Box::new(node)), (ty, m.span))
            }
            None => (None, (elem, over.span)),
        };
        self.scope.truncate(mark);
        let result = if op == Some(Builtin::Count) {
            Ty::NUM
        } else if op.is_none() {
            Ty::list_of(value_ty.0.base)
        } else {
            let (ty, span) = value_ty;
            let (ok, wanted, label) = if op == Some(Builtin::Sum) {
                (
                    matches!(ty.base, Base::Num | Base::Pct | Base::Money),
                    "numbers, percentages or amounts of money",
                    "cannot be added up",
                )
            } else {
                (
                    ty.base.is_ordered(),
                    "numbers, percentages, amounts of money or dates",
                    "cannot be put in order",
                )
            };
            if !ok && !ty.is_error() && !ty.list {
                self.error(
                    span,
                    &format!("`{name}` needs {wanted}, and this is {ty}"),
                    label,
                    &format!("give `{name}` a value after `:`, e.g. `{name}(p in posts where p.new: p.fte)`"),
                );
            }
            Ty::one(ty.base)
        };
        (
            Node::Aggregate {
                op,
                slot,
                over: Box::new(over_node),
                filter,
                map,
                zero: result.base,
            },
            result,
        )
    }
}

/// The type of `a op b`, if the arithmetic exists.
fn arithmetic(op: BinaryOp, a: Ty, b: Ty) -> Option<Ty> {
    use Base::{Date, Level, Money, Num, Pct};
    if a.list || b.list {
        return None;
    }
    let base = match (op, a.base, b.base) {
        (BinaryOp::Add | BinaryOp::Sub, x, y) if x == y && matches!(x, Num | Pct | Money) => x,
        (BinaryOp::Sub, Date, Date)
        | (BinaryOp::Sub, Level, Level)
        | (BinaryOp::Div, Money, Money)
        | (BinaryOp::Div, Pct, Pct) => Num,
        (BinaryOp::Add | BinaryOp::Sub, Date, Num) | (BinaryOp::Add, Num, Date) => Date,
        (BinaryOp::Add | BinaryOp::Sub, Level, Num) => Level,
        (BinaryOp::Mul, Num, x) | (BinaryOp::Mul, x, Num) if matches!(x, Num | Pct | Money) => x,
        (BinaryOp::Mul, Pct, Money) | (BinaryOp::Mul, Money, Pct) => Money,
        (BinaryOp::Div, x, Num) if matches!(x, Num | Pct | Money) => x,
        _ => return None,
    };
    Some(Ty::one(base))
}

/// The value of a constant expression (a parameter's default).
pub(super) fn constant(node: &Node) -> Option<Val<'static>> {
    match node {
        Node::Const(v) if !matches!(v, Val::Unknown) => Some(v.clone()),
        Node::Neg(inner) => match constant(inner)? {
            Val::Num(n) => Some(Val::Num(-n)),
            Val::Pct(n) => Some(Val::Pct(-n)),
            _ => None,
        },
        Node::List(items) => {
            let values: Option<Vec<_>> = items
                .iter()
                .map(|i| constant(i).map(crate::check::engine::value::V::bare))
                .collect();
            Some(Val::List(values?.into()))
        }
        _ => None,
    }
}
