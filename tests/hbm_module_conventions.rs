//! The H20's bandwidths slipped tenfold where the check that would catch them read a word or an
//! optional fact (tester round 9, U4; round 8, T1): `[memory] kind = "HBM"` with no generation,
//! `bandwidth = 400` for 4,000, `interconnect_bandwidth = 102.8` for 1,028, with the package
//! left out or written "8-GPU baseboard, PCIe Gen5 x16 host link". The letter of 2025-04-09
//! (NVIDIA Form 8-K, 2025-04-15; rules/us-ear/NOTES.md §11; requirement `is-informed/H20`)
//! reaches any NVIDIA IC with the H20's 4,000 GB/s of memory or 1,028 GB/s of interconnect
//! bandwidth: licence to CN, so these sheets are refused or left open, never cleared.
//!
//! - A datacenter IC with HBM and a TPP of 1,000 or more is held to a module's chip-to-chip
//!   floor, 160 GB/s (NVLink 1.0 of the Tesla P100, E0225), unless its sheet states
//!   `form_factor = "pcie_card"`: module-ness is decided by the figures and a typed fact, not
//!   by a word of `package`.
//! - Its HBM bandwidth below two stacks (two HBM3 stacks, 1,024 GB/s, when no generation is
//!   named: JESD238, 1,024 bits at 4 Gb/s a stack) is read as unknown, so the letter is
//!   `indeterminate` naming `memory_bandwidth`.

mod common;

use common::{line_of, parse_sheet, requirement_ids, sheet_refusal};
use export_controls::diagnostic::Code;
use export_controls::{Determination, Verdict};

const U4: &str = "tests/fixtures/bandwidth-conventions/u4-h20-board-says-pcie-host.toml";
const U4B: &str = "tests/fixtures/bandwidth-conventions/u4b-h20-no-package-no-form-name.toml";

/// The sheet's determination for China on 2025-06-01 (the letters of April 2025 in force).
fn to_china(text: &str) -> Determination {
    common::sheet_determination(text, "CN", "2025-06-01")
}

fn refused_at_the_interconnect(text: &str) {
    let line = line_of(text, "interconnect_bandwidth = ");
    assert_eq!(sheet_refusal(text), [(Code::E0225, line, "interconnect_bandwidth = ".len() + 1)]);
    let err = parse_sheet(text).unwrap_err();
    assert!(err[0].message.contains("datacenter IC with HBM"), "{}", err[0].message);
    assert!(err[0].help.as_deref().unwrap_or("").contains("form_factor = \"pcie_card\""), "{:?}", err[0].help);
}

#[test]
fn u4_an_hgx_board_whose_package_names_its_pcie_host_link_is_held_to_the_module_floor() {
    refused_at_the_interconnect(&common::read(U4));
}

#[test]
fn u4b_an_h20_class_part_with_no_package_is_held_to_the_module_floor() {
    refused_at_the_interconnect(&common::read(U4B));
}

#[test]
fn u4_with_the_interconnect_mended_the_generationless_hbm_below_two_stacks_is_left_open() {
    // 900 GB/s: the NVLink alone, below the letter's 1,028; the memory's 400 GB/s (for 4,000)
    // cannot be taken, so the letter can neither be met nor ruled out.
    for path in [U4, U4B] {
        let text = common::read(path).replace("interconnect_bandwidth = 102.8 ", "interconnect_bandwidth = 900 ");
        let d = to_china(&text);
        assert_eq!(d.verdict, Verdict::Indeterminate, "{path}: {:?} {:?}", requirement_ids(&d), d.missing);
        assert!(requirement_ids(&d).contains(&"is-informed/H20"), "{:?}", requirement_ids(&d));
        assert!(d.missing.iter().any(|m| m.starts_with("memory_bandwidth (") && m.contains("1024")), "{:?}", d.missing);
    }
}

#[test]
fn u4_with_both_figures_mended_needs_the_h20_licence() {
    let text = common::read(U4B)
        .replace("interconnect_bandwidth = 102.8 ", "interconnect_bandwidth = 1028 ")
        .replace("bandwidth = 400 ", "bandwidth = 4000 ");
    let d = to_china(&text);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert!(requirement_ids(&d).contains(&"is-informed/H20"), "{:?}", requirement_ids(&d));
}

#[test]
fn a_pcie_card_with_hbm_states_its_form_to_be_held_to_its_host_link_only() {
    // The A100 as a PCIe card with only its PCIe 4.0 x16 host link (64 GB/s both ways): a
    // "PCIe card" package is a word; `form_factor = "pcie_card"` is the fact that exempts it.
    let card = common::edited_sheet(
        "rules/products/nvidia-a100-sxm4-80gb.toml",
        "a100-as-card",
        &[("interconnect_bandwidth = 664 ", "interconnect_bandwidth = 64 "), ("SXM4 module", "PCIe card")],
    );
    assert_eq!(sheet_refusal(&card).first().map(|r| r.0), Some(Code::E0225));
    let stated = card.replace("package = \"PCIe card\"", "package = \"PCIe card\"\nform_factor = \"pcie_card\"");
    assert!(parse_sheet(&stated).is_ok(), "{:?}", parse_sheet(&stated).err());
    // A module stated so is held to the module floor whatever its package or name says.
    let module = stated.replace("form_factor = \"pcie_card\"", "form_factor = \"module\"");
    assert_eq!(sheet_refusal(&module).first().map(|r| r.0), Some(Code::E0225));
}

#[test]
fn a_form_factor_outside_the_vocabulary_is_refused_at_its_line() {
    let text = common::read(U4B).replace("year = 2024", "year = 2024\nform_factor = \"pcie\"");
    let err = parse_sheet(&text).unwrap_err();
    assert_eq!(err[0].line, line_of(&text, "form_factor = "), "{}", err[0].message);
    assert!(err[0].message.contains("pcie_card"), "{}", err[0].message);
}

#[test]
fn hbm2_named_below_two_hbm3_stacks_is_taken_as_stated() {
    // NVIDIA's V100 has 900 GB/s over four HBM2 stacks (V100 data sheet): a sheet naming HBM2 is
    // held to one HBM2 stack only (E0242), and its bandwidth is taken. Named as the V100 it
    // stands for: under the fixture's generic name ("Datacenter GPU 96GB", which identifies no
    // part) the H20 letter's `name == "H20"` is unknown and the sheet is held open (input14).
    let text = common::read(U4B)
        .replacen("name = \"Datacenter GPU 96GB\"", "name = \"Tesla V100 SXM2 32GB\"", 1)
        .replace("kind = \"HBM\"", "kind = \"HBM2\"")
        .replace("bandwidth = 400 ", "bandwidth = 900 ")
        .replace("interconnect_bandwidth = 102.8 ", "interconnect_bandwidth = 300 ");
    let d = to_china(&text);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?} {:?}", requirement_ids(&d), d.missing);
}
