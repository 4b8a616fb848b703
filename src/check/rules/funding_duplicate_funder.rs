//! `funding_duplicate_funder`: the same body listed twice in one `funded`.
//! See `funding_duplicate_funder.md`.

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::value::{percent, Decimal};
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for state in ctx.model.decls.states.iter() {
        let shares = state.details().funded().list();
        for (i, share) in shares.iter().enumerate() {
            let Some(first) = shares[..i].iter().find(|s| s.org == share.org) else {
                continue;
            };
            // report each repeated funder once, at its second mention
            if shares[..i].iter().filter(|s| s.org == share.org).count() > 1 {
                continue;
            }
            let org = ctx.org_name(share.org);
            let shown =
                |p: Option<Decimal>| p.map_or_else(|| "an undecided share".to_string(), percent);
            let together: Option<Decimal> = shares
                .iter()
                .filter(|s| s.org == share.org)
                .map(|s| s.percent)
                .sum();
            let help = match together {
                Some(t) => format!("give each funder one share: `{org} {}`", percent(t)),
                None => format!("give `{org}` one share"),
            };
            out.push(
                catalogue::finding(
                    "funding_duplicate_funder",
                    share.org_span,
                    format!("`{org}` is listed twice as a funder"),
                )
                .with_label(format!("`{org}` again, with {}", shown(share.percent)))
                .with_secondary(
                    first.org_span,
                    format!("`{org}` first, with {}", shown(first.percent)),
                )
                .with_help(help),
            );
        }
    }
}
