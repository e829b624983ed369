//! The one place special methods are dispatched: operators (keyed by the AST's operator enums,
//! with reflected and in-place forms and `NotImplemented`), truth, `len`, items, containment,
//! iteration, calls, `repr`/`str`, hashing and `with`. Callers reach here only when an operand
//! is an instance of a user class, so built-in values keep their direct paths.

use super::class::{Class, Instance, class_of, is_subclass};
use super::interp::Interp;
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error};
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use std::rc::Rc;

/// `__add__`, `__radd__`, `__iadd__` of a binary operator.
pub fn binop_names(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::BitAnd => ("__and__", "__rand__", "__iand__"),
        BinOp::BitOr => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

fn cmp_names(op: CmpOp) -> (&'static str, &'static str) {
    match op {
        CmpOp::Eq => ("__eq__", "__eq__"),
        CmpOp::NotEq => ("__ne__", "__ne__"),
        CmpOp::Lt => ("__lt__", "__gt__"),
        CmpOp::LtE => ("__le__", "__ge__"),
        CmpOp::Gt => ("__gt__", "__lt__"),
        CmpOp::GtE => ("__ge__", "__le__"),
        _ => ("", ""),
    }
}

pub fn is_instance(v: &Value) -> bool {
    matches!(v, Value::Instance(_))
}

fn inst_class(v: &Value) -> Option<&Rc<Class>> {
    match v {
        Value::Instance(i) => Some(&i.class),
        _ => None,
    }
}

/// Calls the special method `name` of `recv`'s class, if the class (or a base) defines it.
pub fn call_special(
    interp: &mut Interp,
    recv: &Value,
    name: &str,
    rest: Vec<Value>,
) -> PyResult<Option<Value>> {
    let Some(cls) = inst_class(recv) else {
        return Ok(None);
    };
    let Some(f) = cls.lookup(name) else {
        return Ok(None);
    };
    let mut pos = Vec::with_capacity(rest.len() + 1);
    pos.push(recv.clone());
    pos.extend(rest);
    call_attr_value(interp, &f, recv, pos).map(Some)
}

/// Calls a class attribute found for a special method: functions get the receiver first;
/// static methods do not; class methods get the class.
fn call_attr_value(
    interp: &mut Interp,
    f: &Value,
    recv: &Value,
    mut pos: Vec<Value>,
) -> PyResult<Value> {
    match super::descr::kind_of(f) {
        super::descr::AttrKind::Static(inner) => {
            pos.remove(0);
            interp.call_value(&inner, Args::new(pos))
        }
        super::descr::AttrKind::ClassMethod(inner) => {
            pos[0] = Value::Class(class_of(recv));
            interp.call_value(&inner, Args::new(pos))
        }
        _ => interp.call_value(f, Args::new(pos)),
    }
}

fn not_implemented(v: &Option<Value>) -> bool {
    matches!(v, None | Some(Value::NotImplemented))
}

fn unsupported(op: BinOp, a: &Value, b: &Value) -> PyErr {
    let sym = if op == BinOp::Pow {
        "** or pow()"
    } else {
        op.symbol()
    };
    type_error(format!(
        "unsupported operand type(s) for {sym}: '{}' and '{}'",
        a.type_name(),
        b.type_name()
    ))
}

/// `a op b` when an operand is an instance: `a.__op__(b)`, then `b.__rop__(a)` (first when
/// `b`'s class is a proper subclass of `a`'s that overrides it), as CPython's binary_op1.
pub fn binary(interp: &mut Interp, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let (name, rname, _) = binop_names(op);
    let same_type = match (inst_class(a), inst_class(b)) {
        (Some(x), Some(y)) => Rc::ptr_eq(x, y),
        _ => false,
    };
    let b_first = match (inst_class(a), inst_class(b)) {
        (Some(x), Some(y)) => !same_type && is_subclass(y, x) && y.lookup(rname).is_some(),
        (None, Some(_)) => true,
        _ => false,
    };
    if b_first {
        let r = call_special(interp, b, rname, vec![a.clone()])?;
        if !not_implemented(&r) {
            return Ok(r.unwrap_or(Value::None));
        }
    }
    let r = call_special(interp, a, name, vec![b.clone()])?;
    if !not_implemented(&r) {
        return Ok(r.unwrap_or(Value::None));
    }
    if !b_first && !same_type {
        let r = call_special(interp, b, rname, vec![a.clone()])?;
        if !not_implemented(&r) {
            return Ok(r.unwrap_or(Value::None));
        }
    }
    Err(unsupported(op, a, b))
}

/// `a op= b` for an instance `a`: `__iop__`, else the binary form.
pub fn inplace(interp: &mut Interp, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let (_, _, iname) = binop_names(op);
    let r = call_special(interp, a, iname, vec![b.clone()])?;
    if !not_implemented(&r) {
        return Ok(r.unwrap_or(Value::None));
    }
    binary(interp, op, a, b)
}

pub fn unary(interp: &mut Interp, op: UnaryOp, v: &Value) -> PyResult<Value> {
    let (name, sym) = match op {
        UnaryOp::Neg => ("__neg__", "-"),
        UnaryOp::Pos => ("__pos__", "+"),
        UnaryOp::Invert => ("__invert__", "~"),
        UnaryOp::Not => return Ok(Value::Bool(!truthy(interp, v)?)),
    };
    match call_special(interp, v, name, Vec::new())? {
        Some(r) => Ok(r),
        None => Err(type_error(format!(
            "bad operand type for unary {sym}: '{}'",
            v.type_name()
        ))),
    }
}

/// Rich comparison with reflection; `==`/`!=` fall back to identity.
pub fn compare(interp: &mut Interp, op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
    let (name, rname) = cmp_names(op);
    let b_first = match (inst_class(a), inst_class(b)) {
        (Some(x), Some(y)) => !Rc::ptr_eq(x, y) && is_subclass(y, x),
        (None, Some(_)) => true,
        _ => false,
    };
    if b_first {
        let r = call_special(interp, b, rname, vec![a.clone()])?;
        if !not_implemented(&r) {
            return Ok(r.unwrap_or(Value::None));
        }
    }
    let r = call_special(interp, a, name, vec![b.clone()])?;
    if !not_implemented(&r) {
        return Ok(r.unwrap_or(Value::None));
    }
    if !b_first {
        let r = call_special(interp, b, rname, vec![a.clone()])?;
        if !not_implemented(&r) {
            return Ok(r.unwrap_or(Value::None));
        }
    }
    match op {
        CmpOp::Eq => Ok(Value::Bool(super::ops::is_same(a, b))),
        CmpOp::NotEq => Ok(Value::Bool(!super::ops::is_same(a, b))),
        _ => Err(type_error(format!(
            "'{}' not supported between instances of '{}' and '{}'",
            op.symbol(),
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// `bool(obj)`: `__bool__` (which must return a bool), else `__len__`, else true.
pub fn truthy(interp: &mut Interp, v: &Value) -> PyResult<bool> {
    if let Some(r) = call_special(interp, v, "__bool__", Vec::new())? {
        return match r {
            Value::Bool(b) => Ok(b),
            other => Err(type_error(format!(
                "__bool__ should return bool, returned {}",
                other.type_name()
            ))),
        };
    }
    if inst_class(v).is_some_and(|c| c.lookup("__len__").is_some()) {
        return Ok(len(interp, v)? > 0);
    }
    Ok(true)
}

/// `len(obj)`.
pub fn len(interp: &mut Interp, v: &Value) -> PyResult<usize> {
    match call_special(interp, v, "__len__", Vec::new())? {
        Some(Value::Int(n)) if n >= 0 => Ok(n as usize),
        Some(Value::Int(_)) => Err(value_error("__len__() should return >= 0")),
        Some(Value::Bool(b)) => Ok(b as usize),
        Some(other) => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
        None => Err(type_error(format!(
            "object of type '{}' has no len()",
            v.type_name()
        ))),
    }
}

pub fn getitem(interp: &mut Interp, v: &Value, index: &Value) -> PyResult<Value> {
    if let Value::Class(c) = v {
        if let Some(f) = c.lookup("__class_getitem__") {
            return interp.call_value(&f, Args::new(vec![v.clone(), index.clone()]));
        }
        return Err(type_error(format!(
            "type '{}' is not subscriptable",
            c.name
        )));
    }
    match call_special(interp, v, "__getitem__", vec![index.clone()])? {
        Some(r) => Ok(r),
        None => Err(type_error(format!(
            "'{}' object is not subscriptable",
            v.type_name()
        ))),
    }
}

pub fn setitem(interp: &mut Interp, v: &Value, index: &Value, value: Value) -> PyResult<()> {
    match call_special(interp, v, "__setitem__", vec![index.clone(), value])? {
        Some(_) => Ok(()),
        None => Err(type_error(format!(
            "'{}' object does not support item assignment",
            v.type_name()
        ))),
    }
}

pub fn delitem(interp: &mut Interp, v: &Value, index: &Value) -> PyResult<()> {
    match call_special(interp, v, "__delitem__", vec![index.clone()])? {
        Some(_) => Ok(()),
        None => Err(type_error(format!(
            "'{}' object doesn't support item deletion",
            v.type_name()
        ))),
    }
}

/// `x in obj`: `__contains__`, else a scan of the iteration.
pub fn contains(interp: &mut Interp, v: &Value, item: &Value) -> PyResult<bool> {
    if let Some(r) = call_special(interp, v, "__contains__", vec![item.clone()])? {
        return interp.truthy(&r);
    }
    let has_iter = inst_class(v)
        .is_some_and(|c| c.lookup("__iter__").is_some() || c.lookup("__getitem__").is_some());
    if !has_iter {
        return Err(type_error(format!(
            "argument of type '{}' is not iterable",
            v.type_name()
        )));
    }
    let it = iter(interp, v)?;
    while let Some(x) = super::iter::next(interp, &it)? {
        if super::ops::values_eq(interp, &x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `iter(obj)` for an instance: `__iter__`'s result, or a sequence iterator over `__getitem__`.
pub fn iter(interp: &mut Interp, v: &Value) -> PyResult<Value> {
    if let Some(r) = call_special(interp, v, "__iter__", Vec::new())? {
        if !super::iter::is_iterator(&r) {
            return Err(type_error(format!(
                "iter() returned non-iterator of type '{}'",
                r.type_name()
            )));
        }
        return Ok(r);
    }
    if inst_class(v).is_some_and(|c| c.lookup("__getitem__").is_some()) {
        return Ok(super::iter::sequence_iter(v.clone()));
    }
    Err(type_error(format!(
        "'{}' object is not iterable",
        v.type_name()
    )))
}

/// `next(obj)` for an instance: `__next__`; `None` when it raised StopIteration.
pub fn next(interp: &mut Interp, v: &Value) -> PyResult<Option<Value>> {
    match call_special(interp, v, "__next__", Vec::new()) {
        Ok(Some(r)) => Ok(Some(r)),
        Ok(None) => Err(type_error(format!(
            "'{}' object is not an iterator",
            v.type_name()
        ))),
        Err(e) if e.kind == ErrorKind::StopIteration => Ok(None),
        Err(e) => Err(e),
    }
}

/// `obj(...)`.
pub fn call(interp: &mut Interp, inst: &Rc<Instance>, v: &Value, args: Args) -> PyResult<Value> {
    let Some(f) = inst.class.lookup("__call__") else {
        return Err(type_error(format!(
            "'{}' object is not callable",
            inst.class.name
        )));
    };
    let mut pos = Vec::with_capacity(args.pos.len() + 1);
    pos.push(v.clone());
    pos.extend(args.pos);
    interp.call_value(&f, Args { pos, kw: args.kw })
}

fn text_result(r: Value, name: &str) -> PyResult<String> {
    match r {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(type_error(format!(
            "{name} returned non-string (type {})",
            other.type_name()
        ))),
    }
}

pub fn repr(interp: &mut Interp, v: &Value) -> PyResult<String> {
    match call_special(interp, v, "__repr__", Vec::new())? {
        Some(r) => text_result(r, "__repr__"),
        None => Ok(default_repr(v)),
    }
}

pub fn str(interp: &mut Interp, v: &Value) -> PyResult<String> {
    match call_special(interp, v, "__str__", Vec::new())? {
        Some(r) => text_result(r, "__str__"),
        None => repr(interp, v),
    }
}

/// `<__main__.Point object>`: CPython's default repr, without the address.
pub fn default_repr(v: &Value) -> String {
    let c = class_of(v);
    format!("<{}.{} object>", c.module, c.qualname)
}

/// `hash(obj)`: `__hash__`, unhashable when the class defines `__eq__` without it.
pub fn hash(interp: &mut Interp, v: &Value) -> PyResult<i64> {
    let Some(cls) = inst_class(v) else {
        return Ok(0);
    };
    match cls.lookup("__hash__") {
        Some(Value::None) => Err(type_error(format!("unhashable type: '{}'", cls.name))),
        _ if cls.hook("__eq__").is_some() && cls.hook("__hash__").is_none() => {
            Err(type_error(format!("unhashable type: '{}'", cls.name)))
        }
        _ => match call_special(interp, v, "__hash__", Vec::new())? {
            Some(Value::Int(i)) => Ok(i),
            Some(Value::Bool(b)) => Ok(b as i64),
            Some(_) => Err(type_error("__hash__ method should return an integer")),
            None => Ok(identity(v)),
        },
    }
}

/// A stable number for an object (its address, shifted as CPython's `id`-based hash).
pub fn identity(v: &Value) -> i64 {
    match v {
        Value::Instance(i) => (Rc::as_ptr(i) as usize >> 4) as i64,
        _ => 0,
    }
}

/// `with obj:` entry for an instance.
pub fn enter(interp: &mut Interp, v: &Value) -> PyResult<Value> {
    let cls = class_of(v);
    if cls.lookup("__exit__").is_none() || cls.lookup("__enter__").is_none() {
        let missing = if cls.lookup("__enter__").is_none() {
            ""
        } else {
            " (missed __exit__ method)"
        };
        return Err(type_error(format!(
            "'{}' object does not support the context manager protocol{missing}",
            cls.name
        )));
    }
    Ok(call_special(interp, v, "__enter__", Vec::new())?.unwrap_or(Value::None))
}

/// `with` exit: `__exit__(type, value, traceback)`; true when it suppresses the exception.
pub fn exit(interp: &mut Interp, v: &Value, err: Option<&mut PyErr>) -> PyResult<bool> {
    let args = match err {
        Some(e) => {
            let exc = super::exceptions::err_value(e);
            vec![
                Value::Class(super::exceptions::err_class(e)),
                exc,
                Value::None,
            ]
        }
        None => vec![Value::None, Value::None, Value::None],
    };
    let r = call_special(interp, v, "__exit__", args)?.unwrap_or(Value::None);
    interp.truthy(&r)
}

/// The methods built-in classes define in the language's own dicts.
pub fn builtin_methods(name: &str) -> Vec<(&'static str, Value)> {
    match name {
        "object" => super::descr::object_methods(),
        "BaseException" => super::exceptions::base_exception_methods(),
        _ => Vec::new(),
    }
}
