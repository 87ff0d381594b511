//! tester17: a product read through serde (JSON, the library's public API) is as strict as a
//! product sheet: a key the model does not know is refused (a sheet refuses it with E0102),
//! instead of being dropped with the fact it carries.

use export_controls::model::{LogicDie, Memory, ProcessingUnit, Rate};
use export_controls::{Catalog, Options, PreparedProduct, Product, Query, RuleSet, Verdict};
use serde_json::{Value, json};

fn catalog_json(id: &str) -> Value {
    let c = Catalog::shipped().unwrap();
    serde_json::to_value(c.get(id).unwrap().product()).unwrap()
}

fn verdict(p: Product, to: &str, on: &str) -> Verdict {
    let rules = RuleSet::shipped().unwrap();
    let ordinary = export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(ordinary);
    rules.evaluate(&PreparedProduct::new(p), &q, Options::default()).unwrap().verdict
}

/// F1: the L20 (TPP 1,913.6, performance density 3.145: below every band of 88 FR 73458) whose
/// vendor declares 3A090.a is indeterminate to China on 2024-06-01 (a declared paragraph the
/// figures do not reach is a red flag, Supp. No. 3 to part 732; 742.6(a)(6)(iii) needs a
/// licence for 3A090.a to China). Written `"eccn"`, the key used to be dropped and the L20
/// cleared: NO LICENCE REQUIRED. It is refused now, naming the key.
#[test]
fn a_misspelled_declared_eccn_is_refused_not_dropped() {
    let mut right = catalog_json("nvidia-l20");
    right["declared_eccn"] = json!("3A090.a");
    let p: Product = serde_json::from_value(right).unwrap();
    assert_eq!(verdict(p, "CN", "2024-06-01"), Verdict::Indeterminate);

    let mut wrong = catalog_json("nvidia-l20");
    wrong["eccn"] = json!("3A090.a");
    let err = serde_json::from_value::<Product>(wrong).unwrap_err().to_string();
    assert!(err.contains("unknown field `eccn`"), "{err}");
}

/// Every nested part of a product refuses an unknown key too.
#[test]
fn nested_parts_refuse_unknown_keys() {
    let mut v = catalog_json("nvidia-h100-sxm5-80gb");
    v["logic_die"] = v["logic_dies"].clone();
    assert!(serde_json::from_value::<Product>(v).is_err(), "product: `logic_die`");
    let rate = json!({ "precision": "fp8", "tops": "1978.9", "sparse": true });
    assert!(serde_json::from_value::<Rate>(rate).is_err(), "rate: `sparse`");
    let unit = json!({ "name": "GPU", "rates": [], "complet": true });
    assert!(serde_json::from_value::<ProcessingUnit>(unit).is_err(), "unit: `complet`");
    let die = json!({ "area_mm2": "814", "count": 1, "non_planar": true, "wafer_scale_": true });
    assert!(serde_json::from_value::<LogicDie>(die).is_err(), "die: `wafer_scale_`");
    let mem = json!({ "kind": "HBM3", "bandwidth": "3350" });
    assert!(serde_json::from_value::<Memory>(mem).is_err(), "memory: `bandwidth`");
    // The catalog's own products still read back as they were written.
    for p in Catalog::shipped().unwrap().iter() {
        let json = serde_json::to_string(p.product()).unwrap();
        assert_eq!(&serde_json::from_str::<Product>(&json).unwrap(), p.product());
    }
}
