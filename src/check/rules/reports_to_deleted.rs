//! `reports_to_deleted`: a post reports to a post that does not exist on that side of the
//! restructure. See `reports_to_deleted.md`.

use crate::check::Ctx;
use crate::decl::Known;
use crate::diagnostic::Diagnostic;
use crate::model::Side;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for side in [Side::After, Side::Before] {
        let structure = model.structure(side);
        for (p, s) in structure.posts() {
            let state = model.state(s);
            let Known::Given(m, at) = state.reports_to else {
                continue;
            };
            let span = at.span(model.post_file(p));
            // a line of a circle (on either side) is `reports_to_cycle`'s finding
            if structure.exists(m) || model.before.on_cycle(p) || model.after.on_cycle(p) {
                continue;
            }
            let post = ctx.post_label(p);
            let manager = ctx.post_label(m);
            let manager_id = ctx.post_name(m);
            let manager_post = model.post(m);
            let d = match side {
                Side::After => catalogue::finding(
                    "reports_to_deleted",
                    span,
                    format!("{post} reports to {manager}, which this restructure deletes"),
                )
                .with_label(format!("{manager} does not exist after the restructure"))
                .with_secondary(manager_post.keyword(), format!("{manager} is deleted here"))
                .with_help(format!(
                    "give {post} its new line manager: `reports_to {manager_id} -> NEW_MANAGER`"
                )),
                Side::Before => catalogue::finding(
                    "reports_to_deleted",
                    span,
                    format!("{post} reports to {manager} before the restructure, but {manager} is a new post"),
                )
                .with_label(format!("{manager} does not exist yet before the restructure"))
                .with_secondary(manager_post.keyword(), format!("{manager} is created here"))
                .with_help(format!(
                    "write the change of line manager: `reports_to OLD_MANAGER -> {manager_id}` (or `none -> {manager_id}`)"
                )),
            };
            out.push(d);
        }
    }
}
