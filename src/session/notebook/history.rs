//! `%history [-n] [RANGE]` and `%save FILE.session [RANGE]`.
//!
//! Ranges as IPython's history manager reads them: `4`, `4-6` (inclusive), `4:6` (exclusive
//! end, like a slice), several separated by spaces.

use super::{CellRecord, Notebook, Piece};
use crate::session::format::{Cell, Session, output_lines};

/// The cell numbers a range string names, in the order given; Err for a malformed range.
pub fn parse_ranges(spec: &str, last: usize) -> Result<Vec<usize>, String> {
    let mut numbers = Vec::new();
    for part in spec.split_whitespace() {
        let bad = || format!("invalid history range: '{part}'");
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad());
        if let Some((a, b)) = part.split_once('-') {
            numbers.extend(num(a)?..=num(b)?);
        } else if let Some((a, b)) = part.split_once(':') {
            numbers.extend(num(a)?..num(b)?);
        } else {
            numbers.push(num(part)?);
        }
    }
    numbers.retain(|&n| n >= 1 && n <= last);
    Ok(numbers)
}

impl Notebook {
    /// `%history`: this session's inputs, the `%history` cell included (IPython stores an
    /// input before running it). Inputs are shown as typed, not translated to
    /// `get_ipython()` calls: gradbook has no such function to paste them back into.
    pub(super) fn history(&self, args: &str, current: usize) -> Piece {
        let mut numbered = false;
        let mut range = Vec::new();
        for arg in args.split_whitespace() {
            match arg {
                "-n" => numbered = true,
                other => range.push(other),
            }
        }
        let inputs = self.inputs_up_to(current);
        let wanted = if range.is_empty() {
            (1..=current).collect()
        } else {
            match parse_ranges(&range.join(" "), current) {
                Ok(r) => r,
                Err(msg) => return Piece::printed(format!("UsageError: {msg}\n")),
            }
        };
        let mut text = String::new();
        for n in wanted {
            let Some(code) = inputs.get(n) else { continue };
            let code = code.replace('\t', "    ");
            let code = code.trim_end();
            if numbered {
                let sep = if code.contains('\n') { '\n' } else { ' ' };
                text.push_str(&format!("{n:>4}:{sep}"));
            }
            text.push_str(code);
            text.push('\n');
        }
        Piece::printed(text)
    }

    /// Inputs by cell number (index 0 is empty), including the cell running now.
    fn inputs_up_to(&self, current: usize) -> Vec<String> {
        let mut inputs = vec![String::new(); current + 1];
        for r in &self.records {
            if r.number <= current {
                inputs[r.number] = r.code.clone();
            }
        }
        if let Some(Some(code)) = self.inputs.borrow().get(current).map(|v| match v {
            crate::eval::Value::Str(s) => Some(s.to_string()),
            _ => None,
        }) {
            inputs[current] = code;
        }
        inputs
    }

    /// `%save FILE [RANGE]`: the cells so far (or the range) with their outputs. `FILE.py`
    /// gets the `# %%` script format (`gradbook run` runs it), anything else a transcript
    /// `gradbook check` passes (`.session` is added when there is no extension). When the
    /// session did not start from seed 0, a `# %seed N` header line records the seed, so the
    /// cells keep their numbers. The file is replaced atomically: a failed write keeps the old
    /// one.
    pub(super) fn save(&self, args: &str, current: usize) -> Piece {
        let mut words = args.split_whitespace();
        let Some(file) = words.next() else {
            return Piece::printed("UsageError: %save requires a file name\n");
        };
        let range: Vec<&str> = words.collect();
        let typed = std::path::Path::new(file);
        if typed.is_dir() || file.ends_with('/') {
            return Piece::printed(format!("UsageError: [Errno 21] Is a directory: '{file}'\n"));
        }
        let mut path = typed.to_path_buf();
        if path.extension().is_none() {
            path.set_extension("session");
        }
        let wanted: Vec<usize> = if range.is_empty() {
            (1..current).collect()
        } else {
            match parse_ranges(&range.join(" "), current - 1) {
                Ok(r) => r,
                Err(msg) => return Piece::printed(format!("UsageError: {msg}\n")),
            }
        };
        let records: Vec<&CellRecord> = wanted
            .iter()
            .filter_map(|n| self.records.iter().find(|r| r.number == *n))
            .collect();
        if records.is_empty() {
            // IPython's message when the range names no cell it has.
            return Piece::printed(format!(
                "{} is neither a string nor a macro.\n",
                range.join(" ")
            ));
        }
        let session = self.transcript(&records);
        // `%save lesson.ipynb` writes a notebook, `%save x.py` the `# %%` script format.
        let text = if crate::session::files::is_notebook(&path) {
            crate::session::ipynb::from_session(&session, &[])
        } else if crate::session::files::is_python(&path) {
            crate::session::render_percent(&session)
        } else {
            session.render()
        };
        if let Err(e) = crate::session::atomic::write_atomic(&path, text.as_bytes()) {
            return Piece::printed(format!(
                "UsageError: {}\n",
                crate::session::atomic::os_error_text(&e, &path)
            ));
        }
        let mut text = format!(
            "The following commands were written to file `{}`:\n",
            path.display()
        );
        for r in &records {
            text.push_str(&r.code);
            text.push('\n');
        }
        Piece::printed(text)
    }

    fn transcript(&self, records: &[&CellRecord]) -> Session {
        let mut cells: Vec<Cell> = Vec::new();
        for r in records {
            let number = cells.len() + 1;
            let error = r.output.error.as_ref().map(|e| e.to_string());
            cells.push(Cell {
                code: r.code.clone(),
                output: output_lines(
                    number,
                    &r.output.stdout,
                    r.output.value.as_deref(),
                    error.as_deref(),
                ),
            });
        }
        let mut header = vec!["# Saved from a gradbook session with %save.".to_string()];
        if self.seed != 0 {
            header.push(format!("# %seed {}", self.seed));
        }
        header.push(String::new());
        Session { header, cells }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_ranges("2", 5), Ok(vec![2]));
        assert_eq!(parse_ranges("2-4", 5), Ok(vec![2, 3, 4]));
        assert_eq!(parse_ranges("2:4 1", 5), Ok(vec![2, 3, 1]));
        assert_eq!(parse_ranges("4-9", 5), Ok(vec![4, 5]));
        assert!(parse_ranges("a-b", 5).is_err());
    }
}
