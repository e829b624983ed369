//! The `.session` transcript format (see `reference/session-format.md`): parse and render.
//!
//! Parsing keeps each cell's output as raw lines, so parse → render is byte-identical for any
//! well-formed file; `Cell::expected` gives the structured view (printed text, `Out`, error).

use crate::error::ErrorKind;

/// A whole transcript: the header (lines before the first cell, kept verbatim) and its cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub header: Vec<String>,
    pub cells: Vec<Cell>,
}

/// One notebook cell: its source (lines joined by `\n`) and its output lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub code: String,
    /// Output lines, trailing white space stripped, trailing blank lines dropped.
    pub output: Vec<String>,
}

/// The structured reading of a cell's output lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expected {
    /// Lines printed by the cell before its `Out` or error.
    pub printed: Vec<String>,
    /// The value's repr lines after `Out[N]:`.
    pub value: Option<Vec<String>>,
    /// The final `Type: message` line.
    pub error: Option<String>,
}

/// `In [N]:` — what IPython prints before the first line of cell N.
pub fn in_prompt(number: usize) -> String {
    format!("In [{number}]:")
}

/// `   ...:` — the continuation prompt, its colon under the colon of `In [N]:`.
pub fn continuation_prompt(number: usize) -> String {
    let width = in_prompt(number).len() - 1;
    format!("{:>width$}:", "...")
}

/// `Out[N]:`.
pub fn out_prompt(number: usize) -> String {
    format!("Out[{number}]:")
}

/// Splits `In [N]: code` into its code; None when the line does not start a cell.
fn cell_start(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("In [")?;
    let close = rest.find("]:")?;
    if close == 0 || !rest[..close].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    prompt_rest(&rest[close + 2..])
}

/// Splits `   ...: code` into its code; None when the line is not a continuation line.
fn continuation(line: &str) -> Option<&str> {
    prompt_rest(line.trim_start_matches(' ').strip_prefix("...:")?)
}

/// After a prompt's colon: nothing (a blank code line) or one space that belongs to the prompt.
fn prompt_rest(rest: &str) -> Option<&str> {
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix(' ')
    }
}

/// Strips trailing white space from every line and drops trailing blank lines.
pub fn normalize_lines<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| l.as_ref().trim_end().to_string())
        .collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Splits text into lines the way they appear on a terminal (a final newline ends the last
/// line rather than starting an empty one).
pub fn text_lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

impl Session {
    /// Parses a transcript. Every text is some transcript: lines before the first `In [N]:`
    /// are the header, and lines that are neither code nor a cell start are output.
    pub fn parse(text: &str) -> Session {
        let mut session = Session::default();
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next_if(|l| cell_start(l).is_none()) {
            session.header.push(line.trim_end().to_string());
        }
        while let Some(first) = lines.next() {
            let mut code = vec![cell_start(first).unwrap_or_default().trim_end()];
            while let Some(more) = lines.peek().and_then(|l| continuation(l)) {
                code.push(more.trim_end());
                lines.next();
            }
            let mut output = Vec::new();
            while let Some(line) = lines.next_if(|l| cell_start(l).is_none()) {
                output.push(line);
            }
            session.cells.push(Cell {
                code: code.join("\n"),
                output: normalize_lines(&output),
            });
        }
        session
    }

    /// Renders the transcript in IPython's layout, cells numbered from 1, one blank line
    /// between cells, trailing white space stripped, ending with a newline.
    pub fn render(&self) -> String {
        let mut lines: Vec<String> = self.header.clone();
        for (i, cell) in self.cells.iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            lines.extend(cell.input_lines(i + 1));
            lines.extend(cell.output.iter().cloned());
        }
        let mut text = String::new();
        for line in &lines {
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }

    /// The same header and inputs with new outputs (for replay and bless).
    pub fn with_outputs(&self, outputs: Vec<Vec<String>>) -> Session {
        Session {
            header: self.header.clone(),
            cells: self
                .cells
                .iter()
                .zip(outputs)
                .map(|(cell, output)| Cell {
                    code: cell.code.clone(),
                    output,
                })
                .collect(),
        }
    }
}

impl Cell {
    /// The cell's code behind its prompts: `In [N]: first` then `   ...: more`.
    pub fn input_lines(&self, number: usize) -> Vec<String> {
        let cont = continuation_prompt(number);
        self.code
            .split('\n')
            .enumerate()
            .map(|(i, code)| {
                let prompt = if i == 0 {
                    in_prompt(number)
                } else {
                    cont.clone()
                };
                if code.trim_end().is_empty() {
                    prompt
                } else {
                    format!("{prompt} {}", code.trim_end())
                }
            })
            .collect()
    }

    /// Reads the output lines back as printed text, `Out[N]` value and error line.
    pub fn expected(&self, number: usize) -> Expected {
        let out = out_prompt(number);
        if let Some(at) = self.output.iter().rposition(|l| l.starts_with(&out)) {
            let inline = self.output[at][out.len()..].trim_start();
            let value = if inline.is_empty() {
                self.output[at + 1..].to_vec()
            } else {
                vec![inline.to_string()]
            };
            return Expected {
                printed: self.output[..at].to_vec(),
                value: Some(value),
                error: None,
            };
        }
        let mut printed = self.output.clone();
        let error = printed.pop_if(|l| is_error_line(l));
        Expected {
            printed,
            value: None,
            error,
        }
    }
}

/// `Type: message` or a bare `Type`/`Type:`, where Type is a built-in exception or looks like
/// a user exception class (`ShapeError`).
fn is_error_line(line: &str) -> bool {
    let kind = line.split_once(": ").map_or(line, |(kind, _)| kind);
    let kind = kind.strip_suffix(':').unwrap_or(kind);
    ErrorKind::from_name(kind).is_some()
        || (kind.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && ["Error", "Exception", "Warning"]
                .iter()
                .any(|s| kind.ends_with(s)))
}

/// A cell's output lines from its parts, in IPython's order: printed text, `Out[N]:` (the
/// repr on the same line when it has one line, below it otherwise), then the error line.
pub fn output_lines(
    number: usize,
    printed: &str,
    value: Option<&str>,
    error: Option<&str>,
) -> Vec<String> {
    let mut lines = text_lines(printed);
    if let Some(repr) = value {
        let repr_lines = text_lines(repr);
        match repr_lines.as_slice() {
            [one] => lines.push(format!("{} {one}", out_prompt(number))),
            many => {
                lines.push(out_prompt(number));
                lines.extend(many.iter().cloned());
            }
        }
    }
    if let Some(error) = error {
        lines.extend(text_lines(error));
    }
    normalize_lines(&lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# header line\n\nIn [1]: import torch\n   ...: def f(x):\n   ...:\n   ...:     return x\n\nIn [2]: print(1)\n   ...: f(2)\n1\nOut[2]: 2\n\nIn [3]: t\nOut[3]:\ntensor([[1., 0.],\n\n        [0., 1.]])\n\nIn [4]: x @ y\nhello\nRuntimeError: bad\n";

    #[test]
    fn parses_header_cells_and_outputs() {
        let s = Session::parse(SAMPLE);
        assert_eq!(s.header, vec!["# header line", ""]);
        assert_eq!(s.cells.len(), 4);
        assert_eq!(s.cells[0].code, "import torch\ndef f(x):\n\n    return x");
        assert!(s.cells[0].output.is_empty());
        assert_eq!(s.cells[1].output, vec!["1", "Out[2]: 2"]);
        assert_eq!(
            s.cells[2].output,
            vec!["Out[3]:", "tensor([[1., 0.],", "", "        [0., 1.]])"]
        );
    }

    #[test]
    fn round_trips_byte_identical() {
        assert_eq!(Session::parse(SAMPLE).render(), SAMPLE);
    }

    #[test]
    fn structured_view_of_outputs() {
        let s = Session::parse(SAMPLE);
        let e = s.cells[1].expected(2);
        assert_eq!(e.printed, vec!["1"]);
        assert_eq!(e.value, Some(vec!["2".to_string()]));
        let e = s.cells[2].expected(3);
        assert_eq!(e.value.map(|v| v.len()), Some(3));
        let e = s.cells[3].expected(4);
        assert_eq!(e.printed, vec!["hello"]);
        assert_eq!(e.error.as_deref(), Some("RuntimeError: bad"));
        let plain = Cell {
            code: String::new(),
            output: vec!["grad: 1".into()],
        };
        assert_eq!(plain.expected(1).error, None);
    }

    #[test]
    fn prompts_align_under_the_colon() {
        assert_eq!(continuation_prompt(9), "   ...:");
        assert_eq!(continuation_prompt(10), "    ...:");
        assert_eq!(continuation_prompt(100), "     ...:");
        for n in [1, 42, 512] {
            assert_eq!(in_prompt(n).find(':'), continuation_prompt(n).find(':'));
        }
    }

    #[test]
    fn accepts_any_indent_before_continuation() {
        let s = Session::parse("In [12]: a = 1\n ...: b = 2\n...:\n        ...:   c\n");
        assert_eq!(s.cells[0].code, "a = 1\nb = 2\n\n  c");
        assert_eq!(
            s.render(),
            "In [1]: a = 1\n   ...: b = 2\n   ...:\n   ...:   c\n"
        );
    }

    #[test]
    fn trailing_blank_and_white_space_dropped() {
        let s = Session::parse("In [1]: x   \nOut[1]: 1  \n\n\n\n");
        assert_eq!(s.cells[0].code, "x");
        assert_eq!(s.cells[0].output, vec!["Out[1]: 1"]);
        assert_eq!(s.render(), "In [1]: x\nOut[1]: 1\n");
    }

    #[test]
    fn not_a_cell_start() {
        assert_eq!(cell_start("In [x]: 1"), None);
        assert_eq!(cell_start("In []: 1"), None);
        assert_eq!(cell_start("In [3]:x"), None);
        assert_eq!(cell_start("In [3]:"), Some(""));
        assert_eq!(continuation("...:x"), None);
    }

    #[test]
    fn output_lines_follow_ipython_layout() {
        assert_eq!(
            output_lines(2, "a\nb\n", Some("tensor(1.)"), None),
            vec!["a", "b", "Out[2]: tensor(1.)"]
        );
        assert_eq!(
            output_lines(3, "", Some("tensor([[1.],\n        [2.]])"), None),
            vec!["Out[3]:", "tensor([[1.],", "        [2.]])"]
        );
        assert_eq!(
            output_lines(4, "x\n\n", None, Some("ValueError: v")),
            vec!["x", "", "ValueError: v"]
        );
        assert_eq!(output_lines(5, "\n\n", None, None), Vec::<String>::new());
    }
}
