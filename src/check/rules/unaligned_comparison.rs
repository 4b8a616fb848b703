//! `unaligned_comparison`: tiers of two bodies compared with no alignment between them.
//! See `unaligned_comparison.md`.

use crate::check::Ctx;
use crate::decl::{OrgIx, PostIx, PostState};
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::source::Span;
use crate::vocab::catalogue;

/// `(org, tier) = (org, tier)`: an alignment, and what it would mean.
type Alignment = ((OrgIx, u32), (OrgIx, u32), String);

/// The comparison that could not be made.
struct Comparison {
    span: Span,
    message: String,
    /// Where the other body's post is, and what to say there.
    other: (Span, String),
    /// `(org, tier) = (org, tier)` that would make the comparison come out right, and
    /// what that alignment means.
    align: Option<Alignment>,
}

fn report(ctx: &Ctx, a: OrgIx, b: OrgIx, c: Comparison) -> Diagnostic {
    let (an, bn) = (ctx.org_name(a), ctx.org_name(b));
    let help = match c.align {
        Some(((lo, lt), (ro, rt), meaning)) => format!(
            "say which tiers of the two bodies sit level; if {meaning}, write `align {} {lt} = {} {rt}`",
            ctx.org_name(lo),
            ctx.org_name(ro)
        ),
        None => format!("say which tiers of the two bodies sit level: `align {an} N = {bn} M`"),
    };
    catalogue::finding("unaligned_comparison", c.span, c.message)
        .with_label(format!("the tiers of `{an}` and `{bn}` are not aligned"))
        .with_secondary(c.other.0, c.other.1)
        .with_help(help)
}

fn tier_and_org(s: &PostState) -> Option<(OrgIx, u32)> {
    Some((s.employer.given()?, s.tier.given()?))
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for line in ctx.reporting_lines(Side::After) {
        let (Some((a, tier)), Some((b, manager_tier))) =
            (tier_and_org(line.state), tier_and_org(line.manager_state))
        else {
            continue;
        };
        if model.tiers.same_scale(a, b) {
            continue;
        }
        let (post, manager) = (ctx.post_name(line.post), ctx.post_name(line.manager));
        let comparison = Comparison {
            span: line.span,
            message: format!(
                "`{post}` ({}) reports to `{manager}` ({}), whose tiers cannot be compared",
                ctx.tier_of(line.state, true),
                ctx.tier_of(line.manager_state, true)
            ),
            other: (
                model.post(line.manager).id,
                format!("`{manager}` is employed by `{}`", ctx.org_name(b)),
            ),
            align: Some((
                (b, manager_tier + 1),
                (a, tier),
                format!("`{post}` sits one tier below `{manager}`"),
            )),
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
            let candidate = ctx.post_name(cp);
            let comparison = Comparison {
                span: c.span,
                message: format!(
                    "pool `{}` compares `{candidate}` ({}) with posts of `{}`, whose tiers cannot be compared",
                    ctx.src.slice(pool.id),
                    ctx.tier_of(cs, true),
                    ctx.org_name(post_org)
                ),
                other: (
                    first_post.span,
                    format!("`{}` is a post of `{}`", ctx.post_name(first_post.value), ctx.org_name(post_org)),
                ),
                align: cs.tier.given().zip(ps.tier.given()).map(|(ct, pt)| {
                    (
                        (cand_org, ct),
                        (post_org, pt),
                        format!("`{candidate}` sits level with the pool's posts"),
                    )
                }),
            };
            out.push(report(ctx, cand_org, post_org, comparison));
        }
    }
}
