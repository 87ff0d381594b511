//! Authors' errors that misled (issue 12, item 9), through the binary: the help says what to
//! write, and what it says is accepted.

mod common;

use common::{copy_shipped_pack, temp_dir};

fn lint(dir: &std::path::Path) -> (i32, String) {
    let o = common::bin().arg("lint").arg(dir).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_date_with_slashes_is_answered_with_the_bare_date_and_that_loads() {
    let dir = temp_dir("authoring-dates");
    copy_shipped_pack(&dir);
    let notice = |from: &str| format!("[[notice]]\nid = \"authoring\"\ntitle = \"t\"\nsource = \"s\"\nfrom = {from}\n");
    let file = dir.join("zz-authoring.toml");
    std::fs::write(&file, notice("2027/01/01")).unwrap();
    let (code, err) = lint(&dir);
    assert_eq!(code, 3);
    assert!(err.contains("help: a date is written bare, year first, with dashes (no quotes): `2027-01-01`"), "{err}");
    assert!(!err.contains("help: quote"), "{err}");
    // The quoted form is refused, with the bare form as help.
    std::fs::write(&file, notice("\"2027-01-01\"")).unwrap();
    let (code, err) = lint(&dir);
    assert_eq!(code, 3);
    assert!(err.contains("help: write the date bare, without quotes: `2027-01-01`"), "{err}");
    // What the help says loads.
    std::fs::write(&file, notice("2027-01-01")).unwrap();
    let (code, err) = lint(&dir);
    assert_ne!(code, 3, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn condition_mistakes_get_the_fix_and_the_fix_loads() {
    let dir = temp_dir("authoring-conditions");
    copy_shipped_pack(&dir);
    let file = dir.join("zz-authoring.toml");
    let rule = |when: &str| {
        format!(
            "[[classification]]\nid = \"3A090.z.1\"\neccn = \"3A090.z\"\ntitle = \"t\"\nsource = \"s\"\nfrom = 2024-01-01\nkinds = [\"integrated_circuit\"]\nwhen = '{when}'\n"
        )
    };
    for (when, expected, fixed) in [
        ("tpp => 4000", "`=>` is not an operator: write `>=`", "tpp >= 4000"),
        ("TPP >= 4000", "help: attribute names are lower case: `tpp`", "tpp >= 4000"),
        (
            "tpp >= 4000 and kind == computer",
            "help: write `kind == \"computer\"`",
            "tpp >= 4000 and kind == \"computer\"",
        ),
    ] {
        std::fs::write(&file, rule(when)).unwrap();
        let (code, err) = lint(&dir);
        assert_eq!(code, 3, "{when}");
        assert!(err.contains(expected), "{when}: {err}");
        std::fs::write(&file, rule(fixed)).unwrap();
        let (code, err) = lint(&dir);
        assert_ne!(code, 3, "{fixed}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_quoted_date_in_a_transaction_gets_the_bare_date() {
    let dir = temp_dir("authoring-tx");
    let tx = dir.join("tx.toml");
    std::fs::write(&tx, "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = \"2025-04-20\"\n").unwrap();
    let o = common::bin().args(["check", "--transaction", tx.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("help: write the date bare, without quotes: `2025-04-20`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Writes the shipped pack, with one edit, to a fresh directory for the binary to lint.
fn pack_dir(name: &str, file: &str, old: &str, new: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ec-lint-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in common::pack_files_edited(file, old, new) {
        std::fs::write(dir.join(&f.path), &f.text).unwrap();
    }
    dir
}

#[test]
fn the_binary_prints_findings_like_load_errors_and_fails_on_a_lint_error() {
    let dir = pack_dir("cli", "ccl-3a090.toml", "when = \"tpp >= 4800\"", "when = \"tpp >= 4800 and tpp < 2400\"");
    let out = common::bin().arg("lint").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an L001 error fails the lint");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(": error[L001]: `3A090.a.1` can never be true"), "{text}");
    assert!(text.contains("| id = \"3A090.a.1\"\n"), "the line is shown: {text}");
    assert!(text.lines().last().unwrap().starts_with("1 error(s), "), "{text}");
    let out = common::bin().args(["lint", "--format", "json"]).arg(&dir).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v[0];
    // The file as the reader opens it from the working directory, the pack as given (tester15 D00).
    let file = dir.join("ccl-3a090.toml").display().to_string();
    assert_eq!((first["code"].as_str(), first["file"].as_str()), (Some("L001"), Some(file.as_str())));
    assert_eq!(first.get("severity"), None, "an error's severity is left out, as for load errors");
    assert_eq!(first["column"], 6);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_binary_fails_the_lint_on_a_placeholder_source() {
    let dir = common::temp_dir("lint-fixture-todo");
    common::copy_dir(&common::repo("tests/fixtures/lint-pack"), &dir);
    common::edit_file(
        &dir.join("ccl.toml"),
        "source = \"15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25)\"",
        "source = \"TODO\"",
    );
    let out = common::bin().arg("lint").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("ccl.toml:15:6: error[L010]: the source of `3A090.a.1` is a placeholder (`TODO`): `TODO`\n"),
        "{text}"
    );
    assert!(text.ends_with("1 error(s), 0 warning(s)\n"), "{text}");
    let out = common::bin().args(["lint", "--format", "json"]).arg(&dir).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v[0]["code"].as_str(), v[0]["line"].as_u64(), v[0]["column"].as_u64()),
        (Some("L010"), Some(15), Some(6))
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_binary_refuses_a_test_folder_with_an_empty_expectation() {
    let dir = common::temp_dir("lint-fixture-expect");
    common::copy_dir(&common::repo("tests/fixtures/lint-pack"), &dir);
    common::edit_file(&dir.join("tests/cases.toml"), "verdict = \"license_required\"\n", "");
    let out = common::bin().args(["--error-format", "json", "test"]).arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0406");
    assert_eq!(d["file"].as_str(), Some(format!("{}/tests/cases.toml", dir.display()).as_str()));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(7), Some(1)));
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}
