//! Private helpers shared by the kernels: strided walks over views, typed slice access and
//! the numeric traits the generic kernels are written against.

use std::mem::MaybeUninit;

use super::{DType, Element, NdArray, Storage};

/// Calls `f` with the storage positions of the element at the same logical index in each of
/// `K` views sharing `shape`, in logical (C) order. The innermost dim is a tight loop so that
/// strided and broadcast (stride-0) operands cost no more than an index add per element.
pub(crate) fn walk<const K: usize>(
    shape: &[usize],
    strides: [&[usize]; K],
    offsets: [usize; K],
    mut f: impl FnMut([usize; K]),
) {
    let inner = shape.last().copied().unwrap_or(1);
    let inner_strides: [usize; K] =
        std::array::from_fn(|k| strides[k].last().copied().unwrap_or(0));
    walk_rows(shape, strides, offsets, |base| {
        let mut pos = base;
        for _ in 0..inner {
            f(pos);
            for k in 0..K {
                pos[k] = pos[k].wrapping_add(inner_strides[k]);
            }
        }
    });
}

/// Like `walk`, but calls `f` once per innermost row with the row's starting positions; the
/// caller loops over the row itself (so contiguous and broadcast rows become slice loops the
/// compiler vectorizes).
pub(crate) fn walk_rows<const K: usize>(
    shape: &[usize],
    strides: [&[usize]; K],
    offsets: [usize; K],
    mut f: impl FnMut([usize; K]),
) {
    if shape.contains(&0) || shape.is_empty() {
        if !shape.contains(&0) {
            f(offsets);
        }
        return;
    }
    let nd = shape.len();
    let mut idx = vec![0usize; nd - 1];
    let mut base = offsets;
    loop {
        f(base);
        let mut d = nd - 1;
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            idx[d] += 1;
            for k in 0..K {
                base[k] += strides[k][d];
            }
            if idx[d] < shape[d] {
                break;
            }
            for k in 0..K {
                base[k] -= strides[k][d] * shape[d];
            }
            idx[d] = 0;
        }
    }
}

/// NaN test for any element type (only floats are ever unequal to themselves). A generic
/// function, so the bool/int instantiations of the kernels stay lint-clean.
#[inline]
pub(crate) fn is_nan<T: PartialEq>(x: T) -> bool {
    #[allow(clippy::eq_op)]
    let nan = x != x;
    nan
}

/// `a > b` / `a < b` for any element type (generic for the same reason as `is_nan`).
#[inline]
pub(crate) fn gt<T: PartialOrd>(a: T, b: T) -> bool {
    a > b
}
#[inline]
pub(crate) fn lt<T: PartialOrd>(a: T, b: T) -> bool {
    a < b
}

/// The typed slice of a storage whose dtype the caller has already dispatched on.
pub(crate) fn typed<T: Element>(s: &Storage) -> &[T] {
    T::slice(s).expect("kernel dispatched on the storage's own dtype")
}

pub(crate) fn typed_mut<T: Element>(s: &mut Storage) -> &mut Vec<T> {
    T::slice_mut(s).expect("kernel dispatched on the storage's own dtype")
}

impl NdArray {
    /// Maps every element (logical order) of an array whose dtype is `T`.
    pub(crate) fn map_elems<T: Element, U>(&self, mut f: impl FnMut(T) -> U) -> Vec<U> {
        let storage = self.storage();
        let src = typed::<T>(&storage);
        let n = self.numel();
        let mut out = crate::array::alloc::vec_with_capacity(n);
        if self.is_contiguous() {
            out.extend(src[self.offset()..self.offset() + n].iter().map(|&x| f(x)));
        } else {
            walk(self.shape(), [self.strides()], [self.offset()], |[p]| {
                out.push(f(src[p]))
            });
        }
        out
    }

    /// Maps element pairs of two same-shape arrays of dtype `T` (either may be a broadcast view).
    /// Large outputs are computed in two halves on two cores (split along dim 0; each element is
    /// computed alone, so the split cannot change a result).
    pub(crate) fn zip_elems<T: Element, U: Send>(
        &self,
        other: &NdArray,
        f: impl Fn(T, T) -> U + Sync,
    ) -> Vec<U> {
        debug_assert_eq!(self.shape(), other.shape());
        let sa = self.storage();
        let sb = other.storage();
        let (a, b) = (typed::<T>(&sa), typed::<T>(&sb));
        let shape = self.shape();
        let strides = [self.strides(), other.strides()];
        let offsets = [self.offset(), other.offset()];
        let n = self.numel();
        let mut out = crate::array::alloc::vec_with_capacity(n);
        let slots = &mut out.spare_capacity_mut()[..n];
        if n >= PARALLEL_ELEMS && shape.first().is_some_and(|&d| d >= 2) && super::parallel() {
            // Both halves are written in place into one buffer: collecting two vectors and
            // appending one to the other cost a 16 MB copy per [2048, 2048] op, more than the
            // second core saved.
            let h = shape[0] / 2;
            let (mut top, mut bottom) = (shape.to_vec(), shape.to_vec());
            top[0] = h;
            bottom[0] -= h;
            let lower = [
                offsets[0] + h * strides[0][0],
                offsets[1] + h * strides[1][0],
            ];
            let split = h * n / shape[0];
            let (first, second) = slots.split_at_mut(split);
            let f = &f;
            super::join(
                || zip_rows(a, b, &top, strides, offsets, f, first),
                || zip_rows(a, b, &bottom, strides, lower, f, second),
            );
        } else {
            zip_rows(a, b, shape, strides, offsets, &f, slots);
        }
        // SAFETY: `zip_rows` writes every one of the `n` slots it is given (one per element
        // of its view), and the two halves above cover all `n` slots; a panic in either
        // half propagates out of `join` before this line, leaving `out` empty.
        unsafe { out.set_len(n) };
        out
    }

    /// Self when it already has `dtype`, else a converted contiguous copy.
    pub(crate) fn cast_to(&self, dtype: DType) -> NdArray {
        if self.dtype() == dtype {
            self.clone()
        } else {
            self.to_dtype(dtype)
        }
    }

    /// The flat contiguous contents as a typed vector (the array must have dtype `T`).
    pub(crate) fn typed_vec<T: Element>(&self) -> Vec<T> {
        self.map_elems::<T, T>(|x| x)
    }
}

/// Arithmetic shared by the integer and float element types. Integer ops wrap on overflow,
/// as PyTorch's C++ kernels do, instead of panicking.
pub(crate) trait Arith: Element {
    const ZERO: Self;
    const ONE: Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    /// Only reached for float types (true division of integers promotes first).
    fn div(self, o: Self) -> Self;
    /// Python floor division; integer division by zero is checked by the caller.
    fn floor_div(self, o: Self) -> Self;
    /// Python modulo (result takes the sign of the divisor).
    fn rem(self, o: Self) -> Self;
    fn pow(self, o: Self) -> Self;
    fn is_nan(self) -> bool;
    fn neg(self) -> Self;
    fn abs(self) -> Self;
    /// Float-only ops (integer inputs promote before reaching them); ints go through f64.
    fn sqrt(self) -> Self;
    fn atan2(self, o: Self) -> Self;
}

macro_rules! int_arith {
    ($t:ty) => {
        impl Arith for $t {
            const ZERO: Self = 0;
            const ONE: Self = 1;
            fn add(self, o: Self) -> Self {
                self.wrapping_add(o)
            }
            fn sub(self, o: Self) -> Self {
                self.wrapping_sub(o)
            }
            fn mul(self, o: Self) -> Self {
                self.wrapping_mul(o)
            }
            fn div(self, o: Self) -> Self {
                if o == 0 { 0 } else { self.wrapping_div(o) }
            }
            fn floor_div(self, o: Self) -> Self {
                if o == 0 {
                    return 0;
                }
                let q = self.wrapping_div(o);
                // wrapping_rem: MIN % -1 would otherwise panic even in release builds.
                if (self.wrapping_rem(o) != 0) && ((self < 0) != (o < 0)) {
                    q.wrapping_sub(1)
                } else {
                    q
                }
            }
            fn rem(self, o: Self) -> Self {
                if o == 0 {
                    return 0;
                }
                let r = self.wrapping_rem(o);
                if r != 0 && ((r < 0) != (o < 0)) {
                    r + o
                } else {
                    r
                }
            }
            fn pow(self, o: Self) -> Self {
                // PyTorch's powi: negative exponents give 0 except for bases 1 and -1.
                if o < 0 {
                    return match self {
                        1 => 1,
                        -1 => {
                            if o % 2 == 0 {
                                1
                            } else {
                                -1
                            }
                        }
                        _ => 0,
                    };
                }
                let mut result: $t = 1;
                let mut base = self;
                let mut e = o;
                while e > 0 {
                    if e & 1 == 1 {
                        result = result.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                result
            }
            fn is_nan(self) -> bool {
                false
            }
            fn neg(self) -> Self {
                self.wrapping_neg()
            }
            fn abs(self) -> Self {
                self.wrapping_abs()
            }
            fn sqrt(self) -> Self {
                (self as f64).sqrt() as $t
            }
            fn atan2(self, o: Self) -> Self {
                (self as f64).atan2(o as f64) as $t
            }
        }
    };
}
int_arith!(i32);
int_arith!(i64);

macro_rules! float_arith {
    ($t:ty) => {
        impl Arith for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            fn add(self, o: Self) -> Self {
                self + o
            }
            fn sub(self, o: Self) -> Self {
                self - o
            }
            fn mul(self, o: Self) -> Self {
                self * o
            }
            fn div(self, o: Self) -> Self {
                self / o
            }
            fn floor_div(self, o: Self) -> Self {
                // ATen's div_floor_floating: exact for representable quotients, Python-like signs.
                if o == 0.0 {
                    return self / o;
                }
                let m = self % o;
                let mut div = (self - m) / o;
                if m != 0.0 && ((o < 0.0) != (m < 0.0)) {
                    div -= 1.0;
                }
                if div != 0.0 {
                    let mut fl = div.floor();
                    if div - fl > 0.5 {
                        fl += 1.0;
                    }
                    fl
                } else {
                    (0.0 as $t).copysign(self / o)
                }
            }
            fn rem(self, o: Self) -> Self {
                let mut m = self % o;
                if m != 0.0 && ((m < 0.0) != (o < 0.0)) {
                    m += o;
                }
                m
            }
            fn pow(self, o: Self) -> Self {
                self.powf(o)
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn neg(self) -> Self {
                -self
            }
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            fn atan2(self, o: Self) -> Self {
                <$t>::atan2(self, o)
            }
        }
    };
}
float_arith!(f32);
float_arith!(f64);

/// Runs `$body` with `$T` bound to the arithmetic type of a non-bool `$dtype`; `$bool` otherwise.
macro_rules! with_arith {
    ($dtype:expr, $T:ident, $body:expr, $bool:expr) => {
        match $dtype {
            $crate::array::DType::Bool => $bool,
            $crate::array::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::array::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::array::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::array::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}
pub(crate) use with_arith;

/// Runs `$body` with `$T` bound to f32 or f64 for a float `$dtype`; `$other` otherwise.
macro_rules! with_float {
    ($dtype:expr, $T:ident, $body:expr, $other:expr) => {
        match $dtype {
            $crate::array::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::array::DType::F64 => {
                type $T = f64;
                $body
            }
            _ => $other,
        }
    };
}
pub(crate) use with_float;

/// PyTorch's C++ type name of a dtype, as used in dtype-mismatch errors ("float", "long int").
pub(crate) fn cpp_type_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "bool",
        DType::I32 => "int",
        DType::I64 => "long int",
        DType::F32 => "float",
        DType::F64 => "double",
    }
}

/// PyTorch's ScalarType name ("Float", "Long"), as used in "not implemented for" errors.
pub(crate) fn scalar_type_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "Bool",
        DType::I32 => "Int",
        DType::I64 => "Long",
        DType::F32 => "Float",
        DType::F64 => "Double",
    }
}

/// `[2, 3]`, the way ATen prints an IntArrayRef.
pub(crate) fn fmt_shape<T: std::fmt::Display>(shape: &[T]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// (product of dims before `dim`, size of `dim`, product of dims after `dim`).
pub(crate) fn split_at_dim(shape: &[usize], dim: usize) -> (usize, usize, usize) {
    let pre = shape[..dim].iter().product();
    let post = shape[dim + 1..].iter().product();
    (pre, shape[dim], post)
}

/// Elementwise outputs at least this large are computed on two cores.
const PARALLEL_ELEMS: usize = 1 << 20;

/// The elementwise loop of `zip_elems` over one view (shape, strides, offsets) of each
/// operand, writing one result per element, in logical order, into `out`.
fn zip_rows<T: Element, U>(
    a: &[T],
    b: &[T],
    shape: &[usize],
    strides: [&[usize]; 2],
    offsets: [usize; 2],
    f: &impl Fn(T, T) -> U,
    out: &mut [MaybeUninit<U>],
) {
    let n: usize = shape.iter().product();
    debug_assert_eq!(out.len(), n);
    let dense = |st: &[usize]| {
        let c = super::contiguous_strides(shape);
        shape
            .iter()
            .zip(st)
            .zip(&c)
            .all(|((&d, &s), &e)| d == 1 || s == e)
    };
    let scalar = |st: &[usize]| st.iter().all(|&s| s == 0);
    let (ca, cb) = (dense(strides[0]), dense(strides[1]));
    if n == 0 {
    } else if ca && cb {
        let a = &a[offsets[0]..offsets[0] + n];
        let b = &b[offsets[1]..offsets[1] + n];
        fill(out, a.iter().zip(b).map(|(&x, &y)| f(x, y)));
    } else if ca && scalar(strides[1]) {
        // Tensor op broadcast scalar: the most common case in lesson code.
        let y = b[offsets[1]];
        fill(out, a[offsets[0]..offsets[0] + n].iter().map(|&x| f(x, y)));
    } else if cb && scalar(strides[0]) {
        let x = a[offsets[0]];
        fill(out, b[offsets[1]..offsets[1] + n].iter().map(|&y| f(x, y)));
    } else if let (Some(&ia), Some(&ib)) = (strides[0].last(), strides[1].last())
        && ia <= 1
        && ib <= 1
    {
        // Rows that are contiguous or broadcast: slice loops per row (broadcast matrices,
        // batched gradients against an unbatched operand).
        let inner = *shape.last().unwrap_or(&1);
        let mut rows = out.chunks_exact_mut(inner);
        walk_rows(shape, strides, offsets, |[p, q]| {
            let Some(row) = rows.next() else { return };
            match (ia, ib) {
                (1, 1) => fill(
                    row,
                    a[p..p + inner]
                        .iter()
                        .zip(&b[q..q + inner])
                        .map(|(&x, &y)| f(x, y)),
                ),
                (1, _) => {
                    let y = b[q];
                    fill(row, a[p..p + inner].iter().map(|&x| f(x, y)))
                }
                (_, 1) => {
                    let x = a[p];
                    fill(row, b[q..q + inner].iter().map(|&y| f(x, y)))
                }
                _ => fill(row, (0..inner).map(|_| f(a[p], b[q]))),
            }
        });
    } else {
        let mut slots = out.iter_mut();
        walk(shape, strides, offsets, |[p, q]| {
            if let Some(slot) = slots.next() {
                slot.write(f(a[p], b[q]));
            }
        });
    }
}

/// Writes the values of `values` into the slots of `out`, in order.
#[inline]
fn fill<U>(out: &mut [MaybeUninit<U>], values: impl ExactSizeIterator<Item = U>) {
    debug_assert_eq!(out.len(), values.len());
    for (slot, v) in out.iter_mut().zip(values) {
        slot.write(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs past `PARALLEL_ELEMS` are written in two halves by two threads (when the
    /// machine has two cores); every operand layout must land each value in its own slot.
    #[test]
    fn large_binary_ops_match_elementwise_reference() {
        let (r, c) = (1031, 1025); // odd, so the halves differ in size
        assert!(r * c >= PARALLEL_ELEMS);
        let a: Vec<f64> = (0..r * c).map(|i| (i % 977) as f64).collect();
        let b: Vec<f64> = (0..r * c).map(|i| (i % 13) as f64 * 0.5).collect();
        let row: Vec<f64> = (0..c).map(|j| j as f64).collect();
        let am = NdArray::from_vec(a.clone(), vec![r, c]);
        let bm = NdArray::from_vec(b.clone(), vec![r, c]);
        let row_m = NdArray::from_vec(row.clone(), vec![c])
            .broadcast_to(&[r, c])
            .unwrap();
        let scalar = NdArray::from_vec(vec![3.0f64], vec![])
            .broadcast_to(&[r, c])
            .unwrap();
        let bt = NdArray::from_vec(b.clone(), vec![c, r]).t().unwrap();
        // Each operand with its values in logical order.
        let n = r * c;
        let cases = [
            (&bm, b.clone()),
            (&row_m, (0..n).map(|i| row[i % c]).collect::<Vec<_>>()),
            (&scalar, vec![3.0; n]),
            (&bt, (0..n).map(|i| b[(i % c) * r + i / c]).collect()),
        ];
        for (k, (other, values)) in cases.iter().enumerate() {
            let got = am.zip_elems::<f64, f64>(other, |x, y| x * 2.0 + y);
            assert_eq!(got.len(), r * c);
            for (i, g) in got.iter().enumerate() {
                assert_eq!(*g, a[i] * 2.0 + values[i], "case {k}, element {i}");
            }
        }
    }
}
