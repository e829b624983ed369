//! Sorting along a dim: `sort`, `topk`, `kthvalue`/`median`. Rows are ordered with a stable
//! sort whose comparator puts NaN above every number, as ATen's CPU sort does (so ties keep
//! their original order and NaN sorts last ascending, first descending).

use super::kernel::{is_nan, typed, walk};
use super::{Element, NdArray};

impl NdArray {
    /// Each row along `dim` (`dim` normalized; a 0-d array is one row of one element) in order,
    /// truncated to `keep` elements: (values, int64 indices), with `dim` of size `keep`.
    pub fn sorted_along(&self, dim: usize, descending: bool, keep: usize) -> (NdArray, NdArray) {
        let zero_d = self.ndim() == 0;
        let a = if zero_d {
            self.with_layout(vec![1], vec![0], self.offset())
        } else {
            self.clone()
        };
        let nd = a.ndim();
        // Move `dim` last so every row is one walk over the last axis.
        let mut order: Vec<usize> = (0..nd).filter(|&d| d != dim).collect();
        order.push(dim);
        let shape: Vec<usize> = order.iter().map(|&d| a.shape()[d]).collect();
        let strides: Vec<usize> = order.iter().map(|&d| a.strides()[d]).collect();
        let view = a.with_layout(shape.clone(), strides, a.offset());
        let n = shape[nd - 1];
        let keep = keep.min(n);
        let mut out_shape = a.shape().to_vec();
        out_shape[dim] = keep;
        let (values, indices) = crate::with_dtype!(a.dtype(), T, {
            let (v, i) = rows_sorted::<T>(&view, n, descending, keep);
            (NdArray::from_vec(v, moved_shape(&shape, keep)), i)
        });
        let indices = NdArray::from_vec(indices, moved_shape(&shape, keep));
        // Undo the move: the sorted axis goes back to `dim`.
        let mut back: Vec<isize> = (0..nd as isize - 1).collect();
        back.insert(dim, nd as isize - 1);
        let restore = |x: NdArray| -> NdArray {
            let p = x
                .permute(&back)
                .expect("a permutation of the array's own dims");
            let p = p.contiguous();
            if zero_d {
                p.with_layout(vec![], vec![], 0)
            } else {
                p.with_layout(out_shape.clone(), super::contiguous_strides(&out_shape), 0)
            }
        };
        (restore(values), restore(indices))
    }
}

impl NdArray {
    /// The `k`-th smallest (0-based) of each row along `dim`, `dim` removed: (values, indices).
    /// `nan_wins`: a row holding NaN gives its first NaN (median's rule); otherwise NaN sorts
    /// above every number (kthvalue's).
    pub fn kth_along(&self, dim: usize, k: usize, nan_wins: bool) -> (NdArray, NdArray) {
        let n = self.shape().get(dim).copied().unwrap_or(1);
        let (v, i) = self.sorted_along(dim, false, n);
        if self.ndim() == 0 {
            return (v, i);
        }
        let (pre, _, post) = super::kernel::split_at_dim(self.shape(), dim);
        let nan_counts: Vec<usize> = if nan_wins && self.dtype().is_floating() {
            let sorted = v.to_vec::<f64>();
            (0..pre * post)
                .map(|r| {
                    let (a, c) = (r / post.max(1), r % post.max(1));
                    (0..n)
                        .filter(|&j| sorted[(a * n + j) * post + c].is_nan())
                        .count()
                })
                .collect()
        } else {
            vec![0; pre * post]
        };
        // NaNs sort last in their original order, so the first NaN sits at n - count.
        let positions: Vec<i64> = (0..pre * post)
            .map(|r| {
                let (a, c) = (r / post.max(1), r % post.max(1));
                let j = if nan_counts[r] > 0 {
                    n - nan_counts[r]
                } else {
                    k
                };
                ((a * n + j) * post + c) as i64
            })
            .collect();
        let mut shape = self.shape().to_vec();
        shape.remove(dim);
        let pick = |x: &NdArray| -> NdArray {
            let flat = x.with_layout(vec![x.numel()], vec![1], 0);
            let out = flat
                .index_select(0, &positions)
                .expect("positions lie inside the sorted array");
            out.with_layout(shape.clone(), super::contiguous_strides(&shape), 0)
        };
        (pick(&v), pick(&i))
    }
}

fn moved_shape(shape: &[usize], keep: usize) -> Vec<usize> {
    let mut s = shape.to_vec();
    if let Some(last) = s.last_mut() {
        *last = keep;
    }
    s
}

/// `a` before `b` in ascending order, NaN greatest.
fn less<T: PartialOrd + Copy>(a: T, b: T) -> bool {
    !is_nan(a) && (is_nan(b) || a < b)
}

fn rows_sorted<T: Element>(
    view: &NdArray,
    n: usize,
    descending: bool,
    keep: usize,
) -> (Vec<T>, Vec<i64>) {
    let storage = view.storage();
    let src = typed::<T>(&storage);
    let rows = view.numel().checked_div(n).unwrap_or(0);
    let mut values = crate::array::alloc::vec_with_capacity(rows * keep);
    let mut indices = crate::array::alloc::vec_with_capacity(rows * keep);
    let mut row: Vec<(T, i64)> = crate::array::alloc::vec_with_capacity(n);
    walk(view.shape(), [view.strides()], [view.offset()], |[p]| {
        row.push((src[p], row.len() as i64));
        if row.len() == n {
            row.sort_by(|x, y| {
                let (a, b) = if descending { (y.0, x.0) } else { (x.0, y.0) };
                if less(a, b) {
                    std::cmp::Ordering::Less
                } else if less(b, a) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            });
            for &(v, i) in &row[..keep] {
                values.push(v);
                indices.push(i);
            }
            row.clear();
        }
    });
    (values, indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_rows_with_indices() {
        let a = NdArray::from_vec(vec![4.0f32, 1.0, 3.0, 6.0, 2.0, 5.0], vec![2, 3]);
        let (v, i) = a.sorted_along(1, false, 3);
        assert_eq!(v.to_vec::<f64>(), vec![1.0, 3.0, 4.0, 2.0, 5.0, 6.0]);
        assert_eq!(i.to_vec::<i64>(), vec![1, 2, 0, 1, 2, 0]);
        let (v, i) = a.sorted_along(0, true, 1);
        assert_eq!(v.shape(), &[1, 3]);
        assert_eq!(v.to_vec::<f64>(), vec![6.0, 2.0, 5.0]);
        assert_eq!(i.to_vec::<i64>(), vec![1, 1, 1]);
    }

    #[test]
    fn nan_is_largest_and_ties_are_stable() {
        let a = NdArray::from_vec(vec![f64::NAN, 1.0, 1.0, 0.0], vec![4]);
        let (v, i) = a.sorted_along(0, false, 4);
        assert_eq!(i.to_vec::<i64>(), vec![3, 1, 2, 0]);
        assert!(v.to_vec::<f64>()[3].is_nan());
        let (_, i) = a.sorted_along(0, true, 4);
        assert_eq!(i.to_vec::<i64>(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn kth_picks_the_lower_median_and_first_nan() {
        let a = NdArray::from_vec(
            vec![3.0f32, 1.0, 2.0, 1.0, f64::NAN as f32, 1.0, f32::NAN, 0.0],
            vec![2, 4],
        );
        let (v, i) = a.kth_along(1, 1, true);
        assert_eq!(v.shape(), &[2]);
        let v = v.to_vec::<f64>();
        assert_eq!(v[0], 1.0);
        assert!(v[1].is_nan());
        assert_eq!(i.to_vec::<i64>(), vec![3, 0]);
        let (v, _) = a.kth_along(1, 1, false);
        assert_eq!(v.to_vec::<f64>(), vec![1.0, 1.0]);
    }

    #[test]
    fn zero_d_is_one_row() {
        let a = NdArray::scalar(2.5, crate::array::DType::F32);
        let (v, i) = a.sorted_along(0, false, 1);
        assert_eq!(v.shape(), &[] as &[usize]);
        assert_eq!(i.to_vec::<i64>(), vec![0]);
    }
}
