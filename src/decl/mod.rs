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

    /// The same state once its store has moved up by `offset` ([`States::append`]).
    #[must_use]
    pub fn after(self, offset: u32) -> StateIx {
        StateIx(self.0.saturating_add(offset))
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

    /// With its span whole, given its owner's file.
    pub fn spanned(self, file: FileId) -> Known<T> {
        self.map_at(|v| v, |s| s.span(file))
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

/// The states of all posts, kept in the segments the lowering workers filled: joining them
/// would copy (and, on a fresh allocation, page-fault) hundreds of megabytes at a million
/// posts. Each state's segment and place in it are in a table (eight bytes a state), so a
/// lookup is two indexings: the rules read a post's state millions of times in a large
/// spec.
#[derive(Debug, Default)]
pub struct States {
    segments: Vec<Vec<PostState>>,
    /// For each state, its segment and its index in the segment.
    at: Vec<(u32, u32)>,
}

impl States {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Make room for `n` more states, in a segment of their own: states are pushed into
    /// it without the vector growing (a grown vector is copied, and the room it leaves
    /// empty was 6 MB of the 110 MB a check of 100k posts held after lowering).
    pub fn reserve(&mut self, n: usize) {
        self.segments.push(Vec::with_capacity(n));
        self.at.reserve(n);
    }

    /// Add a state at the end. A full segment is not grown but followed by a new one, a
    /// sixteenth as large as all the states so far.
    pub fn push(&mut self, state: PostState) -> StateIx {
        if self
            .segments
            .last()
            .is_none_or(|last| !last.is_empty() && last.len() == last.capacity())
        {
            self.segments
                .push(Vec::with_capacity((self.at.len() / 16).max(16)));
        }
        let segment = self.segments.len() - 1;
        let last = &mut self.segments[segment];
        self.at.push((segment as u32, last.len() as u32));
        last.push(state);
        StateIx::new((self.at.len() - 1) as u32)
    }

    /// Move another store's states to the end, without copying them; their indices move
    /// up by the returned offset.
    pub fn append(&mut self, other: States) -> u32 {
        let offset = self.at.len() as u32;
        // the table grown to fit, not doubled: the room doubling leaves empty (up to half
        // of it, 0.85 MB at 100k posts) was held to the end of the check; a table of
        // segments alone (four bytes a state, found from the segment's start) cost the
        // checks 2% more instructions, a binary search of the segments' starts 4%
        self.at.reserve_exact(other.at.len());
        for segment in other.segments {
            if segment.is_empty() {
                continue;
            }
            let s = self.segments.len() as u32;
            self.at.extend((0..segment.len() as u32).map(|i| (s, i)));
            self.segments.push(segment);
        }
        offset
    }

    pub fn iter(&self) -> impl Iterator<Item = &PostState> {
        self.segments.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut PostState> {
        self.segments.iter_mut().flatten()
    }
}

impl std::ops::Index<StateIx> for States {
    type Output = PostState;
    fn index(&self, ix: StateIx) -> &PostState {
        let (segment, i) = self.at[ix.ix()];
        &self.segments[segment as usize][i as usize]
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

    /// Segments of every size — empty, one state, a few, hundreds, reserved too small, too
    /// large or not at all — appended and pushed to in turn, are found by index as if the
    /// states were one list; a full segment is followed, not grown.
    #[test]
    fn states_in_segments_are_found_by_index() {
        let mut all = States::default();
        let mut n = 0;
        for (size, room) in [
            (3usize, None),
            (0, Some(0)),
            (1, Some(1)),
            (255, Some(100)),
            (256, None),
            (257, Some(257)),
            (1000, Some(0)),
            (0, Some(5)),
            (2, Some(10)),
            (600, Some(599)),
        ] {
            let mut part = States::default();
            if let Some(room) = room {
                part.reserve(room);
            }
            for _ in 0..size {
                let before: Vec<usize> = part.segments.iter().map(Vec::capacity).collect();
                part.push(state(n));
                n += 1;
                // a segment holding states keeps its capacity
                for (i, segment) in part.segments.iter().enumerate().take(before.len()) {
                    if segment.len() > 1 {
                        assert_eq!(segment.capacity(), before[i], "segment {i} was grown");
                    }
                }
            }
            all.append(part);
            all.push(state(n));
            n += 1;
        }
        assert_eq!(all.len(), n as usize);
        for i in 0..n {
            assert_eq!(all[StateIx::new(i)].fte(), Decimal::from(i), "state {i}");
        }
        let in_order: Vec<Decimal> = all.iter().map(PostState::fte).collect();
        assert_eq!(in_order, (0..n).map(Decimal::from).collect::<Vec<_>>());
    }
}
