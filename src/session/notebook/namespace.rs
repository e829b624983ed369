//! `%who`, `%whos`, `%reset`: the interactive namespace as IPython's `namespace.py` shows it.

use super::{Notebook, Piece};
use crate::eval::Value;
use crate::syntax::ast::{Expr, ExprKind, Stmt, StmtKind};
use std::collections::BTreeSet;

/// Adds the names `code` binds at top level (assignments, imports, defs, loop and `with`
/// targets, `global` declarations) to `names`. Code that does not parse binds nothing.
pub fn bound_names(code: &str, names: &mut BTreeSet<String>) {
    // Magic and help lines are not Python; parse only the code around them.
    for segment in super::cell::split(code) {
        if let super::cell::Segment::Code(src) = segment
            && let Ok(body) = crate::syntax::parse(&src)
        {
            stmts(&body, names);
        }
    }
}

fn stmts(body: &[Stmt], names: &mut BTreeSet<String>) {
    for s in body {
        match &s.kind {
            StmtKind::Assign(targets, _) => targets.iter().for_each(|t| target(t, names)),
            StmtKind::AugAssign(t, _, _) | StmtKind::AnnAssign(t, _, _) => target(t, names),
            StmtKind::For(t, _, body, orelse) => {
                target(t, names);
                stmts(body, names);
                stmts(orelse, names);
            }
            StmtKind::If(_, body, orelse) | StmtKind::While(_, body, orelse) => {
                stmts(body, names);
                stmts(orelse, names);
            }
            StmtKind::With(items, body) => {
                items
                    .iter()
                    .filter_map(|(_, t)| t.as_ref())
                    .for_each(|t| target(t, names));
                stmts(body, names);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                stmts(body, names);
                for h in handlers {
                    stmts(&h.body, names);
                }
                stmts(orelse, names);
                stmts(finalbody, names);
            }
            StmtKind::FuncDef(def) => {
                names.insert(def.name.to_string());
                // `global x` inside a function binds x at top level when it runs.
                global_decls(&def.body, names);
            }
            StmtKind::Import(imports) => {
                for i in imports {
                    let name = match &i.asname {
                        Some(a) => a.to_string(),
                        None => i.module.split('.').next().unwrap_or_default().to_string(),
                    };
                    names.insert(name);
                }
            }
            StmtKind::ImportFrom(_, Some(items)) => {
                for (name, asname) in items {
                    names.insert(asname.as_ref().unwrap_or(name).to_string());
                }
            }
            _ => {}
        }
    }
}

fn global_decls(body: &[Stmt], names: &mut BTreeSet<String>) {
    for s in body {
        if let StmtKind::Global(list) = &s.kind {
            names.extend(list.iter().map(|n| n.to_string()));
        }
    }
}

fn target(e: &Expr, names: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::Name(n) => {
            names.insert(n.to_string());
        }
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|i| target(i, names));
        }
        ExprKind::Starred(inner) => target(inner, names),
        _ => {}
    }
}

impl Notebook {
    /// IPython's `who_ls`: sorted names the user defined, optionally only of some types.
    pub fn who_ls(&self, types: &[&str]) -> Vec<String> {
        self.interp
            .global_names()
            .into_iter()
            .filter(|n| !n.starts_with('_'))
            .filter(|n| self.user_bound.contains(n) || !self.initial.iter().any(|(i, _)| i == n))
            .filter(|n| {
                types.is_empty()
                    || self
                        .interp
                        .get_global(n)
                        .is_some_and(|v| types.contains(&v.type_name().as_str()))
            })
            .collect()
    }

    /// `%who [TYPE...]`: names separated by a tab and a space, nine to a line.
    pub(super) fn who(&self, args: &str) -> Piece {
        let types: Vec<&str> = args.split_whitespace().collect();
        let names = self.who_ls(&types);
        if names.is_empty() {
            return Piece::printed(empty_namespace(&types));
        }
        let mut text = String::new();
        for (i, name) in names.iter().enumerate() {
            text.push_str(name);
            text.push_str("\t ");
            if i % 9 == 8 {
                text.push('\n');
            }
        }
        text.push('\n');
        Piece::printed(text)
    }

    /// `%whos [TYPE...]`: a table of name, type and data; for a tensor the data column tells
    /// what matters for autograd (shape, dtype, requires_grad, leaf or not, grad_fn, grad).
    pub(super) fn whos(&mut self, args: &str) -> Piece {
        let types: Vec<&str> = args.split_whitespace().collect();
        let names = self.who_ls(&types);
        if names.is_empty() {
            return Piece::printed(empty_namespace(&types));
        }
        let values: Vec<Value> = names
            .iter()
            .map(|n| self.interp.get_global(n).unwrap_or(Value::None))
            .collect();
        let types: Vec<String> = values.iter().map(Value::type_name).collect();
        let width = |items: &[String], label: &str| {
            items
                .iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
                .max(label.len())
                + 3
        };
        let (varwidth, typewidth) = (width(&names, "Variable"), width(&types, "Type"));
        let mut text = format!(
            "{:<varwidth$}{:<typewidth$} Data/Info\n{}\n",
            "Variable",
            "Type",
            "-".repeat(varwidth + typewidth + "Data/Info".len() + 1)
        );
        for ((name, value), type_name) in names.iter().zip(&values).zip(&types) {
            let info = self.data_info(value);
            text.push_str(&format!(
                "{name:<varwidth$}{type_name:<typewidth$} {info}\n"
            ));
        }
        Piece::printed(text)
    }

    /// The Data/Info column: `n=len` for containers, the tensor summary, else `str(v)` on one
    /// line with its middle cut when it is 50 characters or longer.
    fn data_info(&mut self, value: &Value) -> String {
        match value {
            Value::List(l) => format!("n={}", l.borrow().len()),
            Value::Tuple(t) => format!("n={}", t.len()),
            Value::Dict(d) => format!("n={}", d.borrow().len()),
            Value::Tensor(t) => {
                let shape: Vec<String> = t.shape().iter().map(|d| d.to_string()).collect();
                let grad_fn = t
                    .grad_fn()
                    .map_or("None".to_string(), |n| format!("<{}>", n.name()));
                format!(
                    "shape=({}{}) dtype={} requires_grad={} is_leaf={} grad_fn={} grad={}",
                    shape.join(", "),
                    if shape.len() == 1 { "," } else { "" },
                    t.dtype().name().trim_start_matches("torch."),
                    py_bool(t.requires_grad()),
                    py_bool(t.is_leaf()),
                    grad_fn,
                    if t.grad().is_some() { "set" } else { "None" }
                )
            }
            other => {
                let text = self
                    .interp
                    .str(other)
                    .unwrap_or_else(|_| "<object (str() failed)>".to_string())
                    .replace('\n', "\\n");
                let chars: Vec<char> = text.chars().collect();
                if chars.len() < 50 {
                    text
                } else {
                    let head: String = chars[..25].iter().collect();
                    let tail: String = chars[chars.len() - 25..].iter().collect();
                    format!("{head}<...>{tail}")
                }
            }
        }
    }

    /// `%reset [-f]`: forgets every user name (and `Out`), keeps the input history and the
    /// cell counter. Without `-f` it asks first; with nobody to ask, the answer is no.
    pub(super) fn reset(&mut self, args: &str) -> Piece {
        let force = args.split_whitespace().any(|a| a == "-f");
        let question = "Once deleted, variables cannot be recovered. Proceed (y/[n])? ";
        if !force {
            let yes = self.interactive && ask_yes_no(question);
            if !yes {
                let prompt = if self.interactive {
                    String::new()
                } else {
                    format!("{question}\n")
                };
                return Piece::printed(format!("{prompt}Nothing done.\n"));
            }
        }
        for name in self.interp.global_names() {
            // `_`, `__`, `___` go too: IPython's reset leaves them unbound.
            let keep = name.starts_with("_i") || name == "In";
            if !keep {
                self.interp.delete_global(&name);
            }
        }
        for (name, value) in self.initial.clone() {
            if name != "In" && !matches!(name.as_str(), "_" | "__" | "___") {
                self.interp.set_global(&name, value);
            }
        }
        self.outputs.borrow_mut().clear();
        self.user_bound.clear();
        self.reset_done = true;
        Piece::default()
    }
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn empty_namespace(types: &[&str]) -> String {
    if types.is_empty() {
        "Interactive namespace is empty.\n".into()
    } else {
        "No variables match your requested type.\n".into()
    }
}

/// Asks on the terminal; an empty answer, end of input or an error is the default, no.
fn ask_yes_no(question: &str) -> bool {
    use std::io::Write;
    loop {
        print!("{question}");
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        match std::io::stdin().read_line(&mut answer) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        match answer.trim().to_lowercase().as_str() {
            "y" | "yes" => return true,
            "" | "n" | "no" => return false,
            _ => {}
        }
    }
}
