//! The fields each item kind accepts: the vocabulary of the language (docs/language.md).
//! One table so "unknown field" suggestions, the docs and the editor completion agree.

/// Fields of a `post`, in the order the language reference lists them.
pub const POST_FIELDS: &[&str] = &[
    "employer",
    "tier",
    "reports_to",
    "title",
    "accountable_to",
    "funded",
    "count",
    "fte",
    "grade",
    "cost",
    "holder",
    "vacancies",
    "manages",
    "area",
    "areas",
    "citywide",
    "service",
    "discipline",
    "supervised_by",
    "statutory",
    "assurance",
    "recruit",
    "seconded_from",
    "from",
    "until",
    "reason",
];

pub const SPEC_FIELDS: &[&str] = &["authority", "published", "status", "redundancies"];
pub const ORG_FIELDS: &[&str] = &["kind", "tiers", "from", "until"];
pub const AREA_FIELDS: &[&str] = &["includes"];
pub const POOL_FIELDS: &[&str] = &["candidates", "posts", "fallback"];
pub const SERVICE_FIELDS: &[&str] = &["kind", "host", "level", "contacts"];
pub const AGREEMENT_FIELDS: &[&str] = &["kind", "parties", "from", "until"];
pub const BUDGET_FIELDS: &[&str] = &["envelope", "net"];

/// Item keywords (after `new`/`deleted`, `post`).
pub const ITEM_KINDS: &[&str] = &[
    "use",
    "spec",
    "org",
    "align",
    "grade",
    "area",
    "person",
    "post",
    "slot",
    "pool",
    "service",
    "agreement",
    "timeline",
    "budget",
    "rule",
];

/// Statutory roles orgspec knows by name. Others are accepted as local roles unless
/// they look like a misspelling of one of these.
pub const STATUTORY_ROLES: &[&str] = &[
    "head_of_paid_service",
    "dcs",
    "dass",
    "dph",
    "monitoring_officer",
    "s151_officer",
    "pep",
    "psw",
    "lado",
    "vsh",
    "designated_cp_officer",
    "designated_nurse",
    "designated_doctor",
    "caldicott_guardian",
    "amhp_lead",
];

/// Statutory chief-officer roles: one post holding two of them needs an `assurance`.
pub const CHIEF_OFFICER_ROLES: &[&str] = &[
    "head_of_paid_service",
    "dcs",
    "dass",
    "dph",
    "monitoring_officer",
    "s151_officer",
];
