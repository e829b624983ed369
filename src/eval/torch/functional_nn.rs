//! `torch.nn.functional`: activations, softmax, `linear` and two losses.

use super::args::Bound;
use super::table::{Row, apply_unary, torch};
use crate::array::{Scalar, UnaryOp};
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, value_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

/// Activations with `inplace=`: the in-place form writes the result back into the input.
fn activation(b: &Bound, op: UnaryOp) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let out = apply_unary(&x, op)?;
    if b.bool("inplace")? {
        ops::copy_(&x, &out)?;
        return t(x);
    }
    t(out)
}
fn relu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    activation(b, UnaryOp::Relu)
}
fn sigmoid(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(apply_unary(&b.tensor("input")?, UnaryOp::Sigmoid)?)
}
fn tanh(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(apply_unary(&b.tensor("input")?, UnaryOp::Tanh)?)
}

/// PyTorch's legacy implicit softmax dim: 0 for 0-, 1- and 3-d input, else 1.
fn softmax_dim(b: &Bound, x: &Tensor) -> PyResult<isize> {
    Ok(match b.opt_int("dim")? {
        Some(d) => d as isize,
        None if matches!(x.ndim(), 0 | 1 | 3) => 0,
        None => 1,
    })
}
fn cast(b: &Bound, x: Tensor) -> PyResult<Tensor> {
    match b.dtype("dtype")? {
        Some(d) if d != x.dtype() => ops::to_dtype(&x, d),
        _ => Ok(x),
    }
}
fn softmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let dim = softmax_dim(b, &x)?;
    t(ops::softmax(&cast(b, x)?, dim)?)
}
fn log_softmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let dim = softmax_dim(b, &x)?;
    t(ops::log_softmax(&cast(b, x)?, dim)?)
}

fn linear(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let bias = b.opt_tensor("bias")?;
    t(ops::linear(
        &b.tensor("input")?,
        &b.tensor("weight")?,
        bias.as_ref(),
    )?)
}

fn reduction(b: &Bound) -> PyResult<String> {
    let r = b.str("reduction")?.unwrap_or_else(|| "mean".into());
    match r.as_str() {
        "mean" | "sum" | "none" => Ok(r),
        other => Err(value_error(format!(
            "{other} is not a valid value for reduction"
        ))),
    }
}

fn reduce(x: Tensor, reduction: &str) -> PyResult<Tensor> {
    match reduction {
        "mean" => ops::mean(&x, None, false),
        "sum" => ops::sum(&x, None, false),
        _ => Ok(x),
    }
}

fn mse_loss(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let r = reduction(b)?;
    let (input, target) = (b.tensor("input")?, b.tensor("target")?);
    match b.opt_tensor("weight")? {
        None => t(ops::mse_loss(&input, &target, &r)?),
        Some(w) => {
            let d = ops::sub(&input, &target, 1.0)?;
            t(reduce(ops::mul(&ops::square(&d)?, &w)?, &r)?)
        }
    }
}

/// With `weight`/`pos_weight` the loss is composed from differentiable ops:
/// `(1 - y) x + (1 + (pw - 1) y) (log1p(exp(-|x|)) + max(-x, 0))`, times weight.
fn binary_cross_entropy_with_logits(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let r = reduction(b)?;
    let (x, y) = (b.tensor("input")?, b.tensor("target")?);
    let weight = b.opt_tensor("weight")?;
    let pos_weight = b.opt_tensor("pos_weight")?;
    if weight.is_none() && pos_weight.is_none() {
        return t(ops::binary_cross_entropy_with_logits(&x, &y, &r)?);
    }
    let one = |like: &Tensor| ops::scalar_tensor(Scalar::Int(1), like);
    let softplus_neg = ops::add(
        &ops::unary(
            &ops::unary(&ops::neg(&ops::unary(&x, UnaryOp::Abs)?), UnaryOp::Exp)?,
            UnaryOp::Log1p,
        )?,
        &ops::clamp(&ops::neg(&x), Some(0.0), None)?,
        1.0,
    )?;
    let coef = match &pos_weight {
        Some(pw) => ops::add(&one(&y), &ops::mul(&ops::sub(pw, &one(pw), 1.0)?, &y)?, 1.0)?,
        None => one(&y),
    };
    let mut loss = ops::add(
        &ops::mul(&ops::rsub_scalar(&y, Scalar::Int(1))?, &x)?,
        &ops::mul(&coef, &softplus_neg)?,
        1.0,
    )?;
    if let Some(w) = &weight {
        loss = ops::mul(&loss, w)?;
    }
    t(reduce(loss, &r)?)
}

/// The `torch.nn.functional` module's table.
pub const ROWS: &[Row] = &[
    torch(
        "def relu(Tensor input, bool inplace=False)",
        "max(input, 0).",
        relu,
    ),
    torch(
        "def sigmoid(Tensor input)",
        "1 / (1 + exp(-input)).",
        sigmoid,
    ),
    torch("def tanh(Tensor input)", "Hyperbolic tangent.", tanh),
    torch(
        "def softmax(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None)",
        "Softmax along dim.",
        softmax,
    ),
    torch(
        "def log_softmax(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None)",
        "Log-softmax along dim.",
        log_softmax,
    ),
    torch(
        "linear(Tensor input, Tensor weight, Tensor? bias=None)",
        "input @ weight.T + bias.",
        linear,
    ),
    torch(
        "def mse_loss(Tensor input, Tensor target, Any? size_average=None, Any? reduce=None, str reduction=\"mean\", Tensor? weight=None)",
        "Mean squared error.",
        mse_loss,
    ),
    torch(
        "def binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, Any? size_average=None, Any? reduce=None, str reduction=\"mean\", Tensor? pos_weight=None)",
        "Binary cross-entropy on logits.",
        binary_cross_entropy_with_logits,
    ),
];
