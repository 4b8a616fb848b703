//! `orgspec rules` and `orgspec explain`, run as a user would.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// Run in a folder with no specs: the catalogue alone.
fn orgspec(args: &[&str]) -> Output {
    let empty = tempfile::tempdir().unwrap();
    orgspec_in(empty.path(), args)
}

fn orgspec_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

const LOCAL: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post ce "Chief Executive" { employer sbc; tier 1 }

/// Teams stay under nineteen FTE, the threshold the council's managing-change policy
/// sets for a second manager.
rule nineteen_fte "Teams stay under nineteen FTE" {
  severity warning
  for p in posts
  require count(p.direct_reports) < 19
  message "{p.label} line-manages {count(p.direct_reports)} posts"
  at p "{count(p.direct_reports)} reports"
}
"#;

#[test]
fn rules_and_explain_know_the_projects_own_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.org"), LOCAL).unwrap();
    // in the folder that defines it
    let o = orgspec_in(dir.path(), &["explain", "nineteen_fte"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("# nineteen_fte (local)\n"), "{text}");
    assert!(
        text.contains("warning · Teams stay under nineteen FTE"),
        "{text}"
    );
    assert!(text.contains("Defined in `policy.org:6`"), "{text}");
    assert!(
        text.contains("the threshold the council's managing-change policy"),
        "{text}"
    );
    assert!(
        text.contains("require count(p.direct_reports) < 19"),
        "{text}"
    );
    // a near miss is suggested among local ids too
    let o = orgspec_in(dir.path(), &["explain", "nineteen_ft"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `nineteen_fte`?"));
    // the table marks it local, after the catalogue
    let o = orgspec_in(dir.path(), &["rules"]);
    let table = String::from_utf8(o.stdout).unwrap();
    let local = table.find("Local rules").expect(&table);
    assert!(
        table[local..]
            .contains("nineteen_fte  warning  Teams stay under nineteen FTE (policy.org:6)"),
        "{table}"
    );
    // JSON, for tools
    let o = orgspec_in(dir.path(), &["rules", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rule = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "nineteen_fte")
        .expect("listed");
    assert_eq!(rule["local"], true);
    assert_eq!(rule["severity"], "warning");
    // from elsewhere, by path
    let o = orgspec(&["explain", "nineteen_fte", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    // without it, no such rule
    let o = orgspec(&["explain", "nineteen_fte"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The rule ids of the catalogue: the first column of the table in `docs/rules.md`, the
/// reference users and tools read (normative: tests outside the project look for these ids;
/// `tests/docs.rs` keeps the file in step with the code, so renaming a rule shows there).
fn catalogue() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let text = std::fs::read_to_string(&path).expect("docs/rules.md");
    let ids: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| [`"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id.to_string()))
        .collect();
    assert!(
        ids.len() >= 50,
        "the catalogue table of docs/rules.md: {ids:?}"
    );
    ids
}

#[test]
fn rules_json_lists_every_catalogue_id_once() {
    let o = orgspec(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let rules = doc["rules"].as_array().unwrap();
    let ids: Vec<String> = rules
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "an id listed twice");
    assert_eq!(unique, catalogue());
    let funding = rules.iter().find(|r| r["id"] == "funding_sum").unwrap();
    assert_eq!(funding["severity"], "error");
    assert_eq!(funding["checked"], true);
}

#[test]
fn rules_lists_a_table_by_category() {
    let o = orgspec(&["rules"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.starts_with("Language integrity\n  syntax_error "),
        "{out}"
    );
    assert!(out.contains("\nTier alignment\n"), "{out}");
    // every rule of the catalogue is checked: in Rust, or in the standard library
    assert!(
        out.contains("\n  joint_accountability ") && out.contains("\n  hr1_notice "),
        "{out}"
    );
    assert!(!out.contains("(not checked"), "{out}");
}

#[test]
fn every_rule_can_be_explained() {
    for id in catalogue() {
        let o = orgspec(&["explain", &id]);
        assert_eq!(o.status.code(), Some(0), "{id}");
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(out.starts_with(&format!("# {id}\n")), "{out}");
    }
    insta::assert_snapshot!(
        String::from_utf8(orgspec(&["explain", "funding_sum"]).stdout).unwrap()
    );
}

#[test]
fn explaining_an_unknown_rule_suggests_the_closest() {
    let o = orgspec(&["explain", "teir_gap"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: there is no rule `teir_gap`: did you mean `tier_gap`?\n"
    );
}

/// `check --timings` lists each rule that ran with its time, the slowest first: the
/// built-in rules and the project's own; a rule switched off is not listed.
#[test]
fn timings_list_each_rules_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.org"), LOCAL).unwrap();
    std::fs::write(
        dir.path().join("orgspec.toml"),
        "[rules.tier_gap]\nseverity = \"off\"\n",
    )
    .unwrap();
    let o = orgspec_in(dir.path(), &["check", "--timings", "policy.org"]);
    let stderr = String::from_utf8(o.stderr).unwrap();
    let mut lines = stderr.lines();
    assert!(
        lines.next().unwrap().starts_with("timings: read+parse "),
        "{stderr}"
    );
    let heading = lines.next().unwrap();
    assert!(
        heading.starts_with("rules: ") && heading.ends_with("side by side (the slowest first):"),
        "{stderr}"
    );
    let rows: Vec<(f64, &str)> = lines
        .map(|l| {
            let (secs, rule) = l.trim().split_once("s  ").expect(l);
            (secs.parse().expect(l), rule)
        })
        .collect();
    let ran: BTreeSet<&str> = rows.iter().map(|&(_, r)| r).collect();
    assert_eq!(ran.len(), rows.len(), "each rule once: {stderr}");
    assert!(ran.contains("nineteen_fte"), "{stderr}");
    assert!(
        ran.contains("funding_sum") && ran.contains("reports_to_cycle"),
        "{stderr}"
    );
    assert!(!ran.contains("tier_gap"), "switched off: {stderr}");
    assert!(
        rows.windows(2).all(|w| w[0].0 >= w[1].0),
        "the slowest first: {stderr}"
    );
}
