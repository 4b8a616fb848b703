//! `--format sarif`, `github` and `junit`, by running the binary: SARIF validates against
//! the SARIF 2.1.0 schema and keeps its fingerprints when lines move; GitHub annotations
//! point at the same lines as the short format; JUnit is well-formed XML with the right
//! counts.

use std::path::Path;
use std::process::Command;

const SPEC: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
org ntpct "North Tees Primary Care Trust" { kind nhs; tiers 7 }
post director "Corporate Director" { employer sbc; tier 1 }
post head_ops "Head of Operations" {
  employer sbc
  tier 2
  reports_to directr
  funded sbc 50%, ntpct 40%
}
post team_manager "Team Manager" { employer sbc; tier 4; reports_to head_ops }
"#;

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run orgspec");
    (
        o.status.code().expect("exited"),
        String::from_utf8(o.stdout).expect("UTF-8 output"),
    )
}

fn spec_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("restructure.org"), text).unwrap();
    dir
}

fn sarif_schema() -> jsonschema::Validator {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // every rule fixture and the seeds: all kinds of finding, labels and fixes
    let (code, out) = run(
        root,
        &["--format", "sarif", "tests/fixtures/rules", "specs"],
    );
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 100);
    assert!(results.iter().any(|r| r["fixes"].is_array()));
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()));
    // each result's rule is described, with its documentation as help
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
    }
    // a readable name distinct from the id, ignoring case (the SARIF multitool warns
    // otherwise)
    for rule in rules {
        assert!(
            !rule["name"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(rule["id"].as_str().unwrap()),
            "{rule}"
        );
        assert!(rule["name"]
            .as_str()
            .unwrap()
            .starts_with(char::is_uppercase));
    }
    let funding = rules.iter().find(|r| r["id"] == "funding_sum").unwrap();
    assert_eq!(funding["name"], "FundingSum");
    let undecided = rules.iter().find(|r| r["id"] == "undecided").unwrap();
    assert_eq!(undecided["name"], "UndecidedRule");
    assert!(funding["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## How to fix"));
    // fingerprints are unique within the run
    let mut prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["orgspec/item/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    let n = prints.len();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), n, "duplicate fingerprints");

    // the schema does reject a broken log
    let mut wrong = log.clone();
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn sarif_snapshot() {
    let dir = spec_dir(SPEC);
    let (code, out) = run(dir.path(), &["--format", "sarif", "restructure.org"]);
    assert_eq!(code, 1);
    let mut log: serde_json::Value = serde_json::from_str(&out).unwrap();
    // the rule descriptions are the catalogue's (tested above): keep the snapshot to results
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .len();
    assert!(rules > 50);
    log["runs"][0]["tool"]["driver"]["rules"] = format!("{rules} rules").into();
    log["runs"][0]["tool"]["driver"]["version"] = "VERSION".into();
    log["runs"][0]["tool"]["driver"]["semanticVersion"] = "VERSION".into();
    insta::assert_json_snapshot!(log);
}

fn fingerprints(out: &str) -> Vec<(String, u64)> {
    let log: serde_json::Value = serde_json::from_str(out).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["partialFingerprints"]["orgspec/item/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_follow_items_not_lines() {
    let before = spec_dir(SPEC);
    let moved = spec_dir(&format!(
        "// a new comment\n\n/// and a new post above them all\npost deputy \"Deputy\" {{ employer sbc; tier 1 }}\n{SPEC}"
    ));
    let (_, a) = run(before.path(), &["--format", "sarif", "restructure.org"]);
    let (_, b) = run(moved.path(), &["--format", "sarif", "restructure.org"]);
    let (a, b) = (fingerprints(&a), fingerprints(&b));
    assert!(!a.is_empty());
    for (print, line) in &a {
        let (_, new_line) = b
            .iter()
            .find(|(p, _)| p == print)
            .unwrap_or_else(|| panic!("{print} lost after lines moved"));
        assert_eq!(*new_line, line + 4, "{print}");
    }
}

/// A post written a field a line, as most are, is read only when it is lowered (its
/// place found by the line scan): its findings are tied to it all the same, by its
/// keyword and id, not by their message.
#[test]
fn sarif_fingerprints_name_a_post_read_when_lowered() {
    let dir = spec_dir(
        "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }\n\
         post director \"Corporate Director\" { employer sbc; tier 1 }\n\n\
         post nurse \"Nurse\" {\n  employer sbc\n  tier 9\n  reports_to director\n}\n",
    );
    let (code, out) = run(dir.path(), &["--format", "sarif", "restructure.org"]);
    assert_eq!(code, 1);
    let prints = fingerprints(&out);
    assert!(
        prints
            .iter()
            .any(|(p, _)| p == "restructure.org:tier_out_of_range:post:nurse:1"),
        "{prints:?}"
    );
    for (print, line) in &prints {
        assert!(print.contains(":post:nurse:"), "{print} at line {line}");
    }
}

#[test]
fn github_annotations_point_at_the_lines_of_the_findings() {
    let dir = spec_dir(SPEC);
    let (code, out) = run(dir.path(), &["--format", "github", "restructure.org"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
    let (_, short) = run(dir.path(), &["--format", "short", "restructure.org"]);
    let short_places: Vec<String> = short
        .lines()
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect();
    let github_places: Vec<String> = out
        .lines()
        .map(|l| {
            // `::error file=…,line=…::message`
            let command = l.split("::").nth(1).unwrap();
            let props = command.split_once(' ').unwrap().1;
            let get = |k: &str| {
                props
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{k}=")))
                    .unwrap()
                    .to_string()
            };
            format!("{}:{}:{}", get("file"), get("line"), get("col"))
        })
        .collect();
    assert_eq!(github_places, short_places);
    // one workflow command per line: no raw line breaks inside a message
    assert_eq!(out.lines().count(), short.lines().count());
}

#[test]
fn junit_is_well_formed_with_one_case_per_finding() {
    let dir = spec_dir(SPEC);
    std::fs::write(
        dir.path().join("clean.org"),
        "org sbc \"S\" { kind council; tiers 6 }\npost d \"D & <E>\" { employer sbc; tier 1 }\n",
    )
    .unwrap();
    let (code, out) = run(dir.path(), &["--format", "junit", "."]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(roxmltree::Node::is_element)
        .collect();
    assert_eq!(suites.len(), 2);
    let (_, short) = run(dir.path(), &["--format", "short", "."]);
    let errors_and_warnings = short
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .count();
    assert_eq!(
        root.attribute("failures").unwrap(),
        errors_and_warnings.to_string()
    );
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, errors_and_warnings);

    // cases are named by rule and item, not line: an edit that moves every line keeps
    // every name, so CI does not show each finding as fixed and new again
    let names = |xml: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut names: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .map(|n| n.attribute("name").unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    let before = names(&out);
    let moved = format!("// a new first line\n\n{SPEC}");
    std::fs::write(dir.path().join("restructure.org"), moved).unwrap();
    let (_, out) = run(dir.path(), &["--format", "junit", "."]);
    assert_eq!(names(&out), before);
    assert!(
        before.iter().any(|n| n == "tier_gap: post team_manager"),
        "{before:?}"
    );
}

/// A file named by an absolute path is a `file://` URI with no `uriBaseId` (a base is only
/// for a relative reference, SARIF §3.4.4; the multitool's SARIF1004); a relative path is
/// relative to `%SRCROOT%`.
#[test]
fn sarif_locations_are_relative_to_the_source_root_or_absolute_without_a_base() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let absolute = root.join("specs/001-stockton-isa-report-1");
    for (path, absolute) in [
        (absolute.to_str().unwrap(), true),
        ("specs/001-stockton-isa-report-1", false),
    ] {
        let (_, out) = run(root, &["--format", "sarif", path]);
        let log: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut seen = 0;
        let mut walk = vec![&log];
        while let Some(v) = walk.pop() {
            if let Some(location) = v.get("artifactLocation") {
                seen += 1;
                let uri = location["uri"].as_str().unwrap();
                assert_eq!(uri.starts_with("file:///"), absolute, "{location}");
                assert_eq!(location.get("uriBaseId").is_some(), !absolute, "{location}");
            }
            match v {
                serde_json::Value::Array(a) => walk.extend(a),
                serde_json::Value::Object(o) => walk.extend(o.values()),
                _ => {}
            }
        }
        assert!(seen > 10, "{seen}");
    }
}
