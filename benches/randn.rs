//! `cargo bench --bench randn`: throughput of `randn(10_000_000)` (the BLOCK path) in
//! float32 and float64, plus `rand` for reference. Prints elements per second.

use gradbook::array::DType;
use gradbook::array::random::{Generator, rand, randn};
use std::hint::black_box;
use std::time::Instant;

const N: usize = 10_000_000;
const REPS: usize = 5;

fn bench(name: &str, f: impl Fn(&mut Generator)) {
    let mut g = Generator::new(0);
    f(&mut g); // warm-up: page in the allocation path
    let mut best = f64::INFINITY;
    let mut total = 0.0;
    for _ in 0..REPS {
        let start = Instant::now();
        f(&mut g);
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        total += secs;
    }
    println!(
        "{name:<16} best {:>7.2} ms  mean {:>7.2} ms  {:>8.1} M elements/s",
        best * 1e3,
        total / REPS as f64 * 1e3,
        N as f64 / best / 1e6
    );
}

fn main() {
    bench("randn float32", |g| {
        black_box(randn(&[N], DType::F32, g));
    });
    bench("randn float64", |g| {
        black_box(randn(&[N], DType::F64, g));
    });
    bench("rand float32", |g| {
        black_box(rand(&[N], DType::F32, g));
    });
    bench("rand float64", |g| {
        black_box(rand(&[N], DType::F64, g));
    });
}
