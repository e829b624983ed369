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
use rustyline::{
    Cmd, CompletionType, ConditionalEventHandler, Config, Editor, Event, EventContext,
    EventHandler, Helper, KeyCode, KeyEvent, Modifiers, RepeatCount,
};
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

/// How a cell's result is shown: whether its printed text was already shown while it ran,
/// its traceback (IPython's frames), and whether to show source lines at all (a terminal).
#[derive(Clone, Copy, Debug, Default)]
pub struct Shown<'a> {
    pub stdout_shown: bool,
    pub traceback: Option<&'a str>,
    pub show_source: bool,
}

/// The terminal text for a cell's result: printed text (unless shown live), `Out[N]:`, the
/// error (after its traceback, or the failing line and a caret, when `show_source`).
/// Coloured through `style`.
pub fn render_result(number: usize, code: &str, out: &CellOutput, shown: Shown) -> String {
    let mut text = if shown.stdout_shown {
        String::new()
    } else {
        out.stdout.clone()
    };
    let more = out.value.is_some() || out.error.is_some();
    if more && !out.stdout.is_empty() && !out.stdout.ends_with('\n') {
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
        if shown.show_source {
            if let Some(tb) = shown.traceback {
                text.push_str(tb);
            } else if let Some(loc) = err.span.and_then(|s| Location::find(code, s)) {
                let (line, caret) = loc.caret_lines();
                text.push_str(&format!("{line}\n{}\n", style::caret(&caret)));
            }
        }
        text.push_str(&style::error_line(&err.type_name(), &err.msg));
        text.push('\n');
    }
    text
}

/// The cell's code once the typed lines make a complete cell (trailing blank lines dropped).
/// `whole` says the last line came as one piece of several lines (recalled from history or
/// pasted): it runs as soon as it is complete, without a blank line after a block.
fn complete_cell(lines: &[String], whole: bool) -> Option<String> {
    // Every typed line ends with a newline, so a blank line shows as "\n\n".
    let code: String = lines.iter().map(|l| format!("{l}\n")).collect();
    if is_complete(&code) || (whole && is_complete(&format!("{code}\n"))) {
        return Some(code.trim_end().to_string());
    }
    // A line after a block header that is not indented: Python's IndentationError now, not
    // a continuation prompt forever.
    let last = lines.iter().rev().find(|l| !l.trim().is_empty())?;
    if lines.len() >= 2
        && !last.trim_end().ends_with(':')
        && !last.starts_with([' ', '\t'])
        && let Err(e) = crate::syntax::parse(&code)
        && e.kind == crate::error::ErrorKind::IndentationError
        && e.msg.starts_with("expected an indented block")
    {
        return Some(code.trim_end().to_string());
    }
    None
}

/// The indentation IPython puts on the next line: the last line's, four more after a
/// trailing `:`, four less after `return`/`pass`/`break`/`continue`/`raise`.
pub fn next_indent(lines: &[String]) -> String {
    let Some(last) = lines.last() else {
        return String::new();
    };
    if last.trim().is_empty() {
        return String::new();
    }
    let indent = last.len() - last.trim_start_matches(' ').len();
    let code = last.split('#').next().unwrap_or_default().trim_end();
    let first = code.split_whitespace().next().unwrap_or_default();
    let width = if code.ends_with(':') {
        indent + 4
    } else if matches!(first, "return" | "pass" | "break" | "continue" | "raise") {
        indent.saturating_sub(4)
    } else {
        indent
    };
    " ".repeat(width)
}

/// `exit`, `quit`, `exit()`, `quit()`: IPython leaves.
pub fn is_exit(code: &str) -> bool {
    matches!(code.trim(), "exit" | "quit" | "exit()" | "quit()")
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

/// Reads lines until the cell is complete, the first line pre-filled with `initial`, each
/// further one with the indentation IPython would give it. Keys typed ahead while the last
/// cell ran wait in the terminal and are read here, in order (rustyline's `buffer-redux`
/// keeps what one read brings beyond the current line). Ctrl-C cancels the cell; Ctrl-D ends the session on an empty first line and
/// does nothing on a continuation line (the cell is kept). With `history`, the whole cell
/// becomes one history entry.
pub fn read_cell<H: Helper>(
    editor: &mut Editor<H, DefaultHistory>,
    first: &Prompt,
    more: &Prompt,
    initial: &str,
    history: bool,
) -> Result<Input, ReadlineError> {
    let mut lines: Vec<String> = Vec::new();
    loop {
        let prompt = if lines.is_empty() { first } else { more };
        let read = if lines.is_empty() && !initial.is_empty() {
            editor.readline_with_initial(prompt, (initial, ""))
        } else if !lines.is_empty() {
            let indent = next_indent(&lines);
            editor.readline_with_initial(prompt, (&indent, ""))
        } else {
            editor.readline(prompt)
        };
        match read {
            Ok(line) => {
                let whole = line.contains('\n');
                lines.extend(line.split('\n').map(str::to_string));
                if let Some(code) = complete_cell(&lines, whole) {
                    if history && !code.trim().is_empty() {
                        let _ = editor.add_history_entry(code.as_str());
                    }
                    return Ok(Input::Cell(code));
                }
            }
            Err(ReadlineError::Interrupted) => return Ok(Input::Cancelled),
            Err(ReadlineError::Eof) if lines.is_empty() => return Ok(Input::Eof),
            Err(ReadlineError::Eof) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Up and Down as IPython binds them: within a cell of several lines they move between its
/// lines; on its first (last) line they search history for entries starting with what is
/// typed before the cursor.
struct HistoryKey {
    up: bool,
}

impl ConditionalEventHandler for HistoryKey {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        let (before, after) = ctx.line().split_at(ctx.pos().min(ctx.line().len()));
        // Within a cell of several lines: move between its lines. Nothing typed: the plain
        // previous/next entry (rustyline's search needs a prefix). Otherwise: prefix search.
        let within = if self.up {
            before.contains('\n')
        } else {
            after.contains('\n')
        };
        Some(match (self.up, within || before.is_empty()) {
            (true, true) => Cmd::LineUpOrPreviousHistory(1),
            (true, false) => Cmd::HistorySearchBackward,
            (false, true) => Cmd::LineDownOrNextHistory(1),
            (false, false) => Cmd::HistorySearchForward,
        })
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
        // A list of candidates when a Tab is ambiguous (not the first one inserted); cells,
        // not lines, go into history.
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(false)
            .build();
        let mut editor: Editor<GradbookHelper, DefaultHistory> =
            Editor::with_config(config).map_err(|e| format!("cannot read input: {e}"))?;
        editor.set_helper(Some(GradbookHelper::new(worker.clone())));
        editor.bind_sequence(
            KeyEvent(KeyCode::Up, Modifiers::NONE),
            EventHandler::Conditional(Box::new(HistoryKey { up: true })),
        );
        editor.bind_sequence(
            KeyEvent(KeyCode::Down, Modifiers::NONE),
            EventHandler::Conditional(Box::new(HistoryKey { up: false })),
        );
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

    /// Reads a cell at the `In [N]:` prompt.
    pub fn read(
        &mut self,
        first: &Prompt,
        more: &Prompt,
        initial: &str,
    ) -> Result<Input, ReadlineError> {
        read_cell(&mut self.editor, first, more, initial, true)
    }

    /// Runs a cell and prints its result; the counter moves on.
    pub fn run_cell(&mut self, code: &str) -> CellOutput {
        let (out, traceback, warnings) = self.worker.run(code);
        // Warnings go to stderr below what the cell printed, as IPython shows them.
        if !warnings.is_empty() {
            let _ = std::io::stdout().flush();
            eprint!("{warnings}");
        }
        let shown = Shown {
            stdout_shown: true,
            traceback: traceback.as_deref(),
            show_source: self.show_source,
        };
        print!("{}", render_result(self.number, code, &out, shown));
        let _ = std::io::stdout().flush();
        self.number += 1;
        self.save_history();
        out
    }

    /// The REPL loop until Ctrl-D or `exit`; returns the exit code.
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
            match self.read(&p1, &p2, &initial) {
                Ok(Input::Cell(code)) if code.trim().is_empty() => first = true,
                Ok(Input::Cell(code)) if is_exit(&code) => break,
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
        let typed = |ls: &[&str]| complete_cell(&lines(ls), false);
        assert_eq!(typed(&["x = 1"]).as_deref(), Some("x = 1"));
        assert_eq!(typed(&["def f(x):"]), None);
        assert_eq!(typed(&["def f(x):", "    return x"]), None);
        assert_eq!(
            typed(&["def f(x):", "    return x", ""]).as_deref(),
            Some("def f(x):\n    return x")
        );
        assert_eq!(typed(&["y = (1,"]), None);
        assert_eq!(typed(&["y = (1,", " 2)"]).as_deref(), Some("y = (1,\n 2)"));
        assert_eq!(typed(&[""]).as_deref(), Some(""));
        // A syntax error runs, so the interpreter can report it.
        assert_eq!(typed(&["x = )"]).as_deref(), Some("x = )"));
        // An unindented body is an IndentationError at once.
        assert_eq!(
            typed(&["def f(t):", "return t"]).as_deref(),
            Some("def f(t):\nreturn t")
        );
        assert_eq!(typed(&["if True:", "    "]), None);
        // A whole cell recalled from history runs without a blank line after it.
        assert_eq!(
            complete_cell(&lines(&["def f(x):", "    return x"]), true).as_deref(),
            Some("def f(x):\n    return x")
        );
    }

    #[test]
    fn auto_indent_like_ipython() {
        let lines = |ls: &[&str]| ls.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(next_indent(&lines(&["def f(x):"])), "    ");
        assert_eq!(
            next_indent(&lines(&["def f(x):", "    y = x  # :"])),
            "    "
        );
        assert_eq!(
            next_indent(&lines(&["for i in x:", "    if i:"])),
            "        "
        );
        assert_eq!(next_indent(&lines(&["def f(x):", "    return x"])), "");
        assert_eq!(next_indent(&lines(&["y = (1,"])), "");
        assert!(is_exit("exit") && is_exit(" quit()") && !is_exit("exit(1)"));
    }

    #[test]
    fn result_layout_without_colour() {
        style::init(false);
        let out = CellOutput {
            stdout: "hi\n".into(),
            value: Some("tensor([[1.],\n        [2.]])".into()),
            error: None,
        };
        let source = Shown {
            show_source: true,
            ..Shown::default()
        };
        assert_eq!(
            render_result(3, "x", &out, source),
            "hi\nOut[3]:\ntensor([[1.],\n        [2.]])\n"
        );
        // Printed text shown live is not repeated.
        let live = Shown {
            stdout_shown: true,
            ..source
        };
        assert_eq!(
            render_result(3, "x", &out, live),
            "Out[3]:\ntensor([[1.],\n        [2.]])\n"
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
            render_result(1, code, &out, source),
            "partial\n    b = a @ c\n        ^^^^^\nRuntimeError: boom\n"
        );
        assert_eq!(
            render_result(1, code, &out, Shown::default()),
            "partial\nRuntimeError: boom\n"
        );
        let tb = "---\nCell In[1], line 2\n----> 2 b = a @ c\n\n";
        let with_tb = Shown {
            traceback: Some(tb),
            ..live
        };
        assert_eq!(
            render_result(1, code, &out, with_tb),
            format!("\n{tb}RuntimeError: boom\n")
        );
    }
}
