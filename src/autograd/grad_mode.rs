//! The thread-local grad mode switched by `no_grad`, `enable_grad` and `set_grad_enabled`.

use std::cell::Cell;

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(true) };
}

pub fn is_grad_enabled() -> bool {
    ENABLED.with(|e| e.get())
}

/// Sets grad mode and returns the previous value.
pub fn set_grad_enabled(enabled: bool) -> bool {
    ENABLED.with(|e| e.replace(enabled))
}

/// Restores the previous grad mode when dropped, so an error inside `with no_grad():` cannot
/// leave grad mode switched off.
pub struct GradModeGuard {
    previous: bool,
}

impl GradModeGuard {
    pub fn new(enabled: bool) -> GradModeGuard {
        GradModeGuard {
            previous: set_grad_enabled(enabled),
        }
    }
}

impl Drop for GradModeGuard {
    fn drop(&mut self) {
        set_grad_enabled(self.previous);
    }
}

thread_local! {
    static INFERENCE: Cell<bool> = const { Cell::new(false) };
}

/// `torch.is_inference_mode_enabled()`: tensors made now are inference tensors.
pub fn is_inference_mode_enabled() -> bool {
    INFERENCE.with(|e| e.get())
}

/// Inference mode for a scope (`with torch.inference_mode():`), restored on drop.
pub struct InferenceModeGuard {
    previous: bool,
}

impl InferenceModeGuard {
    pub fn new(enabled: bool) -> InferenceModeGuard {
        InferenceModeGuard {
            previous: INFERENCE.with(|e| e.replace(enabled)),
        }
    }
}

impl Drop for InferenceModeGuard {
    fn drop(&mut self) {
        INFERENCE.with(|e| e.set(self.previous));
    }
}
