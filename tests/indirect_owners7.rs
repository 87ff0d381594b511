//! Owners' owners (tester round 7, branch `tester7`, tester7/FINDINGS.md T1, T6). The
//! Affiliates rule (90 FR 47201; 15 CFR 744.11(a)(1), in force from 2025-09-29 to the stay of
//! 2025-11-10, 90 FR 50857) reaches an entity owned "50 percent or more ... directly or
//! indirectly, individually or in aggregate" by Entity List parties; a holding so owned counts
//! whole (rules/us-ear/NOTES.md §9). An H100 to Malaysia on 2025-10-15, through
//! `RuleSet::evaluate` and `CompiledPack::decide` alike.
//!
//! - T1: shares of 21 to 23 decimal places were cut to 20 before they were added, so an exact
//!   50 % read 49.99…: `indeterminate` naming nothing. They are now added exactly.
//! - T6: the screening warnings about an owner's owner named it the party's own owner.

mod common;

use common::{attested, determine_catalog, ordinary_query, owned_by, requirement_ids as ids, screened_owner};
use export_controls::model::{Owner, Role, Screening};
use export_controls::{Determination, Verdict};

const ON: &str = "2025-10-15";
const AFFILIATES: &str = "744.11(a)(1)/affiliates";
/// The licence requirements of a holding at the top of the chain given without its
/// registration country (tester round 11, tests/owners12.rs): it may be the ultimate parent,
/// headquartered anywhere, so the headquarters rule (742.6(a)(6)(iii)(A)) and the H20 letter's
/// headquarters branch may apply beside the Affiliates rule.
const WITH_HEADQUARTERS_OPEN: [&str; 3] = ["742.6(a)(6)(iii)(A)", AFFILIATES, "is-informed/H20 (headquarters)"];
const HUAWEI: &str = "Huawei Technologies Co., Ltd.";
const SMIC: &str = "Semiconductor Manufacturing International Corporation";
const SUGON: &str = "Sugon";

fn screened(on: &str, by: &str) -> Screening {
    Screening { list: "entity_list".into(), list_date: on.parse().unwrap(), by: Some(by.into()) }
}

/// An owner holding `percent` (exactly as written), attested screened on `ON`, identified
/// (tester round 9, U3: a name alone identifies nobody).
fn owner(name: &str, percent: &str, owners: Vec<Owner>) -> Owner {
    Owner { identified: true, ..screened_owner(name, percent, ON, owners) }
}

fn determine(owners: Vec<Owner>) -> Determination {
    let end_user = owned_by(attested(Role::EndUser, "Example Cloud Malaysia Sdn. Bhd.", "MY", ON), owners);
    let d = determine_catalog("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![end_user]));
    assert!(d.verdict != Verdict::Indeterminate || !d.missing.is_empty(), "an indeterminate naming nothing: {d:?}");
    d
}

#[test]
fn t1_a_holding_owned_exactly_over_half_in_shares_of_21_decimals_is_reached() {
    // Huawei, SMIC and Sugon at 16.666666666666666666667 % each: 50.000000000000000000001 %.
    let third = "16.666666666666666666667";
    let holding = owner(
        "Example Holding Ltd",
        "100",
        vec![
            owner(HUAWEI, third, vec![]),
            owner(SMIC, third, vec![]),
            owner(SUGON, third, vec![]),
            owner("Example Person", "49.999999999999999999999", vec![]),
        ],
    );
    let d = determine(vec![holding]);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(ids(&d), WITH_HEADQUARTERS_OPEN);
}

#[test]
fn t1_a_holding_owned_exactly_half_in_shares_of_23_decimals_counts_whole() {
    // 49.99999999999999999999999 + 0.00000000000000000000001 = 50 % of the holding, which owns
    // 60 % of the end user: reached, counted whole (60 %).
    let holding = owner(
        "Example Holding Ltd",
        "60",
        vec![
            owner(HUAWEI, "49.99999999999999999999999", vec![]),
            owner(SMIC, "0.00000000000000000000001", vec![]),
            owner("Gamma Investments Ltd", "50", vec![]),
        ],
    );
    let d = determine(vec![holding, owner("Example Person", "40", vec![])]);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(ids(&d), WITH_HEADQUARTERS_OPEN);
    // Just under half (one unit of the 23rd place less): not reached, cleared of the rule.
    let holding = owner(
        "Example Holding Ltd",
        "60",
        vec![
            owner(HUAWEI, "49.99999999999999999999998", vec![]),
            owner(SMIC, "0.00000000000000000000001", vec![]),
            owner("Gamma Investments Ltd", "50.00000000000000000000001", vec![]),
        ],
    );
    let d = determine(vec![holding, owner("Example Person", "40", vec![])]);
    assert!(!ids(&d).contains(&AFFILIATES), "{:?} {:?}", d.requirements, d.missing);
}

#[test]
fn t1_shares_that_cannot_be_multiplied_exactly_leave_the_rule_open_naming_them() {
    // Level 3 is 1e-12 % Huawei's; Level 2 is 1 % Huawei's and 1e-12 % Level 3's: Huawei holds
    // 1.00000000000000000000000001 % of Level 2 (exact). Level 1 is 49.99999999999999 %
    // Huawei's and 1e-12 % Level 2's: Huawei holds 50.0000…0001 % of it (40 decimal places),
    // more digits than a decimal holds. Rounded towards clearing it would read 49.99…; it is
    // left open instead, naming the shares to write shorter.
    let tiny = "0.000000000001";
    let level3 = owner("Level 3 Ltd", tiny, vec![owner(HUAWEI, tiny, vec![])]);
    let level2 = owner("Level 2 Ltd", tiny, vec![owner(HUAWEI, "1", vec![]), level3]);
    let level1 = owner("Level 1 Ltd", "100", vec![owner(HUAWEI, "49.99999999999999", vec![]), level2]);
    let d = determine(vec![level1]);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.requirements);
    assert!(
        d.missing.iter().any(|m| m.starts_with(
            "end user \"Example Cloud Malaysia Sdn. Bhd.\"'s owner \"Level 1 Ltd\": its owners' shares with fewer decimal places"
        )),
        "{:?}",
        d.missing
    );
}

#[test]
fn t6_warnings_about_an_owners_owner_name_the_path() {
    let mut alpha = owner("Alpha Investments Ltd", "60", vec![]);
    alpha.screened.push(screened("2025-10-14", "x"));
    let mut gamma = owner("Gamma Investments Ltd", "40", vec![]);
    gamma.screened = vec![Screening { by: Some(String::new()), ..screened(ON, "") }];
    let d = determine(vec![owner("Example Holding Ltd", "100", vec![alpha, gamma])]);
    let path = "end user \"Example Cloud Malaysia Sdn. Bhd.\"'s owner \"Example Holding Ltd\"'s owner";
    assert!(
        d.warnings.iter().any(|w| w.starts_with(&format!(
            "{path} \"Alpha Investments Ltd\" was screened against the Entity List of 2025-10-14"
        ))),
        "{:?}",
        d.warnings
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w
                .starts_with(&format!("The screening of {path} \"Gamma Investments Ltd\" against the Entity List"))),
        "{:?}",
        d.warnings
    );
}
