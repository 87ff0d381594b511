//! Facts that are unknown until stated never clear, through the library (issue 12, fifth
//! round): whether the exporter is a front-end fabricator or OSAT (Note 1 to 3A090.a, 90 FR
//! 5298, binding from 2025-01-31); where in Ukraine the item goes (15 CFR 746.6(a): the Crimea
//! region, 80 FR 4776, and the so-called DNR and LNR regions, 87 FR 12226, from 2022-02-24);
//! a vendor that cannot be told apart from the vendor an "is informed" letter names (the H20
//! letter of 2025-04-09). Also: a recorded product that takes a catalog id with other figures
//! does not replay (E0604); long party names are cut in `missing`; an owner's share is one
//! strict form in TOML and JSON.

use export_controls::audit::{ReplayError, replay, replay_file_with};
use export_controls::diagnostic::Code;
use export_controls::model::{Exporter, Owner, Party, REGION_MISSING, Region, Role, Transaction, shown_name};
use export_controls::ruleset::SourceFile;
use export_controls::{
    Catalog, CompiledPack, Determination, EvaluateError, FastQuery, Options, PreparedProduct, Query, RuleSet, Scratch,
    Verdict,
};

const FAB_MISSING: &str = "exporter.front_end_fabricator_or_osat";

fn shipped() -> (RuleSet, Catalog) {
    (RuleSet::shipped().unwrap(), Catalog::shipped().unwrap())
}

fn exporter(fab: Option<bool>) -> Exporter {
    Exporter { front_end_fabricator_or_osat: fab, ..Exporter::default() }
}

fn evaluate(rules: &RuleSet, p: &PreparedProduct, q: &Query) -> Determination {
    rules.evaluate(p, q, Options::default()).unwrap()
}

/// The determination as `check --format json` records it: with its trace, which replay
/// always compares (tester finding N8).
fn recorded(rules: &RuleSet, p: &PreparedProduct, q: &Query) -> Determination {
    rules.evaluate(p, q, Options { trace: true }).unwrap()
}

/// The fast path's verdict for the same query.
fn decide(rules: &RuleSet, p: &PreparedProduct, q: &Query) -> Verdict {
    let pack = CompiledPack::new(rules.clone());
    let parties = pack.prepare_parties(&q.parties);
    let fq = FastQuery::of(q, &parties);
    let mut scratch = Scratch::default();
    let d = pack.decide(p, &fq, &mut scratch).unwrap();
    let classified = pack.classify_product_for(p.clone(), q.exporter);
    let again = pack.decide_classified(&classified, &fq, &mut scratch).unwrap();
    assert_eq!(d, again, "decide and decide_classified");
    d.verdict
}

fn query(to: &str, on: &str) -> Query {
    Query::export_to(to.parse().unwrap(), on.parse().unwrap())
}

// --- 1. Whether the exporter is a front-end fabricator or OSAT --------------------------------

#[test]
fn an_advanced_logic_ic_from_an_exporter_of_unstated_role_is_not_cleared_after_the_foundry_rule() {
    let (rules, catalog) = shipped();
    // The L20 (TSMC 4N, non-planar, datacenter) is not 3A090 on its figures (TPP 1,913.6); a
    // front-end fabricator or OSAT must presume it 3A090.a, licensed for every destination
    // (Note 1 to 3A090.a and "3A090 License Requirements/Note 1"), from 2025-01-31.
    let l20 = catalog.get("nvidia-l20").unwrap();
    let q = query("MY", "2025-06-01");
    let unstated = evaluate(&rules, l20, &q);
    assert_eq!(unstated.verdict, Verdict::Indeterminate);
    assert!(unstated.missing.iter().any(|m| m == FAB_MISSING), "{:?}", unstated.missing);
    assert_eq!(decide(&rules, l20, &q), Verdict::Indeterminate);

    let fab = q.clone().with_exporter(exporter(Some(true)));
    let d = evaluate(&rules, l20, &fab);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.requirements.iter().any(|r| r.id == "3A090 License Requirements/Note 1"));
    assert_eq!(decide(&rules, l20, &fab), Verdict::LicenseRequired);

    let ordinary = q.clone().with_exporter(exporter(Some(false)));
    let d = evaluate(&rules, l20, &ordinary);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    assert_eq!(decide(&rules, l20, &ordinary), Verdict::NoLicenseRequired);
}

#[test]
fn the_exporter_role_changes_nothing_before_note_1_took_effect_or_where_a_licence_is_required_anyway() {
    let (rules, catalog) = shipped();
    let l20 = catalog.get("nvidia-l20").unwrap();
    // 2025-01-15: the day before 90 FR 5298 took effect (2025-01-16), Note 1 does not bind.
    assert_eq!(evaluate(&rules, l20, &query("MY", "2025-01-15")).verdict, Verdict::NoLicenseRequired);
    // 2025-01-30: effective, but compliance is required from 2025-01-31; whether the Note bound
    // before is not confirmed, so an exporter that may be a foundry gets no clearance.
    let d = evaluate(&rules, l20, &query("MY", "2025-01-30"));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(
        d.missing.iter().any(|m| m == "status of 3A090.a Note 1 before 2025-01-31 (its start is not confirmed)"),
        "{:?}",
        d.missing
    );
    // The README's first command and the browser test: H20 to China.
    let h20 = catalog.get("nvidia-h20").unwrap();
    assert_eq!(evaluate(&rules, h20, &query("CN", "2024-06-01")).verdict, Verdict::NoLicenseRequired);
    let d = evaluate(&rules, h20, &query("CN", "2025-04-20"));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    // The verdict is certain; the presumed classification stays open, and says why.
    assert_eq!(d.undetermined_paragraphs, ["3A090.a Note 1"]);
    // The H100 is 3A090.a on its figures: the presumption adds nothing to China.
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    assert_eq!(evaluate(&rules, h100, &query("CN", "2025-06-01")).verdict, Verdict::LicenseRequired);
}

#[test]
fn the_exporter_role_reads_from_toml_and_json_and_defaults_to_unknown() {
    let toml = "product = \"nvidia-l20\"\ndestination = \"MY\"\ndate = 2025-06-01\n";
    let t = Transaction::parse(&SourceFile::new("t.toml", toml)).unwrap();
    assert_eq!(t.exporter.front_end_fabricator_or_osat, None);
    let stated = format!("{toml}exporter = {{ front_end_fabricator_or_osat = false }}\n");
    let t = Transaction::parse(&SourceFile::new("t.toml", stated)).unwrap();
    assert_eq!(t.exporter.front_end_fabricator_or_osat, Some(false));
    let json = r#"{"product": "nvidia-l20", "destination": "MY", "date": "2025-06-01", "exporter": {"front_end_fabricator_or_osat": true}}"#;
    let t = Transaction::parse(&SourceFile::new("t.json", json)).unwrap();
    assert_eq!(t.exporter.front_end_fabricator_or_osat, Some(true));
    assert_eq!(Exporter::default().front_end_fabricator_or_osat, None);
}

// --- 2. Where in Ukraine ------------------------------------------------------------------------

#[test]
fn ukraine_without_its_region_is_indeterminate_and_crimea_dnr_lnr_need_a_licence() {
    let (rules, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = query("UA", "2024-06-01");
    let d = evaluate(&rules, h100, &q);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, [REGION_MISSING]);
    assert_eq!(decide(&rules, h100, &q), Verdict::Indeterminate);

    for region in [Region::Crimea, Region::Dnr, Region::Lnr] {
        let q = q.clone().in_region(region);
        let d = evaluate(&rules, h100, &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{region}");
        let r = d.requirements.iter().find(|r| r.id == "746.6(a)").expect("746.6(a)");
        assert_eq!(r.review_policy.map(|p| p.as_str()), Some("policy_of_denial"));
        assert_eq!(decide(&rules, h100, &q), Verdict::LicenseRequired);
    }
    let other = q.clone().in_region(Region::Other);
    assert_eq!(evaluate(&rules, h100, &other).verdict, Verdict::NoLicenseRequired);
    assert_eq!(decide(&rules, h100, &other), Verdict::NoLicenseRequired);
    // Before 87 FR 12226 (2022-02-24) only Crimea was covered.
    let m3 = catalog.get("apple-m3-max").unwrap();
    let early = query("UA", "2022-02-01");
    assert_eq!(evaluate(&rules, m3, &early.clone().in_region(Region::Dnr)).verdict, Verdict::NoLicenseRequired);
    assert_eq!(evaluate(&rules, m3, &early.in_region(Region::Crimea)).verdict, Verdict::LicenseRequired);
    // A licence required anyway stands without the region: Ukraine is not embargoed for
    // Russia's sake, but an embargoed destination elsewhere is unaffected.
    assert_eq!(evaluate(&rules, h100, &query("RU", "2024-06-01")).verdict, Verdict::LicenseRequired);
}

#[test]
fn an_end_user_in_ukraine_needs_the_region_and_the_record_keeps_it() {
    let (rules, catalog) = shipped();
    let m3 = catalog.get("apple-m3-max").unwrap();
    let mut eu = Party::new(Role::EndUser);
    eu.name = Some("Example Kyiv LLC".into());
    eu.country = Some("UA".parse().unwrap());
    eu.headquarters = eu.country;
    eu.parent_headquarters = eu.country;
    eu.owners_known = true;
    eu.screened = vec![export_controls::model::Screening {
        list: "entity_list".into(),
        list_date: "2022-01-31".parse().unwrap(),
        by: None,
    }];
    let q = query("PL", "2022-03-01").with_parties(vec![eu]);
    let d = evaluate(&rules, m3, &q);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == REGION_MISSING), "{:?}", d.missing);
    let crimea = q.clone().in_region(Region::Crimea);
    let d = evaluate(&rules, m3, &crimea);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.inputs.destination_region, Some(Region::Crimea));
    // The region is replayed from the record.
    let d = recorded(&rules, m3, &crimea);
    assert_eq!(replay(&serde_json::to_string(&d).unwrap(), &rules), Ok(()));
}

#[test]
fn a_region_for_a_transaction_that_goes_nowhere_in_ukraine_is_refused() {
    let toml = "product = \"apple-m3-max\"\ndestination = \"PL\"\ndate = 2024-06-01\ndestination_region = \"crimea\"\n";
    let e = Transaction::parse(&SourceFile::new("t.toml", toml)).unwrap_err();
    assert_eq!(e.0[0].code, Code::E0512);
    assert_eq!(e.0[0].line, 4);
    let json =
        r#"{"product": "apple-m3-max", "destination": "PL", "date": "2024-06-01", "destination_region": "crimea"}"#;
    let e = Transaction::parse(&SourceFile::new("t.json", json)).unwrap_err();
    assert_eq!(e.0[0].code, Code::E0512);
    let ok = toml.replace("\"PL\"", "\"UA\"");
    let t = Transaction::parse(&SourceFile::new("t.toml", ok)).unwrap();
    assert_eq!(t.destination_region, Some(Region::Crimea));
    let bad = toml.replace("\"PL\"", "\"UA\"").replace("crimea", "krym");
    assert!(Transaction::parse(&SourceFile::new("t.toml", bad)).is_err());
}

/// The library refuses what a transaction file refuses (E0512): a query built in code for China
/// with the Crimea region is an error of `evaluate` and of `decide` alike, never a determination
/// for China that read the region for nothing (tester round 3, finding P6).
#[test]
fn a_region_built_in_code_for_another_destination_is_refused() {
    let (rules, catalog) = shipped();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let q = query("CN", "2024-06-01").in_region(Region::Crimea);
    let e = rules.evaluate(h20, &q, Options::default()).unwrap_err();
    assert!(matches!(&e, EvaluateError::Region(m) if m.contains("no end user or ultimate consignee is in UA")), "{e}");
    let pack = CompiledPack::new(rules.clone());
    let parties = pack.prepare_parties(&q.parties);
    let fast = pack.decide(h20, &FastQuery::of(&q, &parties), &mut Scratch::default()).unwrap_err();
    assert_eq!(fast, e);
    // Through an end user in Ukraine behind a Polish consignee, the region is read.
    let mut eu = Party::new(Role::EndUser);
    eu.name = Some("Example Kyiv LLC".into());
    eu.country = Some("UA".parse().unwrap());
    let q = query("PL", "2024-06-01").in_region(Region::Crimea).with_parties(vec![eu]);
    assert!(rules.evaluate(h20, &q, Options::default()).is_ok());
}

// --- 3. Vendors the letters name ---------------------------------------------------------------

fn h20_by(vendor: &str, catalog: &Catalog) -> PreparedProduct {
    let mut p = catalog.get("nvidia-h20").unwrap().product().clone();
    p.id = "example-h20-like".into();
    p.vendor = vendor.into();
    PreparedProduct::new(p)
}

#[test]
fn a_vendor_dotted_spaced_or_in_another_script_does_not_escape_the_h20_letter() {
    let (rules, catalog) = shipped();
    // The H20 letter of 2025-04-09 (is-informed/H20): NVIDIA parts with the H20's memory
    // bandwidth need a licence to D:5 and Macau.
    let q = query("CN", "2025-06-01").with_exporter(exporter(Some(false)));
    for vendor in ["NVIDIA", "N.V.I.D.I.A.", "N V I D I A", "N.V.I.D.I.A. Corporation", "NV IDIA"] {
        let p = h20_by(vendor, &catalog);
        let d = evaluate(&rules, &p, &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{vendor}: {:?}", d.missing);
        assert!(d.requirements.iter().any(|r| r.id == "is-informed/H20"), "{vendor}");
        assert_eq!(decide(&rules, &p, &q), Verdict::LicenseRequired, "{vendor}");
    }
    // NVIDIA's Chinese name is in the letters' vendor lists from pack 0.1.40 (names13; tester
    // round 12, T6; rules/us-ear/NOTES.md §11): NVIDIA's, alone or with a company form.
    for vendor in ["英伟达", "英偉達", "英伟达 Corp", "英伟达 Corporation"] {
        let p = h20_by(vendor, &catalog);
        let d = evaluate(&rules, &p, &q);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{vendor}: {:?}", d.missing);
        assert_eq!(decide(&rules, &p, &q), Verdict::LicenseRequired, "{vendor}");
    }
    // Any other vendor not written in Latin letters only (a Latin word beside it included:
    // tester round 4, Q1; NVIDIA in katakana), cannot be told apart from NVIDIA: no
    // clearance, and `missing` says what to give.
    for vendor in ["エヌビディア", "エヌビディア Corp", "华为英伟达 Corp"] {
        let p = h20_by(vendor, &catalog);
        let d = evaluate(&rules, &p, &q);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{vendor}");
        assert!(d.missing.iter().any(|m| m.starts_with("vendor (not written in Latin letters")), "{:?}", d.missing);
        assert_eq!(decide(&rules, &p, &q), Verdict::Indeterminate, "{vendor}");
    }
    // Another vendor, in Latin letters, is not NVIDIA: the letter does not reach it.
    let other = h20_by("Example Semiconductor", &catalog);
    assert_eq!(evaluate(&rules, &other, &q).verdict, Verdict::NoLicenseRequired);
    // Before the letter the vendor decides nothing.
    let before = query("CN", "2024-06-01");
    assert_eq!(evaluate(&rules, &h20_by("英伟达", &catalog), &before).verdict, Verdict::NoLicenseRequired);
}

/// NVIDIA glued to other letters (tester round 4, Q4) is not known not to be NVIDIA: the H20
/// letter of 2025-04-09 (is-informed/H20, a licence for the H20 to China) is unknown for it,
/// never cleared, and `missing` says what to give.
#[test]
fn a_vendor_glued_to_other_letters_does_not_escape_the_h20_letter() {
    let (rules, catalog) = shipped();
    let q = query("CN", "2025-06-01").with_exporter(exporter(Some(false)));
    for vendor in ["ShanghaiNVIDIA", "TheNVIDIA Corporation", "NVIDIAGraphics", "NV IDIA (Shanghai)", "SHANGHAINVIDIA"]
    {
        let p = h20_by(vendor, &catalog);
        let d = evaluate(&rules, &p, &q);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{vendor}: {:?}", d.missing);
        assert!(d.missing.iter().any(|m| m.contains("glued to other letters")), "{vendor}: {:?}", d.missing);
        assert_eq!(decide(&rules, &p, &q), Verdict::Indeterminate, "{vendor}");
    }
    for vendor in ["NVIDIA", "Nvidia Corp", "NVIDIACorp", "NVIDIA Semiconductor Technology (Shanghai) Co., Ltd."] {
        assert_eq!(decide(&rules, &h20_by(vendor, &catalog), &q), Verdict::LicenseRequired, "{vendor}");
    }
    for vendor in ["Example Semiconductor", "Camden Devices", "Envision Data"] {
        assert_eq!(decide(&rules, &h20_by(vendor, &catalog), &q), Verdict::NoLicenseRequired, "{vendor}");
    }
}

/// A direction control in a product's vendor or name (`\u{202e}AIDIVN` shows as `NVIDIA`:
/// tester round 4, Q5) is refused as in a party's name (E0510), built in code or read from a
/// sheet; never a clearance.
#[test]
fn a_direction_control_in_a_vendor_or_name_is_refused() {
    let (rules, catalog) = shipped();
    let q = query("CN", "2025-06-01").with_exporter(exporter(Some(false)));
    for vendor in ["\u{202e}AIDIVN", "\u{202e}AIDIVN\u{202c}", "NVIDIA\u{2066}"] {
        let p = h20_by(vendor, &catalog);
        let e = p.product().validate().unwrap_err();
        assert!(e.0.iter().any(|d| d.code == Code::E0510), "{vendor:?}: {e:?}");
        assert!(PreparedProduct::try_new(p.product().clone()).is_err());
        assert_eq!(evaluate(&rules, &p, &q).verdict, Verdict::Indeterminate, "{vendor:?}");
    }
    let mut named = catalog.get("nvidia-h20").unwrap().product().clone();
    named.name = "H20\u{202e}".into();
    assert!(named.validate().unwrap_err().0.iter().any(|d| d.code == Code::E0510));
    let sheet = "id = \"x\"\nname = \"X\"\nvendor = \"\u{202e}AIDIVN\"\nkind = \"integrated_circuit\"\n";
    let e = export_controls::model::parse_product_sheet(&SourceFile::new("x.toml", sheet)).unwrap_err();
    assert!(e.0.iter().any(|d| d.code == Code::E0510 && d.line == 3), "{e:?}");
}

// --- 4. Replay checks a recorded product against the catalog ----------------------------------

#[test]
fn a_record_with_a_catalog_id_and_forged_figures_does_not_replay() {
    let (rules, catalog) = shipped();
    for id in ["nvidia-h100-sxm5-80gb", "nvidia-hgx-h20", "nvidia-h20"] {
        let d = recorded(&rules, catalog.get(id).unwrap(), &query("CN", "2024-06-01"));
        let json = serde_json::to_string_pretty(&d).unwrap();
        assert_eq!(replay_file_with(&SourceFile::new("d.json", json.clone()), &rules, &catalog), Ok(()), "{id}");
    }
    let d = recorded(&rules, catalog.get("nvidia-h100-sxm5-80gb").unwrap(), &query("CN", "2024-06-01"));
    let mut v = serde_json::to_value(&d).unwrap();
    // 29 billion (below Note 1's 30 billion; 10 billion on the 814 mm² TSMC 4N die is now
    // refused on its own, E0235: fewer than 30 million per mm²).
    v["inputs"]["product"]["transistors"] = serde_json::json!("29000000000");
    let forged = serde_json::to_string_pretty(&v).unwrap();
    match replay_file_with(&SourceFile::new("d.json", forged.clone()), &rules, &catalog) {
        Err(ReplayError::Invalid(d)) => {
            assert_eq!(d.0[0].code, Code::E0604);
            assert!(d.0[0].message.contains("`nvidia-h100-sxm5-80gb`"), "{}", d.0[0].message);
        }
        other => panic!("{other:?}"),
    }
    // `replay` checks against the shipped catalog.
    assert!(matches!(replay(&forged, &rules), Err(ReplayError::Invalid(d)) if d.0[0].code == Code::E0604));
    // A product of its own, under its own id, replays.
    let mine = h20_by("Example Semiconductor", &catalog);
    let d = recorded(&rules, &mine, &query("CN", "2024-06-01"));
    assert_eq!(replay(&serde_json::to_string(&d).unwrap(), &rules), Ok(()));
}

// --- 5. Long party names ----------------------------------------------------------------------

#[test]
fn a_long_party_name_is_cut_to_160_characters_in_missing() {
    let (rules, catalog) = shipped();
    // 993 characters: under the limit of 1,000 (E0517), far over the 160 shown.
    let name = format!("Example {} Sdn. Bhd.", "Very Long Name ".repeat(65));
    let mut eu = Party::new(Role::EndUser);
    eu.name = Some(name.clone());
    eu.country = Some("MY".parse().unwrap());
    let q = query("MY", "2024-06-01").with_parties(vec![eu]);
    let d = evaluate(&rules, catalog.get("nvidia-h100-sxm5-80gb").unwrap(), &q);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    let cut = shown_name(&name);
    assert_eq!(cut.chars().count(), 160);
    assert!(cut.ends_with("Sdn. Bhd.") && cut.contains('…'));
    let naming: Vec<&String> = d.missing.iter().filter(|m| m.contains("Very Long Name")).collect();
    assert!(!naming.is_empty(), "{:?}", d.missing);
    for m in naming {
        assert!(m.contains(cut.as_ref()) && !m.contains(&name), "{m}");
    }
    for text in d.missing.iter().chain(&d.warnings) {
        assert!(text.chars().count() < 600, "{} characters", text.chars().count());
    }
    assert_eq!(shown_name("Huawei"), "Huawei");
}

// --- 6. Owners' shares: one strict form -------------------------------------------------------

fn toml_owner(percent: &str) -> String {
    format!(
        "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2024-06-01\n[[party]]\nrole = \"end_user\"\nname = \"A\"\n[[party.owner]]\nname = \"B\"\npercent = {percent}\n"
    )
}

fn json_owner(percent: &str) -> String {
    format!(
        r#"{{"product": "nvidia-h20", "destination": "CN", "date": "2024-06-01", "party": [{{"role": "end_user", "name": "A", "owner": [{{"name": "B", "percent": {percent}}}]}}]}}"#
    )
}

#[test]
fn an_owners_share_is_a_number_or_a_plain_decimal_from_0_to_100_in_toml_and_json() {
    for bad in
        [r#"" 60""#, r#""60 ""#, r#""6e1""#, r#""-0""#, r#""+60""#, r#""60%""#, r#""1_0""#, r#"".5""#, r#""60.""#]
    {
        for (kind, text) in [("toml", toml_owner(bad)), ("json", json_owner(bad))] {
            let e = Transaction::parse(&SourceFile::new(format!("t.{kind}"), text)).unwrap_err();
            assert_eq!(e.0[0].code, Code::E0506, "{kind} {bad}: {}", e.0[0].message);
        }
    }
    // Number literals: an exponent or a sign is refused in both.
    for bad in ["6e1", "-0", "-5", "6.0e1"] {
        for (kind, text) in [("toml", toml_owner(bad)), ("json", json_owner(bad))] {
            let e = Transaction::parse(&SourceFile::new(format!("t.{kind}"), text)).unwrap_err();
            assert_eq!(e.0[0].code, Code::E0506, "{kind} {bad}: {}", e.0[0].message);
        }
    }
    for bad in ["100.5", r#""101""#] {
        for (kind, text) in [("toml", toml_owner(bad)), ("json", json_owner(bad))] {
            let e = Transaction::parse(&SourceFile::new(format!("t.{kind}"), text)).unwrap_err();
            assert!(e.0[0].message.contains("more than 100"), "{kind} {bad}: {}", e.0[0].message);
        }
    }
    for (good, value) in [("60", "60"), (r#""60""#, "60"), ("33.3", "33.3"), (r#""100.0""#, "100"), ("0", "0")] {
        for (kind, text) in [("toml", toml_owner(good)), ("json", json_owner(good))] {
            let t = Transaction::parse(&SourceFile::new(format!("t.{kind}"), text)).unwrap();
            assert_eq!(t.parties[0].owners[0].percent.unwrap().to_string(), value, "{kind} {good}");
        }
    }
    // The library's own deserialisation is as strict.
    assert!(serde_json::from_str::<Owner>(r#"{"name": "B", "percent": " 60"}"#).is_err());
    assert!(serde_json::from_str::<Owner>(r#"{"name": "B", "percent": -1}"#).is_err());
}
