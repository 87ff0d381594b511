//! A sheet's `declared_eccn` (the vendor's published classification) against its figures
//! (tester round 10, V2). The exporter classifies the item and commonly starts from the
//! manufacturer's ECCN (15 CFR 732.3(b)); a contradiction between what is known of an item is
//! a red flag to resolve before export (Supp. No. 3 to part 732). So a declared 3A090.a or
//! 4A090.a that the figures do not reach leaves that paragraph undetermined: `indeterminate`
//! wherever the paragraph would need a licence (to China: 742.6(a)(6)(iii), 88 FR 73458), never
//! the lighter answer. The figures reaching a stricter ECCN than declared decide, with a
//! warning. The text must be an ECCN (E0247), read from a sheet or built in code.

mod common;

#[allow(dead_code)]
mod agreement {
    include!("../fuzz/src/agreement.rs");
}

use common::{edited_sheet, line_of, ordinary_query, sheet_refusal};
use export_controls::diagnostic::{Code, SourceFile};
use export_controls::{
    Catalog, CompiledPack, Determination, FastQuery, Options, PreparedProduct, Product, RuleSet, Scratch, Verdict,
};

/// `sheet` (a shipped sheet's path) under its own id with `declared_eccn = declared`.
fn declaring(sheet: &str, id: &str, declared: &str) -> String {
    let line = format!("declared_eccn = \"{declared}\"\npublished_classification = ");
    edited_sheet(sheet, id, &[("published_classification = ", &line)])
}

/// The determination of the sheet `text` to `to` on `on` (an exporter that is no front-end
/// fabricator or OSAT), checked against the fast path: the same verdict, and missing kinds the
/// determination names.
fn determine(text: &str, to: &str, on: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let p = catalog.prepare_sheet(&SourceFile::new("sheet.toml", text)).unwrap();
    decide_both(&rules, &p, to, on)
}

fn decide_both(rules: &RuleSet, p: &PreparedProduct, to: &str, on: &str) -> Determination {
    let q = ordinary_query(to, on, Vec::new());
    let d = rules.evaluate(p, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules.clone());
    let parties = pack.prepare_parties(&q.parties);
    let mut scratch = Scratch::default();
    let fast = pack.decide(p, &FastQuery::of(&q, &parties), &mut scratch).unwrap();
    assert_eq!(fast.verdict, d.verdict, "fast path");
    agreement::check_missing(&d, scratch.missing_kinds(&pack)).unwrap();
    d
}

fn declared_missing(d: &Determination) -> Option<&String> {
    d.missing.iter().find(|m| m.starts_with("declared_eccn"))
}

const L20: &str = "rules/products/nvidia-l20.toml";
const H100: &str = "rules/products/nvidia-h100-sxm5-80gb.toml";
const HGX_H20: &str = "rules/products/nvidia-hgx-h20.toml";

/// V2b: the L20 (TPP 1,913.6, performance density 3.145: below every 3A090 band of 88 FR 73458,
/// as the catalog sheet's sources give it) declared 3A090.a by its vendor. To China on
/// 2024-06-01 a 3A090.a item needs a licence (742.6(a)(6)(iii)): the contradiction leaves the
/// outcome open, naming `declared_eccn`. Without the declaration it is cleared.
#[test]
fn a_declared_3a090a_the_figures_do_not_reach_is_not_cleared_to_china() {
    let plain = determine(&edited_sheet(L20, "v2b-l20", &[]), "CN", "2024-06-01");
    assert_eq!(plain.verdict, Verdict::NoLicenseRequired);
    assert!(plain.eccns.is_empty());

    let d = determine(&declaring(L20, "v2b-l20", "3A090.a"), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.eccns.is_empty());
    assert!(d.undetermined_paragraphs.iter().all(|p| p.starts_with("3A090.a")), "{:?}", d.undetermined_paragraphs);
    assert!(!d.undetermined_paragraphs.is_empty());
    let m = declared_missing(&d).expect("declared_eccn named missing");
    assert!(m.contains("declares 3A090.a") && m.contains("732.3") && m.contains("Supp. No. 3 to part 732"), "{m}");
    assert!(d.warnings.iter().any(|w| w.contains("declares ECCN 3A090.a")), "{:?}", d.warnings);
}

/// The same contradiction where a 3A090.a item needs no licence (Germany: Country Group A:5,
/// outside 742.6(a)(6)(iii)'s D:1, D:4, D:5): the outcome is the same whatever the paragraph,
/// so it stands; the classification stays undetermined.
#[test]
fn the_contradiction_opens_only_the_outcomes_the_paragraph_can_bring() {
    let d = determine(&declaring(L20, "v2b-l20", "3A090.a"), "DE", "2024-06-01");
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(!d.undetermined_paragraphs.is_empty());
}

/// V2: the HGX H20 board (kind computer, eight H20s, each below 3A090 on 2024-06-01) declared
/// 4A090.a, the reading of a vendor that takes the board for one aggregate IC: open to China.
#[test]
fn a_board_declared_4a090a_is_not_cleared_to_china() {
    let d = determine(&declaring(HGX_H20, "v2-hgx-h20", "4A090.a"), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.undetermined_paragraphs.iter().any(|p| p.starts_with("4A090.a")), "{:?}", d.undetermined_paragraphs);
    assert!(declared_missing(&d).is_some_and(|m| m.contains("declares 4A090.a")), "{:?}", d.missing);
}

/// The H100 SXM5 (TPP 15,832, performance density 19.4: 3A090.a by a.1 under 88 FR 73458)
/// declared 3A090.b, EAR99 or 5A992.c: the figures decide (a licence to China), with a warning;
/// declared 3A090.a, nothing is said.
#[test]
fn figures_stricter_than_declared_decide_with_a_warning() {
    for declared in ["3A090.b", "EAR99", "5A992.c"] {
        let d = determine(&declaring(H100, "h100-declared", declared), "CN", "2024-06-01");
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{declared}");
        assert_eq!(d.eccns, ["3A090.a"], "{declared}");
        assert!(declared_missing(&d).is_none(), "{declared}");
        let w = format!("declares ECCN {declared} (declared_eccn), but the figures give 3A090.a");
        assert!(d.warnings.iter().any(|x| x.contains(&w)), "{declared}: {:?}", d.warnings);
    }
    let d = determine(&declaring(H100, "h100-declared", "3A090.a"), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(!d.warnings.iter().any(|w| w.contains("declared_eccn")), "{:?}", d.warnings);
    // The L20 declared EAR99 and the figures giving no ECCN agree: cleared, nothing said.
    let d = determine(&declaring(L20, "v2b-l20", "EAR99"), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(!d.warnings.iter().any(|w| w.contains("declared_eccn")), "{:?}", d.warnings);
}

/// `classify` (destination-free) names the contradiction too.
#[test]
fn the_classification_names_the_contradiction() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let text = declaring(L20, "v2b-l20", "3A090.a");
    let p = catalog.prepare_sheet(&SourceFile::new("sheet.toml", &text)).unwrap();
    let c = rules.classify(&p, "2024-06-01".parse().unwrap(), Options::default()).unwrap();
    assert!(c.eccns.is_empty());
    assert!(!c.undetermined_paragraphs.is_empty());
    assert!(c.missing.iter().any(|m| m.starts_with("declared_eccn")), "{:?}", c.missing);
}

/// A declared ECCN not written as one is refused at its line and column (E0247), and the same
/// text in a product built in code fails `validate` with the same code, and is never cleared.
#[test]
fn a_declared_eccn_that_is_not_an_eccn_is_refused() {
    for bad in ["not an ECCN at all", "3A090.A", "3A09", "ear99"] {
        let text = declaring(L20, "v2b-l20", bad);
        let line = line_of(&text, "declared_eccn");
        assert_eq!(sheet_refusal(&text), vec![(Code::E0247, line, 17)], "{bad}");
    }
    let catalog = Catalog::shipped().unwrap();
    let mut p: Product = catalog.get("nvidia-l20").unwrap().product().clone();
    p.id = "in-code".into();
    p.declared_eccn = Some("not an ECCN at all".into());
    let e = p.validate().unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].code, Code::E0247);
    assert!(e.0[0].file.ends_with("declared_eccn"), "{}", e.0[0].file);
    assert!(catalog.prepare(p.clone()).is_err());
    let rules = RuleSet::shipped().unwrap();
    let d = decide_both(&rules, &PreparedProduct::new(p.clone()), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    // Built in code with a declared ECCN the figures do not reach: as from a sheet.
    p.declared_eccn = Some("3A090.a".into());
    let d = decide_both(&rules, &catalog.prepare(p).unwrap(), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(declared_missing(&d).is_some());
}
