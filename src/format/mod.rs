//! `orgspec fmt`: one canonical layout for `.org` files.
//!
//! The formatter works on the token stream (`syntax::tokens`), not on the syntax tree,
//! because the tree leaves out what a formatter must keep: comments and line ends. It only
//! ever changes spacing, indentation and line breaks, plus the `;` between fields of a
//! block that it puts on separate lines. The tree is used for two things: to refuse a file
//! that does not parse, and to know which lines continue a field or statement.
//!
//! The layout:
//! - items at column 0; the fields of a block two spaces in; a line that continues a field,
//!   a statement or an item header two more; the contents of a `[…]` or `(…)` opened on an
//!   earlier line two spaces in from that line, its closing bracket level with it;
//! - a block written on one line stays on one line (`{ kind council; tiers 6 }`); a block
//!   over several lines has its `{` ending the header line, one field per line, and its
//!   `}` on a line of its own;
//! - one space between tokens, none inside brackets, before `,` `;` `:` or around `.`,
//!   spaces around `->`, `=` and operators;
//! - at most one blank line in a row, none at the start or end of a file or just inside a
//!   block; comments after code stand two spaces after it, aligned across consecutive
//!   lines of the same indentation; trailing spacing is removed;
//! - the line ends of the file (LF or CRLF) are kept, and it ends with one.
//!
//! **Safety.** Before returning, the output is parsed again and compared with the input:
//! the same tokens in the same order (`;` aside) and the same syntax tree, spans aside.
//! A difference is a bug in the formatter and the file is left alone.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::FileId;
use crate::syntax::ast::ParsedFile;
use crate::syntax::parse_file;
use crate::syntax::tokens::{tokenize, Token, TokenKind};

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse: the formatter never guesses what broken text means.
    Syntax(Vec<Diagnostic>),
    /// The layout would have changed what the file says: a formatter bug, reported rather
    /// than written.
    Unsafe(String),
}

/// Indentation of one level.
const INDENT: usize = 2;
/// Spaces between code and a comment after it.
const COMMENT_GAP: usize = 2;

/// Format the text of one file (without its byte-order mark).
pub fn format(file: FileId, text: &str) -> Result<String, FormatError> {
    let (parsed, diagnostics) = parse_file(file, text);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(FormatError::Syntax(diagnostics));
    }
    let tokens = tokenize(text);
    if let Some(t) = tokens.iter().find(|t| t.kind == TokenKind::Unknown) {
        // only an unreadable rule statement lets the parser through with one
        let span = crate::source::Span::new(file, t.range.start, t.range.end);
        return Err(FormatError::Syntax(vec![Diagnostic::error(
            "syntax_error",
            span,
            format!(
                "`{}` has no place in orgspec outside a string or a comment",
                &text[t.range.clone()]
            ),
        )
        .with_label("not part of the language")
        .with_help(
            "remove it, or put the text in quotes; `orgspec fmt` will not guess where it belongs",
        )]));
    }
    if let Some(mismatch) = unbalanced(file, text, &tokens) {
        return Err(FormatError::Syntax(vec![mismatch]));
    }
    // what `check` reports as a syntax error while reading the items (`post q = "Q"`,
    // `timeline t {`, `use 5`) is refused too: a file `check` cannot read is left as it is
    let mistakes = syntax_errors_of_items(file, text, &parsed);
    if !mistakes.is_empty() {
        return Err(FormatError::Syntax(mistakes));
    }
    let layout = Layout::new(text, &tokens, &parsed);
    let output = layout.render();
    verify(file, text, &tokens, &parsed, &output)?;
    Ok(output)
}

/// The `syntax_error`s found while the items of `text` are read (lowered), placed in
/// `file`. Other findings (an unknown name, a missing field) are `check`'s business: the
/// formatter only needs to know that the file says what it seems to say.
fn syntax_errors_of_items(file: FileId, text: &str, parsed: &ParsedFile) -> Vec<Diagnostic> {
    let mut sources = crate::source::SourceMap::default();
    let id = sources.add(std::path::PathBuf::from("file.org"), text.to_string());
    // the tree already built, when its file id is the one the sources give (always, for
    // the first file); else parsed again under that id
    let reparsed;
    let parsed = if id == file {
        parsed
    } else {
        reparsed = parse_file(id, text).0;
        &reparsed
    };
    // `law` items are the standard library's own (std/law.org), read by the rule engine
    let items: Vec<&crate::syntax::ast::Item> = parsed
        .items
        .iter()
        .filter(|i| sources.slice(i.kind) != "law")
        .collect();
    let uses = items
        .iter()
        .filter(|i| sources.slice(i.kind) == "use")
        .filter_map(|i| crate::resolve::use_path(i).err().map(|d| *d));
    let lowered = crate::resolve::Lowerer::new(&sources).lower(&items);
    uses.collect::<Vec<_>>()
        .into_iter()
        .chain(lowered.diagnostics)
        .filter(|d| d.rule == "syntax_error" && d.span.file == id)
        .map(|mut d| {
            d.span.file = file;
            for l in &mut d.labels {
                l.span.file = file;
            }
            d
        })
        .collect()
}

/// Byte ranges that are one field, statement or item header: a line starting strictly
/// inside one continues it.
fn statement_ranges(parsed: &ParsedFile) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    for item in &parsed.items {
        let start = item.lifecycle.map_or(item.kind.start, |(_, s)| s.start) as usize;
        let end = item.header.as_ref().map_or(item.kind.end, |h| h.span.end) as usize;
        ranges.push((start, end));
        if let Some(block) = &item.block {
            ranges.extend(
                block
                    .fields
                    .iter()
                    .map(|f| (f.name.start as usize, f.span.end as usize)),
            );
        }
        if let Some(rule) = &item.rule {
            ranges.extend(
                rule.statements
                    .iter()
                    .map(|s| (s.span.start as usize, s.span.end as usize)),
            );
        }
    }
    ranges.sort_unstable();
    ranges
}

struct Layout<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Output lines: token indices (an empty line is a blank line).
    lines: Vec<Vec<usize>>,
    /// For each `{` token: whether its block spans several lines.
    multiline: Vec<bool>,
    statements: Vec<(usize, usize)>,
    eol: &'static str,
}

impl<'a> Layout<'a> {
    fn new(text: &'a str, tokens: &'a [Token], parsed: &ParsedFile) -> Layout<'a> {
        let multiline = multiline_blocks(text, tokens);
        // the file's first line end, whatever the line holds (a comment's `\r` is not part
        // of a newline token)
        let eol = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut layout = Layout {
            text,
            tokens,
            lines: Vec::new(),
            multiline,
            statements: statement_ranges(parsed),
            eol,
        };
        layout.break_lines();
        layout
    }

    fn text(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].range.clone()]
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.tokens[i].kind == TokenKind::Punct && self.text(i) == p
    }

    fn is_comment(&self, i: usize) -> bool {
        matches!(
            self.tokens[i].kind,
            TokenKind::Comment | TokenKind::DocComment
        )
    }

    /// Whether only a comment (or nothing) follows token `i` on its line.
    fn ends_line(&self, i: usize) -> bool {
        match self.tokens.get(i + 1) {
            None => true,
            Some(t) if t.kind == TokenKind::Newline => true,
            Some(_) if self.is_comment(i + 1) => self
                .tokens
                .get(i + 2)
                .is_none_or(|t| t.kind == TokenKind::Newline),
            Some(_) => false,
        }
    }

    /// Cut the tokens into output lines: the source lines, with multi-line blocks opened
    /// after `{`, closed before `}` and split at `;`.
    fn break_lines(&mut self) {
        // Innermost open bracket: its token, and whether it is a multi-line block.
        let mut open: Vec<(usize, bool)> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        for i in 0..self.tokens.len() {
            let token = &self.tokens[i];
            if token.kind == TokenKind::Newline {
                self.lines.push(std::mem::take(&mut current));
                continue;
            }
            let after_semicolon = i > 0 && self.is_punct(i - 1, ";");
            if token.kind == TokenKind::DocComment && after_semicolon && !current.is_empty() {
                // after a `;` that the layout drops (`kind council; /// a doc` ⏎ `tiers 3`)
                // a doc comment documents the next field: it gets its own line. After any
                // other code it stays where it is, a comment on that line
                self.lines.push(std::mem::take(&mut current));
            }
            if token.kind != TokenKind::Punct {
                current.push(i);
                continue;
            }
            match self.text(i) {
                "{" => {
                    let multi = self.multiline[i];
                    open.push((i, multi));
                    current.push(i);
                    if multi && !self.ends_line(i) {
                        self.lines.push(std::mem::take(&mut current));
                    }
                }
                "[" | "(" => {
                    open.push((i, false));
                    current.push(i);
                }
                "}" => {
                    let multi = open.pop().is_some_and(|(_, m)| m);
                    if multi && !current.is_empty() {
                        self.lines.push(std::mem::take(&mut current));
                    }
                    current.push(i);
                }
                "]" | ")" => {
                    open.pop();
                    current.push(i);
                }
                ";" if open.last().is_some_and(|&(o, _)| self.is_punct(o, "{")) => {
                    let multi = open.last().is_some_and(|&(_, m)| m);
                    let next_is_end = self
                        .tokens
                        .get(i + 1)
                        .is_none_or(|t| t.kind == TokenKind::Newline)
                        || self.is_punct(i + 1, "}")
                        || self.is_punct(i + 1, ";");
                    let after_open = current
                        .last()
                        .is_none_or(|&p| self.is_punct(p, "{") || self.is_punct(p, ";"));
                    // after a trailing comma (`employer hbc,;`) the `;` is what ends the
                    // field: without it the next line would continue the list
                    let after_comma = current.last().is_some_and(|&p| self.is_punct(p, ","));
                    if after_comma {
                        current.push(i);
                        if multi && !self.ends_line(i) {
                            self.lines.push(std::mem::take(&mut current));
                        }
                    } else if multi {
                        if !self.ends_line(i) && !current.is_empty() {
                            self.lines.push(std::mem::take(&mut current));
                        }
                    } else if !(next_is_end || after_open) {
                        current.push(i);
                    }
                }
                _ => current.push(i),
            }
        }
        if !current.is_empty() {
            self.lines.push(current);
        }
    }

    fn is_continuation(&self, offset: usize) -> bool {
        let at = self.statements.partition_point(|&(s, _)| s < offset);
        at > 0 && offset < self.statements[at - 1].1
    }

    fn render(&self) -> String {
        let rendered = self.indent_and_space();
        let mut out = String::with_capacity(self.text.len() + self.text.len() / 8);
        let mut pending_blank = false;
        let mut wrote_any = false;
        let mut after_open = false;
        let mut run_start = 0;
        while run_start < rendered.len() {
            let line = &rendered[run_start];
            if line.is_blank() {
                pending_blank = wrote_any && !after_open;
                run_start += 1;
                continue;
            }
            // a run of lines with comments after code, aligned together
            let mut run_end = run_start + 1;
            if line.trailing.is_some() && !line.code.is_empty() {
                while run_end < rendered.len()
                    && rendered[run_end].indent == line.indent
                    && rendered[run_end].trailing.is_some()
                    && !rendered[run_end].code.is_empty()
                {
                    run_end += 1;
                }
            }
            let column = rendered[run_start..run_end]
                .iter()
                .map(|l| l.indent + l.code.chars().count())
                .max()
                .unwrap_or(0)
                + COMMENT_GAP;
            for l in &rendered[run_start..run_end] {
                if pending_blank && !l.closes_block {
                    out.push_str(self.eol);
                }
                pending_blank = false;
                let mut width = l.indent;
                out.extend(std::iter::repeat_n(' ', l.indent));
                out.push_str(&l.code);
                width += l.code.chars().count();
                if let Some(comment) = &l.trailing {
                    if !l.code.is_empty() {
                        out.extend(std::iter::repeat_n(' ', column - width));
                    }
                    out.push_str(comment);
                }
                out.push_str(self.eol);
                wrote_any = true;
                after_open = l.opens_block;
            }
            run_start = run_end;
        }
        out
    }

    /// Each output line with its indentation and its tokens spaced.
    fn indent_and_space(&self) -> Vec<Rendered> {
        let mut open: Vec<(usize, usize)> = Vec::new(); // (token, indent of its line)
        let mut out = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            let Some(&first) = line.first() else {
                out.push(Rendered::default());
                continue;
            };
            let first_text = self.text(first);
            let closer = self.tokens[first].kind == TokenKind::Punct
                && matches!(first_text, "}" | "]" | ")");
            let indent = match open.last() {
                Some(&(o, line_indent)) if !self.is_punct(o, "{") => {
                    if closer {
                        line_indent
                    } else {
                        line_indent + INDENT
                    }
                }
                top => {
                    let base = top.map_or(0, |&(_, ind)| ind + INDENT);
                    if closer {
                        top.map_or(0, |&(_, ind)| ind)
                    } else if self.is_continuation(self.tokens[first].range.start) {
                        base + INDENT
                    } else {
                        base
                    }
                }
            };
            let mut code = String::new();
            let mut trailing = None;
            for (n, &i) in line.iter().enumerate() {
                if self.is_comment(i) && n > 0 {
                    trailing = Some(self.text(i).to_string());
                    continue;
                }
                if n > 0 {
                    code.push_str(self.space_between(line[n - 1], i));
                }
                code.push_str(self.text(i));
                if self.tokens[i].kind == TokenKind::Punct {
                    match self.text(i) {
                        "{" | "[" | "(" => open.push((i, indent)),
                        "}" | "]" | ")" => {
                            open.pop();
                        }
                        _ => {}
                    }
                }
            }
            let last = *line.last().unwrap_or(&first);
            let last_code = if self.is_comment(last) && line.len() > 1 {
                line[line.len() - 2]
            } else {
                last
            };
            out.push(Rendered {
                indent,
                code,
                trailing,
                opens_block: self.is_punct(last_code, "{") && self.multiline[last_code],
                closes_block: closer && first_text == "}",
            });
        }
        out
    }

    /// The spacing between two tokens on one line.
    fn space_between(&self, a: usize, b: usize) -> &'static str {
        let (ta, tb) = (&self.tokens[a], &self.tokens[b]);
        let punct = |t: &Token, i: usize, s: &str| t.kind == TokenKind::Punct && self.text(i) == s;
        let pa = |s: &str| punct(ta, a, s);
        let pb = |s: &str| punct(tb, b, s);
        if (pa("{") && pb("}")) || pa("(") || pa("[") || pb(")") || pb("]") || pb(",") || pb(";") {
            ""
        } else if pa(",") && self.is_digit_grouping(a) {
            // `£70,000`: digits grouped as papers write them, a mistake the checker
            // reports with its fix; spaced, it would read as a list and say something else
            ""
        } else if pa(",") || pa(";") {
            " "
        } else if pb(":") && ta.kind == TokenKind::Word && tb.spaced {
            // `posts : true` in a quantifier: glued, `posts:` would read as one word (a
            // key), so the space written stays
            " "
        } else if pa(".") || pb(".") || pa("@") || pb(":") {
            ""
        } else if pb("(") && ta.kind == TokenKind::Word {
            // a call `count(x)` or `@allow(…)` is glued; `not (x)` is not
            if tb.spaced {
                " "
            } else {
                ""
            }
        } else if pa("-") && self.is_prefix_minus(a) {
            ""
        } else {
            " "
        }
    }

    /// Whether the comma at token `a` is glued between digits (`70,000`).
    fn is_digit_grouping(&self, a: usize) -> bool {
        let Some(after) = self.tokens.get(a + 1) else {
            return false;
        };
        a > 0
            && !self.tokens[a].spaced
            && !after.spaced
            && self.text(a - 1).ends_with(|c: char| c.is_ascii_digit())
            && self.text(a + 1).starts_with(|c: char| c.is_ascii_digit())
    }

    /// Whether the `-` at token `a` negates what follows rather than subtracting.
    fn is_prefix_minus(&self, a: usize) -> bool {
        let before = self.tokens[..a].iter().enumerate().rev().find(|(_, t)| {
            !matches!(
                t.kind,
                TokenKind::Newline | TokenKind::Comment | TokenKind::DocComment
            )
        });
        match before {
            None => true,
            Some((i, t)) => match t.kind {
                TokenKind::Punct => !matches!(self.text(i), ")" | "]"),
                TokenKind::Word => matches!(
                    self.text(i),
                    "and"
                        | "or"
                        | "not"
                        | "in"
                        | "where"
                        | "require"
                        | "let"
                        | "at"
                        | "also"
                        | "param"
                ),
                _ => false,
            },
        }
    }
}

#[derive(Default)]
struct Rendered {
    indent: usize,
    code: String,
    trailing: Option<String>,
    opens_block: bool,
    closes_block: bool,
}

impl Rendered {
    fn is_blank(&self) -> bool {
        self.code.is_empty() && self.trailing.is_none()
    }
}

/// A bracket left open or closed by the wrong kind. The parser lets one through only inside
/// a rule statement it could not read (reported when the rule is compiled); the layout
/// follows brackets, so it stops there.
fn unbalanced(file: FileId, text: &str, tokens: &[Token]) -> Option<Diagnostic> {
    let mut open: Vec<&Token> = Vec::new();
    let span = |t: &Token| crate::source::Span::new(file, t.range.start, t.range.end);
    for t in tokens.iter().filter(|t| t.kind == TokenKind::Punct) {
        let closes = match &text[t.range.clone()] {
            "{" | "[" | "(" => {
                open.push(t);
                continue;
            }
            "}" => "{",
            "]" => "[",
            ")" => "(",
            _ => continue,
        };
        match open.pop() {
            Some(o) if &text[o.range.clone()] == closes => {}
            Some(o) => {
                return Some(
                    Diagnostic::error(
                        "syntax_error",
                        span(o),
                        format!("this `{}` is never closed", &text[o.range.clone()]),
                    )
                    .with_label("opened here")
                    .with_secondary(span(t), format!("`{}` closes something else here", &text[t.range.clone()]))
                    .with_help("close the bracket, or remove it; `orgspec fmt` lays out brackets and will not guess"),
                )
            }
            None => {
                return Some(
                    Diagnostic::error("syntax_error", span(t), format!("this `{}` closes nothing", &text[t.range.clone()]))
                        .with_label("no bracket is open here")
                        .with_help("remove it, or open the bracket it closes"),
                )
            }
        }
    }
    open.last().map(|o| {
        Diagnostic::error(
            "syntax_error",
            span(o),
            format!("this `{}` is never closed", &text[o.range.clone()]),
        )
        .with_label("opened here")
        .with_help(
            "close the bracket, or remove it; `orgspec fmt` lays out brackets and will not guess",
        )
    })
}

/// For each token: if it is a `{`, whether its block closes on a later line.
fn multiline_blocks(text: &str, tokens: &[Token]) -> Vec<bool> {
    let mut multiline = vec![false; tokens.len()];
    let mut open: Vec<(usize, usize)> = Vec::new(); // (token, line)
    let mut line = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Newline => line += 1,
            TokenKind::Punct => match &text[t.range.clone()] {
                "{" | "[" | "(" => open.push((i, line)),
                "}" | "]" | ")" => {
                    if let Some((o, opened)) = open.pop() {
                        multiline[o] = opened != line;
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    // a block never closed (the file would not have parsed) counts as multi-line
    for (o, _) in open {
        multiline[o] = true;
    }
    multiline
}

/// Check that `output` says what `input` said.
fn verify(
    file: FileId,
    input: &str,
    input_tokens: &[Token],
    input_tree: &ParsedFile,
    output: &str,
) -> Result<(), FormatError> {
    let (tree, diagnostics) = parse_file(file, output);
    if let Some(d) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        return Err(FormatError::Unsafe(format!(
            "the formatted text does not parse: {}",
            d.message
        )));
    }
    let significant = |text: &'_ str, tokens: &[Token]| -> Vec<(TokenKind, String)> {
        tokens
            .iter()
            .filter(|t| {
                t.kind != TokenKind::Newline
                    && !(t.kind == TokenKind::Punct && &text[t.range.clone()] == ";")
            })
            .map(|t| (t.kind, text[t.range.clone()].to_string()))
            .collect()
    };
    let before = significant(input, input_tokens);
    let after = significant(output, &tokenize(output));
    if let Some(at) = (0..before.len().max(after.len())).find(|&i| before.get(i) != after.get(i)) {
        return Err(FormatError::Unsafe(format!(
            "token {at} would change from {:?} to {:?}",
            before.get(at).map(|t| &t.1),
            after.get(at).map(|t| &t.1)
        )));
    }
    if input_tree.items.len() != tree.items.len() {
        return Err(FormatError::Unsafe(format!(
            "{} items would become {}",
            input_tree.items.len(),
            tree.items.len()
        )));
    }
    for (a, b) in input_tree.items.iter().zip(&tree.items) {
        if shape(a) != shape(b) {
            return Err(FormatError::Unsafe(format!(
                "the item at byte {} would be read differently",
                a.span.start
            )));
        }
    }
    Ok(())
}

/// A syntax tree node written out with its positions left out: two nodes with the same
/// shape over the same tokens say the same thing.
pub fn shape(node: &impl std::fmt::Debug) -> String {
    let mut debug = String::new();
    let _ = write!(debug, "{node:?}");
    strip_spans(&debug)
}

/// `Span { file: FileId(0), start: 1, end: 2 }` → `Span`, and a post's field's position
/// (`At { start: 1, end: 2 }`) → `At`.
fn strip_spans(debug: &str) -> String {
    const OPEN: [&str; 2] = ["Span { file: FileId(", "At { start: "];
    let mut out = String::with_capacity(debug.len() / 2);
    let mut rest = debug;
    while let Some((at, open)) = OPEN
        .iter()
        .filter_map(|open| Some((rest.find(open)?, open)))
        .min()
    {
        let word = &open[..open.find(' ').unwrap_or(open.len())];
        out.push_str(&rest[..at]);
        out.push_str(word);
        rest = &rest[at..];
        rest = rest.find('}').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format(FileId(0), text) {
            Ok(s) => s,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn spans_are_stripped() {
        assert_eq!(
            strip_spans("Field { name: Span { file: FileId(0), start: 1, end: 2 }, x: 1 }"),
            "Field { name: Span, x: 1 }"
        );
        let at = crate::source::At::new(crate::source::Span::new(FileId(0), 3, 7));
        assert_eq!(
            strip_spans(&format!(
                "Given(2, {at:?}), Span {{ file: FileId(1), start: 0, end: 1 }}"
            )),
            "Given(2, At), Span"
        );
    }

    /// Found by fuzzing: digits grouped by a comma stay as written (spaced, `£70, 000`
    /// would be a list), and after a trailing comma the `;` that ends the field stays (the
    /// next line would otherwise continue the list).
    #[test]
    fn commas_that_carry_meaning_are_kept() {
        assert_eq!(
            fmt("budget b \"B\" { gross £70,000 }\n"),
            "budget b \"B\" { gross £70,000 }\n"
        );
        assert_eq!(
            fmt("post p \"P\" {\n  employer hbc,; tier 1\n}\n"),
            "post p \"P\" {\n  employer hbc,;\n  tier 1\n}\n"
        );
    }

    #[test]
    fn blocks_are_laid_out() {
        assert_eq!(
            fmt("post  a \"A\"{employer sbc;tier 2\n      reports_to b }\n\n\n\norg sbc \"S\" {kind council ;tiers 6;}"),
            "post a \"A\" {\n  employer sbc\n  tier 2\n  reports_to b\n}\n\norg sbc \"S\" { kind council; tiers 6 }\n"
        );
    }

    #[test]
    fn continuations_and_brackets_are_indented() {
        assert_eq!(
            fmt("pool p {\ncandidates a,\nb\n  includes [\n c,\n    d\n      ]\n}\n"),
            "pool p {\n  candidates a,\n    b\n  includes [\n    c,\n    d\n  ]\n}\n"
        );
    }

    #[test]
    fn comments_stay_and_align() {
        assert_eq!(
            fmt("// head\n\n\npost a \"A\" {   // a\n  tier 1 // one\n  employer sbc      // two\n\n  // alone\n}\n"),
            "// head\n\npost a \"A\" {  // a\n  tier 1        // one\n  employer sbc  // two\n\n  // alone\n}\n"
        );
    }

    #[test]
    fn rules_are_spaced_like_code() {
        assert_eq!(
            fmt("rule r \"R\" {\n  for p in posts where count( p.x )>0\n  and p.tier== -1\n  require p.a+1 >=2\n  message \"m\"\n}\n"),
            "rule r \"R\" {\n  for p in posts where count(p.x) > 0\n    and p.tier == -1\n  require p.a + 1 >= 2\n  message \"m\"\n}\n"
        );
    }

    #[test]
    fn a_doc_comment_after_a_semicolon_gets_its_own_line() {
        assert_eq!(
            fmt("org a \"A\" { kind council; /// a doc\n tiers 3 }\n"),
            "org a \"A\" {\n  kind council\n  /// a doc\n  tiers 3\n}\n"
        );
    }

    #[test]
    fn a_doc_comment_after_a_header_stays_on_its_line() {
        // found by the mutation test: moved to a line of its own, it would document the
        // next item
        let text = "org a \"A\" /// { kind council }\norg b \"B\" { kind council }\n";
        assert_eq!(
            fmt(text),
            "org a \"A\"  /// { kind council }\norg b \"B\" { kind council }\n"
        );
    }

    #[test]
    fn a_space_before_a_quantifiers_colon_is_kept() {
        let text = "rule r \"R\" {\n  for p in posts\n  require any q in posts : true\n  message \"m\"\n}\n";
        assert_eq!(fmt(text), text);
        let glued = "rule r \"R\" {\n  for p in posts\n  require any q in posts: true\n  message \"m\"\n}\n";
        assert_eq!(fmt(glued), glued);
    }

    #[test]
    fn crlf_is_kept_when_the_first_line_is_a_comment() {
        assert_eq!(
            fmt("// a comment\r\norg a \"A\"\r\norg b \"B\""),
            "// a comment\r\norg a \"A\"\r\norg b \"B\"\r\n"
        );
    }

    #[test]
    fn crlf_is_kept() {
        assert_eq!(
            fmt("org a \"A\"\r\norg b \"B\""),
            "org a \"A\"\r\norg b \"B\"\r\n"
        );
    }

    #[test]
    fn a_bracket_left_open_in_a_rule_is_refused() {
        let Err(FormatError::Syntax(d)) = format(
            FileId(0),
            "rule r \"R\" {\n  s[everity warning\n  require true\n  message \"m\"\n}\n",
        ) else {
            panic!("formatted")
        };
        assert_eq!(d[0].message, "this `[` is never closed");
        assert_eq!(d[0].span.start, 16);
    }

    #[test]
    fn broken_files_are_refused() {
        assert!(matches!(
            format(FileId(0), "post a {\n"),
            Err(FormatError::Syntax(_))
        ));
    }
}
