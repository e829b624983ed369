//! Where an error happened in a cell's source: line number, the line, and a caret under the
//! span (Python 3.11's `^^^^` layout).

use crate::error::Span;

/// The source line an error span starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number within the cell.
    pub line_no: usize,
    /// The whole source line.
    pub line: String,
    /// Columns (in characters) before the caret.
    pub col: usize,
    /// Caret width in characters (at least 1, clipped to the line).
    pub width: usize,
}

impl Location {
    /// Finds the span's first line; None when the span lies outside the source.
    pub fn find(source: &str, span: Span) -> Option<Location> {
        if span.start > source.len() || !source.is_char_boundary(span.start) {
            return None;
        }
        let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[span.start..]
            .find('\n')
            .map_or(source.len(), |i| span.start + i);
        let line = &source[line_start..line_end];
        let col = source[line_start..span.start].chars().count();
        let end = span.end.clamp(span.start, line_end);
        let width = source
            .get(span.start..end)
            .map_or(0, |s| s.chars().count())
            .max(1);
        Some(Location {
            line_no: source[..line_start].matches('\n').count() + 1,
            line: line.to_string(),
            col,
            width,
        })
    }

    /// `    source line` and `    ^^^^` beneath it, leading indentation trimmed as Python does.
    pub fn caret_lines(&self) -> (String, String) {
        let indent = self.line.chars().take_while(|c| *c == ' ').count();
        let text = self.line.trim_start_matches(' ').trim_end();
        let col = self.col.saturating_sub(indent);
        let width = self
            .width
            .min(text.chars().count().saturating_sub(col).max(1));
        (
            format!("    {text}"),
            format!("    {}{}", " ".repeat(col), "^".repeat(width)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_and_caret() {
        let src = "x = 1\nif x:\n    y = x @ z\n";
        let start = src.find("x @").unwrap_or_default();
        let loc = Location::find(
            src,
            Span {
                start,
                end: start + 5,
            },
        )
        .expect("inside");
        assert_eq!(loc.line_no, 3);
        assert_eq!(loc.col, 8);
        assert_eq!(loc.width, 5);
        let (line, caret) = loc.caret_lines();
        assert_eq!(line, "    y = x @ z");
        assert_eq!(caret, "        ^^^^^");
    }

    #[test]
    fn multi_line_span_is_clipped_and_empty_span_gets_one_caret() {
        let src = "f(1,\n  2)";
        let loc = Location::find(
            src,
            Span {
                start: 0,
                end: src.len(),
            },
        )
        .expect("inside");
        assert_eq!(loc.width, 4);
        let loc = Location::find(src, Span { start: 2, end: 2 }).expect("inside");
        assert_eq!(loc.caret_lines().1, "      ^");
        assert_eq!(
            Location::find(
                src,
                Span {
                    start: 99,
                    end: 100
                }
            ),
            None
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        let src = "s = 'é' + 1";
        let start = src.find('+').unwrap_or_default();
        let loc = Location::find(
            src,
            Span {
                start,
                end: start + 1,
            },
        )
        .expect("inside");
        assert_eq!(loc.col, 8);
    }
}
