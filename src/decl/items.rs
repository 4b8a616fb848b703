//! The declared items. Those made of fields are generated from the vocabulary's rows, one
//! `Known` per field; those with a syntax of their own (`grade`, `slot`, `align`, the
//! timeline's entries) are written out here.

#![allow(
    non_camel_case_types,
    reason = "field ids are the fields' names as written"
)]

use super::{
    AgreementKind, AreaIx, Contact, Fallback, Few, Flag, GradeSpec, Headcount, Holder, Known,
    Money, OrgIx, OrgKind, Percent, PostIx, Reason, Ref, Role, Route, ServiceIx, ServiceKind,
    ServiceLevel, Share, Spanned, SpecStatus, StateIx, Text, Transfer, Why, Word,
};
use crate::source::{At, SourceMap, Span};
use crate::value::{Date, Decimal};
use crate::vocab::words::{Consultee, EventKind};
use crate::vocab::{Alias, Bounds, FieldRow, Namespace, Side};

/// The row of one field, with the builder calls the vocabulary gives it.
macro_rules! row {
    ($name:ident, $ty:ty, [$($doc:literal)+], [$($($attr:ident($($arg:expr),*))+)?], $post:expr) => {{
        let row = FieldRow::new::<$ty>(
            stringify!($name),
            concat!($($doc),+),
            concat!("`", stringify!($name), "`"),
        )$($(.$attr($($arg),*))+)?;
        if $post { row.transition() } else { row }
    }};
}

macro_rules! define_items {
    // an item of fields: one struct, with its id, name and span
    (
        $(#[doc = $kdoc:literal])*
        kind $kw:ident $Ty:ident $Base:ident;
        fields { $( $(#[doc = $doc:literal])+ $name:ident : $ty:ty $(= $($attr:ident ( $($arg:expr),* ))+ )? ; )* }
        details {}
        aliases {}
    ) => {
        $(#[doc = $kdoc])*
        #[derive(Debug, Clone)]
        pub struct $Ty {
            pub id: Span,
            /// The title written after the id.
            pub name: Option<String>,
            pub item: Span,
            $($(#[doc = $doc])+ pub $name: Known<$ty>,)*
        }

        impl $Ty {
            pub const FIELDS: &'static [FieldRow] = &[$(row!($name, $ty, [$($doc)+], [$($($attr($($arg),*))+)?], false)),*];
            pub const ALIASES: &'static [Alias] = &[];

            pub fn new(id: Span, name: Option<String>, item: Span) -> $Ty {
                $Ty { id, name, item, $($name: Known::Absent,)* }
            }
        }

        /// The fields of the item, in the order of its rows.
        pub mod $kw {
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum Field { $($name,)* }

            impl Field {
                pub const ALL: &'static [Field] = &[$(Field::$name,)*];
            }
        }
    };
    // posts: the side of a post, its common fields inline and the rest boxed
    (
        $(#[doc = $kdoc:literal])*
        kind $kw:ident $Ty:ident $Base:ident;
        fields { $( $(#[doc = $doc:literal])+ $name:ident : $ty:ty $(= $($attr:ident ( $($arg:expr),* ))+ )? ; )* }
        details $Details:ident { $( $(#[doc = $cdoc:literal])+ $cname:ident : $cty:ty $(= $($cattr:ident ( $($carg:expr),* ))+ )? ; )* }
        aliases { $( $alias:ident => $target:ident : $help:literal ; )* }
    ) => {
        $(#[doc = $kdoc])*
        #[derive(Debug, Clone, Default)]
        pub struct $Ty {
            // where each is written as an `At`, in the post's file: six bytes, not twelve
            $($(#[doc = $doc])+ pub $name: Known<$ty, At>,)*
            details: Option<Box<$Details>>,
        }

        /// The fields of a post that most posts do not have: those written, one entry
        /// each, in the order written. A post writes one or two of them if any, and a
        /// struct of them all was 730 bytes (measured: a seventh of a 100k-post check's
        /// heap, docs/performance.md).
        #[derive(Debug, Clone, Default)]
        pub struct $Details {
            /// A bit for each field with an entry in `written` (by its position among the
            /// kind's fields; a field written `none` has one, which reads absent): a field
            /// without one is answered without a scan, and the rules ask of every post for
            /// fields few write.
            present: u32,
            written: Vec<$kw::Detail>,
        }

        static NO_DETAILS: $Details = $Details { present: 0, written: Vec::new() };

        impl $Details {
            $(
                $(#[doc = $cdoc])+
                pub fn $cname(&self) -> &Known<$cty> {
                    static ABSENT: Known<$cty> = Known::Absent;
                    if self.present & (1 << ($kw::Field::$cname as u32)) == 0 {
                        return &ABSENT;
                    }
                    self.written
                        .iter()
                        .find_map(|d| match d {
                            $kw::Detail::$cname(k) => Some(k),
                            #[allow(unreachable_patterns, reason = "a kind may have one detail")]
                            _ => None,
                        })
                        .unwrap_or(&ABSENT)
                }
            )*

            /// Write one field, in place of what was written there before.
            pub fn set(&mut self, detail: $kw::Detail) {
                self.present |= 1 << (detail.field() as u32);
                let same = std::mem::discriminant(&detail);
                if let Some(d) = self.written.iter_mut().find(|d| std::mem::discriminant(&**d) == same) {
                    *d = detail;
                } else {
                    // grown one entry at a time: most posts write one or two
                    self.written.reserve_exact(1);
                    self.written.push(detail);
                }
            }
        }

        impl $Ty {
            pub const FIELDS: &'static [FieldRow] = &[
                $(row!($name, $ty, [$($doc)+], [$($($attr($($arg),*))+)?], true),)*
                $(row!($cname, $cty, [$($cdoc)+], [$($($cattr($($carg),*))+)?], true),)*
            ];
            pub const ALIASES: &'static [Alias] = &[$(Alias {
                name: stringify!($alias),
                target: stringify!($target),
                help: $help,
            }),*];

            /// The less common fields (all absent for most posts).
            pub fn details(&self) -> &$Details {
                self.details.as_deref().unwrap_or(&NO_DETAILS)
            }

            pub fn details_mut(&mut self) -> &mut $Details {
                self.details.get_or_insert_with(Box::default)
            }

            /// A bit for each field written (given, `tbd` or unreadable), by its place in
            /// [`Self::FIELDS`]: [`Self::is_written`] of every field at once, in one
            /// reading of the state.
            pub fn written_mask(&self) -> u32 {
                use $kw::Field;
                let mut mask = 0;
                $(if !self.$name.is_absent() {
                    mask |= 1 << (Field::$name as u32);
                })*
                if let Some(details) = &self.details {
                    for d in details.written.iter().filter(|d| !d.is_absent()) {
                        mask |= 1 << (d.field() as u32);
                    }
                }
                mask
            }

            /// Whether the field at `ix` of [`Self::FIELDS`] is written (given, `tbd` or
            /// unreadable): not absent.
            pub fn is_written(&self, ix: usize) -> bool {
                match $kw::Field::ALL[ix] {
                    $($kw::Field::$name => !matches!(self.$name, Known::Absent),)*
                    $($kw::Field::$cname => !self.details().$cname().is_absent(),)*
                }
            }
        }

        /// The fields of the item, in the order of its rows.
        pub mod $kw {
            use super::*;

            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum Field { $($name,)* $($cname,)* }

            impl Field {
                pub const ALL: &'static [Field] = &[$(Field::$name,)* $(Field::$cname,)*];
            }

            /// One of the less common fields, as written.
            #[derive(Debug, Clone)]
            pub enum Detail { $($cname(Known<$cty>),)* }

            impl Detail {
                /// The field it is.
                pub fn field(&self) -> Field {
                    match self { $(Detail::$cname(_) => Field::$cname,)* }
                }

                /// Whether it says nothing (`none` written: absent).
                pub fn is_absent(&self) -> bool {
                    match self { $(Detail::$cname(k) => k.is_absent(),)* }
                }
            }

            // a bit for each field in `present`
            const _: () = assert!(Field::ALL.len() <= 32);
        }
    };
    (all $($kw:ident $Ty:ident $Base:ident),* ;) => {
        /// The field rows and aliases of an item kind, by its keyword.
        pub fn rows(keyword: &str) -> Option<(&'static [FieldRow], &'static [Alias])> {
            match keyword {
                $(stringify!($kw) => Some(($Ty::FIELDS, $Ty::ALIASES)),)*
                _ => None,
            }
        }

        /// Every kind of item made of fields: its keyword, namespace and rows.
        pub const KINDS: &[(&str, &[FieldRow], &[Alias])] = &[$((stringify!($kw), $Ty::FIELDS, $Ty::ALIASES)),*];
    };
}

crate::vocab::vocabulary!(define_items);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// Exists before and after.
    Continuing,
    /// `new post`: after only.
    New,
    /// `deleted post`: before only.
    Deleted,
}

#[derive(Clone)]
pub struct Post {
    pub id: Span,
    /// Where its title is written, between the quotes ([`Post::title`] reads it); empty
    /// when it has none.
    pub title_at: Span,
    pub lifecycle: Lifecycle,
    /// The post as it stands before the restructure (`None` for a new post).
    pub before: Option<StateIx>,
    /// The post as it stands after (`None` for a deleted post). The same index as
    /// `before` when no field changes.
    pub after: Option<StateIx>,
    pub item: Span,
    /// Where the keyword `post` is, from the item's start ([`Post::keyword`]): two bytes,
    /// not a span of twelve (12 MB at 1M posts).
    pub keyword_at: u16,
}

/// Its keyword as the span it is, not as an offset: what the model says of a post reads
/// the same wherever its text stands (the formatter's tests compare models with their
/// positions left out).
impl std::fmt::Debug for Post {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Post")
            .field("id", &self.id)
            .field("title_at", &self.title_at)
            .field("lifecycle", &self.lifecycle)
            .field("before", &self.before)
            .field("after", &self.after)
            .field("item", &self.item)
            .field("keyword", &self.keyword())
            .finish_non_exhaustive()
    }
}

impl Post {
    /// A place for a post not lowered yet (its fields all empty, allocating nothing).
    pub fn placeholder() -> Post {
        Post {
            id: Span::default(),
            title_at: Span::default(),
            lifecycle: Lifecycle::Continuing,
            before: None,
            after: None,
            item: Span::default(),
            keyword_at: 0,
        }
    }

    /// The title written after the id, its escapes read; empty when it has none. Read from
    /// the text, where most titles stand as they read: a copy of each was 2.4 MB of a
    /// check's heap at 100k posts.
    pub fn title<'a>(&self, src: &'a SourceMap) -> std::borrow::Cow<'a, str> {
        crate::value::unescaped(src.slice(self.title_at)).unwrap_or_default()
    }

    /// The header's keyword (`post`), for findings about the whole post.
    pub fn keyword(&self) -> Span {
        let at = self.item.start as usize + usize::from(self.keyword_at);
        Span::new(self.item.file, at, at + "post".len())
    }
}

impl PostState {
    /// How many identical posts (1 when not written, or not known).
    pub fn count(&self) -> u32 {
        self.details().count().given().unwrap_or(1)
    }

    /// How many of the `count` posts have a holder (presumed held unless said otherwise).
    pub fn holders(&self) -> u32 {
        if self.has_reason(Reason::Vacant) {
            // deleted because it is vacant
            return 0;
        }
        match self.details().holder() {
            Known::Given(Holder::Vacant, _) => 0,
            _ => self
                .count()
                .saturating_sub(self.details().vacancies().given().unwrap_or(0)),
        }
    }

    /// Whether one of the post's `reason`s is this word.
    pub fn has_reason(&self, reason: Reason) -> bool {
        self.details()
            .reason()
            .list()
            .iter()
            .any(|r| r.value == Why::Reason(reason))
    }

    /// How many hold the post; `None` while its `count`, `vacancies` or `holder` is open
    /// (`tbd`: whether it is held at all is not known).
    pub fn holders_known(&self) -> Option<u32> {
        let d = self.details();
        let open = d.count().is_open() || d.vacancies().is_open() || d.holder().is_open();
        (!open
            || matches!(d.holder(), Known::Given(Holder::Vacant, _))
            || self.has_reason(Reason::Vacant))
        .then(|| self.holders())
    }

    /// The full-time equivalent of one post (1 when not written).
    pub fn fte(&self) -> Decimal {
        self.details().fte().given().unwrap_or(Decimal::ONE)
    }

    /// How many of this post's holders lose their post in the restructure, `after` being
    /// the post's state after it (`None` for a deleted post): all of them when the post
    /// goes, those past its new `count` when it falls below them. `None` while a count or
    /// the holders are open (`tbd`).
    pub fn displaced_people(&self, after: Option<&PostState>) -> Option<u32> {
        let holders = self.holders_known()?;
        let kept = match after {
            None => 0,
            Some(a) if a.details().count().is_open() => return None,
            Some(a) => a.count(),
        };
        Some(holders.saturating_sub(kept))
    }

    /// What the restructure takes from this post's holders: how many lose their post
    /// ([`Self::displaced_people`]) and the FTE taken from them — those who lose their
    /// post, and the hours cut from those who keep it (`fte 1 -> 0.5`). `None` while a
    /// count or the holders are open (`tbd`).
    pub fn displaced(&self, after: Option<&PostState>) -> Option<(u32, Decimal)> {
        let people = self.displaced_people(after)?;
        // most posts: nobody goes and the hours stay as they were
        if people == 0
            && after.is_some_and(|a| a.details().fte().given() == self.details().fte().given())
        {
            return Some((0, Decimal::ZERO));
        }
        // known: `displaced_people` would have been `None`
        let holders = self.holders();
        let (kept, fte_after) = after.map_or((0, Decimal::ZERO), |a| (a.count(), a.fte()));
        let staying = Decimal::from(holders.min(kept));
        let cut = (self.fte() - fte_after).max(Decimal::ZERO);
        Some((people, Decimal::from(people) * self.fte() + staying * cut))
    }

    /// Whether this post holds its statutory roles for authority `o`: the authorities of
    /// `statutory_for`, else its employer.
    pub fn holds_for(&self, o: OrgIx) -> bool {
        let listed = self.details().statutory_for().list();
        if listed.is_empty() {
            self.employer.given() == Some(o)
        } else {
            listed.iter().any(|a| a.value == o)
        }
    }

    /// A holder is written: a person or a name.
    pub fn named_holder(&self) -> bool {
        matches!(
            self.details().holder(),
            Known::Given(Holder::Person(_) | Holder::Named, _)
        )
    }
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

impl Grade {
    pub fn midpoint(&self) -> Option<Decimal> {
        self.pay.map(|(lo, hi)| (lo + hi) / Decimal::TWO)
    }
}

#[derive(Debug, Clone)]
pub struct Slot {
    /// The posts whose holders move (those that could be read).
    pub from: Vec<Spanned<PostIx>>,
    /// A post it moves from could not be read (reported): what moves is not known.
    pub partial: bool,
    pub to: Spanned<PostIx>,
    pub item: Span,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    pub id: Option<Span>,
    pub label: Option<String>,
    /// A single date is a range of one day; `tbd` leaves both undecided.
    pub start: Known<Date>,
    pub end: Known<Date>,
    /// Who a consultation consults (`with unions, staff`); absent when not said.
    pub with: Known<Vec<Spanned<Consultee>>>,
    /// The consultation a decision decides on (`on ID`): the timeline entry's index.
    pub on: Option<Spanned<u32>>,
    pub span: Span,
}

/// `@allow(rule, "reason")` on an item.
#[derive(Debug, Clone)]
pub struct Allow {
    pub rule: String,
    pub rule_span: Span,
    /// The item the allow is attached to.
    pub item: Span,
}
