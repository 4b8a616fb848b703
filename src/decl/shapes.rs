//! The shapes of field values, and what each is in the language ([`Shape`]): its type in
//! the rule language, how it is written and the kinds of item it names.

use super::{AreaIx, GradeIx, OrgIx, PersonIx, PostIx, Ref, ServiceIx, Spanned};
use crate::source::{At, Span};
use crate::value::{Date, Decimal};
use crate::vocab::words::{
    AgreementKind, OrgKind, Outcome, Reason, Route, ServiceKind, ServiceLevel, SpecStatus, Transfer,
};
use crate::vocab::{Base, Namespace, Shape, Ty};

/// A string, unescaped (`title`, `assurance`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text(pub Box<str>);

/// A bare word that is not one of a fixed set (`discipline social_work`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word(pub Box<str>);

/// A statutory role (`dcs`), or a local role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role(pub Box<str>);

/// An amount of money, exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money(pub Decimal);

/// A percentage, as written (`28%` is 28).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percent(pub Decimal);

/// A number of people as a paper states it: exactly, or at least (`at least 118`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Headcount {
    pub people: u32,
    pub at_least: bool,
}

/// A field written alone, with no value (`citywide`, `net`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag;

/// One funder's share of a post.
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

impl GradeSpec {
    /// The grade rules read: the lower one of a spot salary.
    pub fn lower(self) -> GradeIx {
        match self {
            GradeSpec::One(g) | GradeSpec::Between(g, _) => g,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Vacant,
    Person(PersonIx),
    /// A holder named by a string.
    Named,
}

/// One reason a post is deleted, or what becomes of its holders: a word of [`Reason`], or
/// a reason given in words. A post's `reason` is a list, tried in turn
/// (`reason redeployment, vr, redundancy`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    Reason(Reason),
    Text(Box<str>),
}

/// Where a pool's displaced candidates go: another post, or an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    Post(PostIx),
    Outcome(Outcome),
}

/// One locality's contact posts for a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub area: Spanned<AreaIx>,
    pub posts: Vec<Spanned<PostIx>>,
}

/// A shape rules read as one value of `b`.
#[allow(
    clippy::unnecessary_wraps,
    reason = "a shape's type is optional: some shapes are not read by rules"
)]
const fn one(b: Base) -> Option<Ty> {
    Some(Ty::one(b))
}

macro_rules! shape {
    ($($ty:ty => $rule:expr, $value:literal $(, [$($ns:ident),*])? $(, tbd $tbd:literal)?;)*) => {$(
        impl Shape for $ty {
            const TY: Option<Ty> = $rule;
            const VALUE: &'static str = $value;
            $(const NAMESPACES: &'static [Namespace] = &[$(Namespace::$ns),*];)?
            $(const TBD: bool = $tbd;)?
        }
    )*};
}

shape! {
    OrgIx => one(Base::Org), "org", [Org];
    PostIx => one(Base::Post), "post", [Post];
    AreaIx => one(Base::Area), "area", [Area];
    ServiceIx => one(Base::Service), "service", [Service];
    PersonIx => one(Base::Person), "person", [Person];
    Ref => one(Base::Item), "";
    u32 => one(Base::Num), "whole number";
    Headcount => one(Base::Num), "whole number, or `at least N`";
    Decimal => one(Base::Num), "number", tbd false;
    Money => one(Base::Money), "money";
    Percent => one(Base::Pct), "percentage";
    Date => one(Base::Date), "date (`YYYY-MM-DD`, or `YYYY-MM` for a month)";
    Text => one(Base::Str), "string", tbd false;
    Word => one(Base::Sym), "name";
    Role => one(Base::Sym), "role";
    Flag => one(Base::Bool), "(no value)", tbd false;
    GradeSpec => one(Base::Grade), "grade, or grade range `LOW..HIGH`", [Grade];
    Holder => None, "person, string, `vacant`, or a list of them", [Person];
    Why => one(Base::Sym), "`retired`, `vacant`, `slotted`, `redeployment`, `vr`, `er`, `redundancy`, or a string";
    Route => one(Base::Sym), "`ringfence`, `internal`, `external`, `secondment`, `hold_vacant` or `redeployment`";
    Fallback => one(Base::Item), "post, `redeployment`, `vr`, `er` or `redundancy`", [Post];
    OrgKind => one(Base::Sym), "`council`, `nhs`, `company`, `voluntary`, `school`, `police`, `scale` or `other`";
    Transfer => one(Base::Sym), "`tupe`, `scheme` or `secondment`";
    ServiceKind => one(Base::Sym), "`core`, `extended`, `citywide` or `hosted`";
    ServiceLevel => one(Base::Sym), "`universal`, `targeted` or `specialist`";
    AgreementKind => one(Base::Sym), "`s113`, `s75`, `partnership`, `secondment` or `other`";
    SpecStatus => one(Base::Sym), "`draft`, `consultation`, `response` or `agreed`";
    Vec<Share> => Some(Ty::list_of(Base::Share)), "org and percentage (`sbc 50%`), …", [Org];
    Vec<Contact> => Some(Ty::list_of(Base::Contact)), "`AREA: POST` or `AREA: [POST, …]`, …", [Area, Post];
}

/// A list field of a post's state (`areas`), its elements where each is written in the
/// post's file. Most posts write one, held in place (16 bytes; a list in a box of its own
/// was 16 bytes of the state and an allocation of 16 more: 1.6 MB of a 100k-post check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Few<T> {
    One(Spanned<T, At>),
    /// Two or more (a box of a box: one pointer here, not two words).
    Many(Box<Box<[Spanned<T, At>]>>),
}

impl<T> Few<T> {
    pub fn new(mut list: Vec<Spanned<T, At>>) -> Few<T> {
        if list.len() == 1 {
            if let Some(one) = list.pop() {
                return Few::One(one);
            }
        }
        Few::Many(Box::new(list.into_boxed_slice()))
    }

    pub fn as_slice(&self) -> &[Spanned<T, At>] {
        match self {
            Few::One(one) => std::slice::from_ref(one),
            Few::Many(many) => many,
        }
    }
}

impl<T: Shape> Shape for Few<T> {
    const TY: Option<Ty> = <Box<[Spanned<T>]> as Shape>::TY;
    const VALUE: &'static str = T::VALUE;
    const NAMESPACES: &'static [Namespace] = T::NAMESPACES;
    const LIST: bool = true;
}

/// A list of values of one shape: `a, b, c`.
impl<T: Shape> Shape for Box<[Spanned<T>]> {
    const TY: Option<Ty> = match T::TY {
        Some(t) => Some(Ty::list_of(t.base)),
        None => None,
    };
    const VALUE: &'static str = T::VALUE;
    const NAMESPACES: &'static [Namespace] = T::NAMESPACES;
    const LIST: bool = true;
}
