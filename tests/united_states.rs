//! Puerto Rico and the US territories are part of the United States for the EAR: "United States.
//! For purposes of the EAR, the States of the United States, the District of Columbia, Puerto
//! Rico, and all territories, dependencies, and possessions of the United States" (15 CFR 772.1).
//! A shipment from the United States to one of them is not an export; a shipment from one of
//! them abroad is an export from the United States, not a reexport (tester round 7, T10).

use export_controls::model::TransactionKind;
use export_controls::{Catalog, CompiledPack, Country, EvaluateError, FastQuery, Query, RuleSet};

const TERRITORIES: [&str; 6] = ["PR", "VI", "GU", "AS", "MP", "UM"];

fn c(code: &str) -> Country {
    code.parse().unwrap()
}

#[test]
fn a_shipment_to_puerto_rico_or_a_territory_is_not_an_export_on_either_path() {
    let rules = RuleSet::shipped().unwrap();
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let on = "2025-06-01".parse().unwrap();
    let mut scratch = export_controls::Scratch::default();
    for t in TERRITORIES {
        for from in ["US", "PR", t] {
            let q = Query::export_to(c(t), on).exported_from(c(from));
            assert!(
                matches!(rules.evaluate(h100, &q, Default::default()), Err(EvaluateError::NotAnExport(d)) if d == c(t)),
                "{from} -> {t}"
            );
            let fq = FastQuery::export_to(c(t), on).exported_from(c(from));
            assert!(
                matches!(pack.decide(h100, &fq, &mut scratch), Err(EvaluateError::NotAnExport(_))),
                "{from} -> {t}"
            );
        }
        // And from a territory to the States.
        let q = Query::export_to(Country::US, on).exported_from(c(t));
        assert!(
            matches!(rules.evaluate(h100, &q, Default::default()), Err(EvaluateError::NotAnExport(_))),
            "{t} -> US"
        );
    }
}

#[test]
fn a_shipment_from_puerto_rico_abroad_is_an_export_from_the_united_states() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let on = "2025-06-01".parse().unwrap();
    let from_us = rules.evaluate(h100, &Query::export_to(c("CN"), on), Default::default()).unwrap();
    for t in TERRITORIES {
        let q = Query::export_to(c("CN"), on).exported_from(c(t));
        assert_eq!(q.kind(), Some(TransactionKind::Export), "{t} -> CN");
        let d = rules.evaluate(h100, &q, Default::default()).unwrap();
        // The H100 (3A090.a) to China needs a licence (15 CFR 742.6(a)(6)(i)), as from the States.
        assert_eq!(d.verdict, export_controls::Verdict::LicenseRequired, "{t} -> CN");
        assert_eq!(d.verdict, from_us.verdict);
        let ids = |d: &export_controls::Determination| d.requirements.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d), ids(&from_us), "{t} -> CN");
    }
    // A foreign country is still a reexport.
    assert_eq!(Query::export_to(c("CN"), on).exported_from(c("SG")).kind(), Some(TransactionKind::Reexport));
}
