//! Loss functions of `torch.nn.functional`. Each loss PyTorch implements as one ATen op is one
//! node here (`MseLossBackward0`, `NllLossBackward0`, ...), with its forward value computed as
//! ATen's CPU kernel does and its backward formula from `derivatives.yaml` /
//! `FunctionsManual.cpp` written with differentiable ops. Composite losses (`l1_loss`,
//! `cross_entropy`) are composed as PyTorch composes them, so their grad_fn names match too.
//! Under vmap a loss runs once per batch element (its reduction spans the whole example).

use super::{
    Jvp, activation, add, data_as, div, full_like_scalar, log_softmax, mean, mul, neg, record,
    result_type, rsub_scalar, sub, sum, to_dtype, unary, where_,
};
use crate::array::{Activation, BinaryOp, DType, NdArray, Scalar, UnaryOp, broadcast_shapes};
use crate::autograd::batching;
use crate::autograd::tensor::Tensor;
use crate::error::{PyErr, PyResult, index_error, not_implemented, runtime_error, value_error};

/// `reduction=` of the loss functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    None,
    Mean,
    Sum,
}

impl Reduction {
    /// PyTorch's `_Reduction.get_enum` (the message is Python's).
    pub fn parse(s: &str) -> PyResult<Reduction> {
        match s {
            "none" => Ok(Reduction::None),
            "mean" => Ok(Reduction::Mean),
            "sum" => Ok(Reduction::Sum),
            other => Err(value_error(format!(
                "{other} is not a valid value for reduction"
            ))),
        }
    }
}

/// `apply_loss_reduction` on a forward value.
fn reduce_value(loss: NdArray, r: Reduction) -> NdArray {
    match r {
        Reduction::None => loss,
        Reduction::Mean => loss.mean(&[], false),
        Reduction::Sum => loss.sum(&[], false),
    }
}

/// `apply_loss_reduction` with differentiable ops (composite losses).
fn reduce(t: Tensor, r: Reduction) -> PyResult<Tensor> {
    match r {
        Reduction::None => Ok(t),
        Reduction::Mean => mean(&t, None, false),
        Reduction::Sum => sum(&t, None, false),
    }
}

/// ATen's `tensor / scalar` (C++, not Python's operator): `DivBackward1`.
pub(crate) fn div_scalar(a: &Tensor, s: f64) -> PyResult<Tensor> {
    if let Some(r) = batching::unary_rule(a, |p| div_scalar(p, s)) {
        return r;
    }
    let out = a
        .array()
        .binary(&NdArray::scalar(s, a.dtype()), BinaryOp::Div)?;
    Ok(super::record_jvp(
        "DivBackward1",
        &[a],
        out,
        false,
        Jvp::Diagonal,
        move |_, g| Ok(vec![Some(div_scalar(g, s)?)]),
    ))
}

/// `grad / numel` for mean reductions (`grad_input.div_(numel)` in the backward formulas).
fn mean_scale(g: Tensor, r: Reduction, numel: usize) -> PyResult<Tensor> {
    if r == Reduction::Mean {
        div_scalar(&g, numel as f64)
    } else {
        Ok(g)
    }
}

/// Under vmap, an elementwise loss runs unreduced on the physical tensors and is then reduced
/// over the logical dims (functorch's loss batch rules), so its node is `MeanBackward1`.
fn batched_elementwise(
    inputs: &[&Tensor],
    r: Reduction,
    unreduced: impl FnOnce(&[Tensor]) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    let res = batching::pointwise_rule(inputs, unreduced)?;
    Some(res.and_then(|l| reduce(l, r)))
}

/// Runs `f` once per batch element when an input is batched under vmap.
fn per_example(
    inputs: &[&Tensor],
    f: impl Fn(&[Tensor]) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    batching::top_level(inputs)?;
    Some(batching::fallback1(inputs, f))
}

/// The inputs broadcast to a common shape (`torch.broadcast_tensors` in the Python wrappers).
fn broadcast_pair(a: &Tensor, b: &Tensor) -> PyResult<(Tensor, Tensor)> {
    if a.shape() == b.shape() {
        return Ok((a.clone(), b.clone()));
    }
    let shape = broadcast_shapes(&a.shape(), &b.shape())?;
    Ok((
        super::broadcast_to(a, &shape)?,
        super::broadcast_to(b, &shape)?,
    ))
}

/// `"mse_cpu" not implemented for 'Long'`.
fn require_float(kernel: &str, dtype: DType) -> PyResult<()> {
    if dtype.is_floating() {
        return Ok(());
    }
    Err(not_implemented(format!(
        "\"{kernel}\" not implemented for '{}'",
        dtype.title()
    )))
}

/// The gradient cast back to the input's dtype (mixed float32/float64 losses).
fn as_dtype_of(g: Tensor, like: &Tensor) -> PyResult<Tensor> {
    if g.dtype() == like.dtype() {
        Ok(g)
    } else {
        to_dtype(&g, like.dtype())
    }
}

fn c(v: f64, like: &Tensor) -> Tensor {
    full_like_scalar(v, like)
}

/// Both operands' data in their promoted dtype.
fn promoted(a: &Tensor, b: &Tensor) -> (NdArray, NdArray) {
    let dt = result_type(a, b);
    (data_as(a, dt), data_as(b, dt))
}

/// `F.mse_loss(input, target, reduction="mean")`: `MseLossBackward0`.
pub fn mse_loss(input: &Tensor, target: &Tensor, reduction: &str) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    if let Some(res) = batched_elementwise(&[input, target], r, |a| mse_loss(&a[0], &a[1], "none"))
    {
        return res;
    }
    let (x, y) = broadcast_pair(input, target)?;
    require_float("mse_cpu", result_type(&x, &y))?;
    let (xa, ya) = promoted(&x, &y);
    let d = xa.binary(&ya, BinaryOp::Sub)?;
    let value = reduce_value(d.binary(&d, BinaryOp::Mul)?, r);
    let n = x.numel();
    let (sx, sy) = (x.clone(), y.clone());
    let req = [x.differentiable(), y.differentiable()];
    Ok(record(
        "MseLossBackward0",
        &[&x, &y],
        value,
        true,
        move |_, g| {
            // mse_loss_backward: norm * (input - target) * grad, norm = 2 / numel for the mean.
            let norm = if r == Reduction::Mean {
                2.0 / n as f64
            } else {
                2.0
            };
            let diff = sub(&sx, &sy, 1.0)?;
            let gi = mul(&mul(&c(norm, &diff), &diff)?, g)?;
            Ok(vec![
                if req[0] {
                    Some(as_dtype_of(gi.clone(), &sx)?)
                } else {
                    None
                },
                if req[1] {
                    Some(as_dtype_of(neg(&gi), &sy)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `F.l1_loss`: composite in ATen, `(input - target).abs()` then the reduction.
pub fn l1_loss(input: &Tensor, target: &Tensor, reduction: &str) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    let (x, y) = broadcast_pair(input, target)?;
    let d = unary(&sub(&x, &y, 1.0)?, UnaryOp::Abs)?;
    if r == Reduction::Mean && !d.dtype().is_floating() {
        return Err(not_implemented(format!(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}",
            d.dtype().title()
        )));
    }
    reduce(d, r)
}

/// The piecewise losses around |x - y| = `beta`: smooth L1 (quadratic part divided by beta)
/// and Huber (linear part scaled by delta).
#[derive(Clone, Copy, PartialEq)]
enum Piecewise {
    SmoothL1,
    Huber,
}

fn piecewise_loss(
    input: &Tensor,
    target: &Tensor,
    reduction: &str,
    beta: f64,
    kind: Piecewise,
) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    if let Some(res) = batched_elementwise(&[input, target], r, |a| {
        piecewise_loss(&a[0], &a[1], "none", beta, kind)
    }) {
        return res;
    }
    let (x, y) = broadcast_pair(input, target)?;
    let dt = result_type(&x, &y);
    let (name, kernel) = match kind {
        Piecewise::SmoothL1 => ("SmoothL1LossBackward0", "smooth_l1_cpu"),
        Piecewise::Huber => ("HuberLossBackward0", "huber_cpu"),
    };
    require_float(kernel, dt)?;
    let (xa, ya) = promoted(&x, &y);
    let z = xa.binary(&ya, BinaryOp::Sub)?.unary(UnaryOp::Abs);
    let values: Vec<f64> = z.to_vec::<f64>();
    // Computed in the element type, in the kernels' order of operations.
    let loss = match dt {
        DType::F32 => {
            let b = beta as f32;
            let v: Vec<f32> = values
                .iter()
                .map(|&z| {
                    let z = z as f32;
                    match kind {
                        Piecewise::SmoothL1 if z < b => 0.5 * z * z / b,
                        Piecewise::SmoothL1 => z - 0.5 * b,
                        Piecewise::Huber if z < b => 0.5 * z * z,
                        Piecewise::Huber => b * (z - 0.5 * b),
                    }
                })
                .collect();
            NdArray::from_vec(v, z.shape().to_vec())
        }
        _ => {
            let v: Vec<f64> = values
                .iter()
                .map(|&z| match kind {
                    Piecewise::SmoothL1 if z < beta => 0.5 * z * z / beta,
                    Piecewise::SmoothL1 => z - 0.5 * beta,
                    Piecewise::Huber if z < beta => 0.5 * z * z,
                    Piecewise::Huber => beta * (z - 0.5 * beta),
                })
                .collect();
            NdArray::from_vec(v, z.shape().to_vec())
        }
    };
    let value = reduce_value(loss, r);
    let n = x.numel();
    let (sx, sy) = (x.clone(), y.clone());
    let req = [x.differentiable(), y.differentiable()];
    Ok(record(name, &[&x, &y], value, true, move |_, g| {
        // d = x - y: -1 / +1 beyond ±beta, d / beta (smooth L1) or d (Huber) inside; Huber's
        // outer parts are scaled by delta. Then times grad (over numel for the mean).
        let d = sub(&sx, &sy, 1.0)?;
        let (inner, outer) = match kind {
            Piecewise::SmoothL1 => (div(&d, &c(beta, &d))?, 1.0),
            Piecewise::Huber => (d.clone(), beta),
        };
        let da = d.array();
        let above = Tensor::new(da.binary(&NdArray::scalar(beta, da.dtype()), BinaryOp::Gt)?);
        let below = Tensor::new(da.binary(&NdArray::scalar(-beta, da.dtype()), BinaryOp::Lt)?);
        let slope = where_(
            &above,
            &c(outer, &d),
            &where_(&below, &c(-outer, &d), &inner)?,
        )?;
        let gi = mean_scale(mul(&slope, g)?, r, n)?;
        Ok(vec![
            if req[0] {
                Some(as_dtype_of(gi.clone(), &sx)?)
            } else {
                None
            },
            if req[1] {
                Some(as_dtype_of(neg(&gi), &sy)?)
            } else {
                None
            },
        ])
    }))
}

/// `F.smooth_l1_loss(input, target, reduction, beta=1.0)`; beta 0 is the L1 loss.
pub fn smooth_l1_loss(
    input: &Tensor,
    target: &Tensor,
    reduction: &str,
    beta: f64,
) -> PyResult<Tensor> {
    if beta < 0.0 {
        return Err(runtime_error(
            "smooth_l1_loss does not support negative values for beta.",
        ));
    }
    if beta == 0.0 {
        return l1_loss(input, target, reduction);
    }
    piecewise_loss(input, target, reduction, beta, Piecewise::SmoothL1)
}

/// `F.huber_loss(input, target, reduction, delta=1.0)`.
pub fn huber_loss(
    input: &Tensor,
    target: &Tensor,
    reduction: &str,
    delta: f64,
) -> PyResult<Tensor> {
    if delta <= 0.0 {
        return Err(runtime_error(
            "huber_loss does not support non-positive values for delta.",
        ));
    }
    piecewise_loss(input, target, reduction, delta, Piecewise::Huber)
}

/// `[2, 3]`, as ATen prints sizes.
fn shape_list(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("[{}]", dims.join(", "))
}

/// `torch.Size([2, 3])`, as Python prints a size in the loss functions' messages.
fn size_repr(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("torch.Size([{}])", dims.join(", "))
}

/// `F.binary_cross_entropy(input, target, weight=None, reduction="mean")`:
/// `BinaryCrossEntropyBackward0`.
pub fn binary_cross_entropy(
    input: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    reduction: &str,
) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    if target.shape() != input.shape() {
        return Err(value_error(format!(
            "Using a target size ({}) that is different to the input size ({}) is deprecated. Please ensure they have the same size.",
            size_repr(&target.shape()),
            size_repr(&input.shape())
        )));
    }
    let mut inputs = vec![input, target];
    inputs.extend(weight);
    if let Some(res) = per_example(&inputs, |a| {
        binary_cross_entropy(&a[0], &a[1], a.get(2), reduction)
    }) {
        return res;
    }
    let weight = match weight {
        Some(w) => Some(super::broadcast_to(
            w,
            &broadcast_shapes(&target.shape(), &w.shape())?,
        )?),
        None => None,
    };
    let dt = result_type(input, target);
    require_float("binary_cross_entropy", dt)?;
    let (xa, ya) = promoted(input, target);
    let out_of_range = |a: &NdArray| {
        a.to_vec::<f64>()
            .iter()
            .any(|&v| !((0.0..=1.0).contains(&v)))
    };
    if out_of_range(&xa) {
        return Err(runtime_error(
            "all elements of input should be between 0 and 1",
        ));
    }
    if out_of_range(&ya) {
        return Err(runtime_error(
            "all elements of target should be between 0 and 1",
        ));
    }
    // (t - 1) * max(log1p(-x), -100) - t * max(log(x), -100), elementwise in the float type.
    let floor = NdArray::scalar(-100.0, dt);
    let log_1mx = xa
        .unary(UnaryOp::Neg)
        .unary(UnaryOp::Log1p)
        .binary(&floor, BinaryOp::Maximum)?;
    let log_x = xa.unary(UnaryOp::Log).binary(&floor, BinaryOp::Maximum)?;
    let one = NdArray::scalar(1.0, dt);
    let mut loss = ya
        .binary(&one, BinaryOp::Sub)?
        .binary(&log_1mx, BinaryOp::Mul)?
        .binary(&ya.binary(&log_x, BinaryOp::Mul)?, BinaryOp::Sub)?;
    if let Some(w) = &weight {
        loss = loss.binary(&data_as(w, dt), BinaryOp::Mul)?;
    }
    let value = reduce_value(loss, r);
    let n = input.numel();
    let (sx, sy) = (input.clone(), target.clone());
    let req = [input.differentiable(), target.differentiable()];
    Ok(record(
        "BinaryCrossEntropyBackward0",
        &[input, target],
        value,
        true,
        move |_, g| {
            let weighted = |t: Tensor| -> PyResult<Tensor> {
                let t = match &weight {
                    Some(w) => mul(&t, w)?,
                    None => t,
                };
                mean_scale(t, r, n)
            };
            let gx = if req[0] {
                // grad * (x - t) / max((1 - x) x, 1e-12)
                let denom = mul(&rsub_scalar(&sx, Scalar::Int(1))?, &sx)?;
                let denom = super::clamp(&denom, Some(1e-12), None)?;
                let gi = div(&mul(g, &sub(&sx, &sy, 1.0)?)?, &denom)?;
                Some(as_dtype_of(weighted(gi)?, &sx)?)
            } else {
                None
            };
            let gy = if req[1] {
                // -logit(x) * grad
                let logit = unary(&div(&sx, &rsub_scalar(&sx, Scalar::Int(1))?)?, UnaryOp::Log)?;
                Some(as_dtype_of(weighted(mul(&neg(&logit), g)?)?, &sy)?)
            } else {
                None
            };
            Ok(vec![gx, gy])
        },
    ))
}

/// `log_sigmoid(x) = -softplus(-x)`, differentiable.
fn log_sigmoid(x: &Tensor) -> PyResult<Tensor> {
    let sp = activation(
        &neg(x),
        Activation::Softplus {
            beta: 1.0,
            threshold: 20.0,
        },
    )?;
    Ok(neg(&sp))
}

/// `F.binary_cross_entropy_with_logits(input, target, reduction=...)`.
pub fn binary_cross_entropy_with_logits(
    input: &Tensor,
    target: &Tensor,
    reduction: &str,
) -> PyResult<Tensor> {
    binary_cross_entropy_with_logits_weighted(input, target, None, None, reduction)
}

/// `F.binary_cross_entropy_with_logits` with `weight` and `pos_weight`:
/// `BinaryCrossEntropyWithLogitsBackward0`.
pub fn binary_cross_entropy_with_logits_weighted(
    input: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    pos_weight: Option<&Tensor>,
    reduction: &str,
) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    if target.shape() != input.shape() {
        return Err(value_error(format!(
            "Target size ({}) must be the same as input size ({})",
            size_repr(&target.shape()),
            size_repr(&input.shape())
        )));
    }
    let mut inputs = vec![input, target];
    inputs.extend(weight);
    inputs.extend(pos_weight);
    if batching::top_level(&inputs).is_some() {
        let (has_w, has_pw) = (weight.is_some(), pos_weight.is_some());
        return batching::fallback1(&inputs, |a| {
            let w = if has_w { a.get(2) } else { None };
            let pw = if has_pw {
                a.get(2 + has_w as usize)
            } else {
                None
            };
            binary_cross_entropy_with_logits_weighted(&a[0], &a[1], w, pw, reduction)
        });
    }
    let dt = result_type(input, target);
    require_float("log_sigmoid_cpu", dt)?;
    let (xa, ya) = promoted(input, target);
    // log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|)), ATen's CPU kernel.
    let zero = NdArray::scalar(0.0, dt);
    let one = NdArray::scalar(1.0, dt);
    let mut ls = xa.binary(&zero, BinaryOp::Minimum)?.binary(
        &xa.unary(UnaryOp::Abs)
            .unary(UnaryOp::Neg)
            .unary(UnaryOp::Exp)
            .unary(UnaryOp::Log1p),
        BinaryOp::Sub,
    )?;
    if let Some(pw) = pos_weight {
        let log_weight = data_as(pw, dt)
            .binary(&one, BinaryOp::Sub)?
            .binary(&ya, BinaryOp::Mul)?
            .binary(&one, BinaryOp::Add)?;
        ls = ls.binary(&log_weight, BinaryOp::Mul)?;
    }
    let mut loss = one
        .binary(&ya, BinaryOp::Sub)?
        .binary(&xa, BinaryOp::Mul)?
        .binary(&ls, BinaryOp::Sub)?;
    if let Some(w) = weight {
        loss = loss.binary(&data_as(w, dt), BinaryOp::Mul)?;
    }
    let value = reduce_value(loss, r);
    let n = input.numel();
    let (sx, sy) = (input.clone(), target.clone());
    let (w, pw) = (weight.cloned(), pos_weight.cloned());
    let req = [input.differentiable(), target.differentiable()];
    Ok(record(
        "BinaryCrossEntropyWithLogitsBackward0",
        &[input, target],
        value,
        true,
        move |_, g| {
            let finish = |t: Tensor| -> PyResult<Tensor> {
                let t = mul(&t, g)?;
                let t = match &w {
                    Some(w) => mul(&t, w)?,
                    None => t,
                };
                mean_scale(t, r, n)
            };
            let gx = if req[0] {
                let s = unary(&sx, UnaryOp::Sigmoid)?;
                let gi = match &pw {
                    // (pw t + 1 - t) sigmoid(x) - pw t
                    Some(pw) => {
                        let t = mul(pw, &sy)?;
                        let coef = sub(&add(&t, &c(1.0, &t), 1.0)?, &sy, 1.0)?;
                        sub(&mul(&coef, &s)?, &t, 1.0)?
                    }
                    None => sub(&s, &sy, 1.0)?,
                };
                Some(as_dtype_of(finish(gi)?, &sx)?)
            } else {
                None
            };
            let gy = if req[1] {
                let gt = match &pw {
                    // log_sigmoid(-x) - log_sigmoid(x) * pw
                    Some(pw) => sub(&log_sigmoid(&neg(&sx))?, &mul(&log_sigmoid(&sx)?, pw)?, 1.0)?,
                    None => neg(&sx),
                };
                Some(as_dtype_of(finish(gt)?, &sy)?)
            } else {
                None
            };
            Ok(vec![gx, gy])
        },
    ))
}

/// Target checks shared by `nll_loss` and `cross_entropy`.
fn check_target(input: &Tensor, target: &Tensor) -> PyResult<()> {
    if input.ndim() < 1 {
        return Err(value_error(format!(
            "Expected 1 or more dimensions (got {})",
            input.ndim()
        )));
    }
    // A 0-d target counts as batch size 0, as in ATen's message.
    let target_batch = target.shape().first().copied().unwrap_or(0);
    if input.ndim() != 1 && input.shape()[0] != target_batch {
        return Err(value_error(format!(
            "Expected input batch_size ({}) to match target batch_size ({}).",
            input.shape()[0],
            target_batch
        )));
    }
    if target.dtype() != DType::I64 {
        return Err(runtime_error(format!(
            "expected target dtype to be Long or Byte, but got {}",
            target.dtype().title()
        )));
    }
    Ok(())
}

fn out_of_bounds(t: i64) -> PyErr {
    index_error(format!("Target {t} is out of bounds."))
}

/// `F.nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean")`:
/// `NllLossBackward0` for 1-D and 2-D input; higher ranks move the class dim last and flatten.
pub fn nll_loss(
    input: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    ignore_index: i64,
    reduction: &str,
) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    check_target(input, target)?;
    let mut inputs = vec![input, target];
    inputs.extend(weight);
    if let Some(res) = per_example(&inputs, |a| {
        nll_loss(&a[0], &a[1], a.get(2), ignore_index, reduction)
    }) {
        return res;
    }
    if input.ndim() > 2 {
        // (N, C, d1, ...) -> (N * d1 * ..., C); the unreduced loss is viewed back.
        let nd = input.ndim() as isize;
        let mut perm: Vec<isize> = vec![0];
        perm.extend(2..nd);
        perm.push(1);
        let c_dim = input.shape()[1] as isize;
        let flat = super::reshape(&super::permute(input, &perm)?, &[-1, c_dim])?;
        let t = super::reshape(target, &[-1])?;
        if t.numel() != flat.shape()[0] {
            return Err(runtime_error(format!(
                "Expected target size {}, got {}",
                shape_list(&[&input.shape()[..1], &input.shape()[2..]].concat()),
                shape_list(&target.shape())
            )));
        }
        let out = nll_loss(&flat, &t, weight, ignore_index, reduction)?;
        if r == Reduction::None {
            let shape: Vec<isize> = target.shape().iter().map(|&s| s as isize).collect();
            return super::reshape(&out, &shape);
        }
        return Ok(out);
    }
    require_float("nll_loss_out_frame", input.dtype())?;
    let one_d = input.ndim() == 1;
    let classes = input.shape()[input.ndim() - 1];
    let rows = if one_d { 1 } else { input.shape()[0] };
    if one_d && target.ndim() == 1 && target.numel() == 1 {
        // One class vector with a one-element target: a batch of one.
        let row = super::unsqueeze(input, 0)?;
        return nll_loss(&row, target, weight, ignore_index, reduction);
    }
    // nll_loss_forward's checks, in its order.
    if target.ndim() > 1 {
        return Err(runtime_error(
            "0D or 1D target tensor expected, multi-target not supported",
        ));
    }
    let no_batch_dim = one_d && target.ndim() == 0;
    if !no_batch_dim && target.shape().first() != Some(&input.shape()[0]) {
        return Err(runtime_error(format!(
            "size mismatch (got input: {}, target: {})",
            shape_list(&input.shape()),
            shape_list(&target.shape())
        )));
    }
    if let Some(w) = weight
        && (w.ndim() != 1 || w.numel() != classes)
    {
        return Err(runtime_error(format!(
            "weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {}",
            shape_list(&w.shape())
        )));
    }
    let targets = target.array().to_vec::<i64>();
    let x = input.array().to_vec::<f64>();
    let w: Vec<f64> = match weight {
        Some(w) => w.array().to_vec::<f64>(),
        None => vec![1.0; classes],
    };
    // coef[i][t_i] = -w[t_i] (0 for ignored rows): the loss is sum(coef * x) per row.
    let mut coef = vec![0.0; rows * classes];
    let mut per_row = vec![0.0; rows];
    let mut total_weight = 0.0;
    for (i, &t) in targets.iter().enumerate().take(rows) {
        if t == ignore_index {
            continue;
        }
        if t < 0 || t as usize >= classes {
            return Err(out_of_bounds(t));
        }
        let wt = w[t as usize];
        coef[i * classes + t as usize] = -wt;
        per_row[i] = -wt * x[i * classes + t as usize];
        total_weight += wt;
    }
    let dt = input.dtype();
    let value = match r {
        Reduction::None if one_d => NdArray::scalar(per_row[0], dt),
        Reduction::None => NdArray::from_vec(per_row.clone(), vec![rows]).to_dtype(dt),
        Reduction::Sum => NdArray::scalar(per_row.iter().sum(), dt),
        Reduction::Mean => NdArray::scalar(per_row.iter().sum::<f64>() / total_weight, dt),
    };
    let coef = match r {
        Reduction::Mean => coef.iter().map(|v| v / total_weight).collect(),
        _ => coef,
    };
    let coef = Tensor::new(NdArray::from_vec(coef, input.shape()).to_dtype(dt));
    Ok(super::record_jvp(
        "NllLossBackward0",
        &[input],
        value,
        false,
        Jvp::Transpose,
        move |_, g| {
            // The gradient lands at each row's target: coef * grad (grad per row if unreduced).
            let g = if r == Reduction::None && !one_d {
                super::unsqueeze(g, 1)?
            } else {
                g.clone()
            };
            Ok(vec![Some(mul(&coef, &g)?)])
        },
    ))
}

/// `F.cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
/// label_smoothing=0.0)`: `log_softmax` over the class dim, then `nll_loss` (class-index
/// targets) or `-(log_probs * target).sum(...)` (class-probability targets), as ATen composes it.
pub fn cross_entropy(
    input: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    ignore_index: i64,
    reduction: &str,
    label_smoothing: f64,
) -> PyResult<Tensor> {
    let r = Reduction::parse(reduction)?;
    if !(0.0..=1.0).contains(&label_smoothing) {
        return Err(runtime_error(format!(
            "label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}"
        )));
    }
    if input.ndim() < 1 {
        return Err(value_error(format!(
            "Expected 1 or more dimensions (got {})",
            input.ndim()
        )));
    }
    let class_dim: isize = if input.ndim() == 1 { 0 } else { 1 };
    let classes = input.shape()[class_dim as usize] as f64;
    let lp = log_softmax(input, class_dim)?;
    if target.dtype().is_floating() {
        if target.shape() != input.shape() {
            return Err(runtime_error(format!(
                "Expected target size {}, got {}",
                shape_list(&input.shape()),
                shape_list(&target.shape())
            )));
        }
        if weight.is_some() {
            return Err(runtime_error(
                "cross_entropy with class-probability targets and weight is not supported in gradbook",
            ));
        }
        let target = if label_smoothing > 0.0 {
            add(
                &mul(target, &c(1.0 - label_smoothing, target))?,
                &c(label_smoothing / classes, target),
                1.0,
            )?
        } else {
            target.clone()
        };
        let prod = mul(&lp, &target)?;
        return match r {
            Reduction::Mean => {
                let batch = input.numel() as f64 / classes;
                div_scalar(&neg(&sum(&prod, None, false)?), batch)
            }
            Reduction::Sum => Ok(neg(&sum(&prod, None, false)?)),
            Reduction::None => Ok(neg(&sum(&prod, Some(&[class_dim]), false)?)),
        };
    }
    let nll = nll_loss(&lp, target, weight, ignore_index, reduction)?;
    if label_smoothing <= 0.0 {
        return Ok(nll);
    }
    if weight.is_some() {
        return Err(runtime_error(
            "cross_entropy with label_smoothing and weight is not supported in gradbook",
        ));
    }
    // (1 - ls) * nll + ls / C * smooth, smooth = -lp.sum(class_dim) with ignored rows zeroed.
    let ignored = Tensor::new(target.array().binary(
        &NdArray::scalar(ignore_index as f64, DType::I64),
        BinaryOp::Eq,
    )?);
    let smooth = neg(&sum(&lp, Some(&[class_dim]), false)?);
    let smooth = super::masked_fill(&smooth, &ignored, 0.0)?;
    let smooth = match r {
        Reduction::Mean => {
            let kept = ignored.array().unary(UnaryOp::LogicalNot).sum(&[], false);
            let kept = Tensor::new(kept.to_dtype(smooth.dtype()));
            div(&sum(&smooth, None, false)?, &kept)?
        }
        Reduction::Sum => sum(&smooth, None, false)?,
        Reduction::None => smooth,
    };
    add(
        &mul(&c(1.0 - label_smoothing, &nll), &nll)?,
        &mul(&smooth, &c(label_smoothing / classes, &smooth))?,
        1.0,
    )
}
