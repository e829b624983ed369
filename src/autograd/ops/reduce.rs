//! Reductions. Backward formulas restore the reduced dims (`unsqueeze`) and `expand`, as
//! PyTorch's `sum_backward`, so their grad_fn names match.

use super::{
    add, div, expand, full_like_scalar, lin1, mul, record, record_jvp, record_multi, saved_output,
    sub, unsqueeze,
};
use crate::array::{BinaryOp, DType, NdArray, UnaryOp, normalize_dim};
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

/// Normalized, sorted, deduplicated dims; None or empty means all dims.
pub(crate) fn reduce_dims(dims: Option<&[isize]>, ndim: usize) -> PyResult<Vec<usize>> {
    let mut out = Vec::new();
    match dims {
        None => out.extend(0..ndim),
        Some([]) => out.extend(0..ndim),
        Some(ds) => {
            for &d in ds {
                let d = normalize_dim(d, ndim)?;
                if out.contains(&d) {
                    return Err(runtime_error(format!(
                        "dim {} appears multiple times in the list of dims",
                        d
                    )));
                }
                out.push(d);
            }
        }
    }
    out.sort_unstable();
    // A 0-d tensor reduces over "dim 0" as a no-op.
    out.retain(|&d| d < ndim);
    Ok(out)
}

fn as_isize(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&s| s as isize).collect()
}

/// Puts back the reduced dims of a keepdim=False result (PyTorch's `unsqueeze_multiple`).
pub(crate) fn restore_dims(t: &Tensor, dims: &[usize], keepdim: bool) -> PyResult<Tensor> {
    let mut t = t.clone();
    if !keepdim {
        for &d in dims {
            t = unsqueeze(&t, d as isize)?;
        }
    }
    Ok(t)
}

/// `sum_backward`: grad with the reduced dims restored, expanded to `sizes`.
fn sum_backward(grad: &Tensor, sizes: &[usize], dims: &[usize], keepdim: bool) -> PyResult<Tensor> {
    expand(&restore_dims(grad, dims, keepdim)?, &as_isize(sizes))
}

pub fn sum(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::sum(a, dims, keepdim) {
        return r;
    }
    let ds = reduce_dims(dims, a.ndim())?;
    let out = a.array().sum(&ds, keepdim);
    let sizes = a.shape();
    if dims.is_none() && !keepdim {
        let out = record_jvp(
            "SumBackward0",
            &[a],
            out,
            false,
            lin1(|x| sum(x, None, false)),
            move |_, g| Ok(vec![Some(expand(g, &as_isize(&sizes))?)]),
        );
        return Ok(crate::autograd::saved::with(out, || {
            vec![("self_sym_sizes", crate::autograd::saved::sizes(&a.shape()))]
        }));
    }
    Ok(record_jvp(
        "SumBackward1",
        &[a],
        out,
        false,
        lin1({
            let ds: Vec<isize> = ds.iter().map(|&d| d as isize).collect();
            move |x| sum(x, Some(&ds), keepdim)
        }),
        move |_, g| Ok(vec![Some(sum_backward(g, &sizes, &ds, keepdim)?)]),
    ))
}

/// `nansum`: NaNs count as zero; backward masks them out (`nansum_backward`). Under vmap
/// and for non-float inputs it is `sum` (no NaNs to skip).
pub fn nansum(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor> {
    if a.batch().is_some() || !a.dtype().is_floating() {
        return sum(a, dims, keepdim);
    }
    let ds = reduce_dims(dims, a.ndim())?;
    let out = a.array().nansum(&ds, keepdim);
    let sizes = a.shape();
    let mask = Tensor::new(
        a.array()
            .unary(UnaryOp::IsNan)
            .unary(UnaryOp::LogicalNot)
            .to_dtype(a.dtype()),
    );
    Ok(record("NansumBackward0", &[a], out, false, move |_, g| {
        Ok(vec![Some(mul(
            &sum_backward(g, &sizes, &ds, keepdim)?,
            &mask,
        )?)])
    }))
}

pub fn mean(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::mean(a, dims, keepdim) {
        return r;
    }
    if !a.dtype().is_floating() {
        return Err(runtime_error(format!(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}",
            a.dtype().title()
        )));
    }
    let ds = reduce_dims(dims, a.ndim())?;
    let out = a.array().mean(&ds, keepdim);
    let sizes = a.shape();
    let n: usize = ds.iter().map(|&d| sizes[d]).product();
    let name = if dims.is_none() && !keepdim {
        "MeanBackward0"
    } else {
        "MeanBackward1"
    };
    Ok(record(name, &[a], out, false, move |_, g| {
        let e = sum_backward(g, &sizes, &ds, keepdim)?;
        Ok(vec![Some(div(&e, &full_like_scalar(n as f64, &e))?)])
    }))
}

pub fn prod(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::prod(a, dim, keepdim) {
        return r;
    }
    let ds = match dim {
        None => (0..a.ndim()).collect::<Vec<_>>(),
        Some(d) => vec![normalize_dim(d, a.ndim())?],
    };
    let ds: Vec<usize> = ds.into_iter().filter(|&d| d < a.ndim()).collect();
    let out = a.array().prod(&ds, dim.is_some() && keepdim);
    let saved = out.clone();
    let x = a.clone();
    let name = if dim.is_none() {
        "ProdBackward0"
    } else {
        "ProdBackward1"
    };
    let keep = dim.is_some() && keepdim;
    Ok(record(name, &[a], out, true, move |node, g| {
        let result = saved_output(node, &saved, 0, || prod(&x, dim, keepdim))?;
        let has_zero = x
            .array()
            .binary(&NdArray::scalar(0.0, x.dtype()), BinaryOp::Eq)?
            .any(&[], false)
            .item()?
            .to_f64()
            != 0.0;
        let gr = restore_dims(&mul(g, &result)?, &ds, keep)?;
        if !has_zero {
            return Ok(vec![Some(div(&gr, &x)?)]);
        }
        // With zeros, grad_i = grad * prod of the other elements (computed directly).
        let others = Tensor::new(product_of_others(&x.array(), &ds));
        let gg = restore_dims(g, &ds, keep)?;
        Ok(vec![Some(mul(&gg, &others)?)])
    }))
}

/// For each element, the product of the other elements in its reduction group.
fn product_of_others(x: &NdArray, dims: &[usize]) -> NdArray {
    let shape = x.shape().to_vec();
    let vals = x.to_f64_vec();
    let n = vals.len();
    let strides = crate::array::contiguous_strides(&shape);
    let mut out = vec![0.0; n];
    for (i, o) in out.iter_mut().enumerate() {
        // Walk the group of i: all positions that agree with i outside `dims`.
        let mut p = 1.0;
        for (j, v) in vals.iter().enumerate() {
            if j == i {
                continue;
            }
            let same_group = (0..shape.len()).all(|d| {
                dims.contains(&d) || (i / strides[d]) % shape[d] == (j / strides[d]) % shape[d]
            });
            if same_group {
                p *= v;
            }
        }
        *o = p;
    }
    NdArray::from_vec(out, shape).to_dtype(x.dtype())
}

/// Gradient that `max()`/`min()` over everything spreads evenly over the tied elements.
fn evenly_distribute(grad: &Tensor, input: &Tensor, value: &NdArray) -> PyResult<Tensor> {
    let mask = input.array().binary(value, BinaryOp::Eq)?;
    let count = mask.sum(&[], false).item()?.to_f64();
    let share = div(grad, &full_like_scalar(count, grad))?;
    super::where_(&Tensor::new(mask), &share, &full_like_scalar(0.0, grad))
}

fn extreme_all(a: &Tensor, is_max: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::extreme_all(a, is_max) {
        return r;
    }
    if a.numel() == 0 {
        return Err(runtime_error(format!(
            "{}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
            if is_max { "max" } else { "min" }
        )));
    }
    let out = if is_max {
        a.array().amax(&[], false)
    } else {
        a.array().amin(&[], false)
    };
    let saved = out.clone();
    let x = a.clone();
    let name = if is_max {
        "MaxBackward1"
    } else {
        "MinBackward1"
    };
    Ok(record(name, &[a], out, true, move |_, g| {
        Ok(vec![Some(evenly_distribute(g, &x, &saved)?)])
    }))
}

pub fn max_all(a: &Tensor) -> PyResult<Tensor> {
    extreme_all(a, true)
}

pub fn min_all(a: &Tensor) -> PyResult<Tensor> {
    extreme_all(a, false)
}

fn extreme_dim(a: &Tensor, dim: isize, keepdim: bool, is_max: bool) -> PyResult<(Tensor, Tensor)> {
    if let Some(r) = crate::autograd::batching::extreme_dim(a, dim, keepdim, is_max) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    if a.ndim() > 0 && a.shape()[d] == 0 {
        return Err(crate::error::index_error(format!(
            "{}(): Expected reduction dim {} to have non-zero size.",
            if is_max { "max" } else { "min" },
            d
        )));
    }
    let d = d.min(a.ndim().saturating_sub(1));
    let (values, indices) = if a.ndim() == 0 {
        (a.array().deep_copy(), NdArray::scalar(0.0, DType::I64))
    } else if is_max {
        a.array().max_dim(d, keepdim)
    } else {
        a.array().min_dim(d, keepdim)
    };
    let idx = indices.clone();
    let sizes = a.shape();
    let name = if is_max {
        "MaxBackward0"
    } else {
        "MinBackward0"
    };
    let outs = record_multi(name, &[a], vec![values, indices], true, move |_, grads| {
        if sizes.is_empty() {
            return Ok(vec![Some(grads[0].clone())]);
        }
        // One-hot mask of the selected positions times the (restored) gradient.
        let mut idx_k = idx.clone();
        if !keepdim {
            idx_k = idx_k.unsqueeze(d as isize)?;
        }
        let mask = NdArray::zeros(&sizes, DType::F64).scatter_add(
            d,
            &idx_k,
            &NdArray::full(idx_k.shape(), 1.0, DType::F64),
        )?;
        let mask = Tensor::new(mask.to_dtype(grads[0].dtype()));
        let g = restore_dims(&grads[0], &[d], keepdim)?;
        Ok(vec![Some(mul(&g, &mask)?)])
    });
    let mut it = outs.into_iter();
    let values = it
        .next()
        .ok_or_else(|| runtime_error("internal: max output"))?;
    let indices = it
        .next()
        .ok_or_else(|| runtime_error("internal: max output"))?;
    // Indices are integers: they never require grad.
    let indices = Tensor::new(indices.array());
    let sym_sizes = a.shape();
    let values = crate::autograd::saved::with(values, || {
        vec![
            ("dim", crate::autograd::saved::SavedValue::Int(d as i64)),
            ("indices", crate::autograd::saved::tensor(&indices)),
            ("keepdim", crate::autograd::saved::SavedValue::Bool(keepdim)),
            ("self_sym_sizes", crate::autograd::saved::sizes(&sym_sizes)),
        ]
    });
    Ok((values, indices))
}

pub fn max_dim(a: &Tensor, dim: isize, keepdim: bool) -> PyResult<(Tensor, Tensor)> {
    extreme_dim(a, dim, keepdim, true)
}

pub fn min_dim(a: &Tensor, dim: isize, keepdim: bool) -> PyResult<(Tensor, Tensor)> {
    extreme_dim(a, dim, keepdim, false)
}

fn amax_amin(a: &Tensor, dims: &[isize], keepdim: bool, is_max: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::amax_amin(a, dims, keepdim, is_max) {
        return r;
    }
    let ds = reduce_dims(Some(dims), a.ndim())?;
    let out = if is_max {
        a.array().amax(&ds, keepdim)
    } else {
        a.array().amin(&ds, keepdim)
    };
    let saved = out.clone();
    let x = a.clone();
    let name = if is_max {
        "AmaxBackward0"
    } else {
        "AminBackward0"
    };
    Ok(record(name, &[a], out, true, move |_, g| {
        let r = if keepdim {
            saved.clone()
        } else {
            ds.iter()
                .try_fold(saved.clone(), |acc, &d| acc.unsqueeze(d as isize))?
        };
        let mask = x.array().binary(&r, BinaryOp::Eq)?;
        let count = Tensor::new(mask.sum(&ds, true).to_dtype(g.dtype()));
        let gr = restore_dims(g, &ds, keepdim)?;
        let share = div(&gr, &count)?;
        Ok(vec![Some(mul(
            &share,
            &Tensor::new(mask.to_dtype(g.dtype())),
        )?)])
    }))
}

pub fn amax(a: &Tensor, dims: &[isize], keepdim: bool) -> PyResult<Tensor> {
    amax_amin(a, dims, keepdim, true)
}

pub fn amin(a: &Tensor, dims: &[isize], keepdim: bool) -> PyResult<Tensor> {
    amax_amin(a, dims, keepdim, false)
}

/// ATen's `zero_numel_check_dims` for argmax/argmin: an empty reduction has no index.
fn check_arg_extreme(name: &str, a: &Tensor, dim: Option<usize>) -> PyResult<()> {
    match dim {
        Some(d) if a.ndim() > 0 && a.shape()[d] == 0 => Err(crate::error::index_error(format!(
            "{name}(): Expected reduction dim {d} to have non-zero size."
        ))),
        None if a.numel() == 0 => Err(crate::error::runtime_error(format!(
            "{name}(): Expected reduction dim to be specified for input.numel() == 0."
        ))),
        _ => Ok(()),
    }
}

pub fn argmax(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::arg_extreme(a, dim, keepdim, true) {
        return r;
    }
    let d = dim.map(|d| normalize_dim(d, a.ndim())).transpose()?;
    check_arg_extreme("argmax", a, d)?;
    Ok(Tensor::new(a.array().argmax(d, keepdim)))
}

pub fn argmin(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::arg_extreme(a, dim, keepdim, false) {
        return r;
    }
    let d = dim.map(|d| normalize_dim(d, a.ndim())).transpose()?;
    check_arg_extreme("argmin", a, d)?;
    Ok(Tensor::new(a.array().argmin(d, keepdim)))
}

/// `norm(p, dim, keepdim)` as `linalg_vector_norm`: `LinalgVectorNormBackward0`.
pub fn norm(a: &Tensor, p: f64, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::norm(a, p, dims, keepdim) {
        return r;
    }
    if !a.dtype().is_floating() {
        return Err(runtime_error(format!(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}",
            a.dtype().title()
        )));
    }
    let ds = reduce_dims(dims, a.ndim())?;
    let x = a.array();
    let abs = x.unary(UnaryOp::Abs);
    let out = if let Some(n) = (p == 2.0).then(|| x.norm2_lastdim(&ds, keepdim)).flatten() {
        n
    } else if p == 2.0 {
        x.binary(&x, BinaryOp::Mul)?
            .sum(&ds, keepdim)
            .unary(UnaryOp::Sqrt)
    } else if p == 1.0 {
        abs.sum(&ds, keepdim)
    } else if p.is_infinite() && p > 0.0 {
        abs.amax(&ds, keepdim)
    } else if p == 0.0 {
        abs.binary(&NdArray::scalar(0.0, x.dtype()), BinaryOp::Ne)?
            .sum(&ds, keepdim)
            .to_dtype(x.dtype())
    } else {
        let pw = NdArray::scalar(p, x.dtype());
        abs.binary(&pw, BinaryOp::Pow)?
            .sum(&ds, keepdim)
            .binary(&NdArray::scalar(1.0 / p, x.dtype()), BinaryOp::Pow)?
    };
    let saved = out.clone();
    let xs = a.clone();
    let dims_owned: Option<Vec<isize>> = dims.map(|d| d.to_vec());
    Ok(record(
        "LinalgVectorNormBackward0",
        &[a],
        out,
        true,
        move |node, g| {
            let result = restore_dims(
                &saved_output(node, &saved, 0, || {
                    norm(&xs, p, dims_owned.as_deref(), keepdim)
                })?,
                &ds,
                keepdim,
            )?;
            let g = restore_dims(g, &ds, keepdim)?;
            let zero = full_like_scalar(0.0, &g);
            let res_zero = Tensor::new(
                result
                    .array()
                    .binary(&NdArray::scalar(0.0, result.dtype()), BinaryOp::Eq)?,
            );
            let grad = if p == 2.0 {
                let scale = super::where_(&res_zero, &zero, &div(&g, &result)?)?;
                mul(&xs, &scale)?
            } else if p == 1.0 {
                mul(&super::unary(&xs, UnaryOp::Sign)?, &g)?
            } else if p == 0.0 {
                mul(&xs, &zero)?
            } else if p.is_infinite() {
                let mask = Tensor::new(
                    xs.array()
                        .unary(UnaryOp::Abs)
                        .binary(&result.array(), BinaryOp::Eq)?,
                );
                let count = super::sum(
                    &Tensor::new(mask.array().to_dtype(g.dtype())),
                    Some(&as_isize(&ds)),
                    true,
                )?;
                let share = div(&g, &count)?;
                mul(
                    &mul(&super::unary(&xs, UnaryOp::Sign)?, &share)?,
                    &Tensor::new(mask.array().to_dtype(g.dtype())),
                )?
            } else {
                // x * |x|^(p-2) * grad / result^(p-1)
                let absx = super::unary(&xs, UnaryOp::Abs)?;
                let t = mul(
                    &xs,
                    &super::pow_scalar(&absx, crate::array::Scalar::Float(p - 2.0))?,
                )?;
                let denom = super::pow_scalar(&result, crate::array::Scalar::Float(p - 1.0))?;
                let scale = super::where_(&res_zero, &zero, &div(&g, &denom)?)?;
                mul(&t, &scale)?
            };
            Ok(vec![Some(grad)])
        },
    ))
}

pub fn var(a: &Tensor, dims: Option<&[isize]>, correction: f64, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::var(a, dims, correction, keepdim, false) {
        return r;
    }
    let ds = reduce_dims(dims, a.ndim())?;
    let n: usize = ds.iter().map(|&d| a.shape()[d]).product();
    let x = a.array();
    let centered = x.binary(&x.mean(&ds, true), BinaryOp::Sub)?;
    let out = centered
        .binary(&centered, BinaryOp::Mul)?
        .sum(&ds, keepdim)
        .binary(
            &NdArray::scalar((n as f64 - correction).max(0.0), x.dtype()),
            BinaryOp::Div,
        )?;
    let xs = a.clone();
    Ok(record("VarBackward0", &[a], out, true, move |_, g| {
        Ok(vec![Some(var_backward(
            g, &xs, &ds, n, correction, keepdim,
        )?)])
    }))
}

fn var_backward(
    g: &Tensor,
    x: &Tensor,
    ds: &[usize],
    n: usize,
    correction: f64,
    keepdim: bool,
) -> PyResult<Tensor> {
    let g = restore_dims(g, ds, keepdim)?;
    let m = mean(x, Some(&as_isize(ds)), true)?;
    let k = 2.0 / (n as f64 - correction);
    mul(&mul(&full_like_scalar(k, &g), &g)?, &sub(x, &m, 1.0)?)
}

pub fn std(a: &Tensor, dims: Option<&[isize]>, correction: f64, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::var(a, dims, correction, keepdim, true) {
        return r;
    }
    let ds = reduce_dims(dims, a.ndim())?;
    let n: usize = ds.iter().map(|&d| a.shape()[d]).product();
    let v = {
        let _guard = crate::autograd::GradModeGuard::new(false);
        var(a, dims, correction, keepdim)?
    };
    let out = v.array().unary(UnaryOp::Sqrt);
    let saved = out.clone();
    let xs = a.clone();
    let dims_owned: Option<Vec<isize>> = dims.map(|d| d.to_vec());
    Ok(record("StdBackward0", &[a], out, true, move |node, g| {
        let r = saved_output(node, &saved, 0, || {
            std(&xs, dims_owned.as_deref(), correction, keepdim)
        })?;
        let gg = div(g, &mul(&r, &full_like_scalar(2.0, &r))?)?;
        Ok(vec![Some(var_backward(
            &gg, &xs, &ds, n, correction, keepdim,
        )?)])
    }))
}

pub fn logsumexp(a: &Tensor, dims: &[isize], keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::logsumexp(a, dims, keepdim) {
        return r;
    }
    let ds = reduce_dims(Some(dims), a.ndim())?;
    let x = a.array();
    let m = x.amax(&ds, true);
    // Shift by the max for stability; infinite maxima are replaced by 0 as PyTorch does.
    let m = m.nan_to_num(0.0, Some(0.0), Some(0.0));
    let s = x
        .binary(&m, BinaryOp::Sub)?
        .unary(UnaryOp::Exp)
        .sum(&ds, true)
        .unary(UnaryOp::Log)
        .binary(&m, BinaryOp::Add)?;
    let out = if keepdim {
        s
    } else {
        let shape: Vec<isize> = (0..x.ndim())
            .filter(|d| !ds.contains(d))
            .map(|d| x.shape()[d] as isize)
            .collect();
        s.reshape(&shape)?
    };
    let saved = out.clone();
    let xs = a.clone();
    let dims_owned = dims.to_vec();
    Ok(record(
        "LogsumexpBackward0",
        &[a],
        out,
        true,
        move |node, g| {
            let r = restore_dims(
                &saved_output(node, &saved, 0, || logsumexp(&xs, &dims_owned, keepdim))?,
                &ds,
                keepdim,
            )?;
            let g = restore_dims(g, &ds, keepdim)?;
            Ok(vec![Some(mul(
                &g,
                &super::unary(&sub(&xs, &r, 1.0)?, UnaryOp::Exp)?,
            )?)])
        },
    ))
}

pub fn softmax(a: &Tensor, dim: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::along_dim(a, dim, softmax) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let a = &float_input(a)?;
    let out = if a.ndim() == 0 {
        a.array()
            .unary(UnaryOp::Exp)
            .binary(&a.array().unary(UnaryOp::Exp), BinaryOp::Div)?
    } else {
        a.array().softmax(d)
    };
    let saved = out.clone();
    let input = a.clone();
    let out = record("SoftmaxBackward0", &[a], out, true, move |node, g| {
        Ok(vec![Some(super::softmax_backward_data(
            g,
            &saved_output(node, &saved, 0, || softmax(&input, d as isize))?,
            d,
        )?)])
    });
    Ok(crate::autograd::saved::with(out, || {
        vec![
            ("dim", crate::autograd::saved::SavedValue::Int(d as i64)),
            ("result", crate::autograd::saved::SavedValue::Output(0)),
        ]
    }))
}

pub fn log_softmax(a: &Tensor, dim: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::along_dim(a, dim, log_softmax) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let a = &float_input(a)?;
    let out = if a.ndim() == 0 {
        NdArray::zeros(&[], a.dtype())
    } else {
        a.array().log_softmax(d)
    };
    let saved = out.clone();
    let input = a.clone();
    Ok(record(
        "LogSoftmaxBackward0",
        &[a],
        out,
        true,
        move |node, g| {
            Ok(vec![Some(super::log_softmax_backward_data(
                g,
                &saved_output(node, &saved, 0, || log_softmax(&input, d as isize))?,
                d,
            )?)])
        },
    ))
}

fn float_input(a: &Tensor) -> PyResult<Tensor> {
    if a.dtype().is_floating() {
        Ok(a.clone())
    } else {
        super::to_dtype(a, DType::F32)
    }
}

pub fn cumsum(a: &Tensor, dim: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::along_dim(a, dim, cumsum) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let out = if a.ndim() == 0 {
        a.array().deep_copy()
    } else {
        a.array().cumsum(d)
    };
    Ok(record("CumsumBackward0", &[a], out, false, move |_, g| {
        if g.ndim() == 0 {
            return Ok(vec![Some(g.clone())]);
        }
        // Reversed cumulative sum: total - cumsum + g.
        let total = super::sum(g, Some(&[d as isize]), true)?;
        let c = cumsum(g, d as isize)?;
        Ok(vec![Some(add(&sub(&total, &c, 1.0)?, g, 1.0)?)])
    }))
}

pub fn trace(a: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::trace(a) {
        return r;
    }
    if a.ndim() != 2 {
        return Err(runtime_error(format!(
            "trace: expected a matrix, but got tensor with dim {}",
            a.ndim()
        )));
    }
    let out = a.array().diagonal(0, 0, 1)?.sum(&[], false);
    let sizes = a.shape();
    let dtype = a.dtype();
    Ok(record("TraceBackward0", &[a], out, false, move |_, g| {
        let eye = Tensor::new(NdArray::eye(sizes[0], sizes[1], dtype));
        Ok(vec![Some(mul(&eye, g)?)])
    }))
}

pub fn any(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::any_all(a, dim, keepdim, true) {
        return r;
    }
    let ds = match dim {
        Some(d) => vec![normalize_dim(d, a.ndim())?],
        None => vec![],
    };
    Ok(Tensor::new(a.array().any(&ds, keepdim)))
}

pub fn all(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::any_all(a, dim, keepdim, false) {
        return r;
    }
    let ds = match dim {
        Some(d) => vec![normalize_dim(d, a.ndim())?],
        None => vec![],
    };
    Ok(Tensor::new(a.array().all(&ds, keepdim)))
}
