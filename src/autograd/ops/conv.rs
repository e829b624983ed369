//! Convolution and pooling: `F.conv1d`/`F.conv2d` (`ConvolutionBackward0`), `F.max_pool2d`
//! (`MaxPool2DWithIndicesBackward0`), `F.avg_pool2d` (`AvgPool2DBackward0`) and
//! `F.adaptive_avg_pool2d` (`AdaptiveAvgPool2DBackward0`). Windows are gathered by `im2col`
//! (`Im2ColBackward0`) and scattered back by its adjoint `col2im` (`Col2ImBackward0`); every
//! backward formula is written with these and matmul, so derivatives of any order exist.
//! Under vmap the ops run the fallback loop.

use super::{matmul, record, reshape, sum, transpose};
use crate::array::conv::Window2d;
use crate::array::{DType, NdArray};
use crate::autograd::batching::fallback1;
use crate::autograd::grad_mode::GradModeGuard;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn any_batched(ts: &[&Tensor]) -> bool {
    ts.iter().any(|t| t.batch().is_some())
}

fn isz(s: &[usize]) -> Vec<isize> {
    s.iter().map(|&d| d as isize).collect()
}

fn list(s: &[usize]) -> String {
    format!(
        "[{}]",
        s.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `F.unfold`'s core on an (N, C, H, W) tensor: (N, C·kh·kw, L).
pub fn im2col(x: &Tensor, win: Window2d) -> PyResult<Tensor> {
    if any_batched(&[x]) {
        return fallback1(&[x], |a| im2col(&a[0], win));
    }
    let c = x.shape()[1];
    let out = x.array().im2col(&win)?;
    Ok(record("Im2ColBackward0", &[x], out, false, move |_, g| {
        Ok(vec![Some(col2im(g, c, win)?)])
    }))
}

/// `F.fold`'s core: (N, C·kh·kw, L) → (N, C, H, W), overlapping entries summed.
pub fn col2im(cols: &Tensor, channels: usize, win: Window2d) -> PyResult<Tensor> {
    if any_batched(&[cols]) {
        return fallback1(&[cols], |a| col2im(&a[0], channels, win));
    }
    let out = cols.array().col2im(channels, &win)?;
    Ok(record(
        "Col2ImBackward0",
        &[cols],
        out,
        false,
        move |_, g| Ok(vec![Some(im2col(g, win)?)]),
    ))
}

/// Stride, padding and dilation of a convolution, per spatial dim (1 or 2 of them).
#[derive(Clone, Debug)]
pub struct ConvParams {
    pub stride: Vec<usize>,
    pub padding: Vec<usize>,
    pub dilation: Vec<usize>,
    pub groups: usize,
}

/// `F.conv1d` / `F.conv2d` on batched input (3-D / 4-D; the bindings add the batch dim of
/// unbatched input). One spatial dim is run as a 2-d convolution of height 1.
pub fn convolution(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    p: &ConvParams,
) -> PyResult<Tensor> {
    let mut inputs = vec![x, weight];
    inputs.extend(bias);
    if any_batched(&inputs) {
        let p = p.clone();
        let has_bias = bias.is_some();
        return fallback1(&inputs, move |a| {
            convolution(&a[0], &a[1], if has_bias { Some(&a[2]) } else { None }, &p)
        });
    }
    let spatial = x.ndim().saturating_sub(2);
    let xs = x.shape();
    let ws = weight.shape();
    let g = p.groups.max(1);
    if ws.len() != xs.len() {
        return Err(runtime_error(format!(
            "Expected {}-dimensional input for {}-dimensional weight {}, but got {}-dimensional input of size {} instead",
            ws.len(),
            ws.len(),
            list(&ws),
            xs.len(),
            list(&xs)
        )));
    }
    if xs[1] != ws[1] * g {
        return Err(runtime_error(format!(
            "Given groups={g}, weight of size {}, expected input{} to have {} channels, but got {} channels instead",
            list(&ws),
            list(&xs),
            ws[1] * g,
            xs[1]
        )));
    }
    if !ws[0].is_multiple_of(g) {
        return Err(runtime_error(format!(
            "Given groups={g}, expected weight to be divisible by {g} at dimension 0, but got weight of size {} instead",
            list(&ws)
        )));
    }
    if let Some(b) = bias
        && (b.ndim() != 1 || b.numel() != ws[0])
    {
        return Err(runtime_error(format!(
            "Given weight of size {}, expected bias to be 1-dimensional with {} elements, but got bias of size {} instead",
            list(&ws),
            ws[0],
            list(&b.shape())
        )));
    }
    let pick = |v: &[usize], i: usize, default: usize| -> usize {
        if spatial == 1 {
            if i == 0 { default } else { v[0] }
        } else {
            v[i]
        }
    };
    let (h, w) = if spatial == 1 {
        (1, xs[2])
    } else {
        (xs[2], xs[3])
    };
    let (kh, kw) = if spatial == 1 {
        (1, ws[2])
    } else {
        (ws[2], ws[3])
    };
    let win = Window2d {
        kernel: (kh, kw),
        stride: (pick(&p.stride, 0, 1), pick(&p.stride, 1, 1)),
        padding: (pick(&p.padding, 0, 0), pick(&p.padding, 1, 0)),
        dilation: (pick(&p.dilation, 0, 1), pick(&p.dilation, 1, 1)),
        size: (h, w),
    };
    let Some((oh, ow)) = win.output() else {
        let padded: Vec<usize> = if spatial == 1 {
            vec![w + 2 * win.padding.1]
        } else {
            vec![h + 2 * win.padding.0, w + 2 * win.padding.1]
        };
        let kernel: Vec<usize> = if spatial == 1 {
            vec![(kw - 1) * win.dilation.1 + 1]
        } else {
            vec![(kh - 1) * win.dilation.0 + 1, (kw - 1) * win.dilation.1 + 1]
        };
        let shown = |v: &[usize]| {
            format!(
                "({})",
                v.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" x ")
            )
        };
        return Err(runtime_error(format!(
            "Calculated padded input size per channel: {}. Kernel size: {}. Kernel size can't be greater than actual input size",
            shown(&padded),
            shown(&kernel)
        )));
    };
    let n = xs[0];
    let mut out_shape = vec![n, ws[0]];
    if spatial == 2 {
        out_shape.push(oh);
    }
    out_shape.push(ow);
    let value = {
        let _off = GradModeGuard::new(false);
        let x4 = Tensor::new(x.array().contiguous().view(&isz(&[n, xs[1], h, w]))?);
        let w4 = Tensor::new(
            weight
                .array()
                .contiguous()
                .view(&isz(&[ws[0], ws[1], kh, kw]))?,
        );
        let out = forward(
            &x4,
            &w4,
            bias.map(|b| Tensor::new(b.array())).as_ref(),
            g,
            win,
        )?;
        out.array().contiguous().view(&isz(&out_shape))?
    };
    let (xc, wc, has_bias) = (x.clone(), weight.clone(), bias.is_some());
    let (x_shape, w_shape) = (xs.clone(), ws.clone());
    Ok(record(
        "ConvolutionBackward0",
        &inputs,
        value,
        false,
        move |_, grad| {
            let o = w_shape[0];
            let c = x_shape[1];
            let x4 = reshape(&xc, &isz(&[n, c, h, w]))?;
            let w4 = reshape(&wc, &isz(&[o, c / g, kh, kw]))?;
            let g3 = reshape(grad, &isz(&[n, o, oh * ow]))?;
            let (og, cg) = (o / g, c / g);
            let ckk = cg * kh * kw;
            let mut gx_parts = crate::array::alloc::vec_with_capacity(g);
            let mut gw_parts = crate::array::alloc::vec_with_capacity(g);
            for gi in 0..g {
                let xg = if g == 1 {
                    x4.clone()
                } else {
                    super::slice(
                        &x4,
                        1,
                        Some((gi * cg) as isize),
                        Some(((gi + 1) * cg) as isize),
                        1,
                    )?
                };
                let wg = if g == 1 {
                    w4.clone()
                } else {
                    super::slice(
                        &w4,
                        0,
                        Some((gi * og) as isize),
                        Some(((gi + 1) * og) as isize),
                        1,
                    )?
                };
                let gg = if g == 1 {
                    g3.clone()
                } else {
                    super::slice(
                        &g3,
                        1,
                        Some((gi * og) as isize),
                        Some(((gi + 1) * og) as isize),
                        1,
                    )?
                };
                let cols = im2col(&xg, win)?;
                let wf = reshape(&wg, &isz(&[og, ckk]))?;
                // dW = Σₙ g · colsᵀ ; dX = col2im(Wᵀ · g)
                let gw = sum(&matmul(&gg, &transpose(&cols, 1, 2)?)?, Some(&[0]), false)?;
                gw_parts.push(reshape(&gw, &isz(&[og, cg, kh, kw]))?);
                let gcols = matmul(&transpose(&wf, 0, 1)?, &gg)?;
                gx_parts.push(col2im(&gcols, cg, win)?);
            }
            let gx = if g == 1 {
                gx_parts.remove(0)
            } else {
                super::cat(&gx_parts, 1)?
            };
            let gw = if g == 1 {
                gw_parts.remove(0)
            } else {
                super::cat(&gw_parts, 0)?
            };
            let mut grads = vec![
                Some(reshape(&gx, &isz(&x_shape))?),
                Some(reshape(&gw, &isz(&w_shape))?),
            ];
            if has_bias {
                grads.push(Some(sum(&g3, Some(&[0, 2]), false)?));
            }
            Ok(grads)
        },
    ))
}

/// The forward value on 4-d constants: per group, `W (O, C·kh·kw) @ cols (N, C·kh·kw, L)`.
fn forward(
    x: &Tensor,
    w: &Tensor,
    bias: Option<&Tensor>,
    g: usize,
    win: Window2d,
) -> PyResult<Tensor> {
    let (n, c) = (x.shape()[0], x.shape()[1]);
    let o = w.shape()[0];
    let (og, cg) = (o / g, c / g);
    let (oh, ow) = win.output().unwrap_or((0, 0));
    let ckk = cg * win.kernel.0 * win.kernel.1;
    let mut parts = crate::array::alloc::vec_with_capacity(g);
    for gi in 0..g {
        let xg = Tensor::new(x.array().slice(
            1,
            Some((gi * cg) as isize),
            Some(((gi + 1) * cg) as isize),
            1,
        )?);
        let wg = Tensor::new(w.array().slice(
            0,
            Some((gi * og) as isize),
            Some(((gi + 1) * og) as isize),
            1,
        )?);
        let cols = Tensor::new(xg.array().im2col(&win)?);
        let wf = reshape(&wg, &isz(&[og, ckk]))?;
        parts.push(matmul(&wf, &cols)?);
    }
    let mut out = if g == 1 {
        parts.remove(0)
    } else {
        super::cat(&parts, 1)?
    };
    if let Some(b) = bias {
        out = super::add(&out, &reshape(b, &[o as isize, 1])?, 1.0)?;
    }
    reshape(&out, &isz(&[n, o, oh, ow]))
}

/// `F.max_pool2d(x, kernel_size, stride, padding, dilation)` on (N, C, H, W).
pub fn max_pool2d(x: &Tensor, win: Window2d) -> PyResult<Tensor> {
    if any_batched(&[x]) {
        return fallback1(&[x], |a| max_pool2d(&a[0], win));
    }
    let (values, pos) = x.array().max_pool2d(&win)?;
    let pos = NdArray::from_vec(pos, values.shape().to_vec());
    super::take_positions("MaxPool2DWithIndicesBackward0", x, &pos)
}

/// `F.avg_pool2d(...)`: window sums over the divisor (the window size, the count of
/// non-padding elements, or `divisor_override`).
pub fn avg_pool2d(
    x: &Tensor,
    win: Window2d,
    count_include_pad: bool,
    divisor_override: Option<usize>,
) -> PyResult<Tensor> {
    if any_batched(&[x]) {
        return fallback1(&[x], |a| {
            avg_pool2d(&a[0], win, count_include_pad, divisor_override)
        });
    }
    let s = x.shape();
    let (n, c) = (s[0], s[1]);
    let (oh, ow) = win.output().unwrap_or((0, 0));
    let kk = win.kernel.0 * win.kernel.1;
    let l = oh * ow;
    // Divisors per output position.
    let divisors: Vec<f64> = (0..l)
        .map(|q| {
            if let Some(d) = divisor_override {
                return d as f64;
            }
            if count_include_pad {
                return kk as f64;
            }
            let (y, xq) = (q / ow.max(1), q % ow.max(1));
            let mut count = 0;
            for i in 0..win.kernel.0 {
                for j in 0..win.kernel.1 {
                    let iy =
                        (y * win.stride.0 + i * win.dilation.0) as isize - win.padding.0 as isize;
                    let ix =
                        (xq * win.stride.1 + j * win.dilation.1) as isize - win.padding.1 as isize;
                    if iy >= 0
                        && ix >= 0
                        && (iy as usize) < win.size.0
                        && (ix as usize) < win.size.1
                    {
                        count += 1;
                    }
                }
            }
            count.max(1) as f64
        })
        .collect();
    let cols = x.array().im2col(&win)?.to_f64_vec();
    let mut vals = vec![0.0; n * c * l];
    for b in 0..n {
        for ch in 0..c {
            for q in 0..l {
                let mut acc = 0.0;
                for r in 0..kk {
                    acc += cols[((b * c + ch) * kk + r) * l + q];
                }
                vals[(b * c + ch) * l + q] = acc / divisors[q];
            }
        }
    }
    let value = NdArray::from_vec(vals, vec![n, c, oh, ow]).to_dtype(x.dtype());
    let div = Tensor::new(NdArray::from_vec(divisors, vec![1, 1, 1, l]).to_dtype(x.dtype()));
    Ok(record(
        "AvgPool2DBackward0",
        &[x],
        value,
        false,
        move |_, g| {
            let g4 = super::div(&reshape(g, &isz(&[n, c, 1, l]))?, &div)?;
            let spread = super::expand(&g4, &isz(&[n, c, kk, l]))?;
            let cols = reshape(&super::contiguous(&spread), &isz(&[n, c * kk, l]))?;
            Ok(vec![Some(col2im(&cols, c, win)?)])
        },
    ))
}

/// PyTorch's adaptive windows: `[floor(i·in/out), ceil((i+1)·in/out))`, as an averaging
/// matrix (out, in).
fn adaptive_matrix(input: usize, output: usize, dtype: DType) -> NdArray {
    let mut m = vec![0.0; output * input];
    for i in 0..output {
        let start = (i * input) / output;
        let end = ((i + 1) * input).div_ceil(output);
        let len = (end - start).max(1) as f64;
        for j in start..end {
            m[i * input + j] = 1.0 / len;
        }
    }
    NdArray::from_vec(m, vec![output, input]).to_dtype(dtype)
}

/// `F.adaptive_avg_pool2d(x, output_size)` on (N, C, H, W): `A_h @ x @ A_wᵀ` for the backward
/// (the averages are separable); the value sums each window in double and divides once.
pub fn adaptive_avg_pool2d(x: &Tensor, out: (usize, usize)) -> PyResult<Tensor> {
    if any_batched(&[x]) {
        return fallback1(&[x], |a| adaptive_avg_pool2d(&a[0], out));
    }
    let s = x.shape();
    let (n, c, h, w) = (s[0], s[1], s[2], s[3]);
    let (oh, ow) = out;
    let data = x.array().contiguous().to_f64_vec();
    let total = crate::array::alloc::safe_numel(&[n, c, oh, ow])?;
    let mut vals = crate::array::alloc::vec_with_capacity(total);
    for p in 0..n * c {
        for i in 0..oh {
            let (h0, h1) = ((i * h) / oh, ((i + 1) * h).div_ceil(oh));
            for j in 0..ow {
                let (w0, w1) = ((j * w) / ow, ((j + 1) * w).div_ceil(ow));
                let mut acc = 0.0;
                for y in h0..h1 {
                    for xq in w0..w1 {
                        acc += data[p * h * w + y * w + xq];
                    }
                }
                vals.push(acc / ((h1 - h0) * (w1 - w0)).max(1) as f64);
            }
        }
    }
    let value = NdArray::from_vec(vals, vec![n, c, oh, ow]).to_dtype(x.dtype());
    let ah = Tensor::new(adaptive_matrix(h, oh, x.dtype()));
    let aw = Tensor::new(adaptive_matrix(w, ow, x.dtype()));
    Ok(record(
        "AdaptiveAvgPool2DBackward0",
        &[x],
        value,
        false,
        move |_, g| {
            let gx = matmul(&matmul(&transpose(&ah, 0, 1)?, g)?, &aw)?;
            Ok(vec![Some(gx)])
        },
    ))
}
