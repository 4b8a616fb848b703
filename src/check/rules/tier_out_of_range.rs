//! `tier_out_of_range`: a tier outside the employer's `tiers`. See `tier_out_of_range.md`.

use crate::check::Ctx;
use crate::decl::Known;
use crate::diagnostic::Diagnostic;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    // Both sides: each state once (a post whose fields do not change has one state).
    let states = model.decls.posts.iter().flat_map(|post| {
        let after = post.after.filter(|&a| Some(a) != post.before);
        post.before
            .into_iter()
            .chain(after)
            .map(|s| (post.item.file, &model.decls.states[s]))
    });
    for (file, state) in states {
        let (Known::Given(tier, at), Some(org)) = (state.tier, state.employer.given()) else {
            continue;
        };
        let span = at.span(file);
        let Known::Given(tiers, tiers_span) = model.org(org).tiers else {
            continue;
        };
        if tier <= tiers {
            continue;
        }
        let name = ctx.org_name(org);
        out.push(
            catalogue::finding(
                "tier_out_of_range",
                span,
                format!("tier {tier} is outside `{name}`, which has {tiers} tiers"),
            )
            .with_label(format!("`{name}` has no tier {tier}"))
            .with_secondary(tiers_span, format!("`{name}` declares {tiers} tiers here"))
            .with_help(format!(
                "use a tier from 1 to {tiers} (0 for the head of the body), or raise `tiers` on `{name}`"
            )),
        );
    }
}
