//! Python objects the language itself needs: iterators (`zip`, `map`,
//! `iter()`), and dict views (`d.keys()`).

use super::interp::Interp;
use super::value::{Object, Value};
use crate::error::PyResult;
use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

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
    fn is_iterator(&self) -> bool {
        true
    }
    fn iter_next(&self, _interp: &mut Interp) -> Option<PyResult<Option<Value>>> {
        Some(Ok(self.next()))
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
