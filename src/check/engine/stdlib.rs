//! The standard library: the domain rules of the catalogue, written in the rule language in
//! `std/*.org`, and the figures of the law they apply (`std/law.org`), embedded in the
//! binary. Parsed and compiled once per process, on every core (plain threads: see
//! `side_by_side`); a command that checks starts it first ([`preload`]), so that it is
//! done while the spec is read.

use std::path::PathBuf;
use std::sync::LazyLock;

use super::compile::{compile, CompiledRule, NoItems, Origin};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::syntax::ast::{Atom, Item, ParsedFile};
use crate::syntax::{parse_file, unescape};
use crate::value::{parse_decimal, Date, Decimal};

/// The files of the standard library, by category.
pub const FILES: &[(&str, &str)] = &[
    (
        "std/structure.org",
        include_str!("../../../std/structure.org"),
    ),
    ("std/funding.org", include_str!("../../../std/funding.org")),
    (
        "std/outcomes.org",
        include_str!("../../../std/outcomes.org"),
    ),
    (
        "std/localities.org",
        include_str!("../../../std/localities.org"),
    ),
    (
        "std/timeline.org",
        include_str!("../../../std/timeline.org"),
    ),
    ("std/budget.org", include_str!("../../../std/budget.org")),
    ("std/law.org", include_str!("../../../std/law.org")),
];

pub struct StdRule {
    pub compiled: CompiledRule,
    /// The `///` documentation above the rule, as markdown.
    pub docs: String,
    /// The rule's source text, as `explain` shows it.
    pub source: String,
    pub file: &'static str,
}

pub struct Library {
    pub rules: Vec<StdRule>,
    /// Problems in the library itself (a test keeps this empty).
    pub errors: Vec<Diagnostic>,
    pub sources: &'static SourceMap,
}

static LIBRARY: LazyLock<Library> = LazyLock::new(load);

/// One version of a figure of the law: in force from `since` until the next version.
pub struct Version {
    pub since: Date,
    pub value: Decimal,
    /// Where it comes from: Act and section, or the instrument that amended it.
    pub source: String,
}

/// A figure of the law and its versions, oldest first (`law ID "title" { since … }`).
pub struct Law {
    pub id: String,
    pub title: String,
    /// The `///` documentation above it.
    pub docs: String,
    pub versions: Vec<Version>,
    pub file: &'static str,
}

impl Law {
    /// The versions in force on some day from `first` to `last` (days since 1970), or
    /// `None` when part of that span comes before the first version.
    pub fn in_force(&self, first: i64, last: i64) -> Option<&[Version]> {
        let starts = |v: &Version| v.since.first_day();
        if self.versions.first().is_none_or(|v| starts(v) > first) {
            return None;
        }
        let from = self.versions.partition_point(|v| starts(v) <= first) - 1;
        let to = self.versions.partition_point(|v| starts(v) <= last);
        Some(&self.versions[from..to])
    }
}

pub struct Laws {
    pub laws: Vec<Law>,
    pub errors: Vec<Diagnostic>,
}

static LAWS: LazyLock<Laws> = LazyLock::new(load_laws);

/// The library's files, each parsed once: the rules and the figures of the law are both
/// read from them. The files are parsed side by side (the library is ~90 KB, most of it
/// documentation, and its parse is a fixed cost of every check).
struct Parsed {
    sources: SourceMap,
    files: Vec<(&'static str, ParsedFile, Vec<Diagnostic>)>,
}

static PARSED: LazyLock<Parsed> = LazyLock::new(|| {
    let mut sources = SourceMap::default();
    let ids: Vec<_> = FILES
        .iter()
        .map(|(path, text)| sources.add(PathBuf::from(path), (*text).to_string()))
        .collect();
    let work: Vec<_> = FILES.iter().zip(ids).collect();
    let files = side_by_side(&work, |&(&(path, text), file)| {
        let (parsed, diagnostics) = parse_file(file, text);
        (path, parsed, diagnostics)
    });
    Parsed { sources, files }
});

/// `f` of each element, in order, computed on as many threads as there are cores.
///
/// Plain threads, not rayon's: the library is loaded inside a `LazyLock`, which a rayon
/// worker may be waiting on; a rayon job of the loading, stolen by that waiting worker's
/// pool, could then never finish (a deadlock, seen in `chart` before this was so).
fn side_by_side<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let run = move |part: &[T]| part.iter().map(f).collect::<Vec<U>>();
        // a part whose thread cannot be started (a limit on threads) is done here instead
        let running: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || run(part))
                    .map_err(|_| part)
            })
            .collect();
        running
            .into_iter()
            .flat_map(|t| match t {
                // a panic in the loading is a bug: let it be seen
                Ok(t) => t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(part) => run(part),
            })
            .collect()
    })
}

/// Whether an item is a figure of the law (`law ID "title" { since … }`), not a rule.
fn is_law(sources: &SourceMap, item: &Item) -> bool {
    sources.slice(item.kind) == "law"
}

/// The figures of the law, read from the library's `law` items.
fn load_laws() -> Laws {
    let Parsed { sources, files } = &*PARSED;
    let mut laws = Vec::new();
    let mut errors = Vec::new();
    for (path, parsed, _) in files {
        for item in parsed.items.iter().filter(|i| is_law(sources, i)) {
            match law(sources, item, path) {
                Ok(law) => laws.push(law),
                Err(d) => errors.push(*d),
            }
        }
    }
    Laws { laws, errors }
}

/// One `law` item: its id, title and dated versions.
fn law(sources: &SourceMap, item: &Item, file: &'static str) -> Result<Law, Box<Diagnostic>> {
    let wrong = |span, message: &str| Box::new(Diagnostic::error("syntax_error", span, message));
    let header: Vec<&Atom> = item
        .header
        .iter()
        .flat_map(|h| h.value.old.iter())
        .flat_map(|t| t.atoms.iter())
        .collect();
    let (Some(id), Some(title)) = (header.first(), header.get(1)) else {
        return Err(wrong(item.kind, "a law needs an id and a title"));
    };
    let mut versions: Vec<Version> = Vec::new();
    for f in item.block.iter().flat_map(|b| b.fields.iter()) {
        let atoms: Vec<&Atom> = f
            .value
            .iter()
            .flat_map(|v| v.old.iter())
            .flat_map(|t| t.atoms.iter())
            .collect();
        let version = match (sources.slice(f.name), atoms.as_slice()) {
            ("since", [date, value, source]) => Date::parse(sources.slice(date.span))
                .ok()
                .zip(parse_decimal(sources.slice(value.span)))
                .zip(unescape(sources.slice(source.span), source.span).ok())
                .map(|((since, value), source)| Version {
                    since,
                    value,
                    source,
                }),
            _ => None,
        };
        match version {
            Some(v) if versions.last().is_none_or(|last| last.since < v.since) => versions.push(v),
            _ => {
                return Err(wrong(
                    f.span,
                    "write `since DATE FIGURE \"source\"`, oldest first",
                ))
            }
        }
    }
    Ok(Law {
        id: sources.slice(id.span).to_string(),
        title: unescape(sources.slice(title.span), title.span)
            .map_err(|_| wrong(title.span, "the title"))?,
        docs: doc_text(sources, &item.docs),
        versions,
        file,
    })
}

/// The figures of the law.
pub fn laws() -> &'static [Law] {
    &LAWS.laws
}

/// The figure of the law called `id`, and its place.
pub fn law_named(id: &str) -> Option<(u32, &'static Law)> {
    LAWS.laws
        .iter()
        .enumerate()
        .find(|(_, l)| l.id == id)
        .map(|(i, l)| (i as u32, l))
}

/// `///` lines as markdown.
fn doc_text(sources: &SourceMap, docs: &[crate::source::Span]) -> String {
    docs.iter()
        .map(|d| {
            let line = sources.slice(*d);
            let line = line.strip_prefix("///").unwrap_or(line);
            line.strip_prefix(' ')
                .unwrap_or(line)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn load() -> Library {
    let Parsed { sources, files } = &*PARSED;
    let mut errors: Vec<Diagnostic> = files.iter().flat_map(|f| f.2.iter().cloned()).collect();
    let items: Vec<(&'static str, &Item)> = files
        .iter()
        .flat_map(|(path, parsed, _)| parsed.items.iter().map(move |item| (*path, item)))
        // the figures of the law: `load_laws`
        .filter(|(_, item)| !is_law(sources, item))
        .collect();
    // compiled side by side, kept in the library's order
    let compiled: Vec<Result<StdRule, Vec<Diagnostic>>> = side_by_side(&items, |&(path, item)| {
        if item.rule.is_none() {
            return Err(vec![Diagnostic::error(
                "syntax_error",
                item.kind,
                "the standard library holds rules only",
            )]);
        }
        compile(sources, item, &NoItems, Origin::Std).map(|compiled| StdRule {
            compiled,
            docs: doc_text(sources, &item.docs),
            source: sources.slice(item.span).to_string(),
            file: path,
        })
    });
    let mut rules = Vec::new();
    for c in compiled {
        match c {
            Ok(rule) => rules.push(rule),
            Err(e) => errors.extend(e),
        }
    }
    errors.extend(LAWS.errors.iter().cloned());
    Library {
        rules,
        errors,
        sources,
    }
}

/// Start loading the library on a thread of its own, so that it is ready by the time the
/// rules run: what a command that checks calls first, before reading the spec.
pub fn preload() {
    // a thread that cannot be started only means the library loads when first used
    let _ = std::thread::Builder::new()
        .name("orgspec-std".into())
        .spawn(|| LazyLock::force(&LIBRARY));
}

pub fn library() -> &'static Library {
    &LIBRARY
}

pub fn rules() -> &'static [StdRule] {
    &LIBRARY.rules
}

pub fn find(id: &str) -> Option<&'static StdRule> {
    LIBRARY.rules.iter().find(|r| r.compiled.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_loaded_without_rayon() {
        // A file of this many items is parsed on rayon's pool, which must not happen
        // inside the library's `LazyLock` (see `side_by_side`).
        for (path, text) in FILES {
            let items = crate::syntax::split::split(text).len();
            assert!(
                items < crate::syntax::PARALLEL_THRESHOLD,
                "{path}: {items} items would be parsed on rayon's pool"
            );
        }
    }

    fn days(text: &str) -> (i64, i64) {
        let d = Date::parse(text).unwrap();
        (d.first_day(), d.last_day())
    }

    #[test]
    fn the_figure_in_force_is_the_one_of_the_date() {
        let (_, lead) = law_named("s188_days_large").expect("in std/law.org");
        let figures = |text: &str| {
            let (first, last) = days(text);
            lead.in_force(first, last)
                .map(|vs| vs.iter().map(|v| v.value).collect::<Vec<_>>())
        };
        assert_eq!(figures("2012-11-01"), Some(vec![Decimal::from(90)]));
        assert_eq!(figures("2013-04-06"), Some(vec![Decimal::from(45)]));
        // a month that holds the day of the change: both figures
        assert_eq!(
            figures("2013-04"),
            Some(vec![Decimal::from(90), Decimal::from(45)])
        );
        // before the first version: no figure
        assert_eq!(figures("1990-01-01"), None);
        assert!(LAWS.errors.is_empty(), "{:?}", LAWS.errors);
    }
}
