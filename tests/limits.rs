//! Input the oracle cannot record (CPython's own `ast.parse` fails on it, or the type is
//! flattened by the oracle) checked against CPython's messages, run through the library API
//! on an interpreter thread as the binary does: deep nesting ends in Python's errors, never a
//! crash, and the session goes on.

use gradbook::eval::Interp;
use gradbook::session::with_big_stack;

/// Each cell's `Type: message` (or its value's repr), in one interpreter.
fn run(cells: Vec<String>) -> Vec<String> {
    with_big_stack(move || {
        let mut interp = Interp::new();
        cells
            .iter()
            .map(|c| {
                let out = interp.run_cell(c);
                match out.error {
                    Some(e) => e.to_string(),
                    None => out.value.unwrap_or_default(),
                }
            })
            .collect()
    })
    .expect("no panic")
}

#[test]
fn deep_expressions_raise_cpythons_errors() {
    let out = run(vec![
        format!("x = 1{}", "+1".repeat(100_000)),
        format!("torch.ones(2){}", ".abs()".repeat(5000)),
        format!("{}1", "-".repeat(100_000)),
        format!("{}1", "not ".repeat(100_000)),
        format!("2{}", "**2".repeat(100_000)),
        "1 + 1".to_string(),
    ]);
    let deep = "RecursionError: maximum recursion depth exceeded during ast construction";
    assert_eq!(out[0], deep);
    assert_eq!(out[1], deep);
    // CPython's parser stack overflow is a MemoryError (with no message: `Type:`, as the
    // transcripts write an empty message).
    assert_eq!(out[2], "MemoryError:");
    assert_eq!(out[3], "MemoryError:");
    assert_eq!(out[4], "MemoryError:");
    assert_eq!(out[5], "2");
}

#[test]
fn a_million_nested_lists_repr_and_drop() {
    let out = run(vec![
        "a = []\nfor i in range(1000000):\n    a = [a]\nlen(str(a))".to_string(),
        "a = 0\na".to_string(),
    ]);
    assert_eq!(
        out[0],
        "RecursionError: maximum recursion depth exceeded while getting the repr of an object"
    );
    assert_eq!(out[1], "0");
}

#[test]
fn mixed_tabs_and_spaces_are_a_tab_error() {
    let out = run(vec![
        "if True:\n        x = 1\n\ty = 2".to_string(),
        "if True:\n\tx = 1\n        y = 2".to_string(),
        "if True:\n\tx = 1\n\tif x:\n\t\ty = 2\ny".to_string(),
    ]);
    let tab = "TabError: inconsistent use of tabs and spaces in indentation";
    assert_eq!(out[0], tab);
    assert_eq!(out[1], tab);
    assert_eq!(out[2], "2");
}

#[test]
fn a_byte_order_mark_starts_a_file() {
    let out = run(vec!["\u{feff}x = 3\nx".to_string()]);
    assert_eq!(out[0], "3");
}
