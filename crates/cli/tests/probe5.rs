//! The tester's round-5 findings R1, R4 and R5 (branch `tester5`, tester5/FINDINGS.md), as
//! the `export-controls` binary answers them (the library's side: tests/probe5.rs at the root).
//! Each expected value is the regulation's, cited at the test.

mod common;

use common::{json, ordinary_check_json, repo, run, stderr, temp_dir};

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["requirements"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

/// R4. The MI308 letter (AMD 8-K of 2025-04-15; rules/us-ear/is-informed.toml) names AMD by
/// its legal name, Advanced Micro Devices: the H20's figures under that name written in
/// CamelCase need a licence to China (is-informed/MI308), as under `AMD`.
#[test]
fn cli_a_vendor_in_camel_case_is_the_vendor_it_spells() {
    let h20 = std::fs::read_to_string(repo("rules/products/nvidia-h20.toml")).unwrap();
    let dir = temp_dir("probe5-vendor");
    for vendor in ["AMD", "AdvancedMicroDevices", "Advanced MicroDevices", "AdvancedMicro Devices"] {
        let sheet = h20.replacen("vendor = \"NVIDIA\"", &format!("vendor = \"{vendor}\""), 1).replacen(
            "id = \"nvidia-h20\"",
            "id = \"example-h20-figures\"",
            1,
        );
        assert!(sheet.contains(&format!("vendor = \"{vendor}\"")) && sheet.contains("example-h20-figures"));
        let path = dir.join("sheet.toml");
        std::fs::write(&path, sheet).unwrap();
        let v = ordinary_check_json(path.to_str().unwrap(), "CN", "2025-06-01", &[]);
        assert_eq!(v["verdict"], "license_required", "{vendor}");
        assert_eq!(ids(&v), ["is-informed/MI308"], "{vendor}");
    }
}

/// R5. Entity List entries (15 CFR 744.11, Supp. No. 4 to part 744: a licence for every item)
/// written in CamelCase are those entries, even with a screening attestation; a name held by
/// a listed name as whole words once split is left open.
#[test]
fn cli_a_listed_name_in_camel_case_is_listed() {
    for (name, verdict) in [
        ("MooreThreads", "license_required"),
        ("BirenTechnology", "license_required"),
        ("ZhongkeShuguang", "license_required"),
        ("SemiconductorManufacturingInternationalCorporation", "license_required"),
        ("BeijingBiren", "indeterminate"),
    ] {
        let party = format!(
            "role=end_user,name=\"{name}\",country=MY,hq=MY,parent_hq=MY,owners_known=true,screened=entity_list@2025-06-01"
        );
        let v = ordinary_check_json("nvidia-h100-sxm5-80gb", "MY", "2025-06-01", &["--party", party.as_str()]);
        assert_eq!(v["verdict"], verdict, "{name}: {}", v["missing"]);
        if verdict == "license_required" {
            assert_eq!(ids(&v), ["744.11"], "{name}");
        }
    }
}

/// R1. One company given as end user headquartered in DE and as beneficiary headquartered in
/// CN: refused (exit 3, E0520) at the second statement's name, naming both; never decided on
/// the end user's headquarters (15 CFR 744.23(a)(3)).
#[test]
fn cli_one_company_with_two_headquarters_is_refused() {
    let path = repo("tests/bad-inputs/tx-same-company-two-headquarters.toml");
    let o = run(&["check", "--transaction", path.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0520");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(20), Some(8)));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("are one company (the same name and country) but give different headquarters: CN and DE"),
        "{d}"
    );
}

/// R7. Two listed owners holding exactly 50 % together need a licence (the Affiliates rule,
/// 90 FR 47201: "50 percent or more ... in the aggregate"). Written as JSON numbers of 22
/// significant digits their shares would be read through a binary float (49.99...): refused
/// (exit 3, E0521) at the first, "write it as a string"; as strings they are read exactly.
#[test]
fn cli_json_owner_shares_with_more_digits_than_a_float_holds_are_refused() {
    let path = repo("tests/bad-inputs/tx-owner-shares-json-digits.json");
    let o = run(&["check", "--transaction", path.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0521");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(62)));
    assert!(d["message"].as_str().unwrap().contains("write it as a string"), "{d}");
    let path = repo("tests/bad-inputs/tx-owner-shares-json-strings.json");
    let v = json(&run(&["check", "--transaction", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(ids(&v), ["744.11(a)(1)/affiliates"]);
}
