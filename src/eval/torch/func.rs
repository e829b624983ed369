//! `torch.func`: `grad`, `grad_and_value`, `vjp`, `jvp`, `jacrev`, `jacfwd`, `hessian`,
//! `vmap`. Each transform returns a Python callable; calling it wraps the differentiated
//! arguments (`autograd::functional::Wrt`, or dual tensors for forward mode), calls the
//! user function, and releases the results (`functional::release`) so they print without the
//! transform's own graph unless an outer transform differentiates through them. Transforms
//! compose because every derivative is computed with differentiable ops.

use super::pytree;
use crate::autograd::batching;
use crate::autograd::forward::{DualLevel, make_dual, unpack_dual};
use crate::autograd::functional::{Wrt, release};
use crate::autograd::{GradModeGuard, Tensor, ops};
use crate::error::{PyResult, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Value};
use std::rc::Rc;

/// (name, signature, description) of every `torch.func` function, for `help()` and completion.
pub const SIGNATURES: &[(&str, &str, &str)] = &[
    (
        "grad",
        "grad(func, argnums=0, has_aux=False)",
        "A function computing the gradient of scalar-valued func with respect to the arguments at argnums.",
    ),
    (
        "grad_and_value",
        "grad_and_value(func, argnums=0, has_aux=False)",
        "Like grad, but the new function returns (gradient, value).",
    ),
    (
        "vjp",
        "vjp(func, *primals, has_aux=False)",
        "(func(*primals), vjp_fn): vjp_fn maps cotangents to vector-Jacobian products.",
    ),
    (
        "jvp",
        "jvp(func, primals, tangents, has_aux=False)",
        "(func(*primals), J·tangents) in one forward-mode pass.",
    ),
    (
        "jacrev",
        "jacrev(func, argnums=0, has_aux=False, chunk_size=None)",
        "A function computing the Jacobian of func by reverse mode.",
    ),
    (
        "jacfwd",
        "jacfwd(func, argnums=0, has_aux=False, randomness='error')",
        "A function computing the Jacobian of func by forward mode.",
    ),
    (
        "hessian",
        "hessian(func, argnums=0)",
        "A function computing the Hessian of func: jacfwd(jacrev(func)).",
    ),
    (
        "vmap",
        "vmap(func, in_dims=0, out_dims=0, randomness='error', chunk_size=None)",
        "A function that maps func over a dimension of its inputs.",
    ),
];

/// The module's attributes.
pub fn functions() -> Vec<(&'static str, Value)> {
    vec![
        ("grad", Value::native("grad", |_, a| make_grad(a, false))),
        (
            "grad_and_value",
            Value::native("grad_and_value", |_, a| make_grad(a, true)),
        ),
        ("vjp", Value::native("vjp", vjp)),
        ("jvp", Value::native("jvp", jvp)),
        ("jacrev", Value::native("jacrev", make_jacrev)),
        ("jacfwd", Value::native("jacfwd", make_jacfwd)),
        ("hessian", Value::native("hessian", make_hessian)),
        ("vmap", Value::native("vmap", make_vmap)),
    ]
}

/// Binds a transform's own arguments (`params`: name and default; None = required).
fn bind(fname: &str, args: &Args, params: &[(&str, Option<Value>)]) -> PyResult<Vec<Value>> {
    if args.pos.len() > params.len() {
        return Err(type_error(format!(
            "{fname}() takes from 1 to {} positional arguments but {} were given",
            params.len(),
            args.pos.len()
        )));
    }
    let mut out: Vec<Option<Value>> = args.pos.iter().cloned().map(Some).collect();
    out.resize(params.len(), None);
    for (k, v) in &args.kw {
        let Some(i) = params.iter().position(|(n, _)| n == k) else {
            return Err(type_error(format!(
                "{fname}() got an unexpected keyword argument '{k}'"
            )));
        };
        if out[i].is_some() {
            return Err(type_error(format!(
                "{fname}() got multiple values for argument '{k}'"
            )));
        }
        out[i] = Some(v.clone());
    }
    out.into_iter()
        .zip(params)
        .map(|(v, (name, default))| {
            v.or_else(|| default.clone()).ok_or_else(|| {
                type_error(format!(
                    "{fname}() missing 1 required positional argument: '{name}'"
                ))
            })
        })
        .collect()
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Bool(false) | Value::None | Value::Int(0))
}

fn py_type(v: &Value) -> String {
    match v {
        Value::Tensor(_) => "<class 'torch.Tensor'>".into(),
        other => format!("<class '{}'>", other.type_name()),
    }
}

/// `argnums`: one index or a tuple of them.
#[derive(Clone)]
enum Argnums {
    One(usize),
    Many(Vec<usize>),
}

impl Argnums {
    fn parse(v: &Value, nargs: usize) -> PyResult<Argnums> {
        let one = |v: &Value| -> PyResult<usize> {
            let Value::Int(i) = v else {
                return Err(runtime_error(format!(
                    "argnums must be int, got {}",
                    py_type(v)
                )));
            };
            let n = nargs as i64;
            if *i >= -n && *i < n {
                Ok(if *i < 0 { i + n } else { *i } as usize)
            } else {
                Err(runtime_error(format!(
                    "Got argnum={i}, but only {nargs} positional inputs"
                )))
            }
        };
        match v {
            Value::Int(_) => Ok(Argnums::One(one(v)?)),
            Value::Tuple(items) => {
                let idx: Vec<usize> = items.iter().map(one).collect::<PyResult<_>>()?;
                let mut sorted = idx.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted.len() != idx.len() {
                    return Err(runtime_error("argnums must be unique"));
                }
                if idx.is_empty() {
                    return Err(runtime_error("argnums must be non-empty"));
                }
                Ok(Argnums::Many(idx))
            }
            other => Err(runtime_error(format!(
                "argnums must be int or Tuple[int, ...], got: {}",
                py_type(other)
            ))),
        }
    }
    fn indices(&self) -> Vec<usize> {
        match self {
            Argnums::One(i) => vec![*i],
            Argnums::Many(v) => v.clone(),
        }
    }
}

/// The call's arguments with the differentiated ones replaced by transform inputs; returns the
/// new arguments, the flat list of inputs, each argnum's leaf count and whether an outer graph
/// must be kept.
struct Wrapped {
    args: Args,
    wrt: Wrt,
    counts: Vec<usize>,
    outer: bool,
}

/// `per_sample`: see `Wrt::new_per_sample` (torch.func.grad only).
fn wrap_args(call: &Args, argnums: &Argnums, per_sample: bool) -> PyResult<Wrapped> {
    let mut args = call.clone();
    let mut primals = Vec::new();
    let mut counts = Vec::new();
    for &i in &argnums.indices() {
        let ls = pytree::leaves(&call.pos[i]);
        counts.push(ls.len());
        primals.extend(ls);
    }
    let wrt = if per_sample {
        Wrt::new_per_sample(&primals)?
    } else {
        Wrt::new(&primals)?
    };
    let outer = wrt.outer;
    let mut offset = 0;
    for (k, &i) in argnums.indices().iter().enumerate() {
        args.pos[i] = pytree::replace(&call.pos[i], &wrt.inputs[offset..offset + counts[k]])?;
        offset += counts[k];
    }
    Ok(Wrapped {
        args,
        wrt,
        counts,
        outer,
    })
}

/// Regroups per-input results into the argnums' structure (`call` gives each argnum's shape).
fn regroup(
    call: &Args,
    argnums: &Argnums,
    counts: &[usize],
    values: Vec<Value>,
) -> PyResult<Value> {
    let mut it = values.into_iter();
    let mut per_arg = Vec::new();
    for (k, &i) in argnums.indices().iter().enumerate() {
        let chunk: Vec<Value> = it.by_ref().take(counts[k]).collect();
        per_arg.push(pytree::replace_values(&call.pos[i], chunk)?);
    }
    Ok(match argnums {
        Argnums::One(_) => per_arg.remove(0),
        Argnums::Many(_) => Value::tuple(per_arg),
    })
}

fn release_tree(v: &Value, keep: bool) -> PyResult<Value> {
    pytree::map(v, &mut |t| Ok(Value::Tensor(release(t, keep))))
}

/// Splits `(output, aux)` when `has_aux`.
fn split_aux(out: Value, has_aux: bool, api: &str) -> PyResult<(Value, Option<Value>)> {
    if !has_aux {
        return Ok((out, None));
    }
    match out {
        Value::Tuple(items) if items.len() == 2 => Ok((items[0].clone(), Some(items[1].clone()))),
        _ => Err(runtime_error(format!(
            "{api}: output of function f should be a tuple: (output, aux) if has_aux is True"
        ))),
    }
}

fn make_grad(a: Args, with_value: bool) -> PyResult<Value> {
    let fname = if with_value { "grad_and_value" } else { "grad" };
    let p = bind(
        fname,
        &a,
        &[
            ("func", None),
            ("argnums", Some(Value::Int(0))),
            ("has_aux", Some(Value::Bool(false))),
        ],
    )?;
    let (func, argnums, has_aux) = (p[0].clone(), p[1].clone(), truthy(&p[2]));
    Ok(Value::native(fname, move |interp, call| {
        grad_call(interp, &func, &argnums, has_aux, with_value, call)
    }))
}

fn grad_call(
    interp: &mut Interp,
    func: &Value,
    argnums: &Value,
    has_aux: bool,
    with_value: bool,
    call: Args,
) -> PyResult<Value> {
    let argnums = Argnums::parse(argnums, call.pos.len())?;
    let _grad = GradModeGuard::new(true);
    let w = wrap_args(&call, &argnums, true)?;
    let _scope = crate::autograd::functional::ReverseScope::new();
    let out = interp.call_value(func, w.args.clone())?;
    let (out, aux) = split_aux(out, has_aux, "grad_and_value(f)(*args)")?;
    let Value::Tensor(y) = &out else {
        return Err(runtime_error(format!(
            "grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got {}",
            py_type(&out)
        )));
    };
    if y.ndim() != 0 {
        return Err(runtime_error(format!(
            "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with {} dims. Maybe you wanted to use the vjp or jacrev APIs instead?",
            y.ndim()
        )));
    }
    let ones = Tensor::new(crate::array::NdArray::full(&[], 1.0, y.dtype()));
    let grads: Vec<Tensor> = super::autograd_api::with_interp(interp, || {
        w.wrt.grad(std::slice::from_ref(y), &[ones], false)
    })?;
    let grads: Vec<Value> = grads
        .iter()
        .map(|g| Value::Tensor(release(g, w.outer)))
        .collect();
    let g = regroup(&call, &argnums, &w.counts, grads)?;
    let value = release_tree(&out, w.outer)?;
    let aux = aux.map(|a| release_tree(&a, w.outer)).transpose()?;
    Ok(match (with_value, aux) {
        (false, None) => g,
        (false, Some(aux)) => Value::tuple(vec![g, aux]),
        (true, None) => Value::tuple(vec![g, value]),
        (true, Some(aux)) => Value::tuple(vec![g, Value::tuple(vec![value, aux])]),
    })
}

/// `vjp(func, *primals, has_aux=False)` → `(output, vjp_fn)` (+ aux).
fn vjp(interp: &mut Interp, a: Args) -> PyResult<Value> {
    let Some(func) = a.pos.first().cloned() else {
        return Err(type_error(
            "vjp() missing 1 required positional argument: 'func'",
        ));
    };
    let mut has_aux = false;
    for (k, v) in &a.kw {
        match k.as_str() {
            "has_aux" => has_aux = truthy(v),
            other => {
                return Err(type_error(format!(
                    "vjp() got an unexpected keyword argument '{other}'"
                )));
            }
        }
    }
    let call = Args::new(a.pos[1..].to_vec());
    let argnums = Argnums::Many((0..call.pos.len()).collect());
    let _grad = GradModeGuard::new(true);
    let w = wrap_args(&call, &argnums, false)?;
    let _scope = crate::autograd::functional::ReverseScope::new();
    let out = interp.call_value(&func, w.args.clone())?;
    let (out, aux) = split_aux(out, has_aux, "vjp(f, *primals)")?;
    let outputs = pytree::leaves(&out);
    let (counts, outer, structure) = (w.counts.clone(), w.outer, out.clone());
    let wrt = Rc::new(w.wrt);
    let primal_args = call.clone();
    let vjp_fn = Value::native("vjp_fn", move |interp, cot: Args| {
        let cot_value = if cot.pos.len() == 1 {
            cot.pos[0].clone()
        } else {
            Value::tuple(cot.pos.clone())
        };
        let cotangents = pytree::leaves(&cot_value);
        if cotangents.len() != outputs.len() {
            return Err(runtime_error(format!(
                "Expected pytree structure of cotangents to be the same as pytree structure of outputs to the function. cotangents: {}, primal output: {}",
                cotangents.len(),
                pytree::leaves(&structure).len()
            )));
        }
        let grads: Vec<Tensor> =
            super::autograd_api::with_interp(interp, || wrt.grad(&outputs, &cotangents, true))?;
        let grads: Vec<Value> = grads
            .iter()
            .map(|g| Value::Tensor(release(g, outer)))
            .collect();
        regroup(
            &primal_args,
            &Argnums::Many((0..primal_args.pos.len()).collect()),
            &counts,
            grads,
        )
    });
    let mut result = vec![release_tree(&out, outer)?, vjp_fn];
    if let Some(aux) = aux {
        result.push(release_tree(&aux, outer)?);
    }
    Ok(Value::tuple(result))
}

fn as_tuple_arg(v: &Value, what: &str) -> PyResult<Vec<Value>> {
    match v {
        Value::Tuple(items) => Ok(items.as_ref().clone()),
        Value::List(items) => Ok(items.borrow().clone()),
        _ => Err(runtime_error(format!(
            "jvp(f, primals, tangents): Expected {what} to be a tuple. E.g. it should be valid to call f(*{what})."
        ))),
    }
}

/// Calls `func` on dual tensors at a fresh level; returns (output pytree, its tangents by leaf).
fn forward_call(
    interp: &mut Interp,
    func: &Value,
    args: &Args,
    primal_idx: &[usize],
    tangents: &[Tensor],
) -> PyResult<(Value, Vec<Tensor>, Vec<Tensor>)> {
    let level = DualLevel::new();
    let mut call = args.clone();
    let mut offset = 0;
    for &i in primal_idx {
        let ls = pytree::leaves(&args.pos[i]);
        let duals: Vec<Tensor> = ls
            .iter()
            .zip(&tangents[offset..offset + ls.len()])
            .map(|(p, t)| make_dual(p, t, level.0))
            .collect::<PyResult<_>>()?;
        offset += ls.len();
        call.pos[i] = pytree::replace(&args.pos[i], &duals)?;
    }
    let out = interp.call_value(func, call);
    if let Some(e) = ops::take_forward_error() {
        return Err(e);
    }
    let out = out?;
    let mut primals_out = Vec::new();
    let mut tangents_out = Vec::new();
    for o in pytree::leaves(&out) {
        let (p, t) = unpack_dual(&o, level.0)?;
        tangents_out.push(t.unwrap_or_else(|| ops::zeros_like(&p)));
        primals_out.push(p);
    }
    Ok((out, primals_out, tangents_out))
}

/// `jvp(func, primals, tangents, has_aux=False)` → `(output, jvp_out)` (+ aux).
fn jvp(interp: &mut Interp, a: Args) -> PyResult<Value> {
    let p = bind(
        "jvp",
        &a,
        &[
            ("func", None),
            ("primals", None),
            ("tangents", None),
            ("has_aux", Some(Value::Bool(false))),
        ],
    )?;
    let primals = as_tuple_arg(&p[1], "primals")?;
    let tangent_values = as_tuple_arg(&p[2], "tangents")?;
    let tangents = pytree::leaves(&Value::tuple(tangent_values));
    let args = Args::new(primals.clone());
    let idx: Vec<usize> = (0..primals.len()).collect();
    if pytree::leaves(&Value::tuple(primals)).len() != tangents.len() {
        return Err(runtime_error(
            "jvp(f, primals, tangents): Expected primals and tangents to have the same python structure.",
        ));
    }
    let (out, primals_out, tangents_out) = forward_call(interp, &p[0], &args, &idx, &tangents)?;
    let (out_tree, aux) = split_aux(out, truthy(&p[3]), "jvp(f, primals, tangents)")?;
    let n = pytree::leaves(&out_tree).len();
    let keep = primals_out.iter().any(|t| t.requires_grad());
    let po = pytree::replace(
        &out_tree,
        &primals_out[..n]
            .iter()
            .map(|t| release(t, keep))
            .collect::<Vec<_>>(),
    )?;
    let to = pytree::replace(
        &out_tree,
        &tangents_out[..n]
            .iter()
            .map(|t| release(t, keep))
            .collect::<Vec<_>>(),
    )?;
    let mut result = vec![po, to];
    if let Some(aux) = aux {
        result.push(release_tree(&aux, keep)?);
    }
    Ok(Value::tuple(result))
}

/// Assembles Jacobians `jac[o][i]` into PyTorch's output structure: the output pytree with
/// each leaf replaced by the argnums structure of its Jacobians.
fn assemble(
    call: &Args,
    argnums: &Argnums,
    counts: &[usize],
    out: &Value,
    jac: Vec<Vec<Tensor>>,
    keep: bool,
) -> PyResult<Value> {
    let per_output: Vec<Value> = jac
        .into_iter()
        .map(|row| {
            regroup(
                call,
                argnums,
                counts,
                row.iter()
                    .map(|t| Value::Tensor(release(t, keep)))
                    .collect(),
            )
        })
        .collect::<PyResult<_>>()?;
    pytree::replace_values(out, per_output)
}

fn check_tensor_outputs(out: &Value, api: &str) -> PyResult<()> {
    let bad = match out {
        Value::Tensor(_) => None,
        Value::Tuple(items) => items
            .iter()
            .find(|v| !matches!(v, Value::Tensor(_)))
            .cloned(),
        Value::List(items) => items
            .borrow()
            .iter()
            .find(|v| !matches!(v, Value::Tensor(_)))
            .cloned(),
        Value::Dict(items) => items
            .borrow()
            .iter()
            .find(|(_, v)| !matches!(v, Value::Tensor(_)))
            .map(|(_, v)| v.clone()),
        other => Some(other.clone()),
    };
    match bad {
        None => Ok(()),
        Some(v) => Err(runtime_error(format!(
            "{api}: expected f(*args) to return only tensors, got unsupported type {}",
            py_type(&v)
        ))),
    }
}

fn make_jacrev(_: &mut Interp, a: Args) -> PyResult<Value> {
    let p = bind(
        "jacrev",
        &a,
        &[
            ("func", None),
            ("argnums", Some(Value::Int(0))),
            ("has_aux", Some(Value::Bool(false))),
            ("chunk_size", Some(Value::None)),
            ("_preallocate_and_copy", Some(Value::Bool(false))),
        ],
    )?;
    let chunk = match &p[3] {
        Value::None => None,
        Value::Int(n) if *n >= 1 => Some(*n as usize),
        _ => {
            return Err(runtime_error(
                "jacrev: `chunk_size` should be greater than 0.",
            ));
        }
    };
    let (func, argnums, has_aux) = (p[0].clone(), p[1].clone(), truthy(&p[2]));
    Ok(Value::native("jacrev", move |interp, call| {
        let argnums = Argnums::parse(&argnums, call.pos.len())?;
        let _grad = GradModeGuard::new(true);
        let w = wrap_args(&call, &argnums, false)?;
        let _scope = crate::autograd::functional::ReverseScope::new();
        let out = interp.call_value(&func, w.args.clone())?;
        let (out, aux) = split_aux(out, has_aux, "jacrev(f, ...)(*args)")?;
        check_tensor_outputs(&out, "jacrev(f, ...)(*args)")?;
        let outs = pytree::leaves(&out);
        let jac = super::autograd_api::with_interp(interp, || w.wrt.jacobian(&outs, chunk))?;
        let result = assemble(&call, &argnums, &w.counts, &out, jac, w.outer)?;
        Ok(match aux {
            None => result,
            Some(aux) => Value::tuple(vec![result, release_tree(&aux, w.outer)?]),
        })
    }))
}

fn make_jacfwd(_: &mut Interp, a: Args) -> PyResult<Value> {
    let p = bind(
        "jacfwd",
        &a,
        &[
            ("func", None),
            ("argnums", Some(Value::Int(0))),
            ("has_aux", Some(Value::Bool(false))),
            ("randomness", Some(Value::str("error"))),
        ],
    )?;
    let (func, argnums, has_aux) = (p[0].clone(), p[1].clone(), truthy(&p[2]));
    Ok(Value::native("jacfwd", move |interp, call| {
        jacfwd_call(interp, &func, &argnums, has_aux, call)
    }))
}

/// Forward-mode Jacobian: ONE forward pass with a batch of tangents
/// (`autograd::functional::jacobian_forward`), as torch.func does.
fn jacfwd_call(
    interp: &mut Interp,
    func: &Value,
    argnums: &Value,
    has_aux: bool,
    call: Args,
) -> PyResult<Value> {
    let argnums = Argnums::parse(argnums, call.pos.len())?;
    let idx = argnums.indices();
    let mut primals = Vec::new();
    let mut counts = Vec::new();
    for &i in &idx {
        let ls = pytree::leaves(&call.pos[i]);
        counts.push(ls.len());
        primals.extend(ls);
    }
    // The output's structure, its aux and whether it requires grad, from the (single) call.
    let seen: std::cell::RefCell<Option<(Value, Option<Value>, bool)>> =
        std::cell::RefCell::new(None);
    let mut f = |duals: &[Tensor]| -> PyResult<Vec<Tensor>> {
        let mut args = call.clone();
        let mut offset = 0;
        for (k, &i) in idx.iter().enumerate() {
            args.pos[i] = pytree::replace(&call.pos[i], &duals[offset..offset + counts[k]])?;
            offset += counts[k];
        }
        let (out, aux) = split_aux(
            interp.call_value(func, args)?,
            has_aux,
            "jacfwd(f, ...)(*args)",
        )?;
        check_tensor_outputs(&out, "jacfwd(f, ...)(*args)")?;
        let leaves = pytree::leaves(&out);
        let keep = leaves.iter().any(|t| t.requires_grad());
        *seen.borrow_mut() = Some((out, aux, keep));
        Ok(leaves)
    };
    let jac = crate::autograd::functional::jacobian_forward(&mut f, &primals)?;
    let (out, aux, keep) = seen
        .into_inner()
        .ok_or_else(|| runtime_error("jacfwd: no output"))?;
    let result = assemble(&call, &argnums, &counts, &out, jac, keep)?;
    Ok(match aux {
        None => result,
        Some(aux) => Value::tuple(vec![result, release_tree(&aux, keep)?]),
    })
}

fn make_hessian(interp: &mut Interp, a: Args) -> PyResult<Value> {
    let p = bind(
        "hessian",
        &a,
        &[("func", None), ("argnums", Some(Value::Int(0)))],
    )?;
    let inner = make_jacrev(
        interp,
        Args {
            pos: vec![p[0].clone()],
            kw: vec![("argnums".into(), p[1].clone())],
        },
    )?;
    let argnums = p[1].clone();
    Ok(Value::native("hessian", move |interp, call| {
        jacfwd_call(interp, &inner, &argnums, false, call)
    }))
}

/// One `in_dims`/`out_dims` entry per argument: an int broadcasts to all.
fn per_arg_dims(dims: &Value, n: usize, what: &str) -> PyResult<Vec<Value>> {
    match dims {
        Value::Int(_) | Value::None => Ok(vec![dims.clone(); n]),
        Value::Tuple(items) if items.len() == n => Ok(items.as_ref().clone()),
        Value::List(items) if items.borrow().len() == n => Ok(items.borrow().clone()),
        other => Err(runtime_error(format!(
            "vmap(f, {what}={}, ...)(<inputs>): {what} is not compatible with the structure of `inputs`. {what} has structure {} but inputs has {} arguments.",
            value_text(other),
            value_text(other),
            n
        ))),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::None => "None".into(),
        Value::Tuple(items) => format!(
            "({})",
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        other => other.type_name(),
    }
}

fn make_vmap(_: &mut Interp, a: Args) -> PyResult<Value> {
    let p = bind(
        "vmap",
        &a,
        &[
            ("func", None),
            ("in_dims", Some(Value::Int(0))),
            ("out_dims", Some(Value::Int(0))),
            ("randomness", Some(Value::str("error"))),
            ("chunk_size", Some(Value::None)),
        ],
    )?;
    let (func, in_dims, out_dims) = (p[0].clone(), p[1].clone(), p[2].clone());
    let (randomness, chunk) = (p[3].clone(), p[4].clone());
    Ok(Value::native("vmap", move |interp, call| {
        vmap_call(
            interp,
            &func,
            &in_dims,
            &out_dims,
            &randomness,
            &chunk,
            call,
        )
    }))
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        _ => false,
    }
}

/// Each tensor of an argument with its mapped dim (a dim value may itself be a pytree matching
/// the argument: a tuple/list/dict of dims).
fn leaf_dims(arg: &Value, dim: &Value, out: &mut Vec<(Tensor, Option<isize>)>) -> PyResult<()> {
    match (arg, dim) {
        (Value::Tensor(t), Value::None) => out.push((t.clone(), None)),
        (Value::Tensor(t), Value::Int(d)) => out.push((t.clone(), Some(*d as isize))),
        (Value::Tuple(items), Value::Tuple(ds)) if items.len() == ds.len() => {
            for (x, d) in items.iter().zip(ds.iter()) {
                leaf_dims(x, d, out)?;
            }
        }
        (Value::Tuple(items), d @ (Value::Int(_) | Value::None)) => {
            for x in items.iter() {
                leaf_dims(x, d, out)?;
            }
        }
        (Value::List(items), d) => {
            let items = items.borrow().clone();
            let ds: Vec<Value> = match d {
                Value::List(ds) => ds.borrow().clone(),
                Value::Tuple(ds) => ds.as_ref().clone(),
                d => vec![d.clone(); items.len()],
            };
            for (x, d) in items.iter().zip(ds.iter()) {
                leaf_dims(x, d, out)?;
            }
        }
        (Value::Dict(items), d) => {
            let items = items.borrow().clone();
            for (k, x) in items {
                let dd = match d {
                    Value::Dict(ds) => ds
                        .borrow()
                        .iter()
                        .find(|(dk, _)| values_equal(dk, &k))
                        .map(|(_, v)| v.clone())
                        .unwrap_or(Value::None),
                    d => d.clone(),
                };
                leaf_dims(&x, &dd, out)?;
            }
        }
        (_, Value::None) => {}
        (other, Value::Int(d)) => {
            return Err(runtime_error(format!(
                "vmap(f, in_dims={d}, ...)(<inputs>): Got in_dim={d} for an input but the input is of type {}. We cannot vmap over non-Tensor arguments, please use None as the respective in_dim",
                py_type(other)
            )));
        }
        (_, other) => {
            return Err(runtime_error(format!(
                "vmap: in_dim must be an int or None, got {}",
                py_type(other)
            )));
        }
    }
    Ok(())
}

fn func_name(f: &Value) -> String {
    match f {
        Value::Function(u) => u.name.clone(),
        Value::Native(n) => n.name.clone(),
        other => other.type_name(),
    }
}

fn dim_option(v: &Value) -> PyResult<Option<isize>> {
    match v {
        Value::Int(d) => Ok(Some(*d as isize)),
        Value::None => Ok(None),
        other => Err(runtime_error(format!(
            "vmap: out_dims must be an int or None, got {}",
            py_type(other)
        ))),
    }
}

/// `vmap(func, in_dims, out_dims)(*args)`: real vectorization through the batching rules
/// (`autograd::batching`): the function runs once, on batched tensors.
#[allow(clippy::too_many_arguments)]
fn vmap_call(
    interp: &mut Interp,
    func: &Value,
    in_dims: &Value,
    out_dims: &Value,
    randomness: &Value,
    chunk_size: &Value,
    call: Args,
) -> PyResult<Value> {
    let dims = per_arg_dims(in_dims, call.pos.len(), "in_dims")?;
    let mut flat: Vec<(Tensor, Option<isize>)> = Vec::new();
    for (arg, d) in call.pos.iter().zip(&dims) {
        leaf_dims(arg, d, &mut flat)?;
    }
    let (inputs, in_flat): (Vec<Tensor>, Vec<Option<isize>>) = flat.into_iter().unzip();
    let randomness = match randomness {
        Value::Str(s) if &**s == "same" => batching::Randomness::Same,
        Value::Str(s) if &**s == "different" => batching::Randomness::Different,
        Value::Str(s) if &**s == "error" => batching::Randomness::Error,
        other => {
            return Err(runtime_error(format!(
                "Only allowed values for randomness are 'error', 'different', or 'same'. Got {}",
                value_text(other)
            )));
        }
    };
    let chunk_size = match chunk_size {
        Value::None => None,
        Value::Int(n) if *n > 0 => Some(*n as usize),
        other => {
            return Err(runtime_error(format!(
                "vmap: chunk_size should be None or greater than 0. (got {})",
                value_text(other)
            )));
        }
    };
    let opts = batching::VmapOptions {
        func_name: func_name(func),
        in_dims_repr: value_text(in_dims),
        randomness,
        chunk_size,
        legacy: false,
    };
    let out_flat: Vec<Option<isize>> = match out_dims {
        Value::Tuple(items) => items.iter().map(dim_option).collect::<PyResult<_>>()?,
        other => vec![dim_option(other)?],
    };
    let structure: std::cell::RefCell<Option<Value>> = std::cell::RefCell::new(None);
    let mut body = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> {
        let mut it = xs.iter();
        let mut pos = Vec::with_capacity(call.pos.len());
        for (arg, d) in call.pos.iter().zip(&dims) {
            let mut mine = Vec::new();
            leaf_dims(arg, d, &mut mine)?;
            let replaced: Vec<Tensor> = it.by_ref().take(mine.len()).cloned().collect();
            pos.push(replace_tensors(arg, d, &replaced)?);
        }
        let out = interp.call_value(
            func,
            Args {
                pos,
                kw: call.kw.clone(),
            },
        )?;
        check_vmap_outputs(&out)?;
        let leaves = pytree::leaves(&out);
        *structure.borrow_mut() = Some(out);
        Ok(leaves)
    };
    let results = batching::vmap_with(&opts, &mut body, &inputs, &in_flat, &out_flat, None)?;
    let structure = structure
        .into_inner()
        .ok_or_else(|| runtime_error("vmap: the function was not called"))?;
    pytree::replace(&structure, &results)
}

/// Replaces the tensors `leaf_dims` visits (same order) with `new`.
fn replace_tensors(arg: &Value, _dim: &Value, new: &[Tensor]) -> PyResult<Value> {
    pytree::replace(arg, new)
}

fn check_vmap_outputs(out: &Value) -> PyResult<()> {
    fn first_non_tensor(v: &Value) -> Option<Value> {
        match v {
            Value::Tensor(_) => None,
            Value::Tuple(items) => items.iter().find_map(first_non_tensor),
            Value::List(items) => items.borrow().iter().find_map(first_non_tensor),
            Value::Dict(items) => items.borrow().iter().find_map(|(_, x)| first_non_tensor(x)),
            other => Some(other.clone()),
        }
    }
    match first_non_tensor(out) {
        None => Ok(()),
        Some(bad) => Err(runtime_error(format!(
            "vmap: `func` must only return Tensors, got type {}. Did you mean to set out_dims= to None for output?",
            py_type(&bad)
        ))),
    }
}
