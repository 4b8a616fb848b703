//! Every item but posts: those made of fields are lowered by their rows
//! (`fields.rs`); `align`, `slot`, the timeline, rules and `@allow` have syntax of their own.

use super::messages::{unexpected_after, unknown_field};
use super::Lowerer;
use crate::decl::Org;
use crate::decl::{
    Agreement, Align, Allow, Area, Budget, OrgIx, Person, Pool, Proposal, Service, Slot, Spanned,
    SpecInfo,
};
use crate::diagnostic::Diagnostic;
use crate::resolve::names::{closest, with_suggestion};
use crate::source::Span;
use crate::syntax::ast::{AtomKind, Item, Value};
use crate::vocab::catalogue;
use crate::vocab::Namespace;

impl<'a> Lowerer<'a, '_> {
    /// An item made of fields: its id, its title, then its fields by their rows.
    fn named<T: super::fields::SetField>(
        &mut self,
        item: &Item,
        make: impl FnOnce(Span, Option<String>, Span) -> T,
    ) -> T {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut value = make(id, name, item.span);
        self.item_fields(item, &mut value, id);
        value
    }

    pub(super) fn lower_spec(&mut self, item: &Item) {
        let spec = self.named(item, SpecInfo::new);
        let id = spec.id;
        if let Some(first) = self.spec_seen {
            self.push(
                Diagnostic::error("duplicate_name", id, "a paper has one `spec`, and this one has two")
                    .with_label("second spec")
                    .with_secondary(first, "first spec")
                    .with_help(
                        "keep one `spec` per paper; a file shares the `spec` of the files it `use`s, so put the spec in one of them",
                    ),
            );
            return;
        }
        self.spec_seen = Some(id);
        self.decls.spec = Some(spec);
    }

    pub(super) fn item_id(item: &Item) -> Span {
        item.first_atom()
            .filter(|a| matches!(a.kind, AtomKind::Word))
            .map_or(item.kind, |a| a.span)
    }

    pub(super) fn lower_org(&mut self, item: &Item) {
        let org = self.named(item, Org::new);
        self.decls.orgs.push(org);
    }

    pub(super) fn lower_area(&mut self, item: &Item) {
        let area = self.named(item, Area::new);
        self.decls.areas.push(area);
    }

    pub(super) fn lower_person(&mut self, item: &Item) {
        let person = self.named(item, Person::new);
        self.decls.persons.push(person);
    }

    pub(super) fn lower_pool(&mut self, item: &Item) {
        let pool = self.named(item, Pool::new);
        self.decls.pools.push(pool);
    }

    pub(super) fn lower_service(&mut self, item: &Item) {
        let service = self.named(item, Service::new);
        self.decls.services.push(service);
    }

    pub(super) fn lower_agreement(&mut self, item: &Item) {
        let agreement = self.named(item, Agreement::new);
        self.decls.agreements.push(agreement);
    }

    pub(super) fn lower_budget(&mut self, item: &Item) {
        let budget = self.named(item, Budget::new);
        self.decls.budgets.push(budget);
    }

    pub(super) fn lower_proposal(&mut self, item: &Item) {
        let proposal = self.named(item, Proposal::new);
        self.decls.proposals.push(proposal);
    }

    pub(super) fn lower_align(&mut self, item: &Item) {
        let usage = "write `align ORG TIER = ORG TIER`, e.g. `align sbc 3 = ntpct 4`";
        let Some(header) = &item.header else {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    item.kind,
                    "expected two org tiers after `align`",
                )
                .with_label("nothing is aligned")
                .with_help(usage),
            );
            return;
        };
        let Some((_, right)) = header.eq.as_deref() else {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    header.span,
                    "expected `=` between the two sides of `align`",
                )
                .with_label("one side only")
                .with_help(usage),
            );
            return;
        };
        let left = self.align_side(&header.value, usage);
        let right = self.align_side(right, usage);
        if let (Some(left), Some(right)) = (left, right) {
            self.decls.aligns.push(Align {
                left,
                right,
                span: item.span,
            });
        }
    }

    fn align_side(&mut self, v: &Value, usage: &str) -> Option<(OrgIx, i64)> {
        let term = match (v.old.as_slice(), &v.new) {
            ([t], None) if t.atoms.len() == 2 => t,
            _ => {
                self.push(
                    Diagnostic::error(
                        "syntax_error",
                        v.span,
                        "each side of `align` is an org and a tier",
                    )
                    .with_label("expected `ORG TIER`")
                    .with_help(usage),
                );
                return None;
            }
        };
        let org = self.resolve_org_atom(&term.atoms[0], "align");
        let tier = self.whole_number(&term.atoms[1], "a tier");
        Some((org?, i64::from(tier?)))
    }

    pub(super) fn lower_slot(&mut self, item: &Item) {
        let usage = "write `slot OLD_POST, … -> NEW_POST`";
        let Some(header) = &item.header else {
            self.push(
                Diagnostic::error("syntax_error", item.kind, "expected posts after `slot`")
                    .with_label("nothing is slotted")
                    .with_help(usage),
            );
            return;
        };
        let Some((arrow, to_terms)) = header.value.new_side() else {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    header.span,
                    "expected `->` and the new post",
                )
                .with_label("a slot moves holders of these posts into a new post")
                .with_help(usage),
            );
            return;
        };
        let mut from = Vec::new();
        let mut partial = false;
        for a in self.name_list(&header.value.old, "a slot") {
            if let Some(p) = self.post_ref(a, "`slot`") {
                from.push(Spanned {
                    value: p,
                    span: a.span,
                });
            } else {
                partial = true;
            }
        }
        let targets = self.name_list(to_terms, "a slot");
        if targets.len() > 1 {
            self.push(
                Diagnostic::error(
                    "type_mismatch",
                    targets[1].span,
                    "a slot moves holders into one post",
                )
                .with_label("a second post")
                .with_help("write one `slot` per new post"),
            );
        }
        let Some(target) = targets.first() else {
            self.push(
                Diagnostic::error("syntax_error", arrow, "expected the new post after `->`")
                    .with_label("no post")
                    .with_help(usage),
            );
            return;
        };
        let Some(to) = self.post_ref(target, "`slot`") else {
            return;
        };
        if let Some(block) = &item.block {
            if let Some(f) = block.fields.first() {
                self.push(unknown_field(self.text(f.name), f.name, &[], "slot"));
            }
        }
        self.decls.slots.push(Slot {
            from,
            partial,
            to: Spanned {
                value: to,
                span: target.span,
            },
            item: item.span,
        });
    }

    /// A `rule` is type-checked by the check stage, where the model it reads exists;
    /// here it is only kept, its id declared in pass 1.
    pub(super) fn lower_rule(&mut self, item: &'a Item) {
        if item.rule.is_none() {
            self.push(
                Diagnostic::error("syntax_error", item.kind, "a rule needs a `{ … }` body")
                    .with_label("no body")
                    .with_help("write `rule my_rule \"Title\" { for p in posts; require …; message \"…\" }`"),
            );
            return;
        }
        self.rules.push(item);
    }

    pub(super) fn lower_allows(&mut self, item: &Item) {
        for ann in &item.annotations {
            let name = self.text(ann.name);
            if name != "allow" {
                let mut d = Diagnostic::error(
                    "syntax_error",
                    ann.name,
                    format!("unknown annotation `@{name}`"),
                )
                .with_label("orgspec knows only `@allow`");
                if closest(name, ["allow"].into_iter()).is_empty() {
                    d = d.with_help(
                        "write `@allow(rule_id, \"reason\")` to accept a finding on this item",
                    );
                } else {
                    d = d.with_help("did you mean `@allow`?").with_fix(
                        "replace with `allow`",
                        ann.name,
                        "allow",
                    );
                }
                self.push(d);
                continue;
            }
            let Some(rule_atom) = ann
                .args
                .first()
                .filter(|a| matches!(a.kind, AtomKind::Word))
            else {
                self.push(
                    Diagnostic::error("missing_field", ann.span, "this `@allow` names no rule")
                        .with_label("expected a rule id")
                        .with_help("write `@allow(rule_id, \"reason\")`, e.g. `@allow(tier_gap, \"reports to the Director by statute\")`"),
                );
                continue;
            };
            let rule = self.text(rule_atom.span);
            let user_rule = self.names.get(Namespace::Rule, rule).is_some();
            match catalogue::lookup(rule) {
                None if user_rule => {}
                None => {
                    let user_ids: Vec<String> = self
                        .names
                        .ids(Namespace::Rule)
                        .map(str::to_string)
                        .collect();
                    let mut candidates: Vec<&str> = user_ids.iter().map(String::as_str).collect();
                    for id in catalogue::ids() {
                        candidates.push(id);
                    }
                    let close = closest(rule, candidates.iter().copied());
                    let d = Diagnostic::error(
                        "unknown_name",
                        rule_atom.span,
                        format!("unknown rule `{rule}`"),
                    )
                    .with_label("no rule has this id");
                    let d = with_suggestion(d, &close, rule_atom.span, || {
                        "`orgspec check` names the rule of each finding in brackets, e.g. `warning[tier_gap]`".into()
                    });
                    self.push(d);
                    continue;
                }
                Some(r) if !r.allowable => {
                    self.push(
                        Diagnostic::error(
                            "invalid_value",
                            rule_atom.span,
                            format!("`{rule}` cannot be allowed"),
                        )
                        .with_label("a language error must be fixed, not allowed")
                        .with_help("fix the problem the finding points at"),
                    );
                    continue;
                }
                Some(_) => {}
            }
            match ann.args.get(1) {
                Some(a) if matches!(a.kind, AtomKind::Str) && self.string(a).is_some_and(|s| !s.trim().is_empty()) => {}
                _ => self.push(
                    Diagnostic::error("missing_field", ann.span, format!("this `@allow({rule})` gives no reason"))
                        .with_label("a reason is required")
                        .with_help(format!(
                            "say why the finding is accepted, for the people who read the paper: `@allow({rule}, \"…\")`"
                        )),
                ),
            }
            if let Some(extra) = ann.args.get(2) {
                self.push(unexpected_after(self.src, extra, "the reason"));
            }
            self.decls.allows.push(Allow {
                rule: rule.to_string(),
                rule_span: rule_atom.span,
                item: item.span,
            });
        }
    }
}
