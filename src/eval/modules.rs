//! `import`: torch-side modules come from the bindings, Python's own (`math`, `functools`,
//! `time`, `itertools`, `typing`) from `stdlib`. Imported modules are cached per session.

use super::interp::Interp;
use super::value::{Module, Value};
use crate::error::{ErrorKind, PyErr, PyResult};

fn not_found(name: &str) -> PyErr {
    PyErr::new(
        ErrorKind::ModuleNotFoundError,
        format!("No module named '{name}'"),
    )
}

/// The module object for a dotted name (`torch.nn.functional`).
pub fn import(interp: &mut Interp, name: &str) -> PyResult<Value> {
    if let Some(m) = interp.modules.get(name) {
        return Ok(m.clone());
    }
    if let Some(m) = super::prelude_modules::load(interp, name) {
        return m;
    }
    let module = super::torch::import(name).or_else(|| super::stdlib::module(name));
    let module = match module {
        Some(m) => Some(m),
        None => super::prelude::load(interp, name).transpose()?,
    };
    match module {
        Some(m) => {
            interp.modules.insert(name.to_string(), m.clone());
            Ok(m)
        }
        None => {
            // Report the first missing package along the dotted path, as Python does.
            let parts: Vec<&str> = name.split('.').collect();
            for i in 1..parts.len() {
                let prefix = parts[..i].join(".");
                if super::torch::import(&prefix).is_none()
                    && super::stdlib::module(&prefix).is_none()
                    && super::prelude::bundled(&prefix).is_none()
                    && !super::prelude_modules::exists(&prefix)
                {
                    return Err(not_found(&prefix));
                }
            }
            Err(not_found(name))
        }
    }
}

/// `from module import name`: an attribute, or else a submodule.
pub fn import_from(
    interp: &mut Interp,
    module: &Value,
    module_name: &str,
    name: &str,
) -> PyResult<Value> {
    if let Value::Module(m) = module
        && let Some(v) = m.attrs.borrow().get(name)
    {
        return Ok(v.clone());
    }
    match import(interp, &format!("{module_name}.{name}")) {
        Ok(v) => Ok(v),
        Err(_) => Err(PyErr::new(
            ErrorKind::ImportError,
            format!("cannot import name '{name}' from '{module_name}' (unknown location)"),
        )),
    }
}

/// A module value from (name, attribute) pairs.
pub fn make_module(name: &str, attrs: Vec<(&str, Value)>) -> Value {
    Value::Module(std::rc::Rc::new(Module {
        name: name.to_string(),
        attrs: std::cell::RefCell::new(
            attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        ),
    }))
}
