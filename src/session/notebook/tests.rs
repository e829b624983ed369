//! The notebook layer end to end through the real interpreter.

use super::Notebook;

fn shown(nb: &mut Notebook, code: &str) -> (String, Option<String>, Option<String>) {
    let out = nb.run(code);
    (out.stdout, out.value, out.error.map(|e| e.to_string()))
}

#[test]
fn underscores_out_and_in() {
    let mut nb = Notebook::new(0);
    assert_eq!(shown(&mut nb, "1 + 1").1.as_deref(), Some("2"));
    assert_eq!(shown(&mut nb, "x = 5").1, None);
    assert_eq!(shown(&mut nb, "10").1.as_deref(), Some("10"));
    assert_eq!(
        shown(&mut nb, "(_, __, Out[1], _3, In[2], _i2)")
            .1
            .as_deref(),
        Some("(10, 2, 2, 10, 'x = 5', 'x = 5')")
    );
    assert_eq!(shown(&mut nb, "_4[0];").1, None);
    assert_eq!(
        shown(&mut nb, "_").1.as_deref(),
        Some("(10, 2, 2, 10, 'x = 5', 'x = 5')")
    );
}

#[test]
fn magics_split_from_code() {
    let mut nb = Notebook::new(0);
    let (printed, value, _) = shown(&mut nb, "a = 1\nbb = [1, 2]\n%who\na + 1");
    assert_eq!(printed, "a\t bb\t \n");
    assert_eq!(value.as_deref(), Some("2"));
    let (printed, _, _) = shown(&mut nb, "%whos");
    assert_eq!(
        printed,
        "Variable   Type    Data/Info\n----------------------------\na          int     1\nbb         list    n=2\n"
    );
    let (printed, _, _) = shown(&mut nb, "%nope");
    assert_eq!(
        printed,
        "UsageError: Line magic function `%nope` not found.\n"
    );
}

#[test]
fn reset_without_a_terminal_does_nothing() {
    let mut nb = Notebook::new(0);
    shown(&mut nb, "a = 1");
    let (printed, _, _) = shown(&mut nb, "%reset");
    assert_eq!(
        printed,
        "Once deleted, variables cannot be recovered. Proceed (y/[n])? \nNothing done.\n"
    );
    shown(&mut nb, "%reset -f");
    assert_eq!(
        shown(&mut nb, "%who").0,
        "Interactive namespace is empty.\n"
    );
    assert_eq!(
        shown(&mut nb, "a").2.as_deref(),
        Some("NameError: name 'a' is not defined")
    );
}

#[test]
fn history_numbers_and_ranges() {
    let mut nb = Notebook::new(0);
    shown(&mut nb, "x = 1");
    shown(&mut nb, "def f():\n    return 2");
    assert_eq!(
        shown(&mut nb, "%history -n").0,
        "   1: x = 1\n   2:\ndef f():\n    return 2\n   3: %history -n\n"
    );
    assert_eq!(
        shown(&mut nb, "%history 1 3-4").0,
        "x = 1\n%history -n\n%history 1 3-4\n"
    );
}
