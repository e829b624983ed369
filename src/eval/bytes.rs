//! Python `bytes` values, as far as literals need them: `b'\xff'` is a bytes object whose repr
//! is CPython's (`b'\xff'`), not a string.

use super::value::{Object, Value};
use std::any::Any;
use std::rc::Rc;

pub struct PyBytes(pub Rc<[u8]>);

/// The value of a bytes literal.
pub fn bytes_value(b: &Rc<[u8]>) -> Value {
    Value::Object(Rc::new(PyBytes(b.clone())))
}

/// CPython's `bytes.__repr__`: single quotes unless the bytes hold `'` and no `"`.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::from("b");
    s.push(quote);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            c if c == quote as u8 => {
                s.push('\\');
                s.push(quote);
            }
            0x20..=0x7e => s.push(c as char),
            c => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push(quote);
    s
}

impl Object for PyBytes {
    fn type_name(&self) -> String {
        "bytes".into()
    }
    fn repr(&self) -> String {
        bytes_repr(&self.0)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_like_cpython() {
        assert_eq!(bytes_repr(b"\xff\x00ab"), "b'\\xff\\x00ab'");
        assert_eq!(bytes_repr(b"it's"), "b\"it's\"");
        assert_eq!(bytes_repr(b"'\""), "b'\\'\"'");
    }
}
