//! What a node saved for its backward, under the names PyTorch's generated nodes give it
//! (`tools/autograd/derivatives.yaml`: `_saved_self`, `_saved_other`, `_saved_result`,
//! `_saved_exponent`, `_saved_dim`, ...), and the saved-tensor hooks
//! (`torch.autograd.graph.saved_tensors_hooks`, `SavedTensor.register_hooks`).
//!
//! The formulas keep their own references to what they use; this record is the readable
//! copy. Both are dropped together when backward frees the graph, after which reading a saved
//! tensor is PyTorch's "backward through the graph a second time" error. A tensor packed by
//! hooks is held only as the packed object; backward unpacks every packed tensor of a node
//! before it runs (in the order the node declares them, as PyTorch's generated `apply`
//! does), so hooks see the same calls, in the same order, as in PyTorch.

use super::graph::Node;
use super::tensor::Tensor;
use crate::error::{PyResult, runtime_error};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// A pack/unpack pair. `pack` runs where the language can call back (the bindings drain
/// `take_pending_packs` after each op); `unpack` runs inside the engine.
pub trait SavedTensorsHooks {
    fn unpack(&self, packed: &Rc<dyn Any>) -> PyResult<Tensor>;
    /// For the bindings to reach their own hook type (to run pack).
    fn as_any(&self) -> &dyn Any;
}

/// One saved value of a node.
#[derive(Clone)]
pub enum SavedValue {
    /// A tensor that was saved (an input, or an auxiliary such as `max`'s indices).
    Tensor(SavedTensor),
    /// The node's own output `output_nr` (`_saved_result`): rebuilt on access, never held,
    /// so the graph has no reference cycle.
    Output(usize),
    /// A tensor slot the formula did not need for this call (PyTorch reads it back as None).
    Undefined,
    /// A saved tensor that backward has freed.
    Freed,
    Int(i64),
    Float(f64),
    Bool(bool),
    Ints(Vec<i64>),
    OptFloat(Option<f64>),
}

/// A saved tensor: held directly, or as what a pack hook returned.
#[derive(Clone)]
pub struct SavedTensor {
    pub(crate) state: Rc<RefCell<SavedState>>,
    /// The tensor's version when saved: backward refuses a tensor modified in place since.
    version: u64,
}

pub(crate) enum SavedState {
    Plain(Tensor),
    /// What a pack hook returned, with the hooks whose unpack reads it back.
    Packed(Rc<dyn SavedTensorsHooks>, Rc<dyn Any>),
}

impl SavedTensor {
    pub fn new(t: &Tensor) -> SavedTensor {
        SavedTensor {
            state: Rc::new(RefCell::new(SavedState::Plain(t.clone()))),
            version: t.version(),
        }
    }
    /// The tensor as saved (None once hooks packed it).
    pub fn plain(&self) -> Option<Tensor> {
        match &*self.state.borrow() {
            SavedState::Plain(t) => Some(t.clone()),
            SavedState::Packed(..) => None,
        }
    }
    /// What pack returned, if hooks packed it.
    pub fn packed(&self) -> Option<(Rc<dyn SavedTensorsHooks>, Rc<dyn Any>)> {
        match &*self.state.borrow() {
            SavedState::Packed(h, p) => Some((h.clone(), p.clone())),
            SavedState::Plain(_) => None,
        }
    }
    /// Replaces the held tensor by what `hooks`' pack returned for it.
    pub fn set_packed(&self, hooks: Rc<dyn SavedTensorsHooks>, packed: Rc<dyn Any>) {
        *self.state.borrow_mut() = SavedState::Packed(hooks, packed);
    }
}

/// A node's saved values in declaration order.
#[derive(Default)]
pub struct SavedRecord {
    pub(crate) entries: Vec<(&'static str, SavedValue)>,
}

pub(crate) const BACKWARD_TWICE: &str = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

/// A pack the bindings still have to run: the saved tensor and the hooks active when it
/// was saved.
pub struct PendingPack {
    pub tensor: Tensor,
    pub slot: SavedTensor,
    pub hooks: Rc<dyn SavedTensorsHooks>,
}

thread_local! {
    static HOOKS: RefCell<Vec<Rc<dyn SavedTensorsHooks>>> = const { RefCell::new(Vec::new()) };
    static PENDING: RefCell<Vec<PendingPack>> = const { RefCell::new(Vec::new()) };
    /// An error met while saving (ops return plain tensors): reported by the bindings once
    /// the op returns, like the packs.
    static PENDING_ERROR: RefCell<Option<crate::error::PyErr>> = const { RefCell::new(None) };
}

const INFERENCE_SAVED: &str = "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.";

/// The error met while the last op saved its tensors, if any.
pub fn take_pending_error() -> Option<crate::error::PyErr> {
    PENDING_ERROR.with(|e| e.borrow_mut().take())
}

/// Enters a `saved_tensors_hooks` block (innermost hooks win, as in PyTorch).
pub fn push_saved_tensors_hooks(h: Rc<dyn SavedTensorsHooks>) {
    HOOKS.with(|s| s.borrow_mut().push(h));
}
pub fn pop_saved_tensors_hooks() {
    HOOKS.with(|s| {
        s.borrow_mut().pop();
    });
}
fn current_hooks() -> Option<Rc<dyn SavedTensorsHooks>> {
    HOOKS.with(|s| s.borrow().last().cloned())
}

/// The packs recorded since the last call, in saving order.
pub fn take_pending_packs() -> Vec<PendingPack> {
    PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// Whether any pack (or a saving error) is waiting (cheap; checked after every op by the
/// bindings).
pub fn has_pending_packs() -> bool {
    PENDING.with(|p| !p.borrow().is_empty()) || PENDING_ERROR.with(|e| e.borrow().is_some())
}

/// Attaches the saved values of the node that produced `out` (no-op when no node was
/// recorded). Tensors are offered to the active saved-tensor hooks in this order.
pub(crate) fn save(out: &Tensor, entries: Vec<(&'static str, SavedValue)>) {
    let Some(node) = out.grad_fn() else { return };
    if !node.live {
        return;
    }
    let mut entries = entries;
    let saves_inference = entries.iter().any(
        |(_, v)| matches!(v, SavedValue::Tensor(s) if s.plain().is_some_and(|t| t.is_inference())),
    );
    if saves_inference {
        PENDING_ERROR.with(|e| {
            e.borrow_mut()
                .get_or_insert_with(|| runtime_error(INFERENCE_SAVED));
        });
    }
    if let Some(h) = current_hooks() {
        PENDING.with(|p| {
            let mut p = p.borrow_mut();
            for (_, v) in entries.iter_mut() {
                // The output object itself is what PyTorch's pack receives; until pack
                // returns, the record holds it (the cycle ends when backward frees it).
                if let SavedValue::Output(nr) = v
                    && out.output_nr() == *nr
                {
                    *v = SavedValue::Tensor(SavedTensor::new(out));
                }
                if let SavedValue::Tensor(s) = v
                    && let Some(t) = s.plain()
                {
                    p.push(PendingPack {
                        tensor: t,
                        slot: s.clone(),
                        hooks: h.clone(),
                    });
                }
            }
        });
    }
    let mut rec = node.meta.saved.borrow_mut();
    rec.entries = entries;
}

/// `SavedValue::Tensor` for a tensor the formula needs, `Undefined` otherwise.
pub(crate) fn tensor_if(needed: bool, t: &Tensor) -> SavedValue {
    if needed {
        SavedValue::Tensor(SavedTensor::new(t))
    } else {
        SavedValue::Undefined
    }
}

/// What the language reads as `grad_fn._saved_NAME`.
pub enum SavedRead {
    Tensor(Tensor),
    /// Packed by hooks: the bindings call unpack on it.
    Packed(Rc<dyn SavedTensorsHooks>, Rc<dyn Any>),
    Value(SavedValue),
}

impl Node {
    /// The names of the saved values (`dir(grad_fn)`), in declaration order.
    pub fn saved_names(&self) -> Vec<&'static str> {
        self.meta
            .saved
            .borrow()
            .entries
            .iter()
            .map(|e| e.0)
            .collect()
    }

    /// `grad_fn._saved_NAME`; None when the node saves no such value.
    pub fn saved(self: &Rc<Node>, name: &str) -> Option<PyResult<SavedRead>> {
        let rec = self.meta.saved.borrow();
        let (_, v) = rec.entries.iter().find(|e| e.0 == name)?;
        if matches!(v, SavedValue::Freed) {
            return Some(Err(runtime_error(BACKWARD_TWICE)));
        }
        Some(Ok(match v {
            SavedValue::Tensor(s) => match s.packed() {
                Some((h, p)) => SavedRead::Packed(h, p),
                None => SavedRead::Tensor(s.plain()?),
            },
            SavedValue::Output(nr) => {
                let data = match self.output_versions.borrow().get(*nr) {
                    Some((a, _)) => a.clone(),
                    None => return Some(Err(runtime_error(BACKWARD_TWICE))),
                };
                SavedRead::Tensor(Tensor::from_node(data, self.clone(), *nr))
            }
            other => SavedRead::Value(other.clone()),
        }))
    }

    /// `grad_fn._raw_saved_NAME`: the slot itself (tensor entries only).
    pub fn raw_saved(&self, name: &str) -> Option<PyResult<SavedTensor>> {
        let rec = self.meta.saved.borrow();
        let (_, v) = rec.entries.iter().find(|e| e.0 == name)?;
        match v {
            SavedValue::Freed => Some(Err(runtime_error(BACKWARD_TWICE))),
            SavedValue::Tensor(s) => Some(Ok(s.clone())),
            _ => None,
        }
    }

    /// Checks the saved tensors' versions (PyTorch's SavedVariable::unpack), then runs the
    /// unpack hook of every packed tensor, in declaration order, before the formula runs.
    pub(crate) fn unpack_saved(&self) -> PyResult<()> {
        for (_, v) in self.meta.saved.borrow().entries.iter() {
            if let SavedValue::Tensor(s) = v
                && let Some(t) = s.plain()
                && t.version() != s.version
            {
                return Err(modified_in_place(&t, s.version));
            }
        }
        let packed: Vec<_> = self
            .meta
            .saved
            .borrow()
            .entries
            .iter()
            .filter_map(|(_, v)| match v {
                SavedValue::Tensor(s) => s.packed(),
                _ => None,
            })
            .collect();
        for (h, p) in packed {
            h.unpack(&p)?;
        }
        Ok(())
    }

    pub(crate) fn free_saved(&self) {
        // A language-defined backward holds its ctx (and its saved tensors): dropped too.
        let external = self.meta.external.borrow_mut().take();
        if let Some(f) = external.and_then(|e| e.on_free) {
            f();
        }
        let mut rec = self.meta.saved.borrow_mut();
        for (_, v) in rec.entries.iter_mut() {
            if matches!(v, SavedValue::Tensor(_) | SavedValue::Output(_)) {
                *v = SavedValue::Freed;
            }
        }
    }
}

/// `out` after attaching its node's saved values (built only when a node was recorded).
pub(crate) fn with(
    out: Tensor,
    entries: impl FnOnce() -> Vec<(&'static str, SavedValue)>,
) -> Tensor {
    if out.grad_fn().is_some_and(|n| n.live) {
        save(&out, entries());
    }
    out
}

/// A saved tensor slot.
pub(crate) fn tensor(t: &Tensor) -> SavedValue {
    SavedValue::Tensor(SavedTensor::new(t))
}

/// A shape as PyTorch's `*_sym_sizes` (a tuple of ints).
pub(crate) fn sizes(s: &[usize]) -> SavedValue {
    SavedValue::Ints(s.iter().map(|&d| d as i64).collect())
}

/// A Python number as saved (`_saved_exponent` is 3 for `x ** 3`, 2.5 for `x ** 2.5`).
pub(crate) fn scalar(s: crate::array::Scalar) -> SavedValue {
    match s {
        crate::array::Scalar::Int(i) => SavedValue::Int(i),
        crate::array::Scalar::Bool(b) => SavedValue::Bool(b),
        other => SavedValue::Float(other.to_f64()),
    }
}

/// PyTorch's error for a saved input modified in place since it was saved; the function is
/// named as PyTorch names it (the tensor's current `grad_fn` without `Backward0`).
fn modified_in_place(t: &Tensor, saved: u64) -> crate::error::PyErr {
    use crate::array::DType;
    let kind = match t.dtype() {
        DType::F32 => "FloatTensor",
        DType::F64 => "DoubleTensor",
        DType::I64 => "LongTensor",
        DType::I32 => "IntTensor",
        DType::Bool => "BoolTensor",
    };
    let shape = t
        .shape()
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let producer = match t.grad_fn() {
        Some(n) => {
            let name = n.name();
            let function = name.find("Backward").map_or(name, |i| &name[..i]);
            format!(", which is output {} of {function},", t.output_nr())
        }
        None => String::new(),
    };
    runtime_error(format!(
        "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.{kind} [{shape}]]{producer} is at version {}; expected version {saved} instead. {}",
        t.version(),
        super::anomaly::inplace_hint()
    ))
}
