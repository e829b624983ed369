//! Sorting and order statistics: `sort`, `argsort`, `msort`, `topk`, `kthvalue`, `median`,
//! with their `torch.return_types` named tuples.

use super::args::Bound;
use super::reductions::values_indices;
use super::table::{Row, both};
use crate::autograd::ops;
use crate::error::PyResult;
use crate::eval::interp::Interp;
use crate::eval::value::Value;

fn has(b: &Bound, name: &str) -> bool {
    b.sig.params.iter().any(|p| p.name == name)
}

fn sort(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    // The `stable=` overload names the node SortBackward1, whatever its value.
    let stable = has(b, "stable");
    let (v, i) = ops::sort(
        &b.tensor("input")?,
        b.int("dim")? as isize,
        b.bool("descending")?,
        stable,
    )?;
    Ok(values_indices("sort", v, i))
}
fn argsort(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Tensor(ops::argsort(
        &b.tensor("input")?,
        b.int("dim")? as isize,
        b.bool("descending")?,
    )?))
}
fn msort(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    Ok(Value::Tensor(
        ops::sort(&b.tensor("input")?, 0, false, false)?.0,
    ))
}
fn topk(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (v, i) = ops::topk(
        &b.tensor("input")?,
        b.int("k")?,
        b.int("dim")? as isize,
        b.bool("largest")?,
    )?;
    Ok(values_indices("topk", v, i))
}
fn kthvalue(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let (v, i) = ops::kthvalue(
        &b.tensor("input")?,
        b.int("k")?,
        b.int("dim")? as isize,
        b.bool("keepdim")?,
    )?;
    Ok(values_indices("kthvalue", v, i))
}
fn median(_: &mut Interp, b: &Bound) -> PyResult<Value> {
    let x = b.tensor("input")?;
    if has(b, "dim") {
        let (v, i) = ops::median_dim(&x, b.int("dim")? as isize, b.bool("keepdim")?)?;
        return Ok(values_indices("median", v, i));
    }
    Ok(Value::Tensor(ops::median_all(&x)?))
}

/// The sorting part of the torch table.
pub const ROWS: &[Row] = &[
    both(
        "sort(Tensor input, int dim=-1, bool descending=False)",
        "(values, indices) sorted along dim.",
        sort,
    ),
    both(
        "sort(Tensor input, *, bool? stable, int dim=-1, bool descending=False)",
        "(values, indices) sorted stably along dim.",
        sort,
    ),
    both(
        "argsort(Tensor input, int dim=-1, bool descending=False, bool stable=False)",
        "The indices that sort input along dim.",
        argsort,
    ),
    both("msort(Tensor input)", "input sorted along dim 0.", msort),
    both(
        "topk(Tensor input, int k, int dim=-1, bool largest=True, bool sorted=True)",
        "(values, indices) of the k largest (or smallest) along dim.",
        topk,
    ),
    both(
        "kthvalue(Tensor input, int k, int dim=-1, bool keepdim=False)",
        "(values, indices) of the k-th smallest along dim.",
        kthvalue,
    ),
    both(
        "median(Tensor input)",
        "The lower median of all elements.",
        median,
    ),
    both(
        "median(Tensor input, int dim, bool keepdim=False)",
        "(values, indices) of the lower medians along dim.",
        median,
    ),
];
