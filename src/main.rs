//! The `gradbook` command: the REPL, `run FILE`, `check [--bless] PATH...`.

mod memory;

use clap::{Parser, Subcommand};
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
    /// Replay transcripts and compare their outputs; files or directories of `*.session`.
    Check {
        /// Rewrite the files with the replayed outputs (header and inputs kept).
        #[arg(long)]
        bless: bool,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
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
    if session::files::is_session(path) {
        let parsed = Session::parse(&text);
        let seed = seed.or_else(|| session::header_seed(&parsed));
        return match with_interp(seed, move |r| session::replay(&parsed, r).render()) {
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

/// `gradbook replay --step FILE`.
fn step_file(path: &Path, seed: Option<u64>, no_color: bool) -> u8 {
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
    let ok = failed == 0 && broken == 0;
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
