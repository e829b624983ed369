//! Tracebacks naming every frame an exception passed through (`PyErr::frames`): CPython's
//! layout for `gradbook run`, IPython's for the REPL (the transcript keeps only the last
//! line, `Type: message`, as IPython's recorded output does).

use super::source::Location;
use crate::error::{PyErr, Span};

/// Where the code of one interpreter cell came from: IPython's label (`Cell In[3]`,
/// `File /tmp/x.py`), the text line numbers count in, and where the cell's code starts in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub label: String,
    pub text: String,
    pub offset: usize,
}

impl Source {
    fn locate(&self, span: Span) -> Option<Location> {
        let shifted = Span {
            start: span.start + self.offset,
            end: span.end + self.offset,
        };
        Location::find(&self.text, shifted)
    }
}

/// The frames outermost first: the cell's own (`None` for its name), then each function.
fn frames_outermost_first(err: &PyErr, top_cell: u64) -> Vec<(Option<String>, u64, Option<Span>)> {
    let mut frames = vec![(None, top_cell, err.span)];
    for f in err.frames.iter().rev() {
        let sig = format!("{}({})", f.name, f.params.join(", "));
        frames.push((Some(sig), f.cell, f.span));
    }
    frames
}

/// CPython 3.11's traceback for a script whose every frame is in `text`, ending with the
/// `Type: message` line.
pub fn python_traceback(err: &PyErr, file: &str, text: &str) -> String {
    let source = Source {
        label: String::new(),
        text: text.to_string(),
        offset: 0,
    };
    if is_syntax(err) {
        let label = format!("File \"{file}\"");
        return match err.span.and_then(|s| source.locate(s)) {
            Some(loc) => format!("{}{err}\n", syntax_lines(&label, &loc)),
            None => format!("{err}\n"),
        };
    }
    let mut out = String::from("Traceback (most recent call last):\n");
    for (sig, _, span) in frames_outermost_first(err, 0) {
        let name = sig
            .as_deref()
            .map_or("<module>", |s| s.split('(').next().unwrap_or(s));
        let Some(loc) = span.and_then(|s| source.locate(s)) else {
            continue;
        };
        out.push_str(&format!(
            "  File \"{file}\", line {}, in {name}\n",
            loc.line_no
        ));
        let (line, caret) = loc.caret_lines();
        out.push_str(&line);
        out.push('\n');
        // 3.11 leaves the carets out when they would underline the whole line.
        if caret.trim().len() < line.trim().chars().count() {
            out.push_str(&caret);
            out.push('\n');
        }
    }
    // CPython's last line is the bare type when the message is empty (`KeyboardInterrupt`),
    // where IPython and the transcripts write `Type:`.
    if err.msg.is_empty() {
        out.push_str(&err.type_name());
    } else {
        out.push_str(&err.to_string());
    }
    out.push('\n');
    out
}

/// Syntax errors are not raised by a frame: Python shows the line and one caret where the
/// parser stopped, and no "Traceback" heading.
pub fn is_syntax(err: &PyErr) -> bool {
    use crate::error::ErrorKind::{IndentationError, SyntaxError};
    matches!(err.kind, SyntaxError | IndentationError)
}

/// `  File "x.py", line 2` (or `  Cell In[2], line 2`), the line, one caret.
pub fn syntax_lines(label: &str, loc: &Location) -> String {
    let one = Location {
        width: 1,
        ..loc.clone()
    };
    let (line, caret) = one.caret_lines();
    format!("  {label}, line {}\n{line}\n{caret}\n", loc.line_no)
}

/// IPython's context traceback (`xmode Context`) without the final `Type: message` line:
/// the rule, the type with `Traceback (most recent call last)`, then per frame its label and
/// up to three lines before and two after the failing one, `---->` marking it. `source`
/// finds an interpreter cell's code. None when no frame can be shown.
pub fn ipython_traceback(
    err: &PyErr,
    top_cell: u64,
    source: impl Fn(u64) -> Option<Source>,
) -> Option<String> {
    let mut blocks = Vec::new();
    for (sig, cell, span) in frames_outermost_first(err, top_cell) {
        let (Some(src), Some(span)) = (source(cell), span) else {
            continue;
        };
        let Some(loc) = src.locate(span) else {
            continue;
        };
        let file = src.label.starts_with("File ");
        let mut block = if file {
            format!("{}:{}", src.label, loc.line_no)
        } else {
            format!("{}, line {}", src.label, loc.line_no)
        };
        if let Some(sig) = sig {
            block.push_str(&format!(", in {sig}"));
        }
        block.push('\n');
        let lines: Vec<&str> = src.text.lines().collect();
        let first = loc.line_no.saturating_sub(3).max(1);
        let last = (loc.line_no + 2).min(lines.len());
        let width = last.to_string().len();
        for n in first..=last {
            let marker = if n == loc.line_no { "---->" } else { "     " };
            let text = lines.get(n - 1).copied().unwrap_or_default();
            block.push_str(format!("{marker} {n:>width$} {text}").trim_end());
            block.push('\n');
        }
        blocks.push(block);
    }
    if blocks.is_empty() {
        return None;
    }
    let kind = err.kind.name();
    let heading = "Traceback (most recent call last)";
    let pad = 75usize.saturating_sub(kind.len() + heading.len()).max(1);
    Some(format!(
        "{}\n{kind}{}{heading}\n{}\n",
        // (each block ends with its last line's newline; one blank line precedes the error)
        "-".repeat(75),
        " ".repeat(pad),
        blocks.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::zero_division_error;

    fn span_of(text: &str, what: &str) -> Span {
        let start = text.find(what).unwrap_or_default();
        Span {
            start,
            end: start + what.len(),
        }
    }

    #[test]
    fn every_frame_python_and_ipython() {
        let def = "def f(x):\n    return 1/x";
        let call = "f(0)";
        let err = zero_division_error("division by zero")
            .with_span(span_of(def, "1/x"))
            .leave_frame("f", vec!["x".into()], 1)
            .with_span(span_of(call, "f(0)"));
        let sources = |cell: u64| match cell {
            1 => Some(Source {
                label: "Cell In[1]".into(),
                text: def.into(),
                offset: 0,
            }),
            2 => Some(Source {
                label: "Cell In[2]".into(),
                text: call.into(),
                offset: 0,
            }),
            _ => None,
        };
        assert_eq!(
            ipython_traceback(&err, 2, sources).unwrap_or_default(),
            "---------------------------------------------------------------------------\n\
             ZeroDivisionError                         Traceback (most recent call last)\n\
             Cell In[2], line 1\n\
             ----> 1 f(0)\n\
             \n\
             Cell In[1], line 2, in f(x)\n      \
             1 def f(x):\n\
             ----> 2     return 1/x\n\n"
        );
        let script = "def f(x):\n    return 1/x\nf(0)\n";
        let err = zero_division_error("division by zero")
            .with_span(span_of(script, "1/x"))
            .leave_frame("f", vec!["x".into()], 1)
            .with_span(span_of(script, "f(0)"));
        assert_eq!(
            python_traceback(&err, "s.py", script),
            "Traceback (most recent call last):\n  File \"s.py\", line 3, in <module>\n    f(0)\n  File \"s.py\", line 2, in f\n    return 1/x\n           ^^^\nZeroDivisionError: division by zero\n"
        );
    }
}
