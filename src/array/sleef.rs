//! The float32 SLEEF 3.6 functions PyTorch's AVX2 `Vectorized<float>` calls where ATen
//! computes with vectors itself (softmax, log_softmax) or `vml.h` does not use MKL (`log1p`):
//! `Sleef_expf8_u10` (`xexpf`), `Sleef_logf8_u10` (`xlogf_u1`), `Sleef_log1pf8_u10`
//! (`xlog1pf`), `Sleef_expm1f8_u10` (`xexpm1f`), lane by lane. SLEEF's AVX2 build fuses exactly the
//! `vmla`/`vfma` steps (`ENABLE_FMA_SP`) and nothing else (`-ffp-contract=off`), so those are
//! `mul_add` here and every other operation is rounded on its own.
//!
//! Elementwise `torch.exp`/`torch.log` on tensors go through MKL's VML instead, whose
//! algorithm is not public; those keep the platform libm.

/// `xexpf`: exp(d) for one lane.
pub(crate) fn expf_u10(d: f32) -> f32 {
    const R_LN2F: f32 = std::f32::consts::LOG2_E;
    const L2UF: f32 = f32::from_bits(0x3f31_7200);
    const L2LF: f32 = f32::from_bits(0x35bf_be8e);
    let q = (d * R_LN2F).round_ties_even() as i32;
    let qf = q as f32;
    let s = qf.mul_add(-L2UF, d);
    let s = qf.mul_add(-L2LF, s);
    let mut u = f32::from_bits(0x3950_2bda);
    for c in [
        f32::from_bits(0x3ab6_96c9),
        f32::from_bits(0x3c08_88a6),
        f32::from_bits(0x3d2a_aa7a),
        f32::from_bits(0x3e2a_aaab),
        0.5,
    ] {
        u = u.mul_add(s, c);
    }
    let u = 1.0 + (s * s).mul_add(u, s);
    let u = u * pow2i(q >> 1) * pow2i(q - (q >> 1));
    if d < -104.0 {
        0.0
    } else if d > 100.0 {
        f32::INFINITY
    } else {
        u
    }
}

/// `vpow2i_vf_vi2`: 2^q by building the exponent field.
fn pow2i(q: i32) -> f32 {
    f32::from_bits(((q + 0x7f) as u32) << 23)
}

/// A double-float (SLEEF's `vfloat2`): value `x + y`.
#[derive(Clone, Copy)]
struct F2(f32, f32);

fn dfadd2_f_f(x: f32, y: f32) -> F2 {
    let s = x + y;
    let v = s - x;
    F2(s, (x - (s - v)) + (y - v))
}
fn dfadd_f2_f2(x: F2, y: F2) -> F2 {
    let s = x.0 + y.0;
    F2(s, (((x.0 - s) + y.0) + x.1) + y.1)
}
fn dfadd_f2_f(x: F2, y: f32) -> F2 {
    let s = x.0 + y;
    F2(s, ((x.0 - s) + y) + x.1)
}
fn dfmul_f2_f(x: F2, y: f32) -> F2 {
    let s = x.0 * y;
    F2(s, x.1.mul_add(y, x.0.mul_add(y, -s)))
}
fn dfdiv(n: F2, d: F2) -> F2 {
    let t = 1.0 / d.0;
    let s = n.0 * t;
    let u = t.mul_add(n.0, -s);
    let v = (-d.1).mul_add(t, (-d.0).mul_add(t, 1.0));
    F2(s, s.mul_add(v, n.1.mul_add(t, u)))
}

/// `xlogf_u1` (the AVX2 branch): log(d) for one lane.
pub(crate) fn logf_u10(d: f32) -> f32 {
    let small = d < f32::MIN_POSITIVE;
    let dd = if small {
        d * ((1u64 << 32) as f32 * (1u64 << 32) as f32)
    } else {
        d
    };
    let mut e = (((dd * (1.0 / 0.75)).to_bits() >> 23) & 0xff) as i32 - 0x7f;
    let m = f32::from_bits((dd.to_bits() as i32).wrapping_add((-e).wrapping_shl(23)) as u32);
    if small {
        e -= 64;
    }
    let s = dfmul_f2_f(
        F2(f32::from_bits(0x3f31_7218), f32::from_bits(0xb102_e308)),
        e as f32,
    );
    let x = dfdiv(dfadd2_f_f(-1.0, m), dfadd2_f_f(1.0, m));
    let x2 = x.0 * x.0;
    let t = f32::from_bits(0x3e9a_ff5c).mul_add(x2, f32::from_bits(0x3ecc_99ca));
    let t = t.mul_add(x2, f32::from_bits(0x3f2a_aada));
    let s = dfadd_f2_f2(s, F2(x.0 * 2.0, x.1 * 2.0));
    let s = dfadd_f2_f(s, (x2 * x.0) * t);
    let r = s.0 + s.1;
    if d == f32::INFINITY {
        f32::INFINITY
    } else if d < 0.0 || d.is_nan() {
        f32::NAN
    } else if d == 0.0 {
        f32::NEG_INFINITY
    } else {
        r
    }
}

/// `xlog1pf` (the AVX2 branch): log(1 + d) for one lane. ATen's `log1p` is not among the
/// functions `vml.h` sends to MKL, so elementwise `torch.log1p` is exactly this.
pub(crate) fn log1pf_u10(d: f32) -> f32 {
    let mut dp1 = d + 1.0;
    let small = dp1 < f32::MIN_POSITIVE;
    if small {
        dp1 *= (1u64 << 32) as f32 * (1u64 << 32) as f32;
    }
    let mut e = (((dp1 * (1.0 / 0.75)).to_bits() >> 23) & 0xff) as i32 - 0x7f;
    let t = f32::from_bits(
        1.0f32
            .to_bits()
            .wrapping_add(((-e) as u32).wrapping_shl(23)),
    );
    let m = d.mul_add(t, t - 1.0);
    if small {
        e -= 64;
    }
    let s = dfmul_f2_f(
        F2(f32::from_bits(0x3f31_7218), f32::from_bits(0xb102_e308)),
        e as f32,
    );
    let two_m = 2.0 + m;
    let x = dfdiv(F2(m, 0.0), F2(two_m, (2.0 - two_m) + m));
    let x2 = x.0 * x.0;
    let t = f32::from_bits(0x3e9a_ff5c).mul_add(x2, f32::from_bits(0x3ecc_99ca));
    let t = t.mul_add(x2, f32::from_bits(0x3f2a_aada));
    let s = dfadd_f2_f2(s, F2(x.0 * 2.0, x.1 * 2.0));
    let s = dfadd_f2_f(s, (x2 * x.0) * t);
    let r = s.0 + s.1;
    if d > 1e38 {
        f32::INFINITY
    } else if d < -1.0 || d.is_nan() {
        f32::NAN
    } else if d == -1.0 {
        f32::NEG_INFINITY
    } else if d == 0.0 && d.is_sign_negative() {
        -0.0
    } else {
        r
    }
}

fn dfadd2_f2_f(x: F2, y: f32) -> F2 {
    let s = x.0 + y;
    let v = s - x.0;
    F2(s, ((x.0 - (s - v)) + (y - v)) + x.1)
}
fn dfadd2_f2_f2(x: F2, y: F2) -> F2 {
    let s = x.0 + y.0;
    let v = s - x.0;
    F2(s, ((x.0 - (s - v)) + (y.0 - v)) + (x.1 + y.1))
}
fn dfadd_f_f2(x: f32, y: F2) -> F2 {
    let s = x + y.0;
    F2(s, ((x - s) + y.0) + y.1)
}
fn dfmul_f2_f2(x: F2, y: F2) -> F2 {
    let s = x.0 * y.0;
    F2(s, x.0.mul_add(y.1, x.1.mul_add(y.0, x.0.mul_add(y.0, -s))))
}
fn dfsqu(x: F2) -> F2 {
    let s = x.0 * x.0;
    F2(s, (x.0 + x.0).mul_add(x.1, x.0.mul_add(x.0, -s)))
}
fn ldexp2(d: f32, q: i32) -> f32 {
    d * pow2i(q >> 1) * pow2i(q - (q >> 1))
}

/// `expk2f`: exp of a double-float, as a double-float.
fn expk2f(d: F2) -> F2 {
    let u = (d.0 + d.1) * std::f32::consts::LOG2_E;
    let q = u.round_ties_even() as i32;
    let qf = q as f32;
    let s = dfadd2_f2_f(d, qf * -f32::from_bits(0x3f31_7200));
    let s = dfadd2_f2_f(s, qf * -f32::from_bits(0x35bf_be8e));
    let mut u = f32::from_bits(0x394f_b7ff);
    for c in [0x3ab6_bf7c, 0x3c08_890d, 0x3d2a_aa5c] {
        u = u.mul_add(s.0, f32::from_bits(c));
    }
    let t = dfadd2_f2_f(dfmul_f2_f(s, u), f32::from_bits(0x3e2a_aaaa));
    let t = dfadd2_f2_f(dfmul_f2_f2(s, t), 0.5);
    let t = dfadd2_f2_f2(s, dfmul_f2_f2(dfsqu(s), t));
    let t = dfadd_f_f2(1.0, t);
    if d.0 < -104.0 {
        F2(0.0, 0.0)
    } else {
        F2(ldexp2(t.0, q), ldexp2(t.1, q))
    }
}

/// `xexpm1f`: exp(a) - 1 for one lane (`vml.h` does not send expm1 to MKL either).
pub(crate) fn expm1f_u10(a: f32) -> f32 {
    let d = dfadd2_f2_f(expk2f(F2(a, 0.0)), -1.0);
    if a > f32::from_bits(0x42b1_7217) {
        f32::INFINITY
    } else if a < f32::from_bits(0xc185_1592) {
        -1.0
    } else if a == 0.0 && a.is_sign_negative() {
        -0.0
    } else {
        d.0 + d.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_log_are_accurate_and_special_cases_hold() {
        for i in -400..400 {
            let x = i as f32 * 0.173;
            let want = (x as f64).exp();
            assert!(
                ((expf_u10(x) as f64 - want) / want).abs() < 2.5e-7,
                "exp {x}"
            );
            let y = (i as f32 * 0.37).abs() + 1e-3;
            let want = (y as f64).ln();
            assert!((logf_u10(y) as f64 - want).abs() <= 2.5e-7 * want.abs().max(1e-3));
        }
        for i in 0..500 {
            let x = i as f32 * 0.0173 - 0.99;
            let want = (x as f64).ln_1p();
            assert!((log1pf_u10(x) as f64 - want).abs() <= 2.5e-7 * want.abs().max(1e-30));
        }
        for i in 0..500 {
            let x = i as f32 * 0.031 - 7.0;
            let want = (x as f64).exp_m1();
            assert!((expm1f_u10(x) as f64 - want).abs() <= 2.5e-7 * want.abs().max(1e-30));
        }
        assert_eq!(expm1f_u10(100.0), f32::INFINITY);
        assert_eq!(expm1f_u10(-50.0), -1.0);
        assert_eq!(log1pf_u10(-1.0), f32::NEG_INFINITY);
        assert!(log1pf_u10(-0.0).is_sign_negative());
        assert_eq!(expf_u10(-200.0), 0.0);
        assert_eq!(expf_u10(200.0), f32::INFINITY);
        assert_eq!(logf_u10(0.0), f32::NEG_INFINITY);
        assert!(logf_u10(-1.0).is_nan());
        assert_eq!(logf_u10(1.0), 0.0);
        assert!((logf_u10(1e-40) as f64 - (1e-40f64).ln()).abs() < 1e-5);
    }
}
