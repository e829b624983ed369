//! `format(value, spec)` dispatch, `str.format` and printf-style `%` formatting. The number
//! formatting itself is `pyfmt::format_spec`.

use super::interp::Interp;
use super::pyfmt::{FormatArg, format_spec};
use super::value::Value;
use crate::error::{PyResult, index_error, key_error, type_error, value_error};

/// Python `format(v, spec)`, as f-string fields use it.
pub fn format_value(interp: &mut Interp, v: &Value, spec: &str) -> PyResult<String> {
    match v {
        Value::Int(i) => format_spec(FormatArg::Int(*i), spec),
        Value::Float(f) => format_spec(FormatArg::Float(*f), spec),
        Value::Bool(b) => {
            if spec.is_empty() {
                Ok(if *b { "True" } else { "False" }.to_string())
            } else {
                format_spec(FormatArg::Bool(*b), spec)
            }
        }
        Value::Str(s) => format_spec(FormatArg::Str(s), spec),
        // Tensor.__format__: a 0-d tensor formats its Python number.
        Value::Tensor(t) if t.ndim() == 0 => {
            let item = match t.item()? {
                crate::array::Scalar::Bool(b) => Value::Bool(b),
                crate::array::Scalar::Int(i) => Value::Int(i),
                crate::array::Scalar::Float(f) => Value::Float(f),
            };
            format_value(interp, &item, spec)
        }
        other => {
            if spec.is_empty() {
                interp.str(other)
            } else {
                Err(type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    other.type_name()
                )))
            }
        }
    }
}

/// `"...".format(*args, **kwargs)`.
pub fn str_format(
    interp: &mut Interp,
    fmt: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> PyResult<String> {
    let mut out = String::new();
    let mut auto = 0usize;
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            if chars.get(i + 1) == Some(&'{') {
                out.push('{');
                i += 2;
                continue;
            }
            let mut depth = 1;
            let mut j = i + 1;
            while j < chars.len() {
                match chars[j] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err(value_error("expected '}' before end of string"));
            }
            let field: String = chars[i + 1..j].iter().collect();
            out.push_str(&format_field(interp, &field, args, kwargs, &mut auto)?);
            i = j + 1;
            continue;
        }
        if c == '}' {
            if chars.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(value_error("Single '}' encountered in format string"));
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

fn format_field(
    interp: &mut Interp,
    field: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    auto: &mut usize,
) -> PyResult<String> {
    let (head, spec) = match field.find(':') {
        Some(p) => (&field[..p], &field[p + 1..]),
        None => (field, ""),
    };
    let (name, conversion) = match head.find('!') {
        Some(p) => (&head[..p], head[p + 1..].chars().next()),
        None => (head, None),
    };
    // The first part names the argument; `.attr` and `[key]` follow.
    let split = name.find(['.', '[']).unwrap_or(name.len());
    let (arg_name, mut rest) = name.split_at(split);
    let mut value = if arg_name.is_empty() {
        let v = args.get(*auto).cloned().ok_or_else(|| {
            index_error(format!(
                "Replacement index {} out of range for positional args tuple",
                *auto
            ))
        })?;
        *auto += 1;
        v
    } else if let Ok(n) = arg_name.parse::<usize>() {
        args.get(n).cloned().ok_or_else(|| {
            index_error(format!(
                "Replacement index {n} out of range for positional args tuple"
            ))
        })?
    } else {
        kwargs
            .iter()
            .find(|(k, _)| k == arg_name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| key_error(format!("'{arg_name}'")))?
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            value = super::attrs::get_attr(interp, &value, &r[..end])?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r
                .find(']')
                .ok_or_else(|| value_error("Missing ']' in format string"))?;
            let key = &r[..end];
            let key = match key.parse::<i64>() {
                Ok(n) => Value::Int(n),
                Err(_) => Value::str(key),
            };
            value = super::subscript::getitem(interp, &value, &key)?;
            rest = &r[end + 1..];
        } else {
            break;
        }
    }
    let value = match conversion {
        Some('r') | Some('a') => Value::str(&interp.repr(&value)?),
        Some('s') => Value::str(&interp.str(&value)?),
        _ => value,
    };
    // Nested fields inside the spec (`{:{width}}`).
    let spec = if spec.contains('{') {
        str_format(interp, spec, args, kwargs)?
    } else {
        spec.to_string()
    };
    format_value(interp, &value, &spec)
}

/// `fmt % args`, printf-style.
pub fn percent_format(interp: &mut Interp, fmt: &str, args: &Value) -> PyResult<Value> {
    let items: Vec<Value> = match args {
        Value::Tuple(t) => (**t).clone(),
        other => vec![other.clone()],
    };
    let mapping = matches!(args, Value::Dict(_));
    let mut next = 0usize;
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut key = None;
        if chars.get(i) == Some(&'(') {
            let end = chars[i..].iter().position(|&c| c == ')').map(|p| p + i);
            let Some(end) = end else {
                return Err(value_error("incomplete format key"));
            };
            key = Some(chars[i + 1..end].iter().collect::<String>());
            i = end + 1;
        }
        let mut spec = String::new();
        while i < chars.len() && "-+ #0123456789.*".contains(chars[i]) {
            spec.push(chars[i]);
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            return Err(value_error("incomplete format"));
        };
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let value = match (&key, args) {
            (Some(k), Value::Dict(_)) => super::subscript::getitem(interp, args, &Value::str(k))?,
            _ => {
                let v = items
                    .get(next)
                    .cloned()
                    .ok_or_else(|| type_error("not enough arguments for format string"))?;
                next += 1;
                v
            }
        };
        // printf flags map onto the format-spec mini-language: `-` is left alignment.
        let spec = match spec.strip_prefix('-') {
            Some(rest) => format!("<{rest}"),
            None => spec,
        };
        let text = match conv {
            's' => {
                let s = interp.str(&value)?;
                format_spec(FormatArg::Str(&s), &spec)?
            }
            'r' | 'a' => {
                let s = interp.repr(&value)?;
                format_spec(FormatArg::Str(&s), &spec)?
            }
            'd' | 'i' | 'u' => {
                let n = match value {
                    Value::Float(f) => Value::Int(f.trunc() as i64),
                    other => other,
                };
                format_value(interp, &n, &format!("{spec}d"))?
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' => {
                format_value(interp, &value, &format!("{spec}{conv}"))?
            }
            'c' => match value {
                Value::Int(n) => char::from_u32(n as u32)
                    .map(String::from)
                    .unwrap_or_default(),
                other => interp.str(&other)?,
            },
            other => {
                return Err(value_error(format!(
                    "unsupported format character '{other}' (0x{:x}) at index {}",
                    other as u32,
                    i - 1
                )));
            }
        };
        out.push_str(&text);
    }
    if !mapping && next < items.len() {
        return Err(type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(Value::str(&out))
}
