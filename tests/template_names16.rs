//! Tester round 16, O1: a template's name for a company (`XYZ Ltd`, `N/A Inc`, `Your Company
//! Name`, `Demo Ltd`) was taken as a party's name, so an Entity List screening attested
//! for it cleared the H100 to Germany on 2024-06-01. Such a name screens nobody (15 CFR 744.11
//! reaches a party by its name; 15 CFR 748.5(e) defines the end user as a person): the
//! determination is indeterminate, naming the name for screening, on both paths.
//!
//! And the rule refuses no real name: no name or alias of the shipped pack's screening lists,
//! no vendor of the shipped catalog, and none of the real companies below (the vendors of the
//! project's reference chips table, and real companies whose names come close to a template).

mod common;

use export_controls::ruleset::{is_placeholder_name, normalize_name};
use export_controls::{Catalog, RuleSet};

#[test]
fn template_names_are_not_cleared() {
    common::assert_placeholder_names_left_open(&[
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
    ]);
}

#[test]
fn a_real_name_beside_them_is_still_cleared() {
    // 15 CFR 742.6(a)(6)(iii): no licence for 3A090 items to Germany (A:5) on 2024-06-01.
    common::assert_cleared_in_de(&["X Corp.", "Example AS", "XYZ Robotics Inc.", "Acme United Corporation"]);
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
