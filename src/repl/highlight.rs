//! Input highlighting: keywords, strings, numbers, comments, and the bracket matching the one
//! at the cursor. Classifies characters here; `style` decides how each class looks.

/// What a character of the input is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Plain,
    Keyword,
    Str,
    Number,
    Comment,
    /// `%magic` at the start of the line.
    Magic,
    /// The bracket at the cursor and its partner.
    Bracket,
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// The class of every character of `line` (by char index), brackets not yet matched.
pub fn classify(line: &str) -> Vec<Class> {
    let chars: Vec<char> = line.chars().collect();
    let mut classes = vec![Class::Plain; chars.len()];
    let mut i = 0;
    if chars.first() == Some(&'%') {
        while i < chars.len() && !chars[i].is_whitespace() {
            classes[i] = Class::Magic;
            i += 1;
        }
    }
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let class = if c == '#' {
            i = chars.len();
            Class::Comment
        } else if let Some(len) = string_at(&chars, i) {
            i += len;
            Class::Str
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || chars[i] == '_'
                    || ((chars[i] == '+' || chars[i] == '-') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            Class::Number
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if KEYWORDS.contains(&word.as_str()) {
                Class::Keyword
            } else {
                Class::Plain
            }
        } else {
            i += 1;
            Class::Plain
        };
        classes[start..i].fill(class);
    }
    classes
}

/// The length of the string literal starting at `i` (prefix and quotes included; an
/// unterminated one runs to the end of the line), or None.
fn string_at(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    // Up to two prefix letters (r, b, f, u, rb, fr, ...), not part of a longer name.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    while j < chars.len() && j - i < 2 && "rRbBfFuU".contains(chars[j]) {
        j += 1;
    }
    let quote = *chars.get(j).filter(|q| **q == '\'' || **q == '"')?;
    let triple = chars.get(j + 1) == Some(&quote) && chars.get(j + 2) == Some(&quote);
    let mut k = j + if triple { 3 } else { 1 };
    while k < chars.len() {
        if chars[k] == '\\' {
            k += 2;
            continue;
        }
        if chars[k] == quote
            && (!triple || (chars.get(k + 1) == Some(&quote) && chars.get(k + 2) == Some(&quote)))
        {
            return Some(k + if triple { 3 } else { 1 } - i);
        }
        k += 1;
    }
    Some(chars.len() - i)
}

/// The char indices of the bracket at (or just before) the cursor and its match, outside
/// strings and comments; None when there is no bracket there or it has no partner.
pub fn matching_bracket(line: &str, classes: &[Class], cursor: usize) -> Option<(usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let cursor = line[..cursor.min(line.len())].chars().count();
    let is_bracket =
        |i: usize| classes.get(i) == Some(&Class::Plain) && "()[]{}".contains(chars[i]);
    let at = [Some(cursor), cursor.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&i| i < chars.len() && is_bracket(i))?;
    let (open, close, forward) = match chars[at] {
        '(' => ('(', ')', true),
        '[' => ('[', ']', true),
        '{' => ('{', '}', true),
        ')' => ('(', ')', false),
        ']' => ('[', ']', false),
        _ => ('{', '}', false),
    };
    let mut depth = 0;
    let order: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(at..chars.len())
    } else {
        Box::new((0..=at).rev())
    };
    for i in order {
        if !is_bracket(i) {
            continue;
        }
        if chars[i] == open {
            depth += if forward { 1 } else { -1 };
        } else if chars[i] == close {
            depth += if forward { -1 } else { 1 };
        }
        if depth == 0 {
            return Some((at, i));
        }
    }
    None
}

/// The classes of `line` with the bracket pair at `cursor` marked (when `brackets`).
pub fn classes_with_brackets(line: &str, cursor: usize, brackets: bool) -> Vec<Class> {
    let mut classes = classify(line);
    if brackets && let Some((a, b)) = matching_bracket(line, &classes, cursor) {
        classes[a] = Class::Bracket;
        classes[b] = Class::Bracket;
    }
    classes
}

#[cfg(test)]
mod tests {
    use super::*;
    use Class::*;

    fn runs(line: &str) -> Vec<(String, Class)> {
        let mut out: Vec<(String, Class)> = Vec::new();
        for (c, class) in line.chars().zip(classify(line)) {
            match out.last_mut() {
                Some((text, last)) if *last == class => text.push(c),
                _ => out.push((c.to_string(), class)),
            }
        }
        out
    }

    #[test]
    fn keywords_strings_numbers_comments() {
        let r = runs("for x in 'a#b': y = 1.5e-3  # note");
        let kinds: Vec<(&str, Class)> = r.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        assert_eq!(
            kinds,
            vec![
                ("for", Keyword),
                (" x ", Plain),
                ("in", Keyword),
                (" ", Plain),
                ("'a#b'", Str),
                (": y = ", Plain),
                ("1.5e-3", Number),
                ("  ", Plain),
                ("# note", Comment),
            ]
        );
    }

    #[test]
    fn names_containing_keywords_and_prefixed_strings() {
        assert_eq!(runs("format"), vec![("format".to_string(), Plain)]);
        assert_eq!(runs("rb'x'"), vec![("rb'x'".to_string(), Str)]);
        assert_eq!(
            runs("x1 = \"open"),
            vec![("x1 = ".to_string(), Plain), ("\"open".to_string(), Str)]
        );
        assert_eq!(
            runs("%timeit x"),
            vec![("%timeit".to_string(), Magic), (" x".to_string(), Plain)]
        );
    }

    #[test]
    fn brackets_match_from_either_side() {
        let line = "f(a[1], (2))";
        let classes = classify(line);
        assert_eq!(matching_bracket(line, &classes, 1), Some((1, 11)));
        assert_eq!(matching_bracket(line, &classes, 12), Some((11, 1)));
        assert_eq!(matching_bracket(line, &classes, 4), Some((3, 5)));
        assert_eq!(matching_bracket("f(", &classify("f("), 2), None);
        // A bracket inside a string does not count.
        let line = "g(')')";
        assert_eq!(matching_bracket(line, &classify(line), 1), Some((1, 5)));
    }
}
