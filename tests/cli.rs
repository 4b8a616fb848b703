//! The command line, tested by running the binary: exit codes, formats, paths, and the
//! inputs that must give a clear diagnostic, never a panic.

use std::path::Path;
use std::process::{Command, Output};

const CLEAN: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Corporate Director" { employer sbc; tier 1 }
post head_ops "Head of Operations" { employer sbc; tier 2; reports_to director }
"#;

const WARNING: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Corporate Director" { employer sbc; tier 1 }
post team_manager "Team Manager" { employer sbc; tier 3; reports_to director }
"#;

const ERROR: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Corporate Director" { employer sbc; tier 1 }
post head_ops "Head of Operations" { employer sbc; tier 2; reports_to directr }
"#;

fn orgspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run orgspec")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The run failed (exit code 2) and its message on standard error says `expected`.
fn assert_run_fails(o: &Output, expected: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert!(stderr(o).contains(expected), "{}", stderr(o));
}

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn short(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "--format", "short"];
    all.extend_from_slice(args);
    let o = orgspec(dir, &all);
    (o.status.code().expect("exited"), stdout(&o))
}

#[test]
fn exit_codes_follow_the_worst_finding() {
    let d = dir_with(&[
        ("clean.org", CLEAN.as_bytes()),
        ("warn.org", WARNING.as_bytes()),
        ("err.org", ERROR.as_bytes()),
    ]);
    assert_eq!(short(d.path(), &["clean.org"]).0, 0);
    assert_eq!(short(d.path(), &["warn.org"]).0, 0, "warnings alone pass");
    assert_eq!(short(d.path(), &["warn.org", "--deny", "warnings"]).0, 1);
    assert_eq!(short(d.path(), &["err.org"]).0, 1);
    assert_eq!(short(d.path(), &["clean.org", "err.org"]).0, 1);
}

#[test]
fn short_format_is_path_line_col_severity_rule_message() {
    let d = dir_with(&[("specs/err.org", ERROR.as_bytes())]);
    let (code, out) = short(d.path(), &["specs"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "specs/err.org:3:71: error[unknown_name]: unknown post `directr`\n"
    );
}

#[test]
fn json_is_one_versioned_document_with_lines_and_columns() {
    let d = dir_with(&[
        ("err.org", ERROR.as_bytes()),
        ("warn.org", WARNING.as_bytes()),
    ]);
    let o = orgspec(d.path(), &["check", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["warnings"], 1);
    assert_eq!(doc["summary"]["files"], 2);
    let first = &doc["diagnostics"][0];
    assert_eq!(first["rule"], "unknown_name");
    assert_eq!(first["file"], "err.org");
    assert_eq!(first["span"]["line"], 3);
    assert_eq!(first["span"]["column"], 71);
    assert_eq!(first["fixes"][0]["edits"][0]["replacement"], "director");
    // sorted by file, then position
    assert_eq!(doc["diagnostics"][1]["file"], "warn.org");
}

const OPEN: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Corporate Director" { employer sbc; tier 1 }
post head_ops "Head of Operations" { employer sbc; tier tbd; reports_to director }
"#;

#[test]
fn min_severity_hides_what_is_less_severe_in_every_format() {
    let d = dir_with(&[
        ("a_open.org", OPEN.as_bytes()),
        ("b_warn.org", WARNING.as_bytes()),
        ("c_err.org", ERROR.as_bytes()),
    ]);
    let rules = |args: &[&str]| -> Vec<String> {
        short(d.path(), args)
            .1
            .lines()
            .map(|l| l.split(": ").nth(1).unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        rules(&["."]),
        [
            "info[undecided]",
            "warning[tier_gap]",
            "error[unknown_name]"
        ]
    );
    assert_eq!(
        rules(&[".", "--min-severity", "warning"]),
        ["warning[tier_gap]", "error[unknown_name]"]
    );
    assert_eq!(
        rules(&[".", "--min-severity", "error"]),
        ["error[unknown_name]"]
    );
    // hidden findings do not count towards the exit code
    let (code, _) = short(
        d.path(),
        &[
            "b_warn.org",
            "--min-severity",
            "error",
            "--deny",
            "warnings",
        ],
    );
    assert_eq!(code, 0);
    for format in ["json", "sarif", "github", "junit"] {
        let o = orgspec(
            d.path(),
            &[
                "check",
                ".",
                "--format",
                format,
                "--min-severity",
                "warning",
            ],
        );
        let out = stdout(&o);
        // SARIF lists every rule in its catalogue; only its results are filtered
        let results = match out.find("\"tool\"") {
            Some(at) if format == "sarif" => &out[..at],
            _ => &out,
        };
        assert!(results.contains("tier_gap"), "{format}: {out}");
        assert!(!results.contains("undecided"), "{format}: {out}");
    }
    let o = orgspec(d.path(), &["check", ".", "--min-severity", "bad"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error, warning, info"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn human_output_puts_errors_first_and_summarises_open_questions() {
    let d = dir_with(&[
        ("a_open.org", OPEN.as_bytes()),
        ("b_warn.org", WARNING.as_bytes()),
        ("c_err.org", ERROR.as_bytes()),
    ]);
    let o = orgspec(d.path(), &["check", ".", "--color", "never"]);
    let out = stdout(&o);
    let error = out.find("error[unknown_name]").expect(&out);
    let warning = out.find("warning[tier_gap]").expect(&out);
    assert!(error < warning, "errors come first:\n{out}");
    assert!(!out.contains("info[undecided]"), "{out}");
    assert!(
        out.contains("note: 1 open question not shown")
            && out.contains("a_open.org     1")
            && out.contains("`orgspec check . --color never --open-questions`"),
        "{out}"
    );
    assert!(
        out.ends_with("checked 3 files: 1 error, 1 warning, 1 note\n"),
        "{out}"
    );
    let o = orgspec(
        d.path(),
        &["check", ".", "--color", "never", "--open-questions"],
    );
    let out = stdout(&o);
    assert!(out.contains("info[undecided]"), "{out}");
    assert!(!out.contains("open question not shown"), "{out}");
    assert!(
        out.find("warning[tier_gap]") < out.find("info[undecided]"),
        "{out}"
    );
}

#[test]
fn human_output_quotes_the_source_and_honours_color() {
    let d = dir_with(&[("err.org", ERROR.as_bytes())]);
    let o = orgspec(d.path(), &["check", "err.org", "--color", "never"]);
    let out = stdout(&o);
    assert!(out.contains("error[unknown_name]"), "{out}");
    assert!(out.contains("reports_to directr"), "{out}");
    assert!(out.contains("did you mean `director`?"), "{out}");
    assert!(out.contains("checked 1 file: 1 error"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour codes with --color never"
    );
    let o = orgspec(d.path(), &["check", "err.org", "--color", "always"]);
    assert!(
        stdout(&o).contains('\u{1b}'),
        "colour codes with --color always"
    );
}

#[test]
fn the_current_folder_is_the_default_and_gitignore_is_honoured() {
    let d = dir_with(&[
        ("a.org", CLEAN.as_bytes()),
        ("sub/b.org", CLEAN.replace("sbc", "nbc").as_bytes()),
        ("build/broken.org", b"post {"),
        (".gitignore", b"build/\n"),
        ("notes.txt", b"not a spec"),
    ]);
    let o = orgspec(d.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["summary"]["files"], 2);
}

#[test]
fn a_missing_path_fails_the_run() {
    let d = dir_with(&[]);
    let o = orgspec(d.path(), &["check", "nowhere.org"]);
    assert_run_fails(&o, "`nowhere.org` does not exist");
}

#[test]
fn a_folder_with_no_specs_fails_the_run() {
    let d = dir_with(&[("readme.txt", b"hello")]);
    let o = orgspec(d.path(), &["check", "."]);
    assert_run_fails(&o, "no `.org` files");
}

#[test]
fn bad_arguments_fail_the_run() {
    let d = dir_with(&[("a.org", CLEAN.as_bytes())]);
    assert_eq!(
        orgspec(d.path(), &["check", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(orgspec(d.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(orgspec(d.path(), &["--version"]).status.code(), Some(0));
}

#[test]
fn bad_files_get_a_diagnostic_not_a_panic() {
    let deep = format!(
        "post p \"P\" {{ employer sbc; tier 1; holder {} }}\n",
        "[".repeat(200_000)
    );
    let long = format!(
        "post p \"{}\" {{ employer sbc; tier 1 }} ]\n",
        "x".repeat(5_000_000)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.org", Vec::new(), "this file is empty"),
        (
            "comments.org",
            b"// nothing but a comment\n".to_vec(),
            "this file has only comments",
        ),
        (
            "binary.org",
            vec![0x7f, b'E', b'L', b'F', 0, 1, 2, 3],
            "this file is not text",
        ),
        (
            "binary_after_latin1.org",
            b"post p \"Caf\xe9\" { tier 1 }\n\x00\x01".to_vec(),
            "bytes that are not UTF-8 here, and a NUL byte at byte 25",
        ),
        (
            "latin1.org",
            b"post p \"Caf\xe9\" { tier 1 }\n".to_vec(),
            "this file is not UTF-8 text",
        ),
        ("deep.org", deep.into_bytes(), "nested more than 64 deep"),
        (
            "long.org",
            long.into_bytes(),
            "the line is too long to show",
        ),
        (
            "bom.org",
            [b"\xef\xbb\xbf".as_slice(), CLEAN.as_bytes()].concat(),
            "",
        ),
    ];
    for (name, bytes, expected) in cases {
        let d = dir_with(&[(name, &bytes)]);
        let o = orgspec(d.path(), &["check", name, "--color", "never"]);
        let out = stdout(&o);
        assert!(
            !stderr(&o).contains("panicked"),
            "{name} panicked: {}",
            stderr(&o)
        );
        if expected.is_empty() {
            assert_eq!(o.status.code(), Some(0), "{name}: {out}");
        } else {
            assert_eq!(o.status.code(), Some(1), "{name}: {out}");
            assert!(out.contains(expected), "{name}: {out}");
            assert!(
                out.len() < 10_000,
                "{name}: the output must not echo a huge input ({} bytes)",
                out.len()
            );
        }
    }
}

#[test]
fn an_unreadable_file_fails_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir_with(&[
        ("secret.org", CLEAN.as_bytes()),
        ("ok.org", CLEAN.as_bytes()),
    ]);
    let p = d.path().join("secret.org");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        return; // running as root: permissions do not stop reading
    }
    let o = orgspec(d.path(), &["check", "."]);
    assert_run_fails(&o, "secret.org");
}

#[test]
fn imports_load_once_and_report_once() {
    let bodies = br#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
org ntpct "North Tees Primary Care Trust" { kind nhs; tiers 7 }
align sbc 3 = ntpct 4
agreement s75 "Section 75 agreement" { kind s75; parties sbc, ntpct }
post director "Corporate Director" { employer sbc; tier 1; reports_to directr }
"#;
    let a =
        b"use \"common/bodies.org\"\npost a \"A\" { employer sbc; tier 2; reports_to director }\n";
    let b = b"use \"common/bodies.org\"\npost b \"B\" { employer ntpct; tier 3; reports_to director }\n";
    let d = dir_with(&[("common/bodies.org", bodies), ("a.org", a), ("b.org", b)]);
    let (code, out) = short(d.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(out.matches("unknown post `directr`").count(), 1, "{out}");
    assert!(out.starts_with("common/bodies.org:5:"), "{out}");
}

#[test]
fn import_cycles_and_escapes_are_reported() {
    let d = dir_with(&[
        ("project/orgspec.toml", b""),
        (
            "project/a.org",
            b"use \"b.org\"\norg sbc \"S\" { kind council }\n",
        ),
        ("project/b.org", b"use \"a.org\"\nuse \"../outside.org\"\n"),
        ("outside.org", b"org x \"X\" { kind council }\n"),
    ]);
    let (code, out) = short(d.path(), &["project"]);
    assert_eq!(code, 1);
    assert_eq!(out.matches("import_error").count(), 2, "{out}");
    assert!(out.contains("project/a.org:1:1: error[import_error]: these files use each other in a cycle: `project/a.org` → `project/b.org`"), "{out}");
    assert!(
        out.contains(
            "project/b.org:2:5: error[import_error]: `../outside.org` is outside the project"
        ),
        "{out}"
    );
}

#[test]
fn orgspec_toml_marks_the_root_and_its_mistakes_are_diagnostics() {
    let d = dir_with(&[("orgspec.toml", b""), ("specs/a.org", CLEAN.as_bytes())]);
    assert_eq!(
        short(d.path(), &["specs"]),
        (0, String::new()),
        "an empty orgspec.toml is valid"
    );
    std::fs::write(d.path().join("orgspec.toml"), "[rules\n").unwrap();
    let (code, out) = short(d.path(), &["specs"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("orgspec.toml:1:")
            && out.contains("error[syntax_error]: orgspec.toml is not valid TOML"),
        "{out}"
    );
    std::fs::write(d.path().join("orgspec.toml"), "colour = true\n").unwrap();
    let (code, out) = short(d.path(), &["specs"]);
    assert_eq!(
        (code, out.as_str()),
        (
            1,
            "orgspec.toml:1:1: error[unknown_field]: orgspec.toml has no setting `colour`\n"
        )
    );
}

/// A spec with one finding of several rules, to switch them about.
const FINDINGS: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Corporate Director" { employer sbc; tier 1 }
post team_manager "Team Manager" { employer sbc; tier 3; reports_to director; count 2 }
post worker "Family Support Worker" { employer sbc; tier 4; reports_to team_manager; count 3 }
rule small_teams "Teams of two or fewer" {
  severity info
  param most = 2
  for p in posts where count(p.direct_reports) > 0
  require sum(p.direct_reports.count) <= most
  message "`{p.name}` manages {sum(p.direct_reports.count)} posts"
}
"#;

fn rules_found(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let (code, out) = short(dir, args);
    let rules = out
        .lines()
        .map(|l| {
            l.split_once(": ")
                .map_or(l, |(_, r)| r)
                .split(':')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    (code, rules)
}

#[test]
fn orgspec_toml_sets_severities_switches_and_parameters() {
    let d = dir_with(&[("orgspec.toml", b""), ("a.org", FINDINGS.as_bytes())]);
    let write = |toml: &str| std::fs::write(d.path().join("orgspec.toml"), toml).unwrap();
    assert_eq!(
        rules_found(d.path(), &["a.org"]),
        (
            0,
            vec![
                "info[small_teams]".to_string(),
                "warning[tier_gap]".to_string()
            ]
        )
    );
    write("[rules]\ntier_gap = \"error\"\n");
    assert_eq!(
        rules_found(d.path(), &["a.org"]).0,
        1,
        "tier_gap is now an error"
    );
    write("[rules]\ntier_gap = \"off\"\n");
    assert_eq!(
        rules_found(d.path(), &["a.org"]).1,
        vec!["info[small_teams]"]
    );
    write("[rules]\nignore = [\"tier_gap\", \"small_teams\"]\n");
    assert_eq!(rules_found(d.path(), &["a.org"]), (0, vec![]));
    write("[rules]\nselect = [\"small_teams\"]\n");
    assert_eq!(
        rules_found(d.path(), &["a.org"]).1,
        vec!["info[small_teams]"]
    );
    // a spec's own rule takes its parameter from orgspec.toml too
    write("[rules.small_teams]\nmost = 3\nseverity = \"warning\"\n");
    assert_eq!(
        rules_found(d.path(), &["a.org"]).1,
        vec!["warning[tier_gap]"]
    );
    // a built-in parameter, at a severity of one's own
    write("[rules.span_of_control]\nlimit = 2\nseverity = \"error\"\n");
    let (code, out) = short(d.path(), &["a.org"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[span_of_control]: Team Manager (`team_manager`) would line-manage 3 posts (limit 2)"),
        "{out}"
    );
    // a parameter of the wrong kind for the spec's own rule
    write("[rules.small_teams]\nmost = \"50%\"\nmots = 1\n");
    let (code, out) = short(d.path(), &["a.org"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("orgspec.toml:2:8: error[invalid_value]: `most` of `small_teams` takes a number, and this is a percentage")
            && out.contains("orgspec.toml:3:1: error[unknown_field]: rule `small_teams` has no parameter `mots`"),
        "{out}"
    );
}

#[test]
fn orgspec_toml_names_the_bad_element_of_a_list_and_what_is_allowed() {
    let d = dir_with(&[
        (
            "orgspec.toml",
            b"[rules.citywide_not_locality_facing]\nkinds = [\"citywide\", 5, \"regional\"]\n\
              [rules.unplaced_holder]\nlocal_outcomes = [\"placed in phase 1\", 5]\n\
              [rules.span_of_control]\nlimit = \"ten\"\n",
        ),
        ("a.org", CLEAN.as_bytes()),
    ]);
    let o = orgspec(d.path(), &["check", "a.org", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for expected in [
        "`5` is not one of the values `kinds` of `citywide_not_locality_facing` takes",
        "`regional` is not one of the values `kinds` of `citywide_not_locality_facing` takes",
        "write any of `\"core\"`, `\"extended\"`, `\"citywide\"`, `\"hosted\"`",
        "`local_outcomes` of `unplaced_holder` takes a list of names in quotes, and `5` is not one",
        "its default is `12`",
    ] {
        assert!(out.contains(expected), "{expected}:\n{out}");
    }
    // each at its element
    let (_, short_out) = short(d.path(), &["a.org"]);
    assert!(
        short_out.contains("orgspec.toml:2:22: error[invalid_value]"),
        "{short_out}"
    );
    assert!(
        short_out.contains("orgspec.toml:2:25: error[invalid_value]"),
        "{short_out}"
    );
}

#[test]
fn orgspec_toml_names_local_outcomes_that_place_a_holder() {
    let spec = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }\n\
        post director \"Corporate Director\" { employer sbc; tier 1 }\n\
        deleted post locality \"Locality Manager\" { employer sbc; tier 2; reports_to director; reason \"placed in phase 1\" }\n";
    let d = dir_with(&[("orgspec.toml", b""), ("a.org", spec.as_bytes())]);
    assert_eq!(
        rules_found(d.path(), &["a.org"]),
        (1, vec!["error[unplaced_holder]".to_string()]),
        "a reason in words places nobody by default"
    );
    std::fs::write(
        d.path().join("orgspec.toml"),
        "[rules.unplaced_holder]\nlocal_outcomes = [\"placed in phase 1\"]\n",
    )
    .unwrap();
    assert_eq!(rules_found(d.path(), &["a.org"]), (0, vec![]));
}

/// 25 posts deleted with their holders, the unions consulted 35 days before the new
/// structure: the 30 days of s188 are met.
const LEAD_TIME: &str = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }
post director \"Corporate Director\" { employer sbc; tier 1 }
deleted post worker \"Youth Worker\" { employer sbc; tier 2; reports_to director; count 25; reason redundancy }
timeline {
  hr1 \"HR1\" 2008-02-01
  consultation \"Consultation\" 2008-02-15..2008-03-10 with unions
  notices \"Notices of dismissal\" 2008-03-11
  effective \"New structure\" 2008-03-21
}
";

#[test]
fn orgspec_toml_sets_a_local_policys_longer_consultation() {
    let d = dir_with(&[("orgspec.toml", b""), ("a.org", LEAD_TIME.as_bytes())]);
    assert_eq!(
        rules_found(d.path(), &["a.org"]),
        (0, vec![]),
        "the law is met"
    );
    std::fs::write(
        d.path().join("orgspec.toml"),
        "[rules.consultation_lead_time]\nlocal_days = 60\n",
    )
    .unwrap();
    let (code, out) = short(d.path(), &["a.org"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "a.org:6:3: error[consultation_lead_time]: your policy gives collective consultation 60 days before the first dismissal, and it begins 35 days before\n"
    );
    // where the law's own period is not met either, that is the one finding
    let late = LEAD_TIME.replace("2008-02-15..", "2008-03-01..");
    std::fs::write(d.path().join("a.org"), late).unwrap();
    let (_, out) = short(d.path(), &["a.org"]);
    assert!(
        out.lines().count() == 1
            && out.contains(
                "must begin at least 30 days before the first dismissal; it begins 20 days before"
            ),
        "{out}"
    );
}

#[test]
fn orgspec_toml_sets_the_on_cost_rate_an_employer_does_not_state() {
    // £60,000 of pay fits the envelope; with on-costs it does not
    let spec = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }
post director \"Corporate Director\" { employer sbc; tier 1 }
new post officer \"Locality Officer\" { employer sbc; tier 2; reports_to director; cost £30_000; count 2; recruit external }
budget phase1 \"Phase 1\" { envelope £70_000 }
";
    let d = dir_with(&[("orgspec.toml", b""), ("a.org", spec.as_bytes())]);
    assert_eq!(
        rules_found(d.path(), &["a.org"]),
        (0, vec![]),
        "pay alone fits"
    );
    std::fs::write(
        d.path().join("orgspec.toml"),
        "[rules.budget_exceeded]\noncost = \"25%\"\n",
    )
    .unwrap();
    let (code, out) = short(d.path(), &["a.org"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("cost £75,000 a year (£60,000 pay + £15,000 on-costs), over its envelope of £70,000 by £5,000"),
        "{out}"
    );
    // an employer's own rate wins over the setting
    std::fs::write(
        d.path().join("a.org"),
        spec.replace("tiers 6 }", "tiers 6; oncost 10% }"),
    )
    .unwrap();
    assert_eq!(
        rules_found(d.path(), &["a.org"]),
        (0, vec![]),
        "£66,000 fits"
    );
}

#[test]
fn orgspec_toml_sets_the_organisation_wide_threshold() {
    // 15 at each of two sites: under 20 at either, 30 across the council
    let spec = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }
post director \"Corporate Director\" { employer sbc; tier 1 }
deleted post north \"Youth Worker (North)\" { employer sbc; tier 2; reports_to director; count 15; site north; reason redundancy }
deleted post south \"Youth Worker (South)\" { employer sbc; tier 2; reports_to director; count 15; site south; reason redundancy }
timeline {
  consultation \"Consultation\" 2027-11-01..2027-12-31 with staff
  effective \"New structure\" 2028-04-01
}
";
    let d = dir_with(&[("orgspec.toml", b""), ("a.org", spec.as_bytes())]);
    assert_eq!(
        rules_found(d.path(), &["a.org"]),
        (0, vec![]),
        "one establishment at a time, until regulations set the threshold"
    );
    std::fs::write(
        d.path().join("orgspec.toml"),
        "[rules.consultation_lead_time]\norganisation_threshold = 25\n[rules.hr1_notice]\nseverity = \"off\"\n",
    )
    .unwrap();
    let (code, out) = short(d.path(), &["a.org"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "a.org:7:3: error[consultation_lead_time]: 30 redundancies are proposed by Stockton-on-Tees Borough Council across its establishments, at or above the organisation-wide threshold of 25, but the timeline has no collective consultation with the unions or elected representatives\n",
        "one finding for the employer, not one for each site"
    );
}

#[test]
fn settings_mistakes_are_pointed_at_in_the_toml() {
    let toml = "[rules]\nignore = [\"tier_gapp\"]\njoint_accountability = \"of\"\nsyntax_error = \"off\"\n\n[rules.span_of_control]\nlimt = 15\nlimit = \"lots\"\n\n[rules.tier_gap]\nlimit = 3\n\n[rule]\nx = 1\n";
    let d = dir_with(&[
        ("orgspec.toml", toml.as_bytes()),
        ("a.org", CLEAN.as_bytes()),
    ]);
    let o = orgspec(d.path(), &["check", "a.org", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn config_names_another_settings_file() {
    let d = dir_with(&[
        ("a.org", FINDINGS.as_bytes()),
        (
            "quiet.toml",
            b"[rules]\nignore = [\"tier_gap\", \"small_teams\"]\n",
        ),
    ]);
    assert_eq!(
        rules_found(d.path(), &["a.org", "--config", "quiet.toml"]),
        (0, vec![])
    );
    let o = orgspec(d.path(), &["check", "a.org", "--config", "missing.toml"]);
    assert_run_fails(&o, "the settings file `missing.toml` does not exist");
    // two projects with their own settings are checked one at a time
    let two = dir_with(&[
        ("one/orgspec.toml", b""),
        ("one/a.org", CLEAN.as_bytes()),
        ("two/orgspec.toml", b""),
        ("two/b.org", CLEAN.as_bytes()),
    ]);
    let o = orgspec(two.path(), &["check", "one", "two"]);
    assert_run_fails(&o, "projects with different settings");
}

#[test]
fn generate_writes_a_spec_that_checks_clean() {
    let d = dir_with(&[]);
    let o = orgspec(d.path(), &["generate", "--posts", "2000", "--seed", "3"]);
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(d.path().join("gen.org"), &o.stdout).unwrap();
    let (code, out) = short(d.path(), &["gen.org"]);
    assert_eq!((code, out.as_str()), (0, ""));
}
