//! PyTorch's CPU random number generator, bit for bit (MT19937 + ATen's distribution
//! transforms; spec in ../shared/reference/rng.md).
//!
//! Every in-place op fills in **storage order** and draws exactly the words torch draws, so
//! any interleaving of calls keeps the stream in step with a real PyTorch session.
//! Argument validation (dtype support, bounds, std >= 0) is the bindings' job: these
//! functions never panic and leave arrays of unsupported dtypes untouched.

mod bernoulli;
mod cephes;
mod generator;
mod integer;
mod layout;
mod mt19937;
mod normal;
mod uniform;

#[cfg(test)]
mod tests;

pub use bernoulli::{bernoulli_scalar_, bernoulli_tensor};
pub use generator::{Generator, STATE_SIZE, seed_from_os};
pub use integer::{check_from_to, randint, random_, randperm};

use super::{DType, NdArray};
use std::cell::RefCell;
use std::rc::Rc;

pub type GeneratorRef = Rc<RefCell<Generator>>;

/// The seed of a fresh `torch.Generator()` (c10::default_rng_seed_val).
pub const DEFAULT_RNG_SEED: u64 = 67280421310721;

thread_local! {
    static DEFAULT: GeneratorRef = Rc::new(RefCell::new(Generator::new(DEFAULT_RNG_SEED)));
}

/// `torch.default_generator`.
pub fn default_generator() -> GeneratorRef {
    DEFAULT.with(|g| g.clone())
}

/// In place `uniform_(from, to)` over the viewed elements, in storage order.
pub fn uniform_(array: &NdArray, from: f64, to: f64, generator: &mut Generator) {
    let e = &mut generator.engine;
    match array.dtype() {
        DType::F32 => layout::fill_in_storage_order::<f32>(array, |d, _| {
            uniform::fill_uniform_f32(e, d, uniform::UniformF32::new(from, to))
        }),
        DType::F64 => layout::fill_in_storage_order::<f64>(array, |d, _| {
            uniform::fill_uniform_f64(e, d, uniform::UniformF64::new(from, to))
        }),
        _ => {}
    }
}

/// Below this many elements (or for a non-contiguous output) torch uses the scalar path.
const BLOCK_MIN: usize = 16;

/// In place `normal_(mean, std)` (block path for contiguous arrays of >= 16 elements).
pub fn normal_(array: &NdArray, mean: f64, std: f64, generator: &mut Generator) {
    let g = generator;
    match array.dtype() {
        DType::F32 => layout::fill_in_storage_order::<f32>(array, |d, contiguous| {
            if contiguous && d.len() >= BLOCK_MIN {
                normal::block_normal_f32(g, d, mean, std);
            } else {
                d.iter_mut()
                    .for_each(|v| *v = normal::scalar_normal(g, mean, std) as f32);
            }
        }),
        DType::F64 => layout::fill_in_storage_order::<f64>(array, |d, contiguous| {
            if contiguous && d.len() >= BLOCK_MIN {
                normal::block_normal_f64(g, d, mean, std);
            } else {
                d.iter_mut()
                    .for_each(|v| *v = normal::scalar_normal(g, mean, std));
            }
        }),
        _ => {}
    }
}

/// `torch.rand(shape, dtype=dtype)`.
pub fn rand(shape: &[usize], dtype: DType, g: &mut Generator) -> NdArray {
    let out = NdArray::zeros(shape, dtype);
    uniform_(&out, 0.0, 1.0, g);
    out
}

/// `torch.randn(shape, dtype=dtype)`.
pub fn randn(shape: &[usize], dtype: DType, g: &mut Generator) -> NdArray {
    normal(0.0, 1.0, shape, dtype, g)
}

/// `torch.normal(mean, std, size=shape)` with Python float mean and std.
pub fn normal(mean: f64, std: f64, shape: &[usize], dtype: DType, g: &mut Generator) -> NdArray {
    let out = NdArray::zeros(shape, dtype);
    normal_(&out, mean, std, g);
    out
}

/// `torch.rand_like(t, dtype=dtype)`: laid out like `empty_like` (a dense transposed `t` gives
/// a transposed result, filled in storage order).
pub fn rand_like(t: &NdArray, dtype: DType, g: &mut Generator) -> NdArray {
    let out = layout::empty_like(t, dtype);
    uniform_(&out, 0.0, 1.0, g);
    out
}

/// `torch.randn_like(t, dtype=dtype)`: a non-contiguous layout takes the scalar path.
pub fn randn_like(t: &NdArray, dtype: DType, g: &mut Generator) -> NdArray {
    let out = layout::empty_like(t, dtype);
    normal_(&out, 0.0, 1.0, g);
    out
}
