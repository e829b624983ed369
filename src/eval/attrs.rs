//! Attribute access (`obj.name`), assignment and deletion for every kind of value.

use super::descr;
use super::interp::Interp;
use super::objects::downcast;
use super::torch;
use super::value::Value;
use crate::error::{PyResult, attribute_error};
use std::rc::Rc;

fn no_attr(v: &Value, name: &str) -> crate::error::PyErr {
    match v {
        Value::Module(m) => {
            attribute_error(format!("module '{}' has no attribute '{name}'", m.name))
        }
        Value::Class(c) => attribute_error(format!(
            "type object '{}' has no attribute '{name}'",
            c.name
        )),
        _ => attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            v.type_name()
        )),
    }
}

pub fn get_attr(interp: &mut Interp, v: &Value, name: &str) -> PyResult<Value> {
    if let Value::Instance(inst) = v {
        return descr::instance_getattr(interp, v, inst, name);
    }
    if let Some(found) = find_attr(interp, v, name)? {
        return Ok(found);
    }
    Err(no_attr(v, name))
}

fn find_attr(interp: &mut Interp, v: &Value, name: &str) -> PyResult<Option<Value>> {
    Ok(match v {
        Value::Tensor(t) => return torch::tensor_attr(interp, t, name).map(Some),
        Value::Module(m) => {
            let found = m.attrs.borrow().get(name).cloned();
            match found {
                Some(v) => Some(v),
                None if name == "__name__" => Some(Value::str(&m.name)),
                // `torch.optim` after a bare `import torch`: a prelude submodule loads on
                // first access, as PyTorch's package imports it.
                None if super::prelude_modules::exists(&format!("{}.{name}", m.name)) => Some(
                    super::modules::import(interp, &format!("{}.{name}", m.name))?,
                ),
                None => None,
            }
        }
        Value::Object(o) => {
            if let Some(m) = super::generator::method(v, name) {
                Some(m)
            } else if let Some(found) = o.get_attr(interp, name)? {
                Some(found)
            } else if downcast::<super::set::PySet>(v).is_some() {
                super::set::method(v, name)
            } else {
                None
            }
        }
        Value::NamedTuple(nt) => nt
            .fields
            .iter()
            .position(|f| f == name)
            .map(|i| nt.values[i].clone())
            .or_else(|| super::pycollections::namedtuple_method(v, name))
            .or_else(|| super::methods::tuple_method(v, name)),
        Value::Function(f) if super::class::dict_get(&f.attrs, name).is_some() => {
            super::class::dict_get(&f.attrs, name)
        }
        Value::Function(f) => match name {
            "__dict__" => Some(Value::Dict(f.attrs.clone())),
            "__name__" => Some(Value::str(&f.name)),
            "__qualname__" => Some(Value::str(&f.qualname)),
            "__module__" => Some(Value::str("__main__")),
            "__doc__" => Some(function_doc(f)),
            _ => None,
        },
        Value::Native(n) => match name {
            "__name__" => Some(Value::str(n.name.rsplit('.').next().unwrap_or(&n.name))),
            "__qualname__" => Some(Value::str(&n.name)),
            "__doc__" => Some(Value::None),
            _ => None,
        },
        Value::Instance(inst) => return descr::instance_getattr(interp, v, inst, name).map(Some),
        Value::Class(c) => return descr::class_getattr(interp, c, name),
        Value::BoundMethod(m) => match name {
            "__self__" => Some(m.recv.clone()),
            "__func__" => Some(m.func.clone()),
            _ => return find_attr(interp, &m.func, name),
        },
        Value::DType(d) => match name {
            "is_floating_point" => Some(Value::Bool(d.is_floating())),
            "is_signed" => Some(Value::Bool(*d != crate::array::DType::Bool)),
            "itemsize" => Some(Value::Int(d.size() as i64)),
            _ => None,
        },
        Value::Slice(s) => match name {
            "start" => Some(s.0.clone()),
            "stop" => Some(s.1.clone()),
            "step" => Some(s.2.clone()),
            _ => None,
        },
        Value::Range(start, stop, step) => match name {
            "start" => Some(Value::Int(*start)),
            "stop" => Some(Value::Int(*stop)),
            "step" => Some(Value::Int(*step)),
            _ => super::methods::tuple_method(v, name),
        },
        _ => super::methods::method(v, name),
    })
}

/// A def's docstring: its first statement when that is a string literal.
fn function_doc(f: &super::interp::UserFunction) -> Value {
    use crate::syntax::ast::{ExprKind, StmtKind};
    match f.def.body.first().map(|s| &s.kind) {
        Some(StmtKind::Expr(e)) if !f.def.is_lambda => match &e.kind {
            ExprKind::Str(s) => Value::Str(s.clone()),
            _ => Value::None,
        },
        _ => Value::None,
    }
}

pub fn has_attr(interp: &mut Interp, v: &Value, name: &str) -> PyResult<bool> {
    match find_attr(interp, v, name) {
        Ok(found) => Ok(found.is_some()),
        Err(e) if e.kind == crate::error::ErrorKind::AttributeError => Ok(false),
        Err(e) => Err(e),
    }
}

pub fn set_attr(interp: &mut Interp, v: &Value, name: &str, value: Value) -> PyResult<()> {
    match v {
        Value::Instance(inst) => descr::instance_setattr(interp, v, inst, name, value),
        Value::Function(f) => {
            super::class::dict_set(&f.attrs, name, value);
            Ok(())
        }
        Value::Class(c) => descr::class_setattr(c, name, value),
        Value::Tensor(t) => torch::tensor_set_attr(t, name, value),
        Value::Module(m) => {
            m.attrs.borrow_mut().insert(name.to_string(), value);
            Ok(())
        }
        _ => {
            let t = v.type_name();
            if matches!(
                v,
                Value::Int(_)
                    | Value::Float(_)
                    | Value::Str(_)
                    | Value::List(_)
                    | Value::Tuple(_)
                    | Value::Dict(_)
                    | Value::Bool(_)
                    | Value::None
            ) {
                Err(attribute_error(format!(
                    "'{t}' object has no attribute '{name}' and no __dict__ for setting new attributes"
                )))
            } else {
                Err(attribute_error(format!(
                    "'{t}' object has no attribute '{name}'"
                )))
            }
        }
    }
}

pub fn del_attr(interp: &mut Interp, v: &Value, name: &str) -> PyResult<()> {
    match v {
        Value::Instance(inst) => descr::instance_delattr(interp, v, inst, name),
        Value::Class(c) if !c.builtin => {
            if c.del_attr(name) {
                Ok(())
            } else {
                Err(no_attr(v, name))
            }
        }
        Value::Tensor(t) => torch::tensor_set_attr(t, name, Value::None),
        Value::Module(m) => match m.attrs.borrow_mut().remove(name) {
            Some(_) => Ok(()),
            None => Err(no_attr(v, name)),
        },
        _ => {
            let _ = interp;
            Err(no_attr(v, name))
        }
    }
}

/// Attribute names for `dir()`.
pub fn attr_names(v: &Value) -> Vec<String> {
    let mut names: Vec<String> = match v {
        Value::Module(m) => m.attrs.borrow().keys().cloned().collect(),
        Value::Object(o) => o.attr_names(),
        Value::NamedTuple(nt) => nt.fields.clone(),
        Value::Instance(inst) => {
            let mut names: Vec<String> = inst
                .dict
                .borrow()
                .iter()
                .filter_map(|(k, _)| match k {
                    Value::Str(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect();
            names.extend(class_attr_names(&inst.class));
            names
        }
        Value::Class(c) if !c.builtin => class_attr_names(c),
        other => super::methods::method_names(other)
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    names.sort();
    names.dedup();
    names
}

/// The names along a class's MRO (`dir(Cls)`).
fn class_attr_names(c: &std::rc::Rc<super::class::Class>) -> Vec<String> {
    let mut out = Vec::new();
    for k in c.mro_list() {
        for (name, _) in k.dict.borrow().iter() {
            if let Value::Str(s) = name {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// A bound method value: `name` of `recv`, implemented by `f`.
pub fn bound(
    recv: &Value,
    qualname: String,
    f: impl Fn(&mut Interp, &Value, super::value::Args) -> PyResult<Value> + 'static,
) -> Value {
    let recv = recv.clone();
    Value::Native(Rc::new(super::value::NativeFunction {
        name: qualname,
        func: Box::new(move |interp, args| f(interp, &recv, args)),
    }))
}
