//! What a value token is: a name, number, percentage, date, amount of money or range of
//! them. The grammar (`grammar/orgspec.pest`) finds where a token ends; these say which
//! kind it is, with a message naming the shape expected when it is none (`2007-6-1`).
//! Shared by the tree builder of pest's pairs (`parser.rs`, `rules.rs`) and the reader of
//! plain items (`plain.rs`), so that both classify every token alike.

use super::ast::{Atom, AtomKind};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// A piece of the tree, or the `syntax_error` that stops its item.
pub(super) type Built<T> = Result<T, Box<Diagnostic>>;

pub(super) fn syntax(span: Span, message: String, label: &str, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error("syntax_error", span, message)
            .with_label(label)
            .with_help(help),
    )
}

/// A token that may be a range `a..b`: each side classified by `part`. `start` is the
/// token's offset in the file.
pub(super) fn ranged(
    file: FileId,
    text: &str,
    start: usize,
    part: impl Fn((&str, Span)) -> Built<AtomKind>,
) -> Built<Atom> {
    // a byte scan: `split_once("..")` builds a substring searcher for every token
    // (a percent of the parse, measured), and tokens are a few bytes long
    let dots = text.as_bytes().windows(2).position(|w| w == b"..");
    split_at_dots(file, text, start, dots, part)
}

/// [`ranged`], told where the token's `..` is (its offset in the token), if it has one.
pub(super) fn split_at_dots(
    file: FileId,
    text: &str,
    start: usize,
    dots: Option<usize>,
    part: impl Fn((&str, Span)) -> Built<AtomKind>,
) -> Built<Atom> {
    let one = |s: &str, at: usize| -> Built<Atom> {
        let span = Span::new(file, at, at + s.len());
        Ok(Atom {
            kind: part((s, span))?,
            span,
        })
    };
    match dots.map(|i| (&text[..i], &text[i + 2..])) {
        None => one(text, start),
        Some((lo, hi)) => {
            let lo = one(lo, start)?;
            let hi = one(hi, start + text.len() - hi.len())?;
            let span = lo.span.to(hi.span);
            Ok(Atom {
                kind: AtomKind::Range(Box::new([lo, hi])),
                span,
            })
        }
    }
}

/// `4`, `1_000`, `0.5`, `50%`, `2008-04-01`, `2007-06`.
pub(super) fn numeric_part((s, span): (&str, Span)) -> Built<AtomKind> {
    if let Some(n) = s.strip_suffix('%') {
        if is_number(n) {
            return Ok(AtomKind::Percent);
        }
        return Err(syntax(
            span,
            format!("`{s}` is not a percentage"),
            "expected digits then `%`",
            "write a percentage as `50%` or `33.34%`",
        ));
    }
    if s.contains('-') {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let shaped = match s.len() {
            7 => digits(0..4) && b[4] == b'-' && digits(5..7),
            10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
            _ => false,
        };
        if shaped {
            return Ok(AtomKind::Date);
        }
        return Err(syntax(
            span,
            format!("`{s}` is not a date"),
            "expected `YYYY-MM-DD`",
            "write dates as `2008-04-01`, or `2007-06` for a whole month, with leading zeros",
        ));
    }
    if is_number(s) {
        return Ok(AtomKind::Number);
    }
    Err(syntax(
        span,
        format!("`{s}` is not a number"),
        "`_` may only stand between two digits",
        "write numbers as `4`, `1_000` or `0.5`",
    ))
}

/// `£30_000`, `£41_850.50` (the two decimal places are checked when lowering).
pub(super) fn money_part((s, span): (&str, Span)) -> Built<AtomKind> {
    match s.strip_prefix('£') {
        Some(n) if is_number(n) => Ok(AtomKind::Money),
        _ => Err(syntax(
            span,
            format!("`{s}` is not an amount of money"),
            "expected `£` then digits",
            "write money as `£30_000` or `£41_850.50`",
        )),
    }
}

/// Digits with single `_` between digits, optionally `.` and more such digits.
fn is_number(s: &str) -> bool {
    let group = |g: &str| {
        !g.is_empty()
            && g.split('_')
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    match s.split_once('.') {
        Some((whole, frac)) => group(whole) && group(frac),
        None => group(s),
    }
}
