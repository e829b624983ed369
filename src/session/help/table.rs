//! The help table: one entry per builtin, torch function, module and tensor method, keyed
//! `builtins.len`, `torch.exp`, `torch.autograd.grad`, `Tensor.backward`. Signatures of torch
//! functions come from the bindings' own signature tables; the paragraph and the example
//! from `docs.txt`. Completion lists members from these same keys.

use crate::eval::{Interp, Value};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// The torch-side modules whose functions have entries, in lookup order.
pub const TORCH_MODULES: &[&str] = &[
    "torch",
    "torch.autograd",
    "torch.autograd.functional",
    "torch.autograd.graph",
    "torch.autograd.forward_ad",
    "torch.autograd.function",
    "torch.func",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.linalg",
    "torch.cuda",
];

/// One help entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Signature lines, one per overload, written with the qualified name.
    pub signatures: Vec<String>,
    pub paragraph: String,
    /// `>>> code` lines and the output they give.
    pub example: String,
}

impl Entry {
    /// The bare name: `exp` of `torch.exp`.
    pub fn name(&self) -> &str {
        self.key.rsplit('.').next().unwrap_or(&self.key)
    }
    /// The module part: `torch` of `torch.exp`, `builtins` of `builtins.len`.
    pub fn module(&self) -> &str {
        self.key.rsplit_once('.').map_or("", |(m, _)| m)
    }
}

/// A parsed `docs.txt` entry before signatures are attached.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocText {
    /// `sig:` lines (builtins and objects the bindings' tables do not describe).
    pub sigs: Vec<String>,
    pub paragraph: String,
    pub example: String,
}

const DOCS: &str = include_str!("docs.txt");

/// `docs.txt` by key. The format: `### KEY`, optional `sig: ...` lines, the paragraph, then
/// the example from its first `>>>` line.
pub fn parse_docs(text: &str) -> BTreeMap<String, DocText> {
    let mut docs = BTreeMap::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let finish = |entry: Option<(String, Vec<&str>)>, docs: &mut BTreeMap<String, DocText>| {
        if let Some((key, lines)) = entry {
            let mut doc = DocText::default();
            let mut para: Vec<&str> = Vec::new();
            let mut example: Vec<&str> = Vec::new();
            for line in lines {
                if !example.is_empty() || line.starts_with(">>>") {
                    example.push(line);
                } else if let Some(sig) = line.strip_prefix("sig: ") {
                    doc.sigs.push(sig.trim().to_string());
                } else {
                    para.push(line.trim());
                }
            }
            doc.paragraph = para.join(" ").trim().to_string();
            while example.last().is_some_and(|l| l.trim().is_empty()) {
                example.pop();
            }
            doc.example = example.join("\n");
            docs.insert(key, doc);
        }
    };
    for line in text.lines() {
        if let Some(key) = line.strip_prefix("### ") {
            finish(current.take(), &mut docs);
            current = Some((key.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    finish(current, &mut docs);
    docs
}

fn docs() -> &'static BTreeMap<String, DocText> {
    static DOCS_BY_KEY: OnceLock<BTreeMap<String, DocText>> = OnceLock::new();
    DOCS_BY_KEY.get_or_init(|| parse_docs(DOCS))
}

/// The signature table's keys and signatures, from the bindings: `torch.exp` →
/// `exp(Tensor input)`, `Tensor.exp` → `exp(Tensor self)`.
pub fn signature_table() -> BTreeMap<String, Vec<String>> {
    let mut table: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for module in TORCH_MODULES.iter().copied().chain(["Tensor"]) {
        for (name, sig, _) in torch_signatures(module) {
            table
                .entry(format!("{module}.{name}"))
                .or_default()
                .push(sig.to_string());
        }
    }
    table
}

/// The bindings' (name, signature, one-line description) rows of one module (`Tensor` for
/// methods).
pub fn torch_signatures(module: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    crate::eval::torch::signatures(module)
}

/// The help entry for `key`, signatures from the bindings' table when it has them.
pub fn find(key: &str) -> Option<Entry> {
    let doc = docs().get(key)?;
    // `def grad(...)` marks a Python-level signature in the bindings' notation.
    let qualify = |sig: &String| match key.rsplit_once('.') {
        Some((module, _)) if !sig.starts_with(module) && module != "builtins" => {
            format!("{module}.{sig}")
        }
        _ => sig.clone(),
    };
    let mut signatures: Vec<String> = signature_table()
        .get(key)
        .map(|sigs| {
            sigs.iter()
                .map(|s| qualify(&s.trim_start_matches("def ").to_string()))
                .collect()
        })
        .unwrap_or_default();
    if signatures.is_empty() {
        signatures = doc.sigs.clone();
    }
    Some(Entry {
        key: key.to_string(),
        signatures,
        paragraph: doc.paragraph.clone(),
        example: doc.example.clone(),
    })
}

/// Every help key, sorted.
pub fn keys() -> Vec<String> {
    docs().keys().cloned().collect()
}

/// Names documented under `prefix.` (`torch` → `exp`, `ones_like`, ...; `Tensor` → methods):
/// what completion offers after that prefix.
pub fn members(prefix: &str) -> Vec<String> {
    let dotted = format!("{prefix}.");
    docs()
        .keys()
        .filter_map(|k| k.strip_prefix(&dotted))
        .filter(|rest| !rest.contains('.'))
        .map(str::to_string)
        .collect()
}

/// The help key of a value: found by identity among the torch modules' functions and the
/// builtins (a name alone is ambiguous: `sum` is both), by name for bound tensor methods.
pub fn key_of(interp: &Interp, value: &Value) -> Option<String> {
    match value {
        Value::Native(n) => {
            for module_name in TORCH_MODULES {
                if let Some(Value::Module(m)) = crate::eval::torch::import(module_name) {
                    let attrs = m.attrs.borrow();
                    let found = attrs
                        .iter()
                        .find(|(_, v)| matches!(v, Value::Native(o) if Rc::ptr_eq(o, n)));
                    if let Some((name, _)) = found {
                        return Some(format!("{module_name}.{name}"));
                    }
                }
            }
            if n.name.starts_with("Tensor.") {
                return Some(n.name.clone());
            }
            match interp.get_builtin(&n.name) {
                Some(Value::Native(b)) if Rc::ptr_eq(&b, n) => Some(format!("builtins.{}", n.name)),
                _ if n.name == "help" => Some("builtins.help".into()),
                _ => None,
            }
        }
        Value::Module(m) => Some(m.name.clone()),
        // Classes and functions of the bundled prelude (nn.Linear, nn.utils.clip_grad_norm_, ...).
        Value::Class(_) | Value::Function(_) if let Some(key) = prelude_key(value) => Some(key),
        Value::Class(c) if c.builtin && &*c.name == "Tensor" => Some("torch.Tensor".into()),
        Value::Class(c) if c.builtin => Some(format!("builtins.{}", c.name)),
        // A prelude class is documented under the package that exports it
        // (`torch.optim.sgd.SGD` as `torch.optim.SGD`).
        Value::Class(c) if c.module.starts_with("torch.") => {
            let mut module = c.module.to_string();
            loop {
                let key = format!("{module}.{}", c.name);
                if docs().contains_key(&key) {
                    return Some(key);
                }
                module = module.rsplit_once('.')?.0.to_string();
            }
        }
        Value::Tensor(_) => Some("torch.Tensor".into()),
        _ => None,
    }
}

/// The key of a class or function that a torch module holds, found by identity.
fn prelude_key(value: &Value) -> Option<String> {
    let same = |v: &Value| match (v, value) {
        (Value::Class(a), Value::Class(b)) => Rc::ptr_eq(a, b),
        (Value::Function(a), Value::Function(b)) => Rc::ptr_eq(a, b),
        _ => false,
    };
    for module_name in TORCH_MODULES {
        if let Some(Value::Module(m)) = crate::eval::torch::import(module_name) {
            let attrs = m.attrs.borrow();
            if let Some((name, _)) = attrs.iter().find(|(_, v)| same(v)) {
                return Some(format!("{module_name}.{name}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries() {
        let docs = parse_docs(
            "intro\n### builtins.len\nsig: len(obj, /)\nReturn the number\nof items.\n>>> len([1])\n1\n\n### torch\nThe module.\n>>> torch.ones(1)\ntensor([1.])\n",
        );
        let len = &docs["builtins.len"];
        assert_eq!(len.sigs, vec!["len(obj, /)"]);
        assert_eq!(len.paragraph, "Return the number of items.");
        assert_eq!(len.example, ">>> len([1])\n1");
        assert_eq!(docs["torch"].example, ">>> torch.ones(1)\ntensor([1.])");
    }

    #[test]
    fn every_entry_has_a_paragraph_and_an_example() {
        for (key, doc) in docs() {
            assert!(!doc.paragraph.is_empty(), "{key} has no paragraph");
            assert!(doc.example.starts_with(">>> "), "{key} has no example");
        }
    }

    #[test]
    fn every_signature_row_is_documented_and_every_doc_is_real() {
        let table = signature_table();
        let docs = docs();
        let undocumented: Vec<&String> = table.keys().filter(|k| !docs.contains_key(*k)).collect();
        assert!(
            undocumented.is_empty(),
            "no help entry for {undocumented:?}"
        );
        for (key, doc) in docs {
            let known = table.contains_key(key)
                || !doc.sigs.is_empty()
                || TORCH_MODULES.contains(&key.as_str())
                || crate::eval::prelude_modules::exists(key)
                || key == "torch.Tensor";
            assert!(
                known,
                "{key} is documented but neither in a signature table nor has sig:"
            );
        }
    }
}
