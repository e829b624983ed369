//! String literals: prefixes, quotes, escape sequences and f-string replacement fields.

use super::ast::FPart;
use super::parser::{parse_expr_at, syntax_error};
use crate::error::{PyResult, Span};

pub struct Literal {
    pub is_f: bool,
    pub parts: Vec<FPart>,
}

/// Decodes the literal at `src[span]` (prefix and quotes included).
pub fn parse_literal(src: &str, span: Span) -> PyResult<Literal> {
    let text = &src[span.start..span.end];
    let prefix_len = text.find(['"', '\'']).unwrap_or(0);
    let prefix = text[..prefix_len].to_ascii_lowercase();
    let raw = prefix.contains('r');
    let is_f = prefix.contains('f');
    let quote = &text[prefix_len..prefix_len + 1];
    let triple = text[prefix_len..].starts_with(&quote.repeat(3)) && text.len() >= prefix_len + 6;
    let q = if triple { 3 } else { 1 };
    let body_start = span.start + prefix_len + q;
    let body_end = span.end - q;
    if !is_f {
        let body = &src[body_start..body_end];
        let s = if raw {
            body.to_string()
        } else {
            unescape(
                body,
                Span {
                    start: body_start,
                    end: body_end,
                },
            )?
        };
        return Ok(Literal {
            is_f,
            parts: vec![FPart::Lit(s)],
        });
    }
    let parts = fstring_parts(src, body_start, body_end, raw, false)?;
    Ok(Literal { is_f, parts })
}

/// Splits an f-string body (or a nested format spec when `in_spec`) into literal text and fields.
fn fstring_parts(
    src: &str,
    start: usize,
    end: usize,
    raw: bool,
    in_spec: bool,
) -> PyResult<Vec<FPart>> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut lit_start = start;
    let bytes = src.as_bytes();
    let mut i = start;
    let flush =
        |lit: &mut String, lit_start: usize, i: usize, parts: &mut Vec<FPart>| -> PyResult<()> {
            if !lit.is_empty() {
                let s = if raw {
                    lit.clone()
                } else {
                    unescape(
                        lit,
                        Span {
                            start: lit_start,
                            end: i,
                        },
                    )?
                };
                parts.push(FPart::Lit(s));
                lit.clear();
            }
            Ok(())
        };
    while i < end {
        let c = bytes[i];
        if c == b'{' {
            if !in_spec && i + 1 < end && bytes[i + 1] == b'{' {
                lit.push('{');
                i += 2;
                continue;
            }
            flush(&mut lit, lit_start, i, &mut parts)?;
            let (part, next) = field(src, i, end, raw)?;
            parts.push(part);
            i = next;
            lit_start = i;
            continue;
        }
        if c == b'}' {
            if !in_spec && i + 1 < end && bytes[i + 1] == b'}' {
                lit.push('}');
                i += 2;
                continue;
            }
            return Err(syntax_error(
                "f-string: single '}' is not allowed",
                Span {
                    start: i,
                    end: i + 1,
                },
            ));
        }
        if c == b'\\' && !raw && i + 1 < end {
            // Keep escapes intact for `unescape`, and never treat an escaped brace as a field.
            let ch_len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
            lit.push_str(&src[i..i + 1 + ch_len]);
            i += 1 + ch_len;
            continue;
        }
        let ch = src[i..].chars().next().unwrap_or(' ');
        lit.push(ch);
        i += ch.len_utf8();
    }
    flush(&mut lit, lit_start, end, &mut parts)?;
    Ok(parts)
}

/// Parses one `{expr[=][!c][:spec]}` starting at the `{` at `open`; returns it and the index
/// after its closing `}`.
fn field(src: &str, open: usize, end: usize, raw: bool) -> PyResult<(FPart, usize)> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = open + 1;
    let mut quote: Option<u8> = None;
    let expr_end;
    let mut debug = false;
    loop {
        if i >= end {
            return Err(syntax_error(
                "f-string: expecting '}'",
                Span {
                    start: open,
                    end: open + 1,
                },
            ));
        }
        let c = bytes[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'\'' | b'"' => quote = Some(c),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b'}' | b':' if depth == 0 => {
                expr_end = i;
                break;
            }
            b'!' if depth == 0 && bytes.get(i + 1) != Some(&b'=') => {
                expr_end = i;
                break;
            }
            b'=' if depth == 0 => {
                let prev = if i > open + 1 { bytes[i - 1] } else { b' ' };
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                if !b"=!<>".contains(&prev) && next != b'=' {
                    debug = true;
                    expr_end = i;
                    i += 1;
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if src[open + 1..expr_end].trim().is_empty() {
        return Err(syntax_error(
            "f-string: valid expression required before '}'",
            Span {
                start: open,
                end: expr_end + 1,
            },
        ));
    }
    let expr = parse_expr_at(src, open + 1, expr_end)?;
    let debug_text = if debug {
        Some(src[open + 1..i].to_string())
    } else {
        None
    };
    // Whitespace after `=` belongs to the printed text.
    let mut debug_text = debug_text;
    if debug {
        while i < end && bytes[i] == b' ' {
            if let Some(t) = debug_text.as_mut() {
                t.push(' ');
            }
            i += 1;
        }
    }
    let mut conversion = None;
    if i < end && bytes[i] == b'!' {
        let c = src[i + 1..].chars().next().unwrap_or(' ');
        if !matches!(c, 'r' | 's' | 'a') {
            return Err(syntax_error(
                "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                Span {
                    start: i,
                    end: i + 2,
                },
            ));
        }
        conversion = Some(c);
        i += 2;
    }
    let mut spec = None;
    if i < end && bytes[i] == b':' {
        let spec_start = i + 1;
        let mut depth = 0usize;
        let mut j = spec_start;
        while j < end {
            match bytes[j] {
                b'{' => depth += 1,
                b'}' if depth == 0 => break,
                b'}' => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        spec = Some(fstring_parts(src, spec_start, j, raw, true)?);
        i = j;
    }
    if i >= end || bytes[i] != b'}' {
        return Err(syntax_error(
            "f-string: expecting '}'",
            Span {
                start: open,
                end: open + 1,
            },
        ));
    }
    Ok((
        FPart::Expr {
            expr: Box::new(expr),
            conversion,
            spec,
            debug_text,
        },
        i + 1,
    ))
}

/// Python escape sequences of a non-raw literal body.
pub fn unescape(body: &str, span: Span) -> PyResult<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..n).filter_map(|_| chars.next()).collect();
                let ch = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == n)
                    .and_then(char::from_u32);
                match ch {
                    Some(ch) => out.push(ch),
                    None => {
                        let what = match e {
                            'x' => "truncated \\xXX escape".to_string(),
                            'u' => "truncated \\uXXXX escape".to_string(),
                            _ => "truncated \\UXXXXXXXX escape".to_string(),
                        };
                        return Err(syntax_error(
                            format!(
                                "(unicode error) 'unicodeescape' codec can't decode bytes: {what}"
                            ),
                            span,
                        ));
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(src: &str) -> String {
        let l = parse_literal(
            src,
            Span {
                start: 0,
                end: src.len(),
            },
        )
        .unwrap();
        match &l.parts[..] {
            [FPart::Lit(s)] => s.clone(),
            [] => String::new(),
            _ => panic!("not a plain literal"),
        }
    }

    #[test]
    fn escapes_and_prefixes() {
        assert_eq!(lit(r#""a\tb\n""#), "a\tb\n");
        assert_eq!(lit(r#"r"a\tb""#), "a\\tb");
        assert_eq!(lit(r#"'\x41\u00e9\101'"#), "Aé A".replace(' ', ""));
        assert_eq!(lit("'''multi\nline'''"), "multi\nline");
        assert_eq!(lit(r#""it's""#), "it's");
        assert_eq!(lit(r#"'\d'"#), "\\d");
        assert_eq!(lit("\"\""), "");
    }

    #[test]
    fn fstring_errors() {
        let src = "f'{}'";
        let e = parse_literal(
            src,
            Span {
                start: 0,
                end: src.len(),
            },
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "SyntaxError: f-string: valid expression required before '}'"
        );
        let src = "f'a}'";
        let e = parse_literal(
            src,
            Span {
                start: 0,
                end: src.len(),
            },
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "SyntaxError: f-string: single '}' is not allowed"
        );
    }

    #[test]
    fn fstring_field_spans_are_absolute() {
        let src = "x = f'ab{val}'";
        let l = parse_literal(
            src,
            Span {
                start: 4,
                end: src.len(),
            },
        )
        .unwrap();
        let FPart::Expr { expr, .. } = &l.parts[1] else {
            panic!()
        };
        assert_eq!(expr.span, Span { start: 9, end: 12 });
    }
}
