//! Memory-order traversal for the in-place random kernels: torch fills through a
//! TensorIterator, which walks dimensions from the largest stride to the smallest, so a
//! transposed or sliced view is filled in increasing storage position, not logical order.

use super::super::{Element, NdArray};

/// Storage positions of `a`'s elements in the order torch's kernels visit them.
pub(crate) fn storage_order(a: &NdArray) -> Vec<usize> {
    let n = a.numel();
    if n == 0 {
        return Vec::new();
    }
    if a.is_contiguous() {
        return (a.offset()..a.offset() + n).collect();
    }
    let (shape, strides) = (a.shape(), a.strides());
    let mut dims: Vec<usize> = (0..shape.len()).filter(|&d| shape[d] != 1).collect();
    // Stable: equal strides keep their logical order.
    dims.sort_by(|&x, &y| strides[y].cmp(&strides[x]));
    let sizes: Vec<usize> = dims.iter().map(|&d| shape[d]).collect();
    let steps: Vec<usize> = dims.iter().map(|&d| strides[d]).collect();
    let mut out = crate::array::alloc::vec_with_capacity(n);
    let mut idx = vec![0usize; dims.len()];
    let mut pos = a.offset();
    for _ in 0..n {
        out.push(pos);
        for k in (0..dims.len()).rev() {
            idx[k] += 1;
            pos += steps[k];
            if idx[k] < sizes[k] {
                break;
            }
            pos -= steps[k] * sizes[k];
            idx[k] = 0;
        }
    }
    out
}

/// Runs `fill` on the elements of `a` in storage order: directly on the storage slice when
/// contiguous, otherwise on a scratch buffer that is then scattered back. Does nothing when
/// `T` is not `a`'s element type.
pub(crate) fn fill_in_storage_order<T: Element>(a: &NdArray, fill: impl FnOnce(&mut [T], bool)) {
    let n = a.numel();
    if n == 0 || a.dtype() != T::DTYPE {
        return;
    }
    let contiguous = a.is_contiguous();
    let mut storage = a.storage_mut();
    let Some(buf) = T::slice_mut(&mut storage) else {
        return;
    };
    if contiguous {
        fill(&mut buf[a.offset()..a.offset() + n], true);
        return;
    }
    let positions = storage_order(a);
    let mut vals = vec![T::default(); n];
    fill(&mut vals, false);
    for (&p, v) in positions.iter().zip(vals) {
        buf[p] = v;
    }
}

/// `empty_like` with torch's default `preserve_format`: a dense, non-overlapping `t` keeps
/// its strides (so a transposed input gives a transposed result); anything else is
/// contiguous. The new array is zero-filled.
pub(crate) fn empty_like(t: &NdArray, dtype: crate::array::DType) -> NdArray {
    let fresh = NdArray::zeros(t.shape(), dtype);
    if t.is_contiguous() || !is_dense(t) {
        return fresh;
    }
    fresh.with_layout(t.shape().to_vec(), t.strides().to_vec(), 0)
}

/// True when the elements of `t` cover storage positions offset..offset+numel exactly once.
fn is_dense(t: &NdArray) -> bool {
    let mut dims: Vec<usize> = (0..t.ndim()).filter(|&d| t.shape()[d] != 1).collect();
    dims.sort_by_key(|&d| t.strides()[d]);
    let mut expected = 1;
    for d in dims {
        if t.strides()[d] != expected {
            return false;
        }
        expected *= t.shape()[d];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::DType;

    #[test]
    fn transposed_view_is_visited_in_storage_order() {
        let base = NdArray::zeros(&[3, 4], DType::F32);
        let t = base.with_layout(vec![4, 3], vec![1, 4], 0);
        assert_eq!(storage_order(&t), (0..12).collect::<Vec<_>>());
        assert_eq!(t.storage_indices()[..4], [0, 4, 8, 1]);
    }

    #[test]
    fn strided_slice_skips_positions() {
        let base = NdArray::zeros(&[40], DType::F32);
        let s = base.with_layout(vec![20], vec![2], 1);
        let want: Vec<usize> = (0..20).map(|i| 1 + 2 * i).collect();
        assert_eq!(storage_order(&s), want);
    }

    #[test]
    fn empty_like_keeps_dense_strides_only() {
        let base = NdArray::zeros(&[5, 4], DType::F32);
        let t = base.with_layout(vec![4, 5], vec![1, 4], 0);
        assert_eq!(empty_like(&t, DType::F32).strides(), [1, 4]);
        let s = base.with_layout(vec![10], vec![2], 0);
        assert_eq!(empty_like(&s, DType::F32).strides(), [1]);
    }
}
