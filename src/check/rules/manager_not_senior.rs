//! `manager_not_senior`: a post reports to a post at the same or a lower tier.
//! See `manager_not_senior.md`.

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for line in ctx.reporting_lines(Side::After) {
        let Some((level, manager_level)) = ctx.levels(&line) else {
            continue;
        };
        if manager_level < level {
            continue;
        }
        let cross = line.across_bodies();
        let post = ctx.post_label(line.post);
        let manager = ctx.post_label(line.manager);
        let same = manager_level == level;
        let tier_span = ctx.manager_tier_span(&line);
        out.push(
            catalogue::finding(
                "manager_not_senior",
                line.span,
                format!(
                    "{post}, at {}, reports to {manager}, {} tier",
                    ctx.tier_of(line.state, cross),
                    if same { "at the same" } else { "at a lower" }
                ),
            )
            .with_label(format!("{manager} is not senior to {post}"))
            .with_secondary(tier_span, ctx.manager_tier_label(&line))
            .with_help(
                "a line manager sits at a higher tier (a smaller number): correct one of the tiers, or give the post another manager",
            ),
        );
    }
}
