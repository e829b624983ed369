//! `.session` transcripts: parse, render, replay, check, bless. (Owned by the session work.)
//!
//! Nothing here touches the terminal; the command line and the REPL colour what it returns.

pub mod atomic;
pub mod complete;
pub mod convert;
pub mod diff;
pub mod files;
pub mod format;
pub mod help;
pub mod ipynb;
pub mod lessons;
pub mod notebook;
pub mod percent;
pub mod replay;
pub mod source;
pub mod stack;
pub mod traceback;

pub use diff::{DiffLine, unified_diff};
pub use files::{collect_sessions, load};
pub use format::{Cell, Expected, Session};
pub use notebook::Notebook;
pub use percent::{parse_percent, render_percent};
pub use replay::{CellFailure, CellRunner, CheckReport, PanicGuard, check, header_seed, replay};
pub use source::Location;
pub use stack::{spawn_big_stack, with_big_stack};

#[cfg(test)]
mod conformance_tests;
