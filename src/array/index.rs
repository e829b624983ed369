//! Gathering, scattering, joining and in-place writes. (Implementation owned by the array work.)

use super::kernel::{fmt_shape, split_at_dim, typed, typed_mut, walk};
use super::{DType, Element, NdArray, broadcast_shapes, contiguous_strides, normalize_dim};
use crate::error::{PyResult, index_error, runtime_error};

/// Calls `f` with every multi-index of `shape` in C order.
fn for_each_index(shape: &[usize], mut f: impl FnMut(&[usize])) {
    if shape.contains(&0) {
        return;
    }
    let mut idx = vec![0usize; shape.len()];
    loop {
        f(&idx);
        let mut d = shape.len();
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
}

/// Python-style wrap of an index into `0..size` with PyTorch's out-of-bounds text.
fn wrap_index(i: i64, dim: usize, size: usize) -> PyResult<usize> {
    let s = size as i64;
    if i < -s || i >= s {
        return Err(index_error(format!(
            "index {i} is out of bounds for dimension {dim} with size {size}"
        )));
    }
    Ok(if i < 0 { i + s } else { i } as usize)
}

/// Elementwise `a + b` for any dtype, chosen once per kernel (bool: logical or, as PyTorch's
/// add on bool). Float32 sums go through f64, which rounds exactly like f32 addition since
/// f64 carries more than twice f32's precision.
fn adder<T: Element>() -> fn(T, T) -> T {
    match T::DTYPE {
        DType::Bool => |a, b| T::from_i64((a.to_i64() != 0 || b.to_i64() != 0) as i64),
        DType::I32 | DType::I64 => |a, b| T::from_i64(a.to_i64().wrapping_add(b.to_i64())),
        DType::F32 | DType::F64 => |a, b| T::from_f64(a.to_f64() + b.to_f64()),
    }
}

impl NdArray {
    /// Picks `indices` (negative allowed) along `dim`; a new contiguous array whose `dim` has
    /// length indices.len(). "index 5 is out of bounds for dimension 0 with size 3".
    pub fn index_select(&self, dim: usize, indices: &[i64]) -> PyResult<NdArray> {
        if self.ndim() == 0 {
            return self.reshape(&[1])?.index_select(dim, indices);
        }
        let dim = normalize_dim(dim as isize, self.ndim())?;
        let size = self.shape()[dim];
        let idx = indices
            .iter()
            .map(|&i| wrap_index(i, dim, size))
            .collect::<PyResult<Vec<_>>>()?;
        let (pre, _, post) = split_at_dim(self.shape(), dim);
        let mut shape = self.shape().to_vec();
        shape[dim] = idx.len();
        let c = self.contiguous();
        let storage = c.storage();
        let out = crate::with_dtype!(self.dtype(), T, {
            let src = &typed::<T>(&storage)[c.offset()..];
            let mut out: Vec<T> = crate::array::alloc::vec_with_capacity(pre * idx.len() * post);
            for p in 0..pre {
                for &k in &idx {
                    let start = (p * size + k) * post;
                    out.extend_from_slice(&src[start..start + post]);
                }
            }
            T::into_storage(out)
        });
        Ok(NdArray::from_storage(out, shape))
    }

    /// `flip(dims)`: a copy with each of `dims` (distinct, in range) reversed, laid out like
    /// this array as in PyTorch (whose flip keeps the input's memory order).
    pub fn flip(&self, dims: &[usize]) -> PyResult<NdArray> {
        let mut out = self.contiguous();
        for &d in dims {
            let n = self.shape()[d] as i64;
            out = out.index_select(d, &(0..n).rev().collect::<Vec<_>>())?;
        }
        Ok(if self.is_contiguous() {
            out
        } else {
            out.deep_copy_like(self)
        })
    }

    /// `roll(shifts, dims)` with one shift per dim (in range): element `i` of a dim moves to
    /// `(i + shift) mod size`. A C-order copy, as PyTorch's roll makes.
    pub fn roll(&self, shifts: &[i64], dims: &[usize]) -> PyResult<NdArray> {
        let mut out = self.contiguous();
        for (&shift, &d) in shifts.iter().zip(dims) {
            let n = self.shape()[d] as i64;
            if n == 0 {
                continue;
            }
            let from: Vec<i64> = (0..n).map(|i| (i - shift).rem_euclid(n)).collect();
            out = out.index_select(d, &from)?;
        }
        Ok(out)
    }

    /// Out-of-place: a copy of self with `src` rows added at `indices` along `dim`
    /// (accumulating duplicates). The backward of index_select.
    pub fn index_add(&self, dim: usize, indices: &[i64], src: &NdArray) -> PyResult<NdArray> {
        if self.ndim() == 0 {
            let flat = self.reshape(&[1])?;
            let src = if src.ndim() == 0 {
                src.reshape(&[1])?
            } else {
                src.clone()
            };
            return flat.index_add(dim, indices, &src)?.reshape(&[]);
        }
        let dim = normalize_dim(dim as isize, self.ndim())?;
        let mut expected = self.shape().to_vec();
        expected[dim] = indices.len();
        if src.shape() != expected.as_slice() {
            return Err(runtime_error(format!(
                "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = {} source.shape = {}",
                fmt_shape(self.shape()),
                fmt_shape(src.shape())
            )));
        }
        let size = self.shape()[dim];
        let idx = indices
            .iter()
            .map(|&i| wrap_index(i, dim, size))
            .collect::<PyResult<Vec<_>>>()?;
        let (pre, _, post) = split_at_dim(self.shape(), dim);
        let out = self.deep_copy();
        let src = src.cast_to(self.dtype());
        crate::with_dtype!(self.dtype(), T, {
            let s = src.typed_vec::<T>();
            let add = adder::<T>();
            let mut storage = out.storage_mut();
            let o = typed_mut::<T>(&mut storage);
            for p in 0..pre {
                for (j, &k) in idx.iter().enumerate() {
                    let dst = (p * size + k) * post;
                    let from = (p * idx.len() + j) * post;
                    for q in 0..post {
                        o[dst + q] = add(o[dst + q], s[from + q]);
                    }
                }
            }
        });
        Ok(out)
    }

    /// The mask broadcast to self's shape, with the indexing error text when it does not fit.
    fn mask_for(&self, mask: &NdArray, op: &str) -> PyResult<Vec<bool>> {
        if mask.dtype() != DType::Bool {
            return Err(runtime_error(format!("{op}: expected BoolTensor for mask")));
        }
        let fits = broadcast_shapes(self.shape(), mask.shape()).is_ok_and(|s| s == self.shape());
        if !fits {
            let n = self.ndim().min(mask.ndim());
            let i = (0..n)
                .find(|&i| mask.shape()[i] != self.shape()[i])
                .unwrap_or(0);
            return Err(index_error(format!(
                "The shape of the mask {} at index {} does not match the shape of the indexed tensor {} at index {}",
                fmt_shape(mask.shape()),
                i,
                fmt_shape(self.shape()),
                i
            )));
        }
        Ok(mask.broadcast_to(self.shape())?.typed_vec::<bool>())
    }

    /// Elements where the bool `mask` (broadcast to self) is true, as a 1-D array.
    /// "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4]
    /// at index 0".
    pub fn masked_select(&self, mask: &NdArray) -> PyResult<NdArray> {
        let m = self.mask_for(mask, "masked_select")?;
        let storage = crate::with_dtype!(self.dtype(), T, {
            let vals = self.typed_vec::<T>();
            T::into_storage(
                vals.into_iter()
                    .zip(&m)
                    .filter(|(_, k)| **k)
                    .map(|(v, _)| v)
                    .collect(),
            )
        });
        let n = storage.len();
        Ok(NdArray::from_storage(storage, vec![n]))
    }

    /// Out-of-place: copy of self with the true positions of `mask` replaced, in order, by the
    /// elements of 1-D `src`. The backward of masked_select.
    pub fn masked_scatter(&self, mask: &NdArray, src: &NdArray) -> PyResult<NdArray> {
        let m = self.mask_for(mask, "masked_scatter_")?;
        let count = m.iter().filter(|&&k| k).count();
        if src.numel() < count {
            return Err(runtime_error(
                "Number of elements of source < number of ones in mask",
            ));
        }
        let src = src.cast_to(self.dtype());
        let storage = crate::with_dtype!(self.dtype(), T, {
            let mut vals = self.typed_vec::<T>();
            let s = src.typed_vec::<T>();
            let mut j = 0;
            for (v, &k) in vals.iter_mut().zip(&m) {
                if k {
                    *v = s[j];
                    j += 1;
                }
            }
            T::into_storage(vals)
        });
        Ok(NdArray::from_storage(storage, self.shape().to_vec()))
    }

    /// Shared checks of gather/scatter_add: int64 index with self's rank, and no dim (other
    /// than `dim`) larger than self's.
    fn check_index(&self, dim: usize, index: &NdArray, op: &str) -> PyResult<usize> {
        if index.dtype() != DType::I64 {
            return Err(runtime_error(format!(
                "{op}(): Expected dtype int64 for index"
            )));
        }
        if index.ndim() != self.ndim() {
            return Err(runtime_error(
                "Index tensor must have the same number of dimensions as input tensor",
            ));
        }
        let dim = normalize_dim(dim as isize, self.ndim())?;
        for d in 0..self.ndim() {
            if d != dim && index.shape()[d] > self.shape()[d] {
                return Err(runtime_error(format!(
                    "Size does not match at dimension {} expected index {} to be smaller than self {} apart from dimension {}",
                    d,
                    fmt_shape(index.shape()),
                    fmt_shape(self.shape()),
                    dim
                )));
            }
        }
        Ok(dim)
    }

    /// `gather(dim, index)` (int64 index of the output's shape).
    pub fn gather(&self, dim: usize, index: &NdArray) -> PyResult<NdArray> {
        let dim = self.check_index(dim, index, "gather")?;
        let idx = index.typed_vec::<i64>();
        let size = self.shape().get(dim).copied().unwrap_or(1);
        let storage = self.storage();
        let out = crate::with_dtype!(self.dtype(), T, {
            let src = typed::<T>(&storage);
            let mut out: Vec<T> = crate::array::alloc::vec_with_capacity(idx.len());
            let mut err = None;
            let mut n = 0;
            for_each_index(index.shape(), |ix| {
                let v = idx[n];
                n += 1;
                if err.is_some() {
                    return;
                }
                if v < 0 || v as usize >= size {
                    err = Some(runtime_error(format!(
                        "index {v} is out of bounds for dimension {dim} with size {size}"
                    )));
                    return;
                }
                let mut pos = self.offset();
                for (d, &i) in ix.iter().enumerate() {
                    pos += if d == dim { v as usize } else { i } * self.strides()[d];
                }
                out.push(src[pos]);
            });
            if let Some(e) = err {
                return Err(e);
            }
            T::into_storage(out)
        });
        Ok(NdArray::from_storage(out, index.shape().to_vec()))
    }

    /// Out-of-place `scatter_add(dim, index, src)`.
    pub fn scatter_add(&self, dim: usize, index: &NdArray, src: &NdArray) -> PyResult<NdArray> {
        let dim = self.check_index(dim, index, "scatter_add")?;
        if src.ndim() != index.ndim() {
            return Err(runtime_error(
                "Index tensor must have the same number of dimensions as src tensor",
            ));
        }
        for d in 0..index.ndim() {
            if index.shape()[d] > src.shape().get(d).copied().unwrap_or(1) {
                return Err(runtime_error(format!(
                    "Size does not match at dimension {} expected index {} to be smaller than src {}",
                    d,
                    fmt_shape(index.shape()),
                    fmt_shape(src.shape())
                )));
            }
        }
        let idx = index.typed_vec::<i64>();
        let size = self.shape().get(dim).copied().unwrap_or(1);
        if let Some(&v) = idx.iter().find(|&&v| v < 0 || v as usize >= size) {
            return Err(runtime_error(format!(
                "index {v} is out of bounds for dimension {dim} with size {size}"
            )));
        }
        let out = self.deep_copy();
        let src = src.cast_to(self.dtype());
        let out_strides = contiguous_strides(self.shape());
        crate::with_dtype!(self.dtype(), T, {
            let ss = src.storage();
            let s = typed::<T>(&ss);
            let add = adder::<T>();
            let mut storage = out.storage_mut();
            let o = typed_mut::<T>(&mut storage);
            let mut n = 0;
            for_each_index(index.shape(), |ix| {
                let v = idx[n] as usize;
                n += 1;
                let mut dst = 0;
                let mut from = src.offset();
                for (d, &i) in ix.iter().enumerate() {
                    dst += if d == dim { v } else { i } * out_strides[d];
                    from += i * src.strides()[d];
                }
                o[dst] = add(o[dst], s[from]);
            });
        });
        Ok(out)
    }

    /// In place: writes `src` (broadcast to self's shape, cast to self's dtype) into the
    /// elements self views. "The size of tensor a ..." style errors on bad broadcast.
    pub fn copy_from(&self, src: &NdArray) -> PyResult<()> {
        let shape = broadcast_shapes(self.shape(), src.shape())?;
        if shape != self.shape() {
            return Err(runtime_error(format!(
                "output with shape {} doesn't match the broadcast shape {}",
                fmt_shape(self.shape()),
                fmt_shape(&shape)
            )));
        }
        // Values are read out first, so overlapping views of one storage copy correctly.
        let src = src.broadcast_to(self.shape())?;
        crate::with_dtype!(self.dtype(), T, {
            let vals = src.to_vec::<T>();
            let mut storage = self.storage_mut();
            let data = typed_mut::<T>(&mut storage);
            let mut i = 0;
            walk(self.shape(), [self.strides()], [self.offset()], |[p]| {
                data[p] = vals[i];
                i += 1;
            });
        });
        Ok(())
    }

    /// In place fill of the viewed elements.
    pub fn fill(&self, value: f64) {
        crate::with_dtype!(self.dtype(), T, {
            let v = T::from_f64(value);
            let mut storage = self.storage_mut();
            let data = typed_mut::<T>(&mut storage);
            walk(self.shape(), [self.strides()], [self.offset()], |[p]| {
                data[p] = v
            });
        });
    }

    /// `torch.cat`. "Sizes of tensors must match except in dimension 0. Expected size 2 but got
    /// size 3 for tensor number 1 in the list."; "torch.cat(): expected a non-empty list of Tensors".
    /// Mixed dtypes promote.
    pub fn cat(arrays: &[NdArray], dim: isize) -> PyResult<NdArray> {
        if arrays.is_empty() {
            return Err(runtime_error(
                "torch.cat(): expected a non-empty list of Tensors",
            ));
        }
        if let Some(i) = arrays.iter().position(|a| a.ndim() == 0) {
            return Err(runtime_error(format!(
                "zero-dimensional tensor (at position {i}) cannot be concatenated"
            )));
        }
        let dtype = arrays
            .iter()
            .map(|a| a.dtype())
            .fold(arrays[0].dtype(), DType::promote);
        // Legacy rule: 1-D empty tensors are skipped whatever their shape.
        let parts: Vec<(usize, &NdArray)> = arrays
            .iter()
            .enumerate()
            .filter(|(_, a)| !(a.ndim() == 1 && a.numel() == 0))
            .collect();
        let Some(&(_, first)) = parts.first() else {
            return Ok(NdArray::zeros(&[0], dtype));
        };
        let nd = first.ndim();
        let dim = normalize_dim(dim, nd)?;
        for &(i, a) in &parts[1..] {
            if a.ndim() != nd {
                return Err(runtime_error(format!(
                    "Tensors must have same number of dimensions: got {} and {}",
                    nd,
                    a.ndim()
                )));
            }
            for d in (0..nd).filter(|&d| d != dim) {
                if a.shape()[d] != first.shape()[d] {
                    return Err(runtime_error(format!(
                        "Sizes of tensors must match except in dimension {}. Expected size {} but got size {} for tensor number {} in the list.",
                        dim,
                        first.shape()[d],
                        a.shape()[d],
                        i
                    )));
                }
            }
        }
        let mut shape = first.shape().to_vec();
        shape[dim] = parts.iter().map(|(_, a)| a.shape()[dim]).sum();
        let (pre, _, post) = split_at_dim(first.shape(), dim);
        // The output is asked for before the inputs are flattened (PyTorch allocates it first).
        super::alloc::check_storage(&shape, dtype.size())?;
        let storage = crate::with_dtype!(dtype, T, {
            let flats: Vec<(Vec<T>, usize)> = parts
                .iter()
                .map(|(_, a)| (a.to_vec::<T>(), a.shape()[dim] * post))
                .collect();
            let mut out: Vec<T> = crate::array::alloc::vec_with_capacity(shape.iter().product());
            for p in 0..pre {
                for (v, chunk) in &flats {
                    out.extend_from_slice(&v[p * chunk..(p + 1) * chunk]);
                }
            }
            T::into_storage(out)
        });
        Ok(NdArray::from_storage(storage, shape))
    }

    /// `torch.stack`. "stack expects each tensor to be equal size, but got [2] at entry 0 and [3]
    /// at entry 1"; "stack expects a non-empty TensorList".
    pub fn stack(arrays: &[NdArray], dim: isize) -> PyResult<NdArray> {
        let Some(first) = arrays.first() else {
            return Err(runtime_error("stack expects a non-empty TensorList"));
        };
        for (i, a) in arrays.iter().enumerate().skip(1) {
            if a.shape() != first.shape() {
                return Err(runtime_error(format!(
                    "stack expects each tensor to be equal size, but got {} at entry 0 and {} at entry {}",
                    fmt_shape(first.shape()),
                    fmt_shape(a.shape()),
                    i
                )));
            }
        }
        let d = normalize_dim(dim, first.ndim() + 1)? as isize;
        let parts = arrays
            .iter()
            .map(|a| a.unsqueeze(d))
            .collect::<PyResult<Vec<_>>>()?;
        NdArray::cat(&parts, d)
    }

    /// `repeat(sizes)` (copy). "Number of dimensions of repeat dims can not be smaller than
    /// number of dimensions of tensor".
    pub fn repeat(&self, sizes: &[usize]) -> PyResult<NdArray> {
        let total = self
            .shape()
            .iter()
            .rev()
            .zip(sizes.iter().rev())
            .map(|(&d, &r)| d.saturating_mul(r))
            .chain(sizes.iter().rev().skip(self.ndim()).copied())
            .fold(1usize, |a, b| a.saturating_mul(b));
        super::check_alloc(total, self.dtype().size())?;
        if sizes.len() < self.ndim() {
            return Err(runtime_error(
                "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
            ));
        }
        let lead = sizes.len() - self.ndim();
        // Interleave (repeat, size) pairs: the repeat axis has stride 0, so a contiguous copy
        // of this view is the tiled result.
        let mut shape = Vec::with_capacity(2 * sizes.len());
        let mut strides = Vec::with_capacity(2 * sizes.len());
        let mut out_shape = Vec::with_capacity(sizes.len());
        for (d, &r) in sizes.iter().enumerate() {
            let (s, st) = if d < lead {
                (1, 0)
            } else {
                (self.shape()[d - lead], self.strides()[d - lead])
            };
            shape.extend([r, s]);
            strides.extend([0, st]);
            out_shape.push(r * s);
        }
        let tiled = self.with_layout(shape, strides, self.offset()).deep_copy();
        Ok(tiled.with_layout(out_shape.clone(), contiguous_strides(&out_shape), 0))
    }

    /// `torch.diag`: 1-D → 2-D with the vector on diagonal `offset`; 2-D → its diagonal (copy).
    pub fn diag(&self, offset: isize) -> PyResult<NdArray> {
        match self.ndim() {
            1 => {
                let len = self.shape()[0];
                // ATen computes the side in int64, where a huge offset wraps negative.
                let n = (len as i64).wrapping_add(offset.unsigned_abs() as i64);
                if n < 0 {
                    return Err(runtime_error(format!(
                        "IntArrayRef contains an int that cannot be represented as a SymInt: {n}"
                    )));
                }
                let n = n as usize;
                super::alloc::check_storage(&[n, n], self.dtype().size())?;
                let out = NdArray::zeros(&[n, n], self.dtype());
                let (r0, c0) = if offset >= 0 {
                    (0, offset as usize)
                } else {
                    (offset.unsigned_abs(), 0)
                };
                let diag = out.with_layout(vec![len], vec![n + 1], r0 * n + c0);
                diag.copy_from(self)?;
                Ok(out)
            }
            2 => Ok(self.diagonal(offset, 0, 1)?.deep_copy()),
            n => Err(runtime_error(format!(
                "diag(): Supports 1D or 2D tensors. Got {n}D"
            ))),
        }
    }

    /// `tril`/`triu` (copy), k = diagonal offset.
    pub fn tril(&self, k: isize) -> PyResult<NdArray> {
        self.triangle(k, "tril", |i, j, k| j - i <= k)
    }
    pub fn triu(&self, k: isize) -> PyResult<NdArray> {
        self.triangle(k, "triu", |i, j, k| j - i >= k)
    }

    fn triangle(
        &self,
        k: isize,
        name: &str,
        keep: fn(isize, isize, isize) -> bool,
    ) -> PyResult<NdArray> {
        if self.ndim() < 2 {
            return Err(runtime_error(format!(
                "{name}: input tensor must have at least 2 dimensions"
            )));
        }
        let out = self.deep_copy();
        let nd = self.ndim();
        let (rows, cols) = (self.shape()[nd - 2], self.shape()[nd - 1]);
        crate::with_dtype!(self.dtype(), T, {
            let mut storage = out.storage_mut();
            let data = typed_mut::<T>(&mut storage);
            for (n, v) in data.iter_mut().enumerate() {
                let j = (n % cols.max(1)) as isize;
                let i = ((n / cols.max(1)) % rows.max(1)) as isize;
                if !keep(i, j, k) {
                    *v = T::default();
                }
            }
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arange(n: usize, shape: &[usize]) -> NdArray {
        NdArray::from_vec((0..n as i64).collect::<Vec<_>>(), shape.to_vec())
    }

    #[test]
    fn index_select_and_add() {
        let a = arange(6, &[3, 2]);
        let s = a.index_select(0, &[2, -3, 2]).unwrap();
        assert_eq!(s.shape(), &[3, 2]);
        assert_eq!(s.to_vec::<i64>(), vec![4, 5, 0, 1, 4, 5]);
        let s = a.index_select(1, &[1]).unwrap();
        assert_eq!(s.to_vec::<i64>(), vec![1, 3, 5]);
        assert_eq!(
            a.index_select(0, &[5]).unwrap_err().to_string(),
            "IndexError: index 5 is out of bounds for dimension 0 with size 3"
        );
        let z = NdArray::zeros(&[3, 2], DType::F32);
        let src = NdArray::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], vec![2, 2]);
        let r = z.index_add(0, &[2, 2], &src).unwrap();
        assert_eq!(r.to_vec::<f32>(), vec![0.0, 0.0, 0.0, 0.0, 4.0, 6.0]);
        assert_eq!(z.to_vec::<f32>(), vec![0.0; 6], "out of place");
        assert!(
            z.index_add(0, &[0], &src)
                .unwrap_err()
                .msg
                .starts_with("source tensor shape must match")
        );
    }

    #[test]
    fn masked_select_and_scatter() {
        let a = arange(6, &[2, 3]);
        let m = NdArray::from_vec(vec![true, false, true], vec![3]);
        let s = a.masked_select(&m).unwrap();
        assert_eq!(s.to_vec::<i64>(), vec![0, 2, 3, 5]);
        let bad = NdArray::from_vec(vec![true, false], vec![2]);
        assert_eq!(
            arange(4, &[4]).masked_select(&bad).unwrap_err().msg,
            "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [4] at index 0"
        );
        let src = NdArray::from_vec(vec![10i64, 20, 30, 40], vec![4]);
        let r = a.masked_scatter(&m, &src).unwrap();
        assert_eq!(r.to_vec::<i64>(), vec![10, 1, 20, 30, 4, 40]);
        let short = NdArray::from_vec(vec![1i64], vec![1]);
        assert!(a.masked_scatter(&m, &short).is_err());
    }

    #[test]
    fn gather_scatter_add() {
        let a = arange(6, &[2, 3]);
        let idx = NdArray::from_vec(vec![2i64, 0, 1, 1], vec![2, 2]);
        let g = a.gather(1, &idx).unwrap();
        assert_eq!(g.to_vec::<i64>(), vec![2, 0, 4, 4]);
        let bad = NdArray::from_vec(vec![3i64], vec![1, 1]);
        assert_eq!(
            a.gather(1, &bad).unwrap_err().msg,
            "index 3 is out of bounds for dimension 1 with size 3"
        );
        let z = NdArray::zeros(&[2, 3], DType::I64);
        let src = NdArray::from_vec(vec![1i64, 2, 3, 4], vec![2, 2]);
        let r = z.scatter_add(1, &idx, &src).unwrap();
        assert_eq!(r.to_vec::<i64>(), vec![2, 0, 1, 0, 7, 0]);
    }

    #[test]
    fn copy_from_into_strided_view() {
        let a = NdArray::zeros(&[3, 3], DType::F32);
        let col = a.select(1, 1).unwrap();
        col.copy_from(&NdArray::from_vec(vec![1i64, 2, 3], vec![3]))
            .unwrap();
        assert_eq!(a.to_vec::<f32>(), vec![0., 1., 0., 0., 2., 0., 0., 3., 0.]);
        let row = a.select(0, 2).unwrap();
        row.copy_from(&NdArray::scalar(7.0, DType::F64)).unwrap();
        assert_eq!(a.to_vec::<f32>()[6..], [7., 7., 7.]);
        // Overlapping source and destination in one storage.
        let v = NdArray::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], vec![4]);
        let dst = v.slice(0, Some(1), None, 1).unwrap();
        dst.copy_from(&v.slice(0, None, Some(3), 1).unwrap())
            .unwrap();
        assert_eq!(v.to_vec::<f32>(), vec![1.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            row.copy_from(&NdArray::zeros(&[4], DType::F32))
                .unwrap_err()
                .msg,
            "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"
        );
        assert_eq!(
            row.copy_from(&NdArray::zeros(&[2, 3], DType::F32))
                .unwrap_err()
                .msg,
            "output with shape [3] doesn't match the broadcast shape [2, 3]"
        );
        a.t().unwrap().select(0, 0).unwrap().fill(-1.0);
        assert_eq!(
            a.to_vec::<f32>(),
            vec![-1., 1., 0., -1., 2., 0., -1., 7., 7.]
        );
    }

    #[test]
    fn cat_stack_and_errors() {
        let a = arange(4, &[2, 2]);
        let b = NdArray::from_vec(vec![9.5f32, 8.5], vec![1, 2]);
        let c = NdArray::cat(&[a.clone(), b.clone()], 0).unwrap();
        assert_eq!(c.dtype(), DType::F32);
        assert_eq!(c.shape(), &[3, 2]);
        assert_eq!(c.to_vec::<f32>(), vec![0., 1., 2., 3., 9.5, 8.5]);
        let c = NdArray::cat(&[a.clone(), a.clone()], -1).unwrap();
        assert_eq!(c.to_vec::<i64>(), vec![0, 1, 0, 1, 2, 3, 2, 3]);
        let e = NdArray::cat(
            &[
                NdArray::zeros(&[2, 2], DType::F32),
                NdArray::zeros(&[3, 3], DType::F32),
            ],
            0,
        );
        assert_eq!(
            e.unwrap_err().msg,
            "Sizes of tensors must match except in dimension 0. Expected size 2 but got size 3 for tensor number 1 in the list."
        );
        assert_eq!(
            NdArray::cat(&[], 0).unwrap_err().msg,
            "torch.cat(): expected a non-empty list of Tensors"
        );
        let empty = NdArray::zeros(&[0], DType::F32);
        assert_eq!(
            NdArray::cat(&[empty, a.clone()], 1).unwrap().shape(),
            &[2, 2]
        );
        let v = NdArray::from_vec(vec![1i64, 2], vec![2]);
        let s = NdArray::stack(&[v.clone(), v.clone()], 1).unwrap();
        assert_eq!(s.shape(), &[2, 2]);
        assert_eq!(s.to_vec::<i64>(), vec![1, 1, 2, 2]);
        let w = NdArray::from_vec(vec![1i64, 2, 3], vec![3]);
        assert_eq!(
            NdArray::stack(&[v, w], 0).unwrap_err().msg,
            "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1"
        );
        assert_eq!(
            NdArray::stack(&[], 0).unwrap_err().msg,
            "stack expects a non-empty TensorList"
        );
    }

    #[test]
    fn repeat_diag_tri() {
        let v = NdArray::from_vec(vec![1i64, 2], vec![2]);
        let r = v.repeat(&[2, 2]).unwrap();
        assert_eq!(r.shape(), &[2, 4]);
        assert_eq!(r.to_vec::<i64>(), vec![1, 2, 1, 2, 1, 2, 1, 2]);
        assert!(arange(4, &[2, 2]).repeat(&[2]).is_err());
        let d = v.diag(0).unwrap();
        assert_eq!(d.to_vec::<i64>(), vec![1, 0, 0, 2]);
        let d = v.diag(1).unwrap();
        assert_eq!(d.shape(), &[3, 3]);
        assert_eq!(d.to_vec::<i64>(), vec![0, 1, 0, 0, 0, 2, 0, 0, 0]);
        let d = v.diag(-1).unwrap();
        assert_eq!(d.to_vec::<i64>(), vec![0, 0, 0, 1, 0, 0, 0, 2, 0]);
        let m = arange(9, &[3, 3]);
        let back = m.diag(0).unwrap();
        assert_eq!(back.to_vec::<i64>(), vec![0, 4, 8]);
        assert!(!back.shares_storage(&m));
        assert_eq!(m.diag(-1).unwrap().to_vec::<i64>(), vec![3, 7]);
        assert_eq!(
            m.tril(0).unwrap().to_vec::<i64>(),
            vec![0, 0, 0, 3, 4, 0, 6, 7, 8]
        );
        assert_eq!(
            m.triu(1).unwrap().to_vec::<i64>(),
            vec![0, 1, 2, 0, 0, 5, 0, 0, 0]
        );
        assert_eq!(
            v.tril(0).unwrap_err().msg,
            "tril: input tensor must have at least 2 dimensions"
        );
    }
}
