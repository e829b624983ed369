//! Completion candidates against a real notebook session.

use super::*;

fn names(nb: &mut Notebook, line: &str) -> (usize, Vec<String>) {
    complete(nb, line, line.len())
}

#[test]
fn names_in_scope_builtins_and_keywords() {
    let mut nb = Notebook::new(0);
    nb.run("alpha = 1\nalphabet = 2");
    assert_eq!(
        names(&mut nb, "x = alp"),
        (4, vec!["alpha".into(), "alphabet".into()])
    );
    let (_, hits) = names(&mut nb, "le");
    assert!(hits.contains(&"len".to_string()), "{hits:?}");
    let (_, hits) = names(&mut nb, "lam");
    assert_eq!(hits, vec!["lambda"]);
    // Private names only on request.
    let (_, hits) = names(&mut nb, "_");
    assert!(hits.contains(&"_i1".to_string()), "{hits:?}");
    assert!(!names(&mut nb, "").1.iter().any(|h| h.starts_with('_')));
}

#[test]
fn magics_after_percent() {
    let mut nb = Notebook::new(0);
    assert_eq!(
        names(&mut nb, "%wh"),
        (0, vec!["%who".into(), "%whos".into()])
    );
    assert_eq!(
        names(&mut nb, "%ti"),
        (0, vec!["%time".into(), "%timeit".into()])
    );
}

#[test]
fn files_after_load_run_and_save() {
    let dir = std::env::temp_dir().join(format!("gradbook-complete-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap_or_default();
    for f in ["a.py", "a.session", "b.txt", ".hidden.py"] {
        std::fs::write(dir.join(f), "").unwrap_or_default();
    }
    let d = format!("{}/", dir.display());
    let mut nb = Notebook::new(0);
    let line = format!("%load {d}");
    let (start, hits) = names(&mut nb, &line);
    assert_eq!(start, 6);
    assert_eq!(
        hits,
        vec![
            format!("{d}a.py"),
            format!("{d}a.session"),
            format!("{d}sub/")
        ]
    );
    let line = format!("%save {d}a");
    assert_eq!(names(&mut nb, &line).1, vec![format!("{d}a.session")]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_function_keywords_inside_the_call() {
    let mut nb = Notebook::new(0);
    nb.run("def scale(x, factor=2):\n    return x * factor");
    let (start, hits) = names(&mut nb, "scale(1, fa");
    assert_eq!(start, 9);
    assert_eq!(hits, vec!["factor=".to_string()]);
    // Not after a closed call.
    assert!(
        !names(&mut nb, "scale(1) + fa")
            .1
            .contains(&"factor=".to_string())
    );
}

#[test]
fn members_walk_modules_only() {
    let mut nb = Notebook::new(0);
    nb.run("import math\nxs = [1]");
    let (start, hits) = names(&mut nb, "math.sq");
    assert_eq!(start, 5);
    assert_eq!(hits, vec!["sqrt".to_string()]);
    let (_, hits) = names(&mut nb, "xs.app");
    assert_eq!(hits, vec!["append".to_string()]);
    // A call's result is never evaluated to complete after it.
    assert!(names(&mut nb, "f().x").1.is_empty());
}

#[test]
fn parameter_names_from_signatures() {
    assert_eq!(
        param_names(
            "sum(Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)"
        ),
        vec!["input", "dim", "keepdim", "dtype"]
    );
    assert_eq!(
        param_names("backward(Tensor self, Tensor? gradient=None)"),
        vec!["gradient"]
    );
    assert_eq!(
        param_names("def jacrev(func, argnums=0, *, has_aux=False)"),
        vec!["func", "argnums", "has_aux"]
    );
    assert_eq!(param_names("len(obj, /)"), vec!["obj"]);
    assert!(param_names("nonsense").is_empty());
}

#[test]
fn torch_members_come_from_the_help_table() {
    let mut nb = Notebook::new(0);
    nb.run("import torch\nimport torch.nn.functional as F\nt = torch.ones(2)");
    let (start, hits) = names(&mut nb, "y = torch.ones_l");
    assert_eq!((start, hits), (10, vec!["ones_like".to_string()]));
    // Submodules and dtypes are members too, though not functions.
    let (_, hits) = names(&mut nb, "torch.");
    for want in ["autograd", "float32", "func", "jacobian", "exp"] {
        assert_eq!(
            hits.contains(&want.to_string()),
            want != "jacobian",
            "{want}: {hits:?}"
        );
    }
    assert_eq!(names(&mut nb, "torch.func.jacr").1, vec!["jacrev"]);
    assert_eq!(names(&mut nb, "F.rel").1, vec!["relu"]);
    for hit in names(&mut nb, "torch.").1 {
        // Every function offered has help.
        let key = format!("torch.{hit}");
        let is_function = super::table::keys().contains(&key);
        let is_data = !matches!(
            crate::eval::torch::import("torch"),
            Some(crate::eval::Value::Module(m)) if matches!(m.attrs.borrow().get(&hit), Some(crate::eval::Value::Native(_)))
        );
        assert!(is_function || is_data, "{key} offered without help");
    }
}

#[test]
fn tensor_methods_attributes_and_keywords() {
    let mut nb = Notebook::new(0);
    nb.run("import torch\nt = torch.ones(2, requires_grad=True)");
    let (start, hits) = names(&mut nb, "t.backw");
    assert_eq!((start, hits), (2, vec!["backward".to_string()]));
    let hits = names(&mut nb, "t.gra").1;
    assert!(
        hits.contains(&"grad".to_string()) && hits.contains(&"grad_fn".to_string()),
        "{hits:?}"
    );
    let (_, hits) = names(&mut nb, "t.sum(keep");
    assert_eq!(hits, vec!["keepdim=".to_string()]);
    // Keywords come first (`=` sorts before letters), names in scope after them.
    let (_, hits) = names(&mut nb, "torch.func.jacrev(f, has");
    assert_eq!(hits, vec!["has_aux=", "hasattr", "hash"]);
    let (_, hits) = names(&mut nb, "torch.autograd.grad(y, x, create");
    assert_eq!(hits, vec!["create_graph=".to_string()]);
}

#[test]
fn modules_after_import_and_keywords_first_in_a_call() {
    let mut nb = Notebook::new(0);
    assert_eq!(names(&mut nb, "import to"), (7, vec!["torch".into()]));
    let (start, hits) = names(&mut nb, "import torch.au");
    assert_eq!(start, 7);
    assert_eq!(hits, vec!["torch.autograd"]);
    assert_eq!(
        names(&mut nb, "import torch.autograd.").1,
        vec![
            "torch.autograd.forward_ad",
            "torch.autograd.function",
            "torch.autograd.functional",
            "torch.autograd.graph"
        ]
    );
    assert_eq!(names(&mut nb, "from ma").1, vec!["math"]);
    assert_eq!(names(&mut nb, "import math, func").1, vec!["functools"]);
    nb.run("import torch\ndata = 1");
    let (_, hits) = names(&mut nb, "torch.sum(x, d");
    assert_eq!(hits.first().map(String::as_str), Some("dim="), "{hits:?}");
    assert!(hits.contains(&"data".to_string()), "{hits:?}");
    assert!(hits.iter().position(|h| h == "dtype=") < hits.iter().position(|h| h == "data"));
}
