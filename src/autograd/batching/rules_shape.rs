//! Batching rules for views and shape ops (dims shift by one, shapes get the batch size in
//! front), stack/cat (unbatched members are expanded), and indexing.

use super::{
    INPLACE_ERROR, batch_size_at, fallback1, materialize, pad_logical, top_level, unwrap_at, wrap,
};
use crate::array::{DType, normalize_dim};
use crate::autograd::ops::{self, TensorIndex};
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, index_error, runtime_error};

fn with_batch(inner: &Tensor, shape: &[isize]) -> Vec<isize> {
    let mut s = vec![inner.shape()[0] as isize];
    s.extend_from_slice(shape);
    s
}

/// Applies `f` to the physical tensor and wraps; `f` also sees the logical tensor.
fn on_inner(a: &Tensor, f: impl FnOnce(&Tensor) -> PyResult<Tensor>) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some(f(&b.inner).map(|r| wrap(r, b.level)))
}

pub(crate) fn view(a: &Tensor, shape: &[isize]) -> Option<PyResult<Tensor>> {
    // The physical tensor can be non-viewable (an expanded batch dim) where the logical one
    // is viewable; the values are the same either way.
    on_inner(a, |p| {
        let shape = with_batch(p, shape);
        ops::view(p, &shape).or_else(|_| ops::reshape(p, &shape))
    })
}

pub(crate) fn reshape(a: &Tensor, shape: &[isize]) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| ops::reshape(p, &with_batch(p, shape)))
}

/// `a[...]`: an alias of everything (`AliasBackward0`, PyTorch's squeeze of a 0-d tensor).
fn alias(p: &Tensor) -> PyResult<Tensor> {
    ops::index(p, &[TensorIndex::Ellipsis])
}

pub(crate) fn t(a: &Tensor) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| match a.ndim() {
        0 => ops::transpose(p, 0, 0),
        1 => ops::transpose(p, 1, 1),
        2 => ops::transpose(p, 1, 2),
        n => Err(runtime_error(format!(
            "t() expects a tensor with <= 2 dimensions, but self is {n}D"
        ))),
    })
}

pub(crate) fn transpose(a: &Tensor, d0: isize, d1: isize) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        let nd = a.ndim();
        let (x, y) = (normalize_dim(d0, nd)?, normalize_dim(d1, nd)?);
        if nd == 0 {
            return ops::transpose(p, 0, 0);
        }
        ops::transpose(p, x as isize + 1, y as isize + 1)
    })
}

pub(crate) fn permute(a: &Tensor, dims: &[isize]) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        let nd = a.ndim();
        if dims.len() != nd {
            return Err(runtime_error(format!(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {} is not equal to len(dims) = {}",
                nd,
                dims.len()
            )));
        }
        let mut pd = vec![0isize];
        for &d in dims {
            pd.push(normalize_dim(d, nd)? as isize + 1);
        }
        ops::permute(p, &pd)
    })
}

pub(crate) fn unsqueeze(a: &Tensor, dim: isize) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        let d = normalize_dim(dim, a.ndim() + 1)?;
        ops::unsqueeze(p, d as isize + 1)
    })
}

pub(crate) fn squeeze(a: &Tensor, dim: Option<isize>) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        let shape = a.shape();
        if shape.is_empty() {
            if let Some(d) = dim {
                normalize_dim(d, 0)?;
            }
            return alias(p);
        }
        match dim {
            // Never squeeze the batch dim: view to the logical shape without its 1s.
            None => {
                let kept: Vec<isize> = shape
                    .iter()
                    .filter(|&&s| s != 1)
                    .map(|&s| s as isize)
                    .collect();
                ops::view(p, &with_batch(p, &kept))
            }
            Some(d) => {
                let d = normalize_dim(d, shape.len())?;
                ops::squeeze(p, Some(d as isize + 1))
            }
        }
    })
}

pub(crate) fn expand(a: &Tensor, sizes: &[isize]) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        // New leading dims become size-1 dims after the batch dim (so -1 there keeps 1, as
        // functorch does).
        let p = pad_logical(p, sizes.len().max(a.ndim()))?;
        let mut s = vec![-1isize];
        s.extend_from_slice(sizes);
        ops::expand(&p, &s)
    })
}

pub(crate) fn repeat(a: &Tensor, sizes: &[usize]) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        let p = if sizes.len() >= a.ndim() {
            pad_logical(p, sizes.len())?
        } else {
            p.clone()
        };
        let mut s = vec![1usize];
        s.extend_from_slice(sizes);
        ops::repeat(&p, &s)
    })
}

/// The physical members of a stack/cat at the top level (unbatched ones expanded).
fn members(tensors: &[Tensor]) -> Option<(u64, PyResult<Vec<Tensor>>)> {
    let refs: Vec<&Tensor> = tensors.iter().collect();
    let level = top_level(&refs)?;
    let b = batch_size_at(&refs, level);
    Some((
        level,
        tensors.iter().map(|t| materialize(t, level, b)).collect(),
    ))
}

pub(crate) fn stack(tensors: &[Tensor], dim: isize) -> Option<PyResult<Tensor>> {
    let (level, phys) = members(tensors)?;
    Some((|| {
        let d = normalize_dim(dim, tensors[0].ndim() + 1)?;
        Ok(wrap(ops::stack(&phys?, d as isize + 1)?, level))
    })())
}

pub(crate) fn cat(tensors: &[Tensor], dim: isize) -> Option<PyResult<Tensor>> {
    let (level, phys) = members(tensors)?;
    Some((|| {
        let nd = tensors.iter().map(|t| t.ndim()).max().unwrap_or(0);
        let d = normalize_dim(dim, nd)?;
        Ok(wrap(ops::cat(&phys?, d as isize + 1)?, level))
    })())
}

fn wrap_all(level: u64, r: PyResult<Vec<Tensor>>) -> PyResult<Vec<Tensor>> {
    Ok(r?.into_iter().map(|t| wrap(t, level)).collect())
}

pub(crate) fn unbind(a: &Tensor, dim: isize) -> Option<PyResult<Vec<Tensor>>> {
    let b = a.batch()?;
    Some((|| {
        let d = normalize_dim(dim, a.ndim())?;
        wrap_all(b.level, ops::unbind(&b.inner, d as isize + 1))
    })())
}

pub(crate) fn split(a: &Tensor, size: usize, dim: isize) -> Option<PyResult<Vec<Tensor>>> {
    let b = a.batch()?;
    Some((|| {
        let d = normalize_dim(dim, a.ndim())?;
        wrap_all(b.level, ops::split(&b.inner, size, d as isize + 1))
    })())
}

pub(crate) fn select(a: &Tensor, dim: isize, index: isize) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        if a.ndim() == 0 {
            return Err(index_error("select() cannot be applied to a 0-dim tensor."));
        }
        let d = normalize_dim(dim, a.ndim())?;
        ops::select(p, d as isize + 1, index)
    })
}

pub(crate) fn slice(
    a: &Tensor,
    dim: isize,
    start: Option<isize>,
    end: Option<isize>,
    step: isize,
) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        if a.ndim() == 0 {
            return Err(index_error("slice() cannot be applied to a 0-dim tensor."));
        }
        let d = normalize_dim(dim, a.ndim())?;
        ops::slice(p, d as isize + 1, start, end, step)
    })
}

/// `diag`: a 1-D input becomes `v.unsqueeze(-1) * I` (offset 0) or `P^T (v.unsqueeze(-1) * Q)`
/// with 0/1 matrices placing the vector on diagonal `offset`: differentiable, one product.
pub(crate) fn diag(a: &Tensor, offset: isize) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| match a.ndim() {
        1 => {
            let n = a.shape()[0];
            let k = offset.unsigned_abs();
            let m = n + k;
            let dt = p.dtype();
            let placed = |shift: usize| -> Tensor {
                // [n, m] with ones at (i, i + shift).
                let mut data = vec![0.0f64; n * m];
                for i in 0..n {
                    data[i * m + i + shift] = 1.0;
                }
                ops::constant(crate::array::NdArray::from_vec(data, vec![n, m]).to_dtype(dt))
            };
            let (rows, cols) = if offset >= 0 { (0, k) } else { (k, 0) };
            let scaled = ops::mul(&ops::unsqueeze(p, -1)?, &placed(cols))?;
            if k == 0 {
                return Ok(scaled);
            }
            ops::matmul(&ops::t(&placed(rows))?, &scaled)
        }
        2 => ops::diagonal(p, offset, 1, 2),
        n => Err(runtime_error(format!(
            "diag(): Supports 1D or 2D tensors. Got {n}D"
        ))),
    })
}

pub(crate) fn diagonal(
    a: &Tensor,
    offset: isize,
    d1: isize,
    d2: isize,
) -> Option<PyResult<Tensor>> {
    on_inner(a, |p| {
        let nd = a.ndim();
        let (x, y) = (normalize_dim(d1, nd)?, normalize_dim(d2, nd)?);
        ops::diagonal(p, offset, x as isize + 1, y as isize + 1)
    })
}

pub(crate) fn diagonal_backward(
    g: &Tensor,
    sizes: &[usize],
    offset: isize,
    d1: isize,
    d2: isize,
) -> Option<PyResult<Tensor>> {
    on_inner(g, |p| {
        let nd = sizes.len();
        let (x, y) = (normalize_dim(d1, nd)?, normalize_dim(d2, nd)?);
        let mut s = vec![p.shape()[0]];
        s.extend_from_slice(sizes);
        ops::diagonal_backward(p, &s, offset, x as isize + 1, y as isize + 1)
    })
}

pub(crate) fn select_backward(
    g: &Tensor,
    sizes: &[usize],
    dim: usize,
    index: usize,
) -> Option<PyResult<Tensor>> {
    on_inner(g, |p| {
        let mut s = vec![p.shape()[0]];
        s.extend_from_slice(sizes);
        ops::select_backward(p, &s, dim + 1, index)
    })
}

pub(crate) fn slice_backward(
    g: &Tensor,
    sizes: &[usize],
    dim: usize,
    start: usize,
    end: usize,
    step: usize,
) -> Option<PyResult<Tensor>> {
    on_inner(g, |p| {
        let mut s = vec![p.shape()[0]];
        s.extend_from_slice(sizes);
        ops::slice_backward(p, &s, dim + 1, start, end, step)
    })
}

/// Index tensors inside a subscript.
fn index_tensors(indices: &[TensorIndex]) -> Vec<&Tensor> {
    indices
        .iter()
        .filter_map(|i| match i {
            TensorIndex::Tensor(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// Whether `[:, *indices]` on the physical tensor keeps the batch dim in front: basic indices,
/// or a single unbatched integer index tensor (whose result dims replace it in place).
fn prepend_slice_ok(indices: &[TensorIndex], level: u64) -> PyResult<bool> {
    let ts = index_tensors(indices);
    if ts.iter().any(|t| t.dtype() == DType::Bool) {
        return Err(runtime_error(
            "vmap: We do not support batching operators that can support dynamic shape. Attempting to batch over indexing with a boolean mask.",
        ));
    }
    Ok(ts.len() <= 1 && ts.iter().all(|t| !unwrap_at(t, level).1))
}

fn with_leading_slice(indices: &[TensorIndex]) -> Vec<TensorIndex> {
    let mut v = vec![TensorIndex::Slice(None, None, None)];
    v.extend(indices.iter().cloned());
    v
}

/// `t[indices]`: a leading full slice for basic indexing and one index tensor; else the
/// fallback loop (batched index tensors, several index tensors).
pub(crate) fn index(a: &Tensor, indices: &[TensorIndex]) -> Option<PyResult<Tensor>> {
    let mut all = vec![a];
    all.extend(index_tensors(indices));
    let level = top_level(&all)?;
    Some((|| {
        let (p, batched) = unwrap_at(a, level);
        if batched && prepend_slice_ok(indices, level)? {
            return Ok(wrap(ops::index(&p, &with_leading_slice(indices))?, level));
        }
        fallback1(&all, |args| {
            let mut k = 0;
            let ix: Vec<TensorIndex> = indices
                .iter()
                .map(|i| match i {
                    TensorIndex::Tensor(_) => {
                        k += 1;
                        TensorIndex::Tensor(args[k].clone())
                    }
                    other => other.clone(),
                })
                .collect();
            ops::index(&args[0], &ix)
        })
    })())
}

/// `t[indices] = value`: `self` must be batched at the top level.
pub(crate) fn index_put_(
    a: &Tensor,
    indices: &[TensorIndex],
    value: &Tensor,
) -> Option<PyResult<()>> {
    let mut all = vec![a, value];
    all.extend(index_tensors(indices));
    let level = top_level(&all)?;
    Some((|| {
        let (p, batched) = unwrap_at(a, level);
        if !batched {
            return Err(runtime_error(INPLACE_ERROR));
        }
        if !prepend_slice_ok(indices, level)? {
            return Err(runtime_error(
                "vmap: index assignment with several or batched index tensors is not supported",
            ));
        }
        let ix = with_leading_slice(indices);
        let (pv, v_batched) = unwrap_at(value, level);
        let pv = if v_batched {
            // Line the value's logical dims up with the right end of the target.
            let target_rank = {
                let _g = crate::autograd::GradModeGuard::new(false);
                ops::index(&p, &ix)?.ndim() - 1
            };
            if value.ndim() <= target_rank {
                pad_logical(&pv, target_rank)?
            } else {
                pv
            }
        } else {
            pv
        };
        ops::index_put_(&p, &ix, &pv)
    })())
}

pub(crate) fn index_select(a: &Tensor, dim: isize, index: &Tensor) -> Option<PyResult<Tensor>> {
    let level = top_level(&[a, index])?;
    Some((|| {
        let (p, batched) = unwrap_at(a, level);
        if batched && !unwrap_at(index, level).1 {
            let d = normalize_dim(dim, a.ndim())?;
            return Ok(wrap(ops::index_select(&p, d as isize + 1, index)?, level));
        }
        fallback1(&[a, index], |args| {
            ops::index_select(&args[0], dim, &args[1])
        })
    })())
}

pub(crate) fn gather(a: &Tensor, dim: isize, index: &Tensor) -> Option<PyResult<Tensor>> {
    let level = top_level(&[a, index])?;
    Some((|| {
        let b = batch_size_at(&[a, index], level);
        let d = normalize_dim(dim, a.ndim())?;
        let p = materialize(a, level, b)?;
        let pi = materialize(index, level, b)?;
        Ok(wrap(ops::gather(&p, d as isize + 1, &pi)?, level))
    })())
}

/// The fallback for the private gather/scatter helpers of advanced indexing.
pub(crate) fn fallback_unary(
    a: &Tensor,
    f: impl Fn(&Tensor) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    a.batch()?;
    Some(fallback1(&[a], |args| f(&args[0])))
}
