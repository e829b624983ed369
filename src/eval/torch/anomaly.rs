//! Inference tensors (`torch.is_inference_mode_enabled()`, `Tensor.is_inference()`) and
//! `torch.autograd.set_detect_anomaly(mode, check_nan=True)` (takes effect at once, and as a
//! context manager restores the previous mode), `torch.autograd.detect_anomaly(check_nan=True)`
//! (a context manager), `torch.is_anomaly_enabled()`, `torch.is_anomaly_check_nan_enabled()`.

use super::args::Bound;
use super::table::{Row, torch};
use crate::autograd::anomaly;
use crate::error::PyResult;
use crate::eval::interp::Interp;
use crate::eval::value::{Object, Value};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

struct AnomalyMode {
    type_name: &'static str,
    /// The mode inside the block.
    mode: (bool, bool),
    /// set_detect_anomaly switched at construction: what to restore on exit.
    previous: Cell<Option<(bool, bool)>>,
    saved: RefCell<Vec<(bool, bool)>>,
}

impl Object for AnomalyMode {
    fn type_name(&self) -> String {
        self.type_name.into()
    }
    fn repr(&self) -> String {
        format!("<torch.autograd.anomaly_mode.{} object>", self.type_name)
    }
    fn enter(&self, _interp: &mut Interp) -> PyResult<Value> {
        if self.previous.get().is_none() {
            let prev = anomaly::set_detect_anomaly(self.mode.0, self.mode.1);
            self.saved.borrow_mut().push(prev);
        }
        Ok(Value::None)
    }
    fn exit(&self, _interp: &mut Interp) -> PyResult<()> {
        if let Some(prev) = self.previous.take() {
            anomaly::set_detect_anomaly(prev.0, prev.1);
        } else if let Some(prev) = self.saved.borrow_mut().pop() {
            anomaly::set_detect_anomaly(prev.0, prev.1);
        }
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn set_detect_anomaly(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let mode = (b.bool("mode")?, b.bool("check_nan")?);
    let previous = anomaly::set_detect_anomaly(mode.0, mode.1);
    Ok(Value::Object(Rc::new(AnomalyMode {
        type_name: "set_detect_anomaly",
        mode,
        previous: Cell::new(Some(previous)),
        saved: RefCell::new(Vec::new()),
    })))
}

fn detect_anomaly(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Object(Rc::new(AnomalyMode {
        type_name: "detect_anomaly",
        mode: (true, b.bool("check_nan")?),
        previous: Cell::new(None),
        saved: RefCell::new(Vec::new()),
    })))
}

fn is_anomaly_enabled(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(anomaly::is_anomaly_enabled()))
}

fn is_anomaly_check_nan_enabled(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(anomaly::is_anomaly_check_nan_enabled()))
}

/// `torch.autograd` rows.
pub const ROWS: &[Row] = &[
    torch(
        "def set_detect_anomaly(bool mode, bool check_nan=True)",
        "Switches anomaly detection (also a context manager): with check_nan, backward raises on a NaN gradient.",
        set_detect_anomaly,
    ),
    torch(
        "def detect_anomaly(bool check_nan=True)",
        "Context manager: anomaly detection inside the block.",
        detect_anomaly,
    ),
];

fn is_inference_mode_enabled(_: &mut Interp, _: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(crate::autograd::is_inference_mode_enabled()))
}

fn is_inference(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Bool(b.this()?.is_inference()))
}

/// `torch` rows.
pub const TORCH_ROWS: &[Row] = &[
    torch(
        "is_inference_mode_enabled()",
        "Whether inference mode is on (tensors made now are inference tensors).",
        is_inference_mode_enabled,
    ),
    super::table::method(
        "is_inference(Tensor self)",
        "Whether the tensor was made in inference mode.",
        is_inference,
    ),
    torch(
        "is_anomaly_enabled()",
        "Whether anomaly detection is on.",
        is_anomaly_enabled,
    ),
    torch(
        "is_anomaly_check_nan_enabled()",
        "Whether anomaly detection checks gradients for NaN.",
        is_anomaly_check_nan_enabled,
    ),
];
