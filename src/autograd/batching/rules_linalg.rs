//! Batching rules for matrix products: every product becomes ONE physical `matmul` (so an
//! unbatched weight against a batch of vectors is a single `mm`, and `jacrev`/`jacfwd` over a
//! basis are one batched product through nalgebra), following functorch's matmul rule.

use super::{top_level, unwrap_at, wrap};
use crate::autograd::ops;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn shape_error(name: &str, a: &Tensor, b: &Tensor, ra: usize, rb: usize) -> crate::error::PyErr {
    runtime_error(format!(
        "Shape mismatch: Got incorrect dims for {name}(a, b). a has dim {}and b has dim {}but expected them to have dim {ra} and dim {rb}",
        a.ndim(),
        b.ndim()
    ))
}

/// Inserts size-1 dims after the batch dim until the physical rank is `rank`.
fn pad_to(p: Tensor, rank: usize) -> PyResult<Tensor> {
    let mut p = p;
    while p.ndim() < rank {
        p = ops::unsqueeze(&p, 1)?;
    }
    Ok(p)
}

/// The product of logical `a` and `b` (both at least 1-D) at `level`.
fn matmul_at(a: &Tensor, b: &Tensor, level: u64) -> PyResult<Tensor> {
    let (ra, rb) = (a.ndim(), b.ndim());
    let (pa, ba) = unwrap_at(a, level);
    let (pb, bb) = unwrap_at(b, level);
    let out = match (ba, bb) {
        (true, false) => {
            if ra == 1 {
                // [B, m] @ b: rows are the batch.
                let r = ops::matmul(&pa, &pb)?;
                if rb > 2 {
                    ops::movedim(&r, &[-2], &[0])?
                } else {
                    r
                }
            } else {
                ops::matmul(&pad_to(pa, ra.max(rb) + 1)?, &pb)?
            }
        }
        (false, true) => {
            if rb == 1 && ra == 2 && super::is_legacy(level) {
                // The legacy rule: [B, m] @ aᵀ, batch-first.
                ops::matmul(&pb, &ops::t(&pa)?)?
            } else if rb == 1 {
                // a @ [m, B]: columns are the batch.
                let r = ops::matmul(&pa, &ops::t(&pb)?)?;
                if ra > 1 {
                    ops::movedim(&r, &[-1], &[0])?
                } else {
                    r
                }
            } else if ra == 1 {
                ops::matmul(&pa, &pb)?
            } else {
                ops::matmul(&pa, &pad_to(pb, ra.max(rb) + 1)?)?
            }
        }
        _ => {
            let pa = if ra == 1 { ops::unsqueeze(&pa, 1)? } else { pa };
            let pb = if rb == 1 { ops::unsqueeze(&pb, 2)? } else { pb };
            let rank = pa.ndim().max(pb.ndim());
            let mut r = ops::matmul(&pad_to(pa, rank)?, &pad_to(pb, rank)?)?;
            if rb == 1 {
                r = ops::squeeze(&r, Some(-1))?;
            }
            if ra == 1 {
                r = ops::squeeze(&r, Some(if rb == 1 { -1 } else { -2 }))?;
            }
            r
        }
    };
    Ok(wrap(out, level))
}

pub(crate) fn matmul(a: &Tensor, b: &Tensor) -> Option<PyResult<Tensor>> {
    let level = top_level(&[a, b])?;
    Some((|| {
        if a.ndim() == 0 || b.ndim() == 0 {
            return Err(runtime_error(format!(
                "both arguments to matmul need to be at least 1D, but they are {}D and {}D",
                a.ndim(),
                b.ndim()
            )));
        }
        matmul_at(a, b, level)
    })())
}

/// `mm`/`mv`/`bmm`/`dot`: check the logical ranks, then the matmul rule.
pub(crate) fn product(name: &str, a: &Tensor, b: &Tensor) -> Option<PyResult<Tensor>> {
    let level = top_level(&[a, b])?;
    Some((|| {
        let (ra, rb) = match name {
            "mm" => (2, 2),
            "mv" => (2, 1),
            "bmm" => (3, 3),
            _ => (1, 1),
        };
        if a.ndim() != ra || b.ndim() != rb {
            if name == "dot" {
                return Err(runtime_error("Got wrong shapes for dot"));
            }
            return Err(shape_error(name, a, b, ra, rb));
        }
        matmul_at(a, b, level)
    })())
}

/// `addmm(bias, m1, m2)` = `m1 @ m2 + bias`, written with the logical ops (which dispatch).
pub(crate) fn addmm(bias: &Tensor, m1: &Tensor, m2: &Tensor) -> Option<PyResult<Tensor>> {
    top_level(&[bias, m1, m2])?;
    Some(ops::mm(m1, m2).and_then(|p| ops::add(&p, bias, 1.0)))
}
