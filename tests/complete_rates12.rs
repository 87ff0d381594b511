//! W4 (tester round 11): a rate list marked `complete = true` holding FP64/FP32 rates alone,
//! for a part designed for AI. TPP is the maximum over every bit length the part supports
//! (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Note 2: "TPP = 2 × MacTOPS × bit length",
//! the maximum over the operations the IC performs); the H100 SXM5's sheet (NVIDIA H100
//! datasheet) gives 1,978.9 dense FP8 TFLOPS, TPP 15,831, against 67 FP32 TFLOPS (2,144) and
//! 34 FP64 (2,176). Its FP64/FP32 rates alone would put it under every 3A090 band (3A090.a:
//! TPP 4,800, or 1,600 with a performance density of 5.92; 88 FR 73458) and clear it to China.
//! Such a list is not taken as complete: the TPP is "at least" the rates' figure, and the
//! determination is open, naming the missing rates. A part that really lacks them says so in
//! `unsupported`.

mod common;

use common::{edited_sheet, parse_sheet, sheet_determination};
use export_controls::metrics::TppBound;
use export_controls::{Metrics, Verdict};
use rust_decimal::Decimal;

const H100: &str = "rules/products/nvidia-h100-sxm5-80gb.toml";

/// The shipped H100 SXM5 sheet, renamed (a catalog part's name is compared with the catalog),
/// with its 16- and 8-bit rates (and the FP64 tensor and TF32 rates) removed, still marked
/// complete, and `extra` written after `complete = true`.
fn fp64_fp32_only(extra: &str) -> String {
    edited_sheet(
        H100,
        "example-ai-accelerator",
        &[
            ("name = \"H100 SXM5 80GB\"", "name = \"Example AI accelerator\""),
            ("vendor = \"NVIDIA\"", "vendor = \"Example Semiconductor\""),
            ("tpp_reported = 15832", "# tpp_reported left out"),
            ("complete = true ", &format!("complete = true\n{extra}\n#")),
            ("fp64_tensor = 67\n", ""),
            ("tf32 = 494.7\n", ""),
            ("bf16 = 989.4\n", ""),
            ("fp16 = 989.4\n", ""),
            ("fp8 = 1978.9\n", ""),
            ("int8 = 1978.9\n", ""),
        ],
    )
}

/// To China on 2025-06-01 the part is not cleared: its TPP is at least 2,176 (FP64 34 × 64),
/// a lower bound, and the missing data names the rate list and the missing precisions.
#[test]
fn a_complete_list_of_fp64_and_fp32_for_an_ai_part_is_not_taken_as_complete() {
    let text = fp64_fp32_only("");
    let m = Metrics::of(&parse_sheet(&text).unwrap());
    assert_eq!(m.tpp, Some(Decimal::from(2176)));
    assert_eq!(m.tpp_bound, TppBound::AtLeast);
    for to in ["CN", "VN"] {
        let d = sheet_determination(&text, to, "2025-06-01");
        assert_eq!(d.verdict, Verdict::Indeterminate, "{to}: {:?}", d.requirements);
        let dense = d.missing.iter().find(|m| m.starts_with("dense_tops")).expect("dense_tops named");
        assert!(dense.contains("fp8") && dense.contains("fp16") && dense.contains("int8"), "{dense}");
    }
}

/// The signs of a design for AI, one at a time: HBM memory alone, and a TF32 (tensor) rate
/// alone, on a part not stated to be for the datacenter.
#[test]
fn hbm_or_a_tensor_rate_alone_marks_the_part_as_designed_for_ai() {
    let not_datacenter = |t: String| {
        t.replace("designed_or_marketed_for_datacenter = true", "designed_or_marketed_for_datacenter = false")
    };
    let hbm = not_datacenter(fp64_fp32_only(""));
    assert_eq!(Metrics::of(&parse_sheet(&hbm).unwrap()).tpp_bound, TppBound::AtLeast, "HBM");
    let tensor = not_datacenter(fp64_fp32_only("tf32 = 494.70"))
        .replace("kind = \"HBM3\"", "kind = \"GDDR6\"")
        .replace("hbm = true", "hbm = false");
    let m = Metrics::of(&parse_sheet(&tensor).unwrap());
    // TF32 494.7 × 32 = 15,830.4: a lower bound still (the FP8 rate is 15,831.2).
    assert_eq!((m.tpp, m.tpp_bound), (Some(Decimal::new(158304, 1)), TppBound::AtLeast), "TF32");
    // The same list on a part with no such sign (GDDR, not for the datacenter, no tensor rate)
    // is taken as stated: 2,176 exactly.
    let plain = not_datacenter(fp64_fp32_only(""))
        .replace("kind = \"HBM3\"", "kind = \"GDDR6\"")
        .replace("hbm = true", "hbm = false");
    let m = Metrics::of(&parse_sheet(&plain).unwrap());
    assert_eq!((m.tpp, m.tpp_bound), (Some(Decimal::from(2176)), TppBound::Exact));
}

/// A part that computes at 32 and 64 bits alone says so: with every precision of 16 bits or
/// fewer in `unsupported`, the list is complete and the TPP exact (2,176).
#[test]
fn naming_the_low_precisions_unsupported_makes_the_list_complete() {
    let all_low = r#"unsupported = ["bf16", "fp16", "int16", "fp8", "int8", "fp6", "fp4", "int4"]"#;
    let m = Metrics::of(&parse_sheet(&fp64_fp32_only(all_low)).unwrap());
    assert_eq!((m.tpp, m.tpp_bound), (Some(Decimal::from(2176)), TppBound::Exact));
    // One left out (int8) keeps the doubt.
    let one_open = r#"unsupported = ["bf16", "fp16", "int16", "fp8", "fp6", "fp4", "int4"]"#;
    let m = Metrics::of(&parse_sheet(&fp64_fp32_only(one_open)).unwrap());
    assert_eq!(m.tpp_bound, TppBound::AtLeast);
}

/// The shipped H100 sheet, with its 8-bit rates, is untouched: TPP 15,831.2 from its rates,
/// up to its published 15,832 (the rates are complete; only the rounding gap is open).
#[test]
fn the_shipped_h100_keeps_its_tpp() {
    let m = Metrics::of(&parse_sheet(&common::read(H100)).unwrap());
    assert_eq!((m.tpp, m.tpp_bound), (Some(Decimal::new(158312, 1)), TppBound::UpTo(Decimal::from(15832))));
}
