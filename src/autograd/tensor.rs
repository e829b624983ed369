//! The `Tensor` handle: shared data plus autograd metadata (PyTorch's `TensorImpl` +
//! `AutogradMeta`). Cloning a `Tensor` clones the handle (Python reference semantics).

use super::graph::{Edge, Node};
use crate::array::format::tensor_repr;
use crate::array::{DType, NdArray, Scalar};
use crate::error::{PyResult, runtime_error};
use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

/// A gradient hook: may return a replacement gradient.
pub type Hook = Rc<dyn Fn(&Tensor) -> PyResult<Option<Tensor>>>;

/// `register_post_accumulate_grad_hook(fn)`: called with the leaf after its `.grad` changed.
pub type PostAccumulateHook = Rc<dyn Fn(&Tensor) -> PyResult<()>>;

pub struct TensorImpl {
    data: RefCell<NdArray>,
    requires_grad: Cell<bool>,
    grad: RefCell<Option<Tensor>>,
    grad_fn: RefCell<Option<Rc<Node>>>,
    output_nr: Cell<usize>,
    retains_grad: Cell<bool>,
    pub(crate) hooks: RefCell<Vec<Hook>>,
    pub(crate) post_accumulate_hooks: RefCell<Vec<PostAccumulateHook>>,
    /// Forward-mode tangents, one per dual level.
    pub(crate) tangents: RefCell<Vec<(u64, Tensor)>>,
    /// Set for a vmap wrapper (see `batching`); never changes after construction.
    batch: Option<Batch>,
    /// Set for a view made by a differentiable view op (PyTorch's `DifferentiableViewMeta`).
    view: RefCell<Option<ViewMeta>>,
    /// An `nn.Parameter` (PyTorch's Tensor subclass): only `type()`, `isinstance` and the repr
    /// see it; every op treats it as a tensor and returns plain tensors.
    is_param: Cell<bool>,
    /// Made in inference mode (`t.is_inference()`).
    inference: bool,
}

/// What makes a tensor a view: the tensor owning the storage (a view of a view points at the
/// root base, as in PyTorch), and the storage version its grad_fn was last valid for. An
/// in-place op anywhere on the storage bumps the version; the next `grad_fn()` of a view whose
/// base requires grad then regenerates it as `AsStridedBackward0` of the base's new grad_fn.
pub(crate) struct ViewMeta {
    pub base: Tensor,
    pub version: Cell<u64>,
    /// The op name and output index when the view is one of several (split, unbind, chunk):
    /// such views may not be modified in place while grad is tracked.
    pub multi: Option<(&'static str, usize)>,
    /// Made with grad mode off: modifying it in place with grad mode on is refused.
    pub no_grad: bool,
}

/// What makes a tensor batched at one vmap level: `inner` is the physical tensor with the batch
/// dimension at position 0 (it may itself be batched at a lower level); the logical shape is
/// `inner.shape()[1..]`. The wrapper's own autograd fields stay unset (as in PyTorch, a
/// BatchedTensor reports `requires_grad=False`); graphs are recorded on the physical tensors.
pub struct Batch {
    pub level: u64,
    pub inner: Tensor,
}

#[derive(Clone)]
pub struct Tensor(pub(crate) Rc<TensorImpl>);

impl Tensor {
    /// A tensor that does not require grad (a leaf).
    pub fn new(data: NdArray) -> Tensor {
        Tensor(Rc::new(TensorImpl {
            data: RefCell::new(data),
            requires_grad: Cell::new(false),
            grad: RefCell::new(None),
            grad_fn: RefCell::new(None),
            output_nr: Cell::new(0),
            retains_grad: Cell::new(false),
            hooks: RefCell::new(Vec::new()),
            post_accumulate_hooks: RefCell::new(Vec::new()),
            tangents: RefCell::new(Vec::new()),
            batch: None,
            view: RefCell::new(None),
            is_param: Cell::new(false),
            inference: super::grad_mode::is_inference_mode_enabled(),
        }))
    }

    /// A tensor batched at vmap `level` whose physical value is `inner` (batch dim first).
    pub(crate) fn new_batched(level: u64, inner: Tensor) -> Tensor {
        Tensor(Rc::new(TensorImpl {
            data: RefCell::new(inner.array()),
            requires_grad: Cell::new(false),
            grad: RefCell::new(None),
            grad_fn: RefCell::new(None),
            output_nr: Cell::new(0),
            retains_grad: Cell::new(false),
            hooks: RefCell::new(Vec::new()),
            post_accumulate_hooks: RefCell::new(Vec::new()),
            tangents: RefCell::new(Vec::new()),
            batch: Some(Batch { level, inner }),
            view: RefCell::new(None),
            is_param: Cell::new(false),
            inference: false,
        }))
    }

    /// `nn.Parameter(data, requires_grad)`: a new leaf sharing `data`'s storage, marked as a
    /// parameter.
    pub fn parameter(data: NdArray, requires_grad: bool) -> PyResult<Tensor> {
        let t = Tensor::leaf(data, requires_grad)?;
        t.0.is_param.set(true);
        Ok(t)
    }

    /// Whether this tensor is an `nn.Parameter`.
    pub fn is_parameter(&self) -> bool {
        self.0.is_param.get()
    }

    /// The vmap wrapper data, if this tensor is batched.
    pub fn batch(&self) -> Option<&Batch> {
        self.0.batch.as_ref()
    }
    pub fn is_batched(&self) -> bool {
        self.0.batch.is_some()
    }

    /// A leaf, optionally requiring grad (only floating dtypes may).
    pub fn leaf(data: NdArray, requires_grad: bool) -> PyResult<Tensor> {
        // Factories set the flag directly: unlike `requires_grad_()`, they are allowed inside vmap.
        if requires_grad && !data.dtype().is_floating() {
            return Err(runtime_error(
                "Only Tensors of floating point and complex dtype can require gradients",
            ));
        }
        let t = Tensor::new(data);
        t.0.requires_grad.set(requires_grad);
        Ok(t)
    }

    /// The output `output_nr` of `node`, holding `data`.
    pub(crate) fn from_node(data: NdArray, node: Rc<Node>, output_nr: usize) -> Tensor {
        let t = Tensor::new(data);
        t.0.requires_grad.set(true);
        t.0.output_nr.set(output_nr);
        *t.0.grad_fn.borrow_mut() = Some(node);
        t
    }

    /// A cheap view handle on the data (shares storage). For a batched tensor this is the
    /// fully physical array (every batch dim included): ops must dispatch to `batching` first.
    pub fn array(&self) -> NdArray {
        self.0.data.borrow().clone()
    }
    pub fn data_ref(&self) -> Ref<'_, NdArray> {
        self.0.data.borrow()
    }
    /// Replaces the data handle (used by `x.data = ...`).
    pub fn set_array(&self, data: NdArray) {
        *self.0.data.borrow_mut() = data;
    }
    /// The logical shape (a batched tensor hides its batch dim).
    pub fn shape(&self) -> Vec<usize> {
        match &self.0.batch {
            Some(b) => b.inner.shape()[1..].to_vec(),
            None => self.0.data.borrow().shape().to_vec(),
        }
    }
    pub fn dtype(&self) -> DType {
        self.0.data.borrow().dtype()
    }
    pub fn ndim(&self) -> usize {
        match &self.0.batch {
            Some(b) => b.inner.ndim() - 1,
            None => self.0.data.borrow().ndim(),
        }
    }
    pub fn numel(&self) -> usize {
        match &self.0.batch {
            Some(_) => self.shape().iter().product(),
            None => self.0.data.borrow().numel(),
        }
    }
    pub fn item(&self) -> PyResult<Scalar> {
        if self.is_batched() {
            return Err(runtime_error(super::batching::ITEM_ERROR));
        }
        self.0.data.borrow().item()
    }

    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad.get()
    }
    /// `t.is_inference()`.
    pub fn is_inference(&self) -> bool {
        self.0.inference
    }
    /// `requires_grad_(b)`, with PyTorch's checks.
    pub fn requires_grad_(&self, requires_grad: bool) -> PyResult<()> {
        if requires_grad && self.0.inference && !super::grad_mode::is_inference_mode_enabled() {
            return Err(runtime_error(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.",
            ));
        }
        if !self.is_leaf() {
            if requires_grad {
                return Ok(());
            }
            return Err(runtime_error(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
            ));
        }
        if requires_grad && super::batching::is_active() {
            return Err(runtime_error(super::batching::REQUIRES_GRAD_ERROR));
        }
        if requires_grad && !self.dtype().is_floating() {
            return Err(runtime_error(
                "Only Tensors of floating point and complex dtype can require gradients",
            ));
        }
        self.0.requires_grad.set(requires_grad);
        Ok(())
    }
    pub fn is_leaf(&self) -> bool {
        self.grad_fn().is_none()
    }
    pub fn grad_fn(&self) -> Option<Rc<Node>> {
        self.refresh_view_grad_fn();
        self.0.grad_fn.borrow().clone()
    }

    /// Marks this tensor as a view of `of` (whose root base it shares).
    pub(crate) fn mark_view(&self, of: &Tensor, multi: Option<(&'static str, usize)>) {
        let base = of.view_base().unwrap_or_else(|| of.clone());
        let version = self.0.data.borrow().version();
        *self.0.view.borrow_mut() = Some(ViewMeta {
            base,
            version: Cell::new(version),
            multi,
            no_grad: !super::grad_mode::is_grad_enabled(),
        });
    }
    /// The root base of a view (PyTorch's `._base`).
    pub fn view_base(&self) -> Option<Tensor> {
        self.0.view.borrow().as_ref().map(|v| v.base.clone())
    }
    pub(crate) fn view_meta(&self) -> Ref<'_, Option<ViewMeta>> {
        self.0.view.borrow()
    }
    /// Records that this view's grad_fn is valid for the storage's current version.
    pub(crate) fn sync_view_version(&self) {
        if let Some(v) = self.0.view.borrow().as_ref() {
            v.version.set(self.0.data.borrow().version());
        }
    }

    /// PyTorch's `VariableHooks::grad_fn`: once the storage was written in place after this
    /// view's grad_fn was set, the grad_fn is regenerated from the base.
    fn refresh_view_grad_fn(&self) {
        let (base, stale) = match self.0.view.borrow().as_ref() {
            Some(v) => (
                v.base.clone(),
                v.version.get() != self.0.data.borrow().version(),
            ),
            None => return,
        };
        if !stale {
            return;
        }
        if self.0.grad_fn.borrow().is_none() && !base.requires_grad() {
            return;
        }
        self.sync_view_version();
        if !base.requires_grad() {
            return;
        }
        if let Ok(node) = super::ops::as_strided_of_base(&base, &self.array()) {
            self.0.output_nr.set(0);
            *self.0.grad_fn.borrow_mut() = Some(node);
        }
    }
    pub(crate) fn output_nr(&self) -> usize {
        self.0.output_nr.get()
    }
    /// Rebases this tensor onto a new node (in-place ops on non-leaves).
    pub(crate) fn set_grad_fn(&self, node: Option<Rc<Node>>, output_nr: usize) {
        if node.is_some() {
            self.0.requires_grad.set(true);
        }
        self.0.output_nr.set(output_nr);
        *self.0.grad_fn.borrow_mut() = node;
    }
    pub fn grad(&self) -> Option<Tensor> {
        self.0.grad.borrow().clone()
    }
    pub fn set_grad(&self, grad: Option<Tensor>) {
        *self.0.grad.borrow_mut() = grad;
    }
    pub fn retains_grad(&self) -> bool {
        self.0.retains_grad.get()
    }
    /// `retain_grad()`: a non-leaf keeps its `.grad` after backward.
    pub fn retain_grad(&self) -> PyResult<()> {
        if !self.requires_grad() {
            return Err(runtime_error(
                "can't retain_grad on Tensor that has requires_grad=False",
            ));
        }
        if self.is_leaf() || self.retains_grad() {
            return Ok(());
        }
        self.0.retains_grad.set(true);
        self.watch();
        Ok(())
    }
    /// `register_hook(fn)`.
    pub fn register_hook(&self, hook: Hook) -> PyResult<()> {
        if !self.requires_grad() {
            return Err(runtime_error(
                "cannot register a hook on a tensor that doesn't require gradient",
            ));
        }
        self.0.hooks.borrow_mut().push(hook);
        if !self.is_leaf() {
            self.watch();
        }
        Ok(())
    }
    /// `register_post_accumulate_grad_hook(fn)` (leaves only, as in PyTorch).
    pub fn register_post_accumulate_grad_hook(&self, hook: PostAccumulateHook) -> PyResult<()> {
        if !self.requires_grad() {
            return Err(runtime_error(
                "cannot register a hook on a tensor that doesn't require gradient",
            ));
        }
        if !self.is_leaf() {
            return Err(runtime_error(
                "post accumulate grad hooks cannot be registered on non-leaf tensors",
            ));
        }
        self.0.post_accumulate_hooks.borrow_mut().push(hook);
        Ok(())
    }
    /// `t._version`: the version counter of the storage (shared by all views).
    pub fn version(&self) -> u64 {
        self.0.data.borrow().version()
    }
    fn watch(&self) {
        if let Some(node) = self.grad_fn() {
            let mut w = node.watchers.borrow_mut();
            if !w
                .iter()
                .any(|(_, t)| t.upgrade().is_some_and(|t| Rc::ptr_eq(&t, &self.0)))
            {
                w.push((self.output_nr(), Rc::downgrade(&self.0)));
            }
        }
    }

    /// Whether an op's backward formula must produce a gradient for this input: it requires
    /// grad, or it carries a forward-mode tangent (whose JVP is derived from that formula).
    pub(crate) fn differentiable(&self) -> bool {
        self.requires_grad() || !self.0.tangents.borrow().is_empty()
    }

    /// The forward-mode tangent at dual `level`, if any.
    pub fn tangent(&self, level: u64) -> Option<Tensor> {
        self.0
            .tangents
            .borrow()
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, t)| t.clone())
    }
    /// Sets (or clears) the tangent at dual `level`.
    pub fn set_tangent(&self, level: u64, tangent: Option<Tensor>) {
        let mut ts = self.0.tangents.borrow_mut();
        ts.retain(|(l, _)| *l != level);
        if let Some(t) = tangent {
            ts.push((level, t));
        }
    }

    /// `detach()`: same storage, no graph.
    pub fn detach(&self) -> Tensor {
        match &self.0.batch {
            Some(b) => Tensor::new_batched(b.level, b.inner.detach()),
            None => Tensor::new(self.array()),
        }
    }
    /// Python `is`.
    pub fn is(&self, other: &Tensor) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
    /// A stable identity for the lifetime of the tensor (for `id()` and hashing).
    pub fn id(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }

    /// Where this tensor's gradient flows: its grad_fn output, or its own accumulator.
    pub(crate) fn edge(&self) -> Option<Edge> {
        if !self.requires_grad() {
            return None;
        }
        match self.grad_fn() {
            Some(node) => Some(Edge::Node {
                node,
                output_nr: self.output_nr(),
            }),
            None => Some(Edge::Leaf(self.clone())),
        }
    }

    /// `repr(t)` exactly as PyTorch prints it.
    pub fn repr(&self) -> String {
        if let Some(b) = &self.0.batch {
            return super::batching::batched_repr(b.level, &b.inner.repr());
        }
        let mut suffix = match self.grad_fn() {
            Some(node) => Some(format!("grad_fn=<{}>", node.name())),
            None if self.requires_grad() => Some("requires_grad=True".to_string()),
            None => None,
        };
        // A dual tensor shows its tangent at the innermost level (PyTorch's `tangent=`).
        if let Some(t) = super::forward::innermost_level().and_then(|l| self.tangent(l)) {
            let tangent = format!("tangent={}", t.repr());
            suffix = Some(match suffix {
                Some(s) => format!("{s}, {tangent}"),
                None => tangent,
            });
        }
        tensor_repr(&self.0.data.borrow(), suffix.as_deref())
    }

    /// `t.backward(gradient, retain_graph, create_graph, inputs)`.
    pub fn backward(
        &self,
        gradient: Option<Tensor>,
        retain_graph: Option<bool>,
        create_graph: bool,
        inputs: Option<&[Tensor]>,
    ) -> PyResult<()> {
        super::engine::backward(
            std::slice::from_ref(self),
            &[gradient],
            retain_graph,
            create_graph,
            inputs,
        )
    }
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tensor(shape={:?}, dtype={:?})",
            self.shape(),
            self.dtype()
        )
    }
}
