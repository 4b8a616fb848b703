//! `alignment_conflict`: `align` statements contradict each other. See `alignment_conflict.md`.

use crate::check::Ctx;
use crate::diagnostic::Diagnostic;
use crate::vocab::catalogue;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let aligns = &ctx.model.decls.aligns;
    for c in &ctx.model.tiers.conflicts {
        let a = &aligns[c.align];
        let (lo, lt) = a.left;
        let (ro, _) = a.right;
        let (l, r) = (ctx.org_name(lo), ctx.org_name(ro));
        // implied: left tier lt sits level with right tier lt - implied
        let implied_tier = lt - c.implied;
        let mut d = if lo == ro {
            catalogue::finding(
                "alignment_conflict",
                a.span,
                format!("`{l}` is aligned with itself at two different tiers"),
            )
            .with_label("an org's tiers cannot sit level with its own other tiers")
            .with_help("align two different bodies: `align sbc 3 = ntpct 4`")
        } else {
            catalogue::finding(
                "alignment_conflict",
                a.span,
                format!(
                    "this alignment contradicts the others: they put `{l}` tier {lt} level with `{r}` tier {implied_tier}"
                ),
            )
            .with_label(format!("says `{l}` tier {lt} = `{r}` tier {}", lt - c.stated))
            .with_help("keep one consistent alignment between the two bodies: correct or delete one of these `align` lines")
        };
        for &i in &c.chain {
            d = d.with_secondary(aligns[i].span, "implied together with this alignment");
        }
        out.push(d);
    }
}
