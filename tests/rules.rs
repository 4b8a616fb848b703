//! Every rule has a fixture that fires and one that does not (`tests/fixtures/rules/`,
//! named `<rule>__fires[_variant].org` and `<rule>__clean.org`). Each finding must be
//! announced by an `// expect: rule` comment on its line, so a finding at the wrong line,
//! a missing one or an extra one fails; the human and JSON output are snapshotted.

mod common;

use std::path::Path;

use orgspec::check::docs::{docs, is_checked};
use orgspec::driver::check_memory;
use orgspec::vocab::catalogue::{Checked, RULES};

#[test]
fn rule_fixtures() {
    let support_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/support");
    let support = common::support_files(&support_dir);
    let support: Vec<(&str, &str)> = support
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    insta::glob!("fixtures/rules/*.org", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let (rule, variant) = name
            .trim_end_matches(".org")
            .split_once("__")
            .expect("<rule>__fires|clean");
        let (ws, diagnostics) = check_memory(&[(name, &text)], &support);

        for d in &diagnostics {
            assert_eq!(
                ws.sources.path(d.span.file),
                Path::new(name),
                "{name}: a finding outside the fixture: {d:?}"
            );
        }
        let expected = common::expectations(&text);
        assert_eq!(
            common::found(&ws, &diagnostics),
            expected,
            "{name}: findings (line, rule) differ from the `// expect:` comments"
        );
        if variant.starts_with("fires") {
            assert!(
                expected.iter().any(|(_, r)| r == rule),
                "{name}: a firing fixture must expect `{rule}`"
            );
        } else {
            assert!(
                !expected.iter().any(|(_, r)| r == rule),
                "{name}: a clean fixture must not fire `{rule}`"
            );
        }

        insta::with_settings!({ description => text.clone(), omit_expression => true }, {
            insta::assert_snapshot!("human", common::human(&ws, &diagnostics));
            insta::assert_snapshot!("json", common::json(&ws, &diagnostics));
        });
    });
}

#[test]
fn every_checked_rule_has_a_firing_and_a_clean_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for rule in RULES.iter().filter(|r| is_checked(r)) {
        let fires = format!("{}__fires", rule.id);
        assert!(
            names.iter().any(|n| n.starts_with(&fires)),
            "no firing fixture for `{}`",
            rule.id
        );
        assert!(
            names.contains(&format!("{}__clean.org", rule.id)),
            "no clean fixture for `{}`",
            rule.id
        );
        assert!(!docs(rule).is_empty(), "`{}` has no documentation", rule.id);
    }
}

#[test]
fn crlf_line_ends_give_the_same_findings_at_the_same_places() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let support_dir = dir.join("support");
    let support = common::support_files(&support_dir);
    let support: Vec<(&str, &str)> = support
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "org") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        let lf = std::fs::read_to_string(&path).unwrap();
        let crlf = lf.replace('\n', "\r\n");
        let places = |text: &str| {
            let (ws, diagnostics) = check_memory(&[(name, text)], &support);
            diagnostics
                .iter()
                .map(|d| {
                    let (line, column) = ws.sources.get(d.span.file).line_col(d.span.start);
                    (line, column, d.rule.to_string(), d.message.clone())
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(places(&lf), places(&crlf), "{name}");
        checked += 1;
    }
    assert!(checked >= 40);
}

#[test]
fn the_standard_library_compiles_and_agrees_with_the_catalogue() {
    let library = orgspec::check::engine::stdlib::library();
    assert!(library.errors.is_empty(), "{:#?}", library.errors);
    for info in RULES {
        assert_eq!(
            info.checked == Checked::Rust,
            orgspec::check::rules::RUST
                .iter()
                .any(|(id, _)| *id == info.id),
            "`{}`: the catalogue and the Rust rules disagree on where it is checked",
            info.id
        );
        assert!(is_checked(info), "`{}` is checked by nothing", info.id);
    }
    for rule in &library.rules {
        let info = orgspec::vocab::catalogue::lookup(&rule.compiled.id)
            .unwrap_or_else(|| panic!("`{}` is not in the catalogue", rule.compiled.id));
        assert_eq!(
            info.checked,
            Checked::Std,
            "`{}` is defined in std/, and the catalogue says it is checked elsewhere",
            info.id
        );
        // the severity is the catalogue's: a std rule states none (the compiler refuses one)
        assert_eq!(info.severity, rule.compiled.severity, "`{}`", info.id);
        assert!(!rule.docs.is_empty(), "`{}` has no doc comment", info.id);
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## How to fix",
            "## Source",
        ] {
            assert!(
                rule.docs.contains(section),
                "`{}` lacks `{section}`",
                info.id
            );
        }
    }
}

/// The notations of council papers each come with a fix; applying every fix gives a spec
/// that reads cleanly, with the values the paper meant.
#[test]
fn the_fixes_for_paper_notations_give_orgspecs_form() {
    let name = "syntax_error__fires_paper_notations.org";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let (_, diagnostics) = check_memory(&[(name, &text)], &[]);
    let mut edits: Vec<_> = diagnostics
        .iter()
        .filter(|d| matches!(&*d.rule, "syntax_error" | "type_mismatch"))
        .map(|d| {
            assert_eq!(d.fixes.len(), 1, "every notation has its fix: {d:?}");
            &d.fixes[0]
        })
        .flat_map(|f| f.edits.iter())
        .collect();
    assert_eq!(edits.len(), 10);
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut fixed = text.clone();
    for e in edits {
        fixed.replace_range(e.span.range(), &e.replacement);
    }
    for written in [
        "published 2012-09-18",
        "grade sbc director_grade £109_626..£121_807",
        "cost £1_200_000",
        "funded sbc 50%",
        "count 2",
        "count 6",
        "from 2013-04-01",
        "timeline {",
        "2012-10-01..2012-11-30 with unions",
    ] {
        assert!(fixed.contains(written), "{written}:\n{fixed}");
    }
    let (_, after) = check_memory(&[(name, &fixed)], &[]);
    let rules: Vec<_> = after.iter().map(|d| d.rule.to_string()).collect();
    assert!(
        after
            .iter()
            .all(|d| !matches!(&*d.rule, "syntax_error" | "type_mismatch")),
        "{rules:?}\n{fixed}"
    );
}

/// `count(p.slots)` (and `p.pools`, `p.slotted_in`, `p.pooled`) reads the length of the
/// index's entry without building the list: it must count what the list holds (a slot of
/// two posts into one is one slot of each and one slot into it).
#[test]
fn counting_an_indexed_list_counts_its_elements() {
    let spec = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
post director "Corporate Director" { employer sbc; tier 1 }
deleted post youth "Youth Manager" { employer sbc; tier 2; reports_to director; reason slotted }
deleted post patc "PATC Manager" { employer sbc; tier 2; reports_to director; reason slotted }
new post ystm "Youth Support Team Manager" { employer sbc; tier 2; reports_to director; count 2 }
new post lead "Team Lead" { employer sbc; tier 3; reports_to ystm }
slot youth, patc -> ystm
slot youth -> lead
post cc "Centre Manager" { employer sbc; tier 2; reports_to director; count 5 -> 4 }
pool centres "Centre Managers" { candidates cc; posts cc, lead; fallback redeployment }

rule counted "counts" {
  for p in posts_before where count(p.slots) > 0 or count(p.pools) > 0
  require false
  message "{p.name}: {count(p.slots)} slots, {count(p.pools)} pools; listed {count(s in p.slots where true)} and {count(x in p.pools where true)}"
  at p
}

rule counted_in "counts in" {
  for p in posts where count(p.slotted_in) > 0 or count(p.pooled) > 0
  require false
  message "{p.name}: {count(p.slotted_in)} slotted in, {count(p.pooled)} pooled; listed {count(s in p.slotted_in where true)} and {count(x in p.pooled where true)}"
  at p
}
"#;
    let (_, diagnostics) = check_memory(&[("counts.org", spec)], &[]);
    let mut said: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("counted"))
        .map(|d| d.message.clone())
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            "cc: 0 slots, 1 pools; listed 0 and 1",
            "cc: 0 slotted in, 1 pooled; listed 0 and 1",
            "lead: 1 slotted in, 1 pooled; listed 1 and 1",
            "patc: 1 slots, 0 pools; listed 1 and 0",
            "youth: 2 slots, 0 pools; listed 2 and 0",
            "ystm: 1 slotted in, 0 pooled; listed 1 and 0",
        ],
        "{diagnostics:#?}"
    );
}
