//! `orgspec fmt`, tested by running the binary: what it writes, what it refuses, and that a
//! file it cannot format is left exactly as it was.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const MESSY: &str = "org sbc \"Stockton-on-Tees Borough Council\" {kind council;tiers 6}\n\n\n\npost director \"Corporate Director\" {employer sbc; tier 1\n      // the head of the service\n  }\n";
const TIDY: &str = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }\n\npost director \"Corporate Director\" {\n  employer sbc\n  tier 1\n  // the head of the service\n}\n";

#[path = "common/cli.rs"]
mod cli;

use cli::{dir_with, orgspec, text};

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

/// `fmt` run as a user who is not root: as `nobody` when the tests run as root, as the
/// tests' own user otherwise.
#[cfg(unix)]
mod as_a_user {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;

    const NOBODY: u32 = 65534;

    fn running_as_root(dir: &Path) -> bool {
        let probe = dir.join(".probe");
        std::fs::write(&probe, b"").unwrap();
        let root = std::fs::metadata(&probe).unwrap().uid() == 0;
        std::fs::remove_file(probe).unwrap();
        root
    }

    /// The binary, where `nobody` may run it: where cargo built it if every folder above
    /// it may be searched by others, else a copy in `dir`.
    fn reachable_binary(dir: &Path) -> std::path::PathBuf {
        let built = Path::new(env!("CARGO_BIN_EXE_orgspec"));
        let open = built
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .all(|a| std::fs::metadata(a).is_ok_and(|m| m.mode() & 0o001 != 0));
        if open {
            return built.to_path_buf();
        }
        let copy = dir.join("orgspec");
        std::fs::copy(built, &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        copy
    }

    /// A folder anyone may write, holding `a.org` (untidy) with `mode`, and the user to run
    /// `fmt` as (`None`: the tests' own).
    fn setup(mode: u32) -> (tempfile::TempDir, Option<u32>) {
        let dir = dir_with(&[("a.org", MESSY.as_bytes())]);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let file = dir.path().join("a.org");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let user = running_as_root(dir.path()).then_some(NOBODY);
        (dir, user)
    }

    fn fmt_as(user: Option<u32>, dir: &Path, binary: &Path) -> Output {
        let mut command = Command::new(binary);
        command
            .args(["fmt", "a.org"])
            .current_dir(dir)
            .env("NO_COLOR", "1");
        if let Some(uid) = user {
            command.uid(uid).gid(uid);
        }
        command.output().expect("run orgspec")
    }

    #[test]
    fn a_read_only_file_is_refused_and_untouched() {
        let (dir, user) = setup(0o444);
        let binary = reachable_binary(dir.path());
        let before = std::fs::metadata(dir.path().join("a.org")).unwrap();
        let o = fmt_as(user, dir.path(), &binary);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("`a.org` was not formatted: it is read-only"),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(text(&read(dir.path(), "a.org")), MESSY);
        let after = std::fs::metadata(dir.path().join("a.org")).unwrap();
        assert_eq!((after.ino(), after.uid()), (before.ino(), before.uid()));
        assert!(leftovers(dir.path()).is_empty());
    }

    /// A file its user may not write, in a folder they may: renaming over it would
    /// replace another user's file with one of their own.
    #[test]
    fn a_file_the_user_may_not_write_is_refused_even_in_a_folder_they_may() {
        let (dir, user) = setup(0o644);
        let Some(uid) = user else {
            // Only root can give the test a file owned by somebody else.
            eprintln!("skipped: needs root to make a file another user owns");
            return;
        };
        let binary = reachable_binary(dir.path());
        let o = fmt_as(Some(uid), dir.path(), &binary);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("`a.org` was not formatted: you may not write it"),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(text(&read(dir.path(), "a.org")), MESSY);
        assert_eq!(
            std::fs::metadata(dir.path().join("a.org")).unwrap().uid(),
            0
        );
        assert!(leftovers(dir.path()).is_empty());
    }

    /// Root formatting another user's file leaves it theirs.
    #[test]
    fn the_owner_and_group_are_kept() {
        let (dir, user) = setup(0o664);
        let file = dir.path().join("a.org");
        let Some(uid) = user else {
            eprintln!("skipped: needs root to make a file another user owns");
            return;
        };
        std::os::unix::fs::chown(&file, Some(uid), Some(uid)).unwrap();
        let o = orgspec(dir.path(), &["fmt", "a.org"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert_eq!(text(&read(dir.path(), "a.org")), TIDY);
        let m = std::fs::metadata(&file).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o777), (uid, uid, 0o664));
    }

    #[test]
    fn a_hard_linked_file_is_formatted_under_both_names() {
        let (dir, user) = setup(0o666);
        std::fs::hard_link(dir.path().join("a.org"), dir.path().join("b.org")).unwrap();
        let binary = reachable_binary(dir.path());
        let o = fmt_as(user, dir.path(), &binary);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert_eq!(text(&read(dir.path(), "b.org")), TIDY);
        let (a, b) = (
            std::fs::metadata(dir.path().join("a.org")).unwrap(),
            std::fs::metadata(dir.path().join("b.org")).unwrap(),
        );
        assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    }
}
