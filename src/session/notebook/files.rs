//! `%load FILE` and `%run FILE`, for `.py` scripts (plain or `# %%` cells) and `.session`
//! transcripts.

use super::{Notebook, Piece};
use crate::session::files::{is_python, is_session};
use crate::session::{Session, parse_percent};
use std::path::Path;

/// The cells of a file: a transcript's inputs, a percent script's cells, or a plain script
/// as one cell.
fn file_cells(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "File `{}` not found or could not be read: {}",
            path.display(),
            e.kind()
        )
    })?;
    let session = if is_session(path) {
        Session::parse(&text)
    } else if is_python(path) && text.lines().any(|l| l.trim_end().starts_with("# %%")) {
        parse_percent(&text)
    } else {
        return Ok(vec![text.trim_end().to_string()]);
    };
    Ok(session.cells.into_iter().map(|c| c.code).collect())
}

impl Notebook {
    /// `%load FILE`: the file's cells become the next inputs, to read, edit and run one by
    /// one (the REPL pre-fills its prompt with them); nothing runs now.
    pub(super) fn load(&mut self, args: &str) -> Piece {
        let file = args.trim();
        if file.is_empty() {
            return Piece::printed("UsageError: %load requires a file name\n");
        }
        match file_cells(Path::new(file)) {
            Ok(cells) => {
                self.next_inputs.extend(cells);
                Piece::default()
            }
            Err(msg) => Piece::printed(format!("UsageError: {msg}\n")),
        }
    }

    /// `%run FILE`: runs the file's cells in this session, showing only what they print (a
    /// script, not a notebook: no `Out`); the first error stops it.
    pub(super) fn run_file(&mut self, args: &str) -> Piece {
        let file = args.trim();
        if file.is_empty() {
            return Piece::printed("UsageError: %run requires a file name\n");
        }
        let cells = match file_cells(Path::new(file)) {
            Ok(cells) => cells,
            Err(msg) => return Piece::printed(format!("UsageError: {msg}\n")),
        };
        let mut printed = String::new();
        // Tracebacks name the file, by its full path as IPython does.
        let label = format!(
            "File {}",
            std::fs::canonicalize(file).map_or(file.to_string(), |p| p.display().to_string())
        );
        let outer = self.running.clone();
        for code in cells {
            super::namespace::bound_names(&code, &mut self.user_bound);
            self.running = crate::session::traceback::Source {
                label: label.clone(),
                text: code.clone(),
                offset: 0,
            };
            for segment in super::cell::split(&code) {
                self.advance_to(&segment);
                // A script's last expression is not displayed.
                let piece = self.run_segment(segment, true);
                printed.push_str(&piece.stdout);
                if let Some(e) = piece.error {
                    self.running = outer;
                    let mut piece = Piece::error(printed, e);
                    piece.shown = true;
                    return piece;
                }
            }
        }
        self.running = outer;
        Piece {
            stdout: printed,
            shown: true,
            ..Piece::default()
        }
    }
}
