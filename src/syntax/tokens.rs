//! A flat token stream of a file, comments and line ends included.
//!
//! The parser does not use it (pest reads the text itself); the formatter and the language
//! server do, because they care about what the syntax tree leaves out: comments, line
//! ends, and where a token sits on its line. The token boundaries are the grammar's
//! (`grammar/orgspec.pest`): `north:` and `PO1..PO15` are one word, `2007-06-01` and
//! `3..5` one number, `->` one punctuation mark.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A name, a key (`north:`) or a range of names (`PO1..PO15`).
    Word,
    /// A number, percentage, date or numeric range.
    Number,
    Money,
    /// A string, quotes included (to the end of its line when it is not closed).
    Str,
    /// `// …` to the end of the line, trailing spacing excluded.
    Comment,
    /// `/// …`.
    DocComment,
    /// Punctuation and operators: `{ } [ ] ( ) , ; = -> : @ . == != <= >= < > + - * /`.
    Punct,
    /// A line end (`\n` or `\r\n`).
    Newline,
    /// A character the grammar has no place for.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: Range<usize>,
    /// Whether spacing separates it from the token before on the same line.
    pub spaced: bool,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Cut `text` into tokens. Never fails: what the grammar cannot read is `Unknown`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut spaced = false;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = match b {
            b' ' | b'\t' => {
                i += 1;
                spaced = true;
                continue;
            }
            b'\n' => {
                i += 1;
                TokenKind::Newline
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                TokenKind::Newline
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let doc = bytes.get(i + 2) == Some(&b'/') && bytes.get(i + 3) != Some(&b'/');
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                let mut end = i;
                while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r') {
                    end -= 1;
                }
                tokens.push(Token {
                    kind: if doc {
                        TokenKind::DocComment
                    } else {
                        TokenKind::Comment
                    },
                    range: start..end,
                    spaced,
                });
                spaced = false;
                continue;
            }
            b'"' => {
                i += 1;
                let mut closed = false;
                while i < bytes.len() && bytes[i] != b'\n' {
                    match bytes[i] {
                        b'\\' if bytes.get(i + 1).is_some_and(|&c| c != b'\n') => i += 2,
                        b'"' => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                if !closed {
                    // an unclosed string stops before the line end
                    while i > start + 1 && bytes[i - 1] == b'\r' {
                        i -= 1;
                    }
                }
                TokenKind::Str
            }
            _ if is_ident_start(b) => {
                i = ident_end(bytes, i);
                if bytes.get(i) == Some(&b':') {
                    i += 1;
                } else if bytes.get(i) == Some(&b'.')
                    && bytes.get(i + 1) == Some(&b'.')
                    && bytes.get(i + 2).is_some_and(|&c| is_ident_start(c))
                {
                    i = ident_end(bytes, i + 2);
                }
                TokenKind::Word
            }
            _ if b.is_ascii_digit() => {
                i = number_end(bytes, i);
                if bytes.get(i) == Some(&b'.')
                    && bytes.get(i + 1) == Some(&b'.')
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_digit)
                {
                    i = number_end(bytes, i + 2);
                }
                TokenKind::Number
            }
            _ if text[i..].starts_with('£') && bytes.get(i + 2).is_some_and(u8::is_ascii_digit) => {
                i = money_end(bytes, i);
                if text[i..].starts_with("..£") && bytes.get(i + 4).is_some_and(u8::is_ascii_digit)
                {
                    i = money_end(bytes, i + 2);
                }
                TokenKind::Money
            }
            _ => {
                let two = bytes.get(i..i + 2);
                let long = matches!(two, Some(b"->" | b"==" | b"!=" | b"<=" | b">=" | b".."));
                if long {
                    i += 2;
                    TokenKind::Punct
                } else if b"{}[](),;=:@.<>+-*/".contains(&b) {
                    i += 1;
                    TokenKind::Punct
                } else {
                    // one whole character, never half of one
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                    TokenKind::Unknown
                }
            }
        };
        tokens.push(Token {
            kind,
            range: start..i,
            spaced,
        });
        spaced = false;
    }
    tokens
}

fn ident_end(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() && is_ident_char(bytes[i]) {
        i += 1;
    }
    i
}

/// The grammar's `num_body`: digits, `_`, `-`, `.` before a digit, and a final `%`.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            c if c.is_ascii_digit() || c == b'_' || c == b'-' => i += 1,
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            _ => break,
        }
    }
    if bytes.get(i) == Some(&b'%') {
        i += 1;
    }
    i
}

/// `£` then digits, `_` and `.` before a digit.
fn money_end(bytes: &[u8], mut i: usize) -> usize {
    i += 2; // `£` is two bytes
    while i < bytes.len() {
        match bytes[i] {
            c if c.is_ascii_digit() || c == b'_' => i += 1,
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            _ => break,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| &text[t.range]).collect()
    }

    #[test]
    fn tokens_follow_the_grammar() {
        assert_eq!(
            texts(
                "funded sbc 50%, ntpct 50% -> north: PO1..PO15 2007-06..2008-01 £1_000..£2_000.50"
            ),
            vec![
                "funded",
                "sbc",
                "50%",
                ",",
                "ntpct",
                "50%",
                "->",
                "north:",
                "PO1..PO15",
                "2007-06..2008-01",
                "£1_000..£2_000.50"
            ]
        );
        assert_eq!(
            texts("require p.tier >= -1 // why  \n/// doc"),
            vec!["require", "p", ".", "tier", ">=", "-", "1", "// why", "\n", "/// doc"]
        );
    }

    #[test]
    fn strings_keep_escapes_and_stop_at_the_line_end() {
        assert_eq!(
            texts("\"a \\\" b\" \"open\r\nx"),
            vec!["\"a \\\" b\"", "\"open", "\r\n", "x"]
        );
    }

    #[test]
    fn unknown_characters_are_whole() {
        assert_eq!(texts("é ~"), vec!["é", "~"]);
    }
}
