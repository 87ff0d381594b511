#![no_main]

// Fuzz target `transaction`: the body is export_controls_fuzz::transaction (fuzz/src/lib.rs), which
// tests/fuzz_regressions.rs replays over fuzz/corpus/transaction/ and fuzz/regressions/transaction/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| export_controls_fuzz::transaction(data));
