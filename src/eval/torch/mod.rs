//! The `torch` namespace: torch functions, tensor attributes and methods, operators on
//! tensors, `torch.nn.functional`, `torch.autograd`, `torch.autograd.functional`.
//!
//! Every function is a row of a table (signature in PyTorch's own notation, one-line
//! description, implementation); `args` binds calls to signatures with PyTorch's error
//! messages, `table` groups rows into callables, `module` builds the module objects.

pub mod anomaly;
pub mod args;
pub mod autograd_api;
pub mod autograd_function;
pub mod autograd_functional;
pub mod convert;
pub mod creation;
pub mod forward_ad;
pub mod func;
pub mod functional_conv;
pub mod functional_loss;
pub mod functional_nn;
pub mod gradcheck;
pub mod graph_nodes;
pub mod indexing;
pub mod linalg;
pub mod misc;
pub mod module;
pub mod nn_init;
pub mod objects;
pub mod operators;
pub mod pointwise;
pub mod pytree;
pub mod random;
pub mod reductions;
pub mod shape;
pub mod sorting;
pub mod table;
pub mod tensor_attrs;
pub mod tensor_methods;
#[cfg(test)]
mod tests;

use super::interp::Interp;
use super::value::{Args, Value};
use crate::autograd::Tensor;
use crate::error::PyResult;

pub use module::signatures;

/// `import NAME` / `from NAME import ...` for torch-side modules: `torch`, `torch.nn`,
/// `torch.nn.functional`, `torch.autograd`, `torch.autograd.functional`, `torch.func`.
/// None when the name is not a torch module.
pub fn import(name: &str) -> Option<Value> {
    module::import(name)
}

/// Names bound in every fresh session besides Python's builtins: `torch` itself and every
/// torch function that Python's builtins do not already name (`tensor`, `ones_like`,
/// `jacobian`, `backward`, ...).
pub fn session_globals() -> Vec<(String, Value)> {
    module::session_globals()
}

/// `t.name`: attributes (`shape`, `grad`, `T`, ...) and bound methods.
pub fn tensor_attr(interp: &mut Interp, t: &Tensor, name: &str) -> PyResult<Value> {
    let _ = interp;
    tensor_attrs::tensor_attr(t, name)
}

/// `t.name = value` (`grad`, `requires_grad`, `data`).
pub fn tensor_set_attr(t: &Tensor, name: &str, value: Value) -> PyResult<()> {
    tensor_attrs::tensor_set_attr(t, name, value)
}

/// A binary operator where at least one side may be a tensor (or torch.Size/dtype).
/// `op` is the Python operator text: + - * / // % ** @ == != < <= > >= & | ^.
/// Returns Ok(None) when neither operand is a tensor, so the interpreter applies Python rules.
pub fn binary(interp: &mut Interp, op: &str, lhs: &Value, rhs: &Value) -> PyResult<Option<Value>> {
    let r = operators::binary(op, lhs, rhs);
    if crate::autograd::saved::has_pending_packs() {
        graph_nodes::run_pending_packs(interp)?;
    }
    r
}

/// Unary `-t`, `+t`, `~t`.
pub fn unary(op: &str, t: &Tensor) -> PyResult<Value> {
    operators::unary(op, t)
}

/// `t[index]`; `index` is the subscript value (an int, slice, None, Ellipsis, tensor, list or
/// a tuple of those).
pub fn getitem(t: &Tensor, index: &Value) -> PyResult<Value> {
    indexing::getitem(t, index)
}

/// `t[index] = value`.
pub fn setitem(t: &Tensor, index: &Value, value: &Value) -> PyResult<()> {
    indexing::setitem(t, index, value)
}

/// `bool(t)`: "Boolean value of Tensor with more than one value is ambiguous".
pub fn truthy(t: &Tensor) -> PyResult<bool> {
    indexing::truthy(t)
}

/// Iteration over a tensor (its slices along dim 0); 0-d: "iteration over a 0-d tensor".
pub fn iterate(t: &Tensor) -> PyResult<Vec<Value>> {
    indexing::iterate(t)
}

/// Resets torch-side session state (print options, default generator seeded with `seed`).
pub fn reset_session_state(seed: u64) {
    crate::eval::pyrandom::reset(seed);
    crate::array::format::set_print_options(crate::array::format::PrintOptions::default());
    crate::array::random::default_generator()
        .borrow_mut()
        .manual_seed(seed);
    let _ = crate::autograd::set_grad_enabled(true);
    crate::autograd::anomaly::set_detect_anomaly(false, true);
}

/// The `torch.Tensor` class's own dict: every tensor method as an unbound function, so
/// `torch.Tensor.exp(x)` works (attribute access on a tensor keeps its direct path).
pub fn tensor_class_methods() -> Vec<(String, Value)> {
    module::method_names()
        .into_iter()
        .map(|name| {
            let qual = format!("Tensor.{name}");
            let f = {
                let name = name.clone();
                Value::native(qual, move |interp, mut args| {
                    let recv = if args.pos.is_empty() {
                        Value::None
                    } else {
                        args.pos.remove(0)
                    };
                    let Value::Tensor(t) = &recv else {
                        return Err(crate::error::type_error(format!(
                            "descriptor '{name}' for 'torch._C.TensorBase' objects doesn't apply to a '{}' object",
                            recv.type_name()
                        )));
                    };
                    let m = tensor_attr(interp, t, &name)?;
                    interp.call_value(&m, args)
                })
            };
            (name, f)
        })
        .collect()
}

/// `torch.Tensor(...)`, the legacy constructor: sizes give a float32 tensor of that shape
/// (zeros; PyTorch leaves it uninitialized), data gives a float32 copy of it.
pub fn legacy_constructor(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let Some(Value::Module(torch)) = module::import("torch") else {
        return Err(crate::error::runtime_error("torch is not available"));
    };
    let get = |name: &str| {
        torch
            .attrs
            .borrow()
            .get(name)
            .cloned()
            .unwrap_or(Value::None)
    };
    if args.pos.is_empty() {
        let f = get("tensor");
        let mut a = Args::new(vec![Value::list(Vec::new())]);
        a.kw = args.kw;
        return interp.call_value(&f, a);
    }
    if args.pos.iter().all(|v| matches!(v, Value::Int(_))) {
        let f = get("zeros");
        return interp.call_value(&f, args);
    }
    let f = get("tensor");
    let mut a = args;
    if !a.kw.iter().any(|(k, _)| k == "dtype") {
        a.kw.push(("dtype".into(), Value::DType(crate::array::DType::F32)));
    }
    interp.call_value(&f, a)
}

/// `nn.Parameter(data=None, requires_grad=True)`: a leaf sharing `data`'s storage, marked as a
/// parameter (`torch.empty(0)` without data).
pub fn nn_parameter(interp: &mut Interp, args: crate::eval::value::Args) -> PyResult<Value> {
    let names = ["data", "requires_grad"];
    if args.pos.len() > 2 {
        return Err(crate::error::type_error(format!(
            "Parameter.__new__() takes from 1 to 3 positional arguments but {} were given",
            args.pos.len() + 1
        )));
    }
    let mut vals: [Option<Value>; 2] = [args.pos.first().cloned(), args.pos.get(1).cloned()];
    for (k, v) in &args.kw {
        match names.iter().position(|n| **n == **k) {
            Some(i) => vals[i] = Some(v.clone()),
            None => {
                return Err(crate::error::type_error(format!(
                    "Parameter.__new__() got an unexpected keyword argument '{k}'"
                )));
            }
        }
    }
    let data = match &vals[0] {
        None | Some(Value::None) => crate::array::NdArray::zeros(&[0], crate::array::DType::F32),
        Some(Value::Tensor(t)) => t.array(),
        Some(other) => {
            return Err(crate::error::type_error(format!(
                "_make_subclass(): argument 'data' (position 2) must be Tensor, not {}",
                other.type_name()
            )));
        }
    };
    let rg = match &vals[1] {
        None => true,
        Some(v) => interp.truthy(v)?,
    };
    Ok(Value::Tensor(Tensor::parameter(data, rg)?))
}
