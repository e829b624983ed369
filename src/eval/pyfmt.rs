//! Python's number formatting: `repr(float)` and the format-spec mini-language used by
//! f-strings and `format()`. (Implementation owned by the printing work.)

use crate::error::PyResult;

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
    let _ = x;
    todo!("printing: float_repr")
}

/// Python `format(value, spec)`, e.g. spec `.4f`, `>8`, `+.2e`, `,`, `%`, `g`, `05d`.
/// Errors like Python: "Unknown format code 'd' for object of type 'float'".
pub fn format_spec(value: FormatArg<'_>, spec: &str) -> PyResult<String> {
    let _ = (value, spec);
    todo!("printing: format_spec")
}
