//! `F.layer_norm` (`NativeLayerNormBackward0`) and `F.batch_norm` (`NativeBatchNormBackward0`).
//! The forward values follow ATen's CPU kernels (statistics in double, then `x * scale + shift`
//! in the input's precision); the backward formulas are written with differentiable ops on the
//! inputs (the statistics recomputed from them), so higher derivatives need no special case.

use super::{add, mean, mul, record_multi, sub, sum, sum_to, unary};
use crate::array::{DType, NdArray, UnaryOp};
use crate::autograd::batching::fallback;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn any_batched(ts: &[&Tensor]) -> bool {
    ts.iter().any(|t| t.batch().is_some())
}

fn scalar(v: f64, like: &Tensor) -> Tensor {
    Tensor::new(NdArray::scalar(v, like.dtype()))
}

/// `x̂ = (x - mean) * rsqrt(var + eps)` over `dims`, written with ops (differentiable in x).
fn normalized(x: &Tensor, dims: &[isize], eps: f64) -> PyResult<(Tensor, Tensor)> {
    let mu = mean(x, Some(dims), true)?;
    let centered = sub(x, &mu, 1.0)?;
    let var = mean(&mul(&centered, &centered)?, Some(dims), true)?;
    let rstd = unary(&add(&var, &scalar(eps, x), 1.0)?, UnaryOp::Rsqrt)?;
    Ok((mul(&centered, &rstd)?, rstd))
}

/// The input gradient of a normalisation over `dims` given `gx̂ = grad * weight`:
/// `rstd * (gx̂ - mean(gx̂) - x̂ * mean(gx̂ * x̂))`.
fn normalized_backward(
    gxhat: &Tensor,
    xhat: &Tensor,
    rstd: &Tensor,
    dims: &[isize],
) -> PyResult<Tensor> {
    let m1 = mean(gxhat, Some(dims), true)?;
    let m2 = mean(&mul(gxhat, xhat)?, Some(dims), true)?;
    let inner = sub(&sub(gxhat, &m1, 1.0)?, &mul(xhat, &m2)?, 1.0)?;
    mul(rstd, &inner)
}

/// Per-group mean and biased variance in double, over the elements `f(group, i)`.
fn moments(
    x: &[f64],
    groups: usize,
    n: usize,
    at: impl Fn(usize, usize) -> usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut means = vec![0.0; groups];
    let mut vars = vec![0.0; groups];
    for g in 0..groups {
        let m = (0..n).map(|i| x[at(g, i)]).sum::<f64>() / n as f64;
        let v = (0..n).map(|i| (x[at(g, i)] - m).powi(2)).sum::<f64>() / n as f64;
        means[g] = m;
        vars[g] = v;
    }
    (means, vars)
}

/// Rounds to the dtype's precision (float32 arithmetic done in f64 and rounded per step is
/// exact for +, -, *, / and sqrt).
fn rounder(dt: DType) -> fn(f64) -> f64 {
    if dt == DType::F32 {
        |v| v as f32 as f64
    } else {
        |v| v
    }
}

/// `F.layer_norm(input, normalized_shape, weight, bias, eps)`.
pub fn layer_norm(
    x: &Tensor,
    normalized_shape: &[usize],
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    eps: f64,
) -> PyResult<Tensor> {
    let mut inputs: Vec<&Tensor> = vec![x];
    inputs.extend(weight);
    inputs.extend(bias);
    if any_batched(&inputs) {
        let (hw, hb) = (weight.is_some(), bias.is_some());
        let mut out = fallback(&inputs, |a| {
            let w = if hw { Some(&a[1]) } else { None };
            let b = if hb { Some(&a[1 + hw as usize]) } else { None };
            Ok(vec![layer_norm(&a[0], normalized_shape, w, b, eps)?])
        })?;
        return out
            .pop()
            .ok_or_else(|| runtime_error("layer_norm: no output"));
    }
    let shape = x.shape();
    let k = normalized_shape.len();
    let shown = |s: &[usize]| {
        format!(
            "[{}]",
            s.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if k == 0 || shape.len() < k || shape[shape.len() - k..] != *normalized_shape {
        let mut expected = String::from("[*");
        for d in normalized_shape {
            expected.push_str(&format!(", {d}"));
        }
        expected.push(']');
        return Err(runtime_error(format!(
            "Given normalized_shape={}, expected input with shape {expected}, but got input of size{}",
            shown(normalized_shape),
            shown(&shape)
        )));
    }
    for (name, p) in [("weight", weight), ("bias", bias)] {
        if let Some(p) = p
            && p.shape() != normalized_shape
        {
            return Err(runtime_error(format!(
                "Expected {name} to be of same shape as normalized_shape, but got {name} of shape {} and normalized_shape = {}",
                shown(&p.shape()),
                shown(normalized_shape)
            )));
        }
    }
    if !x.dtype().is_floating() {
        return Err(runtime_error(format!(
            "\"LayerNormKernelImpl\" not implemented for '{}'",
            if x.dtype() == DType::I64 {
                "Long"
            } else {
                "Int"
            }
        )));
    }
    let dt = x.dtype();
    let r = rounder(dt);
    let n: usize = normalized_shape.iter().product();
    let m = x.numel().checked_div(n).unwrap_or(0);
    let xv = x.array().to_f64_vec();
    let (means, vars) = moments(&xv, m, n, |g, i| g * n + i);
    let wv = weight.map(|w| w.array().to_f64_vec());
    let bv = bias.map(|b| b.array().to_f64_vec());
    let mut y = vec![0.0; xv.len()];
    for g in 0..m {
        let mean = r(means[g]);
        let rstd = r(1.0 / r(r(r(vars[g].max(0.0)) + r(eps)).sqrt()));
        let shift = r(-rstd * mean);
        for i in 0..n {
            let mut v = r(r(xv[g * n + i] * rstd) + shift);
            if let Some(w) = &wv {
                v = r(v * w[i]);
            }
            if let Some(b) = &bv {
                v = r(v + b[i]);
            }
            y[g * n + i] = v;
        }
    }
    let out = NdArray::from_vec(y, shape.clone()).to_dtype(dt);
    let dims: Vec<isize> = (shape.len() - k..shape.len()).map(|d| d as isize).collect();
    let (xs, ws, has_b) = (x.clone(), weight.cloned(), bias.is_some());
    let mut outs = record_multi(
        "NativeLayerNormBackward0",
        &inputs,
        vec![out],
        false,
        move |_, g| {
            let g = &g[0];
            let (xhat, rstd) = normalized(&xs, &dims, eps)?;
            let gxhat = match &ws {
                Some(w) => mul(g, w)?,
                None => g.clone(),
            };
            let mut grads = vec![Some(normalized_backward(&gxhat, &xhat, &rstd, &dims)?)];
            if let Some(w) = &ws {
                grads.push(Some(sum_to(&mul(g, &xhat)?, &w.shape())?));
            }
            if has_b {
                let shape: Vec<usize> = g.shape()[g.ndim() - dims.len()..].to_vec();
                grads.push(Some(sum_to(g, &shape)?));
            }
            Ok(grads)
        },
    );
    outs.pop()
        .ok_or_else(|| runtime_error("layer_norm: no output"))
}

/// `F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)`:
/// statistics over every dim but 1; in training the running statistics (when given) are
/// updated in place with the unbiased variance, as ATen does.
#[allow(clippy::too_many_arguments)]
pub fn batch_norm(
    x: &Tensor,
    running_mean: Option<&Tensor>,
    running_var: Option<&Tensor>,
    weight: Option<&Tensor>,
    bias: Option<&Tensor>,
    training: bool,
    momentum: f64,
    eps: f64,
) -> PyResult<Tensor> {
    let mut inputs: Vec<&Tensor> = vec![x];
    inputs.extend(weight);
    inputs.extend(bias);
    if any_batched(&inputs) {
        if training && (running_mean.is_some() || running_var.is_some()) {
            return Err(runtime_error(
                "vmap: batch_norm with running statistics in training mode is not supported in gradbook",
            ));
        }
        let (hw, hb) = (weight.is_some(), bias.is_some());
        let mut out = fallback(&inputs, |a| {
            let w = if hw { Some(&a[1]) } else { None };
            let b = if hb { Some(&a[1 + hw as usize]) } else { None };
            Ok(vec![batch_norm(
                &a[0],
                running_mean,
                running_var,
                w,
                b,
                training,
                momentum,
                eps,
            )?])
        })?;
        return out
            .pop()
            .ok_or_else(|| runtime_error("batch_norm: no output"));
    }
    let shape = x.shape();
    if shape.len() < 2 {
        return Err(runtime_error(format!(
            "batch_norm: expected input with at least 2 dims, got {}",
            shape.len()
        )));
    }
    let c = shape[1];
    for (name, p) in [
        ("weight", weight),
        ("bias", bias),
        ("running_mean", running_mean),
        ("running_var", running_var),
    ] {
        if let Some(p) = p
            && p.numel() != c
        {
            return Err(runtime_error(format!(
                "{name} should contain {c} elements not {}",
                p.numel()
            )));
        }
    }
    let dt = x.dtype();
    let r = rounder(dt);
    let inner: usize = shape[2..].iter().product();
    let per_channel = shape[0] * inner;
    let xv = x.array().to_f64_vec();
    let at = |ch: usize, i: usize| (i / inner) * c * inner + ch * inner + i % inner;
    let (mean_v, invstd_v): (Vec<f64>, Vec<f64>) = if training {
        let (means, vars) = moments(&xv, c, per_channel, at);
        if let (Some(rm), true) = (running_mean, per_channel > 0) {
            let old = rm.array().to_f64_vec();
            let new: Vec<f64> = old
                .iter()
                .zip(&means)
                .map(|(o, m)| momentum * m + (1.0 - momentum) * o)
                .collect();
            write(rm, new)?;
        }
        if let (Some(rv), true) = (running_var, per_channel > 0) {
            let old = rv.array().to_f64_vec();
            let unbias = per_channel as f64 / (per_channel as f64 - 1.0).max(0.0);
            let new: Vec<f64> = old
                .iter()
                .zip(&vars)
                .map(|(o, v)| momentum * v * unbias + (1.0 - momentum) * o)
                .collect();
            write(rv, new)?;
        }
        let invstd = vars.iter().map(|v| 1.0 / (v + eps).sqrt()).collect();
        (means, invstd)
    } else {
        let (Some(rm), Some(rv)) = (running_mean, running_var) else {
            return Err(runtime_error(
                "running_mean and running_var must be defined in evaluation mode",
            ));
        };
        let invstd = rv
            .array()
            .to_f64_vec()
            .iter()
            .map(|v| 1.0 / (v + eps).sqrt())
            .collect();
        (rm.array().to_f64_vec(), invstd)
    };
    let wv = weight.map(|w| w.array().to_f64_vec());
    let bv = bias.map(|b| b.array().to_f64_vec());
    let mut y = vec![0.0; xv.len()];
    for ch in 0..c {
        let (mean, invstd) = (r(mean_v[ch]), r(invstd_v[ch]));
        let alpha = r(invstd * wv.as_ref().map_or(1.0, |w| w[ch]));
        let beta = r(bv.as_ref().map_or(0.0, |b| b[ch]) - r(mean * alpha));
        for i in 0..per_channel {
            let p = at(ch, i);
            y[p] = r(r(xv[p] * alpha) + beta);
        }
    }
    let out = NdArray::from_vec(y, shape.clone()).to_dtype(dt);
    // The statistics broadcast over (1, C, 1, ...).
    let mut stat_shape = vec![1usize; shape.len()];
    stat_shape[1] = c;
    let stat = |v: &[f64]| -> PyResult<Tensor> {
        Ok(Tensor::new(
            NdArray::from_vec(v.to_vec(), stat_shape.clone()).to_dtype(dt),
        ))
    };
    let (eval_mean, eval_invstd) = (stat(&mean_v)?, stat(&invstd_v)?);
    let dims: Vec<isize> = (0..shape.len())
        .filter(|&d| d != 1)
        .map(|d| d as isize)
        .collect();
    let (xs, ws, has_b) = (x.clone(), weight.cloned(), bias.is_some());
    let ss = stat_shape.clone();
    let mut outs = record_multi(
        "NativeBatchNormBackward0",
        &inputs,
        vec![out],
        false,
        move |_, g| {
            let g = &g[0];
            let (xhat, rstd) = if training {
                normalized(&xs, &dims, eps)?
            } else {
                let centered = sub(&xs, &eval_mean, 1.0)?;
                (mul(&centered, &eval_invstd)?, eval_invstd.clone())
            };
            let wb = match &ws {
                Some(w) => Some(super::reshape(
                    w,
                    &ss.iter().map(|&s| s as isize).collect::<Vec<_>>(),
                )?),
                None => None,
            };
            let gxhat = match &wb {
                Some(w) => mul(g, w)?,
                None => g.clone(),
            };
            let gx = if training {
                normalized_backward(&gxhat, &xhat, &rstd, &dims)?
            } else {
                mul(&gxhat, &rstd)?
            };
            let mut grads = vec![Some(gx)];
            if let Some(w) = &ws {
                let gw = sum(&mul(g, &xhat)?, Some(&dims), false)?;
                grads.push(Some(super::reshape(&gw, &[w.numel() as isize])?));
            }
            if has_b {
                grads.push(Some(sum(g, Some(&dims), false)?));
            }
            Ok(grads)
        },
    );
    outs.pop()
        .ok_or_else(|| runtime_error("batch_norm: no output"))
}

/// Overwrites a running-statistics tensor in place (no autograd: PyTorch updates them as
/// buffers, outside the graph).
fn write(t: &Tensor, values: Vec<f64>) -> PyResult<()> {
    let src = NdArray::from_vec(values, t.shape()).to_dtype(t.dtype());
    t.array().copy_from(&src)
}
