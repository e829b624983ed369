//! Shape ops and views. Views share storage with their input; backward formulas follow
//! derivatives.yaml (e.g. `unsqueeze` → `grad.squeeze(dim)`).

use super::{lin1, record, record_jvp, record_multi};
use crate::array::{DType, NdArray, normalize_dim};
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn isz(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&s| s as isize).collect()
}

pub fn view(a: &Tensor, shape: &[isize]) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::view(a, shape) {
        return r;
    }
    let out = a.array().view(shape)?;
    let sizes = a.shape();
    let out = record_jvp(
        "ViewBackward0",
        &[a],
        out,
        false,
        lin1({
            let s = shape.to_vec();
            move |t| view(t, &s)
        }),
        move |_, g| Ok(vec![Some(reshape(g, &isz(&sizes))?)]),
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![("self_sym_sizes", crate::autograd::saved::sizes(&a.shape()))]
    }))
}

/// `reshape`: a view (`ViewBackward0`) when possible, else clone + `_unsafe_view`
/// (`UnsafeViewBackward0`), as PyTorch.
pub fn reshape(a: &Tensor, shape: &[isize]) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::reshape(a, shape) {
        return r;
    }
    let target = a.array().infer_shape(shape)?;
    if a.array().can_view(&target) {
        return view(a, &isz(&target));
    }
    let c = clone_contiguous(a);
    let out = c.array().view(&isz(&target))?;
    let sizes = a.shape();
    Ok(record_jvp(
        "UnsafeViewBackward0",
        &[&c],
        out,
        false,
        lin1({
            let s = isz(&target);
            move |t| reshape(t, &s)
        }),
        move |_, g| Ok(vec![Some(reshape(g, &isz(&sizes))?)]),
    ))
}

pub fn flatten(a: &Tensor, start_dim: isize, end_dim: isize) -> PyResult<Tensor> {
    if a.ndim() == 0 {
        return reshape(a, &[1]);
    }
    let s = normalize_dim(start_dim, a.ndim())?;
    let e = normalize_dim(end_dim, a.ndim())?;
    if s > e {
        return Err(runtime_error(
            "flatten() has invalid args: start_dim cannot come after end_dim",
        ));
    }
    if s == e {
        return Ok(a.clone());
    }
    let shape = a.shape();
    let mut new: Vec<isize> = shape[..s].iter().map(|&v| v as isize).collect();
    new.push(shape[s..=e].iter().product::<usize>() as isize);
    new.extend(shape[e + 1..].iter().map(|&v| v as isize));
    reshape(a, &new)
}

pub fn t(a: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::t(a) {
        return r;
    }
    let out = a.array().t()?;
    Ok(record_jvp(
        "TBackward0",
        &[a],
        out,
        false,
        lin1(t),
        |_, g| Ok(vec![Some(t(g)?)]),
    ))
}

pub fn transpose(a: &Tensor, d0: isize, d1: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::transpose(a, d0, d1) {
        return r;
    }
    let out = a.array().transpose(d0, d1)?;
    Ok(record_jvp(
        "TransposeBackward0",
        &[a],
        out,
        false,
        lin1(move |x| transpose(x, d0, d1)),
        move |_, g| Ok(vec![Some(transpose(g, d0, d1)?)]),
    ))
}

pub fn permute(a: &Tensor, dims: &[isize]) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::permute(a, dims) {
        return r;
    }
    let out = a.array().permute(dims)?;
    let nd = a.ndim();
    let norm: Vec<usize> = dims
        .iter()
        .map(|&d| normalize_dim(d, nd))
        .collect::<PyResult<_>>()?;
    let mut inverse = vec![0isize; nd];
    for (i, &d) in norm.iter().enumerate() {
        inverse[d] = i as isize;
    }
    Ok(record_jvp(
        "PermuteBackward0",
        &[a],
        out,
        false,
        lin1({
            let ds = dims.to_vec();
            move |x| permute(x, &ds)
        }),
        move |_, g| Ok(vec![Some(permute(g, &inverse)?)]),
    ))
}

/// `movedim(source, destination)`: a `permute`, as in PyTorch.
pub fn movedim(a: &Tensor, source: &[isize], destination: &[isize]) -> PyResult<Tensor> {
    let nd = a.ndim();
    if source.len() != destination.len() {
        return Err(runtime_error(format!(
            "movedim: Invalid source or destination dims: source ({:?} dims) should contain the same number of dims as destination ({:?} dims)",
            source, destination
        )));
    }
    let src: Vec<usize> = source
        .iter()
        .map(|&d| normalize_dim(d, nd))
        .collect::<PyResult<_>>()?;
    let dst: Vec<usize> = destination
        .iter()
        .map(|&d| normalize_dim(d, nd))
        .collect::<PyResult<_>>()?;
    let mut order: Vec<Option<usize>> = vec![None; nd];
    for (s, d) in src.iter().zip(&dst) {
        order[*d] = Some(*s);
    }
    let mut rest = (0..nd).filter(|d| !src.contains(d));
    let perm: Vec<isize> = order
        .into_iter()
        .map(|o| o.or_else(|| rest.next()).unwrap_or(0) as isize)
        .collect();
    permute(a, &perm)
}

pub fn unsqueeze(a: &Tensor, dim: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unsqueeze(a, dim) {
        return r;
    }
    let out = a.array().unsqueeze(dim)?;
    let d = normalize_dim(dim, a.ndim() + 1)? as isize;
    Ok(record_jvp(
        "UnsqueezeBackward0",
        &[a],
        out,
        false,
        lin1(move |x| unsqueeze(x, d)),
        move |_, g| Ok(vec![Some(squeeze(g, Some(d))?)]),
    ))
}

pub fn squeeze(a: &Tensor, dim: Option<isize>) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::squeeze(a, dim) {
        return r;
    }
    let out = a.array().squeeze(dim)?;
    let sizes = a.shape();
    match dim {
        None => Ok(record_jvp(
            "SqueezeBackward0",
            &[a],
            out,
            false,
            lin1(|x| squeeze(x, None)),
            move |_, g| {
                let mut r = g.clone();
                for (d, &s) in sizes.iter().enumerate() {
                    if s == 1 {
                        r = unsqueeze(&r, d as isize)?;
                    }
                }
                Ok(vec![Some(r)])
            },
        )),
        Some(d) => {
            let d = if sizes.is_empty() {
                0
            } else {
                normalize_dim(d, sizes.len())?
            };
            Ok(record_jvp(
                "SqueezeBackward1",
                &[a],
                out,
                false,
                lin1(move |x| squeeze(x, Some(d as isize))),
                move |_, g| Ok(vec![Some(unsqueeze_to(g, d, &sizes)?)]),
            ))
        }
    }
}

fn unsqueeze_to(g: &Tensor, dim: usize, sizes: &[usize]) -> PyResult<Tensor> {
    if sizes.get(dim) == Some(&1) && g.ndim() < sizes.len() {
        unsqueeze(g, dim as isize)
    } else {
        Ok(g.clone())
    }
}

/// `squeeze_(dim)` as the last step of 1-D @ 2-D matmul: PyTorch names its node after the
/// in-place overload, `SqueezeBackward4`.
pub(crate) fn squeeze_inplace_dim(a: &Tensor, dim: usize) -> PyResult<Tensor> {
    let out = a.array().squeeze(Some(dim as isize))?;
    let sizes = a.shape();
    Ok(record_jvp(
        "SqueezeBackward4",
        &[a],
        out,
        false,
        lin1(move |x| squeeze(x, Some(dim as isize))),
        move |_, g| Ok(vec![Some(unsqueeze_to(g, dim, &sizes)?)]),
    ))
}

pub fn expand(a: &Tensor, sizes: &[isize]) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::expand(a, sizes) {
        return r;
    }
    let out = a.array().expand(sizes)?;
    if out.shape() == a.shape().as_slice() && a.ndim() == sizes.len() {
        // PyTorch still records ExpandBackward0 for a no-op expand.
    }
    let shape = a.shape();
    Ok(record_jvp(
        "ExpandBackward0",
        &[a],
        out,
        false,
        lin1({
            let s = sizes.to_vec();
            move |x| expand(x, &s)
        }),
        move |_, g| Ok(vec![Some(sum_to(g, &shape)?)]),
    ))
}

pub fn expand_as(a: &Tensor, other: &Tensor) -> PyResult<Tensor> {
    expand(a, &isz(&other.shape()))
}

pub fn broadcast_to(a: &Tensor, shape: &[usize]) -> PyResult<Tensor> {
    expand(a, &isz(shape))
}

/// PyTorch's `at::sum_to`: sums `grad` down to `shape` (leading dims, then size-1 dims).
pub fn sum_to(grad: &Tensor, shape: &[usize]) -> PyResult<Tensor> {
    let gshape = grad.shape();
    if gshape == shape {
        return Ok(grad.clone());
    }
    let leading = gshape.len().saturating_sub(shape.len());
    let mut dims: Vec<isize> = (0..leading as isize).collect();
    for (i, &s) in shape.iter().enumerate() {
        if s == 1 && gshape[leading + i] != 1 {
            dims.push((leading + i) as isize);
        }
    }
    let mut r = grad.clone();
    if !dims.is_empty() {
        r = super::sum(&r, Some(&dims), true)?;
    }
    if leading > 0 {
        r = view(&r, &isz(shape))?;
    }
    Ok(r)
}

pub fn repeat(a: &Tensor, sizes: &[usize]) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::repeat(a, sizes) {
        return r;
    }
    let out = a.array().repeat(sizes)?;
    let shape = a.shape();
    let reps = sizes.to_vec();
    Ok(record("RepeatBackward0", &[a], out, false, move |_, g| {
        let pad = reps.len() - shape.len();
        let padded: Vec<usize> = std::iter::repeat_n(1, pad)
            .chain(shape.iter().copied())
            .collect();
        let mut inter = Vec::new();
        for (r, s) in reps.iter().zip(&padded) {
            inter.push(*r as isize);
            inter.push(*s as isize);
        }
        let summed = super::sum(
            &reshape(g, &inter)?,
            Some(&(0..reps.len()).map(|i| 2 * i as isize).collect::<Vec<_>>()),
            false,
        )?;
        Ok(vec![Some(reshape(&summed, &isz(&shape))?)])
    }))
}

pub fn stack(tensors: &[Tensor], dim: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::stack(tensors, dim) {
        return r;
    }
    if tensors.is_empty() {
        return Err(runtime_error("stack expects a non-empty TensorList"));
    }
    let arrays: Vec<NdArray> = tensors.iter().map(|t| t.array()).collect();
    let out = NdArray::stack(&arrays, dim)?;
    let d = normalize_dim(dim, tensors[0].ndim() + 1)? as isize;
    let inputs: Vec<&Tensor> = tensors.iter().collect();
    let dtypes: Vec<DType> = tensors.iter().map(|t| t.dtype()).collect();
    Ok(record_jvp(
        "StackBackward0",
        &inputs,
        out,
        false,
        stack_cat_jvp(tensors, d, true),
        move |_, g| {
            let parts = unbind(g, d)?;
            parts
                .into_iter()
                .zip(&dtypes)
                .map(|(p, &dt)| Ok(Some(super::to_dtype(&p, dt)?)))
                .collect()
        },
    ))
}

pub fn cat(tensors: &[Tensor], dim: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::cat(tensors, dim) {
        return r;
    }
    if tensors.is_empty() {
        return Err(runtime_error(
            "torch.cat(): expected a non-empty list of Tensors",
        ));
    }
    let arrays: Vec<NdArray> = tensors.iter().map(|t| t.array()).collect();
    let out = NdArray::cat(&arrays, dim)?;
    let nd = out.ndim();
    let d = normalize_dim(dim, nd)?;
    let sizes: Vec<Vec<usize>> = tensors.iter().map(|t| t.shape()).collect();
    let inputs: Vec<&Tensor> = tensors.iter().collect();
    Ok(record_jvp(
        "CatBackward0",
        &inputs,
        out,
        false,
        stack_cat_jvp(tensors, dim, false),
        move |_, g| {
            let mut offset = 0isize;
            let mut grads = Vec::new();
            for s in &sizes {
                // Legacy empty 1-D inputs take no part in cat.
                if s.len() == 1 && s[0] == 0 && nd != 1 {
                    grads.push(None);
                    continue;
                }
                let len = s[d] as isize;
                grads.push(Some(slice(
                    g,
                    d as isize,
                    Some(offset),
                    Some(offset + len),
                    1,
                )?));
                offset += len;
            }
            Ok(grads)
        },
    ))
}

/// Multi-output backward: missing output grads were materialized as zeros by the engine.
pub fn unbind(a: &Tensor, dim: isize) -> PyResult<Vec<Tensor>> {
    if let Some(r) = crate::autograd::batching::unbind(a, dim) {
        return r;
    }
    if a.ndim() == 0 && (dim == 0 || dim == -1) {
        // ATen wraps the dim without allowing a scalar (found by the fuzz run).
        return Err(crate::error::index_error(
            "Dimension specified as 0 but tensor has no dimensions",
        ));
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape()[d];
    let arr = a.array();
    let outs: Vec<NdArray> = (0..n)
        .map(|i| arr.select(d as isize, i as isize))
        .collect::<PyResult<_>>()?;
    Ok(record_multi(
        "UnbindBackward0",
        &[a],
        outs,
        false,
        move |_, grads| Ok(vec![Some(stack(grads, d as isize)?)]),
    ))
}

fn split_pieces(
    a: &Tensor,
    lengths: &[usize],
    d: usize,
    name: &'static str,
) -> PyResult<Vec<Tensor>> {
    let arr = a.array();
    let mut outs = Vec::new();
    let mut off = 0;
    for &l in lengths {
        outs.push(arr.slice(d as isize, Some(off as isize), Some((off + l) as isize), 1)?);
        off += l;
    }
    Ok(record_multi(name, &[a], outs, false, move |_, grads| {
        Ok(vec![Some(cat(grads, d as isize)?)])
    }))
}

pub fn split(a: &Tensor, split_size: usize, dim: isize) -> PyResult<Vec<Tensor>> {
    if let Some(r) = crate::autograd::batching::split(a, split_size, dim) {
        return r;
    }
    if a.ndim() == 0 {
        return Err(runtime_error(
            "split expects at least a 1-dimensional tensor",
        ));
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape()[d];
    if split_size == 0 && n != 0 {
        return Err(runtime_error(format!(
            "split_size can only be 0 if dimension size is 0, but got dimension size of {}",
            n
        )));
    }
    let mut lengths = Vec::new();
    let mut left = n;
    while left > 0 {
        let l = split_size.min(left);
        lengths.push(l);
        left -= l;
    }
    if lengths.is_empty() {
        lengths.push(0);
    }
    split_pieces(a, &lengths, d, "SplitBackward0")
}

pub fn chunk(a: &Tensor, chunks: usize, dim: isize) -> PyResult<Vec<Tensor>> {
    if chunks == 0 {
        return Err(runtime_error(
            "chunk expects `chunks` to be greater than 0, got: 0",
        ));
    }
    if a.ndim() == 0 {
        return Err(runtime_error(
            "chunk expects at least a 1-dimensional tensor",
        ));
    }
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape()[d];
    let size = n.div_ceil(chunks).max(1);
    split(a, size, d as isize)
}

pub fn select(a: &Tensor, dim: isize, index: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::select(a, dim, index) {
        return r;
    }
    let out = a.array().select(dim, index)?;
    let nd = a.ndim();
    let d = normalize_dim(dim, nd)?;
    let n = a.shape()[d] as isize;
    let idx = if index < 0 { index + n } else { index } as usize;
    let sizes = a.shape();
    Ok(record_jvp(
        "SelectBackward0",
        &[a],
        out,
        false,
        lin1(move |x| select(x, dim, index)),
        move |_, g| Ok(vec![Some(super::select_backward(g, &sizes, d, idx)?)]),
    ))
}

pub fn slice(
    a: &Tensor,
    dim: isize,
    start: Option<isize>,
    end: Option<isize>,
    step: isize,
) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::slice(a, dim, start, end, step) {
        return r;
    }
    let out = a.array().slice(dim, start, end, step)?;
    let d = normalize_dim(dim, a.ndim())?;
    let n = a.shape()[d] as isize;
    let clampi = |v: Option<isize>, default: isize| -> usize {
        let v = v.unwrap_or(default);
        let v = if v < 0 { v + n } else { v };
        v.clamp(0, n) as usize
    };
    let s = clampi(start, 0);
    let e = clampi(end, n).max(s);
    let sizes = a.shape();
    Ok(record_jvp(
        "SliceBackward0",
        &[a],
        out,
        false,
        lin1(move |x| slice(x, dim, start, end, step)),
        move |_, g| {
            Ok(vec![Some(super::slice_backward(
                g,
                &sizes,
                d,
                s,
                e,
                step as usize,
            )?)])
        },
    ))
}

pub fn diag(a: &Tensor, offset: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::diag(a, offset) {
        return r;
    }
    let out = a.array().diag(offset)?;
    match a.ndim() {
        1 => Ok(record(
            "DiagEmbedBackward0",
            &[a],
            out,
            false,
            move |_, g| Ok(vec![Some(diagonal(g, offset, 0, 1)?)]),
        )),
        _ => {
            let sizes = a.shape();
            Ok(record(
                "DiagonalBackward0",
                &[a],
                out,
                false,
                move |_, g| Ok(vec![Some(diagonal_backward(g, &sizes, offset, 0, 1)?)]),
            ))
        }
    }
}

pub fn diagonal(a: &Tensor, offset: isize, d1: isize, d2: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::diagonal(a, offset, d1, d2) {
        return r;
    }
    let out = a.array().diagonal(offset, d1, d2)?;
    let sizes = a.shape();
    Ok(record(
        "DiagonalBackward0",
        &[a],
        out,
        false,
        move |_, g| Ok(vec![Some(diagonal_backward(g, &sizes, offset, d1, d2)?)]),
    ))
}

pub(crate) fn diagonal_backward(
    g: &Tensor,
    sizes: &[usize],
    offset: isize,
    d1: isize,
    d2: isize,
) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::diagonal_backward(g, sizes, offset, d1, d2) {
        return r;
    }
    let out = NdArray::zeros(sizes, g.dtype());
    out.diagonal(offset, d1, d2)?.copy_from(&g.array())?;
    Ok(record(
        "DiagonalBackwardBackward0",
        &[g],
        out,
        false,
        move |_, gg| Ok(vec![Some(diagonal(gg, offset, d1, d2)?)]),
    ))
}

pub fn tril(a: &Tensor, k: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| tril(p, k)) {
        return r;
    }
    let out = a.array().tril(k)?;
    Ok(record("TrilBackward0", &[a], out, false, move |_, g| {
        Ok(vec![Some(tril(g, k)?)])
    }))
}

pub fn triu(a: &Tensor, k: isize) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| triu(p, k)) {
        return r;
    }
    let out = a.array().triu(k)?;
    Ok(record("TriuBackward0", &[a], out, false, move |_, g| {
        Ok(vec![Some(triu(g, k)?)])
    }))
}

/// `dims` normalized for `flip`/`roll` on an `nd`-dim tensor: "dim 0 appears multiple times
/// in the list of dims". A 0-dim tensor accepts dim 0 and -1 and has nothing to reorder.
fn reorder_dims(dims: &[isize], nd: usize) -> PyResult<Vec<usize>> {
    let mut out: Vec<usize> = Vec::with_capacity(dims.len());
    for &d in dims {
        let n = normalize_dim(d, nd)?;
        if out.contains(&n) {
            return Err(runtime_error(format!(
                "dim {n} appears multiple times in the list of dims"
            )));
        }
        out.push(n);
    }
    if nd == 0 {
        out.clear();
    }
    Ok(out)
}

/// `flip(dims)`: a copy with those dims reversed (`FlipBackward0`; its own adjoint).
pub fn flip(a: &Tensor, dims: &[isize]) -> PyResult<Tensor> {
    let norm = reorder_dims(dims, a.ndim())?;
    // Under vmap the physical tensor has the batch dim first.
    let physical: Vec<isize> = norm.iter().map(|&d| d as isize + 1).collect();
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| flip(p, &physical)) {
        return r;
    }
    let out = a.array().flip(&norm)?;
    let dims: Vec<isize> = norm.iter().map(|&d| d as isize).collect();
    let back = dims.clone();
    Ok(record_jvp(
        "FlipBackward0",
        &[a],
        out,
        false,
        lin1(move |x| flip(x, &dims)),
        move |_, g| Ok(vec![Some(flip(g, &back)?)]),
    ))
}

/// `roll(shifts, dims)`: elements move `shift` places along each dim, wrapping around; with no
/// dims, along the flattened tensor (`RollBackward0`; rolled back by `-shifts`).
pub fn roll(a: &Tensor, shifts: &[i64], dims: &[isize]) -> PyResult<Tensor> {
    if dims.is_empty() {
        if shifts.len() != 1 {
            return Err(runtime_error(format!(
                "shifts and dimensions must align. shifts: {}, dims:0",
                shifts.len()
            )));
        }
    } else if shifts.len() != dims.len() {
        return Err(runtime_error(format!(
            "shifts and dimensions must align. shifts: {}, dims:{}",
            shifts.len(),
            dims.len()
        )));
    }
    let norm: Vec<usize> = dims
        .iter()
        .map(|&d| normalize_dim(d, a.ndim()))
        .collect::<PyResult<_>>()?;
    // Under vmap the physical tensor has the batch dim first; with no dims, each example's
    // elements are rolled as one flat run.
    let physical: Vec<isize> = norm.iter().map(|&d| d as isize + 1).collect();
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| {
        if !physical.is_empty() {
            return roll(p, shifts, &physical);
        }
        let shape = isz(&p.shape());
        let flat = reshape(p, &[shape[0], -1])?;
        reshape(&roll(&flat, shifts, &[1])?, &shape)
    }) {
        return r;
    }
    let out = if a.ndim() == 0 {
        a.array().deep_copy()
    } else if norm.is_empty() {
        // Along the flattened tensor, in one op (PyTorch records no view around it).
        let flat = a.array().contiguous().reshape(&[-1])?;
        flat.roll(shifts, &[0])?.reshape(&isz(&a.shape()))?
    } else {
        a.array().roll(shifts, &norm)?
    };
    let dims: Vec<isize> = norm.iter().map(|&d| d as isize).collect();
    let (fwd, back) = (
        (shifts.to_vec(), dims.clone()),
        (shifts.iter().map(|s| -s).collect::<Vec<_>>(), dims),
    );
    Ok(record_jvp(
        "RollBackward0",
        &[a],
        out,
        false,
        lin1(move |x| roll(x, &fwd.0, &fwd.1)),
        move |_, g| Ok(vec![Some(roll(g, &back.0, &back.1)?)]),
    ))
}

/// `clone()`: a copy with the same layout (PyTorch's default `preserve_format`).
pub fn clone(a: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(a, clone) {
        return r;
    }
    let out = a.array().keeping_layout(|x| x.deep_copy());
    copied(a, out)
}

/// A C-order copy (`clone(memory_format=torch.contiguous_format)`), what `contiguous` makes.
fn clone_contiguous(a: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(a, clone_contiguous) {
        return r;
    }
    let out = a.array().deep_copy();
    copied(a, out)
}

/// Records a copy `out` of `a` as PyTorch's `CloneBackward0`.
fn copied(a: &Tensor, out: NdArray) -> Tensor {
    record_jvp(
        "CloneBackward0",
        &[a],
        out,
        false,
        lin1(|x| Ok(clone(x))),
        |_, g| Ok(vec![Some(g.clone())]),
    )
}

/// `a`'s values with its dims lying in memory in `order` (slowest first): `a` itself when they
/// already do, else a copy (a permute, `contiguous`, the inverse permute, so it differentiates
/// like a clone). For the layouts PyTorch's transforms promise (see `forward::unpack_dual`).
pub(crate) fn laid_out(a: &Tensor, order: &[usize]) -> PyResult<Tensor> {
    let perm: Vec<isize> = order.iter().map(|&d| d as isize).collect();
    let arranged = permute(a, &perm)?;
    if arranged.array().is_contiguous() {
        return Ok(a.clone());
    }
    permute(
        &contiguous(&arranged),
        &crate::array::inverse_permutation(order),
    )
}

pub fn contiguous(a: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(a, contiguous) {
        return r;
    }
    if a.array().is_contiguous() {
        a.clone()
    } else {
        clone_contiguous(a)
    }
}

/// `to(dtype)`: the same tensor when the dtype matches, else a copy (`ToCopyBackward0`).
pub fn to_dtype(a: &Tensor, dtype: DType) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| to_dtype(p, dtype)) {
        return r;
    }
    if a.dtype() == dtype {
        return Ok(a.clone());
    }
    let out = a.array().keeping_layout(|x| x.to_dtype(dtype));
    let src = a.dtype();
    if !dtype.is_floating() {
        return Ok(Tensor::new(out));
    }
    Ok(record_jvp(
        "ToCopyBackward0",
        &[a],
        out,
        false,
        lin1(move |x| to_dtype(x, dtype)),
        move |_, g| Ok(vec![Some(to_dtype(g, src)?)]),
    ))
}

/// Forward rule of `stack`/`cat`: the same op on the tangents (zeros where an input has none).
fn stack_cat_jvp(tensors: &[Tensor], dim: isize, stack_them: bool) -> super::Jvp {
    let primals: Vec<Tensor> = tensors.to_vec();
    super::Jvp::Linear(Box::new(move |ts| {
        let parts: Vec<Tensor> = ts
            .iter()
            .zip(&primals)
            .map(|(t, p)| t.clone().unwrap_or_else(|| super::zeros_like(p)))
            .collect();
        if stack_them {
            stack(&parts, dim)
        } else {
            cat(&parts, dim)
        }
    }))
}
