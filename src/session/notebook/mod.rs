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
use cell::Segment;
pub use magics::{MAGICS, quickref};
use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
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
        };
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
        self.store_input(number, code);
        namespace::bound_names(code, &mut self.user_bound);
        let before = self.interp.get_global("_");
        let mut out = CellOutput::default();
        let segments = cell::split(code);
        let n = segments.len();
        let mut shown: Option<Value> = None;
        for (i, segment) in segments.into_iter().enumerate() {
            let piece = match segment {
                Segment::Code(src) => self.run_code(&src),
                Segment::Magic(line) => self.run_magic(&line),
                Segment::Help(expr) => self.run_help(&expr),
                Segment::Shell(line) => Piece::printed(shell_skipped(&line)),
            };
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
        self.restore_underscore(before.clone());
        if let Some(value) = shown {
            self.display(number, value, before);
        }
        self.records.push(CellRecord {
            number,
            code: code.to_string(),
            output: out.clone(),
        });
        out
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

    /// `obj?`: the help text of what `expr` evaluates to.
    fn run_help(&mut self, expr: &str) -> Piece {
        let before = self.interp.get_global("_");
        let out = self.interp.run_cell(expr);
        let value = match (&out.error, &out.value) {
            (Some(e), _) => return Piece::error(out.stdout, e.clone()),
            (None, Some(_)) => self.interp.get_global("_").unwrap_or(Value::None),
            (None, None) => Value::None,
        };
        self.restore_underscore(before);
        let text = super::help::pinfo(&mut self.interp, expr, &value);
        Piece::printed(out.stdout + &text)
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
            value: None,
            error: Some(e),
        }
    }
}
