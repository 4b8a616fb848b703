//! `unaligned_comparison`: tiers of two bodies compared with no alignment between them.
//! See `unaligned_comparison.md`.

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::decl::{Candidate, OrgIx};
use crate::model::Side;
use crate::source::Span;

fn diagnostic(
    ctx: &Ctx,
    span: Span,
    a: OrgIx,
    b: OrgIx,
    what: String,
    other: (Span, String),
) -> Diagnostic {
    let (an, bn) = (ctx.org_name(a), ctx.org_name(b));
    Diagnostic::error("unaligned_comparison", span, what)
        .with_label(format!("the tiers of `{an}` and `{bn}` are not aligned"))
        .with_secondary(other.0, other.1)
        .with_help(format!(
            "say which tiers sit level, e.g. `align {an} 3 = {bn} 4` (LANGUAGE.md: tier alignment)"
        ))
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for line in ctx.reporting_lines(Side::After) {
        let (Some(a), Some(b)) = (
            line.state.employer.given(),
            line.manager_state.employer.given(),
        ) else {
            continue;
        };
        if model.tiers.same_scale(a, b)
            || line.state.tier.given().is_none()
            || line.manager_state.tier.given().is_none()
        {
            continue;
        }
        let (post, manager) = (ctx.post_name(line.post), ctx.post_name(line.manager));
        out.push(diagnostic(
            ctx,
            line.span,
            a,
            b,
            format!(
                "`{post}` ({}) reports to `{manager}` ({}), whose tiers cannot be compared",
                ctx.tier_of(line.state, true),
                ctx.tier_of(line.manager_state, true)
            ),
            (
                model.post(line.manager).id,
                format!("`{manager}` is employed by `{}`", ctx.org_name(b)),
            ),
        ));
    }
    // A pool compares its candidates' position in the hierarchy with its posts'.
    for pool in &model.decls.pools {
        let Some(first_post) = pool.posts.first() else {
            continue;
        };
        let Some(ps) = model.after.state(first_post.value).map(|s| model.state(s)) else {
            continue;
        };
        let Some(post_org) = ps.employer.given() else {
            continue;
        };
        for c in &pool.candidates {
            let Candidate::Post(cp) = c.value else {
                continue;
            };
            let Some(cs) = model.before.state(cp).map(|s| model.state(s)) else {
                continue;
            };
            let Some(cand_org) = cs.employer.given() else {
                continue;
            };
            if model.tiers.same_scale(cand_org, post_org) {
                continue;
            }
            out.push(diagnostic(
                ctx,
                c.span,
                cand_org,
                post_org,
                format!(
                    "pool `{}` compares `{}` ({}) with posts of `{}`, whose tiers cannot be compared",
                    ctx.src.slice(pool.id),
                    ctx.post_name(cp),
                    ctx.tier_of(cs, true),
                    ctx.org_name(post_org)
                ),
                (first_post.span, format!("`{}` is a post of `{}`", ctx.post_name(first_post.value), ctx.org_name(post_org))),
            ));
        }
    }
}
