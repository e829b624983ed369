//! Generated tensor programs: calls of the torch functions, `torch.nn.functional` functions and
//! tensor methods the help table documents, with their parameter names (as keywords, now and
//! then), on tensors of random shapes (empty, 0-d, huge), random numbers (negative, 2**63,
//! nan), dims, lists, dtypes and None; plus in-place ops, indexing and assignment through
//! views, `backward()`, `.grad`, printing. One statement per cell, so a cell that fails (most
//! do) leaves the next one its variables.

use crate::session::help::table::signature_table;
use std::sync::OnceLock;

/// Where a generator's choices come from.
pub trait Source {
    fn next_u64(&mut self) -> u64;
    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// A fuzzer's input read as a stream of choices (zeros once it runs out).
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, pos: 0 }
    }
    pub fn exhausted(&self) -> bool {
        self.pos >= self.data.len()
    }
}

impl Source for Bytes<'_> {
    fn next_u64(&mut self) -> u64 {
        let mut v = 0u64;
        for _ in 0..2 {
            v = v << 8 | u64::from(self.data.get(self.pos).copied().unwrap_or(0));
            self.pos += 1;
        }
        v
    }
}

/// SplitMix64: the smoke run's deterministic choices.
pub struct SplitMix(pub u64);

impl Source for SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One callable from the help table: how to call it and its parameters (type, name).
pub struct Callee {
    /// `torch.exp`, `torch.nn.functional.relu`, or `.exp` for a method.
    pub path: String,
    pub params: Vec<(String, String)>,
}

/// Every function and method of the signature table (the bindings behind help).
pub fn callees() -> &'static [Callee] {
    static CALLEES: OnceLock<Vec<Callee>> = OnceLock::new();
    CALLEES.get_or_init(|| {
        let mut out = Vec::new();
        for (key, sigs) in signature_table() {
            let Some((module, name)) = key.rsplit_once('.') else {
                continue;
            };
            // Writing files, reading them, or the process's own state are left out.
            if ["save", "load", "set_num_threads", "manual_seed", "seed"].contains(&name) {
                continue;
            }
            let path = if module == "Tensor" {
                format!(".{name}")
            } else {
                key.clone()
            };
            for sig in sigs {
                out.push(Callee {
                    path: path.clone(),
                    params: params_of(&sig),
                });
            }
        }
        out
    })
}

/// `(type, name)` of each parameter of a signature such as `exp(Tensor input, *, int dim=0)`.
fn params_of(sig: &str) -> Vec<(String, String)> {
    let Some(inner) = sig.split_once('(').and_then(|(_, r)| r.rsplit_once(')')) else {
        return Vec::new();
    };
    inner
        .0
        .split(',')
        .filter_map(|p| {
            let p = p.split('=').next().unwrap_or("").trim();
            if p.is_empty() || p == "*" || p == "/" {
                return None;
            }
            let (ty, name) = p.rsplit_once(' ').unwrap_or(("", p));
            Some((
                ty.trim().to_string(),
                name.trim_start_matches('*').to_string(),
            ))
        })
        .collect()
}

const VARS: usize = 4;

fn var(s: &mut impl Source) -> String {
    format!("v{}", s.below(VARS))
}

fn int(s: &mut impl Source) -> String {
    const INTS: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "-1",
        "-2",
        "5",
        "7",
        "2**31",
        "2**62",
        "2**63 - 1",
        "-2**63",
        "10**11",
        "2**40",
        "100000",
    ];
    if s.chance(2) {
        s.below(4).to_string()
    } else {
        s.pick(INTS).to_string()
    }
}

fn float(s: &mut impl Source) -> String {
    const FLOATS: &[&str] = &[
        "0.5",
        "-1.5",
        "0.0",
        "-0.0",
        "1e-8",
        "1e308",
        "float('nan')",
        "float('inf')",
        "-float('inf')",
        "3.0",
        "1e20",
    ];
    s.pick(FLOATS).to_string()
}

fn shape(s: &mut impl Source) -> String {
    let nd = s.below(4);
    let dims: Vec<String> = (0..nd)
        .map(|_| {
            if s.chance(12) {
                s.pick(&["0", "10**6", "2**31", "10**11", "-1"]).to_string()
            } else {
                (1 + s.below(4)).to_string()
            }
        })
        .collect();
    if s.chance(2) {
        format!("({})", dims.join(", ") + if nd == 1 { "," } else { "" })
    } else {
        dims.join(", ")
    }
}

fn dtype(s: &mut impl Source) -> String {
    s.pick(&[
        "torch.float32",
        "torch.float64",
        "torch.int64",
        "torch.int32",
        "torch.bool",
    ])
    .to_string()
}

/// A tensor-valued expression.
fn tensor(s: &mut impl Source, depth: usize) -> String {
    let grad = if s.chance(3) {
        ", requires_grad=True"
    } else {
        ""
    };
    match s.below(if depth > 2 { 8 } else { 11 }) {
        0..=2 => var(s),
        3 => format!("torch.randn({}{grad})", shape(s)),
        4 => format!("torch.ones({}{grad})", shape(s)),
        5 => format!("torch.zeros({}, dtype={})", shape(s), dtype(s)),
        6 => format!("torch.arange({}.0{grad})", 1 + s.below(12)),
        7 => format!("torch.tensor({})", list(s)),
        8 => format!(
            "({} {} {})",
            tensor(s, depth + 1),
            s.pick(&["+", "*", "-", "/", "@", "**"]),
            value(s, depth + 1)
        ),
        9 => format!("{}{}", tensor(s, depth + 1), index(s)),
        _ => call(s, depth + 1),
    }
}

fn list(s: &mut impl Source) -> String {
    let n = s.below(4);
    let items: Vec<String> = (0..n)
        .map(|_| match s.below(4) {
            0 => float(s),
            1 => format!("[{}, {}]", int(s), int(s)),
            _ => int(s),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn index(s: &mut impl Source) -> String {
    let one = |s: &mut dyn FnMut() -> u64| -> String {
        match s() % 6 {
            0 => (s() % 4).to_string(),
            1 => format!("{}:", s() % 3),
            2 => format!(":{}", s() % 3),
            3 => "None".into(),
            4 => "...".into(),
            _ => format!("{}::{}", s() % 2, 1 + s() % 2),
        }
    };
    let n = 1 + s.below(2);
    let mut next = || s.next_u64();
    let parts: Vec<String> = (0..n).map(|_| one(&mut next)).collect();
    format!("[{}]", parts.join(", "))
}

/// Any argument value.
fn value(s: &mut impl Source, depth: usize) -> String {
    match s.below(9) {
        0 | 1 => int(s),
        2 => float(s),
        3 => format!("[{}, {}]", int(s), int(s)),
        4 => "None".into(),
        5 => s
            .pick(&["True", "False", "'mean'", "'sum'", "'none'"])
            .to_string(),
        6 => dtype(s),
        _ => tensor(s, depth),
    }
}

/// An argument for a parameter of type `ty`.
fn arg(s: &mut impl Source, ty: &str, depth: usize) -> String {
    if s.chance(8) {
        return value(s, depth);
    }
    match ty {
        t if t.starts_with("Tensor") => tensor(s, depth),
        t if t.contains("[]") || t.contains("size") => format!("[{}, {}]", int(s), int(s)),
        "int" | "SymInt" => int(s),
        "float" | "Scalar" | "Number" | "double" => {
            if s.chance(2) {
                float(s)
            } else {
                int(s)
            }
        }
        "bool" => s.pick(&["True", "False"]).to_string(),
        t if t.contains("dtype") => dtype(s),
        _ => value(s, depth),
    }
}

/// A call of a function or method from the help table.
fn call(s: &mut impl Source, depth: usize) -> String {
    let callees = callees();
    if callees.is_empty() {
        return "None".into();
    }
    let c = &callees[s.below(callees.len())];
    let mut params = c.params.iter();
    let receiver = if c.path.starts_with('.') {
        params.next();
        Some(tensor(s, depth))
    } else {
        None
    };
    let mut args = Vec::new();
    let mut keywords = false;
    for (ty, name) in params {
        if s.chance(4) {
            keywords = true;
            continue;
        }
        let a = arg(s, ty, depth);
        if keywords || s.chance(5) {
            keywords = true;
            args.push(format!("{name}={a}"));
        } else {
            args.push(a);
        }
    }
    match receiver {
        Some(r) => format!("{r}{}({})", c.path, args.join(", ")),
        None => format!("{}({})", c.path, args.join(", ")),
    }
}

/// One statement (one cell).
fn statement(s: &mut impl Source) -> String {
    let v = var(s);
    match s.below(12) {
        0..=4 => format!("{v} = {}", tensor(s, 0)),
        5 => format!("{v}{} = {}", index(s), value(s, 1)),
        6 => format!(
            "{v}{} {}= {}",
            index(s),
            s.pick(&["*", "+", "-", "/"]),
            value(s, 1)
        ),
        7 => format!(
            "{v}{}.{}({})",
            if s.chance(2) { index(s) } else { String::new() },
            s.pick(&[
                "mul_", "add_", "zero_", "fill_", "clamp_", "copy_", "sub_", "div_"
            ]),
            value(s, 1)
        ),
        8 => format!("{v}.sum().backward()"),
        9 => format!("{v}.grad, {v}.grad_fn"),
        10 => format!("print({v})"),
        _ => call(s, 0),
    }
}

/// A program of a few cells, the first binding every variable.
pub fn program(s: &mut impl Source) -> Vec<String> {
    let mut cells: Vec<String> = (0..VARS)
        .map(|i| format!("v{i} = torch.randn({}, requires_grad=True) * 1", 1 + i))
        .collect();
    let n = 2 + s.below(8);
    cells.extend((0..n).map(|_| statement(s)));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_use_the_help_table() {
        assert!(callees().len() > 200, "{}", callees().len());
        let exp = callees().iter().find(|c| c.path == "torch.exp").unwrap();
        assert_eq!(exp.params[0].0, "Tensor");
        let mut s = SplitMix(7);
        let cells: Vec<String> = (0..50).flat_map(|_| program(&mut s)).collect();
        assert!(cells.iter().any(|c| c.contains("torch.")));
        assert_eq!(program(&mut SplitMix(3)), program(&mut SplitMix(3)));
    }
}
