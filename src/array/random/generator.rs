//! The CPU generator object (rng.md §2): engine + cached normal samples, seeding, and the
//! `get_rng_state()` byte layout.
//!
//! The state bytes reproduce ATen's `CPUGeneratorImplState` POD on x86-64 (5056 bytes,
//! little endian, zero padding), so `torch.get_rng_state()` has torch's size and contents.

use super::mt19937::{Mt19937, STATE_N};

/// A CPU generator: MT19937 engine plus the cached double normal sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Generator {
    pub(crate) engine: Mt19937,
    /// The pending `r·sin θ` of the scalar Box–Muller path (rng.md §5.2).
    pub(crate) next_double_normal: Option<f64>,
    /// Kept only so states round-trip: no CPU kernel reads it.
    pub(crate) next_float_normal: Option<f32>,
}

// Offsets inside CPUGeneratorImplState (legacy POD + float cache), x86-64 alignment.
const OFF_SEED: usize = 0;
const OFF_LEFT: usize = 8;
const OFF_SEEDED: usize = 12;
const OFF_NEXT: usize = 16;
const OFF_STATE: usize = 24; // 624 words widened to u64
const OFF_NORMAL_X: usize = OFF_STATE + 8 * STATE_N; // 5016, unused dummy
const OFF_NORMAL_Y: usize = OFF_NORMAL_X + 8; // the cached double normal
const OFF_NORMAL_VALID: usize = OFF_NORMAL_Y + 16; // after the unused normal_rho
const OFF_FLOAT_NORMAL: usize = 5048;
const OFF_FLOAT_VALID: usize = 5052;
/// `torch.get_rng_state().numel()`.
pub const STATE_SIZE: usize = 5056;

fn read_u64(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}
fn read_i32(b: &[u8], at: usize) -> i32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    i32::from_le_bytes(w)
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            engine: Mt19937::new(seed),
            next_double_normal: None,
            next_float_normal: None,
        }
    }
    /// `manual_seed`: clears the cached normals and reseeds.
    pub fn manual_seed(&mut self, seed: u64) {
        *self = Generator::new(seed);
    }
    /// `torch.seed()`: reseeds from the OS and returns the new seed.
    pub fn seed(&mut self) -> u64 {
        let s = seed_from_os();
        self.manual_seed(s);
        s
    }
    pub fn initial_seed(&self) -> u64 {
        self.engine.seed
    }
    /// `random()`: the next 32-bit word of the stream.
    pub fn random(&mut self) -> u32 {
        self.engine.next_u32()
    }
    /// `random64()`: two words, first one high.
    pub fn random64(&mut self) -> u64 {
        self.engine.next_u64()
    }

    /// `get_rng_state()` as bytes (engine words, left/next, seed, cached normals).
    pub fn get_state(&self) -> Vec<u8> {
        let mut b = vec![0u8; STATE_SIZE];
        let e = &self.engine;
        b[OFF_SEED..OFF_SEED + 8].copy_from_slice(&e.seed.to_le_bytes());
        b[OFF_LEFT..OFF_LEFT + 4].copy_from_slice(&(e.left as i32).to_le_bytes());
        b[OFF_SEEDED..OFF_SEEDED + 4].copy_from_slice(&1i32.to_le_bytes());
        b[OFF_NEXT..OFF_NEXT + 8].copy_from_slice(&(e.next as u64).to_le_bytes());
        for (i, &w) in e.mt.iter().enumerate() {
            let at = OFF_STATE + 8 * i;
            b[at..at + 8].copy_from_slice(&(w as u64).to_le_bytes());
        }
        if let Some(y) = self.next_double_normal {
            b[OFF_NORMAL_Y..OFF_NORMAL_Y + 8].copy_from_slice(&y.to_le_bytes());
            b[OFF_NORMAL_VALID..OFF_NORMAL_VALID + 4].copy_from_slice(&1i32.to_le_bytes());
        }
        if let Some(f) = self.next_float_normal {
            b[OFF_FLOAT_NORMAL..OFF_FLOAT_NORMAL + 4].copy_from_slice(&f.to_le_bytes());
            b[OFF_FLOAT_VALID] = 1;
        }
        b
    }

    /// `set_rng_state(bytes)`; the error strings are ATen's (the bindings add the
    /// `RuntimeError:` prefix).
    pub fn set_state(&mut self, state: &[u8]) -> Result<(), String> {
        if state.len() != STATE_SIZE {
            return Err(format!(
                "Expected a CPUGeneratorImplState of size {} but found the input RNG state size to be {}",
                STATE_SIZE,
                state.len()
            ));
        }
        let invalid = || "Invalid mt19937 state".to_string();
        let left = read_i32(state, OFF_LEFT);
        let seeded = read_i32(state, OFF_SEEDED);
        let next = read_u64(state, OFF_NEXT) as u32;
        let mut mt = [0u32; STATE_N];
        for (i, w) in mt.iter_mut().enumerate() {
            *w = read_u64(state, OFF_STATE + 8 * i) as u32;
        }
        let engine = Mt19937 {
            seed: read_u64(state, OFF_SEED),
            left: u32::try_from(left).map_err(|_| invalid())?,
            next,
            mt,
        };
        if seeded == 0 || !engine.is_valid() {
            return Err(invalid());
        }
        self.engine = engine;
        self.next_double_normal = (read_i32(state, OFF_NORMAL_VALID) != 0)
            .then(|| f64::from_bits(read_u64(state, OFF_NORMAL_Y)));
        self.next_float_normal = (state[OFF_FLOAT_VALID] != 0).then(|| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&state[OFF_FLOAT_NORMAL..OFF_FLOAT_NORMAL + 4]);
            f32::from_le_bytes(w)
        });
        Ok(())
    }
}

/// ATen's `getNonDeterministicRandom()`: 8 bytes of /dev/urandom, or the clock if that fails.
pub fn seed_from_os() -> u64 {
    use std::io::Read;
    let mut buf = [0u8; 8];
    let from_urandom = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf));
    if from_urandom.is_ok() {
        return u64::from_le_bytes(buf);
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_including_cached_normals() {
        let mut g = Generator::new(0);
        for _ in 0..700 {
            g.random();
        }
        g.next_double_normal = Some(0.5684);
        g.next_float_normal = Some(-1.25);
        let bytes = g.get_state();
        assert_eq!(bytes.len(), 5056);
        let mut h = Generator::new(99);
        h.set_state(&bytes).expect("valid state");
        assert_eq!(h, g);
        assert_eq!(h.random(), g.random());
    }

    #[test]
    fn state_layout_is_atens() {
        let g = Generator::new(0);
        let b = g.get_state();
        assert_eq!(read_u64(&b, 0), 0); // seed
        assert_eq!(read_i32(&b, 8), 1); // left
        assert_eq!(read_i32(&b, 12), 1); // seeded
        assert_eq!(read_u64(&b, 16), 0); // next
        assert_eq!(read_u64(&b, 24 + 8), 1); // mt[1] for seed 0
        assert_eq!(read_u64(&b, 24 + 16), 1_812_433_255); // mt[2]
        assert_eq!(read_i32(&b, 5040), 0); // no cached normal
    }

    #[test]
    fn set_state_rejects_bad_input() {
        let mut g = Generator::new(0);
        assert_eq!(
            g.set_state(&[0u8; 10]).unwrap_err(),
            "Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 10"
        );
        let mut b = g.get_state();
        b[8..12].copy_from_slice(&0i32.to_le_bytes());
        assert_eq!(g.set_state(&b).unwrap_err(), "Invalid mt19937 state");
        b[8..12].copy_from_slice(&700i32.to_le_bytes());
        assert_eq!(g.set_state(&b).unwrap_err(), "Invalid mt19937 state");
    }

    #[test]
    fn manual_seed_clears_cache_and_keeps_full_seed() {
        let mut g = Generator::new(5);
        g.next_double_normal = Some(1.0);
        g.manual_seed(u64::MAX - 4);
        assert_eq!(g.next_double_normal, None);
        assert_eq!(g.initial_seed(), u64::MAX - 4);
        let mut h = Generator::new((u64::MAX - 4) & 0xFFFF_FFFF);
        assert_eq!(g.random64(), h.random64());
    }

    #[test]
    fn os_seed_varies() {
        // Two 64-bit draws from the OS colliding would be astronomically unlikely.
        assert_ne!(seed_from_os(), seed_from_os());
    }
}
