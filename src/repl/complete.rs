//! When is a typed cell complete? IPython's rules, approximated without parsing: open
//! brackets, an open triple-quoted string or a trailing backslash continue the cell; a line
//! ending in `:` (or a decorator) opens a block, and a block ends with a blank line.
//!
//! A local heuristic because `crate::syntax` exports no completeness check yet; a syntax
//! error is "complete", so the interpreter reports it.

/// What a scan of the text found.
#[derive(Default)]
struct Scan {
    depth: usize,
    in_triple: bool,
    /// Some logical line ends with `:` or starts with `@`.
    opens_block: bool,
    /// The last logical line ended with `:` (or is a decorator).
    last_opens: bool,
    trailing_backslash: bool,
}

fn scan(text: &str) -> Scan {
    let mut s = Scan::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut quote: Option<(char, bool)> = None; // (quote char, triple)
    let mut line_last = None; // last significant char of the current logical line
    let mut line_first = None;
    while i < chars.len() {
        let c = chars[i];
        if let Some((q, triple)) = quote {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == q && (!triple || chars[i..].starts_with(&[q, q, q])) {
                i += if triple { 3 } else { 1 };
                quote = None;
                line_last = Some(q);
                continue;
            }
            if c == '\n' && !triple {
                quote = None; // an unterminated string: a syntax error for the interpreter
            } else {
                i += 1;
                continue;
            }
        }
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\'' | '"' => {
                let triple = chars[i..].starts_with(&[c, c, c]);
                quote = Some((c, triple));
                line_first.get_or_insert(c);
                i += if triple { 3 } else { 1 };
                continue;
            }
            '(' | '[' | '{' => s.depth += 1,
            ')' | ']' | '}' => s.depth = s.depth.saturating_sub(1),
            '\n' => {
                let continued = line_last == Some('\\');
                if s.depth == 0 && !continued {
                    end_line(&mut s, line_first, line_last);
                    line_first = None;
                    line_last = None;
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        if !c.is_whitespace() {
            line_first.get_or_insert(c);
            line_last = Some(c);
        }
        i += 1;
    }
    s.in_triple = matches!(quote, Some((_, true)));
    s.trailing_backslash = line_last == Some('\\');
    if line_first.is_some() {
        end_line(&mut s, line_first, line_last);
    }
    s
}

fn end_line(s: &mut Scan, first: Option<char>, last: Option<char>) {
    if first.is_none() {
        return;
    }
    let opens = s.depth == 0 && (last == Some(':') || first == Some('@'));
    s.opens_block |= opens;
    s.last_opens = opens;
}

/// True when the cell can run as typed; false when the REPL should ask for another line.
pub fn is_complete(text: &str) -> bool {
    let s = scan(text);
    if s.depth > 0 || s.in_triple || s.trailing_backslash || s.last_opens {
        return false;
    }
    let last_blank = text.rsplit('\n').next().is_none_or(|l| l.trim().is_empty());
    !s.opens_block || last_blank
}

#[cfg(test)]
mod tests {
    use super::is_complete;

    #[test]
    fn simple_statements_are_complete() {
        assert!(is_complete("x = 1"));
        assert!(is_complete("d = {1: 2}"));
        assert!(is_complete("f = lambda x: x"));
        assert!(is_complete("t[1:]"));
        assert!(is_complete("s = 'a:'  # comment:"));
        assert!(is_complete("for i in range(3): print(i)"));
        assert!(is_complete(""));
    }

    #[test]
    fn open_brackets_strings_and_backslashes_continue() {
        assert!(!is_complete("x = (1,"));
        assert!(!is_complete("x = [\n 1,"));
        assert!(is_complete("x = [\n 1,\n]"));
        assert!(!is_complete("s = \"\"\"doc"));
        assert!(is_complete("s = \"\"\"doc\n\"\"\""));
        assert!(!is_complete("x = 1 + \\"));
        assert!(is_complete("s = '(' "));
    }

    #[test]
    fn blocks_end_with_a_blank_line() {
        assert!(!is_complete("def f(x):"));
        assert!(!is_complete("def f(x):\n    return x"));
        assert!(is_complete("def f(x):\n    return x\n"));
        assert!(is_complete("def f(x):\n    return x\n   "));
        assert!(!is_complete("if x:  # why\n"));
        assert!(!is_complete("@decorate"));
        assert!(!is_complete("def f(a,\n      b):"));
    }
}
