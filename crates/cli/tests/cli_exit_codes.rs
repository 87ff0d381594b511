//! The binary's exit code follows where a refused value came from: the command line (2, a
//! usage error) or a file (3, an input error); a check that fails exits with 1. README.md,
//! "Exit codes".

mod common;

use common::{check_args, run, stderr, transaction_file};

#[test]
fn a_date_before_the_pack_is_an_input_error_in_a_file_and_a_usage_error_on_the_command_line() {
    let tx = transaction_file("date", "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2019-06-01\n");
    let out = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("2019-06-01 is before 2022-01-01"), "{}", stderr(&out));
    // On the command line, the same date is a usage error.
    let out = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2019-01-01"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // --date (or its alias --on) cannot override the file's date (a usage error, whatever the
    // date); the flag is named by its name, `--date` since tester15 D1.
    for flag in ["--date", "--on"] {
        let out = run(&["check", "--transaction", tx.to_str().unwrap(), flag, "2024-06-01"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("--date cannot be given with --transaction"), "{}", stderr(&out));
    }
    let out = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v["exit_code"], 3);
    std::fs::remove_dir_all(tx.parent().unwrap()).ok();
}

#[test]
fn an_export_to_the_united_states_is_an_input_error_in_a_file_and_a_usage_error_on_the_command_line() {
    let tx = transaction_file("us", "product = \"nvidia-h20\"\ndestination = \"US\"\ndate = 2024-06-01\n");
    let out = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("not an export"), "{}", stderr(&out));
    // Named where it was given, the file's `destination`, not a flag the command did not have
    // (tester15: it said `--to US`).
    let said = format!("{}: destination = \"US\": a shipment into the United States", tx.display());
    assert!(stderr(&out).contains(&said), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--to US"), "{}", stderr(&out));
    let out = run(&["check", "--product", "nvidia-h20", "--to", "US", "--from", "US"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--to US: a shipment into the United States"), "{}", stderr(&out));
    let out = run(&["check", "--transaction", tx.to_str().unwrap(), "--to", "CN"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--to cannot be given with --transaction"), "{}", stderr(&out));
    std::fs::remove_dir_all(tx.parent().unwrap()).ok();
}

#[test]
fn an_unknown_product_is_an_input_error_in_a_file_and_a_usage_error_on_the_command_line() {
    let tx = transaction_file("product", "product = \"nvidia-h2O\"\ndestination = \"CN\"\ndate = 2024-06-01\n");
    let out = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("unknown product `nvidia-h2O` (did you mean `nvidia-h20`?)"), "{}", stderr(&out));
    let out = run(&["check", "--product", "nvidia-h2o", "--to", "CN", "--on", "2024-06-01"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&["check", "--transaction", tx.to_str().unwrap(), "--product", "nvidia-h20"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--product cannot be given with --transaction"), "{}", stderr(&out));
    std::fs::remove_dir_all(tx.parent().unwrap()).ok();
}

#[test]
fn a_party_key_given_twice_is_refused_whatever_name_it_goes_by() {
    let check = ["check", "--product", "nvidia-h100-sxm5-80gb", "--to", "MY", "--on", "2024-06-01", "--party"];
    for (party, message) in [
        ("role=end_user,hq=CN,headquarters=MY", "--party: `headquarters` is given twice"),
        ("role=end_user,role=purchaser", "--party: `role` is given twice"),
        ("role=end_user,country=UK", "--party country: `UK` is not an ISO 3166-1 alpha-2 country code"),
        ("country=MY", "--party needs role=..."),
    ] {
        let out = run(&[&check[..], &[party]].concat());
        assert_eq!(out.status.code(), Some(2), "{party}");
        assert!(stderr(&out).contains(message), "{party}: {}", stderr(&out));
    }
}

#[test]
fn failed_checks_exit_with_1() {
    // No case matches the filter: nothing passed.
    let out = run(&["test", "--filter", "no case has this name"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).trim_end().ends_with("0 passed, 0 failed"));
}

#[test]
fn the_json_error_format_keeps_its_shape() {
    let dir = std::env::temp_dir().join(format!("ec-codes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sheet = dir.join("bad.toml");
    std::fs::write(&sheet, "id = \"bad\"\nname = \"B\"\nvendor = \"V\"\nkind = \"computr\"\n").unwrap();
    let out = common::bin()
        .args(["--error-format", "json", "check", "--to", "CN", "--on", "2024-06-01", "--product"])
        .arg(&sheet)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["exit_code", "message", "diagnostics"]);
    let d = &v["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["code", "file", "line", "column", "message", "help"]);
    assert_eq!((d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("E0204"), Some(4), Some(8)));
    assert_eq!(d["help"], "did you mean `computer`?");
    std::fs::remove_dir_all(&dir).ok();
}

/// Tester round 4, L3: a `--db` path that exists but is not a regular file (a device, a
/// directory) is said to be one, not "no such record store"; exit 3 (README, "Exit codes").
#[test]
fn a_record_store_that_is_not_a_regular_file_is_named_as_such() {
    let dir = common::temp_dir("l3-db-dir");
    for db in ["sqlite:/dev/zero", "/dev/zero", dir.to_str().unwrap()] {
        for cmd in ["export", "verify"] {
            let out = run(&["records", cmd, "--db", db]);
            assert_eq!(out.status.code(), Some(3), "{cmd} {db}: {}", stderr(&out));
            assert!(stderr(&out).contains("not a regular file"), "{cmd} {db}: {}", stderr(&out));
            assert!(!stderr(&out).contains("no such record store"), "{cmd} {db}: {}", stderr(&out));
        }
    }
}

/// Tester round 4, L4: `--catalog` replaces the shipped catalog (README, "Usage"), so a folder
/// with no product sheet (`/proc`, an empty folder) is refused (E0231, exit 3) rather than
/// loaded as an empty catalog that then knows no product.
#[test]
fn a_catalog_folder_without_a_product_sheet_is_refused() {
    let empty = common::temp_dir("l4-empty-catalog");
    for dir in ["/proc", empty.to_str().unwrap()] {
        let mut args = check_args("nvidia-h20", "CN", "2025-06-01");
        args.extend(["--catalog", dir, "--error-format", "json"]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(3), "{dir}: {}", stderr(&out));
        assert!(stderr(&out).contains("\"E0231\""), "{dir}: {}", stderr(&out));
        assert!(!stderr(&out).contains("unknown product"), "{dir}: {}", stderr(&out));
    }
    // The checkout's product folder still loads.
    let out =
        run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2025-06-01", "--catalog", "rules/products"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
