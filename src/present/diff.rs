//! `orgspec diff OLD NEW`: what changed between two versions of a proposal — posts added,
//! removed and changed field by field (outcomes and funding included), and which findings
//! are new, fixed or still there (docs/diff.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::export::{Row, COLUMNS};
use crate::diagnostic::{Diagnostic, Severity};

/// One version: its establishment rows and its findings.
pub struct Version<'a> {
    pub rows: Vec<Row>,
    pub findings: &'a [Diagnostic],
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Post {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Change {
    pub side: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Changed {
    pub id: String,
    pub title: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub severity: &'static str,
    pub rule: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub version: u32,
    pub added: Vec<Post>,
    pub removed: Vec<Post>,
    pub changed: Vec<Changed>,
    pub new_findings: Vec<Finding>,
    pub fixed_findings: Vec<Finding>,
    pub findings_still_there: usize,
}

impl Diff {
    /// NEW has an error OLD did not have.
    pub fn new_errors(&self) -> bool {
        self.new_findings.iter().any(|f| f.severity == "error")
    }
}

/// Rows by post id: its title and its cells on each side.
fn by_post(rows: &[Row]) -> BTreeMap<String, (String, BTreeMap<String, &Row>)> {
    let mut out: BTreeMap<String, (String, BTreeMap<String, &Row>)> = BTreeMap::new();
    for r in rows {
        let entry = out
            .entry(r.cells[1].clone())
            .or_insert_with(|| (r.cells[2].clone(), BTreeMap::new()));
        entry.1.insert(r.cells[0].clone(), r);
    }
    out
}

/// A finding as compared across versions: by rule and message, which name posts by title
/// and id, not by line (lines move between versions).
fn key(d: &Diagnostic) -> (Severity, String, String) {
    (d.severity, d.rule.to_string(), d.message.clone())
}

fn finding(k: &(Severity, String, String)) -> Finding {
    Finding {
        severity: k.0.as_str(),
        rule: k.1.clone(),
        message: k.2.clone(),
    }
}

pub fn diff(old: &Version, new: &Version) -> Diff {
    let (a, b) = (by_post(&old.rows), by_post(&new.rows));
    let mut out = Diff {
        version: 1,
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        new_findings: Vec::new(),
        fixed_findings: Vec::new(),
        findings_still_there: 0,
    };
    for (id, (title, _)) in &b {
        if !a.contains_key(id) {
            out.added.push(Post {
                id: id.clone(),
                title: title.clone(),
            });
        }
    }
    for (id, (title, sides)) in &a {
        let Some((new_title, new_sides)) = b.get(id) else {
            out.removed.push(Post {
                id: id.clone(),
                title: title.clone(),
            });
            continue;
        };
        let mut changes = Vec::new();
        for side in ["before", "after"] {
            let (o, n) = (sides.get(side), new_sides.get(side));
            match (o, n) {
                (Some(o), Some(n)) => {
                    for (c, field) in COLUMNS.iter().enumerate().skip(2) {
                        if o.cells[c] != n.cells[c] {
                            changes.push(Change {
                                side: side.into(),
                                field: (*field).into(),
                                old: o.cells[c].clone(),
                                new: n.cells[c].clone(),
                            });
                        }
                    }
                }
                (Some(_), None) | (None, Some(_)) => changes.push(Change {
                    side: side.into(),
                    field: "exists".into(),
                    old: if o.is_some() { "yes" } else { "no" }.into(),
                    new: if n.is_some() { "yes" } else { "no" }.into(),
                }),
                (None, None) => {}
            }
        }
        if !changes.is_empty() {
            out.changed.push(Changed {
                id: id.clone(),
                title: new_title.clone(),
                changes,
            });
        }
    }
    // findings as multisets: the same finding twice is two
    let count = |ds: &[Diagnostic]| {
        let mut m: BTreeMap<(Severity, String, String), usize> = BTreeMap::new();
        for d in ds {
            *m.entry(key(d)).or_default() += 1;
        }
        m
    };
    let (fa, fb) = (count(old.findings), count(new.findings));
    for (k, &n) in &fb {
        let before = fa.get(k).copied().unwrap_or(0);
        out.findings_still_there += n.min(before);
        for _ in before..n {
            out.new_findings.push(finding(k));
        }
    }
    for (k, &n) in &fa {
        let after = fb.get(k).copied().unwrap_or(0);
        for _ in after..n {
            out.fixed_findings.push(finding(k));
        }
    }
    out
}

/// The human form: what changed, then the findings.
pub fn human(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "posts: {} added, {} removed, {} changed",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    for p in &d.added {
        let _ = writeln!(out, "  + {} (`{}`)", p.title, p.id);
    }
    for p in &d.removed {
        let _ = writeln!(out, "  - {} (`{}`)", p.title, p.id);
    }
    for c in &d.changed {
        let _ = writeln!(out, "  ~ {} (`{}`)", c.title, c.id);
        for ch in &c.changes {
            let show = |v: &str| {
                if v.is_empty() {
                    "—".to_string()
                } else {
                    v.to_string()
                }
            };
            let _ = writeln!(
                out,
                "      {} {}: {} → {}",
                ch.side,
                ch.field,
                show(&ch.old),
                show(&ch.new)
            );
        }
    }
    let _ = writeln!(
        out,
        "findings: {} new, {} fixed, {} still there",
        d.new_findings.len(),
        d.fixed_findings.len(),
        d.findings_still_there
    );
    for f in &d.new_findings {
        let _ = writeln!(out, "  new    {}[{}]: {}", f.severity, f.rule, f.message);
    }
    for f in &d.fixed_findings {
        let _ = writeln!(out, "  fixed  {}[{}]: {}", f.severity, f.rule, f.message);
    }
    out
}

pub fn json(d: &Diff) -> String {
    let mut s = serde_json::to_string_pretty(d).expect("a diff serialises");
    s.push('\n');
    s
}
