//! The examples of printing.md §10 and the kernel-free cells of printing.session, byte for byte.

use super::*;

fn f32t(values: &[f64], shape: &[usize]) -> NdArray {
    NdArray::from_vec(
        values.iter().map(|&v| v as f32).collect::<Vec<f32>>(),
        shape.to_vec(),
    )
}
fn f32v(values: &[f64]) -> NdArray {
    f32t(values, &[values.len()])
}
fn f32s(v: f64) -> NdArray {
    f32t(&[v], &[])
}
fn f64t(values: &[f64], shape: &[usize]) -> NdArray {
    NdArray::from_vec(values.to_vec(), shape.to_vec())
}
fn i64t(values: &[i64], shape: &[usize]) -> NdArray {
    NdArray::from_vec(values.to_vec(), shape.to_vec())
}
fn range_f32(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}
fn range_i64(n: usize) -> Vec<i64> {
    (0..n as i64).collect()
}
/// Element-wise f32 arithmetic, as PyTorch computes it, then stored as f32.
fn map_f32(values: &[f64], shape: &[usize], f: impl Fn(f32) -> f32) -> NdArray {
    let v: Vec<f32> = values.iter().map(|&x| f(x as f32)).collect();
    NdArray::from_vec(v, shape.to_vec())
}

fn repr(a: &NdArray) -> String {
    tensor_repr_with(a, None, &PrintOptions::default())
}
fn repr_g(a: &NdArray, grad: &str) -> String {
    tensor_repr_with(a, Some(grad), &PrintOptions::default())
}
fn repr_o(a: &NdArray, opts: &PrintOptions) -> String {
    tensor_repr_with(a, None, opts)
}

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

#[test]
fn float_modes_and_widths() {
    assert_eq!(repr(&f32v(&[1., 2., 3.])), "tensor([1., 2., 3.])");
    assert_eq!(
        repr(&f32v(&[1.5, 2., 3.25])),
        "tensor([1.5000, 2.0000, 3.2500])"
    );
    assert_eq!(repr(&f32v(&[-1.5, 2.0])), "tensor([-1.5000,  2.0000])");
    assert_eq!(repr(&f32v(&[-1., 2.])), "tensor([-1.,  2.])");
    assert_eq!(
        repr(&f32v(&[2.16304, -0.40689, 10.0])),
        "tensor([ 2.1630, -0.4069, 10.0000])"
    );
    assert_eq!(repr(&f32v(&[0., 0., 0.])), "tensor([0., 0., 0.])");
    assert_eq!(repr(&f32v(&[-0., 1.])), "tensor([-0., 1.])");
    assert_eq!(repr(&f32v(&[-0., 1.5])), "tensor([-0.0000, 1.5000])");
    assert_eq!(
        repr(&f32v(&[-0., 1e-5])),
        "tensor([-0.0000e+00, 1.0000e-05])"
    );
    assert_eq!(repr(&f32v(&[NAN, INF, -INF])), "tensor([nan, inf, -inf])");
    assert_eq!(
        repr(&f32v(&[NAN, 1., 1000.])),
        "tensor([  nan,    1., 1000.])"
    );
    assert_eq!(
        repr(&f32v(&[1.5, NAN, -INF])),
        "tensor([1.5000,    nan,   -inf])"
    );
}

#[test]
fn sci_mode_thresholds() {
    assert_eq!(repr(&f32v(&[1., 1000.])), "tensor([   1., 1000.])");
    assert_eq!(
        repr(&f32v(&[1., 1001.])),
        "tensor([1.0000e+00, 1.0010e+03])"
    );
    assert_eq!(
        repr(&f32v(&[0.5, 501.])),
        "tensor([5.0000e-01, 5.0100e+02])"
    );
    assert_eq!(repr(&f32v(&[100., 0.5])), "tensor([100.0000,   0.5000])");
    assert_eq!(repr(&f32v(&[1e8])), "tensor([100000000.])");
    assert_eq!(repr(&f32v(&[1e9])), "tensor([1.0000e+09])");
    assert_eq!(repr(&f32v(&[0.0001])), "tensor([1.0000e-04])");
    assert_eq!(
        repr(&f64t(&[0.0001], &[1])),
        "tensor([0.0001], dtype=torch.float64)"
    );
    assert_eq!(
        repr(&f32v(&[1e-5, NAN, 0.])),
        "tensor([1.0000e-05,        nan, 0.0000e+00])"
    );
    assert_eq!(
        repr(&f32v(&[-1e8, 5.])),
        "tensor([-1.0000e+08,  5.0000e+00])"
    );
    assert_eq!(
        repr(&f64t(&[1e300, 1.], &[2])),
        "tensor([1.0000e+300,  1.0000e+00], dtype=torch.float64)"
    );
    assert_eq!(repr(&f32v(&[0.12345, 0.00015])), "tensor([0.1235, 0.0002])");
    assert_eq!(repr(&f32v(&[123456.789])), "tensor([123456.7891])");
    assert_eq!(
        repr(&map_f32(&range_f32(7), &[7], |x| x * 111111.1)),
        "tensor([     0.0000, 111111.1016, 222222.2031, 333333.3125, 444444.4062,\n        555555.5000, 666666.6250])"
    );
}

#[test]
fn scalars() {
    assert_eq!(repr(&f32s(16.)), "tensor(16.)");
    assert_eq!(
        repr_g(&f32s(2.), "requires_grad=True"),
        "tensor(2., requires_grad=True)"
    );
    assert_eq!(repr(&f32s(-0.4069)), "tensor(-0.4069)");
    assert_eq!(repr(&f32s(-0.)), "tensor(-0.)");
    assert_eq!(repr(&f32s(1e10)), "tensor(1.0000e+10)");
    assert_eq!(repr(&f32s(100000.5)), "tensor(100000.5000)");
    assert_eq!(
        repr(&map_f32(&[0.1], &[], |x| x + 0.2f32)),
        "tensor(0.3000)"
    );
    assert_eq!(repr(&i64t(&[3], &[])), "tensor(3)");
    assert_eq!(repr(&NdArray::from_vec(vec![true], vec![])), "tensor(True)");
    assert_eq!(
        repr(&NdArray::from_vec(vec![5i32], vec![])),
        "tensor(5, dtype=torch.int32)"
    );
    assert_eq!(repr(&f32s(NAN)), "tensor(nan)");
    assert_eq!(repr(&f32s(-2.5e-7)), "tensor(-2.5000e-07)");
}

#[test]
fn empty_tensors() {
    assert_eq!(repr(&f32t(&[], &[0])), "tensor([])");
    assert_eq!(repr(&f32t(&[], &[0, 3])), "tensor([], size=(0, 3))");
    assert_eq!(repr(&i64t(&[], &[0])), "tensor([], dtype=torch.int64)");
    assert_eq!(
        repr(&NdArray::from_vec(Vec::<bool>::new(), vec![0])),
        "tensor([], dtype=torch.bool)"
    );
    assert_eq!(
        repr(&f64t(&[], &[2, 0])),
        "tensor([], size=(2, 0), dtype=torch.float64)"
    );
    assert_eq!(
        repr_g(&f64t(&[], &[0]), "requires_grad=True"),
        "tensor([], dtype=torch.float64, requires_grad=True)"
    );
    assert_eq!(repr(&f32t(&[], &[1, 0])), "tensor([], size=(1, 0))");
}

#[test]
fn ints_bools_and_dtypes() {
    assert_eq!(repr(&i64t(&[1, -20, 300], &[3])), "tensor([  1, -20, 300])");
    assert_eq!(
        repr(&NdArray::from_vec(vec![1i32, 2, 3, 4], vec![2, 2])),
        "tensor([[1, 2],\n        [3, 4]], dtype=torch.int32)"
    );
    assert_eq!(
        repr(&NdArray::from_vec(vec![true, false, true], vec![3])),
        "tensor([ True, False,  True])"
    );
    assert_eq!(
        repr(&f64t(&[1., 2.], &[2])),
        "tensor([1., 2.], dtype=torch.float64)"
    );
}

#[test]
fn nested_layouts() {
    assert_eq!(
        repr(&f32t(&[1.5, -2., 3., 40.], &[2, 2])),
        "tensor([[ 1.5000, -2.0000],\n        [ 3.0000, 40.0000]])"
    );
    assert_eq!(
        repr(&f32t(&[0.5, -1.25, 2., 1e-3], &[2, 2])),
        "tensor([[ 5.0000e-01, -1.2500e+00],\n        [ 2.0000e+00,  1.0000e-03]])"
    );
    assert_eq!(
        repr(&f32t(&[1., 0., 0., 0., 1., 0., 0., 0., 1.], &[3, 3])),
        "tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.]])"
    );
    assert_eq!(
        repr(&f32t(&range_f32(24), &[2, 3, 4])),
        "tensor([[[ 0.,  1.,  2.,  3.],
         [ 4.,  5.,  6.,  7.],
         [ 8.,  9., 10., 11.]],

        [[12., 13., 14., 15.],
         [16., 17., 18., 19.],
         [20., 21., 22., 23.]]])"
    );
    assert_eq!(
        repr(&i64t(&range_i64(16), &[2, 2, 2, 2])),
        "tensor([[[[ 0,  1],
          [ 2,  3]],

         [[ 4,  5],
          [ 6,  7]]],


        [[[ 8,  9],
          [10, 11]],

         [[12, 13],
          [14, 15]]]])"
    );
}

#[test]
fn line_wrapping() {
    assert_eq!(
        repr(&i64t(&range_i64(30), &[30])),
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])"
    );
    assert_eq!(
        repr(&f32v(&range_f32(30))),
        "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
        28., 29.])"
    );
    let linspace: Vec<f64> = (0..15).map(|i| i as f64 / 14.0).collect();
    assert_eq!(
        repr(&f32v(&linspace)),
        "tensor([0.0000, 0.0714, 0.1429, 0.2143, 0.2857, 0.3571, 0.4286, 0.5000, 0.5714,
        0.6429, 0.7143, 0.7857, 0.8571, 0.9286, 1.0000])"
    );
    assert_eq!(
        repr(&f32t(&range_f32(40), &[2, 20])),
        "tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
         14., 15., 16., 17., 18., 19.],
        [20., 21., 22., 23., 24., 25., 26., 27., 28., 29., 30., 31., 32., 33.,
         34., 35., 36., 37., 38., 39.]])"
    );
}

#[test]
fn summarisation() {
    assert_eq!(
        repr(&i64t(&range_i64(2000), &[2000])),
        "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"
    );
    assert_eq!(
        repr(&map_f32(&range_f32(2000), &[2000], |x| x / 7.0)),
        "tensor([0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 2.8529e+02, 2.8543e+02,
        2.8557e+02])"
    );
    assert_eq!(
        repr(&i64t(&range_i64(3000), &[1000, 3])),
        "tensor([[   0,    1,    2],
        [   3,    4,    5],
        [   6,    7,    8],
        ...,
        [2991, 2992, 2993],
        [2994, 2995, 2996],
        [2997, 2998, 2999]])"
    );
    assert_eq!(
        repr(&i64t(&range_i64(1001), &[143, 7])),
        "tensor([[   0,    1,    2,  ...,    4,    5,    6],
        [   7,    8,    9,  ...,   11,   12,   13],
        [  14,   15,   16,  ...,   18,   19,   20],
        ...,
        [ 980,  981,  982,  ...,  984,  985,  986],
        [ 987,  988,  989,  ...,  991,  992,  993],
        [ 994,  995,  996,  ...,  998,  999, 1000]])"
    );
    let mut cat = vec![1.0; 3];
    cat.extend(std::iter::repeat_n(1.5, 1000));
    cat.extend([1.0; 3]);
    assert_eq!(repr(&f32v(&cat)), "tensor([1., 1., 1.,  ..., 1., 1., 1.])");
    // Exactly 1000 elements print in full.
    let full = repr(&i64t(&range_i64(1000), &[1000]));
    assert!(!full.contains("..."));
}

#[test]
fn grad_suffixes() {
    assert_eq!(
        repr_g(&f32t(&[1.; 4], &[2, 2]), "requires_grad=True"),
        "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"
    );
    let a = [1., 2., 3., 4., 5., 6.];
    assert_eq!(
        repr_g(&map_f32(&a, &[2, 3], |x| x * 2.0), "grad_fn=<MulBackward0>"),
        "tensor([[ 2.,  4.,  6.],\n        [ 8., 10., 12.]], grad_fn=<MulBackward0>)"
    );
    assert_eq!(
        repr_g(&f32s(91.), "grad_fn=<SumBackward0>"),
        "tensor(91., grad_fn=<SumBackward0>)"
    );
    assert_eq!(
        repr_g(&f32s(3.5), "grad_fn=<MeanBackward0>"),
        "tensor(3.5000, grad_fn=<MeanBackward0>)"
    );
    assert_eq!(
        repr_g(&f32v(&[2.5, 3.5, 4.5]), "grad_fn=<MeanBackward1>"),
        "tensor([2.5000, 3.5000, 4.5000], grad_fn=<MeanBackward1>)"
    );
    assert_eq!(
        repr_g(&f32v(&[6., 15.]), "grad_fn=<SumBackward1>"),
        "tensor([ 6., 15.], grad_fn=<SumBackward1>)"
    );
    assert_eq!(
        repr_g(&f32t(&[1., 2., 3.], &[1, 3]), "grad_fn=<SliceBackward0>"),
        "tensor([[1., 2., 3.]], grad_fn=<SliceBackward0>)"
    );
    assert_eq!(
        repr_g(
            &f32t(&[1., 4., 2., 5., 3., 6.], &[3, 2]),
            "grad_fn=<TBackward0>"
        ),
        "tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], grad_fn=<TBackward0>)"
    );
    assert_eq!(
        repr_g(&map_f32(&a, &[2, 3], f32::exp), "grad_fn=<ExpBackward0>"),
        "tensor([[  2.7183,   7.3891,  20.0855],
        [ 54.5981, 148.4132, 403.4288]], grad_fn=<ExpBackward0>)"
    );
    assert_eq!(
        repr_g(&map_f32(&a, &[2, 3], f32::ln), "grad_fn=<LogBackward0>"),
        "tensor([[0.0000, 0.6931, 1.0986],
        [1.3863, 1.6094, 1.7918]], grad_fn=<LogBackward0>)"
    );
    assert_eq!(
        repr_g(&map_f32(&a, &[2, 3], f32::sin), "grad_fn=<SinBackward0>"),
        "tensor([[ 0.8415,  0.9093,  0.1411],
        [-0.7568, -0.9589, -0.2794]], grad_fn=<SinBackward0>)"
    );
    assert_eq!(
        repr_g(&map_f32(&a, &[2, 3], |x| x / 3.0), "grad_fn=<DivBackward0>"),
        "tensor([[0.3333, 0.6667, 1.0000],
        [1.3333, 1.6667, 2.0000]], grad_fn=<DivBackward0>)"
    );
    assert_eq!(
        repr_g(
            &map_f32(&a, &[2, 3], |x| x.powf(x)),
            "grad_fn=<PowBackward1>"
        ),
        "tensor([[1.0000e+00, 4.0000e+00, 2.7000e+01],
        [2.5600e+02, 3.1250e+03, 4.6656e+04]], grad_fn=<PowBackward1>)"
    );
    assert_eq!(
        repr_g(&f32v(&[22., 28.]), "grad_fn=<SqueezeBackward4>"),
        "tensor([22., 28.], grad_fn=<SqueezeBackward4>)"
    );
    assert_eq!(
        repr_g(
            &f32t(&[1., 0., -1.], &[3, 1]),
            "grad_fn=<UnsqueezeBackward0>"
        ),
        "tensor([[ 1.],\n        [ 0.],\n        [-1.]], grad_fn=<UnsqueezeBackward0>)"
    );
    assert_eq!(
        repr_g(&f32v(&[1., 0., -1., 1., 0., -1.]), "grad_fn=<CatBackward0>"),
        "tensor([ 1.,  0., -1.,  1.,  0., -1.], grad_fn=<CatBackward0>)"
    );
}

#[test]
fn suffix_wrapping() {
    assert_eq!(
        repr_g(
            &map_f32(&range_f32(20), &[4, 5], f32::exp),
            "grad_fn=<ExpBackward0>"
        ),
        "tensor([[1.0000e+00, 2.7183e+00, 7.3891e+00, 2.0086e+01, 5.4598e+01],
        [1.4841e+02, 4.0343e+02, 1.0966e+03, 2.9810e+03, 8.1031e+03],
        [2.2026e+04, 5.9874e+04, 1.6275e+05, 4.4241e+05, 1.2026e+06],
        [3.2690e+06, 8.8861e+06, 2.4155e+07, 6.5660e+07, 1.7848e+08]],
       grad_fn=<ExpBackward0>)"
    );
    let lin: Vec<f64> = (0..9).map(|i| (-1.0 + 0.25 * i as f64) * 3.0).collect();
    assert_eq!(
        repr_g(&f32v(&lin), "grad_fn=<MulBackward0>"),
        "tensor([-3.0000, -2.2500, -1.5000, -0.7500,  0.0000,  0.7500,  1.5000,  2.2500,
         3.0000], grad_fn=<MulBackward0>)"
    );
    let six = [1.2345, 2.3456, 3.4567, 4.5678, 5.6789, 6.7891];
    assert_eq!(
        repr_g(&f64t(&six, &[6]), "grad_fn=<MulBackward0>"),
        "tensor([1.2345, 2.3456, 3.4567, 4.5678, 5.6789, 6.7891], dtype=torch.float64,
       grad_fn=<MulBackward0>)"
    );
    let seven = [1.2345, 2.3456, 3.4567, 4.5678, 5.6789, 6.7891, 7.8912];
    assert_eq!(
        repr_g(&f64t(&seven, &[7]), "grad_fn=<MulBackward0>"),
        "tensor([1.2345, 2.3456, 3.4567, 4.5678, 5.6789, 6.7891, 7.8912],
       dtype=torch.float64, grad_fn=<MulBackward0>)"
    );
    let r: Vec<f64> = (0..18).map(|i| i as f64 * 1.5).collect();
    assert_eq!(
        repr_g(&f64t(&r, &[18]), "grad_fn=<MulBackward0>"),
        "tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,
        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,
        24.0000, 25.5000], dtype=torch.float64, grad_fn=<MulBackward0>)"
    );
    assert_eq!(
        repr_g(&f32t(&[2., 0., 0., 4.], &[2, 2]), "grad_fn=<ViewBackward0>"),
        "tensor([[2., 0.],\n        [0., 4.]], grad_fn=<ViewBackward0>)"
    );
}

#[test]
fn session_cells() {
    assert_eq!(
        repr(&f32t(&[1., 2., 30., 400.], &[2, 2])),
        "tensor([[  1.,   2.],\n        [ 30., 400.]])"
    );
    assert_eq!(
        repr(&f32v(&[0.1, 0.01, 0.001, 0.0001])),
        "tensor([1.0000e-01, 1.0000e-02, 1.0000e-03, 1.0000e-04])"
    );
    assert_eq!(repr(&f32v(&[1e8, 1.0])), "tensor([1.0000e+08, 1.0000e+00])");
    assert_eq!(repr(&f32v(&[1e9, 2e9])), "tensor([1.0000e+09, 2.0000e+09])");
    assert_eq!(
        repr(&f32v(&[123456.0, 0.5])),
        "tensor([1.2346e+05, 5.0000e-01])"
    );
    assert_eq!(
        repr(&f32v(&[1e-8, 2e-8])),
        "tensor([1.0000e-08, 2.0000e-08])"
    );
    assert_eq!(repr(&f32v(&[0.0, -0.0, 1.0])), "tensor([0., -0., 1.])");
    assert_eq!(
        repr(&f32v(&[NAN, 1.0, INF, -INF])),
        "tensor([nan, 1., inf, -inf])"
    );
    assert_eq!(repr(&f32v(&[NAN, 1.5])), "tensor([   nan, 1.5000])");
    assert_eq!(repr(&f32s(-0.25)), "tensor(-0.2500)");
    assert_eq!(
        repr(&i64t(&[-1, 20, 300, -4000], &[2, 2])),
        "tensor([[   -1,    20],\n        [  300, -4000]])"
    );
    assert_eq!(
        repr_g(&f64t(&[2.0], &[]), "requires_grad=True"),
        "tensor(2., dtype=torch.float64, requires_grad=True)"
    );
    assert_eq!(repr(&f32t(&[], &[2, 0])), "tensor([], size=(2, 0))");
    assert_eq!(
        repr(&f32t(&[1.0; 24], &[2, 3, 4])),
        "tensor([[[1., 1., 1., 1.],
         [1., 1., 1., 1.],
         [1., 1., 1., 1.]],

        [[1., 1., 1., 1.],
         [1., 1., 1., 1.],
         [1., 1., 1., 1.]]])"
    );
    assert_eq!(
        repr(&map_f32(&range_f32(30), &[30], |x| x / 7.0)),
        "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,
        3.8571, 4.0000, 4.1429])"
    );
    assert_eq!(
        repr(&f32v(&[0.0, 0.25, 0.5, 0.75, 1.0])),
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])"
    );
    assert_eq!(
        repr(&f32v(&range_f32(2000))),
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,
        1.9990e+03])"
    );
    assert_eq!(
        repr(&i64t(&range_i64(1200), &[40, 30])),
        "tensor([[   0,    1,    2,  ...,   27,   28,   29],
        [  30,   31,   32,  ...,   57,   58,   59],
        [  60,   61,   62,  ...,   87,   88,   89],
        ...,
        [1110, 1111, 1112,  ..., 1137, 1138, 1139],
        [1140, 1141, 1142,  ..., 1167, 1168, 1169],
        [1170, 1171, 1172,  ..., 1197, 1198, 1199]])"
    );
    let eye: Vec<f64> = (0..9).map(|i| if i % 4 == 0 { 1.0 } else { 0.0 }).collect();
    assert_eq!(
        repr(&map_f32(&eye, &[3, 3], |x| x * 1e-5)),
        "tensor([[1.0000e-05, 0.0000e+00, 0.0000e+00],
        [0.0000e+00, 1.0000e-05, 0.0000e+00],
        [0.0000e+00, 0.0000e+00, 1.0000e-05]])"
    );
    assert_eq!(
        repr(&f32t(&[1e-3, 1e3, 5.0, 6.0], &[2, 2])),
        "tensor([[1.0000e-03, 1.0000e+03],\n        [5.0000e+00, 6.0000e+00]])"
    );
    assert_eq!(
        repr(&f64t(
            &[1.0, -2.5, 3.25, 1.0, -2.5, 3.25, 1.0, -2.5, 3.25],
            &[3, 3]
        )),
        "tensor([[ 1.0000, -2.5000,  3.2500],
        [ 1.0000, -2.5000,  3.2500],
        [ 1.0000, -2.5000,  3.2500]], dtype=torch.float64)"
    );
}

#[test]
fn print_options_change_output() {
    let mut o = PrintOptions {
        precision: 2,
        ..PrintOptions::default()
    };
    assert_eq!(repr_o(&f32v(&[1.23456, 2.5]), &o), "tensor([1.23, 2.50])");
    o.precision = 4;
    o.sci_mode = Some(true);
    assert_eq!(
        repr_o(&f32v(&[1.5, 2.0]), &o),
        "tensor([1.5000e+00, 2.0000e+00])"
    );
    // All zeros: PyTorch never reaches the sci_mode option.
    assert_eq!(repr_o(&f32v(&[0.0, 0.0]), &o), "tensor([0., 0.])");
    o.sci_mode = Some(false);
    assert_eq!(repr_o(&f32v(&[1e-8, 1.0]), &o), "tensor([0.0000, 1.0000])");
    let o = PrintOptions::default();
    assert_eq!(
        repr_o(&f32v(&[1e-8, 1.0]), &o),
        "tensor([1.0000e-08, 1.0000e+00])"
    );
    let o = PrintOptions {
        threshold: 5,
        edgeitems: 2,
        ..PrintOptions::default()
    };
    assert_eq!(
        repr_o(&f32v(&range_f32(10)), &o),
        "tensor([0., 1.,  ..., 8., 9.])"
    );
    let o = PrintOptions {
        linewidth: 40,
        ..PrintOptions::default()
    };
    assert_eq!(
        repr_o(&f32v(&range_f32(20)), &o),
        "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,
         6.,  7.,  8.,  9., 10., 11.,
        12., 13., 14., 15., 16., 17.,
        18., 19.])"
    );
}

#[test]
fn edgeitems_zero_shows_size() {
    let o = PrintOptions {
        threshold: 5,
        edgeitems: 0,
        ..PrintOptions::default()
    };
    assert_eq!(
        repr_o(&f32v(&range_f32(10)), &o),
        "tensor([...], size=(10,))"
    );
    assert_eq!(
        repr_o(&f32t(&range_f32(12), &[3, 4]), &o),
        "tensor([...], size=(3, 4))"
    );
}

#[test]
fn profiles() {
    let short = set_printoptions_profile("short").expect("known profile");
    assert_eq!(
        (short.precision, short.threshold, short.edgeitems),
        (2, 1000, 2)
    );
    let full = set_printoptions_profile("full").expect("known profile");
    assert_eq!(full.threshold, usize::MAX);
    assert_eq!(
        set_printoptions_profile("default").expect("known profile"),
        PrintOptions::default()
    );
}

#[test]
fn strided_views_print_in_logical_order() {
    let a = f32t(&[1., 2., 3., 4., 5., 6.], &[2, 3]);
    // The transpose as a view: shape (3, 2), strides (1, 3).
    let t = a.with_layout(vec![3, 2], vec![1, 3], 0);
    assert_eq!(
        repr(&t),
        "tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]])"
    );
    // A summarised strided view fetches elements one by one.
    let big = i64t(&range_i64(2000), &[2000]);
    let every_other = big.with_layout(vec![1000, 1], vec![2, 1], 1);
    let o = PrintOptions {
        threshold: 10,
        ..PrintOptions::default()
    };
    assert_eq!(
        repr_o(&every_other, &o),
        "tensor([[   1],\n        [   3],\n        [   5],\n        ...,\n        [1995],\n        [1997],\n        [1999]])"
    );
}

#[test]
fn python_number_primitives() {
    assert_eq!(format_exp(1e8, 4), "1.0000e+08");
    assert_eq!(format_exp(-1e-5, 4), "-1.0000e-05");
    assert_eq!(format_exp(1e300, 4), "1.0000e+300");
    assert_eq!(format_exp(0.0, 4), "0.0000e+00");
    assert_eq!(format_exp(-0.0, 4), "-0.0000e+00");
    assert_eq!(format_fixed(0.125, 2), "0.12");
    assert_eq!(format_fixed(2.5, 0), "2");
    assert_eq!(format_fixed(-0.0, 0), "-0");
    assert_eq!(format_fixed(f64::NEG_INFINITY, 4), "-inf");
    assert_eq!(format_fixed(NAN, 4), "nan");
}

#[test]
fn set_printoptions_resets_sci_mode_like_pytorch() {
    set_print_options(PrintOptions::default());
    set_printoptions(&SetPrintOptions {
        sci_mode: Some(true),
        ..SetPrintOptions::default()
    });
    assert_eq!(print_options().sci_mode, Some(true));
    assert_eq!(tensor_repr(&f32v(&[1.5]), None), "tensor([1.5000e+00])");
    // A later call without sci_mode puts it back to automatic.
    set_printoptions(&SetPrintOptions {
        precision: Some(2),
        ..SetPrintOptions::default()
    });
    assert_eq!(print_options().sci_mode, None);
    assert_eq!(tensor_repr(&f32v(&[1.5]), None), "tensor([1.50])");
    set_printoptions(&SetPrintOptions {
        profile: Some("short"),
        linewidth: Some(40),
        ..SetPrintOptions::default()
    });
    let o = print_options();
    assert_eq!((o.precision, o.edgeitems, o.linewidth), (2, 2, 40));
    set_printoptions(&SetPrintOptions {
        profile: Some("default"),
        ..SetPrintOptions::default()
    });
    assert_eq!(print_options(), PrintOptions::default());
}
