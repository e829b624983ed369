//! What a node carries besides its formula: the saved values under PyTorch's names, the
//! hooks registered on the node (`grad_fn.register_prehook`, `grad_fn.register_hook`), and,
//! for a node whose backward is defined by the language (a custom `autograd.Function`), that
//! backward. Kept apart from `graph.rs` so the core node stays small.

use super::saved::SavedRecord;
use super::tensor::Tensor;
use crate::error::PyResult;
use std::cell::RefCell;
use std::rc::Rc;

/// `grad_fn.register_prehook(fn)`: sees the gradients of the node's outputs before it runs
/// and may replace them (None keeps them).
pub type NodePreHook = Rc<dyn Fn(&[Option<Tensor>]) -> PyResult<Option<Vec<Option<Tensor>>>>>;

/// `grad_fn.register_hook(fn)`: sees `(grad_inputs, grad_outputs)` after the node ran and may
/// replace the gradients it sends on.
pub type NodePostHook =
    Rc<dyn Fn(&[Option<Tensor>], &[Option<Tensor>]) -> PyResult<Option<Vec<Option<Tensor>>>>>;

/// A backward supplied from outside the autograd layer (a Python-defined `backward`): given
/// one gradient per output (None for an output that received none, when the function asked
/// not to materialize them), it returns one gradient per input edge.
pub type ExternalBackward = Rc<dyn Fn(&[Option<Tensor>]) -> PyResult<Vec<Option<Tensor>>>>;

pub struct External {
    pub backward: ExternalBackward,
    /// `ctx.set_materialize_grads(False)` turns this off.
    pub materialize_grads: bool,
    /// Called when backward frees the node's saved state (the `ctx`'s saved tensors).
    pub on_free: Option<Rc<dyn Fn()>>,
}

#[derive(Default)]
pub struct NodeMeta {
    pub(crate) saved: RefCell<SavedRecord>,
    pub(crate) pre_hooks: RefCell<Vec<NodePreHook>>,
    pub(crate) post_hooks: RefCell<Vec<NodePostHook>>,
    pub(crate) external: RefCell<Option<External>>,
    /// The language's object for the node (a custom function's `grad_fn` is its `ctx`), so
    /// reaching the node gives back that object.
    pub(crate) object: RefCell<Option<Rc<dyn std::any::Any>>>,
}

impl NodeMeta {
    pub(crate) fn has_hooks(&self) -> bool {
        !self.pre_hooks.borrow().is_empty() || !self.post_hooks.borrow().is_empty()
    }
}

impl super::graph::Node {
    pub fn register_prehook(&self, hook: NodePreHook) {
        self.meta.pre_hooks.borrow_mut().push(hook);
    }
    pub fn register_hook(&self, hook: NodePostHook) {
        self.meta.post_hooks.borrow_mut().push(hook);
    }
    /// How many inputs the node has (`len(next_functions)`).
    pub fn num_inputs(&self) -> usize {
        self.edges.len()
    }
    /// How many outputs the node has.
    pub fn num_outputs(&self) -> usize {
        self.outputs.len()
    }
    /// A stable identity, unique per thread for the whole session (creation order).
    pub fn id(&self) -> u64 {
        self.seq
    }
    /// The leaf behind input `i` when that input's gradient goes to an `AccumulateGrad`.
    pub fn leaf_input(&self, i: usize) -> Option<Tensor> {
        match self.edges.get(i) {
            Some(Some(super::graph::Edge::Leaf(t))) => Some(t.clone()),
            _ => None,
        }
    }
    /// The node and output number behind input `i`, when it is a node.
    pub fn node_input(&self, i: usize) -> Option<(Rc<super::graph::Node>, usize)> {
        match self.edges.get(i) {
            Some(Some(super::graph::Edge::Node { node, output_nr })) => {
                Some((node.clone(), *output_nr))
            }
            _ => None,
        }
    }
}
