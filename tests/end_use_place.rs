//! The tester's round-6 finding S8 (branch `tester6`, tester6/FINDINGS.md): where a declared end
//! use takes place is a fact of its own, not the party's location. 15 CFR 744.23(a)(1) reaches
//! items for a supercomputer "located in or destined to" Macau or a Country Group D:5 country,
//! 744.23(a)(2) items for IC development or production at a facility there, 744.21 items for a
//! military end use in the countries it lists, and the BIS policy statement of 2025-05-13 AI
//! training for WMD or military-intelligence end uses in D:5, wherever the party sits
//! (rules/us-ear/NOTES.md §9). Each verdict is checked through `RuleSet::evaluate` and
//! `CompiledPack::decide` alike.

mod common;

use common::{attested, determine_catalog as determine, ordinary_query, placed, requirement_ids};
use export_controls::evaluate::Certainty;
use export_controls::model::{DeclaredEndUse, EndUse, Party, Role, Transaction};
use export_controls::ruleset::SourceFile;
use export_controls::{Query, Verdict};

/// A Malaysian integrator (located, headquartered and with its parent in MY, owners known,
/// attested screened against the Entity List of the day) declaring `uses`.
fn integrator(uses: Vec<DeclaredEndUse>, on: &str) -> Party {
    let mut p = attested(Role::EndUser, "Example Systems Sdn. Bhd.", "MY", on);
    p.end_uses = uses;
    p
}

/// An L20 (below every 3A090 band, so only the end-use rules reach it: worked in
/// rules/us-ear/tests/end-uses.toml) to Malaysia on 2025-06-01, for an end use declared without
/// its place by a party located outside the rule's countries: the place decides the
/// requirement and is not given, so the answer is open, naming the place (it was cleared).
#[test]
fn an_end_use_without_its_place_outside_the_rules_countries_is_open() {
    let cases = [
        (EndUse::Supercomputer, "744.23(a)(1)", "where the supercomputer is located or destined"),
        (
            EndUse::AdvancedNodeIcProduction,
            "744.23(a)(2)",
            "where the facility that develops or produces the ICs is located",
        ),
        (EndUse::MilitaryEndUse, "744.21", "where the military end use or military end user is"),
    ];
    for (use_, id, fact) in cases {
        let q = ordinary_query("MY", "2025-06-01", vec![integrator(vec![use_.into()], "2025-06-01")]);
        let d = determine("nvidia-l20", &q);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{use_}: {:?}", d.missing);
        assert_eq!(requirement_ids(&d), [id], "{use_}");
        assert!(
            d.missing.iter().any(|m| m.starts_with("end user \"Example Systems Sdn. Bhd.\": ") && m.contains(fact)),
            "{use_}: {:?}",
            d.missing
        );
    }
}

/// The same end uses with their place: in China (D:5 from 2023-11-17; one of 744.21's
/// countries) a licence is required under the rule, reviewed with a presumption of denial; in
/// Malaysia (neither) none is.
#[test]
fn the_declared_place_decides() {
    for (use_, id) in [
        (EndUse::Supercomputer, "744.23(a)(1)"),
        (EndUse::AdvancedNodeIcProduction, "744.23(a)(2)"),
        (EndUse::MilitaryEndUse, "744.21"),
    ] {
        let q = ordinary_query("MY", "2025-06-01", vec![integrator(vec![placed(use_, "CN")], "2025-06-01")]);
        let d = determine("nvidia-l20", &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{use_} in CN: {:?}", d.missing);
        assert_eq!(requirement_ids(&d), [id], "{use_} in CN");

        let q = ordinary_query("MY", "2025-06-01", vec![integrator(vec![placed(use_, "MY")], "2025-06-01")]);
        let d = determine("nvidia-l20", &q);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{use_} in MY: {:?}", d.missing);
    }
    // Macau is named by 744.23(a)(1) beside D:5 (88 FR 73458); Russia is one of 744.21's. The
    // items are used where the end use takes place, so Russia is also a destination (tester
    // round 11, W10): 15 CFR 746.8(a)(1)'s licence for Russia applies there too.
    let q =
        ordinary_query("MY", "2025-06-01", vec![integrator(vec![placed(EndUse::Supercomputer, "MO")], "2025-06-01")]);
    assert_eq!(requirement_ids(&determine("nvidia-l20", &q)), ["744.23(a)(1)"]);
    let q =
        ordinary_query("MY", "2025-06-01", vec![integrator(vec![placed(EndUse::MilitaryEndUse, "RU")], "2025-06-01")]);
    assert_eq!(requirement_ids(&determine("nvidia-l20", &q)), ["744.21", "746.8(a)(1)/RU"]);
}

/// An end use declared without a place by a party located in the rule's countries: the
/// supercomputer of a systems company in China may be in China, or abroad (15 CFR 744.23(a)(1)
/// reaches one "located in or destined to" Macau or D:5), so the place is not presumed: the
/// licence may be required, and the determination names the place. Stated in China, it is.
#[test]
fn a_party_located_in_the_rules_countries_does_not_stand_for_the_place() {
    let mut p = integrator(vec![EndUse::Supercomputer.into()], "2025-06-01");
    p.name = Some("Example Systems Co. Ltd.".into());
    p.country = Some("CN".parse().unwrap());
    let d = determine("nvidia-l20", &ordinary_query("MY", "2025-06-01", vec![p.clone()]));
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.missing.iter().any(|m| m.contains("where the supercomputer is")), "{:?}", d.missing);
    p.end_uses = vec![placed(EndUse::Supercomputer, "CN")];
    let d = determine("nvidia-l20", &ordinary_query("MY", "2025-06-01", vec![p]));
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), ["744.23(a)(1)"]);
}

/// The BIS policy statement of 2025-05-13 reaches 3A090.a items (the H100: TPP 15,832 ≥ 4,800)
/// for training AI models for WMD or military-intelligence end uses in D:5: an H100 to a
/// Malaysian trainer (headquartered in MY, so the headquarters branch of the statement does not
/// reach it) is not reached by the statement's D:5 rule without the place, is reached for such an
/// end use in China, and is not reached for one in Malaysia. Wherever the training is, 15 CFR
/// 744.2-744.4 reach it (a declaration that does not say whether the use is WMD or military
/// intelligence may be WMD: tester round 14, F1), so the licence is required in all three.
#[test]
fn ai_training_for_wmd_end_uses_in_d5_reads_the_place() {
    let training = EndUse::AiModelTrainingForWmdOrMilitaryIntelligence;
    let q = ordinary_query("MY", "2025-06-01", vec![integrator(vec![training.into()], "2025-06-01")]);
    let d = determine("nvidia-h100-sxm5-80gb", &q);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    let certainty = |id: &str| d.requirements.iter().find(|r| r.id == id).map(|r| r.certainty);
    assert_eq!(certainty("744.2-744.4"), Some(Certainty::Certain), "{:?}", d.requirements);
    // The statement's own rule turns on the place, which is not given: it only may apply.
    assert_eq!(certainty("BIS policy statement 2025-05-13/D:5"), Some(Certainty::Possible), "{:?}", d.requirements);

    let q = ordinary_query("MY", "2025-06-01", vec![integrator(vec![placed(training, "CN")], "2025-06-01")]);
    let d = determine("nvidia-h100-sxm5-80gb", &q);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert!(requirement_ids(&d).contains(&"BIS policy statement 2025-05-13/D:5"));

    let q = ordinary_query("MY", "2025-06-01", vec![integrator(vec![placed(training, "MY")], "2025-06-01")]);
    let d = determine("nvidia-h100-sxm5-80gb", &q);
    assert!(!requirement_ids(&d).iter().any(|id| id.starts_with("BIS policy statement")), "{:?}", d.requirements);
    assert!(requirement_ids(&d).contains(&"744.2-744.4"), "{:?}", d.requirements);
}

/// 744.2 to 744.4 reach WMD end uses anywhere: the place changes nothing.
#[test]
fn wmd_end_uses_need_a_licence_wherever_they_are() {
    for uses in [vec![EndUse::Wmd.into()], vec![placed(EndUse::Wmd, "MY")]] {
        let q = ordinary_query("MY", "2025-06-01", vec![integrator(uses, "2025-06-01")]);
        let d = determine("nvidia-l20", &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired);
        assert_eq!(requirement_ids(&d), ["744.2-744.4"]);
    }
}

const TX: &str = r#"product = "nvidia-l20"
destination = "MY"
date = 2025-06-01
exporter = { front_end_fabricator_or_osat = false }

[[party]]
role = "end_user"
name = "Example Systems Sdn. Bhd."
country = "MY"
headquarters = "MY"
parent_headquarters = "MY"
owners_known = true
screened = [{ list = "entity_list", list_date = 2025-06-01, by = "a test" }]
END_USES
"#;

fn transaction(end_uses: &str) -> Result<Transaction, String> {
    Transaction::parse(&SourceFile::new("t.toml", TX.replace("END_USES", end_uses))).map_err(|e| e.to_string())
}

/// The forms: `{ use = ..., in = ... }` in TOML and JSON, `end_use=NAME@CC` on `--party`, the
/// bare name still read (and written: a record made before places could be given reads and
/// writes the same bytes); a place that is not a country code and a key other than `use` and
/// `in` are refused, with the file's line and column.
#[test]
fn the_place_is_written_in_every_form() {
    let t = transaction(r#"end_uses = [{ use = "supercomputer", in = "CN" }, "wmd"]"#).unwrap();
    let uses = &t.parties[0].end_uses;
    assert_eq!(uses, &[placed(EndUse::Supercomputer, "CN"), EndUse::Wmd.into()]);
    let json = serde_json::to_string(uses).unwrap();
    assert_eq!(json, r#"[{"use":"supercomputer","in":"CN"},"wmd"]"#);
    assert_eq!(&serde_json::from_str::<Vec<DeclaredEndUse>>(&json).unwrap(), uses);
    let back = Transaction::parse(&SourceFile::new("t.json", serde_json::to_string(&t).unwrap())).unwrap();
    assert_eq!(back, t);
    assert_eq!(Transaction::parse(&SourceFile::new("t.toml", t.to_toml())).unwrap(), t);

    let p = Party::from_kv("role=end_user,country=MY,end_use=supercomputer@CN,end_use=wmd").unwrap();
    assert_eq!(p.end_uses, [placed(EndUse::Supercomputer, "CN"), EndUse::Wmd.into()]);
    assert_eq!(
        Party::from_kv("role=end_user,end_use=supercomputer@XX").unwrap_err().to_string(),
        "end_use: `XX` is not an ISO 3166-1 alpha-2 country code"
    );

    let e = transaction(r#"end_uses = [{ use = "supercomputer", in = "ZZ" }]"#).unwrap_err();
    assert!(e.contains("t.toml:14:13") && e.contains("E0503") && e.contains("`ZZ`"), "{e}");
    let e = transaction(r#"end_uses = [{ use = "supercomputr", in = "CN" }]"#).unwrap_err();
    assert!(e.contains("t.toml:14:13") && e.contains("E0505") && e.contains("did you mean `supercomputer`"), "{e}");
    let e = transaction(r#"end_uses = [{ use = "supercomputer", at = "CN" }]"#).unwrap_err();
    assert!(e.contains("E0102") && e.contains("unknown field `at`"), "{e}");
    let e = serde_json::from_str::<DeclaredEndUse>(r#"{"use":"supercomputer"}"#).unwrap_err().to_string();
    assert!(e.contains("missing field `in`"), "{e}");
}

/// The transaction file's end use with its place decides as the one built in code.
#[test]
fn a_transaction_file_with_the_place_is_decided_on_it() {
    let t = transaction(r#"end_uses = [{ use = "supercomputer", in = "CN" }]"#).unwrap();
    let d = determine("nvidia-l20", &Query::of(&t));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(requirement_ids(&d), ["744.23(a)(1)"]);
    let t = transaction(r#"end_uses = ["supercomputer"]"#).unwrap();
    assert_eq!(determine("nvidia-l20", &Query::of(&t)).verdict, Verdict::Indeterminate);
}
