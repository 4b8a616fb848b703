//! `orgspec import`: a starting `.org` spec from an establishment export (CSV), its columns
//! named in a small TOML mapping (docs/import.md). Every row that cannot be read, and every
//! value that cannot, is reported with its row number and why: nothing is dropped silently.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

/// The mapping file: which column holds each field, and how names in the export become
/// ids in the spec.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field → column name. `id` or `title` is needed; the rest are optional.
    pub columns: BTreeMap<String, String>,
    /// Field → value used when its column is missing or empty (`employer = "sbc"`).
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// An employer as the export names it → its org id in the spec.
    #[serde(default)]
    pub employers: BTreeMap<String, String>,
}

/// The fields a mapping may name: the columns of `orgspec export` but its `outcome`,
/// which a starting spec does not read.
pub const FIELDS: &[&str] = {
    let (fields, outcome) = crate::present::export::COLUMNS.split_at(12);
    assert!(outcome.len() == 1);
    fields
};

/// What an import made: the spec's text, and each row or value it could not read.
#[derive(Debug, Default)]
pub struct Imported {
    pub text: String,
    pub problems: Vec<Problem>,
    pub rows: usize,
    pub posts: usize,
}

/// A row (1-based, the header is row 1) or one of its values that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub message: String,
}

/// Read a mapping, naming what is wrong with it.
pub fn mapping(text: &str) -> Result<Mapping, String> {
    let m: Mapping = toml::from_str(text).map_err(|e| e.to_string())?;
    for field in m.columns.keys().chain(m.defaults.keys()) {
        if !FIELDS.contains(&field.as_str()) {
            return Err(format!(
                "the mapping names a field `{field}`, which orgspec does not import; the fields are {}",
                FIELDS.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    if !m.columns.contains_key("id") && !m.columns.contains_key("title") {
        return Err(
            "the mapping must name the column of `id` or of `title` under `[columns]`".into(),
        );
    }
    Ok(m)
}

/// An id as orgspec writes one: lower case, words joined by `_`, starting with a letter.
fn as_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("p_{out}")
    } else {
        out
    }
}

/// One post on one side, as read from its rows.
#[derive(Debug, Clone, Default, PartialEq)]
struct Side {
    values: BTreeMap<&'static str, String>,
    rows: usize,
}

#[derive(Debug, Default)]
struct Post {
    id: String,
    title: String,
    before: Option<Side>,
    after: Option<Side>,
    first_row: usize,
}

/// Check one value of a field; `Err` says why it cannot be read.
fn value(field: &str, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    if v.eq_ignore_ascii_case("tbd") {
        return Ok("tbd".into());
    }
    match field {
        "tier" | "count" => v
            .parse::<u32>()
            .map(|n| n.to_string())
            .map_err(|_| format!("`{field}` is a whole number, not `{v}`")),
        "fte" => match v.parse::<f64>() {
            Ok(f) if f > 0.0 && f <= 1.0 => Ok(v.to_string()),
            _ => Err(format!("`fte` is more than 0 and at most 1, not `{v}`")),
        },
        "cost" => {
            let digits: String = v
                .trim_start_matches('£')
                .chars()
                .filter(|c| *c != ',' && *c != '_')
                .collect();
            let (pounds, pence) = digits.split_once('.').unwrap_or((&digits, ""));
            let grouped = crate::value::group_digits(pounds, '_');
            match digits.parse::<f64>() {
                Ok(_) if pence.is_empty() => Ok(format!("£{grouped}")),
                Ok(_) => Ok(format!("£{grouped}.{pence:0<2}")),
                Err(_) => Err(format!("`cost` is an amount such as `£30,000`, not `{v}`")),
            }
        }
        "grade" => {
            let id = as_id(v);
            if id.is_empty() {
                Err(format!("`grade` is a grade name such as `PO3`, not `{v}`"))
            } else {
                Ok(v.split_whitespace().collect::<Vec<_>>().join("_"))
            }
        }
        _ => Ok(v.to_string()),
    }
}

/// Import `csv` (the export's bytes) with `map`. `source` names the export in the header
/// comment of the spec.
pub fn import(csv: &[u8], map: &Mapping, source: &str) -> Imported {
    let mut out = Imported::default();
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.problems.push(Problem {
                row: 1,
                message: format!("the header row cannot be read: {e}"),
            });
            return out;
        }
    };
    let mut column: BTreeMap<&'static str, usize> = BTreeMap::new();
    for &field in FIELDS {
        if let Some(name) = map.columns.get(field) {
            match headers.iter().position(|h| h.trim() == name.trim()) {
                Some(i) => {
                    column.insert(field, i);
                }
                None => out.problems.push(Problem {
                    row: 1,
                    message: format!(
                        "the mapping says `{field}` is in column `{name}`, which the export does not have (its columns: {})",
                        headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                    ),
                }),
            }
        }
    }
    let mut posts: Vec<Post> = Vec::new();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    let mut org_titles: BTreeMap<String, String> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        out.rows += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.problems.push(Problem {
                    row,
                    message: format!("the row cannot be read: {e}"),
                });
                continue;
            }
        };
        let get = |field: &str| -> Option<String> {
            let from_column = column
                .get(field)
                .and_then(|&c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string);
            from_column.or_else(|| map.defaults.get(field).cloned())
        };
        let raw_id = get("id");
        let title = get("title").unwrap_or_default();
        let key = raw_id.clone().unwrap_or_else(|| title.clone());
        if key.is_empty() {
            out.problems.push(Problem {
                row,
                message: "the row has neither an id nor a title: it names no post".into(),
            });
            continue;
        }
        // without a `side`, a row is of the establishment as it stands: before and after
        let side_word = get("side").unwrap_or_else(|| "both".into()).to_lowercase();
        let (before, after) = match side_word.as_str() {
            "before" => (true, false),
            "after" => (false, true),
            "both" => (true, true),
            other => {
                out.problems.push(Problem {
                    row,
                    message: format!("`side` is `before` or `after`, not `{other}`"),
                });
                continue;
            }
        };
        let mut side = Side {
            values: BTreeMap::new(),
            rows: 1,
        };
        for &field in FIELDS {
            if matches!(field, "side" | "id") {
                continue;
            }
            let Some(raw) = get(field) else { continue };
            let raw = if field == "employer" {
                let id = map
                    .employers
                    .get(&raw)
                    .cloned()
                    .unwrap_or_else(|| raw.clone());
                org_titles.entry(as_id(&id)).or_insert(raw);
                id
            } else {
                raw
            };
            match value(field, &raw) {
                Ok(v) => {
                    side.values.insert(field, v);
                }
                Err(why) => out.problems.push(Problem {
                    row,
                    message: format!("{why}: the value is left out (written `tbd`)"),
                }),
            }
        }
        let ix = *by_key.entry(key.clone()).or_insert_with(|| {
            posts.push(Post {
                id: String::new(),
                title: title.clone(),
                first_row: row,
                ..Post::default()
            });
            posts.len() - 1
        });
        let post = &mut posts[ix];
        let first_row = post.first_row;
        for (wanted, slot) in [(before, &mut post.before), (after, &mut post.after)] {
            if !wanted {
                continue;
            }
            match slot {
                // one row per person: the post counts its rows (unless a count is given);
                // a value that differs from the post's first row is said, not lost
                Some(existing) => {
                    existing.rows += 1;
                    for (field, v) in &side.values {
                        let kept = existing.values.get(field);
                        if kept != Some(v) && *field != "holder" {
                            out.problems.push(Problem {
                                row,
                                message: format!(
                                    "`{key}` is one post with row {first_row}, where `{field}` is {}; this row's `{v}` is not kept",
                                    kept.map_or_else(|| "not given".to_string(), |k| format!("`{k}`"))
                                ),
                            });
                        }
                    }
                }
                None => *slot = Some(side.clone()),
            }
            if before && after {
                // said once for a row of both sides
                break;
            }
        }
        if before && after {
            post.after = post.before.clone();
        }
    }
    // ids: the export's own, made orgspec ids, else from the title; unique
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut id_of: BTreeMap<String, String> = BTreeMap::new();
    for (key, &ix) in &by_key {
        let mut id = as_id(key);
        if id.is_empty() {
            id = "post".into();
        }
        let n = taken.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            id = format!("{id}_{n}");
        }
        id_of.insert(key.clone(), id.clone());
        posts[ix].id = id;
    }
    out.posts = posts.len();
    out.text = write(
        &posts,
        &id_of,
        &org_titles,
        &mut out.problems,
        source,
        out.rows,
    );
    out
}

/// A side's value of a field as the spec writes it.
fn field_text(side: &Side, field: &str, id_of: &BTreeMap<String, String>) -> Option<String> {
    let v = side.values.get(field)?;
    Some(match field {
        "reports_to" if v != "tbd" => id_of.get(v).cloned().unwrap_or_else(|| as_id(v)),
        "employer" if v != "tbd" => as_id(v),
        // a person's id stays one (declared by the import); a name is a string
        "holder" if v != "tbd" && !v.starts_with('"') && as_id(v) != *v => {
            format!("\"{}\"", v.replace('"', "'"))
        }
        _ => v.clone(),
    })
}

fn write(
    posts: &[Post],
    id_of: &BTreeMap<String, String>,
    org_titles: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
    source: &str,
    rows: usize,
) -> String {
    let mut out = format!(
        "// Imported by `orgspec import` from {source}: {rows} rows, {} posts.\n// Check each org's `kind` and `tiers`, and each grade's pay range.\n\n",
        posts.len()
    );
    // the employers the posts name, with their deepest tier; the grades, with the least
    // cost and the deepest tier of the posts graded so
    let mut orgs: Vec<(String, u32)> = Vec::new();
    let mut grades: Vec<(String, String, f64, u32)> = Vec::new();
    for post in posts {
        for side in [&post.before, &post.after].into_iter().flatten() {
            let org = field_text(side, "employer", id_of).filter(|o| o != "tbd");
            let tier: u32 = side
                .values
                .get("tier")
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let cost: f64 = side
                .values
                .get("cost")
                .and_then(|c| c.trim_start_matches('£').replace('_', "").parse().ok())
                .unwrap_or(f64::INFINITY);
            if let Some(org) = &org {
                match orgs.iter_mut().find(|(o, _)| o == org) {
                    Some((_, deepest)) => *deepest = (*deepest).max(tier),
                    None => orgs.push((org.clone(), tier)),
                }
            }
            // a funder that employs none of the posts is an org of the spec too
            let funders = side
                .values
                .get("funded")
                .into_iter()
                .flat_map(|f| f.split(','));
            for funder in funders.filter_map(|t| t.split_whitespace().next()) {
                let funder = as_id(funder);
                if !funder.is_empty() && funder != "tbd" && !orgs.iter().any(|(o, _)| *o == funder)
                {
                    orgs.push((funder, 0));
                }
            }
            if let (Some(org), Some(grade)) = (org, side.values.get("grade")) {
                if grade == "tbd" {
                    continue;
                }
                // a range of grades (`PO1..PO3`) names both ends
                for grade in grade.split("..") {
                    match grades.iter_mut().find(|(_, g, ..)| g == grade) {
                        Some((_, _, least, deepest)) => {
                            *least = least.min(cost);
                            *deepest = (*deepest).max(tier);
                        }
                        None => grades.push((org.clone(), grade.to_string(), cost, tier)),
                    }
                }
            }
        }
    }
    for (org, deepest) in &orgs {
        let title = org_titles.get(org).unwrap_or(org).replace('"', "'");
        let _ = writeln!(
            out,
            "org {org} \"{title}\" {{ kind tbd; tiers {} }}",
            (*deepest).max(1)
        );
    }
    // grades without pay ranges rank in the order written, lowest first: by the least cost
    // of their posts, else by the deepest tier
    grades.sort_by(|a, b| {
        a.2.partial_cmp(&b.2)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.3.cmp(&a.3))
    });
    for (org, grade, ..) in &grades {
        let _ = writeln!(out, "grade {org} {grade}");
    }
    let mut persons: Vec<String> = Vec::new();
    for post in posts {
        for side in [&post.before, &post.after].into_iter().flatten() {
            if let Some(h) = field_text(side, "holder", id_of) {
                if h != "tbd"
                    && !h.starts_with('"')
                    && h.parse::<u32>().is_err()
                    && !persons.contains(&h)
                {
                    persons.push(h);
                }
            }
        }
    }
    for person in &persons {
        let _ = writeln!(out, "person {person} \"{person}\"");
    }
    out.push('\n');
    let ids: std::collections::BTreeSet<&str> = posts.iter().map(|p| p.id.as_str()).collect();
    for post in posts {
        let keyword = match (&post.before, &post.after) {
            (Some(_), None) => "deleted post",
            (None, Some(_)) => "new post",
            _ => "post",
        };
        let first = post.before.as_ref().or(post.after.as_ref());
        let title = first
            .and_then(|s| s.values.get("title"))
            .unwrap_or(&post.title)
            .replace('"', "'");
        let _ = writeln!(out, "{keyword} {} \"{title}\" {{", post.id);
        for field in FIELDS.iter().skip(2) {
            let text = |side: &Option<Side>| {
                side.as_ref().and_then(|s| {
                    let mut v = field_text(s, field, id_of);
                    if *field == "count" && v.is_none() && s.rows > 1 {
                        v = Some(s.rows.to_string());
                    }
                    v
                })
            };
            let (before, after) = (text(&post.before), text(&post.after));
            if *field == "title" {
                // the header has the first title; a new one after is a change of title
                if let (Some(b), Some(a)) = (&before, &after) {
                    if b != a {
                        let q = |t: &str| format!("\"{}\"", t.replace('"', "'"));
                        let _ = writeln!(out, "  title {} -> {}", q(b), q(a));
                    }
                }
                continue;
            }
            if *field == "reports_to" {
                for v in [&before, &after].into_iter().flatten() {
                    if v != "tbd" && !ids.contains(v.as_str()) {
                        problems.push(Problem {
                            row: post.first_row,
                            message: format!("`{}` reports to `{v}`, which is no post of the export: written as it is, to correct", post.id),
                        });
                    }
                }
            }
            let line = match (&post.before, &post.after, before, after) {
                (Some(_), Some(_), Some(b), Some(a)) if b != a => format!("{field} {b} -> {a}"),
                (Some(_), Some(_), Some(b), None) => format!("{field} {b} -> none"),
                (Some(_), Some(_), None, Some(a)) => format!("{field} none -> {a}"),
                (_, _, Some(v), _) | (_, _, None, Some(v)) => format!("{field} {v}"),
                _ => continue,
            };
            let _ = writeln!(out, "  {line}");
        }
        out.push_str("}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_from_what_the_export_has() {
        assert_eq!(as_id("Post 1234"), "post_1234");
        assert_eq!(as_id("1234"), "p_1234");
        assert_eq!(
            as_id("Head of Operations (North)"),
            "head_of_operations_north"
        );
    }
}
