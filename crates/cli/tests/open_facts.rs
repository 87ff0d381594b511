//! Issue 12, the false clearances found after the first round, as the `export-controls` binary
//! answers them (the library's side: tests/open_facts.rs at the root): missing ownership while
//! the Affiliates rule is in force (15 CFR 744.11(a)(1) as amended by 90 FR 47201), a
//! screening list dated after today, flags that would override a transaction file, and dates
//! past the pack's research cut-off (2026-09-24, rules/us-ear/NOTES.md §1).

mod common;

use common::{check_args, json, run, stderr, transaction_file};

const AFFILIATES: &str = "(the Affiliates rule: whether entities on the Entity List own 50% or more of it; give every owner with its share, or state `owners_known = true` when none is left out)";

const PARTY: &str =
    "role=end_user,name=Example Shenzhen Trading Co.,country=CN,hq=CN,parent_hq=CN,screened=entity_list@2025-10-15";

#[test]
fn cli_missing_ownership_is_indeterminate_unless_stated_known() {
    // The exporter states it is not a front-end fabricator or OSAT (Note 1 to 3A090.a).
    let check = [
        &check_args("apple-m3-max", "CN", "2025-10-15")[..],
        &["--exporter-front-end-fabricator-or-osat", "no", "--format", "json"],
    ]
    .concat();
    let v = json(&run(&[&check[..], &["--party", PARTY]].concat()));
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(
        v["missing"],
        serde_json::json!([format!("end user \"Example Shenzhen Trading Co.\": owners {AFFILIATES}")])
    );
    let known = format!("{PARTY},owners_known=true");
    let v = json(&run(&[&check[..], &["--party", &known]].concat()));
    assert_eq!(v["verdict"], "no_license_required");
    let o = run(&[&check[..], &["--party", &format!("{PARTY},owners_known=maybe")]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--party: owners_known: `maybe` is not true or false"), "{}", stderr(&o));
}

#[test]
fn cli_refuses_a_screening_list_dated_after_today() {
    let tx = transaction_file(
        "future",
        "product = \"apple-m3-max\"\ndestination = \"CN\"\ndate = 2025-09-28\n\n[[party]]\nrole = \"end_user\"\nname = \"Example\"\nscreened = [{ list = \"entity_list\", list_date = 2099-01-01 }]\n",
    );
    // In JSON: the rendered text wraps at its width, where a long temporary path moves the words.
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("E0511"), Some(8), Some(49)),
        "{v}"
    );
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with("end user \"Example\": screened against `entity_list` dated 2099-01-01, after today"),
        "{v}"
    );
    assert!(message.ends_with("a list not yet published cannot have been screened against"), "{v}");
    let o = run(&[
        &check_args("apple-m3-max", "CN", "2025-09-28")[..],
        &["--party", "role=end_user,name=Example,screened=entity_list@2099-01-01"],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("--party: end user \"Example\": screened against `entity_list` dated 2099-01-01, after today"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(tx.parent().unwrap()).ok();
}

#[test]
fn cli_refuses_flags_that_would_override_a_transaction_file() {
    let tx = transaction_file("flags", "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2024-06-01\n");
    let path = tx.to_str().unwrap();
    for (flags, named) in [
        (vec!["--to", "MY"], "--to"),
        // The date's flag is named `--date` (tester15 D1), given by its name or its alias.
        (vec!["--date", "2025-06-01"], "--date"),
        (vec!["--on", "2025-06-01"], "--date"),
        (vec!["--product", "nvidia-h100-sxm5-80gb"], "--product"),
        (vec!["--from", "SG"], "--from"),
        (vec!["--party", "role=end_user,country=CN"], "--party"),
        (vec!["--to", "MY", "--party", "role=end_user"], "--to, --party"),
    ] {
        let o = run(&[&["check", "--transaction", path][..], &flags[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{flags:?}");
        assert!(
            stderr(&o).contains(&format!("{named} cannot be given with --transaction: the file gives the product, destination, date, country of export and parties")),
            "{flags:?}: {}",
            stderr(&o)
        );
    }
    // Alone, the file decides: the H20 to China on 2024-06-01 sits below every 3A090 band.
    assert_eq!(json(&run(&["check", "--transaction", path, "--format", "json"]))["verdict"], "no_license_required");
    std::fs::remove_dir_all(tx.parent().unwrap()).ok();
}

#[test]
fn cli_after_the_research_cut_off_says_what_is_missing() {
    let v = json(&run(&[
        &check_args("nvidia-h100-sxm5-80gb", "FR", "2026-10-01")[..],
        &["--exporter-front-end-fabricator-or-osat", "no", "--format", "json"],
    ]
    .concat()));
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(
        v["missing"],
        serde_json::json!([
            "the rules in force after 2026-09-24, the research cut-off of pack us-ear (`researched_until`): rules published or in force later are not encoded"
        ])
    );
}
