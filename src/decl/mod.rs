//! Resolved declarations: every reference an index, every value its real type. The typed
//! form of the vocabulary (`crate::vocab`): produced by `resolve`, read by `model` and
//! `check`, never changed after lowering.

mod items;
mod shapes;

pub use crate::vocab::words::{
    AgreementKind, Consultee, EventKind, OrgKind, Outcome, Reason, Route, ServiceKind,
    ServiceLevel, SpecStatus, Transfer,
};
pub use crate::vocab::{Side, Words};
pub use items::*;
pub use shapes::*;

use crate::source::{At, FileId, Position, Span};
use crate::vocab::Namespace;

macro_rules! index_type {
    ($($name:ident => $ns:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn ix(self) -> usize { self.0 as usize }
        }
        impl Index for $name {
            const NAMESPACE: Namespace = Namespace::$ns;
            fn from_raw(i: u32) -> Self { $name(i) }
            fn raw(self) -> u32 { self.0 }
        }
    )*};
}

/// The index of an item of one namespace.
pub trait Index: Copy {
    const NAMESPACE: Namespace;
    fn from_raw(i: u32) -> Self;
    fn raw(self) -> u32;
}

index_type!(
    OrgIx => Org,
    PostIx => Post,
    AreaIx => Area,
    PersonIx => Person,
    GradeIx => Grade,
    PoolIx => Pool,
    ServiceIx => Service,
    AgreementIx => Agreement
);

/// The position of one side of a post in [`States`]. Held as the position plus one, so
/// that a post's `Option<StateIx>` (none for a side it does not have) is four bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateIx(std::num::NonZeroU32);

impl StateIx {
    /// The state at position `ix` (below `u32::MAX`: [`States`] holds fewer).
    pub fn new(ix: u32) -> StateIx {
        StateIx(std::num::NonZeroU32::MIN.saturating_add(ix))
    }

    pub fn ix(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// An item of any namespace, for a field that names items of several kinds
/// (`accountable_to` a post or an org).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ref {
    pub namespace: Namespace,
    pub index: u32,
}

impl Ref {
    /// The item, if it is of the kind `I` indexes.
    pub fn get<I: Index>(self) -> Option<I> {
        (self.namespace == I::NAMESPACE).then(|| I::from_raw(self.index))
    }
}

/// A value together with where it was written: a [`Span`], or an [`At`] in its owner's
/// file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spanned<T, S = Span> {
    pub value: T,
    pub span: S,
}

/// Every field of every item: absent, written `tbd`, given, or written but unreadable;
/// with where it is written, a [`Span`] (or an [`At`] in a post's state, whose file is the
/// post's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Known<T, S = Span> {
    #[default]
    Absent,
    /// Written `tbd`: the paper has not decided yet.
    Undecided(S),
    Given(T, S),
    /// Written, but the value could not be read (already reported): checks skip it, and it
    /// does not count as absent, so one mistake does not cascade into others.
    Invalid(S),
}

impl<T, S: Copy> Known<T, S> {
    /// The value, when it is given.
    pub fn get(&self) -> Option<&T> {
        match self {
            Known::Given(v, _) => Some(v),
            _ => None,
        }
    }

    /// The value, when it is given, to change.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Known::Given(v, _) => Some(v),
            _ => None,
        }
    }

    /// Where it is written, as it is kept.
    pub fn position(&self) -> Option<S> {
        match self {
            Known::Absent => None,
            Known::Undecided(s) | Known::Given(_, s) | Known::Invalid(s) => Some(*s),
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Known::Absent)
    }

    /// Written `tbd`, or written but unreadable: a value exists that nobody can read.
    pub fn is_open(&self) -> bool {
        matches!(self, Known::Undecided(_) | Known::Invalid(_))
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U, S> {
        self.map_at(f, |s| s)
    }

    /// The value and its position, each changed.
    pub fn map_at<U, P>(self, f: impl FnOnce(T) -> U, at: impl Fn(S) -> P) -> Known<U, P> {
        match self {
            Known::Absent => Known::Absent,
            Known::Undecided(s) => Known::Undecided(at(s)),
            Known::Given(v, s) => Known::Given(f(v), at(s)),
            Known::Invalid(s) => Known::Invalid(at(s)),
        }
    }
}

impl<T> Known<T> {
    /// Where it is written.
    pub fn span(&self) -> Option<Span> {
        self.position()
    }

    /// As a post's state keeps it: its span as an [`At`].
    pub fn at(self) -> Known<T, At> {
        self.map_at(|v| v, At::new)
    }
}

impl<T, S: Position> Known<T, S> {
    /// Where it is written, in its owner's file (a post's `item.file`).
    pub fn span_in(&self, file: FileId) -> Option<Span> {
        self.position().map(|s| s.span(file))
    }
}

impl<T: Copy, S: Copy> Known<T, S> {
    pub fn given(&self) -> Option<T> {
        self.get().copied()
    }
}

impl<T> Known<Vec<T>> {
    /// The elements of a list field (none unless given).
    pub fn list(&self) -> &[T] {
        self.get().map_or(&[], Vec::as_slice)
    }
}

impl<T, S: Copy> Known<Few<T>, S> {
    /// The elements of a list field (none unless given).
    pub fn list(&self) -> &[Spanned<T, At>] {
        self.get().map_or(&[], Few::as_slice)
    }
}

impl<T, S: Copy> Known<Box<[T]>, S> {
    /// The elements of a list field (none unless given).
    pub fn list(&self) -> &[T] {
        self.get().map_or(&[], |list| list)
    }
}

/// Everything a compilation unit declares, references resolved to indices.
#[derive(Debug, Default)]
pub struct Decls {
    pub spec: Option<SpecInfo>,
    pub orgs: Vec<Org>,
    pub aligns: Vec<Align>,
    pub grades: Vec<Grade>,
    pub areas: Vec<Area>,
    pub persons: Vec<Person>,
    pub posts: Vec<Post>,
    pub states: States,
    pub slots: Vec<Slot>,
    pub pools: Vec<Pool>,
    pub services: Vec<Service>,
    pub agreements: Vec<Agreement>,
    pub events: Vec<Event>,
    pub budgets: Vec<Budget>,
    pub proposals: Vec<Proposal>,
    pub allows: Vec<Allow>,
}

/// The states of all posts, in one vector. A post's first state (its only one, or the one
/// before the restructure) stands at the post's own place among the unit's posts, written
/// there by the worker that lowers the post ([`States::open`]), as the post is written into
/// its place among the posts; the second states of the posts that change (about one in
/// sixteen) follow them all. Held in the segments the workers filled, with a table of where
/// each state was (eight bytes a state) and a table of pointers for the rules (sixteen a
/// post), they were 2.4 MB more of a 100k-post check (docs/performance.md).
#[derive(Debug, Default)]
pub struct States {
    all: Vec<PostState>,
}

impl States {
    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Add a state at the end.
    pub fn push(&mut self, state: PostState) -> StateIx {
        self.all.push(state);
        StateIx::new((self.all.len() - 1) as u32)
    }

    /// Room for `n` more states exactly (not the doubling a push may make, whose spare
    /// room would be held to the end of the check).
    pub fn reserve_exact(&mut self, n: usize) {
        self.all.reserve_exact(n);
    }

    /// Places for `n` more states, empty until written ([`States::places`]); the index of
    /// the first.
    pub fn open(&mut self, n: usize) -> u32 {
        let first = self.all.len();
        self.all.resize_with(first + n, PostState::default);
        first as u32
    }

    /// The states from `first` on, to write into their places.
    pub fn places(&mut self, first: u32) -> &mut [PostState] {
        &mut self.all[first as usize..]
    }

    /// Take every state out, in order, leaving none.
    pub fn take(&mut self) -> std::vec::Drain<'_, PostState> {
        self.all.drain(..)
    }

    pub fn iter(&self) -> impl Iterator<Item = &PostState> {
        self.all.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut PostState> {
        self.all.iter_mut()
    }
}

impl std::ops::Index<StateIx> for States {
    type Output = PostState;
    fn index(&self, ix: StateIx) -> &PostState {
        &self.all[ix.ix()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Decimal;

    fn state(n: u32) -> PostState {
        let mut s = PostState::default();
        s.details_mut().set(post::Detail::fte(Known::Given(
            Decimal::from(n),
            Span::default(),
        )));
        s
    }

    /// The fields a state writes, read in one go for the checks' indexes
    /// (`Model::posts_writing`), are those it answers "written" of one by one: given,
    /// `tbd` or unreadable, inline or among the less common fields — and not a less
    /// common field written `none`, which is absent though it has an entry.
    #[test]
    fn a_state_says_which_fields_it_writes_in_one_reading() {
        let at = Span::default();
        let mut s = PostState::default();
        s.tier = Known::Given(3, At::new(at));
        s.grade = Known::Undecided(At::new(at));
        s.details_mut()
            .set(post::Detail::holder(Known::Invalid(at)));
        s.details_mut().set(post::Detail::site(Known::Absent));
        s.details_mut()
            .set(post::Detail::count(Known::Given(2, at)));
        let mask = s.written_mask();
        for (ix, row) in PostState::FIELDS.iter().enumerate() {
            assert_eq!(mask & (1 << ix) != 0, s.is_written(ix), "{}", row.name);
        }
        assert_eq!(mask.count_ones(), 4, "tier, grade, holder and count");
        assert_eq!(PostState::default().written_mask(), 0);
    }

    /// What a post costs in memory, a million times over in a large spec: these sizes are
    /// measured in docs/performance.md; a change that grows one is a change to measure.
    #[test]
    fn a_post_stays_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<PostState>(), 88, "a post's state");
        assert_eq!(size_of::<Post>(), 48, "a post");
        assert_eq!(
            size_of::<post::Detail>(),
            40,
            "a less common field, written"
        );
        assert_eq!(size_of::<crate::syntax::ast::Item>(), 248, "an item's tree");
        assert_eq!(
            size_of::<crate::syntax::ast::Deferred>(),
            12,
            "a post left to parse"
        );
    }

    /// Places opened for a run of posts' first states, written through `places`, and
    /// states pushed after them, are found by index in the order they stand; states taken
    /// out come in that order and leave none.
    #[test]
    fn states_written_in_their_places_are_found_by_index() {
        let mut all = States::default();
        let mut n = 0;
        for (places, pushed) in [(3u32, 1u32), (0, 2), (5, 0), (1, 1)] {
            let first = all.open(places as usize);
            assert_eq!(first, n);
            for (i, place) in all.places(first).iter_mut().enumerate() {
                *place = state(n + i as u32);
            }
            n += places;
            for _ in 0..pushed {
                assert_eq!(all.push(state(n)), StateIx::new(n));
                n += 1;
            }
        }
        assert_eq!(all.len(), n as usize);
        for i in 0..n {
            assert_eq!(all[StateIx::new(i)].fte(), Decimal::from(i), "state {i}");
        }
        let taken: Vec<Decimal> = all.take().map(|s| s.fte()).collect();
        assert_eq!(taken, (0..n).map(Decimal::from).collect::<Vec<_>>());
        assert!(all.is_empty());
    }
}
