//! Runs generated cells in a fresh interpreter, reads their `label result` lines, and shrinks a
//! failing case to the smallest program that still fails the same check.

use super::program::{Built, Config, Program};
use super::rng::Rng;
use gradbook::eval::Interp;
use gradbook::session::{CellRunner, PanicGuard, with_big_stack};

/// Helpers every cell may use. `check(label, got, want)` prints `label => True` or
/// `label => <why>`;
/// both sides are thunks so an exception fails that one check, not the whole cell.
pub const PRELUDE: &str = r#"import torch
from torch.func import jacrev, jacfwd, hessian, vmap, grad, vjp, jvp
import torch.autograd.functional as AF
def same(a, b, rtol, atol):
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            return "structure " + type(a).__name__ + " vs " + type(b).__name__
        for p, q in zip(a, b):
            r = same(p, q, rtol, atol)
            if r is not True:
                return r
        return True
    if a.shape != b.shape:
        return "shape " + str(tuple(a.shape)) + " vs " + str(tuple(b.shape))
    if a.dtype != b.dtype:
        return "dtype " + str(a.dtype) + " vs " + str(b.dtype)
    if not torch.allclose(a, b, rtol=rtol, atol=atol):
        return "values differ by " + str((a - b).abs().max().item())
    return True
def check(label, got, want, rtol=1e-7, atol=1e-10):
    try:
        r = same(got(), want(), rtol, atol)
    except Exception as e:
        r = "raised " + type(e).__name__ + ": " + str(e)
    print(label, "=>", r)
def approx(label, got, want):
    check(label, got, want, 1e-5, 1e-6)
def fd_jac(f, x, eps=1e-6):
    y = f(x)
    n = x.numel()
    E = torch.eye(n, dtype=torch.float64)
    cols = [(f(x + E[i].reshape(x.shape) * eps) - f(x - E[i].reshape(x.shape) * eps)) / (2 * eps) for i in range(n)]
    return torch.stack(cols, dim=-1).reshape(tuple(y.shape) + tuple(x.shape))
def once(thunk):
    box = []
    def get():
        if not box:
            box.append(thunk())
        return box[0]
    return get
def stack_map(f, X, dim=0):
    return torch.stack([f(x) for x in X], dim=dim)
"#;

/// One failing check of one case, after shrinking.
#[derive(Debug)]
pub struct Failure {
    pub case: usize,
    pub label: String,
    pub detail: String,
    /// The smallest failing cell (it runs after `PRELUDE`).
    pub cell: String,
}

/// What one cell reported: (label, result) per check; any other printed line is a failure.
fn run_cell(cell: &str) -> Vec<(String, String)> {
    let mut interp = PanicGuard(Interp::new());
    let pre = interp.run_cell(PRELUDE);
    assert!(pre.error.is_none(), "prelude failed: {:?}", pre.error);
    let out = interp.run_cell(cell);
    let mut results: Vec<(String, String)> = out
        .stdout
        .lines()
        .map(|line| match line.split_once(" => ") {
            Some((label, result)) => (label.to_string(), result.to_string()),
            None => (line.to_string(), String::new()),
        })
        .collect();
    if let Some(e) = out.error {
        results.push(("cell".into(), format!("raised {e}")));
    }
    results
}

fn first_failure(results: &[(String, String)]) -> Option<&(String, String)> {
    results.iter().find(|(_, r)| r != "True")
}

/// Runs `cases` random programs through `cell` (which writes the checks for one program; its
/// Rng is the case's own, so a shrunk program gets the same batch sizes and seeds). Panics
/// with every failure's smallest cell; prints the pass/fail counts.
pub fn property<F>(name: &'static str, seed: u64, cases: usize, cfg: Config, cell: F)
where
    F: Fn(&Built, &mut Rng) -> String + Send + 'static,
{
    // Deeper runs on demand, e.g. `PROPTEST_CASES=500 PROPTEST_SEED=7`; the default run is
    // fixed so it is deterministic.
    let cases = env_number("PROPTEST_CASES").map_or(cases, |n| n as usize);
    let seed = seed.wrapping_add(env_number("PROPTEST_SEED").unwrap_or(0) << 32);
    let report = with_big_stack(move || run_property(name, seed, cases, &cfg, &cell));
    match report {
        Ok(Ok(summary)) => eprintln!("{summary}"),
        Ok(Err(failures)) => panic!("{failures}"),
        Err(_) => panic!("{name}: the property thread panicked"),
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

fn run_property<F>(
    name: &str,
    seed: u64,
    cases: usize,
    cfg: &Config,
    cell: &F,
) -> Result<String, String>
where
    F: Fn(&Built, &mut Rng) -> String,
{
    let mut rng = Rng::new(seed);
    let (mut checks, mut failed) = (0, 0);
    let mut failures: Vec<Failure> = vec![];
    for case in 0..cases {
        let program = Program::random(&mut rng, cfg);
        let case_seed = rng.next_u64();
        let render = |p: &Program| {
            p.build(cfg).map(|b| {
                format!(
                    "{}{}{}",
                    b.source,
                    b.inputs,
                    cell(&b, &mut Rng::new(case_seed))
                )
            })
        };
        let Some(text) = render(&program) else {
            continue;
        };
        let results = run_cell(&text);
        checks += results.len();
        let bad = results.iter().filter(|(_, r)| r != "True").count();
        failed += bad;
        if let Some((label, detail)) = first_failure(&results) {
            let (cell, detail) = shrink(program, label, detail.clone(), &render);
            failures.push(Failure {
                case,
                label: label.clone(),
                detail,
                cell,
            });
        }
    }
    let summary = format!(
        "{name}: {cases} cases, {checks} checks, {} passed, {failed} failed",
        checks - failed
    );
    if failures.is_empty() {
        return Ok(summary);
    }
    let mut text = format!("{summary}\n");
    for f in &failures {
        text.push_str(&format!(
            "\n--- case {}: {} -> {}\n{}",
            f.case, f.label, f.detail, f.cell
        ));
    }
    Err(text)
}

/// Greedy shrinking: keep taking the first smaller program whose cell fails `label` again.
fn shrink<R>(mut program: Program, label: &str, mut detail: String, render: &R) -> (String, String)
where
    R: Fn(&Program) -> Option<String>,
{
    let mut text = render(&program).unwrap_or_default();
    'outer: for _ in 0..100 {
        for candidate in program.shrinks() {
            let Some(candidate_text) = render(&candidate) else {
                continue;
            };
            let results = run_cell(&candidate_text);
            if let Some((_, r)) = results.iter().find(|(l, r)| l == label && r != "True") {
                detail = r.clone();
                program = candidate;
                text = candidate_text;
                continue 'outer;
            }
        }
        break;
    }
    (text, detail)
}
