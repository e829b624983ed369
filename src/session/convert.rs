//! `gradbook convert A B`: between `.session` transcripts, `.py` percent scripts and `.ipynb`
//! notebooks, in any direction. What a format cannot hold is dropped: a script has no outputs,
//! and a transcript keeps markdown only before its first cell (as its header).

use super::files::{is_notebook, is_python, is_session};
use super::format::{Cell, Session};
use super::ipynb::{self, Ipynb};
use std::path::Path;

/// A lesson in the formats' common shape: cells with their recorded outputs, and the
/// markdown before each cell (`notes[i]`; the last entry after the last cell).
pub struct Lesson {
    pub session: Session,
    pub notes: Vec<Vec<String>>,
}

/// Reads a lesson from `path` by its extension.
pub fn read(path: &Path) -> Result<Lesson, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if is_notebook(path) {
        let nb = Ipynb::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(Lesson {
            session: nb.session,
            notes: nb.notes,
        });
    }
    if is_python(path) {
        return Ok(read_percent(&text));
    }
    if is_session(path) {
        let session = Session::parse(&text);
        let header = uncomment(&session.header);
        let mut notes = vec![Vec::new(); session.cells.len() + 1];
        notes[0] = header;
        return Ok(Lesson {
            session: Session {
                header: Vec::new(),
                ..session
            },
            notes,
        });
    }
    Err(format!(
        "{}: not a .session, .py or .ipynb file",
        path.display()
    ))
}

/// Writes `lesson` to `path` in the format its extension names.
pub fn write(lesson: &Lesson, path: &Path) -> Result<(), String> {
    let text = if is_notebook(path) {
        ipynb::from_session(&lesson.session, &lesson.notes)
    } else if is_python(path) {
        write_percent(lesson)
    } else if is_session(path) {
        let mut session = lesson.session.clone();
        session.header = comment(lesson.notes.first().map_or(&[][..], Vec::as_slice));
        session.render()
    } else {
        return Err(format!(
            "{}: not a .session, .py or .ipynb file",
            path.display()
        ));
    };
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// How many markdown notes a transcript cannot hold (those after the first cell).
pub fn dropped_notes(lesson: &Lesson, to: &Path) -> usize {
    if !is_session(to) {
        return 0;
    }
    lesson
        .notes
        .iter()
        .skip(1)
        .filter(|n| !n.is_empty())
        .count()
}

/// Comment lines without their `# ` (the header of a transcript or script as markdown).
fn uncomment(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            let l = l.strip_prefix('#').unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l).to_string()
        })
        .collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out
}

/// Markdown as comment lines, followed by one blank line when there is any.
fn comment(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                "#".to_string()
            } else {
                format!("# {l}")
            }
        })
        .collect();
    if !out.is_empty() {
        out.push(String::new());
    }
    out
}

/// A percent script with Jupytext's `# %% [markdown]` cells read as notes.
fn read_percent(text: &str) -> Lesson {
    let session = super::parse_percent(text);
    let mut notes = vec![uncomment(&session.header)];
    let mut cells = Vec::new();
    // parse_percent reads a markdown cell as code of comment lines; tell them apart by marker.
    let markers: Vec<bool> = text
        .lines()
        .filter(|l| {
            let l = l.trim_end();
            l == "# %%" || l.starts_with("# %% ")
        })
        .map(|l| l.contains("[markdown]"))
        .collect();
    let offset = session.cells.len().saturating_sub(markers.len());
    for (i, cell) in session.cells.into_iter().enumerate() {
        let is_markdown = i >= offset && markers[i - offset];
        if is_markdown {
            let lines: Vec<String> = cell.code.lines().map(str::to_string).collect();
            if let Some(last) = notes.last_mut() {
                if !last.is_empty() {
                    last.push(String::new());
                }
                last.extend(uncomment(&lines));
            }
        } else {
            cells.push(Cell {
                code: cell.code,
                output: Vec::new(),
            });
            notes.push(Vec::new());
        }
    }
    Lesson {
        session: Session {
            header: Vec::new(),
            cells,
        },
        notes,
    }
}

fn write_percent(lesson: &Lesson) -> String {
    let mut text = String::new();
    let markdown = |text: &mut String, note: &[String]| {
        if !note.is_empty() {
            text.push_str("# %% [markdown]\n");
            for line in comment(note).iter().filter(|l| !l.is_empty()) {
                text.push_str(line);
                text.push('\n');
            }
            text.push('\n');
        }
    };
    for (i, cell) in lesson.session.cells.iter().enumerate() {
        if let Some(note) = lesson.notes.get(i) {
            markdown(&mut text, note);
        }
        text.push_str("# %%\n");
        text.push_str(&cell.code);
        text.push_str("\n\n");
    }
    if let Some(note) = lesson.notes.get(lesson.session.cells.len()) {
        markdown(&mut text, note);
    }
    while text.ends_with("\n\n") {
        text.pop();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(lesson: &Lesson, ext: &str) -> Lesson {
        let dir = std::env::temp_dir().join(format!("gradbook-convert-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("lesson.{ext}"));
        write(lesson, &path).expect("written");
        let back = read(&path).expect("read back");
        let _ = std::fs::remove_file(&path);
        back
    }

    #[test]
    fn every_direction_keeps_cells_and_what_the_target_can_hold() {
        let session = Session::parse(
            "# Lesson 1\n# about x\n\nIn [1]: x = 1\n\nIn [2]: print(x)\n   ...: x + 1\n1\nOut[2]: 2\n",
        );
        let start = read_percent(
            "# Lesson 1\n# about x\n\n# %%\nx = 1\n\n# %% [markdown]\n# Now *print* it.\n\n# %%\nprint(x)\nx + 1\n",
        );
        assert_eq!(
            start.notes,
            vec![vec!["Lesson 1", "about x"], vec!["Now *print* it."], vec![]]
        );
        let codes = |l: &Lesson| {
            l.session
                .cells
                .iter()
                .map(|c| c.code.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&start), vec!["x = 1", "print(x)\nx + 1"]);
        // py -> ipynb -> py keeps notes; ipynb -> session keeps the header.
        let nb = roundtrip(&start, "ipynb");
        assert_eq!(nb.notes, start.notes);
        assert_eq!(codes(&nb), codes(&start));
        let py = roundtrip(&nb, "py");
        assert_eq!(py.notes, start.notes);
        let tr = roundtrip(&nb, "session");
        assert_eq!(tr.notes[0], vec!["Lesson 1", "about x"]);
        assert_eq!(dropped_notes(&nb, Path::new("x.session")), 1);
        // session -> ipynb -> session keeps outputs byte for byte.
        let lesson = Lesson {
            notes: vec![uncomment(&session.header), vec![], vec![]],
            session: Session {
                header: Vec::new(),
                cells: session.cells.clone(),
            },
        };
        let back = roundtrip(&roundtrip(&lesson, "ipynb"), "session");
        assert_eq!(back.session.cells, session.cells);
        let mut rendered = back.session.clone();
        rendered.header = comment(&back.notes[0]);
        assert_eq!(rendered.render(), session.render());
    }
}
