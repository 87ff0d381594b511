//! Equality at every threshold, on synthetic product sheets. Thresholds from
//! 87 FR 62186 and 88 FR 73458 (rules/us-ear/NOTES.md §3: "or more" is >=, "less than" is <, "greater than" is >).

use export_controls::model::parse_product_sheet;
use export_controls::ruleset::SourceFile;
use export_controls::{Date, Options, PreparedProduct, RuleSet};

/// A datacenter IC with one FP8 rate (TPP = 8 × rate) and one non-planar die.
fn chip(fp8: &str, area: &str, datacenter: bool, io: &str) -> PreparedProduct {
    let text = format!(
        "id = \"synthetic\"\nname = \"Synthetic\"\nvendor = \"Test\"\nkind = \"integrated_circuit\"\n\
         designed_or_marketed_for_datacenter = {datacenter}\ninterconnect_bandwidth = {io}\n\
         [dense_tops]\ncomplete = true\nfp8 = {fp8}\n[[logic_die]]\narea = {area}\nnon_planar = true\n"
    );
    PreparedProduct::new(parse_product_sheet(&SourceFile::new("synthetic.toml", text)).unwrap())
}

fn paragraphs(p: &PreparedProduct, on: &str) -> Vec<String> {
    let rules = RuleSet::shipped().unwrap();
    let date: Date = on.parse().unwrap();
    let c = rules.classify(p, date, Options::default()).unwrap();
    assert!(c.undetermined_paragraphs.is_empty(), "{c:?}");
    c.paragraphs
}

const Y2024: &str = "2024-06-01";

#[test]
fn tpp_4800_is_3a090_a_1_and_a_hair_below_is_not() {
    // 600 × 8 = 4800 exactly; 599.999999 × 8 = 4799.999992. Area large so PD < 1.6.
    assert_eq!(paragraphs(&chip("600", "4000", true, "64"), Y2024), ["3A090.a.1"]);
    assert!(paragraphs(&chip("599.999999", "4000", true, "64"), Y2024).is_empty());
}

#[test]
fn tpp_2400_opens_3a090_b_1() {
    // TPP 2400, PD 2.4: b.1 (2400 <= TPP < 4800, 1.6 <= PD < 5.92); PD < 3.2 so not b.2.
    assert_eq!(paragraphs(&chip("300", "1000", true, "64"), Y2024), ["3A090.b.1"]);
    assert!(paragraphs(&chip("299.999999", "1000", true, "64"), Y2024).is_empty());
}

#[test]
fn tpp_1600_opens_3a090_a_2() {
    // TPP 1600, PD 16.
    assert_eq!(paragraphs(&chip("200", "100", true, "64"), Y2024), ["3A090.a.2"]);
    assert!(paragraphs(&chip("199.999999", "100", true, "64"), Y2024).is_empty());
}

#[test]
fn performance_density_5_92_is_a_2_and_just_below_is_b() {
    // TPP 2960 / 500 mm² = 5.92 exactly.
    assert_eq!(paragraphs(&chip("370", "500", true, "64"), Y2024), ["3A090.a.2"]);
    // 2960 / 500.000001 < 5.92: b.1 (TPP >= 2400, PD >= 1.6) and b.2 (PD >= 3.2).
    assert_eq!(paragraphs(&chip("370", "500.000001", true, "64"), Y2024), ["3A090.b.1", "3A090.b.2"]);
}

#[test]
fn performance_density_5_92_from_a_repeating_quotient_does_not_flip() {
    // 256.78 × 8 = 2054.24 TPP over 347 mm² is exactly 5.92; in binary floating point
    // 2054.24 / 347 gives 5.919999999999999 and would miss a.2. Comparisons are exact
    // cross-products (2054.24 >= 5.92 × 347), so the part is a.2.
    assert_eq!(paragraphs(&chip("256.78", "347", true, "64"), Y2024), ["3A090.a.2"]);
}

#[test]
fn performance_density_3_2_opens_b_2() {
    // TPP 1600 / 500 = 3.2 exactly; TPP < 2400 so not b.1.
    assert_eq!(paragraphs(&chip("200", "500", true, "64"), Y2024), ["3A090.b.2"]);
    assert!(paragraphs(&chip("200", "500.000001", true, "64"), Y2024).is_empty());
}

#[test]
fn performance_density_1_6_opens_b_1() {
    // TPP 2400 / 1500 = 1.6 exactly.
    assert_eq!(paragraphs(&chip("300", "1500", true, "64"), Y2024), ["3A090.b.1"]);
    assert!(paragraphs(&chip("300", "1500.000001", true, "64"), Y2024).is_empty());
}

#[test]
fn interconnect_600_gb_s_under_the_2022_rule() {
    // 2022 text: TPP >= 4800 and aggregate bidirectional transfer rate >= 600 GB/s.
    assert_eq!(paragraphs(&chip("600", "800", true, "600"), "2023-06-01"), ["3A090.a"]);
    assert!(paragraphs(&chip("600", "800", true, "599.999999"), "2023-06-01").is_empty());
}

#[test]
fn non_datacenter_note_applies_below_4800_only() {
    // Note 2: not designed or marketed for datacenters and TPP < 4800 → outside 3A090.
    assert_eq!(paragraphs(&chip("600", "100", false, "64"), Y2024), ["3A090.a.1", "3A090.a.2"]);
    assert!(paragraphs(&chip("599.999999", "100", false, "64"), Y2024).is_empty());
}

#[test]
fn hbm_bandwidth_density_must_exceed_2() {
    let stack = |area: &str| {
        let text = format!(
            "id = \"hbm\"\nname = \"HBM stack\"\nvendor = \"Test\"\nkind = \"memory\"\n\
             [memory]\nkind = \"HBM3E\"\nbandwidth = 1000\nhbm = true\nstack_area = {area}\n"
        );
        PreparedProduct::new(parse_product_sheet(&SourceFile::new("hbm.toml", text)).unwrap())
    };
    // 1000 GB/s / 500 mm² = 2 exactly: not "greater than 2".
    assert!(paragraphs(&stack("500"), "2025-06-01").is_empty());
    assert_eq!(paragraphs(&stack("499.999999"), "2025-06-01"), ["3A090.c"]);
    // Before the 2024-12-31 compliance date, 3A090.c does not exist.
    assert!(paragraphs(&stack("499.999999"), "2024-12-30").is_empty());
}
