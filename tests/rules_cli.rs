//! `orgspec rules` and `orgspec explain`, run as a user would.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

fn orgspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .output()
        .unwrap()
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
