//! orgspec: organisational structures and restructures as code.
//!
//! The pipeline is `syntax` → `resolve` → `model` → `check` → `report`, on the ground of
//! `source`, `value`, `diagnostic`, `vocab` (the language's vocabulary) and `decl` (its
//! typed declarations); `config`, `driver`, `format`, `generate` and `project` serve the
//! command line (`cli`) and the language server (`lsp`) on top. No module imports from a
//! floor above its own (`tests/architecture.rs`). See `ARCHITECTURE.md` for the map.

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
pub mod import;
pub mod lsp;
pub mod model;
pub mod present;
pub mod project;
pub mod report;
pub mod resolve;
pub mod source;
pub mod syntax;
pub mod value;
pub mod vocab;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use source::{FileId, SourceMap, Span};
