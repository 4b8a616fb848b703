//! `unaligned_comparison`: tiers of two bodies compared with no alignment between them.
//! See `unaligned_comparison.md`.

use crate::check::Ctx;
use crate::decl::{OrgIx, PostIx, PostState};
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::source::Span;
use crate::vocab::catalogue;

/// The comparison that could not be made.
struct Comparison {
    span: Span,
    message: String,
    /// Where the other body's post is, and what to say there.
    other: (Span, String),
}

fn report(ctx: &Ctx, a: OrgIx, b: OrgIx, c: Comparison) -> Diagnostic {
    let (an, bn) = (ctx.org_name(a), ctx.org_name(b));
    // never a guess: only the paper can say which tiers of two bodies sit level
    let help = format!(
        "if the paper says which tiers of `{an}` and `{bn}` sit level, write it: `align {an} N = {bn} M` (tier N of `{an}` is level with tier M of `{bn}`); if it does not, this stays open, and the spec is right to leave it so"
    );
    catalogue::finding("unaligned_comparison", c.span, c.message)
        .with_label(format!(
            "the spec does not say how the tiers of `{an}` and `{bn}` line up"
        ))
        .with_secondary(c.other.0, c.other.1)
        .with_help(help)
}

fn tier_and_org(s: &PostState) -> Option<(OrgIx, u32)> {
    Some((s.employer.given()?, s.tier.given()?))
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for line in ctx.reporting_lines(Side::After) {
        let (Some((a, _)), Some((b, _))) =
            (tier_and_org(line.state), tier_and_org(line.manager_state))
        else {
            continue;
        };
        if model.tiers.same_scale(a, b) {
            continue;
        }
        let (post, manager) = (ctx.post_label(line.post), ctx.post_label(line.manager));
        let comparison = Comparison {
            span: line.span,
            message: format!(
                "whether {manager}, at {}, is senior to {post}, at {}, cannot be checked: the spec does not align the tiers of the two bodies",
                ctx.tier_of(line.manager_state, true),
                ctx.tier_of(line.state, true)
            ),
            other: (
                model.post(line.manager).id,
                format!("employed by `{}`", ctx.org_name(b)),
            ),
        };
        out.push(report(ctx, a, b, comparison));
    }
    // A pool compares its candidates' position in the hierarchy with its posts'.
    for pool in &model.decls.pools {
        let Some(first_post) = pool.posts.list().first() else {
            continue;
        };
        let Some(ps) = model.after.state(first_post.value).map(|s| model.state(s)) else {
            continue;
        };
        let Some(post_org) = ps.employer.given() else {
            continue;
        };
        for c in pool.candidates.list() {
            let Some(cp) = c.value.get::<PostIx>() else {
                continue;
            };
            let Some(cs) = model.before.state(cp).map(|s| model.state(s)) else {
                continue;
            };
            let Some(cand_org) = cs.employer.given() else {
                continue;
            };
            // a tier not decided yet (`tbd`) is not compared: nothing certain to report
            if model.tiers.same_scale(cand_org, post_org)
                || cs.tier.given().is_none()
                || ps.tier.given().is_none()
            {
                continue;
            }
            let candidate = ctx.post_label(cp);
            let comparison = Comparison {
                span: c.span,
                message: format!(
                    "whether candidate {candidate}, at {}, is at the level of the posts of pool `{}` (of `{}`) cannot be checked: the spec does not align the tiers of the two bodies",
                    ctx.tier_of(cs, true),
                    ctx.src.slice(pool.id),
                    ctx.org_name(post_org)
                ),
                other: (
                    first_post.span,
                    format!("{} is a post of `{}`", ctx.post_label(first_post.value), ctx.org_name(post_org)),
                ),
            };
            out.push(report(ctx, cand_org, post_org, comparison));
        }
    }
}
