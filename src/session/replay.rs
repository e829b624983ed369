//! Replay a transcript through an interpreter, check it against its recorded outputs, bless.

use super::format::{Session, output_lines};
use crate::error::{ErrorKind, PyErr};
use crate::eval::{CellOutput, Interp};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Anything that runs notebook cells one after another, keeping state between them.
pub trait CellRunner {
    fn run_cell(&mut self, code: &str) -> CellOutput;
}

impl CellRunner for Interp {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        Interp::run_cell(self, code)
    }
}

/// Runs cells under `catch_unwind`, so an interpreter bug in one cell becomes that cell's
/// error line instead of ending the whole check or REPL session. Every panic caught is a bug:
/// it is counted (`caught_panics`), and tests, `check` and the fuzz runs fail on a non-zero count.
pub struct PanicGuard<R>(pub R);

static CAUGHT_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many panics any `PanicGuard` in this process has caught.
pub fn caught_panics() -> usize {
    CAUGHT_PANICS.load(std::sync::atomic::Ordering::SeqCst)
}

impl<R: CellRunner> CellRunner for PanicGuard<R> {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        match catch_unwind(AssertUnwindSafe(|| self.0.run_cell(code))) {
            Ok(out) => out,
            Err(payload) => CellOutput {
                error: Some(internal_error(payload.as_ref())),
                ..CellOutput::default()
            },
        }
    }
}

/// The error reported for a panic: a RuntimeError whose message says it is gradbook's bug.
pub fn internal_error(payload: &(dyn std::any::Any + Send)) -> PyErr {
    CAUGHT_PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    PyErr::new(
        ErrorKind::RuntimeError,
        format!("gradbook internal error: {msg}"),
    )
}

/// The output lines of cell `number` as the transcript shows them.
pub fn cell_output_lines(number: usize, out: &CellOutput) -> Vec<String> {
    let error = out.error.as_ref().map(|e| e.to_string());
    output_lines(number, &out.stdout, out.value.as_deref(), error.as_deref())
}

/// Runs every cell in order with `runner` and returns the transcript with the new outputs
/// (header and inputs unchanged).
pub fn replay<R: CellRunner + ?Sized>(session: &Session, runner: &mut R) -> Session {
    let outputs = session
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| cell_output_lines(i + 1, &runner.run_cell(&cell.code)))
        .collect();
    session.with_outputs(outputs)
}

/// A cell whose replayed output differs from the recorded one.
#[derive(Clone, Debug, PartialEq)]
pub struct CellFailure {
    pub number: usize,
    pub expected: Vec<String>,
    pub actual: Vec<String>,
}

/// The outcome of checking one transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    pub passed: usize,
    pub failures: Vec<CellFailure>,
    /// The replayed transcript: what `--bless` writes.
    pub replayed: Session,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Replays `session` and compares every cell's output lines with the recorded ones (trailing
/// white space ignored; both sides are normalized that way already).
pub fn check<R: CellRunner + ?Sized>(session: &Session, runner: &mut R) -> CheckReport {
    let replayed = replay(session, runner);
    let mut passed = 0;
    let mut failures = Vec::new();
    for (i, (want, got)) in session.cells.iter().zip(&replayed.cells).enumerate() {
        if want.output == got.output {
            passed += 1;
        } else {
            failures.push(CellFailure {
                number: i + 1,
                expected: want.output.clone(),
                actual: got.output.clone(),
            });
        }
    }
    CheckReport {
        passed,
        failures,
        replayed,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stand-in interpreter: `print X` prints, `err` raises, `boom` panics, anything else
    /// is an expression whose repr is itself, `none` evaluates to None. Counts the cells run,
    /// so state carried across cells shows.
    #[derive(Default)]
    pub(crate) struct FakeRunner {
        pub ran: usize,
    }

    impl CellRunner for FakeRunner {
        fn run_cell(&mut self, code: &str) -> CellOutput {
            self.ran += 1;
            let mut out = CellOutput::default();
            for line in code.lines() {
                if let Some(text) = line.strip_prefix("print ") {
                    out.stdout.push_str(text);
                    out.stdout.push('\n');
                } else if line == "err" {
                    out.error = Some(crate::error::value_error("bad value"));
                    return out;
                } else if line == "boom" {
                    panic!("fake interpreter bug");
                } else if line == "count" {
                    out.value = Some(self.ran.to_string());
                } else if line != "none" {
                    out.value = Some(line.replace("\\n", "\n"));
                }
            }
            out
        }
    }

    #[test]
    fn replay_renders_outputs_in_order() {
        let s = Session::parse(
            "# h\n\nIn [1]: print a\n   ...: x\n\nIn [2]: print b\n   ...: err\n\nIn [3]: m\\nn\n\nIn [4]: count\n",
        );
        let r = replay(&s, &mut FakeRunner::default());
        assert_eq!(
            r.render(),
            "# h\n\nIn [1]: print a\n   ...: x\na\nOut[1]: x\n\nIn [2]: print b\n   ...: err\nb\nValueError: bad value\n\nIn [3]: m\\nn\nOut[3]:\nm\nn\n\nIn [4]: count\nOut[4]: 4\n"
        );
    }

    #[test]
    fn check_reports_failing_cells() {
        let s = Session::parse("In [1]: x\nOut[1]: x\n\nIn [2]: y\nOut[2]: z   \n\nIn [3]: none\n");
        let report = check(&s, &mut FakeRunner::default());
        assert_eq!(report.passed, 2);
        assert_eq!(
            report.failures,
            vec![CellFailure {
                number: 2,
                expected: vec!["Out[2]: z".into()],
                actual: vec!["Out[2]: y".into()],
            }]
        );
        assert!(!report.ok());
        assert_eq!(
            report.replayed.render(),
            "In [1]: x\nOut[1]: x\n\nIn [2]: y\nOut[2]: y\n\nIn [3]: none\n"
        );
    }

    #[test]
    fn panic_guard_turns_a_panic_into_an_error_line() {
        let s = Session::parse("In [1]: boom\n\nIn [2]: count\n");
        let r = replay(&s, &mut PanicGuard(FakeRunner::default()));
        assert_eq!(
            r.cells[0].output,
            vec!["RuntimeError: gradbook internal error: fake interpreter bug"]
        );
        assert_eq!(r.cells[1].output, vec!["Out[2]: 2"]);
    }
}
