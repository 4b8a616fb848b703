//! Stage 5, beside `report`: the model shown to people — the establishment list exported
//! for spreadsheets (`export.rs`), drawn as org charts (`chart.rs`), and compared between
//! two versions of a proposal (`diff.rs`), and gathered in one HTML report (`html.rs`).

pub mod chart;
pub mod diff;
pub mod export;
pub mod html;
