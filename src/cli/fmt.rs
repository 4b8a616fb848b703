//! `orgspec fmt`: lay files out canonically, check that they are, or show the difference.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use crate::format::{format, FormatError};
use crate::report::{self, HumanOptions};
use crate::source::SourceMap;

use super::write_back::write_back;
use super::{fail, Color};
use crate::project::{self, EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};

/// The UTF-8 byte-order mark: kept when a file has one.
const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files or folders to format (folders are searched for `*.org`, honouring .gitignore);
    /// `-` formats standard input to standard output
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted and exit with 1 if there are any
    #[arg(long)]
    pub check: bool,
    /// Change nothing: print the changes as a unified diff, and exit with 1 if there are any
    #[arg(long)]
    pub diff: bool,
    /// Colour in the report of a file that does not parse
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// What became of one file.
enum Outcome {
    Unchanged,
    /// The formatted text differs (and, unless checking, was written).
    Changed,
    /// Not formatted: it does not parse, or could not be read or written.
    Refused,
    /// Not formatted: the formatter would have changed what it says.
    Failed,
}

pub fn run(args: &FmtArgs) -> i32 {
    let mut outcomes = Vec::new();
    let mut failed = false;
    for path in &args.paths {
        if path == Path::new("-") {
            outcomes.push(stdin(args));
            continue;
        }
        let Some(target) = project::Target::find(path) else {
            fail(&format!("`{}` does not exist", path.display()));
            failed = true;
            continue;
        };
        match target.files() {
            Ok(files) => outcomes.extend(files.iter().map(|f| file(args, f))),
            Err(message) => {
                fail(&message);
                failed = true;
            }
        }
    }
    let count = |want: fn(&Outcome) -> bool| outcomes.iter().filter(|o| want(o)).count();
    let changed = count(|o| matches!(o, Outcome::Changed));
    let unchanged = count(|o| matches!(o, Outcome::Unchanged));
    let refused = count(|o| matches!(o, Outcome::Refused));
    failed |= outcomes.iter().any(|o| matches!(o, Outcome::Failed));
    let reading_stdin = args.paths.iter().any(|p| p == Path::new("-"));
    if !reading_stdin || args.paths.len() > 1 {
        eprintln!("{}", summary(args, changed, unchanged, refused));
    }
    if failed {
        EXIT_FAILURE
    } else if refused > 0 || (changed > 0 && (args.check || args.diff)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn summary(args: &FmtArgs, changed: usize, unchanged: usize, refused: usize) -> String {
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if changed > 0 || unchanged + refused == 0 {
        parts.push(if args.check || args.diff {
            format!("{} would be reformatted", files(changed))
        } else {
            format!("{} reformatted", files(changed))
        });
    }
    if unchanged > 0 {
        parts.push(format!("{} already formatted", files(unchanged)));
    }
    if refused > 0 {
        parts.push(format!("{} not formatted", files(refused)));
    }
    parts.join(", ")
}

/// Format the text of `path`; `Err` is the outcome when it cannot be.
fn formatted(args: &FmtArgs, path: &Path, bytes: Vec<u8>) -> Result<(String, String), Outcome> {
    let mut sources = SourceMap::default();
    let (id, problem) = crate::resolve::add_file(&mut sources, path, bytes);
    if let Some(problem) = problem {
        report_errors(args, &sources, &[problem]);
        return Err(Outcome::Refused);
    }
    let text = &sources.get(id).text;
    match format(id, text) {
        Ok(new) => Ok((text.clone(), new)),
        Err(FormatError::Syntax(diagnostics)) => {
            report_errors(args, &sources, &diagnostics);
            fail(&format!(
                "`{}` was not formatted: fix the syntax error above first",
                path.display()
            ));
            Err(Outcome::Refused)
        }
        Err(FormatError::Unsafe(why)) => {
            fail(&format!(
                "`{}` was not formatted: the new layout would have changed what it says ({why}). This is a bug in orgspec; the file is untouched",
                path.display()
            ));
            Err(Outcome::Failed)
        }
    }
}

fn file(args: &FmtArgs, path: &Path) -> Outcome {
    let bytes = match project::read_file(path) {
        Ok(bytes) => bytes,
        Err(message) => {
            fail(&message);
            return Outcome::Failed;
        }
    };
    let bom = bytes.starts_with(BOM);
    let (old, new) = match formatted(args, path, bytes.clone()) {
        Ok(texts) => texts,
        Err(outcome) => return outcome,
    };
    if old == new {
        return Outcome::Unchanged;
    }
    if args.diff {
        print(&diff(path, &old, &new));
    } else if args.check {
        print(&format!("would reformat `{}`\n", path.display()));
    } else {
        let mut out = Vec::with_capacity(new.len() + 3);
        if bom {
            out.extend_from_slice(BOM);
        }
        out.extend_from_slice(new.as_bytes());
        if let Err(why) = write_back(path, &bytes, &out) {
            fail(&format!(
                "`{}` was not formatted: {why}; orgspec left it as it is",
                path.display()
            ));
            return if why.is_users_to_fix() {
                Outcome::Refused
            } else {
                Outcome::Failed
            };
        }
    }
    Outcome::Changed
}

fn stdin(args: &FmtArgs) -> Outcome {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        fail(&format!("standard input cannot be read: {e}"));
        return Outcome::Failed;
    }
    let bom = bytes.starts_with(BOM);
    let path = Path::new("<stdin>");
    let (old, new) = match formatted(args, path, bytes) {
        Ok(texts) => texts,
        Err(outcome) => return outcome,
    };
    if args.diff {
        if old != new {
            print(&diff(path, &old, &new));
        }
    } else if !args.check {
        print(&format!("{}{new}", if bom { "\u{feff}" } else { "" }));
    }
    if old == new {
        Outcome::Unchanged
    } else {
        Outcome::Changed
    }
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn report_errors(args: &FmtArgs, sources: &SourceMap, diagnostics: &[crate::Diagnostic]) {
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = report::render_human(
        sources,
        diagnostics,
        HumanOptions {
            color,
            width: super::terminal_width(),
        },
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A unified diff that `patch -p1` or `git apply` can apply.
fn diff(path: &Path, old: &str, new: &str) -> String {
    let shown = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}
