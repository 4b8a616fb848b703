//! A `rule` item → a type-checked [`CompiledRule`], or `rule_error` diagnostics.
//!
//! This file compiles a rule's statements; `expr.rs` its expressions; calls are typed
//! beside the builtins' evaluation, in `../builtins.rs`.
//!
//! Everything a rule names is resolved here, once: locals to frame slots, fields to
//! [`F`] ids, functions to [`Builtin`]s, item ids to values. A rule that names a field
//! that does not exist, compares a date with a percentage or uses an undefined parameter
//! is reported where it is written, with a suggestion — it never runs to a silent false.

#![allow(
    clippy::many_single_char_names,
    reason = "the evaluator's short names follow the model: `p` a post, `s` a state, `d` the declarations"
)]

use super::builtins::Builtin;
use super::schema::{Access, Collection};
use super::value::Val;
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::names::{closest, did_you_mean};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{BinaryOp, Expr, Item, Statement, StatementKind, Template, TemplatePart};
use crate::vocab::catalogue;
use crate::vocab::{Base, Ty};

/// A compiled expression.
#[derive(Debug)]
pub enum Node {
    Const(Val<'static>),
    Local(usize),
    Param(usize),
    Collection(Collection),
    Spec,
    Field(Box<Node>, Access),
    /// A field of a local, `p.grade`: the commonest step of a rule, read in place rather
    /// than by evaluating (and copying) the local first.
    LocalField(usize, Access),
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
    /// The check asks whether the restructure is complete (`completeness`): its findings
    /// are warnings while the paper is a draft or under consultation.
    pub completeness: bool,
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
    "severity",
    "param",
    "for",
    "let",
    "require",
    "message",
    "help",
    "at",
    "also",
    "completeness",
];

pub(crate) struct Compiler<'c> {
    pub(crate) src: &'c SourceMap,
    pub(crate) items: &'c dyn ItemNames,
    pub(crate) scope: Vec<(String, usize, Ty)>,
    pub(crate) params: Vec<Param>,
    pub(crate) next_slot: usize,
    pub(crate) errors: Vec<Diagnostic>,
    /// The current check had an unreadable statement: do not also say it lacks a `require`.
    pub(crate) check_broken: bool,
    /// Names resolved as item ids, and their declarations.
    pub(crate) item_uses: Vec<(Span, Span)>,
}

/// Where a rule comes from: a spec (or a setting), or the standard library, whose rules
/// take their severity from the catalogue and may not state one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Spec,
    Std,
}

/// Compile one `rule` item.
pub fn compile(
    src: &SourceMap,
    item: &Item,
    items: &dyn ItemNames,
    origin: Origin,
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
    if origin == Origin::Std {
        match catalogue::lookup(&rule.id) {
            Some(entry) => rule.severity = entry.severity,
            None => c.error(
                id_span,
                &format!("`{}` is not in the rule catalogue", rule.id),
                "a standard-library rule of no catalogue entry",
                "add the rule to `src/vocab/catalogue.rs`",
            ),
        }
    }
    let body = item.rule.as_deref().map_or(&[][..], |b| &b.statements[..]);
    let mut severity_seen: Option<Span> = None;
    let mut current: Option<Check> = None;
    let mut check_scope = 0;
    for st in body {
        match &st.kind {
            StatementKind::Severity(_) if origin == Origin::Std => {
                c.error(
                    st.keyword,
                    "a built-in rule's severity is set in the catalogue",
                    "remove this line",
                    "set the default severity in `src/vocab/catalogue.rs`; users change it in orgspec.toml",
                );
            }
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
            StatementKind::Completeness => match current.as_mut() {
                Some(check) => check.completeness = true,
                None => c.not_in_check(st),
            },
            StatementKind::Unknown => {
                c.check_broken = true;
                let word = src.slice(st.keyword);
                let close = closest(word, STATEMENTS.iter().copied());
                let help = did_you_mean(&close).unwrap_or_else(|| {
                    "a rule is made of `severity`, `param`, `for`, `let`, `require`, `message`, `help`, `at`, `also` and `completeness` lines".into()
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
    pub(crate) fn text(&self, span: Span) -> &str {
        self.src.slice(span)
    }

    pub(crate) fn error(&mut self, span: Span, message: &str, label: &str, help: &str) {
        self.errors.push(
            Diagnostic::error("rule_error", span, message)
                .with_label(label)
                .with_help(help),
        );
    }

    /// Add a secondary label to the last error.
    pub(crate) fn push_last_secondary(&mut self, span: Span) {
        if let Some(last) = self.errors.pop() {
            self.errors.push(last.with_secondary(span, "the first"));
        }
    }

    pub(crate) fn not_in_check(&mut self, st: &Statement) {
        let word = self.text(st.keyword).to_string();
        self.error(
            st.keyword,
            &format!("`{word}` belongs to a check"),
            "no `for` or `require` before it",
            &format!("put `{word}` after the `for` or `require` it describes"),
        );
    }

    pub(crate) fn header(&mut self, item: &Item) -> (String, Span, Option<String>) {
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

    pub(crate) fn finish(&mut self, rule: &mut CompiledRule, check: Check) {
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

    pub(crate) fn bind(&mut self, name: Span, ty: Ty) -> usize {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.scope.push((self.text(name).to_string(), slot, ty));
        slot
    }

    pub(crate) fn param(&mut self, name: Span, value: &Expr) {
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
    pub(crate) fn condition(&mut self, e: &Expr, what: &str) -> Node {
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

    pub(crate) fn template(&mut self, t: &Template) -> Tpl {
        t.parts
            .iter()
            .map(|p| match p {
                TemplatePart::Text(s) => Piece::Text(s.clone()),
                TemplatePart::Expr(e) => Piece::Expr(self.expr(e).0),
            })
            .collect()
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<(usize, Ty)> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, slot, ty)| (*slot, *ty))
    }
}

mod expr;

use expr::constant;
