//! Stage 5, beside `report`: the model shown to people — the establishment list exported
//! for spreadsheets (`export.rs`).

pub mod export;
