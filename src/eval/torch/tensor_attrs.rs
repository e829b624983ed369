//! Tensor attributes (`shape`, `grad`, `grad_fn`, `T`, ...), attribute assignment, and the
//! lookup of bound methods.

use super::convert::size_value;
use super::objects::device_value;
use super::table::method_value;
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, attribute_error, runtime_error, type_error};
use crate::eval::value::Value;

/// Read-only properties (assigning one is PyTorch's "not writable" error).
const PROPERTIES: &[&str] = &[
    "shape",
    "dtype",
    "grad",
    "requires_grad",
    "is_leaf",
    "grad_fn",
    "data",
    "T",
    "mT",
    "ndim",
    "device",
    "is_cuda",
    "is_cpu",
    "is_sparse",
    "itemsize",
    "nbytes",
    "retains_grad",
    "_version",
    "layout",
    "output_nr",
];

/// Every attribute name, for `dir()` and completion.
pub fn attr_names() -> Vec<String> {
    let mut names: Vec<String> = PROPERTIES.iter().map(|s| s.to_string()).collect();
    names.extend(super::module::method_names());
    names.sort();
    names.dedup();
    names
}

fn property(t: &Tensor, name: &str) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "shape" => size_value(&t.shape()),
        "dtype" => Value::DType(t.dtype()),
        "grad" => {
            let grad = t.grad();
            // PyTorch's TensorBase::grad(): a non-leaf that does not retain its grad.
            if grad.is_none() && !t.is_leaf() && !t.retains_grad() {
                crate::eval::warnings::warn("UserWarning", crate::eval::warnings::NON_LEAF_GRAD);
            }
            grad.map(Value::Tensor).unwrap_or(Value::None)
        }
        "requires_grad" => Value::Bool(t.requires_grad()),
        "is_leaf" => Value::Bool(t.is_leaf()),
        "retains_grad" => Value::Bool(t.retains_grad()),
        "_version" => Value::Int(t.version() as i64),
        "grad_fn" => match t.grad_fn() {
            Some(node) => super::graph_nodes::node_value(&node),
            None => Value::None,
        },
        // `.data`: the same storage, outside the graph.
        "data" => Value::Tensor(Tensor::new(t.array())),
        // `.T` reverses every dim through permute (PermuteBackward0); a 0-d tensor is itself.
        "T" => match t.ndim() {
            0 => Value::Tensor(t.clone()),
            n => {
                let dims: Vec<isize> = (0..n as isize).rev().collect();
                Value::Tensor(ops::permute(t, &dims)?)
            }
        },
        "mT" => {
            if t.ndim() < 2 {
                return Err(runtime_error(format!(
                    "tensor.mT is only supported on matrices or batches of matrices. Got {}-D tensor.",
                    t.ndim()
                )));
            }
            Value::Tensor(ops::transpose(t, -2, -1)?)
        }
        "ndim" => Value::Int(t.ndim() as i64),
        "device" => device_value(),
        "is_cuda" | "is_sparse" => Value::Bool(false),
        "is_cpu" => Value::Bool(true),
        "layout" => Value::str("torch.strided"),
        "itemsize" => Value::Int(t.dtype().size() as i64),
        "nbytes" => Value::Int((t.dtype().size() * t.numel()) as i64),
        _ => return Ok(None),
    }))
}

/// See `super::tensor_attr`.
pub fn tensor_attr(t: &Tensor, name: &str) -> PyResult<Value> {
    if let Some(v) = property(t, name)? {
        return Ok(v);
    }
    match super::module::method(name) {
        Some(ov) => Ok(method_value(ov, t.clone())),
        None => Err(attribute_error(format!(
            "'Tensor' object has no attribute '{name}'"
        ))),
    }
}

/// See `super::tensor_set_attr`.
pub fn tensor_set_attr(t: &Tensor, name: &str, value: Value) -> PyResult<()> {
    match name {
        "grad" => match value {
            Value::None => {
                t.set_grad(None);
                Ok(())
            }
            Value::Tensor(g) => {
                if g.dtype() != t.dtype() {
                    return Err(runtime_error("assigned grad has data of a different type"));
                }
                if g.shape() != t.shape() {
                    return Err(runtime_error("assigned grad has data of a different size"));
                }
                t.set_grad(Some(g));
                Ok(())
            }
            other => Err(type_error(format!(
                "assigned grad expected to be a Tensor or None but got grad of type {}",
                other.type_name()
            ))),
        },
        "requires_grad" => match value {
            // The setter's own wording (THPVariable_set_requires_grad), after its leaf check.
            Value::Bool(true) if t.is_leaf() && !t.dtype().is_floating() => Err(runtime_error(
                "only Tensors of floating point and complex dtype can require gradients",
            )),
            Value::Bool(b) => t.requires_grad_(b),
            // THPVariable_set_requires_grad: a RuntimeError, whatever the value's type.
            _ => Err(runtime_error("requires_grad must be a bool")),
        },
        "data" => match value {
            Value::Tensor(d) => {
                t.set_array(d.array());
                Ok(())
            }
            other => Err(type_error(format!(
                "Variable data has to be a tensor, but got {}",
                other.type_name()
            ))),
        },
        _ if PROPERTIES.contains(&name) || super::module::method(name).is_some() => {
            Err(attribute_error(format!(
                "attribute '{name}' of 'torch._C.TensorBase' objects is not writable"
            )))
        }
        _ => Err(attribute_error(format!(
            "'Tensor' object has no attribute '{name}'"
        ))),
    }
}
