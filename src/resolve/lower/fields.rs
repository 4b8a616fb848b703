//! Fields, lowered by the shape of their value. The vocabulary's rows say which fields an
//! item has and what is particular to each; [`Lower`] says how a value of each shape is
//! read; the code that stores each field is generated from the rows
//! (`crate::vocab::vocabulary!`), so no field is named here.

use super::messages::{unknown_field, written};
use super::Lowerer;
use crate::decl::{
    AgreementKind, AreaIx, Few, Index, Known, OrgIx, OrgKind, PersonIx, PostIx, ServiceIx,
    ServiceKind, ServiceLevel, Spanned, SpecStatus, Words,
};
use crate::diagnostic::Diagnostic;
use crate::resolve::names::closest;
use crate::source::{At, Span};
use crate::syntax::ast::{Atom, Field, Item, Term};
use crate::vocab::{Alias, FieldRow};

/// What a field holds as written.
#[derive(Clone, Copy)]
pub(super) enum Input<'t> {
    Terms(&'t [Term]),
    /// The field's name with no value after it.
    Alone(Span),
    /// A field whose value could not be read (reported when parsing): its name.
    Unreadable(Span),
}

/// How a value of one shape is read from what is written.
pub(super) trait Lower: Sized {
    /// The value and where it is written, or `None` when it could not be read (reported).
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)>;

    /// A field of this shape written alone, with no value: `None` when that is a mistake.
    fn alone(_span: Span) -> Option<Self> {
        None
    }

    /// `none`: the field is absent on this side.
    fn none(_span: Span) -> Known<Self> {
        Known::Absent
    }
}

/// A shape read from one name: a list's elements, and fields of one reference.
pub(super) trait Element: Sized {
    fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self>;
}

/// An item whose fields are set one at a time by their position in its rows.
pub(super) trait SetField {
    const KIND: &'static str;
    const FIELDS: &'static [FieldRow];
    const ALIASES: &'static [Alias];
    fn set(&mut self, l: &mut Lowerer, ix: usize, input: Input);
    fn is_absent(&self, ix: usize) -> bool;
}

impl Lowerer<'_, '_> {
    /// A field's value as its row and shape say: `none`, `tbd`, or the value itself.
    pub(super) fn known<T: Lower>(&mut self, input: Input, row: &FieldRow) -> Known<T> {
        let terms = match input {
            Input::Alone(span) => {
                if let Some(v) = T::alone(span) {
                    return Known::Given(v, span);
                }
                self.push(
                    Diagnostic::error(
                        "missing_field",
                        span,
                        format!("`{}` has no value", row.name),
                    )
                    .with_label("expected a value after the field name")
                    .with_help(format!("write `{} VALUE`", row.name)),
                );
                return Known::Invalid(span);
            }
            Input::Unreadable(span) => return Known::Invalid(span),
            Input::Terms(terms) => terms,
        };
        if let [t] = terms {
            if let [a] = t.atoms.as_slice() {
                if self.is_word(a, "none") {
                    return T::none(a.span);
                }
            }
        }
        if row.tbd {
            if let Some(tbd) = self.lone_tbd(terms) {
                self.undecided(tbd, row.undecided);
                return Known::Undecided(tbd);
            }
        }
        match T::lower(self, terms, row) {
            Some((value, span)) => Known::Given(value, span),
            None => written(terms),
        }
    }

    /// The fields of an item's block, each with the position of its row (an alias with
    /// its target's): an unknown field is reported with the closest names, a field given
    /// twice once, and a change (`->`) outside a post as a mistake.
    pub(super) fn fields<'t>(
        &mut self,
        item: &'t Item,
        rows: &[FieldRow],
        aliases: &'static [Alias],
        kind: &str,
    ) -> Vec<(&'t Field, usize, Option<&'static Alias>)> {
        let Some(block) = &item.block else {
            return Vec::new();
        };
        // no field is given twice in nearly every item: a bit for each row or alias given,
        // and the earlier field looked for only when one is given again
        let mut given = 0u64;
        let mut out = Vec::with_capacity(block.fields.len());
        for f in &block.fields {
            let name = self.text(f.name);
            let found = match rows.iter().position(|r| r.name == name) {
                Some(ix) => Some((ix, None)),
                None => aliases.iter().find(|a| a.name == name).and_then(|a| {
                    let ix = rows.iter().position(|r| r.name == a.target)?;
                    Some((ix, Some(a)))
                }),
            };
            let Some((ix, alias)) = found else {
                let mut names: Vec<&str> = rows.iter().map(|r| r.name).collect();
                names.extend(aliases.iter().map(|a| a.name));
                self.push(unknown_field(name, f.name, &names, kind));
                continue;
            };
            // an alias and its target are two names (`area`, `areas`): each is marked
            // on its own (a row or alias past the 32nd found by the scan alone)
            let bit = match alias {
                None if ix < 32 => Some(1u64 << ix),
                Some(a) => aliases
                    .iter()
                    .position(|x| std::ptr::eq(x, a))
                    .filter(|&i| i < 32)
                    .map(|i| 1u64 << (32 + i)),
                None => None,
            };
            let again = match bit {
                Some(bit) if given & bit == 0 => None,
                _ => block
                    .fields
                    .iter()
                    .take_while(|g| !std::ptr::eq(*g, f))
                    .find(|g| self.text(g.name) == name)
                    .map(|g| g.name),
            };
            if let Some(bit) = bit {
                given |= bit;
            }
            if let Some(first) = again {
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
            if !rows[ix].transition {
                if let Some((arrow, _)) = f.value.as_ref().and_then(|v| v.new_side()) {
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
            out.push((f, ix, alias));
        }
        out
    }

    /// What a field holds on one side (`terms`), after checking a one-value alias.
    pub(super) fn input<'t>(
        &mut self,
        f: &Field,
        terms: Option<&'t [Term]>,
        alias: Option<&Alias>,
        row: &FieldRow,
    ) -> Input<'t> {
        self.field_name = f.name;
        let Some(terms) = terms else {
            return if f.unreadable {
                Input::Unreadable(f.name)
            } else {
                Input::Alone(f.name)
            };
        };
        if let Some(alias) = alias {
            let list = self.name_list(terms, row.what);
            if let Some(second) = list.get(1) {
                let noun = row.namespaces.first().map_or("value", |n| n.noun());
                self.push(
                    Diagnostic::error(
                        "type_mismatch",
                        second.span,
                        format!("`{}` takes one {noun}", alias.name),
                    )
                    .with_label(format!("a second {noun}"))
                    .with_help(alias.help),
                );
            }
        }
        Input::Terms(terms)
    }

    /// Lower an item made of fields: its header, then each field as its row says, then
    /// the fields it requires (unless a misspelt field is close to one: that is reported
    /// already, with "did you mean").
    pub(super) fn item_fields<T: SetField>(&mut self, item: &Item, value: &mut T, id: Span) {
        for (f, ix, alias) in self.fields(item, T::FIELDS, T::ALIASES, T::KIND) {
            let row = &T::FIELDS[ix];
            let input = self.input(f, f.value.as_ref().map(|v| &v.old[..]), alias, row);
            value.set(self, ix, input);
        }
        self.require(item, T::FIELDS, T::ALIASES, (id, T::KIND, ""), |ix| {
            value.is_absent(ix)
        });
    }

    /// The required fields that a misspelt field of the item is close to.
    fn misspelt_required(
        &self,
        item: &Item,
        rows: &[FieldRow],
        aliases: &[Alias],
    ) -> Vec<&'static str> {
        let known =
            |n: &str| rows.iter().any(|r| r.name == n) || aliases.iter().any(|a| a.name == n);
        let required = || rows.iter().filter(|r| r.required.is_some()).map(|r| r.name);
        item.block
            .iter()
            .flat_map(|b| b.fields.iter())
            .map(|f| self.text(f.name))
            .filter(|n| !known(n))
            .flat_map(|n| closest(n, required()))
            .collect()
    }

    /// Report the required fields that are absent: "post `x` has no `tier`{when}".
    pub(super) fn require(
        &mut self,
        item: &Item,
        rows: &[FieldRow],
        aliases: &[Alias],
        (id, kind, when): (Span, &str, &str),
        is_absent: impl Fn(usize) -> bool,
    ) {
        let mut misspelt = None;
        for (ix, row) in rows.iter().enumerate() {
            let Some(help) = row.required else { continue };
            if !is_absent(ix) {
                continue;
            }
            let misspelt =
                misspelt.get_or_insert_with(|| self.misspelt_required(item, rows, aliases));
            if misspelt.contains(&row.name) {
                continue;
            }
            let field = row.name;
            self.diagnostics.push(
                Diagnostic::error(
                    "missing_field",
                    id,
                    format!("{kind} `{}` has no `{field}`{when}", self.text(id)),
                )
                .with_label(format!("`{field}` is required"))
                .with_help(help),
            );
        }
    }
}

/// One reference: a name of the namespace its index type says.
macro_rules! references {
    ($($ty:ty),*) => {$(
        impl Element for $ty {
            fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
                l.reference(a, &[<$ty as Index>::NAMESPACE], row.what)
                    .map(|(_, i)| <$ty as Index>::from_raw(i))
            }
        }

        impl Lower for $ty {
            fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
                let a = l.single(terms, row.what)?;
                Some((Self::element(l, a, row)?, a.span))
            }
        }
    )*};
}

references!(OrgIx, PostIx, AreaIx, ServiceIx, PersonIx);

/// One word of a fixed set.
macro_rules! words {
    ($($ty:ty),*) => {$(
        impl Element for $ty {
            fn element(l: &mut Lowerer, a: &Atom, row: &FieldRow) -> Option<Self> {
                l.enum_atom(a, row.what, <$ty as Words>::WORDS)
            }
        }

        impl Lower for $ty {
            fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
                let a = l.single(terms, row.what)?;
                Some((Self::element(l, a, row)?, a.span))
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
    crate::decl::Route,
    crate::decl::Transfer
);

/// A list: `a, b, c`, or bracketed. An element that cannot be read is reported, and
/// makes the whole list unknown (one mistake, one finding: what the list holds is not
/// known, so nothing is counted from it).
impl<T: Element> Lower for Box<[Spanned<T>]> {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        // a box of the list alone, not a vector's length and room beside it: 8 bytes less
        // in every post's state (8 MB at 1M posts)
        list(l, terms, row, |span| span).map(|(list, span)| (list.into_boxed_slice(), span))
    }
}

/// The elements of a list, each where it is written (as `at` keeps it), and where the
/// whole list is.
fn list<T: Element, S>(
    l: &mut Lowerer,
    terms: &[Term],
    row: &FieldRow,
    at: impl Fn(Span) -> S,
) -> Option<(Vec<Spanned<T, S>>, Span)> {
    let names = l.name_list(terms, row.what);
    // at its size: most lists hold one name, and a vector grown by pushing holds four
    let mut out = Vec::with_capacity(names.len());
    let mut unreadable = false;
    for a in names {
        match T::element(l, a, row) {
            Some(value) => out.push(Spanned {
                value,
                span: at(a.span),
            }),
            None => unreadable = true,
        }
    }
    if unreadable {
        return None;
    }
    let first = terms.first()?.span;
    Some((out, first.to(terms.last().map_or(first, |t| t.span))))
}

/// A list of a post's state: as any list, each element's span kept as an [`At`].
impl<T: Element> Lower for Few<T> {
    fn lower(l: &mut Lowerer, terms: &[Term], row: &FieldRow) -> Option<(Self, Span)> {
        list(l, terms, row, At::new).map(|(list, span)| (Few::new(list), span))
    }
}

/// The fields of each item kind, set by their position in its rows.
macro_rules! setters {
    (
        $(#[doc = $kdoc:literal])*
        kind $kw:ident $Ty:ident $Base:ident;
        fields { $( $(#[doc = $doc:literal])+ $name:ident : $ty:ty $(= $($attr:ident ( $($arg:expr),* ))+ )? ; )* }
        details {}
        aliases {}
    ) => {
        impl SetField for crate::decl::$Ty {
            const KIND: &'static str = stringify!($kw);
            const FIELDS: &'static [FieldRow] = crate::decl::$Ty::FIELDS;
            const ALIASES: &'static [Alias] = crate::decl::$Ty::ALIASES;

            #[allow(unused_variables, reason = "an item may have no fields")]
            fn set(&mut self, l: &mut Lowerer, ix: usize, input: Input) {
                use crate::decl::$kw::Field;
                match Field::ALL[ix] {
                    $(Field::$name => self.$name = l.known(input, &Self::FIELDS[ix]),)*
                }
            }

            #[allow(unused_variables, reason = "an item may have no fields")]
            fn is_absent(&self, ix: usize) -> bool {
                use crate::decl::$kw::Field;
                match Field::ALL[ix] {
                    $(Field::$name => self.$name.is_absent(),)*
                }
            }
        }
    };
    (
        $(#[doc = $kdoc:literal])*
        kind $kw:ident $Ty:ident $Base:ident;
        fields { $( $(#[doc = $doc:literal])+ $name:ident : $ty:ty $(= $($attr:ident ( $($arg:expr),* ))+ )? ; )* }
        details $Details:ident { $( $(#[doc = $cdoc:literal])+ $cname:ident : $cty:ty $(= $($cattr:ident ( $($carg:expr),* ))+ )? ; )* }
        aliases { $( $alias:ident => $target:ident : $help:literal ; )* }
    ) => {
        impl SetField for crate::decl::$Ty {
            const KIND: &'static str = stringify!($kw);
            const FIELDS: &'static [FieldRow] = crate::decl::$Ty::FIELDS;
            const ALIASES: &'static [Alias] = crate::decl::$Ty::ALIASES;

            fn set(&mut self, l: &mut Lowerer, ix: usize, input: Input) {
                use crate::decl::$kw::Field;
                let row = &Self::FIELDS[ix];
                match Field::ALL[ix] {
                    $(Field::$name => self.$name = l.known(input, row).at(),)*
                    $(Field::$cname => self.details_mut().set(crate::decl::$kw::Detail::$cname(l.known(input, row))),)*
                }
            }

            fn is_absent(&self, ix: usize) -> bool {
                use crate::decl::$kw::Field;
                match Field::ALL[ix] {
                    $(Field::$name => self.$name.is_absent(),)*
                    $(Field::$cname => self.details().$cname().is_absent(),)*
                }
            }
        }

        impl crate::decl::$Ty {
            /// Give `to` this side's value of one field (a field that does not change).
            pub(super) fn copy_field(&self, to: &mut Self, ix: usize) {
                use crate::decl::$kw::Field;
                match Field::ALL[ix] {
                    $(Field::$name => to.$name = self.$name.clone(),)*
                    $(Field::$cname => {
                        if !self.details().$cname().is_absent() {
                            to.details_mut().set(crate::decl::$kw::Detail::$cname(self.details().$cname().clone()));
                        }
                    })*
                }
            }
        }
    };
    (all $($kw:ident $Ty:ident $Base:ident),* ;) => {};
}

crate::vocab::vocabulary!(setters);
