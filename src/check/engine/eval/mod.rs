//! The evaluator: compiled rules over one model.
//!
//! - this file: running a rule's checks and making its findings;
//! - `expr.rs`: expressions, collections and three-valued logic;
//! - `fields.rs`: the fields of values, written (read by their rows) and derived;
//! - the builtin functions are in `../builtins.rs`, with their typing and docs.
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

mod derived;
mod expr;
mod fields;
mod guard;

#[doc(hidden)]
pub use guard::set_guarded;
use guard::Subjects;

pub(crate) use expr::{arithmetic, missing_like};

use std::fmt::Write as _;
use std::sync::Arc;

use super::compile::{Check, CompiledRule, Piece, Tpl};
use super::value::{Val, V};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Model, Side};
use crate::source::{SourceMap, Span};
use crate::value::{days_text, Decimal};
use crate::vocab::Derived;

/// Why evaluation stopped.
#[derive(Debug)]
pub struct OutOfFuel;

pub(crate) type R<T> = Result<T, OutOfFuel>;

/// Fuel for one rule: a fixed allowance plus this much per item of the spec.
const FUEL_BASE: u64 = 2_000_000;
const FUEL_PER_ITEM: u64 = 400;

pub struct Evaluator<'a> {
    pub(crate) model: &'a Model,
    pub(crate) src: &'a SourceMap,
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
            frame: vec![V::bare(Val::None); rule.frame],
            params,
            fuel: budget,
            budget,
            rule_id,
            severity,
        }
    }

    /// The value of a local (a generator's element, a `let`).
    pub(crate) fn local(&self, slot: usize) -> &V<'a> {
        &self.frame[slot]
    }

    pub(crate) fn burn(&mut self, n: u64) -> R<()> {
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
            let slot = check.generators.first().map_or(0, |(slot, _)| *slot);
            match self.guard(check)? {
                // only the posts (or shares) that have what its filter needs (`guard.rs`)
                Some(Subjects::Posts(side, posts)) => {
                    for &p in posts.iter() {
                        self.burn(1)?;
                        self.frame[slot] = V::bare(Val::Post(p, side));
                        self.generate(rule, check, 1, out)?;
                    }
                }
                Some(Subjects::Shares(shares)) => {
                    for share in shares {
                        self.burn(1)?;
                        self.frame[slot] = share;
                        self.generate(rule, check, 1, out)?;
                    }
                }
                None => self.generate(rule, check, 0, out)?,
            }
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
                if !self.bind(&elems, i, *slot) {
                    continue;
                }
                self.generate(rule, check, depth + 1, out)?;
            }
            return Ok(());
        }
        if let Some(filter) = &check.filter {
            if !self.is_true(filter)? {
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
        if self.is_false(require)? {
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
        let severity = if check.completeness && self.paper_open() {
            // a draft or a consultation paper need not be complete yet: say so, lower
            self.severity.max(Severity::Warning)
        } else {
            self.severity
        };
        let mut d = Diagnostic::new(self.rule_id.clone(), severity, span, message);
        if let Some(label) = label {
            d = d.with_label(label);
        }
        for also in &check.also {
            let target = self.eval(&also.target)?;
            let targets: Vec<V<'a>> = match &target.val {
                Val::List(items) => {
                    self.burn(items.len() as u64)?;
                    items.iter().cloned().collect()
                }
                v if v.is_missing() => Vec::new(),
                _ => vec![target.clone()],
            };
            for t in targets {
                let Some(at) = self.span_of(&t) else { continue };
                if let Some(slot) = also.binding {
                    self.frame[slot] = t.clone();
                }
                if let Some(filter) = &also.filter {
                    if !self.is_true(filter)? {
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

    /// Whether the paper is still open: a draft, or out for consultation (`spec status`).
    fn paper_open(&self) -> bool {
        use crate::decl::SpecStatus;
        self.model.decls.spec.as_ref().is_some_and(|s| {
            matches!(
                s.status.given(),
                Some(SpecStatus::Draft | SpecStatus::Consultation)
            )
        })
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
                    // a list is written element by element: a step each
                    if let Val::List(items) = &v.val {
                        self.burn(items.len() as u64)?;
                    }
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
            Val::Date(lo, hi) => out.push_str(&days_text(*lo, *hi)),
            Val::Between(r) if r.1 == Decimal::MAX => {
                let _ = write!(out, "at least {}", r.0.normalize());
            }
            Val::Between(r) => {
                let _ = write!(out, "between {} and {}", r.0.normalize(), r.1.normalize());
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
            Val::Proposal(p) => out.push_str(src.slice(m.decls.proposals[*p as usize].id)),
            Val::Establishment(e) => {
                let e = &m.establishments()[*e as usize];
                let org = m.org(e.employer);
                out.push_str(org.name.as_deref().unwrap_or(src.slice(org.id)));
                if let Some(site) = &e.site {
                    let _ = write!(out, " at `{site}`");
                }
            }
            Val::Role(r) => {
                if let Some(role) = crate::vocab::roles::ROLES.get(*r as usize) {
                    out.push_str(role.title);
                }
            }
            Val::Law(l) => {
                if let Some(law) = super::stdlib::laws().get(*l as usize) {
                    out.push_str(&law.title);
                }
            }
            Val::Spec => {
                if let Some(s) = &m.decls.spec {
                    out.push_str(src.slice(s.id));
                }
            }
            Val::Share(..) => {
                let org = self.derived(&V::bare(v.clone()), Derived::ShareOrg);
                let share = self.derived(&V::bare(v.clone()), Derived::Share);
                self.show(&org.val, out);
                out.push(' ');
                self.show(&share.val, out);
            }
            Val::Contact(s, i) => {
                let contact = &m.decls.services[s.ix()].contacts.list()[*i as usize];
                out.push_str(src.slice(m.decls.areas[contact.area.value.ix()].id));
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
            Val::Proposal(p) => d.proposals[*p as usize].id,
            Val::Establishment(e) => {
                let e = &self.model.establishments()[*e as usize];
                match (e.posts.first(), e.proposals.first()) {
                    (Some((p, _)), _) => self.model.post(*p).id,
                    (None, Some(p)) => d.proposals[*p as usize].id,
                    (None, None) => self.fallback_span(),
                }
            }
            Val::Spec => d.spec.as_ref()?.id,
            Val::Share(p, side, i) => {
                let s = self.state(*p, *side)?;
                match s.details().funded().get() {
                    Some(shares) if *i != u32::MAX => shares[*i as usize].span,
                    _ => self.model.post(*p).id,
                }
            }
            Val::Contact(s, i) => d.services[s.ix()].contacts.list()[*i as usize].area.span,
            // a list points at its first element
            Val::List(items) => return items.first().and_then(|first| self.span_of(first)),
            _ => return None,
        })
    }
}
