//! The findings as an editor is sent them (`textDocument/publishDiagnostics`): grouped by
//! file, at most [`MAX_PER_FILE`] a file, each with its places and its rule's documentation.
//!
//! A file of garbage can hold millions of findings; an editor cannot show them, and each
//! costs the server about two kilobytes as a JSON tree before it is written. Past the limit
//! the most severe are sent, from the top of the file, and one more finding at the top
//! says how many there are and how to see them all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, Position, Range, Uri,
};

use super::analysis::Analysis;
use super::text::{path_to_uri, Encoding, LineIndex};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, Span};

/// The most findings an editor is sent for one file.
pub const MAX_PER_FILE: usize = 1000;

/// Everything one check publishes, by file. Each file's line index, URI and each rule's
/// documentation link are worked out once, not once per finding.
pub(super) fn by_file(
    analysis: &Analysis,
    encoding: Encoding,
    docs: Option<&Path>,
) -> HashMap<PathBuf, Vec<LspDiagnostic>> {
    let mut files: HashMap<FileId, Vec<&Diagnostic>> = HashMap::new();
    for d in &analysis.diagnostics {
        files.entry(d.span.file).or_default().push(d);
    }
    let mut publisher = Publisher {
        analysis,
        encoding,
        docs,
        indexes: HashMap::new(),
        uris: HashMap::new(),
        links: HashMap::new(),
    };
    files
        .into_iter()
        .map(|(file, mut found)| {
            let total = found.len();
            if total > MAX_PER_FILE {
                found.sort_by_key(|d| (d.severity, d.span.start));
                found.truncate(MAX_PER_FILE);
            }
            let mut sent: Vec<LspDiagnostic> = found.iter().map(|d| publisher.lsp(d)).collect();
            if total > MAX_PER_FILE {
                sent.insert(0, publisher.overflow(file, total));
            }
            (analysis.path(file).to_path_buf(), sent)
        })
        .collect()
}

struct Publisher<'a> {
    analysis: &'a Analysis,
    encoding: Encoding,
    docs: Option<&'a Path>,
    indexes: HashMap<FileId, LineIndex>,
    uris: HashMap<FileId, Uri>,
    links: HashMap<String, Option<CodeDescription>>,
}

impl Publisher<'_> {
    fn range(&mut self, span: Span) -> Range {
        let text = self.analysis.text(span.file);
        let encoding = self.encoding;
        self.indexes
            .entry(span.file)
            .or_insert_with(|| LineIndex::new(text, encoding))
            .range(text, span.range())
    }

    fn uri(&mut self, file: FileId) -> Uri {
        let analysis = self.analysis;
        self.uris
            .entry(file)
            .or_insert_with(|| path_to_uri(analysis.path(file)))
            .clone()
    }

    /// The link to the rule's documentation, when it was written.
    fn link(&mut self, rule: &str) -> Option<CodeDescription> {
        if let Some(link) = self.links.get(rule) {
            return link.clone();
        }
        let link = self.docs.and_then(|docs| {
            let file = docs.join(format!("{rule}.md"));
            file.is_file().then(|| CodeDescription {
                href: path_to_uri(&file),
            })
        });
        self.links.insert(rule.to_string(), link.clone());
        link
    }

    fn lsp(&mut self, d: &Diagnostic) -> LspDiagnostic {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        // The finding's own label is a place like the others (as rust-analyzer shows rustc's
        // primary label), not a bare line inside the message.
        let related = d
            .places()
            .map(|(span, message)| DiagnosticRelatedInformation {
                location: Location::new(self.uri(span.file), self.range(span)),
                message: message.to_string(),
            })
            .collect::<Vec<_>>();
        LspDiagnostic {
            range: self.range(d.span),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.rule.to_string())),
            code_description: self.link(&d.rule),
            source: Some("orgspec".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    /// The note at the top of a file with more findings than are sent.
    fn overflow(&self, file: FileId, total: usize) -> LspDiagnostic {
        let name = self.analysis.path(file).file_name().map_or_else(
            || self.analysis.path(file).display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let count = |n: usize| crate::value::group_digits(&n.to_string(), ',');
        LspDiagnostic {
            range: Range::new(Position::new(0, 0), Position::new(0, 0)),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some("orgspec".into()),
            message: format!(
                "this file has {} findings; the editor is shown {}, the most severe first, \
                 from the top of the file\nhelp: fix these, or run `orgspec check {name}` \
                 to see every one",
                count(total),
                count(MAX_PER_FILE),
            ),
            ..LspDiagnostic::default()
        }
    }
}
