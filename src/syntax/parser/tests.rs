//! Parser tests: precedence, spans, statements, f-strings and CPython's error messages.

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
