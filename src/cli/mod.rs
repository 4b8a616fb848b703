//! The command line: arguments, output and exit codes, over the project on disk
//! (`crate::project`).

mod fmt;
mod present;
mod write_back;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::{Severity, Summary};
use crate::driver;
use crate::report::{self, HumanOptions};
use crate::resolve::Workspace;

use crate::project;
use crate::project::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};

#[derive(Parser, Debug)]
#[command(
    name = "orgspec",
    version,
    about = "Check organisational structures and restructures written as code",
    long_about = "orgspec reads `.org` spec files — the posts of a body before and after a restructure, \
                  what happens to each post-holder, funding, tier alignment and the timetable — and reports \
                  every problem it finds."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check specs and report every problem found
    Check(CheckArgs),
    /// Lay out `.org` files in the one canonical layout (comments and meaning kept)
    Fmt(fmt::FmtArgs),
    /// Run the language server on standard input and output (for editors)
    Lsp,
    /// List every rule: id, default severity, whether this version checks it, one line;
    /// then the rules written in the specs of the current folder (or PATHS), marked local
    Rules {
        /// `human` (a table) or `json` (for tools)
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Specs whose own rules to list too (default: the current folder, if it has any)
        paths: Vec<PathBuf>,
    },
    /// Print a rule's documentation: what it catches, why, an example, how to fix it; a
    /// rule written in the specs of the current folder (or PATHS) too
    Explain {
        /// The rule id, as shown in brackets in findings (`funding_sum`)
        rule: String,
        /// Specs whose own rules to look in too (default: the current folder)
        paths: Vec<PathBuf>,
    },
    /// Draw the org chart, before and after side by side, as SVG (or DOT, or Mermaid),
    /// with each post's status and findings marked (docs/charts.md)
    Chart(present::ChartArgs),
    /// One self-contained HTML page for a Cabinet paper: the establishment before and
    /// after, the HR outcomes, the redundancies, the timetable, both charts, the findings
    /// and the open questions (docs/report.md)
    Report(present::ReportArgs),
    /// What changed between two versions of a proposal: posts added, removed and changed
    /// field by field, and findings new, fixed or still there; exit 1 when NEW has errors
    /// OLD did not (docs/diff.md)
    Diff(present::DiffArgs),
    /// Write the establishment list — one row per post and side — as CSV or an Excel
    /// workbook (docs/export.md)
    Export(present::ExportArgs),
    /// Write a starting `.org` spec from an establishment export (CSV), its columns named
    /// in a small TOML mapping (docs/import.md)
    Import(present::ImportArgs),
    /// Write a realistic generated spec of N posts to standard output (for benchmarks)
    Generate {
        /// How many posts, from 1 to 10,000,000 (about 1 GB of spec, the largest file
        /// orgspec reads)
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        posts: u64,
        /// Seed of the generator: the same seed gives the same spec
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical reports with the source quoted
    Human,
    /// `path:line:col: severity[rule]: message`, one per line
    Short,
    /// One JSON document (see docs/json-output.md)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers
    Sarif,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// JUnit XML, for CI test reports
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The least severe finding to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    /// Errors only
    Error,
    /// Errors and warnings (no notes)
    Warning,
    /// Everything, notes included
    Info,
}

impl MinSeverity {
    fn admits(self, severity: Severity) -> bool {
        severity
            <= match self {
                MinSeverity::Error => Severity::Error,
                MinSeverity::Warning => Severity::Warning,
                MinSeverity::Info => Severity::Info,
            }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Exit with 1 when there are warnings, not only errors
    Warnings,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check (folders are searched for `*.org`, honouring .gitignore)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// How to print the findings
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in human output (`auto`: on a terminal, unless `NO_COLOR` is set)
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Report only findings of this severity or worse, in every format (findings not
    /// reported do not count towards the exit code)
    #[arg(long, value_enum, default_value_t = MinSeverity::Info, value_name = "SEVERITY")]
    pub min_severity: MinSeverity,
    /// In human output, list each open question (`undecided`) in full instead of a summary
    #[arg(long)]
    pub open_questions: bool,
    /// Treat warnings as errors for the exit code
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Settings file to use instead of the `orgspec.toml` found above the checked paths
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also check every spec of the project that uses a named file, directly or through
    /// other files (a change to a shared file can break the specs that use it); the
    /// project is the folder holding `orgspec.toml`, else the current folder
    #[arg(long)]
    pub dependents: bool,
    /// Print where the time went (each stage, and each rule, the slowest first) and peak
    /// memory to standard error
    #[arg(long)]
    pub timings: bool,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            };
        }
    };
    if matches!(
        cli.command,
        Command::Check(_)
            | Command::Chart(_)
            | Command::Diff(_)
            | Command::Report(_)
            | Command::Lsp
    ) {
        // the rules are needed last: load them while the spec is read and resolved (the
        // language server: while the editor starts it and opens the first file)
        crate::check::engine::stdlib::preload();
    }
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp => crate::lsp::run(),
        Command::Rules { format, paths } => {
            let Some(local) = local_rules(&paths) else {
                return EXIT_FAILURE;
            };
            print(&match format {
                ListFormat::Human => {
                    let mut table = crate::check::docs::rules_table();
                    let own = crate::check::local::table(&local);
                    if !own.is_empty() {
                        table.push('\n');
                        table.push_str(&own);
                    }
                    table
                }
                ListFormat::Json => crate::check::docs::rules_json_with(&local),
            })
        }
        Command::Explain { rule, paths } => match local_rules(&paths)
            .ok_or_else(String::new)
            .and_then(|local| crate::check::docs::explain_with(&rule, &local))
        {
            Ok(text) => print(&text),
            Err(message) => {
                if !message.is_empty() {
                    fail(&message);
                }
                EXIT_FAILURE
            }
        },
        Command::Chart(args) => present::chart(&args),
        Command::Diff(args) => present::diff(&args),
        Command::Report(args) => present::report(&args),
        Command::Export(args) => present::export(&args),
        Command::Import(args) => present::import(&args),
        Command::Generate { posts, seed } => {
            let text = crate::generate::spec(posts as usize, seed);
            let mut out = std::io::stdout().lock();
            if out.write_all(text.as_bytes()).is_err() {
                return EXIT_FAILURE;
            }
            EXIT_OK
        }
    }
}

/// The rules written in the specs at `paths` (the current folder when none is named, and
/// then a folder with no specs is no failure). `None` when a named path cannot be read
/// (said on standard error).
fn local_rules(paths: &[PathBuf]) -> Option<Vec<crate::check::local::LocalRule>> {
    let named = !paths.is_empty();
    let default = [PathBuf::from(".")];
    let (ws, roots) = load(if named { paths } else { &default[..] }, named)?;
    Some(crate::check::local::local_rules(&ws, &roots))
}

/// Load the specs at `paths`. With `strict`, a path that does not exist or holds no spec
/// fails (said on standard error, `None`); without, it is passed over.
pub(crate) fn load(paths: &[PathBuf], strict: bool) -> Option<(Workspace, Vec<crate::FileId>)> {
    let mut loader = project::FsLoader;
    let mut ws = Workspace::new();
    let mut roots = Vec::new();
    for path in paths {
        let Some(target) = project::Target::find(path) else {
            if strict {
                fail(&format!("`{}` does not exist", path.display()));
                return None;
            }
            continue;
        };
        let files = match target.files() {
            Ok(files) => files,
            Err(message) if strict => {
                fail(&message);
                return None;
            }
            Err(_) => continue,
        };
        for file in files {
            match ws.load_root(&mut loader, &file, &target.root) {
                Ok(id) => roots.push(id),
                Err(message) if strict => {
                    fail(&message);
                    return None;
                }
                Err(_) => {}
            }
        }
    }
    Some((ws, roots))
}

/// The specs that use one of the `named` files (with their roots), directly or through
/// other files: found among the `.org` files of each named file's project (the folder
/// holding `orgspec.toml`, else the current folder), with that folder as their root.
fn dependents(named: &[(PathBuf, PathBuf)]) -> Vec<(PathBuf, PathBuf)> {
    let mut by_project: Vec<(PathBuf, Vec<&std::path::Path>)> = Vec::new();
    for (file, root) in named {
        let project = if root.join(crate::config::FILE_NAME).is_file() {
            root.clone()
        } else {
            PathBuf::from(".")
        };
        match by_project.iter_mut().find(|(p, _)| *p == project) {
            Some((_, files)) => files.push(file),
            None => by_project.push((project, vec![file])),
        }
    }
    let mut found = Vec::new();
    for (project, files) in by_project {
        let Ok(candidates) = (project::Target {
            path: project.clone(),
            is_dir: true,
            root: project.clone(),
        })
        .files() else {
            continue;
        };
        // A scratch workspace: the project's files are read for their `use` items only, to
        // find who uses what; their own mistakes are not reported unless they are checked.
        let mut loader = project::FsLoader;
        let mut ws = Workspace::uses_only();
        let wanted: Vec<crate::FileId> = files
            .iter()
            .filter_map(|f| ws.load_root(&mut loader, f, &project).ok())
            .collect();
        for candidate in candidates {
            let Ok(id) = ws.load_root(&mut loader, &candidate, &project) else {
                continue;
            };
            if !wanted.contains(&id) && ws.unit_files(id).iter().any(|f| wanted.contains(f)) {
                found.push((candidate, project.clone()));
            }
        }
    }
    found
}

/// Print to standard output; a closed pipe (`orgspec rules | head`) is not a failure.
fn print(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

/// The width human reports are wrapped to: `COLUMNS`, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// The command line as typed, to show how to run it again with another flag.
fn rerun_command() -> String {
    let mut words = vec!["orgspec".to_string()];
    words.extend(std::env::args().skip(1).map(|a| {
        if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
            format!("'{}'", a.replace('\'', "'\\''"))
        } else {
            a
        }
    }));
    words.join(" ")
}

fn fail(message: &str) {
    eprintln!("error: {message}");
}

fn check(args: &CheckArgs) -> i32 {
    let started = Instant::now();
    let mut failed = false;
    let mut loader = project::FsLoader;
    // each unit is lowered once: posts are parsed as they are lowered (`syntax::defer`)
    let mut ws = Workspace::deferring_posts();
    let mut roots = Vec::new();
    let mut files_seen = std::collections::HashSet::new();
    // The files to check, with the project root their imports may not leave.
    let mut named: Vec<(PathBuf, PathBuf)> = Vec::new();

    let mut config_files: Vec<PathBuf> = Vec::new();
    if let Some(path) = &args.config {
        if !path.is_file() {
            fail(&format!(
                "the settings file `{}` does not exist",
                path.display()
            ));
            return EXIT_FAILURE;
        }
        config_files.push(path.clone());
    }
    for path in &args.paths {
        let Some(target) = project::Target::find(path) else {
            fail(&format!("`{}` does not exist", path.display()));
            failed = true;
            continue;
        };
        if args.config.is_none() {
            let file = crate::source::normalize(&target.root.join(crate::config::FILE_NAME));
            if file.is_file() && !config_files.contains(&file) {
                config_files.push(file);
            }
        }
        let files = match target.files() {
            Ok(files) => files,
            Err(message) => {
                fail(&message);
                failed = true;
                continue;
            }
        };
        for file in files {
            named.push((file, target.root.clone()));
        }
    }
    if args.dependents {
        let found = dependents(&named);
        named.extend(found);
    }
    for (file, root) in named {
        if !files_seen.insert(file.clone()) {
            continue;
        }
        match ws.load_root(&mut loader, &file, &root) {
            Ok(id) => roots.push(id),
            Err(message) => {
                fail(&message);
                failed = true;
            }
        }
    }
    if config_files.len() > 1 {
        let listed: Vec<String> = config_files
            .iter()
            .map(|f| format!("`{}`", f.display()))
            .collect();
        fail(&format!(
            "the paths belong to projects with different settings ({}): check each project on its own, or name one with `--config`",
            listed.join(", ")
        ));
        return EXIT_FAILURE;
    }
    let settings = match config_files.first() {
        Some(file) => {
            let bytes = match project::read_file(file) {
                Ok(bytes) => bytes,
                Err(message) => {
                    fail(&message);
                    return EXIT_FAILURE;
                }
            };
            let (settings, mistakes) = crate::config::load(file, bytes, &mut ws.sources);
            ws.file_diagnostics.extend(mistakes);
            settings
        }
        None => driver::Settings::default(),
    };
    let read = started.elapsed();

    let (mut diagnostics, timings) = driver::check_units(&mut ws, &roots, &settings);
    diagnostics.retain(|d| args.min_severity.admits(d.severity));
    let summary = Summary::count(&diagnostics, roots.len());

    let t = Instant::now();
    let text = match args.format {
        Format::Short => report::render_short(&ws.sources, &diagnostics),
        Format::Json => report::render_json(&ws.sources, &diagnostics, summary),
        Format::Sarif => report::render_sarif(&ws.sources, &diagnostics, &|span| {
            ws.item_at(span)
                .map(|(kind, id)| (kind.to_string(), id.to_string()))
        }),
        Format::Github => report::render_github(&ws.sources, &diagnostics),
        Format::Junit => report::render_junit(&ws.sources, &diagnostics, &roots, &|span| {
            ws.item_at(span)
                .map(|(kind, id)| (kind.to_string(), id.to_string()))
        }),
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let options = HumanOptions {
                color,
                width: terminal_width(),
            };
            let mut s = report::render_page(
                &ws.sources,
                &diagnostics,
                options,
                &report::PageOptions {
                    open_questions: args.open_questions,
                    command: rerun_command(),
                },
            );
            if !roots.is_empty() {
                s.push_str(&report::summary_line(&summary));
                s.push('\n');
            }
            s
        }
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`orgspec check | head`) is not a failure of the check.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    let render = t.elapsed();

    if args.timings {
        eprintln!(
            "timings: read+parse {:.3}s, resolve {:.3}s (posts are parsed as they are lowered), model {:.3}s, checks {:.3}s, report {:.3}s, total {:.3}s; peak memory {}",
            read.as_secs_f64(),
            timings.lower.as_secs_f64(),
            timings.model.as_secs_f64(),
            timings.checks.as_secs_f64(),
            render.as_secs_f64(),
            started.elapsed().as_secs_f64(),
            project::peak_memory().map_or_else(|| "unknown".to_string(), |kb| format!("{} MiB", kb / 1024)),
        );
        eprint!("{}", rule_timings(&timings.rules));
    }

    // The process ends here: freeing a million-post tree item by item would only cost time.
    std::mem::forget(ws);

    if failed {
        return EXIT_FAILURE;
    }
    let deny_warnings = args.deny == Some(Deny::Warnings);
    let fails = diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    if fails {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Each rule's time under the `--timings` line, the slowest first.
fn rule_timings(times: &crate::check::RuleTimes) -> String {
    let threads = rayon::current_num_threads();
    let mut out = format!(
        "rules: {:.3}s in all, {} side by side (the slowest first):\n",
        times.total().as_secs_f64(),
        if threads == 1 {
            "one at a time".to_string()
        } else {
            format!("up to {threads}")
        }
    );
    for (rule, took) in times.slowest_first() {
        let _ = std::fmt::Write::write_fmt(
            &mut out,
            format_args!("  {:>8.4}s  {rule}\n", took.as_secs_f64()),
        );
    }
    out
}
