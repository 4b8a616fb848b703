//! Hostile input, each case a few lines that once broke orgspec (a crash, a hang, unbounded
//! time or memory, forged output, a wrong answer), run through the binary: each must now be
//! a clear diagnostic, or nothing, with exit code 0, 1 or 2.

use std::path::Path;
use std::process::{Command, Output};

fn orgspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run orgspec")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    dir
}

/// Exited on its own with 0, 1 or 2 (not a panic's 101, not a signal).
fn assert_clean_exit(o: &Output, what: &str) {
    assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{what}: {:?}\n{}",
        o.status,
        text(&o.stderr)
    );
    assert!(
        !text(&o.stderr).contains("panicked"),
        "{what}: {}",
        text(&o.stderr)
    );
}

/// A comment may stand wherever a rule's expression may break a line: after `(`, an
/// operator, `in`, `not`. It once reached pest's Pratt parser as an operand (a panic).
#[test]
fn comments_inside_rule_expressions() {
    let cases = [
        "rule a \"A\" {\n  require ( // c\n  1) > 0\n}\n",
        "rule a{ for p in//\nr}",
        "rule b \"B\" {\n  for p in posts // every post\n  where p.tier > // deep\n    2\n  require p.tier < 9 and // and\n    not // neg\n    (p.tier == // eq\n    3)\n  message \"x\"\n}\n",
        "rule c \"C\" {\n  require any q in // c\n    posts : // c\n    q.tier > 0\n  message \"{count( // c\n posts)}\"\n}\n",
    ];
    for case in cases {
        let dir = dir_with(&[("a.org", case)]);
        let findings = || {
            let o = orgspec(dir.path(), &["check", "--format", "short", "a.org"]);
            assert_clean_exit(&o, case);
            // what was found, wherever the formatter moved it
            let mut found: Vec<String> = text(&o.stdout)
                .lines()
                .map(|l| l.splitn(4, ':').nth(3).unwrap_or(l).to_string())
                .collect();
            found.sort();
            found
        };
        let before = findings();
        let fmt = orgspec(dir.path(), &["fmt", "a.org"]);
        assert_clean_exit(&fmt, case);
        assert_eq!(before, findings(), "{case}");
    }
}
