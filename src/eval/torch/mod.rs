//! The `torch` namespace: torch functions, tensor attributes and methods, operators on
//! tensors, `torch.nn.functional`, `torch.autograd`, `torch.func`. (Implementation owned by the
//! bindings work; this is the contract the interpreter codes against.)

use super::interp::Interp;
use super::value::Value;
use crate::autograd::Tensor;
use crate::error::PyResult;

/// `import NAME` / `from NAME import ...` for torch-side modules: `torch`, `torch.nn`,
/// `torch.nn.functional`, `torch.autograd`, `torch.autograd.functional`, `torch.func`.
/// None when the name is not a torch module.
pub fn import(name: &str) -> Option<Value> {
    let _ = name;
    None
}

/// Names bound in every fresh session besides Python's builtins: `torch` itself and every
/// torch function that Python's builtins do not already name (`tensor`, `ones_like`,
/// `jacobian`, `backward`, ...).
pub fn session_globals() -> Vec<(String, Value)> {
    Vec::new()
}

/// `t.name`: attributes (`shape`, `grad`, `T`, ...) and bound methods.
pub fn tensor_attr(interp: &mut Interp, t: &Tensor, name: &str) -> PyResult<Value> {
    let _ = (interp, t, name);
    todo!("bindings: tensor_attr")
}

/// `t.name = value` (`grad`, `requires_grad`, `data`).
pub fn tensor_set_attr(t: &Tensor, name: &str, value: Value) -> PyResult<()> {
    let _ = (t, name, value);
    todo!("bindings: tensor_set_attr")
}

/// A binary operator where at least one side may be a tensor (or torch.Size/dtype).
/// `op` is the Python operator text: + - * / // % ** @ == != < <= > >= & | ^.
/// Returns Ok(None) when neither operand is a tensor, so the interpreter applies Python rules.
pub fn binary(interp: &mut Interp, op: &str, lhs: &Value, rhs: &Value) -> PyResult<Option<Value>> {
    let _ = (interp, op, lhs, rhs);
    Ok(None)
}

/// Unary `-t`, `+t`, `~t`.
pub fn unary(op: &str, t: &Tensor) -> PyResult<Value> {
    let _ = (op, t);
    todo!("bindings: unary")
}

/// `t[index]`; `index` is the subscript value (an int, slice, None, Ellipsis, tensor, list or
/// a tuple of those).
pub fn getitem(t: &Tensor, index: &Value) -> PyResult<Value> {
    let _ = (t, index);
    todo!("bindings: getitem")
}

/// `t[index] = value`.
pub fn setitem(t: &Tensor, index: &Value, value: &Value) -> PyResult<()> {
    let _ = (t, index, value);
    todo!("bindings: setitem")
}

/// `bool(t)`: "Boolean value of Tensor with more than one value is ambiguous".
pub fn truthy(t: &Tensor) -> PyResult<bool> {
    let _ = t;
    todo!("bindings: truthy")
}

/// Iteration over a tensor (its slices along dim 0); 0-d: "iteration over a 0-d tensor".
pub fn iterate(t: &Tensor) -> PyResult<Vec<Value>> {
    let _ = t;
    todo!("bindings: iterate")
}

/// Resets torch-side session state (print options, default generator seeded with `seed`).
pub fn reset_session_state(seed: u64) {
    let _ = seed;
}
