//! Methods of the builtin types: str, list, tuple (and torch.Size), dict, int, float.

use super::args::{as_int, bind, none, one};
use super::attrs::bound;
use super::interp::Interp;
use super::objects::{DictView, ViewKind};
use super::ops::{self, dict_lookup, dict_set, iterate};
use super::value::{Args, Value};
use crate::error::{PyResult, index_error, type_error, value_error};
use std::rc::Rc;

const STR_METHODS: &[&str] = &[
    "capitalize",
    "center",
    "count",
    "endswith",
    "find",
    "format",
    "index",
    "isalnum",
    "isalpha",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "upper",
    "zfill",
];
const LIST_METHODS: &[&str] = &[
    "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
    "sort",
];
const TUPLE_METHODS: &[&str] = &["count", "index"];
const DICT_METHODS: &[&str] = &[
    "clear",
    "copy",
    "get",
    "items",
    "keys",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "values",
];
const INT_METHODS: &[&str] = &[
    "bit_length",
    "conjugate",
    "denominator",
    "imag",
    "is_integer",
    "numerator",
    "real",
];
const FLOAT_METHODS: &[&str] = &["conjugate", "imag", "is_integer", "real"];

pub fn method_names(v: &Value) -> &'static [&'static str] {
    match v {
        Value::Str(_) => STR_METHODS,
        Value::List(_) => LIST_METHODS,
        Value::Tuple(_) | Value::Range(..) => TUPLE_METHODS,
        Value::Dict(_) => DICT_METHODS,
        Value::Int(_) | Value::Bool(_) => INT_METHODS,
        Value::Float(_) => FLOAT_METHODS,
        _ => &[],
    }
}

/// `v.name` for builtin values (bound methods and plain attributes).
pub fn method(v: &Value, name: &str) -> Option<Value> {
    match v {
        Value::Str(_) if STR_METHODS.contains(&name) => Some(str_method(v, name)),
        Value::List(_) if LIST_METHODS.contains(&name) => Some(list_method(v, name)),
        Value::Tuple(_) | Value::Size(_) => tuple_method(v, name),
        Value::Dict(_) if DICT_METHODS.contains(&name) => Some(dict_method(v, name)),
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => number_attr(v, name),
        _ => None,
    }
}

/// Unbound methods on a type object, e.g. `str.join`, `dict.fromkeys`.
pub fn type_attr(t: &str, name: &str) -> Option<Value> {
    let known = match t {
        "str" => STR_METHODS,
        "list" => LIST_METHODS,
        "tuple" => TUPLE_METHODS,
        "dict" => DICT_METHODS,
        "int" | "bool" => INT_METHODS,
        "float" => FLOAT_METHODS,
        _ => &[],
    };
    if t == "dict" && name == "fromkeys" {
        return Some(Value::native("dict.fromkeys", |interp, args| {
            let a = bind("fromkeys", args, &["iterable", "value"], 1)?;
            let keys = iterate(interp, a[0].as_ref().unwrap_or(&Value::None))?;
            let value = a[1].clone().unwrap_or(Value::None);
            let d = Rc::new(std::cell::RefCell::new(Vec::new()));
            for k in keys {
                dict_set(interp, &d, k, value.clone())?;
            }
            Ok(Value::Dict(d))
        }));
    }
    if !known.contains(&name) {
        return None;
    }
    let (t, name) = (t.to_string(), name.to_string());
    Some(Value::native(
        format!("{t}.{name}"),
        move |interp, mut args| {
            if args.pos.is_empty() {
                return Err(type_error(format!(
                    "unbound method {t}.{name}() needs an argument"
                )));
            }
            let recv = args.pos.remove(0);
            let m = super::attrs::get_attr(interp, &recv, &name)?;
            interp.call_value(&m, args)
        },
    ))
}

fn number_attr(v: &Value, name: &str) -> Option<Value> {
    let f = match v {
        Value::Float(f) => *f,
        Value::Int(i) => *i as f64,
        Value::Bool(b) => *b as i64 as f64,
        _ => return None,
    };
    let as_int = match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    };
    Some(match (name, as_int) {
        ("real", Some(i)) | ("numerator", Some(i)) => Value::Int(i),
        ("real", None) => Value::Float(f),
        ("imag", Some(_)) => Value::Int(0),
        ("imag", None) => Value::Float(0.0),
        ("denominator", Some(_)) => Value::Int(1),
        ("conjugate", _) => {
            let v = v.clone();
            Value::native("conjugate", move |_, args| {
                none("conjugate", &args)?;
                Ok(match &v {
                    Value::Bool(b) => Value::Int(*b as i64),
                    other => other.clone(),
                })
            })
        }
        ("is_integer", _) => Value::native("is_integer", move |_, args| {
            none("is_integer", &args)?;
            Ok(Value::Bool(f.is_finite() && f.fract() == 0.0))
        }),
        ("bit_length", Some(i)) => Value::native("int.bit_length", move |_, args| {
            none("bit_length", &args)?;
            Ok(Value::Int(64 - i.unsigned_abs().leading_zeros() as i64))
        }),
        _ => return None,
    })
}

fn str_of(v: &Value) -> Rc<str> {
    match v {
        Value::Str(s) => s.clone(),
        _ => Rc::from(""),
    }
}

fn str_arg(fname: &str, v: &Value) -> PyResult<Rc<str>> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => Err(type_error(format!(
            "{fname}() argument must be str, not {}",
            other.type_name()
        ))),
    }
}

/// Python's `str.split()` without a separator: runs of white space, leading/trailing ignored.
fn split_whitespace(s: &str, maxsplit: i64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 == maxsplit {
            out.push(Value::str(rest));
            return out;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push(Value::str(&rest[..end]));
        rest = rest[end..].trim_start();
    }
    out
}

fn strip_chars(v: &Option<Value>) -> PyResult<Option<Vec<char>>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.chars().collect())),
        Some(other) => Err(type_error(format!(
            "strip arg must be None or str, not {}",
            other.type_name()
        ))),
    }
}

fn pad(s: &str, width: i64, fill: char, align: char) -> String {
    let len = s.chars().count() as i64;
    if width <= len {
        return s.to_string();
    }
    let total = (width - len) as usize;
    let (left, right) = match align {
        '<' => (0, total),
        '>' => (total, 0),
        // CPython centers with the extra space on the right only when the width is odd... on the left when the text length is odd.
        _ => {
            let left = total / 2 + (total & width as usize & 1);
            (left, total - left)
        }
    };
    let fill_s = |n: usize| fill.to_string().repeat(n);
    format!("{}{}{}", fill_s(left), s, fill_s(right))
}

fn fill_char(v: &Option<Value>) -> PyResult<char> {
    match v {
        None => Ok(' '),
        Some(Value::Str(s)) if s.chars().count() == 1 => Ok(s.chars().next().unwrap_or(' ')),
        Some(_) => Err(type_error(
            "The fill character must be exactly one character long",
        )),
    }
}

fn str_method(v: &Value, name: &str) -> Value {
    let qual = format!("str.{name}");
    let name = name.to_string();
    bound(v, qual, move |interp, recv, args| {
        let s = str_of(recv);
        let n = name.as_str();
        Ok(match n {
            "format" => {
                let kw: Vec<(String, Value)> = args.kw.clone();
                Value::str(&super::format::str_format(interp, &s, &args.pos, &kw)?)
            }
            "join" => {
                let items = iterate(interp, &one("str.join", args)?)?;
                let mut parts = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Str(p) => parts.push(p.to_string()),
                        other => {
                            return Err(type_error(format!(
                                "sequence item {i}: expected str instance, {} found",
                                other.type_name()
                            )));
                        }
                    }
                }
                Value::str(&parts.join(&s))
            }
            "split" | "rsplit" => {
                let a = bind(n, args, &["sep", "maxsplit"], 0)?;
                let maxsplit = match &a[1] {
                    Some(m) => as_int(m)?,
                    None => -1,
                };
                let parts = match &a[0] {
                    None | Some(Value::None) => {
                        if n == "split" || maxsplit < 0 {
                            split_whitespace(&s, maxsplit)
                        } else {
                            let rev: String = s.chars().rev().collect();
                            let mut p = split_whitespace(&rev, maxsplit);
                            p.reverse();
                            p.into_iter()
                                .map(|x| Value::str(&str_of(&x).chars().rev().collect::<String>()))
                                .collect()
                        }
                    }
                    Some(sep) => {
                        let sep = str_arg(n, sep)?;
                        if sep.is_empty() {
                            return Err(value_error("empty separator"));
                        }
                        let pieces: Vec<&str> = if maxsplit < 0 {
                            s.split(&*sep).collect()
                        } else if n == "split" {
                            s.splitn(maxsplit as usize + 1, &*sep).collect()
                        } else {
                            let mut p: Vec<&str> =
                                s.rsplitn(maxsplit as usize + 1, &*sep).collect();
                            p.reverse();
                            p
                        };
                        pieces.into_iter().map(Value::str).collect()
                    }
                };
                Value::list(parts)
            }
            "splitlines" => {
                none(n, &args)?;
                Value::list(s.lines().map(Value::str).collect())
            }
            "strip" | "lstrip" | "rstrip" => {
                let a = bind(n, args, &["chars"], 0)?;
                let chars = strip_chars(&a[0])?;
                let matches = |c: char| match &chars {
                    Some(cs) => cs.contains(&c),
                    None => c.is_whitespace(),
                };
                Value::str(match n {
                    "strip" => s.trim_matches(matches),
                    "lstrip" => s.trim_start_matches(matches),
                    _ => s.trim_end_matches(matches),
                })
            }
            "replace" => {
                let a = bind(n, args, &["old", "new", "count"], 2)?;
                let old = str_arg(n, a[0].as_ref().unwrap_or(&Value::None))?;
                let new = str_arg(n, a[1].as_ref().unwrap_or(&Value::None))?;
                let count = match &a[2] {
                    Some(c) => as_int(c)?,
                    None => -1,
                };
                Value::str(&if count < 0 {
                    s.replace(&*old, &new)
                } else {
                    s.replacen(&*old, &new, count as usize)
                })
            }
            "upper" => Value::str(&s.to_uppercase()),
            "lower" => Value::str(&s.to_lowercase()),
            "swapcase" => Value::str(
                &s.chars()
                    .map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().collect::<String>()
                        } else {
                            c.to_uppercase().collect()
                        }
                    })
                    .collect::<String>(),
            ),
            "title" => {
                let mut out = String::new();
                let mut prev_letter = false;
                for c in s.chars() {
                    if c.is_alphabetic() {
                        if prev_letter {
                            out.extend(c.to_lowercase());
                        } else {
                            out.extend(c.to_uppercase());
                        }
                        prev_letter = true;
                    } else {
                        out.push(c);
                        prev_letter = false;
                    }
                }
                Value::str(&out)
            }
            "capitalize" => {
                let mut cs = s.chars();
                let out: String = match cs.next() {
                    Some(f) => f
                        .to_uppercase()
                        .chain(cs.flat_map(|c| c.to_lowercase()))
                        .collect(),
                    None => String::new(),
                };
                Value::str(&out)
            }
            "startswith" | "endswith" => {
                let a = bind(n, args, &["prefix", "start", "end"], 1)?;
                let prefixes = match a[0].as_ref() {
                    Some(Value::Tuple(t)) => t
                        .iter()
                        .map(|p| str_arg(n, p))
                        .collect::<PyResult<Vec<_>>>()?,
                    Some(Value::Str(p)) => vec![p.clone()],
                    Some(other) => {
                        return Err(type_error(format!(
                            "{n} first arg must be str or a tuple of str, not {}",
                            other.type_name()
                        )));
                    }
                    None => Vec::new(),
                };
                let hay = substr(&s, &a[1], &a[2])?;
                Value::Bool(prefixes.iter().any(|p| {
                    if n == "startswith" {
                        hay.starts_with(&**p)
                    } else {
                        hay.ends_with(&**p)
                    }
                }))
            }
            "find" | "rfind" | "index" | "rindex" | "count" => {
                let a = bind(n, args, &["sub", "start", "end"], 1)?;
                let sub = str_arg(n, a[0].as_ref().unwrap_or(&Value::None))?;
                let offset = match &a[1] {
                    Some(Value::None) | None => 0,
                    Some(v) => {
                        let i = as_int(v)?;
                        let len = s.chars().count() as i64;
                        (if i < 0 {
                            i.saturating_add(len).max(0)
                        } else {
                            i.min(len)
                        }) as usize
                    }
                };
                let hay = substr(&s, &a[1], &a[2])?;
                if n == "count" {
                    return Ok(Value::Int(if sub.is_empty() {
                        hay.chars().count() as i64 + 1
                    } else {
                        hay.matches(&*sub).count() as i64
                    }));
                }
                let found = if n.starts_with('r') {
                    hay.rfind(&*sub)
                } else {
                    hay.find(&*sub)
                };
                match found {
                    Some(byte) => Value::Int((hay[..byte].chars().count() + offset) as i64),
                    None if n.ends_with("index") => return Err(value_error("substring not found")),
                    None => Value::Int(-1),
                }
            }
            "center" | "ljust" | "rjust" => {
                let a = bind(n, args, &["width", "fillchar"], 1)?;
                let width = as_int(a[0].as_ref().unwrap_or(&Value::None))?;
                let fill = fill_char(&a[1])?;
                let align = match n {
                    "ljust" => '<',
                    "rjust" => '>',
                    _ => '^',
                };
                Value::str(&pad(&s, width, fill, align))
            }
            "zfill" => {
                let width = as_int(&one("str.zfill", args)?)?;
                let len = s.chars().count() as i64;
                if width <= len {
                    Value::Str(s.clone())
                } else {
                    let zeros = "0".repeat((width - len) as usize);
                    match s.strip_prefix(['+', '-']) {
                        Some(rest) => Value::str(&format!("{}{zeros}{rest}", &s[..1])),
                        None => Value::str(&format!("{zeros}{s}")),
                    }
                }
            }
            "partition" | "rpartition" => {
                let sep = str_arg(n, &one(n, args)?)?;
                if sep.is_empty() {
                    return Err(value_error("empty separator"));
                }
                let found = if n == "partition" {
                    s.find(&*sep)
                } else {
                    s.rfind(&*sep)
                };
                let parts = match found {
                    Some(i) => [&s[..i], &sep, &s[i + sep.len()..]],
                    None if n == "partition" => [&s[..], "", ""],
                    None => ["", "", &s[..]],
                };
                Value::tuple(parts.iter().map(|p| Value::str(p)).collect())
            }
            "removeprefix" => {
                let p = str_arg(n, &one(n, args)?)?;
                Value::str(s.strip_prefix(&*p).unwrap_or(&s))
            }
            "removesuffix" => {
                let p = str_arg(n, &one(n, args)?)?;
                Value::str(s.strip_suffix(&*p).unwrap_or(&s))
            }
            "isdigit" | "isdecimal" | "isnumeric" => {
                Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_numeric()))
            }
            "isalpha" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
            "isalnum" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphanumeric)),
            "isspace" => Value::Bool(!s.is_empty() && s.chars().all(char::is_whitespace)),
            "isupper" => {
                Value::Bool(s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase))
            }
            "islower" => {
                Value::Bool(s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase))
            }
            "istitle" => {
                let t = str_method(recv, "title");
                let titled = interp.call_value(&t, Args::default())?;
                Value::Bool(s.chars().any(char::is_alphabetic) && str_of(&titled) == s)
            }
            "isidentifier" => Value::Bool(
                s.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && s.chars().all(|c| c.is_alphanumeric() || c == '_'),
            ),
            _ => {
                return Err(crate::error::attribute_error(format!(
                    "'str' object has no attribute '{n}'"
                )));
            }
        })
    })
}

/// `s[start:end]` for the optional start/end arguments of str methods.
fn substr(s: &str, start: &Option<Value>, end: &Option<Value>) -> PyResult<String> {
    let len = s.chars().count() as i64;
    let norm = |v: &Option<Value>, default: i64| -> PyResult<i64> {
        Ok(match v {
            None | Some(Value::None) => default,
            Some(x) => {
                let i = as_int(x)?;
                if i < 0 {
                    i.saturating_add(len).max(0)
                } else {
                    i.min(len)
                }
            }
        })
    };
    let (a, b) = (norm(start, 0)?, norm(end, len)?);
    Ok(s.chars()
        .skip(a as usize)
        .take((b - a).max(0) as usize)
        .collect())
}

/// Stable sort by `key` (or the items), Python's `sorted` semantics (only `<` is used).
pub fn sort_values(
    interp: &mut Interp,
    items: Vec<Value>,
    key: Option<&Value>,
    reverse: bool,
) -> PyResult<Vec<Value>> {
    let keys = match key {
        Some(k) if !matches!(k, Value::None) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in &items {
                keys.push(interp.call_value(k, Args::new(vec![item.clone()]))?);
            }
            keys
        }
        _ => items.clone(),
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    let mut error = None;
    order.sort_by(|&i, &j| {
        if error.is_some() {
            return std::cmp::Ordering::Equal;
        }
        let (a, b) = if reverse {
            (&keys[j], &keys[i])
        } else {
            (&keys[i], &keys[j])
        };
        match ops::less(interp, a, b) {
            Ok(true) => std::cmp::Ordering::Less,
            Ok(false) => match ops::less(interp, b, a) {
                Ok(true) => std::cmp::Ordering::Greater,
                Ok(false) => std::cmp::Ordering::Equal,
                Err(e) => {
                    error = Some(e);
                    std::cmp::Ordering::Equal
                }
            },
            Err(e) => {
                error = Some(e);
                std::cmp::Ordering::Equal
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    Ok(order.into_iter().map(|i| items[i].clone()).collect())
}

fn list_method(v: &Value, name: &str) -> Value {
    let qual = format!("list.{name}");
    let name = name.to_string();
    bound(v, qual, move |interp, recv, args| {
        let Value::List(l) = recv else {
            return Ok(Value::None);
        };
        let n = name.as_str();
        Ok(match n {
            "append" => {
                let x = one("list.append", args)?;
                l.borrow_mut().push(x);
                Value::None
            }
            "extend" => {
                let items = iterate(interp, &one("list.extend", args)?)?;
                l.borrow_mut().extend(items);
                Value::None
            }
            "pop" => {
                let a = bind("pop", args, &["index"], 0)?;
                let len = l.borrow().len() as i64;
                if len == 0 {
                    return Err(index_error("pop from empty list"));
                }
                let i = match &a[0] {
                    Some(v) => as_int(v)?,
                    None => -1,
                };
                let p = if i < 0 { i.saturating_add(len) } else { i };
                if p < 0 || p >= len {
                    return Err(index_error("pop index out of range"));
                }
                l.borrow_mut().remove(p as usize)
            }
            "insert" => {
                let a = bind("insert", args, &["index", "object"], 2)?;
                let len = l.borrow().len() as i64;
                let i = as_int(a[0].as_ref().unwrap_or(&Value::None))?;
                let p = if i < 0 {
                    i.saturating_add(len).max(0)
                } else {
                    i.min(len)
                };
                l.borrow_mut()
                    .insert(p as usize, a[1].clone().unwrap_or(Value::None));
                Value::None
            }
            "index" | "count" | "remove" => {
                let x = one(&format!("list.{n}"), args)?;
                let items = l.borrow().clone();
                let mut hits = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if ops::is_same(item, &x) || ops::eq(interp, item, &x)? {
                        hits.push(i);
                        if n != "count" {
                            break;
                        }
                    }
                }
                match (n, hits.first()) {
                    ("count", _) => Value::Int(hits.len() as i64),
                    ("index", Some(&i)) => Value::Int(i as i64),
                    ("remove", Some(&i)) => {
                        l.borrow_mut().remove(i);
                        Value::None
                    }
                    ("index", None) => {
                        return Err(value_error(format!("{} is not in list", interp.repr(&x)?)));
                    }
                    _ => return Err(value_error("list.remove(x): x not in list")),
                }
            }
            "sort" => {
                let mut args = args;
                let key = super::args::take_kw(&mut args, "key");
                let reverse = match super::args::take_kw(&mut args, "reverse") {
                    Some(r) => interp.truthy(&r)?,
                    None => false,
                };
                if !args.pos.is_empty() {
                    return Err(type_error("sort() takes no positional arguments"));
                }
                if let Some((k, _)) = args.kw.first() {
                    return Err(type_error(format!(
                        "sort() got an unexpected keyword argument '{k}'"
                    )));
                }
                let items = l.borrow().clone();
                let sorted = sort_values(interp, items, key.as_ref(), reverse)?;
                *l.borrow_mut() = sorted;
                Value::None
            }
            "reverse" => {
                none("list.reverse", &args)?;
                l.borrow_mut().reverse();
                Value::None
            }
            "copy" => {
                none("list.copy", &args)?;
                Value::list(l.borrow().clone())
            }
            "clear" => {
                none("list.clear", &args)?;
                l.borrow_mut().clear();
                Value::None
            }
            _ => {
                return Err(crate::error::attribute_error(format!(
                    "'list' object has no attribute '{n}'"
                )));
            }
        })
    })
}

/// Methods of tuples, torch.Size, named tuples and ranges.
pub fn tuple_method(v: &Value, name: &str) -> Option<Value> {
    let type_name = v.type_name();
    match name {
        "count" | "index" => {}
        "numel" if matches!(v, Value::Size(_)) => {
            return Some(bound(v, "Size.numel".into(), |_, recv, args| {
                none("numel", &args)?;
                let Value::Size(s) = recv else {
                    return Ok(Value::Int(0));
                };
                Ok(Value::Int(s.iter().product::<usize>() as i64))
            }));
        }
        _ => return None,
    }
    let name = name.to_string();
    Some(bound(
        v,
        format!("{type_name}.{name}"),
        move |interp, recv, args| {
            let x = one(&format!("{type_name}.{name}"), args)?;
            let items = iterate(interp, recv)?;
            let mut count = 0;
            for (i, item) in items.iter().enumerate() {
                if ops::is_same(item, &x) || ops::eq(interp, item, &x)? {
                    if name == "index" {
                        return Ok(Value::Int(i as i64));
                    }
                    count += 1;
                }
            }
            if name == "index" {
                return Err(value_error(match recv {
                    Value::Range(..) => format!("{} is not in range", interp.repr(&x)?),
                    _ => "tuple.index(x): x not in tuple".to_string(),
                }));
            }
            Ok(Value::Int(count))
        },
    ))
}

fn dict_method(v: &Value, name: &str) -> Value {
    let qual = format!("dict.{name}");
    let name = name.to_string();
    bound(v, qual, move |interp, recv, args| {
        let Value::Dict(d) = recv else {
            return Ok(Value::None);
        };
        let n = name.as_str();
        Ok(match n {
            "keys" | "values" | "items" => {
                none(&format!("dict.{n}"), &args)?;
                let kind = match n {
                    "keys" => ViewKind::Keys,
                    "values" => ViewKind::Values,
                    _ => ViewKind::Items,
                };
                Value::Object(Rc::new(DictView {
                    kind,
                    dict: d.clone(),
                }))
            }
            "get" => {
                let a = bind("get", args, &["key", "default"], 1)?;
                let key = a[0].clone().unwrap_or(Value::None);
                let items = d.borrow().clone();
                match dict_lookup(interp, &items, &key)? {
                    Some(i) => items[i].1.clone(),
                    None => a[1].clone().unwrap_or(Value::None),
                }
            }
            "pop" => {
                let a = bind("pop", args, &["key", "default"], 1)?;
                let key = a[0].clone().unwrap_or(Value::None);
                let items = d.borrow().clone();
                match dict_lookup(interp, &items, &key)? {
                    Some(i) => d.borrow_mut().remove(i).1,
                    None => match &a[1] {
                        Some(default) => default.clone(),
                        None => return Err(super::exceptions::key_error(interp, key.clone())?),
                    },
                }
            }
            "popitem" => {
                none("popitem", &args)?;
                match d.borrow_mut().pop() {
                    Some((k, v)) => Value::tuple(vec![k, v]),
                    None => {
                        return Err(super::exceptions::key_error(
                            interp,
                            Value::str("popitem(): dictionary is empty"),
                        )?);
                    }
                }
            }
            "setdefault" => {
                let a = bind("setdefault", args, &["key", "default"], 1)?;
                let key = a[0].clone().unwrap_or(Value::None);
                let items = d.borrow().clone();
                match dict_lookup(interp, &items, &key)? {
                    Some(i) => items[i].1.clone(),
                    None => {
                        let default = a[1].clone().unwrap_or(Value::None);
                        d.borrow_mut().push((key, default.clone()));
                        default
                    }
                }
            }
            "update" => {
                if args.pos.len() > 1 {
                    return Err(type_error(format!(
                        "update expected at most 1 argument, got {}",
                        args.pos.len()
                    )));
                }
                if let Some(other) = args.pos.first() {
                    for (k, v) in pairs_of(interp, other)? {
                        dict_set(interp, d, k, v)?;
                    }
                }
                for (k, v) in args.kw {
                    dict_set(interp, d, Value::str(&k), v)?;
                }
                Value::None
            }
            "copy" => {
                none("dict.copy", &args)?;
                Value::Dict(Rc::new(std::cell::RefCell::new(d.borrow().clone())))
            }
            "clear" => {
                none("dict.clear", &args)?;
                d.borrow_mut().clear();
                Value::None
            }
            _ => {
                return Err(crate::error::attribute_error(format!(
                    "'dict' object has no attribute '{n}'"
                )));
            }
        })
    })
}

/// Key/value pairs from a mapping or an iterable of pairs (`dict(...)`, `update`).
pub fn pairs_of(interp: &mut Interp, v: &Value) -> PyResult<Vec<(Value, Value)>> {
    if let Value::Dict(d) = v {
        return Ok(d.borrow().clone());
    }
    let items = iterate(interp, v)?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let pair = iterate(interp, item).map_err(|_| {
            type_error(format!(
                "cannot convert dictionary update sequence element #{i} to a sequence"
            ))
        })?;
        if pair.len() != 2 {
            return Err(value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            )));
        }
        let mut it = pair.into_iter();
        if let (Some(k), Some(v)) = (it.next(), it.next()) {
            out.push((k, v));
        }
    }
    Ok(out)
}
