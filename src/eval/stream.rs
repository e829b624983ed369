//! Live output: what a cell prints can also be handed, as it is printed, to an echo the
//! front end installs (the REPL and `gradbook run` write it to the terminal at once, so a
//! training loop's progress shows while it runs). The cell's text is still collected in
//! `CellOutput::stdout` for transcripts. One thread-local, so the interpreter's own types
//! need no new field; `Interp::write_stdout` is the one caller.

use std::cell::RefCell;

type Echo = Box<dyn FnMut(&str)>;

thread_local! {
    static ECHO: RefCell<Option<Echo>> = const { RefCell::new(None) };
}

/// Installs (or with None removes) the echo of this thread's interpreter.
pub fn set_echo(echo: Option<Echo>) {
    ECHO.with(|e| *e.borrow_mut() = echo);
}

/// Hands printed text to the echo, if one is installed.
pub fn echo(text: &str) {
    ECHO.with(|e| {
        if let Ok(mut echo) = e.try_borrow_mut()
            && let Some(f) = echo.as_mut()
        {
            f(text);
        }
    });
}
