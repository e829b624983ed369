//! Nodes whose backward is supplied from outside the autograd layer: a custom
//! `torch.autograd.Function` (PyTorch's `PyNode`). The language runs `forward` with grad mode
//! off, then hands the results here; `record_custom` wraps them as PyTorch's `_wrap_outputs`
//! does (dirty inputs rebased onto the node, non-differentiable outputs left without a
//! `grad_fn`, an input returned unchanged becomes an alias) and records one node whose
//! backward calls the supplied closure and checks what it returns with PyTorch's errors.

use super::grad_mode::is_grad_enabled;
use super::graph::{Edge, Node, OutputMeta};
use super::node_meta::{External, ExternalBackward};
use super::tensor::Tensor;
use crate::error::{PyResult, runtime_error};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

thread_local! {
    /// Node names are `&'static str` (every built-in op names its node with a literal); the
    /// few distinct names of language-defined functions are interned once each.
    static NAMES: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) };
}

/// The interned `'static` copy of a node name.
pub fn intern_name(name: &str) -> &'static str {
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        if let Some(s) = n.get(name) {
            return *s;
        }
        let s: &'static str = Box::leak(name.to_string().into_boxed_str());
        n.insert(s);
        s
    })
}

/// What `forward` produced and what `ctx` was told about it.
pub struct CustomCall<'a> {
    /// The node name, e.g. `CubeBackward`.
    pub name: &'a str,
    /// One entry per forward argument: the tensor, or None for a non-tensor argument.
    pub inputs: &'a [Option<Tensor>],
    /// The tensors `forward` returned, in order.
    pub outputs: &'a [Tensor],
    /// `ctx.mark_dirty(...)`.
    pub dirty: &'a [Tensor],
    /// `ctx.mark_non_differentiable(...)`.
    pub non_differentiable: &'a [Tensor],
    pub materialize_grads: bool,
    /// The language's object for the node (`grad_fn` is the function's `ctx`).
    pub object: Option<Rc<dyn std::any::Any>>,
    /// Called when backward frees the node (the `ctx` drops its saved tensors).
    pub on_free: Option<Rc<dyn Fn()>>,
}

fn shape_list(s: &[usize]) -> String {
    format!(
        "[{}]",
        s.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Whether the call records a node: grad mode on and some tensor input requires grad.
pub fn is_executable(inputs: &[Option<Tensor>]) -> bool {
    is_grad_enabled() && inputs.iter().flatten().any(|t| t.requires_grad())
}

/// Wraps `forward`'s outputs and, when the call is differentiable, records the node.
/// Returns the outputs as the language must see them, and the node.
pub fn record_custom(
    call: &CustomCall<'_>,
    backward: ExternalBackward,
) -> PyResult<(Vec<Tensor>, Option<Rc<Node>>)> {
    let is_input = |t: &Tensor| call.inputs.iter().flatten().any(|i| i.is(t));
    let is_dirty = |t: &Tensor| call.dirty.iter().any(|d| d.is(t));
    let executable = is_executable(call.inputs);
    if !executable {
        // No node: an input returned unchanged is still a new tensor object (a view of it).
        let outs = call
            .outputs
            .iter()
            .map(|o| {
                if is_input(o) && !is_dirty(o) {
                    Tensor::new(o.array())
                } else {
                    o.clone()
                }
            })
            .collect();
        return Ok((outs, None));
    }
    for d in call.dirty {
        if d.is_leaf() && d.requires_grad() {
            return Err(runtime_error(
                "a leaf Variable that requires grad has been used in an in-place operation.",
            ));
        }
        // Marking a tensor dirty counts as a write (PyTorch bumps its version).
        drop(d.array().storage_mut());
    }
    // Edges only for tensor arguments (PyTorch's `collect_next_edges` over tensor inputs);
    // the returned gradients are mapped from argument positions to these.
    let tensor_args: Vec<usize> = (0..call.inputs.len())
        .filter(|&i| call.inputs[i].is_some())
        .collect();
    let edges: Vec<Option<Edge>> = tensor_args
        .iter()
        .map(|&i| call.inputs[i].as_ref().and_then(|t| t.edge()))
        .collect();
    let metas: Vec<OutputMeta> = call
        .outputs
        .iter()
        .map(|o| OutputMeta {
            shape: o.shape(),
            dtype: o.dtype(),
        })
        .collect();
    let name = intern_name(call.name);
    let n_args = call.inputs.len();
    let arg_is_tensor: Vec<bool> = call.inputs.iter().map(|i| i.is_some()).collect();
    let in_metas: Vec<(Vec<usize>, crate::array::DType)> = tensor_args
        .iter()
        .map(|&i| {
            let t = call.inputs[i].as_ref().expect("tensor argument");
            (t.shape(), t.dtype())
        })
        .collect();
    let checked: ExternalBackward = Rc::new(move |grads: &[Option<Tensor>]| {
        let returned = backward(grads)?;
        if returned.len() != n_args {
            let extra_all_none =
                returned.len() > n_args && returned[n_args..].iter().all(|g| g.is_none());
            if !extra_all_none {
                return Err(runtime_error(format!(
                    "function {} returned an incorrect number of gradients (expected {}, got {})",
                    name,
                    n_args,
                    returned.len()
                )));
            }
        }
        let mut per_edge = Vec::with_capacity(in_metas.len());
        for (pos, g) in returned.into_iter().take(n_args).enumerate() {
            if !arg_is_tensor[pos] {
                if g.is_some() {
                    return Err(runtime_error(format!(
                        "function {} returned a gradient different than None at position {}, but the corresponding forward input was not a Variable",
                        name,
                        pos + 1
                    )));
                }
                continue;
            }
            per_edge.push(g);
        }
        // PyTorch's validate_outputs: reduce a broadcast gradient, refuse other shapes, cast.
        for (i, g) in per_edge.iter_mut().enumerate() {
            let Some(t) = g.take() else { continue };
            let (shape, dtype) = &in_metas[i];
            let mut t = t;
            if t.shape() != *shape {
                let expandable = crate::array::broadcast_shapes(shape, &t.shape())
                    .map(|b| b == t.shape())
                    .unwrap_or(false);
                if !expandable {
                    return Err(runtime_error(format!(
                        "Function {} returned an invalid gradient at index {} - got {} but expected shape compatible with {}",
                        name,
                        i,
                        shape_list(&t.shape()),
                        shape_list(shape)
                    )));
                }
                t = super::ops::sum_to(&t, shape)?;
            }
            if t.dtype() != *dtype {
                t = super::ops::to_dtype(&t, *dtype)?;
            }
            *g = Some(t);
        }
        Ok(per_edge)
    });
    let inner = checked.clone();
    let node = Node::new(
        name,
        edges,
        metas,
        true,
        true,
        Box::new(move |_, grads| {
            let opt: Vec<Option<Tensor>> = grads.iter().cloned().map(Some).collect();
            inner(&opt)
        }),
    );
    *node.meta.external.borrow_mut() = Some(External {
        backward: checked,
        materialize_grads: call.materialize_grads,
        on_free: call.on_free.clone(),
    });
    *node.meta.object.borrow_mut() = call.object.clone();
    let mut outs = Vec::with_capacity(call.outputs.len());
    for (i, o) in call.outputs.iter().enumerate() {
        let non_diff = call.non_differentiable.iter().any(|t| t.is(o));
        let out = if is_dirty(o) {
            o.clone()
        } else if is_input(o) {
            Tensor::new(o.array())
        } else {
            o.clone()
        };
        if non_diff || !out.dtype().is_floating() {
            outs.push(out);
            continue;
        }
        out.set_grad_fn(Some(node.clone()), i);
        outs.push(out);
    }
    Ok((outs, Some(node)))
}

impl Node {
    /// Whether the engine must hand this node its missing output gradients as None.
    pub(crate) fn wants_undefined_grads(&self) -> bool {
        self.meta
            .external
            .borrow()
            .as_ref()
            .is_some_and(|e| !e.materialize_grads)
    }
    /// Runs a language-defined backward with gradients that may be missing.
    pub(crate) fn apply_external(&self, grads: &[Option<Tensor>]) -> PyResult<Vec<Option<Tensor>>> {
        let f = self
            .meta
            .external
            .borrow()
            .as_ref()
            .map(|e| e.backward.clone());
        match f {
            Some(f) => f(grads),
            None => Err(runtime_error(super::saved::BACKWARD_TWICE)),
        }
    }
}

/// The active dual levels at which some input carries a tangent (innermost last).
pub fn tangent_levels(inputs: &[Option<Tensor>]) -> Vec<u64> {
    let ts: Vec<&Tensor> = inputs.iter().flatten().collect();
    super::forward::levels_of(&ts)
}

/// Every active dual level switched off for a scope: a custom function's `forward` runs
/// without forward-mode AD (its `jvp` gives the tangents), as in PyTorch.
pub struct ForwardAdOff(Vec<super::forward::Suspend>);

impl ForwardAdOff {
    pub fn new(levels: &[u64]) -> ForwardAdOff {
        ForwardAdOff(
            levels
                .iter()
                .filter_map(|&l| super::forward::Suspend::new(l))
                .collect(),
        )
    }
}

impl Drop for ForwardAdOff {
    fn drop(&mut self) {
        // Restore in reverse order so every level returns to its position.
        while let Some(s) = self.0.pop() {
            drop(s);
        }
    }
}

/// PyTorch's `DelayedError` node (`grad_fn=<Error>`): the outputs of a backward marked
/// `@once_differentiable` computed while building a graph. They require grad, and
/// differentiating through them raises `msg`.
pub fn delayed_error(msg: &str, tensors: &[Tensor]) -> Vec<Tensor> {
    let msg = msg.to_string();
    let metas = tensors
        .iter()
        .map(|t| OutputMeta {
            shape: t.shape(),
            dtype: t.dtype(),
        })
        .collect();
    let node = Node::new(
        "Error",
        vec![None; tensors.len()],
        metas,
        false,
        true,
        Box::new(move |_, _| Err(runtime_error(msg.clone()))),
    );
    tensors
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let out = Tensor::new(t.array());
            out.set_grad_fn(Some(node.clone()), i);
            out
        })
        .collect()
}

impl Node {
    /// The language object a language-defined node belongs to (its `ctx`), if any.
    pub fn external_object(&self) -> Option<Rc<dyn std::any::Any>> {
        self.meta.object.borrow().clone()
    }
}
