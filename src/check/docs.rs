//! `docs/rules.md`, generated from the registry and the documentation beside each rule.
//! A test fails when the committed file is stale (`UPDATE_DOCS=1 cargo test` rewrites it).

use std::fmt::Write as _;

use super::registry::{lookup, Category, RuleInfo, RULES};

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
        let checked = if r.is_checked() { "yes" } else { "not yet" };
        let link = if r.docs().is_empty() {
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
            .filter(|r| r.category == category && !r.docs().is_empty())
            .collect();
        if documented.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {}\n", category.title());
        for r in documented {
            let _ = write!(out, "\n### {}\n\n{}\n\n", r.id, headline(r));
            // demote the rule doc's headings below the rule's own
            for line in r.docs().lines() {
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

/// "error · Funding and employers · funding shares … · cannot be allowed".
fn headline(r: &RuleInfo) -> String {
    format!(
        "{} · {} · {}{}",
        r.severity.as_str(),
        r.category.title(),
        r.summary,
        if r.allowable {
            ""
        } else {
            " · cannot be allowed"
        }
    )
}

fn checked(r: &RuleInfo) -> bool {
    r.is_checked()
}

/// `orgspec rules`: one line per rule.
pub fn rules_table() -> String {
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for category in CATEGORIES {
        let _ = writeln!(out, "{}", category.title());
        for r in RULES.iter().filter(|r| r.category == category) {
            let _ = writeln!(
                out,
                "  {:width$}  {:7}  {}{}",
                r.id,
                r.severity.as_str(),
                r.summary,
                if checked(r) {
                    ""
                } else {
                    " (not checked: missing from std/)"
                }
            );
        }
    }
    let n = RULES.iter().filter(|r| checked(r)).count();
    let _ = writeln!(
        out,
        "\n{} rules, {n} checked by this version. `orgspec explain RULE` prints a rule's documentation.",
        RULES.len()
    );
    out
}

#[derive(serde::Serialize)]
struct JsonRule {
    id: &'static str,
    severity: &'static str,
    category: &'static str,
    summary: &'static str,
    checked: bool,
    allowable: bool,
}

/// `orgspec rules --format json`: `{"version": 1, "rules": [...]}`.
pub fn rules_json() -> String {
    #[derive(serde::Serialize)]
    struct Doc {
        version: u32,
        rules: Vec<JsonRule>,
    }
    let doc = Doc {
        version: 1,
        rules: RULES
            .iter()
            .map(|r| JsonRule {
                id: r.id,
                severity: r.severity.as_str(),
                category: r.category.title(),
                summary: r.summary,
                checked: checked(r),
                allowable: r.allowable,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("rules serialise");
    s.push('\n');
    s
}

/// `orgspec explain RULE`: the rule's documentation, or why there is none.
pub fn explain(id: &str) -> Result<String, String> {
    let Some(r) = lookup(id) else {
        let close = crate::resolve::names::closest(id, RULES.iter().map(|r| r.id));
        let hint = crate::resolve::names::did_you_mean(&close)
            .unwrap_or_else(|| "`orgspec rules` lists every rule".to_string());
        return Err(format!("there is no rule `{id}`: {hint}"));
    };
    let mut out = format!("# {}\n\n{}\n\n", r.id, headline(r));
    if r.docs().is_empty() {
        out.push_str("This rule is in the catalogue, but its definition is missing from `std/`.\n");
    } else {
        out.push_str(r.docs());
    }
    if let Some((file, source)) = r.std_source() {
        let _ = write!(
            out,
            "\n\n## The rule ({file}, built in)\n\n```org\n{source}\n```\n\nSwitch it off, change its severity or its parameters in `orgspec.toml`:\n\n```toml\n[rules.{}]\nseverity = \"off\"\n```\n",
            r.id
        );
    }
    Ok(out)
}
