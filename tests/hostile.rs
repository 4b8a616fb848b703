//! Hostile input, each case a few lines that once broke orgspec (a crash, a hang, unbounded
//! time or memory, forged output, a wrong answer), run through the binary: each must now be
//! a clear diagnostic, or nothing, with exit code 0, 1 or 2.

use std::fmt::Write as _;
use std::process::{Command, Output};

#[path = "common/cli.rs"]
mod cli;

use cli::{dir_with, orgspec, orgspec_within, text};

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
        let dir = dir_with(&[("a.org", case.as_bytes())]);
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

/// Whether a file outside the project exists is not for a spec to find out: `use` of a path
/// outside gives the same finding either way.
#[test]
fn a_use_outside_the_project_does_not_say_whether_the_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("specs")).unwrap();
    std::fs::create_dir_all(dir.path().join("outside")).unwrap();
    std::fs::write(
        dir.path().join("outside/exists.org"),
        "org x \"X\" { kind council }\n",
    )
    .unwrap();
    std::fs::write(project.join("orgspec.toml"), "").unwrap();
    let answer = |target: &str| {
        std::fs::write(
            project.join("specs/a.org"),
            format!("use \"{target}\"\norg a \"A\" {{ kind council }}\n"),
        )
        .unwrap();
        let o = orgspec(&project, &["check", "--format", "short", "specs/a.org"]);
        assert_clean_exit(&o, target);
        text(&o.stdout).replace(target, "TARGET")
    };
    let exists = answer("../../outside/exists.org");
    assert!(exists.contains("is outside the project"), "{exists}");
    assert_eq!(exists, answer("../../outside/missing.org"));
}

/// A chain of `use` thousands of files long is loaded without recursion.
#[test]
fn a_long_chain_of_use() {
    let dir = tempfile::tempdir().unwrap();
    let n = 5_000;
    for i in 0..n {
        let next = if i + 1 < n {
            format!("use \"f{}.org\"\n", i + 1)
        } else {
            String::new()
        };
        std::fs::write(
            dir.path().join(format!("f{i}.org")),
            format!("{next}org o{i} \"O{i}\" {{ kind council }}\n"),
        )
        .unwrap();
    }
    let o = orgspec(dir.path(), &["check", "--format", "short", "f0.org"]);
    assert_clean_exit(&o, "a chain of use");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

/// Thousands of chained operators or nested quantifiers in a rule: a syntax error at the
/// one over the limit, never a stack overflow; at the limit, the rule runs.
#[test]
fn deep_rule_expressions() {
    let spec = |body: &str| {
        format!("org x \"X\" {{ kind council }}\npost p \"P\" {{ employer x; tier 1 }}\nrule a \"A\" {{\n  {body}\n  message \"x\"\n}}\n")
    };
    let huge = 50_000;
    let cases = [
        ("not", format!("require {}true", "not ".repeat(huge))),
        (
            "and",
            format!("require {}", vec!["true"; huge].join(" and ")),
        ),
        ("+", format!("require {} > 0", vec!["1"; huge].join(" + "))),
        ("unary -", format!("require {}1 < 0", "-".repeat(huge))),
        (
            ".field",
            format!("for p in posts\n  require p{} > 0", ".tier".repeat(huge)),
        ),
        (
            "any",
            format!("require {}true", "any q in posts : ".repeat(huge)),
        ),
        (
            "{…}",
            format!(
                "require true\n  message \"{{{}true}}\"",
                "not ".repeat(huge)
            ),
        ),
        (
            "{….field}",
            format!(
                "for p in posts\n  require p.tier > 5\n  message \"{{p{}}}\"",
                ".reports_to".repeat(huge)
            ),
        ),
    ];
    for (what, body) in cases {
        let dir = dir_with(&[("a.org", spec(&body).as_bytes())]);
        let o = orgspec(dir.path(), &["check", "--format", "short", "a.org"]);
        assert_clean_exit(&o, what);
        assert_eq!(o.status.code(), Some(1), "{what}");
        assert!(
            text(&o.stdout).contains("error[syntax_error]: more than"),
            "{what}: {}",
            text(&o.stdout)
        );
    }
    // at the limits, the rules are read and run
    let at_limit = [
        format!(
            "require {}true",
            "not ".repeat(orgspec::syntax::limits::MAX_OPERATORS)
        ),
        format!(
            "require {}true",
            "any q in posts : ".repeat(orgspec::syntax::limits::MAX_QUANTIFIERS)
        ),
    ];
    for body in at_limit {
        let dir = dir_with(&[("a.org", spec(&body).as_bytes())]);
        let o = orgspec(dir.path(), &["check", "--format", "short", "a.org"]);
        assert_clean_exit(&o, &body[..20]);
        assert!(
            !text(&o.stdout).contains("syntax_error"),
            "{}",
            text(&o.stdout)
        );
    }
}

/// `generate` takes a number of posts it can make: past 10 million (about 1 GB, the largest
/// file orgspec reads) it is a usage error, not a capacity overflow.
#[test]
fn generate_refuses_more_posts_than_a_file_can_hold() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["18446744073709551615", "4294967296", "10000001", "0"] {
        let o = orgspec(dir.path(), &["generate", "--posts", n]);
        assert_eq!(o.status.code(), Some(2), "{n}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains("is not in 1..=10000000"), "{n}");
    }
    let o = orgspec(dir.path(), &["generate", "--posts", "3"]);
    assert_eq!(o.status.code(), Some(0));
}

/// "Did you mean" compares names at a cost of the product of their lengths: a 100,000-
/// character unknown name (once minutes) or key of `orgspec.toml` gets no suggestion and
/// takes no time.
#[test]
fn suggestions_for_very_long_names() {
    let long = "p".repeat(100_000);
    let spec = format!(
        "org x \"X\" {{ kind council }}\npost {long} \"P\" {{ employer x; tier 1 }}\npost q \"Q\" {{ employer x; tier 2; reports_to {long}q }}\n"
    );
    let dir = dir_with(&[
        ("a.org", spec.as_bytes()),
        (
            "orgspec.toml",
            format!("[rules]\n{long} = \"warning\"\n").as_bytes(),
        ),
    ]);
    let o = orgspec_within(dir.path(), &["check", "--format", "short", "a.org"], 60);
    assert_clean_exit(&o, "long names");
    let out = text(&o.stdout);
    assert!(
        out.contains("error[unknown_name]: unknown post"),
        "{}",
        &out[..out.len().min(300)]
    );
    assert!(
        out.contains("error[unknown_name]: there is no rule"),
        "{}",
        &out[..out.len().min(300)]
    );
}

/// A named pipe called `x.org` — checked, used, formatted or found in a folder — and a
/// device are refused at once, never waited on or read for ever; a file over the limit is
/// refused from its size, without being read.
#[cfg(unix)]
#[test]
fn pipes_devices_and_huge_files_are_refused_without_reading() {
    let dir = dir_with(&[
        ("a.org", b"org a \"A\" { kind council }\n".as_slice()),
        ("b.org", b"use \"x.org\"\norg b \"B\" { kind council }\n"),
    ]);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("x.org"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let refused = "`x.org` is not a regular file (a named pipe, a device or a socket)";
    for args in [&["check", "x.org"][..], &["fmt", "x.org"][..]] {
        let o = orgspec_within(dir.path(), args, 30);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            text(&o.stderr).contains(refused),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    let o = orgspec_within(dir.path(), &["check", "--format", "short", "b.org"], 30);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("error[import_error]: cannot read `x.org`"));
    // a folder's pipes are not specs
    let o = orgspec_within(dir.path(), &["check", "."], 30);
    assert_clean_exit(&o, "a folder with a pipe");
    assert!(
        text(&o.stdout).contains("checked 2 files"),
        "{}",
        text(&o.stdout)
    );

    let o = orgspec_within(dir.path(), &["check", "/dev/zero"], 30);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is not a regular file"));

    // 1.3 GiB, sparse: refused from its size
    let big = std::fs::File::create(dir.path().join("big.org")).unwrap();
    big.set_len(1300 << 20).unwrap();
    let o = orgspec_within(dir.path(), &["check", "big.org"], 30);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr)
            .contains("`big.org` is too large to check (1.3 GiB; orgspec reads files up to 1 GiB)"),
        "{}",
        text(&o.stderr)
    );
}

/// What a spec says is shown, never obeyed: a title with a line feed cannot forge a second
/// finding in `--format short`, and the escape sequences, bare carriage returns and
/// bidirectional overrides of a comment quoted in the human output are shown escaped (as
/// rustc does), not sent to the terminal.
#[test]
fn quoted_text_cannot_forge_findings_or_drive_the_terminal() {
    let spec = "org x \"X\" { kind council; tiers 6 }\npost boss \"Boss\\nsrc/real.org:1:1: error[funding_sum]: forged finding\" { employer x; tier 1 }\n// \u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[1;31mFAKE: all checks passed \u{202e} evil \r overwritten \u{2066}\npost p \"P\" { employer x; tier 4; reports_to boss }\n";
    let dir = dir_with(&[("a.org", spec.as_bytes())]);
    let short = text(&orgspec(dir.path(), &["check", "--format", "short", "a.org"]).stdout);
    assert_eq!(short.lines().count(), 1, "{short}");
    assert!(
        short.starts_with(
            "a.org:4:45: warning[tier_gap]: P (`p`), at tier 4, reports to Boss\\nsrc/real.org:1:1"
        ),
        "{short}"
    );

    let human = orgspec(dir.path(), &["check", "--color", "never", "a.org"]);
    let out = text(&human.stdout);
    for raw in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{2066}'] {
        assert!(!out.contains(raw), "{raw:?} reached the terminal:\n{out}");
    }
    assert!(
        out.contains(
            "// \\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{1b}[1;31mFAKE: all checks passed \\u{202e} evil \\r overwritten \\u{2066}"
        ),
        "{out}"
    );
    // the labels still point at what they point at, past the escapes
    assert!(out.contains("2 tiers between them"), "{out}");
}

/// A file name with a line feed cannot forge a finding either.
#[cfg(unix)]
#[test]
fn a_file_name_with_a_line_feed() {
    let name = "x.org\nreal.org:1:1: error[funding_sum]: forged.org";
    let dir = dir_with(&[(name, b"post p \"P\" { tier 1 }\n".as_slice())]);
    let o = orgspec(dir.path(), &["check", "--format", "short", "."]);
    assert_clean_exit(&o, "a file name with a line feed");
    let out = text(&o.stdout);
    assert!(out.lines().count() > 0, "{out}");
    assert!(
        out.lines().all(|l| l.starts_with("x.org\\nreal.org")),
        "{out}"
    );
    let human = text(&orgspec(dir.path(), &["check", "--color", "never", "."]).stdout);
    assert!(!human.contains("org\nreal.org"), "{human}");
}

/// The human output quotes each finding from the lines around it, not from a walk of the
/// whole file: 10,000 findings in one file (once a quarter of an hour in a debug build)
/// render in seconds.
#[test]
fn many_findings_in_one_file() {
    let mut spec = String::from("org x \"X\" { kind council; tiers 6 }\n");
    for i in 0..10_000 {
        let _ = writeln!(spec, "post p{i} \"P{i}\" {{ employer nobody; tier 1 }}");
    }
    let dir = dir_with(&[("a.org", spec.as_bytes())]);
    let o = orgspec_within(dir.path(), &["check", "--color", "never", "a.org"], 120);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert_eq!(out.matches("error[unknown_name]").count(), 10_000);
    assert!(
        out.contains(" 10001 │ post p9999 \"P9999\" { employer nobody; tier 1 }"),
        "{}",
        &out[out.len() - 2000..]
    );
}

/// Work on values already computed is paid for: a rule that makes quadratic work by
/// flattening a projection, writing a list into every message, labelling every post of
/// every finding, folding or comparing a bound list once per post is stopped with
/// `rule_error` in bounded time and memory, like one that loops over every pair of posts.
#[test]
fn the_rule_budget_cannot_be_bypassed() {
    let mut posts = String::from("org x \"X\" { kind council; tiers 9 }\n");
    for i in 0..3_000 {
        let _ = writeln!(posts, "post p{i} \"P{i}\" {{ employer x; tier 1 }}");
    }
    // each list is bound once with `let`: reading it again is one step, so only the work
    // on its elements can stop the rule
    let rules = [
        (
            "flatten",
            "let t = filter(p in posts)\n  let everyone = filter(p in posts: t)\n  require count(everyone) < 0\n  message \"m\"",
        ),
        (
            "interpolate",
            "let t = filter(p in posts)\n  for p in posts\n  require false\n  message \"{t}\"",
        ),
        (
            "also",
            "let t = filter(p in posts)\n  for p in posts\n  require false\n  message \"m\"\n  also q in t \"x\"",
        ),
        (
            "fold",
            "let t = filter(p in posts: p.fte)\n  for p in posts\n  require sum(t) < 0\n  message \"m\"",
        ),
        (
            "equals",
            "let t = filter(p in posts)\n  for p in posts\n  require t != t\n  message \"m\"",
        ),
    ];
    for (what, body) in rules {
        let spec = format!("{posts}rule r_{what} \"R\" {{\n  severity warning\n  {body}\n}}\n");
        let dir = dir_with(&[("a.org", spec.as_bytes())]);
        let o = orgspec_within(dir.path(), &["check", "--format", "short", "a.org"], 120);
        assert_clean_exit(&o, what);
        let out = text(&o.stdout);
        assert!(
            out.contains(&format!("error[rule_error]: rule `r_{what}` was stopped")),
            "{what}: {}",
            &out[..out.len().min(600)]
        );
    }
}

/// Arithmetic past what a number can hold is unknown, never a wrapped or zeroed answer.
#[test]
fn overflow_is_unknown_not_wrong() {
    let spec = "org x \"X\" { kind council; tiers 9 }\npost a \"A\" { employer x; tier 1 }\ntimeline t { consultation 2024-01-01 .. 2024-02-01 }\n\
rule wraps \"W\" {\n  for p in posts\n  require tier(p) + 9223372036854775807 > tier(p)\n  message \"wrapped\"\n}\n\
rule zero_days \"Z\" {\n  for e in events\n  require e.start + 79000000000000000000000000000 != e.start\n  message \"zeroed\"\n}\n\
rule first_none \"F\" {\n  require count(first(posts, 79000000000000000000000000000)) == 1\n  message \"counted {count(first(posts, 79000000000000000000000000000))}\"\n}\n";
    let dir = dir_with(&[("a.org", spec.as_bytes())]);
    let o = orgspec(dir.path(), &["check", "--format", "short", "a.org"]);
    assert_clean_exit(&o, "overflow");
    let out = text(&o.stdout);
    for wrong in ["wrapped", "zeroed", "counted"] {
        assert!(!out.contains(wrong), "{wrong}: {out}");
    }
    assert!(!out.contains("rule_error"), "{out}");
}

/// The rules are loaded on a thread of their own while the spec is read, and the checks
/// run on rayon's pool. A rayon worker once waited for the library while the library's
/// loading waited for a rayon job that worker had taken: `chart` hung four runs in five.
/// Each command that checks is run again and again; none may hang.
#[test]
fn loading_the_rules_beside_the_checks_never_hangs() {
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/000-stockton-isa-report-2/restructure.org"
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let html = dir.path().join("report.html");
    let html = html.to_str().expect("a path in UTF-8");
    let commands: [&[&str]; 4] = [
        &["check", spec],
        &["chart", spec],
        &["report", spec, "-o", html],
        &["diff", spec, spec],
    ];
    for args in commands {
        for run in 0..10 {
            let o = orgspec_within(dir.path(), args, 60);
            assert_clean_exit(&o, &format!("`orgspec {}`, run {run}", args[0]));
        }
    }
}
