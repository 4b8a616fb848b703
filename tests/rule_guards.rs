//! A check whose filter needs a field of the post asks only the posts that write it
//! (`check/engine/eval/guard.rs`). These tests hold that to its promise: for every kind of
//! condition the guard reads — a comparison with a constant, membership, a count, a flag,
//! a second generator over a field — a rule written so that the guard applies finds
//! exactly what the same rule written so that it cannot (`(C or p.tier < 0)` is `C` in
//! three-valued logic when every tier is known, but is not a condition joined by `and`,
//! and depends on the post, so is not known before the check runs) finds, over posts that
//! write the field, write it `tbd`, leave it out, and have it from the row's default, on
//! both sides of the restructure; and likewise a count of an indexed relation
//! (`count(p.slots) > 0`), a post's change (`p.changed`, `p.new`, `p.deleted`), what the
//! restructure takes from its holders (`p.displaced > 0`), and a funding share's funder
//! (`f.org.until != none`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

#[path = "common/cli.rs"]
mod cli;

use cli::{dir_with, orgspec, text};

/// The posts: every field the conditions read is written, `tbd` or left out by one of
/// them; `gone` exists only before the restructure, `fresh` only after it; `gone`, `half`
/// and `fewer` lose holders or hours, `open` may.
const POSTS: &str = r#"org x "X" { kind council; tiers 9 }
org y "Y" { kind nhs; tiers 9 }
post full "Full" { employer x; tier 5; discipline social_work; statutory monitoring_officer, s151_officer; recruit secondment; count 3; citywide; funded x 50%, y 50% }
post open "Open" { employer x; tier 5; discipline tbd; statutory tbd; recruit tbd; count tbd }
post bare "Bare" { employer x; tier 5; reports_to full }
post one "One" { employer x; tier 5 -> 4; discipline nursing; statutory dcs; count 1; reports_to full -> open }
deleted post gone "Gone" { employer x; tier 5; discipline nursing; statutory dcs, monitoring_officer }
new post fresh "Fresh" { employer x; tier 5; recruit internal }
post half "Half" { employer x; tier 5; fte 1 -> 0.5 }
post fewer "Fewer" { employer x; tier 5; count 3 -> 1 }
slot gone -> fresh
slot one -> full
pool ring "Ring" { candidates one; posts fresh; fallback redeployment }
"#;

/// Conditions on `p`, each one the guard reads, or one it must see is true of a post that
/// leaves the field out (and so must not read as a guard).
const CONDITIONS: [&str; 35] = [
    "p.discipline != none",
    "p.discipline == \"nursing\"",
    "p.discipline != \"nursing\"",
    "monitoring_officer in p.statutory",
    "dcs not in p.statutory",
    "count(p.statutory) > 0",
    "count(p.statutory) >= 2",
    "count(r in p.statutory where r != dcs) >= 1",
    "count(p.statutory) == 0",
    "secondment in p.recruit",
    "p.citywide",
    "p.new",
    "p.count > 1",
    "p.count == 1",
    "p.count != none",
    "p.statutory != none",
    // the indexed relations: slots out of a post and into it, pools
    "count(p.slots) > 0",
    "count(p.slotted_in) >= 1",
    "count(p.pools) == 1",
    "count(p.slots) < 1",
    // a post that names no funder has one share, its employer's
    "count(p.funded) > 1",
    "count(p.funded) == 1",
    "count(s in p.funded where s.share > 40%) > 1",
    // what the post's record says
    "p.changed",
    "p.new",
    "p.deleted",
    // what the restructure takes from the holders: none of most posts
    "p.displaced > 0",
    "p.displaced >= 2",
    "p.displaced == 0",
    "p.displaced_fte > 0",
    "p.displaced_fte < 1",
    // line management
    "count(p.direct_reports) > 0",
    "count(p.direct_reports) >= 2",
    "count(p.direct_reports) == 0",
    // a condition on the parameters alone is known before the check runs
    "(count(p.direct_reports) > 0 or 1 < 0)",
];

fn findings(spec: &str) -> (BTreeSet<String>, String) {
    let dir = dir_with(&[("a.org", spec.as_bytes())]);
    let o = orgspec(dir.path(), &["check", "--format", "json", "a.org"]);
    let out = text(&o.stdout);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let mut found = BTreeSet::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        let rule = d["rule"].as_str().unwrap_or_default();
        if let Some(post) = d["message"].as_str().and_then(|m| m.strip_prefix("post ")) {
            found.insert(format!("{rule} {post}"));
        }
    }
    (found, out)
}

/// The findings of the rules written to be guarded (`zg…`) and of those written not to
/// be (`zu…`), each without its prefix, and the output they came from.
fn both_ways(spec: &str) -> (BTreeSet<String>, BTreeSet<String>, String) {
    let (found, out) = findings(spec);
    let of = |prefix: &str| -> BTreeSet<String> {
        found
            .iter()
            .filter_map(|f| f.strip_prefix(prefix).map(str::to_string))
            .collect()
    };
    (of("zg"), of("zu"), out)
}

#[test]
fn a_guarded_filter_finds_what_an_unguarded_one_does() {
    let mut spec = String::from(POSTS);
    for (i, c) in CONDITIONS.iter().enumerate() {
        for (side, over) in [("after", "posts"), ("before", "posts_before")] {
            write!(
                spec,
                "rule zg{i}_{side} \"G\" {{\n  severity warning\n  for p in {over} where {c} and p.tier > 0\n  require false\n  message \"post {{p.name}}\"\n}}\n\
                 rule zu{i}_{side} \"U\" {{\n  severity warning\n  for p in {over} where ({c} or p.tier < 0)\n  require false\n  message \"post {{p.name}}\"\n}}\n"
            )
            .expect("a string takes any text");
        }
    }
    // a second generator over a field of the first: a post with none has nothing to ask
    for (side, over) in [("after", "posts"), ("before", "posts_before")] {
        write!(
            spec,
            "rule zgr_{side} \"G\" {{\n  severity warning\n  for p in {over}, r in p.statutory\n  require false\n  message \"post {{p.name}} {{r}}\"\n}}\n\
             rule zur_{side} \"U\" {{\n  severity warning\n  for p in {over}, r in either(p.statutory, [])\n  require false\n  message \"post {{p.name}} {{r}}\"\n}}\n"
        )
        .expect("a string takes any text");
    }
    let (guarded, unguarded, out) = both_ways(&spec);
    assert_eq!(guarded, unguarded, "{out}");
    // each condition holds of some posts and not of others on at least one side, so that
    // asking too few or too many posts would show
    for (i, condition) in CONDITIONS.iter().enumerate() {
        let posts = |side: &str| {
            guarded
                .iter()
                .filter(|f| f.starts_with(&format!("{i}_{side} ")))
                .count()
        };
        let (after, before) = (posts("after"), posts("before"));
        assert!(
            after + before > 0 && (after < 7 || before < 7),
            "condition `{condition}` found {after} posts after and {before} before: {out}"
        );
    }
    for side in ["after", "before"] {
        assert!(guarded.iter().any(|f| f.starts_with(&format!("r_{side} "))));
    }
}

/// The guard is taken, not only harmless: a filter that compares each post with every
/// other (which grows with the square of the spec, and is stopped by the evaluation
/// budget) is asked only of the one post that writes the field its second condition
/// needs — whichever of the conditions joined by `and` needs it.
#[test]
fn a_guarded_filter_asks_only_the_posts_that_write_its_field() {
    let mut spec = String::from("org x \"X\" { kind council; tiers 9 }\n");
    for i in 0..3_000 {
        writeln!(spec, "post p{i} \"P{i}\" {{ employer x; tier 5 }}")
            .expect("a string takes any text");
    }
    spec.push_str("post seconded \"Seconded\" { employer x; tier 5; recruit secondment }\n");
    for (id, condition) in [
        ("zguarded", "secondment in p.recruit"),
        ("zunguarded", "(secondment in p.recruit or p.tier < 0)"),
    ] {
        write!(
            spec,
            "rule {id} \"Z\" {{\n  severity warning\n  for p in posts where count(q in posts where q.tier == p.tier) > 1\n    and {condition}\n  require false\n  message \"post {{p.name}}\"\n}}\n"
        )
        .expect("a string takes any text");
    }
    let (found, out) = findings(&spec);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["zguarded seconded"],
        "{out}"
    );
    assert!(
        out.contains("rule `zunguarded` was stopped") && !out.contains("rule `zguarded` was"),
        "{out}"
    );
}

/// A check over funding shares whose filter asks something of the funder
/// (`f.org.until != none`) asks it of each org, and then only the shares of the orgs it
/// holds of — none at all when it holds of none — finding what the unguarded check finds.
#[test]
fn a_guarded_filter_over_shares_finds_what_an_unguarded_one_does() {
    let mut spec = String::from(
        "org x \"X\" { kind council; tiers 9 }\n\
         org y \"Y\" { kind nhs; tiers 9; until 2026-03-31 }\n\
         org z \"Z\" { kind council; tiers 9; until tbd }\n\
         post a \"A\" { employer x; tier 5; funded x 50%, y 50% }\n\
         post b \"B\" { employer y; tier 5 }\n\
         post c \"C\" { employer x; tier 5; funded x 40%, z 60% }\n\
         post d \"D\" { employer tbd; tier 5 }\n\
         post e \"E\" { employer x; tier 5 }\n",
    );
    let conditions = [
        "f.org.until != none",
        "f.org.until == none",
        "f.org.kind == nhs",
        "f.org.kind != nhs",
        "f.org.until < 2026-06-01",
        "f.org.name == \"z\"",
    ];
    for (i, c) in conditions.iter().enumerate() {
        write!(
            spec,
            "rule zg{i} \"G\" {{\n  severity warning\n  for f in shares where {c} and f.post.tier > 0\n  require false\n  message \"post {{f.post.name}} {{f.org.name}}\"\n}}\n\
             rule zu{i} \"U\" {{\n  severity warning\n  for f in shares where ({c} or f.post.tier < 0)\n  require false\n  message \"post {{f.post.name}} {{f.org.name}}\"\n}}\n"
        )
        .expect("a string takes any text");
    }
    let (guarded, unguarded, out) = both_ways(&spec);
    assert_eq!(guarded, unguarded, "{out}");
    // seven shares: each condition holds of some and not all
    for (i, condition) in conditions.iter().enumerate() {
        let n = guarded
            .iter()
            .filter(|f| f.starts_with(&format!("{i} ")))
            .count();
        assert!(
            (1..7).contains(&n),
            "condition {condition}: {n} shares: {out}"
        );
    }
}

/// `span_of_control` asks only line managers (`count(p.direct_reports) > 0 or limit < 0`):
/// a post with no reports is within any limit but a negative one, and with a negative
/// limit every post is asked and found over it, as before.
#[test]
fn span_of_control_asks_every_post_when_its_limit_is_negative() {
    let spec = "org x \"X\" { kind council; tiers 9 }\n\
                post head \"Head\" { employer x; tier 1 }\n\
                post a \"A\" { employer x; tier 2; reports_to head }\n\
                post b \"B\" { employer x; tier 2; reports_to head }\n";
    let spans = |toml: &str| {
        let dir = dir_with(&[
            ("a.org", spec.as_bytes()),
            ("orgspec.toml", toml.as_bytes()),
        ]);
        let o = orgspec(dir.path(), &["check", "--format", "json", "a.org"]);
        let json: serde_json::Value = serde_json::from_str(&text(&o.stdout)).expect("JSON");
        let mut messages: Vec<String> = json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["rule"] == "span_of_control")
            .map(|d| d["message"].as_str().unwrap_or_default().to_string())
            .collect();
        messages.sort();
        messages
    };
    assert_eq!(
        spans("[rules.span_of_control]\nlimit = -1\n"),
        [
            "A (`a`) would line-manage 0 posts (limit -1)",
            "B (`b`) would line-manage 0 posts (limit -1)",
            "Head (`head`) would line-manage 2 posts (limit -1)",
        ]
    );
    assert_eq!(
        spans("[rules.span_of_control]\nlimit = 1\n"),
        ["Head (`head`) would line-manage 2 posts (limit 1)"]
    );
    assert!(spans("").is_empty());
}
