//! Figures mistyped by a factor that takes a part out of 3A090 (tester round 6, branch
//! `tester6`, tester6/FINDINGS.md S4, S13, S14): rates written in PFLOPS (E0234), a die area
//! with its decimal point slipped (E0235 below the stated node's density, E0236 above the
//! reticle limit), a stand-alone memory's HBM flag or stack area against its bandwidth density
//! (E0237, E0238), and an SXM package written in full-width letters (the datacenter design
//! feature read as names are). Each is refused in a sheet, in a product built in code and by
//! `Catalog::prepare`, or (the package) read as the ASCII form is; never cleared.
//!
//! The verdicts expected are the regulation's: the H100 SXM5 (TPP 15,832: 3A090.a.1, TPP ≥
//! 4,800) and the L4 (TPP 1,940 ≥ 1,600 and performance density 6.59 ≥ 5.92: 3A090.a.2 only)
//! need a licence to China on 2024-06-01 (15 CFR 742.6(a)(6)(iii), 88 FR 73458; ref §3.2,
//! chips.csv; rules/us-ear/NOTES.md §3). An HBM stack above 2 GB/s per mm² is 3A090.c (89 FR
//! 96790). A datacenter 3A090.a item is not eligible for License Exception NAC (15 CFR
//! 740.8(a)), so a datacenter flag stated false beside an SXM module is read as unknown.

mod common;

use common::{edited_sheet, line_of, parse_sheet, read, root};
use export_controls::diagnostic::Code;
use export_controls::model::{Exporter, Product};
use export_controls::ruleset::SourceFile;
use export_controls::{
    Catalog, CompiledPack, Determination, FastQuery, Options, PreparedProduct, Query, RuleSet, Scratch, Verdict,
};
use rust_decimal::Decimal;

const H100: &str = "rules/products/nvidia-h100-sxm5-80gb.toml";
const L4: &str = "rules/products/nvidia-l4.toml";
const STACK: &str = "rules/us-ear/tests/sheets/example-hbm3e-stack.toml";

/// The H100's `[dense_tops]` divided by 1,000 (the PFLOPS DGX and HGX datasheets print), its
/// `tpp_reported` left out: tester6/cases/d2-h100-rates-in-pflops.toml.
const H100_IN_PFLOPS: &[(&str, &str)] = &[
    ("fp64 = 34\n", "fp64 = 0.034\n"),
    ("fp64_tensor = 67\n", "fp64_tensor = 0.067\n"),
    ("fp32 = 67\n", "fp32 = 0.067\n"),
    ("tf32 = 494.7\n", "tf32 = 0.4947\n"),
    ("bf16 = 989.4\n", "bf16 = 0.9894\n"),
    ("fp16 = 989.4\n", "fp16 = 0.9894\n"),
    ("fp8 = 1978.9\n", "fp8 = 1.9789\n"),
    ("int8 = 1978.9\n", "int8 = 1.9789\n"),
];

/// To `to` on `on`, by an exporter that is not a front-end fabricator or OSAT, checking that
/// `decide` gives the verdict `evaluate` gives.
fn determine(p: &PreparedProduct, to: &str, on: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(ordinary);
    let d = rules.evaluate(p, &q, Options::default()).unwrap();
    let pack = CompiledPack::new(rules);
    let parties = pack.prepare_parties(&q.parties);
    let fast = pack.decide(p, &FastQuery::of(&q, &parties), &mut Scratch::default()).unwrap();
    assert_eq!(fast.verdict, d.verdict, "decide and evaluate");
    d
}

fn codes(text: &str) -> Vec<Code> {
    parse_sheet(text).unwrap_err().iter().map(|d| d.code).collect()
}

/// A product built in code gets the refusal `code`, `Catalog::prepare` and `try_new` refuse
/// it, and prepared anyway it is `indeterminate` to China, never cleared.
fn refused_in_code_and_never_cleared(p: Product, code: Code, on: &str) {
    let d = p.validate().unwrap_err().0;
    assert!(d.iter().any(|d| d.code == code), "{d:?}");
    assert!(PreparedProduct::try_new(p.clone()).is_err());
    assert!(Catalog::shipped().unwrap().prepare(p.clone()).is_err());
    let det = determine(&PreparedProduct::new(p), "CN", on);
    assert_eq!(det.verdict, Verdict::Indeterminate, "{:?}", det.missing);
}

#[test]
fn the_h100_with_its_rates_in_pflops_is_refused_at_its_rates() {
    let text = edited_sheet(H100, "t6-h100-pflops", &[H100_IN_PFLOPS, &[("tpp_reported = 15832", "")]].concat());
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!((err[0].code, err[0].line, err[0].column), (Code::E0234, line_of(&text, "[dense_tops]"), 1));
    assert!(err[0].message.contains("0.198 per billion of its 80 billion transistors"), "{}", err[0].message);
    assert!(err[0].message.ends_with("rates written in PFLOPS? the rates are TOPS/TFLOPS"), "{}", err[0].message);
    // The H100 as shipped: TPP 15,832, 3A090.a.1, a licence to China.
    let shipped = determine(Catalog::shipped().unwrap().get("nvidia-h100-sxm5-80gb").unwrap(), "CN", "2024-06-01");
    assert_eq!(shipped.verdict, Verdict::LicenseRequired);
    assert_eq!(shipped.eccns, ["3A090.a"]);
}

#[test]
fn rates_in_pflops_beside_hbm_are_refused_without_a_transistor_count() {
    // 15.8 over 3,350 GB/s of HBM3 is 0.005 per GB/s; the catalog's HBM processors have at
    // least 0.59 (the H20: 2,368 over 4,000 GB/s).
    let edits = [H100_IN_PFLOPS, &[("tpp_reported = 15832", ""), ("transistors = 80_000_000_000", "")]].concat();
    let text = edited_sheet(H100, "t6-h100-pflops-no-count", &edits);
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(err.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0234]);
    assert!(err[0].message.contains("0.0047 per GB/s of its 3350 GB/s of HBM"), "{}", err[0].message);
}

#[test]
fn the_h100_in_pflops_built_in_code_is_refused_and_never_cleared() {
    let mut p = Catalog::shipped().unwrap().get("nvidia-h100-sxm5-80gb").unwrap().product().clone();
    p.id = "t6-h100-pflops".into();
    p.tpp_reported = None;
    for r in p.processing_units.iter_mut().flat_map(|u| u.rates.iter_mut()) {
        r.tops /= Decimal::from(1000);
    }
    refused_in_code_and_never_cleared(p, Code::E0234, "2024-06-01");
}

#[test]
fn rates_in_pflops_in_a_list_not_stated_complete_are_not_refused_but_never_cleared() {
    // The TPP is then only "at least 15.8": no TPP band is decided on it.
    let edits = [H100_IN_PFLOPS, &[("tpp_reported = 15832", ""), ("complete = true", "complete = false")]].concat();
    let p = parse_sheet(&edited_sheet(H100, "t6-h100-pflops-incomplete", &edits)).unwrap();
    let d = determine(&PreparedProduct::new(p), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == "dense_tops"), "{:?}", d.missing);
}

#[test]
fn the_l4_with_its_die_area_ten_times_too_large_is_refused_at_the_area() {
    let text = edited_sheet(L4, "t6-l4-area-x10", &[("area = 294.5", "area = 2945")]);
    let err = parse_sheet(&text).unwrap_err();
    let line = line_of(&text, "area = 2945");
    let got: Vec<_> = err.iter().map(|d| (d.code, d.line, d.column)).collect();
    assert_eq!(got, [(Code::E0235, line, 8), (Code::E0236, line, 8)], "{err:?}");
    assert!(err[0].message.contains("hold 12.2 million transistors per mm²"), "{}", err[0].message);
    assert!(err[1].message.contains("larger than one lithography exposure field"), "{}", err[1].message);
    // The L4 as shipped: TPP 1,940 and performance density 6.59 (≥ 1,600 and ≥ 5.92): 3A090.a.2.
    let l4 = Catalog::shipped().unwrap();
    let l4 = l4.get("nvidia-l4").unwrap();
    assert_eq!(l4.metrics().tpp, Some(Decimal::from(1940)));
    let shipped = determine(l4, "CN", "2024-06-01");
    assert_eq!(shipped.verdict, Verdict::LicenseRequired);
    assert_eq!(shipped.eccns, ["3A090.a"]);
    assert_eq!(shipped.metrics.performance_density.as_deref(), Some("6.5874"));
}

#[test]
fn a_slipped_area_is_refused_by_the_nodes_density_alone_below_the_reticle_limit() {
    // A 4 nm-class die of 800 mm² (within one exposure field) with 20 billion transistors, 25
    // million per mm², is refused by E0235 alone; the L4's area written 794.5 (45 million per
    // mm², within the field) by neither.
    let text =
        edited_sheet(L4, "t6-l4-sparse", &[("area = 294.5", "area = 800"), ("35_800_000_000", "20_000_000_000")]);
    assert_eq!(codes(&text), [Code::E0235]);
    assert!(parse_sheet(&edited_sheet(L4, "t6-l4-794", &[("area = 294.5", "area = 794.5")])).is_ok());
}

#[test]
fn the_area_check_reads_only_nodes_of_the_5nm_class_and_spares_wafer_scale_parts() {
    // Two nodes named (N5 beside N6) or a 7 nm-class node: the density is not compared.
    for node in ["TSMC N5 + N6", "TSMC 7nm", "SMIC N+2 (7nm-class)"] {
        let text =
            edited_sheet(L4, "t6-l4-node", &[("area = 294.5", "area = 800"), ("\"TSMC 4N\"", &format!("\"{node}\""))]);
        let text = text.replace("35_800_000_000", "20_000_000_000");
        assert!(parse_sheet(&text).is_ok(), "{node}: {:?}", parse_sheet(&text).err());
    }
    // A die above 858 mm² is taken as stated where the die is stated wafer-scale (Cerebras's
    // WSE-2: 46,225 mm², 2.6 trillion transistors, TSMC N7).
    let wafer = edited_sheet(
        L4,
        "t6-wafer-scale",
        &[
            ("area = 294.5", "area = 46225"),
            ("\"TSMC 4N\"", "\"TSMC 7nm\""),
            ("non_planar = true", "non_planar = true\nwafer_scale = true"),
            ("35_800_000_000", "2_600_000_000_000"),
            ("fp8 = 242.5", "fp8 = 62500"),
        ],
    );
    assert!(parse_sheet(&wafer).is_ok(), "{:?}", parse_sheet(&wafer).err());
    assert_eq!(codes(&wafer.replace("wafer_scale = true", "")), [Code::E0236]);
    // Changed (tester round 9, U5): a word of the package no longer exempts the die.
    let worded =
        wafer.replace("wafer_scale = true", "").replace("\"PCIe card (low profile)\"", "\"wafer-scale engine\"");
    assert_eq!(codes(&worded), [Code::E0236]);
}

#[test]
fn the_l4_with_a_slipped_area_built_in_code_is_refused_and_never_cleared() {
    let mut p = Catalog::shipped().unwrap().get("nvidia-l4").unwrap().product().clone();
    p.id = "t6-l4-area-x10".into();
    p.logic_dies[0].area_mm2 = Some(Decimal::from(2945));
    let d = p.validate().unwrap_err().0;
    let fields: Vec<_> = d.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert_eq!(
        fields,
        [
            (Code::E0236, "product `t6-l4-area-x10`, logic die 1, area"),
            (Code::E0235, "product `t6-l4-area-x10`, logic die, area")
        ]
    );
    refused_in_code_and_never_cleared(p, Code::E0235, "2024-06-01");
}

#[test]
fn a_stacked_dram_above_2_gbps_per_mm2_with_hbm_false_is_refused() {
    // tester6/cases/m6: the HBM3E stack (1,200 GB/s over 121 mm², 9.9 GB/s per mm²).
    let text = edited_sheet(
        STACK,
        "t6-stacked-dram",
        &[("kind = \"HBM3E\"", "kind = \"Stacked DRAM (12-high, TSV)\""), ("hbm = true", "hbm = false")],
    );
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(
        err.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(),
        [(Code::E0237, line_of(&text, "hbm = false"))]
    );
    assert!(err[0].message.contains("9.917 GB/s per mm²"), "{}", err[0].message);
    // A memory at or under 2 GB/s per mm² may be other DRAM: `hbm = false` stands, unless its
    // own name says HBM (E0526, tester round 12, T17; tests/tester_round12.rs).
    let gddr = text.replace("bandwidth = 1200", "bandwidth = 242");
    let err = parse_sheet(&gddr).unwrap_err();
    assert_eq!(err.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0526]);
    let gddr = gddr.replace("Example HBM3E 12-high stack", "Example 12-high DRAM stack");
    assert!(parse_sheet(&gddr).is_ok(), "{:?}", parse_sheet(&gddr).err());
    let mut p = parse_sheet(&edited_sheet(STACK, "t6-stack-code", &[])).unwrap();
    let m = p.memory.as_mut().unwrap();
    (m.kind, m.hbm) = (Some("Stacked DRAM".into()), Some(false));
    refused_in_code_and_never_cleared(p, Code::E0237, "2025-06-01");
}

#[test]
fn an_hbm_stack_area_in_square_micrometres_or_slipped_is_refused() {
    // 121 mm² as µm² (121,000,000) or with its decimal point slipped (1,210): 0 and 0.99 GB/s
    // per mm², which would take the stack out of 3A090.c.
    for area in ["121000000", "1210"] {
        let text = edited_sheet(STACK, "t6-stack-area", &[("stack_area = 121", &format!("stack_area = {area}"))]);
        let err = parse_sheet(&text).unwrap_err();
        assert_eq!(
            err.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(),
            [(Code::E0238, line_of(&text, "stack_area"))]
        );
    }
    // The stack as written: 3A090.c, a licence to China (rules/us-ear/tests/hbm.toml).
    let stack = PreparedProduct::new(parse_sheet(&read(STACK)).unwrap());
    assert_eq!(determine(&stack, "CN", "2025-06-01").verdict, Verdict::LicenseRequired);
}

#[test]
fn a_full_width_sxm_package_is_a_datacenter_feature_as_the_ascii_one_is() {
    // tester6/cases/m7 (the H100 marked not datacenter, its interconnect below the NVLink
    // class), with its memory written GDDR6 so that the package alone shows the datacenter
    // design. The interconnect is 400 GB/s, not m7's host link alone (128): an SXM module
    // below 160 GB/s is refused since tester round 7 (E0225, tests/module_interconnect.rs).
    let edits = |pkg: &str| {
        edited_sheet(
            "rules/us-ear/tests/sheets/example-h100-sxm-flag-not-dc.toml",
            "t6-h100-sxm-not-dc",
            &[
                ("package = \"SXM5 module\"", &format!("package = \"{pkg}\"")),
                ("kind = \"HBM3\"", "kind = \"GDDR6\""),
                ("hbm = true", "hbm = false"),
                ("interconnect_bandwidth = 1028", "interconnect_bandwidth = 400"),
            ],
        )
    };
    let verdict = |pkg: &str| {
        let d = determine(&PreparedProduct::new(parse_sheet(&edits(pkg)).unwrap()), "CN", "2025-06-01");
        assert!(d.warnings.iter().any(|w| w.contains("SXM module package")), "{pkg}: {:?}", d.warnings);
        (d.verdict, d.missing)
    };
    let ascii = verdict("SXM5 module");
    assert_ne!(ascii.0, Verdict::LicenseException, "a datacenter 3A090.a item is not NAC-eligible (740.8(a))");
    for pkg in ["ＳＸＭ5 module", "S.X.M.5 module", "sxm5 module"] {
        assert_eq!(verdict(pkg), ascii, "{pkg}");
    }
}

#[test]
fn every_catalog_product_and_pack_test_sheet_passes_the_new_checks() {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("rules")).unwrap() {
        let sheets = dir.unwrap().path().join("tests/sheets");
        for e in std::fs::read_dir(&sheets).into_iter().flatten() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(SourceFile::new(p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let all = Catalog::shipped().unwrap().with_sheets(&files).unwrap();
    for p in all.iter() {
        assert!(p.is_valid(), "{}: {:?}", p.product().id, p.problems());
    }
    assert!(all.len() >= 52 + files.len() && files.len() >= 41, "{} {}", all.len(), files.len());
}

const H20: &str = "rules/products/nvidia-h20.toml";

/// The H20's 4,000 GB/s of HBM3 written `400` (a tenth: TB/s read as 0.4, or a slipped
/// decimal point) is at least one stack's bandwidth (E0232 passes it) but 4.17 GB/s per GB of
/// its 96 GB, which no HBM generation gives (E0239): refused at the bandwidth. As shipped the
/// H20 needs a licence to China from the letter of 2025-04-09 (NVIDIA Form 8-K 2025-04-15;
/// rules/us-ear/NOTES.md §11), which `400` would escape.
#[test]
fn the_h20_with_its_hbm_bandwidth_slipped_tenfold_is_refused_at_the_bandwidth() {
    let text = edited_sheet(H20, "h20-bandwidth-400", &[("bandwidth = 4000 ", "bandwidth = 400 ")]);
    let err = parse_sheet(&text).unwrap_err();
    // Also below one HBM3 stack (E0242: JESD238, 1,024 bits at 4 Gb/s per pin = 512 GB/s).
    let at = (line_of(&text, "bandwidth = 400 "), 13);
    let found: Vec<_> = err.iter().map(|d| (d.code, (d.line, d.column))).collect();
    assert_eq!(found, [(Code::E0239, at), (Code::E0242, at)], "{err:?}");
    assert!(err[0].message.contains("4.17 GB/s per GB of its 96 GB"), "{}", err[0].message);
    let shipped = determine(Catalog::shipped().unwrap().get("nvidia-h20").unwrap(), "CN", "2025-06-01");
    assert_eq!(shipped.verdict, Verdict::LicenseRequired);
    assert!(shipped.requirements.iter().any(|r| r.id == "is-informed/H20"), "{:?}", shipped.requirements);
}

/// The capacity in MB (96 GB as 98,304) is 0.04 GB/s per GB: refused as E0239 at the bandwidth.
#[test]
fn an_hbm_capacity_in_megabytes_is_refused() {
    let text = edited_sheet(H20, "h20-capacity-mb", &[("capacity = 96 ", "capacity = 98304 ")]);
    assert_eq!(codes(&text), [Code::E0239]);
}

/// Built in code, the H20 with 400 GB/s of HBM is refused by `validate`, `try_new` and
/// `Catalog::prepare`, and prepared anyway it is never cleared to China.
#[test]
fn the_h20_with_a_slipped_bandwidth_built_in_code_is_refused_and_never_cleared() {
    let mut p = Catalog::shipped().unwrap().get("nvidia-h20").unwrap().product().clone();
    p.id = "h20-bandwidth-400-code".into();
    p.memory.as_mut().unwrap().bandwidth_gbps = Some(Decimal::from(400));
    refused_in_code_and_never_cleared(p, Code::E0239, "2025-06-01");
}

/// Every HBM part of the catalog is above the floor: the least, the A100 PCIe 80GB, has
/// 1,935 GB/s for 80 GB (24.2 per GB; NVIDIA A100 datasheet), three times the floor.
#[test]
fn every_catalog_hbm_part_is_above_the_per_gb_floor() {
    let catalog = Catalog::shipped().unwrap();
    let a100 = catalog.get("nvidia-a100-pcie-80gb").unwrap().product().memory.clone().unwrap();
    assert_eq!((a100.bandwidth_gbps, a100.capacity_gb), (Some(Decimal::from(1935)), Some(Decimal::from(80))));
    for p in catalog.iter() {
        assert!(p.product().validate().is_ok(), "{}", p.product().id);
    }
}
