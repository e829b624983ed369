//! The kernel's interpreter thread: one `Notebook` (the same IPython layer the REPL and replay
//! use), on a big-stack thread because interpreter values are not `Send`. The socket side sends
//! it jobs; what a cell shows before it ends (`display()`, `clear_output()`, an `input()`
//! prompt) comes back as events, in order with the text printed before it.

use crate::error::{ErrorKind, PyErr};
use crate::eval::{CellOutput, Interp, Value};
use crate::session::notebook::{Notebook, is_help_cell};
use crate::session::replay::internal_error;
use crate::session::{Location, complete};
use serde_json::{Value as Json, json};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::{mpsc::UnboundedSender, oneshot};

/// Work for the interpreter thread.
pub enum Job {
    Execute {
        code: String,
        silent: bool,
        allow_stdin: bool,
        reply: oneshot::Sender<Executed>,
    },
    /// `complete_request`, `inspect_request`, `is_complete_request`: the reply content.
    Complete {
        code: String,
        cursor: usize,
        reply: oneshot::Sender<Json>,
    },
    Inspect {
        code: String,
        cursor: usize,
        reply: oneshot::Sender<Json>,
    },
    IsComplete {
        code: String,
        reply: oneshot::Sender<Json>,
    },
}

/// What a running cell shows before it ends.
pub enum Event {
    /// The cell is about to run as number N (published as `execute_input`).
    Started(usize),
    Stream(String),
    Stderr(String),
    Display(Json),
    ClearOutput {
        wait: bool,
    },
    /// `input(prompt)`: the answer goes back through `answer`.
    Input {
        prompt: String,
        answer: mpsc::Sender<String>,
    },
}

/// A finished cell.
pub struct Executed {
    pub execution_count: usize,
    pub output: CellOutput,
    /// `obj?` cells: the help text, for the pager instead of the output area.
    pub page: Option<String>,
    pub traceback: Vec<String>,
    /// `text/html` for a tensor result (`html.rs`).
    pub html: Option<String>,
}

/// Starts the interpreter thread; jobs go in through the returned sender.
pub fn spawn(events: UnboundedSender<Event>) -> Result<mpsc::Sender<Job>, String> {
    let (tx, rx) = mpsc::channel::<Job>();
    crate::session::spawn_big_stack("gradbook-kernel", move || {
        let allow_stdin = Rc::new(Cell::new(false));
        let mut nb = Notebook::new(0);
        nb.set_pretty_display(true);
        bind_frontend_names(&mut nb, &events, &allow_stdin);
        for job in rx {
            handle(&mut nb, job, &allow_stdin, &events);
        }
    })
    .map(|_| tx)
    .map_err(|e| format!("cannot start the interpreter thread: {e}"))
}

fn handle(
    nb: &mut Notebook,
    job: Job,
    allow_stdin: &Rc<Cell<bool>>,
    events: &UnboundedSender<Event>,
) {
    match job {
        Job::Execute {
            code,
            silent,
            allow_stdin: allowed,
            reply,
        } => {
            // An interrupt that came while no cell ran must not hit this one.
            crate::eval::take_interrupt();
            allow_stdin.set(allowed);
            if !silent {
                let _ = events.send(Event::Started(nb.execution_count()));
            }
            let _ = reply.send(execute(nb, &code, silent));
        }
        Job::Complete {
            code,
            cursor,
            reply,
        } => {
            let _ = reply.send(guarded(|| complete_reply(nb, &code, cursor)));
        }
        Job::Inspect {
            code,
            cursor,
            reply,
        } => {
            let _ = reply.send(guarded(|| inspect_reply(nb, &code, cursor)));
        }
        Job::IsComplete { code, reply } => {
            let _ = reply.send(guarded(|| is_complete_reply(&code)));
        }
    }
}

/// A reply computed under `catch_unwind`: an interpreter bug gives an error reply, never a
/// dead kernel.
fn guarded(f: impl FnOnce() -> Json) -> Json {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let e = internal_error(p.as_ref());
        json!({"status": "error", "ename": e.kind.name(), "evalue": e.msg, "traceback": []})
    })
}

fn execute(nb: &mut Notebook, code: &str, silent: bool) -> Executed {
    let run = |nb: &mut Notebook| {
        catch_unwind(AssertUnwindSafe(|| {
            if silent {
                // Quietly, as Jupyter asks: no cell number, no `Out`.
                let mut out = nb.interp().run_cell(&format!("{code}\npass"));
                out.value = None;
                out
            } else {
                nb.run(code)
            }
        }))
        .unwrap_or_else(|p| CellOutput {
            error: Some(internal_error(p.as_ref())),
            ..CellOutput::default()
        })
    };
    let execution_count = nb.execution_count();
    let mut output = run(nb);
    let execution_count = if silent {
        execution_count.saturating_sub(1)
    } else {
        execution_count
    };
    let page = (!silent && is_help_cell(code) && output.error.is_none())
        .then(|| std::mem::take(&mut output.stdout));
    let html = match (&output.value, nb.interp().get_global("_")) {
        (Some(repr), Some(Value::Tensor(t))) if !silent => Some(super::html::tensor_html(repr, &t)),
        _ => None,
    };
    let traceback = output
        .error
        .as_ref()
        .map(|e| traceback(code, execution_count, e))
        .unwrap_or_default();
    Executed {
        execution_count,
        output,
        page,
        traceback,
        html,
    }
}

/// The traceback lines a front end shows: where in the cell, then `Type: message`.
fn traceback(code: &str, number: usize, err: &PyErr) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(loc) = err.span.and_then(|s| Location::find(code, s)) {
        let (line, caret) = loc.caret_lines();
        lines.push("Traceback (most recent call last):".to_string());
        lines.push(format!("  Cell In[{number}], line {}", loc.line_no));
        lines.push(line);
        lines.push(caret);
    }
    lines.push(err.to_string());
    lines
}

/// `display`, `clear_output` and `input`, the front end's functions IPython's kernel binds.
fn bind_frontend_names(
    nb: &mut Notebook,
    events: &UnboundedSender<Event>,
    allow_stdin: &Rc<Cell<bool>>,
) {
    let ev = events.clone();
    nb.bind_session_name(
        "display",
        Value::native("display", move |interp, args| {
            for v in &args.pos {
                let repr = interp.repr(v)?;
                flush(interp, &ev);
                let _ = ev.send(Event::Display(json!({"text/plain": repr})));
            }
            Ok(Value::None)
        }),
    );
    let ev = events.clone();
    nb.bind_session_name(
        "clear_output",
        Value::native("clear_output", move |interp, args| {
            let wait = match args.kw.iter().find(|(k, _)| k == "wait") {
                Some((_, v)) => interp.truthy(v)?,
                None => match args.pos.first() {
                    Some(v) => interp.truthy(v)?,
                    None => false,
                },
            };
            flush(interp, &ev);
            let _ = ev.send(Event::ClearOutput { wait });
            Ok(Value::None)
        }),
    );
    nb.interp().register_module("sys", sys_module(events));
    let ev = events.clone();
    let allowed = allow_stdin.clone();
    nb.bind_session_name(
        "input",
        Value::native("input", move |interp, args| {
            let prompt = match args.pos.first() {
                Some(v) => interp.str(v)?,
                None => String::new(),
            };
            if !allowed.get() {
                return Err(PyErr::new(
                    ErrorKind::NotImplementedError,
                    "raw_input was called, but this frontend does not support input requests.",
                ));
            }
            flush(interp, &ev);
            let (answer, answers) = mpsc::channel();
            let _ = ev.send(Event::Input { prompt, answer });
            // Wait for the answer, but let an interrupt end the wait as it ends a loop.
            loop {
                match answers.recv_timeout(Duration::from_millis(50)) {
                    Ok(text) => return Ok(Value::str(&text)),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if crate::eval::take_interrupt() {
                            return Err(PyErr::new(ErrorKind::KeyboardInterrupt, ""));
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(PyErr::new(ErrorKind::KeyboardInterrupt, ""));
                    }
                }
            }
        }),
    );
}

/// `sys` with `stdout` and `stderr` whose `write` goes to the front end's streams.
fn sys_module(events: &UnboundedSender<Event>) -> Value {
    let ev = events.clone();
    let write_err = Value::native("write", move |interp, args| {
        let text = match args.pos.as_slice() {
            [Value::Str(s)] => s.to_string(),
            [other] => {
                return Err(crate::error::type_error(format!(
                    "write() argument must be str, not {}",
                    other.type_name()
                )));
            }
            _ => {
                return Err(crate::error::type_error(
                    "write() takes exactly one argument",
                ));
            }
        };
        flush(interp, &ev);
        let _ = ev.send(Event::Stderr(text.clone()));
        Ok(Value::Int(text.chars().count() as i64))
    });
    let write_out = Value::native("write", |interp, args| match args.pos.as_slice() {
        [Value::Str(s)] => {
            interp.write_stdout(s);
            Ok(Value::Int(s.chars().count() as i64))
        }
        _ => Err(crate::error::type_error("write() argument must be str")),
    });
    let stream = |name: &str, write: Value| module(name, vec![("write", write)]);
    module(
        "sys",
        vec![
            ("stdout", stream("sys.stdout", write_out)),
            ("stderr", stream("sys.stderr", write_err)),
        ],
    )
}

fn module(name: &str, attrs: Vec<(&str, Value)>) -> Value {
    Value::Module(Rc::new(crate::eval::value::Module {
        name: name.to_string(),
        attrs: std::cell::RefCell::new(
            attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        ),
    }))
}

/// Sends what the cell printed so far, so it stays before what comes next.
fn flush(interp: &mut Interp, events: &UnboundedSender<Event>) {
    let text = interp.take_stdout();
    if !text.is_empty() {
        let _ = events.send(Event::Stream(text));
    }
}

/// Byte offset of the `cursor`-th character (Jupyter counts code points).
fn byte_at(code: &str, cursor: usize) -> usize {
    code.char_indices()
        .nth(cursor)
        .map_or(code.len(), |(i, _)| i)
}

fn complete_reply(nb: &mut Notebook, code: &str, cursor: usize) -> Json {
    let at = byte_at(code, cursor);
    let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = code[at..].find('\n').map_or(code.len(), |i| at + i);
    let line = &code[line_start..line_end];
    let (start, matches) = complete::complete(nb, line, at - line_start);
    let cursor_start = code[..line_start + start.min(line.len())].chars().count();
    json!({
        "status": "ok",
        "matches": matches,
        "cursor_start": cursor_start,
        "cursor_end": code[..at].chars().count(),
        "metadata": {},
    })
}

/// The dotted name at the cursor (`torch.autograd.gr|ad` → `torch.autograd.grad`); inside a
/// call's parentheses, the function called.
fn name_at(code: &str, at: usize) -> String {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut end = at;
    end += code[at..]
        .find(|c: char| !is_name(c))
        .unwrap_or(code.len() - at);
    let mut start = code[..end]
        .rfind(|c: char| !is_name(c))
        .map_or(0, |i| i + 1);
    if start == end {
        // `f(|` or `f(x, |`: the callee of the innermost open parenthesis.
        if let Some(open) = code[..at].rfind('(') {
            end = open;
            start = code[..end]
                .rfind(|c: char| !is_name(c))
                .map_or(0, |i| i + 1);
        }
    }
    code[start..end].trim_matches('.').to_string()
}

fn inspect_reply(nb: &mut Notebook, code: &str, cursor: usize) -> Json {
    let name = name_at(code, byte_at(code, cursor));
    let text = (!name.is_empty()).then(|| nb.inspect(&name)).flatten();
    match text {
        Some(text) => json!({
            "status": "ok", "found": true, "data": {"text/plain": text}, "metadata": {},
        }),
        None => json!({"status": "ok", "found": false, "data": {}, "metadata": {}}),
    }
}

fn is_complete_reply(code: &str) -> Json {
    use crate::syntax::{Completeness, check_complete};
    match check_complete(code) {
        Completeness::Complete => json!({"status": "complete"}),
        Completeness::Invalid => json!({"status": "invalid"}),
        Completeness::Incomplete => {
            let last = code.lines().last().unwrap_or("");
            let mut indent: String = last.chars().take_while(|c| c.is_whitespace()).collect();
            if last.trim_end().ends_with(':') {
                indent.push_str("    ");
            }
            json!({"status": "incomplete", "indent": indent})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_at_the_cursor() {
        assert_eq!(name_at("torch.autograd.grad", 10), "torch.autograd.grad");
        assert_eq!(name_at("y = torch.exp(x", 15), "x");
        assert_eq!(name_at("y = torch.exp(", 14), "torch.exp");
        assert_eq!(name_at("zip", 3), "zip");
        assert_eq!(name_at("1 + ", 4), "");
    }

    #[test]
    fn completeness_replies() {
        assert_eq!(is_complete_reply("1 + 1")["status"], "complete");
        let r = is_complete_reply("for i in range(3):");
        assert_eq!(r["status"], "incomplete");
        assert_eq!(r["indent"], "    ");
        assert_eq!(is_complete_reply("1 +* 2")["status"], "invalid");
    }

    #[test]
    fn cells_run_with_frontend_functions() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let allow = Rc::new(Cell::new(false));
        let mut nb = Notebook::new(0);
        bind_frontend_names(&mut nb, &tx, &allow);
        let done = execute(&mut nb, "print('a')\ndisplay(1 + 1)\nprint('b')\n7", false);
        assert_eq!(done.execution_count, 1);
        assert_eq!(done.output.stdout, "b\n");
        assert_eq!(done.output.value.as_deref(), Some("7"));
        assert!(matches!(rx.try_recv(), Ok(Event::Stream(t)) if t == "a\n"));
        assert!(matches!(rx.try_recv(), Ok(Event::Display(d)) if d["text/plain"] == "2"));
        // input() without a front end that answers is refused, as IPython's kernel does.
        let done = execute(&mut nb, "input('name? ')", false);
        assert_eq!(
            done.output.error.map(|e| e.kind),
            Some(ErrorKind::NotImplementedError)
        );
        // Silent cells take no number and show nothing; state is kept.
        let done = execute(&mut nb, "z = 5\nz", true);
        assert_eq!(done.output.value, None);
        assert_eq!(
            execute(&mut nb, "z", false).output.value.as_deref(),
            Some("5")
        );
        // %who does not list the front end's names.
        let who = execute(&mut nb, "%who", false).output.stdout;
        assert!(
            who.contains('z') && !who.contains("display") && !who.contains("input"),
            "{who}"
        );
        // An error's traceback points into the cell.
        let done = execute(&mut nb, "x = 1\nx @ q", false);
        assert_eq!(
            done.traceback.last().map(String::as_str),
            Some("NameError: name 'q' is not defined")
        );
        assert!(done.traceback.iter().any(|l| l.contains("line 2")));
        let page = execute(&mut nb, "zip?", false).page.unwrap_or_default();
        assert!(page.contains("zip"), "{page}");
    }
}
