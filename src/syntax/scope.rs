//! Which names a function binds (its locals), decided statically as CPython does, so that a
//! read before assignment is an UnboundLocalError rather than a read of a global.

use super::ast::*;

pub fn analyze_function(def: &FuncDef) -> ScopeInfo {
    let mut info = ScopeInfo::default();
    for p in &def.params {
        info.locals.insert(p.name.clone());
    }
    if let Some(v) = &def.vararg {
        info.locals.insert(v.clone());
    }
    if let Some(k) = &def.kwarg {
        info.locals.insert(k.clone());
    }
    for s in &def.body {
        stmt(s, &mut info);
    }
    let ScopeInfo {
        locals,
        globals,
        nonlocals,
        ..
    } = &mut info;
    locals.retain(|n| !globals.contains(n) && !nonlocals.contains(n));
    info
}

fn bind_target(e: &Expr, info: &mut ScopeInfo) {
    match &e.kind {
        ExprKind::Name(n) => {
            info.locals.insert(n.clone());
        }
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|i| bind_target(i, info));
        }
        ExprKind::Starred(inner) => bind_target(inner, info),
        _ => expr(e, info),
    }
}

fn stmts(body: &[Stmt], info: &mut ScopeInfo) {
    body.iter().for_each(|s| stmt(s, info));
}

fn stmt(s: &Stmt, info: &mut ScopeInfo) {
    match &s.kind {
        StmtKind::Expr(e) => expr(e, info),
        StmtKind::Assign(targets, value) => {
            targets.iter().for_each(|t| bind_target(t, info));
            expr(value, info);
        }
        StmtKind::AugAssign(t, _, v) => {
            bind_target(t, info);
            expr(v, info);
        }
        StmtKind::AnnAssign(t, _, v) if v.is_some() || matches!(t.kind, ExprKind::Name(_)) => {
            bind_target(t, info);
        }
        StmtKind::Del(targets) => targets.iter().for_each(|t| bind_target(t, info)),
        StmtKind::Return(Some(e)) => expr(e, info),
        StmtKind::If(test, body, orelse) | StmtKind::While(test, body, orelse) => {
            expr(test, info);
            stmts(body, info);
            stmts(orelse, info);
        }
        StmtKind::For(target, iter, body, orelse) => {
            bind_target(target, info);
            expr(iter, info);
            stmts(body, info);
            stmts(orelse, info);
        }
        StmtKind::FuncDef(def) => {
            info.locals.insert(def.name.clone());
        }
        StmtKind::ClassDef(def) => {
            info.locals.insert(def.name.clone());
        }
        StmtKind::Global(names) => info.globals.extend(names.iter().cloned()),
        StmtKind::Nonlocal(names) => info.nonlocals.extend(names.iter().cloned()),
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            stmts(body, info);
            for h in handlers {
                if let Some(n) = &h.name {
                    info.locals.insert(n.clone());
                }
                stmts(&h.body, info);
            }
            stmts(orelse, info);
            stmts(finalbody, info);
        }
        StmtKind::With(items, body) => {
            for (ctx, target) in items {
                expr(ctx, info);
                if let Some(t) = target {
                    bind_target(t, info);
                }
            }
            stmts(body, info);
        }
        StmtKind::Import(names) => {
            for n in names {
                let bound = match &n.asname {
                    Some(a) => a.clone(),
                    None => n.module.split('.').next().unwrap_or("").into(),
                };
                info.locals.insert(bound);
            }
        }
        StmtKind::ImportFrom(_, Some(names)) => {
            for (n, asname) in names {
                info.locals
                    .insert(asname.clone().unwrap_or_else(|| n.clone()));
            }
        }
        _ => {}
    }
}

/// Walrus targets inside expressions bind in the enclosing function (also from comprehensions).
fn expr(e: &Expr, info: &mut ScopeInfo) {
    match &e.kind {
        ExprKind::Yield(v) => {
            info.is_generator = true;
            if let Some(v) = v {
                expr(v, info);
            }
        }
        ExprKind::YieldFrom(v) => {
            info.is_generator = true;
            expr(v, info);
        }
        ExprKind::NamedExpr(n, v) => {
            info.locals.insert(n.clone());
            expr(v, info);
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
            items.iter().for_each(|i| expr(i, info))
        }
        ExprKind::Dict(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    expr(k, info);
                }
                expr(v, info);
            }
        }
        ExprKind::Starred(a) | ExprKind::Attribute(a, _) | ExprKind::Unary(_, a) => expr(a, info),
        ExprKind::Subscript(a, b) | ExprKind::Binary(_, a, b) | ExprKind::BoolOp(_, a, b) => {
            expr(a, info);
            expr(b, info);
        }
        ExprKind::Call(f, args) => {
            expr(f, info);
            for a in args {
                match a {
                    Arg::Pos(x) | Arg::Star(x) | Arg::Kw(_, x) | Arg::DoubleStar(x) => {
                        expr(x, info)
                    }
                }
            }
        }
        ExprKind::Compare(a, rest) => {
            expr(a, info);
            rest.iter().for_each(|(_, x)| expr(x, info));
        }
        ExprKind::IfExp(a, b, c) => {
            expr(a, info);
            expr(b, info);
            expr(c, info);
        }
        ExprKind::ListComp(elt, comps)
        | ExprKind::SetComp(elt, comps)
        | ExprKind::GenExp(elt, comps) => {
            expr(elt, info);
            comps.iter().for_each(|c| comp(c, info));
        }
        ExprKind::DictComp(k, v, comps) => {
            expr(k, info);
            expr(v, info);
            comps.iter().for_each(|c| comp(c, info));
        }
        _ => {}
    }
}

fn comp(c: &Comprehension, info: &mut ScopeInfo) {
    expr(&c.iter, info);
    c.ifs.iter().for_each(|i| expr(i, info));
}

#[cfg(test)]
mod tests {
    use crate::syntax::ast::StmtKind;
    use crate::syntax::parse;

    #[test]
    fn locals_globals_nonlocals() {
        let src = "def f(a):\n    global g\n    nonlocal_ok = 1\n    for i, j in a:\n        g = i\n    def h():\n        pass\n    return [k for k in a]\n";
        let body = parse(src).unwrap();
        let StmtKind::FuncDef(def) = &body[0].kind else {
            panic!()
        };
        let locals: Vec<&str> = def.scope.locals.iter().map(|s| &**s).collect();
        assert_eq!(locals, ["a", "h", "i", "j", "nonlocal_ok"]);
        assert!(def.scope.globals.contains("g"));
    }
}
