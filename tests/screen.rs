//! `CompiledPack::screen` (rows of products × destinations on the fast path) and
//! `RuleSet::general_notices` (the notices a screen prints once), against `RuleSet::evaluate`.

use export_controls::model::Exporter;
use export_controls::screen::ScreenRow;
use export_controls::{
    Catalog, CompiledPack, Country, Date, EvaluateError, FastQuery, Options, Query, RuleSet, Scratch, Verdict,
};

fn shipped() -> (CompiledPack, Catalog) {
    (CompiledPack::new(RuleSet::shipped().unwrap()), Catalog::shipped().unwrap())
}

fn c(code: &str) -> Country {
    code.parse().unwrap()
}

fn d(date: &str) -> Date {
    date.parse().unwrap()
}

#[test]
fn rows_give_verdict_paragraphs_and_requirements_in_the_order_given() {
    let (pack, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let rows = pack.screen(&[h100, h20], &[c("CN"), c("FR")], d("2024-06-01")).unwrap();
    let key: Vec<(&str, &str)> = rows.iter().map(|r| (r.product.as_str(), r.destination.code())).collect();
    assert_eq!(
        key,
        [("nvidia-h100-sxm5-80gb", "CN"), ("nvidia-h100-sxm5-80gb", "FR"), ("nvidia-h20", "CN"), ("nvidia-h20", "FR")]
    );
    // 2023 rule: H100 (TPP 15831.2) is 3A090.a by a.1 and a.2; China is in D:5 (742.6(a)(6)(iii)).
    assert_eq!(
        rows[0],
        ScreenRow {
            product: "nvidia-h100-sxm5-80gb".into(),
            exported_from: c("US"),
            destination: c("CN"),
            as_of: d("2024-06-01"),
            verdict: Verdict::LicenseRequired,
            at_least: Verdict::LicenseRequired,
            at_most: Verdict::LicenseRequired,
            paragraphs: vec!["3A090.a.1".into(), "3A090.a.2".into()],
            requirements: vec!["742.6(a)(6)(iii)".into()],
        }
    );
    // France is in A:5, outside that scope; the classification does not depend on it.
    assert_eq!(rows[1].verdict, Verdict::NoLicenseRequired);
    assert_eq!(rows[1].paragraphs, rows[0].paragraphs);
    assert!(rows[1].requirements.is_empty());
    // H20: TPP 2368, outside every 2023 band.
    assert!(rows[2].paragraphs.is_empty() && rows[2].requirements.is_empty());
}

#[test]
fn each_product_and_destination_is_screened_once_and_no_destinations_means_all_but_the_us() {
    let (pack, catalog) = shipped();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let rows = pack.screen(&[h20, h20], &[c("CN"), c("MO"), c("CN")], d("2024-06-01")).unwrap();
    assert_eq!(rows.len(), 2);
    let rows = pack.screen(&[h20], &[], d("2024-06-01")).unwrap();
    // All but the United States: the States, Puerto Rico, the US Virgin Islands, Guam, American
    // Samoa, the Northern Mariana Islands and the Minor Outlying Islands (15 CFR 772.1).
    assert_eq!(rows.len(), Country::all().len() - 7);
    assert!(rows.iter().all(|r| !r.destination.is_united_states()));
    assert!(pack.screen(&[], &[c("CN")], d("2024-06-01")).unwrap().is_empty());
}

#[test]
fn a_requirement_that_depends_on_a_missing_figure_is_marked() {
    let (pack, catalog) = shipped();
    // MI308X: no dense TOPS and no die area, so its TPP is unknown (rules/us-ear/tests/indeterminate.toml).
    let mi308x = catalog.get("amd-mi308x").unwrap();
    let rows = pack.screen(&[mi308x], &[c("CN")], d("2024-06-01")).unwrap();
    assert_eq!(rows[0].verdict, Verdict::Indeterminate);
    assert_eq!((rows[0].at_least, rows[0].at_most), (Verdict::NoLicenseRequired, Verdict::LicenseRequired));
    assert_eq!(rows[0].requirements, ["742.6(a)(6)(iii)?"]);
}

#[test]
fn every_row_has_the_verdict_of_evaluate() {
    let (pack, catalog) = shipped();
    let products: Vec<_> = catalog.iter().collect();
    let destinations = [c("CN"), c("MO"), c("RU"), c("AE"), c("FR"), c("MY")];
    for on in ["2023-06-01", "2024-06-01", "2025-06-01"] {
        for row in pack.screen(&products, &destinations, d(on)).unwrap() {
            let product = catalog.get(&row.product).unwrap();
            let full =
                pack.rules().evaluate(product, &Query::export_to(row.destination, row.as_of), Options::default());
            let full = full.unwrap();
            assert_eq!(row.paragraphs, full.paragraphs, "{row:?}");
            if product.readings_may_differ() {
                // A system's row spans both readings of separately packaged ICs: the pack's
                // verdict (evaluate's) is inside it.
                let q = Query::export_to(row.destination, row.as_of);
                let parties = pack.prepare_parties(&q.parties);
                let mine = pack.decide(product, &FastQuery::of(&q, &parties), &mut Scratch::default()).unwrap();
                assert_eq!(mine.verdict, full.verdict, "{row:?}");
                assert!(row.at_least <= mine.at_least && mine.at_most <= row.at_most, "{row:?} / {mine:?}");
            } else {
                assert_eq!(row.verdict, full.verdict, "{row:?}");
            }
        }
    }
}

/// tester round 11: the HGX H20 8-GPU board to China on 2024-06-01. Read per IC (the pack's
/// reading), each H20 (TPP 2,368, performance density 2.91) is below every 3A090 band and no
/// licence is needed (the H20 letter came on 2025-04-09, NVIDIA Form 8-K of 2025-04-15); read
/// as one aggregate IC (TPP 18,944 ≥ 4,800: 3A090.a, the board 4A090.a; 88 FR 73458) a licence
/// is required (742.6(a)(6)(iii)). `check` gives the first with the second as a warning; the
/// screen row, which carries no warning, spans both: never looser than `check`.
#[test]
fn a_system_row_spans_both_readings_of_separate_packages() {
    let (pack, catalog) = shipped();
    let board = catalog.get("nvidia-hgx-h20").unwrap();
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    let rows = pack.screen_for(&[board], &[c("CN")], d("2024-06-01"), ordinary).unwrap();
    let row = &rows[0];
    assert_eq!(
        (row.verdict, row.at_least, row.at_most),
        (Verdict::Indeterminate, Verdict::NoLicenseRequired, Verdict::LicenseRequired)
    );
    let q = Query::export_to(c("CN"), d("2024-06-01")).with_exporter(ordinary);
    let full = pack.rules().evaluate(board, &q, Options::default()).unwrap();
    assert_eq!(full.verdict, Verdict::NoLicenseRequired);
    assert!(
        full.warnings.iter().any(|w| w.contains("Read as one aggregate IC, the outcome would be: license_required")),
        "{:?}",
        full.warnings
    );
    // A single IC has one reading: its row is the pack's decision (the H20 itself, cleared).
    let h20 = catalog.get("nvidia-h20").unwrap();
    let rows = pack.screen_for(&[h20], &[c("CN")], d("2024-06-01"), Exporter::default()).unwrap();
    assert_eq!(rows[0].verdict, Verdict::NoLicenseRequired);
}

#[test]
fn a_date_before_the_pack_or_the_us_as_destination_is_refused() {
    let (pack, catalog) = shipped();
    let h20 = catalog.get("nvidia-h20").unwrap();
    assert!(matches!(pack.screen(&[h20], &[c("CN")], d("2021-06-01")), Err(EvaluateError::BeforeCoverage { .. })));
    assert_eq!(
        pack.screen(&[h20], &[c("CN"), Country::US], d("2024-06-01")),
        Err(EvaluateError::NotAnExport(Country::US))
    );
}

#[test]
fn general_notices_are_those_every_determination_on_the_date_carries() {
    let (pack, catalog) = shipped();
    let rules = pack.rules();
    // The pack's reference cut-off concerns every transaction after it; nothing before.
    let ids = |on: &str| rules.general_notices(d(on)).map(|n| n.meta.id.as_str()).collect::<Vec<_>>();
    assert_eq!(ids("2026-10-01"), ["Reference cut-off"]);
    assert!(ids("2024-06-01").is_empty());
    for on in ["2022-10-10", "2024-12-10", "2025-06-01", "2026-01-01", "2026-10-01"] {
        let general: Vec<&str> = rules.general_notices(d(on)).map(|n| n.meta.id.as_str()).collect();
        for n in rules.general_notices(d(on)) {
            assert!(n.scope.is_unlimited() && n.when.is_none() && n.meta.period.contains(d(on)));
        }
        for p in ["nvidia-h20", "huawei-ascend-910b", "amd-mi308x"] {
            for to in ["CN", "KH", "FR"] {
                let q = Query::export_to(c(to), d(on));
                let det = rules.evaluate(catalog.get(p).unwrap(), &q, Options::default()).unwrap();
                for id in &general {
                    assert!(det.notices.iter().any(|n| n == id), "{p} to {to} on {on} lacks notice {id}");
                }
            }
        }
    }
    // Every other notice of the pack is limited to destinations, parties, products or a condition.
    let general: Vec<&str> =
        rules.notices().iter().filter(|n| n.concerns_every_transaction()).map(|n| n.meta.id.as_str()).collect();
    assert_eq!(general, ["Reference cut-off"]);
}

/// A row handed out as it is decided (`screen_classified_each`, no allocation) is the row
/// `screen` returns, field for field and in JSON, for the whole catalog to every country on a
/// date before and after the 2025 "is informed" letters.
#[test]
fn rows_handed_out_as_decided_are_the_rows_returned() {
    let (pack, catalog) = shipped();
    let products: Vec<_> = catalog.iter().collect();
    let classified: Vec<_> = products.iter().map(|p| pack.classify_product((*p).clone())).collect();
    let chosen: Vec<_> = classified.iter().collect();
    let countries: Vec<Country> = Country::all().into_iter().filter(|c| !c.is_united_states()).collect();
    for on in [d("2024-06-01"), d("2025-04-20")] {
        let rows = pack.screen(&products, &countries, on).unwrap();
        let mut i = 0;
        pack.screen_classified_each(&chosen, &countries, on, Exporter::default(), |row| {
            assert_eq!(row.to_row(), rows[i]);
            assert_eq!(serde_json::to_string(row).unwrap(), serde_json::to_string(&rows[i]).unwrap());
            i += 1;
            Ok::<(), EvaluateError>(())
        })
        .unwrap();
        assert_eq!(i, rows.len());
    }
}

/// D3 (round 17): a screen decides exports from the United States only (`FastQuery::export_to`,
/// `exported_from` US): every row says so, and the note says that a reexport or an in-country
/// transfer (15 CFR 734.14) is not what a row decides.
#[test]
fn every_row_is_a_direct_export_from_the_united_states_and_the_note_says_so() {
    let (pack, catalog) = shipped();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let rows = pack.screen(&[h20], &[c("CN"), c("MY"), c("FR")], d("2025-04-20")).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.exported_from == c("US")), "{rows:?}");
    let json = serde_json::to_value(&rows[0]).unwrap();
    assert_eq!(json["exported_from"], "US");
    let note = export_controls::screen::SCREEN_NOTE;
    assert!(note.contains("direct exports from the United States"), "{note}");
    assert!(note.contains("reexport") && note.contains("in-country transfer"), "{note}");
    assert!(note.contains("export-controls check"), "{note}");
    let report = export_controls::screen::ScreenReport::new(pack.rules(), d("2025-04-20"), rows);
    assert_eq!(serde_json::to_value(&report).unwrap()["note"], note);
}
