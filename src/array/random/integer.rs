//! Integer-valued sampling (rng.md §6, §7): `random_(from, to)` / `randint` and `randperm`.

use super::super::{DType, Element, NdArray};
use super::generator::Generator;
use super::layout::fill_in_storage_order;

/// Mantissa digits of a floating dtype (`std::numeric_limits<T>::digits`).
fn float_digits(dtype: DType) -> Option<u32> {
    match dtype {
        DType::F32 => Some(f32::MANTISSA_DIGITS),
        DType::F64 => Some(f64::MANTISSA_DIGITS),
        _ => None,
    }
}

/// `(v as dtype) as i64` for a floating dtype: the value after a round trip through it.
fn through_float(v: i64, dtype: DType) -> i64 {
    if dtype == DType::F32 {
        v as f32 as i64
    } else {
        v as f64 as i64
    }
}

/// ATen's `update_from`: the smallest start whose values survive the cast to the dtype.
fn update_from(from: i64, dtype: DType, digits: u32) -> i64 {
    let from_plus_1 = through_float(from.wrapping_add(1), dtype);
    if from_plus_1 < from {
        let n = from
            .wrapping_add(1)
            .unsigned_abs()
            .checked_ilog2()
            .unwrap_or(0) as i64;
        let shift = n - digits as i64 + 1;
        return from_plus_1.wrapping_add(1i64.wrapping_shl(shift as u32));
    }
    from
}

/// ATen's `update_to`: the largest exclusive end whose values survive the cast.
fn update_to(to: i64, dtype: DType, digits: u32) -> i64 {
    let to_minus_1 = through_float(to.wrapping_sub(1), dtype);
    if to_minus_1 >= to {
        let n = to
            .wrapping_sub(1)
            .unsigned_abs()
            .checked_ilog2()
            .unwrap_or(0) as i64;
        let shift = n - digits as i64 + 1;
        return to_minus_1.wrapping_sub(1i64.wrapping_shl(shift as u32));
    }
    to
}

/// How one element is drawn: `base + draw mod range`, or a raw 64-bit draw.
#[derive(Clone, Copy, Debug, PartialEq)]
enum IntDraw {
    FromTo { range: u64, base: i64, wide: bool },
    Full64,
}

fn plan(dtype: DType, from: i64, to: Option<i64>) -> IntDraw {
    let digits = float_digits(dtype);
    let (from, to_exclusive) = match to {
        Some(to) => match digits {
            Some(d) => (update_from(from, dtype, d), update_to(to, dtype, d)),
            None => (from, to),
        },
        None => {
            if from == i64::MIN {
                return IntDraw::Full64;
            }
            let (from, top) = match (dtype, digits) {
                (_, Some(d)) => (update_from(from, dtype, d), 1i64 << d),
                (DType::Bool, _) => (from, 1),
                (DType::I32, _) => (from, i32::MAX as i64),
                _ => (from, i64::MAX),
            };
            // range = top − from + 1 in unsigned arithmetic (2^64 wraps to 0 only for the
            // full range handled above).
            let range = (top as u64).wrapping_sub(from as u64).wrapping_add(1);
            return from_to(dtype, range, from);
        }
    };
    from_to(dtype, (to_exclusive as u64).wrapping_sub(from as u64), from)
}

fn from_to(dtype: DType, range: u64, base: i64) -> IntDraw {
    // Only 64-bit-capable dtypes switch to random64(); int32/bool always use one word.
    let wide = range >= 1 << 32 && matches!(dtype, DType::I64 | DType::F32 | DType::F64);
    IntDraw::FromTo { range, base, wide }
}

#[inline]
fn draw(g: &mut Generator, how: IntDraw) -> i64 {
    match how {
        IntDraw::Full64 => g.engine.next_u64() as i64,
        IntDraw::FromTo { range, base, wide } => {
            let w = if wide {
                g.engine.next_u64()
            } else {
                g.engine.next_u32() as u64
            };
            // range 0 cannot come from valid arguments; answer `base` rather than divide by 0.
            let r = w.checked_rem(range).unwrap_or(0);
            r.wrapping_add(base as u64) as i64
        }
    }
}

fn fill_typed<T: Element>(array: &NdArray, g: &mut Generator, how: IntDraw) {
    fill_in_storage_order::<T>(array, |vals, _| {
        for v in vals.iter_mut() {
            *v = T::from_i64(draw(g, how));
        }
    });
}

/// In place `random_(from, to)`; `to` None means the dtype's top (`random_()` is
/// `random_(0, None)`). Argument checks (from < to, ranges) are the caller's.
pub fn random_(array: &NdArray, from: i64, to: Option<i64>, generator: &mut Generator) {
    let how = plan(array.dtype(), from, to);
    crate::with_dtype!(array.dtype(), T, fill_typed::<T>(array, generator, how))
}

/// ATen's first check of `random_(from, to)`, wording included.
pub fn check_from_to(from: i64, to: i64) -> Result<(), String> {
    if from < to {
        Ok(())
    } else {
        Err(format!(
            "random_ expects 'from' to be less than 'to', but got from={from} >= to={to}"
        ))
    }
}

/// `torch.randint(low, high, shape, dtype=dtype)`.
pub fn randint(low: i64, high: i64, shape: &[usize], dtype: DType, g: &mut Generator) -> NdArray {
    let out = NdArray::zeros(shape, dtype);
    random_(&out, low, Some(high), g);
    out
}

/// Below this size torch shuffles forwards with 32-bit draws.
const RANDPERM_SMALL: usize = (u32::MAX / 20) as usize;

/// `torch.randperm(n)` as int64.
pub fn randperm(n: usize, generator: &mut Generator) -> NdArray {
    crate::array::alloc::reserve_or_unwind(n, 8);
    let mut a: Vec<i64> = (0..n as i64).collect();
    if n < RANDPERM_SMALL {
        for i in 0..n.saturating_sub(1) {
            let z = (generator.engine.next_u32() as u64 % (n - i) as u64) as usize;
            a.swap(i, i + z);
        }
    } else {
        // Inside-out Fisher–Yates with 64-bit draws (rng.md §7, not verified against torch).
        for i in 0..n {
            let z = (generator.engine.next_u64() % (i as u64 + 1)) as usize;
            a[i] = a[z];
            a[z] = i as i64;
        }
    }
    NdArray::from_vec(a, vec![n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(a: &NdArray) -> Vec<i64> {
        a.to_vec::<i64>()
    }

    #[test]
    fn randint_seed0() {
        let mut g = Generator::new(0);
        assert_eq!(
            ints(&randint(0, 10, &[6], DType::I64, &mut g)),
            [4, 9, 3, 0, 3, 9]
        );
    }

    #[test]
    fn randint_session_seed1() {
        let mut g = Generator::new(1);
        assert_eq!(
            ints(&randint(0, 10, &[8], DType::I64, &mut g)),
            [5, 9, 4, 8, 3, 3, 1, 1]
        );
    }

    #[test]
    fn randperm_seed0() {
        let mut g = Generator::new(0);
        assert_eq!(ints(&randperm(8, &mut g)), [4, 0, 7, 3, 2, 5, 1, 6]);
        assert_eq!(ints(&randperm(0, &mut g)), Vec::<i64>::new());
    }

    #[test]
    fn wide_ranges_use_two_words() {
        assert_eq!(
            plan(DType::I64, 0, Some(1 << 32)),
            IntDraw::FromTo {
                range: 1 << 32,
                base: 0,
                wide: true
            }
        );
        assert_eq!(
            plan(DType::I32, i32::MIN as i64, None),
            IntDraw::FromTo {
                range: 1 << 32,
                base: i32::MIN as i64,
                wide: false
            }
        );
        assert_eq!(plan(DType::I64, i64::MIN, None), IntDraw::Full64);
    }

    #[test]
    fn random_no_bounds_ranges() {
        assert_eq!(
            plan(DType::I64, 0, None),
            IntDraw::FromTo {
                range: 1 << 63,
                base: 0,
                wide: true
            }
        );
        assert_eq!(
            plan(DType::F32, 0, None),
            IntDraw::FromTo {
                range: (1 << 24) + 1,
                base: 0,
                wide: false
            }
        );
        assert_eq!(
            plan(DType::F64, 0, None),
            IntDraw::FromTo {
                range: (1 << 53) + 1,
                base: 0,
                wide: true
            }
        );
        assert_eq!(
            plan(DType::Bool, 0, None),
            IntDraw::FromTo {
                range: 2,
                base: 0,
                wide: false
            }
        );
    }

    #[test]
    fn float_bounds_are_nudged_beyond_the_mantissa() {
        // 2^24 + 1 is not a float32: the end moves down to the last safe value.
        assert_eq!(update_to((1 << 24) + 2, DType::F32, 24), (1 << 24) + 2);
        assert_eq!(update_to(1 << 25, DType::F32, 24), (1 << 25) - 2);
        assert_eq!(update_to(100, DType::F32, 24), 100);
        assert_eq!(update_from(-100, DType::F32, 24), -100);
    }

    #[test]
    fn zero_range_does_not_panic() {
        let mut g = Generator::new(0);
        let a = NdArray::zeros(&[3], DType::I64);
        random_(&a, 5, Some(5), &mut g);
        assert_eq!(ints(&a), [5, 5, 5]);
        assert!(check_from_to(5, 5).is_err());
    }
}
