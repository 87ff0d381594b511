//! Figures and flags mistyped so that a part escaped its ECCN or licence (tester round 7,
//! branch `tester7`, tester7/FINDINGS.md T2, T3, T5, T8): each sheet is refused at the figure or
//! flag most likely mistyped, a product built in code alike, and the shipped sheet it was made
//! from still decides as the regulation says.
//!
//! - T5: an HBM stack of 1,280 GB/s (Samsung HBM3E 12H) or 2,048 GB/s (JEDEC HBM4, JESD270-4)
//!   with its 121 mm² area written `1210`: 1.06 and 1.69 GB/s per mm², not above 3A090.c's 2,
//!   which BIS stated every HBM stack in production exceeds (89 FR 96790; NOTES.md §3): E0238.
//! - T8: the H20 (TSMC 4N) with `at_or_below_16_14nm = false` or `non_planar = false` and no
//!   transistor count: not an "applicable advanced logic IC" (15 CFR 772.1), so Note 1 to
//!   3A090.a (90 FR 5298) was never raised for a front-end fabricator exporting to Germany:
//!   E0240, E0241.
//! - T2: the L40S (TPP 5,864: 3A090.a.1; 742.6(a)(6)(iii) from 2023-11-17, 88 FR 73458) with
//!   its rates in PFLOPS and no transistor count, GDDR6 at 864 GB/s: E0234 against the memory.
//! - T3: the H20's 4,000 GB/s of HBM3 written 400 with no capacity: under one HBM3 stack
//!   (JESD238: 819 GB/s at 6.4 Gb/s; 512 at 4 Gb/s, below every shipped HBM3): E0242.

mod common;

use common::{edited_sheet, line_of, parse_sheet, read, sheet_refusal};
use export_controls::diagnostic::Code;
use export_controls::model::{Exporter, Product};
use export_controls::{Catalog, Determination, Options, PreparedProduct, Query, RuleSet, Verdict};
use rust_decimal::Decimal;

fn determine(p: &PreparedProduct, to: &str, on: &str, fabricator: bool) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let exporter = Exporter { front_end_fabricator_or_osat: Some(fabricator), ..Exporter::default() };
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(exporter);
    rules.evaluate(p, &q, Options::default()).unwrap()
}

/// Built in code, the product is refused with `code` and, prepared anyway, never cleared.
fn refused_in_code(p: Product, code: Code, to: &str, on: &str) {
    let d = p.validate().unwrap_err().0;
    assert!(d.iter().any(|d| d.code == code), "{d:?}");
    assert!(Catalog::shipped().unwrap().prepare(p.clone()).is_err());
    let det = determine(&PreparedProduct::new(p), to, on, true);
    assert_eq!(det.verdict, Verdict::Indeterminate, "{:?}", det.missing);
}

const STACK: &str = "rules/us-ear/tests/sheets/example-hbm3e-stack.toml";
const H20: &str = "rules/products/nvidia-h20.toml";
const L40S: &str = "rules/products/nvidia-l40s.toml";

#[test]
fn t5_a_slipped_stack_area_of_a_fast_hbm_stack_is_refused() {
    // HBM3E 12H (1,280 GB/s) and HBM4 (2,048 GB/s, 48 GB) over 1,210 mm²: 1.058 and 1.693.
    for (bw, cap, shown) in [("1280", "36", "1.058"), ("2048", "48", "1.693")] {
        let edits = [
            ("bandwidth = 1200", &*format!("bandwidth = {bw}")),
            ("capacity = 36", &*format!("capacity = {cap}")),
            ("stack_area = 121", "stack_area = 1210"),
        ];
        let text = edited_sheet(STACK, "t7-stack", &edits);
        let err = parse_sheet(&text).unwrap_err();
        assert_eq!(sheet_refusal(&text), [(Code::E0238, line_of(&text, "stack_area"), 14)]);
        assert!(err[0].message.contains(&format!("is {shown} GB/s per mm², below 2")), "{}", err[0].message);
    }
    // Just under 2 GB/s per mm² (241.9 over 121, 1.999) is refused; exactly 2 is 3A090.c's
    // boundary ("more than 2"), taken as stated (the rule tests' example-boundary-mbd-2).
    let under = edited_sheet(
        STACK,
        "t7-stack-2",
        &[("bandwidth = 1200", "bandwidth = 241.9"), ("capacity = 36", "capacity = 8")],
    );
    assert_eq!(sheet_refusal(&under).first().map(|e| e.0), Some(Code::E0238));
    let two = edited_sheet(
        STACK,
        "t7-stack-2",
        &[("bandwidth = 1200", "bandwidth = 242"), ("capacity = 36", "capacity = 8")],
    );
    assert!(parse_sheet(&two).is_ok(), "{:?}", parse_sheet(&two).err());
    // The stack as written (9.9 GB/s per mm²): 3A090.c, a licence to China (89 FR 96790).
    let stack = PreparedProduct::new(parse_sheet(&read(STACK)).unwrap());
    let d = determine(&stack, "CN", "2025-06-01", false);
    assert_eq!((d.verdict, d.eccns.as_slice()), (Verdict::LicenseRequired, &["3A090.c".to_string()][..]));
    // Built in code.
    let mut p = parse_sheet(&read(STACK)).unwrap();
    p.id = "t7-stack-code".into();
    let m = p.memory.as_mut().unwrap();
    (m.bandwidth_gbps, m.stack_area_mm2) = (Some(Decimal::from(2048)), Some(Decimal::from(1210)));
    refused_in_code(p, Code::E0238, "CN", "2025-06-01");
}

#[test]
fn t8_die_flags_that_the_process_node_contradicts_are_refused() {
    let h20 = read(H20);
    let no_count = (h20.lines().find(|l| l.starts_with("transistors = ")).unwrap(), "");
    let legacy = edited_sheet(
        H20,
        "t7-h20-planar",
        &[no_count, ("non_planar = true", "non_planar = false\nat_or_below_16_14nm = false")],
    );
    assert_eq!(sheet_refusal(&legacy), [(Code::E0240, line_of(&legacy, "at_or_below_16_14nm"), 23)]);
    let planar = edited_sheet(H20, "t7-h20-planar-only", &[no_count, ("non_planar = true", "non_planar = false")]);
    assert_eq!(sheet_refusal(&planar), [(Code::E0241, line_of(&planar, "non_planar"), 14)]);
    let msg = &parse_sheet(&planar).unwrap_err()[0].message;
    assert!(msg.contains("`TSMC 4N` is of the 5 nm class or below"), "{msg}");
    // A planar die above the 16/14 nm node at 28 nm is taken as stated.
    let old = edited_sheet(
        H20,
        "t7-h20-28nm",
        &[
            no_count,
            ("non_planar = true", "non_planar = false\nat_or_below_16_14nm = false"),
            ("\"TSMC 4N\"", "\"TSMC 28HPM\""),
        ],
    );
    assert!(parse_sheet(&old).is_ok(), "{:?}", parse_sheet(&old).err());
    // The H20 as shipped, exported by a front-end fabricator to Germany: Note 1 to 3A090.a
    // (90 FR 5298), a licence worldwide.
    let shipped = Catalog::shipped().unwrap();
    let d = determine(shipped.get("nvidia-h20").unwrap(), "DE", "2025-06-01", true);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.requirements.iter().any(|r| r.id == "3A090 License Requirements/Note 1"), "{:?}", d.requirements);
    // Built in code.
    let mut p = shipped.get("nvidia-h20").unwrap().product().clone();
    p.id = "t7-h20-code".into();
    p.transistors = None;
    (p.logic_dies[0].non_planar, p.logic_dies[0].at_or_below_16_14nm) = (Some(false), Some(false));
    refused_in_code(p, Code::E0240, "DE", "2025-06-01");
}

/// The L40S's `[dense_tops]` divided by 1,000 (the PFLOPS figures), its transistor count left out.
const L40S_IN_PFLOPS: &[(&str, &str)] = &[
    ("fp32 = 91.6", "fp32 = 0.0916"),
    ("tf32 = 183", "tf32 = 0.183"),
    ("bf16 = 362", "bf16 = 0.362"),
    ("fp16 = 362", "fp16 = 0.362"),
    ("fp8 = 733", "fp8 = 0.733"),
    ("int8 = 733", "int8 = 0.733"),
    ("int4 = 733", "int4 = 0.733"),
];

#[test]
fn t2_rates_in_pflops_beside_gddr_are_refused_without_a_transistor_count() {
    let l40s = read(L40S);
    let count_line = l40s.lines().find(|l| l.starts_with("transistors = ")).unwrap();
    let edits = [L40S_IN_PFLOPS, &[(count_line, "")]].concat();
    let text = edited_sheet(L40S, "t7-l40s-pflops", &edits);
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(sheet_refusal(&text), [(Code::E0234, line_of(&text, "[dense_tops]"), 1)]);
    // 5.864 over 864 GB/s of GDDR6.
    assert!(err[0].message.contains("0.0068 per GB/s of its 864 GB/s of memory"), "{}", err[0].message);
    // Without the memory bandwidth either, the die area decides: the L40 (TPP 2,896 on 608.5
    // mm² of TSMC 4N, performance density 4.76; 3A090.b's least parameter is 1.6) in PFLOPS has
    // 0.0048, under the floor of 0.005 (the L40S's 0.0096 is not: its memory decides above).
    let l40 = read("rules/products/nvidia-l40.toml");
    let mut l40_edits: Vec<(String, String)> = Vec::new();
    for line in l40.lines().skip_while(|l| !l.starts_with("[dense_tops]")).skip(1).take_while(|l| !l.starts_with('[')) {
        let Some((key, rest)) = line.split_once(" = ") else { continue };
        let value: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        if let Ok(v) = value.parse::<Decimal>() {
            l40_edits.push((format!("{key} = {value}"), format!("{key} = {}", (v / Decimal::from(1000)).normalize())));
        }
    }
    let count_line = l40.lines().find(|l| l.starts_with("transistors = ")).unwrap().to_string();
    l40_edits.push((count_line, String::new()));
    let bw_line = l40.lines().find(|l| l.starts_with("bandwidth = ")).unwrap().to_string();
    l40_edits.push((bw_line, String::new()));
    let edits: Vec<(&str, &str)> = l40_edits.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let text = edited_sheet("rules/products/nvidia-l40.toml", "t7-l40-pflops", &edits);
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(err.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0234]);
    assert!(err[0].message.contains("a performance density of 0.0048 on its 608.5 mm²"), "{}", err[0].message);
    // The L40S as shipped: TPP 5,864, 3A090.a, a licence to China from 2023-11-17.
    let shipped = Catalog::shipped().unwrap();
    let d = determine(shipped.get("nvidia-l40s").unwrap(), "CN", "2024-06-01", false);
    assert_eq!(d.metrics.tpp.as_deref(), Some("5864"));
    assert_eq!((d.verdict, d.eccns.as_slice()), (Verdict::LicenseRequired, &["3A090.a".to_string()][..]));
    // Built in code.
    let mut p = shipped.get("nvidia-l40s").unwrap().product().clone();
    p.id = "t7-l40s-code".into();
    p.transistors = None;
    for r in p.processing_units.iter_mut().flat_map(|u| u.rates.iter_mut()) {
        r.tops /= Decimal::from(1000);
    }
    refused_in_code(p, Code::E0234, "CN", "2024-06-01");
}

#[test]
fn t3_an_hbm3_bandwidth_under_one_stack_is_refused_without_the_capacity() {
    let text = edited_sheet(H20, "t7-h20-400", &[("bandwidth = 4000", "bandwidth = 400"), ("capacity = 96", "")]);
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(sheet_refusal(&text), [(Code::E0242, line_of(&text, "bandwidth = 400"), 13)]);
    assert!(err[0].message.contains("400 GB/s is below one HBM3 stack (512 GB/s"), "{}", err[0].message);
    // One HBM3 stack at the spec's 6.4 Gb/s (819 GB/s, JESD238) is taken as stated.
    assert!(
        parse_sheet(&edited_sheet(
            H20,
            "t7-h20-819",
            &[("bandwidth = 4000", "bandwidth = 819"), ("capacity = 96", "")]
        ))
        .is_ok()
    );
    // The H20 as shipped: the 2025-04-09 "is informed" letter, a licence to China.
    let shipped = Catalog::shipped().unwrap();
    let d = determine(shipped.get("nvidia-h20").unwrap(), "CN", "2025-06-01", false);
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    // Built in code.
    let mut p = shipped.get("nvidia-h20").unwrap().product().clone();
    p.id = "t7-h20-code".into();
    let m = p.memory.as_mut().unwrap();
    (m.bandwidth_gbps, m.capacity_gb) = (Some(Decimal::from(400)), None);
    refused_in_code(p, Code::E0242, "CN", "2025-06-01");
}

#[test]
fn every_catalog_and_test_sheet_still_loads() {
    assert!(Catalog::shipped().is_ok());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear/tests/sheets");
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(parse_sheet(&text).is_ok(), "{}: {:?}", path.display(), parse_sheet(&text).err());
    }
}
