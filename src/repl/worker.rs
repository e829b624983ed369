//! The interpreter thread: a big stack (deep recursion gives RecursionError, not a crash),
//! one `Notebook` for the whole session, requests in and replies out over channels. Ctrl-C
//! while a cell runs asks the interpreter to raise KeyboardInterrupt; the session keeps its
//! state.

use crate::eval::CellOutput;
use crate::session::{CellRunner, Notebook, PanicGuard, spawn_big_stack};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// True while a cell runs, so a Ctrl-C between cells does not interrupt the next one.
static RUNNING: AtomicBool = AtomicBool::new(false);

/// Marks a cell as running outside the REPL (`gradbook run`), so Ctrl-C interrupts it.
pub fn set_running(running: bool) {
    RUNNING.store(running, Ordering::SeqCst);
}

/// The SIGINT handler: interrupt the running cell. (At the prompt the terminal is in raw mode
/// and rustyline reads Ctrl-C as a key, so no signal arrives there.) With no cell running and
/// no terminal to read Ctrl-C from, it ends the program as Python does. Further Ctrl-Cs
/// while a long operation (one big product) has not yet reached a point where it polls keep
/// the request standing: as in IPython, the cell stops when it can and the session stays.
fn on_sigint() {
    if RUNNING.load(Ordering::SeqCst) {
        crate::eval::request_interrupt();
    } else if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        std::process::exit(130);
    }
}

/// Installs the Ctrl-C handler once; a second call (or a platform without signals) is ignored.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(on_sigint);
}

enum Request {
    Run(String),
    /// Whether the user bound this name (a lesson's `q` is then a variable, not "quit").
    Defined(String),
    Complete(String, usize),
    NextInput,
}

enum Reply {
    /// The cell's output, its traceback (IPython's layout) when it raised, and the
    /// warnings it raised, as stderr shows them.
    Ran(CellOutput, Option<String>, String),
    Completions(usize, Vec<String>),
    NextInput(Option<String>),
    Defined(bool),
}

/// A running interpreter thread.
pub struct Worker {
    requests: Sender<Request>,
    replies: Receiver<Reply>,
}

/// The notebook, created on first use inside the panic guard, so a failure to start is
/// reported as the first cell's error rather than killing the thread.
struct LazyNotebook {
    seed: u64,
    interactive: bool,
    notebook: Option<Notebook>,
}

impl LazyNotebook {
    fn get(&mut self) -> &mut Notebook {
        let (seed, interactive) = (self.seed, self.interactive);
        self.notebook.get_or_insert_with(|| {
            let mut nb = Notebook::new(seed);
            nb.set_interactive(interactive);
            // What a cell prints shows while it runs, as in IPython.
            nb.set_live_output(Some(Box::new(|text: &str| {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            })));
            nb
        })
    }
}

impl CellRunner for LazyNotebook {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        self.get().run(code)
    }
}

impl Worker {
    /// Starts a session seeded with `seed`; `interactive` lets `%reset` ask on the terminal.
    pub fn start(seed: u64, interactive: bool) -> std::io::Result<Worker> {
        let (requests, request_rx) = channel::<Request>();
        let (reply_tx, replies) = channel();
        spawn_big_stack("gradbook-interp", move || {
            let mut runner = PanicGuard(LazyNotebook {
                seed,
                interactive,
                notebook: None,
            });
            while let Ok(request) = request_rx.recv() {
                let reply = match request {
                    Request::Run(code) => {
                        let out = runner.run_cell(&code);
                        let traceback = out.error.as_ref().and_then(|e| {
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                runner.0.get().traceback(e)
                            }))
                            .ok()
                            .flatten()
                        });
                        let nb = runner.0.get();
                        let file = format!("<ipython-input-{}>", nb.execution_count() - 1);
                        Reply::Ran(out, traceback, nb.warnings_text(&file))
                    }
                    Request::Defined(name) => Reply::Defined(
                        runner.0.get().interp().get_global(&name).is_some()
                            && runner.0.get().who_ls(&[]).contains(&name),
                    ),
                    Request::Complete(line, pos) => {
                        // A completion bug must not take the session down with it.
                        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            crate::session::complete::complete(runner.0.get(), &line, pos)
                        }));
                        let (start, hits) = found.unwrap_or((pos, Vec::new()));
                        Reply::Completions(start, hits)
                    }
                    Request::NextInput => Reply::NextInput(runner.0.get().take_next_input()),
                };
                if reply_tx.send(reply).is_err() {
                    break;
                }
            }
        })?;
        Ok(Worker { requests, replies })
    }

    /// Whether a cell of the user's bound `name`.
    pub fn defined(&self, name: &str) -> bool {
        matches!(
            self.ask(Request::Defined(name.to_string())),
            Some(Reply::Defined(true))
        )
    }

    /// Runs one cell and returns its output and traceback; what it prints is shown while it
    /// runs. Interrupts requested before it started are dropped.
    pub fn run(&self, code: &str) -> (CellOutput, Option<String>, String) {
        crate::eval::take_interrupt();
        RUNNING.store(true, Ordering::SeqCst);
        let reply = self.ask(Request::Run(code.to_string()));
        RUNNING.store(false, Ordering::SeqCst);
        crate::eval::take_interrupt();
        match reply {
            Some(Reply::Ran(out, traceback, warnings)) => (out, traceback, warnings),
            _ => (
                CellOutput {
                    error: Some(crate::error::runtime_error(
                        "gradbook internal error: the interpreter thread stopped",
                    )),
                    ..CellOutput::default()
                },
                None,
                String::new(),
            ),
        }
    }

    /// Completion candidates for `line` with the cursor at byte `pos`.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        match self.ask(Request::Complete(line.to_string(), pos)) {
            Some(Reply::Completions(start, hits)) => (start, hits),
            _ => (pos, Vec::new()),
        }
    }

    /// The next cell `%load` queued, to pre-fill the prompt with.
    pub fn next_input(&self) -> Option<String> {
        match self.ask(Request::NextInput) {
            Some(Reply::NextInput(next)) => next,
            _ => None,
        }
    }

    fn ask(&self, request: Request) -> Option<Reply> {
        self.requests.send(request).ok()?;
        self.replies.recv().ok()
    }
}

/// A seed from the operating system, as PyTorch's default generator uses when never seeded;
/// below 2**63 so `%seed` (a Python int) can write it back into a saved transcript.
pub fn os_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now()) >> 1
}
