//! Python sets, kept as a list of distinct items (sets are small in lesson code).

use super::interp::Interp;
use super::objects::downcast;
use super::ops;
use super::value::{Args, Object, Value};
use crate::error::{PyResult, type_error};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

pub struct PySet {
    pub items: RefCell<Vec<Value>>,
}

impl Object for PySet {
    fn type_name(&self) -> String {
        "set".into()
    }
    fn repr(&self) -> String {
        "set(...)".into()
    }
    fn attr_names(&self) -> Vec<String> {
        [
            "add",
            "clear",
            "copy",
            "difference",
            "discard",
            "intersection",
            "issubset",
            "issuperset",
            "pop",
            "remove",
            "union",
            "update",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A new set holding the distinct `items`.
pub fn make_set(interp: &mut Interp, items: Vec<Value>) -> PyResult<Value> {
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        add(interp, &mut out, item)?;
    }
    Ok(Value::Object(Rc::new(PySet {
        items: RefCell::new(out),
    })))
}

fn add(interp: &mut Interp, items: &mut Vec<Value>, item: Value) -> PyResult<()> {
    ops::check_hashable(&item)?;
    for x in items.iter() {
        if ops::is_same(x, &item)
            || (!matches!(x, Value::Tensor(_))
                && !matches!(item, Value::Tensor(_))
                && ops::eq(interp, x, &item)?)
        {
            return Ok(());
        }
    }
    items.push(item);
    Ok(())
}

/// Items in the order CPython shows them for small non-negative ints (ascending); otherwise
/// insertion order.
pub fn display_items(s: &PySet) -> Vec<Value> {
    let items = s.items.borrow().clone();
    if items.iter().all(|v| matches!(v, Value::Int(i) if *i >= 0)) {
        let mut sorted = items;
        sorted.sort_by_key(|v| if let Value::Int(i) = v { *i } else { 0 });
        return sorted;
    }
    items
}

fn has(interp: &mut Interp, items: &[Value], item: &Value) -> PyResult<bool> {
    for x in items {
        if ops::is_same(x, item) || (!matches!(x, Value::Tensor(_)) && ops::eq(interp, x, item)?) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `a | b`, `a & b`, `a - b`, `a ^ b` on sets; None when an operand is not a set.
pub fn binary(interp: &mut Interp, op: &str, a: &Value, b: &Value) -> PyResult<Option<Value>> {
    let (Some(x), Some(y)) = (downcast::<PySet>(a), downcast::<PySet>(b)) else {
        return Ok(None);
    };
    let (x, y) = (x.items.borrow().clone(), y.items.borrow().clone());
    let mut out = Vec::new();
    match op {
        "|" => {
            out.extend(x);
            out.extend(y);
        }
        "&" => {
            for v in x {
                if has(interp, &y, &v)? {
                    out.push(v);
                }
            }
        }
        "-" => {
            for v in x {
                if !has(interp, &y, &v)? {
                    out.push(v);
                }
            }
        }
        "^" => {
            for v in &x {
                if !has(interp, &y, v)? {
                    out.push(v.clone());
                }
            }
            for v in &y {
                if !has(interp, &x, v)? {
                    out.push(v.clone());
                }
            }
        }
        _ => return Ok(None),
    }
    make_set(interp, out).map(Some)
}

/// `s.name` for a set `s`.
pub fn method(set: &Value, name: &str) -> Option<Value> {
    let s = set.clone();
    let m = move |f: fn(&mut Interp, &PySet, &Value, Args) -> PyResult<Value>| {
        let s = s.clone();
        Value::native(format!("set.{name}"), move |interp, args| {
            match downcast::<PySet>(&s) {
                Some(p) => f(interp, p, &s, args),
                None => Ok(Value::None),
            }
        })
    };
    Some(match name {
        "add" => m(|interp, p, _, args| {
            let item = one_arg("add", args)?;
            let mut items = p.items.borrow().clone();
            add(interp, &mut items, item)?;
            *p.items.borrow_mut() = items;
            Ok(Value::None)
        }),
        "update" => m(|interp, p, _, args| {
            let mut items = p.items.borrow().clone();
            for a in args.pos {
                for v in ops::iterate(interp, &a)? {
                    add(interp, &mut items, v)?;
                }
            }
            *p.items.borrow_mut() = items;
            Ok(Value::None)
        }),
        "discard" | "remove" => {
            let strict = name == "remove";
            let s2 = set.clone();
            Value::native(format!("set.{name}"), move |interp, args| {
                let item = one_arg(if strict { "remove" } else { "discard" }, args)?;
                let Some(p) = downcast::<PySet>(&s2) else {
                    return Ok(Value::None);
                };
                let items = p.items.borrow().clone();
                let mut kept = Vec::new();
                let mut found = false;
                for x in items {
                    if !found && (ops::is_same(&x, &item) || ops::eq(interp, &x, &item)?) {
                        found = true;
                    } else {
                        kept.push(x);
                    }
                }
                if strict && !found {
                    return Err(super::exceptions::key_error(interp, item.clone())?);
                }
                *p.items.borrow_mut() = kept;
                Ok(Value::None)
            })
        }
        "pop" => m(|interp, p, _, _| {
            let mut items = p.items.borrow_mut();
            if items.is_empty() {
                return Err(super::exceptions::key_error(
                    interp,
                    Value::str("pop from an empty set"),
                )?);
            }
            Ok(items.remove(0))
        }),
        "clear" => m(|_, p, _, _| {
            p.items.borrow_mut().clear();
            Ok(Value::None)
        }),
        "copy" => m(|interp, p, _, _| {
            let items = p.items.borrow().clone();
            make_set(interp, items)
        }),
        "union" | "intersection" | "difference" => {
            let op = match name {
                "union" => "|",
                "intersection" => "&",
                _ => "-",
            };
            let s2 = set.clone();
            Value::native(format!("set.{name}"), move |interp, args| {
                let mut acc = s2.clone();
                for a in args.pos {
                    let items = ops::iterate(interp, &a)?;
                    let other = make_set(interp, items)?;
                    acc = binary(interp, op, &acc, &other)?.unwrap_or(Value::None);
                }
                Ok(acc)
            })
        }
        "issubset" | "issuperset" => {
            let sub = name == "issubset";
            let s2 = set.clone();
            Value::native(format!("set.{name}"), move |interp, args| {
                let other = one_arg("issubset", args)?;
                let other_items = ops::iterate(interp, &other)?;
                let mine = downcast::<PySet>(&s2)
                    .map(|p| p.items.borrow().clone())
                    .unwrap_or_default();
                let (small, big) = if sub {
                    (mine, other_items)
                } else {
                    (other_items, mine)
                };
                for v in &small {
                    if !has(interp, &big, v)? {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(true))
            })
        }
        _ => return None,
    })
}

fn one_arg(name: &str, args: Args) -> PyResult<Value> {
    let n = args.pos.len();
    let mut pos = args.pos;
    if n != 1 || !args.kw.is_empty() {
        return Err(type_error(format!(
            "set.{name}() takes exactly one argument ({n} given)"
        )));
    }
    Ok(pos.remove(0))
}
