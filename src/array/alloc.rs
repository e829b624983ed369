//! The one place tensor storage is sized and its memory asked for, failing like PyTorch's
//! `DefaultCPUAllocator` instead of aborting the process.
//!
//! Every storage constructor (`Storage::zeros`, `NdArray::full`, copies, factories, kernel
//! outputs) first calls `reserve`, which *allocates* the block fallibly (`try_reserve_exact`),
//! so whatever limits the system enforces (physical memory and swap under the kernel's
//! overcommit rule, `ulimit -v`) answer, not a guess; a cgroup's `memory.max` (which malloc
//! never sees: the kernel kills instead) is honoured by comparing with `memory.current`. The
//! block is released at once and the constructor allocates it again, which the allocator then
//! serves from the memory just returned to it.
//!
//! Constructors that cannot return an error (they return `NdArray`) unwind with an
//! `AllocFailure` payload via `resume_unwind` (no panic hook runs, nothing is printed), and
//! `catch_alloc` at the cell boundary (`Interp::run_cell`) turns it back into the
//! `RuntimeError`. It is a Python error, not a bug: the panic guard never sees it.

use crate::error::{PyErr, PyResult, runtime_error};

/// Blocks smaller than this are not probed (a failure there is the allocator's own business).
const PROBE: usize = 1 << 24;

/// The payload an infallible constructor unwinds with when its storage cannot be allocated.
pub struct AllocFailure(pub PyErr);

/// PyTorch's allocator message for `bytes`.
fn cannot_allocate(bytes: u128) -> PyErr {
    runtime_error(format!(
        "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate {bytes} bytes. Error code 12 (Cannot allocate memory)"
    ))
}

/// Room left under the cgroup v2 memory limit, if one is set.
fn cgroup_room() -> Option<u128> {
    let read = |name: &str| {
        std::fs::read_to_string(format!("/sys/fs/cgroup/{name}"))
            .ok()
            .and_then(|s| s.trim().parse::<u128>().ok())
    };
    let max = read("memory.max")?;
    Some(max.saturating_sub(read("memory.current").unwrap_or(0)))
}

/// Asks for `numel` elements of `elem_size` bytes; PyTorch's allocator error if the system
/// refuses.
pub fn reserve(numel: usize, elem_size: usize) -> PyResult<()> {
    let bytes = numel as u128 * elem_size as u128;
    if bytes < PROBE as u128 {
        return Ok(());
    }
    if bytes > isize::MAX as u128 || cgroup_room().is_some_and(|room| bytes > room) {
        return Err(cannot_allocate(bytes));
    }
    let mut block: Vec<u8> = Vec::new();
    block
        .try_reserve_exact(bytes as usize)
        .map_err(|_| cannot_allocate(bytes))
}

/// `reserve` for constructors that cannot return an error: unwinds to `catch_alloc`.
pub fn reserve_or_unwind(numel: usize, elem_size: usize) {
    if let Err(e) = reserve(numel, elem_size) {
        std::panic::resume_unwind(Box::new(AllocFailure(e)));
    }
}

/// `Vec::with_capacity` for a tensor-sized buffer: the memory is asked for first.
pub fn vec_with_capacity<T>(n: usize) -> Vec<T> {
    reserve_or_unwind(n, std::mem::size_of::<T>());
    Vec::with_capacity(n)
}

/// PyTorch's `computeStorageNbytesContiguous`: the element count of `shape`, refused when
/// the storage's byte size overflows int64.
pub fn storage_numel(shape: &[usize], elem_size: usize) -> PyResult<usize> {
    let numel = shape.iter().try_fold(1u64, |n, &d| n.checked_mul(d as u64));
    match numel.and_then(|n| n.checked_mul(elem_size as u64)) {
        Some(bytes) if bytes <= i64::MAX as u64 => Ok(numel.unwrap_or(0) as usize),
        _ => Err(runtime_error(format!(
            "Storage size calculation overflowed with sizes={shape:?}"
        ))),
    }
}

/// `storage_numel` then `reserve`: what a kernel building its own buffer asks first.
pub fn check_storage(shape: &[usize], elem_size: usize) -> PyResult<usize> {
    let n = storage_numel(shape, elem_size)?;
    reserve(n, elem_size)?;
    Ok(n)
}

/// The element count of `shape` for constructors that cannot return an error.
pub fn storage_numel_or_unwind(shape: &[usize], elem_size: usize) -> usize {
    match storage_numel(shape, elem_size) {
        Ok(n) => n,
        Err(e) => std::panic::resume_unwind(Box::new(AllocFailure(e))),
    }
}

/// `TensorImpl::safe_compute_numel`: a resize (what `eye` does) first checks the element
/// count alone.
pub fn safe_numel(shape: &[usize]) -> PyResult<usize> {
    match shape.iter().try_fold(1u64, |n, &d| n.checked_mul(d as u64)) {
        Some(n) if n <= i64::MAX as u64 => Ok(n as usize),
        _ => Err(runtime_error("numel: integer multiplication overflow")),
    }
}

/// Runs `f`, turning an `AllocFailure` unwinding out of it into its error; other panics go on.
pub fn catch_alloc<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => match payload.downcast::<AllocFailure>() {
            Ok(failure) => Err(failure.0),
            Err(other) => std::panic::resume_unwind(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_no_machine_holds() {
        let e = reserve(1 << 50, 8).unwrap_err();
        assert_eq!(
            e.msg,
            "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate 9007199254740992 bytes. Error code 12 (Cannot allocate memory)"
        );
        assert!(reserve(1 << 20, 4).is_ok());
    }

    #[test]
    fn size_overflow_messages() {
        let s = [2147483647usize, 2147483647];
        assert_eq!(
            storage_numel(&s, 4).unwrap_err().msg,
            "Storage size calculation overflowed with sizes=[2147483647, 2147483647]"
        );
        assert_eq!(
            safe_numel(&[1 << 62, 1 << 62]).unwrap_err().msg,
            "numel: integer multiplication overflow"
        );
        assert_eq!(storage_numel(&[3, 0, 1 << 40], 4).unwrap(), 0);
    }

    #[test]
    fn unwinding_failure_becomes_the_error() {
        let r: PyResult<()> = catch_alloc(|| {
            reserve_or_unwind(1 << 50, 8);
            Ok(())
        });
        assert!(r.unwrap_err().msg.contains("you tried to allocate"));
    }
}
