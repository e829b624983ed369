//! CPython's Mersenne Twister (`Modules/_randommodule.c`) bit for bit: `init_by_array`
//! seeding from the 32-bit words of `abs(seed)`, `genrand_uint32`, the 53-bit `random()`,
//! and `getrandbits`. This is Python's `random`, not PyTorch's generator (`array::random`
//! seeds differently and keeps ATen's bookkeeping).

pub const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

#[derive(Clone)]
pub struct PyMt {
    pub mt: [u32; N],
    /// Index of the next word; `N` means "twist before the next draw".
    pub index: usize,
}

impl PyMt {
    fn init_genrand(s: u32) -> PyMt {
        let mut mt = [0u32; N];
        mt[0] = s;
        for i in 1..N {
            mt[i] = 1_812_433_253u32
                .wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        PyMt { mt, index: N }
    }

    /// `init_by_array(key)`; an empty key is treated as `[0]`, as CPython seeds 0.
    pub fn from_key(key: &[u32]) -> PyMt {
        let zero = [0u32];
        let key = if key.is_empty() { &zero[..] } else { key };
        let mut s = PyMt::init_genrand(19_650_218);
        let mt = &mut s.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        s
    }

    /// Seeds from a non-negative integer given as little-endian 32-bit words.
    pub fn from_u64(n: u64) -> PyMt {
        let words: Vec<u32> = if n >> 32 == 0 {
            vec![n as u32]
        } else {
            vec![n as u32, (n >> 32) as u32]
        };
        PyMt::from_key(&words)
    }

    fn twist(&mut self) {
        let mt = &mut self.mt;
        let mag = |y: u32| if y & 1 == 1 { MATRIX_A } else { 0 };
        for kk in 0..N - M {
            let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag(y);
        }
        for kk in N - M..N - 1 {
            let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M - N] ^ (y >> 1) ^ mag(y);
        }
        let y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag(y);
        self.index = 0;
    }

    pub fn genrand_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random.random()`: 53 random bits as a float in [0, 1).
    pub fn random(&mut self) -> f64 {
        let a = (self.genrand_u32() >> 5) as f64;
        let b = (self.genrand_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` as little-endian 32-bit words (the last one holding `k % 32` bits).
    pub fn getrandbits_words(&mut self, k: u64) -> Vec<u32> {
        let mut out = Vec::new();
        let mut left = k;
        while left > 0 {
            let mut r = self.genrand_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            out.push(r);
            left = left.saturating_sub(32);
        }
        out
    }

    /// `getrandbits(k)` for `k <= 64`.
    pub fn getrandbits_u64(&mut self, k: u32) -> u64 {
        if k <= 32 {
            if k == 0 {
                return 0;
            }
            return (self.genrand_u32() >> (32 - k)) as u64;
        }
        let w = self.getrandbits_words(k as u64);
        w[0] as u64 | (w[1] as u64) << 32
    }

    /// `_randbelow_with_getrandbits(n)` for `0 < n <= 2**63`.
    pub fn randbelow(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        let mut r = self.getrandbits_u64(k);
        while r >= n {
            r = self.getrandbits_u64(k);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from CPython 3.11: `random.seed(S); [random.random() ...]`,
    // `random.getrandbits(...)`.
    #[test]
    fn matches_cpython_streams() {
        let mut g = PyMt::from_u64(0);
        assert_eq!(g.random(), 0.8444218515250481);
        assert_eq!(g.random(), 0.7579544029403025);
        let mut g = PyMt::from_u64(42);
        assert_eq!(g.random(), 0.6394267984578837);
        assert_eq!(g.getrandbits_u64(32), 107_420_369);
        let mut g = PyMt::from_u64(1 << 40);
        assert_eq!(g.random(), 0.1036394562812375);
        let mut g = PyMt::from_u64(7);
        assert_eq!(g.getrandbits_u64(64), 17_485_029_721_327_973_432);
        assert_eq!(g.randbelow(10), 2);
    }
}
