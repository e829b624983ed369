//! Elementwise kernels with broadcasting. (Implementation owned by the array work.)

use super::kernel::{Arith, gt, is_nan, lt, with_arith, with_float};
use super::layout::in_output_layout;
use super::{DType, Element, NdArray, broadcast_shapes};
use crate::error::{PyResult, runtime_error};

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

/// The float kernel of a unary op, or None for ops that are not float→float.
macro_rules! float_unary {
    ($name:ident, $t:ty) => {
        fn $name(op: UnaryOp) -> Option<fn($t) -> $t> {
            use UnaryOp::*;
            Some(match op {
                Neg => |x| -x,
                Abs => |x| x.abs(),
                // ATen: (0 < x) - (x < 0), so NaN and ±0 give +0.
                Sign => |x| {
                    if x > 0.0 {
                        1.0
                    } else if x < 0.0 {
                        -1.0
                    } else {
                        0.0
                    }
                },
                Exp => |x| x.exp(),
                Expm1 => |x| x.exp_m1(),
                Log => |x| x.ln(),
                Log2 => |x| x.log2(),
                Log10 => |x| x.log10(),
                Log1p => |x| x.ln_1p(),
                Sqrt => |x| x.sqrt(),
                Rsqrt => |x| 1.0 / x.sqrt(),
                Sin => |x| x.sin(),
                Cos => |x| x.cos(),
                Tan => |x| x.tan(),
                Asin => |x| x.asin(),
                Acos => |x| x.acos(),
                Atan => |x| x.atan(),
                Sinh => |x| x.sinh(),
                Cosh => |x| x.cosh(),
                // In double, rounded once: glibc's tanhf can be 1 ulp off where PyTorch's
                // vectorized (Sleef) tanh rounds correctly (jacobian_tutorial).
                Tanh => |x| (x as f64).tanh() as $t,
                Sigmoid => |x| 1.0 / (1.0 + (-x).exp()),
                // NaN stays NaN and -0. stays -0., as ATen's clamp_min(x, 0).
                Relu => |x| if x < 0.0 { 0.0 } else { x },
                Reciprocal => |x| 1.0 / x,
                Floor => |x| x.floor(),
                Ceil => |x| x.ceil(),
                Round => |x| x.round_ties_even(),
                Trunc => |x| x.trunc(),
                Erf => |x| erf(x as f64) as $t,
                LogicalNot | IsNan | IsInf | IsFinite => return None,
            })
        }
    };
}
float_unary!(float_unary_f32, f32);
float_unary!(float_unary_f64, f64);

/// How `cpu_kernel_vec` splits one contiguous run of float32 elements: `at::parallel_for`
/// chunks (two above `GRAIN_SIZE`), in each whole blocks of 16 (two AVX2 vectors) through
/// `vec_op` and the rest through `scalar_op`.
fn vec_kernel_chunks(
    x: &[f32],
    out: &mut Vec<f32>,
    vec_op: impl Fn(f32) -> f32,
    scalar_op: impl Fn(f32) -> f32,
) {
    let chunk = if x.len() < 32768 {
        x.len()
    } else {
        x.len().div_ceil(2)
    }
    .max(1);
    for c in x.chunks(chunk) {
        let whole = c.len() - c.len() % 16;
        out.extend(c[..whole].iter().map(|&v| vec_op(v)));
        out.extend(c[whole..].iter().map(|&v| scalar_op(v)));
    }
}

/// Ops that keep an integer dtype (everything else computes in float32 for integer input).
fn keeps_integer(op: UnaryOp) -> bool {
    use UnaryOp::*;
    matches!(op, Neg | Abs | Sign | Relu | Floor | Ceil | Round | Trunc)
}

fn int_unary<T: Arith + Ord>(a: &NdArray, op: UnaryOp) -> Vec<T> {
    use UnaryOp::*;
    match op {
        Neg => a.map_elems::<T, T>(T::neg),
        Abs => a.map_elems::<T, T>(T::abs),
        Sign => a.map_elems::<T, T>(|x| {
            if x > T::ZERO {
                T::ONE
            } else if x < T::ZERO {
                T::ONE.neg()
            } else {
                T::ZERO
            }
        }),
        Relu => a.map_elems::<T, T>(|x| x.max(T::ZERO)),
        _ => a.typed_vec::<T>(),
    }
}

/// erf in double precision: a positive-term series below 3 (no cancellation) and the erfc
/// continued fraction above, both accurate to a few ulps, so float32 results round correctly.
pub(crate) fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let ax = x.abs();
    let r = if ax < 3.0 {
        // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1))
        let x2 = ax * ax;
        let mut term = ax;
        let mut sum = ax;
        let mut n = 0.0;
        while term > sum * 1e-17 {
            n += 1.0;
            term *= 2.0 * x2 / (2.0 * n + 1.0);
            sum += term;
        }
        std::f64::consts::FRAC_2_SQRT_PI * (-x2).exp() * sum
    } else if ax < 6.0 {
        let mut t = ax;
        for k in (1..=80).rev() {
            t = ax + (k as f64 / 2.0) / t;
        }
        1.0 - (-ax * ax).exp() / (std::f64::consts::PI.sqrt() * t)
    } else {
        1.0
    };
    r.copysign(x)
}

impl NdArray {
    /// Applies `op` elementwise. Float ops on integer/bool input compute in float32 (PyTorch's
    /// int→float promotion); Neg/Abs/Sign/Relu/Floor/... keep integer dtypes; IsNan etc. give bool.
    pub fn unary(&self, op: UnaryOp) -> NdArray {
        if self.is_contiguous() {
            return self.unary_c_order(op);
        }
        // The output keeps this tensor's layout (see `layout`); permuting cannot fail.
        in_output_layout(&[self], |ops| Ok(ops[0].unary_c_order(op)))
            .unwrap_or_else(|_| self.unary_c_order(op))
    }

    /// `unary`, its output written in C order.
    fn unary_c_order(&self, op: UnaryOp) -> NdArray {
        use UnaryOp::*;
        let shape = self.shape().to_vec();
        let dtype = self.dtype();
        match op {
            LogicalNot => {
                let v =
                    crate::with_dtype!(dtype, T, self.map_elems::<T, bool>(|x| x == T::default()));
                return NdArray::from_vec(v, shape);
            }
            IsNan | IsInf | IsFinite => {
                let v = with_float!(
                    dtype,
                    T,
                    self.map_elems::<T, bool>(match op {
                        IsNan => |x: T| x.is_nan(),
                        IsInf => |x: T| x.is_infinite(),
                        _ => |x: T| x.is_finite(),
                    }),
                    vec![op == IsFinite; self.numel()]
                );
                return NdArray::from_vec(v, shape);
            }
            _ => {}
        }
        match dtype {
            DType::F32 if op == Sigmoid => {
                // ATen's `cpu_kernel_vec`: `1 / (1 + exp(-x))` with SLEEF's exp on blocks of
                // two vectors, glibc's on each chunk's tail.
                let x = self.typed_vec::<f32>();
                let row = shape.last().copied().unwrap_or(1).max(1);
                let row = if self.is_contiguous() {
                    x.len().max(1)
                } else {
                    row
                };
                let mut out = Vec::with_capacity(x.len());
                for r in x.chunks(row) {
                    vec_kernel_chunks(
                        r,
                        &mut out,
                        |v| 1.0 / (1.0 + super::sleef::expf_u10(-v)),
                        |v| 1.0 / (1.0 + (-v).exp()),
                    );
                }
                NdArray::from_vec(out, shape)
            }
            DType::F32 => {
                // ATen's vectorized SLEEF kernel where it is not MKL's (see `sleef.rs`).
                let f: fn(f32) -> f32 = match op {
                    Log1p => super::sleef::log1pf_u10,
                    Expm1 => super::sleef::expm1f_u10,
                    _ => float_unary_f32(op).unwrap_or(|x| x),
                };
                NdArray::from_vec(self.map_elems(f), shape)
            }
            DType::F64 => {
                NdArray::from_vec(self.map_elems(float_unary_f64(op).unwrap_or(|x| x)), shape)
            }
            DType::I32 if keeps_integer(op) => NdArray::from_vec(int_unary::<i32>(self, op), shape),
            DType::I64 if keeps_integer(op) => NdArray::from_vec(int_unary::<i64>(self, op), shape),
            // Bool keeps its dtype for the sign-like ops (PyTorch refuses `-` on bool upstream).
            DType::Bool if keeps_integer(op) => self.deep_copy(),
            _ => self.to_dtype(DType::F32).unary_c_order(op),
        }
    }

    /// Broadcasting binary op. Operands of different dtypes are first promoted with
    /// `DType::promote`; Div (true division) of integers computes in float32; comparisons and
    /// logical ops return bool. Broadcast errors use PyTorch's text: "The size of tensor a (3)
    /// must match the size of tensor b (4) at non-singleton dimension 1".
    pub fn binary(&self, other: &NdArray, op: BinaryOp) -> PyResult<NdArray> {
        if self.is_contiguous() && other.is_contiguous() {
            return self.binary_c_order(other, op);
        }
        // The output keeps the operands' layout (see `layout`). A one-element operand
        // broadcasts against anything and is passed on as it is (the kernels read a scalar
        // exponent or divisor from it), so only the other one is permuted.
        if other.numel() == 1 && other.ndim() <= self.ndim() {
            return in_output_layout(&[self], |ops| ops[0].binary_c_order(other, op));
        }
        if self.numel() == 1 && self.ndim() <= other.ndim() {
            return in_output_layout(&[other], |ops| self.binary_c_order(&ops[0], op));
        }
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let (a, b) = (self.broadcast_to(&shape)?, other.broadcast_to(&shape)?);
        in_output_layout(&[&a, &b], |ops| ops[0].binary_c_order(&ops[1], op))
    }

    /// `binary`, its output written in C order.
    fn binary_c_order(&self, other: &NdArray, op: BinaryOp) -> PyResult<NdArray> {
        use BinaryOp::*;
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let elem = self.dtype().size().max(other.dtype().size());
        super::check_alloc(super::checked_numel(&shape).unwrap_or(usize::MAX), elem)?;
        let promoted = DType::promote(self.dtype(), other.dtype());
        let operands = |dtype: DType| -> PyResult<(NdArray, NdArray)> {
            Ok((
                self.cast_to(dtype).broadcast_to(&shape)?,
                other.cast_to(dtype).broadcast_to(&shape)?,
            ))
        };
        let out = match op {
            Eq | Ne | Lt | Le | Gt | Ge => {
                let (a, b) = operands(promoted)?;
                crate::with_dtype!(promoted, T, compare_kernel::<T>(&a, &b, op))
            }
            LogicalAnd | LogicalOr | LogicalXor => {
                let (a, b) = operands(DType::Bool)?;
                let v = a.zip_elems::<bool, bool>(&b, |x, y| match op {
                    LogicalAnd => x && y,
                    LogicalOr => x || y,
                    _ => x ^ y,
                });
                return Ok(NdArray::from_vec(v, shape));
            }
            _ => return self.arithmetic(other, op, promoted, &shape),
        };
        Ok(NdArray::from_vec(out, shape))
    }

    fn arithmetic(
        &self,
        other: &NdArray,
        op: BinaryOp,
        promoted: DType,
        shape: &[usize],
    ) -> PyResult<NdArray> {
        use BinaryOp::*;
        let compute = match op {
            Div | Atan2 if !promoted.is_floating() => DType::F32,
            _ => promoted,
        };
        if compute == DType::Bool {
            return match op {
                Sub => Err(runtime_error(
                    "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
                )),
                Add | Maximum => self.binary(other, LogicalOr),
                Mul | Minimum => self.binary(other, LogicalAnd),
                _ => Ok(self
                    .to_dtype(DType::I64)
                    .arithmetic(other, op, DType::I64, shape)?
                    .to_dtype(DType::Bool)),
            };
        }
        let a = self.cast_to(compute).broadcast_to(shape)?;
        let b = other.cast_to(compute).broadcast_to(shape)?;
        if compute.is_integral() {
            if matches!(op, FloorDiv | Remainder) && b.any_zero() {
                return Err(runtime_error("ZeroDivisionError"));
            }
            if op == Pow
                && other.ndim() == 0
                && other.to_f64_vec().first().is_some_and(|&e| e < 0.0)
            {
                return Err(runtime_error(
                    "Integers to negative integer powers are not allowed.",
                ));
            }
        }
        // A one-element exponent takes ATen's pow_tensor_scalar shortcuts (x*x for 2, ...).
        let scalar_exp = if op == Pow && other.numel() == 1 {
            other.to_f64_vec().first().copied()
        } else {
            None
        };
        let storage = with_arith!(
            compute,
            T,
            T::into_storage(arith_kernel::<T>(&a, &b, op, scalar_exp)),
            unreachable!("bool arithmetic handled above")
        );
        Ok(NdArray::from_storage(storage, shape.to_vec()))
    }

    fn any_zero(&self) -> bool {
        crate::with_dtype!(
            self.dtype(),
            T,
            self.map_elems::<T, bool>(|x| x == T::default())
                .contains(&true)
        )
    }

    /// `clamp(min, max)`; either bound may be absent. Keeps the dtype.
    pub fn clamp(&self, min: Option<f64>, max: Option<f64>) -> NdArray {
        self.keeping_layout(|x| x.clamp_c_order(min, max))
    }

    fn clamp_c_order(&self, min: Option<f64>, max: Option<f64>) -> NdArray {
        let shape = self.shape().to_vec();
        crate::with_dtype!(self.dtype(), T, {
            let lo = min.map(T::from_f64);
            let hi = max.map(T::from_f64);
            // ATen: min(max(x, lo), hi) with NaN propagating.
            let v = self.map_elems::<T, T>(|x| {
                if is_nan(x) {
                    return x;
                }
                let mut y = x;
                if let Some(lo) = lo
                    && lt(y, lo)
                {
                    y = lo;
                }
                if let Some(hi) = hi
                    && gt(y, hi)
                {
                    y = hi;
                }
                y
            });
            NdArray::from_vec(v, shape)
        })
    }

    /// `nan_to_num(nan, posinf, neginf)`; None for the infinities means the dtype's max/min.
    pub fn nan_to_num(&self, nan: f64, posinf: Option<f64>, neginf: Option<f64>) -> NdArray {
        self.keeping_layout(|x| x.nan_to_num_c_order(nan, posinf, neginf))
    }

    fn nan_to_num_c_order(&self, nan: f64, posinf: Option<f64>, neginf: Option<f64>) -> NdArray {
        let shape = self.shape().to_vec();
        with_float!(
            self.dtype(),
            T,
            {
                let nan = nan as T;
                let pos = posinf.map_or(T::MAX, |v| v as T);
                let neg = neginf.map_or(T::MIN, |v| v as T);
                let v = self.map_elems::<T, T>(|x| {
                    if x.is_nan() {
                        nan
                    } else if x == T::INFINITY {
                        pos
                    } else if x == T::NEG_INFINITY {
                        neg
                    } else {
                        x
                    }
                });
                NdArray::from_vec(v, shape)
            },
            self.deep_copy()
        )
    }

    /// `torch.where(cond, a, b)` with broadcasting of all three; a and b promoted together.
    pub fn where_(cond: &NdArray, a: &NdArray, b: &NdArray) -> PyResult<NdArray> {
        if cond.dtype() != DType::Bool {
            return Err(runtime_error(format!(
                "where expected condition to be a boolean tensor, but got a tensor with dtype {}",
                super::kernel::scalar_type_name(cond.dtype())
            )));
        }
        let shape = broadcast_shapes(&broadcast_shapes(cond.shape(), a.shape())?, b.shape())?;
        let dtype = DType::promote(a.dtype(), b.dtype());
        let c = cond.broadcast_to(&shape)?;
        let x = a.cast_to(dtype).broadcast_to(&shape)?;
        let y = b.cast_to(dtype).broadcast_to(&shape)?;
        // The output keeps the operands' layout, the condition's first (see `layout`).
        in_output_layout(&[&c, &x, &y], |ops| {
            Self::where_c_order(&ops[0], &ops[1], &ops[2])
        })
    }

    fn where_c_order(c: &NdArray, x: &NdArray, y: &NdArray) -> PyResult<NdArray> {
        let (shape, dtype) = (x.shape().to_vec(), x.dtype());
        let mask = c.typed_vec::<bool>();
        let storage = crate::with_dtype!(dtype, T, {
            let (xs, ys) = (x.typed_vec::<T>(), y.typed_vec::<T>());
            let v: Vec<T> = mask
                .iter()
                .zip(xs.into_iter().zip(ys))
                .map(|(&m, (p, q))| if m { p } else { q })
                .collect();
            T::into_storage(v)
        });
        Ok(NdArray::from_storage(storage, shape))
    }
}

fn compare_kernel<T: Element>(a: &NdArray, b: &NdArray, op: BinaryOp) -> Vec<bool> {
    use BinaryOp::*;
    match op {
        Eq => a.zip_elems(b, |x: T, y: T| x == y),
        Ne => a.zip_elems(b, |x: T, y: T| x != y),
        Lt => a.zip_elems(b, |x: T, y: T| x < y),
        Le => a.zip_elems(b, |x: T, y: T| x <= y),
        Gt => a.zip_elems(b, |x: T, y: T| x > y),
        _ => a.zip_elems(b, |x: T, y: T| x >= y),
    }
}

fn arith_kernel<T: Arith>(
    a: &NdArray,
    b: &NdArray,
    op: BinaryOp,
    scalar_exp: Option<f64>,
) -> Vec<T> {
    use BinaryOp::*;
    match op {
        Add => a.zip_elems(b, T::add),
        Sub => a.zip_elems(b, T::sub),
        Mul => a.zip_elems(b, T::mul),
        Div => a.zip_elems(b, T::div),
        FloorDiv => a.zip_elems(b, T::floor_div),
        Remainder => a.zip_elems(b, T::rem),
        Pow => {
            if T::DTYPE.is_floating()
                && let Some(e) = scalar_exp
            {
                let pow_fn: Option<fn(T) -> T> = match e {
                    2.0 => Some(|x| x.mul(x)),
                    3.0 => Some(|x| x.mul(x).mul(x)),
                    -1.0 => Some(|x| T::ONE.div(x)),
                    -2.0 => Some(|x| T::ONE.div(x.mul(x))),
                    _ => None,
                };
                if let Some(f) = pow_fn {
                    return a.map_elems(f);
                }
                if e == 0.5 {
                    return a.map_elems(T::sqrt);
                }
                if e == -0.5 {
                    return a.map_elems(|x: T| T::ONE.div(x.sqrt()));
                }
            }
            a.zip_elems(b, T::pow)
        }
        Maximum => a.zip_elems(b, |x: T, y: T| if x.is_nan() || x > y { x } else { y }),
        Minimum => a.zip_elems(b, |x: T, y: T| if x.is_nan() || x < y { x } else { y }),
        Atan2 => a.zip_elems(b, T::atan2),
        _ => unreachable!("comparison and logical ops are dispatched before arith_kernel"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(v: &[f32], shape: &[usize]) -> NdArray {
        NdArray::from_vec(v.to_vec(), shape.to_vec())
    }

    #[test]
    fn float32_arithmetic_rounds_in_f32() {
        let a = NdArray::arange(0.0, 7.0, 1.0, DType::F32).unwrap();
        let s = NdArray::scalar(111111.1, DType::F32);
        let r = a.binary(&s, BinaryOp::Mul).unwrap();
        assert_eq!(r.dtype(), DType::F32);
        assert_eq!(r.to_vec::<f32>()[1] as f64, 111111.1015625);
        assert_eq!(r.to_vec::<f32>()[2] as f64, 222222.203125);
    }

    #[test]
    fn broadcasting_and_errors() {
        let a = f32s(&[1., 2., 3.], &[3, 1]);
        let b = f32s(&[10., 20.], &[2]);
        let r = a.binary(&b, BinaryOp::Add).unwrap();
        assert_eq!(r.shape(), &[3, 2]);
        assert_eq!(r.to_vec::<f32>(), vec![11., 21., 12., 22., 13., 23.]);
        let e = NdArray::zeros(&[2, 3], DType::F32)
            .binary(&NdArray::zeros(&[4], DType::F32), BinaryOp::Add);
        assert_eq!(
            e.unwrap_err().msg,
            "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
        );
        // Scalar on either side keeps operand order.
        let ten = NdArray::scalar(10.0, DType::F32);
        assert_eq!(
            ten.binary(&b, BinaryOp::Sub).unwrap().to_vec::<f32>(),
            vec![0., -10.]
        );
        assert_eq!(
            b.binary(&ten, BinaryOp::Sub).unwrap().to_vec::<f32>(),
            vec![0., 10.]
        );
        // Strided (transposed) operand.
        let m = f32s(&[1., 2., 3., 4.], &[2, 2]);
        let r = m.t().unwrap().binary(&m, BinaryOp::Sub).unwrap();
        assert_eq!(r.to_vec::<f32>(), vec![0., 1., -1., 0.]);
    }

    #[test]
    fn promotion_and_division() {
        let i = NdArray::from_vec(vec![1i64, 2, 7], vec![3]);
        let j = NdArray::from_vec(vec![2i64, 2, 2], vec![3]);
        let d = i.binary(&j, BinaryOp::Div).unwrap();
        assert_eq!(d.dtype(), DType::F32);
        assert_eq!(d.to_vec::<f32>(), vec![0.5, 1.0, 3.5]);
        let m = i.binary(&j, BinaryOp::Mul).unwrap();
        assert_eq!(m.dtype(), DType::I64);
        let f = NdArray::from_vec(vec![0.5f64], vec![1]);
        assert_eq!(i.binary(&f, BinaryOp::Add).unwrap().dtype(), DType::F64);
        let neg = NdArray::from_vec(vec![-7i64, 7], vec![2]);
        let two = NdArray::from_vec(vec![2i64, -2], vec![2]);
        assert_eq!(
            neg.binary(&two, BinaryOp::FloorDiv)
                .unwrap()
                .to_vec::<i64>(),
            vec![-4, -4]
        );
        assert_eq!(
            neg.binary(&two, BinaryOp::Remainder)
                .unwrap()
                .to_vec::<i64>(),
            vec![1, -1]
        );
        let min = NdArray::from_vec(vec![i64::MIN], vec![1]);
        let m1 = NdArray::from_vec(vec![-1i64], vec![1]);
        assert_eq!(
            min.binary(&m1, BinaryOp::FloorDiv).unwrap().to_vec::<i64>(),
            vec![i64::MIN]
        );
        assert_eq!(
            min.binary(&m1, BinaryOp::Remainder)
                .unwrap()
                .to_vec::<i64>(),
            vec![0]
        );
        let zero = NdArray::from_vec(vec![0i64], vec![1]);
        assert_eq!(
            neg.binary(&zero, BinaryOp::FloorDiv).unwrap_err().msg,
            "ZeroDivisionError"
        );
        let x = f32s(&[-7.5, 7.5], &[2]);
        let y = f32s(&[2.0, -2.0], &[2]);
        assert_eq!(
            x.binary(&y, BinaryOp::FloorDiv).unwrap().to_vec::<f32>(),
            vec![-4.0, -4.0]
        );
        assert_eq!(
            x.binary(&y, BinaryOp::Remainder).unwrap().to_vec::<f32>(),
            vec![0.5, -0.5]
        );
    }

    #[test]
    fn comparisons_and_logic_give_bool() {
        let a = f32s(&[1., f32::NAN, 3.], &[3]);
        let b = NdArray::scalar(2.0, DType::F32);
        let r = a.binary(&b, BinaryOp::Lt).unwrap();
        assert_eq!(r.dtype(), DType::Bool);
        assert_eq!(r.to_vec::<bool>(), vec![true, false, false]);
        assert_eq!(
            a.binary(&a, BinaryOp::Ne).unwrap().to_vec::<bool>(),
            vec![false, true, false]
        );
        let t = NdArray::from_vec(vec![true, false], vec![2]);
        let u = NdArray::from_vec(vec![true, true], vec![2]);
        assert_eq!(
            t.binary(&u, BinaryOp::LogicalXor).unwrap().to_vec::<bool>(),
            vec![false, true]
        );
        assert_eq!(
            t.binary(&u, BinaryOp::Add).unwrap().to_vec::<bool>(),
            vec![true, true]
        );
        assert!(
            t.binary(&u, BinaryOp::Sub)
                .unwrap_err()
                .msg
                .starts_with("Subtraction, the `-` operator")
        );
    }

    #[test]
    fn pow_max_min_nan() {
        let a = f32s(&[1., 2., 3.], &[3]);
        let two = NdArray::scalar(2.0, DType::F32);
        assert_eq!(
            a.binary(&two, BinaryOp::Pow).unwrap().to_vec::<f32>(),
            vec![1., 4., 9.]
        );
        assert_eq!(
            a.binary(&a, BinaryOp::Pow).unwrap().to_vec::<f32>(),
            vec![1., 4., 27.]
        );
        let i = NdArray::from_vec(vec![2i64, 3], vec![2]);
        let e = NdArray::scalar(3.0, DType::I64);
        assert_eq!(
            i.binary(&e, BinaryOp::Pow).unwrap().to_vec::<i64>(),
            vec![8, 27]
        );
        let ne = NdArray::scalar(-1.0, DType::I64);
        assert_eq!(
            i.binary(&ne, BinaryOp::Pow).unwrap_err().msg,
            "Integers to negative integer powers are not allowed."
        );
        let n = f32s(&[f32::NAN, 1.0], &[2]);
        let m = f32s(&[0.0, f32::NAN], &[2]);
        let r = n.binary(&m, BinaryOp::Maximum).unwrap().to_vec::<f32>();
        assert!(r[0].is_nan() && r[1].is_nan());
        let r = n.binary(&m, BinaryOp::Minimum).unwrap().to_vec::<f32>();
        assert!(r[0].is_nan() && r[1].is_nan());
    }

    #[test]
    fn unary_ops_and_dtypes() {
        let a = f32s(&[-1.5, 0.0, 2.5], &[3]);
        assert_eq!(a.unary(UnaryOp::Relu).to_vec::<f32>(), vec![0.0, 0.0, 2.5]);
        assert_eq!(a.unary(UnaryOp::Sign).to_vec::<f32>(), vec![-1.0, 0.0, 1.0]);
        assert_eq!(
            a.unary(UnaryOp::Round).to_vec::<f32>(),
            vec![-2.0, 0.0, 2.0]
        );
        assert_eq!(a.unary(UnaryOp::Exp).to_vec::<f32>()[1], 1.0);
        let i = NdArray::from_vec(vec![-2i64, 4], vec![2]);
        assert_eq!(i.unary(UnaryOp::Abs).to_vec::<i64>(), vec![2, 4]);
        assert_eq!(i.unary(UnaryOp::Abs).dtype(), DType::I64);
        let s = NdArray::from_vec(vec![4i64], vec![1]).unary(UnaryOp::Sqrt);
        assert_eq!(s.dtype(), DType::F32);
        assert_eq!(s.to_vec::<f32>(), vec![2.0]);
        let nan = f32s(&[f32::NAN, f32::INFINITY, 1.0], &[3]);
        assert_eq!(
            nan.unary(UnaryOp::IsNan).to_vec::<bool>(),
            vec![true, false, false]
        );
        assert_eq!(
            nan.unary(UnaryOp::IsFinite).to_vec::<bool>(),
            vec![false, false, true]
        );
        assert_eq!(
            i.unary(UnaryOp::LogicalNot).to_vec::<bool>(),
            vec![false, false]
        );
        let sig = f32s(&[0.0], &[1]).unary(UnaryOp::Sigmoid).to_vec::<f32>();
        assert_eq!(sig, vec![0.5]);
    }

    #[test]
    fn erf_is_accurate() {
        assert_eq!(erf(0.0), 0.0);
        assert!((erf(0.5) - 0.520_499_877_813_046_5).abs() < 1e-15);
        assert!((erf(-1.0) + 0.842_700_792_949_714_9).abs() < 1e-15);
        assert!((erf(3.5) - 0.999_999_256_901_627_7).abs() < 1e-15);
        assert_eq!(erf(7.0), 1.0);
    }

    #[test]
    fn clamp_nan_to_num_where() {
        let a = f32s(&[-2.0, 0.5, 3.0, f32::NAN], &[4]);
        let c = a.clamp(Some(-1.0), Some(1.0)).to_vec::<f32>();
        assert_eq!(&c[..3], &[-1.0, 0.5, 1.0]);
        assert!(c[3].is_nan());
        let b = f32s(&[f32::NAN, f32::INFINITY, f32::NEG_INFINITY], &[3]);
        assert_eq!(
            b.nan_to_num(0.0, None, Some(-5.0)).to_vec::<f32>(),
            vec![0.0, f32::MAX, -5.0]
        );
        let cond = NdArray::from_vec(vec![true, false], vec![2]);
        let x = f32s(&[1.0, 2.0], &[2]);
        let y = NdArray::scalar(0.0, DType::F64);
        let w = NdArray::where_(&cond, &x, &y).unwrap();
        assert_eq!(w.dtype(), DType::F64);
        assert_eq!(w.to_vec::<f64>(), vec![1.0, 0.0]);
        assert!(
            NdArray::where_(&x, &x, &x)
                .unwrap_err()
                .msg
                .contains("boolean tensor")
        );
    }
}
