//! Expressions: names, operators, calls, subscripts, comprehensions and f-strings.

use super::attrs;
use super::format::format_value;
use super::interp::{Env, Frame, Interp};
use super::ops;
use super::subscript;
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error};
use crate::syntax::ast::*;
use std::cell::RefCell;
use std::rc::Rc;

impl Interp {
    /// Evaluates an expression; errors get this expression's span unless an inner one has it.
    pub(crate) fn eval(&mut self, e: &Expr, env: &Env) -> PyResult<Value> {
        self.eval_inner(e, env).map_err(|err| err.with_span(e.span))
    }

    fn eval_inner(&mut self, e: &Expr, env: &Env) -> PyResult<Value> {
        Ok(match &e.kind {
            ExprKind::Name(n) => self.lookup(n, env)?,
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::FString(parts) => Value::str(&self.fstring(parts, env)?),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Ellipsis => Value::Ellipsis,
            ExprKind::List(items) => Value::list(self.eval_items(items, env)?),
            ExprKind::Tuple(items) => Value::tuple(self.eval_items(items, env)?),
            ExprKind::Set(items) => {
                let items = self.eval_items(items, env)?;
                super::set::make_set(self, items)?
            }
            ExprKind::Dict(items) => {
                let d = Rc::new(RefCell::new(Vec::with_capacity(items.len())));
                for (k, v) in items {
                    match k {
                        Some(k) => {
                            let key = self.eval(k, env)?;
                            let val = self.eval(v, env)?;
                            ops::dict_set(self, &d, key, val)
                                .map_err(|err| err.with_span(k.span))?;
                        }
                        None => {
                            let m = self.eval(v, env)?;
                            let Value::Dict(src) = &m else {
                                return Err(type_error(format!(
                                    "'{}' object is not a mapping",
                                    m.type_name()
                                )));
                            };
                            let pairs = src.borrow().clone();
                            for (key, val) in pairs {
                                ops::dict_set(self, &d, key, val)?;
                            }
                        }
                    }
                }
                Value::Dict(d)
            }
            ExprKind::Starred(_) => {
                return Err(PyErr::new(
                    ErrorKind::SyntaxError,
                    "can't use starred expression here",
                ));
            }
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(obj, env)?;
                attrs::get_attr(self, &o, name)?
            }
            ExprKind::Subscript(obj, index) => {
                let o = self.eval(obj, env)?;
                let i = self.eval_index(index, env)?;
                subscript::getitem(self, &o, &i)?
            }
            ExprKind::Slice(..) => self.eval_index(e, env)?,
            ExprKind::Call(func, args) => {
                // `obj.method(...)` on an instance calls the function found on the class with
                // the receiver prepended: no bound method is made.
                if let ExprKind::Attribute(obj, name) = &func.kind {
                    let o = self.eval(obj, env)?;
                    if let Value::Instance(inst) = &o
                        && let Some(f) = super::descr::plain_method(inst, name)
                    {
                        let args = self.eval_args_after(o.clone(), args, env)?;
                        return self.call_user(&f, args);
                    }
                    let f = attrs::get_attr(self, &o, name).map_err(|e| e.with_span(func.span))?;
                    let args = self.eval_args(args, env)?;
                    return self.call_value(&f, args);
                }
                if args.is_empty()
                    && let ExprKind::Name(n) = &func.kind
                    && &**n == "super"
                {
                    let f = self.eval(func, env)?;
                    if matches!(&f, Value::Class(c) if c.builtin && &*c.name == "super") {
                        return self.zero_arg_super(env);
                    }
                    return self.call_value(&f, Args::default());
                }
                let f = self.eval(func, env)?;
                let args = self.eval_args(args, env)?;
                self.call_value(&f, args)?
            }
            ExprKind::Unary(op, operand) => {
                let v = self.eval(operand, env)?;
                if let Value::Instance(_) = &v {
                    return super::special::unary(self, *op, &v);
                }
                match op {
                    UnaryOp::Not => Value::Bool(!self.truthy(&v)?),
                    UnaryOp::Neg => ops::unary("-", &v)?,
                    UnaryOp::Pos => ops::unary("+", &v)?,
                    UnaryOp::Invert => ops::unary("~", &v)?,
                }
            }
            ExprKind::Binary(op, l, r) => {
                let a = self.eval(l, env)?;
                let b = self.eval(r, env)?;
                if matches!(a, Value::Instance(_)) || matches!(b, Value::Instance(_)) {
                    return super::special::binary(self, *op, &a, &b);
                }
                ops::binary(self, op.symbol(), &a, &b)?
            }
            ExprKind::BoolOp(op, l, r) => {
                let a = self.eval(l, env)?;
                let t = self.truthy(&a).map_err(|err| err.with_span(l.span))?;
                match (op, t) {
                    (BoolOp::And, false) | (BoolOp::Or, true) => a,
                    _ => self.eval(r, env)?,
                }
            }
            ExprKind::Compare(first, rest) => {
                let mut left = self.eval(first, env)?;
                let mut result = Value::Bool(true);
                for (i, (op, right_expr)) in rest.iter().enumerate() {
                    let right = self.eval(right_expr, env)?;
                    result = self.compare(*op, &left, &right)?;
                    if i + 1 < rest.len() && !self.truthy(&result)? {
                        return Ok(result);
                    }
                    left = right;
                }
                result
            }
            ExprKind::IfExp(cond, body, orelse) => {
                let c = self.eval(cond, env)?;
                if self.truthy(&c).map_err(|err| err.with_span(cond.span))? {
                    self.eval(body, env)?
                } else {
                    self.eval(orelse, env)?
                }
            }
            ExprKind::Lambda(def) => self.make_function(def, env)?,
            ExprKind::ListComp(elt, comps) | ExprKind::GenExp(elt, comps) => {
                let mut out = Vec::new();
                let frame = self.comp_frame(env);
                self.comprehension(comps, &frame, &mut |interp, env| {
                    out.push(interp.eval(elt, env)?);
                    Ok(())
                })?;
                Value::list(out)
            }
            ExprKind::SetComp(elt, comps) => {
                let mut out = Vec::new();
                let frame = self.comp_frame(env);
                self.comprehension(comps, &frame, &mut |interp, env| {
                    out.push(interp.eval(elt, env)?);
                    Ok(())
                })?;
                super::set::make_set(self, out)?
            }
            ExprKind::DictComp(k, v, comps) => {
                let d = Rc::new(RefCell::new(Vec::new()));
                let frame = self.comp_frame(env);
                self.comprehension(comps, &frame, &mut |interp, env| {
                    let key = interp.eval(k, env)?;
                    let val = interp.eval(v, env)?;
                    ops::dict_set(interp, &d, key, val)
                })?;
                Value::Dict(d)
            }
            ExprKind::Yield(value) => {
                let v = match value {
                    Some(e) => self.eval(e, env)?,
                    None => Value::None,
                };
                super::generator::yield_value(self, v)?
            }
            ExprKind::YieldFrom(it) => {
                let v = self.eval(it, env)?;
                super::generator::yield_from(self, v)?
            }
            ExprKind::NamedExpr(name, value) => {
                let v = self.eval(value, env)?;
                self.store_walrus(name, v.clone(), env)?;
                v
            }
        })
    }

    fn eval_items(&mut self, items: &[Expr], env: &Env) -> PyResult<Vec<Value>> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let ExprKind::Starred(inner) = &item.kind {
                let v = self.eval(inner, env)?;
                out.extend(ops::iterate(self, &v).map_err(|e| e.with_span(inner.span))?);
            } else {
                out.push(self.eval(item, env)?);
            }
        }
        Ok(out)
    }

    /// A subscript's index value: slices become `Value::Slice`, `a[i, j]` a tuple.
    pub(crate) fn eval_index(&mut self, e: &Expr, env: &Env) -> PyResult<Value> {
        match &e.kind {
            ExprKind::Slice(lo, hi, step) => {
                let mut part = |p: &Option<Box<Expr>>| -> PyResult<Value> {
                    match p {
                        Some(x) => self.eval(x, env),
                        None => Ok(Value::None),
                    }
                };
                let (a, b, c) = (part(lo)?, part(hi)?, part(step)?);
                Ok(Value::Slice(Rc::new((a, b, c))))
            }
            ExprKind::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let ExprKind::Starred(inner) = &item.kind {
                        let v = self.eval(inner, env)?;
                        out.extend(ops::iterate(self, &v)?);
                    } else {
                        out.push(self.eval_index(item, env)?);
                    }
                }
                Ok(Value::tuple(out))
            }
            _ => self.eval(e, env),
        }
    }

    pub(crate) fn eval_args(&mut self, args: &[Arg], env: &Env) -> PyResult<Args> {
        self.eval_args_into(Args::default(), args, env)
    }

    /// Call arguments with `first` (a method's receiver) in front.
    pub(crate) fn eval_args_after(
        &mut self,
        first: Value,
        args: &[Arg],
        env: &Env,
    ) -> PyResult<Args> {
        let mut out = Args::default();
        out.pos.reserve(args.len() + 1);
        out.pos.push(first);
        self.eval_args_into(out, args, env)
    }

    fn eval_args_into(&mut self, mut out: Args, args: &[Arg], env: &Env) -> PyResult<Args> {
        for a in args {
            match a {
                Arg::Pos(e) => out.pos.push(self.eval(e, env)?),
                Arg::Star(e) => {
                    let v = self.eval(e, env)?;
                    let items = ops::iterate(self, &v).map_err(|err| {
                        type_error(format!(
                            "Value after * must be an iterable, not {}",
                            v.type_name()
                        ))
                        .with_span(e.span)
                        .with_span(err.span.unwrap_or(e.span))
                    })?;
                    out.pos.extend(items);
                }
                Arg::Kw(name, e) => {
                    let v = self.eval(e, env)?;
                    out.kw.push((name.to_string(), v));
                }
                Arg::DoubleStar(e) => {
                    let v = self.eval(e, env)?;
                    let Value::Dict(d) = &v else {
                        return Err(type_error(format!(
                            "argument after ** must be a mapping, not {}",
                            v.type_name()
                        ))
                        .with_span(e.span));
                    };
                    for (k, val) in d.borrow().iter() {
                        let Value::Str(k) = k else {
                            return Err(type_error("keywords must be strings").with_span(e.span));
                        };
                        if out.kw.iter().any(|(n, _)| **n == **k) {
                            return Err(type_error(format!(
                                "got multiple values for keyword argument '{k}'"
                            ))
                            .with_span(e.span));
                        }
                        out.kw.push((k.to_string(), val.clone()));
                    }
                }
            }
        }
        Ok(out)
    }

    fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
        Ok(match op {
            CmpOp::Is => Value::Bool(ops::is_same(a, b)),
            CmpOp::IsNot => Value::Bool(!ops::is_same(a, b)),
            CmpOp::In => Value::Bool(ops::contains(self, b, a)?),
            CmpOp::NotIn => Value::Bool(!ops::contains(self, b, a)?),
            _ => ops::compare(self, op.symbol(), a, b)?,
        })
    }

    fn comp_frame(&self, env: &Env) -> Rc<Frame> {
        let qualname = env
            .as_ref()
            .map(|f| f.qualname.clone())
            .unwrap_or_else(|| Rc::from(""));
        Frame::new(None, qualname, env.clone())
    }

    /// Runs the nested `for`/`if` clauses, calling `body` for each innermost binding.
    fn comprehension(
        &mut self,
        comps: &[Comprehension],
        frame: &Rc<Frame>,
        body: &mut dyn FnMut(&mut Interp, &Env) -> PyResult<()>,
    ) -> PyResult<()> {
        let Some((first, rest)) = comps.split_first() else {
            return body(self, &Some(frame.clone()));
        };
        let env = Some(frame.clone());
        let it = self.eval(&first.iter, &env)?;
        let items = ops::iterate(self, &it).map_err(|e| e.with_span(first.iter.span))?;
        'items: for item in items {
            if crate::eval::take_interrupt() {
                return Err(PyErr::new(ErrorKind::KeyboardInterrupt, ""));
            }
            self.assign(&first.target, item, &env)?;
            for cond in &first.ifs {
                let c = self.eval(cond, &env)?;
                if !self.truthy(&c).map_err(|e| e.with_span(cond.span))? {
                    continue 'items;
                }
            }
            self.comprehension(rest, frame, body)?;
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &[FPart], env: &Env) -> PyResult<String> {
        let mut out = String::new();
        for p in parts {
            match p {
                FPart::Lit(s) => out.push_str(s),
                FPart::Expr {
                    expr,
                    conversion,
                    spec,
                    debug_text,
                } => {
                    let v = self.eval(expr, env)?;
                    if let Some(t) = debug_text {
                        out.push_str(t);
                    }
                    let spec_text = match spec {
                        Some(s) => self.fstring(s, env)?,
                        None => String::new(),
                    };
                    // `{x=}` without a conversion or spec shows the repr.
                    let conversion = match (conversion, debug_text, spec) {
                        (None, Some(_), None) => Some('r'),
                        (c, _, _) => *c,
                    };
                    let v = match conversion {
                        Some('r') | Some('a') => Value::str(&self.repr(&v)?),
                        Some('s') => Value::str(&self.str(&v)?),
                        _ => v,
                    };
                    let text =
                        format_value(self, &v, &spec_text).map_err(|e| e.with_span(expr.span))?;
                    out.push_str(&text);
                }
            }
        }
        Ok(out)
    }

    /// Name lookup: locals → enclosing scopes → globals → builtins.
    pub(crate) fn lookup(&mut self, name: &Name, env: &Env) -> PyResult<Value> {
        let mut f = env.clone();
        let mut innermost_function = true;
        while let Some(frame) = f {
            if let Some(v) = frame.vars.borrow().get(name) {
                return Ok(v.clone());
            }
            if let Some(def) = &frame.def {
                if def.scope.globals.contains(name) {
                    break;
                }
                if innermost_function && def.scope.locals.contains(name) {
                    return Err(PyErr::new(
                        ErrorKind::UnboundLocalError,
                        format!(
                            "cannot access local variable '{name}' where it is not associated with a value"
                        ),
                    ));
                }
                innermost_function = false;
            }
            f = frame.parent.clone();
        }
        if let Some(v) = self.globals.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.builtins.get(name) {
            return Ok(v.clone());
        }
        Err(PyErr::new(
            ErrorKind::NameError,
            format!("name '{name}' is not defined"),
        ))
    }
}
