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

impl Lifecycle {
    pub const ALL: [Lifecycle; 2] = [Lifecycle::New, Lifecycle::Deleted];

    /// The word written before `post`.
    pub fn word(self) -> &'static str {
        match self {
            Lifecycle::New => "new",
            Lifecycle::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    /// `///` lines directly above the item. (Boxed slices here and in [`Field`]: eight
    /// bytes fewer than a vector's, for every field of a million-post spec.)
    pub docs: Box<[Span]>,
    pub annotations: Box<[Annotation]>,
    pub lifecycle: Option<(Lifecycle, Span)>,
    /// The item keyword as written (`post`, `org`, or a misspelling of one).
    pub kind: Span,
    pub header: Option<Header>,
    pub block: Option<Block>,
    /// The statements of a `rule` item (boxed: few items are rules).
    pub rule: Option<Box<RuleBody>>,
    pub span: Span,
}

impl Item {
    /// The first atom of the header: the id of most items (`post head_ops "…"`), the path
    /// of a `use`.
    pub fn first_atom(&self) -> Option<&Atom> {
        self.header.as_ref()?.value.old.first()?.atoms.first()
    }

    /// The id the item declares: the word its header starts with (`None` when the header
    /// starts with anything else, or there is none).
    pub fn declared_id(&self) -> Option<Span> {
        let header = self.header.as_ref()?;
        let first = self.first_atom()?;
        (matches!(first.kind, AtomKind::Word) && first.span.start == header.span.start)
            .then_some(first.span)
    }
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
    pub docs: Box<[Span]>,
    pub name: Span,
    pub value: Option<Value>,
    pub span: Span,
    /// Written, but its value could not be read (a `syntax_error` says why): the field is
    /// there with no value, and lowering takes it as invalid, neither missing nor empty.
    pub unreadable: bool,
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
    /// `lo..hi` (boxed, as lists are: most atoms are neither, and are 32 bytes rather
    /// than 40 for it).
    Range(Box<[Atom; 2]>),
    List(Box<Terms>),
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
    /// Items that could not be read at all, as their keyword and id (when those could be
    /// read): the id is still declared, so that uses of it are not reported unknown.
    pub lost: Vec<(Span, Span)>,
    /// For each item, the byte range of the text it was read from (its `///` lines and
    /// body), when it was read without error and can be reused by the next parse of an
    /// edited text ([`crate::syntax::reuse`]); `None` for items to parse again.
    pub sources: Vec<Option<(u32, u32)>>,
    /// Posts whose text is read when they are lowered, not when the file is loaded
    /// ([`crate::syntax::defer`]), in the order of their text; not among [`Self::items`],
    /// whose order they share (items do not overlap). Empty unless asked for.
    pub deferred: Vec<Deferred>,
}

/// A post left to be parsed when it is lowered ([`crate::syntax::defer`]): where its text
/// is, which starts with its head (`post ID`, `new post ID`, `deleted post ID`). 12 bytes,
/// where the item it stood for took 248 (100k posts: a fifth of a check's memory): its
/// head is read again from the text when asked for ([`Deferred::head`]), a few bytes'
/// scan, rather than kept (32 bytes with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    pub(crate) file: crate::source::FileId,
    /// Where its text starts: its lifecycle or keyword.
    pub(crate) start: u32,
    /// Where its text ends: the end of its last code line (as a chunk's body).
    pub(crate) end: u32,
}

impl Deferred {
    /// Its text, from its head to the end of its last code line.
    pub fn span(&self) -> Span {
        Span::new(self.file, self.start as usize, self.end as usize)
    }
}

// ---------------------------------------------------------------------------------------
// Rules (docs/rule-language.md)
// ---------------------------------------------------------------------------------------

/// The body of a `rule` item: its statements in order.
#[derive(Debug, Clone)]
pub struct RuleBody {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Statement {
    pub kind: StatementKind,
    /// The statement keyword (`require`).
    pub keyword: Span,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum StatementKind {
    /// `severity warning`; `None` when the level is missing.
    Severity(Option<Span>),
    Param {
        name: Span,
        value: Expr,
    },
    For {
        generators: Vec<Generator>,
        filter: Option<Expr>,
    },
    Let {
        name: Span,
        value: Expr,
    },
    Require(Expr),
    Message(Template),
    Help(Template),
    At(Expr, Option<Template>),
    Also {
        binding: Option<Span>,
        target: Expr,
        /// `where COND`: label only the elements that meet it (needs a binding).
        filter: Option<Expr>,
        label: Template,
    },
    /// `completeness`: the check asks whether the restructure is complete.
    Completeness,
    /// A word that begins no statement (reported when the rule is compiled).
    Unknown,
}

/// `p in posts`.
#[derive(Debug, Clone)]
pub struct Generator {
    pub var: Span,
    pub over: Expr,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`: an answer true, false or unknown.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
                | BinaryOp::In
                | BinaryOp::NotIn
        )
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Number(crate::value::Decimal),
    Percent(crate::value::Decimal),
    Money(crate::value::Decimal),
    Date(crate::value::Date),
    Str(Box<str>),
    Bool(bool),
    None,
    /// A name: a local, a parameter, a collection, an item id or an enumerated value.
    Name,
    List(Vec<Expr>),
    Field {
        base: Box<Expr>,
        name: Span,
    },
    Call {
        name: Span,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        op_span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `all y in XS where COND: BODY`, `any …`.
    Quantifier {
        all: bool,
        var: Span,
        over: Box<Expr>,
        filter: Option<Box<Expr>>,
        body: Box<Expr>,
    },
    /// `y in XS where COND: MAP`, an argument of an aggregate.
    Comprehension {
        var: Span,
        over: Box<Expr>,
        filter: Option<Box<Expr>>,
        map: Option<Box<Expr>>,
    },
}

/// A string of a `message`, `help` or `also`, with its `{EXPR}` parts.
#[derive(Debug, Clone)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum TemplatePart {
    Text(String),
    Expr(Expr),
}
