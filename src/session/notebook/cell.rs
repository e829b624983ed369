//! Splitting a cell into what runs: plain code, `%magic` lines and `obj?` lines, as IPython's
//! input transformers see them (a magic or help line starts at column 0).

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Consecutive code lines, run by the interpreter as one piece.
    Code(String),
    /// A line magic without its `%` (`who`, `time x @ y`); a cell magic (`%%time`) is the
    /// magic line then its body, as `%time` of the whole body.
    Magic(String),
    /// `obj?`, `?obj`: the expression to describe.
    Help(String),
    /// `!pip install torch`: a shell line, which gradbook does not run (the line, `!` kept).
    Shell(String),
    /// `obj??`, `??obj`: the same with a user function's source.
    Source(String),
}

/// The segments of a cell in order; blank code between magics is dropped.
pub fn split(code: &str) -> Vec<Segment> {
    // `%%time` / `%%timeit` on the first line time the rest of the cell.
    if let Some(rest) = code.strip_prefix("%%") {
        let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
        return vec![Segment::Magic(format!("{}\n{body}", line.trim_end()))];
    }
    let mut segments = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    let flush = |pending: &mut Vec<&str>, segments: &mut Vec<Segment>| {
        if pending.iter().any(|l| !l.trim().is_empty()) {
            segments.push(Segment::Code(pending.join("\n")));
        }
        pending.clear();
    };
    for line in code.split('\n') {
        if line.starts_with('!') {
            flush(&mut pending, &mut segments);
            segments.push(Segment::Shell(line.trim_end().to_string()));
        } else if let Some(magic) = line.strip_prefix('%') {
            flush(&mut pending, &mut segments);
            segments.push(Segment::Magic(magic.trim_end().to_string()));
        } else if let Some(expr) = help_target(line) {
            flush(&mut pending, &mut segments);
            let t = line.trim();
            if t.ends_with("??") || t.starts_with("??") {
                segments.push(Segment::Source(expr));
            } else {
                segments.push(Segment::Help(expr));
            }
        } else {
            pending.push(line);
        }
    }
    flush(&mut pending, &mut segments);
    if segments.is_empty() {
        // An empty cell still runs (and shows nothing).
        segments.push(Segment::Code(code.to_string()));
    }
    segments
}

/// The expression of a help line: `x?`, `x??`, `?x`, `??x`, `torch.exp?`; None for code.
fn help_target(line: &str) -> Option<String> {
    if line.starts_with([' ', '\t', '#']) {
        return None;
    }
    let t = line.trim_end();
    let expr = if let Some(e) = t.strip_suffix('?') {
        e.trim_end_matches('?')
    } else if t.starts_with('?') {
        t.trim_start_matches('?')
    } else {
        return None;
    };
    let expr = expr.trim();
    // Only names and attribute chains, as IPython's help syntax takes them.
    let valid = expr.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || c == '_')
    });
    (valid || expr.is_empty()).then(|| expr.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_help() {
        assert_eq!(split("f??"), vec![Segment::Source("f".into())]);
        assert_eq!(split("??f"), vec![Segment::Source("f".into())]);
    }

    #[test]
    fn code_magics_and_help_in_order() {
        assert_eq!(
            split("x = 1\n%who\ny = 2\nz\nx?"),
            vec![
                Segment::Code("x = 1".into()),
                Segment::Magic("who".into()),
                Segment::Code("y = 2\nz".into()),
                Segment::Help("x".into()),
            ]
        );
        assert_eq!(split("x"), vec![Segment::Code("x".into())]);
        assert_eq!(split(""), vec![Segment::Code("".into())]);
    }

    #[test]
    fn shell_lines_are_their_own_segments() {
        assert_eq!(
            split("!pip install torch\nx = 1\n!ls"),
            vec![
                Segment::Shell("!pip install torch".into()),
                Segment::Code("x = 1".into()),
                Segment::Shell("!ls".into()),
            ]
        );
        assert_eq!(split("x != 1"), vec![Segment::Code("x != 1".into())]);
    }

    #[test]
    fn help_forms() {
        assert_eq!(help_target("torch.exp?").as_deref(), Some("torch.exp"));
        assert_eq!(help_target("??x").as_deref(), Some("x"));
        assert_eq!(help_target("x??").as_deref(), Some("x"));
        assert_eq!(help_target("?").as_deref(), Some(""));
        assert_eq!(help_target("    x?"), None);
        assert_eq!(help_target("f(x)?"), None);
        assert_eq!(help_target("x"), None);
    }

    #[test]
    fn cell_magic_takes_the_body() {
        assert_eq!(
            split("%%timeit -n 1\nx = 1\ny = 2"),
            vec![Segment::Magic("timeit -n 1\nx = 1\ny = 2".into())]
        );
    }
}
