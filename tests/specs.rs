//! The shipped specs: the seed papers check with exactly the findings the closing notes
//! explain (snapshotted), and the teaching examples check clean.

use std::path::Path;
use std::process::Command;

fn check(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(["check", "--format", "short"])
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn seed_specs_findings() {
    let (code, out) = check(&["specs"]);
    assert_eq!(code, 1, "the seeds contain real errors");
    assert!(
        !out.contains("syntax_error")
            && !out.contains("unknown_")
            && !out.contains("type_mismatch"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn teaching_examples_check_clean() {
    assert_eq!(check(&["specs/examples"]), (0, String::new()));
}
