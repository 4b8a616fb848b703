//! `funding_sum`: funding shares of a post add up to exactly 100%. See `funding_sum.md`.

use crate::check::Ctx;
use crate::decl::Known;
use crate::diagnostic::Diagnostic;
use crate::value::{percent, Decimal};
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    let mut owner = vec![None; model.decls.states.len()];
    for (i, p) in model.decls.posts.iter().enumerate() {
        for s in [p.before, p.after].into_iter().flatten() {
            owner[s.ix()] = Some(i);
        }
    }
    for (i, state) in model.decls.states.iter().enumerate() {
        let Known::Given(shares, funded_span) = state.details().funded() else {
            continue;
        };
        // a share written `tbd` cannot be summed (`undecided` lists it)
        let Some(total) = shares.iter().map(|s| s.percent).sum::<Option<Decimal>>() else {
            continue;
        };
        if total == Decimal::ONE_HUNDRED {
            continue;
        }
        let name = owner[i].map_or("this post", |p| ctx.src.slice(model.decls.posts[p].id));
        let gap = Decimal::ONE_HUNDRED - total;
        let help = if gap > Decimal::ZERO {
            format!("the shares must total exactly 100%: {} of the cost is paid by nobody; add it to a funder's share, or add the missing funder", percent(gap))
        } else {
            format!(
                "the shares must total exactly 100%: they pay {} too much; reduce a share",
                percent(-gap)
            )
        };
        let mut d = catalogue::finding(
            "funding_sum",
            *funded_span,
            format!(
                "the funding of `{name}` adds up to {}, not 100%",
                percent(total)
            ),
        )
        .with_label(format!("the shares total {}", percent(total)))
        .with_help(help);
        for share in shares {
            let paid = share
                .percent
                .map_or_else(|| "an undecided share".to_string(), percent);
            d = d.with_secondary(
                share.span,
                format!("`{}` pays {paid}", ctx.org_name(share.org)),
            );
        }
        out.push(d);
    }
}
