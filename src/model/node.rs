//! The reader of a product's free-text `process_node`: the node class it names, for the checks
//! that read one (E0235's transistor-density floors, E0240's 16/14 nm class, E0241's 5 nm
//! class).

/// Whether a free-text `process_node` names only nodes of the 5 nm class or below: it holds a
/// number, and every number in it (read as names are, NFKC, punctuation a break) is 1 to 5
/// (`TSMC 4N`, `N4P`, `TSMC N3P`, `5 nm`, `Intel 4`). A node beside another (`N5 + N6`), a
/// 7 nm-class node or a name without a number is not read.
pub(crate) fn names_5nm_class_node(node: &str) -> bool {
    node_numbers_within(node, 5)
}

/// Whether a free-text `process_node` names only nodes of the 16/14 nm class or below: it holds
/// a number, and every number in it is 1 to 16 (`TSMC 4N`, `TSMC 16FFC`, `GF 14LPP`, `Samsung
/// 8LPP`, `Intel 7`, `N5 + N6`). A name without a number, or with a larger one (`28 nm`,
/// `Intel 18A`, read conservatively as not named), is not read.
pub(crate) fn names_16_14nm_class_node(node: &str) -> bool {
    node_numbers_within(node, 16)
}

/// Whether a free-text `process_node` holds a number and every number in it (read as names
/// are, NFKC, punctuation a break: `TSMC 16FF+` gives 16, `N5 + N6` gives 5 and 6) is 1 to
/// `max`: the node classes of E0235, E0240 and E0241 are read with it.
pub(crate) fn node_numbers_within(node: &str, max: u32) -> bool {
    let words = crate::names::normalize_name(node);
    let mut numbers = words.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).peekable();
    numbers.peek().is_some() && numbers.all(|n| n.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_of_the_16_14nm_class() {
        for node in ["TSMC 4N", "TSMC 16FFC", "GF 14LPP", "Samsung 8LPP", "Intel 7", "TSMC N5 + N6", "12 nm FinFET"] {
            assert!(names_16_14nm_class_node(node), "{node}");
        }
        for node in ["TSMC 28HPM", "28 nm", "Intel 18A", "", "proprietary", "TSMC N7 + 28 nm"] {
            assert!(!names_16_14nm_class_node(node), "{node}");
        }
    }
}
