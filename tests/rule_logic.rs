//! `and`, `or` and `not` follow three-valued logic wherever a rule asks them: a filter
//! keeps a subject only when its condition is true, a `require` reports one only when its
//! condition is false, and an unknown value (a `tbd`) settles neither. Every combination
//! of true, false and unknown, through the binary, against the truth tables.

use std::collections::BTreeSet;
use std::fmt::Write as _;

#[path = "common/cli.rs"]
mod cli;

use cli::{dir_with, orgspec, text};

/// `p.tier > 3` of each post: true, false, unknown.
const POSTS: [(&str, Option<bool>); 3] = [("t", Some(true)), ("f", Some(false)), ("u", None)];

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn not(a: Option<bool>) -> Option<bool> {
    a.map(|b| !b)
}

type Table = fn(Option<bool>, Option<bool>) -> Option<bool>;

#[test]
fn filters_and_requires_follow_three_valued_logic() {
    let conditions: [(&str, &str, Table); 9] = [
        ("and", "p.tier > 3 and q.tier > 3", and),
        ("or", "p.tier > 3 or q.tier > 3", or),
        ("not_p", "not (p.tier > 3) and q.tier == q.tier", |a, b| {
            and(not(a), b.map(|_| true))
        }),
        ("not_and", "not (p.tier > 3 and q.tier > 3)", |a, b| {
            not(and(a, b))
        }),
        ("not_or", "not (p.tier > 3 or q.tier > 3)", |a, b| {
            not(or(a, b))
        }),
        (
            "chain",
            "p.tier > 3 and (q.tier > 3 or not (p.tier > 3))",
            |a, b| and(a, or(b, not(a))),
        ),
        // every comparison, at its boundary: each is true, false or unknown as `> 3` is, or
        // its negation
        ("compare", "p.tier >= 5 and q.tier != 1", and),
        ("compare_not", "p.tier <= 1 or q.tier not in [5]", |a, b| {
            or(not(a), not(b))
        }),
        ("member", "p.tier in [5, 6] and q.tier < 2", |a, b| {
            and(a, not(b))
        }),
    ];
    let mut spec = String::from("org x \"X\" { kind council; tiers 9 }\n");
    for (name, _) in POSTS {
        let tier = match name {
            "t" => "5",
            "f" => "1",
            _ => "tbd",
        };
        writeln!(
            spec,
            "post {name} \"Post {name}\" {{ employer x; tier {tier} }}"
        )
        .expect("a string takes any text");
    }
    for (id, condition, _) in &conditions {
        write!(
            spec,
            "rule where_{id} \"W\" {{\n  severity warning\n  for p in posts, q in posts where {condition}\n  require false\n  message \"pair {{p.name}} {{q.name}}\"\n}}\n\
             rule require_{id} \"R\" {{\n  severity warning\n  for p in posts, q in posts\n  require {condition}\n  message \"pair {{p.name}} {{q.name}}\"\n}}\n"
        )
        .expect("a string takes any text");
    }
    let dir = dir_with(&[("a.org", spec.as_bytes())]);
    let o = orgspec(dir.path(), &["check", "--format", "json", "a.org"]);
    let json: serde_json::Value = serde_json::from_str(&text(&o.stdout)).expect("JSON");
    let mut found = BTreeSet::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        let rule = d["rule"].as_str().unwrap_or_default();
        if let Some(pair) = d["message"].as_str().and_then(|m| m.strip_prefix("pair ")) {
            found.insert(format!("{rule} {pair}"));
        }
    }
    let mut expected = BTreeSet::new();
    for (id, _, table) in &conditions {
        for (p, a) in POSTS {
            for (q, b) in POSTS {
                match table(a, b) {
                    Some(true) => expected.insert(format!("where_{id} {p} {q}")),
                    Some(false) => expected.insert(format!("require_{id} {p} {q}")),
                    None => false,
                };
            }
        }
    }
    assert_eq!(found, expected, "{}", text(&o.stdout));
}

/// `sum(p.direct_reports.count)` is folded as each report's count is read, without the
/// list of them (`Evaluator::fold_projection`): it must be the fold of that list, which
/// the comprehension `sum(r in p.direct_reports: r.count)` builds — `none` skipped, an
/// unknown count making the whole unknown, no reports the empty sum — for `sum`, `min` and
/// `max`, over a list and over a single value.
#[test]
fn a_fold_of_a_projection_is_the_fold_of_its_list() {
    let mut spec = String::from(
        "org x \"X\" { kind council; tiers 9 }\n\
         post m \"M\" { employer x; tier 2 }\n\
         post a \"A\" { employer x; tier 3; reports_to m; count 2 }\n\
         post b \"B\" { employer x; tier 3; reports_to m; count 4 }\n\
         post n \"N\" { employer x; tier 2 }\n\
         post c \"C\" { employer x; tier 3; reports_to n; count tbd }\n\
         post d \"D\" { employer x; tier 3; reports_to n }\n\
         post o \"O\" { employer x; tier 2 }\n",
    );
    let folds = [
        (
            "sum",
            "sum(p.direct_reports.count)",
            "sum(r in p.direct_reports: r.count)",
        ),
        (
            "min",
            "min(p.direct_reports.count)",
            "min(r in p.direct_reports: r.count)",
        ),
        (
            "max",
            "max(p.direct_reports.tier)",
            "max(r in p.direct_reports: r.tier)",
        ),
        (
            "one",
            "sum(p.reports_to.direct_reports.count)",
            "sum(r in p.reports_to.direct_reports: r.count)",
        ),
    ];
    for (id, fused, built) in folds {
        for (kind, expr) in [("fused", fused), ("built", built)] {
            write!(
                spec,
                "rule {kind}_{id} \"F\" {{\n  severity warning\n  for p in posts\n  let x = {expr}\n  require false\n  message \"{id} {{p.name}} {{x}}\"\n}}\n"
            )
            .expect("a string takes any text");
        }
    }
    let dir = dir_with(&[("a.org", spec.as_bytes())]);
    let o = orgspec(dir.path(), &["check", "--format", "json", "a.org"]);
    let json: serde_json::Value = serde_json::from_str(&text(&o.stdout)).expect("JSON");
    let mut found: [BTreeSet<String>; 2] = Default::default();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        let rule = d["rule"].as_str().unwrap_or_default();
        let message = d["message"].as_str().unwrap_or_default().to_string();
        match rule.split_once('_') {
            Some(("fused", _)) => found[0].insert(message),
            Some(("built", _)) => found[1].insert(message),
            _ => false,
        };
    }
    assert_eq!(found[0], found[1], "{}", text(&o.stdout));
    // the figures themselves, where they are known
    for expected in ["sum m 6", "sum o 0", "min m 2", "max m 3", "one a 6"] {
        assert!(found[0].contains(expected), "{expected}: {:?}", found[0]);
    }
    assert_eq!(found[0].len(), 4 * 7, "{:?}", found[0]);
}
