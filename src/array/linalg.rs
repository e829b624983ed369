//! Matrix products through nalgebra. (Implementation owned by the array work.)
//! Inputs of different float dtypes are an error as in PyTorch ("expected m1 and m2 to have the
//! same dtype, but got: float != double"); integer matmul is computed exactly in i64.

use super::kernel::{cpp_type_name, scalar_type_name};
use super::{DType, Element, NdArray, Storage};
use crate::error::{PyResult, runtime_error};
use nalgebra::{
    DMatrixView, DMatrixViewMut, DVector, DVectorView, DVectorViewMut, Dyn, MatrixView, U1,
};

/// A strided 2-D operand: `rows × cols` starting at `offset` with the given strides.
#[derive(Clone, Copy)]
struct Operand {
    offset: usize,
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

/// Element types nalgebra multiplies (its gemm uses matrixmultiply's packed, SIMD kernels for
/// f32/f64 beyond tiny sizes).
trait Gemm: Element + Send + Sync {
    /// `out` (row-major m×n, fully overwritten) = A · B.
    fn gemm(out: &mut [Self], a: &[Self], ao: Operand, b: &[Self], bo: Operand);
}

macro_rules! gemm_impl {
    ($t:ty, $zero:expr, $one:expr) => {
        impl Gemm for $t {
            fn gemm(out: &mut [$t], a: &[$t], ao: Operand, b: &[$t], bo: Operand) {
                // nalgebra is column-major, and its small-matrix gemm path mis-indexes views
                // whose row stride is not 1 (an unsafe-precondition abort in debug builds). A
                // row-major operand is a column-major view of its transpose; a column-major
                // (transposed) operand is a column-major view as it is. So the product is taken
                // as Cᵀ = Bᵀ·Aᵀ straight into the row-major output when both operands are
                // row-major, or as C = A·B into a column-major buffer (then transposed into the
                // output) when both are column-major; whichever needs less packing of operands
                // that fit neither.
                let (m, n) = (ao.rows, bo.cols);
                if m.min(n) <= THIN {
                    // One matrix-vector product per output row (or column) against whichever
                    // layout of the other operand is contiguous: nalgebra's gemm gives such
                    // shapes to a loop of one gemv per output column, which costs a call per
                    // scalar for a one-row output (190 µs instead of 8 µs for [1, 2048] ·
                    // [2048, 32], the forward pass of every F.linear on a vector).
                    let k = ao.cols;
                    let mut xbuf = Vec::new();
                    if m <= n {
                        // C[i, :] = Bᵀ · A[i, :]
                        let (packed, bo) = pack_unit(b, bo);
                        let b = packed.as_deref().unwrap_or(b);
                        for i in 0..m {
                            let x = unit(
                                a,
                                ao.offset + i * ao.row_stride,
                                k,
                                ao.col_stride,
                                &mut xbuf,
                            );
                            let mut y = DVectorViewMut::from_slice(&mut out[i * n..(i + 1) * n], n);
                            if bo.row_major() {
                                y.gemv($one, &unit_view(b, bo, true), &x, $zero);
                            } else {
                                y.gemv_tr($one, &unit_view(b, bo, false), &x, $zero);
                            }
                        }
                    } else {
                        // C[:, j] = A · B[:, j]
                        let (packed, ao) = pack_unit(a, ao);
                        let a = packed.as_deref().unwrap_or(a);
                        let mut y = DVector::<$t>::zeros(m);
                        for j in 0..n {
                            let x = unit(
                                b,
                                bo.offset + j * bo.col_stride,
                                k,
                                bo.row_stride,
                                &mut xbuf,
                            );
                            if ao.col_major() {
                                y.gemv($one, &unit_view(a, ao, false), &x, $zero);
                            } else {
                                y.gemv_tr($one, &unit_view(a, ao, true), &x, $zero);
                            }
                            for (r, v) in y.iter().enumerate() {
                                out[r * n + j] = *v;
                            }
                        }
                    }
                    return;
                }
                let cost_rows =
                    (!ao.row_major()) as usize * ao.len() + (!bo.row_major()) as usize * bo.len();
                let cost_cols = (!ao.col_major()) as usize * ao.len()
                    + (!bo.col_major()) as usize * bo.len()
                    + m * n;
                if cost_rows <= cost_cols {
                    let (a_packed, ao) = pack(a, ao, false);
                    let (b_packed, bo) = pack(b, bo, false);
                    let (a, b): (&[$t], &[$t]) = (
                        a_packed.as_deref().unwrap_or(a),
                        b_packed.as_deref().unwrap_or(b),
                    );
                    let (bt, at) = (view(b, bo, true), view(a, ao, true));
                    let mut ct = DMatrixViewMut::from_slice(out, n, m);
                    ct.gemm($one, &bt, &at, $zero);
                } else {
                    let (a_packed, ao) = pack(a, ao, true);
                    let (b_packed, bo) = pack(b, bo, true);
                    let (a, b): (&[$t], &[$t]) = (
                        a_packed.as_deref().unwrap_or(a),
                        b_packed.as_deref().unwrap_or(b),
                    );
                    let (av, bv) = (view(a, ao, false), view(b, bo, false));
                    let mut tmp = vec![$zero; m * n];
                    let mut c = DMatrixViewMut::from_slice(&mut tmp, m, n);
                    c.gemm($one, &av, &bv, $zero);
                    for i in 0..m {
                        for j in 0..n {
                            out[i * n + j] = tmp[i + j * m];
                        }
                    }
                }
            }
        }
    };
}

/// Products whose output has at most this many rows or columns are matrix-vector products
/// (nalgebra's own threshold for handing a product to matrixmultiply is a side above 5).
const THIN: usize = 5;

/// `len` elements of `data` from `offset`, `stride` apart, as a unit-stride nalgebra vector
/// (copied into `buf` unless already contiguous): unit strides are what let the compiler
/// vectorize nalgebra's dot and axpy loops.
fn unit<'a, T: nalgebra::Scalar + Copy>(
    data: &'a [T],
    offset: usize,
    len: usize,
    stride: usize,
    buf: &'a mut Vec<T>,
) -> DVectorView<'a, T> {
    if stride == 1 || len <= 1 {
        return DVectorView::from_slice(&data[offset..offset + len], len);
    }
    buf.clear();
    buf.extend((0..len).map(|i| data[offset + i * stride]));
    DVectorView::from_slice(buf, len)
}

/// An operand that is row- or column-major as it is, else a row-major copy.
fn pack_unit<T: Copy>(data: &[T], o: Operand) -> (Option<Vec<T>>, Operand) {
    if o.row_major() || o.col_major() {
        (None, o)
    } else {
        pack(data, o, false)
    }
}

/// A row- or column-major operand as a unit-row-stride nalgebra view of itself or (when
/// `transposed`) of its transpose; the caller picks the side whose stride is 1.
fn unit_view<T: nalgebra::Scalar>(data: &[T], o: Operand, transposed: bool) -> DMatrixView<'_, T> {
    let (rows, cols, cs) = if transposed {
        (o.cols, o.rows, o.row_stride)
    } else {
        (o.rows, o.cols, o.col_stride)
    };
    let len = if rows == 0 || cols == 0 {
        0
    } else {
        (cols - 1) * cs + rows
    };
    DMatrixView::from_slice_with_strides_generic(
        &data[o.offset..o.offset + len],
        Dyn(rows),
        Dyn(cols),
        U1,
        Dyn(cs),
    )
}

/// An operand as a column-major nalgebra view: itself, or its transpose (`transposed`).
fn view<T: nalgebra::Scalar>(
    data: &[T],
    o: Operand,
    transposed: bool,
) -> MatrixView<'_, T, Dyn, Dyn, Dyn, Dyn> {
    let (rows, cols, rs, cs) = if transposed {
        (o.cols, o.rows, o.col_stride, o.row_stride)
    } else {
        (o.rows, o.cols, o.row_stride, o.col_stride)
    };
    MatrixView::from_slice_with_strides_generic(
        &data[o.offset..],
        Dyn(rows),
        Dyn(cols),
        Dyn(rs),
        Dyn(cs),
    )
}

impl Operand {
    fn len(&self) -> usize {
        self.rows * self.cols
    }
    /// Usable as the column-major view of its transpose (unit column stride).
    fn row_major(&self) -> bool {
        self.col_stride == 1 || self.cols <= 1
    }
    /// Usable as a column-major view (unit row stride).
    fn col_major(&self) -> bool {
        self.row_stride == 1 || self.rows <= 1
    }
}

/// A dense copy of an operand that does not already have the layout a product path needs:
/// row-major (`col_major == false`) or column-major.
fn pack<T: Copy>(data: &[T], o: Operand, col_major: bool) -> (Option<Vec<T>>, Operand) {
    if (!col_major && o.row_major()) || (col_major && o.col_major()) {
        return (None, o);
    }
    let mut v = crate::array::alloc::vec_with_capacity(o.len());
    if col_major {
        for c in 0..o.cols {
            for r in 0..o.rows {
                v.push(data[o.offset + r * o.row_stride + c * o.col_stride]);
            }
        }
    } else {
        for r in 0..o.rows {
            for c in 0..o.cols {
                v.push(data[o.offset + r * o.row_stride + c * o.col_stride]);
            }
        }
    }
    let packed = Operand {
        offset: 0,
        rows: o.rows,
        cols: o.cols,
        row_stride: if col_major { 1 } else { o.cols },
        col_stride: if col_major { o.rows } else { 1 },
    };
    (Some(v), packed)
}

gemm_impl!(f32, 0.0, 1.0);
gemm_impl!(f64, 0.0, 1.0);
gemm_impl!(i32, 0, 1);
gemm_impl!(i64, 0, 1);

impl NdArray {
    fn operand(&self) -> Operand {
        Operand {
            offset: self.offset(),
            rows: self.shape()[0],
            cols: self.shape()[1],
            row_stride: self.strides()[0],
            col_stride: self.strides()[1],
        }
    }

    /// A 1-D array as a `len × 1` column (`as_row`: `1 × len`).
    fn vector_operand(&self, as_row: bool) -> Operand {
        let (len, stride) = (self.shape()[0], self.strides()[0]);
        Operand {
            offset: self.offset(),
            rows: if as_row { 1 } else { len },
            cols: if as_row { len } else { 1 },
            row_stride: if as_row { 1 } else { stride },
            col_stride: if as_row { stride } else { 1 },
        }
    }

    /// One product of strided operands into a fresh row-major array of `shape`.
    fn product(&self, a: Operand, other: &NdArray, b: Operand, shape: Vec<usize>) -> NdArray {
        let (m, n) = (a.rows, b.cols);
        let storage = gemm_dispatch(
            self.dtype(),
            &self.storage(),
            a,
            &other.storage(),
            b,
            m * n,
            1,
            0,
            0,
        );
        NdArray::from_storage(storage, shape)
    }

    /// 2-D @ 2-D. "mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)".
    pub fn mm(&self, other: &NdArray) -> PyResult<NdArray> {
        if self.ndim() != 2 {
            return Err(runtime_error("self must be a matrix"));
        }
        if other.ndim() != 2 {
            return Err(runtime_error("mat2 must be a matrix"));
        }
        let (m, k, k2, n) = (
            self.shape()[0],
            self.shape()[1],
            other.shape()[0],
            other.shape()[1],
        );
        if k != k2 {
            return Err(runtime_error(format!(
                "mm: mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})"
            )));
        }
        check_matmul_dtypes(self.dtype(), other.dtype(), "addmm_impl_cpu_")?;
        super::check_alloc(m.saturating_mul(n), self.dtype().size())?;
        Ok(self.product(self.operand(), other, other.operand(), vec![m, n]))
    }

    /// 3-D @ 3-D batched. "Expected size for first two dimensions of batch2 tensor to be: [2, 3]
    /// but got: [2, 4]."
    pub fn bmm(&self, other: &NdArray) -> PyResult<NdArray> {
        if self.ndim() != 3 {
            return Err(runtime_error("batch1 must be a 3D tensor"));
        }
        if other.ndim() != 3 {
            return Err(runtime_error("batch2 must be a 3D tensor"));
        }
        let (batch, m, k) = (self.shape()[0], self.shape()[1], self.shape()[2]);
        if other.shape()[0] != batch || other.shape()[1] != k {
            return Err(runtime_error(format!(
                "Expected size for first two dimensions of batch2 tensor to be: [{}, {}] but got: [{}, {}].",
                batch,
                k,
                other.shape()[0],
                other.shape()[1]
            )));
        }
        check_matmul_dtypes(self.dtype(), other.dtype(), "bmm")?;
        let n = other.shape()[2];
        super::check_alloc(
            batch.saturating_mul(m).saturating_mul(n),
            self.dtype().size(),
        )?;
        let a = self.matrix_at(0);
        let b = other.matrix_at(0);
        let storage = gemm_dispatch(
            self.dtype(),
            &self.storage(),
            a,
            &other.storage(),
            b,
            m * n,
            batch,
            self.strides()[0],
            other.strides()[0],
        );
        Ok(NdArray::from_storage(storage, vec![batch, m, n]))
    }

    /// The 2-D operand of batch entry `i` of a 3-D array.
    fn matrix_at(&self, i: usize) -> Operand {
        Operand {
            offset: self.offset() + i * self.strides()[0],
            rows: self.shape()[1],
            cols: self.shape()[2],
            row_stride: self.strides()[1],
            col_stride: self.strides()[2],
        }
    }

    /// 2-D @ 1-D. "size mismatch, got input (2), mat (2x3), vec (4)".
    pub fn mv(&self, other: &NdArray) -> PyResult<NdArray> {
        if self.ndim() != 2 || other.ndim() != 1 {
            return Err(runtime_error(format!(
                "vector + matrix @ vector expected, got 1, {}, {}",
                self.ndim(),
                other.ndim()
            )));
        }
        let (m, k) = (self.shape()[0], self.shape()[1]);
        if other.shape()[0] != k {
            return Err(runtime_error(format!(
                "size mismatch, got input ({m}), mat ({m}x{k}), vec ({})",
                other.shape()[0]
            )));
        }
        check_matmul_dtypes(self.dtype(), other.dtype(), "addmv_impl_cpu")?;
        Ok(self.product(self.operand(), other, other.vector_operand(false), vec![m]))
    }

    /// 1-D · 1-D. "inconsistent tensor size, expected tensor [3] and src [4] to have the same
    /// number of elements, but got 3 and 4 elements respectively"; "1D tensors expected, but got
    /// 2D and 1D tensors".
    pub fn dot(&self, other: &NdArray) -> PyResult<NdArray> {
        if self.ndim() != 1 || other.ndim() != 1 {
            return Err(runtime_error(format!(
                "1D tensors expected, but got {}D and {}D tensors",
                self.ndim(),
                other.ndim()
            )));
        }
        let (n1, n2) = (self.numel(), other.numel());
        if n1 != n2 {
            return Err(runtime_error(format!(
                "inconsistent tensor size, expected tensor [{n1}] and src [{n2}] to have the same number of elements, but got {n1} and {n2} elements respectively"
            )));
        }
        if self.dtype() != other.dtype() {
            return Err(runtime_error(format!(
                "dot : expected both vectors to have same dtype, but found {} and {}",
                scalar_type_name(self.dtype()),
                scalar_type_name(other.dtype())
            )));
        }
        check_matmul_dtypes(self.dtype(), other.dtype(), "dot")?;
        if self.dtype() == DType::F32 {
            let (x, y) = (self.to_vec::<f32>(), other.to_vec::<f32>());
            return Ok(NdArray::from_vec(vec![mkl_sdot(&x, &y)], vec![]));
        }
        Ok(self.product(
            self.vector_operand(true),
            other,
            other.vector_operand(false),
            vec![],
        ))
    }
}

fn check_matmul_dtypes(a: DType, b: DType, kernel: &str) -> PyResult<()> {
    if a != b {
        return Err(runtime_error(format!(
            "expected m1 and m2 to have the same dtype, but got: {} != {}",
            cpp_type_name(a),
            cpp_type_name(b)
        )));
    }
    if a == DType::Bool {
        return Err(runtime_error(format!(
            "\"{kernel}\" not implemented for 'Bool'"
        )));
    }
    Ok(())
}

/// Products with at least this many multiply-adds run on two cores.
const PARALLEL_WORK: usize = 1 << 23;

/// Runs `batch` products (operand offsets advancing by the batch strides) into one buffer of
/// `batch * per` elements. Empty inner dims give zeros, as in PyTorch.
#[allow(clippy::too_many_arguments)]
fn gemm_dispatch(
    dtype: DType,
    sa: &Storage,
    a: Operand,
    sb: &Storage,
    b: Operand,
    per: usize,
    batch: usize,
    a_batch_stride: usize,
    b_batch_stride: usize,
) -> Storage {
    fn run<T: Gemm>(
        sa: &Storage,
        a: Operand,
        sb: &Storage,
        b: Operand,
        per: usize,
        batch: usize,
        strides: (usize, usize),
    ) -> Storage {
        let mut out = vec![T::default(); per * batch];
        if per > 0 && a.cols > 0 {
            let (da, db) = (super::kernel::typed::<T>(sa), super::kernel::typed::<T>(sb));
            let work = per.saturating_mul(a.cols).saturating_mul(batch);
            let entry = |i: usize, chunk: &mut [T]| {
                let ai = Operand {
                    offset: a.offset + i * strides.0,
                    ..a
                };
                let bi = Operand {
                    offset: b.offset + i * strides.1,
                    ..b
                };
                T::gemm(chunk, da, ai, db, bi);
            };
            if work < PARALLEL_WORK || !super::parallel() {
                for (i, chunk) in out.chunks_mut(per).enumerate() {
                    entry(i, chunk);
                }
            } else if batch >= 2 {
                // Half of the batch entries on each core.
                let (lo, hi) = out.split_at_mut((batch / 2) * per);
                super::join(
                    || {
                        for (i, chunk) in lo.chunks_mut(per).enumerate() {
                            entry(i, chunk);
                        }
                    },
                    || {
                        for (i, chunk) in hi.chunks_mut(per).enumerate() {
                            entry(batch / 2 + i, chunk);
                        }
                    },
                );
            } else {
                // One product: half of the output rows on each core (each output element is
                // still one thread's dot product, so the split does not change the result).
                let h = a.rows / 2;
                let (lo, hi) = out.split_at_mut(h * b.cols);
                let (top, bottom) = (
                    Operand { rows: h, ..a },
                    Operand {
                        rows: a.rows - h,
                        offset: a.offset + h * a.row_stride,
                        ..a
                    },
                );
                super::join(
                    || T::gemm(lo, da, top, db, b),
                    || T::gemm(hi, da, bottom, db, b),
                );
            }
        }
        T::into_storage(out)
    }
    let strides = (a_batch_stride, b_batch_stride);
    match dtype {
        DType::F32 => run::<f32>(sa, a, sb, b, per, batch, strides),
        DType::F64 => run::<f64>(sa, a, sb, b, per, batch, strides),
        DType::I32 => run::<i32>(sa, a, sb, b, per, batch, strides),
        // Bool is refused by the callers' dtype checks.
        DType::I64 | DType::Bool => run::<i64>(sa, a, sb, b, per, batch, strides),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mat<T: Element>(v: Vec<T>, r: usize, c: usize) -> NdArray {
        NdArray::from_vec(v, vec![r, c])
    }

    #[test]
    fn mm_f32_f64_i64() {
        let a = mat(vec![1.0f32, 2., 3., 4., 5., 6.], 2, 3);
        let b = mat(vec![1.0f32, 2., 3., 4., 5., 6.], 3, 2);
        let c = a.mm(&b).unwrap();
        assert_eq!(c.shape(), &[2, 2]);
        assert_eq!(c.to_vec::<f32>(), vec![22., 28., 49., 64.]);
        let a64 = a.to_dtype(DType::F64);
        let b64 = b.to_dtype(DType::F64);
        assert_eq!(
            a64.mm(&b64).unwrap().to_vec::<f64>(),
            vec![22., 28., 49., 64.]
        );
        let ai = a.to_dtype(DType::I64);
        let bi = b.to_dtype(DType::I64);
        let ci = ai.mm(&bi).unwrap();
        assert_eq!(ci.dtype(), DType::I64);
        assert_eq!(ci.to_vec::<i64>(), vec![22, 28, 49, 64]);
        // Transposed (strided) operands need no copy and give the same result.
        let at = a.t().unwrap();
        assert_eq!(
            at.mm(&a).unwrap().to_vec::<f32>(),
            vec![17., 22., 27., 22., 29., 36., 27., 36., 45.]
        );
    }

    /// An `r × c` operand holding `v` (row-major values) in one of four layouts: row-major,
    /// column-major, every other column of a wider matrix, or every other row of a
    /// column-major one.
    fn layout(v: &[f64], r: usize, c: usize, kind: usize) -> NdArray {
        let spaced = |v: &[f64]| -> Vec<f64> { v.iter().flat_map(|&x| [x, 99.0]).collect() };
        let rows = mat(v.to_vec(), r, c);
        let cols = rows.t().unwrap().contiguous(); // c × r, row-major
        match kind {
            0 => rows,
            1 => cols.t().unwrap(),
            2 => mat(spaced(v), r, 2 * c).slice(1, None, None, 2).unwrap(),
            _ => mat(spaced(&cols.to_vec::<f64>()), c, 2 * r)
                .slice(1, None, None, 2)
                .unwrap()
                .t()
                .unwrap(),
        }
    }

    #[test]
    fn thin_products_match_naive_in_every_layout() {
        // Outputs with a side of at most 5 take the matrix-vector path; 6×6 is the first
        // shape that does not. Every layout of either operand must give the naive product.
        for &(m, k, n) in &[
            (1, 7, 9),
            (3, 8, 20),
            (20, 8, 3),
            (9, 7, 1),
            (1, 1, 1),
            (1, 12, 1),
            (6, 6, 6),
        ] {
            let av: Vec<f64> = (0..m * k).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
            let bv: Vec<f64> = (0..k * n).map(|i| ((i * 3) % 7) as f64 - 3.0).collect();
            let expect: Vec<f64> = (0..m * n)
                .map(|o| {
                    (0..k)
                        .map(|p| av[(o / n) * k + p] * bv[p * n + o % n])
                        .sum()
                })
                .collect();
            for ka in 0..4 {
                for kb in 0..4 {
                    let (a, b) = (layout(&av, m, k, ka), layout(&bv, k, n, kb));
                    assert_eq!(a.to_vec::<f64>(), av, "layout {ka} of A");
                    let c = a.mm(&b).unwrap();
                    assert_eq!(c.shape(), &[m, n]);
                    assert_eq!(
                        c.to_vec::<f64>(),
                        expect,
                        "({m}, {k}, {n}) layouts {ka}, {kb}"
                    );
                    let c32 = a.to_dtype(DType::F32).mm(&b.to_dtype(DType::F32)).unwrap();
                    let e32: Vec<f32> = expect.iter().map(|&x| x as f32).collect();
                    assert_eq!(c32.to_vec::<f32>(), e32);
                    let ci = a.to_dtype(DType::I64).mm(&b.to_dtype(DType::I64)).unwrap();
                    let ei: Vec<i64> = expect.iter().map(|&x| x as i64).collect();
                    assert_eq!(ci.to_vec::<i64>(), ei);
                }
            }
        }
    }

    #[test]
    fn mm_large_matches_naive() {
        // Large enough to take matrixmultiply's packed path.
        let (m, k, n) = (17, 9, 13);
        let av: Vec<f64> = (0..m * k).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
        let bv: Vec<f64> = (0..k * n).map(|i| ((i * 3) % 7) as f64 - 3.0).collect();
        let c = mat(av.clone(), m, k)
            .mm(&mat(bv.clone(), k, n))
            .unwrap()
            .to_vec::<f64>();
        for i in 0..m {
            for j in 0..n {
                let expect: f64 = (0..k).map(|p| av[i * k + p] * bv[p * n + j]).sum();
                assert_eq!(c[i * n + j], expect);
            }
        }
    }

    #[test]
    fn mm_errors() {
        let a = NdArray::full(&[2, 3], 1.0, DType::F32);
        assert_eq!(
            a.mm(&a).unwrap_err().msg,
            "mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"
        );
        let b = NdArray::full(&[3, 2], 1.0, DType::F64);
        assert_eq!(
            a.mm(&b).unwrap_err().msg,
            "expected m1 and m2 to have the same dtype, but got: float != double"
        );
        // Empty inner dim: zeros.
        let z = NdArray::zeros(&[2, 0], DType::F32)
            .mm(&NdArray::zeros(&[0, 3], DType::F32))
            .unwrap();
        assert_eq!(z.to_vec::<f32>(), vec![0.0; 6]);
    }

    #[test]
    fn bmm_mv_dot() {
        let a = NdArray::from_vec((0..12).map(|i| i as f32).collect::<Vec<_>>(), vec![2, 2, 3]);
        let b = NdArray::from_vec((0..12).map(|i| i as f32).collect::<Vec<_>>(), vec![2, 3, 2]);
        let c = a.bmm(&b).unwrap();
        assert_eq!(c.shape(), &[2, 2, 2]);
        assert_eq!(
            c.to_vec::<f32>(),
            vec![10., 13., 28., 40., 172., 193., 244., 274.]
        );
        assert_eq!(
            a.bmm(&a).unwrap_err().msg,
            "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 2]."
        );
        let m = mat(vec![1.0f32, 2., 3., 4., 5., 6.], 2, 3);
        let v = NdArray::from_vec(vec![1.0f32, 0., -1.], vec![3]);
        assert_eq!(m.mv(&v).unwrap().to_vec::<f32>(), vec![-2., -2.]);
        let w = NdArray::from_vec(vec![1.0f32; 4], vec![4]);
        assert_eq!(
            m.mv(&w).unwrap_err().msg,
            "size mismatch, got input (2), mat (2x3), vec (4)"
        );
        let d = v.dot(&v).unwrap();
        assert_eq!(d.shape(), &[] as &[usize]);
        assert_eq!(d.to_vec::<f32>(), vec![2.0]);
        assert_eq!(
            v.dot(&w).unwrap_err().msg,
            "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively"
        );
        assert_eq!(
            m.dot(&v).unwrap_err().msg,
            "1D tensors expected, but got 2D and 1D tensors"
        );
        // A strided vector (a column of m).
        let col = m.select(1, 1).unwrap();
        assert_eq!(col.dot(&col).unwrap().to_vec::<f32>(), vec![29.0]);
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// `cargo test --release --lib array::linalg::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn mm_2048_f32() {
        let n = 2048;
        let a = NdArray::from_vec(
            (0..n * n)
                .map(|i| (i % 13) as f32 * 0.1)
                .collect::<Vec<_>>(),
            vec![n, n],
        );
        let t = std::time::Instant::now();
        let c = a.mm(&a.t().unwrap()).unwrap();
        eprintln!(
            "mm 2048 f32: {:?} (c[0]={})",
            t.elapsed(),
            c.to_vec::<f32>()[0]
        );
        let b = NdArray::from_vec(
            (0..64 * 64 * 64)
                .map(|i| (i % 7) as f32)
                .collect::<Vec<_>>(),
            vec![64, 64, 64],
        );
        let t = std::time::Instant::now();
        for _ in 0..10 {
            b.bmm(&b).unwrap();
        }
        eprintln!("10x bmm 64x64x64: {:?}", t.elapsed());
    }
}

/// `cblas_sdot` as MKL 2024.2 computes it on the reference machine (found by experiment
/// against PyTorch; MKL's code is not public): four 4-lane accumulators over blocks of 16
/// (separate multiply and add), leftover groups of four into the first, the last partial
/// group zero-padded into the first, the accumulators added in order, then the lanes as
/// (0+2)+(1+3). Exact for lengths that are multiples of 16 and most others.
fn mkl_sdot(x: &[f32], y: &[f32]) -> f32 {
    const W: usize = 4;
    let n = x.len();
    let mut acc = [[0.0f32; W]; 4];
    let mut mac = |k: usize, i: usize, len: usize| {
        for l in 0..len {
            acc[k][l] += x[i + l] * y[i + l];
        }
    };
    let whole = n - n % 16;
    let mut i = 0;
    while i < whole {
        for k in 0..4 {
            mac(k, i + k * W, W);
        }
        i += 16;
    }
    while i + W <= n {
        mac(0, i, W);
        i += W;
    }
    if i < n {
        mac(0, i, n - i);
    }
    let mut c = acc[0];
    for a in &acc[1..] {
        for l in 0..W {
            c[l] += a[l];
        }
    }
    (c[0] + c[2]) + (c[1] + c[3])
}
