//! The tester's round-5 findings R1, R4 and R5 (branch `tester5`, tester5/FINDINGS.md), as
//! the library answers them through `RuleSet::evaluate` and `CompiledPack::decide` alike (the
//! binary's side: crates/cli/tests/probe5.rs; the file forms: tests/bad-inputs/). Each
//! expected value is the regulation's, cited at the test.

mod common;

use export_controls::model::{Owner, PartyErrorKind, Role};
use export_controls::{
    Catalog, CompiledPack, Determination, EvaluateError, FastQuery, Options, PreparedProduct, Query, RuleSet, Scratch,
    Verdict,
};
use rust_decimal::Decimal;

fn shipped() -> (RuleSet, Catalog) {
    (RuleSet::shipped().unwrap(), Catalog::shipped().unwrap())
}

use common::{attested, determine_both, ordinary_query as query};

/// The determination of `evaluate`, after checking that `decide` gives the same verdict.
fn determine(rules: &RuleSet, p: &PreparedProduct, q: &Query) -> Determination {
    determine_both(rules, &CompiledPack::new(rules.clone()), p, q)
}

fn ids(d: &Determination) -> Vec<&str> {
    d.requirements.iter().map(|r| r.id.as_str()).collect()
}

/// R4. The MI308 letter (AMD 8-K of 2025-04-15; rules/us-ear/is-informed.toml, ref §2 row
/// 10) names AMD by its legal name, Advanced Micro Devices: the H20's figures (HBM3 4,000 GB/s,
/// interconnect 1,028 GB/s) under that name with its spaces removed, in CamelCase, need a
/// licence to China, as they do under `AMD` or `Advanced Micro Devices`.
#[test]
fn a_vendor_in_camel_case_that_is_a_named_vendor_once_split_is_that_vendor() {
    let (rules, catalog) = shipped();
    let q = query("CN", "2025-06-01", Vec::new());
    for vendor in [
        "AMD",
        "Advanced Micro Devices",
        "AdvancedMicroDevices",
        "Advanced MicroDevices",
        "AdvancedMicro Devices",
        "AdvancedMicroDevicesInc",
        "AdvancedMicroDevices, Inc.",
    ] {
        let mut p = catalog.get("nvidia-h20").unwrap().product().clone();
        p.id = "example-h20-figures".into();
        p.vendor = vendor.into();
        let d = determine(&rules, &PreparedProduct::new(p), &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{vendor}: {:?}", d.missing);
        assert!(ids(&d).contains(&"is-informed/MI308"), "{vendor}: {:?}", ids(&d));
    }
    // Another vendor that merely holds the words is still not known to be AMD: left open,
    // never cleared, never taken for AMD (tests/unstated_facts.rs keeps `NVIDIAGraphics` open).
    let mut p = catalog.get("nvidia-h20").unwrap().product().clone();
    p.id = "example-h20-figures".into();
    p.vendor = "AdvancedMicroDevicesGraphics".into();
    let d = determine(&rules, &PreparedProduct::new(p), &q);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", ids(&d));
}

/// R5. A listed name or alias written in CamelCase (Entity List, 15 CFR 744.11 and Supp. No. 4
/// to part 744: a licence for every item subject to the EAR) is that name once split at its
/// case breaks: listed, attested or not. One held by a listed name as whole words once split
/// (`BeijingBiren`, held by "Beijing Biren Technology Development Co., Ltd.") is left open.
#[test]
fn a_listed_name_in_camel_case_is_listed_and_a_held_one_is_left_open() {
    let (rules, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    for (name, entry) in [
        ("MooreThreads", "EL:moore-threads"),
        ("BirenTechnology", "EL:biren-technology"),
        ("ZhongkeShuguang", "EL:sugon"),
        ("SemiconductorManufacturingInternationalCorporation", "EL:smic"),
        ("HuaweiTechnologies", "EL:huawei-technologies"),
    ] {
        let q = query("MY", "2025-06-01", vec![attested(Role::EndUser, name, "MY", "2025-06-01")]);
        let d = determine(&rules, h100, &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{name}: {:?}", d.missing);
        assert_eq!(ids(&d), ["744.11"], "{name}");
        let basis = &d.requirements[0].destination_basis;
        assert!(basis.iter().any(|b| b.contains(&format!("matches entity_list entry {entry} "))), "{name}: {basis:?}");
        // Owners go through the same screening.
        let mut p = attested(Role::EndUser, "Example Compute Sdn Bhd", "MY", "2025-10-15");
        p.owners = vec![Owner {
            name: name.into(),
            percent: Some(Decimal::from(60)),
            list_entries: Vec::new(),
            screened: p.screened.clone(),
            ..Default::default()
        }];
        let d = determine(&rules, h100, &query("MY", "2025-10-15", vec![p]));
        assert_eq!(d.verdict, Verdict::LicenseRequired, "owner {name}: {:?}", d.missing);
    }
    for name in ["BeijingBiren", "ShanghaiBiren"] {
        let q = query("MY", "2025-06-01", vec![attested(Role::EndUser, name, "MY", "2025-06-01")]);
        let d = determine(&rules, h100, &q);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
        assert!(d.missing.iter().any(|m| m.contains("as whole words")), "{name}: {:?}", d.missing);
    }
}

/// The error of `evaluate` and of `decide` (which must agree) for these parties.
fn refusal(q: &Query) -> EvaluateError {
    let (rules, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let e = rules.evaluate(h100, q, Options::default()).unwrap_err();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fq = FastQuery::of(q, &prepared);
    assert_eq!(pack.decide(h100, &fq, &mut Scratch::default()).unwrap_err(), e);
    e
}

/// R1. One company has one headquarters and one ownership: the end user's headquarters decide
/// 15 CFR 744.23(a)(3) (a licence for any destination when it is headquartered in D:5 or
/// Macau, from 2023-11-17) and 742.6(a)(6)(iii)(A). The same company (name and country) given
/// under another role with another headquarters, parent headquarters or owners is refused
/// (E0520), naming both statements; never decided on the more favourable one.
#[test]
fn one_company_under_two_roles_with_different_facts_is_refused() {
    let end_user = attested(Role::EndUser, "Acme Rechenzentrum GmbH", "DE", "2024-06-01");
    let mut beneficiary = attested(Role::Beneficiary, "ACME Rechenzentrum GmbH.", "DE", "2024-06-01");
    beneficiary.headquarters = Some("CN".parse().unwrap());
    beneficiary.parent_headquarters = Some("CN".parse().unwrap());
    let EvaluateError::Party(e) = refusal(&query("DE", "2024-06-01", vec![end_user.clone(), beneficiary.clone()]))
    else {
        panic!("a party error")
    };
    assert_eq!(e.kind, PartyErrorKind::ContradictoryParty { first: 0, field: "headquarters" });
    assert_eq!(e.code(), export_controls::diagnostic::Code::E0520);
    assert_eq!(
        e.message,
        "beneficiary \"ACME Rechenzentrum GmbH.\" (party 2) and end user \"Acme Rechenzentrum GmbH\" (party 1) are one company (the same name and country) but give different headquarters: CN and DE"
    );
    // The other order, and the parent's headquarters alone.
    let EvaluateError::Party(e) = refusal(&query("DE", "2024-06-01", vec![beneficiary.clone(), end_user.clone()]))
    else {
        panic!("a party error")
    };
    assert_eq!(e.kind, PartyErrorKind::ContradictoryParty { first: 0, field: "headquarters" });
    let mut parent = end_user.clone();
    parent.role = Role::UltimateConsignee;
    parent.parent_headquarters = Some("CN".parse().unwrap());
    let EvaluateError::Party(e) = refusal(&query("DE", "2024-06-01", vec![end_user.clone(), parent])) else {
        panic!("a party error")
    };
    assert_eq!(e.kind, PartyErrorKind::ContradictoryParty { first: 0, field: "parent_headquarters" });
    // Owners: one statement names a 60 % owner, the other declares none that counts.
    let mut owned = end_user.clone();
    owned.role = Role::Purchaser;
    owned.owners = vec![Owner {
        name: "Huawei Technologies Co., Ltd.".into(),
        percent: Some(Decimal::from(60)),
        list_entries: Vec::new(),
        screened: Vec::new(),
        ..Default::default()
    }];
    let EvaluateError::Party(e) = refusal(&query("DE", "2025-10-15", vec![end_user.clone(), owned.clone()])) else {
        panic!("a party error")
    };
    assert_eq!(e.kind, PartyErrorKind::ContradictoryParty { first: 0, field: "owners" });
    assert!(e.message.contains("different owners: \"Huawei Technologies Co., Ltd.\" 60 % and none"), "{}", e.message);

    // The same facts under two roles, or a fact one statement leaves out, are not contradictory;
    // nor are two companies of one name in two countries.
    let (rules, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let mut same = end_user.clone();
    same.role = Role::UltimateConsignee;
    let mut silent = end_user.clone();
    silent.role = Role::Beneficiary;
    silent.headquarters = None;
    silent.parent_headquarters = None;
    silent.owners_known = false;
    let mut elsewhere = attested(Role::Beneficiary, "Acme Rechenzentrum GmbH", "AT", "2024-06-01");
    elsewhere.owners_known = false;
    let q = query("DE", "2024-06-01", vec![end_user, same, silent, elsewhere]);
    assert!(rules.check_parties(&q.parties).is_ok());
    assert_eq!(determine(&rules, h100, &q).verdict, Verdict::NoLicenseRequired);
}

/// An owner at 0 % holds nothing: the Affiliates rule (90 FR 47201) counts an owner's share
/// toward "50 percent or more", and 0 % is no ownership. So one statement of a company that
/// lists an owner at 0 % and another that lists none (or leaves it out) agree on who owns it
/// (no E0520); a 0 % owner on both sides does not hide a difference in the owners that hold a
/// share, and the message names only those.
#[test]
fn an_owner_at_zero_percent_is_no_owner_when_two_statements_of_one_company_are_compared() {
    let owner = |name: &str, percent: &str| Owner {
        name: name.into(),
        percent: Some(percent.parse().unwrap()),
        list_entries: Vec::new(),
        screened: Vec::new(),
        ..Default::default()
    };
    let (rules, _) = shipped();
    // Declared to have no owners that count, and listed with a 0 % owner (written 0 or 0.00).
    let end_user = attested(Role::EndUser, "Acme Rechenzentrum GmbH", "DE", "2025-10-15");
    for zero in ["0", "0.00"] {
        let mut purchaser = end_user.clone();
        purchaser.role = Role::Purchaser;
        purchaser.owners = vec![owner("Huawei Technologies Co., Ltd.", zero)];
        assert_eq!(rules.check_parties(&[end_user.clone(), purchaser.clone()]), Ok(()), "{zero}");
        // A 0 % owner listed without `owners_known` states no ownership either.
        purchaser.owners_known = false;
        let mut beneficiary = end_user.clone();
        beneficiary.role = Role::Beneficiary;
        beneficiary.owners = vec![owner("Sugon", "60")];
        assert_eq!(rules.check_parties(&[purchaser, beneficiary]), Ok(()), "{zero}");
    }
    // The same 60 % owner, with a 0 % owner on one side only: one ownership.
    let mut owned = end_user.clone();
    owned.owners = vec![owner("Sugon", "60")];
    let mut also = owned.clone();
    also.role = Role::UltimateConsignee;
    also.owners.push(owner("Huawei Technologies Co., Ltd.", "0"));
    assert_eq!(rules.check_parties(&[owned.clone(), also.clone()]), Ok(()));
    // A 60 % owner against a 0 % owner only: two ownerships, refused, naming the owners that
    // hold a share.
    let mut other = end_user.clone();
    other.role = Role::Purchaser;
    other.owners = vec![owner("Huawei Technologies Co., Ltd.", "0")];
    let EvaluateError::Party(e) = refusal(&query("DE", "2025-10-15", vec![also, other])) else {
        panic!("a party error")
    };
    assert_eq!(e.kind, PartyErrorKind::ContradictoryParty { first: 0, field: "owners" });
    assert!(e.message.ends_with("different owners: none and \"Sugon\" 60 %"), "{}", e.message);
}

/// R9. Pinyin tone marks on a listed name: the Entity List writes Huawei Technologies Co., Ltd.
/// without accents (15 CFR 744 Supp. No. 4); `Huá Wéi Technologies` is `Hua Wei Technologies`,
/// which is left open, so the accented name is too — never cleared by an attestation (744.11).
/// And the H20 letter (NVIDIA 8-K of 2025-04-15; ref §2 row 10) under a vendor `ShanghaiNVÍDIA`:
/// not known not to be NVIDIA (`ShanghaiNVIDIA` is left open), so not cleared to China.
#[test]
fn accents_on_a_listed_name_or_a_named_vendor_leave_it_open() {
    let (rules, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap().clone();
    for name in ["Huá Wéi Technologies", "Huáwéi (Shenzhen)", "HuáwéiTechnologies", "Móore Threads (Beijing)"] {
        let q = query("MY", "2025-06-01", vec![attested(Role::EndUser, name, "MY", "2025-06-01")]);
        let d = determine(&rules, &h100, &q);
        assert_ne!(d.verdict, Verdict::NoLicenseRequired, "{name}");
        assert!(ids(&d).contains(&"744.11"), "{name}: {:?}", ids(&d));
    }
    let q = query("CN", "2025-06-01", Vec::new());
    for vendor in ["ShanghaiNVÍDIA", "Nvídia Corporation"] {
        let mut p = catalog.get("nvidia-h20").unwrap().product().clone();
        p.id = "example-h20-figures".into();
        p.vendor = vendor.into();
        let d = determine(&rules, &PreparedProduct::new(p), &q);
        assert_ne!(d.verdict, Verdict::NoLicenseRequired, "{vendor}");
        assert!(ids(&d).contains(&"is-informed/H20"), "{vendor}: {:?}", ids(&d));
    }
}
