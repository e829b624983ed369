//! `torch.autograd.forward_ad`: `dual_level()`, `make_dual`, `unpack_dual` over the dual
//! levels of `autograd::forward`.

use super::args::Bound;
use super::table::{Row, torch};
use crate::autograd::forward::{DualLevel, innermost_level, make_dual, unpack_dual};
use crate::error::{PyResult, runtime_error};
use crate::eval::interp::Interp;
use crate::eval::value::{NamedTuple, Object, Value};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// `with fwAD.dual_level():` opens a level for the block.
struct DualLevelCtx {
    levels: RefCell<Vec<DualLevel>>,
}

impl Object for DualLevelCtx {
    fn type_name(&self) -> String {
        "dual_level".into()
    }
    fn repr(&self) -> String {
        "<torch.autograd.forward_ad.dual_level object>".into()
    }
    fn enter(&self, _interp: &mut Interp) -> PyResult<Value> {
        self.levels.borrow_mut().push(DualLevel::new());
        Ok(Value::None)
    }
    fn exit(&self, _interp: &mut Interp) -> PyResult<()> {
        self.levels.borrow_mut().pop();
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn dual_level(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Object(Rc::new(DualLevelCtx {
        levels: RefCell::new(Vec::new()),
    })))
}

fn level_arg(b: &Bound) -> PyResult<Option<u64>> {
    Ok(match b.value("level")? {
        Value::Int(l) if l >= 0 => Some(l as u64 + 1),
        _ => innermost_level(),
    })
}

fn make_dual_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let Some(level) = level_arg(b)? else {
        return Err(runtime_error(
            "To create a dual Tensor, first enter a dual level with `with fwAD.dual_level():`. Alternatively, you can specify the level explicitly.",
        ));
    };
    let t = b.tensor("tensor")?;
    let tangent = b.tensor("tangent")?;
    Ok(Value::Tensor(make_dual(&t, &tangent, level)?))
}

fn unpack_dual_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let (primal, tangent) = match level_arg(b)? {
        Some(level) => unpack_dual(&t, level)?,
        None => (t.clone(), None),
    };
    Ok(Value::NamedTuple(Rc::new(NamedTuple {
        type_name: "UnpackedDualTensor".into(),
        fields: vec!["primal".into(), "tangent".into()],
        values: vec![
            Value::Tensor(primal),
            tangent.map(Value::Tensor).unwrap_or(Value::None),
        ],
    })))
}

/// The `torch.autograd.forward_ad` module's table.
pub const ROWS: &[Row] = &[
    torch(
        "def dual_level()",
        "Context manager: a dual level for forward-mode AD inside the block.",
        dual_level,
    ),
    torch(
        "def make_dual(Tensor tensor, Tensor tangent, *, Any? level=None)",
        "A dual tensor: tensor's value carrying tangent at the current dual level.",
        make_dual_,
    ),
    torch(
        "def unpack_dual(Tensor tensor, *, Any? level=None)",
        "The (primal, tangent) named tuple of a dual tensor.",
        unpack_dual_,
    ),
];
