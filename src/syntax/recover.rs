//! Recovery from an item pest cannot read: the mistake is described, the field that holds
//! it is left out, and the item is read again, so that one field copied wrongly from a
//! paper costs that field, not the item (and nothing else is reported missing because of
//! it: the field is kept, marked `unreadable`, with no value).

use super::ast::{Field, Item};
use super::errors::describe_error;
use super::grammar::Rule;
use super::notations;
use super::split::{is_rule_chunk, Chunk};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// At most this many unreadable fields are left out of one item before it is given up.
const MAX_RECOVERED_FIELDS: usize = 8;

/// An item pest could not read: say why, then leave out the field that broke it (the
/// whole field, its continuation lines too) and read the item again, so that one field
/// copied wrongly from a paper loses that field, not the item. A `{` on the line below
/// the item's first is reported and read as if it were on that line.
/// `read` parses and builds an item from a chunk's text (at the chunk's place in the file).
pub(super) fn recover(
    file: FileId,
    text: &str,
    chunk: &Chunk,
    read: impl Fn(&str) -> Result<Result<Item, Box<Diagnostic>>, pest::error::Error<Rule>>,
) -> (Option<Item>, Vec<Diagnostic>) {
    let base = chunk.body.start;
    let mut body = text[chunk.body.clone()].as_bytes().to_vec();
    let mut found = Vec::new();
    if let Some(brace) = chunk.detached_brace {
        found.push(detached_brace(file, text, brace));
        // read it as written on the line above: blank the line ends (and a comment)
        // between the item's first line and its `{`
        let first_line = &text[base..brace];
        let first_line = &first_line[..first_line.find('\n').unwrap_or(first_line.len())];
        let first_line_end = base + first_line.trim_end_matches('\r').len();
        let comment = text[base..first_line_end]
            .find("//")
            .map_or(first_line_end, |n| base + n);
        for b in &mut body[comment - base..brace - base] {
            *b = b' ';
        }
    }
    let rule = is_rule_chunk(&text[chunk.body.clone()]);
    let mut unreadable = Vec::new();
    for _ in 0..=MAX_RECOVERED_FIELDS {
        let Ok(current) = std::str::from_utf8(&body) else {
            break;
        };
        let error = match read(current) {
            Ok(Ok(mut item)) => {
                if let Some(block) = item.block.as_mut() {
                    if !unreadable.is_empty() {
                        let mut fields = std::mem::take(&mut block.fields).into_vec();
                        fields.extend(unreadable.into_iter().map(|name: Span| Field {
                            docs: Box::default(),
                            name,
                            value: None,
                            span: name,
                            unreadable: true,
                        }));
                        fields.sort_by_key(|f| f.span.start);
                        block.fields = fields.into_boxed_slice();
                    }
                }
                return (Some(item), found);
            }
            Ok(Err(d)) => {
                found.push(notations::restate(&d, text, 0).unwrap_or(*d));
                return (None, found);
            }
            Err(e) => e,
        };
        let described = describe_error(file, base, current, chunk, &error);
        let d = notations::restate(&described, text, 0);
        let at = described.span.start as usize - base;
        if rule || chunk.open_string.is_some() || chunk.open_bracket.is_some() {
            found.push(d.unwrap_or(described));
            break;
        }
        // a notation on a line that is not a field of its own (a one-line `grade` item)
        // is left out by itself, so that the item is still read
        let notation = d.as_ref().map(|d| d.span.range());
        found.push(d.unwrap_or(described));
        let Some(lines) = field_lines(current, at).or_else(|| {
            let r = notation?;
            Some(r.start - base..r.end - base)
        }) else {
            break;
        };
        let name_len = current[lines.start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(0);
        if name_len > 0 {
            unreadable.push(Span::new(
                file,
                base + lines.start,
                base + lines.start + name_len,
            ));
        }
        for b in &mut body[lines] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    (None, found)
}

/// The bytes of the field whose line holds `at`: from its name to the end of its last
/// continuation line. `None` when `at` is not inside the item's block on a line of its
/// own (a one-line item, the item's first line, a line that also closes the block).
fn field_lines(body: &str, at: usize) -> Option<std::ops::Range<usize>> {
    // byte searches: a `\n` is always a char boundary, the `i` asked about may not be
    let bytes = body.as_bytes();
    let line_start = |i: usize| memchr::memrchr(b'\n', &bytes[..i]).map_or(0, |n| n + 1);
    let line_end = |i: usize| {
        memchr::memchr(b'\n', &bytes[i.min(bytes.len())..]).map_or(bytes.len(), |n| i + n)
    };
    let code = |start: usize| {
        let line = &body[start..line_end(start)];
        let line = line.find("//").map_or(line, |n| &line[..n]);
        line.trim_end()
    };
    let continues = |start: usize| {
        let c = code(start);
        c.ends_with(',') || c.ends_with("->") || c.ends_with('=') || c.ends_with("..")
    };
    let mut start = line_start(at.min(body.len()));
    if start == 0 {
        return None;
    }
    while start > 0 {
        let prev = line_start(start - 1);
        if prev == 0 || !continues(prev) {
            break;
        }
        start = prev;
    }
    let mut end = line_end(start);
    while continues(line_start(end.saturating_sub(1))) && end < body.len() {
        end = line_end(end + 1);
    }
    let depth_before = depth(&body[..start]);
    let text = &body[start..end];
    let first = text.trim_start();
    let balanced = depth(text) == 0 && !text.trim().is_empty();
    (depth_before >= 1
        && balanced
        && !first.starts_with('}')
        && first.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
    .then(|| start + (text.len() - first.len())..end)
}

/// Open brackets minus closed ones in `text`, outside strings and comments.
fn depth(text: &str) -> isize {
    let mut d = 0;
    for line in text.split('\n') {
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                '{' | '[' | '(' if !in_string => d += 1,
                '}' | ']' | ')' if !in_string => d -= 1,
                _ => {}
            }
        }
    }
    d
}

/// The item's `{` on a line of its own.
fn detached_brace(file: FileId, text: &str, brace: usize) -> Diagnostic {
    use crate::diagnostic::{Edit, Fix};
    let line_start = text[..brace].rfind('\n').map_or(0, |n| n + 1);
    let above_end = line_start.saturating_sub(1);
    let above_start = text[..above_end].rfind('\n').map_or(0, |n| n + 1);
    let above = &text[above_start..above_end];
    let above = above.strip_suffix('\r').unwrap_or(above);
    let code = above.find("//").map_or(above, |n| &above[..n]).trim_end();
    let insert_at = above_start + code.len();
    let after = &text[brace + 1..];
    let rest_of_line = after.find('\n').map_or(after, |n| &after[..n]);
    let delete_end = if rest_of_line.trim().is_empty() {
        // the `{` is alone on its line: the line goes
        brace + 1 + rest_of_line.len() + usize::from(after.len() > rest_of_line.len())
    } else {
        brace + 1 + (rest_of_line.len() - rest_of_line.trim_start().len())
    };
    let mut d = Diagnostic::error(
        "syntax_error",
        Span::new(file, brace, brace + 1),
        format!("the `{{` of `{code}` is on a line of its own: write `{code} {{`"),
    )
    .with_label("expected at the end of the line above")
    .with_help(format!(
        "an item's `{{` ends its first line: write `{code} {{`"
    ));
    d.fixes.push(Fix {
        description: format!("write `{code} {{`"),
        edits: vec![
            Edit {
                span: Span::new(file, insert_at, insert_at),
                replacement: " {".into(),
            },
            Edit {
                span: Span::new(file, line_start, delete_end),
                replacement: String::new(),
            },
        ],
    });
    d
}

/// The keyword and id of an item that could not be read (`post dof "…" {`, `new post x`,
/// `@allow(…) org sbc`), read from the start of its text: a word, a word, as ids are
/// written. `None` when the start is not that shape.
pub(super) fn keyword_and_id(file: FileId, text: &str, chunk: &Chunk) -> Option<(Span, Span)> {
    let body = &text[chunk.body.clone()];
    let base = chunk.body.start;
    // after any annotations: the first line that does not start with `@`
    let start = body
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let here = *at;
            *at += line.len();
            Some((here, line))
        })
        .find(|(_, line)| !line.trim_start().starts_with('@') && !line.trim().is_empty())?
        .0;
    let mut words = Vec::new();
    let mut at = start;
    while words.len() < 3 {
        let rest = &body[at..];
        let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        at += skip;
        let len = body[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len() - at);
        if len == 0 {
            break;
        }
        words.push((at, len));
        at += len;
    }
    let word = |(s, l): (usize, usize)| &body[s..s + l];
    let (kind, id) = match words.as_slice() {
        [first, kind, id, ..] if matches!(word(*first), "new" | "deleted") => (*kind, *id),
        [kind, id, ..] => (*kind, *id),
        _ => return None,
    };
    let starts_like_id = word(id).starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    starts_like_id.then(|| {
        (
            Span::new(file, base + kind.0, base + kind.0 + kind.1),
            Span::new(file, base + id.0, base + id.0 + id.1),
        )
    })
}
