//! The deterministic fuzz run through the library API (stable toolchain): `.ci/run` runs a
//! bounded smoke run with it, and the long runs reported in `fuzz/README.md` are this program
//! with more inputs. Exits 1 if any input panicked or ran past the cell time limit.
//!
//!     cargo run --example fuzz_run -- [--inputs N] [--seed S] [--max-seconds T] [--corpus DIR]

use gradbook::fuzz::smoke::{self, Corpus, Report};
use std::path::PathBuf;
use std::time::Duration;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn summary(r: &Report) -> String {
    format!(
        "{} inputs in {:.1} s (lex/parse {}, session reader {}, generated programs {}, mutated cells {}): {} panics, {} hangs",
        r.inputs,
        r.elapsed.as_secs_f64(),
        r.per_target[0],
        r.per_target[1],
        r.per_target[2],
        r.per_target[3],
        r.panics.len(),
        r.slow.len()
    )
}

/// Seeds `cargo fuzz`'s corpus directories from the transcripts: every cell for the lexer
/// and source targets, every transcript for the reader, generator seeds for the programs.
fn write_corpus(corpus: &Corpus, dir: &std::path::Path, seed: u64) {
    let write = |target: &str, name: String, data: &[u8]| {
        let d = dir.join(target);
        std::fs::create_dir_all(&d).expect("corpus directory");
        std::fs::write(d.join(name), data).expect("corpus file");
    };
    for (i, cell) in corpus.cells.iter().enumerate() {
        write("lex_parse", format!("cell{i:04}"), cell.as_bytes());
        write("interp_source", format!("cell{i:04}"), cell.as_bytes());
    }
    for (i, s) in corpus.sessions.iter().enumerate() {
        write("session_reader", format!("session{i:03}"), s.as_bytes());
    }
    for i in 0..64u64 {
        let (_, data) = smoke::input(corpus, seed, i * 10 + 2);
        write("interp_program", format!("program{i:02}"), &data);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let inputs: u64 = arg(&args, "--inputs")
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = arg(&args, "--seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let budget = arg(&args, "--max-seconds")
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs);
    let root = arg(&args, "--corpus")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/sessions")));
    let corpus = Corpus::load(&[root]);
    if let Some(dir) = arg(&args, "--write-corpus") {
        write_corpus(&corpus, &PathBuf::from(dir), seed);
        return;
    }
    if let Some(i) = arg(&args, "--only").and_then(|s| s.parse().ok()) {
        // One input, shown and then run (to reproduce a finding).
        let (target, data) = smoke::input(&corpus, seed, i);
        println!("{target:?}:\n{}", smoke::describe(target, &data));
        let _ = gradbook::session::with_big_stack(move || smoke::run_one(target, &data));
        return;
    }
    eprintln!(
        "fuzz: {} cells and {} transcripts in the corpus, seed {seed}, {inputs} inputs",
        corpus.cells.len(),
        corpus.sessions.len()
    );
    let report = gradbook::session::with_big_stack(move || {
        smoke::run(&corpus, seed, inputs, budget, |r| {
            eprintln!("fuzz: {}", summary(r))
        })
    })
    .unwrap_or_else(|_| {
        eprintln!("fuzz: the run itself panicked");
        std::process::exit(1)
    });
    for (target, input) in &report.panics {
        eprintln!("fuzz: PANIC in {target} on:\n{input}\n");
    }
    for (target, input, secs) in &report.slow {
        eprintln!("fuzz: HANG ({secs:.1} s) in {target} on:\n{input}\n");
    }
    println!("fuzz: {}", summary(&report));
    if !report.ok() {
        std::process::exit(1);
    }
}
