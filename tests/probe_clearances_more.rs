//! False clearances found by the hostile tester of branch `probe` (findings 1, 5, 8, 9, 13, 16
//! and 17 of /work/helper-briefs/probe-findings.md), through the library: products built in code
//! and read from sheets get the same answer, and the answer is the one the regulation gives
//! (cited at each test), never a clearance on an unchecked fact.

use export_controls::diagnostic::SourceFile;
use export_controls::model::{Exporter, LogicDie, Product, parse_product_sheet};
use export_controls::{CompiledPack, Determination, FastQuery, Options, PreparedProduct, Query};
use export_controls::{RuleSet, Scratch, Verdict};

fn date(s: &str) -> export_controls::date::Date {
    s.parse().unwrap()
}

/// The determination of `product` to `to` on `on` for `exporter`, through `RuleSet::evaluate`
/// and `CompiledPack::decide`, which must agree on the verdict.
fn determine_with(product: Product, to: &str, on: &str, exporter: Exporter) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let product = PreparedProduct::new(product);
    let q = Query::export_to(to.parse().unwrap(), date(on)).with_exporter(exporter);
    let d = rules.evaluate(&product, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(&product, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate disagree");
    d
}

fn sheet(text: &str) -> Product {
    parse_product_sheet(&SourceFile::new("sheet.toml", text.to_string())).unwrap()
}

// ---------------------------------------------------------------- finding 1: the 16/14 nm node

/// A planar edge accelerator: TPP 100 × 8 = 800 (below 1600, not 3A090 on its numbers), one
/// 400 mm² planar die, 40 billion transistors (not below 30 billion: route (b) of Note 1 to
/// 3A090.a does not rebut the presumption).
const PLANAR: &str = r#"
id = "planar-edge"
name = "Planar edge accelerator"
vendor = "Example"
kind = "integrated_circuit"
designed_or_marketed_for_datacenter = false
transistors = 40_000_000_000
[dense_tops]
complete = true
int8 = 100
[[logic_die]]
area = 400
non_planar = false
"#;

/// A front-end fabricator packaging outside D:5 and Macau (90 FR 5298, Note 1 to 3A090.a).
fn fabricator() -> Exporter {
    Exporter { front_end_fabricator_or_osat: Some(true), packaged_outside_d5_or_macau: true, ..Default::default() }
}

/// 15 CFR 772.1: an "applicable advanced logic integrated circuit" is a logic IC produced at
/// the "16/14 nanometer node" or below, OR with a non-planar transistor architecture. A planar
/// 12 nm die is one, so a front-end fabricator must presume 3A090.a (Note 1 to 3A090.a, from
/// the 2025-01-31 compliance date): licence required worldwide ("3A090 License
/// Requirements/Note 1") and to China under 742.6(a)(6)(iii).
#[test]
fn a_planar_die_at_the_16_14nm_node_or_below_is_presumed_3a090a_for_a_fabricator() {
    let at_12nm = sheet(&format!("{PLANAR}at_or_below_16_14nm = true\n"));
    assert_eq!(at_12nm.logic_dies[0].at_or_below_16_14nm, Some(true));
    let d = determine_with(at_12nm.clone(), "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.a"]);
    let ids: Vec<&str> = d.requirements.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"3A090 License Requirements/Note 1"), "{ids:?}");

    // The same product built in code gets the same answer.
    let mut in_code = at_12nm.clone();
    in_code.logic_dies = vec![LogicDie {
        name: None,
        area_mm2: Some(400.into()),
        count: 1,
        non_planar: Some(false),
        at_or_below_16_14nm: Some(true),
    }];
    assert_eq!(determine_with(in_code, "CN", "2025-06-01", fabricator()).verdict, Verdict::LicenseRequired);

    // The same product in JSON keeps the fact.
    let json = serde_json::to_string(&at_12nm).unwrap();
    let back: Product = serde_json::from_str(&json).unwrap();
    assert_eq!(back.logic_dies[0].at_or_below_16_14nm, Some(true));
}

/// A planar die above the node (28 nm) is not an applicable advanced logic IC: no presumption,
/// and TPP 800 is below every 3A090 threshold (1600 is the lowest, 3A090.b.2).
#[test]
fn a_planar_die_above_the_node_is_not_presumed() {
    let at_28nm = sheet(&format!("{PLANAR}at_or_below_16_14nm = false\n"));
    let d = determine_with(at_28nm, "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(d.eccns.is_empty(), "{:?}", d.eccns);
}

/// A planar die whose node is not stated may be at 12 nm: the presumption is unknown, and the
/// determination names the fact that decides it (never a clearance, probe finding 1). An
/// ordinary exporter is not bound by Note 1, so for it the node does not matter.
#[test]
fn a_planar_die_of_unstated_node_leaves_the_presumption_open() {
    let d = determine_with(sheet(PLANAR), "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, ["at_or_below_16_14nm"]);

    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let d = determine_with(sheet(PLANAR), "CN", "2025-06-01", ordinary);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);

    // A product with no logic die at all names the die list.
    let mut no_die = sheet(PLANAR);
    no_die.logic_dies.clear();
    let d = determine_with(no_die, "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == "logic_die"), "{:?}", d.missing);
}
