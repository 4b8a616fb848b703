//! The syntax tree: exactly what was written, with spans, no meaning yet.
//!
//! Nodes hold spans, not strings: the text is always `SourceMap::slice(span)`, which keeps
//! a million-post tree small.

use smallvec::SmallVec;

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    New,
    Deleted,
}

#[derive(Debug, Clone)]
pub struct Item {
    /// `///` lines directly above the item.
    pub docs: Vec<Span>,
    pub annotations: Vec<Annotation>,
    pub lifecycle: Option<(Lifecycle, Span)>,
    /// The item keyword as written (`post`, `org`, or a misspelling of one).
    pub kind: Span,
    pub header: Option<Header>,
    pub block: Option<Block>,
    pub span: Span,
}

/// `@allow(rule, "reason")`.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub name: Span,
    pub args: Vec<Atom>,
    pub span: Span,
}

/// What follows the item keyword on its line.
#[derive(Debug, Clone)]
pub struct Header {
    pub value: Value,
    /// `= VALUE`, for `align` (boxed: no other item has one).
    pub eq: Option<Box<(Span, Value)>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub fields: Box<[Field]>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub docs: Vec<Span>,
    pub name: Span,
    pub value: Option<Value>,
    pub span: Span,
}

/// The terms of a value; most values have one.
pub type Terms = SmallVec<[Term; 1]>;

/// Terms separated by commas; with `->`, a transition from `old` to `new`.
#[derive(Debug, Clone)]
pub struct Value {
    pub old: Terms,
    /// The `->` and the terms after it (boxed: most values do not change).
    pub new: Option<Box<(Span, Terms)>>,
    pub span: Span,
}

impl Value {
    /// The `->` and the new terms of a transition.
    pub fn new_side(&self) -> Option<(Span, &[Term])> {
        self.new
            .as_deref()
            .map(|(arrow, terms)| (*arrow, terms.as_slice()))
    }
}

/// Atoms side by side: `sbc 50%`, optionally keyed: `north: lead_n`.
#[derive(Debug, Clone)]
pub struct Term {
    pub key: Option<Span>,
    pub atoms: SmallVec<[Atom; 1]>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum AtomKind {
    Word,
    Str,
    Number,
    Percent,
    Money,
    Date,
    Range(Box<Atom>, Box<Atom>),
    List(Box<[Term]>),
}

#[derive(Debug, Clone)]
pub struct Atom {
    pub kind: AtomKind,
    pub span: Span,
}

impl AtomKind {
    /// How the kind of value reads in a message: "a name", "a date".
    pub fn describe(&self) -> &'static str {
        match self {
            AtomKind::Word => "a name",
            AtomKind::Str => "a string",
            AtomKind::Number => "a number",
            AtomKind::Percent => "a percentage",
            AtomKind::Money => "an amount of money",
            AtomKind::Date => "a date",
            AtomKind::Range(..) => "a range",
            AtomKind::List(_) => "a bracketed list",
        }
    }
}

/// A parsed file: its items, and the syntax errors found on the way.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub items: Vec<Item>,
}
