//! 15 CFR 744.22, military-intelligence end uses and end users (86 FR 4865, effective
//! 2021-03-16), as its own rules (law15 item 1): any item subject to the EAR known to be for a
//! 'military-intelligence end use' or 'military-intelligence end user' in Belarus, Burma,
//! Cambodia, China, Russia, Venezuela or Country Group E:1/E:2 (744.22(a)), reviewed with a
//! presumption of denial (744.22(e)); from 2022-09-15 the end users named in 744.22(f)(2)
//! wherever located (87 FR 57068, published 2022-09-16, effective 2022-09-15). 744.21(g) leaves
//! those end users out of its 'military end user', so a military-intelligence end use reads
//! 744.22 and not 744.21, and a military end use reads 744.21 and not 744.22. Before pack 0.1.46 `military_intelligence_end_use` was no end use
//! (refused), and 744.21 read the AI-training declaration in 744.22's stead. Each verdict is
//! checked through `RuleSet::evaluate` and `CompiledPack::decide` alike.

mod common;

use common::{attested, determine_catalog as determine, ordinary_query, placed, requirement_ids};
use export_controls::Verdict;
use export_controls::model::{EndUse, Party, Role};
use export_controls::ruleset::ReviewPolicy;

/// A Malaysian integrator (located, headquartered and with its parent in MY, owners known,
/// screened) declaring `use_` in `place`.
fn integrator(use_: EndUse, place: &str, on: &str) -> Party {
    let mut p = attested(Role::EndUser, "Example Systems Sdn. Bhd.", "MY", on);
    p.end_uses = vec![placed(use_, place)];
    p
}

/// The requirement ids of an L20 (below every 3A090 band: only end-use rules reach it, worked in
/// rules/us-ear/tests/end-uses.toml) to Malaysia on `on` for `use_` declared in `place`, with
/// the verdict.
fn l20(use_: EndUse, place: &str, on: &str) -> (Verdict, Vec<String>, Option<ReviewPolicy>) {
    let q = ordinary_query("MY", on, vec![integrator(use_, place, on)]);
    let d = determine("nvidia-l20", &q);
    let policy = d.requirements.iter().find(|r| r.id.starts_with("744.22")).and_then(|r| r.review_policy);
    (d.verdict, requirement_ids(&d).into_iter().map(String::from).collect(), policy)
}

#[test]
fn a_military_intelligence_end_use_in_a_744_22_country_needs_a_licence_under_744_22_only() {
    for place in ["CN", "VE", "MM", "KH", "BY", "IR", "KP", "SY", "CU"] {
        let (verdict, ids, policy) = l20(EndUse::MilitaryIntelligenceEndUse, place, "2025-06-01");
        assert_eq!(verdict, Verdict::LicenseRequired, "{place}");
        assert!(ids.contains(&"744.22(a)".to_string()), "{place}: {ids:?}");
        assert!(!ids.iter().any(|i| i == "744.21" || i == "744.22(a)/named end users"), "{place}: {ids:?}");
        assert_eq!(policy, Some(ReviewPolicy::PresumptionOfDenial), "{place}");
    }
    // The items are used where the end use is: Russia is also a destination, and 746.8(a)(1) applies.
    let (_, ids, _) = l20(EndUse::MilitaryIntelligenceEndUse, "RU", "2025-06-01");
    assert_eq!(ids, ["744.22(a)", "746.8(a)(1)/RU"]);
}

#[test]
fn a_military_end_use_reads_744_21_and_not_744_22() {
    let (verdict, ids, _) = l20(EndUse::MilitaryEndUse, "CN", "2025-06-01");
    assert_eq!(verdict, Verdict::LicenseRequired);
    assert_eq!(ids, ["744.21"]);
    // Nicaragua is in 744.21 (89 FR 18780), not in 744.22(a).
    assert_eq!(l20(EndUse::MilitaryEndUse, "NI", "2025-06-01").1, ["744.21"]);
    assert_eq!(l20(EndUse::MilitaryIntelligenceEndUse, "NI", "2025-06-01").1, ["744.22(a)/named end users"]);
}

#[test]
fn the_countries_join_744_22_on_the_dates_of_their_rules() {
    // Belarus: 87 FR 13048, effective 2022-03-02.
    assert_eq!(l20(EndUse::MilitaryIntelligenceEndUse, "BY", "2022-03-01").0, Verdict::NoLicenseRequired);
    assert_eq!(l20(EndUse::MilitaryIntelligenceEndUse, "BY", "2022-03-02").1, ["744.22(a)", "746.8(a)(1)/BY"]);
    // Elsewhere only the named end users, reached wherever located from 2022-09-15, the effective
    // date of 87 FR 57068 (FR Doc. 2022-19910, published 2022-09-16). Until pack 0.1.49 the pack
    // started them on the publication date and cleared this export on 2022-09-15.
    assert_eq!(l20(EndUse::MilitaryIntelligenceEndUse, "MY", "2022-09-14").0, Verdict::NoLicenseRequired);
    let (verdict, ids, policy) = l20(EndUse::MilitaryIntelligenceEndUse, "MY", "2022-09-15");
    assert_eq!((verdict, ids), (Verdict::LicenseRequired, vec!["744.22(a)/named end users".to_string()]));
    assert_eq!(policy, Some(ReviewPolicy::PresumptionOfDenial));
}

#[test]
fn ai_training_for_wmd_or_military_intelligence_reads_744_22_not_744_21() {
    // Training in Venezuela (a 744.22(a) country): 744.2-744.4 and 744.22(a); 744.21 no longer
    // stands for 744.22. In Nicaragua (744.21 only): 744.2-744.4 alone, still a licence.
    let (verdict, ids, _) = l20(EndUse::AiModelTrainingForWmdOrMilitaryIntelligence, "VE", "2025-06-01");
    assert_eq!(verdict, Verdict::LicenseRequired);
    assert_eq!(ids, ["744.2-744.4", "744.22(a)"]);
    let (verdict, ids, _) = l20(EndUse::AiModelTrainingForWmdOrMilitaryIntelligence, "NI", "2025-06-01");
    assert_eq!(verdict, Verdict::LicenseRequired);
    assert_eq!(ids, ["744.2-744.4"]);
}
