//! Jupyter notebooks (`.ipynb`, nbformat 4) as lessons and golden tests.
//!
//! A notebook reads as a transcript: its code cells are the cells, and the outputs stored in
//! it are the expected outputs (`stream` text and `display_data` `text/plain` as printed text,
//! `execute_result` `text/plain` as `Out[N]`, `error` as `ename: evalue`), so `check` compares
//! them exactly as it compares a `.session`'s. Markdown cells are kept as notes shown between
//! cells. Writing follows nbformat's own serialization (sorted keys, one-space indent, no
//! ASCII escaping, multi-line strings as lists of lines, a final newline); blessing rewrites
//! only the `outputs` and `execution_count` of the cells that changed, in the original text, so
//! everything else stays byte for byte.

use super::format::{Cell, Session, output_lines};
use super::replay::{CellFailure, CellRunner, CheckReport, cell_output_lines};
use crate::eval::CellOutput;
use serde_json::{Map, Value, json};

/// A parsed notebook: the transcript view of its code cells and the markdown around them.
#[derive(Clone, Debug, PartialEq)]
pub struct Ipynb {
    pub session: Session,
    /// `notes[i]`: the markdown cells' text just before code cell `i` (the last entry: after
    /// the last code cell).
    pub notes: Vec<Vec<String>>,
    /// Whether any code cell carries a recorded output.
    pub has_outputs: bool,
}

/// Joins nbformat's multi-line string (a string, or a list of lines with their newlines).
fn multiline(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// nbformat's split of a multi-line string into lines that keep their `\n`.
fn split_lines(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|l| Value::String(l.to_string()))
            .collect(),
    )
}

/// A cell's code as a transcript holds it: trailing white space and blank lines dropped.
fn cell_code(source: &str) -> String {
    let mut lines: Vec<&str> = source.split('\n').map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The expected output lines of code cell `number` from its nbformat outputs.
fn expected_lines(number: usize, outputs: &[Value]) -> Vec<String> {
    let mut printed = String::new();
    let mut value = None;
    let mut error = None;
    for out in outputs {
        let kind = out.get("output_type").and_then(Value::as_str);
        let plain = || multiline(out.get("data").and_then(|d| d.get("text/plain")));
        match kind {
            Some("stream") => printed.push_str(&multiline(out.get("text"))),
            Some("display_data") => {
                let text = plain();
                printed.push_str(&text);
                if !text.is_empty() && !text.ends_with('\n') {
                    printed.push('\n');
                }
            }
            Some("execute_result") => value = Some(plain()),
            Some("error") => {
                let name = out.get("ename").and_then(Value::as_str).unwrap_or("");
                let text = out.get("evalue").and_then(Value::as_str).unwrap_or("");
                error = Some(if text.is_empty() {
                    name.to_string()
                } else {
                    format!("{name}: {text}")
                });
            }
            _ => {}
        }
    }
    output_lines(number, &printed, value.as_deref(), error.as_deref())
}

impl Ipynb {
    /// Parses notebook JSON. Errors say what is wrong in a sentence (corrupt or truncated
    /// JSON with its line and column, another nbformat version, a missing cell list).
    pub fn parse(text: &str) -> Result<Ipynb, String> {
        let json: Value = serde_json::from_str(text).map_err(|e| {
            if e.is_eof() {
                format!("the notebook is truncated (JSON ends early at {e})")
            } else {
                format!("not a notebook: invalid JSON ({e})")
            }
        })?;
        let Some(top) = json.as_object() else {
            return Err("not a notebook: the JSON is not an object".into());
        };
        match top.get("nbformat").and_then(Value::as_i64) {
            Some(4) => {}
            Some(v) => {
                return Err(format!(
                    "nbformat {v} is not supported: gradbook reads nbformat 4 notebooks \
                     (`jupyter nbconvert --to notebook --nbformat 4` upgrades one)"
                ));
            }
            None => return Err("not a notebook: no \"nbformat\" version".into()),
        }
        let Some(cells) = top.get("cells").and_then(Value::as_array) else {
            return Err("not a notebook: no \"cells\" list".into());
        };
        let mut nb = Ipynb {
            session: Session::default(),
            notes: vec![Vec::new()],
            has_outputs: false,
        };
        for cell in cells {
            let source = multiline(cell.get("source"));
            match cell.get("cell_type").and_then(Value::as_str) {
                Some("code") => {
                    let number = nb.session.cells.len() + 1;
                    let outputs = cell
                        .get("outputs")
                        .and_then(Value::as_array)
                        .map_or(&[][..], Vec::as_slice);
                    nb.has_outputs |= !outputs.is_empty();
                    nb.session.cells.push(Cell {
                        code: cell_code(&source),
                        output: expected_lines(number, outputs),
                    });
                    nb.notes.push(Vec::new());
                }
                Some("markdown") => {
                    if let Some(notes) = nb.notes.last_mut() {
                        if !notes.is_empty() {
                            notes.push(String::new());
                        }
                        notes.extend(source.lines().map(|l| l.trim_end().to_string()));
                    }
                }
                _ => {}
            }
        }
        Ok(nb)
    }
}

/// A checked notebook: the report `check` prints, and the code cells whose outputs changed
/// (index among code cells, new nbformat outputs, new execution count) for `bless`.
pub struct NotebookCheck {
    pub report: CheckReport,
    pub changed: Vec<(usize, Value, Option<usize>)>,
}

/// Runs every code cell in order and compares its output with the recorded one, as
/// `session::check` does for a transcript.
pub fn check<R: CellRunner + ?Sized>(nb: &Ipynb, runner: &mut R) -> NotebookCheck {
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let mut changed = Vec::new();
    for (i, cell) in nb.session.cells.iter().enumerate() {
        let out = runner.run_cell(&cell.code);
        let actual = cell_output_lines(i + 1, &out);
        if actual != cell.output {
            failures.push(CellFailure {
                number: i + 1,
                expected: cell.output.clone(),
                actual: actual.clone(),
            });
            changed.push((i, outputs_json(i + 1, &out), Some(i + 1)));
        }
        lines.push(actual);
    }
    NotebookCheck {
        report: CheckReport {
            passed: nb.session.cells.len() - failures.len(),
            failures,
            replayed: nb.session.with_outputs(lines),
        },
        changed,
    }
}

/// A fresh notebook session for running a notebook: seeded with 0 as replay is (unless given
/// a seed), values shown with IPython's pretty printer as a Jupyter kernel records them.
/// Created on the first cell, inside the caller's panic guard.
#[derive(Default)]
pub struct FreshNotebook {
    seed: u64,
    notebook: Option<super::Notebook>,
}

impl FreshNotebook {
    pub fn new(seed: u64) -> FreshNotebook {
        FreshNotebook {
            seed,
            notebook: None,
        }
    }
}

impl CellRunner for FreshNotebook {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        let seed = self.seed;
        self.notebook
            .get_or_insert_with(|| {
                let mut nb = super::Notebook::new(seed);
                nb.set_pretty_display(true);
                nb
            })
            .run(code)
    }
}

/// The nbformat outputs of a cell that ran as cell `number`.
pub fn outputs_json(number: usize, out: &CellOutput) -> Value {
    let mut outputs = Vec::new();
    if !out.stdout.is_empty() {
        outputs.push(stream("stdout", &out.stdout));
    }
    if let Some(repr) = &out.value {
        outputs.push(execute_result(number, repr));
    }
    if let Some(err) = &out.error {
        outputs.push(error(err.kind.name(), &err.msg, &[err.to_string()]));
    }
    Value::Array(outputs)
}

/// A `stream` output.
pub fn stream(name: &str, text: &str) -> Value {
    json!({"name": name, "output_type": "stream", "text": split_lines(text)})
}

/// An `execute_result` with its `text/plain` repr.
pub fn execute_result(number: usize, repr: &str) -> Value {
    json!({
        "data": {"text/plain": split_lines(repr)},
        "execution_count": number,
        "metadata": {},
        "output_type": "execute_result",
    })
}

/// An `error` output.
pub fn error(name: &str, value: &str, traceback: &[String]) -> Value {
    json!({"ename": name, "evalue": value, "output_type": "error", "traceback": traceback})
}

/// The nbformat outputs that stand for a transcript cell's recorded output lines.
fn outputs_from_lines(cell: &Cell, number: usize) -> Value {
    let e = cell.expected(number);
    let mut outputs = Vec::new();
    if !e.printed.is_empty() {
        let mut text = e.printed.join("\n");
        text.push('\n');
        outputs.push(stream("stdout", &text));
    }
    if let Some(value) = e.value {
        outputs.push(execute_result(number, &value.join("\n")));
    }
    if let Some(line) = e.error {
        let (name, value) = line.split_once(": ").unwrap_or((&line, ""));
        outputs.push(error(name, value, std::slice::from_ref(&line)));
    }
    Value::Array(outputs)
}

/// A notebook holding a transcript: the header's comment lines become a markdown cell, each
/// cell a code cell with its recorded outputs (ran in order, so numbered 1, 2, ...); `notes`
/// (as in `Ipynb::notes`) become markdown cells in their places. Cell ids are deterministic.
pub fn from_session(session: &Session, notes: &[Vec<String>]) -> String {
    let mut cells = Vec::new();
    let id = |cells: &Vec<Value>| format!("cell-{}", cells.len() + 1);
    let header: Vec<&str> = session
        .header
        .iter()
        .map(|l| {
            l.strip_prefix("# ")
                .unwrap_or(l.strip_prefix('#').unwrap_or(l))
        })
        .collect();
    let header = header.join("\n").trim().to_string();
    let markdown = |text: String, cells: &mut Vec<Value>| {
        if !text.trim().is_empty() {
            cells.push(json!({
                "cell_type": "markdown",
                "id": id(cells),
                "metadata": {},
                "source": split_lines(text.trim_end()),
            }));
        }
    };
    markdown(header, &mut cells);
    for (i, cell) in session.cells.iter().enumerate() {
        if let Some(note) = notes.get(i) {
            markdown(note.join("\n"), &mut cells);
        }
        let outputs = outputs_from_lines(cell, i + 1);
        let count = if cell.output.is_empty() && outputs.as_array().is_some_and(Vec::is_empty) {
            Value::Null
        } else {
            json!(i + 1)
        };
        cells.push(json!({
            "cell_type": "code",
            "execution_count": count,
            "id": id(&cells),
            "metadata": {},
            "outputs": outputs,
            "source": split_lines(&cell.code),
        }));
    }
    if let Some(note) = notes.get(session.cells.len()) {
        markdown(note.join("\n"), &mut cells);
    }
    let nb = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "gradbook", "language": "python", "name": "gradbook"},
            "language_info": {
                "codemirror_mode": {"name": "ipython", "version": 3},
                "file_extension": ".py",
                "mimetype": "text/x-python",
                "name": "python",
                "nbconvert_exporter": "python",
                "pygments_lexer": "ipython3",
            },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    write_json(&nb)
}

/// nbformat's serialization: `json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False)`
/// plus a newline. serde_json's map is ordered by key, as `sort_keys` orders them.
pub fn write_json(v: &Value) -> String {
    let mut text = to_pretty(v);
    text.push('\n');
    text
}

fn to_pretty(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    // Serializing a Value into memory cannot fail.
    let _ = serde::Serialize::serialize(&sorted(v), &mut ser);
    String::from_utf8(buf).unwrap_or_default()
}

/// A copy with every object's keys in sorted order, whatever map order serde_json was built
/// with.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), sorted(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// `text` with the outputs and execution counts of the code cells in `changed` (index among
/// code cells, new outputs, new count) replaced, everything else left byte for byte. Falls back
/// to rewriting the whole notebook in nbformat's layout when the text has a shape the in-place
/// edit cannot handle (a code cell without an `outputs` key, say).
pub fn bless(text: &str, changed: &[(usize, Value, Option<usize>)]) -> Result<String, String> {
    if let Some(edited) = bless_in_place(text, changed) {
        return Ok(edited);
    }
    let mut json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let cells = json
        .get_mut("cells")
        .and_then(Value::as_array_mut)
        .ok_or("not a notebook: no \"cells\" list")?;
    let mut code_cells: Vec<&mut Value> = cells
        .iter_mut()
        .filter(|c| c.get("cell_type").and_then(Value::as_str) == Some("code"))
        .collect();
    for (index, outputs, count) in changed {
        if let Some(Value::Object(cell)) = code_cells.get_mut(*index).map(|c| &mut **c) {
            cell.insert("outputs".into(), outputs.clone());
            cell.insert("execution_count".into(), json!(count));
        }
    }
    Ok(write_json(&json))
}

fn bless_in_place(text: &str, changed: &[(usize, Value, Option<usize>)]) -> Option<String> {
    let spans = scan::code_cell_spans(text)?;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (index, outputs, count) in changed {
        let cell = spans.get(*index)?;
        let outputs_span = cell.outputs.clone()?;
        edits.push((
            outputs_span.clone(),
            indented(text, outputs_span.start, outputs),
        ));
        let count_span = cell.execution_count.clone()?;
        edits.push((count_span, json!(count).to_string()));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, new) in edits {
        out.replace_range(range, &new);
    }
    Some(out)
}

/// A value's pretty text for the place at byte `at`: continuation lines indented like the
/// line the value starts on, as nbformat's nesting indents them.
fn indented(text: &str, at: usize, value: &Value) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..at]
        .chars()
        .take_while(|c| *c == ' ')
        .collect();
    to_pretty(value).replace('\n', &format!("\n{indent}"))
}

mod scan {
    //! Finds byte ranges in notebook JSON without re-serializing it: for every code cell, the
    //! values of its `outputs` and `execution_count` keys. The text parsed as JSON already, so
    //! this only walks it; anything unexpected gives None.

    use std::ops::Range;

    #[derive(Default)]
    pub struct CellSpans {
        pub outputs: Option<Range<usize>>,
        pub execution_count: Option<Range<usize>>,
    }

    struct Scanner<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl Scanner<'_> {
        fn ws(&mut self) {
            while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
                self.i += 1;
            }
        }
        fn eat(&mut self, c: u8) -> Option<()> {
            self.ws();
            (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
        }
        fn peek(&mut self) -> Option<u8> {
            self.ws();
            self.b.get(self.i).copied()
        }
        /// A string's raw contents (between the quotes).
        fn string(&mut self) -> Option<Range<usize>> {
            self.eat(b'"')?;
            let start = self.i;
            loop {
                match self.b.get(self.i)? {
                    b'\\' => self.i += 2,
                    b'"' => {
                        self.i += 1;
                        return Some(start..self.i - 1);
                    }
                    _ => self.i += 1,
                }
            }
        }
        /// Skips one value; its byte range.
        fn value(&mut self) -> Option<Range<usize>> {
            self.ws();
            let start = self.i;
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' => self.members(|_, _, _| Some(()))?,
                b'[' => self.elements(|_| Some(()))?,
                _ => {
                    while self
                        .b
                        .get(self.i)
                        .is_some_and(|c| !b",]} \t\r\n".contains(c))
                    {
                        self.i += 1;
                    }
                }
            }
            Some(start..self.i)
        }
        /// Walks an object; `f` sees each key's raw text and is positioned at its value, and
        /// must consume it (returning its range through the scanner).
        fn members(
            &mut self,
            mut f: impl FnMut(&mut Self, &str, usize) -> Option<()>,
        ) -> Option<()> {
            self.eat(b'{')?;
            if self.eat(b'}').is_some() {
                return Some(());
            }
            loop {
                let key = self.string()?;
                let key = std::str::from_utf8(&self.b[key]).ok()?.to_string();
                self.eat(b':')?;
                self.ws();
                let at = self.i;
                f(self, &key, at)?;
                if self.i == at {
                    self.value()?;
                }
                if self.eat(b',').is_none() {
                    return self.eat(b'}');
                }
            }
        }
        fn elements(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
            self.eat(b'[')?;
            if self.eat(b']').is_some() {
                return Some(());
            }
            loop {
                f(self)?;
                if self.eat(b',').is_none() {
                    return self.eat(b']');
                }
            }
        }
    }

    /// The spans of every code cell, in order; None when the text is not shaped as expected.
    pub fn code_cell_spans(text: &str) -> Option<Vec<CellSpans>> {
        let mut s = Scanner {
            b: text.as_bytes(),
            i: 0,
        };
        let mut cells = Vec::new();
        s.members(|s, key, _| {
            if key != "cells" {
                return Some(());
            }
            s.elements(|s| {
                let mut spans = CellSpans::default();
                let mut is_code = false;
                s.members(|s, key, _| {
                    match key {
                        "outputs" => spans.outputs = Some(s.value()?),
                        "execution_count" => spans.execution_count = Some(s.value()?),
                        "cell_type" => {
                            let r = s.value()?;
                            is_code = &s.b[r] == b"\"code\"";
                        }
                        _ => {}
                    }
                    Some(())
                })?;
                if is_code {
                    cells.push(spans);
                }
                Some(())
            })
        })?;
        Some(cells)
    }
}

#[cfg(test)]
mod tests;
