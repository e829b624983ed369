//! Python objects of the torch namespace that are not tensors (graph nodes are in
//! `graph_nodes`): grad-mode context managers, `torch.device`, hook handles. Reprs never show addresses.

use crate::autograd::{GradModeGuard, InferenceModeGuard, set_grad_enabled};
use crate::error::{PyResult, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Object, Value};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `torch.no_grad()`, `torch.enable_grad()`, `torch.set_grad_enabled(b)`, `torch.inference_mode()`.
pub struct GradMode {
    type_name: &'static str,
    /// The mode inside the block (None for set_grad_enabled, which switches on construction).
    enabled: Option<bool>,
    /// For set_grad_enabled: the mode before construction, restored on exit.
    previous: Cell<Option<bool>>,
    /// The mode a function decorated with this object runs under.
    mode: bool,
    /// With inference mode's own guard for `inference_mode()` (tensors made inside are
    /// inference tensors).
    guards: RefCell<Vec<(GradModeGuard, Option<InferenceModeGuard>)>>,
}

impl GradMode {
    pub fn scoped(type_name: &'static str, enabled: bool) -> Value {
        Value::Object(Rc::new(GradMode {
            type_name,
            enabled: Some(enabled),
            previous: Cell::new(None),
            mode: enabled,
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
            mode: enabled,
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
    /// Used as a decorator (`@torch.no_grad()`): the function runs under the mode. As in
    /// PyTorch, `set_grad_enabled(b)` used so gives back the mode it switched at construction.
    fn call(&self, _interp: &mut Interp, args: Args) -> Option<PyResult<Value>> {
        let [f] = args.pos.as_slice() else {
            return Some(Err(type_error(format!(
                "{}.__call__() takes 2 positional arguments but {} were given",
                self.type_name,
                args.pos.len() + 1
            ))));
        };
        if self.enabled.is_none()
            && let Some(prev) = self.previous.take()
        {
            set_grad_enabled(prev);
        }
        Some(Ok(grad_mode_wrapper(f.clone(), self.mode)))
    }
    fn enter(&self, _interp: &mut Interp) -> PyResult<Value> {
        if let Some(e) = self.enabled {
            let inference =
                (self.type_name == "inference_mode").then(|| InferenceModeGuard::new(!e));
            self.guards
                .borrow_mut()
                .push((GradModeGuard::new(e), inference));
        }
        Ok(Value::None)
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

/// `f` wrapped to run with grad mode `mode` (what the grad-mode decorators return).
pub fn grad_mode_wrapper(f: Value, mode: bool) -> Value {
    let name = match &f {
        Value::Function(u) => u.name.clone(),
        Value::Native(n) => n.name.clone(),
        _ => "wrapper".into(),
    };
    Value::native(name, move |interp, args| {
        let _guard = GradModeGuard::new(mode);
        interp.call_value(&f, args)
    })
}

/// `torch.no_grad`, `torch.enable_grad`, `torch.inference_mode` called with a function: the
/// bare decorator form (`@torch.no_grad`), as PyTorch's classes accept it.
pub fn bare_decorator(orig: Value, mode: bool) -> Value {
    let name = match &orig {
        Value::Native(n) => n.name.clone(),
        _ => String::new(),
    };
    Value::native(name, move |interp, args| {
        if args.kw.is_empty()
            && let [f] = args.pos.as_slice()
            && matches!(
                f,
                Value::Function(_) | Value::BoundMethod(_) | Value::Native(_) | Value::Instance(_)
            )
        {
            return Ok(grad_mode_wrapper(f.clone(), mode));
        }
        interp.call_value(&orig, args)
    })
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
