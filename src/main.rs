//! The `gradbook` command: the REPL, `run FILE`, `check [--bless] PATH...`.

mod memory;

use clap::{Parser, Subcommand};
use gradbook::kernel;
use gradbook::repl::{self, ReplOptions, style};
use gradbook::session::{self, CellRunner, Notebook, PanicGuard, Session, with_big_stack};
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
    /// Run a script (`.py`, printing what it prints as it prints it) or replay a `.session`
    /// transcript; `-` reads a script from standard input.
    Run { file: PathBuf },
    /// Replay a transcript: print it with new outputs, or with --step walk through it cell by
    /// cell (Enter runs a cell, your own cells in between, q or %quit quits).
    Replay {
        /// Walk through the transcript cell by cell: each cell is shown, Enter runs it and
        /// shows its output beside the recorded one when they differ; type cells of your own
        /// in between; `q` on an empty prompt (or `%quit`) stops.
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
    f: impl FnOnce(&mut PanicGuard<Fresh>) -> T + Send + 'static,
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

impl Fresh {
    fn notebook(&mut self) -> &mut Notebook {
        let seed = self.seed.unwrap_or(0);
        self.notebook.get_or_insert_with(|| Notebook::new(seed))
    }
}

impl CellRunner for Fresh {
    fn run_cell(&mut self, code: &str) -> gradbook::eval::CellOutput {
        self.notebook().run(code)
    }
}

/// What `gradbook run` needs of its runner beyond running cells.
trait Live {
    /// Prints what cells print while they run, flushing each piece (a partial line too).
    fn live_output(&mut self);
}

impl Live for PanicGuard<Fresh> {
    fn live_output(&mut self) {
        self.0
            .notebook()
            .set_live_output(Some(Box::new(|text: &str| {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            })));
    }
}

/// Reads a script or transcript; `-` is standard input. Err is the message for stderr, in
/// Python's words (`python: can't open file 'x': [Errno 2] No such file or directory`).
fn read_input(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        let mut text = String::new();
        return std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map(|_| text)
            .map_err(|e| format!("gradbook: can't read standard input: {e}"));
    }
    std::fs::read_to_string(path).map_err(|e| {
        let path = absolute(path);
        let text = session::atomic::os_error_text(&e, &path);
        // Python names the file once: "can't open file 'x': [Errno 2] No such file ...".
        let reason = text
            .rsplit_once(": '")
            .map_or(text.as_str(), |(reason, _)| reason);
        format!("gradbook: can't open file '{}': {reason}", path.display())
    })
}

/// The path as Python names a script: absolute.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `gradbook run FILE`: a script's printed text is written as it is printed (line by line
/// on a terminal, flushed on exit and on KeyboardInterrupt), as `python FILE` does.
fn run_file(path: &Path, seed: Option<u64>) -> u8 {
    let text = match read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
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
        let seed = seed.or_else(|| session::header_seed(&parsed));
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
    // Ctrl-C raises KeyboardInterrupt in the script, as in Python.
    repl::worker::install_interrupt_handler();
    repl::worker::set_running(true);
    let source = text.clone();
    let file = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        absolute(path).display().to_string()
    };
    let label = file.clone();
    let out = with_interp(seed, move |r| {
        r.live_output();
        let out = r.run_cell(&source);
        (out, r.0.notebook().warnings_text(&label))
    });
    repl::worker::set_running(false);
    let _ = std::io::stdout().flush();
    let out = match out {
        Ok((out, warnings)) => {
            eprint!("{warnings}");
            out
        }
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    match out.error {
        None => 0,
        Some(err) => {
            eprint!(
                "{}",
                session::traceback::python_traceback(&err, &file, &text)
            );
            if err.kind == gradbook::error::ErrorKind::KeyboardInterrupt {
                130
            } else {
                1
            }
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
            eprintln!("gradbook: {}", session::atomic::os_error_text(&e, path));
            return 2;
        }
    };
    let seed = seed.or_else(|| session::header_seed(&parsed));
    repl::step::step(
        &parsed,
        &ReplOptions {
            seed,
            color: style::wants_color(no_color),
        },
    )
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
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "gradbook: no .session transcripts in {}: nothing was checked",
            names.join(", ")
        );
        return 1;
    }
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
        let raw = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("gradbook: {}", session::atomic::os_error_text(&e, &file));
                broken += 1;
                continue;
            }
        };
        let parsed = Session::parse(&raw);
        let seed = session::header_seed(&parsed);
        let report = match with_interp(seed, move |r| session::check(&parsed, r)) {
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
            let mut text = report.replayed.render();
            // A file written with CRLF line ends keeps them.
            if raw.contains("\r\n") {
                text = text.replace('\n', "\r\n");
            }
            match session::atomic::write_atomic(&file, text.as_bytes()) {
                Ok(()) => println!("blessed {}", file.display()),
                Err(e) => {
                    eprintln!("gradbook: {}", session::atomic::os_error_text(&e, &file));
                    broken += 1;
                }
            }
        }
    }
    // A panic the guard caught is a bug even where the transcript expected its message.
    let panics = session::replay::caught_panics();
    if panics > 0 {
        eprintln!("gradbook: {panics} panic(s) caught by the panic guard");
        broken += 1;
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
