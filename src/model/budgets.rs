//! The posts a budget covers: those it names (`posts`), those of the phases it names
//! (`phase`, matched against each post's `phase`), else every post of the spec. New posts
//! are read after the restructure, deleted posts before it.

use super::{Model, Side};
use crate::decl::{GradeSpec, Known, Lifecycle, PostIx, PostState};
use crate::value::Decimal;

/// What a post line costs a year, before on-costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnualCost {
    Known(Decimal),
    /// The cost, grade or count is open (`tbd`) or unreadable.
    Open,
    /// No cost and no graded pay range: nothing to cost.
    None,
}

impl Model {
    /// A post line's cost a year: its `cost`, else its grade's mid-point (a range of grades:
    /// the mean of the two mid-points), times fte and count. The one reckoning of pay that
    /// the budget rules (`annual_cost` in the rule language) and the report share.
    pub fn annual_cost(&self, s: &PostState) -> AnnualCost {
        if s.details().count().is_open() {
            return AnnualCost::Open;
        }
        let count = Decimal::from(s.count());
        let fte = s.fte();
        match s.details().cost() {
            Known::Given(c, _) => return AnnualCost::Known(c.0 * fte * count),
            Known::Undecided(_) | Known::Invalid(_) => return AnnualCost::Open,
            Known::Absent => {}
        }
        let mid = |g: crate::decl::GradeIx| self.decls.grades[g.ix()].midpoint();
        let pay = match s.grade {
            Known::Given(GradeSpec::One(g), _) => mid(g),
            Known::Given(GradeSpec::Between(a, b), _) => {
                mid(a).zip(mid(b)).map(|(x, y)| (x + y) / Decimal::TWO)
            }
            Known::Undecided(_) | Known::Invalid(_) => return AnnualCost::Open,
            Known::Absent => None,
        };
        pay.map_or(AnnualCost::None, |p| AnnualCost::Known(p * fte * count))
    }

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
                        .phase()
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
