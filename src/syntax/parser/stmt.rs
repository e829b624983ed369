//! Statements: simple statements, compound statements and blocks, `def` and parameters.

use super::*;
use crate::syntax::lexer::line_of;
use crate::syntax::scope::analyze_function;

impl Parser<'_> {
    // ----- statements -----

    pub(super) fn statement(&mut self) -> PyResult<Vec<Stmt>> {
        let t = self.peek();
        if t.kind == TokKind::Indent {
            return Err(self.invalid());
        }
        if t.kind == TokKind::Name {
            match self.text(t) {
                "if" => return Ok(vec![self.if_stmt("if")?]),
                "while" => return Ok(vec![self.while_stmt()?]),
                "for" => return Ok(vec![self.for_stmt()?]),
                "def" => return Ok(vec![self.funcdef(Vec::new(), t.span.start)?]),
                "try" => return Ok(vec![self.try_stmt()?]),
                "with" => return Ok(vec![self.with_stmt()?]),
                "class" => return Ok(vec![self.classdef(Vec::new(), t.span.start)?]),
                _ => {}
            }
        }
        if self.is_op("@") {
            return Ok(vec![self.decorated()?]);
        }
        self.simple_stmts()
    }

    pub(super) fn simple_stmts(&mut self) -> PyResult<Vec<Stmt>> {
        let mut out = vec![self.small_stmt()?];
        while self.eat_op(";") {
            if self.peek().kind == TokKind::Newline || self.peek().kind == TokKind::End {
                break;
            }
            out.push(self.small_stmt()?);
        }
        match self.peek().kind {
            TokKind::Newline => {
                self.advance();
            }
            TokKind::End | TokKind::Dedent => {}
            _ => return Err(self.invalid()),
        }
        Ok(out)
    }

    pub(super) fn small_stmt(&mut self) -> PyResult<Stmt> {
        let t = self.peek();
        let start = t.span.start;
        let kw = if t.kind == TokKind::Name {
            self.text(t)
        } else {
            ""
        };
        let kind = match kw {
            "pass" => {
                self.advance();
                StmtKind::Pass
            }
            "break" | "continue" => {
                self.advance();
                if self.loop_depth == 0 {
                    let msg = if kw == "break" {
                        "'break' outside loop"
                    } else {
                        "'continue' not properly in loop"
                    };
                    return Err(syntax_error(msg, t.span));
                }
                if kw == "break" {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            "return" => {
                self.advance();
                if self.func_depth == 0 {
                    return Err(syntax_error("'return' outside function", t.span));
                }
                if self.at_stmt_end() {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.star_expressions()?))
                }
            }
            "del" => {
                self.advance();
                let e = self.star_expressions()?;
                let targets = match e.kind {
                    ExprKind::Tuple(items) => items,
                    _ => vec![e],
                };
                for target in &targets {
                    check_target(target, TargetCtx::Del)?;
                }
                StmtKind::Del(targets)
            }
            "global" | "nonlocal" => {
                self.advance();
                let mut names = vec![self.name()?.0];
                while self.eat_op(",") {
                    names.push(self.name()?.0);
                }
                if kw == "global" {
                    StmtKind::Global(names)
                } else {
                    if self.func_depth == 0 {
                        return Err(syntax_error(
                            "nonlocal declaration not allowed at module level",
                            t.span,
                        ));
                    }
                    StmtKind::Nonlocal(names)
                }
            }
            "assert" => {
                self.advance();
                let test = self.test()?;
                let msg = if self.eat_op(",") {
                    Some(self.test()?)
                } else {
                    None
                };
                StmtKind::Assert(test, msg)
            }
            "raise" => {
                self.advance();
                if self.at_stmt_end() {
                    StmtKind::Raise(None, None)
                } else {
                    let exc = self.test()?;
                    let cause = if self.eat_kw("from") {
                        Some(self.test()?)
                    } else {
                        None
                    };
                    StmtKind::Raise(Some(exc), cause)
                }
            }
            "import" => {
                self.advance();
                let mut names = vec![self.import_name()?];
                while self.eat_op(",") {
                    names.push(self.import_name()?);
                }
                StmtKind::Import(names)
            }
            "from" => {
                self.advance();
                let mut module = String::new();
                while self.is_op(".") || self.is_op("...") {
                    let t = self.advance();
                    module.push_str(self.text(t));
                }
                if !self.is_kw("import") {
                    module.push_str(&self.dotted_name()?);
                }
                if !self.eat_kw("import") {
                    return Err(self.invalid());
                }
                if self.eat_op("*") {
                    StmtKind::ImportFrom(module, None)
                } else {
                    let paren = self.eat_op("(");
                    let mut names = Vec::new();
                    loop {
                        let (n, _) = self.name()?;
                        let asname = if self.eat_kw("as") {
                            Some(self.name()?.0)
                        } else {
                            None
                        };
                        names.push((n, asname));
                        if !self.eat_op(",") {
                            break;
                        }
                        if paren && self.is_op(")") {
                            break;
                        }
                        if !paren && self.at_stmt_end() {
                            return Err(syntax_error(
                                "trailing comma not allowed without surrounding parentheses",
                                self.peek().span,
                            ));
                        }
                    }
                    if paren {
                        self.expect_op(")")?;
                    }
                    StmtKind::ImportFrom(module, Some(names))
                }
            }
            _ => return self.expr_stmt(),
        };
        Ok(Stmt {
            kind,
            span: Span {
                start,
                end: self.prev_end(),
            },
        })
    }

    pub(super) fn at_stmt_end(&self) -> bool {
        matches!(
            self.peek().kind,
            TokKind::Newline | TokKind::End | TokKind::Dedent
        ) || self.is_op(";")
    }

    pub(super) fn dotted_name(&mut self) -> PyResult<String> {
        let mut s = self.name()?.0.to_string();
        while self.eat_op(".") {
            s.push('.');
            s.push_str(&self.name()?.0);
        }
        Ok(s)
    }

    pub(super) fn import_name(&mut self) -> PyResult<ImportName> {
        let module = self.dotted_name()?;
        let asname = if self.eat_kw("as") {
            Some(self.name()?.0)
        } else {
            None
        };
        Ok(ImportName { module, asname })
    }

    /// The right-hand side of `=` or an expression statement: a yield is allowed there.
    fn rhs(&mut self) -> PyResult<Expr> {
        if self.is_kw("yield") {
            self.yield_expr()
        } else {
            self.star_expressions()
        }
    }

    pub(super) fn expr_stmt(&mut self) -> PyResult<Stmt> {
        let first = self.rhs()?;
        let start = first.span.start;
        let finish = |p: &Self, kind| Stmt {
            kind,
            span: Span {
                start,
                end: p.prev_end(),
            },
        };
        if self.is_op("=") {
            let mut targets = vec![first];
            let mut value;
            loop {
                self.advance();
                value = self.rhs()?;
                if !self.is_op("=") {
                    break;
                }
                targets.push(value);
            }
            for target in &targets {
                check_target(target, TargetCtx::Assign)?;
            }
            return Ok(finish(self, StmtKind::Assign(targets, value)));
        }
        if let TokKind::Op(op) = self.peek().kind
            && op.len() >= 2
            && op.ends_with('=')
            && !matches!(op, "==" | "!=" | "<=" | ">=")
            && let Some(bin) = BinOp::from_symbol(&op[..op.len() - 1])
        {
            if !matches!(
                first.kind,
                ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..)
            ) {
                return Err(syntax_error(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        describe(&first)
                    ),
                    first.span,
                ));
            }
            self.advance();
            let value = self.rhs()?;
            return Ok(finish(self, StmtKind::AugAssign(first, bin, value)));
        }
        if self.is_op(":") {
            if !matches!(
                first.kind,
                ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..)
            ) {
                return Err(syntax_error(
                    format!(
                        "only single target (not {}) can be annotated",
                        describe(&first)
                    ),
                    first.span,
                ));
            }
            self.advance();
            let ann = self.test()?;
            let value = if self.eat_op("=") {
                Some(self.star_expressions()?)
            } else {
                None
            };
            return Ok(finish(self, StmtKind::AnnAssign(first, ann, value)));
        }
        Ok(finish(self, StmtKind::Expr(first)))
    }

    /// `:` then an indented block or simple statements on the same line.
    pub(super) fn block(&mut self, what: &str, header: Span) -> PyResult<Vec<Stmt>> {
        self.expect_op(":")?;
        if self.peek().kind != TokKind::Newline {
            return self.simple_stmts();
        }
        self.advance();
        if self.peek().kind != TokKind::Indent {
            return Err(PyErr::new(
                ErrorKind::IndentationError,
                format!(
                    "expected an indented block after {what} on line {}",
                    line_of(self.src, header.start)
                ),
            )
            .with_span(self.peek().span));
        }
        self.advance();
        let mut body = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek().kind {
                TokKind::Dedent => {
                    self.advance();
                    break;
                }
                TokKind::End => break,
                _ => body.extend(self.statement()?),
            }
        }
        Ok(body)
    }

    pub(super) fn if_stmt(&mut self, kw: &str) -> PyResult<Stmt> {
        let head = self.advance();
        let test = self.named_expr()?;
        let body = self.block(&format!("'{kw}' statement"), head.span)?;
        let orelse = if self.is_kw("elif") {
            vec![self.if_stmt("elif")?]
        } else if self.is_kw("else") {
            let t = self.advance();
            self.block("'else' statement", t.span)?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: StmtKind::If(test, body, orelse),
            span: Span {
                start: head.span.start,
                end: self.prev_end(),
            },
        })
    }

    pub(super) fn loop_body(&mut self, what: &str, head: Span) -> PyResult<Vec<Stmt>> {
        self.loop_depth += 1;
        let body = self.block(what, head);
        self.loop_depth -= 1;
        body
    }

    pub(super) fn else_block(&mut self) -> PyResult<Vec<Stmt>> {
        if self.is_kw("else") {
            let t = self.advance();
            self.block("'else' statement", t.span)
        } else {
            Ok(Vec::new())
        }
    }

    pub(super) fn while_stmt(&mut self) -> PyResult<Stmt> {
        let head = self.advance();
        let test = self.named_expr()?;
        let body = self.loop_body("'while' statement", head.span)?;
        let orelse = self.else_block()?;
        Ok(Stmt {
            kind: StmtKind::While(test, body, orelse),
            span: Span {
                start: head.span.start,
                end: self.prev_end(),
            },
        })
    }

    pub(super) fn for_stmt(&mut self) -> PyResult<Stmt> {
        let head = self.advance();
        let target = self.target_list()?;
        check_target(&target, TargetCtx::For)?;
        if !self.eat_kw("in") {
            return Err(self.invalid());
        }
        let iter = self.star_expressions()?;
        let body = self.loop_body("'for' statement", head.span)?;
        let orelse = self.else_block()?;
        Ok(Stmt {
            kind: StmtKind::For(target, iter, body, orelse),
            span: Span {
                start: head.span.start,
                end: self.prev_end(),
            },
        })
    }

    pub(super) fn try_stmt(&mut self) -> PyResult<Stmt> {
        let head = self.advance();
        let body = self.block("'try' statement", head.span)?;
        let mut handlers = Vec::new();
        while self.is_kw("except") {
            let t = self.advance();
            let (typ, name) = if self.is_op(":") {
                (None, None)
            } else {
                let typ = self.test()?;
                let typ = if self.is_op(",") {
                    let mut items = vec![typ];
                    while self.eat_op(",") {
                        items.push(self.test()?);
                    }
                    let span = join(items[0].span, items[items.len() - 1].span);
                    mk(ExprKind::Tuple(items), span)
                } else {
                    typ
                };
                let name = if self.eat_kw("as") {
                    Some(self.name()?.0)
                } else {
                    None
                };
                (Some(typ), name)
            };
            let hbody = self.block("'except' statement", t.span)?;
            handlers.push(ExceptHandler {
                typ,
                name,
                body: hbody,
                span: t.span,
            });
        }
        let orelse = if handlers.is_empty() {
            Vec::new()
        } else {
            self.else_block()?
        };
        let finalbody = if self.is_kw("finally") {
            let t = self.advance();
            self.block("'finally' statement", t.span)?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            return Err(syntax_error(
                "expected 'except' or 'finally' block",
                self.peek().span,
            ));
        }
        Ok(Stmt {
            kind: StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            },
            span: Span {
                start: head.span.start,
                end: self.prev_end(),
            },
        })
    }

    pub(super) fn with_stmt(&mut self) -> PyResult<Stmt> {
        let head = self.advance();
        let mut items = Vec::new();
        loop {
            let ctx = self.test()?;
            let target = if self.eat_kw("as") {
                let t = self.target()?;
                check_target(&t, TargetCtx::With)?;
                Some(t)
            } else {
                None
            };
            items.push((ctx, target));
            if !self.eat_op(",") {
                break;
            }
        }
        let body = self.block("'with' statement", head.span)?;
        Ok(Stmt {
            kind: StmtKind::With(items, body),
            span: Span {
                start: head.span.start,
                end: self.prev_end(),
            },
        })
    }

    pub(super) fn decorated(&mut self) -> PyResult<Stmt> {
        let start = self.peek().span.start;
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.named_expr()?);
            if self.peek().kind != TokKind::Newline {
                return Err(self.invalid());
            }
            self.advance();
        }
        if self.is_kw("class") {
            return self.classdef(decorators, start);
        }
        if !self.is_kw("def") {
            return Err(self.invalid());
        }
        self.funcdef(decorators, start)
    }

    pub(super) fn funcdef(&mut self, decorators: Vec<Expr>, start: usize) -> PyResult<Stmt> {
        let head = self.advance();
        let (name, _) = self.name()?;
        self.expect_op("(")?;
        let (params, vararg, kwarg) = self.params(")", true)?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.test()?;
        }
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        self.func_depth += 1;
        let body = self.block("function definition", head.span);
        self.func_depth -= 1;
        self.loop_depth = saved_loops;
        let body = body?;
        let span = Span {
            start,
            end: self.prev_end(),
        };
        let mut def = FuncDef {
            name,
            params,
            vararg,
            kwarg,
            body,
            decorators,
            is_lambda: false,
            scope: ScopeInfo::default(),
            span,
        };
        def.scope = analyze_function(&def);
        Ok(Stmt {
            kind: StmtKind::FuncDef(Rc::new(def)),
            span,
        })
    }

    /// `class Name(bases, kw=...):` and its body. The body is parsed outside any function
    /// (`return` there is an error) and with no enclosing loop.
    pub(super) fn classdef(&mut self, decorators: Vec<Expr>, start: usize) -> PyResult<Stmt> {
        let head = self.advance();
        let (name, _) = self.name()?;
        let bases = if self.is_op("(") {
            self.advance();
            let args = self.call_args()?;
            self.expect_op(")")?;
            args
        } else {
            Vec::new()
        };
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        let saved_funcs = std::mem::replace(&mut self.func_depth, 0);
        let body = self.block("class definition", head.span);
        self.func_depth = saved_funcs;
        self.loop_depth = saved_loops;
        let body = body?;
        let span = Span {
            start,
            end: self.prev_end(),
        };
        Ok(Stmt {
            kind: StmtKind::ClassDef(Rc::new(ClassDef {
                name,
                bases,
                body,
                decorators,
                span,
            })),
            span,
        })
    }

    /// A parameter list up to (not including) `close`: `a, b=1, *args, c, d=2, **kw`.
    #[allow(clippy::type_complexity)]
    pub(super) fn params(
        &mut self,
        close: &str,
        annotations: bool,
    ) -> PyResult<(Vec<Param>, Option<Name>, Option<Name>)> {
        let mut params: Vec<Param> = Vec::new();
        let mut vararg = None;
        let mut kwarg = None;
        let mut kind = ParamKind::Positional;
        let mut seen_default = false;
        while !self.is_op(close) {
            if kwarg.is_some() {
                return Err(syntax_error(
                    "arguments cannot follow var-keyword argument",
                    self.peek().span,
                ));
            }
            if self.eat_op("/") {
                // Positional-only marker: every parameter here may also be passed by position.
            } else if self.eat_op("**") {
                let (n, _) = self.name()?;
                if annotations && self.eat_op(":") {
                    self.test()?;
                }
                kwarg = Some(n);
            } else if self.eat_op("*") {
                if kind == ParamKind::KeywordOnly {
                    return Err(syntax_error(
                        "* argument may appear only once",
                        self.peek().span,
                    ));
                }
                kind = ParamKind::KeywordOnly;
                if self.at_name() {
                    let (n, _) = self.name()?;
                    if annotations && self.eat_op(":") {
                        self.test()?;
                    }
                    vararg = Some(n);
                } else if self.is_op(close)
                    || (self.is_op(",") && self.peek_at(1).kind == TokKind::Op(intern(close)))
                {
                    return Err(syntax_error(
                        "named arguments must follow bare *",
                        self.peek().span,
                    ));
                }
            } else {
                let (n, span) = self.name()?;
                if params.iter().any(|p| p.name == n) || vararg.as_ref() == Some(&n) {
                    return Err(syntax_error(
                        format!("duplicate argument '{n}' in function definition"),
                        span,
                    ));
                }
                if annotations && self.eat_op(":") {
                    self.test()?;
                }
                let default = if self.eat_op("=") {
                    Some(self.test()?)
                } else {
                    None
                };
                if default.is_some() {
                    seen_default = true;
                } else if seen_default && kind == ParamKind::Positional {
                    return Err(syntax_error(
                        "parameter without a default follows parameter with a default",
                        span,
                    ));
                }
                params.push(Param {
                    name: n,
                    default,
                    kind,
                });
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok((params, vararg, kwarg))
    }
}
