//! The evaluator: compiled rules over one model.
//!
//! Linear by construction: every relation a rule can follow is either stored in the model
//! (direct reports, the tier scale) or an index built once, on first use, for the whole
//! unit (slots and pools by post, statutory role holders, area managers, service
//! presence). Each step of evaluation spends fuel from a budget proportional to the size
//! of the spec, so a rule that compares every post with every other post is stopped and
//! reported instead of hanging the check.

#![allow(
    clippy::many_single_char_names,
    reason = "the evaluator's short names follow the model: `p` a post, `s` a state, `d` the declarations"
)]

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::compile::{Check, CompiledRule, Node, Piece, Tpl};
use super::types::{Base, Builtin, Collection, F};
use super::value::{Val, V};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::decl::{
    Accountable, AgreementIx, AreaIx, Candidate, EventKind, Fallback, GradeSpec, Holder, Known,
    Lifecycle, Managed, OrgIx, PostIx, PostState, Reason, ServiceIx,
};
use crate::model::{Model, Side};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::BinaryOp;
use crate::value::{civil_from_days, Decimal};

/// Fuel for one rule: a fixed allowance plus this much per item of the spec.
const FUEL_BASE: u64 = 2_000_000;
const FUEL_PER_ITEM: u64 = 400;

/// Indexes over one model, each built the first time a rule needs it.
#[derive(Default)]
pub struct Indexes {
    slots_from: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    slots_into: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    pools_of: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    pooled_in: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    roles_after: OnceLock<FxHashMap<Box<str>, Vec<PostIx>>>,
    roles_before: OnceLock<FxHashMap<Box<str>, Vec<PostIx>>>,
    area_managers: OnceLock<Vec<Vec<PostIx>>>,
    presence: OnceLock<FxHashSet<(ServiceIx, AreaIx)>>,
    localities: OnceLock<Vec<AreaIx>>,
    shares: OnceLock<Vec<(PostIx, u32)>>,
}

/// Why evaluation stopped.
#[derive(Debug)]
pub struct OutOfFuel;

type R<T> = Result<T, OutOfFuel>;

pub struct Evaluator<'a> {
    model: &'a Model,
    src: &'a SourceMap,
    ix: &'a Indexes,
    frame: Vec<V<'a>>,
    params: Vec<V<'a>>,
    fuel: u64,
    pub budget: u64,
    rule_id: std::borrow::Cow<'static, str>,
    severity: Severity,
}

/// The elements of a list without building it: a collection of posts stays an index
/// range over the model.
enum Elems<'a> {
    List(Arc<[V<'a>]>),
    Posts(Side),
}

impl<'a> Evaluator<'a> {
    pub fn new(
        model: &'a Model,
        src: &'a SourceMap,
        ix: &'a Indexes,
        rule: &'a CompiledRule,
        params: Vec<V<'a>>,
        (rule_id, severity): (std::borrow::Cow<'static, str>, Severity),
    ) -> Evaluator<'a> {
        let d = &model.decls;
        let items = d.posts.len()
            + d.orgs.len()
            + d.areas.len()
            + d.pools.len()
            + d.slots.len()
            + d.services.len()
            + d.events.len()
            + d.agreements.len();
        let budget = FUEL_BASE + FUEL_PER_ITEM * items as u64;
        Evaluator {
            model,
            src,
            ix,
            frame: vec![V::bare(Val::None); rule.frame],
            params,
            fuel: budget,
            budget,
            rule_id,
            severity,
        }
    }

    fn burn(&mut self, n: u64) -> R<()> {
        if self.fuel < n {
            self.fuel = 0;
            return Err(OutOfFuel);
        }
        self.fuel -= n;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Running a rule
    // -----------------------------------------------------------------------------------

    /// Every finding of the rule; `Err` when it ran out of fuel.
    pub fn run(&mut self, rule: &'a CompiledRule, out: &mut Vec<Diagnostic>) -> R<()> {
        for (slot, node) in &rule.lets {
            let v = self.eval(node)?;
            self.frame[*slot] = v;
        }
        for check in &rule.checks {
            self.generate(rule, check, 0, out)?;
        }
        Ok(())
    }

    fn generate(
        &mut self,
        rule: &'a CompiledRule,
        check: &'a Check,
        depth: usize,
        out: &mut Vec<Diagnostic>,
    ) -> R<()> {
        if depth < check.generators.len() {
            let (slot, over) = &check.generators[depth];
            let elems = self.elems(over)?;
            let n = self.elems_len(&elems);
            for i in 0..n {
                self.burn(1)?;
                let Some(v) = self.elem(&elems, i) else {
                    continue;
                };
                self.frame[*slot] = v;
                self.generate(rule, check, depth + 1, out)?;
            }
            return Ok(());
        }
        if let Some(filter) = &check.filter {
            if !matches!(self.eval(filter)?.val, Val::Bool(true)) {
                return Ok(());
            }
        }
        for (slot, node) in &check.lets {
            let v = self.eval(node)?;
            self.frame[*slot] = v;
        }
        let Some(require) = &check.require else {
            return Ok(());
        };
        if matches!(self.eval(require)?.val, Val::Bool(false)) {
            let d = self.finding(rule, check)?;
            out.push(d);
        }
        Ok(())
    }

    fn finding(&mut self, rule: &'a CompiledRule, check: &'a Check) -> R<Diagnostic> {
        let message = match check.message.as_ref().or(rule.message.as_ref()) {
            Some(t) => self.render(t)?,
            None => rule.title.clone().unwrap_or_else(|| rule.id.clone()),
        };
        let subject = check
            .generators
            .first()
            .map(|(slot, _)| self.frame[*slot].clone());
        let (span, label) = match &check.at {
            Some((node, label)) => {
                let v = self.eval(node)?;
                let label = match label {
                    Some(t) => Some(self.render(t)?),
                    None => None,
                };
                (self.span_of(&v), label)
            }
            None => (subject.as_ref().and_then(|v| self.span_of(v)), None),
        };
        let span = span
            .or_else(|| subject.as_ref().and_then(|v| self.span_of(v)))
            .unwrap_or_else(|| self.fallback_span());
        let mut d = Diagnostic::new(self.rule_id.clone(), self.severity, span, message);
        if let Some(label) = label {
            d = d.with_label(label);
        }
        for also in &check.also {
            let target = self.eval(&also.target)?;
            let targets: Vec<V<'a>> = match &target.val {
                Val::List(items) => items.iter().cloned().collect(),
                v if v.is_missing() => Vec::new(),
                _ => vec![target.clone()],
            };
            for t in targets {
                let Some(at) = self.span_of(&t) else { continue };
                if let Some(slot) = also.binding {
                    self.frame[slot] = t.clone();
                }
                if let Some(filter) = &also.filter {
                    if !matches!(self.eval(filter)?.val, Val::Bool(true)) {
                        continue;
                    }
                }
                let label = self.render(&also.label)?;
                if at == d.span {
                    if d.label.is_none() {
                        d = d.with_label(label);
                    }
                    continue;
                }
                d = d.with_secondary(at, label);
            }
        }
        if let Some(t) = check.help.as_ref().or(rule.help.as_ref()) {
            let help = self.render(t)?;
            d = d.with_help(help);
        }
        Ok(d)
    }

    /// Where a finding about the whole spec points when nothing else can.
    fn fallback_span(&self) -> Span {
        let d = &self.model.decls;
        d.spec
            .as_ref()
            .map(|s| s.id)
            .or_else(|| d.orgs.first().map(|o| o.id))
            .or_else(|| d.posts.first().map(|p| p.id))
            .unwrap_or_default()
    }

    fn render(&mut self, t: &'a Tpl) -> R<String> {
        let mut out = String::new();
        for piece in t {
            match piece {
                Piece::Text(s) => out.push_str(s),
                Piece::Expr(node) => {
                    let v = self.eval(node)?;
                    self.show(&v.val, &mut out);
                }
            }
        }
        Ok(out)
    }

    /// Text of a value in a message.
    pub fn show(&self, v: &Val, out: &mut String) {
        let m = self.model;
        let src = self.src;
        match v {
            Val::Unknown => out.push_str("tbd"),
            Val::None => out.push_str("none"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Num(n) => {
                let _ = write!(out, "{}", n.normalize());
            }
            Val::Pct(n) => out.push_str(&crate::value::percent(*n)),
            Val::Money(n) => out.push_str(&crate::value::money(*n)),
            Val::Date(d) => {
                let _ = write!(out, "{}", civil_from_days(*d));
            }
            Val::Level(_, l) => {
                let _ = write!(out, "{l}");
            }
            Val::Str(s) | Val::Sym(s) => out.push_str(s),
            Val::Text(s) => out.push_str(s),
            Val::Post(p, _) => out.push_str(src.slice(m.post(*p).id)),
            Val::Org(o) => out.push_str(src.slice(m.org(*o).id)),
            Val::Area(a) => out.push_str(src.slice(m.decls.areas[a.ix()].id)),
            Val::Grade(g) => out.push_str(src.slice(m.decls.grades[g.ix()].id)),
            Val::Person(p) => out.push_str(src.slice(m.decls.persons[p.ix()].id)),
            Val::Pool(p) => out.push_str(src.slice(m.decls.pools[*p as usize].id)),
            Val::Slot(s) => {
                let slot = &m.decls.slots[*s as usize];
                let _ = write!(out, "the slot into {}", src.slice(m.post(slot.to.value).id));
            }
            Val::Service(s) => out.push_str(src.slice(m.decls.services[s.ix()].id)),
            Val::Agreement(a) => out.push_str(src.slice(m.decls.agreements[a.ix()].id)),
            Val::Event(e) => {
                let e = &m.decls.events[*e as usize];
                match (&e.label, e.id) {
                    (Some(l), _) => out.push_str(l),
                    (None, Some(id)) => out.push_str(src.slice(id)),
                    (None, None) => out.push_str("timeline entry"),
                }
            }
            Val::Budget(b) => out.push_str(src.slice(m.decls.budgets[*b as usize].id)),
            Val::Spec => {
                if let Some(s) = &m.decls.spec {
                    out.push_str(src.slice(s.id));
                }
            }
            Val::Share(..) => {
                let org = self.field(&V::bare(v.clone()), F::Org);
                let share = self.field(&V::bare(v.clone()), F::Share);
                self.show(&org.val, out);
                out.push(' ');
                self.show(&share.val, out);
            }
            Val::Contact(s, i) => {
                let (area, _) = &m.decls.services[s.ix()].contacts[*i as usize];
                out.push_str(src.slice(m.decls.areas[area.value.ix()].id));
            }
            Val::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if i + 1 == items.len() { " and " } else { ", " });
                    }
                    self.show(&item.val, out);
                }
                if items.is_empty() {
                    out.push_str("none");
                }
            }
        }
    }

    /// Where a value is written, or where the item it names is declared.
    fn span_of(&self, v: &V) -> Option<Span> {
        if v.at.is_some() {
            return v.at;
        }
        let d = &self.model.decls;
        Some(match &v.val {
            Val::Post(p, _) => self.model.post(*p).id,
            Val::Org(o) => self.model.org(*o).id,
            Val::Area(a) => d.areas[a.ix()].id,
            Val::Grade(g) => d.grades[g.ix()].id,
            Val::Person(p) => d.persons[p.ix()].id,
            Val::Pool(p) => d.pools[*p as usize].id,
            Val::Slot(s) => d.slots[*s as usize].item,
            Val::Service(s) => d.services[s.ix()].id,
            Val::Agreement(a) => d.agreements[a.ix()].id,
            Val::Event(e) => d.events[*e as usize].span,
            Val::Budget(b) => d.budgets[*b as usize].id,
            Val::Spec => d.spec.as_ref()?.id,
            Val::Share(p, side, i) => {
                let s = self.state(*p, *side)?;
                match &s.funded {
                    Some(f) if *i != u32::MAX => f.value[*i as usize].span,
                    _ => self.model.post(*p).id,
                }
            }
            Val::Contact(s, i) => d.services[s.ix()].contacts[*i as usize].0.span,
            // a list points at its first element
            Val::List(items) => return items.first().and_then(|first| self.span_of(first)),
            _ => return None,
        })
    }

    // -----------------------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------------------

    fn eval(&mut self, node: &'a Node) -> R<V<'a>> {
        self.burn(1)?;
        Ok(match node {
            Node::Const(v) => V::bare(v.clone()),
            Node::Local(slot) => self.frame[*slot].clone(),
            Node::Param(i) => self.params[*i].clone(),
            Node::Spec => V::bare(if self.model.decls.spec.is_some() {
                Val::Spec
            } else {
                Val::None
            }),
            Node::Collection(c) => {
                let elems = self.collection(*c)?;
                V::bare(Val::List(elems))
            }
            Node::Field(base, f) => {
                let base = self.eval(base)?;
                self.project(&base, *f)?
            }
            Node::Not(inner) => {
                let v = self.eval(inner)?;
                V::bare(match v.val {
                    Val::Bool(b) => Val::Bool(!b),
                    _ => Val::Unknown,
                })
            }
            Node::Neg(inner) => {
                let v = self.eval(inner)?;
                V::bare(match v.val {
                    Val::Num(n) => Val::Num(-n),
                    Val::Pct(n) => Val::Pct(-n),
                    Val::Money(n) => Val::Money(-n),
                    Val::None => Val::None,
                    _ => Val::Unknown,
                })
            }
            Node::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs)?,
            Node::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                V::bare(Val::List(out.into()))
            }
            Node::Call(b, args, zero) => self.call(*b, args, *zero)?,
            Node::Quantifier {
                all,
                slot,
                over,
                filter,
                body,
            } => {
                let elems = self.elems(over)?;
                let n = self.elems_len(&elems);
                let mut result = Some(*all);
                for i in 0..n {
                    self.burn(1)?;
                    let Some(v) = self.elem(&elems, i) else {
                        continue;
                    };
                    self.frame[*slot] = v;
                    if let Some(f) = filter {
                        if !matches!(self.eval(f)?.val, Val::Bool(true)) {
                            continue;
                        }
                    }
                    match self.eval(body)?.val {
                        Val::Bool(b) if b != *all => {
                            result = Some(b);
                            break;
                        }
                        Val::Bool(_) => {}
                        _ => result = None,
                    }
                }
                V::bare(result.map_or(Val::Unknown, Val::Bool))
            }
            Node::Aggregate {
                op,
                slot,
                over,
                filter,
                map,
                zero,
            } => {
                let elems = self.elems(over)?;
                let n = self.elems_len(&elems);
                let mut picked = Vec::new();
                let mut count = 0u64;
                for i in 0..n {
                    self.burn(1)?;
                    let Some(v) = self.elem(&elems, i) else {
                        continue;
                    };
                    self.frame[*slot] = v.clone();
                    if let Some(f) = filter {
                        if !matches!(self.eval(f)?.val, Val::Bool(true)) {
                            continue;
                        }
                    }
                    count += 1;
                    if *op != Some(Builtin::Count) {
                        picked.push(match map {
                            Some(m) => self.eval(m)?,
                            None => v,
                        });
                    }
                }
                match op {
                    Some(Builtin::Count) => V::bare(Val::Num(Decimal::from(count))),
                    Some(op) => V::bare(fold(*op, &picked, *zero)),
                    // lists never nest: a list-valued projection flattens
                    None => V::bare(Val::List(
                        picked
                            .into_iter()
                            .flat_map(|v| match v.val {
                                Val::List(items) => items.iter().cloned().collect(),
                                _ => vec![v],
                            })
                            .collect(),
                    )),
                }
            }
        })
    }

    fn binary(&mut self, op: BinaryOp, lhs: &'a Node, rhs: &'a Node) -> R<V<'a>> {
        let l = self.eval(lhs)?;
        // `and` and `or` stop early, in three-valued logic
        match (op, &l.val) {
            (BinaryOp::And, Val::Bool(false)) => return Ok(V::bare(Val::Bool(false))),
            (BinaryOp::Or, Val::Bool(true)) => return Ok(V::bare(Val::Bool(true))),
            _ => {}
        }
        let r = self.eval(rhs)?;
        let val = match op {
            BinaryOp::And | BinaryOp::Or => match (&l.val, &r.val) {
                (_, Val::Bool(b)) if (op == BinaryOp::And) != *b => Val::Bool(*b),
                (Val::Bool(a), Val::Bool(b)) => Val::Bool(if op == BinaryOp::And {
                    *a && *b
                } else {
                    *a || *b
                }),
                _ => Val::Unknown,
            },
            BinaryOp::Eq => l.val.equals(&r.val).map_or(Val::Unknown, Val::Bool),
            BinaryOp::Ne => l.val.equals(&r.val).map_or(Val::Unknown, |b| Val::Bool(!b)),
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                match l.val.compare(&r.val) {
                    Some(o) => Val::Bool(match op {
                        BinaryOp::Lt => o == Ordering::Less,
                        BinaryOp::Le => o != Ordering::Greater,
                        BinaryOp::Gt => o == Ordering::Greater,
                        _ => o != Ordering::Less,
                    }),
                    None => Val::Unknown,
                }
            }
            BinaryOp::In | BinaryOp::NotIn => {
                let found = match (&l.val, &r.val) {
                    (Val::Unknown, _) | (_, Val::Unknown) => None,
                    (_, Val::None) => Some(false),
                    (x, Val::List(items)) => {
                        self.burn(items.len() as u64)?;
                        let mut found = Some(false);
                        for item in items.iter() {
                            match x.equals(&item.val) {
                                Some(true) => {
                                    found = Some(true);
                                    break;
                                }
                                None => found = None,
                                Some(false) => {}
                            }
                        }
                        found
                    }
                    _ => None,
                };
                match (op, found) {
                    (_, None) => Val::Unknown,
                    (BinaryOp::In, Some(b)) => Val::Bool(b),
                    (_, Some(b)) => Val::Bool(!b),
                }
            }
            _ => arithmetic(op, &l.val, &r.val),
        };
        Ok(V::bare(val))
    }

    fn call(&mut self, b: Builtin, args: &'a [Node], zero: Base) -> R<V<'a>> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(a)?);
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
                    Some(items) => V::bare(fold(b, &items, zero)),
                    None if matches!(values[0].val, Val::None) => V::bare(fold(b, &[], zero)),
                    None => V::bare(Val::Unknown),
                }
            }
            Builtin::Sum | Builtin::Min | Builtin::Max => V::bare(fold(b, &values, zero)),
            Builtin::First if values.len() == 2 => {
                match (&values[0].val, values[1].val.decimal()) {
                    (Val::List(items), Some(n)) => {
                        let n = usize::try_from(n.trunc().mantissa()).unwrap_or(0);
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
            Builtin::Either => {
                let mut values = values.into_iter();
                let a = values.next().expect("two arguments");
                let b = values.next().expect("two arguments");
                if a.val.is_missing() {
                    b
                } else {
                    a
                }
            }
            Builtin::Tier => V::bare(match &values[0].val {
                Val::Post(p, side) => match self.state(*p, *side) {
                    Some(s) => match m.normalised_tier(s) {
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
                    V::bare(Val::List(out.into()))
                }
                other => V::bare(missing_like(other)),
            },
            Builtin::Days => V::bare(match (&values[0].val, &values[1].val) {
                (Val::Date(a), Val::Date(b)) => Val::Num(Decimal::from(b - a)),
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
                let index = self.roles(side);
                let posts = index.get(role).map_or(&[][..], Vec::as_slice);
                V::bare(Val::List(
                    posts.iter().map(|p| V::bare(Val::Post(*p, side))).collect(),
                ))
            }
            Builtin::Present => V::bare(match (&values[0].val, &values[1].val) {
                (Val::Service(s), Val::Area(a)) => Val::Bool(self.presence().contains(&(*s, *a))),
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

    // -----------------------------------------------------------------------------------
    // Collections and lists
    // -----------------------------------------------------------------------------------

    fn elems(&mut self, node: &'a Node) -> R<Elems<'a>> {
        Ok(match node {
            Node::Collection(Collection::Posts) => Elems::Posts(Side::After),
            Node::Collection(Collection::PostsBefore) => Elems::Posts(Side::Before),
            _ => match self.eval(node)?.val {
                Val::List(items) => Elems::List(items),
                _ => Elems::List(Arc::from([])),
            },
        })
    }

    fn elems_len(&self, e: &Elems) -> usize {
        match e {
            Elems::List(items) => items.len(),
            Elems::Posts(_) => self.model.decls.posts.len(),
        }
    }

    fn elem(&self, e: &Elems<'a>, i: usize) -> Option<V<'a>> {
        match e {
            Elems::List(items) => Some(items[i].clone()),
            Elems::Posts(side) => {
                let p = PostIx(i as u32);
                self.model
                    .structure(*side)
                    .exists(p)
                    .then(|| V::bare(Val::Post(p, *side)))
            }
        }
    }

    fn collection(&mut self, c: Collection) -> R<Arc<[V<'a>]>> {
        let d = &self.model.decls;
        let n = |len: usize| 0..len as u32;
        let items: Vec<V<'a>> = match c {
            Collection::Posts | Collection::PostsBefore => {
                let side = if c == Collection::Posts {
                    Side::After
                } else {
                    Side::Before
                };
                self.model
                    .structure(side)
                    .posts()
                    .map(|(p, _)| V::bare(Val::Post(p, side)))
                    .collect()
            }
            Collection::Orgs => n(d.orgs.len())
                .map(|i| V::bare(Val::Org(OrgIx(i))))
                .collect(),
            Collection::Areas => n(d.areas.len())
                .map(|i| V::bare(Val::Area(AreaIx(i))))
                .collect(),
            Collection::Localities => self
                .localities()
                .iter()
                .map(|a| V::bare(Val::Area(*a)))
                .collect(),
            Collection::Grades => n(d.grades.len())
                .map(|i| V::bare(Val::Grade(crate::model::decl::GradeIx(i))))
                .collect(),
            Collection::Persons => n(d.persons.len())
                .map(|i| V::bare(Val::Person(crate::model::decl::PersonIx(i))))
                .collect(),
            Collection::Pools => n(d.pools.len()).map(|i| V::bare(Val::Pool(i))).collect(),
            Collection::Slots => n(d.slots.len()).map(|i| V::bare(Val::Slot(i))).collect(),
            Collection::Services => n(d.services.len())
                .map(|i| V::bare(Val::Service(ServiceIx(i))))
                .collect(),
            Collection::Agreements => n(d.agreements.len())
                .map(|i| V::bare(Val::Agreement(AgreementIx(i))))
                .collect(),
            Collection::Events => n(d.events.len()).map(|i| V::bare(Val::Event(i))).collect(),
            Collection::Phases => n(d.events.len())
                .filter(|i| d.events[*i as usize].kind == EventKind::Phase)
                .map(|i| V::bare(Val::Event(i)))
                .collect(),
            Collection::Budgets => n(d.budgets.len())
                .map(|i| V::bare(Val::Budget(i)))
                .collect(),
            Collection::Shares => self
                .shares()
                .iter()
                .map(|(p, i)| V::bare(Val::Share(*p, Side::After, *i)))
                .collect(),
        };
        self.burn(items.len() as u64)?;
        Ok(items.into())
    }

    // -----------------------------------------------------------------------------------
    // Fields
    // -----------------------------------------------------------------------------------

    fn state(&self, p: PostIx, side: Side) -> Option<&'a PostState> {
        let model: &'a Model = self.model;
        model.structure(side).state(p).map(|s| model.state(s))
    }

    /// A field of a value, mapped over a list (and flattened).
    fn project(&mut self, base: &V<'a>, f: F) -> R<V<'a>> {
        match &base.val {
            Val::List(items) => {
                self.burn(items.len() as u64)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    let v = self.field(item, f);
                    match v.val {
                        Val::List(inner) => out.extend(inner.iter().cloned()),
                        Val::None => {}
                        _ => out.push(v),
                    }
                }
                Ok(V::bare(Val::List(out.into())))
            }
            _ => Ok(self.field(base, f)),
        }
    }

    /// One field of one value. `None` and `Unknown` pass through.
    fn field(&self, base: &V<'a>, f: F) -> V<'a> {
        let m: &'a Model = self.model;
        let src: &'a SourceMap = self.src;
        let d = &m.decls;
        let none = V::bare(Val::None);
        let known = |k: Known<Val<'a>>| -> V<'a> {
            match k {
                Known::Given(v, s) => V::at(v, s),
                Known::Undecided(s) | Known::Invalid(s) => V::at(Val::Unknown, s),
                Known::Absent => V::bare(Val::None),
            }
        };
        let map_known = |k: Known<Val<'a>>| known(k);
        let text = |s: Span| V::at(Val::Str(src.slice(s)), s);
        let opt_str = |s: &'a Option<String>, id: Span| match s {
            Some(t) => V::bare(Val::Str(t.as_str())),
            None => V::at(Val::Str(src.slice(id)), id),
        };
        let list = |items: Vec<V<'a>>| V::bare(Val::List(items.into()));
        let date_first =
            |k: Known<crate::value::Date>| map_known(map(k, |d| Val::Date(d.first_day())));
        let date_last =
            |k: Known<crate::value::Date>| map_known(map(k, |d| Val::Date(d.last_day())));
        match &base.val {
            Val::Unknown => V::bare(Val::Unknown),
            Val::Post(p, side) => {
                let (p, side) = (*p, *side);
                let post = m.post(p);
                let state = self.state(p, side);
                match f {
                    F::Name => return text(post.id),
                    F::New => return V::bare(Val::Bool(post.lifecycle == Lifecycle::New)),
                    F::Deleted => return V::bare(Val::Bool(post.lifecycle == Lifecycle::Deleted)),
                    F::Changed => {
                        return V::bare(Val::Bool(
                            post.lifecycle == Lifecycle::Continuing && post.before != post.after,
                        ))
                    }
                    F::Was => {
                        return if m.before.exists(p) {
                            V::bare(Val::Post(p, Side::Before))
                        } else {
                            none
                        }
                    }
                    F::Now => {
                        return if m.after.exists(p) {
                            V::bare(Val::Post(p, Side::After))
                        } else {
                            none
                        }
                    }
                    F::DirectReports => {
                        let reports = m.structure(side).direct_reports(p);
                        return list(
                            reports
                                .iter()
                                .map(|r| V::bare(Val::Post(*r, side)))
                                .collect(),
                        );
                    }
                    F::Slots => return Self::indexed(self.slots_from(), p, Val::Slot),
                    F::SlottedIn => return Self::indexed(self.slots_into(), p, Val::Slot),
                    F::Pools => return Self::indexed(self.pools_of(), p, Val::Pool),
                    F::Pooled => return Self::indexed(self.pooled_in(), p, Val::Pool),
                    _ => {}
                }
                let Some(s) = state else { return none };
                let det = s.details();
                match f {
                    F::Title => match det.title {
                        Some(t) => V::at(Val::Str(post.title.as_str()), t.span),
                        None => V::bare(Val::Str(post.title.as_str())),
                    },
                    F::Employer => known(map(s.employer, Val::Org)),
                    F::Tier => known(map(s.tier, |t| Val::Num(Decimal::from(t)))),
                    F::ReportsTo => known(map(s.reports_to, |q| Val::Post(q, side))),
                    F::AccountableTo => list(
                        det.accountable_to
                            .iter()
                            .map(|a| {
                                V::at(
                                    match a.value {
                                        Accountable::Post(q) => Val::Post(q, side),
                                        Accountable::Org(o) => Val::Org(o),
                                    },
                                    a.span,
                                )
                            })
                            .collect(),
                    ),
                    F::Funded => match &s.funded {
                        Some(f) => V::at(
                            Val::List(
                                (0..f.value.len() as u32)
                                    .map(|i| V::bare(Val::Share(p, side, i)))
                                    .collect(),
                            ),
                            f.span,
                        ),
                        None => list(vec![V::bare(Val::Share(p, side, u32::MAX))]),
                    },
                    F::Count => match (s.count, det.count_undecided) {
                        (_, Some(tbd)) => V::at(Val::Unknown, tbd),
                        (Some(c), None) => V::at(Val::Num(Decimal::from(c.value)), c.span),
                        (None, None) => V::bare(Val::Num(Decimal::ONE)),
                    },
                    F::Fte => match s.fte {
                        Some(c) => V::at(Val::Num(c.value), c.span),
                        None => V::bare(Val::Num(Decimal::ONE)),
                    },
                    F::Grade => known(map(s.grade, |g| match g {
                        GradeSpec::One(g) | GradeSpec::Between(g, _) => Val::Grade(g),
                    })),
                    F::Cost => known(map(det.cost, Val::Money)),
                    F::AnnualCost => V::bare(self.annual_cost(s)),
                    F::Holders => V::bare(Self::holders(s).map_or(Val::Unknown, Val::Num)),
                    F::Vacant => {
                        V::bare(Self::holders(s).map_or(Val::Unknown, |n| Val::Bool(n.is_zero())))
                    }
                    F::NamedHolder => V::bare(Val::Bool(matches!(
                        s.holder,
                        Known::Given(Holder::Person(_) | Holder::Named, _)
                    ))),
                    F::Manages => list(
                        det.manages
                            .iter()
                            .map(|x| {
                                V::at(
                                    match x.value {
                                        Managed::Area(a) => Val::Area(a),
                                        Managed::Service(v) => Val::Service(v),
                                    },
                                    x.span,
                                )
                            })
                            .collect(),
                    ),
                    F::Areas => list(
                        det.areas
                            .iter()
                            .map(|a| V::at(Val::Area(a.value), a.span))
                            .collect(),
                    ),
                    F::Citywide => V::bare(Val::Bool(det.citywide)),
                    F::Service => known(map(det.service, Val::Service)),
                    F::Discipline => match &det.discipline {
                        Some(x) => V::at(Val::Sym(&x.value), x.span),
                        None => none,
                    },
                    F::SupervisedBy => known(map(det.supervised_by, |q| Val::Post(q, side))),
                    F::Statutory => list(
                        det.statutory
                            .iter()
                            .map(|r| V::at(Val::Sym(&r.value), r.span))
                            .collect(),
                    ),
                    F::Assurance => match det.assurance {
                        Some(a) => text(a),
                        None => none,
                    },
                    F::Recruit => match det.recruit_undecided {
                        Some(tbd) => V::at(Val::Unknown, tbd),
                        None => list(
                            det.recruit
                                .iter()
                                .map(|r| {
                                    V::at(Val::Sym(r.value.word().unwrap_or_default()), r.span)
                                })
                                .collect(),
                        ),
                    },
                    F::SecondedFrom => known(map(det.seconded_from, Val::Org)),
                    F::From => date_first(det.from),
                    F::Until => date_last(det.until),
                    F::Reason => match det.reason {
                        Known::Given(Reason::Text, s) => V::at(Val::Str(src.slice(s)), s),
                        other => known(map(other, |r| Val::Sym(r.word().unwrap_or_default()))),
                    },
                    _ => none,
                }
            }
            Val::Org(o) => {
                let org = m.org(*o);
                match f {
                    F::Name => text(org.id),
                    F::Title => opt_str(&org.name, org.id),
                    F::Kind => org
                        .kind
                        .map_or(none, |k| V::bare(Val::Sym(k.word().unwrap_or_default()))),
                    F::Tiers => org
                        .tiers
                        .map_or(none, |t| V::at(Val::Num(Decimal::from(t.value)), t.span)),
                    F::From => org.from.map_or(none, |d| V::bare(Val::Date(d.first_day()))),
                    F::Until => org.until.map_or(none, |d| V::bare(Val::Date(d.last_day()))),
                    _ => none,
                }
            }
            Val::Area(a) => {
                let area = &d.areas[a.ix()];
                match f {
                    F::Name => text(area.id),
                    F::Title => opt_str(&area.name, area.id),
                    F::Includes => list(
                        area.includes
                            .iter()
                            .map(|x| V::at(Val::Area(x.value), x.span))
                            .collect(),
                    ),
                    F::Managers => list(
                        self.area_managers()[a.ix()]
                            .iter()
                            .map(|p| V::bare(Val::Post(*p, Side::After)))
                            .collect(),
                    ),
                    _ => none,
                }
            }
            Val::Grade(g) => {
                let grade = &d.grades[g.ix()];
                match f {
                    F::Name => text(grade.id),
                    F::Org => V::bare(Val::Org(grade.org)),
                    F::Rank => V::bare(Val::Num(Decimal::from(grade.rank))),
                    F::Min => grade.pay.map_or(none, |(lo, _)| V::bare(Val::Money(lo))),
                    F::Max => grade.pay.map_or(none, |(_, hi)| V::bare(Val::Money(hi))),
                    F::Midpoint => grade.pay.map_or(none, |(lo, hi)| {
                        V::bare(Val::Money((lo + hi) / Decimal::TWO))
                    }),
                    _ => none,
                }
            }
            Val::Person(p) => {
                let person = &d.persons[p.ix()];
                match f {
                    F::Name => text(person.id),
                    F::Title => opt_str(&person.name, person.id),
                    _ => none,
                }
            }
            Val::Pool(i) => {
                let pool = &d.pools[*i as usize];
                let candidate_posts = || {
                    pool.candidates.iter().filter_map(|c| match c.value {
                        Candidate::Post(p) => Some((p, c.span)),
                        Candidate::Person(_) => None,
                    })
                };
                match f {
                    F::Name => text(pool.id),
                    F::Title => opt_str(&pool.name, pool.id),
                    F::Candidates => list(
                        pool.candidates
                            .iter()
                            .map(|c| {
                                V::at(
                                    match c.value {
                                        Candidate::Post(p) => Val::Post(p, Side::Before),
                                        Candidate::Person(x) => Val::Person(x),
                                    },
                                    c.span,
                                )
                            })
                            .collect(),
                    ),
                    F::CandidatePosts => list(
                        candidate_posts()
                            .map(|(p, s)| V::at(Val::Post(p, Side::Before), s))
                            .collect(),
                    ),
                    F::CandidatePersons => list(
                        pool.candidates
                            .iter()
                            .filter_map(|c| match c.value {
                                Candidate::Person(x) => Some(V::at(Val::Person(x), c.span)),
                                Candidate::Post(_) => None,
                            })
                            .collect(),
                    ),
                    F::Posts => list(
                        pool.posts
                            .iter()
                            .map(|p| V::at(Val::Post(p.value, Side::After), p.span))
                            .collect(),
                    ),
                    F::Fallback => list(
                        pool.fallback
                            .iter()
                            .map(|x| {
                                V::at(
                                    match x.value {
                                        Fallback::Post(p) => Val::Post(p, Side::After),
                                        Fallback::Redeployment => Val::Sym("redeployment"),
                                        Fallback::Vr => Val::Sym("vr"),
                                        Fallback::Er => Val::Sym("er"),
                                    },
                                    x.span,
                                )
                            })
                            .collect(),
                    ),
                    F::Places => V::bare(
                        pool.posts
                            .iter()
                            .filter_map(|p| self.state(p.value, Side::After))
                            .map(Self::count)
                            .sum::<Option<u64>>()
                            .map_or(Val::Unknown, |n| Val::Num(Decimal::from(n))),
                    ),
                    F::CandidateCount => V::bare(
                        pool.candidates
                            .iter()
                            .map(|c| match c.value {
                                Candidate::Post(p) => self
                                    .state(p, Side::Before)
                                    .map_or(Some(Decimal::ZERO), Self::holders),
                                Candidate::Person(_) => Some(Decimal::ONE),
                            })
                            .sum::<Option<Decimal>>()
                            .map_or(Val::Unknown, Val::Num),
                    ),
                    _ => none,
                }
            }
            Val::Slot(i) => {
                let slot = &d.slots[*i as usize];
                match f {
                    F::SlotFrom => list(
                        slot.from
                            .iter()
                            .map(|p| V::at(Val::Post(p.value, Side::Before), p.span))
                            .collect(),
                    ),
                    F::SlotTo => V::at(Val::Post(slot.to.value, Side::After), slot.to.span),
                    _ => none,
                }
            }
            Val::Service(i) => {
                let s = &d.services[i.ix()];
                match f {
                    F::Name => text(s.id),
                    F::Title => opt_str(&s.name, s.id),
                    F::Kind => known(map(s.kind, |k| Val::Sym(k.word().unwrap_or_default()))),
                    F::Host => known(map(s.host, Val::Area)),
                    F::Level => known(map(s.level, |l| Val::Sym(l.word().unwrap_or_default()))),
                    F::Contacts => list(
                        (0..s.contacts.len() as u32)
                            .map(|c| V::bare(Val::Contact(*i, c)))
                            .collect(),
                    ),
                    _ => none,
                }
            }
            Val::Contact(s, c) => {
                let (area, posts) = &d.services[s.ix()].contacts[*c as usize];
                match f {
                    F::Area => V::at(Val::Area(area.value), area.span),
                    F::Posts => list(
                        posts
                            .iter()
                            .map(|p| V::at(Val::Post(p.value, Side::After), p.span))
                            .collect(),
                    ),
                    _ => none,
                }
            }
            Val::Agreement(i) => {
                let a = &d.agreements[i.ix()];
                match f {
                    F::Name => text(a.id),
                    F::Title => opt_str(&a.name, a.id),
                    F::Kind => known(map(a.kind, |k| Val::Sym(k.word().unwrap_or_default()))),
                    F::Parties => list(
                        a.parties
                            .iter()
                            .map(|o| V::at(Val::Org(o.value), o.span))
                            .collect(),
                    ),
                    F::From => date_first(a.from),
                    F::Until => date_last(a.until),
                    _ => none,
                }
            }
            Val::Event(i) => {
                let e = &d.events[*i as usize];
                match f {
                    F::Name => match e.id {
                        Some(id) => text(id),
                        None => V::at(Val::Str(e.label.as_deref().unwrap_or("")), e.span),
                    },
                    F::Title => V::bare(Val::Str(e.label.as_deref().unwrap_or(""))),
                    F::Kind => V::bare(Val::Sym(e.kind.word().unwrap_or_default())),
                    F::Start => date_first(e.start),
                    F::End => date_last(e.end),
                    F::Position => V::bare(Val::Num(Decimal::from(*i + 1))),
                    _ => none,
                }
            }
            Val::Budget(i) => {
                let b = &d.budgets[*i as usize];
                match f {
                    F::Name => text(b.id),
                    F::Title => opt_str(&b.name, b.id),
                    F::Envelope => known(map(b.envelope, Val::Money)),
                    F::Net => V::bare(Val::Bool(b.net)),
                    _ => none,
                }
            }
            Val::Spec => {
                let Some(s) = &d.spec else { return none };
                match f {
                    F::Name => text(s.id),
                    F::Title => opt_str(&s.title, s.id),
                    F::Authority => known(map(s.authority, Val::Org)),
                    F::Published => date_first(s.published),
                    F::Status => known(map(s.status, |st| Val::Sym(st.word().unwrap_or_default()))),
                    F::Redundancies => known(map(s.redundancies, |n| Val::Num(Decimal::from(n)))),
                    _ => none,
                }
            }
            Val::Share(p, side, i) => {
                let Some(s) = self.state(*p, *side) else {
                    return none;
                };
                match (f, &s.funded) {
                    (F::Post, _) => V::bare(Val::Post(*p, *side)),
                    (F::Org, Some(funded)) if *i != u32::MAX => {
                        let share = &funded.value[*i as usize];
                        V::at(Val::Org(share.org), share.org_span)
                    }
                    (F::Share, Some(funded)) if *i != u32::MAX => {
                        let share = &funded.value[*i as usize];
                        match share.percent {
                            Some(pc) => V::at(Val::Pct(pc), share.span),
                            None => V::at(Val::Unknown, share.span),
                        }
                    }
                    (F::Org, _) => known(map(s.employer, Val::Org)),
                    (F::Share, _) => V::bare(Val::Pct(Decimal::ONE_HUNDRED)),
                    _ => none,
                }
            }
            _ => none,
        }
    }

    /// `cost`, else the grade's midpoint × fte × count; `None` without a cost or a graded
    /// pay range, `Unknown` while the cost, grade or count is `tbd`.
    fn annual_cost(&self, s: &PostState) -> Val<'a> {
        let det = s.details();
        if det.count_undecided.is_some() {
            return Val::Unknown;
        }
        let count = Decimal::from(s.count());
        let fte = s.fte.map_or(Decimal::ONE, |f| f.value);
        match det.cost {
            Known::Given(c, _) => return Val::Money(c * fte * count),
            Known::Undecided(_) | Known::Invalid(_) => return Val::Unknown,
            Known::Absent => {}
        }
        let grades = &self.model.decls.grades;
        let mid = |g: crate::model::decl::GradeIx| {
            grades[g.ix()].pay.map(|(lo, hi)| (lo + hi) / Decimal::TWO)
        };
        // no grade, or a grade without pay: nothing to cost (`none`); `tbd`: open (unknown)
        let pay = match s.grade {
            Known::Given(GradeSpec::One(g), _) => mid(g),
            Known::Given(GradeSpec::Between(a, b), _) => {
                mid(a).zip(mid(b)).map(|(x, y)| (x + y) / Decimal::TWO)
            }
            Known::Undecided(_) | Known::Invalid(_) => return Val::Unknown,
            Known::Absent => None,
        };
        pay.map_or(Val::None, |p| Val::Money(p * fte * count))
    }

    /// How many hold the post; `None` while its `count` or `vacancies` is `tbd`.
    fn holders(s: &PostState) -> Option<Decimal> {
        let det = s.details();
        let open = det.count_undecided.is_some() || det.vacancies_undecided.is_some();
        (!open || matches!(s.holder, Known::Given(Holder::Vacant, _)))
            .then(|| Decimal::from(s.holders()))
    }

    /// `count`, `None` while it is `tbd`.
    fn count(s: &PostState) -> Option<u64> {
        s.details()
            .count_undecided
            .is_none()
            .then(|| u64::from(s.count()))
    }

    fn indexed(index: &FxHashMap<PostIx, Vec<u32>>, p: PostIx, make: fn(u32) -> Val<'a>) -> V<'a> {
        let items = index.get(&p).map_or(&[][..], Vec::as_slice);
        V::bare(Val::List(items.iter().map(|i| V::bare(make(*i))).collect()))
    }

    // -----------------------------------------------------------------------------------
    // Indexes, built on first use
    // -----------------------------------------------------------------------------------

    fn slots_from(&self) -> &'a FxHashMap<PostIx, Vec<u32>> {
        let d = &self.model.decls;
        let ix: &'a Indexes = self.ix;
        ix.slots_from.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, s) in d.slots.iter().enumerate() {
                for from in &s.from {
                    map.entry(from.value).or_default().push(i as u32);
                }
            }
            map
        })
    }

    fn slots_into(&self) -> &'a FxHashMap<PostIx, Vec<u32>> {
        let d = &self.model.decls;
        let ix: &'a Indexes = self.ix;
        ix.slots_into.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, s) in d.slots.iter().enumerate() {
                map.entry(s.to.value).or_default().push(i as u32);
            }
            map
        })
    }

    fn pools_of(&self) -> &'a FxHashMap<PostIx, Vec<u32>> {
        let d = &self.model.decls;
        let ix: &'a Indexes = self.ix;
        ix.pools_of.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, pool) in d.pools.iter().enumerate() {
                for c in &pool.candidates {
                    if let Candidate::Post(p) = c.value {
                        map.entry(p).or_default().push(i as u32);
                    }
                }
            }
            map
        })
    }

    fn pooled_in(&self) -> &'a FxHashMap<PostIx, Vec<u32>> {
        let d = &self.model.decls;
        let ix: &'a Indexes = self.ix;
        ix.pooled_in.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, pool) in d.pools.iter().enumerate() {
                for p in &pool.posts {
                    map.entry(p.value).or_default().push(i as u32);
                }
            }
            map
        })
    }

    fn roles(&self, side: Side) -> &'a FxHashMap<Box<str>, Vec<PostIx>> {
        let model: &'a Model = self.model;
        let ix: &'a Indexes = self.ix;
        let cell = match side {
            Side::After => &ix.roles_after,
            Side::Before => &ix.roles_before,
        };
        cell.get_or_init(|| {
            let mut map: FxHashMap<Box<str>, Vec<PostIx>> = FxHashMap::default();
            for (p, s) in model.structure(side).posts() {
                for r in &model.state(s).details().statutory {
                    let holders = map.entry(r.value.clone()).or_default();
                    if holders.last() != Some(&p) {
                        holders.push(p);
                    }
                }
            }
            map
        })
    }

    /// For each area, the areas that include it (directly).
    fn parents(&self) -> Vec<Vec<AreaIx>> {
        let areas = &self.model.decls.areas;
        let mut parents = vec![Vec::new(); areas.len()];
        for (i, a) in areas.iter().enumerate() {
            for inc in &a.includes {
                parents[inc.value.ix()].push(AreaIx(i as u32));
            }
        }
        parents
    }

    fn area_managers(&self) -> &'a Vec<Vec<PostIx>> {
        let model: &'a Model = self.model;
        let ix: &'a Indexes = self.ix;
        ix.area_managers.get_or_init(|| {
            let areas = &model.decls.areas;
            let mut managers = vec![Vec::new(); areas.len()];
            for (p, s) in model.after.posts() {
                for x in &model.state(s).details().manages {
                    let Managed::Area(a) = x.value else { continue };
                    // the area and everything it includes
                    let mut stack = vec![a];
                    let mut seen = FxHashSet::default();
                    while let Some(a) = stack.pop() {
                        if !seen.insert(a) {
                            continue;
                        }
                        let list: &mut Vec<PostIx> = &mut managers[a.ix()];
                        if list.last() != Some(&p) {
                            list.push(p);
                        }
                        stack.extend(areas[a.ix()].includes.iter().map(|i| i.value));
                    }
                }
            }
            managers
        })
    }

    fn presence(&self) -> &'a FxHashSet<(ServiceIx, AreaIx)> {
        let model: &'a Model = self.model;
        let ix: &'a Indexes = self.ix;
        let parents = || self.parents();
        ix.presence.get_or_init(|| {
            let parents = parents();
            let mut set = FxHashSet::default();
            for (_, s) in model.after.posts() {
                let state = model.state(s);
                let det = state.details();
                let mut services: Vec<ServiceIx> = det.service.given().into_iter().collect();
                let mut places: Vec<AreaIx> = det.areas.iter().map(|a| a.value).collect();
                for x in &det.manages {
                    match x.value {
                        Managed::Service(v) => services.push(v),
                        Managed::Area(a) => places.push(a),
                    }
                }
                if services.is_empty() {
                    continue;
                }
                // a post based in an area is present in every area that includes it
                let mut stack = places;
                let mut seen = FxHashSet::default();
                while let Some(a) = stack.pop() {
                    if !seen.insert(a) {
                        continue;
                    }
                    for &v in &services {
                        set.insert((v, a));
                    }
                    stack.extend(parents[a.ix()].iter().copied());
                }
            }
            set
        })
    }

    fn localities(&self) -> &'a Vec<AreaIx> {
        let ix: &'a Indexes = self.ix;
        let parents = || self.parents();
        ix.localities.get_or_init(|| {
            parents()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_empty())
                .map(|(i, _)| AreaIx(i as u32))
                .collect()
        })
    }

    fn shares(&self) -> &'a Vec<(PostIx, u32)> {
        let model: &'a Model = self.model;
        let ix: &'a Indexes = self.ix;
        ix.shares.get_or_init(|| {
            let mut out = Vec::new();
            for (p, s) in model.after.posts() {
                match &model.state(s).funded {
                    Some(f) => out.extend((0..f.value.len() as u32).map(|i| (p, i))),
                    None => out.push((p, u32::MAX)),
                }
            }
            out
        })
    }
}

fn map<T: Copy, U>(k: Known<T>, f: impl FnOnce(T) -> U) -> Known<U> {
    match k {
        Known::Absent => Known::Absent,
        Known::Undecided(s) => Known::Undecided(s),
        Known::Invalid(s) => Known::Invalid(s),
        Known::Given(v, s) => Known::Given(f(v), s),
    }
}

/// `Unknown` stays unknown; anything else that is not the expected kind is absent.
fn missing_like(v: &Val) -> Val<'static> {
    if matches!(v, Val::Unknown) {
        Val::Unknown
    } else {
        Val::None
    }
}

fn fold<'a>(op: Builtin, items: &[V<'a>], zero: Base) -> Val<'a> {
    let mut acc: Option<Val<'a>> = None;
    for item in items {
        match &item.val {
            Val::Unknown => return Val::Unknown,
            Val::None => {}
            v => {
                acc = Some(match (op, acc) {
                    (_, None) => v.clone(),
                    (Builtin::Sum, Some(a)) => arithmetic(BinaryOp::Add, &a, v),
                    (Builtin::Min, Some(a)) => match v.compare(&a) {
                        Some(Ordering::Less) => v.clone(),
                        Some(_) => a,
                        None => return Val::Unknown,
                    },
                    (_, Some(a)) => match v.compare(&a) {
                        Some(Ordering::Greater) => v.clone(),
                        Some(_) => a,
                        None => return Val::Unknown,
                    },
                });
            }
        }
    }
    match (acc, op) {
        (Some(v), _) => v,
        (None, Builtin::Sum) => match zero {
            Base::Pct => Val::Pct(Decimal::ZERO),
            Base::Money => Val::Money(Decimal::ZERO),
            _ => Val::Num(Decimal::ZERO),
        },
        (None, _) => Val::None,
    }
}

/// `a op b` for `+ - * /`; the type checker has already ruled out nonsense.
fn arithmetic<'a>(op: BinaryOp, a: &Val<'a>, b: &Val<'a>) -> Val<'a> {
    use Val::{Date, Level, Money, Num, Pct};
    match (a, b) {
        (Val::Unknown, _) | (_, Val::Unknown) => return Val::Unknown,
        (Val::None, _) | (_, Val::None) => return Val::None,
        _ => {}
    }
    let checked = |r: Option<Decimal>, make: fn(Decimal) -> Val<'a>| r.map_or(Val::Unknown, make);
    match (op, a, b) {
        (BinaryOp::Sub, Date(x), Date(y)) => Num(Decimal::from(x - y)),
        (BinaryOp::Add | BinaryOp::Sub, Date(x), Num(n)) | (BinaryOp::Add, Num(n), Date(x)) => {
            let days =
                i64::try_from(n.trunc().mantissa()).unwrap_or(0) / 10i64.pow(n.trunc().scale());
            Date(if op == BinaryOp::Add {
                x + days
            } else {
                x - days
            })
        }
        (BinaryOp::Add | BinaryOp::Sub, Level(s, l), Num(n)) => {
            let k = i64::try_from(n.trunc().mantissa()).unwrap_or(0) / 10i64.pow(n.trunc().scale());
            Level(*s, if op == BinaryOp::Add { l + k } else { l - k })
        }
        (BinaryOp::Sub, Level(s, x), Level(t, y)) => {
            if s == t {
                Num(Decimal::from(x - y))
            } else {
                Val::Unknown
            }
        }
        _ => {
            let (Some(x), Some(y)) = (a.decimal(), b.decimal()) else {
                return Val::Unknown;
            };
            // the kind of the result: money wins, then percent, then number
            let make: fn(Decimal) -> Val<'a> = match (a, b, op) {
                (Money(_), Money(_), BinaryOp::Div) | (Pct(_), Pct(_), BinaryOp::Div) => Num,
                (Money(_), _, _) | (_, Money(_), _) => Money,
                (Pct(_), _, _) | (_, Pct(_), _) => Pct,
                _ => Num,
            };
            // percent × money is a share of the money
            let (x, y) = match (a, b, op) {
                (Pct(_), Money(_), BinaryOp::Mul) => (x / Decimal::ONE_HUNDRED, y),
                (Money(_), Pct(_), BinaryOp::Mul) => (x, y / Decimal::ONE_HUNDRED),
                _ => (x, y),
            };
            let r = match op {
                BinaryOp::Add => x.checked_add(y),
                BinaryOp::Sub => x.checked_sub(y),
                BinaryOp::Mul => x.checked_mul(y),
                _ => {
                    if y.is_zero() {
                        None
                    } else {
                        x.checked_div(y)
                    }
                }
            };
            checked(r, make)
        }
    }
}
