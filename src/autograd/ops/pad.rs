//! `constant_pad_nd` (`F.pad` with `mode="constant"`): `ConstantPadNdBackward0`, whose
//! backward is the same op with the pads negated (negative pads crop).

use super::{lin1, record_jvp};
use crate::array::NdArray;
use crate::autograd::batching;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

/// Pads the last `pad.len() / 2` dims: `pad[0], pad[1]` are the last dim's (before, after),
/// `pad[2], pad[3]` the one before it, and so on. The caller checks the pad's length.
pub fn constant_pad_nd(a: &Tensor, pad: &[i64], value: f64) -> PyResult<Tensor> {
    if let Some(r) = batching::unary_rule(a, |p| constant_pad_nd(p, pad, value)) {
        return r;
    }
    let nd = a.ndim();
    if !pad.len().is_multiple_of(2) || pad.len() / 2 > nd {
        return Err(runtime_error(format!(
            "Length of pad should be no more than twice the number of dimensions of the input. Pad length is {} while the input has {} dimensions.",
            pad.len(),
            nd
        )));
    }
    let src = a.array();
    let mut shape = src.shape().to_vec();
    // Per padded dim: (dim, before, after).
    let dims: Vec<(usize, i64, i64)> = pad
        .chunks(2)
        .enumerate()
        .map(|(k, p)| (nd - 1 - k, p[0], p[1]))
        .collect();
    for &(d, lo, hi) in &dims {
        let size = shape[d] as i64 + lo + hi;
        if size < 0 {
            return Err(runtime_error("narrow(): length must be non-negative."));
        }
        shape[d] = size as usize;
    }
    let out = NdArray::full(&shape, value, src.dtype());
    // The overlap of input and output: crop the input by negative pads, offset the output by
    // positive ones.
    let mut from = src.clone();
    let mut to = out.clone();
    let mut empty = false;
    for &(d, lo, hi) in &dims {
        let size = src.shape()[d] as i64;
        let start = (-lo).max(0);
        let end = size - (-hi).max(0);
        if end <= start {
            empty = true;
            break;
        }
        from = from.slice(d as isize, Some(start as isize), Some(end as isize), 1)?;
        let at = lo.max(0);
        to = to.slice(
            d as isize,
            Some(at as isize),
            Some((at + end - start) as isize),
            1,
        )?;
    }
    if !empty {
        to.copy_from(&from)?;
    }
    let negated: Vec<i64> = pad.iter().map(|p| -p).collect();
    let pads = pad.to_vec();
    Ok(record_jvp(
        "ConstantPadNdBackward0",
        &[a],
        out,
        false,
        lin1(move |t| constant_pad_nd(t, &pads, 0.0)),
        move |_, g| Ok(vec![Some(constant_pad_nd(g, &negated, 0.0)?)]),
    ))
}
