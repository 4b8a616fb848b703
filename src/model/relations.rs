//! Relations rules follow, each indexed over the whole model the first time a rule needs
//! it, so that following one is a lookup: the slots and pools of a post, the holders of a
//! statutory role, the managers of an area, which services are present where, the
//! localities, and every funding share.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Displacement, Model, Side};
use crate::decl::{AreaIx, PostIx, PostState, ServiceIx};
use crate::value::Decimal;

/// The indexes, each built on first use.
#[derive(Debug, Default)]
pub struct Relations {
    slots_from: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    slots_into: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    pools_of: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    pooled_in: OnceLock<FxHashMap<PostIx, Vec<u32>>>,
    roles_after: OnceLock<FxHashMap<Box<str>, Vec<PostIx>>>,
    roles_before: OnceLock<FxHashMap<Box<str>, Vec<PostIx>>>,
    area_managers: OnceLock<Vec<Vec<PostIx>>>,
    presence: OnceLock<FxHashSet<(ServiceIx, AreaIx)>>,
    parents: OnceLock<Vec<Vec<AreaIx>>>,
    localities: OnceLock<Vec<AreaIx>>,
    shares: OnceLock<Vec<(PostIx, u32)>>,
    /// Proposed redundancies by employer and establishment (`redundancies.rs`).
    pub(super) establishments: OnceLock<Vec<super::redundancies::Establishment>>,
    /// The people counted from each post of them.
    pub(super) at_risk: OnceLock<FxHashMap<PostIx, u32>>,
    /// For each side and field of a post, the posts that write it.
    writing: Writing,
    /// What the restructure takes from each post's holders, and the posts it takes
    /// something from (or may: the open ones).
    displacement: OnceLock<Displacements>,
}

/// The displacements other than nobody and no hours (most posts keep their holders and
/// hours), each post's found from a table of four bytes a post (a table of every post's
/// displacement took 24; a binary search of the few, 180 instructions a lookup, and
/// `hr1_notice` and `consultation_lead_time` look up every post); and the posts it takes
/// from, or may, in order.
#[derive(Debug)]
struct Displacements {
    /// For each post, where its displacement is in `some`, plus one; none is 0.
    at: Box<[u32]>,
    some: Box<[Displacement]>,
    displaced: Box<[PostIx]>,
}

/// The posts that write one field on one side, indexed on first use.
type Writers = OnceLock<Box<[PostIx]>>;

/// The posts that write each field, on each side ([`Model::posts_writing`]), and the
/// fields each post writes on each side, read once for all of them: a bit for each field,
/// by its place in [`PostState::FIELDS`] (0 for a post that is not on the side).
#[derive(Debug)]
struct Writing {
    posts: [Box<[Writers]>; 2],
    fields: [OnceLock<Fields>; 2],
}

/// The fields each post writes on a side (a bit for each), and how many posts write each.
#[derive(Debug)]
struct Fields {
    of: Box<[u32]>,
    counts: [u32; 32],
}

impl Default for Writing {
    fn default() -> Writing {
        let fields = || {
            (0..PostState::FIELDS.len())
                .map(|_| OnceLock::new())
                .collect()
        };
        Writing {
            posts: [fields(), fields()],
            fields: [OnceLock::new(), OnceLock::new()],
        }
    }
}

/// The items indexed under a post, or none.
pub fn under<S: std::hash::BuildHasher>(
    index: &std::collections::HashMap<PostIx, Vec<u32>, S>,
    p: PostIx,
) -> &[u32] {
    index.get(&p).map_or(&[], Vec::as_slice)
}

impl Model {
    /// For each post, the slots that move its holders elsewhere.
    pub fn slots_from(&self) -> &FxHashMap<PostIx, Vec<u32>> {
        self.relations.slots_from.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, s) in self.decls.slots.iter().enumerate() {
                for from in &s.from {
                    map.entry(from.value).or_default().push(i as u32);
                }
            }
            map
        })
    }

    /// For each post, the slots that move holders into it.
    pub fn slots_into(&self) -> &FxHashMap<PostIx, Vec<u32>> {
        self.relations.slots_into.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, s) in self.decls.slots.iter().enumerate() {
                map.entry(s.to.value).or_default().push(i as u32);
            }
            map
        })
    }

    /// For each post, the pools that ring-fence its holders.
    pub fn pools_of(&self) -> &FxHashMap<PostIx, Vec<u32>> {
        self.relations.pools_of.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, pool) in self.decls.pools.iter().enumerate() {
                for c in pool.candidates.list() {
                    if let Some(p) = c.value.get::<PostIx>() {
                        map.entry(p).or_default().push(i as u32);
                    }
                }
            }
            map
        })
    }

    /// For each post, the pools that compete for it.
    pub fn pooled_in(&self) -> &FxHashMap<PostIx, Vec<u32>> {
        self.relations.pooled_in.get_or_init(|| {
            let mut map: FxHashMap<PostIx, Vec<u32>> = FxHashMap::default();
            for (i, pool) in self.decls.pools.iter().enumerate() {
                for p in pool.posts.list() {
                    map.entry(p.value).or_default().push(i as u32);
                }
            }
            map
        })
    }

    /// For each statutory role, the posts holding it on a side.
    pub fn role_holders(&self, side: Side) -> &FxHashMap<Box<str>, Vec<PostIx>> {
        let cell = match side {
            Side::After => &self.relations.roles_after,
            Side::Before => &self.relations.roles_before,
        };
        cell.get_or_init(|| {
            let mut map: FxHashMap<Box<str>, Vec<PostIx>> = FxHashMap::default();
            for (p, s) in self.structure(side).posts() {
                for r in self.state(s).details().statutory().list() {
                    let holders = map.entry(r.value.0.clone()).or_default();
                    if holders.last() != Some(&p) {
                        holders.push(p);
                    }
                }
            }
            map
        })
    }

    /// For each area, the areas that include it (directly).
    fn parents(&self) -> &Vec<Vec<AreaIx>> {
        self.relations.parents.get_or_init(|| {
            let areas = &self.decls.areas;
            let mut parents = vec![Vec::new(); areas.len()];
            for (i, a) in areas.iter().enumerate() {
                for inc in a.includes.list() {
                    parents[inc.value.ix()].push(AreaIx(i as u32));
                }
            }
            parents
        })
    }

    /// For each area, the posts after the restructure that manage it or an area that
    /// includes it.
    pub fn area_managers(&self) -> &Vec<Vec<PostIx>> {
        self.relations.area_managers.get_or_init(|| {
            let areas = &self.decls.areas;
            let mut managers = vec![Vec::new(); areas.len()];
            for (p, s) in self.after.posts() {
                for x in self.state(s).details().manages().list() {
                    let Some(a) = x.value.get::<AreaIx>() else {
                        continue;
                    };
                    // the area and everything it includes
                    let mut stack = vec![a];
                    let mut seen = FxHashSet::default();
                    while let Some(a) = stack.pop() {
                        if !seen.insert(a) {
                            continue;
                        }
                        let list: &mut Vec<PostIx> = &mut managers[a.ix()];
                        if list.last() != Some(&p) {
                            list.push(p);
                        }
                        stack.extend(areas[a.ix()].includes.list().iter().map(|i| i.value));
                    }
                }
            }
            managers
        })
    }

    /// Which services have a post after the restructure based in, or managing, each area
    /// (and so every area that includes it).
    pub fn presence(&self) -> &FxHashSet<(ServiceIx, AreaIx)> {
        self.relations.presence.get_or_init(|| {
            let parents = self.parents();
            let mut set = FxHashSet::default();
            for (_, s) in self.after.posts() {
                let state = self.state(s);
                let det = state.details();
                let mut services: Vec<ServiceIx> = det.service().given().into_iter().collect();
                let mut places: Vec<AreaIx> = state.areas.list().iter().map(|a| a.value).collect();
                for x in det.manages().list() {
                    if let Some(v) = x.value.get::<ServiceIx>() {
                        services.push(v);
                    } else if let Some(a) = x.value.get::<AreaIx>() {
                        places.push(a);
                    }
                }
                if services.is_empty() {
                    continue;
                }
                // a post based in an area is present in every area that includes it
                let mut stack = places;
                let mut seen = FxHashSet::default();
                while let Some(a) = stack.pop() {
                    if !seen.insert(a) {
                        continue;
                    }
                    for &v in &services {
                        set.insert((v, a));
                    }
                    stack.extend(parents[a.ix()].iter().copied());
                }
            }
            set
        })
    }

    /// The areas no other area includes.
    pub fn localities(&self) -> &Vec<AreaIx> {
        self.relations.localities.get_or_init(|| {
            self.parents()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_empty())
                .map(|(i, _)| AreaIx(i as u32))
                .collect()
        })
    }

    /// Every funding share of every post after the restructure: the post and the share's
    /// position (`u32::MAX` for the implicit 100% of the employer).
    pub fn shares(&self) -> &Vec<(PostIx, u32)> {
        self.relations.shares.get_or_init(|| {
            let mut out = Vec::new();
            for (p, s) in self.after.posts() {
                match self.state(s).details().funded().get() {
                    Some(shares) => out.extend((0..shares.len() as u32).map(|i| (p, i))),
                    None => out.push((p, u32::MAX)),
                }
            }
            out
        })
    }

    /// The posts of a side that write the field at `ix` of [`PostState::FIELDS`] (given,
    /// `tbd` or unreadable), in order: a check whose filter cannot hold of a post that
    /// leaves the field out asks only these (`check/engine/eval/guard.rs`).
    pub fn posts_writing(&self, side: Side, ix: usize) -> &[PostIx] {
        let cell = &self.relations.writing.posts[side as usize][ix];
        cell.get_or_init(|| {
            let fields = &self.fields_written(side).of;
            let bit = 1 << ix;
            (0..fields.len())
                .filter(|&p| fields[p] & bit != 0)
                .map(|p| PostIx(p as u32))
                .collect()
        })
    }

    /// How many posts of a side write the field at `ix` of [`PostState::FIELDS`]: the
    /// length of [`Model::posts_writing`], without listing them.
    pub fn count_writing(&self, side: Side, ix: usize) -> usize {
        self.fields_written(side).counts[ix] as usize
    }

    /// Every state of a side read once for all the fields, not once for each field a check
    /// asks for (eight fields at 100k posts were 13–15 ms of reading 13 MB of states).
    fn fields_written(&self, side: Side) -> &Fields {
        self.relations.writing.fields[side as usize].get_or_init(|| {
            let mut of = vec![0; self.decls.posts.len()].into_boxed_slice();
            let mut counts = [0; 32];
            for (p, s) in self.structure(side).posts() {
                let mask = self.state(s).written_mask();
                of[p.ix()] = mask;
                let mut bits = mask;
                while bits != 0 {
                    counts[bits.trailing_zeros() as usize] += 1;
                    bits &= bits - 1;
                }
            }
            Fields { of, counts }
        })
    }

    /// What the restructure takes from the holders of post `p` (`PostState::displaced`),
    /// worked out for every post once: three checks of one rule read it of every post, and
    /// the redundancy counts (`redundancies.rs`) of every post before.
    pub fn displacement(&self, p: PostIx) -> Displacement {
        let all = self.displacements();
        match all.at[p.ix()].checked_sub(1) {
            Some(at) => all.some[at as usize],
            None => Displacement::Taken(0, Decimal::ZERO),
        }
    }

    /// The posts the restructure takes holders or hours from, or may (`tbd`), in order:
    /// every other post's displacement is none.
    pub fn displaced_posts(&self) -> &[PostIx] {
        &self.displacements().displaced
    }

    fn displacements(&self) -> &Displacements {
        self.relations.displacement.get_or_init(|| {
            let mut at = vec![0; self.decls.posts.len()].into_boxed_slice();
            let mut some = Vec::new();
            let mut displaced = Vec::new();
            for (p, post) in self.decls.posts.iter().enumerate() {
                let d = match post.before.map(|b| self.state(b)) {
                    None => Displacement::New,
                    Some(before) => match before.displaced(post.after.map(|a| self.state(a))) {
                        None => Displacement::Open,
                        Some((people, fte)) => Displacement::Taken(people, fte),
                    },
                };
                // nobody and no hours is every post's but these (a zero written `0.0` is
                // kept as it is)
                if matches!(d, Displacement::Taken(0, fte) if fte.is_zero() && fte.scale() == 0) {
                    continue;
                }
                let takes = match d {
                    Displacement::New => false,
                    Displacement::Open => true,
                    Displacement::Taken(people, fte) => people > 0 || !fte.is_zero(),
                };
                if takes {
                    displaced.push(PostIx(p as u32));
                }
                some.push(d);
                at[p] = some.len() as u32;
            }
            Displacements {
                at,
                some: some.into_boxed_slice(),
                displaced: displaced.into_boxed_slice(),
            }
        })
    }
}
