//! How PyTorch's TensorIterator hands a reduction to its kernel, so kernels whose result
//! depends on the blocking (the cascade sum) see the same 2-d blocks as in PyTorch:
//! dims sorted as `reorder_dimensions` does (reduced dims first, then by stride), coalesced as
//! `coalesce_dimensions`, walked by `serial_for_each`'s `DimCounter`, and split over threads
//! as `parallel_reduce` does (`TensorIteratorReduce.cpp`) on the reference machine's two
//! threads. The split is replayed sequentially: only its blocking matters, not real threads.

// Index loops mirror ATen's C++ loops one for one, which is what makes the order checkable.
#![allow(clippy::needless_range_loop)]

/// PyTorch's `internal::GRAIN_SIZE`.
const GRAIN_SIZE: usize = 32768;
/// `at::get_num_threads()` on the machine the conformance transcripts were recorded on.
pub(crate) const ATEN_THREADS: usize = 2;

/// A reduction's iteration space: per iterator dim its size, input stride and output stride
/// (elements; output stride 0 = reduced), fastest dim first.
#[derive(Clone, Debug)]
pub(crate) struct ReducePlan {
    shape: Vec<usize>,
    in_strides: Vec<usize>,
    out_strides: Vec<usize>,
    in_offset: usize,
    out_offset: usize,
    elem_size: usize,
}

/// One call of the kernel's 2-d loop: base positions, [dim0, dim1] strides, sizes.
pub(crate) struct Block {
    pub in_pos: usize,
    pub out_pos: usize,
    pub in_s: [usize; 2],
    pub out_s: [usize; 2],
    pub size0: usize,
    pub size1: usize,
}

impl ReducePlan {
    /// The plan of reducing a view (shape, strides, offset) over `reduced` dims into a fresh
    /// contiguous output (the kept dims in their order).
    pub(crate) fn new(
        shape: &[usize],
        strides: &[usize],
        offset: usize,
        reduced: &[bool],
        elem_size: usize,
    ) -> Self {
        let nd = shape.len();
        let mut out_full = vec![0usize; nd];
        let mut acc = 1;
        for d in (0..nd).rev() {
            if !reduced[d] {
                out_full[d] = acc;
                acc *= shape[d];
            }
        }
        // Size-one dims never change the walk; drop them as coalescing would.
        let dims: Vec<usize> = (0..nd).rev().filter(|&d| shape[d] != 1).collect();
        let should_swap = |d0: usize, d1: usize| -> i32 {
            let (o0, o1) = (out_full[d0], out_full[d1]);
            if (o0 == 0) != (o1 == 0) {
                return if o1 == 0 { 1 } else { -1 };
            }
            for (s0, s1) in [(o0, o1), (strides[d0], strides[d1])] {
                if s0 == 0 || s1 == 0 {
                    continue;
                } else if s0 < s1 {
                    return -1;
                } else if s0 > s1 {
                    return 1;
                }
                if shape[d0] > shape[d1] {
                    return 1;
                }
            }
            0
        };
        let mut perm = dims;
        for i in 1..perm.len() {
            let mut d1 = i;
            for d0 in (0..i).rev() {
                let c = should_swap(perm[d0], perm[d1]);
                if c > 0 {
                    perm.swap(d0, d1);
                    d1 = d0;
                } else if c < 0 {
                    break;
                }
            }
        }
        let mut plan = ReducePlan {
            shape: perm.iter().map(|&d| shape[d]).collect(),
            in_strides: perm.iter().map(|&d| strides[d]).collect(),
            out_strides: perm.iter().map(|&d| out_full[d]).collect(),
            in_offset: offset,
            out_offset: 0,
            elem_size,
        };
        plan.coalesce();
        plan
    }

    fn coalesce(&mut self) {
        if self.shape.len() <= 1 {
            return;
        }
        let mut prev = 0;
        for d in 1..self.shape.len() {
            let can = self.shape[prev] == 1
                || self.shape[d] == 1
                || (self.shape[prev] * self.in_strides[prev] == self.in_strides[d]
                    && self.shape[prev] * self.out_strides[prev] == self.out_strides[d]);
            if can {
                if self.shape[prev] == 1 {
                    self.in_strides[prev] = self.in_strides[d];
                    self.out_strides[prev] = self.out_strides[d];
                }
                self.shape[prev] *= self.shape[d];
            } else {
                prev += 1;
                if prev != d {
                    self.in_strides[prev] = self.in_strides[d];
                    self.out_strides[prev] = self.out_strides[d];
                    self.shape[prev] = self.shape[d];
                }
            }
        }
        self.shape.truncate(prev + 1);
        self.in_strides.truncate(prev + 1);
        self.out_strides.truncate(prev + 1);
    }

    /// `is_reduce_lastdim`: exactly one reduced dim, the fastest, contiguous in the input.
    /// Then `rows` calls `f(in_pos, out_pos)` for every output, its row of `row_len()`
    /// elements starting at `in_pos`.
    pub(crate) fn is_reduce_lastdim(&self) -> bool {
        !self.shape.is_empty()
            && self.out_strides[0] == 0
            && self.in_strides[0] == 1
            && self.out_strides[1..].iter().all(|&s| s != 0)
    }
    pub(crate) fn row_len(&self) -> usize {
        self.shape.first().copied().unwrap_or(1)
    }
    pub(crate) fn rows(&self, mut f: impl FnMut(usize, usize)) {
        let outer = &self.shape[1..];
        let mut idx = vec![0usize; outer.len()];
        let count: usize = outer.iter().product();
        for _ in 0..count {
            let (mut ip, mut op) = (self.in_offset, self.out_offset);
            for (d, &i) in idx.iter().enumerate() {
                ip += i * self.in_strides[d + 1];
                op += i * self.out_strides[d + 1];
            }
            f(ip, op);
            for d in 0..idx.len() {
                idx[d] += 1;
                if idx[d] < outer[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    fn numel(&self) -> usize {
        self.shape.iter().product()
    }

    /// Every kernel call of the whole reduction, in order, with `parallel_reduce`'s split
    /// (`out_numel` is the output's element count). Two-pass splits hand each block a
    /// thread index (0 or 1) whose partial result the caller combines afterwards.
    pub(crate) fn blocks(&self, out_numel: usize, mut f: impl FnMut(usize, Block)) {
        let numel = self.numel();
        if numel == 0 {
            return;
        }
        if numel < GRAIN_SIZE || ATEN_THREADS == 1 {
            self.serial(0, numel, |b| f(0, b));
        } else if out_numel == 1 {
            // two_pass_reduction: at::parallel_for(0, numel, GRAIN_SIZE) chunks.
            let threads = ATEN_THREADS.min(numel.div_ceil(GRAIN_SIZE));
            let chunk = numel.div_ceil(threads);
            for t in 0..threads {
                let begin = t * chunk;
                if begin < numel {
                    self.serial(begin, numel.min(begin + chunk), |b| f(t, b));
                }
            }
        } else {
            // parallel_dim_reduction: split one kept dim, rounded to 128-byte columns.
            let nd = self.shape.len();
            let mut dim = nd - 1;
            let mut d = nd as isize - 1;
            while d >= 0 && self.out_strides[d as usize] != 0 {
                let du = d as usize;
                if self.shape[du] >= ATEN_THREADS {
                    dim = du;
                    break;
                } else if self.shape[du] > self.shape[dim] {
                    dim = du;
                }
                d -= 1;
            }
            let cols = self.shape[dim];
            let threads = ATEN_THREADS.min(cols);
            let chunk = cols.div_ceil(threads);
            let per_128 = (128 / self.elem_size.max(1)).max(1);
            let round = self.in_strides[dim] == 1;
            for t in 0..threads {
                let mut begin = t * chunk;
                if begin >= cols {
                    continue;
                }
                let mut end = cols.min(begin + chunk);
                if round {
                    begin -= begin % per_128;
                    if end != cols {
                        end -= end % per_128;
                    }
                }
                if begin == end {
                    continue;
                }
                let mut sub = self.clone();
                sub.shape[dim] = end - begin;
                sub.in_offset += begin * self.in_strides[dim];
                sub.out_offset += begin * self.out_strides[dim];
                let n = sub.numel();
                sub.serial(0, n, |b| f(0, b));
            }
        }
    }

    /// `serial_for_each` over the linear range [begin, end).
    fn serial(&self, begin: usize, end: usize, mut f: impl FnMut(Block)) {
        let nd = self.shape.len();
        let pos = |values: &[usize]| -> (usize, usize) {
            let mut p = (self.in_offset, self.out_offset);
            for d in 0..nd {
                p.0 += values[d] * self.in_strides[d];
                p.1 += values[d] * self.out_strides[d];
            }
            p
        };
        if nd <= 1 {
            let (is, os) = (
                self.in_strides.first().copied().unwrap_or(0),
                self.out_strides.first().copied().unwrap_or(0),
            );
            f(Block {
                in_pos: self.in_offset + begin * is,
                out_pos: self.out_offset + begin * os,
                in_s: [is, 0],
                out_s: [os, 0],
                size0: end - begin,
                size1: 1,
            });
            return;
        }
        // DimCounter
        let mut values = vec![0usize; nd];
        let mut lin = begin;
        for d in 0..nd {
            values[d] = lin % self.shape[d];
            lin /= self.shape[d];
        }
        let mut offset = begin;
        while offset < end {
            let step0 = (self.shape[0] - values[0]).min(end - offset);
            let mut step1 = 1;
            if step0 == self.shape[0] {
                step1 = (self.shape[1] - values[1]).min((end - offset) / self.shape[0]);
            }
            let (ip, op) = pos(&values);
            f(Block {
                in_pos: ip,
                out_pos: op,
                in_s: [self.in_strides[0], self.in_strides[1]],
                out_s: [self.out_strides[0], self.out_strides[1]],
                size0: step0,
                size1: step1,
            });
            offset += step0 * step1;
            let (mut i, mut overflow) = (0, step0);
            if step1 != 1 {
                i = 1;
                overflow = step1;
            }
            while i < nd && overflow > 0 {
                let v = values[i] + overflow;
                if v >= self.shape[i] {
                    overflow = 1;
                    values[i] = v - self.shape[i];
                } else {
                    overflow = 0;
                    values[i] = v;
                }
                i += 1;
            }
        }
    }
}
