//! Function transforms over Rust closures: `vjp`, `jvp` (true forward mode), `jacrev`,
//! `jacfwd`, `hessian`. The language-level `torch.func` / `torch.autograd.functional` are built
//! on these.

use super::batching;
use super::forward::{DualLevel, make_dual, unpack_dual};
use super::grad_mode::GradModeGuard;
use super::ops;
use super::tensor::Tensor;
use crate::error::PyResult;

/// A function of several tensors returning several tensors.
pub type TensorFn<'a> = dyn FnMut(&[Tensor]) -> PyResult<Vec<Tensor>> + 'a;

/// The tensors a reverse-mode transform differentiates with respect to. A primal that already
/// requires grad (an outer reverse transform) is aliased, keeping the outer graph connected; any
/// other becomes a leaf sharing its data that requires grad and keeps its forward-mode tangents
/// (an outer `jvp`/`jacfwd`). Returns whether an outer graph must be kept (`create_graph`).
fn grad_inputs(primals: &[Tensor]) -> PyResult<(Vec<Tensor>, bool)> {
    let mut outer = false;
    let mut out = Vec::with_capacity(primals.len());
    for p in primals {
        if p.requires_grad() {
            outer = true;
            out.push(ops::alias_of(p)?);
        } else {
            let leaf = Tensor::leaf(p.array(), true)?;
            for (level, t) in p.0.tangents.borrow().iter() {
                leaf.set_tangent(*level, Some(t.clone()));
            }
            out.push(leaf);
        }
    }
    Ok((out, outer))
}

/// What a reverse-mode transform (grad, vjp, jacrev) differentiates with respect to. Inside
/// `vmap`, gradients are taken on *physical* tensors (every batch element owns its slice of
/// the leaf, so the physical gradient stacks the per-element gradients) and handed back
/// batched again; outside, physical and logical coincide.
pub struct Wrt {
    /// What the user function receives (batched like the primals).
    pub inputs: Vec<Tensor>,
    /// The physical tensors gradients are taken with respect to.
    targets: Vec<Tensor>,
    /// Whether an outer graph must be kept (`create_graph`).
    pub outer: bool,
    /// The vmap levels active when the transform was called (outermost first).
    levels: Vec<(u64, usize)>,
    /// Batch the Jacobian's pass with the legacy vmap rules, as
    /// `torch.autograd.functional.jacobian(vectorize=True)` does (see `VmapOptions::legacy`).
    pub legacy_vmap: bool,
}

thread_local! {
    static REVERSE_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many reverse-mode transforms (grad, vjp, jacrev) are running their function now.
pub fn reverse_depth() -> usize {
    REVERSE_DEPTH.with(|d| d.get())
}

/// Marks a reverse-mode transform's function call and gradient computation.
pub struct ReverseScope;

impl ReverseScope {
    pub fn new() -> ReverseScope {
        REVERSE_DEPTH.with(|d| d.set(d.get() + 1));
        ReverseScope
    }
}

impl Default for ReverseScope {
    fn default() -> Self {
        ReverseScope::new()
    }
}

impl Drop for ReverseScope {
    fn drop(&mut self) {
        REVERSE_DEPTH.with(|d| d.set(d.get() - 1));
    }
}

impl Wrt {
    /// Inputs that are already what gradients are taken with respect to (outside vmap).
    pub fn from_inputs(inputs: &[Tensor], create_graph: bool) -> Wrt {
        Wrt {
            inputs: inputs.to_vec(),
            targets: inputs.to_vec(),
            outer: create_graph,
            levels: Vec::new(),
            legacy_vmap: false,
        }
    }

    pub fn new(primals: &[Tensor]) -> PyResult<Wrt> {
        Wrt::with_levels(primals, false)
    }

    /// `new` for `torch.func.grad`/`vjp`/`jacrev` called inside a user's vmap: a primal not
    /// batched at an enclosing vmap level is expanded there (the per-sample-gradient pattern
    /// `vmap(grad(f), in_dims=(None, 0))`), so each batch element differentiates its own copy.
    pub fn new_per_sample(primals: &[Tensor]) -> PyResult<Wrt> {
        Wrt::with_levels(primals, true)
    }

    fn with_levels(primals: &[Tensor], expand_unbatched: bool) -> PyResult<Wrt> {
        // Only the vmap levels the primals are batched at are made physical: a primal that is
        // not batched at a level (e.g. a dual whose tangents are batched by jacfwd) stays as is.
        // A primal that is not batched at a user's vmap level is expanded there too (the
        // per-sample-gradient pattern `vmap(grad(f), in_dims=(None, 0))`): the function's
        // output is batched through the other inputs, so each batch element needs its own
        // copy of the leaf for its own gradient.
        let tangent_batched = |l: u64| {
            primals.iter().any(|p| {
                p.0.tangents
                    .borrow()
                    .iter()
                    .any(|(_, t)| batching::is_batched_at(t, l))
            })
        };
        // Only levels below every level the primals (or their tangents: jacfwd's basis) are
        // batched at, so the transforms' own vmaps are left alone.
        let active = batching::active_levels();
        let batched_at = |l: u64| primals.iter().any(|p| batching::is_batched_at(p, l));
        let lowest_used = active
            .iter()
            .map(|&(l, _)| l)
            .filter(|&l| batched_at(l) || tangent_batched(l))
            .min()
            .unwrap_or(u64::MAX);
        let levels: Vec<(u64, usize)> = active
            .into_iter()
            .filter(|&(l, _)| {
                batched_at(l) || (expand_unbatched && l < lowest_used && !batching::is_legacy(l))
            })
            .collect();
        let physical: Vec<Tensor> = primals
            .iter()
            .map(|p| batching::to_physical(p, &levels))
            .collect::<PyResult<_>>()?;
        let (targets, outer) = grad_inputs(&physical)?;
        // Inside another reverse transform, the result must stay differentiable even with
        // respect to variables this transform does not differentiate (closed-over ones).
        let outer = outer || reverse_depth() > 0;
        let inputs = targets
            .iter()
            .map(|t| batching::from_physical(t, &levels))
            .collect::<PyResult<_>>()?;
        Ok(Wrt {
            inputs,
            targets,
            outer,
            levels,
            legacy_vmap: false,
        })
    }

    /// Vector-Jacobian products of `outputs` with `cotangents`, one per input (zeros where an
    /// input is unused), batched like the inputs.
    pub fn grad(
        &self,
        outputs: &[Tensor],
        cotangents: &[Tensor],
        retain_graph: bool,
    ) -> PyResult<Vec<Tensor>> {
        let mut ys = Vec::new();
        let mut cs = Vec::new();
        for (y, c) in outputs.iter().zip(cotangents) {
            let y = batching::to_physical(y, &self.levels)?;
            if y.requires_grad() {
                cs.push(Some(batching::to_physical(c, &self.levels)?));
                ys.push(y);
            }
        }
        let grads: Vec<Tensor> = if ys.is_empty() {
            self.targets.iter().map(ops::zeros_like).collect()
        } else {
            super::grad(
                &ys,
                &self.targets,
                &cs,
                // An outer transform differentiates through this graph again.
                Some(retain_graph || self.outer),
                self.outer,
                true,
                true,
            )?
            .into_iter()
            .zip(&self.targets)
            .map(|(g, t)| g.unwrap_or_else(|| ops::zeros_like(t)))
            .collect()
        };
        grads
            .iter()
            .map(|g| batching::from_physical(g, &self.levels))
            .collect()
    }

    /// Reverse-mode Jacobians `jac[o][i]` (shaped `out.shape + in.shape`): ONE batched backward
    /// pass per output over its basis of cotangents (`vmap`), in chunks of `chunk_size` rows.
    pub fn jacobian(
        &self,
        outputs: &[Tensor],
        chunk_size: Option<usize>,
    ) -> PyResult<Vec<Vec<Tensor>>> {
        let mut jac = Vec::with_capacity(outputs.len());
        for y in outputs {
            let n = y.numel();
            let out_shape: Vec<isize> = y.shape().iter().map(|&s| s as isize).collect();
            let rows: Vec<Tensor> = if n == 0 {
                self.inputs
                    .iter()
                    .map(|x| Tensor::new(crate::array::NdArray::zeros(&[0], x.dtype())))
                    .collect()
            } else {
                let basis = standard_basis(n, y.dtype());
                let mut row = |cot: &[Tensor]| -> PyResult<Vec<Tensor>> {
                    let c = ops::reshape(&cot[0], &out_shape)?;
                    self.grad(std::slice::from_ref(y), &[c], true)
                };
                let mut pass = |basis: Tensor, chunk_size: Option<usize>| {
                    let opts = batching::VmapOptions {
                        chunk_size,
                        legacy: self.legacy_vmap,
                        ..batching::VmapOptions::default()
                    };
                    batching::vmap_with(&opts, &mut row, &[basis], &[Some(0)], &[Some(0)], None)
                };
                match (chunk_size, cache_chunk(n)) {
                    (None, Some(c)) => {
                        // The first block decides: a non-contiguous Jacobian (its layout comes
                        // from the ops) would come out contiguous from `cat`, so it is
                        // computed again in one pass.
                        let first =
                            pass(ops::slice(&basis, 0, Some(0), Some(c as isize), 1)?, None)?;
                        let contiguous = first
                            .iter()
                            .all(|r| batching::physical(r).0.array().is_contiguous());
                        if contiguous {
                            let rest = ops::slice(&basis, 0, Some(c as isize), None, 1)?;
                            let rest = pass(rest, Some(c))?;
                            first
                                .into_iter()
                                .zip(rest)
                                .map(|(a, b)| ops::cat(&[a, b], 0))
                                .collect::<PyResult<_>>()?
                        } else {
                            pass(basis, None)?
                        }
                    }
                    _ => pass(basis, chunk_size)?,
                }
            };
            let mut per_input = Vec::with_capacity(rows.len());
            for (r, x) in rows.iter().zip(&self.inputs) {
                let mut shape = out_shape.clone();
                shape.extend(x.shape().iter().map(|&s| s as isize));
                per_input.push(vmap_dims_outermost(ops::view(r, &shape)?));
            }
            jac.push(per_input);
        }
        Ok(jac)
    }
}

/// A Jacobian computed under an outer `vmap`, with the vmap's dims outermost in memory and its
/// own dims in the order they already have, as PyTorch lays it out (`vmap(jacrev(f))(X)` is
/// contiguous there). The pass itself runs with the basis dim outside the vmap dims (they are
/// plain dims of the physical tensors it differentiates), so without this a `view(-1)` that
/// works in PyTorch would fail.
fn vmap_dims_outermost(t: Tensor) -> Tensor {
    let (physical, _) = batching::physical(&t);
    let Some(nb) = physical.ndim().checked_sub(t.ndim()).filter(|&nb| nb > 0) else {
        return t;
    };
    let Some(order) = physical.array().dense_order() else {
        return t;
    };
    // Its own dims keep their memory order.
    let own: Vec<usize> = order
        .into_iter()
        .filter_map(|d| d.checked_sub(nb))
        .collect();
    batching::batch_dims_outermost(&t, &own)
}

/// Rows of the output basis per block when the caller gave no `chunk_size`, for a basis too
/// big for the cache: the batched backward pass streams [rows, n] cotangents through every op,
/// and passes over blocks of about 4 MB (float32) run faster than one pass over the whole
/// (`jacrev` at (Din, Dout) = (32, 2048): 4 blocks of 512 rows, a fifth faster). Blocks are
/// balanced, so none is a sliver that a product would take another path for; every row is
/// computed by the same ops either way, so the values do not change.
fn cache_chunk(n: usize) -> Option<usize> {
    const BLOCK: usize = 1 << 20;
    let blocks = n.saturating_mul(n).div_ceil(BLOCK);
    (blocks >= 2).then(|| n.div_ceil(blocks))
}

/// The `n` one-hot vectors a batched reverse Jacobian pulls back: the rows of an identity,
/// row-major as in functorch (`_construct_standard_basis_for`). The layout is visible:
/// elementwise ops keep it, and gradients have no layout contract, so it decides the strides
/// of the Jacobian (`jacrev(f)(x)` is contiguous and `.view(-1)` works, as in PyTorch).
fn standard_basis(n: usize, dtype: crate::array::DType) -> Tensor {
    Tensor::new(crate::array::NdArray::eye(n, n, dtype))
}

/// The basis a forward Jacobian pushes: the same identity laid out column-major (the same
/// values: the identity is symmetric). Tangents read out are laid out like their primals
/// (`forward::unpack_dual`), so this layout is never seen; it puts the basis dim contiguous
/// in the products of the forward pass, which matrixmultiply then packs with plain copies
/// instead of a gather along 2048-float strides (`jacfwd` at (Din, Dout) = (2048, 32)).
fn forward_basis(n: usize, dtype: crate::array::DType) -> Tensor {
    let eye = crate::array::NdArray::eye(n, n, dtype);
    Tensor::new(eye.t().unwrap_or(eye))
}

/// `jvp(f, primals, tangents)`: outputs and their tangents, in one forward pass.
pub fn jvp(
    f: &mut TensorFn<'_>,
    primals: &[Tensor],
    tangents: &[Tensor],
) -> PyResult<(Vec<Tensor>, Vec<Tensor>)> {
    let level = DualLevel::new();
    let duals: Vec<Tensor> = primals
        .iter()
        .zip(tangents)
        .map(|(p, t)| make_dual(p, t, level.0))
        .collect::<PyResult<_>>()?;
    let outs = f(&duals);
    if let Some(e) = ops::take_forward_error() {
        return Err(e);
    }
    let outs = outs?;
    let mut primal_out = Vec::new();
    let mut tangent_out = Vec::new();
    for o in &outs {
        let (p, t) = unpack_dual(o, level.0)?;
        tangent_out.push(match t {
            Some(t) => t,
            None => ops::zeros_like(&p),
        });
        primal_out.push(p);
    }
    Ok((primal_out, tangent_out))
}

/// Jacobian of every output with respect to every primal (`jac[o][i]`, shaped
/// `out.shape + in.shape`), by reverse mode: one batched backward pass per output (`Wrt`).
pub fn jacobian_reverse(
    f: &mut TensorFn<'_>,
    primals: &[Tensor],
    create_graph: bool,
) -> PyResult<Vec<Vec<Tensor>>> {
    let _grad = GradModeGuard::new(true);
    let mut wrt = Wrt::new(primals)?;
    wrt.outer |= create_graph;
    let outs = f(&wrt.inputs)?;
    wrt.jacobian(&outs, None)
}

/// A transform's result as its caller sees it: the transform's own graph is dropped unless
/// an outer transform (or the user) differentiates through it (`keep_graph`); tangents of outer
/// forward levels are kept either way.
pub fn release(t: &Tensor, keep_graph: bool) -> Tensor {
    if keep_graph {
        return t.clone();
    }
    if t.batch().is_some() {
        let (p, levels) = batching::physical(t);
        return batching::rewrap(release(&p, false), &levels);
    }
    let out = Tensor::new(t.array());
    for (level, tangent) in t.0.tangents.borrow().iter() {
        out.set_tangent(*level, Some(tangent.clone()));
    }
    out
}

/// Forward-mode Jacobians `jac[o][i]` in ONE forward pass: `jvp` with a `vmap`ped basis of
/// tangents (inputs concatenated), as `jacobian(..., vectorize=True, strategy="forward-mode")`.
pub fn jacobian_forward(f: &mut TensorFn<'_>, primals: &[Tensor]) -> PyResult<Vec<Vec<Tensor>>> {
    let total: usize = primals.iter().map(|p| p.numel()).sum();
    let dtype = primals
        .first()
        .map(|p| p.dtype())
        .unwrap_or(crate::array::DType::F32);
    let shapes: std::cell::RefCell<Vec<Vec<usize>>> = std::cell::RefCell::new(Vec::new());
    let columns = if total == 0 {
        let (outs, _) = jvp(f, primals, primals)?;
        *shapes.borrow_mut() = outs.iter().map(|o| o.shape()).collect();
        outs.iter()
            .map(|o| Tensor::new(crate::array::NdArray::zeros(&[0, o.numel()], o.dtype())))
            .collect()
    } else {
        let basis = forward_basis(total, dtype);
        let mut body = |rows: &[Tensor]| -> PyResult<Vec<Tensor>> {
            let mut tangents = Vec::with_capacity(primals.len());
            let mut offset = 0isize;
            for p in primals {
                let n = p.numel() as isize;
                let piece = ops::slice(&rows[0], 0, Some(offset), Some(offset + n), 1)?;
                let shape: Vec<isize> = p.shape().iter().map(|&s| s as isize).collect();
                tangents.push(ops::to_dtype(&ops::reshape(&piece, &shape)?, p.dtype())?);
                offset += n;
            }
            let (outs, tans) = jvp(f, primals, &tangents)?;
            *shapes.borrow_mut() = outs.iter().map(|o| o.shape()).collect();
            Ok(tans)
        };
        batching::vmap(&mut body, &[basis], &[Some(0)], &[Some(0)], None)?
    };
    let shapes = shapes.into_inner();
    let mut jac = Vec::with_capacity(columns.len());
    for (col, oshape) in columns.iter().zip(&shapes) {
        // As functorch: the basis dim moves last (a view), each input's slice of it is
        // unflattened to the input's shape, so the result keeps the tangents' layout.
        let moved = ops::movedim(col, &[0], &[-1])?;
        let last = moved.ndim() as isize - 1;
        let mut row = Vec::with_capacity(primals.len());
        let mut offset = 0isize;
        for p in primals {
            let n = p.numel() as isize;
            let mine = ops::slice(&moved, last, Some(offset), Some(offset + n), 1)?;
            let mut shape: Vec<isize> = oshape.iter().map(|&s| s as isize).collect();
            shape.extend(p.shape().iter().map(|&s| s as isize));
            row.push(vmap_dims_outermost(ops::reshape(&mine, &shape)?));
            offset += n;
        }
        jac.push(row);
    }
    Ok(jac)
}

#[cfg(test)]
mod cache_chunk_tests {
    use super::cache_chunk;

    #[test]
    fn blocks_are_balanced_and_only_for_big_bases() {
        assert_eq!(cache_chunk(0), None);
        assert_eq!(cache_chunk(1024), None); // a 4 MB basis: one pass
        assert_eq!(cache_chunk(1025), Some(513));
        assert_eq!(cache_chunk(2048), Some(512));
        // 2049² needs 5 blocks: four of 410 rows and one of 409, never a sliver.
        assert_eq!(cache_chunk(2049), Some(410));
        assert_eq!(cache_chunk(usize::MAX).map(|c| c > 0), Some(true));
    }
}
