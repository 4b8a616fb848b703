//! Proposed redundancies counted as the law counts them (TULRCA 1992 s188): by employer, at
//! one establishment, within 90 days.
//!
//! The people counted are the holders of deleted and reduced posts who are not slotted in
//! or placed, including volunteers and those the employer hopes to redeploy (ACAS: both
//! are proposed dismissals): a post whose holders are slotted (`slot`, `reason slotted`),
//! retire, are already gone (`reason retired`, `vacant`) or transfer to another employer
//! (`transfer`) counts none; a pool counts its
//! surplus (candidates − places) for its candidates. Holders whose outcome is `tbd`, or
//! given only in the paper's own words (a string `reason`), are not counted: the count is
//! then a lower bound. Hours cut from those who keep their
//! post (`fte 1 -> 0.5`) count nobody: the law counts people. A post's establishment is its
//! `site`; without one, each employer is one establishment. The paper's own figure
//! (`spec { redundancies N }`) replaces the count for its authority; stated proposals
//! (`proposal`) are counted with the paper's own dismissals when theirs certainly fall in
//! the same 90 days. A count that leaves out holders whose number is open is a lower bound.

use rustc_hash::FxHashMap;

use super::{Displacement, Model, Side};
use crate::decl::{EventKind, Known, OrgIx, PostIx, PostState, Reason, Why};
use crate::value::Decimal;

/// The redundancies one employer proposes at one establishment.
#[derive(Debug, Clone)]
pub struct Establishment {
    pub employer: OrgIx,
    /// The `site` of its posts; `None`: the employer's posts with no site (one
    /// establishment per employer).
    pub site: Option<Box<str>>,
    /// The posts counted, and how many people each.
    pub posts: Vec<(PostIx, u32)>,
    /// The pools counted, and each one's surplus.
    pub pools: Vec<(u32, u32)>,
    /// The stated proposals counted with it.
    pub proposals: Vec<u32>,
    /// The paper's own figure, when it replaces the count.
    pub stated: bool,
    /// The number of people, and whether it is only a lower bound.
    pub people: u32,
    pub at_least: bool,
}

type Key = (OrgIx, Option<Box<str>>);

impl Model {
    /// Every establishment where redundancies are proposed, in order of employer and site.
    pub fn establishments(&self) -> &[Establishment] {
        self.relations.establishments.get_or_init(|| count(self))
    }

    /// The people counted from a post (s188), for labels.
    pub fn at_risk(&self, p: PostIx) -> u32 {
        let index = self.relations.at_risk.get_or_init(|| {
            self.establishments()
                .iter()
                .flat_map(|e| e.posts.iter().copied())
                .collect()
        });
        index.get(&p).copied().unwrap_or(0)
    }

    /// The day the first dismissal takes effect: the first `dismissals` entry of the
    /// timeline, else its first `effective` entry (the event's place).
    pub fn first_dismissal(&self) -> Option<u32> {
        let events = &self.decls.events;
        let first = |kind| events.iter().position(|e| e.kind == kind);
        first(EventKind::Dismissals)
            .or_else(|| first(EventKind::Effective))
            .map(|i| i as u32)
    }
}

fn count(m: &Model) -> Vec<Establishment> {
    let d = &m.decls;
    let mut out: FxHashMap<Key, Establishment> = FxHashMap::default();
    let key_of = |p: PostIx| -> Option<Key> {
        let s = m.state(m.before.state(p)?);
        let site = s.details().site().get().map(|w| w.0.clone());
        Some((s.employer.given()?, site))
    };
    let pooled = m.pools_of();
    let slotted = m.slots_from();
    for (p, s) in m.before.posts() {
        if pooled.contains_key(&p) || slotted.contains_key(&p) {
            continue;
        }
        let before = m.state(s);
        // slotted, retired, already gone, or transferring to another employer (TUPE, a
        // transfer scheme, a secondment): not a dismissal
        if [Reason::Retired, Reason::Slotted, Reason::Vacant]
            .iter()
            .any(|r| before.has_reason(*r))
            || !before.details().transfer().is_absent()
        {
            continue;
        }
        let Some(key) = key_of(p) else { continue };
        // worked out once for every post (`relations.rs`), the rules read it too
        match m.displacement(p) {
            Displacement::New | Displacement::Taken(0, _) => {}
            // what becomes of them is open, or only the paper's own words say: not
            // certainly a dismissal, so what is counted is a lower bound
            Displacement::Taken(..) if outcome_unknown(before) => {
                entry(&mut out, key).at_least = true;
            }
            Displacement::Taken(people, _) => entry(&mut out, key).posts.push((p, people)),
            // holders or counts still open: what is counted is a lower bound
            Displacement::Open => entry(&mut out, key).at_least = true,
        }
    }
    for (i, pool) in d.pools.iter().enumerate() {
        let mut keys = pool
            .candidates
            .list()
            .iter()
            .filter_map(|c| c.value.get::<PostIx>())
            .filter_map(key_of);
        // a pool across establishments cannot say where its surplus falls: not counted
        let Some(key) = keys.next() else { continue };
        if keys.any(|k| k != key) {
            continue;
        }
        match surplus(m, i) {
            Some(0) => {}
            Some(n) => entry(&mut out, key).pools.push((i as u32, n)),
            None => entry(&mut out, key).at_least = true,
        }
    }
    // the paper's own figure replaces the count of its authority's posts
    if let Some(spec) = &d.spec {
        if let (Known::Given(stated, _), Some(authority)) =
            (spec.redundancies, spec.authority.given())
        {
            out.retain(|(org, _), _| *org != authority);
            let e = entry(&mut out, (authority, None));
            e.stated = true;
            e.people = stated.people;
            e.at_least = stated.at_least;
        }
    }
    let own = !out.is_empty();
    let first = m.first_dismissal().map(|e| d.events[e as usize].start);
    // a paper of figures alone: each of its notices is a proposal of its own, unless their
    // dismissals certainly fall within the same 90 days (the first notice's anchor them)
    let mut notices: Vec<(Key, Known<crate::value::Date>, Establishment)> = Vec::new();
    for (i, proposal) in d.proposals.iter().enumerate() {
        let Some(org) = proposal.employer.given() else {
            continue;
        };
        let key = (org, proposal.site.get().map(|w| w.0.clone()));
        let (people, at_least) = stated_people(proposal);
        if people == 0 && !at_least {
            continue;
        }
        let add = |e: &mut Establishment| {
            e.proposals.push(i as u32);
            e.people += people;
            e.at_least |= at_least;
        };
        if own {
            // another notice counts with the paper's own only within the same 90 days
            if out.contains_key(&key) && first.is_some_and(|f| same_90_days(f, proposal.dismissals))
            {
                add(entry(&mut out, key));
            }
            continue;
        }
        let joined = notices
            .iter_mut()
            .find(|(k, anchor, _)| *k == key && same_90_days(*anchor, proposal.dismissals));
        if let Some((_, _, e)) = joined {
            add(e);
        } else {
            let mut e = Establishment::empty(key.clone());
            add(&mut e);
            notices.push((key, proposal.dismissals, e));
        }
    }
    let mut all: Vec<Establishment> = out
        .into_values()
        .chain(notices.into_iter().map(|(_, _, e)| e))
        .map(|mut e| {
            if !e.stated {
                let posts: u32 = e.posts.iter().map(|(_, n)| n).sum();
                let pools: u32 = e.pools.iter().map(|(_, n)| n).sum();
                e.people += posts + pools;
            }
            e
        })
        .filter(|e| e.people > 0 || e.at_least)
        .collect();
    all.sort_by(|a, b| (a.employer, &a.site).cmp(&(b.employer, &b.site)));
    all
}

/// Candidates less places: the candidates a pool displaces (`None` while open).
pub fn surplus(m: &Model, pool: usize) -> Option<u32> {
    let pool = &m.decls.pools[pool];
    let mut candidates = 0u32;
    for c in pool.candidates.list() {
        candidates += match c.value.get::<PostIx>() {
            Some(p) => match m.before.state(p) {
                Some(s) => m.state(s).holders_known()?,
                None => 0,
            },
            None => 1,
        };
    }
    let mut places = 0u32;
    for p in pool.posts.list() {
        if let Some(s) = m.structure(Side::After).state(p.value) {
            let s = m.state(s);
            if s.details().count().is_open() {
                return None;
            }
            places += s.count();
        }
    }
    Some(candidates.saturating_sub(places))
}

/// The people a stated proposal counts: its figure, else at least the FTE at risk that is
/// not vacant (nobody holds more than one FTE).
fn stated_people(p: &crate::decl::Proposal) -> (u32, bool) {
    if let Known::Given(h, _) = p.redundancies {
        return (h.people, h.at_least);
    }
    match (p.fte.given(), p.vacant_fte.given().unwrap_or(Decimal::ZERO)) {
        (Some(fte), vacant) => {
            let held = (fte - vacant).max(Decimal::ZERO).ceil();
            (u32::try_from(held).unwrap_or(u32::MAX), true)
        }
        (None, _) => (0, !p.redundancies.is_absent()),
    }
}

/// A post whose holders' outcome is `tbd`, or given only as the paper's own words
/// (`reason "identified through phase 1"`): orgspec cannot tell whether they are dismissed.
fn outcome_unknown(s: &PostState) -> bool {
    let reason = s.details().reason();
    reason.is_open()
        || (!reason.list().is_empty()
            && reason
                .list()
                .iter()
                .all(|r| matches!(r.value, Why::Text(_))))
}

/// The establishment of a key, made empty when first met.
fn entry(out: &mut FxHashMap<Key, Establishment>, key: Key) -> &mut Establishment {
    out.entry(key.clone())
        .or_insert_with(|| Establishment::empty(key))
}

impl Establishment {
    fn empty((employer, site): Key) -> Establishment {
        Establishment {
            employer,
            site,
            posts: Vec::new(),
            pools: Vec::new(),
            proposals: Vec::new(),
            stated: false,
            people: 0,
            at_least: false,
        }
    }
}

/// Whether two dismissal dates certainly fall within one period of 90 days.
fn same_90_days(a: Known<crate::value::Date>, b: Known<crate::value::Date>) -> bool {
    match (a, b) {
        (Known::Given(a, _), Known::Given(b, _)) => {
            a.last_day().max(b.last_day()) - a.first_day().min(b.first_day()) < 90
        }
        _ => false,
    }
}
