//! Python objects of the torch namespace that are not tensors: `grad_fn` nodes, grad-mode
//! context managers, `torch.device`, hook handles. Reprs never show addresses.

use crate::autograd::{GradModeGuard, Node, set_grad_enabled};
use crate::error::PyResult;
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Object, Value};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `t.grad_fn`: a node of the recorded graph.
pub struct GradFn {
    pub node: Rc<Node>,
}

impl Object for GradFn {
    fn type_name(&self) -> String {
        self.node.name().to_string()
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.node.name())
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "name" => {
                let n = self.node.name();
                Some(Value::native("name", move |_, _| Ok(Value::str(n))))
            }
            "next_functions" => Some(next_functions(&self.node)),
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        vec!["name".into(), "next_functions".into()]
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `grad_fn.next_functions`: `((<AccumulateGrad object>, 0), (None, 0))`.
fn next_functions(node: &Node) -> Value {
    let items = node
        .next_functions()
        .into_iter()
        .map(|e| match e {
            Some((name, nr)) => Value::tuple(vec![
                Value::Object(Rc::new(NamedNode { name })),
                Value::Int(nr as i64),
            ]),
            None => Value::tuple(vec![Value::None, Value::Int(0)]),
        })
        .collect();
    Value::tuple(items)
}

/// A node seen through `next_functions` (its name is what lessons look at).
pub struct NamedNode {
    pub name: String,
}

impl Object for NamedNode {
    fn type_name(&self) -> String {
        self.name.clone()
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.name)
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "name" => {
                let n = self.name.clone();
                Some(Value::native("name", move |_, _| Ok(Value::str(&n))))
            }
            _ => None,
        })
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `torch.no_grad()`, `torch.enable_grad()`, `torch.set_grad_enabled(b)`, `torch.inference_mode()`.
pub struct GradMode {
    type_name: &'static str,
    /// The mode inside the block (None for set_grad_enabled, which switches on construction).
    enabled: Option<bool>,
    /// For set_grad_enabled: the mode before construction, restored on exit.
    previous: Cell<Option<bool>>,
    guards: RefCell<Vec<GradModeGuard>>,
}

impl GradMode {
    pub fn scoped(type_name: &'static str, enabled: bool) -> Value {
        Value::Object(Rc::new(GradMode {
            type_name,
            enabled: Some(enabled),
            previous: Cell::new(None),
            guards: RefCell::new(Vec::new()),
        }))
    }
    /// `set_grad_enabled(b)` takes effect at once, so it also works as a plain call.
    pub fn set_now(enabled: bool) -> Value {
        let previous = set_grad_enabled(enabled);
        Value::Object(Rc::new(GradMode {
            type_name: "set_grad_enabled",
            enabled: None,
            previous: Cell::new(Some(previous)),
            guards: RefCell::new(Vec::new()),
        }))
    }
}

impl Object for GradMode {
    fn type_name(&self) -> String {
        self.type_name.to_string()
    }
    fn repr(&self) -> String {
        format!("<torch.autograd.grad_mode.{} object>", self.type_name)
    }
    fn enter(&self, _interp: &mut Interp) -> PyResult<Value> {
        if let Some(e) = self.enabled {
            self.guards.borrow_mut().push(GradModeGuard::new(e));
        }
        Ok(Value::None)
    }
    /// `@torch.no_grad()` (and `enable_grad()`) as a decorator: the function runs in that
    /// grad mode (the custom optimizers' `step`).
    fn call(&self, _interp: &mut Interp, args: Args) -> PyResult<Value> {
        let (Some(enabled), [func]) = (self.enabled, args.pos.as_slice()) else {
            return Err(crate::error::type_error(format!(
                "'{}' object is not callable",
                self.type_name
            )));
        };
        let func = func.clone();
        let name = match &func {
            Value::Function(f) => f.name.clone(),
            _ => self.type_name.to_string(),
        };
        Ok(Value::native(name, move |interp, args| {
            let _guard = GradModeGuard::new(enabled);
            interp.call_value(&func, args)
        }))
    }
    fn exit(&self, _interp: &mut Interp) -> PyResult<()> {
        match self.enabled {
            Some(_) => {
                // Dropping the guard restores the mode from before `enter`.
                self.guards.borrow_mut().pop();
            }
            None => {
                if let Some(prev) = self.previous.take() {
                    set_grad_enabled(prev);
                }
            }
        }
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `torch.device('cpu')`: the only device there is.
pub struct Device;

thread_local! {
    static CPU: Rc<Device> = Rc::new(Device);
}

/// The one CPU device object: sharing it makes `x.device == torch.device("cpu")` hold
/// under the interpreter's identity comparison of objects.
pub fn device_value() -> Value {
    Value::Object(CPU.with(|d| d.clone()))
}

pub fn is_device(v: &Value) -> bool {
    matches!(v, Value::Object(o) if o.as_any().is::<Device>())
}

impl Object for Device {
    fn type_name(&self) -> String {
        "device".into()
    }
    fn repr(&self) -> String {
        "device(type='cpu')".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "type" => Some(Value::str("cpu")),
            "index" => Some(Value::None),
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        vec!["index".into(), "type".into()]
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Checks a `device=` argument: "cpu" works, anything else fails as on a CPU-only build.
pub fn check_device(v: &Value) -> PyResult<()> {
    match v {
        Value::None => Ok(()),
        Value::Str(s) => {
            let kind = s.split(':').next().unwrap_or("");
            match kind {
                "cpu" => Ok(()),
                "cuda" | "mps" | "xpu" => Err(crate::error::PyErr::new(
                    crate::error::ErrorKind::AssertionError,
                    "Torch not compiled with CUDA enabled",
                )),
                _ => Err(crate::error::runtime_error(format!(
                    "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: {s}"
                ))),
            }
        }
        _ => Ok(()),
    }
}

/// What `register_hook` returns: `handle.remove()` switches the hook off.
pub struct HookHandle {
    pub active: Rc<Cell<bool>>,
}

impl Object for HookHandle {
    fn type_name(&self) -> String {
        "RemovableHandle".into()
    }
    fn repr(&self) -> String {
        "<torch.utils.hooks.RemovableHandle object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "remove" => {
                let active = self.active.clone();
                Some(Value::native("remove", move |_, _| {
                    active.set(false);
                    Ok(Value::None)
                }))
            }
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        vec!["remove".into()]
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
