//! Recursive-descent parser from tokens to the AST, with CPython's error messages.
//! Token helpers and target checks live here; statements in `stmt`, expressions in `expr`.

mod expr;
mod stmt;
#[cfg(test)]
mod tests;

use super::ast::*;
use super::lexer::{TokKind, Token, tokenize, tokenize_expr};
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

pub(super) fn join(a: Span, b: Span) -> Span {
    Span {
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    }
}

pub(super) fn mk(kind: ExprKind, span: Span) -> Expr {
    let depth = 1 + child_depth(&kind);
    Expr { kind, span, depth }
}

/// Expression trees deeper than this raise the RecursionError CPython's `ast.parse` gives.
pub(super) const MAX_EXPR_DEPTH: u32 = 2900;
/// Parser recursion deeper than this is CPython's parser stack overflow (a MemoryError).
pub(super) const MAX_PARSER_DEPTH: usize = 6000;

/// The height of the deepest sub-expression of `kind`.
fn child_depth(kind: &ExprKind) -> u32 {
    let d = |e: &Expr| e.depth;
    let all = |es: &[Expr]| es.iter().map(|e| e.depth).max().unwrap_or(0);
    let comps = |cs: &[Comprehension]| {
        cs.iter()
            .map(|c| d(&c.target).max(d(&c.iter)).max(all(&c.ifs)))
            .max()
            .unwrap_or(0)
    };
    let parts = |ps: &[FPart]| {
        ps.iter()
            .map(|p| match p {
                FPart::Lit(_) => 0,
                FPart::Expr { expr, .. } => d(expr),
            })
            .max()
            .unwrap_or(0)
    };
    match kind {
        ExprKind::Name(_)
        | ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bytes(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Ellipsis
        | ExprKind::Lambda(_) => 0,
        ExprKind::FString(ps) => parts(ps),
        ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => all(es),
        ExprKind::Dict(items) => items
            .iter()
            .map(|(k, v)| k.as_ref().map_or(0, d).max(d(v)))
            .max()
            .unwrap_or(0),
        ExprKind::Yield(e) => e.as_ref().map_or(0, |e| d(e)),
        ExprKind::Starred(e)
        | ExprKind::YieldFrom(e)
        | ExprKind::Attribute(e, _)
        | ExprKind::Unary(_, e)
        | ExprKind::NamedExpr(_, e) => d(e),
        ExprKind::Subscript(a, b) | ExprKind::Binary(_, a, b) | ExprKind::BoolOp(_, a, b) => {
            d(a).max(d(b))
        }
        ExprKind::Slice(a, b, c) => [a, b, c]
            .iter()
            .map(|e| e.as_ref().map_or(0, |e| d(e)))
            .max()
            .unwrap_or(0),
        ExprKind::Call(f, args) => args
            .iter()
            .map(|a| match a {
                Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::DoubleStar(e) => d(e),
            })
            .max()
            .unwrap_or(0)
            .max(d(f)),
        ExprKind::Compare(a, rest) => rest.iter().map(|(_, e)| d(e)).max().unwrap_or(0).max(d(a)),
        ExprKind::IfExp(a, b, c) => d(a).max(d(b)).max(d(c)),
        ExprKind::ListComp(e, cs) | ExprKind::SetComp(e, cs) | ExprKind::GenExp(e, cs) => {
            d(e).max(comps(cs))
        }
        ExprKind::DictComp(k, v, cs) => d(k).max(d(v)).max(comps(cs)),
    }
}

impl Parser<'_> {
    /// Runs one level of the parser's recursion, refusing to go deeper than CPython's parser
    /// stack, and checks the depth of the tree it returns.
    pub(super) fn nested(&mut self, f: fn(&mut Self) -> PyResult<Expr>) -> PyResult<Expr> {
        if self.recursion >= MAX_PARSER_DEPTH {
            return Err(PyErr::new(ErrorKind::MemoryError, ""));
        }
        self.recursion += 1;
        let r = f(self);
        self.recursion -= 1;
        check_depth(r?)
    }
}

/// CPython's limit on expression depth when a cell is parsed (`ast.parse`, as IPython does).
pub(super) fn check_depth(e: Expr) -> PyResult<Expr> {
    if e.depth > MAX_EXPR_DEPTH {
        return Err(PyErr::new(
            ErrorKind::RecursionError,
            "maximum recursion depth exceeded during ast construction",
        ));
    }
    Ok(e)
}

/// What a target position is used for; decides the error wording.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum TargetCtx {
    Assign,
    For,
    Del,
    With,
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// Nesting of function bodies (`return` is only valid inside one).
    func_depth: usize,
    /// Nesting of loops in the current function (`break`/`continue`).
    loop_depth: usize,
    /// Depth of the parser's own recursion (bounded: see `MAX_PARSER_DEPTH`).
    recursion: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str, toks: Vec<Token>) -> Parser<'a> {
        Parser {
            src,
            toks,
            pos: 0,
            func_depth: 0,
            loop_depth: 0,
            recursion: 0,
        }
    }

    // ----- token helpers -----

    pub(super) fn peek(&self) -> Token {
        self.toks[self.pos.min(self.toks.len() - 1)]
    }
    pub(super) fn peek_at(&self, n: usize) -> Token {
        self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }
    pub(super) fn advance(&mut self) -> Token {
        let t = self.peek();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    pub(super) fn text(&self, t: Token) -> &'a str {
        &self.src[t.span.start..t.span.end]
    }
    pub(super) fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].span.end
        }
    }
    pub(super) fn is_op(&self, op: &str) -> bool {
        self.peek().kind == TokKind::Op(intern(op))
    }
    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.advance();
            true
        } else {
            false
        }
    }
    pub(super) fn is_kw(&self, kw: &str) -> bool {
        let t = self.peek();
        t.kind == TokKind::Name && self.text(t) == kw
    }
    pub(super) fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }
    pub(super) fn skip_newlines(&mut self) {
        while self.peek().kind == TokKind::Newline {
            self.advance();
        }
    }
    pub(super) fn err_at(&self, msg: &str, span: Span) -> PyErr {
        syntax_error(msg, span)
    }
    /// "invalid syntax" at the current token.
    pub(super) fn invalid(&self) -> PyErr {
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
    pub(super) fn expect_op(&mut self, op: &str) -> PyResult<Token> {
        if self.is_op(op) {
            Ok(self.advance())
        } else if op == ":" || op == "(" || op == "=" {
            Err(syntax_error(format!("expected '{op}'"), self.peek().span))
        } else {
            Err(self.invalid())
        }
    }
    pub(super) fn name(&mut self) -> PyResult<(Name, Span)> {
        let t = self.peek();
        if t.kind == TokKind::Name && !is_keyword(self.text(t)) {
            self.advance();
            Ok((Rc::from(self.text(t)), t.span))
        } else {
            Err(self.invalid())
        }
    }
    pub(super) fn at_name(&self) -> bool {
        let t = self.peek();
        t.kind == TokKind::Name && !is_keyword(self.text(t))
    }
}

pub(super) fn intern(op: &str) -> &'static str {
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
pub(super) fn describe(e: &Expr) -> &'static str {
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

pub(super) fn check_target(e: &Expr, ctx: TargetCtx) -> PyResult<()> {
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
