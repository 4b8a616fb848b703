//! The circles in line management of one side. Found once, when the model is built:
//! `reports_to_cycle` reports each, and every other rule leaves the lines of a reported
//! circle alone (one mistake, one finding — a `reports_to` in a circle says nothing true
//! about seniority, roots or spans).

use crate::decl::{Decls, Known, PostIx, StateIx};
use crate::source::Span;

/// A cycle: its posts in reporting order, each with the span of its `reports_to`.
pub type Cycle = Vec<(PostIx, Span)>;

/// Every cycle of the side whose states are `state_of`. Linear: each post is walked once
/// (every post has at most one manager, so the reporting lines form a functional graph).
pub fn find(decls: &Decls, state_of: &[Option<StateIx>]) -> Vec<Cycle> {
    let n = decls.posts.len();
    let manager = |p: PostIx| -> Option<(PostIx, Span)> {
        let s = state_of[p.ix()]?;
        match decls.states[s].reports_to {
            Known::Given(m, at) if state_of[m.ix()].is_some() => {
                Some((m, at.span(decls.posts[p.ix()].item.file)))
            }
            _ => None,
        }
    };
    // 0 = unvisited, 1 = on the current walk, 2 = done
    let mut mark = vec![0u8; n];
    let mut out = Vec::new();
    for start in (0..n).map(|p| PostIx(p as u32)) {
        if mark[start.ix()] != 0 || state_of[start.ix()].is_none() {
            continue;
        }
        let mut walk = Vec::new();
        let mut at = start;
        loop {
            mark[at.ix()] = 1;
            walk.push(at);
            match manager(at) {
                Some((m, _)) if mark[m.ix()] == 0 => at = m,
                Some((m, _)) if mark[m.ix()] == 1 => {
                    let from = walk.iter().position(|&p| p == m).expect("on the walk");
                    let cycle = walk[from..]
                        .iter()
                        .map(|&p| (p, manager(p).expect("in a cycle").1))
                        .collect();
                    out.push(cycle);
                    break;
                }
                _ => break,
            }
        }
        for p in walk {
            mark[p.ix()] = 2;
        }
    }
    out
}
