//! Comparisons: bool results, never differentiable.

use super::{data_as, result_type};
use crate::array::{BinaryOp, DType, NdArray, UnaryOp};
use crate::autograd::tensor::Tensor;
use crate::error::PyResult;

/// `==`, `<`, `&`, ... on tensors (broadcasting; bool result).
pub fn compare(a: &Tensor, b: &Tensor, op: BinaryOp) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, |a, b| compare(a, b, op)) {
        return r;
    }
    let dtype = result_type(a, b);
    Ok(Tensor::new(
        data_as(a, dtype).binary(&data_as(b, dtype), op)?,
    ))
}

/// `torch.isclose`: |a - b| <= atol + rtol * |b| (plus equal infinities, optional NaN equality).
pub fn isclose(a: &Tensor, b: &Tensor, rtol: f64, atol: f64, equal_nan: bool) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::binary_rule(a, b, |a, b| isclose(a, b, rtol, atol, equal_nan))
    {
        return r;
    }
    let dtype = result_type(a, b);
    let (x, y) = (data_as(a, dtype), data_as(b, dtype));
    let exact = x.binary(&y, BinaryOp::Eq)?;
    if !dtype.is_floating() {
        return Ok(Tensor::new(exact));
    }
    let diff = x.binary(&y, BinaryOp::Sub)?.unary(UnaryOp::Abs);
    let tol = NdArray::scalar(atol, dtype).binary(
        &y.unary(UnaryOp::Abs)
            .binary(&NdArray::scalar(rtol, dtype), BinaryOp::Mul)?,
        BinaryOp::Add,
    )?;
    let finite = diff.unary(UnaryOp::IsFinite);
    let close = diff
        .binary(&tol, BinaryOp::Le)?
        .binary(&finite, BinaryOp::LogicalAnd)?;
    let mut result = exact.binary(&close, BinaryOp::LogicalOr)?;
    if equal_nan {
        let both_nan = x
            .unary(UnaryOp::IsNan)
            .binary(&y.unary(UnaryOp::IsNan), BinaryOp::LogicalAnd)?;
        result = result.binary(&both_nan, BinaryOp::LogicalOr)?;
    }
    Ok(Tensor::new(result))
}

/// `torch.allclose`.
pub fn allclose(a: &Tensor, b: &Tensor, rtol: f64, atol: f64, equal_nan: bool) -> PyResult<bool> {
    if a.is_batched() || b.is_batched() {
        return Err(crate::error::runtime_error(
            crate::autograd::batching::ALLCLOSE_ERROR,
        ));
    }
    let c = isclose(a, b, rtol, atol, equal_nan)?;
    Ok(c.array().all(&[], false).item()?.to_f64() != 0.0)
}

/// `torch.equal`: same shape and same values.
pub fn equal(a: &Tensor, b: &Tensor) -> bool {
    if let Some(r) = crate::autograd::batching::equal_rule(a, b) {
        return r;
    }
    if a.shape() != b.shape() {
        return false;
    }
    let dtype = DType::promote(a.dtype(), b.dtype());
    match data_as(a, dtype).binary(&data_as(b, dtype), BinaryOp::Eq) {
        Ok(eq) => eq
            .all(&[], false)
            .item()
            .map(|s| s.to_f64() != 0.0)
            .unwrap_or(false),
        Err(_) => false,
    }
}
