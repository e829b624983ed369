//! The object model: one `Class` for user classes and built-in types alike (`int`, `Tensor`,
//! `ValueError`, ...), and `Instance`, an object of a user class. `type(x)`, `isinstance`,
//! `issubclass`, `__mro__` and attribute lookup all go through here.

use super::value::Value;
use crate::error::{ErrorKind, PyResult, type_error};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// An attribute dict: insertion-ordered, keyed by `Value::Str` (shared with `__dict__`).
pub type Dict = Rc<RefCell<Vec<(Value, Value)>>>;

thread_local! {
    /// Bumped by every change to any class's dict or bases: lookup caches compare it.
    static VERSION: Cell<u64> = const { Cell::new(0) };
    static BUILTINS: RefCell<HashMap<String, Rc<Class>>> = RefCell::new(HashMap::new());
}

pub fn bump_version() {
    VERSION.with(|v| v.set(v.get() + 1));
}

fn version() -> u64 {
    VERSION.with(|v| v.get())
}

/// A cached lookup: the value found and whether it was found on `object` (a default, so no hook).
type CacheEntry = Option<(Value, bool)>;

pub struct Class {
    pub name: Rc<str>,
    pub qualname: String,
    /// `__module__`: `__main__` for classes of the session, `builtins`, `torch`, ...
    pub module: Rc<str>,
    pub bases: RefCell<Vec<Rc<Class>>>,
    /// The method resolution order after the class itself (kept apart so no `Rc` cycle).
    pub mro: RefCell<Vec<Rc<Class>>>,
    pub dict: Dict,
    /// The built-in exception this class is (built-in exception classes only).
    pub exc_kind: Option<ErrorKind>,
    /// A built-in type (not created by a `class` statement).
    pub builtin: bool,
    cache: RefCell<(u64, HashMap<Rc<str>, CacheEntry>)>,
}

/// An object of a user class: its attributes, and for exceptions their `args` and cause.
pub struct Instance {
    pub class: Rc<Class>,
    pub dict: Dict,
    pub exc: Option<RefCell<ExcState>>,
}

/// What a `BaseException` carries besides its `__dict__`.
#[derive(Default)]
pub struct ExcState {
    pub args: Vec<Value>,
    pub cause: Option<Value>,
    pub context: Option<Value>,
}

/// A function bound to the object it was looked up on (`p.norm2`).
pub struct BoundMethod {
    pub recv: Value,
    pub func: Value,
}

pub fn dict_get(d: &Dict, name: &str) -> Option<Value> {
    d.borrow().iter().find_map(|(k, v)| match k {
        Value::Str(s) if &**s == name => Some(v.clone()),
        _ => None,
    })
}

pub fn dict_set(d: &Dict, name: &str, value: Value) {
    let mut d = d.borrow_mut();
    for (k, v) in d.iter_mut() {
        if let Value::Str(s) = k
            && &**s == name
        {
            *v = value;
            return;
        }
    }
    d.push((Value::str(name), value));
}

pub fn dict_del(d: &Dict, name: &str) -> bool {
    let mut d = d.borrow_mut();
    match d
        .iter()
        .position(|(k, _)| matches!(k, Value::Str(s) if &**s == name))
    {
        Some(i) => {
            d.remove(i);
            true
        }
        None => false,
    }
}

impl Class {
    pub fn new(
        name: &str,
        qualname: String,
        module: &str,
        bases: Vec<Rc<Class>>,
        dict: Dict,
    ) -> PyResult<Rc<Class>> {
        let bases = if bases.is_empty() && name != "object" {
            vec![builtin_class("object")]
        } else {
            bases
        };
        let mro = c3_merge(&bases)?;
        bump_version();
        Ok(Rc::new(Class {
            name: Rc::from(name),
            qualname,
            module: Rc::from(module),
            bases: RefCell::new(bases),
            mro: RefCell::new(mro),
            dict,
            exc_kind: None,
            builtin: false,
            cache: RefCell::new((0, HashMap::new())),
        }))
    }

    /// `__mro__`: the class, then its resolution order.
    pub fn mro_list(self: &Rc<Class>) -> Vec<Rc<Class>> {
        let mut out = vec![self.clone()];
        out.extend(self.mro.borrow().iter().cloned());
        out
    }

    fn find(self: &Rc<Class>, name: &str) -> CacheEntry {
        if let Some(v) = dict_get(&self.dict, name) {
            return Some((v, &*self.name == "object" && self.builtin));
        }
        for c in self.mro.borrow().iter() {
            if let Some(v) = dict_get(&c.dict, name) {
                return Some((v, &*c.name == "object" && c.builtin));
            }
        }
        None
    }

    fn cached(self: &Rc<Class>, name: &str) -> CacheEntry {
        let now = version();
        {
            let mut cache = self.cache.borrow_mut();
            if cache.0 != now {
                cache.1.clear();
                cache.0 = now;
            } else if let Some(hit) = cache.1.get(name) {
                return hit.clone();
            }
        }
        let found = self.find(name);
        self.cache
            .borrow_mut()
            .1
            .insert(Rc::from(name), found.clone());
        found
    }

    /// An attribute found along the MRO (the class's own dict first), cached.
    pub fn lookup(self: &Rc<Class>, name: &str) -> Option<Value> {
        self.cached(name).map(|(v, _)| v)
    }

    /// Like `lookup`, but `None` when only `object`'s default is there: a hook the class (or a
    /// base) defines, such as `__setattr__` or `__getattr__`.
    pub fn hook(self: &Rc<Class>, name: &str) -> Option<Value> {
        match self.cached(name) {
            Some((v, false)) => Some(v),
            _ => None,
        }
    }

    /// Sets a class attribute (`Point.dims = 3`).
    pub fn set_attr(&self, name: &str, value: Value) {
        dict_set(&self.dict, name, value);
        bump_version();
    }

    pub fn del_attr(&self, name: &str) -> bool {
        let found = dict_del(&self.dict, name);
        bump_version();
        found
    }

    /// The built-in exception this class is or derives from.
    pub fn exception_kind(self: &Rc<Class>) -> Option<ErrorKind> {
        self.exc_kind
            .or_else(|| self.mro.borrow().iter().find_map(|c| c.exc_kind))
    }

    /// `__bases__ = (...)`: refused when it would make a cycle; the MRO is recomputed.
    pub fn set_bases(self: &Rc<Class>, bases: Vec<Rc<Class>>) -> PyResult<()> {
        if bases.is_empty() {
            return Err(type_error(format!(
                "can only assign non-empty tuple to {}.__bases__, not ()",
                self.name
            )));
        }
        if bases.iter().any(|b| is_subclass(b, self)) {
            return Err(type_error("a __bases__ item causes an inheritance cycle"));
        }
        let mro = c3_merge(&bases)?;
        *self.bases.borrow_mut() = bases;
        *self.mro.borrow_mut() = mro;
        bump_version();
        Ok(())
    }
}

/// `issubclass(a, b)`.
pub fn is_subclass(a: &Rc<Class>, b: &Rc<Class>) -> bool {
    Rc::ptr_eq(a, b) || a.mro.borrow().iter().any(|c| Rc::ptr_eq(c, b))
}

/// C3 linearization of the bases' MROs (the class itself excluded), CPython's error when
/// there is none.
fn c3_merge(bases: &[Rc<Class>]) -> PyResult<Vec<Rc<Class>>> {
    for (i, b) in bases.iter().enumerate() {
        if bases[..i].iter().any(|o| Rc::ptr_eq(o, b)) {
            return Err(type_error(format!("duplicate base class {}", b.name)));
        }
    }
    let mut seqs: Vec<Vec<Rc<Class>>> = bases.iter().map(|b| b.mro_list()).collect();
    seqs.push(bases.to_vec());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let candidate = seqs.iter().map(|s| s[0].clone()).find(|head| {
            !seqs
                .iter()
                .any(|s| s[1..].iter().any(|c| Rc::ptr_eq(c, head)))
        });
        let Some(head) = candidate else {
            let mut names: Vec<String> = Vec::new();
            for s in &seqs {
                let n = s[0].name.to_string();
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            return Err(type_error(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            )));
        };
        for s in seqs.iter_mut() {
            if Rc::ptr_eq(&s[0], &head) {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

/// Base and module of each built-in type that is not a plain subclass of `object` in `builtins`.
fn builtin_spec(name: &str) -> (&'static str, &'static str) {
    if let Some(kind) = ErrorKind::from_name(name) {
        return (super::exceptions::parent(kind), "builtins");
    }
    match name {
        "object" => ("", "builtins"),
        "bool" => ("int", "builtins"),
        "Size" => ("tuple", "torch"),
        "Tensor" | "dtype" | "Generator" | "device" => ("object", "torch"),
        _ => ("object", "builtins"),
    }
}

/// The class object of a built-in type, by `__name__` (created once per thread; names no
/// table knows, such as `MulBackward0`, become subclasses of `object`).
pub fn builtin_class(name: &str) -> Rc<Class> {
    if let Some(c) = BUILTINS.with(|b| b.borrow().get(name).cloned()) {
        return c;
    }
    let (base, module) = builtin_spec(name);
    let bases = if base.is_empty() {
        Vec::new()
    } else {
        vec![builtin_class(base)]
    };
    let mro = c3_merge(&bases).unwrap_or_default();
    let exc_kind = ErrorKind::from_name(name);
    let dict: Dict = Rc::new(RefCell::new(Vec::new()));
    let c = Rc::new(Class {
        name: Rc::from(name),
        qualname: name.to_string(),
        module: Rc::from(module),
        bases: RefCell::new(bases),
        mro: RefCell::new(mro),
        dict,
        exc_kind,
        builtin: true,
        cache: RefCell::new((0, HashMap::new())),
    });
    BUILTINS.with(|b| b.borrow_mut().insert(name.to_string(), c.clone()));
    // The methods a built-in class defines in the language (`object.__setattr__`,
    // `BaseException.__init__`, ...), installed after registration so they can refer to it.
    for (n, f) in super::special::builtin_methods(name) {
        dict_set(&c.dict, n, f);
    }
    bump_version();
    c
}

/// `type(v)`.
pub fn class_of(v: &Value) -> Rc<Class> {
    match v {
        Value::Instance(i) => i.class.clone(),
        Value::Class(_) => builtin_class("type"),
        other => builtin_class(&other.type_name()),
    }
}

/// `isinstance(v, cls)`.
pub fn is_instance(v: &Value, cls: &Rc<Class>) -> bool {
    if cls.builtin && &*cls.name == "object" {
        return true;
    }
    is_subclass(&class_of(v), cls)
}

impl Instance {
    pub fn new(class: Rc<Class>) -> Rc<Instance> {
        let exc = class
            .exception_kind()
            .map(|_| RefCell::new(ExcState::default()));
        Rc::new(Instance {
            class,
            dict: Rc::new(RefCell::new(Vec::new())),
            exc,
        })
    }
}
