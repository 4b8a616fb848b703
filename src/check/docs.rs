//! `docs/rules.md`, `orgspec rules` and `orgspec explain`, generated from the catalogue
//! and the documentation of each rule: beside its Rust code, or its `///` comment in
//! `std/`. A test fails when the committed file is stale (`UPDATE_DOCS=1 cargo test`
//! rewrites it).

use std::fmt::Write as _;

use super::engine::stdlib;
use crate::vocab::catalogue::{lookup, Category, Checked, Rule, RULES};

/// A rule's documentation (markdown): beside its code, or its `///` comment in `std/`.
pub fn docs(r: &Rule) -> &'static str {
    match r.checked {
        Checked::Std => stdlib::find(r.id).map_or("", |s| s.docs.as_str()),
        Checked::Language | Checked::Rust => super::rules::doc(r.id).unwrap_or(""),
    }
}

/// Whether this version checks the rule (false only for a `Std` rule missing from `std/`,
/// which a test forbids).
pub fn is_checked(r: &Rule) -> bool {
    r.checked != Checked::Std || stdlib::find(r.id).is_some()
}

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
        "# Rules\n\n<!-- Generated from src/vocab/catalogue.rs, src/check/rules/*.md and std/*.org by \
         `UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n\n\
         Every finding names its rule id in brackets (`error[funding_sum]`). The ids are stable: \
         tools and `@allow(rule, \"reason\")` use them.\n\n\
         | id | severity | checked | what it catches |\n|---|---|---|---|\n",
    );
    for r in RULES {
        let checked = if is_checked(r) { "yes" } else { "not yet" };
        let link = if docs(r).is_empty() {
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
            .filter(|r| r.category == category && !docs(r).is_empty())
            .collect();
        if documented.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {}\n", category.title());
        for r in documented {
            let _ = write!(
                out,
                "\n### {}\n\n{}\n\n{}\n\n",
                r.id,
                headline(r),
                defined_in(r)
            );
            // demote the rule doc's headings below the rule's own
            for line in docs(r).lines() {
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
fn headline(r: &Rule) -> String {
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

/// Where a rule is defined: "Defined in `std/funding.org`, in the rule language."
fn defined_in(r: &Rule) -> String {
    match r.checked {
        Checked::Language => "Reported while the spec is read (`src/syntax/`, `src/resolve/`, the rule compiler in `src/check/engine/`).".into(),
        Checked::Rust => format!("Defined in `src/check/rules/{}.rs`, in Rust.", r.id),
        Checked::Std => match stdlib::find(r.id) {
            Some(std) => format!("Defined in `{}`, in the rule language.", std.file),
            None => "Missing from the standard library, `std/`.".into(),
        },
    }
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
                if is_checked(r) {
                    ""
                } else {
                    " (not checked: missing from std/)"
                }
            );
        }
    }
    let n = RULES.iter().filter(|r| is_checked(r)).count();
    let _ = writeln!(
        out,
        "\n{} rules, {n} checked by this version. `orgspec explain RULE` prints a rule's documentation.",
        RULES.len()
    );
    out
}

#[derive(serde::Serialize)]
struct JsonRule<'r> {
    id: &'r str,
    severity: &'r str,
    category: &'r str,
    summary: &'r str,
    checked: bool,
    allowable: bool,
    /// Written in the project (`orgspec rules` in a folder of specs), not in the catalogue.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    local: bool,
}

/// `orgspec rules --format json`: `{"version": 1, "rules": [...]}`.
pub fn rules_json() -> String {
    rules_json_with(&[])
}

/// `orgspec rules --format json` with the project's own rules after the catalogue's.
pub fn rules_json_with(local: &[super::local::LocalRule]) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'r> {
        version: u32,
        rules: Vec<JsonRule<'r>>,
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
                checked: is_checked(r),
                allowable: r.allowable,
                local: false,
            })
            .chain(local.iter().map(|r| JsonRule {
                id: &r.id,
                severity: &r.severity,
                category: "Local rules",
                summary: &r.title,
                checked: true,
                allowable: true,
                local: true,
            }))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("rules serialise");
    s.push('\n');
    s
}

/// `orgspec explain RULE`: the rule's documentation, or why there is none.
pub fn explain(id: &str) -> Result<String, String> {
    explain_with(id, &[])
}

/// `orgspec explain RULE`, knowing the project's own rules too.
pub fn explain_with(id: &str, local: &[super::local::LocalRule]) -> Result<String, String> {
    if lookup(id).is_none() {
        if let Some(rule) = local.iter().find(|r| r.id == id) {
            return Ok(super::local::explain(rule));
        }
    }
    let Some(r) = lookup(id) else {
        let ids = RULES
            .iter()
            .map(|r| r.id)
            .chain(local.iter().map(|r| r.id.as_str()));
        let close = crate::resolve::names::closest(id, ids);
        let hint = crate::resolve::names::did_you_mean(&close)
            .unwrap_or_else(|| "`orgspec rules` lists every rule".to_string());
        return Err(format!("there is no rule `{id}`: {hint}"));
    };
    let mut out = format!("# {}\n\n{}\n\n{}\n\n", r.id, headline(r), defined_in(r));
    if docs(r).is_empty() {
        out.push_str("This rule is in the catalogue, but its definition is missing from `std/`.\n");
    } else {
        out.push_str(docs(r));
    }
    if let Some(std) = stdlib::find(r.id).filter(|_| r.checked == Checked::Std) {
        let (file, source) = (std.file, &std.source);
        let laws: Vec<&stdlib::Law> = stdlib::laws()
            .iter()
            .filter(|l| names_word(source, &l.id))
            .collect();
        if !laws.is_empty() {
            out.push_str("\n\n## The law it applies\n\nThe figure in force on the date that matters, as the rule says above (docs/law.md):\n");
            for law in laws {
                out.push_str(&law_table(law));
            }
        }
        let _ = write!(
            out,
            "\n\n## The rule ({file}, built in)\n\n```org\n{source}\n```\n\nSwitch it off, change its severity or its parameters in `orgspec.toml`:\n\n```toml\n[rules.{}]\nseverity = \"off\"\n```\n",
            r.id
        );
    }
    Ok(out)
}

/// The fields of every item kind a spec writes, one table per kind, from the vocabulary's
/// rows: the section of `docs/language.md` between its `fields` markers.
pub fn language_fields_markdown() -> String {
    let mut out = String::new();
    for (kind, rows, aliases) in crate::decl::KINDS {
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n#### `{kind}`\n\n| field | value | `tbd` | meaning |\n|---|---|---|---|\n"
        );
        for row in *rows {
            let nouns: Vec<&str> = row.namespaces.iter().map(|n| n.noun()).collect();
            let mut value = if row.value.is_empty() {
                nouns.join(" or ")
            } else {
                row.value.to_string()
            };
            if let Some(b) = row.bounds.filter(|b| b.max.is_none() && b.min > 0) {
                let _ = write!(value, " ≥ {}", b.min);
            }
            if row.list {
                value.push_str(", …");
            }
            let required = if row.required.is_some() {
                " (**required**)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "| `{}` | {value} | {} | {}{required} |",
                row.name,
                if row.tbd { "yes" } else { "no" },
                row.doc()
            );
        }
        for a in *aliases {
            let _ = writeln!(
                out,
                "\n`{}` is `{}` with one value ({}).",
                a.name,
                a.target,
                a.help.trim_end_matches('.')
            );
        }
        if rows.iter().any(|r| r.transition) {
            let _ = writeln!(
                out,
                "\nAny field of a `{kind}` may change in the restructure: `old -> new` ([Before and after](#before-and-after))."
            );
        }
    }
    out
}

/// The fields a rule can read on each kind of value, from the vocabulary's rows and its
/// derived fields: the section of `docs/rule-language.md` between its `fields` markers.
pub fn rule_fields_markdown() -> String {
    use crate::check::engine::schema::{fields, Access, BASES};
    use crate::vocab::{Base, Ty};
    let mut out = String::new();
    for base in BASES.into_iter().filter(|b| *b != Base::Item) {
        let _ = write!(
            out,
            "\n#### {}\n\n| field | type | written in the spec | meaning |\n|---|---|---|---|\n",
            Ty::one(base)
        );
        for f in fields(base) {
            let written = match f.access {
                Access::Written(_) => "yes",
                Access::Derived(_) => "",
            };
            let _ = writeln!(out, "| `{}` | {} | {written} | {} |", f.name, f.ty, f.doc);
        }
    }
    out
}

/// The functions of the rule language, from their table: the section of
/// `docs/rule-language.md` between its `functions` markers.
pub fn functions_markdown() -> String {
    let mut out = String::from("\n| function | |\n|---|---|\n");
    for (name, _, doc) in crate::check::engine::builtins::BUILTINS {
        let _ = writeln!(out, "| `{name}` | {doc} |");
    }
    out
}

/// Whether `text` names `word` as a whole word.
fn names_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !part(before) && !part(after)
    })
}

/// One figure of the law: its title, and each version with the date it took effect.
fn law_table(law: &stdlib::Law) -> String {
    let mut out = format!(
        "\n### `{}`: {}\n\n{}\n\n| in force from | figure | source |\n|---|---|---|\n",
        law.id, law.title, law.docs
    );
    for v in &law.versions {
        let _ = writeln!(out, "| {} | {} | {} |", v.since, v.value, v.source);
    }
    out
}

/// `docs/law.md`: every figure of the law the rules apply, by date, with its source.
pub fn law_markdown() -> String {
    let mut out = String::from(
        "# The law by date\n\n<!-- Generated from std/law.org by `UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n\n\
         The legal rules apply the law in force on the date that matters: for a proposal to dismiss, \
         the day the collective consultation starts, else the day the paper is published; for a \
         structure (who may hold which statutory role), the day it takes effect (the timeline's \
         `effective` entry), else the day the paper is published, else, when the spec gives no \
         date, the law in force now (the latest version). Each figure \
         below is in force from its date until the next version; where the amendment applies to \
         proposals made on or after a date, the date is that one. A date before the first version has \
         no figure here, and the rules say nothing about it. A date that is uncertain across a change \
         (a month that holds the day of a change) gives both figures, and a rule reports only what \
         breaks both.\n\n\
         Figures the law leaves to regulations not yet made are set in `orgspec.toml`: the \
         organisation-wide threshold of the Employment Rights Act 2025 s29 (`[rules.consultation_lead_time]` \
         `organisation_threshold`), and a local policy's longer periods (`local_days`).\n",
    );
    for law in stdlib::laws() {
        out.push_str(&law_table(law));
        let users: Vec<&str> = RULES
            .iter()
            .filter(|r| stdlib::find(r.id).is_some_and(|s| names_word(&s.source, &law.id)))
            .map(|r| r.id)
            .collect();
        if !users.is_empty() {
            let _ = writeln!(
                out,
                "\nApplied by {}.",
                users
                    .iter()
                    .map(|u| format!("[`{u}`](rules.md#{u})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    out
}

/// `docs/roles.md`: the statutory roles orgspec knows, from the catalogue in
/// `src/vocab/roles.rs`.
pub fn roles_markdown() -> String {
    use crate::vocab::roles::ROLES;
    let mut out = String::from(
        "# Statutory roles\n\n<!-- Generated from src/vocab/roles.rs by `UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n\n\
         A post holds statutory roles with `statutory ROLE, …`, for its employer, or for the authorities \
         of `statutory_for` (a joint appointment: `statutory_for rbkc, wcc`). The roles below are the \
         ones orgspec knows; any other word is a local role, accepted unless it looks like a \
         misspelling of one of these, and the rules that need to know a role's nature say nothing \
         about it. Rules read this table through `role(r)` ([rule-language.md](rule-language.md)).\n\n\
         - **single**: an authority has one holder (`statutory_role_shared`); otherwise several \
         are lawful.\n\
         - **chief officer**: one post holding two needs an assurance (`dual_statutory_role`).\n\
         - **answers to**: the council itself; directly the head of paid service (the chief \
         executive, `statutory_tier`); or its line manager.\n\n\
         | role | title | single | chief officer | answers to | created by |\n|---|---|---|---|---|---|\n",
    );
    for r in ROLES {
        let yes = |b: bool| if b { "yes" } else { "no" };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            r.id,
            r.title,
            yes(r.single),
            yes(r.chief),
            r.answers_to.describe(),
            r.source
        );
    }
    out.push_str(
        "\nRoles the law keeps apart (`statutory_incompatible`, by date: [law.md](law.md)): the \
         monitoring officer and the chief finance officer; the monitoring officer and the head of \
         paid service of a council.\n",
    );
    out
}

/// The parameters of the standard library's rules, as their `param` lines declare them:
/// the table of `docs/configuration.md` between its `params` markers.
pub fn params_markdown() -> String {
    let mut out = String::from("\n| rule | parameter | default |\n|---|---|---|\n");
    for r in RULES {
        let Some(std) = stdlib::find(r.id) else {
            continue;
        };
        for line in std.source.lines() {
            let Some(rest) = line.trim().strip_prefix("param ") else {
                continue;
            };
            if let Some((name, value)) = rest.split_once('=') {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | `{}` |",
                    r.id,
                    name.trim(),
                    value.trim()
                );
            }
        }
    }
    out
}
