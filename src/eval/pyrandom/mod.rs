//! Python's `random` module, bit for bit as CPython 3.11's `Lib/random.py` over its
//! Mersenne Twister (`mt.rs`): the same draws in the same order for `seed`, `random`,
//! `getrandbits`, `randrange`/`randint`, `choice`, `choices`, `shuffle`, `sample`, `uniform`,
//! `triangular`, `gauss` and the other distributions, with CPython's error messages.
//! The module functions share one hidden instance; `random.Random(x)` makes others.

mod mt;

use super::args::{bind, take_kw};
use super::builtins::length;
use super::interp::Interp;
use super::modules::make_module;
use super::pymath::{frexp, to_f64};
use super::subscript::{getitem, setitem};
use super::value::{Args, Object, Value};
use crate::error::{PyErr, PyResult, index_error, type_error, value_error};
use mt::PyMt;
use std::any::Any;
use std::cell::RefCell;
use std::f64::consts::{E, PI, TAU};
use std::rc::Rc;

/// One generator: the twister and `gauss`'s cached second value.
pub struct RandomState {
    mt: PyMt,
    gauss_next: Option<f64>,
}

type Shared = Rc<RefCell<RandomState>>;

thread_local! {
    static GLOBAL: Shared = Rc::new(RefCell::new(RandomState { mt: PyMt::from_u64(0), gauss_next: None }));
}

/// Seeds the module's shared instance (the notebook calls this with the session's seed, so a
/// replayed transcript draws the same numbers every time).
pub fn reset(seed: u64) {
    GLOBAL.with(|g| {
        let mut g = g.borrow_mut();
        g.mt = PyMt::from_u64(seed);
        g.gauss_next = None;
    });
}

fn global() -> Shared {
    GLOBAL.with(|g| g.clone())
}

/// CPython's `hash(float)` (the modulus-2**61-1 reduction), as `seed(float)` uses it.
fn hash_float(x: f64) -> i64 {
    const MODULUS: u64 = (1 << 61) - 1;
    if x.is_infinite() {
        return if x > 0.0 { 314_159 } else { -314_159 };
    }
    if x.is_nan() {
        return 0;
    }
    let (mut m, mut e) = frexp(x.abs());
    let mut h: u64 = 0;
    while m != 0.0 {
        h = ((h << 28) & MODULUS) | h >> (61 - 28);
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        h += y;
        if h >= MODULUS {
            h -= MODULUS;
        }
    }
    let e = if e >= 0 { e % 61 } else { 60 - ((-1 - e) % 61) };
    h = ((h << e) & MODULUS) | h >> (61 - e);
    let mut h = h as i64;
    if x < 0.0 {
        h = -h;
    }
    if h == -1 { -2 } else { h }
}

/// Words of `int.from_bytes(s + sha512(s).digest())` (big-endian bytes), least significant
/// first, as `seed(str)` builds them (version 2).
fn str_seed_words(s: &[u8]) -> Vec<u32> {
    use sha2::{Digest, Sha512};
    let mut bytes = s.to_vec();
    bytes.extend_from_slice(&Sha512::digest(s));
    let mut words = Vec::new();
    for chunk in bytes.rchunks(4) {
        let mut w = 0u32;
        for &b in chunk {
            w = w << 8 | b as u32;
        }
        words.push(w);
    }
    while words.len() > 1 && words.last() == Some(&0) {
        words.pop();
    }
    words
}

fn seed_state(st: &mut RandomState, a: Option<&Value>) -> PyResult<()> {
    st.mt = match a {
        None | Some(Value::None) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
            PyMt::from_u64(nanos ^ (std::process::id() as u64) << 32)
        }
        Some(Value::Int(i)) => PyMt::from_u64(i.unsigned_abs()),
        Some(Value::Bool(b)) => PyMt::from_u64(*b as u64),
        Some(Value::Float(f)) => PyMt::from_u64(hash_float(*f).unsigned_abs()),
        Some(Value::Str(s)) => PyMt::from_key(&str_seed_words(s.as_bytes())),
        Some(_) => {
            return Err(type_error(
                "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.",
            ));
        }
    };
    st.gauss_next = None;
    Ok(())
}

/// An integer argument of `randrange`: ints, or floats with an integral value (3.11 still
/// accepts those, with a deprecation warning).
fn range_arg(v: &Value, what: &str) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Ok(*f as i64),
        Value::Float(_) => Err(value_error(format!("non-integer {what} for randrange()"))),
        other => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

fn randbelow(st: &mut RandomState, n: i64) -> i64 {
    st.mt.randbelow(n as u64) as i64
}

fn randrange(st: &mut RandomState, a: &[Option<Value>]) -> PyResult<Value> {
    let istart = range_arg(a[0].as_ref().unwrap_or(&Value::None), "arg 1")?;
    let step_given = a[2].is_some();
    let stop = match &a[1] {
        None | Some(Value::None) => {
            if step_given {
                return Err(type_error("Missing a non-None stop argument"));
            }
            if istart > 0 {
                return Ok(Value::Int(randbelow(st, istart)));
            }
            return Err(value_error("empty range for randrange()"));
        }
        Some(v) => v.clone(),
    };
    let istop = range_arg(&stop, "stop")?;
    let width = istop.checked_sub(istart).ok_or_else(overflow)?;
    let istep = match &a[2] {
        Some(v) => range_arg(v, "step")?,
        None => 1,
    };
    if istep == 1 {
        if width > 0 {
            return Ok(Value::Int(istart + randbelow(st, width)));
        }
        return Err(value_error(format!(
            "empty range for randrange() ({istart}, {istop}, {width})"
        )));
    }
    let n = if istep > 0 {
        (width + istep - 1).div_euclid(istep)
    } else if istep < 0 {
        (width + istep + 1).div_euclid(istep)
    } else {
        return Err(value_error("zero step for randrange()"));
    };
    if n <= 0 {
        return Err(value_error("empty range for randrange()"));
    }
    Ok(Value::Int(istart + istep * randbelow(st, n)))
}

fn overflow() -> PyErr {
    PyErr::new(
        crate::error::ErrorKind::OverflowError,
        "Python int too large to convert to C long",
    )
}

fn is_sequence(v: &Value) -> bool {
    matches!(
        v,
        Value::List(_)
            | Value::Tuple(_)
            | Value::Str(_)
            | Value::Range(..)
            | Value::Size(_)
            | Value::NamedTuple(_)
    )
}

fn getrandbits(st: &mut RandomState, k: i64) -> PyResult<Value> {
    if k < 0 {
        return Err(value_error("number of bits must be non-negative"));
    }
    if k <= 63 {
        return Ok(Value::Int(st.mt.getrandbits_u64(k as u32) as i64));
    }
    // Drawn whole (so the stream stays in step), but it does not fit a 64-bit int.
    st.mt.getrandbits_words(k as u64);
    Err(overflow())
}

fn gauss(st: &mut RandomState, mu: f64, sigma: f64) -> f64 {
    let z = match st.gauss_next.take() {
        Some(z) => z,
        None => {
            let x2pi = st.mt.random() * TAU;
            let g2rad = (-2.0 * (1.0 - st.mt.random()).ln()).sqrt();
            st.gauss_next = Some(x2pi.sin() * g2rad);
            x2pi.cos() * g2rad
        }
    };
    mu + z * sigma
}

fn normalvariate(st: &mut RandomState, mu: f64, sigma: f64) -> f64 {
    let nv_magic = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
    loop {
        let u1 = st.mt.random();
        let u2 = 1.0 - st.mt.random();
        let z = nv_magic * (u1 - 0.5) / u2;
        let zz = z * z / 4.0;
        if zz <= -u2.ln() {
            return mu + z * sigma;
        }
    }
}

fn gammavariate(st: &mut RandomState, alpha: f64, beta: f64) -> PyResult<f64> {
    if alpha <= 0.0 || beta <= 0.0 {
        return Err(value_error("gammavariate: alpha and beta must be > 0.0"));
    }
    let log4 = 4.0f64.ln();
    let sg_magic = 1.0 + 4.5f64.ln();
    if alpha > 1.0 {
        let ainv = (2.0 * alpha - 1.0).sqrt();
        let bbb = alpha - log4;
        let ccc = alpha + ainv;
        loop {
            let u1 = st.mt.random();
            if !(1e-7 < u1 && u1 < 0.9999999) {
                continue;
            }
            let u2 = 1.0 - st.mt.random();
            let v = (u1 / (1.0 - u1)).ln() / ainv;
            let x = alpha * v.exp();
            let z = u1 * u1 * u2;
            let r = bbb + ccc * v - x;
            if r + sg_magic - 4.5 * z >= 0.0 || r >= z.ln() {
                return Ok(x * beta);
            }
        }
    } else if alpha == 1.0 {
        Ok(-(1.0 - st.mt.random()).ln() * beta)
    } else {
        loop {
            let u = st.mt.random();
            let b = (E + alpha) / E;
            let p = b * u;
            let x = if p <= 1.0 {
                p.powf(1.0 / alpha)
            } else {
                -((b - p) / alpha).ln()
            };
            let u1 = st.mt.random();
            let accept = if p > 1.0 {
                u1 <= x.powf(alpha - 1.0)
            } else {
                u1 <= (-x).exp()
            };
            if accept {
                return Ok(x * beta);
            }
        }
    }
}

fn arg_f64(a: &[Option<Value>], i: usize, default: f64) -> PyResult<f64> {
    match &a[i] {
        Some(v) => to_f64(v),
        None => Ok(default),
    }
}

fn shuffle(interp: &mut Interp, st: &Shared, x: &Value) -> PyResult<()> {
    if let Value::List(l) = x {
        let n = l.borrow().len();
        for i in (1..n).rev() {
            let j = st.borrow_mut().mt.randbelow(i as u64 + 1) as usize;
            l.borrow_mut().swap(i, j);
        }
        return Ok(());
    }
    let n = length(interp, x)?;
    for i in (1..n).rev() {
        let j = st.borrow_mut().mt.randbelow(i as u64 + 1) as i64;
        let (vi, vj) = (
            getitem(interp, x, &Value::Int(i as i64))?,
            getitem(interp, x, &Value::Int(j))?,
        );
        setitem(interp, x, &Value::Int(i as i64), vj)?;
        setitem(interp, x, &Value::Int(j), vi)?;
    }
    Ok(())
}

fn sample(interp: &mut Interp, st: &Shared, population: &Value, k: &Value) -> PyResult<Value> {
    if !is_sequence(population) {
        return Err(type_error(
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        ));
    }
    let n = length(interp, population)? as i64;
    let k = super::args::as_int(k)?;
    if !(0 <= k && k <= n) {
        return Err(value_error("Sample larger than population or is negative"));
    }
    let mut setsize = 21i64;
    if k > 5 {
        setsize += 4i64.pow(((k * 3) as f64).log(4.0).ceil() as u32);
    }
    let mut result = Vec::with_capacity(k as usize);
    if n <= setsize {
        let mut pool = super::ops::iterate(interp, population)?;
        for i in 0..k {
            let j = st.borrow_mut().mt.randbelow((n - i) as u64) as usize;
            result.push(pool[j].clone());
            pool[j] = pool[(n - i - 1) as usize].clone();
        }
    } else {
        let mut selected = std::collections::HashSet::new();
        for _ in 0..k {
            let mut j = st.borrow_mut().mt.randbelow(n as u64);
            while selected.contains(&j) {
                j = st.borrow_mut().mt.randbelow(n as u64);
            }
            selected.insert(j);
            result.push(getitem(interp, population, &Value::Int(j as i64))?);
        }
    }
    Ok(Value::list(result))
}

fn choices(interp: &mut Interp, st: &Shared, mut args: Args) -> PyResult<Value> {
    let cum = take_kw(&mut args, "cum_weights").filter(|v| !matches!(v, Value::None));
    let k = match take_kw(&mut args, "k") {
        Some(v) => super::args::as_int(&v)?,
        None => 1,
    };
    let a = bind("choices", args, &["population", "weights"], 1)?;
    let population = a[0].clone().unwrap_or(Value::None);
    let weights = a[1].clone().filter(|v| !matches!(v, Value::None));
    let n = length(interp, &population)?;
    let cum: Vec<f64> = match (weights, cum) {
        (None, None) => {
            let mut out = Vec::new();
            for _ in 0..k.max(0) {
                let i = (st.borrow_mut().mt.random() * n as f64).floor() as i64;
                out.push(getitem(interp, &population, &Value::Int(i))?);
            }
            return Ok(Value::list(out));
        }
        (Some(_), Some(_)) => {
            return Err(type_error(
                "Cannot specify both weights and cumulative weights",
            ));
        }
        (Some(w), None) => {
            if let Value::Int(k) = w {
                return Err(type_error(format!(
                    "The number of choices must be a keyword argument: k={k}"
                )));
            }
            let mut acc = 0.0;
            let mut out = Vec::new();
            for v in super::ops::iterate(interp, &w)? {
                acc += to_f64(&v)?;
                out.push(acc);
            }
            out
        }
        (None, Some(c)) => super::ops::iterate(interp, &c)?
            .iter()
            .map(to_f64)
            .collect::<PyResult<_>>()?,
    };
    if cum.len() != n {
        return Err(value_error(
            "The number of weights does not match the population",
        ));
    }
    let total = cum.last().copied().unwrap_or(0.0);
    if total <= 0.0 {
        return Err(value_error("Total of weights must be greater than zero"));
    }
    if !total.is_finite() {
        return Err(value_error("Total of weights must be finite"));
    }
    let hi = n - 1;
    let mut out = Vec::new();
    for _ in 0..k.max(0) {
        let x = st.borrow_mut().mt.random() * total;
        // bisect_right(cum, x, 0, hi)
        let i = cum[..hi].partition_point(|&c| c <= x);
        out.push(getitem(interp, &population, &Value::Int(i as i64))?);
    }
    Ok(Value::list(out))
}

fn getstate(st: &RandomState) -> Value {
    let mut words: Vec<Value> = st.mt.mt.iter().map(|&w| Value::Int(w as i64)).collect();
    words.push(Value::Int(st.mt.index as i64));
    Value::tuple(vec![
        Value::Int(3),
        Value::tuple(words),
        st.gauss_next.map_or(Value::None, Value::Float),
    ])
}

fn setstate(interp: &mut Interp, st: &mut RandomState, state: &Value) -> PyResult<()> {
    let parts = super::ops::iterate(interp, state)?;
    let bad = || type_error("state vector must be a tuple");
    if parts.len() != 3 {
        return Err(value_error(format!(
            "state with version {} passed to Random.setstate() of version 3",
            parts.first().map_or("None".to_string(), |v| match v {
                Value::Int(i) => i.to_string(),
                _ => "?".into(),
            })
        )));
    }
    let Value::Tuple(words) = &parts[1] else {
        return Err(bad());
    };
    if words.len() != mt::N + 1 {
        return Err(value_error("state vector is the wrong size"));
    }
    let mut mt = [0u32; mt::N];
    for (slot, w) in mt.iter_mut().zip(words.iter()) {
        match w {
            Value::Int(i) if (0..=u32::MAX as i64).contains(i) => *slot = *i as u32,
            _ => return Err(overflow()),
        }
    }
    let index = match &words[mt::N] {
        Value::Int(i) if (0..=mt::N as i64).contains(i) => *i as usize,
        _ => return Err(value_error("invalid state")),
    };
    st.mt = PyMt { mt, index };
    st.gauss_next = match &parts[2] {
        Value::None => None,
        v => Some(to_f64(v)?),
    };
    Ok(())
}

/// Calls method `name` of generator `st` (the module functions and `Random` instances share it).
fn call(interp: &mut Interp, st: &Shared, name: &str, mut args: Args) -> PyResult<Value> {
    let fname = name;
    Ok(match name {
        "seed" => {
            let a = bind(fname, args, &["a", "version"], 0)?;
            seed_state(&mut st.borrow_mut(), a[0].as_ref())?;
            Value::None
        }
        "random" => {
            super::args::none(fname, &args)?;
            Value::Float(st.borrow_mut().mt.random())
        }
        "getrandbits" => {
            let k = super::args::as_int(&super::args::one(fname, args)?)?;
            getrandbits(&mut st.borrow_mut(), k)?
        }
        "randrange" => {
            let a = bind(fname, args, &["start", "stop", "step"], 1)?;
            randrange(&mut st.borrow_mut(), &a)?
        }
        "randint" => {
            let a = bind(fname, args, &["a", "b"], 2)?;
            let b = range_arg(a[1].as_ref().unwrap_or(&Value::None), "stop")?;
            let stop = Value::Int(b.checked_add(1).ok_or_else(overflow)?);
            randrange(&mut st.borrow_mut(), &[a[0].clone(), Some(stop), None])?
        }
        "choice" => {
            let seq = super::args::one(fname, args)?;
            let n = length(interp, &seq)?;
            if n == 0 {
                return Err(index_error("Cannot choose from an empty sequence"));
            }
            let i = st.borrow_mut().mt.randbelow(n as u64) as i64;
            getitem(interp, &seq, &Value::Int(i))?
        }
        "choices" => choices(interp, st, args)?,
        "shuffle" => {
            let x = super::args::one(fname, args)?;
            shuffle(interp, st, &x)?;
            Value::None
        }
        "sample" => {
            if take_kw(&mut args, "counts").is_some_and(|c| !matches!(c, Value::None)) {
                return Err(type_error("sample() counts are not supported by gradbook"));
            }
            let a = bind(fname, args, &["population", "k"], 2)?;
            sample(
                interp,
                st,
                a[0].as_ref().unwrap_or(&Value::None),
                a[1].as_ref().unwrap_or(&Value::None),
            )?
        }
        "uniform" => {
            let a = bind(fname, args, &["a", "b"], 2)?;
            let (lo, hi) = (arg_f64(&a, 0, 0.0)?, arg_f64(&a, 1, 0.0)?);
            Value::Float(lo + (hi - lo) * st.borrow_mut().mt.random())
        }
        "triangular" => {
            let a = bind(fname, args, &["low", "high", "mode"], 0)?;
            let (mut low, mut high) = (arg_f64(&a, 0, 0.0)?, arg_f64(&a, 1, 1.0)?);
            let mut u = st.borrow_mut().mt.random();
            let mut c = match &a[2] {
                None | Some(Value::None) => 0.5,
                Some(m) => {
                    if high == low {
                        return Ok(Value::Float(low));
                    }
                    (to_f64(m)? - low) / (high - low)
                }
            };
            if u > c {
                u = 1.0 - u;
                c = 1.0 - c;
                std::mem::swap(&mut low, &mut high);
            }
            Value::Float(low + (high - low) * (u * c).sqrt())
        }
        "gauss" | "normalvariate" => {
            let a = bind(fname, args, &["mu", "sigma"], 0)?;
            let (mu, sigma) = (arg_f64(&a, 0, 0.0)?, arg_f64(&a, 1, 1.0)?);
            let mut s = st.borrow_mut();
            Value::Float(if name == "gauss" {
                gauss(&mut s, mu, sigma)
            } else {
                normalvariate(&mut s, mu, sigma)
            })
        }
        "lognormvariate" => {
            let a = bind(fname, args, &["mu", "sigma"], 2)?;
            let (mu, sigma) = (arg_f64(&a, 0, 0.0)?, arg_f64(&a, 1, 1.0)?);
            Value::Float(normalvariate(&mut st.borrow_mut(), mu, sigma).exp())
        }
        "expovariate" => {
            let a = bind(fname, args, &["lambd"], 0)?;
            let lambd = arg_f64(&a, 0, 1.0)?;
            let u = st.borrow_mut().mt.random();
            if lambd == 0.0 {
                return Err(PyErr::new(
                    crate::error::ErrorKind::ZeroDivisionError,
                    "float division by zero",
                ));
            }
            Value::Float(-(1.0 - u).ln() / lambd)
        }
        "gammavariate" | "betavariate" | "weibullvariate" => {
            let a = bind(fname, args, &["alpha", "beta"], 2)?;
            let (alpha, beta) = (arg_f64(&a, 0, 0.0)?, arg_f64(&a, 1, 0.0)?);
            let mut s = st.borrow_mut();
            Value::Float(match name {
                "gammavariate" => gammavariate(&mut s, alpha, beta)?,
                "betavariate" => {
                    let y = gammavariate(&mut s, alpha, 1.0)?;
                    if y != 0.0 {
                        y / (y + gammavariate(&mut s, beta, 1.0)?)
                    } else {
                        0.0
                    }
                }
                _ => {
                    let u = 1.0 - s.mt.random();
                    alpha * (-u.ln()).powf(1.0 / beta)
                }
            })
        }
        "paretovariate" => {
            let a = bind(fname, args, &["alpha"], 1)?;
            let alpha = arg_f64(&a, 0, 1.0)?;
            let u = 1.0 - st.borrow_mut().mt.random();
            Value::Float(u.powf(-1.0 / alpha))
        }
        "vonmisesvariate" => {
            let a = bind(fname, args, &["mu", "kappa"], 2)?;
            let (mu, kappa) = (arg_f64(&a, 0, 0.0)?, arg_f64(&a, 1, 0.0)?);
            let mut s = st.borrow_mut();
            if kappa <= 1e-6 {
                return Ok(Value::Float(TAU * s.mt.random()));
            }
            let sv = 0.5 / kappa;
            let r = sv + (1.0 + sv * sv).sqrt();
            let z = loop {
                let u1 = s.mt.random();
                let z = (PI * u1).cos();
                let d = z / (r + z);
                let u2 = s.mt.random();
                if u2 < 1.0 - d * d || u2 <= (1.0 - d) * d.exp() {
                    break z;
                }
            };
            let q = 1.0 / r;
            let f = (q + z) / (1.0 + q * z);
            let u3 = s.mt.random();
            let theta = if u3 > 0.5 {
                mu + f.acos()
            } else {
                mu - f.acos()
            };
            Value::Float(theta.rem_euclid(TAU))
        }
        "getstate" => {
            super::args::none(fname, &args)?;
            getstate(&st.borrow())
        }
        "setstate" => {
            let state = super::args::one(fname, args)?;
            setstate(interp, &mut st.borrow_mut(), &state)?;
            Value::None
        }
        _ => unreachable!("random method table and dispatch disagree"),
    })
}

const METHODS: &[&str] = &[
    "seed",
    "random",
    "getrandbits",
    "randrange",
    "randint",
    "choice",
    "choices",
    "shuffle",
    "sample",
    "uniform",
    "triangular",
    "gauss",
    "normalvariate",
    "lognormvariate",
    "expovariate",
    "gammavariate",
    "betavariate",
    "weibullvariate",
    "paretovariate",
    "vonmisesvariate",
    "getstate",
    "setstate",
];

fn bound(st: &Shared, name: &'static str) -> Value {
    let st = st.clone();
    Value::native(name, move |interp, args| call(interp, &st, name, args))
}

/// A `random.Random(x)` instance.
struct RandomObject(Shared);

impl Object for RandomObject {
    fn type_name(&self) -> String {
        "Random".into()
    }
    fn repr(&self) -> String {
        "<random.Random object>".into()
    }
    fn get_attr(&self, _interp: &mut Interp, name: &str) -> PyResult<Option<Value>> {
        Ok(METHODS
            .iter()
            .find(|m| **m == name)
            .map(|m| bound(&self.0, m)))
    }
    fn attr_names(&self) -> Vec<String> {
        METHODS.iter().map(|m| m.to_string()).collect()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The `random` module.
pub fn module() -> Value {
    let st = global();
    let mut attrs: Vec<(&str, Value)> = METHODS.iter().map(|m| (*m, bound(&st, m))).collect();
    attrs.push((
        "Random",
        Value::native("Random", |_, args| {
            let a = bind("Random", args, &["x"], 0)?;
            let mut state = RandomState {
                mt: PyMt::from_u64(0),
                gauss_next: None,
            };
            seed_state(&mut state, a[0].as_ref())?;
            Ok(Value::Object(Rc::new(RandomObject(Rc::new(RefCell::new(
                state,
            ))))))
        }),
    ));
    make_module("random", attrs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn float_hash_is_cpythons() {
        // hash(1.5), hash(-0.1), hash(1e300), hash(2.0) in CPython 3.11.
        assert_eq!(super::hash_float(1.5), 1_152_921_504_606_846_977);
        assert_eq!(super::hash_float(-0.1), -230_584_300_921_369_408);
        assert_eq!(super::hash_float(1e300), 1_224_995_262_755_759_164);
        assert_eq!(super::hash_float(2.0), 2);
    }
}
