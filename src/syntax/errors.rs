//! pest's errors → diagnostics in words: what was expected, named as a person would, and
//! what was found there.

use super::grammar::Rule;
use super::split::Chunk;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kind => "an item keyword such as `post` or `org`",
        Rule::field => "a field name",
        Rule::word | Rule::name | Rule::header => "a name",
        Rule::numeric | Rule::money | Rule::string | Rule::bracket => "a value",
        Rule::annotation => "an annotation such as `@allow(…)`",
        Rule::block => "`{`",
        Rule::sep => "`,` or `->`",
        Rule::comma => "`,`",
        Rule::eq => "`=`",
        Rule::expr
        | Rule::ident
        | Rule::constant
        | Rule::quantifier
        | Rule::call
        | Rule::list_expr
        | Rule::paren
        | Rule::op_not
        | Rule::op_neg => "an expression",
        r if r.is_infix() => "an operator",
        Rule::unknown_st
        | Rule::severity_st
        | Rule::param_st
        | Rule::for_st
        | Rule::let_st
        | Rule::require_st
        | Rule::message_st
        | Rule::help_st
        | Rule::at_st
        | Rule::also_st => "a statement such as `require`",
        Rule::generator => "`NAME in COLLECTION`",
        Rule::field_access => "`.field`",
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

/// `body` is the chunk's text as parsed (fields already left out are blanked), at byte
/// `base` of the file.
pub(super) fn describe_error(
    file: FileId,
    base: usize,
    body: &str,
    chunk: &Chunk,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
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
            let b = &body[open - base..=open - base];
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

    // a negative amount in a spec (`envelope -£998_723`): values are never negative
    let in_rule = body.trim_start().starts_with("rule");
    if !in_rule
        && rest.starts_with('-')
        && rest[1..].starts_with(|c: char| c == '£' || c.is_ascii_digit())
    {
        let end = 1 + rest[1..]
            .find(|c: char| !(c == '£' || c.is_ascii_digit() || c == '_' || c == '.' || c == '%'))
            .unwrap_or(rest.len() - 1);
        let amount = &rest[1..end];
        let field = body[..pos]
            .trim_end()
            .rsplit(|c: char| c.is_whitespace() || c == '{' || c == ';')
            .next()
            .unwrap_or("");
        let help = if amount.starts_with('£') && field == "envelope" {
            format!("a budget that must save money states the saving: `saving {amount}`")
        } else {
            format!("write the amount as it is, `{amount}`, in a field whose meaning says which way it goes (a budget's `saving`)")
        };
        let d = Diagnostic::error(
            "syntax_error",
            Span::new(file, base + pos, base + pos + end),
            format!(
                "`{}` is negative, and values in a spec never are",
                &rest[..end]
            ),
        )
        .with_label("a negative value")
        .with_help(help);
        if amount.starts_with('£') && field == "envelope" {
            let field_start = body[..pos].trim_end().len() - field.len();
            return d.with_fix(
                format!("write `saving {amount}`"),
                Span::new(file, base + field_start, base + pos + end),
                format!("saving {amount}"),
            );
        }
        return d;
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
    if in_block && words.contains(&"`}`") && !words.contains(&"an expression") {
        words = vec!["a new line", "`;`", "`}`"];
    }
    let expression_expected = words.contains(&"an expression");
    if expression_expected {
        // "a value", "`(`" and "`[`" are kinds of expression: say it once
        words.retain(|w| !matches!(*w, "a value" | "`(`" | "`[`" | "a new line"));
    }
    words.sort_by_key(|w| (!w.starts_with('a'), *w));
    words.dedup();
    let found = found_at(body, pos);
    let end = base + after_char(body, pos);
    Diagnostic::error(
        "syntax_error",
        Span::new(file, base + pos, end),
        format!("expected {}, found {found}", one_of(&words)),
    )
    .with_label(format!("expected {} here", one_of(&words)))
    .with_help(if expression_expected {
        "an expression is a value such as `12`, `50%`, `p.tier` or `[a, b]`, or an operation such as `count(p.direct_reports) <= limit`; see docs/rule-language.md".into()
    } else {
        syntax_help(&words)
    })
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

/// The offset after the character at `pos` in `text` (`pos` itself at the end): where a
/// one-character span from `pos` ends, never inside a character such as `£`.
pub(super) fn after_char(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|rest| rest.chars().next())
        .map_or(pos, |c| pos + c.len_utf8())
}
