//! Note 1 to 3A090.a (15 CFR 774 Supp. No. 1, ECCN 3A090, added by 90 FR 5298) through the
//! `export-controls` binary: tester findings N1, N4, N5, N7 and "NAC listed twice" (the
//! library's side: tests/note1.rs at the root). Expected values are the regulation's, cited at
//! each test (rules/us-ear/NOTES.md §3, §6, §8).

mod common;

use std::process::Output;

use common::{json, repo, run, stderr, temp_dir};

/// A non-planar consumer logic IC: TPP 300 x 8 = 2,400, PD 8, 20 billion transistors: not 3A090
/// on its numbers (Note 2), an "applicable advanced logic IC" (15 CFR 772.1). Made at TSMC N7
/// (66.7 million transistors per mm², above the 7 nm class's typical 30): a count the engine can
/// check, and the sheet states it is the package's aggregate over all its dies
/// (`logic_dies_complete`), so it can rebut the presumption by packaging
/// (src/model/transistor_count.rs).
const FINFET: &str = r#"id = "example-finfet-20bn"
name = "Example FinFET logic IC"
vendor = "Example Chips"
kind = "integrated_circuit"
designed_or_marketed_for_datacenter = false
process_node = "TSMC N7"
transistors = 20_000_000_000
logic_dies_complete = true
[dense_tops]
complete = true
fp8 = 300
[[logic_die]]
name = "X1"
area = 300
non_planar = true
"#;

/// Writes the IC's sheet (with `transistors` replaced by `count`, or left out when `None`) and a
/// transaction to CN on 2025-06-01 with `exporter`, in one directory; returns the transaction.
fn files(name: &str, count: Option<&str>, exporter: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let sheet = match count {
        Some(c) => FINFET.replace("20_000_000_000", c),
        None => FINFET.replace("transistors = 20_000_000_000\n", ""),
    };
    std::fs::write(dir.join("ic.toml"), sheet).unwrap();
    let tx = format!(
        "product = \"ic.toml\"\ndestination = \"CN\"\nexported_from = \"US\"\ndate = 2025-06-01\nexporter = {exporter}\n"
    );
    let path = dir.join("tx.toml");
    std::fs::write(&path, tx).unwrap();
    path
}

fn check_tx(path: &std::path::Path) -> Output {
    run(&["check", "--transaction", path.to_str().unwrap(), "--format", "json"])
}

fn requirement_ids(v: &serde_json::Value) -> Vec<String> {
    v["requirements"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

const PACKAGED: &str = "{ front_end_fabricator_or_osat = true, packaged_outside_d5_or_macau = true";

/// N1: routes (b) and (c) rebut; an OSAT not in Supp. No. 7 rebuts nothing (presumed
/// datacenter 3A090.a: the Note 1 licence and, to China, 742.6(a)(6)(iii)); unstated, open.
#[test]
fn cli_only_the_front_end_fabricator_or_an_approved_osat_rebuts() {
    for (by, verdict) in [("front_end_fabricator", "no_license_required"), ("approved_osat", "no_license_required")] {
        let v = json(&check_tx(&files(
            &format!("n1-{by}"),
            Some("20_000_000_000"),
            &format!("{PACKAGED}, packaged_by = \"{by}\" }}"),
        )));
        assert_eq!(v["verdict"], verdict, "{by}");
    }
    let v =
        json(&check_tx(&files("n1-other", Some("20_000_000_000"), &format!("{PACKAGED}, packaged_by = \"other\" }}"))));
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["eccns"], serde_json::json!(["3A090.a"]));
    assert_eq!(requirement_ids(&v), ["3A090 License Requirements/Note 1", "742.6(a)(6)(iii)"]);
    assert_eq!(v["exceptions"], serde_json::json!([]));
    let v = json(&check_tx(&files("n1-unstated", Some("20_000_000_000"), &format!("{PACKAGED} }}"))));
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(
        v["missing"],
        serde_json::json!(["exporter.packaged_by (front_end_fabricator, approved_osat or other)"])
    );
    // An unknown packager is an input error (exit 3), not a rebuttal.
    let o = check_tx(&files("n1-typo", Some("20_000_000_000"), &format!("{PACKAGED}, packaged_by = \"osat\" }}")));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

/// N5: a count written in billions is refused with E0223 (exit 3), never read as 80 transistors
/// "below 30 billion".
#[test]
fn cli_a_transistor_count_in_billions_is_refused() {
    for count in ["80", "1.5"] {
        let path = files(
            &format!("n5-{count}"),
            Some(count),
            &format!("{PACKAGED}, packaged_by = \"front_end_fabricator\" }}"),
        );
        let o = run(&["check", "--transaction", path.to_str().unwrap(), "--format", "json", "--error-format", "json"]);
        assert_eq!(o.status.code(), Some(3), "{count}: {}", stderr(&o));
        assert!(stderr(&o).contains("\"E0223\""), "{count}: {}", stderr(&o));
    }
}

/// Tester round 4, Q2: the catalog H20 sheet with its 80 billion transistors written in
/// thousands (`80_000_000`, the tester's probe-h20-thousands.toml), exported by an OSAT that
/// packaged it outside D:5 and Macau as an approved OSAT, to Germany on 2025-06-01, was cleared:
/// 80 million is "below 30 billion" and rebutted the Note 1 presumption (90 FR 5298). It is
/// 0.1 million transistors per mm² of the 814 mm² non-planar GH100 die, far below any FinFET
/// logic: refused with E0230 (exit 3). The true count needs the Note 1 licence.
#[test]
fn cli_a_transistor_count_in_thousands_is_refused() {
    let sheet = std::fs::read_to_string(repo("rules/products/nvidia-h20.toml")).unwrap();
    assert!(sheet.contains("transistors = 80_000_000_000 "));
    let dir = temp_dir("q2-h20-thousands");
    let exporter =
        "{ front_end_fabricator_or_osat = true, packaged_outside_d5_or_macau = true, packaged_by = \"approved_osat\" }";
    for (name, count) in [("thousands", "80_000_000"), ("true", "80_000_000_000")] {
        let text = sheet.replace("id = \"nvidia-h20\"", &format!("id = \"probe-h20-{name}\""));
        let text = text.replace("transistors = 80_000_000_000 ", &format!("transistors = {count} "));
        std::fs::write(dir.join(format!("{name}.toml")), text).unwrap();
        let tx = format!(
            "product = \"{name}.toml\"\ndestination = \"DE\"\nexported_from = \"US\"\ndate = 2025-06-01\nexporter = {exporter}\n"
        );
        std::fs::write(dir.join(format!("tx-{name}.toml")), tx).unwrap();
    }
    let tx = dir.join("tx-thousands.toml");
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--format", "json", "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("\"E0230\""), "{}", stderr(&o));
    assert!(stderr(&o).contains("thousands.toml"), "{}", stderr(&o));
    let v = json(&check_tx(&dir.join("tx-true.toml")));
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(requirement_ids(&v), ["3A090 License Requirements/Note 1"]);
}

/// N4: a front-end fabricator exporting the catalog's HGX H20 (8 x H20, each presumed 3A090.a)
/// to Germany: 4A090.a, and the Note 1 licence follows the presumed ICs (conservative reading,
/// rules/us-ear/NOTES.md §6); an ordinary exporter needs none (per IC no H20 is 3A090).
#[test]
fn cli_the_note_1_licence_reaches_a_system() {
    let base = [
        "check",
        "--product",
        "nvidia-hgx-h20",
        "--from",
        "US",
        "--to",
        "DE",
        "--on",
        "2025-06-01",
        "--format",
        "json",
    ];
    let v = json(&run(&[&base[..], &["--exporter-front-end-fabricator-or-osat", "yes"]].concat()));
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["eccns"], serde_json::json!(["4A090.a"]));
    assert_eq!(requirement_ids(&v), ["3A090 License Requirements/Note 1"]);
    let v = json(&run(&[&base[..], &["--exporter-front-end-fabricator-or-osat", "no"]].concat()));
    assert_eq!(v["verdict"], "no_license_required");
    // A one-IC "computer" holding the MI308X (no dense rates, no die in its sheet): open, as the
    // bare IC is, never cleared.
    let dir = temp_dir("n4-mi308x");
    let wrap = dir.join("wrap.toml");
    std::fs::write(
        &wrap,
        "id = \"example-wrap-mi308x\"\nname = \"MI308X in a computer\"\nvendor = \"Example\"\nkind = \"computer\"\n\
         designed_or_marketed_for_datacenter = true\ncontains = [{ product = \"amd-mi308x\", count = 1 }]\n",
    )
    .unwrap();
    let v = json(&run(&[
        "check",
        "--product",
        wrap.to_str().unwrap(),
        "--from",
        "US",
        "--to",
        "DE",
        "--on",
        "2025-06-01",
        "--format",
        "json",
        "--exporter-front-end-fabricator-or-osat",
        "yes",
    ]));
    assert_eq!(v["verdict"], "indeterminate");
    assert!(!v["missing"].as_array().unwrap().is_empty());
}

/// N7: transistors unknown, so the presumption is open: NAC, if listed, is only possible, and a
/// warning says it is available only if the presumption does not apply (presumed, the IC is
/// datacenter 3A090.a, which 15 CFR 740.8(a) excludes); the verdict is open, never a clearance.
#[test]
fn cli_nac_under_an_undecided_presumption_carries_a_warning() {
    let path = files("n7", None, &format!("{PACKAGED}, packaged_by = \"front_end_fabricator\" }}"));
    let v = json(&check_tx(&path));
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(v["missing"], serde_json::json!(["transistors"]));
    for x in v["exceptions"].as_array().unwrap() {
        assert_eq!(x["certainty"], "possible", "{x}");
    }
    let warned = v["warnings"].as_array().unwrap().iter().any(|w| {
        w.as_str().unwrap().starts_with(
            "License Exception NAC may be available only if 3A090 License Requirements/Note 1 does not apply",
        )
    });
    assert!(warned, "{}", v["warnings"]);
}

/// NAC twice: an RTX 4090 (non-datacenter 3A090.a.1) to China on 2024-06-01 for an end user
/// headquartered in China. 742.6(a)(6)(iii) and 744.23(a)(3) apply; NAC overcomes both
/// (15 CFR 740.8 from 2024-04-04): one NAC entry with both grounds, in JSON and in text.
#[test]
fn cli_nac_on_two_grounds_is_listed_once() {
    let tx = r#"product = "nvidia-rtx-4090"
destination = "CN"
exported_from = "US"
date = 2024-06-01
exporter = { front_end_fabricator_or_osat = false }
[[party]]
role = "end_user"
name = "Example Gaming Cafe Chain Co., Ltd."
country = "CN"
headquarters = "CN"
parent_headquarters = "CN"
owners_known = true
screened = [{ list = "entity_list", list_date = 2024-06-01, by = "note1 test" }]
"#;
    let path = common::transaction_file("nac-twice", tx);
    let v = json(&check_tx(&path));
    assert_eq!(v["verdict"], "license_exception");
    assert_eq!(requirement_ids(&v), ["742.6(a)(6)(iii)", "744.23(a)(3)"]);
    let x = v["exceptions"].as_array().unwrap();
    assert_eq!(x.len(), 1, "{x:?}");
    assert_eq!(x[0]["name"], "NAC");
    assert_eq!(x[0]["overcomes"], serde_json::json!(["742.6(a)(6)(iii)", "744.23(a)(3)"]));
    assert_eq!(x[0]["grounds"].as_array().unwrap().len(), 2);
    let text = String::from_utf8_lossy(&run(&["check", "--transaction", path.to_str().unwrap()]).stdout).into_owned();
    assert_eq!(text.matches("  NAC (").count(), 1, "{text}");
    assert!(text.contains("ground: 740.8/NAC (headquarters): "), "{text}");
}
