//! `torch.nn.functional` convolution and pooling: `conv1d`, `conv2d`, `max_pool2d`,
//! `avg_pool2d`, `adaptive_avg_pool2d`, bound to `autograd::ops::conv`. Unbatched input
//! (one dim fewer) gets a batch dim for the op and loses it after, as ATen does.

use super::args::Bound;
use super::table::{Row, torch};
use crate::array::conv::Window2d;
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, not_implemented, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn t(x: Tensor) -> PyResult<Value> {
    Ok(Value::Tensor(x))
}

/// An `int or tuple` argument as `n` values (a single int repeated).
fn per_dim(v: &Value, n: usize, name: &str) -> PyResult<Vec<usize>> {
    let one = |v: &Value| -> PyResult<usize> {
        match super::args::as_int(v) {
            Some(i) if i >= 0 => Ok(i as usize),
            Some(i) => Err(runtime_error(format!(
                "{name} must be non-negative, got {i}"
            ))),
            None => Err(type_error(format!(
                "{name} must be int or tuple of ints, not {}",
                v.type_name()
            ))),
        }
    };
    let items: Vec<Value> = match v {
        Value::Tuple(t) => t.to_vec(),
        Value::List(l) => l.borrow().clone(),
        Value::Size(s) => s.iter().map(|&d| Value::Int(d as i64)).collect(),
        other => return Ok(vec![one(other)?; n]),
    };
    if items.len() == 1 {
        return Ok(vec![one(&items[0])?; n]);
    }
    if items.len() != n {
        let shown: Vec<String> = items
            .iter()
            .map(|v| super::args::as_int(v).map_or("?".to_string(), |i| i.to_string()))
            .collect();
        return Err(runtime_error(format!(
            "expected {name} to be a single integer value or a list of {n} values to match the convolution dimensions, but got {name}=[{}]",
            shown.join(", ")
        )));
    }
    items.iter().map(one).collect()
}

/// Adds the batch dim to unbatched input; returns whether it did.
fn batchify(x: &Tensor, spatial: usize, op: &str) -> PyResult<(Tensor, bool)> {
    let nd = x.ndim();
    if nd == spatial + 2 {
        return Ok((x.clone(), false));
    }
    if nd == spatial + 1 {
        return Ok((ops::unsqueeze(x, 0)?, true));
    }
    Err(runtime_error(format!(
        "Expected {}D (unbatched) or {}D (batched) input to {op}, but got input of size: [{}]",
        spatial + 1,
        spatial + 2,
        x.shape()
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

fn unbatch(out: Tensor, added: bool) -> PyResult<Tensor> {
    if added {
        ops::squeeze(&out, Some(0))
    } else {
        Ok(out)
    }
}

fn conv(b: &Bound, spatial: usize, op: &str) -> PyResult<Value> {
    let (x, added) = batchify(&b.tensor("input")?, spatial, op)?;
    let weight = b.tensor("weight")?;
    let bias = b.opt_tensor("bias")?;
    let stride = per_dim(&b.value("stride")?, spatial, "stride")?;
    let dilation = per_dim(&b.value("dilation")?, spatial, "dilation")?;
    let groups = b.int("groups")?;
    if groups <= 0 {
        return Err(runtime_error("non-positive groups is not supported"));
    }
    if stride.contains(&0) {
        return Err(runtime_error("non-positive stride is not supported"));
    }
    let mut x = x;
    let padding = match b.value("padding")? {
        Value::Str(s) if &*s == "valid" => vec![0; spatial],
        Value::Str(s) if &*s == "same" => {
            if stride.iter().any(|&s| s != 1) {
                return Err(runtime_error(
                    "padding='same' is not supported for strided convolutions",
                ));
            }
            // Total padding d·(k-1) per dim; an odd total puts the extra element on the right.
            let ws = weight.shape();
            let mut sym = Vec::with_capacity(spatial);
            let mut extra = vec![0i64; 2 * spatial];
            for i in 0..spatial {
                let total = dilation[i] * (ws.get(2 + i).copied().unwrap_or(1).max(1) - 1);
                sym.push(total / 2);
                // F.pad lists the last dim first.
                extra[2 * (spatial - 1 - i) + 1] = (total % 2) as i64;
            }
            if extra.iter().any(|&e| e != 0) {
                x = ops::constant_pad_nd(&x, &extra, 0.0)?;
            }
            sym
        }
        Value::Str(s) => {
            return Err(runtime_error(format!("Invalid padding string: '{s}'")));
        }
        v => per_dim(&v, spatial, "padding")?,
    };
    let p = ops::ConvParams {
        stride,
        padding,
        dilation,
        groups: groups as usize,
    };
    let out = ops::convolution(&x, &weight, bias.as_ref(), &p)?;
    t(unbatch(out, added)?)
}

fn conv1d(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    conv(b, 1, "conv1d")
}
fn conv2d(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    conv(b, 2, "conv2d")
}

/// The window of a 2-d pooling call.
fn pool_window(b: &Bound, x: &Tensor, dilation: bool) -> PyResult<Window2d> {
    let kernel = per_dim(&b.value("kernel_size")?, 2, "kernel_size")?;
    let stride = match b.value("stride")? {
        Value::None => kernel.clone(),
        Value::List(l) if l.borrow().is_empty() => kernel.clone(),
        Value::Tuple(t) if t.is_empty() => kernel.clone(),
        v => per_dim(&v, 2, "stride")?,
    };
    let padding = per_dim(&b.value("padding")?, 2, "padding")?;
    let dil = if dilation {
        per_dim(&b.value("dilation")?, 2, "dilation")?
    } else {
        vec![1, 1]
    };
    if b.bool("ceil_mode")? {
        return Err(not_implemented(
            "pooling with ceil_mode=True is not supported in gradbook",
        ));
    }
    for i in 0..2 {
        let effective = dil[i] * (kernel[i].max(1) - 1) + 1;
        if padding[i] * 2 > effective {
            return Err(runtime_error(format!(
                "pad should be at most half of effective kernel size, but got pad={}, kernel_size={} and dilation={}",
                padding[i], kernel[i], dil[i]
            )));
        }
    }
    let s = x.shape();
    let win = Window2d {
        kernel: (kernel[0], kernel[1]),
        stride: (stride[0], stride[1]),
        padding: (padding[0], padding[1]),
        dilation: (dil[0], dil[1]),
        size: (s[s.len() - 2], s[s.len() - 1]),
    };
    if win.output().is_none() {
        return Err(runtime_error(format!(
            "Given input size: ({}x{}x{}). Calculated output size: ({}x0x0). Output size is too small",
            s[s.len() - 3],
            s[s.len() - 2],
            s[s.len() - 1],
            s[s.len() - 3]
        )));
    }
    Ok(win)
}

fn max_pool2d(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (x, added) = batchify(&b.tensor("input")?, 2, "max_pool2d")?;
    if b.bool("return_indices")? {
        return Err(not_implemented(
            "max_pool2d with return_indices=True is not supported in gradbook",
        ));
    }
    let win = pool_window(b, &x, true)?;
    t(unbatch(ops::max_pool2d(&x, win)?, added)?)
}

fn avg_pool2d(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (x, added) = batchify(&b.tensor("input")?, 2, "avg_pool2d")?;
    let win = pool_window(b, &x, false)?;
    let divisor = match b.opt_int("divisor_override")? {
        Some(0) => return Err(runtime_error("divisor must be not zero")),
        Some(d) => Some(d.max(1) as usize),
        None => None,
    };
    t(unbatch(
        ops::avg_pool2d(&x, win, b.bool("count_include_pad")?, divisor)?,
        added,
    )?)
}

fn adaptive_avg_pool2d(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (x, added) = batchify(&b.tensor("input")?, 2, "adaptive_avg_pool2d")?;
    let s = x.shape();
    let (h, w) = (s[2], s[3]);
    let size = match b.value("output_size")? {
        Value::Tuple(items) if items.len() == 2 => {
            let pick =
                |v: &Value, d: usize| super::args::as_int(v).map_or(d, |i| i.max(0) as usize);
            (pick(&items[0], h), pick(&items[1], w))
        }
        v => {
            let o = per_dim(&v, 2, "output_size")?;
            (o[0], o[1])
        }
    };
    t(unbatch(ops::adaptive_avg_pool2d(&x, size)?, added)?)
}

/// The convolution and pooling rows of the `torch.nn.functional` table.
pub const ROWS: &[Row] = &[
    torch(
        "conv1d(Tensor input, Tensor weight, Tensor? bias=None, Any stride=1, Any padding=0, Any dilation=1, int groups=1)",
        "1-d convolution (cross-correlation) of (N, C, L) input with (O, C/groups, k) weights.",
        conv1d,
    ),
    torch(
        "conv2d(Tensor input, Tensor weight, Tensor? bias=None, Any stride=1, Any padding=0, Any dilation=1, int groups=1)",
        "2-d convolution (cross-correlation) of (N, C, H, W) input with (O, C/groups, kh, kw) weights.",
        conv2d,
    ),
    torch(
        "def max_pool2d(Tensor input, Any kernel_size, Any stride=None, Any padding=0, Any dilation=1, bool ceil_mode=False, bool return_indices=False)",
        "The maximum of each kernel window.",
        max_pool2d,
    ),
    torch(
        "avg_pool2d(Tensor input, Any kernel_size, Any stride=None, Any padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None)",
        "The mean of each kernel window.",
        avg_pool2d,
    ),
    torch(
        "def adaptive_avg_pool2d(Tensor input, Any output_size)",
        "Means over windows chosen so the output has output_size.",
        adaptive_avg_pool2d,
    ),
];
