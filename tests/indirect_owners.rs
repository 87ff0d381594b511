//! The tester's round-6 finding S2 (branch `tester6`, tester6/FINDINGS.md): an owner's own
//! owners. The Affiliates rule (90 FR 47201, in force from 2025-09-29 to the stay of
//! 2025-11-10, 90 FR 50857) reaches an entity owned 50 percent or more "directly or indirectly,
//! individually or in aggregate" by Entity List parties (rules/us-ear/NOTES.md §9). An H100 to
//! Malaysia on 2025-10-15 (the tester's case a1): each verdict is checked through
//! `RuleSet::evaluate` and `CompiledPack::decide` alike.

mod common;

use common::{
    attested, determine_both, determine_catalog, ordinary_query, owned_by, parse_transaction as parse,
    requirement_ids as ids, screened_owner,
};
use export_controls::model::{Owner, Party, Role, Transaction};
use export_controls::ruleset::SourceFile;
use export_controls::{Catalog, CompiledPack, Determination, Query, RuleSet, Verdict};
use rust_decimal::Decimal;

const ON: &str = "2025-10-15";
const AFFILIATES: &str = "744.11(a)(1)/affiliates";
/// The headquarters rule (742.6(a)(6)(iii)(A), 90 FR 4544) and the H20 letter's headquarters
/// branch, which read the ultimate parent's headquarters.
const HEADQUARTERS: &str = "742.6(a)(6)(iii)(A)";
const H20_HEADQUARTERS: &str = "is-informed/H20 (headquarters)";
const HUAWEI: &str = "Huawei Technologies Co., Ltd.";

/// An owner named `name` holding `percent`, identified and attested screened against the
/// Entity List of `ON` (so a name that matches no entry is not listed), with `owners` and
/// `owners_known`. Identified (tester round 9, U3: a name alone identifies nobody).
fn owner(name: &str, percent: i64, owners: Vec<Owner>, owners_known: bool) -> Owner {
    Owner { owners_known, identified: true, ..screened_owner(name, &percent.to_string(), ON, owners) }
}

/// The end user of case a1: Malaysian, owners known, owned by `owners`.
fn end_user(owners: Vec<Owner>, on: &str) -> Party {
    owned_by(attested(Role::EndUser, "Example Cloud Malaysia Sdn. Bhd.", "MY", on), owners)
}

fn determine(owners: Vec<Owner>, on: &str) -> Determination {
    determine_catalog("nvidia-h100-sxm5-80gb", &ordinary_query("MY", on, vec![end_user(owners, on)]))
}

/// Case a1: 60 % held by "Example Holding Ltd", itself wholly owned by Huawei (Entity List):
/// Huawei owns 60 % of the end user indirectly, so a licence is required (it was cleared).
#[test]
fn a_listed_owner_of_an_owner_reaches_the_party() {
    let holding = owner("Example Holding Ltd", 60, vec![owner(HUAWEI, 100, vec![], false)], true);
    let d = determine(vec![holding], ON);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    // Huawei, at the top of the chain of controlling owners, is a company given without its
    // registration country: the ultimate parent's headquarters rules may apply too (tester
    // round 11; tests/owners12.rs).
    assert_eq!(ids(&d), [HEADQUARTERS, AFFILIATES, H20_HEADQUARTERS]);
}

/// The holding's own ownership not stated: while the rule is in force it is open, naming the
/// holding's owners; stated (`owners_known = true`, no listed owner) it clears.
#[test]
fn an_owner_whose_own_owners_are_unstated_leaves_the_rule_open() {
    let d = determine(vec![owner("Example Holding Ltd", 60, vec![], false)], ON);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.requirements);
    // The holding, a company given without its registration country, may be the ultimate
    // parent: the headquarters rules may apply too (tester round 11).
    assert_eq!(ids(&d), [HEADQUARTERS, AFFILIATES, H20_HEADQUARTERS]);
    assert!(
        d.missing.iter().any(|m| m.starts_with(
            "end user \"Example Cloud Malaysia Sdn. Bhd.\"'s owner \"Example Holding Ltd\": owners (the Affiliates rule"
        )),
        "{:?}",
        d.missing
    );
    let individual = owner("Example Person", 100, vec![], true);
    let d = determine(vec![owner("Example Holding Ltd", 60, vec![individual], true)], ON);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    // A 40 % holding whose owners are unknown cannot reach 50 %: nothing is asked.
    let other = owner("Example Founder", 60, vec![], true);
    let d = determine(vec![owner("Example Holding Ltd", 40, vec![], false), other], ON);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}

/// Shares are multiplied along the chain and added "in aggregate": Huawei holding 40 % of a
/// holding that holds 60 % of the end user owns 24 % of it (below 50 %: cleared); with 30 % held
/// directly besides, 54 % (a licence).
#[test]
fn indirect_shares_are_multiplied_and_added() {
    let holding = |huawei: i64| {
        owner(
            "Example Holding Ltd",
            60,
            vec![owner(HUAWEI, huawei, vec![], false), owner("Example Person", 100 - huawei, vec![], true)],
            true,
        )
    };
    let d = determine(vec![holding(40), owner("Example Founder", 40, vec![], true)], ON);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "24 %: {:?}", d.missing);
    let d =
        determine(vec![holding(40), owner(HUAWEI, 30, vec![], false), owner("Example Founder", 10, vec![], true)], ON);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "24 % + 30 %: {:?}", d.missing);
    assert_eq!(ids(&d), [AFFILIATES]);
}

/// A holding owned 50 % or more by listed entities is itself reached by the rule, and its
/// holding counts whole: Huawei's 50 % of a holding that holds 60 % of the end user reaches it
/// (multiplied, 30 %; counted whole, 60 %). Two levels up as well.
#[test]
fn an_owner_reached_by_the_rule_counts_whole() {
    let holding = owner(
        "Example Holding Ltd",
        60,
        vec![owner(HUAWEI, 50, vec![], false), owner("Example Person", 50, vec![], true)],
        true,
    );
    let d = determine(vec![holding, owner("Example Founder", 40, vec![], true)], ON);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);

    let top = owner("Example Top Holding Ltd", 100, vec![owner(HUAWEI, 100, vec![], false)], true);
    let middle = owner("Example Middle Holding Ltd", 100, vec![top], true);
    let d = determine(vec![owner("Example Holding Ltd", 100, vec![middle], true)], ON);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
}

/// Outside the rule's period (before 2025-09-29; in the stay from 2025-11-10) the chain
/// decides nothing.
#[test]
fn outside_the_rules_period_the_chain_decides_nothing() {
    for on in ["2025-09-01", "2025-12-01"] {
        let holding = owner("Example Holding Ltd", 60, vec![owner(HUAWEI, 100, vec![], false)], true);
        let d = determine(vec![holding], on);
        assert!(!ids(&d).contains(&AFFILIATES), "{on}: {:?}", d.requirements);
    }
}

/// The tester's file (round 6, S2, case a1): the end user 60 % held by "Example Holding Ltd",
/// itself wholly owned by Huawei, given as `[[party.owner.owner]]`.
fn tx() -> String {
    common::h100_to_my_owned_end_user("t6")
        + r#"
[[party.owner]]
name = "Example Holding Ltd"
percent = 60
owners_known = true
screened = [{ list = "entity_list", list_date = 2025-10-15, by = "t6" }]

[[party.owner.owner]]
name = "Huawei Technologies Co., Ltd."
percent = 100
"#
}

/// The tester's file with the holding's owner given as `[[party.owner.owner]]`: read, decided
/// as built in code, and written back to TOML and JSON the same.
#[test]
fn owners_of_owners_are_read_from_files() {
    let t = parse(&tx()).unwrap();
    let holding = &t.parties[0].owners[0];
    assert!(holding.owners_known);
    assert_eq!(holding.owners[0].name, HUAWEI);
    assert_eq!(holding.owners[0].percent, Some(Decimal::ONE_HUNDRED));
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let d = determine_both(
        &rules,
        &CompiledPack::new(rules.clone()),
        catalog.get("nvidia-h100-sxm5-80gb").unwrap(),
        &Query::of(&t),
    );
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(parse(&t.to_toml()).unwrap(), t);
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains(r#""owner":[{"name":"Huawei Technologies Co., Ltd.","percent":"100"}]"#), "{json}");
    assert_eq!(Transaction::parse(&SourceFile::new("t.json", json)).unwrap(), t);
}

/// Owners' owners pass the checks owners pass: shares over 100 in all (E0506), an unknown
/// list-entry id (E0508), more than four levels (E0518).
#[test]
fn owners_of_owners_are_checked_as_owners() {
    let e = parse(&format!("{}\n[[party.owner.owner]]\nname = \"Example Person\"\npercent = 1\n", tx())).unwrap_err();
    assert!(e.contains("E0506") && e.contains("101 percent in all"), "{e}");

    let mut t = parse(&tx()).unwrap();
    t.parties[0].owners[0].owners[0].list_entries = vec!["EL:huawei-technologiez".into()];
    let rules = RuleSet::shipped().unwrap();
    let err = rules.check_parties(&t.parties).unwrap_err();
    assert_eq!(err.code().as_str(), "E0508", "{err}");

    let mut deep = owner("Level 5", 100, vec![], true);
    for level in (1..=4).rev() {
        deep = owner(&format!("Level {level}"), 100, vec![deep], true);
    }
    let err = export_controls::model::validate_parties(&[end_user(vec![deep], ON)]).unwrap_err();
    assert_eq!(err.code().as_str(), "E0518", "{err}");
    assert!(err.message.contains("5 levels deep"), "{}", err.message);
}
