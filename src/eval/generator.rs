//! Generators (placeholder until the coroutine-based implementation lands).

use super::interp::Interp;
use super::value::Value;
use crate::error::{ErrorKind, PyErr, PyResult};

pub fn yield_value(_interp: &mut Interp, _v: Value) -> PyResult<Value> {
    Err(PyErr::new(
        ErrorKind::NotImplementedError,
        "generators are not supported yet",
    ))
}

pub fn yield_from(interp: &mut Interp, v: Value) -> PyResult<Value> {
    yield_value(interp, v)
}
