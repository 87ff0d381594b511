//! Issue 12, items 1 and 3, through the binary: incomplete data is not complete data. The
//! library side of each case is in tests/incomplete_inputs.rs at the root; the inputs are in
//! the bad-input corpus (tests/bad-inputs/).

mod common;

use common::run;

fn corpus(name: &str) -> String {
    common::repo("tests/bad-inputs").join(name).display().to_string()
}

/// `check --format json` of a corpus sheet, with the exit code.
fn check_json(sheet: &str, to: &str, on: &str) -> serde_json::Value {
    let out = run(&["check", "--product", &corpus(sheet), "--from", "US", "--to", to, "--on", on, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn cli_a_cut_rate_list_is_a_lower_bound_and_never_clears() {
    let v = check_json("sheet-h100-two-rates.toml", "CN", "2024-06-01");
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(v["missing"], serde_json::json!(["dense_tops"]));
    assert_eq!(v["metrics"]["tpp"], "2176");
    assert_eq!(v["metrics"]["tpp_is_lower_bound"], true);
    assert!(v["metrics"].get("tpp_upper_bound").is_none());
    let text = String::from_utf8(
        run(&[
            "check",
            "--product",
            &corpus("sheet-h100-two-rates.toml"),
            "--from",
            "US",
            "--to",
            "CN",
            "--on",
            "2024-06-01",
        ])
        .stdout,
    )
    .unwrap();
    assert!(text.contains("TPP                     at least 2176"), "{text}");
    assert!(text.contains("tpp >= 4800: at least 2176 vs 4800 -> unknown"), "{text}");
    assert!(text.contains("TPP is at least 2176: the rate list (dense_tops) is not stated complete"), "{text}");
}

#[test]
fn cli_an_exact_tpp_keeps_the_json_shape() {
    // A complete sheet whose TPP equals the published one (4,992): no bound keys, so
    // determinations keep their shape.
    let out = run(&[
        "check",
        "--product",
        "nvidia-a100-sxm4-40gb",
        "--from",
        "US",
        "--to",
        "CN",
        "--on",
        "2024-06-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "license_required");
    assert!(v["metrics"].get("tpp_is_lower_bound").is_none() && v["metrics"].get("tpp_upper_bound").is_none());
    // The listed-unsupported form is complete too.
    let v = check_json("sheet-unsupported-listed.toml", "CN", "2024-06-01");
    assert_eq!(v["verdict"], "no_license_required");
    assert_eq!(v["metrics"]["tpp"], "2176");
}

#[test]
fn cli_classify_shows_the_bound() {
    let out = run(&["classify", "--product", &corpus("sheet-h100-two-rates.toml"), "--on", "2024-06-01"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("TPP at least 2176"), "{text}");
}

#[test]
fn cli_a_reported_tpp_above_the_rates_leaves_the_gap_open() {
    let v = check_json("sheet-tpp-reported-gap.toml", "CN", "2024-06-01");
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(v["missing"], serde_json::json!(["tpp: the rates give 4750, tpp_reported is 4850"]));
    assert_eq!(v["metrics"]["tpp_is_lower_bound"], true);
    assert_eq!(v["metrics"]["tpp_upper_bound"], "4850");
}

#[test]
fn cli_a_tpp_about_twice_the_reported_one_warns_of_a_sparse_rate() {
    let v = check_json("sheet-sparse-rate.toml", "CN", "2024-06-01");
    assert_eq!(v["verdict"], "license_required");
    let warnings = v["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("about twice tpp_reported (15832)")), "{warnings:?}");
}

#[test]
fn cli_zero_figures_are_refused_like_a_zero_area() {
    for (sheet, message) in [
        ("sheet-zero-rate.toml", "a rate must be greater than zero"),
        ("sheet-zero-interconnect.toml", "an interconnect bandwidth must be greater than zero"),
        ("sheet-zero-area.toml", "a die area must be greater than zero"),
    ] {
        let out = run(&[
            "check",
            "--product",
            &corpus(sheet),
            "--from",
            "US",
            "--to",
            "CN",
            "--on",
            "2024-06-01",
            "--error-format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(3), "{sheet}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("\"E0202\"") && err.contains(message), "{sheet}: {err}");
    }
}

#[test]
fn cli_a_die_without_its_architecture_names_non_planar() {
    let v = check_json("sheet-area-no-non-planar.toml", "CN", "2024-06-01");
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(v["missing"], serde_json::json!(["non_planar"]));
}
