//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! Every rule of the catalogue is described in `tool.driver.rules` (its summary, its full
//! documentation as help, its default level); rules a spec defines itself are added when
//! they fire. Each result carries `partialFingerprints` tied to the item it is about
//! (`post head_ops`) rather than to a line, so code scanning keeps tracking a finding when
//! lines move above it.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};
use crate::vocab::catalogue;

/// The fingerprint scheme: raise the version if the recipe changes.
const FINGERPRINT_KEY: &str = "orgspec/item/v1";

/// What a finding is about, for its fingerprint: the item's keyword and id.
pub type ItemAt<'a> = dyn Fn(Span) -> Option<(String, String)> + 'a;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Where a file is: a relative path as a URI reference against `%SRCROOT%` (the folder
/// the check ran in, which code scanning maps to the repository), an absolute one as a
/// `file://` URI with no base (SARIF §3.4.4: a base is only for a relative reference).
fn artifact_location(path: &std::path::Path) -> Value {
    let encoded = crate::source::uri_encode_path(path);
    if path.is_absolute() {
        json!({ "uri": format!("file://{encoded}") })
    } else {
        json!({ "uri": encoded, "uriBaseId": "%SRCROOT%" })
    }
}

fn region(sources: &SourceMap, span: Span) -> Value {
    let file = sources.get(span.file);
    let (start_line, start_column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn location(sources: &SourceMap, span: Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(sources.path(span.file)),
            "region": region(sources, span),
        }
    })
}

fn rule_descriptor(id: &str) -> Value {
    let Some(rule) = catalogue::lookup(id) else {
        return json!({
            "id": id,
            "name": pascal(id),
            "shortDescription": { "text": format!("`{id}`: a rule defined in the checked specs") },
            "properties": { "tags": ["orgspec", "spec-rule"] },
        });
    };
    let docs = crate::check::docs::docs(rule);
    let mut descriptor = json!({
        "id": rule.id,
        "name": pascal(rule.id),
        "shortDescription": { "text": rule.summary },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": ["orgspec", rule.category.title()] },
    });
    if !docs.is_empty() {
        descriptor["fullDescription"] = json!({ "text": first_paragraph(docs) });
        descriptor["help"] = json!({ "text": docs, "markdown": docs });
    }
    descriptor
}

/// A rule's SARIF `name`, a readable identifier distinct from its id, as SARIF viewers
/// and the SARIF multitool expect (it compares them ignoring case): `funding_sum` →
/// `FundingSum`; a one-word id gains `Rule` (`undecided` → `UndecidedRule`).
fn pascal(id: &str) -> String {
    let name: String = id
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if name.eq_ignore_ascii_case(id) {
        name + "Rule"
    } else {
        name
    }
}

/// The first paragraph of a rule's documentation, without its heading.
fn first_paragraph(docs: &str) -> String {
    docs.lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SARIF log of one run.
pub fn render_sarif(sources: &SourceMap, diagnostics: &[Diagnostic], item_at: &ItemAt) -> String {
    let mut rule_ids: Vec<String> = catalogue::ids().map(str::to_string).collect();
    for d in diagnostics {
        if !rule_ids.iter().any(|r| *r == d.rule) {
            rule_ids.push(d.rule.to_string());
        }
    }
    let index: HashMap<&str, usize> = rule_ids
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    // the n-th finding of a rule on an item: two findings of one rule on one item differ
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let path = crate::source::uri_encode_path(sources.path(d.span.file));
            let anchor = match item_at(d.span) {
                Some((kind, id)) => format!("{path}:{}:{kind}:{id}", d.rule),
                None => format!("{path}:{}:{}", d.rule, d.message),
            };
            let n = seen.entry(anchor.clone()).or_default();
            *n += 1;
            let fingerprint = format!("{anchor}:{n}");

            let mut text = d.message.clone();
            for (i, label) in d.labels.iter().enumerate() {
                let _ = write!(text, "\n- [{}]({})", label.message, i + 1);
            }
            if let Some(help) = &d.help {
                let _ = write!(text, "\nhelp: {help}");
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": index[d.rule.as_ref()],
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location(sources, d.span)],
                "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
            });
            if !d.labels.is_empty() {
                result["relatedLocations"] = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut loc = location(sources, l.span);
                        loc["id"] = json!(i + 1);
                        loc["message"] = json!({ "text": l.message });
                        loc
                    })
                    .collect();
            }
            if !d.fixes.is_empty() {
                result["fixes"] = d
                    .fixes
                    .iter()
                    .map(|f| {
                        json!({
                            "description": { "text": f.description },
                            "artifactChanges": f.edits.iter().map(|e| json!({
                                "artifactLocation": artifact_location(sources.path(e.span.file)),
                                "replacements": [{
                                    "deletedRegion": region(sources, e.span),
                                    "insertedContent": { "text": e.replacement },
                                }],
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "orgspec",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rule_ids.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    s.push('\n');
    s
}
