//! Fuzzing, shared by the `cargo fuzz` targets in `fuzz/` (libFuzzer, nightly) and the bounded
//! deterministic smoke run (`smoke`, stable, in `.ci/run`). Each target takes arbitrary bytes;
//! a target fails only by panicking, aborting or hanging, never by raising a Python error.
//!
//! - `lex_parse`: the lexer, parser and `check_complete` on any text.
//! - `session_reader`: the `.session` and `# %%` readers, and rendering what they read.
//! - `interp_program`: a tensor program generated from the bytes (`program`), with function and
//!   method names and parameter names from the help table and random shapes and arguments,
//!   run cell by cell in one interpreter.
//! - `interp_source`: the bytes as the source of cells (what mutated corpus entries reach).

pub mod program;
pub mod smoke;

use crate::eval::Interp;

/// The lexer and parser: any text parses or fails with a Python error.
pub fn lex_parse(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    let _ = crate::syntax::parse(&src);
    let _ = crate::syntax::check_complete(&src);
}

/// The transcript readers and the renderer.
pub fn session_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let s = crate::session::Session::parse(&text);
    let _ = crate::session::Session::parse(&s.render());
    let p = crate::session::parse_percent(&text);
    let _ = p.render();
}

/// Cells that could touch the file system or the process are not run (`open`, magics,
/// `torch.save`/`load`, imports of anything but torch).
pub fn is_safe_source(src: &str) -> bool {
    ![
        "open(",
        "%",
        "save",
        "load",
        "exec",
        "eval",
        "__import__",
        "input(",
    ]
    .iter()
    .any(|w| src.contains(w))
}

/// Runs `cells` one after another in `interp` (errors are the expected outcome of most).
pub fn run_cells(interp: &mut Interp, cells: &[String]) {
    for cell in cells {
        if is_safe_source(cell) {
            let _ = interp.run_cell(cell);
        }
    }
}

/// A generated tensor program, run in a fresh interpreter on an interpreter-sized stack.
pub fn interp_program(data: &[u8]) {
    let data = data.to_vec();
    on_big_stack(move || interp_program_here(&data));
}

/// The bytes as the source of one cell, run in a fresh interpreter on an interpreter-sized
/// stack.
pub fn interp_source(data: &[u8]) {
    let data = data.to_vec();
    on_big_stack(move || interp_source_here(&data));
}

/// `interp_program` on the calling thread (which must have an interpreter-sized stack).
pub fn interp_program_here(data: &[u8]) {
    let cells = program::program(&mut program::Bytes::new(data));
    run_cells(&mut Interp::new(), &cells);
}

/// `interp_source` on the calling thread.
pub fn interp_source_here(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    run_cells(&mut Interp::new(), &[src.into_owned()]);
}

/// Runs `f` as the binary runs cells, passing a panic on to the caller (the fuzzer).
fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    if let Err(payload) = crate::session::with_big_stack(f) {
        std::panic::resume_unwind(payload);
    }
}
