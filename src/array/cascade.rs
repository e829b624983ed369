//! PyTorch's CPU float sum, operation for operation (`aten/src/ATen/native/cpu/SumKernel.cpp`,
//! `cascade_sum`): the same 2-d loop bodies (vectorized inner, vectorized outer, scalar inner,
//! scalar outer), the same multi-level cascade accumulators, the same lane count as the AVX2
//! build (8 floats / 4 doubles per vector). float32 accumulates in float32, as there.
//! Which loop body sees which block of elements is decided by `reduce_iter`.

// Index loops mirror ATen's C++ loops one for one, which is what makes the order checkable.
#![allow(clippy::needless_range_loop)]

/// An accumulator: a scalar or a vector register of lanes.
pub(crate) trait Acc: Copy {
    fn zero() -> Self;
    fn add(self, other: Self) -> Self;
}

/// The float element types and their AVX2 vector.
pub(crate) trait SumFloat: Acc + PartialEq + Default + 'static {
    type V: Acc;
    const W: usize;
    fn vec_load(src: &[Self], pos: usize, nan: bool) -> Self::V;
    fn lanes(v: Self::V) -> Vec<Self>;
    fn is_nan(self) -> bool;
}

macro_rules! float_acc {
    ($t:ty, $v:ident, $w:expr) => {
        impl Acc for $t {
            #[inline]
            fn zero() -> Self {
                0.0
            }
            #[inline]
            fn add(self, other: Self) -> Self {
                self + other
            }
        }
        #[derive(Clone, Copy)]
        pub(crate) struct $v([$t; $w]);
        impl Acc for $v {
            #[inline]
            fn zero() -> Self {
                $v([0.0; $w])
            }
            #[inline]
            fn add(self, other: Self) -> Self {
                $v(std::array::from_fn(|l| self.0[l] + other.0[l]))
            }
        }
        impl SumFloat for $t {
            type V = $v;
            const W: usize = $w;
            #[inline]
            fn vec_load(src: &[Self], pos: usize, nan: bool) -> $v {
                $v(std::array::from_fn(|l| {
                    let x = src[pos + l];
                    if nan && x.is_nan() { 0.0 } else { x }
                }))
            }
            fn lanes(v: $v) -> Vec<Self> {
                v.0.to_vec()
            }
            #[inline]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }
    };
}
float_acc!(f32, V8f32, 8);
float_acc!(f64, V4f64, 4);

/// `ceil(log2(x))` as `c10::utils::CeilLog2` (0 for x <= 1).
fn ceil_log2(x: usize) -> usize {
    if x <= 1 {
        0
    } else {
        (usize::BITS - (x - 1).leading_zeros()) as usize
    }
}

/// `multi_row_sum`: `N` interleaved sums of `size` terms `load(i, k)`, each through four
/// levels of partial sums that are folded upward every `2^level_power` terms.
#[inline]
fn multi_row_sum<A: Acc, const N: usize>(load: impl Fn(usize, usize) -> A, size: usize) -> [A; N] {
    const LEVELS: usize = 4;
    let level_power = 4.max(ceil_log2(size) / LEVELS);
    let level_step = 1usize << level_power;
    let level_mask = level_step - 1;
    let mut acc = [[A::zero(); N]; LEVELS];
    let mut i = 0;
    while i + level_step <= size {
        for _ in 0..level_step {
            for k in 0..N {
                acc[0][k] = acc[0][k].add(load(i, k));
            }
            i += 1;
        }
        for j in 1..LEVELS {
            for k in 0..N {
                acc[j][k] = acc[j][k].add(acc[j - 1][k]);
                acc[j - 1][k] = A::zero();
            }
            if i & (level_mask << (j * level_power)) != 0 {
                break;
            }
        }
    }
    while i < size {
        for k in 0..N {
            acc[0][k] = acc[0][k].add(load(i, k));
        }
        i += 1;
    }
    for j in 1..LEVELS {
        for k in 0..N {
            acc[0][k] = acc[0][k].add(acc[j][k]);
        }
    }
    acc[0]
}

/// `row_sum`: a row read as (size / 4, 4) for four independent cascades, the tail added to
/// the first, then the four combined in order.
#[inline]
fn row_sum<A: Acc>(load: impl Fn(usize) -> A, size: usize) -> A {
    const ILP: usize = 4;
    let size_ilp = size / ILP;
    let mut partial = multi_row_sum::<A, ILP>(|i, k| load(i * ILP + k), size_ilp);
    for i in size_ilp * ILP..size {
        partial[0] = partial[0].add(load(i));
    }
    for k in 1..ILP {
        partial[0] = partial[0].add(partial[k]);
    }
    partial[0]
}

/// One call of `cascade_sum`'s 2-d loop. Positions and strides are in elements; `out` is
/// accumulated into (`out += sum`, as `CastStoreAccumulate`). `nan` is nansum's load policy.
#[allow(clippy::too_many_arguments)]
pub(crate) fn loop2d<T: SumFloat>(
    src: &[T],
    out: &mut [T],
    in_pos: usize,
    out_pos: usize,
    mut in_s: [usize; 2],
    mut out_s: [usize; 2],
    mut size0: usize,
    mut size1: usize,
    nan: bool,
) {
    let load = |p: usize| {
        let x = src[p];
        if nan && x.is_nan() { T::zero() } else { x }
    };
    // Move the reduction to the first dim.
    if out_s[0] != 0 && out_s[1] == 0 {
        in_s.swap(0, 1);
        out_s.swap(0, 1);
        std::mem::swap(&mut size0, &mut size1);
    }
    if out_s[0] != 0 && out_s[1] != 0 {
        // Not a reduction in this block: out = out + in, elementwise.
        for j in 0..size1 {
            for i in 0..size0 {
                let o = out_pos + i * out_s[0] + j * out_s[1];
                out[o] = out[o].add(src[in_pos + i * in_s[0] + j * in_s[1]]);
            }
        }
        return;
    }
    let os = out_s[1];
    let mut store = |j: usize, v: T| {
        let o = out_pos + j * os;
        out[o] = out[o].add(v);
    };
    let w = T::W;
    if in_s[0] == 1 && size0 >= w {
        // vectorized_inner_sum
        let vec_size = size0 / w;
        for j in 0..size1 {
            let row = in_pos + j * in_s[1];
            let vacc = row_sum::<T::V>(|i| T::vec_load(src, row + i * w, nan), vec_size);
            let mut fin = T::zero();
            for k in vec_size * w..size0 {
                fin = fin.add(load(row + k));
            }
            for l in T::lanes(vacc) {
                fin = fin.add(l);
            }
            store(j, fin);
        }
    } else if in_s[1] == 1 && size1 >= w {
        // vectorized_outer_sum: columns contiguous, rows reduced.
        let rs = in_s[0];
        let mut j = 0;
        while j + 4 * w <= size1 {
            let base = in_pos + j;
            let sums = multi_row_sum::<T::V, 4>(
                |i, k| T::vec_load(src, base + i * rs + k * w, nan),
                size0,
            );
            for (k, s) in sums.into_iter().enumerate() {
                for (l, v) in T::lanes(s).into_iter().enumerate() {
                    store(j + k * w + l, v);
                }
            }
            j += 4 * w;
        }
        while j + w <= size1 {
            let base = in_pos + j;
            let s = row_sum::<T::V>(|i| T::vec_load(src, base + i * rs, nan), size0);
            for (l, v) in T::lanes(s).into_iter().enumerate() {
                store(j + l, v);
            }
            j += w;
        }
        while j < size1 {
            let base = in_pos + j;
            store(j, row_sum::<T>(|i| load(base + i * rs), size0));
            j += 1;
        }
    } else if in_s[0] < in_s[1] {
        // scalar_inner_sum
        for j in 0..size1 {
            let row = in_pos + j * in_s[1];
            store(j, row_sum::<T>(|i| load(row + i * in_s[0]), size0));
        }
    } else {
        // scalar_outer_sum
        let mut j = 0;
        while j + 3 < size1 {
            let base = in_pos + j * in_s[1];
            let sums = multi_row_sum::<T, 4>(|i, k| load(base + i * in_s[0] + k * in_s[1]), size0);
            for (k, v) in sums.into_iter().enumerate() {
                store(j + k, v);
            }
            j += 4;
        }
        while j < size1 {
            let base = in_pos + j * in_s[1];
            store(j, row_sum::<T>(|i| load(base + i * in_s[0]), size0));
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_log2_matches_c10() {
        assert_eq!(
            [0, 1, 2, 3, 4, 5, 8, 9].map(ceil_log2),
            [0, 0, 1, 2, 2, 3, 3, 4]
        );
    }

    #[test]
    fn ones_times_a_tenth_sum_as_pytorch() {
        // torch.ones(n).mul(0.1).sum().item() on PyTorch 2.15, AVX2.
        for (n, want) in [
            (7, 0.7000000476837158),
            (17, 1.7000001668930054),
            (31, 3.0999996662139893),
            (2000, 200.00001525878906),
            (4097, 409.7000732421875),
        ] {
            let src = vec![0.1f32; n];
            let mut out = [0.0f32];
            loop2d(&src, &mut out, 0, 0, [1, 0], [0, 0], n, 1, false);
            assert_eq!(out[0] as f64, want, "n = {n}");
        }
    }
}
