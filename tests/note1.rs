//! Note 1 to 3A090.a (the foundry/OSAT presumption, 15 CFR 774 Supp. No. 1, ECCN 3A090, added
//! by 90 FR 5298 of 2025-01-16, compliance 2025-01-31) done right, through the library (tester
//! findings N1, N4, N5, N7 and "NAC listed twice"; the CLI's side: crates/cli/tests/note1.rs).
//!
//! The test IC: a non-planar (FinFET) consumer logic IC with fp8 300 dense TOPS, so TPP 300 x 8
//! = 2,400 (Technical Note 2 to 3A090.a and .b), one 300 mm² die, so performance density 8, and
//! 20 billion transistors. On its numbers it is not 3A090 (Note 2: not designed for datacenters
//! and TPP < 4,800). A front-end fabricator or OSAT exporting it must presume it 3A090.a and
//! designed for datacenters, unless rebutted by (a) an approved or authorized IC designer's
//! attestation, (b) packaging by the front-end fabricator outside Macau/D:5 with an attested
//! transistor count below 30 billion, or (c) packaging by an approved OSAT (Supp. No. 7 to part
//! 740) with that attestation (rules/us-ear/NOTES.md §3).

use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::{Contained, Exporter, Packager, Party, Product, Role, Transaction, parse_product_sheet};
use export_controls::{Catalog, CompiledPack, Determination, FastQuery, Options, PreparedProduct, Query};
use export_controls::{RuleSet, Scratch, Verdict};

const NOTE1: &str = "3A090 License Requirements/Note 1";
const PACKAGED_BY: &str = "exporter.packaged_by (front_end_fabricator, approved_osat or other)";

const FINFET: &str = r#"
id = "example-finfet-20bn"
name = "Example FinFET logic IC"
vendor = "Example Chips"
kind = "integrated_circuit"
designed_or_marketed_for_datacenter = false
transistors = 20_000_000_000
[dense_tops]
complete = true
fp8 = 300
[[logic_die]]
name = "X1"
area = 300
non_planar = true
[memory]
kind = "GDDR6"
bandwidth = 500
hbm = false
"#;

fn sheet(text: &str) -> Product {
    parse_product_sheet(&SourceFile::new("sheet.toml", text.to_string())).unwrap()
}

fn finfet() -> Product {
    sheet(FINFET)
}

/// The test IC with its process node stated (TSMC N7): 20 billion transistors on 300 mm² of
/// die is 66.7 million per mm², above the 30 million typical of the 7 nm class, so the count is
/// taken as stated and can rebut the presumption by packaging. Without a node the count cannot
/// be checked and is read as at least itself, which rebuts nothing (tester round 8, T11;
/// src/model/transistor_count.rs). The sheet states its one die is all the package's logic and
/// the count their aggregate (`logic_dies_complete`; without it the count is at least itself:
/// tester round 9, U2).
fn finfet_at_n7() -> Product {
    let mut p = finfet();
    p.process_node = Some("TSMC N7".into());
    p.logic_dies_complete = true;
    p
}

/// A front-end fabricator or OSAT whose die was packaged outside Macau/D:5 with the transistor
/// count attested, by `packaged_by`.
fn packaged(packaged_by: Option<Packager>) -> Exporter {
    Exporter {
        front_end_fabricator_or_osat: Some(true),
        packaged_outside_d5_or_macau: true,
        packaged_by,
        ..Exporter::default()
    }
}

/// The determination through `RuleSet::evaluate`, checked against `CompiledPack::decide` (the
/// fast path), which must give the same verdict.
fn determine(product: Product, to: &str, on: &str, exporter: Exporter, parties: Vec<Party>) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let product = PreparedProduct::new(product);
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(exporter).with_parties(parties);
    let d = rules.evaluate(&product, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(&product, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate disagree");
    d
}

fn ids(d: &Determination) -> Vec<&str> {
    d.requirements.iter().map(|r| r.id.as_str()).collect()
}

// --- N1: who packaged the die -----------------------------------------------------------------

/// Routes (b) and (c) rebut the presumption: the IC is classified on its numbers (not 3A090),
/// so China on 2025-06-01 needs no licence under the 3A090 rules.
#[test]
fn the_front_end_fabricator_or_an_approved_osat_rebuts_the_presumption() {
    for by in [Packager::FrontEndFabricator, Packager::ApprovedOsat] {
        let d = determine(finfet_at_n7(), "CN", "2025-06-01", packaged(Some(by)), vec![]);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{by:?}");
        assert!(d.eccns.is_empty(), "{by:?}: {:?}", d.eccns);
    }
}

/// An OSAT not listed in Supp. No. 7 to part 740 (or any other packager) rebuts nothing: the IC
/// is presumed datacenter 3A090.a, which needs the Note 1 licence for every destination and, to
/// China (D:5), the 742.6(a)(6)(iii) licence; NAC and ACA exclude it (15 CFR 740.8(a)).
#[test]
fn a_packager_that_is_not_approved_rebuts_nothing() {
    let d = determine(finfet(), "CN", "2025-06-01", packaged(Some(Packager::Other)), vec![]);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.a"]);
    assert_eq!(ids(&d), [NOTE1, "742.6(a)(6)(iii)"]);
    assert!(d.exceptions.is_empty(), "{:?}", d.exceptions);
    // To Germany (no D group) the Note 1 licence alone.
    let d = determine(finfet(), "DE", "2025-06-01", packaged(Some(Packager::Other)), vec![]);
    assert_eq!((d.verdict, ids(&d)), (Verdict::LicenseRequired, vec![NOTE1]));
}

/// Packaged outside Macau/D:5 with the count attested, but who packaged it is not stated: the
/// rebuttal is open, so the verdict is (tester finding N1 cleared this case).
#[test]
fn an_unstated_packager_leaves_the_presumption_open() {
    let d = determine(finfet_at_n7(), "CN", "2025-06-01", packaged(None), vec![]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, [PACKAGED_BY]);
    // Where no packaging rebuttal is claimed, who packaged the die decides nothing and is not
    // asked for: the presumption stands.
    let plain = Exporter { front_end_fabricator_or_osat: Some(true), ..Exporter::default() };
    let d = determine(finfet(), "CN", "2025-06-01", plain, vec![]);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    // An approved IC designer's attestation (route (a)) needs no packager.
    let designer = Exporter { approved_ic_designer_attestation: true, ..plain };
    assert_eq!(determine(finfet(), "CN", "2025-06-01", designer, vec![]).verdict, Verdict::NoLicenseRequired);
}

/// TOML and JSON transaction files read `exporter.packaged_by` alike; an unknown packager is an
/// input error, never read as a rebuttal.
#[test]
fn transaction_files_read_the_packager() {
    let toml = "product = \"nvidia-a10\"\ndestination = \"CN\"\ndate = 2025-03-01\n\
                exporter = { front_end_fabricator_or_osat = true, packaged_outside_d5_or_macau = true, packaged_by = \"approved_osat\" }\n";
    let json = r#"{"product": "nvidia-a10", "destination": "CN", "date": "2025-03-01", "exporter":
                  {"front_end_fabricator_or_osat": true, "packaged_outside_d5_or_macau": true, "packaged_by": "approved_osat"}}"#;
    let a = Transaction::parse(&SourceFile::new("t.toml", toml)).unwrap();
    let b = Transaction::parse(&SourceFile::new("t.json", json)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.exporter.packaged_by, Some(Packager::ApprovedOsat));
    let bad = json.replace("approved_osat", "osat");
    let e = Transaction::parse(&SourceFile::new("t.json", bad)).unwrap_err();
    assert!(e.0.iter().any(|d| d.message.contains("osat")), "{e:?}");
    // The A10 (28.3 billion transistors, non-planar; not 3A090 on its numbers) so packaged:
    // rebutted (route (c)); by another packager: presumed 3A090.a.
    let catalog = Catalog::shipped().unwrap();
    let a10 = catalog.get("nvidia-a10").unwrap().product().clone();
    let d = determine(a10.clone(), "CN", "2025-03-01", a.exporter, vec![]);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    let other = Exporter { packaged_by: Some(Packager::Other), ..a.exporter };
    assert_eq!(determine(a10, "CN", "2025-03-01", other, vec![]).verdict, Verdict::LicenseRequired);
}

// --- N5: a transistor count written in billions ------------------------------------------------

/// `transistors = 80` (meant as 80 billion) would pass "below 30 billion"; a count that is not a
/// whole number or is below 1,000,000 is refused (E0223), from a sheet and in code alike.
#[test]
fn a_count_in_billions_is_refused() {
    for (count, refused) in
        [("80", true), ("1.5", true), ("999_999", true), ("1_000_000", false), ("20_000_000_000", false)]
    {
        let text = FINFET.replace("transistors = 20_000_000_000", &format!("transistors = {count}"));
        let r = parse_product_sheet(&SourceFile::new("sheet.toml", text));
        match r {
            // 1,000,000 passes E0223 but not the die-area floor of its 300 mm² FinFET die (E0230).
            Err(e) if !refused => assert_eq!((count, e.0[0].code), ("1_000_000", Code::E0230)),
            Err(e) => assert_eq!(e.0[0].code, Code::E0223, "{count}"),
            Ok(_) => assert!(!refused, "{count} accepted"),
        }
    }
    // Built in code: `validate` refuses it, and the product is never cleared.
    let mut p = finfet();
    p.transistors = Some(80.into());
    let e = p.validate().unwrap_err();
    assert_eq!(e.0[0].code, Code::E0223);
    let fab = packaged(Some(Packager::FrontEndFabricator));
    assert_eq!(determine(p.clone(), "CN", "2025-06-01", fab, vec![]).verdict, Verdict::Indeterminate);
    p.transistors = Some("1.5".parse().unwrap());
    assert_eq!(p.validate().unwrap_err().0[0].code, Code::E0223);
}

/// Tester round 4, Q2: the H20's 80 billion transistors written in thousands (`80_000_000`)
/// passed E0223 and rebutted Note 1 for an approved OSAT (DE, 2025-06-01, cleared). It is
/// 0.098 million per mm² of the 814 mm² non-planar GH100 die, where FinFET logic holds tens of
/// millions (GH100: 80 billion / 814 mm²): below 2 million per mm² of the non-planar or
/// 16/14 nm dies it is refused (E0230) however the product is made, and a product built in
/// code with it is never cleared.
#[test]
fn a_count_in_thousands_is_refused_by_the_die_area() {
    let catalog = Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap().product().clone();
    let osat = packaged(Some(Packager::ApprovedOsat));
    assert_eq!(determine(h20.clone(), "DE", "2025-06-01", osat, vec![]).verdict, Verdict::LicenseRequired);
    let mut p = h20.clone();
    p.id = "probe-h20-thousands".into();
    p.transistors = Some(80_000_000.into());
    assert_eq!(p.validate().unwrap_err().0[0].code, Code::E0230);
    assert_eq!(catalog.prepare(p.clone()).unwrap_err().0[0].code, Code::E0230);
    let json: Product = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
    assert_eq!(json.validate().unwrap_err().0[0].code, Code::E0230);
    assert_eq!(determine(p.clone(), "DE", "2025-06-01", osat, vec![]).verdict, Verdict::Indeterminate);
    // The floor: 2 million per mm² of 814 mm² is 1,628,000,000. (Without the process node: the
    // H20's `TSMC 4N` refuses any count under 30 million per mm², E0235, tests/mistyped_figures.rs.)
    p.process_node = None;
    p.transistors = Some(1_628_000_000u64.into());
    assert!(p.validate().is_ok());
    p.transistors = Some(1_627_999_999u64.into());
    assert_eq!(p.validate().unwrap_err().0[0].code, Code::E0230);
    // Two dies count twice; a die not known to be advanced (planar or unstated) is not counted.
    p.logic_dies[0].count = 2;
    p.transistors = Some(3_000_000_000u64.into());
    assert_eq!(p.validate().unwrap_err().0[0].code, Code::E0230);
    p.logic_dies[0].non_planar = Some(false);
    assert!(p.validate().is_ok());
    // From a sheet: the error is at the count's line.
    let text = FINFET.replace("transistors = 20_000_000_000", "transistors = 20_000_000");
    let e = parse_product_sheet(&SourceFile::new("sheet.toml", text)).unwrap_err();
    assert_eq!(e.0[0].code, Code::E0230);
    assert_eq!(e.0[0].line, 7);
}

// --- N4: the Note 1 licence reaches a 4A090 item -----------------------------------------------

/// The same IC in a one-IC "computer": the contained IC is presumed 3A090.a, so the computer is
/// 4A090.a, and the Note 1 licence follows it (the conservative reading, rules/us-ear/NOTES.md
/// §6): to Germany the same licence as the bare IC.
#[test]
fn a_computer_containing_a_presumed_ic_needs_the_note_1_licence() {
    let computer = |ic: Product| {
        let mut c = sheet(
            "id = \"example-one-ic-computer\"\nname = \"One IC\"\nvendor = \"Example\"\nkind = \"computer\"\n\
             designed_or_marketed_for_datacenter = true\n",
        );
        c.contains = vec![Contained { product: ic.id.clone(), count: 1, sheet: Some(Box::new(ic)) }];
        c
    };
    let fab = Exporter { front_end_fabricator_or_osat: Some(true), ..Exporter::default() };
    let bare = determine(finfet(), "DE", "2025-06-01", fab, vec![]);
    assert_eq!((bare.verdict, ids(&bare)), (Verdict::LicenseRequired, vec![NOTE1]));
    let d = determine(computer(finfet()), "DE", "2025-06-01", fab, vec![]);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["4A090.a"]);
    assert_eq!(ids(&d), [NOTE1]);
    // An ordinary exporter: no presumption, the IC is not 3A090, so the computer is not 4A090.
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    assert_eq!(determine(computer(finfet()), "DE", "2025-06-01", ordinary, vec![]).verdict, Verdict::NoLicenseRequired);
    // The MI308X sheet has no dense rates and no die: a system containing it, from a front-end
    // fabricator, is open like the bare IC, and names the IC's missing facts.
    let catalog = Catalog::shipped().unwrap();
    let mi308x = catalog.get("amd-mi308x").unwrap().product().clone();
    let bare = determine(mi308x.clone(), "DE", "2025-06-01", fab, vec![]);
    assert_eq!(bare.verdict, Verdict::Indeterminate);
    let d = determine(computer(mi308x), "DE", "2025-06-01", fab, vec![]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == "amd-mi308x: tpp"), "{:?}", d.missing);
    // The catalog's HGX H20 (8 x H20, each non-planar with 80 billion transistors and HBM3).
    let hgx = catalog.get("nvidia-hgx-h20").unwrap().product().clone();
    let d = determine(hgx, "DE", "2025-06-01", fab, vec![]);
    assert_eq!(
        (d.verdict, d.eccns.clone(), ids(&d)),
        (Verdict::LicenseRequired, vec!["4A090.a".to_string()], vec![NOTE1])
    );
}

// --- N7: NAC under an undecided presumption ------------------------------------------------

/// Transistors unknown, packaged by the front-end fabricator outside D:5: whether the
/// presumption stands is open. Presumed, the IC is datacenter 3A090.a, which NAC and ACA exclude
/// (15 CFR 740.8(a)). The engine's three-valued logic cannot tell that NAC is then never the way
/// (rebutted, this IC is not 3A090 at all), so NAC stays "possible" in the range of outcomes;
/// the determination warns that it is available only if the presumption does not apply, and the
/// verdict is open, never a clearance.
#[test]
fn nac_under_an_undecided_presumption_carries_a_warning() {
    let mut p = finfet();
    p.transistors = None;
    let d = determine(p, "CN", "2025-06-01", packaged(Some(Packager::FrontEndFabricator)), vec![]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, ["transistors"]);
    for x in &d.exceptions {
        assert_eq!(x.certainty, export_controls::evaluate::Certainty::Possible, "{}", x.id);
    }
    assert!(
        d.warnings.iter().any(|w| w.starts_with(
            "License Exception NAC may be available only if 3A090 License Requirements/Note 1 does not apply"
        )),
        "{:?}",
        d.warnings
    );
    // Stated, the count decides: 20 billion rebuts (route (b)), 40 billion does not, and then
    // NAC is not offered at all.
    let mut p = finfet();
    p.transistors = Some(40_000_000_000u64.into());
    let d = determine(p, "CN", "2025-06-01", packaged(Some(Packager::FrontEndFabricator)), vec![]);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.exceptions.is_empty(), "{:?}", d.exceptions);
}

// --- NAC twice: one exception, both grounds ----------------------------------------------------

/// An RTX 4090 (non-datacenter 3A090.a.1, TPP 5,284.8) to China on 2024-06-01 for an end user
/// headquartered in China: 742.6(a)(6)(iii) (destination in D:5) and 744.23(a)(3) (headquarters
/// in D:5) both apply, and NAC overcomes both (15 CFR 740.8, from 2024-04-04). One NAC entry,
/// naming both grounds.
#[test]
fn nac_on_two_grounds_is_one_exception() {
    let catalog = Catalog::shipped().unwrap();
    let rtx = catalog.get("nvidia-rtx-4090").unwrap().product().clone();
    let mut eu = Party::new(Role::EndUser);
    eu.name = Some("Example Gaming Cafe Chain Co., Ltd.".into());
    for c in [&mut eu.country, &mut eu.headquarters, &mut eu.parent_headquarters] {
        *c = Some("CN".parse().unwrap());
    }
    eu.owners_known = true;
    let mut screening = export_controls::model::Screening::parse_short("entity_list@2024-06-01").unwrap();
    screening.by = Some("note1 test".into());
    eu.screened = vec![screening];
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    let d = determine(rtx, "CN", "2024-06-01", ordinary, vec![eu]);
    assert_eq!(d.verdict, Verdict::LicenseException);
    assert_eq!(ids(&d), ["742.6(a)(6)(iii)", "744.23(a)(3)"]);
    assert_eq!(d.exceptions.len(), 1, "{:?}", d.exceptions);
    let nac = &d.exceptions[0];
    assert_eq!((nac.name.as_str(), nac.id.as_str()), ("NAC", "740.8/NAC"));
    assert_eq!(nac.overcomes, ["742.6(a)(6)(iii)", "744.23(a)(3)"]);
    let grounds: Vec<&str> = nac.grounds.iter().map(|g| g.split(':').next().unwrap()).collect();
    assert_eq!(grounds, ["740.8/NAC", "740.8/NAC (headquarters)"]);
    assert_eq!(nac.obligations.len(), 1, "{:?}", nac.obligations);
    for r in &d.requirements {
        assert_eq!(r.overcome_by, ["NAC"], "{}", r.id);
    }
}
