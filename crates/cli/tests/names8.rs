//! names8 (tester round 6's leftovers), as the `export-controls` binary's `check` answers them (the
//! library's side, `evaluate` and the fast path `decide` that `screen` uses: tests/names8.rs at
//! the root). Listed names written with a swap and a changed letter, or with a digit or a
//! look-alike letter in a short listed name beside a place, are left open (15 CFR 744.11; Supp.
//! No. 4 to part 744: a licence for every item for a listed party); two statements that may be
//! one company with different owners, nested owners included, are refused (E0520).

mod common;

use common::{ordinary_check_json, run, stderr, transaction_file};

/// H100 SXM5 to MY on 2025-06-01, the end user in MY attesting a screening against the Entity
/// List as of that date: the determination as JSON.
fn check(name: &str) -> serde_json::Value {
    let party = format!(
        "role=end_user,name=\"{name}\",country=MY,hq=MY,parent_hq=MY,owners_known=true,screened=entity_list@2025-06-01"
    );
    ordinary_check_json("nvidia-h100-sxm5-80gb", "MY", "2025-06-01", &["--party", &party])
}

/// Each was `no_license_required` with the attestation; a real unlisted company near them stays so.
#[test]
fn cli_swapped_and_look_alike_listed_names_are_left_open() {
    for (name, entry) in [
        ("Hwawie Technologies", "EL:huawei-technologies"),
        ("Hwawie", "EL:huawei-technologies"),
        ("S1MIC Beijing", "EL:smic"),
        ("SMlC Beijing", "EL:smic"),
    ] {
        let v = check(name);
        assert_eq!(v["verdict"], "indeterminate", "{name}: {}", v["requirements"]);
        let missing = v["missing"].to_string();
        assert!(missing.contains(&format!("entry {entry} ")), "{name}: {missing}");
    }
    for name in ["Shenzhen Hualai Technology Co., Ltd.", "S1 Corporation"] {
        let v = check(name);
        assert_eq!(v["verdict"], "no_license_required", "{name}: {}", v["missing"]);
    }
}

/// The end user 60 % owned by `Acme Holding AG`, itself owned by a foundation; the purchaser
/// `Acme Holding AG` wholly owned by Huawei (an H100 to Germany on 2025-10-15, the Affiliates
/// rule of 90 FR 47201 in force): refused (exit 3, E0520) at the purchaser's name.
#[test]
fn cli_nested_owner_contradicted_by_a_party_is_refused() {
    let text = "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"DE\"\ndate = 2025-10-15\n\
        exporter = { front_end_fabricator_or_osat = false }\n\n\
        [[party]]\nrole = \"end_user\"\nname = \"Acme Rechenzentrum GmbH\"\ncountry = \"DE\"\n\
        [[party.owner]]\nname = \"Acme Holding AG\"\npercent = 60\n\
        [[party.owner.owner]]\nname = \"Stiftung Acme\"\npercent = 100\n\n\
        [[party]]\nrole = \"purchaser\"\nname = \"Acme Holding AG\"\ncountry = \"DE\"\n\
        [[party.owner]]\nname = \"Huawei Investment & Holding Co., Ltd.\"\npercent = 100\n";
    let path = transaction_file("names8-owners", text);
    let o = run(&["check", "--transaction", path.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0520", "{d}");
    // The purchaser's name (line 19, after `name = `), not the owner of the same name on line 11.
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(19), Some(8)), "{d}");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("may be one company"), "{message}");
    assert!(
        message.contains("\"Huawei Investment & Holding Co., Ltd.\" 100 % and \"Stiftung Acme\" 100 %"),
        "{message}"
    );
}
