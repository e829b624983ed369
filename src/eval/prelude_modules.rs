//! Prelude modules: parts of the torch namespace written in the language itself
//! (`src/prelude/torch/optim/*.py`, `src/prelude/torch/utils/*.py`, compiled into the binary),
//! each a module of its own, loaded on first import (or first attribute access, as
//! `torch.optim` after `import torch`) like a Python module. `torch.optim`, `torch.optim.lr_scheduler` and `torch.utils.data` mirror PyTorch's
//! own Python code there, so their behaviour (parameter groups, state, reprs, errors) follows
//! PyTorch's source line by line while every tensor op runs in Rust.
//!
//! A prelude module runs in its own scope: a frame whose variables become the module's
//! attributes. Its functions close over that frame, so they see the module's names and never
//! the session's globals (a learner rebinding `Optimizer` does not break `SGD`).

use super::interp::{Env, Frame, Interp};
use super::value::{Module, Value};
use crate::error::PyResult;
use std::cell::RefCell;
use std::rc::Rc;

/// (dotted module name, source), in no particular order.
const MODULES: &[(&str, &str)] = &[
    (
        "torch.optim",
        include_str!("../prelude/torch/optim/__init__.py"),
    ),
    (
        "torch.optim.optimizer",
        include_str!("../prelude/torch/optim/optimizer.py"),
    ),
    (
        "torch.optim.sgd",
        include_str!("../prelude/torch/optim/sgd.py"),
    ),
    (
        "torch.optim.adam",
        include_str!("../prelude/torch/optim/adam.py"),
    ),
    (
        "torch.optim.adamw",
        include_str!("../prelude/torch/optim/adamw.py"),
    ),
    (
        "torch.optim.rmsprop",
        include_str!("../prelude/torch/optim/rmsprop.py"),
    ),
    (
        "torch.optim.adagrad",
        include_str!("../prelude/torch/optim/adagrad.py"),
    ),
    (
        "torch.optim.adadelta",
        include_str!("../prelude/torch/optim/adadelta.py"),
    ),
    (
        "torch.optim.adamax",
        include_str!("../prelude/torch/optim/adamax.py"),
    ),
    (
        "torch.optim.lbfgs",
        include_str!("../prelude/torch/optim/lbfgs.py"),
    ),
    (
        "torch.optim.lr_scheduler",
        include_str!("../prelude/torch/optim/lr_scheduler.py"),
    ),
    (
        "torch.utils",
        include_str!("../prelude/torch/utils/__init__.py"),
    ),
    (
        "torch.utils.data",
        include_str!("../prelude/torch/utils/data.py"),
    ),
];

/// The cell number prelude code runs under: its spans belong to no notebook cell, so error
/// carets are never drawn under a learner's code for them.
pub const PRELUDE_CELL: u64 = u64::MAX;

/// Whether `name` is a prelude module.
pub fn exists(name: &str) -> bool {
    MODULES.iter().any(|(n, _)| *n == name)
}

/// The names of the prelude modules directly inside `parent` (for completion).
pub fn submodules(parent: &str) -> Vec<&'static str> {
    MODULES
        .iter()
        .filter_map(|(n, _)| {
            let rest = n.strip_prefix(parent)?.strip_prefix('.')?;
            (!rest.contains('.')).then_some(rest)
        })
        .collect()
}

/// Runs prelude module `name` (None when there is none) and caches it in `interp.modules`.
/// The module is cached before its code runs, as Python's `sys.modules` is, so a cycle of
/// imports sees the partly initialised module instead of recursing.
pub fn load(interp: &mut Interp, name: &str) -> Option<PyResult<Value>> {
    let (_, source) = MODULES.iter().find(|(n, _)| *n == name)?;
    let module = Rc::new(Module {
        name: name.to_string(),
        attrs: RefCell::new(Default::default()),
    });
    interp
        .modules
        .insert(name.to_string(), Value::Module(module.clone()));
    let result = run(interp, &module, source);
    if result.is_err() {
        interp.modules.remove(name);
    }
    Some(result.map(|()| Value::Module(module)))
}

fn run(interp: &mut Interp, module: &Module, source: &str) -> PyResult<()> {
    let body = crate::syntax::parse(source)?;
    let frame = Frame::new(None, Rc::from(""), None);
    frame
        .vars
        .borrow_mut()
        .insert(Rc::from("__name__"), Value::str(&module.name));
    let env: Env = Some(frame.clone());
    let saved = interp.cell;
    interp.cell = PRELUDE_CELL;
    let result = interp.exec_block(&body, &env);
    interp.cell = saved;
    result?;
    let mut attrs = module.attrs.borrow_mut();
    for (k, v) in frame.vars.borrow().iter() {
        attrs.insert(k.to_string(), v.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_of(interp: &mut Interp, code: &str) -> String {
        let out = interp.run_cell(code);
        match (out.value, out.error) {
            (Some(v), None) => v,
            (v, e) => panic!("{code}: value {v:?}, error {e:?}"),
        }
    }

    #[test]
    fn every_module_parses() {
        for (name, source) in MODULES {
            assert!(
                crate::syntax::parse(source).is_ok(),
                "{name} does not parse"
            );
        }
    }

    #[test]
    fn loads_on_import_or_attribute_access_once() {
        let mut interp = Interp::new();
        assert_eq!(
            value_of(&mut interp, "torch.optim.SGD.__module__"),
            "'torch.optim.sgd'"
        );
        // The cached module object is the one `import` binds.
        assert_eq!(
            value_of(&mut interp, "import torch.optim as o\no is torch.optim"),
            "True"
        );
        assert_eq!(
            value_of(
                &mut interp,
                "from torch.utils.data import DataLoader\nDataLoader.__name__"
            ),
            "'DataLoader'"
        );
    }

    #[test]
    fn module_names_do_not_leak_into_or_from_the_session() {
        let mut interp = Interp::new();
        // Rebinding a name the prelude uses does not change the prelude.
        let out = value_of(
            &mut interp,
            "Optimizer = None\n_single_tensor_sgd = None\nw = torch.ones(1, requires_grad=True)\nw.grad = torch.ones(1)\ntorch.optim.SGD([w], lr=0.5).step()\nw",
        );
        assert_eq!(out, "tensor([0.5000], requires_grad=True)");
        assert!(interp.run_cell("_deepcopy").error.is_some());
    }

    #[test]
    fn submodules_are_listed() {
        let subs = submodules("torch.optim");
        assert!(subs.contains(&"lr_scheduler") && subs.contains(&"sgd"));
        assert_eq!(submodules("torch.utils"), vec!["data"]);
        assert!(exists("torch.utils.data") && !exists("torch.optim.nothing"));
    }
}
