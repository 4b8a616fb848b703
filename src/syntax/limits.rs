//! How deep a rule's expressions may go. Expressions are trees, built, compiled,
//! evaluated and formatted by recursion; these limits keep every tree far inside the stack
//! orgspec runs on (`src/main.rs`), so hostile input gets a diagnostic, never a stack
//! overflow. No real rule comes near them.
//!
//! Brackets are bounded by the line scan (`split::MAX_DEPTH`). Quantifiers nest without
//! brackets, in the grammar itself, so they are counted before pest reads a rule; chains of
//! operators are flat for pest but become a tree one level per operator, so they are
//! counted in the parse before the tree is built.

use pest::iterators::Pair;

use super::grammar::Rule;
use super::split::MAX_DEPTH;

/// At most this many quantifiers (`any`, `all`) in one rule, or in one `{…}` of a string.
pub const MAX_QUANTIFIERS: usize = 64;

/// At most this many operators (`not`, `-`, `and`, `+`, `==`, `.field`, …) in one
/// statement of a rule, or in one `{…}` of a string.
pub const MAX_OPERATORS: usize = 2_000;

/// What a piece of rule text exceeds, found before pest reads it: where, and why.
pub struct Exceeded {
    pub at: usize,
    pub message: String,
    pub label: &'static str,
    pub help: &'static str,
}

/// Scan rule text (a rule item, or the expression of a `{…}` in a string: `within` says
/// which, for the message) as pest will read it: brackets and the quantifier keywords `any`
/// and `all` outside strings and comments.
pub fn scan_rule_text(text: &str, within: &str) -> Option<Exceeded> {
    let bytes = text.as_bytes();
    let (mut depth, mut quantifiers) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(Exceeded {
                        at: i,
                        message: format!("brackets are nested more than {MAX_DEPTH} deep"),
                        label: "too deep from here",
                        help:
                            "a real rule never nests this deep: check for a run of stray brackets",
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'a' if is_quantifier_at(bytes, i) => {
                quantifiers += 1;
                if quantifiers > MAX_QUANTIFIERS {
                    return Some(Exceeded {
                        at: i,
                        message: format!(
                            "more than {MAX_QUANTIFIERS} quantifiers (`any`, `all`) in {within}"
                        ),
                        label: "one too many from here",
                        help: "split the rule into several, or name a part with `let`",
                    });
                }
                i += 3;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `any` or `all` as a word at `i`.
fn is_quantifier_at(bytes: &[u8], i: usize) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let keyword = bytes[i..].starts_with(b"any") || bytes[i..].starts_with(b"all");
    keyword && !bytes.get(i + 3).is_some_and(|&c| word(c)) && (i == 0 || !word(bytes[i - 1]))
}

/// The operators in a parsed statement or interpolation, counted without recursion (the
/// pairs are a flat queue): where the one over [`MAX_OPERATORS`] is, if any.
pub fn too_many_operators<'i>(pair: &Pair<'i, Rule>) -> Option<Pair<'i, Rule>> {
    pair.clone()
        .into_inner()
        .flatten()
        .filter(|p| {
            let rule = p.as_rule();
            rule.is_infix() || matches!(rule, Rule::op_not | Rule::op_neg | Rule::field_access)
        })
        .nth(MAX_OPERATORS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantifiers_are_counted_as_words_outside_strings_and_comments() {
        let many = "any q in p : ".repeat(MAX_QUANTIFIERS + 1);
        assert!(scan_rule_text(&many, "one rule").is_some());
        let fine = format!(
            "{} \"any any any\" // all all\n company anyone",
            "any q in p : ".repeat(MAX_QUANTIFIERS)
        );
        assert!(scan_rule_text(&fine, "one rule").is_none());
    }

    #[test]
    fn brackets_inside_an_interpolation_are_bounded() {
        let deep = "(".repeat(MAX_DEPTH + 1);
        assert_eq!(
            scan_rule_text(&deep, "one `{…}`").map(|e| e.at),
            Some(MAX_DEPTH)
        );
    }
}
