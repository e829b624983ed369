//! View ops (share storage) and broadcasting. (Implementation owned by the array work.)
//! Dims arrive as isize and are normalized here with PyTorch's error texts.

use super::kernel::fmt_shape;
use super::{DType, NdArray, contiguous_strides, normalize_dim};
use crate::error::{PyResult, index_error, runtime_error, value_error};

/// Broadcast two shapes; error text as PyTorch: "The size of tensor a (3) must match the size of
/// tensor b (4) at non-singleton dimension 1".
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> PyResult<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        // Align from the right: missing leading dims act as size 1.
        let da = if i + a.len() >= n {
            a[i + a.len() - n]
        } else {
            1
        };
        let db = if i + b.len() >= n {
            b[i + b.len() - n]
        } else {
            1
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(runtime_error(format!(
                "The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}"
            )));
        };
    }
    Ok(out)
}

/// ATen's `computeStride`: strides that let a tensor of `oldshape`/`oldstride` be viewed with
/// `newshape` without copying, or None when a dim of the view would span two non-contiguous
/// chunks of the original.
fn compute_stride(
    oldshape: &[usize],
    oldstride: &[usize],
    newshape: &[usize],
) -> Option<Vec<usize>> {
    if oldshape.is_empty() {
        return Some(vec![1; newshape.len()]);
    }
    let numel: usize = oldshape.iter().product();
    if numel == 0 && oldshape == newshape {
        return Some(oldstride.to_vec());
    }
    let mut newstride = vec![0usize; newshape.len()];
    if numel == 0 {
        for d in (0..newshape.len()).rev() {
            newstride[d] = if d + 1 == newshape.len() {
                1
            } else {
                newshape[d + 1].max(1) * newstride[d + 1]
            };
        }
        return Some(newstride);
    }
    let mut view_d = newshape.len() as isize - 1;
    let mut chunk_base_stride = *oldstride.last()?;
    let mut tensor_numel = 1usize;
    let mut view_numel = 1usize;
    for tensor_d in (0..oldshape.len()).rev() {
        tensor_numel *= oldshape[tensor_d];
        // A chunk ends where the next-outer dim is not laid out right after this one.
        if tensor_d == 0
            || (oldshape[tensor_d - 1] != 1
                && oldstride[tensor_d - 1] != tensor_numel * chunk_base_stride)
        {
            while view_d >= 0 && (view_numel < tensor_numel || newshape[view_d as usize] == 1) {
                newstride[view_d as usize] = view_numel * chunk_base_stride;
                view_numel *= newshape[view_d as usize];
                view_d -= 1;
            }
            if view_numel != tensor_numel {
                return None;
            }
            if tensor_d > 0 {
                chunk_base_stride = oldstride[tensor_d - 1];
                tensor_numel = 1;
                view_numel = 1;
            }
        }
    }
    if view_d != -1 {
        return None;
    }
    Some(newstride)
}

/// `torch.FloatTensor`-style legacy type names used by `expand`'s error.
fn legacy_type_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "torch.BoolTensor",
        DType::I32 => "torch.IntTensor",
        DType::I64 => "torch.LongTensor",
        DType::F32 => "torch.FloatTensor",
        DType::F64 => "torch.DoubleTensor",
    }
}

impl NdArray {
    /// Resolves a -1 in `shape` against numel; "shape '[4]' is invalid for input of size 6",
    /// "only one dimension can be inferred".
    pub fn infer_shape(&self, shape: &[isize]) -> PyResult<Vec<usize>> {
        let numel = self.numel();
        let mut infer = None;
        let mut known = 1usize;
        for (i, &d) in shape.iter().enumerate() {
            if d == -1 {
                if infer.is_some() {
                    return Err(runtime_error("only one dimension can be inferred"));
                }
                infer = Some(i);
            } else if d < 0 {
                return Err(runtime_error(format!("invalid shape dimension {d}")));
            } else {
                known = known.saturating_mul(d as usize);
            }
        }
        let invalid = || {
            runtime_error(format!(
                "shape '{}' is invalid for input of size {}",
                fmt_shape(shape),
                numel
            ))
        };
        let mut out: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        match infer {
            Some(i) => {
                if known == 0 {
                    if numel == 0 {
                        return Err(runtime_error(format!(
                            "cannot reshape tensor of 0 elements into shape {} because the unspecified dimension size -1 can be any value and is ambiguous",
                            fmt_shape(shape)
                        )));
                    }
                    return Err(invalid());
                }
                if !numel.is_multiple_of(known) {
                    return Err(invalid());
                }
                out[i] = numel / known;
            }
            None => {
                if known != numel {
                    return Err(invalid());
                }
            }
        }
        Ok(out)
    }

    /// True when `view(shape)` is possible without a copy (PyTorch's computeStride rule).
    pub fn can_view(&self, shape: &[usize]) -> bool {
        shape.iter().product::<usize>() == self.numel()
            && compute_stride(self.shape(), self.strides(), shape).is_some()
    }

    /// `view`: never copies. Errors: invalid shape (above) or "view size is not compatible with
    /// input tensor's size and stride (at least one dimension spans across two contiguous
    /// subspaces). Use .reshape(...) instead."
    pub fn view(&self, shape: &[isize]) -> PyResult<NdArray> {
        let shape = self.infer_shape(shape)?;
        match compute_stride(self.shape(), self.strides(), &shape) {
            Some(strides) => Ok(self.with_layout(shape, strides, self.offset())),
            None => Err(runtime_error(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
            )),
        }
    }

    /// `reshape`: a view when possible, else a contiguous copy.
    pub fn reshape(&self, shape: &[isize]) -> PyResult<NdArray> {
        let shape = self.infer_shape(shape)?;
        match compute_stride(self.shape(), self.strides(), &shape) {
            Some(strides) => Ok(self.with_layout(shape, strides, self.offset())),
            None => {
                let copy = self.deep_copy();
                Ok(copy.with_layout(shape.clone(), contiguous_strides(&shape), 0))
            }
        }
    }

    /// `permute(dims)`; "permute(sparse_coo): number of dimensions in the tensor input does not
    /// match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal
    /// to len(dims) = 3" and repeated-dim errors as PyTorch.
    pub fn permute(&self, dims: &[isize]) -> PyResult<NdArray> {
        let nd = self.ndim();
        if dims.len() != nd {
            return Err(runtime_error(format!(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {} is not equal to len(dims) = {}",
                nd,
                dims.len()
            )));
        }
        let mut seen = vec![false; nd];
        let mut shape = Vec::with_capacity(nd);
        let mut strides = Vec::with_capacity(nd);
        for &d in dims {
            let d = normalize_dim(d, nd)?;
            if seen[d] {
                return Err(runtime_error("permute(): duplicate dims are not allowed."));
            }
            seen[d] = true;
            shape.push(self.shape()[d]);
            strides.push(self.strides()[d]);
        }
        Ok(self.with_layout(shape, strides, self.offset()))
    }

    pub fn transpose(&self, d0: isize, d1: isize) -> PyResult<NdArray> {
        let nd = self.ndim();
        let a = normalize_dim(d0, nd)?;
        let b = normalize_dim(d1, nd)?;
        if nd == 0 {
            return Ok(self.clone());
        }
        let mut shape = self.shape().to_vec();
        let mut strides = self.strides().to_vec();
        shape.swap(a, b);
        strides.swap(a, b);
        Ok(self.with_layout(shape, strides, self.offset()))
    }

    /// `t()`: 0-D and 1-D unchanged; "t() expects a tensor with <= 2 dimensions, but self is 3D".
    pub fn t(&self) -> PyResult<NdArray> {
        match self.ndim() {
            0 | 1 => Ok(self.clone()),
            2 => self.transpose(0, 1),
            n => Err(runtime_error(format!(
                "t() expects a tensor with <= 2 dimensions, but self is {n}D"
            ))),
        }
    }

    /// `select(dim, index)`: drops `dim`; "index 5 is out of bounds for dimension 0 with size 3".
    pub fn select(&self, dim: isize, index: isize) -> PyResult<NdArray> {
        if self.ndim() == 0 {
            return Err(index_error("select() cannot be applied to a 0-dim tensor."));
        }
        let d = normalize_dim(dim, self.ndim())?;
        let size = self.shape()[d] as isize;
        if index < -size || index >= size {
            return Err(index_error(format!(
                "index {index} is out of bounds for dimension {d} with size {size}"
            )));
        }
        let i = if index < 0 { index + size } else { index } as usize;
        let mut shape = self.shape().to_vec();
        let mut strides = self.strides().to_vec();
        let offset = self.offset() + i * strides[d];
        shape.remove(d);
        strides.remove(d);
        Ok(self.with_layout(shape, strides, offset))
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
        if step == 0 {
            return Err(value_error("slice step cannot be zero"));
        }
        if step < 0 {
            return Err(value_error("step must be greater than zero"));
        }
        if self.ndim() == 0 {
            return Err(index_error("slice() cannot be applied to a 0-dim tensor."));
        }
        let d = normalize_dim(dim, self.ndim())?;
        let size = self.shape()[d] as isize;
        let clamp = |v: isize| {
            let v = if v < 0 { v + size } else { v };
            v.clamp(0, size)
        };
        let s = start.map_or(0, clamp);
        let e = end.map_or(size, clamp).max(s);
        let len = ((e - s) + step - 1) / step;
        let mut shape = self.shape().to_vec();
        let mut strides = self.strides().to_vec();
        let offset = self.offset() + s as usize * strides[d];
        shape[d] = len as usize;
        strides[d] *= step as usize;
        Ok(self.with_layout(shape, strides, offset))
    }

    pub fn unsqueeze(&self, dim: isize) -> PyResult<NdArray> {
        let nd = self.ndim();
        let d = normalize_dim(dim, nd + 1)?;
        let mut shape = self.shape().to_vec();
        let mut strides = self.strides().to_vec();
        let stride = if d >= nd { 1 } else { shape[d] * strides[d] };
        shape.insert(d, 1);
        strides.insert(d, stride);
        Ok(self.with_layout(shape, strides, self.offset()))
    }

    /// `squeeze()` (dim None: all size-1 dims) or `squeeze(dim)` (no-op if size != 1).
    pub fn squeeze(&self, dim: Option<isize>) -> PyResult<NdArray> {
        let keep: Vec<usize> = match dim {
            None => (0..self.ndim()).filter(|&d| self.shape()[d] != 1).collect(),
            Some(dim) => {
                let d = normalize_dim(dim, self.ndim())?;
                (0..self.ndim())
                    .filter(|&i| i != d || self.shape()[i] != 1)
                    .collect()
            }
        };
        let shape = keep.iter().map(|&d| self.shape()[d]).collect();
        let strides = keep.iter().map(|&d| self.strides()[d]).collect();
        Ok(self.with_layout(shape, strides, self.offset()))
    }

    /// `expand(sizes)` with -1 meaning keep; stride 0 on expanded dims. PyTorch's errors:
    /// "The expanded size of the tensor (3) must match the existing size (2) at non-singleton
    /// dimension 1.  Target sizes: [2, 3].  Tensor sizes: [2, 2]" (note the two spaces).
    pub fn expand(&self, sizes: &[isize]) -> PyResult<NdArray> {
        let nd = self.ndim();
        let n = sizes.len();
        if n < nd {
            return Err(runtime_error(format!(
                "expand({}{{{}}}, size={}): the number of sizes provided ({}) must be greater or equal to the number of dimensions in the tensor ({})",
                legacy_type_name(self.dtype()),
                fmt_shape(self.shape()),
                fmt_shape(sizes),
                n,
                nd
            )));
        }
        let mut shape = vec![0usize; n];
        let mut strides = vec![0usize; n];
        for i in (0..n).rev() {
            let offset = n - 1 - i;
            let target = sizes[i];
            if offset >= nd {
                // A new leading dim: it must be given explicitly.
                if target == -1 {
                    return Err(runtime_error(format!(
                        "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}"
                    )));
                }
                if target < 0 {
                    return Err(runtime_error(format!(
                        "Trying to create tensor with negative dimension {}: {}",
                        target,
                        fmt_shape(sizes)
                    )));
                }
                shape[i] = target as usize;
                strides[i] = 0;
                continue;
            }
            let d = nd - 1 - offset;
            let size = self.shape()[d];
            let target = if target == -1 { size as isize } else { target };
            if target < 0 {
                return Err(runtime_error(format!(
                    "Trying to create tensor with negative dimension {}: {}",
                    target,
                    fmt_shape(sizes)
                )));
            }
            let target = target as usize;
            if size == target {
                shape[i] = size;
                strides[i] = self.strides()[d];
            } else if size == 1 {
                shape[i] = target;
                strides[i] = 0;
            } else {
                return Err(runtime_error(format!(
                    "The expanded size of the tensor ({}) must match the existing size ({}) at non-singleton dimension {}.  Target sizes: {}.  Tensor sizes: {}",
                    target,
                    size,
                    i,
                    fmt_shape(sizes),
                    fmt_shape(self.shape())
                )));
            }
        }
        Ok(self.with_layout(shape, strides, self.offset()))
    }

    /// Broadcast view to `shape` (stride 0 for broadcast dims).
    pub fn broadcast_to(&self, shape: &[usize]) -> PyResult<NdArray> {
        if shape == self.shape() {
            return Ok(self.clone());
        }
        let sizes: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
        self.expand(&sizes)
    }

    /// `diagonal(offset, dim1, dim2)` as a view (new last dim).
    pub fn diagonal(&self, offset: isize, dim1: isize, dim2: isize) -> PyResult<NdArray> {
        let nd = self.ndim();
        let d1 = normalize_dim(dim1, nd)?;
        let d2 = normalize_dim(dim2, nd)?;
        if d1 == d2 {
            return Err(runtime_error(format!(
                "diagonal dimensions cannot be identical {dim1}, {dim2}"
            )));
        }
        let (s1, s2) = (self.shape()[d1] as isize, self.shape()[d2] as isize);
        let len = if offset >= 0 {
            s1.min(s2 - offset).max(0)
        } else {
            (s1 + offset).min(s2).max(0)
        };
        let mut start = self.offset();
        if len > 0 {
            if offset >= 0 {
                start += offset as usize * self.strides()[d2];
            } else {
                start += (-offset) as usize * self.strides()[d1];
            }
        }
        let mut shape = Vec::with_capacity(nd - 1);
        let mut strides = Vec::with_capacity(nd - 1);
        for d in 0..nd {
            if d != d1 && d != d2 {
                shape.push(self.shape()[d]);
                strides.push(self.strides()[d]);
            }
        }
        shape.push(len as usize);
        strides.push(self.strides()[d1] + self.strides()[d2]);
        Ok(self.with_layout(shape, strides, start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arange(n: usize) -> NdArray {
        NdArray::from_vec((0..n as i64).collect::<Vec<_>>(), vec![n])
    }

    #[test]
    fn broadcast_shapes_and_errors() {
        assert_eq!(
            broadcast_shapes(&[2, 1, 3], &[4, 1]).unwrap(),
            vec![2, 4, 3]
        );
        assert_eq!(broadcast_shapes(&[], &[3]).unwrap(), vec![3]);
        assert_eq!(broadcast_shapes(&[0, 1], &[3]).unwrap(), vec![0, 3]);
        let e = broadcast_shapes(&[2, 3], &[4]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
        );
    }

    #[test]
    fn view_shares_storage_and_errors() {
        let a = arange(6);
        let v = a.view(&[2, -1]).unwrap();
        assert_eq!(v.shape(), &[2, 3]);
        assert!(v.shares_storage(&a));
        assert_eq!(
            a.view(&[4]).unwrap_err().to_string(),
            "RuntimeError: shape '[4]' is invalid for input of size 6"
        );
        assert_eq!(
            a.view(&[-1, -1]).unwrap_err().to_string(),
            "RuntimeError: only one dimension can be inferred"
        );
        assert_eq!(
            a.reshape(&[-1, 4]).unwrap_err().to_string(),
            "RuntimeError: shape '[-1, 4]' is invalid for input of size 6"
        );
        let t = v.t().unwrap();
        assert!(
            t.view(&[6])
                .unwrap_err()
                .msg
                .starts_with("view size is not compatible")
        );
    }

    #[test]
    fn reshape_views_contiguous_copies_transposed() {
        let a = arange(6).view(&[2, 3]).unwrap();
        let r = a.reshape(&[3, 2]).unwrap();
        assert!(r.shares_storage(&a));
        let t = a.t().unwrap();
        assert!(!t.can_view(&[6]));
        let r = t.reshape(&[6]).unwrap();
        assert!(!r.shares_storage(&a));
        assert_eq!(r.to_vec::<i64>(), vec![0, 3, 1, 4, 2, 5]);
        // A transposed view can still be split along a single dim.
        assert!(t.can_view(&[3, 2, 1]));
        assert!(t.view(&[3, 1, 2]).is_ok());
    }

    #[test]
    fn permute_transpose_select_slice() {
        let a = arange(24).view(&[2, 3, 4]).unwrap();
        let p = a.permute(&[2, 0, 1]).unwrap();
        assert_eq!(p.shape(), &[4, 2, 3]);
        assert_eq!(p.get(&[1, 1, 2]).unwrap(), a.get(&[1, 2, 1]).unwrap());
        assert_eq!(
            a.permute(&[0, 1]).unwrap_err().msg,
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 3 is not equal to len(dims) = 2"
        );
        assert_eq!(
            a.permute(&[0, 0, 1]).unwrap_err().msg,
            "permute(): duplicate dims are not allowed."
        );
        let s = a.select(1, -1).unwrap();
        assert_eq!(s.to_vec::<i64>(), vec![8, 9, 10, 11, 20, 21, 22, 23]);
        assert_eq!(
            arange(3).select(0, 5).unwrap_err().to_string(),
            "IndexError: index 5 is out of bounds for dimension 0 with size 3"
        );
        let sl = arange(10).slice(0, Some(1), Some(-2), 3).unwrap();
        assert_eq!(sl.to_vec::<i64>(), vec![1, 4, 7]);
        let sl = arange(10).slice(0, Some(8), Some(2), 1).unwrap();
        assert_eq!(sl.shape(), &[0]);
        assert_eq!(
            arange(3).slice(0, None, None, 0).unwrap_err().msg,
            "slice step cannot be zero"
        );
        assert_eq!(
            arange(3).transpose(0, 2).unwrap_err().msg,
            "Dimension out of range (expected to be in range of [-1, 0], but got 2)"
        );
        let t3 = NdArray::zeros(&[1, 2, 3], DType::F32);
        assert_eq!(
            t3.t().unwrap_err().msg,
            "t() expects a tensor with <= 2 dimensions, but self is 3D"
        );
    }

    #[test]
    fn squeeze_unsqueeze_expand() {
        let a = arange(3);
        let u = a.unsqueeze(0).unwrap();
        assert_eq!(u.shape(), &[1, 3]);
        let u = a.unsqueeze(-1).unwrap();
        assert_eq!(u.shape(), &[3, 1]);
        assert_eq!(u.squeeze(None).unwrap().shape(), &[3]);
        assert_eq!(u.squeeze(Some(0)).unwrap().shape(), &[3, 1]);
        let e = u.expand(&[2, -1, 4]).unwrap();
        assert_eq!(e.shape(), &[2, 3, 4]);
        assert_eq!(e.strides(), &[0, 1, 0]);
        assert_eq!(e.to_vec::<i64>()[..8], [0, 0, 0, 0, 1, 1, 1, 1]);
        let z = NdArray::zeros(&[2, 2], DType::F32);
        assert_eq!(
            z.expand(&[2, 3]).unwrap_err().msg,
            "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1.  Target sizes: [2, 3].  Tensor sizes: [2, 2]"
        );
        assert_eq!(
            z.expand(&[2]).unwrap_err().msg,
            "expand(torch.FloatTensor{[2, 2]}, size=[2]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)"
        );
    }

    #[test]
    fn diagonal_view() {
        let a = arange(12).view(&[3, 4]).unwrap();
        assert_eq!(a.diagonal(0, 0, 1).unwrap().to_vec::<i64>(), vec![0, 5, 10]);
        assert_eq!(a.diagonal(1, 0, 1).unwrap().to_vec::<i64>(), vec![1, 6, 11]);
        assert_eq!(a.diagonal(-1, 0, 1).unwrap().to_vec::<i64>(), vec![4, 9]);
        assert_eq!(a.diagonal(5, 0, 1).unwrap().shape(), &[0]);
        assert!(a.diagonal(0, 0, 1).unwrap().shares_storage(&a));
    }
}
