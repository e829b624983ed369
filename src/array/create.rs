//! Factory kernels: arange, linspace, eye. (Implementation owned by the array work.)

use super::{DType, Element, NdArray};
use crate::error::{PyResult, runtime_error};

impl NdArray {
    /// `torch.arange(start, end, step, dtype=dtype)`; PyTorch's length rule ceil((end-start)/step).
    /// Errors as PyTorch for step == 0 or a step of the wrong sign.
    pub fn arange(start: f64, end: f64, step: f64, dtype: DType) -> PyResult<NdArray> {
        if !start.is_finite() || !end.is_finite() {
            return Err(runtime_error(format!(
                "unsupported range: {start} -> {end}"
            )));
        }
        if step == 0.0 {
            return Err(runtime_error("step must be nonzero"));
        }
        if (step > 0.0 && end < start) || (step < 0.0 && end > start) {
            return Err(runtime_error(
                "upper bound and larger bound inconsistent with step sign",
            ));
        }
        let size = ((end - start) / step).ceil();
        if !size.is_finite() || size >= (1u64 << 48) as f64 {
            return Err(runtime_error(format!(
                "invalid size, possible overflow? size_d={size} start={start} end={end} step={step}"
            )));
        }
        let n = size.max(0.0) as usize;
        super::check_alloc(n, dtype.size())?;
        let storage = match dtype {
            // Integer ranges are computed in int64 like ATen (start/step already integral).
            DType::I32 | DType::I64 | DType::Bool => {
                let (s, st) = (start as i64, step as i64);
                let vals: Vec<i64> = (0..n as i64)
                    .map(|i| s.wrapping_add(st.wrapping_mul(i)))
                    .collect();
                crate::with_dtype!(
                    dtype,
                    T,
                    T::into_storage(vals.into_iter().map(T::from_i64).collect())
                )
            }
            DType::F32 => f32::into_storage(arange_float(start, step, n, 8, |x| x as f32)),
            DType::F64 => f64::into_storage(arange_float(start, step, n, 4, |x| x)),
        };
        Ok(NdArray::from_storage(storage, vec![n]))
    }

    /// `torch.linspace(start, end, steps)`, computed like PyTorch (step = (end-start)/(steps-1),
    /// first half from start, second half from end) so the values match bit for bit.
    pub fn linspace(start: f64, end: f64, steps: usize, dtype: DType) -> PyResult<NdArray> {
        if dtype == DType::Bool {
            return Err(runtime_error("\"linspace_cpu\" not implemented for 'Bool'"));
        }
        if steps == 1 {
            return Ok(NdArray::full(&[1], start, dtype));
        }
        super::check_alloc(steps, dtype.size())?;
        let storage = match dtype {
            DType::F32 => {
                // ATen's step_t is the output dtype: every operation rounds to float32.
                let (s, e) = (start as f32, end as f32);
                let step = if steps > 1 {
                    (e - s) / (steps - 1) as f32
                } else {
                    0.0
                };
                let half = steps / 2;
                let vals: Vec<f32> = (0..steps)
                    .map(|i| {
                        // The AVX2 build contracts these to fused multiply-adds.
                        if i < half {
                            step.mul_add(i as f32, s)
                        } else {
                            (-step).mul_add((steps - 1 - i) as f32, e)
                        }
                    })
                    .collect();
                f32::into_storage(vals)
            }
            DType::F64 => {
                let step = if steps > 1 {
                    (end - start) / (steps - 1) as f64
                } else {
                    0.0
                };
                f64::into_storage(linspace_values(start, end, step, steps))
            }
            _ => {
                // Integral outputs: start/end truncated first, the step in double.
                let (s, e) = (start.trunc(), end.trunc());
                let step = if steps > 1 {
                    (e - s) / (steps - 1) as f64
                } else {
                    0.0
                };
                let vals = linspace_values(s, e, step, steps);
                crate::with_dtype!(
                    dtype,
                    T,
                    T::into_storage(vals.into_iter().map(T::from_f64).collect())
                )
            }
        };
        Ok(NdArray::from_storage(storage, vec![steps]))
    }

    /// `torch.eye(n, m)`.
    pub fn eye(n: usize, m: usize, dtype: DType) -> NdArray {
        let out = NdArray::zeros(&[n, m], dtype);
        {
            let mut storage = out.storage_mut();
            crate::with_dtype!(dtype, T, {
                let data = super::kernel::typed_mut::<T>(&mut storage);
                for i in 0..n.min(m) {
                    data[i * m + i] = T::from_f64(1.0);
                }
            });
        }
        out
    }
}

/// ATen's float `arange` kernel (`RangeFactoriesKernel.cpp`): start and step in double; each
/// chunk of `at::parallel_for` (two above `GRAIN_SIZE`) fills blocks of two vectors of `w`
/// lanes from one base rounded to the dtype (`Vectorized::arange(base, step)`), and its tail
/// element by element. The AVX2 build contracts `start + step * idx` to fused multiply-adds.
fn arange_float<T: Copy>(
    start: f64,
    step: f64,
    n: usize,
    w: usize,
    cast: impl Fn(f64) -> T,
) -> Vec<T>
where
    f64: From<T>,
{
    let mut out = Vec::with_capacity(n);
    let chunks = if n < 32768 { 1 } else { 2 };
    let chunk = n.div_ceil(chunks).max(1);
    let mut begin = 0;
    while begin < n {
        let end = n.min(begin + chunk);
        let mut i = begin;
        while i + 2 * w <= end {
            for v in 0..2 {
                let idx = i + v * w;
                let base = f64::from(cast(step.mul_add(idx as f64, start)));
                for l in 0..w {
                    out.push(cast((l as f64).mul_add(step, base)));
                }
            }
            i += 2 * w;
        }
        for idx in i..end {
            out.push(cast(step.mul_add(idx as f64, start)));
        }
        begin = end;
    }
    out
}

/// The values of ATen's linspace kernel in double precision: the first half counts up from `start`, the second
/// half down from `end`, so both endpoints are exact.
fn linspace_values(start: f64, end: f64, step: f64, steps: usize) -> Vec<f64> {
    let half = steps / 2;
    (0..steps)
        .map(|i| {
            if i < half {
                step.mul_add(i as f64, start)
            } else {
                (-step).mul_add((steps - 1 - i) as f64, end)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arange_lengths_and_values() {
        let a = NdArray::arange(0.0, 7.0, 1.0, DType::F32).unwrap();
        assert_eq!(a.to_vec::<f32>(), vec![0., 1., 2., 3., 4., 5., 6.]);
        let a = NdArray::arange(1.0, 2.0, 0.3, DType::F64).unwrap();
        assert_eq!(a.shape(), &[4]);
        assert_eq!(a.to_vec::<f64>()[3], 1.9);
        let a = NdArray::arange(5.0, 0.0, -2.0, DType::I64).unwrap();
        assert_eq!(a.to_vec::<i64>(), vec![5, 3, 1]);
        assert_eq!(
            NdArray::arange(0.0, 0.0, 1.0, DType::F32).unwrap().shape(),
            &[0]
        );
        assert_eq!(
            NdArray::arange(0.0, 1.0, 0.0, DType::F32).unwrap_err().msg,
            "step must be nonzero"
        );
        assert_eq!(
            NdArray::arange(0.0, 1.0, -1.0, DType::F32).unwrap_err().msg,
            "upper bound and larger bound inconsistent with step sign"
        );
    }

    #[test]
    fn linspace_matches_pytorch() {
        let a = NdArray::linspace(0.0, 1.0, 5, DType::F32).unwrap();
        assert_eq!(a.to_vec::<f32>(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let a = NdArray::linspace(-1.0, 1.0, 9, DType::F32).unwrap();
        assert_eq!(
            a.to_vec::<f32>(),
            vec![-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
        );
        let a = NdArray::linspace(0.0, 1.0, 15, DType::F32)
            .unwrap()
            .to_vec::<f32>();
        assert_eq!(a[14], 1.0);
        assert_eq!(a[1], 1.0f32 / 14.0);
        // PyTorch: torch.linspace(0, 1, 15)[7].item() == 0.4999999701976776 (fused step * 7).
        assert_eq!(a[7], 0.499_999_97);
        let a = NdArray::linspace(0.0, 10.0, 4, DType::I64).unwrap();
        assert_eq!(a.to_vec::<i64>(), vec![0, 3, 6, 10]);
        assert_eq!(
            NdArray::linspace(3.0, 9.0, 1, DType::F32)
                .unwrap()
                .to_vec::<f32>(),
            vec![3.0]
        );
        assert_eq!(
            NdArray::linspace(3.0, 9.0, 0, DType::F32).unwrap().shape(),
            &[0]
        );
    }

    #[test]
    fn eye_rectangular() {
        let e = NdArray::eye(2, 3, DType::F32);
        assert_eq!(e.to_vec::<f32>(), vec![1., 0., 0., 0., 1., 0.]);
        let e = NdArray::eye(3, 2, DType::I64);
        assert_eq!(e.to_vec::<i64>(), vec![1, 0, 0, 1, 0, 0]);
    }
}
