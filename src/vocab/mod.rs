//! The vocabulary of the language, declared once: the kinds of item, the fields each kind
//! accepts, the words of its enumerated values, the statutory roles, the types of the rule
//! language and the derived fields rules may read.
//!
//! The fields are rows of [`vocabulary!`]: a field's name, its one-line doc, the shape of
//! its value (the type in the row; every field is stored as `Known<shape>`, so `tbd` has
//! one representation) and what is particular to it. Each stage expands the rows into
//! what it needs, so adding a field is one row here plus, where it has meaning, the rule
//! that reads it:
//! - `decl` into the typed declarations (a post's hot fields inline, the rest boxed) and
//!   the static [`FieldRow`] tables;
//! - `resolve` into the code that lowers each field by its shape;
//! - the rule engine into the code that reads each field as a rule value;
//! - the editor and `docs/language.md` read the [`FieldRow`] tables.

pub mod catalogue;
pub mod fields;
pub mod kinds;
pub mod roles;
pub mod types;
pub mod words;

pub use fields::{Alias, Bounds, Derived, FieldRow, Shape, DERIVED};
pub use kinds::{Namespace, Side, ITEM_KINDS};
pub use types::{Base, Ty};
pub use words::Words;

/// The field rows of every kind of item, handed to the callback macro `$then` one kind at a
/// time, then the list of all kinds (`all keyword Type Base, …;`):
///
/// ```text
/// kind KEYWORD Type Base;
/// fields { /// doc
///          name: shape = builder(args) …; … }
/// details [Type] { … }           // a post's less common fields, boxed
/// aliases { name => target: "help for a list"; … }
/// ```
///
/// The shape is the type a value has once lowered (`OrgIx`, `u32`, `Box<[Spanned<AreaIx>]>`);
/// the builders are [`FieldRow`]'s. Types are named as `crate::decl` exports them.
macro_rules! vocabulary {
    ($then:ident) => {
        $then! {
            /// The paper itself (one per unit).
            kind spec SpecInfo Spec;
            fields {
                /// the authority whose paper it is
                authority: OrgIx;
                /// the date the paper was published
                published: Date;
                /// how far the paper has come
                status: SpecStatus;
                /// the number of proposed redundancies, when the paper states it (`at least 118`
                /// for a lower bound): it replaces the count of the authority's own posts
                redundancies: Headcount;
            }
            details {}
            aliases {}
        }
        $then! {
            /// A body: a council, an NHS trust, a company.
            kind org Org Org;
            fields {
                /// what kind of body it is
                kind: OrgKind = what("an org's `kind`") undecided("`kind`");
                /// how many tiers the body has below its head
                tiers: u32 = no_tbd() bounds(Bounds {
                    min: 1,
                    min_exclusive: false,
                    max: None,
                    message: "an org has at least one tier",
                    label: "`tiers {}`",
                    help: "`tiers` is the number of tiers below the top of the body",
                });
                /// the date the body comes into being
                from: Date;
                /// the date the body ceases (a PCT abolished on 31 March 2013)
                until: Date;
                /// the national pay scales it uses besides its own grades (an org of kind
                /// `scale`: Agenda for Change, the NJC pay spine)
                scales: Box<[Spanned<OrgIx>]>;
                /// its on-cost rate: the employer's National Insurance and pension
                /// contributions as a share of pay (`oncost 28%`), added to the cost of its posts
                oncost: Percent;
                /// the tiers the restructure removes, numbered as before it (`tiers_removed 2`:
                /// before tier 3 is after tier 2); comparisons across the restructure use it
                tiers_removed: Box<[Spanned<u32>]>;
            }
            details {}
            aliases {}
        }
        $then! {
            /// A locality or other geography.
            kind area Area Area;
            fields {
                /// smaller areas it includes: a post managing it manages them too
                includes: Box<[Spanned<AreaIx>]>;
            }
            details {}
            aliases {}
        }
        $then! {
            /// A named post-holder.
            kind person Person Person;
            fields {}
            details {}
            aliases {}
        }
        $then! {
            /// A ring-fenced pool: candidates compete for posts.
            kind pool Pool Pool;
            fields {
                /// the posts whose holders are ring-fenced, or persons
                candidates: Box<[Spanned<Ref>]> = refs(&[Namespace::Post, Namespace::Person])
                    side(Side::Before)
                    required("name the posts whose holders are ring-fenced, e.g. `candidates cc_manager`");
                /// the posts they compete for, after the restructure
                posts: Box<[Spanned<PostIx>]> = side(Side::After)
                    required("name the posts they compete for, e.g. `posts cc_manager`");
                /// where displaced candidates go next, in order (`redundancy`: compulsory)
                fallback: Box<[Spanned<Fallback>]> = side(Side::After);
            }
            details {}
            aliases {}
        }
        $then! {
            /// A service or team.
            kind service Service Service;
            fields {
                /// how it is delivered across localities
                kind: ServiceKind = what("a service's `kind`") undecided("`kind`");
                /// the locality that hosts a hosted service
                host: AreaIx = undecided("the host locality");
                /// who it is for
                level: ServiceLevel = what("a service's `level`") undecided("`level`");
                /// each locality's named contact posts
                contacts: Vec<Contact> = side(Side::After) no_tbd();
            }
            details {}
            aliases {}
        }
        $then! {
            /// A written arrangement between bodies.
            kind agreement Agreement Agreement;
            fields {
                /// its legal form
                kind: AgreementKind = what("an agreement's `kind`") undecided("`kind`");
                /// the bodies it binds
                parties: Box<[Spanned<OrgIx>]>;
                /// the date it starts
                from: Date;
                /// the date it ends
                until: Date;
            }
            details {}
            aliases {}
        }
        $then! {
            /// Money available for the restructure.
            kind budget Budget Budget;
            fields {
                /// the money available
                envelope: Money = undecided("the budget envelope");
                /// the envelope is for the net change in cost
                net: Flag;
                /// the saving the restructure must make each year: the cost of the posts it
                /// covers falls by at least this much
                saving: Money = undecided("the saving");
                /// the envelope (or saving) is of salaries alone, without on-costs
                salaries: Flag;
                /// the posts it covers, new and deleted (every post of the spec when neither
                /// `posts` nor `phase` is written)
                posts: Box<[Spanned<PostIx>]>;
                /// the phases of the timeline it covers: the posts whose `phase` is one of them
                phase: Box<[Spanned<Ref>]> = refs(&[Namespace::Event]);
                /// one-off redundancy pay the paper states, shown beside the annual figures
                redundancy_pay: Money = undecided("the redundancy pay");
                /// one-off pension strain the paper states, shown beside the annual figures
                pension_strain: Money = undecided("the pension strain");
            }
            details {}
            aliases {}
        }
        $then! {
            /// A proposal to dismiss stated in figures, as a notice states it: another
            /// restructure's s188 notice counted with this one when its dismissals fall
            /// within the same 90 days, or the paper's own where it gives figures only.
            kind proposal Proposal Proposal;
            fields {
                /// the employer proposing the dismissals
                employer: OrgIx = required("add `employer ORG`: a proposal to dismiss is an employer's");
                /// the establishment (site) where the employees work, when the notice names one
                site: Word;
                /// the redundancies proposed, as stated (`at least 118` for a lower bound)
                redundancies: Headcount;
                /// the FTE of the posts at risk, as stated (`218.8`)
                fte: Decimal = value("number");
                /// the FTE of those posts that is vacant (`101.7`)
                vacant_fte: Decimal = value("number");
                /// the date the first of these dismissals takes effect
                dismissals: Date;
            }
            details {}
            aliases {}
        }
        $then! {
            /// One line of the establishment, before and after the restructure: any of its
            /// fields may change (`old -> new`). The fields nearly every post writes are
            /// inline; the rest, which few posts write, are boxed, so a million posts stay
            /// small.
            kind post PostState Post;
            fields {
                /// the employing body
                employer: OrgIx = required("add `employer ORG`: every post belongs to one employing body");
                /// the tier in the employer's own scale (1 = director); `tier(p)` normalises it
                tier: u32 = required("add `tier N`: the post's level below the top of its employer (1 = director)");
                /// the one solid line-management line
                reports_to: PostIx;
                /// the grade; a range `PO..HoS` is a spot salary between two grades
                grade: GradeSpec;
                // inline, not among the less common fields: most posts of a locality-based
                // service are based in an area, and a post with details holds them in a box
                // of their own (each written one a 40-byte entry)
                /// where it is based
                areas: Few<AreaIx>;
            }
            details PostDetails {
                // among the less common fields: few posts write them (a count, an fte, a
                // holder, a funder other than the employer), and inline they were half of
                // every post's state (measured: 132 of 264 bytes, a seventh of a 100k-post
                // check's heap); only those written are kept (`PostDetails`)
                /// funding shares: 100% the employer when not written; a share may be `tbd`
                funded: Vec<Share> = undecided("the funding");
                /// identical posts on the establishment (1 when not written)
                count: u32 = default(1) bounds(Bounds {
                    min: 1,
                    min_exclusive: false,
                    max: None,
                    message: "`count {}` is not a post",
                    label: "a post is counted at least once",
                    help: "write `deleted post` for a post that goes, or `count 5 -> 4` when the number changes",
                });
                /// full-time equivalent per post (1 when not written)
                fte: Decimal = default(1) value("decimal in (0, 1]") bounds(Bounds {
                    min: 0,
                    min_exclusive: true,
                    max: Some(1),
                    message: "`fte {}` is not possible",
                    label: "fte is more than 0 and at most 1",
                    help: "fte is the fraction of a full-time post: 0.5 for half time; use `count` for several posts",
                });
                /// the post-holder(s); presumed held when not written
                holder: Holder = hidden() undecided("the `holder`");
                /// vacant posts among `count`
                vacancies: u32 = hidden();
                /// a renamed post: `title "Old" -> "New"` (otherwise the header's title)
                title: Text = hidden();
                /// dotted lines (matrix management): posts, or orgs for their board or cabinet
                accountable_to: Box<[Spanned<Ref>]> = refs(&[Namespace::Post, Namespace::Org]);
                /// the annual cost written on the post, instead of the grade's midpoint
                cost: Money;
                /// the areas or services it heads
                manages: Box<[Spanned<Ref>]> = refs(&[Namespace::Area, Namespace::Service]);
                /// it serves the whole authority, not one area
                citywide: Flag;
                /// the service or team it belongs to
                service: ServiceIx;
                /// the establishment (site) where its holders work, for counting redundancies
                /// (TULRCA 1992 s188: "at one establishment"); not written: one per employer
                site: Word;
                /// its profession, for professional supervision (`social_work`, `nursing`, …)
                discipline: Word = expected("a profession such as `social_work` or `nursing`");
                /// its professional or clinical supervision line
                supervised_by: PostIx;
                /// the statutory roles it holds
                statutory: Box<[Spanned<Role>]> = expected("a statutory role such as `dcs`");
                /// the authorities whose statutory roles it holds: a joint appointment (its
                /// employer when not written)
                statutory_for: Box<[Spanned<OrgIx>]>;
                /// the review that assures one post holding two statutory roles
                assurance: Text = expected("a string naming the review");
                /// routes to fill a new post, in the order they will be tried
                recruit: Box<[Spanned<Route>]>;
                /// the employer of a seconded post-holder
                seconded_from: OrgIx;
                /// the phase of the timeline in which it is created or deleted, for a budget
                /// that covers a phase
                phase: Box<[Spanned<Ref>]> = refs(&[Namespace::Event]);
                /// the basis on which its holders change employer: `tupe` (TUPE 2006), `scheme`
                /// (a statutory transfer scheme) or `secondment`
                transfer: Transfer = what("a `transfer`") undecided("the basis of the `transfer`");
                /// the date it starts
                from: Date;
                /// the date it ends
                until: Date;
                /// why it is deleted, or what becomes of its holders, in the order tried
                /// (`reason redeployment, vr, redundancy`)
                reason: Box<[Spanned<Why>]> = undecided("the `reason` for deleting it");
            }
            aliases {
                area => areas: "write `areas a, b` for a post based in several areas";
            }
        }
        $then! {
            all spec SpecInfo Spec, org Org Org, area Area Area, person Person Person,
                pool Pool Pool, service Service Service, agreement Agreement Agreement,
                budget Budget Budget, proposal Proposal Proposal, post PostState Post;
        }
    };
}
pub(crate) use vocabulary;
