//! A process node written in parts, each with its die count in parentheses, is read by its
//! parts' nodes (tester finding T9, the rest). The MI300X's node text `TSMC N5 (8 XCD) + N6 (4
//! IOD)` carried the counts 8 and 4 among its node numbers, so it was read as no node class and
//! E0235's 7 nm-class floor (20 million transistors per mm²: NVIDIA GA100 on TSMC N7 holds 65.6
//! million) was not applied: its 153 billion transistors (AMD Instinct MI300X data sheet, the
//! catalog sheet's first source) written 15.3 billion, 6.8 million per mm² of its 2,240 mm² of
//! logic die, would rebut the presumption of Note 1 to 3A090.a by packaging, which asks for
//! fewer than 30 billion (90 FR 5298; 15 CFR 774 Supp. 1, 3A090.a Note 1).

mod common;

use common::{edited_sheet, line_of, parse_sheet, sheet_refusal};
use export_controls::diagnostic::Code;

const MI300X: &str = "rules/products/amd-mi300x.toml";

/// The line and column of the first die area's value (where E0235 points).
fn area_at(text: &str) -> (usize, usize) {
    let line = line_of(text, "area = ");
    let col = text.lines().nth(line - 1).unwrap().find(|c: char| c.is_ascii_digit()).unwrap() + 1;
    (line, col)
}

#[test]
fn the_mi300x_as_shipped_passes() {
    // 153 billion over 8 x 110 + 4 x 340 = 2,240 mm²: 68.3 million per mm², above 20 million.
    assert!(parse_sheet(&common::read(MI300X)).is_ok());
}

#[test]
fn the_mi300xs_transistor_count_slipped_tenfold_is_refused() {
    let text = edited_sheet(MI300X, "t9-mi300x", &[("transistors = 153_000_000_000", "transistors = 15_300_000_000")]);
    let (line, col) = area_at(&text);
    assert_eq!(sheet_refusal(&text), [(Code::E0235, line, col)]);
    let err = parse_sheet(&text).unwrap_err();
    assert!(
        err[0].message.contains("the 2240 mm² of logic die hold 6.8 million transistors per mm²"),
        "{}",
        err[0].message
    );
    assert!(err[0].message.contains("gives at least 20 million"), "{}", err[0].message);
}

#[test]
fn the_node_written_with_other_separators_is_read_the_same() {
    let slipped = ("transistors = 153_000_000_000", "transistors = 15_300_000_000");
    for node in ["TSMC N5 (8 XCD), N6 (4 IOD)", "TSMC N5 (8 XCD) and N6 (4 IOD)", "TSMC N5 [8 XCD] / N6 [4 IOD]"] {
        let written = format!("process_node = \"{node}\"");
        let edits = [("process_node = \"TSMC N5 (8 XCD) + N6 (4 IOD)\"", written.as_str()), slipped];
        let text = edited_sheet(MI300X, "t9-mi300x", &edits);
        let (line, col) = area_at(&text);
        assert_eq!(sheet_refusal(&text), [(Code::E0235, line, col)], "{node}");
    }
}
