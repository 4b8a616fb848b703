//! `funding_duplicate_funder`: the same body listed twice in one `funded`.
//! See `funding_duplicate_funder.md`.

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::value::{percent, Decimal};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for state in &ctx.model.decls.states {
        let Some(funded) = &state.funded else { continue };
        let shares = &funded.value;
        for (i, share) in shares.iter().enumerate() {
            let Some(first) = shares[..i].iter().find(|s| s.org == share.org) else { continue };
            // report each repeated funder once, at its second mention
            if shares[..i].iter().filter(|s| s.org == share.org).count() > 1 {
                continue;
            }
            let org = ctx.org_name(share.org);
            let together: Decimal = shares.iter().filter(|s| s.org == share.org).map(|s| s.percent).sum();
            out.push(
                Diagnostic::error("funding_duplicate_funder", share.org_span, format!("`{org}` is listed twice as a funder"))
                    .with_label(format!("`{org}` again, with {}", percent(share.percent)))
                    .with_secondary(first.org_span, format!("`{org}` first, with {}", percent(first.percent)))
                    .with_help(format!("give each funder one share: `{org} {}`", percent(together))),
            );
        }
    }
}
