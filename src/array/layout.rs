//! The memory layout of an elementwise op's output, as PyTorch's TensorIterator chooses it: the
//! output keeps its operands' order of dims in memory, so `x.t() * 2` is a transposed tensor
//! (`stride()` (1, 3) for a 3×3 `x`), not a contiguous copy. That is what `stride()`,
//! `is_contiguous()` and `view()` see, and it spares a kernel the strided reads of writing a
//! transposed input out in C order.

use super::NdArray;
use crate::error::PyResult;

/// The order of dims, slowest-moving first, in which an elementwise op over `operands` (already
/// broadcast to one shape) writes its output; `None` for plain C order.
///
/// PyTorch's `reorder_dimensions`: an insertion sort of the dims, fastest first, where the
/// first operand whose strides for the two dims are both non-zero decides their order (a
/// smaller or equal stride is the faster dim); broadcast dims (stride 0) leave the decision to
/// the next operand, and a pair no operand decides is stepped over.
pub(crate) fn output_order(operands: &[&NdArray]) -> Option<Vec<usize>> {
    let first = operands.first()?;
    let nd = first.ndim();
    if nd < 2 || operands.iter().all(|a| a.is_contiguous()) {
        return None;
    }
    // Some(true) when `d0` must come after `d1` in the fastest-first order, None when no
    // operand decides.
    let should_swap = |d0: usize, d1: usize| -> Option<bool> {
        operands.iter().find_map(|a| {
            let (s0, s1) = (a.strides()[d0], a.strides()[d1]);
            (s0 != 0 && s1 != 0).then_some(s0 > s1)
        })
    };
    // Fastest first: C order is nd-1, ..., 1, 0.
    let mut perm: Vec<usize> = (0..nd).rev().collect();
    for i in 1..nd {
        let mut d1 = i;
        for d0 in (0..i).rev() {
            match should_swap(perm[d0], perm[d1]) {
                Some(true) => {
                    perm.swap(d0, d1);
                    d1 = d0;
                }
                Some(false) => break,
                None => {}
            }
        }
    }
    perm.reverse();
    if perm.iter().enumerate().all(|(i, &d)| i == d) {
        None
    } else {
        Some(perm)
    }
}

/// Runs the C-order kernel `f` on `operands` (broadcast to one shape) so that its output has
/// the layout `output_order` picks.
pub(crate) fn in_output_layout(
    operands: &[&NdArray],
    f: impl FnOnce(&[NdArray]) -> PyResult<NdArray>,
) -> PyResult<NdArray> {
    match output_order(operands) {
        Some(order) => {
            let out = in_order(&order, operands, f)?;
            // TensorIterator's fast path: dense operands with one set of strides give the
            // output exactly those strides, size-one dims included.
            let same = operands
                .iter()
                .all(|a| a.strides() == operands[0].strides());
            Ok(if same {
                strides_of_size_one_dims(out, operands[0])
            } else {
                out
            })
        }
        None => f(&operands.iter().map(|&a| a.clone()).collect::<Vec<_>>()),
    }
}

/// `out` with the strides `like` (same shape, dense) gives its size-one dims: they address
/// nothing, but `stride()` shows them.
fn strides_of_size_one_dims(out: NdArray, like: &NdArray) -> NdArray {
    if out.shape() != like.shape() || !is_dense(like) {
        return out;
    }
    let strides: Vec<usize> = out
        .shape()
        .iter()
        .zip(out.strides().iter().zip(like.strides()))
        .map(|(&n, (&mine, &theirs))| if n == 1 { theirs } else { mine })
        .collect();
    out.with_layout(out.shape().to_vec(), strides, out.offset())
}

/// `f` sees the operands with their dims permuted into `order` (slowest first), so it walks
/// memory forwards; its contiguous result is permuted back.
fn in_order(
    order: &[usize],
    operands: &[&NdArray],
    f: impl FnOnce(&[NdArray]) -> PyResult<NdArray>,
) -> PyResult<NdArray> {
    let dims: Vec<isize> = order.iter().map(|&d| d as isize).collect();
    let permuted = operands
        .iter()
        .map(|a| a.permute(&dims))
        .collect::<PyResult<Vec<_>>>()?;
    f(&permuted)?.permute(&inverse(order))
}

/// The permutation that undoes `order`.
pub fn inverse(order: &[usize]) -> Vec<isize> {
    let mut inverse = vec![0isize; order.len()];
    for (i, &d) in order.iter().enumerate() {
        inverse[d] = i as isize;
    }
    inverse
}

impl NdArray {
    /// `f` applied to this array with its dims in memory order, its C-order result permuted
    /// back: the result keeps this array's layout (PyTorch's `memory_format=preserve_format`,
    /// the default of `clone`, `to` and the `*_like` factories).
    pub fn keeping_layout(&self, f: impl FnOnce(&NdArray) -> NdArray) -> NdArray {
        let Some(order) = output_order(&[self]) else {
            return f(self);
        };
        let dims: Vec<isize> = order.iter().map(|&d| d as isize).collect();
        match self.permute(&dims) {
            // Permuting by a permutation and back cannot fail.
            Ok(p) => {
                let out = f(&p);
                let out = out.permute(&inverse(&order)).unwrap_or(out);
                strides_of_size_one_dims(out, self)
            }
            Err(_) => f(self),
        }
    }

    /// The dims, slowest first, in the order they lie in memory, when the array is dense
    /// (non-overlapping, no gaps); `None` otherwise.
    pub fn dense_order(&self) -> Option<Vec<usize>> {
        if !is_dense(self) {
            return None;
        }
        Some(output_order(&[self]).unwrap_or_else(|| (0..self.ndim()).collect()))
    }

    /// A copy of this array laid out like `like` (same shape) when `like` is dense in some
    /// order of its dims, else a contiguous copy: PyTorch's gradient layout contract, by which
    /// a leaf's `.grad` has the leaf's strides.
    pub fn deep_copy_like(&self, like: &NdArray) -> NdArray {
        if like.shape() != self.shape() || !is_dense(like) {
            return self.deep_copy();
        }
        match output_order(&[like]) {
            Some(order) => in_order(&order, &[self], |ops| Ok(ops[0].deep_copy()))
                .unwrap_or_else(|_| self.deep_copy()),
            None => self.deep_copy(),
        }
    }
}

/// Non-overlapping and dense: the elements fill `numel` consecutive storage slots, in some
/// order of the dims.
fn is_dense(a: &NdArray) -> bool {
    let mut dims: Vec<(usize, usize)> = a
        .shape()
        .iter()
        .zip(a.strides())
        .filter(|(n, _)| **n != 1)
        .map(|(&n, &s)| (s, n))
        .collect();
    dims.sort_unstable();
    let mut expected = 1;
    for (stride, size) in dims {
        if stride != expected {
            return false;
        }
        expected *= size;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arange(shape: &[usize]) -> NdArray {
        let n = shape.iter().product::<usize>();
        NdArray::from_vec((0..n).map(|i| i as f32).collect(), shape.to_vec())
    }

    #[test]
    fn order_follows_the_first_decisive_operand() {
        let c = arange(&[3, 4]);
        let t = arange(&[4, 3]).t().unwrap();
        assert_eq!(output_order(&[&c, &c]), None);
        assert_eq!(output_order(&[&t, &t]), Some(vec![1, 0]));
        // The first operand decides; a broadcast operand is skipped.
        assert_eq!(output_order(&[&c, &t]), None);
        assert_eq!(output_order(&[&t, &c]), Some(vec![1, 0]));
        let row = arange(&[3]).broadcast_to(&[4, 3]).unwrap();
        assert_eq!(output_order(&[&row, &t]), Some(vec![1, 0]));
        // A permuted 3-D tensor: dims ordered by decreasing stride.
        let p = arange(&[2, 3, 4]).permute(&[2, 0, 1]).unwrap(); // strides (1, 12, 4)
        assert_eq!(output_order(&[&p]), Some(vec![1, 2, 0]));
    }

    #[test]
    fn output_keeps_the_operand_layout_and_values() {
        let t = arange(&[4, 3]).t().unwrap();
        let out = in_output_layout(&[&t], |ops| Ok(ops[0].contiguous())).unwrap();
        assert_eq!(out.shape(), &[3, 4]);
        assert_eq!(out.strides(), &[1, 3]);
        assert_eq!(out.to_vec::<f32>(), t.to_vec::<f32>());
        // A gradient copied for a transposed leaf takes the leaf's strides; for a leaf that
        // is not dense (every other column), a contiguous copy.
        let c = arange(&[3, 4]);
        let copy = c.deep_copy_like(&t);
        assert_eq!(
            (copy.strides(), copy.to_vec::<f32>()),
            (&[1usize, 3][..], c.to_vec::<f32>())
        );
        let gaps = arange(&[3, 8]).slice(1, None, None, 2).unwrap();
        assert_eq!(c.deep_copy_like(&gaps).strides(), &[4, 1]);
    }
}
