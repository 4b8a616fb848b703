//! `multiple_roots`: a body has more than one post with no line manager. See `multiple_roots.md`.

use crate::check::Ctx;
use crate::decl::{Known, PostIx};
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    let mut roots: Vec<Vec<PostIx>> = vec![Vec::new(); model.decls.orgs.len()];
    let mut weight = vec![0u64; model.decls.orgs.len()];
    for (p, s) in model.after.posts() {
        let state = model.state(s);
        let Some(org) = state.employer.given() else {
            continue;
        };
        // A manager that is deleted is `reports_to_deleted`'s finding, not a second root.
        if matches!(state.reports_to, Known::Absent) {
            roots[org.ix()].push(p);
            weight[org.ix()] += u64::from(state.count());
        }
    }
    for (o, posts) in roots.iter().enumerate() {
        if weight[o] < 2 {
            continue;
        }
        let org = crate::decl::OrgIx(o as u32);
        let name = ctx.org_name(org);
        let (primary, rest) = if posts.len() >= 2 {
            (posts[1], posts)
        } else {
            (posts[0], posts)
        };
        let mut d = catalogue::finding(
            "multiple_roots",
            model.post(primary).id,
            format!(
                "`{name}` has {} posts with no line manager {}",
                weight[o],
                Side::After.describe()
            ),
        )
        .with_label(if posts.len() == 1 {
            format!("`{}` has `count {}` and no `reports_to`", ctx.post_name(primary), weight[o])
        } else {
            format!("`{}` has no `reports_to`", ctx.post_name(primary))
        })
        .with_help(
            "each post except the head of the body has one line manager: add `reports_to`, or `reports_to tbd` while it is undecided",
        );
        for &p in rest.iter().filter(|&&p| p != primary).take(8) {
            d = d.with_secondary(
                model.post(p).id,
                format!("`{}` has no `reports_to` either", ctx.post_name(p)),
            );
        }
        out.push(d);
    }
}
