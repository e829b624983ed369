//! `torch.nn.init`: the initialisers of `torch/nn/init.py`, each computing its bound or
//! standard deviation in double precision exactly as the Python does and then drawing with the
//! tensor's own in-place sampler (`uniform_`, `normal_`) under no-grad, so the generator is
//! consumed in PyTorch's order and `torch.manual_seed(0); nn.Linear(3, 1).weight` matches.

use super::args::Bound;
use super::table::{Row, torch};
use crate::array::NdArray;
use crate::array::random::{self, GeneratorRef};
use crate::autograd::{GradModeGuard, Tensor, ops};
use crate::error::{PyResult, runtime_error, value_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn generator(b: &Bound) -> PyResult<GeneratorRef> {
    let v = if b.sig.params.iter().any(|p| p.name == "generator") {
        b.value("generator")?
    } else {
        Value::None
    };
    Ok(super::random::as_generator(&v).unwrap_or_else(random::default_generator))
}

/// `tensor.uniform_(a, b)` under no-grad, with PyTorch's checks.
pub fn uniform(t: &Tensor, from: f64, to: f64, g: &GeneratorRef) -> PyResult<()> {
    if from > to {
        return Err(runtime_error(format!(
            "uniform_ expects to return a [from, to) range, but found from={from} > to={to}"
        )));
    }
    require_float(t, "check_uniform_bounds")?;
    random::uniform_(&t.array(), from, to, &mut g.borrow_mut());
    Ok(())
}

/// `tensor.normal_(mean, std)` under no-grad.
pub fn normal(t: &Tensor, mean: f64, std: f64, g: &GeneratorRef) -> PyResult<()> {
    if std < 0.0 {
        return Err(runtime_error(format!(
            "normal expects std >= 0.0, but found std {std}"
        )));
    }
    require_float(t, "normal_kernel_cpu")?;
    random::normal_(&t.array(), mean, std, &mut g.borrow_mut());
    Ok(())
}

fn require_float(t: &Tensor, kernel: &str) -> PyResult<()> {
    if t.dtype().is_floating() {
        return Ok(());
    }
    Err(runtime_error(format!(
        "\"{kernel}\" not implemented for '{}'",
        super::convert::dtype_short_name(t.dtype())
    )))
}

/// `calculate_gain(nonlinearity, param)`: an int 1 for the linear functions and sigmoid (as
/// the Python returns), a float otherwise.
fn gain_value(nonlinearity: &str, param: &Value) -> PyResult<Value> {
    const LINEAR: &[&str] = &[
        "linear",
        "conv1d",
        "conv2d",
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "conv_transpose3d",
    ];
    Ok(match nonlinearity {
        n if LINEAR.contains(&n) || n == "sigmoid" => Value::Int(1),
        "tanh" => Value::Float(5.0 / 3.0),
        "relu" => Value::Float(2.0f64.sqrt()),
        "leaky_relu" => {
            let slope = match param {
                Value::None => 0.01,
                Value::Int(i) => *i as f64,
                Value::Float(f) => *f,
                other => {
                    return Err(value_error(format!(
                        "negative_slope {} not a valid number",
                        other.type_name()
                    )));
                }
            };
            Value::Float((2.0 / (1.0 + slope.powi(2))).sqrt())
        }
        "selu" => Value::Float(3.0 / 4.0),
        other => {
            return Err(value_error(format!("Unsupported nonlinearity {other}")));
        }
    })
}

fn gain_f64(nonlinearity: &str, param: &Value) -> PyResult<f64> {
    Ok(match gain_value(nonlinearity, param)? {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        _ => 1.0,
    })
}

/// `_calculate_fan_in_and_fan_out`.
pub fn fans(t: &Tensor) -> PyResult<(usize, usize)> {
    let shape = t.shape();
    if shape.len() < 2 {
        return Err(value_error(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
        ));
    }
    let receptive: usize = shape[2..].iter().product();
    Ok((shape[1] * receptive, shape[0] * receptive))
}

fn correct_fan(t: &Tensor, mode: &str) -> PyResult<usize> {
    let mode = mode.to_lowercase();
    if mode != "fan_in" && mode != "fan_out" {
        return Err(value_error(format!(
            "Mode {mode} not supported, please use one of ['fan_in', 'fan_out']"
        )));
    }
    let (fan_in, fan_out) = fans(t)?;
    Ok(if mode == "fan_in" { fan_in } else { fan_out })
}

/// `kaiming_uniform_(tensor, a, mode, nonlinearity)`; the layers' default weight init calls it
/// with `a=math.sqrt(5)`.
pub fn kaiming_uniform(
    t: &Tensor,
    a: &Value,
    mode: &str,
    nonlinearity: &str,
    g: &GeneratorRef,
) -> PyResult<()> {
    if t.shape().contains(&0) {
        return Ok(());
    }
    let fan = correct_fan(t, mode)?;
    let std = gain_f64(nonlinearity, a)? / (fan as f64).sqrt();
    let bound = 3.0f64.sqrt() * std;
    let _off = GradModeGuard::new(false);
    uniform(t, -bound, bound, g)
}

fn number(v: &Value) -> f64 {
    super::args::as_f64(v).unwrap_or(0.0)
}

fn out(t: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(t))
}

fn calculate_gain(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let n = b.str("nonlinearity")?.unwrap_or_default();
    let param = b.value("param")?;
    if let Value::Bool(v) = param
        && n == "leaky_relu"
    {
        return Err(value_error(format!(
            "negative_slope {} not a valid number",
            if v { "True" } else { "False" }
        )));
    }
    gain_value(&n, &param)
}

fn uniform_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let _off = GradModeGuard::new(false);
    uniform(
        &t,
        number(&b.value("a")?),
        number(&b.value("b")?),
        &generator(b)?,
    )?;
    out(t)
}

fn normal_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let _off = GradModeGuard::new(false);
    normal(
        &t,
        number(&b.value("mean")?),
        number(&b.value("std")?),
        &generator(b)?,
    )?;
    out(t)
}

fn constant_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let _off = GradModeGuard::new(false);
    ops::fill_(&t, number(&b.value("val")?))?;
    out(t)
}

fn ones_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let _off = GradModeGuard::new(false);
    ops::fill_(&t, 1.0)?;
    out(t)
}

fn zeros_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let _off = GradModeGuard::new(false);
    ops::zero_(&t)?;
    out(t)
}

fn eye_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    if t.ndim() != 2 {
        return Err(value_error("Only tensors with 2 dimensions are supported"));
    }
    let s = t.shape();
    let eye = NdArray::eye(s[0], s[1], t.dtype());
    let _off = GradModeGuard::new(false);
    ops::copy_(&t, &Tensor::new(eye))?;
    out(t)
}

fn dirac_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let groups = b.int("groups")?.max(1) as usize;
    let s = t.shape();
    if !(3..=5).contains(&s.len()) {
        return Err(value_error(
            "Only tensors with 3, 4, or 5 dimensions are supported",
        ));
    }
    if s[0] % groups != 0 {
        return Err(value_error("dim 0 must be divisible by groups"));
    }
    let out_per_group = s[0] / groups;
    let min_dim = out_per_group.min(s[1]);
    let mut data = vec![0.0f64; t.numel()];
    let strides = crate::array::contiguous_strides(&s);
    for g in 0..groups {
        for d in 0..min_dim {
            let mut off = (g * out_per_group + d) * strides[0] + d * strides[1];
            for k in 2..s.len() {
                off += (s[k] / 2) * strides[k];
            }
            data[off] = 1.0;
        }
    }
    let src = NdArray::from_vec(data, s).to_dtype(t.dtype());
    let _off = GradModeGuard::new(false);
    ops::copy_(&t, &Tensor::new(src))?;
    out(t)
}

fn xavier_uniform_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let (fan_in, fan_out) = fans(&t)?;
    let std = number(&b.value("gain")?) * (2.0 / (fan_in + fan_out) as f64).sqrt();
    let a = 3.0f64.sqrt() * std;
    let _off = GradModeGuard::new(false);
    uniform(&t, -a, a, &generator(b)?)?;
    out(t)
}

fn xavier_normal_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let (fan_in, fan_out) = fans(&t)?;
    let std = number(&b.value("gain")?) * (2.0 / (fan_in + fan_out) as f64).sqrt();
    let _off = GradModeGuard::new(false);
    normal(&t, 0.0, std, &generator(b)?)?;
    out(t)
}

fn kaiming_uniform_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let mode = b.str("mode")?.unwrap_or_default();
    let nl = b.str("nonlinearity")?.unwrap_or_default();
    kaiming_uniform(&t, &b.value("a")?, &mode, &nl, &generator(b)?)?;
    out(t)
}

fn kaiming_normal_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    if t.shape().contains(&0) {
        return out(t);
    }
    let mode = b.str("mode")?.unwrap_or_default();
    let nl = b.str("nonlinearity")?.unwrap_or_default();
    let fan = correct_fan(&t, &mode)?;
    let std = gain_f64(&nl, &b.value("a")?)? / (fan as f64).sqrt();
    let _off = GradModeGuard::new(false);
    normal(&t, 0.0, std, &generator(b)?)?;
    out(t)
}

/// `_no_grad_trunc_normal_` (PyTorch 2.15): when the interval holds over 30% of the mass,
/// normal draws with the outliers redrawn until none is left; otherwise rejection sampling
/// from U(a, b) against the normal density, as the Python does it, draw for draw.
fn trunc_normal_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    let (mean, std) = (number(&b.value("mean")?), number(&b.value("std")?));
    let (lo, hi) = (number(&b.value("a")?), number(&b.value("b")?));
    let cdf = |x: f64| (1.0 + crate::array::erf(x / 2.0f64.sqrt())) / 2.0;
    let p = cdf((hi - mean) / std) - cdf((lo - mean) / std);
    let g = generator(b)?;
    let dt = t.dtype();
    // Values as the tensor's dtype holds them (exact in f64).
    let round = |x: f64| NdArray::scalar(x, dt).to_f64_vec()[0];
    let shape = t.shape();
    let _off = GradModeGuard::new(false);
    let result: Vec<f64> = if p > 0.3 {
        let (lo, hi) = (round(lo), round(hi));
        normal(&t, mean, std, &g)?;
        let mut result = t.array().to_f64_vec();
        loop {
            let bad: Vec<bool> = result.iter().map(|&v| v < lo || v > hi).collect();
            if !bad.iter().any(|&x| x) {
                break;
            }
            let fresh = NdArray::zeros(&shape, dt);
            random::normal_(&fresh, mean, std, &mut g.borrow_mut());
            for (r, (f, m)) in result
                .iter_mut()
                .zip(fresh.to_f64_vec().into_iter().zip(bad))
            {
                if m {
                    *r = f;
                }
            }
        }
        result
    } else {
        let mode = lo.max(mean.min(hi));
        let log_peak = -0.5 * ((mode - mean) / std).powi(2);
        // candidates.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(log_peak), in the dtype.
        let log_pdf = |c: &NdArray| -> Vec<f64> {
            let f = |x: f64| round(x);
            c.to_f64_vec()
                .into_iter()
                .map(|v| {
                    let z = f(f(v - f(mean)) / f(std));
                    f(f(f(z * z) * -0.5) - f(log_peak))
                })
                .collect()
        };
        let accept = |n: usize| -> Vec<f64> {
            let u = NdArray::zeros(&shape, dt);
            random::uniform_(&u, 0.0, 1.0, &mut g.borrow_mut());
            let logs = u.unary(crate::array::UnaryOp::Log);
            let v = logs.to_f64_vec();
            debug_assert_eq!(v.len(), n);
            v
        };
        uniform(&t, lo, hi, &g)?;
        let mut result = t.array().to_f64_vec();
        let n = result.len();
        let lp = log_pdf(&t.array());
        let mut pending: Vec<bool> = accept(n).iter().zip(&lp).map(|(a, l)| a > l).collect();
        while pending.iter().any(|&x| x) {
            let cand = NdArray::zeros(&shape, dt);
            random::uniform_(&cand, lo, hi, &mut g.borrow_mut());
            let cv = cand.to_f64_vec();
            for (r, (c, &p)) in result.iter_mut().zip(cv.iter().zip(&pending)) {
                if p {
                    *r = *c;
                }
            }
            let lp = log_pdf(&cand);
            let acc = accept(n);
            for (p, (a, l)) in pending.iter_mut().zip(acc.iter().zip(&lp)) {
                if *p {
                    *p = a > l;
                }
            }
        }
        result
    };
    let src = NdArray::from_vec(result, shape).to_dtype(dt);
    ops::copy_(&t, &Tensor::new(src))?;
    out(t)
}

/// `orthogonal_`: the QR factorisation of a standard-normal matrix, Q's columns signed by R's
/// diagonal (Householder in double precision; LAPACK may differ in the last bits).
fn orthogonal_(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let t = b.tensor("tensor")?;
    if t.ndim() < 2 {
        return Err(value_error(
            "Only tensors with 2 or more dimensions are supported",
        ));
    }
    if t.numel() == 0 {
        return out(t);
    }
    let rows = t.shape()[0];
    let cols = t.numel() / rows;
    let flat = NdArray::zeros(&[rows, cols], t.dtype());
    random::normal_(&flat, 0.0, 1.0, &mut generator(b)?.borrow_mut());
    let m = flat.to_vec::<f64>();
    // Work on the tall orientation (rows >= cols), as the Python transposes first.
    let (r, c, a) = if rows < cols {
        let mut tr = vec![0.0; rows * cols];
        for i in 0..rows {
            for j in 0..cols {
                tr[j * rows + i] = m[i * cols + j];
            }
        }
        (cols, rows, tr)
    } else {
        (rows, cols, m)
    };
    let q = householder_q(&a, r, c);
    let q = if rows < cols {
        let mut tr = vec![0.0; rows * cols];
        for i in 0..r {
            for j in 0..c {
                tr[j * r + i] = q[i * c + j];
            }
        }
        tr
    } else {
        q
    };
    let gain = number(&b.value("gain")?);
    let q: Vec<f64> = q.iter().map(|v| v * gain).collect();
    let src = NdArray::from_vec(q, t.shape()).to_dtype(t.dtype());
    let _off = GradModeGuard::new(false);
    ops::copy_(&t, &Tensor::new(src))?;
    out(t)
}

/// The reduced Q (r x c, r >= c) of `a`, each column multiplied by the sign of R's diagonal.
fn householder_q(a: &[f64], r: usize, c: usize) -> Vec<f64> {
    let mut m = a.to_vec();
    let mut vs: Vec<Vec<f64>> = Vec::with_capacity(c);
    let mut diag = vec![0.0; c];
    for k in 0..c {
        let norm: f64 = (k..r).map(|i| m[i * c + k].powi(2)).sum::<f64>().sqrt();
        let x0 = m[k * c + k];
        let alpha = if x0 > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = (k..r).map(|i| m[i * c + k]).collect();
        v[0] -= alpha;
        let vn: f64 = v.iter().map(|x| x * x).sum();
        if vn > 0.0 {
            for j in k..c {
                let dot: f64 = (k..r).map(|i| v[i - k] * m[i * c + j]).sum();
                let f = 2.0 * dot / vn;
                for i in k..r {
                    m[i * c + j] -= f * v[i - k];
                }
            }
        }
        diag[k] = m[k * c + k];
        vs.push(v);
    }
    // Q = H_0 H_1 ... H_{c-1} applied to the first c columns of the identity.
    let mut q = vec![0.0; r * c];
    for j in 0..c {
        q[j * c + j] = 1.0;
    }
    for k in (0..c).rev() {
        let v = &vs[k];
        let vn: f64 = v.iter().map(|x| x * x).sum();
        if vn == 0.0 {
            continue;
        }
        for j in 0..c {
            let dot: f64 = (k..r).map(|i| v[i - k] * q[i * c + j]).sum();
            let f = 2.0 * dot / vn;
            for i in k..r {
                q[i * c + j] -= f * v[i - k];
            }
        }
    }
    for (j, d) in diag.iter().enumerate() {
        let s = if *d > 0.0 {
            1.0
        } else if *d < 0.0 {
            -1.0
        } else {
            0.0
        };
        for i in 0..r {
            q[i * c + j] *= s;
        }
    }
    q
}

fn calculate_fan_in_and_fan_out(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (i, o) = fans(&b.tensor("tensor")?)?;
    Ok(Value::tuple(vec![
        Value::Int(i as i64),
        Value::Int(o as i64),
    ]))
}

/// The `torch.nn.init` table.
pub const ROWS: &[Row] = &[
    torch(
        "def _calculate_fan_in_and_fan_out(Tensor tensor)",
        "(fan_in, fan_out) of a weight: input and output feature maps times the receptive field.",
        calculate_fan_in_and_fan_out,
    ),
    torch(
        "def calculate_gain(str nonlinearity, Any param=None)",
        "The recommended gain for a nonlinearity (1 for linear and sigmoid, 5/3 for tanh, sqrt(2) for relu).",
        calculate_gain,
    ),
    torch(
        "def uniform_(Tensor tensor, Any a=0.0, Any b=1.0, Generator? generator=None)",
        "Fills tensor with U(a, b) draws.",
        uniform_,
    ),
    torch(
        "def normal_(Tensor tensor, Any mean=0.0, Any std=1.0, Generator? generator=None)",
        "Fills tensor with N(mean, std) draws.",
        normal_,
    ),
    torch(
        "def trunc_normal_(Tensor tensor, Any mean=0.0, Any std=1.0, Any a=-2.0, Any b=2.0, Generator? generator=None)",
        "Fills tensor with N(mean, std) draws truncated to [a, b].",
        trunc_normal_,
    ),
    torch(
        "def constant_(Tensor tensor, Any val)",
        "Fills tensor with val.",
        constant_,
    ),
    torch("def ones_(Tensor tensor)", "Fills tensor with ones.", ones_),
    torch(
        "def zeros_(Tensor tensor)",
        "Fills tensor with zeros.",
        zeros_,
    ),
    torch(
        "def eye_(Tensor tensor)",
        "Fills a 2-d tensor with the identity matrix.",
        eye_,
    ),
    torch(
        "def dirac_(Tensor tensor, int groups=1)",
        "Fills a 3-, 4- or 5-d tensor with the Dirac delta (identity convolution).",
        dirac_,
    ),
    torch(
        "def xavier_uniform_(Tensor tensor, Any gain=1.0, Generator? generator=None)",
        "Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).",
        xavier_uniform_,
    ),
    torch(
        "def xavier_normal_(Tensor tensor, Any gain=1.0, Generator? generator=None)",
        "Glorot normal: N(0, gain * sqrt(2 / (fan_in + fan_out))).",
        xavier_normal_,
    ),
    torch(
        "def kaiming_uniform_(Tensor tensor, Any a=0, str mode=\"fan_in\", str nonlinearity=\"leaky_relu\", Generator? generator=None)",
        "He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan).",
        kaiming_uniform_,
    ),
    torch(
        "def kaiming_normal_(Tensor tensor, Any a=0, str mode=\"fan_in\", str nonlinearity=\"leaky_relu\", Generator? generator=None)",
        "He normal: N(0, gain / sqrt(fan)).",
        kaiming_normal_,
    ),
    torch(
        "def orthogonal_(Tensor tensor, Any gain=1, Generator? generator=None)",
        "Fills tensor with a (semi-)orthogonal matrix from the QR of a normal matrix.",
        orthogonal_,
    ),
];
