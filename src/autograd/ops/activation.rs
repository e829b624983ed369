//! The `torch.nn.functional` activations with their own nodes (`SoftplusBackward0`,
//! `GeluBackward0`, ...). Their backward ops (`softplus_backward`, ...) are nodes too
//! (`SoftplusBackwardBackward0`, ...), as in PyTorch, so second-order grad_fn names match;
//! the derivative of a backward op with respect to the input, `grad · grad_output · f''(x)`,
//! is written with differentiable ops, so every higher order works.

use super::{Jvp, add, full_like_scalar, mul, neg, record_jvp, rsub_scalar, unary, where_};
use crate::array::{Activation, BinaryOp, NdArray, Scalar, UnaryOp};
use crate::autograd::batching;
use crate::autograd::tensor::Tensor;
use crate::error::PyResult;

fn names(act: Activation) -> (&'static str, &'static str) {
    match act {
        Activation::Softplus { .. } => ("SoftplusBackward0", "SoftplusBackwardBackward0"),
        Activation::Elu { .. } => ("EluBackward0", "EluBackwardBackward0"),
        Activation::LeakyRelu { .. } => ("LeakyReluBackward0", "LeakyReluBackwardBackward0"),
        Activation::Gelu { .. } => ("GeluBackward0", "GeluBackwardBackward0"),
        Activation::Silu => ("SiluBackward0", "SiluBackwardBackward0"),
    }
}

/// `F.softplus`, `F.elu`, `F.leaky_relu`, `F.gelu`, `F.silu`.
pub fn activation(x: &Tensor, act: Activation) -> PyResult<Tensor> {
    if let Some(r) = batching::unary_rule(x, |p| activation(p, act)) {
        return r;
    }
    let out = x.array().activation(act)?;
    let x0 = x.clone();
    Ok(record_jvp(
        names(act).0,
        &[x],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            if act == Activation::Silu {
                // derivatives.yaml: `infinitely_differentiable_silu_backward` under grad mode:
                // grad * s * (1 + x * (1 - s)), composite.
                let s = unary(&x0, UnaryOp::Sigmoid)?;
                let one = |t: &Tensor| full_like_scalar(1.0, t);
                let inner = add(&one(&s), &mul(&x0, &rsub_scalar(&s, Scalar::Int(1))?)?, 1.0)?;
                return Ok(vec![Some(mul(&mul(g, &s)?, &inner)?)]);
            }
            Ok(vec![Some(activation_backward(g, &x0, act)?)])
        },
    ))
}

/// `softplus_backward(grad, x, ...)`, `gelu_backward`, ...: `grad * f'(x)`.
pub fn activation_backward(grad: &Tensor, x: &Tensor, act: Activation) -> PyResult<Tensor> {
    if let Some(r) =
        batching::pointwise_rule(&[grad, x], |p| activation_backward(&p[0], &p[1], act))
    {
        return r;
    }
    let out = x.array().activation_backward(&grad.array(), act)?;
    let (g0, x0) = (grad.clone(), x.clone());
    let req = [grad.differentiable(), x.differentiable()];
    Ok(record_jvp(
        names(act).1,
        &[grad, x],
        out,
        true,
        Jvp::Diagonal,
        move |_, gg| {
            Ok(vec![
                if req[0] {
                    Some(activation_backward(gg, &x0, act)?)
                } else {
                    None
                },
                if req[1] {
                    Some(mul(&mul(gg, &g0)?, &second_derivative(&x0, act)?)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// A boolean mask of `x op value` (constant: masks carry no gradient).
fn mask(x: &Tensor, op: BinaryOp, value: f64) -> PyResult<Tensor> {
    Ok(Tensor::new(
        x.array().binary(&NdArray::scalar(value, x.dtype()), op)?,
    ))
}

/// `f''(x)` with differentiable ops.
fn second_derivative(x: &Tensor, act: Activation) -> PyResult<Tensor> {
    let c = |v: f64| full_like_scalar(v, x);
    let zero = c(0.0);
    match act {
        Activation::Softplus { beta, threshold } => {
            // beta * s * (1 - s) with s = sigmoid(beta x), where beta x <= threshold.
            let bx = mul(x, &c(beta))?;
            let s = unary(&bx, UnaryOp::Sigmoid)?;
            let d2 = mul(&c(beta), &mul(&s, &rsub_scalar(&s, Scalar::Int(1))?)?)?;
            where_(&mask(&bx, BinaryOp::Le, threshold)?, &d2, &zero)
        }
        Activation::Elu {
            alpha,
            scale,
            input_scale,
        } => {
            let e = unary(&mul(x, &c(input_scale))?, UnaryOp::Exp)?;
            let d2 = mul(&c(alpha * scale * input_scale * input_scale), &e)?;
            where_(&mask(x, BinaryOp::Le, 0.0)?, &d2, &zero)
        }
        Activation::LeakyRelu { .. } => Ok(super::zeros_like(x)),
        // The two GELU cases follow `gelu_double_backward` term by term, so even the signs
        // of zeros match.
        Activation::Gelu { tanh: false } => {
            // 2 pdf + x pdf', pdf' = -x pdf.
            let pdf = mul(
                &c(std::f64::consts::FRAC_2_SQRT_PI * std::f64::consts::FRAC_1_SQRT_2 * 0.5),
                &unary(&mul(&c(-0.5), &mul(x, x)?)?, UnaryOp::Exp)?,
            )?;
            let pdf_prime = mul(&mul(&c(-1.0), x)?, &pdf)?;
            add(&mul(&c(2.0), &pdf)?, &mul(x, &pdf_prime)?, 1.0)
        }
        Activation::Gelu { tanh: true } => {
            // gelu = f (1 + tanh u), f = x / 2, g = 1 - tanh², h = u' = kb (1 + 3 kk x²):
            // gelu'' = g h (twice f' g h) + f h g' + f g h', g' = 2 sech (-sech tanh) h,
            // h' = 6 kk x kb.
            let kb = std::f64::consts::SQRT_2 * std::f64::consts::FRAC_2_SQRT_PI * 0.5;
            let kk = 0.044715;
            let cube = mul(&mul(x, x)?, x)?;
            let inner = mul(&c(kb), &add(x, &mul(&c(kk), &cube)?, 1.0)?)?;
            let t = unary(&inner, UnaryOp::Tanh)?;
            let sech = unary(&unary(&inner, UnaryOp::Cosh)?, UnaryOp::Reciprocal)?;
            let f = mul(&c(0.5), x)?;
            let g = rsub_scalar(&mul(&t, &t)?, Scalar::Int(1))?;
            let h = mul(
                &c(kb),
                &add(&c(1.0), &mul(&mul(&c(3.0 * kk), x)?, x)?, 1.0)?,
            )?;
            let f_prime_gh = mul(&g, &h)?;
            let g_prime = mul(&mul(&mul(&c(2.0), &sech)?, &mul(&neg(&sech), &t)?)?, &h)?;
            let g_prime_fh = mul(&mul(&f, &h)?, &g_prime)?;
            let h_prime = mul(&mul(&c(6.0 * kk), x)?, &c(kb))?;
            let f_g_h_prime = mul(&mul(&f, &g)?, &h_prime)?;
            add(&add(&f_prime_gh, &g_prime_fh, 1.0)?, &f_g_h_prime, 1.0)
        }
        Activation::Silu => {
            // s (1 - s) (2 + x (1 - 2 s)).
            let s = unary(x, UnaryOp::Sigmoid)?;
            let ds = mul(&s, &rsub_scalar(&s, Scalar::Int(1))?)?;
            let one_minus_2s = rsub_scalar(&mul(&c(2.0), &s)?, Scalar::Int(1))?;
            mul(&ds, &add(&c(2.0), &mul(x, &one_minus_2s)?, 1.0)?)
        }
    }
}
