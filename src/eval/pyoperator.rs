//! Python's `operator` module: the operators as functions (through the same dispatch as the
//! syntax, so user classes' special methods and tensors work), and `itemgetter`,
//! `attrgetter`, `methodcaller`.

use super::interp::Interp;
use super::modules::make_module;
use super::value::{Args, Value};
use crate::error::{PyResult, type_error};
use crate::syntax::ast::UnaryOp;

fn exactly(fname: &str, args: &Args, n: usize) -> PyResult<()> {
    if !args.kw.is_empty() {
        return Err(type_error(format!("{fname}() takes no keyword arguments")));
    }
    if args.pos.len() != n {
        return Err(type_error(format!(
            "{fname} expected {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            args.pos.len()
        )));
    }
    Ok(())
}

fn unary(interp: &mut Interp, op: UnaryOp, v: &Value) -> PyResult<Value> {
    if let Value::Instance(_) = v {
        return super::special::unary(interp, op, v);
    }
    let sym = match op {
        UnaryOp::Neg => "-",
        UnaryOp::Pos => "+",
        UnaryOp::Invert => "~",
        UnaryOp::Not => return Ok(Value::Bool(!super::ops::truthy(interp, v)?)),
    };
    super::ops::unary(sym, v)
}

fn binary_fn(name: &'static str, sym: &'static str) -> (&'static str, Value) {
    (
        name,
        Value::native(name, move |interp, args| {
            exactly(name, &args, 2)?;
            super::ops::binary(interp, sym, &args.pos[0], &args.pos[1])
        }),
    )
}

fn compare_fn(name: &'static str, sym: &'static str) -> (&'static str, Value) {
    (
        name,
        Value::native(name, move |interp, args| {
            exactly(name, &args, 2)?;
            super::ops::compare(interp, sym, &args.pos[0], &args.pos[1])
        }),
    )
}

fn unary_fn(name: &'static str, op: UnaryOp) -> (&'static str, Value) {
    (
        name,
        Value::native(name, move |interp, args| {
            exactly(name, &args, 1)?;
            unary(interp, op, &args.pos[0])
        }),
    )
}

/// A dotted attribute path (`attrgetter("a.b")`).
fn get_path(interp: &mut Interp, obj: &Value, path: &str) -> PyResult<Value> {
    let mut cur = obj.clone();
    for part in path.split('.') {
        cur = super::attrs::get_attr(interp, &cur, part)?;
    }
    Ok(cur)
}

fn getters(items: Vec<Value>, results: Vec<Value>) -> Value {
    if items.len() == 1 {
        results.into_iter().next().unwrap_or(Value::None)
    } else {
        Value::tuple(results)
    }
}

pub fn module() -> Value {
    let mut attrs = vec![
        binary_fn("add", "+"),
        binary_fn("sub", "-"),
        binary_fn("mul", "*"),
        binary_fn("matmul", "@"),
        binary_fn("truediv", "/"),
        binary_fn("floordiv", "//"),
        binary_fn("mod", "%"),
        binary_fn("pow", "**"),
        binary_fn("lshift", "<<"),
        binary_fn("rshift", ">>"),
        binary_fn("and_", "&"),
        binary_fn("or_", "|"),
        binary_fn("xor", "^"),
        binary_fn("concat", "+"),
        compare_fn("eq", "=="),
        compare_fn("ne", "!="),
        compare_fn("lt", "<"),
        compare_fn("le", "<="),
        compare_fn("gt", ">"),
        compare_fn("ge", ">="),
        unary_fn("neg", UnaryOp::Neg),
        unary_fn("pos", UnaryOp::Pos),
        unary_fn("invert", UnaryOp::Invert),
        unary_fn("inv", UnaryOp::Invert),
        unary_fn("not_", UnaryOp::Not),
    ];
    attrs.push((
        "truth",
        Value::native("truth", |interp, args| {
            exactly("truth", &args, 1)?;
            Ok(Value::Bool(super::ops::truthy(interp, &args.pos[0])?))
        }),
    ));
    attrs.push((
        "abs",
        Value::native("abs", |interp, args| {
            exactly("abs", &args, 1)?;
            let f = interp
                .get_builtin("abs")
                .ok_or_else(|| type_error("abs is missing"))?;
            interp.call_value(&f, args)
        }),
    ));
    attrs.push((
        "index",
        Value::native("index", |_, args| {
            exactly("index", &args, 1)?;
            Ok(Value::Int(super::args::as_int(&args.pos[0])?))
        }),
    ));
    attrs.push((
        "is_",
        Value::native("is_", |_, args| {
            exactly("is_", &args, 2)?;
            Ok(Value::Bool(super::ops::is_same(&args.pos[0], &args.pos[1])))
        }),
    ));
    attrs.push((
        "is_not",
        Value::native("is_not", |_, args| {
            exactly("is_not", &args, 2)?;
            Ok(Value::Bool(!super::ops::is_same(
                &args.pos[0],
                &args.pos[1],
            )))
        }),
    ));
    attrs.push((
        "contains",
        Value::native("contains", |interp, args| {
            exactly("contains", &args, 2)?;
            Ok(Value::Bool(super::ops::contains(
                interp,
                &args.pos[0],
                &args.pos[1],
            )?))
        }),
    ));
    attrs.push((
        "getitem",
        Value::native("getitem", |interp, args| {
            exactly("getitem", &args, 2)?;
            super::subscript::getitem(interp, &args.pos[0], &args.pos[1])
        }),
    ));
    attrs.push((
        "setitem",
        Value::native("setitem", |interp, args| {
            exactly("setitem", &args, 3)?;
            super::subscript::setitem(interp, &args.pos[0], &args.pos[1], args.pos[2].clone())?;
            Ok(Value::None)
        }),
    ));
    attrs.push((
        "delitem",
        Value::native("delitem", |interp, args| {
            exactly("delitem", &args, 2)?;
            super::subscript::delitem(interp, &args.pos[0], &args.pos[1])?;
            Ok(Value::None)
        }),
    ));
    attrs.push((
        "itemgetter",
        Value::native("itemgetter", |_, args| {
            if args.pos.is_empty() {
                return Err(type_error("itemgetter expected 1 argument, got 0"));
            }
            let items = args.pos;
            Ok(Value::native("operator.itemgetter", move |interp, a| {
                exactly("itemgetter", &a, 1)?;
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    out.push(super::subscript::getitem(interp, &a.pos[0], item)?);
                }
                Ok(getters(items.clone(), out))
            }))
        }),
    ));
    attrs.push((
        "attrgetter",
        Value::native("attrgetter", |_, args| {
            if args.pos.is_empty() {
                return Err(type_error("attrgetter expected 1 argument, got 0"));
            }
            let mut names = Vec::new();
            for v in &args.pos {
                match v {
                    Value::Str(s) => names.push(s.to_string()),
                    _ => return Err(type_error("attribute name must be a string")),
                }
            }
            let items = args.pos;
            Ok(Value::native("operator.attrgetter", move |interp, a| {
                exactly("attrgetter", &a, 1)?;
                let mut out = Vec::with_capacity(names.len());
                for n in &names {
                    out.push(get_path(interp, &a.pos[0], n)?);
                }
                Ok(getters(items.clone(), out))
            }))
        }),
    ));
    attrs.push((
        "methodcaller",
        Value::native("methodcaller", |_, mut args| {
            if args.pos.is_empty() {
                return Err(type_error(
                    "methodcaller needs at least one argument, the method name",
                ));
            }
            let name = match args.pos.remove(0) {
                Value::Str(s) => s.to_string(),
                _ => return Err(type_error("method name must be a string")),
            };
            let bound = args;
            Ok(Value::native("operator.methodcaller", move |interp, a| {
                exactly("methodcaller", &a, 1)?;
                let m = super::attrs::get_attr(interp, &a.pos[0], &name)?;
                interp.call_value(&m, bound.clone())
            }))
        }),
    ));
    make_module("operator", attrs)
}
