//! Finite-difference checks (first and second order, and forward mode) of the
//! `torch.nn.functional` ops, the losses, padding and sorting, plus their grad_fn names.

use super::ops::{self, Reduction};
use super::{Tensor, grad};
use crate::array::{Activation, NdArray};
use crate::error::PyResult;

type F = dyn Fn(&[Tensor]) -> PyResult<Tensor>;

fn t64(values: &[f64], shape: &[usize]) -> Tensor {
    Tensor::leaf(NdArray::from_vec(values.to_vec(), shape.to_vec()), true).unwrap()
}
fn constant(values: &[f64], shape: &[usize]) -> Tensor {
    Tensor::new(NdArray::from_vec(values.to_vec(), shape.to_vec()))
}
fn values(t: &Tensor) -> Vec<f64> {
    t.array().to_f64_vec()
}
fn weights(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 0.3 + 0.7 * ((i * 7 + 3) % 11) as f64 / 11.0)
        .collect()
}
/// sum(w * y) with fixed weights, so every output is probed.
fn probe(y: &Tensor, reverse: bool) -> PyResult<Tensor> {
    let mut w = weights(y.numel());
    if reverse {
        w.reverse();
    }
    ops::sum(&ops::mul(y, &constant(&w, &y.shape()))?, None, false)
}

fn assert_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * (1.0 + y.abs()),
            "{what}: element {i}: analytic {x} vs numeric {y}"
        );
    }
}

/// Central differences of `loss` with respect to input `k`.
fn numeric(loss: &dyn Fn(&[Tensor]) -> f64, inputs: &[Tensor], k: usize) -> Vec<f64> {
    let eps = 1e-6;
    let base = values(&inputs[k]);
    (0..base.len())
        .map(|i| {
            let at = |d: f64| {
                let mut v = base.clone();
                v[i] += d;
                let mut xs: Vec<Tensor> = inputs
                    .iter()
                    .map(|t| Tensor::leaf(t.array(), t.requires_grad()).unwrap())
                    .collect();
                xs[k] = Tensor::leaf(NdArray::from_vec(v, inputs[k].shape()), true).unwrap();
                loss(&xs)
            };
            (at(eps) - at(-eps)) / (2.0 * eps)
        })
        .collect()
}

/// First and second order against finite differences, for every input that requires grad
/// (`inputs[0]` must).
fn gradcheck(name: &str, f: &F, inputs: &[Tensor]) {
    let wrt: Vec<usize> = (0..inputs.len())
        .filter(|&k| inputs[k].requires_grad())
        .collect();
    let leaves: Vec<Tensor> = wrt.iter().map(|&k| inputs[k].clone()).collect();
    let first = |xs: &[Tensor]| {
        probe(&f(xs).unwrap(), false)
            .unwrap()
            .item()
            .unwrap()
            .to_f64()
    };
    let y = probe(&f(inputs).unwrap(), false).unwrap();
    let gs = grad(&[y], &leaves, &[], None, true, true, true).unwrap();
    for (g, &k) in gs.iter().zip(&wrt) {
        let g = g
            .as_ref()
            .map(values)
            .unwrap_or(vec![0.0; inputs[k].numel()]);
        assert_close(
            &g,
            &numeric(&first, inputs, k),
            1e-5,
            &format!("{name}: d/dx{k}"),
        );
    }
    // Second order: d/dx of sum(v * dL/dx0).
    let Some(g0) = gs[0].clone() else { return };
    if !g0.requires_grad() {
        return;
    }
    let l2 = probe(&g0, true).unwrap();
    let gg = grad(&[l2], &leaves, &[], None, false, true, true).unwrap();
    let second = |xs: &[Tensor]| {
        let y = probe(&f(xs).unwrap(), false).unwrap();
        let g = grad(&[y], &xs[..1], &[], None, true, true, true).unwrap();
        probe(g[0].as_ref().unwrap(), true)
            .unwrap()
            .item()
            .unwrap()
            .to_f64()
    };
    for (g, &k) in gg.iter().zip(&wrt) {
        let g = g
            .as_ref()
            .map(values)
            .unwrap_or(vec![0.0; inputs[k].numel()]);
        assert_close(
            &g,
            &numeric(&second, inputs, k),
            1e-4,
            &format!("{name}: d2/dx0dx{k}"),
        );
    }
}

/// Forward mode (`functional::jvp`) against a directional finite difference.
fn jvp_check(name: &str, f: &F, inputs: &[Tensor]) {
    let tangents: Vec<Tensor> = inputs
        .iter()
        .map(|x| {
            let w: Vec<f64> = weights(x.numel()).iter().map(|w| w - 0.6).collect();
            constant(&w, &x.shape())
        })
        .collect();
    let mut g = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> { Ok(vec![f(xs)?]) };
    let (_, tans) = super::functional::jvp(&mut g, inputs, &tangents).unwrap();
    let eps = 1e-6;
    let at = |d: f64| -> Vec<f64> {
        let xs: Vec<Tensor> = inputs
            .iter()
            .zip(&tangents)
            .map(|(x, v)| {
                let vals: Vec<f64> = values(x)
                    .iter()
                    .zip(values(v))
                    .map(|(a, b)| a + d * b)
                    .collect();
                constant(&vals, &x.shape())
            })
            .collect();
        values(&f(&xs).unwrap())
    };
    let (hi, lo) = (at(eps), at(-eps));
    let num: Vec<f64> = hi
        .iter()
        .zip(&lo)
        .map(|(a, b)| (a - b) / (2.0 * eps))
        .collect();
    assert_close(&values(&tans[0]), &num, 1e-5, &format!("jvp {name}"));
}

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
