//! A usage error about a value that has a stable code (rules/ERRORS.md) prints it as the
//! diagnostics print theirs, `error[E0533]: ...`, and carries it as `code` under
//! `--error-format json` (tester16: E0533 was only inside the text). The code is the one a
//! file with the same value gets: a `--party` naming an Entity List entry the pack does not
//! hold is E0508 on the command line and in a transaction file alike.

mod common;

use common::{run, stderr};

#[test]
fn an_empty_list_item_is_e0533_in_the_header_and_in_json() {
    let o = run(&["screen", "--date", "2025-04-20", "--products", "nvidia-h20,"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("error[E0533]: --products: an empty product id "), "{err}");
    assert!(!err.contains("(E0533)"), "the code once, in the header: {err}");

    let o = run(&["screen", "--date", "2025-04-20", "--products", "nvidia-h20,", "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    assert_eq!(v["code"], "E0533", "{v}");
    assert_eq!(v["exit_code"], 2);
    assert!(v["message"].as_str().unwrap().starts_with("--products: an empty product id"), "{v}");
}

#[test]
fn a_region_outside_ukraine_is_e0512() {
    // 15 CFR 746.6: the regions are of Ukraine; the item goes to CN.
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--date", "2024-06-01", "--region", "crimea"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error[E0512]: --region: destination_region `crimea`"), "{}", stderr(&o));
}

#[test]
fn a_party_the_pack_refuses_has_the_code_of_a_file() {
    let party = "role=end_user,name=Acme,country=CN,hq=CN,list=EL:huawei-technologiez";
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--date", "2024-06-01", "--party", party]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("error[E0508]: --party: end user \"Acme\": unknown list entry"), "{err}");

    // The same party in a transaction file: E0508 too.
    let dir = std::env::temp_dir().join(format!("usage-codes16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tx = dir.join("tx.toml");
    std::fs::write(
        &tx,
        "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2024-06-01\n\n[[party]]\nrole = \"end_user\"\nname = \"Acme\"\ncountry = \"CN\"\nheadquarters = \"CN\"\nlist_entries = [\"EL:huawei-technologiez\"]\n",
    )
    .unwrap();
    let o = run(&["check", "--transaction", tx.to_str().unwrap()]);
    let file_err = stderr(&o);
    assert!(file_err.contains("error[E0508]"), "{file_err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_usage_error_without_a_code_is_as_before() {
    let o = run(&["check", "--product", "nvidia-h2O", "--to", "CN", "--date", "2024-06-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: unknown product `nvidia-h2O`"), "{}", stderr(&o));
    let o = run(&["check", "--product", "nvidia-h2O", "--to", "CN", "--date", "2024-06-01", "--error-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    assert!(v.get("code").is_none(), "{v}");
}
