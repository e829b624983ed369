//! Python's number formatting: `repr(float)` and the format-spec mini-language used by
//! f-strings and `format()` (CPython Objects/stringlib/unicode_format.h and
//! Python/formatter_unicode.c; digits per Python/pystrtod.c).

mod float;
mod spec;
#[cfg(test)]
mod tests;

use crate::error::{ErrorKind, PyErr, PyResult, value_error};
use float::{Flags, double_to_string};
use spec::{Spec, parse, unknown_code};

/// A value handed to `format(value, spec)`.
#[derive(Clone, Copy, Debug)]
pub enum FormatArg<'a> {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(&'a str),
}

/// Python `repr(float)`: shortest round-trip digits, `1e-05`, `16.0`, `1e+16`, `inf`, `nan`,
/// `0.30000000000000004`.
pub fn float_repr(x: f64) -> String {
    let flags = Flags {
        add_dot_0: true,
        ..Flags::default()
    };
    double_to_string(x, 'r', 0, flags)
}

/// Python `format(value, spec)`, e.g. spec `.4f`, `>8`, `+.2e`, `,`, `%`, `g`, `05d`.
/// Errors like Python: "Unknown format code 'd' for object of type 'float'".
pub fn format_spec(value: FormatArg<'_>, spec: &str) -> PyResult<String> {
    // An empty spec is `str(value)` for every type (so `format(True, '')` is `True` while
    // `format(True, '>5')` formats the int 1, as bool inherits int.__format__).
    if spec.is_empty() {
        return Ok(match value {
            FormatArg::Int(i) => i.to_string(),
            FormatArg::Float(f) => float_repr(f),
            FormatArg::Bool(b) => if b { "True" } else { "False" }.to_string(),
            FormatArg::Str(s) => s.to_string(),
        });
    }
    match value {
        FormatArg::Int(i) => format_int(i, spec, "int"),
        FormatArg::Bool(b) => format_int(b as i64, spec, "bool"),
        FormatArg::Float(f) => {
            let spec = parse(spec, "float", None, '>')?;
            format_float(f, &spec, "float")
        }
        FormatArg::Str(s) => format_str(s, spec),
    }
}

fn format_int(i: i64, spec: &str, type_name: &str) -> PyResult<String> {
    let spec = parse(spec, type_name, Some('d'), '>')?;
    let ty = spec.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        // Python converts the int to a float for the float presentation types.
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(i as f64, &spec, type_name),
        _ => return Err(unknown_code(ty, type_name)),
    }
    if spec.precision.is_some() {
        return Err(value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    if spec.no_neg_0 {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    let magnitude = i.unsigned_abs();
    let sign = sign_text(i < 0, spec.sign);
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(value_error(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if spec.alternate {
            return Err(value_error(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        let ch = u32::try_from(i)
            .ok()
            .filter(|&n| n <= 0x10ffff)
            .map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
            .ok_or_else(|| PyErr::new(ErrorKind::OverflowError, "%c arg not in range(0x110000)"))?;
        // CPython treats the character as "remainder": never grouped or zero-filled inside.
        return Ok(layout_number("", "", "", &ch.to_string(), &spec, None));
    }
    let (digits, prefix) = match ty {
        'b' => (format!("{magnitude:b}"), "0b"),
        'o' => (format!("{magnitude:o}"), "0o"),
        'x' => (format!("{magnitude:x}"), "0x"),
        'X' => (format!("{magnitude:X}"), "0X"),
        _ => (magnitude.to_string(), ""),
    };
    let prefix = if spec.alternate { prefix } else { "" };
    let group = match (spec.grouping, ty) {
        (Some('_'), 'b' | 'o' | 'x' | 'X') => Some(('_', 4)),
        (Some(sep), _) => Some((sep, 3)),
        (None, _) => None,
    };
    Ok(layout_number(&sign, prefix, &digits, "", &spec, group))
}

fn format_float(v: f64, spec: &Spec, type_name: &str) -> PyResult<String> {
    let mut flags = Flags {
        alt: spec.alternate,
        no_neg_0: spec.no_neg_0,
        add_dot_0: false,
    };
    let mut value = v;
    let mut percent = false;
    let (code, default_precision) = match spec.ty {
        // No type: repr when no precision is given, else `g` that keeps a `.0`.
        None => {
            flags.add_dot_0 = true;
            ('r', 0)
        }
        Some('n') => ('g', 6),
        Some('%') => {
            value *= 100.0;
            percent = true;
            ('f', 6)
        }
        Some(c @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G')) => (c, 6),
        Some(c) => return Err(unknown_code(c, type_name)),
    };
    let (code, precision) = match spec.precision {
        None => (code, default_precision),
        Some(p) if code == 'r' => ('g', p),
        Some(p) => (code, p),
    };
    let mut text = double_to_string(value, code, precision, flags);
    if percent {
        text.push('%');
    }
    let negative = text.starts_with('-');
    let body = if negative { &text[1..] } else { &text[..] };
    let split = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (digits, rest) = body.split_at(split);
    let sign = sign_text(negative, spec.sign);
    let group = spec.grouping.map(|sep| (sep, 3));
    Ok(layout_number(&sign, "", digits, rest, spec, group))
}

fn format_str(s: &str, spec: &str) -> PyResult<String> {
    let spec = parse(spec, "str", Some('s'), '<')?;
    match spec.ty {
        Some('s') | None => {}
        Some(c) => return Err(unknown_code(c, "str")),
    }
    match spec.sign {
        Some(' ') => return Err(value_error("Space not allowed in string format specifier")),
        Some(_) => return Err(value_error("Sign not allowed in string format specifier")),
        None => {}
    }
    if spec.no_neg_0 {
        return Err(value_error(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if spec.alternate {
        return Err(value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if spec.align == '=' {
        return Err(value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let text: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    let pad = spec.width.unwrap_or(0).saturating_sub(text.chars().count());
    Ok(pad_around(&text, pad, spec.align, spec.fill))
}

/// The sign column: `-` for negatives, else what the spec's sign option asks for.
fn sign_text(negative: bool, sign: Option<char>) -> String {
    match (negative, sign) {
        (true, _) => "-".to_string(),
        (false, Some('+')) => "+".to_string(),
        (false, Some(' ')) => " ".to_string(),
        _ => String::new(),
    }
}

fn pad_around(text: &str, pad: usize, align: char, fill: char) -> String {
    let fill_n = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    match align {
        '>' => format!("{}{text}", fill_n(pad)),
        '^' => format!("{}{text}{}", fill_n(pad / 2), fill_n(pad - pad / 2)),
        _ => format!("{text}{}", fill_n(pad)),
    }
}

/// CPython's `calc_number_widths` + `fill_number`:
/// `<lpad><sign><prefix><spad><grouped digits><rest><rpad>`. With fill `0` and align `=` the
/// zero padding goes through the grouping, so `format(1234, '010,')` is `00,001,234`.
fn layout_number(
    sign: &str,
    prefix: &str,
    digits: &str,
    rest: &str,
    spec: &Spec,
    group: Option<(char, usize)>,
) -> String {
    let width = spec.width.unwrap_or(0);
    let non_digit = sign.chars().count() + prefix.chars().count() + rest.chars().count();
    let min_width = if spec.fill == '0' && spec.align == '=' {
        width.saturating_sub(non_digit)
    } else {
        0
    };
    let grouped = if digits.is_empty() {
        String::new()
    } else {
        group_digits(digits, min_width, group)
    };
    let pad = width.saturating_sub(non_digit + grouped.chars().count());
    let fill_n = |n: usize| std::iter::repeat_n(spec.fill, n).collect::<String>();
    match spec.align {
        '=' => format!("{sign}{prefix}{}{grouped}{rest}", fill_n(pad)),
        align => pad_around(
            &format!("{sign}{prefix}{grouped}{rest}"),
            pad,
            align,
            spec.fill,
        ),
    }
}

/// `_PyUnicode_InsertThousandsGrouping`: separators every `size` digits from the right,
/// and, when `min_width` asks for more, leading zeros (grouped as well).
fn group_digits(digits: &str, min_width: usize, group: Option<(char, usize)>) -> String {
    let digits: Vec<char> = digits.chars().collect();
    let Some((sep, size)) = group else {
        let zeros = min_width.saturating_sub(digits.len());
        return format!("{}{}", "0".repeat(zeros), digits.iter().collect::<String>());
    };
    let mut remaining = digits.len();
    let mut min_width = min_width as isize;
    let mut groups: Vec<String> = Vec::new();
    loop {
        let len = size.min(remaining.max(min_width.max(0) as usize).max(1));
        let chars = remaining.min(len);
        let zeros = len - chars;
        let part: String = digits[remaining - chars..remaining].iter().collect();
        groups.push(format!("{}{part}", "0".repeat(zeros)));
        remaining -= chars;
        min_width -= len as isize;
        if remaining == 0 && min_width <= 0 {
            break;
        }
        min_width -= 1;
    }
    groups.reverse();
    groups.join(&sep.to_string())
}
