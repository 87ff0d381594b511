//! The logic dies' count and total area against what one package can hold and against the
//! rest of the sheet.
//!
//! The performance density of 3A090 is the TPP divided by the applicable die area, the sum of
//! the non-planar logic dies' areas (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Notes; 88
//! FR 73458), and each die's area is counted `count` times. A count slipped (the L4's one
//! AD104 written `count = 10`) divides the density by the same factor and took the L4 out of
//! 3A090.a.2 (tester round 8, T2a; round 9, U5). Two facts of a sheet can confirm a count: a
//! transistor count, at the typical density of its node over the dies as counted where the node
//! is read ([`count_confirms_dies`](super::transistor_count::count_confirms_dies)), or the package or
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

/// Words that name a die after its count in a package text (`2 compute dies`, `8 chiplets`,
/// `4 tiles`, `2 GCDs`), besides the die's own name; `GPU` only before `die` (`2 GPU dies`: an
/// `8-GPU board` counts modules, not dies).
const DIE_WORDS: [&str; 6] = ["DIE", "CHIPLET", "COMPUTE", "TILE", "GCD", "XCD"];

/// The die counts a package text or name gives: each count (digits, or `2X`/`X2`) followed,
/// after an optional `x`, by a word (read as names are), with the word after it.
fn counts_in(text: &str) -> Vec<(u32, String, String)> {
    let text = crate::names::normalize_name(text);
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let digits = w.strip_suffix('X').or_else(|| w.strip_prefix('X')).unwrap_or(w);
        let Ok(n) = digits.parse::<u32>() else { continue };
        let at = if words.get(i + 1) == Some(&"X") { i + 2 } else { i + 1 };
        if let Some(word) = words.get(at) {
            out.push((n, (*word).to_string(), words.get(at + 1).copied().unwrap_or_default().to_string()));
        }
    }
    out
}

/// Whether `word` (followed by `next`) names a die in general ([`DIE_WORDS`], `GPU die`).
fn generic_die_word(word: &str, next: &str) -> bool {
    DIE_WORDS.iter().any(|d| word.starts_with(d)) || (word.starts_with("GPU") && next.starts_with("DIE"))
}

/// Whether `word` names the die called `die` (the first word of its name, read as names are).
fn names_die(word: &str, die: Option<&str>) -> bool {
    let die = die.map(crate::names::normalize_name).unwrap_or_default();
    die.split(' ').next().is_some_and(|d| !d.is_empty() && word.starts_with(d))
}

/// Whether `text` names `count` dies called `die` or by a general die word: `SXM module, 2 GPU
/// dies`, `OAM, 2 GCDs`, `8 XCD + 4 IOD`, `2 x GB100`.
pub(crate) fn text_names_count(text: &str, die: Option<&str>, count: u32) -> bool {
    counts_in(text).iter().any(|(n, w, next)| *n == count && (names_die(w, die) || generic_die_word(w, next)))
}

/// The problem with a package or name that names more logic dies than the sheet lists, if any
/// (E0227): a count followed by a listed die's name above that die's `count` (`OAM, 2 GCDs`
/// beside one `GCD`), or by a general die word above all the dies' counts together. Figures
/// copied from a die-level source (the MI250X as one of its two GCDs: tester round 9, U2)
/// halve the transistor count and the die area together, which no density check sees.
pub(crate) fn more_dies_named(product: &Product) -> Option<Problem> {
    let dies = &product.logic_dies;
    if product.kind != ProductKind::IntegratedCircuit || dies.is_empty() {
        return None;
    }
    let total: u64 = dies.iter().map(|d| u64::from(d.count)).sum();
    let texts = [Some(product.name.as_str()), product.package.as_deref()];
    for text in texts.into_iter().flatten() {
        for (n, word, next) in counts_in(text) {
            let listed = match dies.iter().find(|d| names_die(&word, d.name.as_deref())) {
                Some(d) => u64::from(d.count),
                None if generic_die_word(&word, &next) => total,
                None => continue,
            };
            if u64::from(n) > listed {
                let mut p = Problem::new(
                    Code::E0227,
                    format!(
                        "`{}` names {n} dies ({n} {word}), but [[logic_die]] lists {listed}: figures of one die for a package of several? the transistor count and the area are the package's (15 CFR 772.1: the aggregated count over every die)",
                        text.trim()
                    ),
                );
                p.help = Some(
                    "list every logic die of the package with its `count` (`count = 2` for two identical dies) and give the package's aggregate transistor count".into(),
                );
                return Some(p);
            }
        }
    }
    None
}

/// Words that name the dies of one package after a count in a computer's name or package
/// (`2 dies`, `8 chiplets`, `2 GCDs`, `8 XCD`); `GPU`, `compute` and `logic` only before
/// `die` (`2 compute dies`, `2 GPU dies`): unlike an IC's package text ([`DIE_WORDS`]), a
/// system's names its parts (`18 compute trays`, `8-GPU board`, a Dojo cabinet's training
/// tiles), which are separate packages.
const PACKAGE_DIE_WORDS: [&str; 4] = ["DIE", "CHIPLET", "GCD", "XCD"];

/// Whether `word` (followed by `next`) names dies of one package in a computer's text.
fn names_dies_of_one_package(word: &str, next: &str) -> bool {
    PACKAGE_DIE_WORDS.iter().any(|d| word.starts_with(d))
        || (["GPU", "COMPUTE", "LOGIC"].contains(&word) && next.starts_with("DIE"))
}

/// The problem with a computer or board whose name or package counts two or more dies, if
/// any (E0528): dies are the parts of one package, one integrated circuit whose figures add
/// up (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Notes), so the sheet describes one IC as a
/// system, and its `contains` would be read as separately packaged ICs, each on its own under
/// the pack's per-IC reading (tester16 F1: `OAM module, 2 compute dies` holding two H20-class
/// dies, TPP 4,736 together, 3A090.b, was cleared to China as two ICs of TPP 2,368).
pub(crate) fn computer_names_dies(product: &Product) -> Option<Problem> {
    if product.kind != ProductKind::Computer {
        return None;
    }
    let texts = [Some(product.name.as_str()), product.package.as_deref()];
    for text in texts.into_iter().flatten() {
        if let Some((n, word, _)) =
            counts_in(text).into_iter().find(|(n, w, next)| *n >= 2 && names_dies_of_one_package(w, next))
        {
            let mut p = Problem::new(
                Code::E0528,
                format!(
                    "`{}` names {n} dies ({n} {word}) of a computer or board: dies are the parts of one package, one integrated circuit whose TPP and performance density add up over them (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Notes), not separately packaged ICs that a system holds",
                    crate::model::shown_name(text.trim())
                ),
            );
            p.help = Some(
                "give the package as `kind = \"integrated_circuit\"` with its rates and every die in [[logic_die]] (`count = 2`); a system's sheet lists the separately packaged ICs it holds, their dies in their own sheets".into(),
            );
            return Some(p);
        }
    }
    None
}

/// Why the count of a non-planar logic die above 1 is not taken as given where it decides the
/// performance density, or `None` when every such count is: the product is not a computer, a
/// die counted in the applicable area is listed more than once, and neither a transistor
/// count (at its node's typical density where the node is read: [`count_confirms_dies`]) nor the package or the name
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
            "{}: confirmed neither by a transistor count (at the node's typical density) nor by the package or the name naming the count; a count slipped divides the performance density, read as 1 die up to the count stated",
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
        assert!(!text_names_count("SXM module (HGX 8-GPU board)", Some("GH100"), 8));
    }

    #[test]
    fn a_package_naming_more_dies_than_listed() {
        let mut p = Product::blank("x", "Instinct MI250X", ProductKind::IntegratedCircuit);
        p.package = Some("OAM, 2 GCDs".into());
        p.logic_dies = vec![LogicDie {
            name: Some("GCD".into()),
            area_mm2: Some(Decimal::from(724)),
            count: 1,
            non_planar: Some(true),
            at_or_below_16_14nm: Some(true),
            wafer_scale: false,
        }];
        let problem = more_dies_named(&p).unwrap();
        assert_eq!(problem.code, Code::E0227);
        assert!(
            problem.message.starts_with("`OAM, 2 GCDs` names 2 dies (2 GCDS), but [[logic_die]] lists 1"),
            "{}",
            problem.message
        );
        p.logic_dies[0].count = 2;
        assert!(more_dies_named(&p).is_none());
        // A die word counts every die listed; a word naming no die, or an 8-GPU board, nothing.
        p.package = Some("module, 3 compute dies".into());
        assert_eq!(more_dies_named(&p).map(|p| p.code), Some(Code::E0227));
        for package in ["OAM, 2 GCDs + 4 IOD", "SXM module (HGX 8-GPU board)", "8-high HBM3 stacks"] {
            p.package = Some(package.into());
            assert!(more_dies_named(&p).is_none(), "{package}");
        }
    }
}
