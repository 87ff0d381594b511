//! An owner stated without its registration country (tester round 11): not a harmless owner.
//! The headquarters rule (15 CFR 742.6(a)(6)(iii)(A), 90 FR 4544, effective 2025-01-13) names an
//! entity "whose ultimate parent is headquartered in" Macau or D:5. A Malaysian end user stated
//! `parent_headquarters = "MY"` whose owner of 50 % or more, at the top of the stated chain, is
//! given without a registration country may be controlled from China: the ultimate parent's
//! headquarters is open, the owner named; never cleared on the stated parent alone. An owner
//! the exporter identified (`identified = true`) by a name with no company form (`Tan Ah Kow`)
//! is read as a natural person, who has no headquarters. Checked on both paths
//! ([`common::determine_both`]).

mod common;

use common::{attested, determine_both, ordinary_query, requirement_ids};
use export_controls::model::{Owner, Party, Registration, Role, Screening};
use export_controls::{Catalog, CompiledPack, Determination, RuleSet, Verdict};
use rust_decimal::Decimal;

const ON: &str = "2025-06-01";

fn determine(parties: Vec<Party>) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = ordinary_query("MY", ON, parties);
    determine_both(&rules, &CompiledPack::new(rules.clone()), catalog.get("nvidia-h100-sxm5-80gb").unwrap(), &q)
}

/// An owner named `name` holding `percent`, screened and identified (`identified = true`),
/// registered in `registered` when given.
fn named(name: &str, percent: i64, registered: Option<&str>) -> Owner {
    Owner {
        name: name.into(),
        percent: Some(Decimal::from(percent)),
        screened: vec![Screening { list: "entity_list".into(), list_date: ON.parse().unwrap(), by: None }],
        owners_known: true,
        identified: registered.is_none(),
        registration: registered.map(|c| Registration { country: c.parse().unwrap(), number: "EXAMPLE-1".into() }),
        ..Owner::default()
    }
}

/// A company owner (`Ltd.`, a company form) holding `percent`.
fn owner(percent: i64, registered: Option<&str>) -> Owner {
    named("Example Holdings Ltd.", percent, registered)
}

fn end_user(owners: Vec<Owner>) -> Party {
    let mut p = attested(Role::EndUser, "Example Compute Sdn. Bhd.", "MY", ON);
    p.owners = owners;
    p
}

#[test]
fn a_controlling_owner_without_registration_country_leaves_the_parent_open() {
    for percent in [100, 50] {
        let d = determine(vec![end_user(vec![owner(percent, None)])]);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{percent} %: {:?}", d.requirements);
        assert!(
            d.missing.iter().any(|m| m
                .contains("parent_headquarters (stated MY, but its owner \"Example Holdings Ltd.\", holding")
                && m.contains("is stated without its registration country")),
            "{percent} %: {:?}",
            d.missing
        );
        assert!(requirement_ids(&d).contains(&"742.6(a)(6)(iii)(A)"), "{:?}", requirement_ids(&d));
    }
    // Not identified either (no registration, no `identified`): open too.
    let mut unidentified = owner(100, None);
    unidentified.identified = false;
    let d = determine(vec![end_user(vec![unidentified])]);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.requirements);
    // Registered in Malaysia, as the parent stated: no licence. A minority owner without its
    // country controls nothing; a natural person the exporter identified (a name with no
    // company form) has no headquarters: no licence either.
    for o in [owner(100, Some("MY")), owner(40, None), named("Tan Ah Kow", 100, None)] {
        let d = determine(vec![end_user(vec![o])]);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    }
}
