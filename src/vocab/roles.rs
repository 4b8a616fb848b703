//! The statutory roles orgspec knows by name: for each, the law or guidance that creates
//! it, whether an authority has one holder of it or several, whether it is one of the
//! statutory chief officers, and to whom it answers. docs/roles.md is generated from this
//! table; the rules read it through `role(r)` (`r.title`, `r.single`, …).

/// To whom the holder of a role answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswersTo {
    /// The full council: the role reports to the authority itself.
    Council,
    /// Directly to the head of paid service (the chief executive), by statutory guidance.
    HeadOfPaidService,
    /// Through the post's own line: no statutory line is set.
    Line,
}

impl AnswersTo {
    /// The word the rule language reads (`role(r).answers_to == head_of_paid_service`).
    pub fn word(self) -> &'static str {
        match self {
            AnswersTo::Council => "council",
            AnswersTo::HeadOfPaidService => "head_of_paid_service",
            AnswersTo::Line => "line",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            AnswersTo::Council => "the council",
            AnswersTo::HeadOfPaidService => "directly to the head of paid service",
            AnswersTo::Line => "through its line manager",
        }
    }
}

/// One statutory role.
#[derive(Debug)]
pub struct RoleInfo {
    /// The word a spec writes: `statutory dcs`.
    pub id: &'static str,
    pub title: &'static str,
    /// An authority has one holder (a joint appointment across authorities is one post
    /// holding it for each of them, `statutory_for`).
    pub single: bool,
    /// One of the statutory chief officers: one post holding two needs an assurance.
    pub chief: bool,
    pub answers_to: AnswersTo,
    /// The statute or guidance that creates it, in short (for messages).
    pub cite: &'static str,
    /// The statute or guidance that creates it, and what it says of it.
    pub source: &'static str,
}

const fn role(
    id: &'static str,
    title: &'static str,
    single: bool,
    chief: bool,
    answers_to: AnswersTo,
    cite: &'static str,
    source: &'static str,
) -> RoleInfo {
    RoleInfo {
        id,
        title,
        single,
        chief,
        answers_to,
        cite,
        source,
    }
}

use AnswersTo::{Council, HeadOfPaidService, Line};

/// Statutory roles orgspec knows by name. Others are accepted as local roles unless they
/// look like a misspelling of one of these; a local role's nature is not known, and rules
/// that need it make no finding.
pub const ROLES: &[RoleInfo] = &[
    role(
        "head_of_paid_service",
        "Head of Paid Service",
        true,
        true,
        Council,
        "Local Government and Housing Act 1989 s4",
        "Local Government and Housing Act 1989 s4: every relevant authority designates one of its officers; the head of paid service reports to the authority on the co-ordination of its functions and the organisation of its staff",
    ),
    role(
        "monitoring_officer",
        "Monitoring Officer",
        true,
        true,
        Council,
        "Local Government and Housing Act 1989 s5",
        "Local Government and Housing Act 1989 s5: may not be the chief finance officer (s5(1)), nor, in a county, district or London borough council, the head of paid service (s5(1A), (1B), inserted by the Local Government Act 2000 Sch 5 para 24); reports to the authority",
    ),
    role(
        "s151_officer",
        "Chief Finance Officer (s151 officer)",
        true,
        true,
        Council,
        "Local Government Act 1972 s151",
        "Local Government Act 1972 s151 (the officer responsible for the proper administration of the authority's financial affairs); Local Government Finance Act 1988 s114 (reports to the authority); may not be the monitoring officer (Local Government and Housing Act 1989 s5(1))",
    ),
    role(
        "dcs",
        "Director of Children's Services",
        true,
        true,
        HeadOfPaidService,
        "Children Act 2004 s18; DCS statutory guidance (DfE, 2013)",
        "Children Act 2004 s18; Statutory guidance on the roles and responsibilities of the Director of Children's Services and the Lead Member for Children's Services (DfE, April 2013; first issued 2005): a first-tier officer who reports to the chief executive; a joint appointment across authorities is allowed",
    ),
    role(
        "dass",
        "Director of Adult Social Services",
        true,
        true,
        HeadOfPaidService,
        "Local Authority Social Services Act 1970 s6; DASS guidance (DH, 2006)",
        "Local Authority Social Services Act 1970 s6; Guidance on the statutory chief officer post of the Director of Adult Social Services (Department of Health, 2006, issued under s7 of the 1970 Act): directly accountable to the chief executive",
    ),
    role(
        "dph",
        "Director of Public Health",
        true,
        true,
        HeadOfPaidService,
        "NHS Act 2006 s73A; DPH guidance (DH, 2013)",
        "National Health Service Act 2006 s73A (inserted by the Health and Social Care Act 2012 s30; from 1 April 2013 appointed by the council jointly with the Secretary of State); Directors of Public Health in Local Government: roles, responsibilities and context (Department of Health, 2013): directly accountable to the chief executive",
    ),
    role(
        "vsh",
        "Virtual School Head",
        true,
        false,
        Line,
        "Children Act 1989 s22(3A)",
        "Children Act 1989 s22(3A), (3B), inserted by the Children and Families Act 2014 s99: the authority appoints an officer to promote the educational achievement of the children it looks after",
    ),
    role(
        "caldicott_guardian",
        "Caldicott Guardian",
        true,
        false,
        Line,
        "National Data Guardian guidance (2021)",
        "Guidance about the appointment of Caldicott Guardians (National Data Guardian, 2021, issued under the Health and Social Care (National Data Guardian) Act 2018): one for each public body that handles confidential health and care information",
    ),
    role(
        "psw",
        "Principal Social Worker",
        false,
        false,
        Line,
        "Care and Support Statutory Guidance (2014); Munro Review (2011)",
        "Care and Support Statutory Guidance (Department of Health, 2014, under the Care Act 2014 s78) for adults; the Munro Review of Child Protection (2011) recommendation 11 for children: an authority may have one for adults and one for children",
    ),
    role(
        "lado",
        "Designated Officer (LADO)",
        false,
        false,
        Line,
        "Working Together to Safeguard Children (2023)",
        "Working Together to Safeguard Children (HM Government, 2023): the authority designates an officer, or a team of officers, to manage allegations against people who work with children",
    ),
    role(
        "designated_cp_officer",
        "Designated Child Protection Officer",
        false,
        false,
        Line,
        "Working Together to Safeguard Children (2023)",
        "Working Together to Safeguard Children (HM Government, 2023): designated safeguarding leads and officers; several may be named",
    ),
    role(
        "designated_nurse",
        "Designated Nurse for Safeguarding Children",
        false,
        false,
        Line,
        "Working Together to Safeguard Children (2023)",
        "Working Together to Safeguard Children (HM Government, 2023): designated doctors and nurses for safeguarding children, employed or secured by the integrated care board; several may be named",
    ),
    role(
        "designated_doctor",
        "Designated Doctor for Safeguarding Children",
        false,
        false,
        Line,
        "Working Together to Safeguard Children (2023)",
        "Working Together to Safeguard Children (HM Government, 2023): designated doctors and nurses for safeguarding children; several may be named",
    ),
    role(
        "amhp_lead",
        "Lead Approved Mental Health Professional",
        false,
        false,
        Line,
        "Mental Health Act 1983 s114",
        "Mental Health Act 1983 s114 (the authority approves AMHPs) and s114A; the lead is a local designation, not set by statute",
    ),
    role(
        "pep",
        "Principal Educational Psychologist",
        false,
        false,
        Line,
        "no statute",
        "No statute creates it: the professional lead of the educational psychology service (seed 000)",
    ),
];

/// The role a spec's word names, if orgspec knows it.
pub fn role_info(id: &str) -> Option<(u32, &'static RoleInfo)> {
    ROLES
        .iter()
        .position(|r| r.id == id)
        .map(|i| (i as u32, &ROLES[i]))
}

/// The words of every role orgspec knows.
pub fn role_words() -> impl Iterator<Item = &'static str> + Clone {
    ROLES.iter().map(|r| r.id)
}
