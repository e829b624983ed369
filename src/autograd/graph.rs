//! The recorded graph: one `Node` per differentiable op application (PyTorch's `grad_fn`).

use super::tensor::{Tensor, TensorImpl};
use crate::array::DType;
use crate::error::PyResult;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

/// Maps the gradients of a node's outputs to the gradients of its inputs (one per edge;
/// `None` for an input that gets no gradient). The node itself is passed in so that a
/// backward formula can re-attach a saved output to the graph (see `Node::output`).
pub type BackwardFn = Box<dyn Fn(&Rc<Node>, &[Tensor]) -> PyResult<Vec<Option<Tensor>>>>;

/// Where an input's gradient goes: another node's output, or a leaf's `.grad`
/// (PyTorch's `AccumulateGrad`).
#[derive(Clone)]
pub enum Edge {
    Node { node: Rc<Node>, output_nr: usize },
    Leaf(Tensor),
}

/// Shape and dtype of one output, to materialize a zero gradient for an output that received none.
#[derive(Clone, Debug)]
pub struct OutputMeta {
    pub shape: Vec<usize>,
    pub dtype: DType,
}

thread_local! {
    static NEXT_SEQ: Cell<u64> = const { Cell::new(0) };
}

pub struct Node {
    name: &'static str,
    pub(crate) edges: Vec<Option<Edge>>,
    backward: RefCell<Option<BackwardFn>>,
    /// Whether the formula holds saved tensors; only such nodes refuse a second backward.
    saves: bool,
    pub(crate) outputs: Vec<OutputMeta>,
    /// Creation order; the engine runs later nodes first.
    pub(crate) seq: u64,
    /// Non-leaf outputs that asked for their gradient (`retain_grad`, `register_hook`).
    pub(crate) watchers: RefCell<Vec<(usize, Weak<TensorImpl>)>>,
    /// Whether the node is its outputs' grad_fn. A node built only to derive forward-mode
    /// tangents is not, and its saved outputs are then plain constants.
    pub(crate) live: bool,
    /// The outputs' forward-mode tangents, for formulas that use a saved output.
    pub(crate) tangents: RefCell<Vec<Vec<(u64, Tensor)>>>,
    /// Each output's data and its version when recorded: a formula that uses a saved output
    /// refuses to run once the output was modified in place (PyTorch's SavedVariable check).
    pub(crate) output_versions: RefCell<Vec<(crate::array::NdArray, u64)>>,
    /// Saved values under PyTorch's names, node hooks, a language-defined backward.
    pub(crate) meta: super::node_meta::NodeMeta,
}

impl Node {
    pub(crate) fn new(
        name: &'static str,
        edges: Vec<Option<Edge>>,
        outputs: Vec<OutputMeta>,
        saves: bool,
        live: bool,
        backward: BackwardFn,
    ) -> Rc<Node> {
        let seq = NEXT_SEQ.with(|s| {
            let v = s.get();
            s.set(v + 1);
            v
        });
        Rc::new(Node {
            name,
            edges,
            backward: RefCell::new(Some(backward)),
            saves,
            outputs,
            seq,
            watchers: RefCell::new(Vec::new()),
            live,
            tangents: RefCell::new(Vec::new()),
            output_versions: RefCell::new(Vec::new()),
            meta: Default::default(),
        })
    }

    /// `grad_fn.name()`, e.g. `MulBackward0`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `grad_fn.next_functions`: per input, the node name and output number
    /// (`AccumulateGrad` for leaves), None for inputs that need no gradient.
    pub fn next_functions(&self) -> Vec<Option<(String, usize)>> {
        self.edges
            .iter()
            .map(|e| match e {
                None => None,
                Some(Edge::Node { node, output_nr }) => Some((node.name.to_string(), *output_nr)),
                Some(Edge::Leaf(_)) => Some(("AccumulateGrad".to_string(), 0)),
            })
            .collect()
    }

    /// Runs the backward formula; errors if its saved tensors were already freed.
    pub(crate) fn apply(self: &Rc<Node>, grads: &[Tensor]) -> PyResult<Vec<Option<Tensor>>> {
        let f = self.backward.borrow();
        match f.as_ref() {
            Some(f) => f(self, grads),
            None => Err(crate::error::runtime_error(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
            )),
        }
    }

    /// Frees the saved tensors (after a backward without `retain_graph`).
    pub(crate) fn release(&self) {
        if self.saves {
            self.backward.borrow_mut().take();
            self.free_saved();
        }
    }
}
