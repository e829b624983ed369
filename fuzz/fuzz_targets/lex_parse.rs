//! The lexer, the parser and `check_complete` on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gradbook::fuzz::lex_parse(data);
});
