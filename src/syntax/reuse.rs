//! Parsing a file again after an edit: each item whose text is unchanged is moved from the
//! previous parse, its spans shifted to where it now stands, instead of being parsed anew.
//!
//! The language server checks the whole project on every keystroke; with this, a keystroke
//! re-parses the one item it changed. An item's tree depends on nothing but its own text
//! (the chunk's `///` lines and body, cut by the line scan), so an item whose text is
//! byte-for-byte the same parses to the same tree, moved. Items that had a syntax error,
//! and `rule` items, are always parsed again.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::ast::{Atom, AtomKind, Item, ParsedFile, Term, Value};
use super::split::Chunk;
use crate::source::{FileId, Span};

/// A file's previous text and parse, to be reused by the next parse of its new text.
#[derive(Debug, Default)]
pub struct Previous {
    pub text: String,
    pub parsed: ParsedFile,
}

/// The text an item's tree is read from: its `///` lines and its body.
pub(super) fn key_range(chunk: &Chunk) -> Range<usize> {
    let start = chunk.docs.first().map_or(chunk.body.start, |d| d.start);
    start..chunk.body.end
}

/// For each chunk of the new text, the previous parse's item of the same text, if there is
/// one, moved to the chunk's place in `file`. Each previous item is reused at most once.
pub(super) fn matching(
    previous: Previous,
    file: FileId,
    text: &str,
    chunks: &[Chunk],
) -> Vec<Option<Item>> {
    let Previous {
        text: old_text,
        parsed,
    } = previous;
    let mut by_text: FxHashMap<&str, Vec<(usize, u32)>> = FxHashMap::default();
    for (i, source) in parsed.sources.iter().enumerate().rev() {
        if let Some((start, end)) = *source {
            by_text
                .entry(&old_text[start as usize..end as usize])
                .or_default()
                .push((i, start));
        }
    }
    let mut old: Vec<Option<Item>> = parsed.items.into_iter().map(Some).collect();
    chunks
        .iter()
        .map(|chunk| {
            if chunk.detached_brace.is_some() || chunk.too_deep.is_some() {
                return None;
            }
            let range = key_range(chunk);
            let (i, old_start) = by_text.get_mut(&text[range.clone()])?.pop()?;
            let mut item = old[i].take()?;
            let delta = i64::from(range.start as u32) - i64::from(old_start);
            shift_item(&mut item, file, delta);
            Some(item)
        })
        .collect()
}

/// Move every span of `item` by `delta` bytes, into `file`.
fn shift_item(item: &mut Item, file: FileId, delta: i64) {
    let mv = |s: &mut Span| {
        s.file = file;
        s.start = (i64::from(s.start) + delta) as u32;
        s.end = (i64::from(s.end) + delta) as u32;
    };
    debug_assert!(
        item.rule.is_none(),
        "rule items are parsed again, not moved"
    );
    item.docs.iter_mut().for_each(mv);
    for a in &mut item.annotations {
        mv(&mut a.name);
        mv(&mut a.span);
        a.args.iter_mut().for_each(|atom| shift_atom(atom, &mv));
    }
    if let Some((_, s)) = &mut item.lifecycle {
        mv(s);
    }
    mv(&mut item.kind);
    if let Some(h) = &mut item.header {
        shift_value(&mut h.value, &mv);
        if let Some(eq) = &mut h.eq {
            mv(&mut eq.0);
            shift_value(&mut eq.1, &mv);
        }
        mv(&mut h.span);
    }
    if let Some(b) = &mut item.block {
        for f in &mut b.fields {
            f.docs.iter_mut().for_each(mv);
            mv(&mut f.name);
            if let Some(v) = &mut f.value {
                shift_value(v, &mv);
            }
            mv(&mut f.span);
        }
        mv(&mut b.span);
    }
    mv(&mut item.span);
}

fn shift_value(value: &mut Value, mv: &impl Fn(&mut Span)) {
    shift_terms(&mut value.old, mv);
    if let Some(new) = &mut value.new {
        mv(&mut new.0);
        shift_terms(&mut new.1, mv);
    }
    mv(&mut value.span);
}

fn shift_terms(terms: &mut [Term], mv: &impl Fn(&mut Span)) {
    for t in terms {
        if let Some(k) = &mut t.key {
            mv(k);
        }
        t.atoms.iter_mut().for_each(|a| shift_atom(a, mv));
        mv(&mut t.span);
    }
}

fn shift_atom(atom: &mut Atom, mv: &impl Fn(&mut Span)) {
    match &mut atom.kind {
        AtomKind::Range(ends) => ends.iter_mut().for_each(|a| shift_atom(a, mv)),
        AtomKind::List(terms) => shift_terms(terms, mv),
        AtomKind::Word
        | AtomKind::Str
        | AtomKind::Number
        | AtomKind::Percent
        | AtomKind::Money
        | AtomKind::Date => {}
    }
    mv(&mut atom.span);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_file, parse_file_reusing};

    /// Every kind of item and value: docs, annotations, lifecycles, headers with `=`,
    /// keyed terms, ranges, lists, transitions, a rule, and an item with a syntax error.
    const SAMPLE: &str = r#"// a sample
org council "Council" { kind council; tiers 5 }
org trust "Trust" { kind nhs; tiers 9 }
align council 3 = trust 4
grade council G1 £30_000..£35_000

/// The head of service.
/// Two lines of docs.
@allow(tier_gap, "the head reports to the chief executive")
post head "Head of Service" {
  employer council
  /// the tier
  tier 1
  grade G1
  funded council 50%, trust 50%
  contacts north: a, south: b
  bands [G1, G2]
}

deleted post old "Old post" { employer council; tier 2 -> 3 }
new post fresh "New post" {
  employer council
  reports_to head
}

post broken "Broken" {
  tier 2007-6-1
}

rule no_tiers "Posts have tiers" {
  for p in posts
  require p.tier != none
  message "{p.id} has no tier"
}

timeline {
  consultation "Staff consultation" 2025-01-15..2025-03-14 with unions, staff
}
"#;

    fn fresh(text: &str) -> String {
        let (parsed, diagnostics) = parse_file(FileId(3), text);
        format!("{parsed:?}\n{diagnostics:?}")
    }

    /// `old` and its parse, as another file (the reused items must move into the new one).
    fn previous(old: &str) -> Previous {
        Previous {
            text: old.to_string(),
            parsed: parse_file(FileId(7), old).0,
        }
    }

    fn again(old: &str, new: &str) -> String {
        let (parsed, diagnostics) = parse_file_reusing(FileId(3), new, Some(previous(old)));
        format!("{parsed:?}\n{diagnostics:?}")
    }

    /// How many items of `old`'s parse would be moved into the parse of `new`.
    fn moved(old: &str, new: &str) -> usize {
        let chunks = crate::syntax::split::split(new);
        matching(previous(old), FileId(3), new, &chunks)
            .iter()
            .filter(|i| i.is_some())
            .count()
    }

    /// Every edit of a line — deleted, doubled, a character typed at its start, its end
    /// cut — parses with reuse to exactly what a fresh parse gives: the same items, spans,
    /// lost items and diagnostics.
    fn every_line_edit_parses_as_fresh(text: &str) {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for i in 0..lines.len() {
            let join = |f: &dyn Fn(usize, &str) -> String| -> String {
                lines.iter().enumerate().map(|(j, l)| f(j, l)).collect()
            };
            let edits = [
                join(&|j, l| if j == i { String::new() } else { l.to_string() }),
                join(&|j, l| {
                    if j == i {
                        format!("{l}{l}")
                    } else {
                        l.to_string()
                    }
                }),
                join(&|j, l| {
                    if j == i {
                        format!("x{l}")
                    } else {
                        l.to_string()
                    }
                }),
                join(&|j, l| {
                    if j == i {
                        l.trim_end().chars().take(l.len() / 2).collect::<String>() + "\n"
                    } else {
                        l.to_string()
                    }
                }),
            ];
            for edited in &edits {
                assert_eq!(
                    again(text, edited),
                    fresh(edited),
                    "line {} edited:\n{edited}",
                    i + 1
                );
            }
        }
    }

    #[test]
    fn an_edited_sample_parses_as_a_fresh_parse_would() {
        every_line_edit_parses_as_fresh(SAMPLE);
    }

    #[test]
    fn an_edited_real_spec_parses_as_a_fresh_parse_would() {
        every_line_edit_parses_as_fresh(include_str!(
            "../../specs/002-peterborough-localities/localities.org"
        ));
    }

    #[test]
    fn only_the_edited_item_is_parsed_again() {
        let items = parse_file(FileId(0), SAMPLE).0.items.len();
        // the rule is always parsed again (the item with a syntax error is not among the
        // items: it is reported, and parsed again too)
        assert_eq!(moved(SAMPLE, SAMPLE), items - 1);
        let edited = SAMPLE.replace("  grade G1\n", "  grade G2\n");
        assert_eq!(moved(SAMPLE, &edited), items - 2);
        // a line inserted at the top moves every item down, and none is parsed again
        let shifted = format!("// a new first line\n{SAMPLE}");
        assert_eq!(moved(SAMPLE, &shifted), items - 1);
        // an item written twice is moved once, its copy parsed
        let twice = SAMPLE.replace(
            "align council 3 = trust 4\n",
            "align council 3 = trust 4\nalign council 3 = trust 4\n",
        );
        assert_eq!(moved(SAMPLE, &twice), items - 1);
    }
}
