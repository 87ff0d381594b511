//! What the checks of a product's figures share: the figure a message is about, the problem a
//! check finds before it is placed in a file or a field, and the readers of the figures that
//! several checks read (the exact TPP, whether a memory is stated to be HBM). The checks
//! themselves are in [`validate`](super::validate) and [`plausible`](super::plausible).

use rust_decimal::Decimal;

use super::product::{LogicDie, Memory, Product, ProductKind};
use crate::diagnostic::{Code, Diagnostic, Site};

/// A figure of a product, for the messages about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Figure {
    Rate,
    DieArea,
    StackArea,
    InterconnectBandwidth,
    MemoryBandwidth,
    MemoryCapacity,
    Transistors,
    TppReported,
}

impl Figure {
    pub(crate) fn what(self) -> &'static str {
        match self {
            Figure::Rate => "a rate",
            Figure::DieArea => "a die area",
            Figure::StackArea => "a stack area",
            Figure::InterconnectBandwidth => "an interconnect bandwidth",
            Figure::MemoryBandwidth => "a memory bandwidth",
            Figure::MemoryCapacity => "a memory capacity",
            Figure::Transistors => "a transistor count",
            Figure::TppReported => "a reported TPP",
        }
    }
}

/// One problem with a product, before it is placed in a file or a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Problem { code, message: message.into(), help: None }
    }

    /// The diagnostic at `site`.
    pub(crate) fn at(self, site: &Site) -> Diagnostic {
        site.diagnostic(self.code, self.message).with_help_opt(self.help)
    }
}

/// Whether a `[memory]` kind names high-bandwidth memory (`HBM`, `HBM2E`, `hbm3e`, `3E-HBM`,
/// `H.B.M.3E`, `ＨＢＭ3E`, `High Bandwidth Memory 3E`, `HighBandwidthMemory`, ...): its letters
/// and digits, after NFKC and in upper case (punctuation, spaces and invisible characters
/// dropped), hold `HBM` or `HIGHBANDWIDTHMEMORY` anywhere. Only a kind beginning with the
/// letters `HBM` was read as HBM, so `hbm = false` beside `High Bandwidth Memory 3E` took an
/// HBM3E stack out of 3A090.c (tester round 6, S4).
pub(crate) fn names_hbm(kind: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let letters: String = kind.nfkc().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect();
    letters.contains("HBM") || letters.contains("HIGHBANDWIDTHMEMORY")
}

/// Least memory bandwidth of high-bandwidth memory, in GB/s (E0232): one HBM stack. JEDEC's
/// first HBM standard (JESD235, 2013) gives a stack a 1,024-bit interface at 1 Gb/s per pin,
/// 1,024 × 1 Gb/s ÷ 8 = 128 GB/s, and every later generation is faster per pin (HBM2,
/// JESD235A: 2 Gb/s, 256 GB/s; HBM3, JESD238: 6.4 Gb/s, 819 GB/s; HBM3E stacks about
/// 1.2 TB/s). An HBM memory of less than one stack's bandwidth is a figure written in TB/s (the
/// H20's 4.0 TB/s as `4.0`), which would escape the "is informed" letters keyed to memory
/// bandwidth (rules/us-ear/NOTES.md §11) and, for a stand-alone stack, 3A090.c: BIS stated
/// that every HBM stack in production exceeds 2 GB/s per mm² (89 FR 96790).
pub const MIN_HBM_BANDWIDTH_GBPS: u32 = 128;

/// Whether a `[memory]` is stated to be high-bandwidth memory: `hbm = true`, or a kind that
/// names HBM.
pub(crate) fn is_stated_hbm(m: &Memory) -> bool {
    m.hbm == Some(true) || m.kind.as_deref().is_some_and(names_hbm)
}

/// The logic area, in mm², of a product whose every logic die is stated planar and above the
/// 16/14 nm node (`non_planar = false`, `at_or_below_16_14nm = false`): the sum of area × count,
/// every area known. `None` when there is no die, one is not so stated, an area is unknown, or
/// the sum overflows. Read by E0233 (a transistor count no such die reaches) and by the doubt
/// on those flags beside a performance density no such die reaches (tester round 9, U7b).
pub(crate) fn legacy_planar_area(dies: &[LogicDie]) -> Option<Decimal> {
    let legacy = |d: &LogicDie| d.non_planar == Some(false) && d.at_or_below_16_14nm == Some(false);
    if dies.is_empty() || !dies.iter().all(legacy) {
        return None;
    }
    dies.iter()
        .map(|d| d.area_mm2.and_then(|a| a.checked_mul(Decimal::from(d.count))))
        .try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a?))
}

/// TPP from which a datacenter integrated circuit with high-bandwidth memory is held to a
/// module's interconnect floor (E0225) unless its sheet states `form_factor = "pcie_card"`, and
/// to two HBM stacks' memory bandwidth (read as unknown below it,
/// `hbm_below_two_stacks` (plausible.rs)): 1,000. Module-ness is
/// decided by these figures, not by a word of `package` (tester round 9, U4: an H20 with its
/// bandwidths slipped tenfold and `package = "8-GPU baseboard, PCIe Gen5 x16 host link"`, or
/// no package, escaped the module floor and cleared to CN). Every datacenter HBM processor in
/// rules/products has a TPP of at least 2,368 (H20) and an interconnect of at least 392 GB/s
/// (Ascend 910B), the PCIe cards among them included (NVLink bridges: A100 PCIe 664, A800 PCIe
/// 464, H100 PCIe 728), so none is refused by it; a PCIe card with HBM and no bridge (NVIDIA
/// Tesla V100 PCIe: PCIe 3.0 x16 only, 32 GB/s both ways, 112 TFLOPS FP16 tensor, TPP 1,792:
/// NVIDIA V100 data sheet) states its form. The HBM vector processors with the least compute,
/// NEC SX-Aurora (TPP 157) and Fujitsu A64FX (about 173), are below it.
pub const MODULE_TPP: u32 = 1000;

/// Whether `product` is an integrated circuit with high-bandwidth memory, not stated to be
/// outside datacenters, whose rates (or `tpp_reported`) give a TPP of at least [`MODULE_TPP`]:
/// the parts built as modules with several HBM stacks.
pub(crate) fn hbm_datacenter_processor(product: &Product) -> bool {
    product.kind == ProductKind::IntegratedCircuit
        && product.designed_or_marketed_for_datacenter != Some(false)
        && product.memory.as_ref().is_some_and(is_stated_hbm)
        && tpp_at_least(product).is_some_and(|t| t >= Decimal::from(MODULE_TPP))
}

/// The TPP the rates of `product` give at least: Σ over processing units of the highest
/// TOPS × bit length (a list not stated complete may miss a higher one), or the stated
/// `tpp_reported` if higher. `None` when there are neither.
pub(crate) fn tpp_at_least(product: &Product) -> Option<Decimal> {
    let from_rates = product
        .processing_units
        .iter()
        .filter_map(|u| u.rates.iter().filter_map(|r| r.tops.checked_mul(Decimal::from(r.precision.bits()))).max())
        .try_fold(Decimal::ZERO, Decimal::checked_add);
    from_rates.into_iter().chain(product.tpp_reported).max()
}
