//! The tier scale: `align sbc 3 = ntpct 4` puts the tiers of two bodies on one scale.
//!
//! Offsets are kept in a weighted union-find: each org has an offset from the
//! representative of its scale, and `normalise(org, tier) = (scale, tier + offset)`. An
//! `align` that disagrees with the offsets already implied is a conflict; the chain of
//! earlier aligns that implies the other offset is kept so the diagnostic can show it.

use std::collections::VecDeque;

use crate::decl::{Align, Org, OrgIx};

#[derive(Debug)]
pub struct Conflict {
    /// The align that contradicts the others.
    pub align: usize,
    /// The offset it states between its two orgs, and the one the others imply.
    pub stated: i64,
    pub implied: i64,
    /// The earlier aligns that imply the other offset.
    pub chain: Vec<usize>,
}

#[derive(Debug)]
pub struct TierScale {
    parent: Vec<u32>,
    /// Offset from the parent: level = tier + offset-to-root.
    offset: Vec<i64>,
    pub conflicts: Vec<Conflict>,
}

impl TierScale {
    pub fn build(orgs: &[Org], aligns: &[Align]) -> TierScale {
        let n = orgs.len();
        let mut scale = TierScale {
            parent: (0..n as u32).collect(),
            offset: vec![0; n],
            conflicts: Vec::new(),
        };
        // accepted aligns as an undirected graph, to explain conflicts
        let mut graph: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for (i, a) in aligns.iter().enumerate() {
            let (lo, lt) = a.left;
            let (ro, rt) = a.right;
            // left tier lt == right tier rt  ⇒  off(left) + lt == off(right) + rt
            let stated = lt - rt; // off(right) - off(left)
            let (lroot, loff) = scale.find(lo.ix());
            let (rroot, roff) = scale.find(ro.ix());
            if lroot == rroot {
                let implied = roff - loff;
                if implied != stated {
                    let chain = path(&graph, lo.ix(), ro.ix());
                    scale.conflicts.push(Conflict {
                        align: i,
                        stated,
                        implied,
                        chain,
                    });
                }
                continue;
            }
            // attach rroot under lroot with offset so that off(right) - off(left) == stated
            scale.parent[rroot] = lroot as u32;
            scale.offset[rroot] = loff + stated - roff;
            graph[lo.ix()].push((ro.ix(), i));
            graph[ro.ix()].push((lo.ix(), i));
        }
        // flatten so that `normalise` needs no mutation
        for o in 0..n {
            let (root, off) = scale.find(o);
            scale.parent[o] = root as u32;
            scale.offset[o] = off;
        }
        scale
    }

    fn find(&self, mut o: usize) -> (usize, i64) {
        let mut off = 0;
        while self.parent[o] as usize != o {
            off += self.offset[o];
            o = self.parent[o] as usize;
        }
        (o, off)
    }

    /// `(scale, level)` of an org's tier.
    pub fn normalise(&self, org: OrgIx, tier: i64) -> (u32, i64) {
        (self.parent[org.ix()], tier + self.offset[org.ix()])
    }

    pub fn same_scale(&self, a: OrgIx, b: OrgIx) -> bool {
        self.parent[a.ix()] == self.parent[b.ix()]
    }
}

/// The aligns on a path from `from` to `to` (breadth-first: the shortest explanation).
fn path(graph: &[Vec<(usize, usize)>], from: usize, to: usize) -> Vec<usize> {
    let mut prev: Vec<Option<(usize, usize)>> = vec![None; graph.len()];
    let mut seen = vec![false; graph.len()];
    let mut queue = VecDeque::from([from]);
    seen[from] = true;
    while let Some(v) = queue.pop_front() {
        if v == to {
            break;
        }
        for &(w, a) in &graph[v] {
            if !seen[w] {
                seen[w] = true;
                prev[w] = Some((v, a));
                queue.push_back(w);
            }
        }
    }
    let mut chain = Vec::new();
    let mut at = to;
    while let Some((p, a)) = prev[at] {
        chain.push(a);
        at = p;
    }
    chain.reverse();
    chain
}
