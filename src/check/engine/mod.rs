//! The rule engine: rules written in the language (LANGUAGE.md §3), compiled once and run
//! over a model.
//!
//! - [`types`]: what a rule can read (fields, collections, builtins) and the types;
//! - [`compile`]: `rule` item → type-checked [`CompiledRule`], or `rule_error`s;
//! - [`eval`]: the linear evaluator with its fuel budget;
//! - [`stdlib`]: the standard library, `std/*.org` embedded in the binary.

pub mod compile;
pub mod eval;
pub mod stdlib;
pub mod types;
pub mod value;

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::source::{SourceMap, Span};
pub use compile::CompiledRule;
use compile::ItemNames;
use types::Base;
use value::{Val, V};

use super::registry;

/// What `orgspec.toml` says about one rule.
#[derive(Debug, Clone, Default)]
pub struct RuleSetting {
    /// `Some(None)`: switched off.
    pub severity: Option<Option<Severity>>,
    pub params: Vec<(String, Val<'static>)>,
}

/// Settings of every rule, by id.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub rules: FxHashMap<String, RuleSetting>,
    /// Rule selection: when set, only these ids run (language errors always do).
    pub only: Option<Vec<String>>,
}

impl Settings {
    /// The severity a rule runs at, or `None` when it is switched off.
    pub fn severity(&self, id: &str, default: Severity) -> Option<Severity> {
        if let Some(only) = &self.only {
            let language = registry::lookup(id).is_some_and(|r| !r.allowable);
            if !language && !only.iter().any(|o| o == id) {
                return None;
            }
        }
        match self.rules.get(id).and_then(|s| s.severity) {
            Some(level) => level,
            None => Some(default),
        }
    }

    /// Apply severities and switches to findings (language errors are never changed).
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.rules.is_empty() && self.only.is_none() {
            return;
        }
        diagnostics.retain_mut(|d| {
            if registry::lookup(&d.rule).is_some_and(|r| !r.allowable) {
                return true;
            }
            match self.severity(&d.rule, d.severity) {
                Some(s) => {
                    d.severity = s;
                    true
                }
                None => false,
            }
        });
    }

    pub fn param(&self, id: &str, name: &str) -> Option<&Val<'static>> {
        self.rules
            .get(id)?
            .params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// The item ids of a unit, for user rules that name them (`p.employer == sbc`).
struct ModelNames<'a> {
    map: FxHashMap<&'a str, (Base, Val<'static>)>,
}

impl<'a> ModelNames<'a> {
    fn new(model: &Model, src: &'a SourceMap) -> ModelNames<'a> {
        use crate::model::decl::{AgreementIx, AreaIx, OrgIx, PersonIx, PostIx, ServiceIx};
        use crate::model::Side;
        let d = &model.decls;
        let mut map = FxHashMap::default();
        // later kinds do not shadow earlier ones: posts first, as `reports_to` reads
        let mut add = |span: Span, entry: (Base, Val<'static>)| {
            map.entry(src.slice(span)).or_insert(entry);
        };
        for (i, p) in d.posts.iter().enumerate() {
            let side = if p.after.is_some() {
                Side::After
            } else {
                Side::Before
            };
            add(p.id, (Base::Post, Val::Post(PostIx(i as u32), side)));
        }
        for (i, o) in d.orgs.iter().enumerate() {
            add(o.id, (Base::Org, Val::Org(OrgIx(i as u32))));
        }
        for (i, a) in d.areas.iter().enumerate() {
            add(a.id, (Base::Area, Val::Area(AreaIx(i as u32))));
        }
        for (i, s) in d.services.iter().enumerate() {
            add(s.id, (Base::Service, Val::Service(ServiceIx(i as u32))));
        }
        for (i, p) in d.pools.iter().enumerate() {
            add(p.id, (Base::Pool, Val::Pool(i as u32)));
        }
        for (i, p) in d.persons.iter().enumerate() {
            add(p.id, (Base::Person, Val::Person(PersonIx(i as u32))));
        }
        for (i, a) in d.agreements.iter().enumerate() {
            add(
                a.id,
                (Base::Agreement, Val::Agreement(AgreementIx(i as u32))),
            );
        }
        for (i, b) in d.budgets.iter().enumerate() {
            add(b.id, (Base::Budget, Val::Budget(i as u32)));
        }
        for (i, e) in d.events.iter().enumerate() {
            if let Some(id) = e.id {
                add(id, (Base::Event, Val::Event(i as u32)));
            }
        }
        for (i, g) in d.grades.iter().enumerate() {
            add(
                g.id,
                (
                    Base::Grade,
                    Val::Grade(crate::model::decl::GradeIx(i as u32)),
                ),
            );
        }
        ModelNames { map }
    }
}

impl ItemNames for ModelNames<'_> {
    fn resolve(&self, name: &str) -> Option<(Base, Val<'static>)> {
        self.map.get(name).cloned()
    }
}

/// Compile the unit's own rules; their mistakes are `rule_error`s.
pub fn compile_unit_rules(
    model: &Model,
    src: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Vec<CompiledRule> {
    if model.decls.rules.is_empty() {
        return Vec::new();
    }
    let names = ModelNames::new(model, src);
    let mut rules = Vec::new();
    for item in &model.decls.rules {
        match compile::compile(src, item, &names) {
            Ok(rule) => {
                if registry::lookup(&rule.id).is_some() {
                    out.push(
                        Diagnostic::error(
                            "rule_error",
                            rule.id_span,
                            format!("`{}` is the id of a built-in rule", rule.id),
                        )
                        .with_label("already taken")
                        .with_help(format!(
                            "give your rule its own id; to change the built-in one, set `[rules.{}]` in orgspec.toml",
                            rule.id
                        )),
                    );
                    continue;
                }
                rules.push(rule);
            }
            Err(errors) => out.extend(errors),
        }
    }
    rules
}

/// Run the standard library and the unit's rules over a model.
pub fn run(
    model: &Model,
    src: &SourceMap,
    user: &[CompiledRule],
    settings: &Settings,
) -> Vec<Diagnostic> {
    let indexes = eval::Indexes::default();
    let std_rules = stdlib::rules();
    let jobs: Vec<(&CompiledRule, bool)> = std_rules
        .iter()
        .map(|r| (&r.compiled, true))
        .chain(user.iter().map(|r| (r, false)))
        .collect();
    jobs.par_iter()
        .map(|&(rule, is_std)| {
            let mut out = Vec::new();
            let Some(severity) = settings.severity(&rule.id, rule.severity) else {
                return out;
            };
            let id: Cow<'static, str> = match registry::lookup(&rule.id) {
                Some(info) => Cow::Borrowed(info.id),
                None => Cow::Owned(rule.id.clone()),
            };
            let params: Vec<V> = rule
                .params
                .iter()
                .map(|p| {
                    V::bare(
                        settings
                            .param(&rule.id, &p.name)
                            .cloned()
                            .unwrap_or_else(|| p.default.clone()),
                    )
                })
                .collect();
            let mut ev = eval::Evaluator::new(model, src, &indexes, rule, params, (id, severity));
            if ev.run(rule, &mut out).is_err() {
                let at = if is_std {
                    model
                        .decls
                        .spec
                        .as_ref()
                        .map(|s| s.id)
                        .or_else(|| model.decls.posts.first().map(|p| p.id))
                        .unwrap_or_default()
                } else {
                    rule.id_span
                };
                out.push(
                    Diagnostic::error(
                        "rule_error",
                        at,
                        format!(
                            "rule `{}` was stopped: it did more than {} steps of work on this spec",
                            rule.id, ev.budget
                        ),
                    )
                    .with_label("the evaluation budget ran out here")
                    .with_help(
                        "a rule should look at each subject once; comparing every post with every other post (`count(q in posts where …)` inside `for p in posts`) grows with the square of the spec. Follow an indexed relation instead: `p.direct_reports`, `p.slots`, `role_holders(r)`, `a.managers`",
                    ),
                );
            }
            out
        })
        .flatten()
        .collect()
}
