//! The pointwise ops of three operands the optimizers are written with: `addcmul`, `addcdiv`
//! (ATen's PointwiseOps) and `lerp`, computed with ATen's CPU rounding (`array/fused.rs`).

use super::{Jvp, data_as, div, full_like_scalar, mul, neg, record_jvp, result_type, sub};
use crate::array::DType;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, runtime_error};

/// The dtype of `self op t1 op t2` (pairwise promotion, 0-d operands ranking lower).
fn result_type3(a: &Tensor, b: &Tensor, c: &Tensor) -> DType {
    DType::promote(result_type(a, b), result_type(a, c))
}

fn ternary_rule(
    inputs: [&Tensor; 3],
    f: impl FnOnce(&Tensor, &Tensor, &Tensor) -> PyResult<Tensor>,
) -> Option<PyResult<Tensor>> {
    crate::autograd::batching::pointwise_rule(&inputs, |p| f(&p[0], &p[1], &p[2]))
}

/// `self + value * tensor1 * tensor2` (AddcmulBackward0).
pub fn addcmul(a: &Tensor, t1: &Tensor, t2: &Tensor, value: f64) -> PyResult<Tensor> {
    if let Some(r) = ternary_rule([a, t1, t2], |a, b, c| addcmul(a, b, c, value)) {
        return r;
    }
    let dt = result_type3(a, t1, t2);
    let out = if dt.is_floating() {
        data_as(a, dt).addcmul(&data_as(t1, dt), &data_as(t2, dt), value)?
    } else {
        let prod = data_as(t1, dt).binary(&data_as(t2, dt), crate::array::BinaryOp::Mul)?;
        let scaled = prod.binary(
            &crate::array::NdArray::scalar(value, dt),
            crate::array::BinaryOp::Mul,
        )?;
        data_as(a, dt).binary(&scaled, crate::array::BinaryOp::Add)?
    };
    let (s1, s2) = (t1.clone(), t2.clone());
    let req = [a.differentiable(), t1.differentiable(), t2.differentiable()];
    Ok(record_jvp(
        "AddcmulBackward0",
        &[a, t1, t2],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let times_value = |t: &Tensor| mul(t, &full_like_scalar(value, t));
            Ok(vec![
                req[0].then(|| g.clone()),
                if req[1] {
                    Some(mul(g, &times_value(&s2)?)?)
                } else {
                    None
                },
                if req[2] {
                    Some(mul(g, &times_value(&s1)?)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `self + value * tensor1 / tensor2` (AddcdivBackward0).
pub fn addcdiv(a: &Tensor, t1: &Tensor, t2: &Tensor, value: f64) -> PyResult<Tensor> {
    if let Some(r) = ternary_rule([a, t1, t2], |a, b, c| addcdiv(a, b, c, value)) {
        return r;
    }
    if !t1.dtype().is_floating() && !t2.dtype().is_floating() {
        return Err(runtime_error(
            "Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.",
        ));
    }
    let dt = result_type3(a, t1, t2);
    let out = data_as(a, dt).addcdiv(&data_as(t1, dt), &data_as(t2, dt), value)?;
    let (s1, s2) = (t1.clone(), t2.clone());
    let req = [a.differentiable(), t1.differentiable(), t2.differentiable()];
    Ok(record_jvp(
        "AddcdivBackward0",
        &[a, t1, t2],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            let v = |like: &Tensor| full_like_scalar(value, like);
            Ok(vec![
                req[0].then(|| g.clone()),
                if req[1] {
                    Some(mul(g, &div(&v(&s2), &s2)?)?)
                } else {
                    None
                },
                if req[2] {
                    let q = div(&mul(&v(&s1), &s1)?, &mul(&s2, &s2)?)?;
                    Some(mul(&neg(g), &q)?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// How PyTorch names a dtype in lerp's dtype check (`caffe2::TypeMeta`).
fn type_meta_name(d: DType) -> &'static str {
    match d {
        DType::Bool => "bool",
        DType::I32 => "int",
        DType::I64 => "long int",
        DType::F32 => "float",
        DType::F64 => "double",
    }
}

fn check_lerp(a: &Tensor, end: &Tensor, kernel: &str) -> PyResult<()> {
    if a.dtype() != end.dtype() {
        return Err(runtime_error(format!(
            "expected dtype {} for `end` but got dtype {}",
            type_meta_name(a.dtype()),
            type_meta_name(end.dtype())
        )));
    }
    if !a.dtype().is_floating() {
        return Err(runtime_error(format!(
            "\"{kernel}\" not implemented for '{}'",
            a.dtype().title()
        )));
    }
    Ok(())
}

/// `torch.lerp(a, end, weight)` with a Python-number weight (LerpBackward0).
pub fn lerp_scalar(a: &Tensor, end: &Tensor, weight: f64) -> PyResult<Tensor> {
    if let Some(r) =
        crate::autograd::batching::binary_rule(a, end, |a, e| lerp_scalar(a, e, weight))
    {
        return r;
    }
    check_lerp(a, end, "lerp_kernel_scalar")?;
    let w = crate::array::NdArray::scalar(weight, a.dtype());
    let out = a.array().lerp(&end.array(), &w)?;
    let req = [a.differentiable(), end.differentiable()];
    Ok(record_jvp(
        "LerpBackward0",
        &[a, end],
        out,
        false,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                if req[0] {
                    Some(mul(g, &full_like_scalar(1.0 - weight, g))?)
                } else {
                    None
                },
                if req[1] {
                    Some(mul(g, &full_like_scalar(weight, g))?)
                } else {
                    None
                },
            ])
        },
    ))
}

/// `torch.lerp(a, end, weight)` with a tensor weight (LerpBackward1).
pub fn lerp(a: &Tensor, end: &Tensor, weight: &Tensor) -> PyResult<Tensor> {
    if let Some(r) = ternary_rule([a, end, weight], lerp) {
        return r;
    }
    check_lerp(a, end, "lerp_kernel_tensor")?;
    if weight.dtype() != a.dtype() {
        return Err(runtime_error(format!(
            "expected dtype {} for `weight` but got dtype {}",
            type_meta_name(a.dtype()),
            type_meta_name(weight.dtype())
        )));
    }
    let out = a.array().lerp(&end.array(), &weight.array())?;
    let (sa, se, sw) = (a.clone(), end.clone(), weight.clone());
    let req = [
        a.differentiable(),
        end.differentiable(),
        weight.differentiable(),
    ];
    Ok(record_jvp(
        "LerpBackward1",
        &[a, end, weight],
        out,
        true,
        Jvp::Diagonal,
        move |_, g| {
            Ok(vec![
                if req[0] {
                    Some(mul(g, &sub(&full_like_scalar(1.0, &sw), &sw, 1.0)?)?)
                } else {
                    None
                },
                if req[1] { Some(mul(g, &sw)?) } else { None },
                if req[2] {
                    Some(mul(g, &sub(&se, &sa, 1.0)?)?)
                } else {
                    None
                },
            ])
        },
    ))
}
