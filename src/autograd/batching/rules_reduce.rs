//! Batching rules for reductions, softmax and cumsum: logical dims shift by one; "all dims"
//! becomes dims 1..; a logical 0-d input gets a size-1 dim to reduce over, so a reduction never
//! touches the batch dim. Full reductions to one value (`max()`, `prod()`, `argmax()`) flatten
//! the logical dims first, as functorch does (so `max()` gives `MaxBackward0`).

use super::wrap;
use crate::array::normalize_dim;
use crate::autograd::ops;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

type Reduce<'a> = &'a dyn Fn(&Tensor, &[isize], bool) -> PyResult<Tensor>;

/// Applies a multi-dim reduction with logical `dims` (None or empty: all) to the physical tensor.
fn reduce_with(
    a: &Tensor,
    dims: Option<&[isize]>,
    keepdim: bool,
    f: Reduce<'_>,
) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        let ds = ops::reduce_dims(dims, a.ndim())?;
        let out = if a.ndim() == 0 {
            f(&ops::unsqueeze(&b.inner, 1)?, &[1], false)?
        } else {
            let pd: Vec<isize> = ds.iter().map(|&d| d as isize + 1).collect();
            f(&b.inner, &pd, keepdim)?
        };
        Ok(wrap(out, b.level))
    })())
}

/// The physical tensor and dim for a single-dim op at logical `dim` (0-d: a size-1 dim 1).
fn one_dim(a: &Tensor, inner: &Tensor, dim: isize) -> PyResult<(Tensor, isize, bool)> {
    let d = normalize_dim(dim, a.ndim())?;
    if a.ndim() == 0 {
        Ok((ops::unsqueeze(inner, 1)?, 1, true))
    } else {
        Ok((inner.clone(), d as isize + 1, false))
    }
}

/// The logical dims flattened into one: `[B, n]`.
fn flat(inner: &Tensor) -> PyResult<Tensor> {
    let b = inner.shape()[0] as isize;
    ops::reshape(inner, &[b, -1])
}

pub(crate) fn sum(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> Option<PyResult<Tensor>> {
    reduce_with(a, dims, keepdim, &|p, d, k| ops::sum(p, Some(d), k))
}

pub(crate) fn mean(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> Option<PyResult<Tensor>> {
    reduce_with(a, dims, keepdim, &|p, d, k| ops::mean(p, Some(d), k))
}

pub(crate) fn amax_amin(
    a: &Tensor,
    dims: &[isize],
    keepdim: bool,
    is_max: bool,
) -> Option<PyResult<Tensor>> {
    reduce_with(a, Some(dims), keepdim, &|p, d, k| {
        if is_max {
            ops::amax(p, d, k)
        } else {
            ops::amin(p, d, k)
        }
    })
}

pub(crate) fn norm(
    a: &Tensor,
    p: f64,
    dims: Option<&[isize]>,
    keepdim: bool,
) -> Option<PyResult<Tensor>> {
    reduce_with(a, dims, keepdim, &|x, d, k| ops::norm(x, p, Some(d), k))
}

pub(crate) fn var(
    a: &Tensor,
    dims: Option<&[isize]>,
    correction: f64,
    keepdim: bool,
    is_std: bool,
) -> Option<PyResult<Tensor>> {
    reduce_with(a, dims, keepdim, &|x, d, k| {
        if is_std {
            ops::std(x, Some(d), correction, k)
        } else {
            ops::var(x, Some(d), correction, k)
        }
    })
}

pub(crate) fn logsumexp(a: &Tensor, dims: &[isize], keepdim: bool) -> Option<PyResult<Tensor>> {
    reduce_with(a, Some(dims), keepdim, &|x, d, k| ops::logsumexp(x, d, k))
}

pub(crate) fn prod(a: &Tensor, dim: Option<isize>, keepdim: bool) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        let out = match dim {
            None => ops::prod(&flat(&b.inner)?, Some(1), false)?,
            Some(d) => {
                let (p, d, zero_d) = one_dim(a, &b.inner, d)?;
                ops::prod(&p, Some(d), keepdim && !zero_d)?
            }
        };
        Ok(wrap(out, b.level))
    })())
}

/// `max()`/`min()` over everything: `max(dim)` of the flattened logical dims.
pub(crate) fn extreme_all(a: &Tensor, is_max: bool) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        let name = if is_max { "max" } else { "min" };
        if a.numel() == 0 {
            return Err(runtime_error(format!(
                "{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."
            )));
        }
        let p = flat(&b.inner)?;
        let (v, _) = if is_max {
            ops::max_dim(&p, 1, false)?
        } else {
            ops::min_dim(&p, 1, false)?
        };
        Ok(wrap(v, b.level))
    })())
}

pub(crate) fn extreme_dim(
    a: &Tensor,
    dim: isize,
    keepdim: bool,
    is_max: bool,
) -> Option<PyResult<(Tensor, Tensor)>> {
    let b = a.batch()?;
    Some((|| {
        let (p, d, zero_d) = one_dim(a, &b.inner, dim)?;
        let k = keepdim && !zero_d;
        let (v, i) = if is_max {
            ops::max_dim(&p, d, k)?
        } else {
            ops::min_dim(&p, d, k)?
        };
        Ok((wrap(v, b.level), wrap(i, b.level)))
    })())
}

pub(crate) fn arg_extreme(
    a: &Tensor,
    dim: Option<isize>,
    keepdim: bool,
    is_max: bool,
) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        let f = |p: &Tensor, d: isize, k: bool| {
            if is_max {
                ops::argmax(p, Some(d), k)
            } else {
                ops::argmin(p, Some(d), k)
            }
        };
        let out = match dim {
            None => {
                let r = f(&flat(&b.inner)?, 1, false)?;
                if keepdim && a.ndim() > 0 {
                    // keepdim over everything: a tensor of ones of the input's rank.
                    let mut shape = vec![b.inner.shape()[0] as isize];
                    shape.extend(std::iter::repeat_n(1, a.ndim()));
                    ops::reshape(&r, &shape)?
                } else {
                    r
                }
            }
            Some(d) => {
                let (p, d, zero_d) = one_dim(a, &b.inner, d)?;
                f(&p, d, keepdim && !zero_d)?
            }
        };
        Ok(wrap(out, b.level))
    })())
}

/// `any`/`all` (dim None: everything).
pub(crate) fn any_all(
    a: &Tensor,
    dim: Option<isize>,
    keepdim: bool,
    is_any: bool,
) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        let f = |p: &Tensor, d: isize, k: bool| {
            if is_any {
                ops::any(p, Some(d), k)
            } else {
                ops::all(p, Some(d), k)
            }
        };
        let out = match dim {
            None => f(&flat(&b.inner)?, 1, false)?,
            Some(d) => {
                let (p, d, zero_d) = one_dim(a, &b.inner, d)?;
                f(&p, d, keepdim && !zero_d)?
            }
        };
        Ok(wrap(out, b.level))
    })())
}

/// Ops along one dim keeping the shape (softmax, log_softmax, cumsum).
pub(crate) fn along_dim(
    a: &Tensor,
    dim: isize,
    f: impl FnOnce(&Tensor, isize) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        let (p, d, zero_d) = one_dim(a, &b.inner, dim)?;
        let out = f(&p, d)?;
        let out = if zero_d {
            ops::squeeze(&out, Some(1))?
        } else {
            out
        };
        Ok(wrap(out, b.level))
    })())
}

/// `trace` = sum of the diagonal of the last two physical dims (`SumBackward1`, as PyTorch).
pub(crate) fn trace(a: &Tensor) -> Option<PyResult<Tensor>> {
    let b = a.batch()?;
    Some((|| {
        if a.ndim() != 2 {
            return Err(runtime_error(format!(
                "trace: expected a matrix, but got tensor with dim {}",
                a.ndim()
            )));
        }
        let d = ops::diagonal(&b.inner, 0, 1, 2)?;
        Ok(wrap(ops::sum(&d, Some(&[-1]), false)?, b.level))
    })())
}
