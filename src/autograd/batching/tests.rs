//! Property tests: `vmap(f)(X)` equals stacking `f` over the slices of X, for every rule family,
//! with in_dims 0/1/None, out_dims 0/1, nested vmap, and autograd through and inside vmap.

use super::*;
use crate::array::{DType, NdArray, UnaryOp};
use crate::autograd::ops::{self, TensorIndex};
use crate::autograd::{grad, is_grad_enabled};

/// Deterministic pseudo-random float64 data (an LCG), so tests need no RNG.
fn data(shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let v: Vec<f64> = (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) * 4.0 - 2.0
        })
        .collect();
    Tensor::new(NdArray::from_vec(v, shape.to_vec()))
}

fn leaf(shape: &[usize], seed: u64) -> Tensor {
    Tensor::leaf(data(shape, seed).array(), true).unwrap()
}

fn assert_close(a: &Tensor, b: &Tensor) {
    assert!(!a.is_batched() && !b.is_batched());
    assert_eq!(a.shape(), b.shape(), "shapes differ");
    let (x, y) = (a.array().to_f64_vec(), b.array().to_f64_vec());
    for (i, (p, q)) in x.iter().zip(&y).enumerate() {
        assert!(
            (p.is_nan() && q.is_nan()) || (p - q).abs() <= 1e-9 * (1.0 + q.abs()),
            "element {i}: {p} vs {q}"
        );
    }
}

type F = dyn Fn(&[Tensor]) -> PyResult<Tensor>;

/// The reference: loop over the batch, slice the mapped inputs, call `f` on each slice.
fn reference(f: &F, inputs: &[Tensor], in_dims: &[Option<isize>]) -> Vec<Tensor> {
    let b = inputs
        .iter()
        .zip(in_dims)
        .find_map(|(t, d)| d.map(|d| t.shape()[d as usize]))
        .unwrap();
    (0..b)
        .map(|i| {
            let args: Vec<Tensor> = inputs
                .iter()
                .zip(in_dims)
                .map(|(t, d)| match d {
                    Some(d) => ops::select(t, *d, i as isize).unwrap(),
                    None => t.clone(),
                })
                .collect();
            f(&args).unwrap()
        })
        .collect()
}

fn vmapped(
    f: &F,
    inputs: &[Tensor],
    in_dims: &[Option<isize>],
    out_dim: isize,
) -> PyResult<Tensor> {
    let mut g = |args: &[Tensor]| Ok(vec![f(args)?]);
    Ok(vmap(&mut g, inputs, in_dims, &[Some(out_dim)], None)?.remove(0))
}

fn check(f: &F, inputs: &[Tensor], in_dims: &[Option<isize>]) {
    let samples = reference(f, inputs, in_dims);
    for out_dim in [0, 1] {
        if out_dim > samples[0].ndim() as isize {
            continue;
        }
        let r = ops::stack(&samples, out_dim).unwrap();
        let v = vmapped(f, inputs, in_dims, out_dim).unwrap();
        assert_close(&v, &r);
    }
}

/// Checks `f` of one input mapped over dim 0 and over dim 1 (the input transposed).
fn check1(f: &F, shape: &[usize]) {
    let x = data(shape, 7);
    check(f, std::slice::from_ref(&x), &[Some(0)]);
    if shape.len() >= 2 {
        let xt = ops::transpose(&x, 0, 1).unwrap();
        check(f, &[xt], &[Some(1)]);
    }
}

#[test]
fn unary_elementwise() {
    for shape in [&[4][..], &[3, 5], &[2, 3, 4]] {
        check1(&|a| ops::unary(&a[0], UnaryOp::Sin), shape);
        check1(&|a| Ok(ops::neg(&a[0])), shape);
        check1(
            &|a| ops::pow_scalar(&a[0], crate::array::Scalar::Int(3)),
            shape,
        );
        check1(&|a| ops::clamp(&a[0], Some(-0.5), Some(0.7)), shape);
        check1(
            &|a| ops::rsub_scalar(&a[0], crate::array::Scalar::Float(1.5)),
            shape,
        );
        check1(&|a| ops::unary(&a[0], UnaryOp::Tanh), shape);
    }
}

#[test]
fn binary_broadcasting() {
    let x = data(&[3, 4], 1);
    let y = data(&[3, 4], 2);
    let row = data(&[4], 3);
    let col = data(&[4, 1], 4);
    let f: &F = &|a| ops::mul(&a[0], &a[1]);
    check(f, &[x.clone(), y.clone()], &[Some(0), Some(0)]);
    check(f, &[x.clone(), row.clone()], &[Some(0), None]);
    check(f, &[row.clone(), data(&[4, 5], 9)], &[None, Some(1)]);
    check(f, &[x.clone(), col.clone()], &[Some(1), Some(0)]);
    // Logical ranks differ: [4] batched against an unbatched [2, 4].
    let m = data(&[2, 4], 5);
    check(
        &|a| ops::add(&a[0], &a[1], 2.0),
        &[x.clone(), m.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::sub(&a[1], &a[0], 1.0),
        &[x.clone(), m],
        &[Some(0), None],
    );
    check(
        &|a| ops::div(&a[0], &a[1]),
        &[x.clone(), y.clone()],
        &[Some(1), Some(1)],
    );
    check(
        &|a| ops::maximum(&a[0], &a[1]),
        &[x.clone(), row],
        &[Some(0), None],
    );
    // Batched 0-d operands.
    let s = data(&[3], 6);
    check(
        &|a| ops::mul(&a[0], &a[1]),
        &[x.clone(), s],
        &[Some(0), Some(0)],
    );
    check(
        &|a| {
            let c = ops::compare(&a[0], &a[1], crate::array::BinaryOp::Gt)?;
            ops::where_(&c, &a[0], &a[1])
        },
        &[x, data(&[4, 3], 8)],
        &[Some(0), Some(1)],
    );
}

#[test]
fn logical_type_promotion() {
    // float32 [3] batched against a float64 0-d tensor stays float32, as the logical op does.
    let x = Tensor::new(NdArray::from_vec(
        vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0],
        vec![2, 3],
    ));
    let s = Tensor::new(NdArray::scalar(1.0, DType::F64));
    let r = vmapped(
        &|a| ops::add(&a[0], &a[1], 1.0),
        &[x.clone(), s],
        &[Some(0), None],
        0,
    )
    .unwrap();
    assert_eq!(r.dtype(), DType::F32);
    let s2 = Tensor::new(NdArray::from_vec(vec![1.0f64, 2.0], vec![2]));
    let ones = Tensor::new(NdArray::full(&[3], 1.0, DType::F32));
    let r = vmapped(
        &|a| ops::add(&a[0], &a[1], 1.0),
        &[ones, s2],
        &[None, Some(0)],
        0,
    )
    .unwrap();
    assert_eq!(r.dtype(), DType::F32);
    assert_eq!(r.array().to_f64_vec(), vec![2.0, 2.0, 2.0, 3.0, 3.0, 3.0]);
}

#[test]
fn reductions() {
    for shape in [&[4][..], &[3, 5], &[2, 3, 4]] {
        check1(&|a| ops::sum(&a[0], None, false), shape);
        check1(&|a| ops::sum(&a[0], Some(&[-1]), true), shape);
        check1(&|a| ops::mean(&a[0], Some(&[0]), false), shape);
        check1(&|a| ops::max_all(&a[0]), shape);
        check1(&|a| Ok(ops::max_dim(&a[0], -1, false)?.0), shape);
        check1(&|a| Ok(ops::min_dim(&a[0], 0, true)?.1), shape);
        check1(&|a| ops::amax(&a[0], &[-1], false), shape);
        check1(&|a| ops::argmax(&a[0], None, false), shape);
        check1(&|a| ops::argmin(&a[0], Some(-1), true), shape);
        check1(&|a| ops::norm(&a[0], 2.0, None, false), shape);
        check1(&|a| ops::var(&a[0], Some(&[-1]), 1.0, false), shape);
        check1(&|a| ops::std(&a[0], None, 1.0, true), shape);
        check1(&|a| ops::logsumexp(&a[0], &[-1], false), shape);
        check1(&|a| ops::softmax(&a[0], -1), shape);
        check1(&|a| ops::log_softmax(&a[0], 0), shape);
        check1(&|a| ops::cumsum(&a[0], -1), shape);
        check1(&|a| ops::prod(&a[0], None, false), shape);
        check1(&|a| ops::prod(&a[0], Some(-1), true), shape);
    }
    check1(&|a| ops::trace(&a[0]), &[3, 3, 3]);
    // Reductions of a logical 0-d tensor reduce nothing.
    check1(
        &|a| ops::sum(&ops::select(&a[0], 0, 1)?, None, false),
        &[4, 3],
    );
    check1(&|a| ops::softmax(&ops::select(&a[0], 0, 1)?, 0), &[4, 3]);
}

#[test]
fn reduction_dim_errors_use_logical_rank() {
    let x = data(&[2, 3], 1);
    let err = vmapped(&|a| ops::sum(&a[0], Some(&[3]), false), &[x], &[Some(0)], 0).unwrap_err();
    assert_eq!(
        err.msg,
        "Dimension out of range (expected to be in range of [-1, 0], but got 3)"
    );
}

#[test]
fn views() {
    let shape = &[2, 3, 4][..];
    check1(&|a| ops::view(&ops::contiguous(&a[0]), &[4, 3]), shape);
    check1(&|a| ops::reshape(&a[0], &[-1]), shape);
    check1(&|a| ops::permute(&a[0], &[1, 0]), shape);
    check1(&|a| ops::transpose(&a[0], -1, 0), shape);
    check1(&|a| ops::t(&a[0]), shape);
    check1(&|a| ops::unsqueeze(&a[0], -1), shape);
    check1(&|a| ops::squeeze(&ops::unsqueeze(&a[0], 1)?, None), shape);
    check1(
        &|a| ops::squeeze(&ops::unsqueeze(&a[0], 0)?, Some(0)),
        shape,
    );
    check1(
        &|a| ops::expand(&ops::unsqueeze(&a[0], 0)?, &[2, -1, -1]),
        shape,
    );
    check1(&|a| ops::select(&a[0], -1, 2), shape);
    check1(&|a| ops::slice(&a[0], 1, Some(1), None, 2), shape);
    check1(&|a| ops::flatten(&a[0], 0, -1), shape);
    check1(&|a| ops::movedim(&a[0], &[0], &[1]), shape);
    check1(&|a| ops::diagonal(&a[0], 1, 0, 1), &[2, 4, 4]);
    check1(&|a| ops::diag(&a[0], 0), &[2, 4, 4]);
    check1(&|a| ops::diag(&a[0], 0), &[3, 4]);
    check1(&|a| ops::diag(&a[0], 2), &[3, 4]);
    check1(&|a| ops::diag(&a[0], -1), &[3, 4]);
    check1(&|a| ops::tril(&a[0], 0), &[2, 3, 3]);
    check1(&|a| ops::repeat(&a[0], &[2, 1, 2]), shape);
    check1(&|a| Ok(ops::unbind(&a[0], 1)?.remove(1)), shape);
    check1(&|a| Ok(ops::split(&a[0], 2, -1)?.remove(1)), shape);
    check1(
        &|a| ops::to_dtype(&a[0], DType::F32).and_then(|t| ops::to_dtype(&t, DType::F64)),
        shape,
    );
}

#[test]
fn stack_and_cat() {
    let x = data(&[3, 4], 1);
    let y = data(&[4], 2);
    check(
        &|a| ops::stack(&[a[0].clone(), a[1].clone()], 0),
        &[x.clone(), y.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::stack(&[a[1].clone(), a[0].clone()], -1),
        &[x.clone(), x.clone()],
        &[Some(0), Some(0)],
    );
    check(
        &|a| ops::cat(&[a[0].clone(), a[1].clone()], 0),
        &[x.clone(), y],
        &[Some(0), None],
    );
    let xt = data(&[4, 3], 3);
    check(
        &|a| ops::cat(&[a[0].clone(), a[1].clone()], -1),
        &[x, xt],
        &[Some(1), Some(0)],
    );
}

#[test]
fn products() {
    let v = data(&[5, 4], 1);
    let w = data(&[3, 4], 2);
    let m = data(&[5, 4, 3], 3);
    let b = data(&[3], 4);
    // Batched vectors against an unbatched weight, and the reverse.
    check(
        &|a| ops::matmul(&a[1], &a[0]),
        &[v.clone(), w.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::mv(&a[1], &a[0]),
        &[v.clone(), w.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::matmul(&a[0], &ops::t(&a[1])?),
        &[v.clone(), w.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::dot(&a[0], &a[1]),
        &[v.clone(), v.clone()],
        &[Some(0), Some(0)],
    );
    check(
        &|a| ops::dot(&a[0], &a[1]),
        &[v.clone(), data(&[4], 9)],
        &[Some(0), None],
    );
    check(
        &|a| ops::mm(&a[0], &a[1]),
        &[m.clone(), data(&[3, 5, 2], 21)],
        &[Some(0), Some(1)],
    );
    check(
        &|a| ops::mm(&a[1], &a[0]),
        &[m.clone(), data(&[2, 4], 8)],
        &[Some(0), None],
    );
    check(
        &|a| ops::mv(&a[0], &a[1]),
        &[m.clone(), data(&[5, 3], 5)],
        &[Some(0), Some(0)],
    );
    check(
        &|a| ops::outer(&a[0], &a[1]),
        &[v.clone(), b.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::linear(&a[0], &a[1], Some(&a[2])),
        &[v.clone(), w.clone(), b.clone()],
        &[Some(0), None, None],
    );
    check(
        &|a| ops::linear(&a[0], &a[1], Some(&a[2])),
        &[m.clone(), data(&[2, 3], 6), data(&[2], 7)],
        &[Some(1), None, None],
    );
    // Matrix against a stack of matrices, and batched matrices against batched stacks.
    let s = data(&[2, 4, 3], 10);
    check(
        &|a| ops::matmul(&a[0], &a[1]),
        &[m.clone(), data(&[2, 3, 2], 11)],
        &[Some(0), None],
    );
    check(
        &|a| ops::matmul(&a[0], &a[1]),
        &[data(&[2, 4], 12), data(&[5, 2, 4, 3], 13)],
        &[None, Some(0)],
    );
    check(
        &|a| ops::matmul(&a[0], &a[1]),
        &[data(&[5, 4], 14), s.clone()],
        &[Some(0), None],
    );
    check(
        &|a| ops::matmul(&a[0], &a[1]),
        &[data(&[5, 3], 15), data(&[5, 2, 3, 4], 16)],
        &[Some(0), Some(0)],
    );
    check(
        &|a| ops::matmul(&a[0], &a[1]),
        &[data(&[5, 2, 4, 3], 17), data(&[5, 3], 18)],
        &[Some(0), Some(0)],
    );
    check(
        &|a| ops::bmm(&a[0], &a[1]),
        &[data(&[5, 2, 4, 3], 19), data(&[2, 3, 2], 20)],
        &[Some(0), None],
    );
}

#[test]
fn product_errors() {
    let x = data(&[2, 3], 1);
    let err = vmapped(
        &|a| ops::mm(&a[0], &a[0]),
        std::slice::from_ref(&x),
        &[Some(0)],
        0,
    )
    .unwrap_err();
    assert_eq!(
        err.msg,
        "Shape mismatch: Got incorrect dims for mm(a, b). a has dim 1and b has dim 1but expected them to have dim 2 and dim 2"
    );
    let err = vmapped(
        &|a| ops::matmul(&a[0], &a[0]),
        &[data(&[2], 1)],
        &[Some(0)],
        0,
    )
    .unwrap_err();
    assert_eq!(
        err.msg,
        "both arguments to matmul need to be at least 1D, but they are 0D and 0D"
    );
}

#[test]
fn indexing() {
    let x = data(&[3, 4, 5], 1);
    check1(&|a| ops::index(&a[0], &[TensorIndex::Int(1)]), &[3, 4, 5]);
    check1(
        &|a| {
            ops::index(
                &a[0],
                &[
                    TensorIndex::Ellipsis,
                    TensorIndex::Slice(Some(1), None, None),
                ],
            )
        },
        &[3, 4, 5],
    );
    let idx = Tensor::new(NdArray::from_vec(vec![2i64, 0, 2], vec![3]));
    check(
        &|a| {
            ops::index(
                &a[0],
                &[
                    TensorIndex::Slice(None, None, None),
                    TensorIndex::Tensor(a[1].clone()),
                ],
            )
        },
        &[x.clone(), idx.clone()],
        &[Some(0), None],
    );
    // A batched index tensor goes through the fallback loop.
    let bidx = Tensor::new(NdArray::from_vec(vec![0i64, 1, 3, 2, 1, 0], vec![3, 2]));
    check(
        &|a| ops::index(&a[0], &[TensorIndex::Tensor(a[1].clone())]),
        &[x.clone(), bidx],
        &[Some(0), Some(0)],
    );
    check(
        &|a| ops::index_select(&a[0], -1, &a[1]),
        &[x.clone(), idx.clone()],
        &[Some(0), None],
    );
    let gidx = Tensor::new(NdArray::from_vec(vec![0i64, 3, 1, 2], vec![2, 2]));
    check(
        &|a| ops::gather(&a[0], 1, &a[1]),
        &[data(&[3, 2, 4], 2), gidx],
        &[Some(0), None],
    );
    check(
        &|a| {
            let mask = ops::compare(&a[0], &ops::zeros_like(&a[0]), crate::array::BinaryOp::Gt)?;
            ops::masked_fill(&a[0], &mask, 9.0)
        },
        std::slice::from_ref(&x),
        &[Some(1)],
    );
    let mask = Tensor::new(NdArray::from_vec(
        vec![true, false, true, false, true],
        vec![5],
    ));
    let err = vmapped(
        &|a| ops::index(&a[0], &[TensorIndex::Tensor(a[1].clone())]),
        &[data(&[2, 5], 1), mask],
        &[Some(0), None],
        0,
    )
    .unwrap_err();
    assert!(err.msg.contains("boolean mask"));
}

#[test]
fn inplace_ops() {
    let x = data(&[3, 4], 1);
    let y = data(&[4, 3], 2);
    check(
        &|a| {
            let c = ops::clone(&a[0]);
            ops::mul_(&c, &a[1])?;
            ops::add_(&c, &a[1], 2.0)?;
            Ok(c)
        },
        &[x.clone(), y.clone()],
        &[Some(0), Some(1)],
    );
    check(
        &|a| {
            let c = ops::clone(&a[0]);
            ops::index_put_(&c, &[TensorIndex::Int(1)], &a[1])?;
            Ok(c)
        },
        &[x.clone(), data(&[3], 5)],
        &[Some(0), Some(0)],
    );
    // Writing a batched value into an unbatched tensor is PyTorch's error.
    let err = vmapped(
        &|a| {
            let z = ops::zeros_like(&a[1]);
            ops::copy_(&z, &a[0])?;
            Ok(z)
        },
        &[x.clone(), data(&[4], 3)],
        &[Some(0), None],
        0,
    )
    .unwrap_err();
    assert_eq!(err.msg, INPLACE_ERROR);
}

#[test]
fn in_dims_none_and_out_dims() {
    // An output that does not depend on the batch is expanded.
    let x = data(&[3, 2], 1);
    let c = data(&[2], 2);
    let r = vmapped(
        &|a| Ok(a[1].clone()),
        &[x.clone(), c.clone()],
        &[Some(0), None],
        1,
    )
    .unwrap();
    assert_eq!(r.shape(), vec![2, 3]);
    assert_close(&ops::select(&r, 1, 2).unwrap(), &c);
    // Negative dims.
    let r = vmapped(
        &|a| ops::mul(&a[0], &a[0]),
        std::slice::from_ref(&x),
        &[Some(-1)],
        -1,
    )
    .unwrap();
    assert_close(&r, &ops::mul(&x, &x).unwrap());
}

#[test]
fn nested_vmap() {
    let x = data(&[2, 3, 4], 1);
    let y = data(&[3, 4], 2);
    // vmap(vmap(mul)) over both leading dims of x, y broadcast over the outer one.
    let mut outer = |a: &[Tensor]| {
        let mut inner = |b: &[Tensor]| Ok(vec![ops::mul(&b[0], &b[1])?]);
        vmap(&mut inner, a, &[Some(0), Some(0)], &[Some(0)], None)
    };
    let r = vmap(
        &mut outer,
        &[x.clone(), y.clone()],
        &[Some(0), None],
        &[Some(0)],
        None,
    )
    .unwrap()
    .remove(0);
    assert_close(&r, &ops::mul(&x, &y).unwrap());
    // Inner level maps over dim 1 of the outer slices; reductions and products inside.
    let mut outer = |a: &[Tensor]| {
        let mut inner =
            |b: &[Tensor]| Ok(vec![ops::sum(&ops::matmul(&b[0], &b[1])?, None, false)?]);
        vmap(&mut inner, a, &[Some(0), None], &[Some(0)], None)
    };
    let w = data(&[4, 5], 3);
    let r = vmap(
        &mut outer,
        &[x.clone(), w.clone()],
        &[Some(0), None],
        &[Some(1)],
        None,
    )
    .unwrap()
    .remove(0);
    let expected = ops::transpose(
        &ops::sum(&ops::matmul(&x, &w).unwrap(), Some(&[-1]), false).unwrap(),
        0,
        1,
    )
    .unwrap();
    assert_close(&r, &expected);
}

#[test]
fn errors() {
    let x = data(&[2], 1);
    let y = data(&[3], 2);
    let mut f = |a: &[Tensor]| Ok(vec![ops::mul(&a[0], &a[1])?]);
    let err = vmap(
        &mut f,
        &[x.clone(), y],
        &[Some(0), Some(0)],
        &[Some(0)],
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.msg,
        "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [2, 3] for the mapped dimension"
    );
    let err = vmap(
        &mut f,
        &[x.clone(), x.clone()],
        &[Some(2), None],
        &[Some(0)],
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.msg,
        "vmap(<lambda>, in_dims=0, ...)(<inputs>): Got in_dim=2 for some input, but that input is a Tensor of dimensionality 1 so expected in_dim to satisfy -1 <= in_dim < 1."
    );
    let mut item = |a: &[Tensor]| {
        a[0].item()?;
        Ok(vec![a[0].clone()])
    };
    assert_eq!(
        vmap(
            &mut item,
            std::slice::from_ref(&x),
            &[Some(0)],
            &[Some(0)],
            None
        )
        .unwrap_err()
        .msg,
        ITEM_ERROR
    );
    let mut id = |a: &[Tensor]| Ok(vec![a[0].clone()]);
    let err = vmap(&mut id, std::slice::from_ref(&x), &[Some(0)], &[None], None).unwrap_err();
    assert_eq!(
        err.msg,
        "vmap(<lambda>, ...): `<lambda>` can not return a BatchedTensor when out_dim is None"
    );
    let err = vmap(
        &mut id,
        std::slice::from_ref(&x),
        &[Some(0)],
        &[Some(1)],
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.msg,
        "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
    );
    let mut rg = |a: &[Tensor]| {
        ops::zeros_like(&a[0]).requires_grad_(true)?;
        Ok(vec![a[0].clone()])
    };
    assert_eq!(
        vmap(
            &mut rg,
            std::slice::from_ref(&x),
            &[Some(0)],
            &[Some(0)],
            None
        )
        .unwrap_err()
        .msg,
        REQUIRES_GRAD_ERROR
    );
    // Levels are popped even after an error.
    assert!(!is_active());
    assert!(is_grad_enabled());
}

#[test]
fn repr_inside_vmap() {
    let x = Tensor::new(NdArray::from_vec(vec![1.0f32, 2.0], vec![2, 1]));
    let mut seen = String::new();
    let mut f = |a: &[Tensor]| {
        seen = a[0].repr();
        Ok(vec![a[0].clone()])
    };
    vmap(&mut f, &[x], &[Some(0)], &[Some(0)], None).unwrap();
    assert_eq!(
        seen,
        "BatchedTensor(lvl=1, bdim=0, value=\n    tensor([[1.],\n            [2.]])\n)"
            .replace("lvl=1", &format!("lvl={}", seen_level(&seen)))
    );
}

fn seen_level(s: &str) -> String {
    s.split("lvl=")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap_or("")
        .to_string()
}

#[test]
fn chunked_equals_unchunked() {
    let x = data(&[5, 3], 1);
    let w = data(&[2, 3], 2);
    let opts = VmapOptions {
        chunk_size: Some(2),
        ..VmapOptions::default()
    };
    let mut f = |a: &[Tensor]| Ok(vec![ops::mv(&a[1], &a[0])?]);
    let r = vmap_with(
        &opts,
        &mut f,
        &[x.clone(), w.clone()],
        &[Some(0), None],
        &[Some(1)],
        None,
    )
    .unwrap()
    .remove(0);
    assert_close(&r, &ops::matmul(&w, &ops::t(&x).unwrap()).unwrap());
    let zero = VmapOptions {
        chunk_size: Some(0),
        ..VmapOptions::default()
    };
    let err = vmap_with(&zero, &mut f, &[x, w], &[Some(0), None], &[Some(0)], None).unwrap_err();
    assert_eq!(
        err.msg,
        "vmap: chunk_size should be None or greater than 0. (got 0)"
    );
}

#[test]
fn fallback_matches_rules() {
    let x = data(&[4, 3], 1);
    let w = data(&[2, 3], 2);
    let by_rule = vmapped(
        &|a| ops::mv(&a[1], &a[0]),
        &[x.clone(), w.clone()],
        &[Some(0), None],
        0,
    )
    .unwrap();
    let xb = add_batch_dim(&x, 999_999, 0).unwrap();
    let by_loop = fallback1(&[&xb, &w], |a| ops::mv(&a[1], &a[0])).unwrap();
    let by_loop = remove_batch_dim(&by_loop, 999_999, 4, 0).unwrap();
    assert_close(&by_rule, &by_loop);
}

#[test]
fn grad_of_vmap() {
    // Graphs are recorded on physical tensors: backward through vmap's output works.
    let x = leaf(&[4, 3], 1);
    let w = leaf(&[2, 3], 2);
    let mut f = |a: &[Tensor]| Ok(vec![ops::unary(&ops::mv(&a[1], &a[0])?, UnaryOp::Tanh)?]);
    let y = vmap(
        &mut f,
        &[x.clone(), w.clone()],
        &[Some(0), None],
        &[Some(0)],
        None,
    )
    .unwrap()
    .remove(0);
    assert_eq!(y.grad_fn().map(|n| n.name()), Some("TanhBackward0"));
    let loss = ops::sum(&y, None, false).unwrap();
    let g = grad(
        &[loss],
        &[x.clone(), w.clone()],
        &[],
        None,
        false,
        false,
        false,
    )
    .unwrap();
    // Reference without vmap.
    let y2 = ops::unary(
        &ops::matmul(&x, &ops::t(&w).unwrap()).unwrap(),
        UnaryOp::Tanh,
    )
    .unwrap();
    let loss2 = ops::sum(&y2, None, false).unwrap();
    let g2 = grad(&[loss2], &[x, w], &[], None, false, false, false).unwrap();
    for (a, b) in g.iter().zip(&g2) {
        assert_close(a.as_ref().unwrap(), b.as_ref().unwrap());
    }
}

#[test]
fn vmap_of_grad_is_the_jacobian() {
    // jacrev's shape: y = sin(x) recorded outside, vmap over the rows of the identity as
    // grad_outputs; the rows of the result are the rows of the Jacobian diag(cos x).
    let x = leaf(&[5], 3);
    let y = ops::unary(&x, UnaryOp::Sin).unwrap();
    let basis = Tensor::new(NdArray::eye(5, 5, DType::F64));
    let mut f = |v: &[Tensor]| {
        let g = grad(
            std::slice::from_ref(&y),
            std::slice::from_ref(&x),
            &[Some(v[0].clone())],
            Some(true),
            true,
            false,
            false,
        )?;
        Ok(vec![g[0].clone().unwrap()])
    };
    let jac = vmap(&mut f, &[basis], &[Some(0)], &[Some(0)], None)
        .unwrap()
        .remove(0);
    let expected = ops::diag(&ops::unary(&x, UnaryOp::Cos).unwrap(), 0).unwrap();
    assert_close(&jac, &expected);
    // create_graph=True: the Jacobian is differentiable again (d/dx sum(J) = -sin x).
    let s = ops::sum(&jac, None, false).unwrap();
    let h = grad(
        &[s],
        std::slice::from_ref(&x),
        &[],
        None,
        false,
        false,
        false,
    )
    .unwrap();
    assert_close(
        h[0].as_ref().unwrap(),
        &ops::neg(&ops::unary(&x, UnaryOp::Sin).unwrap()),
    );
}

#[test]
fn vmap_of_grad_through_many_formulas() {
    // A batched gradient flows through every kind of formula of an unbatched graph.
    let x = leaf(&[3, 4], 4);
    let w = leaf(&[4, 2], 5);
    let h = ops::matmul(&x, &w).unwrap();
    let h = ops::softmax(&h, -1).unwrap();
    let h = ops::index(&h, &[TensorIndex::Slice(Some(1), None, None)]).unwrap();
    let h = ops::mean(&ops::unary(&h, UnaryOp::Exp).unwrap(), Some(&[0]), false).unwrap();
    let basis = Tensor::new(NdArray::eye(2, 2, DType::F64));
    let mut f = |v: &[Tensor]| {
        let g = grad(
            std::slice::from_ref(&h),
            &[x.clone(), w.clone()],
            &[Some(v[0].clone())],
            Some(true),
            false,
            false,
            false,
        )?;
        Ok(g.into_iter().map(|t| t.unwrap()).collect())
    };
    let jac = vmap(
        &mut f,
        std::slice::from_ref(&basis),
        &[Some(0)],
        &[Some(0)],
        None,
    )
    .unwrap();
    for i in 0..2 {
        let row = ops::select(&basis, 0, i).unwrap();
        let g = grad(
            std::slice::from_ref(&h),
            &[x.clone(), w.clone()],
            &[Some(row)],
            Some(true),
            false,
            false,
            false,
        )
        .unwrap();
        assert_close(&ops::select(&jac[0], 0, i).unwrap(), g[0].as_ref().unwrap());
        assert_close(&ops::select(&jac[1], 0, i).unwrap(), g[1].as_ref().unwrap());
    }
}

#[test]
fn backward_inside_vmap_errors() {
    let x = leaf(&[2, 3], 1);
    let mut f = |a: &[Tensor]| {
        ops::sum(&a[0], None, false)?.backward(None, None, false, None)?;
        Ok(vec![a[0].clone()])
    };
    let err = vmap(&mut f, &[x], &[Some(0)], &[Some(0)], None).unwrap_err();
    assert_eq!(err.msg, BACKWARD_ERROR);
}

#[test]
fn batched_tensors_report_logical_metadata() {
    let x = leaf(&[4, 2, 3], 1);
    let mut f = |a: &[Tensor]| {
        assert_eq!(a[0].shape(), vec![4, 3]);
        assert_eq!(a[0].ndim(), 2);
        assert_eq!(a[0].numel(), 12);
        // As in PyTorch, a BatchedTensor does not itself require grad.
        assert!(!a[0].requires_grad());
        Ok(vec![a[0].clone()])
    };
    vmap(&mut f, &[x], &[Some(1)], &[Some(0)], None).unwrap();
}

#[test]
fn reverse_transform_inside_vmap_gives_per_sample_jacobians() {
    // vmap(jacrev(sin))(X): the per-sample Jacobians diag(cos X[i]), computed as a transform
    // would: differentiate on physical tensors, with the basis vmap nested inside.
    let x = data(&[4, 3], 1);
    let mut per_sample = |a: &[Tensor]| {
        let lv = active_levels();
        let leaf = Tensor::leaf(to_physical(&a[0], &lv)?.array(), true)?;
        let xb = from_physical(&leaf, &lv)?;
        let y = to_physical(&ops::unary(&xb, UnaryOp::Sin)?, &lv)?;
        let basis = Tensor::new(NdArray::eye(3, 3, DType::F64));
        let mut row = |v: &[Tensor]| {
            let g = grad(
                std::slice::from_ref(&y),
                std::slice::from_ref(&leaf),
                &[Some(to_physical(&v[0], &lv)?)],
                Some(true),
                true,
                false,
                false,
            )?;
            Ok(vec![from_physical(g[0].as_ref().unwrap(), &lv)?])
        };
        vmap(&mut row, &[basis], &[Some(0)], &[Some(0)], None)
    };
    let jac = vmap(
        &mut per_sample,
        std::slice::from_ref(&x),
        &[Some(0)],
        &[Some(0)],
        None,
    )
    .unwrap()
    .remove(0);
    assert_eq!(jac.shape(), vec![4, 3, 3]);
    for i in 0..4 {
        let xi = ops::select(&x, 0, i).unwrap();
        let expected = ops::diag(&ops::unary(&xi, UnaryOp::Cos).unwrap(), 0).unwrap();
        assert_close(&ops::select(&jac, 0, i).unwrap(), &expected);
    }
}
