//! A party headquartered in Iran (or another embargoed or D:5 country) but located elsewhere
//! (tester round 11), through `RuleSet::evaluate` and `CompiledPack::decide` alike
//! ([`common::determine_both`]).
//!
//! - 3A090 items: the headquarters rules name an entity "headquartered in, or with an ultimate
//!   parent headquartered in, Macau or a destination specified in Country Group D:5" wherever
//!   located: 15 CFR 744.23(a)(3) (88 FR 73458, 2023-10-25) and, from 2025-01-13,
//!   742.6(a)(6)(iii)(A) (90 FR 4544). Iran, North Korea, Syria and Cuba are in D:5 (Supp. No. 1
//!   to part 740; 746.1(b) arms embargoes). Each party that such a rule names (purchaser,
//!   intermediate and ultimate consignee, end user) is reached.
//! - Other items (an RTX 4080, below every 3A090 band): the headquarters rules do not reach
//!   them, but the embargoes do not end at the border: 31 CFR 560.204 prohibits the supply of
//!   goods "directly or indirectly" to Iran, and 31 CFR 515.302(a)(2) makes an organization
//!   "having its principal place of business in Cuba" a national of Cuba wherever it acts. A
//!   party stated headquartered in Iran, North Korea, Syria or Cuba is left open, the embargo
//!   named, never cleared; one headquartered in China (no embargo of part 746) is cleared.

mod common;

use common::{attested, determine_both, ordinary_query, requirement_ids};
use export_controls::model::{Party, Role};
use export_controls::{Catalog, CompiledPack, Determination, RuleSet, Verdict};

fn determine(product: &str, on: &str, parties: Vec<Party>) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = ordinary_query("SG", on, parties);
    determine_both(&rules, &CompiledPack::new(rules.clone()), catalog.get(product).unwrap(), &q)
}

/// A Singapore end user, headquartered there.
fn singapore_end_user(on: &str) -> Party {
    attested(Role::EndUser, "Example Integration Pte. Ltd.", "SG", on)
}

/// A party of `role` located in Singapore, headquartered in `hq` (its ultimate parent stated
/// in Singapore: the party's own headquarters alone decides).
fn headquartered(role: Role, hq: &str, on: &str) -> Party {
    let mut p = attested(role, "Example Trading Co.", "SG", on);
    p.headquarters = Some(hq.parse().unwrap());
    p
}

/// An H100 SXM5 (3A090.a) to Singapore (A:6, no destination requirement): a licence under the
/// headquarters rule in force, for an Iran-headquartered party of every role it names.
#[test]
fn the_headquarters_rules_reach_a_party_headquartered_in_iran_located_elsewhere() {
    for (on, rule) in [("2024-06-01", "744.23(a)(3)"), ("2025-06-01", "742.6(a)(6)(iii)(A)")] {
        let d = determine("nvidia-h100-sxm5-80gb", on, vec![singapore_end_user(on)]);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{on}: {:?}", d.missing);
        for role in [Role::Purchaser, Role::IntermediateConsignee, Role::UltimateConsignee, Role::EndUser] {
            let mut parties = vec![headquartered(role, "IR", on)];
            if role != Role::EndUser {
                parties.push(singapore_end_user(on));
            }
            let d = determine("nvidia-h100-sxm5-80gb", on, parties);
            assert_eq!(d.verdict, Verdict::LicenseRequired, "{on} {role:?}: {:?}", d.missing);
            assert!(requirement_ids(&d).contains(&rule), "{on} {role:?}: {:?}", requirement_ids(&d));
        }
    }
}

/// An RTX 4080 for a party located in Singapore and headquartered in an embargoed country:
/// open, the headquarters and the embargo named; headquartered in China: cleared.
#[test]
fn a_party_headquartered_in_an_embargoed_country_leaves_the_sale_open() {
    let on = "2025-06-01";
    for (hq, rule) in [("IR", "746.7"), ("KP", "746.4"), ("SY", "746.9"), ("CU", "746.2")] {
        for role in [Role::Purchaser, Role::EndUser] {
            let mut parties = vec![headquartered(role, hq, on)];
            if role != Role::EndUser {
                parties.push(singapore_end_user(on));
            }
            let d = determine("nvidia-rtx-4080", on, parties);
            assert_eq!(d.verdict, Verdict::Indeterminate, "{hq} {role:?}: {:?}", d.requirements);
            let expected = format!(
                "\"Example Trading Co.\": whether the items are sold or supplied, directly or indirectly, to {hq}, where it is headquartered ({rule} requires a licence for {hq}"
            );
            assert!(d.missing.iter().any(|m| m.contains(&expected)), "{hq} {role:?}: {:?}", d.missing);
        }
    }
    let d = determine("nvidia-rtx-4080", on, vec![headquartered(Role::EndUser, "CN", on)]);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}
