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
