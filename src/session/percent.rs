//! `# %%` cell scripts (the "percent" format): the `.py` twin of a `.session` file.
//!
//! A leading block of comment (and blank) lines before the first `# %%` is the header; each
//! `# %%` line starts a cell. Trailing blank lines of a cell are dropped.

use super::format::{Cell, Session};

/// `# %%` alone or followed by a title (`# %% setup`).
fn is_marker(line: &str) -> bool {
    let line = line.trim_end();
    line == "# %%" || line.starts_with("# %% ")
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// Joins a cell's lines, trailing blank lines dropped and trailing white space stripped.
fn cell_code(lines: &[&str]) -> String {
    let mut lines: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Parses a percent-format script into a session with empty outputs. Its header is followed by
/// one blank line, as a rendered transcript has it.
pub fn parse_percent(text: &str) -> Session {
    let lines: Vec<&str> = text.lines().collect();
    let first_marker = lines.iter().position(|l| is_marker(l));
    let before = &lines[..first_marker.unwrap_or(lines.len())];
    let mut session = Session::default();
    let mut cell_chunks: Vec<&[&str]> = Vec::new();
    if before.iter().all(|l| is_comment_or_blank(l)) {
        session.header = before.iter().map(|l| l.trim_end().to_string()).collect();
        while session.header.last().is_some_and(|l| l.is_empty()) {
            session.header.pop();
        }
        if !session.header.is_empty() {
            session.header.push(String::new());
        }
    } else {
        // Code before any marker is a cell of its own (as Jupytext reads it).
        cell_chunks.push(before);
    }
    if let Some(start) = first_marker {
        let mut rest = &lines[start + 1..];
        loop {
            let end = rest.iter().position(|l| is_marker(l)).unwrap_or(rest.len());
            cell_chunks.push(&rest[..end]);
            if end == rest.len() {
                break;
            }
            rest = &rest[end + 1..];
        }
    }
    session.cells = cell_chunks
        .into_iter()
        .map(|chunk| Cell {
            code: cell_code(chunk),
            output: Vec::new(),
        })
        .collect();
    session
}

/// Writes a session as a percent script (outputs dropped): the header's comment lines, then
/// `# %%` before each cell. `parse_percent` reads it back to the same header and cells.
pub fn render_percent(session: &Session) -> String {
    let mut text = String::new();
    for line in &session.header {
        let line = line.trim_end();
        // A header line that is not a comment would become code: keep it as one.
        if line.is_empty() || line.starts_with('#') {
            text.push_str(line);
        } else {
            text.push_str("# ");
            text.push_str(line);
        }
        text.push('\n');
    }
    for (i, cell) in session.cells.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str("# %%\n");
        for line in cell.code.split('\n') {
            text.push_str(line.trim_end());
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_reads_back() {
        let s = parse_percent("# Saved\n\n# %%\nimport torch\n\nx = 1\n\n# %%\n%who\nx\n");
        let text = render_percent(&s);
        assert_eq!(
            text,
            "# Saved\n\n# %%\nimport torch\n\nx = 1\n\n# %%\n%who\nx\n"
        );
        assert_eq!(parse_percent(&text), s);
    }

    #[test]
    fn header_and_cells() {
        let s = parse_percent("# Lesson\n# two\n# %%\nimport torch\n\nx = 1\n\n# %% title\nx\n");
        assert_eq!(s.header, vec!["# Lesson", "# two", ""]);
        assert_eq!(s.cells.len(), 2);
        assert_eq!(s.cells[0].code, "import torch\n\nx = 1");
        assert_eq!(s.cells[1].code, "x");
    }

    #[test]
    fn code_before_first_marker_is_a_cell() {
        let s = parse_percent("import torch\n# %%\nx = 1\n");
        assert!(s.header.is_empty());
        assert_eq!(s.cells.len(), 2);
        assert_eq!(s.cells[0].code, "import torch");
    }

    #[test]
    fn no_marker_no_header() {
        let s = parse_percent("# %%\na\n# %%\nb");
        assert!(s.header.is_empty());
        assert_eq!(s.cells[1].code, "b");
        assert_eq!(s.render(), "In [1]: a\n\nIn [2]: b\n");
    }
}
