//! Stage 3: the resolved, immutable model of a restructure.
//!
//! [`Decls`] holds what the spec declares; [`Model`] adds what checks need, each computed
//! once and indexed by integers so that every check is linear in the size of the spec:
//! the before- and after-structures, their direct reports, and the tier scale of `align`.

pub mod decl;
pub mod tiers;

use decl::{
    Agreement, Align, Allow, Area, Budget, Event, Grade, Org, OrgIx, Person, Pool, Post, PostIx,
    PostState, Service, Slot, SpecInfo, StateIx,
};
pub use tiers::TierScale;

/// The states of all posts, kept in the segments the lowering workers filled: joining them
/// would copy (and, on a fresh allocation, page-fault) hundreds of megabytes at a million
/// posts. A lookup finds its segment by binary search over a handful of starts.
#[derive(Debug, Default)]
pub struct States {
    segments: Vec<Vec<PostState>>,
    /// The index of the first state of each segment.
    starts: Vec<u32>,
    len: usize,
}

impl States {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Add a state at the end.
    pub fn push(&mut self, state: PostState) -> StateIx {
        if self.segments.is_empty() {
            self.segments.push(Vec::new());
            self.starts.push(0);
        }
        self.segments.last_mut().expect("a segment").push(state);
        self.len += 1;
        StateIx((self.len - 1) as u32)
    }

    /// Move another store's states to the end, without copying them; their indices move
    /// up by the returned offset.
    pub fn append(&mut self, other: States) -> u32 {
        let offset = self.len as u32;
        for (segment, start) in other.segments.into_iter().zip(other.starts) {
            if segment.is_empty() {
                continue;
            }
            self.starts.push(offset + start);
            self.len += segment.len();
            self.segments.push(segment);
        }
        offset
    }

    fn locate(&self, ix: StateIx) -> (usize, usize) {
        let segment = self.starts.partition_point(|&start| start <= ix.0) - 1;
        (segment, (ix.0 - self.starts[segment]) as usize)
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
        let (segment, i) = self.locate(ix);
        &self.segments[segment][i]
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
    pub allows: Vec<Allow>,
    /// The unit's own `rule` items, compiled by the check stage.
    pub rules: Vec<crate::syntax::ast::Item>,
}

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

/// One side of the restructure: the posts that exist then and who reports to whom.
#[derive(Debug)]
pub struct Structure {
    /// For each post, its state on this side, if it exists then.
    state_of: Vec<Option<StateIx>>,
    /// Direct reports in compressed rows: the reports of post `p` are
    /// `report_list[report_start[p]..report_start[p + 1]]`.
    report_start: Vec<u32>,
    report_list: Vec<PostIx>,
}

impl Structure {
    fn build(decls: &Decls, side: Side) -> Structure {
        let state_of: Vec<Option<StateIx>> = decls
            .posts
            .iter()
            .map(|p| match side {
                Side::Before => p.before,
                Side::After => p.after,
            })
            .collect();
        let n = decls.posts.len();
        let mut counts = vec![0u32; n + 1];
        let manager_of = |p: usize| -> Option<PostIx> {
            let s = state_of[p]?;
            let m = decls.states[s].reports_to.given()?;
            state_of[m.ix()].is_some().then_some(m)
        };
        for p in 0..n {
            if let Some(m) = manager_of(p) {
                counts[m.ix()] += 1;
            }
        }
        let mut report_start = vec![0u32; n + 1];
        for i in 0..n {
            report_start[i + 1] = report_start[i] + counts[i];
        }
        let mut fill = report_start.clone();
        let mut report_list = vec![PostIx(0); report_start[n] as usize];
        for p in 0..n {
            if let Some(m) = manager_of(p) {
                report_list[fill[m.ix()] as usize] = PostIx(p as u32);
                fill[m.ix()] += 1;
            }
        }
        Structure {
            state_of,
            report_start,
            report_list,
        }
    }

    pub fn state(&self, p: PostIx) -> Option<StateIx> {
        self.state_of[p.ix()]
    }

    pub fn exists(&self, p: PostIx) -> bool {
        self.state_of[p.ix()].is_some()
    }

    /// Posts of this side with their state.
    pub fn posts(&self) -> impl Iterator<Item = (PostIx, StateIx)> + '_ {
        self.state_of
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|s| (PostIx(i as u32), s)))
    }

    pub fn direct_reports(&self, p: PostIx) -> &[PostIx] {
        let (a, b) = (self.report_start[p.ix()], self.report_start[p.ix() + 1]);
        &self.report_list[a as usize..b as usize]
    }
}

/// The model every check reads.
#[derive(Debug)]
pub struct Model {
    pub decls: Decls,
    pub before: Structure,
    pub after: Structure,
    pub tiers: TierScale,
}

impl Model {
    pub fn build(decls: Decls) -> Model {
        let before = Structure::build(&decls, Side::Before);
        let after = Structure::build(&decls, Side::After);
        let tiers = TierScale::build(&decls.orgs, &decls.aligns);
        Model {
            decls,
            before,
            after,
            tiers,
        }
    }

    pub fn structure(&self, side: Side) -> &Structure {
        match side {
            Side::Before => &self.before,
            Side::After => &self.after,
        }
    }

    pub fn state(&self, s: StateIx) -> &PostState {
        &self.decls.states[s]
    }

    pub fn post(&self, p: PostIx) -> &Post {
        &self.decls.posts[p.ix()]
    }

    pub fn org(&self, o: OrgIx) -> &Org {
        &self.decls.orgs[o.ix()]
    }

    /// A post's tier on a side, normalised through `align`: `(scale, level)`; posts of
    /// two orgs compare only when they share a scale.
    pub fn normalised_tier(&self, s: &PostState) -> Option<(u32, i64)> {
        let org = s.employer.given()?;
        let tier = s.tier.given()?;
        Some(self.tiers.normalise(org, i64::from(tier)))
    }
}
