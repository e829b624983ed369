//! Differentiable tensor operations, named as in PyTorch. Each records a node named exactly
//! like PyTorch's grad_fn (`MulBackward0`, ...) whose backward is written with these same ops.
//!
//! Python scalars reach these ops as tensors made by `scalar_tensor` (PyTorch's "wrapped
//! numbers"), so `a * 2` is `mul(a, scalar_tensor(2, &a))` → `MulBackward0`, as in PyTorch.

use super::tensor::Tensor;
use crate::array::{DType, NdArray, Scalar};
use crate::error::PyResult;

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

macro_rules! api {
    ($($(#[$doc:meta])* pub fn $name:ident($($arg:ident : $ty:ty),*) -> $ret:ty;)*) => {
        $(
            $(#[$doc])*
            pub fn $name($($arg: $ty),*) -> $ret {
                let _ = ($($arg),*);
                todo!(concat!("autograd op: ", stringify!($name)))
            }
        )*
    };
}

api! {
    /// A Python number as a 0-d tensor with the dtype PyTorch's promotion gives it next to
    /// `like` (float scalar with int tensor → float32; int scalar → `like`'s dtype; ...).
    pub fn scalar_tensor(value: Scalar, like: &Tensor) -> Tensor;
    /// PyTorch's `result_type` for two tensors (dimensioned tensors outrank 0-d ones within a
    /// category; a higher category wins).
    pub fn result_type(a: &Tensor, b: &Tensor) -> DType;

    // ---- elementwise, broadcasting (grad reduced back to each input's shape) ----
    pub fn add(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<Tensor>;
    pub fn sub(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<Tensor>;
    /// `scalar - a` (Python `1 - a`): `RsubBackward1`.
    pub fn rsub_scalar(a: &Tensor, scalar: Scalar) -> PyResult<Tensor>;
    pub fn mul(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn div(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    /// `scalar / a`: `reciprocal(a) * scalar` as in PyTorch (`MulBackward0`).
    pub fn rdiv_scalar(a: &Tensor, scalar: Scalar) -> PyResult<Tensor>;
    pub fn floor_divide(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn remainder(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    /// `a ** exponent` with a Python number: `PowBackward0`.
    pub fn pow_scalar(a: &Tensor, exponent: Scalar) -> PyResult<Tensor>;
    /// `a ** b` with tensors: `PowBackward1`.
    pub fn pow(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    /// `base ** a` with a Python number base: `PowBackward2`.
    pub fn scalar_pow(base: Scalar, a: &Tensor) -> PyResult<Tensor>;
    pub fn maximum(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn minimum(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn atan2(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    /// Comparisons and logical ops: bool results, never differentiable.
    pub fn compare(a: &Tensor, b: &Tensor, op: crate::array::BinaryOp) -> PyResult<Tensor>;
    pub fn logical_not(a: &Tensor) -> Tensor;
    /// Unary float ops (`exp`, `sin`, ...): `ExpBackward0`, ... The op list is `array::UnaryOp`.
    pub fn unary(a: &Tensor, op: crate::array::UnaryOp) -> PyResult<Tensor>;
    pub fn neg(a: &Tensor) -> Tensor;
    pub fn square(a: &Tensor) -> PyResult<Tensor>;
    pub fn clamp(a: &Tensor, min: Option<f64>, max: Option<f64>) -> PyResult<Tensor>;
    pub fn nan_to_num(a: &Tensor, nan: f64, posinf: Option<f64>, neginf: Option<f64>) -> PyResult<Tensor>;
    pub fn where_(cond: &Tensor, a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn lerp(a: &Tensor, b: &Tensor, weight: &Tensor) -> PyResult<Tensor>;

    // ---- reductions (dims None = all; negative dims allowed) ----
    pub fn sum(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor>;
    pub fn mean(a: &Tensor, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor>;
    pub fn prod(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor>;
    /// `a.max()` over everything: `MaxBackward1`.
    pub fn max_all(a: &Tensor) -> PyResult<Tensor>;
    pub fn min_all(a: &Tensor) -> PyResult<Tensor>;
    /// `a.max(dim)`: (values with `MaxBackward0`, int64 indices).
    pub fn max_dim(a: &Tensor, dim: isize, keepdim: bool) -> PyResult<(Tensor, Tensor)>;
    pub fn min_dim(a: &Tensor, dim: isize, keepdim: bool) -> PyResult<(Tensor, Tensor)>;
    pub fn amax(a: &Tensor, dims: &[isize], keepdim: bool) -> PyResult<Tensor>;
    pub fn amin(a: &Tensor, dims: &[isize], keepdim: bool) -> PyResult<Tensor>;
    pub fn argmax(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor>;
    pub fn argmin(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor>;
    /// `norm(p, dim, keepdim)`: `LinalgVectorNormBackward0`.
    pub fn norm(a: &Tensor, p: f64, dims: Option<&[isize]>, keepdim: bool) -> PyResult<Tensor>;
    pub fn var(a: &Tensor, dims: Option<&[isize]>, correction: f64, keepdim: bool) -> PyResult<Tensor>;
    pub fn std(a: &Tensor, dims: Option<&[isize]>, correction: f64, keepdim: bool) -> PyResult<Tensor>;
    pub fn logsumexp(a: &Tensor, dims: &[isize], keepdim: bool) -> PyResult<Tensor>;
    pub fn softmax(a: &Tensor, dim: isize) -> PyResult<Tensor>;
    pub fn log_softmax(a: &Tensor, dim: isize) -> PyResult<Tensor>;
    pub fn cumsum(a: &Tensor, dim: isize) -> PyResult<Tensor>;
    pub fn trace(a: &Tensor) -> PyResult<Tensor>;
    /// Non-differentiable logical reductions (bool results).
    pub fn any(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor>;
    pub fn all(a: &Tensor, dim: Option<isize>, keepdim: bool) -> PyResult<Tensor>;

    // ---- shape and views ----
    pub fn view(a: &Tensor, shape: &[isize]) -> PyResult<Tensor>;
    pub fn reshape(a: &Tensor, shape: &[isize]) -> PyResult<Tensor>;
    pub fn flatten(a: &Tensor, start_dim: isize, end_dim: isize) -> PyResult<Tensor>;
    pub fn t(a: &Tensor) -> PyResult<Tensor>;
    pub fn transpose(a: &Tensor, d0: isize, d1: isize) -> PyResult<Tensor>;
    pub fn permute(a: &Tensor, dims: &[isize]) -> PyResult<Tensor>;
    pub fn movedim(a: &Tensor, source: &[isize], destination: &[isize]) -> PyResult<Tensor>;
    pub fn unsqueeze(a: &Tensor, dim: isize) -> PyResult<Tensor>;
    pub fn squeeze(a: &Tensor, dim: Option<isize>) -> PyResult<Tensor>;
    pub fn expand(a: &Tensor, sizes: &[isize]) -> PyResult<Tensor>;
    pub fn expand_as(a: &Tensor, other: &Tensor) -> PyResult<Tensor>;
    pub fn broadcast_to(a: &Tensor, shape: &[usize]) -> PyResult<Tensor>;
    pub fn repeat(a: &Tensor, sizes: &[usize]) -> PyResult<Tensor>;
    pub fn stack(tensors: &[Tensor], dim: isize) -> PyResult<Tensor>;
    pub fn cat(tensors: &[Tensor], dim: isize) -> PyResult<Tensor>;
    pub fn unbind(a: &Tensor, dim: isize) -> PyResult<Vec<Tensor>>;
    pub fn split(a: &Tensor, split_size: usize, dim: isize) -> PyResult<Vec<Tensor>>;
    pub fn chunk(a: &Tensor, chunks: usize, dim: isize) -> PyResult<Vec<Tensor>>;
    pub fn select(a: &Tensor, dim: isize, index: isize) -> PyResult<Tensor>;
    pub fn slice(a: &Tensor, dim: isize, start: Option<isize>, end: Option<isize>, step: isize) -> PyResult<Tensor>;
    /// `t[...]` with ints, slices, None, Ellipsis, index tensors and bool masks.
    pub fn index(a: &Tensor, indices: &[TensorIndex]) -> PyResult<Tensor>;
    /// `t[...] = value` in place (with PyTorch's leaf check).
    pub fn index_put_(a: &Tensor, indices: &[TensorIndex], value: &Tensor) -> PyResult<()>;
    pub fn index_select(a: &Tensor, dim: isize, index: &Tensor) -> PyResult<Tensor>;
    pub fn gather(a: &Tensor, dim: isize, index: &Tensor) -> PyResult<Tensor>;
    pub fn masked_fill(a: &Tensor, mask: &Tensor, value: f64) -> PyResult<Tensor>;
    pub fn diag(a: &Tensor, offset: isize) -> PyResult<Tensor>;
    pub fn diagonal(a: &Tensor, offset: isize, d1: isize, d2: isize) -> PyResult<Tensor>;
    pub fn tril(a: &Tensor, k: isize) -> PyResult<Tensor>;
    pub fn triu(a: &Tensor, k: isize) -> PyResult<Tensor>;
    pub fn clone(a: &Tensor) -> Tensor;
    pub fn contiguous(a: &Tensor) -> Tensor;
    /// `to(dtype)`/`double()`/`float()`: the same tensor when the dtype already matches,
    /// else a copy with `ToCopyBackward0`.
    pub fn to_dtype(a: &Tensor, dtype: DType) -> PyResult<Tensor>;

    // ---- products ----
    /// `a @ b` with PyTorch's 1-D/2-D/batched dispatch (dot, mv, mm, squeeze, bmm + views).
    pub fn matmul(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn mm(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn mv(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn dot(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn bmm(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    pub fn outer(a: &Tensor, b: &Tensor) -> PyResult<Tensor>;
    /// `F.linear(x, weight, bias)`.
    pub fn linear(x: &Tensor, weight: &Tensor, bias: Option<&Tensor>) -> PyResult<Tensor>;

    // ---- losses ----
    pub fn mse_loss(input: &Tensor, target: &Tensor, reduction: &str) -> PyResult<Tensor>;
    pub fn binary_cross_entropy_with_logits(input: &Tensor, target: &Tensor, reduction: &str) -> PyResult<Tensor>;

    // ---- in place (leaf checks: "a leaf Variable that requires grad is being used in an
    // in-place operation.") ----
    pub fn zero_(a: &Tensor) -> PyResult<()>;
    pub fn fill_(a: &Tensor, value: f64) -> PyResult<()>;
    pub fn add_(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<()>;
    pub fn sub_(a: &Tensor, b: &Tensor, alpha: f64) -> PyResult<()>;
    pub fn mul_(a: &Tensor, b: &Tensor) -> PyResult<()>;
    pub fn div_(a: &Tensor, b: &Tensor) -> PyResult<()>;
    pub fn copy_(a: &Tensor, src: &Tensor) -> PyResult<()>;
    pub fn clamp_(a: &Tensor, min: Option<f64>, max: Option<f64>) -> PyResult<()>;

    // ---- comparisons of whole tensors (no grad) ----
    pub fn allclose(a: &Tensor, b: &Tensor, rtol: f64, atol: f64, equal_nan: bool) -> PyResult<bool>;
    pub fn isclose(a: &Tensor, b: &Tensor, rtol: f64, atol: f64, equal_nan: bool) -> PyResult<Tensor>;
    pub fn equal(a: &Tensor, b: &Tensor) -> bool;
}

/// Creates a tensor from an array that does not require grad (factories, random, results of
/// non-differentiable ops).
pub fn constant(array: NdArray) -> Tensor {
    Tensor::new(array)
}
