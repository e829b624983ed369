//! Differentiable tensor operations, named as in PyTorch. Each records a node named exactly
//! like PyTorch's grad_fn (`MulBackward0`, ...) whose backward formula mirrors
//! `tools/autograd/derivatives.yaml` and is written with these same ops, so gradients are
//! differentiable again and higher-order grad_fn names match PyTorch's.
//!
//! Python scalars reach these ops as tensors made by `scalar_tensor` (PyTorch's "wrapped
//! numbers"), so `a * 2` is `mul(a, scalar_tensor(2, &a))` → `MulBackward0`, as in PyTorch.

mod activation;
mod backward_ops;
mod compare;
mod conv;
mod copy_slices;
mod elementwise;
mod embedding;
mod index;
mod inplace;
mod linalg;
mod loss;
mod norm;
mod pad;
mod pointwise;
mod record;
mod reduce;
mod shape;
mod sort;

pub use activation::*;
pub use backward_ops::*;
pub use compare::*;
pub use conv::*;
pub use elementwise::*;
pub use embedding::*;
pub use index::*;
pub use inplace::*;
pub use linalg::*;
pub use loss::*;
pub use norm::*;
pub use pad::*;
pub use pointwise::*;
pub use reduce::*;
pub use shape::*;
pub use sort::*;

pub(crate) use copy_slices::as_strided_of_base;
pub(crate) use index::alias_of;
pub(crate) use record::{
    Jvp, lin1, record, record_jvp, record_multi, saved_output, take_forward_error,
};

use super::tensor::Tensor;
use crate::array::{DType, NdArray, Scalar};

/// One component of a Python subscript `t[...]`.
#[derive(Clone, Debug)]
pub enum TensorIndex {
    Int(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    None,
    Ellipsis,
    /// An int64 index tensor or a bool mask (lists of ints arrive converted to int64 tensors).
    Tensor(Tensor),
}

/// Creates a tensor from an array that does not require grad (factories, random, results of
/// non-differentiable ops).
pub fn constant(array: NdArray) -> Tensor {
    Tensor::new(array)
}

/// A Python number as a 0-d tensor with the dtype PyTorch's promotion gives it next to
/// `like` (float scalar with an int tensor → float32; int scalar → `like`'s dtype unless bool).
pub fn scalar_tensor(value: Scalar, like: &Tensor) -> Tensor {
    let dtype = like.dtype();
    let dtype = match value {
        Scalar::Float(_) if !dtype.is_floating() => DType::F32,
        Scalar::Int(_) if dtype == DType::Bool => DType::I64,
        _ => dtype,
    };
    Tensor::new(NdArray::scalar(value.to_f64(), dtype))
}

/// A 0-d constant of `like`'s dtype (for formulas: `2 * x`, `1 - y*y`, ...).
pub(crate) fn full_like_scalar(value: f64, like: &Tensor) -> Tensor {
    Tensor::new(NdArray::scalar(value, like.dtype()))
}

fn category(d: DType) -> u8 {
    match d {
        DType::Bool => 0,
        DType::I32 | DType::I64 => 1,
        DType::F32 | DType::F64 => 2,
    }
}

/// PyTorch's `result_type` for two tensors: dimensioned tensors outrank 0-d ones within a
/// category; a 0-d tensor of a higher category still wins (c10 `combine_categories`).
pub fn result_type(a: &Tensor, b: &Tensor) -> DType {
    let (da, db) = (a.dtype(), b.dtype());
    let (za, zb) = (a.ndim() == 0, b.ndim() == 0);
    if za == zb {
        return DType::promote(da, db);
    }
    let (dim, zero) = if za { (db, da) } else { (da, db) };
    if dim.is_floating() {
        dim
    } else if dim == DType::Bool || category(zero) > category(dim) {
        DType::promote(dim, zero)
    } else {
        dim
    }
}

/// The data of `t` converted to `dtype` (a view when it already has it).
pub(crate) fn data_as(t: &Tensor, dtype: DType) -> NdArray {
    let a = t.array();
    if a.dtype() == dtype {
        a
    } else {
        a.to_dtype(dtype)
    }
}
