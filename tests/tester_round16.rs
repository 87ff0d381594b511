//! Tester round 16 (branch `tester16`): a fresh, hostile user.
//!
//! - F1: a package of several dies given as a system. Dies in one package are one integrated
//!   circuit, whose TPP is summed over its processing units and whose performance density is
//!   taken over all its applicable logic dies (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical
//!   Notes; 88 FR 73458; rules/us-ear/NOTES.md §3). Two H20-class dies (TPP 2,368 and 814 mm²
//!   each) in one package are TPP 4,736 over 1,628 mm², performance density 2.91: 3A090.b.1
//!   (2,400 ≤ TPP < 4,800 and 1.6 ≤ PD < 5.92), which needs a licence to China that License
//!   Exception NAC may overcome (742.6(a)(6)(iii), 740.8), never "no licence required". Written
//!   as `kind = "computer"` whose package says `OAM module, 2 compute dies`, holding the two
//!   dies as `contains`, each die was read as a separately packaged IC (the pack's per-IC
//!   reading, rules/us-ear/NOTES.md §4) and the package was cleared to China on 2024-06-01.
//!   Such a sheet is refused now (E0528), from a file and built in code.

mod common;

use common::{determine_both, line_of, ordinary_query, parse_sheet, sheet_refusal};
use export_controls::diagnostic::Code;
use export_controls::{CompiledPack, PreparedProduct, RuleSet, Verdict};

/// A package of two H20-class compute dies written as a system holding them (tester16 F1).
const TWO_DIES_AS_A_SYSTEM: &str = r#"id = "t16-two-die-package"
name = "Two-die accelerator package"
vendor = "Example Semi"
kind = "computer"
package = "OAM module, 2 compute dies"
designed_or_marketed_for_datacenter = true
contains = [{ product = "nvidia-h20", count = 2 }]
"#;

/// The same package as one integrated circuit: the H20's rates twice (two dies, each the
/// H20's TPP 2,368) and two 814 mm² FinFET dies.
const TWO_DIES_AS_ONE_IC: &str = r#"id = "t16-two-die-ic"
name = "Two-die accelerator package"
vendor = "Example Semi"
kind = "integrated_circuit"
package = "OAM module, 2 compute dies"
designed_or_marketed_for_datacenter = true
process_node = "TSMC 4N"
interconnect_bandwidth = 1028

[dense_tops]
complete = true
fp16 = 296
bf16 = 296
fp8 = 592
int8 = 592

[[logic_die]]
name = "compute die"
area = 814
count = 2
non_planar = true
"#;

#[test]
fn f1_a_system_whose_package_counts_dies_is_refused() {
    assert_eq!(sheet_refusal(TWO_DIES_AS_A_SYSTEM), [(Code::E0528, line_of(TWO_DIES_AS_A_SYSTEM, "kind ="), 8)]);
    for text in ["OAM, 2 GCDs", "MCM of 8 chiplets", "module with 2 GPU dies", "8 XCD + 4 IOD"] {
        let sheet = TWO_DIES_AS_A_SYSTEM.replace("OAM module, 2 compute dies", text);
        assert_eq!(sheet_refusal(&sheet).first().map(|d| d.0), Some(Code::E0528), "{text}");
    }
    // In the name as in the package.
    let named = TWO_DIES_AS_A_SYSTEM
        .replace("name = \"Two-die accelerator package\"", "name = \"Accelerator (2 compute dies)\"")
        .replace("package = \"OAM module, 2 compute dies\"\n", "");
    assert_eq!(sheet_refusal(&named).first().map(|d| d.0), Some(Code::E0528));
}

#[test]
fn f1_built_in_code_the_same_system_is_invalid() {
    let mut board = parse_sheet(&common::read("rules/products/nvidia-hgx-h20.toml")).unwrap();
    assert!(board.validate().is_ok(), "the HGX H20 board itself is valid");
    board.id = "t16-in-code".into();
    board.package = Some("OAM module, 2 compute dies".into());
    let problems = board.validate().unwrap_err().0;
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), [Code::E0528]);
}

#[test]
fn f1_systems_naming_their_packages_are_not_refused() {
    // A system names its separately packaged parts: modules, GPUs, compute trays, tiles.
    for text in [
        "HGX baseboard, 8 SXM modules with NVSwitch",
        "rack: 18 compute trays of 2 GB200 Superchips, 9 NVLink switch trays",
        "4U rack server, 8 double-width PCIe GPUs",
        "cabinet of 6 training tiles",
        "2 x B200 (1,000 W)",
    ] {
        let sheet = TWO_DIES_AS_A_SYSTEM.replace("OAM module, 2 compute dies", text);
        assert!(parse_sheet(&sheet).is_ok(), "{text}: {:?}", parse_sheet(&sheet).err());
    }
}

#[test]
fn f1_the_package_as_one_ic_is_3a090b_and_needs_a_licence_or_nac_to_china() {
    let rules = RuleSet::shipped().unwrap();
    let pack = CompiledPack::new(rules.clone());
    let ic = PreparedProduct::new(parse_sheet(TWO_DIES_AS_ONE_IC).unwrap());
    let q = ordinary_query("CN", "2024-06-01", Vec::new()).exported_from("US".parse().unwrap());
    let d = determine_both(&rules, &pack, &ic, &q);
    assert_eq!(d.eccns, ["3A090.b"]);
    assert_eq!(d.verdict, Verdict::LicenseException);
    assert_eq!(d.exceptions.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["NAC"]);
}

// - F2: a name that lost its bytes. The page's form is read as UTF-8, and bytes that are not
//   (a form sent in Latin-1, `Hu%E1wei` for `Huáwei`) were decoded to the replacement
//   character U+FFFD: the end user `Hu\u{fffd}wei` (two words, neither a listed name) with a
//   screening attestation was NO LICENCE REQUIRED for an H100 to Malaysia on 2025-06-01, where
//   `Huáwei` itself is left open as Huawei Technologies Co., Ltd. (Entity List, 84 FR 22961).
//   A name holding U+FFFD is refused (E0523) in files, request bodies and values built in code.

/// A transaction of an H100 to Malaysia on 2025-06-01 for one end user named `name` (written
/// into JSON as given), screened against the Entity List of that date, its owners known.
fn h100_to_my_json(name: &str) -> String {
    format!(
        r#"{{"product":"nvidia-h100-sxm5-80gb","destination":"MY","exported_from":"US","date":"2025-06-01",
"exporter":{{"front_end_fabricator_or_osat":false}},
"party":[{{"role":"end_user","name":"{name}","country":"MY","headquarters":"MY","parent_headquarters":"MY",
"owners_known":true,"screened":[{{"list":"entity_list","list_date":"2025-06-01","by":"a test"}}]}}]}}"#
    )
}

#[test]
fn f2_a_name_holding_the_replacement_character_is_refused() {
    use export_controls::diagnostic::SourceFile;
    use export_controls::model::Transaction;
    for name in ["Hu\\ufffdwei", "Hu\u{fffd}wei"] {
        let text = h100_to_my_json(name);
        let e = Transaction::parse(&SourceFile::new("t.json", text.clone())).unwrap_err();
        let codes: Vec<Code> = e.0.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::E0523], "{name}: {e}");
        assert!(e.to_string().contains("U+FFFD"), "{e}");
        assert_eq!(e.0[0].line, 3, "{name}");
    }
}

#[test]
fn f2_built_in_code_a_name_holding_the_replacement_character_is_refused() {
    use export_controls::model::{Role, validate_parties};
    let end_user = common::attested(Role::EndUser, "Hu\u{fffd}wei", "MY", "2025-06-01");
    assert!(validate_parties(std::slice::from_ref(&end_user)).is_err());
    let rules = RuleSet::shipped().unwrap();
    let catalog = export_controls::Catalog::shipped().unwrap();
    let q = ordinary_query("MY", "2025-06-01", vec![end_user]);
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    assert!(rules.evaluate(h100, &q, export_controls::Options::default()).is_err(), "never decided");
    // A product's name or vendor likewise.
    let mut l4 = parse_sheet(&common::read("rules/products/nvidia-l4.toml")).unwrap();
    l4.id = "t16-vendor".into();
    l4.vendor = "NV\u{fffd}DIA".into();
    let problems = l4.validate().unwrap_err().0;
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), [Code::E0523]);
    // Decoded as written, the name is left open as Huawei Technologies Co., Ltd.
    let d = common::h100_to_my_end_user("Huáwei");
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.missing.iter().any(|m| m.contains("EL:huawei-technologies")), "{:?}", d.missing);
}
