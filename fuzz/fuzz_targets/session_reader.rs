//! The `.session` and `# %%` readers and the renderer on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gradbook::fuzz::session_reader(data);
});
