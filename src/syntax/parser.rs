//! Recursive-descent parser from tokens to the AST, with CPython's error messages.

use super::ast::*;
use super::lexer::{TokKind, Token, line_of, tokenize, tokenize_expr};
use super::scope::analyze_function;
use super::strings;
use crate::error::{ErrorKind, PyErr, PyResult, Span};
use std::rc::Rc;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Parses a whole cell (a module) into statements.
pub fn parse_module(src: &str) -> PyResult<Vec<Stmt>> {
    let toks = tokenize(src)?;
    let mut p = Parser::new(src, toks);
    let mut body = Vec::new();
    loop {
        p.skip_newlines();
        if p.peek().kind == TokKind::End {
            break;
        }
        body.extend(p.statement()?);
    }
    Ok(body)
}

/// Parses the expression of an f-string replacement field at `src[start..end]`.
pub fn parse_expr_at(src: &str, start: usize, end: usize) -> PyResult<Expr> {
    let toks = tokenize_expr(src, start, end)?;
    let mut p = Parser::new(src, toks);
    let e = p.star_expressions()?;
    if p.peek().kind != TokKind::End {
        return Err(p.err_at("f-string: expecting '}'", p.peek().span));
    }
    Ok(e)
}

pub(crate) fn syntax_error(msg: impl Into<String>, span: Span) -> PyErr {
    PyErr::new(ErrorKind::SyntaxError, msg).with_span(span)
}

fn join(a: Span, b: Span) -> Span {
    Span {
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    }
}

fn mk(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

/// What a target position is used for; decides the error wording.
#[derive(Clone, Copy, PartialEq)]
enum TargetCtx {
    Assign,
    For,
    Del,
    With,
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    func_depth: usize,
    loop_depth: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, toks: Vec<Token>) -> Parser<'a> {
        Parser {
            src,
            toks,
            pos: 0,
            func_depth: 0,
            loop_depth: 0,
        }
    }

    // ----- token helpers -----

    fn peek(&self) -> Token {
        self.toks[self.pos.min(self.toks.len() - 1)]
    }
    fn peek_at(&self, n: usize) -> Token {
        self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }
    fn advance(&mut self) -> Token {
        let t = self.peek();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn text(&self, t: Token) -> &'a str {
        &self.src[t.span.start..t.span.end]
    }
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].span.end
        }
    }
    fn is_op(&self, op: &str) -> bool {
        self.peek().kind == TokKind::Op(intern(op))
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.advance();
            true
        } else {
            false
        }
    }
    fn is_kw(&self, kw: &str) -> bool {
        let t = self.peek();
        t.kind == TokKind::Name && self.text(t) == kw
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }
    fn skip_newlines(&mut self) {
        while self.peek().kind == TokKind::Newline {
            self.advance();
        }
    }
    fn err_at(&self, msg: &str, span: Span) -> PyErr {
        syntax_error(msg, span)
    }
    /// "invalid syntax" at the current token.
    fn invalid(&self) -> PyErr {
        let t = self.peek();
        match t.kind {
            TokKind::Indent => {
                PyErr::new(ErrorKind::IndentationError, "unexpected indent").with_span(t.span)
            }
            TokKind::Dedent => {
                PyErr::new(ErrorKind::IndentationError, "unexpected unindent").with_span(t.span)
            }
            _ => syntax_error("invalid syntax", t.span),
        }
    }
    fn expect_op(&mut self, op: &str) -> PyResult<Token> {
        if self.is_op(op) {
            Ok(self.advance())
        } else if op == ":" || op == "(" || op == "=" {
            Err(syntax_error(format!("expected '{op}'"), self.peek().span))
        } else {
            Err(self.invalid())
        }
    }
    fn name(&mut self) -> PyResult<(Name, Span)> {
        let t = self.peek();
        if t.kind == TokKind::Name && !is_keyword(self.text(t)) {
            self.advance();
            Ok((Rc::from(self.text(t)), t.span))
        } else {
            Err(self.invalid())
        }
    }
    fn at_name(&self) -> bool {
        let t = self.peek();
        t.kind == TokKind::Name && !is_keyword(self.text(t))
    }

    // ----- statements -----

    fn statement(&mut self) -> PyResult<Vec<Stmt>> {
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
                "class" => {
                    return Err(PyErr::new(
                        ErrorKind::NotImplementedError,
                        "class definitions are not supported",
                    )
                    .with_span(t.span));
                }
                _ => {}
            }
        }
        if self.is_op("@") {
            return Ok(vec![self.decorated()?]);
        }
        self.simple_stmts()
    }

    fn simple_stmts(&mut self) -> PyResult<Vec<Stmt>> {
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

    fn small_stmt(&mut self) -> PyResult<Stmt> {
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
            "yield" => {
                return Err(PyErr::new(
                    ErrorKind::NotImplementedError,
                    "generators are not supported",
                )
                .with_span(t.span));
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

    fn at_stmt_end(&self) -> bool {
        matches!(
            self.peek().kind,
            TokKind::Newline | TokKind::End | TokKind::Dedent
        ) || self.is_op(";")
    }

    fn dotted_name(&mut self) -> PyResult<String> {
        let mut s = self.name()?.0.to_string();
        while self.eat_op(".") {
            s.push('.');
            s.push_str(&self.name()?.0);
        }
        Ok(s)
    }

    fn import_name(&mut self) -> PyResult<ImportName> {
        let module = self.dotted_name()?;
        let asname = if self.eat_kw("as") {
            Some(self.name()?.0)
        } else {
            None
        };
        Ok(ImportName { module, asname })
    }

    fn expr_stmt(&mut self) -> PyResult<Stmt> {
        let first = self.star_expressions()?;
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
                value = self.star_expressions()?;
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
            let value = self.star_expressions()?;
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
    fn block(&mut self, what: &str, header: Span) -> PyResult<Vec<Stmt>> {
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

    fn if_stmt(&mut self, kw: &str) -> PyResult<Stmt> {
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

    fn loop_body(&mut self, what: &str, head: Span) -> PyResult<Vec<Stmt>> {
        self.loop_depth += 1;
        let body = self.block(what, head);
        self.loop_depth -= 1;
        body
    }

    fn else_block(&mut self) -> PyResult<Vec<Stmt>> {
        if self.is_kw("else") {
            let t = self.advance();
            self.block("'else' statement", t.span)
        } else {
            Ok(Vec::new())
        }
    }

    fn while_stmt(&mut self) -> PyResult<Stmt> {
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

    fn for_stmt(&mut self) -> PyResult<Stmt> {
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

    fn try_stmt(&mut self) -> PyResult<Stmt> {
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

    fn with_stmt(&mut self) -> PyResult<Stmt> {
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

    fn decorated(&mut self) -> PyResult<Stmt> {
        let start = self.peek().span.start;
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.named_expr()?);
            if self.peek().kind != TokKind::Newline {
                return Err(self.invalid());
            }
            self.advance();
        }
        if !self.is_kw("def") {
            return Err(self.invalid());
        }
        self.funcdef(decorators, start)
    }

    fn funcdef(&mut self, decorators: Vec<Expr>, start: usize) -> PyResult<Stmt> {
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

    /// A parameter list up to (not including) `close`: `a, b=1, *args, c, d=2, **kw`.
    #[allow(clippy::type_complexity)]
    fn params(
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

    // ----- targets -----

    /// A single assignment target (no bare tuple): `x`, `a.b`, `a[i]`, `(a, b)`, `*rest`.
    fn target(&mut self) -> PyResult<Expr> {
        if self.is_op("*") {
            let t = self.advance();
            let inner = self.bitor()?;
            let span = join(t.span, inner.span);
            return Ok(mk(ExprKind::Starred(Box::new(inner)), span));
        }
        self.bitor()
    }

    /// `a, b` in `for a, b in ...` and comprehension clauses.
    fn target_list(&mut self) -> PyResult<Expr> {
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
    fn star_expressions(&mut self) -> PyResult<Expr> {
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

    fn at_expr_end(&self) -> bool {
        matches!(
            self.peek().kind,
            TokKind::Newline | TokKind::End | TokKind::Dedent
        ) || [")", "]", "}", "=", ";", ":"].iter().any(|o| self.is_op(o))
            || matches!(self.peek().kind, TokKind::Op(o) if o.len() >= 2 && o.ends_with('=') && !matches!(o, "==" | "!=" | "<=" | ">="))
    }

    fn star_expr(&mut self) -> PyResult<Expr> {
        if self.is_op("*") {
            let t = self.advance();
            let inner = self.bitor()?;
            let span = join(t.span, inner.span);
            return Ok(mk(ExprKind::Starred(Box::new(inner)), span));
        }
        self.named_expr()
    }

    fn named_expr(&mut self) -> PyResult<Expr> {
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
    fn test(&mut self) -> PyResult<Expr> {
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

    fn lambda(&mut self) -> PyResult<Expr> {
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

    fn disjunction(&mut self) -> PyResult<Expr> {
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

    fn conjunction(&mut self) -> PyResult<Expr> {
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

    fn inversion(&mut self) -> PyResult<Expr> {
        if self.is_kw("not") {
            let t = self.advance();
            let operand = self.inversion()?;
            let span = join(t.span, operand.span);
            return Ok(mk(ExprKind::Unary(UnaryOp::Not, Box::new(operand)), span));
        }
        self.comparison()
    }

    fn comp_op(&mut self) -> Option<CmpOp> {
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

    fn comparison(&mut self) -> PyResult<Expr> {
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

    fn binary_level(
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

    fn bitor(&mut self) -> PyResult<Expr> {
        self.binary_level(&["|"], Self::bitxor)
    }
    fn bitxor(&mut self) -> PyResult<Expr> {
        self.binary_level(&["^"], Self::bitand)
    }
    fn bitand(&mut self) -> PyResult<Expr> {
        self.binary_level(&["&"], Self::shift)
    }
    fn shift(&mut self) -> PyResult<Expr> {
        self.binary_level(&["<<", ">>"], Self::sum)
    }
    fn sum(&mut self) -> PyResult<Expr> {
        self.binary_level(&["+", "-"], Self::term)
    }
    fn term(&mut self) -> PyResult<Expr> {
        self.binary_level(&["*", "/", "//", "%", "@"], Self::factor)
    }

    fn factor(&mut self) -> PyResult<Expr> {
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

    fn power(&mut self) -> PyResult<Expr> {
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

    fn primary(&mut self) -> PyResult<Expr> {
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

    fn call_args(&mut self) -> PyResult<Vec<Arg>> {
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

    fn subscript(&mut self) -> PyResult<Expr> {
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

    fn slice_item(&mut self) -> PyResult<Expr> {
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

    fn comp_clauses(&mut self) -> PyResult<Vec<Comprehension>> {
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

    fn atom(&mut self) -> PyResult<Expr> {
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
    fn strings(&mut self) -> PyResult<Expr> {
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

    fn paren(&mut self) -> PyResult<Expr> {
        let open = self.advance();
        if self.is_op(")") {
            let close = self.advance();
            return Ok(mk(ExprKind::Tuple(Vec::new()), join(open.span, close.span)));
        }
        if self.is_kw("yield") {
            return Err(PyErr::new(
                ErrorKind::NotImplementedError,
                "generators are not supported",
            )
            .with_span(self.peek().span));
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

    fn list_display(&mut self) -> PyResult<Expr> {
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

    fn brace_display(&mut self) -> PyResult<Expr> {
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

fn intern(op: &str) -> &'static str {
    const ALL: &[&str] = &[
        "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==",
        "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@",
        "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
    ];
    ALL.iter().copied().find(|o| *o == op).unwrap_or("?")
}

fn parse_int(text: &str) -> Option<i64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else {
        clean.parse().ok()
    }
}

/// CPython's name for an expression that cannot be a target.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Call(..) => "function call",
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Ellipsis => {
            if matches!(e.kind, ExprKind::Bool(_) | ExprKind::None) {
                match e.kind {
                    ExprKind::None => "None",
                    ExprKind::Bool(true) => "True",
                    _ => "False",
                }
            } else if matches!(e.kind, ExprKind::Ellipsis) {
                "ellipsis"
            } else {
                "literal"
            }
        }
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Compare(..) => "comparison",
        ExprKind::Lambda(_) => "lambda",
        ExprKind::IfExp(..) => "conditional expression",
        ExprKind::ListComp(..) => "list comprehension",
        ExprKind::SetComp(..) => "set comprehension",
        ExprKind::DictComp(..) => "dict comprehension",
        ExprKind::GenExp(..) => "generator expression",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::NamedExpr(..) => "named expression",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Starred(_) => "starred",
        ExprKind::Name(_) => "name",
        ExprKind::Attribute(..) => "attribute",
        ExprKind::Subscript(..) => "subscript",
        _ => "expression",
    }
}

fn check_target(e: &Expr, ctx: TargetCtx) -> PyResult<()> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            let starred = items
                .iter()
                .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                .count();
            if starred > 1 && ctx != TargetCtx::Del {
                return Err(syntax_error(
                    "multiple starred expressions in assignment",
                    e.span,
                ));
            }
            items.iter().try_for_each(|i| check_target(i, ctx))
        }
        ExprKind::Starred(inner) if ctx != TargetCtx::Del => check_target(inner, ctx),
        _ => {
            let what = describe(e);
            let msg = match ctx {
                TargetCtx::Del => format!("cannot delete {what}"),
                TargetCtx::Assign
                    if !matches!(
                        e.kind,
                        ExprKind::Bool(_) | ExprKind::None | ExprKind::Starred(_)
                    ) =>
                {
                    format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
                }
                _ => format!("cannot assign to {what}"),
            };
            Err(syntax_error(msg, e.span))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> String {
        parse_module(src).unwrap_err().to_string()
    }

    fn expr(src: &str) -> Expr {
        match parse_module(src).unwrap().remove(0).kind {
            StmtKind::Expr(e) => e,
            k => panic!("not an expression: {k:?}"),
        }
    }

    #[test]
    fn precedence_and_spans() {
        let e = expr("1 + 2 * 3 ** -x");
        let ExprKind::Binary(BinOp::Add, l, r) = e.kind else {
            panic!()
        };
        assert_eq!(l.kind, ExprKind::Int(1));
        let ExprKind::Binary(BinOp::Mul, _, pow) = r.kind else {
            panic!()
        };
        assert_eq!(pow.span, Span { start: 8, end: 15 });
        assert!(matches!(pow.kind, ExprKind::Binary(BinOp::Pow, _, _)));
        // -2 ** 2 is -(2 ** 2)
        let e = expr("-2 ** 2");
        assert!(matches!(e.kind, ExprKind::Unary(UnaryOp::Neg, _)));
    }

    #[test]
    fn comparisons_and_bool_ops() {
        let e = expr("a < b <= c and not x is not None or y not in z");
        assert!(matches!(e.kind, ExprKind::BoolOp(BoolOp::Or, _, _)));
        let e = expr("a < b <= c");
        let ExprKind::Compare(_, rest) = e.kind else {
            panic!()
        };
        assert_eq!(rest.len(), 2);
    }

    #[test]
    fn subscripts_and_slices() {
        let e = expr("t[1:, ::2, None, ...]");
        let ExprKind::Subscript(_, idx) = e.kind else {
            panic!()
        };
        let ExprKind::Tuple(items) = idx.kind else {
            panic!()
        };
        assert_eq!(items.len(), 4);
        assert!(matches!(
            items[1].kind,
            ExprKind::Slice(None, None, Some(_))
        ));
        assert!(matches!(items[3].kind, ExprKind::Ellipsis));
    }

    #[test]
    fn statements() {
        let src = "def f(a, b=1, *args, c, d=2, **kw):\n    return a\nfor i, (j, *k) in x:\n    pass\nelse:\n    y = z = 3\n";
        let body = parse_module(src).unwrap();
        assert_eq!(body.len(), 2);
        let StmtKind::FuncDef(def) = &body[0].kind else {
            panic!()
        };
        assert_eq!(def.params.len(), 4);
        assert_eq!(def.params[2].kind, ParamKind::KeywordOnly);
        assert_eq!(def.vararg.as_deref(), Some("args"));
        assert_eq!(def.kwarg.as_deref(), Some("kw"));
        let StmtKind::For(_, _, _, orelse) = &body[1].kind else {
            panic!()
        };
        assert!(matches!(&orelse[0].kind, StmtKind::Assign(t, _) if t.len() == 2));
    }

    #[test]
    fn fstrings() {
        let e = expr(r#"f"{x!r:>{w}} and {y=} {{lit}}""#);
        let ExprKind::FString(parts) = e.kind else {
            panic!()
        };
        assert_eq!(parts.len(), 4);
        let FPart::Expr {
            conversion, spec, ..
        } = &parts[0]
        else {
            panic!()
        };
        assert_eq!(*conversion, Some('r'));
        assert_eq!(spec.as_ref().map(|s| s.len()), Some(2));
        let FPart::Expr { debug_text, .. } = &parts[2] else {
            panic!()
        };
        assert_eq!(debug_text.as_deref(), Some("y="));
        assert_eq!(parts[3], FPart::Lit(" {lit}".into()));
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(err("if x\n    y"), "SyntaxError: expected ':'");
        assert_eq!(err("x = "), "SyntaxError: invalid syntax");
        assert_eq!(err("  x = 1"), "IndentationError: unexpected indent");
        assert_eq!(
            err("x = 1\n    y = 2"),
            "IndentationError: unexpected indent"
        );
        assert_eq!(
            err("if x:\ny"),
            "IndentationError: expected an indented block after 'if' statement on line 1"
        );
        assert_eq!(
            err("def f():\n"),
            "IndentationError: expected an indented block after function definition on line 1"
        );
        assert_eq!(err("print((1, 2)"), "SyntaxError: '(' was never closed");
        assert_eq!(err("return 1"), "SyntaxError: 'return' outside function");
        assert_eq!(err("break"), "SyntaxError: 'break' outside loop");
        assert_eq!(
            err("f(a=1, 2)"),
            "SyntaxError: positional argument follows keyword argument"
        );
        assert_eq!(
            err("f() = 1"),
            "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?"
        );
        assert_eq!(
            err("def f(a=1, b):\n    pass"),
            "SyntaxError: parameter without a default follows parameter with a default"
        );
        assert_eq!(
            err("f(x for x in y, 1)"),
            "SyntaxError: Generator expression must be parenthesized"
        );
    }

    #[test]
    fn error_spans() {
        let e = parse_module("x = (1 +\n").unwrap_err();
        assert_eq!(e.span, Some(Span { start: 4, end: 5 }));
        let e = parse_module("a = 1 2").unwrap_err();
        assert_eq!(e.span, Some(Span { start: 6, end: 7 }));
    }
}
