//! Issue 12, fifth round, as the `export-controls` binary answers it (the library's side:
//! tests/unstated_facts.rs at the root): whether the exporter is a front-end fabricator or OSAT
//! (Note 1 to 3A090.a, 90 FR 5298, binding from 2025-01-31), where in Ukraine the item goes
//! (15 CFR 746.6(a); 80 FR 4776; 87 FR 12226), a vendor another script or dots hide from the H20
//! letter of 2025-04-09, a forged record replayed (E0604), long party names in `missing`, and
//! owners' shares in one strict form.

mod common;

use common::{check_args, json, ordinary_check_json, run, stderr, temp_dir, transaction_file};

const FAB: &str = "exporter.front_end_fabricator_or_osat";
const REGION: &str = "destination_region (where in Ukraine the item goes: crimea, dnr, lnr or other; 15 CFR 746.6)";

fn missing(v: &serde_json::Value) -> Vec<String> {
    v["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect()
}

#[test]
fn cli_the_exporter_role_is_unknown_until_stated() {
    // The L20 (non-planar, datacenter, not 3A090 on its figures) to Malaysia on 2025-06-01.
    let check = [&check_args("nvidia-l20", "MY", "2025-06-01")[..], &["--format", "json"]].concat();
    let v = json(&run(&check));
    assert_eq!(v["verdict"], "indeterminate");
    assert!(missing(&v).contains(&FAB.to_string()), "{:?}", missing(&v));
    let flag = "--exporter-front-end-fabricator-or-osat";
    let v = json(&run(&[&check[..], &[flag, "no"]].concat()));
    assert_eq!(v["verdict"], "no_license_required");
    assert_eq!(v["inputs"]["exporter"]["front_end_fabricator_or_osat"], false);
    let v = json(&run(&[&check[..], &[flag, "yes"]].concat()));
    assert_eq!(v["verdict"], "license_required");
    let ids: Vec<&str> = v["requirements"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"3A090 License Requirements/Note 1"), "{ids:?}");
    let o = run(&[&check[..], &[flag, "maybe"]].concat());
    assert_eq!(o.status.code(), Some(2));
    // The README's first command and the browser test keep their verdicts.
    for (on, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let v = json(&run(&[&check_args("nvidia-h20", "CN", on)[..], &["--format", "json"]].concat()));
        assert_eq!(v["verdict"], verdict, "{on}");
    }
    // A transaction file states it; the flag cannot override the file.
    let tx = transaction_file(
        "fab-file",
        "product = \"nvidia-l20\"\ndestination = \"MY\"\ndate = 2025-06-01\nexporter = { front_end_fabricator_or_osat = false }\n",
    );
    let v = json(&run(&["check", "--transaction", tx.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["verdict"], "no_license_required");
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), flag, "yes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--exporter-front-end-fabricator-or-osat cannot be given with --transaction"));
}

#[test]
fn cli_screen_reads_the_exporter_role() {
    let screen =
        ["screen", "--on", "2025-06-01", "--products", "nvidia-l20", "--destinations", "MY", "--format", "json"];
    // The screen's JSON is POST /v1/screen's: the rows under `rows` (tester15 D2).
    let v = json(&run(&screen));
    assert_eq!(v["rows"][0]["verdict"], "indeterminate");
    let v = json(&run(&[&screen[..], &["--exporter-front-end-fabricator-or-osat", "no"]].concat()));
    assert_eq!(v["rows"][0]["verdict"], "no_license_required");
    let v = json(&run(&[&screen[..], &["--exporter-front-end-fabricator-or-osat", "yes"]].concat()));
    assert_eq!(v["rows"][0]["verdict"], "license_required");
}

#[test]
fn cli_ukraine_needs_its_region() {
    let check = [&check_args("nvidia-h100-sxm5-80gb", "UA", "2024-06-01")[..], &["--format", "json"]].concat();
    let v = json(&run(&check));
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(missing(&v), [REGION]);
    for region in ["crimea", "dnr", "lnr"] {
        let v = json(&run(&[&check[..], &["--region", region]].concat()));
        assert_eq!(v["verdict"], "license_required", "{region}");
        let r = v["requirements"].as_array().unwrap().iter().find(|r| r["id"] == "746.6(a)").unwrap();
        assert_eq!(r["review_policy"], "policy_of_denial");
        assert_eq!(v["inputs"]["destination_region"], region);
    }
    let v = json(&run(&[&check[..], &["--region", "other"]].concat()));
    assert_eq!(v["verdict"], "no_license_required");
    let o = run(&[&check[..], &["--region", "krym"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown region `krym`; expected one of crimea, dnr, lnr, other"), "{}", stderr(&o));
    // A region for an export that goes nowhere in Ukraine is a usage error.
    let o = run(&[&check_args("apple-m3-max", "PL", "2024-06-01")[..], &["--region", "crimea"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a region of Ukraine"), "{}", stderr(&o));
    // In a file, E0512 at the key.
    let tx = transaction_file(
        "region-pl",
        "product = \"apple-m3-max\"\ndestination = \"PL\"\ndate = 2024-06-01\ndestination_region = \"crimea\"\n",
    );
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "E0512");
    assert_eq!(v["diagnostics"][0]["line"], 4);
}

#[test]
fn cli_a_vendor_in_another_script_or_dotted_is_not_cleared_by_the_h20_letter() {
    let sheet = std::fs::read_to_string(common::repo("rules/products/nvidia-h20.toml")).unwrap();
    let dir = temp_dir("vendor-script");
    let check = |vendor: &str| {
        let text = sheet
            .replace("id = \"nvidia-h20\"", "id = \"example-h20-like\"")
            .replace("vendor = \"NVIDIA\"", &format!("vendor = \"{vendor}\""));
        assert!(text.contains(&format!("vendor = \"{vendor}\"")));
        let path = dir.join("sheet.toml");
        std::fs::write(&path, text).unwrap();
        ordinary_check_json(path.to_str().unwrap(), "CN", "2025-06-01", &[])
    };
    for vendor in ["N.V.I.D.I.A.", "N V I D I A"] {
        let v = check(vendor);
        assert_eq!(v["verdict"], "license_required", "{vendor}");
    }
    // NVIDIA's own Chinese name (https://www.nvidia.cn/) is listed with NVIDIA in the
    // is-informed rules from pack 0.1.40: the H20 letter holds.
    let v = check("英伟达");
    assert_eq!(v["verdict"], "license_required");
    // A name in another script that no rule lists is not known not to be NVIDIA.
    let v = check("エヌビディア");
    assert_eq!(v["verdict"], "indeterminate");
    assert!(missing(&v).iter().any(|m| m.starts_with("vendor (not written in Latin letters")), "{:?}", missing(&v));
}

#[test]
fn cli_replay_refuses_a_catalog_id_with_forged_figures() {
    let v = json(&run(&[&check_args("nvidia-h100-sxm5-80gb", "CN", "2024-06-01")[..], &["--format", "json"]].concat()));
    let dir = temp_dir("forged-replay");
    let genuine = dir.join("genuine.json");
    std::fs::write(&genuine, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = run(&["replay", genuine.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut forged = v.clone();
    forged["inputs"]["product"]["transistors"] = serde_json::json!("29000000000");
    let path = dir.join("forged.json");
    std::fs::write(&path, serde_json::to_string_pretty(&forged).unwrap()).unwrap();
    let o = run(&["replay", path.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["diagnostics"][0]["code"], "E0604");
}

#[test]
fn cli_long_names_are_cut_in_missing() {
    // 993 characters: under the limit of 1,000 (E0517), far over the 160 shown.
    let name = format!("Example {} Sdn. Bhd.", "Very Long Name ".repeat(65));
    let party = format!("role=end_user,name={name},country=MY");
    let v = json(&run(&[
        &check_args("nvidia-h100-sxm5-80gb", "MY", "2024-06-01")[..],
        &["--party", &party, "--format", "json"],
    ]
    .concat()));
    assert_eq!(v["verdict"], "indeterminate");
    let naming: Vec<String> = missing(&v).into_iter().filter(|m| m.contains("Very Long Name")).collect();
    assert!(!naming.is_empty());
    for m in naming {
        assert!(m.contains('…') && !m.contains(&name), "{m}");
        assert!(m.chars().count() < 400, "{}", m.chars().count());
    }
}

#[test]
fn cli_owner_shares_are_strict_in_toml_and_json() {
    for (i, bad) in [r#"" 60""#, r#""6e1""#, r#""-0""#, "6e1", "-0"].into_iter().enumerate() {
        let toml = format!(
            "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2024-06-01\n[[party]]\nrole = \"end_user\"\nname = \"A\"\n[[party.owner]]\nname = \"B\"\npercent = {bad}\n"
        );
        let tx = transaction_file(&format!("percent-{i}"), &toml);
        let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
        assert_eq!(o.status.code(), Some(3), "{bad}: {}", stderr(&o));
        let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
        assert_eq!(e["diagnostics"][0]["code"], "E0506", "{bad}");
        let json_text = format!(
            r#"{{"product": "nvidia-h20", "destination": "CN", "date": "2024-06-01", "party": [{{"role": "end_user", "name": "A", "owner": [{{"name": "B", "percent": {bad}}}]}}]}}"#
        );
        let path = temp_dir(&format!("percent-json-{i}")).join("tx.json");
        std::fs::write(&path, json_text).unwrap();
        let o = run(&["check", "--transaction", path.to_str().unwrap(), "--error-format", "json"]);
        assert_eq!(o.status.code(), Some(3), "json {bad}: {}", stderr(&o));
        let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
        assert_eq!(e["diagnostics"][0]["code"], "E0506", "json {bad}");
    }
}
