//! Pytrees (nested tuples, lists and dicts of tensors), as `torch.utils._pytree` sees them:
//! the transforms flatten their inputs and outputs to tensors and rebuild the same structure.

use crate::autograd::Tensor;
use crate::error::PyResult;
use crate::eval::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// The tensors of a pytree, depth first, in order (dicts in insertion order).
pub fn leaves(v: &Value) -> Vec<Tensor> {
    let mut out = Vec::new();
    collect(v, &mut out);
    out
}

fn collect(v: &Value, out: &mut Vec<Tensor>) {
    match v {
        Value::Tensor(t) => out.push(t.clone()),
        Value::Tuple(items) => items.iter().for_each(|x| collect(x, out)),
        Value::List(items) => items.borrow().iter().for_each(|x| collect(x, out)),
        Value::Dict(items) => items.borrow().iter().for_each(|(_, x)| collect(x, out)),
        Value::NamedTuple(nt) => nt.values.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

/// Rebuilds `v` with every tensor replaced by `f(tensor)`; other leaves are kept.
pub fn map(v: &Value, f: &mut dyn FnMut(&Tensor) -> PyResult<Value>) -> PyResult<Value> {
    Ok(match v {
        Value::Tensor(t) => f(t)?,
        Value::Tuple(items) => {
            Value::tuple(items.iter().map(|x| map(x, f)).collect::<PyResult<_>>()?)
        }
        Value::List(items) => {
            let items: Vec<Value> = items.borrow().clone();
            Value::list(items.iter().map(|x| map(x, f)).collect::<PyResult<_>>()?)
        }
        Value::Dict(items) => {
            let items: Vec<(Value, Value)> = items.borrow().clone();
            let mut out = Vec::with_capacity(items.len());
            for (k, x) in items {
                out.push((k, map(&x, f)?));
            }
            Value::Dict(Rc::new(RefCell::new(out)))
        }
        other => other.clone(),
    })
}

/// Rebuilds `v` with its tensors replaced, in order, by `new` (same count as `leaves(v)`).
pub fn replace(v: &Value, new: &[Tensor]) -> PyResult<Value> {
    let mut it = new.iter();
    map(v, &mut |_| {
        Ok(it
            .next()
            .map(|t| Value::Tensor(t.clone()))
            .unwrap_or(Value::None))
    })
}

/// Rebuilds `v` with its tensors replaced, in order, by arbitrary values.
pub fn replace_values(v: &Value, new: Vec<Value>) -> PyResult<Value> {
    let mut it = new.into_iter();
    map(v, &mut |_| Ok(it.next().unwrap_or(Value::None)))
}
