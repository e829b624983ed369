//! The notebook layer end to end through the real interpreter.

use super::Notebook;

fn shown(nb: &mut Notebook, code: &str) -> (String, Option<String>, Option<String>) {
    let out = nb.run(code);
    (out.stdout, out.value, out.error.map(|e| e.to_string()))
}

#[test]
fn underscores_out_and_in() {
    let mut nb = Notebook::new(0);
    assert_eq!(shown(&mut nb, "1 + 1").1.as_deref(), Some("2"));
    assert_eq!(shown(&mut nb, "x = 5").1, None);
    assert_eq!(shown(&mut nb, "10").1.as_deref(), Some("10"));
    assert_eq!(
        shown(&mut nb, "(_, __, Out[1], _3, In[2], _i2)")
            .1
            .as_deref(),
        Some("(10, 2, 2, 10, 'x = 5', 'x = 5')")
    );
    assert_eq!(shown(&mut nb, "_4[0];").1, None);
    assert_eq!(
        shown(&mut nb, "_").1.as_deref(),
        Some("(10, 2, 2, 10, 'x = 5', 'x = 5')")
    );
}

#[test]
fn magics_split_from_code() {
    let mut nb = Notebook::new(0);
    let (printed, value, _) = shown(&mut nb, "a = 1\nbb = [1, 2]\n%who\na + 1");
    assert_eq!(printed, "a\t bb\t \n");
    assert_eq!(value.as_deref(), Some("2"));
    let (printed, _, _) = shown(&mut nb, "%whos");
    assert_eq!(
        printed,
        "Variable   Type    Data/Info\n----------------------------\na          int     1\nbb         list    n=2\n"
    );
    let (printed, _, _) = shown(&mut nb, "%nope");
    assert_eq!(
        printed,
        "UsageError: Line magic function `%nope` not found.\n"
    );
}

#[test]
fn reset_without_a_terminal_does_nothing() {
    let mut nb = Notebook::new(0);
    shown(&mut nb, "a = 1");
    let (printed, _, _) = shown(&mut nb, "%reset");
    assert_eq!(
        printed,
        "Once deleted, variables cannot be recovered. Proceed (y/[n])? \nNothing done.\n"
    );
    shown(&mut nb, "%reset -f");
    assert_eq!(
        shown(&mut nb, "%who").0,
        "Interactive namespace is empty.\n"
    );
    assert_eq!(
        shown(&mut nb, "a").2.as_deref(),
        Some("NameError: name 'a' is not defined")
    );
}

#[test]
fn history_numbers_and_ranges() {
    let mut nb = Notebook::new(0);
    shown(&mut nb, "x = 1");
    shown(&mut nb, "def f():\n    return 2");
    assert_eq!(
        shown(&mut nb, "%history -n").0,
        "   1: x = 1\n   2:\ndef f():\n    return 2\n   3: %history -n\n"
    );
    assert_eq!(
        shown(&mut nb, "%history 1 3-4").0,
        "x = 1\n%history -n\n%history 1 3-4\n"
    );
}

/// `N unit` as `_format_time` writes it.
fn is_time(s: &str) -> bool {
    let Some((n, unit)) = s.split_once(' ') else {
        return false;
    };
    n.parse::<f64>().is_ok() && ["s", "ms", "μs", "ns"].contains(&unit)
}

#[test]
fn time_prints_cpu_and_wall_time_then_shows_the_value() {
    let mut nb = Notebook::new(0);
    let (printed, value, _) = shown(&mut nb, "%time 40 + 2");
    assert_eq!(value.as_deref(), Some("42"));
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2, "{printed}");
    let cpu = lines[0]
        .strip_prefix("CPU times: user ")
        .unwrap_or_default();
    let parts: Vec<&str> = cpu.split(", ").collect();
    assert_eq!(parts.len(), 3, "{printed}");
    assert!(is_time(parts[0]), "{printed}");
    assert!(is_time(parts[1].trim_start_matches("sys: ")), "{printed}");
    assert!(is_time(parts[2].trim_start_matches("total: ")), "{printed}");
    assert!(
        is_time(lines[1].trim_start_matches("Wall time: ")),
        "{printed}"
    );
    // An error is the cell's error, without timings.
    let (printed, _, err) = shown(&mut nb, "%time 1 / 0");
    assert_eq!(
        (printed.as_str(), err.as_deref()),
        ("", Some("ZeroDivisionError: division by zero"))
    );
}

#[test]
fn timeit_prints_ipythons_summary_line() {
    let mut nb = Notebook::new(0);
    shown(&mut nb, "n = 0");
    let (printed, value, _) = shown(&mut nb, "%timeit -n 3 -r 2 n += 1");
    assert_eq!(value, None);
    let line = printed.lines().last().unwrap_or_default();
    let (times, tail) = line.split_once(" per loop ").unwrap_or_default();
    assert_eq!(
        tail, "(mean ± std. dev. of 2 runs, 3 loops each)",
        "{printed}"
    );
    let (mean, std) = times.split_once(" ± ").unwrap_or_default();
    assert!(is_time(mean) && is_time(std), "{printed}");
    // Every loop really ran, and `_` did not move.
    assert_eq!(shown(&mut nb, "n").1.as_deref(), Some("6"));
    let (printed, _, _) = shown(&mut nb, "%%timeit -n 1 -r 1 m = 5\nm * 2");
    assert!(
        printed.ends_with("(mean ± std. dev. of 1 run, 1 loop each)\n"),
        "{printed}"
    );
}

#[test]
fn run_and_load_read_scripts_and_transcripts() {
    let dir = std::env::temp_dir().join(format!("gradbook-nb-files-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let py = dir.join("script.py");
    let session = dir.join("t.session");
    let _ = std::fs::write(&py, "print('running')\nvalue = 41\nvalue\n");
    let _ = std::fs::write(
        &session,
        "In [1]: a = 1\n\nIn [2]: b = a + 1\n   ...: b\nOut[2]: 2\n",
    );
    let mut nb = Notebook::new(0);
    let (printed, value, _) = shown(&mut nb, &format!("%run {}", py.display()));
    assert_eq!((printed.as_str(), value), ("running\n", None));
    assert_eq!(shown(&mut nb, "value + 1").1.as_deref(), Some("42"));
    assert_eq!(shown(&mut nb, "%who").0, "value\t \n");
    shown(&mut nb, &format!("%run {}", session.display()));
    assert_eq!(shown(&mut nb, "b").1.as_deref(), Some("2"));
    shown(&mut nb, &format!("%load {}", session.display()));
    assert_eq!(nb.take_next_input().as_deref(), Some("a = 1"));
    assert_eq!(nb.take_next_input().as_deref(), Some("b = a + 1\nb"));
    assert_eq!(nb.take_next_input(), None);
    let (printed, _, _) = shown(&mut nb, "%run /nonexistent/x.py");
    assert!(
        printed.starts_with("UsageError: File `/nonexistent/x.py` not found"),
        "{printed}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn save_renumbers_the_cells_it_writes() {
    let dir = std::env::temp_dir().join(format!("gradbook-nb-save-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("part.session");
    let mut nb = Notebook::new(0);
    shown(&mut nb, "x = 2");
    shown(&mut nb, "x + 1");
    shown(&mut nb, "print(x)\nx * 10");
    let (printed, _, _) = shown(&mut nb, &format!("%save {} 1 3", file.display()));
    assert!(
        printed.starts_with("The following commands were written to file"),
        "{printed}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "# Saved from a gradbook session with %save.\n\nIn [1]: x = 2\n\nIn [2]: print(x)\n   ...: x * 10\n2\nOut[2]: 20\n"
    );
    // A session started from another seed records it in the header; numbers stay.
    let mut nb = Notebook::new(7);
    shown(&mut nb, "1");
    shown(&mut nb, &format!("%save {}", file.display()));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "# Saved from a gradbook session with %save.\n# %seed 7\n\nIn [1]: 1\nOut[1]: 1\n"
    );
    // `.py` gets the `# %%` script format.
    let py = dir.join("part.py");
    shown(&mut nb, &format!("%save {} 1", py.display()));
    assert_eq!(
        std::fs::read_to_string(&py).unwrap_or_default(),
        "# Saved from a gradbook session with %save.\n# %seed 7\n\n# %%\n1\n"
    );
    // A directory, or a range naming no cell, writes nothing and says so.
    let (printed, _, _) = shown(&mut nb, &format!("%save {}", dir.display()));
    assert_eq!(
        printed,
        format!(
            "UsageError: [Errno 21] Is a directory: '{}'\n",
            dir.display()
        )
    );
    assert!(!dir.with_extension("session").exists());
    let before = std::fs::read_to_string(&file).unwrap_or_default();
    let (printed, _, _) = shown(&mut nb, &format!("%save {} 99", file.display()));
    assert_eq!(printed, "99 is neither a string nor a macro.\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn save_writes_a_notebook_that_checks() {
    let dir = std::env::temp_dir().join(format!("gradbook-nb-ipynb-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("lesson.ipynb");
    let mut nb = Notebook::new(0);
    shown(&mut nb, "x = 2");
    shown(&mut nb, "print(x)\nx * 10");
    shown(&mut nb, &format!("%save {}", file.display()));
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let parsed = crate::session::ipynb::Ipynb::parse(&text).expect("a notebook");
    assert_eq!(
        parsed.notes[0],
        vec!["Saved from a gradbook session with %save."]
    );
    assert_eq!(parsed.session.cells[1].output, vec!["2", "Out[2]: 20"]);
    let report = crate::session::ipynb::check(&parsed, &mut Notebook::new(0)).report;
    assert!(report.ok(), "{:?}", report.failures);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shell_lines_and_ipython_magics_are_skipped_with_a_message() {
    let mut nb = Notebook::new(0);
    let (printed, value, error) =
        shown(&mut nb, "!pip install torch\n%matplotlib inline\nx = 3\nx");
    assert_eq!(
        printed,
        "gradbook runs no shell commands; skipped: !pip install torch\n\
         gradbook has no %matplotlib (an IPython magic); skipped: %matplotlib inline\n"
    );
    assert_eq!(value.as_deref(), Some("3"));
    assert_eq!(error, None);
    let (printed, _, _) = shown(&mut nb, "%%bash\necho hi");
    assert_eq!(
        printed,
        "gradbook has no %%bash (an IPython cell magic); skipped the cell\n"
    );
}

#[test]
fn tracebacks_place_every_frame_in_its_own_cell() {
    let mut nb = Notebook::new(0);
    nb.run("def f(x):\n    return x @ x");
    let out = nb.run("import torch\n%who\ny = f(torch.ones(2, 3))");
    let err = out.error.expect("an error");
    let tb = nb.traceback(&err).unwrap_or_default();
    assert!(tb.contains("Cell In[2], line 3\n"), "{tb}");
    assert!(tb.contains("----> 3 y = f(torch.ones(2, 3))\n"), "{tb}");
    assert!(tb.contains("Cell In[1], line 2, in f(x)\n"), "{tb}");
    assert!(tb.contains("----> 2     return x @ x\n"), "{tb}");
    // Under %time the failing line is the magic's own.
    let out = nb.run("%time torch.ones(2) @ torch.ones(3)");
    let tb = nb
        .traceback(&out.error.expect("an error"))
        .unwrap_or_default();
    assert!(
        tb.contains("----> 1 %time torch.ones(2) @ torch.ones(3)\n"),
        "{tb}"
    );
    // A syntax error: the line and one caret where the parser stopped.
    let out = nb.run("x = 1\nx = )");
    let tb = nb
        .traceback(&out.error.expect("an error"))
        .unwrap_or_default();
    assert_eq!(tb, "  Cell In[4], line 2\n    x = )\n        ^\n");
}

#[test]
fn warnings_are_kept_out_of_the_transcript() {
    let mut nb = Notebook::new(0);
    let out = nb.run("a = torch.ones(1, requires_grad=True)\nb = a * 2\nb.grad\nb.grad");
    assert_eq!(out.stdout, "");
    assert_eq!(out.value, None);
    assert_eq!(
        nb.warnings_text("<ipython-input-1>"),
        format!(
            "<ipython-input-1>: UserWarning: {}\n",
            crate::eval::warnings::NON_LEAF_GRAD
        )
    );
    // A leaf, or a non-leaf that retains its grad, warns nothing.
    nb.run("c = a * 3\nc.retain_grad()\nc.grad\na.grad");
    assert_eq!(nb.warnings_text("x"), "");
}
