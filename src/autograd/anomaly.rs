//! Anomaly mode (`torch.autograd.set_detect_anomaly`, `detect_anomaly`): with `check_nan`,
//! backward refuses a node whose formula produced NaN; the in-place error's hint changes.
//! (PyTorch also prints the forward traceback of the failing op as a warning; not reproduced.)

use std::cell::Cell;

thread_local! {
    static MODE: Cell<(bool, bool)> = const { Cell::new((false, true)) };
}

/// `torch.is_anomaly_enabled()`.
pub fn is_anomaly_enabled() -> bool {
    MODE.with(|m| m.get().0)
}

/// `torch.is_anomaly_check_nan_enabled()`.
pub fn is_anomaly_check_nan_enabled() -> bool {
    MODE.with(|m| m.get().1)
}

/// Sets (enabled, check_nan) and returns the previous pair.
pub fn set_detect_anomaly(enabled: bool, check_nan: bool) -> (bool, bool) {
    MODE.with(|m| m.replace((enabled, check_nan)))
}

/// The hint closing PyTorch's "modified by an inplace operation" error.
pub(crate) fn inplace_hint() -> &'static str {
    if is_anomaly_enabled() {
        "Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"
    } else {
        "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    }
}

/// PyTorch's NaN check of what a node returned (anomaly mode with `check_nan`).
pub(crate) fn check_nan(
    node: &super::graph::Node,
    grads: &[Option<super::tensor::Tensor>],
) -> crate::error::PyResult<()> {
    let (on, nan) = MODE.with(|m| m.get());
    if !on || !nan {
        return Ok(());
    }
    for (i, g) in grads.iter().enumerate() {
        if let Some(g) = g
            && g.dtype().is_floating()
            && g.array().to_f64_vec().iter().any(|v| v.is_nan())
        {
            return Err(crate::error::runtime_error(format!(
                "Function '{}' returned nan values in its {i}th output.",
                node.name()
            )));
        }
    }
    Ok(())
}
