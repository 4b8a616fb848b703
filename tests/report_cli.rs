//! `orgspec report`: one self-contained HTML page for a Cabinet paper.

use std::path::Path;
use std::process::{Command, Output};

fn orgspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap()
}

fn report(spec: &str) -> String {
    let o = orgspec(&["report", spec]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{spec}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn the_report_is_one_self_contained_accessible_page() {
    for spec in [
        "specs/000-stockton-isa-report-2",
        "specs/001-stockton-isa-report-1",
        "specs/002-peterborough-localities",
        "specs/003-banes-people-and-communities",
        "specs/004-stockton-cabinet-2014/decision.org",
        "specs/examples/03-a-restructure.org",
    ] {
        let page = report(spec);
        assert!(
            page.starts_with("<!doctype html>\n<html lang=\"en-GB\">"),
            "{spec}"
        );
        // nothing fetched: no link, script or image from elsewhere
        for external in [
            "src=\"http",
            "href=\"http",
            "<link",
            "<script",
            "@import",
            "url(",
        ] {
            assert!(!page.contains(external), "{spec}: {external}");
        }
        assert!(page.contains("@media print"), "{spec}: a print stylesheet");
        // every table has a caption or a heading, and header cells with a scope
        let tables = page.matches("<table>").count();
        assert!(tables >= 6, "{spec}: {tables} tables");
        assert_eq!(
            page.matches("<table>").count(),
            page.matches("</table>").count()
        );
        assert!(!page.contains("<th>"), "{spec}: every th has a scope");
        for section in [
            "id=\"establishment\"",
            "id=\"outcomes\"",
            "id=\"redundancies\"",
            "id=\"timetable\"",
            "id=\"charts\"",
            "id=\"findings\"",
            "id=\"open\"",
        ] {
            assert!(page.contains(section), "{spec}: {section}");
        }
        assert!(
            page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{spec}: the charts"
        );
    }
    // seed 000: its error is listed with its place, its open questions counted
    let seed = report("specs/000-stockton-isa-report-2");
    assert!(seed.contains("<code>slot_not_one_to_one</code>"));
    assert!(seed.contains("restructure.org:191"));
    assert!(seed.contains("values the paper leaves undecided"));
}

#[test]
fn the_report_of_an_example_is_stable() {
    insta::assert_snapshot!(report("specs/examples/03-a-restructure.org"));
}

/// The report costs posts as the budget rules do (`Model::annual_cost`): a range of grades
/// is the mean of the two grades' mid-points, with the employer's on-costs added.
#[test]
fn the_report_costs_posts_as_the_budget_rules_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.org"),
        "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6; oncost 10% }\n\
         grade sbc PO1 £30_000..£32_000\n\
         grade sbc PO3 £36_000..£44_000\n\
         post director \"Director\" { employer sbc; tier 1; cost £100_000 }\n\
         post lead \"Lead\" { employer sbc; tier 2; reports_to director; grade PO1..PO3; count 2 }\n",
    )
    .unwrap();
    let o = orgspec(&["report", dir.path().join("a.org").to_str().unwrap()]);
    let page = String::from_utf8(o.stdout).unwrap();
    // tier 2: 2 × (31,000 + 40,000) / 2 × 1.1 = 78,100 (not 2 × 37,000 × 1.1 from the
    // range's ends); the total adds the director's 110,000
    assert!(page.contains("<td class=\"n\">£78,100</td>"), "{page}");
    assert!(page.contains("£188,100"), "{page}");
}
