//! A user's sheet that takes a catalog part's vendor and name is read against the catalog's
//! sourced figures (tester round 9, U8). The NVIDIA A100 SXM4 80GB's interconnect is 600 GB/s
//! NVLink (NVIDIA A100 data sheet) plus its PCIe 4.0 x16 host link, 664 GB/s aggregate
//! bidirectional in the catalog; written one way (332) it escaped the 2022 text of 3A090.a
//! (TPP >= 4800 and aggregate bidirectional transfer rate >= 600 GB/s, 87 FR 62186) and cleared to
//! China. Read as either value, the comparison with 600 is unknown: `indeterminate`, naming the
//! figure and the catalog's value. A variant with its own name (the A800, NVLink cut to 400 GB/s)
//! is not compared.

mod common;

#[allow(dead_code)]
mod agreement {
    include!("../fuzz/src/agreement.rs");
}

use common::{edited_sheet, ordinary_query, requirement_ids};
use export_controls::diagnostic::SourceFile;
use export_controls::{
    Catalog, CompiledPack, Determination, FastQuery, Options, PreparedProduct, RuleSet, Scratch, Verdict,
};

const A100: &str = "rules/products/nvidia-a100-sxm4-80gb.toml";
const ONE_WAY: (&str, &str) = ("interconnect_bandwidth = 664", "interconnect_bandwidth = 332");

fn decide_both(p: &PreparedProduct, to: &str, on: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let q = ordinary_query(to, on, Vec::new());
    let d = rules.evaluate(p, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let parties = pack.prepare_parties(&q.parties);
    let mut scratch = Scratch::default();
    let fast = pack.decide(p, &FastQuery::of(&q, &parties), &mut scratch).unwrap();
    assert_eq!(fast.verdict, d.verdict, "fast path");
    agreement::check_missing(&d, scratch.missing_kinds(&pack)).unwrap();
    d
}

fn sheet(text: &str) -> PreparedProduct {
    Catalog::shipped().unwrap().prepare_sheet(&SourceFile::new("sheet.toml", text)).unwrap()
}

/// U8: the A100 to China on 2022-11-01. The catalog's A100 needs a licence (3A090.a under
/// 87 FR 62186, 742.6(a)(6)(i)); the same part with its interconnect written one way is
/// indeterminate, naming the figure and the catalog's value, never cleared.
#[test]
fn a_catalog_part_with_another_decisive_figure_is_not_cleared() {
    let catalog = Catalog::shipped().unwrap();
    let d = decide_both(catalog.get("nvidia-a100-sxm4-80gb").unwrap(), "CN", "2022-11-01");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.a"]);
    assert!(requirement_ids(&d).contains(&"742.6(a)(6)(i)"), "{:?}", requirement_ids(&d));

    let d = decide_both(&sheet(&edited_sheet(A100, "u8-a100-one-way", &[ONE_WAY])), "CN", "2022-11-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    let m = d.missing.iter().find(|m| m.starts_with("interconnect_bandwidth")).expect("interconnect named");
    assert!(m.contains("the sheet gives 332") && m.contains("`nvidia-a100-sxm4-80gb` gives 664"), "{m}");
    assert!(d.warnings.iter().any(|w| w.contains("takes the name and vendor")), "{:?}", d.warnings);
}

/// Where the difference cannot change the outcome it stands: after 2023-11-17 no paragraph of
/// 3A090 reads the interconnect (88 FR 73458), and the A100 (TPP 4,992) is 3A090.a by TPP alone.
#[test]
fn a_difference_that_cannot_change_the_outcome_leaves_it() {
    let d = decide_both(&sheet(&edited_sheet(A100, "u8-a100-one-way", &[ONE_WAY])), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.a"]);
}

/// The same figures under another id: nothing differs, nothing is said.
#[test]
fn the_catalog_figures_under_another_id_are_decided_as_the_catalog_part() {
    let d = decide_both(&sheet(&edited_sheet(A100, "my-a100", &[])), "CN", "2022-11-01");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(!d.warnings.iter().any(|w| w.contains("takes the name and vendor")), "{:?}", d.warnings);
}

/// A variant stays answerable under its own name: the A800 SXM4 80GB (NVLink cut to 400 GB/s,
/// 464 GB/s with the host link) is not 3A090 under the 2022 text, read against the catalog's
/// A800 (the same figures), not the A100.
#[test]
fn a_variant_under_its_own_name_is_not_read_as_the_part() {
    let a800 = edited_sheet(
        A100,
        "my-a800",
        &[
            ("name = \"A100 SXM4 80GB\"", "name = \"A800 SXM4 80GB\""),
            ("interconnect_bandwidth = 664", "interconnect_bandwidth = 464"),
        ],
    );
    let d = decide_both(&sheet(&a800), "CN", "2022-11-01");
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?} {:?}", d.missing, d.warnings);
    assert!(d.eccns.is_empty());
}

/// The library is as strict as the files: a product built in code with the A100's vendor and
/// name and the one-way interconnect, prepared by the catalog, is read the same way.
#[test]
fn a_product_built_in_code_is_read_against_the_catalog_too() {
    let catalog = Catalog::shipped().unwrap();
    let mut p = catalog.get("nvidia-a100-sxm4-80gb").unwrap().product().clone();
    p.id = "in-code-a100".into();
    p.interconnect_bandwidth_gbps = Some(332.into());
    let d = decide_both(&catalog.prepare(p).unwrap(), "CN", "2022-11-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.starts_with("interconnect_bandwidth (the sheet gives 332")), "{:?}", d.missing);
}

/// The attributes a catalog comparison reads ([`Attr::decided_by_the_sheet`]) are the ones a
/// sheet gives: every one is stated by some catalog part or memory stack's sheet, and none holds a value for
/// any other but its kind (the vendor and name identify it; the transaction facts, Note 1 to
/// 3A090.a, are the exporter's and unknown until the query states them).
#[test]
fn the_attributes_compared_with_the_catalog_are_those_a_sheet_decides() {
    use export_controls::ruleset::vocabulary::Attr;
    const HBM3E_STACK: &str = "rules/us-ear/tests/sheets/example-hbm3e-stack.toml";
    let catalog = Catalog::shipped().unwrap();
    // The catalog holds no memory stack: an HBM3E stack's sheet states its bandwidth density.
    let stack = std::fs::read_to_string(HBM3E_STACK).unwrap();
    let stack = catalog.prepare_sheet(&SourceFile::new(HBM3E_STACK, &stack)).unwrap();
    for a in Attr::ALL {
        let stated = catalog.iter().chain([&stack]).filter(|p| p.value(a).is_some()).count();
        if a.decided_by_the_sheet() || a == Attr::Kind {
            assert!(stated > 0, "{} is stated by no catalog part", a.name());
        } else {
            assert_eq!(stated, 0, "{} is not the sheet's to decide", a.name());
        }
    }
}
