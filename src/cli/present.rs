//! `orgspec export` and `orgspec import`: the establishment list out to spreadsheets, and
//! a starting spec in from one.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::{fail, load};
use crate::project::{EXIT_FAILURE, EXIT_OK};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values, UTF-8, a header row
    Csv,
    /// An Excel workbook (one sheet, `Establishment`)
    Xlsx,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The spec files or folders to export
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// `csv` or `xlsx`
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The establishment export, CSV with a header row
    pub file: PathBuf,
    /// The TOML file that names the export's columns (docs/import.md)
    #[arg(long, value_name = "MAP.toml")]
    pub mapping: PathBuf,
    /// Write the spec to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The settings of the project `path` belongs to: its `orgspec.toml`, as `check` reads it
/// (mistakes in it are `check`'s to report), else the built-in ones.
fn settings(path: Option<&PathBuf>, ws: &mut crate::resolve::Workspace) -> crate::driver::Settings {
    let Some(target) = path.and_then(|p| crate::project::Target::find(p)) else {
        return crate::driver::Settings::default();
    };
    let file = crate::source::normalize(&target.root.join(crate::config::FILE_NAME));
    match crate::project::read_file(&file) {
        Ok(bytes) => crate::config::load(&file, bytes, &mut ws.sources).0,
        Err(_) => crate::driver::Settings::default(),
    }
}

fn write_out(output: Option<&PathBuf>, bytes: &[u8]) -> i32 {
    if let Some(path) = output {
        return match std::fs::write(path, bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                fail(&format!("`{}` cannot be written: {e}", path.display()));
                EXIT_FAILURE
            }
        };
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
    EXIT_OK
}

pub fn export(args: &ExportArgs) -> i32 {
    if args.format == ExportFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal()
    {
        fail("a workbook is not text: write it to a file with `--output establishment.xlsx`");
        return EXIT_FAILURE;
    }
    let Some((ws, roots)) = load(&args.paths, true) else {
        return EXIT_FAILURE;
    };
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut unreadable = 0;
    for (model, diagnostics) in crate::driver::models(&ws, &roots) {
        unreadable += diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .count();
        for row in crate::present::export::rows(&model, &ws.sources) {
            // a post reached from several specs is one row per side
            if seen.insert(row.cells[..2].to_vec()) {
                rows.push(row);
            }
        }
    }
    if unreadable > 0 {
        eprintln!(
            "warning: the specs have {unreadable} errors in what they say; exported what could be read (run `orgspec check` to see them)"
        );
    }
    let bytes = match args.format {
        ExportFormat::Csv => crate::present::export::csv(&rows),
        ExportFormat::Xlsx => crate::present::export::xlsx(&rows),
    };
    match bytes {
        Ok(bytes) => write_out(args.output.as_ref(), &bytes),
        Err(e) => {
            fail(&format!("the export cannot be written: {e}"));
            EXIT_FAILURE
        }
    }
}

pub fn import(args: &ImportArgs) -> i32 {
    let read = |path: &PathBuf| {
        crate::project::read_file(path).and_then(|bytes| {
            if bytes.len() > crate::syntax::MAX_FILE_BYTES {
                Err(format!(
                    "`{}` is too large to import (over 1 GiB)",
                    path.display()
                ))
            } else {
                Ok(bytes)
            }
        })
    };
    let (csv, map_text) = match (read(&args.file), read(&args.mapping)) {
        (Ok(c), Ok(m)) => (c, m),
        (Err(e), _) | (_, Err(e)) => {
            fail(&e);
            return EXIT_FAILURE;
        }
    };
    let map = match std::str::from_utf8(&map_text)
        .map_err(|_| "it is not UTF-8".to_string())
        .and_then(crate::import::mapping)
    {
        Ok(m) => m,
        Err(e) => {
            fail(&format!(
                "the mapping `{}` cannot be used: {e}",
                args.mapping.display()
            ));
            return EXIT_FAILURE;
        }
    };
    let source = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let imported = crate::import::import(&csv, &map, &format!("`{source}`"));
    for p in &imported.problems {
        eprintln!("{}: row {}: {}", args.file.display(), p.row, p.message);
    }
    let text = match crate::format::format(crate::FileId(0), &imported.text) {
        Ok(t) => t,
        Err(_) => imported.text.clone(),
    };
    eprintln!(
        "imported {} rows as {} posts{}",
        imported.rows,
        imported.posts,
        if imported.problems.is_empty() {
            String::new()
        } else {
            format!(
                "; {} rows or values could not be read (above)",
                imported.problems.len()
            )
        }
    );
    let code = write_out(args.output.as_ref(), text.as_bytes());
    if code != EXIT_OK {
        return code;
    }
    if imported.problems.is_empty() {
        EXIT_OK
    } else {
        crate::project::EXIT_FINDINGS
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    /// An SVG picture, drawn by orgspec (no other program)
    Svg,
    /// Graphviz DOT, to lay out with Graphviz
    Dot,
    /// A Mermaid flowchart, for Markdown
    Mermaid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartSide {
    Before,
    After,
    /// Before and after, side by side
    Both,
}

#[derive(clap::Args, Debug)]
pub struct ChartArgs {
    /// The spec file (or folder: its first spec) to chart
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Which structure to draw (`dot` and `mermaid` draw one: `after` unless `before`)
    #[arg(long, value_enum, default_value_t = ChartSide::Both)]
    pub side: ChartSide,
    /// Only the part under this post (its id)
    #[arg(long, value_name = "POST")]
    pub root: Option<String>,
    /// Only this many levels below the top
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// `svg`, `dot` or `mermaid`
    #[arg(long, value_enum, default_value_t = ChartFormat::Svg)]
    pub format: ChartFormat,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The first spec at `paths`, checked with its project's settings: its model and the
/// findings of the run. `what` names the command for its messages ("chart").
fn first_unit(
    paths: &[PathBuf],
    what: &str,
) -> Option<(
    crate::resolve::Workspace,
    crate::FileId,
    crate::model::Model,
    Vec<crate::Diagnostic>,
)> {
    let (mut ws, roots) = load(paths, true)?;
    let Some(&root) = roots.first() else {
        fail(&format!("there is no spec to {what}"));
        return None;
    };
    if roots.len() > 1 {
        eprintln!(
            "note: using `{}`, the first of {} specs; name a file to {what} another",
            ws.sources.path(root).display(),
            roots.len()
        );
    }
    let project = settings(paths.first(), &mut ws);
    let (diagnostics, mut models) =
        crate::driver::check_units_with_models(&mut ws, &[root], &project);
    let model = models.pop()?;
    Some((ws, root, model, diagnostics))
}

pub fn chart(args: &ChartArgs) -> i32 {
    let Some((ws, root, model, diagnostics)) = first_unit(&args.paths, "chart") else {
        return EXIT_FAILURE;
    };
    if let Some(id) = &args.root {
        let known = model
            .decls
            .posts
            .iter()
            .any(|p| ws.sources.slice(p.id) == id);
        if !known {
            fail(&format!(
                "there is no post `{id}` in `{}`",
                ws.sources.path(root).display()
            ));
            return EXIT_FAILURE;
        }
    }
    let options = crate::present::chart::Options {
        side: match args.side {
            ChartSide::Before => Some(crate::model::Side::Before),
            ChartSide::After => Some(crate::model::Side::After),
            ChartSide::Both => None,
        },
        root: args.root.clone(),
        depth: args.depth,
    };
    let text = match args.format {
        ChartFormat::Svg => crate::present::chart::svg(&model, &ws.sources, &diagnostics, &options),
        ChartFormat::Dot => crate::present::chart::dot(&model, &ws.sources, &options),
        ChartFormat::Mermaid => crate::present::chart::mermaid(&model, &ws.sources, &options),
    };
    write_out(args.output.as_ref(), text.as_bytes())
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The earlier version: a spec file, or a folder of specs
    pub old: PathBuf,
    /// The later version
    pub new: PathBuf,
    /// `human` or `json`
    #[arg(long, value_enum, default_value_t = super::ListFormat::Human)]
    pub format: super::ListFormat,
}

/// One version of a proposal, read and checked.
fn version(path: &PathBuf) -> Option<(Vec<crate::present::export::Row>, Vec<crate::Diagnostic>)> {
    let (mut ws, roots) = load(std::slice::from_ref(path), true)?;
    let project = settings(Some(path), &mut ws);
    let (diagnostics, models) = crate::driver::check_units_with_models(&mut ws, &roots, &project);
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for model in models {
        for row in crate::present::export::rows(&model, &ws.sources) {
            if seen.insert(row.cells[..2].to_vec()) {
                rows.push(row);
            }
        }
    }
    Some((rows, diagnostics))
}

pub fn diff(args: &DiffArgs) -> i32 {
    let (Some(old), Some(new)) = (version(&args.old), version(&args.new)) else {
        return EXIT_FAILURE;
    };
    let d = crate::present::diff::diff(
        &crate::present::diff::Version {
            rows: old.0,
            findings: &old.1,
        },
        &crate::present::diff::Version {
            rows: new.0,
            findings: &new.1,
        },
    );
    let text = match args.format {
        super::ListFormat::Human => crate::present::diff::human(&d),
        super::ListFormat::Json => crate::present::diff::json(&d),
    };
    let code = write_out(None, text.as_bytes());
    if code != EXIT_OK {
        code
    } else if d.new_errors() {
        crate::project::EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The spec file (or folder: its first spec) to report on
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write the page to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn report(args: &ReportArgs) -> i32 {
    let Some((ws, _, model, diagnostics)) = first_unit(&args.paths, "report on") else {
        return EXIT_FAILURE;
    };
    let chart = crate::present::chart::svg(
        &model,
        &ws.sources,
        &diagnostics,
        &crate::present::chart::Options::default(),
    );
    let page = crate::present::html::report(&model, &ws.sources, &diagnostics, &chart);
    write_out(args.output.as_ref(), page.as_bytes())
}
