//! Conversions between Python values and tensors: `torch.tensor(data)`, `tolist()`, `item()`,
//! wrapped Python numbers, sizes.

use super::args::{as_int_list, as_scalar};
use crate::array::{DType, NdArray, Scalar};
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, runtime_error, type_error, value_error};
use crate::eval::value::Value;
use std::rc::Rc;

/// A Python number read back out of a tensor.
pub fn scalar_to_value(s: Scalar) -> Value {
    match s {
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Float(f) => Value::Float(f),
    }
}

/// A Python number (bool, int, float) as a `Scalar`; tensors are not numbers here.
pub fn py_number(v: &Value) -> Option<Scalar> {
    match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Int(i) => Some(Scalar::Int(*i)),
        Value::Float(f) => Some(Scalar::Float(*f)),
        _ => None,
    }
}

/// A tensor argument, or a Python number wrapped as a 0-d tensor next to `like`
/// (PyTorch's "wrapped number", which never wins type promotion against a dimensioned tensor).
pub fn tensor_or_scalar(v: &Value, like: &Tensor) -> Option<Tensor> {
    match v {
        Value::Tensor(t) => Some(t.clone()),
        _ => py_number(v).map(|s| ops::scalar_tensor(s, like)),
    }
}

/// `torch.Size` from a shape.
pub fn size_value(shape: &[usize]) -> Value {
    Value::Size(Rc::new(shape.to_vec()))
}

/// A user-given size as a shape, with PyTorch's negative-dimension error.
pub fn to_shape(size: &[i64]) -> PyResult<Vec<usize>> {
    if let Some(&neg) = size.iter().find(|&&d| d < 0) {
        return Err(runtime_error(format!(
            "Trying to create tensor with negative dimension {}: {:?}",
            neg, size
        )));
    }
    let shape: Vec<usize> = size.iter().map(|&d| d as usize).collect();
    // The size overflow is checked here, before any factory computes with it (as float32,
    // the default dtype); the storage itself is asked for where it is made.
    crate::array::alloc::storage_numel(&shape, 4)?;
    Ok(shape)
}

/// `repr(torch.Size)` as PyTorch prints it, for messages.
pub fn size_repr(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("torch.Size([{}])", dims.join(", "))
}

/// PyTorch's short dtype names used in messages ("Float", "Long", ...).
pub fn dtype_short_name(d: DType) -> &'static str {
    match d {
        DType::Bool => "Bool",
        DType::I32 => "Int",
        DType::I64 => "Long",
        DType::F32 => "Float",
        DType::F64 => "Double",
    }
}

// ---------------------------------------------------------------------------------------------
// torch.tensor(data)

/// The items of a Python sequence as torch.tensor sees them (None if `v` is not a sequence).
fn sequence_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.borrow().clone()),
        Value::Tuple(t) => Some(t.as_ref().clone()),
        Value::Size(s) => Some(s.iter().map(|&d| Value::Int(d as i64)).collect()),
        Value::Range(start, stop, step) => {
            let (start, stop, step) = (*start, *stop, *step);
            let mut out = Vec::new();
            let mut i = start;
            while step != 0 && ((step > 0 && i < stop) || (step < 0 && i > stop)) {
                out.push(Value::Int(i));
                i += step;
            }
            Some(out)
        }
        _ => None,
    }
}

/// The dtype PyTorch infers for one leaf value.
fn leaf_dtype(v: &Value) -> PyResult<DType> {
    match v {
        Value::Bool(_) => Ok(DType::Bool),
        Value::Int(_) => Ok(DType::I64),
        Value::Float(_) => Ok(DType::F32),
        Value::Tensor(t) => Ok(t.dtype()),
        Value::Str(_) => Err(type_error("new(): invalid data type 'str'")),
        other => Err(runtime_error(format!(
            "Could not infer dtype of {}",
            other.type_name()
        ))),
    }
}

/// `infer_scalar_type`: promotion over every leaf; an empty sequence means the default dtype.
fn infer_dtype(v: &Value) -> PyResult<DType> {
    match sequence_items(v) {
        Some(items) => {
            let mut acc: Option<DType> = None;
            for item in &items {
                let d = infer_dtype(item)?;
                acc = Some(match acc {
                    Some(a) => DType::promote(a, d),
                    None => d,
                });
            }
            Ok(acc.unwrap_or(DType::F32))
        }
        None => leaf_dtype(v),
    }
}

/// Sizes from the first element at each depth (PyTorch's `compute_sizes`).
fn infer_sizes(v: &Value) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut cur = v.clone();
    while let Some(items) = sequence_items(&cur) {
        sizes.push(items.len());
        match items.into_iter().next() {
            Some(first) => cur = first,
            None => break,
        }
    }
    sizes
}

fn leaf_scalar(v: &Value) -> PyResult<Scalar> {
    match v {
        Value::Tensor(t) => {
            if t.numel() != 1 {
                return Err(value_error(
                    "only one element tensors can be converted to Python scalars",
                ));
            }
            t.item()
        }
        _ => match py_number(v) {
            Some(s) => Ok(s),
            None => Err(type_error(format!(
                "must be real number, not {}",
                v.type_name()
            ))),
        },
    }
}

fn store(v: &Value, sizes: &[usize], dim: usize, out: &mut Vec<Scalar>) -> PyResult<()> {
    if dim == sizes.len() {
        out.push(leaf_scalar(v)?);
        return Ok(());
    }
    let items = sequence_items(v).ok_or_else(|| type_error("not a sequence"))?;
    if items.len() != sizes[dim] {
        return Err(value_error(format!(
            "expected sequence of length {} at dim {} (got {})",
            sizes[dim],
            dim,
            items.len()
        )));
    }
    for item in &items {
        store(item, sizes, dim + 1, out)?;
    }
    Ok(())
}

/// Builds an array of `dtype` from Python numbers with PyTorch's cast rules.
pub fn array_from_scalars(values: &[Scalar], shape: Vec<usize>, dtype: DType) -> NdArray {
    match dtype {
        DType::Bool => NdArray::from_vec(
            values
                .iter()
                .map(|s| s.to_f64() != 0.0)
                .collect::<Vec<bool>>(),
            shape,
        ),
        DType::I32 => NdArray::from_vec(
            values
                .iter()
                .map(|&s| scalar_to_i64(s) as i32)
                .collect::<Vec<i32>>(),
            shape,
        ),
        DType::I64 => NdArray::from_vec(
            values
                .iter()
                .map(|&s| scalar_to_i64(s))
                .collect::<Vec<i64>>(),
            shape,
        ),
        DType::F32 => NdArray::from_vec(
            values
                .iter()
                .map(|s| s.to_f64() as f32)
                .collect::<Vec<f32>>(),
            shape,
        ),
        DType::F64 => NdArray::from_vec(
            values.iter().map(|s| s.to_f64()).collect::<Vec<f64>>(),
            shape,
        ),
    }
}

fn scalar_to_i64(s: Scalar) -> i64 {
    match s {
        Scalar::Bool(b) => b as i64,
        Scalar::Int(i) => i,
        Scalar::Float(f) => f as i64,
    }
}

/// `torch.tensor(data, dtype=...)`: nested lists/tuples of numbers, bools and one-element tensors.
pub fn array_from_data(data: &Value, dtype: Option<DType>) -> PyResult<NdArray> {
    if let Value::Tensor(t) = data {
        let d = dtype.unwrap_or_else(|| t.dtype());
        return Ok(t.array().to_dtype(d));
    }
    let inferred = infer_dtype(data)?;
    let sizes = infer_sizes(data);
    let mut flat = Vec::with_capacity(sizes.iter().product());
    store(data, &sizes, 0, &mut flat)?;
    Ok(array_from_scalars(&flat, sizes, dtype.unwrap_or(inferred)))
}

/// A value to write into a tensor (`t[i] = value`, `copy_`): a tensor, a number or nested data.
pub fn value_to_tensor(v: &Value, dtype: DType) -> PyResult<Tensor> {
    match v {
        Value::Tensor(t) => Ok(t.clone()),
        _ => {
            if let Some(s) = as_scalar(v) {
                return Ok(Tensor::new(array_from_scalars(&[s], vec![], dtype)));
            }
            if sequence_items(v).is_some() {
                return Ok(Tensor::new(array_from_data(v, Some(dtype))?));
            }
            Err(type_error(format!(
                "can't assign a {} to a {} Tensor",
                v.type_name(),
                dtype_short_name(dtype)
            )))
        }
    }
}

/// `t.tolist()`: nested Python lists of Python numbers (a number for a 0-d tensor).
pub fn tolist(array: &NdArray) -> Value {
    let scalars = array.scalars();
    let shape = array.shape().to_vec();
    if shape.is_empty() {
        return scalars
            .first()
            .copied()
            .map(scalar_to_value)
            .unwrap_or(Value::None);
    }
    fn build(scalars: &[Scalar], shape: &[usize]) -> Value {
        if shape.len() == 1 {
            return Value::list(scalars.iter().map(|&s| scalar_to_value(s)).collect());
        }
        let inner: usize = shape[1..].iter().product();
        let items = (0..shape[0])
            .map(|i| build(&scalars[i * inner..(i + 1) * inner], &shape[1..]))
            .collect();
        Value::list(items)
    }
    build(&scalars, &shape)
}

/// A shape given as a Python sequence of ints (for messages that need one).
pub fn shape_of(v: &Value) -> Option<Vec<i64>> {
    as_int_list(v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Value {
        Value::list(v.iter().map(|&i| Value::Int(i)).collect())
    }

    #[test]
    fn infers_dtype_and_shape() {
        let a = array_from_data(&Value::list(vec![ints(&[1, 2]), ints(&[3, 4])]), None).unwrap();
        assert_eq!(a.shape(), &[2, 2]);
        assert_eq!(a.dtype(), DType::I64);
        assert_eq!(a.to_vec::<i64>(), vec![1, 2, 3, 4]);
        let f =
            array_from_data(&Value::list(vec![Value::Int(1), Value::Float(2.5)]), None).unwrap();
        assert_eq!(f.dtype(), DType::F32);
        assert_eq!(f.to_vec::<f32>(), vec![1.0, 2.5]);
        let b = array_from_data(
            &Value::tuple(vec![Value::Bool(true), Value::Bool(false)]),
            None,
        )
        .unwrap();
        assert_eq!(b.dtype(), DType::Bool);
        let e = array_from_data(&Value::list(vec![]), None).unwrap();
        assert_eq!((e.shape(), e.dtype()), (&[0usize][..], DType::F32));
        let s = array_from_data(&Value::Float(3.5), None).unwrap();
        assert_eq!(s.shape(), &[] as &[usize]);
        let d = array_from_data(&ints(&[1, 2]), Some(DType::F64)).unwrap();
        assert_eq!(d.dtype(), DType::F64);
        let t = array_from_data(&Value::list(vec![Value::Float(1.7)]), Some(DType::I64)).unwrap();
        assert_eq!(t.to_vec::<i64>(), vec![1]);
    }

    #[test]
    fn ragged_and_bad_data_errors() {
        let ragged = Value::list(vec![
            Value::list(vec![Value::Float(1.0), Value::Float(2.0)]),
            Value::list(vec![Value::Float(3.0)]),
        ]);
        let e = array_from_data(&ragged, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ValueError: expected sequence of length 2 at dim 1 (got 1)"
        );
        let e = array_from_data(&Value::str("a"), None).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: new(): invalid data type 'str'");
        let e = array_from_data(&Value::None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "RuntimeError: Could not infer dtype of NoneType"
        );
    }

    #[test]
    fn zero_d_tensors_inside_lists_are_scalars() {
        let t = Tensor::new(NdArray::from_vec(vec![2.0f64], vec![]));
        let a = array_from_data(
            &Value::list(vec![Value::Float(1.0), Value::Tensor(t)]),
            None,
        )
        .unwrap();
        assert_eq!(a.dtype(), DType::F64);
        assert_eq!(a.to_vec::<f64>(), vec![1.0, 2.0]);
        let big = Tensor::new(NdArray::from_vec(vec![1.0f32, 2.0], vec![2]));
        let e = array_from_data(&Value::list(vec![Value::Tensor(big)]), None).unwrap_err();
        assert_eq!(
            e.msg,
            "only one element tensors can be converted to Python scalars"
        );
    }

    #[test]
    fn tolist_nests_by_shape() {
        let a = NdArray::from_vec(vec![1i64, 2, 3, 4, 5, 6], vec![2, 3]);
        match tolist(&a) {
            Value::List(rows) => {
                let rows = rows.borrow();
                assert_eq!(rows.len(), 2);
                match &rows[1] {
                    Value::List(r) => assert!(matches!(r.borrow()[2], Value::Int(6))),
                    _ => panic!("row is not a list"),
                }
            }
            _ => panic!("not a list"),
        }
        assert!(
            matches!(tolist(&NdArray::from_vec(vec![2.5f32], vec![])), Value::Float(f) if f == 2.5)
        );
    }

    #[test]
    fn negative_sizes_error() {
        assert_eq!(
            to_shape(&[2, -1]).unwrap_err().msg,
            "Trying to create tensor with negative dimension -1: [2, -1]"
        );
        assert_eq!(size_repr(&[2, 3]), "torch.Size([2, 3])");
    }
}
