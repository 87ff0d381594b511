//! Where the items ship from (`exported_from`) makes a transaction an export (from the United
//! States), a reexport (from one foreign country to another) or an in-country transfer (within
//! one foreign country): 15 CFR 734.14. Not stated, it is unknown, never presumed to be the US
//! (tester round 10, V5): a rule or licence exception keyed to the kind leaves the determination
//! `indeterminate`, naming `exported_from`; a review policy keyed to it gives way to the
//! stricter one, with a warning; a transaction no such rule reaches misses nothing.

use export_controls::diagnostic::SourceFile;
use export_controls::model::{Exporter, Party, Role, Screening, Transaction};
use export_controls::ruleset::ReviewPolicy;
use export_controls::{
    Catalog, CompiledPack, Determination, EvaluateError, FastQuery, MissingKinds, Options, Query, RuleSet, Scratch,
    Verdict,
};

fn shipped() -> (RuleSet, Catalog) {
    (RuleSet::shipped().unwrap(), Catalog::shipped().unwrap())
}

fn evaluate(rules: &RuleSet, catalog: &Catalog, product: &str, q: &Query) -> Determination {
    rules.evaluate(catalog.get(product).unwrap(), q, Options::default()).unwrap()
}

fn names_origin(s: &str) -> bool {
    s.contains("exported_from")
}

/// The end user of tester round 10's V5 case: a Chinese cloud company, screened against the
/// Entity List of the date, its owners known.
fn chinese_end_user(on: &str) -> Party {
    let mut p = Party::new(Role::EndUser);
    p.name = Some("Example Cloud (Beijing) Co., Ltd.".into());
    let cn = Some("CN".parse().unwrap());
    (p.country, p.headquarters, p.parent_headquarters) = (cn, cn, cn);
    p.owners_known = true;
    p.screened.push(Screening { list: "entity_list".into(), list_date: on.parse().unwrap(), by: None });
    p
}

fn policy_of(d: &Determination, id: &str) -> Option<ReviewPolicy> {
    d.requirements.iter().find(|r| r.id == id).and_then(|r| r.review_policy)
}

/// 742.6(b)(10)(iii)(A)(1) (91 FR 1684, effective 2026-01-15) gives case-by-case review to
/// exports from the United States to China of commodities below TPP 21,000 and 6,500 GB/s of
/// DRAM bandwidth, such as the H200; reexports and in-country transfers stay under presumption
/// of denial (742.6(b)(10), 88 FR 73458). Not stated where the H200 ships from, the stricter
/// policy is given, with a warning naming `exported_from`; the verdict is a licence either way.
#[test]
fn the_h200_case_by_case_review_needs_an_export_from_the_us() {
    let (rules, catalog) = shipped();
    let on = "2026-02-01";
    let q = Query::export_to("CN".parse().unwrap(), on.parse().unwrap())
        .with_parties(vec![chinese_end_user(on)])
        .with_exporter(Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() })
        .origin_not_stated();
    let unstated = evaluate(&rules, &catalog, "nvidia-h200-sxm-141gb", &q);
    let from_us = evaluate(&rules, &catalog, "nvidia-h200-sxm-141gb", &q.clone().exported_from("US".parse().unwrap()));
    let from_tw = evaluate(&rules, &catalog, "nvidia-h200-sxm-141gb", &q.clone().exported_from("TW".parse().unwrap()));
    for d in [&unstated, &from_us, &from_tw] {
        assert_eq!(d.verdict, Verdict::LicenseRequired);
    }
    for id in ["742.6(a)(6)(iii)", "742.6(a)(6)(iii)(A)"] {
        assert_eq!(policy_of(&from_us, id), Some(ReviewPolicy::CaseByCase), "{id} from the US");
        assert_eq!(policy_of(&from_tw, id), Some(ReviewPolicy::PresumptionOfDenial), "{id} from Taiwan");
        assert_eq!(policy_of(&unstated, id), Some(ReviewPolicy::PresumptionOfDenial), "{id}, origin not stated");
    }
    assert!(unstated.exported_from.is_none());
    let warned: Vec<&String> = unstated.warnings.iter().filter(|w| names_origin(w)).collect();
    assert_eq!(warned.len(), 1, "{:?}", unstated.warnings);
    assert!(warned[0].contains("742.6(b)(10)(iii)(A)(1)") && warned[0].contains("stricter"), "{}", warned[0]);
    // A review policy decides no verdict: nothing is missing.
    assert!(unstated.missing.is_empty(), "{:?}", unstated.missing);
    for d in [&from_us, &from_tw] {
        assert!(!d.warnings.iter().any(|w| names_origin(w)), "{:?}", d.warnings);
    }
}

/// An RTX 4090 (3A090.a) to China on 2024-06-01 needs a licence under 742.6(a)(6)(iii), which
/// License Exception NAC overcomes for an export or reexport (740.8 as amended by 89 FR 23876,
/// 2024-04-04) and ACA for an in-country transfer within China. Not stated where it ships from,
/// which exception (and which obligations: a notification for NAC) is unknown: `indeterminate`,
/// between an exception and a licence, missing `exported_from`.
#[test]
fn nac_or_aca_rests_on_where_the_items_ship_from() {
    let (rules, catalog) = shipped();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap()).origin_not_stated();
    let d = evaluate(&rules, &catalog, "nvidia-rtx-4090", &q);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing.len(), 1, "{:?}", d.missing);
    assert!(d.missing[0].starts_with("exported_from") && d.missing[0].contains("734.14"), "{:?}", d.missing);
    let exception = |d: &Determination| d.exceptions.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    let from = |c: &str| evaluate(&rules, &catalog, "nvidia-rtx-4090", &q.clone().exported_from(c.parse().unwrap()));
    let (us, sg, cn) = (from("US"), from("SG"), from("CN"));
    for (d, name) in [(&us, "NAC"), (&sg, "NAC"), (&cn, "ACA")] {
        assert_eq!(d.verdict, Verdict::LicenseException, "{name}");
        assert_eq!(exception(d), vec![name.to_string()]);
        assert!(d.missing.is_empty());
    }
    // The fast path agrees: the verdict, its bounds, and a fact written in words missing.
    let pack = CompiledPack::new(rules.clone());
    let mut scratch = Scratch::default();
    let mut fq = FastQuery::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    fq.exported_from = None;
    let decision = pack.decide(catalog.get("nvidia-rtx-4090").unwrap(), &fq, &mut scratch).unwrap();
    assert_eq!(
        (decision.verdict, decision.at_least, decision.at_most),
        (Verdict::Indeterminate, Verdict::LicenseException, Verdict::LicenseRequired)
    );
    assert_eq!(scratch.missing_kinds(&pack), MissingKinds::FACTS);
    let decision =
        pack.decide(catalog.get("nvidia-rtx-4090").unwrap(), &fq.exported_from("US".parse().unwrap()), &mut scratch);
    assert_eq!(decision.unwrap().verdict, Verdict::LicenseException);
    assert_eq!(scratch.missing_kinds(&pack), MissingKinds::NONE);
}

/// Where no rule keyed to the kind of transaction reaches the transaction, the origin decides
/// nothing and the determination misses nothing: the README's first command (the H20 to China
/// on 2024-06-01 is below every 3A090 band: no licence required), and the RTX 4090 to Germany
/// (3A090.a, but 742.6(a)(6)(iii) does not reach Country Group A:1 destinations).
#[test]
fn where_the_origin_decides_nothing_nothing_is_missing() {
    let (rules, catalog) = shipped();
    for (product, to, verdict) in
        [("nvidia-h20", "CN", Verdict::NoLicenseRequired), ("nvidia-rtx-4090", "DE", Verdict::NoLicenseRequired)]
    {
        let q = Query::export_to(to.parse().unwrap(), "2024-06-01".parse().unwrap());
        let unstated = evaluate(&rules, &catalog, product, &q.clone().origin_not_stated());
        let from_us = evaluate(&rules, &catalog, product, &q);
        assert_eq!((unstated.verdict, from_us.verdict), (verdict, verdict), "{product} to {to}");
        assert!(unstated.missing.is_empty(), "{product} to {to}: {:?}", unstated.missing);
        assert_eq!(unstated.warnings, from_us.warnings, "{product} to {to}");
        assert_eq!(unstated.exported_from, None);
        assert_eq!(from_us.exported_from.map(|c| c.code.to_string()).as_deref(), Some("US"));
        let text = unstated.explain(false);
        assert!(text.contains("from a country not stated to"), "{text}");
    }
}

/// A shipment into the United States is no export, reexport or in-country transfer (15 CFR
/// 734.14), from the US or from a country not stated: refused on both paths, as before.
#[test]
fn into_the_us_from_a_country_not_stated_is_no_export() {
    let (rules, catalog) = shipped();
    let q = Query::export_to("US".parse().unwrap(), "2024-06-01".parse().unwrap()).origin_not_stated();
    let e = rules.evaluate(catalog.get("nvidia-h20").unwrap(), &q, Options::default()).unwrap_err();
    assert!(matches!(e, EvaluateError::NotAnExport(_)), "{e}");
    let pack = CompiledPack::new(rules.clone());
    let mut fq = FastQuery::export_to("US".parse().unwrap(), "2024-06-01".parse().unwrap());
    fq.exported_from = None;
    assert!(matches!(
        pack.decide(catalog.get("nvidia-h20").unwrap(), &fq, &mut Scratch::default()),
        Err(EvaluateError::NotAnExport(_))
    ));
}

/// In a transaction file, `exported_from` left out (TOML or JSON) or `null` (JSON) is not
/// stated; given, it is kept; written back, an unstated origin is left out.
#[test]
fn transaction_files_leave_the_origin_unstated_unless_they_give_it() {
    let parse = |name: &str, text: &str| Transaction::parse(&SourceFile::new(name, text)).unwrap();
    let toml = parse("t.toml", "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2024-06-01\n");
    let json = parse("t.json", r#"{"product":"nvidia-h20","destination":"CN","date":"2024-06-01"}"#);
    let null =
        parse("t.json", r#"{"product":"nvidia-h20","destination":"CN","exported_from":null,"date":"2024-06-01"}"#);
    let us = parse("t.json", r#"{"product":"nvidia-h20","destination":"CN","exported_from":"US","date":"2024-06-01"}"#);
    let sg =
        parse("t.toml", "product = \"nvidia-h20\"\ndestination = \"CN\"\nexported_from = \"SG\"\ndate = 2024-06-01\n");
    assert_eq!((toml.exported_from, json.exported_from, null.exported_from), (None, None, None));
    assert_eq!(us.exported_from.map(|c| c.to_string()).as_deref(), Some("US"));
    assert_eq!(sg.exported_from.map(|c| c.to_string()).as_deref(), Some("SG"));
    assert_eq!(Query::of(&toml).exported_from, None);
    assert!(!serde_json::to_string(&toml).unwrap().contains("exported_from"));
    assert!(serde_json::to_string(&us).unwrap().contains(r#""exported_from":"US""#));
}
