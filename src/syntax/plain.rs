//! Plain items read without pest: the common shape of an item, read by one pass over its
//! bytes.
//!
//! Nearly every item of a real spec, and every post of a large one, is plain: a keyword,
//! a header on its line, a block of one field a line, each value atoms side by side
//! separated by `,` or `->`. pest reads such an item at a few MB/s, keeping a stack of
//! snapshots and a call counter for every rule it tries, and the tree builder walks its
//! pairs a second time; this reader builds the same tree in one pass, several times
//! faster (docs/performance.md).
//!
//! The grammar (`grammar/orgspec.pest`) stays the definition of the language. This
//! reader accepts only what it reads exactly as pest and the tree builder do, and gives
//! up (`None`) at anything else: annotations, brackets, keys (`north:`), a list (or an
//! `align`'s `= …`) that goes on over a line end, a comment inside a value, any token
//! the builder would refuse, and anything that is not well formed. Those items are parsed
//! by pest, as every item was before, so syntax errors are still pest's and the
//! builder's. The reader's trees are tested equal to pest's (`tests/plain_reader.rs`):
//! every item of the repository's `.org` files, generated specs, specs mutated at
//! random and plain items generated at random; and in the fuzz target `check`.

use super::ast::{Atom, AtomKind, Block, Field, Header, Item, Lifecycle, Term, Terms, Value};
use super::block::Fields;
use super::lexeme::{money_part, numeric_part, split_at_dots, Built};
use super::split::Chunk;
use crate::source::{FileId, Span};

/// The item of `chunk` (not a rule's), when it is plain; `None` when pest must read it.
pub(super) fn read(file: FileId, text: &str, chunk: &Chunk) -> Option<Item> {
    let body = &text[chunk.body.clone()];
    let mut r = Reader {
        b: body.as_bytes(),
        body,
        at: 0,
        file,
        base: chunk.body.start,
    };
    r.item(chunk)
}

struct Reader<'t> {
    b: &'t [u8],
    body: &'t str,
    /// The next byte to read, in the chunk.
    at: usize,
    file: FileId,
    /// The chunk's offset in the file.
    base: usize,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Where a value's atom may begin (a bracket is left to pest).
fn is_atom_start(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == b'"' || c == 0xC2
}

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.base + start, self.base + end)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.at + ahead).copied()
    }

    fn eat_while(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&f) {
            self.at += 1;
        }
    }

    /// Spaces and tabs; whether there were any.
    fn spacing(&mut self) -> bool {
        let from = self.at;
        self.eat_while(|c| c == b' ' || c == b'\t');
        self.at > from
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`: its range.
    fn ident(&mut self) -> Option<(usize, usize)> {
        let start = self.at;
        if !is_ident_start(self.peek()?) {
            return None;
        }
        self.eat_while(is_ident_char);
        Some((start, self.at))
    }

    /// `//` or `///` to the end of the line (line end excluded), when one starts here:
    /// whether it is a doc comment, and its range.
    fn comment(&mut self) -> Option<(bool, (usize, usize))> {
        if !self.b[self.at..].starts_with(b"//") {
            return None;
        }
        let start = self.at;
        let doc = self.peek_at(2) == Some(b'/') && self.peek_at(3) != Some(b'/');
        self.eat_while(|c| c != b'\n' && c != b'\r');
        Some((doc, (start, self.at)))
    }

    /// A line end, `\n` or `\r\n`.
    fn eol(&mut self) -> bool {
        match (self.peek(), self.peek_at(1)) {
            (Some(b'\n'), _) => self.at += 1,
            (Some(b'\r'), Some(b'\n')) => self.at += 2,
            _ => return false,
        }
        true
    }

    /// `[new|deleted] KIND [HEADER] [{ BLOCK }]`, then at most a comment and blank lines.
    fn item(&mut self, chunk: &Chunk) -> Option<Item> {
        let first = self.ident()?;
        let mut lifecycle = None;
        let mut kind = first;
        let word = &self.body[first.0..first.1];
        if word == "new" || word == "deleted" {
            // `new post`: a lifecycle, then the keyword (`new {` and the like go to pest)
            if !self.spacing() {
                return None;
            }
            kind = self.ident()?;
            let l = if word == "new" {
                Lifecycle::New
            } else {
                Lifecycle::Deleted
            };
            lifecycle = Some((l, self.span(first.0, first.1)));
        }
        let mut end = kind.1;
        let header_at = self.at;
        let header = if self.spacing() && self.peek().is_some_and(is_atom_start) {
            let start = self.at;
            let value = self.list()?;
            let eq = self.eq()?;
            end = self.at;
            Some(Header {
                span: self.span(start, end),
                value,
                eq,
            })
        } else {
            self.at = header_at;
            None
        };
        self.spacing();
        let block = if self.peek() == Some(b'{') {
            let block = self.block()?;
            end = self.at;
            Some(block)
        } else {
            None
        };
        // what may follow: spacing, comments and line ends, to the end of the chunk
        while self.spacing() || self.eol() || self.comment().is_some() {}
        if self.at != self.b.len() {
            return None;
        }
        Some(Item {
            docs: chunk
                .docs
                .iter()
                .map(|r| Span::new(self.file, r.start, r.end))
                .collect(),
            annotations: Box::default(),
            lifecycle,
            kind: self.span(kind.0, kind.1),
            header,
            block,
            rule: None,
            span: self.span(0, end),
        })
    }

    /// `= VALUE` after a header's value (`align sbc 3 = ntpct 4`), on the same line.
    /// `Some(None)` when there is none.
    #[expect(
        clippy::option_option,
        reason = "the outer `None` gives the item up, as everywhere in this reader"
    )]
    fn eq(&mut self) -> Option<Option<Box<(Span, Value)>>> {
        let before = self.at;
        self.spacing();
        if self.peek() != Some(b'=') {
            self.at = before;
            return Some(None);
        }
        let eq = self.span(self.at, self.at + 1);
        self.at += 1;
        self.spacing();
        if !self.peek().is_some_and(is_atom_start) {
            return None;
        }
        Some(Some(Box::new((eq, self.list()?))))
    }

    /// `{`, fields, comments and `///` lines, `}`.
    fn block(&mut self) -> Option<Block> {
        let start = self.at;
        self.at += 1;
        let mut fields = Fields::new(self.body, self.base);
        loop {
            match self.peek()? {
                b'}' => {
                    self.at += 1;
                    break;
                }
                b' ' | b'\t' | b'\n' | b';' => self.at += 1,
                b'\r' if self.eol() => {}
                b'/' => match self.comment()? {
                    (true, (s, e)) => fields.doc(self.span(s, e)),
                    (false, _) => fields.comment(),
                },
                c if is_ident_start(c) => {
                    fields.field(self.field()?);
                    self.field_end()?;
                }
                _ => return None,
            }
        }
        Some(Block {
            fields: fields.finish(),
            span: self.span(start, self.at),
        })
    }

    /// `NAME [VALUE]`.
    fn field(&mut self) -> Option<Field> {
        let name = self.ident()?;
        let mut end = name.1;
        let after = self.at;
        let value = if self.spacing() && self.peek().is_some_and(is_atom_start) {
            let value = self.list()?;
            end = self.at;
            Some(value)
        } else {
            self.at = after;
            None
        };
        Some(Field {
            docs: Box::default(),
            name: self.span(name.0, name.1),
            value,
            span: self.span(name.0, end),
            unreadable: false,
        })
    }

    /// After a field: spacing, then a line end, `;`, a comment and a line end, or `}`
    /// (left for the block). A comment is read here, and a line end left to the block.
    fn field_end(&mut self) -> Option<()> {
        self.spacing();
        match self.peek()? {
            b'\n' | b';' | b'}' => Some(()),
            b'\r' => (self.peek_at(1) == Some(b'\n')).then_some(()),
            b'/' => {
                let (doc, _) = self.comment()?;
                let line_end = matches!(
                    (self.peek(), self.peek_at(1)),
                    (Some(b'\n'), _) | (Some(b'\r'), Some(b'\n'))
                );
                (!doc && line_end).then_some(())
            }
            _ => None,
        }
    }

    /// Terms on one line separated by `,`, with at most one `->` between the old terms
    /// and the new. Each separator must have a term after it on the same line.
    fn list(&mut self) -> Option<Value> {
        let start = self.at;
        let mut old = Terms::new();
        let mut new: Option<(Span, Terms)> = None;
        loop {
            let term = self.atoms()?;
            new.as_mut().map_or(&mut old, |(_, terms)| terms).push(term);
            let before = self.at;
            self.spacing();
            match (self.peek(), self.peek_at(1)) {
                (Some(b','), _) => self.at += 1,
                (Some(b'-'), Some(b'>')) => {
                    if new.is_some() {
                        return None;
                    }
                    new = Some((self.span(self.at, self.at + 2), Terms::new()));
                    self.at += 2;
                }
                _ => {
                    self.at = before;
                    break;
                }
            }
            self.spacing();
            if !self.peek().is_some_and(is_atom_start) {
                return None;
            }
        }
        Some(Value {
            old,
            new: new.map(Box::new),
            span: self.span(start, self.at),
        })
    }

    /// Atoms side by side: one term.
    fn atoms(&mut self) -> Option<Term> {
        let start = self.at;
        let mut atoms = smallvec::smallvec![self.atom()?];
        loop {
            let before = self.at;
            if self.spacing() && self.peek().is_some_and(is_atom_start) {
                atoms.push(self.atom()?);
            } else {
                self.at = before;
                break;
            }
        }
        Some(Term {
            key: None,
            atoms,
            span: self.span(start, self.at),
        })
    }

    /// A name, number, string or amount of money (ranges of them included).
    fn atom(&mut self) -> Option<Atom> {
        let start = self.at;
        let c = self.peek()?;
        if c == b'"' {
            self.string()?;
            return Some(Atom {
                kind: AtomKind::Str,
                span: self.span(start, self.at),
            });
        }
        let mut dots = None;
        let part: fn((&str, Span)) -> Built<AtomKind> = if is_ident_start(c) {
            self.ident()?;
            match (self.peek(), self.peek_at(1), self.peek_at(2)) {
                (Some(b':'), ..) => return None,
                (Some(b'.'), Some(b'.'), Some(c)) if is_ident_start(c) => {
                    dots = Some(self.at - start);
                    self.at += 2;
                    self.ident()?;
                }
                // a name: nothing to classify
                _ => {
                    return Some(Atom {
                        kind: AtomKind::Word,
                        span: self.span(start, self.at),
                    })
                }
            }
            |_: (&str, Span)| Ok(AtomKind::Word)
        } else if c.is_ascii_digit() {
            self.num_body(false);
            if self.b[self.at..].starts_with(b"..")
                && self.peek_at(2).is_some_and(|c| c.is_ascii_digit())
            {
                dots = Some(self.at - start);
                self.at += 2;
                self.num_body(false);
            }
            numeric_part
        } else if self.b[self.at..].starts_with("£".as_bytes()) {
            self.money_body()?;
            if self.b[self.at..].starts_with("..£".as_bytes())
                && self.peek_at(4).is_some_and(|c| c.is_ascii_digit())
            {
                dots = Some(self.at - start);
                self.at += 2;
                self.money_body()?;
            }
            money_part
        } else {
            return None;
        };
        let text = &self.body[start..self.at];
        split_at_dots(self.file, text, self.base + start, dots, part).ok()
    }

    /// `DIGIT (DIGIT | _ | - | . DIGIT)* %?` (`money` without `-` and `%`).
    fn num_body(&mut self, money: bool) {
        self.at += 1;
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_ascii_digit() || c == b'_' => self.at += 1,
                (Some(b'-'), _) if !money => self.at += 1,
                (Some(b'.'), Some(d)) if d.is_ascii_digit() => self.at += 2,
                _ => break,
            }
        }
        if !money && self.peek() == Some(b'%') {
            self.at += 1;
        }
    }

    /// `£` then a digit, then as a number.
    fn money_body(&mut self) -> Option<()> {
        self.at += 2;
        if !self.peek()?.is_ascii_digit() {
            return None;
        }
        self.num_body(true);
        Some(())
    }

    /// `"…"` on one line, `\` escaping any character; control characters but the tab
    /// are refused (as by the grammar; the escapes are checked when lowering).
    fn string(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => match self.peek_at(1)? {
                    b'\n' | b'\r' => return None,
                    _ => self.at += 2,
                },
                b'\t' => self.at += 1,
                c if c < 0x20 => return None,
                _ => self.at += 1,
            }
        }
    }
}
