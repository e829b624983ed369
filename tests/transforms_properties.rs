//! Property tests of the function transforms (`torch.func` and `torch.autograd.functional`)
//! on random composite float64 functions: every Jacobian, Hessian and vmap spelling must agree
//! with the others and with central finite differences computed in the cell itself.
//!
//! Each property runs 50 seeded cases; a failing case is shrunk and printed as the smallest
//! cell that still fails (it runs after `common::harness::PRELUDE`). Run with `--nocapture` to
//! see the pass/fail counts.

mod common;

use common::harness::{PRELUDE, property};
use common::program::{Built, Config, Shape, literal, tuple};
use common::rng::Rng;

const CASES: usize = 50;

/// Ops whose forward-mode rule is missing, so their tangent comes out zero (bug:
/// `bug_forward_mode_of_gather_index_select_max_dim`); properties using jacfwd/jvp leave them out.
const FORWARD_GAPS: &[&str] = &["gather", "index_select"];

/// A fresh random literal of `shape`.
fn lit(rng: &mut Rng, shape: &[usize]) -> String {
    literal(rng.next_u64(), shape)
}

fn with_batch(at: usize, size: usize, shape: &[usize]) -> Shape {
    let mut s = shape.to_vec();
    s.insert(at, size);
    s
}

/// Every Jacobian spelling against finite differences and against each other.
fn jacobian_cell(_: &Built, _: &mut Rng) -> String {
    r#"J = fd_jac(f, x)
approx("jacrev~fd", lambda: jacrev(f)(x), lambda: J)
approx("jacfwd~fd", lambda: jacfwd(f)(x), lambda: J)
approx("jacobian~fd", lambda: AF.jacobian(f, x), lambda: J)
approx("jacobian(vectorize)~fd", lambda: AF.jacobian(f, x, vectorize=True), lambda: J)
approx("jacobian(forward-mode)~fd", lambda: AF.jacobian(f, x, vectorize=True, strategy="forward-mode"), lambda: J)
check("jacfwd~jacrev", lambda: jacfwd(f)(x), lambda: jacrev(f)(x))
check("jacobian~jacrev", lambda: AF.jacobian(f, x), lambda: jacrev(f)(x))
check("jacobian(forward-mode)~jacfwd", lambda: AF.jacobian(f, x, vectorize=True, strategy="forward-mode"), lambda: jacfwd(f)(x))
check("jacrev(chunk_size=1)~jacrev", lambda: jacrev(f, chunk_size=1)(x), lambda: jacrev(f)(x))
"#
    .to_string()
}

fn jacobian_config(exclude: &'static [&'static str]) -> Config {
    Config {
        exclude,
        ..Config::unary()
    }
}

#[test]
fn jacobians_agree_with_each_other_and_finite_differences() {
    property(
        "jacobians",
        1,
        CASES,
        jacobian_config(FORWARD_GAPS),
        jacobian_cell,
    );
}

/// Hessians of a scalar function: symmetric, and equal however they are spelled.
fn hessian_cell(_: &Built, _: &mut Rng) -> String {
    r#"H = once(lambda: hessian(f)(x))
n = x.numel()
check("hessian-symmetric", lambda: H().reshape(n, n), lambda: H().reshape(n, n).T, 1e-9, 1e-12)
approx("hessian~fd(grad)", H, lambda: fd_jac(grad(f), x))
check("hessian~jacfwd(jacrev)", H, lambda: jacfwd(jacrev(f))(x))
check("hessian~jacrev(jacrev)", H, lambda: jacrev(jacrev(f))(x))
check("AF.hessian~hessian", lambda: AF.hessian(f, x), H)
check("AF.hessian(vectorize)~hessian", lambda: AF.hessian(f, x, vectorize=True), H)
check("grad~jacrev", lambda: grad(f)(x), lambda: jacrev(f)(x))
"#
    .to_string()
}

fn hessian_config(exclude: &'static [&'static str]) -> Config {
    Config {
        scalar: true,
        max_in_numel: 8,
        exclude,
        ..Config::unary()
    }
}

#[test]
fn hessians_are_symmetric_and_agree() {
    property(
        "hessians",
        2,
        CASES,
        hessian_config(FORWARD_GAPS),
        hessian_cell,
    );
}

/// `vmap(f)` against a Python loop, over every in_dims/out_dims spelling.
fn vmap_cell(b: &Built, rng: &mut Rng) -> String {
    let s = &b.x_shape;
    let (n, n2) = (rng.range(1, 4), rng.range(1, 3));
    let mut cell = format!(
        "X0 = {}\nXl = {}\nW = {}\nXX = {}\n",
        lit(rng, &with_batch(0, n, s)),
        lit(rng, &with_batch(s.len(), n, s)),
        lit(rng, s),
        lit(rng, &with_batch(0, n, &with_batch(0, n2, s))),
    );
    cell.push_str(&format!(
        r#"check("vmap(in_dims=0)", lambda: vmap(f)(X0), lambda: stack_map(f, X0))
check("vmap(in_dims=-1)", lambda: vmap(f, in_dims=-1)(Xl), lambda: torch.stack([f(Xl.select(-1, i)) for i in range({n})]))
check("vmap(in_dims=(0,None))", lambda: vmap(lambda x, w: f(x * w), in_dims=(0, None))(X0, W), lambda: stack_map(lambda x: f(x * W), X0))
check("vmap(in_dims=(None,0))", lambda: vmap(lambda w, x: f(w * x), in_dims=(None, 0))(W, X0), lambda: stack_map(lambda x: f(W * x), X0))
check("vmap(chunk_size=1)", lambda: vmap(f, chunk_size=1)(X0), lambda: stack_map(f, X0))
check("vmap(vmap)", lambda: vmap(vmap(f))(XX), lambda: torch.stack([stack_map(f, row) for row in XX]))
check("vmap(vmap,in_dims=1)", lambda: vmap(vmap(f), in_dims=1)(XX), lambda: torch.stack([stack_map(f, XX.select(1, i)) for i in range({n2})]))
check("vmap(vmap(in_dims=(0,None)),in_dims=(None,0))", lambda: vmap(vmap(lambda x, w: f(x * w), in_dims=(0, None)), in_dims=(None, 0))(X0, X0), lambda: torch.stack([stack_map(lambda x: f(x * w), X0) for w in X0]))
"#
    ));
    if !s.is_empty() {
        let x1 = lit(rng, &with_batch(1, n, s));
        cell.push_str(&format!(
            "X1 = {x1}\ncheck(\"vmap(in_dims=1)\", lambda: vmap(f, in_dims=1)(X1), lambda: torch.stack([f(X1.select(1, i)) for i in range({n})]))\n"
        ));
    }
    if !b.out_shape.is_empty() {
        cell.push_str(
            r#"check("vmap(out_dims=1)", lambda: vmap(f, out_dims=1)(X0), lambda: stack_map(f, X0, 1))
check("vmap(out_dims=-1)", lambda: vmap(f, out_dims=-1)(X0), lambda: stack_map(f, X0, -1))
check("vmap(vmap(out_dims=1),out_dims=1)", lambda: vmap(vmap(f, out_dims=1), out_dims=1)(XX), lambda: torch.stack([stack_map(f, row, 1) for row in XX], dim=1))
"#,
        );
    }
    cell
}

#[test]
fn vmap_equals_the_python_loop() {
    property("vmap", 3, CASES, Config::unary(), vmap_cell);
}

#[test]
fn vmap_of_transforms_equals_the_python_loop() {
    let cfg = Config {
        max_in_numel: 12,
        exclude: FORWARD_GAPS,
        max_numel: 24,
        ..Config::unary()
    };
    property("vmap_of_transforms", 4, CASES, cfg, |b, rng| {
        let n = rng.range(1, 3);
        let x0 = lit(rng, &with_batch(0, n, &b.x_shape));
        format!(
            r#"X0 = {x0}
s = lambda x: f(x).sum()
check("vmap(jacrev)", lambda: vmap(jacrev(f))(X0), lambda: stack_map(jacrev(f), X0))
check("vmap(jacfwd)", lambda: vmap(jacfwd(f))(X0), lambda: stack_map(jacrev(f), X0))
approx("vmap(jacrev)~fd", lambda: vmap(jacrev(f))(X0), lambda: stack_map(lambda x: fd_jac(f, x), X0))
check("vmap(grad)", lambda: vmap(grad(s))(X0), lambda: stack_map(grad(s), X0))
check("vmap(hessian)", lambda: vmap(hessian(s))(X0), lambda: stack_map(jacrev(jacrev(s)), X0))
check("vmap(vjp)", lambda: vmap(lambda x: vjp(f, x)[1](f(x))[0])(X0), lambda: stack_map(lambda x: vjp(f, x)[1](f(x))[0], X0))
check("vmap(jvp)", lambda: vmap(lambda x: jvp(f, (x,), (x,))[1])(X0), lambda: stack_map(lambda x: jvp(f, (x,), (x,))[1], X0))
check("jacrev(vmap)", lambda: jacrev(vmap(f))(X0), lambda: jacrev(lambda X: stack_map(f, X))(X0))
check("jacfwd(vmap)", lambda: jacfwd(vmap(f))(X0), lambda: jacrev(lambda X: stack_map(f, X))(X0))
check("grad(vmap)", lambda: grad(lambda X: vmap(f)(X).sum())(X0), lambda: grad(lambda X: stack_map(f, X).sum())(X0))
"#
        )
    });
}

/// grad(grad(..)) of a scalar function of a scalar.
fn nested_grad_cell(b: &Built, rng: &mut Rng) -> String {
    let dir = lit(rng, &b.x_shape);
    let t = rng.coeff();
    format!(
        r#"d = {dir}
fs = lambda x: f(x).sum()
def g(t):
    return fs(x + t * d)
t = torch.tensor({t:.2}, dtype=torch.float64)
n = x.numel()
check("grad(grad)~hessian", lambda: grad(grad(g))(t), lambda: hessian(g)(t))
approx("grad(grad)~fd", lambda: grad(grad(g))(t), lambda: fd_jac(grad(g), t))
approx("grad(grad(grad))~fd", lambda: grad(grad(grad(g)))(t), lambda: fd_jac(grad(grad(g)), t))
check("grad(grad)~directional", lambda: grad(grad(g))(t), lambda: d.reshape(-1) @ hessian(fs)(x + t * d).reshape(n, n) @ d.reshape(-1))
"#
    )
}

/// Every order-2 Jacobian spelling of a (non-scalar) function.
fn second_jacobian_cell(_: &Built, _: &mut Rng) -> String {
    r#"K = once(lambda: jacfwd(jacrev(f))(x))
check("jacfwd(jacrev)~jacrev(jacrev)", K, lambda: jacrev(jacrev(f))(x))
check("jacfwd(jacrev)~jacfwd(jacfwd)", K, lambda: jacfwd(jacfwd(f))(x))
check("jacfwd(jacrev)~jacrev(jacfwd)", K, lambda: jacrev(jacfwd(f))(x))
approx("jacfwd(jacrev)~fd", K, lambda: fd_jac(jacrev(f), x))
approx("jacfwd(jacfwd)~fd", lambda: jacfwd(jacfwd(f))(x), lambda: fd_jac(jacfwd(f), x))
check("AF.jacobian(create_graph)", lambda: AF.jacobian(lambda x: AF.jacobian(f, x, create_graph=True), x), K)
"#
    .to_string()
}

fn higher_order_config(exclude: &'static [&'static str]) -> Config {
    Config {
        max_in_numel: 4,
        max_numel: 8,
        exclude,
        ..Config::unary()
    }
}

#[test]
fn nested_grads_agree() {
    property(
        "nested_grads",
        5,
        CASES,
        higher_order_config(FORWARD_GAPS),
        nested_grad_cell,
    );
}

#[test]
fn second_order_jacobians_agree() {
    property(
        "second_order_jacobians",
        10,
        CASES,
        higher_order_config(FORWARD_GAPS),
        second_jacobian_cell,
    );
}

/// Two-input cells also define `v` (a cotangent like the output) and tangents `tx`, `ty`.
fn two_input_vectors(b: &Built, rng: &mut Rng) -> String {
    let y_shape = b.y_shape.clone().unwrap_or_default();
    format!(
        "v = {}\ntx = {}\nty = {}\nout_shape = {}\n",
        lit(rng, &b.out_shape),
        lit(rng, &b.x_shape),
        lit(rng, &y_shape),
        tuple(&b.out_shape),
    )
}

#[test]
fn argnums_tuples_agree_with_finite_differences() {
    let cfg = Config {
        inputs: 2,
        max_in_numel: 6,
        max_numel: 18,
        exclude: FORWARD_GAPS,
        ..Config::unary()
    };
    property("argnums", 6, CASES, cfg, |b, rng| {
        let vectors = two_input_vectors(b, rng);
        let batch = lit(rng, &with_batch(0, 2, &b.x_shape));
        format!(
            r#"{vectors}X = {batch}
Jx = fd_jac(lambda a: f(a, y), x)
Jy = fd_jac(lambda c: f(x, c), y)
m = v.numel()
approx("jacrev(argnums=(0,1))~fd", lambda: jacrev(f, argnums=(0, 1))(x, y), lambda: (Jx, Jy))
approx("jacfwd(argnums=(0,1))~fd", lambda: jacfwd(f, argnums=(0, 1))(x, y), lambda: (Jx, Jy))
approx("jacobian((x,y))~fd", lambda: AF.jacobian(f, (x, y)), lambda: (Jx, Jy))
approx("jacobian((x,y),forward-mode)~fd", lambda: AF.jacobian(f, (x, y), vectorize=True, strategy="forward-mode"), lambda: (Jx, Jy))
check("jacrev(argnums=1)~jacfwd", lambda: jacrev(f, argnums=1)(x, y), lambda: jacfwd(f, argnums=1)(x, y))
check("jacrev(argnums=(1,0))", lambda: jacrev(f, argnums=(1, 0))(x, y), lambda: (lambda p: (p[1], p[0]))(jacrev(f, argnums=(0, 1))(x, y)))
s = lambda a, c: f(a, c).sum()
approx("grad(argnums=(0,1))~fd", lambda: grad(s, argnums=(0, 1))(x, y), lambda: (fd_jac(lambda a: s(a, y), x), fd_jac(lambda c: s(x, c), y)))
HS = once(lambda: hessian(s, argnums=(0, 1))(x, y))
check("hessian(argnums=(0,1))~jacfwd(jacrev)", HS, lambda: jacfwd(jacrev(s, argnums=(0, 1)), argnums=(0, 1))(x, y))
check("AF.hessian((x,y))~hessian", lambda: AF.hessian(s, (x, y)), HS)
Hxy = fd_jac(lambda c: grad(s)(x, c), y)
approx("hessian[0][1]~fd", lambda: HS()[0][1], lambda: Hxy)
approx("jacfwd(jacrev(argnums=0),argnums=1)~fd", lambda: jacfwd(jacrev(s, argnums=0), argnums=1)(x, y), lambda: Hxy)
approx("jacfwd(closure jacrev)~fd", lambda: jacfwd(lambda c: jacrev(lambda a: s(a, c))(x))(y), lambda: Hxy)
approx("AF.jacobian(closure AF.jacobian(create_graph))~fd", lambda: AF.jacobian(lambda c: AF.jacobian(lambda a: s(a, c), x, create_graph=True), y), lambda: Hxy)
approx("vjp(x,y)~fd", lambda: vjp(f, x, y)[1](v), lambda: ((v.reshape(-1) @ Jx.reshape(m, -1)).reshape(x.shape), (v.reshape(-1) @ Jy.reshape(m, -1)).reshape(y.shape)))
approx("jvp((x,y))~fd", lambda: jvp(f, (x, y), (tx, ty))[1], lambda: (Jx.reshape(m, -1) @ tx.reshape(-1) + Jy.reshape(m, -1) @ ty.reshape(-1)).reshape(out_shape))
check("vmap(jacrev(argnums=(0,1)),in_dims=(0,None))", lambda: vmap(jacrev(f, argnums=(0, 1)), in_dims=(0, None))(X, y), lambda: (lambda ps: (torch.stack([p[0] for p in ps]), torch.stack([p[1] for p in ps])))([jacrev(f, argnums=(0, 1))(a, y) for a in X]))
"#
        )
    });
}

#[test]
fn has_aux_returns_the_plain_derivative_and_the_aux() {
    let cfg = Config {
        inputs: 2,
        max_in_numel: 6,
        max_numel: 18,
        exclude: FORWARD_GAPS,
        ..Config::unary()
    };
    property("has_aux", 7, CASES, cfg, |b, rng| {
        let vectors = two_input_vectors(b, rng);
        format!(
            r#"{vectors}def fa(a, c):
    out = f(a, c)
    return out, {{"out": out, "pair": (out * 2, a)}}
def sa(a, c):
    out = f(a, c)
    return out.sum(), {{"out": out}}
check("jacrev(has_aux)", lambda: jacrev(fa, argnums=(0, 1), has_aux=True)(x, y)[0], lambda: jacrev(f, argnums=(0, 1))(x, y))
check("jacrev(has_aux).aux", lambda: jacrev(fa, argnums=(0, 1), has_aux=True)(x, y)[1]["pair"], lambda: (f(x, y) * 2, x))
check("jacfwd(has_aux)", lambda: jacfwd(fa, argnums=(0, 1), has_aux=True)(x, y)[0], lambda: jacrev(f, argnums=(0, 1))(x, y))
check("jacfwd(has_aux).aux", lambda: jacfwd(fa, argnums=(0, 1), has_aux=True)(x, y)[1]["out"], lambda: f(x, y))
check("grad(has_aux)", lambda: grad(sa, argnums=(0, 1), has_aux=True)(x, y)[0], lambda: grad(lambda a, c: sa(a, c)[0], argnums=(0, 1))(x, y))
check("grad(has_aux).aux", lambda: grad(sa, argnums=(0, 1), has_aux=True)(x, y)[1]["out"], lambda: f(x, y))
check("vjp(has_aux)", lambda: vjp(fa, x, y, has_aux=True)[1](v), lambda: vjp(f, x, y)[1](v))
check("vjp(has_aux).aux", lambda: vjp(fa, x, y, has_aux=True)[2]["out"], lambda: f(x, y))
check("jvp(has_aux)", lambda: jvp(fa, (x, y), (tx, ty), has_aux=True)[1], lambda: jvp(f, (x, y), (tx, ty))[1])
check("jvp(has_aux).aux", lambda: jvp(fa, (x, y), (tx, ty), has_aux=True)[2]["out"], lambda: f(x, y))
check("jacfwd(jacrev(has_aux))", lambda: jacfwd(lambda a: jacrev(fa, has_aux=True)(a, y)[0])(x), lambda: jacfwd(jacrev(f))(x, y))
check("aux-is-not-tracked", lambda: torch.tensor(jacrev(fa, has_aux=True)(x, y)[1]["out"].requires_grad), lambda: torch.tensor(False))
"#
        )
    });
}

#[test]
fn vjp_jvp_and_hvp_contract_the_jacobian() {
    property(
        "vjp_jvp",
        8,
        CASES,
        Config {
            exclude: FORWARD_GAPS,
            ..Config::unary()
        },
        |b, rng| {
            let v = lit(rng, &b.out_shape);
            let t = lit(rng, &b.x_shape);
            format!(
                r#"v = {v}
t = {t}
J = fd_jac(f, x)
m, n = v.numel(), x.numel()
approx("vjp~fd", lambda: vjp(f, x)[1](v)[0], lambda: (v.reshape(-1) @ J.reshape(m, n)).reshape(x.shape))
approx("jvp~fd", lambda: jvp(f, (x,), (t,))[1], lambda: (J.reshape(m, n) @ t.reshape(-1)).reshape(v.shape))
check("vjp.out", lambda: vjp(f, x)[0], lambda: f(x))
check("jvp.out", lambda: jvp(f, (x,), (t,))[0], lambda: f(x))
check("AF.vjp~vjp", lambda: AF.vjp(f, x, v)[1], lambda: vjp(f, x)[1](v)[0])
check("AF.jvp~jvp", lambda: AF.jvp(f, x, t)[1], lambda: jvp(f, (x,), (t,))[1])
s = lambda x: (f(x) * v).sum()
check("AF.hvp~hessian", lambda: AF.hvp(s, x, t)[1], lambda: (hessian(s)(x).reshape(n, n) @ t.reshape(-1)).reshape(x.shape))
check("AF.vhp~hessian", lambda: AF.vhp(s, x, t)[1], lambda: (t.reshape(-1) @ hessian(s)(x).reshape(n, n)).reshape(x.shape))
check("jvp(grad)~hvp", lambda: jvp(grad(s), (x,), (t,))[1], lambda: AF.hvp(s, x, t)[1])
"#
            )
        },
    );
}

/// The prelude's helpers themselves: a wrong `same` would make every property vacuous.
#[test]
fn prelude_helpers_detect_differences() {
    let mut interp = gradbook::eval::Interp::new();
    assert!(interp.run_cell(PRELUDE).error.is_none());
    let out = interp.run_cell(
        r#"a = torch.tensor([1.0, 2.0], dtype=torch.float64)
check("same", lambda: a, lambda: a.clone())
check("shape", lambda: a, lambda: a.reshape(1, 2))
check("dtype", lambda: a, lambda: a.float())
check("value", lambda: a, lambda: a + 1e-3)
check("tuple", lambda: (a, a), lambda: (a,))
check("raise", lambda: a[5], lambda: a)
approx("fd", lambda: fd_jac(lambda x: x ** 3, a), lambda: torch.diag(3 * a ** 2))
"#,
    );
    assert_eq!(out.error, None);
    assert_eq!(
        out.stdout,
        "same => True\nshape => shape (2,) vs (1, 2)\ndtype => dtype torch.float64 vs torch.float32\n\
         value => values differ by 0.0009999999999998899\ntuple => structure tuple vs tuple\n\
         raise => raised IndexError: index 5 is out of bounds for dimension 0 with size 2\n\
         fd => True\n"
    );
}

/// Runs `cell` after the prelude and asserts every check printed True.
fn assert_checks_pass(cell: &str) {
    let mut interp = gradbook::eval::Interp::new();
    assert!(interp.run_cell(PRELUDE).error.is_none());
    let out = interp.run_cell(cell);
    assert_eq!(out.error, None, "{}", out.stdout);
    let failed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.ends_with(" => True"))
        .collect();
    assert!(failed.is_empty(), "failed checks:\n{}", failed.join("\n"));
}

/// Regression: ops whose derivative reads the saved *result* (exp, tanh, sigmoid, softmax,
/// sqrt, ...) once lost the result's forward-mode tangent under forward-over-reverse, so
/// `hessian`/`jacfwd(grad(f))` returned 0 for their part. PyTorch: diag(exp(x)), ...
#[test]
fn forward_over_reverse_through_saved_results() {
    assert_checks_pass(
        r#"x = torch.tensor([0.0, 1.0], dtype=torch.float64)
check("jacfwd(grad(exp))", lambda: jacfwd(grad(lambda x: x.exp().sum()))(x), lambda: torch.diag(x.exp()))
check("hessian(tanh)", lambda: hessian(lambda x: x.tanh().sum())(x), lambda: torch.diag(-2 * x.tanh() * (1 - x.tanh() ** 2)))
check("hessian(sigmoid)", lambda: hessian(lambda x: torch.sigmoid(x).sum())(x), lambda: jacrev(jacrev(lambda x: torch.sigmoid(x).sum()))(x))
check("hessian(softmax)", lambda: hessian(lambda x: torch.softmax(x, 0)[0])(x), lambda: jacrev(jacrev(lambda x: torch.softmax(x, 0)[0]))(x))
check("jvp(grad(sqrt))", lambda: jvp(grad(lambda x: (x + 1).sqrt().sum()), (x,), (torch.ones(2, dtype=torch.float64),))[1], lambda: -0.25 * (x + 1) ** -1.5)
"#,
    );
}

/// Regression: the same lost tangent in forward-over-forward (exp's jvp is `t * result`).
#[test]
fn forward_over_forward_through_saved_results() {
    assert_checks_pass(
        r#"t = torch.tensor(1.0, dtype=torch.float64)
check("jacfwd(jacfwd(exp))", lambda: jacfwd(jacfwd(torch.exp))(t), lambda: t.exp())
check("jvp(jvp(exp))", lambda: jvp(lambda a: jvp(torch.exp, (a,), (torch.ones_like(a),))[1], (t,), (torch.ones_like(t),))[1], lambda: t.exp())
check("jacfwd(jacfwd(tanh))", lambda: jacfwd(jacfwd(torch.tanh))(t), lambda: -2 * t.tanh() * (1 - t.tanh() ** 2))
"#,
    );
}

// ---------------------------------------------------------------------------------------------
// Known bugs. Each has a smallest cell (`bug_*`) and, where a property finds it, that property
// over the full menu. Run them with `cargo test --test transforms_properties -- --ignored`;
// un-ignore each once fixed (and drop the op from the `*_GAPS` lists).

/// Bug (regression in main 50ec6eb, not in bd5c6b5): `grad(grad(f))` raises "Trying to
/// backward through the graph a second time ..." as soon as `f` is more than one op, e.g.
/// `(t * 2).sin()`, `2 * t * t` or `t.exp()` (`grad(grad(torch.sin))` and `t * t` still work;
/// `hessian`, `jacrev(jacrev(f))` and `torch.autograd.grad(..., create_graph=True)` twice are
/// right). PyTorch: `grad(grad(lambda t: (t * 2).sin()))(torch.tensor(0.5))` is
/// `tensor(-3.3659)`. Found by `nested_grads_agree`.
#[test]
fn regression_grad_of_grad_of_composite_function() {
    assert_checks_pass(
        r#"t = torch.tensor(0.5, dtype=torch.float64)
check("grad(grad(sin(2t)))", lambda: grad(grad(lambda t: (t * 2).sin()))(t), lambda: -4 * (t * 2).sin())
check("grad(grad(2*t*t))", lambda: grad(grad(lambda t: 2 * t * t))(t), lambda: torch.tensor(4.0, dtype=torch.float64))
check("grad(grad(exp))", lambda: grad(grad(torch.exp))(t), lambda: t.exp())
check("grad(grad(grad(exp)))", lambda: grad(grad(grad(torch.exp)))(t), lambda: t.exp())
"#,
    );
}

/// Bug (regression): `vmap` rejects pytree outputs nested more than one level, e.g. a tuple
/// holding a dict, which `vmap(grad(f, has_aux=True))` returns whenever the aux is a dict.
/// PyTorch maps every tensor leaf: `(tensor([[1., 2.], [4., 6.]]), {'a': tensor([1.5, 5.])})`.
#[test]
fn regression_vmap_nested_pytree_outputs() {
    assert_checks_pass(
        r#"X = torch.tensor([[0.5, 1.0], [2.0, 3.0]], dtype=torch.float64)
check("vmap(tuple of dict)", lambda: vmap(lambda r: (r * 2, {"a": r.sum()}))(X)[1]["a"], lambda: X.sum(1))
check("vmap(tuple of tuple)", lambda: vmap(lambda r: (r * 2, (r.sum(), r)))(X)[1], lambda: (X.sum(1), X))
check("vmap(grad(has_aux))", lambda: vmap(grad(lambda r: ((r ** 2).sum(), {"r": r}), has_aux=True))(X)[1]["r"], lambda: X)
"#,
    );
}

/// vmap of `grad(..., has_aux=True)` with a dict aux (finds `bug_vmap_nested_pytree_outputs`).
fn vmap_has_aux_cell(b: &Built, rng: &mut Rng) -> String {
    let batch = lit(rng, &with_batch(0, 3, &b.x_shape));
    format!(
        r#"X = {batch}
def sa(a, c):
    out = f(a, c)
    return out.sum(), {{"out": out}}
check("vmap(grad(has_aux))", lambda: vmap(grad(sa, has_aux=True), in_dims=(0, None))(X, y)[0], lambda: stack_map(lambda a: grad(sa, has_aux=True)(a, y)[0], X))
check("vmap(grad(has_aux)).aux", lambda: vmap(grad(sa, has_aux=True), in_dims=(0, None))(X, y)[1]["out"], lambda: stack_map(lambda a: f(a, y), X))
"#
    )
}

#[test]
fn vmap_of_grad_with_aux() {
    let cfg = Config {
        inputs: 2,
        max_in_numel: 6,
        max_numel: 18,
        ..Config::unary()
    };
    property("vmap_has_aux", 11, CASES, cfg, vmap_has_aux_cell);
}

/// Bug (regression since fd51ad9): `torch.autograd.functional.hessian(..., vectorize=True,
/// outer_jacobian_strategy="forward-mode")` raises functorch's "You are attempting to call
/// Tensor.requires_grad_() ... inside of a function being transformed" error. PyTorch
/// vectorizes `autograd.functional` with its legacy internal vmap, which allows that, and
/// returns the Hessian: tensor([[3., 0.], [0., 6.]]).
#[test]
fn regression_functional_hessian_forward_mode_strategy() {
    assert_checks_pass(
        r#"x = torch.tensor([0.5, 1.0], dtype=torch.float64)
check("AF.hessian(forward-mode)", lambda: AF.hessian(lambda x: (x ** 3).sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode"), lambda: torch.diag(6 * x))
"#,
    );
}

fn functional_hessian_forward_cell(_: &Built, _: &mut Rng) -> String {
    r#"check("AF.hessian(forward-mode)~hessian", lambda: AF.hessian(f, x, vectorize=True, outer_jacobian_strategy="forward-mode"), lambda: hessian(f)(x))
"#
    .to_string()
}

#[test]
fn functional_hessian_forward_mode_strategy() {
    property(
        "functional_hessian_forward",
        12,
        CASES,
        hessian_config(FORWARD_GAPS),
        functional_hessian_forward_cell,
    );
}

/// Bug: reverse-over-reverse with respect to a variable the inner transform does not
/// differentiate (another argnum, or one it closes over) returns zeros. The inner transform
/// keeps its graph (`create_graph`) only when one of *its own* primals requires grad
/// (`functional::grad_inputs` returns `outer` from the primals alone), so here it releases a
/// result detached from the outer variable. Forward-over-reverse and
/// `torch.autograd.functional` (explicit create_graph) get it right. PyTorch: ones / eye.
#[test]
fn regression_reverse_over_reverse_wrt_other_variable() {
    assert_checks_pass(
        r#"a = torch.tensor([0.3, -0.2], dtype=torch.float64)
b = torch.tensor([0.1, 0.7], dtype=torch.float64)
check("grad(closure grad)", lambda: grad(lambda b: grad(lambda a: (a * b).sum())(a).sum())(b), lambda: torch.ones(2, dtype=torch.float64))
check("jacrev(jacrev(argnums=0),argnums=1)", lambda: jacrev(jacrev(lambda a, b: (a * b).sum(), argnums=0), argnums=1)(a, b), lambda: torch.eye(2, dtype=torch.float64))
check("vjp(grad closure)", lambda: vjp(lambda b: grad(lambda a: (a * b).sum())(a), b)[1](torch.ones(2, dtype=torch.float64))[0], lambda: torch.ones(2, dtype=torch.float64))
"#,
    );
}

/// Cross derivatives of random two-input programs by reverse-over-reverse (finds
/// `bug_reverse_over_reverse_wrt_other_variable`).
fn cross_derivative_cell(_: &Built, _: &mut Rng) -> String {
    r#"s = lambda a, c: f(a, c).sum()
Hxy = fd_jac(lambda c: grad(s)(x, c), y)
approx("jacrev(jacrev(argnums=0),argnums=1)~fd", lambda: jacrev(jacrev(s, argnums=0), argnums=1)(x, y), lambda: Hxy)
approx("jacrev(closure jacrev)~fd", lambda: jacrev(lambda c: jacrev(lambda a: s(a, c))(x))(y), lambda: Hxy)
approx("hessian~jacrev(jacrev(argnums=(0,1)))", lambda: hessian(s, argnums=(0, 1))(x, y), lambda: jacrev(jacrev(s, argnums=(0, 1)), argnums=(0, 1))(x, y))
"#
    .to_string()
}

#[test]
fn cross_derivatives_by_reverse_over_reverse() {
    let cfg = Config {
        inputs: 2,
        max_in_numel: 6,
        max_numel: 18,
        exclude: FORWARD_GAPS,
        ..Config::unary()
    };
    property("cross_derivatives", 9, CASES, cfg, cross_derivative_cell);
}

/// Bug: forward mode is wrong for `gather`, `index_select` and the values of
/// `max(dim)`/`min(dim)`: `jvp` silently returns a zero tangent (index_select along dim > 0,
/// gather, max/min(dim)), and `jacfwd` (a vmapped jvp since 1d31100) raises for gather ("Index
/// tensor must have the same number of dimensions as src tensor") and index_select ("source
/// tensor shape must match self tensor shape, ..."). PyTorch has jvp formulas for all of them;
/// reverse mode and `torch.autograd.functional`'s forward-mode strategy are right.
#[test]
fn regression_forward_mode_of_gather_index_select_max_dim() {
    assert_checks_pass(
        r#"x = torch.tensor([[0.1, -0.7, 0.3], [0.4, 0.5, -0.6]], dtype=torch.float64)
check("jacfwd(gather)", lambda: jacfwd(lambda r: r.gather(1, torch.tensor([[2], [0]])))(x), lambda: jacrev(lambda r: r.gather(1, torch.tensor([[2], [0]])))(x))
check("jvp(index_select dim 1)", lambda: jvp(lambda r: r.index_select(1, torch.tensor([2, 0])), (x,), (torch.ones_like(x),))[1], lambda: torch.ones(2, 2, dtype=torch.float64))
check("jacfwd(index_select dim 0)", lambda: jacfwd(lambda r: r.index_select(0, torch.tensor([1])))(x[0]), lambda: torch.tensor([[0.0, 1.0, 0.0]], dtype=torch.float64))
check("jacfwd(max(dim))", lambda: jacfwd(lambda r: r.max(dim=1).values)(x), lambda: jacrev(lambda r: r.max(dim=1).values)(x))
check("jvp(min(dim))", lambda: jvp(lambda r: r.min(dim=1).values, (x,), (torch.ones_like(x),))[1], lambda: torch.ones(2, dtype=torch.float64))
"#,
    );
}

#[test]
fn jacobians_over_the_full_menu() {
    property(
        "jacobians_full_menu",
        1,
        CASES,
        jacobian_config(&[]),
        jacobian_cell,
    );
}

/// Bug: forward mode ignores the tangent of the value assigned by `__setitem__`: the
/// assigned slice keeps the tangent it had before (or none, for a fresh `torch.zeros`), while
/// reverse mode is right. PyTorch (forward AD propagates `copy_` into a view to its base):
/// jvp = tensor([5., 1., 1.]) and tensor([0., 1., 0.]).
#[test]
fn regression_forward_mode_through_setitem() {
    assert_checks_pass(
        r#"x = torch.tensor([0.3, -0.2, 0.5], dtype=torch.float64)
one = torch.ones(3, dtype=torch.float64)
def d(r):
    y = r * 1
    y[0] = r[1] * 5
    return y
def c(r):
    y = torch.zeros(3, dtype=torch.float64)
    y[0] = r[1]
    return y
check("jvp(setitem)", lambda: jvp(d, (x,), (one,))[1], lambda: torch.tensor([5.0, 1.0, 1.0], dtype=torch.float64))
check("jacfwd(setitem)~jacrev", lambda: jacfwd(d)(x), lambda: jacrev(d)(x))
check("jvp(setitem into zeros)", lambda: jvp(c, (x,), (one,))[1], lambda: torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64))
"#,
    );
}
