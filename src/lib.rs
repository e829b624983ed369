//! gradbook: a terminal notebook in which PyTorch autograd lessons run as written.
//!
//! Layers (arrows point one way): `syntax` → `eval` → `autograd` → `array`;
//! `session` (cells, transcripts, notebooks, check), `repl` (the only terminal code) and
//! `kernel` (Jupyter) sit on top.
//! `error` is a leaf shared by all layers. See ARCHITECTURE.md.

pub mod array;
pub mod autograd;
pub mod error;
pub mod eval;
pub mod fuzz;
pub mod kernel;
pub mod repl;
pub mod session;
pub mod syntax;

pub use error::{ErrorKind, PyErr, PyResult};
