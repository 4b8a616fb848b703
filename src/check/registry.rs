//! Every rule id of the catalogue (docs/rules.md; the ids are normative), in one table.
//!
//! A rule is either produced by an earlier stage (the language-integrity rules come from
//! `syntax` and `resolve`), run here over the model in Rust (`run` is set), or a domain
//! rule of the standard library (`Status::Std`), written in `std/*.org`, its documentation
//! the rule's `///` comment. A test keeps the two in step: every `Std` rule is defined in
//! `std/`, and every rule there is in this table with the same severity.

use crate::diagnostic::Severity;

use super::rules;
use super::Ctx;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Language,
    Structure,
    Funding,
    Alignment,
    Outcomes,
    Localities,
    Timeline,
    Budget,
}

impl Category {
    pub fn title(self) -> &'static str {
        match self {
            Category::Language => "Language integrity",
            Category::Structure => "Structure",
            Category::Funding => "Funding and employers",
            Category::Alignment => "Tier alignment",
            Category::Outcomes => "Restructure outcomes",
            Category::Localities => "Localities and services",
            Category::Timeline => "Timeline",
            Category::Budget => "Budget and grades",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Checked by this version of orgspec, in Rust.
    Checked,
    /// Checked by the standard library (`std/*.org`).
    Std,
}

pub type RuleFn = fn(&Ctx, &mut Vec<crate::diagnostic::Diagnostic>);

impl RuleInfo {
    /// The rule's documentation: beside its Rust code, or the `///` comment of its
    /// standard-library source.
    pub fn docs(&self) -> &'static str {
        if self.doc.is_empty() {
            crate::check::engine::stdlib::find(self.id).map_or("", |r| r.docs.as_str())
        } else {
            self.doc
        }
    }

    /// Whether this version checks the rule (false only for a `Std` rule missing from
    /// `std/`, which a test forbids).
    pub fn is_checked(&self) -> bool {
        self.status == Status::Checked || crate::check::engine::stdlib::find(self.id).is_some()
    }

    /// The rule's source, for a rule of the standard library.
    pub fn std_source(&self) -> Option<(&'static str, &'static str)> {
        crate::check::engine::stdlib::find(self.id).map(|r| (r.file, r.source.as_str()))
    }
}

pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub summary: &'static str,
    /// Whether `@allow` may accept its findings (language errors must be fixed).
    pub allowable: bool,
    pub status: Status,
    /// The rule's documentation (markdown), kept beside its code.
    pub doc: &'static str,
    /// Model checks run by `check::run`; `None` for rules raised by earlier stages.
    pub run: Option<RuleFn>,
}

macro_rules! doc {
    ($id:literal) => {
        include_str!(concat!("rules/", $id, ".md"))
    };
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;
const I: Severity = Severity::Info;

const fn lang(
    id: &'static str,
    severity: Severity,
    summary: &'static str,
    doc: &'static str,
    allowable: bool,
) -> RuleInfo {
    RuleInfo {
        id,
        severity,
        category: Category::Language,
        summary,
        allowable,
        status: Status::Checked,
        doc,
        run: None,
    }
}

const fn model(
    id: &'static str,
    severity: Severity,
    category: Category,
    summary: &'static str,
    doc: &'static str,
    run: RuleFn,
) -> RuleInfo {
    RuleInfo {
        id,
        severity,
        category,
        summary,
        allowable: true,
        status: Status::Checked,
        doc,
        run: Some(run),
    }
}

const fn in_std(
    id: &'static str,
    severity: Severity,
    category: Category,
    summary: &'static str,
) -> RuleInfo {
    RuleInfo {
        id,
        severity,
        category,
        summary,
        allowable: true,
        status: Status::Std,
        doc: "",
        run: None,
    }
}

pub static RULES: &[RuleInfo] = &[
    // Language integrity
    lang(
        "syntax_error",
        E,
        "the text does not parse",
        doc!("syntax_error"),
        false,
    ),
    lang(
        "unknown_name",
        E,
        "a reference to something that is not declared",
        doc!("unknown_name"),
        false,
    ),
    lang(
        "duplicate_name",
        E,
        "two items of the same kind share an id",
        doc!("duplicate_name"),
        false,
    ),
    lang(
        "unknown_field",
        E,
        "a field that this kind of item does not have",
        doc!("unknown_field"),
        false,
    ),
    lang(
        "missing_field",
        E,
        "a required field is absent",
        doc!("missing_field"),
        false,
    ),
    lang(
        "type_mismatch",
        E,
        "a value of the wrong kind",
        doc!("type_mismatch"),
        false,
    ),
    lang(
        "invalid_value",
        E,
        "an impossible value: a date that does not exist, `fte 1.5`, `count 0`",
        doc!("invalid_value"),
        false,
    ),
    lang(
        "import_error",
        E,
        "a `use` of a missing file, an import cycle, or a path outside the project",
        doc!("import_error"),
        false,
    ),
    lang(
        "unused_allow",
        W,
        "an `@allow` that suppressed nothing",
        doc!("unused_allow"),
        true,
    ),
    lang(
        "rule_error",
        E,
        "a user rule that does not type-check or exceeds its evaluation budget",
        doc!("rule_error"),
        false,
    ),
    lang(
        "undecided",
        I,
        "a value written `tbd`: an open question of the paper",
        doc!("undecided"),
        true,
    ),
    // Structure
    model(
        "reports_to_cycle",
        E,
        Category::Structure,
        "line management goes round in a circle",
        doc!("reports_to_cycle"),
        rules::reports_to_cycle::check,
    ),
    model(
        "multiple_roots",
        W,
        Category::Structure,
        "a body has more than one post with no line manager",
        doc!("multiple_roots"),
        rules::multiple_roots::check,
    ),
    model(
        "manager_not_senior",
        E,
        Category::Structure,
        "a post reports to a post at the same or a lower tier",
        doc!("manager_not_senior"),
        rules::manager_not_senior::check,
    ),
    model(
        "tier_gap",
        W,
        Category::Structure,
        "a post reports to a manager more than one tier above",
        doc!("tier_gap"),
        rules::tier_gap::check,
    ),
    model(
        "tier_out_of_range",
        E,
        Category::Structure,
        "a tier outside its employer's `tiers`",
        doc!("tier_out_of_range"),
        rules::tier_out_of_range::check,
    ),
    in_std(
        "span_of_control",
        W,
        Category::Structure,
        "a post line-manages more posts than the limit (12 unless set)",
    ),
    model(
        "reports_to_deleted",
        E,
        Category::Structure,
        "a post reports to a post that does not exist on that side of the restructure",
        doc!("reports_to_deleted"),
        rules::reports_to_deleted::check,
    ),
    // Funding and employers
    model(
        "funding_sum",
        E,
        Category::Funding,
        "funding shares of a post do not add up to 100%",
        doc!("funding_sum"),
        rules::funding_sum::check,
    ),
    model(
        "funding_duplicate_funder",
        E,
        Category::Funding,
        "the same body listed twice in one `funded`",
        doc!("funding_duplicate_funder"),
        rules::funding_duplicate_funder::check,
    ),
    in_std(
        "joint_accountability",
        W,
        Category::Funding,
        "a jointly funded post has no accountability line into every funding body",
    ),
    in_std(
        "cross_employer_management",
        W,
        Category::Funding,
        "a post line-manages a post of another employer with no agreement between them",
    ),
    in_std(
        "secondment_without_employer",
        E,
        Category::Funding,
        "a secondment without `seconded_from`",
    ),
    // Tier alignment
    model(
        "alignment_conflict",
        E,
        Category::Alignment,
        "`align` statements contradict each other",
        doc!("alignment_conflict"),
        rules::alignment_conflict::check,
    ),
    model(
        "unaligned_comparison",
        E,
        Category::Alignment,
        "tiers of two bodies compared with no alignment between them",
        doc!("unaligned_comparison"),
        rules::unaligned_comparison::check,
    ),
    // Restructure outcomes
    in_std(
        "unplaced_holder",
        E,
        Category::Outcomes,
        "a holder of a deleted or reduced post has no outcome",
    ),
    in_std(
        "slot_not_one_to_one",
        E,
        Category::Outcomes,
        "a slot-in where holders moved and posts available differ",
    ),
    in_std(
        "slot_grade_change",
        W,
        Category::Outcomes,
        "a slot-in into a post of a different grade",
    ),
    in_std(
        "slot_displaces_holder",
        E,
        Category::Outcomes,
        "a slot-in into a post that still has its own holder",
    ),
    in_std(
        "pool_not_competitive",
        W,
        Category::Outcomes,
        "a pool where nobody is displaced",
    ),
    in_std(
        "pool_no_fallback",
        E,
        Category::Outcomes,
        "a pool that displaces candidates names no fallback",
    ),
    in_std(
        "pool_tier_mismatch",
        W,
        Category::Outcomes,
        "a candidate's tier differs from the tier of the pool's posts",
    ),
    in_std(
        "double_placement",
        E,
        Category::Outcomes,
        "one holder given two outcomes",
    ),
    in_std(
        "new_post_no_route",
        E,
        Category::Outcomes,
        "a new post with no holder, slot, pool or `recruit` route",
    ),
    in_std(
        "statutory_role_lost",
        E,
        Category::Outcomes,
        "a statutory role held before is held by no post after",
    ),
    in_std(
        "statutory_role_shared",
        E,
        Category::Outcomes,
        "one statutory role held by two posts",
    ),
    in_std(
        "dual_statutory_role",
        W,
        Category::Outcomes,
        "one post holds two statutory chief-officer roles without an `assurance`",
    ),
    in_std(
        "statutory_incompatible",
        E,
        Category::Outcomes,
        "the Monitoring Officer is also the s151 chief finance officer",
    ),
    in_std(
        "statutory_tier",
        W,
        Category::Outcomes,
        "the Director of Children's Services is not a first-tier officer",
    ),
    in_std(
        "supervision_missing",
        W,
        Category::Outcomes,
        "a post line-managed across disciplines has no professional supervision line",
    ),
    // Localities and services
    in_std(
        "area_without_manager",
        W,
        Category::Localities,
        "an area has no post managing it",
    ),
    in_std(
        "core_service_missing",
        W,
        Category::Localities,
        "a core service is not present in every locality",
    ),
    in_std(
        "hosted_without_host",
        E,
        Category::Localities,
        "a hosted service names no host locality",
    ),
    in_std(
        "citywide_not_locality_facing",
        W,
        Category::Localities,
        "a city-wide or extended service has no contact for some locality",
    ),
    in_std(
        "service_classification",
        I,
        Category::Localities,
        "a service's kind does not match the core/extended/city-wide criteria",
    ),
    // Timeline
    in_std(
        "timeline_order",
        E,
        Category::Timeline,
        "dates out of order: a range backwards, a decision during consultation, …",
    ),
    in_std(
        "phase_overlap",
        W,
        Category::Timeline,
        "phases overlap or are out of order",
    ),
    in_std(
        "consultation_lead_time",
        E,
        Category::Timeline,
        "collective consultation starts too late before the first dismissal",
    ),
    in_std(
        "hr1_notice",
        W,
        Category::Timeline,
        "no HR1 notice early enough",
    ),
    // Budget and grades
    in_std(
        "budget_exceeded",
        E,
        Category::Budget,
        "the net cost change exceeds the envelope",
    ),
    in_std(
        "cost_unknown",
        I,
        Category::Budget,
        "the budget cannot be verified: posts have no grade or cost",
    ),
    in_std(
        "grade_unknown_for_employer",
        E,
        Category::Budget,
        "a grade that the employer's grade table does not have",
    ),
    in_std(
        "grade_reversed",
        W,
        Category::Budget,
        "a post graded above its own line manager",
    ),
    in_std(
        "pool_grade_scope",
        W,
        Category::Budget,
        "candidates compete for posts more than one grade above their own",
    ),
];

pub fn lookup(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}
