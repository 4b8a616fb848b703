//! The pipeline for a set of compilation units: resolve → model → check, then merge,
//! de-duplicate and order the findings. Pure: files come in through the [`Workspace`].

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::resolve::Workspace;
use crate::source::FileId;

/// Where a run spent its time, for `--timings` and the benchmark.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub lower: Duration,
    pub model: Duration,
    pub checks: Duration,
}

/// Check every unit rooted at `roots`. A file reached from several roots is reported once:
/// identical findings are merged.
pub fn check_units(ws: &mut Workspace, roots: &[FileId]) -> (Vec<Diagnostic>, Timings) {
    let mut timings = Timings::default();
    ws.report_cycles();
    let mut all = std::mem::take(&mut ws.file_diagnostics);
    for &root in roots {
        let files = ws.unit_files(root);
        let t = Instant::now();
        let (decls, mut diagnostics) = ws.lower_unit(&files);
        timings.lower += t.elapsed();
        let t = Instant::now();
        let model = Model::build(decls);
        timings.model += t.elapsed();
        let t = Instant::now();
        diagnostics.extend(check::run(&model, &ws.sources));
        check::suppress(&model, &mut diagnostics);
        timings.checks += t.elapsed();
        all.extend(diagnostics);
    }
    (order(ws, all), timings)
}

/// De-duplicate, then sort by file path, position and rule.
fn order(ws: &Workspace, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::with_capacity(diagnostics.len());
    let mut unique: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| seen.insert(d.clone()))
        .collect();
    unique.sort_by(|a, b| {
        ws.sources
            .path(a.span.file)
            .cmp(ws.sources.path(b.span.file))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    unique
}

/// Check files held in memory, each a root, with the project root at `.`: for tests and
/// tools. `support` files can be `use`d but are not roots themselves.
pub fn check_memory(
    roots: &[(&str, &str)],
    support: &[(&str, &str)],
) -> (Workspace, Vec<Diagnostic>) {
    let all: Vec<(&str, &str)> = roots.iter().chain(support).copied().collect();
    let mut loader = crate::resolve::MemoryLoader::with(&all);
    let mut ws = Workspace::new();
    let ids: Vec<FileId> = roots
        .iter()
        .map(|(path, text)| {
            ws.load_text(
                &mut loader,
                std::path::Path::new(path),
                text,
                std::path::Path::new("."),
            )
        })
        .collect();
    let (diagnostics, _) = check_units(&mut ws, &ids);
    (ws, diagnostics)
}
