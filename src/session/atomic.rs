//! Writing a file so that a failure never destroys what was there: the new contents go to a
//! temporary file in the same directory (so the rename cannot cross file systems), which is
//! flushed to disk and then renamed over the target. A full disk (ENOSPC) or any other error
//! leaves the old file untouched and removes the temporary one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `contents` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |file| file.write_all(contents))
}

/// Replaces `path` with what `write` writes into the temporary file (tests inject failures
/// through it).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("Is a directory: '{}'", path.display()),
        ));
    }
    let temp = temp_path(path);
    let result = (|| {
        let mut file = File::create(&temp)?;
        // Keep the old file's permissions (a script made executable stays so).
        if let Ok(meta) = fs::metadata(path) {
            let _ = file.set_permissions(meta.permissions());
        }
        write(&mut file)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// `.NAME.PID.tmp` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// An I/O error as Python's `OSError` prints it: `[Errno 2] No such file or directory: 'x'`.
pub fn os_error_text(e: &io::Error, path: &Path) -> String {
    let reason = match e.kind() {
        io::ErrorKind::NotFound => "No such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
        io::ErrorKind::IsADirectory => "Is a directory".to_string(),
        io::ErrorKind::StorageFull => "No space left on device".to_string(),
        _ => {
            // std's text is "Reason (os error N)"; Python's is "[Errno N] Reason".
            let text = e.to_string();
            match text.rsplit_once(" (os error ") {
                Some((reason, _)) => reason.to_string(),
                None => text,
            }
        }
    };
    match e.raw_os_error() {
        Some(n) => format!("[Errno {n}] {reason}: '{}'", path.display()),
        None => format!("{reason}: '{}'", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gradbook-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|it| {
                it.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file() -> io::Result<()> {
        let dir = scratch("ok");
        let file = dir.join("t.session");
        fs::write(&file, "old")?;
        write_atomic(&file, b"new")?;
        assert_eq!(fs::read_to_string(&file)?, "new");
        assert_eq!(entries(&dir), vec!["t.session"]);
        fs::remove_dir_all(&dir)
    }

    #[test]
    fn a_write_error_keeps_the_old_file_and_leaves_no_temp() -> io::Result<()> {
        let dir = scratch("enospc");
        let file = dir.join("t.session");
        fs::write(&file, "the old transcript\n")?;
        // Half the new text is written, then the disk is full.
        let err = write_atomic_with(&file, |f| {
            f.write_all(b"In [1]: ha")?;
            Err(io::Error::from_raw_os_error(28))
        })
        .expect_err("the injected error is reported");
        assert_eq!(err.raw_os_error(), Some(28));
        assert_eq!(fs::read_to_string(&file)?, "the old transcript\n");
        assert_eq!(entries(&dir), vec!["t.session"]);
        assert_eq!(
            os_error_text(&err, &file),
            format!("[Errno 28] No space left on device: '{}'", file.display())
        );
        fs::remove_dir_all(&dir)
    }

    #[test]
    fn a_directory_target_is_refused() -> io::Result<()> {
        let dir = scratch("dir");
        let err = write_atomic(&dir, b"x").expect_err("a directory");
        assert_eq!(err.kind(), io::ErrorKind::IsADirectory);
        assert!(dir.is_dir());
        fs::remove_dir_all(&dir)
    }

    #[test]
    fn python_wording_for_missing_files() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(
            os_error_text(&e, Path::new("x.py")),
            "[Errno 2] No such file or directory: 'x.py'"
        );
    }
}
