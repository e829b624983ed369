//! Function tables: one row per overload (signature, one-line description, implementation),
//! grouped by name into callables. `help()` and tab completion read the same rows.

use super::args::{Bound, Signature, bind_overloads};
use crate::array::UnaryOp;
use crate::autograd::{Tensor, ops};
use crate::error::PyResult;
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

pub type ImplFn = fn(&mut Interp, &Bound) -> PyResult<Value>;

/// What a row runs.
#[derive(Clone, Copy)]
pub enum Imp {
    F(ImplFn),
    /// An elementwise op on the first argument.
    Unary(UnaryOp),
    /// Its in-place form (`exp_()`): computes, then copies into the tensor.
    UnaryInplace(UnaryOp),
}

/// Where a row is visible.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Expose {
    /// `torch.name(...)` only.
    Torch,
    /// `tensor.name(...)` only; the first parameter is the tensor.
    Method,
    /// Both; the first parameter is the tensor in the method form.
    Both,
}

#[derive(Clone, Copy)]
pub struct Row {
    pub sig: &'static str,
    pub doc: &'static str,
    pub expose: Expose,
    pub imp: Imp,
}

/// Shorthand constructors keep the tables one line per row.
pub const fn both(sig: &'static str, doc: &'static str, f: ImplFn) -> Row {
    Row {
        sig,
        doc,
        expose: Expose::Both,
        imp: Imp::F(f),
    }
}
pub const fn torch(sig: &'static str, doc: &'static str, f: ImplFn) -> Row {
    Row {
        sig,
        doc,
        expose: Expose::Torch,
        imp: Imp::F(f),
    }
}
pub const fn method(sig: &'static str, doc: &'static str, f: ImplFn) -> Row {
    Row {
        sig,
        doc,
        expose: Expose::Method,
        imp: Imp::F(f),
    }
}
pub const fn unary(sig: &'static str, doc: &'static str, op: UnaryOp) -> Row {
    Row {
        sig,
        doc,
        expose: Expose::Both,
        imp: Imp::Unary(op),
    }
}
pub const fn unary_(sig: &'static str, doc: &'static str, op: UnaryOp) -> Row {
    Row {
        sig,
        doc,
        expose: Expose::Method,
        imp: Imp::UnaryInplace(op),
    }
}

/// All overloads of one name.
pub struct Overloads {
    pub name: &'static str,
    pub sigs: Vec<(Signature, Imp, &'static str)>,
}

impl Overloads {
    pub fn call(&self, interp: &mut Interp, args: Args, this: Option<&Tensor>) -> PyResult<Value> {
        let sigs: Vec<&Signature> = self.sigs.iter().map(|(s, _, _)| s).collect();
        let (i, bound) = bind_overloads(&sigs, &args, this)?;
        let r = run(self.sigs[i].1, interp, &bound);
        // Tensors the op saved inside `saved_tensors_hooks` are packed now that the
        // interpreter is at hand again.
        if crate::autograd::saved::has_pending_packs() {
            super::graph_nodes::run_pending_packs(interp)?;
        }
        r
    }
}

/// The elementwise op behind `Imp::Unary`, through the op that names its node like PyTorch.
pub fn apply_unary(t: &Tensor, op: UnaryOp) -> PyResult<Tensor> {
    match op {
        UnaryOp::Neg => Ok(ops::neg(t)),
        UnaryOp::LogicalNot => Ok(ops::logical_not(t)),
        _ => ops::unary(t, op),
    }
}

fn run(imp: Imp, interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    match imp {
        Imp::F(f) => f(interp, b),
        Imp::Unary(op) => Ok(Value::Tensor(apply_unary(&b.this()?, op)?)),
        Imp::UnaryInplace(op) => {
            let t = b.this()?;
            let out = apply_unary(&t, op)?;
            ops::copy_(&t, &out)?;
            Ok(Value::Tensor(t))
        }
    }
}

/// Groups rows by name (keeping table order) for the given exposure.
pub fn group(rows: &[Row], method_view: bool) -> BTreeMap<&'static str, Rc<Overloads>> {
    let mut map: BTreeMap<&'static str, Overloads> = BTreeMap::new();
    for row in rows {
        let visible = match row.expose {
            Expose::Both => true,
            Expose::Torch => !method_view,
            Expose::Method => method_view,
        };
        if !visible {
            continue;
        }
        let sig = Signature::parse(row.sig);
        let name = sig.name;
        map.entry(name)
            .or_insert_with(|| Overloads {
                name,
                sigs: Vec::new(),
            })
            .sigs
            .push((sig, row.imp, row.doc));
    }
    map.into_iter().map(|(k, v)| (k, Rc::new(v))).collect()
}

/// A module-level function value (`torch.sum`).
pub fn function_value(ov: Rc<Overloads>) -> Value {
    let name = ov.name;
    Value::native(name, move |interp, args| ov.call(interp, args, None))
}

/// A bound method value (`t.sum`).
pub fn method_value(ov: Rc<Overloads>, t: Tensor) -> Value {
    Value::native(format!("Tensor.{}", ov.name), move |interp, args| {
        ov.call(interp, args, Some(&t))
    })
}

/// (name, signature, description) for `help()` and completion.
pub fn describe(
    rows: &[Row],
    method_view: bool,
) -> Vec<(&'static str, &'static str, &'static str)> {
    rows.iter()
        .filter(|r| match r.expose {
            Expose::Both => true,
            Expose::Torch => !method_view,
            Expose::Method => method_view,
        })
        .map(|r| (Signature::parse(r.sig).name, r.sig, r.doc))
        .collect()
}
