//! Replays the fuzz corpora (fuzz/corpus/<target>/) and the crash regressions
//! (fuzz/regressions/<target>/) through the fuzz targets' bodies, without any fuzzing
//! dependency: the bodies live in fuzz/src/lib.rs and are included here as they are, so a
//! plain `cargo test` checks every saved input still parses, evaluates and renders without a
//! panic. Run the fuzzers themselves with cargo-fuzz (see fuzz/README.md).

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

#[allow(dead_code)]
mod targets {
    include!("../fuzz/src/lib.rs");
}

/// Every file of every `<dir>/<target>/`, with the target's name; an unknown target folder is
/// an error (a target was renamed or removed without its corpus).
fn inputs(dir: &str) -> Vec<(String, std::path::PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&root) else { return out };
    for entry in entries {
        let target_dir = entry.expect("readable").path();
        if !target_dir.is_dir() {
            continue;
        }
        let name = target_dir.file_name().expect("a name").to_string_lossy().to_string();
        assert!(
            targets::TARGETS.iter().any(|(t, _)| *t == name),
            "{}: no fuzz target named `{name}`",
            target_dir.display()
        );
        for file in std::fs::read_dir(&target_dir).expect("readable") {
            let path = file.expect("readable").path();
            if path.is_file() {
                out.push((name.clone(), path));
            }
        }
    }
    out.sort();
    out
}

/// An input still running after this long has hung (a loop that never ends). Each takes well
/// under a second on an idle machine; this is no timing assertion (speed is measured by the
/// benches), only the point at which a hang is reported rather than waited for, far beyond
/// anything a slow or loaded machine takes.
const HUNG_AFTER: Duration = Duration::from_secs(300);

/// Runs one input through its target on a thread of its own: the panic message if it
/// panicked, and a failure if it hung.
fn run_input(run: targets::Target, data: Vec<u8>) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| run(&data))).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(non-string panic payload)".into())
        });
        tx.send(outcome).ok();
    });
    match rx.recv_timeout(HUNG_AFTER) {
        Ok(outcome) => outcome,
        Err(RecvTimeoutError::Timeout) => Err(format!("hung: not done after {HUNG_AFTER:?}")),
        Err(RecvTimeoutError::Disconnected) => Err("the thread ended without an outcome".into()),
    }
}

/// Runs each input through its target, catching panics; fails listing every input that
/// panicked or hung, with the panic message.
fn replay(dir: &str) -> usize {
    let inputs = inputs(dir);
    let mut failures = Vec::new();
    for (target, path) in &inputs {
        let run = targets::TARGETS.iter().find(|(t, _)| t == target).expect("checked").1;
        let data = std::fs::read(path).expect("readable");
        if let Err(message) = run_input(run, data) {
            failures.push(format!("{target}: {}: {message}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} input(s) panicked or hung:\n{}", failures.len(), failures.join("\n"));
    inputs.len()
}

#[test]
fn corpus_inputs_do_not_panic() {
    let n = replay("fuzz/corpus");
    assert!(n > 0, "fuzz/corpus/*/ is empty");
}

#[test]
fn regression_inputs_do_not_panic() {
    replay("fuzz/regressions");
}

#[test]
fn corpus_packs_that_compile_are_decided_alike_by_both_paths() {
    // `rule_file` decides every pack that compiles with both evaluation paths and panics where
    // they disagree (fuzz/src/agreement.rs); replaying the corpus above runs it. This checks the
    // check is not vacuous: many corpus rule files compile and reach it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/rule_file");
    let mut decided = 0;
    let mut packs = 0;
    for file in std::fs::read_dir(&root).expect("readable") {
        let n = targets::decide_rule_file(&std::fs::read(file.expect("readable").path()).expect("readable"));
        decided += n;
        packs += usize::from(n > 0);
    }
    let per_pack = targets::agreement_products().len() * targets::agreement_queries().len();
    assert!(packs >= 8, "only {packs} corpus rule files compiled");
    assert_eq!(decided % per_pack, 0);
}

#[test]
fn every_target_has_a_corpus() {
    let seen: Vec<String> = inputs("fuzz/corpus").into_iter().map(|(t, _)| t).collect();
    for (target, _) in targets::TARGETS {
        assert!(seen.iter().any(|t| t == target), "fuzz/corpus/{target}/ is empty");
    }
}

#[test]
fn the_shipped_inputs_parse_and_compile() {
    // The targets' fixed data is sound, so a fuzzed input is what fails, never the harness.
    assert!(targets::shipped_pack_toml().text.contains("coverage_from"));
    for id in targets::PRODUCTS.iter().chain([&targets::FALLBACK_PRODUCT]) {
        assert!(targets::catalog().get(id).is_some(), "{id} is not in the catalog");
    }
    let _ = targets::shipped_rules();
}
