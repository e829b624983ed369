//! CPython's `PyOS_double_to_string` (Python/pystrtod.c, `format_float_short`): a float to
//! text in one of the modes `e`, `f`, `g` (upper-case variants too) and `r` (repr).
//!
//! The decimal digits come from Rust's formatter, which rounds correctly like David Gay's
//! dtoa: `{:e}` gives the shortest round-trip digits (dtoa mode 0) and `{:.Ne}` / `{:.N}` the
//! correctly rounded ones (modes 2 and 3). The layout of those digits follows CPython.

/// Options of one conversion (CPython's `Py_DTSF_*` flags).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Flags {
    /// `#`: keep the decimal point (and, for `g`, trailing zeros).
    pub alt: bool,
    /// Add `.0` to integral results in positional form (repr, and `format` with no type).
    pub add_dot_0: bool,
    /// `z`: a negative value that rounds to zero loses its sign.
    pub no_neg_0: bool,
}

/// `code` is one of `e E f F g G r`; `precision` is digits after the point (`e`, `f`) or
/// significant digits (`g`); it is ignored for `r`.
pub(super) fn double_to_string(v: f64, code: char, precision: usize, flags: Flags) -> String {
    let upper = code.is_ascii_uppercase();
    let code = code.to_ascii_lowercase();
    if v.is_nan() {
        // CPython ignores the sign of a NaN.
        return if upper { "NAN" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        let s = if v < 0.0 { "-inf" } else { "inf" };
        return if upper {
            s.to_ascii_uppercase()
        } else {
            s.to_string()
        };
    }
    let a = v.abs();
    let (digits, decpt) = match code {
        'r' => shortest_digits(a),
        'e' => exp_digits(&format!("{a:.precision$e}")),
        'g' => {
            let p = precision.max(1) - 1;
            exp_digits(&format!("{a:.p$e}"))
        }
        _ => fixed_digits(&format!("{a:.precision$}")),
    };
    let negative = v.is_sign_negative() && !(flags.no_neg_0 && digits == "0");
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&layout(&digits, decpt, code, precision, flags, upper));
    out
}

/// Digits (no trailing zeros; `0` for zero) and decimal-point position from Rust's exponent
/// form `d.ddde-5`: the value is `0.DIGITS × 10^decpt`.
fn exp_digits(s: &str) -> (String, i64) {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    normalize(digits, exp + 1)
}

/// dtoa mode 0: the fewest digits that read back as `a` and, among those, the ones nearest
/// to `a`, an exact tie going to the even digit. Rust finds the same length but breaks such
/// ties upwards (`8.174942016601563` where Python prints `8.174942016601562`), so the
/// correctly rounded string of that length is preferred whenever it also reads back.
fn shortest_digits(a: f64) -> (String, i64) {
    let shortest = exp_digits(&format!("{a:e}"));
    let n = shortest.0.len();
    if n > 1 {
        let nearest = format!("{a:.prec$e}", prec = n - 1);
        if nearest.parse::<f64>() == Ok(a) {
            return exp_digits(&nearest);
        }
    }
    shortest
}

/// The same from Rust's positional form `123.4560`.
fn fixed_digits(s: &str) -> (String, i64) {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let all = format!("{int}{frac}");
    let leading = all.chars().take_while(|&c| c == '0').count();
    normalize(
        all[leading..].to_string(),
        int.len() as i64 - leading as i64,
    )
}

/// dtoa returns no trailing zeros, and `"0"` with the point after it for zero.
fn normalize(digits: String, decpt: i64) -> (String, i64) {
    let trimmed = digits.trim_end_matches('0');
    if trimmed.is_empty() {
        ("0".to_string(), 1)
    } else {
        let trimmed = trimmed.trim_start_matches('0');
        (trimmed.to_string(), decpt)
    }
}

/// `format_float_short` after dtoa: print the slice `[vstart, vend)` of the digit string
/// padded with zeros on both sides, with the point at `decpt` and an exponent if needed.
fn layout(
    digits: &str,
    decpt: i64,
    code: char,
    precision: usize,
    flags: Flags,
    upper: bool,
) -> String {
    let digits_len = digits.len() as i64;
    let precision = precision as i64;
    let mut decpt = decpt;
    let mut vend = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vend = precision + 1;
        }
        'f' => vend = decpt + precision,
        'g' => {
            let p = precision.max(1);
            let limit = if flags.add_dot_0 { p - 1 } else { p };
            use_exp = decpt <= -4 || decpt > limit;
            if flags.alt {
                vend = p;
            }
        }
        _ => use_exp = decpt <= -4 || decpt > 16,
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vstart = if decpt <= 0 { decpt - 1 } else { 0 };
    vend = if !use_exp && flags.add_dot_0 {
        vend.max(decpt + 1)
    } else {
        vend.max(decpt)
    };
    let zeros = |n: i64| "0".repeat(n.max(0) as usize);
    let mut out = String::new();
    if decpt <= 0 {
        out.push_str(&zeros(decpt - vstart));
        out.push('.');
        out.push_str(&zeros(-decpt));
    } else {
        out.push_str(&zeros(-vstart));
    }
    if 0 < decpt && decpt <= digits_len {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    } else {
        out.push_str(digits);
    }
    if digits_len < decpt {
        out.push_str(&zeros(decpt - digits_len));
        out.push('.');
        out.push_str(&zeros(vend - decpt));
    } else {
        out.push_str(&zeros(vend - digits_len));
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    }
    out
}
