//! Recording ops in the graph. Every differentiable op ends in `record`/`record_multi`, which
//! also gives the outputs their forward-mode tangents (see `autograd::forward`).

use crate::array::NdArray;
use crate::autograd::forward::{Suspend, levels_of};
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
    let levels = levels_of(inputs);
    let live = needs_grad(inputs);
    if !live && levels.is_empty() {
        return outs.into_iter().map(Tensor::new).collect();
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
    for level in levels {
        if let Err(e) = attach_tangents(&node, inputs, &outputs, level) {
            FORWARD_ERROR.with(|slot| {
                slot.borrow_mut().get_or_insert(e);
            });
        }
    }
    outputs
}

/// The JVP of the op at dual `level`, by transposing its backward formula:
/// `ẏ = ∂/∂g ⟨B(g), ẋ⟩` for the (linear in g) vector-Jacobian product `B`.
fn attach_tangents(
    node: &Rc<Node>,
    inputs: &[&Tensor],
    outputs: &[Tensor],
    level: u64,
) -> PyResult<()> {
    let _off = Suspend::new(level);
    let _grad = GradModeGuard::new(true);
    let cotangents: Vec<Tensor> = outputs
        .iter()
        .map(|o| {
            Tensor::leaf(
                NdArray::zeros(&o.shape(), o.dtype()),
                o.dtype().is_floating(),
            )
        })
        .collect::<PyResult<_>>()?;
    if cotangents.iter().any(|c| !c.requires_grad()) {
        return Ok(()); // integer outputs carry no tangent
    }
    let vjps = node.apply(&cotangents)?;
    let mut total: Option<Tensor> = None;
    for (vjp, input) in vjps.into_iter().zip(inputs) {
        let (Some(vjp), Some(tangent)) = (vjp, input.tangent(level)) else {
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
    if !total.requires_grad() {
        return Ok(());
    }
    let tangents =
        crate::autograd::grad(&[total], &cotangents, &[], Some(false), true, true, false)?;
    for (out, t) in outputs.iter().zip(tangents) {
        if let Some(t) = t {
            out.set_tangent(level, Some(t));
        }
    }
    Ok(())
}

/// A saved output re-attached to its node, so formulas that use the result (exp, tanh, ...)
/// stay differentiable when backward itself is recorded (`create_graph=True`). A node that is
/// not its outputs' grad_fn (built only for forward mode) hands out a plain constant.
pub(crate) fn saved_output(node: &Rc<Node>, data: &NdArray, output_nr: usize) -> Tensor {
    if node.live {
        Tensor::from_node(data.clone(), node.clone(), output_nr)
    } else {
        Tensor::new(data.clone())
    }
}
