//! Batching rules for pointwise ops: unary functions, broadcasting binary ops (with the type
//! promotion computed on the logical tensors, as functorch's `_binary_pointwise_helper`), the
//! pointwise backward helpers and the in-place ops.

use super::{INPLACE_ERROR, pad_logical, top_level, unwrap_at, wrap};
use crate::autograd::ops;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

/// A shape-preserving op of one tensor: apply `f` to the physical tensor and re-wrap.
pub(crate) fn unary_rule(
    a: &Tensor,
    f: impl FnOnce(&Tensor) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some(f(&b.inner).map(|r| wrap(r, b.level)))
}

/// `unary_rule` for ops that cannot fail.
pub(crate) fn unary_rule_infallible(
    a: &Tensor,
    f: impl FnOnce(&Tensor) -> Tensor,
) -> Option<Tensor> {
    let b = a.batch()?;
    Some(wrap(f(&b.inner), b.level))
}

/// The physical operands at `level`, batched ones padded to the common logical rank.
pub(crate) fn aligned(inputs: &[&Tensor], level: u64) -> PyResult<Vec<Tensor>> {
    let rank = inputs.iter().map(|t| t.ndim()).max().unwrap_or(0);
    inputs
        .iter()
        .map(|t| {
            let (p, batched) = unwrap_at(t, level);
            if batched {
                pad_logical(&p, rank)
            } else {
                Ok(p)
            }
        })
        .collect()
}

/// Casts the physical operands to the dtype the logical operands promote to, when the
/// physical ranks would promote differently (a batched 0-d tensor is 1-d physically).
fn promote(logical: (&Tensor, &Tensor), phys: (Tensor, Tensor)) -> PyResult<(Tensor, Tensor)> {
    let want = ops::result_type(logical.0, logical.1);
    if ops::result_type(&phys.0, &phys.1) == want {
        return Ok(phys);
    }
    let cast = |t: Tensor| -> PyResult<Tensor> {
        if t.dtype() == want {
            Ok(t)
        } else {
            ops::to_dtype(&t, want)
        }
    };
    Ok((cast(phys.0)?, cast(phys.1)?))
}

/// A broadcasting binary op: align, promote, apply, wrap.
pub(crate) fn binary_rule(
    a: &Tensor,
    b: &Tensor,
    f: impl FnOnce(&Tensor, &Tensor) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    let level = top_level(&[a, b])?;
    Some((|| {
        let mut p = aligned(&[a, b], level)?;
        let (pb, pa) = (p.pop(), p.pop());
        let (Some(pa), Some(pb)) = (pa, pb) else {
            return Err(runtime_error("vmap: internal operand error"));
        };
        let (pa, pb) = promote((a, b), (pa, pb))?;
        Ok(wrap(f(&pa, &pb)?, level))
    })())
}

/// A broadcasting op of several tensors without type promotion (backward helpers, masks).
pub(crate) fn pointwise_rule(
    inputs: &[&Tensor],
    f: impl FnOnce(&[Tensor]) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    let level = top_level(inputs)?;
    Some(aligned(inputs, level).and_then(|p| Ok(wrap(f(&p)?, level))))
}

/// `torch.where(cond, a, b)`: a and b promoted as the logical operands.
pub(crate) fn where_rule(cond: &Tensor, a: &Tensor, b: &Tensor) -> Option<PyResult<Tensor>> {
    let level = top_level(&[cond, a, b])?;
    Some((|| {
        let p = aligned(&[cond, a, b], level)?;
        let (pa, pb) = promote((a, b), (p[1].clone(), p[2].clone()))?;
        Ok(wrap(ops::where_(&p[0], &pa, &pb)?, level))
    })())
}

/// In-place binary ops (`add_`, `copy_`, ...): `self` must be batched at the top level.
pub(crate) fn inplace_binary_rule(
    a: &Tensor,
    b: &Tensor,
    f: impl FnOnce(&Tensor, &Tensor) -> PyResult<()>,
) -> Option<PyResult<()>> {
    let level = top_level(&[a, b])?;
    Some((|| {
        let (pa, a_batched) = unwrap_at(a, level);
        if !a_batched {
            return Err(runtime_error(INPLACE_ERROR));
        }
        let (pb, b_batched) = unwrap_at(b, level);
        let pb = if b_batched && b.ndim() <= a.ndim() {
            pad_logical(&pb, a.ndim())?
        } else {
            pb
        };
        f(&pa, &pb)
    })())
}

/// In-place ops of `self` alone (`clamp_`, `fill_`, `zero_`).
pub(crate) fn inplace_unary_rule(
    a: &Tensor,
    f: impl FnOnce(&Tensor) -> PyResult<()>,
) -> Option<PyResult<()>> {
    let b = a.batch()?;
    Some(f(&b.inner))
}

/// `softmax_backward_data`-style ops: pointwise in two tensors plus a reduction along `dim`
/// (a logical dim of the common shape). Unbatched operands get a size-1 batch dim.
pub(crate) fn pointwise_dim_rule(
    grad: &Tensor,
    y: &Tensor,
    dim: usize,
    f: impl FnOnce(&Tensor, &Tensor, usize) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    let level = top_level(&[grad, y])?;
    Some((|| {
        let rank = grad.ndim().max(y.ndim());
        let phys = |t: &Tensor| -> PyResult<Tensor> {
            let (p, batched) = unwrap_at(t, level);
            let p = if batched { p } else { ops::unsqueeze(&p, 0)? };
            // A 0-d logical operand reduces over a size-1 dim of its own.
            pad_logical(&p, rank.max(1))
        };
        let (pg, py) = (phys(grad)?, phys(y)?);
        let out = f(&pg, &py, if rank == 0 { 1 } else { dim + 1 })?;
        let out = if rank == 0 {
            ops::squeeze(&out, Some(1))?
        } else {
            out
        };
        Ok(wrap(out, level))
    })())
}

/// `equal` cannot raise: compares every batch element (both operands given a batch dim).
pub(crate) fn equal_rule(a: &Tensor, b: &Tensor) -> Option<bool> {
    let level = top_level(&[a, b])?;
    let n = super::batch_size_at(&[a, b], level);
    let phys = || -> PyResult<(Tensor, Tensor)> {
        Ok((
            super::materialize(a, level, n)?,
            super::materialize(b, level, n)?,
        ))
    };
    Some(match phys() {
        Ok((pa, pb)) => ops::equal(&pa, &pb),
        Err(_) => false,
    })
}
