//! Every colour gradbook prints, in one place. Colour is decided once at start-up: only
//! when stdout is a terminal, never with `NO_COLOR` set, `TERM=dumb` or `--no-color`.

use crate::session::DiffLine;
use colored::Colorize;
use std::io::IsTerminal;

/// Whether to colour output, per the rules above (a `TERM=dumb` terminal has no colours).
pub fn wants_color(no_color_flag: bool) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !no_color_flag && !no_color_env && !dumb && std::io::stdout().is_terminal()
}

/// Applies the decision to every later call of this module.
pub fn init(color: bool) {
    colored::control::set_override(color);
}

pub fn in_prompt(prompt: &str) -> String {
    prompt.green().to_string()
}

pub fn continuation_prompt(prompt: &str) -> String {
    prompt.green().to_string()
}

pub fn out_prompt(prompt: &str) -> String {
    prompt.red().to_string()
}

/// `Type: message`, the type in bold red as IPython shows it.
pub fn error_line(kind: &str, msg: &str) -> String {
    if msg.is_empty() {
        kind.red().bold().to_string()
    } else {
        format!("{}: {msg}", kind.red().bold())
    }
}

pub fn caret(line: &str) -> String {
    line.red().to_string()
}

/// A failing cell's heading in `gradbook check`.
pub fn failure_heading(text: &str) -> String {
    text.bold().to_string()
}

pub fn diff_line(line: &DiffLine) -> String {
    let plain = line.plain();
    match line {
        DiffLine::Hunk(_) => plain.cyan().to_string(),
        DiffLine::Same(_) => plain,
        DiffLine::Removed(_) => plain.red().to_string(),
        DiffLine::Added(_) => plain.green().to_string(),
    }
}

pub fn summary(text: &str, ok: bool) -> String {
    if ok {
        text.green().to_string()
    } else {
        text.red().to_string()
    }
}

/// One run of input text of the given class, as the editor shows it.
pub fn code(class: super::highlight::Class, text: &str) -> String {
    use super::highlight::Class;
    match class {
        Class::Plain => text.to_string(),
        Class::Keyword => text.green().bold().to_string(),
        Class::Str => text.yellow().to_string(),
        Class::Number => text.cyan().to_string(),
        Class::Comment => text.bright_black().italic().to_string(),
        Class::Magic => text.magenta().to_string(),
        Class::Bracket => text.blue().bold().underline().to_string(),
    }
}

/// Whether colour is on (the highlighter returns the line untouched otherwise).
pub fn enabled() -> bool {
    colored::control::SHOULD_COLORIZE.should_colorize()
}

/// Lesson headers and step-through hints: quiet text around the cells.
pub fn note(text: &str) -> String {
    text.bright_black().to_string()
}

/// The heading above a recorded output that differs from what ran.
pub fn expected_heading(text: &str) -> String {
    text.yellow().bold().to_string()
}

/// Recorded output lines shown next to a differing one.
pub fn expected_line(text: &str) -> String {
    text.yellow().to_string()
}
