//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins,
//! Azure Pipelines). Each checked file is a test suite; each error or warning is a failed
//! test case named after its rule and the item it is about (`tier_gap: post team_manager`),
//! not its line, so that an edit which moves lines does not show every finding as fixed
//! and new again; a file with neither has one passing case.
//! Notes (`info`) are passing cases with the note as their output.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};

/// Text in XML: markup escaped, and characters XML 1.0 forbids left out.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `files`: the checked files, in order (a file with findings but not among them, such as
/// a used file or `orgspec.toml`, is added).
pub fn render_junit(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    files: &[FileId],
    item_at: &super::ItemAt,
) -> String {
    let mut order: Vec<FileId> = files.to_vec();
    for d in diagnostics {
        if !order.contains(&d.span.file) {
            order.push(d.span.file);
        }
    }
    let failing = |d: &Diagnostic| d.severity != Severity::Info;
    let failures = diagnostics.iter().filter(|d| failing(d)).count();
    let mut suites = String::new();
    let mut tests = 0;
    for file in order {
        let path = sources.path(file).display().to_string();
        let findings: Vec<&Diagnostic> =
            diagnostics.iter().filter(|d| d.span.file == file).collect();
        let suite_failures = findings.iter().filter(|d| failing(d)).count();
        let cases = findings.len().max(1);
        tests += cases;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{cases}\" failures=\"{suite_failures}\" errors=\"0\">",
            xml(&path)
        );
        if findings.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{0}\" name=\"no problems found\" file=\"{0}\"/>",
                xml(&path)
            );
        }
        let mut names: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for d in findings {
            let (line, col) = sources.get(file).line_col(d.span.start);
            // by rule and item; a finding outside any item (a file's, a setting's) by its
            // message; a second finding of the same name is numbered
            let mut name = match item_at(d.span) {
                Some((kind, id)) => format!("{}: {kind} {id}", d.rule),
                None => format!(
                    "{}: {}",
                    d.rule,
                    d.message.chars().take(80).collect::<String>()
                ),
            };
            let seen = names.entry(name.clone()).or_insert(0);
            *seen += 1;
            if *seen > 1 {
                name = format!("{name} ({seen})");
            }
            let _ = writeln!(
                suites,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{line}\">",
                xml(&path),
                xml(&name),
                xml(&path)
            );
            let body = format!(
                "{path}:{line}:{col}: {}[{}]: {}{}",
                d.severity.as_str(),
                d.rule,
                d.message,
                super::plain_details(sources, d)
            );
            if d.severity == Severity::Info {
                let _ = writeln!(suites, "      <system-out>{}</system-out>", xml(&body));
            } else {
                let _ = writeln!(
                    suites,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    d.severity.as_str(),
                    xml(&d.message),
                    xml(&body)
                );
            }
            let _ = writeln!(suites, "    </testcase>");
        }
        let _ = writeln!(suites, "  </testsuite>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"orgspec\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}
