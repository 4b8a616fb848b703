//! The types of the rule language: what a field, a collection or an expression holds.
//! Declared here, beside the vocabulary, because every field's row states its type.

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
    /// A proposal to dismiss stated in figures (`proposal`): another notice to count.
    Proposal,
    /// The redundancies an employer proposes at one establishment, counted as the law
    /// counts them (`establishments`).
    Establishment,
    /// A figure of the law, by date (`std/law.org`): `law(s188_lead, d)`.
    Law,
    /// A statutory role orgspec knows (`role(dcs)`): its title, its source, whether it is
    /// single per authority.
    Role,
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
                | Base::Proposal
                | Base::Establishment
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
            Base::Proposal => ("a", "stated proposal"),
            Base::Establishment => ("an", "establishment"),
            Base::Law => ("a", "figure of the law"),
            Base::Role => ("a", "statutory role"),
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
