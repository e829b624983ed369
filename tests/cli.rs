//! The command line end to end: `check`, `check --bless`, `run` on scripts and transcripts.

use std::path::PathBuf;
use std::process::{Command, Output};

fn gradbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradbook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("gradbook runs")
}

/// A private scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gradbook-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_reports_failing_cells_and_bless_fixes_them() {
    let dir = scratch("check");
    let file = dir.join("sums.session");
    std::fs::write(
        &file,
        "# header\n\nIn [1]: 1 + 1\nOut[1]: 2\n\nIn [2]: print('hi')\n   ...: 2 + 2\nhi\nOut[2]: 5\n",
    )
    .expect("write");
    let out = gradbook(&["check", dir.to_str().unwrap_or_default()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("sums.session: cell [2] differs"),
        "{stdout}"
    );
    assert!(stdout.contains("\n-Out[2]: 5\n+Out[2]: 4\n"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"));

    let out = gradbook(&["check", "--bless", file.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "# header\n\nIn [1]: 1 + 1\nOut[1]: 2\n\nIn [2]: print('hi')\n   ...: 2 + 2\nhi\nOut[2]: 4\n"
    );
    let out = gradbook(&["check", file.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "2 passed, 0 failed\n");
}

#[test]
fn run_script_prints_like_python_and_fails_with_the_error() {
    let dir = scratch("run");
    let file = dir.join("script.py");
    std::fs::write(&file, "print('before')\nx = 1\nx / 0\nprint('never')\n").expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert_eq!(text(&out.stdout), "before\n");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.lines().last(),
        Some("ZeroDivisionError: division by zero"),
        "{stderr}"
    );
}

#[test]
fn run_session_writes_the_replayed_transcript() {
    let dir = scratch("replay");
    let file = dir.join("t.session");
    std::fs::write(&file, "In [1]: x = 3\n\nIn [2]: x * 2\nOut[2]: 0\n").expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "In [1]: x = 3\n\nIn [2]: x * 2\nOut[2]: 6\n"
    );
}

#[test]
fn deep_recursion_is_a_recursion_error_not_a_crash() {
    let dir = scratch("recursion");
    let file = dir.join("deep.py");
    std::fs::write(&file, "def f(n):\n    return f(n + 1)\nf(0)\n").expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.lines().last(),
        Some("RecursionError: maximum recursion depth exceeded"),
        "{stderr}"
    );
}

#[test]
fn missing_paths_and_scripts_are_errors() {
    let out = gradbook(&["check", "/nonexistent/gradbook"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("No such file or directory"));
    let out = gradbook(&["run", "/nonexistent/x.py"]);
    assert_eq!(out.status.code(), Some(2));
}
