//! Tester round 11 (branch `tester11`, tester11/FINDINGS.md W8, W10, W11): places and owners
//! the transaction states and the engine did not read. Every verdict is checked through
//! `RuleSet::evaluate` and `CompiledPack::decide` alike ([`determine_both`]).
//!
//! - W10: the place of a declared end use is where the items are (a supercomputer "located in
//!   or destined to" a country, 15 CFR 744.23(a)(1); the ultimate destination, 748.5), so it is
//!   a destination, decided like the country of a party that takes the items: Iran (746.7),
//!   North Korea (746.4), Syria (746.9) and Cuba (746.2) need a licence for every item of the
//!   pack's catalog; a 3A090.a item to Vietnam (D:1, not A:5/A:6) needs one under
//!   742.6(a)(6)(iii) (88 FR 73458); Ukraine asks where in Ukraine (746.6).
//! - W11: a purchaser located in Iran buying for delivery elsewhere: 31 CFR 560.204 prohibits the sale or supply of goods "directly or indirectly"
//!   to Iran; whether the sale is such a supply is not stated, so the determination is open.
//! - W8: the headquarters rule (742.6(a)(6)(iii)(A), 90 FR 4544) reads the ultimate parent's
//!   headquarters; an owner holding 100 % (or a majority) at the top of the stated chain,
//!   registered in China, contradicts `parent_headquarters = "MY"`: open, both named.

mod common;

use common::{
    attested, declaring, determine_catalog as determine, ordinary_query, owned_by, requirement_ids, screened_owner,
};
use export_controls::Verdict;
use export_controls::model::{Country, EndUse, Owner, Party, Region, Registration, Role};

const ON: &str = "2025-06-01";

fn country(c: &str) -> Country {
    c.parse().unwrap()
}

/// W10c: an RTX 4080 (below every 3A090 band) for a Dubai trading company that declares a
/// military end use in an embargoed country: the licence of that country's embargo.
#[test]
fn a_military_end_use_in_an_embargoed_country_makes_it_a_destination() {
    let dubai = attested(Role::EndUser, "Example Trading L.L.C.", "AE", ON);
    for (place, requirement) in [("IR", "746.7"), ("KP", "746.4"), ("SY", "746.9"), ("CU", "746.2")] {
        let user = declaring(dubai.clone(), EndUse::MilitaryEndUse, place);
        let d = determine("nvidia-rtx-4080", &ordinary_query("AE", ON, vec![user]));
        assert_eq!(d.verdict, Verdict::LicenseRequired, "military end use in {place}: {:?}", d.missing);
        assert_eq!(requirement_ids(&d), [requirement], "in {place}");
        assert_eq!(d.other_destinations.len(), 1);
        assert!(d.warnings.iter().any(|w| w.contains("declares the end use military_end_use in")), "{:?}", d.warnings);
    }
    // The same end use in the UAE itself: no licence.
    let d =
        determine("nvidia-rtx-4080", &ordinary_query("AE", ON, vec![declaring(dubai, EndUse::MilitaryEndUse, "AE")]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    assert!(d.other_destinations.is_empty());
}

/// W10: an H100 SXM5 (3A090.a) to a Singapore integrator for a supercomputer located in
/// Vietnam. Singapore is in A:6 (no requirement); Vietnam is in D:1 and not in A:5/A:6:
/// 742.6(a)(6)(iii) requires a licence.
#[test]
fn a_supercomputer_elsewhere_is_a_destination() {
    let integrator = attested(Role::EndUser, "Example Integration Pte. Ltd.", "SG", ON);
    let d = determine(
        "nvidia-h100-sxm5-80gb",
        &ordinary_query("SG", ON, vec![declaring(integrator.clone(), EndUse::Supercomputer, "VN")]),
    );
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), ["742.6(a)(6)(iii)"]);
    assert_eq!(d.other_destinations.len(), 1);
    // The supercomputer in Singapore itself: no licence.
    let d = determine(
        "nvidia-h100-sxm5-80gb",
        &ordinary_query("SG", ON, vec![declaring(integrator, EndUse::Supercomputer, "SG")]),
    );
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}

/// An end use where the items are, declared without its place: the items may go anywhere
/// (Iran, above), so the destination is open, the place asked.
#[test]
fn an_end_use_without_its_place_leaves_the_destination_open() {
    let mut user = attested(Role::EndUser, "Example Trading L.L.C.", "AE", ON);
    user.end_uses = vec![EndUse::Supercomputer.into()];
    let d = determine("nvidia-rtx-4080", &ordinary_query("AE", ON, vec![user]));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.contains("where the supercomputer is located or destined")), "{:?}", d.missing);
}

/// W10b: an RTX 4080 to a Polish company declaring a military end use in Ukraine: where in
/// Ukraine is asked (746.6: a licence for every item to Crimea and the so-called DNR and LNR
/// regions), and a region given is read.
#[test]
fn an_end_use_in_ukraine_asks_the_region() {
    let user = declaring(attested(Role::EndUser, "Example Sp. z o.o.", "PL", ON), EndUse::MilitaryEndUse, "UA");
    let mut q = ordinary_query("PL", ON, vec![user]);
    let d = determine("nvidia-rtx-4080", &q);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.starts_with("destination_region")), "{:?}", d.missing);
    q.destination_region = Region::parse("crimea");
    let d = determine("nvidia-rtx-4080", &q);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), ["746.6(a)"]);
    q.destination_region = Region::parse("other");
    let d = determine("nvidia-rtx-4080", &q);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}

/// The place of AI model training for WMD or military-intelligence end uses is where the
/// trained model's end use is (BIS policy statement of 2025-05-13), not where the chips run
/// the training: it is not a destination of the items.
#[test]
fn the_place_of_a_training_end_use_is_not_a_destination() {
    let cloud = attested(Role::EndUser, "Example Cloud Sdn. Bhd.", "MY", ON);
    let user = declaring(cloud, EndUse::AiModelTrainingForWmdOrMilitaryIntelligence, "IR");
    let d = determine("nvidia-rtx-4080", &ordinary_query("MY", ON, vec![user]));
    assert!(d.other_destinations.is_empty(), "{:?}", d.other_destinations);
    assert!(!requirement_ids(&d).contains(&"746.7"), "{:?}", requirement_ids(&d));
}

/// W11: an RTX 4080 bought by a Tehran company for delivery to Dubai: open (31 CFR 560.204),
/// the party and Iran named. A purchaser in the United States or in China (no embargo) changes
/// nothing.
#[test]
fn a_party_of_an_embargoed_country_leaves_the_sale_open() {
    let dubai = attested(Role::EndUser, "Example Dubai L.L.C.", "AE", ON);
    let tehran = attested(Role::Purchaser, "Example Tehran Trading Co.", "IR", ON);
    let d = determine("nvidia-rtx-4080", &ordinary_query("AE", ON, vec![tehran, dubai.clone()]));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(
        d.missing.iter().any(|m| m.starts_with("purchaser \"Example Tehran Trading Co.\": whether the items are sold or supplied, directly or indirectly, to IR")
            && m.contains("560.204")),
        "{:?}",
        d.missing
    );
    // Where the purchaser is not given, it may be in Iran: open, its country named.
    let mut buyer = attested(Role::Purchaser, "Example Buyer Co.", "AE", ON);
    buyer.country = None;
    let d = determine("nvidia-rtx-4080", &ordinary_query("AE", ON, vec![buyer, dubai.clone()]));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.contains(&"purchaser \"Example Buyer Co.\": country".to_string()), "{:?}", d.missing);
    for at in ["US", "CN"] {
        let buyer = attested(Role::Purchaser, "Example Buyer Co.", at, ON);
        let d = determine("nvidia-rtx-4080", &ordinary_query("AE", ON, vec![buyer, dubai.clone()]));
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "purchaser in {at}: {:?}", d.missing);
    }
}

/// An owner registered in `registered`, holding `percent` of the party below it, attested
/// screened and identified by its registration, with `owners` (its owners known).
fn owner(name: &str, registered: &str, percent: i64, owners: Vec<Owner>) -> Owner {
    let registration = Registration { country: country(registered), number: "91440300MA5EXAMPLE".into() };
    Owner { registration: Some(registration), ..screened_owner(name, &percent.to_string(), ON, owners) }
}

fn malaysian_end_user(owners: Vec<Owner>) -> Party {
    owned_by(attested(Role::EndUser, "Example Compute Sdn. Bhd.", "MY", ON), owners)
}

/// W8: an H100 SXM5 to a Malaysian end user stated `parent_headquarters = "MY"` whose
/// controlling owner at the top of the stated chain is registered in China: open, naming the
/// contradiction. With the parent stated in China, the headquarters rule's licence.
#[test]
fn a_controlling_owner_registered_in_d5_contradicts_the_parent_stated() {
    let shenzhen = |percent| owner("Example Shenzhen Holdings Co., Ltd.", "CN", percent, vec![]);
    for percent in [100, 60, 50] {
        let d = determine(
            "nvidia-h100-sxm5-80gb",
            &ordinary_query("MY", ON, vec![malaysian_end_user(vec![shenzhen(percent)])]),
        );
        assert_eq!(d.verdict, Verdict::Indeterminate, "{percent} %");
        assert!(
            d.missing.iter().any(|m| m
                .contains("parent_headquarters (stated MY, but its owner \"Example Shenzhen Holdings Co., Ltd.\"")
                && m.contains("registered in CN")),
            "{percent} %: {:?}",
            d.missing
        );
    }
    // Through a Malaysian holding company wholly owned, itself 70 % owned from China.
    let holding = owner("Example Holdings Sdn. Bhd.", "MY", 100, vec![shenzhen(70)]);
    let d = determine("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![malaysian_end_user(vec![holding])]));
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    // A minority owner controls nothing: no licence.
    let d = determine("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![malaysian_end_user(vec![shenzhen(40)])]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    // The parent stated in China: the headquarters rule's licence.
    let mut p = malaysian_end_user(vec![shenzhen(100)]);
    p.parent_headquarters = Some(country("CN"));
    let d = determine("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![p]));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(requirement_ids(&d).contains(&"742.6(a)(6)(iii)(A)"), "{:?}", requirement_ids(&d));
}
