//! The "is informed" letters of April 2025 name parts as well as figures (tester round 9, U9):
//! NVIDIA was told a licence is required "to export the H20" and any circuit achieving its
//! memory bandwidth, interconnect bandwidth or both (NVIDIA Form 8-K, 2025-04-15); AMD, the
//! MI308 (AMD Form 8-K, event 2025-04-15); rules/us-ear/NOTES.md §11. A sheet of the H20 itself,
//! "HGX H20 96GB (China)", with its memory bandwidth written per stack (667 GB/s: 4.0 TB/s over
//! six HBM3 stacks) and its interconnect as the data sheet prints NVLink alone (900 GB/s), and
//! the capacity left out, cleared to CN. The rules now read the name word by word
//! (`name == "H20"`), and an HBM3 memory below two stacks (1,024 GB/s, JESD238) on a
//! datacenter processor of TPP 1,000 or more is read as unknown.

mod common;

use common::requirement_ids;
use export_controls::{Determination, Verdict};

const U9: &str = "tests/fixtures/bandwidth-conventions/u9-h20-memory-per-stack-nvlink-only.toml";

/// The sheet's determination for China on 2025-06-01 (the letters of April 2025 in force).
fn to_china(text: &str) -> Determination {
    common::sheet_determination(text, "CN", "2025-06-01")
}

#[test]
fn u9_a_sheet_of_the_h20_named_so_needs_the_h20_licence_whatever_its_figures() {
    let d = to_china(&common::read(U9));
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?} {:?}", requirement_ids(&d), d.missing);
    assert!(requirement_ids(&d).contains(&"is-informed/H20"), "{:?}", requirement_ids(&d));
}

#[test]
fn u9_renamed_its_hbm3_below_two_stacks_is_left_open() {
    // Not named H20: 667 GB/s of HBM3 on a datacenter processor of TPP 2,368 is one stack's
    // figure, not taken; the letter can be neither met nor ruled out.
    let text = common::read(U9).replace("name = \"HGX H20 96GB (China)\"", "name = \"HGX accelerator 96GB\"");
    let d = to_china(&text);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?} {:?}", requirement_ids(&d), d.missing);
    assert!(requirement_ids(&d).contains(&"is-informed/H20"), "{:?}", requirement_ids(&d));
    assert!(
        d.missing.iter().any(|m| m.starts_with("memory_bandwidth (667 GB/s is below 2 HBM3 stacks, 1024 GB/s")),
        "{:?}",
        d.missing
    );
}

#[test]
fn a_name_is_read_word_by_word_so_an_h200_is_not_named_h20() {
    // Named H200, with figures below every clause of the letter (3,000 GB/s of HBM3 taken as
    // stated, 900 GB/s of interconnect, 3,900 together): the H20 letter does not reach it, and
    // at TPP 2,368 and performance density 2.91 it is outside 3A090 (15 CFR 774 Supp. No. 1).
    // (Above the lower line reported for the letter, 1,400 GB/s, it is held open by
    // `is-informed/H20 (reported thresholds)`, pack 0.1.36: not by the name.)
    let text = common::read(U9)
        .replace("name = \"HGX H20 96GB (China)\"", "name = \"HGX H200 96GB\"")
        .replace("bandwidth = 667 ", "bandwidth = 3000 ");
    let d = to_china(&text);
    let ids = requirement_ids(&d);
    assert!(!ids.iter().any(|id| *id == "is-informed/H20" || *id == "is-informed/H20 (headquarters)"), "{ids:?}");
    assert!(ids.contains(&"is-informed/H20 (reported thresholds)"), "{ids:?}");
    // Named `H20` in other case and punctuation, it is.
    let named = text.replace("name = \"HGX H200 96GB\"", "name = \"nvidia-h20 (china)\"");
    let d = to_china(&named);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?} {:?}", requirement_ids(&d), d.missing);
    assert!(requirement_ids(&d).contains(&"is-informed/H20"), "{:?}", requirement_ids(&d));
}

#[test]
fn an_amd_part_named_mi308x_needs_the_mi308_licence_whatever_its_figures() {
    let text = common::read(U9)
        .replace("vendor = \"NVIDIA\"", "vendor = \"AMD\"")
        .replace("name = \"HGX H20 96GB (China)\"", "name = \"Instinct MI308X\"")
        .replace("package = \"SXM module (HGX 8-GPU board)\"", "package = \"OAM\"")
        .replace("bandwidth = 667 ", "bandwidth = 3000 ");
    let d = to_china(&text);
    assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?} {:?}", requirement_ids(&d), d.missing);
    assert!(requirement_ids(&d).contains(&"is-informed/MI308"), "{:?}", requirement_ids(&d));
}
