//! The rule engine: rules written in the language (docs/rule-language.md), compiled once and run
//! over a model.
//!
//! - [`schema`]: what a rule can read: the fields of each kind of value (the vocabulary's
//!   rows and the derived fields), the collections, the enumerated values;
//! - [`builtins`]: the functions, each with its typing, evaluation and doc; `fold.rs`,
//!   `sum`, `min` and `max` of values taken one at a time;
//! - [`compile`]: `rule` item → type-checked [`CompiledRule`], or `rule_error`s;
//! - [`eval`]: the linear evaluator with its fuel budget; [`value`]: its values, missing
//!   information included (three-valued logic);
//! - [`stdlib`]: the standard library, `std/*.org` embedded in the binary.
//!
//! The types of the rule language are declared with the vocabulary (`crate::vocab::types`).

pub mod builtins;
pub mod compile;
pub mod eval;
mod fold;
pub mod schema;
pub mod stdlib;
pub mod value;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::decl::{AgreementIx, AreaIx, GradeIx, OrgIx, PersonIx, PostIx, ServiceIx};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Model, Side};
use crate::resolve::names::Names;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::Item;
use crate::vocab::catalogue;
use crate::vocab::{Base, Namespace, Ty};
use compile::ItemNames;
pub use compile::{CompiledRule, Param};
pub use value::Val;
use value::V;

/// What `orgspec.toml` says about one rule.
#[derive(Debug, Clone, Default)]
pub struct RuleSetting {
    /// `Some(None)`: switched off.
    pub severity: Option<Option<Severity>>,
    pub params: Vec<ParamSetting>,
}

/// One parameter set in `orgspec.toml`, with where it is written.
#[derive(Debug, Clone)]
pub struct ParamSetting {
    pub name: String,
    pub name_span: Span,
    pub value: Val<'static>,
    pub ty: Ty,
    pub span: Span,
}

/// Settings of every rule, by id.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub rules: FxHashMap<String, RuleSetting>,
    /// Rule selection: when set, only these ids run (language errors always do).
    pub only: Option<Vec<String>>,
    /// Rule ids the settings name that are not built in, with where: a spec's own rules,
    /// or mistakes (`config::unresolved`).
    pub origins: Vec<(String, Span)>,
}

impl Settings {
    /// The severity a rule runs at, or `None` when it is switched off.
    pub fn severity(&self, id: &str, default: Severity) -> Option<Severity> {
        if let Some(only) = &self.only {
            if !catalogue::is_language_error(id) && !only.iter().any(|o| o == id) {
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
            if catalogue::is_language_error(&d.rule) {
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

    pub fn param(&self, id: &str, name: &str) -> Option<&ParamSetting> {
        self.rules.get(id)?.params.iter().find(|p| p.name == name)
    }
}

/// Read a plain value written in the rule language (`15`, `"50%"`, `£30_000`, `[s113,
/// s75]`): what `orgspec.toml` gives a parameter. `None` when it is not one.
pub fn literal_value(text: &str) -> Option<(Val<'static>, Ty)> {
    if text.contains('\n') {
        return None;
    }
    let source = format!("rule setting {{\n  param value = {text}\n  require true\n}}\n");
    let mut sources = SourceMap::default();
    let file = sources.add(std::path::PathBuf::from("orgspec.toml"), source.clone());
    let (parsed, errors) = crate::syntax::parse_file(file, &source);
    if !errors.is_empty() {
        return None;
    }
    let item = parsed.items.first()?;
    let rule = compile::compile(&sources, item, &compile::NoItems, compile::Origin::Spec).ok()?;
    let param = rule.params.into_iter().next()?;
    (!matches!(param.default, Val::Unknown)).then_some((param.default, param.ty))
}

/// A parameter value of the wrong kind for the rule's `param`, as a finding at the value.
pub fn param_mismatch(rule: &str, declared: &Param, given: &ParamSetting) -> Option<Diagnostic> {
    if declared.ty.comparable(given.ty) {
        return None;
    }
    Some(
        Diagnostic::error(
            "invalid_value",
            given.span,
            format!(
                "`{}` of `{rule}` takes {}, and this is {}",
                declared.name, declared.ty, given.ty
            ),
        )
        .with_label(format!("{} here", given.ty))
        .with_help(format!(
            "the rule declares `param {} = …` with {}; write a value of that kind",
            declared.name, declared.ty
        )),
    )
}

/// The item ids a unit's own rules may name (`p.employer == sbc`): the unit's name table,
/// as the resolver left it, read in the model.
struct UnitNames<'n, 'a> {
    names: &'n Names<'a>,
    model: &'n Model,
}

/// The namespaces a rule's name is looked up in, in order: posts first, as `reports_to`
/// reads.
const RULE_NAMESPACES: [Namespace; 11] = [
    Namespace::Post,
    Namespace::Org,
    Namespace::Area,
    Namespace::Service,
    Namespace::Pool,
    Namespace::Person,
    Namespace::Agreement,
    Namespace::Budget,
    Namespace::Proposal,
    Namespace::Event,
    Namespace::Grade,
];

impl ItemNames for UnitNames<'_, '_> {
    fn resolve(&self, name: &str) -> Option<(Base, Val<'static>, Span)> {
        RULE_NAMESPACES.iter().find_map(|&ns| {
            let e = self.names.get(ns, name)?;
            let i = e.index;
            let item = match ns {
                Namespace::Post => {
                    let side = if self.model.post(PostIx(i)).after.is_some() {
                        Side::After
                    } else {
                        Side::Before
                    };
                    (Base::Post, Val::Post(PostIx(i), side))
                }
                Namespace::Org => (Base::Org, Val::Org(OrgIx(i))),
                Namespace::Area => (Base::Area, Val::Area(AreaIx(i))),
                Namespace::Service => (Base::Service, Val::Service(ServiceIx(i))),
                Namespace::Pool => (Base::Pool, Val::Pool(i)),
                Namespace::Person => (Base::Person, Val::Person(PersonIx(i))),
                Namespace::Agreement => (Base::Agreement, Val::Agreement(AgreementIx(i))),
                Namespace::Budget => (Base::Budget, Val::Budget(i)),
                Namespace::Proposal => (Base::Proposal, Val::Proposal(i)),
                // an entry that did not lower keeps no index
                Namespace::Event if i != u32::MAX => (Base::Event, Val::Event(i)),
                Namespace::Grade => (Base::Grade, Val::Grade(GradeIx(i))),
                _ => return None,
            };
            Some((item.0, item.1, e.span))
        })
    }
}

/// Compile the unit's own rules; their mistakes are `rule_error`s.
pub fn compile_unit_rules(
    model: &Model,
    items: &[&Item],
    names: &Names,
    src: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Vec<CompiledRule> {
    let names = UnitNames { names, model };
    let mut rules = Vec::new();
    for item in items {
        match compile::compile(src, item, &names, compile::Origin::Spec) {
            Ok(rule) => {
                if catalogue::lookup(&rule.id).is_some() {
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

fn unknown_param(rule: &CompiledRule, given: &ParamSetting) -> Diagnostic {
    let close =
        crate::resolve::names::closest(&given.name, rule.params.iter().map(|p| p.name.as_str()));
    let d = Diagnostic::error(
        "unknown_field",
        given.name_span,
        format!("rule `{}` has no parameter `{}`", rule.id, given.name),
    )
    .with_label("no such `param`")
    .with_secondary(rule.id_span, "the rule");
    crate::resolve::names::with_suggestion(d, &close, given.name_span, || {
        format!(
            "add `param {} = …` to the rule, or remove the setting",
            given.name
        )
    })
}

/// Run the standard library and the unit's rules over a model.
pub fn run(
    model: &Model,
    src: &SourceMap,
    user: &[CompiledRule],
    settings: &Settings,
    times: &mut super::RuleTimes,
) -> Vec<Diagnostic> {
    let std_rules = stdlib::rules();
    let jobs: Vec<(&CompiledRule, bool)> = std_rules
        .iter()
        .map(|r| (&r.compiled, true))
        .chain(user.iter().map(|r| (r, false)))
        .collect();
    let ran: Vec<(Vec<Diagnostic>, Option<Duration>)> = jobs
        .par_iter()
        .map(|&(rule, is_std)| {
            let started = Instant::now();
            let mut out = Vec::new();
            let Some(severity) = settings.severity(&rule.id, rule.severity) else {
                return (out, None);
            };
            let id: Cow<'static, str> = match catalogue::lookup(&rule.id) {
                Some(info) => Cow::Borrowed(info.id),
                None => Cow::Owned(rule.id.clone()),
            };
            let params: Vec<V> = rule
                .params
                .iter()
                .map(|p| match settings.param(&rule.id, &p.name) {
                    // a built-in rule's settings were checked when orgspec.toml was read
                    Some(given) if is_std => V::bare(given.value.clone()),
                    Some(given) => match param_mismatch(&rule.id, p, given) {
                        None => V::bare(given.value.clone()),
                        Some(d) => {
                            out.push(d);
                            V::bare(p.default.clone())
                        }
                    },
                    None => V::bare(p.default.clone()),
                })
                .collect();
            if !is_std {
                if let Some(setting) = settings.rules.get(&rule.id) {
                    for given in &setting.params {
                        if rule.params.iter().all(|p| p.name != given.name) {
                            out.push(unknown_param(rule, given));
                        }
                    }
                }
            }
            let mut ev = eval::Evaluator::new(model, src, rule, params, (id, severity));
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
            (out, Some(started.elapsed()))
        })
        .collect();
    let mut all = Vec::new();
    for ((out, took), (rule, _)) in ran.into_iter().zip(&jobs) {
        if let Some(took) = took {
            times.add(&rule.id, took);
        }
        all.extend(out);
    }
    all
}
