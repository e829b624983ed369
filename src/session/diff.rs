//! A line diff (longest common subsequence) grouped into unified-style hunks, for reporting
//! failing cells. Colour is the caller's business.

/// One line of a unified diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// `@@ -a,b +c,d @@`
    Hunk(String),
    Same(String),
    /// Only in the expected output (`-`).
    Removed(String),
    /// Only in the actual output (`+`).
    Added(String),
}

impl DiffLine {
    /// The plain text of the line with its unified-diff prefix.
    pub fn plain(&self) -> String {
        match self {
            DiffLine::Hunk(h) => h.clone(),
            DiffLine::Same(l) => format!(" {l}"),
            DiffLine::Removed(l) => format!("-{l}"),
            DiffLine::Added(l) => format!("+{l}"),
        }
    }
}

/// Lines of unchanged context kept around each change.
const CONTEXT: usize = 3;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Same(usize, usize),
    Del(usize),
    Add(usize),
}

/// The edit script from `a` to `b` by longest common subsequence.
fn edit_script(a: &[String], b: &[String]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j] = LCS length of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(Op::Add(j));
            j += 1;
        } else {
            ops.push(Op::Del(i));
            i += 1;
        }
    }
    // Within a run of changes, show removals before additions, as unified diffs do.
    let mut start = 0;
    while start < ops.len() {
        if matches!(ops[start], Op::Same(..)) {
            start += 1;
            continue;
        }
        let end = ops[start..]
            .iter()
            .position(|op| matches!(op, Op::Same(..)))
            .map_or(ops.len(), |p| start + p);
        ops[start..end].sort_by_key(|op| matches!(op, Op::Add(_)));
        start = end;
    }
    ops
}

/// A unified-style diff of `expected` against `actual`; empty when they are equal.
pub fn unified_diff(expected: &[String], actual: &[String]) -> Vec<DiffLine> {
    let ops = edit_script(expected, actual);
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&k| !matches!(ops[k], Op::Same(..)))
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        // Grow the hunk while the next change is within two contexts of the last one.
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let lo = first.saturating_sub(CONTEXT);
        let hi = (last + CONTEXT + 1).min(ops.len());
        let hunk = &ops[lo..hi];
        let a_start = hunk.iter().find_map(|op| match *op {
            Op::Same(i, _) | Op::Del(i) => Some(i),
            Op::Add(_) => None,
        });
        let b_start = hunk.iter().find_map(|op| match *op {
            Op::Same(_, j) | Op::Add(j) => Some(j),
            Op::Del(_) => None,
        });
        let a_len = hunk.iter().filter(|op| !matches!(op, Op::Add(_))).count();
        let b_len = hunk.iter().filter(|op| !matches!(op, Op::Del(_))).count();
        out.push(DiffLine::Hunk(format!(
            "@@ -{} +{} @@",
            range(a_start, a_len, ops_before(&ops[..lo], false)),
            range(b_start, b_len, ops_before(&ops[..lo], true))
        )));
        for op in hunk {
            out.push(match *op {
                Op::Same(i, _) => DiffLine::Same(expected[i].clone()),
                Op::Del(i) => DiffLine::Removed(expected[i].clone()),
                Op::Add(j) => DiffLine::Added(actual[j].clone()),
            });
        }
    }
    out
}

/// How many lines of one side come before a hunk (where an empty range sits).
fn ops_before(ops: &[Op], actual_side: bool) -> usize {
    ops.iter()
        .filter(|op| match op {
            Op::Same(..) => true,
            Op::Del(_) => !actual_side,
            Op::Add(_) => actual_side,
        })
        .count()
}

/// `start,len` with 1-based start, as `diff -u` writes it (`n,0` names the line before).
fn range(start: Option<usize>, len: usize, before: usize) -> String {
    match (start, len) {
        (Some(s), 1) => format!("{}", s + 1),
        (Some(s), l) => format!("{},{l}", s + 1),
        (None, _) => format!("{before},0"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    fn plain(d: &[DiffLine]) -> Vec<String> {
        d.iter().map(DiffLine::plain).collect()
    }

    #[test]
    fn equal_means_empty() {
        assert!(unified_diff(&lines("a\nb"), &lines("a\nb")).is_empty());
    }

    #[test]
    fn change_in_the_middle() {
        let d = unified_diff(&lines("a\nb\nc"), &lines("a\nx\nc"));
        assert_eq!(plain(&d), vec!["@@ -1,3 +1,3 @@", " a", "-b", "+x", " c"]);
    }

    #[test]
    fn far_apart_changes_make_two_hunks() {
        let a = lines("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12");
        let mut b = a.clone();
        b[0] = "one".into();
        b[11] = "twelve".into();
        let d = plain(&unified_diff(&a, &b));
        assert_eq!(d[0], "@@ -1,4 +1,4 @@");
        assert_eq!(&d[1..3], &["-1".to_string(), "+one".to_string()]);
        assert!(d.contains(&"@@ -9,4 +9,4 @@".to_string()));
        assert_eq!(d.last().map(String::as_str), Some("+twelve"));
    }

    #[test]
    fn empty_sides() {
        let d = plain(&unified_diff(&[], &lines("Out[1]: 1")));
        assert_eq!(d, vec!["@@ -0,0 +1 @@", "+Out[1]: 1"]);
        let d = plain(&unified_diff(&lines("x"), &[]));
        assert_eq!(d, vec!["@@ -1 +0,0 @@", "-x"]);
    }
}
