//! `gradbook tutorial FILE.ipynb` on a pseudo-terminal: a notebook's markdown is shown between
//! its cells, and its recorded outputs are compared as a transcript's.

use rexpect::error::Error;
use rexpect::session::spawn_command;
use std::process::Command;

#[test]
fn a_notebook_steps_with_its_markdown_between_cells() -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("gradbook-pty-nb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(Error::Io)?;
    let py = dir.join("lesson.py");
    std::fs::write(
        &py,
        "# %% [markdown]\n# # Doubling\n\n# %%\nx = 20\nx + 1\n\n# %% [markdown]\n# Now *twice* x.\n\n# %%\nx * 2\n",
    )
    .map_err(Error::Io)?;
    let nb = dir.join("lesson.ipynb");
    let status = Command::new(env!("CARGO_BIN_EXE_gradbook"))
        .args(["convert", &py.to_string_lossy(), &nb.to_string_lossy()])
        .status()
        .map_err(Error::Io)?;
    assert!(status.success());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gradbook"));
    cmd.args(["tutorial", &nb.to_string_lossy()])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_STATE_HOME", dir.join("state"));
    let mut p = spawn_command(cmd, Some(20_000))?;
    p.exp_string("# Doubling")?;
    p.exp_string("In [1]: x = 20")?;
    p.exp_string(">>> ")?;
    p.send_line("")?;
    p.exp_string("Out[1]: 21")?;
    // Recorded outputs: the notebook has none, so the recorded (empty) output is shown.
    p.exp_string("recorded output:")?;
    p.exp_string("Now *twice* x.")?;
    p.exp_string("In [2]: x * 2")?;
    p.exp_string(">>> ")?;
    p.send_line("q")?;
    p.exp_eof()?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
