//! The interactive terminal: rustyline, colour. The only terminal code.
//!
//! IPython's layout: `In [N]: ` then `   ...: ` for more lines of the cell, what the cell
//! prints, `Out[N]: repr`, errors as `Type: message` (with the failing line and a caret on a
//! terminal), a blank line between cells. `step` walks through a transcript cell by cell.

pub mod helper;
pub mod highlight;
pub mod history;
pub mod step;
pub mod style;
pub mod worker;

use crate::eval::CellOutput;
use crate::session::Location;
use crate::session::format::{continuation_prompt, in_prompt, out_prompt, text_lines};
use crate::syntax::is_complete;
use helper::GradbookHelper;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Editor, Helper};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::rc::Rc;
/// How the REPL was started.
#[derive(Clone, Debug, Default)]
pub struct ReplOptions {
    /// Seed for the default generator; None seeds from the operating system.
    pub seed: Option<u64>,
    pub color: bool,
}

/// The terminal text for a cell's result: printed text, `Out[N]:`, the error (with the
/// failing source line and a caret when `show_source`). Coloured through `style`.
pub fn render_result(number: usize, code: &str, out: &CellOutput, show_source: bool) -> String {
    let mut text = out.stdout.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if let Some(repr) = &out.value {
        let prompt = style::out_prompt(&out_prompt(number));
        if text_lines(repr).len() == 1 {
            text.push_str(&format!("{prompt} {repr}\n"));
        } else {
            text.push_str(&format!("{prompt}\n{repr}\n"));
        }
    }
    if let Some(err) = &out.error {
        if show_source && let Some(loc) = err.span.and_then(|s| Location::find(code, s)) {
            let (line, caret) = loc.caret_lines();
            text.push_str(&format!("{line}\n{}\n", style::caret(&caret)));
        }
        text.push_str(&style::error_line(&err.type_name(), &err.msg));
        text.push('\n');
    }
    text
}

/// The cell's code once the typed lines make a complete cell (trailing blank lines dropped).
fn complete_cell(lines: &[String]) -> Option<String> {
    // Every typed line ends with a newline, so a blank line shows as "\n\n".
    let code: String = lines.iter().map(|l| format!("{l}\n")).collect();
    is_complete(&code).then(|| code.trim_end().to_string())
}

/// What reading a cell ended with.
pub enum Input {
    Cell(String),
    Cancelled,
    Eof,
}

/// A prompt as rustyline takes it: plain text and its coloured form.
pub type Prompt = (String, String);

/// `In [N]: ` and `   ...: `, plain and coloured.
pub fn cell_prompts(number: usize) -> (Prompt, Prompt) {
    let first = in_prompt(number);
    let more = continuation_prompt(number);
    (
        (
            format!("{first} "),
            format!("{} ", style::in_prompt(&first)),
        ),
        (
            format!("{more} "),
            format!("{} ", style::continuation_prompt(&more)),
        ),
    )
}

/// Reads lines until the cell is complete, the first line pre-filled with `initial`.
/// Ctrl-C cancels the cell, Ctrl-D ends the session.
pub fn read_cell<H: Helper>(
    editor: &mut Editor<H, DefaultHistory>,
    first: &Prompt,
    more: &Prompt,
    initial: &str,
) -> Result<Input, ReadlineError> {
    let mut lines: Vec<String> = Vec::new();
    loop {
        let prompt = if lines.is_empty() { first } else { more };
        let read = if lines.is_empty() && !initial.is_empty() {
            editor.readline_with_initial(prompt, (initial, ""))
        } else {
            editor.readline(prompt)
        };
        match read {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                lines.extend(line.split('\n').map(str::to_string));
                if let Some(code) = complete_cell(&lines) {
                    return Ok(Input::Cell(code));
                }
            }
            Err(ReadlineError::Interrupted) => return Ok(Input::Cancelled),
            Err(ReadlineError::Eof) => return Ok(Input::Eof),
            Err(e) => return Err(e),
        }
    }
}

/// The terminal session: the line editor, the interpreter thread, the cell counter.
pub struct Terminal {
    pub editor: Editor<GradbookHelper, DefaultHistory>,
    pub worker: Rc<Worker>,
    /// The number of the next cell (what the notebook will give it).
    pub number: usize,
    show_source: bool,
    history: Option<PathBuf>,
}

use worker::Worker;

impl Terminal {
    /// Starts the interpreter thread and the editor; Err is a message for stderr.
    pub fn start(opts: &ReplOptions, seed: u64) -> Result<Terminal, String> {
        style::init(opts.color);
        // A panic in a cell is reported as that cell's error line (see `PanicGuard`); one
        // line on stderr says where, without a backtrace in the middle of the session.
        std::panic::set_hook(Box::new(|info| eprintln!("gradbook bug: {info}")));
        worker::install_interrupt_handler();
        let interactive = std::io::stdin().is_terminal();
        let worker = Worker::start(seed, interactive)
            .map_err(|e| format!("cannot start the interpreter: {e}"))?;
        let worker = Rc::new(worker);
        let mut editor: Editor<GradbookHelper, DefaultHistory> =
            Editor::new().map_err(|e| format!("cannot read input: {e}"))?;
        editor.set_helper(Some(GradbookHelper::new(worker.clone())));
        let history = history::history_path();
        if let Some(path) = &history {
            let _ = editor.load_history(path);
        }
        Ok(Terminal {
            editor,
            worker,
            number: 1,
            show_source: std::io::stdout().is_terminal(),
            history,
        })
    }

    /// Runs a cell and prints its result; the counter moves on.
    pub fn run_cell(&mut self, code: &str) -> CellOutput {
        let out = self.worker.run(code);
        print!(
            "{}",
            render_result(self.number, code, &out, self.show_source)
        );
        let _ = std::io::stdout().flush();
        self.number += 1;
        self.save_history();
        out
    }

    /// The REPL loop until Ctrl-D; returns the exit code.
    pub fn repl(&mut self) -> u8 {
        let mut first = true;
        loop {
            if !first {
                println!();
            }
            first = false;
            let (p1, p2) = cell_prompts(self.number);
            // `%load` queues cells: each pre-fills a prompt, to edit and run.
            let initial = self.worker.next_input().unwrap_or_default();
            match read_cell(&mut self.editor, &p1, &p2, &initial) {
                Ok(Input::Cell(code)) if code.trim().is_empty() => first = true,
                Ok(Input::Cell(code)) => {
                    self.run_cell(&code);
                }
                Ok(Input::Cancelled) => {}
                Ok(Input::Eof) => break,
                Err(e) => {
                    eprintln!("gradbook: {e}");
                    self.save_history();
                    return 1;
                }
            }
        }
        self.save_history();
        0
    }

    /// Saves history, creating its directory; failures only cost the history.
    pub fn save_history(&mut self) {
        if let Some(path) = &self.history {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = self.editor.save_history(path);
        }
    }
}

/// Runs the interactive session until Ctrl-D; returns the process exit code.
pub fn run(opts: &ReplOptions) -> u8 {
    let seed = opts.seed.unwrap_or_else(worker::os_seed);
    match Terminal::start(opts, seed) {
        Ok(mut terminal) => terminal.repl(),
        Err(e) => {
            eprintln!("gradbook: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Span, runtime_error};

    #[test]
    fn cells_complete_like_ipython() {
        let lines = |ls: &[&str]| ls.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(complete_cell(&lines(&["x = 1"])).as_deref(), Some("x = 1"));
        assert_eq!(complete_cell(&lines(&["def f(x):"])), None);
        assert_eq!(complete_cell(&lines(&["def f(x):", "    return x"])), None);
        assert_eq!(
            complete_cell(&lines(&["def f(x):", "    return x", ""])).as_deref(),
            Some("def f(x):\n    return x")
        );
        assert_eq!(complete_cell(&lines(&["y = (1,"])), None);
        assert_eq!(
            complete_cell(&lines(&["y = (1,", " 2)"])).as_deref(),
            Some("y = (1,\n 2)")
        );
        assert_eq!(complete_cell(&lines(&[""])).as_deref(), Some(""));
        // A syntax error runs, so the interpreter can report it.
        assert_eq!(complete_cell(&lines(&["x = )"])).as_deref(), Some("x = )"));
    }

    #[test]
    fn result_layout_without_colour() {
        style::init(false);
        let out = CellOutput {
            stdout: "hi\n".into(),
            value: Some("tensor([[1.],\n        [2.]])".into()),
            error: None,
        };
        assert_eq!(
            render_result(3, "x", &out, true),
            "hi\nOut[3]:\ntensor([[1.],\n        [2.]])\n"
        );
        let code = "a = 1\nb = a @ c";
        let start = code.find("a @").unwrap_or_default();
        let out = CellOutput {
            stdout: "partial".into(),
            value: None,
            error: Some(runtime_error("boom").with_span(Span {
                start,
                end: start + 5,
            })),
        };
        assert_eq!(
            render_result(1, code, &out, true),
            "partial\n    b = a @ c\n        ^^^^^\nRuntimeError: boom\n"
        );
        assert_eq!(
            render_result(1, code, &out, false),
            "partial\nRuntimeError: boom\n"
        );
    }
}
