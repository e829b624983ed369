//! `torch.autograd.grad`/`backward`, `Tensor.backward`, `retain_grad` and `register_hook`.
//!
//! Gradient hooks are Python callables, but the engine calls hooks as plain Rust closures
//! with no interpreter at hand. Every entry into the engine therefore goes through
//! `with_interp`, which parks the caller's `&mut Interp` in a thread-local for exactly the
//! duration of the engine call; a hook reaches the interpreter through it.

use super::args::Bound;
use super::objects::HookHandle;
use super::table::{Row, method, torch};
use crate::autograd::{self, Hook, Tensor};
use crate::error::{PyResult, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Value};
use std::cell::Cell;
use std::rc::Rc;

thread_local! {
    static CURRENT: Cell<*mut Interp> = const { Cell::new(std::ptr::null_mut()) };
}

/// Runs `f` (an engine call) with `interp` reachable from gradient hooks.
pub fn with_interp<R>(interp: &mut Interp, f: impl FnOnce() -> R) -> R {
    struct Restore(*mut Interp);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let previous = CURRENT.with(|c| c.replace(interp as *mut Interp));
    let _restore = Restore(previous);
    f()
}

/// Calls a Python callable from inside an engine call.
pub(crate) fn call_python(func: &Value, args: Args) -> PyResult<Value> {
    let p = CURRENT.with(|c| c.get());
    if p.is_null() {
        return Err(runtime_error(
            "a tensor hook ran outside of an interpreter call",
        ));
    }
    // SAFETY: `p` comes from the `&mut Interp` handed to `with_interp`, which stays borrowed
    // (and unused by its owner) until the engine call returns; the pointer is reset on the way
    // out, and nested `with_interp` calls only stack newer reborrows on top of it.
    let interp = unsafe { &mut *p };
    interp.call_value(func, args)
}

fn callable_name(v: &Value) -> String {
    match v {
        Value::Function(f) => f.name.clone(),
        Value::Native(n) => n.name.clone(),
        other => other.type_name(),
    }
}

/// A Python function as an engine hook: `None` keeps the gradient, a tensor replaces it.
pub fn python_hook(func: Value, active: Rc<Cell<bool>>) -> Hook {
    Rc::new(move |grad: &Tensor| {
        if !active.get() {
            return Ok(None);
        }
        match call_python(&func, Args::new(vec![Value::Tensor(grad.clone())]))? {
            Value::None => Ok(None),
            Value::Tensor(t) => Ok(Some(t)),
            other => Err(type_error(format!(
                "hook '{}' has returned an incorrect type (expected Tensor, got {})",
                callable_name(&func),
                other.type_name()
            ))),
        }
    })
}

/// A tensor or a sequence of tensors (`outputs`, `inputs`).
pub fn tensors_arg(v: &Value, what: &str) -> PyResult<Vec<Tensor>> {
    match v {
        Value::Tensor(t) => Ok(vec![t.clone()]),
        Value::Tuple(_) | Value::List(_) => super::args::as_tensor_list(v)
            .ok_or_else(|| type_error(format!("{what} must be a Tensor or a sequence of Tensors"))),
        other => Err(type_error(format!(
            "{what} must be a Tensor or a sequence of Tensors, not {}",
            other.type_name()
        ))),
    }
}

/// `grad_outputs`/`grad_tensors`: None, a tensor, or a sequence of tensors and Nones.
fn grads_arg(v: &Value, n: usize, what: &str) -> PyResult<Vec<Option<Tensor>>> {
    let items: Vec<Value> = match v {
        Value::None => return Ok(vec![None; n]),
        Value::Tensor(t) => vec![Value::Tensor(t.clone())],
        Value::Tuple(t) => t.as_ref().clone(),
        Value::List(l) => l.borrow().clone(),
        other => {
            return Err(type_error(format!(
                "{what} must be a Tensor or a sequence of Tensors, not {}",
                other.type_name()
            )));
        }
    };
    if items.len() != n {
        return Err(runtime_error(format!(
            "Mismatch in number of gradients and outputs: got {} gradients and {} outputs",
            items.len(),
            n
        )));
    }
    items
        .into_iter()
        .map(|x| match x {
            Value::None => Ok(None),
            Value::Tensor(t) => Ok(Some(t)),
            other => Err(type_error(format!(
                "{what} must contain Tensors or None, not {}",
                other.type_name()
            ))),
        })
        .collect()
}

fn opt_inputs(v: &Value) -> PyResult<Option<Vec<Tensor>>> {
    match v {
        Value::None => Ok(None),
        v => {
            let ts = tensors_arg(v, "inputs")?;
            if ts.is_empty() {
                return Err(runtime_error(
                    "'inputs' argument to backward() cannot be empty.",
                ));
            }
            Ok(Some(ts))
        }
    }
}

/// `torch.autograd.grad(...)`: a tuple with one entry per input (None when unused).
fn grad(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let outputs = tensors_arg(&b.value("outputs")?, "outputs")?;
    let inputs = tensors_arg(&b.value("inputs")?, "inputs")?;
    if inputs.is_empty() {
        return Err(runtime_error("grad requires non-empty inputs."));
    }
    let grad_outputs = grads_arg(&b.value("grad_outputs")?, outputs.len(), "grad_outputs")?;
    let materialize = b.bool("materialize_grads")?;
    let allow_unused = match b.opt_bool("allow_unused")? {
        Some(false) if materialize => {
            return Err(crate::error::value_error(
                "Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False.",
            ));
        }
        Some(a) => a,
        None => materialize,
    };
    let retain = b.opt_bool("retain_graph")?;
    let create = b.bool("create_graph")?;
    let grads = with_interp(interp, || {
        autograd::grad(
            &outputs,
            &inputs,
            &grad_outputs,
            retain,
            create,
            allow_unused,
            materialize,
        )
    })?;
    Ok(Value::tuple(
        grads
            .into_iter()
            .map(|g| g.map(Value::Tensor).unwrap_or(Value::None))
            .collect(),
    ))
}

/// `torch.autograd.backward(tensors, grad_tensors, ...)`.
fn backward(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let tensors = tensors_arg(&b.value("tensors")?, "tensors")?;
    let mut given = b.value("grad_tensors")?;
    if matches!(given, Value::None) {
        given = b.value("grad_variables")?;
    }
    let grads = grads_arg(&given, tensors.len(), "grad_tensors")?;
    let inputs = opt_inputs(&b.value("inputs")?)?;
    let retain = b.opt_bool("retain_graph")?;
    let create = b.bool("create_graph")?;
    with_interp(interp, || {
        autograd::backward(&tensors, &grads, retain, create, inputs.as_deref())
    })?;
    Ok(Value::None)
}

/// `t.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`.
fn tensor_backward(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    let gradient = b.opt_tensor("gradient")?;
    let inputs = opt_inputs(&b.value("inputs")?)?;
    let retain = b.opt_bool("retain_graph")?;
    let create = b.bool("create_graph")?;
    with_interp(interp, || {
        t.backward(gradient, retain, create, inputs.as_deref())
    })?;
    Ok(Value::None)
}

fn retain_grad(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    b.this()?.retain_grad()?;
    Ok(Value::None)
}

fn register_hook(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    let active = Rc::new(Cell::new(true));
    t.register_hook(python_hook(b.value("hook")?, active.clone()))?;
    Ok(Value::Object(Rc::new(HookHandle { active })))
}

fn register_post_accumulate_grad_hook(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.this()?;
    let active = Rc::new(Cell::new(true));
    let on = active.clone();
    let func = b.value("hook")?;
    t.register_post_accumulate_grad_hook(Rc::new(move |leaf: &Tensor| {
        if on.get() {
            call_python(&func, Args::new(vec![Value::Tensor(leaf.clone())]))?;
        }
        Ok(())
    }))?;
    Ok(Value::Object(Rc::new(HookHandle { active })))
}

/// The `torch.autograd` module's table.
pub const ROWS: &[Row] = &[
    torch(
        "def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False)",
        "Gradients of outputs with respect to inputs, as a tuple.",
        grad,
    ),
    torch(
        "def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None)",
        "Accumulates gradients of tensors into the leaves' .grad.",
        backward,
    ),
];

/// Autograd methods of tensors (a section of the torch table).
pub const TENSOR_ROWS: &[Row] = &[
    method(
        "def backward(Tensor self, Tensor? gradient=None, Any? retain_graph=None, bool create_graph=False, Any? inputs=None)",
        "Accumulates the gradient of this tensor into the leaves' .grad.",
        tensor_backward,
    ),
    method(
        "retain_grad(Tensor self)",
        "Keeps .grad of a non-leaf after backward.",
        retain_grad,
    ),
    method(
        "register_hook(Tensor self, Any hook)",
        "Calls hook(grad) when the gradient is computed.",
        register_hook,
    ),
    method(
        "register_post_accumulate_grad_hook(Tensor self, Any hook)",
        "Calls hook(tensor) after a leaf's .grad was updated by backward.",
        register_post_accumulate_grad_hook,
    ),
];
