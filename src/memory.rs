//! The process's memory policy for tensor storage: large blocks aligned to cache lines, and
//! glibc told to keep freed memory for reuse. Both are settings of this binary (the library
//! and its tests use the default allocator); `bench/README.md` has the measurements.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of at least this many bytes are aligned to `LINE`.
const LARGE: usize = 1 << 16;
/// A cache line, PyTorch's CPU allocator alignment (`c10::gAlignment`).
const LINE: usize = 64;
/// Extra bytes a large block carries: room to round up to `LINE` and to store the address.
const SLACK: usize = LINE + 16;

/// The system allocator, with large blocks aligned to 64 bytes as PyTorch aligns tensor
/// storage. glibc's 16-byte alignment makes every 64-byte run that matrixmultiply copies
/// while packing an operand straddle two cache lines: a [2048, 2048] · [2048, 32] product
/// packs about 20% slower. Large blocks are over-allocated with plain `malloc` and the
/// address rounded up, the block's own address stored just below it (`posix_memalign` splits
/// heap chunks, after which glibc faulted fresh pages in on every Jacobian: 12 times the
/// page faults).
pub struct Aligned;

/// The plain layout of a large block, or `None` for a block `System` serves as it is.
fn padded(layout: Layout) -> Option<Layout> {
    if layout.size() < LARGE || layout.align() > 16 {
        return None;
    }
    Layout::from_size_align(layout.size().checked_add(SLACK)?, 16).ok()
}

/// The 64-byte-aligned address inside the block at `raw`, with `raw` written below it.
///
/// # Safety
/// `raw` is null or a block of `padded(layout)` bytes.
unsafe fn align_up(raw: *mut u8) -> *mut u8 {
    if raw.is_null() {
        return raw;
    }
    let offset = LINE - (raw as usize + 8) % LINE + 8;
    unsafe {
        let aligned = raw.add(offset);
        (aligned as *mut *mut u8).sub(1).write_unaligned(raw);
        aligned
    }
}

// SAFETY: small blocks go to `System` unchanged. A large block is `System`'s block of
// `padded(layout)` bytes; the address handed out lies 9..=72 bytes inside it, is 64-byte
// aligned, leaves `layout.size()` bytes before the block's end (SLACK = 80), and has the
// block's address in the 8 bytes below it, which `dealloc` reads back. `realloc` of a large
// block allocates, copies the smaller size and frees, as `GlobalAlloc::realloc`'s default.
unsafe impl GlobalAlloc for Aligned {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match padded(layout) {
            Some(p) => unsafe { align_up(System.alloc(p)) },
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match padded(layout) {
            Some(p) => unsafe { align_up(System.alloc_zeroed(p)) },
            None => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match padded(layout) {
            Some(p) => unsafe {
                let raw = (ptr as *mut *mut u8).sub(1).read_unaligned();
                System.dealloc(raw, p)
            },
            None => unsafe { System.dealloc(ptr, layout) },
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        if padded(layout).is_none() && padded(new).is_none() {
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let fresh = unsafe { self.alloc(new) };
        if !fresh.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        fresh
    }
}

#[global_allocator]
static ALLOCATOR: Aligned = Aligned;

/// Tensors of many megabytes are allocated and freed over and over (a Jacobian's basis of
/// cotangents, its batched gradients, a [32, 512, 512] Hessian). glibc serves blocks above its
/// mmap threshold (at most 32 MB) with fresh mappings, returns them on free and faults every
/// page in again on the next allocation, which can cost more than the arithmetic (10 ms
/// instead of 3.5 ms for that Hessian). So every block comes from the heap (no mmap), and
/// freed memory stays there for reuse unless more than 512 MB of it sits at the top (the same
/// settings as `MALLOC_MMAP_MAX_` and `MALLOC_TRIM_THRESHOLD_`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn keep_freed_memory() {
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_MAX: i32 = -4;
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    // SAFETY: mallopt only changes glibc's allocator tuning; it is called before any thread
    // starts, with documented parameters and values.
    unsafe {
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn keep_freed_memory() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Large blocks come back 64-byte aligned, keep their bytes through `realloc` across the
    /// size threshold both ways, and are released with the layout they were made with.
    #[test]
    fn large_blocks_are_line_aligned_and_keep_their_bytes() {
        let a = Aligned;
        for size in [LARGE - 8, LARGE, LARGE + 3, 3 << 20] {
            let layout = Layout::from_size_align(size, 4).unwrap();
            unsafe {
                let p = a.alloc(layout);
                assert!(!p.is_null());
                if size >= LARGE {
                    assert_eq!(p as usize % LINE, 0, "size {size}");
                }
                for i in 0..size {
                    p.add(i).write((i % 251) as u8);
                }
                let bigger = a.realloc(p, layout, size * 2);
                let smaller = a.realloc(bigger, Layout::from_size_align(size * 2, 4).unwrap(), 100);
                for i in 0..100 {
                    assert_eq!(smaller.add(i).read(), (i % 251) as u8);
                }
                a.dealloc(smaller, Layout::from_size_align(100, 4).unwrap());
                let z = a.alloc_zeroed(layout);
                assert!((0..size).all(|i| z.add(i).read() == 0));
                a.dealloc(z, layout);
            }
        }
    }
}
