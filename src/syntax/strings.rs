//! String literals: prefixes, quotes, escape sequences and f-string replacement fields.

use super::ast::FPart;
use super::parser::{parse_expr_at, syntax_error};
use crate::error::{PyResult, Span};

pub struct Literal {
    pub is_f: bool,
    pub parts: Vec<FPart>,
    /// The value of a bytes literal (`b'...'`); `parts` is then empty.
    pub bytes: Option<Vec<u8>>,
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
    if prefix.contains('b') {
        let body = &src[body_start..body_end];
        let body_span = Span {
            start: body_start,
            end: body_end,
        };
        return Ok(Literal {
            is_f,
            parts: Vec::new(),
            bytes: Some(bytes_value(body, raw, body_span)?),
        });
    }
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
            bytes: None,
        });
    }
    let parts = fstring_parts(src, body_start, body_end, raw, false)?;
    Ok(Literal {
        is_f,
        parts,
        bytes: None,
    })
}

/// The bytes of a bytes literal body: ASCII only; `\xhh` and octal escapes are bytes, and
/// `\N`, `\u`, `\U` are not escapes there (CPython keeps them as written).
fn bytes_value(body: &str, raw: bool, span: Span) -> PyResult<Vec<u8>> {
    if !body.is_ascii() {
        return Err(syntax_error(
            "bytes can only contain ASCII literal characters",
            span,
        ));
    }
    if raw {
        return Ok(body.as_bytes().to_vec());
    }
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let e = b[i + 1];
        i += 2;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match b.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = b.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => {
                        let at = i - 2;
                        return Err(syntax_error(
                            format!("(value error) invalid \\x escape at position {at}"),
                            span,
                        ));
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// `\N{NAME}` at byte `at` of the body: the named character, or CPython's error.
fn named_char(body: &str, at: usize, span: Span) -> PyResult<(char, usize)> {
    let rest = &body[at + 2..];
    let malformed = || {
        syntax_error(
            format!(
                "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: malformed \\N character escape",
                at,
                at + 1
            ),
            span,
        )
    };
    let Some(inner) = rest.strip_prefix('{') else {
        return Err(malformed());
    };
    let Some(close) = inner.find('}') else {
        return Err(malformed());
    };
    let name = &inner[..close];
    let end = at + 2 + 1 + close;
    match unicode_names2::character(name).filter(|_| !name.is_empty()) {
        Some(c) => Ok((c, end + 1)),
        None => Err(syntax_error(
            format!(
                "(unicode error) 'unicodeescape' codec can't decode bytes in position {at}-{end}: unknown Unicode character name"
            ),
            span,
        )),
    }
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
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'N' => {
                let (ch, next) = named_char(body, at, span)?;
                out.push(ch);
                while chars.peek().is_some_and(|&(i, _)| i < next) {
                    chars.next();
                }
            }
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
                    match chars.peek().and_then(|&(_, c)| c.to_digit(8)) {
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
                let hex: String = (0..n)
                    .filter_map(|_| chars.next().map(|(_, c)| c))
                    .collect();
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
