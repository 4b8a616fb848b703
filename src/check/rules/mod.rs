//! The rules checked in Rust over the model, one file each with its documentation
//! (`<id>.md`) beside it; and the documentation of the language rules, which earlier stages
//! report. Their ids, severities and summaries are in the catalogue
//! (`crate::vocab::catalogue`).

pub mod alignment_conflict;
pub mod funding_duplicate_funder;
pub mod funding_sum;
pub mod manager_not_senior;
pub mod multiple_roots;
pub mod reports_to_cycle;
pub mod reports_to_deleted;
pub mod tier_gap;
pub mod tier_out_of_range;
pub mod unaligned_comparison;

use super::Ctx;
use crate::diagnostic::Diagnostic;

pub type RuleFn = fn(&Ctx, &mut Vec<Diagnostic>);

macro_rules! rust_rules {
    ($($id:ident),* $(,)?) => {
        /// Each Rust rule's id and its check.
        pub const RUST: &[(&str, RuleFn)] = &[$((stringify!($id), $id::check)),*];

        /// The documentation beside a rule's code.
        const RUST_DOCS: &[(&str, &str)] = &[$((stringify!($id), include_str!(concat!(stringify!($id), ".md")))),*];
    };
}

rust_rules!(
    reports_to_cycle,
    multiple_roots,
    manager_not_senior,
    tier_gap,
    tier_out_of_range,
    reports_to_deleted,
    funding_sum,
    funding_duplicate_funder,
    alignment_conflict,
    unaligned_comparison,
);

macro_rules! language_docs {
    ($($id:ident),* $(,)?) => {
        /// The documentation of the rules earlier stages report.
        const LANGUAGE_DOCS: &[(&str, &str)] = &[$((stringify!($id), include_str!(concat!(stringify!($id), ".md")))),*];
    };
}

language_docs!(
    syntax_error,
    unknown_name,
    duplicate_name,
    unknown_field,
    missing_field,
    type_mismatch,
    invalid_value,
    import_error,
    unused_allow,
    rule_error,
    undecided,
);

/// The markdown documentation kept beside a language or Rust rule.
pub fn doc(id: &str) -> Option<&'static str> {
    RUST_DOCS
        .iter()
        .chain(LANGUAGE_DOCS)
        .find(|(i, _)| *i == id)
        .map(|(_, d)| *d)
}
