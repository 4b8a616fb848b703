//! orgspec: organisational structures and restructures as code.
//!
//! The pipeline is `syntax` → `resolve` → `model` → `check` → `report`; `cli` sits on
//! top and is the only part that touches the file system or the terminal. See
//! `ARCHITECTURE.md` for the map.

// pest without `std` generates code that names `alloc` directly.
extern crate alloc;

pub mod check;
pub mod cli;
pub mod config;
pub mod decl;
pub mod diagnostic;
pub mod driver;
pub mod format;
pub mod generate;
pub mod lsp;
pub mod model;
pub mod report;
pub mod resolve;
pub mod source;
pub mod syntax;
pub mod value;
pub mod vocab;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use source::{FileId, SourceMap, Span};
