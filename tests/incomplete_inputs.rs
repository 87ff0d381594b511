//! Issue 12, items 1 and 3: incomplete data is not complete data, and the library is as strict
//! as the CLI. Each kind of input is checked through the library here and through the binary in
//! crates/cli/tests/incomplete_inputs.rs; the inputs themselves are in the bad-input corpus
//! (tests/bad-inputs/, see tests/bad_inputs.rs).

use std::path::Path;
use std::str::FromStr;

use export_controls::model::{Precision, Product, parse_product_sheet};
use export_controls::ruleset::SourceFile;
use export_controls::{
    Catalog, CompiledPack, Decision, FastQuery, LoadError, Options, PreparedProduct, Query, RuleSet, Scratch, Verdict,
};
use rust_decimal::Decimal;

fn corpus(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs").join(name).display().to_string()
}

fn shipped() -> (RuleSet, Catalog) {
    // One error type for both (issue 12, item 3): one `?` loads them.
    fn load() -> Result<(RuleSet, Catalog), LoadError> {
        Ok((RuleSet::shipped()?, Catalog::shipped()?))
    }
    load().unwrap()
}

fn h100() -> Product {
    shipped().1.get("nvidia-h100-sxm5-80gb").unwrap().product().clone()
}

fn sheet(text: &str) -> Result<Product, export_controls::Diagnostics> {
    parse_product_sheet(&SourceFile::new("p.toml", text))
}

/// The verdict of both paths (explained and fast), which must agree.
fn verdict(p: &PreparedProduct, to: &str, on: &str) -> (Verdict, Vec<String>) {
    let (rules, _) = shipped();
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
    let d = rules.evaluate(p, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let fast = pack.decide(p, &FastQuery::export_to(q.destination, q.date), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "the fast path and the explained path differ");
    let classified = pack.classify_product(p.clone());
    let cached =
        pack.decide_classified(&classified, &FastQuery::export_to(q.destination, q.date), &mut Scratch::default());
    assert_eq!(cached.unwrap().verdict, d.verdict, "the classified product is decided differently");
    (d.verdict, d.missing)
}

// ---------------------------------------------------------------- item 1: rate lists

#[test]
fn library_a_cut_rate_list_is_indeterminate_until_stated_complete() {
    let mut p = h100();
    p.processing_units[0].rates.retain(|r| matches!(r.precision, Precision::Fp64 | Precision::Fp32));
    p.processing_units[0].complete = false;
    let (v, missing) = verdict(&PreparedProduct::new(p.clone()), "CN", "2024-06-01");
    assert_eq!((v, missing.as_slice()), (Verdict::Indeterminate, &["dense_tops".to_string()][..]));
    // A named unit is named in `missing`.
    p.processing_units[0].name = "GPU".into();
    let (_, missing) = verdict(&PreparedProduct::new(p.clone()), "CN", "2024-06-01");
    assert_eq!(missing, ["dense_tops of processing unit \"GPU\""]);
    // Stated complete, the cut list (FP64 and FP32 alone) of a datacenter part is not taken as
    // complete (tester round 11, W4; tests/complete_rates12.rs): TPP is the maximum over every
    // bit length (3A090 Technical Note 2), so it stays open naming the 16-bit-and-below rates,
    // with the published TPP (15,832) or without it: never TPP 2,176 exactly and cleared.
    p.processing_units[0].complete = true;
    for reported in [Some(Decimal::from(15832)), None] {
        p.tpp_reported = reported;
        let (v, missing) = verdict(&PreparedProduct::new(p.clone()), "CN", "2024-06-01");
        assert_eq!(v, Verdict::Indeterminate, "{reported:?}");
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(
            missing[0].starts_with(
                "dense_tops of processing unit \"GPU\" (stated complete with rates of 32 and 64 bits only"
            ),
            "{missing:?}"
        );
    }
    // The same list with the 16-, 8-, 6- and 4-bit precisions named unsupported: whoever states
    // that answers for it: TPP 2,176 exactly, below every band.
    p.processing_units[0].unsupported = Precision::ALL.into_iter().filter(|x| x.bits() <= 16).collect();
    assert_eq!(verdict(&PreparedProduct::new(p), "CN", "2024-06-01").0, Verdict::NoLicenseRequired);
}

#[test]
fn a_rate_list_statement_survives_writing_the_sheet_back() {
    let mut p = h100();
    p.processing_units[0].rates.truncate(2);
    p.processing_units[0].complete = false;
    p.processing_units[0].unsupported = vec![Precision::Fp4, Precision::Int4];
    let text = export_controls::model::write_product_sheet(&p);
    assert!(text.contains("unsupported = [\"fp4\", \"int4\"]") && !text.contains("complete"), "{text}");
    assert_eq!(sheet(&text).unwrap(), p);
    p.processing_units[0].complete = true;
    let text = export_controls::model::write_product_sheet(&p);
    assert!(text.contains("complete = true"), "{text}");
    assert_eq!(sheet(&text).unwrap(), p);
}

#[test]
fn an_invalid_products_figures_are_not_shown_as_used() {
    let mut p = h100();
    p.processing_units[0].rates = vec![export_controls::model::Rate { precision: Precision::Fp8, tops: d_("-1000") }];
    let (rules, _) = shipped();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let d = rules.evaluate(&PreparedProduct::new(p), &q, Options::default()).unwrap();
    assert_eq!((d.metrics.tpp, d.metrics.performance_density), (None, None));
    assert!(d.metrics.tpp_terms.is_empty());
}

#[test]
fn every_shipped_sheet_with_rates_states_its_list_complete() {
    for p in shipped().1.iter() {
        for u in &p.product().processing_units {
            assert!(u.rates.is_empty() || u.rates_complete(), "{}", p.product().id);
        }
        assert_ne!(p.metrics().tpp_bound, export_controls::metrics::TppBound::AtLeast, "{}", p.product().id);
    }
}

// ---------------------------------------------------------------- item 1: tpp_reported

#[test]
fn library_a_reported_tpp_only_matters_when_a_threshold_is_in_the_gap() {
    // H100 SXM5: rates 15,831.2, reported 15,832; no threshold between them.
    let (rules, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let d = rules.evaluate(h100, &q, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    // A part at 4,750 reported at 4,850 to China: a.1 is in the gap.
    let mut p = h100.product().clone();
    p.designed_or_marketed_for_datacenter = Some(false);
    // Without the H100's datacenter design features (SXM5 package, HBM3, NVLink), which would
    // leave a `false` flag unknown (probe finding 16): the gap alone is tested here.
    (p.package, p.memory, p.interconnect_bandwidth_gbps) = (None, None, None);
    // Nor its name, which says SXM5 (a module form read from the name: tester round 8, T1).
    p.name = "Example part at TPP 4,750".into();
    p.processing_units[0].rates = vec![export_controls::model::Rate { precision: Precision::Fp4, tops: d_("1187.5") }];
    p.tpp_reported = Some(d_("4850"));
    assert_eq!(verdict(&PreparedProduct::new(p.clone()), "CN", "2024-06-01").0, Verdict::Indeterminate);
    p.tpp_reported = Some(d_("4790"));
    assert_eq!(verdict(&PreparedProduct::new(p), "CN", "2024-06-01").0, Verdict::NoLicenseRequired);
}

// ---------------------------------------------------------------- item 1: zero, non_planar, overflow

#[test]
fn library_an_overflowing_rate_makes_tpp_unknown_never_smaller() {
    let mut p = h100();
    p.processing_units[0].rates = vec![
        export_controls::model::Rate { precision: Precision::Fp64, tops: Decimal::MAX },
        export_controls::model::Rate { precision: Precision::Int8, tops: Decimal::ONE },
    ];
    let prepared = PreparedProduct::new(p);
    assert_eq!(prepared.metrics().tpp, None);
    assert!(!prepared.is_valid());
    assert_eq!(verdict(&prepared, "CN", "2024-06-01").0, Verdict::Indeterminate);
}

// ---------------------------------------------------------------- item 3: products made in code

#[test]
fn library_a_negative_rate_is_refused_and_never_cleared() {
    let mut p = h100();
    p.processing_units[0].rates = vec![export_controls::model::Rate { precision: Precision::Fp8, tops: d_("-1000") }];
    // The same code and message as the sheet loader gives for `fp8 = -1000`.
    let from_sheet = sheet(
        "id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"integrated_circuit\"\n[dense_tops]\ncomplete = true\nfp8 = -1000\n",
    )
    .unwrap_err();
    let from_code = PreparedProduct::try_new(p.clone()).unwrap_err();
    assert_eq!((from_code.0[0].code, &from_code.0[0].message), (from_sheet.0[0].code, &from_sheet.0[0].message));
    assert_eq!(from_code.0[0].file, "product `nvidia-h100-sxm5-80gb`, processing unit 1 (`processor`), fp8");
    // Made anyway: indeterminate everywhere, even where no rule reads the product.
    let prepared = PreparedProduct::new(p);
    assert!(!prepared.is_valid());
    for (to, on) in [("CN", "2024-06-01"), ("FR", "2024-06-01"), ("CN", "2023-06-01")] {
        let (v, missing) = verdict(&prepared, to, on);
        assert_eq!(v, Verdict::Indeterminate, "{to} {on}");
        assert_eq!(
            missing[0],
            "a valid product (product `nvidia-h100-sxm5-80gb`, processing unit 1 (`processor`), fp8: -1000 is negative; figures must be greater than zero)"
        );
    }
}

#[test]
fn library_validate_gives_the_sheet_loaders_diagnostics() {
    // (sheet body after the header, the same mistake made in code).
    type Edit = fn(&mut Product);
    let cases: [(&str, Edit); 6] = [
        ("[dense_tops]\ncomplete = true\nfp8 = 0\n", |p| p.processing_units[0].rates[0].tops = Decimal::ZERO),
        ("interconnect_bandwidth = 0\n", |p| p.interconnect_bandwidth_gbps = Some(Decimal::ZERO)),
        ("transistors = 0\n", |p| p.transistors = Some(Decimal::ZERO)),
        ("tpp_reported = 0\n", |p| p.tpp_reported = Some(Decimal::ZERO)),
        ("[[logic_die]]\narea = 0\n", |p| p.logic_dies[0].area_mm2 = Some(Decimal::ZERO)),
        ("[dense_tops]\nfp8 = 1\nunsupported = [\"fp8\"]\n", |p| {
            p.processing_units[0].unsupported = vec![p.processing_units[0].rates[0].precision]
        }),
    ];
    for (body, edit) in cases {
        let text = format!("id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"integrated_circuit\"\n{body}");
        let s = sheet(&text).unwrap_err().0;
        let mut p = h100();
        p.processing_units[0].rates.truncate(1);
        p.processing_units[0].rates[0].precision = Precision::Fp8;
        edit(&mut p);
        let c = p.validate().unwrap_err().0;
        assert_eq!(c.len(), 1, "{body}: {c:?}");
        assert_eq!((c[0].code, &c[0].message, &c[0].help), (s[0].code, &s[0].message, &s[0].help), "{body}");
    }
}

#[test]
fn library_a_product_from_json_gets_the_same_checks() {
    let json = std::fs::read_to_string(corpus("product-two-rates.json")).unwrap();
    let p: Product = serde_json::from_str(&json).unwrap();
    assert!(!p.processing_units[0].complete, "`complete` defaults to false");
    assert_eq!(verdict(&PreparedProduct::new(p), "CN", "2024-06-01").0, Verdict::Indeterminate);
}

// ---------------------------------------------------------------- item 3: the API

#[test]
fn queries_name_their_countries() {
    let on = "2024-06-01".parse().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), on);
    let code = |q: &Query| q.exported_from.map(|c| c.code().to_string());
    assert_eq!((q.destination.code(), code(&q)), ("CN", Some("US".into())));
    let r = q.clone().exported_from("SG".parse().unwrap());
    assert_eq!((r.destination.code(), code(&r)), ("CN", Some("SG".into())));
    assert_eq!(code(&r.clone().origin_not_stated()), None);
    let f = FastQuery::export_to("CN".parse().unwrap(), on).exported_from("SG".parse().unwrap());
    let none = export_controls::PreparedParties::none();
    assert_eq!(FastQuery::of(&r, &none).exported_from, f.exported_from);
}

#[test]
fn a_decision_serializes_with_the_verdict_names() {
    let (rules, catalog) = shipped();
    let pack = CompiledPack::new(rules);
    let q = FastQuery::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let d = pack.decide(catalog.get("nvidia-h100-sxm5-80gb").unwrap(), &q, &mut Scratch::default()).unwrap();
    let v = serde_json::to_value(d).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"verdict": "license_required", "at_least": "license_required", "at_most": "license_required"})
    );
    assert_eq!(serde_json::from_value::<Decision>(v).unwrap(), d);
}

fn d_(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}
