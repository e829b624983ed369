//! Replays every `sessions/**/*.session` and `sessions/**/*.ipynb` in a fresh interpreter and
//! compares it with the file.
//! `UPDATE_EXPECT=1 cargo test --test sessions` re-blesses failing files (via expect-test).
//! Files listed in `sessions/SKIP` are reported and left alone, and so is `sessions/conformance/`
//! under UPDATE_EXPECT: those transcripts were recorded with real PyTorch and are the truth.

use gradbook::eval::CellOutput;
use gradbook::session::{self, CellRunner, Notebook, PanicGuard, with_big_stack};
use std::path::{Path, PathBuf};

fn sessions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions")
}

/// The skip list: paths relative to `sessions/` without the extension.
fn skip_list(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("SKIP")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn key(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file).with_extension("");
    rel.to_string_lossy().replace('\\', "/")
}

/// A fresh notebook (seed 0), created on the first cell (inside the panic guard), so magics,
/// `_` and `Out` replay as in the REPL.
struct Fresh(Option<Notebook>);

impl CellRunner for Fresh {
    fn run_cell(&mut self, code: &str) -> CellOutput {
        self.0.get_or_insert_with(Notebook::default).run(code)
    }
}

/// Checks one file; Err carries the failure message naming the file.
fn check_file(root: &Path, file: &Path) -> Result<(), String> {
    let name = key(root, file);
    let notebook = session::files::is_notebook(file);
    let report = if notebook {
        // Notebooks recorded under IPython's kernel: checked as `gradbook check` checks them
        // (pretty-printed values), and never re-blessed from here.
        let text = std::fs::read_to_string(file).map_err(|e| format!("{name}: {e}"))?;
        let nb = session::ipynb::Ipynb::parse(&text).map_err(|e| format!("{name}: {e}"))?;
        with_big_stack(move || {
            session::ipynb::check(
                &nb,
                &mut PanicGuard(session::ipynb::FreshNotebook::default()),
            )
            .report
        })
    } else {
        let parsed = session::load(file).map_err(|e| format!("{name}: {e}"))?;
        with_big_stack(move || session::check(&parsed, &mut PanicGuard(Fresh(None))))
    }
    .map_err(|p| format!("{name}: {}", session::replay::internal_error(p.as_ref())))?;
    if report.ok() {
        return Ok(());
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() && !name.starts_with("conformance/") && !notebook
    {
        expect_test::expect_file![file].assert_eq(&report.replayed.render());
        return Ok(());
    }
    let mut msg = format!(
        "{name}.session: {} of {} cells differ",
        report.failures.len(),
        report.failures.len() + report.passed
    );
    for f in &report.failures {
        msg.push_str(&format!(
            "\n  cell [{}]:\n  --- expected\n  +++ actual",
            f.number
        ));
        for line in session::unified_diff(&f.expected, &f.actual) {
            msg.push_str(&format!("\n  {}", line.plain()));
        }
    }
    Err(msg)
}

#[test]
fn sessions_replay_as_recorded() {
    let root = sessions_dir();
    let skip = skip_list(&root);
    let files = session::collect_sessions(std::slice::from_ref(&root)).expect("sessions/ readable");
    let keys: Vec<String> = files.iter().map(|f| key(&root, f)).collect();
    for s in &skip {
        assert!(
            keys.contains(s),
            "sessions/SKIP names {s}, which does not exist"
        );
    }
    let mut failures = Vec::new();
    for (file, k) in files.iter().zip(&keys) {
        if skip.contains(k) {
            eprintln!("skipped {k}.session (sessions/SKIP)");
            continue;
        }
        if let Err(msg) = check_file(&root, file) {
            eprintln!("{msg}\n");
            failures.push(format!("{k}.session"));
        }
    }
    assert_eq!(
        session::replay::caught_panics(),
        0,
        "the panic guard caught a panic: every panic is a bug"
    );
    assert!(
        failures.is_empty(),
        "{} of {} session files differ: {}",
        failures.len(),
        files.len() - skip.len(),
        failures.join(", ")
    );
}
