//! `orgspec export`: the establishment list, one row per post and side, as an HR system or
//! a finance officer reads it (docs/export.md). Values are written as the spec writes them,
//! so that `orgspec import` can read them back into the same model.

use crate::decl::{Known, Lifecycle, PostIx, PostState};
use crate::model::relations::under;
use crate::model::{Model, Side};
use crate::source::{FileId, Position, SourceMap};

/// The columns, in order (docs/export.md).
pub const COLUMNS: [&str; 13] = [
    "side",
    "id",
    "title",
    "employer",
    "tier",
    "grade",
    "fte",
    "count",
    "cost",
    "reports_to",
    "funded",
    "holder",
    "outcome",
];

/// One post on one side of the restructure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: [String; 13],
}

/// The text of a written value, as written (`tbd` when undecided, empty when absent or
/// unreadable); `file` is its post's.
fn written<T, S: Position>(src: &SourceMap, file: FileId, k: &Known<T, S>) -> String {
    match k {
        Known::Given(_, at) => src.slice(at.span(file)).to_string(),
        Known::Undecided(_) => "tbd".to_string(),
        Known::Absent | Known::Invalid(_) => String::new(),
    }
}

fn funded(model: &Model, src: &SourceMap, s: &PostState) -> String {
    match s.details().funded() {
        Known::Given(shares, _) => shares
            .iter()
            .map(|sh| {
                let org = src.slice(model.org(sh.org).id);
                match sh.percent {
                    Some(p) => format!("{org} {}", crate::value::percent(p)),
                    None => format!("{org} tbd"),
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        Known::Undecided(_) => "tbd".to_string(),
        _ => String::new(),
    }
}

/// What becomes of the post on this side: deleted with its reasons, slotted, ring-fenced,
/// new with its routes, changed or continuing.
fn outcome(model: &Model, src: &SourceMap, p: PostIx, side: Side) -> String {
    let post = model.post(p);
    let file = post.item.file;
    let id = |q: PostIx| src.slice(model.post(q).id).to_string();
    let mut parts = Vec::new();
    match (post.lifecycle, side) {
        (Lifecycle::Deleted, Side::Before) => {
            parts.push("deleted".to_string());
            for &s in under(model.slots_from(), p) {
                let slot = &model.decls.slots[s as usize];
                parts.push(format!("slotted into {}", id(slot.to.value)));
            }
            for &i in under(model.pools_of(), p) {
                let pool = &model.decls.pools[i as usize];
                parts.push(format!("ring-fenced in pool {}", src.slice(pool.id)));
            }
            if let Some(s) = post.before {
                let reason = written(src, file, model.state(s).details().reason());
                if !reason.is_empty() {
                    parts.push(format!("reason {reason}"));
                }
            }
        }
        (Lifecycle::New, Side::After) => {
            parts.push("new".to_string());
            if let Some(s) = post.after {
                let recruit = written(src, file, model.state(s).details().recruit());
                if !recruit.is_empty() {
                    parts.push(format!("recruit {recruit}"));
                }
            }
            for &s in under(model.slots_into(), p) {
                let slot = &model.decls.slots[s as usize];
                let from: Vec<String> = slot.from.iter().map(|f| id(f.value)).collect();
                parts.push(format!("slotted in from {}", from.join(", ")));
            }
        }
        _ if post.before != post.after => parts.push("changed".to_string()),
        _ => parts.push("continues".to_string()),
    }
    parts.join("; ")
}

/// Every post of the model, before then after, in the order of the spec.
pub fn rows(model: &Model, src: &SourceMap) -> Vec<Row> {
    let mut out = Vec::new();
    for side in [Side::Before, Side::After] {
        for (i, post) in model.decls.posts.iter().enumerate() {
            let p = PostIx(i as u32);
            let state = match side {
                Side::Before => post.before,
                Side::After => post.after,
            };
            let Some(s) = state else { continue };
            let (st, file) = (model.state(s), post.item.file);
            let employer = st.employer.given().map_or_else(
                || written(src, file, &st.employer),
                |o| src.slice(model.org(o).id).to_string(),
            );
            let reports_to = match st.reports_to {
                Known::Given(m, _) => src.slice(model.post(m).id).to_string(),
                ref k => written(src, file, k),
            };
            let holder = match st.details().holder() {
                Known::Given(..) | Known::Undecided(_) => written(src, file, st.details().holder()),
                _ => String::new(),
            };
            out.push(Row {
                cells: [
                    match side {
                        Side::Before => "before".into(),
                        Side::After => "after".into(),
                    },
                    src.slice(post.id).to_string(),
                    // a title that changes (`title "A" -> "B"`) is each side's own
                    st.details()
                        .title()
                        .get()
                        .map_or_else(|| post.title(src).into_owned(), |t| t.0.to_string()),
                    employer,
                    written(src, file, &st.tier),
                    written(src, file, &st.grade),
                    written(src, file, st.details().fte()),
                    written(src, file, st.details().count()),
                    written(src, file, st.details().cost()),
                    reports_to,
                    funded(model, src, st),
                    holder,
                    outcome(model, src, p, side),
                ],
            });
        }
    }
    out
}

/// The rows as CSV, with a header row.
pub fn csv(rows: &[Row]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(&r.cells).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The rows as an Excel workbook: one sheet, a bold header row, numbers as numbers.
pub fn xlsx(rows: &[Row]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Establishment").map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *name, &bold)
            .map_err(|e| e.to_string())?;
    }
    let numeric = ["tier", "fte", "count"];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells.iter().enumerate() {
            let number = numeric
                .contains(&COLUMNS[c])
                .then(|| cell.replace('_', "").parse::<f64>().ok())
                .flatten();
            match number {
                Some(n) => sheet.write_number(r, c as u16, n),
                None => sheet.write_string(r, c as u16, cell),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}
