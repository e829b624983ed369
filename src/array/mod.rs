//! Typed, strided N-d storage: the bottom layer. Views share storage; kernels never box elements.
//!
//! An `NdArray` is a view (shape, strides, offset) on a shared `Storage`. Cloning an `NdArray`
//! is cheap and yields another view on the same storage (in-place ops are visible through both).

pub mod alloc;
mod cascade;
pub mod conv;
mod create;
mod dtype;
mod elementwise;
pub mod format;
mod fused;
mod index;
mod kernel;
mod layout;
mod linalg;
mod nn;
pub mod random;
mod reduce;
mod reduce_iter;
mod shape_ops;
mod sleef;
mod sort;
mod storage;

pub use dtype::DType;
pub(crate) use elementwise::erf;
pub use elementwise::{BinaryOp, UnaryOp};
pub use layout::inverse as inverse_permutation;
pub use nn::Activation;
pub use shape_ops::broadcast_shapes;
pub use storage::{Element, Storage};

use crate::error::{PyResult, index_error};
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

/// A Python number read out of a tensor (`item()`, `tolist()`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl Scalar {
    pub fn to_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::Int(i) => i as f64,
            Scalar::Float(f) => f,
        }
    }
}

#[derive(Clone, Debug)]
pub struct NdArray {
    storage: Rc<RefCell<Storage>>,
    /// PyTorch's version counter of the storage, shared by every view: bumped by each write
    /// through `storage_mut`, so autograd can tell when a saved tensor was modified in place.
    version: Rc<std::cell::Cell<u64>>,
    shape: Vec<usize>,
    strides: Vec<usize>,
    offset: usize,
    dtype: DType,
}

/// Row-major (C-order) strides for `shape`.
pub fn contiguous_strides(shape: &[usize]) -> Vec<usize> {
    let mut strides = vec![0; shape.len()];
    let mut acc = 1;
    for i in (0..shape.len()).rev() {
        strides[i] = acc;
        acc *= shape[i].max(1);
    }
    strides
}

/// Whether large kernels may use a second core: `GRADBOOK_NUM_THREADS=1` (the benchmark's
/// single-thread comparison) or a one-core machine turns it off.
pub(crate) fn parallel() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let wanted = std::env::var("GRADBOOK_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(cores);
        cores > 1 && wanted > 1
    })
}

/// Runs `a` on this thread and `b` at the same time on the kernel thread (a rayon pool of one
/// worker, started on first use), or both here when the pool cannot start. The kernels split
/// large outputs in two halves with it: a standing worker saves the ~30 µs a fresh thread
/// costs per op, and one worker beside the caller keeps two cores busy, never three threads.
pub(crate) fn join<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "gradbook-kernel".to_string())
            .build()
            .ok()
    });
    let Some(pool) = pool else {
        return (a(), b());
    };
    let mut rb = None;
    let ra = pool.in_place_scope(|s| {
        s.spawn(|_| rb = Some(b()));
        a()
    });
    // The scope waits for `b` (and re-raises its panic), so `rb` is set here.
    match rb {
        Some(rb) => (ra, rb),
        None => unreachable!("rayon scope returned before its job"),
    }
}

/// Asks for the storage of an op's output before its kernel runs (see `alloc`): PyTorch's
/// allocator error when the system cannot provide it.
pub fn check_alloc(numel: usize, elem_size: usize) -> PyResult<()> {
    alloc::reserve(numel, elem_size)
}

/// The element count of `shape`, or None when it overflows.
pub fn checked_numel(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d))
}

/// Python-style dim wrapping with PyTorch's error text.
pub fn normalize_dim(dim: isize, ndim: usize) -> PyResult<usize> {
    let n = ndim.max(1) as isize;
    if dim < -n || dim >= n {
        return Err(index_error(format!(
            "Dimension out of range (expected to be in range of [{}, {}], but got {})",
            -n,
            n - 1,
            dim
        )));
    }
    Ok(if dim < 0 { dim + n } else { dim } as usize)
}

impl NdArray {
    /// A contiguous array owning `storage`. `storage.len()` must equal the product of `shape`.
    pub fn from_storage(storage: Storage, shape: Vec<usize>) -> NdArray {
        debug_assert_eq!(storage.len(), shape.iter().product::<usize>());
        let dtype = storage.dtype();
        NdArray {
            strides: contiguous_strides(&shape),
            storage: Rc::new(RefCell::new(storage)),
            version: Rc::new(std::cell::Cell::new(0)),
            shape,
            offset: 0,
            dtype,
        }
    }
    pub fn from_vec<T: Element>(data: Vec<T>, shape: Vec<usize>) -> NdArray {
        NdArray::from_storage(T::into_storage(data), shape)
    }
    pub fn scalar(value: f64, dtype: DType) -> NdArray {
        NdArray::full(&[], value, dtype)
    }
    pub fn full(shape: &[usize], value: f64, dtype: DType) -> NdArray {
        let n = alloc::storage_numel_or_unwind(shape, dtype.size());
        alloc::reserve_or_unwind(n, dtype.size());
        let storage = crate::with_dtype!(dtype, T, T::into_storage(vec![T::from_f64(value); n]));
        NdArray::from_storage(storage, shape.to_vec())
    }
    pub fn zeros(shape: &[usize], dtype: DType) -> NdArray {
        NdArray::from_storage(
            Storage::zeros(dtype, alloc::storage_numel_or_unwind(shape, dtype.size())),
            shape.to_vec(),
        )
    }

    /// Another view on the same storage (used by the view ops).
    pub(crate) fn with_layout(
        &self,
        shape: Vec<usize>,
        strides: Vec<usize>,
        offset: usize,
    ) -> NdArray {
        NdArray {
            storage: self.storage.clone(),
            version: self.version.clone(),
            shape,
            strides,
            offset,
            dtype: self.dtype,
        }
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    pub fn strides(&self) -> &[usize] {
        &self.strides
    }
    pub fn offset(&self) -> usize {
        self.offset
    }
    pub fn dtype(&self) -> DType {
        self.dtype
    }
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }
    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn storage(&self) -> Ref<'_, Storage> {
        self.storage.borrow()
    }
    pub fn storage_mut(&self) -> RefMut<'_, Storage> {
        self.version.set(self.version.get() + 1);
        self.storage.borrow_mut()
    }
    /// The storage's version counter (`t._version`).
    pub fn version(&self) -> u64 {
        self.version.get()
    }
    /// True when both arrays are views of one storage.
    pub fn shares_storage(&self, other: &NdArray) -> bool {
        Rc::ptr_eq(&self.storage, &other.storage)
    }
    pub fn is_contiguous(&self) -> bool {
        let mut expected = 1;
        for i in (0..self.shape.len()).rev() {
            if self.shape[i] != 1 && self.strides[i] != expected {
                return false;
            }
            expected *= self.shape[i];
        }
        true
    }

    /// Storage positions of every element, in logical (C) order.
    pub fn storage_indices(&self) -> Vec<usize> {
        let n = self.numel();
        let mut out = crate::array::alloc::vec_with_capacity(n);
        if n == 0 {
            return out;
        }
        if self.is_contiguous() {
            out.extend(self.offset..self.offset + n);
            return out;
        }
        let nd = self.shape.len();
        let mut idx = vec![0usize; nd];
        let mut pos = self.offset;
        for _ in 0..n {
            out.push(pos);
            for d in (0..nd).rev() {
                idx[d] += 1;
                pos += self.strides[d];
                if idx[d] < self.shape[d] {
                    break;
                }
                pos -= self.strides[d] * self.shape[d];
                idx[d] = 0;
            }
        }
        out
    }

    /// The elements in logical order, converted to `T` with PyTorch's cast rules.
    pub fn to_vec<T: Element>(&self) -> Vec<T> {
        // An empty view may sit past the end of an empty storage (`torch.ones(2, 0)[1:]`).
        if self.numel() == 0 {
            return Vec::new();
        }
        let storage = self.storage.borrow();
        crate::with_dtype!(self.dtype, S, {
            let src = S::slice(&storage).expect("storage dtype matches array dtype");
            if self.is_contiguous() {
                let s = &src[self.offset..self.offset + self.numel()];
                convert_slice::<S, T>(s)
            } else {
                // Row by row: strided views (transposes, expanded dims) copy without first
                // materializing every element's storage position.
                let mut out = crate::array::alloc::vec_with_capacity(self.numel());
                let inner = *self.shape().last().unwrap_or(&1);
                let step = *self.strides().last().unwrap_or(&1);
                kernel::walk_rows(self.shape(), [self.strides()], [self.offset], |[p]| {
                    if step == 1 {
                        out.extend(src[p..p + inner].iter().map(|&x| cast::<S, T>(x)));
                    } else {
                        out.extend((0..inner).map(|j| cast::<S, T>(src[p + j * step])));
                    }
                });
                out
            }
        })
    }
    pub fn to_f64_vec(&self) -> Vec<f64> {
        self.to_vec::<f64>()
    }

    /// A contiguous copy converted to `dtype` (always a new storage).
    pub fn to_dtype(&self, dtype: DType) -> NdArray {
        alloc::reserve_or_unwind(self.numel(), dtype.size());
        let storage = crate::with_dtype!(dtype, T, T::into_storage(self.to_vec::<T>()));
        NdArray::from_storage(storage, self.shape.clone())
    }
    /// A deep, contiguous copy with the same dtype.
    pub fn deep_copy(&self) -> NdArray {
        self.to_dtype(self.dtype)
    }
    /// Self when already contiguous, otherwise a contiguous copy.
    pub fn contiguous(&self) -> NdArray {
        if self.is_contiguous() {
            self.clone()
        } else {
            self.deep_copy()
        }
    }

    /// The single element as a Python number; errors like PyTorch for several elements.
    pub fn item(&self) -> PyResult<Scalar> {
        if self.numel() != 1 {
            return Err(crate::error::runtime_error(format!(
                "a Tensor with {} elements cannot be converted to Scalar",
                self.numel()
            )));
        }
        Ok(self.scalar_at(self.offset))
    }
    fn scalar_at(&self, pos: usize) -> Scalar {
        let s = self.storage.borrow();
        match &*s {
            Storage::Bool(v) => Scalar::Bool(v[pos]),
            Storage::I32(v) => Scalar::Int(v[pos] as i64),
            Storage::I64(v) => Scalar::Int(v[pos]),
            Storage::F32(v) => Scalar::Float(v[pos] as f64),
            Storage::F64(v) => Scalar::Float(v[pos]),
        }
    }
    /// Elements in logical order as Python numbers.
    pub fn scalars(&self) -> Vec<Scalar> {
        self.storage_indices()
            .into_iter()
            .map(|p| self.scalar_at(p))
            .collect()
    }
    /// Element at a full multi-index (negative indices not allowed here).
    pub fn get(&self, index: &[usize]) -> PyResult<Scalar> {
        let mut pos = self.offset;
        for (d, &i) in index.iter().enumerate() {
            if i >= self.shape[d] {
                return Err(index_error(format!(
                    "index {} is out of bounds for dimension {} with size {}",
                    i, d, self.shape[d]
                )));
            }
            pos += i * self.strides[d];
        }
        Ok(self.scalar_at(pos))
    }
}

#[inline]
fn cast<S: Element, T: Element>(v: S) -> T {
    if S::DTYPE.is_floating() || T::DTYPE.is_floating() || T::DTYPE == DType::Bool {
        T::from_f64(v.to_f64())
    } else {
        T::from_i64(v.to_i64())
    }
}

fn convert_slice<S: Element, T: Element>(s: &[S]) -> Vec<T> {
    if S::DTYPE == T::DTYPE {
        // Same type: a plain copy (the transmute-free way: via Element::slice on a storage).
        let storage = S::into_storage(s.to_vec());
        let mut storage = storage;
        return std::mem::take(T::slice_mut(&mut storage).expect("same dtype"));
    }
    s.iter().map(|&v| cast::<S, T>(v)).collect()
}
