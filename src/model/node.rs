//! The reader of a product's free-text `process_node`: the node class it names, for the checks
//! that read one (E0235's transistor-density floors, E0240's 16/14 nm class, E0241's 5 nm
//! class).
//!
//! A node text names one node (`TSMC 4N`, `TSMC 16FF+`, `Samsung 8N`) or several parts, one a
//! die or a group of dies (`TSMC N5 + N6`, `N5, N6`, `SMIC N+2 / TSMC N7`, `N3P and N6`), each
//! with an optional parenthesised count, role or remark (`TSMC N5 (8 XCD) + N6 (4 IOD)`,
//! `TSMC 4NP (assumed)`). It is read once into its coarsest and its finest part
//! ([`NodeBounds`], which says which check takes which bound and why); a number in parentheses
//! (a die count, `8 XCD`) is no node number. A part without a node number, or a text whose parentheses
//! do not close, gives no class: a check that reads the class then reads nothing, which only
//! leaves a sheet unrefused (each check refuses; none clears).

use unicode_normalization::UnicodeNormalization;

/// The node number read for a SMIC generation name (`N+1`, `N+2`, `N+3`): 7. SMIC names its
/// 7 nm-class processes by generation, not by a length: TechInsights found N+1 in the MinerVa
/// miner chip (2022) and N+2 in Huawei's Kirin 9000S (2023), both 7 nm-class; N+3 extends them.
const SMIC_GENERATION_NODE: u32 = 7;

/// The node numbers a free-text `process_node` names: its coarsest and its finest part, read
/// in one pass ([`NodeBounds::of`]). Every check that reads a node reads it here and says which
/// bound it takes, and why:
///
/// - A check that refuses a sheet because its figures fall short of the node's floor (E0235,
///   transistors per mm² of logic die: `validate::node_density_floor`) takes the coarsest part
///   ([`every_part_within`](Self::every_part_within)): a package of N5 and N6 dies (AMD MI300X,
///   `TSMC N5 (8 XCD) + N6 (4 IOD)`) holds only to the 7 nm-class floor, so a true sheet is not
///   refused for the dies of the coarser node it also holds.
/// - A check whose passing can clear (the transistor count confirming the logic dies as listed,
///   so that a low count rebuts Note 1 to 3A090.a: `transistor_count::typical_floor`) takes the
///   finest part ([`finest`](Self::finest)): a die of that node is in the package whatever
///   else the text names, so the count is held to its floor (tester round 9, U1: `TSMC 4N +
///   TSMC 12FFC (HBM3 base dies)` was held to the 16/14 nm floor).
/// - The die flags (E0240 `at_or_below_16_14nm = false`, E0241 `non_planar = false`:
///   `plausible::die_flags_against_node`) take the coarsest part against one die's flag (every
///   die may then be of the class, so no die's flag may deny it) and the finest part
///   ([`some_part_within`](Self::some_part_within)) against the flag on every die (some die
///   is made at the finest node, so not every die may deny it; tester round 9, U7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeBounds {
    /// The class of the node the text names, as a node number (`TSMC 4N` 4, `N5 + N6` 6,
    /// `TSMC N5 (8 XCD) + N6 (4 IOD)` 6, `TSMC 16FF+` 16): the largest node number of its
    /// parts. A part's node numbers are the numbers written outside parentheses (read as names
    /// are, NFKC, punctuation a break), or 7 for a SMIC generation name (`N+2`,
    /// [`SMIC_GENERATION_NODE`]). `None` when a part has no node number (`N5 +
    /// proprietary`), a number is 0 or too large to read, or a parenthesis is not closed.
    pub coarsest: Option<u32>,
    /// The finest node the text names, as a node number (`TSMC 4N + TSMC 12FFC (HBM3 base
    /// dies)` 4, `N5 + N6` 5): the smallest of its parts' node numbers, parts without a number
    /// (or with one that cannot be read) left out. `None` when no part has a node number, or a
    /// parenthesis is not closed.
    pub finest: Option<u32>,
}

impl NodeBounds {
    /// The bounds of a free-text `process_node`.
    pub(crate) fn of(node: &str) -> NodeBounds {
        let Some(parts) = node_parts(node) else { return NodeBounds { coarsest: None, finest: None } };
        let classes: Vec<Option<u32>> = parts.iter().map(|part| part_class(part)).collect();
        // `None` (the fold stopped) when a part has no class; `Some(None)` when there is no part.
        let coarsest = classes.iter().try_fold(None, |c: Option<u32>, p| p.map(|p| Some(c.map_or(p, |c| c.max(p)))));
        NodeBounds { coarsest: coarsest.flatten(), finest: classes.iter().flatten().copied().min() }
    }

    /// Whether the text names a class of `max` nm or below: every part's node numbers are 1 to
    /// `max` (the coarsest part is within).
    pub(crate) fn every_part_within(self, max: u32) -> bool {
        self.coarsest.is_some_and(|n| n <= max)
    }

    /// Whether some part of the text names a node of `max` nm or below (the finest part is
    /// within: `TSMC 4N + TSMC 28HPC (I/O die)` names the 5 nm class).
    pub(crate) fn some_part_within(self, max: u32) -> bool {
        self.finest.is_some_and(|n| n <= max)
    }
}

/// Whether a free-text `process_node` names a non-planar transistor architecture, anywhere in
/// it (parentheses too; read as names are, spaces and hyphens ignored): `FinFET`, Intel's
/// `RibbonFET` and `Tri-Gate`, Samsung's `MBCFET`, `GAA` / `gate-all-around`, `nanosheet`, or
/// TSMC's FinFET names (`16FF`, `16FF+`, `12FFC`, `12FFN`: a node number followed by `FF`).
/// `Intel RibbonFET (18A)` names one whose node number the class reader leaves out (tester round
/// 9, U7).
pub(crate) fn names_non_planar_transistor(node: &str) -> bool {
    const WORDS: [&str; 7] = ["FINFET", "RIBBONFET", "TRIGATE", "MBCFET", "GAA", "GATEALLAROUND", "NANOSHEET"];
    let normal = crate::names::normalize_name(node);
    let joined: String = normal.split(' ').collect();
    let tsmc_finfet = normal.split(' ').any(|w| {
        let digits = w.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && w.get(digits..).is_some_and(|rest| rest.starts_with("FF"))
    });
    tsmc_finfet || WORDS.iter().any(|w| joined.contains(w))
}

/// Whether a free-text `process_node` names only nodes of the 5 nm class or below
/// ([`NodeBounds::every_part_within`] 5: `TSMC 4N`, `N4P`, `TSMC N3P`, `5 nm`, `Intel 4`, `TSMC N5 (2
/// compute dies)`). A node beside a coarser one (`N5 + N6`), a 7 nm-class node or a name
/// without a number is not read.
pub(crate) fn names_5nm_class_node(node: &str) -> bool {
    NodeBounds::of(node).every_part_within(5)
}

/// Whether a free-text `process_node` names only nodes of the 16/14 nm class or below
/// ([`NodeBounds::every_part_within`] 16: `TSMC 4N`, `TSMC 16FFC`, `GF 14LPP`, `Samsung 8LPP`, `Intel 7`,
/// `N5 + N6`, `Intel 18A`). A name without a number, or with a larger one (`28 nm`), is not
/// read.
pub(crate) fn names_16_14nm_class_node(node: &str) -> bool {
    NodeBounds::of(node).every_part_within(16)
}

/// The parts of a node text (NFKC), with what is in parentheses or brackets left out: split at
/// `+` (but not the `+` of a SMIC generation, `N+2`), `,`, `/`, `;`, `&` and the word `and`.
/// Empty parts (`TSMC 16FF+`'s end) are dropped. `None` when a parenthesis or bracket is not
/// closed, or one closes that was not opened.
fn node_parts(node: &str) -> Option<Vec<String>> {
    let text: Vec<char> = node.nfkc().collect();
    let mut outside = String::with_capacity(text.len());
    let mut depth = 0usize;
    for (i, &c) in text.iter().enumerate() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.checked_sub(1)?,
            _ if depth > 0 => {}
            '+' if text.get(i + 1).is_some_and(char::is_ascii_digit) => outside.push('+'),
            '+' | ',' | '/' | ';' | '&' => outside.push('|'),
            _ => outside.push(c),
        }
        if matches!(c, '(' | ')' | '[' | ']') {
            outside.push(' ');
        }
    }
    if depth != 0 {
        return None;
    }
    let mut parts = Vec::new();
    for piece in outside.split('|') {
        let mut words: Vec<&str> = Vec::new();
        for word in piece.split_whitespace() {
            if word.eq_ignore_ascii_case("and") {
                parts.push(words.join(" "));
                words.clear();
            } else {
                words.push(word);
            }
        }
        parts.push(words.join(" "));
    }
    parts.retain(|p| !crate::names::normalize_name(p).is_empty());
    Some(parts)
}

/// The largest node number of one part of a node text (outside parentheses, see
/// [`node_parts`]): its numbers (read as names are), a SMIC generation (`N+2`) read as
/// [`SMIC_GENERATION_NODE`]. `None` when it has no number, or one is 0 or too large.
fn part_class(part: &str) -> Option<u32> {
    let mut largest: Option<u32> = None;
    let mut rest = part;
    let mut plain = String::with_capacity(part.len());
    // A SMIC generation: `N+` followed by digits, the digits no node number.
    while let Some(at) = rest.find("+") {
        let (before, after) = rest.split_at(at);
        let after = after.get(1..).unwrap_or_default();
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if before.ends_with(['N', 'n']) && digits > 0 {
            largest = Some(SMIC_GENERATION_NODE);
            plain.push_str(before);
            plain.push(' ');
            rest = after.get(digits..).unwrap_or_default();
        } else {
            plain.push_str(before);
            plain.push(' ');
            rest = after;
        }
    }
    plain.push_str(rest);
    let words = crate::names::normalize_name(&plain);
    for word in words.split(' ') {
        if let Some(nm) = angstrom_node(word) {
            largest = Some(largest.map_or(nm, |l| l.max(nm)));
            continue;
        }
        for number in word.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()) {
            let n = number.parse::<u32>().ok().filter(|n| *n > 0)?;
            largest = Some(largest.map_or(n, |l| l.max(n)));
        }
    }
    largest
}

/// The node number, in whole nanometres rounded up, of a node named in ångströms: Intel's
/// `20A` and `18A` (2 and 1.8 nm class, RibbonFET gate-all-around; Intel's process roadmap of
/// 2021-07-26) and `14A`, TSMC's `A16` and `A14` (1.6 and 1.4 nm class; TSMC's Technology
/// Symposium of 2024-04-24). `None` for any other word. Read as a length, `18A` would be an 18 nm
/// node, above the 16/14 nm class, and a die stated planar there was not refused (tester round 8,
/// T13).
fn angstrom_node(word: &str) -> Option<u32> {
    let digits = word.strip_suffix('A').or_else(|| word.strip_prefix('A'))?;
    let n = digits.parse::<u32>().ok().filter(|n| (10..=30).contains(n) && digits.len() == 2)?;
    Some(n.div_ceil(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_class_is_the_coarsest_parts_outside_parentheses() {
        let cases: [(&str, Option<u32>); 22] = [
            ("TSMC 4N", Some(4)),
            ("ＴＳＭＣ ４Ｎ", Some(4)),
            ("TSMC 4NP (assumed)", Some(4)),
            ("TSMC N5 (2 compute dies)", Some(5)),
            ("TSMC N5 + N6", Some(6)),
            ("TSMC N5 (8 XCD) + N6 (4 IOD)", Some(6)),
            ("TSMC N5（8 XCD）＋ N6（4 IOD）", Some(6)),
            ("TSMC N3P (8 XCD) + N6 (2 IOD)", Some(6)),
            ("N3P and N6", Some(6)),
            ("N5, N6", Some(6)),
            ("TSMC N5 [8 XCD] / N6", Some(6)),
            ("SMIC N+1/N+2 (7nm-class)", Some(7)),
            ("SMIC N+2 / TSMC N7 (dies of mixed origin reported)", Some(7)),
            ("TSMC 16FF+", Some(16)),
            ("Samsung 8N", Some(8)),
            ("Intel 18A", Some(2)),
            ("TSMC N5 + proprietary", None),
            ("TSMC N5 (8 XCD", None),
            ("TSMC N5) + N6", None),
            ("(TSMC N5)", None),
            ("N0", None),
            ("", None),
        ];
        for (node, class) in cases {
            assert_eq!(NodeBounds::of(node).coarsest, class, "{node}");
        }
    }

    #[test]
    fn a_die_count_in_parentheses_no_longer_takes_a_node_out_of_its_class() {
        // Before: 8 and 4 were read as node numbers, so the MI300X's node had no class.
        assert!(NodeBounds::of("TSMC N5 (8 XCD) + N6 (4 IOD)").every_part_within(7));
        assert!(!names_5nm_class_node("TSMC N5 (8 XCD) + N6 (4 IOD)"));
        assert!(names_5nm_class_node("TSMC N5 (2 compute dies)"));
        // A count outside parentheses is still read as a node number (not read, conservatively).
        assert!(!NodeBounds::of("TSMC N5 8 XCD").every_part_within(7));
    }

    #[test]
    fn some_part_of_the_node_and_the_transistor_words() {
        // Any part of the 5 nm class names the class (the coarsest part does not decide).
        for node in ["TSMC 4N + TSMC 28HPC (I/O die)", "TSMC N3E / 28 nm interposer", "TSMC 4N and 65nm", "TSMC 4N"] {
            assert!(NodeBounds::of(node).some_part_within(5), "{node}");
        }
        for node in ["TSMC N7 + 28 nm", "Intel RibbonFET (18A)", "TSMC (N4P)", "proprietary", ""] {
            assert!(!NodeBounds::of(node).some_part_within(5), "{node}");
        }
        assert!(NodeBounds::of("TSMC N7 + 28 nm").some_part_within(16));
        for node in [
            "Intel RibbonFET (18A)",
            "TSMC 16FF+",
            "TSMC 12FFC",
            "12 nm FinFET",
            "Intel 22nm Tri-Gate",
            "Samsung 3GAP (MBCFET)",
            "gate-all-around nanosheets",
            "TSMC N2 (GAA)",
        ] {
            assert!(names_non_planar_transistor(node), "{node}");
        }
        for node in ["TSMC (N4P)", "28 nm bulk planar", "GlobalFoundries 12FDX", "TSMC 28HPC", "Samsung 8N", ""] {
            assert!(!names_non_planar_transistor(node), "{node}");
        }
    }

    #[test]
    fn nodes_of_the_16_14nm_class() {
        for node in ["TSMC 4N", "TSMC 16FFC", "GF 14LPP", "Samsung 8LPP", "Intel 7", "TSMC N5 + N6", "12 nm FinFET"] {
            assert!(names_16_14nm_class_node(node), "{node}");
        }
        for node in ["TSMC 28HPM", "28 nm", "", "proprietary", "TSMC N7 + 28 nm"] {
            assert!(!names_16_14nm_class_node(node), "{node}");
        }
    }

    /// The class of every catalog sheet's node text (rules/products): the node the sheet's
    /// sources name (TSMC 4N/4NP and N3 of the 5 nm class; N5 + N6 and SMIC's N+1/N+2 of the
    /// 7 nm class; Samsung 8N of the 16/14 nm class). A new sheet's node is added here.
    #[test]
    fn every_catalog_node_text_has_its_class() {
        let expected: [(&str, u32); 14] = [
            ("TSMC 4N", 4),
            ("TSMC 4NP", 4),
            ("TSMC 4NP (assumed)", 4),
            ("TSMC N3B", 3),
            ("TSMC N5 (2 compute dies)", 5),
            ("TSMC N7", 7),
            ("TSMC 7nm", 7),
            ("TSMC N6", 6),
            ("TSMC N5 + N6", 6),
            // Changed: no class before (the die counts 8 and 4 were read as node numbers).
            ("TSMC N5 (8 XCD) + N6 (4 IOD)", 6),
            ("TSMC N3P (8 XCD) + N6 (2 IOD)", 6),
            ("SMIC N+2 / TSMC N7 (dies of mixed origin reported)", 7),
            ("SMIC N+1/N+2 (7nm-class)", 7),
            ("Samsung 8N", 8),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/products");
        let mut read = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let value: toml::Table = toml::from_str(&text).unwrap();
            let Some(node) = value.get("process_node").and_then(|v| v.as_str()) else { continue };
            let class = expected.iter().find(|(n, _)| *n == node).map(|(_, c)| *c);
            assert!(class.is_some(), "{}: node `{node}` not in the table", path.display());
            assert_eq!(NodeBounds::of(node).coarsest, class, "{}: `{node}`", path.display());
            read += 1;
        }
        assert!(read >= 38, "{read} sheets with a node read");
    }
}
