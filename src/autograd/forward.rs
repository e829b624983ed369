//! Forward-mode AD (PyTorch's dual tensors, `torch.func.jvp`, `jacfwd`).
//!
//! A tensor may carry one tangent per *dual level*. Every differentiable op goes through
//! `ops::record`, which gives the output a tangent for each active level present on its inputs.
//! The JVP rule of an op is derived from its backward formula by transposition: the formula
//! `g ↦ Jᵀg` is linear in `g` and written with differentiable ops, so
//! `J·ẋ = ∂/∂g ⟨Jᵀg, ẋ⟩`, computed with a small reverse pass. Tangent computations are
//! themselves ops, so tangents of tangents (nested `jacfwd`) and reverse-over-forward
//! (`jacrev(jacfwd(f))`) compose. While a level's tangent is being computed that level is
//! switched off, so the rule's own ops do not recurse into it (no perturbation confusion).

use super::tensor::Tensor;
use crate::error::{PyResult, runtime_error};
use std::cell::RefCell;

thread_local! {
    static STATE: RefCell<LevelState> = const { RefCell::new(LevelState { next: 1, active: Vec::new() }) };
}

struct LevelState {
    next: u64,
    /// Levels whose tangents ops propagate, innermost last.
    active: Vec<u64>,
}

/// Opens a new dual level (`torch.autograd.forward_ad.dual_level()`).
pub fn enter_dual_level() -> u64 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let level = s.next;
        s.next += 1;
        s.active.push(level);
        level
    })
}

/// The innermost open dual level (what `fwAD.make_dual` uses by default).
pub fn innermost_level() -> Option<u64> {
    STATE.with(|s| s.borrow().active.last().copied())
}

/// Closes a dual level; tangents at that level become invisible.
pub fn exit_dual_level(level: u64) {
    STATE.with(|s| s.borrow_mut().active.retain(|&l| l != level));
}

/// Keeps a level open for a scope (closes it on drop, also on error).
pub struct DualLevel(pub u64);

impl DualLevel {
    pub fn new() -> DualLevel {
        DualLevel(enter_dual_level())
    }
}

impl Default for DualLevel {
    fn default() -> Self {
        DualLevel::new()
    }
}

impl Drop for DualLevel {
    fn drop(&mut self) {
        exit_dual_level(self.0);
    }
}

thread_local! {
    static DERIVING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Marks the derivation of a tangent (see `ops::saved_output`) for its scope.
pub(crate) struct Deriving;

impl Deriving {
    pub(crate) fn new() -> Deriving {
        DERIVING.with(|d| d.set(d.get() + 1));
        Deriving
    }
}

impl Drop for Deriving {
    fn drop(&mut self) {
        DERIVING.with(|d| d.set(d.get() - 1));
    }
}

/// Whether a tangent is being derived right now.
pub(crate) fn deriving() -> bool {
    DERIVING.with(|d| d.get() > 0)
}

pub(crate) fn is_active(level: u64) -> bool {
    STATE.with(|s| s.borrow().active.contains(&level))
}

pub(crate) fn any_active() -> bool {
    STATE.with(|s| !s.borrow().active.is_empty())
}

/// Switches `level` off while computing its tangents; restores it on drop.
pub(crate) struct Suspend {
    level: u64,
    position: usize,
}

impl Suspend {
    pub(crate) fn new(level: u64) -> Option<Suspend> {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            let position = s.active.iter().position(|&l| l == level)?;
            s.active.remove(position);
            Some(Suspend { level, position })
        })
    }
}

impl Drop for Suspend {
    fn drop(&mut self) {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            let at = self.position.min(s.active.len());
            s.active.insert(at, self.level);
        });
    }
}

/// The active levels at which any of `inputs` has a tangent, outermost first.
pub(crate) fn levels_of(inputs: &[&Tensor]) -> Vec<u64> {
    if !any_active() {
        return Vec::new();
    }
    let mut levels: Vec<u64> = Vec::new();
    for t in inputs {
        for (l, _) in t.0.tangents.borrow().iter() {
            if is_active(*l) && !levels.contains(l) {
                levels.push(*l);
            }
        }
    }
    levels.sort_unstable();
    levels
}

/// `make_dual(primal, tangent)` at `level`: a view of `primal` (same graph position) carrying
/// `tangent`.
pub fn make_dual(primal: &Tensor, tangent: &Tensor, level: u64) -> PyResult<Tensor> {
    if primal.batch().is_some() {
        // Tangents live on the physical tensors the batching rules compute with.
        let (physical, ids) = super::batching::physical(primal);
        let levels = batch_levels(&ids);
        let tangent = super::batching::to_physical(tangent, &levels)?;
        let dual = make_dual(&physical, &tangent, level)?;
        return Ok(super::batching::rewrap(dual, &ids));
    }
    if primal.shape() != tangent.shape() {
        return Err(runtime_error(format!(
            "Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. Tensor is of size {:?} while the given forward gradient is of size {:?}.",
            primal.shape(),
            tangent.shape()
        )));
    }
    if !primal.dtype().is_floating() {
        return Err(runtime_error("Expected both inputs to be floating point"));
    }
    let dual = super::ops::alias_of(primal)?;
    dual.set_tangent(level, Some(tangent.clone()));
    Ok(dual)
}

/// `unpack_dual(t)` at `level`: the primal (a view without the tangent) and the tangent.
pub fn unpack_dual(t: &Tensor, level: u64) -> PyResult<(Tensor, Option<Tensor>)> {
    if t.batch().is_some() {
        let (physical, ids) = super::batching::physical(t);
        let levels = batch_levels(&ids);
        let (primal, tangent) = unpack_dual(&physical, level)?;
        let tangent = tangent
            .map(|g| super::batching::from_physical(&g, &levels))
            .transpose()?;
        return Ok((super::batching::rewrap(primal, &ids), tangent));
    }
    let tangent = t.tangent(level).map(|g| laid_out_like(&g, t));
    let primal = super::ops::alias_of(t)?;
    primal.set_tangent(level, None);
    Ok((primal, tangent))
}

/// PyTorch's layout contract for forward gradients, which it enforces each time a tangent is
/// set: a tangent is laid out like its (dense) primal, batch dims (a `jacfwd` basis)
/// outermost. Only the tangent read out is visible, so it is conformed here: the tangents of
/// `mv` under `vmap` come out batch-last, and `jacfwd`'s strides would follow.
fn laid_out_like(tangent: &Tensor, primal: &Tensor) -> Tensor {
    match primal.array().dense_order() {
        Some(order) => super::batching::batch_dims_outermost(tangent, &order),
        None => tangent.clone(),
    }
}

/// The active vmap levels (with sizes, lowest first) among `ids`.
fn batch_levels(ids: &[u64]) -> Vec<(u64, usize)> {
    super::batching::active_levels()
        .into_iter()
        .filter(|(l, _)| ids.contains(l))
        .collect()
}
