#![no_main]

// Fuzz target `product_sheet`: the body is export_controls_fuzz::product_sheet (fuzz/src/lib.rs), which
// tests/fuzz_regressions.rs replays over fuzz/corpus/product_sheet/ and fuzz/regressions/product_sheet/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| export_controls_fuzz::product_sheet(data));
