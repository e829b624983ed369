//! Recording ops in the graph. Every differentiable op ends in `record`/`record_multi`.

use crate::array::NdArray;
use crate::autograd::grad_mode::is_grad_enabled;
use crate::autograd::graph::{Edge, Node, OutputMeta};
use crate::autograd::tensor::Tensor;
use crate::error::PyResult;
use std::rc::Rc;

/// Whether an op on `inputs` must be recorded.
pub(crate) fn needs_grad(inputs: &[&Tensor]) -> bool {
    is_grad_enabled() && inputs.iter().any(|t| t.requires_grad())
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
    if !needs_grad(inputs) {
        return Tensor::new(out);
    }
    let edges: Vec<Option<Edge>> = inputs.iter().map(|t| t.edge()).collect();
    let meta = vec![OutputMeta {
        shape: out.shape().to_vec(),
        dtype: out.dtype(),
    }];
    let node = Node::new(
        name,
        edges,
        meta,
        saves,
        Box::new(move |node, grads| backward(node, &grads[0])),
    );
    Tensor::from_node(out, node, 0)
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
    if !needs_grad(inputs) {
        return outs.into_iter().map(Tensor::new).collect();
    }
    let edges: Vec<Option<Edge>> = inputs.iter().map(|t| t.edge()).collect();
    let meta = outs
        .iter()
        .map(|o| OutputMeta {
            shape: o.shape().to_vec(),
            dtype: o.dtype(),
        })
        .collect();
    let node = Node::new(name, edges, meta, saves, Box::new(backward));
    outs.into_iter()
        .enumerate()
        .map(|(i, o)| Tensor::from_node(o, node.clone(), i))
        .collect()
}

/// A saved output re-attached to its node, so formulas that use the result (exp, tanh, ...)
/// stay differentiable when backward itself is recorded (`create_graph=True`).
pub(crate) fn saved_output(node: &Rc<Node>, data: &NdArray, output_nr: usize) -> Tensor {
    Tensor::from_node(data.clone(), node.clone(), output_nr)
}
