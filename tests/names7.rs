//! Names read otherwise (names7): listed names written with `vv` for `w`, digits for letters, two
//! edits in a long word or glued in one case to a place (names6's leftovers), through
//! `RuleSet::evaluate` and `CompiledPack::decide` alike.
//!
//! Expected values: the Entity List (15 CFR 744.11; Supp. No. 4 to part 744, entries
//! in rules/us-ear/entity-list.toml) requires a licence for every item subject to the EAR for a
//! listed party, whatever the spelling: a name that may be a listed one is a possible match to be
//! resolved (ITA's Consolidated Screening List fuzzy name search counts Damerau-Levenshtein edits),
//! never cleared by an attestation.

mod common;

/// names6's leftovers: each name was cleared with the attestation. Now left open with the entry
/// named, never cleared and never matched outright.
#[test]
fn listed_names_with_vv_digits_two_edits_or_glued_in_one_case_are_left_open() {
    common::assert_left_open_naming_entry(&[
        // `vv` for `w`.
        ("HUAVVEI", "EL:huawei-technologies"),
        ("Huavvei Technologies", "EL:huawei-technologies"),
        ("Huavvei Technologies (Shenzhen)", "EL:huawei-technologies"),
        // Digits for letters, or slipped into a short name.
        ("5UGON", "EL:sugon"),
        ("Sug0n Corp", "EL:sugon"),
        ("S1MIC", "EL:smic"),
        ("5MIC Beijing", "EL:smic"),
        ("HUAW3I Technologies Co Ltd", "EL:huawei-technologies"),
        // Two edits in a listed word of 8 letters or more; a misspelling in each of two words.
        ("Semiconducter Manufacturng International", "EL:smic"),
        ("Biren Tecnolgy", "EL:biren-technology"),
        ("Huawei Tecnolgy", "EL:huawei-technologies"),
        ("Huawie Technolgies", "EL:huawei-technologies"),
        ("Zhongke Shugaugn", "EL:sugon"),
        // A short listed name glued in one case to a place or a company word.
        ("beijingsmic", "EL:smic"),
        ("smicbeijing", "EL:smic"),
        ("SMICSHANGHAI", "EL:smic"),
        ("smicholdings", "EL:smic"),
    ]);
}

/// Real companies that are not on the Entity List and that the new readings come near: digits
/// and `vv` in their names, a place or a word glued to letters that hold `SMIC`, a word two
/// letters from `HUAWEI`. With an attestation they stay cleared (with names6's 55 names in
/// tests/names6.rs).
const REAL_UNLISTED_NEAR: &[&str] = &[
    "3M Company",
    "Savvy Technologies Inc",
    "Avvo, Inc.",
    "Microseismic, Inc.",
    "Seismic Software, Inc.",
    "Cosmic Circuits Private Limited",
    "Shenzhen Hualai Technology Co., Ltd.",
    "Huamei Trading Co Ltd",
    "B4 Technologies Ltd",
    "Sugar Creek Technology",
    "Intelligence Technology Group",
    "Shanghai Semiconductor Equipment Co Ltd",
];

#[test]
fn real_unlisted_names_near_the_new_readings_stay_cleared() {
    common::assert_cleared(REAL_UNLISTED_NEAR);
}
