//! Generated documentation stays in step with the code.

use std::path::Path;

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let generated = orgspec::check::docs::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn docs_law_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/law.md");
    let generated = orgspec::check::docs::law_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/law.md is stale: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn docs_roles_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/roles.md");
    let generated = orgspec::check::docs::roles_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/roles.md is stale: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

/// The part of a doc between `<!-- MARKER:begin -->` and `<!-- MARKER:end -->` is
/// generated: rewritten with `UPDATE_DOCS=1`, else it must equal what the code makes.
fn generated_section(doc: &str, marker: &str, source: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(doc);
    let committed = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        format!("<!-- {marker}:begin -->\n"),
        format!("<!-- {marker}:end -->"),
    );
    let start = committed.find(&begin).expect("a begin marker") + begin.len();
    let stop = committed.find(&end).expect("an end marker");
    let wanted = format!(
        "<!-- Generated from {source} by `UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n{generated}\n"
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{wanted}{}", &committed[..start], &committed[stop..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        committed[start..stop] == wanted,
        "the generated {marker} of {doc} are stale: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn the_field_tables_follow_the_vocabulary() {
    generated_section(
        "docs/language.md",
        "fields",
        "the vocabulary (src/vocab/)",
        &orgspec::check::docs::language_fields_markdown(),
    );
    generated_section(
        "docs/rule-language.md",
        "fields",
        "the vocabulary (src/vocab/)",
        &orgspec::check::docs::rule_fields_markdown(),
    );
    generated_section(
        "docs/configuration.md",
        "params",
        "the standard library's `param` lines (std/)",
        &orgspec::check::docs::params_markdown(),
    );
    generated_section(
        "docs/rule-language.md",
        "functions",
        "src/check/engine/builtins.rs",
        &orgspec::check::docs::functions_markdown(),
    );
}

/// The fenced blocks of a markdown file with the given info string.
fn blocks<'a>(markdown: &'a str, info: &str) -> Vec<&'a str> {
    let fence = format!("```{info}\n");
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").expect("closed fence");
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn every_org_example_in_the_docs_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "docs/language.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for block in blocks(&text, "org") {
            if block.contains('…') {
                continue; // an elided sketch, not a spec
            }
            let (_, diagnostics) = orgspec::syntax::parse_file(orgspec::FileId(0), block);
            assert!(
                diagnostics.is_empty(),
                "{doc}: an example does not parse:\n{block}\n{diagnostics:?}"
            );
        }
    }
}

#[test]
fn every_settings_example_in_the_docs_is_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "docs/configuration.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for block in blocks(&text, "toml") {
            let mut sources = orgspec::SourceMap::default();
            let (settings, diagnostics) = orgspec::config::load(
                Path::new("orgspec.toml"),
                block.as_bytes().to_vec(),
                &mut sources,
            );
            assert!(
                diagnostics.is_empty(),
                "{doc}: a settings example has mistakes:\n{block}\n{diagnostics:?}"
            );
            // the only ids not built in are the spec's own rules the example names
            assert!(
                settings.origins.iter().all(|(id, _)| id == "small_teams"),
                "{doc}: {:?}",
                settings.origins
            );
        }
    }
}

#[test]
fn the_readme_shows_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = &readme[readme.find("## What it looks like").unwrap()..];
    let spec = blocks(section, "org")[0];
    let shown = blocks(section, "text")[0];
    let (command, expected) = shown.split_once('\n').unwrap();
    assert_eq!(command, "$ orgspec check restructure.org");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("restructure.org"), spec).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(["check", "restructure.org", "--color", "never"])
        .env("COLUMNS", "100")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let actual = String::from_utf8_lossy(&output.stdout);
    if std::env::var_os("UPDATE_DOCS").is_some() && actual != expected {
        let updated = readme.replacen(expected, &actual, 1);
        std::fs::write(root.join("README.md"), updated).unwrap();
        return;
    }
    assert_eq!(
        actual, expected,
        "the README's example output is stale: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn json_output_follows_its_published_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("docs/json-output.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    // every rule fixture: all kinds of finding, labels, fixes
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(["check", "--format", "json", "tests/fixtures/rules", "specs"])
        .current_dir(root)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        doc["diagnostics"].as_array().unwrap().len() > 100,
        "the fixtures exercise many findings"
    );
    // and the schema does reject what tools must not receive
    let mut wrong = doc.clone();
    wrong["diagnostics"][0]["severity"] = "fatal".into();
    assert!(!validator.is_valid(&wrong));
    let mut wrong = doc.clone();
    wrong["diagnostics"][0]["span"]["line"] = 0.into();
    assert!(!validator.is_valid(&wrong));
    let guide = std::fs::read_to_string(root.join("docs/json-output.md")).unwrap();
    assert!(
        guide.contains("json-output.schema.json"),
        "docs/json-output.md points at the schema"
    );
}
