//! `F.embedding`: rows of a weight matrix picked by an index tensor (`EmbeddingBackward0`),
//! and its backward `embedding_dense_backward` (`EmbeddingDenseBackwardBackward0`... is
//! PyTorch's name for the third order; the second is recorded as `EmbeddingDenseBackward0`).
//! The two are each other's transposes, so derivatives of every order stay these two ops.

use super::record;
use crate::array::{DType, NdArray};
use crate::autograd::batching::fallback1;
use crate::autograd::tensor::Tensor;
use crate::error::{PyResult, index_error, runtime_error};

fn any_batched(ts: &[&Tensor]) -> bool {
    ts.iter().any(|t| t.batch().is_some())
}

/// The flat row indices, checked against `rows` with PyTorch's message.
fn rows_of(indices: &Tensor, rows: usize) -> PyResult<Vec<i64>> {
    if !matches!(indices.dtype(), DType::I64 | DType::I32) {
        return Err(runtime_error(format!(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.{}Tensor instead (while checking arguments for embedding)",
            match indices.dtype() {
                DType::F32 => "Float",
                DType::F64 => "Double",
                _ => "Bool",
            }
        )));
    }
    let idx = indices.array().to_vec::<i64>();
    if idx.iter().any(|&i| i < 0 || i as usize >= rows) {
        return Err(index_error("index out of range in self"));
    }
    Ok(idx)
}

/// `F.embedding(input, weight, padding_idx)`: `weight[input]`; the gradient skips the rows of
/// `padding_idx` (already normalised to a row number, or None).
pub fn embedding(weight: &Tensor, indices: &Tensor, padding_idx: Option<i64>) -> PyResult<Tensor> {
    if any_batched(&[weight, indices]) {
        return fallback1(&[weight, indices], |a| embedding(&a[0], &a[1], padding_idx));
    }
    if weight.ndim() != 2 {
        return Err(runtime_error("'weight' must be 2-D"));
    }
    let (rows, dim) = (weight.shape()[0], weight.shape()[1]);
    let idx = rows_of(indices, rows)?;
    let out = weight.array().contiguous().index_select(0, &idx)?;
    let mut shape = indices.shape();
    shape.push(dim);
    let shape_i: Vec<isize> = shape.iter().map(|&s| s as isize).collect();
    let out = out.view(&shape_i)?;
    let ind = indices.clone();
    Ok(record(
        "EmbeddingBackward0",
        &[weight],
        out,
        false,
        move |_, g| {
            Ok(vec![Some(embedding_dense_backward(
                g,
                &ind,
                rows,
                padding_idx,
            )?)])
        },
    ))
}

/// The gradient of `embedding` for the weight: `grad`'s rows summed into `num_weights` rows at
/// the indices, the padding row left zero.
pub fn embedding_dense_backward(
    grad: &Tensor,
    indices: &Tensor,
    num_weights: usize,
    padding_idx: Option<i64>,
) -> PyResult<Tensor> {
    if any_batched(&[grad, indices]) {
        return fallback1(&[grad, indices], |a| {
            embedding_dense_backward(&a[0], &a[1], num_weights, padding_idx)
        });
    }
    let dim = grad.shape().last().copied().unwrap_or(1);
    let idx = rows_of(indices, num_weights)?;
    let g = grad.array().contiguous().view(&[-1, dim as isize])?;
    // Rows of the padding index contribute nothing: send them to a scratch row past the end.
    let kept: Vec<i64> = idx
        .iter()
        .map(|&i| {
            if Some(i) == padding_idx {
                num_weights as i64
            } else {
                i
            }
        })
        .collect();
    let zeros = NdArray::zeros(&[num_weights + 1, dim], grad.dtype());
    let full = zeros.index_add(0, &kept, &g)?;
    let out = full
        .slice(0, Some(0), Some(num_weights as isize), 1)?
        .contiguous();
    let ind = indices.clone();
    Ok(record(
        "EmbeddingDenseBackward0",
        &[grad],
        out,
        false,
        move |_, gg| {
            // The transpose: pick the rows back (padding positions get zero).
            let picked = embedding(gg, &ind, None)?;
            match padding_idx {
                None => Ok(vec![Some(picked)]),
                Some(p) => {
                    let mask = Tensor::new(
                        ind.array()
                            .to_dtype(DType::I64)
                            .binary(
                                &NdArray::scalar(p as f64, DType::I64),
                                crate::array::BinaryOp::Eq,
                            )?
                            .unsqueeze(-1)?,
                    );
                    Ok(vec![Some(super::masked_fill(&picked, &mask, 0.0)?)])
                }
            }
        },
    ))
}
