//! Syntax tree → resolved declarations.
//!
//! Two passes over the items of a compilation unit: the first declares every id (so items
//! may appear in any order and across files), the second lowers each item, resolving its
//! references and checking each value's kind. Every problem is a diagnostic; lowering
//! carries on with what it could read.
//!
//! - `declare.rs`: pass 1, and the grade tables;
//! - `fields.rs`: every field, lowered by the shape of its value (the vocabulary's rows);
//! - `values.rs`: reading one written value: numbers, dates, money, words, lists;
//! - `references.rs`: names resolved to items, with "did you mean";
//! - `posts.rs`: posts and their two sides; `items.rs`: every other item;
//! - `messages.rs`: the diagnostics several of them give, and the `undecided` notes.

mod declare;
mod fields;
mod items;
mod messages;
mod posts;
mod references;
mod shapes;
mod timeline;
mod values;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::names::{Entry, Names};
use crate::decl::{Decls, GradeIx, Lifecycle, OrgIx, Post, PostState, StateIx};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Deferred, Item};
use crate::vocab::Namespace;

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
    Proposal,
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
            Kind::Proposal => Namespace::Proposal,
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
    fn own(&mut self) -> &mut Names<'a> {
        match self {
            NamesHandle::Own(n) => n,
            NamesHandle::Shared(_) => unreachable!("ids are declared in pass 1, before sharing"),
        }
    }

    fn declare(&mut self, ns: Namespace, entry: Entry) -> Result<(), Entry> {
        self.own().declare(ns, entry)
    }
}

/// Below this many posts, posts are lowered on one thread.
const PARALLEL_POSTS: usize = 2048;

/// What lowering a unit gives: its declarations, its own rules (resolved by the check
/// stage against `names`), the unit's ids and the findings on the way.
pub struct Lowered<'a> {
    pub decls: Decls,
    /// The unit's `rule` items, in order.
    pub rules: Vec<&'a Item>,
    /// Every id the unit declares.
    pub names: Names<'a>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each id is declared and used, when asked for.
    pub index: Option<super::NameIndex>,
    /// A post left to be parsed when lowered did not read as its head was declared
    /// ([`Lowerer::lower_releasing`]): what was lowered is not the unit's, and the unit is
    /// to be parsed in full and lowered again.
    pub incomplete: bool,
}

impl Lowered<'_> {
    /// Keep the unit's ids only for its own rules, which look them up again when compiled
    /// (`p.employer == sbc`); the library's rules name none. A unit without rules lets
    /// them go before its model is built and checked (100k posts: 2.3 MB of the peak).
    pub fn keep_names_for_rules(&mut self) {
        if self.rules.is_empty() {
            self.names.release();
        }
    }
}

pub struct Lowerer<'a, 'n> {
    src: &'a SourceMap,
    names: NamesHandle<'a, 'n>,
    grades_by_org: FxHashMap<(OrgIx, &'a str), GradeIx>,
    decls: Decls,
    rules: Vec<&'a Item>,
    diagnostics: Vec<Diagnostic>,
    spec_seen: Option<Span>,
    /// `tbd`s of the item being lowered.
    /// Each: where, what, and the label there.
    open_questions: Vec<(Span, String, String)>,
    /// The name of the field being lowered, for values whose findings point at it.
    field_name: Span,
    /// Where each id is declared and used, for editors; `None` when checking.
    index: Option<super::NameIndex>,
    /// Decisions' `on ID` (the entry's index, the name), resolved once every timeline is
    /// lowered: a decision may name a consultation listed after it.
    decides_on: Vec<(u32, &'a ast::Atom)>,
    /// Items that could not be read: their keyword and id (`ParsedFile::lost`).
    lost: Vec<(Span, Span)>,
    /// A post left to be parsed did not read as declared ([`Lowered::incomplete`]).
    incomplete: bool,
}

impl<'a, 'n> Lowerer<'a, 'n> {
    pub fn new(src: &'a SourceMap) -> Lowerer<'a, 'n> {
        Lowerer::with_names(src, NamesHandle::Own(Box::new(Names::new(src))), false)
    }

    fn with_names(src: &'a SourceMap, names: NamesHandle<'a, 'n>, indexing: bool) -> Self {
        Lowerer {
            src,
            names,
            grades_by_org: FxHashMap::default(),
            decls: Decls::default(),
            rules: Vec::new(),
            diagnostics: Vec::new(),
            spec_seen: None,
            open_questions: Vec::new(),
            field_name: Span::default(),
            index: indexing.then(super::NameIndex::default),
            decides_on: Vec::new(),
            lost: Vec::new(),
            incomplete: false,
        }
    }

    /// Mark the id of an unread item of kind `keyword` as lost.
    fn mark_lost(&mut self, keyword: &str, id: Span) {
        let ns = match keyword {
            "org" => Namespace::Org,
            "area" => Namespace::Area,
            "person" => Namespace::Person,
            "post" => Namespace::Post,
            "pool" => Namespace::Pool,
            "service" => Namespace::Service,
            "agreement" => Namespace::Agreement,
            "budget" => Namespace::Budget,
            "proposal" => Namespace::Proposal,
            "rule" => Namespace::Rule,
            _ => return,
        };
        let name = self.src.slice(id);
        self.names.own().mark_lost(ns, name);
    }

    /// The items of the unit that could not be read (keyword and id of each).
    #[must_use]
    pub fn with_lost(mut self, lost: Vec<(Span, Span)>) -> Self {
        self.lost = lost;
        self
    }

    /// Also record where each id is declared and used.
    #[must_use]
    pub fn indexing(mut self) -> Self {
        self.index = Some(super::NameIndex::default());
        self
    }

    fn text(&self, span: Span) -> &'a str {
        self.src.slice(span)
    }

    /// Report a mistake; one made by copying a paper's notation (`18 September 2012`,
    /// `x 2`) is said as that notation, with orgspec's form.
    fn push(&mut self, d: Diagnostic) {
        let d = if matches!(&*d.rule, "type_mismatch" | "invalid_value" | "syntax_error") {
            let text = &self.src.get(d.span.file).text;
            crate::syntax::notations::restate(&d, text, 0).unwrap_or(d)
        } else {
            d
        };
        self.diagnostics.push(d);
    }

    /// Lower all items of a unit (files in load order).
    pub fn lower(self, items: &[&'a Item]) -> Lowered<'a> {
        self.lower_lent(items.iter().map(|&item| Lent::Keep(item)).collect())
    }

    /// [`Lowerer::lower`], emptying each post's item as soon as the post is lowered: its
    /// fields (most of a large spec's syntax tree) are freed on the way, and the memory
    /// is taken again by what lowering builds, instead of both being held at once. What
    /// stays of the item — its keyword, header and span — still finds it
    /// (`Workspace::item_at`); its fields are gone, so it cannot be lowered again.
    ///
    /// A post given as its text ([`Deferred`]) is one left to be parsed now
    /// ([`crate::syntax::defer`]); when its text does not read as its head was declared,
    /// the result is [`Lowered::incomplete`].
    pub fn lower_releasing(self, items: Vec<Lent<'a>>) -> Lowered<'a> {
        self.lower_lent(items)
    }

    fn lower_lent(mut self, items: Vec<Lent<'a>>) -> Lowered<'a> {
        // Pass 1: declare.
        let posts = items.iter().filter(|i| i.is_post(self.src)).count();
        self.names.own().reserve(Namespace::Post, posts);
        let mut kinds = Vec::with_capacity(items.len());
        let mut counters: FxHashMap<Namespace, u32> = FxHashMap::default();
        // the posts' ids, declared together once all are known when there are many
        // (`Names::declare_all`)
        let together = posts >= super::names::TOGETHER_FROM;
        let mut post_ids = Vec::with_capacity(if together { posts } else { 0 });
        for lent in &items {
            // a post left to be parsed is declared from its head (its lifecycle and id),
            // read once here from its first line
            let head = match lent {
                Lent::Deferred(post) => Some(post.head(&self.src.get(post.file).text)),
                _ => None,
            };
            let kind = match head {
                Some(head) => Some(Kind::Post(lifecycle(head.lifecycle))),
                None => lent.item().and_then(|item| self.item_kind(item)),
            };
            kinds.push(kind);
            let Some(kind) = kind else { continue };
            if let Some(ns) = kind.namespace() {
                // indices stay aligned with the vectors pass 2 fills, even without an id
                let n = counters.entry(ns).or_insert(0);
                let index = *n;
                *n += 1;
                let id = match head {
                    Some(head) => Some(head.id),
                    None => lent.item().and_then(|item| self.header_id(item)),
                };
                match id {
                    Some(id) if together && ns == Namespace::Post => {
                        self.index_declaration(ns, id);
                        post_ids.push(Entry { index, span: id });
                    }
                    Some(id) => self.declare(ns, id, index),
                    None => {}
                }
            }
            if let (Kind::Timeline, Some(item)) = (kind, lent.item()) {
                self.declare_timeline_ids(item);
            }
        }
        for (i, first) in self.names.own().declare_all(Namespace::Post, &post_ids) {
            let id = post_ids[i].span;
            let d = messages::duplicate(Namespace::Post, self.text(id), id, first.span);
            self.push(d);
        }
        // sixteen bytes a post, not to be held while they are lowered
        drop(post_ids);
        // each kind's list made to fit once: grown by doubling, the room left empty was
        // held to the end of the check (pools: 2.2 MB at 1M posts)
        let count = |ns| counters.get(&ns).map_or(0, |&n| n as usize);
        self.decls.pools.reserve_exact(count(Namespace::Pool));
        self.decls.services.reserve_exact(count(Namespace::Service));
        self.decls
            .agreements
            .reserve_exact(count(Namespace::Agreement));
        self.decls.budgets.reserve_exact(count(Namespace::Budget));
        self.decls
            .proposals
            .reserve_exact(count(Namespace::Proposal));
        // Posts apart, lent as they came; every other item shared for as long as the
        // unit's findings and rules need it.
        let mut posts: Vec<(Lent<'a>, Lifecycle)> = Vec::with_capacity(posts);
        let mut others: Vec<(&'a Item, Option<Kind>)> = Vec::new();
        for (lent, kind) in items.into_iter().zip(kinds) {
            match (kind, lent) {
                (Some(Kind::Post(lifecycle)), lent) => posts.push((lent, lifecycle)),
                (_, Lent::Keep(item)) => others.push((item, kind)),
                (_, Lent::Free(item)) => others.push((item, kind)),
                // a post left to be parsed is a post (above)
                (_, Lent::Deferred(_)) => {}
            }
        }
        // The ids of items that could not be read, or whose keyword is misspelt: uses of
        // them report nothing more (their item's finding says what is wrong).
        let lost = std::mem::take(&mut self.lost);
        for (keyword, id) in lost {
            self.mark_lost(self.text(keyword), id);
        }
        for &(item, kind) in &others {
            if kind.is_none() {
                let keyword = crate::resolve::names::closest(
                    self.text(item.kind),
                    crate::vocab::ITEM_KINDS.iter().copied(),
                );
                let id = item
                    .first_atom()
                    .filter(|a| matches!(a.kind, ast::AtomKind::Word));
                if let (Some(keyword), Some(id)) = (keyword.first(), id) {
                    self.mark_lost(keyword, id.span);
                }
            }
        }
        // Grades need their org, so they are declared once every org is.
        for &(item, kind) in &others {
            if kind == Some(Kind::Grade) {
                self.declare_grade(item);
            }
        }
        declare::rank_grades(&mut self.decls.grades);

        // Pass 2: lower. Posts, the bulk of a large spec, are lowered on every core.
        for (item, kind) in others {
            let Some(kind) = kind else { continue };
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
                Kind::Proposal => self.lower_proposal(item),
                Kind::Rule => self.lower_rule(item),
            }
            self.flush_undecided(item);
        }
        self.lower_posts(posts);
        for (index, on) in std::mem::take(&mut self.decides_on) {
            self.decides_on(index, on);
        }
        self.phase_refs();
        self.regrade_by_employer();
        let NamesHandle::Own(names) = self.names else {
            unreachable!("the unit's lowerer owns its names")
        };
        Lowered {
            decls: self.decls,
            rules: self.rules,
            names: *names,
            diagnostics: self.diagnostics,
            index: self.index,
            incomplete: self.incomplete,
        }
    }

    /// Lower posts in declaration order, in parallel chunks for a large spec: each worker
    /// shares the declared names, and writes each post into its place in the unit's list
    /// and the post's first state into its place in the unit's states (the same place
    /// among them); the second states of the posts that change are placed after them all.
    fn lower_posts(&mut self, mut posts: Vec<(Lent<'a>, Lifecycle)>) {
        let src = self.src;
        let indexing = self.index.is_some();
        let lower_chunk = |names: &Names<'a>,
                           chunk: &mut [(Lent<'a>, Lifecycle)],
                           places: &mut [Post],
                           states: &mut [PostState],
                           first: u32| {
            let mut worker = Lowerer::with_names(src, NamesHandle::Shared(names), indexing);
            // the posts that change, by their place in the chunk, with their second state
            let mut seconds = Vec::new();
            let places = places.iter_mut().zip(states);
            for (i, ((lent, lifecycle), (place, state))) in chunk.iter_mut().zip(places).enumerate()
            {
                let read = lent.read(src);
                let item = match (&read, lent.item()) {
                    (Read::Already, Some(item)) | (Read::Now(item), _) => item,
                    // `Already` is said only of an item read when loaded
                    (Read::Already | Read::Otherwise, _) => {
                        worker.incomplete = true;
                        break;
                    }
                };
                worker.lower_allows(item);
                // the worker's states are the post's alone: its first (index 0), and its
                // second when it changes (1)
                worker.lower_post(item, *lifecycle);
                let mut own = worker.decls.states.take();
                if let Some(first_state) = own.next() {
                    *state = first_state;
                }
                if let Some(second) = own.next() {
                    seconds.push((i, second));
                }
                drop(own);
                if let Some(mut post) = worker.decls.posts.pop() {
                    let at = StateIx::new(first + i as u32);
                    // the second state's index is given when it is placed
                    post.before = post.before.map(|_| at);
                    post.after = post.after.map(|_| at);
                    *place = post;
                }
                worker.flush_undecided(item);
                lent.release(read);
            }
            (
                worker.decls,
                worker.diagnostics,
                worker.index,
                worker.incomplete,
                seconds,
            )
        };
        let names: &Names<'a> = &self.names;
        // Each post is written into its place in the unit's list by the worker that lowers
        // it: collected by each worker and copied together afterwards, every post was held
        // twice at the lowering's end (100k posts: 8.8 MB more at the peak). So is its
        // first state.
        let base = self.decls.posts.len();
        self.decls
            .posts
            .resize_with(base + posts.len(), Post::placeholder);
        let places = &mut self.decls.posts[base..];
        let first = self.decls.states.open(posts.len());
        let states = self.decls.states.places(first);
        let size = if posts.len() < PARALLEL_POSTS {
            posts.len().max(1)
        } else {
            posts.len().div_ceil(rayon::current_num_threads() * 4)
        };
        let at = |c: usize| first + (c * size) as u32;
        let parts: Vec<_> = if posts.len() < PARALLEL_POSTS {
            vec![lower_chunk(names, &mut posts, places, states, first)]
        } else {
            posts
                .par_chunks_mut(size)
                .zip(places.par_chunks_mut(size))
                .zip(states.par_chunks_mut(size))
                .enumerate()
                .map(|(c, ((chunk, places), states))| {
                    lower_chunk(names, chunk, places, states, at(c))
                })
                .collect()
        };
        self.decls
            .states
            .reserve_exact(parts.iter().map(|part| part.4.len()).sum());
        for (c, (mut part, diagnostics, index, incomplete, seconds)) in
            parts.into_iter().enumerate()
        {
            self.incomplete |= incomplete;
            if let (Some(all), Some(mut part)) = (self.index.as_mut(), index) {
                all.references.append(&mut part.references);
            }
            for (i, second) in seconds {
                let s = self.decls.states.push(second);
                self.decls.posts[base + c * size + i].after = Some(s);
            }
            self.decls.allows.append(&mut part.allows);
            self.diagnostics.extend(diagnostics);
        }
    }
}

/// An item as lowering holds it.
pub enum Lent<'a> {
    /// Shared: read, and kept as it is.
    Keep(&'a Item),
    /// Lent to be emptied once lowered, if it is a post ([`Lowerer::lower_releasing`]);
    /// any other item is shared once its kind is known.
    Free(&'a mut Item),
    /// A post left to be parsed when lowered: where its text is, its head first.
    Deferred(&'a Deferred),
}

impl Lent<'_> {
    /// Whether the item's keyword is `post` (a post left to be parsed is one by its scan).
    fn is_post(&self, src: &SourceMap) -> bool {
        self.item()
            .is_none_or(|item| src.slice(item.kind) == "post")
    }

    /// The item, when it was read as its file was loaded (not a post left to be parsed,
    /// which [`Lent::read`] reads).
    fn item(&self) -> Option<&Item> {
        match self {
            Lent::Keep(item) => Some(item),
            Lent::Free(item) => Some(item),
            Lent::Deferred(_) => None,
        }
    }

    /// The tree of a post left to be parsed, parsed now.
    fn read(&self, src: &SourceMap) -> Read {
        let Lent::Deferred(post) = self else {
            return Read::Already;
        };
        let text = &src.get(post.file).text;
        crate::syntax::defer::parse_deferred(post.file, text, post)
            .filter(|full| crate::syntax::defer::same_head(post, text, full))
            .map_or(Read::Otherwise, Read::Now)
    }

    /// Free what lowering read and nothing after it reads: the fields, `///` lines and
    /// annotations of a lent item; all of `read`, the tree of a post left to be parsed.
    fn release(&mut self, read: Read) {
        match (self, read) {
            (Lent::Free(item), _) => {
                item.block = None;
                item.docs = Box::default();
                item.annotations = Box::default();
            }
            // the post's head names it (its keyword and id, all that is read of it
            // afterwards), and the tree goes
            (Lent::Keep(_) | Lent::Deferred(..), _) => {}
        }
    }
}

/// What became of an item's text when it was lowered ([`Lent::read`]).
#[expect(
    clippy::large_enum_variant,
    reason = "one a post, moved once into the item it reads: boxing it would add an allocation per post"
)]
enum Read {
    /// Read when its file was loaded.
    Already,
    /// A post left to be parsed, parsed now.
    Now(Item),
    /// A post left to be parsed whose text does not read as its head says.
    Otherwise,
}

/// The lifecycle a `new` or `deleted` before `post` gives.
fn lifecycle(written: Option<(ast::Lifecycle, Span)>) -> Lifecycle {
    match written {
        None => Lifecycle::Continuing,
        Some((ast::Lifecycle::New, _)) => Lifecycle::New,
        Some((ast::Lifecycle::Deleted, _)) => Lifecycle::Deleted,
    }
}
