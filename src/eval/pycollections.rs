//! Python's `collections`: `OrderedDict`, `defaultdict` and `Counter` (subclasses of `dict`
//! whose mapping is a plain dict kept as the instance's native payload, so every `dict` method
//! is reached by delegation), `deque` (a list payload), and `namedtuple`. The classes are
//! real classes of the object model, so user code can subclass them and `isinstance` works;
//! reprs are CPython 3.11's.

use super::args::{bind, take_kw};
use super::class::{Class, Dict, Instance, builtin_class, class_of};
use super::interp::Interp;
use super::modules::make_module;
use super::ops::{dict_lookup, iterate};
use super::value::{Args, NamedTuple, Value};
use crate::error::{PyErr, PyResult, index_error, key_error, type_error, value_error};
use std::cell::RefCell;
use std::rc::Rc;

type Items = Rc<RefCell<Vec<(Value, Value)>>>;

fn new_dict() -> Items {
    Rc::new(RefCell::new(Vec::new()))
}

fn inst(v: &Value) -> PyResult<&Rc<Instance>> {
    match v {
        Value::Instance(i) => Ok(i),
        other => Err(type_error(format!(
            "descriptor requires a 'collections' object but received a '{}'",
            other.type_name()
        ))),
    }
}

/// The payload of a native instance (`self` of the methods below).
fn payload(v: &Value) -> PyResult<Value> {
    inst(v)?
        .payload
        .borrow()
        .clone()
        .ok_or_else(|| type_error("uninitialized collections object"))
}

/// The mapping behind a dict-like value: a plain dict, or the payload of an `OrderedDict`,
/// `defaultdict` or `Counter` (or a subclass of one). Bindings that take dicts use this.
pub fn dict_items(v: &Value) -> Option<Items> {
    match v {
        Value::Dict(d) => Some(d.clone()),
        Value::Instance(i) => match &*i.payload.borrow() {
            Some(Value::Dict(d)) => Some(d.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn items_of(v: &Value) -> PyResult<Items> {
    dict_items(&payload(v)?).ok_or_else(|| type_error("not a mapping"))
}

fn self_arg(args: &mut Args, name: &str) -> PyResult<Value> {
    if args.pos.is_empty() {
        return Err(type_error(format!(
            "descriptor '{name}' of object needs an argument"
        )));
    }
    Ok(args.pos.remove(0))
}

fn method(
    name: &'static str,
    f: impl Fn(&mut Interp, Value, Args) -> PyResult<Value> + 'static,
) -> (Value, Value) {
    (
        Value::str(name),
        Value::native(name, move |interp, mut args| {
            let me = self_arg(&mut args, name)?;
            f(interp, me, args)
        }),
    )
}

/// A class from its methods; a later method of the same name overrides an earlier one (the
/// shared mapping methods come first).
fn make_class(name: &str, base: Rc<Class>, methods: Vec<(Value, Value)>) -> PyResult<Rc<Class>> {
    let mut unique: Vec<(Value, Value)> = Vec::with_capacity(methods.len());
    for (k, v) in methods {
        match unique.iter_mut().find(|(u, _)| {
            super::ops::is_same(u, &k)
                || matches!((u, &k), (Value::Str(a), Value::Str(b)) if a == b)
        }) {
            Some(slot) => slot.1 = v,
            None => unique.push((k, v)),
        }
    }
    let dict: Dict = Rc::new(RefCell::new(unique));
    Class::new(name, name.to_string(), "collections", vec![base], dict)
}

/// Fills `d` from a mapping or an iterable of pairs, then keyword arguments (`dict.update`).
fn update_from(interp: &mut Interp, d: &Items, args: Args) -> PyResult<()> {
    if args.pos.len() > 1 {
        return Err(type_error(format!(
            "update expected at most 1 argument, got {}",
            args.pos.len()
        )));
    }
    if let Some(src) = args.pos.first() {
        for (k, v) in super::methods::pairs_of(interp, src)? {
            set(interp, d, k, v)?;
        }
    }
    for (k, v) in args.kw {
        set(interp, d, Value::str(&k), v)?;
    }
    Ok(())
}

fn set(interp: &mut Interp, d: &Items, k: Value, v: Value) -> PyResult<()> {
    super::ops::dict_set(interp, d, k, v)
}

fn lookup(interp: &mut Interp, d: &Items, k: &Value) -> PyResult<Option<Value>> {
    let items = d.borrow().clone();
    Ok(dict_lookup(interp, &items, k)?.map(|i| items[i].1.clone()))
}

fn pairs_repr(interp: &mut Interp, d: &Items) -> PyResult<String> {
    let items = d.borrow().clone();
    let mut parts = Vec::with_capacity(items.len());
    for (k, v) in &items {
        parts.push(format!("({}, {})", interp.repr(k)?, interp.repr(v)?));
    }
    Ok(format!("[{}]", parts.join(", ")))
}

/// The methods every dict-like class here shares: item access, iteration, `len`, `in`,
/// equality, and every other attribute delegated to the payload dict.
fn mapping_methods() -> Vec<(Value, Value)> {
    vec![
        method("__getitem__", |interp, me, args| {
            let k = super::args::one("__getitem__", args)?;
            let d = items_of(&me)?;
            if let Some(v) = lookup(interp, &d, &k)? {
                return Ok(v);
            }
            // dict subclasses call __missing__ (defaultdict, Counter, user classes).
            if let Some(Value::Instance(_)) = Some(&me)
                && let Some(r) =
                    super::special::call_special(interp, &me, "__missing__", vec![k.clone()])?
            {
                return Ok(r);
            }
            Err(super::exceptions::key_error(interp, k.clone())?)
        }),
        method("__setitem__", |interp, me, args| {
            let a = bind("__setitem__", args, &["key", "value"], 2)?;
            let d = items_of(&me)?;
            set(
                interp,
                &d,
                a[0].clone().unwrap_or(Value::None),
                a[1].clone().unwrap_or(Value::None),
            )?;
            Ok(Value::None)
        }),
        method("__delitem__", |interp, me, args| {
            let k = super::args::one("__delitem__", args)?;
            let d = payload(&me)?;
            super::subscript::delitem(interp, &d, &k)?;
            Ok(Value::None)
        }),
        method("__len__", |_, me, _| {
            Ok(Value::Int(items_of(&me)?.borrow().len() as i64))
        }),
        method("__iter__", |interp, me, _| {
            let d = payload(&me)?;
            super::iter::get_iter(interp, &d)
        }),
        method("__contains__", |interp, me, args| {
            let k = super::args::one("__contains__", args)?;
            let d = items_of(&me)?;
            let items = d.borrow().clone();
            Ok(Value::Bool(dict_lookup(interp, &items, &k)?.is_some()))
        }),
        method("__bool__", |_, me, _| {
            Ok(Value::Bool(!items_of(&me)?.borrow().is_empty()))
        }),
        method("__eq__", |interp, me, args| {
            let other = super::args::one("__eq__", args)?;
            let Some(theirs) = dict_items(&other).or_else(|| {
                matches!(other, Value::Instance(_))
                    .then(|| dict_items(&payload(&other).ok()?))
                    .flatten()
            }) else {
                return Ok(Value::NotImplemented);
            };
            let mine = items_of(&me)?;
            let both_ordered = is_ordered(&me) && is_ordered(&other);
            if both_ordered {
                let (a, b) = (mine.borrow().clone(), theirs.borrow().clone());
                if a.len() != b.len() {
                    return Ok(Value::Bool(false));
                }
                for ((ka, va), (kb, vb)) in a.iter().zip(&b) {
                    if !super::ops::eq(interp, ka, kb)? || !super::ops::eq(interp, va, vb)? {
                        return Ok(Value::Bool(false));
                    }
                }
                return Ok(Value::Bool(true));
            }
            let (a, b) = (Value::Dict(mine), Value::Dict(theirs));
            Ok(Value::Bool(super::ops::eq(interp, &a, &b)?))
        }),
        method("__getattr__", |interp, me, args| {
            let name = super::args::one("__getattr__", args)?;
            let Value::Str(name) = name else {
                return Err(type_error("attribute name must be string"));
            };
            let d = payload(&me)?;
            super::attrs::get_attr(interp, &d, &name).map_err(|_| {
                PyErr::new(
                    crate::error::ErrorKind::AttributeError,
                    format!("'{}' object has no attribute '{name}'", me.type_name()),
                )
            })
        }),
        method("update", |interp, me, args| {
            let d = items_of(&me)?;
            update_from(interp, &d, args)?;
            Ok(Value::None)
        }),
    ]
}

fn is_ordered(v: &Value) -> bool {
    matches!(v, Value::Instance(_))
        && class_of(v)
            .mro_list()
            .iter()
            .any(|c| &*c.name == "OrderedDict" && &*c.module == "collections")
}

/// A new instance of `cls` (or the class of `like`) holding `items`.
fn instance_with(cls: &Rc<Class>, native: Value) -> Value {
    let out = Instance::new(cls.clone());
    *out.payload.borrow_mut() = Some(native);
    Value::Instance(out)
}

fn ordered_dict(dict_cls: Rc<Class>) -> PyResult<Rc<Class>> {
    let mut m = mapping_methods();
    m.push(method("__init__", |interp, me, args| {
        let d = new_dict();
        *inst(&me)?.payload.borrow_mut() = Some(Value::Dict(d.clone()));
        update_from(interp, &d, args)?;
        Ok(Value::None)
    }));
    m.push(method("__repr__", |interp, me, _| {
        let d = items_of(&me)?;
        let name = me.type_name();
        if d.borrow().is_empty() {
            return Ok(Value::str(&format!("{name}()")));
        }
        if interp
            .repr_stack
            .contains(&(Rc::as_ptr(&d) as *const () as usize))
        {
            return Ok(Value::str("..."));
        }
        interp.repr_stack.push(Rc::as_ptr(&d) as *const () as usize);
        let r = pairs_repr(interp, &d);
        interp.repr_stack.pop();
        Ok(Value::str(&format!("{name}({})", r?)))
    }));
    m.push(method("move_to_end", |interp, me, args| {
        let a = bind("move_to_end", args, &["key", "last"], 1)?;
        let key = a[0].clone().unwrap_or(Value::None);
        let last = match &a[1] {
            Some(v) => super::ops::truthy(interp, v)?,
            None => true,
        };
        let d = items_of(&me)?;
        let items = d.borrow().clone();
        let Some(i) = dict_lookup(interp, &items, &key)? else {
            return Err(super::exceptions::key_error(interp, key.clone())?);
        };
        let mut dm = d.borrow_mut();
        let entry = dm.remove(i);
        if last {
            dm.push(entry);
        } else {
            dm.insert(0, entry);
        }
        Ok(Value::None)
    }));
    m.push(method("popitem", |interp, me, args| {
        let a = bind("popitem", args, &["last"], 0)?;
        let last = match &a[0] {
            Some(v) => super::ops::truthy(interp, v)?,
            None => true,
        };
        let d = items_of(&me)?;
        let mut dm = d.borrow_mut();
        if dm.is_empty() {
            return Err(key_error("'dictionary is empty'"));
        }
        let (k, v) = if last {
            dm.pop().unwrap_or((Value::None, Value::None))
        } else {
            dm.remove(0)
        };
        Ok(Value::tuple(vec![k, v]))
    }));
    m.push(method("copy", |_, me, _| {
        let d = items_of(&me)?;
        let copied = Value::Dict(Rc::new(RefCell::new(d.borrow().clone())));
        Ok(instance_with(&class_of(&me), copied))
    }));
    make_class("OrderedDict", dict_cls, m)
}

fn class_repr(v: &Value) -> String {
    match v {
        Value::Class(c) if c.builtin && &*c.module == "builtins" => format!("<class '{}'>", c.name),
        Value::Class(c) => format!("<class '{}.{}'>", c.module, c.qualname),
        Value::None => "None".into(),
        _ => String::new(),
    }
}

fn defaultdict(dict_cls: Rc<Class>) -> PyResult<Rc<Class>> {
    let mut m = mapping_methods();
    m.push(method("__init__", |interp, me, mut args| {
        let factory = if args.pos.is_empty() {
            Value::None
        } else {
            args.pos.remove(0)
        };
        if !matches!(factory, Value::None) && !super::builtins::is_callable(&factory) {
            return Err(type_error("first argument must be callable or None"));
        }
        let d = new_dict();
        let i = inst(&me)?;
        *i.payload.borrow_mut() = Some(Value::Dict(d.clone()));
        super::class::dict_set(&i.dict, "default_factory", factory);
        update_from(interp, &d, args)?;
        Ok(Value::None)
    }));
    m.push(method("__missing__", |interp, me, args| {
        let key = super::args::one("__missing__", args)?;
        let factory =
            super::class::dict_get(&inst(&me)?.dict, "default_factory").unwrap_or(Value::None);
        if matches!(factory, Value::None) {
            return Err(super::exceptions::key_error(interp, key.clone())?);
        }
        let v = interp.call_value(&factory, Args::default())?;
        let d = items_of(&me)?;
        set(interp, &d, key, v.clone())?;
        Ok(v)
    }));
    m.push(method("__repr__", |interp, me, _| {
        let factory =
            super::class::dict_get(&inst(&me)?.dict, "default_factory").unwrap_or(Value::None);
        let f = match &factory {
            Value::Class(_) | Value::None => class_repr(&factory),
            other => interp.repr(other)?,
        };
        let d = payload(&me)?;
        Ok(Value::str(&format!(
            "{}({f}, {})",
            me.type_name(),
            interp.repr(&d)?
        )))
    }));
    m.push(method("copy", |_, me, _| {
        let i = inst(&me)?;
        let d = items_of(&me)?;
        let out = instance_with(
            &i.class,
            Value::Dict(Rc::new(RefCell::new(d.borrow().clone()))),
        );
        if let (Value::Instance(o), Some(f)) =
            (&out, super::class::dict_get(&i.dict, "default_factory"))
        {
            super::class::dict_set(&o.dict, "default_factory", f);
        }
        Ok(out)
    }));
    make_class("defaultdict", dict_cls, m)
}

fn count_of(interp: &mut Interp, d: &Items, k: &Value) -> PyResult<Value> {
    Ok(lookup(interp, d, k)?.unwrap_or(Value::Int(0)))
}

/// `Counter.update`/`subtract`: counts from a mapping or an iterable, added with `sign`.
fn count_into(interp: &mut Interp, d: &Items, args: Args, sign: i64) -> PyResult<()> {
    let op = if sign > 0 { "+" } else { "-" };
    if let Some(src) = args.pos.first() {
        if let Some(m) = dict_items(src).or_else(|| payload(src).ok().and_then(|p| dict_items(&p)))
        {
            let pairs = m.borrow().clone();
            for (k, n) in pairs {
                let cur = count_of(interp, d, &k)?;
                let v = super::ops::binary(interp, op, &cur, &n)?;
                set(interp, d, k, v)?;
            }
        } else {
            for k in iterate(interp, src)? {
                let cur = count_of(interp, d, &k)?;
                let v = super::ops::binary(interp, op, &cur, &Value::Int(1))?;
                set(interp, d, k, v)?;
            }
        }
    }
    for (k, n) in args.kw {
        let k = Value::str(&k);
        let cur = count_of(interp, d, &k)?;
        let v = super::ops::binary(interp, op, &cur, &n)?;
        set(interp, d, k, v)?;
    }
    Ok(())
}

/// Items by decreasing count, ties in insertion order (a stable sort, as CPython's).
fn most_common(interp: &mut Interp, d: &Items) -> PyResult<Vec<(Value, Value)>> {
    let mut items = d.borrow().clone();
    let mut err = None;
    items.sort_by(|a, b| {
        if err.is_some() {
            return std::cmp::Ordering::Equal;
        }
        match super::ops::less(interp, &a.1, &b.1) {
            Ok(true) => std::cmp::Ordering::Greater,
            Ok(false) => match super::ops::less(interp, &b.1, &a.1) {
                Ok(true) => std::cmp::Ordering::Less,
                Ok(false) => std::cmp::Ordering::Equal,
                Err(e) => {
                    err = Some(e);
                    std::cmp::Ordering::Equal
                }
            },
            Err(e) => {
                err = Some(e);
                std::cmp::Ordering::Equal
            }
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(items),
    }
}

fn counter_binop(interp: &mut Interp, me: &Value, other: &Value, op: &str) -> PyResult<Value> {
    let (Some(a), Some(b)) = (
        items_of(me).ok(),
        payload(other).ok().and_then(|p| dict_items(&p)),
    ) else {
        return Ok(Value::NotImplemented);
    };
    let out = new_dict();
    let keys: Vec<Value> = {
        let mut ks: Vec<Value> = a.borrow().iter().map(|(k, _)| k.clone()).collect();
        for (k, _) in b.borrow().iter() {
            let items = a.borrow().clone();
            if dict_lookup(interp, &items, k)?.is_none() {
                ks.push(k.clone());
            }
        }
        ks
    };
    for k in keys {
        let (x, y) = (count_of(interp, &a, &k)?, count_of(interp, &b, &k)?);
        let v = match op {
            "+" | "-" => super::ops::binary(interp, op, &x, &y)?,
            "&" => {
                if super::ops::less(interp, &x, &y)? {
                    x
                } else {
                    y
                }
            }
            _ => {
                if super::ops::less(interp, &x, &y)? {
                    y
                } else {
                    x
                }
            }
        };
        if super::ops::less(interp, &Value::Int(0), &v)? {
            set(interp, &out, k, v)?;
        }
    }
    Ok(instance_with(&class_of(me), Value::Dict(out)))
}

fn counter(dict_cls: Rc<Class>) -> PyResult<Rc<Class>> {
    let mut m = mapping_methods();
    m.push(method("__init__", |interp, me, args| {
        if args.pos.len() > 1 {
            return Err(type_error(format!(
                "expected at most 1 arguments, got {}",
                args.pos.len()
            )));
        }
        let d = new_dict();
        *inst(&me)?.payload.borrow_mut() = Some(Value::Dict(d.clone()));
        count_into(interp, &d, args, 1).map(|_| Value::None)
    }));
    m.push(method("__missing__", |_, _, _| Ok(Value::Int(0))));
    m.push(method("update", |interp, me, args| {
        count_into(interp, &items_of(&me)?, args, 1).map(|_| Value::None)
    }));
    m.push(method("subtract", |interp, me, args| {
        count_into(interp, &items_of(&me)?, args, -1).map(|_| Value::None)
    }));
    m.push(method("most_common", |interp, me, args| {
        let a = bind("most_common", args, &["n"], 0)?;
        let items = most_common(interp, &items_of(&me)?)?;
        let n = match &a[0] {
            None | Some(Value::None) => items.len(),
            Some(v) => super::args::as_int(v)?.max(0) as usize,
        };
        Ok(Value::list(
            items
                .into_iter()
                .take(n)
                .map(|(k, v)| Value::tuple(vec![k, v]))
                .collect(),
        ))
    }));
    m.push(method("elements", |interp, me, _| {
        let mut out = Vec::new();
        for (k, n) in items_of(&me)?.borrow().iter() {
            let n = super::args::as_int(n).unwrap_or(0);
            for _ in 0..n.max(0) {
                out.push(k.clone());
            }
        }
        let _ = interp;
        Ok(super::objects::PyIter::value("chain", out))
    }));
    m.push(method("total", |interp, me, _| {
        let mut acc = Value::Int(0);
        for (_, n) in items_of(&me)?.borrow().clone() {
            acc = super::ops::binary(interp, "+", &acc, &n)?;
        }
        Ok(acc)
    }));
    m.push(method("__repr__", |interp, me, _| {
        let d = items_of(&me)?;
        let name = me.type_name();
        if d.borrow().is_empty() {
            return Ok(Value::str(&format!("{name}()")));
        }
        let items = most_common(interp, &d)?;
        let mut parts = Vec::with_capacity(items.len());
        for (k, v) in &items {
            parts.push(format!("{}: {}", interp.repr(k)?, interp.repr(v)?));
        }
        Ok(Value::str(&format!("{name}({{{}}})", parts.join(", "))))
    }));
    m.push(method("copy", |_, me, _| {
        let d = items_of(&me)?;
        Ok(instance_with(
            &class_of(&me),
            Value::Dict(Rc::new(RefCell::new(d.borrow().clone()))),
        ))
    }));
    for (name, op) in [
        ("__add__", "+"),
        ("__sub__", "-"),
        ("__and__", "&"),
        ("__or__", "|"),
    ] {
        m.push(method(name, move |interp, me, args| {
            let other = super::args::one(name, args)?;
            counter_binop(interp, &me, &other, op)
        }));
    }
    make_class("Counter", dict_cls, m)
}

fn deque_items(v: &Value) -> PyResult<Rc<RefCell<Vec<Value>>>> {
    match payload(v)? {
        Value::List(l) => Ok(l),
        _ => Err(type_error("uninitialized deque")),
    }
}

fn maxlen(v: &Value) -> Option<usize> {
    let i = inst(v).ok()?;
    match super::class::dict_get(&i.dict, "maxlen") {
        Some(Value::Int(n)) => Some(n as usize),
        _ => None,
    }
}

fn deque(object: Rc<Class>) -> PyResult<Rc<Class>> {
    let m = vec![
        method("__init__", |interp, me, args| {
            let a = bind("deque", args, &["iterable", "maxlen"], 0)?;
            let max = match &a[1] {
                None | Some(Value::None) => Value::None,
                Some(v) => {
                    let n = super::args::as_int(v)?;
                    if n < 0 {
                        return Err(value_error("maxlen must be non-negative"));
                    }
                    Value::Int(n)
                }
            };
            let mut items = match &a[0] {
                Some(v) => iterate(interp, v)?,
                None => Vec::new(),
            };
            if let Value::Int(n) = max
                && items.len() > n as usize
            {
                items.drain(..items.len() - n as usize);
            }
            let i = inst(&me)?;
            *i.payload.borrow_mut() = Some(Value::list(items));
            super::class::dict_set(&i.dict, "maxlen", max);
            Ok(Value::None)
        }),
        method("append", |_, me, args| {
            let x = super::args::one("append", args)?;
            let l = deque_items(&me)?;
            let mut l = l.borrow_mut();
            l.push(x);
            if let Some(n) = maxlen(&me)
                && l.len() > n
            {
                l.remove(0);
            }
            Ok(Value::None)
        }),
        method("appendleft", |_, me, args| {
            let x = super::args::one("appendleft", args)?;
            let l = deque_items(&me)?;
            let mut l = l.borrow_mut();
            l.insert(0, x);
            if let Some(n) = maxlen(&me)
                && l.len() > n
            {
                l.pop();
            }
            Ok(Value::None)
        }),
        method("extend", |interp, me, args| {
            let items = iterate(interp, &super::args::one("extend", args)?)?;
            let l = deque_items(&me)?;
            let mut l = l.borrow_mut();
            l.extend(items);
            if let Some(n) = maxlen(&me)
                && l.len() > n
            {
                let k = l.len() - n;
                l.drain(..k);
            }
            Ok(Value::None)
        }),
        method("extendleft", |interp, me, args| {
            let items = iterate(interp, &super::args::one("extendleft", args)?)?;
            let l = deque_items(&me)?;
            let mut l = l.borrow_mut();
            for x in items {
                l.insert(0, x);
                if let Some(n) = maxlen(&me)
                    && l.len() > n
                {
                    l.pop();
                }
            }
            Ok(Value::None)
        }),
        method("pop", |_, me, _| {
            deque_items(&me)?
                .borrow_mut()
                .pop()
                .ok_or_else(|| index_error("pop from an empty deque"))
        }),
        method("popleft", |_, me, _| {
            let l = deque_items(&me)?;
            let mut l = l.borrow_mut();
            if l.is_empty() {
                return Err(index_error("pop from an empty deque"));
            }
            Ok(l.remove(0))
        }),
        method("rotate", |_, me, args| {
            let a = bind("rotate", args, &["n"], 0)?;
            let n = match &a[0] {
                Some(v) => super::args::as_int(v)?,
                None => 1,
            };
            let l = deque_items(&me)?;
            let mut l = l.borrow_mut();
            let len = l.len() as i64;
            if len > 0 {
                let k = n.rem_euclid(len) as usize;
                l.rotate_right(k);
            }
            Ok(Value::None)
        }),
        method("clear", |_, me, _| {
            deque_items(&me)?.borrow_mut().clear();
            Ok(Value::None)
        }),
        method("__len__", |_, me, _| {
            Ok(Value::Int(deque_items(&me)?.borrow().len() as i64))
        }),
        method("__bool__", |_, me, _| {
            Ok(Value::Bool(!deque_items(&me)?.borrow().is_empty()))
        }),
        method("__iter__", |interp, me, _| {
            let l = payload(&me)?;
            super::iter::get_iter(interp, &l)
        }),
        method("__getitem__", |interp, me, args| {
            let i = super::args::one("__getitem__", args)?;
            if matches!(i, Value::Slice(_)) {
                return Err(type_error("sequence index must be integer, not 'slice'"));
            }
            let l = payload(&me)?;
            super::subscript::getitem(interp, &l, &i).map_err(|e| {
                if e.kind == crate::error::ErrorKind::IndexError {
                    index_error("deque index out of range")
                } else {
                    e
                }
            })
        }),
        method("__setitem__", |interp, me, args| {
            let a = bind("__setitem__", args, &["i", "v"], 2)?;
            let l = payload(&me)?;
            super::subscript::setitem(
                interp,
                &l,
                &a[0].clone().unwrap_or(Value::None),
                a[1].clone().unwrap_or(Value::None),
            )?;
            Ok(Value::None)
        }),
        method("__contains__", |interp, me, args| {
            let x = super::args::one("__contains__", args)?;
            let l = payload(&me)?;
            Ok(Value::Bool(super::ops::contains(interp, &l, &x)?))
        }),
        method("__eq__", |interp, me, args| {
            let other = super::args::one("__eq__", args)?;
            if !matches!(other, Value::Instance(_)) || other.type_name() != me.type_name() {
                return Ok(Value::NotImplemented);
            }
            let (a, b) = (payload(&me)?, payload(&other)?);
            Ok(Value::Bool(super::ops::eq(interp, &a, &b)?))
        }),
        method("__repr__", |interp, me, _| {
            let l = payload(&me)?;
            let body = interp.repr(&l)?;
            Ok(Value::str(&match maxlen(&me) {
                Some(n) => format!("{}({body}, maxlen={n})", me.type_name()),
                None => format!("{}({body})", me.type_name()),
            }))
        }),
        method("__getattr__", |interp, me, args| {
            // count, index, insert, remove, reverse, copy: the list's own methods.
            let name = super::args::one("__getattr__", args)?;
            let Value::Str(name) = name else {
                return Err(type_error("attribute name must be string"));
            };
            if matches!(&*name, "count" | "index" | "insert" | "remove" | "reverse") {
                let l = payload(&me)?;
                return super::attrs::get_attr(interp, &l, &name);
            }
            Err(PyErr::new(
                crate::error::ErrorKind::AttributeError,
                format!("'{}' object has no attribute '{name}'", me.type_name()),
            ))
        }),
    ];
    make_class("deque", object, m)
}

fn field_names(interp: &mut Interp, v: &Value) -> PyResult<Vec<String>> {
    let names: Vec<Value> = match v {
        Value::Str(s) => s
            .replace(',', " ")
            .split_whitespace()
            .map(Value::str)
            .collect(),
        other => iterate(interp, other)?,
    };
    let mut out = Vec::new();
    for n in names {
        let Value::Str(s) = n else {
            return Err(type_error("Type names and field names must be strings"));
        };
        let ok = s
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !ok {
            return Err(value_error(format!(
                "Type names and field names must be valid identifiers: {}",
                super::repr::str_repr(&s)
            )));
        }
        if s.starts_with('_') {
            return Err(value_error(format!(
                "Field names cannot start with an underscore: {}",
                super::repr::str_repr(&s)
            )));
        }
        if out.contains(&s.to_string()) {
            return Err(value_error(format!(
                "Encountered duplicate field name: {}",
                super::repr::str_repr(&s)
            )));
        }
        out.push(s.to_string());
    }
    Ok(out)
}

/// `namedtuple(typename, field_names, *, defaults=None)`: a constructor of named tuples
/// (`Point(x=1, y=2)`), with `_fields`, `_make`, `_asdict` and `_replace` on the values.
fn namedtuple(interp: &mut Interp, mut args: Args) -> PyResult<Value> {
    let defaults = take_kw(&mut args, "defaults").filter(|v| !matches!(v, Value::None));
    let _ = take_kw(&mut args, "rename");
    let _ = take_kw(&mut args, "module");
    let a = bind("namedtuple", args, &["typename", "field_names"], 2)?;
    let Some(Value::Str(typename)) = a[0].clone() else {
        return Err(type_error("Type names and field names must be strings"));
    };
    let fields = field_names(interp, a[1].as_ref().unwrap_or(&Value::None))?;
    let defaults = match defaults {
        Some(d) => iterate(interp, &d)?,
        None => Vec::new(),
    };
    if defaults.len() > fields.len() {
        return Err(type_error("Got more default values than field names"));
    }
    let typename = typename.to_string();
    let ctor_name = typename.clone();
    let nfields = fields.len();
    let field_values: Vec<Value> = fields.iter().map(|f| Value::str(f)).collect();
    let ctor_fields = fields.clone();
    let ctor = Value::native(typename.clone(), move |_, mut args| {
        let fields = &ctor_fields;
        if !args.pos.is_empty() {
            args.pos.remove(0); // the class
        }
        let mut slots: Vec<Option<Value>> = vec![None; nfields];
        if args.pos.len() > nfields {
            return Err(type_error(format!(
                "{ctor_name}.__new__() takes {} positional arguments but {} were given",
                nfields + 1,
                args.pos.len() + 1
            )));
        }
        for (i, v) in args.pos.into_iter().enumerate() {
            slots[i] = Some(v);
        }
        for (k, v) in args.kw {
            match fields.iter().position(|f| *f == k) {
                Some(i) if slots[i].is_none() => slots[i] = Some(v),
                Some(_) => {
                    return Err(type_error(format!(
                        "{ctor_name}.__new__() got multiple values for argument '{k}'"
                    )));
                }
                None => {
                    return Err(type_error(format!(
                        "{ctor_name}.__new__() got an unexpected keyword argument '{k}'"
                    )));
                }
            }
        }
        let first_default = nfields - defaults.len();
        let mut missing = Vec::new();
        for i in 0..nfields {
            if slots[i].is_none() {
                if i >= first_default {
                    slots[i] = Some(defaults[i - first_default].clone());
                } else {
                    missing.push(format!("'{}'", fields[i]));
                }
            }
        }
        if !missing.is_empty() {
            let n = missing.len();
            let list = match n {
                1 => missing[0].clone(),
                2 => format!("{} and {}", missing[0], missing[1]),
                _ => format!("{}, and {}", missing[..n - 1].join(", "), missing[n - 1]),
            };
            return Err(type_error(format!(
                "{ctor_name}.__new__() missing {n} required positional argument{}: {list}",
                if n == 1 { "" } else { "s" }
            )));
        }
        Ok(Value::NamedTuple(Rc::new(NamedTuple {
            type_name: ctor_name.clone(),
            fields: fields.clone(),
            values: slots
                .into_iter()
                .map(|v| v.unwrap_or(Value::None))
                .collect(),
        })))
    });
    let make_name = typename.clone();
    let make_fields = fields.clone();
    let make = Value::native(format!("{typename}._make"), move |interp, args| {
        let items = iterate(interp, &super::args::one("_make", args)?)?;
        if items.len() != make_fields.len() {
            return Err(type_error(format!(
                "Expected {} arguments, got {}",
                make_fields.len(),
                items.len()
            )));
        }
        Ok(Value::NamedTuple(Rc::new(NamedTuple {
            type_name: make_name.clone(),
            fields: make_fields.clone(),
            values: items,
        })))
    });
    let dict: Dict = Rc::new(RefCell::new(vec![
        (Value::str("__new__"), ctor),
        (
            Value::str("_make"),
            Value::Object(Rc::new(super::descr::StaticMethod(make))),
        ),
        (Value::str("_fields"), Value::tuple(field_values)),
    ]));
    let cls = Class::new(
        &typename,
        typename.clone(),
        "__main__",
        vec![builtin_class("tuple")],
        dict,
    )?;
    Ok(Value::Class(cls))
}

/// `_fields`, `_asdict()` and `_replace(**kw)` of a named tuple value.
pub fn namedtuple_method(v: &Value, name: &str) -> Option<Value> {
    let Value::NamedTuple(nt) = v else {
        return None;
    };
    let nt = nt.clone();
    Some(match name {
        "_fields" => Value::tuple(nt.fields.iter().map(|f| Value::str(f)).collect()),
        "_asdict" => Value::native("_asdict", move |_, _| {
            Ok(Value::Dict(Rc::new(RefCell::new(
                nt.fields
                    .iter()
                    .zip(&nt.values)
                    .map(|(f, v)| (Value::str(f), v.clone()))
                    .collect(),
            ))))
        }),
        "_replace" => Value::native("_replace", move |_, args| {
            let mut values = nt.values.clone();
            for (k, v) in args.kw {
                match nt.fields.iter().position(|f| *f == k) {
                    Some(i) => values[i] = v,
                    None => {
                        return Err(value_error(format!("Got unexpected field names: ['{k}']")));
                    }
                }
            }
            Ok(Value::NamedTuple(Rc::new(NamedTuple {
                type_name: nt.type_name.clone(),
                fields: nt.fields.clone(),
                values,
            })))
        }),
        _ => return None,
    })
}

pub fn module() -> PyResult<Value> {
    let dict_cls = builtin_class("dict");
    let od = ordered_dict(dict_cls.clone())?;
    let dd = defaultdict(dict_cls.clone())?;
    let ct = counter(dict_cls)?;
    let dq = deque(builtin_class("object"))?;
    Ok(make_module(
        "collections",
        vec![
            ("OrderedDict", Value::Class(od)),
            ("defaultdict", Value::Class(dd)),
            ("Counter", Value::Class(ct)),
            ("deque", Value::Class(dq)),
            ("namedtuple", Value::native("namedtuple", namedtuple)),
        ],
    ))
}
