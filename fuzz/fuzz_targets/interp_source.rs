//! The input as the source of a cell (mutated corpus cells reach the interpreter this way).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gradbook::fuzz::interp_source(data);
});
