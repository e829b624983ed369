//! `torch.autograd.gradcheck` and `gradgradcheck`: the analytical Jacobian (one backward pass
//! per output element; with `check_forward_ad`, one forward pass per input element) against
//! central finite differences, compared with `|a - n| <= atol + rtol * |n|`, failing with
//! PyTorch's `GradcheckError` text (or returning False with `raise_exception=False`).
//! `fast_mode` checks the full Jacobians too (same verdict on every function that passes the
//! slow check); `check_undefined_grad` is accepted.

use super::args::Bound;
use super::autograd_api::with_interp;
use super::table::{Row, torch};
use crate::array::{DType, NdArray, Scalar};
use crate::autograd::forward::{DualLevel, make_dual, unpack_dual};
use crate::autograd::{Tensor, ops};
use crate::error::{PyResult, type_error, value_error};
use crate::eval::class::{Class, builtin_class};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Value};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static GRADCHECK_ERROR: Rc<Class> = Class::new(
        "GradcheckError",
        "GradcheckError".into(),
        "torch.autograd.gradcheck",
        vec![builtin_class("RuntimeError")],
        Rc::new(RefCell::new(Vec::new())),
    )
    .expect("GradcheckError has a consistent MRO");
}

/// `torch.autograd.gradcheck.GradcheckError`.
pub fn gradcheck_error_class() -> Value {
    Value::Class(GRADCHECK_ERROR.with(|c| c.clone()))
}

struct Options {
    eps: f64,
    atol: f64,
    rtol: f64,
    raise: bool,
    forward_ad: bool,
    backward_ad: bool,
}

fn options(b: &Bound, forward_name: &str, backward_name: &str) -> PyResult<Options> {
    Ok(Options {
        eps: b.float("eps")?,
        atol: b.float("atol")?,
        rtol: b.float("rtol")?,
        raise: b.bool("raise_exception")?,
        forward_ad: b.bool(forward_name)?,
        backward_ad: b.bool(backward_name)?,
    })
}

fn inputs_of(v: &Value) -> Vec<Value> {
    match v {
        Value::Tuple(t) => t.as_ref().clone(),
        Value::List(l) => l.borrow().clone(),
        other => vec![other.clone()],
    }
}

fn outputs_of(v: Value) -> Vec<Tensor> {
    let items = match v {
        Value::Tuple(t) => t.as_ref().clone(),
        Value::List(l) => l.borrow().clone(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter_map(|v| match v {
            Value::Tensor(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn call(interp: &mut Interp, f: &Value, inputs: &[Value]) -> PyResult<Vec<Tensor>> {
    Ok(outputs_of(
        interp.call_value(f, Args::new(inputs.to_vec()))?,
    ))
}

/// A float64 (rows × cols) Jacobian as a tensor of `dtype`.
fn jacobian_tensor(data: &[f64], rows: usize, cols: usize, dtype: DType) -> Tensor {
    Tensor::new(NdArray::from_vec(data.to_vec(), vec![rows, cols]).to_dtype(dtype))
}

/// One check: `Err(message)` on a mismatch.
type Mismatch = Option<String>;

fn compare(
    what: &str,
    o: usize,
    i: usize,
    numerical: &Tensor,
    analytical: &Tensor,
    opt: &Options,
) -> Mismatch {
    let n = numerical.array().to_f64_vec();
    let a = analytical.array().to_f64_vec();
    let ok = n
        .iter()
        .zip(&a)
        .all(|(n, a)| (a - n).abs() <= opt.atol + opt.rtol * n.abs());
    if ok {
        return None;
    }
    Some(format!(
        "{what} for output {o} with respect to input {i},\nnumerical:{}\nanalytical:{}\n",
        numerical.repr(),
        analytical.repr()
    ))
}

fn run_check(
    interp: &mut Interp,
    f: &Value,
    inputs: &[Value],
    opt: &Options,
) -> PyResult<Mismatch> {
    let diff: Vec<usize> = inputs
        .iter()
        .enumerate()
        .filter(|(_, v)| matches!(v, Value::Tensor(t) if t.requires_grad()))
        .map(|(i, _)| i)
        .collect();
    if diff.is_empty() {
        return Err(value_error(
            "gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True.",
        ));
    }
    let tensor = |k: usize| match &inputs[k] {
        Value::Tensor(t) => t.clone(),
        _ => unreachable!("diff holds tensor positions"),
    };
    let outputs: Vec<Tensor> = call(interp, f, inputs)?
        .into_iter()
        .filter(|t| t.requires_grad())
        .collect();

    // Numerical Jacobians by central differences, perturbing one element at a time.
    let mut numerical: Vec<Vec<Tensor>> = Vec::new(); // [input][output]
    for &k in &diff {
        let x = tensor(k);
        let n_in = x.numel();
        let orig = x.array().deep_copy();
        let mut cols: Vec<Vec<f64>> = vec![Vec::new(); outputs.len()];
        for e in 0..n_in {
            let run = |delta: f64, interp: &mut Interp| -> PyResult<Vec<Tensor>> {
                let mut vals = orig.to_f64_vec();
                vals[e] += delta;
                let perturbed = NdArray::from_vec(vals, orig.shape().to_vec()).to_dtype(x.dtype());
                x.array().copy_from(&perturbed)?;
                let r = call(interp, f, inputs);
                x.array().copy_from(&orig)?;
                Ok(r?.into_iter().filter(|t| t.requires_grad()).collect())
            };
            let a = run(-opt.eps, interp)?;
            let b = run(opt.eps, interp)?;
            for ((col, oa), ob) in cols.iter_mut().zip(&a).zip(&b) {
                let d = ops::sub(ob, oa, 1.0)?;
                let d = ops::div(&d, &ops::scalar_tensor(Scalar::Float(2.0 * opt.eps), &d))?;
                col.extend(d.array().to_f64_vec());
            }
        }
        // cols[o] holds, element after element of the input, the output's values: transpose
        // into (input elements × output elements).
        let per_out = outputs
            .iter()
            .enumerate()
            .map(|(oi, out)| {
                let n_out = out.numel();
                let flat = &cols[oi];
                let mut m = vec![0.0; n_in * n_out];
                for e in 0..n_in {
                    for j in 0..n_out {
                        m[e * n_out + j] = flat.get(e * n_out + j).copied().unwrap_or(0.0);
                    }
                }
                jacobian_tensor(&m, n_in, n_out, x.dtype())
            })
            .collect();
        numerical.push(per_out);
    }

    let diff_tensors: Vec<Tensor> = diff.iter().map(|&k| tensor(k)).collect();
    // A fresh call: the perturbations above wrote through the inputs' storage.
    let outputs: Vec<Tensor> = call(interp, f, inputs)?
        .into_iter()
        .filter(|t| t.requires_grad())
        .collect();
    if opt.backward_ad {
        for (oi, out) in outputs.iter().enumerate() {
            let n_out = out.numel();
            let mut jac: Vec<Vec<f64>> = diff_tensors
                .iter()
                .map(|t| vec![0.0; t.numel() * n_out])
                .collect();
            for j in 0..n_out {
                let mut go = vec![0.0; n_out];
                go[j] = 1.0;
                let go = Tensor::new(NdArray::from_vec(go, out.shape()).to_dtype(out.dtype()));
                let grads = with_interp(interp, || {
                    crate::autograd::grad(
                        std::slice::from_ref(out),
                        &diff_tensors,
                        &[Some(go)],
                        Some(true),
                        false,
                        true,
                        false,
                    )
                })?;
                for (ii, g) in grads.iter().enumerate() {
                    if let Some(g) = g {
                        for (e, v) in g.array().to_f64_vec().into_iter().enumerate() {
                            jac[ii][e * n_out + j] = v;
                        }
                    }
                }
            }
            for (ii, t) in diff_tensors.iter().enumerate() {
                let analytical = jacobian_tensor(&jac[ii], t.numel(), n_out, t.dtype());
                if let Some(m) = compare(
                    "Jacobian mismatch",
                    oi,
                    diff[ii],
                    &numerical[ii][oi],
                    &analytical,
                    opt,
                ) {
                    return Ok(Some(m));
                }
            }
        }
    }
    if opt.forward_ad {
        for (ii, &k) in diff.iter().enumerate() {
            let x = tensor(k);
            let n_in = x.numel();
            let mut jac: Vec<Vec<f64>> = outputs
                .iter()
                .map(|o| vec![0.0; n_in * o.numel()])
                .collect();
            for e in 0..n_in {
                let level = DualLevel::new();
                let mut tv = vec![0.0; n_in];
                tv[e] = 1.0;
                let tangent = Tensor::new(NdArray::from_vec(tv, x.shape()).to_dtype(x.dtype()));
                let mut args = inputs.to_vec();
                args[k] = Value::Tensor(make_dual(&x, &tangent, level.0)?);
                let outs: Vec<Tensor> = call(interp, f, &args)?
                    .into_iter()
                    .filter(|t| t.requires_grad())
                    .collect();
                for (oi, o) in outs.iter().enumerate() {
                    let n_out = o.numel();
                    if let Some(t) = unpack_dual(o, level.0)?.1 {
                        for (j, v) in t.array().to_f64_vec().into_iter().enumerate() {
                            if let Some(slot) = jac.get_mut(oi) {
                                slot[e * n_out + j] = v;
                            }
                        }
                    }
                }
            }
            for (oi, o) in outputs.iter().enumerate() {
                let analytical = jacobian_tensor(&jac[oi], n_in, o.numel(), x.dtype());
                if let Some(m) = compare(
                    "Jacobian computed with forward mode mismatch",
                    oi,
                    k,
                    &numerical[ii][oi],
                    &analytical,
                    opt,
                ) {
                    return Ok(Some(m));
                }
            }
        }
    }
    Ok(None)
}

/// Raises `GradcheckError(msg)` or returns False.
fn verdict(interp: &mut Interp, mismatch: Mismatch, raise: bool) -> PyResult<Value> {
    match mismatch {
        None => Ok(Value::Bool(true)),
        Some(_) if !raise => Ok(Value::Bool(false)),
        Some(msg) => {
            let inst =
                interp.call_value(&gradcheck_error_class(), Args::new(vec![Value::str(&msg)]))?;
            Err(crate::eval::exceptions::raise_value(interp, inst)?)
        }
    }
}

fn gradcheck(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let f = b.value("func")?;
    let inputs = inputs_of(&b.value("inputs")?);
    let opt = options(b, "check_forward_ad", "check_backward_ad")?;
    let m = run_check(interp, &f, &inputs, &opt)?;
    verdict(interp, m, opt.raise)
}

/// `gradgradcheck`: gradcheck of `(inputs, grad_outputs) ↦ autograd.grad(func(inputs),
/// inputs, grad_outputs, create_graph=True)`; missing grad_outputs are drawn uniformly from
/// [-1, 1) with the default generator, as PyTorch's `make_tensor` does.
fn gradgradcheck(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let f = b.value("func")?;
    let inputs = inputs_of(&b.value("inputs")?);
    let opt = Options {
        forward_ad: false,
        ..options(b, "check_fwd_over_rev", "check_rev_over_rev")?
    };
    let outputs: Vec<Tensor> = call(interp, &f, &inputs)?
        .into_iter()
        .filter(|t| t.requires_grad())
        .collect();
    let grad_outputs: Vec<Tensor> = match b.value("grad_outputs")? {
        Value::None => outputs
            .iter()
            .map(|o| {
                let a = NdArray::zeros(&o.shape(), o.dtype());
                crate::array::random::uniform_(
                    &a,
                    -1.0,
                    1.0,
                    &mut crate::array::random::default_generator().borrow_mut(),
                );
                Tensor::leaf(a, true)
            })
            .collect::<PyResult<_>>()?,
        v => outputs_of(v),
    };
    let n_in = inputs.len();
    let diff_pos: Vec<usize> = inputs
        .iter()
        .enumerate()
        .filter(|(_, v)| matches!(v, Value::Tensor(t) if t.requires_grad()))
        .map(|(i, _)| i)
        .collect();
    let inner = f.clone();
    let vjp = Value::native("new_func", move |interp, args| {
        let (xs, gos) = args.pos.split_at(n_in.min(args.pos.len()));
        let outs: Vec<Tensor> = call(interp, &inner, xs)?
            .into_iter()
            .filter(|t| t.requires_grad())
            .collect();
        let diff: Vec<Tensor> = diff_pos
            .iter()
            .filter_map(|&k| match &xs[k] {
                Value::Tensor(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let gos: Vec<Option<Tensor>> = gos
            .iter()
            .map(|v| match v {
                Value::Tensor(t) => Ok(Some(t.clone())),
                other => Err(type_error(format!(
                    "grad_outputs must be Tensors, not {}",
                    other.type_name()
                ))),
            })
            .collect::<PyResult<_>>()?;
        let grads = with_interp(interp, || {
            crate::autograd::grad(&outs, &diff, &gos, Some(true), true, true, false)
        })?;
        Ok(Value::tuple(
            grads.into_iter().flatten().map(Value::Tensor).collect(),
        ))
    });
    let mut all = inputs.clone();
    all.extend(grad_outputs.into_iter().map(Value::Tensor));
    let m = run_check(interp, &vjp, &all, &opt)?;
    verdict(interp, m, opt.raise)
}

/// `torch.autograd`'s gradcheck rows.
pub const ROWS: &[Row] = &[
    torch(
        "def gradcheck(func, inputs, *, float eps=1e-06, float atol=1e-05, float rtol=0.001, bool raise_exception=True, float nondet_tol=0.0, bool check_undefined_grad=True, bool check_grad_dtypes=False, bool check_batched_grad=False, bool check_batched_forward_grad=False, bool check_forward_ad=False, bool check_backward_ad=True, bool fast_mode=False, Any? masked=None)",
        "Checks the gradients of func at inputs (float64 tensors) against finite differences.",
        gradcheck,
    ),
    torch(
        "def gradgradcheck(func, inputs, grad_outputs=None, *, float eps=1e-06, float atol=1e-05, float rtol=0.001, bool gen_non_contig_grad_outputs=False, bool raise_exception=True, float nondet_tol=0.0, bool check_undefined_grad=True, bool check_grad_dtypes=False, bool check_batched_grad=False, bool check_fwd_over_rev=False, bool check_rev_over_rev=True, bool fast_mode=False, bool masked=False)",
        "Checks the second-order gradients of func at inputs against finite differences.",
        gradgradcheck,
    ),
];
