//! Subscripts (`t[0]`, `t[:, 1]`, `t[mask]`, `t[[0, 2]]`, `t[None, ..., 1:]`), item
//! assignment, iteration and truthiness.

use super::convert::{array_from_data, value_to_tensor};
use crate::array::{DType, NdArray};
use crate::autograd::{Tensor, TensorIndex, ops};
use crate::error::{PyResult, index_error, runtime_error, type_error};
use crate::eval::value::Value;

const VALID: &str = "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices";

fn bad_tensor_index() -> crate::error::PyErr {
    index_error("tensors used as indices must be long, int, byte or bool tensors")
}

/// A slice bound: None, an int, or a 0-d integer tensor.
fn slice_bound(v: &Value) -> PyResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::Bool(b) => Ok(Some(*b as i64)),
        _ => super::args::as_int(v).map(Some).ok_or_else(|| {
            type_error("slice indices must be integers or None or have an __index__ method")
        }),
    }
}

/// An index tensor as PyTorch uses it: 0-d integers act as plain ints, int32 widens to int64.
fn tensor_index(t: &Tensor) -> PyResult<TensorIndex> {
    match t.dtype() {
        DType::I32 | DType::I64 if t.ndim() == 0 => match t.item()? {
            crate::array::Scalar::Int(i) => Ok(TensorIndex::Int(i)),
            _ => Err(bad_tensor_index()),
        },
        DType::I64 | DType::Bool => Ok(TensorIndex::Tensor(t.clone())),
        DType::I32 => Ok(TensorIndex::Tensor(Tensor::new(
            t.array().to_dtype(DType::I64),
        ))),
        _ => Err(bad_tensor_index()),
    }
}

/// A list used as an index becomes an int64 (or bool) index tensor.
fn list_index(v: &Value) -> PyResult<TensorIndex> {
    let array = array_from_data(v, None)?;
    let array = if array.numel() == 0 {
        NdArray::zeros(array.shape(), DType::I64)
    } else {
        array
    };
    match array.dtype() {
        DType::I64 | DType::Bool => Ok(TensorIndex::Tensor(Tensor::new(array))),
        _ => Err(bad_tensor_index()),
    }
}

fn items_of(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.borrow().clone()),
        _ => None,
    }
}

/// PyTorch (like NumPy) reads a list holding slices, None, Ellipsis, tensors or sequences
/// as a tuple of indices.
fn list_is_tuple(items: &[Value]) -> bool {
    items.len() < 32
        && items.iter().any(|x| {
            matches!(
                x,
                Value::Slice(_)
                    | Value::None
                    | Value::Ellipsis
                    | Value::Tensor(_)
                    | Value::List(_)
                    | Value::Tuple(_)
            )
        })
}

fn one_index(v: &Value) -> PyResult<TensorIndex> {
    match v {
        Value::Int(i) => Ok(TensorIndex::Int(*i)),
        Value::Bool(b) => Ok(TensorIndex::Tensor(Tensor::new(NdArray::from_vec(
            vec![*b],
            vec![],
        )))),
        Value::None => Ok(TensorIndex::None),
        Value::Ellipsis => Ok(TensorIndex::Ellipsis),
        Value::Slice(s) => Ok(TensorIndex::Slice(
            slice_bound(&s.0)?,
            slice_bound(&s.1)?,
            slice_bound(&s.2)?,
        )),
        Value::Tensor(t) => tensor_index(t),
        Value::List(_) | Value::Tuple(_) | Value::Range(..) => list_index(v),
        other => Err(index_error(format!("{VALID} (got {})", other.type_name()))),
    }
}

/// Converts a subscript value into the index components of `ops::index`.
pub fn to_indices(index: &Value) -> PyResult<Vec<TensorIndex>> {
    match index {
        Value::Tuple(items) => items.iter().map(one_index).collect(),
        Value::List(_) => match items_of(index) {
            Some(items) if list_is_tuple(&items) => items.iter().map(one_index).collect(),
            _ => Ok(vec![list_index(index)?]),
        },
        other => Ok(vec![one_index(other)?]),
    }
}

pub fn getitem(t: &Tensor, index: &Value) -> PyResult<Value> {
    let indices = to_indices(index)?;
    Ok(Value::Tensor(ops::index(t, &indices)?))
}

pub fn setitem(t: &Tensor, index: &Value, value: &Value) -> PyResult<()> {
    let indices = to_indices(index)?;
    let v = value_to_tensor(value, t.dtype())?;
    ops::index_put_(t, &indices, &v)
}

pub fn truthy(t: &Tensor) -> PyResult<bool> {
    match t.numel() {
        0 => Err(runtime_error(
            "Boolean value of Tensor with no values is ambiguous",
        )),
        1 => Ok(t.item()?.to_f64() != 0.0),
        _ => Err(runtime_error(
            "Boolean value of Tensor with more than one value is ambiguous",
        )),
    }
}

/// `iter(t)` is `iter(t.unbind(0))` in PyTorch (so elements carry `UnbindBackward0`).
pub fn iterate(t: &Tensor) -> PyResult<Vec<Value>> {
    if t.ndim() == 0 {
        return Err(type_error("iteration over a 0-d tensor"));
    }
    Ok(ops::unbind(t, 0)?.into_iter().map(Value::Tensor).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn slice(a: Value, b: Value, c: Value) -> Value {
        Value::Slice(Rc::new((a, b, c)))
    }

    #[test]
    fn converts_basic_components() {
        let idx = to_indices(&Value::tuple(vec![
            Value::Int(1),
            slice(Value::None, Value::Int(3), Value::None),
            Value::None,
            Value::Ellipsis,
        ]))
        .unwrap();
        assert!(matches!(idx[0], TensorIndex::Int(1)));
        assert!(matches!(idx[1], TensorIndex::Slice(None, Some(3), None)));
        assert!(matches!(idx[2], TensorIndex::None));
        assert!(matches!(idx[3], TensorIndex::Ellipsis));
    }

    #[test]
    fn lists_become_index_tensors() {
        let idx = to_indices(&Value::list(vec![Value::Int(0), Value::Int(2)])).unwrap();
        match &idx[..] {
            [TensorIndex::Tensor(t)] => {
                assert_eq!(t.dtype(), DType::I64);
                assert_eq!(t.array().to_vec::<i64>(), vec![0, 2]);
            }
            _ => panic!("expected one tensor index"),
        }
        let idx = to_indices(&Value::list(vec![Value::Bool(true), Value::Bool(false)])).unwrap();
        assert!(matches!(&idx[..], [TensorIndex::Tensor(t)] if t.dtype() == DType::Bool));
        // A list with a slice in it is a tuple of indices.
        let idx = to_indices(&Value::list(vec![
            Value::Int(0),
            slice(Value::None, Value::None, Value::None),
        ]))
        .unwrap();
        assert_eq!(idx.len(), 2);
        let empty = to_indices(&Value::list(vec![])).unwrap();
        assert!(matches!(&empty[..], [TensorIndex::Tensor(t)] if t.dtype() == DType::I64));
    }

    #[test]
    fn tensor_indices_follow_pytorch() {
        let zero_d = Tensor::new(NdArray::from_vec(vec![2i64], vec![]));
        assert!(matches!(
            to_indices(&Value::Tensor(zero_d)).unwrap()[..],
            [TensorIndex::Int(2)]
        ));
        let i32s = Tensor::new(NdArray::from_vec(vec![1i32, 0], vec![2]));
        assert!(
            matches!(&to_indices(&Value::Tensor(i32s)).unwrap()[..], [TensorIndex::Tensor(t)] if t.dtype() == DType::I64)
        );
        let floats = Tensor::new(NdArray::from_vec(vec![1.0f32], vec![1]));
        assert_eq!(
            to_indices(&Value::Tensor(floats)).unwrap_err().to_string(),
            "IndexError: tensors used as indices must be long, int, byte or bool tensors"
        );
        assert_eq!(
            to_indices(&Value::str("a")).unwrap_err().to_string(),
            "IndexError: only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got str)"
        );
        assert_eq!(
            to_indices(&slice(Value::Float(1.5), Value::None, Value::None))
                .unwrap_err()
                .to_string(),
            "TypeError: slice indices must be integers or None or have an __index__ method"
        );
    }

    #[test]
    fn truthiness_and_iteration_errors() {
        let one = Tensor::new(NdArray::from_vec(vec![0.0f32], vec![1]));
        assert!(!truthy(&one).unwrap());
        let two = Tensor::new(NdArray::from_vec(vec![1.0f32, 2.0], vec![2]));
        assert_eq!(
            truthy(&two).unwrap_err().to_string(),
            "RuntimeError: Boolean value of Tensor with more than one value is ambiguous"
        );
        let zero_d = Tensor::new(NdArray::from_vec(vec![1.0f32], vec![]));
        assert_eq!(
            iterate(&zero_d).unwrap_err().to_string(),
            "TypeError: iteration over a 0-d tensor"
        );
    }
}
