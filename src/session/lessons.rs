//! The lessons bundled into the binary (`gradbook tutorial`), so they work from any directory.

use super::format::Session;

/// A bundled lesson: its name (the file stem under `sessions/lessons/`) and transcript.
#[derive(Clone, Copy, Debug)]
pub struct Lesson {
    pub name: &'static str,
    pub text: &'static str,
}

pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "01-jacobian",
        text: include_str!("../../sessions/lessons/01-jacobian.session"),
    },
    Lesson {
        name: "02-vector-calculus",
        text: include_str!("../../sessions/lessons/02-vector-calculus.session"),
    },
    Lesson {
        name: "03-jacrev",
        text: include_str!("../../sessions/lessons/03-jacrev.session"),
    },
    Lesson {
        name: "04-matrix-derivatives",
        text: include_str!("../../sessions/lessons/04-matrix-derivatives.session"),
    },
];

impl Lesson {
    pub fn session(&self) -> Session {
        Session::parse(self.text)
    }

    /// The header's first line without `# ` and `Lesson N: `: what the lesson teaches.
    pub fn title(&self) -> &'static str {
        let first = self.text.lines().next().unwrap_or_default();
        let first = first.trim_start_matches('#').trim();
        first.split_once(": ").map_or(first, |(_, title)| title)
    }
}

/// Finds a lesson by its full name (`01-jacobian`), its name without the number
/// (`jacobian`) or its number (`1`, `01`).
pub fn find(name: &str) -> Option<Lesson> {
    let name = name.trim().trim_end_matches(".session");
    LESSONS.iter().copied().find(|l| {
        let (num, rest) = l.name.split_once('-').unwrap_or(("", l.name));
        l.name == name
            || rest == name
            || name
                .parse::<u32>()
                .ok()
                .is_some_and(|n| num.parse() == Ok(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_file_is_bundled_and_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/lessons");
        let mut stems: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        e.path()
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        stems.sort();
        let names: Vec<&str> = LESSONS.iter().map(|l| l.name).collect();
        assert_eq!(stems, names);
        for lesson in LESSONS {
            let s = lesson.session();
            assert!(s.cells.len() >= 5, "{}", lesson.name);
            assert!(s.header[0].starts_with("# Lesson"), "{}", lesson.name);
        }
    }

    #[test]
    fn lessons_are_found_by_name_short_name_or_number() {
        assert_eq!(find("01-jacobian").map(|l| l.name), Some("01-jacobian"));
        assert_eq!(find("jacrev").map(|l| l.name), Some("03-jacrev"));
        assert_eq!(find("2").map(|l| l.name), Some("02-vector-calculus"));
        assert_eq!(find("04").map(|l| l.name), Some("04-matrix-derivatives"));
        assert!(find("nope").is_none());
        assert_eq!(
            LESSONS[2].title(),
            "torch.func.jacrev, reverse-mode Jacobians as a function transform."
        );
    }
}
