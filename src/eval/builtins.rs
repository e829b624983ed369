//! Python's builtin functions and type constructors (`int`, `list`, ...).

use super::args::{as_int, bind, one, take_kw};
use super::class::{Class, builtin_class, class_of, is_instance, is_subclass};
use super::interp::Interp;
use super::methods::{pairs_of, sort_values};
use super::objects::{PyIter, downcast};
use super::ops::{self, iterate};
use super::torch;
use super::value::{Args, Value};
use crate::array::Scalar;
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Type objects callable as constructors.
const TYPES: &[&str] = &[
    "bool",
    "dict",
    "float",
    "int",
    "list",
    "object",
    "range",
    "set",
    "slice",
    "str",
    "tuple",
    "type",
    "frozenset",
    "property",
    "staticmethod",
    "classmethod",
    "super",
];

type Builtin = fn(&mut Interp, Args) -> PyResult<Value>;

pub fn builtins() -> BTreeMap<Rc<str>, Value> {
    let mut m: BTreeMap<Rc<str>, Value> = BTreeMap::new();
    let exceptions = crate::error::ErrorKind::ALL.map(|k| k.name());
    for t in TYPES.iter().chain(exceptions.iter()) {
        m.insert(Rc::from(*t), Value::class(t));
    }
    let fns: &[(&str, Builtin)] = &[
        ("abs", abs),
        ("all", all),
        ("any", any),
        ("bin", |_, a| radix("bin", a, 2, "0b")),
        ("callable", callable),
        ("chr", chr),
        ("dir", dir),
        ("delattr", delattr),
        ("divmod", divmod),
        ("enumerate", enumerate),
        ("filter", filter),
        ("format", format),
        ("getattr", getattr),
        ("globals", globals),
        ("hasattr", hasattr),
        ("hash", hash),
        ("help", help),
        ("hex", |_, a| radix("hex", a, 16, "0x")),
        ("id", id),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("iter", iter),
        ("len", len),
        ("locals", globals),
        ("map", map),
        ("max", |i, a| min_max(i, a, "max")),
        ("min", |i, a| min_max(i, a, "min")),
        ("next", next),
        ("oct", |_, a| radix("oct", a, 8, "0o")),
        ("ord", ord),
        ("pow", pow),
        ("print", print),
        ("repr", |i, a| {
            let v = one("repr", a)?;
            Ok(Value::str(&i.repr(&v)?))
        }),
        ("reversed", reversed),
        ("round", round),
        ("setattr", setattr),
        ("sorted", sorted),
        ("sum", sum),
        ("vars", vars),
        ("zip", zip),
    ];
    for (name, f) in fns {
        m.insert(Rc::from(*name), Value::native(*name, *f));
    }
    m.insert(Rc::from("Ellipsis"), Value::Ellipsis);
    m.insert(Rc::from("NotImplemented"), Value::NotImplemented);
    m
}

fn print(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let sep = take_kw(&mut args, "sep");
    let end = take_kw(&mut args, "end");
    take_kw(&mut args, "file");
    take_kw(&mut args, "flush");
    if let Some((k, _)) = args.kw.first() {
        return Err(type_error(format!(
            "'{k}' is an invalid keyword argument for print()"
        )));
    }
    let text_or = |v: Option<Value>, default: &str, what: &str| -> PyResult<String> {
        match v {
            None | Some(Value::None) => Ok(default.to_string()),
            Some(Value::Str(s)) => Ok(s.to_string()),
            Some(other) => Err(type_error(format!(
                "{what} must be None or a string, not {}",
                other.type_name()
            ))),
        }
    };
    let sep = text_or(sep, " ", "sep")?;
    let end = text_or(end, "\n", "end")?;
    let mut parts = Vec::with_capacity(args.pos.len());
    for v in &args.pos {
        parts.push(interp.str(v)?);
    }
    let text = parts.join(&sep) + &end;
    interp.write_stdout(&text);
    Ok(Value::None)
}

fn len(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("len", args)?;
    Ok(Value::Int(length(interp, &v)? as i64))
}

pub fn length(interp: &mut Interp, v: &Value) -> PyResult<usize> {
    Ok(match v {
        Value::Instance(_) => super::special::len(interp, v)?,
        Value::Str(s) => s.chars().count(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) => d.borrow().len(),
        Value::Range(..) => ops::range_len(v) as usize,
        Value::Size(s) => s.len(),
        Value::NamedTuple(n) => n.values.len(),
        Value::Tensor(t) => {
            let shape = t.shape();
            match shape.first() {
                Some(&d) => d,
                None => return Err(type_error("len() of a 0-d tensor")),
            }
        }
        Value::Object(_)
            if downcast::<super::objects::DictView>(v).is_some()
                || downcast::<super::set::PySet>(v).is_some() =>
        {
            let items = iterate(interp, v)?;
            items.len()
        }
        other => {
            return Err(type_error(format!(
                "object of type '{}' has no len()",
                other.type_name()
            )));
        }
    })
}

/// A Python number from a 1-element tensor (`float(t)`, `int(t)`), with PyTorch's error.
fn tensor_scalar(t: &crate::autograd::Tensor) -> PyResult<Scalar> {
    t.item()
}

fn scalar_value(s: Scalar) -> Value {
    match s {
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Float(f) => Value::Float(f),
    }
}

fn abs(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("abs", args)?;
    Ok(match &v {
        Value::Int(i) => Value::Int(
            i.checked_abs()
                .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "int too large"))?,
        ),
        Value::Bool(b) => Value::Int(*b as i64),
        Value::Float(f) => Value::Float(f.abs()),
        Value::Tensor(t) => {
            let m = torch::tensor_attr(interp, t, "abs")?;
            interp.call_value(&m, Args::default())?
        }
        other => {
            return Err(type_error(format!(
                "bad operand type for abs(): '{}'",
                other.type_name()
            )));
        }
    })
}

fn all(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let items = iterate(interp, &one("all", args)?)?;
    for item in items {
        if !interp.truthy(&item)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn any(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let items = iterate(interp, &one("any", args)?)?;
    for item in items {
        if interp.truthy(&item)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn radix(name: &str, args: Args, base: u32, prefix: &str) -> PyResult<Value> {
    let i = as_int(&one(name, args)?)?;
    let digits = match base {
        2 => format!("{:b}", i.unsigned_abs()),
        8 => format!("{:o}", i.unsigned_abs()),
        _ => format!("{:x}", i.unsigned_abs()),
    };
    let sign = if i < 0 { "-" } else { "" };
    Ok(Value::str(&format!("{sign}{prefix}{digits}")))
}

fn callable(_: &mut Interp, args: Args) -> PyResult<Value> {
    Ok(Value::Bool(is_callable(&one("callable", args)?)))
}

/// `callable(v)`: functions, classes, bound methods, instances whose class has `__call__`.
pub fn is_callable(v: &Value) -> bool {
    matches!(
        v,
        Value::Function(_) | Value::Native(_) | Value::Class(_) | Value::BoundMethod(_)
    ) || matches!(v, Value::Instance(i) if i.class.lookup("__call__").is_some())
}

fn chr(_: &mut Interp, args: Args) -> PyResult<Value> {
    let i = as_int(&one("chr", args)?)?;
    let c = u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| value_error("chr() arg not in range(0x110000)"))?;
    Ok(Value::str(&c.to_string()))
}

fn ord(_: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("ord", args)?;
    match &v {
        Value::Str(s) if s.chars().count() == 1 => {
            Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64)))
        }
        Value::Str(s) => Err(type_error(format!(
            "ord() expected a character, but string of length {} found",
            s.chars().count()
        ))),
        other => Err(type_error(format!(
            "ord() expected string of length 1, but {} found",
            other.type_name()
        ))),
    }
}

fn dir(interp: &mut Interp, args: Args) -> PyResult<Value> {
    if args.pos.is_empty() {
        return Ok(Value::list(
            interp
                .global_names()
                .iter()
                .map(|n| Value::str(n))
                .collect(),
        ));
    }
    let v = one("dir", args)?;
    Ok(Value::list(
        super::attrs::attr_names(&v)
            .iter()
            .map(|n| Value::str(n))
            .collect(),
    ))
}

fn divmod(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("divmod", args, &["x", "y"], 2)?;
    let (x, y) = (
        a[0].clone().unwrap_or(Value::None),
        a[1].clone().unwrap_or(Value::None),
    );
    let q = ops::binary(interp, "//", &x, &y)?;
    let r = ops::binary(interp, "%", &x, &y)?;
    Ok(Value::tuple(vec![q, r]))
}

fn enumerate(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("enumerate", args, &["iterable", "start"], 1)?;
    let start = match &a[1] {
        Some(s) => as_int(s)?,
        None => 0,
    };
    let src = a[0].clone().unwrap_or(Value::None);
    if super::iter::is_iterator(&src) || matches!(src, Value::Instance(_)) {
        let it = super::iter::get_iter(interp, &src)?;
        let mut i = start;
        return Ok(super::iter::lazy("enumerate", move |interp| {
            Ok(super::iter::next(interp, &it)?.map(|v| {
                i += 1;
                Value::tuple(vec![Value::Int(i - 1), v])
            }))
        }));
    }
    let items = iterate(interp, &src)?;
    Ok(PyIter::value(
        "enumerate",
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| Value::tuple(vec![Value::Int(start + i as i64), v]))
            .collect(),
    ))
}

fn filter(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("filter", args, &["function", "iterable"], 2)?;
    let f = a[0].clone().unwrap_or(Value::None);
    let src = a[1].clone().unwrap_or(Value::None);
    if super::iter::is_iterator(&src) || matches!(src, Value::Instance(_)) {
        let it = super::iter::get_iter(interp, &src)?;
        return Ok(super::iter::lazy("filter", move |interp| {
            while let Some(item) = super::iter::next(interp, &it)? {
                let keep = if matches!(f, Value::None) {
                    item.clone()
                } else {
                    interp.call_value(&f, Args::new(vec![item.clone()]))?
                };
                if interp.truthy(&keep)? {
                    return Ok(Some(item));
                }
            }
            Ok(None)
        }));
    }
    let items = iterate(interp, &src)?;
    let mut out = Vec::new();
    for item in items {
        let keep = if matches!(f, Value::None) {
            item.clone()
        } else {
            interp.call_value(&f, Args::new(vec![item.clone()]))?
        };
        if interp.truthy(&keep)? {
            out.push(item);
        }
    }
    Ok(PyIter::value("filter", out))
}

fn map(interp: &mut Interp, args: Args) -> PyResult<Value> {
    if args.pos.len() < 2 {
        return Err(type_error("map() must have at least two arguments."));
    }
    let f = args.pos[0].clone();
    if args.pos[1..]
        .iter()
        .any(|v| super::iter::is_iterator(v) || matches!(v, Value::Instance(_)))
    {
        let mut its = Vec::new();
        for v in &args.pos[1..] {
            its.push(super::iter::get_iter(interp, v)?);
        }
        return Ok(super::iter::lazy("map", move |interp| {
            let mut row = Vec::with_capacity(its.len());
            for it in &its {
                match super::iter::next(interp, it)? {
                    Some(v) => row.push(v),
                    None => return Ok(None),
                }
            }
            interp.call_value(&f, Args::new(row)).map(Some)
        }));
    }
    let mut columns = Vec::new();
    for it in &args.pos[1..] {
        columns.push(iterate(interp, it)?);
    }
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let call_args: Vec<Value> = columns.iter().map(|c| c[i].clone()).collect();
        out.push(interp.call_value(&f, Args::new(call_args))?);
    }
    Ok(PyIter::value("map", out))
}

fn zip(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let strict = match take_kw(&mut args, "strict") {
        Some(v) => interp.truthy(&v)?,
        None => false,
    };
    if args
        .pos
        .iter()
        .any(|v| super::iter::is_iterator(v) || matches!(v, Value::Instance(_)))
    {
        let mut its = Vec::new();
        for v in &args.pos {
            its.push(super::iter::get_iter(interp, v)?);
        }
        return Ok(super::iter::lazy("zip", move |interp| {
            if its.is_empty() {
                return Ok(None);
            }
            let mut row = Vec::with_capacity(its.len());
            for it in &its {
                match super::iter::next(interp, it)? {
                    Some(v) => row.push(v),
                    None => return Ok(None),
                }
            }
            Ok(Some(Value::tuple(row)))
        }));
    }
    let mut columns = Vec::new();
    for it in &args.pos {
        columns.push(
            iterate(interp, it)
                .map_err(|_| type_error(format!("'{}' object is not iterable", it.type_name())))?,
        );
    }
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    if strict && columns.iter().any(|c| c.len() != n) {
        return Err(value_error("zip() argument 2 is shorter than argument 1"));
    }
    let rows = (0..n)
        .map(|i| Value::tuple(columns.iter().map(|c| c[i].clone()).collect()))
        .collect();
    Ok(PyIter::value("zip", rows))
}

fn reversed(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("reversed", args)?;
    if matches!(v, Value::Dict(_)) || matches!(v, Value::Object(_)) {
        return Err(type_error(format!(
            "'{}' object is not reversible",
            v.type_name()
        )));
    }
    let mut items = iterate(interp, &v)?;
    items.reverse();
    Ok(PyIter::value("reversed", items))
}

fn iter(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("iter", args)?;
    super::iter::get_iter(interp, &v)
}

fn next(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("next", args, &["iterator", "default"], 1)?;
    let it = a[0].clone().unwrap_or(Value::None);
    if !super::iter::is_iterator(&it) {
        return Err(type_error(format!(
            "'{}' object is not an iterator",
            it.type_name()
        )));
    }
    match super::iter::next(interp, &it)? {
        Some(v) => Ok(v),
        None => match &a[1] {
            Some(d) => Ok(d.clone()),
            None => Err(PyErr::new(ErrorKind::StopIteration, "")),
        },
    }
}

fn delattr(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("delattr", args, &["obj", "name"], 2)?;
    let name = match &a[1] {
        Some(Value::Str(s)) => s.clone(),
        Some(other) => {
            return Err(type_error(format!(
                "attribute name must be string, not '{}'",
                other.type_name()
            )));
        }
        None => return Err(type_error("delattr expected 2 arguments, got 1")),
    };
    let obj = a[0].clone().unwrap_or(Value::None);
    super::attrs::del_attr(interp, &obj, &name)?;
    Ok(Value::None)
}

fn format(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("format", args, &["value", "format_spec"], 1)?;
    let spec = match &a[1] {
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(type_error(format!(
                "format() argument 2 must be str, not {}",
                other.type_name()
            )));
        }
        None => String::new(),
    };
    let v = a[0].clone().unwrap_or(Value::None);
    Ok(Value::str(&super::format::format_value(interp, &v, &spec)?))
}

fn getattr(interp: &mut Interp, args: Args) -> PyResult<Value> {
    if args.pos.len() < 2 || args.pos.len() > 3 {
        return Err(type_error(format!(
            "getattr expected at least 2 arguments, got {}",
            args.pos.len()
        )));
    }
    let name = match &args.pos[1] {
        Value::Str(s) => s.clone(),
        other => {
            return Err(type_error(format!(
                "attribute name must be string, not '{}'",
                other.type_name()
            )));
        }
    };
    match super::attrs::get_attr(interp, &args.pos[0], &name) {
        Err(e) if e.kind == ErrorKind::AttributeError && args.pos.len() == 3 => {
            Ok(args.pos[2].clone())
        }
        r => r,
    }
}

fn hasattr(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("hasattr", args, &["obj", "name"], 2)?;
    let name = match &a[1] {
        Some(Value::Str(s)) => s.clone(),
        _ => return Err(type_error("hasattr(): attribute name must be string")),
    };
    let obj = a[0].clone().unwrap_or(Value::None);
    Ok(Value::Bool(super::attrs::has_attr(interp, &obj, &name)?))
}

fn setattr(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("setattr", args, &["obj", "name", "value"], 3)?;
    let name = match &a[1] {
        Some(Value::Str(s)) => s.clone(),
        _ => return Err(type_error("attribute name must be string")),
    };
    let obj = a[0].clone().unwrap_or(Value::None);
    super::attrs::set_attr(interp, &obj, &name, a[2].clone().unwrap_or(Value::None))?;
    Ok(Value::None)
}

fn vars(interp: &mut Interp, args: Args) -> PyResult<Value> {
    match args.pos.first() {
        Some(Value::Instance(i)) if args.pos.len() == 1 => Ok(Value::Dict(i.dict.clone())),
        Some(Value::Class(c)) if args.pos.len() == 1 && !c.builtin => Ok(Value::Dict(Rc::new(
            std::cell::RefCell::new(c.dict.borrow().clone()),
        ))),
        _ => globals(interp, args),
    }
}

fn globals(interp: &mut Interp, args: Args) -> PyResult<Value> {
    if !args.pos.is_empty() {
        let v = one("vars", args)?;
        if let Value::Module(m) = &v {
            let items = m
                .attrs
                .borrow()
                .iter()
                .map(|(k, v)| (Value::str(k), v.clone()))
                .collect();
            return Ok(Value::Dict(Rc::new(std::cell::RefCell::new(items))));
        }
        return Err(type_error("vars() argument must have __dict__ attribute"));
    }
    let items = interp
        .global_names()
        .into_iter()
        .filter_map(|k| interp.get_global(&k).map(|v| (Value::str(&k), v)))
        .collect();
    Ok(Value::Dict(Rc::new(std::cell::RefCell::new(items))))
}

fn hash(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("hash", args)?;
    if let Value::Instance(_) = &v {
        return Ok(Value::Int(super::special::hash(interp, &v)?));
    }
    ops::check_hashable(&v)?;
    Ok(Value::Int(match &v {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => *f as i64,
        Value::None => 0,
        other => {
            // Deterministic FNV-1a over the repr (Python randomizes str hashes anyway).
            let text = interp.repr(other)?;
            let mut h: u64 = 0xcbf29ce484222325;
            for b in text.bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x100000001b3);
            }
            (h >> 2) as i64
        }
    }))
}

fn help(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("help", args)?;
    let name = match &v {
        Value::Function(f) => format!("function {}", f.name),
        Value::Native(n) => format!("built-in function {}", n.name),
        Value::Module(m) => format!("module {}", m.name),
        Value::Class(c) => format!("class {}", c.name),
        other => format!("{} object", other.type_name()),
    };
    interp.write_stdout(&format!("Help on {name}\n"));
    Ok(Value::None)
}

fn id(_: &mut Interp, args: Args) -> PyResult<Value> {
    let v = one("id", args)?;
    let p = match &v {
        Value::Tensor(t) => t.id(),
        Value::List(l) => Rc::as_ptr(l) as *const u8 as usize,
        Value::Dict(d) => Rc::as_ptr(d) as *const u8 as usize,
        Value::Tuple(t) => Rc::as_ptr(t) as *const u8 as usize,
        Value::Str(s) => Rc::as_ptr(s) as *const u8 as usize,
        Value::Function(f) => Rc::as_ptr(f) as *const u8 as usize,
        Value::Native(f) => Rc::as_ptr(f) as *const u8 as usize,
        Value::Object(o) => Rc::as_ptr(o) as *const u8 as usize,
        Value::Instance(o) => Rc::as_ptr(o) as *const u8 as usize,
        Value::Class(o) => Rc::as_ptr(o) as *const u8 as usize,
        Value::Module(m) => Rc::as_ptr(m) as *const u8 as usize,
        Value::Int(i) => *i as usize,
        Value::Bool(b) => *b as usize + 1,
        _ => 0,
    };
    Ok(Value::Int((p >> 3) as i64))
}

fn class_names(cls: &Value, fname: &str) -> PyResult<Vec<Rc<Class>>> {
    match cls {
        Value::Class(c) => Ok(vec![c.clone()]),
        Value::Tuple(items) => {
            let mut out = Vec::new();
            for i in items.iter() {
                out.extend(class_names(i, fname)?);
            }
            Ok(out)
        }
        _ => Err(type_error(format!(
            "{fname}() arg 2 must be a type, a tuple of types, or a union"
        ))),
    }
}

fn isinstance(_: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("isinstance", args, &["obj", "class_or_tuple"], 2)?;
    let v = a[0].clone().unwrap_or(Value::None);
    let classes = class_names(a[1].as_ref().unwrap_or(&Value::None), "isinstance")?;
    Ok(Value::Bool(classes.iter().any(|c| is_instance(&v, c))))
}

fn issubclass(_: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("issubclass", args, &["cls", "class_or_tuple"], 2)?;
    let Some(Value::Class(sub)) = &a[0] else {
        return Err(type_error("issubclass() arg 1 must be a class"));
    };
    let classes = class_names(a[1].as_ref().unwrap_or(&Value::None), "issubclass")?;
    Ok(Value::Bool(classes.iter().any(|c| is_subclass(sub, c))))
}

fn min_max(interp: &mut Interp, mut args: Args, name: &str) -> PyResult<Value> {
    let key = take_kw(&mut args, "key");
    let default = take_kw(&mut args, "default");
    if let Some((k, _)) = args.kw.first() {
        return Err(type_error(format!(
            "{name}() got an unexpected keyword argument '{k}'"
        )));
    }
    let items = match args.pos.len() {
        0 => {
            return Err(type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )));
        }
        1 => iterate(interp, &args.pos[0])?,
        _ => {
            if default.is_some() {
                return Err(type_error(format!(
                    "Cannot specify a default for {name}() with multiple positional arguments"
                )));
            }
            args.pos
        }
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) if !matches!(f, Value::None) => {
                interp.call_value(f, Args::new(vec![item.clone()]))?
            }
            _ => item.clone(),
        };
        best = match best {
            None => Some((k, item)),
            Some((bk, bv)) => {
                let better = if name == "max" {
                    ops::less(interp, &bk, &k)?
                } else {
                    ops::less(interp, &k, &bk)?
                };
                if better {
                    Some((k, item))
                } else {
                    Some((bk, bv))
                }
            }
        };
    }
    match best {
        Some((_, v)) => Ok(v),
        None => default.ok_or_else(|| value_error(format!("{name}() iterable argument is empty"))),
    }
}

fn pow(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("pow", args, &["base", "exp", "mod"], 2)?;
    let base = a[0].clone().unwrap_or(Value::None);
    let exp = a[1].clone().unwrap_or(Value::None);
    match &a[2] {
        None | Some(Value::None) => ops::binary(interp, "**", &base, &exp),
        Some(m) => {
            let (b, e, m) = (as_int(&base)?, as_int(&exp)?, as_int(m)?);
            if m == 0 {
                return Err(value_error("pow() 3rd argument cannot be 0"));
            }
            if e < 0 {
                return Err(value_error("base is not invertible for the given modulus"));
            }
            let (mut result, mut b, mut e) = (1i128, (b as i128).rem_euclid(m as i128), e);
            while e > 0 {
                if e & 1 == 1 {
                    result = result * b % m as i128;
                }
                b = b * b % m as i128;
                e >>= 1;
            }
            let r = result.rem_euclid(m as i128) as i64;
            // Python's result takes the sign of the modulus.
            Ok(Value::Int(if m < 0 && r != 0 { r + m } else { r }))
        }
    }
}

fn reversed_sign_round(x: f64, ndigits: i64) -> f64 {
    if ndigits >= 0 {
        let text = format!("{:.*}", ndigits.min(300) as usize, x);
        text.parse().unwrap_or(x)
    } else {
        let p = 10f64.powi(ndigits.saturating_neg().min(308) as i32);
        let y = (x / p).round_ties_even() * p;
        if y.is_finite() { y } else { 0.0f64.copysign(x) }
    }
}

fn round(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("round", args, &["number", "ndigits"], 1)?;
    let v = a[0].clone().unwrap_or(Value::None);
    let nd = match &a[1] {
        None | Some(Value::None) => None,
        Some(n) => Some(as_int(n)?),
    };
    match (&v, nd) {
        (Value::Int(i), None) => Ok(Value::Int(*i)),
        (Value::Bool(b), None) => Ok(Value::Int(*b as i64)),
        (Value::Int(_) | Value::Bool(_), Some(n)) => {
            let i = ops::index_value(&v).unwrap_or(0);
            if n >= 0 {
                return Ok(Value::Int(i));
            }
            let p = u32::try_from(n.unsigned_abs())
                .ok()
                .and_then(|e| 10i64.checked_pow(e));
            Ok(Value::Int(match p {
                Some(p) => {
                    let r = (i as f64 / p as f64).round_ties_even() as i64;
                    r * p
                }
                None => 0,
            }))
        }
        (Value::Float(f), None) => {
            if f.is_nan() {
                return Err(value_error("cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(PyErr::new(
                    ErrorKind::OverflowError,
                    "cannot convert float infinity to integer",
                ));
            }
            Ok(Value::Int(f.round_ties_even() as i64))
        }
        (Value::Float(f), Some(n)) => {
            if !f.is_finite() {
                return Ok(Value::Float(*f));
            }
            Ok(Value::Float(reversed_sign_round(*f, n)))
        }
        (Value::Tensor(t), _) => {
            let m = torch::tensor_attr(interp, t, "round")?;
            let args = match nd {
                Some(n) => Args {
                    pos: vec![],
                    kw: vec![("decimals".into(), Value::Int(n))],
                },
                None => Args::default(),
            };
            interp.call_value(&m, args)
        }
        _ => Err(type_error(format!(
            "type {} doesn't define __round__ method",
            v.type_name()
        ))),
    }
}

fn sorted(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let key = take_kw(&mut args, "key");
    let reverse = match take_kw(&mut args, "reverse") {
        Some(r) => interp.truthy(&r)?,
        None => false,
    };
    let v = one("sorted", args)?;
    let items = iterate(interp, &v)?;
    Ok(Value::list(sort_values(
        interp,
        items,
        key.as_ref(),
        reverse,
    )?))
}

fn sum(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("sum", args, &["iterable", "start"], 1)?;
    let items = iterate(interp, a[0].as_ref().unwrap_or(&Value::None))?;
    let mut acc = a[1].clone().unwrap_or(Value::Int(0));
    if matches!(acc, Value::Str(_)) {
        return Err(type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    for item in items {
        acc = ops::binary(interp, "+", &acc, &item)?;
    }
    Ok(acc)
}

// ----- type constructors -----

/// Calls a type object: `int("3")`, `list(x)`, `ValueError("msg")`, ...
pub fn construct(interp: &mut Interp, name: &str, args: Args) -> PyResult<Value> {
    match name {
        "int" => to_int(interp, args),
        "float" => to_float(interp, args),
        "str" => {
            let a = bind("str", args, &["object"], 0)?;
            match &a[0] {
                Some(v) => Ok(Value::str(&interp.str(v)?)),
                None => Ok(Value::str("")),
            }
        }
        "bool" => {
            let a = bind("bool", args, &["x"], 0)?;
            match &a[0] {
                Some(v) => Ok(Value::Bool(interp.truthy(v)?)),
                None => Ok(Value::Bool(false)),
            }
        }
        "list" => {
            let a = bind("list", args, &["iterable"], 0)?;
            match &a[0] {
                Some(v) => Ok(Value::list(iterate(interp, v)?)),
                None => Ok(Value::list(Vec::new())),
            }
        }
        "tuple" => {
            let a = bind("tuple", args, &["iterable"], 0)?;
            match &a[0] {
                Some(v) => Ok(Value::tuple(iterate(interp, v)?)),
                None => Ok(Value::tuple(Vec::new())),
            }
        }
        "set" | "frozenset" => {
            let a = bind(name, args, &["iterable"], 0)?;
            let items = match &a[0] {
                Some(v) => iterate(interp, v)?,
                None => Vec::new(),
            };
            super::set::make_set(interp, items)
        }
        "dict" => {
            let d = Rc::new(std::cell::RefCell::new(Vec::new()));
            if args.pos.len() > 1 {
                return Err(type_error(format!(
                    "dict expected at most 1 argument, got {}",
                    args.pos.len()
                )));
            }
            if let Some(src) = args.pos.first() {
                for (k, v) in pairs_of(interp, src)? {
                    ops::dict_set(interp, &d, k, v)?;
                }
            }
            for (k, v) in args.kw {
                ops::dict_set(interp, &d, Value::str(&k), v)?;
            }
            Ok(Value::Dict(d))
        }
        "range" => {
            if !args.kw.is_empty() {
                return Err(type_error("range() takes no keyword arguments"));
            }
            let ints: Vec<i64> = args.pos.iter().map(as_int).collect::<PyResult<_>>()?;
            let (start, stop, step) = match ints[..] {
                [stop] => (0, stop, 1),
                [start, stop] => (start, stop, 1),
                [start, stop, step] => (start, stop, step),
                [] => return Err(type_error("range expected at least 1 argument, got 0")),
                _ => {
                    return Err(type_error(format!(
                        "range expected at most 3 arguments, got {}",
                        ints.len()
                    )));
                }
            };
            if step == 0 {
                return Err(value_error("range() arg 3 must not be zero"));
            }
            Ok(Value::Range(start, stop, step))
        }
        "slice" => {
            let p = args.pos;
            let (a, b, c) = match p.len() {
                1 => (Value::None, p[0].clone(), Value::None),
                2 => (p[0].clone(), p[1].clone(), Value::None),
                3 => (p[0].clone(), p[1].clone(), p[2].clone()),
                n => {
                    return Err(type_error(format!(
                        "slice expected at least 1 argument, got {n}"
                    )));
                }
            };
            Ok(Value::Slice(Rc::new((a, b, c))))
        }
        "type" => {
            if args.pos.len() == 3 {
                return type_new(interp, args);
            }
            let v = one("type", args)?;
            Ok(Value::Class(class_of(&v)))
        }
        "object" => {
            if !args.pos.is_empty() || !args.kw.is_empty() {
                return Err(type_error("object() takes no arguments"));
            }
            Ok(Value::Instance(super::class::Instance::new(builtin_class(
                "object",
            ))))
        }
        "property" => super::descr::make_property(args),
        "staticmethod" => Ok(Value::Object(Rc::new(super::descr::StaticMethod(one(
            "staticmethod",
            args,
        )?)))),
        "classmethod" => Ok(Value::Object(Rc::new(super::descr::ClassMethod(one(
            "classmethod",
            args,
        )?)))),
        "super" => super::classdef::super_builtin(args),
        "Tensor" => torch::legacy_constructor(interp, args),
        "Size" => {
            let a = bind("Size", args, &["sizes"], 0)?;
            let items = match &a[0] {
                Some(v) => iterate(interp, v)?,
                None => Vec::new(),
            };
            let mut dims = Vec::with_capacity(items.len());
            for i in &items {
                dims.push(as_int(i)?.max(0) as usize);
            }
            Ok(Value::Size(Rc::new(dims)))
        }
        "Parameter" => super::torch::nn_parameter(interp, args),
        other => Err(type_error(format!("cannot create '{other}' instances"))),
    }
}

/// `type(name, bases, dict)`: a class made at run time.
fn type_new(_interp: &mut Interp, args: Args) -> PyResult<Value> {
    let Value::Str(name) = &args.pos[0] else {
        return Err(type_error(format!(
            "type.__new__() argument 1 must be str, not {}",
            args.pos[0].type_name()
        )));
    };
    let Value::Tuple(bases) = &args.pos[1] else {
        return Err(type_error(format!(
            "type.__new__() argument 2 must be tuple, not {}",
            args.pos[1].type_name()
        )));
    };
    let Value::Dict(d) = &args.pos[2] else {
        return Err(type_error(format!(
            "type.__new__() argument 3 must be dict, not {}",
            args.pos[2].type_name()
        )));
    };
    let mut bs = Vec::new();
    for b in bases.iter() {
        match b {
            Value::Class(c) => bs.push(c.clone()),
            other => {
                return Err(type_error(format!(
                    "bases must be types, not '{}'",
                    other.type_name()
                )));
            }
        }
    }
    let dict = Rc::new(std::cell::RefCell::new(d.borrow().clone()));
    Ok(Value::Class(Class::new(
        name,
        name.to_string(),
        "__main__",
        bs,
        dict,
    )?))
}

fn parse_int_text(s: &str, base: u32) -> Option<i64> {
    let t = s.trim().replace('_', "");
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d.to_string()),
        None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let lower = digits.to_ascii_lowercase();
    let (base, digits) = match (base, lower.get(..2)) {
        (0 | 16, Some("0x")) => (16, &lower[2..]),
        (0 | 8, Some("0o")) => (8, &lower[2..]),
        (0 | 2, Some("0b")) => (2, &lower[2..]),
        (0, _) => (10, &lower[..]),
        (b, _) => (b, &lower[..]),
    };
    if digits.is_empty() {
        return None;
    }
    let v = i64::from_str_radix(digits, base).ok()?;
    Some(if neg { -v } else { v })
}

fn to_int(interp: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("int", args, &["x", "base"], 0)?;
    let Some(v) = &a[0] else {
        return Ok(Value::Int(0));
    };
    if let Some(b) = &a[1] {
        let base = as_int(b)?;
        if base != 0 && !(2..=36).contains(&base) {
            return Err(crate::error::value_error(
                "int() base must be >= 2 and <= 36, or 0",
            ));
        }
        let Value::Str(s) = v else {
            return Err(type_error(
                "int() can't convert non-string with explicit base",
            ));
        };
        return parse_int_text(s, base as u32)
            .map(Value::Int)
            .ok_or_else(|| {
                value_error(format!(
                    "invalid literal for int() with base {base}: {}",
                    super::repr::str_repr(s)
                ))
            });
    }
    Ok(match v {
        Value::Int(i) => Value::Int(*i),
        Value::Bool(b) => Value::Int(*b as i64),
        Value::Float(f) => float_to_int(*f)?,
        Value::Str(s) => parse_int_text(s, 10).map(Value::Int).ok_or_else(|| {
            value_error(format!(
                "invalid literal for int() with base 10: {}",
                super::repr::str_repr(s)
            ))
        })?,
        Value::Tensor(t) => match tensor_scalar(t)? {
            Scalar::Float(f) => float_to_int(f)?,
            s => match scalar_value(s) {
                Value::Bool(b) => Value::Int(b as i64),
                other => other,
            },
        },
        other => {
            let _ = interp;
            return Err(type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                other.type_name()
            )));
        }
    })
}

fn float_to_int(f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(PyErr::new(
            ErrorKind::OverflowError,
            "cannot convert float infinity to integer",
        ));
    }
    Ok(Value::Int(f.trunc() as i64))
}

fn to_float(_: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("float", args, &["x"], 0)?;
    let Some(v) = &a[0] else {
        return Ok(Value::Float(0.0));
    };
    Ok(Value::Float(match v {
        Value::Int(i) => *i as f64,
        Value::Bool(b) => *b as i64 as f64,
        Value::Float(f) => *f,
        Value::Str(s) => {
            let t = s.trim().replace('_', "");
            let lower = t.to_ascii_lowercase();
            let body = lower.trim_start_matches(['+', '-']);
            let neg = lower.starts_with('-');
            let special = match body {
                "nan" => Some(f64::NAN),
                "inf" | "infinity" => Some(f64::INFINITY),
                _ => None,
            };
            match special {
                Some(x) => {
                    if neg {
                        -x
                    } else {
                        x
                    }
                }
                None => t
                    .parse::<f64>()
                    .ok()
                    .filter(|_| !lower.contains("inf") && !lower.contains("nan"))
                    .ok_or_else(|| {
                        value_error(format!(
                            "could not convert string to float: {}",
                            super::repr::str_repr(s)
                        ))
                    })?,
            }
        }
        Value::Tensor(t) => tensor_scalar(t)?.to_f64(),
        other => {
            return Err(type_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                other.type_name()
            )));
        }
    }))
}
