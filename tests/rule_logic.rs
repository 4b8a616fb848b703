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
