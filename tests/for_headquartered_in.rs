//! The party key `for_headquartered_in` (rules12), through the engine: the BIS policy statement
//! of 2025-05-13 requires a licence for 3A090.a and 4A090.a items the exporter knows will train
//! AI models "for or on behalf of an entity headquartered in D:5 or Macau" (the project's
//! reference, /work/shared/reference/regulation.md §2 row 12 and §4.3b; FD Associates summary;
//! rules/us-ear/NOTES.md §9), reviewed with a presumption of denial. The pack's rule
//! `BIS policy statement 2025-05-13/headquarters` reads the headquarters of the party that trains
//! and of each beneficiary (the customer the models are trained for, which receives nothing).
//!
//! The transaction: H100 SXM5s (datacenter 3A090.a, TPP 15,831.2) to an IaaS provider in
//! Malaysia (in no Country Group D, so no destination requirement applies; headquartered there,
//! screened, owners known) on 2025-06-01, which declares AI model training in Malaysia for a
//! customer named as the beneficiary. Each verdict is checked on both paths
//! (`RuleSet::evaluate` and `CompiledPack::decide`, [`common::determine_both`]).

mod common;

use common::{attested, determine_catalog as determine, ordinary_query, placed, requirement_ids};
use export_controls::model::{EndUse, Party, Role};
use export_controls::ruleset::ReviewPolicy;
use export_controls::{Determination, Verdict};

const ON: &str = "2025-06-01";
const RULE: &str = "BIS policy statement 2025-05-13/headquarters";

/// The Malaysian provider that trains, and `customer` as the beneficiary.
fn training_for(product: &str, customer: Party) -> Determination {
    let mut provider = attested(Role::EndUser, "Example Cloud Malaysia Sdn. Bhd.", "MY", ON);
    provider.end_uses = vec![placed(EndUse::AiModelTraining, "MY")];
    determine(product, &ordinary_query("MY", ON, vec![provider, customer]))
}

/// A customer located in `country`, headquartered there with its parent.
fn customer(country: &str) -> Party {
    attested(Role::Beneficiary, "Example AI Lab Ltd.", country, ON)
}

/// Training for a customer headquartered in China (D:5): a licence under the statement's
/// headquarters branch, presumption of denial; for one headquartered in France (in no D group,
/// not Macau): none.
#[test]
fn training_for_a_d5_headquartered_beneficiary_needs_a_licence() {
    let d = training_for("nvidia-h100-sxm5-80gb", customer("CN"));
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), [RULE]);
    assert_eq!(d.requirements[0].review_policy, Some(ReviewPolicy::PresumptionOfDenial));

    let d = training_for("nvidia-h100-sxm5-80gb", customer("FR"));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?} {:?}", d.requirements, d.missing);
    assert!(requirement_ids(&d).is_empty());
}

/// Macau is named beside D:5 by the statement as summarised ("headquartered in D:5 or Macau").
#[test]
fn training_for_a_macau_headquartered_beneficiary_needs_a_licence() {
    let d = training_for("nvidia-h100-sxm5-80gb", customer("MO"));
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), [RULE]);
}

/// The customer's headquarters not given (its parent's neither): the training may be for a D:5
/// entity, so the answer is open, naming the beneficiary's headquarters, never cleared.
#[test]
fn an_unstated_beneficiary_headquarters_is_named_missing() {
    let mut c = customer("FR");
    c.headquarters = None;
    c.parent_headquarters = None;
    let d = training_for("nvidia-h100-sxm5-80gb", c);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.requirements);
    assert_eq!(requirement_ids(&d), [RULE]);
    assert!(
        d.missing.iter().any(|m| m.starts_with("beneficiary \"Example AI Lab Ltd.\"") && m.contains("headquarters")),
        "{:?}",
        d.missing
    );
}

/// The statement reaches 3A090.a and 4A090.a items only: an L20 (below every 3A090 band) trained
/// on for the same China-headquartered customer needs no licence under it.
#[test]
fn items_outside_3a090a_are_not_reached() {
    let d = training_for("nvidia-l20", customer("CN"));
    assert!(!requirement_ids(&d).contains(&RULE), "{:?}", d.requirements);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?} {:?}", d.requirements, d.missing);
}

/// Without the training, the customer's headquarters reaches nothing: the statement's trigger is
/// knowledge of the training (a beneficiary is no recipient, so 742.6(a)(6)(iii)(A) does not read
/// it either).
#[test]
fn without_training_the_beneficiary_headquarters_reaches_nothing() {
    let provider = attested(Role::EndUser, "Example Cloud Malaysia Sdn. Bhd.", "MY", ON);
    let d = determine("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![provider, customer("CN")]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?} {:?}", d.requirements, d.missing);
}
