//! Whether a rate list stated complete is taken as complete (tester round 11, W4). TPP is the
//! maximum over every bit length the part supports (15 CFR 774 Supp. No. 1, ECCN 3A090,
//! Technical Note 2), and the parts designed for AI compute fastest at 16 bits or fewer: the
//! H100 SXM5's 1,979 dense FP8 TFLOPS (TPP 15,832) against its 67 FP32 TFLOPS (2,144). A list
//! marked `complete = true` with FP64/FP32 rates alone, for a part that shows it is built for
//! AI, gives a TPP far below the part's, and would clear it of 3A090.

use rust_decimal::Decimal;

use super::figures::is_stated_hbm;
use super::product::{Precision, ProcessingUnit, Product};

/// The precisions whose rates only tensor or matrix units give: a unit that has them computes
/// at 16 bits too (NVIDIA's tensor cores since Volta, AMD's matrix cores since CDNA: FP16).
const TENSOR_PRECISIONS: [Precision; 4] =
    [Precision::Tf32, Precision::Fp64Tensor, Precision::Fp64Matrix, Precision::Fp32Matrix];

/// Why the rate list of `unit`, stated complete, is not taken as complete in `product`, or
/// `None` when it is (or is not stated complete).
///
/// Doubted when the list has no rate of 16 bits or fewer, some precision of 16 bits or fewer
/// is neither rated nor named in `unsupported`, and the part shows a design for AI: stated
/// `designed_or_marketed_for_datacenter = true`, a memory stated to be HBM, or a rate of a
/// tensor or matrix precision (TF32, FP64 tensor, FP64/FP32 matrix); or may show it: the
/// datacenter flag not stated (hunt13: stating `true` doubted the list, leaving the flag out
/// took it as exact, so hiding a fact cleared what the complete facts left open). The TPP is
/// then a lower bound (`at least`), and a rule a higher TPP could change is `indeterminate`,
/// naming the list. A part that really computes at 32 and 64 bits alone (NEC's SX-Aurora vector engine)
/// says so by naming the 16-, 8-, 6- and 4-bit precisions in `unsupported`.
pub fn complete_rates_doubted(product: &Product, unit: &ProcessingUnit) -> Option<String> {
    if !unit.complete || unit.rates.is_empty() || unit.rates.iter().any(|r| r.precision.bits() <= 16) {
        return None;
    }
    let open: Vec<&str> =
        Precision::ALL.iter().filter(|p| p.bits() <= 16 && !unit.unsupported.contains(p)).map(|p| p.as_str()).collect();
    if open.is_empty() {
        return None;
    }
    let sign = if product.designed_or_marketed_for_datacenter == Some(true) {
        "designed for AI (`designed_or_marketed_for_datacenter = true`)"
    } else if product.memory.as_ref().is_some_and(is_stated_hbm) {
        "designed for AI (HBM memory)"
    } else if let Some(r) = unit.rates.iter().find(|r| TENSOR_PRECISIONS.contains(&r.precision)) {
        if r.precision == Precision::Tf32 {
            "designed for AI (a TF32 (tensor) rate)"
        } else {
            "designed for AI (a tensor or matrix rate)"
        }
    } else if product.designed_or_marketed_for_datacenter.is_none() {
        "that may be designed for AI (`designed_or_marketed_for_datacenter` not stated)"
    } else {
        return None;
    };
    Some(format!(
        "stated complete with rates of 32 and 64 bits only, for a part {sign}, which computes at 16 bits or fewer: the rates of {} are missing (TPP is the maximum over every bit length, 3A090 Technical Note 2); give them, or name those the part lacks in `unsupported`",
        open.join(", ")
    ))
}

/// Whether the rates of `unit` give its TPP exactly in `product`: its list is complete
/// ([`ProcessingUnit::rates_complete`]) and not doubted ([`complete_rates_doubted`]).
pub fn rates_exact(product: &Product, unit: &ProcessingUnit) -> bool {
    unit.rates_complete() && complete_rates_doubted(product, unit).is_none()
}

/// The TPP of `product` when its rates give it exactly (every rate list complete, no higher
/// `tpp_reported`): Σ over processing units of max over precisions of TOPS × bit length, as
/// [`crate::Metrics`] computes it. `None` otherwise (a lower bound decides no TPP rule
/// against the product, so it needs no check).
pub(crate) fn exact_tpp(product: &Product) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for unit in &product.processing_units {
        if !rates_exact(product, unit) {
            return None;
        }
        let best = unit.rates.iter().filter_map(|r| r.tops.checked_mul(Decimal::from(r.precision.bits()))).max()?;
        total = total.checked_add(best)?;
    }
    let stated_higher = product.tpp_reported.is_some_and(|r| r > total);
    (!product.processing_units.is_empty() && !stated_higher && total > Decimal::ZERO).then_some(total)
}
