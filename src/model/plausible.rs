//! Checks of a product's figures and flags against the rest of its sheet that tester round 7
//! found missing (T2, T3, T8): a process node against the die flags (E0240, E0241), a TPP
//! against its memory bandwidth or its advanced logic die (E0234 when no transistor count or
//! HBM decides it), and an HBM memory against one stack of the generation its kind names
//! (E0242). Like the checks of [`validate`](super::validate), each is run on a sheet as read
//! and on a product built in code, with the same codes and messages.

use rust_decimal::Decimal;

use super::complete_rates::exact_tpp;
use super::figures::{MIN_HBM_BANDWIDTH_GBPS, Problem, is_stated_hbm, legacy_planar_area};
use super::node::{NodeBounds, names_5nm_class_node, names_16_14nm_class_node, names_non_planar_transistor};
use super::product::{LogicDie, Product, ProductKind};
use super::sheet_words::{HBM_NAMES, STACK_WORDS, names_word};
use crate::diagnostic::Code;

/// The problem with a logic die's flags that the product's `process_node` contradicts, if any.
///
/// E0240, `at_or_below_16_14nm = false`: beside a node all of whose parts are of the 16/14 nm
/// class or below ([`names_16_14nm_class_node`]), or on every logic die beside a node some
/// part of which is ([`NodeBounds::some_part_within`] 16: `TSMC 4N + TSMC 28HPC (I/O die)`
/// holds a 4N die, so some die is made at or below the node; tester round 9, U7). Why each
/// reads the bound it reads: [`NodeBounds`].
///
/// E0241, `non_planar = false`: beside a node all of whose parts are of the 5 nm class or
/// below ([`names_5nm_class_node`]), or on every logic die beside a node some part of which
/// is, or that names a non-planar transistor ([`names_non_planar_transistor`]: `Intel RibbonFET
/// (18A)`, `12 nm FinFET`). Every logic process from the 16/14 nm generation on is FinFET, and
/// the 3 nm-class and 2 nm-class are FinFET or gate-all-around; the last planar logic nodes are
/// 28 nm and 22/12 nm FD-SOI, so only a 5 nm-class name or a transistor's name is taken as
/// proof of a non-planar die.
///
/// Either flag written wrong takes the die out of "applicable advanced logic integrated
/// circuit" (15 CFR 772.1: logic produced at the 16/14 nm node or below, or using a non-planar
/// transistor architecture) and so out of the presumption of Note 1 to 3A090.a (90 FR 5298)
/// when the transistor count is left out (tester round 7, T8; with the count given, E0233).
pub(crate) fn die_flags_against_node(product: &Product, die: &LogicDie) -> Option<Problem> {
    let node = product.process_node.as_deref()?;
    let shown = node.trim();
    let dies = &product.logic_dies;
    if die.at_or_below_16_14nm == Some(false) {
        let every_die = dies.iter().all(|d| d.at_or_below_16_14nm == Some(false));
        let why = if names_16_14nm_class_node(node) {
            Some("names a node of the 16/14 nm class or below")
        } else if every_die && NodeBounds::of(node).some_part_within(16) {
            Some("names a part of the 16/14 nm class or below, yet no logic die is stated made there")
        } else {
            None
        };
        if let Some(why) = why {
            return Some(Problem {
                code: Code::E0240,
                message: format!("`at_or_below_16_14nm = false`, but the process node `{shown}` {why} (15 CFR 772.1)"),
                help: Some("write `at_or_below_16_14nm = true` for a die made at that node, or give the die's own node in `process_node`; leave the flag out if it is unknown".into()),
            });
        }
    }
    if die.non_planar == Some(false) {
        let every_die = dies.iter().all(|d| d.non_planar == Some(false));
        let why = if names_5nm_class_node(node) {
            Some(
                "is of the 5 nm class or below, where every logic process is FinFET or gate-all-around, both non-planar",
            )
        } else if every_die && NodeBounds::of(node).some_part_within(5) {
            Some(
                "names a part of the 5 nm class or below, where every logic process is FinFET or gate-all-around, yet no logic die is stated non-planar",
            )
        } else if every_die && names_non_planar_transistor(node) {
            Some(
                "names a non-planar transistor (FinFET, RibbonFET, gate-all-around), yet no logic die is stated non-planar",
            )
        } else {
            None
        };
        if let Some(why) = why {
            return Some(Problem {
                code: Code::E0241,
                message: format!("`non_planar = false`, but the process node `{shown}` {why} (15 CFR 772.1)"),
                help: Some(
                    "write `non_planar = true` for a FinFET or gate-all-around die; leave the flag out if it is unknown".into(),
                ),
            });
        }
    }
    None
}

/// Most performance density (TPP per mm² of logic die) taken as stated for a product whose
/// every logic die is stated planar and above the 16/14 nm node: 5. The densest such parts
/// public figures show are Google's first TPU (28 nm, planar: 65,536 8-bit MACs at 700 MHz, 92
/// TOPS, TPP 734, on a die of at most 331 mm², about 2.2; Jouppi et al., "In-Datacenter
/// Performance Analysis of a Tensor Processing Unit", ISCA 2017) and, among GPUs, AMD's Fiji
/// (28 nm: 8.6 TFLOPS FP32, TPP 275, on 596 mm², 0.46; Radeon R9 Fury X) and NVIDIA's GM200
/// (28 nm: 6.1 TFLOPS FP32 on 601 mm², 0.33). The H100's die written planar and above the node
/// (TPP 15,832 on 814 mm², 19.4) is far above: its flags are not taken as given, and whether
/// the IC is an "applicable advanced logic integrated circuit" (15 CFR 772.1), which Note 1 to
/// 3A090.a reaches (90 FR 5298), is left open (tester round 9, U7b: a node left out or not read,
/// `TSMC (N4P)`, where E0240 and E0241 read nothing).
pub const MAX_PLANAR_PERFORMANCE_DENSITY: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

/// Why the die flags that make a product no "applicable advanced logic integrated circuit"
/// (every die stated `non_planar = false` and `at_or_below_16_14nm = false`) are not taken as
/// given, or `None` when they are (or do not say so): the TPP (`tpp`, at least) over the dies'
/// area (area × count, every area known) is above [`MAX_PLANAR_PERFORMANCE_DENSITY`].
pub(crate) fn planar_flags_doubted(product: &Product, tpp: Option<Decimal>) -> Option<String> {
    let area = legacy_planar_area(&product.logic_dies).filter(|a| *a > Decimal::ZERO)?;
    let tpp = tpp?;
    (tpp > area.checked_mul(MAX_PLANAR_PERFORMANCE_DENSITY)?).then(|| {
        format!(
            "every logic die is stated planar and above the 16/14 nm node, but the TPP {} on their {} mm² is a performance density of {}, above the {MAX_PLANAR_PERFORMANCE_DENSITY} no such die has reached (Google's 28 nm TPU about 2.2): `non_planar` and `at_or_below_16_14nm` not taken as given",
            tpp.normalize(),
            area.normalize(),
            (tpp / area).round_dp(2).normalize()
        )
    })
}

/// Least TPP per GB/s of memory bandwidth taken as stated for a processor whose memory is not
/// stated to be HBM (E0234): 0.02. The processors with the least compute for their memory are
/// server CPUs with few cores on many DDR5 channels: AMD's EPYC 9015 (8 Zen 5 cores at 3.6
/// GHz, 16 FP64 operations per cycle: about 0.46 TFLOPS FP64, TPP about 29, over 12 channels
/// of DDR5-6000, 576 GB/s: about 0.05); HBM vector processors have 0.13 (NEC SX-Aurora) and
/// every GDDR or LPDDR processor in rules/products at least 1.1 (Apple M3 Max: TPP 454.4 over
/// 400 GB/s; the L20 2.2, the L40S 6.8). Rates written in PFLOPS give the catalog's parts under
/// 0.007 (the L40S 0.0068), as does a bandwidth written in MB/s. It catches a sheet whose
/// transistor count is left out and whose memory is not HBM (tester round 7, T2).
pub const MIN_TPP_PER_MEMORY_GBPS: Decimal = Decimal::from_parts(2, 0, 0, false, 2);

/// Least performance density (TPP per mm² of die area) taken as stated for a product whose
/// logic dies are non-planar or made at the 16/14 nm node or below (E0234): 0.005. The least
/// in rules/products is the H20's 2.91 (TPP 2,368 on 814 mm²), about 2 as 3A090.b's least
/// parameter is 1.6 (15 CFR 774 Supp. 1, 3A090.b; 89 FR 96790 keeps it); the non-planar logic
/// ICs with the least compute for their silicon are server CPUs and DPUs with few cores
/// enabled (Intel's 4-core Xeon E5-2603 v2, 22 nm tri-gate: about 58 GFLOPS FP64, TPP 3.7, on
/// 160 mm², 0.023; NVIDIA BlueField-2: 8 Arm A72 cores, TPP about 5.6 on a 16 nm die of a few
/// hundred mm², about 0.02), four times above it. Rates written in PFLOPS put every catalog
/// part with a performance density under 5 (H20 0.0029, L20 0.0031, A10 0.0032, MI250X
/// 0.0042, L40 0.0048) under it. Only the dies stated non-planar or at 16/14 nm or below are
/// counted (area × count), so a larger die of an older process never lowers the density.
pub const MIN_ADVANCED_PERFORMANCE_DENSITY: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// The problem with a TPP too low for the memory bandwidth or the advanced logic die the
/// product states, if any (E0234, the same problem as
/// [`tpp_too_low`](super::validate::tpp_too_low) finds against the transistor count or HBM):
/// an exact TPP below [`MIN_TPP_PER_MEMORY_GBPS`] per GB/s of a memory not stated to be HBM,
/// or below [`MIN_ADVANCED_PERFORMANCE_DENSITY`] per mm² of the logic dies stated non-planar or
/// at the 16/14 nm node or below. Such rates are written in PFLOPS in fields that are
/// TOPS/TFLOPS, and would take the part out of every TPP band of 3A090 (tester round 7, T2).
pub(crate) fn tpp_too_low_for_memory_or_die(product: &Product) -> Option<Problem> {
    let tpp = exact_tpp(product)?;
    let per_memory = product
        .memory
        .as_ref()
        .filter(|m| !is_stated_hbm(m))
        .and_then(|m| m.bandwidth_gbps)
        .filter(|bw| *bw > Decimal::ZERO && bw.checked_mul(MIN_TPP_PER_MEMORY_GBPS).is_some_and(|f| tpp < f))
        .map(|bw| {
            format!(
                "{} per GB/s of its {} GB/s of memory (a processor has at least 0.05: EPYC 9015; every GDDR processor in the catalog at least 1.1)",
                (tpp / bw).round_dp(4).normalize(),
                bw.normalize()
            )
        });
    let advanced = |d: &&LogicDie| d.non_planar == Some(true) || d.at_or_below_16_14nm == Some(true);
    let area = product
        .logic_dies
        .iter()
        .filter(advanced)
        .filter_map(|d| d.area_mm2.and_then(|a| a.checked_mul(Decimal::from(d.count))))
        .try_fold(Decimal::ZERO, Decimal::checked_add)
        .filter(|a| *a > Decimal::ZERO);
    let per_area = area
        .filter(|a| a.checked_mul(MIN_ADVANCED_PERFORMANCE_DENSITY).is_some_and(|f| tpp < f))
        .map(|a| {
            format!(
                "a performance density of {} on its {} mm² of non-planar or 16/14 nm logic die (the catalog's least is 2.91: H20; 3A090.b's least parameter 1.6)",
                (tpp / a).round_dp(4).normalize(),
                a.normalize()
            )
        });
    let why = per_memory.or(per_area)?;
    Some(Problem {
        code: Code::E0234,
        message: format!(
            "the TPP {} from the rates is {why}: rates written in PFLOPS? the rates are TOPS/TFLOPS (and memory bandwidth GB/s)",
            tpp.normalize()
        ),
        help: Some(
            "write the dense rates in TOPS/TFLOPS (`fp8 = 733` for 0.733 PFLOPS) and the bandwidth in GB/s; leave a rate out, or `complete` unset, if it is unknown"
                .into(),
        ),
    })
}

/// An HBM generation a memory kind may name, with the least bandwidth of one stack of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Generation {
    name: &'static str,
    /// One stack at the slowest pin rate any shipped product of the generation runs, rounded
    /// down, in GB/s (interface width × pin rate ÷ 8).
    stack_gbps: Decimal,
    /// Where the figure comes from.
    source: &'static str,
}

/// HBM3 (JESD238): the generation of [`GENERATIONS`] a datacenter processor's HBM is held to
/// when its kind names none ([`hbm_below_two_stacks`]), and the least generation held to two
/// stacks.
const HBM3: Generation = Generation {
    name: "HBM3",
    stack_gbps: Decimal::from_parts(512, 0, 0, false, 0),
    source: "JESD238: 1,024 bits at 4 Gb/s; the slowest shipped, H100 SXM5, 670",
};

/// The least bandwidth of one stack per HBM generation, GB/s (E0242). HBM (JESD235, 128 GB/s)
/// is refused by E0232 already. HBM2 (JESD235A: 1,024 bits, up to 2 Gb/s per pin): shipped as
/// slow as 1.4 Gb/s (NVIDIA P100, 720 GB/s over 4 stacks; Intel's Radeon RX Vega M GL, one
/// stack of 179.2 GB/s), floor 1.25 Gb/s, 160 GB/s. HBM2E (JESD235C: up to 3.2 Gb/s): the
/// slowest shipped run 2.0 Gb/s (Intel Xeon Max, about 1 TB/s over 4 stacks), floor 1.6 Gb/s,
/// 204.8 GB/s. HBM3 (JESD238: up to 6.4 Gb/s, 819 GB/s a stack): the slowest shipped run 5.2
/// Gb/s (NVIDIA H100 SXM5, 3.35 TB/s over 5 stacks, 670 GB/s; AMD MI300X 662), floor 4.0 Gb/s,
/// 512 GB/s. HBM3E (about 1.2 TB/s a stack at 9.6 Gb/s): the slowest shipped run 5.9 Gb/s
/// (AMD MI325X, 6 TB/s over 8 stacks, 750 GB/s; NVIDIA H200 800), floor 4.8 Gb/s, 614.4 GB/s.
/// HBM4 (JESD270-4: a 2,048-bit interface, up to 8 Gb/s, 2 TB/s a stack): floor 4 Gb/s,
/// 1,024 GB/s. A later name (HBM4E) is read as the generation it extends.
const GENERATIONS: [(&str, Generation); 5] = [
    (
        "4",
        Generation {
            name: "HBM4",
            stack_gbps: Decimal::from_parts(1024, 0, 0, false, 0),
            source: "JESD270-4: 2,048 bits at 4 Gb/s",
        },
    ),
    (
        "3E",
        Generation {
            name: "HBM3E",
            stack_gbps: Decimal::from_parts(6144, 0, 0, false, 1),
            source: "1,024 bits at 4.8 Gb/s; the slowest shipped, MI325X, 750",
        },
    ),
    ("3", HBM3),
    (
        "2E",
        Generation {
            name: "HBM2E",
            stack_gbps: Decimal::from_parts(2048, 0, 0, false, 1),
            source: "JESD235C: 1,024 bits at 1.6 Gb/s",
        },
    ),
    (
        "2",
        Generation {
            name: "HBM2",
            stack_gbps: Decimal::from_parts(160, 0, 0, false, 0),
            source: "JESD235A: 1,024 bits at 1.25 Gb/s; the slowest shipped, P100, 179",
        },
    ),
];

/// The least one-stack bandwidth among the HBM generations a memory kind names, if every
/// mention of HBM in it names one (`HBM3e`, `High Bandwidth Memory 3E`, `HBM2e`); `None` when
/// one mention names none (`HBM`, `HBM-PIM`), which only E0232's first-generation floor reads.
fn stated_generation(kind: &str) -> Option<Generation> {
    use unicode_normalization::UnicodeNormalization;
    let letters: String = kind.nfkc().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect();
    let (hbm, spelled_out) = HBM_NAMES;
    let text = letters.replace(spelled_out, hbm);
    let mut least: Option<Generation> = None;
    let mut rest = text.as_str();
    let mut any = false;
    while let Some(i) = rest.find(hbm) {
        any = true;
        rest = rest.get(i + hbm.len()..).unwrap_or_default();
        let g = GENERATIONS.iter().find(|(p, _)| rest.starts_with(p)).map(|(_, g)| *g)?;
        least = Some(match least {
            Some(l) if l.stack_gbps <= g.stack_gbps => l,
            _ => g,
        });
    }
    least.filter(|_| any)
}

/// The problem with the bandwidth of a memory whose kind names an HBM generation, if any
/// (E0242): below one stack of the slowest generation named ([`GENERATIONS`]). An `HBM3`
/// memory of 400 GB/s is under one HBM3 stack: the H20's 4,000 GB/s with a zero dropped, which
/// escapes the "is informed" letter keyed to it (rules/us-ear/NOTES.md §11) when the capacity
/// that E0239 reads is left out (tester round 7, T3). A bandwidth under one first-generation
/// stack is left to E0232, and a stand-alone stack that gives its area (`stack_area`) to
/// E0238, which reads its bandwidth against the area (the rule tests' boundary stacks,
/// illustrative `HBM3E` of 242 GB/s over 121 mm², decide 3A090.c's "more than 2").
pub(crate) fn hbm_generation_bandwidth(product: &Product) -> Option<Problem> {
    let m = product.memory.as_ref()?;
    if product.kind == ProductKind::Memory && m.stack_area_mm2.is_some() {
        return None;
    }
    let bw = m.bandwidth_gbps.filter(|b| *b >= Decimal::from(MIN_HBM_BANDWIDTH_GBPS))?;
    let g = stated_generation(m.kind.as_deref()?)?;
    if bw >= g.stack_gbps {
        return None;
    }
    Some(Problem {
        code: Code::E0242,
        message: format!(
            "the memory bandwidth {} GB/s is below one {} stack ({} GB/s; {}): a zero dropped or a decimal point slipped? this field is the GB/s of all the stacks",
            bw.normalize(),
            g.name,
            g.stack_gbps.normalize(),
            g.source
        ),
        help: Some(
            "write the bandwidth of all the stacks in GB/s (`bandwidth = 4000` for 4.0 TB/s) and the generation the part has; leave the bandwidth out if it is unknown"
                .into(),
        ),
    })
}

/// Least memory bandwidth taken as stated for a datacenter processor with HBM of the HBM3
/// generation or later, or of no generation named, in stacks of the slowest generation named:
/// two. A processor with a TPP of at least [`MODULE_TPP`](super::figures::MODULE_TPP) is built
/// with several stacks: every HBM3 and HBM3E processor in rules/products has four or more
/// (H20 4,000 GB/s, H100 SXM5 3,350 over five stacks, MI300X 5,300 over eight, H200 4,800,
/// B200 8,000), and every HBM processor there has at least 1,228 GB/s (Ascend 910B, MLU290).
/// A figure under two stacks is one stack's (the H20's 4.0 TB/s over six stacks written 667,
/// tester round 9, U9) or the total slipped tenfold (400 for 4,000, U4), and would escape the
/// "is informed" letters keyed to 4,000 GB/s (rules/us-ear/NOTES.md §11) when the capacity that
/// E0239 reads is left out. With no generation named the floor is two HBM3 stacks at JESD238's
/// 4 Gb/s, 1,024 GB/s, which the catalog's least exceeds; a sheet naming HBM2 or HBM2E is held
/// to one stack only (E0242: NVIDIA's V100 has 900 GB/s over four HBM2 stacks, the P100 720).
pub const MIN_HBM_STACKS: u32 = 2;

/// Why the memory bandwidth of a datacenter HBM processor
/// ([`hbm_datacenter_processor`](super::figures::hbm_datacenter_processor)) is read as
/// unknown, if it is: below [`MIN_HBM_STACKS`] stacks of the slowest generation its kind names
/// ([`stated_generation`], by the names of [`HBM_NAMES`]) when that is HBM3 or later, or of
/// [`HBM3`] when it names none. Read as unknown (not refused), so
/// that a rule it decides is `indeterminate` naming `memory_bandwidth`, as a datacenter
/// memory below one DDR4 channel is.
pub(crate) fn hbm_below_two_stacks(product: &Product) -> Option<String> {
    if !super::figures::hbm_datacenter_processor(product) {
        return None;
    }
    let m = product.memory.as_ref()?;
    let bw = m.bandwidth_gbps?;
    let (g, named) = match m.kind.as_deref().and_then(stated_generation) {
        Some(g) if g.stack_gbps >= HBM3.stack_gbps => (g, true),
        Some(_) => return None,
        None => (HBM3, false),
    };
    let floor = g.stack_gbps.checked_mul(Decimal::from(MIN_HBM_STACKS))?;
    if bw >= floor {
        return None;
    }
    let what = if named {
        format!("{} stacks", g.name)
    } else {
        format!("stacks of HBM3 (no generation named; {})", g.source)
    };
    Some(format!(
        "{} GB/s is below {MIN_HBM_STACKS} {what}, {} GB/s, for a datacenter processor with HBM and a TPP of {} or more (built with four stacks or more): one stack's figure, or the total slipped tenfold? this field is the GB/s of all the stacks",
        bw.normalize(),
        floor.normalize(),
        super::figures::MODULE_TPP
    ))
}

/// Least TPP per GB/s of HBM bandwidth at which an integrated circuit's main function is taken
/// to be logic (the Note to 3A090.c, 89 FR 96790): 0.1. The HBM processors with the least
/// compute for their memory are vector processors: NEC's SX-Aurora TSUBASA (TPP 157 over 1.2
/// TB/s, 0.13) and Fujitsu's A64FX (0.17); every HBM processor in rules/products has at least
/// 0.59 (the H20: TPP 2,368 over 4,000 GB/s). An HBM3E stack whose base die holds some logic,
/// written `kind = "integrated_circuit"` with its token rate (TPP 80 over 1,200 GB/s, 0.067),
/// is below it (tester round 8, T6).
pub const MIN_LOGIC_TPP_PER_HBM_GBPS: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// Why an integrated circuit with HBM may not be a logic IC whose main function is logic (the
/// IC the Note to 3A090.c takes its co-packaged HBM out with, 89 FR 96790), if there is a
/// reason: its TPP (at least, from the rates or `tpp_reported`) below
/// [`MIN_LOGIC_TPP_PER_HBM_GBPS`] per GB/s of its HBM, or a name or package with the word
/// "stack" (`HBM3E 12-high stack`; the words declared with their source in
/// `model::sheet_words::STACK_WORDS`). The rule of 3A090.c is then open for it, not closed by
/// its kind (tester round 8, T6: such a stack escaped 3A090.c).
pub fn main_function_logic_doubt(product: &Product) -> Option<String> {
    if product.kind != ProductKind::IntegratedCircuit {
        return None;
    }
    let m = product.memory.as_ref().filter(|m| super::figures::is_stated_hbm(m))?;
    let texts = [Some(product.name.as_str()), product.package.as_deref()];
    if let Some(t) = texts.into_iter().flatten().find_map(|t| names_word(t, STACK_WORDS)) {
        return Some(format!(
            "an IC with HBM described as a stack (`{t}`): is its main function logic? Note to 3A090.c"
        ));
    }
    let bw = m.bandwidth_gbps.filter(|b| *b > Decimal::ZERO)?;
    // No rates and no reported TPP: nothing to weigh (the TPP is missing, not low).
    let tpp = super::figures::tpp_at_least(product).filter(|t| *t > Decimal::ZERO)?;
    let floor = bw.checked_mul(MIN_LOGIC_TPP_PER_HBM_GBPS)?;
    (tpp < floor).then(|| {
        format!(
            "TPP {} is {} per GB/s of its {} GB/s of HBM, below the {MIN_LOGIC_TPP_PER_HBM_GBPS} of any processor (NEC SX-Aurora 0.13): is its main function logic? Note to 3A090.c",
            tpp.normalize(),
            (tpp / bw).round_dp(3).normalize(),
            bw.normalize()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_named_by_a_kind() {
        let g = |k: &str| stated_generation(k).map(|g| g.name);
        assert_eq!(g("HBM3"), Some("HBM3"));
        assert_eq!(g("HBM3e"), Some("HBM3E"));
        assert_eq!(g("High Bandwidth Memory 3E"), Some("HBM3E"));
        assert_eq!(g("HBM2e"), Some("HBM2E"));
        assert_eq!(g("HBM2"), Some("HBM2"));
        assert_eq!(g("HBM4"), Some("HBM4"));
        assert_eq!(g("HBM3 / HBM2e"), Some("HBM2E"));
        assert_eq!(g("HBM"), None);
        assert_eq!(g("HBM3 + HBM"), None);
        assert_eq!(g("GDDR6"), None);
    }
}
