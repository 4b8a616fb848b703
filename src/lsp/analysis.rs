//! One run of the pipeline over the project, with the editor's unsaved buffers in place of
//! the files on disk, and what the editor features read from it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::driver;
use crate::resolve::names::Namespace;
use crate::resolve::{Loader, NameIndex, Workspace};
use crate::source::{normalize, FileId, Span};

/// Open buffers over the file system.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, String>,
}

impl Loader for Overlay<'_> {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String> {
        match self.open.get(&normalize(path)) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => crate::cli::fs::FsLoader.read(path),
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
}

impl Analysis {
    /// Check `roots` (absolute paths) in the project at `root`, with `settings_file` if the
    /// project has one.
    pub fn run(
        roots: &[PathBuf],
        root: &Path,
        settings_file: Option<&Path>,
        open: &HashMap<PathBuf, String>,
    ) -> Analysis {
        let mut loader = Overlay { open };
        let mut ws = Workspace::new();
        let mut ids = Vec::new();
        for path in roots {
            if let Ok(id) = ws.load_root(&mut loader, path, root) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let settings = match settings_file.and_then(|f| loader.read(f).ok().map(|b| (f, b))) {
            Some((file, bytes)) => {
                let (settings, mistakes) = crate::config::load(file, bytes, &mut ws.sources);
                ws.file_diagnostics.extend(mistakes);
                settings
            }
            None => driver::Settings::default(),
        };
        let (diagnostics, _, mut names) =
            driver::check_units_indexed(&mut ws, &ids, &settings, true);
        rule_references(&ws, &mut names);
        let by_path = (0..ws.sources.len() as u32)
            .map(|i| (ws.sources.path(FileId(i)).to_path_buf(), FileId(i)))
            .collect();
        Analysis {
            ws,
            diagnostics,
            names,
            by_path,
        }
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

    /// The ids declared in `namespaces` (all if empty), without repeats.
    pub fn ids(&self, namespaces: &[Namespace]) -> Vec<(Namespace, &str)> {
        let mut out: Vec<(Namespace, &str)> = self
            .names
            .declarations
            .iter()
            .filter(|(ns, _)| namespaces.is_empty() || namespaces.contains(ns))
            .map(|&(ns, s)| (ns, self.ws.sources.slice(s)))
            .collect();
        out.sort_unstable_by(|a, b| a.1.cmp(b.1));
        out.dedup();
        out
    }

    /// The item declared by the id at `span`.
    pub fn item_declared_at(&self, span: Span) -> Option<&crate::syntax::ast::Item> {
        let items = &self.ws.parsed(span.file)?.items;
        let at = items.partition_point(|i| i.span.start <= span.start);
        items
            .get(at.checked_sub(1)?)
            .filter(|i| span.start < i.span.end)
    }
}

/// Ids named inside the expressions of a spec's own `rule` items (`p.employer == sbc`),
/// added to the index so that references and rename reach them. A name counts when the
/// rule compiler would read it as an item: not a variable or parameter of the rule, not
/// `spec`, a collection or a function, and declared in the rule's unit.
fn rule_references(ws: &Workspace, names: &mut NameIndex) {
    use crate::check::engine::types::{BUILTINS, COLLECTIONS};
    use crate::syntax::ast::StatementKind;

    let mut found = Vec::new();
    for i in 0..ws.sources.len() as u32 {
        let file = FileId(i);
        let Some(parsed) = ws.parsed(file) else {
            continue;
        };
        let rules: Vec<_> = parsed
            .items
            .iter()
            .filter_map(|i| i.rule.as_deref())
            .collect();
        if rules.is_empty() {
            continue;
        }
        let unit = ws.unit_files(file);
        for rule in rules {
            let mut bound: Vec<&str> = Vec::new();
            let mut used: Vec<Span> = Vec::new();
            for statement in &rule.statements {
                match &statement.kind {
                    StatementKind::Param { name, value } | StatementKind::Let { name, value } => {
                        bound.push(ws.sources.slice(*name));
                        walk(ws, value, &mut bound, &mut used);
                    }
                    StatementKind::For { generators, filter } => {
                        for g in generators {
                            bound.push(ws.sources.slice(g.var));
                            walk(ws, &g.over, &mut bound, &mut used);
                        }
                        if let Some(f) = filter {
                            walk(ws, f, &mut bound, &mut used);
                        }
                    }
                    StatementKind::Require(e) => walk(ws, e, &mut bound, &mut used),
                    StatementKind::Message(t) | StatementKind::Help(t) => {
                        template(ws, t, &mut bound, &mut used);
                    }
                    StatementKind::At(e, label) => {
                        walk(ws, e, &mut bound, &mut used);
                        if let Some(t) = label {
                            template(ws, t, &mut bound, &mut used);
                        }
                    }
                    StatementKind::Also {
                        binding,
                        target,
                        filter,
                        label,
                    } => {
                        bound.extend(binding.map(|b| ws.sources.slice(b)));
                        walk(ws, target, &mut bound, &mut used);
                        if let Some(f) = filter {
                            walk(ws, f, &mut bound, &mut used);
                        }
                        template(ws, label, &mut bound, &mut used);
                    }
                    StatementKind::Severity(_) | StatementKind::Unknown => {}
                }
            }
            for span in used {
                let name = ws.sources.slice(span);
                let global = name == "spec"
                    || COLLECTIONS.iter().any(|c| c.0 == name)
                    || BUILTINS.iter().any(|b| b.0 == name);
                if global || bound.contains(&name) {
                    continue;
                }
                let declared = names
                    .declarations
                    .iter()
                    .find(|(_, d)| unit.contains(&d.file) && ws.sources.slice(*d) == name);
                if let Some(&(ns, target)) = declared {
                    found.push((span, ns, target));
                }
            }
        }
    }
    names.references.extend(found);
}

fn template<'a>(
    ws: &'a Workspace,
    t: &crate::syntax::ast::Template,
    bound: &mut Vec<&'a str>,
    used: &mut Vec<Span>,
) {
    for part in &t.parts {
        if let crate::syntax::ast::TemplatePart::Expr(e) = part {
            walk(ws, e, bound, used);
        }
    }
}

/// Collect the names an expression reads (`used`) and binds (`bound`).
fn walk<'a>(
    ws: &'a Workspace,
    e: &crate::syntax::ast::Expr,
    bound: &mut Vec<&'a str>,
    used: &mut Vec<Span>,
) {
    use crate::syntax::ast::ExprKind;
    match &e.kind {
        ExprKind::Name => used.push(e.span),
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            for x in items {
                walk(ws, x, bound, used);
            }
        }
        ExprKind::Field { base: x, .. } | ExprKind::Unary { operand: x, .. } => {
            walk(ws, x, bound, used);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            walk(ws, lhs, bound, used);
            walk(ws, rhs, bound, used);
        }
        ExprKind::Quantifier {
            var,
            over,
            filter,
            body: map,
            ..
        } => {
            bound.push(ws.sources.slice(*var));
            walk(ws, over, bound, used);
            if let Some(f) = filter {
                walk(ws, f, bound, used);
            }
            walk(ws, map, bound, used);
        }
        ExprKind::Comprehension {
            var,
            over,
            filter,
            map,
        } => {
            bound.push(ws.sources.slice(*var));
            walk(ws, over, bound, used);
            if let Some(f) = filter {
                walk(ws, f, bound, used);
            }
            if let Some(m) = map {
                walk(ws, m, bound, used);
            }
        }
        ExprKind::Number(_)
        | ExprKind::Percent(_)
        | ExprKind::Money(_)
        | ExprKind::Date(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None => {}
    }
}
