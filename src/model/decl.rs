//! Resolved declarations: every reference is an index, every value has its real type.
//! Produced by `resolve`, read by `model` and `check`; never changed after lowering.

use crate::source::Span;
use crate::value::{Date, Decimal};

macro_rules! index_type {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn ix(self) -> usize { self.0 as usize }
        }
    )*};
}
index_type!(
    OrgIx,
    PostIx,
    StateIx,
    AreaIx,
    PersonIx,
    GradeIx,
    PoolIx,
    ServiceIx,
    AgreementIx
);

/// The words a spec writes for an enumerated field and the values they mean: one table,
/// read by lowering (to parse them) and by the rule engine (to show and compare them).
macro_rules! words {
    ($ty:ident { $($word:literal => $variant:ident),* $(,)? }) => {
        impl $ty {
            pub const WORDS: &'static [(&'static str, $ty)] = &[$(($word, $ty::$variant)),*];

            /// The word for this value, if it has one.
            pub fn word(self) -> Option<&'static str> {
                Self::WORDS.iter().find(|(_, v)| *v == self).map(|(w, _)| *w)
            }
        }
    };
}

/// A value together with where it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A field that may be absent, written `tbd`, or given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Known<T> {
    #[default]
    Absent,
    /// Written `tbd`: the paper has not decided yet.
    Undecided(Span),
    Given(T, Span),
    /// Written, but the value could not be read (already reported): checks skip it, and it
    /// does not count as absent, so one mistake does not cascade into others.
    Invalid(Span),
}

impl<T: Copy> Known<T> {
    pub fn given(&self) -> Option<T> {
        match self {
            Known::Given(v, _) => Some(*v),
            _ => None,
        }
    }

    pub fn span(&self) -> Option<Span> {
        match self {
            Known::Absent => None,
            Known::Undecided(s) | Known::Given(_, s) | Known::Invalid(s) => Some(*s),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    Council,
    Nhs,
    Company,
    Voluntary,
    School,
    Police,
    Other,
}

words!(OrgKind {
    "council" => Council,
    "nhs" => Nhs,
    "company" => Company,
    "voluntary" => Voluntary,
    "school" => School,
    "police" => Police,
    "other" => Other,
});

#[derive(Debug, Clone)]
pub struct Org {
    pub id: Span,
    pub name: Option<String>,
    pub kind: Option<OrgKind>,
    pub tiers: Option<Spanned<u32>>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub item: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct Align {
    pub left: (OrgIx, i64),
    pub right: (OrgIx, i64),
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub org: OrgIx,
    pub id: Span,
    /// Position in the employer's grade table, lowest first: by pay when every grade of
    /// the table has a pay range, else in declaration order.
    pub rank: u32,
    pub pay: Option<(Decimal, Decimal)>,
    pub item: Span,
}

#[derive(Debug, Clone)]
pub struct Area {
    pub id: Span,
    pub name: Option<String>,
    pub includes: Vec<Spanned<AreaIx>>,
    pub item: Span,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Span,
    pub name: Option<String>,
    pub item: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// Exists before and after.
    Continuing,
    /// `new post`: after only.
    New,
    /// `deleted post`: before only.
    Deleted,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub id: Span,
    pub title: String,
    pub lifecycle: Lifecycle,
    /// The post as it stands before the restructure (`None` for a new post).
    pub before: Option<StateIx>,
    /// The post as it stands after (`None` for a deleted post). The same index as
    /// `before` when no field changes.
    pub after: Option<StateIx>,
    pub docs: Vec<Span>,
    pub item: Span,
    /// The header keyword span (`post`), for diagnostics about the whole item.
    pub keyword: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accountable {
    Post(PostIx),
    Org(OrgIx),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Managed {
    Area(AreaIx),
    Service(ServiceIx),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub org: OrgIx,
    /// `None` for `tbd`: the paper names the funder but not its share.
    pub percent: Option<Decimal>,
    /// The whole `sbc 50%` term.
    pub span: Span,
    pub org_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradeSpec {
    One(GradeIx),
    /// A spot salary between two grades (seed 001 §4.6).
    Between(GradeIx, GradeIx),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Holder {
    /// No `holder` field: the post is presumed held (docs/language.md, post fields).
    #[default]
    Presumed,
    Vacant,
    Person(PersonIx),
    /// A holder named by a string.
    Named,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Ringfence,
    Internal,
    External,
    Secondment,
    HoldVacant,
    Redeployment,
}

words!(Route {
    "ringfence" => Ringfence,
    "internal" => Internal,
    "external" => External,
    "secondment" => Secondment,
    "hold_vacant" => HoldVacant,
    "redeployment" => Redeployment,
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Retired,
    Vacant,
    Slotted,
    Vr,
    Er,
    /// A reason given in words.
    Text,
}

words!(Reason {
    "retired" => Retired,
    "vacant" => Vacant,
    "slotted" => Slotted,
    "vr" => Vr,
    "er" => Er,
});

/// One side (before or after) of a post: the fields every structural check reads, with
/// the rest in [`PostDetails`], boxed, so a million-post model stays small.
#[derive(Debug, Clone, Default)]
pub struct PostState {
    pub employer: Known<OrgIx>,
    pub tier: Known<u32>,
    pub reports_to: Known<PostIx>,
    /// `None`: not written, so 100% the employer. The span is the field name `funded`;
    /// each share has its own.
    pub funded: Option<Spanned<Vec<Share>>>,
    pub count: Option<Spanned<u32>>,
    pub fte: Option<Spanned<Decimal>>,
    pub grade: Known<GradeSpec>,
    pub holder: Known<Holder>,
    pub vacancies: Option<Spanned<u32>>,
    details: Option<Box<PostDetails>>,
}

/// The fields of a post that most posts do not have.
#[derive(Debug, Clone, Default)]
pub struct PostDetails {
    pub title: Option<Spanned<()>>,
    pub accountable_to: Vec<Spanned<Accountable>>,
    pub cost: Known<Decimal>,
    pub manages: Vec<Spanned<Managed>>,
    pub areas: Vec<Spanned<AreaIx>>,
    pub citywide: bool,
    pub service: Known<ServiceIx>,
    pub discipline: Option<Spanned<Box<str>>>,
    pub supervised_by: Known<PostIx>,
    pub statutory: Vec<Spanned<Box<str>>>,
    pub assurance: Option<Span>,
    pub recruit: Vec<Spanned<Route>>,
    pub seconded_from: Known<OrgIx>,
    pub from: Known<Date>,
    pub until: Known<Date>,
    pub reason: Known<Reason>,
    /// `count tbd` (the count reads as 1 where a number is needed).
    pub count_undecided: Option<Span>,
    /// `vacancies tbd`.
    pub vacancies_undecided: Option<Span>,
    /// `recruit tbd`: the route is an open question.
    pub recruit_undecided: Option<Span>,
}

static NO_DETAILS: PostDetails = PostDetails {
    title: None,
    accountable_to: Vec::new(),
    cost: Known::Absent,
    manages: Vec::new(),
    areas: Vec::new(),
    citywide: false,
    service: Known::Absent,
    discipline: None,
    supervised_by: Known::Absent,
    statutory: Vec::new(),
    assurance: None,
    recruit: Vec::new(),
    seconded_from: Known::Absent,
    from: Known::Absent,
    until: Known::Absent,
    reason: Known::Absent,
    count_undecided: None,
    vacancies_undecided: None,
    recruit_undecided: None,
};

impl PostState {
    /// The less common fields (all absent for most posts).
    pub fn details(&self) -> &PostDetails {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }

    pub fn details_mut(&mut self) -> &mut PostDetails {
        self.details.get_or_insert_with(Box::default)
    }

    pub fn count(&self) -> u32 {
        self.count.map_or(1, |c| c.value)
    }

    /// How many of the `count` posts have a holder (presumed held unless said otherwise).
    pub fn holders(&self) -> u32 {
        if matches!(self.details().reason, Known::Given(Reason::Vacant, _)) {
            // deleted because it is vacant
            return 0;
        }
        match self.holder {
            Known::Given(Holder::Vacant, _) => 0,
            _ => self
                .count()
                .saturating_sub(self.vacancies.map_or(0, |v| v.value)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Slot {
    pub from: Vec<Spanned<PostIx>>,
    pub to: Spanned<PostIx>,
    pub item: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidate {
    Post(PostIx),
    Person(PersonIx),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    Post(PostIx),
    Redeployment,
    Vr,
    Er,
}

#[derive(Debug, Clone)]
pub struct Pool {
    pub id: Span,
    pub name: Option<String>,
    pub candidates: Vec<Spanned<Candidate>>,
    pub posts: Vec<Spanned<PostIx>>,
    pub fallback: Vec<Spanned<Fallback>>,
    pub item: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    Core,
    Extended,
    Citywide,
    Hosted,
}

words!(ServiceKind {
    "core" => Core,
    "extended" => Extended,
    "citywide" => Citywide,
    "hosted" => Hosted,
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceLevel {
    Universal,
    Targeted,
    Specialist,
}

words!(ServiceLevel {
    "universal" => Universal,
    "targeted" => Targeted,
    "specialist" => Specialist,
});

#[derive(Debug, Clone)]
pub struct Service {
    pub id: Span,
    pub name: Option<String>,
    pub kind: Known<ServiceKind>,
    pub host: Known<AreaIx>,
    pub level: Known<ServiceLevel>,
    pub contacts: Vec<(Spanned<AreaIx>, Vec<Spanned<PostIx>>)>,
    pub item: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgreementKind {
    S113,
    S75,
    Partnership,
    Secondment,
    Other,
}

words!(AgreementKind {
    "s113" => S113,
    "s75" => S75,
    "partnership" => Partnership,
    "secondment" => Secondment,
    "other" => Other,
});

#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: Span,
    pub name: Option<String>,
    pub kind: Known<AgreementKind>,
    pub parties: Vec<Spanned<OrgIx>>,
    pub from: Known<Date>,
    pub until: Known<Date>,
    pub item: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Published,
    Consultation,
    Hr1,
    Decision,
    Dismissals,
    Effective,
    Phase,
    Event,
}

words!(EventKind {
    "published" => Published,
    "consultation" => Consultation,
    "hr1" => Hr1,
    "decision" => Decision,
    "dismissals" => Dismissals,
    "effective" => Effective,
    "phase" => Phase,
    "event" => Event,
});

#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    pub id: Option<Span>,
    pub label: Option<String>,
    /// A single date is a range of one day; `tbd` leaves both `None`.
    pub start: Known<Date>,
    pub end: Known<Date>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Budget {
    pub id: Span,
    pub name: Option<String>,
    pub envelope: Known<Decimal>,
    pub net: bool,
    pub item: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecStatus {
    Draft,
    Consultation,
    Response,
    Agreed,
}

words!(SpecStatus {
    "draft" => Draft,
    "consultation" => Consultation,
    "response" => Response,
    "agreed" => Agreed,
});

#[derive(Debug, Clone)]
pub struct SpecInfo {
    pub id: Span,
    pub title: Option<String>,
    pub authority: Known<OrgIx>,
    pub published: Known<Date>,
    pub status: Known<SpecStatus>,
    pub redundancies: Known<u32>,
    pub item: Span,
}

/// `@allow(rule, "reason")` on an item.
#[derive(Debug, Clone)]
pub struct Allow {
    pub rule: String,
    pub rule_span: Span,
    /// The item the allow is attached to.
    pub item: Span,
}
