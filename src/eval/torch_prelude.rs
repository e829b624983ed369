//! The bundled prelude: parts of the library written in the language itself (`src/prelude/`,
//! compiled into the binary), because PyTorch writes them in Python on top of `__setattr__`
//! and `__getattr__` (`torch.nn.Module`, the layers, losses, containers, `torch.nn.utils`,
//! `torch.func.functional_call`). Each file runs once per interpreter in one module frame (its
//! names are found by closure lookup, so a session's globals never shadow them); the public
//! names it lists in `__all__` are then installed into the torch module objects.

use super::interp::{Env, Frame, Interp};
use super::value::Value;
use crate::error::{PyErr, PyResult, runtime_error};
use std::rc::Rc;

/// (the torch module that receives the file's `__all__` names, the file).
const SOURCES: &[(&str, &str)] = &[
    (
        "torch.nn",
        include_str!("../prelude/torch/nn/collections.py"),
    ),
    ("torch.nn", include_str!("../prelude/torch/nn/module.py")),
    ("torch.nn", include_str!("../prelude/torch/nn/container.py")),
    ("torch.nn", include_str!("../prelude/torch/nn/layers.py")),
    ("torch.nn", include_str!("../prelude/torch/nn/conv.py")),
    ("torch.nn", include_str!("../prelude/torch/nn/loss.py")),
    (
        "torch.nn.utils",
        include_str!("../prelude/torch/nn/utils.py"),
    ),
    ("torch.func", include_str!("../prelude/torch/func.py")),
];

/// Runs the prelude into `interp` and installs its public names. An error here is a bug in
/// the bundled code, reported (never a panic) with the file's module name.
pub fn install(interp: &mut Interp) -> PyResult<()> {
    let frame = Frame::new(None, Rc::from(""), None);
    let env: Env = Some(frame.clone());
    // Functions defined here belong to no cell (no caret into a cell's source for their errors).
    let cell = std::mem::replace(&mut interp.cell, u64::MAX);
    let result = run_sources(interp, &frame, &env);
    interp.cell = cell;
    result
}

fn run_sources(interp: &mut Interp, frame: &Rc<Frame>, env: &Env) -> PyResult<()> {
    for (i, (target, src)) in SOURCES.iter().enumerate() {
        let body = parsed(i, src).map_err(|e| prelude_error(target, &e))?;
        for stmt in body.iter() {
            interp
                .exec(stmt, env)
                .map_err(|e| prelude_error(target, &e))?;
        }
        let all = frame.vars.borrow_mut().remove("__all__");
        let names: Vec<String> = match all {
            Some(Value::List(l)) => l.borrow().iter().filter_map(str_of).collect(),
            Some(Value::Tuple(t)) => t.iter().filter_map(str_of).collect(),
            _ => Vec::new(),
        };
        let module = module_object(target)?;
        let Value::Module(m) = module else { continue };
        let vars = frame.vars.borrow();
        let mut attrs = m.attrs.borrow_mut();
        for n in names {
            if let Some(v) = vars.get(n.as_str()) {
                attrs.insert(n, v.clone());
            }
        }
    }
    Ok(())
}

thread_local! {
    /// Each file parsed once per thread (every interpreter of the thread runs the same code).
    static PARSED: std::cell::RefCell<Vec<Option<Rc<Vec<crate::syntax::Stmt>>>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn parsed(i: usize, src: &str) -> PyResult<Rc<Vec<crate::syntax::Stmt>>> {
    if let Some(Some(body)) = PARSED.with(|p| p.borrow().get(i).cloned()) {
        return Ok(body);
    }
    let body = Rc::new(crate::syntax::parse(src)?);
    PARSED.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() <= i {
            p.resize(i + 1, None);
        }
        p[i] = Some(body.clone());
    });
    Ok(body)
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

fn prelude_error(target: &str, e: &PyErr) -> PyErr {
    runtime_error(format!(
        "internal error in the bundled {target} prelude: {e}"
    ))
}

/// The module object `name`, creating `torch.nn.utils` under `torch.nn` on first use.
fn module_object(name: &str) -> PyResult<Value> {
    if let Some(m) = super::torch::import(name) {
        return Ok(m);
    }
    let (parent, leaf) = name.rsplit_once('.').unwrap_or(("torch", name));
    let Some(Value::Module(p)) = super::torch::import(parent) else {
        return Err(runtime_error(format!("no module {parent}")));
    };
    let m = Value::Module(Rc::new(super::value::Module {
        name: name.to_string(),
        attrs: std::cell::RefCell::new(Default::default()),
    }));
    p.attrs.borrow_mut().insert(leaf.to_string(), m.clone());
    Ok(m)
}
