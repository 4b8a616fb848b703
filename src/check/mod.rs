//! Stage 4: checks over the model. Pure: a model and its sources in, diagnostics out.
//!
//! The rules of the catalogue (`crate::vocab::catalogue`) are checked in Rust (`rules/`,
//! one file each with its documentation beside it) or in the rule language (`engine/`,
//! running the standard library `std/*.org` and the spec's own rules).

pub mod docs;
pub mod engine;
pub mod local;
pub mod rules;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use crate::decl::{OrgIx, PostIx, PostState};
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::resolve::names::Names;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::Item;
use crate::vocab::catalogue;

/// A compilation unit to check: its model, and its own rules with the ids they may name.
pub struct Unit<'u, 'a> {
    pub model: &'u Model,
    /// The unit's `rule` items.
    pub rules: &'u [&'a Item],
    /// The unit's ids, as the resolver declared them.
    pub names: &'u Names<'a>,
}

/// What a rule sees.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub src: &'a SourceMap,
}

impl Ctx<'_> {
    /// A post's id as written.
    pub fn post_name(&self, p: PostIx) -> &str {
        self.src.slice(self.model.post(p).id)
    }

    /// A post as a person reads it in a message: "Head of Operations (`head_ops`)", or
    /// "`head_ops`" when it has no title of its own.
    pub fn post_label(&self, p: PostIx) -> String {
        let post = self.model.post(p);
        let id = self.src.slice(post.id);
        let title = post.title(self.src);
        if title.is_empty() || title == id {
            format!("`{id}`")
        } else {
            format!("{title} (`{id}`)")
        }
    }

    pub fn org_name(&self, o: OrgIx) -> &str {
        self.src.slice(self.model.org(o).id)
    }

    /// "tier 3" or "tier 4 of `ntpct`" when the employer matters.
    pub fn tier_of(&self, s: &PostState, with_org: bool) -> String {
        match (s.tier.given(), s.employer.given()) {
            (Some(t), Some(o)) if with_org => format!("tier {t} of `{}`", self.org_name(o)),
            (Some(t), _) => format!("tier {t}"),
            _ => "no tier".into(),
        }
    }
}

/// What the units' own rules declare and name, gathered across units for the driver.
#[derive(Debug, Default)]
pub struct UserRules {
    /// Their ids (settings may name them).
    pub ids: Vec<String>,
    /// Where they name an item id, and the span of its declaration.
    pub item_uses: Vec<(Span, Span)>,
}

/// Run every model rule: the registry's Rust rules, the standard library and the unit's
/// own rules, as `settings` (orgspec.toml) select them. What the unit's own rules declare
/// and name is added to `user_rules`.
pub fn run(
    unit: &Unit,
    src: &SourceMap,
    settings: &engine::Settings,
    user_rules: &mut UserRules,
    times: &mut RuleTimes,
) -> Vec<Diagnostic> {
    let model = unit.model;
    // the Rust rules run beside the rule language's, which share the other cores
    let ((mut out, rust_times), (found, user, engine_times)) = rayon::join(
        || {
            let ctx = Ctx { model, src };
            let mut out = Vec::new();
            let mut times = RuleTimes::default();
            for &(id, run) in rules::RUST {
                if settings.severity(id, catalogue::severity(id)).is_some() {
                    let t = Instant::now();
                    run(&ctx, &mut out);
                    times.add(id, t.elapsed());
                }
            }
            (out, times)
        },
        || {
            let mut out = Vec::new();
            let user = engine::compile_unit_rules(model, unit.rules, unit.names, src, &mut out);
            let mut times = RuleTimes::default();
            out.extend(engine::run(model, src, &user, settings, &mut times));
            (out, user, times)
        },
    );
    for rule in &user {
        user_rules.ids.push(rule.id.clone());
        user_rules.item_uses.extend_from_slice(&rule.item_uses);
    }
    for (id, took) in rust_times.0.into_iter().chain(engine_times.0) {
        times.add(&id, took);
    }
    out.extend(found);
    out
}

/// How long each rule took, by id, summed over the units checked. Rules written in the
/// rule language run side by side on every core, so their times can add up to more than
/// the checks' wall time.
#[derive(Debug, Default, Clone)]
pub struct RuleTimes(pub BTreeMap<String, Duration>);

impl RuleTimes {
    pub fn add(&mut self, rule: &str, took: Duration) {
        match self.0.get_mut(rule) {
            Some(total) => *total += took,
            None => {
                self.0.insert(rule.to_string(), took);
            }
        }
    }

    /// Each rule and its time, the slowest first.
    pub fn slowest_first(&self) -> Vec<(&str, Duration)> {
        let mut v: Vec<(&str, Duration)> = self.0.iter().map(|(r, &d)| (r.as_str(), d)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    pub fn total(&self) -> Duration {
        self.0.values().sum()
    }
}

/// Drop the findings that an `@allow(rule, "…")` on the enclosing item accepts; say which
/// allows were used (by index into `model.decls.allows`).
/// Items do not overlap, so for each rule and file the allowed items are sorted once and
/// each finding is a binary search: linear in findings and allows, not their product.
pub fn suppress(model: &Model, diagnostics: &mut Vec<Diagnostic>) -> Vec<bool> {
    let allows = &model.decls.allows;
    let mut used = vec![false; allows.len()];
    if allows.is_empty() {
        return used;
    }
    let mut allowed: FxHashMap<(&str, crate::source::FileId), Vec<(Span, usize)>> =
        FxHashMap::default();
    for (i, a) in allows.iter().enumerate() {
        allowed
            .entry((a.rule.as_str(), a.item.file))
            .or_default()
            .push((a.item, i));
    }
    for items in allowed.values_mut() {
        items.sort_by_key(|(s, _)| s.start);
    }
    diagnostics.retain(|d| {
        if catalogue::is_language_error(&d.rule) {
            return true;
        }
        let Some(items) = allowed.get(&(d.rule.as_ref(), d.span.file)) else {
            return true;
        };
        let before = items.partition_point(|(i, _)| i.start <= d.span.start);
        if before == 0 || d.span.end > items[before - 1].0.end {
            return true;
        }
        // every allow of this rule on this item is used (several may be stacked)
        let item = items[before - 1].0;
        for (span, i) in items[..before].iter().rev() {
            if *span != item {
                break;
            }
            used[*i] = true;
        }
        false
    });
    used
}

/// One line-management line on one side of the restructure.
pub struct Line<'a> {
    pub post: PostIx,
    pub state: &'a PostState,
    pub manager: PostIx,
    pub manager_state: &'a PostState,
    /// The `reports_to` value.
    pub span: Span,
}

impl Line<'_> {
    /// The two posts have different employers: their tiers compare through `align`.
    pub fn across_bodies(&self) -> bool {
        // compare the bodies, not where each post names its body
        self.state.employer.given() != self.manager_state.employer.given()
    }
}

impl<'a> Ctx<'a> {
    /// "`m` is tier 5 of `ntpct`, level with tier 4 of `sbc`": the manager's tier, and across
    /// bodies what the alignment makes of it in the post's own scale.
    pub fn manager_tier_label(&self, line: &Line) -> String {
        let manager = self.post_name(line.manager);
        if !line.across_bodies() {
            return format!("`{manager}` is {}", self.tier_of(line.manager_state, false));
        }
        let level_with = self
            .levels(line)
            .zip(line.state.tier.given())
            .zip(line.state.employer.given());
        match level_with {
            Some((((level, manager_level), tier), org)) => format!(
                "`{manager}` is {}, level with tier {} of `{}`",
                self.tier_of(line.manager_state, true),
                i64::from(tier) + manager_level - level,
                self.org_name(org)
            ),
            None => format!("`{manager}` is {}", self.tier_of(line.manager_state, true)),
        }
    }

    /// Where the manager's tier is written, for a secondary label.
    pub fn manager_tier_span(&self, line: &Line) -> Span {
        line.manager_state
            .tier
            .span_in(self.model.post_file(line.manager))
            .unwrap_or(self.model.post(line.manager).id)
    }

    /// Every `reports_to` whose manager exists on that side, but the lines of a circle
    /// (`reports_to_cycle`'s finding: what they say of seniority is not true).
    pub fn reporting_lines(&self, side: crate::model::Side) -> impl Iterator<Item = Line<'a>> + 'a {
        let model = self.model;
        let structure = model.structure(side);
        structure.posts().filter_map(move |(p, s)| {
            if structure.on_cycle(p) {
                return None;
            }
            let state = model.state(s);
            let crate::decl::Known::Given(m, at) = state.reports_to else {
                return None;
            };
            let span = at.span(model.post_file(p));
            let ms = structure.state(m)?;
            Some(Line {
                post: p,
                state,
                manager: m,
                manager_state: model.state(ms),
                span,
            })
        })
    }

    /// Normalised levels of a line, when both posts have a tier and share a scale.
    pub fn levels(&self, line: &Line) -> Option<(i64, i64)> {
        let (ps, pl) = self.model.normalised_tier(line.state)?;
        let (ms, ml) = self.model.normalised_tier(line.manager_state)?;
        (ps == ms).then_some((pl, ml))
    }
}
