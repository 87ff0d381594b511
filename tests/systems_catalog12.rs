//! A user's sheet of a computer or board that takes a catalog system's vendor and name (tester
//! round 11): compared with the catalog's system as an IC sheet is (tester round 9, U8), by its
//! contents and by its figures. The catalog's HGX H200 8-GPU board holds eight H200 SXM 141GB
//! (NVIDIA HGX page; rules/products/nvidia-hgx-h200.toml), each 3A090.a (TPP 15,832 ≥ 4,800;
//! 15 CFR 774 Supp. No. 1, 88 FR 73458), so the board is 4A090.a and needs a licence to Vietnam
//! (D:1, not A:5/A:6: 742.6(a)(6)(iii)). A sheet of that name holding eight A10s (no 3A090
//! paragraph) was cleared; which contents hold is not known, so the determination is open,
//! naming both. The same contents under another id answer as the catalog's board.

mod common;

use common::{determine_both, ordinary_query, requirement_ids};
use export_controls::ruleset::SourceFile;
use export_controls::{Catalog, CompiledPack, Determination, RuleSet, Verdict};

fn board(contains: &str) -> String {
    format!(
        "id = \"my-hgx-board\"\nname = \"HGX H200 8-GPU board\"\nvendor = \"NVIDIA\"\nkind = \"computer\"\n\
         designed_or_marketed_for_datacenter = true\ncommercially_available_in_us = true\n\
         contains = [{{ product = \"{contains}\", count = 8 }}]\n"
    )
}

fn to_vietnam(text: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let p = catalog.prepare_sheet(&SourceFile::new("board.toml", text)).unwrap();
    determine_both(&rules, &CompiledPack::new(rules.clone()), &p, &ordinary_query("VN", "2025-06-01", Vec::new()))
}

#[test]
fn a_board_named_as_the_catalogs_with_other_contents_is_left_open() {
    let d = to_vietnam(&board("nvidia-a10"));
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.requirements);
    assert!(
        d.missing.iter().any(|m| m.starts_with(
            "contains (the sheet gives 8 x nvidia-a10, the catalog's HGX H200 8-GPU board `nvidia-hgx-h200` gives 8 x nvidia-h200-sxm-141gb"
        )),
        "{:?}",
        d.missing
    );
    assert!(
        d.warnings.iter().any(|w| w.contains("takes the name and vendor of the catalog's HGX H200")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn the_catalogs_contents_under_another_id_answer_as_the_catalog_board() {
    let d = to_vietnam(&board("nvidia-h200-sxm-141gb"));
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
    assert_eq!(requirement_ids(&d), ["742.6(a)(6)(iii)"]);
    assert!(!d.warnings.iter().any(|w| w.contains("takes the name and vendor")), "{:?}", d.warnings);
}
