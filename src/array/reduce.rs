//! Reductions along dims, softmax. (Implementation owned by the array work.)
//! `dims` are already normalized (0..ndim) and deduplicated; an empty slice means "all dims".

use super::NdArray;

impl NdArray {
    /// Sum; bool/int inputs sum to int64, floats keep their dtype. Float sums accumulate in f64
    /// and round once at the end (PyTorch's cascade sum is about as accurate).
    pub fn sum(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: sum")
    }
    pub fn mean(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: mean")
    }
    pub fn prod(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: prod")
    }
    /// Max/min values over dims (NaN propagates like PyTorch).
    pub fn amax(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: amax")
    }
    pub fn amin(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: amin")
    }
    /// `max(dim)`: (values, int64 indices of the first maximal element).
    pub fn max_dim(&self, dim: usize, keepdim: bool) -> (NdArray, NdArray) {
        let _ = (dim, keepdim);
        todo!("array: max_dim")
    }
    pub fn min_dim(&self, dim: usize, keepdim: bool) -> (NdArray, NdArray) {
        let _ = (dim, keepdim);
        todo!("array: min_dim")
    }
    /// argmax over the flattened array (dim None) or along dim.
    pub fn argmax(&self, dim: Option<usize>, keepdim: bool) -> NdArray {
        let _ = (dim, keepdim);
        todo!("array: argmax")
    }
    pub fn argmin(&self, dim: Option<usize>, keepdim: bool) -> NdArray {
        let _ = (dim, keepdim);
        todo!("array: argmin")
    }
    /// Logical any/all over dims; result bool.
    pub fn any(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: any")
    }
    pub fn all(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let _ = (dims, keepdim);
        todo!("array: all")
    }
    pub fn cumsum(&self, dim: usize) -> NdArray {
        let _ = dim;
        todo!("array: cumsum")
    }
    /// Numerically stable softmax / log_softmax along dim (max-subtracted), float dtypes.
    pub fn softmax(&self, dim: usize) -> NdArray {
        let _ = dim;
        todo!("array: softmax")
    }
    pub fn log_softmax(&self, dim: usize) -> NdArray {
        let _ = dim;
        todo!("array: log_softmax")
    }
}
