//! Tester round 13, F1, F6, F7: sheets that name a catalog part escaped the catalog
//! cross-check (`same_part_as`) and were cleared. The H100 SXM5 80GB (TPP 15,832) is 3A090.a and
//! needs a licence to China and Viet Nam on 2024-06-01 (15 CFR 742.6(a)(6)(iii); no NAC for a
//! datacenter 3A090.a, 740.8(a)); a sheet of it with other figures is at worst indeterminate,
//! never "no licence required". Sheets from /tmp/t13/s, kept in tests/fixtures/cross_check13.

mod common;

use common::{edited_sheet, ordinary_query};
use export_controls::diagnostic::SourceFile;
use export_controls::{Catalog, Determination, Options, PreparedProduct, RuleSet, Verdict};

const DIR: &str = "tests/fixtures/cross_check13";

fn decide(p: &PreparedProduct, to: &str, on: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    rules.evaluate(p, &ordinary_query(to, on, Vec::new()), Options::default()).unwrap()
}

fn sheet_text(text: &str) -> PreparedProduct {
    Catalog::shipped().unwrap().prepare_sheet(&SourceFile::new("sheet.toml", text)).unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

/// Not cleared: indeterminate (the sheet disagrees with the catalog) or licence required.
fn assert_not_cleared(d: &Determination, what: &str) {
    assert!(matches!(d.verdict, Verdict::Indeterminate | Verdict::LicenseRequired), "{what}: {:?}", d.verdict);
}

/// F1: "NVIDIA Corporation" is NVIDIA to the rules, so to the cross-check: the H100 with only its
/// non-tensor rates is indeterminate (TPP against the catalog's), to CN and VN.
#[test]
fn a_company_suffix_on_the_vendor_keeps_the_cross_check() {
    let p = sheet_text(&fixture("h100-corp.toml"));
    for to in ["CN", "VN"] {
        let d = decide(&p, to, "2024-06-01");
        assert_eq!(d.verdict, Verdict::Indeterminate, "{to}");
        assert!(d.missing.iter().any(|m| m.contains("`nvidia-h100-sxm5-80gb` gives")), "{:?}", d.missing);
    }
    for vendor in ["NVIDIA Corp.", "Nvidia Corporation", "NVIDIA Corporation"] {
        let text =
            fixture("h100-corp.toml").replace("vendor = \"NVIDIA Corporation\"", &format!("vendor = \"{vendor}\""));
        assert_eq!(decide(&sheet_text(&text), "CN", "2024-06-01").verdict, Verdict::Indeterminate, "{vendor}");
    }
}

/// F1: the catalog L40 (3A090.b, NAC to CN) with its datacenter flag turned off and a suffixed
/// vendor is not cleared; the flag is read as unknown.
#[test]
fn the_l40_with_its_datacenter_flag_off_is_not_cleared() {
    let d = decide(&sheet_text(&fixture("l40.toml")), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.starts_with("designed_or_marketed_for_datacenter")), "{:?}", d.missing);
}

/// F1, the README's own example with a suffixed vendor: the A100 with its interconnect written
/// one way (332 for 664 GB/s) to CN on 2022-11-01 (3A090.a under 87 FR 62186, 742.6(a)(6)(i)).
#[test]
fn the_readme_a100_example_holds_with_a_suffixed_vendor() {
    let text = edited_sheet(
        "rules/products/nvidia-a100-sxm4-80gb.toml",
        "a100-x",
        &[
            ("interconnect_bandwidth = 664", "interconnect_bandwidth = 332"),
            ("vendor = \"NVIDIA\"", "vendor = \"NVIDIA Corporation\""),
        ],
    );
    let d = decide(&sheet_text(&text), "CN", "2022-11-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.starts_with("interconnect_bandwidth")), "{:?}", d.missing);
}

/// A different vendor's part of the same name is not compared: the rules tell "AMD" from NVIDIA.
#[test]
fn another_vendor_is_not_compared() {
    let text = fixture("h100-corp.toml").replace("vendor = \"NVIDIA Corporation\"", "vendor = \"Acme\"");
    let d = decide(&sheet_text(&text), "CN", "2024-06-01");
    assert!(!d.warnings.iter().any(|w| w.contains("takes the name and vendor")), "{:?}", d.warnings);
}

/// F6: eight inline H100 sheets with the non-tensor rates in an Acme server were cleared to CN;
/// each is read against the catalog's H100: not cleared, the H100's figure named.
#[test]
fn inline_sheets_in_a_computer_are_cross_checked() {
    let d = decide(&sheet_text(&fixture("dgx-inline.toml")), "CN", "2024-06-01");
    assert_not_cleared(&d, "dgx-inline");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(
        d.missing.iter().any(|m| m.contains("inline-h100") && m.contains("nvidia-h100-sxm5-80gb")),
        "{:?}",
        d.missing
    );
}

/// F7: a sheet of a catalog folder given in place of the shipped one (`--catalog DIR`, `serve
/// --catalog`) is read against the shipped catalog's H100.
#[test]
fn sheets_of_a_user_catalog_are_cross_checked_against_the_shipped_one() {
    let catalog = Catalog::load_dir(std::path::Path::new(&format!("{DIR}/cat"))).unwrap();
    let d = decide(catalog.get("my-h100").unwrap(), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.contains("`nvidia-h100-sxm5-80gb` gives")), "{:?}", d.missing);
    // A sheet given with --product beside that catalog is compared with the shipped one too.
    let p = catalog.prepare_sheet(&SourceFile::new("s.toml", fixture("h100-corp.toml"))).unwrap();
    assert_eq!(decide(&p, "CN", "2024-06-01").verdict, Verdict::Indeterminate);
}

/// The catalog's own H100 stays decided: licence to CN (742.6(a)(6)(iii)).
#[test]
fn the_catalog_h100_itself_needs_a_licence() {
    let catalog = Catalog::shipped().unwrap();
    let d = decide(catalog.get("nvidia-h100-sxm5-80gb").unwrap(), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.a"]);
}

/// F2: the H100 with TechPowerUp's rates (16-bit vector rates, stated complete) under the names
/// the tester tried was ACA to VN and NAC to CN; each names the catalog's H100 SXM5 80GB, whose
/// figures it contradicts: indeterminate, never an exception (740.8(a): no NAC/ACA for a
/// datacenter 3A090.a).
#[test]
fn folded_names_are_cross_checked() {
    for name in [
        "H100 SXM5 80 GB",
        "NVIDIA H100 SXM5 80GB",
        "H100 SXM5",
        "H100 80GB SXM5",
        "H100 SXM5 80GB (refurbished)",
        "h100-sxm5-80gb",
    ] {
        let text = fixture("tpu-h100.toml").replace("name = \"Hopper GH100 SXM5\"\n", &format!("name = \"{name}\"\n"));
        assert!(text.contains(&format!("name = \"{name}\"")), "{name}");
        let p = sheet_text(&text);
        for to in ["VN", "CN"] {
            let d = decide(&p, to, "2024-06-01");
            assert_eq!(d.verdict, Verdict::Indeterminate, "{name} to {to}");
            assert!(d.missing.iter().any(|m| m.contains("`nvidia-h100-sxm5-80gb` gives")), "{name}: {:?}", d.missing);
        }
    }
}

/// A variant with its own model number is not read against another's: the catalog's A800 sheet
/// under a new id is compared with the A800 only (no figure differs), not with the A100.
#[test]
fn a_variant_named_as_such_is_compared_with_itself_only() {
    let text = edited_sheet("rules/products/nvidia-a800-sxm4-80gb.toml", "my-a800", &[]);
    let d = decide(&sheet_text(&text), "CN", "2022-11-01");
    assert!(!d.warnings.iter().any(|w| w.contains("takes the name and vendor")), "{:?}", d.warnings);
    assert!(!d.missing.iter().any(|m| m.contains("a100")), "{:?}", d.missing);
}
