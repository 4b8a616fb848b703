//! Stage 5, beside `report`: the model shown to people — the establishment list exported
//! for spreadsheets (`export.rs`), and drawn as org charts (`chart.rs`).

pub mod chart;
pub mod export;
