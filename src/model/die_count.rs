//! The logic dies' count and total area against what one package can hold and against the
//! rest of the sheet.
//!
//! The performance density of 3A090 is the TPP divided by the applicable die area, the sum of
//! the non-planar logic dies' areas (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Notes; 88
//! FR 73458), and each die's area is counted `count` times. A count slipped (the L4's one
//! AD104 written `count = 10`) divides the density by the same factor and took the L4 out of
//! 3A090.a.2 (tester round 8, T2a; round 9, U5). Two facts of a sheet can confirm a count: a
//! transistor count at the typical density of its node over the dies as counted
//! ([`count_confirms_dies`](super::transistor_count::count_confirms_dies)), or the package or
//! the product's name naming the count (`SXM module, 2 GPU dies`, `OAM, 8 XCD + 4 IOD`). A count
//! above 1 confirmed by neither is read as any count from 1 to the one stated, so the
//! performance density is a range, and a rule it decides is `indeterminate`, naming the count.

use rust_decimal::Decimal;

use super::figures::Problem;
use super::product::{LogicDie, Product, ProductKind};
use crate::diagnostic::Code;

/// Most logic die area one integrated circuit may hold, in mm² (E0226): 70,685, the area of
/// one 300 mm wafer (π × 150² mm²; SEMI M1, the largest wafer in production: 450 mm wafers
/// never entered it). Every package is at most a wafer: the largest logic packages are the
/// wafer-level ones, Cerebras's WSE-3 (one wafer-scale die of 46,225 mm², Cerebras
/// 2024-03-13), Tesla's Dojo training tile (25 D1 dies of 645 mm² on TSMC InFO-SoW, 16,125 mm²,
/// Tesla AI Day 2021-08-19) and TSMC's SoW-X (up to 40 reticles of logic, TSMC North America
/// Technology Symposium 2025-04-23); the largest interposer packages, CoWoS-L, carry 3.3 to
/// 9.5 reticles (the B200's two 800 mm² dies; TSMC's roadmap of the same symposium). A larger
/// total is a die count or an area slipped (a count in the thousands, an area in µm²).
pub const MAX_PACKAGE_LOGIC_AREA_MM2: u32 = 70_685;

/// The total logic die area of a product (area × count over the dies whose area is given),
/// `None` when it overflows.
fn total_area(dies: &[LogicDie]) -> Option<Decimal> {
    dies.iter()
        .filter_map(|d| d.area_mm2.and_then(|a| a.checked_mul(Decimal::from(d.count))))
        .try_fold(Decimal::ZERO, Decimal::checked_add)
}

/// The problem with an integrated circuit whose logic dies total more than
/// [`MAX_PACKAGE_LOGIC_AREA_MM2`] (E0226), if any. A computer or board (kind `computer`) holds
/// several packages, and is not checked.
pub(crate) fn package_area(product: &Product) -> Option<Problem> {
    if product.kind != ProductKind::IntegratedCircuit {
        return None;
    }
    let limit = Decimal::from(MAX_PACKAGE_LOGIC_AREA_MM2);
    let area = total_area(&product.logic_dies).map_or(Some(None), |a| (a > limit).then_some(Some(a)))?;
    let shown = area.map_or_else(|| "more than 10^28".to_string(), |a| a.normalize().to_string());
    let mut p = Problem::new(
        Code::E0226,
        format!(
            "the logic dies total {shown} mm² (area × count), more than one 300 mm wafer ({MAX_PACKAGE_LOGIC_AREA_MM2} mm²), the most any package holds: a die count or an area slipped?"
        ),
    );
    p.help = Some(
        "write the area of ONE die in mm² (`area = 294.5`) and the number of identical dies in the package (`count = 2`); a board or system is `kind = \"computer\"` with `contains`"
            .into(),
    );
    Some(p)
}

/// Words that name a die after its count in a package text (`2 GPU dies`, `2 compute dies`,
/// `8 chiplets`, `4 tiles`), besides the die's own name.
const DIE_WORDS: [&str; 7] = ["DIE", "GPU", "CHIPLET", "COMPUTE", "TILE", "CHIP", "GCD"];

/// Whether `text` names `count` dies called `die` (or by a word of [`DIE_WORDS`]): the count
/// (digits, or `X2`/`2X`) followed by the die's name or such a word (`SXM module, 2 GPU dies`,
/// `OAM, 2 GCDs`, `8 XCD + 4 IOD`, `2 x GB100`), read as names are.
pub(crate) fn text_names_count(text: &str, die: Option<&str>, count: u32) -> bool {
    let text = crate::names::normalize_name(text);
    let words: Vec<&str> = text.split(' ').collect();
    let die = die.map(crate::names::normalize_name).unwrap_or_default();
    let die_word = die.split(' ').next().filter(|w| !w.is_empty());
    let n = count.to_string();
    let names_die = |w: &str| die_word.is_some_and(|d| w.starts_with(d)) || DIE_WORDS.iter().any(|d| w.starts_with(d));
    words.iter().enumerate().any(|(i, w)| {
        let (is_count, next) = if *w == n {
            (true, i + 1)
        } else {
            (w.strip_suffix('X').or_else(|| w.strip_prefix('X')).is_some_and(|c| c == n), i + 1)
        };
        let next = match words.get(next) {
            Some(&"X") if is_count => next + 1,
            _ => next,
        };
        is_count && words.get(next).is_some_and(|w| names_die(w))
    })
}

/// Why the count of a non-planar logic die above 1 is not taken as given where it decides the
/// performance density, or `None` when every such count is: the product is not a computer, a
/// die counted in the applicable area is listed more than once, and neither the transistor
/// count at its node's typical density ([`count_confirms_dies`]) nor the package or the name
/// naming the count ([`text_names_count`]) confirms it.
///
/// [`count_confirms_dies`]: super::transistor_count::count_confirms_dies
pub(crate) fn unconfirmed_die_count(product: &Product) -> Option<String> {
    if product.kind == ProductKind::Computer || super::transistor_count::count_confirms_dies(product) {
        return None;
    }
    let texts = [Some(product.name.as_str()), product.package.as_deref()];
    let unconfirmed: Vec<String> = product
        .logic_dies
        .iter()
        .filter(|d| d.count > 1 && d.non_planar == Some(true))
        .filter(|d| !texts.iter().flatten().any(|t| text_names_count(t, d.name.as_deref(), d.count)))
        .map(|d| match &d.name {
            Some(name) => format!("{} × `{}`", d.count, name.trim()),
            None => format!("{} identical dies", d.count),
        })
        .collect();
    (!unconfirmed.is_empty()).then(|| {
        format!(
            "{}: confirmed neither by a transistor count at the node's typical density nor by the package or the name naming the count; a count slipped divides the performance density, read as 1 die up to the count stated",
            unconfirmed.join(", ")
        )
    })
}

/// The applicable die area with every count that [`unconfirmed_die_count`] does not take read
/// as 1 (the least area the dies may have, the highest performance density), or `None` when
/// every count is taken (or the area is unknown).
pub(crate) fn least_applicable_area(product: &Product) -> Option<Decimal> {
    unconfirmed_die_count(product)?;
    let texts = [Some(product.name.as_str()), product.package.as_deref()];
    product.logic_dies.iter().filter(|d| d.non_planar == Some(true)).try_fold(Decimal::ZERO, |sum, d| {
        let named = texts.iter().flatten().any(|t| text_names_count(t, d.name.as_deref(), d.count));
        let count = if named { d.count } else { 1 };
        sum.checked_add(d.area_mm2?.checked_mul(Decimal::from(count))?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_texts_that_name_a_die_count() {
        // The catalog's packages with more than one die of a kind.
        assert!(text_names_count("SXM module, 2 GPU dies", Some("GB100"), 2));
        assert!(text_names_count("OAM, 2 GCDs", Some("GCD"), 2));
        assert!(text_names_count("OAM, 8 XCD + 4 IOD", Some("XCD"), 8));
        assert!(text_names_count("OAM, 8 XCD + 4 IOD", Some("IOD"), 4));
        assert!(text_names_count("module, 2 compute dies (reported)", None, 2));
        assert!(text_names_count("2 x GB100 on CoWoS-L", Some("GB100"), 2));
        assert!(text_names_count("2x GB100", Some("GB100"), 2));
        // A number that counts something else, or another count.
        assert!(!text_names_count("PCIe card (low profile)", Some("AD104"), 10));
        assert!(!text_names_count("PCIe 4.0 x16 card", Some("AD104"), 4));
        assert!(!text_names_count("PCIe 4.0 x16 card", Some("AD104"), 16));
        assert!(!text_names_count("OAM, 2 GCDs", Some("GCD"), 1));
        assert!(!text_names_count("SXM module, 8 HBM3 stacks", Some("GB100"), 8));
    }
}
