//! Cut a file into item chunks with a cheap line scan.
//!
//! This is the error-recovery mechanism of the parser (a broken item cannot swallow the
//! next one) and what lets items be parsed on every core. A chunk starts at a line whose
//! first token is at bracket depth 0 and that does not continue the line before it (a
//! line ending in `,`, `->`, `=`, `..` or an `@annotation(…)` is continued by the next).
//!
//! When a `{` is left open, the next line that starts at column 0 with a keyword that can
//! only begin an item (`post`, `org`, `pool`, …; not `service` or `area`, which are also
//! field names) starts a new chunk anyway, so one missing `}` hides nothing else.

use std::ops::Range;

/// Deeper nesting than this is refused before pest sees it: 200,000 nested brackets must
/// give a diagnostic, not a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// Keywords that begin an item and are never field names.
const STRONG_ITEM_KEYWORDS: &[&str] = &[
    "use",
    "spec",
    "org",
    "align",
    "grade",
    "person",
    "post",
    "new",
    "deleted",
    "slot",
    "pool",
    "agreement",
    "timeline",
    "budget",
    "rule",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The `///` lines directly above the item (byte ranges of each whole comment).
    pub docs: Vec<Range<usize>>,
    /// From the first code line to the end of the last code line (line end excluded).
    pub body: Range<usize>,
    /// Where nesting first went deeper than [`MAX_DEPTH`].
    pub too_deep: Option<usize>,
    /// A string that is not closed before the end of its line.
    pub open_string: Option<usize>,
    /// The innermost bracket still open at the end of the chunk.
    pub open_bracket: Option<usize>,
    /// The item's `{` on a line of its own, below the item's first line (as C# writes
    /// it): joined to its item so that the item is read, and reported.
    pub detached_brace: Option<usize>,
}

#[derive(Default)]
struct State {
    /// Open brackets: byte offset of each.
    stack: Vec<usize>,
    too_deep: Option<usize>,
    open_string: Option<usize>,
}

/// The bytes the line scan must look at: spacing, quotes, brackets, `/` and `@`.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let special = b" \t\r\"/{}[]()@";
    while i < special.len() {
        t[special[i] as usize] = true;
        i += 1;
    }
    t
};

/// Scan one line, updating the bracket state; whether the next line continues it.
fn scan_line(text: &str, range: Range<usize>, state: &mut State) -> bool {
    let bytes = text.as_bytes();
    let mut i = range.start;
    let mut last_significant: Option<usize> = None;
    let mut starts_with_at = false;
    let mut first = true;
    while i < range.end {
        let b = bytes[i];
        // Most bytes are plain: settle them with one table look-up.
        if !SPECIAL[usize::from(b)] {
            first = false;
            last_significant = Some(i);
            i += 1;
            continue;
        }
        match b {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => break,
            b'"' => {
                let open = i;
                i += 1;
                let mut closed = false;
                while i < range.end {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            closed = true;
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                if !closed && state.open_string.is_none() {
                    state.open_string = Some(open);
                }
                last_significant = Some(i.min(range.end) - 1);
                first = false;
                continue;
            }
            b'{' | b'[' | b'(' => {
                state.stack.push(i);
                if state.stack.len() > MAX_DEPTH && state.too_deep.is_none() {
                    state.too_deep = Some(i);
                }
            }
            b'}' | b']' | b')' => {
                state.stack.pop();
            }
            b'@' if first => starts_with_at = true,
            _ => {}
        }
        first = false;
        last_significant = Some(i);
        i += 1;
    }
    starts_with_at
        || last_significant.is_some_and(|at| {
            let tail = &text[range.start..=at];
            tail.ends_with(',')
                || tail.ends_with("->")
                || tail.ends_with('=')
                || tail.ends_with("..")
        })
}

fn first_word(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with('@') {
        return "@";
    }
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    &t[..end]
}

/// Split `text` into item chunks.
pub fn split(text: &str) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    split_each(text, |chunk| chunks.push(chunk));
    chunks
}

/// Split `text` into item chunks, handing each over as it is found: a caller that keeps
/// little of each (`orgspec check` keeps a post's head and where its text is) never holds
/// them all (a million posts' chunks are a hundred megabytes, and a vector growing to
/// hold them is copied twenty times over).
pub fn split_each(text: &str, mut each: impl FnMut(Chunk)) {
    let mut state = State::default();
    let mut current: Option<Chunk> = None;
    let mut continues = false;
    let mut docs: Vec<Range<usize>> = Vec::new();

    let finish = |current: &mut Option<Chunk>, state: &mut State, each: &mut dyn FnMut(Chunk)| {
        if let Some(mut c) = current.take() {
            c.too_deep = state.too_deep.take();
            c.open_string = state.open_string.take();
            c.open_bracket = state.stack.last().copied();
            state.stack.clear();
            each(c);
        }
    };

    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |n| line_start + n);
        let next = line_end + 1;
        let mut content_end = line_end;
        if content_end > line_start && text.as_bytes()[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        let line = &text[line_start..content_end];
        let trimmed = line.trim_start();
        let is_blank = trimmed.is_empty();
        let is_comment = trimmed.starts_with("//");
        let is_doc = trimmed.starts_with("///") && !trimmed.starts_with("////");

        if is_blank || is_comment {
            if current.is_none() || (state.stack.is_empty() && !continues) {
                // trivia between items: a doc comment collects, anything else breaks the run
                if is_doc {
                    let at = line_start + (line.len() - trimmed.len());
                    docs.push(at..content_end);
                } else {
                    docs.clear();
                }
            }
            line_start = next;
            continue;
        }

        let starts_item = match &current {
            None => true,
            Some(c)
                if state.stack.is_empty()
                    && !continues
                    && trimmed.starts_with('{')
                    && c.detached_brace.is_none()
                    && !text[c.body.clone()].contains('{') =>
            {
                false
            }
            Some(_) if state.stack.is_empty() => !continues,
            Some(_) => {
                // recovery from an unclosed bracket: a strong keyword at column 0
                trimmed.len() == line.len() && {
                    let w = first_word(line);
                    w == "@" || STRONG_ITEM_KEYWORDS.contains(&w)
                }
            }
        };
        if starts_item {
            finish(&mut current, &mut state, &mut each);
            let indent = line.len() - trimmed.len();
            current = Some(Chunk {
                docs: std::mem::take(&mut docs),
                body: line_start + indent..content_end,
                too_deep: None,
                open_string: None,
                open_bracket: None,
                detached_brace: None,
            });
        }
        if !starts_item && state.stack.is_empty() && trimmed.starts_with('{') {
            if let Some(c) = current.as_mut() {
                c.detached_brace = Some(line_start + (line.len() - trimmed.len()));
            }
        }
        continues = scan_line(text, line_start..content_end, &mut state);
        if let Some(c) = current.as_mut() {
            c.body.end = content_end;
        }
        line_start = next;
    }
    finish(&mut current, &mut state, &mut each);
}

/// Whether a chunk is a `rule` item: its first word after any `@annotation(…)` is `rule`.
/// Decided before parsing, so that a mistake inside a rule is reported as one.
pub(super) fn is_rule_chunk(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i..].starts_with(b"//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if bytes.get(i) == Some(&b'@') {
            // skip to the annotation's closing `)`, stepping over strings
            let mut in_string = false;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if in_string => i += 1,
                    b'"' => in_string = !in_string,
                    b')' if !in_string => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            continue;
        }
        break;
    }
    let rest = &bytes[i.min(bytes.len())..];
    rest.starts_with(b"rule")
        && !rest
            .get(4)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|c| &text[c.body]).collect()
    }

    #[test]
    fn items_split_at_depth_zero_lines() {
        let text = "org a \"A\" { kind council }\n\npost p \"P\" {\n  service x\n  area y\n}\n";
        assert_eq!(
            bodies(text),
            vec![
                "org a \"A\" { kind council }",
                "post p \"P\" {\n  service x\n  area y\n}"
            ]
        );
    }

    #[test]
    fn continuation_lines_stay_in_the_item() {
        let text = "slot a, b,\n  area -> c\n@allow(x, \"y\")\npost p \"P\" { tier 1 }\n";
        assert_eq!(
            bodies(text),
            vec![
                "slot a, b,\n  area -> c",
                "@allow(x, \"y\")\npost p \"P\" { tier 1 }"
            ]
        );
    }

    #[test]
    fn an_indented_item_starts_at_its_first_token() {
        assert_eq!(
            bodies("  post p \"P\" { tier 1 }\n"),
            vec!["post p \"P\" { tier 1 }"]
        );
    }

    #[test]
    fn doc_comments_attach_only_when_adjacent() {
        let text = "/// lost\n\n/// kept\npost p \"P\"\n";
        let chunks = split(text);
        assert_eq!(chunks.len(), 1);
        assert_eq!(&text[chunks[0].docs[0].clone()], "/// kept");
    }

    #[test]
    fn an_unclosed_brace_does_not_swallow_the_next_item() {
        let text = "post p \"P\" {\n  tier 1\n\npost q \"Q\" { tier 2 }\n";
        let chunks = split(text);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].open_bracket, Some(11));
    }

    #[test]
    fn a_brace_on_the_next_line_stays_with_its_item() {
        let text = "timeline\n{\n  agreed 2012-10-01\n}\npost p \"P\"\n{ tier 1 }\n";
        let chunks = split(text);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].detached_brace, Some(9));
        assert_eq!(&text[chunks[1].body.clone()], "post p \"P\"\n{ tier 1 }");
    }

    #[test]
    fn deep_nesting_is_flagged_not_recursed() {
        let text = format!("post p {}", "[".repeat(200_000));
        let chunks = split(&text);
        assert_eq!(chunks[0].too_deep, Some(7 + MAX_DEPTH));
    }
}
