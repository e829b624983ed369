//! Python's `copy` module: `copy` and `deepcopy` for containers, instances of user classes
//! (their `__copy__`/`__deepcopy__` first, else the instance dict) and tensors as PyTorch
//! copies them: `copy.copy(t)` is a new leaf sharing `t`'s storage with its `requires_grad`
//! (the `__reduce_ex__` path), `copy.deepcopy(t)` clones the data and the `.grad` of a leaf
//! and refuses non-leaves with PyTorch's message. A memo keeps shared references shared.

use super::class::{Instance, class_of};
use super::interp::Interp;
use super::modules::make_module;
use super::set::PySet;
use super::value::{Args, Value};
use crate::autograd::Tensor;
use crate::error::{PyResult, runtime_error, type_error};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Objects already copied in one `deepcopy` call, by identity.
type Memo = HashMap<usize, Value>;

/// The identity of a shared value (containers, tensors, instances), if it has one.
fn identity(v: &Value) -> Option<usize> {
    Some(match v {
        Value::List(l) => Rc::as_ptr(l) as *const () as usize,
        Value::Dict(d) => Rc::as_ptr(d) as *const () as usize,
        Value::Tuple(t) => Rc::as_ptr(t) as *const () as usize,
        Value::Instance(i) => Rc::as_ptr(i) as *const () as usize,
        Value::Tensor(t) => t.id(),
        Value::Object(o) => Rc::as_ptr(o) as *const () as usize,
        _ => return None,
    })
}

fn new_leaf(data: crate::array::NdArray, requires_grad: bool) -> PyResult<Tensor> {
    Tensor::leaf(data, requires_grad)
}

fn copy_tensor(t: &Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(new_leaf(t.array(), t.requires_grad())?))
}

fn deepcopy_tensor(interp: &mut Interp, t: &Tensor, memo: &mut Memo) -> PyResult<Value> {
    if !t.is_leaf() {
        return Err(runtime_error(
            "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you were attempting to deepcopy a module, this may be because of a torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001",
        ));
    }
    let out = new_leaf(t.array().deep_copy(), t.requires_grad())?;
    if let Some(g) = t.grad() {
        match deepcopy(interp, &Value::Tensor(g), memo)? {
            Value::Tensor(g) => out.set_grad(Some(g)),
            _ => return Err(type_error("a tensor's .grad must be a tensor")),
        }
    }
    Ok(Value::Tensor(out))
}

fn new_instance_like(inst: &Rc<Instance>, dict: Vec<(Value, Value)>) -> Value {
    let out = Instance::new(inst.class.clone());
    *out.dict.borrow_mut() = dict;
    Value::Instance(out)
}

/// `copy.copy(x)`.
pub fn copy(interp: &mut Interp, v: &Value) -> PyResult<Value> {
    Ok(match v {
        Value::List(l) => Value::list(l.borrow().clone()),
        Value::Dict(d) => Value::Dict(Rc::new(RefCell::new(d.borrow().clone()))),
        Value::Tensor(t) => copy_tensor(t)?,
        Value::Instance(inst) => {
            if let Some(f) = class_of(v).lookup("__copy__") {
                return interp.call_value(&f, Args::new(vec![v.clone()]));
            }
            new_instance_like(inst, inst.dict.borrow().clone())
        }
        Value::Object(_) if super::objects::downcast::<PySet>(v).is_some() => {
            let s = super::objects::downcast::<PySet>(v).map(|s| s.items.borrow().clone());
            Value::Object(Rc::new(PySet {
                items: RefCell::new(s.unwrap_or_default()),
            }))
        }
        // Immutable values and functions, classes and modules are their own copies.
        _ => v.clone(),
    })
}

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `copy.deepcopy(x, memo)`; nesting deeper than Python's recursion limit is a RecursionError,
/// never a native stack overflow.
pub fn deepcopy(interp: &mut Interp, v: &Value, memo: &mut Memo) -> PyResult<Value> {
    let depth = DEPTH.with(|d| d.get());
    if depth >= 1000 {
        return Err(crate::error::PyErr::new(
            crate::error::ErrorKind::RecursionError,
            "maximum recursion depth exceeded",
        ));
    }
    DEPTH.with(|d| d.set(depth + 1));
    let r = deepcopy_inner(interp, v, memo);
    DEPTH.with(|d| d.set(depth));
    r
}

fn deepcopy_inner(interp: &mut Interp, v: &Value, memo: &mut Memo) -> PyResult<Value> {
    let id = identity(v);
    if let Some(id) = id
        && let Some(done) = memo.get(&id)
    {
        return Ok(done.clone());
    }
    let out = match v {
        Value::List(l) => {
            let out = Rc::new(RefCell::new(Vec::new()));
            if let Some(id) = id {
                memo.insert(id, Value::List(out.clone()));
            }
            let items = l.borrow().clone();
            for item in &items {
                let c = deepcopy(interp, item, memo)?;
                out.borrow_mut().push(c);
            }
            Value::List(out)
        }
        Value::Dict(d) => {
            let out = Rc::new(RefCell::new(Vec::new()));
            if let Some(id) = id {
                memo.insert(id, Value::Dict(out.clone()));
            }
            let items = d.borrow().clone();
            for (k, val) in &items {
                let (k, val) = (deepcopy(interp, k, memo)?, deepcopy(interp, val, memo)?);
                out.borrow_mut().push((k, val));
            }
            Value::Dict(out)
        }
        Value::Tuple(t) => {
            let items = t
                .iter()
                .map(|x| deepcopy(interp, x, memo))
                .collect::<PyResult<Vec<_>>>()?;
            // A tuple whose items are all unchanged is returned itself, as CPython does.
            if items
                .iter()
                .zip(t.iter())
                .all(|(a, b)| super::ops::is_same(a, b))
            {
                v.clone()
            } else {
                Value::tuple(items)
            }
        }
        Value::Tensor(t) => deepcopy_tensor(interp, t, memo)?,
        Value::Instance(inst) => {
            if let Some(f) = class_of(v).lookup("__deepcopy__") {
                let memo_dict = Value::Dict(Rc::new(RefCell::new(Vec::new())));
                return interp.call_value(&f, Args::new(vec![v.clone(), memo_dict]));
            }
            let out = Instance::new(inst.class.clone());
            if let Some(id) = id {
                memo.insert(id, Value::Instance(out.clone()));
            }
            let items = inst.dict.borrow().clone();
            for (k, val) in &items {
                let val = deepcopy(interp, val, memo)?;
                out.dict.borrow_mut().push((k.clone(), val));
            }
            Value::Instance(out)
        }
        Value::Object(_) if super::objects::downcast::<PySet>(v).is_some() => {
            let items = super::objects::downcast::<PySet>(v)
                .map(|s| s.items.borrow().clone())
                .unwrap_or_default();
            let items = items
                .iter()
                .map(|x| deepcopy(interp, x, memo))
                .collect::<PyResult<Vec<_>>>()?;
            Value::Object(Rc::new(PySet {
                items: RefCell::new(items),
            }))
        }
        _ => v.clone(),
    };
    if let Some(id) = id {
        memo.insert(id, out.clone());
    }
    Ok(out)
}

pub fn module() -> Value {
    make_module(
        "copy",
        vec![
            (
                "copy",
                Value::native("copy.copy", |interp, args| {
                    let x = super::args::one("copy", args)?;
                    copy(interp, &x)
                }),
            ),
            (
                "deepcopy",
                Value::native("copy.deepcopy", |interp, args| {
                    let a = super::args::bind("deepcopy", args, &["x", "memo"], 1)?;
                    let x = a[0].clone().unwrap_or(Value::None);
                    deepcopy(interp, &x, &mut Memo::new())
                }),
            ),
            ("Error", Value::class("Exception")),
        ],
    )
}
