//! Argument binding for builtins and methods, with CPython's wording for arity errors.

use super::value::{Args, Value};
use crate::error::{PyResult, type_error};

/// Binds `args` to `names` (all positional-or-keyword); the first `required` must be given.
pub fn bind(
    fname: &str,
    args: Args,
    names: &[&str],
    required: usize,
) -> PyResult<Vec<Option<Value>>> {
    let n = args.pos.len();
    if n > names.len() {
        return Err(type_error(match (names.len(), required) {
            (0, _) => format!("{fname}() takes no arguments ({n} given)"),
            (1, 1) => format!("{fname}() takes exactly one argument ({n} given)"),
            (m, r) if m == r => format!("{fname}() takes exactly {m} arguments ({n} given)"),
            (m, _) => format!(
                "{fname}() takes at most {m} argument{} ({n} given)",
                if m == 1 { "" } else { "s" }
            ),
        }));
    }
    let mut out: Vec<Option<Value>> = vec![None; names.len()];
    for (i, v) in args.pos.into_iter().enumerate() {
        out[i] = Some(v);
    }
    for (k, v) in args.kw {
        match names.iter().position(|name| *name == k) {
            Some(i) if out[i].is_none() => out[i] = Some(v),
            Some(_) => {
                return Err(type_error(format!(
                    "argument for {fname}() given by name ('{k}') and position ({})",
                    names.iter().position(|name| *name == k).unwrap_or(0) + 1
                )));
            }
            None => {
                return Err(type_error(format!(
                    "{fname}() got an unexpected keyword argument '{k}'"
                )));
            }
        }
    }
    for i in 0..required {
        if out[i].is_none() {
            return Err(type_error(if names.len() == 1 && required == 1 {
                format!("{fname}() takes exactly one argument (0 given)")
            } else {
                format!(
                    "{fname}() missing required argument '{}' (pos {})",
                    names[i],
                    i + 1
                )
            }));
        }
    }
    Ok(out)
}

/// Exactly one positional argument.
pub fn one(fname: &str, args: Args) -> PyResult<Value> {
    let n = args.pos.len() + args.kw.len();
    if n != 1 || !args.kw.is_empty() {
        if !args.kw.is_empty() {
            return Err(type_error(format!("{fname}() takes no keyword arguments")));
        }
        return Err(type_error(format!(
            "{fname}() takes exactly one argument ({n} given)"
        )));
    }
    Ok(args.pos.into_iter().next().unwrap_or(Value::None))
}

/// No arguments at all.
pub fn none(fname: &str, args: &Args) -> PyResult<()> {
    let n = args.pos.len() + args.kw.len();
    if n != 0 {
        return Err(type_error(format!(
            "{fname}() takes no arguments ({n} given)"
        )));
    }
    Ok(())
}

/// A keyword argument's value, removing it from `args`.
pub fn take_kw(args: &mut Args, name: &str) -> Option<Value> {
    let i = args.kw.iter().position(|(k, _)| k == name)?;
    Some(args.kw.remove(i).1)
}

pub fn as_int(v: &Value) -> PyResult<i64> {
    super::ops::index_value(v).ok_or_else(|| {
        type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        ))
    })
}
