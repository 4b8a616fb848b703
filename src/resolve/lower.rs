//! Syntax tree → resolved declarations.
//!
//! Two passes over the items of a compilation unit: the first declares every id (so items
//! may appear in any order and across files), the second lowers each item, resolving its
//! references and checking each value's kind. Every problem is a diagnostic; lowering
//! carries on with what it could read.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::fields::{
    AGREEMENT_FIELDS, AREA_FIELDS, BUDGET_FIELDS, ITEM_KINDS, ORG_FIELDS, POOL_FIELDS, POST_FIELDS,
    SERVICE_FIELDS, SPEC_FIELDS, STATUTORY_ROLES,
};
use super::names::{closest, did_you_mean, with_suggestion, Entry, Names, Namespace};
use crate::check::registry;
use crate::diagnostic::Diagnostic;
use crate::model::decl::{
    Accountable, Agreement, AgreementKind, Align, Allow, Area, AreaIx, Budget, Candidate, Event,
    EventKind, Fallback, Grade, GradeIx, GradeSpec, Holder, Known, Lifecycle, Managed, Org, OrgIx,
    OrgKind, Person, PersonIx, Pool, Post, PostIx, PostState, Reason, Route, Service, ServiceIx,
    ServiceKind, ServiceLevel, Share, Slot, Spanned, SpecInfo, SpecStatus, StateIx,
};
use crate::model::Decls;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Atom, AtomKind, Field, Item, Term, Value};
use crate::value::{parse_decimal, Date, Decimal};

/// What an item is, once its keyword is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Use,
    Spec,
    Org,
    Align,
    Grade,
    Area,
    Person,
    Post(Lifecycle),
    Slot,
    Pool,
    Service,
    Agreement,
    Timeline,
    Budget,
    Rule,
}

impl Kind {
    fn namespace(self) -> Option<Namespace> {
        Some(match self {
            Kind::Spec => Namespace::Spec,
            Kind::Org => Namespace::Org,
            Kind::Area => Namespace::Area,
            Kind::Person => Namespace::Person,
            Kind::Post(_) => Namespace::Post,
            Kind::Pool => Namespace::Pool,
            Kind::Service => Namespace::Service,
            Kind::Agreement => Namespace::Agreement,
            Kind::Budget => Namespace::Budget,
            Kind::Rule => Namespace::Rule,
            _ => return None,
        })
    }
}

/// The unit's ids: owned while pass 1 declares them, shared read-only by the workers of
/// pass 2 that lower posts on every core.
enum NamesHandle<'a, 'n> {
    Own(Box<Names<'a>>),
    Shared(&'n Names<'a>),
}

impl<'a> std::ops::Deref for NamesHandle<'a, '_> {
    type Target = Names<'a>;
    fn deref(&self) -> &Names<'a> {
        match self {
            NamesHandle::Own(n) => n,
            NamesHandle::Shared(n) => n,
        }
    }
}

impl<'a> NamesHandle<'a, '_> {
    fn declare(&mut self, ns: Namespace, name: &'a str, entry: Entry) -> Result<(), Entry> {
        match self {
            NamesHandle::Own(n) => n.declare(ns, name, entry),
            NamesHandle::Shared(_) => unreachable!("ids are declared in pass 1, before sharing"),
        }
    }
}

/// Below this many posts, posts are lowered on one thread.
const PARALLEL_POSTS: usize = 2048;

pub struct Lowerer<'a, 'n> {
    src: &'a SourceMap,
    names: NamesHandle<'a, 'n>,
    grades_by_org: FxHashMap<(OrgIx, &'a str), GradeIx>,
    pub decls: Decls,
    pub diagnostics: Vec<Diagnostic>,
    spec_seen: Option<Span>,
    /// `tbd`s of the item being lowered.
    open_questions: Vec<(Span, String)>,
    /// The name of the field being lowered, for values whose findings point at it.
    field_name: Span,
    /// Where each id is declared and used, for editors; `None` when checking.
    pub index: Option<super::NameIndex>,
}

/// Read an item's kind, reporting an unknown keyword.
fn item_kind(src: &SourceMap, item: &Item, diagnostics: &mut Vec<Diagnostic>) -> Option<Kind> {
    let text = src.slice(item.kind);
    let kind = match text {
        "use" => Kind::Use,
        "spec" => Kind::Spec,
        "org" => Kind::Org,
        "align" => Kind::Align,
        "grade" => Kind::Grade,
        "area" => Kind::Area,
        "person" => Kind::Person,
        "post" => Kind::Post(match item.lifecycle {
            None => Lifecycle::Continuing,
            Some((ast::Lifecycle::New, _)) => Lifecycle::New,
            Some((ast::Lifecycle::Deleted, _)) => Lifecycle::Deleted,
        }),
        "slot" => Kind::Slot,
        "pool" => Kind::Pool,
        "service" => Kind::Service,
        "agreement" => Kind::Agreement,
        "timeline" => Kind::Timeline,
        "budget" => Kind::Budget,
        "rule" => Kind::Rule,
        _ => {
            let close = closest(text, ITEM_KINDS.iter().copied());
            let mut d = Diagnostic::error(
                "syntax_error",
                item.kind,
                format!("`{text}` is not an item keyword"),
            )
            .with_label("expected an item such as `post`, `org` or `pool`");
            d = with_suggestion(d, &close, item.kind, || {
                format!(
                    "items are: {}",
                    ITEM_KINDS
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            diagnostics.push(d);
            return None;
        }
    };
    if let Some((_, span)) = item.lifecycle {
        if !matches!(kind, Kind::Post(_)) {
            let word = src.slice(span);
            diagnostics.push(
                Diagnostic::error(
                    "syntax_error",
                    span,
                    format!("`{word}` can only stand before `post`"),
                )
                .with_label(format!("`{word} {text}` is not an item"))
                .with_help(format!(
                    "remove `{word}`: only posts are created or deleted by a restructure"
                )),
            );
        }
    }
    Some(kind)
}

impl<'a, 'n> Lowerer<'a, 'n> {
    pub fn new(src: &'a SourceMap) -> Lowerer<'a, 'n> {
        Lowerer {
            src,
            names: NamesHandle::Own(Box::new(Names::new())),
            grades_by_org: FxHashMap::default(),
            decls: Decls::default(),
            diagnostics: Vec::new(),
            spec_seen: None,
            open_questions: Vec::new(),
            field_name: Span::default(),
            index: None,
        }
    }

    /// Also record where each id is declared and used (`self.index`).
    #[must_use]
    pub fn indexing(mut self) -> Self {
        self.index = Some(super::NameIndex::default());
        self
    }

    fn text(&self, span: Span) -> &'a str {
        self.src.slice(span)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    // -----------------------------------------------------------------------------------
    // Pass 1: declare
    // -----------------------------------------------------------------------------------

    /// Lower all items of a unit (files in load order).
    pub fn lower(self, items: &[&'a Item]) -> (Decls, Vec<Diagnostic>) {
        let (decls, diagnostics, _) = self.lower_indexed(items);
        (decls, diagnostics)
    }

    /// [`Lowerer::lower`], also returning the name index when [`Lowerer::indexing`].
    pub fn lower_indexed(
        mut self,
        items: &[&'a Item],
    ) -> (Decls, Vec<Diagnostic>, Option<super::NameIndex>) {
        if let NamesHandle::Own(names) = &mut self.names {
            let posts = items
                .iter()
                .filter(|i| self.src.slice(i.kind) == "post")
                .count();
            names.reserve(Namespace::Post, posts);
        }
        let mut kinds = Vec::with_capacity(items.len());
        let mut counters: FxHashMap<Namespace, u32> = FxHashMap::default();
        for item in items {
            let kind = item_kind(self.src, item, &mut self.diagnostics);
            kinds.push(kind);
            let Some(kind) = kind else { continue };
            if let Some(ns) = kind.namespace() {
                if let Some(id) = self.header_id(item, kind) {
                    let n = counters.entry(ns).or_insert(0);
                    let index = *n;
                    *n += 1;
                    self.declare(ns, id, index);
                } else {
                    // keep indices aligned with the vectors pass 2 fills
                    *counters.entry(ns).or_insert(0) += 1;
                }
            }
            if kind == Kind::Timeline {
                self.declare_timeline_ids(item);
            }
        }
        // Grades need their org, so they are declared once every org is.
        for (item, kind) in items.iter().zip(&kinds) {
            if *kind == Some(Kind::Grade) {
                self.declare_grade(item);
            }
        }
        rank_grades(&mut self.decls.grades);

        // Pass 2: lower. Posts, the bulk of a large spec, are lowered on every core.
        let mut posts: Vec<(&'a Item, Lifecycle)> = Vec::new();
        for (item, kind) in items.iter().zip(kinds) {
            let Some(kind) = kind else { continue };
            if let Kind::Post(lifecycle) = kind {
                posts.push((item, lifecycle));
                continue;
            }
            self.lower_allows(item);
            match kind {
                Kind::Use | Kind::Grade => {}
                Kind::Spec => self.lower_spec(item),
                Kind::Org => self.lower_org(item),
                Kind::Align => self.lower_align(item),
                Kind::Area => self.lower_area(item),
                Kind::Person => self.lower_person(item),
                Kind::Post(_) => unreachable!("posts are lowered below"),
                Kind::Slot => self.lower_slot(item),
                Kind::Pool => self.lower_pool(item),
                Kind::Service => self.lower_service(item),
                Kind::Agreement => self.lower_agreement(item),
                Kind::Timeline => self.lower_timeline(item),
                Kind::Budget => self.lower_budget(item),
                Kind::Rule => self.lower_rule(item),
            }
            self.flush_undecided(item);
        }
        self.lower_posts(&posts);
        self.regrade_by_employer();
        (self.decls, self.diagnostics, self.index)
    }

    /// Lower posts in declaration order, in parallel chunks for a large spec: each worker
    /// shares the declared names and fills its own states, merged in order afterwards.
    fn lower_posts(&mut self, posts: &[(&'a Item, Lifecycle)]) {
        let src = self.src;
        let indexing = self.index.is_some();
        let lower_chunk = |names: &Names<'a>, chunk: &[(&'a Item, Lifecycle)]| {
            let mut worker = Lowerer {
                src,
                names: NamesHandle::Shared(names),
                grades_by_org: FxHashMap::default(),
                decls: Decls::default(),
                diagnostics: Vec::new(),
                spec_seen: None,
                open_questions: Vec::new(),
                field_name: Span::default(),
                index: indexing.then(super::NameIndex::default),
            };
            worker.decls.posts.reserve(chunk.len());
            for &(item, lifecycle) in chunk {
                worker.lower_allows(item);
                worker.lower_post(item, lifecycle);
                worker.flush_undecided(item);
            }
            (worker.decls, worker.diagnostics, worker.index)
        };
        let names: &Names<'a> = &self.names;
        let parts: Vec<(Decls, Vec<Diagnostic>, Option<super::NameIndex>)> =
            if posts.len() < PARALLEL_POSTS {
                vec![lower_chunk(names, posts)]
            } else {
                let size = posts.len().div_ceil(rayon::current_num_threads() * 4);
                posts
                    .par_chunks(size)
                    .map(|chunk| lower_chunk(names, chunk))
                    .collect()
            };
        self.decls.posts.reserve(posts.len());
        for (mut part, diagnostics, index) in parts {
            if let (Some(all), Some(mut part)) = (self.index.as_mut(), index) {
                all.references.append(&mut part.references);
            }
            let offset = self.decls.states.append(std::mem::take(&mut part.states));
            for post in &mut part.posts {
                post.before = post.before.map(|s| StateIx(s.0 + offset));
                post.after = post.after.map(|s| StateIx(s.0 + offset));
            }
            self.decls.posts.append(&mut part.posts);
            self.decls.allows.append(&mut part.allows);
            self.diagnostics.extend(diagnostics);
        }
    }

    /// A grade name resolves first to any employer's grade of that name; once the post's
    /// employer is known, prefer the employer's own grade of the same name.
    fn regrade_by_employer(&mut self) {
        let (grades, by_org, src) = (&self.decls.grades, &self.grades_by_org, self.src);
        let fix = |g: GradeIx, org: OrgIx| {
            if grades[g.ix()].org == org {
                return g;
            }
            by_org
                .get(&(org, src.slice(grades[g.ix()].id)))
                .copied()
                .unwrap_or(g)
        };
        for state in self.decls.states.iter_mut() {
            let (Some(org), Known::Given(spec, span)) = (state.employer.given(), state.grade)
            else {
                continue;
            };
            let spec = match spec {
                GradeSpec::One(g) => GradeSpec::One(fix(g, org)),
                GradeSpec::Between(a, b) => GradeSpec::Between(fix(a, org), fix(b, org)),
            };
            state.grade = Known::Given(spec, span);
        }
    }

    fn declare(&mut self, ns: Namespace, id: Span, index: u32) {
        if let Some(names) = self.index.as_mut() {
            names.declarations.push((ns, id));
        }
        let name = self.text(id);
        if let Err(first) = self.names.declare(ns, name, Entry { index, span: id }) {
            self.push(duplicate(ns, name, id, first.span));
        }
    }

    /// The id of an item that has one: the first word of its header.
    fn header_id(&mut self, item: &Item, kind: Kind) -> Option<Span> {
        let what = match kind {
            Kind::Post(_) => "post",
            Kind::Spec => "spec",
            Kind::Org => "org",
            Kind::Area => "area",
            Kind::Person => "person",
            Kind::Pool => "pool",
            Kind::Service => "service",
            Kind::Agreement => "agreement",
            Kind::Budget => "budget",
            Kind::Rule => "rule",
            _ => return None,
        };
        let first = item
            .header
            .as_ref()
            .and_then(|h| h.value.old.first())
            .and_then(|t| t.atoms.first());
        match first {
            Some(a)
                if matches!(a.kind, AtomKind::Word)
                    && a.span.start == item.header.as_ref()?.span.start =>
            {
                Some(a.span)
            }
            Some(a) => {
                let found = self.text(a.span);
                self.push(
                    Diagnostic::error("syntax_error", a.span, format!("expected {} {what} id after `{what}`, found `{found}`", article(what)))
                        .with_label(format!("expected {} {what} id here", article(what)))
                        .with_help(format!(
                            "write `{what} ID \"Title\"`, where ID is a name such as `head_of_operations`"
                        )),
                );
                None
            }
            None => {
                self.push(
                    Diagnostic::error("syntax_error", item.kind, format!("expected {} {what} id after `{what}`", article(what)))
                        .with_label(format!("this {what} has no id"))
                        .with_help(format!(
                            "write `{what} ID \"Title\"`, where ID is a name such as `head_of_operations`"
                        )),
                );
                None
            }
        }
    }

    fn declare_timeline_ids(&mut self, item: &Item) {
        let Some(block) = &item.block else { return };
        for field in &block.fields {
            if let Some(id) = timeline_entry_id(self.src, field) {
                let index = self.decls.events.len() as u32; // ids only: lookups are by name
                self.declare(Namespace::Event, id, index);
            }
        }
    }

    fn declare_grade(&mut self, item: &'a Item) {
        let Some(header) = &item.header else {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    item.kind,
                    "expected an employer and a grade id after `grade`",
                )
                .with_label("this grade has no name")
                .with_help(
                    "write `grade ORG GRADE [£LOW..£HIGH]`, e.g. `grade sbc PO15 £38_000..£41_000`",
                ),
            );
            return;
        };
        let atoms: Vec<&Atom> = header
            .value
            .old
            .iter()
            .flat_map(|t| t.atoms.iter())
            .collect();
        let (Some(org_atom), Some(id_atom)) = (atoms.first(), atoms.get(1)) else {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    header.span,
                    "expected an employer and a grade id after `grade`",
                )
                .with_label("a grade belongs to an employer's pay scale")
                .with_help(
                    "write `grade ORG GRADE [£LOW..£HIGH]`, e.g. `grade sbc PO15 £38_000..£41_000`",
                ),
            );
            return;
        };
        let Some(org) = self.resolve_org_atom(org_atom, "grade") else {
            return;
        };
        if !matches!(id_atom.kind, AtomKind::Word) {
            self.push(self.kind_mismatch(id_atom, "a grade id such as `PO15`", "the grade"));
            return;
        }
        let pay = match atoms.get(2) {
            None => None,
            Some(a) => self.money_range(a),
        };
        if let Some(extra) = atoms.get(3) {
            self.push(unexpected_after(self.src, extra, "the grade's pay range"));
        }
        let name = self.text(id_atom.span);
        let rank = self.decls.grades.iter().filter(|g| g.org == org).count() as u32;
        let ix = GradeIx(self.decls.grades.len() as u32);
        if let Some(&first) = self.grades_by_org.get(&(org, name)) {
            let first_span = self.decls.grades[first.ix()].id;
            self.push(duplicate(Namespace::Grade, name, id_atom.span, first_span));
            return;
        }
        self.grades_by_org.insert((org, name), ix);
        if let Some(index) = self.index.as_mut() {
            index.declarations.push((Namespace::Grade, id_atom.span));
        }
        let _ = self.names.declare(
            Namespace::Grade,
            name,
            Entry {
                index: ix.0,
                span: id_atom.span,
            },
        );
        self.decls.grades.push(Grade {
            org,
            id: id_atom.span,
            rank,
            pay,
            item: item.span,
        });
    }

    fn money_range(&mut self, a: &Atom) -> Option<(Decimal, Decimal)> {
        if let AtomKind::Range(lo, hi) = &a.kind {
            {
                let lo_v = self.money(lo)?;
                let hi_v = self.money(hi)?;
                if lo_v > hi_v {
                    self.push(
                        Diagnostic::error("invalid_value", a.span, "this pay range runs backwards")
                            .with_label(format!(
                                "{} is more than {}",
                                crate::value::money(lo_v),
                                crate::value::money(hi_v)
                            ))
                            .with_help("write the lower bound first: `£LOW..£HIGH`"),
                    );
                    return None;
                }
                Some((lo_v, hi_v))
            }
        } else {
            self.push(self.kind_mismatch(
                a,
                "a pay range such as `£38_000..£41_000`",
                "a grade's pay",
            ));
            None
        }
    }

    // -----------------------------------------------------------------------------------
    // Annotations
    // -----------------------------------------------------------------------------------

    /// A `rule` is type-checked by the check stage, where the model it reads exists;
    /// here it is only kept, its id declared in pass 1.
    fn lower_rule(&mut self, item: &Item) {
        if item.rule.is_none() {
            self.push(
                Diagnostic::error("syntax_error", item.kind, "a rule needs a `{ … }` body")
                    .with_label("no body")
                    .with_help("write `rule my_rule \"Title\" { for p in posts; require …; message \"…\" }`"),
            );
            return;
        }
        self.decls.rules.push(item.clone());
    }

    fn lower_allows(&mut self, item: &Item) {
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
            match registry::lookup(rule) {
                None if user_rule => {}
                None => {
                    let user_ids: Vec<String> = self
                        .names
                        .ids(Namespace::Rule)
                        .map(str::to_string)
                        .collect();
                    let mut candidates: Vec<&str> = user_ids.iter().map(String::as_str).collect();
                    for id in registry::ids() {
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

    // -----------------------------------------------------------------------------------
    // Values
    // -----------------------------------------------------------------------------------

    fn string(&mut self, a: &Atom) -> Option<String> {
        match crate::syntax::unescape(self.text(a.span), a.span) {
            Ok(text) => Some(text),
            Err(d) => {
                self.push(*d);
                None
            }
        }
    }

    fn kind_mismatch(&self, a: &Atom, expected: &str, what: &str) -> Diagnostic {
        let found = self.text(a.span);
        Diagnostic::error(
            "type_mismatch",
            a.span,
            format!(
                "{what} needs {expected}, found {} `{}`",
                a.kind.describe(),
                clip(found)
            ),
        )
        .with_label(format!("expected {expected}"))
        .with_help(format!(
            "write {expected} here; `tbd` stands for a value not decided yet"
        ))
    }

    fn is_word(&self, a: &Atom, w: &str) -> bool {
        matches!(a.kind, AtomKind::Word) && self.text(a.span) == w
    }

    /// Note a `tbd`; the notes of one item are reported together by [`Self::flush_undecided`].
    fn undecided(&mut self, span: Span, what: &str) {
        let what = [
            "the post's ",
            "a service's ",
            "an org's ",
            "an agreement's ",
        ]
        .iter()
        .fold(what, |w, prefix| w.trim_start_matches(prefix));
        self.open_questions.push((span, what.to_string()));
    }

    /// One `undecided` note per item: its open questions, each `tbd` labelled.
    fn flush_undecided(&mut self, item: &Item) {
        if self.open_questions.is_empty() {
            return;
        }
        let questions = std::mem::take(&mut self.open_questions);
        let subject = self.subject(item);
        let whats: Vec<&str> = questions.iter().map(|(_, w)| w.as_str()).collect();
        let list = match whats.as_slice() {
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => unreachable!("not empty"),
        };
        let verb = if whats.len() == 1 { "is" } else { "are" };
        let (first_span, first_what) = &questions[0];
        let mut d = Diagnostic::info(
            "undecided",
            *first_span,
            format!("{subject}: {list} {verb} not decided yet"),
        )
        .with_label(format!("{first_what}: `tbd`"))
        .with_help(
            "an open question of the paper: replace `tbd` with the value once it is decided",
        );
        for (span, what) in &questions[1..] {
            d = d.with_secondary(*span, format!("{what}: `tbd`"));
        }
        self.push(d);
    }

    /// "post `head_ops`", "the timeline": what an item is, for messages about it.
    fn subject(&self, item: &Item) -> String {
        let kind = self.text(item.kind);
        if kind == "timeline" {
            return "the timeline".into();
        }
        match item
            .header
            .as_ref()
            .and_then(|h| h.value.old.first())
            .and_then(|t| t.atoms.first())
        {
            Some(a) if matches!(a.kind, AtomKind::Word) => {
                format!("{kind} `{}`", self.text(a.span))
            }
            _ => format!("this `{kind}`"),
        }
    }

    /// The single atom of a one-value field, reporting anything else.
    fn single<'t>(&mut self, terms: &'t [Term], what: &str) -> Option<&'t Atom> {
        match terms {
            [t] if t.atoms.len() == 1 && t.key.is_none() => Some(&t.atoms[0]),
            [t, ..] if t.atoms.is_empty() => None,
            [t] => {
                let extra = t.atoms.get(1).unwrap_or(&t.atoms[0]);
                let found = self.text(extra.span);
                let first_is_field = POST_FIELDS.contains(&found) || ORG_FIELDS.contains(&found);
                let mut d = Diagnostic::error(
                    "type_mismatch",
                    extra.span,
                    format!("{what} takes one value"),
                )
                .with_label(format!("unexpected `{}`", clip(found)));
                d = if first_is_field {
                    d.with_help(format!(
                        "if `{found}` starts another field, put it on its own line or after `;`"
                    ))
                } else {
                    d.with_help("give one value, or separate list items with `,` where the field takes a list")
                };
                self.push(d);
                None
            }
            [_, second, ..] => {
                self.push(
                    Diagnostic::error(
                        "type_mismatch",
                        second.span,
                        format!("{what} takes one value, not a list"),
                    )
                    .with_label("unexpected second value")
                    .with_help("keep one value"),
                );
                None
            }
            [] => None,
        }
    }

    fn whole_number(&mut self, a: &Atom, what: &str) -> Option<u32> {
        if !matches!(a.kind, AtomKind::Number) || self.text(a.span).contains('.') {
            self.push(self.kind_mismatch(a, "a whole number", what));
            return None;
        }
        let text: String = self.text(a.span).chars().filter(|&c| c != '_').collect();
        if let Ok(n) = text.parse::<u32>() {
            Some(n)
        } else {
            self.push(
                Diagnostic::error("invalid_value", a.span, format!("{what} is too large"))
                    .with_label("more than 4,294,967,295")
                    .with_help("check the number"),
            );
            None
        }
    }

    fn decimal(&mut self, a: &Atom, what: &str) -> Option<Decimal> {
        if !matches!(a.kind, AtomKind::Number) {
            self.push(self.kind_mismatch(a, "a number", what));
            return None;
        }
        parse_decimal(self.text(a.span)).or_else(|| {
            self.push(
                Diagnostic::error("invalid_value", a.span, format!("{what} is out of range"))
                    .with_label("too many digits")
                    .with_help("check the number"),
            );
            None
        })
    }

    fn money(&mut self, a: &Atom) -> Option<Decimal> {
        if !matches!(a.kind, AtomKind::Money) {
            self.push(self.kind_mismatch(a, "an amount of money such as `£30_000`", "this value"));
            return None;
        }
        let text = &self.text(a.span)[2..]; // `£` is two bytes
        if let Some((_, pence)) = text.split_once('.') {
            if pence.len() != 2 {
                self.push(
                    Diagnostic::error(
                        "invalid_value",
                        a.span,
                        "money has exactly two decimal places",
                    )
                    .with_label(format!(
                        "{} decimal place{}",
                        pence.len(),
                        if pence.len() == 1 { "" } else { "s" }
                    ))
                    .with_help(
                        "write pounds and pence as `£41_850.50`, or whole pounds as `£41_850`",
                    ),
                );
                return None;
            }
        }
        parse_decimal(text)
    }

    fn date(&mut self, a: &Atom, what: &str) -> Option<Date> {
        if !matches!(a.kind, AtomKind::Date) {
            self.push(self.kind_mismatch(a, "a date such as `2008-04-01`", what));
            return None;
        }
        match Date::parse(self.text(a.span)) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(
                    Diagnostic::error(
                        "invalid_value",
                        a.span,
                        format!("`{}` is not a real date", self.text(a.span)),
                    )
                    .with_label(e.to_string())
                    .with_help("dates are written `YYYY-MM-DD`, or `YYYY-MM` for a whole month"),
                );
                None
            }
        }
    }

    fn known_date(&mut self, terms: &[Term], what: &str) -> Known<Date> {
        let Some(a) = self.single(terms, what) else {
            return written(terms);
        };
        if self.is_word(a, "tbd") {
            self.undecided(a.span, what);
            return Known::Undecided(a.span);
        }
        self.date(a, what)
            .map_or(Known::Invalid(a.span), |d| Known::Given(d, a.span))
    }

    fn enumerated<T: Copy>(
        &mut self,
        terms: &[Term],
        what: &str,
        options: &[(&str, T)],
    ) -> Known<T> {
        let Some(a) = self.single(terms, what) else {
            return written(terms);
        };
        if self.is_word(a, "tbd") {
            self.undecided(a.span, what);
            return Known::Undecided(a.span);
        }
        self.enum_atom(a, what, options)
            .map_or(Known::Invalid(a.span), |v| Known::Given(v, a.span))
    }

    fn enum_atom<T: Copy>(&mut self, a: &Atom, what: &str, options: &[(&str, T)]) -> Option<T> {
        let listed = options
            .iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if !matches!(a.kind, AtomKind::Word) {
            self.push(self.kind_mismatch(a, &format!("one of {listed}"), what));
            return None;
        }
        let text = self.text(a.span);
        if let Some((_, v)) = options.iter().find(|(n, _)| *n == text) {
            return Some(*v);
        }
        let close = closest(text, options.iter().map(|(n, _)| *n));
        let mut d = Diagnostic::error(
            "invalid_value",
            a.span,
            format!("`{text}` is not a valid value for {what}"),
        )
        .with_label(format!("expected one of {listed}"));
        d = with_suggestion(d, &close, a.span, || format!("{what} is one of {listed}"));
        self.push(d);
        None
    }

    /// Resolve a name in the namespaces `ns`, reporting unknown names and names of the
    /// wrong kind. `what` reads as "`reports_to`".
    fn reference(&mut self, a: &Atom, ns: &[Namespace], what: &str) -> Option<(Namespace, u32)> {
        let expected = || {
            ns.iter()
                .map(|n| format!("{} {}", n.article(), n.noun()))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        if !matches!(a.kind, AtomKind::Word) {
            self.push(self.kind_mismatch(a, &expected(), what));
            return None;
        }
        let name = self.text(a.span);
        for &n in ns {
            if let Some(e) = self.names.get(n, name) {
                if let Some(index) = self.index.as_mut() {
                    index.references.push((a.span, n, e.span));
                }
                return Some((n, e.index));
            }
        }
        if let Some((other, entry)) = self.names.elsewhere(name, ns) {
            let expected = expected();
            self.push(
                Diagnostic::error(
                    "type_mismatch",
                    a.span,
                    format!(
                        "`{name}` is {} {}, but {what} needs {expected}",
                        other.article(),
                        other.noun()
                    ),
                )
                .with_label(format!("this is {} {}", other.article(), other.noun()))
                .with_secondary(
                    entry.span,
                    format!(
                        "`{name}` is declared here as {} {}",
                        other.article(),
                        other.noun()
                    ),
                )
                .with_help(format!("name {expected} here")),
            );
            return None;
        }
        let close = self.names.suggest(ns, name);
        let noun = ns.first().map_or("item", |n| n.noun());
        let mut d = Diagnostic::error("unknown_name", a.span, format!("unknown {noun} `{name}`"))
            .with_label(format!(
                "no {} is called `{name}`",
                ns.iter().map(|n| n.noun()).collect::<Vec<_>>().join(" or ")
            ));
        d = with_suggestion(d, &close, a.span, || {
            format!("declare it, e.g. `{noun} {name} …`, or check the spelling")
        });
        self.push(d);
        None
    }

    /// A list of names, each resolved in one of the namespaces `ns` and made into a value.
    fn references<T>(
        &mut self,
        terms: &[Term],
        ns: &[Namespace],
        what: &str,
        make: impl Fn(Namespace, u32) -> T,
    ) -> Vec<Spanned<T>> {
        let mut out = Vec::new();
        for a in self.name_list(terms, what) {
            if let Some((n, i)) = self.reference(a, ns, what) {
                out.push(Spanned {
                    value: make(n, i),
                    span: a.span,
                });
            }
        }
        out
    }

    fn resolve_org_atom(&mut self, a: &Atom, what: &str) -> Option<OrgIx> {
        self.reference(a, &[Namespace::Org], &format!("`{what}`"))
            .map(|(_, i)| OrgIx(i))
    }

    fn post_ref(&mut self, a: &Atom, what: &str) -> Option<PostIx> {
        self.reference(a, &[Namespace::Post], what)
            .map(|(_, i)| PostIx(i))
    }

    fn known_post(&mut self, terms: &[Term], what: &str) -> Known<PostIx> {
        let Some(a) = self.single(terms, what) else {
            return written(terms);
        };
        if self.is_word(a, "tbd") {
            self.undecided(a.span, what);
            return Known::Undecided(a.span);
        }
        if self.is_word(a, "none") {
            return Known::Absent;
        }
        self.post_ref(a, what)
            .map_or(Known::Invalid(a.span), |p| Known::Given(p, a.span))
    }

    fn known_org(&mut self, terms: &[Term], what: &str) -> Known<OrgIx> {
        let Some(a) = self.single(terms, what) else {
            return written(terms);
        };
        if self.is_word(a, "tbd") {
            self.undecided(a.span, what);
            return Known::Undecided(a.span);
        }
        if self.is_word(a, "none") {
            return Known::Absent;
        }
        self.reference(a, &[Namespace::Org], what)
            .map_or(Known::Invalid(a.span), |(_, i)| {
                Known::Given(OrgIx(i), a.span)
            })
    }

    /// Every atom of a comma list of single names (a list may be bracketed).
    /// A whole list written `tbd`.
    fn lone_tbd(&self, terms: &[Term]) -> Option<Span> {
        match terms {
            [t] => match t.atoms.as_slice() {
                [a] if self.is_word(a, "tbd") => Some(a.span),
                _ => None,
            },
            _ => None,
        }
    }

    fn name_list<'t>(&mut self, terms: &'t [Term], what: &str) -> Vec<&'t Atom> {
        if let Some(tbd) = self.lone_tbd(terms) {
            self.undecided(tbd, what);
            return Vec::new();
        }
        let mut out = Vec::new();
        for t in terms {
            for (i, a) in t.atoms.iter().enumerate() {
                if let AtomKind::List(inner) = &a.kind {
                    out.extend(self.name_list(inner, what));
                    continue;
                }
                if i > 0 {
                    self.push(
                        Diagnostic::error(
                            "type_mismatch",
                            a.span,
                            format!("expected `,` between the items of {what}"),
                        )
                        .with_label("a second value without a comma")
                        .with_help("separate list items with commas: `a, b, c`"),
                    );
                    break;
                }
                out.push(a);
            }
        }
        out
    }

    fn title_and_name(&mut self, item: &Item) -> Option<String> {
        let header = item.header.as_ref()?;
        let term = header.value.old.first()?;
        let mut name = None;
        // the id comes first; when it is missing (already reported) the name may stand first
        let skip = usize::from(
            term.atoms
                .first()
                .is_some_and(|a| matches!(a.kind, AtomKind::Word)),
        );
        for a in term.atoms.iter().skip(skip) {
            if matches!(a.kind, AtomKind::Str) && name.is_none() {
                name = self.string(a);
            } else {
                self.push(unexpected_after(self.src, a, "the item's name"));
                break;
            }
        }
        if let Some(extra) = header.value.old.get(1).or(header
            .value
            .new
            .as_ref()
            .and_then(|n| n.1.first()))
        {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    extra.span,
                    "unexpected value in the item header",
                )
                .with_label("not part of this item")
                .with_help("fields go inside the item's `{ … }` block"),
            );
        }
        if let Some((eq, _)) = header.eq.as_deref() {
            self.push(
                Diagnostic::error("syntax_error", *eq, "unexpected `=` in the item header")
                    .with_label("only `align` uses `=`")
                    .with_help("fields go inside the item's `{ … }` block"),
            );
        }
        name
    }

    /// Fields of a block, with "unknown field" for names not in `allowed`; transitions are
    /// refused outside posts.
    fn fields<'t>(
        &mut self,
        item: &'t Item,
        allowed: &[&str],
        kind: &str,
    ) -> Vec<(&'t Field, &'a str)> {
        let Some(block) = &item.block else {
            return Vec::new();
        };
        // at most a few dozen fields: a vector beats a hash map here
        let mut seen: Vec<(&str, Span)> = Vec::new();
        let mut out = Vec::new();
        for f in &block.fields {
            let name = self.text(f.name);
            if !allowed.contains(&name) {
                self.push(unknown_field(name, f.name, allowed, kind));
                continue;
            }
            if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == name) {
                self.push(
                    Diagnostic::error(
                        "duplicate_name",
                        f.name,
                        format!("`{name}` is given twice in this {kind}"),
                    )
                    .with_label("second value")
                    .with_secondary(first, "first value")
                    .with_help(format!(
                        "keep one `{name}`; a list is written `{name} a, b`"
                    )),
                );
                continue;
            }
            seen.push((name, f.name));
            if kind != "post" {
                if let Some(v) = &f.value {
                    if let Some((arrow, _)) = v.new_side() {
                        self.push(
                            Diagnostic::error(
                                "type_mismatch",
                                arrow,
                                "only a post's fields can change with `->`",
                            )
                            .with_label(format!("a {kind} is the same before and after"))
                            .with_help("write the value the restructure ends with"),
                        );
                    }
                }
            }
            out.push((f, name));
        }
        out
    }

    fn terms<'t>(&mut self, f: &'t Field, what: &str, required: bool) -> &'t [Term] {
        if let Some(v) = &f.value {
            &v.old
        } else {
            {
                if required {
                    self.push(
                        Diagnostic::error(
                            "missing_field",
                            f.name,
                            format!("`{what}` has no value"),
                        )
                        .with_label("expected a value after the field name")
                        .with_help(format!("write `{what} VALUE`")),
                    );
                }
                &[]
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Items
    // -----------------------------------------------------------------------------------

    fn lower_spec(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let title = self.title_and_name(item);
        let mut spec = SpecInfo {
            id,
            title,
            authority: Known::Absent,
            published: Known::Absent,
            status: Known::Absent,
            redundancies: Known::Absent,
            item: item.span,
        };
        for (f, name) in self.fields(item, SPEC_FIELDS, "spec") {
            let terms = self.terms(f, name, true);
            match name {
                "authority" => spec.authority = self.known_org(terms, "`authority`"),
                "published" => spec.published = self.known_date(terms, "`published`"),
                "status" => {
                    spec.status = self.enumerated(terms, "`status`", SpecStatus::WORDS);
                }
                "redundancies" => {
                    if let Some(a) = self.single(terms, "`redundancies`") {
                        if self.is_word(a, "tbd") {
                            self.undecided(a.span, "`redundancies`");
                            spec.redundancies = Known::Undecided(a.span);
                        } else if let Some(n) = self.whole_number(a, "`redundancies`") {
                            spec.redundancies = Known::Given(n, a.span);
                        }
                    }
                }
                _ => unreachable!("field table"),
            }
        }
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

    fn item_id(item: &Item) -> Span {
        item.header
            .as_ref()
            .and_then(|h| h.value.old.first())
            .and_then(|t| t.atoms.first())
            .filter(|a| matches!(a.kind, AtomKind::Word))
            .map_or(item.kind, |a| a.span)
    }

    fn lower_org(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut org = Org {
            id,
            name,
            kind: None,
            tiers: None,
            from: None,
            until: None,
            item: item.span,
        };
        for (f, field) in self.fields(item, ORG_FIELDS, "org") {
            let terms = self.terms(f, field, true);
            match field {
                "kind" => {
                    org.kind = self
                        .enumerated(terms, "an org's `kind`", OrgKind::WORDS)
                        .given();
                }
                "tiers" => {
                    if let Some(a) = self.single(terms, "`tiers`") {
                        if let Some(n) = self.whole_number(a, "`tiers`") {
                            if n == 0 {
                                self.push(
                                    Diagnostic::error(
                                        "invalid_value",
                                        a.span,
                                        "an org has at least one tier",
                                    )
                                    .with_label("`tiers 0`")
                                    .with_help(
                                        "`tiers` is the number of tiers below the top of the body",
                                    ),
                                );
                            } else {
                                org.tiers = Some(Spanned {
                                    value: n,
                                    span: a.span,
                                });
                            }
                        }
                    }
                }
                "from" => org.from = self.known_date(terms, "`from`").given(),
                "until" => org.until = self.known_date(terms, "`until`").given(),
                _ => unreachable!("field table"),
            }
        }
        self.decls.orgs.push(org);
    }

    fn lower_align(&mut self, item: &Item) {
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

    fn lower_area(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut area = Area {
            id,
            name,
            includes: Vec::new(),
            item: item.span,
        };
        for (f, field) in self.fields(item, AREA_FIELDS, "area") {
            let terms = self.terms(f, field, true);
            area.includes =
                self.references(terms, &[Namespace::Area], "`includes`", |_, i| AreaIx(i));
        }
        self.decls.areas.push(area);
    }

    fn lower_person(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        if let Some(block) = &item.block {
            if let Some(f) = block.fields.first() {
                self.push(unknown_field(self.text(f.name), f.name, &[], "person"));
            }
        }
        self.decls.persons.push(Person {
            id,
            name,
            item: item.span,
        });
    }

    fn lower_post(&mut self, item: &Item, lifecycle: Lifecycle) {
        let id = Self::item_id(item);
        let title = self.title_and_name(item).unwrap_or_default();
        let wrote_title = item
            .header
            .as_ref()
            .and_then(|h| h.value.old.first())
            .is_some_and(|t| t.atoms.iter().any(|a| matches!(a.kind, AtomKind::Str)));
        if !wrote_title && item.header.is_some() {
            let at = item.header.as_ref().map_or(id, |h| h.span);
            self.push(
                Diagnostic::error("missing_field", at, format!("post `{}` has no title", self.text(id)))
                    .with_label("expected a title after the id")
                    .with_help(format!("write `post {} \"Head of Operations\"`: the title is what the paper calls the post", self.text(id))),
            );
        }
        let fields = self.fields(item, POST_FIELDS, "post");
        let has_transition = fields
            .iter()
            .any(|(f, _)| f.value.as_ref().is_some_and(|v| v.new.is_some()));
        // A post whose fields do not change has one state, shared by both sides: build it
        // once (`before` below), and a second only for a continuing post that changes.
        let two_sides = has_transition && lifecycle == Lifecycle::Continuing;
        let mut before = PostState::default();
        let mut after = PostState::default();
        for (f, name) in fields {
            self.field_name = f.name;
            let Some(v) = &f.value else {
                if name == "citywide" {
                    before.details_mut().citywide = true;
                    if two_sides {
                        after.details_mut().citywide = true;
                    }
                } else {
                    // reported as missing; mark it unreadable so no other check trips on it
                    self.terms(f, name, true);
                    PostField::Invalid(name.to_string(), f.name).apply(&mut before);
                    if two_sides {
                        PostField::Invalid(name.to_string(), f.name).apply(&mut after);
                    }
                }
                continue;
            };
            match (v.new_side(), lifecycle) {
                (None, _) => {
                    let value = self.post_field(name, &v.old);
                    if two_sides {
                        value.clone().apply(&mut after);
                    }
                    value.apply(&mut before);
                }
                (Some((_, new)), Lifecycle::Continuing) => {
                    self.post_field(name, &v.old).apply(&mut before);
                    self.post_field(name, new).apply(&mut after);
                }
                (Some((arrow, new)), Lifecycle::New) => {
                    self.push(
                        Diagnostic::error(
                            "invalid_value",
                            arrow,
                            format!("a new post has no old `{name}` to change"),
                        )
                        .with_label("a `new post` exists only after the restructure")
                        .with_help("write only the value after `->`"),
                    );
                    self.post_field(name, new).apply(&mut before);
                }
                (Some((arrow, _)), Lifecycle::Deleted) => {
                    self.push(
                        Diagnostic::error(
                            "invalid_value",
                            arrow,
                            format!("a deleted post has no new `{name}`"),
                        )
                        .with_label("a `deleted post` exists only before the restructure")
                        .with_help("write only the value before `->`"),
                    );
                    self.post_field(name, &v.old).apply(&mut before);
                }
            }
        }
        let name = self.text(id);
        // A misspelt `teir` is already reported with "did you mean `tier`?": do not also
        // report the tier as missing.
        let misspelt: Vec<&str> = item
            .block
            .iter()
            .flat_map(|b| b.fields.iter())
            .map(|f| self.text(f.name))
            .filter(|n| !POST_FIELDS.contains(n))
            .flat_map(|n| closest(n, ["employer", "tier"].into_iter()))
            .collect();
        let side = |lowerer: &mut Self, state: PostState, when: &str| -> StateIx {
            for (present, field) in [
                (state.employer.span().is_some(), "employer"),
                (state.tier.span().is_some(), "tier"),
            ] {
                if !present && !misspelt.contains(&field) {
                    let help = if field == "employer" {
                        "add `employer ORG`: every post belongs to one employing body".to_string()
                    } else {
                        "add `tier N`: the post's level below the top of its employer (1 = director)".to_string()
                    };
                    lowerer.push(
                        Diagnostic::error(
                            "missing_field",
                            id,
                            format!("post `{name}` has no `{field}`{when}"),
                        )
                        .with_label(format!("`{field}` is required"))
                        .with_help(help),
                    );
                }
            }
            lowerer.validate_state(&state);
            lowerer.decls.states.push(state)
        };
        let (b, a) = match lifecycle {
            Lifecycle::New => (None, Some(side(self, before, ""))),
            Lifecycle::Deleted => (Some(side(self, before, "")), None),
            Lifecycle::Continuing if !two_sides => {
                let s = side(self, before, "");
                (Some(s), Some(s))
            }
            Lifecycle::Continuing => {
                let b = side(self, before, " before the restructure");
                let a = side(self, after, " after the restructure");
                (Some(b), Some(a))
            }
        };
        self.decls.posts.push(Post {
            id,
            title,
            lifecycle,
            before: b,
            after: a,
            docs: item.docs.clone(),
            item: item.span,
            keyword: item.kind,
        });
    }

    /// Checks across the fields of one side of a post.
    fn validate_state(&mut self, s: &PostState) {
        if let (Some(v), count) = (s.vacancies, s.count()) {
            if v.value > count {
                self.push(
                    Diagnostic::error(
                        "invalid_value",
                        v.span,
                        format!("{} vacancies among {count} post{}", v.value, plural(count)),
                    )
                    .with_label("more vacancies than posts")
                    .with_help("`vacancies` counts the vacant posts among `count`"),
                );
            }
        }
    }

    fn post_field(&mut self, name: &str, terms: &[Term]) -> PostField {
        let value = self.post_field_value(name, terms);
        match value {
            PostField::Nothing => match terms.first() {
                Some(t) => PostField::Invalid(name.to_string(), t.span),
                None => PostField::Nothing,
            },
            v => v,
        }
    }

    fn post_field_value(&mut self, name: &str, terms: &[Term]) -> PostField {
        let what = quoted_post_field(name);
        // `none` is the absent value (e.g. `reports_to none -> head_ops`)
        if let [t] = terms {
            if let [a] = t.atoms.as_slice() {
                if self.is_word(a, "none") {
                    return PostField::None(name.to_string(), a.span);
                }
            }
        }
        match name {
            "employer" => PostField::Employer(self.known_org(terms, what)),
            "tier" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if self.is_word(a, "tbd") {
                    self.undecided(a.span, "`tier`");
                    return PostField::Tier(Known::Undecided(a.span));
                }
                match self.whole_number(a, "`tier`") {
                    Some(n) => PostField::Tier(Known::Given(n, a.span)),
                    None => PostField::Nothing,
                }
            }
            "reports_to" => PostField::ReportsTo(self.known_post(terms, what)),
            "supervised_by" => PostField::SupervisedBy(self.known_post(terms, what)),
            "seconded_from" => PostField::SecondedFrom(self.known_org(terms, what)),
            "title" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if !matches!(a.kind, AtomKind::Str) {
                    self.push(self.kind_mismatch(a, "a string", "`title`"));
                    return PostField::Nothing;
                }
                self.string(a);
                PostField::Title(a.span)
            }
            "assurance" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if !matches!(a.kind, AtomKind::Str) {
                    self.push(self.kind_mismatch(a, "a string naming the review", "`assurance`"));
                    return PostField::Nothing;
                }
                PostField::Assurance(a.span)
            }
            "accountable_to" => PostField::AccountableTo(self.references(
                terms,
                &[Namespace::Post, Namespace::Org],
                what,
                |ns, i| match ns {
                    Namespace::Post => Accountable::Post(PostIx(i)),
                    _ => Accountable::Org(OrgIx(i)),
                },
            )),
            "funded" => self.funding(terms),
            "count" | "vacancies" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if self.is_word(a, "tbd") {
                    self.undecided(a.span, &format!("the post's `{name}`"));
                    return PostField::Undecided(name.to_string(), a.span);
                }
                let Some(n) = self.whole_number(a, what) else {
                    return PostField::Nothing;
                };
                if name == "count" && n == 0 {
                    self.push(
                        Diagnostic::error("invalid_value", a.span, "`count 0` is not a post")
                            .with_label("a post is counted at least once")
                            .with_help("write `deleted post` for a post that goes, or `count 5 -> 4` when the number changes"),
                    );
                    return PostField::Nothing;
                }
                let v = Spanned {
                    value: n,
                    span: a.span,
                };
                if name == "count" {
                    PostField::Count(v)
                } else {
                    PostField::Vacancies(v)
                }
            }
            "fte" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                let Some(d) = self.decimal(a, "`fte`") else {
                    return PostField::Nothing;
                };
                if d <= Decimal::ZERO || d > Decimal::ONE {
                    self.push(
                        Diagnostic::error("invalid_value", a.span, format!("`fte {d}` is not possible"))
                            .with_label("fte is more than 0 and at most 1")
                            .with_help("fte is the fraction of a full-time post: 0.5 for half time; use `count` for several posts"),
                    );
                    return PostField::Nothing;
                }
                PostField::Fte(Spanned {
                    value: d,
                    span: a.span,
                })
            }
            "grade" => self.grade_field(terms),
            "cost" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if self.is_word(a, "tbd") {
                    self.undecided(a.span, "the post's `cost`");
                    return PostField::Cost(Known::Undecided(a.span));
                }
                match self.money(a) {
                    Some(m) => PostField::Cost(Known::Given(m, a.span)),
                    None => PostField::Nothing,
                }
            }
            "holder" => self.holder(terms),
            "manages" => PostField::Manages(self.references(
                terms,
                &[Namespace::Area, Namespace::Service],
                what,
                |ns, i| match ns {
                    Namespace::Area => Managed::Area(AreaIx(i)),
                    _ => Managed::Service(ServiceIx(i)),
                },
            )),
            "area" | "areas" => {
                let mut out = Vec::new();
                let list = self.name_list(terms, what);
                if name == "area" && list.len() > 1 {
                    self.push(
                        Diagnostic::error("type_mismatch", list[1].span, "`area` takes one area")
                            .with_label("a second area")
                            .with_help("write `areas a, b` for a post based in several areas"),
                    );
                }
                for a in list {
                    if let Some((_, i)) = self.reference(a, &[Namespace::Area], what) {
                        out.push(Spanned {
                            value: AreaIx(i),
                            span: a.span,
                        });
                    }
                }
                PostField::Areas(out)
            }
            "citywide" => PostField::Citywide,
            "service" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if self.is_word(a, "tbd") {
                    self.undecided(a.span, "the post's `service`");
                    return PostField::Service(Known::Undecided(a.span));
                }
                match self.reference(a, &[Namespace::Service], what) {
                    Some((_, i)) => PostField::Service(Known::Given(ServiceIx(i), a.span)),
                    None => PostField::Nothing,
                }
            }
            "discipline" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if !matches!(a.kind, AtomKind::Word) {
                    self.push(self.kind_mismatch(
                        a,
                        "a profession such as `social_work` or `nursing`",
                        "`discipline`",
                    ));
                    return PostField::Nothing;
                }
                PostField::Discipline(Spanned {
                    value: self.text(a.span).into(),
                    span: a.span,
                })
            }
            "statutory" => {
                let mut out = Vec::new();
                for a in self.name_list(terms, what) {
                    if !matches!(a.kind, AtomKind::Word) {
                        self.push(self.kind_mismatch(
                            a,
                            "a statutory role such as `dcs`",
                            "`statutory`",
                        ));
                        continue;
                    }
                    let role = self.text(a.span);
                    if !STATUTORY_ROLES.contains(&role) {
                        let close = closest(role, STATUTORY_ROLES.iter().copied());
                        if let Some(&best) = close.first() {
                            self.push(
                                Diagnostic::error(
                                    "unknown_name",
                                    a.span,
                                    format!("unknown statutory role `{role}`"),
                                )
                                .with_label("not a role orgspec knows, and close to one it does")
                                .with_help(did_you_mean(&close).unwrap_or_default())
                                .with_fix(
                                    format!("replace with `{best}`"),
                                    a.span,
                                    best,
                                ),
                            );
                            continue;
                        }
                    }
                    out.push(Spanned {
                        value: role.into(),
                        span: a.span,
                    });
                }
                PostField::Statutory(out)
            }
            "recruit" => {
                if let Some(tbd) = self.lone_tbd(terms) {
                    self.undecided(tbd, what);
                    return PostField::Undecided("recruit".into(), tbd);
                }
                let mut out = Vec::new();
                for a in self.name_list(terms, what) {
                    if let Some(r) = self.enum_atom(a, "`recruit`", Route::WORDS) {
                        out.push(Spanned {
                            value: r,
                            span: a.span,
                        });
                    }
                }
                PostField::Recruit(out)
            }
            "from" => PostField::From(self.known_date(terms, what)),
            "until" => PostField::Until(self.known_date(terms, what)),
            "reason" => {
                let Some(a) = self.single(terms, what) else {
                    return PostField::Nothing;
                };
                if matches!(a.kind, AtomKind::Str) {
                    self.string(a);
                    return PostField::Reason(Known::Given(Reason::Text, a.span));
                }
                if self.is_word(a, "tbd") {
                    self.undecided(a.span, "the `reason` for deleting it");
                    return PostField::Reason(Known::Undecided(a.span));
                }
                match self.enum_atom(a, "`reason`", Reason::WORDS) {
                    Some(r) => PostField::Reason(Known::Given(r, a.span)),
                    None => PostField::Nothing,
                }
            }
            _ => unreachable!("field table"),
        }
    }

    fn funding(&mut self, terms: &[Term]) -> PostField {
        let mut shares = Vec::new();
        let span = terms
            .first()
            .map(|t| t.span.to(terms.last().map_or(t.span, |l| l.span)));
        // A share that cannot be read is reported where it is; the list is then not summed,
        // so one misspelt funder is one finding, not two.
        let before = self.diagnostics.len();
        for t in terms {
            match t.atoms.as_slice() {
                [org, pct] if matches!(pct.kind, AtomKind::Percent) => {
                    let Some(o) = self.resolve_org_atom(org, "funded") else {
                        continue;
                    };
                    let text = self.text(pct.span);
                    let Some(p) = parse_decimal(&text[..text.len() - 1]) else {
                        continue;
                    };
                    if p > Decimal::ONE_HUNDRED || p.is_zero() {
                        self.push(
                            Diagnostic::error("invalid_value", pct.span, format!("a funding share of {} is not possible", crate::value::percent(p)))
                                .with_label("a share is more than 0% and at most 100%")
                                .with_help("write each funder's share of the post's cost, e.g. `funded sbc 50%, ntpct 50%`"),
                        );
                        continue;
                    }
                    shares.push(Share {
                        org: o,
                        percent: Some(p),
                        span: t.span,
                        org_span: org.span,
                    });
                }
                [org, pct] if self.is_word(pct, "tbd") => {
                    let Some(o) = self.resolve_org_atom(org, "funded") else {
                        continue;
                    };
                    self.undecided(
                        pct.span,
                        &format!("the share paid by `{}`", self.text(org.span)),
                    );
                    shares.push(Share {
                        org: o,
                        percent: None,
                        span: t.span,
                        org_span: org.span,
                    });
                }
                [org] if matches!(org.kind, AtomKind::Word) && self.text(org.span) != "tbd" => {
                    self.push(
                        Diagnostic::error(
                            "type_mismatch",
                            t.span,
                            format!("`{}` has no share", self.text(org.span)),
                        )
                        .with_label("expected `ORG PERCENT`")
                        .with_help("give each funder's share, e.g. `funded sbc 50%, ntpct 50%`"),
                    );
                }
                [a] if self.is_word(a, "tbd") => {
                    self.undecided(a.span, "the funding");
                    return PostField::Nothing;
                }
                [_, _, third, ..] => {
                    self.push(
                        Diagnostic::error(
                            "type_mismatch",
                            third.span,
                            "expected `,` between funding shares",
                        )
                        .with_label("a new share starts here")
                        .with_help("separate shares with commas: `funded sbc 50%, ntpct 50%`"),
                    );
                }
                _ => {
                    self.push(
                        Diagnostic::error(
                            "type_mismatch",
                            t.span,
                            "a funding share is an org and a percentage",
                        )
                        .with_label("expected `ORG PERCENT`")
                        .with_help("e.g. `funded sbc 50%, ntpct 50%`"),
                    );
                }
            }
        }
        let unreadable = self.diagnostics[before..]
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error);
        match span {
            // the findings about a whole funding list point at its `funded`
            Some(_) if !shares.is_empty() && !unreadable => PostField::Funded(Spanned {
                value: shares,
                span: self.field_name,
            }),
            _ => PostField::Nothing,
        }
    }

    fn grade_field(&mut self, terms: &[Term]) -> PostField {
        let Some(a) = self.single(terms, "`grade`") else {
            return PostField::Nothing;
        };
        if self.is_word(a, "tbd") {
            self.undecided(a.span, "the post's `grade`");
            return PostField::Grade(Known::Undecided(a.span));
        }
        // Grades resolve against the employer's table in `model`, once the employer is known:
        // here we only check that each named grade exists for some employer.
        let one = |this: &mut Self, g: &Atom| -> Option<GradeIx> {
            if !matches!(g.kind, AtomKind::Word) {
                this.push(this.kind_mismatch(g, "a grade such as `PO15`", "`grade`"));
                return None;
            }
            this.reference(g, &[Namespace::Grade], "`grade`")
                .map(|(_, i)| GradeIx(i))
        };
        match &a.kind {
            AtomKind::Range(lo, hi) => {
                let (l, h) = (one(self, lo), one(self, hi));
                match (l, h) {
                    (Some(l), Some(h)) => {
                        PostField::Grade(Known::Given(GradeSpec::Between(l, h), a.span))
                    }
                    _ => PostField::Nothing,
                }
            }
            _ => one(self, a).map_or(PostField::Nothing, |g| {
                PostField::Grade(Known::Given(GradeSpec::One(g), a.span))
            }),
        }
    }

    fn holder(&mut self, terms: &[Term]) -> PostField {
        let list = self.name_list(terms, "`holder`");
        let [first, ..] = list.as_slice() else {
            return PostField::Nothing;
        };
        if self.is_word(first, "vacant") {
            return PostField::Holder(Known::Given(Holder::Vacant, first.span));
        }
        if self.is_word(first, "tbd") {
            self.undecided(first.span, "the `holder`");
            return PostField::Holder(Known::Undecided(first.span));
        }
        let mut holder = None;
        for a in &list {
            match a.kind {
                AtomKind::Str => {
                    self.string(a);
                    holder.get_or_insert(Holder::Named);
                }
                _ => {
                    if let Some((_, i)) = self.reference(a, &[Namespace::Person], "`holder`") {
                        holder.get_or_insert(Holder::Person(PersonIx(i)));
                    }
                }
            }
        }
        holder.map_or(PostField::Nothing, |h| {
            PostField::Holder(Known::Given(h, first.span))
        })
    }

    fn lower_slot(&mut self, item: &Item) {
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
        for a in self.name_list(&header.value.old, "a slot") {
            if let Some(p) = self.post_ref(a, "`slot`") {
                from.push(Spanned {
                    value: p,
                    span: a.span,
                });
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
            to: Spanned {
                value: to,
                span: target.span,
            },
            item: item.span,
        });
    }

    fn lower_pool(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut pool = Pool {
            id,
            name,
            candidates: Vec::new(),
            posts: Vec::new(),
            fallback: Vec::new(),
            item: item.span,
        };
        let mut have = [false; 2];
        for (f, field) in self.fields(item, POOL_FIELDS, "pool") {
            let terms = self.terms(f, field, true);
            match field {
                "candidates" => {
                    have[0] = true;
                    pool.candidates = self.references(
                        terms,
                        &[Namespace::Post, Namespace::Person],
                        "`candidates`",
                        |ns, i| match ns {
                            Namespace::Post => Candidate::Post(PostIx(i)),
                            _ => Candidate::Person(PersonIx(i)),
                        },
                    );
                }
                "posts" => {
                    have[1] = true;
                    for a in self.name_list(terms, "`posts`") {
                        if let Some(p) = self.post_ref(a, "`posts`") {
                            pool.posts.push(Spanned {
                                value: p,
                                span: a.span,
                            });
                        }
                    }
                }
                "fallback" => {
                    for a in self.name_list(terms, "`fallback`") {
                        let text = self.text(a.span);
                        let special = match text {
                            "redeployment" => Some(Fallback::Redeployment),
                            "vr" => Some(Fallback::Vr),
                            "er" => Some(Fallback::Er),
                            _ => None,
                        };
                        if let Some(s) =
                            special.filter(|_| self.names.get(Namespace::Post, text).is_none())
                        {
                            pool.fallback.push(Spanned {
                                value: s,
                                span: a.span,
                            });
                        } else if let Some(p) = self.post_ref(a, "`fallback`") {
                            pool.fallback.push(Spanned {
                                value: Fallback::Post(p),
                                span: a.span,
                            });
                        }
                    }
                }
                _ => unreachable!("field table"),
            }
        }
        for (present, field, help) in [
            (
                have[0],
                "candidates",
                "name the posts whose holders are ring-fenced, e.g. `candidates cc_manager`",
            ),
            (
                have[1],
                "posts",
                "name the posts they compete for, e.g. `posts cc_manager`",
            ),
        ] {
            if !present {
                self.push(
                    Diagnostic::error(
                        "missing_field",
                        id,
                        format!("pool `{}` has no `{field}`", self.text(id)),
                    )
                    .with_label(format!("`{field}` is required"))
                    .with_help(help),
                );
            }
        }
        self.decls.pools.push(pool);
    }

    fn lower_service(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut s = Service {
            id,
            name,
            kind: Known::Absent,
            host: Known::Absent,
            level: Known::Absent,
            contacts: Vec::new(),
            item: item.span,
        };
        for (f, field) in self.fields(item, SERVICE_FIELDS, "service") {
            let terms = self.terms(f, field, true);
            match field {
                "kind" => {
                    s.kind = self.enumerated(terms, "a service's `kind`", ServiceKind::WORDS);
                }
                "level" => {
                    s.level = self.enumerated(terms, "a service's `level`", ServiceLevel::WORDS);
                }
                "host" => {
                    let Some(a) = self.single(terms, "`host`") else {
                        continue;
                    };
                    if self.is_word(a, "tbd") {
                        self.undecided(a.span, "the host locality");
                        s.host = Known::Undecided(a.span);
                    } else if let Some((_, i)) = self.reference(a, &[Namespace::Area], "`host`") {
                        s.host = Known::Given(AreaIx(i), a.span);
                    }
                }
                "contacts" => {
                    for t in terms {
                        let Some(key) = t.key else {
                            self.push(
                                Diagnostic::error("type_mismatch", t.span, "a contact is a locality and its posts")
                                    .with_label("expected `AREA: POST`")
                                    .with_help("e.g. `contacts north: portage_lead_n, central: [lead_c, deputy_c]`"),
                            );
                            continue;
                        };
                        let key_atom = Atom {
                            kind: AtomKind::Word,
                            span: key,
                        };
                        let Some((_, area)) =
                            self.reference(&key_atom, &[Namespace::Area], "a contact")
                        else {
                            continue;
                        };
                        let mut posts = Vec::new();
                        for a in self.name_list(
                            std::slice::from_ref(&Term {
                                key: None,
                                atoms: t.atoms.clone(),
                                span: t.span,
                            }),
                            "`contacts`",
                        ) {
                            if let Some(p) = self.post_ref(a, "`contacts`") {
                                posts.push(Spanned {
                                    value: p,
                                    span: a.span,
                                });
                            }
                        }
                        s.contacts.push((
                            Spanned {
                                value: AreaIx(area),
                                span: key,
                            },
                            posts,
                        ));
                    }
                }
                _ => unreachable!("field table"),
            }
        }
        self.decls.services.push(s);
    }

    fn lower_agreement(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut ag = Agreement {
            id,
            name,
            kind: Known::Absent,
            parties: Vec::new(),
            from: Known::Absent,
            until: Known::Absent,
            item: item.span,
        };
        for (f, field) in self.fields(item, AGREEMENT_FIELDS, "agreement") {
            let terms = self.terms(f, field, true);
            match field {
                "kind" => {
                    ag.kind = self.enumerated(terms, "an agreement's `kind`", AgreementKind::WORDS);
                }
                "parties" => {
                    ag.parties =
                        self.references(terms, &[Namespace::Org], "`parties`", |_, i| OrgIx(i));
                }
                "from" => ag.from = self.known_date(terms, "`from`"),
                "until" => ag.until = self.known_date(terms, "`until`"),
                _ => unreachable!("field table"),
            }
        }
        self.decls.agreements.push(ag);
    }

    fn lower_timeline(&mut self, item: &Item) {
        if let Some(h) = &item.header {
            self.push(
                Diagnostic::error("syntax_error", h.span, "`timeline` takes no name")
                    .with_label("unexpected")
                    .with_help("write `timeline { KIND [id] \"label\" DATE }`"),
            );
        }
        let Some(block) = &item.block else { return };
        for f in &block.fields {
            let kind_text = self.text(f.name);
            let Some(&(_, kind)) = EventKind::WORDS.iter().find(|(w, _)| *w == kind_text) else {
                let kinds: Vec<&str> = EventKind::WORDS.iter().map(|(w, _)| *w).collect();
                self.push(unknown_field(kind_text, f.name, &kinds, "timeline"));
                continue;
            };
            let usage = format!("write `{kind_text} [id] \"label\" DATE` or `… DATE..DATE`");
            let terms = match &f.value {
                Some(v) if v.new.is_none() && v.old.len() == 1 => &v.old[0],
                Some(v) => {
                    self.push(
                        Diagnostic::error(
                            "syntax_error",
                            v.span,
                            "a timeline entry is one line: id, label and dates",
                        )
                        .with_label("unexpected `,` or `->`")
                        .with_help(usage),
                    );
                    continue;
                }
                None => {
                    self.push(
                        Diagnostic::error(
                            "missing_field",
                            f.name,
                            format!("this `{kind_text}` has no date"),
                        )
                        .with_label("expected a label and a date")
                        .with_help(usage),
                    );
                    continue;
                }
            };
            let mut ev = Event {
                kind,
                id: None,
                label: None,
                start: Known::Absent,
                end: Known::Absent,
                span: f.span,
            };
            let mut dated = false;
            for (i, a) in terms.atoms.iter().enumerate() {
                match &a.kind {
                    AtomKind::Word if i == 0 && !self.is_word(a, "tbd") => ev.id = Some(a.span),
                    AtomKind::Str if ev.label.is_none() && !dated => ev.label = self.string(a),
                    AtomKind::Date if !dated => {
                        dated = true;
                        if let Some(d) = self.date(a, "a timeline entry") {
                            ev.start = Known::Given(d, a.span);
                            ev.end = Known::Given(d, a.span);
                        }
                    }
                    AtomKind::Range(lo, hi) if !dated => {
                        dated = true;
                        let l = self.date(lo, "a timeline entry");
                        let h = self.date(hi, "a timeline entry");
                        if let Some(l) = l {
                            ev.start = Known::Given(l, lo.span);
                        }
                        if let Some(h) = h {
                            ev.end = Known::Given(h, hi.span);
                        }
                    }
                    AtomKind::Word if self.is_word(a, "tbd") && !dated => {
                        dated = true;
                        let label = ev
                            .label
                            .as_ref()
                            .map_or_else(|| format!("`{kind_text}`"), |l| format!("\"{l}\""));
                        self.undecided(a.span, &format!("the date of {label}"));
                        ev.start = Known::Undecided(a.span);
                        ev.end = Known::Undecided(a.span);
                    }
                    _ => {
                        self.push(
                            Diagnostic::error(
                                "type_mismatch",
                                a.span,
                                format!("a timeline entry cannot hold {}", a.kind.describe()),
                            )
                            .with_label("not an id, a label or a date")
                            .with_help(usage.clone()),
                        );
                    }
                }
            }
            if !dated {
                self.push(
                    Diagnostic::error(
                        "missing_field",
                        f.span,
                        format!("this `{kind_text}` has no date"),
                    )
                    .with_label("expected a date, a range or `tbd`")
                    .with_help(usage),
                );
            }
            if kind == EventKind::Phase && ev.id.is_none() {
                self.push(
                    Diagnostic::error("missing_field", f.name, "a `phase` needs an id")
                        .with_label("no id")
                        .with_help("write `phase phase1 \"label\" 2007-06..2007-10`"),
                );
            }
            self.decls.events.push(ev);
        }
    }

    fn lower_budget(&mut self, item: &Item) {
        let id = Self::item_id(item);
        let name = self.title_and_name(item);
        let mut b = Budget {
            id,
            name,
            envelope: Known::Absent,
            net: false,
            item: item.span,
        };
        for (f, field) in self.fields(item, BUDGET_FIELDS, "budget") {
            match field {
                "net" => {
                    if let Some(v) = &f.value {
                        self.push(
                            Diagnostic::error("type_mismatch", v.span, "`net` takes no value")
                                .with_label("unexpected")
                                .with_help(
                                    "write `net` alone: the envelope is for the net change in cost",
                                ),
                        );
                    }
                    b.net = true;
                }
                "envelope" => {
                    let terms = self.terms(f, field, true);
                    let Some(a) = self.single(terms, "`envelope`") else {
                        continue;
                    };
                    if self.is_word(a, "tbd") {
                        self.undecided(a.span, "the budget envelope");
                        b.envelope = Known::Undecided(a.span);
                    } else if let Some(m) = self.money(a) {
                        b.envelope = Known::Given(m, a.span);
                    }
                }
                _ => unreachable!("field table"),
            }
        }
        self.decls.budgets.push(b);
    }
}

/// Rank each employer's grades, lowest first: by pay when every grade of the table has a
/// pay range (tables are written both ways round: `G1` the top grade, or `PO1` the
/// bottom one), else in the order they are declared.
fn rank_grades(grades: &mut [Grade]) {
    let mut by_org: FxHashMap<OrgIx, Vec<usize>> = FxHashMap::default();
    for (i, g) in grades.iter().enumerate() {
        by_org.entry(g.org).or_default().push(i);
    }
    for mut table in by_org.into_values() {
        if table.iter().all(|&i| grades[i].pay.is_some()) {
            table.sort_by_key(|&i| grades[i].pay.map(|(lo, hi)| (lo + hi, i)));
        }
        for (rank, i) in table.into_iter().enumerate() {
            grades[i].rank = rank as u32;
        }
    }
}

/// A post field's value for one side, lowered once and applied to a state.
#[derive(Clone)]
enum PostField {
    Nothing,
    /// `none`: the field is absent on this side.
    None(String, Span),
    /// A value was written but could not be read (and was reported).
    Invalid(String, Span),
    /// `count tbd`, `vacancies tbd`, `recruit tbd`: the default stands for structural
    /// checks, and rules read the value as unknown.
    Undecided(String, Span),
    Employer(Known<OrgIx>),
    Tier(Known<u32>),
    ReportsTo(Known<PostIx>),
    SupervisedBy(Known<PostIx>),
    SecondedFrom(Known<OrgIx>),
    Title(Span),
    Assurance(Span),
    AccountableTo(Vec<Spanned<Accountable>>),
    Funded(Spanned<Vec<Share>>),
    Count(Spanned<u32>),
    Vacancies(Spanned<u32>),
    Fte(Spanned<Decimal>),
    Grade(Known<GradeSpec>),
    Cost(Known<Decimal>),
    Holder(Known<Holder>),
    Manages(Vec<Spanned<Managed>>),
    Areas(Vec<Spanned<AreaIx>>),
    Citywide,
    Service(Known<ServiceIx>),
    Discipline(Spanned<Box<str>>),
    Statutory(Vec<Spanned<Box<str>>>),
    Recruit(Vec<Spanned<Route>>),
    From(Known<Date>),
    Until(Known<Date>),
    Reason(Known<Reason>),
}

impl PostField {
    fn apply(self, s: &mut PostState) {
        match self {
            PostField::Nothing => {}
            PostField::Undecided(field, span) => match field.as_str() {
                "count" => s.details_mut().count_undecided = Some(span),
                "recruit" => s.details_mut().recruit_undecided = Some(span),
                "vacancies" => s.details_mut().vacancies_undecided = Some(span),
                _ => {}
            },
            PostField::None(field, span) => {
                if field == "holder" {
                    s.holder = Known::Given(Holder::Vacant, span);
                }
            }
            PostField::Invalid(field, span) => match field.as_str() {
                "employer" => s.employer = Known::Invalid(span),
                "tier" => s.tier = Known::Invalid(span),
                "reports_to" => s.reports_to = Known::Invalid(span),
                "supervised_by" => s.details_mut().supervised_by = Known::Invalid(span),
                "seconded_from" => s.details_mut().seconded_from = Known::Invalid(span),
                "grade" => s.grade = Known::Invalid(span),
                "cost" => s.details_mut().cost = Known::Invalid(span),
                "holder" => s.holder = Known::Invalid(span),
                "service" => s.details_mut().service = Known::Invalid(span),
                "from" => s.details_mut().from = Known::Invalid(span),
                "until" => s.details_mut().until = Known::Invalid(span),
                "reason" => s.details_mut().reason = Known::Invalid(span),
                _ => {}
            },
            PostField::Employer(v) => s.employer = v,
            PostField::Tier(v) => s.tier = v,
            PostField::ReportsTo(v) => s.reports_to = v,
            PostField::SupervisedBy(v) => s.details_mut().supervised_by = v,
            PostField::SecondedFrom(v) => s.details_mut().seconded_from = v,
            PostField::Title(span) => s.details_mut().title = Some(Spanned { value: (), span }),
            PostField::Assurance(span) => s.details_mut().assurance = Some(span),
            PostField::AccountableTo(v) => s.details_mut().accountable_to = v,
            PostField::Funded(v) => s.funded = Some(v),
            PostField::Count(v) => s.count = Some(v),
            PostField::Vacancies(v) => s.vacancies = Some(v),
            PostField::Fte(v) => s.fte = Some(v),
            PostField::Grade(v) => s.grade = v,
            PostField::Cost(v) => s.details_mut().cost = v,
            PostField::Holder(v) => s.holder = v,
            PostField::Manages(v) => s.details_mut().manages = v,
            PostField::Areas(v) => s.details_mut().areas = v,
            PostField::Citywide => s.details_mut().citywide = true,
            PostField::Service(v) => s.details_mut().service = v,
            PostField::Discipline(v) => s.details_mut().discipline = Some(v),
            PostField::Statutory(v) => s.details_mut().statutory = v,
            PostField::Recruit(v) => s.details_mut().recruit = v,
            PostField::From(v) => s.details_mut().from = v,
            PostField::Until(v) => s.details_mut().until = v,
            PostField::Reason(v) => s.details_mut().reason = v,
        }
    }
}

/// "`tier`": a post field's name as messages quote it, without allocating per field.
fn quoted_post_field(name: &str) -> &'static str {
    static QUOTED: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| POST_FIELDS.iter().map(|f| format!("`{f}`")).collect());
    POST_FIELDS
        .iter()
        .position(|f| *f == name)
        .map_or("a field", |i| QUOTED[i].as_str())
}

/// The value of a field whose value was written but could not be read (already reported).
fn written<T>(terms: &[Term]) -> Known<T> {
    terms
        .first()
        .map_or(Known::Absent, |t| Known::Invalid(t.span))
}

/// "a" or "an" before a noun.
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(39).collect::<String>())
    } else {
        s.to_string()
    }
}

fn timeline_entry_id(src: &SourceMap, f: &Field) -> Option<Span> {
    let a = f.value.as_ref()?.old.first()?.atoms.first()?;
    (matches!(a.kind, AtomKind::Word) && src.slice(a.span) != "tbd").then_some(a.span)
}

fn duplicate(ns: Namespace, name: &str, second: Span, first: Span) -> Diagnostic {
    Diagnostic::error(
        "duplicate_name",
        second,
        format!(
            "{} {} called `{name}` is declared twice",
            ns.article(),
            ns.noun()
        ),
    )
    .with_label("declared again here")
    .with_secondary(first, "first declared here")
    .with_help(format!(
        "give each {} its own id; if both describe the same {}, delete one",
        ns.noun(),
        ns.noun()
    ))
}

fn unknown_field(name: &str, span: Span, allowed: &[&str], kind: &str) -> Diagnostic {
    let a = article(kind);
    // a timeline's lines are entries of a kind, not fields
    let (message, label, listing) = if kind == "timeline" {
        (
            format!("`{name}` is not a kind of timeline entry"),
            "not a timeline entry kind".to_string(),
            "the kinds of timeline entry are",
        )
    } else {
        (
            format!("unknown field `{name}` on {a} {kind}"),
            format!("{a} {kind} has no field `{name}`"),
            "",
        )
    };
    let d = Diagnostic::error("unknown_field", span, message).with_label(label);
    let close = closest(name, allowed.iter().copied());
    let quoted = || {
        allowed
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    with_suggestion(d, &close, span, || {
        if allowed.is_empty() {
            format!("{a} {kind} takes no fields")
        } else if listing.is_empty() {
            format!("the fields of {a} {kind} are {}", quoted())
        } else {
            format!("{listing} {}", quoted())
        }
    })
}

fn unexpected_after(src: &SourceMap, a: &Atom, after: &str) -> Diagnostic {
    Diagnostic::error(
        "syntax_error",
        a.span,
        format!("unexpected `{}` after {after}", clip(src.slice(a.span))),
    )
    .with_label("not expected here")
    .with_help("fields go inside the item's `{ … }` block, one per line")
}
