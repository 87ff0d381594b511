//! Whether a product's stated transistor count can be taken as given where a low count clears.
//!
//! The rebuttal by packaging of Note 1 to 3A090.a (15 CFR 774 Supp. No. 1, ECCN 3A090, added by
//! 90 FR 5298) asks for the IC's *aggregated approximated transistor count* (15 CFR 772.1: the
//! sum over every applicable advanced logic die in the package) below 30 billion: the one place
//! in the pack where a lower count clears. E0230, E0233 and E0235 refuse counts too low for
//! their dies, but only where the sheet gives what they compare (the dies' areas, a process node
//! of a known class), and their floors are set well below real densities so that no genuine part
//! is refused. Tester round 8 (T4, T10, T11) cleared parts by leaving those facts out, or by a
//! count given per die (AMD's 29.1 billion per MI250X GCD for the package's 58.2): hiding a fact
//! must never turn an open answer into a decided one.
//!
//! So a count that cannot be checked, or that is below what its dies typically hold at their
//! node, is read as **at least** the count stated: a slip can only have made it look lower, so a
//! count at or above a rule's threshold still decides (the presumption stands), and a count below
//! it leaves the rebuttal open (`indeterminate`, naming `transistors` with why), never cleared.

use rust_decimal::Decimal;

use super::node::NodeBounds;
use super::product::Product;

/// Transistors per mm² of logic die typical of the 5 nm class (TSMC N5/4N/N3 and the like)
/// below which a count is not taken as given where a low count clears: half the least dense such
/// part of the catalog (TSMC 4N: 98 million per mm², the H100 and H20 dies; AD102 125 million;
/// B200 130 million).
pub const TYPICAL_5NM_CLASS_TRANSISTORS_PER_MM2: u64 = 50_000_000;

/// The same for the 7 nm class (TSMC N7/N6, SMIC N+1/N+2): below the least dense such part
/// published (AMD MI100, N7: 25.6 billion on 750 mm², 34 million per mm²; the catalog's MI250X,
/// N6: 40.2 million; GA100, N7: 65.6 million).
pub const TYPICAL_7NM_CLASS_TRANSISTORS_PER_MM2: u64 = 30_000_000;

/// The same for the other nodes of the 16/14 nm class or below (8 to 16: Samsung 8N, TSMC 12FFN
/// and 16FF, GF 14LPP, Intel 7): below GP100 (TSMC 16FF, 15.3 billion on 610 mm², 25 million per
/// mm²), GV100 (TSMC 12FFN, 25.9 million) and the chip-level densities of 14 nm CPUs (about 8 to
/// 14 million per mm²).
pub const TYPICAL_16_14NM_CLASS_TRANSISTORS_PER_MM2: u64 = 8_000_000;

/// Why the product's transistor count is not taken as given where a low count clears (it is
/// then read as at least the count stated), or `None` when it is: a count, a `process_node` that
/// can be read, every logic die's area, a density at or above the node class's typical
/// floor ([`TYPICAL_5NM_CLASS_TRANSISTORS_PER_MM2`] and the others; none above the 16/14 nm
/// class), and the sheet's statement that the dies listed are all the package's and the count
/// their aggregate ([`Product::logic_dies_complete`]; tester round 9, U2: a die-level source's
/// one GCD of the MI250X, 29.1 billion on 724 mm², passes every density check). `None` too when
/// no count is stated (it is then unknown, not bounded).
pub(crate) fn unchecked_transistors(product: &Product) -> Option<String> {
    product.transistors?;
    density_unchecked(product).or_else(|| {
        (!product.logic_dies_complete).then(|| {
            "not stated to be the packaged IC's aggregate over all its logic dies (`logic_dies_complete = true`): a count per die, or over some of the dies, would rebut Note 1 to 3A090.a by packaging; read as at least the count stated".to_string()
        })
    })
}

/// Why the transistor count is below what its dies typically hold at their node, or cannot be
/// checked against them (see [`unchecked_transistors`]); `None` when it is at or above it, or
/// no count is stated.
fn density_unchecked(product: &Product) -> Option<String> {
    let count = product.transistors?;
    const REBUTS: &str =
        "a count too low by ten, or given per die for a package of several, would rebut Note 1 to 3A090.a by packaging";
    let Some((floor, class)) = product.process_node.as_deref().and_then(typical_floor) else {
        return Some(format!(
            "it cannot be checked without a process_node that names its node: {REBUTS}; read as at least the count stated"
        ));
    };
    let dies = &product.logic_dies;
    let area = dies
        .iter()
        .map(|d| d.area_mm2.and_then(|a| a.checked_mul(Decimal::from(d.count))))
        .try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a?))
        .filter(|a| !a.is_zero() && !dies.is_empty());
    let Some(area) = area else {
        return Some(format!(
            "it cannot be checked without every logic die's area ([[logic_die]] area): {REBUTS}; read as at least the count stated"
        ));
    };
    let typical = area.checked_mul(Decimal::from(floor))?;
    (count < typical).then(|| {
        let per_mm2 = (count / area / Decimal::from(1_000_000)).round_dp(1);
        format!(
            "{} million per mm² of logic die, below the {} million typical of the {class} class: {REBUTS}; read as at least the count stated",
            per_mm2.normalize(),
            floor / 1_000_000
        )
    })
}

/// Whether the transistor count confirms the logic dies as listed (their areas and counts): it
/// is stated, and no `process_node` read at the 16/14 nm class or below puts it under that
/// class's typical density over the dies' area × count. A die count slipped tenfold with the
/// count left out is confirmed by nothing (tester round 8, T2a: see
/// [`unconfirmed_die_count`](super::die_count::unconfirmed_die_count)); a stated count that no
/// node can check is taken as the sheet's fact, as E0230's floor over the dies checks it.
pub(crate) fn count_confirms_dies(product: &Product) -> bool {
    let read = product.process_node.as_deref().and_then(typical_floor).is_some_and(|(floor, _)| floor > 0);
    product.transistors.is_some() && !(read && density_unchecked(product).is_some())
}

/// The typical floor and the name of the class of the finest node a `process_node` names
/// ([`NodeBounds::finest`]: a die of it is in the package, so the floor holds for the whole count;
/// tester round 9, U1: `TSMC 4N + TSMC 12FFC (HBM3 base dies)` was held to the 16/14 nm floor):
/// none (0) for a node read above the 16/14 nm class (`TSMC 28HPM`: no applicable advanced logic
/// to rebut), `None` when the node cannot be read (no number, an unclosed parenthesis).
fn typical_floor(node: &str) -> Option<(u64, &'static str)> {
    match NodeBounds::of(node).finest? {
        1..=5 => Some((TYPICAL_5NM_CLASS_TRANSISTORS_PER_MM2, "5 nm")),
        6..=7 => Some((TYPICAL_7NM_CLASS_TRANSISTORS_PER_MM2, "7 nm")),
        8..=16 => Some((TYPICAL_16_14NM_CLASS_TRANSISTORS_PER_MM2, "16/14 nm")),
        _ => Some((0, "above 16/14 nm")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_product_sheet;

    /// The catalog's MI250X (TSMC N6, two 724 mm² GCDs) with `count`, `node` and `area`.
    fn mi250x(count: &str, node: Option<&str>, area: Option<&str>) -> Product {
        let node = node.map(|n| format!("process_node = \"{n}\"\n")).unwrap_or_default();
        let area = area.map(|a| format!("area = {a}\n")).unwrap_or_default();
        let text = format!(
            "id = \"x\"\nname = \"x\"\nvendor = \"AMD\"\nkind = \"integrated_circuit\"\n{node}transistors = {count}\nlogic_dies_complete = true\n[dense_tops]\ncomplete = true\nfp16 = 383\n[[logic_die]]\nname = \"GCD\"\n{area}count = 2\nnon_planar = true\n"
        );
        parse_product_sheet(&crate::diagnostic::SourceFile::new("x.toml", text)).expect("a valid sheet")
    }

    #[test]
    fn a_count_checked_against_its_dies_at_a_known_node_is_taken() {
        // AMD: 58.2 billion on two GCDs of 724 mm² (40.2 million per mm², above 30).
        assert_eq!(unchecked_transistors(&mi250x("58_200_000_000", Some("TSMC N6"), Some("724"))), None);
    }

    #[test]
    fn a_count_not_stated_the_packages_aggregate_is_not() {
        // One GCD's figures from a die-level source (29.1 billion on 724 mm², 40.2 million per
        // mm²) pass the density check; only the sheet's statement makes it the package's.
        let mut one_gcd = mi250x("29_100_000_000", Some("TSMC N6"), Some("724"));
        one_gcd.logic_dies[0].count = 1;
        assert_eq!(unchecked_transistors(&one_gcd), None);
        one_gcd.logic_dies_complete = false;
        let why = unchecked_transistors(&one_gcd).unwrap();
        assert!(why.starts_with("not stated to be the packaged IC's aggregate"), "{why}");
    }

    #[test]
    fn a_count_per_die_below_the_typical_density_is_not() {
        // 29.1 billion (one GCD's) over 1,448 mm²: 20.1 million per mm², below 30 (T4).
        let why = unchecked_transistors(&mi250x("29_100_000_000", Some("TSMC N6"), Some("724"))).unwrap();
        assert!(
            why.starts_with("20.1 million per mm² of logic die, below the 30 million typical of the 7 nm class"),
            "{why}"
        );
    }

    #[test]
    fn a_count_without_node_or_die_area_is_not() {
        let why = unchecked_transistors(&mi250x("58_200_000_000", None, Some("724"))).unwrap();
        assert!(why.contains("without a process_node"), "{why}");
        let why = unchecked_transistors(&mi250x("58_200_000_000", Some("TSMC N6"), None)).unwrap();
        assert!(why.contains("without every logic die's area"), "{why}");
        // A node above the 16/14 nm class holds the count to no floor; an unread one cannot.
        assert_eq!(unchecked_transistors(&mi250x("5_000_000_000", Some("TSMC 28HPM"), Some("724"))), None);
        assert!(unchecked_transistors(&mi250x("58_200_000_000", Some("proprietary"), Some("724"))).is_some());
        // A node of several parts is held to its finest (tester round 9, U1): 20.1 million per
        // mm² is below the 5 nm class's 50 beside a 12 nm part too.
        let why =
            unchecked_transistors(&mi250x("29_100_000_000", Some("TSMC 4N + TSMC 12FFC (base dies)"), Some("724")));
        assert!(why.is_some_and(|w| w.contains("typical of the 5 nm class")));
    }
}
