//! Which posts a check need not ask: those its filter cannot hold of.
//!
//! Most of a check's filters ask of every post and hold of a few:
//! `monitoring_officer in p.statutory`, `p.discipline != none`, `secondment in p.recruit`,
//! `count(r in p.statutory where …) >= 2`, `p.citywide`. Each such condition is about one
//! field of the post, and is not true of a post that leaves the field out — and most posts
//! leave it out. When one of a filter's conditions joined by `and` is of that kind (or a
//! later generator ranges over a field of the post, `r in p.statutory`), the check asks
//! only the posts that write the field, from an index built once for every rule
//! (`Model::posts_writing`); the others could not make a finding.
//!
//! Whether a condition is of that kind is not assumed from its form: it is asked of the
//! value the field has when it is left out — the row's default, an empty list, `false`,
//! `none`, or unknown for a required field — with the same comparison the check will make.
//! Only when that answer is not `true` is the field a guard.
//!
//! The same for what most posts have none of: entries in an indexed relation
//! (`count(p.slots) > 0`: the posts in the index), a change (`p.changed`, `p.new`,
//! `p.deleted`: read of each post's record) and holders the restructure displaces
//! (`p.displaced > 0`: the posts `Model::displaced_posts` lists). Each is read of the
//! posts it keeps as the check would read it. Of several, the one that keeps the fewest
//! posts is taken. And a check over funding shares whose filter asks something of the
//! funder (`f.org.until != none`) asks it of each org, then only the shares of those it
//! holds of.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::LazyLock;

use super::fields::{Cx, ReadField};
use super::{Evaluator, R};
use crate::check::engine::builtins::Builtin;
use crate::check::engine::compile::{Check, Node};
use crate::check::engine::schema::{Access, Collection};
use crate::check::engine::value::{Val, V};
use crate::decl::{OrgIx, PostIx, PostState};
use crate::model::{Model, Side};
use crate::syntax::ast::BinaryOp;
use crate::value::Decimal;
use crate::vocab::Derived;

/// Whether checks are guarded. Guards never change what a check finds, only how many
/// subjects it asks; they are turned off only to show that (tests and fuzzing).
static GUARDED: AtomicBool = AtomicBool::new(true);

/// Turn guards off (`false`) or on, for every check of the process: a check then asks
/// every subject, and must find the same.
#[doc(hidden)]
pub fn set_guarded(on: bool) {
    GUARDED.store(on, Ordering::Relaxed);
}

/// A post that writes no field.
static NOTHING_WRITTEN: LazyLock<PostState> = LazyLock::new(PostState::default);

impl<'a> Evaluator<'a> {
    /// The only elements of what `check` ranges over first that it can find anything in
    /// (in order); `None` when every one must be asked.
    pub(super) fn guard(&mut self, check: &'a Check) -> R<Option<Subjects<'a>>> {
        if !GUARDED.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let Some(((slot, over), inner)) = check.generators.split_first() else {
            return Ok(None);
        };
        let side = match over {
            Node::Collection(Collection::Posts) => Side::After,
            Node::Collection(Collection::PostsBefore) => Side::Before,
            Node::Collection(Collection::Shares) => return self.shares_guard(check, *slot),
            _ => return Ok(None),
        };
        let mut guards = Vec::new();
        // `r in p.statutory`: no element, nothing to ask
        for (_, over) in inner {
            if let Node::LocalField(s, Access::Written(ix)) = over {
                if s == slot && Self::empty_when_absent(usize::from(*ix), side) {
                    guards.push(Guard::Writes(usize::from(*ix)));
                }
            }
        }
        let mut conditions = Vec::new();
        if let Some(filter) = &check.filter {
            self.conjuncts(filter, &mut conditions)?;
        }
        for c in conditions {
            guards.extend(self.rules_out_absent(c, *slot, side)?);
        }
        // the fewest posts (a field's posts counted, and listed only when they are taken:
        // a field nearly every post writes is not worth a list)
        let m: &'a Model = self.model;
        let fewest = guards
            .into_iter()
            .map(|g| match g {
                Guard::Writes(ix) => (m.count_writing(side, ix), Guard::Writes(ix)),
                Guard::Listed(posts) => {
                    let posts: Vec<PostIx> = posts
                        .into_iter()
                        .filter(|p| m.structure(side).exists(*p))
                        .collect();
                    (posts.len(), Guard::Listed(posts))
                }
            })
            .min_by_key(|(n, _)| *n);
        Ok(fewest.map(|(_, g)| {
            let posts = match g {
                Guard::Writes(ix) => Cow::Borrowed(m.posts_writing(side, ix)),
                Guard::Listed(posts) => Cow::Owned(posts),
            };
            Subjects::Posts(side, posts)
        }))
    }

    /// `for f in shares where f.org.until != none`: a condition on a field of the share's
    /// funder, asked of each org (there are few); when it holds of none, no share is
    /// asked, else only the shares of those it holds of.
    fn shares_guard(&mut self, check: &'a Check, slot: usize) -> R<Option<Subjects<'a>>> {
        let mut conditions = Vec::new();
        if let Some(filter) = &check.filter {
            self.conjuncts(filter, &mut conditions)?;
        }
        let m: &'a Model = self.model;
        for c in conditions {
            let Node::Binary(op, l, r) = c else { continue };
            let (Node::Field(base, f), Node::Const(k)) = (&**l, &**r) else {
                continue;
            };
            if !op.is_comparison()
                || !matches!(&**base, Node::LocalField(s, Access::Derived(Derived::ShareOrg)) if *s == slot)
            {
                continue;
            }
            // a share whose funder is unknown or missing: is the condition true of it?
            let mut open = false;
            for funder in [Val::None, Val::Unknown] {
                let v = self.field(&V::bare(funder), *f);
                open |= self.compare(*op, &v.val, k)? == Some(true);
            }
            if open {
                continue;
            }
            let mut orgs = vec![false; m.decls.orgs.len()];
            for (o, holds) in orgs.iter_mut().enumerate() {
                let v = self.field(&V::bare(Val::Org(OrgIx(o as u32))), *f);
                *holds = self.compare(*op, &v.val, k)? == Some(true);
            }
            let mut shares = Vec::new();
            if orgs.contains(&true) {
                for &(p, i) in m.shares() {
                    let share = V::bare(Val::Share(p, Side::After, i));
                    let org = self.field(&share, Access::Derived(Derived::ShareOrg));
                    if matches!(org.val, Val::Org(o) if orgs[o.ix()]) {
                        shares.push(share);
                    }
                }
            }
            return Ok(Some(Subjects::Shares(shares)));
        }
        Ok(None)
    }

    /// The conditions of a filter joined by `and`; `a or b` where `b` depends only on
    /// the rule's parameters and is false in this run (`… or limit < 0`) is `a`.
    fn conjuncts(&mut self, node: &'a Node, out: &mut Vec<&'a Node>) -> R<()> {
        match node {
            Node::Binary(BinaryOp::And, a, b) => {
                self.conjuncts(a, out)?;
                self.conjuncts(b, out)?;
            }
            Node::Binary(BinaryOp::Or, a, b) if constant(b) && self.truth(b)? == Some(false) => {
                self.conjuncts(a, out)?;
            }
            Node::Binary(BinaryOp::Or, a, b) if constant(a) && self.truth(a)? == Some(false) => {
                self.conjuncts(b, out)?;
            }
            _ => out.push(node),
        }
        Ok(())
    }

    /// The value of a post's field when it is left out.
    fn absent(side: Side, ix: usize) -> V<'static> {
        let owner = Val::Post(PostIx(0), side);
        NOTHING_WRITTEN.read(
            ix,
            &Cx {
                side,
                owner: &owner,
                file: crate::source::FileId::default(),
            },
        )
    }

    fn empty_when_absent(ix: usize, side: Side) -> bool {
        match Self::absent(side, ix).val {
            Val::None => true,
            Val::List(items) => items.is_empty(),
            _ => false,
        }
    }

    /// Those of `posts` whose derived field `d` is true, or passes the comparison with
    /// a constant: each read as the check would read it.
    fn posts_where(
        &mut self,
        side: Side,
        posts: impl IntoIterator<Item = PostIx>,
        d: Derived,
        test: Option<(BinaryOp, &Val<'a>)>,
    ) -> R<Guard> {
        let mut kept = Vec::new();
        for p in posts {
            // what `field` reads of a post's derived field, without its dispatch
            let v = self.post_derived(p, side, d);
            let holds = match test {
                None => matches!(v.val, Val::Bool(true)),
                Some((op, k)) => self.compare(op, &v.val, k)? == Some(true),
            };
            if holds {
                kept.push(p);
            }
        }
        Ok(Guard::Listed(kept))
    }

    /// What `c` needs of the post in `slot` to be true, when it needs a field written or
    /// an entry in an index.
    fn rules_out_absent(&mut self, c: &'a Node, slot: usize, side: Side) -> R<Option<Guard>> {
        let field = |n: &Node| match n {
            Node::LocalField(s, Access::Written(ix)) if *s == slot => Some(usize::from(*ix)),
            _ => None,
        };
        // `count(p.f)`: its elements (`true`); `count(x in p.f where …)`: no more than
        // its elements, so known only when there are none
        let counted = |n: &Node| match n {
            Node::Call(Builtin::Count, args, _) => match &args[..] {
                [arg] => field(arg).map(|ix| (ix, true)),
                _ => None,
            },
            Node::Aggregate {
                op: Some(Builtin::Count),
                over,
                ..
            } => field(over).map(|ix| (ix, false)),
            _ => None,
        };
        let answer = match c {
            // `p.changed`, `p.new`, `p.deleted`: what the post's record says
            Node::LocalField(
                s,
                Access::Derived(d @ (Derived::New | Derived::Deleted | Derived::Changed)),
            ) if *s == slot => {
                let m: &'a Model = self.model;
                let all = m.structure(side).posts().map(|(p, _)| p);
                return self.posts_where(side, all, *d, None).map(Some);
            }
            // `p.citywide`
            Node::LocalField(..) => match field(c) {
                Some(ix) => (
                    ix,
                    Some(matches!(Self::absent(side, ix).val, Val::Bool(true))),
                ),
                None => return Ok(None),
            },
            Node::Binary(op, l, r) if op.is_comparison() => {
                if let (
                    Node::LocalField(
                        s,
                        Access::Derived(d @ (Derived::Displaced | Derived::DisplacedFte)),
                    ),
                    Node::Const(k),
                ) = (&**l, &**r)
                {
                    // `p.displaced > 0`: not true of a post nothing is taken from, so asked
                    // only of those something is taken from (or may be)
                    let zero = Val::Num(Decimal::ZERO);
                    if *s != slot || self.compare(*op, &zero, k)? == Some(true) {
                        return Ok(None);
                    }
                    let m: &'a Model = self.model;
                    return self
                        .posts_where(
                            side,
                            m.displaced_posts().iter().copied(),
                            *d,
                            Some((*op, k)),
                        )
                        .map(Some);
                } else if let (Some(ix), Node::Const(k)) = (field(l), &**r) {
                    // `p.f != none`, `p.f == k`, `p.f > 3`
                    (ix, self.compare(*op, &Self::absent(side, ix).val, k)?)
                } else if let (Node::Const(k), Some(ix)) = (&**l, field(r)) {
                    // `k in p.f`
                    (ix, self.compare(*op, k, &Self::absent(side, ix).val)?)
                } else if let (Some((ix, whole)), Node::Const(k)) = (counted(l), &**r) {
                    // `count(p.f) > 0`: none of no elements; `count(p.funded) > 1`: a post
                    // that names no funder has one share, its employer's
                    let n = match Self::absent(side, ix).val {
                        Val::None => 0,
                        Val::List(items) if whole || items.is_empty() => items.len(),
                        _ => return Ok(None),
                    };
                    (ix, self.compare(*op, &Val::Num(Decimal::from(n)), k)?)
                } else if let (Node::Call(Builtin::Count, args, _), Node::Const(k)) = (&**l, &**r) {
                    // `count(p.slots) > 0`: the posts with an entry in the index, and of
                    // them those whose count the comparison holds of
                    let [Node::LocalField(s, Access::Derived(d))] = &args[..] else {
                        return Ok(None);
                    };
                    if *s != slot || self.compare(*op, &Val::Num(Decimal::ZERO), k)? == Some(true) {
                        return Ok(None);
                    }
                    // the length of each post's entry, for the posts with one
                    let m: &'a Model = self.model;
                    let counts: Vec<(PostIx, usize)> = match (d, self.post_index(*d)) {
                        (_, Some(index)) => index.0.iter().map(|(p, e)| (*p, e.len())).collect(),
                        // `count(p.direct_reports) > 0`: the line managers
                        (Derived::DirectReports, None) => {
                            let structure = m.structure(side);
                            structure
                                .posts()
                                .map(|(p, _)| (p, structure.direct_reports(p).len()))
                                .filter(|(_, n)| *n > 0)
                                .collect()
                        }
                        _ => return Ok(None),
                    };
                    let mut posts = Vec::new();
                    for (p, n) in counts {
                        if self.compare(*op, &Val::Num(Decimal::from(n)), k)? == Some(true) {
                            posts.push(p);
                        }
                    }
                    posts.sort_unstable();
                    return Ok(Some(Guard::Listed(posts)));
                } else {
                    return Ok(None);
                }
            }
            _ => return Ok(None),
        };
        Ok((answer.1 != Some(true)).then_some(Guard::Writes(answer.0)))
    }
}

/// The elements a check asks, when not all of what it ranges over.
pub(super) enum Subjects<'a> {
    /// These posts of a side.
    Posts(Side, Cow<'a, [PostIx]>),
    /// These funding shares.
    Shares(Vec<V<'a>>),
}

/// What a post must have for a check to find anything in it.
enum Guard {
    /// The field at this place of [`PostState::FIELDS`] written.
    Writes(usize),
    /// To be one of these (in order, of either side).
    Listed(Vec<PostIx>),
}

/// Whether a condition depends on nothing but constants and the rule's parameters, and
/// so is the same for every element (`limit < 0`).
fn constant(node: &Node) -> bool {
    match node {
        Node::Const(_) | Node::Param(_) => true,
        Node::Not(x) | Node::Neg(x) => constant(x),
        Node::Binary(_, a, b) => constant(a) && constant(b),
        Node::List(items) => items.iter().all(constant),
        _ => false,
    }
}
