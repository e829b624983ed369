//! Tab-completion candidates, computed against the live session: names in scope, members
//! after `module.` (from the help table, so every candidate has help), tensor methods and
//! attributes after `tensor.`, keyword arguments inside a call's parentheses, magics after
//! `%`, and file names after `%load`/`%run`/`%save`. Nothing here evaluates user code.

use super::help::table;
use super::notebook::{MAGICS, Notebook};
use crate::eval::Value;
use std::collections::BTreeSet;

/// Python keywords offered with names.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
];

/// Where the completed word starts in `line`, and the candidates (whole words, sorted).
pub fn complete(nb: &mut Notebook, line: &str, pos: usize) -> (usize, Vec<String>) {
    let pos = floor_char_boundary(line, pos);
    let before = &line[..pos];
    if let Some(rest) = before.strip_prefix('%') {
        return complete_magic(rest, pos);
    }
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    if let Some(hit) = complete_module(before) {
        return hit;
    }
    let word = &before[word_start..];
    let mut found = BTreeSet::new();
    // Keyword arguments come first inside a call, as IPython ranks them.
    let mut keywords: Vec<String> = Vec::new();
    if before[..word_start].ends_with('.') {
        let chain = dotted_chain(&before[..word_start - 1]);
        if chain.is_empty() {
            return (word_start, Vec::new());
        }
        found.extend(members_of(nb, &chain));
    } else {
        if let Some(callee) = open_call(&before[..word_start]) {
            keywords.extend(
                keywords_of(nb, &callee)
                    .into_iter()
                    .map(|k| format!("{k}="))
                    .filter(|k| k.starts_with(word)),
            );
        }
        let interp = nb.interp();
        found.extend(interp.global_names());
        found.extend(interp.builtin_names());
        found.extend(KEYWORDS.iter().map(|k| k.to_string()));
    }
    let hits = keywords
        .into_iter()
        .chain(
            found
                .into_iter()
                .filter(|c| c.starts_with(word))
                // Private names only when asked for with a leading underscore.
                .filter(|c| !c.starts_with('_') || word.starts_with('_')),
        )
        .collect();
    (word_start, hits)
}

/// Modules gradbook can import, for completion after `import` and `from`.
pub fn importable_modules() -> Vec<String> {
    let mut names: BTreeSet<String> = table::TORCH_MODULES.iter().map(|m| m.to_string()).collect();
    names.insert("torch.nn".to_string());
    for name in [
        "math",
        "functools",
        "time",
        "itertools",
        "typing",
        "warnings",
    ] {
        names.insert(name.to_string());
    }
    names.into_iter().collect()
}

/// After `import ` / `from ` (also `import a, b`): module names, dotted ones whole.
fn complete_module(before: &str) -> Option<(usize, Vec<String>)> {
    let trimmed = before.trim_start();
    let rest = trimmed
        .strip_prefix("import ")
        .or_else(|| trimmed.strip_prefix("from "))?;
    // `from m import x` completes names, not modules.
    if trimmed.starts_with("from ") && rest.contains(' ') {
        return None;
    }
    let typed = rest.rsplit([',', ' ']).next().unwrap_or_default();
    if typed.contains(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
        return None;
    }
    let start = before.len() - typed.len();
    // One level at a time, as IPython offers them: `torch`, then `torch.autograd`.
    let depth = typed.matches('.').count();
    let hits = importable_modules()
        .into_iter()
        .filter(|m| m.starts_with(typed) && m.matches('.').count() == depth)
        .collect();
    Some((start, hits))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `%wh` → magics; `%load pa` → files.
fn complete_magic(rest: &str, pos: usize) -> (usize, Vec<String>) {
    match rest.split_once(' ') {
        None => {
            let hits = MAGICS
                .iter()
                .map(|(name, _)| name.to_string())
                .filter(|n| n.starts_with(rest))
                .map(|n| format!("%{n}"))
                .collect();
            (0, hits)
        }
        Some((magic @ ("load" | "run" | "save"), arg)) => {
            let typed = arg.rsplit(' ').next().unwrap_or_default();
            let start = pos - typed.len();
            let exts: &[&str] = if magic == "save" {
                &["session"]
            } else {
                &["py", "session"]
            };
            (start, file_candidates(typed, exts))
        }
        Some(_) => (pos, Vec::new()),
    }
}

/// Entries of the typed path's directory that start with its last part: directories (with a
/// `/`, to go on typing) and files with one of `exts`. Hidden files only when asked for.
pub fn file_candidates(typed: &str, exts: &[&str]) -> Vec<String> {
    let (dir, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let read_from = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut hits: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let path = e.path();
            if path.is_dir() {
                Some(format!("{dir}{name}/"))
            } else if path
                .extension()
                .is_some_and(|x| exts.iter().any(|want| x == *want))
            {
                Some(format!("{dir}{name}"))
            } else {
                None
            }
        })
        .collect();
    hits.sort();
    hits
}

/// The dotted name ending the text (`torch.autograd` of `y = torch.autograd`), as parts;
/// empty when the text before the dot is not a plain name chain (a call, a literal).
fn dotted_chain(text: &str) -> Vec<String> {
    let start = text
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    let chain = &text[start..];
    let parts: Vec<String> = chain.split('.').map(str::to_string).collect();
    let valid = parts.iter().all(|p| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    });
    if valid { parts } else { Vec::new() }
}

/// The value a name chain refers to, walking only through modules (no attribute of another
/// object is evaluated, so completion has no side effects).
fn resolve(nb: &mut Notebook, chain: &[String]) -> Option<Value> {
    let interp = nb.interp();
    let first = chain.first()?;
    let mut value = interp
        .get_global(first)
        .or_else(|| interp.get_builtin(first))?;
    for part in &chain[1..] {
        value = match &value {
            Value::Module(m) => {
                let found = m.attrs.borrow().get(part).cloned();
                match found {
                    Some(v) => v,
                    // A prelude submodule not loaded yet (`torch.optim`): loading it runs only
                    // the bundled code.
                    None => {
                        let name = format!("{}.{part}", m.name);
                        if !crate::eval::prelude_modules::exists(&name) {
                            return None;
                        }
                        nb.interp().import_module(&name).ok()?
                    }
                }
            }
            _ => return None,
        };
    }
    Some(value)
}

/// Completion after `chain.`: a module's documented functions and its other attributes
/// (submodules, dtypes), a tensor's methods and attributes.
fn members_of(nb: &mut Notebook, chain: &[String]) -> Vec<String> {
    let Some(value) = resolve(nb, chain) else {
        return Vec::new();
    };
    match &value {
        Value::Module(m) if table::TORCH_MODULES.contains(&m.name.as_str()) => {
            let mut names: BTreeSet<String> = table::members(&m.name).into_iter().collect();
            // Torch functions come from the help table only, so each has help; data and
            // submodules from the module itself.
            names.extend(
                m.attrs
                    .borrow()
                    .iter()
                    .filter(|(_, v)| !matches!(v, Value::Native(_)))
                    .map(|(k, _)| k.clone()),
            );
            names.into_iter().collect()
        }
        // Prelude modules (`torch.optim`): their documented names and submodules, not
        // their private helpers.
        Value::Module(m) if crate::eval::prelude_modules::exists(&m.name) => {
            let mut names: BTreeSet<String> = table::members(&m.name).into_iter().collect();
            names.extend(
                crate::eval::prelude_modules::submodules(&m.name)
                    .into_iter()
                    .map(str::to_string),
            );
            names.into_iter().collect()
        }
        Value::Tensor(_) | Value::Class(_) if is_tensor(&value) => {
            let mut names: BTreeSet<String> = table::members("Tensor").into_iter().collect();
            // Properties (grad, shape, is_leaf, ...) as well as methods.
            names.extend(crate::eval::torch::tensor_attrs::attr_names());
            names.into_iter().collect()
        }
        other => nb.interp().attr_names(other),
    }
}

fn is_tensor(v: &Value) -> bool {
    match v {
        Value::Tensor(_) => true,
        Value::Class(c) => c.builtin && &*c.name == "Tensor",
        _ => false,
    }
}

/// The callee of the innermost call whose parenthesis is still open at the end of `text`,
/// when the cursor is at an argument's start (after `(`, `,` or spaces).
fn open_call(text: &str) -> Option<Vec<String>> {
    let trimmed = text.trim_end();
    if !(trimmed.ends_with('(') || trimmed.ends_with(',')) {
        return None;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut open_at = None;
    // Walk back to the innermost unclosed `(`.
    let mut level = 0i32;
    for &(i, c) in chars.iter().rev() {
        match c {
            ')' | ']' | '}' => level += 1,
            '(' | '[' | '{' if level > 0 => level -= 1,
            '(' => {
                open_at = Some(i);
                break;
            }
            '[' | '{' => return None,
            _ => {}
        }
    }
    let chain = dotted_chain(&text[..open_at?]);
    (!chain.is_empty()).then_some(chain)
}

/// Keyword parameter names of a callee: from its signature rows, or a user function's
/// parameters.
fn keywords_of(nb: &mut Notebook, chain: &[String]) -> Vec<String> {
    let key = match resolve(nb, chain) {
        Some(Value::Function(f)) => {
            return f.def.params.iter().map(|p| p.name.to_string()).collect();
        }
        Some(value) => table::key_of(nb.interp(), &value),
        // `t.sum(`: a method of a tensor-valued name, looked up without evaluating it.
        None => match chain.split_last() {
            Some((method, base)) if !base.is_empty() => resolve(nb, base)
                .filter(is_tensor)
                .map(|_| format!("Tensor.{method}")),
            _ => None,
        },
    };
    let Some(entry) = key.and_then(|k| table::find(&k)) else {
        return Vec::new();
    };
    let mut names = BTreeSet::new();
    for sig in &entry.signatures {
        names.extend(param_names(sig));
    }
    names.into_iter().collect()
}

/// Parameter names of a signature line: `exp(Tensor input, *, Tensor? out=None)` →
/// `input`, `out`; `self` and `*`/`/` markers are left out.
pub fn param_names(sig: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (sig.find('('), sig.rfind(')')) else {
        return Vec::new();
    };
    if close <= open {
        return Vec::new();
    }
    let mut names = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in sig[open + 1..close].chars().chain([',']) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                let param = current.split('=').next().unwrap_or_default().trim();
                let name = param.rsplit(' ').next().unwrap_or_default();
                let name = name.trim_start_matches('*');
                if !name.is_empty() && name != "self" && name != "/" && !param.starts_with('*') {
                    names.push(name.to_string());
                }
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    names
}

#[cfg(test)]
mod tests;
