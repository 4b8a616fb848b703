//! A `rule` item → a type-checked [`CompiledRule`], or `rule_error` diagnostics.
//!
//! Everything a rule names is resolved here, once: locals to frame slots, fields to
//! [`F`] ids, functions to [`Builtin`]s, item ids to values. A rule that names a field
//! that does not exist, compares a date with a percentage or uses an undefined parameter
//! is reported where it is written, with a suggestion — it never runs to a silent false.

#![allow(
    clippy::many_single_char_names,
    reason = "the evaluator's short names follow the model: `p` a post, `s` a state, `d` the declarations"
)]

use std::sync::Arc;

use super::types::{fields, symbols, Base, Builtin, Collection, Ty, BUILTINS, COLLECTIONS, F};
use super::value::Val;
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::names::{closest, did_you_mean, with_suggestion};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{
    BinaryOp, Expr, ExprKind, Item, Statement, StatementKind, Template, TemplatePart, UnaryOp,
};

/// A compiled expression.
#[derive(Debug)]
pub enum Node {
    Const(Val<'static>),
    Local(usize),
    Param(usize),
    Collection(Collection),
    Spec,
    Field(Box<Node>, F),
    Not(Box<Node>),
    Neg(Box<Node>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
    List(Vec<Node>),
    Call(Builtin, Vec<Node>, Base),
    Quantifier {
        all: bool,
        slot: usize,
        over: Box<Node>,
        filter: Option<Box<Node>>,
        body: Box<Node>,
    },
    /// `count`, `sum`, `min` or `max` over `y in XS where COND: MAP`; with no `op`, the
    /// list itself (a comprehension given to `first` or `either`).
    Aggregate {
        op: Option<Builtin>,
        slot: usize,
        over: Box<Node>,
        filter: Option<Box<Node>>,
        map: Option<Box<Node>>,
        zero: Base,
    },
}

#[derive(Debug)]
pub enum Piece {
    Text(String),
    Expr(Node),
}

/// A `message`, `help` or label string.
pub type Tpl = Vec<Piece>;

#[derive(Debug)]
pub struct Param {
    pub name: String,
    pub span: Span,
    pub ty: Ty,
    pub default: Val<'static>,
}

#[derive(Debug)]
pub struct Also {
    pub binding: Option<usize>,
    pub target: Node,
    pub filter: Option<Node>,
    pub label: Tpl,
}

/// One `for … require …` of a rule.
#[derive(Debug, Default)]
pub struct Check {
    pub generators: Vec<(usize, Node)>,
    pub filter: Option<Node>,
    pub lets: Vec<(usize, Node)>,
    pub require: Option<Node>,
    pub message: Option<Tpl>,
    pub help: Option<Tpl>,
    pub at: Option<(Node, Option<Tpl>)>,
    pub also: Vec<Also>,
    pub span: Span,
}

#[derive(Debug)]
pub struct CompiledRule {
    pub id: String,
    pub id_span: Span,
    pub title: Option<String>,
    pub severity: Severity,
    pub params: Vec<Param>,
    /// Bindings before the first `for`: evaluated once per run.
    pub lets: Vec<(usize, Node)>,
    pub checks: Vec<Check>,
    /// Local slots the rule needs.
    pub frame: usize,
    pub item: Span,
    /// Default message and help for checks that have none.
    pub message: Option<Tpl>,
    pub help: Option<Tpl>,
    /// Where the rule names an item id, and the span of that id's declaration (for the
    /// language server's references and rename).
    pub item_uses: Vec<(Span, Span)>,
}

/// Item ids a user rule may name (`p.employer == sbc`): the item's type, its value, and
/// the span of its declaring id.
pub trait ItemNames {
    fn resolve(&self, name: &str) -> Option<(Base, Val<'static>, Span)>;
}

/// No item ids: the standard library names none.
pub struct NoItems;

impl ItemNames for NoItems {
    fn resolve(&self, _: &str) -> Option<(Base, Val<'static>, Span)> {
        None
    }
}

const STATEMENTS: &[&str] = &[
    "severity", "param", "for", "let", "require", "message", "help", "at", "also",
];

struct Compiler<'c> {
    src: &'c SourceMap,
    items: &'c dyn ItemNames,
    scope: Vec<(String, usize, Ty)>,
    params: Vec<Param>,
    next_slot: usize,
    errors: Vec<Diagnostic>,
    /// The current check had an unreadable statement: do not also say it lacks a `require`.
    check_broken: bool,
    /// Names resolved as item ids, and their declarations.
    item_uses: Vec<(Span, Span)>,
}

/// Compile one `rule` item.
pub fn compile(
    src: &SourceMap,
    item: &Item,
    items: &dyn ItemNames,
) -> Result<CompiledRule, Vec<Diagnostic>> {
    let mut c = Compiler {
        src,
        items,
        scope: Vec::new(),
        params: Vec::new(),
        next_slot: 0,
        errors: Vec::new(),
        check_broken: false,
        item_uses: Vec::new(),
    };
    let (id, id_span, title) = c.header(item);
    let mut rule = CompiledRule {
        id,
        id_span,
        title,
        severity: Severity::Error,
        params: Vec::new(),
        lets: Vec::new(),
        checks: Vec::new(),
        frame: 0,
        item: item.span,
        message: None,
        help: None,
        item_uses: Vec::new(),
    };
    let body = item.rule.as_deref().map_or(&[][..], |b| &b.statements[..]);
    let mut severity_seen: Option<Span> = None;
    let mut current: Option<Check> = None;
    let mut check_scope = 0;
    for st in body {
        match &st.kind {
            StatementKind::Severity(level) => {
                if let Some(first) = severity_seen {
                    c.error(
                        st.keyword,
                        "a rule has one `severity`",
                        "a second `severity`",
                        "remove one of them",
                    );
                    c.push_last_secondary(first);
                }
                severity_seen = Some(st.span);
                match level.map(|s| (s, src.slice(s))) {
                    Some((_, "error")) => rule.severity = Severity::Error,
                    Some((_, "warning")) => rule.severity = Severity::Warning,
                    Some((_, "info")) => rule.severity = Severity::Info,
                    Some((span, other)) => {
                        let close = closest(other, ["error", "warning", "info"].into_iter());
                        c.error(
                            span,
                            &format!("`{other}` is not a severity"),
                            "expected `error`, `warning` or `info`",
                            &did_you_mean(&close).unwrap_or_else(|| {
                                "write `severity error`, `severity warning` or `severity info`"
                                    .into()
                            }),
                        );
                    }
                    None => {
                        c.error(
                            st.span,
                            "`severity` needs a level",
                            "expected `error`, `warning` or `info` after it",
                            "write `severity warning`",
                        );
                    }
                }
            }
            StatementKind::Param { name, value } => {
                if current.is_some() || !rule.lets.is_empty() {
                    c.error(
                        st.keyword,
                        "parameters come first in a rule",
                        "this `param` follows a `for`, `let` or `require`",
                        "move the `param` lines to the top of the rule, after `severity`",
                    );
                }
                c.param(*name, value);
            }
            StatementKind::For { generators, filter } => {
                if let Some(done) = current.take() {
                    c.finish(&mut rule, done);
                }
                c.scope.truncate(check_scope);
                check_scope = c.scope.len();
                let mut check = Check {
                    span: st.span,
                    ..Check::default()
                };
                for g in generators {
                    let (node, ty) = c.expr(&g.over);
                    let elem = if ty.is_error() {
                        Ty::ERROR
                    } else if ty.list {
                        Ty::one(ty.base)
                    } else {
                        c.error(
                            g.over.span,
                            &format!("`for` ranges over a list, and this is {ty}"),
                            "not a list",
                            "range over a collection such as `posts` or a list field such as `p.funded`",
                        );
                        Ty::ERROR
                    };
                    let slot = c.bind(g.var, elem);
                    check.generators.push((slot, node));
                }
                if let Some(f) = filter {
                    check.filter = Some(c.condition(f, "`where`"));
                }
                current = Some(check);
            }
            StatementKind::Let { name, value } => {
                let (node, ty) = c.expr(value);
                let slot = c.bind(*name, ty);
                if let Some(check) = current.as_mut() {
                    check.lets.push((slot, node));
                } else {
                    rule.lets.push((slot, node));
                    check_scope = c.scope.len();
                }
            }
            StatementKind::Require(cond) => {
                let node = c.condition(cond, "`require`");
                match current.as_mut() {
                    Some(check) if check.require.is_none() => check.require = Some(node),
                    _ => {
                        if let Some(done) = current.take() {
                            c.finish(&mut rule, done);
                        }
                        c.scope.truncate(check_scope);
                        current = Some(Check {
                            require: Some(node),
                            span: st.span,
                            ..Check::default()
                        });
                    }
                }
            }
            StatementKind::Message(t) => {
                let tpl = c.template(t);
                match current.as_mut() {
                    Some(check) => check.message = Some(tpl),
                    None => rule.message = Some(tpl),
                }
            }
            StatementKind::Help(t) => {
                let tpl = c.template(t);
                match current.as_mut() {
                    Some(check) => check.help = Some(tpl),
                    None => rule.help = Some(tpl),
                }
            }
            StatementKind::At(target, label) => {
                let (node, _) = c.expr(target);
                let label = label.as_ref().map(|l| c.template(l));
                match current.as_mut() {
                    Some(check) => check.at = Some((node, label)),
                    None => c.not_in_check(st),
                }
            }
            StatementKind::Also {
                binding,
                target,
                filter,
                label,
            } => {
                let (node, ty) = c.expr(target);
                let mark = c.scope.len();
                let slot = binding.map(|b| c.bind(b, Ty::one(ty.base)));
                let filter = match (filter, slot) {
                    (Some(f), Some(_)) => Some(c.condition(f, "`where`")),
                    (Some(f), None) => {
                        c.error(
                            f.span,
                            "`where` in `also` needs a name for the elements",
                            "no name to test",
                            "write `also x in LIST where CONDITION \"label\"`",
                        );
                        None
                    }
                    (None, _) => None,
                };
                let label = c.template(label);
                c.scope.truncate(mark);
                match current.as_mut() {
                    Some(check) => check.also.push(Also {
                        binding: slot,
                        target: node,
                        filter,
                        label,
                    }),
                    None => c.not_in_check(st),
                }
            }
            StatementKind::Unknown => {
                c.check_broken = true;
                let word = src.slice(st.keyword);
                let close = closest(word, STATEMENTS.iter().copied());
                let help = did_you_mean(&close).unwrap_or_else(|| {
                    "a rule is made of `severity`, `param`, `for`, `let`, `require`, `message`, `help`, `at` and `also` lines".into()
                });
                c.error(
                    st.keyword,
                    &format!("`{word}` does not begin a rule statement"),
                    "unknown statement",
                    &help,
                );
            }
        }
    }
    if let Some(done) = current.take() {
        c.finish(&mut rule, done);
    }
    if rule.checks.is_empty() && c.errors.is_empty() {
        c.error(
            id_span,
            &format!("rule `{}` checks nothing", rule.id),
            "no `require` in this rule",
            "add `for x in COLLECTION` and `require CONDITION`",
        );
    }
    rule.params = std::mem::take(&mut c.params);
    rule.frame = c.next_slot;
    rule.item_uses = std::mem::take(&mut c.item_uses);
    if c.errors.is_empty() {
        Ok(rule)
    } else {
        Err(c.errors)
    }
}

impl Compiler<'_> {
    fn text(&self, span: Span) -> &str {
        self.src.slice(span)
    }

    fn error(&mut self, span: Span, message: &str, label: &str, help: &str) {
        self.errors.push(
            Diagnostic::error("rule_error", span, message)
                .with_label(label)
                .with_help(help),
        );
    }

    /// Add a secondary label to the last error.
    fn push_last_secondary(&mut self, span: Span) {
        if let Some(last) = self.errors.pop() {
            self.errors.push(last.with_secondary(span, "the first"));
        }
    }

    fn not_in_check(&mut self, st: &Statement) {
        let word = self.text(st.keyword).to_string();
        self.error(
            st.keyword,
            &format!("`{word}` belongs to a check"),
            "no `for` or `require` before it",
            &format!("put `{word}` after the `for` or `require` it describes"),
        );
    }

    fn header(&mut self, item: &Item) -> (String, Span, Option<String>) {
        let mut id = (String::new(), item.kind);
        let mut title = None;
        if let Some(h) = &item.header {
            for term in &h.value.old {
                for atom in &term.atoms {
                    match atom.kind {
                        crate::syntax::ast::AtomKind::Word if id.0.is_empty() => {
                            id = (self.text(atom.span).to_string(), atom.span);
                        }
                        crate::syntax::ast::AtomKind::Str if title.is_none() => {
                            let raw = self.text(atom.span);
                            title = Some(
                                raw[1..raw.len() - 1]
                                    .replace("\\\"", "\"")
                                    .replace("\\\\", "\\"),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        (id.0, id.1, title)
    }

    fn finish(&mut self, rule: &mut CompiledRule, check: Check) {
        if check.require.is_none() && !std::mem::take(&mut self.check_broken) {
            self.error(
                check.span,
                "this check has no `require`",
                "a `for` without a condition",
                "add `require CONDITION` after the `for`: a finding is made for each subject where it is false",
            );
        }
        rule.checks.push(check);
    }

    fn bind(&mut self, name: Span, ty: Ty) -> usize {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.scope.push((self.text(name).to_string(), slot, ty));
        slot
    }

    fn param(&mut self, name: Span, value: &Expr) {
        let text = self.text(name).to_string();
        if let Some(first) = self.params.iter().find(|p| p.name == text).map(|p| p.span) {
            self.error(
                name,
                &format!("parameter `{text}` is declared twice"),
                "again here",
                "give each parameter its own name",
            );
            self.push_last_secondary(first);
            return;
        }
        let (node, ty) = self.expr(value);
        let default = if let Some(v) = constant(&node) {
            v
        } else {
            if !ty.is_error() {
                self.error(
                    value.span,
                    "a parameter's default is a plain value",
                    "not a literal",
                    "write a number, percentage, amount, date, string, name or a `[list]` of them",
                );
            }
            Val::Unknown
        };
        self.params.push(Param {
            name: text,
            span: name,
            ty,
            default,
        });
    }

    /// A condition: must be true/false.
    fn condition(&mut self, e: &Expr, what: &str) -> Node {
        let (node, ty) = self.expr(e);
        if ty != Ty::BOOL && !ty.is_error() && ty.base != Base::Nothing {
            self.error(
                e.span,
                &format!("{what} needs a true/false condition, and this is {ty}"),
                "not a condition",
                "compare it: `x > 0`, `x != none`, `a in xs`",
            );
        }
        node
    }

    fn template(&mut self, t: &Template) -> Tpl {
        t.parts
            .iter()
            .map(|p| match p {
                TemplatePart::Text(s) => Piece::Text(s.clone()),
                TemplatePart::Expr(e) => Piece::Expr(self.expr(e).0),
            })
            .collect()
    }

    fn lookup(&self, name: &str) -> Option<(usize, Ty)> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, slot, ty)| (*slot, *ty))
    }

    fn name(&mut self, span: Span) -> (Node, Ty) {
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

    fn expr(&mut self, e: &Expr) -> (Node, Ty) {
        match &e.kind {
            ExprKind::Number(n) => (Node::Const(Val::Num(*n)), Ty::NUM),
            ExprKind::Percent(n) => (Node::Const(Val::Pct(*n)), Ty::one(Base::Pct)),
            ExprKind::Money(n) => (Node::Const(Val::Money(*n)), Ty::one(Base::Money)),
            ExprKind::Date(d) => (Node::Const(Val::Date(d.first_day())), Ty::one(Base::Date)),
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

    fn element_type(&mut self, over: &Expr, ty: Ty, what: &str) -> Ty {
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
        if let Some((_, f, fty, _)) = table.iter().find(|(n, ..)| *n == field) {
            let result = Ty {
                base: fty.base,
                list: fty.list || ty.list,
            };
            return (Node::Field(Box::new(node), *f), result);
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
            closest(&field, table.iter().map(|r| r.0))
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
                        .map(|r| format!("`{}`", r.0))
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

    fn call(&mut self, name: Span, args: &[Expr], whole: Span) -> (Node, Ty) {
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
                if compiled.len() == 1 {
                    let t = ty_of(0);
                    expect(
                        self,
                        0,
                        "a statutory role",
                        !t.list && matches!(t.base, Base::Sym | Base::Str),
                    );
                } else {
                    arity(self, "one statutory role");
                }
                Ty::list_of(Base::Post)
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

    fn aggregate(
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
fn constant(node: &Node) -> Option<Val<'static>> {
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
                .map(|i| constant(i).map(super::value::V::bare))
                .collect();
            Some(Val::List(values?.into()))
        }
        _ => None,
    }
}
