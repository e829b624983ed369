//! Kernels of the `torch.nn.functional` activations and their backward formulas, computed in
//! the input's own float type with the formulas of ATen's CPU kernels (`Activation.cpp`), so
//! float32 results round as PyTorch's do.

use super::{DType, NdArray};
use crate::error::{PyResult, not_implemented};

/// An activation with its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `log1p(exp(beta x)) / beta`, or `x` where `beta x > threshold`.
    Softplus { beta: f64, threshold: f64 },
    /// `scale * x` for `x > 0`, else `scale * alpha * (exp(input_scale * x) - 1)`.
    Elu {
        alpha: f64,
        scale: f64,
        input_scale: f64,
    },
    /// `x` for `x > 0`, else `slope * x`.
    LeakyRelu { slope: f64 },
    /// `x * Φ(x)`, or its tanh approximation.
    Gelu { tanh: bool },
    /// `x * sigmoid(x)`.
    Silu,
}

impl Activation {
    /// The CPU kernel name PyTorch's dtype errors print.
    pub fn kernel_name(self) -> &'static str {
        match self {
            Activation::Softplus { .. } => "softplus_cpu",
            Activation::Elu { .. } => "elu_cpu",
            Activation::LeakyRelu { .. } => "leaky_relu_cpu",
            Activation::Gelu { .. } => "GeluKernelImpl",
            Activation::Silu => "silu_cpu",
        }
    }
}

// The constants of ATen's GELU kernels.
const SQRT1_2: f64 = std::f64::consts::FRAC_1_SQRT_2;
const GELU_BETA: f64 = std::f64::consts::SQRT_2 * std::f64::consts::FRAC_2_SQRT_PI * 0.5;
const GELU_KAPPA: f64 = 0.044715;
const GELU_ALPHA: f64 = std::f64::consts::FRAC_2_SQRT_PI * SQRT1_2 * 0.5;

macro_rules! activation_kernels {
    ($fwd:ident, $bwd:ident, $t:ty) => {
        fn $fwd(act: Activation) -> impl Fn($t) -> $t {
            move |x: $t| -> $t {
                match act {
                    Activation::Softplus { beta, threshold } => {
                        let (b, th) = (beta as $t, threshold as $t);
                        if x * b > th {
                            x
                        } else {
                            (x * b).exp().ln_1p() / b
                        }
                    }
                    Activation::Elu {
                        alpha,
                        scale,
                        input_scale,
                    } => {
                        let negcoef = (alpha * scale) as $t;
                        if x <= 0.0 {
                            (x * input_scale as $t).exp_m1() * negcoef
                        } else {
                            x * scale as $t
                        }
                    }
                    Activation::LeakyRelu { slope } => {
                        if x > 0.0 {
                            x
                        } else {
                            x * slope as $t
                        }
                    }
                    Activation::Gelu { tanh: false } => {
                        let e = super::elementwise::erf((x * SQRT1_2 as $t) as f64) as $t;
                        x * 0.5 * (1.0 + e)
                    }
                    Activation::Gelu { tanh: true } => {
                        let inner = GELU_BETA as $t * (x + GELU_KAPPA as $t * x * x * x);
                        0.5 * x * (1.0 + inner.tanh())
                    }
                    Activation::Silu => x / (1.0 + (-x).exp()),
                }
            }
        }

        /// `grad * f'(x)` as ATen's backward kernels compute it.
        fn $bwd(act: Activation) -> impl Fn($t, $t) -> $t {
            move |g: $t, x: $t| -> $t {
                match act {
                    Activation::Softplus { beta, threshold } => {
                        let (b, th) = (beta as $t, threshold as $t);
                        let z = (x * b).exp();
                        if x * b > th { g } else { g * z / (z + 1.0) }
                    }
                    Activation::Elu {
                        alpha,
                        scale,
                        input_scale,
                    } => {
                        let (negcoef, negiptcoef) = ((alpha * scale) as $t, input_scale as $t);
                        if x <= 0.0 {
                            g * negiptcoef * negcoef * (x * negiptcoef).exp()
                        } else {
                            g * scale as $t
                        }
                    }
                    Activation::LeakyRelu { slope } => {
                        if x > 0.0 {
                            g
                        } else {
                            g * slope as $t
                        }
                    }
                    Activation::Gelu { tanh: false } => {
                        let e = super::elementwise::erf((x * SQRT1_2 as $t) as f64) as $t;
                        let cdf = 0.5 * (1.0 + e);
                        let pdf = (-0.5 * x * x).exp() * GELU_ALPHA as $t;
                        g * (cdf + x * pdf)
                    }
                    Activation::Gelu { tanh: true } => {
                        let (kb, kk) = (GELU_BETA as $t, GELU_KAPPA as $t);
                        let x_sq = x * x;
                        let inner = kb * (x + kk * x_sq * x);
                        let t = inner.tanh();
                        let left = 0.5 * x;
                        let right = 1.0 + t;
                        let left_derivative = 0.5 * right;
                        let right_derivative = left * (1.0 - t * t) * kb * (1.0 + 3.0 * kk * x_sq);
                        g * (left_derivative + right_derivative)
                    }
                    Activation::Silu => {
                        let s = 1.0 / (1.0 + (-x).exp());
                        g * s * (1.0 + x * (1.0 - s))
                    }
                }
            }
        }
    };
}
activation_kernels!(forward_f32, backward_f32, f32);
activation_kernels!(forward_f64, backward_f64, f64);

fn dtype_error(act: Activation, dtype: DType) -> crate::error::PyErr {
    not_implemented(format!(
        "\"{}\" not implemented for '{}'",
        act.kernel_name(),
        dtype.title()
    ))
}

impl NdArray {
    /// `act` applied elementwise; integer and bool inputs raise PyTorch's NotImplementedError.
    pub fn activation(&self, act: Activation) -> PyResult<NdArray> {
        if self.is_contiguous() {
            return self.activation_c_order(act);
        }
        // The output keeps this tensor's layout (see `layout`).
        super::layout::in_output_layout(&[self], |ops| ops[0].activation_c_order(act))
    }

    fn activation_c_order(&self, act: Activation) -> PyResult<NdArray> {
        let shape = self.shape().to_vec();
        match self.dtype() {
            DType::F32 => Ok(NdArray::from_vec(self.map_elems(forward_f32(act)), shape)),
            DType::F64 => Ok(NdArray::from_vec(self.map_elems(forward_f64(act)), shape)),
            d => Err(dtype_error(act, d)),
        }
    }

    /// `grad * act'(self)`, broadcasting (under vmap the gradient may carry a batch dim).
    pub fn activation_backward(&self, grad: &NdArray, act: Activation) -> PyResult<NdArray> {
        let shape = super::broadcast_shapes(grad.shape(), self.shape())?;
        let dtype = self.dtype();
        let g = grad.cast_to(dtype).broadcast_to(&shape)?;
        let x = self.broadcast_to(&shape)?;
        // The output keeps the operands' layout, the gradient's first (see `layout`).
        super::layout::in_output_layout(&[&g, &x], |ops| {
            Self::activation_backward_c_order(&ops[0], &ops[1], act)
        })
    }

    fn activation_backward_c_order(g: &NdArray, x: &NdArray, act: Activation) -> PyResult<NdArray> {
        let shape = g.shape().to_vec();
        match x.dtype() {
            DType::F32 => Ok(NdArray::from_vec(g.zip_elems(x, backward_f32(act)), shape)),
            DType::F64 => Ok(NdArray::from_vec(g.zip_elems(x, backward_f64(act)), shape)),
            d => Err(dtype_error(act, d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &NdArray) -> Vec<f64> {
        a.to_vec::<f64>()
    }

    #[test]
    fn forward_values_match_pytorch() {
        let x = NdArray::from_vec(vec![-2.0f32, -0.5, 0.0, 1.5], vec![4]);
        let sp = x
            .activation(Activation::Softplus {
                beta: 1.0,
                threshold: 20.0,
            })
            .unwrap();
        let want = [0.126928, 0.474077, std::f64::consts::LN_2, 1.701413];
        for (a, b) in v(&sp).iter().zip(want) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
        let gelu = x.activation(Activation::Gelu { tanh: false }).unwrap();
        let want = [-0.0455003, -0.1542687, 0.0, 1.3997892];
        for (a, b) in v(&gelu).iter().zip(want) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
        let elu = x
            .activation(Activation::Elu {
                alpha: 1.0,
                scale: 1.0,
                input_scale: 1.0,
            })
            .unwrap();
        assert!((v(&elu)[0] + 0.8646647).abs() < 1e-6);
    }

    #[test]
    fn integer_input_is_not_implemented() {
        let x = NdArray::from_vec(vec![1i64, 2], vec![2]);
        let e = x.activation(Activation::Silu).unwrap_err();
        assert_eq!(
            e.to_string(),
            "NotImplementedError: \"silu_cpu\" not implemented for 'Long'"
        );
    }

    #[test]
    fn backward_is_grad_times_derivative() {
        let x = NdArray::from_vec(vec![-1.0f64, 0.5], vec![2]);
        let g = NdArray::from_vec(vec![2.0f64, 3.0], vec![2]);
        let d = x
            .activation_backward(&g, Activation::LeakyRelu { slope: 0.1 })
            .unwrap();
        assert_eq!(v(&d), vec![0.2, 3.0]);
        let s = x.activation_backward(&g, Activation::Silu).unwrap();
        let sig = |x: f64| 1.0 / (1.0 + (-x).exp());
        let want = 2.0 * sig(-1.0) * (1.0 - 1.0 * (1.0 - sig(-1.0)));
        assert!((v(&s)[0] - want).abs() < 1e-12);
    }
}
