//! `orgspec chart`: org charts drawn by orgspec itself (docs/charts.md).
//!
//! The layout is a tidy tree written here, not a general graph layout: an org chart puts a
//! manager's reports side by side, except reports that manage no one, which it stacks in a
//! column under their manager, as councils draw them. A layered layout (layout-rs, measured:
//! 0.9 s and 49,000 px wide for a 300-post tree, every leaf on one row) cannot do that.
//! This one is linear in the number of posts and iterative (no recursion on depth).

use std::fmt::Write as _;

use crate::decl::{Known, Lifecycle, PostIx, Ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Model, Side};
use crate::source::SourceMap;

/// Box size and gaps, in SVG pixels.
const W: f64 = 210.0;
const H: f64 = 66.0;
const GAP_X: f64 = 24.0;
const GAP_Y: f64 = 46.0;
const STACK_INDENT: f64 = 26.0;
const STACK_GAP: f64 = 12.0;
const MARGIN: f64 = 24.0;

/// What to chart.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `None`: both sides side by side.
    pub side: Option<Side>,
    /// Only the part under this post (its id).
    pub root: Option<String>,
    /// Only this many levels below the top.
    pub depth: Option<usize>,
}

/// How a post fares in the restructure, told by colour and by an icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Continues,
    Changed,
    New,
    Deleted,
    Slotted,
    RingFenced,
}

impl Status {
    /// Fill colour, icon, legend words.
    fn look(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Status::Continues => ("#ffffff", "", "continues"),
            Status::Changed => ("#fff4cc", "Δ", "changed"),
            Status::New => ("#dcf5dc", "+", "new"),
            Status::Deleted => ("#f2f2f2", "✕", "deleted"),
            Status::Slotted => ("#dbe9ff", "→", "slotted in or out"),
            Status::RingFenced => ("#f3e1ff", "◎", "ring-fenced (pool)"),
        }
    }
}

/// Employer bands: distinct in colour and in lightness (readable in grey).
const EMPLOYER_COLOURS: [&str; 6] = [
    "#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6",
];

/// One box placed.
#[derive(Debug, Clone)]
pub struct Placed {
    pub post: PostIx,
    pub x: f64,
    pub y: f64,
}

/// A chart of one side: the boxes, and the lines between them.
#[derive(Debug, Default)]
pub struct Layout {
    pub boxes: Vec<Placed>,
    /// Parent box index → child box indices, and whether the children are stacked.
    pub children: Vec<(usize, Vec<usize>, bool)>,
    pub width: f64,
    pub height: f64,
    /// Where the grid of posts with no line manager starts, and how many it holds.
    pub loose: Option<(f64, usize)>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn status(model: &Model, p: PostIx, side: Side) -> Status {
    let post = model.post(p);
    // the model's indexes, built once: not a scan of every slot and pool per box
    let slotted = model.slots_into().contains_key(&p) || model.slots_from().contains_key(&p);
    let pooled = model.pooled_in().contains_key(&p) || model.pools_of().contains_key(&p);
    match (post.lifecycle, side) {
        _ if slotted => Status::Slotted,
        _ if pooled => Status::RingFenced,
        (Lifecycle::New, _) => Status::New,
        (Lifecycle::Deleted, _) => Status::Deleted,
        _ if post.before != post.after => Status::Changed,
        _ => Status::Continues,
    }
}

/// The tree of one side: each post's reports, and the tops (posts with no manager on this
/// side, or whose manager is not charted).
fn tree(
    model: &Model,
    side: Side,
    options: &Options,
    src: &SourceMap,
) -> (Vec<PostIx>, Vec<Vec<PostIx>>) {
    let structure = model.structure(side);
    let n = model.decls.posts.len();
    let mut reports: Vec<Vec<PostIx>> = vec![Vec::new(); n];
    let mut tops = Vec::new();
    for (p, s) in structure.posts() {
        let manager = match model.state(s).reports_to {
            Known::Given(m, _) if structure.exists(m) && !structure.on_cycle(p) => Some(m),
            _ => None,
        };
        match manager {
            Some(m) => reports[m.ix()].push(p),
            None => tops.push(p),
        }
    }
    if let Some(root) = &options.root {
        tops = structure
            .posts()
            .map(|(p, _)| p)
            .filter(|&p| src.slice(model.post(p).id) == root)
            .collect();
    }
    (tops, reports)
}

/// Lay out one side: subtree widths bottom-up, then positions top-down; both iterative.
pub fn layout(model: &Model, side: Side, options: &Options, src: &SourceMap) -> Layout {
    let (tops, reports) = tree(model, side, options, src);
    let max_depth = options.depth.unwrap_or(usize::MAX);
    // the posts charted, in pre-order, with their depth
    let mut order: Vec<(PostIx, usize)> = Vec::new();
    let mut stack: Vec<(PostIx, usize)> = tops.iter().rev().map(|&p| (p, 0)).collect();
    let mut seen = vec![false; model.decls.posts.len()];
    while let Some((p, d)) = stack.pop() {
        if seen[p.ix()] {
            continue;
        }
        seen[p.ix()] = true;
        order.push((p, d));
        if d < max_depth {
            for &c in reports[p.ix()].iter().rev() {
                stack.push((c, d + 1));
            }
        }
    }
    let kids = |p: PostIx, d: usize| -> &[PostIx] {
        if d < max_depth {
            &reports[p.ix()]
        } else {
            &[]
        }
    };
    let stacked = |p: PostIx, d: usize| {
        let k = kids(p, d);
        !k.is_empty() && k.iter().all(|c| kids(*c, d + 1).is_empty())
    };
    // widths and heights of subtrees, children before parents (reverse pre-order)
    let mut size = vec![(0.0f64, 0.0f64); model.decls.posts.len()];
    for &(p, d) in order.iter().rev() {
        let k = kids(p, d);
        size[p.ix()] = if k.is_empty() {
            (W, H)
        } else if stacked(p, d) {
            (
                W.max(STACK_INDENT + W),
                H + STACK_GAP + k.len() as f64 * (H + STACK_GAP),
            )
        } else {
            let width: f64 =
                k.iter().map(|c| size[c.ix()].0).sum::<f64>() + GAP_X * (k.len() as f64 - 1.0);
            let height = k.iter().map(|c| size[c.ix()].1).fold(0.0, f64::max);
            (width.max(W), H + GAP_Y + height)
        };
    }
    // positions, parents before children
    let mut out = Layout::default();
    let mut index = vec![usize::MAX; model.decls.posts.len()];
    let mut place: Vec<(PostIx, usize, f64, f64)> = Vec::new();
    // trees side by side; posts with neither a manager nor reports (a paper's `tbd`
    // lines) in a grid below them, not a row thousands of pixels long
    let (trees, loose): (Vec<PostIx>, Vec<PostIx>) = tops
        .iter()
        .copied()
        .filter(|t| seen[t.ix()])
        .partition(|t| !kids(*t, 0).is_empty() || tops.len() == 1);
    let mut x = MARGIN;
    let mut trees_height: f64 = 0.0;
    for &t in &trees {
        place.push((t, 0, x, MARGIN));
        x += size[t.ix()].0 + GAP_X * 2.0;
        trees_height = trees_height.max(size[t.ix()].1);
    }
    if !loose.is_empty() {
        let columns = (((x - MARGIN) / (W + GAP_X)).floor() as usize).max(4);
        let top = if trees.is_empty() {
            MARGIN + 20.0
        } else {
            MARGIN + trees_height + GAP_Y + 20.0
        };
        out.loose = Some((top - 8.0, loose.len()));
        for (i, &t) in loose.iter().enumerate() {
            let (col, row) = (i % columns, i / columns);
            place.push((
                t,
                0,
                MARGIN + col as f64 * (W + GAP_X),
                top + row as f64 * (H + STACK_GAP),
            ));
        }
    }
    place.reverse();
    while let Some((p, d, left, top)) = place.pop() {
        let (width, _) = size[p.ix()];
        let k = kids(p, d);
        let stack_it = stacked(p, d);
        let box_x = if k.is_empty() || stack_it {
            left
        } else {
            left + (width - W) / 2.0
        };
        index[p.ix()] = out.boxes.len();
        out.boxes.push(Placed {
            post: p,
            x: box_x,
            y: top,
        });
        out.width = out.width.max(box_x + W);
        out.height = out.height.max(top + H);
        let mut next = Vec::new();
        if stack_it {
            for (i, &c) in k.iter().enumerate() {
                next.push((
                    c,
                    d + 1,
                    left + STACK_INDENT,
                    top + H + STACK_GAP + i as f64 * (H + STACK_GAP),
                ));
            }
        } else {
            let mut cx = left
                + (width
                    - (k.iter().map(|c| size[c.ix()].0).sum::<f64>()
                        + GAP_X * (k.len() as f64 - 1.0))
                        .max(0.0))
                    / 2.0;
            for &c in k {
                next.push((c, d + 1, cx, top + H + GAP_Y));
                cx += size[c.ix()].0 + GAP_X;
            }
        }
        for item in next.into_iter().rev() {
            place.push(item);
        }
    }
    for &(p, d) in &order {
        let k = kids(p, d);
        if k.is_empty() || index[p.ix()] == usize::MAX {
            continue;
        }
        let children: Vec<usize> = k
            .iter()
            .map(|c| index[c.ix()])
            .filter(|&i| i != usize::MAX)
            .collect();
        out.children.push((index[p.ix()], children, stacked(p, d)));
    }
    out.width += MARGIN;
    out.height += MARGIN;
    out
}

/// Two lines of at most `width` characters, the second cut with `…`.
fn lines(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = out.last_mut().expect("one line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            if out.len() == 2 {
                let last = out.last_mut().expect("two lines");
                let cut: String = last.chars().take(width.saturating_sub(1)).collect();
                *last = format!("{cut}…");
                return out;
            }
            out.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    out
}

/// The findings about each post — errors and warnings whose place is inside its item —
/// found in one pass over the findings (items do not overlap: a binary search each).
fn findings_by_post<'d>(
    model: &Model,
    diagnostics: &'d [Diagnostic],
) -> std::collections::HashMap<PostIx, Vec<&'d Diagnostic>> {
    let mut items: Vec<(crate::source::FileId, u32, u32, PostIx)> = model
        .decls
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.item.file, p.item.start, p.item.end, PostIx(i as u32)))
        .collect();
    items.sort_unstable_by_key(|&(f, start, ..)| (f, start));
    let mut out: std::collections::HashMap<PostIx, Vec<&Diagnostic>> =
        std::collections::HashMap::default();
    for d in diagnostics.iter().filter(|d| d.severity != Severity::Info) {
        let at = items.partition_point(|&(f, start, ..)| (f, start) <= (d.span.file, d.span.start));
        if let Some(&(f, _, end, p)) = at.checked_sub(1).map(|i| &items[i]) {
            if f == d.span.file && d.span.end <= end {
                out.entry(p).or_default().push(d);
            }
        }
    }
    out
}

/// Draw one side's chart at horizontal offset `dx`.
/// What every side of a chart draws from.
struct Scene<'a> {
    model: &'a Model,
    src: &'a SourceMap,
    findings: &'a std::collections::HashMap<PostIx, Vec<&'a Diagnostic>>,
    employers: &'a [crate::decl::OrgIx],
}

fn draw_side(out: &mut String, scene: &Scene, side: Side, layout: &Layout, (dx, dy): (f64, f64)) {
    let Scene {
        model,
        src,
        findings,
        employers,
    } = *scene;
    let at = |i: usize| (layout.boxes[i].x + dx, layout.boxes[i].y + dy);
    if let Some((y, n)) = layout.loose {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="legend">No line manager in the spec ({n} {}): `reports_to` not given or not decided</text>"#,
            dx + MARGIN,
            y + dy,
            if n == 1 { "post" } else { "posts" }
        );
    }
    // line management: solid
    for (parent, children, stacked) in &layout.children {
        let (px, py) = at(*parent);
        if *stacked {
            let last = children.iter().map(|&c| at(c).1).fold(py, f64::max);
            let _ = writeln!(
                out,
                r#"<path class="line" d="M{:.1} {:.1} V{:.1}"/>"#,
                px + STACK_INDENT / 2.0,
                py + H,
                last + H / 2.0
            );
            for &c in children {
                let (cx, cy) = at(c);
                let _ = writeln!(
                    out,
                    r#"<path class="line" d="M{:.1} {:.1} H{:.1}"/>"#,
                    px + STACK_INDENT / 2.0,
                    cy + H / 2.0,
                    cx
                );
            }
        } else {
            let mid = py + H + GAP_Y / 2.0;
            for &c in children {
                let (cx, cy) = at(c);
                let _ = writeln!(
                    out,
                    r#"<path class="line" d="M{:.1} {:.1} V{:.1} H{:.1} V{:.1}"/>"#,
                    px + W / 2.0,
                    py + H,
                    mid,
                    cx + W / 2.0,
                    cy
                );
            }
        }
    }
    // dotted lines (`accountable_to`) and supervision (`supervised_by`), across the tree
    let mut where_is = std::collections::HashMap::new();
    for (i, b) in layout.boxes.iter().enumerate() {
        where_is.insert(b.post, i);
    }
    for (i, b) in layout.boxes.iter().enumerate() {
        let Some(s) = model.structure(side).state(b.post) else {
            continue;
        };
        let st = model.state(s);
        let mut links: Vec<(PostIx, &str)> = Vec::new();
        for r in st.details().accountable_to().list() {
            if let Some(q) = Ref::get::<PostIx>(r.value) {
                links.push((q, "dotted"));
            }
        }
        if let &Known::Given(q, _) = st.details().supervised_by() {
            links.push((q, "supervision"));
        }
        for (q, class) in links {
            let Some(&j) = where_is.get(&q) else { continue };
            let ((x1, y1), (x2, y2)) = (at(i), at(j));
            let _ = writeln!(
                out,
                r#"<path class="{class}" d="M{:.1} {:.1} Q{:.1} {:.1} {:.1} {:.1}"><title>{} {} {}</title></path>"#,
                x1 + W / 2.0,
                y1,
                f64::midpoint(x1, x2) + W / 2.0,
                y1.min(y2) - GAP_Y / 2.0,
                x2 + W / 2.0,
                y2 + H,
                escape(src.slice(model.post(b.post).id)),
                if class == "dotted" {
                    "is accountable to"
                } else {
                    "is supervised by"
                },
                escape(src.slice(model.post(q).id))
            );
        }
    }
    // the boxes
    for (i, b) in layout.boxes.iter().enumerate() {
        let (x, y) = at(i);
        let post = model.post(b.post);
        let Some(s) = model.structure(side).state(b.post) else {
            continue;
        };
        let st = model.state(s);
        let status = status(model, b.post, side);
        let (fill, icon, words) = status.look();
        let id = src.slice(post.id);
        let header_title = post.title(src);
        let title = st.details().title().get().map_or(&*header_title, |t| &t.0);
        let employer = st.employer.given();
        let band = employer
            .and_then(|o| employers.iter().position(|e| *e == o))
            .map_or("#888888", |k| EMPLOYER_COLOURS[k % EMPLOYER_COLOURS.len()]);
        let mut facts = vec![id.to_string()];
        if let Known::Given(t, _) = st.tier {
            facts.push(format!("tier {t}"));
        }
        if let Some(g) = st.grade.span_in(post.item.file) {
            facts.push(src.slice(g).to_string());
        }
        let count = st.count();
        if count > 1 {
            facts.push(format!("×{count}"));
        }
        let deleted = status == Status::Deleted;
        let _ = writeln!(
            out,
            r#"<g class="post {}" data-post="{}"><title>{} ({}): {}</title>"#,
            words.split_whitespace().next().unwrap_or("post"),
            escape(id),
            escape(title),
            escape(id),
            words
        );
        let _ = writeln!(
            out,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{W}" height="{H}" rx="4" fill="{fill}" stroke="#333" stroke-width="{}"{}/>"##,
            if deleted { 1.0 } else { 1.4 },
            if deleted {
                r#" stroke-dasharray="5 3""#
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="6" height="{H}" fill="{band}"/>"#
        );
        for (k, line) in lines(title, 25).iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" class="title">{}</text>"#,
                x + 12.0,
                y + 17.0 + 14.0 * k as f64,
                escape(line)
            );
        }
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="facts">{}</text>"#,
            x + 12.0,
            y + 50.0,
            escape(&facts.join(" · "))
        );
        if let Known::Given(shares, _) = st.details().funded() {
            if shares.len() > 1 {
                let text: Vec<String> = shares
                    .iter()
                    .map(|sh| {
                        let org = src.slice(model.org(sh.org).id);
                        sh.percent.map_or(format!("{org} ?"), |p| {
                            format!("{org} {}", crate::value::percent(p))
                        })
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    r#"<text x="{:.1}" y="{:.1}" class="facts">funded {}</text>"#,
                    x + 12.0,
                    y + 62.0,
                    escape(&text.join(" · "))
                );
            }
        }
        if !icon.is_empty() {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" class="icon">{icon}</text>"#,
                x + W - 16.0,
                y + 17.0
            );
        }
        // findings are about the restructure: on the side after it, unless the post goes
        let after_too = side == Side::Before && post.after.is_some();
        let found: &[&Diagnostic] = if after_too {
            &[]
        } else {
            findings.get(&b.post).map_or(&[], Vec::as_slice)
        };
        if let Some(first) = found.first() {
            let (colour, letter) = match first.severity {
                Severity::Error => ("#c00000", "E"),
                _ => ("#b36b00", "W"),
            };
            let more = if found.len() > 1 {
                format!(" +{}", found.len() - 1)
            } else {
                String::new()
            };
            let label = format!("{letter} {}{more}", first.rule);
            let messages: Vec<String> = found
                .iter()
                .map(|d| format!("{}[{}]: {}", d.severity.as_str(), d.rule, d.message))
                .collect();
            let bw = 8.0 + 6.2 * label.chars().count() as f64;
            let _ = writeln!(
                out,
                r#"<g class="finding"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{bw:.1}" height="16" rx="8" fill="{colour}"/><text x="{:.1}" y="{:.1}" class="badge">{}</text></g>"#,
                escape(&messages.join("\n")),
                x + W - bw - 4.0,
                y - 8.0,
                x + W - bw + 0.0,
                y + 4.0,
                escape(&label)
            );
        }
        out.push_str("</g>\n");
    }
}

/// The employers of the posts charted, in the order first met.
fn employers(model: &Model) -> Vec<crate::decl::OrgIx> {
    let mut out = Vec::new();
    for post in &model.decls.posts {
        for s in [post.before, post.after].into_iter().flatten() {
            if let Some(o) = model.state(s).employer.given() {
                if !out.contains(&o) {
                    out.push(o);
                }
            }
        }
    }
    out
}

/// The whole chart as SVG: a legend, then the sides asked for, side by side.
pub fn svg(
    model: &Model,
    src: &SourceMap,
    diagnostics: &[Diagnostic],
    options: &Options,
) -> String {
    let sides: Vec<Side> = match options.side {
        Some(s) => vec![s],
        None => vec![Side::Before, Side::After],
    };
    let findings = findings_by_post(model, diagnostics);
    let layouts: Vec<Layout> = sides
        .iter()
        .map(|&s| layout(model, s, options, src))
        .collect();
    let employers = employers(model);
    let legend_h = 56.0 + 18.0 * ((employers.len() as f64) / 4.0).ceil();
    let width = layouts.iter().map(|l| l.width).sum::<f64>().max(760.0) + MARGIN;
    let height = layouts.iter().map(|l| l.height).fold(0.0, f64::max) + legend_h + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="Organisation chart{}">"#,
        if sides.len() == 2 {
            ", before and after the restructure"
        } else {
            ""
        }
    );
    out.push_str(STYLE);
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    // legend: status by colour and icon, the line kinds, the employers
    let mut lx = MARGIN;
    for status in [
        Status::Continues,
        Status::Changed,
        Status::New,
        Status::Deleted,
        Status::Slotted,
        Status::RingFenced,
    ] {
        let (fill, icon, words) = status.look();
        let _ = writeln!(
            out,
            r##"<rect x="{lx:.1}" y="14" width="18" height="14" fill="{fill}" stroke="#333"{}/><text x="{:.1}" y="25" class="icon">{icon}</text><text x="{:.1}" y="25" class="legend">{words}</text>"##,
            if status == Status::Deleted {
                r#" stroke-dasharray="4 2""#
            } else {
                ""
            },
            lx + 4.0,
            lx + 24.0
        );
        lx += 34.0 + 7.0 * words.len() as f64;
    }
    let mut lx = MARGIN;
    for (class, words) in [
        ("line", "line management"),
        ("dotted", "accountable to (dotted line)"),
        ("supervision", "professional supervision"),
    ] {
        let _ = writeln!(
            out,
            r#"<path class="{class}" d="M{lx:.1} 42 H{:.1}"/><text x="{:.1}" y="46" class="legend">{words}</text>"#,
            lx + 28.0,
            lx + 34.0
        );
        lx += 60.0 + 7.0 * words.len() as f64;
    }
    for (k, &o) in employers.iter().enumerate() {
        let (ex, ey) = (
            MARGIN + 260.0 * (k % 4) as f64,
            58.0 + 18.0 * (k / 4) as f64,
        );
        let org = model.org(o);
        let name = org.name.as_deref().unwrap_or_else(|| src.slice(org.id));
        let _ = writeln!(
            out,
            r#"<rect x="{ex:.1}" y="{ey:.1}" width="6" height="12" fill="{}"/><text x="{:.1}" y="{:.1}" class="legend">{}</text>"#,
            EMPLOYER_COLOURS[k % EMPLOYER_COLOURS.len()],
            ex + 10.0,
            ey + 10.0,
            escape(&lines(name, 34)[0])
        );
    }
    let mut dx = 0.0;
    for (side, layout) in sides.iter().zip(&layouts) {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="heading">{}</text>"#,
            dx + MARGIN,
            legend_h + 14.0,
            match side {
                Side::Before => "Before the restructure",
                Side::After => "After the restructure",
            }
        );
        let class = match side {
            Side::Before => "before",
            Side::After => "after",
        };
        let _ = writeln!(out, r#"<g class="side {class}">"#);
        let scene = Scene {
            model,
            src,
            findings: &findings,
            employers: &employers,
        };
        draw_side(&mut out, &scene, *side, layout, (dx, legend_h + 24.0));
        out.push_str("</g>\n");
        dx += layout.width;
    }
    out.push_str("</svg>\n");
    out
}

const STYLE: &str = r#"<style>
text { font-family: "DejaVu Sans", Arial, sans-serif; fill: #111; }
.title { font-size: 12px; font-weight: bold; }
.facts { font-size: 10px; fill: #333; }
.icon { font-size: 13px; font-weight: bold; }
.legend { font-size: 11px; }
.heading { font-size: 15px; font-weight: bold; }
.badge { font-size: 10px; fill: #fff; font-weight: bold; }
.line { fill: none; stroke: #333; stroke-width: 1.4; }
.dotted { fill: none; stroke: #1f4e79; stroke-width: 1.4; stroke-dasharray: 2 3; }
.supervision { fill: none; stroke: #7030a0; stroke-width: 1.4; stroke-dasharray: 8 3 2 3; }
</style>
"#;

/// The chart as Graphviz DOT, for people who lay it out with their own tools.
pub fn dot(model: &Model, src: &SourceMap, options: &Options) -> String {
    let side = options.side.unwrap_or(Side::After);
    let layout = layout(model, side, options, src);
    let mut out = String::from("digraph orgchart {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Arial\"];\n");
    for b in &layout.boxes {
        let post = model.post(b.post);
        let (fill, _, words) = status(model, b.post, side).look();
        let _ = writeln!(
            out,
            "  {} [label=\"{}\\n{}\", fillcolor=\"{fill}\", tooltip=\"{words}\"{}];",
            src.slice(post.id),
            post.title(src).replace('"', "\\\""),
            src.slice(post.id),
            if post.lifecycle == Lifecycle::Deleted {
                ", style=\"rounded,filled,dashed\""
            } else {
                ""
            }
        );
    }
    for (parent, children, _) in &layout.children {
        for &c in children {
            let _ = writeln!(
                out,
                "  {} -> {};",
                src.slice(model.post(layout.boxes[*parent].post).id),
                src.slice(model.post(layout.boxes[c].post).id)
            );
        }
    }
    out.push_str("}\n");
    out
}

/// The chart as a Mermaid flowchart, for Markdown that renders Mermaid.
pub fn mermaid(model: &Model, src: &SourceMap, options: &Options) -> String {
    let side = options.side.unwrap_or(Side::After);
    let layout = layout(model, side, options, src);
    let mut out = String::from("flowchart TB\n");
    for b in &layout.boxes {
        let post = model.post(b.post);
        let (_, icon, _) = status(model, b.post, side).look();
        let title = post.title(src).replace('"', "#quot;");
        let _ = writeln!(
            out,
            "  {}[\"{}{}<br/><small>{}</small>\"]",
            src.slice(post.id),
            if icon.is_empty() {
                String::new()
            } else {
                format!("{icon} ")
            },
            title,
            src.slice(post.id)
        );
    }
    for (parent, children, _) in &layout.children {
        for &c in children {
            let _ = writeln!(
                out,
                "  {} --> {}",
                src.slice(model.post(layout.boxes[*parent].post).id),
                src.slice(model.post(layout.boxes[c].post).id)
            );
        }
    }
    out
}
