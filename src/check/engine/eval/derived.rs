//! The derived fields (`crate::vocab::DERIVED`): what rules read that no spec writes,
//! computed from the model and its relations.

use super::Evaluator;
use crate::check::engine::value::{list_of, Val, V};
use crate::decl::{Known, Lifecycle, PostState, Words};
use crate::model::{Displacement, Model, Side};
use crate::source::{SourceMap, Span};
use crate::value::Decimal;
use crate::vocab::Derived;

/// An index from a post to the slots or pools that name it (`Model::slots_from`, …).
type PostIndex = rustc_hash::FxHashMap<crate::decl::PostIx, Vec<u32>>;

/// The rule value of an entry of a [`PostIndex`]: a slot or a pool.
type Entry<'a> = fn(u32) -> Val<'a>;

impl<'a> Evaluator<'a> {
    /// A derived field of a value. `None` and `Unknown` pass through.
    pub(super) fn derived(&self, base: &V<'a>, f: Derived) -> V<'a> {
        let m: &'a Model = self.model;
        let src: &'a SourceMap = self.src;
        let d = &m.decls;
        let none = V::bare(Val::None);
        let text = |s: Span| V::at(Val::Str(src.slice(s)), s);
        let opt_str = |s: &'a Option<String>, id: Span| match s {
            Some(t) => V::bare(Val::Str(t.as_str())),
            None => V::at(Val::Str(src.slice(id)), id),
        };
        let list = |items: Vec<V<'a>>| V::bare(Val::List(list_of(items.into_iter())));
        if f == Derived::Label {
            // "Head of Operations (`head_ops`)": the title a person knows, the id to find
            let name = self.derived(base, Derived::Name);
            let title = self.derived(base, Derived::Title);
            let (Val::Str(id), title) = (&name.val, &title.val) else {
                return name;
            };
            let label = match title {
                Val::Str(t) if !t.is_empty() && t != id => format!("{t} (`{id}`)"),
                _ => format!("`{id}`"),
            };
            return V {
                val: Val::Text(label.into()),
                at: name.at,
            };
        }
        let known_date = |k: Known<crate::value::Date>| match k {
            Known::Given(date, s) => V::at(Val::Date(date.first_day(), date.last_day()), s),
            Known::Undecided(s) | Known::Invalid(s) => V::at(Val::Unknown, s),
            Known::Absent => V::bare(Val::None),
        };
        match (&base.val, f) {
            (Val::Unknown, _) => V::bare(Val::Unknown),
            (Val::Post(p, side), f) => self.post_derived(*p, *side, f),
            (Val::Org(o), Derived::Name) => text(m.org(*o).id),
            (Val::Org(o), Derived::Title) => opt_str(&m.org(*o).name, m.org(*o).id),
            (Val::Area(a), Derived::Name) => text(d.areas[a.ix()].id),
            (Val::Area(a), Derived::Title) => opt_str(&d.areas[a.ix()].name, d.areas[a.ix()].id),
            (Val::Area(a), Derived::Managers) => list(
                m.area_managers()[a.ix()]
                    .iter()
                    .map(|p| V::bare(Val::Post(*p, Side::After)))
                    .collect(),
            ),
            (Val::Grade(g), f) => {
                let grade = &d.grades[g.ix()];
                match f {
                    Derived::Name => text(grade.id),
                    Derived::GradeOrg => V::bare(Val::Org(grade.org)),
                    Derived::Rank => V::bare(Val::Num(Decimal::from(grade.rank))),
                    Derived::Min => grade.pay.map_or(none, |(lo, _)| V::bare(Val::Money(lo))),
                    Derived::Max => grade.pay.map_or(none, |(_, hi)| V::bare(Val::Money(hi))),
                    Derived::Midpoint => grade.midpoint().map_or(none, |x| V::bare(Val::Money(x))),
                    _ => none,
                }
            }
            (Val::Person(p), Derived::Name) => text(d.persons[p.ix()].id),
            (Val::Person(p), Derived::Title) => {
                opt_str(&d.persons[p.ix()].name, d.persons[p.ix()].id)
            }
            (Val::Pool(i), f) => self.pool_derived(*i, f),
            (Val::Slot(i), f) => {
                let slot = &d.slots[*i as usize];
                match f {
                    // what a slot with an unreadable source moves is not known
                    Derived::SlotFrom if slot.partial => V::bare(Val::Unknown),
                    Derived::SlotFrom => list(
                        slot.from
                            .iter()
                            .map(|p| V::at(Val::Post(p.value, Side::Before), p.span))
                            .collect(),
                    ),
                    Derived::SlotTo => V::at(Val::Post(slot.to.value, Side::After), slot.to.span),
                    _ => none,
                }
            }
            (Val::Service(s), Derived::Name) => text(d.services[s.ix()].id),
            (Val::Service(s), Derived::Title) => {
                opt_str(&d.services[s.ix()].name, d.services[s.ix()].id)
            }
            (Val::Contact(s, c), f) => {
                let contact = &d.services[s.ix()].contacts.list()[*c as usize];
                match f {
                    Derived::ContactArea => V::at(Val::Area(contact.area.value), contact.area.span),
                    Derived::ContactPosts => list(
                        contact
                            .posts
                            .iter()
                            .map(|p| V::at(Val::Post(p.value, Side::After), p.span))
                            .collect(),
                    ),
                    _ => none,
                }
            }
            (Val::Agreement(a), Derived::Name) => text(d.agreements[a.ix()].id),
            (Val::Agreement(a), Derived::Title) => {
                opt_str(&d.agreements[a.ix()].name, d.agreements[a.ix()].id)
            }
            (Val::Event(i), f) => {
                let e = &d.events[*i as usize];
                match f {
                    Derived::Name => match e.id {
                        Some(id) => text(id),
                        None => V::at(Val::Str(e.label.as_deref().unwrap_or("")), e.span),
                    },
                    Derived::Title => V::bare(Val::Str(e.label.as_deref().unwrap_or(""))),
                    Derived::EventKind => V::bare(Val::Sym(e.kind.word().unwrap_or_default())),
                    Derived::Consulted => match &e.with {
                        Known::Given(with, _) => list(
                            with.iter()
                                .map(|c| {
                                    V::at(Val::Sym(c.value.word().unwrap_or_default()), c.span)
                                })
                                .collect(),
                        ),
                        Known::Undecided(s) | Known::Invalid(s) => V::at(Val::Unknown, *s),
                        Known::Absent => none,
                    },
                    Derived::DecidesOn => match e.on {
                        // Labelled at the consultation's own entry.
                        Some(c) => V::bare(Val::Event(c.value)),
                        None => none,
                    },
                    Derived::Start => known_date(e.start),
                    Derived::End => known_date(e.end),
                    Derived::Position => V::bare(Val::Num(Decimal::from(*i + 1))),
                    _ => none,
                }
            }
            (Val::Budget(b), Derived::Name) => text(d.budgets[*b as usize].id),
            (Val::Budget(b), Derived::BudgetNew | Derived::BudgetDeleted) => {
                let (new, deleted) = self.model.budget_posts(*b as usize);
                let (posts, side) = if f == Derived::BudgetNew {
                    (new, Side::After)
                } else {
                    (deleted, Side::Before)
                };
                list(
                    posts
                        .into_iter()
                        .map(|p| V::bare(Val::Post(p, side)))
                        .collect(),
                )
            }
            (Val::Budget(b), Derived::Title) => {
                opt_str(&d.budgets[*b as usize].name, d.budgets[*b as usize].id)
            }
            (Val::Proposal(i), Derived::Name) => text(d.proposals[*i as usize].id),
            (Val::Proposal(i), Derived::Title) => {
                opt_str(&d.proposals[*i as usize].name, d.proposals[*i as usize].id)
            }
            (Val::Establishment(i), f) => self.establishment(*i, f),
            (Val::Role(i), f) => {
                let Some(r) = crate::vocab::roles::ROLES.get(*i as usize) else {
                    return none;
                };
                V::bare(match f {
                    Derived::Name => Val::Str(r.id),
                    Derived::Title => Val::Str(r.title),
                    Derived::RoleSingle => Val::Bool(r.single),
                    Derived::RoleChief => Val::Bool(r.chief),
                    Derived::RoleAnswersTo => Val::Sym(r.answers_to.word()),
                    Derived::RoleSource => Val::Str(r.source),
                    Derived::RoleCite => Val::Str(r.cite),
                    _ => Val::None,
                })
            }
            (Val::Spec, Derived::Name | Derived::Title) => {
                let Some(s) = &d.spec else { return none };
                if f == Derived::Name {
                    text(s.id)
                } else {
                    opt_str(&s.name, s.id)
                }
            }
            (Val::Share(p, side, i), f) => {
                let Some(s) = self.state(*p, *side) else {
                    return none;
                };
                let share = s
                    .details()
                    .funded()
                    .get()
                    .filter(|_| *i != u32::MAX)
                    .map(|shares| &shares[*i as usize]);
                match (f, share) {
                    (Derived::SharePost, _) => V::bare(Val::Post(*p, *side)),
                    (Derived::ShareOrg, Some(share)) => V::at(Val::Org(share.org), share.org_span),
                    (Derived::Share, Some(share)) => match share.percent {
                        Some(pc) => V::at(Val::Pct(pc), share.span),
                        None => V::at(Val::Unknown, share.span),
                    },
                    (Derived::ShareOrg, None) => {
                        let file = self.model.post_file(*p);
                        match s.employer {
                            Known::Given(o, at) => V::at(Val::Org(o), at.span(file)),
                            Known::Undecided(at) | Known::Invalid(at) => {
                                V::at(Val::Unknown, at.span(file))
                            }
                            Known::Absent => none,
                        }
                    }
                    (Derived::Share, None) => V::bare(Val::Pct(Decimal::ONE_HUNDRED)),
                    _ => none,
                }
            }
            _ => none,
        }
    }

    /// The index a post's list is read from (`p.slots`, `p.pools`, …) and what its entries
    /// are; `None` for any other field.
    pub(super) fn post_index(&self, f: Derived) -> Option<(&'a PostIndex, Entry<'a>)> {
        let m: &'a Model = self.model;
        Some(match f {
            Derived::Slots => (m.slots_from(), Val::Slot as Entry<'a>),
            Derived::SlottedIn => (m.slots_into(), Val::Slot),
            Derived::Pools => (m.pools_of(), Val::Pool),
            Derived::Pooled => (m.pooled_in(), Val::Pool),
            _ => return None,
        })
    }

    /// The length of a post's list that is an index's entry, read without building the
    /// list; `None` for any other field or value.
    pub(crate) fn indexed_len(&self, base: &V<'a>, f: Derived) -> Option<usize> {
        let Val::Post(p, _) = base.val else {
            return None;
        };
        let (index, _) = self.post_index(f)?;
        Some(crate::model::relations::under(index, p).len())
    }

    /// The derived fields of a post on one side.
    pub(super) fn post_derived(&self, p: crate::decl::PostIx, side: Side, f: Derived) -> V<'a> {
        let m: &'a Model = self.model;
        let post = m.post(p);
        let none = V::bare(Val::None);
        let on = |s: Side| {
            if m.structure(s).exists(p) {
                V::bare(Val::Post(p, s))
            } else {
                V::bare(Val::None)
            }
        };
        match f {
            Derived::Name => return V::at(Val::Str(self.src.slice(post.id)), post.id),
            Derived::New => return V::bare(Val::Bool(post.lifecycle == Lifecycle::New)),
            Derived::Deleted => return V::bare(Val::Bool(post.lifecycle == Lifecycle::Deleted)),
            Derived::Changed => {
                return V::bare(Val::Bool(
                    post.lifecycle == Lifecycle::Continuing && post.before != post.after,
                ))
            }
            Derived::Was => return on(Side::Before),
            Derived::Now => return on(Side::After),
            Derived::DirectReports => {
                let reports = m.structure(side).direct_reports(p);
                return V::bare(Val::List(list_of(
                    reports.iter().map(|r| V::bare(Val::Post(*r, side))),
                )));
            }
            Derived::AtRisk => return V::bare(Val::Num(Decimal::from(m.at_risk(p)))),
            _ => {}
        }
        if let Some((index, make)) = self.post_index(f) {
            return Self::indexed(index, p, make);
        }
        let Some(s) = self.state(p, side) else {
            return none;
        };
        match f {
            // the header's title, pointing at a `title` field where one is written
            Derived::Title => {
                let title = match post.title(self.src) {
                    std::borrow::Cow::Borrowed(title) => Val::Str(title),
                    std::borrow::Cow::Owned(title) => Val::Text(title.into()),
                };
                match s.details().title().span() {
                    Some(at) => V::at(title, at),
                    None => V::bare(title),
                }
            }
            Derived::AnnualCost => V::bare(self.annual_cost(s)),
            Derived::Holders => V::bare(
                s.holders_known()
                    .map_or(Val::Unknown, |n| Val::Num(Decimal::from(n))),
            ),
            Derived::Vacant => V::bare(
                s.holders_known()
                    .map_or(Val::Unknown, |n| Val::Bool(n == 0)),
            ),
            Derived::NamedHolder => V::bare(Val::Bool(s.named_holder())),
            Derived::Displaced | Derived::DisplacedFte => V::bare(match m.displacement(p) {
                Displacement::New => Val::Num(Decimal::ZERO),
                Displacement::Open => Val::Unknown,
                Displacement::Taken(people, _) if f == Derived::Displaced => {
                    Val::Num(Decimal::from(people))
                }
                Displacement::Taken(_, fte) => Val::Num(fte),
            }),
            _ => none,
        }
    }

    /// The derived fields of an establishment where redundancies are proposed.
    fn establishment(&self, i: u32, f: Derived) -> V<'a> {
        let m: &'a Model = self.model;
        let e = &m.establishments()[i as usize];
        let list = |items: Vec<V<'a>>| V::bare(Val::List(list_of(items.into_iter())));
        match f {
            Derived::EstEmployer => V::bare(Val::Org(e.employer)),
            Derived::EstSite => e
                .site
                .as_deref()
                .map_or(V::bare(Val::None), |s| V::bare(Val::Sym(s))),
            Derived::EstRedundancies => {
                let n = Decimal::from(e.people);
                V::bare(if e.at_least {
                    Val::Between(Box::new((n, Decimal::MAX)))
                } else {
                    Val::Num(n)
                })
            }
            Derived::EstStated => V::bare(Val::Bool(e.stated)),
            Derived::EstPosts => list(
                e.posts
                    .iter()
                    .map(|(p, _)| V::bare(Val::Post(*p, Side::Before)))
                    .collect(),
            ),
            Derived::EstPools => list(
                e.pools
                    .iter()
                    .map(|(p, _)| V::bare(Val::Pool(*p)))
                    .collect(),
            ),
            Derived::EstProposals => list(
                e.proposals
                    .iter()
                    .map(|p| V::bare(Val::Proposal(*p)))
                    .collect(),
            ),
            Derived::FirstDismissal => m
                .first_dismissal()
                .map_or(V::bare(Val::None), |ev| V::bare(Val::Event(ev))),
            _ => V::bare(Val::None),
        }
    }

    /// The derived fields of a pool.
    fn pool_derived(&self, i: u32, f: Derived) -> V<'a> {
        let m: &'a Model = self.model;
        let pool = &m.decls.pools[i as usize];
        let src = self.src;
        let list = |items: Vec<V<'a>>| V::bare(Val::List(list_of(items.into_iter())));
        let candidates = pool.candidates.list();
        match f {
            Derived::Name => V::at(Val::Str(src.slice(pool.id)), pool.id),
            Derived::Title => match &pool.name {
                Some(t) => V::bare(Val::Str(t.as_str())),
                None => V::at(Val::Str(src.slice(pool.id)), pool.id),
            },
            Derived::CandidatePosts => list(
                candidates
                    .iter()
                    .filter_map(|c| Some(V::at(Val::Post(c.value.get()?, Side::Before), c.span)))
                    .collect(),
            ),
            Derived::CandidatePersons => list(
                candidates
                    .iter()
                    .filter_map(|c| Some(V::at(Val::Person(c.value.get()?), c.span)))
                    .collect(),
            ),
            Derived::Places => V::bare(
                pool.posts
                    .list()
                    .iter()
                    .filter_map(|p| self.state(p.value, Side::After))
                    .map(|s| (!s.details().count().is_open()).then(|| u64::from(s.count())))
                    .sum::<Option<u64>>()
                    .map_or(Val::Unknown, |n| Val::Num(Decimal::from(n))),
            ),
            Derived::Surplus => V::bare(
                crate::model::redundancies::surplus(m, i as usize)
                    .map_or(Val::Unknown, |n| Val::Num(Decimal::from(n))),
            ),
            Derived::CandidateCount => V::bare(
                candidates
                    .iter()
                    .map(|c| match c.value.get::<crate::decl::PostIx>() {
                        Some(p) => self
                            .state(p, Side::Before)
                            .map_or(Some(0), PostState::holders_known),
                        None => Some(1),
                    })
                    .sum::<Option<u32>>()
                    .map_or(Val::Unknown, |n| Val::Num(Decimal::from(n))),
            ),
            _ => V::bare(Val::None),
        }
    }

    /// `Model::annual_cost` as a rule value: money, `none` with nothing to cost, unknown
    /// while open.
    fn annual_cost(&self, s: &PostState) -> Val<'a> {
        match self.model.annual_cost(s) {
            crate::model::budgets::AnnualCost::Known(m) => Val::Money(m),
            crate::model::budgets::AnnualCost::Open => Val::Unknown,
            crate::model::budgets::AnnualCost::None => Val::None,
        }
    }
}
