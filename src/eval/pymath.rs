//! The rest of Python's `math` module (the functions `stdlib::math` does not define), with
//! CPython 3.11's algorithms where they are its own rather than libm's: `hypot` and `dist`
//! use its scaled, compensated `vector_norm`; `isqrt` is exact; `fmod`, `remainder`,
//! `frexp`, `ldexp`, `modf`, `nextafter` and `ulp` follow C99 as CPython does.

use super::args::bind;
use super::interp::Interp;
use super::ops::iterate;
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error};
use std::f64::consts::PI;

// glibc's own functions, as CPython calls them (Rust's `f64::acosh` & co. use other formulas
// that differ in the last bit).
unsafe extern "C" {
    #[link_name = "acosh"]
    fn libm_acosh(x: f64) -> f64;
    #[link_name = "asinh"]
    fn libm_asinh(x: f64) -> f64;
    #[link_name = "atanh"]
    fn libm_atanh(x: f64) -> f64;
    #[link_name = "erf"]
    fn libm_erf(x: f64) -> f64;
    #[link_name = "erfc"]
    fn libm_erfc(x: f64) -> f64;
}

pub fn erf(x: f64) -> f64 {
    // SAFETY: a pure libm function of one double.
    unsafe { libm_erf(x) }
}

pub fn erfc(x: f64) -> f64 {
    // SAFETY: a pure libm function of one double.
    unsafe { libm_erfc(x) }
}

#[allow(clippy::excessive_precision)]
const LANCZOS_G: f64 = 6.024_680_040_776_729_583_740_234_375;
#[allow(clippy::excessive_precision)]
const LANCZOS_G_MINUS_HALF: f64 = 5.524_680_040_776_729_583_740_234_375;
#[allow(clippy::excessive_precision)]
const LANCZOS_NUM: [f64; 13] = [
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
];
const LANCZOS_DEN: [f64; 13] = [
    0.0,
    39916800.0,
    120543840.0,
    150917976.0,
    105258076.0,
    45995730.0,
    13339535.0,
    2637558.0,
    357423.0,
    32670.0,
    1925.0,
    66.0,
    1.0,
];

fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

/// `sin(pi * x)`, reduced first so that integers give exact zeros (CPython's `m_sinpi`).
fn sinpi(x: f64) -> f64 {
    let y = x.abs() % 2.0;
    let n = (2.0 * y).round() as i32;
    let r = match n {
        0 => (PI * y).sin(),
        1 => (PI * (y - 0.5)).cos(),
        2 => (PI * (1.0 - y)).sin(),
        3 => -(PI * (y - 1.5)).cos(),
        _ => (PI * (y - 2.0)).sin(),
    };
    1.0f64.copysign(x) * r
}

/// CPython's own `math.gamma` (Lanczos, N = 13), not libm's `tgamma`.
pub fn tgamma(x: f64) -> f64 {
    if !x.is_finite() {
        return if x.is_nan() || x > 0.0 { x } else { f64::NAN };
    }
    if x == 0.0 {
        return f64::INFINITY.copysign(x);
    }
    if x == x.floor() {
        if x < 0.0 {
            return f64::NAN;
        }
        if x <= 23.0 {
            let mut g = 1.0f64;
            for k in 2..(x as i64) {
                g *= k as f64;
            }
            return g;
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return 1.0 / x;
    }
    if absx > 200.0 {
        return if x < 0.0 {
            0.0 / sinpi(x)
        } else {
            f64::INFINITY
        };
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    let z = if absx > LANCZOS_G_MINUS_HALF {
        (y - absx) - LANCZOS_G_MINUS_HALF
    } else {
        (y - LANCZOS_G_MINUS_HALF) - absx
    };
    let z = z * LANCZOS_G / y;
    if x < 0.0 {
        let mut r = -PI / sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= y.powf(absx - 0.5);
        } else {
            let s = y.powf(absx / 2.0 - 0.25);
            r /= s;
            r /= s;
        }
        r
    } else {
        let mut r = lanczos_sum(absx) / y.exp();
        r += z * r;
        if absx < 140.0 {
            r *= y.powf(absx - 0.5);
        } else {
            let s = y.powf(absx / 2.0 - 0.25);
            r *= s;
            r *= s;
        }
        r
    }
}

/// CPython's own `math.lgamma`.
pub fn lgamma(x: f64) -> f64 {
    const LOGPI: f64 = 1.144_729_885_849_400_2;
    if !x.is_finite() {
        return if x.is_nan() { x } else { f64::INFINITY };
    }
    if x == x.floor() && x <= 2.0 {
        return if x <= 0.0 { f64::INFINITY } else { 0.0 };
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return -absx.ln();
    }
    let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
    r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        r = LOGPI - sinpi(absx).abs().ln() - absx.ln() - r;
    }
    r
}

/// A float argument: ints, bools, floats and one-element tensors (`__float__`), else
/// CPython's `must be real number` TypeError.
pub fn to_f64(v: &Value) -> PyResult<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Float(f) => Ok(*f),
        Value::Tensor(t) if t.numel() == 1 => Ok(t.item()?.to_f64()),
        other => Err(type_error(format!(
            "must be real number, not {}",
            other.type_name()
        ))),
    }
}

fn domain() -> PyErr {
    value_error("math domain error")
}

fn range_error() -> PyErr {
    PyErr::new(ErrorKind::OverflowError, "math range error")
}

fn args_f64(fname: &str, args: Args, names: &[&str]) -> PyResult<Vec<f64>> {
    let n = names.len();
    if args.pos.len() != n || !args.kw.is_empty() {
        if !args.kw.is_empty() {
            return Err(type_error(format!("{fname}() takes no keyword arguments")));
        }
        return Err(type_error(if n == 1 {
            format!(
                "math.{fname}() takes exactly one argument ({} given)",
                args.pos.len()
            )
        } else {
            format!("{fname} expected {n} arguments, got {}", args.pos.len())
        }));
    }
    args.pos.iter().map(to_f64).collect()
}

/// CPython's `vector_norm`: lossless power-of-two scaling, Veltkamp–Dekker squaring,
/// compensated summation and a differential correction of the square root.
fn vector_norm(vec: &mut [f64], max: f64, found_nan: bool) -> f64 {
    const T27: f64 = 134_217_729.0;
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let max_e = frexp(max).1;
    if max_e < -1023 {
        for x in vec.iter_mut() {
            *x /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * vector_norm(vec, max / f64::MIN_POSITIVE, found_nan);
    }
    let scale = ldexp(1.0, -max_e);
    let (mut csum, mut frac1, mut frac2, mut frac3) = (1.0f64, 0.0f64, 0.0f64, 0.0f64);
    for &v in vec.iter() {
        let x = v * scale;
        let t = T27 * x;
        let hi = t - (t - x);
        let lo = x - hi;
        let sq = hi * hi;
        let old = csum;
        csum += sq;
        frac1 += (old - csum) + sq;
        let cross = 2.0 * hi * lo;
        let old = csum;
        csum += cross;
        frac2 += (old - csum) + cross;
        frac3 += lo * lo;
    }
    let h = (csum - 1.0 + (frac1 + frac2 + frac3)).sqrt();
    let t = T27 * h;
    let hi = t - (t - h);
    let lo = h - hi;
    let x = -hi * hi;
    let old = csum;
    csum += x;
    frac1 += (old - csum) + x;
    let x = -2.0 * hi * lo;
    let old = csum;
    csum += x;
    frac2 += (old - csum) + x;
    frac3 += -lo * lo;
    let x = csum - 1.0 + (frac1 + frac2 + frac3);
    (h + x / (2.0 * h)) / scale
}

fn norm_of(mut coords: Vec<f64>) -> f64 {
    let mut max = 0.0f64;
    let mut nan = false;
    for x in coords.iter_mut() {
        *x = x.abs();
        nan |= x.is_nan();
        if *x > max {
            max = *x;
        }
    }
    vector_norm(&mut coords, max, nan)
}

pub fn hypot(_: &mut Interp, args: Args) -> PyResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("hypot() takes no keyword arguments"));
    }
    let coords = args.pos.iter().map(to_f64).collect::<PyResult<Vec<_>>>()?;
    Ok(Value::Float(norm_of(coords)))
}

fn dist(interp: &mut Interp, args: Args) -> PyResult<Value> {
    if args.pos.len() != 2 || !args.kw.is_empty() {
        return Err(type_error(format!(
            "dist expected 2 arguments, got {}",
            args.pos.len()
        )));
    }
    let p = iterate(interp, &args.pos[0])?;
    let q = iterate(interp, &args.pos[1])?;
    if p.len() != q.len() {
        return Err(value_error(
            "both points must have the same number of dimensions",
        ));
    }
    let diffs = p
        .iter()
        .zip(&q)
        .map(|(a, b)| Ok(to_f64(a)? - to_f64(b)?))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(Value::Float(norm_of(diffs)))
}

pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// `x * 2**e` with one rounding, subnormal results included.
pub fn ldexp(x: f64, e: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mut x = x;
    let mut e = e.clamp(-2200, 2200);
    // Step in exact powers of two while the result stays normal; the last step rounds once.
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        let (_, xe) = frexp(x);
        if xe + e >= -1021 {
            break;
        }
        if xe - 1000 < -1021 {
            break;
        }
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    if e < -1022 {
        // Two steps keep both factors representable; only the last multiplication rounds.
        let first = (e + 1022).max(-1022);
        x *= 2f64.powi(first);
        e -= first;
        return x * 2f64.powi(-1022) * 2f64.powi(e + 1022);
    }
    x * 2f64.powi(e)
}

fn isqrt(v: &Value) -> PyResult<Value> {
    let n = super::args::as_int(v)?;
    if n < 0 {
        return Err(value_error("isqrt() argument must be nonnegative"));
    }
    let n = n as u64;
    let mut r = (n as f64).sqrt() as u64;
    while r.checked_mul(r).is_none_or(|sq| sq > n) {
        r -= 1;
    }
    while (r + 1).checked_mul(r + 1).is_some_and(|sq| sq <= n) {
        r += 1;
    }
    Ok(Value::Int(r as i64))
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

fn lcm(_: &mut Interp, args: Args) -> PyResult<Value> {
    let mut acc: i64 = 1;
    for v in &args.pos {
        let x = super::args::as_int(v)?;
        if x == 0 || acc == 0 {
            acc = 0;
            continue;
        }
        let g = gcd(acc, x);
        acc = (acc / g)
            .checked_mul(x)
            .map(i64::abs)
            .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "Python int too large"))?;
    }
    Ok(Value::Int(acc))
}

fn unary(name: &'static str, f: fn(f64) -> PyResult<f64>) -> (&'static str, Value) {
    (
        name,
        Value::native(format!("math.{name}"), move |_, args| {
            let x = args_f64(name, args, &["x"])?[0];
            Ok(Value::Float(f(x)?))
        }),
    )
}

fn nextafter(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let up = (y > x) == (x > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

fn ulp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let x = x.abs();
    if x.is_infinite() {
        return x;
    }
    let next = nextafter(x, f64::INFINITY);
    if next.is_infinite() {
        let prev = nextafter(x, -f64::INFINITY);
        return x - prev;
    }
    next - x
}

/// The functions `stdlib::math` lacks, as (name, value) pairs for the module.
pub fn extra_functions() -> Vec<(&'static str, Value)> {
    let mut out = vec![
        unary("acosh", |x| {
            if x < 1.0 {
                Err(domain())
            } else {
                Ok(unsafe { libm_acosh(x) })
            }
        }),
        unary("asinh", |x| Ok(unsafe { libm_asinh(x) })),
        unary("atanh", |x| {
            if x.abs() >= 1.0 {
                Err(domain())
            } else {
                Ok(unsafe { libm_atanh(x) })
            }
        }),
        unary("cbrt", |x| Ok(x.cbrt())),
        unary("exp2", |x| {
            let r = x.exp2();
            if r.is_infinite() && x.is_finite() {
                Err(range_error())
            } else {
                Ok(r)
            }
        }),
        unary("ulp", |x| Ok(ulp(x))),
    ];
    out.push((
        "fmod",
        Value::native("math.fmod", |_, args| {
            let a = args_f64("fmod", args, &["x", "y"])?;
            let (x, y) = (a[0], a[1]);
            if y.is_infinite() && x.is_finite() {
                return Ok(Value::Float(x));
            }
            if (y == 0.0 || x.is_infinite()) && !x.is_nan() && !y.is_nan() {
                return Err(domain());
            }
            Ok(Value::Float(x % y))
        }),
    ));
    out.push((
        "remainder",
        Value::native("math.remainder", |_, args| {
            let a = args_f64("remainder", args, &["x", "y"])?;
            Ok(Value::Float(c_remainder(a[0], a[1])?))
        }),
    ));
    out.push((
        "frexp",
        Value::native("math.frexp", |_, args| {
            let x = args_f64("frexp", args, &["x"])?[0];
            let (m, e) = frexp(x);
            Ok(Value::tuple(vec![Value::Float(m), Value::Int(e as i64)]))
        }),
    ));
    out.push((
        "ldexp",
        Value::native("math.ldexp", |_, args| {
            if args.pos.len() != 2 {
                return Err(type_error(format!(
                    "ldexp expected 2 arguments, got {}",
                    args.pos.len()
                )));
            }
            let x = to_f64(&args.pos[0])?;
            let e = match &args.pos[1] {
                Value::Int(i) => (*i).clamp(i32::MIN as i64, i32::MAX as i64) as i32,
                Value::Bool(b) => *b as i32,
                _ => return Err(type_error("Expected an int as second argument to ldexp.")),
            };
            let r = ldexp(x, e);
            if r.is_infinite() && x.is_finite() {
                return Err(range_error());
            }
            Ok(Value::Float(r))
        }),
    ));
    out.push((
        "modf",
        Value::native("math.modf", |_, args| {
            let x = args_f64("modf", args, &["x"])?[0];
            if x.is_infinite() {
                return Ok(Value::tuple(vec![
                    Value::Float(0.0f64.copysign(x)),
                    Value::Float(x),
                ]));
            }
            let int = x.trunc();
            Ok(Value::tuple(vec![
                Value::Float((x - int).copysign(x)),
                Value::Float(int),
            ]))
        }),
    ));
    out.push((
        "nextafter",
        Value::native("math.nextafter", |_, args| {
            let a = args_f64("nextafter", args, &["x", "y"])?;
            Ok(Value::Float(nextafter(a[0], a[1])))
        }),
    ));
    out.push((
        "isqrt",
        Value::native("math.isqrt", |_, args| {
            let a = bind("isqrt", args, &["n"], 1)?;
            isqrt(a[0].as_ref().unwrap_or(&Value::None))
        }),
    ));
    out.push(("lcm", Value::native("math.lcm", lcm)));
    out.push(("dist", Value::native("math.dist", dist)));
    out.push(("hypot", Value::native("math.hypot", hypot)));
    out
}

/// C99 `remainder(x, y)`: `x - n*y` with `n` the integer nearest `x/y` (ties to even),
/// computed exactly as CPython's `m_remainder` does.
fn c_remainder(x: f64, y: f64) -> PyResult<f64> {
    if x.is_nan() || y.is_nan() {
        return Ok(f64::NAN);
    }
    if x.is_infinite() || y == 0.0 {
        return Err(domain());
    }
    if y.is_infinite() {
        return Ok(x);
    }
    let absx = x.abs();
    let absy = y.abs();
    let m = absx % absy;
    let c = absy - m;
    let r = if m < c {
        m
    } else if m > c {
        -c
    } else {
        // Half-way: m == c == absy/2; choose the even multiple of y.
        m - 2.0 * (0.5 * (absx - m) % absy)
    };
    Ok(1.0f64.copysign(x) * r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_cpython_311() {
        // math.hypot / math.dist / math.remainder / math.ulp values printed by CPython 3.11.
        assert_eq!(norm_of(vec![1.1, 2.2, 3.3]), 4.115823125451335);
        assert_eq!(norm_of(vec![0.1, 0.2]), 0.223606797749979);
        assert_eq!(norm_of(vec![1e-300, 1e-300]), 1.414213562373095e-300);
        let v: Vec<f64> = (0..10).map(|i| 0.1 * i as f64).collect();
        assert_eq!(norm_of(v), 1.6881943016134133);
        assert_eq!(c_remainder(5.0, 2.0).ok(), Some(1.0));
        assert_eq!(c_remainder(7.0, 2.0).ok(), Some(-1.0));
        assert_eq!(c_remainder(-7.5, 2.0).ok(), Some(0.5));
        assert_eq!(ulp(1.0), 2.220446049250313e-16);
        assert_eq!(ldexp(1.0, -1074), 5e-324);
    }
}
