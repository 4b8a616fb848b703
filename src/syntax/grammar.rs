//! The grammar (`grammar/orgspec.pest`), compiled by pest: its parser and its rules.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/orgspec.pest"]
pub(super) struct OrgParser;

impl Rule {
    /// The infix operators of expressions (`or`, `and`, `==`, `in`, `+`, …), as the Pratt
    /// parser in `rules.rs` orders them.
    pub(super) fn is_infix(self) -> bool {
        matches!(
            self,
            Rule::op_or
                | Rule::op_and
                | Rule::op_not_in
                | Rule::op_in
                | Rule::op_eq
                | Rule::op_ne
                | Rule::op_le
                | Rule::op_ge
                | Rule::op_lt
                | Rule::op_gt
                | Rule::op_add
                | Rule::op_sub
                | Rule::op_mul
                | Rule::op_div
        )
    }
}
