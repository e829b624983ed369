//! Finding and loading transcripts on disk.

use super::format::Session;
use super::ipynb::Ipynb;
use super::percent::parse_percent;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Reads a `.session` transcript, a `.py` percent script as a session without outputs, or an
/// `.ipynb` notebook's code cells with their recorded outputs.
pub fn load(path: &Path) -> io::Result<Session> {
    let text = fs::read_to_string(path)?;
    Ok(if is_notebook(path) {
        load_notebook_text(&text)?.session
    } else if is_python(path) {
        parse_percent(&text)
    } else {
        Session::parse(&text)
    })
}

pub fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py")
}

pub fn is_session(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "session")
}

pub fn is_notebook(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "ipynb")
}

/// A notebook's text parsed, its problem as an `InvalidData` error.
pub fn load_notebook_text(text: &str) -> io::Result<Ipynb> {
    Ipynb::parse(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Expands files and directories into session files: a file stands for itself, a directory
/// for every `*.session` and `*.ipynb` beneath it (not inside `.ipynb_checkpoints`). The result is sorted and without duplicates.
pub fn collect_sessions(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)?;
        } else if path.exists() {
            found.push(path.clone());
        } else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("No such file or directory: '{}'", path.display()),
            ));
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if !path.ends_with(".ipynb_checkpoints") {
                walk(&path, found)?;
            }
        } else if is_session(&path) || is_notebook(&path) {
            found.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_sorted_sessions_recursively() -> io::Result<()> {
        let root = std::env::temp_dir().join(format!("gradbook-files-{}", std::process::id()));
        fs::create_dir_all(root.join("b/c"))?;
        for f in ["b/c/z.session", "b/a.session", "b/notes.txt", "b/a.py"] {
            fs::write(root.join(f), "In [1]: 1\n")?;
        }
        let got = collect_sessions(&[root.join("b"), root.join("b/a.session")])?;
        assert_eq!(
            got,
            vec![root.join("b/a.session"), root.join("b/c/z.session")]
        );
        assert!(collect_sessions(&[root.join("missing")]).is_err());
        let py = load(&root.join("b/a.py"))?;
        assert_eq!(py.cells.len(), 1);
        fs::remove_dir_all(&root)?;
        Ok(())
    }
}
