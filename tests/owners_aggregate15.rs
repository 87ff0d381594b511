//! Tester15: `owners_known = true` beside owners whose shares leave a rest unaccounted, where a
//! listed owner is given. The Affiliates rule (15 CFR 744.11(a)(1) and Supp. No. 8 to part 744,
//! 90 FR 47201, in force 2025-09-29 until the stay of 90 FR 50857 from 2025-11-10) reaches an
//! entity owned 50 % or more "individually or in the aggregate" by listed entities. Round 14's
//! F3 left a rest of 50 % or more open (an owner not given may hold it by itself); a smaller
//! rest was taken as held by no listed entity even where, held by one, it reaches 50 % with the
//! listed owners given: Huawei's 30 % beside a clean 30 %, 40 % unaccounted, was NO LICENCE
//! REQUIRED for an H100 to Malaysia on 2025-10-01. The rest is now open wherever it can decide
//! the rule, on both paths, and taken as stated where it cannot (no listed owner given, or
//! the listed ones too small to reach 50 % with it).

use export_controls::Verdict::{Indeterminate, LicenseRequired, NoLicenseRequired};
use export_controls::model::{Exporter, Owner, Party, Registration, Role, Screening};
use export_controls::{Catalog, CompiledPack, Determination, FastQuery, Options, Query, RuleSet, Scratch};

const ON: &str = "2025-10-01";

fn screening() -> Vec<Screening> {
    vec![Screening { list: "entity_list".into(), list_date: ON.parse().unwrap(), by: Some("test".into()) }]
}

/// Huawei Technologies, on the pack's Entity List, holding `pct` percent.
fn huawei(pct: u32) -> Owner {
    Owner {
        name: "Huawei Technologies Co., Ltd.".into(),
        percent: Some(pct.into()),
        list_entries: vec!["EL:huawei-technologies".into()],
        identified: true,
        owners_known: true,
        ..Default::default()
    }
}

/// An identified owner, screened and not listed, with its own ownership determined.
fn clean(name: &str, number: &str, pct: u32) -> Owner {
    Owner {
        name: name.into(),
        percent: Some(pct.into()),
        registration: Some(Registration { country: "MY".parse().unwrap(), number: number.into() }),
        screened: screening(),
        owners_known: true,
        ..Default::default()
    }
}

fn end_user(owners: Vec<Owner>) -> Party {
    let mut p = Party::new(Role::EndUser);
    p.name = Some("Example Compute Sdn Bhd".into());
    p.country = Some("MY".parse().unwrap());
    p.headquarters = p.country;
    p.parent_headquarters = p.country;
    p.owners_known = true;
    p.screened = screening();
    p.owners = owners;
    p
}

/// The H100 SXM5 to Malaysia on `on`, exported from the US by an exporter that is not a
/// front-end fabricator or OSAT, decided by `evaluate` and `decide`, which must agree.
fn decide_both(party: Party, on: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let exporter = Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let q = Query::export_to("MY".parse().unwrap(), on.parse().unwrap())
        .exported_from("US".parse().unwrap())
        .with_exporter(exporter)
        .with_parties(vec![party]);
    let d = rules.evaluate(h100, &q, Options { trace: true }).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(h100, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate disagree: {:?}", d.missing);
    d
}

fn names_rest(d: &Determination, rest: u32) -> bool {
    let prefix = format!("end user \"Example Compute Sdn Bhd\": owners of the other {rest}% (`owners_known = true`");
    d.missing.iter().any(|m| m.starts_with(&prefix) && m.contains("in the aggregate"))
}

#[test]
fn a_rest_that_reaches_50_percent_with_a_listed_owner_given_is_open() {
    // Huawei 30 % + clean 30 %, 40 % unaccounted: 30 + 40 = 70 >= 50.
    let d = decide_both(end_user(vec![huawei(30), clean("Beta Holdings Sdn Bhd", "201901012345", 30)]), ON);
    assert_eq!(d.verdict, Indeterminate, "{:?}", d.missing);
    assert!(names_rest(&d, 40), "{:?}", d.missing);
    // Huawei 49 % + clean 2 %, 49 % unaccounted: 49 + 49 >= 50.
    let d = decide_both(end_user(vec![huawei(49), clean("Beta Holdings Sdn Bhd", "201901012345", 2)]), ON);
    assert_eq!(d.verdict, Indeterminate, "{:?}", d.missing);
    assert!(names_rest(&d, 49), "{:?}", d.missing);
}

#[test]
fn a_rest_that_cannot_reach_50_percent_is_taken_as_stated() {
    // No listed owner given: a rest of 40 % cannot reach 50 % by itself.
    let owners =
        vec![clean("Gamma Holdings Sdn Bhd", "201901054321", 30), clean("Beta Holdings Sdn Bhd", "201901012345", 30)];
    let d = decide_both(end_user(owners), ON);
    assert_eq!(d.verdict, NoLicenseRequired, "{:?}", d.missing);
    // Huawei 10 % + clean 50 %, 40 % unaccounted: 10 + 40 = 50 reaches it; Huawei 5 % + clean
    // 55 %, 40 % unaccounted: 5 + 40 = 45 does not.
    let d = decide_both(end_user(vec![huawei(10), clean("Beta Holdings Sdn Bhd", "201901012345", 50)]), ON);
    assert_eq!(d.verdict, Indeterminate, "{:?}", d.missing);
    let d = decide_both(end_user(vec![huawei(5), clean("Beta Holdings Sdn Bhd", "201901012345", 55)]), ON);
    assert_eq!(d.verdict, NoLicenseRequired, "{:?}", d.missing);
    // Every owner given: nothing is left open.
    let owners = vec![
        huawei(30),
        clean("Beta Holdings Sdn Bhd", "201901012345", 30),
        clean("Gamma Holdings Sdn Bhd", "201901054321", 40),
    ];
    let d = decide_both(end_user(owners), ON);
    assert_eq!(d.verdict, NoLicenseRequired, "{:?}", d.missing);
    // Listed owners holding 50 % given: the licence is required whatever the rest.
    let d = decide_both(end_user(vec![huawei(50), clean("Beta Holdings Sdn Bhd", "201901012345", 10)]), ON);
    assert_eq!(d.verdict, LicenseRequired, "{:?}", d.missing);
    // While the rule is stayed (90 FR 50857, from 2025-11-10) the shares decide nothing.
    let mut p = end_user(vec![huawei(30), clean("Beta Holdings Sdn Bhd", "201901012345", 30)]);
    p.screened[0].list_date = "2025-11-15".parse().unwrap();
    p.owners[1].screened[0].list_date = "2025-11-15".parse().unwrap();
    let d = decide_both(p, "2025-11-15");
    assert_eq!(d.verdict, NoLicenseRequired, "{:?}", d.missing);
}

#[test]
fn an_owners_rest_that_reaches_50_percent_with_its_listed_owner_is_open() {
    // The end user is held 60 % by a holding (so the holding counts whole if listed entities
    // hold 50 % or more of it) and 40 % by a clean owner. The holding states owners_known with
    // Huawei's 30 % and a clean 30 % given, 40 % of it unaccounted: listed, that 40 % takes
    // Huawei's share of the holding to 70 %, the holding is reached and with it the end user.
    let mut holding = clean("Delta Holdings Sdn Bhd", "201901099999", 60);
    holding.owners = vec![huawei(30), clean("Beta Holdings Sdn Bhd", "201901012345", 30)];
    let d = decide_both(end_user(vec![holding.clone(), clean("Gamma Holdings Sdn Bhd", "201901054321", 40)]), ON);
    assert_eq!(d.verdict, Indeterminate, "{:?}", d.missing);
    assert!(
        d.missing
            .iter()
            .any(|m| m.contains("\"Delta Holdings Sdn Bhd\": owners of the other 40% (`owners_known = true`")
                && m.contains("in the aggregate")),
        "{:?}",
        d.missing
    );
    // The holding's owners all given: cleared.
    holding.owners.push(clean("Gamma Holdings Sdn Bhd", "201901054321", 40));
    let d = decide_both(end_user(vec![holding, clean("Epsilon Holdings Sdn Bhd", "201901011111", 40)]), ON);
    assert_eq!(d.verdict, NoLicenseRequired, "{:?}", d.missing);
}
