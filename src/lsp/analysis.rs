//! One run of the pipeline over the project, with the editor's unsaved buffers in place of
//! the files on disk, and what the editor features read from it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::driver;
use crate::resolve::{Loader, NameIndex, Workspace};
use crate::source::{normalize, FileId, Span};
use crate::syntax::reuse::Previous;
use crate::vocab::Namespace;

/// Open buffers over the file system.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, String>,
}

impl Loader for Overlay<'_> {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String> {
        match self.open.get(&normalize(path)) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => crate::project::FsLoader.read(path),
        }
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok().or_else(|| {
            self.open
                .contains_key(&normalize(path))
                .then(|| normalize(path))
        })
    }
}

/// The result of one run: the files, their findings, and where names are declared and used.
pub struct Analysis {
    pub ws: Workspace,
    pub diagnostics: Vec<Diagnostic>,
    pub names: NameIndex,
    by_path: HashMap<PathBuf, FileId>,
    /// The files checked as units (the project's and the open ones), in load order.
    roots: Vec<FileId>,
}

impl Analysis {
    /// Check `roots` (absolute paths) in the project at `root`, with `settings_file` if the
    /// project has one; the items of `previous` (an earlier analysis's parses, from
    /// [`Analysis::into_previous`]) whose text has not changed are reused, not parsed again.
    pub fn run(
        roots: &[PathBuf],
        root: &Path,
        settings_file: Option<&Path>,
        open: &HashMap<PathBuf, String>,
        previous: HashMap<PathBuf, Previous>,
    ) -> Analysis {
        let mut loader = Overlay { open };
        let mut ws = Workspace::reusing(previous);
        let mut ids = Vec::new();
        for path in roots {
            if let Ok(id) = ws.load_root(&mut loader, path, root) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        // a file of the earlier analysis that is no longer loaded is not kept
        ws.forget_previous();
        let settings = match settings_file.and_then(|f| loader.read(f).ok().map(|b| (f, b))) {
            Some((file, bytes)) => {
                let (settings, mistakes) = crate::config::load(file, bytes, &mut ws.sources);
                ws.file_diagnostics.extend(mistakes);
                settings
            }
            None => driver::Settings::default(),
        };
        let (diagnostics, _, names) = driver::check_units_indexed(&mut ws, &ids, &settings, true);
        let by_path = (0..ws.sources.len() as u32)
            .map(|i| (ws.sources.path(FileId(i)).to_path_buf(), FileId(i)))
            .collect();
        Analysis {
            ws,
            diagnostics,
            names,
            by_path,
            roots: ids,
        }
    }

    /// Each file's text and parse, for the next analysis to reuse; the rest is dropped.
    pub fn into_previous(self) -> HashMap<PathBuf, Previous> {
        self.ws.into_previous()
    }

    pub fn file(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(&normalize(path)).copied()
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.ws.sources.get(file).text
    }

    pub fn path(&self, file: FileId) -> &Path {
        self.ws.sources.path(file)
    }

    /// The declared id at `offset`, directly or through a use of it: its namespace and
    /// the span of the declaring id.
    pub fn symbol_at(&self, file: FileId, offset: usize) -> Option<(Namespace, Span)> {
        let hit =
            |s: &Span| s.file == file && s.start as usize <= offset && offset <= s.end as usize;
        if let Some(&(_, ns, target)) = self.names.references.iter().find(|(at, _, _)| hit(at)) {
            return Some((ns, target));
        }
        self.names
            .declarations
            .iter()
            .find(|(_, s)| hit(s))
            .map(|&(ns, s)| (ns, s))
    }

    /// Every use of the id declared at `target`.
    pub fn uses_of(&self, target: Span) -> impl Iterator<Item = Span> + '_ {
        self.names
            .references
            .iter()
            .filter(move |(_, _, t)| *t == target)
            .map(|(at, _, _)| *at)
    }

    /// The ids `file` can name, in `namespaces` (all if empty), without repeats: those
    /// declared in its unit (itself and what it uses, transitively).
    pub fn ids_seen_from(&self, file: FileId, namespaces: &[Namespace]) -> Vec<(Namespace, &str)> {
        self.ids_in(&self.ws.unit_files(file).into_iter().collect(), namespaces)
    }

    /// The ids that share a namespace with those declared in `file`: declared anywhere in a
    /// unit `file` takes part in (its own, and every checked unit that uses it). A name
    /// among them cannot be given to an id of `file` without a clash.
    pub fn ids_beside(&self, file: FileId, namespaces: &[Namespace]) -> Vec<(Namespace, &str)> {
        let mut files: HashSet<FileId> = self.ws.unit_files(file).into_iter().collect();
        for &root in &self.roots {
            let unit = self.ws.unit_files(root);
            if unit.contains(&file) {
                files.extend(unit);
            }
        }
        self.ids_in(&files, namespaces)
    }

    fn ids_in(&self, files: &HashSet<FileId>, namespaces: &[Namespace]) -> Vec<(Namespace, &str)> {
        let mut out: Vec<(Namespace, &str)> = self
            .names
            .declarations
            .iter()
            .filter(|(ns, s)| {
                files.contains(&s.file) && (namespaces.is_empty() || namespaces.contains(ns))
            })
            .map(|&(ns, s)| (ns, self.ws.sources.slice(s)))
            .collect();
        out.sort_unstable_by(|a, b| a.1.cmp(b.1));
        out.dedup();
        out
    }
}
