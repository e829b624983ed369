//! Subscripts `t[...]`: basic indexing (ints, slices, None, Ellipsis) gives views through the
//! recorded view ops; advanced indexing (index tensors, bool masks) gathers elements by their
//! linear positions (`IndexBackward0`). Assignment writes through the same positions.

use super::{TensorIndex, lin1, record, record_jvp, select, slice, unsqueeze};
use crate::array::{DType, NdArray, broadcast_shapes, normalize_dim};
use crate::autograd::grad_mode::is_grad_enabled;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, index_error, runtime_error};

fn consumed(ix: &TensorIndex) -> usize {
    match ix {
        TensorIndex::Int(_) | TensorIndex::Slice(..) => 1,
        TensorIndex::Tensor(t) if t.dtype() == DType::Bool => t.ndim(),
        TensorIndex::Tensor(_) => 1,
        TensorIndex::None | TensorIndex::Ellipsis => 0,
    }
}

/// Replaces `...` by full slices and checks the index count.
fn expand_ellipsis(indices: &[TensorIndex], ndim: usize) -> PyResult<Vec<TensorIndex>> {
    let used: usize = indices.iter().map(consumed).sum();
    if indices
        .iter()
        .filter(|i| matches!(i, TensorIndex::Ellipsis))
        .count()
        > 1
    {
        return Err(index_error(
            "an index can only have a single ellipsis ('...')",
        ));
    }
    if used > ndim {
        if ndim == 0 {
            return Err(index_error(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
            ));
        }
        return Err(index_error(format!(
            "too many indices for tensor of dimension {}",
            ndim
        )));
    }
    let mut out = Vec::new();
    for ix in indices {
        if let TensorIndex::Ellipsis = ix {
            for _ in 0..ndim - used {
                out.push(TensorIndex::Slice(None, None, None));
            }
        } else {
            out.push(ix.clone());
        }
    }
    Ok(out)
}

fn is_advanced(ix: &TensorIndex) -> bool {
    matches!(ix, TensorIndex::Tensor(_))
}

fn to_isize(v: Option<i64>) -> Option<isize> {
    v.map(|x| x as isize)
}

/// Applies an index expression to an array (views for the basic part, a gather for the
/// advanced part). Used on position tables to find which elements an index designates.
fn index_array(arr: &NdArray, indices: &[TensorIndex]) -> PyResult<NdArray> {
    let indices = expand_ellipsis(indices, arr.ndim())?;
    let mut v = arr.clone();
    let mut d = 0usize;
    let mut adv: Vec<(usize, NdArray)> = Vec::new();
    for ix in &indices {
        match ix {
            TensorIndex::Int(i) => v = v.select(d as isize, *i as isize)?,
            TensorIndex::Slice(s, e, st) => {
                v = v.slice(
                    d as isize,
                    to_isize(*s),
                    to_isize(*e),
                    st.unwrap_or(1) as isize,
                )?;
                d += 1;
            }
            TensorIndex::None => {
                v = v.unsqueeze(d as isize)?;
                d += 1;
            }
            TensorIndex::Ellipsis => {}
            TensorIndex::Tensor(t) => {
                let ta = t.array();
                match ta.dtype() {
                    DType::Bool => {
                        // A k-dim mask becomes k index arrays (its nonzero coordinates).
                        let k = ta.ndim();
                        for j in 0..k {
                            if ta.shape()[j] != v.shape()[d + j] {
                                return Err(index_error(format!(
                                    "The shape of the mask [{}] at index {} does not match the shape of the indexed tensor [{}] at index {}",
                                    ta.shape()
                                        .iter()
                                        .map(|s| s.to_string())
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                    j,
                                    v.shape()[d..d + k]
                                        .iter()
                                        .map(|s| s.to_string())
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                    j
                                )));
                            }
                        }
                        let coords = nonzero_coords(&ta);
                        for (j, c) in coords.into_iter().enumerate() {
                            adv.push((d + j, NdArray::from_vec(c, vec![ta_count(&ta)])));
                        }
                        d += k;
                    }
                    DType::F32 | DType::F64 => {
                        return Err(index_error(
                            "tensors used as indices must be long, int, byte or bool tensors",
                        ));
                    }
                    _ => {
                        adv.push((d, ta.to_dtype(DType::I64)));
                        d += 1;
                    }
                }
            }
        }
    }
    if adv.is_empty() {
        return Ok(v);
    }
    gather_advanced(&v, &adv)
}

fn ta_count(mask: &NdArray) -> usize {
    mask.to_vec::<bool>().iter().filter(|&&b| b).count()
}

/// Coordinates of the true elements of a bool array, one vector per dim.
fn nonzero_coords(mask: &NdArray) -> Vec<Vec<i64>> {
    let shape = mask.shape().to_vec();
    let vals = mask.to_vec::<bool>();
    let mut coords = vec![Vec::new(); shape.len()];
    for (flat, &b) in vals.iter().enumerate() {
        if b {
            let mut rem = flat;
            for d in (0..shape.len()).rev() {
                coords[d].push((rem % shape[d]) as i64);
                rem /= shape[d];
            }
        }
    }
    coords
}

/// NumPy/PyTorch advanced indexing on `v` with index arrays at the given dims.
fn gather_advanced(v: &NdArray, adv: &[(usize, NdArray)]) -> PyResult<NdArray> {
    let mut bshape: Vec<usize> = adv[0].1.shape().to_vec();
    for (_, ix) in &adv[1..] {
        bshape = broadcast_shapes(&bshape, ix.shape())?;
    }
    let idx: Vec<Vec<i64>> = adv
        .iter()
        .map(|(_, ix)| ix.broadcast_to(&bshape).map(|b| b.to_vec::<i64>()))
        .collect::<PyResult<_>>()?;
    let vshape = v.shape().to_vec();
    for ((d, _), vals) in adv.iter().zip(&idx) {
        let n = vshape[*d] as i64;
        if let Some(bad) = vals.iter().find(|&&i| i >= n || i < -n) {
            return Err(index_error(format!(
                "index {} is out of bounds for dimension {} with size {}",
                bad, d, n
            )));
        }
    }
    let adv_dims: Vec<usize> = adv.iter().map(|(d, _)| *d).collect();
    let adjacent = adv_dims.windows(2).all(|w| w[1] == w[0] + 1);
    let rest: Vec<usize> = (0..vshape.len())
        .filter(|d| !adv_dims.contains(d))
        .collect();
    let before: Vec<usize> = if adjacent {
        rest.iter().copied().filter(|&d| d < adv_dims[0]).collect()
    } else {
        vec![]
    };
    let after: Vec<usize> = rest
        .iter()
        .copied()
        .filter(|d| !before.contains(d))
        .collect();
    let mut out_shape: Vec<usize> = before.iter().map(|&d| vshape[d]).collect();
    out_shape.extend(&bshape);
    out_shape.extend(after.iter().map(|&d| vshape[d]));
    let nb: usize = bshape.iter().product();
    let n_before: usize = before.iter().map(|&d| vshape[d]).product();
    let n_after: usize = after.iter().map(|&d| vshape[d]).product();
    let strides = v.strides().to_vec();
    let mut positions = Vec::with_capacity(n_before * nb * n_after);
    let unravel = |mut flat: usize, dims: &[usize]| -> usize {
        let mut off = 0;
        for &d in dims.iter().rev() {
            off += (flat % vshape[d]) * strides[d];
            flat /= vshape[d];
        }
        off
    };
    for i in 0..n_before {
        let ob = unravel(i, &before);
        for k in 0..nb {
            let mut oa = 0usize;
            for ((d, _), vals) in adv.iter().zip(&idx) {
                let mut x = vals[k];
                if x < 0 {
                    x += vshape[*d] as i64;
                }
                oa += x as usize * strides[*d];
            }
            for j in 0..n_after {
                positions.push((v.offset() + ob + oa + unravel(j, &after)) as i64);
            }
        }
    }
    // Gather from the storage through a flat view of it.
    let flat_len = v.storage().len();
    let flat = v.with_layout(vec![flat_len], vec![1], 0);
    flat.index_select(0, &positions)?
        .view(&out_shape.iter().map(|&s| s as isize).collect::<Vec<_>>())
}

/// Linear (contiguous, row-major) positions in `a` of the elements `indices` designate.
fn positions(a: &Tensor, indices: &[TensorIndex]) -> PyResult<NdArray> {
    let n = a.numel();
    // The position table is as large as the tensor, in int64 (an abort the fuzz run found).
    crate::array::check_alloc(n, 8)?;
    let table = NdArray::from_vec((0..n as i64).collect::<Vec<i64>>(), a.shape());
    Ok(index_array(&table, indices)?.contiguous())
}

fn isz(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&s| s as isize).collect()
}

/// Gathers the elements at linear positions `pos` of `a` (`IndexBackward0`).
pub(super) fn take(a: &Tensor, pos: &NdArray) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::fallback_unary(a, |p| take(p, pos)) {
        return r;
    }
    let flat = a.array().contiguous().view(&[-1])?;
    let out = flat
        .index_select(0, &pos.to_vec::<i64>())?
        .view(&isz(pos.shape()))?;
    let sizes = a.shape();
    let p = pos.clone();
    Ok(record("IndexBackward0", &[a], out, true, move |_, g| {
        Ok(vec![Some(put_accumulate(&sizes, &p, g)?)])
    }))
}

/// Zeros of `sizes` with `g` added at positions `pos` (the backward of `take`).
fn put_accumulate(sizes: &[usize], pos: &NdArray, g: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::fallback_unary(g, |p| put_accumulate(sizes, pos, p))
    {
        return r;
    }
    let n: usize = sizes.iter().product();
    let zeros = NdArray::zeros(&[n], g.dtype());
    let out = zeros
        .index_add(
            0,
            &pos.to_vec::<i64>(),
            &g.array().contiguous().view(&[-1])?,
        )?
        .view(&isz(sizes))?;
    let p = pos.clone();
    Ok(record(
        "IndexPutImplBackward0",
        &[g],
        out,
        false,
        move |_, gg| Ok(vec![Some(take(gg, &p)?)]),
    ))
}

/// `t[...]`.
pub fn index(a: &Tensor, indices: &[TensorIndex]) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::index(a, indices) {
        return r;
    }
    if indices.iter().any(is_advanced) {
        let pos = positions(a, indices)?;
        return take(a, &pos);
    }
    let has_slice = indices.iter().any(|i| matches!(i, TensorIndex::Slice(..)));
    let indices = expand_ellipsis(indices, a.ndim())?;
    let mut v = a.clone();
    let mut d = 0isize;
    let mut touched = false;
    for ix in &indices {
        match ix {
            TensorIndex::Int(i) => {
                v = select(&v, d, *i as isize)?;
                touched = true;
            }
            TensorIndex::Slice(s, e, st) => {
                let step = st.unwrap_or(1) as isize;
                if step == 0 {
                    return Err(runtime_error("slice step cannot be zero"));
                }
                if step < 0 {
                    return Err(runtime_error("step must be greater than zero"));
                }
                // A full slice is a no-op in PyTorch's indexing unless it is the only index.
                if s.is_some() || e.is_some() || step != 1 {
                    v = slice(&v, d, to_isize(*s), to_isize(*e), step)?;
                    touched = true;
                }
                d += 1;
            }
            TensorIndex::None => {
                v = unsqueeze(&v, d)?;
                touched = true;
                d += 1;
            }
            TensorIndex::Ellipsis | TensorIndex::Tensor(_) => {}
        }
    }
    if !touched {
        // `a[:]` is a slice over everything; `a[...]` an alias.
        if has_slice {
            return slice(a, 0, None, None, 1);
        }
        return alias(a);
    }
    Ok(v)
}

/// `a[...]`: a new view of everything (`AliasBackward0`).
pub(crate) fn alias_of(a: &Tensor) -> PyResult<Tensor> {
    alias(a)
}

fn alias(a: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, alias) {
        return r;
    }
    let out = a.array();
    Ok(record_jvp(
        "AliasBackward0",
        &[a],
        out,
        false,
        lin1(|t| Ok(t.clone())),
        |_, g| Ok(vec![Some(g.clone())]),
    ))
}

/// `t[...] = value`.
pub fn index_put_(a: &Tensor, indices: &[TensorIndex], value: &Tensor) -> PyResult<()> {
    if let Some(r) = crate::autograd::batching::index_put_(a, indices, value) {
        return r;
    }
    let pos = positions(a, indices)?;
    let target_shape = pos.shape().to_vec();
    let vb = value.array().broadcast_to(&target_shape).map_err(|_| {
        runtime_error(format!(
            "shape mismatch: value tensor of shape {:?} cannot be broadcast to indexing result of shape {:?}",
            value.shape(),
            target_shape
        ))
    })?;
    let has_tangents = |t: &Tensor| !t.0.tangents.borrow().is_empty();
    if !indices.iter().any(is_advanced) && !has_tangents(a) && !has_tangents(value) {
        // Basic indexing selects a view: `a[i] = v` is `a[i].copy_(v)`, as in PyTorch.
        return super::copy_(&index(a, indices)?, value);
    }
    super::copy_slices::check_inplace(a, &[value])?;
    if let Some(base) = super::copy_slices::rebased_base(a, &[value]) {
        let idx = indices.to_vec();
        return super::copy_slices::apply(a, &base, move |old| {
            let c = super::clone(old);
            index_put_(&c, &idx, value)?;
            Ok(c)
        });
    }
    let grad_tracks = is_grad_enabled() && (a.requires_grad() || value.requires_grad());
    let tracks = grad_tracks || a.differentiable() || value.differentiable();
    let name = if indices.iter().any(is_advanced) {
        "IndexPutBackward0"
    } else {
        "CopySlices"
    };
    let flat_pos = pos.to_vec::<i64>();
    let new_values = vb.to_dtype(a.dtype()).contiguous().view(&[-1])?;
    if !tracks {
        write_positions(&a.array(), &flat_pos, &new_values)?;
        return Ok(());
    }
    let old = {
        let data = a.array().deep_copy();
        let old = match a.grad_fn() {
            Some(node) => Tensor::from_node(data, node, a.output_nr()),
            None => Tensor::new(data),
        };
        for (level, t) in a.0.tangents.borrow().iter() {
            old.set_tangent(*level, Some(t.clone()));
        }
        old
    };
    // The tangent of the result: the same assignment applied to the tangents.
    let (idx_owned, a_shape, a_dtype) = (indices.to_vec(), a.shape(), a.dtype());
    let jvp = super::Jvp::Linear(Box::new(move |ts| {
        let base = match &ts[0] {
            Some(t) => super::clone(t),
            None => Tensor::new(NdArray::zeros(&a_shape, a_dtype)),
        };
        let v = match &ts[1] {
            Some(t) => t.clone(),
            None => Tensor::new(NdArray::zeros(&[], a_dtype)),
        };
        index_put_(&base, &idx_owned, &v)?;
        Ok(base)
    }));
    let out = old.array().deep_copy();
    write_positions(&out, &flat_pos, &new_values)?;
    let p = pos.clone();
    let sizes = a.shape();
    let r = record_jvp(name, &[&old, value], out, false, jvp, move |_, g| {
        // The overwritten positions get no gradient; the value gets what flowed there.
        let mut keep = NdArray::full(&sizes, 1.0, g.dtype());
        let zeros = NdArray::zeros(&[p.numel()], g.dtype());
        keep = {
            let flat = keep.contiguous();
            write_positions(&flat, &p.to_vec::<i64>(), &zeros)?;
            flat
        };
        let ga = super::mul(g, &Tensor::new(keep))?;
        let gv = take(g, &p)?;
        Ok(vec![Some(ga), Some(gv)])
    });
    a.array().copy_from(&r.array())?;
    if grad_tracks {
        a.set_grad_fn(r.grad_fn(), 0);
    }
    for (level, t) in r.0.tangents.borrow().iter() {
        a.set_tangent(*level, Some(t.clone()));
    }
    Ok(())
}

/// Writes `values` (1-D, in order) to the row-major positions `pos` of the view `a`.
pub(super) fn write_positions(a: &NdArray, pos: &[i64], values: &NdArray) -> PyResult<()> {
    let storage_pos = a.storage_indices();
    let flat_len = a.storage().len();
    let flat = a.with_layout(vec![flat_len], vec![1], 0);
    let targets: Vec<i64> = pos
        .iter()
        .map(|&p| storage_pos[p as usize] as i64)
        .collect();
    // Write one element at a time through 1-element views: index lists may repeat.
    for (k, &t) in targets.iter().enumerate() {
        let dst = flat.slice(0, Some(t as isize), Some(t as isize + 1), 1)?;
        dst.copy_from(&values.slice(0, Some(k as isize), Some(k as isize + 1), 1)?)?;
    }
    Ok(())
}

/// The elements of `a` at row-major positions `pos`, recorded as `name`: the backward
/// scatters the gradient back with a differentiable op, and the JVP gathers the tangent.
pub(super) fn take_named(
    name: &'static str,
    a: &Tensor,
    pos: &NdArray,
    jvp: super::Jvp,
) -> PyResult<Tensor> {
    let flat = a.array().contiguous().view(&[-1])?;
    let out = flat
        .index_select(0, &pos.to_vec::<i64>())?
        .view(&isz(pos.shape()))?;
    let sizes = a.shape();
    let p = pos.clone();
    Ok(record_jvp(name, &[a], out, false, jvp, move |_, g| {
        Ok(vec![Some(put_accumulate(&sizes, &p, g)?)])
    }))
}

/// The elements of `a` at row-major positions `pos` (shaped like `pos`), recorded as `name`
/// (max pooling picks its window maxima this way; the gradient is scattered back).
pub(crate) fn take_positions(name: &'static str, a: &Tensor, pos: &NdArray) -> PyResult<Tensor> {
    take_named(name, a, pos, super::Jvp::Transpose)
}

pub fn index_select(a: &Tensor, dim: isize, index: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::index_select(a, dim, index) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    if index.ndim() > 1 {
        return Err(index_error(
            "index_select(): Index is supposed to be a vector",
        ));
    }
    let idx = Tensor::new(index.array().to_dtype(DType::I64).reshape(&[-1])?);
    let mut indices = vec![TensorIndex::Slice(None, None, None); d];
    indices.push(TensorIndex::Tensor(idx));
    let pos = positions(a, &indices)?;
    let index = index.clone();
    let jvp = lin1(move |t| index_select(t, d as isize, &index));
    take_named("IndexSelectBackward0", a, &pos, jvp)
}

pub fn gather(a: &Tensor, dim: isize, index: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::gather(a, dim, index) {
        return r;
    }
    let d = normalize_dim(dim, a.ndim())?;
    let idx = index.array().to_dtype(DType::I64);
    // Validates shapes and bounds with PyTorch's messages.
    a.array().gather(d, &idx)?;
    let shape = a.shape();
    let strides = crate::array::contiguous_strides(&shape);
    let ishape = idx.shape().to_vec();
    let istrides = crate::array::contiguous_strides(&ishape);
    let values = idx.to_vec::<i64>();
    let n = shape.get(d).copied().unwrap_or(1) as i64;
    let mut pos = Vec::with_capacity(values.len());
    for (flat, &v) in values.iter().enumerate() {
        let mut p = 0usize;
        for k in 0..ishape.len() {
            let coord = (flat / istrides[k]) % ishape[k].max(1);
            let coord = if k == d {
                (if v < 0 { v + n } else { v }) as usize
            } else {
                coord
            };
            p += coord * strides.get(k).copied().unwrap_or(0);
        }
        pos.push(p as i64);
    }
    let index = index.clone();
    let jvp = lin1(move |t| gather(t, d as isize, &index));
    take_named("GatherBackward0", a, &NdArray::from_vec(pos, ishape), jvp)
}

pub fn masked_fill(a: &Tensor, mask: &Tensor, value: f64) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::pointwise_rule(&[a, mask], |p| masked_fill(&p[0], &p[1], value))
    {
        return r;
    }
    if mask.dtype() != DType::Bool {
        return Err(runtime_error(format!(
            "masked_fill_ only supports boolean masks, but got mask with dtype {}",
            mask.dtype().name().trim_start_matches("torch.")
        )));
    }
    // C order whatever the inputs' layout: PyTorch fills a contiguous clone of `a`.
    let out = NdArray::where_(
        &mask.array(),
        &NdArray::scalar(value, a.dtype()),
        &a.array(),
    )?
    .contiguous();
    let m = mask.clone();
    Ok(record(
        "MaskedFillBackward0",
        &[a],
        out,
        false,
        move |_, g| {
            Ok(vec![Some(super::where_(
                &m,
                &super::full_like_scalar(0.0, g),
                g,
            )?)])
        },
    ))
}
