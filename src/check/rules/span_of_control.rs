//! `span_of_control`: more direct reports than the limit. See `span_of_control.md`.

use std::fmt::Write as _;

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;

/// The default limit: org-design practice calls 8–12 direct reports "on target".
pub const DEFAULT_LIMIT: u64 = 12;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    let limit = DEFAULT_LIMIT;
    for (p, _) in model.after.posts() {
        let reports = model.after.direct_reports(p);
        // a post with `count N` is N reports
        let weighted: u64 = reports
            .iter()
            .map(|&r| {
                model
                    .after
                    .state(r)
                    .map_or(1, |s| u64::from(model.state(s).count()))
            })
            .sum();
        if weighted <= limit {
            continue;
        }
        let name = ctx.post_name(p);
        let mut d = Diagnostic::warning(
            "span_of_control",
            model.post(p).id,
            format!("`{name}` would line-manage {weighted} posts (limit {limit})"),
        )
        .with_label(format!("{weighted} direct reports after the restructure"))
        .with_help("add an intermediate manager, or accept this span with `@allow(span_of_control, \"why\")` on the post");
        for &r in reports.iter().take(6) {
            let count = model.after.state(r).map_or(1, |s| model.state(s).count());
            let label = if count > 1 {
                format!("`{}` ({count} posts) reports here", ctx.post_name(r))
            } else {
                format!("`{}` reports here", ctx.post_name(r))
            };
            let span = model
                .after
                .state(r)
                .and_then(|s| model.state(s).reports_to.span())
                .unwrap_or(model.post(r).id);
            d = d.with_secondary(span, label);
        }
        if reports.len() > 6 {
            if let Some(last) = d.labels.last_mut() {
                let _ = write!(last.message, " (and {} more posts)", reports.len() - 6);
            }
        }
        out.push(d);
    }
}
