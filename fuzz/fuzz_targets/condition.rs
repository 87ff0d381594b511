#![no_main]

// Fuzz target `condition`: the body is export_controls_fuzz::condition (fuzz/src/lib.rs), which
// tests/fuzz_regressions.rs replays over fuzz/corpus/condition/ and fuzz/regressions/condition/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| export_controls_fuzz::condition(data));
