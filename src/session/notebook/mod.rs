//! The notebook layer: one `Interp` plus what IPython adds around it — numbered cells,
//! `In`/`Out`/`_`/`__`/`___`/`_N`/`_iN`, line magics (`%who`, `%time`, ...), `obj?` and
//! `help(obj)`. Replay, check and the REPL all run cells through a `Notebook`, so a transcript
//! with `%who` in it replays exactly as the REPL showed it.

mod cell;
mod files;
mod history;
mod magics;
mod namespace;
pub mod pretty;
#[cfg(test)]
mod tests;
pub mod timing;

use super::replay::CellRunner;
use crate::error::PyErr;
use crate::eval::{Args, CellOutput, Interp, Value};
use crate::session::traceback::{Source, ipython_traceback};
use cell::Segment;
pub use magics::{MAGICS, quickref};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

/// What one executed cell left behind, for `%history` and `%save`.
#[derive(Clone, Debug)]
pub struct CellRecord {
    pub number: usize,
    pub code: String,
    pub output: CellOutput,
}

/// A notebook session. Cells are numbered from 1 in the order they run.
pub struct Notebook {
    interp: Interp,
    /// The number the next cell gets.
    next: usize,
    records: Vec<CellRecord>,
    /// `In`: the list IPython keeps, `In[0] == ''`.
    inputs: Rc<RefCell<Vec<Value>>>,
    /// `Out`: cell number → displayed value.
    outputs: Rc<RefCell<Vec<(Value, Value)>>>,
    /// Names bound when the session started (torch, its functions, In, Out, help): `%who`
    /// hides them unless a cell binds them itself.
    initial: Vec<(String, Value)>,
    /// Names some cell bound at top level (`import torch` makes `torch` a user name again).
    user_bound: BTreeSet<String>,
    /// `%precision N` for displayed Python floats.
    float_precision: Option<usize>,
    /// The seed the default generator started from (`%save` records it when not 0).
    seed: u64,
    /// Cells `%load` queued for the next prompts (the REPL pre-fills them).
    next_inputs: VecDeque<String>,
    /// Whether a person is at a terminal to answer `%reset`'s question.
    interactive: bool,
    /// Show values with IPython's pretty printer (notebooks and the kernel) instead of plain
    /// `repr` (transcripts, as the recording oracle prints them).
    pretty_display: bool,
    /// Where printed text goes as it is printed (the REPL, `gradbook run`); None collects it
    /// only.
    live: Option<Rc<RefCell<Live>>>,
    /// Each interpreter cell's code as tracebacks show it (by the interpreter's cell id).
    sources: BTreeMap<u64, Source>,
    /// The label, code and search start of what runs now, to place its spans: `Cell In[N]`
    /// and the cell's code, or `File PATH` and a file's code under `%run`.
    running: Source,
    /// Set by `%reset`: the cell's end must not put `_` back.
    reset_done: bool,
    /// Warnings the last cell raised (shown on stderr, not recorded in transcripts).
    warnings: Vec<crate::eval::warnings::Warning>,
}

/// Where live output goes.
pub type Writer = Box<dyn FnMut(&str)>;

/// The live writer, and what the interpreter already echoed of the piece running now (the
/// notebook writes the rest of a piece's text: magic output, help).
struct Live {
    write: Writer,
    echoed: String,
}

impl Notebook {
    /// A fresh session whose default generator is seeded with `seed` (transcripts use 0).
    pub fn new(seed: u64) -> Notebook {
        // The notebook installs the session prelude (builtins, torch) into an empty interpreter.
        let mut interp = Interp::empty();
        crate::eval::prelude::install(&mut interp);
        crate::eval::torch::reset_session_state(seed);
        let mut nb = Notebook {
            interp,
            next: 1,
            records: Vec::new(),
            inputs: Rc::new(RefCell::new(vec![Value::str("")])),
            outputs: Rc::new(RefCell::new(Vec::new())),
            initial: Vec::new(),
            user_bound: BTreeSet::new(),
            float_precision: None,
            seed,
            next_inputs: VecDeque::new(),
            interactive: false,
            pretty_display: false,
            live: None,
            sources: BTreeMap::new(),
            running: Source {
                label: String::new(),
                text: String::new(),
                offset: 0,
            },
            reset_done: false,
            warnings: Vec::new(),
        };
        crate::eval::warnings::reset();
        nb.bind_session_names();
        nb
    }

    /// Lets `%reset` ask its question on the terminal (the REPL); otherwise it reads as if
    /// standard input were closed, as IPython does under a script.
    pub fn set_interactive(&mut self, interactive: bool) {
        self.interactive = interactive;
    }

    /// Shows values as IPython's kernel formats `text/plain` (`IPython.lib.pretty`): what a
    /// Jupyter notebook records.
    pub fn set_pretty_display(&mut self, on: bool) {
        self.pretty_display = on;
    }

    /// Shows what cells print while they run, through `write` (None: collect only). The text
    /// is collected in `CellOutput::stdout` all the same.
    pub fn set_live_output(&mut self, write: Option<Writer>) {
        let Some(write) = write else {
            crate::eval::stream::set_echo(None);
            self.live = None;
            return;
        };
        let live = Rc::new(RefCell::new(Live {
            write,
            echoed: String::new(),
        }));
        let echo = live.clone();
        crate::eval::stream::set_echo(Some(Box::new(move |text| {
            if let Ok(mut l) = echo.try_borrow_mut() {
                (l.write)(text);
                l.echoed.push_str(text);
            }
        })));
        self.live = Some(live);
    }

    /// Whether printed text is shown live (the front end then shows only value and error).
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Forgets what was echoed so far: a new piece starts.
    fn start_piece(&self) {
        if let Some(live) = &self.live
            && let Ok(mut l) = live.try_borrow_mut()
        {
            l.echoed.clear();
        }
    }

    /// Writes the part of a piece's text the interpreter did not echo (it echoes a prefix:
    /// a magic's own lines come after what the code it ran printed).
    fn show_rest(&self, text: &str) {
        if let Some(live) = &self.live
            && let Ok(mut l) = live.try_borrow_mut()
        {
            let echoed = std::mem::take(&mut l.echoed);
            let rest = text.strip_prefix(echoed.as_str()).unwrap_or(text);
            if !rest.is_empty() {
                (l.write)(rest);
            }
        }
    }

    /// The number the next cell will get (`In [N]:`).
    pub fn execution_count(&self) -> usize {
        self.next
    }

    pub fn interp(&mut self) -> &mut Interp {
        &mut self.interp
    }

    /// Every executed cell, in order.
    pub fn records(&self) -> &[CellRecord] {
        &self.records
    }

    /// The next cell `%load` queued, if any.
    pub fn take_next_input(&mut self) -> Option<String> {
        self.next_inputs.pop_front()
    }

    /// Binds In, Out and help, and remembers every name a fresh session has.
    fn bind_session_names(&mut self) {
        self.interp
            .set_global("In", Value::List(self.inputs.clone()));
        self.interp
            .set_global("Out", Value::Dict(self.outputs.clone()));
        self.interp.set_global("help", super::help::help_builtin());
        for name in ["_", "__", "___"] {
            self.interp.set_global(name, Value::str(""));
        }
        self.initial = self
            .interp
            .global_names()
            .into_iter()
            .filter_map(|n| self.interp.get_global(&n).map(|v| (n, v)))
            .collect();
    }

    /// Runs one cell: its code, magic lines and `obj?` lines, in order. The value shown is
    /// the last piece's; printed text accumulates; the first error ends the cell.
    pub fn run(&mut self, code: &str) -> CellOutput {
        let number = self.next;
        self.next += 1;
        // Each cell is a location of its own for "show a warning once", as IPython's cell
        // files are.
        crate::eval::warnings::take();
        crate::eval::warnings::enter_cell(number as u64);
        self.store_input(number, code);
        namespace::bound_names(code, &mut self.user_bound);
        let before = self.interp.get_global("_");
        let mut out = CellOutput::default();
        let segments = cell::split(code);
        let n = segments.len();
        let mut shown: Option<Value> = None;
        self.running = Source {
            label: format!("Cell In[{number}]"),
            text: code.to_string(),
            offset: 0,
        };
        for (i, segment) in segments.into_iter().enumerate() {
            self.advance_to(&segment);
            let piece = self.run_segment(segment, false);
            out.stdout.push_str(&piece.stdout);
            if let Some(e) = piece.error {
                out.error = Some(e);
                break;
            }
            // Only the cell's last statement is displayed, as in IPython.
            if i + 1 == n
                && let Some((value, repr)) = piece.value
            {
                out.value = Some(repr);
                shown = Some(value);
            }
        }
        let before = if std::mem::take(&mut self.reset_done) {
            None
        } else {
            before
        };
        self.restore_underscore(before.clone());
        if let Some(value) = shown {
            self.display(number, value, before);
        }
        self.warnings = crate::eval::warnings::take();
        self.records.push(CellRecord {
            number,
            code: code.to_string(),
            output: out.clone(),
        });
        out
    }

    /// Moves the search start for spans to where `segment` begins in the running code.
    fn advance_to(&mut self, segment: &Segment) {
        let needle = match segment {
            Segment::Code(src) => src.clone(),
            Segment::Magic(line) => format!("%{}", line.split('\n').next().unwrap_or_default()),
            Segment::Help(expr) | Segment::Source(expr) => expr.clone(),
            Segment::Shell(line) => line.clone(),
        };
        let from = self.running.offset.min(self.running.text.len());
        if let Some(i) = self.running.text.get(from..).and_then(|t| t.find(&needle)) {
            self.running.offset = from + i;
        }
    }

    /// Remembers where the interpreter cell that just ran came from: `src` is found in the
    /// running code from the search start on (a magic's statement is part of its line).
    fn record_source(&mut self, src: &str) {
        let from = self.running.offset.min(self.running.text.len());
        let source = match self.running.text.get(from..).and_then(|t| t.find(src)) {
            Some(i) => Source {
                offset: from + i,
                ..self.running.clone()
            },
            None => Source {
                label: self.running.label.clone(),
                text: src.to_string(),
                offset: 0,
            },
        };
        self.sources.insert(self.interp.cell, source);
    }

    /// The warnings the last cell raised, as Python's `formatwarning` writes them to stderr
    /// (`FILE: Category: message`; the line is not tracked): `file` is the cell's name,
    /// `<ipython-input-N>`, or the script's path.
    pub fn warnings_text(&self, file: &str) -> String {
        self.warnings
            .iter()
            .map(|w| format!("{file}: {}: {}\n", w.category, w.message))
            .collect()
    }

    /// The traceback of an error the last cell raised, as IPython shows it above the
    /// `Type: message` line (a syntax error as the line and a caret under it).
    pub fn traceback(&self, err: &PyErr) -> Option<String> {
        let top = self.interp.cell;
        if crate::session::traceback::is_syntax(err) {
            let src = self.sources.get(&top)?;
            let span = err.span?;
            let loc = crate::session::Location::find(
                &src.text,
                crate::error::Span {
                    start: span.start + src.offset,
                    end: span.end + src.offset,
                },
            )?;
            return Some(crate::session::traceback::syntax_lines(&src.label, &loc));
        }
        ipython_traceback(err, top, |cell| self.sources.get(&cell).cloned())
    }

    /// Runs one piece of a cell and shows live what it printed; `script` runs code as a
    /// script does (`%run`: no value displayed).
    fn run_segment(&mut self, segment: Segment, script: bool) -> Piece {
        self.start_piece();
        let piece = match segment {
            Segment::Code(src) if script => {
                let out = self.interp.run_cell(&format!("{src}\npass"));
                self.record_source(&src);
                Piece {
                    stdout: out.stdout,
                    error: out.error,
                    ..Piece::default()
                }
            }
            Segment::Code(src) => self.run_code(&src),
            Segment::Magic(line) => self.run_magic(&line),
            Segment::Help(expr) => self.run_help(&expr, false),
            Segment::Source(expr) => self.run_help(&expr, true),
            Segment::Shell(line) => Piece::printed(shell_skipped(&line)),
        };
        if !piece.shown {
            self.show_rest(&piece.stdout);
        }
        piece
    }

    /// `In[N]`, `_iN`, `_i`, `_ii`, `_iii` as IPython's history manager keeps them: `_i` is the
    /// previous cell's source by the time this one runs.
    fn store_input(&mut self, number: usize, code: &str) {
        let mut inputs = self.inputs.borrow_mut();
        while inputs.len() < number {
            inputs.push(Value::str(""));
        }
        let previous = |k: usize| -> Value {
            number
                .checked_sub(k)
                .and_then(|i| inputs.get(i).cloned())
                .unwrap_or_else(|| Value::str(""))
        };
        let (i1, i2, i3) = (previous(1), previous(2), previous(3));
        inputs.push(Value::str(code));
        drop(inputs);
        self.interp.set_global("_i", i1);
        self.interp.set_global("_ii", i2);
        self.interp.set_global("_iii", i3);
        self.interp
            .set_global(&format!("_i{number}"), Value::str(code));
    }

    /// Puts `_` back to what it was: the interpreter binds `_` for every displayed
    /// expression, and only the cell's displayed value may move it.
    fn restore_underscore(&mut self, before: Option<Value>) {
        match before {
            Some(v) => self.interp.set_global("_", v),
            None => {
                self.interp.delete_global("_");
            }
        }
    }

    /// The displayhook: `Out[N]`, `_N` and the `_`/`__`/`___` shift.
    fn display(&mut self, number: usize, value: Value, before: Option<Value>) {
        if let Some(v) = self.interp.get_global("__") {
            self.interp.set_global("___", v);
        }
        self.interp
            .set_global("__", before.unwrap_or_else(|| Value::str("")));
        self.interp.set_global("_", value.clone());
        self.interp.set_global(&format!("_{number}"), value.clone());
        let key = Value::Int(number as i64);
        self.outputs.borrow_mut().push((key, value));
    }

    /// Runs plain code through the interpreter; the value comes back with its repr.
    fn run_code(&mut self, src: &str) -> Piece {
        let out = self.interp.run_cell(src);
        self.record_source(src);
        let value = out.value.map(|repr| {
            let v = self.interp.get_global("_").unwrap_or(Value::None);
            let repr = match (&v, self.float_precision) {
                (Value::Float(f), Some(p)) => format!("{f:.p$}"),
                (Value::List(_) | Value::Tuple(_) | Value::Dict(_), _) if self.pretty_display => {
                    pretty::pretty(&mut self.interp, &v).unwrap_or(repr)
                }
                _ => repr,
            };
            (v, repr)
        });
        Piece {
            stdout: out.stdout,
            value,
            error: out.error,
            shown: false,
        }
    }

    /// Binds a name a front end provides (the kernel's `input`, `display`, `clear_output`),
    /// hidden from `%who` and kept by `%reset` like the session's own names.
    pub fn bind_session_name(&mut self, name: &str, value: Value) {
        self.interp.set_global(name, value.clone());
        self.initial.push((name.to_string(), value));
    }

    /// What `expr?` would show, without running a cell (a kernel's `inspect_request`); None
    /// when `expr` does not evaluate.
    pub fn inspect(&mut self, expr: &str) -> Option<String> {
        let before = self.interp.get_global("_");
        let out = self.interp.run_cell(expr);
        let value = match (&out.error, &out.value) {
            (Some(_), _) => None,
            (None, Some(_)) => self.interp.get_global("_"),
            (None, None) => Some(Value::None),
        };
        self.restore_underscore(before);
        let value = value?;
        Some(super::help::pinfo(&mut self.interp, expr, &value))
    }

    /// `obj?` (`obj??` with `source`): the help text of what `expr` evaluates to; IPython's
    /// ``Object `x` not found.`` when it names nothing.
    fn run_help(&mut self, expr: &str, source: bool) -> Piece {
        use crate::error::ErrorKind::{AttributeError, NameError};
        let before = self.interp.get_global("_");
        let out = self.interp.run_cell(expr);
        let value = match (&out.error, &out.value) {
            (Some(e), _) if matches!(e.kind, NameError | AttributeError) => {
                self.restore_underscore(before);
                return Piece::printed(format!("{}Object `{expr}` not found.\n", out.stdout));
            }
            (Some(e), _) => return Piece::error(out.stdout, e.clone()),
            (None, Some(_)) => self.interp.get_global("_").unwrap_or(Value::None),
            (None, None) => Value::None,
        };
        self.restore_underscore(before);
        let text = match &value {
            Value::Function(f) => {
                let code = source.then(|| self.function_source(f)).flatten();
                super::help::function_info(&mut self.interp, f, code.as_deref())
            }
            _ => super::help::pinfo(&mut self.interp, expr, &value),
        };
        Piece::printed(out.stdout + &text)
    }

    /// The source text of a user function's `def`, from the cell that defined it.
    fn function_source(&self, f: &crate::eval::interp::UserFunction) -> Option<String> {
        let src = self.sources.get(&f.cell)?;
        let span = f.def.span;
        let text = src
            .text
            .get(src.offset + span.start..src.offset + span.end)?;
        // The def's first line starts at its column; the rest keep their own indentation.
        let indent = src.text[..src.offset + span.start]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count());
        Some(
            text.lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        l.to_string()
                    } else {
                        l.chars()
                            .skip(indent.min(l.len() - l.trim_start().len()))
                            .collect()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    /// Calls `torch.NAME(args)` (for `%seed`, `%precision`).
    fn call_torch(&mut self, name: &str, args: Args) -> Result<Value, PyErr> {
        let f = match crate::eval::torch::import("torch") {
            Some(Value::Module(m)) => m.attrs.borrow().get(name).cloned(),
            _ => None,
        };
        match f {
            Some(f) => self.interp.call_value(&f, args),
            None => Err(crate::error::attribute_error(format!(
                "module 'torch' has no attribute '{name}'"
            ))),
        }
    }
}

impl Default for Notebook {
    fn default() -> Self {
        Notebook::new(0)
    }
}

impl CellRunner for Notebook {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        self.run(code)
    }
}

/// What a shell line (`!cmd`) shows: gradbook runs Python, not a shell, so the line is skipped
/// and the rest of the cell runs.
pub fn shell_skipped(line: &str) -> String {
    format!("gradbook runs no shell commands; skipped: {line}\n")
}

/// Whether the whole cell is one `obj?` help line (a kernel shows it in the pager).
pub fn is_help_cell(code: &str) -> bool {
    matches!(cell::split(code.trim()).as_slice(), [Segment::Help(_)])
}

/// What one piece of a cell (code, a magic line, `obj?`) produced.
#[derive(Default)]
struct Piece {
    stdout: String,
    value: Option<(Value, String)>,
    error: Option<PyErr>,
    /// Its text was already shown live (`%run` shows each of its pieces as it goes).
    shown: bool,
}

impl Piece {
    fn printed(stdout: impl Into<String>) -> Piece {
        Piece {
            stdout: stdout.into(),
            ..Piece::default()
        }
    }
    fn error(stdout: String, e: PyErr) -> Piece {
        Piece {
            stdout,
            error: Some(e),
            ..Piece::default()
        }
    }
}
