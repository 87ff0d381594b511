//! W7 (tester round 11): Entity List names written with their legal form spelt out or
//! abbreviated otherwise. Screening software reads `Company Limited` as `Co., Ltd.` as it reads
//! case, punctuation and spacing: a party so named is the listed entity, and the licence of
//! 15 CFR 744.11 (Supp. No. 4 to part 744: Huawei Technologies Co., Ltd., 84 FR 22961; SMIC,
//! "Semiconductor Manufacturing International Corporation", 85 FR 83416; entries in
//! rules/us-ear/entity-list.toml) applies, not a "possible match". A name that is close without
//! being the same (a legal form left out or another one) stays open naming the entry, and
//! unlisted companies whose names differ stay cleared. Both paths ([`common::h100_to_my_end_user`]).

mod common;

use common::{assert_cleared, assert_left_open_naming_entry, h100_to_my_end_user, requirement_ids};
use export_controls::Verdict;

#[test]
fn a_listed_name_with_its_legal_form_spelt_out_is_the_entry() {
    for (name, entry) in [
        ("Huawei Technologies Company Limited", "EL:huawei-technologies"),
        ("HUAWEI TECHNOLOGIES CO., LIMITED", "EL:huawei-technologies"),
        ("Huawei Technologies Company Ltd.", "EL:huawei-technologies"),
        ("Semiconductor Manufacturing International Corp.", "EL:smic"),
        ("Dawning Information Industry Company Limited", "EL:sugon"),
        ("Moore Threads Intelligent Technology (Beijing) Company Limited", "EL:moore-threads"),
        ("Shanghai Biren Technology Company Limited", "EL:biren-technology"),
    ] {
        let d = h100_to_my_end_user(name);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{name}: {:?}", d.missing);
        assert!(requirement_ids(&d).contains(&"744.11"), "{name}: {:?}", requirement_ids(&d));
        assert!(
            d.requirements.iter().any(|r| r.id == "744.11" && format!("{r:?}").contains(&format!("entry {entry} "))),
            "{name} should name {entry}: {:?}",
            d.requirements
        );
    }
}

#[test]
fn a_close_name_with_another_legal_form_stays_open() {
    assert_left_open_naming_entry(&[
        ("Huawei Technologies Ltd", "EL:huawei-technologies"),
        ("Huawei Technologies Corporation", "EL:huawei-technologies"),
        ("Semiconductor Manufacturing International Company", "EL:smic"),
        ("Sugon Company Limited", "EL:sugon"),
    ]);
}

#[test]
fn unlisted_companies_with_legal_forms_spelt_out_stay_cleared() {
    assert_cleared(&[
        "Taiwan Semiconductor Manufacturing Company Limited",
        "Samsung Electronics Company Limited",
        "Advanced Micro Devices Incorporated",
        "Example Compute Corporation",
    ]);
}
