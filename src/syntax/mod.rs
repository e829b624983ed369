//! Lexing (logos), indentation, parsing to an AST with spans. (Owned by the language work.)

pub mod ast;
pub mod lexer;
pub mod parser;
mod scope;
mod strings;

pub use ast::{Expr, ExprKind, Stmt, StmtKind};

use crate::error::{ErrorKind, PyResult};

/// Parses one cell into its statements.
pub fn parse(src: &str) -> PyResult<Vec<Stmt>> {
    parser::parse_module(src)
}

/// Whether the REPL should run a cell or keep reading lines (IPython's `check_complete`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    Incomplete,
    /// Will not parse no matter what follows; run it to show the error.
    Invalid,
}

/// A cell is incomplete while brackets or a triple-quoted string are open, a line ends with
/// `:` or `\`, or an indented block is open and the last line is not blank.
pub fn check_complete(src: &str) -> Completeness {
    if src.trim().is_empty() {
        return Completeness::Complete;
    }
    if src.trim_end_matches(['\n', '\r']).ends_with('\\') {
        return Completeness::Incomplete;
    }
    let (tokens, state) = lexer::tokenize_with_state(src);
    if state.open_triple_string || state.open_brackets > 0 {
        return Completeness::Incomplete;
    }
    let tokens = match tokens {
        Ok(t) => t,
        Err(_) => return Completeness::Invalid,
    };
    // Last significant token: a trailing `:` opens a block (also `@decorator` lines).
    let last = tokens.iter().rev().find(|t| {
        !matches!(
            t.kind,
            lexer::TokKind::Newline | lexer::TokKind::Dedent | lexer::TokKind::End
        )
    });
    if let Some(t) = last
        && t.kind == lexer::TokKind::Op(":")
    {
        return Completeness::Incomplete;
    }
    let last_line_blank = src.ends_with('\n')
        && src.trim_end_matches([' ', '\t']).ends_with("\n\n")
        || src.lines().last().is_some_and(|l| l.trim().is_empty());
    if state.last_indent_depth > 0 && !last_line_blank {
        return Completeness::Incomplete;
    }
    match parse(src) {
        Ok(_) => Completeness::Complete,
        Err(e) => {
            let decorator_pending = src
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with('@'));
            if e.kind == ErrorKind::IndentationError
                && e.msg.starts_with("expected an indented block")
                || decorator_pending
            {
                Completeness::Incomplete
            } else {
                Completeness::Invalid
            }
        }
    }
}

/// True when the REPL may run the cell now (complete, or invalid so the error shows).
pub fn is_complete(src: &str) -> bool {
    check_complete(src) != Completeness::Incomplete
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completeness() {
        use Completeness::*;
        assert_eq!(check_complete("x = 1"), Complete);
        assert_eq!(check_complete("x = (1,"), Incomplete);
        assert_eq!(check_complete("for i in x:"), Incomplete);
        assert_eq!(check_complete("for i in x:\n    print(i)"), Incomplete);
        assert_eq!(check_complete("for i in x:\n    print(i)\n"), Incomplete);
        assert_eq!(check_complete("for i in x:\n    print(i)\n\n"), Complete);
        assert_eq!(check_complete("def f():\n    return 1\nf()"), Complete);
        assert_eq!(check_complete("x = 1 + \\"), Incomplete);
        assert_eq!(check_complete("s = '''abc"), Incomplete);
        assert_eq!(check_complete("@dec"), Incomplete);
        assert_eq!(check_complete("x = )"), Invalid);
        assert_eq!(check_complete("x = "), Invalid);
        assert_eq!(check_complete(""), Complete);
    }
}
