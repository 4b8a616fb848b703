//! `reports_to_cycle`: line management goes round in a circle. See `reports_to_cycle.md`.

use rustc_hash::FxHashMap;

use crate::model::cycles::Cycle;

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::source::Span;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A cycle present on both sides with the same lines is reported once.
    let mut found: FxHashMap<Vec<Span>, (Cycle, Vec<Side>)> = FxHashMap::default();
    let mut order = Vec::new();
    for side in [Side::Before, Side::After] {
        for mut cycle in ctx.model.structure(side).cycles.iter().cloned() {
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
        let names: Vec<String> = cycle.iter().map(|(p, _)| ctx.post_label(*p)).collect();
        let when = if sides.len() == 2 {
            ""
        } else {
            sides[0].describe()
        };
        let (first, first_span) = cycle[0];
        let message = if cycle.len() == 1 {
            format!(
                "{} reports to itself{}",
                names[0],
                if when.is_empty() {
                    String::new()
                } else {
                    format!(" {when}")
                }
            )
        } else {
            let mut path = names.clone();
            path.push(names[0].clone());
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
