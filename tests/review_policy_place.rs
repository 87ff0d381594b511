//! Where a declared end use takes place, for a review policy (parties13, item 1). A review policy
//! keyed to the place of an end use (`end_use_in`; 15 CFR 744.23(d) and 744.21(e) review
//! applications by the end use and where it is) read the declaring party's location for an end
//! use declared without its place, so a policy could be chosen on a presumption: a party in
//! France declaring a military end use bare got the lenient policy written for France, though
//! its end use may be in China. The place is now a missing fact for a review policy too: the
//! stricter policy the unknown place leaves possible is given, with a warning naming the place,
//! and the verdict stays definite (the licence is required wherever the end use is; the policy
//! says only how an application is reviewed).
//!
//! The pack is written here: the shipped pack has no review policy keyed to a place (its
//! 744.21 and 744.23 requirements carry their policy themselves). Its requirement follows
//! 744.21's shape (a licence for a declared military end use) with a case-by-case default, a
//! presumption of denial where the end use is in D:5 and a presumption of approval where it is
//! in Country Group A:1: the policies are the pack's, and each assertion is the one the pack
//! states for the facts given.

use export_controls::model::{DeclaredEndUse, EndUse, Party, Role, parse_product_sheet};
use export_controls::ruleset::{ReviewPolicy, SourceFile, compile};
use export_controls::{Determination, Options, PreparedProduct, Query, Verdict};

const PACK_TOML: &str = "name = \"places\"\ntitle = \"Review policies keyed to places\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = 2022-01-01\nresearched_until = 9999-12-31\n";

const RULES: &str = r#"
[[country_group]]
id = "D:5"
title = "Group D:5"
source = "test"
members = ["CN", "MO"]

[[country_group]]
id = "A:1"
title = "Group A:1"
source = "test"
members = ["FR", "JP"]

[[license_requirement]]
id = "744.21"
title = "Licence for a military end use"
reason = "End use (military)"
source = "test"
items = "all"
parties = { end_uses = ["military_end_use"] }
review_policy = "case_by_case"
from = 2021-06-01

[[review_policy]]
id = "744.21(e)/D:5"
title = "Presumption of denial for a military end use in D:5"
source = "test"
applies_to = ["744.21"]
policy = "presumption_of_denial"
parties = { end_uses = ["military_end_use"], end_use_in = { groups = ["D:5"] } }
from = 2021-06-01

[[review_policy]]
id = "744.21(e)/A:1"
title = "Presumption of approval for a military end use in A:1"
source = "test"
applies_to = ["744.21"]
policy = "presumption_of_approval"
parties = { end_uses = ["military_end_use"], end_use_in = { groups = ["A:1"] } }
from = 2021-06-01
"#;

/// A chip every figure of which is known (TPP 800).
const CHIP: &str = "id = \"chip-a\"\nname = \"Chip\"\nvendor = \"Test\"\nkind = \"integrated_circuit\"\n\
    designed_or_marketed_for_datacenter = false\ninterconnect_bandwidth = \"599\"\n[dense_tops]\nint8 = \"100\"\n\
    [[logic_die]]\narea = \"500\"\nnon_planar = true\n[memory]\nkind = \"HBM3\"\nbandwidth = \"1399\"\n";

/// An export to `to` for an end user located in `located` declaring a military end use in
/// `place` (bare when `None`), decided on the pack above.
fn decide(to: &str, located: &str, place: Option<&str>) -> Determination {
    let files = [SourceFile::new("pack.toml", PACK_TOML), SourceFile::new("rules.toml", RULES)];
    let rules = compile(&files).unwrap_or_else(|d| panic!("{d}"));
    let product = PreparedProduct::new(parse_product_sheet(&SourceFile::new("chip.toml", CHIP)).expect("sheet"));
    let mut q = Query::export_to(to.parse().unwrap(), "2025-06-01".parse().unwrap());
    let mut p = Party::new(Role::EndUser);
    p.name = Some("Example Integrator".into());
    p.country = Some(located.parse().unwrap());
    p.end_uses = vec![DeclaredEndUse { end_use: EndUse::MilitaryEndUse, place: place.map(|c| c.parse().unwrap()) }];
    q.parties = vec![p];
    rules.evaluate(&product, &q, Options::default()).expect("decided")
}

/// The policy of requirement 744.21 and where it comes from.
fn policy(d: &Determination) -> (Option<ReviewPolicy>, String) {
    let r = d.requirements.iter().find(|r| r.id == "744.21").expect("744.21 found");
    (r.review_policy, r.review_policy_source.clone().unwrap_or_default())
}

fn place_warning(d: &Determination) -> Option<&String> {
    d.warnings.iter().find(|w| w.starts_with("Review policy ") && w.contains("may apply to 744.21"))
}

/// The place stated decides the policy: denial in China (D:5), approval in France (A:1), the
/// requirement's case-by-case default in Germany (neither); no warning about the place.
#[test]
fn the_stated_place_decides_the_policy() {
    for (place, want, from) in [
        ("CN", ReviewPolicy::PresumptionOfDenial, "744.21(e)/D:5"),
        ("FR", ReviewPolicy::PresumptionOfApproval, "744.21(e)/A:1"),
        ("DE", ReviewPolicy::CaseByCase, "744.21 "),
    ] {
        let d = decide("FR", "FR", Some(place));
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{place}: {:?}", d.missing);
        let (got, source) = policy(&d);
        assert_eq!(got, Some(want), "{place}");
        assert!(source.starts_with(from), "{place}: {source}");
        assert_eq!(place_warning(&d), None, "{place}");
    }
}

/// A party in France declaring the military end use without its place: the end use may be in
/// China, so the lenient policy for France is not presumed (it was, before parties13): the
/// presumption of denial the unknown place leaves possible is given, with a warning naming the
/// place. The licence is required wherever the end use is, so the verdict stays definite, and
/// `missing` names the place the policy reads.
#[test]
fn a_bare_end_use_gets_the_strictest_policy_its_place_leaves_open() {
    for located in ["FR", "CN", "DE"] {
        let d = decide("FR", located, None);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{located}: {:?}", d.missing);
        let (got, source) = policy(&d);
        assert_eq!(got, Some(ReviewPolicy::PresumptionOfDenial), "{located}: {source}");
        assert!(source.starts_with("744.21(e)/D:5"), "{located}: {source}");
        let w = place_warning(&d).unwrap_or_else(|| panic!("{located}: no warning: {:?}", d.warnings));
        assert!(w.contains("744.21(e)/D:5 (presumption_of_denial)"), "{w}");
        assert!(
            w.contains("end user \"Example Integrator\": where the military end use or military end user is"),
            "{w}"
        );
        assert!(
            d.missing.iter().any(|m| m.starts_with("end user \"Example Integrator\": where the military end use")),
            "{located}: {:?}",
            d.missing
        );
    }
}
