//! Every transcript in `sessions/` parses and re-renders byte for byte, and its
//! `.py` twin has the same header and inputs.

use super::{Session, load};
use std::path::PathBuf;

fn conformance_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sessions/conformance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "session"));
    files.sort();
    files
}

#[test]
fn all_sessions_round_trip() {
    assert!(
        conformance_files().len() >= 12,
        "conformance sessions missing"
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sessions");
    let files = super::collect_sessions(&[root]).expect("sessions/ readable");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable session");
        if super::files::is_notebook(&path) {
            // Notebooks are JSON; they must read as nbformat 4 with code cells.
            let nb = super::ipynb::Ipynb::parse(&text).expect("a notebook");
            assert!(!nb.session.cells.is_empty(), "{}", path.display());
            continue;
        }
        let session = Session::parse(&text);
        assert!(!session.cells.is_empty(), "{}", path.display());
        assert_eq!(
            session.render(),
            text,
            "{} does not round-trip",
            path.display()
        );
    }
}

#[test]
fn percent_scripts_match_their_sessions() {
    for path in conformance_files() {
        let session = load(&path).expect("readable session");
        let script = load(&path.with_extension("py")).expect("readable .py twin");
        assert_eq!(script.header, session.header, "{}", path.display());
        let codes = |s: &Session| s.cells.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&script), codes(&session), "{}", path.display());
    }
}

#[test]
fn conformance_outputs_read_back_structurally() {
    // Every `Out[N]:` found is the cell's own, and an error line is always the last line.
    for path in conformance_files() {
        let session = load(&path).expect("readable session");
        for (i, cell) in session.cells.iter().enumerate() {
            let e = cell.expected(i + 1);
            let mut rebuilt = e.printed.clone();
            if let Some(v) = &e.value {
                if v.len() == 1 {
                    rebuilt.push(format!("Out[{}]: {}", i + 1, v[0]));
                } else {
                    rebuilt.push(format!("Out[{}]:", i + 1));
                    rebuilt.extend(v.iter().cloned());
                }
            }
            rebuilt.extend(e.error.clone());
            assert_eq!(rebuilt, cell.output, "{} cell {}", path.display(), i + 1);
        }
    }
}
