//! Attribute access on classes and instances (CPython's `object.__getattribute__` /
//! `type.__getattribute__` order), the descriptors `property`, `staticmethod` and
//! `classmethod`, bound methods, `super()`, and `object`'s own methods.

use super::class::{BoundMethod, Class, Instance, class_of, dict_get, dict_set};
use super::interp::Interp;
use super::objects::downcast;
use super::value::{Args, Object, Value};
use crate::error::{ErrorKind, PyResult, attribute_error, type_error};
use std::any::Any;
use std::rc::Rc;

/// `property(fget, fset, fdel, doc)`.
pub struct Property {
    pub fget: Value,
    pub fset: Value,
    pub fdel: Value,
    /// The attribute name, for errors (the getter's `__name__`).
    pub name: String,
}

pub struct StaticMethod(pub Value);
pub struct ClassMethod(pub Value);

/// `super()` bound: look up after `start` in `obj`'s MRO.
pub struct Super {
    pub start: Rc<Class>,
    pub obj: Value,
}

/// What a class attribute is, for binding.
pub enum AttrKind {
    Function,
    Static(Value),
    ClassMethod(Value),
    Property,
    Plain,
}

pub fn kind_of(v: &Value) -> AttrKind {
    match v {
        Value::Function(_) | Value::Native(_) => AttrKind::Function,
        Value::Object(_) => {
            if let Some(s) = downcast::<StaticMethod>(v) {
                AttrKind::Static(s.0.clone())
            } else if let Some(c) = downcast::<ClassMethod>(v) {
                AttrKind::ClassMethod(c.0.clone())
            } else if downcast::<Property>(v).is_some() {
                AttrKind::Property
            } else {
                AttrKind::Plain
            }
        }
        _ => AttrKind::Plain,
    }
}

pub fn bound(recv: Value, func: Value) -> Value {
    Value::BoundMethod(Rc::new(BoundMethod { recv, func }))
}

fn function_name(v: &Value) -> String {
    match v {
        Value::Function(f) => f.name.clone(),
        Value::Native(n) => n.name.rsplit('.').next().unwrap_or(&n.name).to_string(),
        _ => String::new(),
    }
}

/// Binds a class attribute found for `recv` (an instance, or the class itself when `recv` is
/// `None`): functions become bound methods on instances, class methods bind the class,
/// properties run their getter.
fn bind_found(
    interp: &mut Interp,
    found: Value,
    recv: Option<&Value>,
    cls: &Rc<Class>,
) -> PyResult<Value> {
    Ok(match kind_of(&found) {
        AttrKind::Function => match recv {
            Some(r) => bound(r.clone(), found),
            None => found,
        },
        AttrKind::Static(f) => f,
        AttrKind::ClassMethod(f) => bound(Value::Class(cls.clone()), f),
        AttrKind::Property => match recv {
            Some(r) => {
                let p = downcast::<Property>(&found).map(|p| (p.fget.clone(), p.name.clone()));
                let (fget, name) = p.unwrap_or((Value::None, String::new()));
                if matches!(fget, Value::None) {
                    return Err(attribute_error(format!(
                        "property '{name}' of '{}' object has no getter",
                        cls.name
                    )));
                }
                interp.call_value(&fget, Args::new(vec![r.clone()]))?
            }
            None => found,
        },
        AttrKind::Plain => found,
    })
}

/// The plain function `inst.name` would bind, when nothing can intercept the lookup (no
/// `__getattribute__` hook, no instance attribute of that name): the method-call fast path.
pub fn plain_method(inst: &Rc<Instance>, name: &str) -> Option<Rc<super::interp::UserFunction>> {
    let Some(Value::Function(f)) = inst.class.lookup(name) else {
        return None;
    };
    if inst.class.hook("__getattribute__").is_some() || dict_get(&inst.dict, name).is_some() {
        return None;
    }
    Some(f)
}

/// `inst.name` without `__getattr__` (CPython's `object.__getattribute__`).
pub fn generic_getattr(interp: &mut Interp, v: &Value, name: &str) -> PyResult<Option<Value>> {
    let Value::Instance(inst) = v else {
        return Ok(None);
    };
    let cls = &inst.class;
    let found = cls.lookup(name);
    if let Some(f) = &found
        && matches!(kind_of(f), AttrKind::Property)
    {
        return bind_found(interp, f.clone(), Some(v), cls).map(Some);
    }
    if let Some(x) = dict_get(&inst.dict, name) {
        return Ok(Some(x));
    }
    if let Some(f) = found {
        return bind_found(interp, f, Some(v), cls).map(Some);
    }
    Ok(match name {
        "__class__" => Some(Value::Class(cls.clone())),
        "__dict__" => Some(Value::Dict(inst.dict.clone())),
        _ => super::exceptions::exc_attr(inst, name),
    })
}

/// `inst.name`: a user `__getattribute__` if the class has one, then the generic lookup, then
/// `__getattr__`; CPython's AttributeError otherwise.
pub fn instance_getattr(
    interp: &mut Interp,
    v: &Value,
    inst: &Rc<Instance>,
    name: &str,
) -> PyResult<Value> {
    let cls = &inst.class;
    let result = match cls.hook("__getattribute__") {
        Some(f) => interp
            .call_value(&f, Args::new(vec![v.clone(), Value::str(name)]))
            .map(Some),
        None => generic_getattr(interp, v, name),
    };
    match result {
        Ok(Some(x)) => return Ok(x),
        Ok(None) => {}
        Err(e) if e.kind == ErrorKind::AttributeError && cls.hook("__getattr__").is_some() => {}
        Err(e) => return Err(e),
    }
    if let Some(f) = cls.hook("__getattr__") {
        return interp.call_value(&f, Args::new(vec![v.clone(), Value::str(name)]));
    }
    Err(attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        cls.name
    )))
}

/// `Cls.name`.
pub fn class_getattr(interp: &mut Interp, cls: &Rc<Class>, name: &str) -> PyResult<Option<Value>> {
    if let Some(f) = cls.lookup(name) {
        return bind_found(interp, f, None, cls).map(Some);
    }
    Ok(Some(match name {
        "__name__" => Value::Str(cls.name.clone()),
        "__qualname__" => Value::str(&cls.qualname),
        "__module__" => Value::Str(cls.module.clone()),
        "__mro__" => Value::tuple(cls.mro_list().into_iter().map(Value::Class).collect()),
        "__bases__" => Value::tuple(
            cls.bases
                .borrow()
                .iter()
                .cloned()
                .map(Value::Class)
                .collect(),
        ),
        "__base__" => match cls.bases.borrow().first() {
            Some(b) => Value::Class(b.clone()),
            None => Value::None,
        },
        "__dict__" => Value::Dict(Rc::new(std::cell::RefCell::new(cls.dict.borrow().clone()))),
        "__doc__" => Value::None,
        "__class__" => Value::class("type"),
        "mro" => {
            let c = cls.clone();
            Value::native("mro", move |_, _| {
                Ok(Value::list(
                    c.mro_list().into_iter().map(Value::Class).collect(),
                ))
            })
        }
        _ => {
            if cls.builtin {
                return Ok(super::methods::type_attr(&cls.name, name));
            }
            return Ok(None);
        }
    }))
}

/// `obj.name = value` without a user `__setattr__` (CPython's `object.__setattr__`).
pub fn generic_setattr(interp: &mut Interp, v: &Value, name: &str, value: Value) -> PyResult<()> {
    let Value::Instance(inst) = v else {
        return Err(attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            v.type_name()
        )));
    };
    if let Some(f) = inst.class.lookup(name)
        && let Some(p) = downcast::<Property>(&f)
    {
        if matches!(p.fset, Value::None) {
            return Err(attribute_error(format!(
                "property '{}' of '{}' object has no setter",
                p.name, inst.class.name
            )));
        }
        let fset = p.fset.clone();
        interp.call_value(&fset, Args::new(vec![v.clone(), value]))?;
        return Ok(());
    }
    if super::exceptions::set_exc_attr(inst, name, &value) {
        return Ok(());
    }
    dict_set(&inst.dict, name, value);
    Ok(())
}

pub fn instance_setattr(
    interp: &mut Interp,
    v: &Value,
    inst: &Rc<Instance>,
    name: &str,
    value: Value,
) -> PyResult<()> {
    match inst.class.hook("__setattr__") {
        Some(f) => {
            interp.call_value(&f, Args::new(vec![v.clone(), Value::str(name), value]))?;
            Ok(())
        }
        None => generic_setattr(interp, v, name, value),
    }
}

pub fn generic_delattr(interp: &mut Interp, v: &Value, name: &str) -> PyResult<()> {
    let Value::Instance(inst) = v else {
        return Err(attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            v.type_name()
        )));
    };
    if let Some(f) = inst.class.lookup(name)
        && let Some(p) = downcast::<Property>(&f)
    {
        if matches!(p.fdel, Value::None) {
            return Err(attribute_error(format!(
                "property '{}' of '{}' object has no deleter",
                p.name, inst.class.name
            )));
        }
        let fdel = p.fdel.clone();
        interp.call_value(&fdel, Args::new(vec![v.clone()]))?;
        return Ok(());
    }
    if super::class::dict_del(&inst.dict, name) {
        return Ok(());
    }
    Err(attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        inst.class.name
    )))
}

pub fn instance_delattr(
    interp: &mut Interp,
    v: &Value,
    inst: &Rc<Instance>,
    name: &str,
) -> PyResult<()> {
    match inst.class.hook("__delattr__") {
        Some(f) => {
            interp.call_value(&f, Args::new(vec![v.clone(), Value::str(name)]))?;
            Ok(())
        }
        None => generic_delattr(interp, v, name),
    }
}

/// `Cls.name = value`.
pub fn class_setattr(cls: &Rc<Class>, name: &str, value: Value) -> PyResult<()> {
    if cls.builtin {
        return Err(type_error(format!(
            "cannot set '{name}' attribute of immutable type '{}'",
            cls.name
        )));
    }
    if name == "__bases__" {
        let items = match &value {
            Value::Tuple(t) => t.to_vec(),
            other => {
                return Err(type_error(format!(
                    "can only assign tuple to {}.__bases__, not {}",
                    cls.name,
                    other.type_name()
                )));
            }
        };
        let mut bases = Vec::new();
        for b in items {
            match b {
                Value::Class(c) => bases.push(c),
                other => {
                    return Err(type_error(format!(
                        "{}.__bases__ must be tuple of classes, not '{}'",
                        cls.name,
                        other.type_name()
                    )));
                }
            }
        }
        return cls.set_bases(bases);
    }
    cls.set_attr(name, value);
    Ok(())
}

// ----- the descriptor objects -----

fn arg0(args: &Args, what: &str) -> PyResult<Value> {
    args.pos
        .first()
        .cloned()
        .ok_or_else(|| type_error(format!("{what} expected 1 argument, got 0")))
}

pub fn make_property(args: Args) -> PyResult<Value> {
    let a = super::args::bind("property", args, &["fget", "fset", "fdel", "doc"], 0)?;
    let get = |i: usize| a[i].clone().unwrap_or(Value::None);
    let fget = get(0);
    Ok(Value::Object(Rc::new(Property {
        name: function_name(&fget),
        fget,
        fset: get(1),
        fdel: get(2),
    })))
}

impl Object for Property {
    fn type_name(&self) -> String {
        "property".into()
    }
    fn repr(&self) -> String {
        "<property object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        let with = |which: usize, p: &Property| {
            let (fget, fset, fdel, pname) = (
                p.fget.clone(),
                p.fset.clone(),
                p.fdel.clone(),
                p.name.clone(),
            );
            Value::native(format!("property.{name}"), move |_, args| {
                let f = arg0(&args, "descriptor")?;
                let mut parts = [fget.clone(), fset.clone(), fdel.clone()];
                let pname = if which == 0 {
                    function_name(&f)
                } else {
                    pname.clone()
                };
                parts[which] = f;
                let [fget, fset, fdel] = parts;
                Ok(Value::Object(Rc::new(Property {
                    fget,
                    fset,
                    fdel,
                    name: pname,
                })))
            })
        };
        Ok(match name {
            "getter" => Some(with(0, self)),
            "setter" => Some(with(1, self)),
            "deleter" => Some(with(2, self)),
            "fget" => Some(self.fget.clone()),
            "fset" => Some(self.fset.clone()),
            "fdel" => Some(self.fdel.clone()),
            "__doc__" => Some(Value::None),
            _ => None,
        })
    }
    fn attr_names(&self) -> Vec<String> {
        ["deleter", "fdel", "fget", "fset", "getter", "setter"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for StaticMethod {
    fn type_name(&self) -> String {
        "staticmethod".into()
    }
    fn repr(&self) -> String {
        "<staticmethod object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok((name == "__func__").then(|| self.0.clone()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for ClassMethod {
    fn type_name(&self) -> String {
        "classmethod".into()
    }
    fn repr(&self) -> String {
        "<classmethod object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok((name == "__func__").then(|| self.0.clone()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Super {
    fn obj_class(&self) -> Rc<Class> {
        match &self.obj {
            Value::Class(c) => c.clone(),
            other => class_of(other),
        }
    }
    /// The first class after `start` in the object's MRO that has `name`.
    fn find(&self, name: &str) -> Option<Value> {
        let mro = self.obj_class().mro_list();
        let pos = mro.iter().position(|c| Rc::ptr_eq(c, &self.start))?;
        mro[pos + 1..].iter().find_map(|c| dict_get(&c.dict, name))
    }
}

impl Object for Super {
    fn type_name(&self) -> String {
        "super".into()
    }
    fn repr(&self) -> String {
        format!(
            "<super: <class '{}'>, <{} object>>",
            self.start.name,
            self.obj_class().name
        )
    }
    fn get_attr(&self, interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        let Some(found) = self.find(name) else {
            if name == "__class__" {
                return Ok(Some(Value::class("super")));
            }
            return Err(attribute_error(format!(
                "'super' object has no attribute '{name}'"
            )));
        };
        let cls = self.obj_class();
        match &self.obj {
            Value::Class(_) => bind_found(interp, found, None, &cls).map(Some),
            obj => bind_found(interp, found, Some(obj), &cls).map(Some),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `super()` with no arguments inside a method: the defining class and the first argument.
pub fn make_super(start: Rc<Class>, obj: Value) -> PyResult<Value> {
    let ok = match &obj {
        Value::Class(c) => super::class::is_subclass(c, &start),
        other => super::class::is_instance(other, &start),
    };
    if !ok {
        return Err(type_error(
            "super(type, obj): obj must be an instance or subtype of type",
        ));
    }
    Ok(Value::Object(Rc::new(Super { start, obj })))
}

/// `object`'s methods, in its class dict so `object.__setattr__(self, ...)` and
/// `super().__init__()` find them.
pub fn object_methods() -> Vec<(&'static str, Value)> {
    fn name_arg(args: &Args, i: usize) -> PyResult<Rc<str>> {
        match args.pos.get(i) {
            Some(Value::Str(s)) => Ok(s.clone()),
            Some(other) => Err(type_error(format!(
                "attribute name must be string, not '{}'",
                other.type_name()
            ))),
            None => Err(type_error("expected an attribute name")),
        }
    }
    vec![
        (
            "__init__",
            Value::native("object.__init__", |_, args| {
                if args.pos.len() > 1 || !args.kw.is_empty() {
                    return Err(type_error(
                        "object.__init__() takes exactly one argument (the instance to initialize)",
                    ));
                }
                Ok(Value::None)
            }),
        ),
        (
            "__new__",
            Value::native("object.__new__", |_, args| match args.pos.first() {
                Some(Value::Class(c)) => Ok(Value::Instance(Instance::new(c.clone()))),
                Some(other) => Err(type_error(format!(
                    "object.__new__(X): X is not a type object ({})",
                    other.type_name()
                ))),
                None => Err(type_error("object.__new__(): not enough arguments")),
            }),
        ),
        (
            "__setattr__",
            Value::native("object.__setattr__", |interp, args| {
                let name = name_arg(&args, 1)?;
                let value = args.pos.get(2).cloned().unwrap_or(Value::None);
                generic_setattr(interp, &args.pos[0], &name, value)?;
                Ok(Value::None)
            }),
        ),
        (
            "__getattribute__",
            Value::native("object.__getattribute__", |interp, args| {
                let name = name_arg(&args, 1)?;
                let v = &args.pos[0];
                match generic_getattr(interp, v, &name)? {
                    Some(x) => Ok(x),
                    None => Err(attribute_error(format!(
                        "'{}' object has no attribute '{name}'",
                        v.type_name()
                    ))),
                }
            }),
        ),
        (
            "__delattr__",
            Value::native("object.__delattr__", |interp, args| {
                let name = name_arg(&args, 1)?;
                generic_delattr(interp, &args.pos[0], &name)?;
                Ok(Value::None)
            }),
        ),
        (
            "__repr__",
            Value::native("object.__repr__", |_, args| {
                let v = arg0(&args, "__repr__")?;
                Ok(Value::str(&super::special::default_repr(&v)))
            }),
        ),
        (
            "__str__",
            Value::native("object.__str__", |interp, args| {
                let v = arg0(&args, "__str__")?;
                Ok(Value::str(&interp.repr(&v)?))
            }),
        ),
        (
            "__eq__",
            Value::native("object.__eq__", |_, args| {
                if args.pos.len() == 2 && super::ops::is_same(&args.pos[0], &args.pos[1]) {
                    Ok(Value::Bool(true))
                } else {
                    Ok(Value::NotImplemented)
                }
            }),
        ),
        (
            "__ne__",
            Value::native("object.__ne__", |interp, args| {
                if args.pos.len() != 2 {
                    return Ok(Value::NotImplemented);
                }
                let cls = class_of(&args.pos[0]);
                let Some(eq) = cls.lookup("__eq__") else {
                    return Ok(Value::NotImplemented);
                };
                match interp.call_value(&eq, Args::new(args.pos.clone()))? {
                    Value::NotImplemented => Ok(Value::NotImplemented),
                    r => Ok(Value::Bool(!interp.truthy(&r)?)),
                }
            }),
        ),
        (
            "__hash__",
            Value::native("object.__hash__", |_, args| {
                let v = arg0(&args, "__hash__")?;
                Ok(Value::Int(super::special::identity(&v)))
            }),
        ),
        (
            "__init_subclass__",
            Value::Object(Rc::new(ClassMethod(Value::native(
                "object.__init_subclass__",
                |_, _| Ok(Value::None),
            )))),
        ),
    ]
}
