//! Shape, view, joining and selection functions: `view`, `reshape`, `permute`, `squeeze`,
//! `expand`, `cat`/`stack`, `split`/`chunk`/`unbind`, `index_select`, `gather`, `diag`, ...

use super::args::Bound;
use super::table::{Row, both, method, torch};
use crate::array::normalize_dim;
use crate::autograd::{Tensor, TensorIndex, ops};
use crate::error::{PyResult, runtime_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

fn tuple_of(ts: Vec<Tensor>) -> PyResult<Value> {
    Ok(Value::tuple(ts.into_iter().map(Value::Tensor).collect()))
}

fn isizes(v: Vec<i64>) -> Vec<isize> {
    v.into_iter().map(|x| x as isize).collect()
}

fn shape_isize(t: &Tensor) -> Vec<isize> {
    t.shape().into_iter().map(|d| d as isize).collect()
}

fn view(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::view(&b.this()?, &isizes(b.int_list("size")?))?)
}
fn view_as(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::view(&b.this()?, &shape_isize(&b.tensor("other")?))?)
}
fn reshape(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::reshape(
        &b.tensor("input")?,
        &isizes(b.int_list("shape")?),
    )?)
}
fn reshape_as(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::reshape(&b.this()?, &shape_isize(&b.tensor("other")?))?)
}
fn flatten(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::flatten(
        &b.tensor("input")?,
        b.int("start_dim")? as isize,
        b.int("end_dim")? as isize,
    )?)
}
fn unflatten(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let shape = x.shape();
    if shape.is_empty() {
        // ATen wraps the dim error (its C++ backtrace, which follows, is left out).
        return Err(crate::error::runtime_error(format!(
            "unflatten got an unexpected error:\nDimension specified as {} but tensor has no dimensions",
            b.int("dim")?
        )));
    }
    let dim = normalize_dim(b.int("dim")? as isize, shape.len())?;
    let mut new: Vec<isize> = shape[..dim].iter().map(|&d| d as isize).collect();
    new.extend(isizes(b.int_list("sizes")?));
    new.extend(shape[dim + 1..].iter().map(|&d| d as isize));
    t(ops::view(&x, &new)?)
}
fn t_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::t(&b.tensor("input")?)?)
}
fn transpose(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::transpose(
        &b.tensor("input")?,
        b.int("dim0")? as isize,
        b.int("dim1")? as isize,
    )?)
}
fn swapaxes(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::transpose(
        &b.tensor("input")?,
        b.int("axis0")? as isize,
        b.int("axis1")? as isize,
    )?)
}
fn permute(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::permute(
        &b.tensor("input")?,
        &isizes(b.int_list("dims")?),
    )?)
}
fn flip(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::flip(
        &b.tensor("input")?,
        &isizes(b.int_list("dims")?),
    )?)
}
fn roll(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let shifts = b.int_list("shifts")?;
    t(ops::roll(
        &b.tensor("input")?,
        &shifts,
        &isizes(b.int_list("dims")?),
    )?)
}
fn movedim(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let src = isizes(b.int_list("source")?);
    let dst = isizes(b.int_list("destination")?);
    if src.len() != dst.len() {
        return Err(runtime_error(format!(
            "movedim: Invalid source or destination dims: source ({:?} dims) should contain the same number of dims as destination ({:?} dims)",
            src, dst
        )));
    }
    t(ops::movedim(&b.tensor("input")?, &src, &dst)?)
}

/// `squeeze()`, `squeeze(d)` and `squeeze((d0, d1))` (later dims first so indices stay valid).
fn squeeze(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    if !b.sig.params.iter().any(|p| p.name == "dim") {
        return t(ops::squeeze(&x, None)?);
    }
    let given = b.int_list("dim")?;
    if b.sig
        .params
        .iter()
        .any(|p| p.name == "dim" && p.ty == super::args::PType::Int)
    {
        return t(ops::squeeze(&x, Some(given[0] as isize))?);
    }
    let mut dims = given
        .iter()
        .map(|&d| normalize_dim(d as isize, x.ndim()))
        .collect::<PyResult<Vec<usize>>>()?;
    dims.sort_unstable();
    dims.dedup();
    let mut out = x;
    for d in dims.into_iter().rev() {
        out = ops::squeeze(&out, Some(d as isize))?;
    }
    t(out)
}
fn unsqueeze(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::unsqueeze(&b.tensor("input")?, b.int("dim")? as isize)?)
}
fn expand(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::expand(&b.this()?, &isizes(b.int_list("size")?))?)
}
fn expand_as(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::expand_as(&b.this()?, &b.tensor("other")?)?)
}
fn broadcast_to(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    // PyTorch's broadcast_to is expand (ExpandBackward0), -1 meaning "keep".
    t(ops::expand(
        &b.tensor("input")?,
        &isizes(b.int_list("size")?),
    )?)
}
fn repeat(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let reps = b.int_list("repeats")?;
    if let Some(&neg) = reps.iter().find(|&&r| r < 0) {
        return Err(runtime_error(format!(
            "Trying to create tensor with negative dimension {neg}: {reps:?}"
        )));
    }
    let reps: Vec<usize> = reps.into_iter().map(|r| r as usize).collect();
    t(ops::repeat(&b.this()?, &reps)?)
}

fn stack(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::stack(
        &b.tensor_list("tensors")?,
        b.int("dim")? as isize,
    )?)
}
fn cat(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let ts = b.tensor_list("tensors")?;
    if ts.is_empty() {
        return Err(runtime_error(
            "torch.cat(): expected a non-empty list of Tensors",
        ));
    }
    t(ops::cat(&ts, b.int("dim")? as isize)?)
}
/// 0-d and 1-d tensors become rows (`atleast_2d`) before joining along dim 0.
fn vstack(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let ts = b
        .tensor_list("tensors")?
        .into_iter()
        .map(|x| match x.ndim() {
            0 => ops::view(&x, &[1, 1]),
            1 => ops::unsqueeze(&x, 0),
            _ => Ok(x),
        })
        .collect::<PyResult<Vec<Tensor>>>()?;
    t(ops::cat(&ts, 0)?)
}
/// 1-d tensors join along dim 0, others along dim 1.
fn hstack(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let ts = b
        .tensor_list("tensors")?
        .into_iter()
        .map(|x| {
            if x.ndim() == 0 {
                ops::view(&x, &[1])
            } else {
                Ok(x)
            }
        })
        .collect::<PyResult<Vec<Tensor>>>()?;
    let dim = if ts.first().is_some_and(|x| x.ndim() == 1) {
        0
    } else {
        1
    };
    t(ops::cat(&ts, dim)?)
}
fn unbind(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    tuple_of(ops::unbind(&b.tensor("input")?, b.int("dim")? as isize)?)
}
fn split(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let dim = b.int("dim")? as isize;
    let sizes = b.int_list("split_size")?;
    let single = b
        .sig
        .params
        .iter()
        .any(|p| p.name == "split_size" && p.ty == super::args::PType::Int);
    if single {
        let size = sizes[0];
        if size < 0 {
            return Err(runtime_error(format!(
                "split expects split_size be non-negative, but got split_size={size}"
            )));
        }
        return tuple_of(ops::split(&x, size as usize, dim)?);
    }
    // Explicit sections: consecutive slices along dim.
    let d = normalize_dim(dim, x.ndim())?;
    let total: i64 = sizes.iter().sum();
    let len = x.shape().get(d).copied().unwrap_or(0) as i64;
    if total != len || sizes.iter().any(|&s| s < 0) {
        return Err(runtime_error(format!(
            "split_with_sizes expects split_sizes to sum exactly to {len} (input tensor's size at dimension {dim}), but got split_sizes={sizes:?}"
        )));
    }
    let mut parts = Vec::with_capacity(sizes.len());
    let mut start = 0isize;
    for s in sizes {
        let end = start + s as isize;
        parts.push(ops::slice(&x, d as isize, Some(start), Some(end), 1)?);
        start = end;
    }
    tuple_of(parts)
}
fn chunk(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let n = b.int("chunks")?;
    if n <= 0 {
        return Err(runtime_error(format!(
            "chunk expects `chunks` to be greater than 0, got: {n}"
        )));
    }
    tuple_of(ops::chunk(
        &b.tensor("input")?,
        n as usize,
        b.int("dim")? as isize,
    )?)
}
fn narrow(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let d = normalize_dim(b.int("dim")? as isize, x.ndim())?;
    let size = x.shape().get(d).copied().unwrap_or(0) as i64;
    let mut start = b.int("start")?;
    let length = b.int("length")?;
    if start < 0 {
        start += size;
    }
    if start < 0 || length < 0 || start + length > size {
        return Err(crate::error::index_error(format!(
            "start ({start}) + length ({length}) exceeds dimension size ({size})."
        )));
    }
    t(ops::slice(
        &x,
        d as isize,
        Some(start as isize),
        Some((start + length) as isize),
        1,
    )?)
}
fn select(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::select(
        &b.tensor("input")?,
        b.int("dim")? as isize,
        b.int("index")? as isize,
    )?)
}
fn index_select(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::index_select(
        &b.tensor("input")?,
        b.int("dim")? as isize,
        &b.tensor("index")?,
    )?)
}
fn gather(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::gather(
        &b.tensor("input")?,
        b.int("dim")? as isize,
        &b.tensor("index")?,
    )?)
}
fn masked_fill(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::masked_fill(
        &b.tensor("input")?,
        &b.tensor("mask")?,
        b.scalar("value")?.to_f64(),
    )?)
}
fn masked_fill_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    let out = ops::masked_fill(&x, &b.tensor("mask")?, b.scalar("value")?.to_f64())?;
    ops::copy_(&x, &out)?;
    t(x)
}
fn masked_select(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let mask = b.tensor("mask")?;
    let full = Tensor::new(mask.array().broadcast_to(&x.shape())?);
    t(ops::index(&x, &[TensorIndex::Tensor(full)])?)
}
fn diag(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::diag(&b.tensor("input")?, b.int("diagonal")? as isize)?)
}
fn diagonal(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::diagonal(
        &b.tensor("input")?,
        b.int("offset")? as isize,
        b.int("dim1")? as isize,
        b.int("dim2")? as isize,
    )?)
}
fn tril(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::tril(&b.tensor("input")?, b.int("diagonal")? as isize)?)
}
fn triu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::triu(&b.tensor("input")?, b.int("diagonal")? as isize)?)
}
fn clone(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::clone(&b.tensor("input")?))
}
fn detach(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(b.tensor("input")?.detach())
}
/// `detach_()`: this very tensor leaves the graph and becomes a leaf.
fn detach_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.this()?;
    x.set_grad_fn(None, 0);
    x.requires_grad_(false)?;
    t(x)
}
fn contiguous(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(ops::contiguous(&b.this()?))
}

/// The shape part of the torch table.
pub const ROWS: &[Row] = &[
    method(
        "view(Tensor self, int[] size)",
        "The same data with a new shape (never copies).",
        view,
    ),
    method(
        "view_as(Tensor self, Tensor other)",
        "view(other.shape).",
        view_as,
    ),
    both(
        "reshape(Tensor input, int[] shape)",
        "A view or copy with a new shape.",
        reshape,
    ),
    method(
        "reshape_as(Tensor self, Tensor other)",
        "reshape(other.shape).",
        reshape_as,
    ),
    both(
        "flatten(Tensor input, int start_dim=0, int end_dim=-1)",
        "Flattens dims start_dim..end_dim.",
        flatten,
    ),
    both(
        "unflatten(Tensor input, int dim, int[] sizes)",
        "Splits dim into sizes.",
        unflatten,
    ),
    both("t(Tensor input)", "Transpose of a matrix (<= 2 dims).", t_),
    both(
        "transpose(Tensor input, int dim0, int dim1)",
        "Swaps two dims.",
        transpose,
    ),
    both(
        "swapaxes(Tensor input, int axis0, int axis1)",
        "Alias of transpose.",
        swapaxes,
    ),
    both(
        "swapdims(Tensor input, int dim0, int dim1)",
        "Alias of transpose.",
        transpose,
    ),
    both(
        "permute(Tensor input, int[] dims)",
        "Reorders dims.",
        permute,
    ),
    both(
        "flip(Tensor input, int[] dims)",
        "A copy with the order of elements along dims reversed.",
        flip,
    ),
    both(
        "roll(Tensor input, int[1] shifts, int[1] dims=[])",
        "A copy with elements shifted along dims, wrapping around (no dims: the flattened tensor).",
        roll,
    ),
    both(
        "movedim(Tensor input, int[1] source, int[1] destination)",
        "Moves dims to new positions.",
        movedim,
    ),
    both(
        "moveaxis(Tensor input, int[1] source, int[1] destination)",
        "Alias of movedim.",
        movedim,
    ),
    both(
        "squeeze(Tensor input)",
        "Removes every size-1 dim.",
        squeeze,
    ),
    both(
        "squeeze(Tensor input, int dim)",
        "Removes dim if it has size 1.",
        squeeze,
    ),
    both(
        "squeeze(Tensor input, int[] dim)",
        "Removes the size-1 dims among dim.",
        squeeze,
    ),
    both(
        "unsqueeze(Tensor input, int dim)",
        "Inserts a size-1 dim.",
        unsqueeze,
    ),
    method(
        "expand(Tensor self, int[] size, *, bool implicit=False)",
        "Broadcast view to size (-1 keeps a dim).",
        expand,
    ),
    method(
        "expand_as(Tensor self, Tensor other)",
        "expand(other.shape).",
        expand_as,
    ),
    both(
        "broadcast_to(Tensor input, int[] size)",
        "Broadcast view to size.",
        broadcast_to,
    ),
    method(
        "repeat(Tensor self, int[] repeats)",
        "Tiles the tensor.",
        repeat,
    ),
    torch(
        "stack(TensorList tensors, int dim=0)",
        "Joins tensors along a new dim.",
        stack,
    ),
    torch(
        "cat(TensorList tensors, int dim=0)",
        "Joins tensors along an existing dim.",
        cat,
    ),
    torch(
        "concat(TensorList tensors, int dim=0)",
        "Alias of cat.",
        cat,
    ),
    torch(
        "concatenate(TensorList tensors, int dim=0)",
        "Alias of cat.",
        cat,
    ),
    torch(
        "vstack(TensorList tensors)",
        "Stacks rows (cat along dim 0 after atleast_2d).",
        vstack,
    ),
    torch(
        "hstack(TensorList tensors)",
        "Stacks columns (cat along dim 1, or 0 for vectors).",
        hstack,
    ),
    both(
        "unbind(Tensor input, int dim=0)",
        "The slices along dim, as a tuple.",
        unbind,
    ),
    both(
        "split(Tensor input, int split_size, int dim=0)",
        "Chunks of split_size along dim.",
        split,
    ),
    both(
        "split(Tensor input, int[] split_size, int dim=0)",
        "Chunks of the given sizes along dim.",
        split,
    ),
    both(
        "chunk(Tensor input, int chunks, int dim=0)",
        "Splits into that many chunks.",
        chunk,
    ),
    both(
        "narrow(Tensor input, int dim, int start, int length)",
        "A slice of length elements along dim.",
        narrow,
    ),
    both(
        "select(Tensor input, int dim, int index)",
        "The slice at index along dim (drops dim).",
        select,
    ),
    both(
        "index_select(Tensor input, int dim, Tensor index)",
        "Picks entries along dim.",
        index_select,
    ),
    both(
        "gather(Tensor input, int dim, Tensor index)",
        "Gathers values along dim by index.",
        gather,
    ),
    both(
        "masked_fill(Tensor input, Tensor mask, Scalar value)",
        "value where mask is true.",
        masked_fill,
    ),
    method(
        "masked_fill_(Tensor self, Tensor mask, Scalar value)",
        "In-place masked_fill.",
        masked_fill_,
    ),
    both(
        "masked_select(Tensor input, Tensor mask)",
        "The elements where mask is true, as 1-D.",
        masked_select,
    ),
    both(
        "diag(Tensor input, int diagonal=0)",
        "Vector → diagonal matrix, matrix → its diagonal.",
        diag,
    ),
    both(
        "diagonal(Tensor input, int offset=0, int dim1=0, int dim2=1)",
        "A diagonal as a view.",
        diagonal,
    ),
    both(
        "tril(Tensor input, int diagonal=0)",
        "Lower triangle.",
        tril,
    ),
    both(
        "triu(Tensor input, int diagonal=0)",
        "Upper triangle.",
        triu,
    ),
    both(
        "clone(Tensor input, *, Any? memory_format=None)",
        "A differentiable copy.",
        clone,
    ),
    both(
        "detach(Tensor input)",
        "The same data, cut from the graph.",
        detach,
    ),
    method(
        "detach_(Tensor self)",
        "Cuts this tensor from the graph.",
        detach_,
    ),
    method(
        "contiguous(Tensor self, *, Any? memory_format=None)",
        "A contiguous tensor with the same data.",
        contiguous,
    ),
];
