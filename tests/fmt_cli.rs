//! `orgspec fmt`, tested by running the binary: what it writes, what it refuses, and that a
//! file it cannot format is left exactly as it was.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const MESSY: &str = "org sbc \"Stockton-on-Tees Borough Council\" {kind council;tiers 6}\n\n\n\npost director \"Corporate Director\" {employer sbc; tier 1\n      // the head of the service\n  }\n";
const TIDY: &str = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }\n\npost director \"Corporate Director\" {\n  employer sbc\n  tier 1\n  // the head of the service\n}\n";

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

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("orgspec-fmt"))
        .collect()
}

#[test]
fn fmt_rewrites_then_finds_nothing_to_do() {
    let dir = dir_with(&[("a.org", MESSY.as_bytes()), ("b.org", TIDY.as_bytes())]);
    let o = orgspec(dir.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stderr),
        "1 file reformatted, 1 file already formatted\n"
    );
    assert_eq!(text(&read(dir.path(), "a.org")), TIDY);
    assert!(leftovers(dir.path()).is_empty());

    let again = orgspec(dir.path(), &["fmt", "--check"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(text(&again.stderr), "2 files already formatted\n");
}

#[test]
fn check_lists_and_changes_nothing() {
    let dir = dir_with(&[("a.org", MESSY.as_bytes())]);
    let o = orgspec(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout), "would reformat `a.org`\n");
    assert_eq!(text(&o.stderr), "1 file would be reformatted\n");
    assert_eq!(read(dir.path(), "a.org"), MESSY.as_bytes());
}

#[test]
fn diff_is_a_unified_diff() {
    let dir = dir_with(&[("a.org", MESSY.as_bytes())]);
    let o = orgspec(dir.path(), &["fmt", "--diff", "a.org"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(text(&o.stdout));
    assert_eq!(read(dir.path(), "a.org"), MESSY.as_bytes());
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_untouched() {
    let broken = b"post director \"Corporate Director\" {\n  employer sbc\n  tier 1\n\npost x \"X\" { tier [ }\n";
    let dir = dir_with(&[("broken.org", broken), ("a.org", MESSY.as_bytes())]);
    let o = orgspec(dir.path(), &["fmt", "."]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(text(&o.stderr));
    assert_eq!(read(dir.path(), "broken.org"), broken);
    // the other file is still formatted
    assert_eq!(text(&read(dir.path(), "a.org")), TIDY);
}

/// What `check` reports as a `syntax_error` while reading the items — not only what the
/// parser rejects — makes `fmt` leave the whole file byte for byte, and say why.
#[test]
fn a_file_check_calls_a_syntax_error_is_left_byte_for_byte() {
    for item in [
        "post \"Q\" { employer sbc; tier 1 }",
        "pots q \"Q\" { employer sbc; tier 1 }",
        "use 5",
        "slot p",
        "timeline t {\n  agreed 2012-01-01\n}",
        "post q = \"Q\"",
        "@allo(tier_gap, \"x\")\npost q \"Q\" { employer sbc; tier 1 }",
    ] {
        let file = format!("org  sbc \"S\" {{   kind council; tiers 6 }}\n{item}\n");
        let dir = dir_with(&[("a.org", file.as_bytes())]);
        let check = orgspec(dir.path(), &["check", "a.org", "--format", "short"]);
        assert!(
            text(&check.stdout).contains("error[syntax_error]"),
            "{item}: check calls it a syntax error"
        );
        let o = orgspec(dir.path(), &["fmt", "a.org"]);
        assert_eq!(o.status.code(), Some(1), "{item}");
        assert_eq!(
            text(&read(dir.path(), "a.org")),
            file,
            "{item}: the file is untouched"
        );
        assert!(
            text(&o.stderr).contains("`a.org` was not formatted: fix the syntax error above first"),
            "{item}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn binary_and_non_utf8_files_are_refused() {
    let dir = dir_with(&[
        ("binary.org", b"PK\x03\x04\x00\x00"),
        ("latin1.org", b"org sbc \"Caf\xe9\"\n"),
        ("empty.org", b""),
    ]);
    let o = orgspec(dir.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("this file is not text"), "{err}");
    assert!(err.contains("this file is not UTF-8 text"), "{err}");
    assert!(err.contains("this file is empty"), "{err}");
    assert!(err.ends_with("3 files not formatted\n"), "{err}");
    assert_eq!(read(dir.path(), "binary.org"), b"PK\x03\x04\x00\x00");
    assert_eq!(read(dir.path(), "latin1.org"), b"org sbc \"Caf\xe9\"\n");
}

#[test]
fn byte_order_mark_and_crlf_are_kept() {
    let dir = dir_with(&[(
        "a.org",
        b"\xEF\xBB\xBForg sbc \"S\" {kind council}\r\norg x \"X\"\r\n",
    )]);
    let o = orgspec(dir.path(), &["fmt", "a.org"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        read(dir.path(), "a.org"),
        b"\xEF\xBB\xBForg sbc \"S\" { kind council }\r\norg x \"X\"\r\n"
    );
    // whatever the first line holds: a comment first kept every CR only by chance before
    let dir = dir_with(&[(
        "b.org",
        b"// the council\r\norg sbc \"S\" {kind council}\r\norg x \"X\"\r\n",
    )]);
    let o = orgspec(dir.path(), &["fmt", "b.org"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        read(dir.path(), "b.org"),
        b"// the council\r\norg sbc \"S\" { kind council }\r\norg x \"X\"\r\n"
    );
}

#[cfg(unix)]
#[test]
fn permissions_and_symbolic_links_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&[("a.org", MESSY.as_bytes())]);
    let file = dir.path().join("a.org");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("a.org", dir.path().join("link.org")).unwrap();
    let o = orgspec(dir.path(), &["fmt", "link.org"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(std::fs::symlink_metadata(dir.path().join("link.org"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(text(&read(dir.path(), "a.org")), TIDY);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn standard_input_to_standard_output() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(MESSY.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), TIDY);
    assert_eq!(text(&o.stderr), "");
}

#[test]
fn a_missing_path_fails() {
    let dir = dir_with(&[]);
    let o = orgspec(dir.path(), &["fmt", "nowhere.org"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("`nowhere.org` does not exist"));
}

/// A rule statement the parser could not read keeps a bracket open or holds a character
/// the language has no place for: the checker reports the statement, and `fmt` says why it
/// will not lay the file out.
#[test]
fn what_only_fmt_refuses_is_explained() {
    let dir = dir_with(&[
        (
            "bracket.org",
            b"rule r \"R\" {\n  s[everity warning\n  require true\n  message \"m\"\n}\n",
        ),
        (
            "stray.org",
            b"rule r \"R\" {\n  sevrity ~ warning\n  require true\n  message \"m\"\n}\n",
        ),
    ]);
    let o = orgspec(dir.path(), &["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(text(&o.stderr));
}
