//! The tester's round-5 finding R6 (branch `tester5`, tester5/FINDINGS.md): abbreviated, plural
//! and misspelt forms of Entity List names, and `rn` written for `m`, are left open (never cleared
//! by a screening attestation), through `RuleSet::evaluate` and `CompiledPack::decide` alike (the
//! binary's side: crates/cli/tests/names6.rs). And the cost of leaving them open: ordinary names
//! of real companies that are not listed stay cleared with an attestation.
//!
//! Expected values: the Entity List (15 CFR 744.11; Supp. No. 4 to part 744, entries in
//! rules/us-ear/entity-list.toml) requires a licence for every item subject to the EAR for a listed
//! party, whatever the spelling; screening practice treats a name within one edit, or with its
//! words abbreviated, as a possible match to be resolved (ITA's Consolidated Screening List fuzzy
//! name search: Damerau-Levenshtein distance 1; OFAC Sanctions List Search FAQ 249: name parts
//! compared one by one).

mod common;

use common::{assert_left_open_naming_entry, h100_to_my_end_user};
use export_controls::Verdict;

/// R6. Each name is a listed entity's name or alias with a common business abbreviation, a
/// plural, one letter changed, added, dropped or swapped in a word of 6+ letters, or `rn` for
/// `m`: left open with the entry named, never cleared by the attestation and never matched
/// outright (a real different company is at worst asked about).
#[test]
fn abbreviated_plural_and_misspelt_listed_names_are_left_open() {
    assert_left_open_naming_entry(&[
        ("Semiconductor Manufacturing Intl Corp", "EL:smic"),
        ("Semiconductor Manufacturing Int'l Corporation", "EL:smic"),
        ("Semiconductor Mfg International Corp", "EL:smic"),
        ("Semiconductor Mfg. Int'l Corp.", "EL:smic"),
        ("Biren Technologies", "EL:biren-technology"),
        ("Biren Tech", "EL:biren-technology"),
        ("Beijing Biren Tech Development Co Ltd", "EL:biren-technology"),
        ("Beijing Biren Tech Dev. Co., Ltd.", "EL:biren-technology"),
        ("Dawning Information Industries", "EL:sugon"),
        ("Dawning Info Industry", "EL:sugon"),
        ("Dawning Info Industries Co Ltd", "EL:sugon"),
        ("Hwawei Technologies", "EL:huawei-technologies"),
        ("Huawei Technolgies", "EL:huawei-technologies"),
        ("Hauwei", "EL:huawei-technologies"),
        ("Huaweii Technologies Co Ltd", "EL:huawei-technologies"),
        ("Hwawei Technologies (Shenzhen)", "EL:huawei-technologies"),
        ("Zhongke Shuguamg", "EL:sugon"),
        ("Moore Threds", "EL:moore-threads"),
        ("rnoore Threads", "EL:moore-threads"),
        ("SRNIC", "EL:smic"),
    ]);
}

/// The listed names themselves are still matched outright (a licence, 744.11), and the same
/// forms of a name that is not listed are not taken for a listed one.
#[test]
fn listed_names_match_and_forms_of_other_names_stay_cleared() {
    for name in ["Huawei Technologies Co., Ltd.", "SMIC", "Moore Threads", "Dawning Information Industry"] {
        let d = h100_to_my_end_user(name);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{name}");
    }
    for name in [
        "Taiwan Semiconductor Manufacturing Co., Ltd.",
        "Acme Intl Technologies Corp",
        "Global Mfg Tech Inc",
        "Dawn Info Systems",
        "Hua Xin Technologies",
        "Moore Industries International",
        "Cosmic Technologies",
    ] {
        let d = h100_to_my_end_user(name);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{name}: {:?}", d.missing);
    }
}

// The real unlisted companies this test screened (55 names) are in
// tests/fixtures/real-unlisted-companies.txt with names7's and names8's, all screened by
// tests/names8.rs (`real_unlisted_company_names_stay_cleared`).
