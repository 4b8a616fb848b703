//! `docs/rules.md`, generated from the registry and the documentation beside each rule.
//! A test fails when the committed file is stale (`UPDATE_DOCS=1 cargo test` rewrites it).

use std::fmt::Write as _;

use super::registry::{Category, Status, RULES};

const CATEGORIES: [Category; 8] = [
    Category::Language,
    Category::Structure,
    Category::Funding,
    Category::Alignment,
    Category::Outcomes,
    Category::Localities,
    Category::Timeline,
    Category::Budget,
];

/// The whole rule reference as markdown.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from src/check/registry.rs and src/check/rules/*.md by \
         `UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n\n\
         Every finding names its rule id in brackets (`error[funding_sum]`). The ids are stable: \
         tools and `@allow(rule, \"reason\")` use them.\n\n\
         | id | severity | checked | what it catches |\n|---|---|---|---|\n",
    );
    for r in RULES {
        let checked = match r.status {
            Status::Checked => "yes",
            Status::Planned => "with the rule engine",
        };
        let link = if r.doc.is_empty() {
            format!("`{}`", r.id)
        } else {
            format!("[`{}`](#{})", r.id, r.id)
        };
        let _ = writeln!(
            out,
            "| {link} | {} | {checked} | {} |",
            r.severity.as_str(),
            r.summary
        );
    }
    for category in CATEGORIES {
        let documented: Vec<_> = RULES
            .iter()
            .filter(|r| r.category == category && !r.doc.is_empty())
            .collect();
        if documented.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {}\n", category.title());
        for r in documented {
            let _ = write!(
                out,
                "\n### {}\n\n**{}** · {}{}\n\n",
                r.id,
                r.severity.as_str(),
                r.summary,
                if r.allowable {
                    ""
                } else {
                    " · cannot be allowed"
                }
            );
            // demote the rule doc's headings below the rule's own
            for line in r.doc.lines() {
                if let Some(h) = line.strip_prefix("## ") {
                    let _ = writeln!(out, "#### {h}");
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
    out
}
