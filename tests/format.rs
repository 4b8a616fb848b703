//! `orgspec fmt` on every `.org` file in the repository: it formats each file that parses,
//! keeps every comment, is idempotent, and leaves the model and the findings unchanged.

use std::collections::BTreeMap;
use std::path::Path;

use orgspec::format::{format, shape, FormatError};
use orgspec::model::Model;
use orgspec::resolve::{MemoryLoader, Workspace};
use orgspec::syntax::tokens::{tokenize, TokenKind};
use orgspec::FileId;

mod common;

use common::repository;

fn comments(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|t| matches!(t.kind, TokenKind::Comment | TokenKind::DocComment))
        .map(|t| text[t.range].to_string())
        .collect()
}

/// The model of the unit rooted at `path` and its findings, positions left out.
fn meaning(files: &BTreeMap<String, String>, path: &str) -> (String, Vec<String>) {
    let all: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut loader = MemoryLoader::with(&all);
    let mut ws = Workspace::new();
    let root = ws.load_text(&mut loader, Path::new(path), &files[path], Path::new("."));
    let unit = ws.unit_files(root);
    let lowered = ws.lower_unit(&unit, false);
    let mut diagnostics = lowered.diagnostics;
    let model = Model::build(lowered.decls);
    let checked = orgspec::check::Unit {
        model: &model,
        rules: &lowered.rules,
        names: &lowered.names,
    };
    diagnostics.extend(orgspec::check::run(
        &checked,
        &ws.sources,
        &orgspec::driver::Settings::default(),
        &mut orgspec::check::UserRules::default(),
        &mut orgspec::check::RuleTimes::default(),
    ));
    let mut findings: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {:?} {}", d.rule, d.severity, d.message))
        .collect();
    findings.sort();
    (shape(&model), findings)
}

#[test]
fn every_repository_file_formats_safely() {
    let files = repository();
    let mut formatted_count = 0;
    let mut refused = Vec::new();
    for (path, text) in &files {
        let formatted = match format(FileId(0), text) {
            Ok(formatted) => formatted,
            Err(FormatError::Syntax(_)) => {
                refused.push(path.clone());
                continue;
            }
            Err(FormatError::Unsafe(why)) => panic!("{path}: {why}"),
        };
        formatted_count += 1;
        assert_eq!(
            format(FileId(0), &formatted).unwrap(),
            formatted,
            "{path}: formatting twice changed it again"
        );
        assert_eq!(comments(text), comments(&formatted), "{path}: comments");

        let mut after = files.clone();
        after.insert(path.clone(), formatted);
        let (model_before, findings_before) = meaning(&files, path);
        let (model_after, findings_after) = meaning(&after, path);
        assert_eq!(findings_before, findings_after, "{path}: findings changed");
        assert!(model_before == model_after, "{path}: the model changed");
    }
    // only fixtures that test broken syntax may be refused
    for path in &refused {
        assert!(path.starts_with("tests/fixtures/"), "{path} does not parse");
    }
    assert!(
        formatted_count > 100,
        "only {formatted_count} files formatted"
    );
}

#[test]
fn the_shipped_specs_are_formatted() {
    for (path, text) in repository() {
        if path.starts_with("specs/") || path.starts_with("std/") {
            let formatted = format(FileId(0), &text).unwrap();
            assert!(
                formatted == text,
                "{path} is not in the canonical layout: run `orgspec fmt {path}`"
            );
        }
    }
}
