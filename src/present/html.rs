//! `orgspec report`: one self-contained HTML page a council can append to a Cabinet paper
//! (docs/report.md): the establishment before and after, the HR outcomes, the redundancies
//! counted as the law counts them, the timetable, both org charts, the findings and the
//! open questions. No network, no external asset; a print stylesheet; semantic tables.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::decl::{Known, Lifecycle, PostIx};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::budgets::AnnualCost;
use crate::model::{Model, Side};
use crate::source::SourceMap;
use crate::value::Decimal;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A post as a person reads it: "Head of Operations (`head_ops`)", the id set in grey.
fn post_label(model: &Model, src: &SourceMap, p: PostIx) -> String {
    let post = model.post(p);
    format!(
        "{} <span class=\"id\">({})</span>",
        esc(&post.title(src)),
        esc(src.slice(post.id))
    )
}

/// A yearly figure, to the pound.
fn money(d: Decimal) -> String {
    crate::value::money(d.round())
}

/// Posts, FTE and cost of one side, by employer and tier.
fn establishment(out: &mut String, model: &Model, src: &SourceMap, side: Side) {
    #[derive(Default)]
    struct Cell {
        posts: u32,
        fte: Decimal,
        cost: Decimal,
        unknown: u32,
    }
    let mut table: BTreeMap<(String, String), Cell> = BTreeMap::new();
    for (_, s) in model.structure(side).posts() {
        let st = model.state(s);
        let employer = st.employer.given().map_or_else(
            || "employer not given".to_string(),
            |o| {
                let org = model.org(o);
                org.name
                    .clone()
                    .unwrap_or_else(|| src.slice(org.id).to_string())
            },
        );
        let tier = match st.tier {
            Known::Given(t, _) => format!("{t}"),
            _ => "not decided".into(),
        };
        let cell = table.entry((employer, tier)).or_default();
        let count = st.count();
        cell.posts += count;
        cell.fte += st.fte() * Decimal::from(count);
        match model.annual_cost(st) {
            AnnualCost::Known(pay) => {
                let oncost = st
                    .employer
                    .given()
                    .and_then(|o| model.org(o).oncost.given())
                    .map_or(Decimal::ZERO, |r| r.0 / Decimal::ONE_HUNDRED);
                cell.cost += pay * (Decimal::ONE + oncost);
            }
            AnnualCost::Open | AnnualCost::None => cell.unknown += count,
        }
    }
    let side_name = match side {
        Side::Before => "before",
        Side::After => "after",
    };
    let _ = writeln!(
        out,
        "<table><caption>The establishment {side_name} the restructure</caption>\n<thead><tr><th scope=\"col\">Employer</th><th scope=\"col\">Tier</th><th scope=\"col\" class=\"n\">Posts</th><th scope=\"col\" class=\"n\">FTE</th><th scope=\"col\" class=\"n\">Cost a year, with on-costs</th></tr></thead><tbody>"
    );
    let (mut posts, mut fte, mut cost, mut unknown) = (0, Decimal::ZERO, Decimal::ZERO, 0);
    for ((employer, tier), c) in &table {
        let shown = if c.unknown == c.posts {
            "not known".to_string()
        } else if c.unknown > 0 {
            format!(
                "{} (and {} posts without a grade or cost)",
                money(c.cost),
                c.unknown
            )
        } else {
            money(c.cost)
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(employer),
            esc(tier),
            c.posts,
            c.fte.normalize(),
            shown
        );
        posts += c.posts;
        fte += c.fte;
        cost += c.cost;
        unknown += c.unknown;
    }
    let total = if unknown == posts {
        "not known".to_string()
    } else if unknown > 0 {
        format!(
            "{} (and {unknown} posts without a grade or cost)",
            money(cost)
        )
    } else {
        money(cost)
    };
    let _ = writeln!(
        out,
        "</tbody><tfoot><tr><th scope=\"row\" colspan=\"2\">Total</th><td class=\"n\">{posts}</td><td class=\"n\">{}</td><td class=\"n\">{total}</td></tr></tfoot></table>",
        fte.normalize(),
    );
}

fn outcomes(out: &mut String, model: &Model, src: &SourceMap) {
    let d = &model.decls;
    out.push_str("<h2 id=\"outcomes\">What happens to each post-holder</h2>\n");
    // slotted
    out.push_str("<table><caption>Slotted in</caption><thead><tr><th scope=\"col\">From (before)</th><th scope=\"col\">Into (after)</th></tr></thead><tbody>\n");
    if d.slots.is_empty() {
        out.push_str("<tr><td colspan=\"2\">No post-holder is slotted in.</td></tr>\n");
    }
    for slot in &d.slots {
        let from: Vec<String> = slot
            .from
            .iter()
            .map(|f| post_label(model, src, f.value))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            from.join("; "),
            post_label(model, src, slot.to.value)
        );
    }
    out.push_str("</tbody></table>\n");
    // pools
    out.push_str("<table><caption>Ring-fenced pools</caption><thead><tr><th scope=\"col\">Pool</th><th scope=\"col\">Candidates</th><th scope=\"col\">Posts competed for</th><th scope=\"col\">If not appointed</th></tr></thead><tbody>\n");
    if d.pools.is_empty() {
        out.push_str("<tr><td colspan=\"4\">No pool.</td></tr>\n");
    }
    for pool in &d.pools {
        let candidates: Vec<String> = pool
            .candidates
            .list()
            .iter()
            .map(|c| match c.value.get::<PostIx>() {
                Some(p) => post_label(model, src, p),
                None => esc(src.slice(c.span)),
            })
            .collect();
        let posts: Vec<String> = pool
            .posts
            .list()
            .iter()
            .map(|q| post_label(model, src, q.value))
            .collect();
        let fallback = pool
            .fallback
            .span()
            .map_or_else(|| "not said".to_string(), |s| esc(src.slice(s)));
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(src.slice(pool.id)),
            candidates.join("; "),
            posts.join("; "),
            fallback
        );
    }
    out.push_str("</tbody></table>\n");
    // deleted and new
    out.push_str("<table><caption>Posts deleted</caption><thead><tr><th scope=\"col\">Post</th><th scope=\"col\" class=\"n\">Posts</th><th scope=\"col\">Why, or what becomes of the holders</th></tr></thead><tbody>\n");
    let mut any = false;
    for (i, post) in d.posts.iter().enumerate() {
        if post.lifecycle != Lifecycle::Deleted {
            continue;
        }
        any = true;
        let Some(s) = post.before else { continue };
        let st = model.state(s);
        let reason = st
            .details()
            .reason()
            .span()
            .map_or_else(|| "not said".to_string(), |r| esc(src.slice(r)));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            post_label(model, src, PostIx(i as u32)),
            st.count(),
            reason
        );
    }
    if !any {
        out.push_str("<tr><td colspan=\"3\">No post is deleted.</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
    out.push_str("<table><caption>New posts</caption><thead><tr><th scope=\"col\">Post</th><th scope=\"col\" class=\"n\">Posts</th><th scope=\"col\">How it is filled</th></tr></thead><tbody>\n");
    let mut any = false;
    for (i, post) in d.posts.iter().enumerate() {
        if post.lifecycle != Lifecycle::New {
            continue;
        }
        any = true;
        let Some(s) = post.after else { continue };
        let st = model.state(s);
        let p = PostIx(i as u32);
        let mut routes: Vec<String> = Vec::new();
        if let Some(r) = st.details().recruit().span() {
            routes.push(format!("recruit {}", esc(src.slice(r))));
        }
        if model.slots_into().contains_key(&p) {
            routes.push("slotted in".into());
        }
        if model.pooled_in().contains_key(&p) {
            routes.push("ring-fenced pool".into());
        }
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            post_label(model, src, p),
            st.count(),
            if routes.is_empty() {
                "not said".to_string()
            } else {
                routes.join("; ")
            }
        );
    }
    if !any {
        out.push_str("<tr><td colspan=\"3\">No new post.</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn redundancies(out: &mut String, model: &Model, src: &SourceMap) {
    out.push_str(
        "<h2 id=\"redundancies\">Proposed redundancies, counted as the law counts them</h2>\n",
    );
    out.push_str("<p>Per employer and establishment (Trade Union and Labour Relations (Consolidation) Act 1992, s188: collective consultation from 20 proposed dismissals at one establishment within 90 days; the periods, and the figures in force on the spec's dates, are in the findings below and in docs/law.md).</p>\n");
    out.push_str("<table><caption>Redundancies per establishment</caption><thead><tr><th scope=\"col\">Employer</th><th scope=\"col\">Establishment</th><th scope=\"col\" class=\"n\">People</th><th scope=\"col\">Collective consultation (20 or more)</th></tr></thead><tbody>\n");
    let list = model.establishments();
    if list.is_empty() {
        out.push_str("<tr><td colspan=\"4\">No redundancy is proposed.</td></tr>\n");
    }
    for e in list {
        let org = model.org(e.employer);
        let name = org
            .name
            .clone()
            .unwrap_or_else(|| src.slice(org.id).to_string());
        let people = if e.at_least && e.people == 0 {
            "not known yet".to_string()
        } else if e.at_least {
            format!("at least {}", e.people)
        } else {
            e.people.to_string()
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{people}</td><td>{}</td></tr>",
            esc(&name),
            esc(e.site.as_deref().unwrap_or("the employer as a whole")),
            if e.people >= 20 {
                "required"
            } else if e.at_least {
                "not known: a lower bound"
            } else {
                "not required by s188"
            }
        );
    }
    out.push_str("</tbody></table>\n");
}

fn timetable(out: &mut String, model: &Model) {
    let events = &model.decls.events;
    out.push_str("<h2 id=\"timetable\">The timetable</h2>\n");
    let dated: Vec<(i64, i64, String, String)> = events
        .iter()
        .filter_map(|e| {
            let (Known::Given(s, _), end) = (e.start, e.end) else {
                return None;
            };
            let last = match end {
                Known::Given(d, _) => d.last_day(),
                _ => s.last_day(),
            };
            let label = e.label.clone().unwrap_or_default();
            Some((s.first_day(), last, format!("{s}"), label))
        })
        .collect();
    if dated.is_empty() {
        out.push_str("<p>The spec gives no dated timetable.</p>\n");
        return;
    }
    let first = dated.iter().map(|d| d.0).min().unwrap_or(0);
    let last = dated
        .iter()
        .map(|d| d.1)
        .max()
        .unwrap_or(first)
        .max(first + 1);
    let (width, row) = (900.0, 22.0);
    let scale = |day: i64| 260.0 + (day - first) as f64 / (last - first) as f64 * (width - 280.0);
    let height = 20.0 + row * dated.len() as f64;
    let _ = writeln!(
        out,
        "<figure><svg class=\"timeline\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"The timetable as a chart\">"
    );
    for (i, (s, e, when, label)) in dated.iter().enumerate() {
        let y = 10.0 + row * i as f64;
        let (x1, x2) = (scale(*s), scale(*e + 1).max(scale(*s) + 3.0));
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{:.1}\" class=\"tl\">{} {}</text><rect x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" fill=\"#2e75b6\"><title>{} {}</title></rect>",
            y + 11.0,
            esc(when),
            esc(&label.chars().take(34).collect::<String>()),
            y + 1.0,
            x2 - x1,
            esc(when),
            esc(label)
        );
    }
    out.push_str("</svg><figcaption>Each entry of the timeline from its first day to its last.</figcaption></figure>\n");
    out.push_str("<table><caption>The timetable</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">What</th></tr></thead><tbody>\n");
    for e in events {
        let when = match (e.start, e.end) {
            (Known::Given(s, _), Known::Given(t, _)) if s != t => format!("{s} to {t}"),
            (Known::Given(s, _), _) => format!("{s}"),
            _ => "not decided".into(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&when),
            esc(e.label.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table>\n");
}

fn findings(out: &mut String, src: &SourceMap, diagnostics: &[Diagnostic]) {
    out.push_str("<h2 id=\"findings\">Findings</h2>\n");
    for (severity, heading) in [(Severity::Error, "Errors"), (Severity::Warning, "Warnings")] {
        let list: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        let _ = writeln!(out, "<h3>{heading} ({})</h3>", list.len());
        if list.is_empty() {
            let _ = writeln!(out, "<p>None.</p>");
            continue;
        }
        out.push_str("<table><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Finding</th><th scope=\"col\">Where</th></tr></thead><tbody>\n");
        for d in list {
            let file = src.get(d.span.file);
            let (line, _) = file.line_col(d.span.start);
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}{}</td><td>{}:{line}</td></tr>",
                esc(&d.rule),
                esc(&d.message),
                d.help.as_ref().map_or_else(String::new, |h| format!(
                    "<br><span class=\"help\">{}</span>",
                    esc(h)
                )),
                esc(&file.path.display().to_string())
            );
        }
        out.push_str("</tbody></table>\n");
    }
}

fn open_questions(out: &mut String, src: &SourceMap, diagnostics: &[Diagnostic]) {
    out.push_str("<h2 id=\"open\">Open questions</h2>\n");
    let open: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.rule == "undecided")
        .collect();
    if open.is_empty() {
        out.push_str("<p>The spec leaves nothing undecided (`tbd`).</p>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p>{} values the paper leaves undecided (written <code>tbd</code>):</p><ul>",
        open.len()
    );
    for d in open {
        let file = src.get(d.span.file);
        let (line, _) = file.line_col(d.span.start);
        let _ = writeln!(
            out,
            "<li>{} <span class=\"id\">({}:{line})</span></li>",
            esc(&d.message),
            esc(&file.path.display().to_string())
        );
    }
    out.push_str("</ul>\n");
}

/// The whole page.
pub fn report(
    model: &Model,
    src: &SourceMap,
    diagnostics: &[Diagnostic],
    chart_svg: &str,
) -> String {
    let title = model
        .decls
        .spec
        .as_ref()
        .and_then(|s| s.name.clone())
        .unwrap_or_else(|| "Restructure".to_string());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>\n<style>{STYLE}</style></head><body>",
        esc(&title)
    );
    let _ = writeln!(out, "<header><h1>{}</h1><p class=\"generated\">Prepared with orgspec from the spec files; every figure is as the spec states it.</p></header>", esc(&title));
    out.push_str("<nav aria-label=\"Contents\"><ol><li><a href=\"#establishment\">The establishment</a></li><li><a href=\"#outcomes\">What happens to each post-holder</a></li><li><a href=\"#redundancies\">Proposed redundancies</a></li><li><a href=\"#timetable\">The timetable</a></li><li><a href=\"#charts\">Structure charts</a></li><li><a href=\"#findings\">Findings</a></li><li><a href=\"#open\">Open questions</a></li></ol></nav>\n<main>\n");
    let counts = |s: Severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == s && d.rule != "undecided")
            .count()
    };
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "<p class=\"summary\"><strong>{}</strong>, {}, {}.</p>",
        plural(counts(Severity::Error), "error"),
        plural(counts(Severity::Warning), "warning"),
        plural(
            diagnostics.iter().filter(|d| d.rule == "undecided").count(),
            "open question"
        )
    );
    out.push_str("<h2 id=\"establishment\">The establishment</h2>\n");
    establishment(&mut out, model, src, Side::Before);
    establishment(&mut out, model, src, Side::After);
    outcomes(&mut out, model, src);
    redundancies(&mut out, model, src);
    timetable(&mut out, model);
    out.push_str("<h2 id=\"charts\">Structure charts</h2>\n<figure class=\"chart\">");
    out.push_str(chart_svg);
    out.push_str("<figcaption>Before and after the restructure: each post's status by colour and icon (see the legend), findings as badges.</figcaption></figure>\n");
    findings(&mut out, src, diagnostics);
    open_questions(&mut out, src, diagnostics);
    out.push_str("</main></body></html>\n");
    out
}

const STYLE: &str = r#"
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #111; margin: 2em auto; max-width: 1100px; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 2px solid #1f4e79; } h3 { margin-top: 1.2em; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
thead th { background: #e8eef5; } tfoot th, tfoot td { font-weight: bold; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.id { color: #555; font-size: 0.9em; } .help { color: #444; font-size: 0.9em; }
.summary { font-size: 1.1em; } .generated { color: #555; }
figure.chart { overflow-x: auto; margin: 1em 0; } figure.chart svg { max-width: none; }
.tl { font-size: 11px; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { page-break-before: always; } h2#establishment { page-break-before: avoid; }
  table, figure { page-break-inside: avoid; }
  figure.chart svg { width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
}
"#;
