//! A transistor count ten times too small on a 7 nm-class node is refused (E0235; tester round
//! 7, T9). The A100's GA100 holds 54.2 billion transistors on 826 mm² of TSMC N7 (65.6 million
//! per mm², NVIDIA A100 Tensor Core GPU Architecture whitepaper); written 5.42 billion it would
//! rebut the presumption of Note 1 to 3A090.a by packaging, which asks for fewer than 30
//! billion (90 FR 5298; 15 CFR 774 Supp. 1, 3A090.a Note 1), and a front-end fabricator's
//! worldwide licence would be lost.

mod common;

use common::{edited_sheet, line_of, parse_sheet, sheet_refusal};
use export_controls::diagnostic::Code;

const A100: &str = "rules/products/nvidia-a100-sxm4-80gb.toml";
const MI250X: &str = "rules/products/amd-mi250x.toml";

/// The line and column of the first die area's value (where E0235 points).
fn area_at(text: &str) -> (usize, usize) {
    let line = line_of(text, "area = ");
    let col = text.lines().nth(line - 1).unwrap().find(|c: char| c.is_ascii_digit()).unwrap() + 1;
    (line, col)
}

#[test]
fn the_a100s_transistor_count_slipped_tenfold_is_refused() {
    let text = edited_sheet(A100, "t9-a100", &[("transistors = 54_200_000_000", "transistors = 5_420_000_000")]);
    let (line, col) = area_at(&text);
    assert_eq!(sheet_refusal(&text), [(Code::E0235, line, col)]);
    let err = parse_sheet(&text).unwrap_err();
    assert!(err[0].message.contains("6.6 million transistors per mm²"), "{}", err[0].message);
    // As shipped: 65.6 million per mm², above the floor.
    assert!(parse_sheet(&common::read(A100)).is_ok());
}

#[test]
fn the_mi250xs_transistor_count_slipped_tenfold_is_refused_on_its_6_nm_node() {
    // 58.2 billion on two dies of 724 mm² (AMD CDNA 2 whitepaper): 40.2 million per mm².
    let text = edited_sheet(MI250X, "t9-mi250x", &[("transistors = 58_200_000_000", "transistors = 5_820_000_000")]);
    let (line, col) = area_at(&text);
    assert_eq!(sheet_refusal(&text), [(Code::E0235, line, col)]);
    assert!(parse_sheet(&common::read(MI250X)).is_ok());
}
