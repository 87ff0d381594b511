//! Product names that cannot identify a part (helper input14). The "is informed" letters and the
//! GP10 guidance name parts: NVIDIA's Form 10-Q for the quarter ended 2023-07-30 reports a
//! licence requirement "for a subset of A100 and H100 products destined to certain customers and
//! other regions, including some countries in the Middle East" (rules/us-ear/NOTES.md §11,
//! `is-informed/NVIDIA 2023 Middle East`, keyed by vendor and `name == "A100" or name ==
//! "H100"`). An A100 SXM4 80GB to Saudi Arabia on 2023-06-01 is held open by it
//! (indeterminate: the unpublished subset). Before this change the same sheet with its name
//! blanked (`""`, `"---"`) or written as a generic word was `no_license_required`: the name read
//! as "not an A100".

mod common;

use common::{line_of, requirement_ids, sheet_refusal};
use export_controls::Verdict;
use export_controls::diagnostic::Code;

const A100: &str = "rules/products/nvidia-a100-sxm4-80gb.toml";
const ME_LETTER: &str = "is-informed/NVIDIA 2023 Middle East";

/// The A100 SXM4 80GB sheet under another id, named `name`.
fn a100_named(name: &str) -> String {
    common::edited_sheet(A100, "x-renamed-a100", &[("name = \"A100 SXM4 80GB\"", &format!("name = \"{name}\""))])
}

/// The sheet as shipped is held open by the Middle East letter: the baseline the others are
/// compared with (a blanked or generic name must not do better).
#[test]
fn the_a100_named_so_is_held_open_by_the_middle_east_letter() {
    let d = common::sheet_determination(&a100_named("A100 SXM4 80GB"), "SA", "2023-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(requirement_ids(&d).contains(&ME_LETTER), "{:?}", requirement_ids(&d));
}

/// Item 2: a name with no letter or digit is refused at its line and column (E0524), from the
/// file and from code; built in code and prepared anyway, it is never cleared.
#[test]
fn a_name_without_a_letter_or_digit_is_refused() {
    for name in ["", "  ", "---", "\u{3000}", "·", "()"] {
        let text = a100_named(name);
        let line = line_of(&text, "name = ");
        assert_eq!(sheet_refusal(&text), [(Code::E0524, line, 8)], "{name:?}");
        let mut product = common::parse_sheet(&a100_named("A100 SXM4 80GB")).unwrap();
        product.name = name.to_string();
        let e = product.validate().unwrap_err();
        assert_eq!(e.0.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0524], "{name:?}: {e}");
        let rules = export_controls::RuleSet::shipped().unwrap();
        let pack = export_controls::CompiledPack::new(rules.clone());
        let prepared = export_controls::PreparedProduct::new(product);
        let d = common::determine_both(&rules, &pack, &prepared, &common::ordinary_query("SA", "2023-06-01", vec![]));
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name:?}");
    }
    // One letter or digit is a name (the check is not a judgement of the name itself).
    for name in ["H20", "A", "7", "Ascend"] {
        assert!(common::parse_sheet(&a100_named(name)).is_ok(), "{name}");
    }
}

/// Item 3: a generic name (a kind of part, an architecture, a brand, a die, a placeholder) is
/// not known not to be the A100: the Middle East letter holds the sheet open, naming the name
/// as the fact to give. Before: each was `no_license_required`.
#[test]
fn a_generic_name_does_not_clear_a_letter_naming_the_part() {
    for name in ["GPU", "Accelerator", "TBD", "Ampere", "GA100", "Hopper", "GH100", "Blackwell", "NVIDIA GPU 80GB"] {
        let d = common::sheet_determination(&a100_named(name), "SA", "2023-06-01");
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name}: {:?}", d.missing);
        assert!(requirement_ids(&d).contains(&ME_LETTER), "{name}: {:?}", requirement_ids(&d));
        assert!(
            d.missing.iter().any(|m| m.starts_with(&format!("name (\"{name}\" identifies no part"))),
            "{name}: {:?}",
            d.missing
        );
    }
    // Another part's name still rules the letter out: the V100 is not named by it.
    let d = common::sheet_determination(&a100_named("V100 SXM2 32GB"), "SA", "2023-06-01");
    assert!(!requirement_ids(&d).contains(&ME_LETTER), "{:?}", requirement_ids(&d));
}
