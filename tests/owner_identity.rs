//! Tester round 9, U3 and O2 (branch `tester9`, tester9/FINDINGS.md; cases
//! `u3-owner-holder-classes.sh`, `o2-owner-real-names.sh`): whether an owner is one person is a
//! fact the transaction states, never read from the words of its name.
//!
//! The Affiliates rule (15 CFR 744.11 as amended by 90 FR 47201, in force on 2025-10-15) reaches
//! an entity owned 50 percent or more, directly or indirectly, individually or in aggregate, by
//! listed entities. Ownership is held by legal (or natural) persons: an owner's share whose
//! holder the transaction does not identify (no `registration`, no `identified = true`) may be
//! held by anyone, a listed entity included, so a determination that depends on it is
//! `indeterminate`, naming the owner's identity. Names that read as classes of holders only warn;
//! names that withhold the holder (nominee, bearer, undisclosed, one edit off) screen nothing even
//! when the holder is identified (FATF Recommendation 24: nominee holdings hide the beneficial
//! owner).

mod common;

use export_controls::diagnostic::SourceFile;
use export_controls::model::{Owner, Party, PartyErrorKind, Registration, Role, Transaction};
use export_controls::{Catalog, CompiledPack, Determination, Query, RuleSet, Verdict};

/// The tester's transaction: H100 -> MY on 2025-10-15, an end user that states its ownership
/// known and attests screening ([`common::h100_to_my_owned_end_user`]), with one 60 % owner
/// (`OWNER`: the owner's keys, on line 14), which states its own ownership known and attests
/// screening.
fn tx() -> String {
    common::h100_to_my_owned_end_user("screening service")
        + "[[party.owner]]\nOWNER\npercent = 60\nowners_known = true\n"
        + "screened = [{ list = \"entity_list\", list_date = 2025-10-15, by = \"screening service\" }]\n"
}

/// The 48 owner "names" of the tester's u3-owner-holder-classes.sh.
const HOLDER_CLASSES: [&str; 48] = [
    "Shareholders",
    "Nominee shareholders",
    "Cede & Co.",
    "HKSCC Nominees Limited",
    "Nomine shareholders",
    "Employees",
    "Employee stock ownership plan",
    "ESOP",
    "Management",
    "Founders",
    "Directors",
    "Partners",
    "Limited partners",
    "Unitholders",
    "Equity holders",
    "Members",
    "Beneficial owners",
    "Beneficiaries",
    "Trustees",
    "Custodian",
    "Depositary",
    "Street name",
    "Individuals",
    "Private individuals",
    "Natural persons",
    "Family members",
    "Owner",
    "Owners",
    "Stakeholders",
    "Miscellaneous",
    "Remaining",
    "Sundry",
    "Concealed",
    "Secret",
    "Not public",
    "Investment fund",
    "Offshore fund",
    "Offshore SPV",
    "Holding company",
    "Parent company",
    "Shares held in trust",
    "Undislcosed investor",
    "Anonymus",
    "Public shareholders (Hong Kong)",
    "匿名股东",
    "不详",
    "Inconnu",
    "Desconocido",
];

fn transaction(owner_keys: &str) -> Result<Transaction, String> {
    common::parse_transaction(&tx().replace("OWNER", owner_keys))
}

fn decide(t: &Transaction) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let product = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    common::determine_both(&rules, &CompiledPack::new(rules.clone()), product, &Query::of(t))
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// U3: none of the 48 names identifies its holder; with nothing else stated, the 60 % share's
/// holder is unknown and the Affiliates rule is open, the owner's identity named.
#[test]
fn u3_an_owner_the_transaction_does_not_identify_leaves_the_affiliates_rule_open() {
    for name in HOLDER_CLASSES {
        let d = decide(&transaction(&format!("name = {}", toml_str(name))).unwrap());
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}: {:?}", d.missing);
        let owner = format!("'s owner \"{name}\"");
        assert!(d.missing.iter().any(|m| m.contains(&owner)), "{name}: {:?}", d.missing);
    }
    // A real company's name is no better without its identification.
    let d = decide(&transaction("name = \"Example Holdings Berhad\"").unwrap());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.contains("owner \"Example Holdings Berhad\": identity")), "{:?}", d.missing);
}

/// The same owner identified (a registration, or the exporter's `identified = true`), screened
/// and with its ownership known: no listed entity holds 50 % -> the Affiliates rule does not
/// reach the end user; H100 to MY needs no licence on 2025-10-15 (MY is in no Country Group
/// that 742.6(a)(6)(iii) or 744.23 reaches).
#[test]
fn an_identified_screened_owner_clears() {
    for keys in [
        "name = \"Example Holdings Berhad\"\nregistration = { country = \"MY\", number = \"201901012345\" }",
        "name = \"Tan Ah Kow\"\nidentified = true",
    ] {
        let d = decide(&transaction(keys).unwrap());
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{keys}: {:?}", d.missing);
    }
}

/// O2: real companies whose names are made of holder-class words (`The Trust Company Limited`,
/// an Australian trustee company, ACN 004 027 258) are decided by their identification, not
/// their words: identified, they clear, with a warning asking to check the name.
#[test]
fn o2_real_companies_named_with_holder_class_words_are_names() {
    for (name, reg) in [
        ("The Trust Company Limited", "{ country = \"AU\", number = \"004 027 258\" }"),
        ("Investors Trust", "{ country = \"US\", number = \"0001\" }"),
        ("Institutional Investor Inc.", "{ country = \"US\", number = \"0002\" }"),
        ("Free Float Ltd.", "{ country = \"GB\", number = \"00000003\" }"),
        ("Public Investment Fund", "{ country = \"SA\", number = \"0004\" }"),
    ] {
        let d = decide(&transaction(&format!("name = {}\nregistration = {reg}", toml_str(name))).unwrap());
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{name}: {:?}", d.missing);
    }
    let d = decide(
        &transaction(
            "name = \"The Trust Company Limited\"\nregistration = { country = \"AU\", number = \"004 027 258\" }",
        )
        .unwrap(),
    );
    assert!(
        d.warnings.iter().any(|w| w.contains("owner \"The Trust Company Limited\" reads as a class of holders")),
        "{:?}",
        d.warnings
    );
}

/// A nominee or bearer holding withholds its beneficial owner, whatever identifies the nominee:
/// open, also with the concealing word one edit off (`Nomine`, `Undislcosed`, `Anonymus`).
#[test]
fn a_name_that_withholds_the_holder_stays_open_when_identified() {
    for name in ["HKSCC Nominees Limited", "Nomine shareholders", "Undislcosed investor", "Anonymus", "Bearer shares"] {
        let d = decide(&transaction(&format!("name = {}\nidentified = true", toml_str(name))).unwrap());
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}: {:?}", d.missing);
        assert!(d.missing.iter().any(|m| m.contains("name (for screening)")), "{name}: {:?}", d.missing);
    }
}

/// A listed owner is listed whether or not it is identified (Huawei Technologies Co., Ltd. is on
/// the Entity List, 84 FR 22961): 60 % -> the Affiliates rule requires a licence.
#[test]
fn a_listed_owner_needs_no_identification() {
    let d = decide(&transaction("name = \"Huawei Technologies Co., Ltd.\"").unwrap());
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert!(d.requirements.iter().any(|r| r.id == "744.11(a)(1)/affiliates"), "{:?}", d.requirements);
}

/// An owner's owners are owners: an identified holding company whose 100 % owner is not
/// identified leaves the rule open at that owner.
#[test]
fn an_owner_of_an_owner_is_identified_on_its_own() {
    let sub = "[[party.owner.owner]]\nname = \"Employees\"\npercent = 100\nowners_known = true\nscreened = [{ list = \"entity_list\", list_date = 2025-10-15, by = \"s\" }]\n";
    let text = format!("{}{sub}", tx().replace("OWNER", "name = \"Example Holdings Berhad\"\nidentified = true"));
    let d = decide(&Transaction::parse(&SourceFile::new("t.toml", text)).unwrap());
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.missing.iter().any(|m| m.contains("'s owner \"Employees\": identity")), "{:?}", d.missing);
}

/// A registration whose number identifies nothing is refused (E0522), in files with its place
/// and in code.
#[test]
fn a_registration_number_that_identifies_nothing_is_refused() {
    let e = transaction("name = \"Example Holdings Berhad\"\nregistration = { country = \"MY\", number = \" - \" }")
        .unwrap_err();
    assert!(e.contains("E0522") && e.contains("t.toml:15:43:"), "{e}");
    let mut p = Party::new(Role::EndUser);
    p.owners = vec![Owner {
        name: "Example Holdings Berhad".into(),
        registration: Some(Registration { country: "MY".parse().unwrap(), number: "x".repeat(65) }),
        ..Owner::default()
    }];
    let err = export_controls::model::validate_parties(&[p]).unwrap_err();
    assert!(matches!(err.kind, PartyErrorKind::Registration { .. }), "{err}");
    assert_eq!(err.code(), export_controls::diagnostic::Code::E0522);
}

/// A registration and `identified` are written back as read (TOML and JSON).
#[test]
fn identification_round_trips() {
    let t = transaction("name = \"Example Holdings Berhad\"\nregistration = { country = \"MY\", number = \"201901012345\" }\nidentified = true").unwrap();
    let o = &t.parties[0].owners[0];
    assert!(o.identified && o.registration.as_ref().is_some_and(|r| r.number == "201901012345"));
    assert_eq!(Transaction::parse(&SourceFile::new("t.toml", t.to_toml())).unwrap(), t);
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(Transaction::parse(&SourceFile::new("t.json", json)).unwrap(), t);
}
