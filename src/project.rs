//! The project on disk, shared by the command line and the language server: reading
//! files, finding `.org` files and the project root (the folder of `orgspec.toml`), and
//! the exit codes. With `cli` and `lsp`, the only modules that touch the file system.

/// Exit codes (docs/language.md, output and exit codes): no errors.
pub const EXIT_OK: i32 = 0;
/// Errors found (or warnings, with `--deny warnings`).
pub const EXIT_FINDINGS: i32 = 1;
/// The run itself failed: bad arguments, a missing path, an unreadable file.
pub const EXIT_FAILURE: i32 = 2;

use std::path::{Path, PathBuf};

use crate::resolve::Loader;

/// Reads real files.
pub struct FsLoader;

impl Loader for FsLoader {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String> {
        read_file(path)
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }
}

/// The bytes of the file at `path`, as every reader of orgspec takes them: a regular file
/// only (a named pipe would block for ever, a device such as `/dev/zero` never ends), and
/// at most one byte past the largest file orgspec reads, so a huge file is refused as too
/// large without being read whole.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let regular = |meta: &std::fs::Metadata| -> Result<(), String> {
        if meta.is_dir() {
            Err(format!("`{}` is a folder, not a file", path.display()))
        } else if !meta.is_file() {
            Err(format!(
                "`{}` is not a regular file (a named pipe, a device or a socket): orgspec reads only files",
                path.display()
            ))
        } else {
            Ok(())
        }
    };
    regular(&std::fs::metadata(path).map_err(|e| describe(path, &e))?)?;
    let file = std::fs::File::open(path).map_err(|e| describe(path, &e))?;
    // the file opened may not be the one looked at, if it was replaced in between
    let meta = file.metadata().map_err(|e| describe(path, &e))?;
    regular(&meta)?;
    let limit = crate::syntax::MAX_FILE_BYTES as u64 + 1;
    if meta.len() >= limit {
        return Err(format!(
            "`{}` is too large to check ({:.1} GiB; orgspec reads files up to 1 GiB): split it into files joined by `use`",
            path.display(),
            meta.len() as f64 / f64::from(1u32 << 30)
        ));
    }
    // sized at once: grown by doubling, a large file's buffer was copied into fresh memory
    // at each step, and the system zeroed twice the file's size (the length is a hint:
    // a file that grows meanwhile is still read to its end, up to the limit)
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| describe(path, &e))?;
    Ok(bytes)
}

fn describe(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("`{}` does not exist", path.display()),
        std::io::ErrorKind::PermissionDenied => {
            format!("`{}` cannot be read: permission denied", path.display())
        }
        _ => format!("`{}` cannot be read: {e}", path.display()),
    }
}

/// A path given on the command line, with the project root its imports may not leave.
pub struct Target {
    pub path: PathBuf,
    pub is_dir: bool,
    pub root: PathBuf,
}

impl Target {
    pub fn find(path: &Path) -> Option<Target> {
        let meta = std::fs::metadata(path).ok()?;
        let is_dir = meta.is_dir();
        let folder = if is_dir {
            path.to_path_buf()
        } else {
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let root = project_root(&folder).unwrap_or(folder);
        Some(Target {
            path: path.to_path_buf(),
            is_dir,
            root,
        })
    }

    /// The `.org` files to check, sorted; a folder is walked honouring `.gitignore`.
    pub fn files(&self) -> Result<Vec<PathBuf>, String> {
        if !self.is_dir {
            return Ok(vec![self.path.clone()]);
        }
        let mut files = Vec::new();
        let walker = ignore::WalkBuilder::new(&self.path)
            .require_git(false)
            .sort_by_file_path(Ord::cmp)
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", self.path.display()))?;
            let p = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && p.extension().is_some_and(|e| e == "org")
            {
                let p = p.strip_prefix("./").unwrap_or(p);
                files.push(p.to_path_buf());
            }
        }
        if files.is_empty() {
            return Err(format!("no `.org` files in `{}`", self.path.display()));
        }
        Ok(files)
    }
}

/// The nearest folder at or above `folder` that holds `orgspec.toml`.
pub fn project_root(folder: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(folder).ok()?;
    let mut at = Some(start.as_path());
    let mut ups = 0;
    while let Some(dir) = at {
        if dir.join("orgspec.toml").is_file() {
            // keep the root relative to how the user reached the folder
            let mut rel = folder.to_path_buf();
            for _ in 0..ups {
                rel.push("..");
            }
            return Some(crate::source::normalize(&rel));
        }
        at = dir.parent();
        ups += 1;
    }
    None
}

/// Peak resident memory of this process in KiB (Linux).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
