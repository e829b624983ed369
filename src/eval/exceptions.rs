//! Exceptions are classes: CPython's built-in hierarchy, exception instances (`args`,
//! `__cause__`), and the bridge between a raised instance and the `PyErr` every layer returns.

use super::class::{Class, Instance, builtin_class, class_of, is_subclass};
use super::interp::Interp;
use super::value::{Args, Value};
use crate::error::{ErrorKind, ExcRef, PyErr, PyResult, type_error};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The base class of a built-in exception (CPython 3.11's hierarchy).
pub fn parent(kind: ErrorKind) -> &'static str {
    use ErrorKind::*;
    match kind {
        BaseException => "object",
        SystemExit | KeyboardInterrupt | GeneratorExit | Exception => "BaseException",
        FloatingPointError | OverflowError | ZeroDivisionError => "ArithmeticError",
        ModuleNotFoundError => "ImportError",
        IndexError | KeyError => "LookupError",
        UnboundLocalError => "NameError",
        BlockingIOError | ChildProcessError | ConnectionError | FileExistsError
        | FileNotFoundError | InterruptedError | IsADirectoryError | NotADirectoryError
        | PermissionError | ProcessLookupError | TimeoutError => "OSError",
        BrokenPipeError
        | ConnectionAbortedError
        | ConnectionRefusedError
        | ConnectionResetError => "ConnectionError",
        NotImplementedError | RecursionError => "RuntimeError",
        IndentationError => "SyntaxError",
        TabError => "IndentationError",
        UnicodeError => "ValueError",
        UnicodeDecodeError | UnicodeEncodeError => "UnicodeError",
        UserWarning | DeprecationWarning | RuntimeWarning | FutureWarning => "Warning",
        _ => "Exception",
    }
}

/// The class an error is an instance of.
pub fn err_class(err: &PyErr) -> Rc<Class> {
    match err_instance(err) {
        Some(inst) => inst.class.clone(),
        None => builtin_class(err.kind.name()),
    }
}

thread_local! {
    /// Raised instances by handle (`PyErr` must cross threads; instances cannot). Errors in
    /// flight are always among the most recent, so the table is trimmed from the oldest end.
    static RAISED: RefCell<(u64, BTreeMap<u64, Rc<Instance>>)> = const { RefCell::new((0, BTreeMap::new())) };
}

const RAISED_KEEP: usize = 4096;

/// Makes `err` carry `inst`.
pub fn attach(err: &mut PyErr, inst: Rc<Instance>) {
    let type_name: Box<str> = Box::from(&*inst.class.name);
    let id = RAISED.with(|r| {
        let mut r = r.borrow_mut();
        r.0 += 1;
        let id = r.0;
        r.1.insert(id, inst);
        if r.1.len() > RAISED_KEEP {
            let cut = id - (RAISED_KEEP / 2) as u64;
            r.1 = r.1.split_off(&cut);
        }
        id
    });
    err.exc = Some(ExcRef { id, type_name });
}

/// Forgets raised instances (a new cell starts with no error in flight).
pub fn clear_raised() {
    RAISED.with(|r| r.borrow_mut().1.clear());
}

/// The instance an error carries, if any.
pub fn err_instance(err: &PyErr) -> Option<Rc<Instance>> {
    let id = err.exc.as_ref()?.id;
    RAISED.with(|r| r.borrow().1.get(&id).cloned())
}

/// The exception instance behind an error (made from its kind and message for native errors,
/// and kept in the error so a re-raise keeps its identity).
pub fn err_value(err: &mut PyErr) -> Value {
    if let Some(inst) = err_instance(err) {
        return Value::Instance(inst);
    }
    let inst = Instance::new(builtin_class(err.kind.name()));
    if let Some(state) = &inst.exc {
        state.borrow_mut().args = if err.msg.is_empty() {
            Vec::new()
        } else {
            vec![Value::str(&err.msg)]
        };
    }
    attach(err, inst.clone());
    Value::Instance(inst)
}

/// `raise v`: a class is instantiated first; the message is `str(instance)`.
pub fn raise_value(interp: &mut Interp, v: Value) -> PyResult<PyErr> {
    let v = match &v {
        Value::Class(c) if c.exception_kind().is_some() => {
            interp.call_value(&v, Args::default())?
        }
        _ => v,
    };
    let Value::Instance(inst) = &v else {
        return Err(type_error("exceptions must derive from BaseException"));
    };
    let Some(kind) = inst.class.exception_kind() else {
        return Err(type_error("exceptions must derive from BaseException"));
    };
    let msg = interp.str(&v)?;
    let mut err = PyErr::new(kind, msg);
    attach(&mut err, inst.clone());
    Ok(err)
}

/// `except cls:` catches `err`.
pub fn matches(err: &PyErr, cls: &Rc<Class>) -> bool {
    is_subclass(&err_class(err), cls)
}

/// A `KeyError` whose `args` is the missing key itself (so `repr(e)` is `KeyError('a')`).
pub fn key_error(interp: &mut Interp, key: Value) -> PyResult<PyErr> {
    let msg = interp.repr(&key)?;
    let inst = Instance::new(builtin_class("KeyError"));
    if let Some(state) = &inst.exc {
        state.borrow_mut().args = vec![key];
    }
    let mut err = PyErr::new(ErrorKind::KeyError, msg);
    attach(&mut err, inst);
    Ok(err)
}

fn exc_state(v: &Value) -> PyResult<&Instance> {
    match v {
        Value::Instance(i) if i.exc.is_some() => Ok(i),
        other => Err(type_error(format!(
            "descriptor requires a 'BaseException' object but received a '{}'",
            other.type_name()
        ))),
    }
}

/// `BaseException`'s methods.
pub fn base_exception_methods() -> Vec<(&'static str, Value)> {
    vec![
        (
            "__init__",
            Value::native("BaseException.__init__", |_, args| {
                let Some((recv, rest)) = args.pos.split_first() else {
                    return Err(type_error(
                        "descriptor '__init__' of 'BaseException' object needs an argument",
                    ));
                };
                let inst = exc_state(recv)?;
                if let Some(s) = &inst.exc {
                    s.borrow_mut().args = rest.to_vec();
                }
                Ok(Value::None)
            }),
        ),
        (
            "__str__",
            Value::native("BaseException.__str__", |interp, args| {
                let recv = args.pos.first().cloned().unwrap_or(Value::None);
                let inst = exc_state(&recv)?;
                let exc_args = inst.exc.as_ref().map(|s| s.borrow().args.clone());
                let exc_args = exc_args.unwrap_or_default();
                let key = is_subclass(&inst.class, &builtin_class("KeyError"));
                Ok(Value::str(&match exc_args.len() {
                    0 => String::new(),
                    1 if key => interp.repr(&exc_args[0])?,
                    1 => interp.str(&exc_args[0])?,
                    _ => interp.repr(&Value::tuple(exc_args))?,
                }))
            }),
        ),
        (
            "__repr__",
            Value::native("BaseException.__repr__", |interp, args| {
                let recv = args.pos.first().cloned().unwrap_or(Value::None);
                let inst = exc_state(&recv)?;
                let exc_args = inst.exc.as_ref().map(|s| s.borrow().args.clone());
                let exc_args = exc_args.unwrap_or_default();
                let inner = match exc_args.len() {
                    1 => interp.repr(&exc_args[0])?,
                    _ => {
                        let t = interp.repr(&Value::tuple(exc_args))?;
                        t[1..t.len() - 1].trim_end_matches(',').to_string()
                    }
                };
                Ok(Value::str(&format!("{}({inner})", inst.class.name)))
            }),
        ),
    ]
}

/// Attributes every exception instance has outside its `__dict__`.
pub fn exc_attr(inst: &Instance, name: &str) -> Option<Value> {
    let state = inst.exc.as_ref()?.borrow();
    Some(match name {
        "args" => Value::tuple(state.args.clone()),
        "__cause__" => state.cause.clone().unwrap_or(Value::None),
        "__context__" => state.context.clone().unwrap_or(Value::None),
        "__traceback__" => Value::None,
        "__suppress_context__" => Value::Bool(state.cause.is_some()),
        _ => return None,
    })
}

/// Sets `args`/`__cause__`/`__context__`; false for other names.
pub fn set_exc_attr(inst: &Instance, name: &str, value: &Value) -> bool {
    let Some(state) = &inst.exc else {
        return false;
    };
    let mut s = state.borrow_mut();
    match name {
        "args" => {
            s.args = match value {
                Value::Tuple(t) => t.to_vec(),
                Value::List(l) => l.borrow().clone(),
                other => vec![other.clone()],
            }
        }
        "__cause__" => s.cause = Some(value.clone()),
        "__context__" => s.context = Some(value.clone()),
        _ => return false,
    }
    true
}

/// Whether `v` is an exception class (for `except` clauses).
pub fn is_exception_class(v: &Value) -> Option<Rc<Class>> {
    match v {
        Value::Class(c) if c.exception_kind().is_some() => Some(c.clone()),
        _ => None,
    }
}

/// `type(v)` is an exception class instance.
pub fn is_exception(v: &Value) -> bool {
    class_of(v).exception_kind().is_some()
}
