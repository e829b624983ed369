//! Tensor methods that are not math: `size`, `dim`, `item`, `tolist`, dtype conversions
//! (`to`, `float`, ...), `zero_`/`fill_`/`copy_`, `requires_grad_`, `cpu`.

use super::args::Bound;
use super::convert::{scalar_to_value, size_value, tolist};
use super::objects::check_device;
use super::table::{Row, both, method};
use crate::array::DType;
use crate::autograd::{Tensor, ops};
use crate::error::{ErrorKind, PyErr, PyResult, index_error, runtime_error, value_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

fn size(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let shape = b.this()?.shape();
    per_dim(b, &shape, size_value)
}

/// `values` (one per dim) as `whole` makes them, or the one of `dim` when given, with
/// PyTorch's errors (`size(dim)`, `stride(dim)`).
fn per_dim(b: &Bound, values: &[usize], whole: impl FnOnce(&[usize]) -> Value) -> PyResult<Value> {
    match b.opt_int("dim")? {
        None => Ok(whole(values)),
        Some(d) if values.is_empty() => Err(index_error(format!(
            "Dimension specified as {d} but tensor has no dimensions"
        ))),
        Some(d) => {
            let i = crate::array::normalize_dim(d as isize, values.len())?;
            Ok(Value::Int(values[i] as i64))
        }
    }
}
fn dim(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Int(b.this()?.ndim() as i64))
}
fn numel(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Int(b.tensor("input")?.numel() as i64))
}
fn element_size(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Int(b.this()?.dtype().size() as i64))
}
fn item(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(scalar_to_value(b.this()?.item()?))
}
fn to_list(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(tolist(&b.this()?.array()))
}
fn is_floating_point(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(b.tensor("input")?.dtype().is_floating()))
}
fn is_contiguous(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(b.this()?.data_ref().is_contiguous()))
}
/// `stride()` (a tuple) or `stride(dim)`: elements to step in storage per index along a dim.
fn stride(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let strides = b.this()?.data_ref().strides().to_vec();
    per_dim(b, &strides, |s| {
        Value::tuple(s.iter().map(|&v| Value::Int(v as i64)).collect())
    })
}
fn storage_offset(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Int(b.this()?.data_ref().offset() as i64))
}
fn is_complex(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(false))
}

fn zero_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    ops::zero_(&x)?;
    t(x)
}
fn fill_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    ops::fill_(&x, b.scalar("value")?.to_f64())?;
    t(x)
}
fn copy_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    ops::copy_(&x, &b.tensor("src")?)?;
    t(x)
}
fn requires_grad_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    let flag = b.bool("requires_grad")?;
    // The Python binding's own check and wording (THPVariable_requires_grad_).
    if flag && !x.dtype().is_floating() {
        return Err(runtime_error(
            "only Tensors of floating point dtype can require gradients",
        ));
    }
    x.requires_grad_(flag)?;
    t(x)
}

/// `to(dtype, copy=...)`: the same tensor when nothing changes, unless a copy is asked for.
fn convert(x: &Tensor, dtype: Option<DType>, copy: bool) -> PyResult<Value> {
    let out = match dtype {
        Some(d) if d != x.dtype() => ops::to_dtype(x, d)?,
        _ if copy => ops::clone(x),
        _ => x.clone(),
    };
    t(out)
}
fn to(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    let has = |n: &str| b.sig.params.iter().any(|p| p.name == n);
    if has("device") {
        check_device(&b.value("device")?)?;
    }
    let dtype = if has("other") {
        Some(b.tensor("other")?.dtype())
    } else {
        b.dtype("dtype")?
    };
    convert(&x, dtype, b.bool("copy")?)
}
fn cast(b: &Bound, d: DType) -> PyResult<Value> {
    convert(&b.this()?, Some(d), false)
}
fn float(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    cast(b, DType::F32)
}
fn double(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    cast(b, DType::F64)
}
fn long(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    cast(b, DType::I64)
}
fn int(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    cast(b, DType::I32)
}
fn bool_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    cast(b, DType::Bool)
}
fn type_as(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = b.tensor("other")?.dtype();
    cast(b, d)
}

/// The legacy tensor type names (`x.type()`).
fn legacy_name(d: DType) -> &'static str {
    match d {
        DType::Bool => "torch.BoolTensor",
        DType::I32 => "torch.IntTensor",
        DType::I64 => "torch.LongTensor",
        DType::F32 => "torch.FloatTensor",
        DType::F64 => "torch.DoubleTensor",
    }
}
fn type_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    match b.value("dtype")? {
        Value::None => Ok(Value::str(legacy_name(x.dtype()))),
        Value::DType(d) => convert(&x, Some(d), false),
        Value::Str(s) => {
            let all = [DType::Bool, DType::I32, DType::I64, DType::F32, DType::F64];
            match all
                .iter()
                .find(|d| legacy_name(**d) == &*s || d.name() == &*s)
            {
                Some(&d) => convert(&x, Some(d), false),
                None => Err(value_error(format!("invalid type: '{s}'"))),
            }
        }
        other => Err(crate::error::type_error(format!(
            "type() argument 'dtype' must be torch.dtype or str, not {}",
            other.type_name()
        ))),
    }
}
fn cpu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(b.this()?)
}
fn cuda(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Err(PyErr::new(
        ErrorKind::AssertionError,
        "Torch not compiled with CUDA enabled",
    ))
}
fn get_device(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Int(-1))
}
fn numpy(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Err(runtime_error(
        "numpy is not available in gradbook; use .tolist()",
    ))
}
/// The tensor-method part of the torch table.
pub const ROWS: &[Row] = &[
    method(
        "size(Tensor self, int? dim=None)",
        "The shape (torch.Size), or one dim's length.",
        size,
    ),
    method("dim(Tensor self)", "Number of dims.", dim),
    method("ndimension(Tensor self)", "Alias of dim.", dim),
    both("numel(Tensor input)", "Number of elements.", numel),
    method("nelement(Tensor self)", "Alias of numel.", numel_method),
    method(
        "element_size(Tensor self)",
        "Bytes per element.",
        element_size,
    ),
    method(
        "item(Tensor self)",
        "The single element as a Python number.",
        item,
    ),
    method(
        "tolist(Tensor self)",
        "Nested Python lists of numbers.",
        to_list,
    ),
    both(
        "is_floating_point(Tensor input)",
        "True for float dtypes.",
        is_floating_point,
    ),
    method(
        "is_contiguous(Tensor self, *, Any? memory_format=None)",
        "True if stored in row-major order.",
        is_contiguous,
    ),
    method(
        "stride(Tensor self, int? dim=None)",
        "Storage steps per dim (a tuple), or one dim's step.",
        stride,
    ),
    method(
        "storage_offset(Tensor self)",
        "Index of the first element in the storage.",
        storage_offset,
    ),
    both(
        "is_complex(Tensor input)",
        "Always False (no complex dtypes).",
        is_complex,
    ),
    method("zero_(Tensor self)", "Fills with zeros in place.", zero_),
    method(
        "fill_(Tensor self, Scalar value)",
        "Fills with value in place.",
        fill_,
    ),
    method(
        "copy_(Tensor self, Tensor src, bool non_blocking=False)",
        "Copies src in (broadcasting, casting).",
        copy_,
    ),
    method(
        "requires_grad_(Tensor self, bool requires_grad=True)",
        "Sets requires_grad in place; returns self.",
        requires_grad_,
    ),
    method(
        "to(Tensor self, ScalarType dtype, bool non_blocking=False, bool copy=False)",
        "Converts to dtype.",
        to,
    ),
    method(
        "to(Tensor self, Device? device=None, ScalarType? dtype=None, bool non_blocking=False, bool copy=False)",
        "Moves/converts (cpu only).",
        to,
    ),
    method(
        "to(Tensor self, Tensor other, bool non_blocking=False, bool copy=False)",
        "Converts to other's dtype.",
        to,
    ),
    method("float(Tensor self)", "Converts to float32.", float),
    method("double(Tensor self)", "Converts to float64.", double),
    method("long(Tensor self)", "Converts to int64.", long),
    method("int(Tensor self)", "Converts to int32.", int),
    method("bool(Tensor self)", "Converts to bool.", bool_),
    method(
        "type_as(Tensor self, Tensor other)",
        "Converts to other's dtype.",
        type_as,
    ),
    method(
        "type(Tensor self, Any? dtype=None, bool non_blocking=False)",
        "The legacy type name, or a conversion.",
        type_,
    ),
    method("cpu(Tensor self)", "Returns self (the only device).", cpu),
    method(
        "cuda(Tensor self, Any? device=None)",
        "Fails: no CUDA.",
        cuda,
    ),
    method("get_device(Tensor self)", "-1 for CPU tensors.", get_device),
    method("numpy(Tensor self)", "Not available.", numpy),
];

fn numel_method(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Int(b.this()?.numel() as i64))
}
