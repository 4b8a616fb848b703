//! The fields of values. A field a spec writes is read through its row: each shape says
//! what value it is to a rule ([`ValueOf`]), and the code that picks the field is
//! generated from the vocabulary, so no field is named here. Derived fields (a post's
//! `annual_cost`, a pool's `places`) are computed from the model.

use rustc_hash::FxHashMap;

use super::Evaluator;
use super::R;
use crate::check::engine::schema::Access;
use crate::check::engine::value::{empty_list, list_of, Val, V};
use crate::decl::{
    AgreementKind, AreaIx, Contact, Fallback, Few, Flag, GradeSpec, Headcount, Holder, Known,
    Money, OrgIx, OrgKind, PersonIx, PostIx, PostState, Ref, Role, Route, ServiceIx, ServiceKind,
    ServiceLevel, Share, Spanned, SpecStatus, Text, Why, Word, Words,
};
use crate::model::relations::under;
use crate::model::Side;
use crate::source::{FileId, Position, Span};
use crate::value::{Date, Decimal};
use crate::vocab::{FieldRow, Namespace};

/// What reading a field needs besides the field: the side a post is read on, the item
/// the field belongs to, and the file it is written in (a post's state keeps where its
/// fields are as [`At`]s in it).
pub struct Cx<'a, 'v> {
    pub side: Side,
    pub owner: &'v Val<'a>,
    pub file: FileId,
}

/// What a value of one shape is to a rule.
pub trait ValueOf {
    fn value_of<'a>(&'a self, span: Span, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a>;

    /// The value of the field when it is not written: its row's default, else `none`.
    fn absent<'a>(row: &FieldRow, _cx: &Cx<'a, '_>) -> V<'a> {
        match row.default {
            Some(n) => V::bare(Val::Num(Decimal::from(n))),
            None => V::bare(Val::None),
        }
    }
}

/// A field as a rule reads it: `tbd`, a value that could not be read, and a required
/// field left out (`missing_field`'s finding) are unknown — one mistake, one finding.
fn read<'a, T: ValueOf, S: Position>(k: &'a Known<T, S>, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
    match k {
        Known::Given(v, s) => v.value_of(s.span(cx.file), row, cx),
        Known::Undecided(s) | Known::Invalid(s) => V::at(Val::Unknown, s.span(cx.file)),
        Known::Absent if row.required.is_some() => V::bare(Val::Unknown),
        Known::Absent => T::absent(row, cx),
    }
}

/// The item a reference names, as a rule value; posts on the side the row or the reading
/// says.
fn item<'a>(r: Ref, row: &FieldRow, cx: &Cx<'a, '_>) -> Val<'a> {
    match r.namespace {
        Namespace::Post => Val::Post(PostIx(r.index), row.side.unwrap_or(cx.side)),
        Namespace::Org => Val::Org(OrgIx(r.index)),
        Namespace::Area => Val::Area(AreaIx(r.index)),
        Namespace::Service => Val::Service(ServiceIx(r.index)),
        Namespace::Person => Val::Person(PersonIx(r.index)),
        _ => Val::Unknown,
    }
}

macro_rules! references {
    ($($ty:ty),*) => {$(
        impl ValueOf for $ty {
            fn value_of<'a>(&'a self, span: Span, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
                let r = Ref { namespace: <$ty as crate::decl::Index>::NAMESPACE, index: crate::decl::Index::raw(*self) };
                V::at(item(r, row, cx), span)
            }
        }
    )*};
}

references!(OrgIx, PostIx, AreaIx, ServiceIx, PersonIx);

impl ValueOf for Ref {
    fn value_of<'a>(&'a self, span: Span, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        V::at(item(*self, row, cx), span)
    }
}

macro_rules! words {
    ($($ty:ty),*) => {$(
        impl ValueOf for $ty {
            fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
                V::at(Val::Sym(self.word().unwrap_or_default()), span)
            }
        }
    )*};
}

words!(
    OrgKind,
    ServiceKind,
    ServiceLevel,
    AgreementKind,
    SpecStatus,
    Route,
    crate::decl::Transfer
);

impl ValueOf for u32 {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Num(Decimal::from(*self)), span)
    }
}

/// A number stated exactly, or as a lower bound: a range with no top (`at least 118`).
impl ValueOf for Headcount {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        let n = Decimal::from(self.people);
        V::at(
            if self.at_least {
                Val::Between(Box::new((n, Decimal::MAX)))
            } else {
                Val::Num(n)
            },
            span,
        )
    }
}

impl ValueOf for Decimal {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Num(*self), span)
    }
}

impl ValueOf for Money {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Money(self.0), span)
    }
}

impl ValueOf for crate::decl::Percent {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Pct(self.0), span)
    }
}

/// A date is the days it may be: one day, or any day of a month.
impl ValueOf for Date {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Date(self.first_day(), self.last_day()), span)
    }
}

impl ValueOf for Text {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Str(&self.0), span)
    }
}

impl ValueOf for Word {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Sym(&self.0), span)
    }
}

impl ValueOf for Role {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Sym(&self.0), span)
    }
}

/// A flag is true when written, false when not.
impl ValueOf for Flag {
    fn value_of<'a>(&'a self, _: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::Bool(true))
    }

    fn absent<'a>(_: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::Bool(false))
    }
}

/// The grade rules read: the lower one of a spot salary.
impl ValueOf for GradeSpec {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(Val::Grade(self.lower()), span)
    }
}

/// A holder: the person, unknown for a holder named by a string, `none` when vacant.
impl ValueOf for Holder {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::at(
            match self {
                Holder::Person(p) => Val::Person(*p),
                Holder::Named => Val::Unknown,
                Holder::Vacant => Val::None,
            },
            span,
        )
    }
}

/// A reason given in words is read as its text.
impl ValueOf for Why {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        match self {
            Why::Text(text) => V::at(Val::Str(text), span),
            Why::Reason(r) => V::at(Val::Sym(r.word().unwrap_or_default()), span),
        }
    }
}

impl ValueOf for Fallback {
    fn value_of<'a>(&'a self, span: Span, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        V::at(
            match self {
                Fallback::Post(p) => Val::Post(*p, row.side.unwrap_or(cx.side)),
                Fallback::Outcome(o) => Val::Sym(o.word().unwrap_or_default()),
            },
            span,
        )
    }
}

/// A list: each element where it is written; no list when none is written.
impl<T: ValueOf> ValueOf for Box<[Spanned<T>]> {
    fn value_of<'a>(&'a self, _: Span, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::List(
            self.iter()
                .map(|x| x.value.value_of(x.span, row, cx))
                .collect(),
        ))
    }

    fn absent<'a>(_: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::List(empty_list()))
    }
}

/// A list of a post's state: each element where it is written, in the post's file.
impl<T: ValueOf> ValueOf for Few<T> {
    fn value_of<'a>(&'a self, _: Span, row: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::List(
            self.as_slice()
                .iter()
                .map(|x| x.value.value_of(x.span.span(cx.file), row, cx))
                .collect(),
        ))
    }

    fn absent<'a>(_: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::List(empty_list()))
    }
}

/// A post's funding shares; not written, the whole cost is its employer's.
impl ValueOf for Vec<Share> {
    fn value_of<'a>(&'a self, span: Span, _: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        let Val::Post(p, side) = *cx.owner else {
            return V::bare(Val::Unknown);
        };
        V::at(
            Val::List(
                (0..self.len() as u32)
                    .map(|i| V::bare(Val::Share(p, side, i)))
                    .collect(),
            ),
            span,
        )
    }

    fn absent<'a>(_: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        let Val::Post(p, side) = *cx.owner else {
            return V::bare(Val::None);
        };
        V::bare(Val::List(
            vec![V::bare(Val::Share(p, side, u32::MAX))].into(),
        ))
    }
}

/// A service's contacts, one per locality.
impl ValueOf for Vec<Contact> {
    fn value_of<'a>(&'a self, _: Span, _: &FieldRow, cx: &Cx<'a, '_>) -> V<'a> {
        let Val::Service(s) = *cx.owner else {
            return V::bare(Val::Unknown);
        };
        V::bare(Val::List(
            (0..self.len() as u32)
                .map(|c| V::bare(Val::Contact(s, c)))
                .collect(),
        ))
    }

    fn absent<'a>(_: &FieldRow, _: &Cx<'a, '_>) -> V<'a> {
        V::bare(Val::List(empty_list()))
    }
}

/// A field of an item, read by its position in the item's rows.
pub trait ReadField {
    fn read<'a>(&'a self, ix: usize, cx: &Cx<'a, '_>) -> V<'a>;
}

macro_rules! readers {
    (
        $(#[doc = $kdoc:literal])*
        kind $kw:ident $Ty:ident $Base:ident;
        fields { $( $(#[doc = $doc:literal])+ $name:ident : $ty:ty $(= $($attr:ident ( $($arg:expr),* ))+ )? ; )* }
        details $($Details:ident)? { $( $(#[doc = $cdoc:literal])+ $cname:ident : $cty:ty $(= $($cattr:ident ( $($carg:expr),* ))+ )? ; )* }
        aliases { $( $alias:ident => $target:ident : $help:literal ; )* }
    ) => {
        impl ReadField for crate::decl::$Ty {
            #[allow(unused_variables, reason = "an item may have no fields")]
            fn read<'a>(&'a self, ix: usize, cx: &Cx<'a, '_>) -> V<'a> {
                use crate::decl::$kw::Field;
                let row = &Self::FIELDS[ix];
                match Field::ALL[ix] {
                    $(Field::$name => read(&self.$name, row, cx),)*
                    $(Field::$cname => read(self.details().$cname(), row, cx),)*
                }
            }
        }
    };
    (all $($rest:tt)*) => {};
}

crate::vocab::vocabulary!(readers);

impl<'a> Evaluator<'a> {
    /// A post's state on a side, when it exists there: two reads, the side's table of
    /// states and the state (the rules read one millions of times in a large spec).
    pub(crate) fn state(&self, p: PostIx, side: Side) -> Option<&'a PostState> {
        let model = self.model;
        model.structure(side).state(p).map(|s| model.state(s))
    }

    /// A field of a value, mapped over a list (and flattened).
    pub(crate) fn project(&mut self, base: &V<'a>, f: Access) -> R<V<'a>> {
        match &base.val {
            Val::List(items) => {
                self.burn(items.len() as u64)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    let v = self.field(item, f);
                    match v.val {
                        Val::List(inner) => {
                            // flattening is a step per element
                            self.burn(inner.len() as u64)?;
                            out.extend(inner.iter().cloned());
                        }
                        Val::None => {}
                        _ => out.push(v),
                    }
                }
                Ok(V::bare(Val::List(list_of(out.into_iter()))))
            }
            _ => Ok(self.field(base, f)),
        }
    }

    /// One field of one value. `None` and `Unknown` pass through.
    pub(crate) fn field(&self, base: &V<'a>, f: Access) -> V<'a> {
        match f {
            Access::Written(ix) => self.written(&base.val, usize::from(ix)),
            Access::Derived(d) => self.derived(base, d),
        }
    }

    /// A field the spec writes, by its position in the item's rows.
    fn written(&self, base: &Val<'a>, ix: usize) -> V<'a> {
        let d = &self.model.decls;
        // the file of an item other than a post is in each of its spans
        let cx = |side| Cx {
            side,
            owner: base,
            file: FileId::default(),
        };
        match base {
            Val::Unknown => V::bare(Val::Unknown),
            Val::Post(p, side) => match self.state(*p, *side) {
                // a line of a circle is `reports_to_cycle`'s: what it says is not known
                Some(_)
                    if ix == crate::decl::post::Field::reports_to as usize
                        && self.model.structure(*side).on_cycle(*p) =>
                {
                    V::bare(Val::Unknown)
                }
                Some(s) => s.read(
                    ix,
                    &Cx {
                        side: *side,
                        owner: base,
                        file: self.model.post_file(*p),
                    },
                ),
                None => V::bare(Val::None),
            },
            Val::Org(o) => d.orgs[o.ix()].read(ix, &cx(Side::After)),
            Val::Area(a) => d.areas[a.ix()].read(ix, &cx(Side::After)),
            Val::Person(p) => d.persons[p.ix()].read(ix, &cx(Side::After)),
            Val::Pool(i) => d.pools[*i as usize].read(ix, &cx(Side::After)),
            Val::Service(s) => d.services[s.ix()].read(ix, &cx(Side::After)),
            Val::Agreement(a) => d.agreements[a.ix()].read(ix, &cx(Side::After)),
            Val::Budget(b) => d.budgets[*b as usize].read(ix, &cx(Side::After)),
            Val::Proposal(i) => d.proposals[*i as usize].read(ix, &cx(Side::After)),
            Val::Spec => match &d.spec {
                Some(s) => s.read(ix, &cx(Side::After)),
                None => V::bare(Val::None),
            },
            _ => V::bare(Val::None),
        }
    }

    pub(super) fn indexed(
        index: &FxHashMap<PostIx, Vec<u32>>,
        p: PostIx,
        make: fn(u32) -> Val<'a>,
    ) -> V<'a> {
        V::bare(Val::List(list_of(
            under(index, p).iter().map(|i| V::bare(make(*i))),
        )))
    }
}
