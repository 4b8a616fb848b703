//! Source files and positions.
//!
//! Every position in orgspec is a [`Span`]: a file and a byte range. Lines and columns are
//! computed only when a diagnostic is reported, from the file's line table.

use std::path::{Path, PathBuf};

/// The index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one file. `u32` offsets keep the model small; files over 4 GiB are
/// refused when read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering both (same file).
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A span whose file its owner knows: where a field of a post's state is written (the
/// file is the post's). Six bytes, not a [`Span`]'s twelve: a post's state holds five of
/// them, and a state is a post's largest part (a state of 128 bytes with spans, 88 with
/// these; 4 MB of a 100k-post check, docs/performance.md). A value longer than 65,535
/// bytes (a list of areas that long) is pointed at by where it starts: an empty span there,
/// which, unlike its first 65,535 bytes, cannot end inside a character.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
#[repr(C, packed(2))]
pub struct At {
    start: u32,
    len: u16,
}

impl At {
    pub fn new(span: Span) -> At {
        At {
            start: span.start,
            len: u16::try_from(span.len()).unwrap_or(0),
        }
    }

    /// The span it is, in its owner's file.
    pub fn span(self, file: FileId) -> Span {
        let (start, len) = (self.start, self.len);
        Span {
            file,
            start,
            end: start + u32::from(len),
        }
    }
}

impl std::fmt::Debug for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (start, len) = (self.start, self.len);
        write!(
            f,
            "At {{ start: {start}, end: {} }}",
            start + u32::from(len)
        )
    }
}

/// A position as its owner keeps it: a [`Span`], or an [`At`] in the owner's file.
pub trait Position: Copy {
    fn span(self, file: FileId) -> Span;
}

impl Position for Span {
    fn span(self, _: FileId) -> Span {
        self
    }
}

impl Position for At {
    fn span(self, file: FileId) -> Span {
        At::span(self, file)
    }
}

/// One loaded file: its path as the user reached it, and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as reached from the command line (or from the `use` that loaded it),
    /// lexically normalised: this is what `--format short` prints.
    pub path: PathBuf,
    /// The text, always valid UTF-8. A file that was not is kept as its lossy decoding,
    /// so diagnostics can still show it.
    pub text: String,
    /// Where each line starts, worked out when a position is first asked for: a check
    /// that finds nothing never asks (100k posts: 3.2 MB of the check's peak), and one
    /// that does asks when it reports, once the model is gone.
    line_starts: std::sync::OnceLock<Box<[u32]>>,
    /// For text that is not all ASCII: the number of characters before each multiple of
    /// [`CHAR_MARK`] bytes, so that a column is counted from the nearest mark, not from the
    /// start of its line (a line can be megabytes long). Empty for ASCII text, where a
    /// column is a difference of offsets.
    char_marks: Vec<u32>,
}

/// The spacing of [`SourceFile`]'s character marks, in bytes.
const CHAR_MARK: usize = 1024;

/// The characters of UTF-8 bytes: those that are not continuation bytes.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut before = 0u32;
            let mut marks = Vec::with_capacity(text.len() / CHAR_MARK + 1);
            for block in text.as_bytes().chunks(CHAR_MARK) {
                marks.push(before);
                before += chars_in(block) as u32;
            }
            // for an offset at the end of text that fills its last block
            marks.push(before);
            marks
        };
        SourceFile {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            char_marks,
        }
    }

    /// Where each line starts (byte offsets; the first is 0).
    pub fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            // counted first, so the table is allocated once at its size: grown as it was
            // filled, it was copied a dozen times and left a quarter empty
            let bytes = self.text.as_bytes();
            let lines = memchr::memchr_iter(b'\n', bytes).count();
            let mut starts = Vec::with_capacity(lines + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| (i + 1) as u32));
            starts.into_boxed_slice()
        })
    }

    /// The characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let block = offset / CHAR_MARK;
        self.char_marks[block] as usize + chars_in(&self.text.as_bytes()[block * CHAR_MARK..offset])
    }

    /// 1-based line and column of a byte offset; the column counts characters
    /// (Unicode scalar values), as docs/json-output.md specifies.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let start = starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.chars_before(end) - self.chars_before(start) + 1;
        (line + 1, column)
    }

    /// The byte range of the 1-based line `line`, without its line end.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.line_starts();
        let start = starts[line - 1] as usize;
        let mut end = starts.get(line).map_or(self.text.len(), |&s| s as usize);
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }
}

/// All files of a run. Files are added once and never removed, so a [`FileId`] stays valid.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The files' texts, by id.
    pub fn into_texts(self) -> Vec<String> {
        self.files.into_iter().map(|f| f.text).collect()
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.files[id.0 as usize].path
    }

    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).slice(span)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Lexically normalise a path: drop `.` and resolve `..` against the components before
/// it, without touching the file system (so the path stays as the user wrote it).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// A path written for a URI: `/` separators, every byte but letters, digits and `-._~/`
/// percent-encoded (SARIF locations, the language server's `file://` URIs).
pub fn uri_encode_path(path: &Path) -> String {
    use std::fmt::Write as _;
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A post's field's position is its span again in the post's file; one too long to
    /// keep is its start.
    #[test]
    fn an_at_is_its_span_in_its_owners_file() {
        let span = Span::new(FileId(3), 70_000, 70_012);
        assert_eq!(At::new(span).span(FileId(3)), span);
        let long = Span::new(FileId(3), 10, 10 + 65_536);
        assert_eq!(At::new(long).span(FileId(3)), Span::new(FileId(3), 10, 10));
        let widest = Span::new(FileId(3), 10, 10 + 65_535);
        assert_eq!(At::new(widest).span(FileId(3)), widest);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("x".into(), "ab\n£5 x\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // `x` is at byte 7 (`£` is two bytes) but character column 4
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_range(2), 3..8);
    }

    /// Columns from the character marks agree with counting from the line start, across
    /// marks and at the very end, on a long line of mixed text.
    #[test]
    fn columns_on_long_lines_agree_with_counting() {
        let line = "é £ x 𝄞 ".repeat(700);
        for text in [format!("a\n{line}\nb"), line.clone(), "£".repeat(CHAR_MARK)] {
            let f = SourceFile::new("x".into(), text.clone());
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                let expected = text[start..offset].chars().count() + 1;
                assert_eq!(f.line_col(offset as u32).1, expected, "at {offset}");
            }
        }
    }

    #[test]
    fn normalize_resolves_parent_components() {
        assert_eq!(
            normalize(Path::new("specs/a/../common/b.org")),
            PathBuf::from("specs/common/b.org")
        );
        assert_eq!(normalize(Path::new("./x.org")), PathBuf::from("x.org"));
        assert_eq!(normalize(Path::new("../x.org")), PathBuf::from("../x.org"));
    }
}
