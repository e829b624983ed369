//! Recording ops in the graph. Every differentiable op ends in `record`/`record_multi`, which
//! also gives the outputs their forward-mode tangents (see `autograd::forward`).

use crate::array::NdArray;
use crate::autograd::batching;
use crate::autograd::forward::{Deriving, Suspend, deriving, levels_of};
use crate::autograd::grad_mode::{GradModeGuard, is_grad_enabled};
use crate::autograd::graph::{Edge, Node, OutputMeta};
use crate::autograd::tensor::Tensor;
use crate::error::{PyErr, PyResult};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// The first error met while deriving a tangent (ops return plain tensors, so it is
    /// reported by the forward-mode transforms once the function returns).
    static FORWARD_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Takes the pending forward-mode error, if any.
pub(crate) fn take_forward_error() -> Option<PyErr> {
    FORWARD_ERROR.with(|e| e.borrow_mut().take())
}

/// Whether an op on `inputs` must be recorded.
pub(crate) fn needs_grad(inputs: &[&Tensor]) -> bool {
    is_grad_enabled() && inputs.iter().any(|t| t.requires_grad())
}

fn metas(outs: &[NdArray]) -> Vec<OutputMeta> {
    outs.iter()
        .map(|o| OutputMeta {
            shape: o.shape().to_vec(),
            dtype: o.dtype(),
        })
        .collect()
}

/// Wraps the forward value `out` of an op on `inputs`; records a node named `name` whose
/// backward maps the output gradient to one gradient per input.
pub(crate) fn record<F>(
    name: &'static str,
    inputs: &[&Tensor],
    out: NdArray,
    saves: bool,
    backward: F,
) -> Tensor
where
    F: Fn(&Rc<Node>, &Tensor) -> PyResult<Vec<Option<Tensor>>> + 'static,
{
    let mut outs = record_multi(name, inputs, vec![out], saves, move |node, grads| {
        backward(node, &grads[0])
    });
    outs.remove(0)
}

/// How an op's forward-mode tangent is derived.
pub(crate) enum Jvp {
    /// By transposing the backward formula (the generic rule, one small reverse pass).
    Transpose,
    /// The op is elementwise, so its Jacobians are diagonal and each equals its transpose:
    /// `ẏ = Σᵢ Bᵢ(ẋᵢ)`, the backward formula applied to the (broadcast) tangents.
    Diagonal,
    /// The op is linear (or bilinear) in its inputs: a closure from the inputs' tangents
    /// (None = zero) to the output's.
    Linear(LinearJvp),
}

pub(crate) type LinearJvp = Box<dyn Fn(&[Option<Tensor>]) -> PyResult<Tensor>>;

/// The `Linear` rule of a one-input linear op: the op itself, applied to the tangent.
pub(crate) fn lin1(f: impl Fn(&Tensor) -> PyResult<Tensor> + 'static) -> Jvp {
    Jvp::Linear(Box::new(move |ts| match ts.first() {
        Some(Some(t)) => f(t),
        _ => Err(crate::error::runtime_error(
            "internal error: linear JVP without a tangent",
        )),
    }))
}

/// `record` with a cheaper forward-mode rule than transposition.
pub(crate) fn record_jvp<F>(
    name: &'static str,
    inputs: &[&Tensor],
    out: NdArray,
    saves: bool,
    jvp: Jvp,
    backward: F,
) -> Tensor
where
    F: Fn(&Rc<Node>, &Tensor) -> PyResult<Vec<Option<Tensor>>> + 'static,
{
    let mut outs = record_multi_jvp(name, inputs, vec![out], saves, jvp, move |node, grads| {
        backward(node, &grads[0])
    });
    outs.remove(0)
}

/// Like `record` for ops with several differentiable outputs (unbind, split, ...).
pub(crate) fn record_multi<F>(
    name: &'static str,
    inputs: &[&Tensor],
    outs: Vec<NdArray>,
    saves: bool,
    backward: F,
) -> Vec<Tensor>
where
    F: Fn(&Rc<Node>, &[Tensor]) -> PyResult<Vec<Option<Tensor>>> + 'static,
{
    record_multi_jvp(name, inputs, outs, saves, Jvp::Transpose, backward)
}

fn record_multi_jvp<F>(
    name: &'static str,
    inputs: &[&Tensor],
    outs: Vec<NdArray>,
    saves: bool,
    jvp: Jvp,
    backward: F,
) -> Vec<Tensor>
where
    F: Fn(&Rc<Node>, &[Tensor]) -> PyResult<Vec<Option<Tensor>>> + 'static,
{
    let levels = levels_of(inputs);
    let live = needs_grad(inputs);
    if !live && levels.is_empty() {
        let outputs: Vec<Tensor> = outs.into_iter().map(Tensor::new).collect();
        mark_views(name, inputs, &outputs);
        return outputs;
    }
    let edges: Vec<Option<Edge>> = if live {
        inputs.iter().map(|t| t.edge()).collect()
    } else {
        vec![None; inputs.len()]
    };
    let node = Node::new(name, edges, metas(&outs), saves, live, Box::new(backward));
    let outputs: Vec<Tensor> = outs
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            if live {
                Tensor::from_node(o, node.clone(), i)
            } else {
                Tensor::new(o)
            }
        })
        .collect();
    if live && saves {
        *node.output_versions.borrow_mut() = outputs
            .iter()
            .map(|o| {
                let a = o.array();
                let v = a.version();
                (a, v)
            })
            .collect();
    }
    let any_level = !levels.is_empty();
    for level in levels {
        let derived = match &jvp {
            Jvp::Transpose => attach_tangents(&node, inputs, &outputs, level),
            rule => fast_tangent(rule, &node, inputs, &outputs, level),
        };
        if let Err(e) = derived {
            FORWARD_ERROR.with(|slot| {
                slot.borrow_mut().get_or_insert(e);
            });
        }
    }
    if live && any_level {
        *node.tangents.borrow_mut() = outputs
            .iter()
            .map(|o| o.0.tangents.borrow().clone())
            .collect();
    }
    mark_views(name, inputs, &outputs);
    outputs
}

/// Outputs that share their first input's storage are views of it (of its root base): an
/// in-place op on them must rewrite the base's history (`CopySlices`, see `copy_slices.rs`).
fn mark_views(name: &'static str, inputs: &[&Tensor], outputs: &[Tensor]) {
    let Some(input) = inputs.first() else { return };
    if input.is_batched() {
        return;
    }
    let data = input.array();
    let multi = outputs.len() > 1;
    for (i, out) in outputs.iter().enumerate() {
        if !out.is_batched() && out.array().shares_storage(&data) {
            out.mark_view(input, multi.then_some((name, i)));
        }
    }
}

/// The `Diagonal` and `Linear` rules (single-output ops).
fn fast_tangent(
    rule: &Jvp,
    node: &Rc<Node>,
    inputs: &[&Tensor],
    outputs: &[Tensor],
    level: u64,
) -> PyResult<()> {
    let _off = Suspend::new(level);
    let _deriving = Deriving::new();
    let out = &outputs[0];
    if !out.dtype().is_floating() {
        return Ok(());
    }
    let tangents: Vec<Option<Tensor>> = inputs.iter().map(|t| t.tangent(level)).collect();
    let tangent = match rule {
        Jvp::Linear(f) => Some(f(&tangents)?),
        _ => {
            let mut total: Option<Tensor> = None;
            for (i, t) in tangents.iter().enumerate() {
                let Some(t) = t else { continue };
                let g = super::broadcast_to(&super::to_dtype(t, out.dtype())?, &out.shape())?;
                let Some(part) = node.apply(&[g])?.into_iter().nth(i).flatten() else {
                    continue;
                };
                total = Some(match total {
                    None => part,
                    Some(acc) => super::add(&acc, &part, 1.0)?,
                });
            }
            total
        }
    };
    if let Some(t) = tangent {
        out.set_tangent(level, Some(t));
    }
    Ok(())
}

/// The JVP of the op at dual `level`, by transposing its backward formula:
/// `ẏ = ∂/∂g ⟨B(g), ẋ⟩` for the (linear in g) vector-Jacobian product `B`.
///
/// Tangents may be batched (`jacfwd` maps over a basis of tangents with `vmap`): then the
/// cotangent variable is batched at the same levels — a physical leaf with one slice per batch
/// element — so the single reverse pass yields every element's JVP at once.
fn attach_tangents(
    node: &Rc<Node>,
    inputs: &[&Tensor],
    outputs: &[Tensor],
    level: u64,
) -> PyResult<()> {
    let _off = Suspend::new(level);
    let _deriving = Deriving::new();
    let _grad = GradModeGuard::new(true);
    let tangents_in: Vec<Option<Tensor>> = inputs.iter().map(|t| t.tangent(level)).collect();
    let levels: Vec<(u64, usize)> = batching::active_levels()
        .into_iter()
        .filter(|(l, _)| {
            tangents_in
                .iter()
                .flatten()
                .any(|t| batching::is_batched_at(t, *l))
        })
        .collect();
    // One cotangent variable per floating output; integer outputs (max's indices) get a
    // constant zero and no tangent.
    let mut leaves = Vec::with_capacity(outputs.len());
    let mut cotangents = Vec::with_capacity(outputs.len());
    let mut float_outputs = Vec::with_capacity(outputs.len());
    for o in outputs {
        let mut shape: Vec<usize> = levels.iter().map(|&(_, b)| b).collect();
        shape.extend(o.shape());
        if !o.dtype().is_floating() {
            cotangents.push(batching::from_physical(
                &Tensor::new(NdArray::zeros(&shape, o.dtype())),
                &levels,
            )?);
            continue;
        }
        let leaf = Tensor::leaf(NdArray::zeros(&shape, o.dtype()), true)?;
        cotangents.push(batching::from_physical(&leaf, &levels)?);
        leaves.push(leaf);
        float_outputs.push(o);
    }
    if leaves.is_empty() {
        return Ok(());
    }
    let vjps = node.apply(&cotangents)?;
    let mut total: Option<Tensor> = None;
    for ((vjp, input), tangent) in vjps.into_iter().zip(inputs).zip(tangents_in) {
        let (Some(vjp), Some(tangent)) = (vjp, tangent) else {
            continue;
        };
        let vjp = super::sum_to(&vjp, &input.shape())?;
        let term = super::sum(&super::mul(&vjp, &tangent)?, None, false)?;
        total = Some(match total {
            None => term,
            Some(t) => super::add(&t, &term, 1.0)?,
        });
    }
    let Some(total) = total else { return Ok(()) };
    let total = batching::to_physical(&total, &levels)?;
    if !total.requires_grad() {
        return Ok(());
    }
    let ones = Tensor::new(NdArray::full(&total.shape(), 1.0, total.dtype()));
    let tangents = crate::autograd::grad(
        &[total],
        &leaves,
        &[Some(ones)],
        Some(false),
        true,
        true,
        false,
    )?;
    for (out, t) in float_outputs.into_iter().zip(tangents) {
        if let Some(t) = t {
            out.set_tangent(level, Some(batching::from_physical(&t, &levels)?));
        }
    }
    Ok(())
}

/// A saved output for a backward formula (exp, tanh, ... use their result). In a backward
/// pass it is re-attached to its node, so the formula stays differentiable when backward
/// itself is recorded (`create_graph=True`), and it carries the output's forward-mode
/// tangents. While a tangent is being derived, the result is recomputed from the inputs
/// instead (`recompute`): the recomputation carries the tangents of the *other* dual levels,
/// which nested forward mode (`jacfwd(jacfwd(f))`) needs for its cross terms.
pub(crate) fn saved_output(
    node: &Rc<Node>,
    data: &NdArray,
    output_nr: usize,
    recompute: impl FnOnce() -> PyResult<Tensor>,
) -> PyResult<Tensor> {
    if deriving() || !node.live {
        return recompute();
    }
    if let Some((array, saved)) = node.output_versions.borrow().get(output_nr)
        && array.version() != *saved
    {
        return Err(modified_in_place(node, array, output_nr, *saved));
    }
    let t = Tensor::from_node(data.clone(), node.clone(), output_nr);
    if let Some(ts) = node.tangents.borrow().get(output_nr) {
        for (level, tangent) in ts {
            t.set_tangent(*level, Some(tangent.clone()));
        }
    }
    Ok(t)
}

/// PyTorch's error for a saved tensor that was modified in place after it was saved.
fn modified_in_place(
    node: &Node,
    array: &NdArray,
    output_nr: usize,
    saved: u64,
) -> crate::error::PyErr {
    let kind = match array.dtype() {
        crate::array::DType::F32 => "FloatTensor",
        crate::array::DType::F64 => "DoubleTensor",
        crate::array::DType::I64 => "LongTensor",
        crate::array::DType::I32 => "IntTensor",
        crate::array::DType::Bool => "BoolTensor",
    };
    let shape = array
        .shape()
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // PyTorch names the function, not its backward node: `ExpBackward0` → `Exp`.
    let name = node.name();
    let function = match name.find("Backward") {
        Some(i) => &name[..i],
        None => name,
    };
    crate::error::runtime_error(format!(
        "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.{kind} [{shape}]], which is output {output_nr} of {function}, is at version {}; expected version {saved} instead. {}",
        array.version(),
        crate::autograd::anomaly::inplace_hint()
    ))
}
