//! The checks every product passes however it is made: read from a sheet
//! ([`parse_product_sheet`](super::parse_product_sheet)), deserialized from JSON, or built in
//! code ([`Product::validate`]). The sheet loader and `validate` give the same codes, messages
//! and help; only the location differs (a line and column in a sheet; the product id and the
//! field for a product in memory).

use rust_decimal::Decimal;

use super::complete_rates::exact_tpp;
use super::figures::{
    Figure, MIN_HBM_BANDWIDTH_GBPS, MODULE_TPP, Problem, hbm_datacenter_processor, is_stated_hbm, legacy_planar_area,
    names_hbm, tpp_at_least,
};
use super::node::{NodeBounds, names_5nm_class_node};
use super::product::{FormFactor, LogicDie, Memory, Precision, ProcessingUnit, Product, ProductKind};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::number::check_range;

/// Zero is not a figure: an unknown figure is left out, and a precision the part does not
/// support is listed in `unsupported` (a rate of zero would give a TPP of zero).
pub(crate) fn zero(figure: Figure) -> Problem {
    let mut p = Problem::new(
        Code::E0202,
        format!("{} must be greater than zero; leave the key out if it is unknown", figure.what()),
    );
    if figure == Figure::Rate {
        p.help = Some("list the precision in `unsupported` if the part does not support it".into());
    }
    p
}

/// The problem with a figure already read as a decimal, if any: negative, out of range, or
/// zero (the same messages as a sheet's literal gets).
pub(crate) fn figure(value: Decimal, figure: Figure) -> Option<Problem> {
    if value.is_sign_negative() && !value.is_zero() {
        return Some(Problem::new(Code::E0201, crate::number::negative(value)));
    }
    if let Err(m) = check_range(value) {
        return Some(Problem::new(Code::E0201, m));
    }
    value.is_zero().then(|| zero(figure))
}

/// Fewest transistors a count may give (E0223): any IC that reaches the 3A090 parameters has
/// billions, and the sources write counts in billions (`80` for the H100's 80 billion).
pub(crate) const MIN_TRANSISTORS: u64 = 1_000_000;

/// The problem with a positive transistor count, if any (E0223): not a whole number, or below
/// [`MIN_TRANSISTORS`]. Such a count is written in billions or millions (`80`, `1.5`); read as a
/// count it would rebut the Note 1 to 3A090.a presumption ("below 30 billion", 90 FR 5298).
pub(crate) fn transistor_count(value: Decimal) -> Option<Problem> {
    let whole = value.fract().is_zero();
    if whole && value >= Decimal::from(MIN_TRANSISTORS) {
        return None;
    }
    let why = if whole { "is below 1,000,000" } else { "is not a whole number" };
    let mut p = Problem::new(Code::E0223, format!("the transistor count {value} {why}: a count written in billions?"));
    p.help = Some(
        "write the whole count, e.g. `transistors = 80_000_000_000` for 80 billion; leave the key out if it is unknown"
            .into(),
    );
    Some(p)
}

/// Fewest transistors per mm² of a logic die produced at the 16/14 nm node or below, or
/// non-planar (E0230): 2 million per mm². Public figures put every such logic die far above it:
/// the least dense are Intel's 22 nm FinFET server dies (Haswell-EP, about 5.7 billion
/// transistors on 662 mm², about 8.6 million per mm²; Intel, ISSCC 2015), TSMC 16 nm GPUs are
/// about 25 million per mm² (NVIDIA GP100, 15.3 billion on 610 mm², Pascal whitepaper) and
/// TSMC 4N about 98 million per mm² (NVIDIA GH100, 80 billion on 814 mm², Hopper whitepaper).
/// Even planar 28 nm logic holds more (NVIDIA GM200, 8 billion on 601 mm², about 13 million per
/// mm²). A count below the floor times the area of the advanced dies is a count written in
/// thousands (the H20's 80 billion as `80_000_000`), which would rebut the Note 1 to 3A090.a
/// presumption ("below 30 billion", 90 FR 5298).
pub(crate) const MIN_ADVANCED_TRANSISTORS_PER_MM2: u64 = 2_000_000;

/// The problem with a transistor count too small for the logic dies it is aggregated over
/// (E0230), if any: fewer than [`MIN_ADVANCED_TRANSISTORS_PER_MM2`] per mm² of the dies known
/// to be non-planar or produced at the 16/14 nm node or below (area × count of each, in mm²).
/// Dies not known to be advanced, or of unknown area, are not counted: the aggregated count
/// holds at least the advanced dies' transistors, so the floor never refuses a true count.
pub(crate) fn transistor_density(transistors: Decimal, dies: &[LogicDie]) -> Option<Problem> {
    let advanced = |d: &&LogicDie| d.non_planar == Some(true) || d.at_or_below_16_14nm == Some(true);
    let area = dies
        .iter()
        .filter(advanced)
        .filter_map(|d| d.area_mm2.and_then(|a| a.checked_mul(Decimal::from(d.count))))
        .try_fold(Decimal::ZERO, Decimal::checked_add)?;
    let floor = area.checked_mul(Decimal::from(MIN_ADVANCED_TRANSISTORS_PER_MM2))?;
    if area.is_zero() || transistors >= floor {
        return None;
    }
    let mut p = Problem::new(
        Code::E0230,
        format!(
            "the transistor count {transistors} is below 2 million per mm² of the {} mm² of non-planar or 16/14 nm logic die (at least {}): a count written in thousands?",
            area.normalize(),
            floor.normalize()
        ),
    );
    p.help = Some(
        "write the whole count, e.g. `transistors = 80_000_000_000` for 80 billion; check the die areas; leave the count out if it is unknown"
            .into(),
    );
    Some(p)
}

/// Most transistors per mm² of a logic die that is planar and produced above the 16/14 nm node
/// (E0233): 40 million. The densest planar process, TSMC 20 nm, holds about 22 million per mm²
/// (Apple A8: 2 billion transistors, Apple's iPhone 6 announcement of 2014-09-09, on a die of
/// about 89 mm², Chipworks' measurement); planar 28 nm about 13 million (NVIDIA GM200, 8
/// billion on 601 mm²). A count above the ceiling over dies all stated planar and above the
/// node is a die made non-planar or at 16/14 nm or below with its flags written wrong (the
/// H20's die, TSMC 4N, 98 million per mm²), which would escape the Note 1 to 3A090.a
/// presumption (tester round 6, S5).
pub(crate) const MAX_LEGACY_PLANAR_TRANSISTORS_PER_MM2: u64 = 40_000_000;

/// The problem with die flags that the transistor count contradicts (E0233), if any: every
/// logic die is stated planar (`non_planar = false`) and above the 16/14 nm node
/// (`at_or_below_16_14nm = false`), every area is known, and the count is above
/// [`MAX_LEGACY_PLANAR_TRANSISTORS_PER_MM2`] per mm² of their total area (area × count).
pub(crate) fn legacy_planar_density(transistors: Decimal, dies: &[LogicDie]) -> Option<Problem> {
    let area = legacy_planar_area(dies)?;
    let ceiling = area.checked_mul(Decimal::from(MAX_LEGACY_PLANAR_TRANSISTORS_PER_MM2))?;
    if area.is_zero() || transistors <= ceiling {
        return None;
    }
    let per_mm2 = (transistors / area / Decimal::from(1_000_000)).round();
    let mut p = Problem::new(
        Code::E0233,
        format!(
            "the transistor count {transistors} is {per_mm2} million per mm² of the {} mm² of logic die, but every die is stated planar and above the 16/14 nm node (no such process reaches 40 million per mm²): `non_planar` or `at_or_below_16_14nm` written wrong?",
            area.normalize()
        ),
    );
    p.help = Some(
        "give the dies' architecture and node as made (a FinFET die at 4 nm: `non_planar = true`, `at_or_below_16_14nm = true`), or leave a flag out if it is unknown"
            .into(),
    );
    Some(p)
}

/// A product id: lower-case letters, digits and `-`.
pub(crate) fn id(id: &str) -> Option<Problem> {
    let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!ok).then(|| Problem::new(Code::E0203, format!("product id `{id}` must be lower-case letters, digits and `-`")))
}

/// A product's `name` or `vendor` holding a bidirectional control character, which can make it
/// display as another (`\u{202e}AIDIVN` shows as `NVIDIA`): refused as in a party's name
/// (E0510; Unicode UAX #9, CVE-2021-42574).
pub(crate) fn direction_control(field: &str, text: &str) -> Option<Problem> {
    let c = text.chars().find(|c| crate::model::party::is_bidi_control(*c))?;
    let message = format!(
        "the product's {field} holds the bidirectional control character U+{:04X}, which can make a name display as another",
        u32::from(c)
    );
    Some(Problem { code: Code::E0510, message, help: Some(format!("write the {field} without direction controls")) })
}

/// A product's `name` or `vendor` holding a control character or a line or paragraph
/// separator ([`crate::names::control_in_name`], E0523).
pub(crate) fn control_character(field: &str, text: &str) -> Option<Problem> {
    let c = crate::names::control_in_name(text)?;
    let message = format!("the product's {field} holds {}", crate::names::refused_char_described(c));
    Some(Problem {
        code: Code::E0523,
        message,
        help: Some(format!("write the {field} on one line, without control characters")),
    })
}

/// A product's `name` with no letter or digit (`""`, `"  "`, `"---"`), which names no part: a
/// rule keyed by a part's name (`name == "H20"`) would read it as another part (E0524).
pub(crate) fn blank_name(name: &str) -> Option<Problem> {
    if crate::names::normalize_name(name).chars().any(char::is_alphanumeric) {
        return None;
    }
    let message = format!("the product's name `{}` has no letter or digit: it names no part", name.escape_debug());
    let help = "give the product's name as the vendor writes it (`H20`, `A100 SXM4 80GB`, `Instinct MI308X`)";
    Some(Problem { code: Code::E0524, message, help: Some(help.into()) })
}

/// A year of introduction.
pub(crate) fn year(year: i64) -> Option<Problem> {
    let ok = (1950..=2100).contains(&year);
    (!ok).then(|| Problem::new(Code::E0205, format!("year {year} is not between 1950 and 2100")))
}

/// A die count.
pub(crate) fn die_count(count: i64) -> Option<Problem> {
    let ok = (1..=10_000).contains(&count);
    (!ok).then(|| Problem::new(Code::E0207, format!("die count {count} must be a whole number from 1 to 10000")))
}

/// Whether two `[[logic_die]]` names name the same die: equal once trimmed, case ignored
/// (`AD104`, `ad104 `).
pub(crate) fn same_die_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A `[[logic_die]]` name given twice (E0222). Identical dies are one entry with `count`; two
/// entries of one name are summed into the applicable die area, which halves the performance
/// density (TPP / area, 3A090 Technical Note) when one was pasted twice.
pub(crate) fn die_listed_twice(name: &str) -> Problem {
    let mut p = Problem::new(Code::E0222, format!("the logic die `{}` is listed twice", name.trim()));
    p.help = Some(
        "list each die once, with `count` for identical dies (`count = 2`); give different dies different names".into(),
    );
    p
}

/// A precision with a rate that is also listed as unsupported.
pub(crate) fn rate_and_unsupported(p: Precision) -> Problem {
    Problem::new(Code::E0211, format!("`{}` has a rate and is listed in `unsupported`", p.as_str()))
}

/// A precision named twice in one rate list (two rates, or twice in `unsupported`).
pub(crate) fn twice(p: Precision) -> Problem {
    Problem::new(Code::E0211, format!("`{}` is given twice in one rate list", p.as_str()))
}

/// A rate list with no rate that says it is complete.
pub(crate) fn complete_without_rates() -> Problem {
    let mut p = Problem::new(Code::E0211, "the rate list has no rate but is stated complete");
    p.help = Some("give the rates; leave `complete` and `unsupported` out while they are unknown".into());
    p
}

/// `contains` in a product that is not a computer or board.
pub(crate) fn contains_in_ic() -> Problem {
    Problem::new(
        Code::E0213,
        "only a computer or board (kind = \"computer\") lists what it contains; an integrated circuit's dies go in [[logic_die]]",
    )
}

/// A count of `contains`.
pub(crate) fn contains_count(count: i64) -> Option<Problem> {
    let ok = (1..=100_000).contains(&count);
    (!ok).then(|| Problem::new(Code::E0215, format!("count {count} must be a whole number from 1 to 100000")))
}

/// Most products a computer or board may hold in all, counting through every level of
/// `contains` (E0224): a count of each kind multiplied by the counts of the systems around it,
/// summed over the products that are not themselves computers. One billion is far beyond any
/// computer, board or rack; a larger total is an input error (a count in the wrong place, a
/// nesting pasted twice). The bound also keeps every summed figure of the aggregate (each
/// figure at most 10^15) exact: a count that could not be carried would make the aggregate TPP
/// smaller than the contents give (issue 12: "overflow makes TPP unknown, never smaller").
pub const MAX_CONTAINED_TOTAL: u64 = 1_000_000_000;

/// How many products `product` holds in all through `contains` (see [`MAX_CONTAINED_TOTAL`]):
/// each entry's count times what it holds, where a contained computer with contents holds
/// them and anything else (an IC, a memory, a computer without contents, an id not resolved)
/// is one. `None` when the total does not fit in 128 bits. Contents nested deeper than the
/// checks allow (refused by E0217) are not followed.
pub(crate) fn contained_total(product: &Product) -> Option<u128> {
    total_at(product, 0)
}

fn total_at(product: &Product, depth: usize) -> Option<u128> {
    if depth > MAX_CONTAINS_DEPTH {
        return Some(1);
    }
    product.contains.iter().try_fold(0u128, |acc, c| {
        let each = match c.sheet.as_deref() {
            Some(s) if s.kind == ProductKind::Computer && !s.contains.is_empty() => total_at(s, depth + 1)?,
            _ => 1,
        };
        acc.checked_add(each.checked_mul(u128::from(c.count))?)
    })
}

/// The problem with a system's total (E0224), if it holds more than [`MAX_CONTAINED_TOTAL`]
/// products in all.
pub(crate) fn contained_total_problem(product: &Product) -> Option<Problem> {
    if product.contains.is_empty() {
        return None;
    }
    let total = contained_total(product);
    if total.is_some_and(|t| t <= u128::from(MAX_CONTAINED_TOTAL)) {
        return None;
    }
    let held = total.map_or_else(|| "more than 2^128".to_string(), |t| t.to_string());
    let mut p = Problem::new(
        Code::E0224,
        format!(
            "`{}` holds {held} products in all through `contains` (each count multiplied by the counts of the systems around it), more than {MAX_CONTAINED_TOTAL}",
            product.id
        ),
    );
    p.help = Some("give the count each system really holds; a system is one product, not a fleet of them".into());
    Some(p)
}

/// Processing rates on a product of kind `memory`.
pub(crate) fn memory_with_rates() -> Problem {
    let mut p = Problem::new(
        Code::E0218,
        "a product of kind `memory` has no processing rates; rates make it a processor (3A090.a/.b), whatever its kind",
    );
    p.help = Some("write the kind the part is: `integrated_circuit`, or `computer` for a board or system".into());
    p
}

/// Figures of a logic IC on a product of kind `memory`: a `[[logic_die]]` (the dies whose
/// area gives the performance density of a logic IC) or a device interconnect bandwidth.
/// 3A090.a/.b classify logic ICs by TPP and performance density (15 CFR 774 Supp. No. 1), and a
/// memory kind takes a part out of them: a processor whose rates are not yet filled in and
/// whose kind is written `memory` would otherwise be cleared instead of left open.
pub(crate) fn memory_with_logic(what: &str) -> Problem {
    let mut p = Problem::new(
        Code::E0218,
        format!(
            "a product of kind `memory` has no {what}: it is a figure of a logic IC (3A090.a/.b), which a kind written wrong must not take out of 3A090"
        ),
    );
    p.help = Some(
        "write the kind the part is (`integrated_circuit`, or `computer` for a board or system), with its rates; a stand-alone memory stack is described by [memory] alone".into(),
    );
    p
}

/// A `[memory]` whose kind names HBM with `hbm = false` (E0221): 3A090.c covers HBM whether or
/// not it follows the JEDEC standards (89 FR 96790), so the flag cannot take an HBM part out.
pub(crate) fn hbm_kind_not_hbm(kind: &str) -> Problem {
    let mut p = Problem::new(
        Code::E0221,
        format!("the memory kind `{}` is high-bandwidth memory, but `hbm = false`", kind.trim()),
    );
    p.help = Some(
        "write `hbm = true` for an HBM part (3A090.c covers HBM whether or not it follows the JEDEC standards), or the memory kind the part has".into(),
    );
    p
}

/// A stand-alone memory (`kind = "memory"`) whose own name names HBM (`HBM3E 12-high stack`,
/// [`names_hbm`]) with `hbm = false` (E0526): the sheet contradicts itself, and the flag would
/// take an HBM stack out of 3A090.c, which covers HBM whether or not it follows the JEDEC
/// standards (89 FR 96790), where no `stack_area` lets E0237 read the density (tester round 12,
/// T17).
pub(crate) fn hbm_name_not_hbm(product: &Product) -> Option<Problem> {
    let m = product.memory.as_ref()?;
    if product.kind != ProductKind::Memory || m.hbm != Some(false) || !names_hbm(&product.name) {
        return None;
    }
    // A kind naming HBM beside `hbm = false` is refused by E0221 alone, a density above 2 GB/s
    // per mm² by E0237 alone.
    if m.kind.as_deref().is_some_and(names_hbm) || stack_density(product).is_some_and(|p| p.code == Code::E0237) {
        return None;
    }
    let mut p = Problem::new(
        Code::E0526,
        format!("the memory `{}` is named as high-bandwidth memory, but `hbm = false`", product.name.trim()),
    );
    p.help = Some(
        "write `hbm = true` for an HBM stack (3A090.c covers HBM whether or not it follows the JEDEC standards), or correct the name".into(),
    );
    Some(p)
}

/// Least memory bandwidth per GB of capacity of high-bandwidth memory, in GB/s per GB (E0239).
/// Every HBM stack generation gives more than 16: HBM2 (JESD235A) 256 GB/s for up to 8 GB (32),
/// HBM2E about 410 GB/s for 16 GB (25), HBM3 (JESD238) 819 GB/s for 24 GB (34), HBM3E about
/// 1.2 TB/s for 36 GB (33); the shipped catalog's least is 24.2 (A100 PCIe 80GB: 1,935 GB/s for
/// 80 GB), and Intel's Xeon Max, which runs its HBM2E slowest, has about 16 (64 GB). A tenth
/// of any catalog part's figure is under 6: the bandwidth written in TB/s or with its decimal
/// point slipped (the H20's 4,000 GB/s as `400`: 4.2 per GB, which would escape the "is
/// informed" letter keyed to 4,000 GB/s, rules/us-ear/NOTES.md §11), or the capacity in MB.
pub const MIN_HBM_GBPS_PER_GB: u32 = 8;

/// The problem with the bandwidth of a memory stated to be HBM, if any: positive but below
/// [`MIN_HBM_BANDWIDTH_GBPS`] (E0232), or below [`MIN_HBM_GBPS_PER_GB`] per GB of its stated
/// capacity (E0239).
pub(crate) fn hbm_bandwidth(m: &Memory) -> Option<Problem> {
    let bw = m.bandwidth_gbps.filter(|b| *b > Decimal::ZERO)?;
    if !is_stated_hbm(m) {
        return None;
    }
    if bw >= Decimal::from(MIN_HBM_BANDWIDTH_GBPS) {
        return hbm_bandwidth_per_gb(bw, m.capacity_gb);
    }
    let mut p = Problem::new(
        Code::E0232,
        format!(
            "the memory bandwidth {} GB/s is below the {MIN_HBM_BANDWIDTH_GBPS} GB/s of one HBM stack (JESD235: a 1,024-bit interface at 1 Gb/s per pin): written in TB/s? this field is GB/s",
            bw.normalize()
        ),
    );
    p.help = Some(
        "write the bandwidth in GB/s (`bandwidth = 4000` or `\"4000 GB/s\"` for 4.0 TB/s); leave the key out if it is unknown"
            .into(),
    );
    Some(p)
}

/// E0239: an HBM bandwidth of `bw` GB/s (at least one stack's) below [`MIN_HBM_GBPS_PER_GB`]
/// per GB of the stated `capacity`.
fn hbm_bandwidth_per_gb(bw: Decimal, capacity: Option<Decimal>) -> Option<Problem> {
    let capacity = capacity.filter(|c| *c > Decimal::ZERO)?;
    let per_gb = bw.checked_div(capacity)?;
    if per_gb >= Decimal::from(MIN_HBM_GBPS_PER_GB) {
        return None;
    }
    let mut p = Problem::new(
        Code::E0239,
        format!(
            "the HBM bandwidth {} GB/s is {} GB/s per GB of its {} GB, below the {MIN_HBM_GBPS_PER_GB} every HBM generation exceeds (HBM2 32, HBM2E 25, HBM3 34, HBM3E 33 per GB of a stack): the bandwidth written in TB/s or slipped, or the capacity in MB?",
            bw.normalize(),
            per_gb.round_dp(2).normalize(),
            capacity.normalize()
        ),
    );
    p.help = Some(
        "write the bandwidth in GB/s (`bandwidth = 4000` for 4.0 TB/s) and the capacity in GB (`capacity = 96`); leave a figure out if it is unknown"
            .into(),
    );
    Some(p)
}

/// Least interconnect bandwidth taken as stated for a product designed or marketed for
/// datacenters (or showing their design features), in GB/s: one PCIe 4.0 lane both ways
/// (16 GT/s with 128b/130b encoding, 1.97 GB/s each way: PCI Express Base Specification 4.0).
/// Every datacenter accelerator in rules/products has at least a PCIe 4.0 x16 host link
/// (64 GB/s); a figure below one lane is the aggregate written in TB/s (the H20's 1.028 TB/s
/// as `1.028`, below the letters' 1,028 GB/s: rules/us-ear/NOTES.md §11). It is not refused,
/// since a small part on an older or narrower link could have it; it is read as unknown, so
/// that a rule it decides is `indeterminate` and names it.
pub const MIN_DATACENTER_INTERCONNECT_GBPS: Decimal = Decimal::from_parts(394, 0, 0, false, 2);

/// Least memory bandwidth taken as stated for a processor designed or marketed for datacenters
/// whose memory is not stated to be HBM, in GB/s: one DDR4-3200 channel (64 bits at
/// 3,200 MT/s, JESD79-4). Every datacenter part in rules/products has at least 300 GB/s; a
/// figure below one channel is written in TB/s. Read as unknown, as
/// [`MIN_DATACENTER_INTERCONNECT_GBPS`].
pub const MIN_DATACENTER_MEMORY_GBPS: Decimal = Decimal::from_parts(256, 0, 0, false, 1);

/// Least interconnect bandwidth of a product designed or marketed for datacenters, with
/// high-bandwidth memory, or with a TPP of 4,800 or more (E0225), in GB/s: 31.5, a PCIe 3.0
/// x16 host link both ways. PCI Express Base Specification 3.0 (PCI-SIG, 2010): 8.0 GT/s per
/// lane with 128b/130b encoding, 16 × 8 GT/s × 128/130 ÷ 8 = 15.75 GB/s each way (PCI-SIG
/// gives x16 as 32 GB/s in both directions, rounded). The interconnect bandwidth of 3A090 is
/// the "bidirectional transfer rate" of all inputs and outputs but volatile memory, the host
/// link included (15 CFR 772.1; 3A090 Technical Notes), so a part with a host link of that
/// class has at least it; every such part in rules/products has at least a PCIe 4.0 x16 link
/// (64 GB/s). A figure below it is the aggregate written in TB/s (the H20's 1,028 GB/s as
/// `1.028`, a 900 GB/s NVLink as `0.9`), which would escape the "is informed" letters keyed
/// to 600 and 1,028 GB/s (rules/us-ear/is-informed.toml; NOTES.md §11).
pub const MIN_HOST_LINK_GBPS: Decimal = Decimal::from_parts(315, 0, 0, false, 1);

/// TPP from which a processor is held to have at least a PCIe 3.0 x16 host link (E0225):
/// 4,800, the 3A090.a.1 line (15 CFR 774 Supp. No. 1): every part reaching it is a flagship
/// GPU or accelerator (the least in rules/products, the RTX 4090 at TPP 5,285, has PCIe 4.0 x16).
pub const HOST_LINK_TPP: u32 = 4800;

/// Least interconnect bandwidth of a part in an SXM or OAM module package (E0225), GB/s: 160,
/// the NVLink 1.0 of the first SXM module, the Tesla P100 (four links of 20 GB/s each way:
/// NVIDIA Tesla P100 whitepaper, 2016). A module of that form exists for its chip-to-chip
/// link; the least in rules/products is 392 GB/s (Ascend 910B), the A800's 464. An A100's 664
/// GB/s written `66.4` (a slipped decimal point) would take it out of the 2022 text of
/// 3A090, which asks for 600 GB/s (87 FR 62186; tester round 7, T7).
pub const MIN_MODULE_INTERCONNECT_GBPS: u32 = 160;

/// The module form of a product, `SXM` or `OAM`: named by its package read as names are (NFKC,
/// punctuation a break, so `ＳＸＭ5` and `S.X.M.5` are SXM; an HGX board carries SXM modules,
/// an OCP UBB OAM modules), else, unless the package says PCIe, by a word of its name (`A100
/// SXM4 80GB`). `None` when neither names one.
pub(crate) fn module_package(product: &Product) -> Option<&'static str> {
    // An HGX board carries SXM modules, an OCP universal baseboard (UBB) OAM modules.
    const FORMS: [(&str, &str); 4] = [("SXM", "SXM"), ("HGX", "SXM"), ("OAM", "OAM"), ("UBB", "OAM")];
    let package: String =
        product.package.as_deref().map(crate::names::normalize_name).unwrap_or_default().split(' ').collect();
    if let Some((_, form)) = FORMS.iter().find(|(word, _)| package.contains(word)) {
        return Some(form);
    }
    // A package stated a PCIe card is one, whatever the name says.
    if package.contains("PCIE") {
        return None;
    }
    // Else the product's name says it (`A100 SXM4 80GB`, `HGX H20`), read word by word so that
    // no module form is made of two words run together (tester round 8, T1: the A100 named
    // SXM4 on a package written "HGX A100 4-GPU baseboard" escaped E0225 with 664 written 66.4).
    let name = crate::names::normalize_name(&product.name);
    let mut words = name.split(' ');
    words.find_map(|w| FORMS.iter().find(|(word, _)| w.starts_with(word)).map(|(_, form)| *form))
}

/// The problem with a stated interconnect bandwidth below [`MIN_HOST_LINK_GBPS`], if any
/// (E0225): for a product (not a stand-alone memory) designed or marketed for datacenters,
/// with memory stated to be HBM, or whose rates give a TPP of at least [`HOST_LINK_TPP`].
pub(crate) fn interconnect_below_host_link(product: &Product) -> Option<Problem> {
    if product.kind == ProductKind::Memory {
        return None;
    }
    if let Some(p) = interconnect_below_module_link(product) {
        return Some(p);
    }
    let io = product.interconnect_bandwidth_gbps.filter(|io| *io > Decimal::ZERO && *io < MIN_HOST_LINK_GBPS)?;
    let why = if product.designed_or_marketed_for_datacenter == Some(true) {
        "a part designed or marketed for datacenters".to_string()
    } else if product.memory.as_ref().is_some_and(is_stated_hbm) {
        "a part with high-bandwidth memory".to_string()
    } else {
        let tpp = tpp_at_least(product).filter(|t| *t >= Decimal::from(HOST_LINK_TPP))?;
        format!("a part of TPP {}", tpp.normalize())
    };
    let mut p = Problem::new(
        Code::E0225,
        format!(
            "the interconnect bandwidth {} GB/s is below the {MIN_HOST_LINK_GBPS} GB/s of a PCIe 3.0 x16 host link alone (both ways, PCI-SIG) for {why}: did you write TB/s? this field is GB/s, all inputs and outputs both ways, the host link included",
            io.normalize()
        ),
    );
    p.help = Some(
        "write the bidirectional total in GB/s (`interconnect_bandwidth = 1028` for 900 GB/s of NVLink and a PCIe 5.0 x16 link, 128 GB/s); leave the key out if it is unknown"
            .into(),
    );
    Some(p)
}

/// The problem with a part in a module whose stated interconnect bandwidth is below
/// [`MIN_MODULE_INTERCONNECT_GBPS`], if any (E0225): a part stated `form_factor = "module"`,
/// one whose package or name names an SXM or OAM module ([`module_package`]), or a datacenter IC
/// with HBM and a TPP of at least [`MODULE_TPP`] ([`hbm_datacenter_processor`]) not stated
/// `form_factor = "pcie_card"`.
fn interconnect_below_module_link(product: &Product) -> Option<Problem> {
    // A computer is no part in a module: its own interconnect may be its network (tester round
    // 9, O1: a server whose package names its HGX board, with 100 GB/s of Ethernet).
    if product.kind == ProductKind::Computer || product.form_factor == Some(FormFactor::PcieCard) {
        return None;
    }
    let floor = Decimal::from(MIN_MODULE_INTERCONNECT_GBPS);
    let io = product.interconnect_bandwidth_gbps.filter(|io| *io > Decimal::ZERO && *io < floor)?;
    let why = match module_package(product) {
        Some(form) => format!("for a part in an {form} module package"),
        None if product.form_factor == Some(FormFactor::Module) => {
            "for a part stated `form_factor = \"module\"`".into()
        }
        None if hbm_datacenter_processor(product) => format!(
            "for a datacenter IC with HBM and a TPP of {} or more not stated a PCIe card (`form_factor`): such parts are modules",
            MODULE_TPP
        ),
        None => return None,
    };
    let mut p = Problem::new(
        Code::E0225,
        format!(
            "the interconnect bandwidth {} GB/s is below the {MIN_MODULE_INTERCONNECT_GBPS} GB/s of the first module's chip-to-chip link (NVLink 1.0, Tesla P100) {why}: a decimal point slipped or TB/s? this field is GB/s, all inputs and outputs both ways",
            io.normalize()
        ),
    );
    p.help = Some(
        "write the bidirectional total in GB/s (`interconnect_bandwidth = 664` for 600 GB/s of NVLink and a PCIe 4.0 x16 link, 64 GB/s); for a PCIe card whose host link is its only interconnect, state `form_factor = \"pcie_card\"`; leave the key out if it is unknown"
            .into(),
    );
    Some(p)
}

/// Why a stated interconnect bandwidth is read as unknown, if it is (see
/// [`MIN_DATACENTER_INTERCONNECT_GBPS`]); `datacenter` is whether the product is designed or
/// marketed for datacenters or shows their design features.
pub(crate) fn implausible_interconnect(io: Decimal, datacenter: bool) -> Option<String> {
    (datacenter && io < MIN_DATACENTER_INTERCONNECT_GBPS).then(|| {
        format!(
            "{} GB/s is below one PCIe 4.0 lane ({} GB/s both ways) for a datacenter part: written in TB/s? this field is GB/s",
            io.normalize(),
            MIN_DATACENTER_INTERCONNECT_GBPS
        )
    })
}

/// Why a stated memory bandwidth is read as unknown, if it is: a processor (not a stand-alone
/// memory) for datacenters whose memory is not stated to be HBM, below
/// [`MIN_DATACENTER_MEMORY_GBPS`] (an HBM memory below one stack is refused, E0232), or a
/// datacenter HBM processor below two stacks
/// ([`hbm_below_two_stacks`](super::plausible::hbm_below_two_stacks)).
pub(crate) fn implausible_memory_bandwidth(product: &Product, datacenter: bool) -> Option<String> {
    if let Some(why) = super::plausible::hbm_below_two_stacks(product) {
        return Some(why);
    }
    let m = product.memory.as_ref()?;
    let bw = m.bandwidth_gbps?;
    let low = datacenter && product.kind != ProductKind::Memory && !is_stated_hbm(m) && bw < MIN_DATACENTER_MEMORY_GBPS;
    low.then(|| {
        format!(
            "{} GB/s is below one DDR4-3200 channel ({} GB/s) for a datacenter part: written in TB/s? this field is GB/s",
            bw.normalize(),
            MIN_DATACENTER_MEMORY_GBPS
        )
    })
}

/// Least TPP per billion transistors taken as stated (E0234): 1. Every product in
/// rules/products with both figures has several times more: the least, Apple's M3 Max (92
/// billion transistors, Apple newsroom 2023-10-30; its GPU's 14.2 TFLOPS FP32, TPP 454.4), has
/// 4.9; the RTX 4090 69 (76.3 billion, AD102: NVIDIA Ada Lovelace whitepaper; TPP 5,285), the
/// H100 SXM5 198 (80 billion, Hopper whitepaper; TPP 15,832), the MI355X 326 (AMD). Rates
/// written in PFLOPS (the figures DGX and HGX datasheets print, a thousandth of the TFLOPS)
/// give every one of them under 0.4 (the H100 0.2), and a TPP of 16 would take the H100 out
/// of 3A090.a (tester round 6, S14).
pub const MIN_TPP_PER_BILLION_TRANSISTORS: u32 = 1;

/// Least TPP per GB/s of memory bandwidth taken as stated for a processor whose memory is
/// stated to be HBM (E0234): 0.04. Every HBM processor in rules/products has at least 0.59
/// (the H20: TPP 2,368 over 4,000 GB/s; the H100 SXM5 4.7, the MI300X 3.9); the HBM vector
/// processors with the least compute for their memory, NEC's SX-Aurora TSUBASA (2.45 TFLOPS
/// FP64 over 1.2 TB/s: TPP 157, 0.13) and Fujitsu's A64FX (2.7 TFLOPS FP64, 10.8 FP16 over
/// 1,024 GB/s: 0.17), three times more. Rates in PFLOPS give the catalog's HBM parts under
/// 0.008 (the H100 0.005). It catches a sheet whose transistor count is not given.
pub const MIN_TPP_PER_HBM_GBPS: Decimal = Decimal::from_parts(4, 0, 0, false, 2);

/// The problem with a TPP too low for what the product states beside it, if any (E0234): an
/// exact TPP below [`MIN_TPP_PER_BILLION_TRANSISTORS`] per billion of its transistors, or
/// below [`MIN_TPP_PER_HBM_GBPS`] per GB/s of its HBM bandwidth (at least one stack's, see
/// [`MIN_HBM_BANDWIDTH_GBPS`]). Such rates are written in PFLOPS in fields that are TOPS or
/// TFLOPS; read as stated, they would take the part out of every TPP band of 3A090.
pub(crate) fn tpp_too_low(product: &Product) -> Option<Problem> {
    let tpp = exact_tpp(product)?;
    let billion = Decimal::from(1_000_000_000u32);
    let per_transistors = product
        .transistors
        .filter(|t| *t >= Decimal::from(MIN_TRANSISTORS))
        .and_then(|t| t.checked_div(billion))
        .filter(|b| tpp < *b * Decimal::from(MIN_TPP_PER_BILLION_TRANSISTORS))
        .map(|b| {
            format!(
                "{} per billion of its {} billion transistors (every part in the catalog has at least 4.9: H100 198, RTX 4090 69)",
                (tpp / b).round_dp(3).normalize(),
                b.round_dp(3).normalize()
            )
        });
    let per_hbm = product
        .memory
        .as_ref()
        .filter(|m| is_stated_hbm(m))
        .and_then(|m| m.bandwidth_gbps)
        .filter(|bw| *bw >= Decimal::from(MIN_HBM_BANDWIDTH_GBPS) && tpp < *bw * MIN_TPP_PER_HBM_GBPS)
        .map(|bw| {
            format!(
                "{} per GB/s of its {} GB/s of HBM (every HBM processor in the catalog has at least 0.59: H20)",
                (tpp / bw).round_dp(4).normalize(),
                bw.normalize()
            )
        });
    let why = per_transistors.or(per_hbm)?;
    let mut p = Problem::new(
        Code::E0234,
        format!(
            "the TPP {} from the rates is {why}: rates written in PFLOPS? the rates are TOPS/TFLOPS",
            tpp.normalize()
        ),
    );
    p.help = Some(
        "write the dense rates in TOPS/TFLOPS (`fp8 = 1978.9` for 1.9789 PFLOPS); leave a rate out, or `complete` unset, if it is unknown"
            .into(),
    );
    Some(p)
}

/// Fewest transistors per mm² of logic die for a product whose `process_node` names only a
/// node of the 5 nm class or below (E0235): 30 million. Every such die in rules/products holds
/// several times more: NVIDIA GH100 (TSMC 4N) 80 billion on 814 mm², 98 million per mm²
/// (Hopper whitepaper); AD104 35.8 billion on 294.5 mm², 122 million (Ada Lovelace
/// whitepaper); B200 130 million, MI355X 210 million. A die area with its decimal point
/// slipped (the L4's 294.5 mm² written `2945`: 12 million per mm²) is ten times too large and
/// divides the performance density by ten, taking the L4 out of 3A090.a.2 (tester round 6,
/// S13).
pub const MIN_5NM_CLASS_TRANSISTORS_PER_MM2: u64 = 30_000_000;

/// Fewest transistors per mm² of logic die for a product whose `process_node` names only nodes
/// of the 7 nm class or below but not only of the 5 nm class (E0235): 20 million. A node of
/// several parts, each of the 7 nm class or below, has it: AMD's MI300X (`TSMC N5 (8 XCD) + N6
/// (4 IOD)`, 153 billion transistors, AMD Instinct MI300X data sheet) holds 68.3 million per
/// mm² of its 2,240 mm² of dies, and written 15.3 billion, 6.8 million, is refused. NVIDIA GA100
/// (TSMC N7) holds 54.2 billion on 826 mm², 65.6 million per mm² (NVIDIA A100 Tensor Core GPU
/// Architecture whitepaper); AMD MI250X (TSMC N6) 58.2 billion on two dies of 724 mm², 40.2
/// million (AMD CDNA 2 Architecture whitepaper). A transistor count slipped tenfold (the A100's
/// 54.2 billion written 5.42: 6.6 million per mm²) would rebut the presumption of Note 1 to
/// 3A090.a by packaging, which asks for fewer than 30 billion (tester round 7, T9).
pub const MIN_7NM_CLASS_TRANSISTORS_PER_MM2: u64 = 20_000_000;

/// The density floor of the node a free-text `process_node` names, with an example for the
/// message: [`MIN_5NM_CLASS_TRANSISTORS_PER_MM2`] when every part of it is of the 5 nm class or
/// below ([`NodeBounds::coarsest`] 1 to 5: `TSMC 4N`, `TSMC N5 (2 compute
/// dies)`), [`MIN_7NM_CLASS_TRANSISTORS_PER_MM2`] when every part is of the 7 nm class or below
/// (`TSMC N7`, `TSMC N6`, `7nm`, `SMIC N+2 / TSMC N7`, `TSMC N5 (8 XCD) + N6 (4 IOD)`: the
/// counts in parentheses are no node numbers), `None` otherwise (a larger node, `Samsung 8N`,
/// a part without a node number, or no number).
fn node_density_floor(node: &str) -> Option<(u64, &'static str)> {
    // The coarsest part: the check refuses, and a package also holding dies of a coarser node
    // is held only to that node's floor ([`NodeBounds`]).
    if names_5nm_class_node(node) {
        return Some((MIN_5NM_CLASS_TRANSISTORS_PER_MM2, "30 million (TSMC 4N: 98 million, H100)"));
    }
    NodeBounds::of(node)
        .every_part_within(7)
        .then_some((MIN_7NM_CLASS_TRANSISTORS_PER_MM2, "20 million (TSMC N7: 65.6 million, A100)"))
}

/// The problem with a transistor density below what the stated node gives, if any (E0235):
/// `process_node` of the 7 nm class or below ([`node_density_floor`]) and the transistor
/// count below its floor per mm² of the logic dies whose area is
/// given (area × count). Dies of unknown area only make the true density lower still.
pub(crate) fn node_density(product: &Product) -> Option<Problem> {
    let (per_mm2_floor, example) = node_density_floor(product.process_node.as_deref()?)?;
    let transistors = product.transistors.filter(|t| *t >= Decimal::from(MIN_TRANSISTORS))?;
    let area = product
        .logic_dies
        .iter()
        .filter_map(|d| d.area_mm2.and_then(|a| a.checked_mul(Decimal::from(d.count))))
        .try_fold(Decimal::ZERO, Decimal::checked_add)?;
    let floor = area.checked_mul(Decimal::from(per_mm2_floor))?;
    if area.is_zero() || transistors >= floor {
        return None;
    }
    let per_mm2 = (transistors / area / Decimal::from(1_000_000)).round_dp(1).normalize();
    let mut p = Problem::new(
        Code::E0235,
        format!(
            "the {} mm² of logic die hold {per_mm2} million transistors per mm², but the process node `{}` gives at least {example}: a die area ten times too large or a transistor count ten times too small (decimal point slipped)?",
            area.normalize(),
            product.process_node.as_deref().unwrap_or_default().trim()
        ),
    );
    p.help = Some("write the area of one die in mm² (`area = 294.5`), and the whole transistor count; leave a figure out if it is unknown".into());
    Some(p)
}

/// Largest area of one logic die taken as stated, in mm² (E0236): 858 mm², the exposure field of lithography scanners (26 mm × 33 mm: ASML
/// TWINSCAN NXT and NXE product specifications), which a die made in one exposure cannot
/// exceed. The largest in rules/products are 826 mm² (NVIDIA GA100, Intel Gaudi 2). A
/// wafer-scale or multi-reticle (stitched) die says so itself: `[[logic_die]] wafer_scale =
/// true` ([`LogicDie::wafer_scale`]), never a word of the package, the node or a name (tester
/// round 9, U5: TSMC's CoWoS-L, the B200's package, is built on a "multi-reticle interposer"
/// that carries dies of one field each, and a die named "not stitched" held the word). The
/// field holds at every node, so a sheet without a process node is checked when it states its
/// transistor count (a real part's figures: tester round 6, S13, the L4's 294.5 mm² written
/// `2945` with the node left out, which E0235 cannot read); a sheet with neither (the
/// illustrative figures of some rule tests and the generated sheets of the property tests) is
/// not checked: tester round 8's T2b (the L4 so written with both left out) stays open.
pub const MAX_RETICLE_DIE_AREA_MM2: u32 = 858;

/// The problem with one logic die's area above [`MAX_RETICLE_DIE_AREA_MM2`], if any (E0236),
/// for a product whose process node or transistor count is given, unless the die is stated
/// wafer-scale ([`LogicDie::wafer_scale`]).
pub(crate) fn die_above_reticle(product: &Product, die: &LogicDie) -> Option<Problem> {
    let area = die.area_mm2.filter(|a| *a > Decimal::from(MAX_RETICLE_DIE_AREA_MM2))?;
    let node_given = product.process_node.as_deref().is_some_and(|n| !n.trim().is_empty());
    if !(node_given || product.transistors.is_some()) || die.wafer_scale {
        return None;
    }
    let mut p = Problem::new(
        Code::E0236,
        format!(
            "a logic die of {} mm² is larger than one lithography exposure field (26 mm × 33 mm, {MAX_RETICLE_DIE_AREA_MM2} mm²): a decimal point slipped, or the area of all the dies?",
            area.normalize()
        ),
    );
    p.help = Some(
        "write the area of ONE die in mm² (`area = 294.5`), with `count` for identical dies; a wafer-scale or multi-reticle die says so with `wafer_scale = true` in its [[logic_die]]"
            .into(),
    );
    Some(p)
}

/// Memory bandwidth density above which a stand-alone memory is high-bandwidth memory, GB/s per
/// mm² of stack area (E0237): 2, the 3A090.c parameter (89 FR 96790). BIS stated with the rule
/// that every HBM stack then in production exceeded it (rules/us-ear/NOTES.md §3), and no other
/// DRAM reaches it (GDDR7 under 1 GB/s per mm² of package).
pub const HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2: u32 = 2;

/// Memory bandwidth density below which a stand-alone memory stated to be HBM is refused, GB/s
/// per mm² (E0238): 2, what BIS stated with the rule that every HBM stack in production
/// exceeds (89 FR 96790; rules/us-ear/NOTES.md §3). Exactly 2 is taken as stated: it is the
/// boundary of 3A090.c ("more than 2"), which the rule tests' boundary stacks
/// (rules/us-ear/tests/sheets/example-boundary-mbd-2.toml) decide. A stack area in µm² (121 mm² as
/// `121000000`) or with its decimal point slipped (`1210`) reads below it and would take the
/// stack out of 3A090.c (tester round 6, S14). The floor was 1 until tester round 7 (T5): an
/// HBM3E stack of 1,280 GB/s (Samsung HBM3E 12H) over `1210` reads 1.06, an HBM4 stack of
/// 2,048 GB/s (JESD270-4) 1.69, both cleared; a stated HBM stack that does not exceed 2 GB/s
/// per mm² contradicts its own sheet, as `hbm = false` above 2 does (E0237).
pub const MIN_HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2: u32 = 2;

/// The problem with a stand-alone memory's HBM flag or stack area that its own bandwidth
/// density contradicts, if any: `hbm = false` above
/// [`HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2`] (E0237), or stated HBM below
/// [`MIN_HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2`] with a bandwidth of at least one stack (E0238;
/// a bandwidth below it is the figure mistyped, E0232).
pub(crate) fn stack_density(product: &Product) -> Option<Problem> {
    if product.kind != ProductKind::Memory {
        return None;
    }
    let m = product.memory.as_ref()?;
    let (bw, area) = (m.bandwidth_gbps?, m.stack_area_mm2.filter(|a| *a > Decimal::ZERO)?);
    let density = bw.checked_div(area)?;
    let shown = density.round_dp(3).normalize();
    // A kind naming HBM beside `hbm = false` is refused by E0221 alone.
    let kind_names_hbm = m.kind.as_deref().is_some_and(names_hbm);
    if m.hbm == Some(false) && !kind_names_hbm && density > Decimal::from(HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2) {
        let mut p = Problem::new(
            Code::E0237,
            format!(
                "`hbm = false`, but {} GB/s over {} mm² of stack is {shown} GB/s per mm²: above the 2 GB/s per mm² that every HBM stack exceeds and no other memory reaches (3A090.c, 89 FR 96790)",
                bw.normalize(),
                area.normalize()
            ),
        );
        p.help = Some("write `hbm = true` for a stacked high-bandwidth memory (3A090.c covers HBM whether or not it follows the JEDEC standards), or check the bandwidth and the stack area".into());
        return Some(p);
    }
    // A bandwidth below one stack's is the figure mistyped, refused by E0232 alone.
    let bandwidth_refused = bw < Decimal::from(MIN_HBM_BANDWIDTH_GBPS);
    if is_stated_hbm(m) && !bandwidth_refused && density < Decimal::from(MIN_HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2) {
        let mut p = Problem::new(
            Code::E0238,
            format!(
                "an HBM stack of {} GB/s over {} mm² is {shown} GB/s per mm², below 2 (every HBM stack in production exceeds 2, 89 FR 96790): the stack area in µm², or a decimal point slipped? `stack_area` is mm²",
                bw.normalize(),
                area.normalize()
            ),
        );
        p.help = Some(
            "write the stack's area in mm² (`stack_area = 121` for 11 mm × 11 mm); leave the key out if it is unknown"
                .into(),
        );
        return Some(p);
    }
    None
}

/// Deepest nesting of contained products checked (a product sheet allows 8 levels of inline
/// sheets; a deeper product built in code is refused rather than followed).
const MAX_CONTAINS_DEPTH: usize = 8;

/// Where a problem of a product in memory is: the product and the field.
fn site(product: &Product, field: &str) -> Site {
    Site::whole_file(format!("product `{}`, {field}", product.id))
}

impl Product {
    /// Checks the product as a product sheet is checked: the same codes, messages and help as
    /// [`parse_product_sheet`](super::parse_product_sheet) gives (each diagnostic names the
    /// product and the field instead of a line and column). A product that fails is never
    /// cleared: [`PreparedProduct::new`](crate::PreparedProduct::new) makes every determination
    /// of it `indeterminate`, and [`PreparedProduct::try_new`](crate::PreparedProduct::try_new)
    /// refuses it.
    ///
    /// Checked: the id; the name and the vendor (no direction control, E0510); no control
    /// character, E0523); the name has a letter or digit (E0524); the year; the
    /// declared ECCN written as an ECCN (E0247); every figure (not negative, at most 10^15 with at most 6
    /// decimal places, not zero); die counts (1 to 10000); each rate list (no precision twice,
    /// none both rated and unsupported, not complete without a rate); `contains` (only in a
    /// computer, counts 1 to 100000, each inline product checked the same way, at most 8 levels
    /// deep, at most [`MAX_CONTAINED_TOTAL`] products in all, E0224).
    ///
    /// # Errors
    /// Every problem found.
    pub fn validate(&self) -> Result<(), Diagnostics> {
        let mut out = Vec::new();
        self.validate_into(0, false, &mut out);
        if out.is_empty() { Ok(()) } else { Err(Diagnostics(out)) }
    }

    /// [`Product::validate`] for the figures of a computer or board read as one aggregate
    /// integrated circuit (its own figures, else the sum over its contents: the `aggregate`
    /// reading of `[aggregation]`): every check, except those that bound what ONE package
    /// holds, which a sum over many packages exceeds by design (tester round 14, O3: the 72
    /// GPUs of a GB200 NVL72, 144 dies of 800 mm², total 115,200 mm², above one 300 mm
    /// wafer). Not checked: the logic dies' total area against one wafer (E0226) and the
    /// package text naming more dies than listed (E0227). Each die's own area (E0236), the
    /// figures' ranges and the densities (a sum over a sum) are checked as for any product.
    ///
    /// # Errors
    /// Every problem found.
    pub fn validate_as_aggregate(&self) -> Result<(), Diagnostics> {
        let mut out = Vec::new();
        self.validate_into(0, true, &mut out);
        if out.is_empty() { Ok(()) } else { Err(Diagnostics(out)) }
    }

    /// `aggregate`: the product is a system's figures read as one IC
    /// ([`Product::validate_as_aggregate`]).
    fn validate_into(&self, depth: usize, aggregate: bool, all: &mut Vec<Diagnostic>) {
        let mut out = Vec::new();
        self.figure_problems(&mut out);
        self.unit_and_die_problems(aggregate, &mut out);
        self.memory_and_kind_problems(&mut out);
        let mut push = |field: &str, p: Option<Problem>| push_at(&mut out, self, field, p);
        let mut inner = Vec::new();
        for (i, c) in self.contains.iter().enumerate() {
            push(&format!("contains {}, count", i + 1), contains_count(i64::from(c.count)));
            match &c.sheet {
                Some(_) if depth + 1 >= MAX_CONTAINS_DEPTH => {
                    let message = format!("inline sheets are nested more than {MAX_CONTAINS_DEPTH} levels deep");
                    push(&format!("contains {}", i + 1), Some(Problem::new(Code::E0217, message)));
                }
                Some(sheet) if sheet.id != c.product => {
                    let message = format!("`contains` names `{}` but carries the sheet of `{}`", c.product, sheet.id);
                    push(&format!("contains {}", i + 1), Some(Problem::new(Code::E0219, message)));
                }
                Some(sheet) => inner.push(sheet),
                None => {}
            }
        }
        if depth == 0 {
            push("contains", contained_total_problem(self));
        }
        all.append(&mut out);
        for sheet in inner {
            sheet.validate_into(depth + 1, false, all);
        }
    }

    /// The id, name, vendor and year, each figure of the product itself, and the transistor
    /// count (E0223) with the densities it gives over the logic dies (E0230, E0233).
    fn figure_problems(&self, out: &mut Vec<Diagnostic>) {
        let mut push = |field: &str, p: Option<Problem>| push_at(out, self, field, p);
        push("id", id(&self.id));
        push("name", direction_control("name", &self.name));
        push("name", blank_name(&self.name));
        push("vendor", direction_control("vendor", &self.vendor));
        push("name", control_character("name", &self.name));
        push("vendor", control_character("vendor", &self.vendor));
        push("year", self.year.and_then(|y| year(i64::from(y))));
        push("declared_eccn", self.declared_eccn.as_deref().and_then(super::eccn::declared_eccn));
        let figures = [
            ("transistors", self.transistors, Figure::Transistors),
            ("interconnect_bandwidth", self.interconnect_bandwidth_gbps, Figure::InterconnectBandwidth),
            ("tpp_reported", self.tpp_reported, Figure::TppReported),
        ];
        for (field, v, f) in figures {
            push(field, v.and_then(|v| figure(v, f)));
        }
        let count_problem = self.transistors.filter(|v| *v > Decimal::ZERO).and_then(transistor_count);
        let whole_count = count_problem.is_none();
        push("transistors", count_problem);
        if whole_count {
            let positive = self.transistors.filter(|v| *v > Decimal::ZERO);
            push("transistors", positive.and_then(|t| transistor_density(t, &self.logic_dies)));
            push("transistors", positive.and_then(|t| legacy_planar_density(t, &self.logic_dies)));
        }
    }

    /// Each processing unit's rates and rate list, and each logic die: its area and count, the
    /// reticle limit (E0236), its flags against the node (E0240, E0241), its name given once;
    /// the dies' total area against one wafer's (E0226) and the dies a package text names
    /// (E0227), both only for one package (not `aggregate`, a system's summed figures).
    fn unit_and_die_problems(&self, aggregate: bool, out: &mut Vec<Diagnostic>) {
        let mut push = |field: &str, p: Option<Problem>| push_at(out, self, field, p);
        for (i, unit) in self.processing_units.iter().enumerate() {
            let at = |what: &str| format!("processing unit {} (`{}`), {what}", i + 1, unit.name);
            for r in &unit.rates {
                push(&at(r.precision.as_str()), figure(r.tops, Figure::Rate));
            }
            for p in rate_list(unit) {
                push(&at("rate list"), Some(p));
            }
        }
        for (i, die) in self.logic_dies.iter().enumerate() {
            let at = |what: &str| format!("logic die {}, {what}", i + 1);
            push(&at("area"), die.area_mm2.and_then(|v| figure(v, Figure::DieArea)));
            push(&at("count"), die_count(i64::from(die.count)));
            push(&at("area"), die_above_reticle(self, die));
            push(&at("flags"), super::plausible::die_flags_against_node(self, die));
            let earlier = self.logic_dies.get(..i).unwrap_or_default();
            if let Some(name) = &die.name
                && let Some(first) = earlier.iter().filter_map(|d| d.name.as_deref()).find(|n| same_die_name(n, name))
            {
                push(&at("name"), Some(die_listed_twice(first)));
            }
        }
        if !aggregate {
            push("logic die, count", super::die_count::package_area(self));
            push("logic die, count", super::die_count::more_dies_named(self));
        }
    }

    /// The memory's figures and HBM bandwidth (E0232, E0239, E0242), the figures against each
    /// other (E0234, E0225, E0235, E0237, E0238), and the kind against what the product holds
    /// (E0218, E0221) and `contains` only in a computer (E0213).
    fn memory_and_kind_problems(&self, out: &mut Vec<Diagnostic>) {
        let mut push = |field: &str, p: Option<Problem>| push_at(out, self, field, p);
        if let Some(m) = &self.memory {
            push("memory, bandwidth", m.bandwidth_gbps.and_then(|v| figure(v, Figure::MemoryBandwidth)));
            push("memory, capacity", m.capacity_gb.and_then(|v| figure(v, Figure::MemoryCapacity)));
            push("memory, stack_area", m.stack_area_mm2.and_then(|v| figure(v, Figure::StackArea)));
            push("memory, bandwidth", hbm_bandwidth(m));
        }
        push("memory, bandwidth", super::plausible::hbm_generation_bandwidth(self));
        push("rates", tpp_too_low(self).or_else(|| super::plausible::tpp_too_low_for_memory_or_die(self)));
        push("interconnect_bandwidth", interconnect_below_host_link(self));
        push("logic die, area", node_density(self));
        push("memory, stack_area", stack_density(self));
        if self.kind == ProductKind::Memory && self.processing_units.iter().any(|u| !u.rates.is_empty()) {
            push("kind", Some(memory_with_rates()));
        }
        if self.kind == ProductKind::Memory && !self.logic_dies.is_empty() {
            push("kind", Some(memory_with_logic("logic die ([[logic_die]])")));
        }
        if self.kind == ProductKind::Memory && self.interconnect_bandwidth_gbps.is_some() {
            push("kind", Some(memory_with_logic("interconnect bandwidth")));
        }
        if let Some(m) = &self.memory
            && let Some(kind) = m.kind.as_deref().filter(|k| names_hbm(k))
            && m.hbm == Some(false)
        {
            push("memory, hbm", Some(hbm_kind_not_hbm(kind)));
        }
        push("memory, hbm", hbm_name_not_hbm(self));
        if !self.contains.is_empty() && self.kind != ProductKind::Computer {
            push("contains", Some(contains_in_ic()));
        }
        push("kind", super::die_count::computer_names_dies(self));
    }
}

/// Pushes `p`, if any, as the diagnostic at `field` of `product`.
fn push_at(out: &mut Vec<Diagnostic>, product: &Product, field: &str, p: Option<Problem>) {
    if let Some(p) = p {
        out.push(p.at(&site(product, field)));
    }
}

/// The contradictions of one rate list.
fn rate_list(unit: &ProcessingUnit) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: Vec<Precision> = Vec::new();
    for r in &unit.rates {
        if seen.contains(&r.precision) {
            out.push(twice(r.precision));
        }
        seen.push(r.precision);
    }
    let mut listed: Vec<Precision> = Vec::new();
    for &p in &unit.unsupported {
        if listed.contains(&p) {
            out.push(twice(p));
        } else if seen.contains(&p) {
            out.push(rate_and_unsupported(p));
        }
        listed.push(p);
    }
    if unit.rates.is_empty() && unit.rates_complete() {
        out.push(complete_without_rates());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LogicDie, ProductKind, Rate};
    use std::str::FromStr;

    fn product() -> Product {
        Product {
            id: "x".into(),
            name: "X".into(),
            vendor: "V".into(),
            year: None,
            kind: ProductKind::IntegratedCircuit,
            package: None,
            form_factor: None,
            designed_or_marketed_for_datacenter: Some(true),
            commercially_available_in_us: None,
            process_node: None,
            transistors: None,
            interconnect_bandwidth_gbps: None,
            processing_units: vec![ProcessingUnit::new(
                "processor",
                vec![Rate { precision: Precision::Fp8, tops: Decimal::from(1000) }],
            )],
            logic_dies: vec![LogicDie {
                name: None,
                area_mm2: Some(Decimal::from(800)),
                count: 1,
                non_planar: Some(true),
                at_or_below_16_14nm: None,
                wafer_scale: false,
            }],
            logic_dies_complete: false,
            memory: None,
            tpp_reported: None,
            declared_eccn: None,
            contains: Vec::new(),
            published_classification: None,
            confidence: None,
            sources: vec![],
            notes: vec![],
        }
    }

    #[test]
    fn a_valid_product_passes() {
        assert_eq!(product().validate(), Ok(()));
    }

    #[test]
    fn a_processor_typed_as_memory_is_refused() {
        let mut p = product();
        p.kind = ProductKind::Memory;
        let d = p.validate().unwrap_err().0;
        // Its rates, and its non-planar logic die: each a figure of a logic IC.
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.code == Code::E0218 && d.file == "product `x`, kind"), "{d:?}");
        // Without rates, the logic die alone still refuses it.
        p.processing_units.clear();
        let d = p.validate().unwrap_err().0;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::E0218);
    }

    #[test]
    fn a_contained_id_that_is_not_its_sheet_is_refused() {
        let mut board = product();
        board.id = "board".into();
        board.kind = ProductKind::Computer;
        board.processing_units.clear();
        board.logic_dies.clear();
        let sheet = Box::new(product());
        board.contains.push(crate::model::Contained {
            product: "nvidia-h100-sxm5-80gb".into(),
            count: 8,
            sheet: Some(sheet),
        });
        let d = board.validate().unwrap_err().0;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::E0219);
        assert_eq!(d[0].message, "`contains` names `nvidia-h100-sxm5-80gb` but carries the sheet of `x`");
        board.contains[0].product = "x".into();
        assert_eq!(board.validate(), Ok(()));
    }

    #[test]
    fn a_negative_rate_gets_the_sheet_message_and_names_the_field() {
        let mut p = product();
        p.processing_units[0].rates[0].tops = Decimal::from(-1000);
        let d = p.validate().unwrap_err().0;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::E0201);
        assert_eq!(d[0].message, "-1000 is negative; figures must be greater than zero");
        assert_eq!(d[0].file, "product `x`, processing unit 1 (`processor`), fp8");
    }

    #[test]
    fn zeros_huge_figures_and_contradictions_are_refused() {
        let mut p = product();
        p.processing_units[0].rates[0].tops = Decimal::ZERO;
        p.interconnect_bandwidth_gbps = Some(Decimal::ZERO);
        p.transistors = Some(Decimal::from_str("79228162514264337593543950335").unwrap());
        p.logic_dies[0].count = 0;
        p.processing_units[0].unsupported = vec![Precision::Fp8];
        let d = p.validate().unwrap_err().0;
        let got: Vec<(Code, &str)> = d.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Code::E0201, "79228162514264337593543950335 is larger than the largest accepted figure (10^15)"),
                (
                    Code::E0202,
                    "an interconnect bandwidth must be greater than zero; leave the key out if it is unknown"
                ),
                (Code::E0202, "a rate must be greater than zero; leave the key out if it is unknown"),
                (Code::E0211, "`fp8` has a rate and is listed in `unsupported`"),
                (Code::E0207, "die count 0 must be a whole number from 1 to 10000"),
            ]
        );
    }

    #[test]
    fn a_complete_list_needs_a_rate() {
        let mut p = product();
        p.processing_units[0].rates.clear();
        p.processing_units[0].complete = true;
        let d = p.validate().unwrap_err().0;
        assert_eq!(d[0].message, "the rate list has no rate but is stated complete");
        p.processing_units[0].complete = false;
        assert_eq!(p.validate(), Ok(()), "an empty list not stated complete is an unknown TPP");
    }

    #[test]
    fn only_nodes_of_the_5nm_class_or_below_are_read_from_the_process_node() {
        // Intel 18A and TSMC A16 are named in ångströms: 1.8 and 1.6 nm (tester round 8, T13).
        for node in [
            "TSMC 4N",
            "TSMC 4NP (assumed)",
            "N3P",
            "5 nm",
            "Intel 4",
            "ＴＳＭＣ ４Ｎ",
            "Samsung 5LPE",
            "Intel 18A",
            "TSMC A16",
        ] {
            assert!(names_5nm_class_node(node), "{node}");
        }
        let others = [
            "TSMC N5 (8 XCD) + N6 (4 IOD)",
            "TSMC N7",
            "SMIC N+1/N+2 (7nm-class)",
            "Samsung 8N",
            "GlobalFoundries 12FDX",
            "28 nm bulk planar",
            "planar, node not stated",
            "",
        ];
        for node in others {
            assert!(!names_5nm_class_node(node), "{node}");
        }
    }
}
