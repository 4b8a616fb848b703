//! The statutory roles orgspec knows by name.

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
