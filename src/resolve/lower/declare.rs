//! Pass 1: every item's kind read and its id declared, and the grade tables built.

use rustc_hash::FxHashMap;

use super::messages::{article, duplicate, unexpected_after};
use super::{Kind, Lowerer};
use crate::decl::{Grade, GradeIx, GradeSpec, Known, OrgIx};
use crate::diagnostic::Diagnostic;
use crate::resolve::names::{closest, with_suggestion, Entry};
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, Item};
use crate::value::Decimal;
use crate::vocab::{Namespace, ITEM_KINDS};

impl<'a> Lowerer<'a, '_> {
    /// Read an item's kind, reporting an unknown keyword.
    pub(super) fn item_kind(&mut self, item: &Item) -> Option<Kind> {
        let text = self.text(item.kind);
        let kind = match text {
            "use" => Kind::Use,
            "spec" => Kind::Spec,
            "org" => Kind::Org,
            "align" => Kind::Align,
            "grade" => Kind::Grade,
            "area" => Kind::Area,
            "person" => Kind::Person,
            "post" => Kind::Post(super::lifecycle(item.lifecycle)),
            "slot" => Kind::Slot,
            "pool" => Kind::Pool,
            "service" => Kind::Service,
            "agreement" => Kind::Agreement,
            "timeline" => Kind::Timeline,
            "budget" => Kind::Budget,
            "proposal" => Kind::Proposal,
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
                self.push(d);
                return None;
            }
        };
        if let Some((_, span)) = item.lifecycle {
            if !matches!(kind, Kind::Post(_)) {
                let word = self.text(span);
                self.push(
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

    pub(super) fn declare(&mut self, ns: Namespace, id: Span, index: u32) {
        self.index_declaration(ns, id);
        let name = self.text(id);
        if let Err(first) = self.names.declare(ns, Entry { index, span: id }) {
            self.push(duplicate(ns, name, id, first.span));
        }
    }

    /// Where an id is declared, for the language server's index (when it keeps one).
    pub(super) fn index_declaration(&mut self, ns: Namespace, id: Span) {
        if let Some(names) = self.index.as_mut() {
            names.declarations.push((ns, id));
        }
    }

    /// The id of an item that has one: the first word of its header.
    pub(super) fn header_id(&mut self, item: &Item) -> Option<Span> {
        let what = self.text(item.kind);
        if let Some(id) = item.declared_id() {
            return Some(id);
        }
        let help =
            format!("write `{what} ID \"Title\"`, where ID is a name such as `head_of_operations`");
        let d = if let Some(a) = item.first_atom() {
            let found = self.text(a.span);
            Diagnostic::error(
                "syntax_error",
                a.span,
                format!(
                    "expected {} {what} id after `{what}`, found `{found}`",
                    article(what)
                ),
            )
            .with_label(format!("expected {} {what} id here", article(what)))
        } else {
            Diagnostic::error(
                "syntax_error",
                item.kind,
                format!("expected {} {what} id after `{what}`", article(what)),
            )
            .with_label(format!("this {what} has no id"))
        };
        self.push(d.with_help(help));
        None
    }

    pub(super) fn declare_timeline_ids(&mut self, item: &Item) {
        let Some(block) = &item.block else { return };
        for field in &block.fields {
            if let Some(id) = timeline_entry_id(self.src, field) {
                // the entry's index is set when it is lowered (`lower_timeline`)
                let index = u32::MAX;
                self.declare(Namespace::Event, id, index);
            }
        }
    }

    pub(super) fn declare_grade(&mut self, item: &'a Item) {
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
        if let AtomKind::Range(ends) = &a.kind {
            let [lo, hi] = &**ends;
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

    /// A grade name resolves first to any employer's grade of that name; once the post's
    /// employer is known, prefer the employer's own grade of the same name, then one of a
    /// national scale it uses (`scales`).
    pub(super) fn regrade_by_employer(&mut self) {
        let (grades, by_org, src) = (&self.decls.grades, &self.grades_by_org, self.src);
        let orgs = &self.decls.orgs;
        let fix = |g: GradeIx, org: OrgIx| {
            if grades[g.ix()].org == org {
                return g;
            }
            let name = src.slice(grades[g.ix()].id);
            let scales = orgs.get(org.ix()).map_or(&[][..], |o| o.scales.list());
            std::iter::once(org)
                .chain(scales.iter().map(|s| s.value))
                .find_map(|owner| by_org.get(&(owner, name)).copied())
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
}

/// Rank each employer's grades, lowest first: by pay when every grade of the table has a
/// pay range (tables are written both ways round: `G1` the top grade, or `PO1` the
/// bottom one), else in the order they are declared.
pub(super) fn rank_grades(grades: &mut [Grade]) {
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

/// The id of a timeline entry, when it has one: a word first on its line.
pub(super) fn timeline_entry_id(
    src: &crate::source::SourceMap,
    f: &crate::syntax::ast::Field,
) -> Option<Span> {
    let a = f.value.as_ref()?.old.first()?.atoms.first()?;
    (matches!(a.kind, AtomKind::Word) && src.slice(a.span) != "tbd").then_some(a.span)
}
