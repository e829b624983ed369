//! The float32 Box–Muller block transform of torch's AVX2 kernel (rng.md §5.4): Cephes-style
//! `log` and `sincos` in pure float32, with `mul_add` exactly where GCC fused the x86 build
//! and plain (separately rounded) arithmetic everywhere else. No libm, so it is portable.
//!
//! Written as a branch-free per-lane function over 8 lanes so that, compiled with the `fma`
//! target feature, LLVM vectorises the lane loop; IEEE semantics (no contraction, no
//! reassociation) make the vector code bit-identical to the scalar one.

const TWO_PI_F: f32 = f32::from_bits(0x40C9_0FDB);
const SQRTHF: f32 = f32::from_bits(0x3F35_04F3);
const LOG_P: [f32; 9] = [
    f32::from_bits(0x3D90_21BB),
    f32::from_bits(0xBDEB_D1B8),
    f32::from_bits(0x3DEF_251A),
    f32::from_bits(0xBDFE_5D4F),
    f32::from_bits(0x3E11_E9BF),
    f32::from_bits(0xBE2A_AE50),
    f32::from_bits(0x3E4C_CEAC),
    f32::from_bits(0xBE7F_FFFC),
    f32::from_bits(0x3EAA_AAAA),
];
const LOG_Q1: f32 = f32::from_bits(0xB95E_8083);
const LOG_Q2: f32 = f32::from_bits(0x3F31_8000);
const FOPI: f32 = f32::from_bits(0x3FA2_F983);
const DP1: f32 = f32::from_bits(0xBF49_0000);
const DP2: f32 = f32::from_bits(0xB97D_A000);
const DP3: f32 = f32::from_bits(0xB322_2169);
const SIN_P: [f32; 3] = [
    f32::from_bits(0xB94C_A1F9),
    f32::from_bits(0x3C08_839E),
    f32::from_bits(0xBE2A_AAA3),
];
const COS_P: [f32; 3] = [
    f32::from_bits(0x37CC_F5CE),
    f32::from_bits(0xBAB6_061A),
    f32::from_bits(0x3D2A_AAA5),
];
/// Smallest normal float: `log256_ps` clamps its input to it.
const MIN_NORM: f32 = f32::from_bits(0x0080_0000);
const SIGN: u32 = 0x8000_0000;

/// `log256_ps` for one lane (input > 0).
#[inline(always)]
pub(crate) fn log_ps(u: f32) -> f32 {
    let x = if u < MIN_NORM { MIN_NORM } else { u };
    let bits = x.to_bits();
    let biased_exp = (bits >> 23) as i32;
    let m = f32::from_bits((bits & 0x807F_FFFF) | 0x3F00_0000);
    let small = m < SQRTHF;
    let e = ((biased_exp - 127) as f32 + 1.0) - if small { 1.0 } else { 0.0 };
    let t = (m - 1.0) + if small { m } else { 0.0 };
    let z = t * t;
    let mut y = LOG_P[0];
    for &p in &LOG_P[1..] {
        y = y.mul_add(t, p);
    }
    y *= t;
    y = y.mul_add(z, e * LOG_Q1);
    y -= z * 0.5;
    (t + y) + e * LOG_Q2
}

/// `sincos256_ps` for one lane with θ ≥ 0: returns (sin, cos).
#[inline(always)]
pub(crate) fn sincos_ps(theta: f32) -> (f32, f32) {
    let j = (theta * FOPI) as i32;
    let q = (j + 1) & !1;
    let yq = q as f32;
    let mut r = yq.mul_add(DP1, theta);
    r = yq.mul_add(DP2, r);
    r = yq.mul_add(DP3, r);
    let z = r * r;

    let mut pc = COS_P[0].mul_add(z, COS_P[1]);
    pc = pc.mul_add(z, COS_P[2]);
    pc *= z;
    pc = pc.mul_add(z, -(z * 0.5));
    pc += 1.0;

    let mut ps = SIN_P[0].mul_add(z, SIN_P[1]);
    ps = ps.mul_add(z, SIN_P[2]);
    ps *= z;
    ps = ps.mul_add(r, r);

    let swap = q & 2 != 0;
    // The kernel adds +0.0 after selecting (turns −0 into +0) and then applies the signs.
    let s = (if swap { pc } else { ps }) + 0.0;
    let c = (if swap { ps } else { pc }) + 0.0;
    let sin_sign = if q & 4 != 0 { SIGN } else { 0 };
    let cos_sign = if q.wrapping_sub(2) & 4 == 0 { SIGN } else { 0 };
    (
        f32::from_bits(s.to_bits() ^ sin_sign),
        f32::from_bits(c.to_bits() ^ cos_sign),
    )
}

/// `normal_fill_16_AVX2` on one block: lane j pairs d[j] with d[j+8].
#[inline(always)]
fn fill_16(d: &mut [f32], mean: f32, std: f32) {
    let (lo, hi) = d.split_at_mut(8);
    for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
        let u1 = 1.0 - *a;
        let radius = (-2.0 * log_ps(u1)).sqrt();
        let theta = TWO_PI_F * *b;
        let (s, c) = sincos_ps(theta);
        *a = (radius * c).mul_add(std, mean);
        *b = (radius * s).mul_add(std, mean);
    }
}

#[inline(always)]
fn fill_blocks(d: &mut [f32], mean: f32, std: f32) {
    for block in d.chunks_exact_mut(16) {
        fill_16(block, mean, std);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fill_blocks_fma(d: &mut [f32], mean: f32, std: f32) {
    fill_blocks(d, mean, std)
}

/// Transforms every complete 16-block of `d` in place (a trailing partial block is left).
/// Uses hardware FMA when present; the portable path (libm `fmaf`) gives the same bits.
pub(crate) fn normal_fill_blocks_f32(d: &mut [f32], mean: f32, std: f32) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the required CPU features were just detected at run time.
        unsafe { fill_blocks_fma(d, mean, std) };
        return;
    }
    fill_blocks(d, mean, std)
}

/// The portable transform, for tests comparing it with the dispatched one.
#[cfg(test)]
pub(crate) fn normal_fill_blocks_f32_portable(d: &mut [f32], mean: f32, std: f32) {
    fill_blocks(d, mean, std)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)] // decimal values as written in rng.md
    fn constants_have_spec_values() {
        assert_eq!(TWO_PI_F, std::f32::consts::TAU);
        assert_eq!(SQRTHF, std::f32::consts::FRAC_1_SQRT_2);
        assert_eq!(LOG_Q2, 0.693359375);
        assert_eq!(FOPI, 1.2732395);
        assert_eq!(DP1, -0.78515625);
    }

    #[test]
    fn log_and_sincos_are_close_to_exact() {
        for i in 1..2000 {
            let x = i as f32 / 2000.0;
            assert!((log_ps(x) as f64 - (x as f64).ln()).abs() < 1e-6, "log {x}");
            let th = x * std::f32::consts::TAU;
            let (s, c) = sincos_ps(th);
            assert!((s as f64 - (th as f64).sin()).abs() < 1e-6, "sin {th}");
            assert!((c as f64 - (th as f64).cos()).abs() < 1e-6, "cos {th}");
        }
    }

    #[test]
    fn sincos_of_zero_has_spec_signs() {
        let (s, c) = sincos_ps(0.0);
        assert_eq!(s.to_bits(), 0);
        assert_eq!(c, 1.0);
    }
}
