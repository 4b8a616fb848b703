//! `orgspec.toml`: which rules run, at what severity, with which parameters.
//!
//! ```toml
//! [rules]
//! select = ["funding_sum", "tier_gap"]   # only these (language errors always run)
//! ignore = ["service_classification"]   # switched off
//! tier_gap = "off"                      # or "error", "warning", "info"
//!
//! [rules.span_of_control]
//! severity = "error"
//! limit = 15                            # a `param` of the rule
//! ```
//!
//! The file is read into the source map, so its mistakes are diagnostics like any other,
//! with spans in the TOML: a misspelt key or rule id (with a suggestion), a severity that
//! is not one, a parameter value of the wrong kind. A rule id that is neither built in
//! nor a rule of a checked spec is reported once every spec has been read
//! ([`unresolved`]).

use std::path::Path;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::check::engine::{self, ParamSetting, RuleSetting, Settings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::names::{closest, with_suggestion};
use crate::source::{FileId, SourceMap, Span};
use crate::vocab::catalogue::{self, Checked};
use crate::vocab::{Base, Ty};

pub const FILE_NAME: &str = "orgspec.toml";

const SEVERITIES: [&str; 4] = ["off", "error", "warning", "info"];

/// Add the settings file at `path` (its bytes read by the caller: the CLI does the IO)
/// to `sources` and turn it into settings; its mistakes are the diagnostics.
pub fn load(path: &Path, bytes: Vec<u8>, sources: &mut SourceMap) -> (Settings, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let (text, bad_utf8) = match String::from_utf8(bytes) {
        Ok(t) => (t, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    let file = sources.add(path.to_path_buf(), text);
    if let Some(at) = bad_utf8 {
        out.push(
            Diagnostic::error(
                "syntax_error",
                Span::new(file, at, at),
                "this file is not UTF-8 text",
            )
            .with_label(format!("the bytes at {at} are not UTF-8"))
            .with_help("save orgspec.toml as UTF-8"),
        );
        return (Settings::default(), out);
    }
    let text = sources.get(file).text.clone();
    let mut reader = Reader {
        file,
        out: Vec::new(),
        settings: Settings::default(),
    };
    reader.read(&text);
    out.extend(reader.out);
    (reader.settings, out)
}

/// The rule ids the settings name that no checked spec defines and that are not built in:
/// reported once every unit has been read, since a spec's own rules may be named.
pub fn unresolved(settings: &Settings, user_rules: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, span) in &settings.origins {
        if catalogue::lookup(id).is_some() || user_rules.iter().any(|u| u == id) {
            continue;
        }
        let known = catalogue::RULES
            .iter()
            .map(|r| r.id)
            .chain(user_rules.iter().map(String::as_str));
        let close = closest(id, known);
        let d = Diagnostic::error("unknown_name", *span, format!("there is no rule `{id}`"))
            .with_label("not a built-in rule, nor a rule of the checked specs");
        out.push(with_suggestion(d, &close, *span, || {
            "`orgspec rules` lists the built-in rules".to_string()
        }));
    }
    out
}

struct Reader {
    file: FileId,
    out: Vec<Diagnostic>,
    settings: Settings,
}

impl Reader {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    fn read(&mut self, text: &str) {
        let (root, errors) = DeTable::parse_recoverable(text);
        for e in &errors {
            let span = e.span().unwrap_or(0..0);
            self.out.push(
                Diagnostic::error("syntax_error", self.span(span), format!("orgspec.toml is not valid TOML: {}", e.message()))
                    .with_label("cannot read from here")
                    .with_help("see https://toml.io; a rule's settings are written `[rules.RULE]` then `key = value` lines"),
            );
        }
        if !errors.is_empty() {
            return;
        }
        for (key, value) in root.get_ref() {
            if key.get_ref().as_ref() == "rules" {
                match value.get_ref() {
                    DeValue::Table(rules) => self.rules(rules),
                    other => self.wrong_kind(value.span(), "`rules`", "a table (`[rules]`)", other),
                }
            } else {
                self.unknown_key(key, &["rules"], "orgspec.toml has one table, `[rules]`");
            }
        }
    }

    fn rules(&mut self, rules: &DeTable) {
        for (key, value) in rules {
            let name = key.get_ref().as_ref();
            match name {
                "select" => {
                    let ids = self.rule_list(value, "`select`");
                    self.settings.only = Some(ids);
                }
                "ignore" => {
                    for id in self.rule_list(value, "`ignore`") {
                        self.settings.rules.entry(id).or_default().severity = Some(None);
                    }
                }
                _ => {
                    let id_span = self.span(key.span());
                    if !self.rule_id(name, id_span) {
                        continue;
                    }
                    match value.get_ref() {
                        DeValue::String(s) => {
                            if let Some(level) = self.severity(s, value.span()) {
                                self.settings.rules.entry(name.to_string()).or_default().severity =
                                    Some(level);
                            }
                        }
                        DeValue::Table(table) => self.rule_table(name, table),
                        other => self.wrong_kind(
                            value.span(),
                            &format!("the setting of `{name}`"),
                            "a severity (`\"off\"`, `\"error\"`, `\"warning\"`, `\"info\"`) or a table of settings",
                            other,
                        ),
                    }
                }
            }
        }
    }

    /// `[rules.ID]`: `severity` and the rule's parameters.
    fn rule_table(&mut self, id: &str, table: &DeTable) {
        let mut setting = RuleSetting::default();
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            if name == "severity" {
                match value.get_ref() {
                    DeValue::String(s) => {
                        if let Some(level) = self.severity(s, value.span()) {
                            setting.severity = Some(level);
                        }
                    }
                    other => self.wrong_kind(
                        value.span(),
                        "`severity`",
                        "one of \"off\", \"error\", \"warning\", \"info\"",
                        other,
                    ),
                }
                continue;
            }
            if let Some(p) = self.param(id, key, value) {
                setting.params.push(p);
            }
        }
        let entry = self.settings.rules.entry(id.to_string()).or_default();
        if setting.severity.is_some() {
            entry.severity = setting.severity;
        }
        entry.params.extend(setting.params);
    }

    /// One parameter of a rule: checked against the rule's `param` when the rule is built
    /// in; a spec's own rule checks it when it runs.
    fn param(
        &mut self,
        id: &str,
        key: &Spanned<toml::de::DeString>,
        value: &Spanned<DeValue>,
    ) -> Option<ParamSetting> {
        let name = key.get_ref().as_ref();
        let name_span = self.span(key.span());
        let span = self.span(value.span());
        let declared = match catalogue::lookup(id) {
            Some(info) if info.checked == Checked::Std => {
                let rule = engine::stdlib::find(id).map(|r| &r.compiled);
                let params = rule.map_or(&[][..], |r| &r.params[..]);
                if let Some(p) = params.iter().find(|p| p.name == name) {
                    Some(p)
                } else {
                    let close = closest(
                        name,
                        params.iter().map(|p| p.name.as_str()).chain(["severity"]),
                    );
                    let listed = if params.is_empty() {
                        format!("`{id}` has no parameters, only `severity`")
                    } else {
                        format!(
                            "the settings of `{id}` are `severity` and {}",
                            params
                                .iter()
                                .map(|p| format!("`{}`", p.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    let d = Diagnostic::error(
                        "unknown_field",
                        name_span,
                        format!("`{id}` has no setting `{name}`"),
                    )
                    .with_label("no such parameter");
                    self.out
                        .push(with_suggestion(d, &close, name_span, || listed));
                    return None;
                }
            }
            Some(_) => {
                let close = closest(name, ["severity"].into_iter());
                let d = Diagnostic::error(
                    "unknown_field",
                    name_span,
                    format!("`{id}` has no setting `{name}`"),
                )
                .with_label("no such parameter");
                self.out.push(with_suggestion(d, &close, name_span, || {
                    format!(
                        "`{id}` is built into the compiler and has no parameters, only `severity`"
                    )
                }));
                return None;
            }
            None => None,
        };
        if let (Some(p), DeValue::Array(items)) = (declared, value.get_ref()) {
            if !self.list_elements(id, p, items) {
                return None;
            }
        }
        let literal = literal(
            value.get_ref(),
            declared.is_some_and(|p| p.ty.base == Base::Str),
        )?;
        let (val, ty) = match engine::literal_value(&literal) {
            Some(v) => v,
            None => match value.get_ref() {
                // a spec's own rule may take a string
                DeValue::String(s) if declared.is_none() => {
                    (engine::Val::Text(Arc::from(s.as_ref())), Ty::one(Base::Str))
                }
                _ => {
                    let wanted =
                        declared.map_or_else(|| "a plain value".to_string(), |p| p.ty.to_string());
                    self.out.push(
                        Diagnostic::error("invalid_value", span, format!("`{name}` of `{id}` takes {wanted}"))
                            .with_label("not a value orgspec can read")
                            .with_help("write numbers as numbers (`limit = 15`); percentages, money, dates and names as strings (`\"50%\"`, `\"£30_000\"`, `\"2008-04-01\"`, `\"s113\"`); lists as arrays"),
                    );
                    return None;
                }
            },
        };
        let setting = ParamSetting {
            name: name.to_string(),
            name_span,
            value: val,
            ty,
            span,
        };
        if let Some(p) = declared {
            if let Some(mut d) = engine::param_mismatch(id, p, &setting) {
                // the default, as the standard library writes it, is the example to follow
                let written = engine::stdlib::find(id).and_then(|r| {
                    r.source.lines().find_map(|l| {
                        let rest = l.trim().strip_prefix("param ")?;
                        let (n, v) = rest.split_once('=')?;
                        (n.trim() == p.name).then(|| v.trim().to_string())
                    })
                });
                if let Some(default) = written {
                    d.help = Some(format!(
                        "`{}` takes {}; its default is `{default}` (in orgspec.toml, numbers as numbers, words and amounts in quotes: `{} = {}`)",
                        p.name,
                        p.ty,
                        p.name,
                        toml_example(&default)
                    ));
                }
                self.out.push(d);
                return None;
            }
        }
        Some(setting)
    }

    /// Each element of a list given to a rule's list of words (`kinds`, `local_outcomes`):
    /// a bad one is reported at itself, with the words the parameter takes. Whether all
    /// were good.
    fn list_elements(&mut self, id: &str, p: &engine::Param, items: &[Spanned<DeValue>]) -> bool {
        let engine::Val::List(default) = &p.default else {
            return true;
        };
        let words: Vec<&str> = default
            .iter()
            .filter_map(|v| match v.val {
                engine::Val::Sym(w) => Some(w),
                _ => None,
            })
            .collect();
        let of_words = p.ty.base == Base::Sym || (p.ty.base == Base::Nothing && default.is_empty());
        if !p.ty.list || !of_words {
            return true;
        }
        let allowed = crate::vocab::words::table_with(&words);
        let listed = |words: &[&str]| {
            words
                .iter()
                .map(|w| format!("`\"{w}\"`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut good = true;
        for item in items {
            let span = self.span(item.span());
            let found = match item.get_ref() {
                DeValue::String(s) => s.to_string(),
                DeValue::Integer(i) => i.as_str().to_string(),
                DeValue::Float(f) => f.as_str().to_string(),
                DeValue::Boolean(b) => b.to_string(),
                other => other.type_str().to_string(),
            };
            let bad = match (item.get_ref(), &allowed) {
                (DeValue::String(s), Some(table)) => !table.contains(&s.as_ref()),
                (DeValue::String(_), None) => false,
                _ => true,
            };
            if !bad {
                continue;
            }
            good = false;
            let (message, help) = match &allowed {
                Some(table) => (
                    format!(
                        "`{found}` is not one of the values `{}` of `{id}` takes",
                        p.name
                    ),
                    format!("write any of {}", listed(table)),
                ),
                None => (
                    format!(
                        "`{}` of `{id}` takes a list of names in quotes, and `{found}` is not one",
                        p.name
                    ),
                    format!(
                        "write each as a string: `{} = [\"reduced hours agreed\"]`",
                        p.name
                    ),
                ),
            };
            self.out.push(
                Diagnostic::error("invalid_value", span, message)
                    .with_label(format!("not a value of `{}`", p.name))
                    .with_help(help),
            );
        }
        good
    }

    /// Whether `id` may be configured; built-in language errors may not. Unknown ids are
    /// kept for [`unresolved`].
    fn rule_id(&mut self, id: &str, span: Span) -> bool {
        match catalogue::lookup(id) {
            Some(info) if !info.allowable => {
                self.out.push(
                    Diagnostic::error("invalid_value", span, format!("`{id}` cannot be configured"))
                        .with_label("a language error")
                        .with_help("language errors mean the spec cannot be read as written; they always run, as errors"),
                );
                false
            }
            Some(_) => true,
            None => {
                self.settings.origins.push((id.to_string(), span));
                true
            }
        }
    }

    fn rule_list(&mut self, value: &Spanned<DeValue>, what: &str) -> Vec<String> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_kind(
                value.span(),
                what,
                "a list of rule ids (`[\"tier_gap\"]`)",
                value.get_ref(),
            );
            return Vec::new();
        };
        let mut ids = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => {
                    let inner = inside_quotes(self.span(item.span()));
                    if self.rule_id(s, inner) {
                        ids.push(s.to_string());
                    }
                }
                other => self.wrong_kind(
                    item.span(),
                    &format!("an entry of {what}"),
                    "a rule id in quotes",
                    other,
                ),
            }
        }
        ids
    }

    /// `None` when the word is not a severity (reported); `Some(None)` for "off", as in
    /// `RuleSetting::severity`.
    #[allow(clippy::option_option)]
    fn severity(&mut self, word: &str, range: std::ops::Range<usize>) -> Option<Option<Severity>> {
        match word {
            "off" => Some(None),
            "error" => Some(Some(Severity::Error)),
            "warning" => Some(Some(Severity::Warning)),
            "info" => Some(Some(Severity::Info)),
            _ => {
                let span = self.span(range);
                let close = closest(word, SEVERITIES.into_iter());
                let d =
                    Diagnostic::error("invalid_value", span, format!("`{word}` is not a severity"))
                        .with_label("expected \"off\", \"error\", \"warning\" or \"info\"");
                self.out
                    .push(with_suggestion(d, &close, inside_quotes(span), || {
                        "a severity is \"off\", \"error\", \"warning\" or \"info\"".to_string()
                    }));
                None
            }
        }
    }

    fn unknown_key(&mut self, key: &Spanned<toml::de::DeString>, known: &[&str], help: &str) {
        let name = key.get_ref().as_ref();
        let span = self.span(key.span());
        let close = closest(name, known.iter().copied());
        let d = Diagnostic::error(
            "unknown_field",
            span,
            format!("orgspec.toml has no setting `{name}`"),
        )
        .with_label("unknown key");
        self.out
            .push(with_suggestion(d, &close, span, || help.to_string()));
    }

    fn wrong_kind(
        &mut self,
        range: std::ops::Range<usize>,
        what: &str,
        wanted: &str,
        got: &DeValue,
    ) {
        let span = self.span(range);
        self.out.push(
            Diagnostic::error(
                "type_mismatch",
                span,
                format!("{what} is {wanted}, not {}", got.type_str()),
            )
            .with_label(format!("{} here", got.type_str())),
        );
    }
}

/// The text of a TOML string without its quotes (every TOML quote is one byte), so a
/// suggested fix replaces the word and keeps the quotes.
fn inside_quotes(span: Span) -> Span {
    let start = span.start + 1;
    Span {
        start,
        end: span.end.saturating_sub(1).max(start),
        ..span
    }
}

/// A TOML value as the rule language writes it: numbers and booleans as they are, a
/// string as its contents (`"50%"` is a percentage, `"s113"` a name) unless the parameter
/// takes text, an array as `[a, b]`. `None` for a table (no parameter takes one).
fn literal(value: &DeValue, text: bool) -> Option<String> {
    Some(match value {
        DeValue::String(s) if text => {
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        }
        // a string is a value of the rule language when it reads as one (`"50%"`, `"s113"`),
        // else text (`"placed in phase 1"`)
        DeValue::String(s) if engine::literal_value(s).is_some() => s.to_string(),
        DeValue::String(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('+', ""),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => {
            let parts: Option<Vec<String>> =
                items.iter().map(|i| literal(i.get_ref(), text)).collect();
            format!("[{}]", parts?.join(", "))
        }
        DeValue::Table(_) => return None,
    })
}

/// A rule-language default as orgspec.toml writes it: `15` stays, `50%` is `"50%"`,
/// `[citywide, extended]` is `["citywide", "extended"]`.
fn toml_example(default: &str) -> String {
    let one = |v: &str| {
        let v = v.trim();
        if v.parse::<f64>().is_ok() || v == "true" || v == "false" || v.starts_with('"') {
            v.to_string()
        } else {
            format!("\"{v}\"")
        }
    };
    match default.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(inner) if inner.trim().is_empty() => "[]".to_string(),
        Some(inner) => format!(
            "[{}]",
            inner.split(',').map(one).collect::<Vec<_>>().join(", ")
        ),
        None => one(default),
    }
}
