//! Loss functions of `torch.nn.functional`.

use super::{add, mean, mul, sub, sum};
use crate::array::UnaryOp;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, value_error};

fn reduce(t: Tensor, reduction: &str) -> PyResult<Tensor> {
    match reduction {
        "mean" => mean(&t, None, false),
        "sum" => sum(&t, None, false),
        "none" => Ok(t),
        other => Err(value_error(format!(
            "{} is not a valid value for reduction",
            other
        ))),
    }
}

/// `F.mse_loss(input, target, reduction="mean")`.
pub fn mse_loss(input: &Tensor, target: &Tensor, reduction: &str) -> PyResult<Tensor> {
    let d = sub(input, target, 1.0)?;
    reduce(mul(&d, &d)?, reduction)
}

/// `F.binary_cross_entropy_with_logits`: the stable form
/// `max(x, 0) - x * t + log(1 + exp(-|x|))`.
pub fn binary_cross_entropy_with_logits(
    input: &Tensor,
    target: &Tensor,
    reduction: &str,
) -> PyResult<Tensor> {
    let relu = super::unary(input, UnaryOp::Relu)?;
    let neg_abs = super::neg(&super::unary(input, UnaryOp::Abs)?);
    let e = super::unary(&neg_abs, UnaryOp::Exp)?;
    let log_term = super::unary(&e, UnaryOp::Log1p)?;
    let loss = add(&sub(&relu, &mul(input, target)?, 1.0)?, &log_term, 1.0)?;
    reduce(loss, reduction)
}
