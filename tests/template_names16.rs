//! Tester round 16, O1: a template's name for a company (`XYZ Ltd`, `N/A Inc`, `Your Company
//! Name`, `Demo Ltd`) was taken as a party's name, so an Entity List screening attested
//! for it cleared the H100 to Germany on 2024-06-01. Such a name screens nobody (15 CFR 744.11
//! reaches a party by its name; 15 CFR 748.5(e) defines the end user as a person): the
//! determination is indeterminate, naming the name for screening, on both paths.
//!
//! And the rule refuses no real name: no name or alias of the shipped pack's screening lists,
//! no vendor of the shipped catalog, and none of the real companies below (the vendors of the
//! project's reference chips table, and real companies whose names come close to a template).

use export_controls::model::{Party, Role, Screening};
use export_controls::ruleset::{is_placeholder_name, normalize_name};
use export_controls::{Catalog, CompiledPack, FastQuery, Options, Query, RuleSet, Scratch, Verdict};

/// The H100 to Germany on 2024-06-01 for an end user so named in Germany, screened against the
/// Entity List that day: the determination, after checking that the fast path agrees.
fn decide(name: &str) -> export_controls::Determination {
    let mut p = Party::new(Role::EndUser);
    p.name = Some(name.into());
    p.country = Some("DE".parse().unwrap());
    p.headquarters = p.country;
    p.parent_headquarters = p.country;
    p.screened.push(Screening::parse_short("entity_list@2024-06-01").unwrap());
    let ordinary = export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let mut q = Query::export_to("DE".parse().unwrap(), "2024-06-01".parse().unwrap()).with_exporter(ordinary);
    q.parties = vec![p];
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let d = rules.evaluate(h100, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(h100, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "fast path for {name}");
    d
}

#[test]
fn template_names_are_not_cleared() {
    for name in [
        // The tester's names.
        "XYZ Ltd",
        "ABC Company",
        "Company Name",
        "Test Corp",
        "N/A Inc",
        // Their kin.
        "ABC Ltd.",
        "XYZ Corp.",
        "XYZ Co., Ltd.",
        "ABC",
        "XXX Inc.",
        "n.a. GmbH",
        "T.B.D. Ltd",
        "TODO LLC",
        "Your Company Name",
        "Insert Company Name",
        "Demo Ltd",
        "Lorem Ipsum Ltd",
    ] {
        let d = decide(name);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
        assert!(d.missing.iter().any(|m| m.contains("name")), "{name}: {:?}", d.missing);
    }
}

#[test]
fn a_real_name_beside_them_is_still_cleared() {
    // 15 CFR 742.6(a)(6)(iii): no licence for 3A090 items to Germany (A:5) on 2024-06-01.
    for name in ["X Corp.", "Example AS", "XYZ Robotics Inc.", "Acme United Corporation"] {
        assert_eq!(decide(name).verdict, Verdict::NoLicenseRequired, "{name}");
    }
}

#[test]
fn no_real_name_is_refused() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let mut names: Vec<String> = Vec::new();
    for entry in rules.lists() {
        names.push(entry.name.clone());
        names.extend(entry.aliases.iter().cloned());
    }
    let listed = names.len();
    assert!(listed >= 10, "only {listed} names and aliases on the pack's lists");
    // Every vendor of the catalog but `OEM`, the desktop configuration's, which names no maker
    // on purpose (a placeholder word since tester round 6, S12).
    names.extend(catalog.iter().map(|p| p.product().vendor.clone()).filter(|v| v != "OEM"));
    names.extend(
        [
            // The vendors of the reference chips table.
            "AMD",
            "Apple",
            "Cambricon",
            "Google",
            "Huawei",
            "Intel",
            "NVIDIA",
            // Real companies whose names come close to a template's.
            "X Corp.",
            "3M Company",
            "ABB Ltd.",
            "AAA Cooper Transportation",
            "ABC Technologies Holdings Inc.",
            "XYZ Robotics Inc.",
            "Acme United Corporation",
            "Arrow Electronics, Inc.",
            "Demant A/S",
            "Sample Technologies Ltd.",
            "Example AS",
            "Individual Computers GmbH",
        ]
        .map(String::from),
    );
    let refused: Vec<&String> = names.iter().filter(|n| is_placeholder_name(&normalize_name(n))).collect();
    assert!(refused.is_empty(), "real names refused as placeholders: {refused:?}");
}
