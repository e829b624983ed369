//! Normal samples (rng.md §5): the SCALAR double Box–Muller path with the generator's
//! one-value cache, and the BLOCK path (uniform buffer, 16-element blocks, tail re-draw).

use super::cephes::normal_fill_blocks_f32;
use super::generator::Generator;
use super::uniform::{fill_unit_f32, fill_unit_f64, next_unit_f64};
use std::f64::consts::TAU;

/// Elements per fill-then-transform round of the block path: a multiple of 16 (so no block
/// straddles two rounds) small enough to stay in cache. The transform draws nothing, so the
/// interleaving does not change which word lands where.
const CHUNK: usize = 4096;

/// `normal_distribution<double>(mean, std)` with the cached second value (§5.2).
pub(crate) fn scalar_normal(g: &mut Generator, mean: f64, std: f64) -> f64 {
    if let Some(z) = g.next_double_normal.take() {
        return z.mul_add(std, mean);
    }
    let u1 = next_unit_f64(&mut g.engine);
    let u2 = next_unit_f64(&mut g.engine);
    let r = (-2.0 * (-u2).ln_1p()).sqrt();
    let theta = TAU * u1;
    g.next_double_normal = Some(r * theta.sin());
    (r * theta.cos()).mul_add(std, mean)
}

/// BLOCK path for float32, `d.len() >= 16`.
pub(crate) fn block_normal_f32(g: &mut Generator, d: &mut [f32], mean: f64, std: f64) {
    let (mean, std) = (mean as f32, std as f32);
    let n = d.len();
    let full = n - n % 16;
    for chunk in d[..full].chunks_mut(CHUNK) {
        fill_unit_f32(&mut g.engine, chunk);
        normal_fill_blocks_f32(chunk, mean, std);
    }
    if full < n {
        // The leftover uniforms are drawn (and wasted) like torch's up-front fill, then the
        // last 16 slots get fresh uniforms and are transformed again.
        fill_unit_f32(&mut g.engine, &mut d[full..]);
        let tail = &mut d[n - 16..];
        fill_unit_f32(&mut g.engine, tail);
        normal_fill_blocks_f32(tail, mean, std);
    }
}

/// `normal_fill_16<double>`: lane j pairs d[j] with d[j+8], libm log/cos/sin.
fn fill_16_f64(d: &mut [f64], mean: f64, std: f64) {
    let (lo, hi) = d.split_at_mut(8);
    for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
        let radius = (-2.0 * (1.0 - *a).ln()).sqrt();
        let theta = TAU * *b;
        *a = (radius * theta.cos()).mul_add(std, mean);
        *b = (radius * theta.sin()).mul_add(std, mean);
    }
}

/// BLOCK path for float64, `d.len() >= 16`.
pub(crate) fn block_normal_f64(g: &mut Generator, d: &mut [f64], mean: f64, std: f64) {
    let n = d.len();
    let full = n - n % 16;
    for chunk in d[..full].chunks_mut(CHUNK) {
        fill_unit_f64(&mut g.engine, chunk);
        chunk
            .chunks_exact_mut(16)
            .for_each(|b| fill_16_f64(b, mean, std));
    }
    if full < n {
        fill_unit_f64(&mut g.engine, &mut d[full..]);
        let tail = &mut d[n - 16..];
        fill_unit_f64(&mut g.engine, tail);
        fill_16_f64(tail, mean, std);
    }
}
