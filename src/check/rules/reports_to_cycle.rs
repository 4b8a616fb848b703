//! `reports_to_cycle`: line management goes round in a circle. See `reports_to_cycle.md`.

use rustc_hash::FxHashMap;

use crate::check::Ctx;
use crate::decl::{Known, PostIx};
use crate::diagnostic::Diagnostic;
use crate::model::{Side, Structure};
use crate::source::Span;
use crate::vocab::catalogue;

/// The cycles of one side, each as its posts in reporting order with the span of each
/// post's `reports_to`. Linear: each post is walked once (every post has at most one
/// manager, so the reporting lines form a functional graph).
/// A cycle: its posts in reporting order, each with the span of its `reports_to`.
type Cycle = Vec<(PostIx, Span)>;

fn cycles(ctx: &Ctx, structure: &Structure) -> Vec<Cycle> {
    let n = ctx.model.decls.posts.len();
    let manager = |p: PostIx| -> Option<(PostIx, Span)> {
        let s = structure.state(p)?;
        match ctx.model.state(s).reports_to {
            Known::Given(m, span) if structure.exists(m) => Some((m, span)),
            _ => None,
        }
    };
    // 0 = unvisited, 1 = on the current walk, 2 = done
    let mut mark = vec![0u8; n];
    let mut out = Vec::new();
    for (start, _) in structure.posts() {
        if mark[start.ix()] != 0 {
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

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A cycle present on both sides with the same lines is reported once.
    let mut found: FxHashMap<Vec<Span>, (Cycle, Vec<Side>)> = FxHashMap::default();
    let mut order = Vec::new();
    for side in [Side::Before, Side::After] {
        for mut cycle in cycles(ctx, ctx.model.structure(side)) {
            // start the cycle at its first post in the file, so the report is stable
            let first = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, (_, s))| (s.file, s.start))
                .map_or(0, |(i, _)| i);
            cycle.rotate_left(first);
            let key: Vec<Span> = cycle.iter().map(|(_, s)| *s).collect();
            let entry = found.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                (cycle, Vec::new())
            });
            entry.1.push(side);
        }
    }
    for key in order {
        let (cycle, sides) = &found[&key];
        let names: Vec<&str> = cycle.iter().map(|(p, _)| ctx.post_name(*p)).collect();
        let when = if sides.len() == 2 {
            ""
        } else {
            sides[0].describe()
        };
        let (first, first_span) = cycle[0];
        let message = if cycle.len() == 1 {
            format!(
                "`{}` reports to itself{}",
                names[0],
                if when.is_empty() {
                    String::new()
                } else {
                    format!(" {when}")
                }
            )
        } else {
            let mut path = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
            path.push(format!("`{}`", names[0]));
            format!(
                "line management goes round in a circle{}: {}",
                if when.is_empty() {
                    String::new()
                } else {
                    format!(" {when}")
                },
                path.join(" → ")
            )
        };
        let manager = cycle.get(1).map_or(first, |(p, _)| *p);
        let mut d = catalogue::finding("reports_to_cycle", first_span, message)
            .with_label(format!("`{}` reports to `{}`", ctx.post_name(first), ctx.post_name(manager)))
            .with_help(
                "every chain of `reports_to` must end at the top post of the body: one of these posts should report to someone outside the circle",
            );
        for (i, (p, span)) in cycle.iter().enumerate().skip(1) {
            let (next, _) = cycle[(i + 1) % cycle.len()];
            d = d.with_secondary(
                *span,
                format!(
                    "`{}` reports to `{}`",
                    ctx.post_name(*p),
                    ctx.post_name(next)
                ),
            );
        }
        out.push(d);
    }
}
