//! The tree-walking interpreter. (Implementation owned by the language work; this is the
//! contract the rest of the crate codes against.)

use super::value::{Args, Value};
use crate::error::{PyErr, PyResult};

/// A `def` or `lambda` value with its closure.
pub struct UserFunction {
    pub name: String,
}

/// What one notebook cell produced (IPython's display rules).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellOutput {
    /// Everything printed, in order (each `print` ends with a newline).
    pub stdout: String,
    /// `repr` of the last expression statement, unless None or hidden by a trailing `;`.
    pub value: Option<String>,
    /// The exception that ended the cell, if any.
    pub error: Option<PyErr>,
}

pub struct Interp {
    _private: (),
}

impl Default for Interp {
    fn default() -> Self {
        Interp::new()
    }
}

impl Interp {
    /// A fresh session: `torch` bound, builtins available, default print options.
    pub fn new() -> Interp {
        todo!("language: Interp::new")
    }
    /// Runs one cell's source (several statements); state persists across cells.
    pub fn run_cell(&mut self, code: &str) -> CellOutput {
        let _ = code;
        todo!("language: run_cell")
    }
    /// Calls any callable value with arguments.
    pub fn call_value(&mut self, func: &Value, args: Args) -> PyResult<Value> {
        let _ = (func, args);
        todo!("language: call_value")
    }
    /// Python `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        let _ = v;
        todo!("language: repr")
    }
    /// Python `str(v)`.
    pub fn str(&mut self, v: &Value) -> PyResult<String> {
        let _ = v;
        todo!("language: str")
    }
    /// Appends to the cell's captured stdout (what `print` writes).
    pub fn write_stdout(&mut self, text: &str) {
        let _ = text;
        todo!("language: write_stdout")
    }
    /// Python truthiness (`bool(v)`).
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        let _ = v;
        todo!("language: truthy")
    }
}
