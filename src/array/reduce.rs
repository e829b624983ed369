//! Reductions along dims, softmax. (Implementation owned by the array work.)
//! `dims` are already normalized (0..ndim) and deduplicated; an empty slice means "all dims".

use super::kernel::{gt, is_nan, lt, typed, walk, with_float};
use super::reduce_iter::ReducePlan;
use super::{DType, Element, NdArray, cascade, sleef};

impl NdArray {
    /// A view with the reduced dims moved last, the output shape, the number of elements
    /// folded into each output, and the number of outputs.
    fn reduction_plan(&self, dims: &[usize], keepdim: bool) -> (NdArray, Vec<usize>, usize, usize) {
        let nd = self.ndim();
        let reduced: Vec<bool> = (0..nd)
            .map(|d| dims.is_empty() || dims.contains(&d))
            .collect();
        let kept: Vec<usize> = (0..nd).filter(|&d| !reduced[d]).collect();
        let gone: Vec<usize> = (0..nd).filter(|&d| reduced[d]).collect();
        let order: Vec<usize> = kept.iter().chain(gone.iter()).copied().collect();
        let shape: Vec<usize> = order.iter().map(|&d| self.shape()[d]).collect();
        let strides: Vec<usize> = order.iter().map(|&d| self.strides()[d]).collect();
        let view = self.with_layout(shape, strides, self.offset());
        let inner = gone.iter().map(|&d| self.shape()[d]).product();
        let outer = kept.iter().map(|&d| self.shape()[d]).product();
        let out_shape = if keepdim {
            (0..nd)
                .map(|d| if reduced[d] { 1 } else { self.shape()[d] })
                .collect()
        } else {
            kept.iter().map(|&d| self.shape()[d]).collect()
        };
        (view, out_shape, inner, outer)
    }

    /// Folds each reduction group with `f(acc, element, index_in_group)`.
    fn fold<T: Element, A: Copy>(
        &self,
        dims: &[usize],
        keepdim: bool,
        init: A,
        mut f: impl FnMut(A, T, usize) -> A,
    ) -> (Vec<A>, Vec<usize>) {
        let (view, out_shape, inner, outer) = self.reduction_plan(dims, keepdim);
        if inner == 0 {
            crate::array::alloc::reserve_or_unwind(outer, std::mem::size_of::<A>());
            return (vec![init; outer], out_shape);
        }
        let mut out = crate::array::alloc::vec_with_capacity(outer);
        let storage = view.storage();
        let src = typed::<T>(&storage);
        let mut acc = init;
        let mut k = 0;
        walk(view.shape(), [view.strides()], [view.offset()], |[p]| {
            acc = f(acc, src[p], k);
            k += 1;
            if k == inner {
                out.push(acc);
                acc = init;
                k = 0;
            }
        });
        (out, out_shape)
    }

    /// Number of elements folded into each output of a reduction over `dims`.
    fn group_len(&self, dims: &[usize]) -> usize {
        if dims.is_empty() {
            self.numel()
        } else {
            dims.iter().map(|&d| self.shape()[d]).product()
        }
    }

    /// Sum; bool/int inputs sum to int64, floats keep their dtype and are summed in
    /// PyTorch's order (`cascade_sum`, see `cascade.rs`).
    pub fn sum(&self, dims: &[usize], keepdim: bool) -> NdArray {
        match self.dtype() {
            DType::F32 => self.cascade_sum::<f32>(dims, keepdim, false),
            DType::F64 => self.cascade_sum::<f64>(dims, keepdim, false),
            dtype => {
                let (v, shape) = crate::with_dtype!(
                    dtype,
                    T,
                    self.fold::<T, i64>(dims, keepdim, 0, |a, x, _| a.wrapping_add(x.to_i64()))
                );
                NdArray::from_vec(v, shape)
            }
        }
    }

    /// `nansum`: NaNs count as zero (`NanSumCastLoadPolicy`); integers sum as `sum`.
    pub fn nansum(&self, dims: &[usize], keepdim: bool) -> NdArray {
        match self.dtype() {
            DType::F32 => self.cascade_sum::<f32>(dims, keepdim, true),
            DType::F64 => self.cascade_sum::<f64>(dims, keepdim, true),
            _ => self.sum(dims, keepdim),
        }
    }

    /// The float sum as ATen's `cascade_sum` computes it: every 2-d block TensorIterator
    /// hands the kernel (`reduce_iter`) accumulated into the zero-filled output; a two-pass
    /// split sums each thread's partial result, then the partials in thread order.
    fn cascade_sum<T: cascade::SumFloat + Element>(
        &self,
        dims: &[usize],
        keepdim: bool,
        nan: bool,
    ) -> NdArray {
        let nd = self.ndim();
        let reduced: Vec<bool> = (0..nd)
            .map(|d| dims.is_empty() || dims.contains(&d))
            .collect();
        let out_shape: Vec<usize> = (0..nd)
            .filter_map(|d| match (reduced[d], keepdim) {
                (false, _) => Some(self.shape()[d]),
                (true, true) => Some(1),
                (true, false) => None,
            })
            .collect();
        let out_numel: usize = (0..nd)
            .filter(|&d| !reduced[d])
            .map(|d| self.shape()[d])
            .product();
        let plan = ReducePlan::new(
            self.shape(),
            self.strides(),
            self.offset(),
            &reduced,
            std::mem::size_of::<T>(),
        );
        let storage = self.storage();
        let src = typed::<T>(&storage);
        let mut out = vec![T::zero(); out_numel];
        let mut partials: Vec<Vec<T>> = Vec::new();
        plan.blocks(out_numel, |thread, b| {
            let buf = if out_numel == 1 {
                while partials.len() <= thread {
                    partials.push(vec![T::zero()]);
                }
                &mut partials[thread]
            } else {
                &mut out
            };
            cascade::loop2d(
                src, buf, b.in_pos, b.out_pos, b.in_s, b.out_s, b.size0, b.size1, nan,
            );
        });
        if out_numel == 1 && !partials.is_empty() {
            let p: Vec<T> = partials.into_iter().map(|v| v[0]).collect();
            if p.len() == 1 {
                out[0] = p[0];
            } else {
                // The final reduce over the per-thread buffer, a short contiguous row.
                cascade::loop2d(&p, &mut out, 0, 0, [1, 0], [0, 0], p.len(), 1, false);
            }
        }
        NdArray::from_vec(out, out_shape)
    }

    /// The 2-norm over `dims` when ATen takes its vectorized last-dim path
    /// (`norm_kernel_tensor_iterator_impl`: one contiguous reduced dim): per row, lane-wise
    /// `acc += x * x` over whole vectors, the lanes added in order, then the tail element by
    /// element (fused), then `sqrt`. None when ATen would use its generic reduction instead.
    pub fn norm2_lastdim(&self, dims: &[usize], keepdim: bool) -> Option<NdArray> {
        fn run<T: cascade::SumFloat + Element + std::ops::Mul<Output = T>>(
            a: &NdArray,
            plan: &ReducePlan,
            n_out: usize,
            sqrt: fn(T) -> T,
            fma: fn(T, T, T) -> T,
        ) -> Vec<T> {
            let storage = a.storage();
            let src = typed::<T>(&storage);
            let len = plan.row_len();
            let w = T::W;
            let mut out = vec![T::zero(); n_out];
            plan.rows(|ip, op| {
                let row = &src[ip..ip + len];
                let mut acc = vec![T::zero(); w];
                let whole = len - len % w;
                for v in row[..whole].chunks_exact(w) {
                    for (a, &x) in acc.iter_mut().zip(v) {
                        *a = a.add(x * x);
                    }
                }
                let mut b = acc[0];
                for &l in &acc[1..] {
                    b = b.add(l);
                }
                // The scalar tail as GCC compiled it: fused multiply-adds, except that a
                // float32 tail of four or more starts with one 4-wide (SSE) block of
                // separately rounded squares, added in order.
                let tail = &row[whole..];
                let head = if w == 8 && tail.len() >= 4 { 4 } else { 0 };
                for &x in &tail[..head] {
                    b = b.add(x * x);
                }
                for &x in &tail[head..] {
                    b = fma(x, x, b);
                }
                out[op] = sqrt(b);
            });
            out
        }
        let nd = self.ndim();
        let reduced: Vec<bool> = (0..nd)
            .map(|d| dims.is_empty() || dims.contains(&d))
            .collect();
        let out_shape: Vec<usize> = (0..nd)
            .filter_map(|d| match (reduced[d], keepdim) {
                (false, _) => Some(self.shape()[d]),
                (true, true) => Some(1),
                (true, false) => None,
            })
            .collect();
        let n_out: usize = out_shape.iter().product();
        let elem = if self.dtype() == DType::F32 { 4 } else { 8 };
        let plan = ReducePlan::new(self.shape(), self.strides(), self.offset(), &reduced, elem);
        if self.numel() == 0 || !plan.is_reduce_lastdim() {
            return None;
        }
        match self.dtype() {
            DType::F32 => Some(NdArray::from_vec(
                run::<f32>(self, &plan, n_out, f32::sqrt, f32::mul_add),
                out_shape,
            )),
            DType::F64 => Some(NdArray::from_vec(
                run::<f64>(self, &plan, n_out, f64::sqrt, f64::mul_add),
                out_shape,
            )),
            _ => None,
        }
    }

    /// The sum divided by the group size in the array's precision (integers compute as
    /// float32; the autograd layer raises PyTorch's dtype error before getting here).
    pub fn mean(&self, dims: &[usize], keepdim: bool) -> NdArray {
        if !self.dtype().is_floating() {
            return self.to_dtype(DType::F32).mean(dims, keepdim);
        }
        let n = self.group_len(dims);
        let s = self.sum(dims, keepdim);
        let shape = s.shape().to_vec();
        with_float!(
            self.dtype(),
            T,
            NdArray::from_vec(s.map_elems::<T, T>(|x| x / n as T), shape),
            unreachable!("floating dtype checked above")
        )
    }

    pub fn prod(&self, dims: &[usize], keepdim: bool) -> NdArray {
        match self.dtype() {
            DType::F32 => {
                let (v, shape) = self.fold::<f32, f32>(dims, keepdim, 1.0, |a, x, _| a * x);
                NdArray::from_vec(v, shape)
            }
            DType::F64 => {
                let (v, shape) = self.fold::<f64, f64>(dims, keepdim, 1.0, |a, x, _| a * x);
                NdArray::from_vec(v, shape)
            }
            dtype => {
                let (v, shape) = crate::with_dtype!(
                    dtype,
                    T,
                    self.fold::<T, i64>(dims, keepdim, 1, |a, x, _| a.wrapping_mul(x.to_i64()))
                );
                NdArray::from_vec(v, shape)
            }
        }
    }

    /// Max/min values over dims (NaN propagates like PyTorch).
    pub fn amax(&self, dims: &[usize], keepdim: bool) -> NdArray {
        self.extreme(dims, keepdim, true)
    }
    pub fn amin(&self, dims: &[usize], keepdim: bool) -> NdArray {
        self.extreme(dims, keepdim, false)
    }

    fn extreme(&self, dims: &[usize], keepdim: bool, max: bool) -> NdArray {
        crate::with_dtype!(self.dtype(), T, {
            let (v, shape) = self.fold::<T, Option<T>>(dims, keepdim, None, |a, x, _| match a {
                None => Some(x),
                Some(m) if is_nan(m) => Some(m),
                Some(m) => {
                    let better = if max { gt(x, m) } else { lt(x, m) };
                    if is_nan(x) || better {
                        Some(x)
                    } else {
                        Some(m)
                    }
                }
            });
            // An empty group (an error upstream) yields the dtype's zero instead of panicking.
            NdArray::from_vec(
                v.into_iter().map(|m| m.unwrap_or_default()).collect(),
                shape,
            )
        })
    }

    /// `max(dim)`: (values, int64 indices of the first maximal element).
    pub fn max_dim(&self, dim: usize, keepdim: bool) -> (NdArray, NdArray) {
        self.extreme_dim(Some(dim), keepdim, true)
    }
    pub fn min_dim(&self, dim: usize, keepdim: bool) -> (NdArray, NdArray) {
        self.extreme_dim(Some(dim), keepdim, false)
    }

    /// Values and first indices of the max/min along `dim` (None: over the flattened array);
    /// the first NaN wins, as in ATen.
    fn extreme_dim(&self, dim: Option<usize>, keepdim: bool, max: bool) -> (NdArray, NdArray) {
        let dims: Vec<usize> = if self.ndim() == 0 {
            vec![]
        } else {
            dim.into_iter().collect()
        };
        crate::with_dtype!(self.dtype(), T, {
            let (v, shape) =
                self.fold::<T, Option<(T, usize)>>(&dims, keepdim, None, |a, x, k| match a {
                    None => Some((x, k)),
                    Some((m, _)) if is_nan(m) => a,
                    Some((m, _)) => {
                        let better = if max { gt(x, m) } else { lt(x, m) };
                        if is_nan(x) || better { Some((x, k)) } else { a }
                    }
                });
            let values = v
                .iter()
                .map(|m| m.map_or(T::default(), |(x, _)| x))
                .collect();
            let indices = v.iter().map(|m| m.map_or(0, |(_, k)| k as i64)).collect();
            (
                NdArray::from_vec(values, shape.clone()),
                NdArray::from_vec(indices, shape),
            )
        })
    }

    /// argmax over the flattened array (dim None) or along dim.
    pub fn argmax(&self, dim: Option<usize>, keepdim: bool) -> NdArray {
        self.extreme_dim(dim, keepdim, true).1
    }
    pub fn argmin(&self, dim: Option<usize>, keepdim: bool) -> NdArray {
        self.extreme_dim(dim, keepdim, false).1
    }

    /// Logical any/all over dims; result bool.
    pub fn any(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let (v, shape) = crate::with_dtype!(
            self.dtype(),
            T,
            self.fold::<T, bool>(dims, keepdim, false, |a, x, _| a || x != T::default())
        );
        NdArray::from_vec(v, shape)
    }
    pub fn all(&self, dims: &[usize], keepdim: bool) -> NdArray {
        let (v, shape) = crate::with_dtype!(
            self.dtype(),
            T,
            self.fold::<T, bool>(dims, keepdim, true, |a, x, _| a && x != T::default())
        );
        NdArray::from_vec(v, shape)
    }

    /// Runs `f` on each lane along `dim` (as a contiguous slice) and reassembles the values it
    /// pushes (one per element) into an array of self's shape.
    fn map_lanes<T: Element, U: Element>(
        &self,
        dim: usize,
        mut f: impl FnMut(&[T], &mut Vec<U>),
    ) -> NdArray {
        if self.ndim() == 0 {
            let mut out = Vec::with_capacity(1);
            f(&self.typed_vec::<T>(), &mut out);
            return NdArray::from_vec(out, vec![]);
        }
        let nd = self.ndim();
        let order: Vec<usize> = (0..nd)
            .filter(|&d| d != dim)
            .chain(std::iter::once(dim))
            .collect();
        let shape: Vec<usize> = order.iter().map(|&d| self.shape()[d]).collect();
        let strides: Vec<usize> = order.iter().map(|&d| self.strides()[d]).collect();
        let view = self.with_layout(shape.clone(), strides, self.offset());
        let flat = view.typed_vec::<T>();
        let lane = self.shape()[dim];
        let mut out = crate::array::alloc::vec_with_capacity(flat.len());
        if lane > 0 {
            for chunk in flat.chunks(lane) {
                f(chunk, &mut out);
            }
        }
        // Undo the permutation: dim currently sits last.
        let moved = NdArray::from_vec(out, shape);
        let mut back: Vec<isize> = (0..nd as isize - 1).collect();
        back.insert(dim, nd as isize - 1);
        moved
            .permute(&back)
            .map(|a| a.contiguous())
            .unwrap_or(moved)
    }

    pub fn cumsum(&self, dim: usize) -> NdArray {
        match self.dtype() {
            // ATen accumulates float cumsums in double on CPU and rounds each output.
            DType::F32 => self.map_lanes::<f32, f32>(dim, |lane, out| {
                let mut acc = 0.0f64;
                out.extend(lane.iter().map(|&x| {
                    acc += x as f64;
                    acc as f32
                }));
            }),
            DType::F64 => self.map_lanes::<f64, f64>(dim, |lane, out| {
                let mut acc = 0.0f64;
                out.extend(lane.iter().map(|&x| {
                    acc += x;
                    acc
                }));
            }),
            DType::I64 => self.map_lanes::<i64, i64>(dim, |lane, out| {
                let mut acc = 0i64;
                out.extend(lane.iter().map(|&x| {
                    acc = acc.wrapping_add(x);
                    acc
                }));
            }),
            _ => self.to_dtype(DType::I64).cumsum(dim),
        }
    }

    /// Numerically stable softmax / log_softmax along dim (max-subtracted), float dtypes.
    /// float32 along the last dim follows ATen's `_vec_softmax_lastdim` /
    /// `_vec_log_softmax_lastdim` (SLEEF exp/log, `vec::reduce_all`'s lane order).
    pub fn softmax(&self, dim: usize) -> NdArray {
        if self.dtype() == DType::F32 && dim + 1 >= self.ndim() {
            return self.map_lanes::<f32, f32>(dim, |lane, out| {
                let max = lane_max(lane);
                let start = out.len();
                out.extend(lane.iter().map(|&x| sleef::expf_u10(x - max)));
                let inv = 1.0 / vec_reduce_sum(&out[start..]);
                for e in &mut out[start..] {
                    *e *= inv;
                }
            });
        }
        with_float!(
            self.dtype(),
            T,
            self.map_lanes::<T, T>(dim, |lane, out| {
                let max = lane_max(lane);
                let start = out.len();
                let mut sum: T = 0.0;
                for &x in lane {
                    let e = (x - max).exp();
                    sum += e;
                    out.push(e);
                }
                // ATen multiplies by the reciprocal of the sum.
                let inv = 1.0 / sum;
                for e in &mut out[start..] {
                    *e *= inv;
                }
            }),
            self.to_dtype(DType::F32).softmax(dim)
        )
    }
    pub fn log_softmax(&self, dim: usize) -> NdArray {
        if self.dtype() == DType::F32 && dim + 1 >= self.ndim() {
            return self.map_lanes::<f32, f32>(dim, |lane, out| {
                let max = lane_max(lane);
                let exps: Vec<f32> = lane.iter().map(|&x| sleef::expf_u10(x - max)).collect();
                let logsum = sleef::logf_u10(vec_reduce_sum(&exps));
                out.extend(lane.iter().map(|&x| (x - max) - logsum));
            });
        }
        with_float!(
            self.dtype(),
            T,
            self.map_lanes::<T, T>(dim, |lane, out| {
                let max = lane_max(lane);
                let sum: T = lane.iter().map(|&x| (x - max).exp()).sum();
                let shift = max + sum.ln();
                out.extend(lane.iter().map(|&x| x - shift));
            }),
            self.to_dtype(DType::F32).log_softmax(dim)
        )
    }
}

/// `vec::reduce_all(x + y)` over float32 (8 lanes): whole vectors added lane-wise, the tail
/// into the first lanes, then the AVX2 horizontal tree (lanes i and i+4, then i and i+2, then
/// 0 and 1); fewer than 8 elements are added in order.
fn vec_reduce_sum(x: &[f32]) -> f32 {
    if x.len() < 8 {
        let mut acc = x.first().copied().unwrap_or(0.0);
        for &v in x.iter().skip(1) {
            acc += v;
        }
        return acc;
    }
    let mut acc = [0.0f32; 8];
    acc.copy_from_slice(&x[..8]);
    let whole = x.len() - x.len() % 8;
    for v in x[8..whole].chunks_exact(8) {
        for (a, &b) in acc.iter_mut().zip(v) {
            *a += b;
        }
    }
    for (a, &b) in acc.iter_mut().zip(&x[whole..]) {
        *a += b;
    }
    let v: [f32; 4] = std::array::from_fn(|i| acc[i] + acc[i + 4]);
    let w = [v[0] + v[2], v[1] + v[3]];
    w[0] + w[1]
}

/// Max of a lane with NaN propagation; -inf lanes stay finite-safe (max of all -inf is -inf,
/// so exp(x - max) is NaN exactly as in ATen).
fn lane_max<T: Element + num_like::Float>(lane: &[T]) -> T {
    let mut m = T::NEG_INF;
    for &x in lane {
        if x.nan() {
            return x;
        }
        if x > m {
            m = x;
        }
    }
    m
}

mod num_like {
    /// The two float element types, for lane helpers.
    pub trait Float: Copy {
        const NEG_INF: Self;
        fn nan(self) -> bool;
    }
    impl Float for f32 {
        const NEG_INF: Self = f32::NEG_INFINITY;
        fn nan(self) -> bool {
            self.is_nan()
        }
    }
    impl Float for f64 {
        const NEG_INF: Self = f64::NEG_INFINITY;
        fn nan(self) -> bool {
            self.is_nan()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arange(n: usize, shape: &[usize]) -> NdArray {
        NdArray::from_vec((0..n).map(|i| i as f32).collect::<Vec<_>>(), shape.to_vec())
    }

    #[test]
    fn sum_over_several_dims_with_keepdim() {
        let a = arange(24, &[2, 3, 4]);
        let s = a.sum(&[], false);
        assert_eq!(s.shape(), &[] as &[usize]);
        assert_eq!(s.to_vec::<f32>(), vec![276.0]);
        let s = a.sum(&[0, 2], false);
        assert_eq!(s.shape(), &[3]);
        assert_eq!(s.to_vec::<f32>(), vec![60.0, 92.0, 124.0]);
        let s = a.sum(&[1], true);
        assert_eq!(s.shape(), &[2, 1, 4]);
        assert_eq!(
            s.to_vec::<f32>(),
            vec![12.0, 15.0, 18.0, 21.0, 48.0, 51.0, 54.0, 57.0]
        );
        // Reductions over a transposed view.
        let t = arange(6, &[2, 3]).t().unwrap();
        assert_eq!(t.sum(&[1], false).to_vec::<f32>(), vec![3.0, 5.0, 7.0]);
        // Empty reductions give zero.
        assert_eq!(
            NdArray::zeros(&[0, 2], DType::F32)
                .sum(&[0], false)
                .to_vec::<f32>(),
            vec![0.0, 0.0]
        );
    }

    #[test]
    fn sum_dtypes() {
        let b = NdArray::from_vec(vec![true, true, false], vec![3]);
        let s = b.sum(&[], false);
        assert_eq!(s.dtype(), DType::I64);
        assert_eq!(s.to_vec::<i64>(), vec![2]);
        let i = NdArray::from_vec(vec![1i32, 2, 3], vec![3]);
        assert_eq!(i.sum(&[], false).dtype(), DType::I64);
        let d = NdArray::from_vec(vec![0.1f64, 0.2, 0.3], vec![3]);
        // PyTorch sums in order here: (0.1 + 0.2) + 0.3 == 0.6000000000000001.
        assert_eq!(d.sum(&[], false).to_vec::<f64>(), vec![0.6000000000000001]);
    }

    #[test]
    fn mean_prod() {
        let a = arange(6, &[2, 3]);
        assert_eq!(a.mean(&[], false).to_vec::<f32>(), vec![2.5]);
        assert_eq!(a.mean(&[0], false).to_vec::<f32>(), vec![1.5, 2.5, 3.5]);
        assert_eq!(a.mean(&[1], true).shape(), &[2, 1]);
        let p = NdArray::from_vec(vec![1.0f64, 2.0, 3.0, 4.0], vec![2, 2]);
        assert_eq!(p.prod(&[1], false).to_vec::<f64>(), vec![2.0, 12.0]);
        let i = NdArray::from_vec(vec![2i32, 3], vec![2]);
        assert_eq!(i.prod(&[], false).to_vec::<i64>(), vec![6]);
        assert!(
            NdArray::zeros(&[0], DType::F32)
                .mean(&[], false)
                .to_vec::<f32>()[0]
                .is_nan()
        );
    }

    #[test]
    fn max_dim_indices_and_nan() {
        let a = NdArray::from_vec(vec![1.0f32, 5.0, 5.0, 7.0, 2.0, 0.0], vec![2, 3]);
        let (v, i) = a.max_dim(1, false);
        assert_eq!(v.to_vec::<f32>(), vec![5.0, 7.0]);
        assert_eq!(i.to_vec::<i64>(), vec![1, 0]);
        assert_eq!(i.dtype(), DType::I64);
        let (v, i) = a.min_dim(0, true);
        assert_eq!(v.shape(), &[1, 3]);
        assert_eq!(v.to_vec::<f32>(), vec![1.0, 2.0, 0.0]);
        assert_eq!(i.to_vec::<i64>(), vec![0, 1, 1]);
        assert_eq!(a.argmax(None, false).to_vec::<i64>(), vec![3]);
        assert_eq!(a.argmin(Some(1), false).to_vec::<i64>(), vec![0, 2]);
        assert_eq!(a.amax(&[], false).to_vec::<f32>(), vec![7.0]);
        assert_eq!(a.amin(&[0, 1], true).shape(), &[1, 1]);
        let n = NdArray::from_vec(vec![1.0f32, f32::NAN, 3.0, f32::NAN], vec![4]);
        assert!(n.amax(&[], false).to_vec::<f32>()[0].is_nan());
        assert_eq!(n.argmax(None, false).to_vec::<i64>(), vec![1]);
        let s = NdArray::scalar(3.0, DType::F32);
        assert_eq!(s.max_dim(0, false).1.to_vec::<i64>(), vec![0]);
    }

    #[test]
    fn any_all_cumsum() {
        let a = NdArray::from_vec(vec![0i64, 1, 0, 0], vec![2, 2]);
        assert_eq!(a.any(&[1], false).to_vec::<bool>(), vec![true, false]);
        assert_eq!(a.all(&[], false).to_vec::<bool>(), vec![false]);
        assert_eq!(
            NdArray::zeros(&[0], DType::F32)
                .all(&[], false)
                .to_vec::<bool>(),
            vec![true]
        );
        let c = arange(6, &[2, 3]);
        assert_eq!(
            c.cumsum(1).to_vec::<f32>(),
            vec![0.0, 1.0, 3.0, 3.0, 7.0, 12.0]
        );
        assert_eq!(
            c.cumsum(0).to_vec::<f32>(),
            vec![0.0, 1.0, 2.0, 3.0, 5.0, 7.0]
        );
        let b = NdArray::from_vec(vec![true, true], vec![2]);
        assert_eq!(b.cumsum(0).to_vec::<i64>(), vec![1, 2]);
    }

    #[test]
    fn softmax_rows_sum_to_one() {
        let a = NdArray::from_vec(vec![1.0f64, 2.0, 3.0, 1000.0, 1000.0, 1000.0], vec![2, 3]);
        let s = a.softmax(1).to_vec::<f64>();
        assert!((s[0] - 0.090_030_573_170_380_46).abs() < 1e-15);
        assert!((s[2] - 0.665_240_955_774_821_2).abs() < 1e-15);
        assert!((s[4] - 1.0 / 3.0).abs() < 1e-15);
        let l = a.log_softmax(1).to_vec::<f64>();
        assert!((l[0] - (-2.407_605_964_444_38)).abs() < 1e-14);
        let col = a.softmax(0).to_vec::<f64>();
        assert_eq!(col[3], 1.0);
    }
}
