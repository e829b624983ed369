//! Stepping through a transcript (`gradbook replay --step`, `gradbook tutorial NAME`): each
//! cell's input is shown, Enter runs it, and its output is shown next to the recorded one
//! when they differ. Between cells the learner can type cells of their own against the same
//! session; `q` stops. After the last cell the session carries on as a normal REPL.

use super::{Input, ReplOptions, Terminal, read_cell, style};
use crate::session::format::output_lines;
use crate::session::replay::cell_output_lines;
use crate::session::{Cell, Session};

/// What the learner answered at a step.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Enter: run the lesson's cell.
    Run,
    Quit,
    /// A cell of their own, to run first.
    Own(String),
}

/// Reads an answer at the step prompt (`>>> `, with `... ` for more lines of an own cell).
fn ask(terminal: &mut Terminal) -> Result<Answer, String> {
    let first = (">>> ".to_string(), format!("{} ", style::in_prompt(">>>")));
    let more = (
        "... ".to_string(),
        format!("{} ", style::continuation_prompt("...")),
    );
    // The lesson's own cells stay out of the learner's history; cells they type go in.
    match read_cell(&mut terminal.editor, &first, &more, "", false) {
        Ok(Input::Cell(code)) => {
            let q_is_a_variable = code.trim() == "q" && terminal.worker.defined("q");
            let answer = classify_answer(&code, q_is_a_variable);
            if let Answer::Own(own) = &answer
                && !own.trim().is_empty()
            {
                let _ = terminal.editor.add_history_entry(own.as_str());
            }
            Ok(answer)
        }
        Ok(Input::Cancelled) => Ok(Answer::Own(String::new())),
        Ok(Input::Eof) => Ok(Answer::Quit),
        Err(e) => Err(e.to_string()),
    }
}

/// Enter runs the lesson's cell; `q` alone on the prompt quits (unless the learner made a
/// variable `q`: then it is shown, and `%quit` quits), as do `%quit`, `exit` and `quit`.
pub fn classify_answer(code: &str, q_is_a_variable: bool) -> Answer {
    match code.trim() {
        "" => Answer::Run,
        "q" if !q_is_a_variable => Answer::Quit,
        "%quit" => Answer::Quit,
        c if super::is_exit(c) => Answer::Quit,
        _ => Answer::Own(code.to_string()),
    }
}

/// The hint shown before the first cell.
pub const HINT: &str = "Each cell is shown before it runs. Enter runs it; type a cell of your own at >>> to try something first; q alone on an empty prompt (or %quit) quits.";

/// The recorded output of a cell, renumbered to the number it runs as now (own cells shift
/// the numbers).
pub fn expected_lines(cell: &Cell, recorded_number: usize, number: usize) -> Vec<String> {
    let e = cell.expected(recorded_number);
    let value = e.value.map(|v| v.join("\n"));
    let printed = e.printed.join("\n");
    output_lines(number, &printed, value.as_deref(), e.error.as_deref())
}

/// The cell's input lines as the REPL would show them, highlighted.
fn show_input(cell: &Cell, number: usize) {
    for (i, line) in cell.input_lines(number).iter().enumerate() {
        let prompt_len = if i == 0 {
            crate::session::format::in_prompt(number).len()
        } else {
            crate::session::format::continuation_prompt(number).len()
        };
        let (prompt, code) = line.split_at(prompt_len.min(line.len()));
        let prompt = if i == 0 {
            style::in_prompt(prompt)
        } else {
            style::continuation_prompt(prompt)
        };
        println!("{prompt}{}", super::helper::paint(code, 0, false));
    }
}

/// Walks through `session`; returns the exit code.
pub fn step(session: &Session, opts: &ReplOptions) -> u8 {
    step_with_notes(session, &[], opts)
}

/// Walks through `session`, showing `notes[i]` (a notebook's markdown) before cell `i` and the
/// last entry after the last cell.
pub fn step_with_notes(session: &Session, notes: &[Vec<String>], opts: &ReplOptions) -> u8 {
    let show_notes = |i: usize| {
        if let Some(note) = notes.get(i).filter(|n| !n.is_empty()) {
            println!();
            for line in note {
                println!("{}", style::note(line));
            }
        }
    };
    // Transcripts are recorded from seed 0, so a replay shows the same numbers.
    let mut terminal = match Terminal::start(opts, opts.seed.unwrap_or(0)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("gradbook: {e}");
            return 1;
        }
    };
    for line in &session.header {
        println!("{}", style::note(line));
    }
    println!("{}", style::note(HINT));
    let total = session.cells.len();
    for (i, cell) in session.cells.iter().enumerate() {
        show_notes(i);
        loop {
            println!();
            println!("{}", style::note(&format!("[cell {} of {total}]", i + 1)));
            show_input(cell, terminal.number);
            let answer = match ask(&mut terminal) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("gradbook: {e}");
                    return 1;
                }
            };
            match answer {
                Answer::Quit => {
                    terminal.save_history();
                    return 0;
                }
                Answer::Own(code) if code.trim().is_empty() => {}
                Answer::Own(code) => {
                    terminal.run_cell(&code);
                }
                Answer::Run => {
                    let number = terminal.number;
                    let out = terminal.run_cell(&cell.code);
                    let actual = cell_output_lines(number, &out);
                    let expected = expected_lines(cell, i + 1, number);
                    if actual != expected {
                        println!("{}", style::expected_heading("recorded output:"));
                        for line in &expected {
                            println!("{}", style::expected_line(line));
                        }
                    }
                    break;
                }
            }
        }
    }
    show_notes(session.cells.len());
    println!();
    println!(
        "{}",
        style::note("End of the lesson. The session is yours: go on typing cells; Ctrl-D leaves.")
    );
    println!();
    terminal.repl()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(classify_answer("", false), Answer::Run);
        assert_eq!(classify_answer("  q ", false), Answer::Quit);
        assert_eq!(classify_answer("%quit", true), Answer::Quit);
        assert_eq!(classify_answer("exit()", false), Answer::Quit);
        // A learner's own variable q is shown, not taken for "quit".
        assert_eq!(classify_answer("q", true), Answer::Own("q".into()));
        assert_eq!(classify_answer("q = 1", false), Answer::Own("q = 1".into()));
        assert_eq!(classify_answer("x = 1", false), Answer::Own("x = 1".into()));
    }

    #[test]
    fn recorded_output_is_renumbered() {
        let s = Session::parse("In [1]: x\nhello\nOut[1]:\ntensor([[1.],\n        [2.]])\n");
        assert_eq!(
            expected_lines(&s.cells[0], 1, 3),
            vec!["hello", "Out[3]:", "tensor([[1.],", "        [2.]])"]
        );
        let s = Session::parse("In [1]: x\nValueError: v\n");
        assert_eq!(expected_lines(&s.cells[0], 1, 2), vec!["ValueError: v"]);
    }
}
