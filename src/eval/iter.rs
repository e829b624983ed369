//! The iterator protocol: `iter()` and `next()` over every iterable, lazily, so generators,
//! `zip`, `map` and user iterators produce items only as they are consumed.

use super::interp::Interp;
use super::objects::PyIter;
use super::value::{Object, Value};
use crate::error::{ErrorKind, PyResult};
use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;

/// Whether `v` is an iterator object (`next(v)` works on it).
pub fn is_iterator(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_iterator(),
        Value::Instance(i) => i.class.lookup("__next__").is_some(),
        _ => false,
    }
}

/// A native iterator object other than the precomputed `PyIter` (consumed one item at a time).
pub fn is_lazy(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_iterator() && o.as_any().downcast_ref::<PyIter>().is_none(),
        _ => false,
    }
}

/// `next(it)`: `None` once exhausted.
pub fn next(interp: &mut Interp, it: &Value) -> PyResult<Option<Value>> {
    match it {
        Value::Object(o) => match o.iter_next(interp) {
            Some(r) => r,
            None => Err(crate::error::type_error(format!(
                "'{}' object is not an iterator",
                o.type_name()
            ))),
        },
        Value::Instance(_) => super::special::next(interp, it),
        other => Err(crate::error::type_error(format!(
            "'{}' object is not an iterator",
            other.type_name()
        ))),
    }
}

/// `iter(v)`: iterators are their own iterators; containers get a fresh one.
pub fn get_iter(interp: &mut Interp, v: &Value) -> PyResult<Value> {
    if is_iterator(v) {
        return Ok(v.clone());
    }
    if let Value::Instance(_) = v {
        return super::special::iter(interp, v);
    }
    let items = super::ops::iterate(interp, v)?;
    let kind = match v {
        Value::List(_) => "list_iterator",
        Value::Tuple(_) => "tuple_iterator",
        Value::Str(_) => "str_ascii_iterator",
        Value::Range(..) => "range_iterator",
        Value::Dict(_) => "dict_keyiterator",
        _ => "iterator",
    };
    Ok(PyIter::value(kind, items))
}

/// The old-style sequence iterator over `__getitem__(0)`, `__getitem__(1)`, ... until
/// IndexError.
pub struct SeqIter {
    seq: Value,
    index: Cell<i64>,
    done: Cell<bool>,
}

pub fn sequence_iter(seq: Value) -> Value {
    Value::Object(Rc::new(SeqIter {
        seq,
        index: Cell::new(0),
        done: Cell::new(false),
    }))
}

impl Object for SeqIter {
    fn type_name(&self) -> String {
        "iterator".into()
    }
    fn repr(&self) -> String {
        "<iterator object>".into()
    }
    fn is_iterator(&self) -> bool {
        true
    }
    fn iter_next(&self, interp: &mut Interp) -> Option<PyResult<Option<Value>>> {
        if self.done.get() {
            return Some(Ok(None));
        }
        let i = self.index.get();
        self.index.set(i + 1);
        Some(
            match super::special::getitem(interp, &self.seq, &Value::Int(i)) {
                Ok(v) => Ok(Some(v)),
                Err(e) if matches!(e.kind, ErrorKind::IndexError | ErrorKind::StopIteration) => {
                    self.done.set(true);
                    Ok(None)
                }
                Err(e) => Err(e),
            },
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
