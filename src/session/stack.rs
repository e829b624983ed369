//! Running the interpreter on a thread with a large stack, so deep recursion in user code
//! reaches Python's RecursionError long before a Rust stack overflow.

use std::thread;

/// Stack size of interpreter threads.
pub const INTERP_STACK: usize = 256 << 20;

/// Spawns `f` on a new thread with [`INTERP_STACK`] bytes of stack.
pub fn spawn_big_stack<T, F>(name: &str, f: F) -> std::io::Result<thread::JoinHandle<T>>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    thread::Builder::new()
        .name(name.to_string())
        .stack_size(INTERP_STACK)
        .spawn(f)
}

/// Runs `f` on a big-stack thread and waits for it; a panic in `f` is passed on as its payload.
pub fn with_big_stack<T, F>(f: F) -> thread::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    spawn_big_stack("gradbook-interp", f)
        .map_err(|e| Box::new(e.to_string()) as Box<dyn std::any::Any + Send>)?
        .join()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_recursion_fits() {
        fn depth(n: u64) -> u64 {
            let pad = [n; 64];
            if n == 0 {
                0
            } else {
                1 + depth(n - 1) + pad[63] - n
            }
        }
        assert_eq!(with_big_stack(|| depth(100_000)).ok(), Some(100_000));
    }
}
