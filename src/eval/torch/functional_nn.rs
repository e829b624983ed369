//! `torch.nn.functional`: activations, softmax, `linear`, `normalize`, `one_hot`, `dropout`,
//! `pad`, `cosine_similarity`. The losses are in `functional_loss`.

use super::args::Bound;
use super::table::{Row, apply_unary, torch};
use crate::array::{Activation, DType, NdArray, UnaryOp, broadcast_shapes};
use crate::autograd::{GradModeGuard, Tensor, ops};
use crate::error::{PyResult, not_implemented, runtime_error, value_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

/// The in-place form (`inplace=True`) writes the result back into the input.
fn maybe_inplace(b: &Bound, x: &Tensor, out: Tensor) -> PyResult<Value> {
    if b.bool("inplace")? {
        ops::copy_(x, &out)?;
        return t(x.clone());
    }
    t(out)
}

fn relu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let out = apply_unary(&x, UnaryOp::Relu)?;
    maybe_inplace(b, &x, out)
}
fn sigmoid(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(apply_unary(&b.tensor("input")?, UnaryOp::Sigmoid)?)
}
fn tanh(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    t(apply_unary(&b.tensor("input")?, UnaryOp::Tanh)?)
}

fn activation(b: &Bound, act: Activation) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let out = ops::activation(&x, act)?;
    if b.sig.params.iter().any(|p| p.name == "inplace") {
        return maybe_inplace(b, &x, out);
    }
    t(out)
}
fn softplus(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    activation(
        b,
        Activation::Softplus {
            beta: b.float("beta")?,
            threshold: b.float("threshold")?,
        },
    )
}
fn leaky_relu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    activation(
        b,
        Activation::LeakyRelu {
            slope: b.float("negative_slope")?,
        },
    )
}
fn elu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    activation(
        b,
        Activation::Elu {
            alpha: b.float("alpha")?,
            scale: 1.0,
            input_scale: 1.0,
        },
    )
}
fn gelu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let tanh = match b.str("approximate")?.as_deref() {
        Some("none") | None => false,
        Some("tanh") => true,
        Some(_) => {
            return Err(runtime_error(
                "approximate argument must be either none or tanh.",
            ));
        }
    };
    activation(b, Activation::Gelu { tanh })
}
fn silu(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    activation(b, Activation::Silu)
}

/// PyTorch's legacy implicit softmax dim: 0 for 0-, 1- and 3-d input, else 1.
fn softmax_dim(b: &Bound, x: &Tensor) -> PyResult<isize> {
    Ok(match b.opt_int("dim")? {
        Some(d) => d as isize,
        None if matches!(x.ndim(), 0 | 1 | 3) => 0,
        None => 1,
    })
}
fn cast(b: &Bound, x: Tensor) -> PyResult<Tensor> {
    match b.dtype("dtype")? {
        Some(d) if d != x.dtype() => ops::to_dtype(&x, d),
        _ => Ok(x),
    }
}
fn softmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let dim = softmax_dim(b, &x)?;
    t(ops::softmax(&cast(b, x)?, dim)?)
}
fn log_softmax(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let dim = softmax_dim(b, &x)?;
    t(ops::log_softmax(&cast(b, x)?, dim)?)
}

fn linear(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let bias = b.opt_tensor("bias")?;
    t(ops::linear(
        &b.tensor("input")?,
        &b.tensor("weight")?,
        bias.as_ref(),
    )?)
}

/// `input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)`.
fn normalize(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let dim = b.int("dim")? as isize;
    let norm = ops::norm(&x, b.float("p")?, Some(&[dim]), true)?;
    let denom = ops::clamp(&norm, Some(b.float("eps")?), None)?;
    t(ops::div(&x, &ops::expand_as(&denom, &x)?)?)
}

/// `one_hot(tensor, num_classes=-1)`: int64 classes → an int64 tensor with a new last dim.
fn one_hot(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    if x.dtype() != DType::I64 {
        return Err(runtime_error(
            "one_hot is only applicable to index tensor of type LongTensor.",
        ));
    }
    let classes = x.array().to_vec::<i64>();
    let mut n = b.int("num_classes")?;
    if n == -1 {
        match classes.iter().max() {
            Some(&m) => n = m + 1,
            None => {
                return Err(runtime_error(
                    "Can not infer total number of classes from empty tensor.",
                ));
            }
        }
    }
    if classes.iter().any(|&c| c < 0) {
        return Err(runtime_error("Class values must be non-negative."));
    }
    if classes.iter().any(|&c| c >= n) {
        return Err(runtime_error(
            "Class values must be smaller than num_classes.",
        ));
    }
    let n = n.max(0) as usize;
    let mut shape = x.shape();
    shape.push(n);
    let mut out = vec![0i64; crate::array::alloc::check_storage(&shape, 8)?];
    for (i, &c) in classes.iter().enumerate() {
        out[i * n + c as usize] = 1;
    }
    t(Tensor::new(NdArray::from_vec(out, shape)))
}

/// `dropout(input, p=0.5, training=True, inplace=False)`: ATen's CPU `_dropout_impl`,
/// `input * (bernoulli_(1 - p) / (1 - p))` with the default generator.
fn dropout(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let p = b.float("p")?;
    if !(0.0..=1.0).contains(&p) {
        let shown = match b.value("p")? {
            Value::Int(i) => i.to_string(),
            _ => crate::eval::pyfmt::float_repr(p),
        };
        return Err(value_error(format!(
            "dropout probability has to be between 0 and 1, but got {shown}"
        )));
    }
    if !b.bool("training")? || p == 0.0 || x.numel() == 0 {
        return t(x);
    }
    if !x.dtype().is_floating() {
        return Err(runtime_error(format!(
            "result type Float can't be cast to the desired output type {}",
            x.dtype().title()
        )));
    }
    let noise = if p == 1.0 {
        NdArray::scalar(0.0, x.dtype())
    } else {
        let mask = NdArray::zeros(&x.shape(), x.dtype());
        let g = crate::array::random::default_generator();
        crate::array::random::bernoulli_scalar_(&mask, 1.0 - p, &mut g.borrow_mut());
        mask.binary(
            &NdArray::scalar(1.0 - p, x.dtype()),
            crate::array::BinaryOp::Div,
        )?
    };
    let out = ops::mul(&x, &Tensor::new(noise))?;
    maybe_inplace(b, &x, out)
}

/// `pad(input, pad, mode="constant", value=None)`; only the constant mode.
fn pad(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let pads = b.int_list("pad")?;
    if !pads.len().is_multiple_of(2) {
        return Err(runtime_error("Padding length must be divisible by 2"));
    }
    if pads.len() / 2 > x.ndim() {
        return Err(runtime_error(format!(
            "Padding length should be less than or equal to two times the input dimension but got padding length {} and input of dimension {}",
            pads.len(),
            x.ndim()
        )));
    }
    let mode = b.str("mode")?.unwrap_or_else(|| "constant".into());
    if mode != "constant" {
        return Err(not_implemented(format!(
            "F.pad with mode='{mode}' is not supported in gradbook (only mode='constant')"
        )));
    }
    let value = b.opt_float("value")?.unwrap_or(0.0);
    t(ops::constant_pad_nd(&x, &pads, value)?)
}

/// `cosine_similarity(x1, x2, dim=1, eps=1e-8)`: ATen divides each input by its norm first;
/// the norms are clamped to `eps` without recording (so the gradient ignores the clamp).
fn cosine_similarity(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (x1, x2) = (b.tensor("x1")?, b.tensor("x2")?);
    let dim = b.int("dim")? as isize;
    let eps = b.float("eps")?;
    let shape = broadcast_shapes(&x1.shape(), &x2.shape())?;
    let (x1, x2) = (
        ops::broadcast_to(&x1, &shape)?,
        ops::broadcast_to(&x2, &shape)?,
    );
    let clamped_norm = |x: &Tensor| -> PyResult<Tensor> {
        let n = ops::norm(x, 2.0, Some(&[dim]), true)?;
        let shift = {
            let _off = GradModeGuard::new(false);
            let na = n.array();
            let c = na.clamp(Some(eps), None);
            c.binary(&na, crate::array::BinaryOp::Sub)?
        };
        ops::add(&n, &Tensor::new(shift), 1.0)
    };
    let (n1, n2) = (clamped_norm(&x1)?, clamped_norm(&x2)?);
    let prod = ops::mul(&ops::div(&x1, &n1)?, &ops::div(&x2, &n2)?)?;
    t(ops::sum(&prod, Some(&[dim]), false)?)
}

fn shape_text(s: &[usize]) -> String {
    let inner: Vec<String> = s.iter().map(|d| d.to_string()).collect();
    format!("torch.Size([{}])", inner.join(", "))
}

/// `embedding(input, weight, padding_idx=None, ...)`: a negative padding index counts from
/// the end, as the Python normalises it.
fn embedding(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (input, weight) = (b.tensor("input")?, b.tensor("weight")?);
    let rows = weight.shape().first().copied().unwrap_or(0) as i64;
    let padding = match b.opt_int("padding_idx")? {
        None => None,
        Some(p) if p > 0 && p >= rows => {
            return Err(crate::error::PyErr::new(
                crate::error::ErrorKind::AssertionError,
                "Padding_idx must be within num_embeddings",
            ));
        }
        Some(p) if p < 0 && p < -rows => {
            return Err(crate::error::PyErr::new(
                crate::error::ErrorKind::AssertionError,
                "Padding_idx must be within num_embeddings",
            ));
        }
        Some(p) if p < 0 => Some(rows + p),
        Some(p) => Some(p),
    };
    if !b.is_none("max_norm")? {
        return Err(not_implemented(
            "F.embedding with max_norm is not supported in gradbook",
        ));
    }
    t(ops::embedding(&weight, &input, padding)?)
}

fn layer_norm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let shape: Vec<usize> = b
        .int_list("normalized_shape")?
        .into_iter()
        .map(|d| d.max(0) as usize)
        .collect();
    let (w, bias) = (b.opt_tensor("weight")?, b.opt_tensor("bias")?);
    t(ops::layer_norm(
        &b.tensor("input")?,
        &shape,
        w.as_ref(),
        bias.as_ref(),
        b.float("eps")?,
    )?)
}

/// `batch_norm(...)`, with the Python wrapper's `_verify_batch_size` check in training.
fn batch_norm(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    let training = b.bool("training")?;
    if training {
        let s = x.shape();
        let prods: usize = s.first().copied().unwrap_or(1) * s.iter().skip(2).product::<usize>();
        if prods == 1 {
            return Err(value_error(format!(
                "Expected more than 1 value per channel when training, got input size {}",
                shape_text(&s)
            )));
        }
    }
    let (rm, rv) = (b.opt_tensor("running_mean")?, b.opt_tensor("running_var")?);
    let (w, bias) = (b.opt_tensor("weight")?, b.opt_tensor("bias")?);
    t(ops::batch_norm(
        &x,
        rm.as_ref(),
        rv.as_ref(),
        w.as_ref(),
        bias.as_ref(),
        training,
        b.float("momentum")?,
        b.float("eps")?,
    )?)
}

/// The `torch.nn.functional` module's table (the losses are appended from `functional_loss`).
pub const ROWS: &[Row] = &[
    torch(
        "def relu(Tensor input, bool inplace=False)",
        "max(input, 0).",
        relu,
    ),
    torch(
        "def sigmoid(Tensor input)",
        "1 / (1 + exp(-input)).",
        sigmoid,
    ),
    torch("def tanh(Tensor input)", "Hyperbolic tangent.", tanh),
    torch(
        "softplus(Tensor input, Scalar beta=1, Scalar threshold=20)",
        "log(1 + exp(beta * input)) / beta, linear above threshold.",
        softplus,
    ),
    torch(
        "def leaky_relu(Tensor input, float negative_slope=0.01, bool inplace=False)",
        "input for input > 0, else negative_slope * input.",
        leaky_relu,
    ),
    torch(
        "def elu(Tensor input, float alpha=1.0, bool inplace=False)",
        "input for input > 0, else alpha * (exp(input) - 1).",
        elu,
    ),
    torch(
        "gelu(Tensor input, *, str approximate=\"none\")",
        "input * Phi(input), Phi the standard normal CDF (or its tanh approximation).",
        gelu,
    ),
    torch(
        "def silu(Tensor input, bool inplace=False)",
        "input * sigmoid(input).",
        silu,
    ),
    torch(
        "def softmax(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None)",
        "Softmax along dim.",
        softmax,
    ),
    torch(
        "def log_softmax(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None)",
        "Log-softmax along dim.",
        log_softmax,
    ),
    torch(
        "linear(Tensor input, Tensor weight, Tensor? bias=None)",
        "input @ weight.T + bias.",
        linear,
    ),
    torch(
        "def normalize(Tensor input, float p=2.0, int dim=1, float eps=1e-12, Any? out=None)",
        "input divided by its p-norm along dim.",
        normalize,
    ),
    torch(
        "one_hot(Tensor input, int num_classes=-1)",
        "int64 class indices as one-hot rows.",
        one_hot,
    ),
    torch(
        "def dropout(Tensor input, float p=0.5, bool training=True, bool inplace=False)",
        "Zeroes elements with probability p and scales the rest by 1 / (1 - p).",
        dropout,
    ),
    torch(
        "def pad(Tensor input, int[] pad, str mode=\"constant\", float? value=None)",
        "Pads the last dims with a constant.",
        pad,
    ),
    torch(
        "cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08)",
        "Cosine of the angle between x1 and x2 along dim.",
        cosine_similarity,
    ),
    torch(
        "def embedding(Tensor input, Tensor weight, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, bool sparse=False)",
        "Rows of weight picked by the indices in input (the padding_idx row gets no gradient).",
        embedding,
    ),
    torch(
        "def layer_norm(Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05)",
        "Normalises the last dims to mean 0 and variance 1, then scales by weight and shifts by bias.",
        layer_norm,
    ),
    torch(
        "def batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight=None, Tensor? bias=None, bool training=False, float momentum=0.1, float eps=1e-05)",
        "Normalises each channel (dim 1) with the batch statistics (training) or the running ones.",
        batch_norm,
    ),
];
