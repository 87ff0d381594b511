//! Probe finding 9 and tester findings N6 and N12, as the `export-controls` binary answers them
//! (the library's side: tests/unconfirmed_start.rs and tests/csl.rs at the root).
//!
//! * 87 FR 62186 took effect on staggered dates (2022-10-07 and 2022-10-21); 90 FR 5298 is
//!   effective 2025-01-16 with compliance from 2025-01-31: the days between are indeterminate
//!   where 3A090, or Note 1 to 3A090.a, could decide (rules/us-ear/NOTES.md §3).
//! * The DNR/LNR licence of 15 CFR 746.6 binds from 2022-02-24 (87 FR 12226); Executive Order
//!   14065 of 2022-02-21 is an OFAC prohibition, given as a notice (NOTES.md §10).
//! * A made-up Consolidated Screening List file that passes the floors of import-csl lacks
//!   Huawei Technologies Co., Ltd. (84 FR 22961, 2019) and SMIC (85 FR 83416, 2020): not complete.

mod common;

use common::{json, run, stderr, temp_dir, transaction_file};

fn check(product: &str, to: &str, on: &str) -> serde_json::Value {
    json(&run(&["check", "--product", product, "--to", to, "--on", on, "--format", "json"]))
}

#[test]
fn cli_gaudi_2_to_china_in_the_staggered_days_of_2022_is_indeterminate() {
    let d = check("intel-gaudi2-hl225h", "CN", "2022-10-10");
    assert_eq!(d["verdict"], "indeterminate");
    let missing: Vec<&str> = d["missing"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
    assert!(missing.contains(&"status of 3A090.a before 2022-10-21 (its start is not confirmed)"), "{missing:?}");
    assert!(
        missing.contains(&"status of 742.6(a)(6)(i) before 2022-10-21 (its start is not confirmed)"),
        "{missing:?}"
    );
    assert_eq!(check("intel-gaudi2-hl225h", "CN", "2022-10-06")["verdict"], "no_license_required");
    assert_eq!(check("intel-gaudi2-hl225h", "CN", "2022-10-21")["verdict"], "license_required");
    // The text output says why.
    let o = run(&["check", "--product", "intel-gaudi2-hl225h", "--to", "CN", "--on", "2022-10-20"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("status of 3A090.a before 2022-10-21 (its start is not confirmed)"), "{text}");
}

#[test]
fn cli_a_foundry_export_before_the_note_1_compliance_date_is_indeterminate() {
    // Probe finding 9a: the L20 (FinFET, TPP 1,913.6) by a front-end fabricator to China.
    let tx = |day: &str| {
        format!(
            "product = \"nvidia-l20\"\ndestination = \"CN\"\ndate = {day}\nexporter = {{ front_end_fabricator_or_osat = true }}\n"
        )
    };
    let verdict = |day: &str| {
        let path = transaction_file(&format!("note1-{day}"), &tx(day));
        json(&run(&["check", "--transaction", path.to_str().unwrap(), "--format", "json"]))
    };
    let d = verdict("2025-01-20");
    assert_eq!(d["verdict"], "indeterminate");
    assert!(
        d["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "status of 3A090.a Note 1 before 2025-01-31 (its start is not confirmed)"),
        "{}",
        d["missing"]
    );
    assert_eq!(verdict("2025-01-15")["verdict"], "no_license_required");
    assert_eq!(verdict("2025-01-31")["verdict"], "license_required");
}

#[test]
fn cli_the_dnr_region_before_87_fr_12226_carries_the_executive_order_notice() {
    let run_on = |day: &str| {
        json(&run(&[
            "check",
            "--product",
            "apple-m3-max",
            "--to",
            "UA",
            "--region",
            "dnr",
            "--on",
            day,
            "--format",
            "json",
        ]))
    };
    let d = run_on("2022-02-23");
    assert_eq!(d["verdict"], "no_license_required");
    assert_eq!(d["notices"], serde_json::json!(["746.6/DNR-LNR before 87 FR 12226"]));
    assert!(d["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().starts_with("Executive Order 14065")));
    let d = run_on("2022-02-24");
    assert_eq!(d["verdict"], "license_required");
    assert_eq!(d["notices"], serde_json::json!([]));
}

#[test]
fn cli_import_csl_does_not_declare_a_made_up_list_complete() {
    // The tester's gen-csl.py: 600 "Probe Listed Company N" in twelve countries from twelve
    // notices, all from 2020-01-01, dated 2026-06-01.
    let countries = ["CN", "RU", "IR", "AE", "PK", "SG", "TR", "HK", "BY", "KP", "SY", "MM"];
    let el = "Entity List (EL) - Bureau of Industry and Security";
    let record = |i: usize, name: &str, country: &str, start: &str| {
        format!(
            r#"{{"id": "probe{i}", "source": "{el}", "name": "{name}", "alt_names": [], "addresses": [{{"country": "{country}"}}], "federal_register_notice": "8{} FR {}", "start_date": "{start}"}}"#,
            i % 12,
            1000 + i % 12
        )
    };
    let doc = |records: Vec<String>| {
        format!(
            r#"{{"total": {}, "offset": 0, "results": [{}], "sources_used": [{{"source": "{el}", "source_last_updated": "2026-06-01"}}]}}"#,
            records.len(),
            records.join(",")
        )
    };
    let dir = temp_dir("csl-made-up");
    let made_up: Vec<String> =
        (0..600).map(|i| record(i, &format!("Probe Listed Company {i}"), countries[i % 12], "2020-01-01")).collect();
    let path = dir.join("csl-whole.json");
    std::fs::write(&path, doc(made_up)).unwrap();
    let o = run(&["import-csl", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("; not declared complete"), "{err}");
    assert!(
        err.contains("import-csl: not complete: it lacks Huawei Technologies Co., Ltd. (CN, listed by 84 FR 22961 on 2019-05-21) and Semiconductor Manufacturing International Corporation (CN, listed by 85 FR 83416 on 2020-12-22)"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("complete = false\nas_of = 2026-06-01\n"));
    // The same with Huawei and SMIC, and entries added over eight years: complete.
    let mut whole: Vec<String> = (0..600)
        .map(|i| record(i, &format!("Listed Company {i}"), countries[i % 12], &format!("{}-01-01", 2013 + i % 8)))
        .collect();
    whole.push(record(600, "Huawei Technologies Co., Ltd.", "CN", "2019-05-16"));
    whole.push(record(601, "Semiconductor Manufacturing International Corporation (SMIC)", "CN", "2020-12-22"));
    std::fs::write(&path, doc(whole)).unwrap();
    let o = run(&["import-csl", path.to_str().unwrap()]);
    assert!(stderr(&o).contains("; declared complete"), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("complete = true\nas_of = 2026-06-01\n"));
    std::fs::remove_dir_all(&dir).ok();
}
