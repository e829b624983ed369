//! Factory kernels: arange, linspace, eye. (Implementation owned by the array work.)

use super::{DType, NdArray};
use crate::error::PyResult;

impl NdArray {
    /// `torch.arange(start, end, step, dtype=dtype)`; PyTorch's length rule ceil((end-start)/step).
    /// Errors as PyTorch for step == 0 or a step of the wrong sign.
    pub fn arange(start: f64, end: f64, step: f64, dtype: DType) -> PyResult<NdArray> {
        let _ = (start, end, step, dtype);
        todo!("array: arange")
    }
    /// `torch.linspace(start, end, steps)`, computed like PyTorch (step = (end-start)/(steps-1),
    /// first half from start, second half from end) so the values match bit for bit.
    pub fn linspace(start: f64, end: f64, steps: usize, dtype: DType) -> PyResult<NdArray> {
        let _ = (start, end, steps, dtype);
        todo!("array: linspace")
    }
    /// `torch.eye(n, m)`.
    pub fn eye(n: usize, m: usize, dtype: DType) -> NdArray {
        let _ = (n, m, dtype);
        todo!("array: eye")
    }
}
