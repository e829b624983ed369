//! The bounded, deterministic fuzz run (stable toolchain, library API): inputs derived from a
//! seed, cycling over the targets of `fuzz` (generated programs, and the corpus mutated), each
//! run under `catch_unwind` with a watchdog. Any panic or hang is a failure; an abort ends the
//! process, which fails the run by itself.

use super::program::{self, Source, SplitMix};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A cell running longer than this is interrupted (KeyboardInterrupt), as a learner would.
pub const CELL_LIMIT: Duration = Duration::from_secs(5);
/// An input still running this long after its interrupt is a hang: the process stops.
pub const HANG_LIMIT: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    LexParse,
    SessionReader,
    InterpProgram,
    InterpSource,
}

pub const TARGETS: [Target; 4] = [
    Target::LexParse,
    Target::SessionReader,
    Target::InterpProgram,
    Target::InterpSource,
];

/// What a run did and found.
#[derive(Debug, Default)]
pub struct Report {
    pub inputs: u64,
    pub per_target: [u64; 4],
    /// (target, input) of every input that panicked.
    pub panics: Vec<(String, String)>,
    /// (target, input, seconds) of inputs that ran past `CELL_LIMIT` even after the interrupt.
    pub slow: Vec<(String, String, f64)>,
    pub elapsed: Duration,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.panics.is_empty() && self.slow.is_empty()
    }
}

/// Tokens that stress the lexer, the parser and the ops when spliced into a corpus cell.
const SPLICES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\n",
    "\t",
    "    ",
    "'",
    "\"",
    "\\",
    "0777",
    "1__0",
    "1_",
    "0x_",
    "\\N{GREEK SMALL LETTER ALPHA}",
    "b'\\xff'",
    "**",
    ".abs()",
    "-",
    "not ",
    "10**11",
    "2**63",
    "2**31",
    "requires_grad=True",
    "lambda: ",
    "[a]",
    ".view(-1)",
    "[1:]",
    "[None]",
    ".mul_(2)",
    ".t()",
    ".sum()",
    ".backward()",
    "float('nan')",
    "dim=",
    "0",
    "-1",
    "()",
    ".expand(10**5, -1)",
    "torch.",
    "\u{feff}",
    "#",
    ";",
    "=",
    "+=",
    "*=",
    " if ",
    " else ",
];

/// A mutated copy of `text`: a few random edits on character boundaries.
pub fn mutate(text: &str, s: &mut impl Source) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + s.below(4) {
        let len = chars.len();
        let at = s.below(len + 1);
        match s.below(7) {
            0 if len > 0 => {
                let end = (at + 1 + s.below(8)).min(len);
                chars.drain(at.min(end)..end);
            }
            1 => {
                let end = (at + 1 + s.below(16)).min(len);
                let piece: Vec<char> = chars[at.min(end)..end].to_vec();
                for _ in 0..1 + s.below(3) {
                    chars.splice(at..at, piece.iter().copied());
                }
            }
            2 => {
                // Deep nesting: a bracket or operator repeated many times.
                let piece = s.pick(&["(", "[", "-", "not ", ".abs()", "+1", "{"]);
                let n = 1 + s.below(400);
                chars.splice(at..at, piece.repeat(n).chars());
            }
            3 if len > 1 => {
                let b = s.below(len);
                chars.swap(at.min(len - 1), b);
            }
            4 => chars.truncate(at),
            _ => {
                let piece = s.pick(SPLICES);
                chars.splice(at..at, piece.chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// The corpus a run mutates: every cell of every transcript (and each whole transcript, for
/// the session reader).
pub struct Corpus {
    pub cells: Vec<String>,
    pub sessions: Vec<String>,
}

impl Corpus {
    /// Reads `*.session` files under `roots`.
    pub fn load(roots: &[std::path::PathBuf]) -> Corpus {
        let mut cells = Vec::new();
        let mut sessions = Vec::new();
        for file in crate::session::collect_sessions(roots).unwrap_or_default() {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let parsed = crate::session::Session::parse(&text);
            cells.extend(parsed.cells.iter().map(|c| c.code.clone()));
            sessions.push(text);
        }
        if cells.is_empty() {
            cells.push("x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()".into());
            sessions.push("In [1]: 1 + 1\nOut[1]: 2\n".into());
        }
        Corpus { cells, sessions }
    }
}

/// The `i`-th input of the run with `seed`: its target and bytes.
pub fn input(corpus: &Corpus, seed: u64, i: u64) -> (Target, Vec<u8>) {
    let mut s = SplitMix(seed ^ i.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    // Interpreter inputs are the slow ones: four of every ten inputs run code.
    let target = match i % 10 {
        0 | 3 | 6 | 9 => Target::LexParse,
        1 | 7 => Target::SessionReader,
        2 | 5 | 8 => Target::InterpProgram,
        _ => Target::InterpSource,
    };
    let bytes = match target {
        Target::LexParse | Target::InterpSource => {
            let base = s.pick(&corpus.cells).clone();
            mutate(&base, &mut s).into_bytes()
        }
        Target::SessionReader => {
            let base = s.pick(&corpus.sessions).clone();
            mutate(&base, &mut s).into_bytes()
        }
        Target::InterpProgram => (0..1024).map(|_| s.next_u64() as u8).collect(),
    };
    (target, bytes)
}

/// Runs one input of `target`.
pub fn run_one(target: Target, data: &[u8]) {
    match target {
        Target::LexParse => super::lex_parse(data),
        Target::SessionReader => super::session_reader(data),
        Target::InterpProgram => super::interp_program_here(data),
        Target::InterpSource => super::interp_source_here(data),
    }
}

/// What an input shows in a report: a program's cells, or the text.
pub fn describe(target: Target, data: &[u8]) -> String {
    match target {
        Target::InterpProgram => program::program(&mut program::Bytes::new(data)).join("\n"),
        _ => String::from_utf8_lossy(data).into_owned(),
    }
}

/// Runs inputs `0..inputs` of `seed` (call it on an interpreter-sized stack, see
/// `session::with_big_stack`), stopping early after `budget` if given; `progress` is called
/// every 10,000 inputs.
pub fn run(
    corpus: &Corpus,
    seed: u64,
    inputs: u64,
    budget: Option<Duration>,
    mut progress: impl FnMut(&Report),
) -> Report {
    let start = Instant::now();
    let mut report = Report::default();
    let started_ms = Arc::new(AtomicU64::new(u64::MAX));
    let current = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let epoch = Instant::now();
    let watchdog = {
        let (started_ms, done, current) = (started_ms.clone(), done.clone(), current.clone());
        std::thread::spawn(move || {
            let mut interrupted_for = u64::MAX;
            while !done.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
                let s = started_ms.load(Ordering::SeqCst);
                if s == u64::MAX {
                    continue;
                }
                let now = epoch.elapsed().as_millis() as u64;
                let running = Duration::from_millis(now.saturating_sub(s));
                if running > CELL_LIMIT && interrupted_for != s {
                    crate::eval::request_interrupt();
                    interrupted_for = s;
                }
                if running > HANG_LIMIT {
                    let i = current.load(Ordering::SeqCst);
                    eprintln!(
                        "fuzz: input {i} of seed {seed} hangs (over {HANG_LIMIT:?}); stopping (see it with --only {i})"
                    );
                    std::process::exit(3);
                }
            }
        })
    };
    for i in 0..inputs {
        if budget.is_some_and(|b| start.elapsed() > b) {
            break;
        }
        let (target, data) = input(corpus, seed, i);
        current.store(i, Ordering::SeqCst);
        crate::eval::take_interrupt();
        started_ms.store(epoch.elapsed().as_millis() as u64, Ordering::SeqCst);
        let t0 = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| run_one(target, &data)));
        let took = t0.elapsed();
        started_ms.store(u64::MAX, Ordering::SeqCst);
        crate::eval::take_interrupt();
        let name = format!("{target:?}");
        if result.is_err() {
            report.panics.push((name.clone(), describe(target, &data)));
        }
        if took > CELL_LIMIT * 2 {
            report
                .slow
                .push((name, describe(target, &data), took.as_secs_f64()));
        }
        report.inputs += 1;
        report.per_target[TARGETS.iter().position(|&t| t == target).unwrap_or(0)] += 1;
        if report.inputs % 10_000 == 0 {
            report.elapsed = start.elapsed();
            progress(&report);
        }
    }
    done.store(true, Ordering::SeqCst);
    let _ = watchdog.join();
    report.elapsed = start.elapsed();
    report
}
