//! The rustyline helper: tab completion (asked of the interpreter thread, which owns the
//! session) and input highlighting with bracket matching.

use super::highlight::{Class, classes_with_brackets};
use super::style;
use super::worker::Worker;
use rustyline::completion::Completer;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

pub struct GradbookHelper {
    worker: Rc<Worker>,
    /// False for the final refresh of a line, so an accepted line keeps no bracket mark.
    mark_brackets: Cell<bool>,
}

impl GradbookHelper {
    pub fn new(worker: Rc<Worker>) -> GradbookHelper {
        GradbookHelper {
            worker,
            mark_brackets: Cell::new(true),
        }
    }
}

impl Completer for GradbookHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.worker.complete(line, pos))
    }
}

impl Highlighter for GradbookHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if !style::enabled() || line.is_empty() {
            return Cow::Borrowed(line);
        }
        Cow::Owned(paint(line, pos, self.mark_brackets.get()))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.mark_brackets.set(kind != CmdKind::ForcedRefresh);
        style::enabled()
    }
}

/// The line with every run of one class styled.
pub fn paint(line: &str, pos: usize, brackets: bool) -> String {
    let classes = classes_with_brackets(line, pos, brackets);
    let mut out = String::new();
    let mut run = String::new();
    let mut run_class = Class::Plain;
    for (c, class) in line.chars().zip(classes) {
        if class != run_class && !run.is_empty() {
            out.push_str(&style::code(run_class, &run));
            run.clear();
        }
        run_class = class;
        run.push(c);
    }
    out.push_str(&style::code(run_class, &run));
    out
}

impl Hinter for GradbookHelper {
    type Hint = String;
}

impl Validator for GradbookHelper {}

impl Helper for GradbookHelper {}
