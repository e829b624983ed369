//! The module objects (`torch`, `torch.nn`, `torch.nn.functional`, `torch.autograd`,
//! `torch.autograd.functional`, `torch.cuda`), built once per thread from the tables, and the
//! names a fresh session binds.

use super::table::{Overloads, Row, describe, function_value, group};
use super::{
    autograd_api, autograd_functional, creation, functional_loss, functional_nn, linalg, misc,
    pointwise, random, reductions, sorting,
};
use super::{shape, tensor_methods};
use crate::array::DType;
use crate::eval::value::{Module, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// `torch.__version__`.
pub const VERSION: &str = "2.15.0";

/// The torch namespace's table: its sections, in overload order.
const TORCH_SECTIONS: &[&[Row]] = &[
    creation::ROWS,
    random::ROWS,
    pointwise::ROWS,
    reductions::ROWS,
    sorting::ROWS,
    shape::ROWS,
    linalg::ROWS,
    tensor_methods::ROWS,
    autograd_api::TENSOR_ROWS,
    misc::ROWS,
];

/// `torch.nn.functional`'s table.
fn nn_functional_rows() -> Vec<Row> {
    [functional_nn::ROWS, functional_loss::ROWS].concat()
}

fn torch_rows() -> Vec<Row> {
    TORCH_SECTIONS
        .iter()
        .flat_map(|s| s.iter().copied())
        .collect()
}

/// Tables by module name, for `help()` and completion: (name, signature, description).
pub fn signatures(module: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    let rows: Vec<Row> = match module {
        "torch" | "Tensor" => torch_rows(),
        "torch.autograd" => autograd_api::ROWS.to_vec(),
        "torch.autograd.functional" => autograd_functional::ROWS.to_vec(),
        "torch.nn.functional" => nn_functional_rows(),
        "torch.cuda" => misc::CUDA_ROWS.to_vec(),
        "torch.linalg" => linalg::LINALG_ROWS.to_vec(),
        "torch.func" => return super::func::SIGNATURES.to_vec(),
        _ => Vec::new(),
    };
    describe(&rows, module == "Tensor")
}

struct Registry {
    torch: Rc<Module>,
    nn: Rc<Module>,
    nn_functional: Rc<Module>,
    autograd: Rc<Module>,
    autograd_functional: Rc<Module>,
    cuda: Rc<Module>,
    linalg: Rc<Module>,
    func: Rc<Module>,
    methods: BTreeMap<&'static str, Rc<Overloads>>,
}

fn module(name: &str, attrs: BTreeMap<String, Value>) -> Rc<Module> {
    Rc::new(Module {
        name: name.to_string(),
        attrs: std::cell::RefCell::new(attrs),
    })
}

fn functions(rows: &[Row]) -> BTreeMap<String, Value> {
    group(rows, false)
        .into_iter()
        .map(|(name, ov)| (name.to_string(), function_value(ov)))
        .collect()
}

impl Registry {
    fn build() -> Registry {
        let all = torch_rows();
        let nn_functional = module("torch.nn.functional", functions(&nn_functional_rows()));
        let mut nn_attrs = BTreeMap::new();
        nn_attrs.insert(
            "functional".to_string(),
            Value::Module(nn_functional.clone()),
        );
        let nn = module("torch.nn", nn_attrs);
        let autograd_functional = module(
            "torch.autograd.functional",
            functions(autograd_functional::ROWS),
        );
        let mut autograd_attrs = functions(autograd_api::ROWS);
        autograd_attrs.insert(
            "functional".to_string(),
            Value::Module(autograd_functional.clone()),
        );
        let autograd = module("torch.autograd", autograd_attrs);
        let cuda = module("torch.cuda", functions(misc::CUDA_ROWS));
        let linalg = module("torch.linalg", functions(linalg::LINALG_ROWS));
        let func = module(
            "torch.func",
            super::func::functions()
                .into_iter()
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
        );

        let mut attrs = functions(&all);
        let dtypes = [
            ("float32", DType::F32),
            ("float", DType::F32),
            ("float64", DType::F64),
            ("double", DType::F64),
            ("int64", DType::I64),
            ("long", DType::I64),
            ("int32", DType::I32),
            ("int", DType::I32),
            ("bool", DType::Bool),
        ];
        for (name, d) in dtypes {
            attrs.insert(name.to_string(), Value::DType(d));
        }
        attrs.insert("Tensor".into(), Value::class("Tensor"));
        attrs.insert("dtype".into(), Value::class("dtype"));
        attrs.insert("__version__".into(), Value::str(VERSION));
        attrs.insert("pi".into(), Value::Float(std::f64::consts::PI));
        attrs.insert("e".into(), Value::Float(std::f64::consts::E));
        attrs.insert("inf".into(), Value::Float(f64::INFINITY));
        attrs.insert("nan".into(), Value::Float(f64::NAN));
        attrs.insert(
            "default_generator".into(),
            random::generator_value(crate::array::random::default_generator()),
        );
        attrs.insert("nn".into(), Value::Module(nn.clone()));
        attrs.insert("autograd".into(), Value::Module(autograd.clone()));
        attrs.insert("cuda".into(), Value::Module(cuda.clone()));
        attrs.insert("linalg".into(), Value::Module(linalg.clone()));
        attrs.insert("func".into(), Value::Module(func.clone()));
        let torch = module("torch", attrs);

        Registry {
            torch,
            nn,
            nn_functional,
            autograd,
            autograd_functional,
            cuda,
            linalg,
            func,
            methods: group(&all, true),
        }
    }
}

thread_local! {
    static REGISTRY: Registry = Registry::build();
}

/// The overloads of tensor method `name`.
pub fn method(name: &str) -> Option<Rc<Overloads>> {
    REGISTRY.with(|r| r.methods.get(name).cloned())
}

pub fn method_names() -> Vec<String> {
    REGISTRY.with(|r| r.methods.keys().map(|k| k.to_string()).collect())
}

/// See `super::import`.
pub fn import(name: &str) -> Option<Value> {
    REGISTRY.with(|r| {
        let m = match name {
            "torch" => &r.torch,
            "torch.nn" => &r.nn,
            "torch.nn.functional" => &r.nn_functional,
            "torch.autograd" => &r.autograd,
            "torch.autograd.functional" => &r.autograd_functional,
            "torch.cuda" => &r.cuda,
            "torch.linalg" => &r.linalg,
            "torch.func" => &r.func,
            _ => return None,
        };
        Some(Value::Module(m.clone()))
    })
}

/// Python builtins that torch names must not shadow in a session.
const PY_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "complex",
    "divmod",
    "float",
    "int",
    "len",
    "list",
    "max",
    "min",
    "pow",
    "print",
    "range",
    "round",
    "sum",
    "tuple",
    "type",
    "zip",
    "map",
    "filter",
    "sorted",
    "reversed",
    "enumerate",
    "str",
    "repr",
    "hash",
    "id",
    "dict",
    "set",
    "iter",
    "next",
    "callable",
    "getattr",
    "setattr",
    "hasattr",
    "isinstance",
    "format",
    "input",
    "open",
    "ord",
    "chr",
    "slice",
    "object",
    "super",
    "vars",
    "dir",
    "help",
    "exit",
    "quit",
];

/// See `super::session_globals`.
pub fn session_globals() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    if let Some(t) = import("torch") {
        out.push(("torch".into(), t));
        seen.insert("torch".into());
    }
    for module_name in [
        "torch",
        "torch.autograd",
        "torch.autograd.functional",
        "torch.nn.functional",
        "torch.func",
    ] {
        let Some(Value::Module(m)) = import(module_name) else {
            continue;
        };
        for (name, v) in m.attrs.borrow().iter() {
            let bindable = matches!(v, Value::Native(_)) || name == "Tensor";
            if !bindable
                || name.starts_with('_')
                || PY_BUILTINS.contains(&name.as_str())
                || seen.contains(name)
            {
                continue;
            }
            seen.insert(name.clone());
            out.push((name.clone(), v.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::torch::args::Signature;

    #[test]
    fn every_signature_parses() {
        let mut rows: Vec<Row> = torch_rows();
        rows.extend(autograd_api::ROWS.iter().copied());
        rows.extend(autograd_functional::ROWS.iter().copied());
        rows.extend(nn_functional_rows());
        rows.extend(misc::CUDA_ROWS.iter().copied());
        rows.extend(linalg::LINALG_ROWS.iter().copied());
        for r in rows {
            let s = Signature::parse(r.sig);
            assert!(!s.name.is_empty(), "{}", r.sig);
            if r.expose != super::super::table::Expose::Torch {
                assert!(
                    matches!(s.params.first(), Some(p) if p.ty == super::super::args::PType::Tensor),
                    "method without a leading tensor: {}",
                    r.sig
                );
            }
        }
    }

    #[test]
    fn modules_and_globals() {
        let Some(Value::Module(t)) = import("torch") else {
            panic!("no torch")
        };
        let attrs = t.attrs.borrow();
        for name in [
            "tensor",
            "zeros",
            "manual_seed",
            "no_grad",
            "float32",
            "autograd",
            "nn",
            "Tensor",
            "sum",
            "max",
        ] {
            assert!(attrs.contains_key(name), "torch.{name} missing");
        }
        assert!(matches!(attrs.get("__version__"), Some(Value::Str(v)) if &**v == VERSION));
        assert!(import("torch.nn.functional").is_some());
        assert!(import("torch.autograd.functional").is_some());
        assert!(import("numpy").is_none());
        let globals = session_globals();
        let names: Vec<&str> = globals.iter().map(|(n, _)| n.as_str()).collect();
        for name in [
            "torch",
            "tensor",
            "ones_like",
            "jacobian",
            "backward",
            "grad",
            "hessian",
            "mse_loss",
        ] {
            assert!(names.contains(&name), "global {name} missing");
        }
        for name in [
            "sum", "max", "abs", "float", "int", "bool", "pow", "round", "all", "any",
        ] {
            assert!(!names.contains(&name), "global {name} shadows a builtin");
        }
    }

    #[test]
    fn methods_are_registered() {
        for name in [
            "sum", "view", "backward", "item", "size", "uniform_", "add_", "exp", "where", "max",
            "to",
        ] {
            assert!(method(name).is_some(), "Tensor.{name} missing");
        }
        assert!(method("tensor").is_none());
        assert!(method("zeros").is_none());
        assert!(!signatures("torch").is_empty());
        assert!(
            signatures("Tensor")
                .iter()
                .any(|(n, _, _)| *n == "backward")
        );
    }
}
