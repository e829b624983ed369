//! Statements: assignment and unpacking, control flow, functions, exceptions, `with`, imports.

use super::attrs;
use super::exceptions;
use super::interp::{Env, Interp, UserFunction};
use super::ops;
use super::special;
use super::subscript;
use super::value::{Args, Value};
use crate::error::{ErrorKind, PyErr, PyResult, type_error, value_error};
use crate::syntax::ast::*;
use std::rc::Rc;

/// How a statement finished.
pub enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

fn interrupted() -> PyResult<()> {
    if crate::eval::take_interrupt() {
        return Err(PyErr::new(ErrorKind::KeyboardInterrupt, ""));
    }
    Ok(())
}

/// Lazily produced loop items, so `for i in range(10**9): break` costs nothing.
enum LoopItems {
    Range(i64, i64, i64),
    Items(std::vec::IntoIter<Value>),
}

impl Iterator for LoopItems {
    type Item = Value;
    fn next(&mut self) -> Option<Value> {
        match self {
            LoopItems::Range(cur, stop, step) => {
                if (*step > 0 && *cur < *stop) || (*step < 0 && *cur > *stop) {
                    let v = *cur;
                    // Past i64 the range is exhausted (Python ints would go on; ranges never do).
                    *cur = cur.checked_add(*step).unwrap_or(*stop);
                    Some(Value::Int(v))
                } else {
                    None
                }
            }
            LoopItems::Items(it) => it.next(),
        }
    }
}

impl Interp {
    pub(crate) fn exec_block(&mut self, body: &[Stmt], env: &Env) -> PyResult<Flow> {
        for stmt in body {
            match self.exec(stmt, env)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    pub(crate) fn exec(&mut self, stmt: &Stmt, env: &Env) -> PyResult<Flow> {
        self.exec_inner(stmt, env)
            .map_err(|e| e.with_span(stmt.span))
    }

    fn exec_inner(&mut self, stmt: &Stmt, env: &Env) -> PyResult<Flow> {
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.eval(e, env)?;
            }
            StmtKind::Assign(targets, value) => {
                let v = self.eval(value, env)?;
                for t in targets {
                    self.assign(t, v.clone(), env)?;
                }
            }
            StmtKind::AugAssign(target, op, value) => self.aug_assign(target, *op, value, env)?,
            StmtKind::AnnAssign(target, _, value) => {
                if let Some(value) = value {
                    let v = self.eval(value, env)?;
                    self.assign(target, v, env)?;
                }
            }
            StmtKind::Pass => {}
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval(e, env)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Del(targets) => {
                for t in targets {
                    self.delete(t, env)?;
                }
            }
            StmtKind::If(test, body, orelse) => {
                let c = self.eval(test, env)?;
                let branch = if self.truthy(&c).map_err(|e| e.with_span(test.span))? {
                    body
                } else {
                    orelse
                };
                return self.exec_block(branch, env);
            }
            StmtKind::While(test, body, orelse) => loop {
                interrupted()?;
                let c = self.eval(test, env)?;
                if !self.truthy(&c).map_err(|e| e.with_span(test.span))? {
                    return self.exec_block(orelse, env);
                }
                match self.exec_block(body, env)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
            },
            StmtKind::For(target, iter, body, orelse) => {
                let it = self.eval(iter, env)?;
                let items = match it {
                    Value::Range(a, b, c) => LoopItems::Range(a, b, c),
                    other => LoopItems::Items(
                        ops::iterate(self, &other)
                            .map_err(|e| e.with_span(iter.span))?
                            .into_iter(),
                    ),
                };
                for item in items {
                    interrupted()?;
                    self.assign(target, item, env)?;
                    match self.exec_block(body, env)? {
                        Flow::Break => return Ok(Flow::Normal),
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                return self.exec_block(orelse, env);
            }
            StmtKind::FuncDef(def) => {
                let mut f = self.make_function(def, env)?;
                for dec in def.decorators.iter().rev() {
                    let d = self.eval(dec, env)?;
                    f = self
                        .call_value(&d, Args::new(vec![f]))
                        .map_err(|e| e.with_span(dec.span))?;
                }
                self.store_name(&def.name, f, env)?;
            }
            StmtKind::ClassDef(def) => self.exec_classdef(def, env)?,
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Assert(test, msg) => {
                let c = self.eval(test, env)?;
                if !self.truthy(&c)? {
                    let text = match msg {
                        Some(m) => {
                            let v = self.eval(m, env)?;
                            self.str(&v)?
                        }
                        None => String::new(),
                    };
                    return Err(PyErr::new(ErrorKind::AssertionError, text).with_span(test.span));
                }
            }
            StmtKind::Raise(exc, cause) => {
                return Err(self.raise(exc.as_ref(), cause.as_ref(), env)?);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => return self.exec_try(body, handlers, orelse, finalbody, env),
            StmtKind::With(items, body) => return self.exec_with(items, body, env),
            StmtKind::Import(names) => {
                for n in names {
                    let module = super::modules::import(self, &n.module)?;
                    match &n.asname {
                        Some(a) => self.store_name(a, module, env)?,
                        None => {
                            let top = n.module.split('.').next().unwrap_or("");
                            let top_module = super::modules::import(self, top)?;
                            self.store_name(&Rc::from(top), top_module, env)?;
                        }
                    }
                }
            }
            StmtKind::ImportFrom(module_name, names) => {
                let module = super::modules::import(self, module_name)?;
                match names {
                    Some(names) => {
                        for (n, asname) in names {
                            let v = super::modules::import_from(self, &module, module_name, n)?;
                            self.store_name(asname.as_ref().unwrap_or(n), v, env)?;
                        }
                    }
                    None => {
                        if let Value::Module(m) = &module {
                            let attrs: Vec<(String, Value)> = m
                                .attrs
                                .borrow()
                                .iter()
                                .filter(|(k, _)| !k.starts_with('_'))
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect();
                            for (k, v) in attrs {
                                self.store_name(&Rc::from(k.as_str()), v, env)?;
                            }
                        }
                    }
                }
            }
        }
        Ok(Flow::Normal)
    }

    /// Builds the function value for a `def` or `lambda` (defaults are evaluated now).
    pub(crate) fn make_function(&mut self, def: &Rc<FuncDef>, env: &Env) -> PyResult<Value> {
        let mut defaults = Vec::with_capacity(def.params.len());
        for p in &def.params {
            defaults.push(match &p.default {
                Some(d) => Some(self.eval(d, env)?),
                None => None,
            });
        }
        let qualname = match env {
            Some(frame) if frame.class_body => format!("{}.{}", frame.qualname, def.name),
            Some(frame) if frame.def.is_some() || !frame.qualname.is_empty() => {
                format!("{}.<locals>.{}", frame.qualname, def.name)
            }
            _ => def.name.to_string(),
        };
        // Methods do not see the class body's names; they get its `__class__` cell instead.
        let (closure, class_cell) = match env {
            Some(frame) if frame.class_body => (frame.parent.clone(), frame.class_cell.clone()),
            Some(frame) => (env.clone(), frame.class_cell.clone()),
            None => (None, None),
        };
        Ok(Value::Function(Rc::new(UserFunction {
            name: def.name.to_string(),
            qualname,
            def: def.clone(),
            defaults,
            closure,
            cell: self.cell,
            class_cell,
        })))
    }

    fn raise(&mut self, exc: Option<&Expr>, cause: Option<&Expr>, env: &Env) -> PyResult<PyErr> {
        let Some(exc) = exc else {
            return Ok(match self.handling.last() {
                Some(e) => {
                    let mut e = e.clone();
                    e.span = None;
                    e
                }
                None => PyErr::new(ErrorKind::RuntimeError, "No active exception to reraise"),
            });
        };
        let v = self.eval(exc, env)?;
        let mut err = exceptions::raise_value(self, v).map_err(|e| e.with_span(exc.span))?;
        let context = self.handling.last().cloned();
        if let Some(inst) = exceptions::err_instance(&err)
            && let Some(state) = &inst.exc
        {
            if let Some(c) = cause {
                let cv = self.eval(c, env)?;
                let cv = match &cv {
                    Value::None => Value::None,
                    Value::Class(_) | Value::Instance(_) => {
                        let mut ce = exceptions::raise_value(self, cv.clone()).map_err(|_| {
                            type_error("exception causes must derive from BaseException")
                        })?;
                        exceptions::err_value(&mut ce)
                    }
                    _ => {
                        return Err(type_error(
                            "exception causes must derive from BaseException",
                        ));
                    }
                };
                state.borrow_mut().cause = Some(cv);
            }
            if let Some(mut ctx) = context {
                let cv = exceptions::err_value(&mut ctx);
                if !ops::is_same(&cv, &Value::Instance(inst.clone())) {
                    state.borrow_mut().context = Some(cv);
                }
            }
        }
        err.span = None;
        Ok(err.with_span(exc.span))
    }

    fn exec_try(
        &mut self,
        body: &[Stmt],
        handlers: &[ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
        env: &Env,
    ) -> PyResult<Flow> {
        let mut result = self.exec_block(body, env);
        if let Err(err) = &result {
            let mut err = err.clone();
            for h in handlers {
                if !self.handler_matches(h, &err, env)? {
                    continue;
                }
                if let Some(name) = &h.name {
                    let exc = exceptions::err_value(&mut err);
                    self.store_name(name, exc, env)?;
                }
                self.handling.push(err.clone());
                result = self.exec_block(&h.body, env);
                self.handling.pop();
                break;
            }
        } else if matches!(result, Ok(Flow::Normal)) {
            result = self.exec_block(orelse, env);
        }
        if !finalbody.is_empty() {
            match self.exec_block(finalbody, env)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        result
    }

    fn handler_matches(&mut self, h: &ExceptHandler, err: &PyErr, env: &Env) -> PyResult<bool> {
        let Some(typ) = &h.typ else {
            return Ok(true);
        };
        let t = self.eval(typ, env)?;
        let types = match &t {
            Value::Tuple(items) => (**items).clone(),
            other => vec![other.clone()],
        };
        for t in types {
            match exceptions::is_exception_class(&t) {
                Some(cls) => {
                    if exceptions::matches(err, &cls) {
                        return Ok(true);
                    }
                }
                None => {
                    return Err(type_error(
                        "catching classes that do not inherit from BaseException is not allowed",
                    ));
                }
            }
        }
        Ok(false)
    }

    fn exec_with(
        &mut self,
        items: &[(Expr, Option<Expr>)],
        body: &[Stmt],
        env: &Env,
    ) -> PyResult<Flow> {
        let Some(((ctx_expr, target), rest)) = items.split_first() else {
            return self.exec_block(body, env);
        };
        let ctx = self.eval(ctx_expr, env)?;
        if let Value::Instance(_) = &ctx {
            let entered = special::enter(self, &ctx).map_err(|e| e.with_span(ctx_expr.span))?;
            let result = (|| {
                if let Some(t) = target {
                    self.assign(t, entered, env)?;
                }
                self.exec_with(rest, body, env)
            })();
            return match result {
                Ok(flow) => {
                    special::exit(self, &ctx, None)?;
                    Ok(flow)
                }
                Err(mut e) => {
                    if e.kind == ErrorKind::KeyboardInterrupt {
                        return Err(e);
                    }
                    if special::exit(self, &ctx, Some(&mut e))? {
                        Ok(Flow::Normal)
                    } else {
                        Err(e)
                    }
                }
            };
        }
        let Value::Object(obj) = &ctx else {
            return Err(type_error(format!(
                "'{}' object does not support the context manager protocol",
                ctx.type_name()
            ))
            .with_span(ctx_expr.span));
        };
        let obj = obj.clone();
        let entered = obj.enter(self).map_err(|e| e.with_span(ctx_expr.span))?;
        let result = (|| {
            if let Some(t) = target {
                self.assign(t, entered, env)?;
            }
            self.exec_with(rest, body, env)
        })();
        let exited = obj.exit(self);
        let flow = result?;
        exited?;
        Ok(flow)
    }

    // ----- binding names and targets -----

    /// Binds `name` in the current scope (honouring `global`/`nonlocal`).
    pub(crate) fn store_name(&mut self, name: &Name, value: Value, env: &Env) -> PyResult<()> {
        let Some(frame) = env else {
            self.globals.insert(name.clone(), value);
            return Ok(());
        };
        if let Some(def) = &frame.def {
            if def.scope.globals.contains(name) {
                self.globals.insert(name.clone(), value);
                return Ok(());
            }
            if def.scope.nonlocals.contains(name) {
                let mut f = frame.parent.clone();
                while let Some(fr) = f {
                    let declared = fr
                        .def
                        .as_ref()
                        .is_some_and(|d| d.scope.locals.contains(name));
                    if declared || fr.vars.borrow().contains_key(name) {
                        fr.vars.borrow_mut().insert(name.clone(), value);
                        return Ok(());
                    }
                    f = fr.parent.clone();
                }
                return Err(PyErr::new(
                    ErrorKind::SyntaxError,
                    format!("no binding for nonlocal '{name}' found"),
                ));
            }
        }
        frame.vars.borrow_mut().insert(name.clone(), value);
        Ok(())
    }

    /// Binds a walrus target: comprehension scopes pass it to the enclosing function.
    pub(crate) fn store_walrus(&mut self, name: &Name, value: Value, env: &Env) -> PyResult<()> {
        let mut e = env.clone();
        while let Some(frame) = &e {
            if frame.def.is_some() {
                break;
            }
            e = frame.parent.clone();
        }
        self.store_name(name, value, &e)
    }

    pub(crate) fn assign(&mut self, target: &Expr, value: Value, env: &Env) -> PyResult<()> {
        self.assign_inner(target, value, env)
            .map_err(|e| e.with_span(target.span))
    }

    fn assign_inner(&mut self, target: &Expr, value: Value, env: &Env) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(n) => self.store_name(n, value, env),
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(obj, env)?;
                attrs::set_attr(self, &o, name, value)
            }
            ExprKind::Subscript(obj, index) => {
                let o = self.eval(obj, env)?;
                let i = self.eval_index(index, env)?;
                subscript::setitem(self, &o, &i, value)
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => self.unpack(items, value, env),
            ExprKind::Starred(_) => Err(PyErr::new(
                ErrorKind::SyntaxError,
                "starred assignment target must be in a list or tuple",
            )),
            _ => Err(PyErr::new(
                ErrorKind::SyntaxError,
                "cannot assign to expression",
            )),
        }
    }

    fn unpack(&mut self, targets: &[Expr], value: Value, env: &Env) -> PyResult<()> {
        let items = ops::iterate(self, &value).map_err(|e| {
            if e.msg.ends_with("is not iterable") {
                type_error(format!(
                    "cannot unpack non-iterable {} object",
                    value.type_name()
                ))
            } else {
                e
            }
        })?;
        let star = targets
            .iter()
            .position(|t| matches!(t.kind, ExprKind::Starred(_)));
        match star {
            None => {
                if items.len() != targets.len() {
                    return Err(if items.len() > targets.len() {
                        value_error(format!(
                            "too many values to unpack (expected {})",
                            targets.len()
                        ))
                    } else {
                        value_error(format!(
                            "not enough values to unpack (expected {}, got {})",
                            targets.len(),
                            items.len()
                        ))
                    });
                }
                for (t, v) in targets.iter().zip(items) {
                    self.assign(t, v, env)?;
                }
            }
            Some(s) => {
                let after = targets.len() - s - 1;
                if items.len() < targets.len() - 1 {
                    return Err(value_error(format!(
                        "not enough values to unpack (expected at least {}, got {})",
                        targets.len() - 1,
                        items.len()
                    )));
                }
                let mut items = items;
                let tail = items.split_off(items.len() - after);
                let middle = items.split_off(s);
                for (t, v) in targets[..s].iter().zip(items) {
                    self.assign(t, v, env)?;
                }
                if let ExprKind::Starred(inner) = &targets[s].kind {
                    self.assign(inner, Value::list(middle), env)?;
                }
                for (t, v) in targets[s + 1..].iter().zip(tail) {
                    self.assign(t, v, env)?;
                }
            }
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &Expr, op: BinOp, value: &Expr, env: &Env) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                let cur = self.lookup(n, env).map_err(|e| e.with_span(target.span))?;
                let rhs = self.eval(value, env)?;
                let new = self.inplace(op, &cur, &rhs)?;
                self.store_name(n, new, env)
            }
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(obj, env)?;
                let cur = attrs::get_attr(self, &o, name).map_err(|e| e.with_span(target.span))?;
                let rhs = self.eval(value, env)?;
                let new = self.inplace(op, &cur, &rhs)?;
                attrs::set_attr(self, &o, name, new)
            }
            ExprKind::Subscript(obj, index) => {
                let o = self.eval(obj, env)?;
                let i = self.eval_index(index, env)?;
                let cur = subscript::getitem(self, &o, &i).map_err(|e| e.with_span(target.span))?;
                let rhs = self.eval(value, env)?;
                let new = self.inplace(op, &cur, &rhs)?;
                subscript::setitem(self, &o, &i, new)
            }
            _ => Err(PyErr::new(
                ErrorKind::SyntaxError,
                "illegal expression for augmented assignment",
            )),
        }
    }

    /// `x op= y`: tensors update in place; lists extend in place; the rest rebinds `x op y`.
    fn inplace(&mut self, op: BinOp, cur: &Value, rhs: &Value) -> PyResult<Value> {
        match cur {
            Value::Instance(_) => return special::inplace(self, op, cur, rhs),
            Value::Tensor(_) => {
                if let Some(v) = super::torch::binary(self, op.inplace_symbol(), cur, rhs)? {
                    return Ok(v);
                }
            }
            Value::List(l) if op == BinOp::Add => {
                let items = ops::iterate(self, rhs)?;
                l.borrow_mut().extend(items);
                return Ok(cur.clone());
            }
            _ => {}
        }
        ops::binary(self, op.symbol(), cur, rhs)
    }

    fn delete(&mut self, target: &Expr, env: &Env) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                let removed = match env {
                    Some(frame)
                        if !frame
                            .def
                            .as_ref()
                            .is_some_and(|d| d.scope.globals.contains(n)) =>
                    {
                        frame.vars.borrow_mut().remove(n).is_some()
                    }
                    _ => self.globals.remove(n).is_some(),
                };
                if !removed {
                    return Err(PyErr::new(
                        ErrorKind::NameError,
                        format!("name '{n}' is not defined"),
                    )
                    .with_span(target.span));
                }
                Ok(())
            }
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(obj, env)?;
                attrs::del_attr(self, &o, name).map_err(|e| e.with_span(target.span))
            }
            ExprKind::Subscript(obj, index) => {
                let o = self.eval(obj, env)?;
                let i = self.eval_index(index, env)?;
                subscript::delitem(self, &o, &i).map_err(|e| e.with_span(target.span))
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|t| self.delete(t, env))
            }
            _ => Err(PyErr::new(
                ErrorKind::SyntaxError,
                "cannot delete expression",
            )),
        }
    }
}
