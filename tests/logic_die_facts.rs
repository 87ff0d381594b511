//! The logic-die facts a performance density and the Note 1 presumption rest on (tester round 9,
//! branch `tester9`, tester9/FINDINGS.md; the cases are copied in tests/fixtures/tester9).
//!
//! - U5: the L4 (TPP 1,940, one 294.5 mm² AD104, performance density 6.59) is 3A090.a.2 (TPP
//!   ≥ 1,600 and performance density ≥ 5.92, 15 CFR 774 Supp. No. 1; 88 FR 73458): a licence to
//!   CN on 2024-06-01 (742.6(a)(6)(iii)). Its die area slipped tenfold beside a CoWoS-L
//!   "multi-reticle interposer", or its die count written 10 with no transistor count, divides
//!   the density by ten. A die exceeds one exposure field only where it is stated wafer-scale
//!   (`wafer_scale = true`, E0236), and a die count nothing confirms leaves the density open.

mod common;

use common::{edited_sheet, line_of, parse_sheet, requirement_ids, sheet_refusal};
use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::{Product, Transaction};
use export_controls::{CompiledPack, Determination, PreparedProduct, Query, RuleSet, Verdict};

const L4: &str = "rules/products/nvidia-l4.toml";

/// The text of a tester round 9 case (tests/fixtures/tester9).
fn fixture(name: &str) -> String {
    common::read(&format!("tests/fixtures/tester9/{name}"))
}

/// The determination of `product` under the transaction file `tx` (its product ignored), on
/// both paths.
fn determine(product: Product, tx: &str) -> Determination {
    let t = Transaction::parse(&SourceFile::new(tx, fixture(tx))).unwrap();
    let rules = RuleSet::shipped().unwrap();
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let q = Query::export_to(t.destination, t.date).with_exporter(t.exporter);
    common::determine_both(&rules, &pack, &PreparedProduct::new(product), &q)
}

#[test]
fn u5_the_l4_itself_needs_a_licence_to_china() {
    let d = determine(parse_sheet(&common::read(L4)).unwrap(), "u5b-l4-die-count-10-no-transistors-cn.toml");
    assert_eq!((d.verdict, requirement_ids(&d)), (Verdict::LicenseRequired, vec!["742.6(a)(6)(iii)"]));
    assert_eq!(d.eccns, ["3A090.a"]);
}

#[test]
fn u5_a_multi_reticle_interposer_is_no_wafer_scale_die() {
    let text = fixture("u5-l4-area-slipped-cowos-l.toml");
    assert_eq!(sheet_refusal(&text), [(Code::E0236, line_of(&text, "area = 2945"), 8)]);
    // Built in code, the same product is invalid and never cleared.
    let mut l4 = parse_sheet(&common::read(L4)).unwrap();
    l4.id = "u5-in-code".into();
    l4.package = Some("CoWoS-L (multi-reticle interposer)".into());
    l4.transistors = None;
    l4.logic_dies[0].area_mm2 = Some(2945.into());
    l4.logic_dies[0].name = Some("AD104 (not stitched)".into());
    let problems = l4.validate().unwrap_err().0;
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), [Code::E0236]);
    let d = determine(l4, "u5-l4-area-slipped-cowos-l-cn.toml");
    assert_eq!(d.verdict, Verdict::Indeterminate);
}

#[test]
fn u5_only_a_die_stated_wafer_scale_exceeds_the_exposure_field() {
    let text = fixture("u5-l4-area-slipped-cowos-l.toml");
    let flagged = text.replace("non_planar = true", "non_planar = true\nwafer_scale = true");
    let p = parse_sheet(&flagged).unwrap();
    assert!(p.logic_dies[0].wafer_scale);
    // Written back, the fact is kept; left out, it is false.
    let back = export_controls::model::write_product_sheet(&p);
    assert!(back.contains("wafer_scale = true"), "{back}");
    assert!(!parse_sheet(&common::read(L4)).unwrap().logic_dies[0].wafer_scale);
    // `wafer_scale = false` is the same as leaving it out.
    let stated_false = text.replace("non_planar = true", "non_planar = true\nwafer_scale = false");
    assert_eq!(sheet_refusal(&stated_false), [(Code::E0236, line_of(&text, "area = 2945"), 8)]);
}

#[test]
fn u5b_a_die_count_nothing_confirms_leaves_the_density_open() {
    let text = fixture("u5b-l4-die-count-10-no-transistors.toml");
    let d = determine(parse_sheet(&text).unwrap(), "u5b-l4-die-count-10-no-transistors-cn.toml");
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), ["742.6(a)(6)(iii)"]);
    assert!(d.missing.iter().any(|m| m.starts_with("logic_die count (10 × `AD104`: ")), "{:?}", d.missing);
    // The count confirmed by a transistor count at the 5 nm class's typical density over ten
    // dies (ten AD104s hold 358 billion): the density is taken, 0.66, below 3A090.a.2.
    let confirmed = text
        .replace("count = 10", "count = 10\n")
        .replace("process_node = \"TSMC 4N\"", "process_node = \"TSMC 4N\"\ntransistors = 358_000_000_000");
    let d = determine(parse_sheet(&confirmed).unwrap(), "u5b-l4-die-count-10-no-transistors-cn.toml");
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    // The L4's own 35.8 billion over ten dies is below the typical density: refused at the
    // node (E0235), and never confirms the count.
    let slipped =
        text.replace("process_node = \"TSMC 4N\"", "process_node = \"TSMC 4N\"\ntransistors = 35_800_000_000");
    assert_eq!(sheet_refusal(&slipped).first().map(|d| d.0), Some(Code::E0235));
    // A package that names the count confirms it.
    let named = text.replace("\"PCIe card (low profile)\"", "\"CoWoS-S, 10 AD104 dies\"");
    let d = determine(parse_sheet(&named).unwrap(), "u5b-l4-die-count-10-no-transistors-cn.toml");
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}

#[test]
fn u5b_an_open_count_decides_nothing_the_density_does_not() {
    // The B200 (two GB100 dies, 208 billion transistors on TSMC 4NP) with its package silent
    // on the count: the transistor count confirms it, and the licence stands.
    let text = edited_sheet(
        "rules/products/nvidia-b200.toml",
        "b200-package-silent",
        &[("\"SXM module, 2 GPU dies\"", "\"SXM module\"")],
    );
    let d = determine(parse_sheet(&text).unwrap(), "u5b-l4-die-count-10-no-transistors-cn.toml");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    // Without the transistor count too: the density is 1 to 2 times what two dies give, above
    // 5.92 either way, so 3A090.a is decided all the same.
    let text = text.replace("transistors = 208_000_000_000", "");
    let d = determine(parse_sheet(&text).unwrap(), "u5b-l4-die-count-10-no-transistors-cn.toml");
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert!(d.eccns.contains(&"3A090.a".to_string()), "{:?}", d.eccns);
}

#[test]
fn dies_totalling_more_than_a_wafer_are_refused() {
    // 1,000 dies of 294.5 mm²: 294,500 mm², more than a 300 mm wafer (70,685 mm²).
    let text =
        edited_sheet(L4, "l4-count-1000", &[("count = 1", "count = 1000"), ("transistors = 35_800_000_000", "")]);
    assert_eq!(sheet_refusal(&text), [(Code::E0226, line_of(&text, "count = 1000"), 9)]);
    // Built in code: the same code, at the dies' count.
    let mut p = parse_sheet(&common::read(L4)).unwrap();
    p.logic_dies[0].count = 1000;
    p.transistors = None;
    let problems = p.validate().unwrap_err().0;
    assert_eq!(
        problems.iter().map(|p| (p.code, p.file.as_str())).collect::<Vec<_>>(),
        [(Code::E0226, "product `nvidia-l4`, logic die, count")]
    );
    // Cerebras's WSE-3, one wafer-scale die of 46,225 mm², is within a wafer.
    let wse = edited_sheet(
        L4,
        "wse-3",
        &[
            ("area = 294.5", "area = 46225"),
            ("non_planar = true", "non_planar = true\nwafer_scale = true"),
            ("process_node = \"TSMC 4N\"", "process_node = \"TSMC N5\""),
            ("35_800_000_000", "4_000_000_000_000"),
            ("fp8 = 242.5", "fp8 = 62500"),
        ],
    );
    assert!(parse_sheet(&wse).is_ok(), "{:?}", parse_sheet(&wse).err());
    // A computer holds several packages, and is not checked.
    let mut server = p.clone();
    server.kind = export_controls::model::ProductKind::Computer;
    server.processing_units.clear();
    assert!(server.validate().is_ok(), "{:?}", server.validate());
}

/// U7: an H100-class die (TPP 15,832 on 814 mm², no transistor count) stated planar and above
/// the 16/14 nm node escapes Note 1 to 3A090.a (15 CFR 774 Supp. No. 1, ECCN 3A090; 90 FR 5298),
/// which presumes an "applicable advanced logic integrated circuit" (15 CFR 772.1) 3A090.a for a
/// front-end fabricator: those flags beside a node that holds a 4N part, or a RibbonFET, are
/// refused; beside a node not read, they are not taken as given.
#[test]
fn u7_a_die_stated_planar_beside_a_4n_part_is_refused() {
    let text = fixture("u7-accel-4n-plus-28nm-flags-planar.toml");
    assert_eq!(sheet_refusal(&text), [(Code::E0240, line_of(&text, "at_or_below_16_14nm = false"), 23)]);
    // With the node flag true, the planar flag beside the 4N part is refused in turn.
    let node_flag = text.replace("at_or_below_16_14nm = false", "at_or_below_16_14nm = true");
    assert_eq!(sheet_refusal(&node_flag), [(Code::E0241, line_of(&text, "non_planar = false"), 14)]);
    let flagged = node_flag.replace("non_planar = false", "non_planar = true");
    assert!(parse_sheet(&flagged).is_ok(), "a die made at the 4N part: the sheet does not contradict itself");
    let both = text
        .replace("process_node = \"TSMC 4N + TSMC 28HPC (I/O die)\"", "process_node = \"TSMC N3E / 28 nm interposer\"");
    assert_eq!(sheet_refusal(&both).first().map(|d| d.0), Some(Code::E0240));
    // Built in code: the same refusal, never a clearance.
    let mut p = parse_sheet(&flagged).unwrap();
    p.logic_dies[0].at_or_below_16_14nm = Some(false);
    p.logic_dies[0].non_planar = Some(false);
    let problems = p.validate().unwrap_err().0;
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), [Code::E0240]);
    assert_eq!(determine(p, "u7-accel-4n-plus-28nm-fab-de.toml").verdict, Verdict::Indeterminate);
    // A second die made at the coarse part, stated so, beside one at 4N stated so: taken.
    let two_dies = format!(
        "{flagged}\n[[logic_die]]\nname = \"I/O die\"\narea = 300\nnon_planar = false\nat_or_below_16_14nm = false\n"
    );
    assert!(parse_sheet(&two_dies).is_ok(), "{:?}", parse_sheet(&two_dies).err());
}

#[test]
fn u7b_a_ribbonfet_node_contradicts_a_planar_die() {
    let text = fixture("u7b-accel-ribbonfet-flags-planar.toml");
    assert_eq!(sheet_refusal(&text), [(Code::E0241, line_of(&text, "non_planar = false"), 14)]);
}

#[test]
fn u7b_planar_flags_beyond_any_planar_density_leave_note_1_open() {
    let text = fixture("u7b-accel-ribbonfet-flags-planar.toml");
    for node in ["process_node = \"TSMC (N4P)\"", "process_node = \"proprietary\"", ""] {
        let sheet = text.replace("process_node = \"Intel RibbonFET (18A)\"", node);
        let d = determine(parse_sheet(&sheet).unwrap(), "u7b-accel-ribbonfet-fab-de.toml");
        assert_eq!(d.verdict, Verdict::Indeterminate, "{node}: {:?}", d.missing);
        assert_eq!(requirement_ids(&d), ["3A090 License Requirements/Note 1"]);
        assert!(
            d.missing.iter().any(|m| m.starts_with("applicable_advanced_logic (every logic die is stated planar")),
            "{node}: {:?}",
            d.missing
        );
    }
    // The same die with its flags true: the presumption stands (no count to rebut it).
    let flagged = text
        .replace("process_node = \"Intel RibbonFET (18A)\"", "process_node = \"TSMC (N4P)\"")
        .replace("non_planar = false", "non_planar = true")
        .replace("at_or_below_16_14nm = false", "at_or_below_16_14nm = true");
    let d = determine(parse_sheet(&flagged).unwrap(), "u7b-accel-ribbonfet-fab-de.toml");
    assert_eq!(requirement_ids(&d), ["3A090 License Requirements/Note 1"]);
    assert_ne!(d.verdict, Verdict::NoLicenseRequired);
    // A planar part at a density planar dies reach (the pack's illustrative 28 nm accelerator,
    // TPP 800 on 3,200 mm²) keeps its flags: not an applicable advanced logic IC.
    let planar = parse_sheet(&common::read("rules/us-ear/tests/sheets/example-planar-28nm.toml")).unwrap();
    let d = determine(planar, "u7b-accel-ribbonfet-fab-de.toml");
    assert!(!d.missing.iter().any(|m| m.starts_with("applicable_advanced_logic")), "{:?}", d.missing);
}

/// U2: Note 1 to 3A090.a is rebutted by packaging only for an IC whose "aggregated approximated
/// transistor count" (15 CFR 772.1: over every die of the package) is below 30 billion (90 FR
/// 5298). The MI250X holds 58.2 billion on two GCDs (AMD CDNA 2 whitepaper); a sheet copied
/// from a die-level source (one GCD, 29.1 billion) rebutted it.
#[test]
fn u2_a_package_naming_two_gcds_beside_one_is_refused() {
    let text = fixture("u2-mi250x-one-gcd.toml");
    assert_eq!(sheet_refusal(&text), [(Code::E0227, line_of(&text, "count = 1"), 9)]);
}

#[test]
fn u2_a_count_not_stated_the_packages_aggregate_does_not_rebut_note_1() {
    // The one-GCD sheet with its package silent on the dies: the density passes (40.2 million
    // per mm² at N6), but nothing states 29.1 billion is the package's count.
    let text = fixture("u2-mi250x-one-gcd.toml").replace("\"OAM, 2 GCDs\"", "\"OAM\"");
    // Since pack 0.1.50 (law16) a packaging rebuttal is not read beside figures that meet
    // 3A090.a.1/.a.2 (the MI250X's TPP is over 4,800): the count is only the Note's proxy for
    // "not 3A090.a", so the presumption stands whether or not the count is stated to be the
    // package's. Before, this case was indeterminate on the count and, stated, cleared.
    let d = determine(parse_sheet(&text).unwrap(), "u2-mi250x-one-gcd-de.toml");
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), ["3A090 License Requirements/Note 1"]);
    let stated =
        text.replace("transistors = 29_100_000_000", "logic_dies_complete = true\ntransistors = 29_100_000_000");
    let d = determine(parse_sheet(&stated).unwrap(), "u2-mi250x-one-gcd-de.toml");
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    // The catalog's MI250X (58.2 billion): the presumption stands.
    let d =
        determine(parse_sheet(&common::read("rules/products/amd-mi250x.toml")).unwrap(), "u2-mi250x-one-gcd-de.toml");
    assert_eq!((d.verdict, requirement_ids(&d)), (Verdict::LicenseRequired, vec!["3A090 License Requirements/Note 1"]));
}

#[test]
fn u2b_the_mi308x_with_only_its_xcds_is_never_cleared() {
    let text = fixture("u2b-mi308x-xcds-only-slipped.toml");
    let d = determine(parse_sheet(&text).unwrap(), "u2b-mi308x-xcds-only-de.toml");
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.missing.iter().any(|m| m.starts_with("transistors (")), "{:?}", d.missing);
}

#[test]
fn the_catalog_parts_a_low_count_can_clear_state_their_count_is_the_packages() {
    // The A10 (one GA102, 28.3 billion: NVIDIA's GA102 whitepaper) rebuts Note 1 for a
    // fabricator packaged by an approved OSAT outside D:5 and Macau; it states its count is the
    // package's, so the answer stays decided.
    let a10 = parse_sheet(&common::read("rules/products/nvidia-a10.toml")).unwrap();
    assert!(a10.logic_dies_complete);
    let d = determine(a10.clone(), "u2-mi250x-one-gcd-de.toml");
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
    let mut unstated = a10;
    unstated.logic_dies_complete = false;
    assert_eq!(determine(unstated, "u2-mi250x-one-gcd-de.toml").verdict, Verdict::Indeterminate);
}
