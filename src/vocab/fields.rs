//! What a row of the vocabulary says about one field, and the fields rules read that no
//! spec writes (derived from the model: a post's `annual_cost`, a pool's `places`).

use super::kinds::{Namespace, Side};
use super::types::{Base, Ty};

/// The limits of a whole number or a fraction, and what to say when a value is outside
/// them. In the message, label and help, `{}` stands for the value as written.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub min: u32,
    /// The value must be more than `min`, not equal to it.
    pub min_exclusive: bool,
    pub max: Option<u32>,
    pub message: &'static str,
    pub label: &'static str,
    pub help: &'static str,
}

/// One field of one kind of item: everything the language knows about it. Lowering,
/// the rule language, the editor and the docs all read these rows.
#[derive(Clone, Copy, Debug)]
pub struct FieldRow {
    pub name: &'static str,
    /// What it means, in one line.
    pub doc: &'static str,
    /// The field's name as messages quote it: "`tier`", or "an org's `kind`".
    pub what: &'static str,
    /// How the `undecided` note names it when it is written `tbd`.
    pub undecided: &'static str,
    /// How its value is written, for the docs.
    pub value: &'static str,
    /// Whether it takes a list: `a, b, c`.
    pub list: bool,
    /// Its type in the rule language; `None` when rules read it through a derived field.
    pub ty: Option<Ty>,
    /// The kinds of item its value names.
    pub namespaces: &'static [Namespace],
    /// Whether it may change in the restructure (`old -> new`): a post's fields.
    pub transition: bool,
    /// Whether it may be written `tbd`.
    pub tbd: bool,
    /// When it is required: the help for a spec that leaves it out.
    pub required: Option<&'static str>,
    /// What a value must be, in messages, when its shape alone does not say it well.
    pub expected: Option<&'static str>,
    /// The limits of a number.
    pub bounds: Option<Bounds>,
    /// The side of the restructure the posts it names are read on (a pool's candidates
    /// before, its posts after); `None`: the side of the item itself.
    pub side: Option<Side>,
    /// The number rules read when it is not written (`count` and `fte`: 1).
    pub default: Option<u32>,
}

/// What a kind of value is, for the rows of fields that hold it: its type in the rule
/// language, how it is written, and the kinds of item it names.
pub trait Shape {
    const TY: Option<Ty>;
    /// How a value is written, for the docs.
    const VALUE: &'static str;
    const NAMESPACES: &'static [Namespace] = &[];
    /// Whether `tbd` may stand for it.
    const TBD: bool = true;
    /// Whether it is a list of values.
    const LIST: bool = false;
}

/// The builders a row of the vocabulary calls (`tiers: u32 = no_tbd() bounds(…)`).
impl FieldRow {
    /// A row with what its shape says; the builders below add what is particular to it.
    pub const fn new<S: Shape>(name: &'static str, doc: &'static str, what: &'static str) -> Self {
        FieldRow {
            name,
            doc,
            what,
            undecided: what,
            value: S::VALUE,
            list: S::LIST,
            ty: S::TY,
            namespaces: S::NAMESPACES,
            transition: false,
            tbd: S::TBD,
            required: None,
            expected: None,
            bounds: None,
            side: None,
            default: None,
        }
    }

    #[must_use]
    pub const fn transition(mut self) -> Self {
        self.transition = true;
        self
    }

    #[must_use]
    pub const fn required(mut self, help: &'static str) -> Self {
        self.required = Some(help);
        self
    }

    #[must_use]
    pub const fn what(mut self, what: &'static str) -> Self {
        self.what = what;
        self.undecided = what;
        self
    }

    #[must_use]
    pub const fn undecided(mut self, text: &'static str) -> Self {
        self.undecided = text;
        self
    }

    #[must_use]
    pub const fn value(mut self, text: &'static str) -> Self {
        self.value = text;
        self
    }

    #[must_use]
    pub const fn expected(mut self, text: &'static str) -> Self {
        self.expected = Some(text);
        self
    }

    #[must_use]
    pub const fn no_tbd(mut self) -> Self {
        self.tbd = false;
        self
    }

    /// Rules do not read it directly.
    #[must_use]
    pub const fn hidden(mut self) -> Self {
        self.ty = None;
        self
    }

    #[must_use]
    pub const fn refs(mut self, namespaces: &'static [Namespace]) -> Self {
        self.namespaces = namespaces;
        self
    }

    #[must_use]
    pub const fn bounds(mut self, bounds: Bounds) -> Self {
        self.bounds = Some(bounds);
        self
    }

    #[must_use]
    pub const fn side(mut self, side: Side) -> Self {
        self.side = Some(side);
        self
    }

    #[must_use]
    pub const fn default(mut self, n: u32) -> Self {
        self.default = Some(n);
        self
    }

    /// The doc line without the space a `///` comment leaves.
    pub fn doc(&self) -> &'static str {
        self.doc.trim()
    }
}

/// Another name for a field (`area` for one of `areas`): it takes one value.
#[derive(Clone, Copy, Debug)]
pub struct Alias {
    pub name: &'static str,
    pub target: &'static str,
    /// What to write for more than one value.
    pub help: &'static str,
}

/// A field rules read that is computed from the model rather than written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derived {
    Name,
    Title,
    Label,
    // posts
    AnnualCost,
    Holders,
    Vacant,
    NamedHolder,
    Displaced,
    DisplacedFte,
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
    // areas
    Managers,
    // grades
    GradeOrg,
    Rank,
    Min,
    Max,
    Midpoint,
    // pools
    CandidatePosts,
    CandidatePersons,
    Places,
    CandidateCount,
    // slots
    SlotFrom,
    SlotTo,
    // service contacts
    ContactArea,
    ContactPosts,
    // establishments where redundancies are proposed
    EstEmployer,
    EstSite,
    EstRedundancies,
    EstStated,
    EstPosts,
    EstPools,
    EstProposals,
    FirstDismissal,
    AtRisk,
    Surplus,
    // timeline entries
    EventKind,
    Consulted,
    DecidesOn,
    Start,
    End,
    Position,
    // budgets
    BudgetNew,
    BudgetDeleted,
    // statutory roles
    RoleSingle,
    RoleChief,
    RoleAnswersTo,
    RoleSource,
    RoleCite,
    // funding shares
    ShareOrg,
    Share,
    SharePost,
}

/// One derived field: the kind of value it belongs to, its name, what it is and its type.
pub type DerivedRow = (Base, &'static str, Derived, Ty, &'static str);

const fn one(b: Base) -> Ty {
    Ty::one(b)
}

const fn many(b: Base) -> Ty {
    Ty::list_of(b)
}

/// The derived fields of every kind of value, in the order the docs list them.
#[rustfmt::skip]
pub const DERIVED: &[DerivedRow] = &[
    (Base::Post, "name", Derived::Name, one(Base::Str), "the post's id"),
    (Base::Post, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Post, "title", Derived::Title, one(Base::Str), "the post's title"),
    (Base::Post, "annual_cost", Derived::AnnualCost, one(Base::Money), "`cost`, else the grade's midpoint × fte × count; unknown while the count or grade is `tbd`, `none` without a grade with pay"),
    (Base::Post, "holders", Derived::Holders, one(Base::Num), "how many of the posts are held (presumed held unless `vacant`); unknown while `count`, `vacancies` or `holder` is `tbd`, 0 for `reason vacant`"),
    (Base::Post, "vacant", Derived::Vacant, one(Base::Bool), "no post of it is held"),
    (Base::Post, "named_holder", Derived::NamedHolder, one(Base::Bool), "a `holder` is written: a person or a name (a new post is held only then)"),
    (Base::Post, "displaced", Derived::Displaced, one(Base::Num), "holders who lose their post in the restructure: it goes, or its `count` falls below them (0 for a new post)"),
    (Base::Post, "displaced_fte", Derived::DisplacedFte, one(Base::Num), "the FTE the restructure takes from its holders: the posts that go, and hours cut (`fte 1 -> 0.5` takes 0.5)"),
    (Base::Post, "at_risk", Derived::AtRisk, one(Base::Num), "holders counted as proposed redundancies (TULRCA 1992 s188): displaced, and not slotted, pooled, retired or vacant"),
    (Base::Post, "new", Derived::New, one(Base::Bool), "a `new post`"),
    (Base::Post, "deleted", Derived::Deleted, one(Base::Bool), "a `deleted post`"),
    (Base::Post, "changed", Derived::Changed, one(Base::Bool), "some field changes in the restructure"),
    (Base::Post, "was", Derived::Was, one(Base::Post), "the post before the restructure"),
    (Base::Post, "now", Derived::Now, one(Base::Post), "the post after the restructure"),
    (Base::Post, "direct_reports", Derived::DirectReports, many(Base::Post), "posts reporting to it on the same side"),
    (Base::Post, "slots", Derived::Slots, many(Base::Slot), "slots moving its holders to another post"),
    (Base::Post, "slotted_in", Derived::SlottedIn, many(Base::Slot), "slots moving holders into it"),
    (Base::Post, "pools", Derived::Pools, many(Base::Pool), "pools ring-fencing its holders"),
    (Base::Post, "pooled", Derived::Pooled, many(Base::Pool), "pools competing for it"),
    (Base::Org, "name", Derived::Name, one(Base::Str), "the org's id"),
    (Base::Org, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Org, "title", Derived::Title, one(Base::Str), "its full name"),
    (Base::Area, "name", Derived::Name, one(Base::Str), "the area's id"),
    (Base::Area, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Area, "title", Derived::Title, one(Base::Str), "its name"),
    (Base::Area, "managers", Derived::Managers, many(Base::Post), "posts after the restructure that manage it or an area including it"),
    (Base::Grade, "name", Derived::Name, one(Base::Str), "the grade's id"),
    (Base::Grade, "org", Derived::GradeOrg, one(Base::Org), "the employer, or the national scale (an org of kind `scale`), whose grade table has it"),
    (Base::Grade, "rank", Derived::Rank, one(Base::Num), "its place in the grade table, lowest first: by pay when the whole table has pay ranges, else as declared"),
    (Base::Grade, "min", Derived::Min, one(Base::Money), "bottom of the pay range"),
    (Base::Grade, "max", Derived::Max, one(Base::Money), "top of the pay range"),
    (Base::Grade, "midpoint", Derived::Midpoint, one(Base::Money), "middle of the pay range"),
    (Base::Person, "name", Derived::Name, one(Base::Str), "the person's id"),
    (Base::Person, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Person, "title", Derived::Title, one(Base::Str), "their name"),
    (Base::Pool, "name", Derived::Name, one(Base::Str), "the pool's id"),
    (Base::Pool, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Pool, "title", Derived::Title, one(Base::Str), "its name"),
    (Base::Pool, "candidate_posts", Derived::CandidatePosts, many(Base::Post), "candidate posts, before the restructure"),
    (Base::Pool, "candidate_persons", Derived::CandidatePersons, many(Base::Person), "candidates named as persons"),
    (Base::Pool, "places", Derived::Places, one(Base::Num), "the number of posts competed for (their counts)"),
    (Base::Pool, "candidate_count", Derived::CandidateCount, one(Base::Num), "holders of candidate posts plus candidate persons"),
    (Base::Pool, "surplus", Derived::Surplus, one(Base::Num), "candidates it displaces: candidates less places (0 when there are enough places)"),
    (Base::Slot, "from", Derived::SlotFrom, many(Base::Post), "the posts whose holders move, before the restructure"),
    (Base::Slot, "to", Derived::SlotTo, one(Base::Post), "the post they move into, after the restructure"),
    (Base::Service, "name", Derived::Name, one(Base::Str), "the service's id"),
    (Base::Service, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Service, "title", Derived::Title, one(Base::Str), "its name"),
    (Base::Contact, "area", Derived::ContactArea, one(Base::Area), "the locality"),
    (Base::Contact, "posts", Derived::ContactPosts, many(Base::Post), "its named contacts"),
    (Base::Agreement, "name", Derived::Name, one(Base::Str), "the agreement's id"),
    (Base::Agreement, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Agreement, "title", Derived::Title, one(Base::Str), "its name"),
    (Base::Event, "name", Derived::Name, one(Base::Str), "its id, else its label"),
    (Base::Event, "title", Derived::Title, one(Base::Str), "its label"),
    (Base::Event, "kind", Derived::EventKind, one(Base::Sym), "published, consultation, hr1, decision, notices, dismissals, effective, phase or event"),
    (Base::Event, "with", Derived::Consulted, many(Base::Sym), "who a consultation consults: unions, elected_reps, staff, partners, public (`none` when not said)"),
    (Base::Event, "on", Derived::DecidesOn, one(Base::Event), "the consultation a decision decides on (`on ID`; `none` when not said)"),
    (Base::Event, "start", Derived::Start, one(Base::Date), "its first day"),
    (Base::Event, "end", Derived::End, one(Base::Date), "its last day (the start, for a single date)"),
    (Base::Event, "position", Derived::Position, one(Base::Num), "its place in the timeline, from 1"),
    (Base::Budget, "name", Derived::Name, one(Base::Str), "the budget's id"),
    (Base::Budget, "label", Derived::Label, one(Base::Str), "its title and id as a person reads them in a message: Head of Operations (`head_ops`)"),
    (Base::Budget, "title", Derived::Title, one(Base::Str), "its name"),
    (Base::Budget, "new_posts", Derived::BudgetNew, many(Base::Post), "the new posts it covers, after the restructure: those it names (`posts`), those of its `phase`, else every new post"),
    (Base::Budget, "deleted_posts", Derived::BudgetDeleted, many(Base::Post), "the deleted posts it covers, before the restructure (as `new_posts`)"),
    (Base::Proposal, "name", Derived::Name, one(Base::Str), "the proposal's id"),
    (Base::Proposal, "title", Derived::Title, one(Base::Str), "its name"),
    (Base::Establishment, "employer", Derived::EstEmployer, one(Base::Org), "the employer proposing the dismissals"),
    (Base::Establishment, "site", Derived::EstSite, one(Base::Sym), "the establishment, as its posts' `site` says (`none`: the employer's posts with no site)"),
    (Base::Establishment, "redundancies", Derived::EstRedundancies, one(Base::Num), "the people proposed to be dismissed there within 90 days: a lower bound (`at least`) where some are open"),
    (Base::Establishment, "stated", Derived::EstStated, one(Base::Bool), "the figure is the paper's own (`spec { redundancies N }`)"),
    (Base::Establishment, "posts", Derived::EstPosts, many(Base::Post), "the posts counted, before the restructure (`at_risk` people each)"),
    (Base::Establishment, "pools", Derived::EstPools, many(Base::Pool), "the pools whose surplus is counted"),
    (Base::Establishment, "proposals", Derived::EstProposals, many(Base::Proposal), "stated proposals counted with it (the same 90 days)"),
    (Base::Establishment, "first_dismissal", Derived::FirstDismissal, one(Base::Event), "the timeline's first `dismissals` entry, else its first `effective` entry"),
    (Base::Role, "name", Derived::Name, one(Base::Str), "the role's word (`dcs`)"),
    (Base::Role, "title", Derived::Title, one(Base::Str), "its title (Director of Children's Services)"),
    (Base::Role, "single", Derived::RoleSingle, one(Base::Bool), "an authority has one holder of it"),
    (Base::Role, "chief", Derived::RoleChief, one(Base::Bool), "one of the statutory chief officers"),
    (Base::Role, "answers_to", Derived::RoleAnswersTo, one(Base::Sym), "`council`, `head_of_paid_service` (directly to the chief executive) or `line`"),
    (Base::Role, "cite", Derived::RoleCite, one(Base::Str), "the statute or guidance that creates it, in short (`Children Act 2004 s18; …`)"),
    (Base::Role, "source", Derived::RoleSource, one(Base::Str), "the statute or guidance that creates it, and what it says of it"),
    (Base::Spec, "name", Derived::Name, one(Base::Str), "the spec's id"),
    (Base::Spec, "title", Derived::Title, one(Base::Str), "the paper's title"),
    (Base::Share, "org", Derived::ShareOrg, one(Base::Org), "the funder"),
    (Base::Share, "share", Derived::Share, one(Base::Pct), "its share"),
    (Base::Share, "post", Derived::SharePost, one(Base::Post), "the post funded"),
    (Base::Item, "name", Derived::Name, one(Base::Str), "its id"),
];
