//! Tokens: a `logos` scanner for the raw tokens of one line, then Python's indentation pass
//! (NEWLINE / INDENT / DEDENT, implicit line joining inside brackets).

use crate::error::{ErrorKind, PyErr, Span};
use logos::Logos;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Name,
    Int,
    Float,
    /// A string literal with any prefix (`r`, `b`, `f`, ...); decoded by the parser.
    Str,
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokKind,
    pub span: Span,
}

/// Why a raw token failed to scan.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LexError {
    #[default]
    Invalid,
    UnterminatedString,
    UnterminatedTriple,
}

/// Every operator and delimiter; the scanner matches the longest one.
const OPS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
];

fn intern_op(s: &str) -> &'static str {
    OPS.iter().copied().find(|op| *op == s).unwrap_or("?")
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\x0C]+")]
#[logos(skip r"\\\r?\n")]
#[logos(skip(r"#[^\r\n]*", allow_greedy = true))]
enum Raw {
    #[regex(r"\r?\n")]
    Newline,
    #[regex(r"[A-Za-z_\u{80}-\u{10FFFF}][A-Za-z0-9_\u{80}-\u{10FFFF}]*")]
    Name,
    #[regex(r"[0-9][0-9_]*")]
    #[regex(r"0[xX][0-9a-fA-F_]+")]
    #[regex(r"0[bB][01_]+")]
    #[regex(r"0[oO][0-7_]+")]
    Int,
    #[regex(r"[0-9][0-9_]*\.[0-9_]*([eE][+-]?[0-9_]+)?")]
    #[regex(r"\.[0-9][0-9_]*([eE][+-]?[0-9_]+)?")]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9_]+")]
    Float,
    #[regex(r#"([rRuUfFbB]|[rR][bBfF]|[bBfF][rR])?["']"#, lex_string)]
    Str,
    #[regex(r"\*\*=|//=|>>=|<<=|\.\.\.|->|:=|\*\*|//|<<|>>|<=|>=|==|!=|\+=|-=|\*=|/=|%=|&=|\|=|\^=|@=|[-+*/%@&|^~<>()\[\]{},:;.=]")]
    Op,
}

/// Scans the body of a string literal whose opening quote was just matched.
fn lex_string(lex: &mut logos::Lexer<Raw>) -> Result<(), LexError> {
    let quote = lex.slice().chars().last().unwrap_or('"');
    let rest = lex.remainder();
    let triple_open: String = [quote, quote].iter().collect();
    let triple = rest.starts_with(&triple_open);
    let body_start = if triple { 2 } else { 0 };
    let mut chars = rest[body_start..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '\n' if !triple => {
                lex.bump(body_start + i);
                return Err(LexError::UnterminatedString);
            }
            c if c == quote => {
                let after = body_start + i + 1;
                if !triple {
                    lex.bump(after);
                    return Ok(());
                }
                if rest[after..].starts_with(&triple_open) {
                    lex.bump(after + 2);
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    lex.bump(rest.len());
    Err(if triple {
        LexError::UnterminatedTriple
    } else {
        LexError::UnterminatedString
    })
}

fn syntax_error(msg: impl Into<String>, span: Span) -> PyErr {
    PyErr::new(ErrorKind::SyntaxError, msg).with_span(span)
}

fn indentation_error(msg: impl Into<String>, span: Span) -> PyErr {
    PyErr::new(ErrorKind::IndentationError, msg).with_span(span)
}

/// 1-based line number of byte `pos` in `src`.
pub fn line_of(src: &str, pos: usize) -> usize {
    src[..pos.min(src.len())].matches('\n').count() + 1
}

fn closing_for(open: &str) -> &'static str {
    match open {
        "(" => ")",
        "[" => "]",
        _ => "}",
    }
}

/// What the tokenizer saw at the end of the source; used by `is_complete`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndState {
    /// Brackets still open at the end.
    pub open_brackets: usize,
    /// The source ended inside a triple-quoted string.
    pub open_triple_string: bool,
    /// Indentation depth of the last logical line (0 = top level).
    pub last_indent_depth: usize,
}

/// Tokenizes `src[range]` (spans stay relative to `src`) into the parser's token stream.
pub fn tokenize(src: &str) -> Result<Vec<Token>, PyErr> {
    tokenize_with_state(src).0
}

pub fn tokenize_with_state(src: &str) -> (Result<Vec<Token>, PyErr>, EndState) {
    let mut state = EndState::default();
    let result = run(src, 0, src.len(), true, &mut state);
    (result, state)
}

/// Tokenizes a sub-expression (an f-string replacement field) found at `src[start..end]`:
/// no indentation handling, newlines are ignored as inside brackets.
pub fn tokenize_expr(src: &str, start: usize, end: usize) -> Result<Vec<Token>, PyErr> {
    let mut state = EndState::default();
    run(src, start, end, false, &mut state)
}

fn run(
    src: &str,
    start: usize,
    end: usize,
    layout: bool,
    state: &mut EndState,
) -> Result<Vec<Token>, PyErr> {
    let mut out: Vec<Token> = Vec::new();
    let mut brackets: Vec<(&'static str, Span)> = Vec::new();
    // Each level's width with tabs to multiples of 8 and with tabs as one column: CPython's
    // tokenizer calls the indentation inconsistent (TabError) when the two orders disagree.
    let mut indents: Vec<(usize, usize)> = vec![(0, 0)];
    // A UTF-8 byte-order mark at the start of a file is skipped, as CPython does.
    let start = if start == 0 && src[..end].starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        start
    };
    // True while no token of the current logical line has been emitted yet.
    let mut at_line_start = true;
    let text = &src[start..end];
    let mut lex = Raw::lexer(text);
    while let Some(raw) = lex.next() {
        let r = lex.span();
        let span = Span {
            start: start + r.start,
            end: start + r.end,
        };
        let raw = match raw {
            Ok(raw) => raw,
            Err(LexError::UnterminatedString) => {
                return Err(syntax_error(
                    format!(
                        "unterminated string literal (detected at line {})",
                        line_of(src, span.end)
                    ),
                    span,
                ));
            }
            Err(LexError::UnterminatedTriple) => {
                state.open_triple_string = true;
                return Err(syntax_error(
                    format!(
                        "unterminated triple-quoted string literal (detected at line {})",
                        line_of(src, span.end)
                    ),
                    span,
                ));
            }
            Err(LexError::Invalid) => {
                let c = lex.slice().chars().next().unwrap_or(' ');
                let msg = if c.is_ascii() {
                    "invalid syntax".to_string()
                } else {
                    format!("invalid character '{}' (U+{:04X})", c, c as u32)
                };
                return Err(syntax_error(msg, span));
            }
        };
        if raw == Raw::Newline {
            if !brackets.is_empty() || !layout {
                continue;
            }
            if !at_line_start {
                out.push(Token {
                    kind: TokKind::Newline,
                    span,
                });
                at_line_start = true;
            }
            continue;
        }
        if at_line_start && layout {
            at_line_start = false;
            let line_start = src[..span.start].rfind('\n').map_or(start, |p| p + 1);
            let ws = &src[line_start..span.start];
            let (col, alt) = (indent_width(ws), ws.chars().count());
            let (current, current_alt) = *indents.last().unwrap_or(&(0, 0));
            let tab_error = || {
                PyErr::new(
                    ErrorKind::TabError,
                    "inconsistent use of tabs and spaces in indentation",
                )
                .with_span(span)
            };
            if col > current {
                if alt <= current_alt {
                    return Err(tab_error());
                }
                // CPython's tokenizer MAXINDENT.
                if indents.len() > 100 {
                    return Err(indentation_error("too many levels of indentation", span));
                }
                indents.push((col, alt));
                out.push(Token {
                    kind: TokKind::Indent,
                    span,
                });
            } else if col < current {
                while indents.last().is_some_and(|&(i, _)| i > col) {
                    indents.pop();
                    out.push(Token {
                        kind: TokKind::Dedent,
                        span,
                    });
                }
                match indents.last() {
                    Some(&(c, a)) if c == col => {
                        if a != alt {
                            return Err(tab_error());
                        }
                    }
                    _ => {
                        return Err(indentation_error(
                            "unindent does not match any outer indentation level",
                            span,
                        ));
                    }
                }
            } else if alt != current_alt {
                return Err(tab_error());
            }
        }
        let kind = match raw {
            Raw::Name => TokKind::Name,
            Raw::Int => {
                check_number(lex.slice(), false, span)?;
                TokKind::Int
            }
            Raw::Float => {
                check_number(lex.slice(), true, span)?;
                TokKind::Float
            }
            Raw::Str => TokKind::Str,
            Raw::Op => {
                let op = intern_op(lex.slice());
                match op {
                    "(" | "[" | "{" => {
                        // CPython's tokenizer limit; also keeps the parser's recursion bounded.
                        if brackets.len() >= 200 {
                            return Err(syntax_error("too many nested parentheses", span));
                        }
                        brackets.push((op, span))
                    }
                    ")" | "]" | "}" => match brackets.pop() {
                        None => return Err(syntax_error(format!("unmatched '{op}'"), span)),
                        Some((open, open_span)) if closing_for(open) != op => {
                            let msg = if line_of(src, open_span.start) == line_of(src, span.start) {
                                format!(
                                    "closing parenthesis '{op}' does not match opening parenthesis '{open}'"
                                )
                            } else {
                                format!(
                                    "closing parenthesis '{op}' does not match opening parenthesis '{open}' on line {}",
                                    line_of(src, open_span.start)
                                )
                            };
                            return Err(syntax_error(msg, span));
                        }
                        Some(_) => {}
                    },
                    _ => {}
                }
                TokKind::Op(op)
            }
            Raw::Newline => TokKind::Newline,
        };
        out.push(Token { kind, span });
    }
    state.open_brackets = brackets.len();
    state.last_indent_depth = indents.len() - 1;
    if let Some((open, span)) = brackets.first() {
        return Err(syntax_error(format!("'{open}' was never closed"), *span));
    }
    let eof = Span { start: end, end };
    if layout {
        if !at_line_start {
            out.push(Token {
                kind: TokKind::Newline,
                span: eof,
            });
        }
        for _ in 1..indents.len() {
            out.push(Token {
                kind: TokKind::Dedent,
                span: eof,
            });
        }
    }
    out.push(Token {
        kind: TokKind::End,
        span: eof,
    });
    Ok(out)
}

/// Width of leading white space, tabs advancing to the next multiple of 8 as in CPython.
/// CPython's tokenizer rules the number regexes leave out: an underscore only between
/// digits (or right after a base prefix), and no leading zeros in a decimal integer.
fn check_number(text: &str, float: bool, span: Span) -> Result<(), PyErr> {
    let lower = text.to_ascii_lowercase();
    let (kind, body) = match lower.get(..2) {
        Some("0x") => (
            "hexadecimal",
            lower[2..].strip_prefix('_').unwrap_or(&lower[2..]),
        ),
        Some("0o") => ("octal", lower[2..].strip_prefix('_').unwrap_or(&lower[2..])),
        Some("0b") => (
            "binary",
            lower[2..].strip_prefix('_').unwrap_or(&lower[2..]),
        ),
        _ => ("decimal", &lower[..]),
    };
    let groups: Vec<&str> = if kind == "decimal" {
        body.split(['.', 'e', '+', '-']).collect()
    } else {
        vec![body]
    };
    if groups
        .iter()
        .any(|g| g.starts_with('_') || g.ends_with('_') || g.contains("__"))
    {
        return Err(syntax_error(format!("invalid {kind} literal"), span));
    }
    if !float
        && kind == "decimal"
        && body.starts_with('0')
        && body.bytes().any(|b| b.is_ascii_digit() && b != b'0')
    {
        return Err(syntax_error(
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
            span,
        ));
    }
    Ok(())
}

fn indent_width(ws: &str) -> usize {
    ws.chars().fold(0, |col, c| match c {
        '\t' => (col / 8 + 1) * 8,
        _ => col + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        tokenize(src)
            .unwrap()
            .iter()
            .map(|t| match t.kind {
                TokKind::Op(o) => o.to_string(),
                TokKind::Name | TokKind::Int | TokKind::Float | TokKind::Str => {
                    format!("{:?}({})", t.kind, &src[t.span.start..t.span.end])
                }
                k => format!("{k:?}"),
            })
            .collect()
    }

    #[test]
    fn numbers_and_operators() {
        assert_eq!(
            kinds("x = 1e-3 + .5 ** 1. // 0x1F"),
            [
                "Name(x)",
                "=",
                "Float(1e-3)",
                "+",
                "Float(.5)",
                "**",
                "Float(1.)",
                "//",
                "Int(0x1F)",
                "Newline",
                "End"
            ]
        );
        assert_eq!(kinds("a @= b->c")[1], "@=");
        assert_eq!(kinds("t[...]")[2], "...");
    }

    #[test]
    fn strings() {
        assert_eq!(
            kinds(r#"f"{a}" r'\d' '''x'y''' "q\"q""#)[..4],
            [
                r#"Str(f"{a}")"#,
                r"Str(r'\d')",
                "Str('''x'y''')",
                r#"Str("q\"q")"#
            ]
        );
        let e = tokenize("s = 'abc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "SyntaxError: unterminated string literal (detected at line 1)"
        );
        let (r, st) = tokenize_with_state("s = '''abc\n");
        assert!(r.is_err());
        assert!(st.open_triple_string);
    }

    #[test]
    fn indentation() {
        assert_eq!(
            kinds("if x:\n    y\n\n    # c\nz"),
            [
                "Name(if)", "Name(x)", ":", "Newline", "Indent", "Name(y)", "Newline", "Dedent",
                "Name(z)", "Newline", "End"
            ]
        );
        let e = tokenize("if x:\n    y\n  z").unwrap_err();
        assert_eq!(
            e.to_string(),
            "IndentationError: unindent does not match any outer indentation level"
        );
    }

    #[test]
    fn brackets_join_lines() {
        assert_eq!(kinds("f(1,\n  2)\\\n + 3").len(), 10);
        assert_eq!(
            tokenize("f(1, [2)").unwrap_err().to_string(),
            "SyntaxError: closing parenthesis ')' does not match opening parenthesis '['"
        );
        let e = tokenize("x = (1,\n2").unwrap_err();
        assert_eq!(e.to_string(), "SyntaxError: '(' was never closed");
        assert_eq!(e.span, Some(Span { start: 4, end: 5 }));
        assert_eq!(
            tokenize("x)").unwrap_err().to_string(),
            "SyntaxError: unmatched ')'"
        );
    }
}
