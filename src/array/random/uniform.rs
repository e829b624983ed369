//! Words → uniforms (rng.md §3): float32 from the low 24 bits of one word, float64 from the
//! low 53 bits of a 64-bit draw; bounds applied with the single rounding of the AVX2 build's
//! fused multiply-add, and a result equal to `to` replaced by `from`.

use super::mt19937::Mt19937;

const F32_MASK: u32 = (1 << 24) - 1;
const F32_SCALE: f32 = 1.0 / (1u32 << 24) as f32;
const F64_MASK: u64 = (1 << 53) - 1;
const F64_SCALE: f64 = 1.0 / (1u64 << 53) as f64;

/// Words per refill of the stack buffer: large enough to amortise the engine bookkeeping,
/// small enough to stay in L1.
const WORDS: usize = 512;

/// [0, 1 − 2^-24], exact.
#[inline(always)]
pub(crate) fn unit_f32(w: u32) -> f32 {
    (w & F32_MASK) as f32 * F32_SCALE
}

/// [0, 1 − 2^-53], exact.
#[inline(always)]
pub(crate) fn unit_f64(w: u64) -> f64 {
    (w & F64_MASK) as f64 * F64_SCALE
}

/// Fills `out` with `uniform(0, 1)` float32 values, one word each.
pub(crate) fn fill_unit_f32(e: &mut Mt19937, out: &mut [f32]) {
    let mut words = [0u32; WORDS];
    for chunk in out.chunks_mut(WORDS) {
        let w = &mut words[..chunk.len()];
        e.fill_u32(w);
        for (o, &w) in chunk.iter_mut().zip(w.iter()) {
            *o = unit_f32(w);
        }
    }
}

/// Fills `out` with `uniform(0, 1)` float64 values, two words (high first) each.
pub(crate) fn fill_unit_f64(e: &mut Mt19937, out: &mut [f64]) {
    let mut words = [0u32; WORDS];
    for chunk in out.chunks_mut(WORDS / 2) {
        let w = &mut words[..2 * chunk.len()];
        e.fill_u32(w);
        for (o, pair) in chunk.iter_mut().zip(w.chunks_exact(2)) {
            *o = unit_f64(((pair[0] as u64) << 32) | pair[1] as u64);
        }
    }
}

/// `uniform_real_distribution<float>(from, to)`: bounds rounded to float32 first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UniformF32 {
    from: f32,
    to: f32,
    range: f32,
}

impl UniformF32 {
    pub(crate) fn new(from: f64, to: f64) -> UniformF32 {
        let (from, to) = (from as f32, to as f32);
        UniformF32 {
            from,
            to,
            range: to - from,
        }
    }
    #[inline(always)]
    pub(crate) fn apply(self, x: f32) -> f32 {
        let v = x.mul_add(self.range, self.from);
        if v == self.to { self.from } else { v }
    }
    /// `(0, 1)` is the identity on [0, 1): skip the arithmetic.
    fn is_unit(self) -> bool {
        self.from == 0.0 && self.to == 1.0
    }
}

/// `uniform_real_distribution<double>(from, to)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UniformF64 {
    from: f64,
    to: f64,
    range: f64,
}

impl UniformF64 {
    pub(crate) fn new(from: f64, to: f64) -> UniformF64 {
        UniformF64 {
            from,
            to,
            range: to - from,
        }
    }
    #[inline(always)]
    pub(crate) fn apply(self, x: f64) -> f64 {
        let v = x.mul_add(self.range, self.from);
        if v == self.to { self.from } else { v }
    }
    fn is_unit(self) -> bool {
        self.from == 0.0 && self.to == 1.0
    }
}

pub(crate) fn fill_uniform_f32(e: &mut Mt19937, out: &mut [f32], u: UniformF32) {
    fill_unit_f32(e, out);
    if !u.is_unit() {
        out.iter_mut().for_each(|v| *v = u.apply(*v));
    }
}

pub(crate) fn fill_uniform_f64(e: &mut Mt19937, out: &mut [f64], u: UniformF64) {
    fill_unit_f64(e, out);
    if !u.is_unit() {
        out.iter_mut().for_each(|v| *v = u.apply(*v));
    }
}

/// One `uniform(0, 1)` double (the scalar normal path and Bernoulli use single draws).
#[inline]
pub(crate) fn next_unit_f64(e: &mut Mt19937) -> f64 {
    unit_f64(e.next_u64())
}

#[inline]
pub(crate) fn next_unit_f32(e: &mut Mt19937) -> f32 {
    unit_f32(e.next_u32())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)] // decimal values as written in rng.md §10
    fn rand_f32_seed_vectors() {
        // rng.md §10: rand(3) for seeds 0, 1, 42.
        let cases: [(u64, [f32; 3]); 3] = [
            (0, [0.49625659, 0.76822180, 0.08847743]),
            (1, [0.75763160, 0.27931088, 0.40306926]),
            (42, [0.88226926, 0.91500396, 0.38286376]),
        ];
        for (seed, want) in cases {
            let mut e = Mt19937::new(seed);
            let mut got = [0f32; 3];
            fill_unit_f32(&mut e, &mut got);
            assert_eq!(got, want, "seed {seed}");
        }
    }

    #[test]
    fn rand_f64_seed0() {
        let mut e = Mt19937::new(0);
        let mut got = [0f64; 2];
        fill_unit_f64(&mut e, &mut got);
        assert_eq!(got, [0.9700530018065531, 0.707819864399788]);
    }

    #[test]
    fn upper_bound_maps_to_from() {
        // x = 1 − 2^-24 in uniform_(1, 2) rounds (ties to even) up to 2.0 → replaced by 1.0.
        let u = UniformF32::new(1.0, 2.0);
        assert_eq!(u.apply(1.0 - F32_SCALE), 1.0);
        let u = UniformF32::new(0.5, 1.0);
        assert_eq!(u.apply(1.0 - F32_SCALE), 0.5);
        assert_eq!(UniformF32::new(1.0, 3.0).apply(1.0 - F32_SCALE), 1.0);
    }
}
