//! The `gradbook` command: the REPL, `run FILE`, `check [--bless] PATH...`.

mod memory;

use clap::{Parser, Subcommand};
use gradbook::kernel;
use gradbook::repl::{self, ReplOptions, style};
use gradbook::session::{
    self, CellRunner, Location, Notebook, PanicGuard, Session, with_big_stack,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gradbook",
    version,
    about = "A terminal notebook that runs PyTorch autograd lessons"
)]
struct Cli {
    /// Seed the default random generator (the REPL seeds from the OS otherwise).
    #[arg(long)]
    seed: Option<u64>,
    /// Never colour the output (NO_COLOR in the environment does the same).
    #[arg(long, global = true)]
    no_color: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a script (`.py`, printing what it prints) or replay a `.session` transcript.
    Run { file: PathBuf },
    /// Replay a transcript: print it with new outputs, or with --step walk through it cell by
    /// cell (Enter runs a cell, your own cells in between, q quits).
    Replay {
        #[arg(long)]
        step: bool,
        file: PathBuf,
    },
    /// List the bundled lessons, or step through one (by name or number).
    Tutorial { name: Option<String> },
    /// Replay transcripts and notebooks and compare their outputs; files or directories of
    /// `*.session` and `*.ipynb`.
    Check {
        /// Rewrite the files with the replayed outputs (header and inputs kept).
        #[arg(long)]
        bless: bool,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Convert between `.session`, `.py` (percent cells) and `.ipynb`, in any direction.
    Convert { from: PathBuf, to: PathBuf },
    /// A Jupyter kernel: `--connection-file FILE` runs it (Jupyter starts it so), `install`
    /// writes its kernelspec.
    Kernel {
        #[arg(long, short = 'f')]
        connection_file: Option<PathBuf>,
        #[command(subcommand)]
        action: Option<KernelAction>,
    },
}

#[derive(Subcommand)]
enum KernelAction {
    /// Write the kernelspec (kernel.json and logos) where Jupyter finds it.
    Install {
        /// Into the user's Jupyter data directory (the default).
        #[arg(long, conflicts_with_all = ["prefix", "sys_prefix"])]
        user: bool,
        /// Into PREFIX/share/jupyter/kernels.
        #[arg(long, value_name = "DIR")]
        prefix: Option<PathBuf>,
        /// Into the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX).
        #[arg(long, conflicts_with = "prefix")]
        sys_prefix: bool,
    },
}

fn main() -> ExitCode {
    memory::keep_freed_memory();
    let cli = Cli::parse();
    style::init(style::wants_color(cli.no_color));
    let code = match cli.command {
        None => repl::run(&ReplOptions {
            seed: cli.seed,
            color: style::wants_color(cli.no_color),
        }),
        Some(Command::Run { file }) => run_file(&file, cli.seed),
        Some(Command::Replay { step: false, file }) => run_file(&file, cli.seed),
        Some(Command::Replay { step: true, file }) => step_file(&file, cli.seed, cli.no_color),
        Some(Command::Tutorial { name }) => tutorial(name.as_deref(), cli.seed, cli.no_color),
        Some(Command::Check { bless, paths }) => check(&paths, bless),
        Some(Command::Convert { from, to }) => convert(&from, &to),
        Some(Command::Kernel {
            connection_file,
            action,
        }) => kernel(connection_file.as_deref(), action),
    };
    ExitCode::from(code)
}

/// Runs `f` with a fresh interpreter on a big-stack thread (interpreter values are not `Send`,
/// so the interpreter is born and dies there). Without a seed the generator starts from 0,
/// as a replayed transcript's does.
fn with_interp<T: Send + 'static>(
    seed: Option<u64>,
    f: impl FnOnce(&mut dyn CellRunner) -> T + Send + 'static,
) -> Result<T, String> {
    with_big_stack(move || {
        let mut runner = PanicGuard(Fresh {
            seed,
            notebook: None,
        });
        f(&mut runner)
    })
    .map_err(|p| session::replay::internal_error(p.as_ref()).to_string())
}

/// A notebook created on its first cell, so that a failure to create one is reported
/// through the panic guard like any cell's failure. Replay seeds with 0, as transcripts do.
struct Fresh {
    seed: Option<u64>,
    notebook: Option<Notebook>,
}

impl CellRunner for Fresh {
    fn run_cell(&mut self, code: &str) -> gradbook::eval::CellOutput {
        let seed = self.seed.unwrap_or(0);
        self.notebook
            .get_or_insert_with(|| Notebook::new(seed))
            .run(code)
    }
}

/// `gradbook run FILE`.
fn run_file(path: &Path, seed: Option<u64>) -> u8 {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("gradbook: can't open file '{}': {e}", path.display());
            return 2;
        }
    };
    if session::files::is_session(path) || session::files::is_notebook(path) {
        let parsed = if session::files::is_notebook(path) {
            match session::files::load_notebook_text(&text) {
                Ok(nb) => nb.session,
                Err(e) => {
                    eprintln!("gradbook: {}: {e}", path.display());
                    return 2;
                }
            }
        } else {
            Session::parse(&text)
        };
        let notebook = session::files::is_notebook(path);
        let replayed = if notebook {
            // A notebook's values as IPython's kernel shows them (pretty-printed).
            with_big_stack(move || {
                let mut runner = PanicGuard(session::ipynb::FreshNotebook::new(seed.unwrap_or(0)));
                session::replay(&parsed, &mut runner).render()
            })
            .map_err(|p| session::replay::internal_error(p.as_ref()).to_string())
        } else {
            with_interp(seed, move |r| session::replay(&parsed, r).render())
        };
        return match replayed {
            Ok(transcript) => {
                print!("{transcript}");
                0
            }
            Err(e) => {
                eprintln!("{e}");
                1
            }
        };
    }
    let source = text.clone();
    let out = match with_interp(seed, move |r| r.run_cell(&source)) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    print!("{}", out.stdout);
    let _ = std::io::stdout().flush();
    match out.error {
        None => 0,
        Some(err) => {
            eprintln!("Traceback (most recent call last):");
            if let Some(loc) = err.span.and_then(|s| Location::find(&text, s)) {
                let (line, caret) = loc.caret_lines();
                eprintln!(
                    "  File \"{}\", line {}, in <module>\n{line}\n{caret}",
                    path.display(),
                    loc.line_no
                );
            }
            eprintln!("{err}");
            1
        }
    }
}

/// `gradbook replay --step FILE` (a notebook's markdown is shown between its cells).
fn step_file(path: &Path, seed: Option<u64>, no_color: bool) -> u8 {
    let opts = ReplOptions {
        seed,
        color: style::wants_color(no_color),
    };
    if session::files::is_notebook(path) {
        return match session::convert::read(path) {
            Ok(nb) => repl::step::step_with_notes(&nb.session, &nb.notes, &opts),
            Err(e) => {
                eprintln!("gradbook: can't open file: {e}");
                2
            }
        };
    }
    let parsed = match session::load(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gradbook: can't open file '{}': {e}", path.display());
            return 2;
        }
    };
    repl::step::step(&parsed, &opts)
}

/// `gradbook tutorial [NAME]`: the lesson list, or one lesson step by step.
fn tutorial(name: Option<&str>, seed: Option<u64>, no_color: bool) -> u8 {
    let Some(name) = name else {
        println!("Lessons (gradbook tutorial NAME, or its number):");
        for lesson in session::lessons::LESSONS {
            println!("  {:<24}{}", lesson.name, lesson.title());
        }
        return 0;
    };
    if Path::new(name).is_file() {
        return step_file(Path::new(name), seed, no_color);
    }
    match session::lessons::find(name) {
        Some(lesson) => repl::step::step(
            &lesson.session(),
            &ReplOptions {
                seed,
                color: style::wants_color(no_color),
            },
        ),
        None => {
            eprintln!("gradbook: no lesson named '{name}' (gradbook tutorial lists them)");
            2
        }
    }
}

/// `gradbook check [--bless] PATH...`.
fn check(paths: &[PathBuf], bless: bool) -> u8 {
    let files = match session::collect_sessions(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("gradbook: {e}");
            return 2;
        }
    };
    let (mut passed, mut failed, mut broken) = (0, 0, 0);
    for file in files {
        if session::files::is_notebook(&file) {
            match check_notebook(&file, bless) {
                Some((p, f)) => {
                    passed += p;
                    failed += f;
                }
                None => broken += 1,
            }
            continue;
        }
        if !session::files::is_session(&file) {
            eprintln!("gradbook: {}: not a .session transcript", file.display());
            broken += 1;
            continue;
        }
        let parsed = match session::load(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("gradbook: {}: {e}", file.display());
                broken += 1;
                continue;
            }
        };
        let report = match with_interp(None, move |r| session::check(&parsed, r)) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("gradbook: {}: {e}", file.display());
                broken += 1;
                continue;
            }
        };
        passed += report.passed;
        failed += report.failures.len();
        print_failures(&file, &report);
        if bless && !report.ok() {
            match std::fs::write(&file, report.replayed.render()) {
                Ok(()) => println!("blessed {}", file.display()),
                Err(e) => {
                    eprintln!("gradbook: {}: {e}", file.display());
                    broken += 1;
                }
            }
        }
    }
    let ok = failed == 0 && broken == 0;
    if broken > 0 {
        eprintln!("gradbook: {broken} file(s) could not be checked");
    }
    println!(
        "{}",
        style::summary(&format!("{passed} passed, {failed} failed"), ok)
    );
    if broken > 0 || (failed > 0 && !bless) {
        1
    } else {
        0
    }
}

/// The per-cell diffs of a checked file.
fn print_failures(file: &Path, report: &session::CheckReport) {
    for failure in &report.failures {
        println!(
            "{}",
            style::failure_heading(&format!(
                "{}: cell [{}] differs",
                file.display(),
                failure.number
            ))
        );
        println!("--- expected\n+++ actual");
        for line in session::unified_diff(&failure.expected, &failure.actual) {
            println!("{}", style::diff_line(&line));
        }
        println!();
    }
}

/// Checks one notebook (and blesses it: only the changed cells' outputs are rewritten);
/// (passed, failed), or None when it could not be read or run.
fn check_notebook(file: &Path, bless: bool) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| eprintln!("gradbook: {}: {e}", file.display()))
        .ok()?;
    let nb = session::files::load_notebook_text(&text)
        .map_err(|e| eprintln!("gradbook: {}: {e}", file.display()))
        .ok()?;
    if !nb.has_outputs && !nb.session.cells.is_empty() {
        eprintln!(
            "gradbook: {}: the notebook has no recorded outputs (`gradbook check --bless` records them)",
            file.display()
        );
    }
    let checked = with_big_stack(move || {
        session::ipynb::check(
            &nb,
            &mut PanicGuard(session::ipynb::FreshNotebook::default()),
        )
    })
    .map_err(|p| {
        let e = session::replay::internal_error(p.as_ref());
        eprintln!("gradbook: {}: {e}", file.display())
    })
    .ok()?;
    print_failures(file, &checked.report);
    if bless && !checked.report.ok() {
        let written = session::ipynb::bless(&text, &checked.changed)
            .and_then(|t| std::fs::write(file, t).map_err(|e| e.to_string()));
        match written {
            Ok(()) => println!("blessed {}", file.display()),
            Err(e) => {
                eprintln!("gradbook: {}: {e}", file.display());
                return None;
            }
        }
    }
    Some((checked.report.passed, checked.report.failures.len()))
}

/// `gradbook convert FROM TO`.
fn convert(from: &Path, to: &Path) -> u8 {
    let lesson = match session::convert::read(from) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("gradbook: {e}");
            return 2;
        }
    };
    let dropped = session::convert::dropped_notes(&lesson, to);
    if let Err(e) = session::convert::write(&lesson, to) {
        eprintln!("gradbook: {e}");
        return 2;
    }
    if dropped > 0 {
        eprintln!(
            "gradbook: {dropped} markdown cell(s) after the first code cell have no place in a .session and were left out"
        );
    }
    0
}

/// `gradbook kernel --connection-file FILE` and `gradbook kernel install`.
fn kernel(connection_file: Option<&Path>, action: Option<KernelAction>) -> u8 {
    match (connection_file, action) {
        (
            _,
            Some(KernelAction::Install {
                user,
                prefix,
                sys_prefix,
            }),
        ) => {
            let place = match (prefix, sys_prefix) {
                (Some(dir), _) => kernel::install::Place::Prefix(dir),
                (None, true) => kernel::install::Place::SysPrefix,
                (None, false) => {
                    let _ = user;
                    kernel::install::Place::User
                }
            };
            match kernel::install::install(&place) {
                Ok(dir) => {
                    println!("Installed kernelspec gradbook in {}", dir.display());
                    0
                }
                Err(e) => {
                    eprintln!("gradbook: {e}");
                    1
                }
            }
        }
        (Some(file), None) => match kernel::run(file) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("gradbook kernel: {e}");
                1
            }
        },
        (None, None) => {
            eprintln!(
                "gradbook kernel: give --connection-file FILE (Jupyter does), or `install` to install the kernelspec"
            );
            2
        }
    }
}
