//! Replays `tests/data/numerics_table.txt`, PyTorch's exact results (recorded with the oracle
//! by `tests/data/numerics_table.py`) for sums over many sizes, strides, dims and transposes,
//! means, nansums, 2-norms, linspace/arange fills, softmax/log_softmax and dot, and checks that
//! gradbook produces the same bits. Each line is `case|count|FNV-1a 64 of the output's
//! little-endian bytes|the first values' bits`.

use gradbook::array::{DType, NdArray};
use gradbook::autograd::{Tensor, ops};

/// The generator both sides share: an integer hash scaled into [-2, 2), exact in double.
fn input(n: usize, seed: u64, dtype: DType) -> NdArray {
    let vals: Vec<f64> = (0..n as u64)
        .map(|i| {
            ((i * 2_654_435_761 + seed * 40503) % 4_294_967_296) as f64 / 4_294_967_296.0 * 4.0
                - 2.0
        })
        .collect();
    match dtype {
        DType::F32 => {
            NdArray::from_vec(vals.iter().map(|&v| v as f32).collect::<Vec<_>>(), vec![n])
        }
        _ => NdArray::from_vec(vals, vec![n]),
    }
}

fn scaled(a: &NdArray, k: f32) -> NdArray {
    let v: Vec<f32> = a.to_vec::<f32>().into_iter().map(|x| x * k).collect();
    NdArray::from_vec(v, a.shape().to_vec())
}

fn dtype(s: &str) -> DType {
    if s == "f32" { DType::F32 } else { DType::F64 }
}

fn le_bytes(a: &NdArray) -> Vec<Vec<u8>> {
    match a.dtype() {
        DType::F32 => a
            .to_vec::<f32>()
            .iter()
            .map(|x| x.to_le_bytes().to_vec())
            .collect(),
        _ => a
            .to_vec::<f64>()
            .iter()
            .map(|x| x.to_le_bytes().to_vec())
            .collect(),
    }
}

fn digest(a: &NdArray) -> String {
    let raw = le_bytes(a);
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in raw.iter().flatten() {
        h = (h ^ *b as u64).wrapping_mul(0x0000_0100_0000_01B3);
    }
    let head: Vec<String> = raw
        .iter()
        .take(8)
        .map(|r| {
            let mut v = r.clone();
            v.reverse();
            v.iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect();
    format!("{}|{h:016x}|{}", raw.len(), head.join(" "))
}

fn run(case: &str) -> NdArray {
    let w: Vec<&str> = case.split(' ').collect();
    let num = |i: usize| w[i].parse::<usize>().unwrap();
    let float = |i: usize| w[i].parse::<f64>().unwrap();
    match w[0] {
        "sum1d" => {
            let (n, s) = (num(2), num(3));
            let x = input(n * s, if s == 1 { 1 } else { 2 }, dtype(w[1]));
            x.slice(0, None, None, s as isize).unwrap().sum(&[], false)
        }
        "sum2d" | "mean2d" => {
            let (r, c) = (num(2), num(3));
            let m = input(r * c, 3, dtype(w[1]))
                .reshape(&[r as isize, c as isize])
                .unwrap();
            let m = if w[4] == "1" { m.t().unwrap() } else { m };
            match (w[0], w[5]) {
                ("mean2d", _) => m.mean(&[1], false),
                (_, "all") => m.sum(&[], false),
                (_, d) => m.sum(&[d.parse().unwrap()], false),
            }
        }
        "nansum1d" => {
            let n = num(2);
            let x = input(n, 4, dtype(w[1]));
            let x = match x.dtype() {
                DType::F32 => {
                    let mut v = x.to_vec::<f32>();
                    v.iter_mut().step_by(7).for_each(|e| *e = f32::NAN);
                    NdArray::from_vec(v, vec![n])
                }
                _ => {
                    let mut v = x.to_vec::<f64>();
                    v.iter_mut().step_by(7).for_each(|e| *e = f64::NAN);
                    NdArray::from_vec(v, vec![n])
                }
            };
            x.nansum(&[], false)
        }
        "norm1d" => {
            let x = Tensor::new(input(num(2), 5, dtype(w[1])));
            ops::norm(&x, 2.0, None, false).unwrap().array()
        }
        "norm2d" => {
            let (r, c) = (num(2), num(3));
            let m = input(r * c, 6, dtype(w[1]))
                .reshape(&[r as isize, c as isize])
                .unwrap();
            ops::norm(&Tensor::new(m), 2.0, Some(&[1]), false)
                .unwrap()
                .array()
        }
        "linspace" => NdArray::linspace(float(2), float(3), num(4), dtype(w[1])).unwrap(),
        "arange" => NdArray::arange(float(2), float(3), float(4), dtype(w[1])).unwrap(),
        "softmax" | "logsoftmax" => {
            let x = scaled(&input(num(1), 7, DType::F32), 3.0);
            if w[0] == "softmax" {
                x.softmax(0)
            } else {
                x.log_softmax(0)
            }
        }
        "softmax2d" | "logsoftmax2d" => {
            let (r, c) = (num(1), num(2));
            let x = scaled(&input(r * c, 8, DType::F32), 3.0)
                .reshape(&[r as isize, c as isize])
                .unwrap();
            if w[0] == "softmax2d" {
                x.softmax(1)
            } else {
                x.log_softmax(1)
            }
        }
        "log1p" | "log1p_small" => {
            let n = num(1);
            let x = if w[0] == "log1p" {
                let v: Vec<f32> = input(n, 11, DType::F32)
                    .to_vec::<f32>()
                    .iter()
                    .map(|x| x * 0.5 + 1.0)
                    .collect();
                NdArray::from_vec(v, vec![n])
            } else {
                scaled(&input(n, 12, DType::F32), 0.24)
            };
            x.unary(gradbook::array::UnaryOp::Log1p)
        }
        "expm1" => {
            scaled(&input(num(1), 13, DType::F32), 5.0).unary(gradbook::array::UnaryOp::Expm1)
        }
        "sigmoid" => {
            scaled(&input(num(1), 14, DType::F32), 6.0).unary(gradbook::array::UnaryOp::Sigmoid)
        }
        "dot" => {
            let n = num(1);
            input(n, 9, DType::F32)
                .dot(&input(n, 10, DType::F32))
                .unwrap()
        }
        other => panic!("unknown case {other}"),
    }
}

#[test]
fn matches_pytorch_bit_for_bit() {
    let table = include_str!("data/numerics_table.txt");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in table.lines().filter(|l| !l.is_empty()) {
        let (case, want) = line.split_once('|').unwrap();
        let got = digest(&run(case));
        count += 1;
        if got != want {
            failures.push(format!("{case}\n  want {want}\n  got  {got}"));
        }
    }
    assert!(count > 300, "table too short: {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
