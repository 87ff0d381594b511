//! False clearances found by the hostile tester of branch `probe` (findings 2, 4, 6, 7, 10, 12
//! and 15 of /work/helper-briefs/probe-findings.md), through the library: products and parties
//! built in code and read from files get the same answer, and the answer is the one the
//! regulation gives (cited at each test), never a clearance on an unchecked fact.

use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::{
    Memory, Owner, Party, PartyErrorKind, ProductKind, Role, Screening, Transaction, parse_product_sheet,
};
use export_controls::{Catalog, CompiledPack, Determination, FastQuery, Options, PreparedProduct, Query};
use export_controls::{RuleSet, Scratch, Verdict};
use rust_decimal::Decimal;

fn date(s: &str) -> export_controls::date::Date {
    s.parse().unwrap()
}

fn screened(on: &str, by: Option<&str>) -> Screening {
    Screening { list: "entity_list".into(), list_date: date(on), by: by.map(str::to_string) }
}

/// An end user located and headquartered (itself and its parent) in `country`, with its owners
/// stated complete, and screened under its own name against the full Entity List of `on`.
fn end_user(name: &str, country: &str, on: &str) -> Party {
    let mut p = Party::new(Role::EndUser);
    p.name = Some(name.into());
    p.country = country.parse().ok();
    p.headquarters = country.parse().ok();
    p.parent_headquarters = country.parse().ok();
    p.owners_known = true;
    p.screened = vec![screened(on, Some("test"))];
    p
}

/// The determination of catalog product `id` to `to` on `on` with `parties`, through
/// `RuleSet::evaluate` and `CompiledPack::decide`, which must agree on the verdict.
fn determine(id: &str, to: &str, on: &str, parties: Vec<Party>) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let product = catalog.get(id).unwrap();
    // An exporter that states it is not a front-end fabricator or OSAT (Note 1 to 3A090.a).
    let ordinary = export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let mut q = Query::export_to(to.parse().unwrap(), date(on)).with_exporter(ordinary);
    q.parties = parties;
    let d = rules.evaluate(product, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(product, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate disagree");
    d
}

fn owner(name: &str, percent: i64) -> Owner {
    Owner { name: name.into(), percent: Some(percent.into()), ..Owner::default() }
}

// ---------------------------------------------------------------- finding 2: owners' screening

/// 90 FR 47201 (eff. 2025-09-29): an entity 50% or more owned by listed parties is treated as
/// listed. The pack holds a sample of the Entity List (it clears no one by itself), so a 60%
/// owner that nobody screened may be listed: the party's own attestation does not clear it.
#[test]
fn a_party_attestation_does_not_clear_its_owner_under_the_affiliates_rule() {
    let mut p = end_user("Example Compute Sdn Bhd", "MY", "2025-10-15");
    // (An owner named like a listed entity, "Huawei Device Co., Ltd.", is left open as a
    // possible affiliate of it: see tests/parties.rs.)
    p.owners = vec![owner("Example Device Co., Ltd.", 60)];
    let d = determine("apple-m3-max", "MY", "2025-10-15", vec![p.clone()]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(
        d.missing,
        [
            "end user \"Example Compute Sdn Bhd\"'s owner \"Example Device Co., Ltd.\": screening against the full Entity List"
        ]
    );
    // The owner's own attestation clears it (of a name the sample does not hold).
    p.owners[0].screened = vec![screened("2025-10-15", Some("test"))];
    p.owners[0].name = "Example Holdings Bhd".into();
    // Its own ownership determined (tester round 6, S2: unstated, it could be held by listed
    // entities and pass their ownership on).
    p.owners[0].owners_known = true;
    // And identified (tester round 9, U3: a name alone identifies nobody).
    p.owners[0].identified = true;
    let d = determine("apple-m3-max", "MY", "2025-10-15", vec![p]);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(d.screening[0].attested.iter().any(|a| a.contains("owner \"Example Holdings Bhd\"")), "{:?}", d.screening);
}

/// The same from a TOML and a JSON transaction file: `screened` of a `[[party.owner]]`.
#[test]
fn an_owner_attestation_reads_from_toml_and_json_alike() {
    let toml = r#"product = "apple-m3-max"
destination = "MY"
date = 2025-10-15
[[party]]
role = "end_user"
name = "Example Compute Sdn Bhd"
country = "MY"
screened = [{ list = "entity_list", list_date = 2025-10-15, by = "test" }]
[[party.owner]]
name = "Example Holdings Bhd"
percent = 60
screened = [{ list = "entity_list", list_date = 2025-10-14, by = "owner's screener" }]
"#;
    let t = Transaction::parse(&SourceFile::new("tx.toml", toml)).unwrap();
    let want = vec![screened("2025-10-14", Some("owner's screener"))];
    assert_eq!(t.parties[0].owners[0].screened, want);
    let json = serde_json::to_string(&t).unwrap();
    let back = Transaction::parse(&SourceFile::new("tx.json", &json)).unwrap();
    assert_eq!(back, t);
    assert_eq!(Transaction::parse(&SourceFile::new("again.toml", t.to_toml())).unwrap(), t);
    // An owner's attestation naming a list the pack does not hold is refused, naming the owner.
    let mut bad = t.parties.clone();
    bad[0].owners[0].screened[0].list = "entity-list".into();
    let e = RuleSet::shipped().unwrap().check_parties(&bad).unwrap_err();
    assert_eq!(e.owner, Some(0));
    assert_eq!(
        e.kind,
        PartyErrorKind::UnknownList { list: "entity-list".into(), suggestion: Some("entity_list".into()) }
    );
}

// ---------------------------------------------------------------- finding 4: memory with a logic die

/// 3A090.a/.b classify logic ICs by TPP and performance density (15 CFR 774 Supp. No. 1); a
/// `memory` kind is outside them, so a processor whose rates are missing must not be typed out
/// of them: a logic die or an interconnect bandwidth on a memory product is refused (E0218),
/// and in code the product is never cleared.
#[test]
fn a_memory_product_with_a_logic_die_or_interconnect_is_refused_in_code() {
    let mut p = Catalog::shipped().unwrap().get("nvidia-h100-sxm5-80gb").unwrap().product().clone();
    p.id = "gpu-typed-memory".into();
    p.kind = ProductKind::Memory;
    p.processing_units.clear();
    let e = PreparedProduct::try_new(p.clone()).expect_err("refused");
    let codes: Vec<Code> = e.0.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::E0218, Code::E0218], "{e:?}");
    let rules = RuleSet::shipped().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), date("2024-06-01"));
    let d = rules.evaluate(&PreparedProduct::new(p.clone()), &q, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::Indeterminate);
    // A stand-alone stack described by [memory] alone stays a memory product.
    p.logic_dies.clear();
    p.interconnect_bandwidth_gbps = None;
    assert!(PreparedProduct::try_new(p).is_ok());
}

#[test]
fn a_memory_sheet_with_a_logic_die_is_refused() {
    let sheet =
        "id = \"x\"\nname = \"x\"\nvendor = \"x\"\nkind = \"memory\"\n[[logic_die]]\narea = 814\nnon_planar = true\n";
    let e = parse_product_sheet(&SourceFile::new("x.toml", sheet)).unwrap_err();
    assert_eq!(e.0[0].code, Code::E0218);
}

// ---------------------------------------------------------------- finding 6: HBM with hbm = false

/// 3A090.c covers HBM with a memory bandwidth density above 2 GB/s per mm², whether or not it
/// follows the JEDEC standards (89 FR 96790; ref §1.4): `hbm = false` on an HBM3E kind is a
/// contradiction, refused (E0221) in sheets and in code, and never read as "not HBM".
#[test]
fn an_hbm_kind_with_hbm_false_is_refused_in_sheets_and_code() {
    let sheet = "id = \"s\"\nname = \"s\"\nvendor = \"v\"\nkind = \"memory\"\n[memory]\nkind = \"HBM3E\"\nbandwidth = 1200\nstack_area = 110\nhbm = false\n";
    let e = parse_product_sheet(&SourceFile::new("s.toml", sheet)).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].code, Code::E0221);
    assert_eq!(e.0[0].message, "the memory kind `HBM3E` is high-bandwidth memory, but `hbm = false`");
    // With hbm = true the stack is 3A090.c: 1200 / 110 = 10.9 GB/s per mm² > 2; a licence to CN on 2025-06-01.
    let ok = parse_product_sheet(&SourceFile::new("s.toml", sheet.replace("hbm = false", "hbm = true"))).unwrap();
    let rules = RuleSet::shipped().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), date("2025-06-01"));
    let d = rules.evaluate(&PreparedProduct::new(ok.clone()), &q, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.c"]);
    // Built in code: refused by validate, never cleared.
    let mut code = ok;
    code.memory = Some(Memory { hbm: Some(false), ..code.memory.clone().unwrap() });
    let e = code.validate().unwrap_err();
    assert_eq!(e.0[0].code, Code::E0221);
    let d = rules.evaluate(&PreparedProduct::new(code), &q, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::Indeterminate);
    // Another memory kind may say hbm = false, at a bandwidth such memory has (128 GB/s: one
    // GDDR7 device); 1,200 GB/s over 110 mm² is above the 2 GB/s per mm² only HBM reaches (E0237).
    let gddr = sheet.replace("HBM3E", "GDDR6").replace("bandwidth = 1200", "bandwidth = 128");
    assert!(parse_product_sheet(&SourceFile::new("g.toml", &gddr)).is_ok());
}

// ---------------------------------------------------------------- finding 7: spacing inside names

/// The Entity List names Huawei Technologies Co., Ltd. with the alias "Huawei" (84 FR 22961;
/// 15 CFR 744.11: a licence for all items subject to the EAR). A name that is the alias once
/// the spaces and punctuation inside it are removed is a possible match: indeterminate with a
/// warning naming the entry, even behind an attestation, for a party and for an owner.
#[test]
fn names_spaced_otherwise_than_a_listed_name_are_never_cleared() {
    for name in ["Hua-wei", "Hua wei", "H u a w e i", "HUAWEITECHNOLOGIES"] {
        let d = determine("apple-m3-max", "MY", "2024-06-01", vec![end_user(name, "MY", "2024-06-01")]);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}");
        assert_eq!(
            d.missing,
            [format!(
                "end user \"{name}\": whether it is Entity List entry EL:huawei-technologies \"Huawei Technologies Co., Ltd.\" (its name matches only once spacing and punctuation inside words are ignored)"
            )],
            "{name}"
        );
        assert!(d.warnings.iter().any(|w| w.contains("EL:huawei-technologies")), "{name}: {:?}", d.warnings);
    }
    // The listed name itself is a match: a licence (744.11); so is the alias "Huawei
    // Technologies" glued in CamelCase, which is the alias once split at its case break
    // (tester round 5, R5; it was left open before).
    for name in ["Huawei", "HuaweiTechnologies"] {
        let d = determine("apple-m3-max", "MY", "2024-06-01", vec![end_user(name, "MY", "2024-06-01")]);
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{name}");
    }
    // An owner during the Affiliates rule (2025-09-29 .. 2025-11-09), screened under its own name.
    let mut p = end_user("Example Compute Sdn Bhd", "MY", "2025-10-15");
    p.owners = vec![owner("Hua-wei", 60)];
    p.owners[0].screened = vec![screened("2025-10-15", Some("test"))];
    let d = determine("apple-m3-max", "MY", "2025-10-15", vec![p]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
}

// ---------------------------------------------------------------- finding 15: Cyprus in D:5

/// Whether Cyprus is in D:5 is unverified (ref §5.5: CSET had it in D:5 in 2023, the 2026
/// snapshot does not), and it decides the rule for entities headquartered in D:5 (742.6(a)(6)(iii),
/// 744.23(a)(3)). Its membership is unknown: an H100 for a Cyprus-headquartered buyer in Germany
/// is indeterminate, naming the fact, on every date of the tester's probe (round 4, Q7), through
/// `evaluate` and `decide` alike; a buyer headquartered in Germany is unaffected.
#[test]
fn a_cyprus_headquartered_buyer_is_indeterminate_on_cyprus_in_d5() {
    for on in ["2023-12-01", "2024-06-01", "2025-06-01", "2026-08-01"] {
        let d = determine("nvidia-h100-sxm5-80gb", "DE", on, vec![end_user("Example Compute GmbH", "DE", on)]);
        assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{on}");
        assert!(d.missing.is_empty(), "{on}: {:?}", d.missing);
        let mut p = end_user("Example Compute GmbH", "DE", on);
        p.headquarters = "CY".parse().ok();
        let d = determine("nvidia-h100-sxm5-80gb", "DE", on, vec![p]);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{on}");
        assert_eq!(d.missing.len(), 1, "{on}: {:?}", d.missing);
        assert!(d.missing[0].starts_with("whether Cyprus is in Country Group D:5 (unverified: "), "{:?}", d.missing);
        // The parent headquartered in Cyprus alone brings the same question.
        let mut p = end_user("Example Compute GmbH", "DE", on);
        p.parent_headquarters = "CY".parse().ok();
        let d = determine("nvidia-h100-sxm5-80gb", "DE", on, vec![p]);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{on}");
        assert!(d.missing.iter().any(|m| m.starts_with("whether Cyprus is in Country Group D:5")), "{:?}", d.missing);
    }
}

/// A Cyprus destination: A:6 (which holds Cyprus) excepts it from the RS destination test of
/// 3A090.a (742.6(a)(6)(iii): D:1, D:4, D:5 except A:5 and A:6), so in 2024 the MI300X (datacenter
/// 3A090.a) to Cyprus needs no licence whatever its D:5 membership (an NVIDIA H100 is held open
/// there by NVIDIA's 2023 Middle East letter since pack 0.1.36); from 2025-04-15 the is-informed
/// letters name D:5 without excepting A:6, and the determination hinges on it.
#[test]
fn a_cyprus_destination_hinges_on_d5_only_where_a6_does_not_except_it() {
    let d = determine("amd-mi300x", "CY", "2024-06-01", vec![]);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    let d = determine("nvidia-h100-sxm5-80gb", "CY", "2025-06-01", vec![]);
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m.starts_with("whether Cyprus is in Country Group D:5")), "{:?}", d.missing);
}

// ---------------------------------------------------------------- finding 10: bits

/// The H20's memory bandwidth is 4,000 GB/s (ref §3.4); 32,000 Gb/s (gigabits) is the same
/// figure. A bit unit is refused, with the figure in bytes, never read as 32,000 GB/s.
#[test]
fn gigabits_are_refused_with_the_figure_in_bytes() {
    let sheet = "id = \"b\"\nname = \"b\"\nvendor = \"v\"\nkind = \"integrated_circuit\"\n[memory]\nbandwidth = \"32000 Gb/s\"\n";
    for (unit, text) in [("Gb/s", "32000 Gb/s"), ("Gbps", "32000 Gbps"), ("Gbit/s", "32000 Gbit/s")] {
        let e = parse_product_sheet(&SourceFile::new("b.toml", sheet.replace("32000 Gb/s", text))).unwrap_err();
        assert_eq!(e.0[0].code, Code::E0201);
        assert_eq!(
            e.0[0].message,
            format!(
                "unit `{unit}` is in bits, not bytes: give the figure in GB/s, 8 bits to the byte (32000 {unit} is 4000 GB/s)"
            )
        );
    }
    let ok = parse_product_sheet(&SourceFile::new("b.toml", sheet.replace("32000 Gb/s", "4000 GB/s"))).unwrap();
    assert_eq!(ok.memory.unwrap().bandwidth_gbps, Some(Decimal::from(4000)));
}

// ---------------------------------------------------------------- finding 12: quantity, screener

#[test]
fn zero_units_are_refused_and_an_attestation_without_a_screener_is_warned() {
    let tx = "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"MY\"\ndate = 2025-06-01\nquantity = 0\n";
    let e = Transaction::parse(&SourceFile::new("q.toml", tx)).unwrap_err();
    assert_eq!(e.0[0].code, Code::E0513);
    let json = r#"{"product": "nvidia-h100-sxm5-80gb", "destination": "MY", "date": "2025-06-01", "quantity": 0}"#;
    assert_eq!(Transaction::parse(&SourceFile::new("q.json", json)).unwrap_err().0[0].code, Code::E0513);
    assert!(Transaction::parse(&SourceFile::new("q.toml", tx.replace("= 0", "= 1"))).is_ok());
    // 15 CFR 762.2: a record of the screening says who screened. Absent or blank: a warning.
    for by in [None, Some(""), Some("  ")] {
        let mut p = end_user("Example Compute Sdn Bhd", "MY", "2025-06-01");
        p.screened = vec![screened("2025-06-01", by)];
        let d = determine("nvidia-h100-sxm5-80gb", "MY", "2025-06-01", vec![p]);
        assert!(d.warnings.iter().any(|w| w.contains("names no screener (`by`)")), "{by:?}: {:?}", d.warnings);
    }
    let d = determine(
        "nvidia-h100-sxm5-80gb",
        "MY",
        "2025-06-01",
        vec![end_user("Example Compute Sdn Bhd", "MY", "2025-06-01")],
    );
    assert!(!d.warnings.iter().any(|w| w.contains("names no screener")), "{:?}", d.warnings);
}
