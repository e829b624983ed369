//! Bernoulli sampling (rng.md §8): `u < p` with a float64 uniform (2 words) for a Python
//! float p or a float64 probability tensor, and a float32 uniform (1 word) otherwise.

use super::super::{DType, Element, NdArray};
use super::generator::Generator;
use super::layout::{empty_like, fill_in_storage_order, storage_order};
use super::uniform::{next_unit_f32, next_unit_f64};

fn fill_scalar<T: Element>(array: &NdArray, p: f64, g: &mut Generator) {
    fill_in_storage_order::<T>(array, |vals, _| {
        for v in vals.iter_mut() {
            let hit = next_unit_f64(&mut g.engine) < p;
            *v = T::from_f64(if hit { 1.0 } else { 0.0 });
        }
    });
}

/// In place `bernoulli_(p)` with a Python float p.
pub fn bernoulli_scalar_(array: &NdArray, p: f64, generator: &mut Generator) {
    crate::with_dtype!(array.dtype(), T, fill_scalar::<T>(array, p, generator))
}

/// `torch.bernoulli(p)` for a probability array (float32 or float64 rules), same shape and dtype.
/// The result is laid out like `empty_like(p)` and filled in its storage order, pairing each
/// slot with the probability at the same logical index.
pub fn bernoulli_tensor(p: &NdArray, generator: &mut Generator) -> NdArray {
    let out = empty_like(p, p.dtype());
    // Logical index of every output slot, in the output's storage order.
    let out_positions = storage_order(&out);
    let mut logical_of_pos = vec![0usize; out_positions.len()];
    for (logical, pos) in out.storage_indices().into_iter().enumerate() {
        logical_of_pos[pos] = logical;
    }
    let probs = p.to_f64_vec();
    let hits: Vec<bool> = out_positions
        .iter()
        .map(|&pos| {
            let prob = probs[logical_of_pos[pos]];
            if p.dtype() == DType::F64 {
                next_unit_f64(&mut generator.engine) < prob
            } else {
                next_unit_f32(&mut generator.engine) < prob as f32
            }
        })
        .collect();
    crate::with_dtype!(out.dtype(), T, {
        let mut storage = out.storage_mut();
        if let Some(buf) = T::slice_mut(&mut storage) {
            for (&pos, &hit) in out_positions.iter().zip(&hits) {
                buf[pos] = T::from_f64(if hit { 1.0 } else { 0.0 });
            }
        }
    });
    out
}
