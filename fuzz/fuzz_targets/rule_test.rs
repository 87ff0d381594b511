#![no_main]

// Fuzz target `rule_test`: the body is export_controls_fuzz::rule_test (fuzz/src/lib.rs), which
// tests/fuzz_regressions.rs replays over fuzz/corpus/rule_test/ and fuzz/regressions/rule_test/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| export_controls_fuzz::rule_test(data));
