//! The interpreter: Python values, scopes, statements, builtins, Python reprs, and the
//! `torch` namespace that binds the language to `autograd`.

pub mod interp;
pub mod torch;
pub mod value;

pub use interp::{CellOutput, Interp};
pub use value::{Args, NativeFunction, Object, Value};
