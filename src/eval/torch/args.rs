//! Argument parsing in the manner of PyTorch's `python_arg_parser`: one signature string per
//! overload, e.g. `"sum(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)"`.
//!
//! A parameter is `[Type[?]] name[=default]`; `?` lets it take `None`, a default makes it
//! optional, `*` starts the keyword-only ones. Signatures starting with `def ` are Python-level
//! functions (`torch.autograd.grad`, ...): their arity errors use CPython's wording instead of
//! PyTorch's C++ parser wording. Types are checked the way PyTorch checks them, so a failed
//! binding says what PyTorch says ("argument 'dim' (position 2) must be int, not str").

use crate::array::{DType, Scalar};
use crate::autograd::Tensor;
use crate::error::{PyErr, PyResult, runtime_error, type_error};
use crate::eval::value::{Args, Value};

/// Parameter types of the signature DSL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PType {
    /// No check (Python-level functions, `data` of `torch.tensor`, callables).
    Any,
    Tensor,
    /// A tensor or a Python number (PyTorch's "numbers as tensors" for binary ops).
    TensorLike,
    /// A Python number (or a 0-d tensor that does not require grad).
    Scalar,
    Float,
    Int,
    Bool,
    /// `int[]`: a tuple/list of ints or a `torch.Size`; `int[1]` also takes a single int.
    IntList {
        single: bool,
    },
    DType,
    Str,
    Generator,
    TensorList,
    Device,
}

impl PType {
    /// The type name PyTorch prints in its messages.
    pub fn display(self) -> &'static str {
        match self {
            PType::Any => "object",
            PType::Tensor | PType::TensorLike => "Tensor",
            PType::Scalar => "Number",
            PType::Float => "float",
            PType::Int => "int",
            PType::Bool => "bool",
            PType::IntList { .. } => "tuple of ints",
            PType::DType => "torch.dtype",
            PType::Str => "str",
            PType::Generator => "torch.Generator",
            PType::TensorList => "tuple of Tensors",
            PType::Device => "torch.device",
        }
    }

    fn parse(s: &str) -> Option<PType> {
        Some(match s {
            "Tensor" => PType::Tensor,
            "TensorLike" => PType::TensorLike,
            "Scalar" => PType::Scalar,
            "float" => PType::Float,
            "int" => PType::Int,
            "bool" => PType::Bool,
            "int[]" => PType::IntList { single: false },
            "int[1]" => PType::IntList { single: true },
            "ScalarType" => PType::DType,
            "str" => PType::Str,
            "Generator" => PType::Generator,
            "TensorList" => PType::TensorList,
            "Device" => PType::Device,
            "Any" => PType::Any,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: &'static str,
    pub ty: PType,
    pub allow_none: bool,
    /// The default value; None means the argument is required.
    pub default: Option<Value>,
    pub kw_only: bool,
}

#[derive(Clone, Debug)]
pub struct Signature {
    pub name: &'static str,
    pub params: Vec<Param>,
    /// CPython-style arity errors (a Python-level function in PyTorch).
    pub python_style: bool,
    /// The source text, for `help()` and error listings.
    pub text: &'static str,
}

fn parse_default(s: &str) -> Value {
    match s {
        "None" => Value::None,
        "True" => Value::Bool(true),
        "False" => Value::Bool(false),
        "[]" => Value::tuple(Vec::new()),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                Value::Int(i)
            } else if let Ok(f) = s.parse::<f64>() {
                Value::Float(f)
            } else if (s.starts_with('"') && s.ends_with('"'))
                || (s.starts_with('\'') && s.ends_with('\''))
            {
                Value::str(&s[1..s.len() - 1])
            } else {
                panic!("bad default in signature: {s}")
            }
        }
    }
}

impl Signature {
    /// Parses a signature of a static table. Panics on a malformed string: tables are code, and
    /// a unit test parses every one of them.
    pub fn parse(text: &'static str) -> Signature {
        let (python_style, body) = match text.strip_prefix("def ") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let open = body.find('(').expect("signature needs '('");
        let close = body.rfind(')').expect("signature needs ')'");
        let name = &body[..open];
        let inner = &body[open + 1..close];
        let mut params = Vec::new();
        let mut kw_only = false;
        for raw in inner.split(", ").map(str::trim).filter(|p| !p.is_empty()) {
            if raw == "*" {
                kw_only = true;
                continue;
            }
            let (decl, default) = match raw.split_once('=') {
                Some((d, v)) => (d.trim(), Some(parse_default(v.trim()))),
                None => (raw, None),
            };
            let (ty, allow_none, pname) = match decl.rsplit_once(' ') {
                Some((ty, pname)) => {
                    let (ty, opt) = match ty.strip_suffix('?') {
                        Some(t) => (t, true),
                        None => (ty, false),
                    };
                    (
                        PType::parse(ty).unwrap_or_else(|| panic!("unknown type {ty} in {text}")),
                        opt,
                        pname,
                    )
                }
                None => (PType::Any, true, decl),
            };
            let allow_none = allow_none || matches!(default, Some(Value::None));
            params.push(Param {
                name: pname,
                ty,
                allow_none,
                default,
                kw_only,
            });
        }
        Signature {
            name,
            params,
            python_style,
            text,
        }
    }

    fn min_args(&self, skip: usize) -> usize {
        self.params[skip..]
            .iter()
            .filter(|p| p.default.is_none())
            .count()
    }
    fn max_args(&self, skip: usize) -> usize {
        self.params.len() - skip
    }

    /// `(Tensor input, int dim, bool keepdim)`: the listing PyTorch prints for an overload.
    pub fn describe(&self, skip: usize) -> String {
        let mut out = String::from("(");
        let mut kw_shown = false;
        for (i, p) in self.params[skip..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if p.kw_only && !kw_shown {
                out.push_str("*, ");
                kw_shown = true;
            }
            out.push_str(p.ty.display());
            out.push(' ');
            out.push_str(p.name);
        }
        out.push(')');
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Value checks and conversions (shared with the implementations).

/// A Python int (not bool), or a 0-d integer tensor that does not require grad.
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Tensor(t) if t.ndim() == 0 && t.dtype().is_integral() && !t.requires_grad() => {
            match t.item() {
                Ok(Scalar::Int(i)) => Some(i),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A Python number, or a 0-d tensor that does not require grad.
pub fn as_scalar(v: &Value) -> Option<Scalar> {
    match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Int(i) => Some(Scalar::Int(*i)),
        Value::Float(f) => Some(Scalar::Float(*f)),
        Value::Tensor(t) if t.ndim() == 0 && !t.requires_grad() => t.item().ok(),
        _ => None,
    }
}

pub fn as_f64(v: &Value) -> Option<f64> {
    as_scalar(v).map(Scalar::to_f64)
}

/// A sequence of ints (`(2, 3)`, `[2, 3]`, `torch.Size([2, 3])`). On failure, the index of the
/// first element that is not an int, if the value was a sequence at all.
pub fn as_int_list(v: &Value) -> Result<Vec<i64>, Option<usize>> {
    let items: Vec<Value> = match v {
        Value::Size(s) => return Ok(s.iter().map(|&d| d as i64).collect()),
        Value::Tuple(t) => t.as_ref().clone(),
        Value::List(l) => l.borrow().clone(),
        _ => return Err(None),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| as_int(x).ok_or(Some(i)))
        .collect()
}

/// A sequence of tensors.
pub fn as_tensor_list(v: &Value) -> Option<Vec<Tensor>> {
    let items: Vec<Value> = match v {
        Value::Tuple(t) => t.as_ref().clone(),
        Value::List(l) => l.borrow().clone(),
        _ => return None,
    };
    items
        .into_iter()
        .map(|x| match x {
            Value::Tensor(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// Whether `v` passes `ty`'s check; for a sequence, the failing element index.
fn check(ty: PType, v: &Value) -> Result<(), Option<usize>> {
    let ok = match ty {
        PType::Any => true,
        PType::Tensor => matches!(v, Value::Tensor(_)),
        PType::TensorLike => matches!(
            v,
            Value::Tensor(_) | Value::Bool(_) | Value::Int(_) | Value::Float(_)
        ),
        PType::Scalar | PType::Float => as_scalar(v).is_some(),
        PType::Int => as_int(v).is_some(),
        PType::Bool => matches!(v, Value::Bool(_)),
        PType::IntList { single } => {
            if single && as_int(v).is_some() {
                true
            } else {
                return as_int_list(v).map(|_| ());
            }
        }
        PType::DType => matches!(v, Value::DType(_)),
        PType::Str => matches!(v, Value::Str(_)),
        PType::Generator => super::random::as_generator(v).is_some(),
        PType::TensorList => {
            return match v {
                Value::Tuple(_) | Value::List(_) => match as_tensor_list(v) {
                    Some(_) => Ok(()),
                    None => {
                        Err((0..).find(|&i| !matches!(sequence_item(v, i), Some(Value::Tensor(_)))))
                    }
                },
                _ => Err(None),
            };
        }
        PType::Device => matches!(v, Value::Str(_)) || super::objects::is_device(v),
    };
    if ok { Ok(()) } else { Err(None) }
}

// ---------------------------------------------------------------------------------------------
// Binding.

/// Arguments bound to one signature: one value per parameter (defaults filled in).
pub struct Bound<'s> {
    pub sig: &'s Signature,
    values: Vec<Value>,
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// CPython's list of names: `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`.
fn python_name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

fn extra_args(sig: &Signature, skip: usize, nargs: usize) -> PyErr {
    let params = &sig.params[skip..];
    let max_pos = params.iter().filter(|p| !p.kw_only).count();
    let min_pos = params
        .iter()
        .filter(|p| !p.kw_only && p.default.is_none())
        .count();
    if min_pos != max_pos {
        type_error(format!(
            "{}() takes from {} to {} positional arguments but {} were given",
            sig.name, min_pos, max_pos, nargs
        ))
    } else {
        type_error(format!(
            "{}() takes {} positional argument{} but {} {} given",
            sig.name,
            max_pos,
            plural(max_pos),
            nargs,
            if nargs == 1 { "was" } else { "were" }
        ))
    }
}

fn missing_args(sig: &Signature, missing: &[&'static str], kw_only: bool) -> PyErr {
    let n = missing.len();
    if sig.python_style {
        let kind = if kw_only {
            "keyword-only"
        } else {
            "positional"
        };
        type_error(format!(
            "{}() missing {} required {} argument{}: {}",
            sig.name,
            n,
            kind,
            plural(n),
            python_name_list(missing)
        ))
    } else {
        // PyTorch's parser pluralizes the wrong way round; we print what it prints.
        let names: Vec<String> = missing.iter().map(|m| format!("\"{m}\"")).collect();
        type_error(format!(
            "{}() missing {} required positional argument{}: {}",
            sig.name,
            n,
            if n == 1 { "s" } else { "" },
            names.join(", ")
        ))
    }
}

fn wrong_type(
    sig: &Signature,
    p: &Param,
    v: &Value,
    position: Option<usize>,
    failed: Option<usize>,
) -> PyErr {
    let ty = p.ty.display();
    if let (PType::TensorList, Some(idx)) = (p.ty, failed) {
        // PyTorch's tensor-list unpacking reports the element (argument index from 0).
        let arg = sig
            .params
            .iter()
            .position(|q| q.name == p.name)
            .unwrap_or(0);
        let elem = sequence_item(v, idx)
            .map(|e| e.type_name())
            .unwrap_or_default();
        return type_error(format!(
            "expected Tensor as element {idx} in argument {arg}, but got {elem}"
        ));
    }
    match (position, failed) {
        (None, _) => type_error(format!(
            "{}(): argument '{}' must be {}, not {}",
            sig.name,
            p.name,
            ty,
            v.type_name()
        )),
        (Some(pos), Some(idx)) => {
            let elem = sequence_item(v, idx)
                .map(|e| e.type_name())
                .unwrap_or_default();
            type_error(format!(
                "{}(): argument '{}' (position {}) must be {}, but found element of type {} at pos {}",
                sig.name, p.name, pos, ty, elem, idx
            ))
        }
        (Some(pos), None) => type_error(format!(
            "{}(): argument '{}' (position {}) must be {}, not {}",
            sig.name,
            p.name,
            pos,
            ty,
            v.type_name()
        )),
    }
}

fn sequence_item(v: &Value, i: usize) -> Option<Value> {
    match v {
        Value::Tuple(t) => t.get(i).cloned(),
        Value::List(l) => l.borrow().get(i).cloned(),
        _ => None,
    }
}

/// NumPy-style aliases PyTorch accepts for keyword names.
fn kw_matches(param: &str, given: &str) -> bool {
    param == given
        || matches!(
            (param, given),
            ("dim", "axis") | ("keepdim", "keepdims") | ("input", "x") | ("other", "x2")
        )
}

/// Binds `args` (plus `this`, the tensor a method is called on, bound to the first parameter)
/// to `sig`, or returns the error PyTorch would raise for this signature.
pub fn bind<'s>(sig: &'s Signature, args: &Args, this: Option<&Tensor>) -> PyResult<Bound<'s>> {
    let skip = usize::from(this.is_some());
    if sig.params.len() < skip {
        return Err(runtime_error(format!("{}() is not a method", sig.name)));
    }
    let mut values: Vec<Value> = Vec::with_capacity(sig.params.len());
    if let Some(t) = this {
        values.push(Value::Tensor(t.clone()));
    }
    let params = &sig.params[skip..];
    let nargs = args.pos.len();
    let max_pos = params.iter().filter(|p| !p.kw_only).count();
    // `view(2, 3)` means `view((2, 3))` when the only positional parameter is an int list.
    let varargs_ok =
        max_pos == 1 && matches!(params[0].ty, PType::IntList { .. } | PType::TensorList);
    if nargs > max_pos && !varargs_ok {
        return Err(extra_args(sig, skip, nargs));
    }
    let mut used_kw = vec![false; args.kw.len()];
    let mut arg_pos = 0usize;
    let mut missing: Vec<&'static str> = Vec::new();
    let mut missing_kw_only = false;
    for p in params {
        let mut is_kw = false;
        let obj: Option<Value> = if arg_pos < nargs {
            if p.kw_only {
                return Err(extra_args(sig, skip, nargs));
            }
            Some(args.pos[arg_pos].clone())
        } else {
            is_kw = true;
            match args.kw.iter().position(|(k, _)| kw_matches(p.name, k)) {
                Some(i) => {
                    used_kw[i] = true;
                    Some(args.kw[i].1.clone())
                }
                None => None,
            }
        };
        match obj {
            None => match &p.default {
                Some(d) => values.push(d.clone()),
                None if sig.python_style => {
                    missing.push(p.name);
                    missing_kw_only |= p.kw_only;
                    values.push(Value::None);
                }
                None => {
                    // PyTorch names every required parameter from the first missing one on.
                    let idx = values.len();
                    let names: Vec<&'static str> = sig.params[idx..]
                        .iter()
                        .filter(|q| q.default.is_none())
                        .map(|q| q.name)
                        .collect();
                    return Err(missing_args(sig, &names, false));
                }
            },
            Some(Value::None) if p.allow_none => values.push(Value::None),
            Some(v) => match check(p.ty, &v) {
                Ok(()) => values.push(v),
                Err(failed) => {
                    let varargs_eligible = varargs_ok && arg_pos == 0 && !is_kw;
                    if varargs_eligible {
                        let fits = |a: &Value| match p.ty {
                            PType::TensorList => matches!(a, Value::Tensor(_)),
                            _ => as_int(a).is_some(),
                        };
                        match args.pos.iter().position(|a| !fits(a)) {
                            None => {
                                values.push(Value::tuple(args.pos.clone()));
                                arg_pos = nargs;
                                continue;
                            }
                            // `zeros(2, "a")`: PyTorch reports the bad element of the varargs.
                            Some(idx) if fits(&v) => {
                                let all = Value::tuple(args.pos.clone());
                                return Err(wrong_type(sig, p, &all, Some(1), Some(idx)));
                            }
                            Some(_) => {}
                        }
                    }
                    let position = if is_kw { None } else { Some(arg_pos + 1) };
                    return Err(wrong_type(sig, p, &v, position, failed));
                }
            },
        }
        if !is_kw {
            arg_pos += 1;
        }
    }
    if !missing.is_empty() {
        return Err(missing_args(
            sig,
            &missing,
            missing_kw_only && sig.python_style,
        ));
    }
    if arg_pos < nargs {
        return Err(extra_args(sig, skip, nargs));
    }
    if let Some(i) = used_kw.iter().position(|u| !u) {
        let key = &args.kw[i].0;
        let pos_index = params.iter().position(|p| kw_matches(p.name, key));
        return Err(match pos_index {
            Some(idx)
                if idx < nargs
                    || args
                        .kw
                        .iter()
                        .filter(|(k, _)| kw_matches(params[idx].name, k))
                        .count()
                        > 1 =>
            {
                type_error(format!(
                    "{}() got multiple values for argument '{}'",
                    sig.name, key
                ))
            }
            _ => type_error(format!(
                "{}() got an unexpected keyword argument '{}'",
                sig.name, key
            )),
        });
    }
    Ok(Bound { sig, values })
}

/// Binds against several overloads in order, like PyTorch's `PythonArgParser::raw_parse`.
/// Returns the index of the overload that matched.
pub fn bind_overloads<'s>(
    sigs: &[&'s Signature],
    args: &Args,
    this: Option<&Tensor>,
) -> PyResult<(usize, Bound<'s>)> {
    let mut first_err = None;
    let mut errors = Vec::with_capacity(sigs.len());
    for (i, sig) in sigs.iter().enumerate() {
        match bind(sig, args, this) {
            Ok(b) => return Ok((i, b)),
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(e.clone());
                }
                errors.push(e);
            }
        }
    }
    if sigs.len() == 1 {
        return Err(first_err.unwrap_or_else(|| runtime_error("no signature")));
    }
    // With one plausible overload (by argument count), its own error is the most helpful.
    let skip = usize::from(this.is_some());
    let num_args = args.pos.len() + args.kw.len();
    let plausible: Vec<usize> = sigs
        .iter()
        .enumerate()
        .filter(|(_, s)| num_args >= s.min_args(skip) && num_args <= s.max_args(skip))
        .map(|(i, _)| i)
        .collect();
    if plausible.len() == 1 {
        return Err(errors.swap_remove(plausible[0]));
    }
    let name = sigs.first().map(|s| s.name).unwrap_or("function");
    Err(invalid_combination(name, sigs, args, skip))
}

/// `_argDesc` of PyTorch's invalid_arguments.cpp: `(Tensor, int, dim=str)`.
fn arg_desc(args: &Args) -> String {
    let mut parts: Vec<String> = args.pos.iter().map(|v| v.type_name()).collect();
    parts.extend(
        args.kw
            .iter()
            .map(|(k, v)| format!("{k}={}", v.type_name())),
    );
    let mut out = String::from("(");
    for p in &parts {
        out.push_str(p);
        out.push_str(", ");
    }
    // PyTorch trims the trailing ", " only when there are positional arguments.
    if !args.pos.is_empty() {
        out.truncate(out.len() - 2);
    }
    out.push(')');
    out
}

/// `_formattedArgDesc`: the arguments with the mismatching ones between `!`s.
fn formatted_arg_desc(params: &[Param], args: &Args) -> String {
    let mut parts = Vec::new();
    for (i, p) in params
        .iter()
        .enumerate()
        .take(args.pos.len() + args.kw.len())
    {
        let (prefix, v) = if i < args.pos.len() {
            (String::new(), args.pos.get(i))
        } else {
            (
                format!("{}=", p.name),
                args.kw.iter().find(|(k, _)| k == p.name).map(|(_, v)| v),
            )
        };
        let Some(v) = v else { continue };
        let ok = (p.allow_none && matches!(v, Value::None)) || check(p.ty, v).is_ok();
        let desc = match v {
            Value::Tuple(t) => {
                let inner: Vec<String> = t.iter().map(|x| x.type_name()).collect();
                let comma = if inner.len() == 1 { "," } else { "" };
                format!("tuple of ({}{comma})", inner.join(", "))
            }
            Value::List(l) => {
                let inner: Vec<String> = l.borrow().iter().map(|x| x.type_name()).collect();
                format!("list of [{}]", inner.join(", "))
            }
            other => other.type_name(),
        };
        parts.push(if ok {
            format!("{prefix}{desc}")
        } else {
            format!("!{prefix}{desc}!")
        });
    }
    format!("({})", parts.join(", "))
}

/// PyTorch's "received an invalid combination of arguments" listing (format_invalid_args).
fn invalid_combination(name: &str, sigs: &[&Signature], args: &Args, skip: usize) -> PyErr {
    let mut msg = format!(
        "{}() received an invalid combination of arguments - got {}, but expected one of:\n",
        name,
        arg_desc(args)
    );
    let num_got = args.pos.len() + args.kw.len();
    for s in sigs {
        let params = &s.params[skip..];
        msg.push_str(" * ");
        msg.push_str(&s.describe(skip));
        msg.push('\n');
        if params.len() != num_got {
            continue;
        }
        let start = params.len().saturating_sub(args.kw.len());
        let unmatched: Vec<&str> = args
            .kw
            .iter()
            .filter(|(k, _)| !params[start..].iter().any(|p| p.name == k))
            .map(|(k, _)| k.as_str())
            .collect();
        if unmatched.is_empty() {
            msg.push_str("      didn't match because some of the arguments have invalid types: ");
            msg.push_str(&formatted_arg_desc(params, args));
        } else {
            msg.push_str("      didn't match because some of the keywords were incorrect: ");
            msg.push_str(&unmatched.join(", "));
        }
        msg.push('\n');
    }
    type_error(msg)
}

fn internal(name: &str) -> PyErr {
    runtime_error(format!("internal error: bad argument access '{name}'"))
}

impl<'s> Bound<'s> {
    fn index(&self, name: &str) -> PyResult<usize> {
        self.sig
            .params
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| internal(name))
    }
    pub fn value(&self, name: &str) -> PyResult<Value> {
        Ok(self.values[self.index(name)?].clone())
    }
    pub fn is_none(&self, name: &str) -> PyResult<bool> {
        Ok(matches!(self.values[self.index(name)?], Value::None))
    }
    /// The first parameter as a tensor (the tensor a method was called on).
    pub fn this(&self) -> PyResult<Tensor> {
        match self.values.first() {
            Some(Value::Tensor(t)) => Ok(t.clone()),
            _ => Err(internal("self")),
        }
    }
    pub fn tensor(&self, name: &str) -> PyResult<Tensor> {
        self.opt_tensor(name)?.ok_or_else(|| internal(name))
    }
    pub fn opt_tensor(&self, name: &str) -> PyResult<Option<Tensor>> {
        match self.value(name)? {
            Value::Tensor(t) => Ok(Some(t)),
            Value::None => Ok(None),
            _ => Err(internal(name)),
        }
    }
    /// A `TensorLike` argument as a tensor; a Python number becomes a wrapped scalar next to `like`.
    pub fn tensor_like(&self, name: &str, like: &Tensor) -> PyResult<Tensor> {
        let v = self.value(name)?;
        super::convert::tensor_or_scalar(&v, like).ok_or_else(|| internal(name))
    }
    pub fn int(&self, name: &str) -> PyResult<i64> {
        self.opt_int(name)?.ok_or_else(|| internal(name))
    }
    pub fn opt_int(&self, name: &str) -> PyResult<Option<i64>> {
        let v = self.value(name)?;
        if matches!(v, Value::None) {
            return Ok(None);
        }
        as_int(&v).map(Some).ok_or_else(|| internal(name))
    }
    pub fn float(&self, name: &str) -> PyResult<f64> {
        self.opt_float(name)?.ok_or_else(|| internal(name))
    }
    pub fn opt_float(&self, name: &str) -> PyResult<Option<f64>> {
        let v = self.value(name)?;
        if matches!(v, Value::None) {
            return Ok(None);
        }
        as_f64(&v).map(Some).ok_or_else(|| internal(name))
    }
    pub fn scalar(&self, name: &str) -> PyResult<Scalar> {
        self.opt_scalar(name)?.ok_or_else(|| internal(name))
    }
    pub fn opt_scalar(&self, name: &str) -> PyResult<Option<Scalar>> {
        let v = self.value(name)?;
        if matches!(v, Value::None) {
            return Ok(None);
        }
        as_scalar(&v).map(Some).ok_or_else(|| internal(name))
    }
    pub fn bool(&self, name: &str) -> PyResult<bool> {
        match self.value(name)? {
            Value::Bool(b) => Ok(b),
            Value::None => Ok(false),
            Value::Int(i) => Ok(i != 0),
            _ => Err(internal(name)),
        }
    }
    /// An optional bool (`retain_graph=None`).
    pub fn opt_bool(&self, name: &str) -> PyResult<Option<bool>> {
        match self.value(name)? {
            Value::None => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::Int(i) => Ok(Some(i != 0)),
            _ => Err(internal(name)),
        }
    }
    pub fn int_list(&self, name: &str) -> PyResult<Vec<i64>> {
        self.opt_int_list(name)?.ok_or_else(|| internal(name))
    }
    pub fn opt_int_list(&self, name: &str) -> PyResult<Option<Vec<i64>>> {
        let v = self.value(name)?;
        if matches!(v, Value::None) {
            return Ok(None);
        }
        if let Some(i) = as_int(&v) {
            return Ok(Some(vec![i]));
        }
        as_int_list(&v).map(Some).map_err(|_| internal(name))
    }
    /// An `int[1]?` dim argument as isize dims (None = all dims).
    pub fn dims(&self, name: &str) -> PyResult<Option<Vec<isize>>> {
        Ok(self
            .opt_int_list(name)?
            .map(|d| d.into_iter().map(|x| x as isize).collect()))
    }
    pub fn dtype(&self, name: &str) -> PyResult<Option<DType>> {
        match self.value(name)? {
            Value::DType(d) => Ok(Some(d)),
            Value::None => Ok(None),
            _ => Err(internal(name)),
        }
    }
    pub fn str(&self, name: &str) -> PyResult<Option<String>> {
        match self.value(name)? {
            Value::Str(s) => Ok(Some(s.to_string())),
            Value::None => Ok(None),
            _ => Err(internal(name)),
        }
    }
    pub fn tensor_list(&self, name: &str) -> PyResult<Vec<Tensor>> {
        as_tensor_list(&self.value(name)?).ok_or_else(|| internal(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn args(pos: Vec<Value>, kw: Vec<(&str, Value)>) -> Args {
        Args {
            pos,
            kw: kw.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }
    }

    #[test]
    fn parses_types_defaults_and_keyword_only() {
        let s = Signature::parse(
            "sum(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)",
        );
        assert_eq!(s.name, "sum");
        assert!(!s.python_style);
        assert_eq!(s.params.len(), 4);
        assert_eq!(s.params[1].ty, PType::IntList { single: true });
        assert!(s.params[1].allow_none && s.params[1].default.is_none());
        assert!(matches!(s.params[2].default, Some(Value::Bool(false))));
        assert!(s.params[3].kw_only && !s.params[2].kw_only);
        assert_eq!(
            s.describe(0),
            "(Tensor input, tuple of ints dim, bool keepdim, *, torch.dtype dtype)"
        );
        let p =
            Signature::parse("def grad(outputs, inputs, grad_outputs=None, create_graph=False)");
        assert!(p.python_style);
        assert_eq!(p.params[0].ty, PType::Any);
        assert!(p.params[2].allow_none);
    }

    #[test]
    fn positional_keyword_and_alias_binding() {
        let s = Signature::parse(
            "sum(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)",
        );
        let b = bind(
            &s,
            &args(vec![Value::Int(1)], vec![("keepdims", Value::Bool(true))]),
            Some(&dummy()),
        )
        .unwrap();
        assert_eq!(b.int_list("dim").unwrap(), vec![1]);
        assert!(b.bool("keepdim").unwrap());
        assert_eq!(b.dtype("dtype").unwrap(), None);
        let b = bind(
            &s,
            &args(
                vec![],
                vec![("axis", Value::tuple(vec![Value::Int(0), Value::Int(-1)]))],
            ),
            Some(&dummy()),
        )
        .unwrap();
        assert_eq!(b.dims("dim").unwrap(), Some(vec![0, -1]));
    }

    fn dummy() -> Tensor {
        Tensor::new(crate::array::NdArray::from_vec(vec![1.0f32, 2.0], vec![2]))
    }

    #[test]
    fn varargs_int_list() {
        let s = Signature::parse(
            "ones(int[] size, *, ScalarType? dtype=None, bool requires_grad=False)",
        );
        let b = bind(&s, &args(vec![Value::Int(2), Value::Int(3)], vec![]), None).unwrap();
        assert_eq!(b.int_list("size").unwrap(), vec![2, 3]);
        let b = bind(
            &s,
            &args(vec![Value::tuple(vec![Value::Int(4)])], vec![]),
            None,
        )
        .unwrap();
        assert_eq!(b.int_list("size").unwrap(), vec![4]);
        let b = bind(
            &s,
            &args(
                vec![Value::Size(std::rc::Rc::new(vec![2, 2]))],
                vec![("dtype", Value::DType(DType::F64))],
            ),
            None,
        )
        .unwrap();
        assert_eq!(b.int_list("size").unwrap(), vec![2, 2]);
        assert_eq!(b.dtype("dtype").unwrap(), Some(DType::F64));
        // Method form: `view(*shape)` after self.
        let v = Signature::parse("view(Tensor self, int[] size)");
        let b = bind(&v, &args(vec![Value::Int(-1)], vec![]), Some(&dummy())).unwrap();
        assert_eq!(b.int_list("size").unwrap(), vec![-1]);
        // Not for a function with two positional parameters.
        let r = Signature::parse("reshape(Tensor input, int[] shape)");
        let e = bind(
            &r,
            &args(
                vec![Value::Tensor(dummy()), Value::Int(2), Value::Int(1)],
                vec![],
            ),
            None,
        )
        .err()
        .unwrap();
        assert_eq!(
            e.msg,
            "reshape() takes 2 positional arguments but 3 were given"
        );
    }

    #[test]
    fn pytorch_error_messages() {
        let s = Signature::parse(
            "sum(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)",
        );
        let e = bind(
            &s,
            &args(vec![], vec![("nope", Value::Int(1))]),
            Some(&dummy()),
        )
        .err()
        .unwrap();
        // dim is required in this overload, so PyTorch reports it missing first.
        assert_eq!(
            e.msg,
            "sum() missing 1 required positional arguments: \"dim\""
        );
        let e = bind(
            &s,
            &args(vec![Value::Int(0)], vec![("nope", Value::Int(1))]),
            Some(&dummy()),
        )
        .err()
        .unwrap();
        assert_eq!(e.kind, ErrorKind::TypeError);
        assert_eq!(e.msg, "sum() got an unexpected keyword argument 'nope'");
        let e = bind(&s, &args(vec![Value::str("a")], vec![]), Some(&dummy()))
            .err()
            .unwrap();
        assert_eq!(
            e.msg,
            "sum(): argument 'dim' (position 1) must be tuple of ints, not str"
        );
        let e = bind(
            &s,
            &args(vec![Value::Int(0)], vec![("keepdim", Value::str("x"))]),
            Some(&dummy()),
        )
        .err()
        .unwrap();
        assert_eq!(e.msg, "sum(): argument 'keepdim' must be bool, not str");
        let e = bind(
            &s,
            &args(
                vec![Value::tuple(vec![Value::Int(0), Value::Float(1.5)])],
                vec![],
            ),
            Some(&dummy()),
        )
        .err()
        .unwrap();
        assert_eq!(
            e.msg,
            "sum(): argument 'dim' (position 1) must be tuple of ints, but found element of type float at pos 1"
        );
        let e = bind(
            &s,
            &args(vec![Value::Int(0)], vec![("dim", Value::Int(1))]),
            Some(&dummy()),
        )
        .err()
        .unwrap();
        assert_eq!(e.msg, "sum() got multiple values for argument 'dim'");
        let e = bind(
            &s,
            &args(
                vec![Value::Int(0), Value::Bool(true), Value::Int(3)],
                vec![],
            ),
            Some(&dummy()),
        )
        .err()
        .unwrap();
        assert_eq!(
            e.msg,
            "sum() takes from 1 to 2 positional arguments but 3 were given"
        );
    }

    #[test]
    fn python_style_messages() {
        let s = Signature::parse("def grad(outputs, inputs, grad_outputs=None, retain_graph=None)");
        let e = bind(&s, &args(vec![Value::Int(1)], vec![]), None)
            .err()
            .unwrap();
        assert_eq!(
            e.msg,
            "grad() missing 1 required positional argument: 'inputs'"
        );
        let e = bind(&s, &args(vec![], vec![]), None).err().unwrap();
        assert_eq!(
            e.msg,
            "grad() missing 2 required positional arguments: 'outputs' and 'inputs'"
        );
        let e = bind(
            &s,
            &args(
                vec![Value::Int(1), Value::Int(2)],
                vec![("foo", Value::None)],
            ),
            None,
        )
        .err()
        .unwrap();
        assert_eq!(e.msg, "grad() got an unexpected keyword argument 'foo'");
        let many = (0..5).map(Value::Int).collect();
        let e = bind(&s, &args(many, vec![]), None).err().unwrap();
        assert_eq!(
            e.msg,
            "grad() takes from 2 to 4 positional arguments but 5 were given"
        );
        let b = bind(
            &s,
            &args(vec![Value::Int(1)], vec![("inputs", Value::Int(2))]),
            None,
        )
        .unwrap();
        assert!(matches!(b.value("inputs").unwrap(), Value::Int(2)));
        assert_eq!(b.opt_bool("retain_graph").unwrap(), None);
    }

    #[test]
    fn overloads_pick_the_first_match_or_list_all() {
        let a = Signature::parse("max(Tensor input)");
        let b = Signature::parse("max(Tensor input, int dim, bool keepdim=False)");
        let c = Signature::parse("max(Tensor input, Tensor other)");
        let sigs = [&a, &b, &c];
        let t = dummy();
        let (i, _) = bind_overloads(&sigs, &args(vec![], vec![]), Some(&t)).unwrap();
        assert_eq!(i, 0);
        let (i, bd) = bind_overloads(
            &sigs,
            &args(vec![Value::Int(0)], vec![("keepdim", Value::Bool(true))]),
            Some(&t),
        )
        .unwrap();
        assert_eq!(i, 1);
        assert!(bd.bool("keepdim").unwrap());
        let (i, _) = bind_overloads(
            &sigs,
            &args(vec![Value::Tensor(t.clone())], vec![]),
            Some(&t),
        )
        .unwrap();
        assert_eq!(i, 2);
        let e = bind_overloads(&sigs, &args(vec![Value::str("x")], vec![]), Some(&t))
            .err()
            .unwrap();
        assert!(e.msg.starts_with(
            "max() received an invalid combination of arguments - got (str), but expected one of:"
        ));
        assert!(e.msg.contains("\n * (Tensor other)"));
    }

    #[test]
    fn scalar_and_int_checks_follow_pytorch() {
        assert_eq!(as_int(&Value::Bool(true)), None);
        assert_eq!(as_int(&Value::Int(3)), Some(3));
        assert_eq!(as_f64(&Value::Int(3)), Some(3.0));
        assert_eq!(as_f64(&Value::Bool(true)), Some(1.0));
        let zero_d = Tensor::new(crate::array::NdArray::from_vec(vec![7i64], vec![]));
        assert_eq!(as_int(&Value::Tensor(zero_d)), Some(7));
        assert_eq!(
            as_int_list(&Value::list(vec![Value::Int(1), Value::str("a")])),
            Err(Some(1))
        );
        assert_eq!(as_int_list(&Value::Int(1)), Err(None));
    }
}
