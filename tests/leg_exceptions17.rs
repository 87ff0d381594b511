//! Tester round 17, D4: a transaction determined for several destinations (a party located
//! elsewhere than the destination given, 15 CFR 748.5) listed "overcome by licence exception
//! NAC, ACA" without saying which destination each exception covers. Now each requirement says
//! it per destination, in the text (and the HTML report, crates/service/tests), and in JSON
//! under `overcome_by_destination`, absent for one destination, so old records read as before.
//!
//! The case: an RTX 4090 (non-datacenter, TPP over 4,800: 3A090.a, eligible for NAC and ACA,
//! 15 CFR 740.8(a)) exported from the US to China on 2024-06-01 for an ultimate consignee and
//! end user located in Vietnam. 742.6(a)(6)(iii) applies to both (CN in D:5, VN in D:1). NAC
//! covers exports to Macau or D:5 (CN); ACA covers D:1 and D:4 destinations outside Macau and
//! D:5 (VN), not CN (15 CFR 740.8 as amended by 89 FR 23876, 2024-04-04).

use export_controls::evaluate::DestinationExceptions;
use export_controls::model::{Party, Role};
use export_controls::{Catalog, Determination, Options, Query, RuleSet};

fn party(role: Role, name: &str, country: &str) -> Party {
    let mut p = Party::new(role);
    p.name = Some(name.into());
    p.country = Some(country.parse().unwrap());
    p.headquarters = p.country;
    p
}

fn decide(parties: Vec<Party>) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let mut q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    q.parties = parties;
    rules.evaluate(catalog.get("nvidia-rtx-4090").unwrap(), &q, Options::default()).unwrap()
}

fn in_vietnam() -> Determination {
    decide(vec![party(Role::UltimateConsignee, "Saigon Games", "VN"), party(Role::EndUser, "Saigon Games", "VN")])
}

#[test]
fn each_destination_names_the_exceptions_that_overcome_a_requirement_there() {
    let d = in_vietnam();
    assert_eq!(d.other_destinations.iter().map(|c| c.code.code()).collect::<Vec<_>>(), ["VN"]);
    let r = d.requirements.iter().find(|r| r.id == "742.6(a)(6)(iii)").expect("742.6(a)(6)(iii) applies");
    // Both exceptions overcome it somewhere: the merged list keeps them.
    assert!(r.overcome_by.contains(&"NAC".to_string()) && r.overcome_by.contains(&"ACA".to_string()), "{r:?}");
    let per = &r.overcome_by_destination;
    assert_eq!(per.iter().map(|p| p.destination.code()).collect::<Vec<_>>(), ["CN", "VN"], "{per:?}");
    // China (D:5): NAC only, never ACA.
    assert_eq!(per[0], DestinationExceptions { destination: "CN".parse().unwrap(), overcome_by: vec!["NAC".into()] });
    // Vietnam (D:1, not D:5): ACA.
    assert!(per[1].overcome_by.contains(&"ACA".to_string()), "{per:?}");

    let text = d.explain(false);
    let line = text.lines().find(|l| l.contains("overcome by licence exception NAC for CN")).expect(&text);
    assert!(line.contains("; ") && line.contains(" for VN") && line.contains("ACA"), "{line}");
    assert!(!text.contains("overcome by licence exception NAC, ACA"), "{text}");

    let json = serde_json::to_value(&d).unwrap();
    let r = json["requirements"].as_array().unwrap().iter().find(|r| r["id"] == "742.6(a)(6)(iii)").unwrap();
    assert_eq!(r["overcome_by_destination"][0], serde_json::json!({"destination": "CN", "overcome_by": ["NAC"]}));
}

#[test]
fn one_destination_is_written_as_before_and_old_records_still_read() {
    // No party abroad: one destination, no per-destination list, the text as before.
    let d = decide(Vec::new());
    let r = d.requirements.iter().find(|r| r.id == "742.6(a)(6)(iii)").expect("742.6(a)(6)(iii) applies");
    assert_eq!(r.overcome_by, ["NAC"]);
    assert!(r.overcome_by_destination.is_empty());
    assert!(d.explain(false).contains("overcome by licence exception NAC (see its obligations)"));
    let json = serde_json::to_string(&d).unwrap();
    assert!(!json.contains("overcome_by_destination"), "{json}");
    // A multi-destination determination recorded before the field existed reads, without it.
    let mut old = serde_json::to_value(in_vietnam()).unwrap();
    for r in old["requirements"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("overcome_by_destination");
    }
    let read: Determination = serde_json::from_value(old).unwrap();
    assert!(read.requirements.iter().all(|r| r.overcome_by_destination.is_empty()));
    assert!(read.explain(false).contains("overcome by licence exception NAC, ACA"));
}
