//! Ops that exist to be used inside backward formulas. PyTorch gives each its own node
//! (`TanhBackwardBackward0`, ...), which is what a second-order gradient prints.

use super::{Jvp, full_like_scalar, mul, record, record_jvp};
use crate::array::{BinaryOp, NdArray};
use crate::autograd::tensor::Tensor;
use crate::error::PyResult;

/// `tanh_backward(grad, y) = grad * (1 - y²)`.
pub fn tanh_backward(grad: &Tensor, y: &Tensor) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::pointwise_rule(&[grad, y], |p| tanh_backward(&p[0], &p[1]))
    {
        return r;
    }
    let yy = y.array().binary(&y.array(), BinaryOp::Mul)?;
    let one_minus = NdArray::scalar(1.0, yy.dtype()).binary(&yy, BinaryOp::Sub)?;
    let out = grad.array().binary(&one_minus, BinaryOp::Mul)?;
    let (g0, y0) = (grad.clone(), y.clone());
    let req = [grad.differentiable(), y.differentiable()];
    Ok(record_jvp(
        "TanhBackwardBackward0",
        &[grad, y],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                if req[0] {
                    Some(tanh_backward(g, &y0)?)
                } else {
                    None
                },
                if req[1] {
                    // grad * (-2 * y * grad_output)
                    let m = mul(&mul(&full_like_scalar(-2.0, &y0), &y0)?, &g0)?;
                    Some(mul(g, &m)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `sigmoid_backward(grad, y) = grad * y * (1 - y)`.
pub fn sigmoid_backward(grad: &Tensor, y: &Tensor) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::pointwise_rule(&[grad, y], |p| sigmoid_backward(&p[0], &p[1]))
    {
        return r;
    }
    let ya = y.array();
    let one_minus = NdArray::scalar(1.0, ya.dtype()).binary(&ya, BinaryOp::Sub)?;
    let out = grad
        .array()
        .binary(&ya.binary(&one_minus, BinaryOp::Mul)?, BinaryOp::Mul)?;
    let (g0, y0) = (grad.clone(), y.clone());
    let req = [grad.differentiable(), y.differentiable()];
    Ok(record_jvp(
        "SigmoidBackwardBackward0",
        &[grad, y],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                if req[0] {
                    Some(sigmoid_backward(g, &y0)?)
                } else {
                    None
                },
                if req[1] {
                    // grad * grad_output * (1 - 2y)
                    let one_minus_2y = super::add(
                        &mul(&full_like_scalar(-2.0, &y0), &y0)?,
                        &full_like_scalar(1.0, &y0),
                        1.0,
                    )?;
                    Some(mul(&mul(g, &g0)?, &one_minus_2y)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `threshold_backward(grad, x, t)`: grad where x > t, else 0 (relu's backward).
pub fn threshold_backward(grad: &Tensor, x: &Tensor, threshold: f64) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::pointwise_rule(&[grad, x], |p| {
        threshold_backward(&p[0], &p[1], threshold)
    }) {
        return r;
    }
    let mask = x
        .array()
        .binary(&NdArray::scalar(threshold, x.dtype()), BinaryOp::Gt)?;
    let out = NdArray::where_(&mask, &grad.array(), &NdArray::scalar(0.0, grad.dtype()))?;
    let x0 = x.clone();
    Ok(record_jvp(
        "ThresholdBackwardBackward0",
        &[grad, x],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| Ok(vec![Some(threshold_backward(g, &x0, threshold)?), None]),
    ))
}

/// `_softmax_backward_data(grad, y, dim) = y * (grad - (grad * y).sum(dim, keepdim))`.
pub fn softmax_backward_data(grad: &Tensor, y: &Tensor, dim: usize) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::pointwise_dim_rule(grad, y, dim, softmax_backward_data)
    {
        return r;
    }
    let (ga, ya) = (grad.array(), y.array());
    let gy = ga.binary(&ya, BinaryOp::Mul)?.sum(&[dim], true);
    let out = ya.binary(&ga.binary(&gy, BinaryOp::Sub)?, BinaryOp::Mul)?;
    let (g0, y0) = (grad.clone(), y.clone());
    Ok(record(
        "SoftmaxBackwardDataBackward0",
        &[grad, y],
        out,
        true,
        move |_, g| {
            let d = dim as isize;
            // d/dgrad: y*(g - sum(g*y)); d/dy: g*(grad - s) - sum(g*y... ) expanded by the product rule.
            let gy = super::sum(&mul(g, &y0)?, Some(&[d]), true)?;
            let d_grad = mul(&y0, &super::sub(g, &gy, 1.0)?)?;
            let s = super::sum(&mul(&g0, &y0)?, Some(&[d]), true)?;
            let t1 = mul(g, &super::sub(&g0, &s, 1.0)?)?;
            let t2 = mul(&g0, &super::sum(&mul(g, &y0)?, Some(&[d]), true)?)?;
            Ok(vec![Some(d_grad), Some(super::sub(&t1, &t2, 1.0)?)])
        },
    ))
}

/// `_log_softmax_backward_data(grad, y, dim) = grad - exp(y) * grad.sum(dim, keepdim)`.
pub fn log_softmax_backward_data(grad: &Tensor, y: &Tensor, dim: usize) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::pointwise_dim_rule(grad, y, dim, log_softmax_backward_data)
    {
        return r;
    }
    let (ga, ya) = (grad.array(), y.array());
    let s = ga.sum(&[dim], true);
    let e = ya.unary(crate::array::UnaryOp::Exp);
    let out = ga.binary(&e.binary(&s, BinaryOp::Mul)?, BinaryOp::Sub)?;
    let (g0, y0) = (grad.clone(), y.clone());
    Ok(record(
        "LogSoftmaxBackwardDataBackward0",
        &[grad, y],
        out,
        true,
        move |_, g| {
            let d = dim as isize;
            let e = super::unary(&y0, crate::array::UnaryOp::Exp)?;
            let d_grad = super::sub(g, &super::sum(&mul(g, &e)?, Some(&[d]), true)?, 1.0)?;
            let s = super::sum(&g0, Some(&[d]), true)?;
            let d_y = super::neg(&mul(&mul(g, &e)?, &s)?);
            Ok(vec![Some(d_grad), Some(d_y)])
        },
    ))
}

/// `select_backward(grad, sizes, dim, index)`: zeros with `grad` placed at `index` along `dim`.
pub fn select_backward(
    grad: &Tensor,
    sizes: &[usize],
    dim: usize,
    index: usize,
) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::select_backward(grad, sizes, dim, index) {
        return r;
    }
    let out = NdArray::zeros(sizes, grad.dtype());
    out.select(dim as isize, index as isize)?
        .copy_from(&grad.array())?;
    Ok(record(
        "SelectBackwardBackward0",
        &[grad],
        out,
        false,
        move |_, g| Ok(vec![Some(super::select(g, dim as isize, index as isize)?)]),
    ))
}

/// `slice_backward(grad, sizes, dim, start, end, step)`: zeros with `grad` in the slice.
pub fn slice_backward(
    grad: &Tensor,
    sizes: &[usize],
    dim: usize,
    start: usize,
    end: usize,
    step: usize,
) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::slice_backward(grad, sizes, dim, start, end, step) {
        return r;
    }
    let out = NdArray::zeros(sizes, grad.dtype());
    out.slice(
        dim as isize,
        Some(start as isize),
        Some(end as isize),
        step as isize,
    )?
    .copy_from(&grad.array())?;
    Ok(record(
        "SliceBackwardBackward0",
        &[grad],
        out,
        false,
        move |_, g| {
            Ok(vec![Some(super::slice(
                g,
                dim as isize,
                Some(start as isize),
                Some(end as isize),
                step as isize,
            )?)])
        },
    ))
}

/// The copy a leaf's `.grad` receives when it is first set under `create_graph=True`
/// (PyTorch prints its node as `CopyBackwards`).
pub fn copy_backwards(grad: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(grad, copy_backwards) {
        return r;
    }
    let out = grad.array().deep_copy();
    record("CopyBackwards", &[grad], out, false, |_, g| {
        Ok(vec![Some(g.clone())])
    })
}
