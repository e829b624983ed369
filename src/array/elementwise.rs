//! Elementwise kernels with broadcasting. (Implementation owned by the array work.)

use super::NdArray;
use crate::error::PyResult;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Abs,
    Sign,
    Exp,
    Expm1,
    Log,
    Log2,
    Log10,
    Log1p,
    Sqrt,
    Rsqrt,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Sigmoid,
    Relu,
    Reciprocal,
    Floor,
    Ceil,
    Round,
    Trunc,
    Erf,
    LogicalNot,
    IsNan,
    IsInf,
    IsFinite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Remainder,
    Pow,
    Maximum,
    Minimum,
    Atan2,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LogicalAnd,
    LogicalOr,
    LogicalXor,
}

impl NdArray {
    /// Applies `op` elementwise. Float ops on integer/bool input compute in float32 (PyTorch's
    /// int→float promotion); Neg/Abs/Sign/Relu/Floor/... keep integer dtypes; IsNan etc. give bool.
    pub fn unary(&self, op: UnaryOp) -> NdArray {
        let _ = op;
        todo!("array: unary")
    }
    /// Broadcasting binary op. Operands of different dtypes are first promoted with
    /// `DType::promote`; Div (true division) of integers computes in float32; comparisons and
    /// logical ops return bool. Broadcast errors use PyTorch's text: "The size of tensor a (3)
    /// must match the size of tensor b (4) at non-singleton dimension 1".
    pub fn binary(&self, other: &NdArray, op: BinaryOp) -> PyResult<NdArray> {
        let _ = (other, op);
        todo!("array: binary")
    }
    /// `clamp(min, max)`; either bound may be absent. Keeps the dtype.
    pub fn clamp(&self, min: Option<f64>, max: Option<f64>) -> NdArray {
        let _ = (min, max);
        todo!("array: clamp")
    }
    /// `nan_to_num(nan, posinf, neginf)`; None for the infinities means the dtype's max/min.
    pub fn nan_to_num(&self, nan: f64, posinf: Option<f64>, neginf: Option<f64>) -> NdArray {
        let _ = (nan, posinf, neginf);
        todo!("array: nan_to_num")
    }
    /// `torch.where(cond, a, b)` with broadcasting of all three; a and b promoted together.
    pub fn where_(cond: &NdArray, a: &NdArray, b: &NdArray) -> PyResult<NdArray> {
        let _ = (cond, a, b);
        todo!("array: where_")
    }
}
