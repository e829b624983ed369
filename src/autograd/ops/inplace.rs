//! In-place ops. A tensor that requires grad is updated by computing the op out of place on a
//! snapshot (its old value at its old place in the graph), writing the result into its storage
//! (so every view sees it) and rebasing its grad_fn onto the new node, as PyTorch does.

use super::copy_slices::{self, check_inplace, check_no_internal_overlap, rebased_base};
use super::{add, clamp, div, mul, record, sub};
use crate::array::NdArray;
use crate::autograd::grad_mode::is_grad_enabled;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn has_tangent(t: &Tensor) -> bool {
    !t.0.tangents.borrow().is_empty()
}

/// The old value of `a` at its old place in the graph.
fn snapshot(a: &Tensor) -> Tensor {
    let data = a.array().deep_copy();
    let old = match a.grad_fn() {
        Some(node) => Tensor::from_node(data, node, a.output_nr()),
        None => Tensor::new(data),
    };
    for (level, t) in a.0.tangents.borrow().iter() {
        old.set_tangent(*level, Some(t.clone()));
    }
    old
}

/// Runs `f` on a snapshot of `a` and the other inputs, then writes the result back into `a`.
/// On a view whose base's history is tracked, the base is rebased instead (`copy_slices`).
fn apply_inplace(
    a: &Tensor,
    others: &[&Tensor],
    f: impl FnOnce(&Tensor) -> PyResult<Tensor>,
) -> PyResult<()> {
    check_inplace(a, others)?;
    check_no_internal_overlap(&a.array())?;
    if let Some(base) = rebased_base(a, others) {
        return copy_slices::apply(a, &base, |old| {
            let r = f(old)?;
            check_result(a, &r)?;
            Ok(r)
        });
    }
    // Under no_grad only forward-mode tangents are tracked: an optimizer's update of a
    // parameter (which requires grad) then writes in place with no snapshot and no node.
    let tracks = (is_grad_enabled()
        && (a.requires_grad() || others.iter().any(|t| t.requires_grad())))
        || has_tangent(a)
        || others.iter().any(|t| has_tangent(t));
    let src = if tracks {
        snapshot(a)
    } else {
        Tensor::new(a.array())
    };
    let r = f(&src)?;
    check_result(a, &r)?;
    a.array().copy_from(&r.array())?;
    if tracks && r.grad_fn().is_some() {
        a.set_grad_fn(r.grad_fn(), r.output_nr());
        a.sync_view_version();
    }
    for (level, t) in r.0.tangents.borrow().iter() {
        a.set_tangent(*level, Some(t.clone()));
    }
    Ok(())
}

/// The out-of-place result `r` of an in-place op on `a` must fit `a`.
fn check_result(a: &Tensor, r: &Tensor) -> PyResult<()> {
    if r.shape() != a.shape() {
        return Err(runtime_error(format!(
            "output with shape {:?} doesn't match the broadcast shape {:?}",
            a.shape(),
            r.shape()
        )));
    }
    if !a.dtype().is_floating() && r.dtype().is_floating() {
        return Err(runtime_error(format!(
            "result type {} can't be cast to the desired output type {}",
            r.dtype().title(),
            a.dtype().title()
        )));
    }
    Ok(())
}

pub fn add_(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_binary_rule(a, b, |a, b| add_(a, b, alpha))
    {
        return r;
    }
    apply_inplace(a, &[b], |s| add(s, b, alpha))
}

pub fn sub_(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_binary_rule(a, b, |a, b| sub_(a, b, alpha))
    {
        return r;
    }
    apply_inplace(a, &[b], |s| sub(s, b, alpha))
}

pub fn mul_(a: &Tensor, b: &Tensor) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_binary_rule(a, b, mul_) {
        return r;
    }
    apply_inplace(a, &[b], |s| mul(s, b))
}

pub fn div_(a: &Tensor, b: &Tensor) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_binary_rule(a, b, div_) {
        return r;
    }
    apply_inplace(a, &[b], |s| div(s, b))
}

pub fn clamp_(a: &Tensor, min: Option<f64>, max: Option<f64>) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_unary_rule(a, |p| clamp_(p, min, max)) {
        return r;
    }
    apply_inplace(a, &[], |s| clamp(s, min, max))
}

pub fn fill_(a: &Tensor, value: f64) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_unary_rule(a, |p| fill_(p, value)) {
        return r;
    }
    apply_inplace(a, &[], |s| {
        let out = NdArray::full(&s.shape(), value, s.dtype());
        Ok(record("FillBackward0", &[s], out, false, |_, g| {
            Ok(vec![Some(super::zeros_like(g))])
        }))
    })
}

pub fn zero_(a: &Tensor) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_unary_rule(a, zero_) {
        return r;
    }
    apply_inplace(a, &[], |s| {
        let out = NdArray::zeros(&s.shape(), s.dtype());
        Ok(record("ZeroBackward0", &[s], out, false, |_, g| {
            Ok(vec![Some(super::zeros_like(g))])
        }))
    })
}

/// `a.copy_(src)`: `CopyBackwards` (gradient flows to `src`, none to the old value).
pub fn copy_(a: &Tensor, src: &Tensor) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::inplace_binary_rule(a, src, copy_) {
        return r;
    }
    apply_inplace(a, &[src], |s| {
        let out = src.array().broadcast_to(&s.shape())?.to_dtype(s.dtype());
        Ok(record("CopyBackwards", &[s, src], out, false, |_, g| {
            Ok(vec![Some(super::zeros_like(g)), Some(g.clone())])
        }))
    })
}

/// Under vmap the three-operand in-place ops compute out of place (their batching rule) and
/// copy the result in (copy_'s rule).
fn batched(ts: &[&Tensor]) -> bool {
    ts.iter().any(|t| t.batch().is_some())
}

/// `a.addcmul_(t1, t2, value=...)`, the optimizers' moment updates.
pub fn addcmul_(a: &Tensor, t1: &Tensor, t2: &Tensor, value: f64) -> PyResult<()> {
    if batched(&[a, t1, t2]) {
        return copy_(a, &super::addcmul(a, t1, t2, value)?);
    }
    apply_inplace(a, &[t1, t2], |s| super::addcmul(s, t1, t2, value))
}

/// `a.addcdiv_(t1, t2, value=...)`, the optimizers' parameter updates.
pub fn addcdiv_(a: &Tensor, t1: &Tensor, t2: &Tensor, value: f64) -> PyResult<()> {
    if batched(&[a, t1, t2]) {
        return copy_(a, &super::addcdiv(a, t1, t2, value)?);
    }
    apply_inplace(a, &[t1, t2], |s| super::addcdiv(s, t1, t2, value))
}

/// `a.lerp_(end, weight)` with a number or a tensor weight.
pub fn lerp_(a: &Tensor, end: &Tensor, weight: Result<f64, &Tensor>) -> PyResult<()> {
    if batched(&[a, end]) || weight.is_err_and(|w| w.batch().is_some()) {
        let r = match weight {
            Ok(w) => super::lerp_scalar(a, end, w)?,
            Err(w) => super::lerp(a, end, w)?,
        };
        return copy_(a, &r);
    }
    match weight {
        Ok(w) => apply_inplace(a, &[end], |s| super::lerp_scalar(s, end, w)),
        Err(w) => apply_inplace(a, &[end, w], |s| super::lerp(s, end, w)),
    }
}
