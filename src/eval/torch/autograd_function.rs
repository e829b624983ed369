//! `torch.autograd.Function`: custom differentiable functions written in the language.
//!
//! `Cls.apply(*args)` runs `forward` with grad mode and forward-mode AD off (old style
//! `forward(ctx, *args)`, or `forward(*args)` then `setup_context(ctx, inputs, output)`), then
//! hands the outputs to `autograd::custom::record_custom`, which records one node whose
//! backward is a closure calling the class's `backward(ctx, *grads)` through the engine's
//! interpreter handle (`autograd_api::call_python`). The `ctx` is an instance of a class named
//! like PyTorch's (`CubeBackward`, a subclass of `BackwardCFunction` and so of
//! `torch.autograd.graph.Node`), and it is the output's `grad_fn`: the node keeps it as its
//! language object, and `graph_nodes::node_value` gives it back. What `ctx` methods record
//! (saved tensors, dirty and non-differentiable outputs, ...) lives in a `CtxState` found by
//! the instance's identity.

use super::autograd_api::call_python;
use super::graph_nodes;
use crate::autograd::custom::{
    CustomCall, ForwardAdOff, delayed_error, is_executable, record_custom, tangent_levels,
};
use crate::autograd::{GradModeGuard, Node, Tensor, is_grad_enabled};
use crate::error::{ErrorKind, PyErr, PyResult, runtime_error, type_error};
use crate::eval::class::{Class, Instance, builtin_class, dict_set};
use crate::eval::descr::{ClassMethod, Property, StaticMethod, class_getattr};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Value};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

/// What `ctx` methods recorded during `forward`/`setup_context`, and the node once recorded.
#[derive(Default)]
struct CtxState {
    /// Strong, so a `grad_fn` kept by Python outlives its outputs as in PyTorch; the cycle
    /// (node → ctx → state → node) is collected by `register_state`'s pruning once only the
    /// cycle holds them.
    node: RefCell<Option<Rc<Node>>>,
    /// `save_for_backward(...)`: None until called; emptied once backward frees the graph.
    saved: RefCell<Option<Vec<Value>>>,
    freed: Cell<bool>,
    saved_for_forward: RefCell<Vec<Value>>,
    dirty: RefCell<Vec<Tensor>>,
    non_differentiable: RefCell<Vec<Tensor>>,
    materialize: Cell<bool>,
    metadata: RefCell<Option<Value>>,
}

type CtxEntry = (Weak<Instance>, Rc<CtxState>);

thread_local! {
    static FUNCTION: Rc<Class> = make_function_class();
    static BACKWARD_C_FUNCTION: Rc<Class> = make_ctx_base();
    /// ctx instance identity → its state (pruned of dead instances as it grows).
    static CTX: RefCell<(BTreeMap<usize, CtxEntry>, usize)> = const { RefCell::new((BTreeMap::new(), 64)) };
    /// Function subclass identity → its ctx class (`CubeBackward`).
    static CTX_CLASSES: RefCell<Vec<(Weak<Class>, Rc<Class>)>> = const { RefCell::new(Vec::new()) };
}

const NO_VMAP: &str = "Please override and implement the vmap staticmethod or set generate_vmap_rule=True. For more details, please see https://pytorch.org/docs/main/notes/extending.func.html";
const ONCE_DIFFERENTIABLE: &str =
    "trying to differentiate twice a function that was marked with @once_differentiable";

/// `torch.autograd.Function`.
pub fn function_class() -> Value {
    Value::Class(FUNCTION.with(|f| f.clone()))
}

fn register_state(inst: &Rc<Instance>, state: Rc<CtxState>) {
    CTX.with(|c| {
        let mut c = c.borrow_mut();
        let key = Rc::as_ptr(inst) as usize;
        c.0.insert(key, (Rc::downgrade(inst), state));
        if c.0.len() >= c.1 {
            // Unreachable: no tensor or node refers to the node (only its state does) and
            // nothing but the node refers to the ctx (its object and its backward closure).
            c.0.retain(|_, (w, s)| {
                let only_cycle = s
                    .node
                    .borrow()
                    .as_ref()
                    .is_some_and(|n| Rc::strong_count(n) == 1)
                    && w.strong_count() <= 2;
                w.strong_count() > 0 && !only_cycle
            });
            c.1 = (c.0.len() * 2).max(64);
        }
    });
}

fn state_of(v: &Value) -> PyResult<Rc<CtxState>> {
    let Value::Instance(inst) = v else {
        return Err(type_error("descriptor requires a function context object"));
    };
    let key = Rc::as_ptr(inst) as usize;
    CTX.with(|c| {
        c.borrow()
            .0
            .get(&key)
            .filter(|(w, _)| w.upgrade().is_some_and(|i| Rc::ptr_eq(&i, inst)))
            .map(|(_, s)| s.clone())
    })
    .ok_or_else(|| runtime_error("this ctx is not the context of a custom Function call"))
}

fn native(name: &'static str, f: impl Fn(&mut Interp, Args) -> PyResult<Value> + 'static) -> Value {
    Value::native(name, f)
}

fn static_native(
    name: &'static str,
    f: impl Fn(&mut Interp, Args) -> PyResult<Value> + 'static,
) -> Value {
    Value::Object(Rc::new(StaticMethod(native(name, f))))
}

fn property(name: &'static str, f: impl Fn(&Value) -> PyResult<Value> + 'static) -> Value {
    Value::Object(Rc::new(Property {
        fget: native(name, move |_, args| match args.pos.first() {
            Some(v) => f(v),
            None => Err(type_error(format!("{name} needs an object"))),
        }),
        fset: Value::None,
        fdel: Value::None,
        name: name.to_string(),
    }))
}

fn make_function_class() -> Rc<Class> {
    let dict = Rc::new(RefCell::new(Vec::new()));
    let cls = Class::new(
        "Function",
        "Function".into(),
        "torch.autograd.function",
        vec![],
        dict,
    )
    .expect("Function has a consistent MRO");
    dict_set(
        &cls.dict,
        "apply",
        Value::Object(Rc::new(ClassMethod(native("apply", apply)))),
    );
    dict_set(
        &cls.dict,
        "forward",
        static_native("forward", |_, _| {
            Err(PyErr::new(
                ErrorKind::NotImplementedError,
                "You must implement the forward function for custom autograd.Function.",
            ))
        }),
    );
    dict_set(
        &cls.dict,
        "backward",
        static_native("backward", |_, _| {
            Err(PyErr::new(
                ErrorKind::NotImplementedError,
                "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.",
            ))
        }),
    );
    dict_set(
        &cls.dict,
        "jvp",
        static_native("jvp", |_, _| {
            Err(PyErr::new(
                ErrorKind::NotImplementedError,
                "You must implement the jvp function for custom autograd.Function to use it with forward mode AD.",
            ))
        }),
    );
    dict_set(
        &cls.dict,
        "setup_context",
        static_native("setup_context", |_, _| {
            Err(PyErr::new(ErrorKind::NotImplementedError, ""))
        }),
    );
    dict_set(&cls.dict, "generate_vmap_rule", Value::Bool(false));
    dict_set(
        &cls.dict,
        "__call__",
        native("__call__", |_, _| {
            Err(runtime_error(
                "Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd function with static forward method. (Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)",
            ))
        }),
    );
    cls
}

fn this_node(v: &Value) -> PyResult<Rc<Node>> {
    state_of(v)?
        .node
        .borrow()
        .clone()
        .ok_or_else(|| runtime_error("the node of this ctx no longer exists"))
}

/// The class every ctx class derives from (`BackwardCFunction`): the `ctx` methods and the
/// node methods (`name()`, `next_functions`, hooks, `metadata`).
fn make_ctx_base() -> Rc<Class> {
    let dict = Rc::new(RefCell::new(Vec::new()));
    let cls = Class::new(
        "BackwardCFunction",
        "BackwardCFunction".into(),
        "torch.autograd.function",
        vec![builtin_class("Node")],
        dict,
    )
    .expect("BackwardCFunction has a consistent MRO");
    let d = &cls.dict;
    dict_set(
        d,
        "save_for_backward",
        native("save_for_backward", |_, args| {
            let (ctx, rest) = split_self(&args)?;
            for (i, v) in rest.iter().enumerate() {
                if !matches!(v, Value::Tensor(_) | Value::None) {
                    return Err(type_error(format!(
                        "save_for_backward can only save variables, but argument {i} is of type {}",
                        v.type_name()
                    )));
                }
            }
            *state_of(ctx)?.saved.borrow_mut() = Some(rest.to_vec());
            Ok(Value::None)
        }),
    );
    dict_set(
        d,
        "save_for_forward",
        native("save_for_forward", |_, args| {
            let (ctx, rest) = split_self(&args)?;
            *state_of(ctx)?.saved_for_forward.borrow_mut() = rest.to_vec();
            Ok(Value::None)
        }),
    );
    dict_set(
        d,
        "mark_dirty",
        native("mark_dirty", |_, args| {
            let (ctx, rest) = split_self(&args)?;
            *state_of(ctx)?.dirty.borrow_mut() = tensors_of(rest, "mark_dirty")?;
            Ok(Value::None)
        }),
    );
    dict_set(
        d,
        "mark_non_differentiable",
        native("mark_non_differentiable", |_, args| {
            let (ctx, rest) = split_self(&args)?;
            *state_of(ctx)?.non_differentiable.borrow_mut() =
                tensors_of(rest, "mark_non_differentiable")?;
            Ok(Value::None)
        }),
    );
    dict_set(
        d,
        "set_materialize_grads",
        native("set_materialize_grads", |interp, args| {
            let (ctx, rest) = split_self(&args)?;
            let on = match rest.first() {
                Some(v) => interp.truthy(v)?,
                None => true,
            };
            state_of(ctx)?.materialize.set(on);
            Ok(Value::None)
        }),
    );
    dict_set(
        d,
        "saved_tensors",
        property("saved_tensors", |ctx| {
            let s = state_of(ctx)?;
            if s.freed.get() {
                return Err(runtime_error(crate::autograd::saved::BACKWARD_TWICE));
            }
            Ok(Value::tuple(s.saved.borrow().clone().unwrap_or_default()))
        }),
    );
    dict_set(
        d,
        "saved_variables",
        property("saved_variables", |ctx| {
            let s = state_of(ctx)?;
            Ok(Value::tuple(s.saved.borrow().clone().unwrap_or_default()))
        }),
    );
    dict_set(
        d,
        "to_save",
        property("to_save", |ctx| {
            let s = state_of(ctx)?;
            Ok(Value::tuple(s.saved.borrow().clone().unwrap_or_default()))
        }),
    );
    dict_set(
        d,
        "name",
        native("name", |_, args| {
            let (ctx, _) = split_self(&args)?;
            Ok(Value::str(this_node(ctx)?.name()))
        }),
    );
    dict_set(
        d,
        "next_functions",
        property("next_functions", |ctx| {
            Ok(graph_nodes::next_functions(&*this_node(ctx)?))
        }),
    );
    dict_set(
        d,
        "metadata",
        property("metadata", |ctx| {
            let s = state_of(ctx)?;
            let mut m = s.metadata.borrow_mut();
            Ok(
                m.get_or_insert_with(|| Value::Dict(Rc::new(RefCell::new(Vec::new()))))
                    .clone(),
            )
        }),
    );
    for (name, pre) in [("register_hook", false), ("register_prehook", true)] {
        dict_set(
            d,
            name,
            native(name, move |_, args| {
                let (ctx, rest) = split_self(&args)?;
                let [f] = rest else {
                    return Err(type_error(format!(
                        "{name}() takes exactly one argument ({} given)",
                        rest.len()
                    )));
                };
                Ok(graph_nodes::register_node_hook(
                    &this_node(ctx)?,
                    f.clone(),
                    pre,
                ))
            }),
        );
    }
    cls
}

fn split_self(args: &Args) -> PyResult<(&Value, &[Value])> {
    match args.pos.split_first() {
        Some((s, rest)) => Ok((s, rest)),
        None => Err(type_error("method needs its ctx")),
    }
}

fn tensors_of(vs: &[Value], what: &str) -> PyResult<Vec<Tensor>> {
    vs.iter()
        .map(|v| match v {
            Value::Tensor(t) => Ok(t.clone()),
            other => Err(type_error(format!(
                "{what} only accepts Tensors, but got {}",
                other.type_name()
            ))),
        })
        .collect()
}

/// The ctx class of a Function subclass (`Cube` → `CubeBackward`), made once per class.
fn ctx_class(cls: &Rc<Class>) -> PyResult<Rc<Class>> {
    if let Some(c) = CTX_CLASSES.with(|m| {
        m.borrow()
            .iter()
            .find(|(w, _)| w.upgrade().is_some_and(|k| Rc::ptr_eq(&k, cls)))
            .map(|(_, c)| c.clone())
    }) {
        return Ok(c);
    }
    let name = format!("{}Backward", cls.name);
    let base = BACKWARD_C_FUNCTION.with(|b| b.clone());
    let c = Class::new(
        &name,
        name.clone(),
        &cls.module,
        vec![base],
        Rc::new(RefCell::new(Vec::new())),
    )?;
    CTX_CLASSES.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|(w, _)| w.strong_count() > 0);
        m.push((Rc::downgrade(cls), c.clone()));
    });
    Ok(c)
}

/// Whether `cls` (or a base below `Function`) defines `name` itself.
fn overrides(cls: &Rc<Class>, name: &str) -> bool {
    let base = FUNCTION.with(|f| f.clone());
    cls.mro_list()
        .iter()
        .take_while(|c| !Rc::ptr_eq(c, &base))
        .any(|c| crate::eval::class::dict_get(&c.dict, name).is_some())
}

fn lookup(interp: &mut Interp, cls: &Rc<Class>, name: &str) -> PyResult<Value> {
    class_getattr(interp, cls, name)?.ok_or_else(|| {
        crate::error::attribute_error(format!(
            "type object '{}' has no attribute '{name}'",
            cls.name
        ))
    })
}

/// What a backward returned, as one entry per gradient (PyTorch's checks, in its order).
fn backward_results(name: &str, n_args: usize, r: Value) -> PyResult<Vec<Option<Tensor>>> {
    let items: Vec<Value> = match r {
        Value::Tuple(t) => t.as_ref().clone(),
        other => vec![other],
    };
    if items.len() > n_args && items[n_args..].iter().any(|v| !matches!(v, Value::None))
        || items.len() < n_args
    {
        return Err(runtime_error(format!(
            "function {name} returned an incorrect number of gradients (expected {n_args}, got {})",
            items.len()
        )));
    }
    items
        .into_iter()
        .take(n_args)
        .map(|v| match v {
            Value::None => Ok(None),
            Value::Tensor(t) => Ok(Some(t)),
            other => Err(runtime_error(format!(
                "expected Variable or None (got {})",
                other.type_name()
            ))),
        })
        .collect()
}

/// `Function.apply(*args)` (bound to the subclass it is called on).
fn apply(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let Some((Value::Class(cls), fargs)) = args.pos.split_first() else {
        return Err(type_error("apply() must be called on a Function subclass"));
    };
    let cls = cls.clone();
    let fargs: Vec<Value> = fargs.to_vec();
    let kw = args.kw.clone();
    let inputs: Vec<Option<Tensor>> = fargs
        .iter()
        .map(|v| match v {
            Value::Tensor(t) => Some(t.clone()),
            _ => None,
        })
        .collect();

    if inputs.iter().flatten().any(|t| t.is_batched()) {
        let rule = lookup(interp, &cls, "generate_vmap_rule")?;
        if !interp.truthy(&rule)? {
            return Err(runtime_error(format!(
                "You tried to vmap over {}, but it does not have vmap support. {NO_VMAP}",
                cls.name
            )));
        }
        // generate_vmap_rule: forward is written per sample with ops that all have batching
        // rules, so it runs on the batched tensors and its ops record their own graph.
        let forward = lookup(interp, &cls, "forward")?;
        return if overrides(&cls, "setup_context") {
            interp.call_value(&forward, Args { pos: fargs, kw })
        } else {
            Err(runtime_error(
                "In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, jacrev, ...), it must override the setup_context staticmethod. For more details, please see https://pytorch.org/docs/main/notes/extending.func.html",
            ))
        };
    }

    let state = Rc::new(CtxState {
        materialize: Cell::new(true),
        ..Default::default()
    });
    let ctx_inst = Instance::new(ctx_class(&cls)?);
    register_state(&ctx_inst, state.clone());
    let ctx = Value::Instance(ctx_inst.clone());
    let executable = is_executable(&inputs);
    let needs: Vec<Value> = inputs
        .iter()
        .map(|t| Value::Bool(executable && t.as_ref().is_some_and(|t| t.requires_grad())))
        .collect();
    dict_set(&ctx_inst.dict, "needs_input_grad", Value::tuple(needs));

    let levels = tangent_levels(&inputs);
    let forward = lookup(interp, &cls, "forward")?;
    let output = {
        let _no_grad = GradModeGuard::new(false);
        let _no_fwd = ForwardAdOff::new(&levels);
        if overrides(&cls, "setup_context") {
            let out = interp.call_value(
                &forward,
                Args {
                    pos: fargs.clone(),
                    kw,
                },
            )?;
            let setup = lookup(interp, &cls, "setup_context")?;
            interp.call_value(
                &setup,
                Args::new(vec![ctx.clone(), Value::tuple(fargs.clone()), out.clone()]),
            )?;
            out
        } else {
            let mut pos = vec![ctx.clone()];
            pos.extend(fargs.iter().cloned());
            interp.call_value(&forward, Args { pos, kw })?
        }
    };
    let (is_tuple, items) = match &output {
        Value::Tuple(t) => (true, t.as_ref().clone()),
        other => (false, vec![other.clone()]),
    };
    let outputs: Vec<Tensor> = items
        .iter()
        .filter_map(|v| match v {
            Value::Tensor(t) => Some(t.clone()),
            _ => None,
        })
        .collect();

    let backward_fn = if overrides(&cls, "backward") || !overrides(&cls, "vjp") {
        lookup(interp, &cls, "backward")?
    } else {
        lookup(interp, &cls, "vjp")?
    };
    let n_args = fargs.len();
    let node_name = format!("{}Backward", cls.name);
    let bw_ctx = ctx.clone();
    let bw_state = Rc::downgrade(&state);
    let bw_name = node_name.clone();
    let backward = Rc::new(move |grads: &[Option<Tensor>]| {
        if bw_state.upgrade().is_none_or(|s| s.freed.get()) {
            return Err(runtime_error(crate::autograd::saved::BACKWARD_TWICE));
        }
        let mut pos = vec![bw_ctx.clone()];
        pos.extend(
            grads
                .iter()
                .map(|g| g.clone().map(Value::Tensor).unwrap_or(Value::None)),
        );
        let r = call_python(&backward_fn, Args::new(pos))?;
        backward_results(&bw_name, n_args, r)
    });
    let free_state = Rc::downgrade(&state);
    let on_free: Rc<dyn Fn()> = Rc::new(move || {
        if let Some(s) = free_state.upgrade() {
            s.freed.set(true);
            s.saved.borrow_mut().take();
        }
    });
    let dirty = state.dirty.borrow().clone();
    let non_diff = state.non_differentiable.borrow().clone();
    let call = CustomCall {
        name: &node_name,
        inputs: &inputs,
        outputs: &outputs,
        dirty: &dirty,
        non_differentiable: &non_diff,
        materialize_grads: state.materialize.get(),
        object: Some(Rc::new(ctx.clone())),
        on_free: Some(on_free),
    };
    let (wrapped, node) = record_custom(&call, backward)?;
    if let Some(n) = &node {
        *state.node.borrow_mut() = Some(n.clone());
    }

    // Forward-mode AD: the jvp staticmethod gives the outputs' tangents at each level.
    for level in levels {
        // One tangent per forward argument: zeros for a tensor without one (materialized as
        // PyTorch does), None for a non-tensor argument.
        let tangents: Vec<Value> = inputs
            .iter()
            .map(|t| match t {
                Some(t) => Value::Tensor(
                    t.tangent(level)
                        .unwrap_or_else(|| crate::autograd::ops::zeros_like(t)),
                ),
                None => Value::None,
            })
            .collect();
        let jvp = lookup(interp, &cls, "jvp")?;
        let _off = ForwardAdOff::new(&[level]);
        let mut pos = vec![ctx.clone()];
        pos.extend(tangents);
        let r = interp.call_value(&jvp, Args::new(pos))?;
        let outs: Vec<Value> = match r {
            Value::Tuple(t) => t.as_ref().clone(),
            other => vec![other],
        };
        for (o, t) in wrapped.iter().zip(outs) {
            if let Value::Tensor(t) = t {
                o.set_tangent(level, Some(t));
            }
        }
    }

    let mut it = wrapped.into_iter();
    let result: Vec<Value> = items
        .into_iter()
        .map(|v| match v {
            Value::Tensor(_) => it.next().map(Value::Tensor).unwrap_or(Value::None),
            other => other,
        })
        .collect();
    Ok(if is_tuple {
        Value::tuple(result)
    } else {
        result.into_iter().next().unwrap_or(Value::None)
    })
}

/// `torch.autograd.function.once_differentiable(backward)`.
fn once_differentiable(_: &mut Interp, args: Args) -> PyResult<Value> {
    let [f] = args.pos.as_slice() else {
        return Err(type_error(
            "once_differentiable() takes exactly one argument",
        ));
    };
    let f = f.clone();
    let name = match &f {
        Value::Function(u) => u.name.clone(),
        _ => "backward".into(),
    };
    Ok(Value::native(name, move |interp, args| {
        let grad_on = is_grad_enabled();
        let requires_grad = args
            .pos
            .iter()
            .any(|v| matches!(v, Value::Tensor(t) if t.requires_grad()));
        let out = {
            let _no_grad = GradModeGuard::new(false);
            interp.call_value(&f, args)?
        };
        if !grad_on || !requires_grad {
            return Ok(out);
        }
        let (is_tuple, items) = match &out {
            Value::Tuple(t) => (true, t.as_ref().clone()),
            other => (false, vec![other.clone()]),
        };
        let tensors: Vec<Tensor> = items
            .iter()
            .filter_map(|v| match v {
                Value::Tensor(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let mut wrapped = delayed_error(ONCE_DIFFERENTIABLE, &tensors).into_iter();
        let items: Vec<Value> = items
            .into_iter()
            .map(|v| match v {
                Value::Tensor(_) => wrapped.next().map(Value::Tensor).unwrap_or(Value::None),
                other => other,
            })
            .collect();
        Ok(if is_tuple {
            Value::tuple(items)
        } else {
            items.into_iter().next().unwrap_or(Value::None)
        })
    }))
}

/// The `torch.autograd.function` module's attributes.
pub fn function_module_attrs() -> Vec<(&'static str, Value)> {
    vec![
        ("Function", function_class()),
        (
            "once_differentiable",
            Value::native("once_differentiable", once_differentiable),
        ),
    ]
}
