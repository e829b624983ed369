//! The `gradbook` command: the REPL, `run FILE`, `check [--bless] PATH...`.

mod memory;

use clap::{Parser, Subcommand};
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
    if session::files::is_session(path) {
        let parsed = Session::parse(&text);
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

/// `gradbook replay --step FILE`.
fn step_file(path: &Path, seed: Option<u64>, no_color: bool) -> u8 {
    let parsed = match session::load(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gradbook: can't open file '{}': {e}", path.display());
            return 2;
        }
    };
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
    let (mut passed, mut failed, mut broken) = (0, 0, 0);
    for file in files {
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
            match std::fs::write(&file, report.replayed.render()) {
                Ok(()) => println!("blessed {}", file.display()),
                Err(e) => {
                    eprintln!("gradbook: {}: {e}", file.display());
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
