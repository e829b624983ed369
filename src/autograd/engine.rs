//! The backward engine: runs nodes in reverse creation order, accumulating gradients.

use super::tensor::Tensor;
use crate::error::PyResult;

/// `torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)`.
/// `grad_tensors[i]` None means implicit ones (scalar outputs only).
pub fn backward(
    tensors: &[Tensor],
    grad_tensors: &[Option<Tensor>],
    retain_graph: Option<bool>,
    create_graph: bool,
    inputs: Option<&[Tensor]>,
) -> PyResult<()> {
    let _ = (tensors, grad_tensors, retain_graph, create_graph, inputs);
    todo!("autograd: backward")
}

/// `torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
/// allow_unused, materialize_grads)`.
pub fn grad(
    outputs: &[Tensor],
    inputs: &[Tensor],
    grad_outputs: &[Option<Tensor>],
    retain_graph: Option<bool>,
    create_graph: bool,
    allow_unused: bool,
    materialize_grads: bool,
) -> PyResult<Vec<Option<Tensor>>> {
    let _ = (
        outputs,
        inputs,
        grad_outputs,
        retain_graph,
        create_graph,
        allow_unused,
        materialize_grads,
    );
    todo!("autograd: grad")
}
