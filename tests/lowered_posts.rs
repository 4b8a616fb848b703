//! What a check keeps of a post reads as it was written: its title (escapes read), its
//! keyword and id, whether the post was parsed with its file or left to be parsed when
//! lowered (`orgspec check`), where the record keeps offsets rather than copies.

use std::path::Path;

use orgspec::decl::PostIx;
use orgspec::model::Model;
use orgspec::resolve::{MemoryLoader, Workspace};

use orgspec::{FileId, SourceMap};

const SPEC: &str = "org sbc \"Stockton-on-Tees Borough Council\" { kind council; tiers 4 }\n\
post head \"The \\\"Head\\\" of Service\" { employer sbc; tier 1 }\n\
@allow(tier_gap, \"agreed at Cabinet\")\n\
new   post lead \"Team Lead\" { employer sbc; tier 2; reports_to head }\n\
deleted post old \"Old Post\" { employer sbc; tier 2; reports_to head; reason retired }\n\
post plain \"Plain\" {\n  employer sbc\n  tier 2\n  reports_to head\n}\n";

/// Each post's id, title and keyword as the model gives them, read from the text.
fn posts(src: &SourceMap, model: &Model) -> Vec<(String, String, String)> {
    (0..model.decls.posts.len() as u32)
        .map(|p| {
            let post = model.post(PostIx(p));
            (
                src.slice(post.id).to_string(),
                post.title(src).into_owned(),
                src.slice(post.keyword()).to_string(),
            )
        })
        .collect()
}

fn expected() -> Vec<(String, String, String)> {
    [
        ("head", "The \"Head\" of Service"),
        ("lead", "Team Lead"),
        ("old", "Old Post"),
        ("plain", "Plain"),
    ]
    .iter()
    .map(|(id, title)| (id.to_string(), title.to_string(), "post".to_string()))
    .collect()
}

/// `SPEC` loaded into `ws`, and the files of its unit.
fn loaded(mut ws: Workspace) -> (Workspace, Vec<FileId>) {
    let mut loader = MemoryLoader::with(&[("spec.org", SPEC)]);
    let root = ws
        .load_root(&mut loader, Path::new("spec.org"), Path::new("."))
        .expect("the spec loads");
    let files = ws.unit_files(root);
    (ws, files)
}

#[test]
fn a_post_reads_as_written_when_parsed_with_its_file() {
    let (ws, files) = loaded(Workspace::new());
    let lowered = ws.lower_unit(&files, false);
    assert!(lowered.diagnostics.is_empty(), "{:?}", lowered.diagnostics);
    let model = Model::build(lowered.decls);
    assert_eq!(posts(&ws.sources, &model), expected());
}

#[test]
fn a_post_reads_as_written_when_left_to_be_parsed() {
    let (mut ws, files) = loaded(Workspace::deferring_posts());
    let inside = {
        let (sources, lowered) = ws.lower_unit_releasing(&files);
        assert!(!lowered.incomplete, "every post reads as its head declared");
        assert!(lowered.diagnostics.is_empty(), "{:?}", lowered.diagnostics);
        let model = Model::build(lowered.decls);
        assert_eq!(posts(sources, &model), expected());
        model.post(PostIx(1)).item
    };
    // a finding inside a post left to be parsed is tied to it by keyword and id (SARIF,
    // JUnit), read again from the post's text
    assert_eq!(ws.item_at(inside), Some(("post", "lead")));
}
