//! The interpreter: Python values, scopes, statements, builtins, Python reprs, and the
//! `torch` namespace that binds the language to `autograd`.

mod args;
mod attrs;
mod builtins;
mod bytes;
pub mod class;
mod classdef;
mod deep_drop;
mod descr;
pub mod exceptions;
mod exec;
mod expr;
mod format;
pub mod generator;
pub mod interp;
pub mod iter;
mod methods;
mod modules;
pub mod objects;
pub mod ops;
pub mod prelude;
pub mod prelude_modules;
pub mod pycollections;
mod pycopy;
pub mod pyfmt;
mod pyitertools;
mod pymath;
mod pyoperator;
pub(crate) mod pyrandom;
mod repr;
mod set;
pub mod special;
mod stdlib;
pub mod stream;
mod subscript;
pub mod torch;
mod torch_prelude;
pub mod value;
pub mod warnings;

pub use interp::{CellOutput, Interp};
pub use value::{Args, NativeFunction, Object, Value};

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set by the REPL's Ctrl-C handler while a cell runs; the interpreter polls it (loops, calls)
/// and raises `KeyboardInterrupt`, clearing it.
pub fn request_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Returns and clears a pending interrupt request.
pub fn take_interrupt() -> bool {
    INTERRUPTED.swap(false, Ordering::SeqCst)
}
