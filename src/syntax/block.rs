//! A block's fields as both tree builders gather them (`parser.rs` from pest's pairs,
//! `plain.rs` from the bytes), with the `///` lines that document them: a doc comment
//! belongs to the field on the very next line, and a blank line or an ordinary comment
//! ends the run of doc comments before it.

use smallvec::SmallVec;

use super::ast::Field;
use crate::source::Span;

pub(super) struct Fields<'t> {
    /// The chunk's text, and its offset in the file.
    body: &'t [u8],
    base: usize,
    /// The fields read so far. (Most items have a handful: gathered on the stack, then
    /// allocated once at their number; a growing vector was a realloc per doubling, then
    /// one to shrink.)
    read: SmallVec<[Field; 8]>,
    /// The `///` lines waiting for the field below them.
    docs: Vec<Span>,
}

impl<'t> Fields<'t> {
    /// The fields of a block of the chunk `body`, which starts at `base` in its file.
    pub(super) fn new(body: &'t str, base: usize) -> Self {
        Fields {
            body: body.as_bytes(),
            base,
            read: SmallVec::new(),
            docs: Vec::new(),
        }
    }

    /// A `///` line; a blank line above it ends the run it would have joined.
    pub(super) fn doc(&mut self, doc: Span) {
        if self
            .docs
            .last()
            .is_some_and(|last| self.blank_line_between(last.end, doc.start))
        {
            self.docs.clear();
        }
        self.docs.push(doc);
    }

    /// A field: the `///` lines directly above it are its own.
    pub(super) fn field(&mut self, mut field: Field) {
        if self
            .docs
            .last()
            .is_some_and(|last| !self.blank_line_between(last.end, field.span.start))
        {
            field.docs = std::mem::take(&mut self.docs).into_boxed_slice();
        }
        self.docs.clear();
        self.read.push(field);
    }

    /// An ordinary comment: the `///` lines above it document no field.
    pub(super) fn comment(&mut self) {
        self.docs.clear();
    }

    pub(super) fn finish(self) -> Box<[Field]> {
        self.read.into_iter().collect()
    }

    fn blank_line_between(&self, start: u32, end: u32) -> bool {
        let (s, e) = (start as usize - self.base, end as usize - self.base);
        memchr::memchr_iter(b'\n', &self.body[s..e])
            .nth(1)
            .is_some()
    }
}
