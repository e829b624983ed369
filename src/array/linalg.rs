//! Matrix products through nalgebra. (Implementation owned by the array work.)
//! Inputs of different float dtypes are an error as in PyTorch ("expected m1 and m2 to have the
//! same dtype, but got: float != double"); integer matmul is computed exactly in i64.

use super::NdArray;
use crate::error::PyResult;

impl NdArray {
    /// 2-D @ 2-D. "mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)".
    pub fn mm(&self, other: &NdArray) -> PyResult<NdArray> {
        let _ = other;
        todo!("array: mm")
    }
    /// 3-D @ 3-D batched. "Expected size for first two dimensions of batch2 tensor to be: [2, 3]
    /// but got: [2, 4]."
    pub fn bmm(&self, other: &NdArray) -> PyResult<NdArray> {
        let _ = other;
        todo!("array: bmm")
    }
    /// 2-D @ 1-D. "size mismatch, got input (2), mat (2x3), vec (4)".
    pub fn mv(&self, other: &NdArray) -> PyResult<NdArray> {
        let _ = other;
        todo!("array: mv")
    }
    /// 1-D · 1-D. "inconsistent tensor size, expected tensor [3] and src [4] to have the same
    /// number of elements, but got 3 and 4 elements respectively"; "1D tensors expected, but got
    /// 2D and 1D tensors".
    pub fn dot(&self, other: &NdArray) -> PyResult<NdArray> {
        let _ = other;
        todo!("array: dot")
    }
}
