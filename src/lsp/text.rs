//! Positions and paths in the protocol's terms: lines and UTF-16 columns, `file://` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

/// What a column counts, as negotiated with the client (LSP 3.17 `positionEncoding`):
/// UTF-16 code units unless the client offers UTF-8 or UTF-32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Line starts of a text, for converting byte offsets to and from protocol positions.
pub struct LineIndex {
    starts: Vec<usize>,
    encoding: Encoding,
}

impl LineIndex {
    pub fn new(text: &str, encoding: Encoding) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts, encoding }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column: usize = text[self.starts[line]..offset]
            .chars()
            .map(|c| self.encoding.width(c))
            .sum();
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, text: &str, range: std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(text, range.start),
            self.position(text, range.end),
        )
    }

    /// The byte offset of a position; past the end of a line is its end, past the last
    /// line the end of the text (clients do send such positions).
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= position.character as usize || c == '\n' || c == '\r' {
                return start + i;
            }
            units += self.encoding.width(c);
        }
        text.len()
    }
}

/// `file:///a/b%20c.org` → `/a/b c.org`; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file://host/path`: only the local host is ours
    let path = if rest.starts_with('/') {
        rest
    } else {
        let slash = rest.find('/')?;
        if !rest[..slash].eq_ignore_ascii_case("localhost") {
            return None;
        }
        &rest[slash..]
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let decoded = String::from_utf8(out).ok()?;
    Some(PathBuf::from(decoded))
}

/// `/a/b c.org` → `file:///a/b%20c.org`.
pub fn path_to_uri(path: &Path) -> Uri {
    let encoded = crate::source::uri_encode_path(path);
    let slash = if encoded.starts_with('/') { "" } else { "/" };
    Uri::from_str(&format!("file://{slash}{encoded}"))
        .unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a£b\n𝄞x\n";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.position(text, 3), Position::new(0, 2)); // after `£`
        assert_eq!(index.position(text, 9), Position::new(1, 2)); // after the clef (2 units)
        assert_eq!(index.offset(text, Position::new(1, 2)), 9);
        assert_eq!(index.offset(text, Position::new(0, 99)), 4);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        let bytes = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(bytes.position(text, 9), Position::new(1, 4));
        assert_eq!(bytes.offset(text, Position::new(0, 3)), 3);
        let chars = LineIndex::new(text, Encoding::Utf32);
        assert_eq!(chars.position(text, 9), Position::new(1, 1));
    }

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/tmp/my specs/a£.org");
        let uri = path_to_uri(p);
        assert_eq!(uri.as_str(), "file:///tmp/my%20specs/a%C2%A3.org");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
    }
}
