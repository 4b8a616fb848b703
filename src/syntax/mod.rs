//! Stage 1: text → syntax tree. The only module that knows about pest.
//!
//! **Parsing never fails**: it returns the items it could read *and* a diagnostic for
//! each item it could not.

pub mod ast;
mod block;
pub mod defer;
mod errors;
mod grammar;
mod lexeme;
pub mod limits;
pub mod notations;
mod parser;
mod plain;
mod recover;
pub mod reuse;
mod rules;
pub mod split;
pub mod tokens;

#[cfg(test)]
pub(crate) use parser::PARALLEL_THRESHOLD;
pub use parser::{parse_file, parse_file_reusing, parse_uses, plain_reads_as_pest, MAX_FILE_BYTES};

/// The text of a string token (quotes included) with its escapes `\"`, `\\` and `\n`
/// resolved; an unknown escape is a `syntax_error` at the escape. `span` is the token's.
pub fn unescape(
    token: &str,
    span: crate::source::Span,
) -> Result<String, Box<crate::diagnostic::Diagnostic>> {
    let inner = &token[1..token.len() - 1];
    let (i, next) = match crate::value::unescaped(inner) {
        Ok(text) => return Ok(text.into_owned()),
        Err(unknown) => unknown,
    };
    let at = span.start as usize + 1 + i;
    let (end, shown) = match next {
        Some(c) => (at + 1 + c.len_utf8(), format!("`\\{c}`")),
        None => (at + 1, "`\\` at the end".to_string()),
    };
    Err(Box::new(
        crate::diagnostic::Diagnostic::error(
            "syntax_error",
            crate::source::Span::new(span.file, at, end),
            format!("unknown escape {shown}"),
        )
        .with_label("not an escape orgspec knows")
        .with_help("a string may contain `\\\"`, `\\\\` and `\\n`"),
    ))
}
