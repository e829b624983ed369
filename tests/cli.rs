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

#[test]
fn run_shows_prints_while_the_script_runs_and_flushes_on_keyboard_interrupt() {
    use std::io::BufRead;
    let dir = scratch("live");
    let file = dir.join("train.py");
    std::fs::write(
        &file,
        "import time\nfor step in range(3):\n    print('step', step)\n    time.sleep(0.3)\nprint('partial', end='')\nwhile True:\n    pass\n",
    )
    .expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gradbook"))
        .args(["run", file.to_str().unwrap_or_default()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gradbook runs");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("a line");
    assert_eq!(first, "step 0\n");
    assert!(
        child.try_wait().expect("status").is_none(),
        "the line came while the script still ran"
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    let out = child.wait_with_output().expect("exit");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).expect("rest");
    assert_eq!(rest, "step 1\nstep 2\npartial");
    assert_eq!(out.status.code(), Some(130));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("Traceback (most recent call last):\n"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().last(), Some("KeyboardInterrupt"), "{stderr}");
}

#[test]
fn run_tracebacks_name_every_frame_and_dash_reads_stdin() {
    let dir = scratch("frames");
    let file = dir.join("f.py");
    std::fs::write(&file, "def f(x):\n    return 1 / x\nprint('a')\nf(0)\n").expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert_eq!(text(&out.stdout), "a\n");
    let path = file.display();
    assert_eq!(
        text(&out.stderr),
        format!(
            "Traceback (most recent call last):\n  File \"{path}\", line 4, in <module>\n    f(0)\n  File \"{path}\", line 2, in f\n    return 1 / x\n           ^^^^^\nZeroDivisionError: division by zero\n"
        )
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_gradbook"))
        .args(["run", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gradbook runs");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        b"x = 2\nprint(x * 21)\n",
    )
    .expect("write");
    let out = child.wait_with_output().expect("exit");
    assert_eq!(text(&out.stdout), "42\n");
    assert!(out.status.success());
    // An unindented body: Python's layout, no traceback heading.
    std::fs::write(&file, "def g(x):\nreturn x\n").expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "  File \"{path}\", line 2\n    return x\n    ^\nIndentationError: expected an indented block after function definition on line 1\n"
        )
    );
}

#[test]
fn missing_files_are_named_as_python_names_them() {
    let dir = scratch("missing");
    let missing = dir.join("nope.py");
    let out = gradbook(&["run", missing.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "gradbook: can't open file '{}': [Errno 2] No such file or directory\n",
            missing.display()
        )
    );
    let out = gradbook(&["check", missing.to_str().unwrap_or_default()]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "gradbook: No such file or directory: '{}'\n",
            missing.display()
        )
    );
}

#[test]
fn check_of_an_empty_directory_fails_and_says_so() {
    let dir = scratch("empty");
    let out = gradbook(&["check", dir.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("nothing was checked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bless_keeps_crlf_line_ends() {
    let dir = scratch("crlf");
    let file = dir.join("w.session");
    std::fs::write(&file, "# h\r\n\r\nIn [1]: 1 + 1\r\nOut[1]: 3\r\n").expect("write");
    let out = gradbook(&["check", "--bless", file.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "# h\r\n\r\nIn [1]: 1 + 1\r\nOut[1]: 2\r\n"
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
}

#[test]
fn saved_sessions_with_timings_history_and_a_seed_check_and_py_runs() {
    let dir = scratch("saved");
    let session = dir.join("work.session");
    let saved = dir.join("saved.session");
    let script = dir.join("saved.py");
    std::fs::write(
        &session,
        format!(
            "In [1]: import torch\n   ...: x = torch.rand(2)\n   ...: print(x.shape)\n\nIn [2]: %time y = x * 2\n\nIn [3]: %timeit -r 2 x + 1\n\nIn [4]: %history -n\n\nIn [5]: %save {}\n\nIn [6]: %save {} 1\n",
            saved.display(),
            script.display()
        ),
    )
    .expect("write");
    // Seed 7, not 0: the saved transcript records it in its header.
    let out = gradbook(&["--seed", "7", "run", session.to_str().unwrap_or_default()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let saved_text = std::fs::read_to_string(&saved).unwrap_or_default();
    assert!(saved_text.contains("# %seed 7\n"), "{saved_text}");
    assert!(
        saved_text.contains("In [4]: %history -n\n   1:\nimport torch"),
        "{saved_text}"
    );
    let out = gradbook(&["check", saved.to_str().unwrap_or_default()]);
    assert_eq!(text(&out.stdout), "4 passed, 0 failed\n");
    assert!(out.status.success());
    // `.py` is the `# %%` script format, which `gradbook run` runs.
    assert!(
        std::fs::read_to_string(&script)
            .unwrap_or_default()
            .contains("# %%\nimport torch\n")
    );
    let out = gradbook(&["run", script.to_str().unwrap_or_default()]);
    assert_eq!(text(&out.stdout), "torch.Size([2])\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn warnings_go_to_stderr_once_per_location() {
    let dir = scratch("warnings");
    let file = dir.join("w.py");
    std::fs::write(
        &file,
        "import torch, warnings\na = torch.ones(2, requires_grad=True)\nfor i in range(3):\n    print((a * 2).grad)\nprint(a.grad)\nwarnings.warn('careful')\nwarnings.warn('old', DeprecationWarning)\n",
    )
    .expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "None\nNone\nNone\nNone\n");
    let path = file.display();
    assert_eq!(
        text(&out.stderr),
        format!(
            "{path}: UserWarning: {}\n{path}: UserWarning: careful\n{path}: DeprecationWarning: old\n",
            gradbook::eval::warnings::NON_LEAF_GRAD
        )
    );
    std::fs::write(
        &file,
        "import warnings\nwarnings.simplefilter('ignore')\nwarnings.warn('quiet')\n",
    )
    .expect("write");
    let out = gradbook(&["run", file.to_str().unwrap_or_default()]);
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn step_has_help_text() {
    let out = gradbook(&["replay", "--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("--step"), "{help}");
    assert!(
        help.contains("Walk through the transcript cell by cell"),
        "{help}"
    );
}
