//! Python `repr()` and `str()` of every value, exactly as CPython (and PyTorch) print them,
//! minus memory addresses.

use super::interp::Interp;
use super::objects::{DictView, PyIter, downcast};
use super::pyfmt::float_repr;
use super::set::{PySet, display_items};
use super::value::Value;
use crate::error::PyResult;
use std::rc::Rc;

/// Python's repr of a str: single quotes unless the text has `'` and no `"`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `<class '__main__.Point'>`, `<class 'int'>`, `<class 'torch.Tensor'>`.
pub fn class_repr(c: &super::class::Class) -> String {
    if c.builtin {
        return type_repr(&c.name);
    }
    format!("<class '{}.{}'>", c.module, c.qualname)
}

/// The printed name of a type object: `torch.Tensor` for tensors, bare names for builtins.
pub fn type_repr(name: &str) -> String {
    let full = match name {
        "Tensor" | "Size" | "dtype" | "Generator" | "device" => format!("torch.{name}"),
        _ => name.to_string(),
    };
    format!("<class '{full}'>")
}

fn container_id(v: &Value) -> Option<usize> {
    match v {
        Value::List(l) => Some(Rc::as_ptr(l) as *const u8 as usize),
        Value::Dict(d) => Some(Rc::as_ptr(d) as *const u8 as usize),
        _ => None,
    }
}

fn join_reprs(interp: &mut Interp, items: &[Value]) -> PyResult<String> {
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        parts.push(repr(interp, item)?);
    }
    Ok(parts.join(", "))
}

pub fn repr(interp: &mut Interp, v: &Value) -> PyResult<String> {
    if let Some(id) = container_id(v) {
        if interp.repr_stack.contains(&id) {
            return Ok(if matches!(v, Value::List(_)) {
                "[...]"
            } else {
                "{...}"
            }
            .into());
        }
        interp.repr_stack.push(id);
        let r = repr_inner(interp, v);
        interp.repr_stack.pop();
        return r;
    }
    repr_inner(interp, v)
}

fn repr_inner(interp: &mut Interp, v: &Value) -> PyResult<String> {
    Ok(match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::List(l) => {
            let items = l.borrow().clone();
            format!("[{}]", join_reprs(interp, &items)?)
        }
        Value::Tuple(t) => {
            if t.len() == 1 {
                format!("({},)", repr(interp, &t[0])?)
            } else {
                format!("({})", join_reprs(interp, t)?)
            }
        }
        Value::Dict(d) => {
            let items = d.borrow().clone();
            let mut parts = Vec::with_capacity(items.len());
            for (k, val) in &items {
                parts.push(format!("{}: {}", repr(interp, k)?, repr(interp, val)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Value::Range(start, stop, step) => {
            if *step == 1 {
                format!("range({start}, {stop})")
            } else {
                format!("range({start}, {stop}, {step})")
            }
        }
        Value::Slice(s) => format!(
            "slice({}, {}, {})",
            repr(interp, &s.0)?,
            repr(interp, &s.1)?,
            repr(interp, &s.2)?
        ),
        Value::Ellipsis => "Ellipsis".into(),
        Value::Tensor(t) => t.repr(),
        Value::DType(d) => d.name().into(),
        Value::Size(s) => {
            let dims: Vec<String> = s.iter().map(|d| d.to_string()).collect();
            format!("torch.Size([{}])", dims.join(", "))
        }
        Value::Function(f) => format!("<function {}>", f.qualname),
        Value::Native(n) => format!("<built-in function {}>", n.name),
        Value::Module(m) => format!("<module '{}'>", m.name),
        Value::NamedTuple(nt) => {
            let mut parts = Vec::with_capacity(nt.values.len());
            for (name, val) in nt.fields.iter().zip(&nt.values) {
                parts.push(format!("{name}={}", repr(interp, val)?));
            }
            format!("{}(\n{})", nt.type_name, parts.join(",\n"))
        }
        Value::Class(c) => class_repr(c),
        Value::Instance(_) => super::special::repr(interp, v)?,
        Value::BoundMethod(m) => {
            let name = match &m.func {
                Value::Function(f) => f.qualname.clone(),
                Value::Native(n) => n.name.clone(),
                other => other.type_name(),
            };
            format!("<bound method {name} of {}>", repr(interp, &m.recv)?)
        }
        Value::NotImplemented => "NotImplemented".into(),
        Value::Object(o) => {
            if let Some(view) = downcast::<DictView>(v) {
                let items = view.items();
                format!("{}([{}])", o.type_name(), join_reprs(interp, &items)?)
            } else if let Some(s) = downcast::<PySet>(v) {
                let items = display_items(s);
                if items.is_empty() {
                    "set()".into()
                } else {
                    format!("{{{}}}", join_reprs(interp, &items)?)
                }
            } else if let Some(it) = downcast::<PyIter>(v) {
                format!("<{} object>", it.type_name)
            } else {
                o.repr()
            }
        }
    })
}

/// Python `str(v)`: the text itself for strings, the message for exceptions, else the repr.
pub fn str(interp: &mut Interp, v: &Value) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Instance(_) => super::special::str(interp, v),
        _ => repr(interp, v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_quotes_and_escapes() {
        assert_eq!(str_repr("tensor"), "'tensor'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(str_repr("a\nb\\"), "'a\\nb\\\\'");
        assert_eq!(str_repr("\x01é"), "'\\x01é'");
    }
}
