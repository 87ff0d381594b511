//! The hostile tester's findings 2, 4, 6, 7, 10, 11, 12 and 15 (branch `probe`), as the
//! `export-controls` binary answers them (the library's side: tests/probe_clearances.rs at the
//! root). Each expected value is the regulation's, cited at the test.

mod common;

use std::process::Output;

use common::{json, ordinary_check_json, run, stderr, temp_dir, transaction_file};

/// The first diagnostic of `--error-format json` on standard error (exit 3: an input error).
fn diagnostic(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(3), "{}", stderr(o));
    let v: serde_json::Value = serde_json::from_str(&stderr(o)).unwrap_or_else(|_| panic!("{}", stderr(o)));
    let first = v.as_array().and_then(|a| a.first()).or_else(|| v["diagnostics"].as_array()?.first());
    first.cloned().unwrap_or(v)
}

/// Finding 2. 90 FR 47201 (2025-09-29): an entity 50% or more owned by listed parties is
/// treated as listed; the pack's Entity List is a sample. The party's attestation covers its
/// own name: its unscreened 60% owner is open (indeterminate); its owner's own attestation
/// clears it.
#[test]
fn cli_an_owner_needs_its_own_screening() {
    let tx = r#"product = "apple-m3-max"
destination = "MY"
date = 2025-10-15
exporter = { front_end_fabricator_or_osat = false }
[[party]]
role = "end_user"
name = "Example Compute Sdn Bhd"
country = "MY"
headquarters = "MY"
parent_headquarters = "MY"
owners_known = true
screened = [{ list = "entity_list", list_date = 2025-10-15, by = "cli test" }]
[[party.owner]]
name = "Example Holdings Bhd"
percent = 60
"#;
    let path = transaction_file("owner-unscreened", tx);
    let v = json(&run(&["check", "--transaction", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(
        v["missing"],
        serde_json::json!([
            "end user \"Example Compute Sdn Bhd\"'s owner \"Example Holdings Bhd\": screening against the full Entity List"
        ])
    );
    let screened = format!(
        "{tx}owners_known = true\nidentified = true\nscreened = [{{ list = \"entity_list\", list_date = 2025-10-15, by = \"the owner's screener\" }}]\n"
    );
    let path = transaction_file("owner-screened", &screened);
    let v = json(&run(&["check", "--transaction", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["verdict"], "no_license_required");
}

/// Finding 7. The Entity List's alias "Huawei" (84 FR 22961) written with a hyphen or a space
/// inside the word: never a clearance, even attested.
#[test]
fn cli_a_listed_alias_spaced_otherwise_is_indeterminate() {
    // (`HuaweiTechnologies`, the alias "Huawei Technologies" in CamelCase, is listed since
    // tester round 5, R5: crates/cli/tests/probe5.rs; written in one case it is left open.)
    for name in ["Hua-wei", "Hua wei", "HUAWEITECHNOLOGIES"] {
        let party = format!("role=end_user,name={name},country=MY,hq=MY,parent_hq=MY,screened=entity_list@2024-06-01");
        let o = run(&[
            "check",
            "--product",
            "apple-m3-max",
            "--to",
            "MY",
            "--on",
            "2024-06-01",
            "--party",
            party.as_str(),
            "--format",
            "json",
        ]);
        let v = json(&o);
        assert_eq!(v["verdict"], "indeterminate", "{name}");
        assert_eq!(
            v["missing"][0],
            format!(
                "end user \"{name}\": whether it is Entity List entry EL:huawei-technologies \"Huawei Technologies Co., Ltd.\" (its name matches only once spacing and punctuation inside words are ignored)"
            )
        );
    }
}

/// Findings 4, 6 and 10: sheets that contradict themselves or give bits for bytes are refused
/// (exit 3) with their codes, never determined.
#[test]
fn cli_memory_typed_gpus_hbm_false_and_gigabits_are_refused() {
    let dir = temp_dir("probe-sheets");
    let cases = [
        (
            "gpu.toml",
            "id = \"g\"\nname = \"g\"\nvendor = \"v\"\nkind = \"memory\"\ninterconnect_bandwidth = 1028\n[[logic_die]]\narea = 814\nnon_planar = true\n",
            "E0218",
        ),
        (
            "hbm.toml",
            "id = \"h\"\nname = \"h\"\nvendor = \"v\"\nkind = \"memory\"\n[memory]\nkind = \"HBM3E\"\nbandwidth = 1200\nstack_area = 110\nhbm = false\n",
            "E0221",
        ),
        (
            "gbps.toml",
            "id = \"b\"\nname = \"b\"\nvendor = \"v\"\nkind = \"integrated_circuit\"\n[memory]\nbandwidth = \"32000 Gb/s\"\n",
            "E0201",
        ),
    ];
    for (file, text, code) in cases {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        let o = run(&[
            "check",
            "--product",
            path.to_str().unwrap(),
            "--to",
            "CN",
            "--on",
            "2025-06-01",
            "--error-format",
            "json",
        ]);
        let d = diagnostic(&o);
        assert_eq!(d["code"], code, "{file}: {d}");
    }
}

/// Finding 11: a transaction's `product = "sheet.toml"` is read from the transaction file's
/// folder, wherever the command runs: the same file names the same product.
#[test]
fn cli_a_transaction_sheet_path_is_relative_to_the_transaction_file() {
    let dir = temp_dir("tx-relative");
    let sheet = std::fs::read_to_string(common::repo("rules/us-ear/tests/sheets/example-hbm3e-stack.toml")).unwrap();
    std::fs::write(dir.join("stack.toml"), sheet).unwrap();
    let tx = dir.join("tx.toml");
    std::fs::write(&tx, "product = \"stack.toml\"\ndestination = \"CN\"\ndate = 2025-06-01\n").unwrap();
    // Run from the workspace root (not the transaction's folder): 3A090.c, 1200/121 GB/s per mm² > 2.
    let v = json(&run(&["check", "--transaction", tx.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["eccns"], serde_json::json!(["3A090.c"]));
}

/// Finding 12: zero units refused (E0513); an attestation without `by` warned (15 CFR 762.2).
#[test]
fn cli_zero_units_refused_and_a_screener_asked_for() {
    let tx = "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"MY\"\ndate = 2025-06-01\nquantity = 0\n";
    let path = transaction_file("quantity-zero", tx);
    let o = run(&["check", "--transaction", path.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(diagnostic(&o)["code"], "E0513");
    let party = "role=end_user,name=Example Compute Sdn Bhd,country=MY,hq=MY,parent_hq=MY,owners_known=true,screened=entity_list@2025-06-01";
    let v = ordinary_check_json("nvidia-h100-sxm5-80gb", "MY", "2025-06-01", &["--party", party]);
    assert_eq!(v["verdict"], "no_license_required");
    let warned =
        v["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("names no screener (`by`)"));
    assert!(warned, "{}", v["warnings"]);
}

/// Finding 15 and tester round 4 Q7: Cyprus in D:5 is unverified (ref §5.5) and decides the
/// headquarters rule (742.6(a)(6)(iii), 744.23(a)(3)): a Cyprus-headquartered buyer of an H100 in
/// Germany is indeterminate on every date probed, naming the fact, never cleared.
#[test]
fn cli_a_cyprus_headquartered_buyer_is_indeterminate_on_cyprus_in_d5() {
    for on in ["2023-12-01", "2024-06-01", "2025-06-01", "2026-08-01"] {
        let party = format!(
            "role=end_user,name=Example Compute GmbH,country=DE,hq=CY,parent_hq=CY,owners_known=true,screened=entity_list@{on}"
        );
        let v = ordinary_check_json("nvidia-h100-sxm5-80gb", "DE", on, &["--party", party.as_str()]);
        assert_eq!(v["verdict"], "indeterminate", "{on}");
        let missing = v["missing"].as_array().unwrap();
        assert_eq!(missing.len(), 1, "{on}: {missing:?}");
        let m = missing[0].as_str().unwrap();
        assert!(m.starts_with("whether Cyprus is in Country Group D:5 (unverified: "), "{m}");
    }
}
