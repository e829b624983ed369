//! Vectorization: `vmap` with batching rules (functorch's design, adapted).
//!
//! A *batched tensor* is a `Tensor` whose `batch()` is `Some(Batch { level, inner })`: `inner`
//! is the physical tensor with the batch dimension at position 0, and the logical shape
//! (what `shape()`, `ndim()`, `numel()` report) is `inner.shape()[1..]`. `inner` may itself be
//! batched at a *lower* level (nested `vmap`); a wrapper never contains a higher level.
//!
//! Every public op in `autograd::ops` first asks its batching rule (in `rules_*.rs`): when no
//! input is batched the rule returns `None` and the op runs as usual; otherwise the rule takes
//! the **highest** level present, unwraps the inputs batched at that level to their physical
//! `inner`, treats every other input as unbatched at this level, calls the ordinary ops on the
//! physical tensors (lower levels are handled by those recursive calls) and wraps the result
//! at the same level. Because the rules call recorded ops, reverse-mode graphs are built on
//! physical tensors: `backward`/`grad` work through `vmap`, and a gradient that is batched at
//! an outer level flows through unbatched graphs (formulas call ops, ops dispatch to rules).
//!
//! Ops without a dedicated rule use `fallback`: loop over the batch (select each slice, call
//! the op, `stack` the results). See ARCHITECTURE.md for the list.
//!
//! ## For the language bindings (`torch.func.vmap`)
//! `vmap_with` takes flat lists: flatten the pytrees of inputs and `in_dims` first (an int
//! `in_dims` applies to every tensor leaf, `None` leaves and non-tensor leaves are passed
//! through unbatched inside the closure), call `vmap_with` with a closure that unflattens its
//! arguments, calls the Python function (kwargs captured, passed unbatched), checks that it
//! returned tensors and flattens the outputs; then unflatten the returned tensors. `out_dims`
//! is one entry per flat output (or a single entry for all). `VmapOptions` carries the names
//! PyTorch prints in its errors, `chunk_size` and `randomness`. Random functions consult
//! `current_frame()`: `Randomness::Error` → `RANDOMNESS_ERROR`; `Same` → draw one unbatched
//! sample; `Different` → draw `[batch_size, ...]` and `add_batch_dim(t, frame.level, 0)`.
//! `requires_grad_()` and `backward()` refuse to run inside vmap, as in PyTorch; transforms
//! built on top (grad, jacrev) use `physical`/`rewrap` to differentiate on physical tensors.

mod rules_linalg;
mod rules_pointwise;
mod rules_reduce;
mod rules_shape;

pub(crate) use rules_linalg::*;
pub(crate) use rules_pointwise::*;
pub(crate) use rules_reduce::*;
pub(crate) use rules_shape::*;

use super::ops;
use super::tensor::Tensor;
use crate::error::{PyResult, runtime_error, value_error};
use std::cell::{Cell, RefCell};

pub const ITEM_ERROR: &str = "vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling .item() on a Tensor, please try to rewrite what you're doing with other operations. If error is occurring somewhere inside PyTorch internals, please file a bug report.";
pub const DATA_DEPENDENT_ERROR: &str = "vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. We don't support that yet, please file an issue at https://github.com/pytorch/pytorch/issues .";
pub const REQUIRES_GRAD_ERROR: &str = "You are attempting to call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* APIs) inside of a function being transformed by a functorch transform. This is unsupported, please attempt to use the functorch transforms (e.g. grad, vjp, jacrev, jacfwd, hessian) or call requires_grad_() outside of a function being transformed instead.";
pub const BACKWARD_ERROR: &str = "backward() called inside a functorch transform. This is not supported, please use functorch.grad or functorch.vjp instead or call backward() outside of functorch transforms.";
pub const RANDOMNESS_ERROR: &str = "vmap: called random operation while in randomness error mode. Please either use the 'same' or 'different' randomness flags on vmap or perform the randomness operation out of vmap";
pub const ALLCLOSE_ERROR: &str = "vmap over torch.allclose isn't supported yet. Please file an issue at https://github.com/pytorch/pytorch/issues if you need this feature.";
pub(crate) const INPLACE_ERROR: &str = "vmap: inplace arithmetic(self, *extra_args) is not possible because there exists a Tensor `other` in extra_args that has more elements than `self`. This happened due to `other` being vmapped over but `self` not being vmapped over in a vmap. Please try to use out-of-place operators instead of inplace arithmetic. If said operator is being called inside the PyTorch framework, please file a bug report instead.";

/// `vmap(..., randomness=...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Randomness {
    Error,
    Same,
    Different,
}

/// One active `vmap` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub level: u64,
    pub batch_size: usize,
    pub randomness: Randomness,
    /// See `VmapOptions::legacy`.
    pub legacy: bool,
}

thread_local! {
    // Levels are unique for the thread's lifetime (not reused), so a batched tensor that escaped
    // an earlier vmap can never be mistaken for one of the current call.
    static NEXT_LEVEL: Cell<u64> = const { Cell::new(1) };
    static STACK: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// True inside any `vmap` call.
pub fn is_active() -> bool {
    STACK.with(|s| !s.borrow().is_empty())
}

/// Whether the `vmap` call of `level` batches with the legacy rules (`VmapOptions::legacy`).
pub(crate) fn is_legacy(level: u64) -> bool {
    STACK.with(|s| s.borrow().iter().any(|f| f.level == level && f.legacy))
}

/// The innermost active `vmap` call.
pub fn current_frame() -> Option<Frame> {
    STACK.with(|s| s.borrow().last().copied())
}

/// Pops the frame it pushed when dropped, so an error inside `f` cannot leave a level active.
struct FrameGuard;

impl FrameGuard {
    fn push(batch_size: usize, randomness: Randomness, legacy: bool) -> (FrameGuard, u64) {
        let level = NEXT_LEVEL.with(|n| {
            let l = n.get();
            n.set(l + 1);
            l
        });
        STACK.with(|s| {
            s.borrow_mut().push(Frame {
                level,
                batch_size,
                randomness,
                legacy,
            })
        });
        (FrameGuard, level)
    }
}

impl Drop for FrameGuard {
    fn drop(&mut self) {
        STACK.with(|s| s.borrow_mut().pop());
    }
}

/// `BatchedTensor(lvl=1, bdim=0, value=\n    <inner repr>\n)`, PyTorch's repr inside vmap.
pub(crate) fn batched_repr(level: u64, inner: &str) -> String {
    let body: Vec<String> = inner.lines().map(|l| format!("    {l}")).collect();
    format!(
        "BatchedTensor(lvl={level}, bdim=0, value=\n{}\n)",
        body.join("\n")
    )
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the rules.

/// The highest vmap level among `inputs`, None when none is batched (the ops' fast path).
pub(crate) fn top_level(inputs: &[&Tensor]) -> Option<u64> {
    inputs
        .iter()
        .filter_map(|t| t.batch().map(|b| b.level))
        .max()
}

/// The physical tensor of `t` at `level` (batch dim first) and whether it was batched there.
pub(crate) fn unwrap_at(t: &Tensor, level: u64) -> (Tensor, bool) {
    match t.batch() {
        Some(b) if b.level == level => (b.inner.clone(), true),
        _ => (t.clone(), false),
    }
}

/// Wraps a physical tensor (batch dim first) as batched at `level`.
pub(crate) fn wrap(inner: Tensor, level: u64) -> Tensor {
    debug_assert!(inner.batch().is_none_or(|b| b.level < level));
    Tensor::new_batched(level, inner)
}

/// The size of the batch dim at `level` (from the first input batched there).
pub(crate) fn batch_size_at(inputs: &[&Tensor], level: u64) -> usize {
    inputs
        .iter()
        .find_map(|t| match t.batch() {
            Some(b) if b.level == level => Some(b.inner.shape()[0]),
            _ => None,
        })
        .unwrap_or(0)
}

/// Inserts size-1 dims right after the batch dim until `p` (physical) has logical rank `rank`,
/// so right-aligned broadcasting lines up the logical dims.
pub(crate) fn pad_logical(p: &Tensor, rank: usize) -> PyResult<Tensor> {
    let mut p = p.clone();
    while p.ndim() < rank + 1 {
        p = ops::unsqueeze(&p, 1)?;
    }
    Ok(p)
}

/// An unbatched tensor expanded to carry a batch dim of size `b` in front (a view).
pub(crate) fn expand_batch(t: &Tensor, b: usize) -> PyResult<Tensor> {
    let mut sizes = vec![b as isize];
    sizes.extend(std::iter::repeat_n(-1, t.ndim()));
    ops::expand(&ops::unsqueeze(t, 0)?, &sizes)
}

/// `t` (unwrapped at `level` when batched there) with a batch dim of size `b` in front.
pub(crate) fn materialize(t: &Tensor, level: u64, b: usize) -> PyResult<Tensor> {
    let (p, batched) = unwrap_at(t, level);
    if batched { Ok(p) } else { expand_batch(t, b) }
}

/// Adds a batch dim at `level` taken from logical dim `dim` of `t`. When `t` is batched at a
/// higher level, the new level goes underneath it, keeping levels decreasing inwards.
pub fn add_batch_dim(t: &Tensor, level: u64, dim: usize) -> PyResult<Tensor> {
    if let Some(b) = t.batch()
        && b.level > level
    {
        let inner = add_batch_dim(&b.inner, level, dim + 1)?;
        return Ok(Tensor::new_batched(b.level, inner));
    }
    let moved = if dim == 0 {
        t.clone()
    } else {
        ops::movedim(t, &[dim as isize], &[0])?
    };
    Ok(wrap(moved, level))
}

/// Removes the batch dim of `level` from `t`, putting it at logical dim `dim` of the result;
/// an output not batched at `level` is expanded to `batch_size` there (a view, as PyTorch).
pub fn remove_batch_dim(t: &Tensor, level: u64, batch_size: usize, dim: isize) -> PyResult<Tensor> {
    if let Some(b) = t.batch() {
        if b.level == level {
            let d = crate::array::normalize_dim(dim, b.inner.ndim())?;
            return if d == 0 {
                Ok(b.inner.clone())
            } else {
                ops::movedim(&b.inner, &[0], &[d as isize])
            };
        }
        if b.level > level {
            let inner = remove_batch_dim(&b.inner, level, batch_size, dim + 1)?;
            return Ok(Tensor::new_batched(b.level, inner));
        }
    }
    let d = crate::array::normalize_dim(dim, t.ndim() + 1)?;
    let mut sizes: Vec<isize> = t.shape().iter().map(|&s| s as isize).collect();
    sizes.insert(d, batch_size as isize);
    ops::expand(&ops::unsqueeze(t, d as isize)?, &sizes)
}

/// Whether `t` is batched at `level` (directly or under a higher level).
pub fn is_batched_at(t: &Tensor, level: u64) -> bool {
    match t.batch() {
        Some(b) if b.level == level => true,
        Some(b) if b.level > level => is_batched_at(&b.inner, level),
        _ => false,
    }
}

/// The fully physical tensor under every batch wrapper of `t`, and the levels peeled off
/// (outermost first). `rewrap(physical(t))` rebuilds `t`'s batching.
pub fn physical(t: &Tensor) -> (Tensor, Vec<u64>) {
    let mut levels = Vec::new();
    let mut cur = t.clone();
    while let Some(b) = cur.batch() {
        levels.push(b.level);
        let next = b.inner.clone();
        cur = next;
    }
    (cur, levels)
}

/// `t` with its physical batch dims outermost in memory and its own (logical) dims in
/// `feature_order`, slowest first: `t` itself when it is laid out so, else a copy. The layouts
/// PyTorch's transforms promise (forward tangents, Jacobians under `vmap`).
pub(crate) fn batch_dims_outermost(t: &Tensor, feature_order: &[usize]) -> Tensor {
    let (physical, ids) = physical(t);
    let Some(nb) = physical.ndim().checked_sub(feature_order.len()) else {
        return t.clone();
    };
    let order: Vec<usize> = (0..nb)
        .chain(feature_order.iter().map(|&d| d + nb))
        .collect();
    match ops::laid_out(&physical, &order) {
        Ok(p) => rewrap(p, &ids),
        Err(_) => t.clone(),
    }
}

/// Wraps a physical tensor whose leading dims are the batch dims of `levels` (outermost
/// first, as returned by `physical`).
pub fn rewrap(p: Tensor, levels: &[u64]) -> Tensor {
    let mut t = p;
    for &l in levels.iter().rev() {
        t = Tensor::new_batched(l, t);
    }
    t
}

/// The active vmap levels with their batch sizes, outermost (lowest level) first.
pub fn active_levels() -> Vec<(u64, usize)> {
    STACK.with(|s| s.borrow().iter().map(|f| (f.level, f.batch_size)).collect())
}

/// `t` with the batch dims of `levels` (from `active_levels`) made physical: leading dims
/// `[B_1, ..., B_k]` in `levels` order, expanded where `t` is not batched at a level. Levels
/// higher than those stay batched (e.g. the basis vmap of a `jacrev` running inside them).
///
/// A reverse-mode transform (torch.func.grad, vjp, jacrev) running inside vmap differentiates
/// on physical tensors: `P = to_physical(primal)`, `leaf = Tensor::leaf(P.array(), true)`,
/// `x = from_physical(&leaf)`, `y = f(x)`, then `autograd::grad(to_physical(y),
/// leaf, to_physical(v))` and `from_physical` of the result. Every batch element owns its slice
/// of the leaf, so the physical gradient is the stack of the per-element gradients.
pub fn to_physical(t: &Tensor, levels: &[(u64, usize)]) -> PyResult<Tensor> {
    let mut t = t.clone();
    for &(level, b) in levels.iter().rev() {
        t = remove_batch_dim(&t, level, b, 0)?;
    }
    Ok(t)
}

/// The inverse of `to_physical`: the leading dims of `t` become the batch dims of `levels`.
pub fn from_physical(t: &Tensor, levels: &[(u64, usize)]) -> PyResult<Tensor> {
    let mut t = t.clone();
    for &(level, _) in levels {
        t = add_batch_dim(&t, level, 0)?;
    }
    Ok(t)
}

/// The documented fallback for ops without a batching rule: runs `f` once per batch element
/// (inputs batched at the top level are sliced with `select`; the others are passed whole) and
/// `stack`s each output over the batch.
pub(crate) fn fallback(
    inputs: &[&Tensor],
    f: impl Fn(&[Tensor]) -> PyResult<Vec<Tensor>>,
) -> PyResult<Vec<Tensor>> {
    let Some(level) = top_level(inputs) else {
        let owned: Vec<Tensor> = inputs.iter().map(|t| (*t).clone()).collect();
        return f(&owned);
    };
    let b = batch_size_at(inputs, level);
    if b == 0 {
        return Err(runtime_error(
            "vmap: the fallback for this operator does not support a batch of size 0",
        ));
    }
    let unwrapped: Vec<(Tensor, bool)> = inputs.iter().map(|t| unwrap_at(t, level)).collect();
    let mut per_output: Vec<Vec<Tensor>> = Vec::new();
    for i in 0..b {
        let args: Vec<Tensor> = unwrapped
            .iter()
            .map(|(p, batched)| {
                if *batched {
                    ops::select(p, 0, i as isize)
                } else {
                    Ok(p.clone())
                }
            })
            .collect::<PyResult<_>>()?;
        let outs = f(&args)?;
        if per_output.is_empty() {
            per_output = vec![Vec::with_capacity(b); outs.len()];
        }
        for (slot, o) in per_output.iter_mut().zip(outs) {
            slot.push(o);
        }
    }
    per_output
        .into_iter()
        .map(|os| Ok(wrap(ops::stack(&os, 0)?, level)))
        .collect()
}

/// `fallback` for a single-output op.
pub(crate) fn fallback1(
    inputs: &[&Tensor],
    f: impl Fn(&[Tensor]) -> PyResult<Tensor>,
) -> PyResult<Tensor> {
    let mut outs = fallback(inputs, |args| Ok(vec![f(args)?]))?;
    outs.pop()
        .ok_or_else(|| runtime_error("vmap fallback: no output"))
}

// ---------------------------------------------------------------------------------------------
// vmap itself.

/// Options of `torch.func.vmap` beyond the dims, and the names PyTorch's errors print.
#[derive(Clone, Debug)]
pub struct VmapOptions {
    /// `func.__name__` (`<lambda>` for lambdas).
    pub func_name: String,
    /// `repr(in_dims)` as the user wrote it.
    pub in_dims_repr: String,
    pub randomness: Randomness,
    pub chunk_size: Option<usize>,
    /// The rules of `torch._vmap_internals`, the vmap behind `autograd.grad(...,
    /// is_grads_batched=True)` and so behind `autograd.functional.jacobian(vectorize=True)`.
    /// They differ from functorch's only where the result's layout does: a matrix times a
    /// batched vector comes out batch-first (`batch @ matrixᵀ`), not batch-last.
    pub legacy: bool,
}

impl Default for VmapOptions {
    fn default() -> Self {
        VmapOptions {
            func_name: "<lambda>".to_string(),
            in_dims_repr: "0".to_string(),
            randomness: Randomness::Error,
            chunk_size: None,
            legacy: false,
        }
    }
}

/// The batched function type: flat tensors in, flat tensors out.
pub type VmapFn<'a> = dyn FnMut(&[Tensor]) -> PyResult<Vec<Tensor>> + 'a;

/// `vmap(f, in_dims, out_dims)(*inputs)` on flat lists with default options. `in_dims[i]` is
/// the mapped dim of `inputs[i]` (None: passed unbatched; negative dims count from the end);
/// `out_dims` has one entry per output, or one for all (None: the output must not be batched
/// and is returned as is). `batch_size` is needed only when no input is mapped.
pub fn vmap(
    f: &mut VmapFn<'_>,
    inputs: &[Tensor],
    in_dims: &[Option<isize>],
    out_dims: &[Option<isize>],
    batch_size: Option<usize>,
) -> PyResult<Vec<Tensor>> {
    vmap_with(
        &VmapOptions::default(),
        f,
        inputs,
        in_dims,
        out_dims,
        batch_size,
    )
}

/// `vmap` with options (chunking, randomness, error names).
pub fn vmap_with(
    opts: &VmapOptions,
    f: &mut VmapFn<'_>,
    inputs: &[Tensor],
    in_dims: &[Option<isize>],
    out_dims: &[Option<isize>],
    batch_size: Option<usize>,
) -> PyResult<Vec<Tensor>> {
    if in_dims.len() != inputs.len() {
        return Err(value_error(format!(
            "vmap({}, in_dims={}, ...)(<inputs>): in_dims is not compatible with the structure of `inputs`.",
            opts.func_name, opts.in_dims_repr
        )));
    }
    // Validate and normalize the mapped dims, then find the batch size.
    let mut dims: Vec<Option<usize>> = Vec::with_capacity(inputs.len());
    let mut sizes = Vec::new();
    for (t, d) in inputs.iter().zip(in_dims) {
        let Some(d) = *d else {
            dims.push(None);
            continue;
        };
        let r = t.ndim() as isize;
        if d < -r || d >= r {
            return Err(value_error(format!(
                "vmap({}, in_dims={}, ...)(<inputs>): Got in_dim={} for some input, but that input is a Tensor of dimensionality {} so expected in_dim to satisfy -{} <= in_dim < {}.",
                opts.func_name, opts.in_dims_repr, d, r, r, r
            )));
        }
        let d = if d < 0 { d + r } else { d } as usize;
        sizes.push(t.shape()[d]);
        dims.push(Some(d));
    }
    if sizes.iter().any(|&s| s != sizes[0]) {
        return Err(value_error(format!(
            "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes {:?} for the mapped dimension",
            sizes
        )));
    }
    let b = match (sizes.first(), batch_size) {
        (Some(&s), _) => s,
        (None, Some(b)) => b,
        (None, None) => {
            return Err(value_error(
                "vmap: Expected at least one Tensor to vmap over",
            ));
        }
    };
    match opts.chunk_size {
        Some(0) => Err(value_error(
            "vmap: chunk_size should be None or greater than 0. (got 0)",
        )),
        Some(c) if c < b && !sizes.is_empty() => {
            vmap_chunked(opts, f, inputs, &dims, out_dims, b, c)
        }
        _ => vmap_level(opts, f, inputs, &dims, out_dims, b),
    }
}

/// Runs the batch in chunks of `chunk` (each a separate vmap call) and concatenates each
/// output along its out dim.
fn vmap_chunked(
    opts: &VmapOptions,
    f: &mut VmapFn<'_>,
    inputs: &[Tensor],
    dims: &[Option<usize>],
    out_dims: &[Option<isize>],
    b: usize,
    chunk: usize,
) -> PyResult<Vec<Tensor>> {
    let mut results: Vec<Vec<Tensor>> = Vec::new();
    let mut start = 0;
    while start < b {
        let end = (start + chunk).min(b);
        let args: Vec<Tensor> = inputs
            .iter()
            .zip(dims)
            .map(|(t, d)| match d {
                Some(d) => ops::slice(t, *d as isize, Some(start as isize), Some(end as isize), 1),
                None => Ok(t.clone()),
            })
            .collect::<PyResult<_>>()?;
        let outs = vmap_level(opts, f, &args, dims, out_dims, end - start)?;
        if results.is_empty() {
            results = vec![Vec::new(); outs.len()];
        }
        for (slot, o) in results.iter_mut().zip(outs) {
            slot.push(o);
        }
        start = end;
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, parts)| match out_dim_of(out_dims, i)? {
            Some(d) => ops::cat(&parts, d),
            // Unbatched outputs are the same for every chunk: keep the first.
            None => parts
                .into_iter()
                .next()
                .ok_or_else(|| runtime_error("vmap: no output")),
        })
        .collect()
}

fn out_dim_of(out_dims: &[Option<isize>], i: usize) -> PyResult<Option<isize>> {
    match out_dims {
        [d] => Ok(*d),
        ds => ds.get(i).copied().ok_or_else(|| {
            value_error(format!(
                "vmap(<fn>, ..., out_dims={:?})(<inputs>): out_dims is not compatible with the structure of `outputs`.",
                ds
            ))
        }),
    }
}

/// One vmap level: wrap the inputs, call `f`, unwrap the outputs.
fn vmap_level(
    opts: &VmapOptions,
    f: &mut VmapFn<'_>,
    inputs: &[Tensor],
    dims: &[Option<usize>],
    out_dims: &[Option<isize>],
    b: usize,
) -> PyResult<Vec<Tensor>> {
    let (guard, level) = FrameGuard::push(b, opts.randomness, opts.legacy);
    let args: Vec<Tensor> = inputs
        .iter()
        .zip(dims)
        .map(|(t, d)| match d {
            Some(d) => add_batch_dim(t, level, *d),
            None => Ok(t.clone()),
        })
        .collect::<PyResult<_>>()?;
    let outs = f(&args)?;
    drop(guard);
    if out_dims.len() != 1 && out_dims.len() != outs.len() {
        return Err(value_error(format!(
            "vmap({}, ..., out_dims={})(<inputs>): out_dims is not compatible with the structure of `outputs`.",
            opts.func_name,
            out_dims_repr(out_dims)
        )));
    }
    outs.iter()
        .enumerate()
        .map(|(i, o)| match out_dim_of(out_dims, i)? {
            Some(d) => remove_batch_dim(o, level, b, d),
            None if is_batched_at(o, level) => Err(value_error(format!(
                "vmap({}, ...): `{}` can not return a BatchedTensor when out_dim is None",
                opts.func_name, opts.func_name
            ))),
            None => Ok(o.clone()),
        })
        .collect()
}

fn out_dims_repr(ds: &[Option<isize>]) -> String {
    let items: Vec<String> = ds
        .iter()
        .map(|d| d.map_or("None".to_string(), |d| d.to_string()))
        .collect();
    format!("({})", items.join(", "))
}

/// `vmap` of a single-input, single-output function (tests, benchmarks, internal callers).
pub fn vmap1(
    f: impl Fn(&Tensor) -> PyResult<Tensor>,
    input: &Tensor,
    in_dim: isize,
    out_dim: isize,
) -> PyResult<Tensor> {
    let mut g = |args: &[Tensor]| Ok(vec![f(&args[0])?]);
    let mut outs = vmap(
        &mut g,
        std::slice::from_ref(input),
        &[Some(in_dim)],
        &[Some(out_dim)],
        None,
    )?;
    outs.pop().ok_or_else(|| runtime_error("vmap: no output"))
}

/// Errors for data-dependent Python control flow on a batched tensor (`bool(t)`, `if t:`).
pub fn check_not_batched_for_control_flow(t: &Tensor) -> PyResult<()> {
    if t.is_batched() {
        return Err(runtime_error(DATA_DEPENDENT_ERROR));
    }
    Ok(())
}

/// `backward()` refuses to run inside vmap.
pub fn check_backward_allowed() -> PyResult<()> {
    if is_active() {
        return Err(runtime_error(BACKWARD_ERROR));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
