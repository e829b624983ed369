//! `gradbook check`, `run` and `convert` on notebooks, through the real binary: bless restores a
//! notebook recorded under IPython's kernel byte for byte, and bad notebooks are refused with a
//! reason while the other files are still checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gradbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradbook"))
        .args(args)
        .output()
        .expect("gradbook runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gradbook-nbcli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn recorded() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/notebooks/04-matrix-derivatives.ipynb")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn bless_rewrites_only_changed_cells_byte_for_byte() {
    let dir = scratch("bless");
    let original = std::fs::read_to_string(recorded()).expect("recorded notebook");
    // Spoil the recorded result of the last cell and the printed text of the first.
    let spoiled = original
        .replacen("\"tensor(True)\"", "\"tensor(False)\"", 1)
        .replacen("tensor([[ 0.7376", "tensor([[ 9.9999", 1);
    assert_ne!(spoiled, original);
    let file = dir.join("lesson.ipynb");
    std::fs::write(&file, &spoiled).expect("write");
    let path = file.to_string_lossy().into_owned();
    let check = gradbook(&["check", &path]);
    assert_eq!(check.status.code(), Some(1));
    let report = text(&check.stdout);
    assert!(
        report.contains("cell [1] differs") && report.contains("cell [9] differs"),
        "{report}"
    );
    assert!(report.contains("7 passed, 2 failed"), "{report}");
    let bless = gradbook(&["check", "--bless", &path]);
    assert_eq!(bless.status.code(), Some(0), "{}", text(&bless.stderr));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), original);
    // A notebook that passes is not rewritten at all.
    let again = gradbook(&["check", "--bless", &path]);
    assert!(!text(&again.stdout).contains("blessed"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_notebooks_are_refused_with_a_reason() {
    let dir = scratch("bad");
    let good = std::fs::read_to_string(recorded()).expect("recorded notebook");
    std::fs::write(dir.join("a-truncated.ipynb"), &good[..good.len() / 3]).expect("write");
    std::fs::write(dir.join("b-corrupt.ipynb"), "{\"cells\": [}\n").expect("write");
    std::fs::write(
        dir.join("c-v3.ipynb"),
        "{\"nbformat\": 3, \"nbformat_minor\": 0, \"worksheets\": [], \"metadata\": {}}\n",
    )
    .expect("write");
    std::fs::copy(recorded(), dir.join("d-good.ipynb")).expect("copy");
    let out = gradbook(&["check", &dir.to_string_lossy()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("a-truncated.ipynb: the notebook is truncated"),
        "{err}"
    );
    assert!(
        err.contains("b-corrupt.ipynb: not a notebook: invalid JSON"),
        "{err}"
    );
    assert!(
        err.contains("c-v3.ipynb: nbformat 3 is not supported"),
        "{err}"
    );
    assert!(err.contains("3 file(s) could not be checked"), "{err}");
    // The good notebook beside them is still checked.
    assert!(
        text(&out.stdout).contains("9 passed, 0 failed"),
        "{}",
        text(&out.stdout)
    );
    let run = gradbook(&["run", &dir.join("c-v3.ipynb").to_string_lossy()]);
    assert_eq!(run.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_notebook_without_outputs_is_checked_and_blessed() {
    let dir = scratch("blank");
    let py = dir.join("lesson.py");
    std::fs::write(
        &py,
        "# %% [markdown]\n# A lesson.\n\n# %%\nx = torch.ones(2)\n\n# %%\n(x * 3).sum()\n",
    )
    .expect("write");
    let nb = dir.join("lesson.ipynb");
    let conv = gradbook(&["convert", &py.to_string_lossy(), &nb.to_string_lossy()]);
    assert_eq!(conv.status.code(), Some(0), "{}", text(&conv.stderr));
    let path = nb.to_string_lossy().into_owned();
    let check = gradbook(&["check", &path]);
    assert!(text(&check.stderr).contains("the notebook has no recorded outputs"));
    assert!(
        text(&check.stdout).contains("1 passed, 1 failed"),
        "{}",
        text(&check.stdout)
    );
    assert_eq!(
        gradbook(&["check", "--bless", &path]).status.code(),
        Some(0)
    );
    let blessed = std::fs::read_to_string(&nb).expect("read");
    assert!(
        blessed.contains("\"text/plain\": [\n       \"tensor(6.)\"\n      ]"),
        "{blessed}"
    );
    assert!(
        blessed.contains("\"source\": [\n    \"A lesson.\"\n   ]"),
        "{blessed}"
    );
    assert!(text(&gradbook(&["check", &path]).stdout).contains("2 passed, 0 failed"));
    // run prints the notebook as a transcript; convert back to a transcript keeps the outputs.
    let run = gradbook(&["run", &path]);
    assert_eq!(
        text(&run.stdout),
        "In [1]: x = torch.ones(2)\n\nIn [2]: (x * 3).sum()\nOut[2]: tensor(6.)\n"
    );
    let session = dir.join("lesson.session");
    assert_eq!(
        gradbook(&["convert", &path, &session.to_string_lossy()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(&session).expect("read"),
        "# A lesson.\n\nIn [1]: x = torch.ones(2)\n\nIn [2]: (x * 3).sum()\nOut[2]: tensor(6.)\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
