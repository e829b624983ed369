//! Python's operator semantics for non-tensor values (tensor operands go to `torch::binary`
//! first), truthiness, equality, ordering, iteration and membership.

use super::interp::Interp;
use super::objects::{DictView, PyIter, downcast};
use super::torch;
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error, zero_division_error};
use std::cmp::Ordering;
use std::rc::Rc;

fn overflow() -> PyErr {
    PyErr::new(
        ErrorKind::OverflowError,
        "Python int too large to convert to C long",
    )
}

/// A number operand: bools are ints in arithmetic.
#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(*b as i64)),
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

fn to_f(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(f) => f,
    }
}

fn is_torch(v: &Value) -> bool {
    matches!(v, Value::Tensor(_) | Value::Size(_) | Value::DType(_))
}

/// A torch.Size seen as the tuple it is.
fn size_as_tuple(v: &Value) -> Value {
    match v {
        Value::Size(s) => Value::tuple(s.iter().map(|&d| Value::Int(d as i64)).collect()),
        other => other.clone(),
    }
}

pub fn truthy(interp: &mut Interp, v: &Value) -> PyResult<bool> {
    Ok(match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(l) => !l.borrow().is_empty(),
        Value::Tuple(t) => !t.is_empty(),
        Value::Dict(d) => !d.borrow().is_empty(),
        Value::Range(..) => range_len(v) > 0,
        Value::Size(s) => !s.is_empty(),
        Value::NamedTuple(n) => !n.values.is_empty(),
        Value::Tensor(t) => torch::truthy(t)?,
        Value::Instance(_) => super::special::truthy(interp, v)?,
        Value::Object(_) => {
            if let Some(view) = downcast::<DictView>(v) {
                !view.dict.borrow().is_empty()
            } else if let Some(s) = downcast::<super::set::PySet>(v) {
                !s.items.borrow().is_empty()
            } else {
                let _ = interp;
                true
            }
        }
        _ => true,
    })
}

pub fn range_len(v: &Value) -> i64 {
    match v {
        Value::Range(start, stop, step) => {
            let (start, stop, step) = (*start as i128, *stop as i128, *step as i128);
            let n = if step > 0 {
                (stop - start + step - 1) / step
            } else {
                (start - stop - step - 1) / (-step)
            };
            n.max(0) as i64
        }
        _ => 0,
    }
}

/// `a op b` for a Python operator (`+`, `-`, ..., `@`).
pub fn binary(interp: &mut Interp, op: &str, a: &Value, b: &Value) -> PyResult<Value> {
    if (matches!(a, Value::Instance(_)) || matches!(b, Value::Instance(_)))
        && let Some(bin) = crate::syntax::ast::BinOp::from_symbol(op)
    {
        return super::special::binary(interp, bin, a, b);
    }
    if (is_torch(a) || is_torch(b))
        && let Some(v) = torch::binary(interp, op, a, b)?
    {
        return Ok(v);
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        if let (Value::Bool(p), Value::Bool(q)) = (a, b) {
            match op {
                "&" => return Ok(Value::Bool(*p & *q)),
                "|" => return Ok(Value::Bool(*p | *q)),
                "^" => return Ok(Value::Bool(*p ^ *q)),
                _ => {}
            }
        }
        if let Some(v) = numeric(op, x, y)? {
            return Ok(v);
        }
    }
    if let Some(v) = super::set::binary(interp, op, a, b)? {
        return Ok(v);
    }
    let (a2, b2) = (size_as_tuple(a), size_as_tuple(b));
    match (op, &a2, &b2) {
        ("+", Value::Str(x), Value::Str(y)) => return Ok(Value::str(&format!("{x}{y}"))),
        ("+", Value::List(x), Value::List(y)) => {
            let mut v = x.borrow().clone();
            v.extend(y.borrow().iter().cloned());
            return Ok(Value::list(v));
        }
        ("+", Value::Tuple(x), Value::Tuple(y)) => {
            let mut v = (**x).clone();
            v.extend(y.iter().cloned());
            // torch.Size + tuple stays a torch.Size.
            if matches!(a, Value::Size(_))
                && let Some(dims) = as_dims(&v)
            {
                return Ok(Value::Size(Rc::new(dims)));
            }
            return Ok(Value::tuple(v));
        }
        ("*", seq, Value::Int(_) | Value::Bool(_)) | ("*", Value::Int(_) | Value::Bool(_), seq)
            if matches!(seq, Value::Str(_) | Value::List(_) | Value::Tuple(_)) =>
        {
            let n = match (&a2, &b2) {
                (Value::Int(n), _) | (_, Value::Int(n)) => *n,
                (Value::Bool(b), _) | (_, Value::Bool(b)) => *b as i64,
                _ => 0,
            };
            return repeat(seq, n.max(0) as usize);
        }
        ("%", Value::Str(fmt), args) => {
            return super::format::percent_format(interp, fmt, args);
        }
        ("|", Value::Dict(x), Value::Dict(y)) => {
            let merged = Value::Dict(Rc::new(std::cell::RefCell::new(x.borrow().clone())));
            if let Value::Dict(m) = &merged {
                for (k, v) in y.borrow().iter() {
                    dict_set(interp, m, k.clone(), v.clone())?;
                }
            }
            return Ok(merged);
        }
        _ => {}
    }
    Err(binary_type_error(op, a, b))
}

fn as_dims(v: &[Value]) -> Option<Vec<usize>> {
    v.iter()
        .map(|x| match x {
            Value::Int(i) if *i >= 0 => Some(*i as usize),
            _ => None,
        })
        .collect()
}

fn binary_type_error(op: &str, a: &Value, b: &Value) -> PyErr {
    let (ta, tb) = (a.type_name(), b.type_name());
    match (op, a) {
        ("+", Value::Str(_)) => {
            type_error(format!("can only concatenate str (not \"{tb}\") to str"))
        }
        ("+", Value::List(_)) => {
            type_error(format!("can only concatenate list (not \"{tb}\") to list"))
        }
        ("+", Value::Tuple(_)) => type_error(format!(
            "can only concatenate tuple (not \"{tb}\") to tuple"
        )),
        ("*", Value::Str(_) | Value::List(_) | Value::Tuple(_)) if num(b).is_some() => {
            type_error(format!("can't multiply sequence by non-int of type '{tb}'"))
        }
        ("*", _)
            if matches!(b, Value::Str(_) | Value::List(_) | Value::Tuple(_))
                && num(a).is_some() =>
        {
            type_error(format!("can't multiply sequence by non-int of type '{ta}'"))
        }
        ("**", _) => type_error(format!(
            "unsupported operand type(s) for ** or pow(): '{ta}' and '{tb}'"
        )),
        _ => type_error(format!(
            "unsupported operand type(s) for {op}: '{ta}' and '{tb}'"
        )),
    }
}

/// Longest sequence the interpreter will build; beyond it Python would exhaust memory too.
pub const MAX_ITEMS: usize = 1 << 28;

fn repeat(seq: &Value, n: usize) -> PyResult<Value> {
    let len = match seq {
        Value::Str(s) => s.len(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        _ => 0,
    };
    if len.checked_mul(n).is_none_or(|total| total > MAX_ITEMS) {
        return Err(PyErr::new(ErrorKind::MemoryError, ""));
    }
    Ok(match seq {
        Value::Str(s) => Value::str(&s.repeat(n)),
        Value::List(l) => {
            let items = l.borrow();
            Value::list(
                items
                    .iter()
                    .cloned()
                    .cycle()
                    .take(items.len() * n)
                    .collect(),
            )
        }
        Value::Tuple(t) => Value::tuple(t.iter().cloned().cycle().take(t.len() * n).collect()),
        _ => Value::None,
    })
}

/// Python floor division and modulo on floats (the result's sign follows the divisor).
fn float_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && (r < 0.0) != (b < 0.0) {
        r + b
    } else if r == 0.0 {
        0.0f64.copysign(b)
    } else {
        r
    }
}

fn float_floordiv(a: f64, b: f64) -> f64 {
    let m = float_mod(a, b);
    ((a - m) / b).round()
}

fn numeric(op: &str, x: Num, y: Num) -> PyResult<Option<Value>> {
    use Num::*;
    Ok(Some(match (x, y) {
        (Int(a), Int(b)) => match op {
            "+" => Value::Int(a.checked_add(b).ok_or_else(overflow)?),
            "-" => Value::Int(a.checked_sub(b).ok_or_else(overflow)?),
            "*" => Value::Int(a.checked_mul(b).ok_or_else(overflow)?),
            "/" => {
                if b == 0 {
                    return Err(zero_division_error("division by zero"));
                }
                Value::Float(a as f64 / b as f64)
            }
            "//" => {
                if b == 0 {
                    return Err(zero_division_error("integer division or modulo by zero"));
                }
                Value::Int(
                    a.checked_div_euclid(b)
                        .map(|_| floor_div(a, b))
                        .ok_or_else(overflow)?,
                )
            }
            "%" => {
                if b == 0 {
                    return Err(zero_division_error("integer modulo by zero"));
                }
                if b == -1 {
                    return Ok(Some(Value::Int(0)));
                }
                Value::Int(a - floor_div(a, b) * b)
            }
            "**" => {
                if b < 0 {
                    if a == 0 {
                        return Err(zero_division_error(
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    Value::Float((a as f64).powf(b as f64))
                } else {
                    let e = u32::try_from(b).map_err(|_| overflow())?;
                    Value::Int(a.checked_pow(e).ok_or_else(overflow)?)
                }
            }
            "&" => Value::Int(a & b),
            "|" => Value::Int(a | b),
            "^" => Value::Int(a ^ b),
            "<<" => {
                if b < 0 {
                    return Err(value_error("negative shift count"));
                }
                let r = if b >= 64 {
                    None
                } else {
                    a.checked_shl(b as u32).filter(|r| r >> b == a)
                };
                Value::Int(r.ok_or_else(overflow)?)
            }
            ">>" => {
                if b < 0 {
                    return Err(value_error("negative shift count"));
                }
                Value::Int(a >> b.min(63))
            }
            _ => return Ok(None),
        },
        _ => {
            let (a, b) = (to_f(x), to_f(y));
            match op {
                "+" => Value::Float(a + b),
                "-" => Value::Float(a - b),
                "*" => Value::Float(a * b),
                "/" => {
                    if b == 0.0 {
                        return Err(zero_division_error("float division by zero"));
                    }
                    Value::Float(a / b)
                }
                "//" => {
                    if b == 0.0 {
                        return Err(zero_division_error("float floor division by zero"));
                    }
                    Value::Float(float_floordiv(a, b))
                }
                "%" => {
                    if b == 0.0 {
                        return Err(zero_division_error("float modulo by zero"));
                    }
                    Value::Float(float_mod(a, b))
                }
                "**" => {
                    if a == 0.0 && b < 0.0 {
                        return Err(zero_division_error(
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    let r = a.powf(b);
                    if r.is_infinite() && a.is_finite() && b.is_finite() {
                        return Err(PyErr::new(
                            ErrorKind::OverflowError,
                            "(34, 'Numerical result out of range')",
                        ));
                    }
                    Value::Float(r)
                }
                _ => return Ok(None),
            }
        }
    }))
}

fn floor_div(a: i64, b: i64) -> i64 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// Unary `-x`, `+x`, `~x`.
pub fn unary(op: &str, v: &Value) -> PyResult<Value> {
    match (op, v) {
        (_, Value::Tensor(t)) => torch::unary(op, t),
        ("-", Value::Int(i)) => Ok(Value::Int(i.checked_neg().ok_or_else(overflow)?)),
        ("-", Value::Bool(b)) => Ok(Value::Int(-(*b as i64))),
        ("-", Value::Float(f)) => Ok(Value::Float(-f)),
        ("+", Value::Int(i)) => Ok(Value::Int(*i)),
        ("+", Value::Bool(b)) => Ok(Value::Int(*b as i64)),
        ("+", Value::Float(f)) => Ok(Value::Float(*f)),
        ("~", Value::Int(i)) => Ok(Value::Int(!i)),
        ("~", Value::Bool(b)) => Ok(Value::Int(!(*b as i64))),
        _ => Err(type_error(format!(
            "bad operand type for unary {op}: '{}'",
            v.type_name()
        ))),
    }
}

/// Identity (`is`): same object for shared values, same value for immutable scalars.
pub fn is_same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) | (Value::Ellipsis, Value::Ellipsis) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Str(x), Value::Str(y)) => Rc::ptr_eq(x, y) || x == y,
        (Value::List(x), Value::List(y)) => Rc::ptr_eq(x, y),
        (Value::Tuple(x), Value::Tuple(y)) => Rc::ptr_eq(x, y) || (x.is_empty() && y.is_empty()),
        (Value::Dict(x), Value::Dict(y)) => Rc::ptr_eq(x, y),
        (Value::Tensor(x), Value::Tensor(y)) => x.is(y),
        (Value::DType(x), Value::DType(y)) => x == y,
        (Value::Size(x), Value::Size(y)) => Rc::ptr_eq(x, y),
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Native(x), Value::Native(y)) => Rc::ptr_eq(x, y),
        (Value::Module(x), Value::Module(y)) => Rc::ptr_eq(x, y),
        (Value::NamedTuple(x), Value::NamedTuple(y)) => Rc::ptr_eq(x, y),
        (Value::Class(x), Value::Class(y)) => Rc::ptr_eq(x, y),
        (Value::Instance(x), Value::Instance(y)) => Rc::ptr_eq(x, y),
        (Value::BoundMethod(x), Value::BoundMethod(y)) => {
            Rc::ptr_eq(x, y) || (is_same(&x.recv, &y.recv) && is_same(&x.func, &y.func))
        }
        (Value::NotImplemented, Value::NotImplemented) => true,
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (Value::Slice(x), Value::Slice(y)) => Rc::ptr_eq(x, y),
        (Value::Range(..), Value::Range(..)) => false,
        _ => false,
    }
}

/// `a == b` as a bool, for `in` scans.
pub fn values_eq(interp: &mut Interp, a: &Value, b: &Value) -> PyResult<bool> {
    Ok(is_same(a, b) || eq(interp, a, b)?)
}

/// Python `a == b` as a bool (tensor results go through `bool()`).
pub fn eq(interp: &mut Interp, a: &Value, b: &Value) -> PyResult<bool> {
    if matches!(a, Value::Instance(_)) || matches!(b, Value::Instance(_)) {
        let r = super::special::compare(interp, crate::syntax::ast::CmpOp::Eq, a, b)?;
        return truthy(interp, &r);
    }
    if is_torch(a) || is_torch(b) {
        if let Some(v) = torch::binary(interp, "==", a, b)? {
            return truthy(interp, &v);
        }
        if let (Value::Tensor(x), Value::Tensor(y)) = (a, b) {
            return Ok(x.is(y));
        }
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(match (x, y) {
            (Num::Int(p), Num::Int(q)) => p == q,
            _ => to_f(x) == to_f(y),
        });
    }
    let (a, b) = (size_as_tuple(a), size_as_tuple(b));
    Ok(match (&a, &b) {
        (Value::None, Value::None) | (Value::Ellipsis, Value::Ellipsis) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            if Rc::ptr_eq(x, y) {
                return Ok(true);
            }
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            seq_eq(interp, &x, &y)?
        }
        (Value::Tuple(x), Value::Tuple(y)) => seq_eq(interp, x, y)?,
        (Value::NamedTuple(x), Value::Tuple(y)) | (Value::Tuple(y), Value::NamedTuple(x)) => {
            seq_eq(interp, &x.values, y)?
        }
        (Value::NamedTuple(x), Value::NamedTuple(y)) => seq_eq(interp, &x.values, &y.values)?,
        (Value::Dict(x), Value::Dict(y)) => {
            if Rc::ptr_eq(x, y) {
                return Ok(true);
            }
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            if x.len() != y.len() {
                return Ok(false);
            }
            for (k, v) in &x {
                match dict_lookup(interp, &y, k)? {
                    Some(i) => {
                        if !eq(interp, v, &y[i].1)? {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
            true
        }
        (Value::Range(..), Value::Range(..)) => {
            let (x, y) = (range_items(&a), range_items(&b));
            x == y
        }
        (Value::Slice(x), Value::Slice(y)) => {
            eq(interp, &x.0, &y.0)? && eq(interp, &x.1, &y.1)? && eq(interp, &x.2, &y.2)?
        }
        (Value::Object(_), Value::Object(_)) => {
            if let (Some(x), Some(y)) = (
                downcast::<super::set::PySet>(&a),
                downcast::<super::set::PySet>(&b),
            ) {
                let (x, y) = (x.items.borrow().clone(), y.items.borrow().clone());
                if x.len() != y.len() {
                    return Ok(false);
                }
                for item in &x {
                    if !contains_in(interp, &y, item)? {
                        return Ok(false);
                    }
                }
                true
            } else {
                is_same(&a, &b)
            }
        }
        _ => is_same(&a, &b),
    })
}

fn range_items(v: &Value) -> Vec<i64> {
    match v {
        Value::Range(start, _, step) => (0..range_len(v))
            .map(|i| start.wrapping_add(i.wrapping_mul(*step)))
            .collect(),
        _ => Vec::new(),
    }
}

fn seq_eq(interp: &mut Interp, x: &[Value], y: &[Value]) -> PyResult<bool> {
    if x.len() != y.len() {
        return Ok(false);
    }
    for (p, q) in x.iter().zip(y) {
        if !is_same(p, q) && !eq(interp, p, q)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Rich comparison `a op b` (`<`, `<=`, `>`, `>=`, `==`, `!=`), returning the result value.
pub fn compare(interp: &mut Interp, op: &str, a: &Value, b: &Value) -> PyResult<Value> {
    if matches!(a, Value::Instance(_)) || matches!(b, Value::Instance(_)) {
        use crate::syntax::ast::CmpOp;
        let cmp = match op {
            "==" => CmpOp::Eq,
            "!=" => CmpOp::NotEq,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::LtE,
            ">" => CmpOp::Gt,
            _ => CmpOp::GtE,
        };
        return super::special::compare(interp, cmp, a, b);
    }
    if (is_torch(a) || is_torch(b))
        && let Some(v) = torch::binary(interp, op, a, b)?
    {
        return Ok(v);
    }
    match op {
        "==" => return Ok(Value::Bool(eq(interp, a, b)?)),
        "!=" => return Ok(Value::Bool(!eq(interp, a, b)?)),
        _ => {}
    }
    let ord = order(interp, op, a, b)?;
    Ok(Value::Bool(match (op, ord) {
        (_, None) => false,
        ("<", Some(o)) => o == Ordering::Less,
        ("<=", Some(o)) => o != Ordering::Greater,
        (">", Some(o)) => o == Ordering::Greater,
        (_, Some(o)) => o != Ordering::Less,
    }))
}

/// Ordering for `<` and friends; None when unordered (NaN).
fn order(interp: &mut Interp, op: &str, a: &Value, b: &Value) -> PyResult<Option<Ordering>> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(match (x, y) {
            (Num::Int(p), Num::Int(q)) => Some(p.cmp(&q)),
            _ => to_f(x).partial_cmp(&to_f(y)),
        });
    }
    let (a2, b2) = (size_as_tuple(a), size_as_tuple(b));
    match (&a2, &b2) {
        (Value::Str(x), Value::Str(y)) => Ok(Some(x.cmp(y))),
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            seq_order(interp, op, &x, &y)
        }
        (Value::Tuple(x), Value::Tuple(y)) => seq_order(interp, op, x, y),
        _ => Err(type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
    }
}

fn seq_order(
    interp: &mut Interp,
    op: &str,
    x: &[Value],
    y: &[Value],
) -> PyResult<Option<Ordering>> {
    for (p, q) in x.iter().zip(y) {
        if !eq(interp, p, q)? {
            return order(interp, op, p, q);
        }
    }
    Ok(Some(x.len().cmp(&y.len())))
}

/// `a < b` as a bool, for sorting and `min`/`max`.
pub fn less(interp: &mut Interp, a: &Value, b: &Value) -> PyResult<bool> {
    let v = compare(interp, "<", a, b)?;
    truthy(interp, &v)
}

/// The items of any iterable value.
pub fn iterate(interp: &mut Interp, v: &Value) -> PyResult<Vec<Value>> {
    Ok(match v {
        Value::List(l) => l.borrow().clone(),
        Value::Tuple(t) => (**t).clone(),
        Value::Str(s) => s.chars().map(|c| Value::str(&c.to_string())).collect(),
        Value::Dict(d) => d.borrow().iter().map(|(k, _)| k.clone()).collect(),
        Value::Range(..) => {
            if range_len(v) as usize > MAX_ITEMS {
                return Err(PyErr::new(ErrorKind::MemoryError, ""));
            }
            range_items(v).into_iter().map(Value::Int).collect()
        }
        Value::Size(s) => s.iter().map(|&d| Value::Int(d as i64)).collect(),
        Value::NamedTuple(n) => n.values.clone(),
        Value::Tensor(t) => torch::iterate(t)?,
        Value::Instance(_) => {
            let it = super::special::iter(interp, v)?;
            let mut out = Vec::new();
            while let Some(x) = super::iter::next(interp, &it)? {
                out.push(x);
            }
            out
        }
        Value::Object(_) if super::iter::is_lazy(v) => {
            let mut out = Vec::new();
            while let Some(x) = super::iter::next(interp, v)? {
                out.push(x);
            }
            out
        }
        Value::Object(_) => {
            if let Some(it) = downcast::<PyIter>(v) {
                it.take_all()
            } else if let Some(view) = downcast::<DictView>(v) {
                view.items()
            } else if let Some(s) = downcast::<super::set::PySet>(v) {
                s.items.borrow().clone()
            } else {
                return Err(not_iterable(v));
            }
        }
        _ => return Err(not_iterable(v)),
    })
}

pub fn not_iterable(v: &Value) -> PyErr {
    type_error(format!("'{}' object is not iterable", v.type_name()))
}

fn contains_in(interp: &mut Interp, items: &[Value], item: &Value) -> PyResult<bool> {
    for x in items {
        if is_same(x, item) || eq(interp, x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `item in container`.
pub fn contains(interp: &mut Interp, container: &Value, item: &Value) -> PyResult<bool> {
    match container {
        Value::Instance(_) => super::special::contains(interp, container, item),
        Value::Object(_) if super::iter::is_lazy(container) => {
            while let Some(x) = super::iter::next(interp, container)? {
                if is_same(&x, item) || eq(interp, &x, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Str(s) => match item {
            Value::Str(sub) => Ok(s.contains(&**sub)),
            _ => Err(type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                item.type_name()
            ))),
        },
        Value::Dict(d) => {
            let items = d.borrow().clone();
            Ok(dict_lookup(interp, &items, item)?.is_some())
        }
        Value::Range(start, _, step) => Ok(match item {
            Value::Int(i) => {
                let n = range_len(container);
                let rel = i - start;
                rel % step == 0 && rel / step >= 0 && rel / step < n
            }
            _ => {
                let items = iterate(interp, container)?;
                contains_in(interp, &items, item)?
            }
        }),
        Value::Tensor(t) => {
            let eqv = torch::binary(interp, "==", container, item)?
                .ok_or_else(|| type_error("unsupported 'in' on a tensor"))?;
            let any = match eqv {
                Value::Tensor(e) => torch::tensor_attr(interp, &e, "any")?,
                other => return truthy(interp, &other),
            };
            let _ = t;
            let r = interp.call_value(&any, Args::default())?;
            truthy(interp, &r)
        }
        Value::Object(_)
            if downcast::<DictView>(container).is_some()
                || downcast::<super::set::PySet>(container).is_some()
                || downcast::<PyIter>(container).is_some() =>
        {
            let items = iterate(interp, container)?;
            contains_in(interp, &items, item)
        }
        Value::List(_) | Value::Tuple(_) | Value::Size(_) | Value::NamedTuple(_) => {
            let items = iterate(interp, container)?;
            contains_in(interp, &items, item)
        }
        _ => Err(type_error(format!(
            "argument of type '{}' is not iterable",
            container.type_name()
        ))),
    }
}

/// Python's hashability check for dict keys and set items.
pub fn check_hashable(v: &Value) -> PyResult<()> {
    match v {
        Value::List(_) | Value::Dict(_) => {
            Err(type_error(format!("unhashable type: '{}'", v.type_name())))
        }
        Value::Object(_) if downcast::<super::set::PySet>(v).is_some() => {
            Err(type_error("unhashable type: 'set'"))
        }
        Value::Tuple(items) => items.iter().try_for_each(check_hashable),
        Value::Instance(i) => {
            let unhashable = matches!(i.class.lookup("__hash__"), Some(Value::None))
                || (i.class.hook("__eq__").is_some() && i.class.hook("__hash__").is_none());
            if unhashable {
                Err(type_error(format!("unhashable type: '{}'", i.class.name)))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// Key equality as dicts use it: tensors hash by identity, everything else by value.
fn key_eq(interp: &mut Interp, a: &Value, b: &Value) -> PyResult<bool> {
    match (a, b) {
        (Value::Tensor(x), Value::Tensor(y)) => Ok(x.is(y)),
        (Value::Tensor(_), _) | (_, Value::Tensor(_)) => Ok(false),
        _ => Ok(is_same(a, b) || eq(interp, a, b)?),
    }
}

/// Index of `key` among a dict's entries.
pub fn dict_lookup(
    interp: &mut Interp,
    items: &[(Value, Value)],
    key: &Value,
) -> PyResult<Option<usize>> {
    check_hashable(key)?;
    for (i, (k, _)) in items.iter().enumerate() {
        if key_eq(interp, k, key)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// `d[key] = value`, keeping insertion order (an existing key keeps its place).
pub fn dict_set(
    interp: &mut Interp,
    d: &Rc<std::cell::RefCell<Vec<(Value, Value)>>>,
    key: Value,
    value: Value,
) -> PyResult<()> {
    let items = d.borrow().clone();
    match dict_lookup(interp, &items, &key)? {
        Some(i) => d.borrow_mut()[i].1 = value,
        None => d.borrow_mut().push((key, value)),
    }
    Ok(())
}

/// A Python int from an index-like value (int, bool, integral 1-element tensor).
pub fn index_value(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        Value::Tensor(t) if t.numel() == 1 && !t.dtype().is_floating() => match t.item() {
            Ok(crate::array::Scalar::Int(i)) => Some(i),
            Ok(crate::array::Scalar::Bool(b)) => Some(b as i64),
            _ => None,
        },
        _ => None,
    }
}

/// `slice.indices(len)`: normalized (start, stop, step).
pub fn slice_indices(s: &(Value, Value, Value), len: i64) -> PyResult<(i64, i64, i64)> {
    let get = |v: &Value| -> PyResult<Option<i64>> {
        match v {
            Value::None => Ok(None),
            other => index_value(other).map(Some).ok_or_else(|| {
                type_error("slice indices must be integers or None or have an __index__ method")
            }),
        }
    };
    let step = get(&s.2)?.unwrap_or(1);
    if step == 0 {
        return Err(value_error("slice step cannot be zero"));
    }
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let norm = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(i) if i < 0 => i.saturating_add(len).max(lower),
            Some(i) => i.min(upper),
        }
    };
    let start = norm(get(&s.0)?, if step < 0 { upper } else { lower });
    let stop = norm(get(&s.1)?, if step < 0 { lower } else { upper });
    Ok((start, stop, step))
}

/// The positions a slice selects in a sequence of `len` items.
pub fn slice_positions(s: &(Value, Value, Value), len: usize) -> PyResult<Vec<usize>> {
    let (start, stop, step) = slice_indices(s, len as i64)?;
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i += step;
    }
    Ok(out)
}
