//! Elementwise kernels of several operands whose rounding PyTorch's CPU kernels fix: `add` with
//! `alpha`, `addcmul`, `addcdiv` and `lerp`. ATen computes them with fused multiply-adds
//! (`vec::fmadd`, and the compiler contracts the scalar tail the same way), so each of these
//! rounds once where the textbook formula would round twice; optimizers are built from them,
//! which is why parameters after N steps are bit-identical only when these are.
//!
//! | op | float result (one rounding per step shown) |
//! | --- | --- |
//! | `add(a, b, alpha)` | `fma(alpha, b, a)` |
//! | `addcmul(s, t1, t2, value)` | `fma(value * t1, t2, s)` |
//! | `addcdiv(s, t1, t2, value)` | `s + (value * t1) / t2` (no fusion: a division sits between) |
//! | `lerp(s, e, w)` | `fma(w, e - s, s)` when `abs(w) < 0.5`, else `fma(w - 1, e - s, e)` |
//!
//! Scalars (`alpha`, `value`) are cast to the element type first, as ATen's `Scalar::to<scalar_t>`.

use super::layout::in_output_layout;
use super::shape_ops::broadcast_shapes;
use super::{DType, Element, NdArray};
use crate::error::PyResult;

/// The float element types with a fused multiply-add.
trait Fma: Element + Copy {
    fn of_f64(v: f64) -> Self;
    fn fma(a: Self, b: Self, c: Self) -> Self;
    fn mul(a: Self, b: Self) -> Self;
    fn div(a: Self, b: Self) -> Self;
    fn add(a: Self, b: Self) -> Self;
    fn sub(a: Self, b: Self) -> Self;
    fn one() -> Self;
    fn less(a: Self, b: Self) -> bool;
}

macro_rules! fma_impl {
    ($t:ty) => {
        impl Fma for $t {
            fn of_f64(v: f64) -> Self {
                v as $t
            }
            fn fma(a: Self, b: Self, c: Self) -> Self {
                a.mul_add(b, c)
            }
            fn mul(a: Self, b: Self) -> Self {
                a * b
            }
            fn div(a: Self, b: Self) -> Self {
                a / b
            }
            fn add(a: Self, b: Self) -> Self {
                a + b
            }
            fn sub(a: Self, b: Self) -> Self {
                a - b
            }
            fn one() -> Self {
                1.0
            }
            fn less(a: Self, b: Self) -> bool {
                a < b
            }
        }
    };
}
fma_impl!(f32);
fma_impl!(f64);

/// Runs the float kernel `f` over `operands` broadcast together and cast to `dtype` (a float
/// dtype), keeping the operands' memory order as TensorIterator does.
fn ternary<T: Fma>(
    operands: [&NdArray; 3],
    dtype: DType,
    f: impl Fn(T, T, T) -> T,
) -> PyResult<NdArray> {
    let shape = broadcast_shapes(
        &broadcast_shapes(operands[0].shape(), operands[1].shape())?,
        operands[2].shape(),
    )?;
    super::check_alloc(
        super::checked_numel(&shape).unwrap_or(usize::MAX),
        dtype.size(),
    )?;
    let b: Vec<NdArray> = operands
        .iter()
        .map(|a| a.cast_to(dtype).broadcast_to(&shape))
        .collect::<PyResult<_>>()?;
    in_output_layout(&[&b[0], &b[1], &b[2]], |ops| {
        let (x, y, z) = (
            ops[0].typed_vec::<T>(),
            ops[1].typed_vec::<T>(),
            ops[2].typed_vec::<T>(),
        );
        let v: Vec<T> = x
            .iter()
            .zip(y.iter().zip(z.iter()))
            .map(|(&p, (&q, &r))| f(p, q, r))
            .collect();
        Ok(NdArray::from_vec(v, ops[0].shape().to_vec()))
    })
}

impl NdArray {
    /// `self + alpha * other` for float operands (already of one float dtype), rounded once.
    pub fn add_scaled(&self, other: &NdArray, alpha: f64) -> PyResult<NdArray> {
        let dtype = DType::promote(self.dtype(), other.dtype());
        // The third operand only carries the shape; its values are never read.
        super::kernel::with_float!(
            dtype,
            T,
            {
                let a = T::of_f64(alpha);
                ternary::<T>([self, other, self], dtype, move |s, o, _| T::fma(a, o, s))
            },
            unreachable!("add_scaled is only called for float dtypes")
        )
    }

    /// `self + value * t1 * t2` (ATen's `addcmul`), float dtypes.
    pub fn addcmul(&self, t1: &NdArray, t2: &NdArray, value: f64) -> PyResult<NdArray> {
        let dtype = DType::promote(DType::promote(self.dtype(), t1.dtype()), t2.dtype());
        super::kernel::with_float!(
            dtype,
            T,
            {
                let v = T::of_f64(value);
                ternary::<T>([self, t1, t2], dtype, move |s, a, b| {
                    T::fma(T::mul(v, a), b, s)
                })
            },
            unreachable!("addcmul is only called for float dtypes")
        )
    }

    /// `self + value * t1 / t2` (ATen's `addcdiv`), float dtypes.
    pub fn addcdiv(&self, t1: &NdArray, t2: &NdArray, value: f64) -> PyResult<NdArray> {
        let dtype = DType::promote(DType::promote(self.dtype(), t1.dtype()), t2.dtype());
        super::kernel::with_float!(
            dtype,
            T,
            {
                let v = T::of_f64(value);
                ternary::<T>([self, t1, t2], dtype, move |s, a, b| {
                    T::add(s, T::div(T::mul(v, a), b))
                })
            },
            unreachable!("addcdiv is only called for float dtypes")
        )
    }

    /// `self + weight * (end - self)` in ATen's two-branch form (exact at both ends), float
    /// dtypes; `weight` is a tensor (a Python number arrives as a 0-d one).
    pub fn lerp(&self, end: &NdArray, weight: &NdArray) -> PyResult<NdArray> {
        let dtype = DType::promote(self.dtype(), end.dtype());
        super::kernel::with_float!(
            dtype,
            T,
            {
                let half = T::of_f64(0.5);
                ternary::<T>([self, end, weight], dtype, move |s, e, w| {
                    let d = T::sub(e, s);
                    if T::less(T::abs(w), half) {
                        T::fma(w, d, s)
                    } else {
                        T::fma(T::sub(w, T::one()), d, e)
                    }
                })
            },
            unreachable!("lerp is only called for float dtypes")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(v: &[f32]) -> NdArray {
        NdArray::from_vec(v.to_vec(), vec![v.len()])
    }

    #[test]
    fn add_scaled_rounds_once() {
        // -(1 + 2e) + (1 + e) * (1 + e) = e^2 with e = 2^-23: one rounding keeps it, rounding
        // the product first (to 1 + 2e) gives 0.
        let e = f32::EPSILON;
        let r = f32s(&[-(1.0 + 2.0 * e)])
            .add_scaled(&f32s(&[1.0 + e]), (1.0 + e) as f64)
            .unwrap()
            .to_vec::<f32>();
        assert_eq!(r[0], e * e);
    }

    #[test]
    fn lerp_is_exact_at_the_ends() {
        let (s, e) = (f32s(&[0.1, -3.7]), f32s(&[7.3, 2.9]));
        let one = NdArray::scalar(1.0, DType::F32);
        let zero = NdArray::scalar(0.0, DType::F32);
        assert_eq!(s.lerp(&e, &one).unwrap().to_vec::<f32>(), vec![7.3, 2.9]);
        assert_eq!(s.lerp(&e, &zero).unwrap().to_vec::<f32>(), vec![0.1, -3.7]);
    }

    #[test]
    fn addcdiv_divides_the_scaled_numerator() {
        let r = f32s(&[1.0])
            .addcdiv(&f32s(&[1.0]), &f32s(&[3.0]), 0.1)
            .unwrap()
            .to_vec::<f32>();
        assert_eq!(r[0], 1.0 + (0.1f32 * 1.0) / 3.0);
    }

    #[test]
    fn addcmul_broadcasts() {
        let r = f32s(&[1.0, 2.0])
            .addcmul(&NdArray::scalar(2.0, DType::F32), &f32s(&[3.0, 4.0]), 0.5)
            .unwrap();
        assert_eq!(r.shape(), &[2]);
        assert_eq!(r.to_vec::<f32>(), vec![4.0, 6.0]);
    }
}
