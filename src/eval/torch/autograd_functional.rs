//! `torch.autograd.functional`: `jacobian`, `hessian`, `vjp`, `jvp`, `hvp`, `vhp`, following
//! PyTorch's algorithms in `torch/autograd/functional.py` step for step (row-by-row
//! `autograd.grad`, tuple nesting, `stack(...).view(out.shape + in.shape)`, zeros for unused
//! inputs, strict-mode errors, jvp/hvp through the double-backward trick), so results, their
//! `grad_fn`s and their errors print as PyTorch prints them.

use super::args::Bound;
use super::autograd_api::with_interp;
use super::convert::size_repr;
use super::table::{Row, torch};
use crate::array::NdArray;
use crate::autograd::{self, GradModeGuard, Tensor, is_grad_enabled, ops};
use crate::error::{PyErr, PyResult, not_implemented, runtime_error, type_error};
use crate::eval::interp::Interp;
use crate::eval::value::{Args, Value};

/// The user function: a Python callable, or one of hessian's internal wrappers.
type Func<'a> = &'a dyn Fn(&mut Interp, Vec<Value>) -> PyResult<Value>;

fn call(interp: &mut Interp, func: Func, inputs: &[Tensor]) -> PyResult<Value> {
    func(interp, inputs.iter().cloned().map(Value::Tensor).collect())
}

fn py_type(v: &Value) -> String {
    match v {
        Value::Tensor(_) => "<class 'torch.Tensor'>".into(),
        other => format!("<class '{}'>", other.type_name()),
    }
}

/// `_as_tuple`: (was it a tuple, its tensors); only real tuples count, as in PyTorch.
fn as_tuple(v: &Value, arg_name: &str, fn_name: &str) -> PyResult<(bool, Vec<Tensor>)> {
    let (is_tuple, items) = match v {
        Value::Tuple(t) => (true, t.as_ref().clone()),
        Value::NamedTuple(nt) => (true, nt.values.clone()),
        other => (false, vec![other.clone()]),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, el) in items.iter().enumerate() {
        match el {
            Value::Tensor(t) => out.push(t.clone()),
            other if is_tuple => {
                return Err(type_error(format!(
                    "The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors but the value at index {i} has type {}.",
                    py_type(other)
                )));
            }
            other => {
                return Err(type_error(format!(
                    "The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors but the given {arg_name} has type {}.",
                    py_type(other)
                )));
            }
        }
    }
    Ok((is_tuple, out))
}

/// `_grad_preprocess`: always new tensor objects, differentiable views when create_graph.
fn grad_preprocess(
    inputs: &[Tensor],
    create_graph: bool,
    need_graph: bool,
) -> PyResult<Vec<Tensor>> {
    inputs
        .iter()
        .map(|inp| {
            if create_graph && inp.requires_grad() {
                let shape: Vec<isize> = inp.shape().iter().map(|&d| d as isize).collect();
                ops::view(inp, &shape)
            } else {
                let d = inp.detach();
                d.requires_grad_(need_graph)?;
                Ok(d)
            }
        })
        .collect()
}

fn grad_postprocess(ts: Vec<Tensor>, create_graph: bool) -> Vec<Tensor> {
    if create_graph {
        ts
    } else {
        ts.into_iter().map(|t| t.detach()).collect()
    }
}

fn validate_v(v: &[Tensor], other: &[Tensor], is_other_tuple: bool) -> PyResult<()> {
    if v.len() != other.len() {
        return Err(if is_other_tuple {
            runtime_error(format!(
                "v is a tuple of invalid length: should be {} but got {}.",
                other.len(),
                v.len()
            ))
        } else {
            runtime_error("The given v should contain a single Tensor.")
        });
    }
    for (idx, (el_v, el_o)) in v.iter().zip(other).enumerate() {
        if el_v.shape() != el_o.shape() {
            let prepend = if is_other_tuple {
                format!("Entry {idx} in ")
            } else {
                String::new()
            };
            return Err(runtime_error(format!(
                "{prepend}v has invalid size: should be {} but got {}.",
                size_repr(&el_o.shape()),
                size_repr(&el_v.shape())
            )));
        }
    }
    Ok(())
}

/// `_check_requires_grad` for the four stages that have a strict-mode message.
fn check_requires_grad(inputs: &[Option<Tensor>], input_type: &str, strict: bool) -> PyResult<()> {
    if !strict {
        return Ok(());
    }
    for (i, inp) in inputs.iter().enumerate() {
        let inp = match inp {
            None => {
                return Err(runtime_error(format!(
                    "The output of the user-provided function is independent of input {i}. This is not allowed in strict mode."
                )));
            }
            Some(t) => t,
        };
        if !inp.requires_grad() {
            let msg = match input_type {
                "hessian" => format!(
                    "The hessian of the user-provided function with respect to input {i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs."
                ),
                "jacobian" => format!(
                    "While computing the hessian, found that the jacobian of the user-provided function with respect to input {i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example)."
                ),
                "grad_inputs" => format!(
                    "The gradient with respect to input {i} is independent of the inputs of the user-provided function. This is not allowed in strict mode."
                ),
                _ => format!(
                    "Output {i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode."
                ),
            };
            return Err(runtime_error(msg));
        }
    }
    Ok(())
}

fn some(ts: &[Tensor]) -> Vec<Option<Tensor>> {
    ts.iter().cloned().map(Some).collect()
}

/// `_autograd_grad`: `autograd.grad` that skips outputs that do not require grad.
fn autograd_grad(
    interp: &mut Interp,
    outputs: &[Option<Tensor>],
    inputs: &[Tensor],
    grad_outputs: Option<&[Option<Tensor>]>,
    create_graph: bool,
    retain_graph: Option<bool>,
) -> PyResult<Vec<Option<Tensor>>> {
    let mut new_outputs = Vec::new();
    let mut new_grads = Vec::new();
    for (i, out) in outputs.iter().enumerate() {
        if let Some(o) = out.as_ref().filter(|o| o.requires_grad()) {
            new_outputs.push(o.clone());
            new_grads.push(grad_outputs.and_then(|g| g.get(i).cloned().flatten()));
        }
    }
    if new_outputs.is_empty() {
        return Ok(vec![None; inputs.len()]);
    }
    with_interp(interp, || {
        autograd::grad(
            &new_outputs,
            inputs,
            &new_grads,
            retain_graph,
            create_graph,
            true,
            false,
        )
    })
}

/// `_fill_in_zeros`.
fn fill_in_zeros(
    grads: Vec<Option<Tensor>>,
    refs: &[Tensor],
    strict: bool,
    create_graph: bool,
    stage: &str,
) -> PyResult<Vec<Tensor>> {
    let mut res = Vec::with_capacity(grads.len());
    for (i, g) in grads.into_iter().enumerate() {
        match g {
            None => {
                if strict {
                    let msg = match stage {
                        "back" => format!(
                            "The output of the user-provided function is independent of input {i}. This is not allowed in strict mode."
                        ),
                        "back_trick" => format!(
                            "The gradient with respect to the input is independent of entry {i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode."
                        ),
                        "double_back" => format!(
                            "The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode."
                        ),
                        _ => format!(
                            "The hessian of the user-provided function is independent of entry {i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD."
                        ),
                    };
                    return Err(runtime_error(msg));
                }
                res.push(zeros_like(&refs[i], false)?);
            }
            Some(g) => {
                if strict && create_graph && !g.requires_grad() {
                    let msg = if stage.contains("double") {
                        format!(
                            "The hessian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True."
                        )
                    } else {
                        format!(
                            "The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True."
                        )
                    };
                    return Err(runtime_error(msg));
                }
                res.push(g);
            }
        }
    }
    Ok(res)
}

fn zeros_like(t: &Tensor, requires_grad: bool) -> PyResult<Tensor> {
    Tensor::leaf(NdArray::zeros(&t.shape(), t.dtype()), requires_grad)
}

fn tensors_value(ts: Vec<Tensor>) -> Value {
    Value::tuple(ts.into_iter().map(Value::Tensor).collect())
}

/// `_tuple_postprocess(res, flag)` for a flat tuple.
fn unpack1(ts: Vec<Tensor>, is_tuple: bool) -> Value {
    if is_tuple {
        tensors_value(ts)
    } else {
        ts.into_iter()
            .next()
            .map(Value::Tensor)
            .unwrap_or(Value::None)
    }
}

fn first(v: &Value) -> Value {
    match v {
        Value::Tuple(t) => t.first().cloned().unwrap_or(Value::None),
        other => other.clone(),
    }
}

/// `_tuple_postprocess(res, (outer, inner))` for a tuple of tuples.
fn unpack2(res: Value, outer: bool, inner: bool) -> Value {
    let mut res = res;
    if let (false, Value::Tuple(items)) = (inner, &res) {
        res = Value::tuple(items.iter().map(first).collect());
    }
    if !outer {
        res = first(&res);
    }
    res
}

fn strategy_check(strategy: &str) -> PyResult<()> {
    if strategy != "forward-mode" && strategy != "reverse-mode" {
        return Err(PyErr::new(
            crate::error::ErrorKind::AssertionError,
            "Expected strategy to be either \"forward-mode\" or \"reverse-mode\". Hint: If your function has more outputs than inputs, \"forward-mode\" tends to be more performant. Otherwise, prefer to use \"reverse-mode\".",
        ));
    }
    Ok(())
}

/// `jacobian(func, inputs, create_graph, strict, vectorize, strategy)`.
///
/// `vectorize=True` and forward mode run the same row-by-row loop: the values are the same,
/// only PyTorch's batching differs.
#[allow(clippy::too_many_arguments)]
fn jacobian_impl(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    create_graph: bool,
    strict: bool,
    vectorize: bool,
    strategy: &str,
) -> PyResult<Value> {
    strategy_check(strategy)?;
    if strategy == "forward-mode" {
        if create_graph {
            return Err(not_implemented(
                "torch.autograd.functional.jacobian: `create_graph=True` and `strategy=\"forward-mode\"` are not supported together (yet). Please either set `create_graph=False` or `strategy=\"reverse-mode\"`.",
            ));
        }
        if strict {
            return Err(runtime_error(
                "torch.autograd.functional.jacobian: `strict=True` and `strategy=\"forward-mode\"` are not supported together (yet). Please either set `strict=False` or `strategy=\"reverse-mode\"`.",
            ));
        }
        if !vectorize {
            return Err(not_implemented(
                "Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for `vectorize=True`.",
            ));
        }
    }
    let _grad = GradModeGuard::new(true);
    let (is_inputs_tuple, inputs) = as_tuple(inputs, "inputs", "jacobian")?;
    let inputs = grad_preprocess(&inputs, create_graph, true)?;
    let out_value = call(interp, func, &inputs)?;
    let (is_outputs_tuple, outputs) = as_tuple(
        &out_value,
        "outputs of the user-provided function",
        "jacobian",
    )?;
    check_requires_grad(&some(&outputs), "outputs", strict)?;
    if vectorize && strict {
        return Err(runtime_error(
            "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. Please either set `strict=False` or `vectorize=False`.",
        ));
    }

    if vectorize {
        // One batched pass over a basis (vmap), as PyTorch's vectorized path.
        let jac = if strategy == "forward-mode" {
            let primals: Vec<Tensor> = inputs.clone();
            let mut f = |xs: &[Tensor]| -> PyResult<Vec<Tensor>> {
                let v = call(interp, func, xs)?;
                Ok(as_tuple(&v, "outputs of the user-provided function", "jacobian")?.1)
            };
            crate::autograd::functional::jacobian_forward(&mut f, &primals)?
        } else {
            let mut wrt = crate::autograd::functional::Wrt::from_inputs(&inputs, create_graph);
            wrt.legacy_vmap = true;
            with_interp(interp, || wrt.jacobian(&outputs, None))?
        };
        let jacobian: Vec<Value> = jac
            .into_iter()
            .map(|row| {
                Value::tuple(
                    row.into_iter()
                        .map(|t| Value::Tensor(if create_graph { t } else { t.detach() }))
                        .collect(),
                )
            })
            .collect();
        return Ok(unpack2(
            Value::tuple(jacobian),
            is_outputs_tuple,
            is_inputs_tuple,
        ));
    }
    let mut jacobian: Vec<Value> = Vec::with_capacity(outputs.len());
    for (i, out) in outputs.iter().enumerate() {
        let mut jac_i: Vec<Vec<Tensor>> = vec![Vec::new(); inputs.len()];
        let flat = ops::reshape(out, &[-1])?;
        for j in 0..out.numel() {
            let out_j = ops::select(&flat, 0, j as isize)?;
            let vj = autograd_grad(
                interp,
                &[Some(out_j)],
                &inputs,
                None,
                create_graph,
                Some(true),
            )?;
            for (el_idx, (vj_el, inp_el)) in vj.into_iter().zip(&inputs).enumerate() {
                match vj_el {
                    Some(g) => {
                        if strict && create_graph && !g.requires_grad() {
                            return Err(runtime_error(format!(
                                "The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True."
                            )));
                        }
                        jac_i[el_idx].push(g);
                    }
                    None => {
                        if strict {
                            return Err(runtime_error(format!(
                                "Output {i} of the user-provided function is independent of input {el_idx}. This is not allowed in strict mode."
                            )));
                        }
                        jac_i[el_idx].push(zeros_like(inp_el, false)?);
                    }
                }
            }
        }
        let mut row = Vec::with_capacity(inputs.len());
        for (el_idx, parts) in jac_i.into_iter().enumerate() {
            let mut shape: Vec<isize> = out.shape().iter().map(|&d| d as isize).collect();
            shape.extend(inputs[el_idx].shape().iter().map(|&d| d as isize));
            let stacked = ops::stack(&parts, 0)?;
            let viewed = ops::view(&stacked, &shape)?;
            row.push(Value::Tensor(if create_graph {
                viewed
            } else {
                viewed.detach()
            }));
        }
        jacobian.push(Value::tuple(row));
    }
    Ok(unpack2(
        Value::tuple(jacobian),
        is_outputs_tuple,
        is_inputs_tuple,
    ))
}

fn hessian_impl(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    create_graph: bool,
    strict: bool,
    vectorize: bool,
    outer_strategy: &str,
) -> PyResult<Value> {
    let (is_inputs_tuple, inputs) = as_tuple(inputs, "inputs", "hessian")?;
    if outer_strategy != "forward-mode" && outer_strategy != "reverse-mode" {
        return Err(PyErr::new(
            crate::error::ErrorKind::AssertionError,
            "Expected strategy to be either \"forward-mode\" or \"reverse-mode\".",
        ));
    }
    let ensure_single_output = |interp: &mut Interp, args: Vec<Value>| -> PyResult<Value> {
        let out = func(interp, args)?;
        let (is_out_tuple, t_out) =
            as_tuple(&out, "outputs of the user-provided function", "hessian")?;
        check_requires_grad(&some(&t_out), "outputs", strict)?;
        let single = match (&out, is_out_tuple) {
            (Value::Tensor(t), false) => t.clone(),
            _ => {
                return Err(runtime_error(
                    "The function given to hessian should return a single Tensor",
                ));
            }
        };
        if single.numel() != 1 {
            return Err(runtime_error(
                "The Tensor returned by the function given to hessian should contain a single element",
            ));
        }
        Ok(Value::Tensor(ops::squeeze(&single, None)?))
    };
    let jac_func = |interp: &mut Interp, args: Vec<Value>| -> PyResult<Value> {
        let jac = jacobian_impl(
            interp,
            &ensure_single_output,
            &Value::tuple(args),
            true,
            false,
            false,
            "reverse-mode",
        )?;
        let (_, jac_ts) = as_tuple(&jac, "jacobian", "hessian")?;
        check_requires_grad(&some(&jac_ts), "jacobian", strict)?;
        Ok(jac)
    };
    let res = jacobian_impl(
        interp,
        &jac_func,
        &tensors_value(inputs),
        create_graph,
        strict,
        vectorize,
        outer_strategy,
    )?;
    Ok(unpack2(res, is_inputs_tuple, is_inputs_tuple))
}

/// Grad mode for the final backward of vjp/vhp/hvp: on with create_graph, else unchanged.
fn final_mode(create_graph: bool) -> GradModeGuard {
    GradModeGuard::new(create_graph || is_grad_enabled())
}

/// The `v` argument preprocessed and validated against `other`, or None.
fn v_arg(
    v: &Value,
    fn_name: &str,
    create_graph: bool,
    other: &[Tensor],
    is_other_tuple: bool,
) -> PyResult<Option<Vec<Tensor>>> {
    if matches!(v, Value::None) {
        return Ok(None);
    }
    let (_, v) = as_tuple(v, "v", fn_name)?;
    let v = grad_preprocess(&v, create_graph, false)?;
    validate_v(&v, other, is_other_tuple)?;
    Ok(Some(v))
}

fn vjp_impl(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    v: &Value,
    create_graph: bool,
    strict: bool,
) -> PyResult<Value> {
    let (is_inputs_tuple, inputs, is_outputs_tuple, outputs, v) = {
        let _g = GradModeGuard::new(true);
        let (is_inputs_tuple, inputs) = as_tuple(inputs, "inputs", "vjp")?;
        let inputs = grad_preprocess(&inputs, create_graph, true)?;
        let out = call(interp, func, &inputs)?;
        let (is_outputs_tuple, outputs) =
            as_tuple(&out, "outputs of the user-provided function", "vjp")?;
        check_requires_grad(&some(&outputs), "outputs", strict)?;
        let v = v_arg(v, "vjp", create_graph, &outputs, is_outputs_tuple)?;
        if v.is_none() && (outputs.len() != 1 || outputs[0].numel() != 1) {
            return Err(runtime_error(
                "The vector v can only be None if the user-provided function returns a single Tensor with a single element.",
            ));
        }
        (is_inputs_tuple, inputs, is_outputs_tuple, outputs, v)
    };
    let vjp = {
        let _g = final_mode(create_graph);
        let v = v.map(|v| some(&v));
        let grads = autograd_grad(
            interp,
            &some(&outputs),
            &inputs,
            v.as_deref(),
            create_graph,
            None,
        )?;
        fill_in_zeros(grads, &inputs, strict, create_graph, "back")?
    };
    Ok(Value::tuple(vec![
        unpack1(grad_postprocess(outputs, create_graph), is_outputs_tuple),
        unpack1(grad_postprocess(vjp, create_graph), is_inputs_tuple),
    ]))
}

fn jvp_impl(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    v: &Value,
    create_graph: bool,
    strict: bool,
) -> PyResult<Value> {
    let (is_outputs_tuple, outputs, grad_inputs, grad_outputs, v) = {
        let _g = GradModeGuard::new(true);
        let (is_inputs_tuple, inputs) = as_tuple(inputs, "inputs", "jvp")?;
        let inputs = grad_preprocess(&inputs, create_graph, true)?;
        let v = v_arg(v, "jvp", create_graph, &inputs, is_inputs_tuple)?;
        if v.is_none() && (inputs.len() != 1 || inputs[0].numel() != 1) {
            return Err(runtime_error(
                "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.",
            ));
        }
        let out = call(interp, func, &inputs)?;
        let (is_outputs_tuple, outputs) =
            as_tuple(&out, "outputs of the user-provided function", "jvp")?;
        check_requires_grad(&some(&outputs), "outputs", strict)?;
        // The backward is linear in grad_outputs, so their value never shows up in the result.
        let grad_outputs = outputs
            .iter()
            .map(|o| zeros_like(o, true))
            .collect::<PyResult<Vec<Tensor>>>()?;
        let grad_inputs = autograd_grad(
            interp,
            &some(&outputs),
            &inputs,
            Some(&some(&grad_outputs)),
            true,
            None,
        )?;
        check_requires_grad(&grad_inputs, "grad_inputs", strict)?;
        (is_outputs_tuple, outputs, grad_inputs, grad_outputs, v)
    };
    let jvp = {
        let _g = if create_graph {
            Some(GradModeGuard::new(true))
        } else {
            None
        };
        let v = v.map(|v| some(&v));
        let grads = autograd_grad(
            interp,
            &grad_inputs,
            &grad_outputs,
            v.as_deref(),
            create_graph,
            None,
        )?;
        fill_in_zeros(grads, &outputs, strict, create_graph, "back_trick")?
    };
    Ok(Value::tuple(vec![
        unpack1(grad_postprocess(outputs, create_graph), is_outputs_tuple),
        unpack1(grad_postprocess(jvp, create_graph), is_outputs_tuple),
    ]))
}

/// Shared front half of vhp/hvp: inputs, v, the single scalar output and its gradient.
struct Scalarized {
    is_inputs_tuple: bool,
    is_outputs_tuple: bool,
    inputs: Vec<Tensor>,
    outputs: Vec<Tensor>,
    v: Option<Vec<Tensor>>,
    jac: Vec<Option<Tensor>>,
}

fn scalarize(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    v: &Value,
    create_graph: bool,
    strict: bool,
    name: &str,
) -> PyResult<Scalarized> {
    let (is_inputs_tuple, inputs) = as_tuple(inputs, "inputs", name)?;
    let inputs = grad_preprocess(&inputs, create_graph, true)?;
    let v = v_arg(v, name, create_graph, &inputs, is_inputs_tuple)?;
    if v.is_none() && (inputs.len() != 1 || inputs[0].numel() != 1) {
        return Err(runtime_error(
            "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.",
        ));
    }
    let out = call(interp, func, &inputs)?;
    let (is_outputs_tuple, outputs) =
        as_tuple(&out, "outputs of the user-provided function", name)?;
    check_requires_grad(&some(&outputs), "outputs", strict)?;
    if is_outputs_tuple {
        return Err(runtime_error(format!(
            "The function given to {name} should return a single Tensor"
        )));
    }
    if outputs[0].numel() != 1 {
        return Err(runtime_error(format!(
            "The Tensor returned by the function given to {name} should contain a single element"
        )));
    }
    let jac = autograd_grad(interp, &some(&outputs), &inputs, None, true, None)?;
    check_requires_grad(&jac, "jacobian", strict)?;
    Ok(Scalarized {
        is_inputs_tuple,
        is_outputs_tuple,
        inputs,
        outputs,
        v,
        jac,
    })
}

fn vhp_impl(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    v: &Value,
    create_graph: bool,
    strict: bool,
) -> PyResult<Value> {
    let s = {
        let _g = GradModeGuard::new(true);
        scalarize(interp, func, inputs, v, create_graph, strict, "vhp")?
    };
    let vhp = {
        let _g = final_mode(create_graph);
        let v = s.v.as_ref().map(|v| some(v));
        let grads = autograd_grad(interp, &s.jac, &s.inputs, v.as_deref(), create_graph, None)?;
        fill_in_zeros(grads, &s.inputs, strict, create_graph, "double_back")?
    };
    Ok(Value::tuple(vec![
        unpack1(
            grad_postprocess(s.outputs, create_graph),
            s.is_outputs_tuple,
        ),
        unpack1(grad_postprocess(vhp, create_graph), s.is_inputs_tuple),
    ]))
}

fn hvp_impl(
    interp: &mut Interp,
    func: Func,
    inputs: &Value,
    v: &Value,
    create_graph: bool,
    strict: bool,
) -> PyResult<Value> {
    let (s, grad_jac, double_back) = {
        let _g = GradModeGuard::new(true);
        let s = scalarize(interp, func, inputs, v, create_graph, strict, "hvp")?;
        let grad_jac = s
            .inputs
            .iter()
            .map(|i| zeros_like(i, true))
            .collect::<PyResult<Vec<Tensor>>>()?;
        let double_back = autograd_grad(
            interp,
            &s.jac,
            &s.inputs,
            Some(&some(&grad_jac)),
            true,
            None,
        )?;
        check_requires_grad(&s.jac, "hessian", strict)?;
        (s, grad_jac, double_back)
    };
    let hvp = {
        let _g = final_mode(create_graph);
        let v = s.v.as_ref().map(|v| some(v));
        let grads = autograd_grad(
            interp,
            &double_back,
            &grad_jac,
            v.as_deref(),
            create_graph,
            None,
        )?;
        fill_in_zeros(grads, &s.inputs, strict, create_graph, "double_back_trick")?
    };
    Ok(Value::tuple(vec![
        unpack1(
            grad_postprocess(s.outputs, create_graph),
            s.is_outputs_tuple,
        ),
        unpack1(grad_postprocess(hvp, create_graph), s.is_inputs_tuple),
    ]))
}

// ---------------------------------------------------------------------------------------------
// Python entry points.

fn strategy_arg(b: &Bound, name: &str) -> PyResult<String> {
    match b.value(name)? {
        Value::Str(s) => Ok(s.to_string()),
        other => Ok(other.type_name()),
    }
}

fn py_func(b: &Bound) -> PyResult<Value> {
    b.value("func")
}

fn jacobian(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let f = py_func(b)?;
    let func = move |interp: &mut Interp, args: Vec<Value>| interp.call_value(&f, Args::new(args));
    let strategy = strategy_arg(b, "strategy")?;
    jacobian_impl(
        interp,
        &func,
        &b.value("inputs")?,
        b.bool("create_graph")?,
        b.bool("strict")?,
        b.bool("vectorize")?,
        &strategy,
    )
}

fn hessian(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    let f = py_func(b)?;
    let func = move |interp: &mut Interp, args: Vec<Value>| interp.call_value(&f, Args::new(args));
    let strategy = strategy_arg(b, "outer_jacobian_strategy")?;
    hessian_impl(
        interp,
        &func,
        &b.value("inputs")?,
        b.bool("create_graph")?,
        b.bool("strict")?,
        b.bool("vectorize")?,
        &strategy,
    )
}

type ProductImpl = fn(&mut Interp, Func, &Value, &Value, bool, bool) -> PyResult<Value>;

fn product(interp: &mut Interp, b: &Bound, f: ProductImpl) -> PyResult<Value> {
    let py = py_func(b)?;
    let func = move |interp: &mut Interp, args: Vec<Value>| interp.call_value(&py, Args::new(args));
    f(
        interp,
        &func,
        &b.value("inputs")?,
        &b.value("v")?,
        b.bool("create_graph")?,
        b.bool("strict")?,
    )
}
fn vjp(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(interp, b, vjp_impl)
}
fn jvp(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(interp, b, jvp_impl)
}
fn vhp(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(interp, b, vhp_impl)
}
fn hvp(interp: &mut Interp, b: &Bound) -> PyResult<Value> {
    product(interp, b, hvp_impl)
}

/// The `torch.autograd.functional` module's table.
pub const ROWS: &[Row] = &[
    torch(
        "def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy=\"reverse-mode\")",
        "The Jacobian of func at inputs.",
        jacobian,
    ),
    torch(
        "def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy=\"reverse-mode\")",
        "The Hessian of a scalar func at inputs.",
        hessian,
    ),
    torch(
        "def vjp(func, inputs, v=None, create_graph=False, strict=False)",
        "(func(inputs), v^T J).",
        vjp,
    ),
    torch(
        "def jvp(func, inputs, v=None, create_graph=False, strict=False)",
        "(func(inputs), J v).",
        jvp,
    ),
    torch(
        "def vhp(func, inputs, v=None, create_graph=False, strict=False)",
        "(func(inputs), v^T H).",
        vhp,
    ),
    torch(
        "def hvp(func, inputs, v=None, create_graph=False, strict=False)",
        "(func(inputs), H v).",
        hvp,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn t1(v: Vec<f32>) -> Tensor {
        let n = v.len();
        Tensor::new(NdArray::from_vec(v, vec![n]))
    }

    #[test]
    fn as_tuple_matches_pytorch_messages() {
        let (is_t, ts) = as_tuple(&Value::Tensor(t1(vec![1.0])), "inputs", "jacobian").unwrap();
        assert!(!is_t && ts.len() == 1);
        let e = as_tuple(&Value::list(vec![]), "inputs", "jacobian").unwrap_err();
        assert_eq!(
            e.msg,
            "The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the given inputs has type <class 'list'>."
        );
        let e = as_tuple(
            &Value::tuple(vec![Value::Tensor(t1(vec![1.0])), Value::Int(1)]),
            "v",
            "vjp",
        )
        .unwrap_err();
        assert_eq!(
            e.msg,
            "The v given to vjp must be either a Tensor or a tuple of Tensors but the value at index 1 has type <class 'int'>."
        );
    }

    #[test]
    fn tuple_postprocess_unpacks_like_pytorch() {
        let a = Value::Tensor(t1(vec![1.0]));
        let b = Value::Tensor(t1(vec![2.0]));
        let nested = Value::tuple(vec![Value::tuple(vec![a.clone(), b.clone()])]);
        // one output, two inputs: a tuple over inputs
        match unpack2(nested.clone(), false, true) {
            Value::Tuple(t) => assert_eq!(t.len(), 2),
            _ => panic!("expected a tuple"),
        }
        // one output, one input: the bare tensor
        let single = Value::tuple(vec![Value::tuple(vec![a])]);
        assert!(matches!(unpack2(single, false, false), Value::Tensor(_)));
    }

    #[test]
    fn validate_v_messages() {
        let e = validate_v(&[t1(vec![1.0, 2.0, 3.0])], &[t1(vec![1.0, 2.0])], false).unwrap_err();
        assert_eq!(
            e.msg,
            "v has invalid size: should be torch.Size([2]) but got torch.Size([3])."
        );
        let e = validate_v(&[], &[t1(vec![1.0])], true).unwrap_err();
        assert_eq!(
            e.msg,
            "v is a tuple of invalid length: should be 1 but got 0."
        );
    }
}
