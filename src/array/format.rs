//! PyTorch's tensor printing, byte for byte (`torch/_tensor_str.py`; rules in
//! ../shared/reference/printing.md). (Implementation owned by the printing work.)

use super::NdArray;
use std::cell::RefCell;

/// `torch.set_printoptions` state.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintOptions {
    pub precision: usize,
    pub threshold: usize,
    pub edgeitems: usize,
    pub linewidth: usize,
    /// None: decide per tensor (PyTorch's default).
    pub sci_mode: Option<bool>,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            precision: 4,
            threshold: 1000,
            edgeitems: 3,
            linewidth: 80,
            sci_mode: None,
        }
    }
}

thread_local! {
    static OPTIONS: RefCell<PrintOptions> = RefCell::new(PrintOptions::default());
}

/// The print options in force.
pub fn print_options() -> PrintOptions {
    OPTIONS.with(|o| o.borrow().clone())
}

/// Replaces the print options (a session reset puts the defaults back).
pub fn set_print_options(options: PrintOptions) {
    OPTIONS.with(|o| *o.borrow_mut() = options);
}

/// `repr(tensor)`: `tensor(...)` with the `size=`/`dtype=` suffixes and, last, `grad_suffix`
/// (`grad_fn=<MulBackward0>` or `requires_grad=True`) when given, wrapped as PyTorch does.
pub fn tensor_repr(array: &NdArray, grad_suffix: Option<&str>) -> String {
    let _ = (array, grad_suffix);
    todo!("printing: tensor_repr")
}
