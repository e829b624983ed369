//! Gathering, scattering, joining and in-place writes. (Implementation owned by the array work.)

use super::NdArray;
use crate::error::PyResult;

impl NdArray {
    /// Picks `indices` (negative allowed) along `dim`; a new contiguous array whose `dim` has
    /// length indices.len(). "index 5 is out of bounds for dimension 0 with size 3".
    pub fn index_select(&self, dim: usize, indices: &[i64]) -> PyResult<NdArray> {
        let _ = (dim, indices);
        todo!("array: index_select")
    }
    /// Out-of-place: a copy of self with `src` rows added at `indices` along `dim`
    /// (accumulating duplicates). The backward of index_select.
    pub fn index_add(&self, dim: usize, indices: &[i64], src: &NdArray) -> PyResult<NdArray> {
        let _ = (dim, indices, src);
        todo!("array: index_add")
    }
    /// Elements where the bool `mask` (broadcast to self) is true, as a 1-D array.
    /// "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4]
    /// at index 0".
    pub fn masked_select(&self, mask: &NdArray) -> PyResult<NdArray> {
        let _ = mask;
        todo!("array: masked_select")
    }
    /// Out-of-place: copy of self with the true positions of `mask` replaced, in order, by the
    /// elements of 1-D `src`. The backward of masked_select.
    pub fn masked_scatter(&self, mask: &NdArray, src: &NdArray) -> PyResult<NdArray> {
        let _ = (mask, src);
        todo!("array: masked_scatter")
    }
    /// `gather(dim, index)` (int64 index of the output's shape).
    pub fn gather(&self, dim: usize, index: &NdArray) -> PyResult<NdArray> {
        let _ = (dim, index);
        todo!("array: gather")
    }
    /// Out-of-place `scatter_add(dim, index, src)`.
    pub fn scatter_add(&self, dim: usize, index: &NdArray, src: &NdArray) -> PyResult<NdArray> {
        let _ = (dim, index, src);
        todo!("array: scatter_add")
    }
    /// In place: writes `src` (broadcast to self's shape, cast to self's dtype) into the
    /// elements self views. "The size of tensor a ..." style errors on bad broadcast.
    pub fn copy_from(&self, src: &NdArray) -> PyResult<()> {
        let _ = src;
        todo!("array: copy_from")
    }
    /// In place fill of the viewed elements.
    pub fn fill(&self, value: f64) {
        let _ = value;
        todo!("array: fill")
    }
    /// `torch.cat`. "Sizes of tensors must match except in dimension 0. Expected size 2 but got
    /// size 3 for tensor number 1 in the list."; "torch.cat(): expected a non-empty list of Tensors".
    /// Mixed dtypes promote.
    pub fn cat(arrays: &[NdArray], dim: isize) -> PyResult<NdArray> {
        let _ = (arrays, dim);
        todo!("array: cat")
    }
    /// `torch.stack`. "stack expects each tensor to be equal size, but got [2] at entry 0 and [3]
    /// at entry 1"; "stack expects a non-empty TensorList".
    pub fn stack(arrays: &[NdArray], dim: isize) -> PyResult<NdArray> {
        let _ = (arrays, dim);
        todo!("array: stack")
    }
    /// `repeat(sizes)` (copy). "Number of dimensions of repeat dims can not be smaller than
    /// number of dimensions of tensor".
    pub fn repeat(&self, sizes: &[usize]) -> PyResult<NdArray> {
        let _ = sizes;
        todo!("array: repeat")
    }
    /// `torch.diag`: 1-D → 2-D with the vector on diagonal `offset`; 2-D → its diagonal (copy).
    pub fn diag(&self, offset: isize) -> PyResult<NdArray> {
        let _ = offset;
        todo!("array: diag")
    }
    /// `tril`/`triu` (copy), k = diagonal offset.
    pub fn tril(&self, k: isize) -> PyResult<NdArray> {
        let _ = k;
        todo!("array: tril")
    }
    pub fn triu(&self, k: isize) -> PyResult<NdArray> {
        let _ = k;
        todo!("array: triu")
    }
}
