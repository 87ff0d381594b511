#![no_main]

// Fuzz target `rule_file`: the body is export_controls_fuzz::rule_file (fuzz/src/lib.rs), which
// tests/fuzz_regressions.rs replays over fuzz/corpus/rule_file/ and fuzz/regressions/rule_file/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| export_controls_fuzz::rule_file(data));
