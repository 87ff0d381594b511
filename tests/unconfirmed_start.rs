//! Rules whose start the sources do not confirm (`confirmed_from`, probe finding 9): from the
//! earliest day any source gives (`from`) to the day before the first day they agree on, a
//! determination the rule could change is `indeterminate`, naming the unconfirmed start, on the
//! explained path (`RuleSet::evaluate`) and the fast path (`CompiledPack::decide`, and
//! `decide_classified` on a product classified once) alike; the loader refuses a
//! `confirmed_from` outside the rule's period (E0362) and the lint asks why (L013). The DNR/LNR
//! start date (tester finding N6) is settled at 2022-02-24 with a notice for the days before.
//!
//! Dates: 87 FR 62186 took effect on staggered dates, 2022-10-07 and 2022-10-21 (reference §2
//! row 1, §3.1); 90 FR 5298 is effective 2025-01-16 with compliance from 2025-01-31 (its DATES
//! paragraph); 87 FR 12226 is effective 2022-02-24 (rules/us-ear/NOTES.md §3, §10).

mod common;

use export_controls::diagnostic::Code;
use export_controls::lint::lint;
use export_controls::model::{Exporter, Region};
use export_controls::ruleset::compile;
use export_controls::{Catalog, CompiledPack, Determination, FastQuery, Options, Query, RuleSet, Scratch, Verdict};

fn query(to: &str, on: &str) -> Query {
    Query::export_to(to.parse().unwrap(), on.parse().unwrap())
}

fn foundry() -> Exporter {
    Exporter { front_end_fabricator_or_osat: Some(true), ..Exporter::default() }
}

/// The determination of `product` under `pack`, after checking that the fast path, and the
/// product classified once, give the same verdict.
fn determine(pack: &CompiledPack, product: &str, q: &Query) -> Determination {
    let catalog = Catalog::shipped().unwrap();
    let p = catalog.get(product).unwrap_or_else(|| panic!("{product} not in the catalog"));
    let d = pack.rules().evaluate(p, q, Options::default()).unwrap();
    let parties = pack.prepare_parties(&q.parties);
    let fq = FastQuery::of(q, &parties);
    let mut scratch = Scratch::default();
    let fast = pack.decide(p, &fq, &mut scratch).unwrap();
    assert_eq!(fast.verdict, d.verdict, "fast path: {product} to {} on {}", q.destination, q.date);
    let classified = pack.classify_product_for(p.clone(), q.exporter);
    let cached = pack.decide_classified(&classified, &fq, &mut scratch).unwrap();
    assert_eq!(cached.verdict, d.verdict, "classified once: {product} to {} on {}", q.destination, q.date);
    d
}

fn shipped() -> CompiledPack {
    CompiledPack::new(RuleSet::shipped().unwrap())
}

fn start(id: &str, day: &str) -> String {
    format!("status of {id} before {day} (its start is not confirmed)")
}

#[test]
fn the_staggered_start_of_3a090_in_2022_is_indeterminate_where_3a090_could_decide() {
    let pack = shipped();
    // Intel Gaudi 2 meets the 2022 3A090.a parameters (TPP >= 4800, interconnect >= 600 GB/s)
    // and no company letter reaches it: the RS licence to China (742.6(a)(6)(i)) decides.
    for day in ["2022-10-07", "2022-10-10", "2022-10-20"] {
        let d = determine(&pack, "intel-gaudi2-hl225h", &query("CN", day));
        assert_eq!(d.verdict, Verdict::Indeterminate, "{day}");
        assert!(d.missing.contains(&start("3A090.a", "2022-10-21")), "{day}: {:?}", d.missing);
        assert!(d.missing.contains(&start("742.6(a)(6)(i)", "2022-10-21")), "{day}: {:?}", d.missing);
        assert_eq!(d.undetermined_paragraphs, ["3A090.a"], "{day}");
        let w = d.warnings.iter().find(|w| w.starts_with("3A090.a may match this transaction")).expect("warning");
        assert!(w.contains("binds before 2022-10-21: its start is unconfirmed from 2022-10-07"), "{w}");
    }
    // Before the earliest effective date, nothing of the October 2022 rule applies.
    assert_eq!(determine(&pack, "intel-gaudi2-hl225h", &query("CN", "2022-10-06")).verdict, Verdict::NoLicenseRequired);
    // From 2022-10-21 the sources agree: a licence, and the paragraph is certain.
    let d = determine(&pack, "intel-gaudi2-hl225h", &query("CN", "2022-10-21"));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.paragraphs, ["3A090.a"]);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    // Where no 3A090 requirement reaches (Germany in 2022), the verdict stands, and the open
    // classification is said.
    let d = determine(&pack, "intel-gaudi2-hl225h", &query("DE", "2022-10-10"));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert_eq!(d.undetermined_paragraphs, ["3A090.a"]);
    // A product below the 2022 parameters is not touched: the L20 (TPP 1,913.6) to China.
    let d = determine(&pack, "nvidia-l20", &query("CN", "2022-10-10"));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(!d.warnings.iter().any(|w| w.contains("its start is unconfirmed")), "{:?}", d.warnings);
}

#[test]
fn a_computer_is_indeterminate_through_its_ics_in_the_2022_window() {
    // The DGX H100 holds eight H100s, each over the 2022 3A090.a parameters: 4A090.a reads
    // meets("3A090.a"). NVIDIA's letter of 2022-08-26 requires a licence to China anyway; the
    // RS licence may apply too, and the classification stays open.
    let pack = shipped();
    let d = determine(&pack, "nvidia-dgx-h100", &query("CN", "2022-10-10"));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    let rs = d.requirements.iter().find(|r| r.id == "742.6(a)(6)(i)").expect("742.6(a)(6)(i) may apply");
    assert_eq!(serde_json::to_value(rs.certainty).unwrap(), "possible");
    assert!(d.undetermined_paragraphs.contains(&"4A090.a".to_string()), "{:?}", d.undetermined_paragraphs);
    let d = determine(&pack, "nvidia-dgx-h100", &query("CN", "2022-10-21"));
    assert!(d.paragraphs.contains(&"4A090.a".to_string()), "{:?}", d.paragraphs);
}

#[test]
fn note_1_between_its_effective_and_compliance_dates_is_indeterminate() {
    // Probe finding 9a: a front-end fabricator exports the L20 (FinFET, so an applicable
    // advanced logic IC, no designer attestation) to China on 2025-01-20.
    let pack = shipped();
    let q = |day: &str| query("CN", day).with_exporter(foundry());
    for day in ["2025-01-16", "2025-01-20", "2025-01-30"] {
        let d = determine(&pack, "nvidia-l20", &q(day));
        assert_eq!(d.verdict, Verdict::Indeterminate, "{day}");
        assert!(d.missing.contains(&start("3A090.a Note 1", "2025-01-31")), "{day}: {:?}", d.missing);
        assert!(d.missing.contains(&start("3A090 License Requirements/Note 1", "2025-01-31")), "{:?}", d.missing);
    }
    assert_eq!(determine(&pack, "nvidia-l20", &q("2025-01-15")).verdict, Verdict::NoLicenseRequired);
    assert_eq!(determine(&pack, "nvidia-l20", &q("2025-01-31")).verdict, Verdict::LicenseRequired);
    // The worldwide requirement: to Japan (not D:1/D:4/D:5) only Note 1 can require a licence.
    let d = determine(&pack, "nvidia-l20", &query("JP", "2025-01-20").with_exporter(foundry()));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(
        determine(&pack, "nvidia-l20", &query("JP", "2025-01-31").with_exporter(foundry())).verdict,
        Verdict::LicenseRequired
    );
    // An exporter that is not a fabricator or OSAT is outside the Note whatever its start.
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    let d = determine(&pack, "nvidia-l20", &query("CN", "2025-01-20").with_exporter(ordinary));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(!d.warnings.iter().any(|w| w.contains("its start is unconfirmed")), "{:?}", d.warnings);
}

#[test]
fn a_requirement_before_its_confirmed_start_fails_closed_and_after_it_decides() {
    // 742.6(a)(6)(iii) (88 FR 73458, from 2023-11-17) written as if its start were confirmed
    // only from 2023-12-01.
    let files = common::pack_files_edited(
        "license-requirements.toml",
        "published = 2023-10-25\nfrom = 2023-11-17\nitems = [\"3A090.a\", \"3A090.b\", \"4A090.a\", \"4A090.b\"]",
        "published = 2023-10-25\nfrom = 2023-11-17\nconfirmed_from = 2023-12-01\nitems = [\"3A090.a\", \"3A090.b\", \"4A090.a\", \"4A090.b\"]",
    );
    let pack = CompiledPack::new(compile(&files).unwrap_or_else(|e| panic!("{e}")));
    let d = determine(&pack, "nvidia-h100-sxm5-80gb", &query("CN", "2023-11-30"));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.contains(&start("742.6(a)(6)(iii)", "2023-12-01")), "{:?}", d.missing);
    let d = determine(&pack, "nvidia-h100-sxm5-80gb", &query("CN", "2023-12-01"));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    // A destination the rule does not reach: the rule does not match, no word of it.
    let d = determine(&pack, "nvidia-h100-sxm5-80gb", &query("FR", "2023-11-30"));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(!d.warnings.iter().any(|w| w.contains("742.6(a)(6)(iii) may match")), "{:?}", d.warnings);
    // No `unverified` says why the start is unconfirmed: the lint asks (L013).
    let findings = lint(pack.rules());
    let l012: Vec<_> = findings.iter().filter(|f| f.code == Code::L013).collect();
    assert_eq!(l012.len(), 1, "{findings:#?}");
    assert_eq!(
        l012[0].message,
        "`742.6(a)(6)(iii)` is unconfirmed from 2023-11-17 to the day before 2023-12-01 (`confirmed_from`), and its `unverified` does not say why"
    );
    // The shipped pack explains every `confirmed_from` it has.
    assert!(!lint(&RuleSet::shipped().unwrap()).iter().any(|f| f.code == Code::L013));
}

#[test]
fn a_confirmed_from_outside_the_period_is_refused() {
    let files = common::pack_files_edited(
        "license-requirements.toml",
        "published = 2023-10-25\nfrom = 2023-11-17\nitems",
        "published = 2023-10-25\nfrom = 2023-11-17\nconfirmed_from = 2023-11-16\nitems",
    );
    let e = compile(&files).expect_err("refused");
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].code, Code::E0362);
    assert!(
        e.0[0].message.starts_with("`confirmed_from` (2023-11-16) must be on or after `from` (2023-11-17)"),
        "{}",
        e.0[0].message
    );
}

#[test]
fn the_dnr_licence_binds_from_87_fr_12226_with_a_notice_for_the_days_of_the_executive_order() {
    let pack = shipped();
    let dnr = |day: &str| query("UA", day).in_region(Region::Dnr);
    for day in ["2022-02-21", "2022-02-23"] {
        let d = determine(&pack, "apple-m3-max", &dnr(day));
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{day}");
        assert_eq!(d.notices, ["746.6/DNR-LNR before 87 FR 12226"], "{day}");
    }
    let d = determine(&pack, "apple-m3-max", &dnr("2022-02-20"));
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let d = determine(&pack, "apple-m3-max", &dnr("2022-02-24"));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.requirements.iter().any(|r| r.id == "746.6(a)"));
    assert!(d.notices.is_empty(), "{:?}", d.notices);
}
