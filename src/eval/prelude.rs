//! What a fresh session starts with, and the bundled modules written in the language itself.
//!
//! `install` puts the builtins and the `torch` names into an empty interpreter (the notebook
//! layer calls it; `Interp::new` is `Interp::empty` plus `install`). Bundled modules are `.py`
//! files under `src/prelude/`, compiled into the binary with `include_str!` and executed on
//! first import into the module's namespace, which may already hold native functions (so a
//! module can be part Rust, part Python).

use super::interp::{Env, Frame, Interp};
use super::value::{Module, Value};
use crate::error::PyResult;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The bundled modules: (dotted name, source).
const BUNDLED: &[(&str, &str)] = &[("contextlib", include_str!("../prelude/contextlib.py"))];

/// The source of a bundled module.
pub fn bundled(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Names of the bundled modules (for completion and documentation).
pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}

/// The session prelude: builtins, then `torch` and its top-level names.
pub fn install(interp: &mut Interp) {
    interp.builtins = super::builtins::builtins();
    for (name, value) in super::torch::session_globals() {
        interp.globals.insert(Rc::from(name.as_str()), value);
    }
    interp
        .globals
        .insert(Rc::from("__name__"), Value::str("__main__"));
    super::torch::reset_session_state(0);
    // torch.nn, torch.func's module helpers: bundled Python run into the torch modules.
    if let Err(e) = super::torch_prelude::install(interp) {
        // A bug in the bundled code: the session still starts, and says why torch.nn is short.
        interp.write_stdout(&format!("{e}\n"));
    }
}

/// Runs `src` with the module's current attributes as its namespace, then stores every name
/// it bound back into the module. Functions defined there close over that namespace; errors
/// inside them carry no caret (their spans are not the cell's).
pub fn exec_into(interp: &mut Interp, module: &Rc<Module>, src: &str) -> PyResult<()> {
    let body = crate::syntax::parse(src)?;
    let frame = Frame::new(None, Rc::from(""), None);
    {
        let mut vars = frame.vars.borrow_mut();
        for (k, v) in module.attrs.borrow().iter() {
            vars.insert(Rc::from(k.as_str()), v.clone());
        }
        vars.insert(Rc::from("__name__"), Value::str(&module.name));
    }
    let env: Env = Some(frame.clone());
    let cell = std::mem::replace(&mut interp.cell, u64::MAX);
    let result = interp.exec_block(&body, &env);
    interp.cell = cell;
    result.map_err(|mut e| {
        e.span = None;
        e
    })?;
    let mut attrs = module.attrs.borrow_mut();
    for (k, v) in frame.vars.borrow().iter() {
        attrs.insert(k.to_string(), v.clone());
    }
    Ok(())
}

/// A bundled module, executed into a fresh namespace.
pub fn load(interp: &mut Interp, name: &str) -> Option<PyResult<Value>> {
    let src = bundled(name)?;
    let module = Rc::new(Module {
        name: name.to_string(),
        attrs: RefCell::new(BTreeMap::new()),
    });
    Some(exec_into(interp, &module, src).map(|()| Value::Module(module)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_code_mixes_with_native_functions() {
        let mut interp = Interp::new();
        let mut attrs = BTreeMap::new();
        attrs.insert(
            "double".to_string(),
            Value::native("double", |interp, a| {
                super::super::ops::binary(interp, "*", &a.pos[0], &Value::Int(2))
            }),
        );
        let module = Rc::new(Module {
            name: "mixed".into(),
            attrs: RefCell::new(attrs),
        });
        let src = "SCALE = 10\ndef quad(x):\n    return double(double(x)) * SCALE\n";
        exec_into(&mut interp, &module, src).unwrap();
        interp.set_global("mixed", Value::Module(module));
        let out = interp.run_cell("mixed.quad(3), mixed.__name__");
        assert_eq!(out.value.as_deref(), Some("(120, 'mixed')"));
    }

    #[test]
    fn bundled_modules_import_and_parse() {
        for name in bundled_names() {
            let mut interp = Interp::new();
            let out = interp.run_cell(&format!("import {name}\n{name}.__name__"));
            assert_eq!(out.error, None, "{name}");
            assert_eq!(out.value, Some(format!("'{name}'")));
        }
    }
}
