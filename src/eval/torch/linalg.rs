//! Products and whole-tensor comparisons: `matmul`, `mm`, `mv`, `dot`, `bmm`, `outer`,
//! `allclose`, `isclose`, `equal`.

use super::args::Bound;
use super::table::{Row, both};
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, runtime_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn pair(b: &Bound, other: &str) -> PyResult<(Tensor, Tensor)> {
    Ok((b.tensor("input")?, b.tensor(other)?))
}

fn product(b: &Bound, other: &str, f: fn(&Tensor, &Tensor) -> PyResult<Tensor>) -> PyResult<Value> {
    let (a, o) = pair(b, other)?;
    Ok(Value::Tensor(f(&a, &o)?))
}

/// PyTorch's shape errors for the batched case of `matmul` (operands broadcast to one batch,
/// then `bmm`, whose message counts the broadcast batch), checked before the op runs.
pub fn check_matmul(a: &Tensor, b: &Tensor) -> PyResult<()> {
    let (d1, d2) = (a.ndim(), b.ndim());
    let folds = d1 >= 3 && d2 <= 2;
    if d1 == 0 || d2 == 0 || (d1 <= 2 && d2 <= 2) || folds {
        return Ok(());
    }
    let (sa, sb) = (a.shape(), b.shape());
    let m1 = sa[d1 - 1];
    let m2 = if d2 == 1 { sb[0] } else { sb[d2 - 2] };
    let batch_a = if d1 >= 2 { &sa[..d1 - 2] } else { &[][..] };
    let batch_b = &sb[..d2 - 2];
    let batch = crate::array::broadcast_shapes(batch_a, batch_b)?;
    let nb: usize = batch.iter().product();
    if m1 != m2 {
        return Err(runtime_error(format!(
            "Expected size for first two dimensions of batch2 tensor to be: [{nb}, {m1}] but got: [{nb}, {m2}]."
        )));
    }
    Ok(())
}

fn matmul(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = pair(b, "other")?;
    check_matmul(&a, &o)?;
    Ok(Value::Tensor(ops::matmul(&a, &o)?))
}
fn mm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = pair(b, "mat2")?;
    for (name, t) in [("self", &a), ("mat2", &o)] {
        if t.ndim() != 2 && !t.is_batched() {
            return Err(runtime_error(format!(
                "mm: {name} must be a matrix, got {}-D tensor",
                t.ndim()
            )));
        }
    }
    Ok(Value::Tensor(ops::mm(&a, &o)?))
}
fn mv(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(b, "vec", ops::mv)
}
/// `addmm(input, mat1, mat2, beta=1, alpha=1)`: `beta * input + alpha * mat1 @ mat2`.
fn addmm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (bias, m1, m2) = (b.tensor("input")?, b.tensor("mat1")?, b.tensor("mat2")?);
    for (name, t) in [("mat1", &m1), ("mat2", &m2)] {
        if t.ndim() != 2 && !t.is_batched() {
            return Err(runtime_error(format!(
                "{name} must be a matrix, got {}-D tensor",
                t.ndim()
            )));
        }
    }
    let (beta, alpha) = (b.scalar("beta")?.to_f64(), b.scalar("alpha")?.to_f64());
    if beta == 1.0 && alpha == 1.0 {
        return Ok(Value::Tensor(ops::addmm(&bias, &m1, &m2)?));
    }
    let prod = ops::mm(&m1, &m2)?;
    let scaled = |t: &crate::autograd::Tensor, s: f64| -> PyResult<crate::autograd::Tensor> {
        let k = ops::full_like_scalar(s, t);
        ops::mul(t, &k)
    };
    let out = ops::add(&scaled(&bias, beta)?, &scaled(&prod, alpha)?, 1.0)?;
    Ok(Value::Tensor(out))
}
fn dot(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(b, "other", ops::dot)
}
fn bmm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(b, "mat2", ops::bmm)
}
fn outer(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(b, "vec2", ops::outer)
}
/// `inner` of vectors is `dot`; higher ranks contract the last dims (via matmul with a transpose).
fn inner(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = pair(b, "other")?;
    if a.ndim() == 0 || o.ndim() == 0 {
        return Ok(Value::Tensor(ops::mul(&a, &o)?));
    }
    if a.ndim() == 1 && o.ndim() == 1 {
        return Ok(Value::Tensor(ops::dot(&a, &o)?));
    }
    if o.ndim() > 2 {
        return Err(runtime_error(
            "inner: tensors with more than 2 dims on the right are not supported",
        ));
    }
    let ot = if o.ndim() == 2 { ops::t(&o)? } else { o };
    Ok(Value::Tensor(ops::matmul(&a, &ot)?))
}

fn tolerances(b: &Bound) -> PyResult<(f64, f64, bool)> {
    Ok((b.float("rtol")?, b.float("atol")?, b.bool("equal_nan")?))
}
fn allclose(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = pair(b, "other")?;
    let (rtol, atol, nan) = tolerances(b)?;
    Ok(Value::Bool(ops::allclose(&a, &o, rtol, atol, nan)?))
}
fn isclose(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = pair(b, "other")?;
    let (rtol, atol, nan) = tolerances(b)?;
    Ok(Value::Tensor(ops::isclose(&a, &o, rtol, atol, nan)?))
}
fn equal(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (a, o) = pair(b, "other")?;
    Ok(Value::Bool(ops::equal(&a, &o)))
}

/// `torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False)`.
fn vector_norm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("x")?;
    let x = match b.dtype("dtype")? {
        Some(d) if d != x.dtype() => ops::to_dtype(&x, d)?,
        _ => x,
    };
    let dims: Option<Vec<isize>> = b.dims("dim")?.filter(|d| !d.is_empty());
    Ok(Value::Tensor(ops::norm(
        &x,
        b.float("ord")?,
        dims.as_deref(),
        b.bool("keepdim")?,
    )?))
}

/// `torch.linalg.norm`: the vector 2-norm, or Frobenius for matrices (the same number).
fn linalg_norm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("A")?;
    let ord = match b.value("ord")? {
        Value::None => 2.0,
        Value::Str(s) if &*s == "fro" => 2.0,
        v => match super::args::as_f64(&v) {
            Some(p) if x.ndim() < 2 || b.dims("dim")?.is_some_and(|d| d.len() == 1) => p,
            _ => {
                return Err(runtime_error(
                    "linalg.norm: only vector norms and 'fro' are supported",
                ));
            }
        },
    };
    let dims: Option<Vec<isize>> = b.dims("dim")?.filter(|d| !d.is_empty());
    Ok(Value::Tensor(ops::norm(
        &x,
        ord,
        dims.as_deref(),
        b.bool("keepdim")?,
    )?))
}

/// The `torch.linalg` module's table.
pub const LINALG_ROWS: &[Row] = &[
    super::table::torch(
        "vector_norm(Tensor x, float ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)",
        "The vector ord-norm over dims.",
        vector_norm,
    ),
    super::table::torch(
        "norm(Tensor A, Any? ord=None, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)",
        "Vector or Frobenius norm.",
        linalg_norm,
    ),
    super::table::torch(
        "matmul(Tensor input, Tensor other)",
        "Matrix product.",
        matmul,
    ),
    super::table::torch(
        "vecdot(Tensor x, Tensor y, *, int dim=-1)",
        "Dot product along dim.",
        vecdot,
    ),
];

fn vecdot(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let prod = ops::mul(&b.tensor("x")?, &b.tensor("y")?)?;
    let dim = [b.int("dim")? as isize];
    Ok(Value::Tensor(ops::sum(&prod, Some(&dim), false)?))
}

/// The product and comparison part of the torch table.
pub const ROWS: &[Row] = &[
    both(
        "matmul(Tensor input, Tensor other)",
        "Matrix product with broadcasting (the @ operator).",
        matmul,
    ),
    both("mm(Tensor input, Tensor mat2)", "Matrix × matrix.", mm),
    both("mv(Tensor input, Tensor vec)", "Matrix × vector.", mv),
    both(
        "addmm(Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
        "beta * input + alpha * (mat1 @ mat2).",
        addmm,
    ),
    both(
        "dot(Tensor input, Tensor other)",
        "Dot product of two vectors.",
        dot,
    ),
    both(
        "inner(Tensor input, Tensor other)",
        "Inner product over the last dims.",
        inner,
    ),
    both(
        "bmm(Tensor input, Tensor mat2)",
        "Batched matrix product.",
        bmm,
    ),
    both(
        "outer(Tensor input, Tensor vec2)",
        "Outer product of two vectors.",
        outer,
    ),
    both("ger(Tensor input, Tensor vec2)", "Alias of outer.", outer),
    both(
        "allclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False)",
        "True if all |input - other| <= atol + rtol * |other|.",
        allclose,
    ),
    both(
        "isclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False)",
        "Elementwise closeness.",
        isclose,
    ),
    both(
        "equal(Tensor input, Tensor other)",
        "True if same shape and values.",
        equal,
    ),
];
