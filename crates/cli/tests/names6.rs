//! The tester's round-5 finding R6 (branch `tester5`, tester5/FINDINGS.md, cases/r6-abbreviated-names.sh),
//! as the `export-controls` binary answers it (the library's side: tests/names6.rs at the root).
//! Abbreviated, plural and misspelt forms of Entity List names (15 CFR 744.11; Supp. No. 4 to part
//! 744: a licence for every item) are left open with an attestation, never cleared.

mod common;

use common::ordinary_check_json;

/// H100 SXM5 → MY on 2025-06-01, the end user in MY attesting a screening against the Entity
/// List as of that date: the verdict and the missing facts.
fn check(name: &str) -> serde_json::Value {
    let party = format!(
        "role=end_user,name=\"{name}\",country=MY,hq=MY,parent_hq=MY,owners_known=true,screened=entity_list@2025-06-01"
    );
    ordinary_check_json("nvidia-h100-sxm5-80gb", "MY", "2025-06-01", &["--party", &party])
}

/// The tester's eight names (each `no_license_required` before), and `rn` for `m`.
#[test]
fn cli_abbreviated_plural_and_misspelt_listed_names_are_left_open() {
    for (name, entry) in [
        ("Semiconductor Manufacturing Intl Corp", "EL:smic"),
        ("Semiconductor Manufacturing Int'l Corporation", "EL:smic"),
        ("Semiconductor Mfg International Corp", "EL:smic"),
        ("Biren Technologies", "EL:biren-technology"),
        ("Beijing Biren Tech Development Co Ltd", "EL:biren-technology"),
        ("Dawning Information Industries", "EL:sugon"),
        ("Dawning Info Industry", "EL:sugon"),
        ("Hwawei Technologies", "EL:huawei-technologies"),
        ("rnoore Threads", "EL:moore-threads"),
        ("SRNIC", "EL:smic"),
    ] {
        let v = check(name);
        assert_eq!(v["verdict"], "indeterminate", "{name}: {}", v["requirements"]);
        let missing = v["missing"].to_string();
        assert!(missing.contains(&format!("entry {entry} ")), "{name}: {missing}");
    }
    // A real company that is not listed, written with the same abbreviations, stays cleared.
    let v = check("Taiwan Semiconductor Mfg Co Ltd");
    assert_eq!(v["verdict"], "no_license_required", "{}", v["missing"]);
}
