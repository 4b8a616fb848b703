//! One file per rule; its documentation is the `.md` file of the same name.

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
