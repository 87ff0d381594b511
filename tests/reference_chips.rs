//! The shipped catalog against the reference: TPP, performance density and the 2022 and 2023
//! classification of every chip in the data set the product sheets were compiled from (rules/products/NOTES.md; table transcribed below).

use std::str::FromStr;

use export_controls::{Catalog, Date, Options, RuleSet};
use rust_decimal::Decimal;

/// (id, decisive rate (precision, dense TOPS, bits): the highest TOPS × bits of the sheet, the compiled "TPP (ours)",
/// the compiled logic area mm², PD (2 dp), "2022 rule" and "2023 rule").
type Row = (
    &'static str,
    Option<(&'static str, &'static str, u32)>,
    Option<i64>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
);

const TABLE: &[Row] = &[
    ("nvidia-a100-sxm4-40gb", Some(("int8", "624", 8)), Some(4992), Some("826"), Some("6.04"), "**3A090**", "**a.1**"),
    ("nvidia-a100-sxm4-80gb", Some(("int8", "624", 8)), Some(4992), Some("826"), Some("6.04"), "**3A090**", "**a.1**"),
    ("nvidia-a100-pcie-40gb", Some(("int8", "624", 8)), Some(4992), Some("826"), Some("6.04"), "**3A090**", "**a.1**"),
    ("nvidia-a100-pcie-80gb", Some(("int8", "624", 8)), Some(4992), Some("826"), Some("6.04"), "**3A090**", "**a.1**"),
    (
        "nvidia-a800-sxm4-80gb",
        Some(("int8", "624", 8)),
        Some(4992),
        Some("826"),
        Some("6.04"),
        "no (I/O<600)",
        "**a.1**",
    ),
    (
        "nvidia-a800-pcie-80gb",
        Some(("int8", "624", 8)),
        Some(4992),
        Some("826"),
        Some("6.04"),
        "no (I/O<600)",
        "**a.1**",
    ),
    ("nvidia-a10", Some(("int8", "250", 8)), Some(2000), Some("628"), Some("3.18"), "no", "no"),
    ("nvidia-l4", Some(("int8", "242.5", 8)), Some(1940), Some("294.5"), Some("6.59"), "no", "**a.2**"),
    ("nvidia-l2", Some(("tf32", "48.3", 32)), Some(1546), Some("294.5"), Some("5.25"), "no", "no"),
    ("nvidia-l20", Some(("tf32", "59.8", 32)), Some(1914), Some("608.5"), Some("3.14"), "no", "no"),
    ("nvidia-l40s", Some(("int8", "733", 8)), Some(5864), Some("608.5"), Some("9.64"), "no (I/O<600)", "**a.1**"),
    (
        "nvidia-h100-sxm5-80gb",
        Some(("int8", "1978.9", 8)),
        Some(15831),
        Some("814"),
        Some("19.45"),
        "**3A090**",
        "**a.1**",
    ),
    (
        "nvidia-h100-pcie-80gb",
        Some(("int8", "1513", 8)),
        Some(12104),
        Some("814"),
        Some("14.87"),
        "**3A090**",
        "**a.1**",
    ),
    (
        "nvidia-h800-sxm5-80gb",
        Some(("int8", "1978.9", 8)),
        Some(15831),
        Some("814"),
        Some("19.45"),
        "no (I/O<600)",
        "**a.1**",
    ),
    ("nvidia-h20", Some(("int8", "296", 8)), Some(2368), Some("814"), Some("2.91"), "no", "no"),
    (
        "nvidia-h200-sxm-141gb",
        Some(("int8", "1978.9", 8)),
        Some(15831),
        Some("814"),
        Some("19.45"),
        "**3A090**",
        "**a.1**",
    ),
    ("nvidia-b100", Some(("int8", "3500", 8)), Some(28000), Some("1600"), Some("17.50"), "**3A090**", "**a.1**"),
    ("nvidia-b200", Some(("int8", "4500", 8)), Some(36000), Some("1600"), Some("22.50"), "**3A090**", "**a.1**"),
    (
        "nvidia-gb200-superchip",
        Some(("int8", "10000", 8)),
        Some(80000),
        Some("3200"),
        Some("25.00"),
        "**3A090**",
        "**a.1**",
    ),
    (
        "nvidia-b30a",
        Some(("fp4", "7500", 4)),
        Some(30000),
        Some("800"),
        Some("37.50"),
        "TPP≥4800, I/O unknown",
        "**a.1**",
    ),
    ("nvidia-rtx-4090", Some(("int8", "660.6", 8)), Some(5285), Some("608.5"), Some("8.68"), "no (I/O<600)", "**a.1**"),
    ("nvidia-rtx-4090d", Some(("int8", "588.4", 8)), Some(4707), Some("608.5"), Some("7.74"), "no", "no (non-DC)"),
    ("nvidia-rtx-4080", Some(("int8", "389.9", 8)), Some(3119), Some("378.6"), Some("8.24"), "no", "no (non-DC)"),
    ("nvidia-rtx-5090", Some(("fp8", "838", 8)), Some(6704), Some("750"), Some("8.94"), "no (I/O<600)", "**a.1**"),
    ("nvidia-rtx-5090d", Some(("fp4", "1187.5", 4)), Some(4750), Some("750"), Some("6.33"), "no", "no (non-DC)"),
    ("amd-mi250x", Some(("fp16", "383", 16)), Some(6128), Some("1448"), Some("4.23"), "**3A090**", "**a.1**"),
    ("amd-mi300x", Some(("int8", "2614.9", 8)), Some(20919), Some("2240"), Some("9.34"), "**3A090**", "**a.1**"),
    ("amd-mi308x", None, None, None, None, "unknown", "unknown"),
    ("amd-mi355x", Some(("fp6", "10066.3", 6)), Some(60398), Some("880"), Some("68.63"), "**3A090**", "**a.1**"),
    ("intel-gaudi2-hl225h", Some(("fp8", "865", 8)), Some(6920), Some("826"), Some("8.38"), "**3A090**", "**a.1**"),
    ("intel-gaudi3-hl325l", Some(("bf16", "1835", 16)), Some(29360), None, None, "**3A090**", "**a.1**"),
    ("intel-gaudi3-hl328", None, None, None, None, "unknown", "unknown"),
    ("google-tpu-v5p", Some(("int8", "918", 8)), Some(7344), None, None, "**3A090**", "**a.1**"),
    (
        "huawei-ascend-910b",
        Some(("fp16", "376", 16)),
        Some(6016),
        Some("665.61"),
        Some("9.04"),
        "no (I/O<600)",
        "**a.1**",
    ),
    (
        "huawei-ascend-910c",
        Some(("fp16", "752", 16)),
        Some(12032),
        Some("1331.2"),
        Some("9.04"),
        "TPP≥4800, I/O unknown",
        "**a.1**",
    ),
    ("cambricon-mlu370-x8", Some(("int8", "256", 8)), Some(2048), None, None, "no", "indeterminate (no area)"),
    ("cambricon-mlu290-m5", Some(("int8", "512", 8)), Some(4096), None, None, "no", "indeterminate (no area)"),
    ("apple-m3-max", Some(("fp32", "14.2", 32)), Some(454), None, None, "no", "no (non-DC)"),
];

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn the_catalog_holds_every_reference_chip() {
    let catalog = Catalog::shipped().unwrap();
    // The 38 chips of the compiled data set, the L40 and RTX 6000 Ada, and 12 systems made of them.
    assert_eq!(catalog.len(), 52);
    for (id, ..) in TABLE {
        assert!(catalog.get(id).is_some(), "{id} missing from rules/products");
    }
}

#[test]
fn tpp_is_the_decisive_rate_times_its_bit_length() {
    let catalog = Catalog::shipped().unwrap();
    for (id, decisive, table_tpp, ..) in TABLE {
        let m = &catalog.get(id).unwrap().metrics();
        match decisive {
            None => assert_eq!(m.tpp, None, "{id}: no rates published, TPP must be unknown"),
            Some((_, rate, bits)) => {
                let expected = d(rate) * Decimal::from(*bits);
                assert_eq!(m.tpp, Some(expected), "{id}");
                let rounded = Decimal::from(table_tpp.unwrap());
                assert!((expected - rounded).abs() <= Decimal::ONE, "{id}: the data set rounds to {rounded}");
            }
        }
    }
}

#[test]
fn named_reference_figures() {
    let catalog = Catalog::shipped().unwrap();
    let h100 = &catalog.get("nvidia-h100-sxm5-80gb").unwrap().metrics();
    assert_eq!(h100.tpp, Some(d("15831.2")));
    let h20 = &catalog.get("nvidia-h20").unwrap().metrics();
    assert_eq!(h20.tpp, Some(d("2368")));
    let pd = h20.performance_density.unwrap();
    assert_eq!((pd.num, pd.den), (d("2368"), d("814")));
}

#[test]
fn performance_density_matches_chips_md() {
    let catalog = Catalog::shipped().unwrap();
    for (id, _, _, area, pd, ..) in TABLE {
        let m = &catalog.get(id).unwrap().metrics();
        assert_eq!(m.applicable_die_area, area.map(d), "{id}: applicable die area");
        match pd {
            None => assert_eq!(m.performance_density, None, "{id}"),
            Some(pd) => assert_eq!(m.performance_density.unwrap().rounded(2), d(pd), "{id}"),
        }
    }
}

#[test]
fn tpp_reported_agrees_within_one_percent_except_flagged_sheets() {
    // rules/products/NOTES.md §6 flags these reported TPPs as resting on other inputs: MI355X (FLAG 6),
    // Gaudi 3 (FLAG 7), GB200 per-GPU figure (FLAG 9), Ascend 910C (FLAG 11), Gaudi 2 (FLAG 12).
    let flagged =
        ["amd-mi355x", "intel-gaudi3-hl325l", "nvidia-gb200-superchip", "huawei-ascend-910c", "intel-gaudi2-hl225h"];
    let catalog = Catalog::shipped().unwrap();
    for p in catalog.iter() {
        let (Some(tpp), Some(reported)) = (p.metrics().tpp, p.product().tpp_reported) else { continue };
        let off = ((tpp - reported) / reported).abs();
        if flagged.contains(&p.product().id.as_str()) {
            assert!(off > d("0.01"), "{}: flagged but agrees; update the flag list", p.product().id);
        } else {
            assert!(off <= d("0.01"), "{}: computed {tpp} vs reported {reported}", p.product().id);
        }
    }
}

fn classify(rules: &RuleSet, catalog: &Catalog, id: &str, on: &str) -> export_controls::evaluate::ClassificationResult {
    let date: Date = on.parse().unwrap();
    rules.classify(catalog.get(id).unwrap(), date, Options::default()).unwrap()
}

#[test]
fn classification_under_the_2022_rule_matches_chips_md() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    for (id, .., r22, _) in TABLE {
        let c = classify(&rules, &catalog, id, "2023-06-01");
        let computer = *id == "nvidia-gb200-superchip";
        match *r22 {
            "**3A090**" => {
                let eccn = if computer { "4A090.a" } else { "3A090.a" };
                assert_eq!(c.eccns, [eccn], "{id}");
            }
            s if s.starts_with("no") => {
                assert!(c.eccns.is_empty() && c.undetermined_paragraphs.is_empty(), "{id}: {c:?}")
            }
            // "unknown" and "TPP≥4800, I/O unknown": a deciding figure is absent.
            _ => {
                assert!(c.eccns.is_empty(), "{id}");
                assert_eq!(c.undetermined_paragraphs, ["3A090.a"], "{id}");
                assert!(!c.missing.is_empty(), "{id}");
            }
        }
    }
}

#[test]
fn classification_under_the_2023_rule_matches_chips_md() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    for (id, .., r23) in TABLE {
        let c = classify(&rules, &catalog, id, "2024-06-01");
        let computer = *id == "nvidia-gb200-superchip";
        match *r23 {
            "**a.1**" if computer => assert_eq!(c.eccns, ["4A090.a"], "{id}"),
            "**a.1**" => {
                assert_eq!(c.eccns, ["3A090.a"], "{id}");
                assert!(c.paragraphs.contains(&"3A090.a.1".to_string()), "{id}");
            }
            "**a.2**" => assert_eq!(c.paragraphs, ["3A090.a.2"], "{id}"),
            s if s.starts_with("no") => {
                assert!(c.eccns.is_empty() && c.undetermined_paragraphs.is_empty(), "{id}: {c:?}")
            }
            _ => {
                assert!(c.eccns.is_empty(), "{id}");
                assert!(!c.undetermined_paragraphs.is_empty() && !c.missing.is_empty(), "{id}: {c:?}");
            }
        }
    }
}

#[test]
fn missing_figures_are_named() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    for id in ["amd-mi308x", "intel-gaudi3-hl328"] {
        let c = classify(&rules, &catalog, id, "2024-06-01");
        assert!(c.missing.contains(&"tpp".to_string()), "{id}: {:?}", c.missing);
    }
    for id in ["cambricon-mlu370-x8", "cambricon-mlu290-m5"] {
        let c = classify(&rules, &catalog, id, "2024-06-01");
        assert_eq!(c.missing, ["applicable_die_area"], "{id}");
    }
    // Gaudi 3 HL-325L: no die area, but TPP 1835 x 16 = 29,360 >= 4800 decides 3A090.a.1 alone.
    let c = classify(&rules, &catalog, "intel-gaudi3-hl325l", "2024-06-01");
    assert_eq!(c.paragraphs, ["3A090.a.1"]);
}
