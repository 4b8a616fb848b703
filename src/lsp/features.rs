//! The requests: definition, references, hover, completion, rename, symbols, formatting
//! and code actions. Each reads the last [`Analysis`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionParams, CompletionResponse, DocumentFormattingParams,
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Documentation,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, PrepareRenameResponse, Range, ReferenceParams, RenameParams,
    SymbolKind, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};
use serde_json::Value;

use super::analysis::Analysis;
use super::text::{path_to_uri, Encoding, LineIndex};
use super::{document_path, RequestError, Server};
use crate::source::{FileId, Span};
use crate::syntax::ast::Item;
use crate::vocab::Namespace;

type Answer = Result<Value, RequestError>;

fn params<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, RequestError> {
    serde_json::from_value(value).map_err(|e| RequestError::InvalidParams(e.to_string()))
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "every handler answers an `Answer`; this is its usual ending"
)]
fn json(value: impl serde::Serialize) -> Answer {
    Ok(serde_json::to_value(value).unwrap_or(Value::Null))
}

pub(super) fn handle(server: &Server, method: &str, raw: Value) -> Answer {
    match method {
        "textDocument/definition" => definition(server, &params(raw)?),
        "textDocument/references" => references(server, &params(raw)?),
        "textDocument/hover" => hover(server, &params(raw)?),
        "textDocument/completion" => completion(server, &params(raw)?),
        "textDocument/prepareRename" => prepare_rename(server, &params(raw)?),
        "textDocument/rename" => rename(server, &params(raw)?),
        "textDocument/documentSymbol" => symbols(server, &params(raw)?),
        "textDocument/formatting" => formatting(server, &params(raw)?),
        "textDocument/codeAction" => code_actions(server, &params(raw)?),
        _ => Err(RequestError::Unknown),
    }
}

/// The analysed file behind a URI, and a byte offset for a position in it.
struct Place<'a> {
    analysis: &'a Analysis,
    encoding: Encoding,
    file: FileId,
    offset: usize,
}

/// The last analysis and the file in it behind a URI.
fn document<'a>(server: &'a Server, uri: &Uri) -> Option<(&'a Analysis, FileId)> {
    let analysis = server.analysis()?;
    let file = analysis.file(&document_path(uri).ok()?)?;
    Some((analysis, file))
}

fn place<'a>(server: &'a Server, p: &TextDocumentPositionParams) -> Option<Place<'a>> {
    let (analysis, file) = document(server, &p.text_document.uri)?;
    let text = analysis.text(file);
    let offset = LineIndex::new(text, server.encoding).offset(text, p.position);
    Some(Place {
        analysis,
        encoding: server.encoding,
        file,
        offset,
    })
}

fn location(analysis: &Analysis, encoding: Encoding, span: Span) -> Location {
    let text = analysis.text(span.file);
    Location::new(
        path_to_uri(analysis.path(span.file)),
        LineIndex::new(text, encoding).range(text, span.range()),
    )
}

/// Locations of many spans, converting each file's positions once.
fn locations(
    analysis: &Analysis,
    encoding: Encoding,
    spans: impl Iterator<Item = Span>,
) -> Vec<Location> {
    let mut indexes: HashMap<FileId, LineIndex> = HashMap::new();
    spans
        .map(|s| {
            let text = analysis.text(s.file);
            let index = indexes
                .entry(s.file)
                .or_insert_with(|| LineIndex::new(text, encoding));
            Location::new(
                path_to_uri(analysis.path(s.file)),
                index.range(text, s.range()),
            )
        })
        .collect()
}

fn definition(server: &Server, p: &GotoDefinitionParams) -> Answer {
    let Some(at) = place(server, &p.text_document_position_params) else {
        return Ok(Value::Null);
    };
    // `use "bodies.org"` goes to the file
    for (span, target) in at.analysis.ws.uses_of(at.file) {
        if span.range().contains(&at.offset) {
            let start = Span::new(target, 0, 0);
            return json(GotoDefinitionResponse::Scalar(location(
                at.analysis,
                at.encoding,
                start,
            )));
        }
    }
    match at.analysis.symbol_at(at.file, at.offset) {
        Some((_, target)) => json(GotoDefinitionResponse::Scalar(location(
            at.analysis,
            at.encoding,
            target,
        ))),
        None => Ok(Value::Null),
    }
}

fn references(server: &Server, p: &ReferenceParams) -> Answer {
    let Some(at) = place(server, &p.text_document_position) else {
        return Ok(Value::Null);
    };
    let Some((_, target)) = at.analysis.symbol_at(at.file, at.offset) else {
        return Ok(Value::Null);
    };
    let declaration = p.context.include_declaration.then_some(target);
    let spans = declaration.into_iter().chain(at.analysis.uses_of(target));
    json(locations(at.analysis, at.encoding, spans))
}

/// The word (`[A-Za-z0-9_]+`) at `offset`, if any.
fn word_at(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut start = offset.min(bytes.len());
    while start > 0 && is_word(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset.min(bytes.len());
    while end < bytes.len() && is_word(bytes[end]) {
        end += 1;
    }
    (start < end).then_some(start..end)
}

/// Whether `offset` is inside the parentheses of an `@allow(…)` on its line.
fn in_allow(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    before
        .rfind("@allow(")
        .is_some_and(|i| !before[i..].contains(')'))
}

fn markdown(value: String) -> Value {
    serde_json::to_value(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    })
    .unwrap_or(Value::Null)
}

#[expect(clippy::unnecessary_wraps, reason = "handlers share one signature")]
fn hover(server: &Server, p: &HoverParams) -> Answer {
    let Some(at) = place(server, &p.text_document_position_params) else {
        return Ok(Value::Null);
    };
    let text = at.analysis.text(at.file);
    // a rule id: in `@allow(…)` or after `rule`
    if let Some(word) = word_at(text, at.offset) {
        let id = &text[word.clone()];
        let line_start = text[..word.start].rfind('\n').map_or(0, |i| i + 1);
        let after_rule = text[line_start..word.start].trim() == "rule";
        if in_allow(text, word.start) || after_rule {
            if let Some(doc) = rule_docs(at.analysis, id) {
                return Ok(markdown(doc));
            }
        }
    }
    let Some((ns, target)) = at.analysis.symbol_at(at.file, at.offset) else {
        return Ok(Value::Null);
    };
    let Some(item) = at.analysis.ws.item_containing(target) else {
        return Ok(Value::Null);
    };
    Ok(markdown(describe_item(at.analysis, ns, target, item)))
}

/// A rule's documentation: the catalogue's, or the `///` comment of a rule the spec defines.
fn rule_docs(analysis: &Analysis, id: &str) -> Option<String> {
    if let Ok(text) = crate::check::docs::explain(id) {
        return Some(text);
    }
    let (_, span) = analysis
        .names
        .declarations
        .iter()
        .find(|(ns, s)| *ns == Namespace::Rule && analysis.ws.sources.slice(*s) == id)?;
    let item = analysis.ws.item_containing(*span)?;
    let mut out = format!("**rule** `{id}` (defined in this project)\n\n");
    out.push_str(&doc_text(analysis, item));
    Some(out)
}

fn doc_text(analysis: &Analysis, item: &Item) -> String {
    item.docs
        .iter()
        .map(|d| {
            let line = analysis.ws.sources.slice(*d);
            let line = line.strip_prefix("///").unwrap_or(line);
            line.strip_prefix(' ').unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_item(analysis: &Analysis, ns: Namespace, id: Span, item: &Item) -> String {
    let src = &analysis.ws.sources;
    let lifecycle = item
        .lifecycle
        .map_or(String::new(), |(_, s)| format!("{} ", src.slice(s)));
    let mut out = format!("**{lifecycle}{}** `{}`", ns.noun(), src.slice(id));
    let title = item
        .header
        .iter()
        .flat_map(|h| h.value.old.iter())
        .flat_map(|t| t.atoms.iter())
        .find(|a| matches!(a.kind, crate::syntax::ast::AtomKind::Str));
    if let Some(title) = title {
        let t = src.slice(title.span);
        let _ = write!(out, " — {}", t.trim_matches('"'));
    }
    let docs = doc_text(analysis, item);
    if !docs.is_empty() {
        out.push_str("\n\n");
        out.push_str(&docs);
    }
    if let Some(block) = &item.block {
        // the fields as written, in the order of the vocabulary's rows
        let (rows, aliases) = crate::decl::rows(src.slice(item.kind)).unwrap_or_default();
        let names = rows
            .iter()
            .map(|r| r.name)
            .chain(aliases.iter().map(|a| a.name));
        let mut lines = Vec::new();
        for name in names {
            for f in block.fields.iter().filter(|f| src.slice(f.name) == name) {
                let value = f.value.as_ref().map_or("", |v| src.slice(v.span));
                lines.push(format!("{name} {value}"));
            }
        }
        if !lines.is_empty() {
            out.push_str("\n\n```org\n");
            out.push_str(&lines.join("\n"));
            out.push_str("\n```");
        }
    }
    let path = analysis.path(id.file);
    let (line, _) = src.get(id.file).line_col(id.start);
    let _ = write!(
        out,
        "\n\n*{}:{line}*",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned()
        )
    );
    out
}

/// The namespaces a field's value names, from the vocabulary's row for it.
fn field_namespaces(kind: &str, field: &str) -> &'static [Namespace] {
    let Some((rows, aliases)) = crate::decl::rows(kind) else {
        return &[];
    };
    let name = aliases
        .iter()
        .find(|a| a.name == field)
        .map_or(field, |a| a.target);
    rows.iter()
        .find(|r| r.name == name)
        .map_or(&[], |r| r.namespaces)
}

/// The field names of an item kind: its rows, then their other names.
fn kind_fields(kind: &str) -> Vec<&'static str> {
    crate::decl::rows(kind).map_or_else(Vec::new, |(rows, aliases)| {
        rows.iter()
            .map(|r| r.name)
            .chain(aliases.iter().map(|a| a.name))
            .collect()
    })
}

fn symbol_kind(ns: Namespace) -> CompletionItemKind {
    match ns {
        Namespace::Post => CompletionItemKind::STRUCT,
        Namespace::Org => CompletionItemKind::MODULE,
        Namespace::Rule => CompletionItemKind::FUNCTION,
        Namespace::Person => CompletionItemKind::CONSTANT,
        _ => CompletionItemKind::VALUE,
    }
}

fn completion(server: &Server, p: &CompletionParams) -> Answer {
    let Some(at) = place(server, &p.text_document_position) else {
        return Ok(Value::Null);
    };
    let text = at.analysis.text(at.file);
    let items = completions(at.analysis, at.file, text, at.offset);
    json(CompletionResponse::Array(items))
}

fn completions(
    analysis: &Analysis,
    file: FileId,
    text: &str,
    offset: usize,
) -> Vec<CompletionItem> {
    let keyword = |label: &str, kind, detail: Option<String>| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    };
    if in_allow(text, offset) {
        let mut items: Vec<CompletionItem> = crate::vocab::catalogue::ids()
            .filter_map(crate::vocab::catalogue::lookup)
            .filter(|r| r.allowable)
            .map(|r| CompletionItem {
                label: r.id.to_string(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(r.summary.to_string()),
                documentation: Some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: crate::check::docs::docs(r).to_string(),
                })),
                ..CompletionItem::default()
            })
            .collect();
        items.extend(
            analysis
                .ids_seen_from(file, &[Namespace::Rule])
                .into_iter()
                .map(|(_, id)| {
                    keyword(
                        id,
                        CompletionItemKind::FUNCTION,
                        Some("a rule of this project".into()),
                    )
                }),
        );
        return items;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let typing_first_word =
        words.is_empty() || (words.len() == 1 && !before.ends_with([' ', '\t', ',']));
    let item = analysis
        .ws
        .item_containing(Span::new(file, offset, offset))
        .filter(|i| {
            i.block
                .as_ref()
                .is_some_and(|b| (b.span.start as usize) < offset && offset <= b.span.end as usize)
        });
    let ids = |ns: &[Namespace]| -> Vec<CompletionItem> {
        analysis
            .ids_seen_from(file, ns)
            .into_iter()
            .map(|(ns, id)| keyword(id, symbol_kind(ns), Some(ns.noun().to_string())))
            .collect()
    };
    match item {
        Some(item) if typing_first_word => {
            let kind = analysis.ws.sources.slice(item.kind);
            kind_fields(kind)
                .iter()
                .map(|f| {
                    keyword(
                        f,
                        CompletionItemKind::FIELD,
                        Some(format!("a field of `{kind}`")),
                    )
                })
                .collect()
        }
        Some(item) => ids(field_namespaces(
            analysis.ws.sources.slice(item.kind),
            words.first().copied().unwrap_or(""),
        )),
        None if typing_first_word => crate::vocab::ITEM_KINDS
            .iter()
            .chain(&["new", "deleted"])
            .map(|k| keyword(k, CompletionItemKind::KEYWORD, None))
            .collect(),
        None => match words.first().copied() {
            Some("slot" | "new" | "deleted") => ids(&[Namespace::Post]),
            _ => ids(&[]),
        },
    }
}

/// The id under the cursor that a rename would change: its span there, and its declaration.
fn rename_target(
    server: &Server,
    p: &TextDocumentPositionParams,
) -> Option<(Span, Namespace, Span)> {
    let at = place(server, p)?;
    let (ns, target) = at.analysis.symbol_at(at.file, at.offset)?;
    let here = std::iter::once(target)
        .chain(at.analysis.uses_of(target))
        .find(|s| {
            s.file == at.file && s.range().contains(&at.offset) || s.end as usize == at.offset
        })?;
    Some((here, ns, target))
}

fn prepare_rename(server: &Server, p: &TextDocumentPositionParams) -> Answer {
    let Some((here, _, _)) = rename_target(server, p) else {
        return Ok(Value::Null);
    };
    let Some(analysis) = server.analysis() else {
        return Ok(Value::Null);
    };
    let text = analysis.text(here.file);
    json(PrepareRenameResponse::RangeWithPlaceholder {
        range: LineIndex::new(text, server.encoding).range(text, here.range()),
        placeholder: text[here.range()].to_string(),
    })
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[expect(
    clippy::mutable_key_type,
    reason = "lsp-types keys `WorkspaceEdit::changes` by `Uri`"
)]
fn rename(server: &Server, p: &RenameParams) -> Answer {
    let Some((_, ns, target)) = rename_target(server, &p.text_document_position) else {
        return Err(RequestError::Failed(
            "there is no name to rename here".into(),
        ));
    };
    let Some(analysis) = server.analysis() else {
        return Ok(Value::Null);
    };
    let new_name = p.new_name.trim();
    if !is_identifier(new_name) || new_name == "tbd" || new_name == "none" || new_name == "vacant" {
        return Err(RequestError::Failed(format!(
            "`{new_name}` cannot be an id: an id is a letter or `_` followed by letters, digits and `_`"
        )));
    }
    if analysis
        .ids_beside(target.file, &[ns])
        .iter()
        .any(|(_, id)| *id == new_name)
    {
        return Err(RequestError::Failed(format!(
            "{} {} is already called `{new_name}`",
            ns.article(),
            ns.noun()
        )));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for location in locations(
        analysis,
        server.encoding,
        std::iter::once(target).chain(analysis.uses_of(target)),
    ) {
        changes
            .entry(location.uri)
            .or_default()
            .push(TextEdit::new(location.range, new_name.to_string()));
    }
    json(WorkspaceEdit::new(changes))
}

fn item_symbol_kind(kind: &str) -> SymbolKind {
    match kind {
        "use" => SymbolKind::FILE,
        "spec" => SymbolKind::PACKAGE,
        "org" => SymbolKind::NAMESPACE,
        "align" => SymbolKind::OPERATOR,
        "grade" => SymbolKind::ENUM_MEMBER,
        "area" => SymbolKind::ENUM,
        "person" => SymbolKind::CONSTANT,
        "post" => SymbolKind::STRUCT,
        "slot" | "timeline" => SymbolKind::EVENT,
        "pool" => SymbolKind::ARRAY,
        "service" => SymbolKind::INTERFACE,
        "agreement" => SymbolKind::KEY,
        "budget" => SymbolKind::NUMBER,
        "rule" => SymbolKind::FUNCTION,
        _ => SymbolKind::NULL,
    }
}

#[allow(
    deprecated,
    reason = "`DocumentSymbol::deprecated` must still be given"
)]
fn symbols(server: &Server, p: &DocumentSymbolParams) -> Answer {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(Value::Null);
    };
    let Some(parsed) = analysis.ws.parsed(file) else {
        return Ok(Value::Null);
    };
    let src = &analysis.ws.sources;
    let text = analysis.text(file);
    let index = LineIndex::new(text, server.encoding);
    let range = |s: Span| index.range(text, s.range());
    let symbols: Vec<DocumentSymbol> = parsed
        .items
        .iter()
        .map(|item| {
            let kind = src.slice(item.kind);
            let header = item.header.as_ref();
            let first = item.first_atom();
            let (name, selection) = match (kind, first) {
                ("align" | "slot" | "use", Some(_)) => {
                    let h = header.map_or(item.kind, |h| h.span);
                    (format!("{kind} {}", src.slice(h)), h)
                }
                (_, Some(a)) => (src.slice(a.span).to_string(), a.span),
                (_, None) => (kind.to_string(), item.kind),
            };
            let title = header
                .iter()
                .flat_map(|h| h.value.old.iter())
                .flat_map(|t| t.atoms.iter())
                .find(|a| matches!(a.kind, crate::syntax::ast::AtomKind::Str))
                .map(|a| src.slice(a.span).trim_matches('"').to_string());
            let children: Vec<DocumentSymbol> = item
                .block
                .iter()
                .flat_map(|b| b.fields.iter())
                .map(|f| DocumentSymbol {
                    name: src.slice(f.name).to_string(),
                    detail: f.value.as_ref().map(|v| src.slice(v.span).to_string()),
                    kind: SymbolKind::FIELD,
                    tags: None,
                    deprecated: None,
                    range: range(f.span),
                    selection_range: range(f.name),
                    children: None,
                })
                .collect();
            DocumentSymbol {
                name: if name.is_empty() {
                    kind.to_string()
                } else {
                    name
                },
                detail: title.or_else(|| Some(kind.to_string())),
                kind: item_symbol_kind(kind),
                tags: None,
                deprecated: None,
                range: range(item.span),
                selection_range: range(selection),
                children: (!children.is_empty()).then_some(children),
            }
        })
        .collect();
    json(DocumentSymbolResponse::Nested(symbols))
}

fn formatting(server: &Server, p: &DocumentFormattingParams) -> Answer {
    let path: PathBuf = document_path(&p.text_document.uri).map_err(RequestError::InvalidParams)?;
    let text = match server.open_text(&path) {
        Some(text) => text.to_string(),
        None => crate::project::read_file(&path)
            .and_then(|b| String::from_utf8(b).map_err(|_| "the file is not UTF-8 text".into()))
            .map_err(RequestError::Failed)?,
    };
    let text_without_bom = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match crate::format::format(FileId(0), text_without_bom) {
        Ok(formatted) if formatted == text_without_bom => json(Vec::<TextEdit>::new()),
        Ok(formatted) => {
            let index = LineIndex::new(&text, server.encoding);
            let start = text.len() - text_without_bom.len();
            let range = index.range(&text, start..text.len());
            json(vec![TextEdit::new(range, formatted)])
        }
        Err(crate::format::FormatError::Syntax(d)) => Err(RequestError::Failed(format!(
            "not formatted: the file does not parse ({})",
            d.first().map_or("a syntax error", |d| d.message.as_str())
        ))),
        Err(crate::format::FormatError::Unsafe(why)) => Err(RequestError::Failed(format!(
            "not formatted: the layout would have changed what the file says ({why})"
        ))),
    }
}

#[expect(
    clippy::mutable_key_type,
    reason = "lsp-types keys `WorkspaceEdit::changes` by `Uri`"
)]
fn code_actions(server: &Server, p: &CodeActionParams) -> Answer {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(Value::Null);
    };
    let text = analysis.text(file);
    let index = LineIndex::new(text, server.encoding);
    let wanted = index.offset(text, p.range.start)..index.offset(text, p.range.end);
    let touches = |s: Span| {
        s.file == file && s.start as usize <= wanted.end && wanted.start <= s.end as usize
    };
    let mut actions = Vec::new();
    for d in analysis.diagnostics.iter().filter(|d| touches(d.span)) {
        for fix in &d.fixes {
            let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
            for edit in &fix.edits {
                let location = location(analysis, server.encoding, edit.span);
                changes
                    .entry(location.uri)
                    .or_default()
                    .push(TextEdit::new(location.range, edit.replacement.clone()));
            }
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.description.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(WorkspaceEdit::new(changes)),
                is_preferred: Some(d.fixes.len() == 1),
                ..CodeAction::default()
            }));
        }
        let allowable = crate::vocab::catalogue::lookup(&d.rule).map_or_else(
            || {
                analysis
                    .ids_seen_from(file, &[Namespace::Rule])
                    .iter()
                    .any(|(_, id)| *id == d.rule)
            },
            |r| r.allowable,
        );
        if !allowable {
            continue;
        }
        let Some(item) = analysis.ws.item_containing(d.span) else {
            continue;
        };
        let (kind, id) = analysis.ws.item_at(d.span).unwrap_or(("item", ""));
        let at = index.position(text, item.span.start as usize);
        let edit = TextEdit::new(
            Range::new(at, at),
            format!("@allow({}, \"REASON: why this is accepted\")\n", d.rule),
        );
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Allow `{}` on {kind} `{id}` (write the reason)", d.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(WorkspaceEdit::new(HashMap::from([(
                p.text_document.uri.clone(),
                vec![edit],
            )]))),
            ..CodeAction::default()
        }));
    }
    json(actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_allow_context() {
        let text = "@allow(tier_g\npost a";
        assert!(in_allow(text, 13));
        assert!(!in_allow(text, 18));
        assert_eq!(word_at(text, 10), Some(7..13));
        assert_eq!(word_at("a  b", 2), None);
    }

    #[test]
    fn ids_are_checked() {
        assert!(is_identifier("head_ops2"));
        assert!(!is_identifier("2head"));
        assert!(!is_identifier("head ops"));
        assert!(!is_identifier(""));
    }
}
