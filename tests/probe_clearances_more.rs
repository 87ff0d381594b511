//! False clearances found by the hostile tester of branch `probe` (findings 1, 5, 8, 9, 13, 16
//! and 17 of /work/helper-briefs/probe-findings.md), through the library: products built in code
//! and read from sheets get the same answer, and the answer is the one the regulation gives
//! (cited at each test), never a clearance on an unchecked fact.

use export_controls::diagnostic::SourceFile;
use export_controls::model::{Exporter, LogicDie, Product, parse_product_sheet};
use export_controls::{CompiledPack, Determination, FastQuery, Options, PreparedProduct, Query};
use export_controls::{RuleSet, Scratch, Verdict};

fn date(s: &str) -> export_controls::date::Date {
    s.parse().unwrap()
}

/// The determination of `product` to `to` on `on` for `exporter`, through `RuleSet::evaluate`
/// and `CompiledPack::decide`, which must agree on the verdict.
fn determine_with(product: Product, to: &str, on: &str, exporter: Exporter) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let product = PreparedProduct::new(product);
    let q = Query::export_to(to.parse().unwrap(), date(on)).with_exporter(exporter);
    let d = rules.evaluate(&product, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(&product, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate disagree");
    d
}

fn sheet(text: &str) -> Product {
    parse_product_sheet(&SourceFile::new("sheet.toml", text.to_string())).unwrap()
}

// ---------------------------------------------------------------- finding 1: the 16/14 nm node

/// A planar edge accelerator: TPP 100 × 8 = 800 (below 1600, not 3A090 on its numbers), one
/// 400 mm² planar die, 40 billion transistors (not below 30 billion: route (b) of Note 1 to
/// 3A090.a does not rebut the presumption).
const PLANAR: &str = r#"
id = "planar-edge"
name = "Planar edge accelerator"
vendor = "Example"
kind = "integrated_circuit"
designed_or_marketed_for_datacenter = false
transistors = 40_000_000_000
[dense_tops]
complete = true
int8 = 100
[[logic_die]]
area = 800
count = 4
non_planar = false
"#;

/// A front-end fabricator packaging outside D:5 and Macau itself (90 FR 5298, Note 1 to
/// 3A090.a, route (b)).
fn fabricator() -> Exporter {
    Exporter {
        front_end_fabricator_or_osat: Some(true),
        packaged_outside_d5_or_macau: true,
        packaged_by: Some(export_controls::model::Packager::FrontEndFabricator),
        ..Default::default()
    }
}

/// 15 CFR 772.1: an "applicable advanced logic integrated circuit" is a logic IC produced at
/// the "16/14 nanometer node" or below, OR with a non-planar transistor architecture. A planar
/// 12 nm die is one, so a front-end fabricator must presume 3A090.a (Note 1 to 3A090.a, from
/// the 2025-01-31 compliance date): licence required worldwide ("3A090 License
/// Requirements/Note 1") and to China under 742.6(a)(6)(iii).
#[test]
fn a_planar_die_at_the_16_14nm_node_or_below_is_presumed_3a090a_for_a_fabricator() {
    let at_12nm = sheet(&format!("{PLANAR}at_or_below_16_14nm = true\n"));
    assert_eq!(at_12nm.logic_dies[0].at_or_below_16_14nm, Some(true));
    let d = determine_with(at_12nm.clone(), "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["3A090.a"]);
    let ids: Vec<&str> = d.requirements.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"3A090 License Requirements/Note 1"), "{ids:?}");

    // The same product built in code gets the same answer.
    let mut in_code = at_12nm.clone();
    in_code.logic_dies = vec![LogicDie {
        name: None,
        area_mm2: Some(400.into()),
        count: 1,
        non_planar: Some(false),
        at_or_below_16_14nm: Some(true),
        wafer_scale: false,
    }];
    assert_eq!(determine_with(in_code, "CN", "2025-06-01", fabricator()).verdict, Verdict::LicenseRequired);

    // The same product in JSON keeps the fact.
    let json = serde_json::to_string(&at_12nm).unwrap();
    let back: Product = serde_json::from_str(&json).unwrap();
    assert_eq!(back.logic_dies[0].at_or_below_16_14nm, Some(true));
}

/// A planar die above the node (28 nm) is not an applicable advanced logic IC: no presumption,
/// and TPP 800 is below every 3A090 threshold (1600 is the lowest, 3A090.b.2).
#[test]
fn a_planar_die_above_the_node_is_not_presumed() {
    let at_28nm = sheet(&format!("{PLANAR}at_or_below_16_14nm = false\n"));
    let d = determine_with(at_28nm, "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    assert!(d.eccns.is_empty(), "{:?}", d.eccns);
}

/// A planar die whose node is not stated may be at 12 nm: the presumption is unknown, and the
/// determination names the fact that decides it (never a clearance, probe finding 1). An
/// ordinary exporter is not bound by Note 1, so for it the node does not matter.
#[test]
fn a_planar_die_of_unstated_node_leaves_the_presumption_open() {
    let d = determine_with(sheet(PLANAR), "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, ["at_or_below_16_14nm"]);

    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let d = determine_with(sheet(PLANAR), "CN", "2025-06-01", ordinary);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);

    // A product with no logic die at all names the die list.
    let mut no_die = sheet(PLANAR);
    no_die.logic_dies.clear();
    let d = determine_with(no_die, "CN", "2025-06-01", fabricator());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == "logic_die"), "{:?}", d.missing);
}

// ---------------------------------------------------------------- finding 5: vendor names

/// An H20-class part: memory 5,300 GB/s, at or above the H20's 4,000 GB/s line of the NVIDIA
/// (2025-04-09) and AMD (2025-04-15) letters (15 CFR 744.23 "is informed"; NVIDIA and AMD Forms
/// 8-K, rules/us-ear/NOTES.md §11); TPP 2,368, PD 2.91, outside 3A090.
fn h20_class(vendor: &str) -> Product {
    sheet(&format!(
        r#"
id = "h20-class"
name = "H20-class part"
vendor = "{vendor}"
kind = "integrated_circuit"
designed_or_marketed_for_datacenter = true
form_factor = "pcie_card"
interconnect_bandwidth = 128
[dense_tops]
complete = true
fp8 = 296
[[logic_die]]
area = 814
non_planar = true
[memory]
bandwidth = 5300
hbm = true
"#
    ))
}

fn ordinary() -> Exporter {
    Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() }
}

/// A placeholder is a vendor the sheet does not know: the letters keyed on the vendor may reach
/// the part, so the determination is open on `vendor`, as for an empty vendor (probe finding 5).
#[test]
fn a_placeholder_vendor_is_unknown_and_never_clears_the_company_letters() {
    for v in ["N/A", "n/a", "n.a.", "unknown", "Unknown", "TBD", "T.B.D.", "none", "None", "not known", "-", ""] {
        let d = determine_with(h20_class(v), "CN", "2025-05-01", ordinary());
        assert_eq!(d.verdict, Verdict::Indeterminate, "vendor {v:?}");
        assert_eq!(d.missing, ["vendor"], "vendor {v:?}");
    }
    // A real vendor the letters do not name is decided (France and China alike: no letter).
    let d = determine_with(h20_class("Example Semiconductor"), "CN", "2025-05-01", ordinary());
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
}

/// The MI308 letter was reported by the AMD Form 8-K (event 2025-04-15), whose registrant is
/// "Advanced Micro Devices, Inc.": a sheet with AMD's legal name is AMD's, and the letter
/// requires a licence to China. NVIDIA's legal name ("NVIDIA Corporation", the registrant of
/// NVIDIA's 8-K of 2025-04-15) reads as NVIDIA.
#[test]
fn a_legal_name_with_a_corporate_suffix_is_the_vendor_the_letter_names() {
    for (v, letter) in [
        ("Advanced Micro Devices, Inc.", "is-informed/MI308"),
        ("ADVANCED MICRO DEVICES INC", "is-informed/MI308"),
        ("AMD", "is-informed/MI308"),
        ("NVIDIA Corporation", "is-informed/H20"),
    ] {
        let d = determine_with(h20_class(v), "CN", "2025-05-01", ordinary());
        assert_eq!(d.verdict, Verdict::LicenseRequired, "vendor {v:?}");
        let ids: Vec<&str> = d.requirements.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [letter], "vendor {v:?}");
    }
    // The day before AMD's letter (2025-04-14) the same part needs none.
    let d = determine_with(h20_class("Advanced Micro Devices, Inc."), "CN", "2025-04-14", ordinary());
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
}

// ---------------------------------------------------------------- finding 16: the datacenter flag

fn catalog(id: &str) -> Product {
    export_controls::Catalog::shipped().unwrap().get(id).unwrap().product().clone()
}

/// "Designed or marketed for use in datacenters" (Note 2 to 3A090.a and .b; the NAC/ACA
/// exclusion of 15 CFR 740.8) is read from datacenter design features, e.g. a high-bandwidth
/// connection socket, and the marketing (88 FR 73458; ref §1.3). An H100 SXM5 sheet (SXM5
/// module, HBM3, NVLink 900 GB/s) marked `false` would take a datacenter 3A090.a part
/// (licence required to China, no NAC) to NAC: the flag is unknown there, and the outcome open.
#[test]
fn a_datacenter_flag_stated_false_against_datacenter_features_is_not_taken_as_given() {
    let mut h100 = catalog("nvidia-h100-sxm5-80gb");
    assert_eq!(h100.designed_or_marketed_for_datacenter, Some(true));
    let d = determine_with(h100.clone(), "CN", "2024-06-01", ordinary());
    assert_eq!(d.verdict, Verdict::LicenseRequired, "the catalog H100: datacenter 3A090.a, no NAC");

    h100.designed_or_marketed_for_datacenter = Some(false);
    let d = determine_with(h100.clone(), "CN", "2024-06-01", ordinary());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing.len(), 1, "{:?}", d.missing);
    assert!(
        d.missing[0].starts_with("designed_or_marketed_for_datacenter (stated false, but the sheet shows datacenter design features: HBM, interconnect"),
        "{:?}",
        d.missing
    );
    assert!(
        d.warnings.iter().any(|w| w.starts_with("designed_or_marketed_for_datacenter is stated false")),
        "{:?}",
        d.warnings
    );
}

/// A consumer card with none of those features keeps its flag: the RTX 4090 (PCIe card,
/// GDDR6X, 64 GB/s host link; TPP 5,285 >= 4,800, so 3A090.a and not datacenter) is eligible for
/// NAC to China from 2023-11-17 (15 CFR 740.8; the 2023-11-16/17 boundary of ref §2).
#[test]
fn a_consumer_part_without_datacenter_features_keeps_its_flag() {
    let d = determine_with(catalog("nvidia-rtx-4090"), "CN", "2024-06-01", ordinary());
    assert_eq!(d.verdict, Verdict::LicenseException);
    assert!(d.warnings.iter().all(|w| !w.contains("datacenter design features")), "{:?}", d.warnings);
}

// ---------------------------------------------------------------- finding 13: NAC's one notification

/// A party in China (located and headquartered, itself and its parent), owners stated, screened
/// against the full Entity List of `on`.
fn cn_party(role: export_controls::model::Role, name: &str, on: &str) -> export_controls::model::Party {
    let mut p = export_controls::model::Party::new(role);
    p.name = Some(name.into());
    p.country = "CN".parse().ok();
    p.headquarters = "CN".parse().ok();
    p.parent_headquarters = "CN".parse().ok();
    p.owners_known = true;
    p.screened = vec![export_controls::model::Screening {
        list: "entity_list".into(),
        list_date: date(on),
        by: Some("test".into()),
    }];
    p
}

fn determine_parties(product: Product, on: &str, parties: Vec<export_controls::model::Party>) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let product = PreparedProduct::new(product);
    let mut q = Query::export_to("CN".parse().unwrap(), date(on)).with_exporter(ordinary());
    q.parties = parties;
    let d = rules.evaluate(&product, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    let fast = pack.decide(&product, &FastQuery::of(&q, &prepared), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate disagree");
    d
}

/// License Exception NAC (15 CFR 740.8) is used through a notification that allows one ultimate
/// consignee and one end user, and no distributor (BIS NAC guidance, ref §4.5 [P S15]). The RTX
/// 4090 (non-datacenter 3A090.a) to one end user in China goes under NAC; through a distributor
/// to two end users it cannot go under one notification, and the licence requirement of
/// 742.6(a)(6)(iii) stands.
#[test]
fn nac_is_not_offered_beyond_one_consignee_and_one_end_user() {
    use export_controls::model::Role;
    let on = "2024-06-01";
    let one = vec![cn_party(Role::EndUser, "Example Gaming Cafe Chain Co., Ltd.", on)];
    let d = determine_parties(catalog("nvidia-rtx-4090"), on, one);
    assert_eq!(d.verdict, Verdict::LicenseException);
    assert!(d.exceptions.iter().all(|x| x.name == "NAC"), "{:?}", d.exceptions);

    let distributor_two_users = vec![
        cn_party(Role::IntermediateConsignee, "Example Distribution (Shenzhen) Co., Ltd.", on),
        cn_party(Role::EndUser, "Example Gaming Cafe Chain Co., Ltd.", on),
        cn_party(Role::EndUser, "Example Render Farm Co., Ltd.", on),
    ];
    let d = determine_parties(catalog("nvidia-rtx-4090"), on, distributor_two_users);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.exceptions.is_empty(), "{:?}", d.exceptions);
    assert!(
        d.warnings.iter().any(|w| w.contains("2 end users, 1 intermediate consignee")),
        "the determination says why NAC is not offered: {:?}",
        d.warnings
    );

    // Two end users without a distributor: still beyond one notification.
    let two_users = vec![
        cn_party(Role::EndUser, "Example Gaming Cafe Chain Co., Ltd.", on),
        cn_party(Role::EndUser, "Example Render Farm Co., Ltd.", on),
    ];
    assert_eq!(determine_parties(catalog("nvidia-rtx-4090"), on, two_users).verdict, Verdict::LicenseRequired);
}

// ---------------------------------------------------------------- finding 17: a die listed twice

/// Identical dies are one `[[logic_die]]` with `count`; two entries of one name are summed into
/// the applicable die area, halving the performance density (3A090 Technical Note: PD = TPP /
/// area) when one was pasted twice. Refused (E0222) in a sheet and in a product built in code.
#[test]
fn a_die_listed_twice_is_refused_in_sheets_and_code() {
    use export_controls::diagnostic::Code;
    let one = "id = \"l4-like\"\nname = \"L4-like\"\nvendor = \"Test\"\nkind = \"integrated_circuit\"\n[dense_tops]\ncomplete = true\nfp8 = 242\n[[logic_die]]\nname = \"AD104\"\narea = 294.5\nnon_planar = true\n";
    let twice = format!("{one}[[logic_die]]\nname = \"AD104\"\narea = 294.5\nnon_planar = true\n");
    let d = parse_product_sheet(&SourceFile::new("twice.toml", twice)).unwrap_err().0;
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].code, d[0].line), (Code::E0222, 13));
    assert_eq!(d[0].message, "the logic die `AD104` is listed twice");

    let mut p = sheet(one);
    assert_eq!(p.validate(), Ok(()));
    let mut second = p.logic_dies[0].clone();
    second.name = Some("ad104".into());
    p.logic_dies.push(second);
    let d = p.validate().unwrap_err().0;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, Code::E0222);
    assert_eq!(d[0].file, "product `l4-like`, logic die 2, name");
    // Never cleared when evaluated as it is.
    let d = determine_with(p, "CN", "2024-06-01", ordinary());
    assert_eq!(d.verdict, Verdict::Indeterminate);
}

// ---------------------------------------------------------------- finding 8: a board's own figures

/// An HGX H20 board (8 × H20) whose own figures are one GPU's (fp8 296, one 814 mm² die). The
/// contents read as one IC give TPP 8 × 2,368 = 18,944 >= 4,800: 3A090.a.1, and the board is
/// 4A090.a (15 CFR 774 Supp. No. 1, ECCN 4A090). Whether separate packages aggregate is open
/// (ref §1.6: per IC by default, the other reading as a stated alternative), so the per-IC
/// determination warns of the aggregate outcome, and the aggregate reading requires a licence:
/// the board's understated own figures must change neither.
fn understated_board() -> Product {
    let h20 = catalog("nvidia-h20");
    let mut board = sheet(
        "id = \"hgx-h20-own\"\nname = \"HGX H20, own figures one GPU's\"\nvendor = \"NVIDIA\"\nkind = \"computer\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp8 = 296\n[[logic_die]]\narea = 814\nnon_planar = true\n",
    );
    board.contains =
        vec![export_controls::model::Contained { product: "nvidia-h20".into(), count: 8, sheet: Some(Box::new(h20)) }];
    board
}

#[test]
fn a_boards_own_figures_below_its_contents_neither_hide_nor_clear_the_aggregate() {
    let prepared = PreparedProduct::new(understated_board());
    assert_eq!(prepared.figures().metrics().tpp, Some(18944.into()), "the contents' TPP governs the aggregate");
    assert!(
        prepared.warnings().iter().any(|w| w.contains("give TPP 2368, below the 18944")),
        "{:?}",
        prepared.warnings()
    );

    let d = determine_with(understated_board(), "CN", "2024-06-01", ordinary());
    assert!(
        d.warnings.iter().any(|w| w.contains("Read as one aggregate IC, the outcome would be: license_required")),
        "{:?}",
        d.warnings
    );

    let aggregate = RuleSet::shipped().unwrap().with_reading(export_controls::ruleset::Reading::Aggregate);
    let q = Query::export_to("CN".parse().unwrap(), date("2024-06-01")).with_exporter(ordinary());
    let d = aggregate.evaluate(&PreparedProduct::new(understated_board()), &q, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["4A090.a"]);
}
