//! `class` statements, calling a class (`__new__` then `__init__`), and zero-argument `super()`.

use super::class::{Class, Dict, Instance};
use super::descr;
use super::interp::{ClassCell, Env, Frame, Interp};
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error};
use crate::syntax::ast::{Arg, ClassDef};
use std::cell::RefCell;
use std::rc::Rc;

impl Interp {
    /// Runs a class body in its own scope and builds the class; decorators apply after.
    pub(crate) fn exec_classdef(&mut self, def: &Rc<ClassDef>, env: &Env) -> PyResult<()> {
        let mut bases = Vec::new();
        for a in &def.bases {
            match a {
                Arg::Pos(e) => {
                    let v = self.eval(e, env)?;
                    bases.push(class_base(&v).map_err(|err| err.with_span(e.span))?);
                }
                Arg::Star(e) => {
                    let v = self.eval(e, env)?;
                    for b in super::ops::iterate(self, &v)? {
                        bases.push(class_base(&b).map_err(|err| err.with_span(e.span))?);
                    }
                }
                // `metaclass=` and class keywords: evaluated, not used.
                Arg::Kw(_, e) | Arg::DoubleStar(e) => {
                    self.eval(e, env)?;
                }
            }
        }
        let qualname = match env {
            Some(frame) if frame.class_body => format!("{}.{}", frame.qualname, def.name),
            Some(frame) if frame.def.is_some() => {
                format!("{}.<locals>.{}", frame.qualname, def.name)
            }
            _ => def.name.to_string(),
        };
        let cell: ClassCell = Rc::new(RefCell::new(None));
        let mut frame = Frame::new(None, Rc::from(qualname.as_str()), env.clone());
        if let Some(f) = Rc::get_mut(&mut frame) {
            f.class_body = true;
            f.class_cell = Some(cell.clone());
        }
        let body_env = Some(frame.clone());
        self.exec_block(&def.body, &body_env)?;
        let mut items: Vec<(Value, Value)> = Vec::new();
        // A class of a prelude module belongs to that module (`torch.optim.sgd`).
        let module_name = module_of(env);
        items.push((Value::str("__module__"), Value::str(&module_name)));
        items.push((Value::str("__qualname__"), Value::str(&qualname)));
        for (k, v) in frame.vars.borrow().iter() {
            // `__new__` is a static method implicitly, as in CPython.
            let v = if &**k == "__new__" && matches!(v, Value::Function(_)) {
                Value::Object(Rc::new(descr::StaticMethod(v.clone())))
            } else if &**k == "__init_subclass__" && matches!(v, Value::Function(_)) {
                Value::Object(Rc::new(descr::ClassMethod(v.clone())))
            } else {
                v.clone()
            };
            items.push((Value::Str(k.clone()), v));
        }
        let dict: Dict = Rc::new(RefCell::new(items));
        let cls = Class::new(&def.name, qualname, &module_name, bases, dict)
            .map_err(|e| e.with_span(def.span))?;
        if let Some(b) = cls
            .bases
            .borrow()
            .iter()
            .find(|b| b.builtin && !subclassable(b))
        {
            return Err(PyErr::new(
                ErrorKind::NotImplementedError,
                format!(
                    "subclassing the built-in type '{}' is not supported",
                    b.name
                ),
            )
            .with_span(def.span));
        }
        *cell.borrow_mut() = Some(cls.clone());
        let mut v = Value::Class(cls.clone());
        let parent_hook = cls
            .mro
            .borrow()
            .iter()
            .filter(|c| !c.builtin)
            .find_map(|c| super::class::dict_get(&c.dict, "__init_subclass__"));
        if let Some(hook) = parent_hook {
            let f = match descr::kind_of(&hook) {
                descr::AttrKind::ClassMethod(f) => f,
                _ => hook,
            };
            self.call_value(&f, Args::new(vec![v.clone()]))?;
        }
        for dec in def.decorators.iter().rev() {
            let d = self.eval(dec, env)?;
            v = self
                .call_value(&d, Args::new(vec![v]))
                .map_err(|e| e.with_span(dec.span))?;
        }
        self.store_name(&def.name, v, env)
    }

    /// `Cls(...)`: built-in types construct natively; classes run `__new__` and `__init__`.
    pub(crate) fn instantiate(&mut self, cls: &Rc<Class>, args: Args) -> PyResult<Value> {
        if cls.builtin && cls.exc_kind.is_none() {
            return super::builtins::construct(self, &cls.name, args);
        }
        let user_new = cls.hook("__new__");
        let obj = match &user_new {
            Some(new) => {
                let f = match descr::kind_of(new) {
                    descr::AttrKind::Static(f) => f,
                    _ => new.clone(),
                };
                let mut pos = Vec::with_capacity(args.pos.len() + 1);
                pos.push(Value::Class(cls.clone()));
                pos.extend(args.pos.iter().cloned());
                let obj = self.call_value(
                    &f,
                    Args {
                        pos,
                        kw: args.kw.clone(),
                    },
                )?;
                if !super::class::is_instance(&obj, cls) {
                    return Ok(obj);
                }
                obj
            }
            None => {
                let inst = Instance::new(cls.clone());
                if let Some(state) = &inst.exc {
                    state.borrow_mut().args = args.pos.clone();
                }
                Value::Instance(inst)
            }
        };
        match cls.hook("__init__") {
            Some(init) => {
                let mut pos = Vec::with_capacity(args.pos.len() + 1);
                pos.push(obj.clone());
                pos.extend(args.pos);
                let r = self.call_value(&init, Args { pos, kw: args.kw })?;
                if !matches!(r, Value::None) {
                    return Err(type_error(format!(
                        "__init__() should return None, not '{}'",
                        r.type_name()
                    )));
                }
            }
            None => {
                let takes_args = !args.pos.is_empty() || !args.kw.is_empty();
                if takes_args && user_new.is_none() && cls.exception_kind().is_none() {
                    return Err(type_error(format!("{}() takes no arguments", cls.name)));
                }
            }
        }
        Ok(obj)
    }

    /// Zero-argument `super()`: the class the running method was defined in, and its first
    /// argument.
    pub(crate) fn zero_arg_super(&mut self, env: &Env) -> PyResult<Value> {
        let mut f = env.clone();
        while let Some(frame) = f {
            if let Some(def) = &frame.def {
                let Some(first) = def.params.first() else {
                    return Err(PyErr::new(ErrorKind::RuntimeError, "super(): no arguments"));
                };
                let Some(cell) = &frame.class_cell else {
                    return Err(PyErr::new(
                        ErrorKind::RuntimeError,
                        "super(): __class__ cell not found",
                    ));
                };
                let Some(obj) = frame.vars.borrow().get(&first.name).cloned() else {
                    return Err(PyErr::new(
                        ErrorKind::RuntimeError,
                        "super(): arg[0] deleted",
                    ));
                };
                let Some(cls) = cell.borrow().clone() else {
                    return Err(PyErr::new(
                        ErrorKind::RuntimeError,
                        "super(): empty __class__ cell",
                    ));
                };
                return descr::make_super(cls, obj);
            }
            f = frame.parent.clone();
        }
        Err(PyErr::new(ErrorKind::RuntimeError, "super(): no arguments"))
    }
}

/// Built-in classes a `class` statement may derive from.
fn subclassable(c: &Class) -> bool {
    c.exc_kind.is_some() || &*c.name == "object"
}

fn class_base(v: &Value) -> PyResult<Rc<Class>> {
    match v {
        Value::Class(c) => Ok(c.clone()),
        other => Err(type_error(format!(
            "bases must be types, not '{}'",
            other.type_name()
        ))),
    }
}

/// `super(...)` called with arguments (`super(Cls, self)`), or as a value.
pub fn super_builtin(args: Args) -> PyResult<Value> {
    match args.pos.as_slice() {
        [Value::Class(c), obj] => descr::make_super(c.clone(), obj.clone()),
        [_, _] => Err(type_error("super() argument 1 must be a type")),
        [] => Err(PyErr::new(ErrorKind::RuntimeError, "super(): no arguments")),
        _ => Err(type_error("super() takes 1 or 2 arguments")),
    }
}

/// The `__name__` of the module a scope belongs to: a prelude module's frame binds it; session
/// code is `__main__`.
fn module_of(env: &Env) -> String {
    let mut f = env.clone();
    while let Some(frame) = f {
        if frame.def.is_none()
            && !frame.class_body
            && let Some(Value::Str(s)) = frame.vars.borrow().get("__name__")
        {
            return s.to_string();
        }
        f = frame.parent.clone();
    }
    "__main__".to_string()
}
