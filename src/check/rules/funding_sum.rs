//! `funding_sum`: funding shares of a post add up to exactly 100%. See `funding_sum.md`.

use crate::check::Ctx;
use crate::decl::Known;
use crate::diagnostic::Diagnostic;
use crate::value::{percent, Decimal};
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    // each side of each post, once (a side that does not change is the same state): a
    // table of every state's post, to name the few that write `funded`, was 1.7 MB at
    // 100k posts
    let sides = model.decls.posts.iter().flat_map(|p| {
        let after = p.after.filter(|&a| p.before != Some(a));
        [p.before, after].into_iter().flatten().map(move |s| (p, s))
    });
    for (post, s) in sides {
        let state = model.state(s);
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
        let name = ctx.src.slice(post.id);
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
