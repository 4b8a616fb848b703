//! The timeline: one entry a line, `KIND [id] "label" DATE[..DATE]`, a consultation also
//! saying who is consulted (`with unions, staff`) and a decision the consultation it
//! decides on (`on report_2`).

use super::messages::unknown_field;
use super::Lowerer;
use crate::decl::{Consultee, Event, EventKind, Known, Spanned, Words};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Atom, AtomKind, Field, Item, Term};
use crate::vocab::Namespace;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn lower_timeline(&mut self, item: &'a Item) {
        if let Some(h) = &item.header {
            self.push(
                Diagnostic::error("syntax_error", h.span, "`timeline` takes no name")
                    .with_label("unexpected")
                    .with_help("write `timeline { KIND [id] \"label\" DATE }`"),
            );
        }
        let Some(block) = &item.block else { return };
        for f in &block.fields {
            if let Some((ev, on)) = self.entry(f) {
                let index = self.decls.events.len() as u32;
                if let Some(id) = ev.id {
                    let name = self.text(id);
                    self.names
                        .own()
                        .set_index(Namespace::Event, name, id, index);
                }
                if let Some(on) = on {
                    self.decides_on.push((index, on));
                }
                self.decls.events.push(ev);
            }
        }
    }

    /// The `phase` of budgets and posts, once every timeline is lowered: a budget may come
    /// before the timeline that declares its phase (posts are lowered after every
    /// timeline). Each must name a `phase` entry.
    pub(super) fn phase_refs(&mut self) {
        let (names, src) = (&self.names, self.src);
        for budget in &mut self.decls.budgets {
            for entry in budget.phase.get_mut().into_iter().flatten() {
                if entry.value.namespace == Namespace::Event {
                    if let Some(e) = names.get(Namespace::Event, src.slice(entry.span)) {
                        entry.value.index = e.index;
                    }
                }
            }
        }
        let events = &self.decls.events;
        let not_a_phase = |r: &Spanned<crate::decl::Ref>| {
            let ev = events.get(r.value.index as usize);
            (r.value.namespace == Namespace::Event
                && ev.is_none_or(|ev| ev.kind != EventKind::Phase))
            .then(|| (r.span, ev.map(|ev| (ev.kind, ev.span))))
        };
        let mut bad: Vec<_> = self
            .decls
            .budgets
            .iter()
            .flat_map(|b| b.phase.list())
            .filter_map(not_a_phase)
            .collect();
        bad.extend(
            self.decls
                .states
                .iter()
                .flat_map(|s| s.details().phase().list())
                .filter_map(not_a_phase),
        );
        bad.sort_by_key(|(span, _)| *span);
        bad.dedup_by_key(|(span, _)| *span);
        for (span, ev) in bad {
            let name = self.text(span);
            let mut d = Diagnostic::error(
                "type_mismatch",
                span,
                format!("`{name}` is not a phase of the timeline"),
            )
            .with_label("`phase` names a `phase` entry of the timeline")
            .with_help("name a `phase` entry, declared in the timeline as `phase phase1 \"Phase 1\" 2007-06..2007-10`");
            if let Some((kind, at)) = ev {
                d = d.with_secondary(
                    at,
                    format!("a timeline `{}`", kind.word().unwrap_or_default()),
                );
            }
            self.push(d);
        }
    }

    /// `on ID` of a decision: the consultation it decides on. Called once every timeline
    /// is lowered.
    pub(super) fn decides_on(&mut self, index: u32, on: &Atom) {
        let Some((_, target)) = self.reference(on, &[Namespace::Event], "`on`") else {
            return;
        };
        // an id given twice is `duplicate_name`; its index may not be an entry's
        let Some(c) = self.decls.events.get(target as usize) else {
            return;
        };
        if c.kind != EventKind::Consultation {
            let what = c.kind.word().unwrap_or_default();
            let span = c.span;
            self.push(
                Diagnostic::error(
                    "type_mismatch",
                    on.span,
                    format!(
                        "`{}` is a timeline `{what}`, not a `consultation`",
                        self.text(on.span)
                    ),
                )
                .with_label("`on` names the consultation this decision decides on")
                .with_secondary(span, format!("a timeline `{what}`"))
                .with_help("name the `consultation` whose proposals this decision decides"),
            );
            return;
        }
        self.decls.events[index as usize].on = Some(Spanned {
            value: target,
            span: on.span,
        });
    }

    /// One entry of the timeline and, for a decision, the name after `on`; `None` when it
    /// cannot be read (reported).
    fn entry<'f>(&mut self, f: &'f Field) -> Option<(Event, Option<&'f Atom>)> {
        let kind_text = self.text(f.name);
        let Some(kind) = EventKind::from_word(kind_text) else {
            let kinds: Vec<&str> = EventKind::WORDS.iter().map(|(w, _)| *w).collect();
            self.push(unknown_field(kind_text, f.name, &kinds, "timeline"));
            return None;
        };
        let usage = format!("write `{kind_text} [id] \"label\" DATE` or `… DATE..DATE`");
        let (first, rest) = match &f.value {
            Some(v) if v.new.is_none() => v.old.split_first()?,
            Some(v) => {
                self.push(
                    Diagnostic::error(
                        "syntax_error",
                        v.span,
                        "a timeline entry is one line: id, label and dates",
                    )
                    .with_label("unexpected `->`")
                    .with_help(usage),
                );
                return None;
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
                return None;
            }
        };
        let mut ev = Event {
            kind,
            id: None,
            label: None,
            start: Known::Absent,
            end: Known::Absent,
            with: Known::Absent,
            on: None,
            span: f.span,
        };
        let mut dated = false;
        let mut with = None;
        let mut on = None;
        let mut atoms = first.atoms.iter().enumerate();
        while let Some((i, a)) = atoms.next() {
            match &a.kind {
                AtomKind::Word if dated && self.is_word(a, "with") => {
                    with = Some((a, &first.atoms[i + 1..]));
                    break;
                }
                AtomKind::Word if dated && on.is_none() && self.is_word(a, "on") => {
                    match atoms.next() {
                        Some((_, id)) if kind == EventKind::Decision => on = Some(id),
                        Some(_) => {
                            self.push(
                                Diagnostic::error(
                                    "syntax_error",
                                    a.span,
                                    "only a `decision` says which consultation it decides on",
                                )
                                .with_label("`on` belongs to a decision")
                                .with_help("remove `on …`, or make the entry a `decision`"),
                            );
                        }
                        None => {
                            self.push(
                                Diagnostic::error(
                                    "missing_field",
                                    a.span,
                                    "`on` names no consultation",
                                )
                                .with_label("expected the id of a consultation")
                                .with_help("write `decision \"…\" DATE on report_2`, naming the consultation's id"),
                            );
                        }
                    }
                }
                AtomKind::Word if i == 0 && !self.is_word(a, "tbd") => ev.id = Some(a.span),
                AtomKind::Str if ev.label.is_none() && !dated => ev.label = self.string(a),
                AtomKind::Date if !dated => {
                    dated = true;
                    if let Some(d) = self.date(a, "a timeline entry") {
                        ev.start = Known::Given(d, a.span);
                        ev.end = Known::Given(d, a.span);
                    }
                }
                AtomKind::Range(ends) if !dated => {
                    let [lo, hi] = &**ends;
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
                    let label = entry_name(&ev, kind_text);
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
                .with_help(usage.clone()),
            );
        }
        match with {
            Some((word, parties)) => ev.with = self.consulted(kind, word, parties, rest),
            None if !rest.is_empty() => {
                self.push(
                    Diagnostic::error(
                        "syntax_error",
                        rest[0].span,
                        "a timeline entry is one line: id, label and dates",
                    )
                    .with_label("unexpected after `,`")
                    .with_help(if kind == EventKind::Consultation {
                        "say who is consulted after `with`: `consultation \"…\" DATE..DATE with unions, staff`".to_string()
                    } else {
                        usage
                    }),
                );
            }
            None if kind == EventKind::Consultation && dated => {
                let label = entry_name(&ev, kind_text);
                self.unsaid(
                    f.name,
                    &format!("who is consulted on {label}"),
                    "not said: `with unions`, `elected_reps`, `staff`, `partners` or `public`",
                );
            }
            None => {}
        }
        if kind == EventKind::Phase && ev.id.is_none() {
            self.push(
                Diagnostic::error("missing_field", f.name, "a `phase` needs an id")
                    .with_label("no id")
                    .with_help("write `phase phase1 \"label\" 2007-06..2007-10`"),
            );
        }
        Some((ev, on))
    }

    /// Who a consultation consults: the words after `with`, and the terms after commas.
    fn consulted(
        &mut self,
        kind: EventKind,
        word: &Atom,
        parties: &[Atom],
        rest: &[Term],
    ) -> Known<Vec<Spanned<Consultee>>> {
        if kind != EventKind::Consultation {
            self.push(
                Diagnostic::error(
                    "syntax_error",
                    word.span,
                    "only a `consultation` says who is consulted",
                )
                .with_label("`with` belongs to a consultation")
                .with_help("remove `with …`, or make the entry a `consultation`"),
            );
            return Known::Invalid(word.span);
        }
        let mut atoms: Vec<&Atom> = parties.iter().collect();
        for t in rest {
            atoms.extend(t.atoms.iter());
        }
        if let [a] = atoms.as_slice() {
            if self.is_word(a, "tbd") {
                self.undecided(a.span, "who is consulted");
                return Known::Undecided(a.span);
            }
        }
        let mut out = Vec::new();
        let mut flat = Vec::new();
        for a in atoms {
            match &a.kind {
                AtomKind::List(inner) => flat.extend(self.name_list(inner, "`with`")),
                _ => flat.push(a),
            }
        }
        if flat.is_empty() {
            self.push(
                Diagnostic::error("missing_field", word.span, "`with` names nobody")
                    .with_label("expected who is consulted")
                    .with_help("write `with unions`, `with elected_reps`, `with staff`, `with partners` or `with public`, or a list of them"),
            );
            return Known::Invalid(word.span);
        }
        for a in flat {
            if let Some(c) = self.enum_atom(a, "`with`", Consultee::WORDS) {
                out.push(Spanned {
                    value: c,
                    span: a.span,
                });
            }
        }
        let span = word.span;
        Known::Given(out, span)
    }
}

/// "\"Consultation on report 2\"", or "`consultation`" for an entry without a label.
fn entry_name(ev: &Event, kind_text: &str) -> String {
    ev.label
        .as_ref()
        .map_or_else(|| format!("`{kind_text}`"), |l| format!("\"{l}\""))
}
