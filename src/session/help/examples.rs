//! Every help example shows what gradbook really prints for it: this test reruns each one in a
//! fresh notebook and compares `docs.txt` with the result (`UPDATE_EXPECT=1` rewrites the
//! outputs; the code, paragraphs and signatures are left as written).

use crate::session::Notebook;

/// One example cell: `>>> ` and `... ` lines.
fn cells(example: &str) -> Vec<String> {
    let mut cells: Vec<Vec<&str>> = Vec::new();
    for line in example.lines() {
        if let Some(code) = line.strip_prefix(">>> ") {
            cells.push(vec![code]);
        } else if let Some(code) = line.strip_prefix("... ").or(line.strip_prefix("..."))
            && let Some(cell) = cells.last_mut()
        {
            cell.push(code);
        }
    }
    cells.into_iter().map(|c| c.join("\n")).collect()
}

/// The example with each cell's output as the notebook gives it (printed text, the value,
/// the error line).
pub fn run_example(example: &str) -> String {
    let mut nb = Notebook::new(0);
    let mut text = String::new();
    for code in cells(example) {
        for (i, line) in code.split('\n').enumerate() {
            text.push_str(if i == 0 { ">>> " } else { "... " });
            text.push_str(line);
            text.push('\n');
        }
        let out = nb.run(&code);
        text.push_str(&out.stdout);
        if let Some(v) = out.value {
            text.push_str(&v);
            text.push('\n');
        }
        if let Some(e) = out.error {
            text.push_str(&format!("{e}\n"));
        }
    }
    text
}

/// `docs.txt` with every example's outputs regenerated.
fn regenerate(docs: &str) -> String {
    let mut out = String::new();
    let mut example = String::new();
    let flush = |example: &mut String, out: &mut String| {
        if !example.is_empty() {
            out.push_str(&run_example(example));
            out.push('\n');
            example.clear();
        }
    };
    for line in docs.lines() {
        if line.starts_with("### ") {
            flush(&mut example, &mut out);
        }
        if !example.is_empty() || line.starts_with(">>> ") {
            if line.starts_with(">>>") || line.starts_with("...") {
                example.push_str(line);
                example.push('\n');
            }
            // Output lines are dropped: they are what gets regenerated.
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    flush(&mut example, &mut out);
    out
}

#[test]
fn examples_print_what_they_show() {
    let docs = include_str!("docs.txt");
    let regenerated = crate::session::with_big_stack(move || regenerate(docs))
        .unwrap_or_else(|_| String::from("regeneration panicked"));
    expect_test::expect_file!["docs.txt"].assert_eq(&regenerated);
}

#[test]
fn example_cells_and_outputs() {
    assert_eq!(
        cells(">>> a = 1\n>>> def f():\n...     return a\n>>> f()\n1"),
        vec!["a = 1", "def f():\n    return a", "f()"]
    );
    assert_eq!(
        run_example(">>> print('x')\n>>> 1 + 1\n>>> 1 / 0\n"),
        ">>> print('x')\nx\n>>> 1 + 1\n2\n>>> 1 / 0\nZeroDivisionError: division by zero\n"
    );
}
