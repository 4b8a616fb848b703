//! pest pairs → [`ast`](super::ast), and pest errors → diagnostics in words.

use pest::iterators::Pair;
use pest::Parser as _;
use rayon::prelude::*;

use super::ast::{
    Annotation, Atom, AtomKind, Block, Field, Header, Item, Lifecycle, ParsedFile, Term, Terms,
    Value,
};
use super::block::Fields;
use super::grammar::{OrgParser, Rule};
use super::lexeme::{money_part, numeric_part, ranged, syntax, Built};
use super::notations;
use super::reuse::Previous;
use super::split::{is_rule_chunk, split, Chunk, MAX_DEPTH};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Files are addressed with `u32` offsets; larger files are refused with a diagnostic.
pub const MAX_FILE_BYTES: usize = 1 << 30;

/// Held while pest's error detail is switched on (see [`parse_chunks`]).
static ERROR_DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Below this many items a file is parsed on one thread: spreading is not worth it.
pub(crate) const PARALLEL_THRESHOLD: usize = 512;

/// What became of one chunk.
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every outcome is an item: boxing it would add an allocation per item on the hot path"
)]
pub(super) enum Outcome {
    Item(Item),
    /// Parsed, but a token is malformed (`2007-6-1`), or nesting is too deep.
    Invalid(Box<Diagnostic>),
    /// pest could not parse it: described afterwards, with pest's error detail on.
    Unparsed,
}

/// Parse one file. Never fails: unreadable items become `syntax_error` diagnostics and the
/// other items are still returned.
pub fn parse_file(file: FileId, text: &str) -> (ParsedFile, Vec<Diagnostic>) {
    parse_file_reusing(file, text, None)
}

/// [`parse_file`], moving the items whose text is unchanged from `previous`, the parse of
/// an earlier text of the file, instead of parsing them again ([`super::reuse`]).
pub fn parse_file_reusing(
    file: FileId,
    text: &str,
    previous: Option<Previous>,
) -> (ParsedFile, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let chunks = split(text);
    if chunks.is_empty() {
        let span = Span::new(file, 0, 0);
        let what = if text.trim().is_empty() {
            "this file is empty"
        } else {
            "this file has only comments"
        };
        diagnostics.push(
            Diagnostic::error("syntax_error", span, format!("{what}: it declares no items"))
                .with_label("expected an item here")
                .with_help(
                    "an orgspec file declares items such as `org`, `post` or `use`; delete the file if it is not needed",
                ),
        );
        return (ParsedFile::default(), diagnostics);
    }
    let (parsed, found) = parse_chunks(file, text, &chunks, previous);
    diagnostics.extend(found);
    (parsed, diagnostics)
}

/// Only the `use` items of a file: which files it uses, without reading the rest (for
/// finding the specs that use a file, `check --dependents`). Its syntax errors are not
/// reported.
pub fn parse_uses(file: FileId, text: &str) -> ParsedFile {
    let chunks: Vec<Chunk> = split(text)
        .into_iter()
        .filter(|c| {
            text[c.body.clone()]
                .strip_prefix("use")
                .is_some_and(|rest| rest.starts_with([' ', '\t', '"']))
        })
        .collect();
    parse_chunks(file, text, &chunks, None).0
}

/// The items of `chunks`, parsed on every core when there are many (or moved from
/// `previous` when their text is unchanged), and the syntax errors found in them.
pub(super) fn parse_chunks(
    file: FileId,
    text: &str,
    chunks: &[Chunk],
    previous: Option<Previous>,
) -> (ParsedFile, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let parse_one = |(chunk, reused): (&Chunk, Option<Item>)| -> Outcome {
        match reused {
            Some(item) => Outcome::Item(item),
            None => parse_chunk(file, text, chunk),
        }
    };

    let parallel = chunks.len() >= PARALLEL_THRESHOLD;
    let results: Vec<Outcome> = match previous {
        Some(previous) => {
            let reused = super::reuse::matching(previous, file, text, chunks);
            if parallel {
                chunks.par_iter().zip(reused).map(parse_one).collect()
            } else {
                chunks.iter().zip(reused).map(parse_one).collect()
            }
        }
        None if parallel => chunks.par_iter().map(|c| parse_one((c, None))).collect(),
        None => chunks.iter().map(|c| parse_one((c, None))).collect(),
    };

    let failed = results.iter().any(|r| matches!(r, Outcome::Unparsed));
    // Failures are rare: parse them again with pest's error detail, which knows the
    // literal tokens it expected but slows every parse while switched on. The switch is
    // one for the whole process: it is turned on and off holding a lock, so that a parse
    // on another thread cannot switch it off in the middle of this one's (a message then
    // lost its expected tokens; found by a property test running parses side by side).
    let detail = failed.then(|| {
        let guard = ERROR_DETAIL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pest::set_error_detail(true);
        guard
    });
    let mut sources = Vec::with_capacity(results.len());
    let mut lost = Vec::new();
    // collected in place: the items take the outcomes' memory rather than a second copy
    // of them (an outcome is an item's size)
    let items: Vec<Item> = results
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Outcome::Item(item) => {
                let range = super::reuse::key_range(&chunks[i]);
                sources.push(
                    item.rule
                        .is_none()
                        .then_some((range.start as u32, range.end as u32)),
                );
                Some(item)
            }
            Outcome::Invalid(d) => {
                diagnostics.push(*d);
                lost.extend(super::recover::keyword_and_id(file, text, &chunks[i]));
                None
            }
            Outcome::Unparsed => {
                let chunk = &chunks[i];
                let read = |body: &str| {
                    OrgParser::parse(entry(body), body).map(|mut pairs| {
                        let builder = Builder {
                            file,
                            base: chunk.body.start,
                            body,
                        };
                        builder.item(pairs.next().expect("a chunk holds one item"), chunk)
                    })
                };
                let (item, found) = super::recover::recover(file, text, chunk, read);
                diagnostics.extend(found);
                if item.is_some() {
                    sources.push(None);
                } else {
                    lost.extend(super::recover::keyword_and_id(file, text, chunk));
                }
                item
            }
        })
        .collect();
    if let Some(guard) = detail {
        pest::set_error_detail(false);
        drop(guard);
    }
    (
        ParsedFile {
            items,
            lost,
            sources,
            deferred: Vec::new(),
        },
        diagnostics,
    )
}

/// One chunk of `text`, parsed.
pub(super) fn parse_chunk(file: FileId, text: &str, chunk: &Chunk) -> Outcome {
    if chunk.detached_brace.is_some() {
        return Outcome::Unparsed;
    }
    if let Some(at) = chunk.too_deep {
        return Outcome::Invalid(Box::new(
            Diagnostic::error(
                "syntax_error",
                Span::new(file, at, at + 1),
                format!("brackets are nested more than {MAX_DEPTH} deep"),
            )
            .with_label("too deep from here")
            .with_help(
                "a real spec never nests lists this deep: check for a run of stray brackets",
            ),
        ));
    }
    let body = &text[chunk.body.clone()];
    let grammar_rule = entry(body);
    if grammar_rule == Rule::chunk {
        if let Some(item) = super::plain::read(file, text, chunk) {
            return Outcome::Item(item);
        }
    }
    if grammar_rule == Rule::rule_chunk {
        if let Some(e) = super::limits::scan_rule_text(body, "one rule") {
            let at = chunk.body.start + e.at;
            return Outcome::Invalid(syntax(
                Span::new(file, at, at + 1),
                e.message,
                e.label,
                e.help,
            ));
        }
    }
    parse_with_pest(file, text, chunk, grammar_rule)
}

/// One chunk of `text`, parsed by pest from `grammar_rule`, and its pairs built into a tree.
fn parse_with_pest(file: FileId, text: &str, chunk: &Chunk, grammar_rule: Rule) -> Outcome {
    let body = &text[chunk.body.clone()];
    match OrgParser::parse(grammar_rule, body) {
        Ok(mut pairs) => {
            let item = pairs.next().expect("a chunk holds one item");
            let builder = Builder {
                file,
                base: chunk.body.start,
                body,
            };
            match builder.item(item, chunk) {
                Ok(item) => Outcome::Item(item),
                Err(d) => Outcome::Invalid(Box::new(notations::restate(&d, text, 0).unwrap_or(*d))),
            }
        }
        Err(_) => Outcome::Unparsed,
    }
}

/// Each item of `text` that the reader of plain items reads (`plain.rs`), compared with
/// pest's parse of it: how many it read, or the first whose tree differs from pest's
/// (both trees, or pest's error). For the tests and the fuzz target `check`.
#[doc(hidden)]
pub fn plain_reads_as_pest(file: FileId, text: &str) -> Result<usize, String> {
    let mut read = 0;
    for chunk in split(text) {
        let body = &text[chunk.body.clone()];
        if chunk.detached_brace.is_some() || chunk.too_deep.is_some() || is_rule_chunk(body) {
            continue;
        }
        let Some(plain) = super::plain::read(file, text, &chunk) else {
            continue;
        };
        let plain = format!("{plain:#?}");
        let pest = match parse_with_pest(file, text, &chunk, Rule::chunk) {
            Outcome::Item(pest) => format!("{pest:#?}"),
            Outcome::Invalid(d) => format!("refused: {d:?}"),
            Outcome::Unparsed => "not parsed".to_string(),
        };
        if plain != pest {
            return Err(format!(
                "`{body}`\nread plainly as {plain}\nby pest as {pest}"
            ));
        }
        read += 1;
    }
    Ok(read)
}

/// The grammar rule a chunk is parsed from: rules have their own statements.
fn entry(body: &str) -> Rule {
    if is_rule_chunk(body) {
        Rule::rule_chunk
    } else {
        Rule::chunk
    }
}

// ---------------------------------------------------------------------------------------
// Pairs → AST
// ---------------------------------------------------------------------------------------

/// Builds the tree of one chunk; a malformed lexeme (`2007-6-1`) fails the item with a
/// message that says what shape was expected.
pub(super) struct Builder<'t> {
    pub(super) file: FileId,
    pub(super) base: usize,
    /// The chunk's text.
    pub(super) body: &'t str,
}

impl Builder<'_> {
    pub(super) fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    fn item(&self, pair: Pair<Rule>, chunk: &Chunk) -> Built<Item> {
        let span = self.span(&pair);
        let mut item = Item {
            docs: chunk
                .docs
                .iter()
                .map(|r| Span::new(self.file, r.start, r.end))
                .collect(),
            annotations: Box::default(),
            lifecycle: None,
            kind: span,
            header: None,
            block: None,
            rule: None,
            span,
        };
        let mut end = span.start;
        let mut annotations = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::annotation => annotations.push(self.annotation(p)?),
                Rule::lifecycle => {
                    let l = if p.as_str() == "new" {
                        Lifecycle::New
                    } else {
                        Lifecycle::Deleted
                    };
                    item.lifecycle = Some((l, self.span(&p)));
                }
                Rule::kind => {
                    item.kind = self.span(&p);
                    end = item.kind.end;
                }
                Rule::header => {
                    let h = self.header(p)?;
                    end = h.span.end;
                    item.header = Some(h);
                }
                Rule::block => {
                    let b = self.block(p)?;
                    end = b.span.end;
                    item.block = Some(b);
                }
                Rule::rule_block => {
                    let b = self.rule_body(p)?;
                    end = b.span.end;
                    item.rule = Some(Box::new(b));
                }
                _ => {}
            }
        }
        // The item's span stops at its last token: trailing comments and blank lines are not it.
        item.span.end = end;
        item.annotations = annotations.into_boxed_slice();
        Ok(item)
    }

    pub(super) fn annotation(&self, pair: Pair<Rule>) -> Built<Annotation> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.span(&inner.next().expect("annotation name"));
        let mut args = Vec::new();
        for p in inner.filter(|p| !matches!(p.as_rule(), Rule::comment | Rule::doc_comment)) {
            args.push(self.atom(p)?);
        }
        Ok(Annotation { name, args, span })
    }

    pub(super) fn header(&self, pair: Pair<Rule>) -> Built<Header> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().peekable();
        let value = self.value(std::iter::from_fn(|| {
            inner.next_if(|p| p.as_rule() != Rule::eq)
        }))?;
        let eq = match inner.next() {
            Some(eq) => Some(Box::new((self.span(&eq), self.value(inner)?))),
            None => None,
        };
        Ok(Header { value, eq, span })
    }

    fn block(&self, pair: Pair<Rule>) -> Built<Block> {
        let span = self.span(&pair);
        let mut fields = Fields::new(self.body, self.base);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc_comment => fields.doc(self.span(&p)),
                Rule::field => fields.field(self.field(p)?),
                _ => fields.comment(),
            }
        }
        Ok(Block {
            fields: fields.finish(),
            span,
        })
    }

    fn field(&self, pair: Pair<Rule>) -> Built<Field> {
        let span = self.span(&pair);
        let mut tokens = pair.into_inner().peekable();
        let name_pair = tokens.next().expect("a field starts with its name");
        let name = self.span(&name_pair);
        let text = name_pair.as_str();
        if let Some(stripped) = text.strip_suffix(':') {
            return Err(syntax(
                Span {
                    start: name.end - 1,
                    ..name
                },
                format!("unexpected `:` after the field name `{stripped}`"),
                "fields are written `NAME VALUE`, without a colon",
                &format!("write `{stripped} …`"),
            ));
        }
        if text.contains("..") {
            return Err(syntax(
                name,
                format!("`{text}` is not a field name"),
                "expected a field name",
                "a field is written `NAME VALUE`",
            ));
        }
        let value = if tokens.peek().is_some() {
            Some(self.value(tokens)?)
        } else {
            None
        };
        Ok(Field {
            docs: Box::default(),
            name,
            value,
            span,
            unreadable: false,
        })
    }

    /// Group a flat run of atoms, `,` and `->` into terms and sides.
    fn value<'i>(&self, tokens: impl Iterator<Item = Pair<'i, Rule>>) -> Built<Value> {
        let mut old = Terms::new();
        let mut new: Option<(Span, Terms)> = None;
        let mut term: Option<Term> = None;
        let mut span: Option<Span> = None;
        for p in tokens {
            // comments may stand where a list wraps: `a, // note` then the next line
            if matches!(p.as_rule(), Rule::comment | Rule::doc_comment) {
                continue;
            }
            let at = self.span(&p);
            span = Some(span.map_or(at, |s| s.to(at)));
            if matches!(p.as_rule(), Rule::sep | Rule::comma) {
                let sep = p.as_str();
                match term.take() {
                    Some(t) => new.as_mut().map_or(&mut old, |(_, terms)| terms).push(t),
                    None => {
                        return Err(syntax(
                            at,
                            format!("unexpected `{sep}`"),
                            "nothing before it",
                            "list items are written `a, b, c`; a change `OLD -> NEW`",
                        ));
                    }
                }
                if sep == "->" {
                    if new.is_some() {
                        return Err(syntax(
                            at,
                            "a value changes once: one `->` per field".into(),
                            "a second `->`",
                            "write `OLD -> NEW`",
                        ));
                    }
                    new = Some((at, Terms::new()));
                }
                continue;
            }
            let is_key = p.as_rule() == Rule::word && p.as_str().ends_with(':');
            match (&mut term, is_key) {
                (None, true) => {
                    term = Some(Term {
                        key: Some(Span {
                            end: at.end - 1,
                            ..at
                        }),
                        atoms: smallvec::SmallVec::new(),
                        span: at,
                    });
                }
                (Some(_), true) => {
                    return Err(syntax(
                        Span {
                            start: at.end - 1,
                            ..at
                        },
                        "unexpected `:`".into(),
                        "a key stands first: `AREA: POST`",
                        "write `contacts north: lead_n, south: lead_s`",
                    ));
                }
                (None, false) => {
                    let atom = self.atom(p)?;
                    let atoms = smallvec::smallvec![atom];
                    term = Some(Term {
                        key: None,
                        atoms,
                        span: at,
                    });
                }
                (Some(t), false) => {
                    t.atoms.push(self.atom(p)?);
                    t.span = t.span.to(at);
                }
            }
        }
        if let Some(t) = term {
            if t.atoms.is_empty() {
                let key = t.key.unwrap_or(t.span);
                return Err(syntax(
                    t.span,
                    format!("`{}:` has no value", self.text(key)),
                    "expected a value after the key",
                    "write `KEY: VALUE`",
                ));
            }
            new.as_mut().map_or(&mut old, |(_, terms)| terms).push(t);
        }
        if let Some((arrow, terms)) = &new {
            if terms.is_empty() {
                return Err(syntax(
                    *arrow,
                    "expected the new value after `->`".into(),
                    "nothing after it",
                    "write `OLD -> NEW`; `none` is the absent value",
                ));
            }
        }
        Ok(Value {
            old,
            new: new.map(Box::new),
            span: span.unwrap_or_default(),
        })
    }

    fn text(&self, span: Span) -> &str {
        &self.body[span.start as usize - self.base..span.end as usize - self.base]
    }

    fn atom(&self, p: Pair<Rule>) -> Built<Atom> {
        let span = self.span(&p);
        let text = p.as_str();
        let start = self.base + p.as_span().start();
        match p.as_rule() {
            Rule::string => Ok(Atom {
                kind: AtomKind::Str,
                span,
            }),
            Rule::bracket => {
                let list = self.value(p.into_inner())?;
                Ok(Atom {
                    kind: AtomKind::List(Box::new(list.old)),
                    span,
                })
            }
            Rule::word | Rule::name => ranged(self.file, text, start, |_| Ok(AtomKind::Word)),
            Rule::money => ranged(self.file, text, start, money_part),
            Rule::numeric => ranged(self.file, text, start, numeric_part),
            _ => unreachable!("not a value token"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (ParsedFile, Vec<Diagnostic>) {
        parse_file(FileId(0), text)
    }

    /// `check --dependents` reads only the `use` items: the others, even broken ones and
    /// items whose keyword begins with `use`, are not read.
    #[test]
    fn parse_uses_reads_only_the_use_items() {
        let text = "use \"bodies.org\"\npost p \"P\" { employer sbc; tier 1 }\npost broken \"B\" {{{\nuser x \"U\"\nuse\t\"more/shared.org\"\n";
        let f = parse_uses(FileId(0), text);
        let paths: Vec<&str> = f
            .items
            .iter()
            .map(|i| &text[i.header.as_ref().unwrap().span.range()])
            .collect();
        assert_eq!(paths, ["\"bodies.org\"", "\"more/shared.org\""]);
        assert!(f.lost.is_empty());
    }

    #[test]
    fn a_post_parses_into_fields() {
        let text = "post head_ops \"Head\" {\n  employer sbc\n  funded sbc 50%, ntpct 50%\n  count 5 -> 4\n}\n";
        let (f, d) = parse(text);
        assert!(d.is_empty(), "{d:?}");
        let item = &f.items[0];
        let block = item.block.as_ref().unwrap();
        assert_eq!(block.fields.len(), 3);
        let funded = block.fields[1].value.as_ref().unwrap();
        assert_eq!(funded.old.len(), 2);
        assert_eq!(funded.old[0].atoms.len(), 2);
        assert!(block.fields[2].value.as_ref().unwrap().new.is_some());
    }

    #[test]
    fn ranges_join_their_bounds() {
        let (f, d) = parse("grade sbc PO15 £38_000..£41_000\n");
        assert!(d.is_empty(), "{d:?}");
        let atoms = &f.items[0].header.as_ref().unwrap().value.old[0].atoms;
        assert_eq!(atoms.len(), 3);
        assert!(matches!(atoms[2].kind, AtomKind::Range(..)));
    }

    #[test]
    fn one_broken_item_hides_nothing_else() {
        let (f, d) = parse("post a \"A\" { tier 1 = 2 }\npost b \"B\" { tier 2 }\n");
        assert_eq!(f.items.len(), 1);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.starts_with("expected"), "{}", d[0].message);
    }

    #[test]
    fn comments_may_stand_where_a_list_wraps() {
        let text = "slot a, // the first\n  /// and a doc line\n  b -> c\npost p \"P\" { holder [x, // one\n y] }\n@allow(tier_gap, // why\n \"r\") post q \"Q\"\n";
        let (f, d) = parse(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.items.len(), 3);
        assert_eq!(f.items[0].header.as_ref().unwrap().value.old.len(), 2);
        assert_eq!(f.items[2].annotations[0].args.len(), 2);
    }

    #[test]
    fn glued_numbers_are_named() {
        let (_, d) = parse("post a \"A\" { count 1_000x }\n");
        assert_eq!(d[0].message, "`1_000x` is neither a number nor a name");
    }
}
