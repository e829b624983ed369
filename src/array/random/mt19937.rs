//! The MT19937 engine exactly as ATen's `at::mt19937` (rng.md §1): reference Mersenne Twister
//! seeding and tempering, with ATen's `left`/`next` bookkeeping kept verbatim so that
//! `get_rng_state()` reports the same numbers torch would.

pub(crate) const STATE_N: usize = 624;
const SHIFT_M: usize = 397;
const MATRIX_A: u32 = 0x9908_B0DF;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7FFF_FFFF;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mt19937 {
    /// The full 64-bit seed (what `initial_seed()` reports); only its low 32 bits seed `mt`.
    pub(crate) seed: u64,
    /// Draws left before the next regeneration, plus one (ATen's convention: 1 after seeding).
    pub(crate) left: u32,
    /// Index of the next state word to temper.
    pub(crate) next: u32,
    pub(crate) mt: [u32; STATE_N],
}

/// One step of the twist recurrence: `u` supplies the top bit, `v` the low 31 bits.
#[inline(always)]
fn mix(m: u32, u: u32, v: u32) -> u32 {
    let t = (u & UPPER_MASK) | (v & LOWER_MASK);
    // `0u32.wrapping_sub(v & 1) & MATRIX_A` is the branch-free "v odd ? MATRIX_A : 0".
    m ^ (t >> 1) ^ (0u32.wrapping_sub(v & 1) & MATRIX_A)
}

#[inline(always)]
fn temper(mut y: u32) -> u32 {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C_5680;
    y ^= (y << 15) & 0xEFC6_0000;
    y ^= y >> 18;
    y
}

impl Mt19937 {
    pub(crate) fn new(seed: u64) -> Mt19937 {
        let mut mt = [0u32; STATE_N];
        mt[0] = seed as u32;
        for i in 1..STATE_N {
            let prev = mt[i - 1];
            mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 {
            seed,
            left: 1,
            next: 0,
            mt,
        }
    }

    /// ATen's own validity test for a restored state.
    pub(crate) fn is_valid(&self) -> bool {
        self.left > 0 && self.left as usize <= STATE_N && self.next as usize <= STATE_N
    }

    /// Regenerates all 624 words in place, in increasing index order (split into the three
    /// index ranges so the `mod 624` disappears; the values are those of the reference loop).
    fn twist(&mut self) {
        let mt = &mut self.mt;
        for i in 0..STATE_N - SHIFT_M {
            mt[i] = mix(mt[i + SHIFT_M], mt[i], mt[i + 1]);
        }
        for i in STATE_N - SHIFT_M..STATE_N - 1 {
            mt[i] = mix(mt[i + SHIFT_M - STATE_N], mt[i], mt[i + 1]);
        }
        // The last word pairs with the already regenerated mt[0].
        mt[STATE_N - 1] = mix(mt[SHIFT_M - 1], mt[STATE_N - 1], mt[0]);
    }

    /// Makes at least one word available without regenerating, returning how many are.
    /// `left == 1` means the stream is exhausted: ATen then decrements to 0 and regenerates
    /// (leaving left = 624 after the draw); we regenerate with left = 625 before the
    /// decrement, which ends in the same state.
    #[inline(always)]
    fn available(&mut self) -> usize {
        if self.left <= 1 {
            self.twist();
            self.left = STATE_N as u32 + 1;
            self.next = 0;
        }
        (self.left - 1) as usize
    }

    /// `random()`: one 32-bit word.
    #[inline]
    pub(crate) fn next_u32(&mut self) -> u32 {
        self.available();
        self.left -= 1;
        let y = self.mt[self.next as usize];
        self.next += 1;
        temper(y)
    }

    /// `random64()`: two words, the first one is the high half.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        let hi = self.next_u32() as u64;
        let lo = self.next_u32() as u64;
        (hi << 32) | lo
    }

    /// Fills `out` with consecutive words; identical to calling `next_u32` for each slot, but
    /// tempers whole runs of the state array in one tight loop.
    pub(crate) fn fill_u32(&mut self, out: &mut [u32]) {
        let mut done = 0;
        while done < out.len() {
            let take = self.available().min(out.len() - done);
            let start = self.next as usize;
            for (o, &w) in out[done..done + take]
                .iter_mut()
                .zip(&self.mt[start..start + take])
            {
                *o = temper(w);
            }
            self.next += take as u32;
            self.left -= take as u32;
            done += take;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_match_reference_mt19937() {
        let mut e = Mt19937::new(0);
        let w: Vec<u32> = (0..4).map(|_| e.next_u32()).collect();
        assert_eq!(w, [0x8c7f0aac, 0x97c4aa2f, 0xb716a675, 0xd821ccc0]);
        let mut e = Mt19937::new(1);
        let w: Vec<u32> = (0..3).map(|_| e.next_u32()).collect();
        assert_eq!(w, [0x6ac1f425, 0xff4780eb, 0xb8672f8c]);
        let mut e = Mt19937::new(42);
        let w: Vec<u32> = (0..3).map(|_| e.next_u32()).collect();
        assert_eq!(w, [0x5fe1dc66, 0xcbea3db3, 0xf362035c]);
    }

    #[test]
    fn std_mt19937_default_seed_10000th_word() {
        // The C++ standard's conformance value: std::mt19937 (seed 5489), 10000th output.
        let mut e = Mt19937::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = e.next_u32();
        }
        assert_eq!(last, 4_123_659_995);
    }

    #[test]
    fn only_low_32_bits_of_seed_matter() {
        let mut a = Mt19937::new((1u64 << 40) + 7);
        let mut b = Mt19937::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_eq!(a.seed, (1u64 << 40) + 7);
    }

    #[test]
    fn random64_puts_first_word_high() {
        let mut e = Mt19937::new(0);
        assert_eq!(e.next_u64(), 0x8c7f0aac_97c4aa2f);
    }

    #[test]
    fn bulk_fill_equals_single_draws_and_state() {
        for skip in [0usize, 1, 623, 624, 625] {
            let mut a = Mt19937::new(3);
            let mut b = Mt19937::new(3);
            for _ in 0..skip {
                a.next_u32();
                b.next_u32();
            }
            let mut buf = vec![0u32; 2000];
            a.fill_u32(&mut buf);
            let single: Vec<u32> = (0..2000).map(|_| b.next_u32()).collect();
            assert_eq!(buf, single);
            assert_eq!(a, b);
        }
    }

    #[test]
    fn bookkeeping_matches_aten_after_first_draw() {
        let mut e = Mt19937::new(0);
        assert_eq!((e.left, e.next), (1, 0));
        e.next_u32();
        assert_eq!((e.left, e.next), (624, 1));
        for _ in 0..623 {
            e.next_u32();
        }
        assert_eq!((e.left, e.next), (1, 624));
        e.next_u32();
        assert_eq!((e.left, e.next), (624, 1));
    }
}
