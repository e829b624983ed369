//! Expressions: targets, operators by precedence, calls, subscripts, displays and
//! comprehensions, string literals.

use super::*;
use crate::syntax::scope::analyze_function;
use crate::syntax::strings;

impl Parser<'_> {
    // ----- targets -----

    /// A single assignment target (no bare tuple): `x`, `a.b`, `a[i]`, `(a, b)`, `*rest`.
    pub(super) fn target(&mut self) -> PyResult<Expr> {
        if self.is_op("*") {
            let t = self.advance();
            let inner = self.bitor()?;
            let span = join(t.span, inner.span);
            return Ok(mk(ExprKind::Starred(Box::new(inner)), span));
        }
        self.bitor()
    }

    /// `a, b` in `for a, b in ...` and comprehension clauses.
    pub(super) fn target_list(&mut self) -> PyResult<Expr> {
        let first = self.target()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_kw("in") || self.is_op("=") {
                break;
            }
            items.push(self.target()?);
        }
        let span = join(
            items[0].span,
            Span {
                start: 0,
                end: self.prev_end(),
            },
        );
        let span = Span {
            start: items[0].span.start,
            end: span.end,
        };
        Ok(mk(ExprKind::Tuple(items), span))
    }

    // ----- expressions -----

    /// `a, *b, c` (a tuple when there is a comma), as in expression statements and `return`.
    pub(super) fn star_expressions(&mut self) -> PyResult<Expr> {
        let first = self.star_expr()?;
        if !self.is_op(",") {
            if matches!(first.kind, ExprKind::Starred(_)) && !self.is_op("=") {
                return Err(syntax_error(
                    "can't use starred expression here",
                    first.span,
                ));
            }
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_expr_end() {
                break;
            }
            items.push(self.star_expr()?);
        }
        let span = Span {
            start: items[0].span.start,
            end: self.prev_end(),
        };
        Ok(mk(ExprKind::Tuple(items), span))
    }

    pub(super) fn at_expr_end(&self) -> bool {
        matches!(
            self.peek().kind,
            TokKind::Newline | TokKind::End | TokKind::Dedent
        ) || [")", "]", "}", "=", ";", ":"].iter().any(|o| self.is_op(o))
            || matches!(self.peek().kind, TokKind::Op(o) if o.len() >= 2 && o.ends_with('=') && !matches!(o, "==" | "!=" | "<=" | ">="))
    }

    pub(super) fn star_expr(&mut self) -> PyResult<Expr> {
        if self.is_op("*") {
            let t = self.advance();
            let inner = self.bitor()?;
            let span = join(t.span, inner.span);
            return Ok(mk(ExprKind::Starred(Box::new(inner)), span));
        }
        self.named_expr()
    }

    pub(super) fn named_expr(&mut self) -> PyResult<Expr> {
        if self.at_name() && self.peek_at(1).kind == TokKind::Op(":=") {
            let (n, span) = self.name()?;
            self.advance();
            let value = self.test()?;
            let span = join(span, value.span);
            return Ok(mk(ExprKind::NamedExpr(n, Box::new(value)), span));
        }
        self.test()
    }

    /// `test`: lambda, or a conditional expression.
    pub(super) fn test(&mut self) -> PyResult<Expr> {
        if self.is_kw("lambda") {
            return self.lambda();
        }
        let body = self.disjunction()?;
        if self.is_kw("if") {
            self.advance();
            let cond = self.disjunction()?;
            if !self.eat_kw("else") {
                return Err(syntax_error(
                    "expected 'else' after 'if' expression",
                    join(body.span, cond.span),
                ));
            }
            let orelse = self.test()?;
            let span = join(body.span, orelse.span);
            return Ok(mk(
                ExprKind::IfExp(Box::new(cond), Box::new(body), Box::new(orelse)),
                span,
            ));
        }
        Ok(body)
    }

    pub(super) fn lambda(&mut self) -> PyResult<Expr> {
        let head = self.advance();
        let (params, vararg, kwarg) = self.params(":", false)?;
        self.expect_op(":")?;
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        self.func_depth += 1;
        let body = self.test();
        self.func_depth -= 1;
        self.loop_depth = saved_loops;
        let body = body?;
        let span = join(head.span, body.span);
        let mut def = FuncDef {
            name: Rc::from("<lambda>"),
            params,
            vararg,
            kwarg,
            body: vec![Stmt {
                span: body.span,
                kind: StmtKind::Return(Some(body)),
            }],
            decorators: Vec::new(),
            is_lambda: true,
            scope: ScopeInfo::default(),
            span,
        };
        def.scope = analyze_function(&def);
        Ok(mk(ExprKind::Lambda(Rc::new(def)), span))
    }

    pub(super) fn disjunction(&mut self) -> PyResult<Expr> {
        let mut left = self.conjunction()?;
        while self.eat_kw("or") {
            let right = self.conjunction()?;
            let span = join(left.span, right.span);
            left = mk(
                ExprKind::BoolOp(BoolOp::Or, Box::new(left), Box::new(right)),
                span,
            );
        }
        Ok(left)
    }

    pub(super) fn conjunction(&mut self) -> PyResult<Expr> {
        let mut left = self.inversion()?;
        while self.eat_kw("and") {
            let right = self.inversion()?;
            let span = join(left.span, right.span);
            left = mk(
                ExprKind::BoolOp(BoolOp::And, Box::new(left), Box::new(right)),
                span,
            );
        }
        Ok(left)
    }

    pub(super) fn inversion(&mut self) -> PyResult<Expr> {
        if self.is_kw("not") {
            let t = self.advance();
            let operand = self.inversion()?;
            let span = join(t.span, operand.span);
            return Ok(mk(ExprKind::Unary(UnaryOp::Not, Box::new(operand)), span));
        }
        self.comparison()
    }

    pub(super) fn comp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek().kind {
            TokKind::Op("==") => CmpOp::Eq,
            TokKind::Op("!=") => CmpOp::NotEq,
            TokKind::Op("<") => CmpOp::Lt,
            TokKind::Op("<=") => CmpOp::LtE,
            TokKind::Op(">") => CmpOp::Gt,
            TokKind::Op(">=") => CmpOp::GtE,
            TokKind::Name => match self.text(self.peek()) {
                "in" => CmpOp::In,
                "is" => {
                    let next = self.peek_at(1);
                    if next.kind == TokKind::Name && self.text(next) == "not" {
                        self.advance();
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                "not" => {
                    let next = self.peek_at(1);
                    if next.kind == TokKind::Name && self.text(next) == "in" {
                        self.advance();
                        CmpOp::NotIn
                    } else {
                        return None;
                    }
                }
                _ => return None,
            },
            _ => return None,
        };
        self.advance();
        Some(op)
    }

    pub(super) fn comparison(&mut self) -> PyResult<Expr> {
        let left = self.bitor()?;
        let mut rest = Vec::new();
        while let Some(op) = self.comp_op() {
            rest.push((op, self.bitor()?));
        }
        if rest.is_empty() {
            return Ok(left);
        }
        let span = join(left.span, rest[rest.len() - 1].1.span);
        Ok(mk(ExprKind::Compare(Box::new(left), rest), span))
    }

    pub(super) fn binary_level(
        &mut self,
        ops: &[&str],
        next: fn(&mut Self) -> PyResult<Expr>,
    ) -> PyResult<Expr> {
        let mut left = next(self)?;
        loop {
            let op = match self.peek().kind {
                TokKind::Op(o) if ops.contains(&o) => o,
                _ => break,
            };
            self.advance();
            let right = next(self)?;
            let span = join(left.span, right.span);
            let bin = BinOp::from_symbol(op).unwrap_or(BinOp::Add);
            left = mk(ExprKind::Binary(bin, Box::new(left), Box::new(right)), span);
        }
        Ok(left)
    }

    pub(super) fn bitor(&mut self) -> PyResult<Expr> {
        self.binary_level(&["|"], Self::bitxor)
    }
    pub(super) fn bitxor(&mut self) -> PyResult<Expr> {
        self.binary_level(&["^"], Self::bitand)
    }
    pub(super) fn bitand(&mut self) -> PyResult<Expr> {
        self.binary_level(&["&"], Self::shift)
    }
    pub(super) fn shift(&mut self) -> PyResult<Expr> {
        self.binary_level(&["<<", ">>"], Self::sum)
    }
    pub(super) fn sum(&mut self) -> PyResult<Expr> {
        self.binary_level(&["+", "-"], Self::term)
    }
    pub(super) fn term(&mut self) -> PyResult<Expr> {
        self.binary_level(&["*", "/", "//", "%", "@"], Self::factor)
    }

    pub(super) fn factor(&mut self) -> PyResult<Expr> {
        let op = match self.peek().kind {
            TokKind::Op("-") => UnaryOp::Neg,
            TokKind::Op("+") => UnaryOp::Pos,
            TokKind::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        let t = self.advance();
        let operand = self.factor()?;
        let span = join(t.span, operand.span);
        // Fold negative literals so `-1` is an Int constant (also keeps i64::MIN representable).
        if op == UnaryOp::Neg {
            match operand.kind {
                ExprKind::Int(i) => return Ok(mk(ExprKind::Int(i.wrapping_neg()), span)),
                ExprKind::Float(f) => return Ok(mk(ExprKind::Float(-f), span)),
                _ => {}
            }
        }
        Ok(mk(ExprKind::Unary(op, Box::new(operand)), span))
    }

    pub(super) fn power(&mut self) -> PyResult<Expr> {
        if self.is_kw("await") {
            return Err(self.invalid());
        }
        let base = self.primary()?;
        if self.eat_op("**") {
            let exp = self.factor()?;
            let span = join(base.span, exp.span);
            return Ok(mk(
                ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)),
                span,
            ));
        }
        Ok(base)
    }

    pub(super) fn primary(&mut self) -> PyResult<Expr> {
        let mut e = self.atom()?;
        loop {
            if self.eat_op(".") {
                let (n, nspan) = self.name()?;
                let span = join(e.span, nspan);
                e = mk(ExprKind::Attribute(Box::new(e), n), span);
            } else if self.is_op("(") {
                self.advance();
                let args = self.call_args()?;
                let close = self.expect_op(")")?;
                let span = join(e.span, close.span);
                e = mk(ExprKind::Call(Box::new(e), args), span);
            } else if self.is_op("[") {
                self.advance();
                let index = self.subscript()?;
                let close = self.expect_op("]")?;
                let span = join(e.span, close.span);
                e = mk(ExprKind::Subscript(Box::new(e), Box::new(index)), span);
            } else {
                break;
            }
        }
        Ok(e)
    }

    pub(super) fn call_args(&mut self) -> PyResult<Vec<Arg>> {
        let mut args = Vec::new();
        let mut seen_kw = false;
        let mut seen_dstar = false;
        while !self.is_op(")") {
            if self.eat_op("**") {
                args.push(Arg::DoubleStar(self.test()?));
                seen_dstar = true;
            } else if self.eat_op("*") {
                if seen_dstar {
                    return Err(syntax_error(
                        "iterable argument unpacking follows keyword argument unpacking",
                        self.peek().span,
                    ));
                }
                args.push(Arg::Star(self.test()?));
            } else if self.at_name() && self.peek_at(1).kind == TokKind::Op("=") {
                let (n, span) = self.name()?;
                self.advance();
                let value = self.test()?;
                if args.iter().any(|a| matches!(a, Arg::Kw(k, _) if *k == n)) {
                    return Err(syntax_error(
                        format!("keyword argument repeated: {n}"),
                        span,
                    ));
                }
                args.push(Arg::Kw(n, value));
                seen_kw = true;
            } else {
                let e = self.named_expr()?;
                if self.is_kw("for") {
                    let comps = self.comp_clauses()?;
                    let span = Span {
                        start: e.span.start,
                        end: self.prev_end(),
                    };
                    let genexp = mk(ExprKind::GenExp(Box::new(e), comps), span);
                    if !args.is_empty() || !self.is_op(")") {
                        return Err(syntax_error(
                            "Generator expression must be parenthesized",
                            span,
                        ));
                    }
                    args.push(Arg::Pos(genexp));
                    continue;
                }
                if seen_dstar {
                    return Err(syntax_error(
                        "positional argument follows keyword argument unpacking",
                        e.span,
                    ));
                }
                if seen_kw {
                    return Err(syntax_error(
                        "positional argument follows keyword argument",
                        e.span,
                    ));
                }
                args.push(Arg::Pos(e));
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(args)
    }

    pub(super) fn subscript(&mut self) -> PyResult<Expr> {
        let first = self.slice_item()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op("]") {
                break;
            }
            items.push(self.slice_item()?);
        }
        let span = Span {
            start: items[0].span.start,
            end: self.prev_end(),
        };
        Ok(mk(ExprKind::Tuple(items), span))
    }

    pub(super) fn slice_item(&mut self) -> PyResult<Expr> {
        let start_pos = self.peek().span.start;
        let lower = if self.is_op(":") {
            None
        } else {
            let e = self.star_expr()?;
            if !self.is_op(":") {
                return Ok(e);
            }
            Some(Box::new(e))
        };
        self.expect_op(":")?;
        let bound = |p: &mut Self| -> PyResult<Option<Box<Expr>>> {
            if p.is_op(":") || p.is_op(",") || p.is_op("]") {
                Ok(None)
            } else {
                Ok(Some(Box::new(p.test()?)))
            }
        };
        let upper = bound(self)?;
        let step = if self.eat_op(":") { bound(self)? } else { None };
        let span = Span {
            start: start_pos,
            end: self.prev_end(),
        };
        Ok(mk(ExprKind::Slice(lower, upper, step), span))
    }

    pub(super) fn comp_clauses(&mut self) -> PyResult<Vec<Comprehension>> {
        let mut comps = Vec::new();
        while self.eat_kw("for") {
            let target = self.target_list()?;
            check_target(&target, TargetCtx::For)?;
            if !self.eat_kw("in") {
                return Err(self.invalid());
            }
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_kw("if") {
                ifs.push(self.disjunction()?);
            }
            comps.push(Comprehension { target, iter, ifs });
        }
        Ok(comps)
    }

    pub(super) fn atom(&mut self) -> PyResult<Expr> {
        let t = self.peek();
        match t.kind {
            TokKind::Name => {
                let text = self.text(t);
                let kind = match text {
                    "True" => ExprKind::Bool(true),
                    "False" => ExprKind::Bool(false),
                    "None" => ExprKind::None,
                    _ if is_keyword(text) => return Err(self.invalid()),
                    _ => ExprKind::Name(Rc::from(text)),
                };
                self.advance();
                Ok(mk(kind, t.span))
            }
            TokKind::Int => {
                self.advance();
                let v = parse_int(self.text(t)).ok_or_else(|| {
                    PyErr::new(
                        ErrorKind::OverflowError,
                        "int too large to convert to a 64-bit integer",
                    )
                    .with_span(t.span)
                })?;
                Ok(mk(ExprKind::Int(v), t.span))
            }
            TokKind::Float => {
                self.advance();
                let text: String = self.text(t).chars().filter(|&c| c != '_').collect();
                let v: f64 = text
                    .parse()
                    .map_err(|_| syntax_error("invalid decimal literal", t.span))?;
                Ok(mk(ExprKind::Float(v), t.span))
            }
            TokKind::Str => self.strings(),
            TokKind::Op("...") => {
                self.advance();
                Ok(mk(ExprKind::Ellipsis, t.span))
            }
            TokKind::Op("(") => self.paren(),
            TokKind::Op("[") => self.list_display(),
            TokKind::Op("{") => self.brace_display(),
            _ => Err(self.invalid()),
        }
    }

    /// Adjacent string literals, concatenated; any f-string makes the whole an f-string.
    pub(super) fn strings(&mut self) -> PyResult<Expr> {
        let start = self.peek().span.start;
        let mut parts: Vec<FPart> = Vec::new();
        let mut is_f = false;
        while self.peek().kind == TokKind::Str {
            let t = self.advance();
            let lit = strings::parse_literal(self.src, t.span)?;
            is_f |= lit.is_f;
            for part in lit.parts {
                match (parts.last_mut(), part) {
                    (Some(FPart::Lit(a)), FPart::Lit(b)) => a.push_str(&b),
                    (_, p) => parts.push(p),
                }
            }
        }
        let span = Span {
            start,
            end: self.prev_end(),
        };
        if !is_f {
            let s = match parts.pop() {
                Some(FPart::Lit(s)) => s,
                _ => String::new(),
            };
            return Ok(mk(ExprKind::Str(Rc::from(s.as_str())), span));
        }
        Ok(mk(ExprKind::FString(parts), span))
    }

    /// `yield`, `yield x`, `yield a, b`, `yield from it` (the caller checked the keyword).
    pub(super) fn yield_expr(&mut self) -> PyResult<Expr> {
        let kw = self.advance();
        if self.func_depth == 0 {
            return Err(crate::syntax::parser::syntax_error(
                "'yield' outside function",
                kw.span,
            ));
        }
        if self.is_kw("from") {
            self.advance();
            let it = self.test()?;
            let span = join(kw.span, it.span);
            return Ok(mk(ExprKind::YieldFrom(Box::new(it)), span));
        }
        if self.at_stmt_end() || self.is_op(")") || self.is_op("=") || self.is_op("]") {
            return Ok(mk(ExprKind::Yield(None), kw.span));
        }
        let value = self.star_expressions()?;
        let span = join(kw.span, value.span);
        Ok(mk(ExprKind::Yield(Some(Box::new(value))), span))
    }

    pub(super) fn paren(&mut self) -> PyResult<Expr> {
        let open = self.advance();
        if self.is_op(")") {
            let close = self.advance();
            return Ok(mk(ExprKind::Tuple(Vec::new()), join(open.span, close.span)));
        }
        if self.is_kw("yield") {
            let y = self.yield_expr()?;
            let close = self.expect_op(")")?;
            return Ok(mk(y.kind, join(open.span, close.span)));
        }
        let first = self.star_expr()?;
        if self.is_kw("for") {
            let comps = self.comp_clauses()?;
            let close = self.expect_op(")")?;
            return Ok(mk(
                ExprKind::GenExp(Box::new(first), comps),
                join(open.span, close.span),
            ));
        }
        if self.is_op(")") {
            let close = self.advance();
            if matches!(first.kind, ExprKind::Starred(_)) {
                return Err(syntax_error(
                    "cannot use starred expression here",
                    first.span,
                ));
            }
            // Keep the inner span for carets, but widen it to the parentheses.
            let mut e = first;
            e.span = join(open.span, close.span);
            return Ok(e);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op(")") {
                break;
            }
            items.push(self.star_expr()?);
        }
        let close = self.expect_op(")")?;
        Ok(mk(ExprKind::Tuple(items), join(open.span, close.span)))
    }

    pub(super) fn list_display(&mut self) -> PyResult<Expr> {
        let open = self.advance();
        let mut items = Vec::new();
        if !self.is_op("]") {
            let first = self.star_expr()?;
            if self.is_kw("for") {
                let comps = self.comp_clauses()?;
                let close = self.expect_op("]")?;
                return Ok(mk(
                    ExprKind::ListComp(Box::new(first), comps),
                    join(open.span, close.span),
                ));
            }
            items.push(first);
            while self.eat_op(",") {
                if self.is_op("]") {
                    break;
                }
                items.push(self.star_expr()?);
            }
        }
        let close = self.expect_op("]")?;
        Ok(mk(ExprKind::List(items), join(open.span, close.span)))
    }

    pub(super) fn brace_display(&mut self) -> PyResult<Expr> {
        let open = self.advance();
        if self.is_op("}") {
            let close = self.advance();
            return Ok(mk(ExprKind::Dict(Vec::new()), join(open.span, close.span)));
        }
        // Dict when the first item is `k: v` or `**m`; otherwise a set.
        let first_key = if self.eat_op("**") {
            None
        } else {
            let k = self.star_expr()?;
            if !self.is_op(":") {
                // A set display or set comprehension.
                if self.is_kw("for") {
                    let comps = self.comp_clauses()?;
                    let close = self.expect_op("}")?;
                    return Ok(mk(
                        ExprKind::SetComp(Box::new(k), comps),
                        join(open.span, close.span),
                    ));
                }
                let mut items = vec![k];
                while self.eat_op(",") {
                    if self.is_op("}") {
                        break;
                    }
                    items.push(self.star_expr()?);
                }
                let close = self.expect_op("}")?;
                return Ok(mk(ExprKind::Set(items), join(open.span, close.span)));
            }
            Some(k)
        };
        let first_value = if first_key.is_some() {
            self.expect_op(":")?;
            self.test()?
        } else {
            self.bitor()?
        };
        if let Some(k) = &first_key
            && self.is_kw("for")
        {
            let comps = self.comp_clauses()?;
            let close = self.expect_op("}")?;
            return Ok(mk(
                ExprKind::DictComp(Box::new(k.clone()), Box::new(first_value), comps),
                join(open.span, close.span),
            ));
        }
        let mut items = vec![(first_key, first_value)];
        while self.eat_op(",") {
            if self.is_op("}") {
                break;
            }
            if self.eat_op("**") {
                items.push((None, self.bitor()?));
            } else {
                let k = self.test()?;
                if !self.is_op(":") {
                    return Err(syntax_error(
                        "':' expected after dictionary key",
                        self.peek().span,
                    ));
                }
                self.advance();
                let v = self.test()?;
                items.push((Some(k), v));
            }
        }
        let close = self.expect_op("}")?;
        Ok(mk(ExprKind::Dict(items), join(open.span, close.span)))
    }
}
