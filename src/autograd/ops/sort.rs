//! Sorting and order statistics: `sort`, `topk`, `kthvalue`, `median`. Each returns its values
//! through a node (`SortBackward0`, `TopkBackward0`, ...) and its indices as a plain int64
//! tensor. The backward puts the gradient back at the selected positions (PyTorch's
//! `value_selecting_reduction_backward`), written as a `gather` from the gradient padded with
//! one zero slot, so it is differentiable and batches under vmap.

use super::{cat, div, gather, lin1, mul, record, record_jvp, restore_dims};
use crate::array::{BinaryOp, NdArray, UnaryOp, normalize_dim};
use crate::autograd::batching;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, index_error, runtime_error};

/// `zeros(sizes).scatter(dim, indices, grad)` with differentiable ops. `indices` has `sizes`'
/// shape except `k` along `dim`.
fn scatter_into_zeros(
    grad: &Tensor,
    dim: usize,
    indices: &NdArray,
    sizes: &[usize],
) -> PyResult<Tensor> {
    let n = sizes[dim];
    let k = indices.shape()[dim];
    // inv[..., i, ...] = the slot of the gradient that lands at position i (k: the zero pad).
    let (pre, _, post) = split(sizes, dim);
    let idx = indices.to_vec::<i64>();
    let mut inv = vec![k as i64; pre * n * post];
    for a in 0..pre {
        for j in 0..k {
            for c in 0..post {
                let i = idx[(a * k + j) * post + c] as usize;
                inv[(a * n + i) * post + c] = j as i64;
            }
        }
    }
    let inv = Tensor::new(NdArray::from_vec(inv, sizes.to_vec()));
    let padded = if k < n {
        let mut zshape = grad.shape();
        zshape[dim] = 1;
        let zeros = Tensor::new(NdArray::zeros(&zshape, grad.dtype()));
        cat(&[grad.clone(), zeros], dim as isize)?
    } else {
        grad.clone()
    };
    gather(&padded, dim as isize, &inv)
}

fn split(shape: &[usize], dim: usize) -> (usize, usize, usize) {
    let pre = shape[..dim].iter().product();
    let post = shape[dim + 1..].iter().product();
    (pre, shape[dim], post)
}

/// Records the values of a selection along `dim` (indices with `keep` entries along `dim`;
/// `keepdim=false` results have `dim` squeezed away).
fn record_selection(
    name: &'static str,
    a: &Tensor,
    dim: usize,
    values: NdArray,
    indices: NdArray,
    keepdim: bool,
) -> PyResult<(Tensor, Tensor)> {
    let sizes = a.shape();
    let zero_d = sizes.is_empty();
    let idx_k = if keepdim || zero_d {
        indices.clone()
    } else {
        indices.unsqueeze(dim as isize)?
    };
    let index_t = Tensor::new(idx_k.clone());
    let jvp = lin1(move |t| {
        if zero_d {
            return Ok(t.clone());
        }
        let r = gather(t, dim as isize, &index_t)?;
        if keepdim {
            Ok(r)
        } else {
            super::squeeze(&r, Some(dim as isize))
        }
    });
    let values = record_jvp(name, &[a], values, false, jvp, move |_, g| {
        if zero_d {
            return Ok(vec![Some(g.clone())]);
        }
        let g = restore_dims(g, &[dim], keepdim)?;
        Ok(vec![Some(scatter_into_zeros(&g, dim, &idx_k, &sizes)?)])
    });
    Ok((values, Tensor::new(indices)))
}

/// Runs a two-output selection once per batch element under vmap.
fn batched(
    a: &Tensor,
    f: impl Fn(&Tensor) -> PyResult<(Tensor, Tensor)>,
) -> Option<PyResult<(Tensor, Tensor)>> {
    a.batch()?;
    Some(
        batching::fallback(&[a], |args| {
            let (v, i) = f(&args[0])?;
            Ok(vec![v, i])
        })
        .and_then(|mut outs| {
            let i = outs.pop();
            let v = outs.pop();
            match (v, i) {
                (Some(v), Some(i)) => Ok((v, i)),
                _ => Err(runtime_error("vmap: internal selection error")),
            }
        }),
    )
}

/// `torch.sort(input, dim=-1, descending=False, stable=False)`: stable in every case, as
/// ATen's CPU sort. `stable=True` names the node `SortBackward1`, as PyTorch does.
pub fn sort(a: &Tensor, dim: isize, descending: bool, stable: bool) -> PyResult<(Tensor, Tensor)> {
    if let Some(r) = batched(a, |p| sort(p, dim, descending, stable)) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape().get(d).copied().unwrap_or(1);
    let (v, i) = a.array().sorted_along(d, descending, n);
    let name = if stable {
        "SortBackward1"
    } else {
        "SortBackward0"
    };
    record_selection(name, a, d, v, i, true)
}

/// `torch.topk(input, k, dim=-1, largest=True, sorted=True)`.
pub fn topk(a: &Tensor, k: i64, dim: isize, largest: bool) -> PyResult<(Tensor, Tensor)> {
    if let Some(r) = batched(a, |p| topk(p, k, dim, largest)) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape().get(d).copied().unwrap_or(1);
    if k < 0 || k as usize > n {
        return Err(runtime_error("selected index k out of range"));
    }
    if a.ndim() == 0 {
        // A 0-d tensor is its own top element, whatever k (0 or 1), as in ATen.
        let (v, i) = topk(&super::unsqueeze(a, 0)?, 1, 0, largest)?;
        return Ok((super::squeeze(&v, Some(0))?, super::squeeze(&i, Some(0))?));
    }
    let (v, i) = a.array().sorted_along(d, largest, k as usize);
    record_selection("TopkBackward0", a, d, v, i, true)
}

/// `kth_along` with the reduced dim kept when asked.
fn kth(
    a: &NdArray,
    d: usize,
    k: usize,
    nan_wins: bool,
    keepdim: bool,
) -> PyResult<(NdArray, NdArray)> {
    let (v, i) = a.kth_along(d, k, nan_wins);
    if keepdim && a.ndim() > 0 {
        return Ok((v.unsqueeze(d as isize)?, i.unsqueeze(d as isize)?));
    }
    Ok((v, i))
}

/// `torch.kthvalue(input, k, dim=-1, keepdim=False)` (k counts from 1).
pub fn kthvalue(a: &Tensor, k: i64, dim: isize, keepdim: bool) -> PyResult<(Tensor, Tensor)> {
    if let Some(r) = batched(a, |p| kthvalue(p, k, dim, keepdim)) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape().get(d).copied().unwrap_or(1);
    if k < 1 || k as usize > n {
        return Err(runtime_error(format!(
            "kthvalue(): selected number k out of range for dimension {d}"
        )));
    }
    let (v, i) = kth(&a.array(), d, k as usize - 1, false, keepdim)?;
    record_selection("KthvalueBackward0", a, d, v, i, keepdim)
}

/// `torch.median(input, dim, keepdim=False)`: the lower median and its index; NaN propagates.
pub fn median_dim(a: &Tensor, dim: isize, keepdim: bool) -> PyResult<(Tensor, Tensor)> {
    if let Some(r) = batched(a, |p| median_dim(p, dim, keepdim)) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape().get(d).copied().unwrap_or(1);
    if n == 0 {
        return Err(index_error(format!(
            "median(): Expected reduction dim {d} to have non-zero size."
        )));
    }
    let (v, i) = kth(&a.array(), d, (n - 1) / 2, true, keepdim)?;
    record_selection("MedianBackward1", a, d, v, i, keepdim)
}

/// `torch.median(input)`: the lower median of all elements (NaN if any is NaN). The gradient
/// is shared evenly by the elements equal to it (`evenly_distribute_backward`).
pub fn median_all(a: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = batching::unary_rule(a, |p| {
        let flat = super::reshape(p, &[p.shape()[0] as isize, -1])?;
        Ok(median_dim(&flat, 1, false)?.0)
    }) {
        return r;
    }
    let flat = a.array().reshape(&[-1])?;
    let value = if flat.numel() == 0 {
        NdArray::scalar(f64::NAN, a.dtype())
    } else {
        kth(&flat, 0, (flat.numel() - 1) / 2, true, false)?.0
    };
    let (x, v) = (a.clone(), value.clone());
    Ok(record(
        "MedianBackward0",
        &[a],
        value,
        false,
        move |_, g| {
            let xa = x.array();
            let is_nan = v.to_vec::<f64>().first().is_some_and(|f| f.is_nan());
            let m = if is_nan {
                xa.unary(UnaryOp::IsNan)
            } else {
                xa.binary(&v, BinaryOp::Eq)?
            };
            let count = Tensor::new(m.sum(&[], false).to_dtype(g.dtype()));
            let mask = Tensor::new(m.to_dtype(g.dtype()));
            Ok(vec![Some(mul(&mask, &div(g, &count)?)?)])
        },
    ))
}

/// `argsort`: the indices of `sort`.
pub fn argsort(a: &Tensor, dim: isize, descending: bool) -> PyResult<Tensor> {
    let _guard = crate::autograd::GradModeGuard::new(false);
    Ok(sort(a, dim, descending, false)?.1)
}
