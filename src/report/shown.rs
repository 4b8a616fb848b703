//! Text as a terminal or a line-based reader may be shown it: control characters (an
//! escape sequence that sets the title or clears the screen, a bare carriage return that
//! overwrites the line, a line feed that starts a forged finding) and the invisible
//! characters that reorder text (Trojan Source: U+202E, U+2066, …) are written as
//! `\u{…}` escapes, as rustc shows them, instead of being copied raw.

use std::borrow::Cow;

use miette::{MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// Characters that change how the text around them is displayed: bidirectional
/// embeddings, overrides and isolates, and the marks that steer them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` is shown escaped; `keep` names the layout characters left as they are.
fn hidden(c: char, keep: &[char]) -> bool {
    (c.is_control() || is_bidi_control(c)) && !keep.contains(&c)
}

fn escape<'t>(text: &'t str, keep: &[char]) -> Cow<'t, str> {
    if !text.chars().any(|c| hidden(c, keep)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c, keep) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `\n` for a line feed, `\u{202e}` for the others.
fn escaped(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        c => format!("\\u{{{:x}}}", u32::from(c)),
    }
}

/// Text for one line (a message, a label, a file name, a line of `--format short`): every
/// control character escaped, line feeds included.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, &[])
}

/// Text that may run over lines (a help): line feeds and tabs kept, the rest escaped.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, &['\n', '\t'])
}

/// A file's text as a report quotes it: tabs, line feeds and the CR of CRLF kept, every
/// other control or bidi character escaped. Offsets into the file map to offsets into the
/// shown text with [`ShownFile::offset`]; when nothing needed escaping the text is the
/// file's own, uncopied.
pub struct ShownFile<'a> {
    pub file: &'a SourceFile,
    text: Cow<'a, str>,
    /// For each escaped character: its offset in the file, and the bytes the escapes up to
    /// and including it added.
    shifts: Vec<(usize, usize)>,
    /// Where each line starts in the shown text, when escapes moved them; empty when the
    /// text is the file's own, whose line index serves.
    moved_lines: Vec<u32>,
}

impl<'a> ShownFile<'a> {
    pub fn new(file: &'a SourceFile) -> ShownFile<'a> {
        let raw = file.text.as_str();
        let bytes = raw.as_bytes();
        let keep = |i: usize, c: char| {
            c == '\n' || c == '\t' || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
        };
        let clean = !raw
            .char_indices()
            .any(|(i, c)| hidden(c, &[]) && !keep(i, c));
        let (text, shifts) = if clean {
            (Cow::Borrowed(raw), Vec::new())
        } else {
            let mut out = String::with_capacity(raw.len() + 64);
            let mut shifts = Vec::new();
            let mut added = 0;
            for (i, c) in raw.char_indices() {
                if hidden(c, &[]) && !keep(i, c) {
                    let e = escaped(c);
                    added += e.len() - c.len_utf8();
                    shifts.push((i, added));
                    out.push_str(&e);
                } else {
                    out.push(c);
                }
            }
            (Cow::Owned(out), shifts)
        };
        let moved_lines = if shifts.is_empty() {
            Vec::new()
        } else {
            // escapes add no line feeds: each line start moves with its offset
            let at = |start: &u32| start + shifted(&shifts, *start as usize) as u32;
            file.line_starts().iter().map(at).collect()
        };
        ShownFile {
            file,
            text,
            shifts,
            moved_lines,
        }
    }

    /// Where the file's byte `offset` is in the shown text (an escaped character's offset
    /// is where its escape begins).
    pub fn offset(&self, offset: usize) -> usize {
        offset + shifted(&self.shifts, offset)
    }

    /// Where each line starts in the shown text.
    fn line_starts(&self) -> &[u32] {
        if self.shifts.is_empty() {
            self.file.line_starts()
        } else {
            &self.moved_lines
        }
    }

    /// The 0-based line of a shown offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&s| s as usize <= offset)
            - 1
    }
}

/// The bytes the escapes before `offset` added.
fn shifted(shifts: &[(usize, usize)], offset: usize) -> usize {
    let before = shifts.partition_point(|&(at, _)| at < offset);
    before.checked_sub(1).map_or(0, |i| shifts[i].1)
}

impl SourceCode for ShownFile<'_> {
    /// miette's own reading of a `&str` walks the text from its start to the span, once per
    /// snippet: quadratic over many findings. This hands it only the lines around the span
    /// (with one line to spare each way, so it finds the same context) and puts the line
    /// numbers and offsets back.
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, miette::MietteError> {
        let start = span.offset().min(self.text.len());
        let end = (span.offset() + span.len()).min(self.text.len());
        let first = self.line_of(start);
        let last = self.line_of(end.saturating_sub(1).max(start));
        let from = first.saturating_sub(before + 1);
        let starts = self.line_starts();
        let to = (last + after + 2).min(starts.len());
        let window_start = starts[from] as usize;
        let window_end = starts.get(to).map_or(self.text.len(), |&s| s as usize);
        let window = &self.text[window_start..window_end];
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            one_line(&self.file.path.display().to_string()).into_owned(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window_start).into(),
                inner.span().len(),
            ),
            inner.line() + from,
            inner.column(),
            inner.line_count() + from,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_characters_are_escaped() {
        assert_eq!(
            one_line("a\u{1b}]0;owned\u{7}b\nc\u{202e}d"),
            "a\\u{1b}]0;owned\\u{7}b\\nc\\u{202e}d"
        );
        assert_eq!(lines("help\n\tmore\r"), "help\n\tmore\\r");
        assert!(matches!(one_line("plain £ text"), Cow::Borrowed(_)));
    }

    #[test]
    fn offsets_map_past_escapes() {
        let file = SourceFile::new("x.org".into(), "ab\u{202e}cd\r\nx\u{1b}y\n".into());
        let shown = ShownFile::new(&file);
        assert_eq!(shown.text, "ab\\u{202e}cd\r\nx\\u{1b}y\n");
        assert_eq!(shown.offset(2), 2);
        // `c` follows the 8-byte escape of a 3-byte character
        assert_eq!(shown.offset(5), 10);
        let x = file.text.find('x').unwrap();
        assert_eq!(&shown.text[shown.offset(x)..=shown.offset(x)], "x");
        let y = file.text.find('y').unwrap();
        assert_eq!(&shown.text[shown.offset(y)..=shown.offset(y)], "y");
    }
}
