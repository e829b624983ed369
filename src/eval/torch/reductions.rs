//! Reductions: `sum`, `mean`, `prod`, `max`/`min` (with the `torch.return_types` named tuple),
//! `amax`, `argmax`, `norm`, `var`/`std`, `logsumexp`, `softmax`, `cumsum`, `trace`, `all`/`any`.

use super::args::Bound;
use super::table::{Row, both};
use crate::array::DType;
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, not_implemented, runtime_error};
use crate::eval::interp::Interp;
use crate::eval::value::{NamedTuple, Value};
use std::rc::Rc;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

fn has(b: &Bound, name: &str) -> bool {
    b.sig.params.iter().any(|p| p.name == name)
}

/// The input, converted first when `dtype=` is given (PyTorch casts before reducing).
fn input_as(b: &Bound) -> PyResult<Tensor> {
    let x = b.tensor("input")?;
    match if has(b, "dtype") {
        b.dtype("dtype")?
    } else {
        None
    } {
        Some(d) if d != x.dtype() => ops::to_dtype(&x, d),
        _ => Ok(x),
    }
}

/// `dim` of an `int[1]?` parameter; an empty list means every dim, as in PyTorch.
fn dims(b: &Bound) -> PyResult<Option<Vec<isize>>> {
    if !has(b, "dim") {
        return Ok(None);
    }
    Ok(b.dims("dim")?.filter(|d| !d.is_empty()))
}

fn keepdim(b: &Bound) -> PyResult<bool> {
    if has(b, "keepdim") {
        b.bool("keepdim")
    } else {
        Ok(false)
    }
}

fn sum(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = dims(b)?;
    t(ops::sum(&input_as(b)?, d.as_deref(), keepdim(b)?)?)
}
fn nansum(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = dims(b)?;
    t(ops::nansum(&input_as(b)?, d.as_deref(), keepdim(b)?)?)
}
fn mean(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = input_as(b)?;
    if !x.dtype().is_floating() {
        return Err(not_implemented(format!(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}",
            super::convert::dtype_short_name(x.dtype())
        )));
    }
    let d = dims(b)?;
    t(ops::mean(&x, d.as_deref(), keepdim(b)?)?)
}
fn prod(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let dim = if has(b, "dim") {
        Some(b.int("dim")? as isize)
    } else {
        None
    };
    t(ops::prod(&input_as(b)?, dim, keepdim(b)?)?)
}

/// `torch.return_types.max(values=..., indices=...)`.
pub fn values_indices(kind: &str, values: Tensor, indices: Tensor) -> Value {
    Value::NamedTuple(Rc::new(NamedTuple {
        type_name: format!("torch.return_types.{kind}"),
        fields: vec!["values".into(), "indices".into()],
        values: vec![Value::Tensor(values), Value::Tensor(indices)],
    }))
}

fn max(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    if has(b, "other") {
        return t(ops::maximum(&x, &b.tensor("other")?)?);
    }
    if has(b, "dim") {
        let (v, i) = ops::max_dim(&x, b.int("dim")? as isize, keepdim(b)?)?;
        return Ok(values_indices("max", v, i));
    }
    t(ops::max_all(&x)?)
}
fn min(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    if has(b, "other") {
        return t(ops::minimum(&x, &b.tensor("other")?)?);
    }
    if has(b, "dim") {
        let (v, i) = ops::min_dim(&x, b.int("dim")? as isize, keepdim(b)?)?;
        return Ok(values_indices("min", v, i));
    }
    t(ops::min_all(&x)?)
}

fn amax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = b.dims("dim")?.unwrap_or_default();
    t(ops::amax(&b.tensor("input")?, &d, keepdim(b)?)?)
}
fn amin(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = b.dims("dim")?.unwrap_or_default();
    t(ops::amin(&b.tensor("input")?, &d, keepdim(b)?)?)
}
fn argmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let dim = b.opt_int("dim")?.map(|d| d as isize);
    t(ops::argmax(&b.tensor("input")?, dim, keepdim(b)?)?)
}
fn argmin(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let dim = b.opt_int("dim")?.map(|d| d as isize);
    t(ops::argmin(&b.tensor("input")?, dim, keepdim(b)?)?)
}

/// `norm(p="fro")`: "fro" (and None) is the 2-norm over the reduced dims.
fn norm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let p = match b.value("p")? {
        Value::None => 2.0,
        Value::Str(s) if &*s == "fro" => 2.0,
        Value::Str(s) if &*s == "nuc" => {
            return Err(runtime_error("nuclear norm is not supported in gradbook"));
        }
        Value::Str(s) => {
            return Err(runtime_error(format!(
                "linalg.vector_norm: Unsupported norm type {s}"
            )));
        }
        v => super::args::as_f64(&v)
            .ok_or_else(|| runtime_error("norm(): p must be a number or 'fro'"))?,
    };
    let x = input_as(b)?;
    let d = dims(b)?;
    t(ops::norm(&x, p, d.as_deref(), keepdim(b)?)?)
}

/// var/std correction: `unbiased=` (old overloads) or `correction=` (default 1).
fn correction(b: &Bound) -> PyResult<f64> {
    if has(b, "unbiased") {
        return Ok(if b.bool("unbiased")? { 1.0 } else { 0.0 });
    }
    Ok(b.opt_float("correction")?.unwrap_or(1.0))
}
fn var(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = dims(b)?;
    t(ops::var(
        &b.tensor("input")?,
        d.as_deref(),
        correction(b)?,
        keepdim(b)?,
    )?)
}
fn std(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = dims(b)?;
    t(ops::std(
        &b.tensor("input")?,
        d.as_deref(),
        correction(b)?,
        keepdim(b)?,
    )?)
}

fn logsumexp(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let d = b.dims("dim")?.unwrap_or_default();
    t(ops::logsumexp(&b.tensor("input")?, &d, keepdim(b)?)?)
}
fn softmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::softmax(&input_as(b)?, b.int("dim")? as isize)?)
}
fn log_softmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::log_softmax(&input_as(b)?, b.int("dim")? as isize)?)
}
fn cumsum(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::cumsum(&input_as(b)?, b.int("dim")? as isize)?)
}
fn trace(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::trace(&b.tensor("input")?)?)
}
fn all(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let dim = if has(b, "dim") {
        Some(b.int("dim")? as isize)
    } else {
        None
    };
    t(ops::all(&b.tensor("input")?, dim, keepdim(b)?)?)
}
fn any(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let dim = if has(b, "dim") {
        Some(b.int("dim")? as isize)
    } else {
        None
    };
    t(ops::any(&b.tensor("input")?, dim, keepdim(b)?)?)
}
/// `count_nonzero`: a sum of the `!= 0` mask.
fn count_nonzero(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let zero = ops::scalar_tensor(crate::array::Scalar::Int(0), &x);
    let mask = ops::compare(&x, &zero, crate::array::BinaryOp::Ne)?;
    let d = dims(b)?;
    t(ops::sum(
        &ops::to_dtype(&mask, DType::I64)?,
        d.as_deref(),
        false,
    )?)
}

/// The reduction part of the torch table.
pub const ROWS: &[Row] = &[
    both(
        "sum(Tensor input, *, ScalarType? dtype=None)",
        "Sum of all elements.",
        sum,
    ),
    both(
        "sum(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)",
        "Sum over dims.",
        sum,
    ),
    both(
        "nansum(Tensor input, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)",
        "Sum treating NaN as zero.",
        nansum,
    ),
    both(
        "mean(Tensor input, *, ScalarType? dtype=None)",
        "Mean of all elements.",
        mean,
    ),
    both(
        "mean(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)",
        "Mean over dims.",
        mean,
    ),
    both(
        "prod(Tensor input, *, ScalarType? dtype=None)",
        "Product of all elements.",
        prod,
    ),
    both(
        "prod(Tensor input, int dim, bool keepdim=False, *, ScalarType? dtype=None)",
        "Product along dim.",
        prod,
    ),
    both("max(Tensor input)", "Largest element.", max),
    both(
        "max(Tensor input, Tensor other)",
        "Elementwise maximum.",
        max,
    ),
    both(
        "max(Tensor input, int dim, bool keepdim=False)",
        "(values, indices) of the maxima along dim.",
        max,
    ),
    both("min(Tensor input)", "Smallest element.", min),
    both(
        "min(Tensor input, Tensor other)",
        "Elementwise minimum.",
        min,
    ),
    both(
        "min(Tensor input, int dim, bool keepdim=False)",
        "(values, indices) of the minima along dim.",
        min,
    ),
    both(
        "amax(Tensor input, int[1] dim=[], bool keepdim=False)",
        "Maximum over dims.",
        amax,
    ),
    both(
        "amin(Tensor input, int[1] dim=[], bool keepdim=False)",
        "Minimum over dims.",
        amin,
    ),
    both(
        "argmax(Tensor input, int? dim=None, bool keepdim=False)",
        "Index of the maximum.",
        argmax,
    ),
    both(
        "argmin(Tensor input, int? dim=None, bool keepdim=False)",
        "Index of the minimum.",
        argmin,
    ),
    both(
        "def norm(Tensor input, Any? p=\"fro\", int[1]? dim=None, bool keepdim=False, ScalarType? dtype=None)",
        "Vector p-norm (Frobenius by default).",
        norm,
    ),
    both(
        "var(Tensor input, int[1]? dim, bool unbiased=True, bool keepdim=False)",
        "Variance over dims.",
        var,
    ),
    both(
        "var(Tensor input, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)",
        "Variance with a correction.",
        var,
    ),
    both(
        "var(Tensor input, bool unbiased=True)",
        "Variance of all elements.",
        var,
    ),
    both(
        "std(Tensor input, int[1]? dim, bool unbiased=True, bool keepdim=False)",
        "Standard deviation over dims.",
        std,
    ),
    both(
        "std(Tensor input, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)",
        "Standard deviation with a correction.",
        std,
    ),
    both(
        "std(Tensor input, bool unbiased=True)",
        "Standard deviation of all elements.",
        std,
    ),
    both(
        "logsumexp(Tensor input, int[1] dim, bool keepdim=False)",
        "log(sum(exp(input))) computed stably.",
        logsumexp,
    ),
    both(
        "softmax(Tensor input, int dim, ScalarType? dtype=None)",
        "Softmax along dim.",
        softmax,
    ),
    both(
        "log_softmax(Tensor input, int dim, ScalarType? dtype=None)",
        "Log of softmax along dim.",
        log_softmax,
    ),
    both(
        "cumsum(Tensor input, int dim, *, ScalarType? dtype=None)",
        "Cumulative sum along dim.",
        cumsum,
    ),
    both(
        "trace(Tensor input)",
        "Sum of the diagonal of a matrix.",
        trace,
    ),
    both(
        "all(Tensor input)",
        "True if every element is nonzero.",
        all,
    ),
    both(
        "all(Tensor input, int dim, bool keepdim=False)",
        "all() along dim.",
        all,
    ),
    both("any(Tensor input)", "True if any element is nonzero.", any),
    both(
        "any(Tensor input, int dim, bool keepdim=False)",
        "any() along dim.",
        any,
    ),
    both(
        "count_nonzero(Tensor input, int[1]? dim=None)",
        "Number of nonzero elements.",
        count_nonzero,
    ),
];
