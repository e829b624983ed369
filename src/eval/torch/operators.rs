//! Python operators on tensors (`a * 2`, `1 - a`, `a @ b`, `a < b`, `a += b`, `-a`, `~m`) and
//! on `torch.Size` / dtypes. Python numbers become PyTorch's wrapped scalars, so `a * 2`
//! records `MulBackward0` and `2 ** a` records `PowBackward2`, as in PyTorch.

use super::convert::{dtype_short_name, py_number};
use super::random::check_inplace;
use crate::array::{BinaryOp, DType, Scalar};
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, runtime_error, type_error};
use crate::eval::value::Value;
use std::rc::Rc;

fn comparison(op: &str) -> Option<BinaryOp> {
    Some(match op {
        "==" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        _ => return None,
    })
}

/// `s < t` is evaluated as `t > s`.
fn reflect(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// `&`, `|`, `^`: logical on bool tensors; PyTorch's error for floats.
fn bitwise(op: &str, a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    let bop = match op {
        "&" => BinaryOp::LogicalAnd,
        "|" => BinaryOp::LogicalOr,
        _ => BinaryOp::LogicalXor,
    };
    let name = match op {
        "&" => "bitwise_and_cpu",
        "|" => "bitwise_or_cpu",
        _ => "bitwise_xor_cpu",
    };
    let dtype = DType::promote(a.dtype(), b.dtype());
    if dtype != DType::Bool {
        return Err(runtime_error(format!(
            "\"{}\" not implemented for '{}'",
            name,
            dtype_short_name(dtype)
        )));
    }
    ops::compare(a, b, bop)
}

fn unsupported(op: &str, lhs: &Value, rhs: &Value) -> crate::error::PyErr {
    if comparison(op).is_some() {
        type_error(format!(
            "'{}' not supported between instances of '{}' and '{}'",
            op,
            lhs.type_name(),
            rhs.type_name()
        ))
    } else {
        type_error(format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            op,
            lhs.type_name(),
            rhs.type_name()
        ))
    }
}

fn tensor_tensor(op: &str, a: &Tensor, b: &Tensor) -> PyResult<Option<Tensor>> {
    if let Some(c) = comparison(op) {
        return ops::compare(a, b, c).map(Some);
    }
    Ok(Some(match op {
        "+" => ops::add(a, b, 1.0)?,
        "-" => ops::sub(a, b, 1.0)?,
        "*" => ops::mul(a, b)?,
        "/" => ops::div(a, b)?,
        "//" => ops::floor_divide(a, b)?,
        "%" => ops::remainder(a, b)?,
        "**" => ops::pow(a, b)?,
        "@" => {
            super::linalg::check_matmul(a, b)?;
            ops::matmul(a, b)?
        }
        "&" | "|" | "^" => bitwise(op, a, b)?,
        _ => return Ok(None),
    }))
}

fn tensor_scalar(op: &str, a: &Tensor, s: Scalar) -> PyResult<Option<Tensor>> {
    let st = ops::scalar_tensor(s, a);
    if let Some(c) = comparison(op) {
        return ops::compare(a, &st, c).map(Some);
    }
    Ok(Some(match op {
        "+" => ops::add(a, &st, 1.0)?,
        "-" => ops::sub(a, &st, 1.0)?,
        "*" => ops::mul(a, &st)?,
        "/" => ops::div(a, &st)?,
        "//" => ops::floor_divide(a, &st)?,
        "%" => ops::remainder(a, &st)?,
        "**" => ops::pow_scalar(a, s)?,
        "&" | "|" | "^" => bitwise(op, a, &st)?,
        _ => return Ok(None),
    }))
}

fn scalar_tensor(op: &str, s: Scalar, b: &Tensor) -> PyResult<Option<Tensor>> {
    let st = ops::scalar_tensor(s, b);
    if let Some(c) = comparison(op) {
        return ops::compare(b, &st, reflect(c)).map(Some);
    }
    Ok(Some(match op {
        // Tensor.__radd__/__rmul__ compute `self op other`.
        "+" => ops::add(b, &st, 1.0)?,
        "*" => ops::mul(b, &st)?,
        "-" => ops::rsub_scalar(b, s)?,
        "/" => ops::rdiv_scalar(b, s)?,
        "//" => ops::floor_divide(&st, b)?,
        "%" => ops::remainder(&st, b)?,
        "**" => ops::scalar_pow(s, b)?,
        "&" | "|" | "^" => bitwise(op, &st, b)?,
        _ => return Ok(None),
    }))
}

/// `t += x` and friends: in place on the tensor, which is returned.
fn inplace(op: &str, a: &Tensor, rhs: &Value) -> PyResult<Option<Value>> {
    let base = &op[..op.len() - 1];
    let other = match rhs {
        Value::Tensor(t) => t.clone(),
        v => match py_number(v) {
            Some(s) => ops::scalar_tensor(s, a),
            None => return Err(unsupported(op, &Value::Tensor(a.clone()), rhs)),
        },
    };
    match base {
        "+" => ops::add_(a, &other, 1.0)?,
        "-" => ops::sub_(a, &other, 1.0)?,
        "*" => ops::mul_(a, &other)?,
        "/" => ops::div_(a, &other)?,
        // `@=` is not in-place for tensors: Python rebinds to a new value.
        "@" => {
            super::linalg::check_matmul(a, &other)?;
            return Ok(Some(Value::Tensor(ops::matmul(a, &other)?)));
        }
        _ => {
            check_inplace(a)?;
            let out = match (base, rhs) {
                ("**", v) if py_number(v).is_some() => {
                    ops::pow_scalar(a, py_number(v).unwrap_or(Scalar::Int(1)))?
                }
                _ => match tensor_tensor(base, a, &other)? {
                    Some(t) => t,
                    None => return Ok(None),
                },
            };
            ops::copy_(a, &out)?;
        }
    }
    Ok(Some(Value::Tensor(a.clone())))
}

fn size_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Size(s) => Some(s.iter().map(|&d| Value::Int(d as i64)).collect()),
        Value::Tuple(t) => Some(t.as_ref().clone()),
        _ => None,
    }
}

fn same_numbers(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| match (py_number(x), py_number(y)) {
                (Some(p), Some(q)) => p.to_f64() == q.to_f64(),
                _ => false,
            })
}

/// `torch.Size` compares equal to tuples with the same ints; `Size + tuple` is a Size.
fn size_op(op: &str, lhs: &Value, rhs: &Value) -> PyResult<Option<Value>> {
    let (l, r) = match (size_items(lhs), size_items(rhs)) {
        (Some(l), Some(r)) => (l, r),
        _ => {
            return Ok(match op {
                "==" => Some(Value::Bool(false)),
                "!=" => Some(Value::Bool(true)),
                _ => None,
            });
        }
    };
    Ok(match op {
        "==" => Some(Value::Bool(same_numbers(&l, &r))),
        "!=" => Some(Value::Bool(!same_numbers(&l, &r))),
        "+" | "+=" => {
            let mut all = l;
            all.extend(r);
            if matches!(lhs, Value::Size(_)) {
                let dims: Option<Vec<usize>> = all
                    .iter()
                    .map(|v| match v {
                        Value::Int(i) if *i >= 0 => Some(*i as usize),
                        _ => None,
                    })
                    .collect();
                match dims {
                    Some(d) => Some(Value::Size(Rc::new(d))),
                    None => Some(Value::tuple(all)),
                }
            } else {
                Some(Value::tuple(all))
            }
        }
        _ => None,
    })
}

/// See `super::binary`.
pub fn binary(op: &str, lhs: &Value, rhs: &Value) -> PyResult<Option<Value>> {
    if op.len() >= 2 && op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">=") {
        if let Value::Tensor(a) = lhs {
            return inplace(op, a, rhs);
        }
        // Not a tensor on the left: Python falls back to `lhs = lhs op rhs`.
        return binary(&op[..op.len() - 1], lhs, rhs);
    }
    let result = match (lhs, rhs) {
        (Value::Tensor(a), Value::Tensor(b)) => tensor_tensor(op, a, b)?,
        (Value::Tensor(a), other) => match py_number(other) {
            Some(s) if op != "@" => tensor_scalar(op, a, s)?,
            _ => return non_tensor_operand(op, lhs, rhs),
        },
        (other, Value::Tensor(b)) => match py_number(other) {
            Some(s) if op != "@" => scalar_tensor(op, s, b)?,
            _ => return non_tensor_operand(op, lhs, rhs),
        },
        (Value::Size(_), _) | (_, Value::Size(_)) => return size_op(op, lhs, rhs),
        (Value::DType(a), Value::DType(b)) => {
            return Ok(match op {
                "==" => Some(Value::Bool(a == b)),
                "!=" => Some(Value::Bool(a != b)),
                _ => None,
            });
        }
        (Value::DType(_), _) | (_, Value::DType(_)) => {
            return Ok(match op {
                "==" => Some(Value::Bool(false)),
                "!=" => Some(Value::Bool(true)),
                _ => None,
            });
        }
        _ => return Ok(None),
    };
    match result {
        Some(t) => Ok(Some(Value::Tensor(t))),
        None => Err(unsupported(op, lhs, rhs)),
    }
}

/// A tensor next to something that is neither a tensor nor a number: `==` falls back to
/// identity (False), anything else is Python's unsupported-operand error.
fn non_tensor_operand(op: &str, lhs: &Value, rhs: &Value) -> PyResult<Option<Value>> {
    match op {
        "==" => Ok(Some(Value::Bool(false))),
        "!=" => Ok(Some(Value::Bool(true))),
        _ => Err(unsupported(op, lhs, rhs)),
    }
}

/// See `super::unary`.
pub fn unary(op: &str, t: &Tensor) -> PyResult<Value> {
    match op {
        "-" => Ok(Value::Tensor(ops::neg(t))),
        "+" => Ok(Value::Tensor(t.clone())),
        "~" | "not" if t.dtype() == DType::Bool => Ok(Value::Tensor(ops::logical_not(t))),
        "~" => Err(runtime_error(format!(
            "\"bitwise_not_cpu\" not implemented for '{}'",
            dtype_short_name(t.dtype())
        ))),
        _ => Err(type_error(format!(
            "bad operand type for unary {op}: 'Tensor'"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_equality_and_concatenation() {
        let s = Value::Size(Rc::new(vec![2, 3]));
        let t = Value::tuple(vec![Value::Int(2), Value::Int(3)]);
        assert!(matches!(
            binary("==", &s, &t).unwrap(),
            Some(Value::Bool(true))
        ));
        assert!(matches!(
            binary("!=", &s, &Value::tuple(vec![Value::Int(2)])).unwrap(),
            Some(Value::Bool(true))
        ));
        assert!(matches!(
            binary("==", &s, &Value::list(vec![Value::Int(2), Value::Int(3)])).unwrap(),
            Some(Value::Bool(false))
        ));
        match binary("+", &s, &Value::tuple(vec![Value::Int(4)])).unwrap() {
            Some(Value::Size(d)) => assert_eq!(*d, vec![2, 3, 4]),
            _ => panic!("expected a Size"),
        }
        match binary("+", &t, &s).unwrap() {
            Some(Value::Tuple(d)) => assert_eq!(d.len(), 4),
            _ => panic!("expected a tuple"),
        }
    }

    #[test]
    fn dtype_equality_and_fallthrough() {
        let f = Value::DType(DType::F32);
        assert!(matches!(
            binary("==", &f, &Value::DType(DType::F32)).unwrap(),
            Some(Value::Bool(true))
        ));
        assert!(matches!(
            binary("!=", &f, &Value::DType(DType::F64)).unwrap(),
            Some(Value::Bool(true))
        ));
        assert!(
            binary("+", &Value::Int(1), &Value::Int(2))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn tensor_with_foreign_operands() {
        let t = Value::Tensor(Tensor::new(crate::array::NdArray::from_vec(
            vec![1.0f32],
            vec![1],
        )));
        assert!(matches!(
            binary("==", &t, &Value::None).unwrap(),
            Some(Value::Bool(false))
        ));
        let e = binary("+", &t, &Value::str("a")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "TypeError: unsupported operand type(s) for +: 'Tensor' and 'str'"
        );
        let e = binary("<", &Value::str("a"), &t).unwrap_err();
        assert_eq!(
            e.to_string(),
            "TypeError: '<' not supported between instances of 'str' and 'Tensor'"
        );
        let e = binary("@", &t, &Value::Int(2)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "TypeError: unsupported operand type(s) for @: 'Tensor' and 'int'"
        );
    }
}
