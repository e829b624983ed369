//! A tensor program generated from the input (names from the help table), run cell by cell.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gradbook::fuzz::interp_program(data);
});
