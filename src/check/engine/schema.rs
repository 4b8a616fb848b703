//! What a rule can read: the fields of each kind of value (the vocabulary's rows, and the
//! fields derived from the model), the collections a `for` ranges over, and the
//! enumerated values a rule may name.

use std::sync::LazyLock;

use crate::vocab::{Base, Derived, FieldRow, Ty, Words, DERIVED};

/// How a field is read: from the item's row (its position), or derived from the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Written(u8),
    Derived(Derived),
}

/// A field a rule can read.
#[derive(Clone, Copy, Debug)]
pub struct FieldInfo {
    pub name: &'static str,
    pub access: Access,
    pub ty: Ty,
    pub doc: &'static str,
}

macro_rules! written {
    ($(#[doc = $kdoc:literal])* kind $($rest:tt)*) => {};
    (all $($kw:ident $Ty:ident $Base:ident),* ;) => {
        /// The rows of the fields a spec writes on a kind of value.
        pub fn written_rows(base: Base) -> &'static [FieldRow] {
            match base {
                $(Base::$Base => crate::decl::$Ty::FIELDS,)*
                _ => &[],
            }
        }
    };
}

crate::vocab::vocabulary!(written);

/// Every kind of value that has fields, in the order the docs list them.
pub const BASES: [Base; 18] = [
    Base::Post,
    Base::Org,
    Base::Area,
    Base::Grade,
    Base::Person,
    Base::Pool,
    Base::Slot,
    Base::Service,
    Base::Contact,
    Base::Agreement,
    Base::Event,
    Base::Budget,
    Base::Spec,
    Base::Proposal,
    Base::Establishment,
    Base::Role,
    Base::Share,
    Base::Item,
];

static FIELDS: LazyLock<Vec<Vec<FieldInfo>>> = LazyLock::new(|| {
    BASES
        .iter()
        .map(|&base| {
            let derived = DERIVED
                .iter()
                .filter(|d| d.0 == base)
                .map(|&(_, name, d, ty, doc)| FieldInfo {
                    name,
                    access: Access::Derived(d),
                    ty,
                    doc,
                });
            let (header, rest): (Vec<_>, Vec<_>) = derived
                .partition(|f| matches!(f.access, Access::Derived(Derived::Name | Derived::Title)));
            let written = written_rows(base)
                .iter()
                .enumerate()
                .filter_map(|(i, row)| {
                    Some(FieldInfo {
                        name: row.name,
                        access: Access::Written(i as u8),
                        ty: row.ty?,
                        doc: row.doc(),
                    })
                });
            header.into_iter().chain(written).chain(rest).collect()
        })
        .collect()
});

/// The fields of a kind of value, in the order the docs list them: its name and title,
/// the fields a spec writes, then those derived from the model.
pub fn fields(base: Base) -> &'static [FieldInfo] {
    BASES
        .iter()
        .position(|b| *b == base)
        .map_or(&[], |i| FIELDS[i].as_slice())
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
    Proposals,
    Establishments,
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
        "proposals",
        Collection::Proposals,
        Base::Proposal,
        "every proposal to dismiss stated in figures (`proposal`)",
    ),
    (
        "establishments",
        Collection::Establishments,
        Base::Establishment,
        "each employer's establishments where redundancies are proposed, counted as TULRCA 1992 s188 counts them",
    ),
    (
        "shares",
        Collection::Shares,
        Base::Share,
        "every funding share of every post after the restructure",
    ),
];

/// Enumerated values a rule may name: the words of every enumerated field (the tables
/// lowering reads) and the statutory roles.
pub fn symbols() -> impl Iterator<Item = &'static str> {
    use crate::vocab::words::{
        AgreementKind, Consultee, EventKind, OrgKind, Reason, Route, ServiceKind, ServiceLevel,
        SpecStatus,
    };
    fn words<T: Words>() -> impl Iterator<Item = &'static str> {
        T::WORDS.iter().map(|(w, _)| *w)
    }
    words::<Reason>()
        .chain(words::<Route>())
        .chain(words::<AgreementKind>())
        .chain(words::<ServiceKind>())
        .chain(words::<ServiceLevel>())
        .chain(words::<OrgKind>())
        .chain(words::<EventKind>())
        .chain(words::<SpecStatus>())
        .chain(words::<Consultee>())
        .chain(words::<crate::vocab::words::Transfer>())
        .chain(crate::vocab::roles::role_words())
        .chain(
            crate::vocab::roles::ROLES
                .iter()
                .map(|r| r.answers_to.word()),
        )
}
