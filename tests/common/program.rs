//! Random composite functions `f(x)` / `f(x, y)` in float64, rendered as Python source.
//!
//! A program is an input shape plus a list of ops from a fixed menu. Each op is applied to the
//! latest temporary given its shape, so ops store only raw random choices (reduced modulo the
//! current rank/size when applied): dropping an op or shrinking the input keeps the rest valid
//! whenever possible, which is what makes shrinking a failing case cheap.

use super::rng::Rng;

pub type Shape = Vec<usize>;

/// Limits that keep finite differences accurate and every cell fast.
#[derive(Clone, Debug)]
pub struct Config {
    /// 1 = `f(x)`, 2 = `f(x, y)` with `y` shaped like trailing dims of `x`, multiplied in.
    pub inputs: usize,
    /// Reduce the result to a 0-dim tensor (for grad/hessian).
    pub scalar: bool,
    /// Largest numel of the input `x`.
    pub max_in_numel: usize,
    /// Largest numel of any temporary.
    pub max_numel: usize,
    /// Menu entries (`Op::kind`) not to generate.
    pub exclude: &'static [&'static str],
}

impl Config {
    pub fn unary() -> Config {
        Config {
            inputs: 1,
            scalar: false,
            max_in_numel: 24,
            max_numel: 48,
            exclude: &[],
        }
    }
}

/// Largest rank of any temporary.
const MAX_NDIM: usize = 4;
/// Largest bound on |value|: keeps exp from overflowing and finite differences well scaled.
const MAX_BOUND: f64 = 40.0;

#[derive(Clone, Debug)]
pub enum Op {
    Sin(usize),
    Tanh(usize),
    /// Only applied while |value| <= 3.
    Exp(usize),
    /// 0: `h ** 2`, 1: `h.pow(3)`, 2: `torch.pow(h * h + 1, 1.5)` (a fractional power of a
    /// positive base).
    Pow(usize),
    /// Times a constant shaped like the last `suffix % (ndim + 1)` dims (0 = Python float).
    MulConst {
        seed: u64,
        suffix: usize,
    },
    /// Times an earlier temporary (or an input), broadcasting.
    MulPrev {
        pick: usize,
    },
    MatmulRight {
        seed: u64,
        k: usize,
    },
    MatmulLeft {
        seed: u64,
        k: usize,
    },
    /// `h @ h.transpose(-2, -1)` (a Gram matrix) or `h @ h` (1-D: a dot product): both operands
    /// are variables, so both are batched under vmap.
    MatmulSelf,
    Linear {
        seed: u64,
        k: usize,
        bias: bool,
    },
    Sum {
        dim: Option<usize>,
        keepdim: bool,
    },
    Mean {
        dim: Option<usize>,
        keepdim: bool,
    },
    Softmax {
        dim: usize,
        spelling: usize,
    },
    Reshape,
    Flatten,
    Transpose {
        a: usize,
        b: usize,
    },
    Unsqueeze {
        dim: usize,
    },
    Select {
        dim: usize,
        index: usize,
    },
    Slice {
        start: usize,
    },
    /// Advanced indexing along dim 0 with a (possibly repeating) index tensor.
    Take {
        seed: u64,
        len: usize,
    },
    /// `h.gather(dim, index)` with a random index tensor (`len` along `dim`).
    Gather {
        dim: usize,
        seed: u64,
        len: usize,
    },
    IndexSelect {
        dim: usize,
        seed: u64,
        len: usize,
    },
}

impl Op {
    /// The menu entry, as named in `Config::exclude`.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Sin(_) => "sin",
            Op::Tanh(_) => "tanh",
            Op::Exp(_) => "exp",
            Op::Pow(_) => "pow",
            Op::MulConst { .. } => "mul_const",
            Op::MulPrev { .. } => "mul",
            Op::MatmulRight { .. } | Op::MatmulLeft { .. } | Op::MatmulSelf => "matmul",
            Op::Linear { .. } => "linear",
            Op::Sum { .. } => "sum",
            Op::Mean { .. } => "mean",
            Op::Softmax { .. } => "softmax",
            Op::Reshape | Op::Flatten => "reshape",
            Op::Transpose { .. } => "transpose",
            Op::Unsqueeze { .. } => "unsqueeze",
            Op::Select { .. } | Op::Slice { .. } => "index",
            Op::Take { .. } => "take",
            Op::Gather { .. } => "gather",
            Op::IndexSelect { .. } => "index_select",
        }
    }

    fn random(rng: &mut Rng) -> Op {
        let v = rng.below(1 << 16);
        let seed = rng.next_u64();
        let k = rng.range(1, 4);
        match rng.below(22) {
            0 => Op::Sin(v),
            1 => Op::Tanh(v),
            2 => Op::Exp(v),
            3 => Op::Pow(v),
            4 => Op::MulConst { seed, suffix: v },
            5 | 6 => Op::MulPrev { pick: v },
            7 => Op::MatmulRight { seed, k },
            8 => Op::MatmulLeft { seed, k },
            9 => Op::Linear {
                seed,
                k,
                bias: v.is_multiple_of(2),
            },
            10 => Op::Sum {
                dim: (!v.is_multiple_of(4)).then_some(v / 4),
                keepdim: v.is_multiple_of(3),
            },
            11 => Op::Mean {
                dim: (!v.is_multiple_of(4)).then_some(v / 4),
                keepdim: v.is_multiple_of(3),
            },
            12 => Op::Softmax {
                dim: v,
                spelling: v / 7,
            },
            13 => Op::Reshape,
            14 => Op::Flatten,
            15 => Op::Transpose { a: v, b: v / 5 },
            16 => Op::Unsqueeze { dim: v },
            17 if v.is_multiple_of(2) => Op::Select {
                dim: v / 2,
                index: v / 11,
            },
            17 => Op::Slice { start: v / 2 },
            18 => Op::MatmulSelf,
            19 => Op::Gather {
                dim: v,
                seed,
                len: k,
            },
            20 => Op::IndexSelect {
                dim: v,
                seed,
                len: k,
            },
            _ => Op::Take { seed, len: k },
        }
    }
}

/// A temporary of the generated function body.
#[derive(Clone, Debug)]
struct Val {
    name: String,
    shape: Shape,
    /// An upper bound on |element|.
    bound: f64,
}

#[derive(Clone, Debug)]
pub struct Program {
    pub x_shape: Shape,
    /// With two inputs: `y` has the shape of the last `y_suffix` dims of `x`.
    pub y_suffix: Option<usize>,
    pub ops: Vec<Op>,
    /// Seed of the input values.
    pub seed: u64,
    pub scalar: bool,
}

/// A program rendered as Python.
#[derive(Clone, Debug)]
pub struct Built {
    /// Constants and `def f(...)`.
    pub source: String,
    /// `x = ...` (and `y = ...`).
    pub inputs: String,
    pub x_shape: Shape,
    pub y_shape: Option<Shape>,
    pub out_shape: Shape,
}

pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// A `torch.tensor(..., dtype=torch.float64)` literal of two-decimal values in [-1, 1].
pub fn literal(seed: u64, shape: &[usize]) -> String {
    let mut rng = Rng::new(seed);
    format!(
        "torch.tensor({}, dtype=torch.float64)",
        nested(&mut rng, shape)
    )
}

fn nested(rng: &mut Rng, shape: &[usize]) -> String {
    match shape.split_first() {
        None => format!("{:.2}", rng.coeff()),
        Some((&n, rest)) => {
            let items: Vec<String> = (0..n).map(|_| nested(rng, rest)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A nested list of integer indices in `0..bound`.
fn int_nested(rng: &mut Rng, shape: &[usize], bound: usize) -> String {
    match shape.split_first() {
        None => rng.below(bound).to_string(),
        Some((&n, rest)) => {
            let items: Vec<String> = (0..n).map(|_| int_nested(rng, rest, bound)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// Python's tuple spelling of a shape.
pub fn tuple(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let items: Vec<String> = shape.iter().map(|n| n.to_string()).collect();
            format!("({})", items.join(", "))
        }
    }
}

/// NumPy broadcasting of two shapes.
fn broadcast(a: &[usize], b: &[usize]) -> Option<Shape> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for (i, o) in out.iter_mut().enumerate() {
        let da = (i + a.len()).checked_sub(n).map_or(1, |j| a[j]);
        let db = (i + b.len()).checked_sub(n).map_or(1, |j| b[j]);
        *o = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(out)
}

/// Registers a constant of `shape` and returns its name.
fn constant(consts: &mut Vec<String>, seed: u64, shape: &[usize]) -> String {
    let name = format!("c{}", consts.len());
    consts.push(format!("{name} = {}", literal(seed, shape)));
    name
}

/// Applies `op` to the latest temporary: (expression, shape, bound), or None when the op does
/// not fit the current shape or would break a limit.
fn apply(
    op: &Op,
    vals: &[Val],
    consts: &mut Vec<String>,
    cfg: &Config,
) -> Option<(String, Shape, f64)> {
    let cur = vals.last()?;
    let (h, s, b) = (&cur.name, cur.shape.clone(), cur.bound);
    let nd = s.len();
    let need_rank = |n: usize| (nd >= n).then_some(());
    let (text, shape, bound) = match op {
        Op::Sin(v) => (
            [format!("torch.sin({h})"), format!("{h}.sin()")][v % 2].clone(),
            s,
            b.min(1.0),
        ),
        Op::Tanh(v) => (
            [format!("torch.tanh({h})"), format!("{h}.tanh()")][v % 2].clone(),
            s,
            b.min(1.0),
        ),
        Op::Exp(v) => {
            (b <= 3.0).then_some(())?;
            (
                [format!("torch.exp({h})"), format!("{h}.exp()")][v % 2].clone(),
                s,
                b.exp(),
            )
        }
        Op::Pow(v) => match v % 3 {
            0 => (format!("{h} ** 2"), s, b * b),
            1 => (format!("{h}.pow(3)"), s, b.powi(3)),
            _ => (
                format!("torch.pow({h} * {h} + 1, 1.5)"),
                s,
                (b * b + 1.0).powf(1.5),
            ),
        },
        Op::MulConst { seed, suffix } => {
            let n = suffix % (nd + 1);
            if n == 0 {
                let c = Rng::new(*seed).coeff();
                (format!("{h} * {c:.2}"), s, b)
            } else {
                let c = constant(consts, *seed, &s[nd - n..]);
                (format!("{h} * {c}"), s, b)
            }
        }
        Op::MulPrev { pick } => {
            let others = &vals[..vals.len() - 1];
            (!others.is_empty()).then_some(())?;
            let o = &others[pick % others.len()];
            let shape = broadcast(&s, &o.shape)?;
            (format!("{h} * {}", o.name), shape, b * o.bound)
        }
        Op::MatmulRight { seed, k } => {
            need_rank(1)?;
            let n = s[nd - 1];
            let w = constant(consts, *seed, &[n, *k]);
            let mut out = s;
            out[nd - 1] = *k;
            (format!("{h} @ {w}"), out, b * n as f64)
        }
        Op::MatmulLeft { seed, k } => {
            need_rank(1)?;
            let m = if nd == 1 { s[0] } else { s[nd - 2] };
            let w = constant(consts, *seed, &[*k, m]);
            let mut out = s;
            out[nd.saturating_sub(2)] = *k;
            (format!("torch.matmul({w}, {h})"), out, b * m as f64)
        }
        Op::MatmulSelf => {
            need_rank(1)?;
            let n = s[nd - 1];
            let (text, out) = if nd == 1 {
                (format!("{h} @ {h}"), vec![])
            } else {
                let mut out = s.clone();
                out[nd - 1] = s[nd - 2];
                (format!("{h} @ {h}.transpose(-2, -1)"), out)
            };
            (text, out, b * b * n as f64)
        }
        Op::Linear { seed, k, bias } => {
            need_rank(1)?;
            let n = s[nd - 1];
            let w = constant(consts, *seed, &[*k, n]);
            let mut out = s;
            out[nd - 1] = *k;
            if *bias {
                let bb = constant(consts, seed.rotate_left(17), &[*k]);
                (
                    format!("torch.nn.functional.linear({h}, {w}, {bb})"),
                    out,
                    b * n as f64 + 1.0,
                )
            } else {
                (
                    format!("torch.nn.functional.linear({h}, {w})"),
                    out,
                    b * n as f64,
                )
            }
        }
        Op::Sum { dim: None, .. } => (format!("{h}.sum()"), vec![], b * numel(&s) as f64),
        Op::Mean { dim: None, .. } => (format!("{h}.mean()"), vec![], b),
        Op::Sum {
            dim: Some(d),
            keepdim,
        }
        | Op::Mean {
            dim: Some(d),
            keepdim,
        } => {
            need_rank(1)?;
            let d = d % nd;
            let count = s[d] as f64;
            let mut out = s;
            if *keepdim {
                out[d] = 1;
            } else {
                out.remove(d);
            }
            let (name, bound) = if matches!(op, Op::Sum { .. }) {
                ("sum", b * count)
            } else {
                ("mean", b)
            };
            let text = if *keepdim {
                format!("{h}.{name}({d}, keepdim=True)")
            } else {
                format!("torch.{name}({h}, dim={d})")
            };
            (text, out, bound)
        }
        Op::Softmax { dim, spelling } => {
            need_rank(1)?;
            let d = dim % nd;
            // Negative dims exercise the wrap-around in every transform's dim handling.
            let d = if spelling % 2 == 1 {
                d as i64 - nd as i64
            } else {
                d as i64
            };
            let text = match spelling % 3 {
                0 => format!("torch.softmax({h}, dim={d})"),
                1 => format!("torch.nn.functional.softmax({h}, dim={d})"),
                _ => format!("{h}.softmax({d})"),
            };
            (text, s, 1.0)
        }
        Op::Reshape => {
            need_rank(2)?;
            let rev: Shape = s.iter().rev().copied().collect();
            let dims: Vec<String> = rev.iter().map(|n| n.to_string()).collect();
            (format!("{h}.reshape({})", dims.join(", ")), rev, b)
        }
        Op::Flatten => {
            (nd != 1).then_some(())?;
            (format!("{h}.flatten()"), vec![numel(&s)], b)
        }
        Op::Transpose { a, b: other } => {
            need_rank(2)?;
            let a = a % nd;
            let mut c = other % nd;
            if c == a {
                c = (a + 1) % nd;
            }
            let mut out = s;
            out.swap(a, c);
            (format!("{h}.transpose({a}, {c})"), out, b)
        }
        Op::Unsqueeze { dim } => {
            let d = dim % (nd + 1);
            let mut out = s;
            out.insert(d, 1);
            (format!("{h}.unsqueeze({d})"), out, b)
        }
        Op::Select { dim, index } => {
            need_rank(1)?;
            let d = dim % nd;
            let i = index % s[d];
            let text = if d == 0 {
                format!("{h}[{i}]")
            } else if d == nd - 1 {
                format!("{h}[..., {i}]")
            } else {
                format!("{h}.select({d}, {i})")
            };
            let mut out = s;
            out.remove(d);
            (text, out, b)
        }
        Op::Slice { start } => {
            need_rank(1)?;
            let st = start % s[nd - 1];
            let mut out = s;
            out[nd - 1] -= st;
            (format!("{h}[..., {st}:]"), out, b)
        }
        Op::Take { seed, len } => {
            need_rank(1)?;
            let mut rng = Rng::new(*seed);
            let idx: Vec<String> = (0..*len).map(|_| rng.below(s[0]).to_string()).collect();
            let mut out = s;
            out[0] = *len;
            (format!("{h}[torch.tensor([{}])]", idx.join(", ")), out, b)
        }
        Op::Gather { dim, seed, len } => {
            need_rank(1)?;
            let d = dim % nd;
            let mut index_shape = s.clone();
            index_shape[d] = *len;
            let mut rng = Rng::new(*seed);
            let index = int_nested(&mut rng, &index_shape, s[d]);
            (
                format!("{h}.gather({d}, torch.tensor({index}))"),
                index_shape,
                b,
            )
        }
        Op::IndexSelect { dim, seed, len } => {
            need_rank(1)?;
            let d = dim % nd;
            let mut rng = Rng::new(*seed);
            let idx: Vec<String> = (0..*len).map(|_| rng.below(s[d]).to_string()).collect();
            let mut out = s;
            out[d] = *len;
            let text = if dim % 2 == 0 {
                format!("{h}.index_select({d}, torch.tensor([{}]))", idx.join(", "))
            } else {
                format!(
                    "torch.index_select({h}, {d}, torch.tensor([{}]))",
                    idx.join(", ")
                )
            };
            (text, out, b)
        }
    };
    let ok = shape.len() <= MAX_NDIM && numel(&shape) <= cfg.max_numel && bound <= MAX_BOUND;
    ok.then_some((text, shape, bound))
}

impl Program {
    /// A random program within `cfg`'s limits.
    pub fn random(rng: &mut Rng, cfg: &Config) -> Program {
        let x_shape = loop {
            let nd = rng.range(1, 3);
            let shape: Shape = (0..nd).map(|_| rng.range(1, 4)).collect();
            if numel(&shape) <= cfg.max_in_numel {
                break shape;
            }
        };
        let y_suffix = (cfg.inputs == 2).then(|| rng.range(0, x_shape.len()));
        let mut program = Program {
            x_shape,
            y_suffix,
            ops: vec![],
            seed: rng.next_u64(),
            scalar: cfg.scalar,
        };
        let steps = rng.range(1, 5);
        for _ in 0..steps {
            for _ in 0..40 {
                let op = Op::random(rng);
                if cfg.exclude.contains(&op.kind()) {
                    continue;
                }
                program.ops.push(op);
                if program.build(cfg).is_some() {
                    break;
                }
                program.ops.pop();
            }
        }
        program
    }

    /// The Python source, or None if some op no longer fits (after shrinking).
    pub fn build(&self, cfg: &Config) -> Option<Built> {
        let mut consts = vec![];
        let x = Val {
            name: "x".into(),
            shape: self.x_shape.clone(),
            bound: 1.0,
        };
        let mut vals = vec![x];
        let mut body = vec![];
        let mut params = "x".to_string();
        let mut inputs = format!("x = {}\n", literal(self.seed, &self.x_shape));
        let y_shape = self
            .y_suffix
            .map(|n| self.x_shape[self.x_shape.len() - n.min(self.x_shape.len())..].to_vec());
        if let Some(ys) = &y_shape {
            params.push_str(", y");
            inputs.push_str(&format!("y = {}\n", literal(self.seed ^ 0x5555, ys)));
            vals.push(Val {
                name: "y".into(),
                shape: ys.clone(),
                bound: 1.0,
            });
            // The menu's `x * y`: both inputs always reach the output.
            body.push("h0 = x * y".to_string());
            vals.push(Val {
                name: "h0".into(),
                shape: self.x_shape.clone(),
                bound: 1.0,
            });
        }
        for op in &self.ops {
            let (text, shape, bound) = apply(op, &vals, &mut consts, cfg)?;
            let name = format!("h{}", vals.len());
            body.push(format!("{name} = {text}"));
            vals.push(Val { name, shape, bound });
        }
        let last = vals.last()?;
        let (ret, out_shape) = if self.scalar && !last.shape.is_empty() {
            (format!("{}.sum()", last.name), vec![])
        } else {
            (last.name.clone(), last.shape.clone())
        };
        let mut source = String::new();
        for c in &consts {
            source.push_str(c);
            source.push('\n');
        }
        source.push_str(&format!("def f({params}):\n"));
        for line in &body {
            source.push_str(&format!("    {line}\n"));
        }
        source.push_str(&format!("    return {ret}\n"));
        Some(Built {
            source,
            inputs,
            x_shape: self.x_shape.clone(),
            y_shape,
            out_shape,
        })
    }

    /// Smaller variants, most aggressive first: fewer ops, then smaller inputs.
    pub fn shrinks(&self) -> Vec<Program> {
        let mut out = vec![];
        for i in 0..self.ops.len() {
            let mut p = self.clone();
            p.ops.remove(i);
            out.push(p);
        }
        if self.x_shape.len() > 1 {
            for d in 0..self.x_shape.len() {
                let mut p = self.clone();
                p.x_shape.remove(d);
                out.push(p);
            }
        }
        for d in 0..self.x_shape.len() {
            if self.x_shape[d] > 1 {
                for size in [1, self.x_shape[d] - 1] {
                    let mut p = self.clone();
                    p.x_shape[d] = size;
                    out.push(p);
                }
            }
        }
        if let Some(n) = self.y_suffix.filter(|&n| n > 0) {
            let mut p = self.clone();
            p.y_suffix = Some(n - 1);
            out.push(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(broadcast(&[2, 3], &[3]), Some(vec![2, 3]));
        assert_eq!(broadcast(&[2, 1], &[1, 4]), Some(vec![2, 4]));
        assert_eq!(broadcast(&[], &[4]), Some(vec![4]));
        assert_eq!(broadcast(&[2], &[3]), None);
    }

    #[test]
    fn literals_and_tuples_are_python() {
        assert_eq!(tuple(&[3]), "(3,)");
        assert_eq!(tuple(&[2, 3]), "(2, 3)");
        assert_eq!(tuple(&[]), "()");
        let text = literal(1, &[2, 1]);
        assert!(text.starts_with("torch.tensor([["), "{text}");
        assert!(text.ends_with("]], dtype=torch.float64)"), "{text}");
    }

    #[test]
    fn random_programs_build_within_limits() {
        let cfg = Config::unary();
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let p = Program::random(&mut rng, &cfg);
            let built = p.build(&cfg).expect("generated programs build");
            assert!(numel(&built.out_shape) <= cfg.max_numel);
            assert!(built.source.contains("def f(x):"));
            for s in p.shrinks() {
                // Shrinks may not fit, but must never panic.
                let _ = s.build(&cfg);
            }
        }
    }

    #[test]
    fn two_input_programs_multiply_y_first() {
        let cfg = Config {
            inputs: 2,
            scalar: true,
            ..Config::unary()
        };
        let p = Program::random(&mut Rng::new(9), &cfg);
        let built = p.build(&cfg).expect("builds");
        assert!(built.source.contains("def f(x, y):\n    h0 = x * y\n"));
        assert!(built.out_shape.is_empty());
        assert!(built.inputs.contains("y = torch.tensor("));
    }
}
