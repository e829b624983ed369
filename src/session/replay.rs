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

/// The header line `# %seed N` that `%save` writes when the session did not start from seed
/// 0: replay and check start the generator from N, so the cells keep their numbers (no
/// `%seed` cell is inserted, which would renumber `%history` and `Out[N]`).
pub fn header_seed(session: &Session) -> Option<u64> {
    session
        .header
        .iter()
        .find_map(|l| l.trim().strip_prefix("# %seed ")?.trim().parse().ok())
}

/// Whether a cell's output depends on the clock: `%time`, `%timeit`, `%%time`, `%%timeit`.
fn is_timed(code: &str) -> bool {
    code.lines()
        .any(|l| l.starts_with("%time") || l.starts_with("%%time"))
}

/// The output lines of a timed cell with the measured parts replaced by `…`, so two runs
/// compare equal: `CPU times: …`, `Wall time: …`, and `%timeit`'s summary keeping only its
/// run count (the loop count is chosen by the clock unless `-n` is given). IPython's "The
/// slowest run took ..." note comes and goes with the machine's load, so it is left out.
pub fn timing_pattern(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.starts_with("The slowest run took "))
        .map(|l| {
            if l.starts_with("CPU times: ") {
                "CPU times: …".to_string()
            } else if l.starts_with("Wall time: ") {
                "Wall time: …".to_string()
            } else if let Some((_, tail)) = l.split_once(" per loop (mean ± std. dev. of ") {
                let runs = tail.split(',').next().unwrap_or_default();
                format!("… per loop (mean ± std. dev. of {runs}, … each)")
            } else {
                l.clone()
            }
        })
        .collect()
}

/// Replays `session` and compares every cell's output lines with the recorded ones (trailing
/// white space ignored; both sides are normalized that way already). Cells that time code
/// are compared through `timing_pattern`.
pub fn check<R: CellRunner + ?Sized>(session: &Session, runner: &mut R) -> CheckReport {
    let replayed = replay(session, runner);
    let mut passed = 0;
    let mut failures = Vec::new();
    for (i, (want, got)) in session.cells.iter().zip(&replayed.cells).enumerate() {
        let same = if is_timed(&want.code) {
            timing_pattern(&want.output) == timing_pattern(&got.output)
        } else {
            want.output == got.output
        };
        if same {
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
    fn timings_compare_as_a_pattern() {
        let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = lines(&[
            "CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms",
            "Wall time: 1.3 ms",
            "Out[1]: 2",
            "5.1 μs ± 20 ns per loop (mean ± std. dev. of 7 runs, 100,000 loops each)",
        ]);
        let b = lines(&[
            "CPU times: user 2 s, sys: 10 ms, total: 2.01 s",
            "Wall time: 2.1 s",
            "Out[1]: 2",
            "The slowest run took 5.20 times longer than the fastest. This could mean that an intermediate result is being cached.",
            "1.2 ms ± 2 μs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)",
        ]);
        assert_eq!(timing_pattern(&a), timing_pattern(&b));
        let c = lines(&["Wall time: 1 s", "Out[1]: 3"]);
        assert_ne!(timing_pattern(&a[1..3]), timing_pattern(&c));
        let r3 = lines(&["5 μs ± 2 ns per loop (mean ± std. dev. of 3 runs, 10 loops each)"]);
        assert_ne!(timing_pattern(&a[3..]), timing_pattern(&r3));
        // Only timed cells are compared that way.
        let s = Session::parse("In [1]: print Wall time: 1 s\nWall time: 2 s\n");
        assert!(!check(&s, &mut FakeRunner::default()).ok());
        let s = Session::parse(
            "In [1]: %time\n   ...: print Wall time: 1 s\nWall time: 2 s\nOut[1]: %time\n",
        );
        assert!(check(&s, &mut FakeRunner::default()).ok());
    }

    #[test]
    fn seed_header() {
        let s = Session::parse("# Saved\n# %seed 42\n\nIn [1]: x\n");
        assert_eq!(header_seed(&s), Some(42));
        assert_eq!(header_seed(&Session::parse("In [1]: x\n")), None);
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
