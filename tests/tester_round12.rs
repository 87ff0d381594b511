//! Tester round 12 (branch `tester12`, tester12/FINDINGS.md T10 and T17): two false clearances
//! from input facts. Verdicts are checked through `RuleSet::evaluate` and `CompiledPack::decide`
//! alike ([`determine_catalog`]).
//!
//! - T10: a party "name" that stands for several unnamed parties or points elsewhere for the
//!   name names nobody who could be screened (15 CFR 744.11 and Supp. No. 4 to part 744 reach a
//!   party by its name; 748.5(d)-(e) define the intermediate consignee and the end user as
//!   persons): the name is missing, as for `Various`, never a clearance.
//! - T17: a stand-alone memory named as HBM with `hbm = false` contradicts itself (3A090.c covers
//!   HBM whether or not it follows the JEDEC standards, 89 FR 96790): refused (E0526), from a
//!   sheet and from code.

mod common;

use common::{attested, determine_catalog as determine, ordinary_query};
use export_controls::Verdict;
use export_controls::diagnostic::Code;
use export_controls::model::{Role, parse_product_sheet};
use export_controls::ruleset::SourceFile;

const ON: &str = "2025-06-01";

/// T10: an H100 to Malaysia on 2025-06-01 (before the Affiliates rule; MY is in no group of
/// 742.6(a)(6)(iii), so a screened, named end user needs no licence) for an end user so named is
/// indeterminate, missing the end user's name.
#[test]
fn an_end_user_named_as_a_class_or_a_reference_is_a_missing_name() {
    for name in [
        "Multiple end users",
        "Same as consignee",
        "See attached list",
        "Retail customers",
        "Cloud customers (various)",
        "Various",
        "TBD",
        "N/A",
    ] {
        let d = determine(
            "nvidia-h100-sxm5-80gb",
            &ordinary_query("MY", ON, vec![attested(Role::EndUser, name, "MY", ON)]),
        );
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
        assert!(d.missing.iter().any(|m| m.contains("name (for screening)")), "{name}: {:?}", d.missing);
    }
    // Decided (src/names/unnamed.rs): real company names holding such words are names.
    for name in ["Various Technologies Sdn. Bhd.", "Customers Bancorp Sdn. Bhd.", "Pacific Distributors Sdn. Bhd."] {
        let d = determine(
            "nvidia-h100-sxm5-80gb",
            &ordinary_query("MY", ON, vec![attested(Role::EndUser, name, "MY", ON)]),
        );
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{name}: {:?}", d.missing);
    }
}

/// T10: the same for an intermediate consignee in Singapore (A:6) beside a named Malaysian end
/// user: the forwarder that will hold the goods is not named, so it was never screened
/// (744.11 reaches an intermediate consignee on the Entity List; 748.5(d)).
#[test]
fn an_intermediate_consignee_not_yet_chosen_is_a_missing_name() {
    let end_user = attested(Role::EndUser, "Example Cloud Malaysia Sdn. Bhd.", "MY", ON);
    for name in ["Forwarder to be nominated", "Any forwarder", "Buyer's nominated agent", "Various distributors"] {
        let consignee = attested(Role::IntermediateConsignee, name, "SG", ON);
        let d = determine("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![end_user.clone(), consignee]));
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
        assert!(d.missing.iter().any(|m| m.contains("name (for screening)")), "{name}: {:?}", d.missing);
    }
    let consignee = attested(Role::IntermediateConsignee, "Example Logistics Pte. Ltd.", "SG", ON);
    let d = determine("nvidia-h100-sxm5-80gb", &ordinary_query("MY", ON, vec![end_user, consignee]));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}

/// The tester's sheet (tester12/t17-hbm-flag-false.toml) with `name` and `kind` given.
fn memory_sheet(name: &str, kind: &str, hbm: bool) -> String {
    format!(
        "id = \"t12-hbm3e-stack\"\nname = \"{name}\"\nvendor = \"SK hynix\"\nkind = \"memory\"\ndesigned_or_marketed_for_datacenter = true\nsources = [\"test\"]\n[memory]\nkind = \"{kind}\"\nbandwidth = 1180\ncapacity = 36\nhbm = {hbm}\n"
    )
}

/// T17: `HBM3E 12-high stack` with `kind = "Stacked DRAM"`, `hbm = false` and no stack area is
/// refused at `hbm` (line 11, column 7), from the file and from code; E0221 still answers a
/// kind naming HBM; a name without HBM and `hbm = true` both stand.
#[test]
fn a_memory_named_hbm_cannot_say_hbm_false() {
    for name in ["HBM3E 12-high stack", "12-High High Bandwidth Memory Stack", "SK hynix hbm3e 36GB"] {
        let text = memory_sheet(name, "Stacked DRAM", false);
        let e = parse_product_sheet(&SourceFile::new("t17.toml", text)).unwrap_err();
        assert_eq!(e.0.len(), 1, "{name}: {e}");
        assert_eq!(e.0[0].code, Code::E0526, "{name}: {e}");
        let shown = e.to_string();
        assert!(shown.contains("t17.toml:11:7"), "{shown}");
        let mut code =
            parse_product_sheet(&SourceFile::new("t17.toml", memory_sheet(name, "Stacked DRAM", true))).unwrap();
        code.memory.as_mut().unwrap().hbm = Some(false);
        let e = code.validate().unwrap_err();
        assert_eq!(e.0[0].code, Code::E0526, "{name}: {e}");
    }
    let e = parse_product_sheet(&SourceFile::new("t17.toml", memory_sheet("HBM3E 12-high stack", "HBM3E", false)))
        .unwrap_err();
    assert_eq!(e.0.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0221], "{e}");
    assert!(
        parse_product_sheet(&SourceFile::new("t17.toml", memory_sheet("HBM3E 12-high stack", "Stacked DRAM", true)))
            .is_ok()
    );
    let gddr = memory_sheet("GDDR7 32Gb device", "GDDR7", false).replace("bandwidth = 1180", "bandwidth = 128");
    assert!(parse_product_sheet(&SourceFile::new("t17.toml", gddr)).is_ok());
}
