//! PyTorch's CPU random number generator, bit for bit (MT19937 + ATen's distribution
//! transforms; spec in ../shared/reference/rng.md). (Implementation owned by the RNG work.)

use super::NdArray;
use std::cell::RefCell;
use std::rc::Rc;

/// A CPU generator: MT19937 engine plus the cached double normal sample.
#[derive(Clone, Debug)]
pub struct Generator {
    _private: (),
}

pub type GeneratorRef = Rc<RefCell<Generator>>;

/// The seed of a fresh `torch.Generator()` (c10::default_rng_seed_val).
pub const DEFAULT_RNG_SEED: u64 = 67280421310721;

impl Generator {
    pub fn new(seed: u64) -> Generator {
        let _ = seed;
        todo!("rng: Generator::new")
    }
    /// `manual_seed`: clears the cached normals and reseeds.
    pub fn manual_seed(&mut self, seed: u64) {
        let _ = seed;
        todo!("rng: manual_seed")
    }
    pub fn initial_seed(&self) -> u64 {
        todo!("rng: initial_seed")
    }
    /// `get_rng_state()` as bytes (engine words, left/next, seed, cached normals).
    pub fn get_state(&self) -> Vec<u8> {
        todo!("rng: get_state")
    }
    pub fn set_state(&mut self, state: &[u8]) -> Result<(), String> {
        let _ = state;
        todo!("rng: set_state")
    }
}

thread_local! {
    static DEFAULT: GeneratorRef = Rc::new(RefCell::new(Generator::new(DEFAULT_RNG_SEED)));
}

/// `torch.default_generator`.
pub fn default_generator() -> GeneratorRef {
    DEFAULT.with(|g| g.clone())
}

/// In place `uniform_(from, to)` over the viewed elements, in storage order.
pub fn uniform_(array: &NdArray, from: f64, to: f64, generator: &mut Generator) {
    let _ = (array, from, to, generator);
    todo!("rng: uniform_")
}
/// In place `normal_(mean, std)` (block path for contiguous arrays of >= 16 elements).
pub fn normal_(array: &NdArray, mean: f64, std: f64, generator: &mut Generator) {
    let _ = (array, mean, std, generator);
    todo!("rng: normal_")
}
/// In place `random_(from, to)`: integers in [from, to); `to` None means the dtype's top.
pub fn random_(array: &NdArray, from: i64, to: Option<i64>, generator: &mut Generator) {
    let _ = (array, from, to, generator);
    todo!("rng: random_")
}
/// `torch.randperm(n)` as int64.
pub fn randperm(n: usize, generator: &mut Generator) -> NdArray {
    let _ = (n, generator);
    todo!("rng: randperm")
}
/// `torch.bernoulli(p)` for a probability array (float32 or float64 rules), same shape and dtype.
pub fn bernoulli_tensor(p: &NdArray, generator: &mut Generator) -> NdArray {
    let _ = (p, generator);
    todo!("rng: bernoulli_tensor")
}
/// In place `bernoulli_(p)` with a Python float p.
pub fn bernoulli_scalar_(array: &NdArray, p: f64, generator: &mut Generator) {
    let _ = (array, p, generator);
    todo!("rng: bernoulli_scalar_")
}
