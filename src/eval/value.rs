//! Python values. Containers are shared (`Rc`) as Python references are; dict order is
//! insertion order (no hash-map ordering ever reaches the output).

use super::class::{BoundMethod, Class, Instance};
use super::interp::{Interp, UserFunction};
use crate::array::DType;
use crate::autograd::Tensor;
use crate::error::PyResult;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// Positional and keyword arguments of a call.
#[derive(Clone, Default, Debug)]
pub struct Args {
    pub pos: Vec<Value>,
    pub kw: Vec<(String, Value)>,
}

impl Args {
    pub fn new(pos: Vec<Value>) -> Args {
        Args {
            pos,
            kw: Vec::new(),
        }
    }
}

/// A function implemented in Rust (a builtin, a torch function, a bound method, a closure
/// returned by `torch.func.grad`, `functools.partial`, ...).
pub struct NativeFunction {
    /// Qualified name used in reprs and errors, e.g. `sum`, `Tensor.backward`.
    pub name: String,
    #[allow(clippy::type_complexity)]
    pub func: Box<dyn Fn(&mut Interp, Args) -> PyResult<Value>>,
}

/// Any other Python object (grad_fn nodes, generators, context managers, dtype-less objects).
pub trait Object {
    /// `type(obj).__name__`.
    fn type_name(&self) -> String;
    /// `repr(obj)`; must not contain addresses.
    fn repr(&self) -> String;
    /// `obj.name`; None → AttributeError.
    fn get_attr(&self, _interp: &mut Interp, _name: &str) -> PyResult<Option<Value>> {
        Ok(None)
    }
    /// `with obj:` entry; the default is "not a context manager".
    fn enter(&self, _interp: &mut Interp) -> PyResult<Value> {
        Err(crate::error::type_error(format!(
            "'{}' object does not support the context manager protocol",
            self.type_name()
        )))
    }
    fn exit(&self, _interp: &mut Interp) -> PyResult<()> {
        Ok(())
    }
    /// An iterator object (`next()` works on it).
    fn is_iterator(&self) -> bool {
        false
    }
    /// `next(obj)`: `None` when not an iterator, else the next item (`Ok(None)` = exhausted).
    fn iter_next(&self, _interp: &mut Interp) -> Option<PyResult<Option<Value>>> {
        None
    }
    /// Attribute names for `dir()` and completion.
    fn attr_names(&self) -> Vec<String> {
        Vec::new()
    }
    /// `obj(...)`; the default is "not callable".
    fn call(&self, _interp: &mut Interp, _args: Args) -> PyResult<Value> {
        Err(crate::error::type_error(format!(
            "'{}' object is not callable",
            self.type_name()
        )))
    }
    fn as_any(&self) -> &dyn Any;
}

/// A module (`torch`, `torch.autograd`, `math`, ...): attributes in sorted order.
pub struct Module {
    pub name: String,
    pub attrs: RefCell<std::collections::BTreeMap<String, Value>>,
}

/// A named tuple such as `torch.return_types.max(values=..., indices=...)`.
pub struct NamedTuple {
    /// Printed type name, e.g. `torch.return_types.max`.
    pub type_name: String,
    pub fields: Vec<String>,
    pub values: Vec<Value>,
}

#[derive(Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<Value>>>),
    Tuple(Rc<Vec<Value>>),
    /// Insertion-ordered dict; keys compared with Python equality.
    Dict(Rc<RefCell<Vec<(Value, Value)>>>),
    Range(i64, i64, i64),
    Slice(Rc<(Value, Value, Value)>),
    Ellipsis,
    Tensor(Tensor),
    DType(DType),
    /// `torch.Size([2, 3])`.
    Size(Rc<Vec<usize>>),
    Function(Rc<UserFunction>),
    Native(Rc<NativeFunction>),
    Module(Rc<Module>),
    NamedTuple(Rc<NamedTuple>),
    /// A class: a user class or a built-in type such as `int`, `torch.Tensor`, `ValueError`.
    Class(Rc<Class>),
    /// An object of a user class (exception instances included).
    Instance(Rc<Instance>),
    /// A function bound to the object it was looked up on.
    BoundMethod(Rc<BoundMethod>),
    NotImplemented,
    Object(Rc<dyn Object>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }
    pub fn native(
        name: impl Into<String>,
        func: impl Fn(&mut Interp, Args) -> PyResult<Value> + 'static,
    ) -> Value {
        Value::Native(Rc::new(NativeFunction {
            name: name.into(),
            func: Box::new(func),
        }))
    }
    /// A built-in class by name (`Value::class("int")`).
    pub fn class(name: &str) -> Value {
        Value::Class(super::class::builtin_class(name))
    }
    /// `type(v).__name__`.
    pub fn type_name(&self) -> String {
        match self {
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::List(_) => "list".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::Dict(_) => "dict".into(),
            Value::Range(..) => "range".into(),
            Value::Slice(_) => "slice".into(),
            Value::Ellipsis => "ellipsis".into(),
            Value::Tensor(_) => "Tensor".into(),
            Value::DType(_) => "dtype".into(),
            Value::Size(_) => "Size".into(),
            Value::Function(_) => "function".into(),
            Value::Native(_) => "builtin_function_or_method".into(),
            Value::Module(_) => "module".into(),
            Value::NamedTuple(nt) => nt.type_name.rsplit('.').next().unwrap_or("tuple").into(),
            Value::Class(_) => "type".into(),
            Value::Instance(i) => i.class.name.to_string(),
            Value::BoundMethod(_) => "method".into(),
            Value::NotImplemented => "NotImplementedType".into(),
            Value::Object(o) => o.type_name(),
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}>", self.type_name())
    }
}
