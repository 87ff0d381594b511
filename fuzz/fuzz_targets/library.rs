#![no_main]

// Fuzz target `library`: the body is export_controls_fuzz::library (fuzz/src/lib.rs): products,
// parties and queries built in code, as a program linking the crate builds them.
// tests/fuzz_regressions.rs replays fuzz/corpus/library/ and fuzz/regressions/library/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| export_controls_fuzz::library(data));
