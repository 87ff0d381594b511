//! W4's doubt on a rate list stated complete with FP64/FP32 rates alone (tester round 11;
//! src/model/complete_rates.rs), with the datacenter flag not stated (hunt13). TPP is the
//! maximum over every bit length the part supports (15 CFR 774 Supp. No. 1, ECCN 3A090,
//! Technical Note 2). Stating `designed_or_marketed_for_datacenter = true` doubts such a list
//! (a part designed for AI computes at 16 bits or fewer); before, leaving the flag out took the
//! list as exact, so hiding the flag cleared what the stated flag left open. The H100 SXM5's
//! FP64/FP32 rates alone give TPP 2,176, under every 3A090 band (3A090.a: TPP 4,800, or 1,600
//! with a performance density of 5.92; 3A090.b: 2,400; 88 FR 73458), its real TPP 15,832.

mod common;

use common::{edited_sheet, parse_sheet, sheet_determination};
use export_controls::metrics::TppBound;
use export_controls::{Metrics, Verdict};
use rust_decimal::Decimal;

const H100: &str = "rules/products/nvidia-h100-sxm5-80gb.toml";

/// The H100 SXM5 sheet renamed, with its rates of 16 bits or fewer (and the tensor rates)
/// removed, still marked complete, on GDDR memory (no HBM sign); `flag` replaces its
/// datacenter line.
fn fp64_fp32_only(flag: &str) -> String {
    edited_sheet(
        H100,
        "example-ai-accelerator",
        &[
            ("name = \"H100 SXM5 80GB\"", "name = \"Example AI accelerator\""),
            ("vendor = \"NVIDIA\"", "vendor = \"Example Semiconductor\""),
            ("tpp_reported = 15832", "# tpp_reported left out"),
            ("fp64_tensor = 67\n", ""),
            ("tf32 = 494.7\n", ""),
            ("bf16 = 989.4\n", ""),
            ("fp16 = 989.4\n", ""),
            ("fp8 = 1978.9\n", ""),
            ("int8 = 1978.9\n", ""),
            ("kind = \"HBM3\"", "kind = \"GDDR6\""),
            ("hbm = true", "hbm = false"),
            ("designed_or_marketed_for_datacenter = true", flag),
        ],
    )
}

/// The flag not stated doubts the list as `true` does: TPP at least 2,176, open to China,
/// naming the missing rates. Stated `false`, the list is taken as stated (2,176 exactly).
#[test]
fn a_complete_list_of_fp64_and_fp32_without_the_datacenter_flag_is_a_lower_bound() {
    for flag in ["designed_or_marketed_for_datacenter = true", "# the datacenter flag not stated"] {
        let sheet = fp64_fp32_only(flag);
        let m = Metrics::of(&parse_sheet(&sheet).unwrap());
        assert_eq!((m.tpp, m.tpp_bound), (Some(Decimal::from(2176)), TppBound::AtLeast), "{flag}");
        let d = sheet_determination(&sheet, "CN", "2025-06-01");
        assert_eq!(d.verdict, Verdict::Indeterminate, "{flag}: {:?}", d.missing);
        let dense = d.missing.iter().find(|m| m.contains("dense_tops")).expect("the rate list named");
        assert!(dense.contains("fp8") && dense.contains("int8"), "{dense}");
    }
    let m = Metrics::of(&parse_sheet(&fp64_fp32_only("designed_or_marketed_for_datacenter = false")).unwrap());
    assert_eq!((m.tpp, m.tpp_bound), (Some(Decimal::from(2176)), TppBound::Exact));
}
