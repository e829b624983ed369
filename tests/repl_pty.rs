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
    // The editor indents the body itself, as IPython does.
    p.send_line("return x * 2")?;
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
    p.send_line("a = a")?;
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

/// Waits a little: the editor discards nothing, but a test that types "while a cell runs"
/// must give the cell time to start.
fn pause(ms: u64) {
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

#[test]
fn type_ahead_while_a_cell_runs_is_kept() -> Result<(), Error> {
    let mut p = start("typeahead")?;
    p.exp_string("In [1]: ")?;
    p.send_line("import time; time.sleep(1.0); s = 'slept'")?;
    pause(300);
    // Typed (and pasted as several lines) while the first cell still runs.
    p.send("x = 20\nfor i in range(2):\n    x = x + 1\n\nx\n")?;
    p.flush()?;
    p.exp_string("Out[4]: 22")?;
    p.exp_string("In [5]: ")?;
    p.send_line("s")?;
    p.exp_string("Out[5]: 'slept'")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn ctrl_c_twice_during_a_long_cell_keeps_the_session() -> Result<(), Error> {
    let mut p = start("ctrlc2")?;
    p.exp_string("In [1]: ")?;
    p.send_line("kept = 3")?;
    p.exp_string("In [2]: ")?;
    p.send_line("import torch; a = torch.ones(700, 700)")?;
    p.exp_string("In [3]: ")?;
    p.send_line("for i in range(100000):")?;
    p.exp_string("...: ")?;
    p.send_line("b = a @ a")?;
    p.exp_string("...: ")?;
    p.send_line("")?;
    pause(700);
    p.send_control('c')?;
    p.send_control('c')?;
    p.exp_string("KeyboardInterrupt")?;
    p.exp_string("In [4]: ")?;
    p.send_line("kept")?;
    p.exp_string("Out[4]: 3")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn ctrl_d_on_a_continuation_line_keeps_the_cell() -> Result<(), Error> {
    let mut p = start("ctrld")?;
    p.exp_string("In [1]: ")?;
    p.send_line("y = (1,")?;
    p.exp_string("...: ")?;
    pause(200);
    p.send_control('d')?;
    pause(200);
    p.send_line(" 2)")?;
    p.exp_string("In [2]: ")?;
    p.send_line("y")?;
    p.exp_string("Out[2]: (1, 2)")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn an_unindented_block_is_an_indentation_error() -> Result<(), Error> {
    let mut p = start("indent")?;
    p.exp_string("In [1]: ")?;
    p.send_line("def f(t):")?;
    p.exp_string("...: ")?;
    pause(200);
    // The editor indents the body; take the indentation away, as a learner might.
    p.send_control('u')?;
    p.send_line("return t")?;
    p.exp_string(
        "IndentationError: expected an indented block after function definition on line 1",
    )?;
    p.exp_string("In [2]: ")?;
    // Auto-indent: the body gets four spaces, a blank line ends the block.
    p.send_line("def g(t):")?;
    p.exp_string("...: ")?;
    p.send_line("return t + 1")?;
    p.exp_string("...: ")?;
    p.send_line("")?;
    p.exp_string("In [3]: ")?;
    p.send_line("g(1)")?;
    p.exp_string("Out[3]: 2")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn exit_and_quit_leave() -> Result<(), Error> {
    for word in ["exit", "quit", "exit()"] {
        let mut p = start("exit")?;
        p.exp_string("In [1]: ")?;
        p.send_line(word)?;
        p.exp_eof()?;
    }
    Ok(())
}

#[test]
fn tab_lists_candidates_and_modules_after_import() -> Result<(), Error> {
    let mut p = start("menu")?;
    p.exp_string("In [1]: ")?;
    pause(300);
    p.send("import to")?;
    p.flush()?;
    p.exp_string("import to")?;
    p.send("\t")?;
    p.flush()?;
    pause(200);
    p.send_line("")?;
    p.exp_string("In [2]: ")?;
    p.send_line("torch.ones(1)")?;
    p.exp_string("Out[2]: tensor([1.])")?;
    p.exp_string("In [3]: ")?;
    pause(300);
    // Ambiguous: the second Tab lists the candidates.
    p.send("torch.ones")?;
    p.flush()?;
    p.exp_string("torch.ones")?;
    p.send("\t")?;
    p.flush()?;
    pause(200);
    p.send("\t")?;
    p.flush()?;
    p.exp_string("ones_like")?;
    p.send_control('c')?;
    p.exp_string("In [3]: ")?;
    // A Ctrl-D before the editor takes the terminal would be the line discipline's EOF.
    pause(300);
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn up_recalls_a_whole_cell() -> Result<(), Error> {
    let mut p = start("history")?;
    p.exp_string("In [1]: ")?;
    p.send_line("def h(x):")?;
    p.exp_string("...: ")?;
    p.send_line("return x * 3")?;
    p.exp_string("...: ")?;
    p.send_line("")?;
    p.exp_string("In [2]: ")?;
    p.send_line("n = 5")?;
    p.exp_string("In [3]: ")?;
    pause(300);
    // Prefix search: `def` + Up finds the def, all of it, and Enter runs it again.
    p.send("def")?;
    p.flush()?;
    p.exp_string("def")?;
    p.send("\x1b[A")?;
    p.flush()?;
    p.exp_string("return x * 3")?;
    pause(200);
    p.send_line("")?;
    p.exp_string("In [4]: ")?;
    p.send_line("h(n)")?;
    p.exp_string("Out[4]: 15")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn a_warning_shows_below_its_cell() -> Result<(), Error> {
    let mut p = start("warning")?;
    p.exp_string("In [1]: ")?;
    p.send_line("import torch; a = torch.ones(2, requires_grad=True)")?;
    p.exp_string("In [2]: ")?;
    p.send_line("print((a * 2).grad)")?;
    p.exp_string("None")?;
    p.exp_string("<ipython-input-2>: UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.")?;
    p.exp_string("In [3]: ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn tracebacks_name_each_frame() -> Result<(), Error> {
    let mut p = start("traceback")?;
    p.exp_string("In [1]: ")?;
    p.send_line("def f(x):")?;
    p.exp_string("...: ")?;
    p.send_line("return 1 / x")?;
    p.exp_string("...: ")?;
    p.send_line("")?;
    p.exp_string("In [2]: ")?;
    p.send_line("f(0)")?;
    p.exp_string("Cell In[2], line 1")?;
    p.exp_string("----> 1 f(0)")?;
    p.exp_string("Cell In[1], line 2, in f(x)")?;
    p.exp_string("----> 2     return 1 / x")?;
    p.exp_string("ZeroDivisionError: division by zero")?;
    p.exp_string("In [3]: ")?;
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn term_dumb_turns_colour_off() -> Result<(), Error> {
    let state = std::env::temp_dir().join(format!("gradbook-pty-dumb-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gradbook"));
    cmd.args(["--seed", "0"])
        .env_remove("NO_COLOR")
        .env("TERM", "dumb")
        .env("XDG_STATE_HOME", &state);
    let mut p = spawn_command(cmd, Some(20_000))?;
    p.exp_string("In [1]: ")?;
    p.send_line("1 + 1")?;
    // Coloured, the prompt would be wrapped in escape codes.
    p.exp_string("Out[1]: 2")?;
    p.exp_string("In [2]: ")?;
    pause(300);
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}

#[test]
fn lesson_cells_stay_out_of_history() -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("gradbook-pty-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(Error::Io)?;
    let file = dir.join("l.session");
    std::fs::write(&file, "In [1]: lesson_value = 7\n").map_err(Error::Io)?;
    let mut p = start_with(
        "lessonhist",
        &["replay", "--step", file.to_str().unwrap_or_default()],
    )?;
    p.exp_string("q alone on an empty prompt (or %quit) quits")?;
    p.exp_string(">>> ")?;
    p.send_line("mine = 1")?;
    p.exp_string(">>> ")?;
    p.send_line("")?;
    p.exp_string("End of the lesson")?;
    p.exp_string("In [3]: ")?;
    pause(300);
    // Up recalls the learner's own cell, not the lesson's.
    p.send("\x1b[A")?;
    p.flush()?;
    p.exp_string("mine = 1")?;
    pause(200);
    p.send_line("")?;
    p.exp_string("In [4]: ")?;
    p.send_line("mine + lesson_value")?;
    p.exp_string("Out[4]: 8")?;
    pause(300);
    p.send_control('d')?;
    p.exp_eof()?;
    Ok(())
}
