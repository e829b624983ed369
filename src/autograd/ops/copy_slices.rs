//! In-place ops on views (PyTorch's `CopySlices`). Writing through a view changes its base, so
//! the base's history is rewritten: the op runs out of place on the view's elements of a
//! snapshot of the base, the result is scattered back into that snapshot by a `CopySlices`
//! node (which becomes the base's grad_fn), and the view's grad_fn becomes
//! `AsStridedBackward0` of the base. Other views of the same base regenerate theirs on their
//! next `grad_fn()` (`Tensor::refresh_view_grad_fn`), as PyTorch's `VariableHooks::grad_fn`.

use super::{Jvp, record, to_dtype};
use crate::array::NdArray;
use crate::autograd::grad_mode::{GradModeGuard, is_grad_enabled};
use crate::autograd::graph::Node;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};
use std::rc::Rc;

/// PyTorch's `check_inplace`: the errors of an in-place op on `a` when grad is tracked.
pub(crate) fn check_inplace(a: &Tensor, others: &[&Tensor]) -> PyResult<()> {
    let requires_grad = a.requires_grad() || others.iter().any(|t| t.requires_grad());
    if !(requires_grad && is_grad_enabled()) {
        return Ok(());
    }
    if let Some(view) = a.view_meta().as_ref() {
        if view.no_grad {
            return Err(runtime_error(
                "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).",
            ));
        }
        if let Some((name, output)) = view.multi {
            let op = name.trim_end_matches(|c: char| c.is_ascii_digit());
            let op = op.strip_suffix("Backward").unwrap_or(op);
            return Err(runtime_error(format!(
                "Output {output} of {op} is a view and is being modified inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one."
            )));
        }
        if a.requires_grad() && view.base.is_leaf() {
            return Err(runtime_error(
                "a view of a leaf Variable that requires grad is being used in an in-place operation.",
            ));
        }
    }
    if a.requires_grad() && a.is_leaf() {
        return Err(runtime_error(
            "a leaf Variable that requires grad is being used in an in-place operation.",
        ));
    }
    Ok(())
}

/// PyTorch's `assert_no_internal_overlap` for the written-to tensor of an in-place op.
pub(crate) fn check_no_internal_overlap(a: &NdArray) -> PyResult<()> {
    if a.shape()
        .iter()
        .zip(a.strides())
        .any(|(&n, &s)| n > 1 && s == 0)
    {
        return Err(runtime_error(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
        ));
    }
    Ok(())
}

/// The base whose history an in-place op on `a` rewrites, when `a` is a view and grad is
/// tracked. Forward-mode tangents and vmap keep the direct path (they are set on `a` itself).
pub(crate) fn rebased_base(a: &Tensor, others: &[&Tensor]) -> Option<Tensor> {
    if !is_grad_enabled() || a.is_batched() {
        return None;
    }
    let base = a.view_base()?;
    let tracked = a.requires_grad() || others.iter().any(|t| t.requires_grad());
    let tangents = |t: &Tensor| !t.0.tangents.borrow().is_empty();
    if !tracked || tangents(a) || tangents(&base) || others.iter().any(|t| tangents(t)) {
        return None;
    }
    Some(base)
}

/// Row-major positions in `base` of the elements of `view` (both on one storage).
fn positions_in_base(view: &NdArray, base: &NdArray) -> PyResult<NdArray> {
    let len = base.storage().len().max(view.storage().len());
    let mut at = vec![-1i64; len];
    for (k, s) in base.storage_indices().into_iter().enumerate() {
        at[s] = k as i64;
    }
    let pos = view
        .storage_indices()
        .into_iter()
        .map(|s| match at[s] {
            -1 => Err(runtime_error(
                "gradbook internal error: a view reaches outside its base",
            )),
            k => Ok(k),
        })
        .collect::<PyResult<Vec<i64>>>()?;
    Ok(NdArray::from_vec(pos, view.shape().to_vec()))
}

/// The grad_fn of a view regenerated from its base: `AsStridedBackward0`.
pub(crate) fn as_strided_of_base(base: &Tensor, view: &NdArray) -> PyResult<Rc<Node>> {
    let pos = positions_in_base(view, &base.array())?;
    let _on = GradModeGuard::new(true);
    super::index::take_named("AsStridedBackward0", base, &pos, Jvp::Transpose)?
        .grad_fn()
        .ok_or_else(|| runtime_error("gradbook internal error: view of a base without grad"))
}

/// The old value of `a` at its old place in the graph.
fn snapshot(a: &Tensor) -> Tensor {
    let data = a.array().deep_copy();
    match a.grad_fn() {
        Some(node) => Tensor::from_node(data, node, a.output_nr()),
        None => Tensor::new(data),
    }
}

/// `old_base` with the elements at `pos` replaced by `src`, recorded as `CopySlices`: the
/// base's gradient passes except where the view was written, which goes to `src`.
fn copy_slices(old_base: &Tensor, pos: &NdArray, src: &Tensor) -> PyResult<Tensor> {
    let out = old_base.array().deep_copy();
    let values = src.array().contiguous().view(&[-1])?;
    let flat: Rc<Vec<i64>> = Rc::new(pos.to_vec::<i64>());
    super::index::write_positions(&out, &flat, &values)?;
    // The base's gradient passes where the view was not written (a mask, and a gather for
    // the view's part: both batch under vmap, so jacrev through an assignment works).
    let keep = NdArray::full(&old_base.shape(), 1.0, old_base.dtype());
    super::index::write_positions(&keep, &flat, &NdArray::zeros(&[flat.len()], keep.dtype()))?;
    let p = pos.clone();
    Ok(record(
        "CopySlices",
        &[old_base, src],
        out,
        false,
        move |_, g| {
            let keep = Tensor::new(keep.to_dtype(g.dtype()));
            Ok(vec![
                Some(super::mul(g, &keep)?),
                Some(super::index::take(g, &p)?),
            ])
        },
    ))
}

/// Runs the in-place op `f` (the view's new value from its old one) on the view `a` of
/// `base`, rewriting the base's history.
pub(crate) fn apply(
    a: &Tensor,
    base: &Tensor,
    f: impl FnOnce(&Tensor) -> PyResult<Tensor>,
) -> PyResult<()> {
    let pos = positions_in_base(&a.array(), &base.array())?;
    let old_base = snapshot(base);
    let old_view = super::index::take_named("AsStridedBackward0", &old_base, &pos, Jvp::Transpose)?;
    let r = f(&old_view)?;
    let r = if r.dtype() == base.dtype() {
        r
    } else {
        to_dtype(&r, base.dtype())?
    };
    let new_base = copy_slices(&old_base, &pos, &r)?;
    base.array().copy_from(&new_base.array())?;
    base.set_grad_fn(new_base.grad_fn(), 0);
    let node = as_strided_of_base(base, &a.array())?;
    a.set_grad_fn(Some(node), 0);
    a.sync_view_version();
    Ok(())
}
