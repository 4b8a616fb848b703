//! `tier_gap`: a post reports to a manager more than one tier above. See `tier_gap.md`.

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for line in ctx.reporting_lines(Side::After) {
        let Some((level, manager_level)) = ctx.levels(&line) else {
            continue;
        };
        if level - manager_level <= 1 {
            continue;
        }
        let cross = line.across_bodies();
        let post = ctx.post_label(line.post);
        let manager = ctx.post_label(line.manager);
        let skipped = level - manager_level - 1;
        let tier_span = ctx.manager_tier_span(&line);
        out.push(
            catalogue::finding(
                "tier_gap",
                line.span,
                format!(
                    "{post}, at {}, reports to {manager}, at {}, skipping {skipped} tier{}",
                    ctx.tier_of(line.state, cross),
                    ctx.tier_of(line.manager_state, cross),
                    if skipped == 1 { "" } else { "s" }
                ),
            )
            .with_label(format!("{skipped} tier{} between them", if skipped == 1 { "" } else { "s" }))
            .with_secondary(tier_span, ctx.manager_tier_label(&line))
            .with_help(
                "check the post's tier; if the line really skips a tier (say, a statutory role reporting to the Director), accept it with `@allow(tier_gap, \"why\")` on the post",
            ),
        );
    }
}
