//! Mistyped figures that still reached a clearance after fix7 (tester round 6 leftovers,
//! branch `tester6`, tester6/FINDINGS.md S13, S14): an interconnect bandwidth written in TB/s
//! (E0225), and a die area ten times too large on a sheet without a process node (E0236).
//!
//! The figures are the regulation's and the cited sources': 3A090's interconnect bandwidth is
//! the "bidirectional transfer rate" of all inputs and outputs but volatile memory, the host
//! link included (15 CFR 772.1; 3A090 Technical Notes); a PCIe 3.0 x16 link gives 16 lanes ×
//! 8 GT/s × 128/130 ÷ 8 = 15.75 GB/s each way, 31.5 GB/s both ways (PCI Express Base
//! Specification 3.0; PCI-SIG's table: 32 GB/s for x16). NVIDIA's letter of 2022-08-26 reaches
//! its ICs of A100-level peak performance (TPP 4,992) and chip-to-chip I/O (600 GB/s) to China
//! (NVIDIA Form 8-K, 2022-08-31; rules/us-ear/NOTES.md §11). One lithography exposure field is
//! 26 mm × 33 mm = 858 mm² (ASML TWINSCAN NXT/NXE specifications). The L4 (AD104, 294.5 mm²,
//! 35.8 billion transistors; TPP 1,940, performance density 6.59) is 3A090.a.2 (ref §3.2,
//! chips.csv).

mod common;

use common::{edited_sheet, line_of, parse_sheet, sheet_refusal};
use export_controls::diagnostic::Code;
use export_controls::model::Exporter;
use export_controls::{Catalog, Determination, Options, PreparedProduct, Query, RuleSet, Verdict};
use rust_decimal::Decimal;

fn determine(p: &PreparedProduct, to: &str, on: &str) -> Determination {
    let ordinary = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(ordinary);
    RuleSet::shipped().unwrap().evaluate(p, &q, Options::default()).unwrap()
}

const RTX_4090: &str = "rules/products/nvidia-rtx-4090.toml";
const H20: &str = "rules/products/nvidia-h20.toml";
const L4: &str = "rules/products/nvidia-l4.toml";
const IO_64: &str = "interconnect_bandwidth = 64 ";
const IO_1028: &str = "interconnect_bandwidth = 1028";

/// The RTX 4090's sheet (NVIDIA, TPP 5,284.8 from its rates, 5,286 reported; not for datacenters, GDDR6X) with a 900 GB/s
/// NVLink-class interconnect: as `900` it reaches NVIDIA's 2022 letter; as `0.9` (TB/s) it was
/// taken as stated and cleared to China in 2022-09 (`no_license_required`).
#[test]
fn an_nvidia_tpp_5286_part_with_its_interconnect_in_tbps_is_refused_at_the_figure() {
    let right = edited_sheet(RTX_4090, "x-rtx-nvlink", &[(IO_64, "interconnect_bandwidth = 900 ")]);
    let d = determine(&PreparedProduct::new(parse_sheet(&right).unwrap()), "CN", "2022-09-15");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.requirements.iter().any(|r| r.id == "is-informed/NVIDIA 2022-08-26"), "{:?}", d.requirements);

    let typed = edited_sheet(RTX_4090, "x-rtx-nvlink", &[(IO_64, "interconnect_bandwidth = 0.9 ")]);
    let line = line_of(&typed, "interconnect_bandwidth = 0.9");
    // `interconnect_bandwidth = ` is 25 characters: the figure is at column 26.
    assert_eq!(sheet_refusal(&typed), [(Code::E0225, line, 26)]);
    let err = parse_sheet(&typed).unwrap_err();
    assert_eq!(
        err[0].message,
        "the interconnect bandwidth 0.9 GB/s is below the 31.5 GB/s of a PCIe 3.0 x16 host link alone (both ways, PCI-SIG) for a part of TPP 5286: did you write TB/s? this field is GB/s, all inputs and outputs both ways, the host link included"
    );
}

/// The H20's package as shipped (rules/products/nvidia-h20.toml).
const H20_PACKAGE: &str = "SXM module (HGX 8-GPU board)";

/// The H20 written as a PCIe card: the package a word, `form_factor` the fact (a datacenter IC
/// with HBM and a TPP of 1,000 or more not stated a PCIe card is held to the module floor,
/// tester round 9 U4: tests/hbm_module_conventions.rs).
const H20_AS_CARD: &str = "PCIe card\"\nform_factor = \"pcie_card";

#[test]
fn a_datacenter_or_hbm_part_below_a_pcie_3_x16_link_is_refused_and_one_at_it_is_taken() {
    // The H20 (designed for datacenters, HBM3): its 1,028 GB/s written in TB/s, or a tenth of
    // a PCIe 3.0 x16 link; 31.5 GB/s (PCIe 3.0 x16 both ways) is taken as stated. Written as
    // a PCIe card: in its SXM module the chip-to-chip link's floor comes first (160 GB/s,
    // tests/module_interconnect.rs).
    for (io, taken) in [("1.028", false), ("0.9", false), ("31.49", false), ("31.5", true), ("64", true)] {
        let text = edited_sheet(
            H20,
            "x-h20",
            &[(IO_1028, &format!("interconnect_bandwidth = {io}")), (H20_PACKAGE, H20_AS_CARD)],
        );
        if taken {
            assert!(parse_sheet(&text).is_ok(), "{io}: {:?}", parse_sheet(&text).err());
        } else {
            let line = line_of(&text, "interconnect_bandwidth = ");
            assert_eq!(sheet_refusal(&text), [(Code::E0225, line, 26)], "{io}");
        }
    }
    // Not stated for datacenters: the HBM alone calls for the host link.
    let text = edited_sheet(
        H20,
        "x-h20-hbm",
        &[
            (IO_1028, "interconnect_bandwidth = 1.028"),
            ("designed_or_marketed_for_datacenter = true", ""),
            (H20_PACKAGE, H20_AS_CARD),
        ],
    );
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(err.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0225]);
    assert!(
        err[0].message.contains("for a part with high-bandwidth memory: did you write TB/s?"),
        "{}",
        err[0].message
    );
}

#[test]
fn a_small_part_on_a_narrow_link_is_taken_as_stated() {
    // Not for datacenters, no HBM, TPP below 4,800 (the RTX 4090's rates halved: 2,643.2): a
    // PCIe 3.0 x8 link (15.75 GB/s both ways) is a real figure for such a part.
    let text = edited_sheet(
        RTX_4090,
        "x-small",
        &[
            (IO_64, "interconnect_bandwidth = 15.75 "),
            ("tpp_reported = 5286", "tpp_reported = 2643"),
            ("fp16 = 330.3", "fp16 = 165.15"),
            ("fp8 = 660.6", "fp8 = 330.3"),
            ("int8 = 660.6", "int8 = 330.3"),
            ("int4 = 1321.2", "int4 = 660.6"),
        ],
    );
    assert!(parse_sheet(&text).is_ok(), "{:?}", parse_sheet(&text).err());
}

#[test]
fn built_in_code_the_same_refusal_and_never_a_clearance() {
    let catalog = Catalog::shipped().unwrap();
    let mut p = catalog.get("nvidia-rtx-4090").unwrap().product().clone();
    p.id = "x-rtx-nvlink".into();
    p.interconnect_bandwidth_gbps = Some(Decimal::new(9, 1));
    let d = p.validate().unwrap_err().0;
    assert_eq!(
        d.iter().map(|d| (d.code, d.file.as_str())).collect::<Vec<_>>(),
        [(Code::E0225, "product `x-rtx-nvlink`, interconnect_bandwidth")]
    );
    assert!(PreparedProduct::try_new(p.clone()).is_err());
    assert!(catalog.prepare(p.clone()).is_err());
    let det = determine(&PreparedProduct::new(p), "CN", "2022-09-15");
    assert_eq!(det.verdict, Verdict::Indeterminate);
}

#[test]
fn the_l4_without_its_node_and_with_its_area_ten_times_too_large_is_refused_at_the_area() {
    // E0235 reads the node's density; with the node left out the reticle limit, which holds at
    // every node, still refuses 2,945 mm² for one die when the transistor count is stated.
    let text =
        edited_sheet(L4, "x-l4-no-node", &[("area = 294.5", "area = 2945"), ("process_node = \"TSMC 4N\"\n", "")]);
    let line = line_of(&text, "area = 2945");
    assert_eq!(sheet_refusal(&text), [(Code::E0236, line, 8)]);
    // Without the count either (the illustrative sheets of some rule tests), it is not read.
    let bare = text.replace("transistors = 35_800_000_000", "");
    assert_ne!(bare, text);
    assert!(parse_sheet(&bare).is_ok(), "{:?}", parse_sheet(&bare).err());
    // The shipped L4 without its node is taken as stated, and is 3A090.a.2.
    let ok = edited_sheet(L4, "x-l4-no-node", &[("process_node = \"TSMC 4N\"\n", "")]);
    let d = determine(&PreparedProduct::new(parse_sheet(&ok).unwrap()), "CN", "2024-06-01");
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.paragraphs, ["3A090.a.2"]);
}

#[test]
fn the_l4_built_in_code_without_a_node_and_with_a_slipped_area_is_refused() {
    let mut p = Catalog::shipped().unwrap().get("nvidia-l4").unwrap().product().clone();
    p.id = "x-l4-no-node".into();
    p.process_node = None;
    p.logic_dies[0].area_mm2 = Some(Decimal::from(2945));
    let d = p.validate().unwrap_err().0;
    assert_eq!(
        d.iter().map(|d| (d.code, d.file.as_str())).collect::<Vec<_>>(),
        [(Code::E0236, "product `x-l4-no-node`, logic die 1, area")]
    );
    assert_eq!(determine(&PreparedProduct::new(p), "CN", "2024-06-01").verdict, Verdict::Indeterminate);
}
