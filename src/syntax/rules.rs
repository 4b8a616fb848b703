//! pest pairs of a `rule` item → [`RuleBody`], with expressions put in order by pest's
//! Pratt parser.
//!
//! Precedence, loosest first: `or`; `and`; `not`; comparisons and `in`/`not in` (which
//! do not chain); `+ -`; `* /`; unary `-`; field access. A quantifier's body reaches as
//! far right as it can, so `all y in xs: a and b` quantifies `a and b`.

use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;

use super::ast::{
    BinaryOp, Expr, ExprKind, Generator, RuleBody, Statement, StatementKind, Template,
    TemplatePart, UnaryOp,
};
use super::grammar::{OrgParser, Rule};
use super::lexeme::{money_part, numeric_part, syntax, Built};
use super::parser::Builder;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::AtomKind;
use crate::value::{parse_decimal, Date};

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
        .op(Op::postfix(Rule::field_access))
});

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_in => BinaryOp::In,
        Rule::op_not_in => BinaryOp::NotIn,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        Rule::op_div => BinaryOp::Div,
        _ => unreachable!("not an infix operator: {rule:?}"),
    }
}

impl Builder<'_> {
    /// A statement or interpolation with no more operators than the tree may hold.
    fn operators_within_limit(&self, pair: &Pair<Rule>, what: &str) -> Built<()> {
        match super::limits::too_many_operators(pair) {
            None => Ok(()),
            Some(extra) => Err(syntax(
                self.span(&extra),
                format!(
                    "more than {} operators in one {what}",
                    super::limits::MAX_OPERATORS
                ),
                "one too many from here",
                "name parts of the expression with `let`, or split the rule into several",
            )),
        }
    }
}

/// The pairs inside `pair` that say something: comments may stand wherever a line may
/// break (after `(`, an operator, a `,`), and are never an operand or a name.
fn significant(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner()
        .filter(|p| !matches!(p.as_rule(), Rule::comment | Rule::doc_comment))
}

impl Builder<'_> {
    pub(super) fn rule_body(&self, pair: Pair<Rule>) -> Built<RuleBody> {
        let span = self.span(&pair);
        let mut statements = Vec::new();
        for p in significant(pair) {
            statements.push(self.statement(p)?);
        }
        Ok(RuleBody { statements, span })
    }

    fn statement(&self, pair: Pair<Rule>) -> Built<Statement> {
        let span = self.span(&pair);
        self.operators_within_limit(&pair, "statement")?;
        let rule = pair.as_rule();
        let keyword_len = match rule {
            Rule::unknown_st => pair
                .as_str()
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(pair.as_str().len()),
            _ => pair
                .as_str()
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(pair.as_str().len()),
        };
        let keyword = Span {
            end: span.start + keyword_len as u32,
            ..span
        };
        let mut inner = significant(pair);
        let kind = match rule {
            Rule::severity_st => StatementKind::Severity(inner.next().map(|p| self.span(&p))),
            Rule::param_st => {
                let name = self.span(&inner.next().expect("param name"));
                let value = self.expr(inner.next().expect("param value"))?;
                StatementKind::Param { name, value }
            }
            Rule::for_st => {
                let mut generators = Vec::new();
                let mut filter = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::generator => generators.push(self.generator(p)?),
                        Rule::filter => filter = Some(self.filter(p)?),
                        _ => {}
                    }
                }
                StatementKind::For { generators, filter }
            }
            Rule::let_st => {
                let name = self.span(&inner.next().expect("let name"));
                let value = self.expr(inner.next().expect("let value"))?;
                StatementKind::Let { name, value }
            }
            Rule::require_st => StatementKind::Require(self.expr(inner.next().expect("cond"))?),
            Rule::message_st => StatementKind::Message(self.template(&inner.next().expect("s"))?),
            Rule::help_st => StatementKind::Help(self.template(&inner.next().expect("s"))?),
            Rule::at_st => {
                let target = self.expr(inner.next().expect("at"))?;
                let label = match inner.next() {
                    Some(p) => Some(self.template(&p)?),
                    None => None,
                };
                StatementKind::At(target, label)
            }
            Rule::also_st => {
                let mut binding = None;
                let mut target = None;
                let mut label = None;
                let mut filter = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::binding => binding = Some(self.span(&p)),
                        Rule::expr => target = Some(self.expr(p)?),
                        Rule::filter => filter = Some(self.filter(p)?),
                        Rule::string => label = Some(self.template(&p)?),
                        _ => {}
                    }
                }
                StatementKind::Also {
                    binding,
                    target: target.expect("also has a target"),
                    filter,
                    label: label.expect("also has a label"),
                }
            }
            Rule::completeness_st => StatementKind::Completeness,
            Rule::unknown_st => StatementKind::Unknown,
            other => unreachable!("not a statement: {other:?}"),
        };
        Ok(Statement {
            kind,
            keyword,
            span,
        })
    }

    fn generator(&self, pair: Pair<Rule>) -> Built<Generator> {
        let mut inner = significant(pair);
        let var = self.span(&inner.next().expect("generator variable"));
        let over = self.expr(inner.next().expect("generator collection"))?;
        Ok(Generator { var, over })
    }

    /// A `filter` or `projection` pair: one expression inside.
    fn filter(&self, pair: Pair<Rule>) -> Built<Expr> {
        self.expr(significant(pair).next().expect("an expression"))
    }

    pub(super) fn expr(&self, pair: Pair<Rule>) -> Built<Expr> {
        debug_assert_eq!(pair.as_rule(), Rule::expr);
        self.expr_pairs(significant(pair))
    }

    fn expr_pairs<'i>(&self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Built<Expr> {
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, operand| {
                let operand = operand?;
                let op_span = self.span(&op);
                let op = if op.as_rule() == Rule::op_not {
                    UnaryOp::Not
                } else {
                    UnaryOp::Neg
                };
                Ok(Expr {
                    span: op_span.to(operand.span),
                    kind: ExprKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                })
            })
            .map_postfix(|base, access| {
                let base = base?;
                let name = self.span(&significant(access).next().expect("field name"));
                Ok(Expr {
                    span: base.span.to(name),
                    kind: ExprKind::Field {
                        base: Box::new(base),
                        name,
                    },
                })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op_span = self.span(&op);
                let op = binary_op(op.as_rule());
                if op.is_comparison() {
                    if let ExprKind::Binary { op: inner, .. } = &lhs.kind {
                        if inner.is_comparison() {
                            return Err(syntax(
                                op_span,
                                format!(
                                    "comparisons do not chain: `{}` after `{}`",
                                    op.symbol(),
                                    inner.symbol()
                                ),
                                "a second comparison",
                                "join two comparisons with `and`: `a <= b and b <= c`",
                            ));
                        }
                    }
                }
                Ok(Expr {
                    span: lhs.span.to(rhs.span),
                    kind: ExprKind::Binary {
                        op,
                        op_span,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                })
            })
            .parse(pairs)
    }

    fn primary(&self, pair: Pair<Rule>) -> Built<Expr> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::ident => ExprKind::Name,
            Rule::constant => match text {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                _ => ExprKind::None,
            },
            Rule::string => ExprKind::Str(super::unescape(text, span)?.into()),
            Rule::numeric => Builder::numeric_literal(text, span)?,
            Rule::money => {
                if text.contains("..") {
                    return Err(no_ranges(span));
                }
                money_part((text, span))?;
                ExprKind::Money(parse_decimal(&text['£'.len_utf8()..]).ok_or_else(|| {
                    syntax(
                        span,
                        format!("`{text}` is too large"),
                        "not an amount orgspec can hold",
                        "write a smaller amount",
                    )
                })?)
            }
            Rule::paren => return self.expr(significant(pair).next().expect("inner")),
            Rule::list_expr => {
                let items = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr)
                    .map(|p| self.expr(p))
                    .collect::<Built<Vec<_>>>()?;
                ExprKind::List(items)
            }
            Rule::call => {
                let mut inner = significant(pair);
                let name = self.span(&inner.next().expect("call name"));
                let mut args = Vec::new();
                for p in inner {
                    args.push(match p.as_rule() {
                        Rule::comprehension => self.comprehension(p)?,
                        _ => self.expr(p)?,
                    });
                }
                ExprKind::Call { name, args }
            }
            Rule::quantifier => {
                let mut inner = significant(pair);
                let all = inner.next().expect("quantifier keyword").as_str() == "all";
                let var = self.span(&inner.next().expect("variable"));
                let over = Box::new(self.expr(inner.next().expect("collection"))?);
                let mut filter = None;
                let mut body = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::filter => filter = Some(Box::new(self.filter(p)?)),
                        _ => body = Some(Box::new(self.expr(p)?)),
                    }
                }
                ExprKind::Quantifier {
                    all,
                    var,
                    over,
                    filter,
                    body: body.expect("quantifier body"),
                }
            }
            Rule::expr => return self.expr(pair),
            other => unreachable!("not an operand: {other:?}"),
        };
        Ok(Expr { kind, span })
    }

    fn comprehension(&self, pair: Pair<Rule>) -> Built<Expr> {
        let span = self.span(&pair);
        let mut inner = significant(pair);
        let var = self.span(&inner.next().expect("variable"));
        let over = Box::new(self.expr(inner.next().expect("collection"))?);
        let (mut filter, mut map) = (None, None);
        for p in inner {
            match p.as_rule() {
                Rule::filter => filter = Some(Box::new(self.filter(p)?)),
                Rule::projection => map = Some(Box::new(self.filter(p)?)),
                _ => {}
            }
        }
        Ok(Expr {
            kind: ExprKind::Comprehension {
                var,
                over,
                filter,
                map,
            },
            span,
        })
    }

    fn numeric_literal(text: &str, span: Span) -> Built<ExprKind> {
        if text.contains("..") {
            return Err(no_ranges(span));
        }
        let too_large = || {
            syntax(
                span,
                format!("`{text}` is too large"),
                "not a number orgspec can hold",
                "write a smaller number",
            )
        };
        Ok(match numeric_part((text, span))? {
            AtomKind::Percent => {
                ExprKind::Percent(parse_decimal(&text[..text.len() - 1]).ok_or_else(too_large)?)
            }
            AtomKind::Date => ExprKind::Date(Date::parse(text).map_err(|e| {
                Box::new(
                    Diagnostic::error(
                        "invalid_value",
                        span,
                        format!("`{text}` is not a real date"),
                    )
                    .with_label(e.to_string())
                    .with_help("write a date that exists, such as `2008-04-01`"),
                )
            })?),
            _ => ExprKind::Number(parse_decimal(text).ok_or_else(too_large)?),
        })
    }

    /// A `message`, `help` or `also` string: text with `{EXPR}` parts; `{{` and `}}` are
    /// literal braces.
    fn template(&self, pair: &Pair<Rule>) -> Built<Template> {
        let span = self.span(pair);
        let token = pair.as_str();
        let inner = &token[1..token.len() - 1];
        // byte offset of `inner` in the file
        let base = span.start as usize + 1;
        let bytes = inner.as_bytes();
        let mut parts = Vec::new();
        let mut text_start = 0;
        let mut i = 0;
        let flush = |parts: &mut Vec<TemplatePart>, from: usize, to: usize| -> Built<()> {
            if from < to {
                let raw = &inner[from..to];
                let quoted = format!("\"{raw}\"");
                let text = super::unescape(
                    &quoted,
                    Span::new(span.file, base + from - 1, base + to + 1),
                )?;
                let text = text.replace("{{", "{").replace("}}", "}");
                parts.push(TemplatePart::Text(text));
            }
            Ok(())
        };
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
                b'{' => {
                    flush(&mut parts, text_start, i)?;
                    let close = inner[i + 1..].find('}').map(|c| i + 1 + c);
                    let Some(close) = close else {
                        return Err(syntax(
                            Span::new(span.file, base + i, base + i + 1),
                            "this `{` is never closed".into(),
                            "an interpolation starts here",
                            "close it with `}`, or write `{{` for a literal brace",
                        ));
                    };
                    let source = &escaped_quotes(&inner[i + 1..close]);
                    let at = base + i + 1;
                    if source.trim().is_empty() {
                        return Err(syntax(
                            Span::new(span.file, base + i, base + close + 1),
                            "empty `{}` in a string".into(),
                            "expected an expression inside",
                            "write `{p.title}`, or `{{}}` for literal braces",
                        ));
                    }
                    parts.push(TemplatePart::Expr(self.interpolation(source, at)?));
                    i = close + 1;
                    text_start = i;
                }
                b'}' => {
                    return Err(syntax(
                        Span::new(span.file, base + i, base + i + 1),
                        "unmatched `}` in a string".into(),
                        "no `{` before it",
                        "write `}}` for a literal brace",
                    ));
                }
                _ => i += 1,
            }
        }
        flush(&mut parts, text_start, bytes.len())?;
        Ok(Template { parts, span })
    }

    /// Parse the expression of a `{…}` inside a string.
    fn interpolation(&self, source: &str, at: usize) -> Built<Expr> {
        let nested = Builder {
            file: self.file,
            base: at,
            body: source,
        };
        if let Some(e) = super::limits::scan_rule_text(source, "one `{…}`") {
            return Err(syntax(
                Span::new(self.file, at + e.at, at + e.at + 1),
                e.message,
                e.label,
                e.help,
            ));
        }
        if let Some(chain) = nested.name_and_fields(source) {
            return Ok(chain);
        }
        nested.parsed_interpolation(source)
    }

    /// `{p.label}`, `{reports}`: a name and its fields, nearly every `{…}` of the standard
    /// library's messages, read without pest into the tree pest's parse gives (a parse of
    /// its own for each `{…}` was a quarter of every check's instructions on a small spec).
    fn name_and_fields(&self, source: &str) -> Option<Expr> {
        let is_name = |s: &str| {
            let mut bytes = s.bytes();
            bytes
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        let mut parts = source.split('.');
        let first = parts.next()?;
        if !is_name(first) || KEYWORDS.contains(&first) {
            return None;
        }
        let span = |from: usize, to: usize| Span::new(self.file, self.base + from, self.base + to);
        let mut expr = Expr {
            kind: ExprKind::Name,
            span: span(0, first.len()),
        };
        let mut end = first.len();
        for (n, field) in parts.enumerate() {
            // past the limit, pest's reading says so (`limits::MAX_OPERATORS`)
            if !is_name(field) || n >= super::limits::MAX_OPERATORS {
                return None;
            }
            let name = span(end + 1, end + 1 + field.len());
            end += 1 + field.len();
            expr = Expr {
                span: expr.span.to(name),
                kind: ExprKind::Field {
                    base: Box::new(expr),
                    name,
                },
            };
        }
        Some(expr)
    }

    /// The expression of a `{…}`, as pest reads it.
    fn parsed_interpolation(&self, source: &str) -> Built<Expr> {
        let at = self.base;
        match OrgParser::parse(Rule::template_expr, source) {
            Ok(mut pairs) => {
                let expr = pairs.next().expect("an expression");
                self.operators_within_limit(&expr, "`{…}`")?;
                self.expr(expr)
            }
            Err(e) => {
                let pos = match e.location {
                    pest::error::InputLocation::Pos(p) => p,
                    pest::error::InputLocation::Span((s, _)) => s,
                };
                let end = super::errors::after_char(source, pos);
                Err(syntax(
                    Span::new(self.file, at + pos, at + end),
                    format!("`{{{source}}}` is not an expression"),
                    "cannot read the expression from here",
                    "inside `{…}` write an expression such as `{p.title}` or `{count(p.direct_reports)}`; `{{` is a literal brace",
                ))
            }
        }
    }
}

/// The words the grammar reserves in expressions (`keyword` in `grammar/orgspec.pest`, the
/// same words: a test reads them there): not names.
const KEYWORDS: [&str; 10] = [
    "and", "or", "not", "in", "all", "any", "where", "true", "false", "none",
];

/// The text of a `{…}` inside a string, where a string literal is written with escaped
/// quotes (`{plural(n, \"post\")}`), as the expression parser reads it: each `\"` becomes
/// a quote and a space (` "` opening, `" ` closing), so every byte keeps its offset and
/// spans still point into the file.
fn escaped_quotes(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut open = false;
    let mut rest = source;
    while let Some(at) = rest.find("\\\"") {
        out.push_str(&rest[..at]);
        out.push_str(if open { "\" " } else { " \"" });
        open = !open;
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

fn no_ranges(span: Span) -> Box<Diagnostic> {
    syntax(
        span,
        "a range is not an expression".into(),
        "ranges belong in item fields",
        "compare both ends instead: `lo <= x and x <= hi`",
    )
}

#[cfg(test)]
mod tests {
    use super::Builder;
    use crate::source::FileId;
    use crate::syntax::ast::{ExprKind, StatementKind};
    use crate::syntax::parse_file;

    fn rule(text: &str) -> Vec<StatementKind> {
        let (parsed, diagnostics) = parse_file(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let body = parsed.items[0].rule.as_ref().expect("a rule");
        body.statements.iter().map(|s| s.kind.clone()).collect()
    }

    fn errors(text: &str) -> Vec<String> {
        let (_, diagnostics) = parse_file(FileId(0), text);
        diagnostics.into_iter().map(|d| d.message).collect()
    }

    /// A `{…}` that is a name and its fields is read without pest into the same tree, at
    /// the same places; anything else (a reserved word, spacing, a call) is pest's.
    #[test]
    fn a_name_and_its_fields_read_as_pest_reads_them() {
        let nested = Builder {
            file: FileId(3),
            base: 40,
            body: "",
        };
        for source in [
            "p",
            "p.label",
            "p.reports_to.grade.org",
            "_x.y1.Z",
            "p.in.none",
            "nonexistent",
            "anyone.title",
        ] {
            let fast = nested.name_and_fields(source).expect(source);
            let pest = nested.parsed_interpolation(source).expect(source);
            assert_eq!(format!("{fast:?}"), format!("{pest:?}"), "{source}");
        }
        for other in [
            "none", "true", "in", "p.", ".p", "p..q", " p", "p .q", "count(p)", "p.1", "1",
            "a.b c", "not p",
        ] {
            assert!(nested.name_and_fields(other).is_none(), "{other}");
        }
        // as many fields as a `{…}` may hold operators, and one more, which pest refuses
        let fields = |n| format!("p{}", ".reports_to".repeat(n));
        let most = fields(crate::syntax::limits::MAX_OPERATORS);
        assert!(nested.name_and_fields(&most).is_some());
        let over = fields(crate::syntax::limits::MAX_OPERATORS + 1);
        assert!(nested.name_and_fields(&over).is_none());
        assert!(nested.parsed_interpolation(&over).is_err());
    }

    /// The words read as reserved, not as names, are the grammar's `keyword` rule's.
    #[test]
    fn the_reserved_words_are_the_grammars() {
        let grammar = include_str!("../../grammar/orgspec.pest");
        let rule = grammar
            .lines()
            .find(|l| l.starts_with("keyword = "))
            .expect("the grammar's keyword rule");
        let words: Vec<&str> = rule.split('"').skip(1).step_by(2).collect();
        assert_eq!(words, super::KEYWORDS);
    }

    #[test]
    fn the_design_example_parses() {
        let statements = rule(
            r#"/// doc
rule span_of_control "Span of control" {
  severity warning
  param limit = 12
  for p in posts
  require count(p.direct_reports) <= limit
  message "`{p.title}` would line-manage {count(p.direct_reports)} posts (limit {limit})"
  at p.name
  help "add an intermediate manager, or raise `limit` for this rule in orgspec.toml"
}
"#,
        );
        assert_eq!(statements.len(), 7);
        let StatementKind::Message(t) = &statements[4] else {
            panic!("a message")
        };
        assert_eq!(t.parts.len(), 7);
    }

    #[test]
    fn precedence_and_wrapping() {
        let statements = rule(
            "rule r {\n  for s in slots, f in s.from where\n    f.was.grade != none\n  require not a.b == 1 + 2 * 3 and\n    all y in xs where y > 1: y.z in [1, 2]\n    or sum(q in posts where q.new: q.fte) >= 50%\n}\n",
        );
        let StatementKind::For { generators, filter } = &statements[0] else {
            panic!()
        };
        assert_eq!(generators.len(), 2);
        assert!(filter.is_some());
        let StatementKind::Require(e) = &statements[1] else {
            panic!()
        };
        // `or` is loosest … but the quantifier body reaches to the end
        let ExprKind::Binary { op, rhs, .. } = &e.kind else {
            panic!("{e:?}")
        };
        assert_eq!(op.symbol(), "and");
        assert!(matches!(rhs.kind, ExprKind::Quantifier { .. }));
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(
            errors("rule r {\n  require a < b < c\n}\n"),
            ["comparisons do not chain: `<` after `<`"]
        );
        assert_eq!(
            errors("rule r {\n  message \"{p.}\"\n}\n"),
            ["`{p.}` is not an expression"]
        );
        assert_eq!(
            errors("rule r {\n  require count(p.x\n}\n"),
            ["expected a new line, an operator, `)` or `,`, found `}`"]
        );
        assert!(errors("rule r {\n  require a ==\n}\n")[0].starts_with("expected an expression"));
    }
}
