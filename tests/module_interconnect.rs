//! A part in an SXM or OAM module with its interconnect bandwidth slipped tenfold is refused
//! (E0225; tester round 7, T7 and T3). An SXM or OAM module exists for its chip-to-chip link:
//! the first, the Tesla P100's, gave 160 GB/s (NVLink 1.0, four links of 20 GB/s each way;
//! NVIDIA Tesla P100 whitepaper). The A100's 664 GB/s (600 of NVLink 3 and 64 of PCIe 4.0 x16)
//! written `66.4` would take it out of the 2022 text of 3A090, which asks for 600 GB/s (87 FR
//! 62186); the H20's 1,028 written `102.8` would escape the letter of 2025-04-09 keyed to
//! 1,028 GB/s (NVIDIA Form 8-K 2025-04-15; rules/us-ear/is-informed.toml).

mod common;

use common::{edited_sheet, line_of, parse_sheet, sheet_refusal};
use export_controls::diagnostic::Code;

const A100: &str = "rules/products/nvidia-a100-sxm4-80gb.toml";
const H20: &str = "rules/products/nvidia-h20.toml";

fn at_interconnect(text: &str) -> (usize, usize) {
    let line = line_of(text, "interconnect_bandwidth = ");
    (line, "interconnect_bandwidth = ".len() + 1)
}

#[test]
fn the_a100s_interconnect_slipped_tenfold_is_refused_in_its_sxm4_module() {
    let text = edited_sheet(A100, "t7-a100", &[("interconnect_bandwidth = 664 ", "interconnect_bandwidth = 66.4 ")]);
    let (line, col) = at_interconnect(&text);
    assert_eq!(sheet_refusal(&text), [(Code::E0225, line, col)]);
    let err = parse_sheet(&text).unwrap_err();
    assert!(err[0].message.contains("SXM module package"), "{}", err[0].message);
    assert!(parse_sheet(&common::read(A100)).is_ok());
}

#[test]
fn the_h20s_interconnect_slipped_tenfold_is_refused() {
    let text = edited_sheet(H20, "t3-h20", &[("interconnect_bandwidth = 1028 ", "interconnect_bandwidth = 102.8 ")]);
    let (line, col) = at_interconnect(&text);
    assert_eq!(sheet_refusal(&text), [(Code::E0225, line, col)]);
}

#[test]
fn a_pcie_card_at_a_true_host_link_is_not_read_as_a_module() {
    // The same A100 as a PCIe card with only its host link (PCIe 4.0 x16, 64 GB/s both ways),
    // stated `form_factor = "pcie_card"` (a datacenter IC with HBM and a TPP of 1,000 or more
    // is held to the module floor otherwise, tester round 9 U4: tests/hbm_module_conventions.rs):
    // taken as stated; no module, no chip-to-chip floor.
    let text = edited_sheet(
        A100,
        "a100-as-card",
        &[
            ("interconnect_bandwidth = 664 ", "interconnect_bandwidth = 64 "),
            ("package = \"SXM4 module\"", "package = \"PCIe card\"\nform_factor = \"pcie_card\""),
        ],
    );
    assert!(parse_sheet(&text).is_ok(), "{:?}", parse_sheet(&text).err());
}

#[test]
fn a_server_naming_its_hgx_board_is_no_part_in_a_module() {
    // The DGX H100 (a computer; its package names its HGX H100 board) with its own interconnect
    // stated as its network, 100 GB/s: a server is no part in an SXM module, so the module's
    // chip-to-chip floor does not apply to it (tester round 9, O1).
    let text = edited_sheet(
        "rules/products/nvidia-dgx-h100.toml",
        "o1-server",
        &[("kind = \"computer\"", "kind = \"computer\"\ninterconnect_bandwidth = 100")],
    );
    assert!(parse_sheet(&text).is_ok(), "{:?}", parse_sheet(&text).err());
}
