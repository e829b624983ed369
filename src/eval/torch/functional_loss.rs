//! The losses of `torch.nn.functional`, bound to `autograd::ops::loss`.

use super::args::Bound;
use super::table::{Row, torch};
use crate::array::{BinaryOp, UnaryOp};
use crate::autograd::{Tensor, ops};
use crate::error::PyResult;
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

/// `reduction=`, validated by the op (`ValueError: x is not a valid value for reduction`).
fn reduction(b: &Bound) -> PyResult<String> {
    Ok(b.str("reduction")?.unwrap_or_else(|| "mean".into()))
}

fn pair(b: &Bound) -> PyResult<(Tensor, Tensor)> {
    Ok((b.tensor("input")?, b.tensor("target")?))
}

fn mse_loss(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let r = reduction(b)?;
    let (input, target) = pair(b)?;
    match b.opt_tensor("weight")? {
        None => t(ops::mse_loss(&input, &target, &r)?),
        // The weighted form is Python-level in PyTorch: ((input - target)² * weight), reduced.
        Some(w) => {
            let d = ops::sub(&input, &target, 1.0)?;
            let l = ops::mul(&ops::square(&d)?, &w)?;
            t(match ops::Reduction::parse(&r)? {
                ops::Reduction::Mean => ops::mean(&l, None, false)?,
                ops::Reduction::Sum => ops::sum(&l, None, false)?,
                ops::Reduction::None => l,
            })
        }
    }
}
fn l1_loss(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    t(ops::l1_loss(&input, &target, &reduction(b)?)?)
}
fn smooth_l1_loss(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    t(ops::smooth_l1_loss(
        &input,
        &target,
        &reduction(b)?,
        b.float("beta")?,
    )?)
}
fn huber_loss(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    t(ops::huber_loss(
        &input,
        &target,
        &reduction(b)?,
        b.float("delta")?,
    )?)
}
fn binary_cross_entropy(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    let w = b.opt_tensor("weight")?;
    t(ops::binary_cross_entropy(
        &input,
        &target,
        w.as_ref(),
        &reduction(b)?,
    )?)
}
fn binary_cross_entropy_with_logits(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    let (w, pw) = (b.opt_tensor("weight")?, b.opt_tensor("pos_weight")?);
    t(ops::binary_cross_entropy_with_logits_weighted(
        &input,
        &target,
        w.as_ref(),
        pw.as_ref(),
        &reduction(b)?,
    )?)
}
fn nll_loss(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    let w = b.opt_tensor("weight")?;
    t(ops::nll_loss(
        &input,
        &target,
        w.as_ref(),
        b.int("ignore_index")?,
        &reduction(b)?,
    )?)
}
fn cross_entropy(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    let w = b.opt_tensor("weight")?;
    t(ops::cross_entropy(
        &input,
        &target,
        w.as_ref(),
        b.int("ignore_index")?,
        &reduction(b)?,
        b.float("label_smoothing")?,
    )?)
}

/// `kl_div(input, target, reduction="mean", log_target=False)`: ATen's composite,
/// `target * (log(target) - input)` (0 where target is 0) or `exp(target) * (target - input)`;
/// `batchmean` is the sum over the batch size.
fn kl_div(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, target) = pair(b)?;
    let r = reduction(b)?;
    let pointwise = if b.bool("log_target")? {
        ops::mul(
            &ops::unary(&target, UnaryOp::Exp)?,
            &ops::sub(&target, &input, 1.0)?,
        )?
    } else {
        // xlogy(target, target) - target * input
        let zero = Tensor::new(crate::array::NdArray::scalar(0.0, target.dtype()));
        let positive = Tensor::new(target.array().binary(&zero.array(), BinaryOp::Gt)?);
        let logt = ops::unary(&target, UnaryOp::Log)?;
        let xlogy = ops::where_(&positive, &ops::mul(&target, &logt)?, &zero)?;
        ops::sub(&xlogy, &ops::mul(&target, &input)?, 1.0)?
    };
    t(match r.as_str() {
        "batchmean" => {
            let s = ops::sum(&pointwise, None, false)?;
            if input.ndim() == 0 {
                s
            } else {
                ops::div(
                    &s,
                    &Tensor::new(crate::array::NdArray::scalar(
                        input.shape()[0] as f64,
                        s.dtype(),
                    )),
                )?
            }
        }
        other => match ops::Reduction::parse(other)? {
            ops::Reduction::Mean => ops::mean(&pointwise, None, false)?,
            ops::Reduction::Sum => ops::sum(&pointwise, None, false)?,
            ops::Reduction::None => pointwise,
        },
    })
}

/// The loss rows of the `torch.nn.functional` table.
pub const ROWS: &[Row] = &[
    torch(
        "def mse_loss(Tensor input, Tensor target, Any? size_average=None, Any? reduce=None, str reduction=\"mean\", Tensor? weight=None)",
        "Mean squared error.",
        mse_loss,
    ),
    torch(
        "def l1_loss(Tensor input, Tensor target, Any? size_average=None, Any? reduce=None, str reduction=\"mean\")",
        "Mean absolute error.",
        l1_loss,
    ),
    torch(
        "def smooth_l1_loss(Tensor input, Tensor target, Any? size_average=None, Any? reduce=None, str reduction=\"mean\", float beta=1.0)",
        "Squared error below beta (halved, over beta), absolute error above.",
        smooth_l1_loss,
    ),
    torch(
        "def huber_loss(Tensor input, Tensor target, str reduction=\"mean\", float delta=1.0, Tensor? weight=None)",
        "Squared error below delta (halved), delta-scaled absolute error above.",
        huber_loss,
    ),
    torch(
        "def binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, Any? size_average=None, Any? reduce=None, str reduction=\"mean\")",
        "Binary cross-entropy of probabilities.",
        binary_cross_entropy,
    ),
    torch(
        "def binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, Any? size_average=None, Any? reduce=None, str reduction=\"mean\", Tensor? pos_weight=None)",
        "Binary cross-entropy on logits.",
        binary_cross_entropy_with_logits,
    ),
    torch(
        "def nll_loss(Tensor input, Tensor target, Tensor? weight=None, Any? size_average=None, int ignore_index=-100, Any? reduce=None, str reduction=\"mean\")",
        "Negative log-likelihood of log-probabilities at the target classes.",
        nll_loss,
    ),
    torch(
        "def cross_entropy(Tensor input, Tensor target, Tensor? weight=None, Any? size_average=None, int ignore_index=-100, Any? reduce=None, str reduction=\"mean\", float label_smoothing=0.0)",
        "log_softmax over the class dim, then nll_loss (or the soft-target form).",
        cross_entropy,
    ),
    torch(
        "def kl_div(Tensor input, Tensor target, Any? size_average=None, Any? reduce=None, str reduction=\"mean\", bool log_target=False)",
        "Kullback-Leibler divergence of target from input (input holds log-probabilities).",
        kl_div,
    ),
];
