//! `orgspec diff OLD NEW`, run as a user would.

use std::path::Path;
use std::process::{Command, Output};

fn orgspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

const OLD: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Director of Children's Services" { employer sbc; tier 1 }
post head_ops "Head of Operations" { employer sbc; tier 2; reports_to director }
post team_manager "Team Manager" { employer sbc; tier 3; reports_to head_ops; count 5 }
deleted post old_lead "Old Lead" { employer sbc; tier 3; reports_to head_ops; reason redeployment }
post worker "Worker" { employer sbc; tier 5; reports_to head_ops }
"#;

#[test]
fn diff_lists_posts_and_findings_and_fails_on_new_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("old.org"), OLD).unwrap();
    // the team shrinks (a holder with no outcome: a new error), the old lead is dropped from the paper, a new post is added, the
    // worker's tier is corrected (a finding fixed) and a line manager is misspelt (an error)
    let new = OLD
        .replace("count 5 }", "count 5 -> 4 }")
        .replace("deleted post old_lead \"Old Lead\" { employer sbc; tier 3; reports_to head_ops; reason redeployment }\n", "")
        .replace("tier 5; reports_to head_ops", "tier 3; reports_to head_ops")
        + "new post coordinator \"Locality Co-ordinator\" { employer sbc; tier 3; reports_to head_opps; recruit external }\n";
    std::fs::write(d.join("new.org"), new).unwrap();

    let o = orgspec(d, &["diff", "old.org", "new.org"]);
    assert_eq!(o.status.code(), Some(1), "a new error fails the run");
    let out = String::from_utf8(o.stdout).unwrap();
    for expected in [
        "posts: 1 added, 1 removed, 2 changed",
        "  + Locality Co-ordinator (`coordinator`)",
        "  - Old Lead (`old_lead`)",
        "  ~ Team Manager (`team_manager`)",
        "      after count: 5 → 4",
        "      after outcome: continues → changed",
        "  ~ Worker (`worker`)",
        "      before tier: 5 → 3",
        "findings: 2 new, 1 fixed, 0 still there",
        "  new    error[unknown_name]: unknown post `head_opps`",
        "  new    error[unplaced_holder]: Team Manager (`team_manager`) loses 1 holder to the restructure",
        "  fixed  warning[tier_gap]: Worker (`worker`), at tier 5, reports to Head of Operations (`head_ops`), at tier 2, skipping 2 tiers",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }

    let o = orgspec(d, &["diff", "old.org", "new.org", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["added"][0]["id"], "coordinator");
    assert_eq!(doc["removed"][0]["id"], "old_lead");
    assert_eq!(doc["new_findings"][0]["rule"], "unknown_name");
    assert_eq!(doc["fixed_findings"][0]["rule"], "tier_gap");

    // no new error: exit 0, even with findings still there
    let o = orgspec(d, &["diff", "old.org", "old.org"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("posts: 0 added, 0 removed, 0 changed"));
    let o = orgspec(d, &["diff", "old.org", "missing.org"]);
    assert_eq!(o.status.code(), Some(2));
}
