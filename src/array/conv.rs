//! The window kernels behind convolution and pooling: `im2col` (every kernel window of a
//! padded (N, C, H, W) batch as a column, PyTorch's `F.unfold` layout (N, C·kh·kw, L)) and its
//! adjoint `col2im` (columns summed back into the image, `F.fold`). Gathering is exact; the
//! sums of `col2im` run in the array's precision in window order.

use super::{DType, NdArray};
use crate::error::PyResult;

/// Kernel size, stride, padding and dilation of a 2-d window, and the image size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window2d {
    pub kernel: (usize, usize),
    pub stride: (usize, usize),
    pub padding: (usize, usize),
    pub dilation: (usize, usize),
    /// (H, W) of the image.
    pub size: (usize, usize),
}

impl Window2d {
    /// (out_h, out_w); None when the kernel does not fit.
    pub fn output(&self) -> Option<(usize, usize)> {
        let dim = |size: usize, k: usize, s: usize, p: usize, d: usize| -> Option<usize> {
            let span = d * (k - 1) + 1;
            let padded = size + 2 * p;
            if k == 0 || s == 0 || padded < span {
                None
            } else {
                Some((padded - span) / s + 1)
            }
        };
        Some((
            dim(
                self.size.0,
                self.kernel.0,
                self.stride.0,
                self.padding.0,
                self.dilation.0,
            )?,
            dim(
                self.size.1,
                self.kernel.1,
                self.stride.1,
                self.padding.1,
                self.dilation.1,
            )?,
        ))
    }

    /// For every (column row r = c·kh·kw + i·kw + j, position l): the image offset within one
    /// (C, H, W) sample, or None in the padding.
    fn offsets(&self, channels: usize) -> (Vec<Option<usize>>, usize) {
        let (oh, ow) = self.output().unwrap_or((0, 0));
        let (kh, kw) = self.kernel;
        let (h, w) = self.size;
        let l = oh * ow;
        let mut out = crate::array::alloc::vec_with_capacity(channels * kh * kw * l);
        for c in 0..channels {
            for i in 0..kh {
                for j in 0..kw {
                    for y in 0..oh {
                        for x in 0..ow {
                            let iy = (y * self.stride.0 + i * self.dilation.0) as isize
                                - self.padding.0 as isize;
                            let ix = (x * self.stride.1 + j * self.dilation.1) as isize
                                - self.padding.1 as isize;
                            out.push(
                                if iy < 0 || ix < 0 || iy as usize >= h || ix as usize >= w {
                                    None
                                } else {
                                    Some(c * h * w + iy as usize * w + ix as usize)
                                },
                            );
                        }
                    }
                }
            }
        }
        (out, l)
    }
}

macro_rules! typed {
    ($dt:expr, $f:ident, $($arg:expr),*) => {
        match $dt {
            DType::F64 => $f::<f64>($($arg),*),
            _ => $f::<f32>($($arg),*),
        }
    };
}

fn im2col_t<T: super::Element + Copy + Default>(x: &NdArray, win: &Window2d) -> NdArray {
    let s = x.shape().to_vec();
    let (n, c) = (s[0], s[1]);
    let data = x.contiguous().to_vec::<T>();
    let (offs, l) = win.offsets(c);
    let rows = offs.len() / l.max(1);
    let per = c * win.size.0 * win.size.1;
    let mut out = crate::array::alloc::vec_with_capacity(n * offs.len());
    for b in 0..n {
        let base = b * per;
        out.extend(offs.iter().map(|o| match o {
            Some(o) => data[base + o],
            None => T::default(),
        }));
    }
    NdArray::from_vec(out, vec![n, rows, l])
}

fn col2im_t<T>(cols: &NdArray, channels: usize, win: &Window2d) -> NdArray
where
    T: super::Element + Copy + Default + std::ops::AddAssign,
{
    let n = cols.shape()[0];
    let data = cols.contiguous().to_vec::<T>();
    let (offs, _) = win.offsets(channels);
    let per = channels * win.size.0 * win.size.1;
    let mut out = vec![T::default(); n * per];
    for b in 0..n {
        let src = &data[b * offs.len()..(b + 1) * offs.len()];
        let dst = &mut out[b * per..(b + 1) * per];
        for (o, v) in offs.iter().zip(src) {
            if let Some(o) = o {
                dst[*o] += *v;
            }
        }
    }
    NdArray::from_vec(out, vec![n, channels, win.size.0, win.size.1])
}

impl NdArray {
    /// (N, C, H, W) → (N, C·kh·kw, L) columns of the (zero-)padded windows.
    pub fn im2col(&self, win: &Window2d) -> PyResult<NdArray> {
        Ok(typed!(self.dtype(), im2col_t, self, win))
    }

    /// (N, C·kh·kw, L) → (N, C, H, W): every column entry added back at its image position.
    pub fn col2im(&self, channels: usize, win: &Window2d) -> PyResult<NdArray> {
        Ok(typed!(self.dtype(), col2im_t, self, channels, win))
    }

    /// Max over each window: (values (N, C, oh, ow), flat positions in the (N·C·H·W) input).
    /// Padding never wins (PyTorch pads max pooling with -inf); NaN wins as in ATen.
    pub fn max_pool2d(&self, win: &Window2d) -> PyResult<(NdArray, Vec<i64>)> {
        let s = self.shape().to_vec();
        let (n, c) = (s[0], s[1]);
        let (oh, ow) = win.output().unwrap_or((0, 0));
        let data = self.contiguous().to_f64_vec();
        let (offs, l) = win.offsets(1);
        let k = win.kernel.0 * win.kernel.1;
        let plane = win.size.0 * win.size.1;
        let mut vals = crate::array::alloc::vec_with_capacity(n * c * l);
        let mut pos = crate::array::alloc::vec_with_capacity(n * c * l);
        for p in 0..n * c {
            let base = p * plane;
            for q in 0..l {
                let mut best: Option<(f64, usize)> = None;
                for r in 0..k {
                    if let Some(o) = offs[r * l + q] {
                        let v = data[base + o];
                        let better = match best {
                            None => true,
                            Some((b, _)) => v > b || v.is_nan() && !b.is_nan(),
                        };
                        if better {
                            best = Some((v, base + o));
                        }
                    }
                }
                let (v, at) = best.unwrap_or((f64::NEG_INFINITY, base));
                vals.push(v);
                pos.push(at as i64);
            }
        }
        let out = NdArray::from_vec(vals, vec![n, c, oh, ow]).to_dtype(self.dtype());
        Ok((out, pos))
    }
}
