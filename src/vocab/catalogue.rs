//! The rule catalogue, declared once: every rule's id, default severity, category, one-line
//! summary, whether `@allow` may accept its findings and where it is checked. The ids are
//! normative (tools and `@allow` use them; `docs/rules.md` lists them). Severity is applied
//! in one place, from this table and `orgspec.toml` (`check::engine::Settings`): the code
//! of a rule names only its id.

use crate::diagnostic::Severity;

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

/// Where a rule is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// While reading the spec: `syntax`, `resolve`, the rule compiler or the driver.
    Language,
    /// In Rust, over the model: `src/check/rules/<id>.rs`.
    Rust,
    /// In the rule language: the standard library, `std/*.org`.
    Std,
}

#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub summary: &'static str,
    /// Whether `@allow` may accept its findings (language errors must be fixed).
    pub allowable: bool,
    pub checked: Checked,
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;
const I: Severity = Severity::Info;

const fn language(
    id: &'static str,
    severity: Severity,
    summary: &'static str,
    allowable: bool,
) -> Rule {
    Rule {
        id,
        severity,
        category: Category::Language,
        summary,
        allowable,
        checked: Checked::Language,
    }
}

const fn rust(
    id: &'static str,
    severity: Severity,
    category: Category,
    summary: &'static str,
) -> Rule {
    checked_by(Checked::Rust, id, severity, category, summary)
}

const fn in_std(
    id: &'static str,
    severity: Severity,
    category: Category,
    summary: &'static str,
) -> Rule {
    checked_by(Checked::Std, id, severity, category, summary)
}

const fn checked_by(
    checked: Checked,
    id: &'static str,
    severity: Severity,
    category: Category,
    summary: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        category,
        summary,
        allowable: true,
        checked,
    }
}

pub static RULES: &[Rule] = &[
    // Language integrity
    language("syntax_error", E, "the text does not parse", false),
    language(
        "unknown_name",
        E,
        "a reference to something that is not declared",
        false,
    ),
    language(
        "duplicate_name",
        E,
        "two items of the same kind share an id",
        false,
    ),
    language(
        "unknown_field",
        E,
        "a field that this kind of item does not have",
        false,
    ),
    language("missing_field", E, "a required field is absent", false),
    language("type_mismatch", E, "a value of the wrong kind", false),
    language(
        "invalid_value",
        E,
        "an impossible value: a date that does not exist, `fte 1.5`, `count 0`",
        false,
    ),
    language(
        "import_error",
        E,
        "a `use` of a missing file, an import cycle, or a path outside the project",
        false,
    ),
    language(
        "unused_allow",
        W,
        "an `@allow` that suppressed nothing",
        true,
    ),
    language(
        "rule_error",
        E,
        "a user rule that does not type-check or exceeds its evaluation budget",
        false,
    ),
    language(
        "undecided",
        I,
        "a value written `tbd`: an open question of the paper",
        true,
    ),
    // Structure
    rust(
        "reports_to_cycle",
        E,
        Category::Structure,
        "line management goes round in a circle",
    ),
    rust(
        "multiple_roots",
        W,
        Category::Structure,
        "a body has more than one post with no line manager",
    ),
    rust(
        "manager_not_senior",
        E,
        Category::Structure,
        "a post reports to a post at the same or a lower tier",
    ),
    rust(
        "tier_gap",
        W,
        Category::Structure,
        "a post reports to a manager more than one tier above",
    ),
    rust(
        "tier_out_of_range",
        E,
        Category::Structure,
        "a tier outside its employer's `tiers`",
    ),
    in_std(
        "span_of_control",
        W,
        Category::Structure,
        "a post line-manages more posts than the limit (12 unless set)",
    ),
    rust(
        "reports_to_deleted",
        E,
        Category::Structure,
        "a post reports to a post that does not exist on that side of the restructure",
    ),
    // Funding and employers
    rust(
        "funding_sum",
        E,
        Category::Funding,
        "funding shares of a post do not add up to 100%",
    ),
    rust(
        "funding_duplicate_funder",
        E,
        Category::Funding,
        "the same body listed twice in one `funded`",
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
    in_std(
        "funder_ceased",
        E,
        Category::Funding,
        "a post funded by a body that has ceased when the structure takes effect",
    ),
    in_std(
        "transfer_basis_missing",
        W,
        Category::Funding,
        "a post changes employer without saying on what basis its holders transfer",
    ),
    // Tier alignment
    rust(
        "alignment_conflict",
        E,
        Category::Alignment,
        "`align` statements contradict each other",
    ),
    rust(
        "unaligned_comparison",
        W,
        Category::Alignment,
        "tiers of two bodies compared, but the spec does not say how they line up",
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
        E,
        Category::Timeline,
        "no HR1 notice to the Secretary of State, or one too late",
    ),
    in_std(
        "notice_before_consultation_ends",
        E,
        Category::Timeline,
        "notices of dismissal given before the collective consultation ends",
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

pub fn lookup(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

/// The default severity of a rule of the catalogue.
///
/// # Panics
/// When `id` is not in the catalogue: a rule's code names its own id.
pub fn severity(id: &str) -> Severity {
    lookup(id).map_or_else(
        || panic!("`{id}` is not in the rule catalogue"),
        |r| r.severity,
    )
}

/// Whether a finding of this rule is a language error (never allowed or reconfigured).
pub fn is_language_error(id: &str) -> bool {
    lookup(id).is_some_and(|r| !r.allowable)
}

/// A finding of a rule of the catalogue, at the rule's default severity (`orgspec.toml`
/// may change it afterwards, in `check::engine::Settings::apply`).
pub fn finding(
    id: &'static str,
    span: crate::source::Span,
    message: impl Into<String>,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(id, severity(id), span, message)
}
