//! Posts read when they are lowered, not when their file is loaded (`orgspec check`).
//!
//! A large spec is mostly posts, and a check that lowers each post once has no use for
//! every post's syntax tree at once: held together they were most of a check's memory
//! (100k posts: 130 MB of tree for a 12 MB file), and the system zeroes every page of it
//! on the way. So loading reads of a post only what declaring it needs — its lifecycle,
//! keyword and id, by a scan of its first line ([`head`]) — and keeps its chunk of text;
//! lowering parses the post ([`parse_deferred`]), lowers it and frees its tree, post by
//! post on every core, and the next post's tree takes the same memory.
//!
//! Nothing is taken on trust: lowering compares each post's parse with what the scan
//! declared ([`same_head`]). A post whose text does not parse, or whose head the scan read
//! otherwise, makes its unit be parsed again in full, as every other command parses it,
//! and lowered from that (`Workspace::parse_released`): the findings are always the full
//! parse's. Items that are not posts, and posts the scan does not recognise (an
//! annotation above, an unclosed string or bracket), are parsed when loaded, as before.

use std::ops::Range;

use super::ast::{Deferred, Item, Lifecycle, ParsedFile};
use super::parser::{parse_chunk, parse_chunks, parse_file, Outcome};
use super::split::{split_each, Chunk};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Where a post's text is, of a chunk the line scan found nothing amiss in and whose head
/// it read.
fn left(head: &Head, chunk: &Chunk) -> Deferred {
    // the head is read from the start of the chunk's text
    debug_assert_eq!(
        head.lifecycle.map_or(head.kind, |(_, at)| at).start as usize,
        chunk.body.start
    );
    Deferred {
        file: head.id.file,
        start: chunk.body.start as u32,
        end: chunk.body.end as u32,
    }
}

fn chunk(post: &Deferred) -> Chunk {
    Chunk {
        docs: Vec::new(),
        body: post.start as usize..post.end as usize,
        too_deep: None,
        open_string: None,
        open_bracket: None,
        detached_brace: None,
    }
}

/// What loading reads of a post: its lifecycle, keyword and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub lifecycle: Option<(Lifecycle, Span)>,
    pub kind: Span,
    pub id: Span,
}

impl Deferred {
    /// Its head, read again from `text`, its file's, as the line scan read it. (Were the
    /// text not what was scanned, empty spans at its start.)
    pub fn head(&self, text: &str) -> Head {
        read_head(self.file, text, self.start as usize..self.end as usize).unwrap_or_else(|| {
            let at = Span::new(self.file, self.start as usize, self.start as usize);
            Head {
                lifecycle: None,
                kind: at,
                id: at,
            }
        })
    }
}

/// Parse a file, leaving the posts' text to be parsed when they are lowered: each post is
/// listed in [`ParsedFile::deferred`] with its lifecycle, keyword and id and its chunk,
/// not among the items.
pub fn parse_file_deferring(file: FileId, text: &str) -> (ParsedFile, Vec<Diagnostic>) {
    // each chunk is read for a post's head as the scan finds it, and kept only when it is
    // not one: a post keeps its head and where its text is
    let mut rest: Vec<Chunk> = Vec::new();
    let mut deferred: Vec<Deferred> = Vec::new();
    split_each(text, |chunk| match head(file, text, &chunk) {
        Some(head) => deferred.push(left(&head, &chunk)),
        None => rest.push(chunk),
    });
    // kept to the end of the check: without the room it grew into (a third of it at 100k posts)
    deferred.shrink_to_fit();
    if rest.is_empty() && deferred.is_empty() {
        // what an empty file is told
        return parse_file(file, text);
    }
    let (parsed, diagnostics) = parse_chunks(file, text, &rest, None);
    let parsed = ParsedFile { deferred, ..parsed };
    (parsed, diagnostics)
}

/// The tree of a post left to be read when lowered, or `None` when its text does not
/// parse cleanly (its findings are then the full parse's).
pub fn parse_deferred(file: FileId, text: &str, post: &Deferred) -> Option<Item> {
    match parse_chunk(file, text, &chunk(post)) {
        Outcome::Item(item) => Some(item),
        Outcome::Invalid(_) | Outcome::Unparsed => None,
    }
}

/// Whether a post's parse has the lifecycle, keyword and id its scan declared (`text` is
/// its file's).
pub fn same_head(post: &Deferred, text: &str, full: &Item) -> bool {
    let head = post.head(text);
    head.kind == full.kind
        && head.lifecycle == full.lifecycle
        && full.annotations.is_empty()
        && full.rule.is_none()
        && full.declared_id() == Some(head.id)
}

/// `post ID`, `new post ID` or `deleted post ID` at the start of a chunk whose line scan
/// found nothing amiss, with the id followed by a space, a `{` or the end of the line.
fn head(file: FileId, text: &str, chunk: &Chunk) -> Option<Head> {
    if chunk.too_deep.is_some()
        || chunk.open_string.is_some()
        || chunk.open_bracket.is_some()
        || chunk.detached_brace.is_some()
    {
        return None;
    }
    read_head(file, text, chunk.body.clone())
}

/// The head at the start of `body`, a range of `text`.
fn read_head(file: FileId, text: &str, body: Range<usize>) -> Option<Head> {
    let base = body.start;
    let body = text.get(body)?.as_bytes();
    let span = |from: usize, to: usize| Span::new(file, base + from, base + to);
    let spaced = |at: usize| matches!(body.get(at), Some(b' ' | b'\t'));
    let skip_spaces = |mut at: usize| {
        while spaced(at) {
            at += 1;
        }
        at
    };
    let word_at =
        |at: usize, word: &str| body[at..].starts_with(word.as_bytes()) && spaced(at + word.len());
    let mut at = 0;
    let mut lifecycle = None;
    for l in Lifecycle::ALL {
        let word = l.word();
        if word_at(at, word) {
            lifecycle = Some((l, span(at, at + word.len())));
            at = skip_spaces(at + word.len());
            break;
        }
    }
    if !word_at(at, "post") {
        return None;
    }
    let kind = span(at, at + 4);
    at = skip_spaces(at + 4);
    let start = at;
    if !body
        .get(at)
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return None;
    }
    while body
        .get(at)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        at += 1;
    }
    if !matches!(
        body.get(at),
        None | Some(b' ' | b'\t' | b'{' | b'\r' | b'\n')
    ) {
        return None;
    }
    Some(Head {
        lifecycle,
        kind,
        id: span(start, at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keyword and id of each item and each post left to read, in the order of the
    /// text.
    fn kinds_and_ids(parsed: &ParsedFile, text: &str) -> Vec<String> {
        let slice = |s: Span| &text[s.start as usize..s.end as usize];
        let mut all: Vec<(u32, String)> = parsed
            .items
            .iter()
            .map(|i| {
                let id = i.first_atom().map_or("", |a| slice(a.span));
                (i.span.start, format!("{} {id}", slice(i.kind)))
            })
            .chain(parsed.deferred.iter().map(|d| {
                let head = d.head(text);
                (d.start, format!("{} {}", slice(head.kind), slice(head.id)))
            }))
            .collect();
        all.sort();
        all.into_iter().map(|(_, s)| s).collect()
    }

    /// Posts are left for later, in their place among the items read at once; each one's
    /// parse, when it comes, has the head the scan declared.
    #[test]
    fn posts_are_left_in_place_and_parse_to_what_was_declared() {
        let text = "org sbc \"Borough\" { kind council }\n\n\
                    post a \"A\" { employer sbc }\n\n\
                    @allow(tier_gap, \"agreed\")\npost b \"B\" { employer sbc }\n\n\
                    /// The new post.\n/// Two lines.\nnew post c{ employer sbc }\n\n\
                    area north \"North\"\n\n\
                    deleted  post d \"D\" {\r\n  employer sbc\r\n}\r\n";
        let (parsed, diagnostics) = parse_file_deferring(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            kinds_and_ids(&parsed, text),
            [
                "org sbc",
                "post a",
                "post b",
                "post c",
                "area north",
                "post d"
            ]
        );
        // `b` has an annotation: read at once
        let deferred: Vec<&str> = parsed
            .deferred
            .iter()
            .map(|d| &text[d.head(text).id.range()])
            .collect();
        assert_eq!(deferred, ["a", "c", "d"]);
        let (full, _) = parse_file(FileId(0), text);
        for (left, at) in parsed.deferred.iter().zip([1, 3, 5]) {
            let post = parse_deferred(FileId(0), text, left).expect("the post parses");
            assert!(same_head(left, text, &post));
            // the same tree, but for the doc comments, which no check reads of a post
            let mut whole = full.items[at].clone();
            whole.docs = Box::default();
            assert_eq!(format!("{post:?}"), format!("{whole:?}"));
            // the scan's span starts where the item's does
            assert_eq!(left.span().start, full.items[at].span.start);
        }
    }

    /// A head the scan does not recognise is read at once; a post whose text does not
    /// parse is found when it is read.
    #[test]
    fn what_the_scan_cannot_vouch_for_is_read_at_once_or_refused_later() {
        let text =
            "post a: \"A\"\n\npost \"no id\"\n\npost b { published 2007-6-1 }\n\npost c [1\n";
        let (parsed, _) = parse_file_deferring(FileId(0), text);
        let deferred: Vec<Span> = parsed.deferred.iter().map(|d| d.head(text).id).collect();
        // `post a:` is a keyed term; `post "no id"` has no id; `post c [1` leaves a
        // bracket open; `post b`'s date is malformed, which only its reading can tell
        assert_eq!(deferred.len(), 1, "{:?}", kinds_and_ids(&parsed, text));
        assert!(parse_deferred(FileId(0), text, &parsed.deferred[0]).is_none());
    }
}
