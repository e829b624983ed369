//! Python objects the language itself needs: exception instances, iterators (`zip`, `map`,
//! `iter()`), and dict views (`d.keys()`).

use super::interp::Interp;
use super::value::{Object, Value};
use crate::error::{ErrorKind, PyErr, PyResult};
use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// An exception instance: `ValueError("bad")`, or the `e` in `except ... as e`.
pub struct PyException {
    pub kind: ErrorKind,
    pub msg: String,
    /// The printed type name (kept for names outside `ErrorKind`, e.g. `LookupError`).
    pub type_name: String,
    /// The constructor arguments (`e.args`).
    pub args: Vec<Value>,
}

impl PyException {
    pub fn from_err(e: &PyErr) -> PyException {
        let args = if e.msg.is_empty() {
            Vec::new()
        } else {
            vec![Value::str(&e.msg)]
        };
        PyException {
            kind: e.kind,
            msg: e.msg.clone(),
            type_name: e.kind.name().to_string(),
            args,
        }
    }
    pub fn to_err(&self) -> PyErr {
        PyErr::new(self.kind, self.msg.clone())
    }
}

impl Object for PyException {
    fn type_name(&self) -> String {
        self.type_name.clone()
    }
    fn repr(&self) -> String {
        format!("{}({:?})", self.type_name, self.msg)
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "args" => Some(Value::tuple(self.args.clone())),
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        vec!["args".into()]
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An iterator over precomputed items (`zip`, `map`, `filter`, `enumerate`, `iter(...)`):
/// consumed as it is iterated, as Python iterators are.
pub struct PyIter {
    pub type_name: &'static str,
    pub items: RefCell<VecDeque<Value>>,
}

impl PyIter {
    pub fn value(type_name: &'static str, items: Vec<Value>) -> Value {
        Value::Object(Rc::new(PyIter {
            type_name,
            items: RefCell::new(items.into()),
        }))
    }
    pub fn take_all(&self) -> Vec<Value> {
        self.items.borrow_mut().drain(..).collect()
    }
    pub fn next(&self) -> Option<Value> {
        self.items.borrow_mut().pop_front()
    }
}

impl Object for PyIter {
    fn type_name(&self) -> String {
        self.type_name.to_string()
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.type_name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Items,
}

/// A live view of a dict: `d.keys()`, `d.values()`, `d.items()`.
pub struct DictView {
    pub kind: ViewKind,
    pub dict: Rc<RefCell<Vec<(Value, Value)>>>,
}

impl DictView {
    pub fn items(&self) -> Vec<Value> {
        let d = self.dict.borrow();
        match self.kind {
            ViewKind::Keys => d.iter().map(|(k, _)| k.clone()).collect(),
            ViewKind::Values => d.iter().map(|(_, v)| v.clone()).collect(),
            ViewKind::Items => d
                .iter()
                .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                .collect(),
        }
    }
}

impl Object for DictView {
    fn type_name(&self) -> String {
        match self.kind {
            ViewKind::Keys => "dict_keys",
            ViewKind::Values => "dict_values",
            ViewKind::Items => "dict_items",
        }
        .into()
    }
    fn repr(&self) -> String {
        format!("{}(...)", self.type_name())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Downcasts an object value to one of the types above.
pub fn downcast<T: 'static>(v: &Value) -> Option<&T> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<T>(),
        _ => None,
    }
}
