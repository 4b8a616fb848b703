//! The posts a budget covers: those it names (`posts`), those of the phases it names
//! (`phase`, matched against each post's `phase`), else every post of the spec. New posts
//! are read after the restructure, deleted posts before it.

use super::{Model, Side};
use crate::decl::{Lifecycle, PostIx};

impl Model {
    /// The new and the deleted posts budget `b` covers, in declaration order.
    pub fn budget_posts(&self, b: usize) -> (Vec<PostIx>, Vec<PostIx>) {
        let budget = &self.decls.budgets[b];
        let named = budget.posts.list();
        let phases = budget.phase.list();
        let covers = |p: PostIx, side: Side| {
            if named.is_empty() && phases.is_empty() {
                return true;
            }
            named.iter().any(|n| n.value == p)
                || self.structure(side).state(p).is_some_and(|s| {
                    self.state(s)
                        .details()
                        .phase
                        .list()
                        .iter()
                        .any(|ph| phases.iter().any(|q| q.value == ph.value))
                })
        };
        let of = |lifecycle: Lifecycle, side: Side| -> Vec<PostIx> {
            self.structure(side)
                .posts()
                .map(|(p, _)| p)
                .filter(|p| self.post(*p).lifecycle == lifecycle && covers(*p, side))
                .collect()
        };
        (
            of(Lifecycle::New, Side::After),
            of(Lifecycle::Deleted, Side::Before),
        )
    }
}
