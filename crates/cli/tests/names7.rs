//! The tester's round-6 finding S11 (b) (branch `tester6`, tester6/FINDINGS.md,
//! cases/r1-name-variants.sh), as the `export-controls` binary answers it (the library's side:
//! tests/names7.rs at the root). One company has one headquarters (15 CFR 744.23(a)(3) reads the
//! end user's): a beneficiary in DE headquartered in CN under another form of the end user's name
//! is refused (exit 3, E0520) at its name, never decided on the end user's headquarters.

mod common;

use common::{run, stderr, transaction_file};

/// A `[[party]]` of the tester's transaction: in DE, its headquarters and its parent's in `hq`,
/// owners known, screened against the Entity List of 2024-06-01.
fn party(role: &str, name: &str, hq: &str) -> String {
    format!(
        "[[party]]\nrole = \"{role}\"\nname = \"{name}\"\ncountry = \"DE\"\nheadquarters = \"{hq}\"\n\
         parent_headquarters = \"{hq}\"\nowners_known = true\n\
         screened = [{{ list = \"entity_list\", list_date = 2024-06-01, by = \"t6\" }}]\n"
    )
}

/// The tester's transaction (an H100 to Germany on 2024-06-01): the end user `Acme
/// Rechenzentrum GmbH` headquartered in DE, and a beneficiary named `name` headquartered in CN.
fn transaction(name: &str) -> String {
    format!(
        "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"DE\"\ndate = 2024-06-01\n\
         exporter = {{ front_end_fabricator_or_osat = false }}\n\n{}\n{}",
        party("end_user", "Acme Rechenzentrum GmbH", "DE"),
        party("beneficiary", name, "CN")
    )
}

/// Each of the tester's three forms was `no_license_required` with no warning.
#[test]
fn cli_other_forms_of_one_company_name_with_two_headquarters_are_refused() {
    for name in ["Acme Rechenzentrum", "Acme Rechenzentrum G.m.b.H.", "AcmeRechenzentrum GmbH"] {
        let path = transaction_file("names7-s11", &transaction(name));
        let o = run(&["check", "--transaction", path.to_str().unwrap(), "--error-format", "json"]);
        assert_eq!(o.status.code(), Some(3), "{name}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
        let d = &v["diagnostics"][0];
        assert_eq!(d["code"], "E0520", "{name}: {d}");
        // At the beneficiary's name (the second `name =`, line 17, after `name = "`).
        assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(17), Some(8)), "{name}: {d}");
        let message = d["message"].as_str().unwrap();
        assert!(message.contains("may be one company"), "{name}: {message}");
        assert!(message.contains("different headquarters: CN and DE"), "{name}: {message}");
    }
}
