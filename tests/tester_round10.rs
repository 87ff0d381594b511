//! Tester round 10 (branch `tester10`, tester10/FINDINGS.md): false clearances through the
//! parties that take the items.
//!
//! - V1: 15 CFR 748.5(e)-(f) define the ultimate consignee ("may be the end-user") and the end
//!   user ("the person abroad that receives and ultimately uses the item") as two parties: a
//!   distributor given as the ultimate consignee does not stand for the end user it resells to.
//! - V3: the intermediate consignee "actually receives the items abroad for delivery to the
//!   ultimate consignee" (15 CFR 748.5(d)): the items enter its country. Iran (15 CFR 746.7)
//!   and Russia (746.8(a)(1)) need a licence for the items of the CCL they reach; China (D:5)
//!   needs one for a 3A090.a item under 742.6(a)(6)(iii) (88 FR 73458).

mod common;

use common::{attested, determine_catalog as determine, requirement_ids};
use export_controls::model::Role;
use export_controls::{Query, Verdict};

const ON: &str = "2025-06-01";

fn query(to: &str, parties: Vec<export_controls::model::Party>) -> Query {
    let mut q = Query::export_to(to.parse().unwrap(), ON.parse().unwrap());
    q.exporter.front_end_fabricator_or_osat = Some(false);
    q.parties = parties;
    q
}

/// V1: an H100 SXM5 (3A090.a) to a Malaysian distributor, its buyer unknown. The
/// headquarters rule (742.6(a)(6)(iii)(A), 90 FR 4544) reaches an end user headquartered in
/// D:5 wherever it is located: with the end user unknown, the determination is open.
#[test]
fn a_distributor_given_as_ultimate_consignee_does_not_stand_for_the_end_user() {
    let distributor = attested(Role::UltimateConsignee, "Example Distribution Sdn. Bhd.", "MY", ON);
    let d = determine("nvidia-h100-sxm5-80gb", &query("MY", vec![distributor.clone()]));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.starts_with("end user (an ultimate consignee was given but no end user")));
    assert!(requirement_ids(&d).contains(&"742.6(a)(6)(iii)(A)"), "{:?}", requirement_ids(&d));

    // Its customer headquartered in China: a licence (742.6(a)(6)(iii)(A)).
    let mut customer = attested(Role::EndUser, "Example Cloud Sdn. Bhd.", "MY", ON);
    customer.headquarters = Some("CN".parse().unwrap());
    customer.parent_headquarters = customer.headquarters;
    let d = determine("nvidia-h100-sxm5-80gb", &query("MY", vec![distributor.clone(), customer]));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(requirement_ids(&d).contains(&"742.6(a)(6)(iii)(A)"));

    // The distributor using the items itself, given again as the end user: no licence to MY
    // (not in D:1, D:4 or D:5; the AI Diffusion rule is not enforced).
    let mut itself = distributor.clone();
    itself.role = Role::EndUser;
    let d = determine("nvidia-h100-sxm5-80gb", &query("MY", vec![distributor, itself]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}

/// V3: an RTX 4080 (below every 3A090 band) for an end user in the UAE,
/// delivered to a forwarder in Iran or Russia; an H100 for Malaysia through a forwarder in
/// China.
#[test]
fn the_country_of_an_intermediate_consignee_is_a_destination() {
    let end_user = attested(Role::EndUser, "Example Trading LLC", "AE", ON);
    for (forwarder_in, requirement) in [("IR", "746.7"), ("RU", "746.8(a)(1)/RU")] {
        let mut forwarder = attested(Role::IntermediateConsignee, "Example Forwarding Co.", forwarder_in, ON);
        forwarder.headquarters = Some("AE".parse().unwrap());
        forwarder.parent_headquarters = forwarder.headquarters;
        let d = determine("nvidia-rtx-4080", &query("AE", vec![forwarder, end_user.clone()]));
        assert_eq!(d.verdict, Verdict::LicenseRequired, "through {forwarder_in}");
        assert_eq!(requirement_ids(&d), [requirement], "through {forwarder_in}");
        assert_eq!(d.other_destinations.len(), 1);
        assert!(d.warnings.iter().any(|w| w.contains("on their way to the ultimate consignee (15 CFR 748.5(d))")));
    }
    // The same forwarder in the UAE itself: no licence.
    let forwarder = attested(Role::IntermediateConsignee, "Example Forwarding Co.", "AE", ON);
    let d = determine("nvidia-rtx-4080", &query("AE", vec![forwarder, end_user]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);

    let forwarder = attested(Role::IntermediateConsignee, "Example Logistics Co., Ltd.", "CN", ON);
    let user = attested(Role::EndUser, "Example Systems Sdn. Bhd.", "MY", ON);
    let d = determine("nvidia-h100-sxm5-80gb", &query("MY", vec![forwarder, user]));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(requirement_ids(&d).contains(&"742.6(a)(6)(iii)"), "{:?}", requirement_ids(&d));
}

/// A forwarder whose country is not given may take the items anywhere: open, never cleared.
#[test]
fn an_intermediate_consignee_without_a_country_leaves_the_destination_open() {
    let mut forwarder = attested(Role::IntermediateConsignee, "Example Forwarding Co.", "AE", ON);
    forwarder.country = None;
    let end_user = attested(Role::EndUser, "Example Trading LLC", "AE", ON);
    let d = determine("nvidia-rtx-4080", &query("AE", vec![forwarder, end_user]));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(
        d.missing.iter().any(|m| m.contains("country (the items enter the country where it is located)")),
        "{:?}",
        d.missing
    );
}
