//! Parties through `--party` and transaction files (issue 12): the same checks as the library
//! (tests/parties.rs at the root), with the binary's exit codes and messages.

mod common;

use common::{check_args, run, stderr};

/// The first diagnostic of `--error-format json` on standard error.
fn first_diagnostic(o: &std::process::Output) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|e| panic!("{e}: {}", stderr(o)));
    v["diagnostics"][0].clone()
}

/// A file in a fresh temporary folder for this test process.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ec-cli-parties-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn the_binary_refuses_unknown_ids_end_uses_and_shares_from_every_source() {
    // --party: a usage error naming the id meant.
    let base = ["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2025-02-01"];
    let o = run(&[&base[..], &["--party", "role=end_user,name=Test Co,list=EL:huawei-technologiez"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "--party: end user \"Test Co\": unknown list entry `EL:huawei-technologiez`; the rule pack has no entry with this id (did you mean `EL:huawei-technologies`?)"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(&[&base[..], &["--party", "role=end_user,end_use=Supercomputer"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown end use `Supercomputer`"), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean `supercomputer`?"), "{}", stderr(&o));
    // A transaction file: an input error at the id's place.
    let tx = temp_file(
        "unknown-id.toml",
        "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2025-02-01\n[[party]]\nrole = \"end_user\"\nlist_entries = [\"EL:Huawei-Technologies\"]\n",
    );
    // In JSON: the human rendering wraps at 120 columns, where depends on the temporary path.
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let d = first_diagnostic(&o);
    assert_eq!((d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("E0508"), Some(6), Some(17)));
    assert!(d["file"].as_str().unwrap().ends_with("unknown-id.toml"), "{d}");
    assert!(d.to_string().contains("did you mean `EL:huawei-technologies`?"), "{d}");
    let tx = temp_file(
        "shares.toml",
        "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2025-02-01\n[[party]]\nrole = \"end_user\"\n\
         [[party.owner]]\nname = \"A\"\npercent = 60\n[[party.owner]]\nname = \"B\"\npercent = 60\n",
    );
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let d = first_diagnostic(&o);
    assert_eq!((d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("E0506"), Some(11), Some(11)));
    assert!(d["file"].as_str().unwrap().ends_with("shares.toml"), "{d}");
    assert!(d["message"].as_str().unwrap().contains("the owners of end user hold 120 percent in all"), "{d}");
}

#[test]
fn the_binary_states_the_screening_basis_and_reads_attestations() {
    // The exporter states it is not a front-end fabricator or OSAT (Note 1 to 3A090.a).
    let base = [
        &check_args("nvidia-rtx-4080", "CN", "2025-02-01")[..],
        &["--exporter-front-end-fabricator-or-osat", "no", "--format", "json"],
    ]
    .concat();
    let o = run(&[&base[..], &["--party", "role=end_user,name=Sophgo Technologies Ltd.,country=CN"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(v["missing"][0], "end user \"Sophgo Technologies Ltd.\": screening against the full Entity List");
    assert_eq!(v["screening"][0]["entries"], 5);
    assert_eq!(v["screening"][0]["complete"], false);
    let o = run(&[
        &base[..],
        &["--party", "role=end_user,name=Sophgo Technologies Ltd.,country=CN,screened=entity_list@2025-02-01"],
    ]
    .concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "no_license_required");
    assert_eq!(v["inputs"]["parties"][0]["screened"][0]["list_date"], "2025-02-01");
    for (bad, msg) in [
        (
            "screened=entity-list@2025-02-01",
            "screened against `entity-list`, which is not a screening list of the rule pack (did you mean `entity_list`?)",
        ),
        ("screened=entity_list", "screened: `entity_list` is not LIST@DATE (e.g. entity_list@2025-01-31)"),
    ] {
        let o = run(&[&base[..], &["--party", &format!("role=end_user,name=X Co,{bad}")]].concat());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(msg), "{}", stderr(&o));
    }
    // Text output names the basis.
    let o = run(&[
        &check_args("nvidia-rtx-4080", "CN", "2025-02-01")[..],
        &["--party", "role=end_user,name=Sophgo Technologies Ltd.,country=CN"],
    ]
    .concat());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("sample of the Entity List"), "{text}");
}

/// A party name written partly in another script asks for the name in Latin letters, through
/// the binary as through the library (tester round 4, Q1: `华为 Technologies` attested against
/// the Entity List was cleared, H100 → MY on 2025-06-01); the same name wholly in Latin letters,
/// attested, is cleared.
#[test]
fn the_binary_asks_for_a_name_partly_in_another_script_in_latin_letters() {
    let base = [
        &check_args("nvidia-h100-sxm5-80gb", "MY", "2025-06-01")[..],
        &["--exporter-front-end-fabricator-or-osat", "no", "--format", "json"],
    ]
    .concat();
    let party = |name: &str| {
        format!(
            "role=end_user,name={name},country=MY,hq=MY,parent_hq=MY,owners_known=true,screened=entity_list@2025-06-01"
        )
    };
    let o = run(&[&base[..], &["--party", &party("华为 Technologies")]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "indeterminate");
    assert_eq!(
        v["missing"],
        serde_json::json!([
            "end user \"华为 Technologies\": name in Latin letters, as the Entity List writes names (for screening)"
        ])
    );
    let o = run(&[&base[..], &["--party", &party("Example Technologies")]].concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "no_license_required", "{}", v["missing"]);
}

/// Names are normalised (NFKC, invisible characters dropped) before screening, and look-alikes
/// are left open, through the binary as through the library (issue 12, item 2): full-width
/// `Ｈｕａｗｅｉ` and `Hua\u{200b}wei` (a zero-width space inside) are the Entity List's Huawei
/// (15 CFR 744.11: a licence for every item subject to the EAR, RTX 4080 → CN on 2025-02-01);
/// `Нuawei` with a Cyrillic `Н` matches only through a look-alike and is left open, attested or
/// not.
#[test]
fn the_binary_normalises_names_and_leaves_look_alikes_open() {
    let base = [
        &check_args("nvidia-rtx-4080", "CN", "2025-02-01")[..],
        &["--exporter-front-end-fabricator-or-osat", "no", "--format", "json"],
    ]
    .concat();
    for listed in ["Ｈｕａｗｅｉ", "Hua\u{200b}wei"] {
        let o = run(&[&base[..], &["--party", &format!("role=end_user,name={listed},country=CN")]].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["verdict"], "license_required", "{listed:?}");
        assert_eq!(v["requirements"][0]["id"], "744.11", "{listed:?}");
    }
    let o =
        run(&[&base[..], &["--party", "role=end_user,name=\u{41d}uawei,country=CN,screened=entity_list@2025-02-01"]]
            .concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "indeterminate");
    assert!(
        v["missing"][0].as_str().unwrap().contains("its name matches only with look-alike characters"),
        "{}",
        v["missing"]
    );
}
