//! Finite-difference checks (first and second order, and forward mode) of the
//! `torch.nn.functional` ops, the losses, padding and sorting, plus their grad_fn names.

use super::gradcheck::*;
use super::ops::{self, Reduction};
use super::{Tensor, grad};
use crate::array::{Activation, NdArray};
use crate::error::PyResult;

fn x23() -> Tensor {
    t64(&[0.5, -1.25, 2.0, 0.75, 1.5, -0.4], &[2, 3])
}

const ACTIVATIONS: [Activation; 7] = [
    Activation::Softplus {
        beta: 1.0,
        threshold: 20.0,
    },
    Activation::Softplus {
        beta: 2.0,
        threshold: 1.2,
    },
    Activation::Elu {
        alpha: 0.7,
        scale: 1.0,
        input_scale: 1.0,
    },
    Activation::LeakyRelu { slope: 0.1 },
    Activation::Gelu { tanh: false },
    Activation::Gelu { tanh: true },
    Activation::Silu,
];

#[test]
fn activations_match_finite_differences() {
    for act in ACTIVATIONS {
        let name = format!("{act:?}");
        gradcheck(&name, &move |x| ops::activation(&x[0], act), &[x23()]);
        jvp_check(&name, &move |x| ops::activation(&x[0], act), &[x23()]);
        // Third order runs through the backward op's own derivative.
        gradcheck(
            &format!("{name} backward"),
            &move |x| ops::activation_backward(&x[1], &x[0], act),
            &[x23(), t64(&[1.0, -2.0, 0.5, 0.25, 3.0, -1.0], &[2, 3])],
        );
    }
}

#[test]
fn elementwise_losses_match_finite_differences() {
    let target = || t64(&[0.1, -1.0, 2.5, 0.0, 1.0, 0.3], &[2, 3]);
    for r in ["mean", "sum", "none"] {
        gradcheck(
            "mse",
            &move |x| ops::mse_loss(&x[0], &x[1], r),
            &[x23(), target()],
        );
        gradcheck(
            "smooth_l1",
            &move |x| ops::smooth_l1_loss(&x[0], &x[1], r, 0.6),
            &[x23(), target()],
        );
        gradcheck(
            "huber",
            &move |x| ops::huber_loss(&x[0], &x[1], r, 0.8),
            &[x23(), target()],
        );
        jvp_check(
            "mse",
            &move |x| ops::mse_loss(&x[0], &x[1], r),
            &[x23(), target()],
        );
    }
    let probs = || t64(&[0.2, 0.9, 0.5, 0.35, 0.6, 0.05], &[2, 3]);
    let labels = || t64(&[0.1, 0.9, 0.5, 0.7, 0.2, 0.4], &[2, 3]);
    let w = constant(&[1.0, 2.0, 0.5], &[3]);
    gradcheck(
        "bce",
        &move |x| ops::binary_cross_entropy(&x[0], &x[1], Some(&w), "mean"),
        &[probs(), labels()],
    );
    let (w, pw) = (
        constant(&[1.0, 2.0, 0.5], &[3]),
        constant(&[3.0, 0.5, 1.0], &[3]),
    );
    gradcheck(
        "bce logits weighted",
        &move |x| {
            ops::binary_cross_entropy_with_logits_weighted(&x[0], &x[1], Some(&w), Some(&pw), "sum")
        },
        &[x23(), labels()],
    );
}

#[test]
fn class_losses_match_finite_differences() {
    let target = Tensor::new(NdArray::from_vec(vec![2i64, 0], vec![2]));
    let w = constant(&[1.0, 0.5, 2.0], &[3]);
    for r in ["mean", "sum", "none"] {
        let (t, w) = (target.clone(), w.clone());
        gradcheck(
            "cross_entropy",
            &move |x| ops::cross_entropy(&x[0], &t, Some(&w), -100, r, 0.0),
            &[x23()],
        );
        let t = target.clone();
        gradcheck(
            "cross_entropy smoothed",
            &move |x| ops::cross_entropy(&x[0], &t, None, -100, r, 0.2),
            &[x23()],
        );
    }
    let soft = constant(&[0.2, 0.3, 0.5, 1.0, 0.0, 0.0], &[2, 3]);
    gradcheck(
        "cross_entropy soft",
        &move |x| ops::cross_entropy(&x[0], &soft, None, -100, "mean", 0.0),
        &[x23()],
    );
    let t = target.clone();
    jvp_check(
        "nll",
        &move |x| ops::nll_loss(&x[0], &t, None, -100, "mean"),
        &[x23()],
    );
}

#[test]
fn nll_loss_values_weights_and_ignore_index() {
    let x = constant(&[-1.0, -2.0, -3.0, -0.5, -1.5, -2.5], &[2, 3]);
    let t = Tensor::new(NdArray::from_vec(vec![2i64, 1], vec![2]));
    let w = constant(&[1.0, 2.0, 4.0], &[3]);
    let mean = ops::nll_loss(&x, &t, Some(&w), -100, "mean").unwrap();
    // (4 * 3 + 2 * 1.5) / (4 + 2)
    assert_eq!(values(&mean), vec![2.5]);
    let ignored = ops::nll_loss(&x, &t, None, 1, "sum").unwrap();
    assert_eq!(values(&ignored), vec![3.0]);
    let bad = Tensor::new(NdArray::from_vec(vec![3i64, 1], vec![2]));
    let e = ops::nll_loss(&x, &bad, None, -100, "mean").unwrap_err();
    assert_eq!(e.to_string(), "IndexError: Target 3 is out of bounds.");
    assert!(Reduction::parse("avg").is_err());
}

#[test]
fn padding_and_sorting_match_finite_differences() {
    gradcheck(
        "pad",
        &|x| ops::constant_pad_nd(&x[0], &[1, -1, 2, 0], 3.0),
        &[x23()],
    );
    jvp_check(
        "pad",
        &|x| ops::constant_pad_nd(&x[0], &[0, 2], 0.0),
        &[x23()],
    );
    gradcheck(
        "sort",
        &|x| Ok(ops::sort(&x[0], 1, true, false)?.0),
        &[x23()],
    );
    gradcheck("topk", &|x| Ok(ops::topk(&x[0], 2, 0, false)?.0), &[x23()]);
    gradcheck(
        "median dim",
        &|x| Ok(ops::median_dim(&x[0], 1, false)?.0),
        &[x23()],
    );
    gradcheck(
        "kthvalue",
        &|x| Ok(ops::kthvalue(&x[0], 2, 1, true)?.0),
        &[x23()],
    );
    gradcheck("median", &ops_median, &[x23()]);
    jvp_check(
        "sort",
        &|x| Ok(ops::sort(&x[0], 0, false, false)?.0),
        &[x23()],
    );
    jvp_check("topk", &|x| Ok(ops::topk(&x[0], 1, 1, true)?.0), &[x23()]);
}

#[test]
fn flip_and_roll_match_finite_differences() {
    // Multiplied by x so the second order is not zero.
    gradcheck(
        "flip",
        &|x| ops::mul(&ops::flip(&x[0], &[0, -1])?, &x[0]),
        &[x23()],
    );
    gradcheck(
        "roll",
        &|x| ops::mul(&ops::roll(&x[0], &[1, -2], &[0, 1])?, &x[0]),
        &[x23()],
    );
    gradcheck(
        "roll flat",
        &|x| ops::mul(&ops::roll(&x[0], &[4], &[])?, &x[0]),
        &[x23()],
    );
    jvp_check("flip", &|x| ops::flip(&x[0], &[1]), &[x23()]);
    jvp_check("roll", &|x| ops::roll(&x[0], &[-1], &[]), &[x23()]);
}

fn ops_median(x: &[Tensor]) -> PyResult<Tensor> {
    ops::mul(&ops::median_all(&x[0])?, &x[0])
}

#[test]
fn sort_values_and_indices() {
    let x = t64(&[4.0, 1.0, 3.0, 6.0, 2.0, 5.0], &[2, 3]);
    let (v, i) = ops::sort(&x, -1, false, false).unwrap();
    assert_eq!(values(&v), vec![1.0, 3.0, 4.0, 2.0, 5.0, 6.0]);
    assert_eq!(i.array().to_vec::<i64>(), vec![1, 2, 0, 1, 2, 0]);
    let (v, i) = ops::topk(&x, 2, -1, true).unwrap();
    assert_eq!(values(&v), vec![4.0, 3.0, 6.0, 5.0]);
    assert_eq!(i.array().to_vec::<i64>(), vec![0, 2, 0, 2]);
    let (v, i) = ops::median_dim(&x, 1, false).unwrap();
    assert_eq!(values(&v), vec![3.0, 5.0]);
    assert_eq!(i.array().to_vec::<i64>(), vec![2, 2]);
    assert!(ops::topk(&x, 4, -1, true).is_err());
}

#[test]
fn grad_fn_names_follow_pytorch() {
    let x = Tensor::leaf(NdArray::from_vec(vec![0.5f32, -1.0], vec![2]), true).unwrap();
    let y = constant(&[1.0, 0.0], &[2]);
    let y = ops::to_dtype(&y, crate::array::DType::F32).unwrap();
    let name = |t: PyResult<Tensor>| t.unwrap().grad_fn().unwrap().name().to_string();
    assert_eq!(name(ops::mse_loss(&x, &y, "mean")), "MseLossBackward0");
    assert_eq!(
        name(ops::binary_cross_entropy_with_logits(&x, &y, "mean")),
        "BinaryCrossEntropyWithLogitsBackward0"
    );
    assert_eq!(
        name(ops::huber_loss(&x, &y, "sum", 1.0)),
        "HuberLossBackward0"
    );
    assert_eq!(name(ops::l1_loss(&x, &y, "mean")), "MeanBackward0");
    assert_eq!(
        name(ops::activation(&x, Activation::Gelu { tanh: false })),
        "GeluBackward0"
    );
    let t = Tensor::new(NdArray::from_vec(vec![1i64], vec![]));
    assert_eq!(
        name(ops::cross_entropy(&x, &t, None, -100, "mean", 0.0)),
        "NllLossBackward0"
    );
    let sp = ops::activation(
        &x,
        Activation::Softplus {
            beta: 1.0,
            threshold: 20.0,
        },
    )
    .unwrap();
    let g = grad(
        &[ops::sum(&sp, None, false).unwrap()],
        std::slice::from_ref(&x),
        &[],
        None,
        true,
        true,
        true,
    )
    .unwrap();
    assert_eq!(
        g[0].as_ref().unwrap().grad_fn().unwrap().name(),
        "SoftplusBackwardBackward0"
    );
    assert_eq!(
        name(ops::sort(&x, 0, false, true).map(|r| r.0)),
        "SortBackward1"
    );
    assert_eq!(
        name(ops::constant_pad_nd(&x, &[1, 1], 0.0)),
        "ConstantPadNdBackward0"
    );
}
