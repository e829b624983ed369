//! `v[index]`, `v[index] = x` and `del v[index]` for Python containers; tensors go to
//! `torch::getitem`/`torch::setitem`.

use super::interp::Interp;
use super::ops::{dict_lookup, dict_set, index_value, iterate, slice_positions};
use super::torch;
use super::value::Value;
use crate::error::{PyErr, PyResult, index_error, type_error, value_error};
use std::rc::Rc;

fn seq_name(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "list",
        Value::Str(_) => "string",
        Value::Range(..) => "range object",
        _ => "tuple",
    }
}

/// Normalizes a possibly negative index into `0..len`.
fn position(v: &Value, i: i64, len: usize) -> PyResult<usize> {
    let j = if i < 0 {
        i.saturating_add(len as i64)
    } else {
        i
    };
    if j < 0 || j >= len as i64 {
        return Err(index_error(format!("{} index out of range", seq_name(v))));
    }
    Ok(j as usize)
}

fn bad_index(v: &Value, index: &Value) -> PyErr {
    let what = match v {
        Value::List(_) => "list",
        Value::Str(_) => "string",
        Value::Range(..) => "range",
        _ => "tuple",
    };
    type_error(format!(
        "{what} indices must be integers or slices, not {}",
        index.type_name()
    ))
}

/// Items of a sequence value for indexing (lists, tuples, strings, ranges, sizes).
fn seq_items(interp: &mut Interp, v: &Value) -> PyResult<Vec<Value>> {
    iterate(interp, v)
}

pub fn getitem(interp: &mut Interp, v: &Value, index: &Value) -> PyResult<Value> {
    match v {
        Value::Tensor(t) => torch::getitem(t, index),
        Value::Dict(d) => {
            let items = d.borrow().clone();
            match dict_lookup(interp, &items, index)? {
                Some(i) => Ok(items[i].1.clone()),
                None => Err(super::exceptions::key_error(interp, index.clone())?),
            }
        }
        Value::List(_)
        | Value::Tuple(_)
        | Value::Str(_)
        | Value::Range(..)
        | Value::Size(_)
        | Value::NamedTuple(_) => {
            if let Value::Slice(s) = index {
                let items = seq_items(interp, v)?;
                let picked: Vec<Value> = slice_positions(s, items.len())?
                    .into_iter()
                    .map(|i| items[i].clone())
                    .collect();
                return Ok(match v {
                    Value::List(_) => Value::list(picked),
                    Value::Str(_) => {
                        let s: String = picked
                            .iter()
                            .map(|c| {
                                if let Value::Str(c) = c {
                                    c.to_string()
                                } else {
                                    String::new()
                                }
                            })
                            .collect();
                        Value::str(&s)
                    }
                    Value::Size(_) => Value::Size(Rc::new(
                        picked
                            .iter()
                            .map(|d| index_value(d).unwrap_or(0) as usize)
                            .collect(),
                    )),
                    Value::Range(start, _, step) => {
                        let (a, b, c) = super::ops::slice_indices(s, super::ops::range_len(v))?;
                        Value::Range(
                            start.wrapping_add(a.wrapping_mul(*step)),
                            start.wrapping_add(b.wrapping_mul(*step)),
                            step.wrapping_mul(c),
                        )
                    }
                    _ => Value::tuple(picked),
                });
            }
            let Some(i) = index_value(index) else {
                return Err(bad_index(v, index));
            };
            match v {
                Value::Str(s) => {
                    let n = s.chars().count();
                    let p = position(v, i, n)?;
                    Ok(Value::str(
                        &s.chars().nth(p).map(String::from).unwrap_or_default(),
                    ))
                }
                Value::Range(start, _, step) => {
                    let p = position(v, i, super::ops::range_len(v) as usize)?;
                    Ok(Value::Int(
                        start.wrapping_add((p as i64).wrapping_mul(*step)),
                    ))
                }
                Value::List(l) => {
                    let l = l.borrow();
                    let p = position(v, i, l.len())?;
                    Ok(l[p].clone())
                }
                _ => {
                    let items = seq_items(interp, v)?;
                    let p = position(v, i, items.len())?;
                    Ok(items[p].clone())
                }
            }
        }
        Value::Class(c) if c.builtin => Ok(v.clone()),
        Value::Class(_) | Value::Instance(_) => super::special::getitem(interp, v, index),
        other => Err(type_error(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}

pub fn setitem(interp: &mut Interp, v: &Value, index: &Value, value: Value) -> PyResult<()> {
    match v {
        Value::Tensor(t) => torch::setitem(t, index, &value),
        Value::Instance(_) => super::special::setitem(interp, v, index, value),
        Value::Dict(d) => dict_set(interp, d, index.clone(), value),
        Value::List(l) => {
            if let Value::Slice(s) = index {
                let new_items = iterate(interp, &value)?;
                let len = l.borrow().len();
                let (start, stop, step) = super::ops::slice_indices(s, len as i64)?;
                if step == 1 {
                    let stop = stop.max(start) as usize;
                    l.borrow_mut().splice(start as usize..stop, new_items);
                    return Ok(());
                }
                let positions = slice_positions(s, len)?;
                if positions.len() != new_items.len() {
                    return Err(value_error(format!(
                        "attempt to assign sequence of size {} to extended slice of size {}",
                        new_items.len(),
                        positions.len()
                    )));
                }
                let mut items = l.borrow_mut();
                for (p, x) in positions.into_iter().zip(new_items) {
                    items[p] = x;
                }
                return Ok(());
            }
            let Some(i) = index_value(index) else {
                return Err(bad_index(v, index));
            };
            let len = l.borrow().len();
            let p = position(v, i, len)
                .map_err(|_| index_error("list assignment index out of range"))?;
            l.borrow_mut()[p] = value;
            Ok(())
        }
        other => Err(type_error(format!(
            "'{}' object does not support item assignment",
            other.type_name()
        ))),
    }
}

pub fn delitem(interp: &mut Interp, v: &Value, index: &Value) -> PyResult<()> {
    match v {
        Value::Instance(_) => super::special::delitem(interp, v, index),
        Value::Dict(d) => {
            let items = d.borrow().clone();
            match dict_lookup(interp, &items, index)? {
                Some(i) => {
                    d.borrow_mut().remove(i);
                    Ok(())
                }
                None => Err(super::exceptions::key_error(interp, index.clone())?),
            }
        }
        Value::List(l) => {
            let len = l.borrow().len();
            if let Value::Slice(s) = index {
                let mut positions = slice_positions(s, len)?;
                positions.sort_unstable();
                let mut items = l.borrow_mut();
                for p in positions.into_iter().rev() {
                    items.remove(p);
                }
                return Ok(());
            }
            let Some(i) = index_value(index) else {
                return Err(bad_index(v, index));
            };
            let p = position(v, i, len)
                .map_err(|_| index_error("list assignment index out of range"))?;
            l.borrow_mut().remove(p);
            Ok(())
        }
        other => Err(type_error(format!(
            "'{}' object does not support item deletion",
            other.type_name()
        ))),
    }
}
