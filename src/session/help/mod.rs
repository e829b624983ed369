//! `help(obj)` and `obj?`: signature, a paragraph and an example for every builtin, torch
//! function and tensor method. The entries (`docs.txt`) are keyed like the completion table
//! (`torch.exp`, `Tensor.exp`, `builtins.len`), and `table::entries` is what both read, so
//! help and completion cannot drift apart.

#[cfg(test)]
mod examples;
pub mod table;

use crate::eval::{Interp, Value};
use table::Entry;

/// The `help` bound in every notebook session (it shadows the interpreter's builtin).
pub fn help_builtin() -> Value {
    Value::native("help", |interp, args| {
        let text = match args.pos.as_slice() {
            [] if args.kw.is_empty() => super::notebook::quickref(),
            [v] if args.kw.is_empty() => help_text(interp, v),
            _ => {
                return Err(crate::error::type_error(format!(
                    "help() takes at most 1 argument ({} given)",
                    args.pos.len() + args.kw.len()
                )));
            }
        };
        interp.write_stdout(&text);
        Ok(Value::None)
    })
}

/// What `help(value)` prints: pydoc's layout (`Help on ...:`, the signature, the text
/// indented by four).
pub fn help_text(interp: &mut Interp, value: &Value) -> String {
    if let Value::Str(topic) = value
        && let Some(entry) = table::find(topic)
    {
        return pydoc(&entry, "");
    }
    match table::key_of(interp, value).and_then(|k| table::find(&k)) {
        Some(entry) => {
            let what = match value {
                Value::Module(m) => format!("module {}", m.name),
                Value::Class(_) | Value::Tensor(_) => format!("class {}", entry.name()),
                _ => format!(
                    "built-in function {} in module {}",
                    entry.name(),
                    entry.module()
                ),
            };
            pydoc(&entry, &what)
        }
        None => match value {
            Value::Function(f) => {
                format!(
                    "Help on function {} in module __main__:\n\n{}\n\n",
                    f.name,
                    user_sig(f)
                )
            }
            other => format!(
                "Help on {} object:\n\nclass {}\n    No documentation: this is a value of that type.\n\n",
                other.type_name(),
                other.type_name()
            ),
        },
    }
}

fn pydoc(entry: &Entry, what: &str) -> String {
    let mut text = String::new();
    if !what.is_empty() {
        text.push_str(&format!("Help on {what}:\n\n"));
    }
    for sig in &entry.signatures {
        text.push_str(sig);
        text.push('\n');
    }
    for line in wrap(&entry.paragraph, 72) {
        text.push_str(&format!("    {line}\n"));
    }
    text.push_str("\n    Example:\n");
    for line in entry.example.lines() {
        text.push_str(&format!("    {line}\n").replace("    \n", "\n"));
    }
    text.push('\n');
    text
}

/// What `expr?` prints: IPython's pinfo fields.
pub fn pinfo(interp: &mut Interp, expr: &str, value: &Value) -> String {
    if expr.is_empty() {
        return super::notebook::quickref();
    }
    let key = table::key_of(interp, value);
    let mut text = String::new();
    // IPython pads every label to the longest one shown: `String form:` is the longest.
    let width = match (&key, value) {
        (Some(_), v) if !matches!(v, Value::Tensor(_)) => 11,
        _ => 13,
    };
    let field = |name: &str, value: &str| format!("{:<width$}{value}\n", format!("{name}:"));
    match key.and_then(|k| table::find(&k)) {
        Some(entry) if !matches!(value, Value::Tensor(_)) => {
            for sig in &entry.signatures {
                text.push_str(&field("Signature", sig));
            }
            text.push_str("Docstring:\n");
            for line in wrap(&entry.paragraph, 79) {
                text.push_str(&line);
                text.push('\n');
            }
            text.push_str("\nExample:\n");
            text.push_str(&entry.example);
            text.push('\n');
            text.push_str(&field("Type", &value.type_name()));
        }
        entry => {
            text.push_str(&field("Type", &value.type_name()));
            let shown = interp
                .str(value)
                .unwrap_or_default()
                .replace('\n', &format!("\n{}", " ".repeat(width)));
            text.push_str(&field("String form", &shown));
            if let Value::Function(f) = value {
                text.push_str(&field("Signature", &user_sig(f)));
            }
            match entry {
                Some(entry) => {
                    text.push_str("Docstring:\n");
                    for line in wrap(&entry.paragraph, 79) {
                        text.push_str(&line);
                        text.push('\n');
                    }
                }
                None => text.push_str(&field("Docstring", "<no docstring>")),
            }
        }
    }
    text
}

/// `f(a, b=1, *args, **kw)` of a user function.
fn user_sig(f: &crate::eval::interp::UserFunction) -> String {
    use crate::syntax::ast::ParamKind;
    let def = &f.def;
    let mut parts: Vec<String> = Vec::new();
    let mut star_written = false;
    for (i, p) in def.params.iter().enumerate() {
        if p.kind == ParamKind::KeywordOnly && !star_written {
            parts.push(match &def.vararg {
                Some(v) => format!("*{v}"),
                None => "*".into(),
            });
            star_written = true;
        }
        match f.defaults.get(i).and_then(|d| d.as_ref()) {
            Some(_) => parts.push(format!("{}=...", p.name)),
            None => parts.push(p.name.to_string()),
        }
    }
    if !star_written && let Some(v) = &def.vararg {
        parts.push(format!("*{v}"));
    }
    if let Some(k) = &def.kwarg {
        parts.push(format!("**{k}"));
    }
    format!("{}({})", f.name, parts.join(", "))
}

/// Greedy word wrap at `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
