//! names8: false clearances left in list screening by names7 (tester round 6's leftovers), through
//! `RuleSet::evaluate` and `CompiledPack::decide` alike (the fast path behind `screen` and the
//! service; [`common::h100_to_my_end_user`] checks that the two give the same verdict; the
//! binary's `check`: crates/cli/tests/names8.rs).
//!
//! Expected values: the Entity List (15 CFR 744.11; Supp. No. 4 to part 744, entries in
//! rules/us-ear/entity-list.toml) requires a licence for every item subject to the EAR for a
//! listed party, whatever the spelling: a name that may be a listed one is a possible match to be
//! resolved, never cleared by an attestation (ITA's Consolidated Screening List fuzzy name search
//! counts Damerau-Levenshtein edits, a swap of two adjacent letters one edit). And the cost of
//! leaving names open: real companies that are not listed stay cleared.

mod common;

use common::{assert_cleared, assert_left_open_naming_entry};

/// 1. Two edits in a listed word of 6 or 7 letters, one of them a swap of adjacent letters
/// (`HWAWIE`: `U` written `W` and `EI` swapped; `HAUWIE`: two swaps), and one swap alone
/// (`HUAWIE`, `HAUWEI`): each was, or stays, open with the Huawei entry named. `Hwawie` and
/// `Hwawie Technologies` were cleared with the attestation.
#[test]
fn two_edits_with_a_swap_in_a_short_listed_word_are_left_open() {
    assert_left_open_naming_entry(&[
        ("Hwawie", "EL:huawei-technologies"),
        ("Hwawie Technologies", "EL:huawei-technologies"),
        ("Hwawie Technologies Co., Ltd.", "EL:huawei-technologies"),
        ("Huawie", "EL:huawei-technologies"),
        ("Hauwei", "EL:huawei-technologies"),
        ("Hauwie Technologies", "EL:huawei-technologies"),
        ("Zhnogek Shuguang", "EL:sugon"),
        ("Moore Thraeds", "EL:moore-threads"),
    ]);
}

/// 2. A digit slipped into a short listed name (read as not there: `S1MIC`), or a lower-case `l`
/// written for `I` (`SMlC`), beside a place word: the look-alike reading holds the listed name
/// as whole words. `S1MIC Beijing` and `SMlC Beijing` were cleared with the attestation;
/// `SM1C Beijing` and `5MIC Beijing` (a digit for a letter) were already open.
#[test]
fn digits_and_look_alike_letters_in_a_short_listed_name_beside_a_place_are_left_open() {
    assert_left_open_naming_entry(&[
        ("S1MIC Beijing", "EL:smic"),
        ("S1MIC Shanghai Co., Ltd.", "EL:smic"),
        ("SMlC Beijing", "EL:smic"),
        ("SMI1C (Tianjin)", "EL:smic"),
        ("SM1C Beijing", "EL:smic"),
        ("5MIC Beijing", "EL:smic"),
        ("5UG0N Beijing", "EL:sugon"),
        ("Sug0n Information Industry", "EL:sugon"),
        ("B1ren Technology Shanghai", "EL:biren-technology"),
    ]);
}

/// The real unlisted companies of tests/fixtures/real-unlisted-companies.txt (names6's 55,
/// names7's 12, and 48 more: Chinese companies whose names share letters with listed ones,
/// `Shenzhen Hualai Technology`, `Huawen Media Group`, `Huaneng`, `Hua Hong`, `Shougang`,
/// `Sungrow`, `Zhongke Sanhuan`, and short names with digits or SMIC's letters, `S1 Corporation`,
/// `SMC Corporation`), each screened with an attestation: none left open.
#[test]
fn real_unlisted_company_names_stay_cleared() {
    let text = std::fs::read_to_string(common::repo("tests/fixtures/real-unlisted-companies.txt")).unwrap();
    let names: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    assert_eq!(names.len(), 115);
    assert_cleared(&names);
}
