//! The interpreter thread: a big stack (deep recursion gives RecursionError, not a crash),
//! one `Interp` for the whole session, cells in and outputs out over channels. Ctrl-C while a
//! cell runs asks the interpreter to raise KeyboardInterrupt; the session keeps its state.

use crate::eval::{CellOutput, Interp};
use crate::session::{CellRunner, PanicGuard, spawn_big_stack};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// True while a cell runs, so a Ctrl-C between cells does not interrupt the next one.
static RUNNING: AtomicBool = AtomicBool::new(false);

/// The SIGINT handler: interrupt the running cell. (At the prompt the terminal is in raw mode
/// and rustyline reads Ctrl-C as a key, so no signal arrives there.) With no cell running and
/// no terminal to read Ctrl-C from, it ends the program as Python does. A second Ctrl-C before
/// the interpreter noticed the first one is the way out of a cell that never polls.
fn on_sigint() {
    if RUNNING.load(Ordering::SeqCst) {
        if crate::eval::take_interrupt() {
            eprintln!("\nKeyboardInterrupt");
            std::process::exit(130);
        }
        crate::eval::request_interrupt();
    } else if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        std::process::exit(130);
    }
}

/// Installs the Ctrl-C handler once; a second call (or a platform without signals) is ignored.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(on_sigint);
}

/// A running interpreter thread.
pub struct Worker {
    cells: Sender<String>,
    outputs: Receiver<CellOutput>,
}

/// A fresh interpreter whose default generator is seeded with `seed`.
fn fresh_interp(seed: u64) -> Interp {
    let interp = Interp::new();
    crate::eval::torch::reset_session_state(seed);
    interp
}

impl Worker {
    pub fn start(seed: u64) -> std::io::Result<Worker> {
        let (cells, cell_rx) = channel::<String>();
        let (out_tx, outputs) = channel();
        spawn_big_stack("gradbook-interp", move || {
            let mut runner = PanicGuard(LazyInterp { seed, interp: None });
            while let Ok(code) = cell_rx.recv() {
                if out_tx.send(runner.run_cell(&code)).is_err() {
                    break;
                }
            }
        })?;
        Ok(Worker { cells, outputs })
    }

    /// Runs one cell; interrupts requested before it started are dropped.
    pub fn run(&self, code: &str) -> CellOutput {
        crate::eval::take_interrupt();
        RUNNING.store(true, Ordering::SeqCst);
        let out = self
            .cells
            .send(code.to_string())
            .ok()
            .and_then(|()| self.outputs.recv().ok());
        RUNNING.store(false, Ordering::SeqCst);
        crate::eval::take_interrupt();
        out.unwrap_or_else(|| CellOutput {
            error: Some(crate::error::runtime_error(
                "gradbook internal error: the interpreter thread stopped",
            )),
            ..CellOutput::default()
        })
    }
}

/// Creates the interpreter on first use, inside the panic guard, so a failure to start is
/// reported as the first cell's error rather than killing the thread.
struct LazyInterp {
    seed: u64,
    interp: Option<Interp>,
}

impl CellRunner for LazyInterp {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        let seed = self.seed;
        self.interp
            .get_or_insert_with(|| fresh_interp(seed))
            .run_cell(code)
    }
}

/// A seed from the operating system, as PyTorch's default generator uses when never seeded.
pub fn os_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
