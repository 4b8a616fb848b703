//! The types of the rule language, and what each kind of item offers a rule: its fields,
//! the collections a `for` can range over and the builtin functions.
//!
//! This table *is* the rule language's view of the model: the type checker reads it to
//! report `p.teir` with a suggestion, and the evaluator reads the same field ids.

use std::fmt;

/// What a value is, without the list-ness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Base {
    Bool,
    Num,
    Pct,
    Money,
    Date,
    /// A tier normalised through `align` (`tier(p)`): comparable only within one scale.
    Level,
    Str,
    /// An enumerated value: `retired`, `s113`, `dcs`.
    Sym,
    Post,
    Org,
    Area,
    Grade,
    Person,
    Pool,
    Slot,
    Service,
    Agreement,
    Event,
    Budget,
    Spec,
    /// One funder's share of a post: `p.funded`.
    Share,
    /// One `contacts` entry of a service: an area and its posts.
    Contact,
    /// Any item: the elements of `accountable_to`, `manages`, `candidates`, `fallback`.
    Item,
    /// The type of `none` and of `[]`: fits anything.
    Nothing,
    /// After a reported mistake: fits anything, so one mistake is one finding.
    Error,
}

impl Base {
    pub fn is_entity(self) -> bool {
        matches!(
            self,
            Base::Post
                | Base::Org
                | Base::Area
                | Base::Grade
                | Base::Person
                | Base::Pool
                | Base::Slot
                | Base::Service
                | Base::Agreement
                | Base::Event
                | Base::Budget
                | Base::Spec
                | Base::Share
                | Base::Contact
                | Base::Item
        )
    }

    pub fn is_ordered(self) -> bool {
        matches!(
            self,
            Base::Num | Base::Pct | Base::Money | Base::Date | Base::Level
        )
    }

    pub fn noun(self) -> (&'static str, &'static str) {
        match self {
            Base::Bool => ("a", "true/false value"),
            Base::Num => ("a", "number"),
            Base::Pct => ("a", "percentage"),
            Base::Money => ("an", "amount of money"),
            Base::Date => ("a", "date"),
            Base::Level => ("a", "normalised tier"),
            Base::Str => ("a", "string"),
            Base::Sym => ("an", "enumerated value"),
            Base::Post => ("a", "post"),
            Base::Org => ("an", "org"),
            Base::Area => ("an", "area"),
            Base::Grade => ("a", "grade"),
            Base::Person => ("a", "person"),
            Base::Pool => ("a", "pool"),
            Base::Slot => ("a", "slot"),
            Base::Service => ("a", "service"),
            Base::Agreement => ("an", "agreement"),
            Base::Event => ("a", "timeline entry"),
            Base::Budget => ("a", "budget"),
            Base::Spec => ("a", "spec"),
            Base::Share => ("a", "funding share"),
            Base::Contact => ("a", "service contact"),
            Base::Item => ("an", "item"),
            Base::Nothing => ("", "`none`"),
            Base::Error => ("", "anything"),
        }
    }
}

/// A type: a base, or a list of it (lists never nest: projecting a list field over a list
/// flattens).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ty {
    pub base: Base,
    pub list: bool,
}

impl Ty {
    pub const fn one(base: Base) -> Ty {
        Ty { base, list: false }
    }

    pub const fn list_of(base: Base) -> Ty {
        Ty { base, list: true }
    }

    pub const BOOL: Ty = Ty::one(Base::Bool);
    pub const NUM: Ty = Ty::one(Base::Num);
    pub const ERROR: Ty = Ty::one(Base::Error);

    pub fn is_error(self) -> bool {
        self.base == Base::Error
    }

    /// Whether two values may be compared with `==`.
    pub fn comparable(self, other: Ty) -> bool {
        let loose = |b: Base| matches!(b, Base::Nothing | Base::Error);
        if loose(self.base) || loose(other.base) {
            return true;
        }
        if self.list != other.list {
            return false;
        }
        self.base == other.base
            || matches!(
                (self.base, other.base),
                (Base::Sym, Base::Str) | (Base::Str, Base::Sym)
            )
            || (self.base == Base::Item && other.base.is_entity())
            || (other.base == Base::Item && self.base.is_entity())
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (article, noun) = self.base.noun();
        if self.list {
            let plural = match noun {
                "true/false value" => "true/false values".to_string(),
                "amount of money" => "amounts of money".to_string(),
                "entry" => "entries".to_string(),
                n if n.ends_with("entry") => format!("{}entries", &n[..n.len() - 5]),
                n if n.starts_with('`') => n.to_string(),
                n => format!("{n}s"),
            };
            write!(f, "a list of {plural}")
        } else if article.is_empty() {
            write!(f, "{noun}")
        } else {
            write!(f, "{article} {noun}")
        }
    }
}

/// A field a rule can read. Names are shared across kinds where they mean the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum F {
    Name,
    Title,
    // posts
    Employer,
    Tier,
    ReportsTo,
    AccountableTo,
    Funded,
    Count,
    Fte,
    Grade,
    Cost,
    AnnualCost,
    Holders,
    Vacant,
    NamedHolder,
    Manages,
    Areas,
    Citywide,
    Service,
    Discipline,
    SupervisedBy,
    Statutory,
    Assurance,
    Recruit,
    SecondedFrom,
    From,
    Until,
    Reason,
    New,
    Deleted,
    Changed,
    Was,
    Now,
    DirectReports,
    Slots,
    SlottedIn,
    Pools,
    Pooled,
    // orgs and kinds of things
    Kind,
    Tiers,
    // areas
    Includes,
    Managers,
    // grades
    Org,
    Rank,
    Min,
    Max,
    Midpoint,
    // pools
    Candidates,
    CandidatePosts,
    CandidatePersons,
    Posts,
    Fallback,
    Places,
    CandidateCount,
    // slots
    SlotFrom,
    SlotTo,
    // services
    Host,
    Level,
    Contacts,
    // contacts
    Area,
    // agreements
    Parties,
    // timeline
    Start,
    End,
    Position,
    // budgets
    Envelope,
    Net,
    // spec
    Authority,
    Published,
    Status,
    Redundancies,
    // shares
    Share,
    Post,
}

type FieldRow = (&'static str, F, Ty, &'static str);

const fn one(b: Base) -> Ty {
    Ty::one(b)
}
const fn many(b: Base) -> Ty {
    Ty::list_of(b)
}

/// The fields of a post, on the side the post value stands for (`p.was` is the post
/// before the restructure, `p.now` after).
pub const POST_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the post's id"),
    ("title", F::Title, one(Base::Str), "the post's title"),
    (
        "employer",
        F::Employer,
        one(Base::Org),
        "the employing body",
    ),
    (
        "tier",
        F::Tier,
        one(Base::Num),
        "the tier in the employer's own scale; `tier(p)` normalises it",
    ),
    (
        "reports_to",
        F::ReportsTo,
        one(Base::Post),
        "the line manager",
    ),
    (
        "accountable_to",
        F::AccountableTo,
        many(Base::Item),
        "dotted lines: posts and orgs",
    ),
    (
        "funded",
        F::Funded,
        many(Base::Share),
        "funding shares (100% the employer when not written)",
    ),
    (
        "count",
        F::Count,
        one(Base::Num),
        "identical posts (1 when not written)",
    ),
    (
        "fte",
        F::Fte,
        one(Base::Num),
        "full-time equivalent per post (1 when not written)",
    ),
    (
        "grade",
        F::Grade,
        one(Base::Grade),
        "the grade (the lower one of a spot salary between two)",
    ),
    (
        "cost",
        F::Cost,
        one(Base::Money),
        "the `cost` written on the post",
    ),
    (
        "annual_cost",
        F::AnnualCost,
        one(Base::Money),
        "`cost`, else the grade's midpoint × fte × count",
    ),
    (
        "holders",
        F::Holders,
        one(Base::Num),
        "how many of the posts are held (presumed held unless `vacant`)",
    ),
    (
        "vacant",
        F::Vacant,
        one(Base::Bool),
        "no post of it is held",
    ),
    (
        "named_holder",
        F::NamedHolder,
        one(Base::Bool),
        "a `holder` is written: a person or a name (a new post is held only then)",
    ),
    (
        "manages",
        F::Manages,
        many(Base::Item),
        "areas and services it heads",
    ),
    ("areas", F::Areas, many(Base::Area), "where it is based"),
    (
        "citywide",
        F::Citywide,
        one(Base::Bool),
        "it serves the whole authority",
    ),
    (
        "service",
        F::Service,
        one(Base::Service),
        "its service or team",
    ),
    (
        "discipline",
        F::Discipline,
        one(Base::Sym),
        "its profession",
    ),
    (
        "supervised_by",
        F::SupervisedBy,
        one(Base::Post),
        "its professional supervision line",
    ),
    (
        "statutory",
        F::Statutory,
        many(Base::Sym),
        "statutory roles held",
    ),
    (
        "assurance",
        F::Assurance,
        one(Base::Str),
        "the assurance for a post holding two statutory roles",
    ),
    (
        "recruit",
        F::Recruit,
        many(Base::Sym),
        "routes to fill it, in order",
    ),
    (
        "seconded_from",
        F::SecondedFrom,
        one(Base::Org),
        "employer of a seconded holder",
    ),
    ("from", F::From, one(Base::Date), "the date it starts"),
    ("until", F::Until, one(Base::Date), "the date it ends"),
    ("reason", F::Reason, one(Base::Sym), "why it is deleted"),
    ("new", F::New, one(Base::Bool), "a `new post`"),
    ("deleted", F::Deleted, one(Base::Bool), "a `deleted post`"),
    (
        "changed",
        F::Changed,
        one(Base::Bool),
        "some field changes in the restructure",
    ),
    (
        "was",
        F::Was,
        one(Base::Post),
        "the post before the restructure",
    ),
    (
        "now",
        F::Now,
        one(Base::Post),
        "the post after the restructure",
    ),
    (
        "direct_reports",
        F::DirectReports,
        many(Base::Post),
        "posts reporting to it on the same side",
    ),
    (
        "slots",
        F::Slots,
        many(Base::Slot),
        "slots moving its holders to another post",
    ),
    (
        "slotted_in",
        F::SlottedIn,
        many(Base::Slot),
        "slots moving holders into it",
    ),
    (
        "pools",
        F::Pools,
        many(Base::Pool),
        "pools ring-fencing its holders",
    ),
    (
        "pooled",
        F::Pooled,
        many(Base::Pool),
        "pools competing for it",
    ),
];

pub const ORG_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the org's id"),
    ("title", F::Title, one(Base::Str), "its full name"),
    ("kind", F::Kind, one(Base::Sym), "council, nhs, …"),
    ("tiers", F::Tiers, one(Base::Num), "tiers of its scale"),
    ("from", F::From, one(Base::Date), "when it starts"),
    ("until", F::Until, one(Base::Date), "when it ends"),
];

pub const AREA_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the area's id"),
    ("title", F::Title, one(Base::Str), "its name"),
    (
        "includes",
        F::Includes,
        many(Base::Area),
        "smaller areas it includes",
    ),
    (
        "managers",
        F::Managers,
        many(Base::Post),
        "posts after the restructure that manage it or an area including it",
    ),
];

pub const GRADE_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the grade's id"),
    (
        "org",
        F::Org,
        one(Base::Org),
        "the employer whose grade table has it",
    ),
    (
        "rank",
        F::Rank,
        one(Base::Num),
        "its place in the grade table, lowest first",
    ),
    ("min", F::Min, one(Base::Money), "bottom of the pay range"),
    ("max", F::Max, one(Base::Money), "top of the pay range"),
    (
        "midpoint",
        F::Midpoint,
        one(Base::Money),
        "middle of the pay range",
    ),
];

pub const PERSON_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the person's id"),
    ("title", F::Title, one(Base::Str), "their name"),
];

pub const POOL_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the pool's id"),
    ("title", F::Title, one(Base::Str), "its name"),
    (
        "candidates",
        F::Candidates,
        many(Base::Item),
        "candidate posts and persons",
    ),
    (
        "candidate_posts",
        F::CandidatePosts,
        many(Base::Post),
        "candidate posts, before the restructure",
    ),
    (
        "candidate_persons",
        F::CandidatePersons,
        many(Base::Person),
        "candidates named as persons",
    ),
    (
        "posts",
        F::Posts,
        many(Base::Post),
        "the posts competed for, after the restructure",
    ),
    (
        "fallback",
        F::Fallback,
        many(Base::Item),
        "where displaced candidates go: posts, `redeployment`, `vr`, `er`",
    ),
    (
        "places",
        F::Places,
        one(Base::Num),
        "the number of posts competed for (their counts)",
    ),
    (
        "candidate_count",
        F::CandidateCount,
        one(Base::Num),
        "holders of candidate posts plus candidate persons",
    ),
];

pub const SLOT_FIELDS: &[FieldRow] = &[
    (
        "from",
        F::SlotFrom,
        many(Base::Post),
        "the posts whose holders move, before the restructure",
    ),
    (
        "to",
        F::SlotTo,
        one(Base::Post),
        "the post they move into, after the restructure",
    ),
];

pub const SERVICE_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the service's id"),
    ("title", F::Title, one(Base::Str), "its name"),
    (
        "kind",
        F::Kind,
        one(Base::Sym),
        "core, extended, citywide or hosted",
    ),
    ("host", F::Host, one(Base::Area), "the hosting locality"),
    (
        "level",
        F::Level,
        one(Base::Sym),
        "universal, targeted or specialist",
    ),
    (
        "contacts",
        F::Contacts,
        many(Base::Contact),
        "named contacts per locality",
    ),
];

pub const CONTACT_FIELDS: &[FieldRow] = &[
    ("area", F::Area, one(Base::Area), "the locality"),
    ("posts", F::Posts, many(Base::Post), "its named contacts"),
];

pub const AGREEMENT_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the agreement's id"),
    ("title", F::Title, one(Base::Str), "its name"),
    (
        "kind",
        F::Kind,
        one(Base::Sym),
        "s113, s75, partnership, secondment or other",
    ),
    (
        "parties",
        F::Parties,
        many(Base::Org),
        "the bodies it binds",
    ),
    ("from", F::From, one(Base::Date), "when it starts"),
    ("until", F::Until, one(Base::Date), "when it ends"),
];

pub const EVENT_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "its id, else its label"),
    ("title", F::Title, one(Base::Str), "its label"),
    (
        "kind",
        F::Kind,
        one(Base::Sym),
        "published, consultation, hr1, decision, dismissals, effective, phase or event",
    ),
    ("start", F::Start, one(Base::Date), "its first day"),
    (
        "end",
        F::End,
        one(Base::Date),
        "its last day (the start, for a single date)",
    ),
    (
        "position",
        F::Position,
        one(Base::Num),
        "its place in the timeline, from 1",
    ),
];

pub const BUDGET_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the budget's id"),
    ("title", F::Title, one(Base::Str), "its name"),
    (
        "envelope",
        F::Envelope,
        one(Base::Money),
        "the money available",
    ),
    (
        "net",
        F::Net,
        one(Base::Bool),
        "deleted posts' costs count against new ones",
    ),
];

pub const SPEC_FIELDS: &[FieldRow] = &[
    ("name", F::Name, one(Base::Str), "the spec's id"),
    ("title", F::Title, one(Base::Str), "the paper's title"),
    (
        "authority",
        F::Authority,
        one(Base::Org),
        "the authority whose paper it is",
    ),
    (
        "published",
        F::Published,
        one(Base::Date),
        "publication date",
    ),
    (
        "status",
        F::Status,
        one(Base::Sym),
        "draft, consultation, response or agreed",
    ),
    (
        "redundancies",
        F::Redundancies,
        one(Base::Num),
        "proposed redundancies, when the paper states them",
    ),
];

pub const SHARE_FIELDS: &[FieldRow] = &[
    ("org", F::Org, one(Base::Org), "the funder"),
    ("share", F::Share, one(Base::Pct), "its share"),
    ("post", F::Post, one(Base::Post), "the post funded"),
];

/// The fields of a kind of value (`Item` offers what every item has).
pub fn fields(base: Base) -> &'static [FieldRow] {
    match base {
        Base::Post => POST_FIELDS,
        Base::Org => ORG_FIELDS,
        Base::Area => AREA_FIELDS,
        Base::Grade => GRADE_FIELDS,
        Base::Person => PERSON_FIELDS,
        Base::Pool => POOL_FIELDS,
        Base::Slot => SLOT_FIELDS,
        Base::Service => SERVICE_FIELDS,
        Base::Contact => CONTACT_FIELDS,
        Base::Agreement => AGREEMENT_FIELDS,
        Base::Event => EVENT_FIELDS,
        Base::Budget => BUDGET_FIELDS,
        Base::Spec => SPEC_FIELDS,
        Base::Share => SHARE_FIELDS,
        Base::Item => &PERSON_FIELDS[..1],
        _ => &[],
    }
}

/// What a `for` or a quantifier can range over, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    Posts,
    PostsBefore,
    Orgs,
    Areas,
    Localities,
    Grades,
    Persons,
    Pools,
    Slots,
    Services,
    Agreements,
    Events,
    Phases,
    Budgets,
    Shares,
}

pub const COLLECTIONS: &[(&str, Collection, Base, &str)] = &[
    (
        "posts",
        Collection::Posts,
        Base::Post,
        "posts after the restructure (continuing and new)",
    ),
    (
        "posts_before",
        Collection::PostsBefore,
        Base::Post,
        "posts before the restructure (continuing and deleted)",
    ),
    ("orgs", Collection::Orgs, Base::Org, "every org"),
    ("areas", Collection::Areas, Base::Area, "every area"),
    (
        "localities",
        Collection::Localities,
        Base::Area,
        "areas that no other area includes",
    ),
    ("grades", Collection::Grades, Base::Grade, "every grade"),
    ("persons", Collection::Persons, Base::Person, "every person"),
    ("pools", Collection::Pools, Base::Pool, "every pool"),
    ("slots", Collection::Slots, Base::Slot, "every slot"),
    (
        "services",
        Collection::Services,
        Base::Service,
        "every service",
    ),
    (
        "agreements",
        Collection::Agreements,
        Base::Agreement,
        "every agreement",
    ),
    (
        "events",
        Collection::Events,
        Base::Event,
        "every timeline entry, in order",
    ),
    (
        "phases",
        Collection::Phases,
        Base::Event,
        "the `phase` entries of the timeline, in order",
    ),
    ("budgets", Collection::Budgets, Base::Budget, "every budget"),
    (
        "shares",
        Collection::Shares,
        Base::Share,
        "every funding share of every post after the restructure",
    ),
];

/// Builtin functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Count,
    Sum,
    Min,
    Max,
    First,
    Either,
    Tier,
    Ancestors,
    Days,
    Plural,
    RoleHolders,
    RoleHoldersBefore,
    Present,
    Body,
}

pub const BUILTINS: &[(&str, Builtin, &str)] = &[
    (
        "count",
        Builtin::Count,
        "`count(XS)`, `count(y in XS where COND)`: how many",
    ),
    (
        "sum",
        Builtin::Sum,
        "`sum(XS)`, `sum(y in XS where COND: y.fte)`: the total of numbers, percentages or money",
    ),
    ("min", Builtin::Min, "`min(XS)` or `min(a, b)`: the least"),
    (
        "max",
        Builtin::Max,
        "`max(XS)` or `max(a, b)`: the greatest",
    ),
    (
        "first",
        Builtin::First,
        "`first(XS)`: the first element, or `none`; `first(XS, n)`: the first `n` elements",
    ),
    (
        "either",
        Builtin::Either,
        "`either(a, b)`: `a` when it is known, else `b`",
    ),
    (
        "tier",
        Builtin::Tier,
        "`tier(p)`: the post's tier normalised through `align`",
    ),
    (
        "ancestors",
        Builtin::Ancestors,
        "`ancestors(p)`: its line managers up to the top, nearest first",
    ),
    (
        "days",
        Builtin::Days,
        "`days(a, b)`: days from date `a` to date `b`",
    ),
    (
        "plural",
        Builtin::Plural,
        "`plural(n, \"holder\")`: \"1 holder\", \"2 holders\" (for messages)",
    ),
    (
        "role_holders",
        Builtin::RoleHolders,
        "`role_holders(r)`: posts holding statutory role `r` after the restructure",
    ),
    (
        "role_holders_before",
        Builtin::RoleHoldersBefore,
        "`role_holders_before(r)`: posts holding `r` before it",
    ),
    (
        "present",
        Builtin::Present,
        "`present(s, a)`: service `s` has a post based in or managing area `a`",
    ),
    (
        "body",
        Builtin::Body,
        "`body(x)`: an org itself, or the employer of a post",
    ),
];

/// Enumerated values a rule may name: the words of every enumerated field (the tables
/// lowering reads) and the statutory roles.
pub fn symbols() -> impl Iterator<Item = &'static str> {
    use crate::model::decl::{
        AgreementKind, EventKind, OrgKind, Reason, Route, ServiceKind, ServiceLevel, SpecStatus,
    };
    fn words<T>(table: &'static [(&'static str, T)]) -> impl Iterator<Item = &'static str> {
        table.iter().map(|(w, _)| *w)
    }
    words(Reason::WORDS)
        .chain(words(Route::WORDS))
        .chain(words(AgreementKind::WORDS))
        .chain(words(ServiceKind::WORDS))
        .chain(words(ServiceLevel::WORDS))
        .chain(words(OrgKind::WORDS))
        .chain(words(EventKind::WORDS))
        .chain(words(SpecStatus::WORDS))
        .chain(crate::resolve::fields::STATUTORY_ROLES.iter().copied())
}
