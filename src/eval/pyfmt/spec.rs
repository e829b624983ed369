//! Parsing Python's format-spec mini-language (CPython `parse_internal_render_format_spec`):
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.

use crate::error::{ErrorKind, PyErr, PyResult, value_error};

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Spec {
    pub fill: char,
    pub align: char,
    pub sign: Option<char>,
    pub no_neg_0: bool,
    pub alternate: bool,
    pub width: Option<usize>,
    /// `,` or `_`.
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    /// The presentation type, or the object's default one when none is written.
    pub ty: Option<char>,
}

/// Widths and precisions past this would make Python allocate gigabytes; we refuse them
/// rather than abort the process.
const MAX_FIELD: usize = 100_000_000;

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}

/// Reads a run of decimal digits; `None` when there is none.
fn integer(chars: &[char], pos: &mut usize) -> PyResult<Option<usize>> {
    let start = *pos;
    let mut value: usize = 0;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as usize))
            .filter(|&v| v <= isize::MAX as usize)
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
        *pos += 1;
    }
    if *pos == start {
        return Ok(None);
    }
    if value > MAX_FIELD {
        return Err(PyErr::new(ErrorKind::MemoryError, ""));
    }
    Ok(Some(value))
}

/// Parses `spec` for an object of Python type `type_name`, whose default type and alignment
/// are `default_ty` and `default_align` (`>` for numbers, `<` for strings).
pub(super) fn parse(
    spec: &str,
    type_name: &str,
    default_ty: Option<char>,
    default_align: char,
) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let end = chars.len();
    let mut pos = 0;
    let mut out = Spec {
        fill: ' ',
        align: default_align,
        sign: None,
        no_neg_0: false,
        alternate: false,
        width: None,
        grouping: None,
        precision: None,
        ty: default_ty,
    };
    let mut fill_specified = false;
    let mut align_specified = false;
    if end >= 2 && is_align(chars[1]) {
        out.fill = chars[0];
        out.align = chars[1];
        fill_specified = true;
        align_specified = true;
        pos = 2;
    } else if end >= 1 && is_align(chars[0]) {
        out.align = chars[0];
        align_specified = true;
        pos = 1;
    }
    if let Some(&c @ ('+' | '-' | ' ')) = chars.get(pos) {
        out.sign = Some(c);
        pos += 1;
    }
    if chars.get(pos) == Some(&'z') {
        out.no_neg_0 = true;
        pos += 1;
    }
    if chars.get(pos) == Some(&'#') {
        out.alternate = true;
        pos += 1;
    }
    // A `0` before the width means sign-aware zero padding, unless a fill was given.
    if !fill_specified && chars.get(pos) == Some(&'0') {
        out.fill = '0';
        if !align_specified && default_align == '>' {
            out.align = '=';
        }
        pos += 1;
    }
    out.width = integer(&chars, &mut pos)?;
    if chars.get(pos) == Some(&',') {
        out.grouping = Some(',');
        pos += 1;
    }
    if chars.get(pos) == Some(&'_') {
        if out.grouping.is_some() {
            return Err(value_error("Cannot specify both ',' and '_'."));
        }
        out.grouping = Some('_');
        pos += 1;
    }
    if chars.get(pos) == Some(&',') && out.grouping == Some('_') {
        return Err(value_error("Cannot specify both ',' and '_'."));
    }
    if chars.get(pos) == Some(&'.') {
        pos += 1;
        out.precision = integer(&chars, &mut pos)?;
        if out.precision.is_none() {
            return Err(value_error("Format specifier missing precision"));
        }
    }
    if end - pos > 1 {
        return Err(value_error(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        )));
    }
    if end - pos == 1 {
        out.ty = Some(chars[pos]);
    }
    if let Some(sep) = out.grouping {
        match out.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => {}
            Some('b' | 'o' | 'x' | 'X') if sep == '_' => {}
            Some(t) => {
                return Err(value_error(format!(
                    "Cannot specify '{sep}' with {}.",
                    quoted_code(t)
                )));
            }
        }
    }
    Ok(out)
}

/// A presentation type as CPython quotes it in messages: `'d'`, or `'\x7f'` when unprintable.
pub(super) fn quoted_code(c: char) -> String {
    let n = c as u32;
    if n > 32 && n < 128 {
        format!("'{c}'")
    } else {
        format!("'\\x{n:x}'")
    }
}

/// "Unknown format code 'd' for object of type 'float'".
pub(super) fn unknown_code(c: char, type_name: &str) -> PyErr {
    value_error(format!(
        "Unknown format code {} for object of type '{type_name}'",
        quoted_code(c)
    ))
}
