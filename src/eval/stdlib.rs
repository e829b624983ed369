//! The parts of Python's standard library lessons use: `math`, `functools`, `time`,
//! `itertools`, and `typing` (names only, for annotations).

use super::args::{as_int, bind, one};
use super::interp::Interp;
use super::modules::make_module;
use super::objects::PyIter;
use super::ops::{self, iterate};
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error};

type Builtin = fn(&mut Interp, Args) -> PyResult<Value>;

pub fn module(name: &str) -> Option<Value> {
    Some(match name {
        "math" => math(),
        "functools" => functools(),
        "time" => time(),
        "itertools" => itertools(),
        "typing" => typing(),
        _ => return None,
    })
}

/// A float argument: ints, floats, bools and one-element tensors (`__float__`).
fn to_f64(_fname: &str, v: &Value) -> PyResult<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Float(f) => Ok(*f),
        Value::Tensor(t) => Ok(t.item()?.to_f64()),
        other => Err(type_error(format!(
            "must be real number, not {}",
            other.type_name()
        ))),
    }
}

fn domain() -> PyErr {
    value_error("math domain error")
}

fn unary_math(
    name: &'static str,
    f: fn(f64) -> f64,
    check: fn(f64) -> bool,
) -> (&'static str, Value) {
    (
        name,
        Value::native(format!("math.{name}"), move |_, args| {
            let x = to_f64(name, &one(name, args)?)?;
            if !check(x) {
                return Err(domain());
            }
            let r = f(x);
            if r.is_infinite() && x.is_finite() && !matches!(name, "log" | "log2" | "log10") {
                return Err(PyErr::new(ErrorKind::OverflowError, "math range error"));
            }
            Ok(Value::Float(r))
        }),
    )
}

fn math() -> Value {
    let any = |_: f64| true;
    let mut attrs = vec![
        ("pi", Value::Float(std::f64::consts::PI)),
        ("e", Value::Float(std::f64::consts::E)),
        ("tau", Value::Float(std::f64::consts::TAU)),
        ("inf", Value::Float(f64::INFINITY)),
        ("nan", Value::Float(f64::NAN)),
        unary_math("sqrt", f64::sqrt, |x| x >= 0.0 || x.is_nan()),
        unary_math("exp", f64::exp, any),
        unary_math("expm1", f64::exp_m1, any),
        unary_math("log2", f64::log2, |x| x > 0.0 || x.is_nan()),
        unary_math("log10", f64::log10, |x| x > 0.0 || x.is_nan()),
        unary_math("log1p", f64::ln_1p, |x| x > -1.0 || x.is_nan()),
        unary_math("sin", f64::sin, |x| !x.is_infinite()),
        unary_math("cos", f64::cos, |x| !x.is_infinite()),
        unary_math("tan", f64::tan, |x| !x.is_infinite()),
        unary_math("asin", f64::asin, |x| {
            (-1.0..=1.0).contains(&x) || x.is_nan()
        }),
        unary_math("acos", f64::acos, |x| {
            (-1.0..=1.0).contains(&x) || x.is_nan()
        }),
        unary_math("atan", f64::atan, any),
        unary_math("sinh", f64::sinh, any),
        unary_math("cosh", f64::cosh, any),
        unary_math("tanh", f64::tanh, any),
        unary_math("fabs", f64::abs, any),
        unary_math("degrees", f64::to_degrees, any),
        unary_math("radians", f64::to_radians, any),
        unary_math("erf", erf, any),
        unary_math("erfc", |x| 1.0 - erf(x), any),
        unary_math("gamma", gamma, |x| !(x <= 0.0 && x.fract() == 0.0)),
        unary_math(
            "lgamma",
            |x| gamma(x).abs().ln(),
            |x| !(x <= 0.0 && x.fract() == 0.0),
        ),
    ];
    let fns: &[(&str, Builtin)] = &[
        ("log", math_log),
        ("atan2", |_, args| {
            let a = bind("atan2", args, &["y", "x"], 2)?;
            let (y, x) = (
                to_f64("atan2", a[0].as_ref().unwrap_or(&Value::None))?,
                to_f64("atan2", a[1].as_ref().unwrap_or(&Value::None))?,
            );
            Ok(Value::Float(y.atan2(x)))
        }),
        ("pow", |_, args| {
            let a = bind("pow", args, &["x", "y"], 2)?;
            let (x, y) = (
                to_f64("pow", a[0].as_ref().unwrap_or(&Value::None))?,
                to_f64("pow", a[1].as_ref().unwrap_or(&Value::None))?,
            );
            if x == 0.0 && y < 0.0 || x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                return Err(domain());
            }
            Ok(Value::Float(x.powf(y)))
        }),
        ("hypot", |_, args| {
            let mut acc = 0.0f64;
            for v in &args.pos {
                let x = to_f64("hypot", v)?;
                acc = acc.hypot(x);
            }
            Ok(Value::Float(acc))
        }),
        ("copysign", |_, args| {
            let a = bind("copysign", args, &["x", "y"], 2)?;
            let (x, y) = (
                to_f64("copysign", a[0].as_ref().unwrap_or(&Value::None))?,
                to_f64("copysign", a[1].as_ref().unwrap_or(&Value::None))?,
            );
            Ok(Value::Float(x.copysign(y)))
        }),
        ("floor", |_, args| round_to_int("floor", args, f64::floor)),
        ("ceil", |_, args| round_to_int("ceil", args, f64::ceil)),
        ("trunc", |_, args| round_to_int("trunc", args, f64::trunc)),
        ("isnan", |_, args| {
            Ok(Value::Bool(to_f64("isnan", &one("isnan", args)?)?.is_nan()))
        }),
        ("isinf", |_, args| {
            Ok(Value::Bool(
                to_f64("isinf", &one("isinf", args)?)?.is_infinite(),
            ))
        }),
        ("isfinite", |_, args| {
            Ok(Value::Bool(
                to_f64("isfinite", &one("isfinite", args)?)?.is_finite(),
            ))
        }),
        ("isclose", |_, args| {
            let a = bind("isclose", args, &["a", "b", "rel_tol", "abs_tol"], 2)?;
            let x = to_f64("isclose", a[0].as_ref().unwrap_or(&Value::None))?;
            let y = to_f64("isclose", a[1].as_ref().unwrap_or(&Value::None))?;
            let rel = a[2].as_ref().map_or(Ok(1e-9), |v| to_f64("isclose", v))?;
            let abs = a[3].as_ref().map_or(Ok(0.0), |v| to_f64("isclose", v))?;
            if rel < 0.0 || abs < 0.0 {
                return Err(value_error("tolerances must be non-negative"));
            }
            if x == y {
                return Ok(Value::Bool(true));
            }
            if x.is_infinite() || y.is_infinite() {
                return Ok(Value::Bool(false));
            }
            let diff = (x - y).abs();
            Ok(Value::Bool(
                diff <= (rel * y).abs() || diff <= (rel * x).abs() || diff <= abs,
            ))
        }),
        ("prod", |interp, mut args| {
            let start = super::args::take_kw(&mut args, "start").unwrap_or(Value::Int(1));
            let items = iterate(interp, &one("prod", args)?)?;
            let mut acc = start;
            for item in items {
                acc = ops::binary(interp, "*", &acc, &item)?;
            }
            Ok(acc)
        }),
        ("fsum", |interp, args| {
            let items = iterate(interp, &one("fsum", args)?)?;
            // Neumaier summation: close to CPython's exactly rounded fsum for lesson-sized inputs.
            let (mut sum, mut c) = (0.0f64, 0.0f64);
            for item in &items {
                let x = to_f64("fsum", item)?;
                let t = sum + x;
                c += if sum.abs() >= x.abs() {
                    (sum - t) + x
                } else {
                    (x - t) + sum
                };
                sum = t;
            }
            Ok(Value::Float(sum + c))
        }),
        ("factorial", |_, args| {
            let n = as_int(&one("factorial", args)?)?;
            if n < 0 {
                return Err(value_error("factorial() not defined for negative values"));
            }
            let mut acc: i64 = 1;
            for k in 2..=n {
                acc = acc
                    .checked_mul(k)
                    .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "int too large"))?;
            }
            Ok(Value::Int(acc))
        }),
        ("comb", |_, args| {
            let a = bind("comb", args, &["n", "k"], 2)?;
            let n = as_int(a[0].as_ref().unwrap_or(&Value::None))?;
            let k = as_int(a[1].as_ref().unwrap_or(&Value::None))?;
            if n < 0 || k < 0 {
                return Err(value_error(if n < 0 {
                    "n must be a non-negative integer"
                } else {
                    "k must be a non-negative integer"
                }));
            }
            if k > n {
                return Ok(Value::Int(0));
            }
            let k = k.min(n - k);
            let mut acc: i128 = 1;
            for i in 0..k {
                acc = acc
                    .checked_mul((n - i) as i128)
                    .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "int too large"))?
                    / (i + 1) as i128;
            }
            i64::try_from(acc)
                .map(Value::Int)
                .map_err(|_| PyErr::new(ErrorKind::OverflowError, "int too large"))
        }),
        ("perm", |_, args| {
            let a = bind("perm", args, &["n", "k"], 1)?;
            let n = as_int(a[0].as_ref().unwrap_or(&Value::None))?;
            let k = match &a[1] {
                Some(k) => as_int(k)?,
                None => n,
            };
            if k > n {
                return Ok(Value::Int(0));
            }
            let mut acc: i64 = 1;
            for i in 0..k {
                acc = acc
                    .checked_mul(n - i)
                    .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "int too large"))?;
            }
            Ok(Value::Int(acc))
        }),
        ("gcd", |_, args| {
            let mut g: i64 = 0;
            for v in &args.pos {
                let mut a = as_int(v)?
                    .checked_abs()
                    .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "int too large"))?;
                let mut b = g;
                while b != 0 {
                    (a, b) = (b, a % b);
                }
                g = a;
            }
            Ok(Value::Int(g))
        }),
    ];
    for (name, f) in fns {
        attrs.push((name, Value::native(format!("math.{name}"), *f)));
    }
    make_module("math", attrs)
}

fn math_log(_: &mut Interp, args: Args) -> PyResult<Value> {
    let a = bind("log", args, &["x", "base"], 1)?;
    let x = to_f64("log", a[0].as_ref().unwrap_or(&Value::None))?;
    if x <= 0.0 {
        return Err(domain());
    }
    match &a[1] {
        None => Ok(Value::Float(x.ln())),
        Some(b) => {
            let b = to_f64("log", b)?;
            if b <= 0.0 {
                return Err(domain());
            }
            if b == 1.0 {
                return Err(crate::error::zero_division_error("float division by zero"));
            }
            Ok(Value::Float(x.ln() / b.ln()))
        }
    }
}

fn round_to_int(name: &str, args: Args, f: fn(f64) -> f64) -> PyResult<Value> {
    let v = one(name, args)?;
    if let Value::Int(i) = v {
        return Ok(Value::Int(i));
    }
    let x = to_f64(name, &v)?;
    if x.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(PyErr::new(
            ErrorKind::OverflowError,
            "cannot convert float infinity to integer",
        ));
    }
    Ok(Value::Int(f(x) as i64))
}

/// Abramowitz–Stegun 7.1.26 refined with a series for small |x| (good to ~1e-15 there).
fn erf(x: f64) -> f64 {
    if x.abs() < 2.0 {
        // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)).
        let mut term = x;
        let mut sum = x;
        let x2 = x * x;
        for n in 1..60 {
            term *= -x2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        return sum * 2.0 / std::f64::consts::PI.sqrt();
    }
    // Continued fraction for erfc at larger |x|.
    let ax = x.abs();
    let mut f = 0.0;
    for k in (1..80).rev() {
        f = (k as f64 / 2.0) / (ax + f);
    }
    let erfc = (-ax * ax).exp() / (std::f64::consts::PI.sqrt() * (ax + f));
    if x > 0.0 { 1.0 - erfc } else { erfc - 1.0 }
}

/// Lanczos approximation (g = 7, n = 9).
fn gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return std::f64::consts::PI / ((std::f64::consts::PI * x).sin() * gamma(1.0 - x));
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    (2.0 * std::f64::consts::PI).sqrt() * t.powf(x + 0.5) * (-t).exp() * a
}

fn functools() -> Value {
    let partial = Value::native("functools.partial", |_, mut args| {
        if args.pos.is_empty() {
            return Err(type_error("type 'partial' takes at least one argument"));
        }
        let f = args.pos.remove(0);
        let (bound_pos, bound_kw) = (args.pos, args.kw);
        let name = format!(
            "functools.partial({})",
            match &f {
                Value::Function(u) => u.qualname.clone(),
                Value::Native(n) => n.name.clone(),
                _ => "...".into(),
            }
        );
        Ok(Value::native(name, move |interp, call: Args| {
            let mut pos = bound_pos.clone();
            pos.extend(call.pos);
            let mut kw = bound_kw.clone();
            for (k, v) in call.kw {
                match kw.iter_mut().find(|(n, _)| *n == k) {
                    Some(slot) => slot.1 = v,
                    None => kw.push((k, v)),
                }
            }
            interp.call_value(&f, Args { pos, kw })
        }))
    });
    let reduce = Value::native("functools.reduce", |interp, args| {
        let a = bind("reduce", args, &["function", "iterable", "initial"], 2)?;
        let f = a[0].clone().unwrap_or(Value::None);
        let mut items = iterate(interp, a[1].as_ref().unwrap_or(&Value::None))?.into_iter();
        let mut acc = match a[2].clone() {
            Some(init) => init,
            None => items
                .next()
                .ok_or_else(|| type_error("reduce() of empty iterable with no initial value"))?,
        };
        for item in items {
            acc = interp.call_value(&f, Args::new(vec![acc, item]))?;
        }
        Ok(acc)
    });
    // Caching decorators return the function itself: lesson functions are pure, so only
    // speed differs.
    let cache = Value::native("functools.lru_cache", |_, args| match args.pos.first() {
        Some(f @ (Value::Function(_) | Value::Native(_))) => Ok(f.clone()),
        _ => Ok(Value::native(
            "functools.lru_cache.<decorator>",
            |_, args| one("decorator", args),
        )),
    });
    let wraps = Value::native("functools.wraps", |_, _| {
        Ok(Value::native("functools.wraps.<decorator>", |_, args| {
            one("decorator", args)
        }))
    });
    make_module(
        "functools",
        vec![
            ("partial", partial),
            ("reduce", reduce),
            ("cache", cache.clone()),
            ("lru_cache", cache),
            ("wraps", wraps),
        ],
    )
}

fn time() -> Value {
    fn now() -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }
    thread_local! {
        static START: std::time::Instant = std::time::Instant::now();
    }
    let perf = |_: &mut Interp, args: Args| {
        super::args::none("perf_counter", &args)?;
        Ok(Value::Float(START.with(|s| s.elapsed().as_secs_f64())))
    };
    make_module(
        "time",
        vec![
            (
                "time",
                Value::native("time.time", |_, args| {
                    super::args::none("time", &args)?;
                    Ok(Value::Float(now()))
                }),
            ),
            ("perf_counter", Value::native("time.perf_counter", perf)),
            ("monotonic", Value::native("time.monotonic", perf)),
            ("process_time", Value::native("time.process_time", perf)),
            (
                "sleep",
                Value::native("time.sleep", |_, args| {
                    let secs = to_f64("sleep", &one("sleep", args)?)?;
                    if secs < 0.0 {
                        return Err(value_error("sleep length must be non-negative"));
                    }
                    // Sleep in slices so Ctrl-C is honoured.
                    let end = std::time::Instant::now() + std::time::Duration::from_secs_f64(secs);
                    while std::time::Instant::now() < end {
                        if crate::eval::take_interrupt() {
                            return Err(PyErr::new(ErrorKind::KeyboardInterrupt, ""));
                        }
                        std::thread::sleep(
                            std::time::Duration::from_millis(10)
                                .min(end - std::time::Instant::now()),
                        );
                    }
                    Ok(Value::None)
                }),
            ),
        ],
    )
}

fn itertools() -> Value {
    let product = Value::native("itertools.product", |interp, mut args| {
        let repeat = match super::args::take_kw(&mut args, "repeat") {
            Some(r) => as_int(&r)?,
            None => 1,
        };
        let mut pools = Vec::new();
        for it in &args.pos {
            pools.push(iterate(interp, it)?);
        }
        let pools: Vec<Vec<Value>> = (0..repeat.max(0)).flat_map(|_| pools.clone()).collect();
        let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
        for pool in &pools {
            let mut next = Vec::with_capacity(rows.len() * pool.len());
            for row in &rows {
                for item in pool {
                    let mut r = row.clone();
                    r.push(item.clone());
                    next.push(r);
                }
            }
            rows = next;
        }
        Ok(PyIter::value(
            "product",
            rows.into_iter().map(Value::tuple).collect(),
        ))
    });
    let chain = Value::native("itertools.chain", |interp, args| {
        let mut out = Vec::new();
        for it in &args.pos {
            out.extend(iterate(interp, it)?);
        }
        Ok(PyIter::value("chain", out))
    });
    let combinations = Value::native("itertools.combinations", |interp, args| {
        let a = bind("combinations", args, &["iterable", "r"], 2)?;
        let pool = iterate(interp, a[0].as_ref().unwrap_or(&Value::None))?;
        let r = as_int(a[1].as_ref().unwrap_or(&Value::None))?;
        if r < 0 {
            return Err(value_error("r must be non-negative"));
        }
        let mut out = Vec::new();
        let mut idx: Vec<usize> = (0..r as usize).collect();
        let n = pool.len();
        if r as usize <= n {
            loop {
                out.push(Value::tuple(idx.iter().map(|&i| pool[i].clone()).collect()));
                let Some(i) = (0..idx.len()).rev().find(|&i| idx[i] != i + n - idx.len()) else {
                    break;
                };
                idx[i] += 1;
                for j in i + 1..idx.len() {
                    idx[j] = idx[j - 1] + 1;
                }
            }
        }
        Ok(PyIter::value("combinations", out))
    });
    let count = Value::native("itertools.count", |_, _| {
        Err(PyErr::new(
            ErrorKind::NotImplementedError,
            "itertools.count is not supported (infinite iterator)",
        ))
    });
    make_module(
        "itertools",
        vec![
            ("product", product),
            ("chain", chain),
            ("combinations", combinations),
            ("count", count),
        ],
    )
}

fn typing() -> Value {
    let names = [
        "Any", "Callable", "Dict", "Iterable", "List", "Optional", "Sequence", "Tuple", "Union",
    ];
    make_module(
        "typing",
        names.iter().map(|n| (*n, Value::class(n))).collect(),
    )
}
