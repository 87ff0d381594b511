//! The fast path (`CompiledPack::decide`) gives the verdict, paragraphs and requirements of the
//! full evaluator (`RuleSet::evaluate`) on: every hand-worked rule-test case (parties,
//! exporters, dates across every regime), the catalog × every ISO country, every date on which
//! a rule, group membership or equivalence changes (and the day before), and catalog products
//! with each attribute removed in turn.

use std::path::Path;

use export_controls::model::Country;
use export_controls::rule_tests::{parse_test_files, read_test_dir, split_sheets};
use export_controls::{
    Catalog, ClassifiedProduct, CompiledPack, Date, FastQuery, MissingKinds, Options, PreparedProduct, Product, Query,
    RuleSet, Scratch, Verdict,
};

/// The agreement check shared with the fuzz target and tests/pack_agreement.rs.
#[allow(dead_code)]
mod agreement {
    include!("../fuzz/src/agreement.rs");
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Asserts that both paths agree on one product and query; returns the verdict.
fn agree(pack: &CompiledPack, scratch: &mut Scratch, product: &PreparedProduct, q: &Query) -> Option<Verdict> {
    agree_classified(pack, scratch, product, None, q)
}

/// As [`agree`], and `decide_classified` on `classified` (the same product classified once)
/// gives the same decision as `decide`.
fn agree_classified(
    pack: &CompiledPack,
    scratch: &mut Scratch,
    product: &PreparedProduct,
    classified: Option<&ClassifiedProduct>,
    q: &Query,
) -> Option<Verdict> {
    let full = pack.rules().evaluate(product, q, Options::default());
    let parties = pack.prepare_parties(&q.parties);
    let fq = FastQuery::of(q, &parties);
    let fast = pack.decide(product, &fq, scratch);
    if let Some(c) = classified {
        let paragraphs: Vec<String> = scratch.paragraphs(pack).map(String::from).collect();
        let kinds = scratch.missing_kinds(pack);
        assert_eq!(pack.decide_classified(c, &fq, scratch), fast, "decide_classified");
        assert!(scratch.paragraphs(pack).eq(paragraphs.iter().map(String::as_str)), "classified paragraphs");
        // A product tested as itself: `decide` reads the kinds its classification left from the
        // classification made (the no-op notes), `classify_product` kept them rule by rule
        // (the kinds' notes); the same kinds. (A computer's differ where a unit decided a
        // condition another left unknown: see `Scratch::missing_kinds`.)
        let reading = pack.rules().pack().aggregation.separate_packages;
        if product.tested_as(reading).all(|p| std::ptr::eq(p, product)) {
            assert_eq!(scratch.missing_kinds(pack), kinds, "classified missing kinds: {}", product.product().id);
        }
    }
    let ctx = || {
        format!(
            "{} to {} from {} on {} with {} parties",
            product.product().id,
            q.destination,
            q.exported_from.map_or_else(|| "(not stated)".to_string(), |c| c.to_string()),
            q.date,
            q.parties.len()
        )
    };
    match (full, fast) {
        (Ok(d), Ok(f)) => {
            assert_eq!(f.verdict, d.verdict, "verdict: {}", ctx());
            let mut paragraphs: Vec<&str> = scratch.paragraphs(pack).collect();
            paragraphs.sort();
            assert_eq!(paragraphs, d.paragraphs, "paragraphs: {}", ctx());
            let undetermined: Vec<&str> = scratch.undetermined_paragraphs(pack).collect();
            assert_eq!(undetermined, d.undetermined_paragraphs, "undetermined paragraphs: {}", ctx());
            // The typed read-out names the same paragraphs, in the same order.
            let named = |i: usize| pack.paragraph_id(i).unwrap_or_else(|| panic!("paragraph {i}: {}", ctx()));
            assert!(scratch.paragraph_numbers(pack).map(named).eq(scratch.paragraphs(pack)), "numbers: {}", ctx());
            assert!(scratch.undetermined_paragraph_numbers(pack).map(named).eq(undetermined), "{}", ctx());
            let reqs: Vec<&str> = scratch.requirements(pack).map(|(id, _)| id).collect();
            let full_reqs: Vec<&str> = d.requirements.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(reqs, full_reqs, "requirements: {}", ctx());
            let mut exceptions: Vec<(String, _)> =
                scratch.exceptions(pack).map(|(id, t)| (id.to_string(), t)).collect();
            exceptions.sort_by(|a, b| a.0.cmp(&b.0));
            agreement::check_exceptions(&d, &exceptions).unwrap_or_else(|e| panic!("{e}: {}", ctx()));
            agreement::check_missing(&d, scratch.missing_kinds(pack)).unwrap_or_else(|e| panic!("{e}: {}", ctx()));
            if f.verdict != Verdict::Indeterminate {
                assert_eq!((f.at_least, f.at_most), (f.verdict, f.verdict), "range: {}", ctx());
            } else {
                assert!(f.at_least < f.at_most, "range: {}", ctx());
            }
            Some(d.verdict)
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "error: {}", ctx());
            None
        }
        (a, b) => panic!("{}: full {a:?}, fast {b:?}", ctx()),
    }
}

fn shipped() -> (CompiledPack, Catalog) {
    let rules = RuleSet::load_dir(&root().join("rules/us-ear")).unwrap_or_else(|e| panic!("{e}"));
    let catalog = Catalog::load_dir(&root().join("rules/products")).unwrap_or_else(|e| panic!("{e}"));
    (CompiledPack::new(rules), catalog)
}

/// Every date on which something in the pack changes, and the day before.
fn change_dates(rules: &RuleSet) -> Vec<Date> {
    let mut dates = vec![rules.pack().coverage_from];
    let metas = rules
        .classifications()
        .iter()
        .map(|r| &r.meta)
        .chain(rules.exclusions().iter().map(|r| &r.meta))
        .chain(rules.requirements().iter().map(|r| &r.meta))
        .chain(rules.exceptions().iter().map(|r| &r.meta));
    for m in metas {
        dates.push(m.period.from);
        dates.extend(m.period.until);
        dates.extend(m.confirmed_until.and_then(Date::next_day));
        dates.extend(m.confirmed_from);
    }
    for g in rules.groups().groups.values() {
        for (_, p, _) in &g.dated {
            dates.push(p.from);
            dates.extend(p.until);
        }
    }
    for t in &rules.groups().treated_as {
        dates.push(t.period.from);
        dates.extend(t.period.until);
    }
    let before: Vec<Date> = dates.iter().filter_map(|d| d.prev_day()).collect();
    dates.extend(before);
    dates.retain(|d| rules.covers(*d));
    dates.sort();
    dates.dedup();
    dates
}

#[test]
fn every_rule_test_case_gets_the_same_verdict() {
    let (pack, catalog) = shipped();
    let files = read_test_dir(&root().join("rules/us-ear/tests")).unwrap();
    let (files, sheets) = split_sheets(files);
    let catalog = catalog.with_sheets(&sheets).unwrap_or_else(|e| panic!("{e}"));
    let cases = parse_test_files(&files, &catalog, pack.rules()).unwrap_or_else(|e| panic!("{e}"));
    let mut scratch = Scratch::default();
    let mut verdicts = std::collections::BTreeSet::new();
    for case in &cases {
        let product = catalog.get(&case.product).unwrap();
        let classified = pack.classify_product(product.clone());
        verdicts.extend(agree_classified(&pack, &mut scratch, product, Some(&classified), &case.query));
    }
    // The cases reach every verdict, so agreement is not agreement on one answer.
    assert_eq!(verdicts.len(), 4, "{verdicts:?}");
    assert!(cases.len() >= 200);
}

#[test]
fn catalog_by_every_country_on_every_change_date() {
    let (pack, catalog) = shipped();
    let mut scratch = Scratch::default();
    let dates = change_dates(pack.rules());
    assert!(dates.len() > 20, "{}", dates.len());
    let countries = Country::all();
    let key: Vec<Country> = ["CN", "HK", "MO", "RU", "IR", "AE", "SA", "IN", "FR", "MY", "VN", "KP", "CU", "IL"]
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    for product in catalog.iter() {
        let classified = pack.classify_product(product.clone());
        let c = Some(&classified);
        // Every country on a few dates in different regimes, every change date for key ones.
        for on in ["2022-10-07", "2023-11-17", "2024-12-02", "2025-02-01", "2026-01-15"] {
            for &to in &countries {
                agree_classified(&pack, &mut scratch, product, c, &Query::export_to(to, on.parse().unwrap()));
            }
        }
        for &on in &dates {
            for &to in &key {
                agree_classified(&pack, &mut scratch, product, c, &Query::export_to(to, on));
            }
        }
    }
    // Reexports and in-country transfers.
    let sg: Country = "SG".parse().unwrap();
    for product in catalog.iter() {
        for &to in &key {
            agree(&pack, &mut scratch, product, &Query::export_to(to, "2025-03-01".parse().unwrap()).exported_from(sg));
        }
        agree(&pack, &mut scratch, product, &Query::export_to(sg, "2025-03-01".parse().unwrap()).exported_from(sg));
    }
}

fn without(p: &Product, what: usize) -> Option<Product> {
    let mut p = p.clone();
    match what {
        0 => p.designed_or_marketed_for_datacenter.take().map(|_| ())?,
        1 => p.interconnect_bandwidth_gbps.take().map(|_| ())?,
        2 => p.memory.take().map(|_| ())?,
        3 => p.commercially_available_in_us.take().map(|_| ())?,
        4 => p.transistors.take().map(|_| ())?,
        5 => {
            if p.logic_dies.is_empty() {
                return None;
            }
            p.logic_dies.clear();
        }
        _ => {
            if p.processing_units.is_empty() {
                return None;
            }
            p.processing_units.clear();
        }
    }
    Some(p)
}

#[test]
fn products_with_an_attribute_missing_get_the_same_verdict() {
    let (pack, catalog) = shipped();
    let mut scratch = Scratch::default();
    let mut indeterminate = 0;
    for product in catalog.iter() {
        for what in 0..7 {
            let Some(p) = without(product.product(), what) else { continue };
            let p = PreparedProduct::new(p);
            let classified = pack.classify_product(p.clone());
            for to in ["CN", "MO", "AE", "FR", "RU"] {
                for on in ["2023-06-01", "2024-06-01", "2025-06-01"] {
                    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
                    if agree_classified(&pack, &mut scratch, &p, Some(&classified), &q) == Some(Verdict::Indeterminate)
                    {
                        indeterminate += 1;
                    }
                }
            }
        }
    }
    assert!(indeterminate > 0, "some removal must leave the verdict open");
}

#[test]
fn parties_prepared_for_another_pack_are_screened_again() {
    let (pack, catalog) = shipped();
    let other = CompiledPack::new(pack.rules().clone());
    let path = "examples/transactions/h20-alibaba-2025.toml";
    let src = export_controls::ruleset::SourceFile::new(path, std::fs::read_to_string(root().join(path)).unwrap());
    let t = export_controls::model::Transaction::parse(&src).unwrap();
    let product = catalog.get(&t.product).unwrap();
    let q = Query::of(&t);
    let parties = other.prepare_parties(&q.parties);
    let fq = FastQuery::of(&q, &parties);
    let full = pack.rules().evaluate(product, &q, Options::default()).unwrap();
    let fast = pack.decide(product, &fq, &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, full.verdict);
    assert_eq!(full.verdict, Verdict::LicenseRequired);
}

#[test]
fn after_an_error_or_for_another_pack_the_scratch_reports_nothing() {
    let (pack, catalog) = shipped();
    let other = CompiledPack::new(pack.rules().clone());
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let mut s = Scratch::default();
    let us: Country = "US".parse().unwrap();
    let ok = FastQuery::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    pack.decide(h100, &ok, &mut s).unwrap();
    assert_eq!(s.paragraphs(&pack).collect::<Vec<_>>(), ["3A090.a.1", "3A090.a.2"]);
    assert_eq!(s.paragraphs(&other).count(), 0, "another pack did not make this decision");
    // By number: the H100 (TPP 15,831 from its rates, performance density 19.45) meets 3A090.a.1 (TPP 4800 or
    // more) and 3A090.a.2 (TPP 1600 or more, density 5.92 or more), 88 FR 73458.
    let numbers: Vec<usize> = s.paragraph_numbers(&pack).collect();
    let ids: Vec<Option<&str>> = numbers.iter().map(|&i| pack.paragraph_id(i)).collect();
    assert_eq!(ids, [Some("3A090.a.1"), Some("3A090.a.2")]);
    assert!(numbers.iter().all(|&i| i < pack.paragraph_count()));
    assert_eq!(pack.paragraph_id(pack.paragraph_count()), None);
    assert_eq!(s.paragraph_numbers(&other).count(), 0);
    assert_eq!(s.undetermined_paragraph_numbers(&other).count(), 0);
    assert_eq!(s.requirements(&other).count(), 0);
    assert_eq!(s.exceptions(&other).count(), 0);
    assert_eq!(s.missing_kinds(&other), MissingKinds::NONE);
    let before = FastQuery::export_to("CN".parse().unwrap(), "2021-06-01".parse().unwrap());
    assert!(pack.decide(h100, &before, &mut s).is_err());
    assert_eq!(s.paragraphs(&pack).count(), 0);
    assert_eq!(s.paragraph_numbers(&pack).count(), 0);
    assert_eq!(s.requirements(&pack).count(), 0);
    assert_eq!(s.exceptions(&pack).count(), 0);
    assert_eq!(s.missing_kinds(&pack), MissingKinds::NONE);
    let classified = pack.classify_product(h100.clone());
    pack.decide(h100, &ok, &mut s).unwrap();
    assert!(pack.decide_classified(&classified, &FastQuery::export_to(us, ok.date), &mut s).is_err());
    assert_eq!(s.paragraphs(&pack).count(), 0);
}

/// The exceptions read-out, one rule at a time: an RTX 4090 (non-datacenter 3A090.a.1, TPP
/// 5,284.8) to China on 2024-06-01 for an end user located and headquartered in China, screened
/// against the Entity List that day: 742.6(a)(6)(iii) (destination in D:5) and 744.23(a)(3)
/// (headquarters in D:5) apply, and License Exception NAC (15 CFR 740.8, from 2024-04-04)
/// overcomes both, on two grounds (two rules of the pack). Nothing is missing. Without the end
/// user's headquarters, where it is headquartered is a fact written in words that is missing
/// (`end user "…": headquarters`).
#[test]
fn the_exceptions_and_missing_kinds_are_read_out() {
    use export_controls::model::{Exporter, Party, Role, Screening};
    let (pack, catalog) = shipped();
    let rtx = catalog.get("nvidia-rtx-4090").unwrap();
    let mut eu = Party::new(Role::EndUser);
    eu.name = Some("Example Gaming Cafe Chain Co., Ltd.".into());
    for c in [&mut eu.country, &mut eu.headquarters, &mut eu.parent_headquarters] {
        *c = Some("CN".parse().unwrap());
    }
    eu.owners_known = true;
    let mut screening = Screening::parse_short("entity_list@2024-06-01").unwrap();
    screening.by = Some("fast path test".into());
    eu.screened = vec![screening];
    let mut q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    q.exporter = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    q.parties = vec![eu];
    let parties = pack.prepare_parties(&q.parties);
    let mut s = Scratch::default();
    let d = pack.decide(rtx, &FastQuery::of(&q, &parties), &mut s).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseException);
    use export_controls::ruleset::condition::Truth;
    let exceptions: Vec<(&str, Truth)> = s.exceptions(&pack).collect();
    assert_eq!(exceptions, [("740.8/NAC", Truth::True), ("740.8/NAC (headquarters)", Truth::True)]);
    assert_eq!(s.missing_kinds(&pack), MissingKinds::NONE);
    assert_eq!(agree(&pack, &mut s, rtx, &q), Some(Verdict::LicenseException));
    // Its headquarters unknown.
    q.parties[0].headquarters = None;
    q.parties[0].parent_headquarters = None;
    let parties = pack.prepare_parties(&q.parties);
    let d = pack.decide(rtx, &FastQuery::of(&q, &parties), &mut s).unwrap();
    assert_eq!(d.at_least, Verdict::LicenseException, "742.6(a)(6)(iii) applies, NAC overcomes it");
    // Whether the end user is headquartered in D:5 is unknown: 744.23(a)(3) and NAC on its
    // headquarters ground are only possible, and the facts missing are the end user's.
    let exceptions: Vec<(&str, Truth)> = s.exceptions(&pack).collect();
    assert_eq!(exceptions, [("740.8/NAC", Truth::True), ("740.8/NAC (headquarters)", Truth::Unknown)]);
    let requirements: Vec<(&str, Truth)> = s.requirements(&pack).collect();
    assert_eq!(requirements, [("742.6(a)(6)(iii)", Truth::True), ("744.23(a)(3)", Truth::Unknown)]);
    assert_eq!(s.missing_kinds(&pack), MissingKinds::FACTS);
    assert!(agree(&pack, &mut s, rtx, &q).is_some());
}
