//! Tester round 17, D4, in the HTML report: a transaction determined for several destinations
//! says per destination which licence exception overcomes a requirement. An RTX 4090 (3A090.a,
//! non-datacenter: NAC and ACA eligible) from the US to China on 2024-06-01 for an ultimate
//! consignee and end user in Vietnam: NAC covers CN (D:5), ACA covers VN (D:1 outside D:5),
//! 15 CFR 740.8 as amended by 89 FR 23876 (2024-04-04).

use export_controls::model::{Party, Role};
use export_controls::{Catalog, Options, Query, RuleSet};

#[test]
fn the_report_says_which_destination_each_exception_covers() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let mut q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    for role in [Role::UltimateConsignee, Role::EndUser] {
        let mut p = Party::new(role);
        p.name = Some("Saigon Games".into());
        p.country = Some("VN".parse().unwrap());
        p.headquarters = p.country;
        q.parties.push(p);
    }
    let d = rules.evaluate(catalog.get("nvidia-rtx-4090").unwrap(), &q, Options::default()).unwrap();
    let html = export_controls_service::report::determination_html(&d);
    let at = html.find("; overcome by NAC for CN; ").expect(&html);
    let rest = &html[at..at + html[at..].find('<').unwrap_or(html.len() - at)];
    assert!(rest.contains("ACA") && rest.contains(" for VN"), "{rest}");
    assert!(!html.contains("overcome by NAC, ACA"), "{html}");
}
