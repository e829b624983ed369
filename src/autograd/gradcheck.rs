//! The derivative checks the autograd tests share: first and second order against central
//! finite differences (`gradcheck`), and forward mode against a directional difference
//! (`jvp_check`), all in float64.

use super::ops;
use super::{Tensor, grad};
use crate::array::NdArray;
use crate::error::PyResult;

pub(super) type F = dyn Fn(&[Tensor]) -> PyResult<Tensor>;

pub(super) fn t64(values: &[f64], shape: &[usize]) -> Tensor {
    Tensor::leaf(NdArray::from_vec(values.to_vec(), shape.to_vec()), true).unwrap()
}
pub(super) fn constant(values: &[f64], shape: &[usize]) -> Tensor {
    Tensor::new(NdArray::from_vec(values.to_vec(), shape.to_vec()))
}
pub(super) fn values(t: &Tensor) -> Vec<f64> {
    t.array().to_f64_vec()
}
pub(super) fn weights(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 0.3 + 0.7 * ((i * 7 + 3) % 11) as f64 / 11.0)
        .collect()
}
/// sum(w * y) with fixed weights, so every output is probed.
pub(super) fn probe(y: &Tensor, reverse: bool) -> PyResult<Tensor> {
    let mut w = weights(y.numel());
    if reverse {
        w.reverse();
    }
    ops::sum(&ops::mul(y, &constant(&w, &y.shape()))?, None, false)
}

pub(super) fn assert_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * (1.0 + y.abs()),
            "{what}: element {i}: analytic {x} vs numeric {y}"
        );
    }
}

/// Central differences of `loss` with respect to input `k`.
pub(super) fn numeric(loss: &dyn Fn(&[Tensor]) -> f64, inputs: &[Tensor], k: usize) -> Vec<f64> {
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
pub(super) fn gradcheck(name: &str, f: &F, inputs: &[Tensor]) {
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
pub(super) fn jvp_check(name: &str, f: &F, inputs: &[Tensor]) {
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
