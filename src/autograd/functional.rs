//! Function transforms over Rust closures: `vjp`, `jvp` (true forward mode), `jacrev`,
//! `jacfwd`, `hessian`. The language-level `torch.func` / `torch.autograd.functional` are built
//! on these.

use super::forward::{DualLevel, make_dual, unpack_dual};
use super::grad_mode::GradModeGuard;
use super::ops;
use super::tensor::Tensor;
use crate::error::PyResult;

/// A function of several tensors returning several tensors.
pub type TensorFn<'a> = dyn FnMut(&[Tensor]) -> PyResult<Vec<Tensor>> + 'a;

/// The tensors a reverse-mode transform differentiates with respect to. A primal that already
/// requires grad (an outer reverse transform) is aliased, keeping the outer graph connected; any
/// other becomes a leaf sharing its data that requires grad and keeps its forward-mode tangents
/// (an outer `jvp`/`jacfwd`). Returns whether an outer graph must be kept (`create_graph`).
pub fn grad_inputs(primals: &[Tensor]) -> PyResult<(Vec<Tensor>, bool)> {
    let mut outer = false;
    let mut out = Vec::with_capacity(primals.len());
    for p in primals {
        if p.requires_grad() {
            outer = true;
            out.push(ops::alias_of(p)?);
        } else {
            let leaf = Tensor::leaf(p.array(), true)?;
            for (level, t) in p.0.tangents.borrow().iter() {
                leaf.set_tangent(*level, Some(t.clone()));
            }
            out.push(leaf);
        }
    }
    Ok((out, outer))
}

/// `jvp(f, primals, tangents)`: outputs and their tangents, in one forward pass.
pub fn jvp(
    f: &mut TensorFn<'_>,
    primals: &[Tensor],
    tangents: &[Tensor],
) -> PyResult<(Vec<Tensor>, Vec<Tensor>)> {
    let level = DualLevel::new();
    let duals: Vec<Tensor> = primals
        .iter()
        .zip(tangents)
        .map(|(p, t)| make_dual(p, t, level.0))
        .collect::<PyResult<_>>()?;
    let outs = f(&duals);
    if let Some(e) = ops::take_forward_error() {
        return Err(e);
    }
    let outs = outs?;
    let mut primal_out = Vec::new();
    let mut tangent_out = Vec::new();
    for o in &outs {
        let (p, t) = unpack_dual(o, level.0)?;
        tangent_out.push(match t {
            Some(t) => t,
            None => ops::zeros_like(&p),
        });
        primal_out.push(p);
    }
    Ok((primal_out, tangent_out))
}

/// Jacobian of every output with respect to every primal, `out.shape + in.shape`, computed
/// by reverse mode (`jac[o][i]`).
pub fn jacobian_reverse(
    f: &mut TensorFn<'_>,
    primals: &[Tensor],
    create_graph: bool,
) -> PyResult<Vec<Vec<Tensor>>> {
    let _grad = GradModeGuard::new(true);
    let (inputs, outer) = grad_inputs(primals)?;
    let outs = f(&inputs)?;
    jacobian_rows(&outs, &inputs, create_graph || outer, None)
}

/// Reverse-mode Jacobians of already computed `outputs` with respect to `inputs`
/// (`jac[o][i]`, shaped `out.shape + in.shape`): one vector-Jacobian product per output element,
/// `chunk_size` rows at a time, stacked and viewed like `torch.autograd.functional.jacobian`
/// (so a graph-building result prints `ViewBackward0`).
pub fn jacobian_rows(
    outputs: &[Tensor],
    inputs: &[Tensor],
    create_graph: bool,
    chunk_size: Option<usize>,
) -> PyResult<Vec<Vec<Tensor>>> {
    let _ = chunk_size; // rows are computed one by one; chunking bounds memory only
    let mut jac = Vec::new();
    for out in outputs {
        let flat = ops::reshape(out, &[-1])?;
        let n = flat.numel();
        let mut rows: Vec<Vec<Tensor>> = vec![Vec::new(); inputs.len()];
        for k in 0..n {
            let gs = if flat.requires_grad() {
                let basis = crate::array::NdArray::zeros(&[n], out.dtype());
                basis
                    .slice(0, Some(k as isize), Some(k as isize + 1), 1)?
                    .fill(1.0);
                super::grad(
                    std::slice::from_ref(&flat),
                    inputs,
                    &[Some(Tensor::new(basis))],
                    Some(true),
                    create_graph,
                    true,
                    true,
                )?
            } else {
                inputs.iter().map(|l| Some(ops::zeros_like(l))).collect()
            };
            for (i, g) in gs.into_iter().enumerate() {
                rows[i].push(g.unwrap_or_else(|| ops::zeros_like(&inputs[i])));
            }
        }
        let mut per_input = Vec::new();
        for (i, r) in rows.into_iter().enumerate() {
            let mut shape: Vec<isize> = out.shape().iter().map(|&s| s as isize).collect();
            shape.extend(inputs[i].shape().iter().map(|&s| s as isize));
            let stacked = if r.is_empty() {
                Tensor::new(crate::array::NdArray::zeros(&[0], out.dtype()))
            } else {
                ops::stack(&r, 0)?
            };
            per_input.push(ops::view(&stacked, &shape)?);
        }
        jac.push(per_input);
    }
    Ok(jac)
}

/// Jacobian by forward mode, one input column at a time (`jac[o][i]`).
pub fn jacobian_forward(f: &mut TensorFn<'_>, primals: &[Tensor]) -> PyResult<Vec<Vec<Tensor>>> {
    let mut columns: Vec<Vec<Vec<Tensor>>> = Vec::new(); // [input][k] -> per output
    let mut out_shapes: Vec<Vec<usize>> = Vec::new();
    for (i, p) in primals.iter().enumerate() {
        let n = p.numel();
        let mut cols = Vec::new();
        for k in 0..n {
            let tangents: Vec<Tensor> = primals
                .iter()
                .enumerate()
                .map(|(j, q)| {
                    let z = crate::array::NdArray::zeros(&q.shape(), q.dtype());
                    if j == i {
                        let flat = z.view(&[-1])?;
                        flat.slice(0, Some(k as isize), Some(k as isize + 1), 1)?
                            .fill(1.0);
                    }
                    Ok(Tensor::new(z))
                })
                .collect::<PyResult<_>>()?;
            let (outs, tans) = jvp(f, primals, &tangents)?;
            if out_shapes.is_empty() {
                out_shapes = outs.iter().map(|o| o.shape()).collect();
            }
            cols.push(tans);
        }
        columns.push(cols);
    }
    let mut jac = Vec::new();
    for (o, oshape) in out_shapes.iter().enumerate() {
        let mut per_input = Vec::new();
        for (i, p) in primals.iter().enumerate() {
            let cols: Vec<Tensor> = columns[i]
                .iter()
                .map(|c| ops::reshape(&c[o], &[-1]))
                .collect::<PyResult<_>>()?;
            let m = ops::stack(&cols, 1)?; // (out numel, in numel)
            let mut shape: Vec<isize> = oshape.iter().map(|&s| s as isize).collect();
            shape.extend(p.shape().iter().map(|&s| s as isize));
            per_input.push(ops::reshape(&m, &shape)?);
        }
        jac.push(per_input);
    }
    Ok(jac)
}
