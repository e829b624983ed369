//! Torch-level utilities: grad-mode switches, `set_printoptions`, `is_tensor`, dtype helpers,
//! `torch.Size`, `torch.device`, and the `torch.cuda` stubs of a CPU-only build.

use super::args::{Bound, as_f64, as_int, as_int_list};
use super::convert::py_number;
use super::objects::{GradMode, check_device, device_value};
use super::table::{Row, torch};
use crate::array::format::{PrintOptions, print_options, set_print_options};
use crate::array::{DType, Scalar};
use crate::autograd::{Tensor, is_grad_enabled, ops};
use crate::error::{PyResult, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;
use std::rc::Rc;

fn no_grad(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(GradMode::scoped("no_grad", false))
}
fn enable_grad(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(GradMode::scoped("enable_grad", true))
}
fn inference_mode(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(GradMode::scoped("inference_mode", !b.bool("mode")?))
}
fn set_grad_enabled(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(GradMode::set_now(b.bool("mode")?))
}
fn grad_enabled(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(is_grad_enabled()))
}

fn opt_usize(b: &Bound, name: &str) -> PyResult<Option<usize>> {
    match b.value(name)? {
        Value::None => Ok(None),
        v => match (as_int(&v), as_f64(&v)) {
            (Some(i), _) => Ok(Some(i.max(0) as usize)),
            // `threshold=float('inf')` means "never summarize".
            (None, Some(f)) if f.is_infinite() && f > 0.0 => Ok(Some(usize::MAX)),
            (None, Some(f)) => Ok(Some(f.max(0.0) as usize)),
            _ => Err(type_error(format!(
                "set_printoptions(): {name} must be a number, not {}",
                v.type_name()
            ))),
        },
    }
}

/// PyTorch's `set_printoptions`: a profile first, then the explicit options; `sci_mode` is
/// always assigned (so leaving it out resets it to automatic).
fn set_printoptions(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let mut o = print_options();
    if let Some(profile) = b.str("profile")? {
        let base = PrintOptions::default();
        match profile.as_str() {
            "default" => {
                o = PrintOptions {
                    sci_mode: o.sci_mode,
                    ..base
                }
            }
            "short" => {
                o = PrintOptions {
                    precision: 2,
                    edgeitems: 2,
                    sci_mode: o.sci_mode,
                    ..base
                }
            }
            "full" => {
                o = PrintOptions {
                    threshold: usize::MAX,
                    sci_mode: o.sci_mode,
                    ..base
                }
            }
            _ => {}
        }
    }
    if let Some(p) = opt_usize(b, "precision")? {
        o.precision = p;
    }
    if let Some(t) = opt_usize(b, "threshold")? {
        o.threshold = t;
    }
    if let Some(e) = opt_usize(b, "edgeitems")? {
        o.edgeitems = e;
    }
    if let Some(l) = opt_usize(b, "linewidth")? {
        o.linewidth = l;
    }
    o.sci_mode = match b.value("sci_mode")? {
        Value::None => None,
        Value::Bool(s) => Some(s),
        v => Some(as_f64(&v).is_some_and(|x| x != 0.0)),
    };
    set_print_options(o);
    Ok(Value::None)
}

fn is_tensor(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(matches!(b.value("obj")?, Value::Tensor(_))))
}
fn get_default_dtype(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::DType(DType::F32))
}
fn set_default_dtype(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    match b.dtype("d")? {
        Some(DType::F32) => Ok(Value::None),
        Some(DType::F64) => Err(runtime_error(
            "gradbook keeps torch.float32 as the default dtype",
        )),
        _ => Err(type_error(
            "only floating-point types are supported as the default type",
        )),
    }
}
fn promote_types(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    match (b.dtype("type1")?, b.dtype("type2")?) {
        (Some(a), Some(c)) => Ok(Value::DType(DType::promote(a, c))),
        _ => Err(type_error("promote_types() expects two dtypes")),
    }
}
fn number_dtype(s: Scalar) -> DType {
    match s {
        Scalar::Bool(_) => DType::Bool,
        Scalar::Int(_) => DType::I64,
        Scalar::Float(_) => DType::F32,
    }
}
fn result_type(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (x, y) = (b.value("tensor1")?, b.value("tensor2")?);
    let d = match (&x, &y) {
        (Value::Tensor(a), Value::Tensor(c)) => ops::result_type(a, c),
        (Value::Tensor(a), other) | (other, Value::Tensor(a)) => {
            let s = py_number(other)
                .ok_or_else(|| type_error("result_type(): expected a Tensor or a number"))?;
            ops::result_type(a, &ops::scalar_tensor(s, a))
        }
        _ => match (py_number(&x), py_number(&y)) {
            (Some(p), Some(q)) => DType::promote(number_dtype(p), number_dtype(q)),
            _ => return Err(type_error("result_type(): expected a Tensor or a number")),
        },
    };
    Ok(Value::DType(d))
}

/// `torch.Size([2, 3])`.
fn size(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let v = b.value("sizes")?;
    match as_int_list(&v) {
        Ok(dims) if dims.iter().all(|&d| d >= 0) => Ok(Value::Size(Rc::new(
            dims.into_iter().map(|d| d as usize).collect(),
        ))),
        Ok(_) => Err(runtime_error("torch.Size() does not accept negative sizes")),
        Err(Some(i)) => Err(type_error(format!(
            "torch.Size() takes an iterable of 'int' (item {i} is '{}')",
            match &v {
                Value::List(l) => l.borrow().get(i).map(|x| x.type_name()).unwrap_or_default(),
                Value::Tuple(t) => t.get(i).map(|x| x.type_name()).unwrap_or_default(),
                _ => String::new(),
            }
        ))),
        Err(None) => Err(type_error(format!(
            "'{}' object is not iterable",
            v.type_name()
        ))),
    }
}

fn device(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    check_device(&b.value("type")?)?;
    Ok(device_value())
}

fn broadcast_tensors_shape(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let ts: Vec<Tensor> = b.tensor_list("tensors")?;
    let mut shape: Vec<usize> = Vec::new();
    for t in &ts {
        shape = crate::array::broadcast_shapes(&shape, &t.shape())?;
    }
    let sizes: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
    let out = ts
        .iter()
        .map(|t| ops::expand(t, &sizes).map(Value::Tensor))
        .collect::<PyResult<Vec<Value>>>()?;
    Ok(Value::tuple(out))
}

fn cuda_available(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(false))
}
fn cuda_count(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Int(0))
}

/// The utility part of the torch table.
pub const ROWS: &[Row] = &[
    torch(
        "no_grad()",
        "Context manager: operations inside record no graph.",
        no_grad,
    ),
    torch(
        "enable_grad()",
        "Context manager: turns graph recording back on.",
        enable_grad,
    ),
    torch(
        "inference_mode(bool mode=True)",
        "Context manager like no_grad.",
        inference_mode,
    ),
    torch(
        "set_grad_enabled(bool mode)",
        "Switches graph recording (also a context manager).",
        set_grad_enabled,
    ),
    torch(
        "is_grad_enabled()",
        "Whether graph recording is on.",
        grad_enabled,
    ),
    torch(
        "def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None)",
        "Sets how tensors print.",
        set_printoptions,
    ),
    torch("def is_tensor(obj)", "True for tensors.", is_tensor),
    torch(
        "get_default_dtype()",
        "The default float dtype (torch.float32).",
        get_default_dtype,
    ),
    torch(
        "set_default_dtype(ScalarType d)",
        "Only torch.float32 is supported.",
        set_default_dtype,
    ),
    torch(
        "promote_types(ScalarType type1, ScalarType type2)",
        "The dtype both promote to.",
        promote_types,
    ),
    torch(
        "result_type(TensorLike tensor1, TensorLike tensor2)",
        "The dtype of an operation on both.",
        result_type,
    ),
    torch("Size(Any sizes=[])", "A tensor shape.", size),
    torch("device(Any type)", "A device (cpu only).", device),
    torch(
        "broadcast_tensors(TensorList tensors)",
        "Expands tensors to a common shape.",
        broadcast_tensors_shape,
    ),
];

/// `torch.cuda` of a CPU-only build.
pub const CUDA_ROWS: &[Row] = &[
    torch("is_available()", "False: no CUDA here.", cuda_available),
    torch("device_count()", "0.", cuda_count),
];
