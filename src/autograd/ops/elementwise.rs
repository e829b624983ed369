//! Elementwise arithmetic and math functions (broadcasting; the engine reduces each input's
//! gradient back to its shape, like PyTorch's `validate_outputs`).

use super::{
    Jvp, data_as, full_like_scalar, record, record_jvp, result_type, saved_output, scalar_tensor,
};
use crate::array::{BinaryOp, NdArray, Scalar, UnaryOp};
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

fn forward_binary(a: &Tensor, b: &Tensor, op: BinaryOp) -> PyResult<NdArray> {
    let dtype = result_type(a, b);
    data_as(a, dtype).binary(&data_as(b, dtype), op)
}

fn maybe_mul(grad: &Tensor, alpha: f64) -> PyResult<Tensor> {
    if alpha == 1.0 {
        Ok(grad.clone())
    } else {
        mul(grad, &full_like_scalar(alpha, grad))
    }
}

pub fn add(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, |a, b| add(a, b, alpha)) {
        return r;
    }
    let out = if alpha == 1.0 {
        forward_binary(a, b, BinaryOp::Add)?
    } else if result_type(a, b).is_floating() {
        // ATen's add kernel: one fused multiply-add (see `array/fused.rs`).
        let dt = result_type(a, b);
        data_as(a, dt).add_scaled(&data_as(b, dt), alpha)?
    } else {
        let scaled = data_as(b, result_type(a, b))
            .binary(&NdArray::scalar(alpha, result_type(a, b)), BinaryOp::Mul)?;
        data_as(a, result_type(a, b)).binary(&scaled, BinaryOp::Add)?
    };
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "AddBackward0",
        &[a, b],
        out,
        false,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                req[0].then(|| g.clone()),
                if req[1] {
                    Some(maybe_mul(g, alpha)?)
                } else {
                    None
                },
            ])
        },
    ))
}

pub fn sub(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, |a, b| sub(a, b, alpha)) {
        return r;
    }
    if a.dtype() == crate::array::DType::Bool && b.dtype() == crate::array::DType::Bool {
        return Err(runtime_error(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
        ));
    }
    let out = if alpha == 1.0 {
        forward_binary(a, b, BinaryOp::Sub)?
    } else if result_type(a, b).is_floating() {
        // sub is add with -alpha in ATen: one fused multiply-add.
        let dt = result_type(a, b);
        data_as(a, dt).add_scaled(&data_as(b, dt), -alpha)?
    } else {
        let dt = result_type(a, b);
        let scaled = data_as(b, dt).binary(&NdArray::scalar(alpha, dt), BinaryOp::Mul)?;
        data_as(a, dt).binary(&scaled, BinaryOp::Sub)?
    };
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "SubBackward0",
        &[a, b],
        out,
        false,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                req[0].then(|| g.clone()),
                if req[1] {
                    Some(maybe_mul(&neg(g), alpha)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `scalar - a` (Python `1 - a`): `RsubBackward1`.
pub fn rsub_scalar(a: &Tensor, scalar: Scalar) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| rsub_scalar(p, scalar)) {
        return r;
    }
    let s = scalar_tensor(scalar, a);
    let out = forward_binary(&s, a, BinaryOp::Sub)?;
    Ok(record_jvp(
        "RsubBackward1",
        &[a],
        out,
        false,
        Jvp::Diagonal,
        |_, g| Ok(vec![Some(neg(g))]),
    ))
}

pub fn mul(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, mul) {
        return r;
    }
    let out = forward_binary(a, b, BinaryOp::Mul)?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    let out = record_jvp(
        "MulBackward0",
        &[a, b],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                if req[0] { Some(mul(g, &sb)?) } else { None },
                if req[1] { Some(mul(g, &sa)?) } else { None },
            ])
        },
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![
            ("other", crate::autograd::saved::tensor_if(req[0], b)),
            ("self", crate::autograd::saved::tensor_if(req[1], a)),
        ]
    }))
}

pub fn div(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, div) {
        return r;
    }
    let out = forward_binary(a, b, BinaryOp::Div)?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    let out = record_jvp(
        "DivBackward0",
        &[a, b],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                if req[0] { Some(div(g, &sb)?) } else { None },
                if req[1] {
                    Some(mul(&neg(g), &div(&div(&sa, &sb)?, &sb)?)?)
                } else {
                    None
                },
            ])
        },
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![
            (
                "other",
                crate::autograd::saved::tensor_if(req[0] || req[1], b),
            ),
            ("self", crate::autograd::saved::tensor_if(req[1], a)),
        ]
    }))
}

/// `scalar / a`: `reciprocal(a) * scalar`, as PyTorch's `__rdiv__` (so `MulBackward0`).
pub fn rdiv_scalar(a: &Tensor, scalar: Scalar) -> PyResult<Tensor> {
    let r = unary(a, UnaryOp::Reciprocal)?;
    mul(&r, &scalar_tensor(scalar, &r))
}

pub fn floor_divide(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, floor_divide) {
        return r;
    }
    let out = forward_binary(a, b, BinaryOp::FloorDiv)?;
    Ok(record_jvp(
        "FloorDivideBackward0",
        &[a, b],
        out,
        false,
        Jvp::Diagonal,
        |_, g| Ok(vec![Some(zeros_like(g)), Some(zeros_like(g))]),
    ))
}

pub fn remainder(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, remainder) {
        return r;
    }
    let out = forward_binary(a, b, BinaryOp::Remainder)?;
    let (sa, sb) = (a.clone(), b.clone());
    Ok(record_jvp(
        "RemainderBackward0",
        &[a, b],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            // d/db (a - b*floor(a/b)) = -floor(a/b)
            let q = Tensor::new(forward_binary(&sa, &sb, BinaryOp::FloorDiv)?);
            Ok(vec![Some(g.clone()), Some(mul(&neg(g), &q)?)])
        },
    ))
}

/// `a ** exponent` with a Python number: `PowBackward0`,
/// grad formula `grad * (exponent * a.pow(exponent - 1))`.
pub fn pow_scalar(a: &Tensor, exponent: Scalar) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| pow_scalar(p, exponent)) {
        return r;
    }
    if let Scalar::Int(e) = exponent
        && e < 0
        && !a.dtype().is_floating()
    {
        return Err(runtime_error(
            "Integers to negative integer powers are not allowed.",
        ));
    }
    let e = scalar_tensor(exponent, a);
    let out = forward_binary(a, &e, BinaryOp::Pow)?;
    let sa = a.clone();
    let out = record_jvp(
        "PowBackward0",
        &[a],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let ev = exponent.to_f64();
            if ev == 0.0 {
                return Ok(vec![Some(zeros_like(g))]);
            }
            let minus_one = match exponent {
                Scalar::Float(f) => Scalar::Float(f - 1.0),
                other => Scalar::Int(other.to_f64() as i64 - 1),
            };
            let p = pow_scalar(&sa, minus_one)?;
            let inner = mul(&scalar_tensor(exponent, &p), &p)?;
            Ok(vec![Some(mul(g, &inner)?)])
        },
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![
            ("exponent", crate::autograd::saved::scalar(exponent)),
            ("self", crate::autograd::saved::tensor(a)),
        ]
    }))
}

/// `a ** b` with tensors: `PowBackward1`.
pub fn pow(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, pow) {
        return r;
    }
    let out = forward_binary(a, b, BinaryOp::Pow)?;
    let (sa, sb) = (a.clone(), b.clone());
    let req = [a.differentiable(), b.differentiable()];
    let saved = out.clone();
    let out = record_jvp(
        "PowBackward1",
        &[a, b],
        out,
        true,
        Jvp::Diagonal,
        move |node, g| {
            let zero = full_like_scalar(0.0, g);
            let ga = if req[0] {
                let p = pow(&sa, &sub(&sb, &full_like_scalar(1.0, &sb), 1.0)?)?;
                let v = mul(g, &mul(&sb, &p)?)?;
                let cond = compare_const(&sb, 0.0, BinaryOp::Eq)?;
                Some(where_(&cond, &zero, &v)?)
            } else {
                None
            };
            let gb = if req[1] {
                let result = saved_output(node, &saved, 0, || pow(&sa, &sb))?;
                let c1 = compare_const(&sa, 0.0, BinaryOp::Eq)?;
                let c2 = compare_const(&sb, 0.0, BinaryOp::Ge)?;
                let cond = Tensor::new(c1.array().binary(&c2.array(), BinaryOp::LogicalAnd)?);
                let v = mul(&result, &unary(&sa, UnaryOp::Log)?)?;
                Some(mul(g, &where_(&cond, &zero, &v)?)?)
            } else {
                None
            };
            Ok(vec![ga, gb])
        },
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![
            ("exponent", crate::autograd::saved::tensor(b)),
            (
                "result",
                if req[1] {
                    crate::autograd::saved::SavedValue::Output(0)
                } else {
                    crate::autograd::saved::SavedValue::Undefined
                },
            ),
            ("self", crate::autograd::saved::tensor(a)),
        ]
    }))
}

/// `base ** a` with a Python number base: `PowBackward2`.
pub fn scalar_pow(base: Scalar, a: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| scalar_pow(base, p)) {
        return r;
    }
    let b = scalar_tensor(base, a);
    // C order whatever `a`'s layout: PyTorch's pow(Scalar, Tensor) does not keep it.
    let out = forward_binary(&b, a, BinaryOp::Pow)?.contiguous();
    let saved = out.clone();
    let sa = a.clone();
    let out = record_jvp(
        "PowBackward2",
        &[a],
        out,
        true,
        Jvp::Diagonal,
        move |node, g| {
            let result = saved_output(node, &saved, 0, || scalar_pow(base, &sa))?;
            let lb = base.to_f64().ln();
            let v = mul(&result, &full_like_scalar(lb, &result))?;
            let v = if base.to_f64() == 0.0 {
                let cond = compare_const(&sa, 0.0, BinaryOp::Ge)?;
                where_(&cond, &full_like_scalar(0.0, g), &v)?
            } else {
                v
            };
            Ok(vec![Some(mul(g, &v)?)])
        },
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![
            ("result", crate::autograd::saved::SavedValue::Output(0)),
            ("self", crate::autograd::saved::scalar(base)),
        ]
    }))
}

fn compare_const(a: &Tensor, v: f64, op: BinaryOp) -> PyResult<Tensor> {
    Ok(Tensor::new(
        a.array().binary(&NdArray::scalar(v, a.dtype()), op)?,
    ))
}

fn select_grad(
    a: &Tensor,
    b: &Tensor,
    take_a: BinaryOp,
    name: &'static str,
    op: BinaryOp,
) -> PyResult<Tensor> {
    let out = forward_binary(a, b, op)?;
    let (sa, sb) = (a.clone(), b.clone());
    Ok(record(name, &[a, b], out, true, move |_, g| {
        // Ties split the gradient evenly, as PyTorch's maximum/minimum backward.
        let half = div(g, &full_like_scalar(2.0, g))?;
        let zero = full_like_scalar(0.0, g);
        let wins_a = Tensor::new(sa.array().binary(&sb.array(), take_a)?);
        let ties = Tensor::new(sa.array().binary(&sb.array(), BinaryOp::Eq)?);
        let ga = where_(&ties, &half, &where_(&wins_a, g, &zero)?)?;
        let gb = where_(&ties, &half, &where_(&wins_a, &zero, g)?)?;
        Ok(vec![Some(ga), Some(gb)])
    }))
}

pub fn maximum(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, maximum) {
        return r;
    }
    select_grad(a, b, BinaryOp::Gt, "MaximumBackward0", BinaryOp::Maximum)
}

pub fn minimum(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, minimum) {
        return r;
    }
    select_grad(a, b, BinaryOp::Lt, "MinimumBackward0", BinaryOp::Minimum)
}

pub fn atan2(a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::binary_rule(a, b, atan2) {
        return r;
    }
    let out = forward_binary(a, b, BinaryOp::Atan2)?;
    let (sa, sb) = (a.clone(), b.clone());
    Ok(record_jvp(
        "Atan2Backward0",
        &[a, b],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let denom = add(&mul(&sa, &sa)?, &mul(&sb, &sb)?, 1.0)?;
            let r = div(g, &denom)?;
            Ok(vec![Some(mul(&r, &sb)?), Some(mul(&neg(&r), &sa)?)])
        },
    ))
}

pub fn logical_not(a: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(a, logical_not) {
        return r;
    }
    Tensor::new(a.array().unary(UnaryOp::LogicalNot))
}

/// A tensor of zeros with `t`'s shape and dtype (no grad).
pub fn zeros_like(t: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(t, zeros_like) {
        return r;
    }
    Tensor::new(NdArray::zeros(&t.shape(), t.dtype()))
}

pub fn neg(a: &Tensor) -> Tensor {
    if let Some(r) = crate::autograd::batching::unary_rule_infallible(a, neg) {
        return r;
    }
    let out = a.array().unary(UnaryOp::Neg);
    record_jvp("NegBackward0", &[a], out, false, Jvp::Diagonal, |_, g| {
        Ok(vec![Some(neg(g))])
    })
}

pub fn square(a: &Tensor) -> PyResult<Tensor> {
    pow_scalar(a, Scalar::Int(2))
}

/// Unary math functions with PyTorch's node names and derivative formulas.
pub fn unary(a: &Tensor, op: UnaryOp) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| unary(p, op)) {
        return r;
    }
    use UnaryOp::*;
    let out = a.array().unary(op);
    let x = a.clone();
    let y = out.clone();
    let c = |v: f64, like: &Tensor| full_like_scalar(v, like);
    let t = match op {
        Neg => return Ok(neg(a)),
        IsNan | IsInf | IsFinite | LogicalNot => return Ok(Tensor::new(out)),
        Abs => record_jvp(
            "AbsBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(mul(g, &Tensor::new(x.array().unary(Sign)))?)]),
        ),
        Sign | Floor | Ceil | Round | Trunc => {
            let name = match op {
                Sign => "SignBackward0",
                Floor => "FloorBackward0",
                Ceil => "CeilBackward0",
                Round => "RoundBackward0",
                _ => "TruncBackward0",
            };
            record(name, &[a], out, false, |_, g| Ok(vec![Some(zeros_like(g))]))
        }
        Exp => record_jvp(
            "ExpBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                Ok(vec![Some(mul(
                    g,
                    &saved_output(n, &y, 0, || unary(&x, op))?,
                )?)])
            },
        ),
        Expm1 => record_jvp(
            "Expm1Backward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                let r = saved_output(n, &y, 0, || unary(&x, op))?;
                Ok(vec![Some(mul(g, &add(&r, &c(1.0, &r), 1.0)?)?)])
            },
        ),
        Log => record_jvp(
            "LogBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(div(g, &x)?)]),
        ),
        Log2 => record_jvp(
            "Log2Backward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| {
                Ok(vec![Some(div(
                    g,
                    &mul(&x, &c(std::f64::consts::LN_2, &x))?,
                )?)])
            },
        ),
        Log10 => record_jvp(
            "Log10Backward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| {
                Ok(vec![Some(div(
                    g,
                    &mul(&x, &c(std::f64::consts::LN_10, &x))?,
                )?)])
            },
        ),
        Log1p => record_jvp(
            "Log1PBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(div(g, &add(&x, &c(1.0, &x), 1.0)?)?)]),
        ),
        Sqrt => record_jvp(
            "SqrtBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                let r = saved_output(n, &y, 0, || unary(&x, op))?;
                Ok(vec![Some(div(g, &mul(&c(2.0, &r), &r)?)?)])
            },
        ),
        Rsqrt => record_jvp(
            "RsqrtBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                let r = saved_output(n, &y, 0, || unary(&x, op))?;
                let r3 = pow_scalar(&r, Scalar::Int(3))?;
                Ok(vec![Some(mul(&mul(&c(-0.5, g), g)?, &r3)?)])
            },
        ),
        Sin => record_jvp(
            "SinBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(mul(g, &unary(&x, Cos)?)?)]),
        ),
        Cos => record_jvp(
            "CosBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(mul(g, &neg(&unary(&x, Sin)?))?)]),
        ),
        Tan => record_jvp(
            "TanBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                let r = saved_output(n, &y, 0, || unary(&x, op))?;
                let sq = pow_scalar(&r, Scalar::Int(2))?;
                Ok(vec![Some(mul(g, &add(&sq, &c(1.0, &sq), 1.0)?)?)])
            },
        ),
        Asin => record_jvp(
            "AsinBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| {
                let one_minus = rsub_scalar(&mul(&x, &x)?, Scalar::Int(1))?;
                Ok(vec![Some(mul(g, &unary(&one_minus, Rsqrt)?)?)])
            },
        ),
        Acos => record_jvp(
            "AcosBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| {
                let one_minus = rsub_scalar(&mul(&x, &x)?, Scalar::Int(1))?;
                Ok(vec![Some(mul(&neg(g), &unary(&one_minus, Rsqrt)?)?)])
            },
        ),
        Atan => record_jvp(
            "AtanBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| {
                let sq = mul(&x, &x)?;
                Ok(vec![Some(div(g, &add(&sq, &c(1.0, &sq), 1.0)?)?)])
            },
        ),
        Sinh => record_jvp(
            "SinhBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(mul(g, &unary(&x, Cosh)?)?)]),
        ),
        Cosh => record_jvp(
            "CoshBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| Ok(vec![Some(mul(g, &unary(&x, Sinh)?)?)]),
        ),
        Tanh => record_jvp(
            "TanhBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                Ok(vec![Some(super::tanh_backward(
                    g,
                    &saved_output(n, &y, 0, || unary(&x, op))?,
                )?)])
            },
        ),
        Sigmoid => record_jvp(
            "SigmoidBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                Ok(vec![Some(super::sigmoid_backward(
                    g,
                    &saved_output(n, &y, 0, || unary(&x, op))?,
                )?)])
            },
        ),
        Relu => record_jvp(
            "ReluBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                Ok(vec![Some(super::threshold_backward(
                    g,
                    &saved_output(n, &y, 0, || unary(&x, op))?,
                    0.0,
                )?)])
            },
        ),
        Reciprocal => record_jvp(
            "ReciprocalBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |n, g| {
                let r = saved_output(n, &y, 0, || unary(&x, op))?;
                Ok(vec![Some(mul(&neg(g), &mul(&r, &r)?)?)])
            },
        ),
        Erf => record_jvp(
            "ErfBackward0",
            &[a],
            out,
            true,
            Jvp::Diagonal,
            move |_, g| {
                let k = 2.0 / std::f64::consts::PI.sqrt();
                let e = unary(&neg(&mul(&x, &x)?), Exp)?;
                Ok(vec![Some(mul(&mul(&c(k, &e), &e)?, g)?)])
            },
        ),
    };
    Ok(crate::autograd::saved::with(t, || unary_saved(op, a)))
}

/// What the node of a unary op saved, under `derivatives.yaml`'s names.
fn unary_saved(op: UnaryOp, a: &Tensor) -> Vec<(&'static str, crate::autograd::saved::SavedValue)> {
    use UnaryOp::*;
    match op {
        Exp | Tanh | Sigmoid | Relu | Rsqrt | Reciprocal => {
            vec![("result", crate::autograd::saved::SavedValue::Output(0))]
        }
        Sin | Cos | Log | Abs | Erf => vec![("self", crate::autograd::saved::tensor(a))],
        _ => Vec::new(),
    }
}

pub fn clamp(a: &Tensor, min: Option<f64>, max: Option<f64>) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::unary_rule(a, |p| clamp(p, min, max)) {
        return r;
    }
    if min.is_none() && max.is_none() {
        return Err(runtime_error(
            "torch.clamp: At least one of 'min' or 'max' must not be None",
        ));
    }
    let out = a.array().clamp(min, max);
    let x = a.clone();
    let out = record_jvp(
        "ClampBackward1",
        &[a],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let mut keep = NdArray::full(&x.shape(), 1.0, crate::array::DType::Bool);
            if let Some(lo) = min {
                keep = keep.binary(
                    &x.array()
                        .binary(&NdArray::scalar(lo, x.dtype()), BinaryOp::Ge)?,
                    BinaryOp::LogicalAnd,
                )?;
            }
            if let Some(hi) = max {
                keep = keep.binary(
                    &x.array()
                        .binary(&NdArray::scalar(hi, x.dtype()), BinaryOp::Le)?,
                    BinaryOp::LogicalAnd,
                )?;
            }
            Ok(vec![Some(where_(
                &Tensor::new(keep),
                g,
                &full_like_scalar(0.0, g),
            )?)])
        },
    );
    Ok(crate::autograd::saved::with(out, || {
        vec![
            ("max", crate::autograd::saved::SavedValue::OptFloat(max)),
            ("min", crate::autograd::saved::SavedValue::OptFloat(min)),
            ("self", crate::autograd::saved::tensor(a)),
        ]
    }))
}

pub fn nan_to_num(
    a: &Tensor,
    nan: f64,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::unary_rule(a, |p| nan_to_num(p, nan, posinf, neginf))
    {
        return r;
    }
    let out = a.array().nan_to_num(nan, posinf, neginf);
    let x = a.clone();
    Ok(record_jvp(
        "NanToNumBackward0",
        &[a],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let finite = Tensor::new(x.array().unary(UnaryOp::IsFinite));
            Ok(vec![Some(mul(g, &finite)?)])
        },
    ))
}

/// `torch.where(cond, a, b)`: `WhereBackward0`.
pub fn where_(cond: &Tensor, a: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = crate::autograd::batching::where_rule(cond, a, b) {
        return r;
    }
    let dtype = result_type(a, b);
    let c = cond.array();
    if c.dtype() != crate::array::DType::Bool {
        return Err(runtime_error(format!(
            "where expected condition to be a boolean tensor, but got a tensor with dtype {}",
            c.dtype().title()
        )));
    }
    let out = NdArray::where_(&c, &data_as(a, dtype), &data_as(b, dtype))?;
    let sc = cond.clone();
    let req = [a.differentiable(), b.differentiable()];
    Ok(record_jvp(
        "WhereBackward0",
        &[cond, a, b],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let zero = full_like_scalar(0.0, g);
            Ok(vec![
                None,
                if req[0] {
                    Some(where_(&sc, g, &zero)?)
                } else {
                    None
                },
                if req[1] {
                    Some(where_(&sc, &zero, g)?)
                } else {
                    None
                },
            ])
        },
    ))
}
