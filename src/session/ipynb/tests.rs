use super::*;
use crate::session::replay::tests::FakeRunner;

/// A notebook as Jupyter writes it: markdown with an attachment, code cells with every kind of
/// output, notebook metadata.
fn sample() -> Value {
    json!({
        "cells": [
            {"cell_type": "markdown", "id": "m1", "metadata": {},
             "attachments": {"a.png": {"image/png": "iVBORw0KGgo="}},
             "source": ["# Lesson é\n", "\n", "Some *text*."]},
            {"cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {"tags": ["x"]},
             "outputs": [
                {"name": "stdout", "output_type": "stream", "text": ["a\n", "b\n"]},
                {"data": {"text/plain": ["x"]}, "execution_count": 1, "metadata": {},
                 "output_type": "execute_result"}],
             "source": ["print a\n", "print b\n", "x"]},
            {"cell_type": "markdown", "id": "m2", "metadata": {}, "source": "Between."},
            {"cell_type": "code", "execution_count": 2, "id": "c2", "metadata": {},
             "outputs": [
                {"data": {"text/plain": ["shown"], "text/html": ["<b>shown</b>"]},
                 "metadata": {}, "output_type": "display_data"},
                {"ename": "ValueError", "evalue": "bad value", "output_type": "error",
                 "traceback": ["\u{1b}[0;31mValueError\u{1b}[0m: bad value"]}],
             "source": "print shown\nerr"},
            {"cell_type": "code", "execution_count": null, "id": "c3", "metadata": {},
             "outputs": [], "source": "m\\nn"}
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5
    })
}

#[test]
fn reads_cells_outputs_and_markdown() -> Result<(), String> {
    let nb = Ipynb::parse(&write_json(&sample()))?;
    let cells = &nb.session.cells;
    assert_eq!(cells.len(), 3);
    assert_eq!(cells[0].code, "print a\nprint b\nx");
    assert_eq!(cells[0].output, vec!["a", "b", "Out[1]: x"]);
    assert_eq!(cells[1].output, vec!["shown", "ValueError: bad value"]);
    assert!(cells[2].output.is_empty());
    assert_eq!(nb.notes[0], vec!["# Lesson é", "", "Some *text*."]);
    assert_eq!(nb.notes[1], vec!["Between."]);
    assert!(nb.has_outputs);
    Ok(())
}

#[test]
fn corrupt_truncated_and_old_notebooks_are_refused_with_a_reason() {
    let text = write_json(&sample());
    let truncated = Ipynb::parse(&text[..text.len() / 2]).unwrap_err();
    assert!(truncated.contains("truncated"), "{truncated}");
    let corrupt = Ipynb::parse("{\"cells\": [}").unwrap_err();
    assert!(corrupt.contains("invalid JSON"), "{corrupt}");
    let mut v3 = sample();
    v3["nbformat"] = json!(3);
    let old = Ipynb::parse(&write_json(&v3)).unwrap_err();
    assert!(old.starts_with("nbformat 3 is not supported"), "{old}");
    assert!(
        Ipynb::parse("[1, 2]")
            .unwrap_err()
            .contains("not an object")
    );
    assert!(
        Ipynb::parse("{\"nbformat\": 4}")
            .unwrap_err()
            .contains("cells")
    );
}

#[test]
fn a_notebook_without_outputs_expects_nothing() -> Result<(), String> {
    let mut v = sample();
    for cell in v["cells"].as_array_mut().into_iter().flatten() {
        if let Some(c) = cell.as_object_mut() {
            c.remove("outputs");
        }
    }
    let nb = Ipynb::parse(&write_json(&v))?;
    assert!(!nb.has_outputs);
    assert!(nb.session.cells.iter().all(|c| c.output.is_empty()));
    // Blessing it falls back to nbformat's layout and adds the outputs.
    let text = bless(&write_json(&v), &[(0, json!([]), Some(1))])?;
    let back: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    assert_eq!(back["cells"][1]["outputs"], json!([]));
    assert_eq!(back["cells"][1]["execution_count"], json!(1));
    Ok(())
}

#[test]
fn check_and_bless_rewrite_only_changed_cells() -> Result<(), String> {
    let text = write_json(&sample());
    let nb = Ipynb::parse(&text)?;
    let checked = check(&nb, &mut FakeRunner::default());
    // Cell 1 and 2 replay as recorded (display_data is printed text); cell 3 now shows a value.
    assert_eq!(checked.report.passed, 2);
    assert_eq!(checked.report.failures.len(), 1);
    assert_eq!(checked.report.failures[0].actual, vec!["Out[3]:", "m", "n"]);
    let blessed = bless(&text, &checked.changed)?;
    // The in-place edit gives exactly what a full nbformat rewrite would.
    let mut want = sample();
    want["cells"][4]["outputs"] = json!([{"data": {"text/plain": ["m\n", "n"]},
        "execution_count": 3, "metadata": {}, "output_type": "execute_result"}]);
    want["cells"][4]["execution_count"] = json!(3);
    assert_eq!(blessed, write_json(&want));
    // Everything before the changed cell is the same bytes.
    let at = text.rfind("\"cell_type\"").unwrap_or_default();
    assert_eq!(blessed[..at], text[..at]);
    // Blessed again, it passes.
    let again = check(&Ipynb::parse(&blessed)?, &mut FakeRunner::default());
    assert!(again.report.ok());
    Ok(())
}

#[test]
fn bless_keeps_a_foreign_layout_outside_the_changed_cell() -> Result<(), String> {
    // Two-space indentation and unsorted keys, as some editors write.
    let text = "{\n  \"nbformat\": 4,\n  \"nbformat_minor\": 2,\n  \"metadata\": {\"z\": 1, \"a\": 2},\n  \"cells\": [\n    {\"cell_type\": \"code\", \"source\": \"x\", \"outputs\": [], \"execution_count\": null, \"metadata\": {}}\n  ]\n}";
    let out = bless(text, &[(0, json!(["o"]), Some(1))])?;
    assert!(out.starts_with(
        "{\n  \"nbformat\": 4,\n  \"nbformat_minor\": 2,\n  \"metadata\": {\"z\": 1, \"a\": 2},"
    ));
    assert!(out.contains("\"outputs\": [\n     \"o\"\n    ], \"execution_count\": 1"));
    Ok(())
}

#[test]
fn transcripts_become_notebooks_and_back() -> Result<(), String> {
    let session = Session::parse(
        "# Lesson\n# two lines\n\nIn [1]: print a\n   ...: x\na\nOut[1]: x\n\nIn [2]: t\nOut[2]:\ntensor([1.,\n        2.])\n\nIn [3]: err\nValueError: bad value\n\nIn [4]: y = 1\n",
    );
    let text = from_session(&session, &[]);
    let nb = Ipynb::parse(&text)?;
    assert_eq!(nb.notes[0], vec!["Lesson", "two lines"]);
    let codes: Vec<&str> = nb.session.cells.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, vec!["print a\nx", "t", "err", "y = 1"]);
    for (a, b) in nb.session.cells.iter().zip(&session.cells) {
        assert_eq!(a.output, b.output);
    }
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    assert_eq!(v["cells"][4]["execution_count"], Value::Null);
    assert_eq!(v["cells"][1]["source"], json!(["print a\n", "x"]));
    // nbformat's layout: one-space indent, sorted keys, final newline.
    assert!(text.starts_with("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\","));
    assert!(text.ends_with("\"nbformat_minor\": 5\n}\n"));
    Ok(())
}
