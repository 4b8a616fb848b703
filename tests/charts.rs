//! `orgspec chart`, run as a user would: every shipped spec charts as well-formed SVG with
//! no two boxes overlapping, the statuses and findings are marked, and DOT and Mermaid are
//! written for other tools.

use std::path::Path;
use std::process::{Command, Output};

fn orgspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap()
}

fn chart(args: &[&str]) -> String {
    let mut all = vec!["chart"];
    all.extend_from_slice(args);
    let o = orgspec(&all);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The boxes of each side of a chart: `(side, post, x, y, width, height)`.
fn boxes(svg: &str) -> Vec<(String, String, f64, f64, f64, f64)> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let mut out = Vec::new();
    for side in doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("side ")))
    {
        let side_name = side.attribute("class").unwrap().to_string();
        for post in side
            .children()
            .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("post ")))
        {
            let rect = post
                .children()
                .find(|n| n.has_tag_name("rect"))
                .expect("a box");
            let num = |a: &str| rect.attribute(a).unwrap().parse::<f64>().unwrap();
            out.push((
                side_name.clone(),
                post.attribute("data-post").unwrap().to_string(),
                num("x"),
                num("y"),
                num("width"),
                num("height"),
            ));
        }
    }
    out
}

fn assert_no_overlap(svg: &str, what: &str) -> usize {
    let b = boxes(svg);
    for (i, a) in b.iter().enumerate() {
        for c in &b[i + 1..] {
            let apart =
                a.2 + a.4 <= c.2 || c.2 + c.4 <= a.2 || a.3 + a.5 <= c.3 || c.3 + c.5 <= a.3;
            assert!(
                apart,
                "{what}: `{}` and `{}` overlap ({a:?}, {c:?})",
                a.1, c.1
            );
        }
    }
    b.len()
}

#[test]
fn every_shipped_spec_charts_as_svg_with_no_box_over_another() {
    for spec in [
        "specs/000-stockton-isa-report-2",
        "specs/001-stockton-isa-report-1",
        "specs/002-peterborough-localities",
        "specs/003-banes-people-and-communities",
        "specs/004-stockton-cabinet-2014/decision.org",
        "specs/004-stockton-cabinet-2014/deletion-2011.org",
        "specs/examples/01-a-first-structure.org",
        "specs/examples/02-joint-funding.org",
        "specs/examples/03-a-restructure.org",
        "specs/examples/04-shared-bodies/early-help.org",
    ] {
        let svg = chart(&[spec]);
        assert!(assert_no_overlap(&svg, spec) > 0, "{spec}: no boxes");
    }
}

#[test]
fn three_hundred_posts_chart_without_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("g300.org");
    let o = orgspec(&["generate", "--posts", "300"]);
    std::fs::write(&spec, &o.stdout).unwrap();
    let svg = chart(&[spec.to_str().unwrap()]);
    let n = assert_no_overlap(&svg, "300 posts");
    assert!(n >= 300, "{n} boxes");
}

#[test]
fn statuses_are_told_by_colour_and_icon_and_findings_are_badges() {
    let svg = chart(&["specs/examples/03-a-restructure.org"]);
    insta::assert_snapshot!(svg);
    // the legend says what each colour and icon means
    for words in [
        "continues",
        "changed",
        "new",
        "deleted",
        "slotted in or out",
        "ring-fenced (pool)",
    ] {
        assert!(svg.contains(&format!(">{words}</text>")), "{words}");
    }
    // seed 000's slot finding is a badge on the post, the message its tooltip
    let seed = chart(&["specs/000-stockton-isa-report-2", "--side", "after"]);
    assert!(seed.contains(r#"<g class="finding"><title>error[slot_not_one_to_one]: 2 holders would be slotted into Modernisation Manager"#), "badge");
    assert!(!seed.contains("Before the restructure"));
}

#[test]
fn part_of_a_chart_and_other_formats() {
    let part = chart(&[
        "specs/000-stockton-isa-report-2",
        "--side",
        "after",
        "--root",
        "head_ops",
        "--depth",
        "1",
    ]);
    let b = boxes(&part);
    assert!(b.iter().any(|x| x.1 == "head_ops"));
    assert!(b.iter().any(|x| x.1 == "isa_manager_south"));
    assert!(
        !b.iter().any(|x| x.1 == "corporate_director"),
        "only the part under head_ops"
    );
    assert!(
        !b.iter().any(|x| x.1 == "youth_support_team_manager"),
        "one level below it"
    );
    let dot = chart(&["specs/examples/03-a-restructure.org", "--format", "dot"]);
    assert!(
        dot.starts_with("digraph orgchart {")
            && dot.contains("head_early_help -> locality_coordinator;"),
        "{dot}"
    );
    let mermaid = chart(&["specs/examples/03-a-restructure.org", "--format", "mermaid"]);
    assert!(
        mermaid.starts_with("flowchart TB\n")
            && mermaid.contains("head_early_help --> locality_coordinator"),
        "{mermaid}"
    );
    let o = orgspec(&[
        "chart",
        "specs/examples/03-a-restructure.org",
        "--root",
        "nobody",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("there is no post `nobody`"));
}

#[test]
fn a_chart_follows_the_projects_settings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.org"),
        "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 6 }\n\
         post director \"Corporate Director\" { employer sbc; tier 1 }\n\
         post team_manager \"Team Manager\" { employer sbc; tier 3; reports_to director }\n",
    )
    .unwrap();
    let spec = dir.path().join("a.org");
    let with_gap = chart(&[spec.to_str().unwrap(), "--side", "after"]);
    assert!(with_gap.contains("W tier_gap"), "a badge by default");
    std::fs::write(
        dir.path().join("orgspec.toml"),
        "[rules.tier_gap]\nseverity = \"off\"\n",
    )
    .unwrap();
    let without = chart(&[spec.to_str().unwrap(), "--side", "after"]);
    assert!(!without.contains("tier_gap"), "orgspec.toml turns it off");
}
