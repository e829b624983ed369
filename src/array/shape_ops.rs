//! View ops (share storage) and broadcasting. (Implementation owned by the array work.)
//! Dims arrive as isize and are normalized here with PyTorch's error texts.

use super::NdArray;
use crate::error::PyResult;

/// Broadcast two shapes; error text as PyTorch: "The size of tensor a (3) must match the size of
/// tensor b (4) at non-singleton dimension 1".
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> PyResult<Vec<usize>> {
    let _ = (a, b);
    todo!("array: broadcast_shapes")
}

impl NdArray {
    /// Resolves a -1 in `shape` against numel; "shape '[4]' is invalid for input of size 6",
    /// "only one dimension can be inferred".
    pub fn infer_shape(&self, shape: &[isize]) -> PyResult<Vec<usize>> {
        let _ = shape;
        todo!("array: infer_shape")
    }
    /// True when `view(shape)` is possible without a copy (PyTorch's computeStride rule).
    pub fn can_view(&self, shape: &[usize]) -> bool {
        let _ = shape;
        todo!("array: can_view")
    }
    /// `view`: never copies. Errors: invalid shape (above) or "view size is not compatible with
    /// input tensor's size and stride (at least one dimension spans across two contiguous
    /// subspaces). Use .reshape(...) instead."
    pub fn view(&self, shape: &[isize]) -> PyResult<NdArray> {
        let _ = shape;
        todo!("array: view")
    }
    /// `reshape`: a view when possible, else a contiguous copy.
    pub fn reshape(&self, shape: &[isize]) -> PyResult<NdArray> {
        let _ = shape;
        todo!("array: reshape")
    }
    /// `permute(dims)`; "permute(sparse_coo): number of dimensions in the tensor input does not
    /// match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal
    /// to len(dims) = 3" and repeated-dim errors as PyTorch.
    pub fn permute(&self, dims: &[isize]) -> PyResult<NdArray> {
        let _ = dims;
        todo!("array: permute")
    }
    pub fn transpose(&self, d0: isize, d1: isize) -> PyResult<NdArray> {
        let _ = (d0, d1);
        todo!("array: transpose")
    }
    /// `t()`: 0-D and 1-D unchanged; "t() expects a tensor with <= 2 dimensions, but self is 3D".
    pub fn t(&self) -> PyResult<NdArray> {
        todo!("array: t")
    }
    /// `select(dim, index)`: drops `dim`; "index 5 is out of bounds for dimension 0 with size 3".
    pub fn select(&self, dim: isize, index: isize) -> PyResult<NdArray> {
        let _ = (dim, index);
        todo!("array: select")
    }
    /// Python slice semantics on one dim (start/end clamp, step >= 1; step 0 errors
    /// "slice step cannot be zero", negative "step must be greater than zero").
    pub fn slice(
        &self,
        dim: isize,
        start: Option<isize>,
        end: Option<isize>,
        step: isize,
    ) -> PyResult<NdArray> {
        let _ = (dim, start, end, step);
        todo!("array: slice")
    }
    pub fn unsqueeze(&self, dim: isize) -> PyResult<NdArray> {
        let _ = dim;
        todo!("array: unsqueeze")
    }
    /// `squeeze()` (dim None: all size-1 dims) or `squeeze(dim)` (no-op if size != 1).
    pub fn squeeze(&self, dim: Option<isize>) -> PyResult<NdArray> {
        let _ = dim;
        todo!("array: squeeze")
    }
    /// `expand(sizes)` with -1 meaning keep; stride 0 on expanded dims. PyTorch's errors:
    /// "The expanded size of the tensor (3) must match the existing size (2) at non-singleton
    /// dimension 1.  Target sizes: [2, 3].  Tensor sizes: [2, 2]" (note the two spaces).
    pub fn expand(&self, sizes: &[isize]) -> PyResult<NdArray> {
        let _ = sizes;
        todo!("array: expand")
    }
    /// Broadcast view to `shape` (stride 0 for broadcast dims).
    pub fn broadcast_to(&self, shape: &[usize]) -> PyResult<NdArray> {
        let _ = shape;
        todo!("array: broadcast_to")
    }
    /// `diagonal(offset, dim1, dim2)` as a view (new last dim).
    pub fn diagonal(&self, offset: isize, dim1: isize, dim2: isize) -> PyResult<NdArray> {
        let _ = (offset, dim1, dim2);
        todo!("array: diagonal")
    }
}
