//! The autograd graph as Python objects: `grad_fn` nodes (`name()`, `next_functions`,
//! `metadata`, `register_hook`, `register_prehook`, `_saved_*`, `_raw_saved_*`), the
//! `AccumulateGrad` node of each leaf (`.variable`), `SavedTensor.register_hooks`, and
//! `torch.autograd.graph` (`Node`, `saved_tensors_hooks`, `save_on_cpu`).
//!
//! Identity: reaching the same node twice gives the same object (`a is b`, `fn in seen`), as
//! in PyTorch, where a node keeps its Python object while the object is alive. Each node (and
//! each leaf's accumulator) maps to a weak reference to its object, so an object lives exactly
//! as long as Python holds it, and the graph holds no Python objects.

use super::args::Bound;
use super::autograd_api::call_python;
use super::objects::HookHandle;
use super::table::{Row, torch};
use crate::autograd::node_meta::{NodePostHook, NodePreHook};
use crate::autograd::saved::{
    self, SavedRead, SavedTensor, SavedTensorsHooks, SavedValue, take_pending_packs,
};
use crate::autograd::{Node, Tensor};
use crate::error::{PyResult, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Object, Value};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::{Rc, Weak};

/// A weak cache keyed by a stable id, pruned of dead entries as it grows.
struct Cache<K: Ord, T> {
    map: BTreeMap<K, Weak<T>>,
    prune_at: usize,
}

impl<K: Ord + Copy, T> Cache<K, T> {
    const fn new() -> Cache<K, T> {
        Cache {
            map: BTreeMap::new(),
            prune_at: 256,
        }
    }
    fn get_or(&mut self, key: K, make: impl FnOnce() -> Rc<T>) -> Rc<T> {
        if let Some(obj) = self.map.get(&key).and_then(|w| w.upgrade()) {
            return obj;
        }
        let obj = make();
        self.map.insert(key, Rc::downgrade(&obj));
        if self.map.len() >= self.prune_at {
            self.map.retain(|_, w| w.strong_count() > 0);
            self.prune_at = (self.map.len() * 2).max(256);
        }
        obj
    }
}

thread_local! {
    static NODES: RefCell<Cache<u64, GradFn>> = const { RefCell::new(Cache::new()) };
    /// Keyed by the leaf's identity: an accumulator holds its leaf, so while the entry is
    /// alive the leaf (and its address) is too.
    static ACCUMULATORS: RefCell<Cache<usize, AccumulateGrad>> = const { RefCell::new(Cache::new()) };
    /// Type names of node objects handed out (`issubclass(type(fn), Node)`).
    static NODE_TYPES: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

fn register_type(name: &str) {
    NODE_TYPES.with(|t| {
        if !t.borrow().contains(name) {
            t.borrow_mut().insert(name.to_string());
        }
    });
}

/// Whether a type name is `torch.autograd.graph.Node` or one of its subclasses.
pub fn is_node_type(name: &str) -> bool {
    name == "Node" || name == "AccumulateGrad" || NODE_TYPES.with(|t| t.borrow().contains(name))
}

/// Whether a value is a graph node (`isinstance(v, torch.autograd.graph.Node)`).
pub fn is_node(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.as_any().is::<GradFn>() || o.as_any().is::<AccumulateGrad>(),
        _ => false,
    }
}

/// The one object of `node` (for a custom Function's node, its `ctx`).
pub fn node_value(node: &Rc<Node>) -> Value {
    if let Some(obj) = node.external_object()
        && let Some(v) = obj.downcast_ref::<Value>()
    {
        return v.clone();
    }
    let obj = NODES.with(|c| {
        c.borrow_mut().get_or(node.id(), || {
            register_type(node.name());
            Rc::new(GradFn {
                node: node.clone(),
                metadata: Value::Dict(Rc::new(RefCell::new(Vec::new()))),
            })
        })
    });
    Value::Object(obj)
}

/// The one `AccumulateGrad` object of leaf `t`.
pub fn accumulate_grad_value(t: &Tensor) -> Value {
    let obj = ACCUMULATORS.with(|c| {
        c.borrow_mut().get_or(t.id(), || {
            Rc::new(AccumulateGrad {
                variable: t.clone(),
                metadata: Value::Dict(Rc::new(RefCell::new(Vec::new()))),
            })
        })
    });
    Value::Object(obj)
}

/// `grad_fn.name()`: the nodes written by hand in PyTorch's C++ carry their namespace.
fn python_name(name: &str) -> String {
    match name {
        "CopySlices" | "AccumulateGrad" | "Error" => format!("torch::autograd::{name}"),
        _ => name.to_string(),
    }
}

fn name_method(n: String) -> Value {
    Value::native("name", move |_, _| Ok(Value::str(&n)))
}

fn opt_tensor_value(t: &Option<Tensor>) -> Value {
    t.clone().map(Value::Tensor).unwrap_or(Value::None)
}

fn grads_tuple(gs: &[Option<Tensor>]) -> Value {
    Value::tuple(gs.iter().map(opt_tensor_value).collect())
}

/// A hook's replacement gradients: None keeps them, else a sequence of tensors or Nones.
fn hook_grads(v: Value, what: &str) -> PyResult<Option<Vec<Option<Tensor>>>> {
    let items = match v {
        Value::None => return Ok(None),
        Value::Tuple(t) => t.as_ref().clone(),
        Value::List(l) => l.borrow().clone(),
        other => {
            return Err(type_error(format!(
                "{what} must return None or a tuple of Tensors, but got {}",
                other.type_name()
            )));
        }
    };
    items
        .into_iter()
        .map(|x| match x {
            Value::None => Ok(None),
            Value::Tensor(t) => Ok(Some(t)),
            other => Err(type_error(format!(
                "{what} must return None or a tuple of Tensors, but got an element of type {}",
                other.type_name()
            ))),
        })
        .collect::<PyResult<Vec<_>>>()
        .map(Some)
}

/// `t.grad_fn`: a node of the recorded graph.
pub struct GradFn {
    pub node: Rc<Node>,
    metadata: Value,
}

/// `grad_fn.next_functions`: (node object or None, input number) per input.
pub fn next_functions(node: &Node) -> Value {
    let items = (0..node.num_inputs())
        .map(|i| {
            if let Some((n, nr)) = node.node_input(i) {
                Value::tuple(vec![node_value(&n), Value::Int(nr as i64)])
            } else if let Some(t) = node.leaf_input(i) {
                Value::tuple(vec![accumulate_grad_value(&t), Value::Int(0)])
            } else {
                Value::tuple(vec![Value::None, Value::Int(0)])
            }
        })
        .collect();
    Value::tuple(items)
}

fn saved_value(v: SavedValue) -> Value {
    match v {
        SavedValue::Int(i) => Value::Int(i),
        SavedValue::Float(f) => Value::Float(f),
        SavedValue::Bool(b) => Value::Bool(b),
        SavedValue::Ints(is) => Value::tuple(is.into_iter().map(Value::Int).collect()),
        SavedValue::OptFloat(f) => f.map(Value::Float).unwrap_or(Value::None),
        SavedValue::Undefined
        | SavedValue::Freed
        | SavedValue::Tensor(_)
        | SavedValue::Output(_) => Value::None,
    }
}

impl GradFn {
    fn register(&self, name: &'static str, pre: bool) -> Value {
        let node = self.node.clone();
        Value::native(name, move |_, args| {
            let [f] = args.pos.as_slice() else {
                return Err(type_error(format!(
                    "{name}() takes exactly one argument ({} given)",
                    args.pos.len()
                )));
            };
            Ok(register_node_hook(&node, f.clone(), pre))
        })
    }
}

/// `node.register_prehook(f)` / `node.register_hook(f)`: the handle that removes it.
pub fn register_node_hook(node: &Rc<Node>, f: Value, pre: bool) -> Value {
    let active = Rc::new(Cell::new(true));
    let on = active.clone();
    if pre {
        let hook: NodePreHook = Rc::new(move |gout: &[Option<Tensor>]| {
            if !on.get() {
                return Ok(None);
            }
            let r = call_python(&f, Args::new(vec![grads_tuple(gout)]))?;
            hook_grads(r, "pre-hook")
        });
        node.register_prehook(hook);
    } else {
        let hook: NodePostHook = Rc::new(move |gin: &[Option<Tensor>], gout: &[Option<Tensor>]| {
            if !on.get() {
                return Ok(None);
            }
            let r = call_python(&f, Args::new(vec![grads_tuple(gin), grads_tuple(gout)]))?;
            hook_grads(r, "hook")
        });
        node.register_hook(hook);
    }
    Value::Object(Rc::new(HookHandle { active }))
}

impl Object for GradFn {
    fn type_name(&self) -> String {
        self.node.name().to_string()
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.node.name())
    }
    fn get_attr(&self, interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "name" => Some(name_method(python_name(self.node.name()))),
            "next_functions" => Some(next_functions(&self.node)),
            "metadata" => Some(self.metadata.clone()),
            "register_hook" => Some(self.register("register_hook", false)),
            "register_prehook" => Some(self.register("register_prehook", true)),
            _ => {
                if let Some(field) = name.strip_prefix("_raw_saved_") {
                    return match self.node.raw_saved(field) {
                        None => Ok(None),
                        Some(slot) => {
                            Ok(Some(Value::Object(Rc::new(SavedTensorObj { slot: slot? }))))
                        }
                    };
                }
                let Some(field) = name.strip_prefix("_saved_") else {
                    return Ok(None);
                };
                match self.node.saved(field) {
                    None => None,
                    Some(read) => Some(match read? {
                        SavedRead::Tensor(t) => Value::Tensor(t),
                        SavedRead::Packed(h, p) => Value::Tensor(unpack_now(interp, &h, &p)?),
                        SavedRead::Value(v) => saved_value(v),
                    }),
                }
            }
        })
    }
    fn attr_names(&self) -> Vec<String> {
        let mut names: Vec<String> = [
            "metadata",
            "name",
            "next_functions",
            "register_hook",
            "register_prehook",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in self.node.saved_names() {
            names.push(format!("_saved_{n}"));
            if self.node.raw_saved(n).is_some_and(|r| r.is_ok()) {
                names.push(format!("_raw_saved_{n}"));
            }
        }
        names
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A leaf's gradient accumulator (`grad_fn.next_functions[i][0]` for a leaf input).
pub struct AccumulateGrad {
    variable: Tensor,
    metadata: Value,
}

impl Object for AccumulateGrad {
    fn type_name(&self) -> String {
        "AccumulateGrad".into()
    }
    fn repr(&self) -> String {
        "<AccumulateGrad object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "name" => Some(name_method(python_name("AccumulateGrad"))),
            "variable" => Some(Value::Tensor(self.variable.clone())),
            "next_functions" => Some(Value::tuple(Vec::new())),
            "metadata" => Some(self.metadata.clone()),
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        ["metadata", "name", "next_functions", "variable"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Saved-tensor hooks defined in the language, or `save_on_cpu`'s (a copy; on a CPU-only
/// build the tensor is already on the CPU).
pub enum PyHooks {
    Python { pack: Value, unpack: Value },
    OnCpu,
}

fn unpacked(v: Value) -> PyResult<Tensor> {
    match v {
        Value::Tensor(t) => Ok(t),
        other => Err(type_error(format!(
            "Output of saved tensor unpack_hook expected to be a Tensor but got result of type {}",
            other.type_name()
        ))),
    }
}

impl SavedTensorsHooks for PyHooks {
    fn unpack(&self, packed: &Rc<dyn Any>) -> PyResult<Tensor> {
        match self {
            PyHooks::Python { unpack, .. } => {
                let v = packed
                    .downcast_ref::<Value>()
                    .cloned()
                    .ok_or_else(|| runtime_error("internal error: packed value"))?;
                unpacked(call_python(unpack, Args::new(vec![v]))?)
            }
            PyHooks::OnCpu => packed
                .downcast_ref::<Tensor>()
                .cloned()
                .ok_or_else(|| runtime_error("internal error: packed value")),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl PyHooks {
    fn pack(&self, interp: &mut Interp, t: &Tensor) -> PyResult<Rc<dyn Any>> {
        Ok(match self {
            PyHooks::Python { pack, .. } => {
                Rc::new(interp.call_value(pack, Args::new(vec![Value::Tensor(t.clone())]))?)
            }
            PyHooks::OnCpu => Rc::new(Tensor::new(t.array().deep_copy())),
        })
    }
}

/// Unpacks a packed saved tensor where the interpreter is at hand.
fn unpack_now(
    interp: &mut Interp,
    hooks: &Rc<dyn SavedTensorsHooks>,
    packed: &Rc<dyn Any>,
) -> PyResult<Tensor> {
    match hooks.as_any().downcast_ref::<PyHooks>() {
        Some(PyHooks::Python { unpack, .. }) => {
            let v = packed
                .downcast_ref::<Value>()
                .cloned()
                .ok_or_else(|| runtime_error("internal error: packed value"))?;
            unpacked(interp.call_value(unpack, Args::new(vec![v]))?)
        }
        _ => hooks.unpack(packed),
    }
}

/// Runs the pack hooks of tensors saved by the op that just returned (in saving order).
pub fn run_pending_packs(interp: &mut Interp) -> PyResult<()> {
    if let Some(e) = saved::take_pending_error() {
        take_pending_packs();
        return Err(e);
    }
    for p in take_pending_packs() {
        let Some(h) = p.hooks.as_any().downcast_ref::<PyHooks>() else {
            continue;
        };
        let packed = h.pack(interp, &p.tensor)?;
        p.slot.set_packed(p.hooks.clone(), packed);
    }
    Ok(())
}

/// `grad_fn._raw_saved_NAME`.
pub struct SavedTensorObj {
    slot: SavedTensor,
}

impl Object for SavedTensorObj {
    fn type_name(&self) -> String {
        "SavedTensor".into()
    }
    fn repr(&self) -> String {
        "<torch._C._autograd.SavedTensor object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "register_hooks" => {
                let slot = self.slot.clone();
                Some(Value::native("register_hooks", move |interp, args| {
                    let [pack, unpack] = args.pos.as_slice() else {
                        return Err(type_error(format!(
                            "register_hooks() takes exactly 2 arguments ({} given)",
                            args.pos.len()
                        )));
                    };
                    let Some(t) = slot.plain() else {
                        return Err(runtime_error(
                            "SavedTensor hooks have already been set on this SavedTensor",
                        ));
                    };
                    let hooks = Rc::new(PyHooks::Python {
                        pack: pack.clone(),
                        unpack: unpack.clone(),
                    });
                    let packed = hooks.pack(interp, &t)?;
                    slot.set_packed(hooks, packed);
                    Ok(Value::None)
                }))
            }
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        vec!["register_hooks".into()]
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `with torch.autograd.graph.saved_tensors_hooks(pack, unpack):` / `save_on_cpu()`.
pub struct SavedTensorsHooksCtx {
    type_name: &'static str,
    hooks: Rc<PyHooks>,
    entered: Cell<usize>,
}

impl Object for SavedTensorsHooksCtx {
    fn type_name(&self) -> String {
        self.type_name.into()
    }
    fn repr(&self) -> String {
        format!("<torch.autograd.graph.{} object>", self.type_name)
    }
    fn enter(&self, _interp: &mut Interp) -> PyResult<Value> {
        saved::push_saved_tensors_hooks(self.hooks.clone());
        self.entered.set(self.entered.get() + 1);
        Ok(Value::None)
    }
    fn exit(&self, _interp: &mut Interp) -> PyResult<()> {
        if self.entered.get() > 0 {
            self.entered.set(self.entered.get() - 1);
            saved::pop_saved_tensors_hooks();
        }
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn saved_tensors_hooks(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Object(Rc::new(SavedTensorsHooksCtx {
        type_name: "saved_tensors_hooks",
        hooks: Rc::new(PyHooks::Python {
            pack: b.value("pack_hook")?,
            unpack: b.value("unpack_hook")?,
        }),
        entered: Cell::new(0),
    })))
}

fn save_on_cpu(_: &mut Interp, _b: &Bound) -> PyResult<Value> {
    Ok(Value::Object(Rc::new(SavedTensorsHooksCtx {
        type_name: "save_on_cpu",
        hooks: Rc::new(PyHooks::OnCpu),
        entered: Cell::new(0),
    })))
}

/// The `torch.autograd.graph` module's table (its `Node` type is added by the registry).
pub const ROWS: &[Row] = &[
    torch(
        "def saved_tensors_hooks(pack_hook, unpack_hook)",
        "Context manager: pack_hook(tensor) runs when an op saves a tensor for backward, unpack_hook(packed) when backward reads it.",
        saved_tensors_hooks,
    ),
    torch(
        "def save_on_cpu(pin_memory=False, device_type=\"cuda\")",
        "Context manager: tensors saved for backward are kept as CPU copies.",
        save_on_cpu,
    ),
];
