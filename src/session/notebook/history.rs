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

    /// `%save FILE.session [RANGE]`: the cells so far (or the range) with their outputs, as a
    /// transcript `gradbook check` passes: cells are renumbered from 1 and, when the session
    /// did not start from seed 0, a `%seed` cell comes first so the numbers replay.
    pub(super) fn save(&self, args: &str, current: usize) -> Piece {
        let mut words = args.split_whitespace();
        let Some(file) = words.next() else {
            return Piece::printed("UsageError: %save requires a file name\n");
        };
        let range: Vec<&str> = words.collect();
        let mut path = std::path::PathBuf::from(file);
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
        let session = self.transcript(&records);
        // `%save lesson.ipynb` writes a notebook with the same cells and outputs.
        let text = if crate::session::files::is_notebook(&path) {
            crate::session::ipynb::from_session(&session, &[])
        } else {
            session.render()
        };
        if let Err(e) = std::fs::write(&path, text) {
            return Piece::printed(format!(
                "UsageError: cannot write {}: {e}\n",
                path.display()
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
        if self.seed != 0 {
            cells.push(Cell {
                code: format!("%seed {}", self.seed),
                output: Vec::new(),
            });
        }
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
        Session {
            header: vec![
                "# Saved from a gradbook session with %save.".to_string(),
                String::new(),
            ],
            cells,
        }
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
