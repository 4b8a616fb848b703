//! The kinds of item a spec is made of, and the namespaces of their ids.

/// The kinds of item that have ids. Each has its own namespace: a post and a person may
/// share an id, two posts may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    Post,
    Org,
    Area,
    Person,
    Grade,
    Pool,
    Service,
    Agreement,
    Budget,
    Event,
    Spec,
    Rule,
    Proposal,
}

impl Namespace {
    pub const ALL: [Namespace; 13] = [
        Namespace::Post,
        Namespace::Org,
        Namespace::Area,
        Namespace::Person,
        Namespace::Grade,
        Namespace::Pool,
        Namespace::Service,
        Namespace::Agreement,
        Namespace::Budget,
        Namespace::Event,
        Namespace::Spec,
        Namespace::Rule,
        Namespace::Proposal,
    ];

    /// "a post", "an org".
    pub fn article(self) -> &'static str {
        match self {
            Namespace::Org | Namespace::Area | Namespace::Agreement | Namespace::Event => "an",
            _ => "a",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Namespace::Post => "post",
            Namespace::Org => "org",
            Namespace::Area => "area",
            Namespace::Person => "person",
            Namespace::Grade => "grade",
            Namespace::Pool => "pool",
            Namespace::Service => "service",
            Namespace::Agreement => "agreement",
            Namespace::Budget => "budget",
            Namespace::Event => "timeline entry",
            Namespace::Spec => "spec",
            Namespace::Rule => "rule",
            Namespace::Proposal => "proposal",
        }
    }

    /// Its position in [`Namespace::ALL`].
    pub fn slot(self) -> usize {
        self as usize
    }
}

/// Item keywords, in the order the language reference lists them (`new` and `deleted`
/// stand before `post`).
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
    "proposal",
    "rule",
];

/// The two sides of a restructure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Before,
    After,
}

impl Side {
    pub fn describe(self) -> &'static str {
        match self {
            Side::Before => "before the restructure",
            Side::After => "after the restructure",
        }
    }
}
