//! Drives the real binary on a pseudo-terminal, as a learner would type into it.

use rexpect::error::Error;
use rexpect::session::{PtySession, spawn_command};
use std::process::Command;

/// The REPL without colour, with its history in a private directory.
fn start(name: &str) -> Result<PtySession, Error> {
    let state = std::env::temp_dir().join(format!("gradbook-pty-{name}-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gradbook"));
    cmd.args(["--seed", "0"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_STATE_HOME", &state);
    spawn_command(cmd, Some(20_000))
}

#[test]
fn multi_line_def_then_call() -> Result<(), Error> {
    let mut p = start("def")?;
    p.exp_string("In [1]: ")?;
    p.send_line("def double(x):")?;
    p.exp_string("...: ")?;
    p.send_line("    return x * 2")?;
    p.exp_string("...: ")?;
    p.send_line("")?;
    p.exp_string("In [2]: ")?;
    p.send_line("double(21)")?;
    p.exp_string("Out[2]: 42")?;
    p.exp_string("In [3]: ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn ctrl_c_at_the_prompt_keeps_state() -> Result<(), Error> {
    let mut p = start("ctrlc")?;
    p.exp_string("In [1]: ")?;
    p.send_line("a = 5")?;
    p.exp_string("In [2]: ")?;
    p.send("b = ")?;
    p.flush()?;
    p.send_control('c')?;
    // The half-typed cell is dropped; the next prompt has the same number.
    p.exp_string("In [2]: ")?;
    p.send_line("a")?;
    p.exp_string("Out[2]: 5")?;
    p.exp_string("In [3]: ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn ctrl_c_while_a_cell_runs_raises_keyboard_interrupt() -> Result<(), Error> {
    let mut p = start("interrupt")?;
    p.exp_string("In [1]: ")?;
    p.send_line("a = 7")?;
    p.exp_string("In [2]: ")?;
    p.send_line("while True:")?;
    p.exp_string("...: ")?;
    p.send_line("    a = a")?;
    p.exp_string("...: ")?;
    p.send_line("")?;
    // Give the loop time to start, then interrupt it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    p.send_control('c')?;
    p.exp_string("KeyboardInterrupt")?;
    p.exp_string("In [3]: ")?;
    p.send_line("a")?;
    p.exp_string("Out[3]: 7")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

/// `gradbook replay --step` (or `tutorial`) without colour, history in a private directory.
fn start_with(name: &str, args: &[&str]) -> Result<PtySession, Error> {
    let state = std::env::temp_dir().join(format!("gradbook-pty-{name}-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gradbook"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_STATE_HOME", &state);
    spawn_command(cmd, Some(20_000))
}

#[test]
fn step_replay_runs_cells_on_enter_and_takes_own_cells_between() -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("gradbook-pty-step-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(Error::Io)?;
    let file = dir.join("lesson.session");
    std::fs::write(
        &file,
        "# A two-cell lesson.\n\nIn [1]: x = 20\n   ...: x + 1\nOut[1]: 21\n\nIn [2]: x * 2\nOut[2]: 40\n",
    )
    .map_err(Error::Io)?;
    let mut p = start_with(
        "step",
        &["replay", "--step", file.to_str().unwrap_or_default()],
    )?;
    p.exp_string("# A two-cell lesson.")?;
    p.exp_string("In [1]: x = 20")?;
    p.exp_string(">>> ")?;
    p.send_line("")?;
    p.exp_string("Out[1]: 21")?;
    p.exp_string("In [2]: x * 2")?;
    // An own cell in between changes the state the lesson's next cell sees.
    p.exp_string(">>> ")?;
    p.send_line("x = 1")?;
    p.exp_string("In [3]: x * 2")?;
    p.exp_string(">>> ")?;
    p.send_line("")?;
    p.exp_string("Out[3]: 2")?;
    p.exp_string("recorded output:")?;
    p.exp_string("Out[3]: 40")?;
    p.exp_string("End of the lesson")?;
    p.exp_string("In [4]: ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn q_stops_a_tutorial() -> Result<(), Error> {
    let mut p = start_with("tutorial", &["tutorial", "jacobian"])?;
    p.exp_string("# Lesson 1")?;
    p.exp_string("In [1]: import torch")?;
    p.exp_string(">>> ")?;
    p.send_line("q")?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn tab_completes_torch_members_and_tensor_methods() -> Result<(), Error> {
    let mut p = start("complete")?;
    p.exp_string("In [1]: ")?;
    p.send_line("import torch; t = torch.ones(2)")?;
    p.exp_string("In [2]: ")?;
    // One candidate: completed in place.
    // The outputs prove the completion: the typed prefixes alone are not names. The pauses
    // let the editor enter raw mode first (switching discards keys typed before it).
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send("torch.ones_li")?;
    p.flush()?;
    p.exp_string("ones_li")?;
    p.send("\t")?;
    p.flush()?;
    std::thread::sleep(std::time::Duration::from_millis(200));
    p.send_line("(t)")?;
    p.exp_string("Out[2]: tensor([1., 1.])")?;
    p.exp_string("In [3]: ")?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send("t.is_le")?;
    p.flush()?;
    p.exp_string("is_le")?;
    p.send("\t")?;
    p.flush()?;
    std::thread::sleep(std::time::Duration::from_millis(200));
    p.send_line("")?;
    p.exp_string("Out[3]: True")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn save_writes_a_transcript_that_check_passes() -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("gradbook-pty-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(Error::Io)?;
    let file = dir.join("saved.session");
    let mut p = start("save")?;
    p.exp_string("In [1]: ")?;
    p.send_line("import torch; x = torch.rand(2, requires_grad=True)")?;
    p.exp_string("In [2]: ")?;
    p.send_line("y = (x * 3).sum(); y.backward(); x.grad")?;
    p.exp_string("Out[2]: tensor([3., 3.])")?;
    p.exp_string("In [3]: ")?;
    p.send_line("%who")?;
    p.exp_string("x\t y")?;
    p.exp_string("In [4]: ")?;
    p.send_line(&format!("%save {}", file.display()))?;
    p.exp_string("were written to file")?;
    p.exp_string("In [5]: ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    let out = Command::new(env!("CARGO_BIN_EXE_gradbook"))
        .args(["check", file.to_str().unwrap_or_default()])
        .env("NO_COLOR", "1")
        .output()
        .map_err(Error::Io)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "3 passed, 0 failed\n");
    assert!(out.status.success());
    Ok(())
}
