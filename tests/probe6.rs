//! The tester's round-6 finding S12 (branch `tester6`, tester6/FINDINGS.md), as the library
//! answers it through `RuleSet::evaluate` and `CompiledPack::decide` alike: a name that names
//! nobody is a missing name, never a name.

use export_controls::model::{Exporter, Party, Role, Screening};
use export_controls::{
    Catalog, CompiledPack, Determination, FastQuery, Options, PreparedProduct, Query, RuleSet, Scratch, Verdict,
};

fn query(to: &str, on: &str, parties: Vec<Party>) -> Query {
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    let mut q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(ordinary);
    q.parties = parties;
    q
}

/// The determination of `evaluate`, after checking that `decide` gives the same verdict.
fn determine(rules: &RuleSet, p: &PreparedProduct, q: &Query) -> Determination {
    let d = rules.evaluate(p, q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules.clone());
    let parties = pack.prepare_parties(&q.parties);
    let fast = pack.decide(p, &FastQuery::of(q, &parties), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate");
    d
}

/// S12 (a). The 2025-04-09 letter to NVIDIA (NVIDIA Form 8-K of 2025-04-15; ref §2 row 10;
/// rules/us-ear/NOTES.md §11) reaches the H20 and any NVIDIA IC with its memory or interconnect
/// bandwidth. The H20's figures under a vendor that withholds the maker or says there is none
/// (`Not disclosed`, `OEM`, `White label`) cannot show the part is not NVIDIA's: the vendor is
/// missing, the verdict indeterminate; under a named other maker (`Acme Semiconductor`) the
/// letter does not apply.
#[test]
fn a_vendor_that_names_nobody_is_a_missing_vendor() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = query("CN", "2025-06-01", Vec::new());
    let h20 = |vendor: &str| {
        let mut p = catalog.get("nvidia-h20").unwrap().product().clone();
        p.id = "example-h20-figures".into();
        p.vendor = vendor.into();
        PreparedProduct::new(p)
    };
    for vendor in [
        "Not disclosed",
        "Undisclosed",
        "Confidential",
        "Redacted",
        "Withheld",
        "OEM",
        "Generic",
        "Unbranded",
        "White label",
        "Various",
        "Unknown vendor",
        "Ltd.",
    ] {
        let d = determine(&rules, &h20(vendor), &q);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{vendor}");
        assert!(d.missing.iter().any(|m| m.contains("vendor")), "{vendor}: {:?}", d.missing);
    }
    for vendor in ["Acme Semiconductor", "OEM Technologies Ltd."] {
        let d = determine(&rules, &h20(vendor), &q);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{vendor}: {:?}", d.missing);
    }
}

/// S12 (b). The Entity List (15 CFR 744.11, 744 Supp. No. 4) is screened by name; an end user
/// whose "name" withholds it, names a role or is only a company form screens nothing, and an
/// attestation that it was screened proves nothing about the company: an H100 to Malaysia on
/// 2025-06-01 is left open (a name is missing), as for a blank name; a real name attested is
/// cleared (the H100 needs no licence to Malaysia then: MY is in no group of 742.6(a)(6)(iii)).
#[test]
fn an_end_user_name_that_names_nobody_is_a_missing_name() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap().clone();
    let end_user = |name: &str| {
        let mut p = Party::new(Role::EndUser);
        p.name = Some(name.into());
        p.country = Some("MY".parse().unwrap());
        p.headquarters = p.country;
        p.parent_headquarters = p.country;
        p.owners_known = true;
        p.screened = vec![Screening {
            list: "entity_list".into(),
            list_date: "2025-06-01".parse().unwrap(),
            by: Some("probe6 test".into()),
        }];
        p
    };
    for name in [
        "Confidential",
        "Not disclosed",
        "Undisclosed",
        "Redacted",
        "Withheld",
        "Customer",
        "End User",
        "Unknown Company",
        "Ltd.",
        "Inc.",
        "Sdn. Bhd.",
    ] {
        let d = determine(&rules, &h100, &query("MY", "2025-06-01", vec![end_user(name)]));
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
    }
    let d = determine(&rules, &h100, &query("MY", "2025-06-01", vec![end_user("Example Cloud Malaysia Sdn. Bhd.")]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}
