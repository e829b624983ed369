//! Allocations fail like PyTorch's allocator under an address-space limit (`ulimit -v`), and the
//! session goes on: the limit is honoured because storage is allocated fallibly
//! (`array::alloc`), not compared with a figure read at start-up.

use std::process::Command;

#[test]
fn allocation_under_ulimit_v_is_a_python_error() {
    let bin = env!("CARGO_BIN_EXE_gradbook");
    let session = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/alloc_ulimit.session");
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2000000 && exec \"$0\" check \"$1\"")
        .arg(bin)
        .arg(session)
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "status {:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("4 passed, 0 failed"), "{stdout}");
}
