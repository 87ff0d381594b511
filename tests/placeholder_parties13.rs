//! Tester round 13, F4: the H100 to Germany on 2024-06-01 with an end user whose name is a
//! generic noun or test word was cleared once an Entity List screening was attested. A
//! screening of "Placeholder" screens nobody (15 CFR 744.11 reaches a party by its name; 15 CFR
//! 748.5(e) defines the end user as a person): indeterminate, naming the name for screening.
//! A real name is cleared as before (H100 to DE: no licence, DE is in A:5, 742.6(a)(6)(iii)).

use export_controls::model::{Party, Role, Screening};
use export_controls::{Catalog, CompiledPack, FastQuery, Options, Query, RuleSet, Scratch, Verdict};

fn decide(name: &str) -> export_controls::Determination {
    let mut p = Party::new(Role::EndUser);
    p.name = Some(name.into());
    p.country = Some("DE".parse().unwrap());
    p.headquarters = p.country;
    p.parent_headquarters = p.country;
    p.screened.push(Screening::parse_short("entity_list@2024-06-01").unwrap());
    let ordinary = export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let mut q = Query::export_to("DE".parse().unwrap(), "2024-06-01".parse().unwrap()).with_exporter(ordinary);
    q.parties = vec![p];
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let d = rules.evaluate(h100, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(h100, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "fast path for {name}");
    d
}

#[test]
fn generic_party_names_are_not_cleared() {
    for name in [
        "Customer 1",
        "Client 2",
        "Company X",
        "ABC Company",
        "Test",
        "Test Customer",
        "Dummy",
        "Placeholder",
        "Individual",
        "Person",
    ] {
        let d = decide(name);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
        assert!(d.missing.iter().any(|m| m.contains("name")), "{name}: {:?}", d.missing);
    }
}

#[test]
fn real_names_are_still_cleared() {
    for name in ["Person Industries GmbH", "Example AS", "X Corp."] {
        assert_eq!(decide(name).verdict, Verdict::NoLicenseRequired, "{name}");
    }
}
