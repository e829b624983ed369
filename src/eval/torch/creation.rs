//! Tensor factories: `tensor`, `as_tensor`, `zeros`/`ones`/`full`/`empty`, `eye`, `arange`,
//! `linspace`, the `_like` and `new_` forms.

use super::args::Bound;
use super::convert::{array_from_data, to_shape};
use super::objects::check_device;
use super::table::{Row, method, torch};
use crate::array::{DType, NdArray, Scalar};
use crate::autograd::Tensor;
use crate::error::{PyResult, runtime_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn has(b: &Bound, name: &str) -> bool {
    b.sig.params.iter().any(|p| p.name == name)
}

/// Wraps a new array as a leaf with the call's `requires_grad=` and `device=` checked.
fn leaf(array: NdArray, b: &Bound) -> PyResult<Value> {
    if has(b, "device") {
        check_device(&b.value("device")?)?;
    }
    let rg = has(b, "requires_grad") && b.bool("requires_grad")?;
    Ok(Value::Tensor(Tensor::leaf(array, rg)?))
}

fn tensor(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let data = b.value("data")?;
    let array = array_from_data(&data, b.dtype("dtype")?)?;
    leaf(array, b)
}

/// `as_tensor` shares the tensor when no conversion is needed.
fn as_tensor(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let data = b.value("data")?;
    let dtype = b.dtype("dtype")?;
    check_device(&b.value("device")?)?;
    if let Value::Tensor(t) = &data {
        match dtype {
            Some(d) if d != t.dtype() => {
                return Ok(Value::Tensor(crate::autograd::ops::to_dtype(t, d)?));
            }
            _ => return Ok(data),
        }
    }
    Ok(Value::Tensor(Tensor::new(array_from_data(&data, dtype)?)))
}

fn filled(b: &Bound, value: f64) -> PyResult<Value> {
    let shape = to_shape(&b.int_list("size")?)?;
    let dtype = b.dtype("dtype")?.unwrap_or(DType::F32);
    leaf(NdArray::full(&shape, value, dtype), b)
}

fn zeros(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    filled(b, 0.0)
}
fn ones(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    filled(b, 1.0)
}

/// The dtype `full` infers from its fill value: bool → bool, int → int64, float → float32.
fn scalar_dtype(s: Scalar) -> DType {
    match s {
        Scalar::Bool(_) => DType::Bool,
        Scalar::Int(_) => DType::I64,
        Scalar::Float(_) => DType::F32,
    }
}

fn full(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let shape = to_shape(&b.int_list("size")?)?;
    let fill = b.scalar("fill_value")?;
    let dtype = b.dtype("dtype")?.unwrap_or(scalar_dtype(fill));
    leaf(NdArray::full(&shape, fill.to_f64(), dtype), b)
}

fn eye(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let n = b.int("n")?;
    let m = b.opt_int("m")?.unwrap_or(n);
    if n < 0 {
        return Err(runtime_error(format!(
            "n must be greater or equal to 0, got {n}"
        )));
    }
    if m < 0 {
        return Err(runtime_error(format!(
            "m must be greater or equal to 0, got {m}"
        )));
    }
    let dtype = b.dtype("dtype")?.unwrap_or(DType::F32);
    // `eye` resizes an empty tensor: the element count is checked before the storage size.
    let shape = [n as usize, m as usize];
    crate::array::alloc::safe_numel(&shape)?;
    crate::array::alloc::storage_numel(&shape, dtype.size())?;
    leaf(NdArray::eye(n as usize, m as usize, dtype), b)
}

/// `arange`'s dtype: int64 when every bound is an int, else the default float.
fn arange(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let end = b.scalar("end")?;
    let start = if has(b, "start") {
        b.scalar("start")?
    } else {
        Scalar::Int(0)
    };
    let step = if has(b, "step") {
        b.scalar("step")?
    } else {
        Scalar::Int(1)
    };
    let all_int = [start, end, step]
        .iter()
        .all(|s| matches!(s, Scalar::Int(_) | Scalar::Bool(_)));
    let dtype = b
        .dtype("dtype")?
        .unwrap_or(if all_int { DType::I64 } else { DType::F32 });
    leaf(
        NdArray::arange(start.to_f64(), end.to_f64(), step.to_f64(), dtype)?,
        b,
    )
}

fn linspace(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (start, end) = (b.float("start")?, b.float("end")?);
    let steps = b.int("steps")?;
    if steps < 0 {
        return Err(runtime_error(
            "linspace(): number of steps must be non-negative",
        ));
    }
    let dtype = b.dtype("dtype")?.unwrap_or(DType::F32);
    leaf(NdArray::linspace(start, end, steps as usize, dtype)?, b)
}

/// A new array made by `make(shape, dtype)` shaped and laid out like `input` (PyTorch's
/// `preserve_format`), in `dtype` or the input's dtype.
pub(super) fn like(b: &Bound, make: impl FnOnce(&[usize], DType) -> NdArray) -> PyResult<NdArray> {
    let input = b.tensor("input")?;
    let dtype = b.dtype("dtype")?.unwrap_or_else(|| input.dtype());
    let data = input.array();
    Ok(data.keeping_layout(|x| make(x.shape(), dtype)))
}

fn zeros_like(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    leaf(like(b, NdArray::zeros)?, b)
}
fn ones_like(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    leaf(like(b, |shape, dtype| NdArray::full(shape, 1.0, dtype))?, b)
}
fn full_like(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let value = b.scalar("fill_value")?.to_f64();
    leaf(
        like(b, |shape, dtype| NdArray::full(shape, value, dtype))?,
        b,
    )
}

/// `t.new_zeros(size)` and friends: the dtype of `self` unless given.
fn new_filled(b: &Bound, value: f64) -> PyResult<Value> {
    let this = b.this()?;
    let shape = to_shape(&b.int_list("size")?)?;
    let dtype = b.dtype("dtype")?.unwrap_or_else(|| this.dtype());
    leaf(NdArray::full(&shape, value, dtype), b)
}
fn new_zeros(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    new_filled(b, 0.0)
}
fn new_ones(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    new_filled(b, 1.0)
}
fn new_full(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    new_filled(b, b.scalar("fill_value")?.to_f64())
}
fn new_tensor(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let this = b.this()?;
    let data = b.value("data")?;
    // PyTorch: "the returned Tensor has the same torch.dtype ... as this tensor".
    let dtype = b.dtype("dtype")?.unwrap_or_else(|| this.dtype());
    leaf(array_from_data(&data, Some(dtype))?, b)
}

/// The factory part of the torch table.
pub const ROWS: &[Row] = &[
    torch(
        "tensor(Any data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False, bool pin_memory=False)",
        "A tensor copied from nested lists/tuples of numbers.",
        tensor,
    ),
    torch(
        "as_tensor(Any data, ScalarType? dtype=None, Device? device=None)",
        "Converts data to a tensor, sharing when possible.",
        as_tensor,
    ),
    torch(
        "zeros(int[] size, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "A tensor of zeros.",
        zeros,
    ),
    torch(
        "ones(int[] size, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "A tensor of ones.",
        ones,
    ),
    torch(
        "empty(int[] size, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "An uninitialized tensor (zeros here).",
        zeros,
    ),
    torch(
        "full(int[] size, Scalar fill_value, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "A tensor filled with fill_value.",
        full,
    ),
    torch(
        "eye(int n, int? m=None, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "The identity matrix.",
        eye,
    ),
    torch(
        "arange(Scalar end, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Values 0, 1, ... below end.",
        arange,
    ),
    torch(
        "arange(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Values from start below end by step.",
        arange,
    ),
    torch(
        "linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "steps evenly spaced values from start to end.",
        linspace,
    ),
    torch(
        "zeros_like(Tensor input, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Zeros shaped like input.",
        zeros_like,
    ),
    torch(
        "ones_like(Tensor input, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Ones shaped like input.",
        ones_like,
    ),
    torch(
        "empty_like(Tensor input, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Uninitialized (zeros) like input.",
        zeros_like,
    ),
    torch(
        "full_like(Tensor input, Scalar fill_value, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "fill_value shaped like input.",
        full_like,
    ),
    method(
        "new_zeros(Tensor self, int[] size, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Zeros with self's dtype.",
        new_zeros,
    ),
    method(
        "new_ones(Tensor self, int[] size, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Ones with self's dtype.",
        new_ones,
    ),
    method(
        "new_empty(Tensor self, int[] size, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "Uninitialized with self's dtype.",
        new_zeros,
    ),
    method(
        "new_full(Tensor self, int[] size, Scalar fill_value, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "fill_value with self's dtype.",
        new_full,
    ),
    method(
        "new_tensor(Tensor self, Any data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)",
        "A tensor from data with self's dtype.",
        new_tensor,
    ),
];
