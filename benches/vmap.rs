//! `cargo bench --bench vmap`: `vmap` of a 16→2048 linear + tanh over a batch of 32 (one
//! batched product through the matmul rule) against the fallback loop (select each row, run the
//! function, `stack`), forward only and forward + backward. Prints the time per call.

use gradbook::array::{DType, NdArray, UnaryOp};
use gradbook::autograd::batching::vmap1;
use gradbook::autograd::{Tensor, grad, ops};
use gradbook::error::PyResult;
use std::hint::black_box;
use std::time::Instant;

const BATCH: usize = 32;
const IN: usize = 16;
const OUT: usize = 2048;
const REPS: usize = 20;

fn filled(shape: &[usize], seed: u32, requires_grad: bool) -> Tensor {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n)
        .map(|i| {
            ((i as u32).wrapping_mul(2654435761).wrapping_add(seed) % 1000) as f32 / 1000.0 - 0.5
        })
        .collect();
    Tensor::leaf(NdArray::from_vec(v, shape.to_vec()), requires_grad).expect("float data")
}

fn layer(x: &Tensor, w: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    ops::unary(&ops::linear(x, w, Some(b))?, UnaryOp::Tanh)
}

/// What the batching fallback does for an op without a rule.
fn looped(x: &Tensor, w: &Tensor, b: &Tensor) -> PyResult<Tensor> {
    let rows: Vec<Tensor> = (0..x.shape()[0])
        .map(|i| layer(&ops::select(x, 0, i as isize)?, w, b))
        .collect::<PyResult<_>>()?;
    ops::stack(&rows, 0)
}

fn time(name: &str, f: impl Fn() -> PyResult<Tensor>) -> f64 {
    black_box(f().expect("bench function runs")); // warm-up
    let mut best = f64::INFINITY;
    for _ in 0..REPS {
        let start = Instant::now();
        black_box(f().expect("bench function runs"));
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{name:<28} best {:>8.3} ms", best * 1e3);
    best
}

fn main() {
    let x = filled(&[BATCH, IN], 1, true);
    let w = filled(&[OUT, IN], 2, true);
    let b = filled(&[OUT], 3, true);
    assert_eq!(x.dtype(), DType::F32);
    let vm = || vmap1(|r| layer(r, &w, &b), &x, 0, 0);
    let lp = || looped(&x, &w, &b);
    let backward = |y: PyResult<Tensor>| -> PyResult<Tensor> {
        let s = ops::sum(&y?, None, false)?;
        let g = grad(
            &[s],
            &[x.clone(), w.clone()],
            &[],
            None,
            false,
            false,
            false,
        )?;
        g[1].clone()
            .ok_or_else(|| gradbook::error::runtime_error("no grad"))
    };
    let (a, b2) = (vm().expect("vmap"), lp().expect("loop"));
    assert!(ops::allclose(&a, &b2, 1e-5, 1e-6, false).expect("same shapes"));
    let t1 = time("vmap forward", vm);
    let t2 = time("fallback loop forward", lp);
    let t3 = time("vmap forward+backward", || backward(vm()));
    let t4 = time("fallback forward+backward", || backward(lp()));
    println!(
        "speed-up: forward {:.1}x, forward+backward {:.1}x",
        t2 / t1,
        t4 / t3
    );
}
