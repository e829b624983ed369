//! `_Formatter`: one per printed tensor. It picks int/sci/fixed mode and the cell width from
//! the values it is shown, then formats every cell the same way.

use super::PrintOptions;
use crate::array::Scalar;

/// Python `"{:.{p}f}".format(v)`: correctly rounded (ties to even on the exact binary value,
/// which Rust's formatter also does), `nan`/`inf`/`-inf` for non-finite values.
pub fn format_fixed(v: f64, precision: usize) -> String {
    if v.is_nan() {
        return "nan".to_string();
    }
    if precision > EXACT_DIGITS && v.is_finite() {
        return format!("{v:.EXACT_DIGITS$}") + &"0".repeat(precision - EXACT_DIGITS);
    }
    format!("{v:.precision$}")
}

/// A float64's exact decimal expansion has at most 1074 digits after the point (and at most
/// 767 significant ones), so digits past this many are zeros. Rust's formatter refuses a
/// precision above 65535; Python's does not.
const EXACT_DIGITS: usize = 1100;

/// Python `"{:.{p}e}".format(v)`: like Rust's `{:.pe}` but with the exponent written as a sign
/// and at least two digits (`1.0000e+08`, `1.0000e-05`, `1.0000e+300`).
pub fn format_exp(v: f64, precision: usize) -> String {
    if v.is_nan() {
        return "nan".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let exact = precision.min(EXACT_DIGITS);
    let rust = format!("{v:.exact$e}");
    match rust.split_once('e') {
        Some((mantissa, exp)) => {
            let mantissa = mantissa.to_string() + &"0".repeat(precision - exact);
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => rust,
    }
}

/// `str(value)` of a non-floating element: `-20`, `True`.
fn plain_text(value: Scalar) -> String {
    match value {
        Scalar::Bool(true) => "True".to_string(),
        Scalar::Bool(false) => "False".to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => format_fixed(f, 0),
    }
}

#[derive(Debug)]
pub(super) struct Formatter {
    floating: bool,
    int_mode: bool,
    sci_mode: bool,
    max_width: usize,
    precision: usize,
}

impl Formatter {
    /// Builds the formatter from `values` (the whole tensor, or only its edge elements when
    /// summarised: hidden values never change mode or width).
    pub(super) fn new(values: &[Scalar], floating: bool, opts: &PrintOptions) -> Formatter {
        let mut f = Formatter {
            floating,
            int_mode: true,
            sci_mode: false,
            max_width: 1,
            precision: opts.precision,
        };
        if !floating {
            for &v in values {
                f.max_width = f.max_width.max(plain_text(v).len());
            }
            return f;
        }
        // Zeros, nan and inf take no part in any decision, not even the width.
        let shown: Vec<f64> = values
            .iter()
            .map(|v| v.to_f64())
            .filter(|v| v.is_finite() && *v != 0.0)
            .collect();
        if shown.is_empty() {
            // PyTorch returns before looking at the sci_mode option here, so an all-zero
            // tensor prints `0.` even under sci_mode=True.
            return f;
        }
        let mn = shown.iter().fold(f64::INFINITY, |m, v| m.min(v.abs()));
        let mx = shown.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        // f32 values arrive widened exactly, so the integer test gives the same answer as
        // PyTorch's test in the tensor's own dtype.
        f.int_mode = shown.iter().all(|v| *v == v.ceil());
        f.sci_mode = opts
            .sci_mode
            .unwrap_or(mx / mn > 1000.0 || mx > 1.0e8 || mn < 1.0e-4);
        for &v in &shown {
            let len = if f.sci_mode {
                format_exp(v, f.precision).len()
            } else if f.int_mode {
                // +1 for the trailing `.` of int mode.
                format_fixed(v, 0).len() + 1
            } else {
                format_fixed(v, f.precision).len()
            };
            f.max_width = f.max_width.max(len);
        }
        f
    }

    pub(super) fn width(&self) -> usize {
        self.max_width
    }

    /// One cell, left-padded to the common width (never truncated).
    pub(super) fn format(&self, value: Scalar) -> String {
        let text = if self.floating {
            let v = value.to_f64();
            if self.sci_mode {
                format_exp(v, self.precision)
            } else if self.int_mode {
                let mut t = format_fixed(v, 0);
                if v.is_finite() {
                    t.push('.');
                }
                t
            } else {
                format_fixed(v, self.precision)
            }
        } else {
            plain_text(value)
        };
        let pad = self.max_width.saturating_sub(text.len());
        format!("{}{text}", " ".repeat(pad))
    }
}
