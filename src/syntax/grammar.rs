//! The grammar (`grammar/orgspec.pest`), compiled by pest: its parser and its rules.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/orgspec.pest"]
pub(super) struct OrgParser;
