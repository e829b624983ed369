//! Matrix products. `matmul` dispatches exactly like PyTorch's `_matmul_impl`, so the grad_fn
//! printed for `a @ b` is the one PyTorch prints (`DotBackward0`, `MvBackward0`, `MmBackward0`,
//! `SqueezeBackward4` for 1-D @ 2-D, `UnsafeViewBackward0` for folded/batched products).

use super::{
    Jvp, add, lin1, mul, record, record_jvp, reshape, squeeze_inplace_dim, t, transpose, unsqueeze,
};
use crate::array::broadcast_shapes;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn isz(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&s| s as isize).collect()
}

pub fn mm(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::product("mm", a, b) {
        return r;
    }
    if a.ndim() != 2 {
        return Err(runtime_error("self must be a matrix"));
    }
    if b.ndim() != 2 {
        return Err(runtime_error("mat2 must be a matrix"));
    }
    let out = a.array().mm(&b.array())?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "MmBackward0",
        &[a, b],
        out,
        true,
        bilinear(a, b, mm),
        move |_, g| {
            Ok(vec![
                if req[0] { Some(mm(g, &t(&sb)?)?) } else { None },
                if req[1] { Some(mm(&t(&sa)?, g)?) } else { None },
            ])
        },
    ))
}

pub fn mv(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::product("mv", a, b) {
        return r;
    }
    let out = a.array().mv(&b.array())?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "MvBackward0",
        &[a, b],
        out,
        true,
        bilinear(a, b, mv),
        move |_, g| {
            Ok(vec![
                if req[0] { Some(outer(g, &sb)?) } else { None },
                if req[1] { Some(mv(&t(&sa)?, g)?) } else { None },
            ])
        },
    ))
}

pub fn dot(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::product("dot", a, b) {
        return r;
    }
    let out = a.array().dot(&b.array())?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "DotBackward0",
        &[a, b],
        out,
        true,
        bilinear(a, b, dot),
        move |_, g| {
            Ok(vec![
                if req[0] { Some(mul(g, &sb)?) } else { None },
                if req[1] { Some(mul(g, &sa)?) } else { None },
            ])
        },
    ))
}

pub fn bmm(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::product("bmm", a, b) {
        return r;
    }
    if a.ndim() != 3 {
        return Err(runtime_error("batch1 must be a 3D tensor"));
    }
    if b.ndim() != 3 {
        return Err(runtime_error("batch2 must be a 3D tensor"));
    }
    let out = a.array().bmm(&b.array())?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "BmmBackward0",
        &[a, b],
        out,
        true,
        bilinear(a, b, bmm),
        move |_, g| {
            Ok(vec![
                if req[0] {
                    Some(bmm(g, &transpose(&sb, 1, 2)?)?)
                } else {
                    None
                },
                if req[1] {
                    Some(bmm(&transpose(&sa, 1, 2)?, g)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `torch.outer(a, b)` = `a.reshape(n, 1) * b` (so `MulBackward0`).
pub fn outer(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if a.ndim() != 1 || b.ndim() != 1 {
        return Err(runtime_error(format!(
            "outer: Expected 1-D argument self, but got {}-D",
            if a.ndim() != 1 { a.ndim() } else { b.ndim() }
        )));
    }
    mul(&reshape(a, &[a.numel() as isize, 1])?, b)
}

/// `_unsafe_view` of a freshly computed product (`UnsafeViewBackward0`).
fn unsafe_view(a: &Tensor, shape: &[usize]) -> PyResult<Tensor> {
    let out = a.array().view(&isz(shape))?;
    let sizes = a.shape();
    Ok(record_jvp(
        "UnsafeViewBackward0",
        &[a],
        out,
        false,
        lin1({
            let s: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
            move |t| reshape(t, &s)
        }),
        move |_, g| Ok(vec![Some(reshape(g, &isz(&sizes))?)]),
    ))
}

pub fn matmul(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::matmul(a, b) {
        return r;
    }
    let (d1, d2) = (a.ndim(), b.ndim());
    if d1 == 0 || d2 == 0 {
        return Err(runtime_error(format!(
            "both arguments to matmul need to be at least 1D, but they are {}D and {}D",
            d1, d2
        )));
    }
    match (d1, d2) {
        (1, 1) => dot(a, b),
        (2, 1) => mv(a, b),
        (1, 2) => squeeze_inplace_dim(&mm(&unsqueeze(a, 0)?, b)?, 0),
        (2, 2) => mm(a, b),
        (_, 1) | (_, 2) if d1 >= 3 => {
            // Fold the batch dims of `a` into its rows: one mm.
            let sa = a.shape();
            let m = sa[d1 - 1];
            let folded = reshape(a, &[-1, m as isize])?;
            let b2 = if d2 == 1 { unsqueeze(b, 1)? } else { b.clone() };
            let out = mm(&folded, &b2)?;
            let mut shape: Vec<usize> = sa[..d1 - 1].to_vec();
            if d2 == 2 {
                shape.push(b.shape()[1]);
            }
            unsafe_view(&out, &shape)
        }
        _ => batched_matmul(a, b),
    }
}

/// The general case: broadcast the batch dims, flatten them, `bmm`, view back.
fn batched_matmul(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    let a2 = if a.ndim() == 1 {
        unsqueeze(a, 0)?
    } else {
        a.clone()
    };
    let b2 = if b.ndim() == 1 {
        unsqueeze(b, 1)?
    } else {
        b.clone()
    };
    let (sa, sb) = (a2.shape(), b2.shape());
    let (n, m1) = (sa[sa.len() - 2], sa[sa.len() - 1]);
    let (m2, p) = (sb[sb.len() - 2], sb[sb.len() - 1]);
    if m1 != m2 {
        return Err(runtime_error(format!(
            "Expected size for first two dimensions of batch2 tensor to be: [{}, {}] but got: [{}, {}].",
            1, m1, 1, m2
        )));
    }
    let batch = broadcast_shapes(&sa[..sa.len() - 2], &sb[..sb.len() - 2])?;
    let nb: usize = batch.iter().product();
    let mut ea: Vec<usize> = batch.clone();
    ea.extend([n, m1]);
    let mut eb: Vec<usize> = batch.clone();
    eb.extend([m2, p]);
    if a.ndim() == 3 && b.ndim() == 3 && a.shape()[0] == b.shape()[0] {
        return bmm(a, b);
    }
    let a3 = reshape(
        &super::expand(&a2, &isz(&ea))?,
        &[nb as isize, n as isize, m1 as isize],
    )?;
    let b3 = reshape(
        &super::expand(&b2, &isz(&eb))?,
        &[nb as isize, m2 as isize, p as isize],
    )?;
    let out = bmm(&a3, &b3)?;
    let mut shape = batch;
    if a.ndim() > 1 {
        shape.push(n);
    }
    if b.ndim() > 1 {
        shape.push(p);
    }
    unsafe_view(&out, &shape)
}

/// `F.linear(x, weight, bias)`: `addmm` for 2-D input with bias, else `matmul` (+ bias).
pub fn linear(x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> PyResult<Tensor> {
    let wt = t(weight)?;
    // ATen's linear: with a bias, any rank folds to 2-D for one addmm (then `_unsafe_view`),
    // so its shape error names addmm and the folded sizes.
    let (xs, ws) = (x.shape(), weight.shape());
    if let (Some(&k), 2) = (xs.last(), ws.len())
        && k != ws[1]
        && x.batch().is_none()
        && weight.batch().is_none()
    {
        let rows: usize = xs[..xs.len() - 1].iter().product();
        let op = if bias.is_some() { "addmm" } else { "mm" };
        return Err(crate::error::runtime_error(format!(
            "{op}: mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {}x{})",
            ws[1], ws[0]
        )));
    }
    match bias {
        Some(b) if x.ndim() == 2 => addmm(b, x, &wt),
        Some(b) if x.ndim() >= 1 && x.batch().is_none() && b.ndim() <= 1 => {
            let k = xs[xs.len() - 1] as isize;
            let flat = reshape(x, &[-1, k])?;
            let out = addmm(b, &flat, &wt)?;
            let mut shape = xs[..xs.len() - 1].to_vec();
            shape.push(ws.first().copied().unwrap_or(1));
            unsafe_view(&out, &shape)
        }
        Some(b) => add(&matmul(x, &wt)?, b, 1.0),
        None => matmul(x, &wt),
    }
}

/// `addmm(bias, m1, m2)` = bias + m1 @ m2: `AddmmBackward0`.
pub fn addmm(bias: &Tensor, m1: &Tensor, m2: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::addmm(bias, m1, m2) {
        return r;
    }
    let prod = m1.array().mm(&m2.array())?;
    let out = prod.binary(&bias.array(), crate::array::BinaryOp::Add)?;
    let (s1, s2) = (m1.clone(), m2.clone());
    let req = [
        bias.differentiable(),
        m1.differentiable(),
        m2.differentiable(),
    ];
    Ok(record(
        "AddmmBackward0",
        &[bias, m1, m2],
        out,
        true,
        move |_, g| {
            Ok(vec![
                req[0].then(|| g.clone()),
                if req[1] { Some(mm(g, &t(&s2)?)?) } else { None },
                if req[2] { Some(mm(&t(&s1)?, g)?) } else { None },
            ])
        },
    ))
}

/// The forward-mode rule of a bilinear product `f(a, b)`: `f(ȧ, b) + f(a, ḃ)`.
fn bilinear(a: &Tensor, b: &Tensor, f: fn(&Tensor, &Tensor) -> PyResult<Tensor>) -> Jvp {
    let (a, b) = (a.clone(), b.clone());
    Jvp::Linear(Box::new(move |ts| {
        let left = ts[0].as_ref().map(|ta| f(ta, &b)).transpose()?;
        let right = ts[1].as_ref().map(|tb| f(&a, tb)).transpose()?;
        match (left, right) {
            (Some(l), Some(r)) => add(&l, &r, 1.0),
            (Some(t), None) | (None, Some(t)) => Ok(t),
            (None, None) => Err(crate::error::runtime_error(
                "internal error: bilinear JVP without a tangent",
            )),
        }
    }))
}
