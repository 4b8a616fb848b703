//! Namespaces of item ids, and "did you mean" suggestions.

use std::hash::BuildHasher;

use hashbrown::hash_table::Entry as Slot;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::source::{SourceMap, Span};
use crate::vocab::Namespace;

/// A declared id: its item's index in its namespace, and where the id is written (whose
/// text is the name).
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub index: u32,
    pub span: Span,
}

/// Item ids of one compilation unit. Each namespace's ids are its entries, in the order
/// declared, and a table of their positions, each found by the text its entry's span
/// points at in the unit's sources: a table holds a power of two of slots, up to twice
/// the ids, and a slot of four bytes rather than an entry's sixteen was 9 MB at 1M posts.
pub struct Names<'a> {
    src: &'a SourceMap,
    entries: [Vec<Entry>; Namespace::ALL.len()],
    tables: [HashTable<u32>; Namespace::ALL.len()],
    /// Suggestion work left for this unit: a pathological spec with thousands of unknown
    /// names among a million posts must not spend minutes on "did you mean".
    suggestion_budget: std::sync::atomic::AtomicU64,
    /// Ids of items that could not be read (reported): a use of one is neither known nor
    /// unknown, and reports nothing more.
    lost: rustc_hash::FxHashSet<(Namespace, &'a str)>,
}

fn slot(ns: Namespace) -> usize {
    ns.slot()
}

/// From this many posts on, their ids are declared together ([`Names::declare_all`]):
/// their table (about ten bytes an id) no longer fits a core's cache (2 MB of L2 here),
/// and inserting at random misses it. Below, declared one by one as they are read: the
/// list of them and the sort cost more than they save (100k posts: 0.8 MiB more at the
/// peak, 0.75% more instructions at 10k).
pub const TOGETHER_FROM: usize = 1 << 18;

fn hash(name: &str) -> u64 {
    FxBuildHasher.hash_one(name)
}

impl<'a> Names<'a> {
    pub fn new(src: &'a SourceMap) -> Names<'a> {
        Names {
            src,
            entries: Default::default(),
            tables: Default::default(),
            suggestion_budget: std::sync::atomic::AtomicU64::new(50_000_000),
            lost: rustc_hash::FxHashSet::default(),
        }
    }

    /// Let every id go, and the memory they hold: nothing will look one up again.
    pub fn release(&mut self) {
        *self = Names::new(self.src);
    }

    /// The id an entry declares.
    fn name(&self, e: &Entry) -> &'a str {
        self.src.slice(e.span)
    }

    /// Make room for `n` more ids of a namespace (a million posts should not rehash twenty times).
    pub fn reserve(&mut self, ns: Namespace, n: usize) {
        let (src, entries) = (self.src, &self.entries[slot(ns)]);
        self.tables[slot(ns)].reserve(n, |&i| hash(src.slice(entries[i as usize].span)));
        self.entries[slot(ns)].reserve_exact(n);
    }

    /// Declare the id written at `entry.span`; on a clash returns the earlier entry.
    pub fn declare(&mut self, ns: Namespace, entry: Entry) -> Result<(), Entry> {
        let src = self.src;
        let name = src.slice(entry.span);
        let entries = &mut self.entries[slot(ns)];
        let at = entries.len() as u32;
        let found = {
            let known = &*entries;
            match self.tables[slot(ns)].entry(
                hash(name),
                |&i| src.slice(known[i as usize].span) == name,
                |&i| hash(src.slice(known[i as usize].span)),
            ) {
                Slot::Occupied(o) => Some(*o.get()),
                Slot::Vacant(v) => {
                    v.insert(at);
                    None
                }
            }
        };
        if let Some(i) = found {
            return Err(entries[i as usize]);
        }
        entries.push(entry);
        Ok(())
    }

    /// Declare many ids of a namespace at once, as [`Names::declare`] would one after
    /// another: the same entries in the same order, and each clash (its place in `all`,
    /// and the earlier entry) in order. The table is filled in the order of its buckets,
    /// not of the ids: a million posts declared one by one missed the cache on nearly
    /// every insertion (two thirds of the time of declaring them, `perf annotate`).
    pub fn declare_all(&mut self, ns: Namespace, all: &[Entry]) -> Vec<(usize, Entry)> {
        let src = self.src;
        let name = |e: &Entry| src.slice(e.span);
        self.reserve(ns, all.len());
        // by bucket (the hash's low bits, as the table places it), then by hash, then in
        // the order declared: an id's repeats stand together, the first first. Sixteen
        // bytes an id, let go before the posts are lowered.
        let low = all.len().next_power_of_two().trailing_zeros() + 1;
        let key = |&(h, i): &(u64, u32)| (h & ((1 << low) - 1), h, i);
        let mut order: Vec<(u64, u32)> = all
            .iter()
            .enumerate()
            .map(|(i, e)| (hash(name(e)), i as u32))
            .collect();
        order.sort_unstable_by_key(key);
        // the clashes (few), by their place in `all`: within the batch (the first of an
        // id's repeats) or with an entry declared before it
        let mut first_of: rustc_hash::FxHashMap<u32, Entry> = rustc_hash::FxHashMap::default();
        let (entries, table) = (&self.entries[slot(ns)], &self.tables[slot(ns)]);
        let declared_before = !table.is_empty();
        let mut run = 0;
        for k in 0..order.len() {
            let (h, i) = order[k];
            if k > 0 && order[k - 1].0 != h {
                run = k;
            }
            // an id's text is read (at random in the file) only where it could clash: a
            // hash met before, or ids declared before these
            if run == k && !declared_before {
                continue;
            }
            let here = name(&all[i as usize]);
            let first = order[run..k]
                .iter()
                .map(|&(_, j)| j)
                .find(|&j| name(&all[j as usize]) == here)
                // an earlier repeat that clashed itself names what it clashed with
                .map(|j| first_of.get(&j).copied().unwrap_or(all[j as usize]))
                .or_else(|| {
                    table
                        .find(h, |&e| name(&entries[e as usize]) == here)
                        .map(|&e| entries[e as usize])
                });
            if let Some(first) = first {
                first_of.insert(i, first);
            }
        }
        // the entries in the order declared, the clashes left out: each at its place in
        // `all` past those before it, less the clashes before it
        let entries = &mut self.entries[slot(ns)];
        let base = entries.len() as u32;
        let mut clashes: Vec<(usize, Entry)> =
            first_of.iter().map(|(&i, &e)| (i as usize, e)).collect();
        clashes.sort_unstable_by_key(|&(i, _)| i);
        entries.extend(
            all.iter()
                .enumerate()
                .filter(|(i, _)| !first_of.contains_key(&(*i as u32)))
                .map(|(_, e)| *e),
        );
        let at = |i: u32| base + i - clashes.partition_point(|&(c, _)| c < i as usize) as u32;
        let (entries, table) = (&self.entries[slot(ns)], &mut self.tables[slot(ns)]);
        for &(h, i) in &order {
            if !first_of.contains_key(&i) {
                table.insert_unique(h, at(i), |&e| hash(name(&entries[e as usize])));
            }
        }
        clashes
    }

    /// The position of a declared id among its namespace's entries.
    fn find(&self, ns: Namespace, name: &str) -> Option<usize> {
        let entries = &self.entries[slot(ns)];
        self.tables[slot(ns)]
            .find(hash(name), |&i| self.name(&entries[i as usize]) == name)
            .map(|&i| i as usize)
    }

    /// Give a declared id its index once its item is lowered (a timeline entry's place).
    pub fn set_index(&mut self, ns: Namespace, name: &str, span: Span, index: u32) {
        if let Some(at) = self.find(ns, name) {
            let e = &mut self.entries[slot(ns)][at];
            if e.span == span {
                e.index = index;
            }
        }
    }

    /// An id whose item could not be read: uses of it report nothing more.
    pub fn mark_lost(&mut self, ns: Namespace, name: &'a str) {
        if self.get(ns, name).is_none() {
            self.lost.insert((ns, name));
        }
    }

    pub fn is_lost(&self, ns: Namespace, name: &str) -> bool {
        !self.lost.is_empty() && self.lost.contains(&(ns, name))
    }

    pub fn get(&self, ns: Namespace, name: &str) -> Option<Entry> {
        self.find(ns, name).map(|at| self.entries[slot(ns)][at])
    }

    /// Every id declared in a namespace, in the order declared.
    pub fn ids(&self, ns: Namespace) -> impl Iterator<Item = &'a str> + '_ {
        self.entries[slot(ns)].iter().map(|e| self.name(e))
    }

    pub fn len(&self, ns: Namespace) -> usize {
        self.entries[slot(ns)].len()
    }

    /// The other namespaces a name is declared in, for "`sbc` is an org, not a post".
    pub fn elsewhere(&self, name: &str, not: &[Namespace]) -> Option<(Namespace, Entry)> {
        Namespace::ALL
            .iter()
            .filter(|ns| !not.contains(ns))
            .find_map(|&ns| self.get(ns, name).map(|e| (ns, e)))
    }

    /// Up to four declared names close to `name`, best first.
    pub fn suggest(&self, ns: &[Namespace], name: &str) -> Vec<&'a str> {
        let size: usize = ns.iter().map(|&n| self.len(n)).sum();
        let spend = |left: u64| left.checked_sub(size as u64);
        let budget = &self.suggestion_budget;
        if budget
            .fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                spend,
            )
            .is_err()
        {
            return Vec::new();
        }
        let candidates = ns.iter().flat_map(|&n| self.ids(n));
        closest(name, candidates)
    }
}

/// Names longer than this are not compared for suggestions: the comparison costs the
/// product of the two lengths, real ids are far shorter, and a 30,000-character name
/// (hostile or pasted by mistake) must not take seconds per candidate.
pub const MAX_SUGGESTED_LEN: usize = 64;

/// Up to four of `candidates` close enough to `name` to be what was meant, best first.
pub fn closest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    if name.len() > MAX_SUGGESTED_LEN {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .filter(|c| *c != name && c.len() <= MAX_SUGGESTED_LEN)
        .filter_map(|c| {
            let jw = strsim::jaro_winkler(name, c);
            let dl = strsim::damerau_levenshtein(name, c);
            let close_edit = dl <= (name.len().max(c.len()) / 3).max(1);
            let (short, long) = if name.len() < c.len() {
                (name, c)
            } else {
                (c, name)
            };
            let contains =
                short.len() >= 3 && short.len() * 2 >= long.len() && long.contains(short);
            (jw >= 0.88 || close_edit || contains).then_some((jw - dl as f64 * 0.01, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.truncate(4);
    scored.into_iter().map(|(_, c)| c).collect()
}

/// "did you mean `a`?" or "did you mean one of `a`, `b`?".
pub fn did_you_mean(suggestions: &[&str]) -> Option<String> {
    match suggestions {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Help for a misspelt name: "did you mean `x`?" with a fix that writes the best match at
/// `span`, or `otherwise()` when nothing is close.
pub fn with_suggestion(
    d: crate::diagnostic::Diagnostic,
    close: &[&str],
    span: Span,
    otherwise: impl FnOnce() -> String,
) -> crate::diagnostic::Diagnostic {
    match (close.first(), did_you_mean(close)) {
        (Some(best), Some(help)) => {
            d.with_help(help)
                .with_fix(format!("replace with `{best}`"), span, *best)
        }
        _ => d.with_help(otherwise()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// The ids of `names`, each declared at its place in one file's text.
    fn file(names: &[String]) -> (SourceMap, Vec<Entry>) {
        let mut text = String::new();
        let mut entries = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let start = text.len();
            text.push_str(n);
            let span = Span::new(crate::source::FileId(0), start, text.len());
            entries.push(Entry {
                index: i as u32,
                span,
            });
            text.push(' ');
        }
        let mut src = SourceMap::default();
        src.add("x.org".into(), text);
        (src, entries)
    }

    /// A namespace's entries in order (index and span), and each id as found by name.
    type Declared = (Vec<(u32, Span)>, Vec<Option<(u32, Span)>>);

    fn state(names: &Names, ns: Namespace) -> Declared {
        let entries = names.entries[slot(ns)]
            .iter()
            .map(|e| (e.index, e.span))
            .collect();
        let found = names
            .ids(ns)
            .map(|id| names.get(ns, id).map(|e| (e.index, e.span)))
            .collect();
        (entries, found)
    }

    proptest! {
        /// Declared together, ids end as declared one by one: the same entries in the same
        /// order, each found, and the same clashes with the same earlier entries — among
        /// themselves (an id three times) and with ids declared before them.
        #[test]
        fn ids_declared_together_are_as_if_declared_one_by_one(
            before in proptest::collection::vec("[a-e]{1,2}", 0..6),
            batch in proptest::collection::vec("[a-e]{1,2}", 0..40),
        ) {
            let all: Vec<String> = before.iter().chain(&batch).cloned().collect();
            let (src, entries) = file(&all);
            let (first, rest) = entries.split_at(before.len());
            let ns = Namespace::Post;
            let mut one_by_one = Names::new(&src);
            for e in first {
                let _ = one_by_one.declare(ns, *e);
            }
            let expected: Vec<(usize, Span)> = rest
                .iter()
                .enumerate()
                .filter_map(|(i, e)| one_by_one.declare(ns, *e).err().map(|f| (i, f.span)))
                .collect();
            let mut together = Names::new(&src);
            for e in first {
                let _ = together.declare(ns, *e);
            }
            let clashes: Vec<(usize, Span)> = together
                .declare_all(ns, rest)
                .into_iter()
                .map(|(i, f)| (i, f.span))
                .collect();
            prop_assert_eq!(clashes, expected);
            prop_assert_eq!(state(&together, ns), state(&one_by_one, ns));
        }
    }

    #[test]
    fn close_names_are_suggested() {
        let c = ["tier", "title", "employer", "reports_to"];
        assert_eq!(closest("teir", c.iter().copied()), vec!["tier"]);
        assert_eq!(closest("employr", c.iter().copied()), vec!["employer"]);
        assert_eq!(closest("reportsto", c.iter().copied()), vec!["reports_to"]);
        assert!(closest("zzz", c.iter().copied()).is_empty());
    }
}
