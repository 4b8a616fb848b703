//! pest pairs → [`ast`](super::ast), and pest errors → diagnostics in words.

use pest::iterators::Pair;
use pest::Parser as _;
use rayon::prelude::*;

use super::ast::{
    Annotation, Atom, AtomKind, Block, Field, Header, Item, Lifecycle, ParsedFile, Term, Value,
};
use super::split::{split, Chunk, MAX_DEPTH};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "grammar/orgspec.pest"]
struct OrgParser;

/// Files are addressed with `u32` offsets; larger files are refused with a diagnostic.
pub const MAX_FILE_BYTES: usize = 1 << 30;

/// Below this many items a file is parsed on one thread: spreading is not worth it.
const PARALLEL_THRESHOLD: usize = 512;

/// Parse one file. Never fails: unreadable items become `syntax_error` diagnostics and the
/// other items are still returned.
pub fn parse_file(file: FileId, text: &str) -> (ParsedFile, Vec<Diagnostic>) {
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

    let parse_one = |chunk: &Chunk| -> Result<Item, Box<Diagnostic>> {
        if let Some(at) = chunk.too_deep {
            return Err(Box::new(
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
        match OrgParser::parse(Rule::chunk, body) {
            Ok(mut pairs) => {
                let item = pairs.next().expect("a chunk holds one item");
                Ok(build_item(item, file, chunk))
            }
            // described below, with pest's error detail switched on
            Err(_) => Err(Box::new(Diagnostic::error(
                "syntax_error",
                Span::default(),
                String::new(),
            ))),
        }
    };

    let results: Vec<Result<Item, Box<Diagnostic>>> = if chunks.len() >= PARALLEL_THRESHOLD {
        chunks.par_iter().map(parse_one).collect()
    } else {
        chunks.iter().map(parse_one).collect()
    };

    let mut items = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(item) => items.push(item),
            Err(d) if d.message.is_empty() => failed.push(i),
            Err(d) => diagnostics.push(*d),
        }
    }
    if !failed.is_empty() {
        // Failures are rare: parse them again with pest's error detail, which knows the
        // literal tokens it expected but slows every parse while switched on.
        pest::set_error_detail(true);
        for i in failed {
            let chunk = &chunks[i];
            let body = &text[chunk.body.clone()];
            if let Err(e) = OrgParser::parse(Rule::chunk, body) {
                diagnostics.push(describe_error(file, text, chunk, &e));
            }
        }
        pest::set_error_detail(false);
    }
    (ParsedFile { items }, diagnostics)
}

// ---------------------------------------------------------------------------------------
// Errors in words
// ---------------------------------------------------------------------------------------

fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kind => "an item keyword such as `post` or `org`",
        Rule::field_name | Rule::field => "a field name",
        Rule::word | Rule::header => "a name",
        Rule::value
        | Rule::term
        | Rule::bracket
        | Rule::date
        | Rule::money
        | Rule::percent
        | Rule::number
        | Rule::string
        | Rule::key => "a value",
        Rule::annotation => "an annotation such as `@allow(…)`",
        Rule::block => "`{`",
        Rule::arrow => "`->`",
        Rule::dots => "`..`",
        Rule::eq => "`=`",
        _ => return None,
    })
}

fn token_words(token: &str) -> Option<&'static str> {
    Some(match token {
        "}" => "`}`",
        "{" => "`{`",
        "]" => "`]`",
        ")" => "`)`",
        "(" => "`(`",
        "," => "`,`",
        ";" => "`;`",
        "\n" | "\r\n" => "a new line",
        "\"" | "£" | "[" => "a value",
        "->" => "`->`",
        "=" => "`=`",
        ":" => "`:`",
        "@" => "an annotation such as `@allow(…)`",
        _ => return None,
    })
}

/// Join "a, b or c".
fn one_of(words: &[&str]) -> String {
    match words {
        [] => String::from("something else"),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// What stands at `pos`, for "found …".
fn found_at(body: &str, pos: usize) -> String {
    let rest = &body[pos..];
    let Some(c) = rest.chars().next() else {
        return "the end of the item".into();
    };
    if c == '\n' || c == '\r' {
        return "the end of the line".into();
    }
    if c.is_ascii_alphanumeric() || c == '_' || c == '£' {
        let end = rest
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '%'))
            .map_or(rest.len(), |(i, _)| i);
        return format!("`{}`", &rest[..end.min(40)]);
    }
    format!("`{c}`")
}

fn describe_error(
    file: FileId,
    text: &str,
    chunk: &Chunk,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let base = chunk.body.start;
    let body = &text[chunk.body.clone()];

    if let Some(open) = chunk.open_string {
        return Diagnostic::error("syntax_error", Span::new(file, open, open + 1), "this string is not closed")
            .with_label("the string starts here and runs to the end of the line")
            .with_help("close it with `\"` on the same line: a string cannot span lines (write `\\n` for a line break)");
    }

    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };

    if let Some(open) = chunk.open_bracket {
        if body[pos..].trim().is_empty() || pos >= body.len() {
            let b = &text[open..=open];
            let close = match b {
                "{" => "}",
                "[" => "]",
                _ => ")",
            };
            return Diagnostic::error(
                "syntax_error",
                Span::new(file, open, open + 1),
                format!("this `{b}` is never closed"),
            )
            .with_label(format!("opened here, no matching `{close}`"))
            .with_help(format!("add `{close}` where the item ends"));
        }
    }

    let rest = &body[pos..];
    let digits = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'_' || *b == b'.')
        .count();
    if digits > 0 && rest[digits..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        return Diagnostic::error(
            "syntax_error",
            Span::new(file, base + pos, base + pos + end),
            format!("`{}` is neither a number nor a name", &rest[..end]),
        )
        .with_label("a number must end at a word boundary")
        .with_help(
            "separate the number from the word with a space, or start a name with a letter",
        );
    }

    let mut words: Vec<&'static str> = Vec::new();
    if let Some(attempts) = error.parse_attempts() {
        for t in attempts.expected_tokens() {
            if let Some(w) = token_words(&t.to_string()) {
                words.push(w);
            }
        }
    }
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for r in positives {
            if let Some(w) = rule_words(*r) {
                words.push(w);
            }
        }
    }
    // In the middle of a block, what is missing is the end of the field: say just that,
    // not every token that could also have continued the value.
    let in_block = body[..pos].matches('{').count() > body[..pos].matches('}').count();
    if in_block && words.contains(&"`}`") {
        words = vec!["a new line", "`;`", "`}`"];
    }
    words.sort_by_key(|w| (!w.starts_with('a'), *w));
    words.dedup();
    let found = found_at(body, pos);
    let end = if pos < body.len() {
        base + pos + body[pos..].chars().next().map_or(1, char::len_utf8)
    } else {
        base + pos
    };
    Diagnostic::error(
        "syntax_error",
        Span::new(file, base + pos, end),
        format!("expected {}, found {found}", one_of(&words)),
    )
    .with_label(format!("expected {} here", one_of(&words)))
    .with_help(syntax_help(&words))
}

fn syntax_help(words: &[&str]) -> String {
    if words.contains(&"a new line") {
        "each field stands on its own line (or after `;`) as `NAME VALUE`; lists are written `a, b, c`".into()
    } else if words.contains(&"an item keyword such as `post` or `org`") {
        "an item starts with its keyword: `post`, `new post`, `deleted post`, `org`, `slot`, `pool`, …".into()
    } else {
        "see docs/language.md for the shape of each item".into()
    }
}

// ---------------------------------------------------------------------------------------
// Pairs → AST
// ---------------------------------------------------------------------------------------

struct Ctx {
    file: FileId,
    base: usize,
}

impl Ctx {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }
}

fn build_item(pair: Pair<Rule>, file: FileId, chunk: &Chunk) -> Item {
    let cx = Ctx {
        file,
        base: chunk.body.start,
    };
    let span = cx.span(&pair);
    let mut item = Item {
        docs: chunk
            .docs
            .iter()
            .map(|r| Span::new(file, r.start, r.end))
            .collect(),
        annotations: Vec::new(),
        lifecycle: None,
        kind: span,
        header: None,
        block: None,
        span,
    };
    let mut end = span.start;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::annotation => item.annotations.push(build_annotation(p, &cx)),
            Rule::lifecycle => {
                let l = if p.as_str() == "new" {
                    Lifecycle::New
                } else {
                    Lifecycle::Deleted
                };
                item.lifecycle = Some((l, cx.span(&p)));
            }
            Rule::kind => {
                item.kind = cx.span(&p);
                end = item.kind.end;
            }
            Rule::header => {
                let h = build_header(p, &cx);
                end = h.span.end;
                item.header = Some(h);
            }
            Rule::block => {
                let b = build_block(p, &cx);
                end = b.span.end;
                item.block = Some(b);
            }
            _ => {}
        }
    }
    // The item's span stops at its last token: trailing comments and blank lines are not it.
    item.span.end = end;
    item
}

fn build_annotation(pair: Pair<Rule>, cx: &Ctx) -> Annotation {
    let span = cx.span(&pair);
    let mut inner = pair.into_inner();
    let name = cx.span(&inner.next().expect("annotation name"));
    let args = inner
        .filter(|p| matches!(p.as_rule(), Rule::word | Rule::string))
        .map(|p| Atom {
            kind: if p.as_rule() == Rule::word {
                AtomKind::Word
            } else {
                AtomKind::Str
            },
            span: cx.span(&p),
        })
        .collect();
    Annotation { name, args, span }
}

fn build_header(pair: Pair<Rule>, cx: &Ctx) -> Header {
    let span = cx.span(&pair);
    let mut inner = pair.into_inner();
    let value = build_value(inner.next().expect("header value"), cx);
    let eq = inner.next().map(|eq| {
        let eq_span = cx.span(&eq);
        (
            eq_span,
            build_value(inner.next().expect("value after ="), cx),
        )
    });
    Header { value, eq, span }
}

fn build_block(pair: Pair<Rule>, cx: &Ctx) -> Block {
    let span = cx.span(&pair);
    let fields = pair
        .into_inner()
        .filter(|p| p.as_rule() == Rule::field)
        .map(|p| build_field(p, cx))
        .collect();
    Block { fields, span }
}

fn build_field(pair: Pair<Rule>, cx: &Ctx) -> Field {
    let span = cx.span(&pair);
    let mut docs = Vec::new();
    let mut name = span;
    let mut value = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::doc_comment => docs.push(cx.span(&p)),
            Rule::field_name => name = cx.span(&p),
            Rule::value => value = Some(build_value(p, cx)),
            _ => {}
        }
    }
    let span = Span {
        start: name.start,
        ..span
    };
    Field {
        docs,
        name,
        value,
        span,
    }
}

fn build_value(pair: Pair<Rule>, cx: &Ctx) -> Value {
    let span = cx.span(&pair);
    let mut old = Vec::new();
    let mut new: Option<(Span, Vec<Term>)> = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::term => {
                let t = build_term(p, cx);
                match new.as_mut() {
                    Some((_, terms)) => terms.push(t),
                    None => old.push(t),
                }
            }
            Rule::arrow => new = Some((cx.span(&p), Vec::new())),
            _ => {}
        }
    }
    Value { old, new, span }
}

fn build_term(pair: Pair<Rule>, cx: &Ctx) -> Term {
    let span = cx.span(&pair);
    let mut key = None;
    let mut atoms: Vec<Atom> = Vec::with_capacity(2);
    let mut pending_range = false;
    for p in pair.into_inner() {
        let atom = match p.as_rule() {
            Rule::key => {
                let k = p.into_inner().next().expect("key word");
                key = Some(cx.span(&k));
                continue;
            }
            Rule::dots => {
                pending_range = true;
                continue;
            }
            Rule::bracket => Atom {
                span: cx.span(&p),
                kind: AtomKind::List(
                    p.into_inner()
                        .filter(|t| t.as_rule() == Rule::term)
                        .map(|t| build_term(t, cx))
                        .collect(),
                ),
            },
            Rule::word => Atom {
                kind: AtomKind::Word,
                span: cx.span(&p),
            },
            Rule::string => Atom {
                kind: AtomKind::Str,
                span: cx.span(&p),
            },
            Rule::number => Atom {
                kind: AtomKind::Number,
                span: cx.span(&p),
            },
            Rule::percent => Atom {
                kind: AtomKind::Percent,
                span: cx.span(&p),
            },
            Rule::money => Atom {
                kind: AtomKind::Money,
                span: cx.span(&p),
            },
            Rule::date => Atom {
                kind: AtomKind::Date,
                span: cx.span(&p),
            },
            _ => continue,
        };
        if pending_range {
            pending_range = false;
            let lo = atoms.pop().expect("a range has a lower bound");
            let span = lo.span.to(atom.span);
            atoms.push(Atom {
                kind: AtomKind::Range(Box::new(lo), Box::new(atom)),
                span,
            });
        } else {
            atoms.push(atom);
        }
    }
    Term { key, atoms, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (ParsedFile, Vec<Diagnostic>) {
        parse_file(FileId(0), text)
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
    fn glued_numbers_are_named() {
        let (_, d) = parse("post a \"A\" { count 1_000x }\n");
        assert_eq!(d[0].message, "`1_000x` is neither a number nor a name");
    }
}
