//! Stage 1: text → syntax tree. The only module that knows about pest.
//!
//! **Parsing never fails**: it returns the items it could read *and* a diagnostic for
//! each item it could not.

pub mod ast;
mod parser;
mod rules;
pub mod split;

pub use parser::{parse_file, MAX_FILE_BYTES};
