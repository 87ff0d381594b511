//! The decisive explanation (`check --explain`) gives as the reasons for a verdict only the
//! licence requirements that apply; one that only may apply, because a fact is missing, is named
//! as such (probe17). Before, an H20 for a Malaysian end user whose ultimate parent is
//! headquartered in Macau read "Licence required because (744.11: Licence for the items named in
//! the Entity List entry when a listed entity is a party ...); and end user ...'s ultimate parent
//! is headquartered in MO (is-informed/H20 (headquarters) ...)": the Entity List given as a reason
//! for a party that is on no list the pack holds and was not screened against the full one.

use export_controls::evaluate::Certainty;
use export_controls::model::{Party, Role};
use export_controls::{Catalog, Options, Query, RuleSet, Verdict};

#[test]
fn a_requirement_that_only_may_apply_is_not_given_as_a_reason() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap();
    // 2025-04-20: after NVIDIA's letter of 2025-04-09, which requires a licence for the H20 to
    // China, Hong Kong, Macau and D:5 and to entities headquartered, or whose ultimate parent is
    // headquartered, there (NVIDIA Form 8-K, 2025-04-15; rules/us-ear/NOTES.md §11).
    let mut q = Query::export_to("MY".parse().unwrap(), "2025-04-20".parse().unwrap());
    q.exported_from = Some("US".parse().unwrap());
    q.exporter.front_end_fabricator_or_osat = Some(false);
    let mut p = Party::new(Role::EndUser);
    p.name = Some("Borneo Compute Sdn Bhd".into());
    p.country = Some("MY".parse().unwrap());
    p.headquarters = Some("MY".parse().unwrap());
    p.parent_headquarters = Some("MO".parse().unwrap());
    q.parties.push(p);
    let d = rules.evaluate(h20, &q, Options { trace: true }).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{d:?}");
    let certain: Vec<&str> =
        d.requirements.iter().filter(|r| r.certainty == Certainty::Certain).map(|r| r.id.as_str()).collect();
    assert_eq!(certain, ["is-informed/H20 (headquarters)"], "{:?}", d.requirements);
    // The party was not screened against the full Entity List (15 CFR 744.11): that entry may apply.
    assert!(
        d.requirements.iter().any(|r| r.id == "744.11" && r.certainty == Certainty::Possible),
        "{:?}",
        d.requirements
    );
    let text = d.explain_decisive();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("Licence required because end user \"Borneo Compute Sdn Bhd\"'s ultimate parent is headquartered in MO (is-informed/H20 (headquarters):"), "{first}");
    assert!(!first.contains("(744.11: Licence"), "{first}");
    assert!(first.contains(" 744.11 may also apply (depends on missing data: "), "{first}");
}
