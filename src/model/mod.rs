//! Stage 3: the resolved, immutable model of a restructure.
//!
//! `decl::Decls` holds what the spec declares; [`Model`] adds what checks need, each computed
//! once and indexed by integers so that every check is linear in the size of the spec:
//! the before- and after-structures, their direct reports, the tier scale of `align`,
//! and the relations rules follow (indexed on first use).

pub mod budgets;
pub mod cycles;
pub mod redundancies;
pub mod relations;
pub mod tiers;

pub use crate::decl::Side;
use crate::decl::{Decls, Org, OrgIx, Post, PostIx, PostState, StateIx};
use crate::source::FileId;
use crate::value::Decimal;
pub use relations::Relations;
pub use tiers::TierScale;

/// One side of the restructure: the posts that exist then and who reports to whom.
#[derive(Debug)]
pub struct Structure {
    /// For each post, its state on this side, if it exists then.
    state_of: Vec<Option<StateIx>>,
    /// Direct reports in compressed rows: the reports of post `p` are
    /// `report_list[report_start[p]..report_start[p + 1]]`.
    report_start: Vec<u32>,
    report_list: Vec<PostIx>,
    /// The circles in line management (`cycles.rs`), and whether each post is on one.
    pub cycles: Vec<cycles::Cycle>,
    on_cycle: Vec<bool>,
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
        let cycles = cycles::find(decls, &state_of);
        let mut on_cycle = Vec::new();
        if !cycles.is_empty() {
            on_cycle = vec![false; n];
            for &(p, _) in cycles.iter().flatten() {
                on_cycle[p.ix()] = true;
            }
        }
        Structure {
            state_of,
            report_start,
            report_list,
            cycles,
            on_cycle,
        }
    }

    /// Whether the post's `reports_to` on this side is a line of a circle, which
    /// `reports_to_cycle` reports and other rules leave alone.
    pub fn on_cycle(&self, p: PostIx) -> bool {
        self.on_cycle.get(p.ix()).copied().unwrap_or(false)
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

/// What the restructure takes from a post's holders ([`Model::displacement`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Displacement {
    /// The post does not exist before: it has no holders to displace.
    New,
    /// A count or the holders are `tbd`: not known.
    Open,
    /// How many lose their post, and the FTE taken from them and from those who stay.
    Taken(u32, Decimal),
}

/// The model every check reads.
#[derive(Debug)]
pub struct Model {
    pub decls: Decls,
    pub before: Structure,
    pub after: Structure,
    pub tiers: TierScale,
    /// The relations rules follow, indexed on first use (`relations.rs`).
    pub relations: Relations,
    /// The file every post is written in, when they share one (most units): where a
    /// field of a post's state is written is found without reading the post's record,
    /// 48 bytes apart, for every field the rules read.
    posts_file: Option<FileId>,
}

impl Model {
    pub fn build(decls: Decls) -> Model {
        let before = Structure::build(&decls, Side::Before);
        let after = Structure::build(&decls, Side::After);
        let tiers = TierScale::build(&decls.orgs, &decls.aligns);
        let first = decls.posts.first().map(|p| p.item.file);
        let posts_file = first.filter(|&f| decls.posts.iter().all(|p| p.item.file == f));
        Model {
            posts_file,
            decls,
            before,
            after,
            tiers,
            relations: Relations::default(),
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

    /// The file post `p` is written in.
    pub fn post_file(&self, p: PostIx) -> FileId {
        self.posts_file
            .unwrap_or_else(|| self.decls.posts[p.ix()].item.file)
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

    /// A post's tier normalised, numbered as after the restructure: before it, a tier
    /// below a tier the employer's restructure removes (`tiers_removed`) moves up, so that
    /// before tier 3 compares with after tier 2 when tier 2 goes.
    pub fn normalised_tier_on(&self, s: &PostState, side: Side) -> Option<(u32, i64)> {
        let org = s.employer.given()?;
        let mut tier = i64::from(s.tier.given()?);
        if side == Side::Before {
            if let Some(removed) = self.decls.orgs[org.ix()].tiers_removed.get() {
                tier -= removed.iter().filter(|r| i64::from(r.value) < tier).count() as i64;
            }
        }
        Some(self.tiers.normalise(org, tier))
    }
}
