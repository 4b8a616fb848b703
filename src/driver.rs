//! The pipeline for a set of compilation units: resolve → model → check, then merge,
//! de-duplicate and order the findings. Pure: files come in through the [`Workspace`].

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::check;
pub use crate::check::engine::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::resolve::{NameIndex, Workspace};
use crate::source::FileId;
use crate::source::Span;
use crate::vocab::catalogue;

/// Where a run spent its time, for `--timings` and the benchmark.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub lower: Duration,
    pub model: Duration,
    pub checks: Duration,
    /// Each rule's part of `checks`.
    pub rules: check::RuleTimes,
}

/// Check every unit rooted at `roots`. A file reached from several roots is reported once:
/// identical findings are merged.
pub fn check_units(
    ws: &mut Workspace,
    roots: &[FileId],
    settings: &Settings,
) -> (Vec<Diagnostic>, Timings) {
    let (diagnostics, timings, _) = check_units_indexed(ws, roots, settings, false);
    (diagnostics, timings)
}

/// [`check_units`], also recording where ids are declared and used when `index` (for the
/// language server): one [`NameIndex`] for all units, without repeats.
pub fn check_units_indexed(
    ws: &mut Workspace,
    roots: &[FileId],
    settings: &Settings,
    index: bool,
) -> (Vec<Diagnostic>, Timings, NameIndex) {
    let (diagnostics, timings, names, _) = run(ws, roots, settings, index, false);
    (diagnostics, timings, names)
}

/// [`check_units`], also keeping each unit's model (for `chart`, `report`, `diff`: what
/// was checked is what is shown, built once).
pub fn check_units_with_models(
    ws: &mut Workspace,
    roots: &[FileId],
    settings: &Settings,
) -> (Vec<Diagnostic>, Vec<Model>) {
    let (diagnostics, _, _, models) = run(ws, roots, settings, false, true);
    (diagnostics, models)
}

fn run(
    ws: &mut Workspace,
    roots: &[FileId],
    settings: &Settings,
    index: bool,
    keep_models: bool,
) -> (Vec<Diagnostic>, Timings, NameIndex, Vec<Model>) {
    let mut models = Vec::new();
    let mut names = NameIndex::default();
    // FxHash: a 10k-post workspace records tens of thousands of uses on every keystroke
    let mut seen_declarations = FxHashSet::default();
    let mut seen_references = FxHashSet::default();
    let mut timings = Timings::default();
    ws.report_cycles();
    let mut all = std::mem::take(&mut ws.file_diagnostics);
    // An allow in a file shared by several units is unused only if no unit used it.
    let mut allows: HashMap<Span, (String, bool)> = HashMap::new();
    let mut user_rules = check::UserRules::default();
    let units: Vec<Vec<FileId>> = roots.iter().map(|&root| ws.unit_files(root)).collect();
    // one unit: its index lists each declaration and use once already (a test holds it to
    // that, below), and is taken whole; the sets that keep them once when units share a
    // file were a tenth of a keystroke's time at 10k posts
    let one_unit = units.len() == 1;
    // the last unit to read each file
    let mut last: FxHashMap<FileId, usize> = FxHashMap::default();
    for (i, files) in units.iter().enumerate() {
        last.extend(files.iter().map(|&f| (f, i)));
    }
    for (i, files) in units.iter().enumerate() {
        let t = Instant::now();
        // A unit that no later one reads is lowered freeing its posts' syntax trees on
        // the way (a large spec's tree and its lowering are then not held at once); an
        // editor's check keeps them, to reuse them after the next keystroke.
        let release = !index && files.iter().all(|f| last.get(f) == Some(&i));
        let (sources, mut lowered) = if release {
            let first = ws.lower_unit_releasing(files);
            if first.1.incomplete {
                // a post left to be parsed when lowered reads otherwise than its first
                // line said: parse the unit in full (its syntax errors with it)
                drop(first);
                all.extend(ws.parse_released(files));
                ws.lower_unit_releasing(files)
            } else {
                first
            }
        } else {
            all.extend(ws.parse_deferred(files));
            (&ws.sources, ws.lower_unit(files, index))
        };
        lowered.keep_names_for_rules();
        if let (Some(unit), true) = (lowered.index.as_mut(), one_unit) {
            names.declarations = std::mem::take(&mut unit.declarations);
            names.references = std::mem::take(&mut unit.references);
        } else if let Some(unit) = lowered.index {
            // a 10k-post unit: tens of thousands of uses, recorded on every keystroke
            seen_declarations.reserve(unit.declarations.len());
            seen_references.reserve(unit.references.len());
            names.declarations.reserve(unit.declarations.len());
            names.references.reserve(unit.references.len());
            for d in unit.declarations {
                if seen_declarations.insert(d) {
                    names.declarations.push(d);
                }
            }
            for r in unit.references {
                if seen_references.insert(r) {
                    names.references.push(r);
                }
            }
        }
        let mut diagnostics = lowered.diagnostics;
        timings.lower += t.elapsed();
        let t = Instant::now();
        let model = Model::build(lowered.decls);
        timings.model += t.elapsed();
        let t = Instant::now();
        let unit = check::Unit {
            model: &model,
            rules: &lowered.rules,
            names: &lowered.names,
        };
        diagnostics.extend(check::run(
            &unit,
            sources,
            settings,
            &mut user_rules,
            &mut timings.rules,
        ));
        settings.apply(&mut diagnostics);
        let used = check::suppress(&model, &mut diagnostics);
        for (allow, used) in model.decls.allows.iter().zip(used) {
            let entry = allows
                .entry(allow.rule_span)
                .or_insert_with(|| (allow.rule.clone(), false));
            entry.1 |= used;
        }
        timings.checks += t.elapsed();
        all.extend(diagnostics);
        if keep_models {
            models.push(model);
        }
    }
    all.extend(crate::config::unresolved(settings, &user_rules.ids));
    if index && !user_rules.item_uses.is_empty() {
        if one_unit {
            // its uses were taken whole, not kept in the set
            seen_references.extend(names.references.iter().copied());
        }
        // ids the units' own rules name, in the namespace they were declared in
        let declared: FxHashMap<Span, _> =
            names.declarations.iter().map(|&(ns, s)| (s, ns)).collect();
        for (at, target) in user_rules.item_uses {
            if let Some(&ns) = declared.get(&target) {
                if seen_references.insert((at, ns, target)) {
                    names.references.push((at, ns, target));
                }
            }
        }
    }
    for (span, (rule, used)) in allows {
        if used || settings.severity(&rule, Severity::Warning).is_none() {
            continue;
        }
        let Some(severity) = settings.severity("unused_allow", catalogue::severity("unused_allow"))
        else {
            continue;
        };
        all.push(
            Diagnostic::new(
                "unused_allow",
                severity,
                span,
                format!("this `@allow({rule})` suppresses nothing"),
            )
            .with_label(format!("no `{rule}` finding on this item"))
            .with_help(format!(
                "remove the `@allow`: the item no longer has a `{rule}` finding, and a stale allow would hide a new one"
            )),
        );
    }
    (order(ws, all), timings, names, models)
}

/// The model of every unit rooted at `roots` (for `export`, `chart`, `report`), each with
/// the findings of its lowering (what could not be read).
pub fn models(ws: &Workspace, roots: &[FileId]) -> Vec<(Model, Vec<Diagnostic>)> {
    roots
        .iter()
        .map(|&root| {
            let files = ws.unit_files(root);
            let lowered = ws.lower_unit(&files, false);
            (Model::build(lowered.decls), lowered.diagnostics)
        })
        .collect()
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
    let (diagnostics, _) = check_units(&mut ws, &ids, &Settings::default());
    (ws, diagnostics)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rustc_hash::FxHashSet;

    use crate::project::{FsLoader, Target};
    use crate::resolve::Workspace;

    /// A unit's index of names (what the language server answers definition, references
    /// and rename from) lists each declaration and each use once, for every shipped spec
    /// and fixture: a workspace of one unit takes it whole, without the sets that keep
    /// them once when units share a file (`run`).
    #[test]
    fn a_units_index_lists_each_name_once() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        // the files `orgspec check specs tests/fixtures` would check, each with its root
        let files: Vec<_> = ["specs", "tests/fixtures"]
            .iter()
            .map(|dir| Target::find(&repo.join(dir)).expect("a folder of the repository"))
            .flat_map(|t| {
                let files = t.files().expect("its specs");
                files.into_iter().map(move |f| (f, t.root.clone()))
            })
            .collect();
        assert!(files.len() > 150, "{} specs", files.len());
        let mut names = 0;
        for (path, root) in files {
            let mut ws = Workspace::new();
            let root = ws
                .load_root(&mut FsLoader, &path, &root)
                .expect("a spec of the repository loads");
            let lowered = ws.lower_unit(&ws.unit_files(root), true);
            let index = lowered.index.expect("an index, asked for");
            let declared: FxHashSet<_> = index.declarations.iter().collect();
            assert_eq!(
                declared.len(),
                index.declarations.len(),
                "{}",
                path.display()
            );
            let used: FxHashSet<_> = index.references.iter().collect();
            assert_eq!(used.len(), index.references.len(), "{}", path.display());
            names += index.references.len();
        }
        assert!(names > 1000, "{names} uses in all");
    }
}
