//! Every backward formula checked against central finite differences in float64, to first
//! and second order (the second through `create_graph=True`), plus engine behaviour.

use super::gradcheck::*;
use super::ops::{self, TensorIndex};
use super::{Tensor, backward, grad};
use crate::array::{BinaryOp, DType, NdArray, Scalar, UnaryOp};
use crate::error::PyResult;

fn x23() -> Tensor {
    t64(&[0.5, -1.25, 2.0, 0.75, 1.5, -0.4], &[2, 3])
}
fn pos23() -> Tensor {
    t64(&[0.5, 1.25, 2.0, 0.75, 1.5, 0.4], &[2, 3])
}

#[test]
fn unary_formulas() {
    use UnaryOp::*;
    for op in [
        Exp, Sin, Cos, Tanh, Sigmoid, Atan, Sinh, Cosh, Erf, Abs, Expm1,
    ] {
        gradcheck(
            &format!("{op:?}"),
            &move |x| ops::unary(&x[0], op),
            &[x23()],
        );
    }
    for op in [Log, Log1p, Sqrt, Rsqrt, Reciprocal, Log2, Log10, Tan] {
        gradcheck(
            &format!("{op:?}"),
            &move |x| ops::unary(&x[0], op),
            &[pos23()],
        );
    }
    gradcheck("relu", &|x| ops::unary(&x[0], Relu), &[x23()]);
    gradcheck(
        "asin",
        &|x| ops::unary(&x[0], Asin),
        &[t64(&[0.1, -0.5, 0.3], &[3])],
    );
    gradcheck(
        "acos",
        &|x| ops::unary(&x[0], Acos),
        &[t64(&[0.1, -0.5, 0.3], &[3])],
    );
}

#[test]
fn binary_formulas_with_broadcasting() {
    let b = || t64(&[1.5, -0.5, 2.5], &[3]);
    gradcheck("add", &|x| ops::add(&x[0], &x[1], 2.0), &[x23(), b()]);
    gradcheck("sub", &|x| ops::sub(&x[0], &x[1], 1.0), &[x23(), b()]);
    gradcheck("mul", &|x| ops::mul(&x[0], &x[1]), &[x23(), b()]);
    gradcheck("div", &|x| ops::div(&x[0], &x[1]), &[x23(), b()]);
    gradcheck("pow", &|x| ops::pow(&x[0], &x[1]), &[pos23(), b()]);
    gradcheck(
        "pow_scalar",
        &|x| ops::pow_scalar(&x[0], Scalar::Float(3.0)),
        &[x23()],
    );
    gradcheck(
        "scalar_pow",
        &|x| ops::scalar_pow(Scalar::Float(2.0), &x[0]),
        &[x23()],
    );
    gradcheck(
        "rsub",
        &|x| ops::rsub_scalar(&x[0], Scalar::Int(1)),
        &[x23()],
    );
    gradcheck(
        "rdiv",
        &|x| ops::rdiv_scalar(&x[0], Scalar::Int(2)),
        &[pos23()],
    );
    gradcheck("atan2", &|x| ops::atan2(&x[0], &x[1]), &[x23(), b()]);
    gradcheck("maximum", &|x| ops::maximum(&x[0], &x[1]), &[x23(), b()]);
    gradcheck(
        "where",
        &|x| {
            let c = Tensor::new(
                x[0].array()
                    .binary(&NdArray::scalar(0.0, DType::F64), BinaryOp::Gt)?,
            );
            ops::where_(&c, &x[0], &x[1])
        },
        &[x23(), b()],
    );
}

#[test]
fn reduction_formulas() {
    gradcheck("sum", &|x| ops::sum(&x[0], None, false), &[x23()]);
    gradcheck("sum dim", &|x| ops::sum(&x[0], Some(&[1]), false), &[x23()]);
    gradcheck(
        "mean keepdim",
        &|x| ops::mean(&x[0], Some(&[0]), true),
        &[x23()],
    );
    gradcheck("prod", &|x| ops::prod(&x[0], None, false), &[x23()]);
    gradcheck("prod dim", &|x| ops::prod(&x[0], Some(1), false), &[x23()]);
    gradcheck("max", &|x| ops::max_all(&x[0]), &[x23()]);
    gradcheck(
        "max dim",
        &|x| Ok(ops::max_dim(&x[0], 1, false)?.0),
        &[x23()],
    );
    gradcheck("amax", &|x| ops::amax(&x[0], &[0], true), &[x23()]);
    gradcheck("norm", &|x| ops::norm(&x[0], 2.0, None, false), &[x23()]);
    gradcheck(
        "norm p3",
        &|x| ops::norm(&x[0], 3.0, Some(&[1]), false),
        &[x23()],
    );
    gradcheck(
        "var",
        &|x| ops::var(&x[0], Some(&[1]), 1.0, false),
        &[x23()],
    );
    gradcheck("std", &|x| ops::std(&x[0], None, 1.0, false), &[x23()]);
    gradcheck(
        "logsumexp",
        &|x| ops::logsumexp(&x[0], &[1], false),
        &[x23()],
    );
    gradcheck("softmax", &|x| ops::softmax(&x[0], 1), &[x23()]);
    gradcheck("log_softmax", &|x| ops::log_softmax(&x[0], 0), &[x23()]);
    gradcheck("cumsum", &|x| ops::cumsum(&x[0], 1), &[x23()]);
    gradcheck(
        "trace",
        &|x| ops::trace(&ops::mul(&x[0], &x[0])?),
        &[t64(&[1.0, 2.0, 3.0, 4.0], &[2, 2])],
    );
}

#[test]
fn shape_and_index_formulas() {
    gradcheck(
        "view",
        &|x| ops::mul(&ops::view(&x[0], &[3, 2])?, &ops::view(&x[0], &[3, 2])?),
        &[x23()],
    );
    gradcheck(
        "t",
        &|x| ops::mul(&ops::t(&x[0])?, &ops::t(&x[0])?),
        &[x23()],
    );
    gradcheck(
        "permute",
        &|x| ops::pow_scalar(&ops::permute(&x[0], &[1, 0])?, Scalar::Int(2)),
        &[x23()],
    );
    gradcheck(
        "unsqueeze expand",
        &|x| {
            ops::pow_scalar(
                &ops::expand(&ops::unsqueeze(&x[0], 0)?, &[4, 2, 3])?,
                Scalar::Int(2),
            )
        },
        &[x23()],
    );
    gradcheck(
        "repeat",
        &|x| ops::pow_scalar(&ops::repeat(&x[0], &[2, 1, 2])?, Scalar::Int(2)),
        &[x23()],
    );
    gradcheck(
        "stack",
        &|x| {
            ops::pow_scalar(
                &ops::stack(&[x[0].clone(), x[1].clone()], 1)?,
                Scalar::Int(2),
            )
        },
        &[x23(), pos23()],
    );
    gradcheck(
        "cat",
        &|x| ops::pow_scalar(&ops::cat(&[x[0].clone(), x[1].clone()], 0)?, Scalar::Int(2)),
        &[x23(), pos23()],
    );
    gradcheck(
        "select",
        &|x| ops::pow_scalar(&ops::select(&x[0], 1, -1)?, Scalar::Int(2)),
        &[x23()],
    );
    gradcheck(
        "slice",
        &|x| ops::pow_scalar(&ops::slice(&x[0], 1, Some(0), None, 2)?, Scalar::Int(2)),
        &[x23()],
    );
    gradcheck(
        "unbind",
        &|x| ops::pow_scalar(&ops::unbind(&x[0], 0)?[1], Scalar::Int(2)),
        &[x23()],
    );
    gradcheck(
        "index mask",
        &|x| {
            let mask = Tensor::new(
                x[0].array()
                    .binary(&NdArray::scalar(0.6, DType::F64), BinaryOp::Gt)?,
            );
            ops::pow_scalar(
                &ops::index(&x[0], &[TensorIndex::Tensor(mask)])?,
                Scalar::Int(2),
            )
        },
        &[x23()],
    );
    gradcheck(
        "index list",
        &|x| {
            let idx = Tensor::new(NdArray::from_vec(vec![1i64, 0, 1], vec![3]));
            ops::pow_scalar(
                &ops::index(&x[0], &[TensorIndex::Tensor(idx)])?,
                Scalar::Int(2),
            )
        },
        &[x23()],
    );
    gradcheck(
        "diag",
        &|x| ops::pow_scalar(&ops::diag(&x[0], 0)?, Scalar::Int(2)),
        &[t64(&[1.0, -2.0, 3.0], &[3])],
    );
}

#[test]
fn product_formulas() {
    let m32 = || t64(&[0.5, 1.0, -1.5, 2.0, 0.25, -0.75], &[3, 2]);
    gradcheck(
        "mm",
        &|x| ops::mm(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1]),
        &[x23(), m32()],
    );
    gradcheck(
        "mv",
        &|x| ops::mv(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1]),
        &[x23(), t64(&[1.0, -1.0, 0.5], &[3])],
    );
    gradcheck(
        "dot",
        &|x| ops::dot(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1]),
        &[t64(&[1.0, 2.0, 3.0], &[3]), t64(&[0.5, -1.0, 0.5], &[3])],
    );
    gradcheck(
        "matmul 1d@2d",
        &|x| ops::matmul(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1]),
        &[t64(&[1.0, 2.0, 3.0], &[3]), m32()],
    );
    gradcheck(
        "matmul batched",
        &|x| ops::matmul(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1]),
        &[
            t64(
                &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2],
                &[2, 2, 3],
            ),
            m32(),
        ],
    );
    gradcheck(
        "linear",
        &|x| ops::linear(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1], Some(&x[2])),
        &[
            x23(),
            t64(&[1.0, 2.0, 3.0, -1.0, 0.5, 0.25], &[2, 3]),
            t64(&[0.1, -0.2], &[2]),
        ],
    );
    gradcheck(
        "mse",
        &|x| ops::mse_loss(&ops::unary(&x[0], UnaryOp::Sin)?, &x[1], "mean"),
        &[x23(), pos23()],
    );
    gradcheck(
        "bce logits",
        &|x| ops::binary_cross_entropy_with_logits(&x[0], &x[1], "sum"),
        &[x23(), t64(&[0.0, 1.0, 1.0, 0.0, 0.5, 1.0], &[2, 3])],
    );
}

#[test]
fn grad_fn_names_follow_pytorch() {
    let x = Tensor::leaf(NdArray::from_vec(vec![2.0f32], vec![]), true).unwrap();
    let y = ops::pow_scalar(&x, Scalar::Int(3)).unwrap();
    let (dy,) = {
        let g = grad(
            &[y],
            std::slice::from_ref(&x),
            &[],
            None,
            true,
            false,
            false,
        )
        .unwrap();
        (g[0].clone().unwrap(),)
    };
    assert_eq!(dy.grad_fn().unwrap().name(), "MulBackward0");
    assert_eq!(values(&dy), vec![12.0]);
    let t = Tensor::leaf(NdArray::from_vec(vec![0.3f32], vec![]), true).unwrap();
    let e = ops::unary(&ops::unary(&t, UnaryOp::Tanh).unwrap(), UnaryOp::Exp).unwrap();
    let d1 = grad(
        &[e],
        std::slice::from_ref(&t),
        &[],
        None,
        true,
        false,
        false,
    )
    .unwrap()[0]
        .clone()
        .unwrap();
    assert_eq!(d1.grad_fn().unwrap().name(), "TanhBackwardBackward0");
    let a = Tensor::leaf(NdArray::from_vec(vec![1.0f32, 2.0, 3.0], vec![3]), true).unwrap();
    let b = Tensor::leaf(NdArray::from_vec(vec![1.0f32; 6], vec![3, 2]), true).unwrap();
    assert_eq!(
        ops::matmul(&a, &b).unwrap().grad_fn().unwrap().name(),
        "SqueezeBackward4"
    );
}

#[test]
fn engine_accumulates_retains_and_frees() {
    let x = Tensor::leaf(NdArray::from_vec(vec![1.0f32, 2.0], vec![2]), true).unwrap();
    let z = ops::sum(&ops::mul(&x, &x).unwrap(), None, false).unwrap();
    backward(std::slice::from_ref(&z), &[], None, false, None).unwrap();
    assert_eq!(values(&x.grad().unwrap()), vec![2.0, 4.0]);
    let err = backward(std::slice::from_ref(&z), &[], None, false, None).unwrap_err();
    assert!(
        err.msg
            .starts_with("Trying to backward through the graph a second time")
    );
    let y = ops::mul(&x, &ops::scalar_tensor(Scalar::Int(2), &x)).unwrap();
    let err = backward(&[y], &[], None, false, None).unwrap_err();
    assert_eq!(
        err.msg,
        "grad can be implicitly created only for scalar outputs"
    );
    // create_graph: the leaf's first gradient is a CopyBackwards copy.
    let x = Tensor::leaf(NdArray::from_vec(vec![1.0f32, 2.0], vec![2]), true).unwrap();
    let z = ops::sum(&ops::pow_scalar(&x, Scalar::Int(2)).unwrap(), None, false).unwrap();
    backward(&[z], &[], None, true, None).unwrap();
    assert_eq!(x.grad().unwrap().grad_fn().unwrap().name(), "CopyBackwards");
}

#[test]
fn unused_inputs_and_inplace_leaf_checks() {
    let a = Tensor::leaf(NdArray::from_vec(vec![1.0f32], vec![]), true).unwrap();
    let b = Tensor::leaf(NdArray::from_vec(vec![2.0f32], vec![]), true).unwrap();
    let out = ops::mul(&a, &a).unwrap();
    let err = grad(
        std::slice::from_ref(&out),
        &[a.clone(), b.clone()],
        &[],
        Some(true),
        false,
        false,
        false,
    )
    .unwrap_err();
    assert!(err.msg.starts_with("The differentiated Tensor at index 1"));
    let g = grad(&[out], &[a.clone(), b], &[], None, false, true, false).unwrap();
    assert!(g[1].is_none());
    let err = ops::add_(&a, &a.detach(), 1.0).unwrap_err();
    assert_eq!(
        err.msg,
        "a leaf Variable that requires grad is being used in an in-place operation."
    );
}

#[test]
fn forward_mode_matches_finite_differences() {
    use UnaryOp::*;
    for op in [Exp, Sin, Cos, Tanh, Sigmoid, Relu, Abs, Atan] {
        jvp_check(
            &format!("{op:?}"),
            &move |x| ops::unary(&x[0], op),
            &[x23()],
        );
    }
    for op in [Log, Sqrt, Reciprocal] {
        jvp_check(
            &format!("{op:?}"),
            &move |x| ops::unary(&x[0], op),
            &[pos23()],
        );
    }
    let b = || t64(&[1.5, -0.5, 2.5], &[3]);
    jvp_check("mul", &|x| ops::mul(&x[0], &x[1]), &[x23(), b()]);
    jvp_check("div", &|x| ops::div(&x[0], &x[1]), &[x23(), b()]);
    jvp_check("pow", &|x| ops::pow_scalar(&x[0], Scalar::Int(3)), &[x23()]);
    jvp_check("sum", &|x| ops::sum(&x[0], Some(&[1]), false), &[x23()]);
    jvp_check("softmax", &|x| ops::softmax(&x[0], 1), &[x23()]);
    jvp_check(
        "mm",
        &|x| ops::mm(&x[0], &ops::t(&x[1])?),
        &[x23(), pos23()],
    );
    jvp_check(
        "linear tanh",
        &|x| ops::unary(&ops::linear(&x[0], &x[1], None)?, Tanh),
        &[x23(), pos23()],
    );
    jvp_check(
        "select stack",
        &|x| ops::stack(&[ops::select(&x[0], 1, 0)?, ops::select(&x[0], 1, 2)?], 0),
        &[x23()],
    );
    jvp_check(
        "index",
        &|x| {
            ops::index(
                &x[0],
                &[TensorIndex::Int(1), TensorIndex::Slice(Some(1), None, None)],
            )
        },
        &[x23()],
    );
}

#[test]
fn transforms_compose() {
    // jacfwd(jacrev(f)) is the Hessian of f(x) = sum(sin(x) * x): diag(2cos x - x sin x).
    let x = t64(&[0.5, 1.0, 1.5], &[3]);
    let mut grad_f = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> {
        let leaf = xs[0].clone();
        let y = ops::sum(
            &ops::mul(&ops::unary(&leaf, UnaryOp::Sin)?, &leaf)?,
            None,
            false,
        )?;
        let mut h = |zs: &[Tensor]| -> PyResult<Vec<Tensor>> {
            Ok(vec![ops::sum(
                &ops::mul(&ops::unary(&zs[0], UnaryOp::Sin)?, &zs[0])?,
                None,
                false,
            )?])
        };
        let _ = y;
        let j = super::functional::jacobian_reverse(&mut h, xs, true)?;
        Ok(vec![j[0][0].clone()])
    };
    let hess = super::functional::jacobian_forward(&mut grad_f, std::slice::from_ref(&x)).unwrap();
    let h = values(&hess[0][0]);
    let xs = values(&x);
    for i in 0..3 {
        for j in 0..3 {
            let expected = if i == j {
                2.0 * xs[i].cos() - xs[i] * xs[i].sin()
            } else {
                0.0
            };
            assert!(
                (h[i * 3 + j] - expected).abs() < 1e-12,
                "H[{i}][{j}] = {} vs {expected}",
                h[i * 3 + j]
            );
        }
    }
    // jvp output is a plain tensor: no grad_fn leaks from the derivation.
    let mut f =
        |xs: &[Tensor]| -> PyResult<Vec<Tensor>> { Ok(vec![ops::unary(&xs[0], UnaryOp::Exp)?]) };
    let x = Tensor::new(NdArray::from_vec(vec![0.0f32, 1.0], vec![2]));
    let v = Tensor::new(NdArray::from_vec(vec![1.0f32, 2.0], vec![2]));
    let (_, t) = super::functional::jvp(&mut f, &[x], &[v]).unwrap();
    assert!(t[0].grad_fn().is_none() && !t[0].requires_grad());
    assert_eq!(t[0].repr(), "tensor([1.0000, 5.4366])");
    // Inputs that do not require grad still get tangents through two-input formulas.
    let mut sq = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> { Ok(vec![ops::mul(&xs[0], &xs[0])?]) };
    let x = Tensor::new(NdArray::from_vec(vec![0.5f32, 1.0], vec![2]));
    let v = Tensor::new(NdArray::from_vec(vec![1.0f32, 1.0], vec![2]));
    let (_, t) = super::functional::jvp(&mut sq, &[x], &[v]).unwrap();
    assert_eq!(t[0].repr(), "tensor([1., 2.])");
}

#[test]
fn nested_forward_and_reverse_agree_on_saved_outputs() {
    // f(x) = sum(exp(x) * tanh(x)): exp and tanh use their saved results in their formulas,
    // which nested forward mode must see with the other level's tangents.
    let f = |xs: &[Tensor]| -> PyResult<Tensor> {
        let e = ops::unary(&xs[0], UnaryOp::Exp)?;
        let t = ops::unary(&xs[0], UnaryOp::Tanh)?;
        ops::sum(&ops::mul(&e, &t)?, None, false)
    };
    let x = t64(&[0.3, -0.7, 1.1], &[3]).detach();
    let mut grad_fwd = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> {
        let mut inner = |zs: &[Tensor]| -> PyResult<Vec<Tensor>> { Ok(vec![f(zs)?]) };
        Ok(vec![
            super::functional::jacobian_forward(&mut inner, xs)?[0][0].clone(),
        ])
    };
    let fwd_fwd =
        super::functional::jacobian_forward(&mut grad_fwd, std::slice::from_ref(&x)).unwrap();
    let mut grad_rev = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> {
        let mut inner = |zs: &[Tensor]| -> PyResult<Vec<Tensor>> { Ok(vec![f(zs)?]) };
        Ok(vec![
            super::functional::jacobian_reverse(&mut inner, xs, false)?[0][0].clone(),
        ])
    };
    let rev_rev =
        super::functional::jacobian_reverse(&mut grad_rev, std::slice::from_ref(&x), false)
            .unwrap();
    let fwd_rev =
        super::functional::jacobian_forward(&mut grad_rev, std::slice::from_ref(&x)).unwrap();
    let expected = values(&rev_rev[0][0]);
    assert_close(&values(&fwd_fwd[0][0]), &expected, 1e-12, "jacfwd(jacfwd)");
    assert_close(&values(&fwd_rev[0][0]), &expected, 1e-12, "jacfwd(jacrev)");
    // The diagonal is f'' = e^x (tanh + 2 sech² - 2 tanh sech²) elementwise.
    for (i, xi) in values(&x).iter().enumerate() {
        let (t, s2) = (xi.tanh(), 1.0 - xi.tanh().powi(2));
        let d2 = xi.exp() * (t + 2.0 * s2 - 2.0 * t * s2);
        assert!((expected[i * 3 + i] - d2).abs() < 1e-12);
    }
}

#[test]
fn saved_outputs_modified_in_place_are_refused() {
    let x = Tensor::leaf(NdArray::from_vec(vec![1.0f32, 2.0], vec![2]), true).unwrap();
    let y = ops::unary(&x, UnaryOp::Exp).unwrap();
    ops::sub_(&y, &ops::scalar_tensor(Scalar::Int(1), &y), 1.0).unwrap();
    let s = ops::sum(&y, None, false).unwrap();
    let err = backward(&[s], &[], None, false, None).unwrap_err();
    assert_eq!(
        err.msg,
        "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of Exp, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    );
    // A formula that does not use its output (mul saves its inputs) is unaffected.
    let z = ops::mul(&x, &x).unwrap();
    ops::add_(&z, &ops::scalar_tensor(Scalar::Int(1), &z), 1.0).unwrap();
    backward(
        &[ops::sum(&z, None, false).unwrap()],
        &[],
        None,
        false,
        None,
    )
    .unwrap();
}
