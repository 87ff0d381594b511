//! Products (chips, boards, computers, memory stacks) described by their performance
//! attributes. Any figure may be unknown (`None`); an unknown figure is never read as zero.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What kind of item a product is; decides which ECCN family can classify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// A chip, module or add-in card, classified as the IC it carries (ECCN 3A090), as vendors do.
    IntegratedCircuit,
    /// A server, multi-GPU board or system containing ICs (ECCN 4A090).
    Computer,
    /// A stand-alone memory stack such as HBM (ECCN 3A090.c).
    Memory,
}

impl ProductKind {
    /// Every kind, in vocabulary order.
    pub const ALL: [ProductKind; 3] = [Self::IntegratedCircuit, Self::Computer, Self::Memory];

    /// Vocabulary name, as in rule conditions (`kind == "computer"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IntegratedCircuit => "integrated_circuit",
            Self::Computer => "computer",
            Self::Memory => "memory",
        }
    }

    /// Parses a vocabulary name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The physical form of an integrated circuit as sold, stated as a typed fact (`form_factor` in a
/// sheet), not read from a word of `package`: it decides which interconnect floor E0225 holds a
/// part to. A datacenter IC with high-bandwidth memory and a TPP of at least
/// [`MODULE_TPP`](super::figures::MODULE_TPP) is held to the module floor unless it is stated
/// a PCIe card (tester round 9, U4: a package text "8-GPU baseboard, PCIe Gen5 x16 host link"
/// took an H20-class part out of the module floor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormFactor {
    /// An add-in card on a PCIe slot (its host link may be its only interconnect).
    PcieCard,
    /// A mezzanine module (NVIDIA SXM, OCP OAM, a vendor's own), usually on a multi-chip board.
    Module,
    /// A bare packaged chip, soldered or socketed.
    Chip,
}

impl FormFactor {
    /// Sheet name (`form_factor = "pcie_card"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PcieCard => "pcie_card",
            Self::Module => "module",
            Self::Chip => "chip",
        }
    }
}

/// A numeric format with its bit length for TPP (15 CFR 774 Supp. 1, ECCN 3A090, Technical
/// Note 2 to 3A090.a and .b: "bit length of the operation"). TF32 counts 32 bits, its storage
/// width (the convention of rules/products/NOTES.md §2; BIS has published no ruling on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// IEEE double precision, vector units.
    Fp64,
    /// Double precision on tensor cores (NVIDIA).
    Fp64Tensor,
    /// Double precision on matrix cores (AMD).
    Fp64Matrix,
    /// IEEE single precision, vector units.
    Fp32,
    /// Single precision on matrix cores (AMD).
    Fp32Matrix,
    /// TensorFloat-32, counted at 32 bits.
    Tf32,
    /// bfloat16.
    Bf16,
    /// IEEE half precision.
    Fp16,
    /// 16-bit integer.
    Int16,
    /// 8-bit floating point.
    Fp8,
    /// 8-bit integer.
    Int8,
    /// 6-bit floating point (e.g. MXFP6).
    Fp6,
    /// 4-bit floating point (e.g. FP4, MXFP4, NVFP4).
    Fp4,
    /// 4-bit integer.
    Int4,
}

impl Precision {
    /// Every precision, in product-sheet order.
    pub const ALL: [Precision; 14] = [
        Self::Fp64,
        Self::Fp64Tensor,
        Self::Fp64Matrix,
        Self::Fp32,
        Self::Fp32Matrix,
        Self::Tf32,
        Self::Bf16,
        Self::Fp16,
        Self::Int16,
        Self::Fp8,
        Self::Int8,
        Self::Fp6,
        Self::Fp4,
        Self::Int4,
    ];

    /// Bit length of the operation.
    pub fn bits(self) -> u32 {
        match self {
            Self::Fp64 | Self::Fp64Tensor | Self::Fp64Matrix => 64,
            Self::Fp32 | Self::Fp32Matrix | Self::Tf32 => 32,
            Self::Bf16 | Self::Fp16 | Self::Int16 => 16,
            Self::Fp8 | Self::Int8 => 8,
            Self::Fp6 => 6,
            Self::Fp4 | Self::Int4 => 4,
        }
    }

    /// Parses a product-sheet key (`fp8`).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Product-sheet key, e.g. `fp8`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fp64 => "fp64",
            Self::Fp64Tensor => "fp64_tensor",
            Self::Fp64Matrix => "fp64_matrix",
            Self::Fp32 => "fp32",
            Self::Fp32Matrix => "fp32_matrix",
            Self::Tf32 => "tf32",
            Self::Bf16 => "bf16",
            Self::Fp16 => "fp16",
            Self::Int16 => "int16",
            Self::Fp8 => "fp8",
            Self::Int8 => "int8",
            Self::Fp6 => "fp6",
            Self::Fp4 => "fp4",
            Self::Int4 => "int4",
        }
    }
}

/// One dense peak rate: TOPS (or TFLOPS) at a precision, as vendors print it (2 × MacTOPS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// The precision.
    pub precision: Precision,
    /// Dense (non-sparse) rate in TOPS / TFLOPS.
    pub tops: Decimal,
}

/// A processing unit whose rates count separately towards TPP (TPP sums over units).
///
/// TPP is the maximum over *every* precision the unit supports (15 CFR 774 Supp. No. 1, 3A090
/// Technical Note 2), so a rate list that leaves a precision out gives only a lower bound. The
/// list is complete when `complete` says so, or when every precision has a rate or is listed
/// in `unsupported` ([`ProcessingUnit::rates_complete`]); otherwise the TPP is "at least" the
/// figure computed, and a comparison that a higher TPP could flip is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessingUnit {
    /// Label, e.g. "GPU" or "Neural Engine".
    pub name: String,
    /// Dense rates per precision; an empty list means unknown.
    pub rates: Vec<Rate>,
    /// The rates cover every precision the unit supports, or at least every one that could set
    /// the maximum (no precision left out has a higher TOPS × bit length than one listed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    /// Precisions the unit does not support.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Precision>,
}

impl ProcessingUnit {
    /// A unit with these rates, not stated complete (its TPP is a lower bound).
    pub fn new(name: impl Into<String>, rates: Vec<Rate>) -> Self {
        ProcessingUnit { name: name.into(), rates, complete: false, unsupported: Vec::new() }
    }

    /// Whether the rates give the unit's TPP exactly: the list is stated complete, or every
    /// precision has a rate or is listed as unsupported.
    pub fn rates_complete(&self) -> bool {
        self.complete
            || Precision::ALL
                .iter()
                .all(|p| self.unsupported.contains(p) || self.rates.iter().any(|r| r.precision == *p))
    }

    /// How a missing-input list names this unit's rate list: `dense_tops` for the single
    /// `[dense_tops]` table of a sheet (unit `processor`), else `dense_tops of processing unit "…"`.
    pub fn rate_list_name(&self) -> String {
        if self.name == SINGLE_UNIT {
            "dense_tops".to_string()
        } else {
            format!("dense_tops of processing unit \"{}\"", self.name)
        }
    }
}

/// The name of the one processing unit a sheet's `[dense_tops]` table describes.
pub const SINGLE_UNIT: &str = "processor";

/// A logic die in the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogicDie {
    /// Label, e.g. "GH100" or "XCD".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Area of one die in mm²; `None` if unknown.
    pub area_mm2: Option<Decimal>,
    /// Number of identical dies (at least 1).
    pub count: u32,
    /// Whether the die uses a non-planar transistor architecture (FinFET, GAA); `None` if unknown.
    pub non_planar: Option<bool>,
    /// Whether the die is produced at the "16/14 nanometer node" or below (15 CFR 772.1; a
    /// planar FD-SOI die at 12 nm is, a 28 nm die is not); `None` if unknown. With `non_planar`
    /// it decides whether the IC is an "applicable advanced logic integrated circuit" (15 CFR
    /// 772.1: produced at the 16/14 nm node or below, or non-planar), the IC Note 1 to 3A090.a
    /// reaches. The free-text `process_node` is never read for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_or_below_16_14nm: Option<bool>,
    /// Whether the die is one wafer-scale or multi-reticle (stitched) die, larger than one
    /// lithography exposure field (26 mm × 33 mm, 858 mm²): Cerebras's WSE-3, 46,225 mm² (Cerebras,
    /// 2024-03-13). Only such a die may exceed the field ([`MAX_RETICLE_DIE_AREA_MM2`], E0236);
    /// `false` when not stated. A stated fact of the die, never read from the package or a name
    /// (a CoWoS-L "multi-reticle interposer" holds dies of one field each: tester round 9, U5).
    ///
    /// [`MAX_RETICLE_DIE_AREA_MM2`]: crate::model::MAX_RETICLE_DIE_AREA_MM2
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wafer_scale: bool,
}

/// Memory attached to, or forming, the product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Memory {
    /// Technology, e.g. "HBM3e", "GDDR6".
    pub kind: Option<String>,
    /// Total DRAM/HBM bandwidth in GB/s.
    pub bandwidth_gbps: Option<Decimal>,
    /// Capacity in GB.
    pub capacity_gb: Option<Decimal>,
    /// Whether the memory is high-bandwidth memory (HBM).
    pub hbm: Option<bool>,
    /// For a stand-alone stack (kind `memory`): the stack's area in mm² (3A090.c).
    pub stack_area_mm2: Option<Decimal>,
}

/// A product contained in a computer or board (`contains` in a product sheet), with how many
/// of it the system holds. The ECCN 4A090 paragraph of a computer, electronic assembly or
/// component comes from the integrated circuits it contains (15 CFR 774 Supp. No. 1, ECCN
/// 4A090), so a system's sheet lists them rather than summed figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contained {
    /// Catalog id of the contained product (for an inline sheet, the sheet's own id).
    pub product: String,
    /// How many the system holds (at least 1).
    pub count: u32,
    /// The contained product's figures: copied from the catalog when the sheet names a catalog
    /// id (see [`crate::Catalog::resolve`]), or written inline. `None` while the id is not
    /// resolved: its figures are then unknown, and so is every classification that depends on
    /// them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Box<Product>>,
}

/// A product and everything known of it. Build one with [`crate::model::parse_product_sheet`]
/// or directly.
///
/// Deserialized (serde, e.g. JSON), it refuses a key it does not know, as a sheet refuses one
/// (E0102), and so do its rates, processing units, logic dies and memory: a misspelled key
/// (`eccn` for `declared_eccn`, `logic_die` for `logic_dies`) would otherwise drop the fact it
/// carries without a word (tester17 F1: an L20 whose vendor declares 3A090.a, written
/// `"eccn": "3A090.a"`, was cleared to China on 2024-06-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Catalog id, e.g. `nvidia-h100-sxm5-80gb`.
    pub id: String,
    /// Marketing name.
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// Year of introduction.
    pub year: Option<u16>,
    /// Kind of item.
    pub kind: ProductKind,
    /// Package or board form, e.g. "SXM5 module" (free text, information; see `form_factor`).
    pub package: Option<String>,
    /// The physical form as a typed fact, `None` if not stated (see [`FormFactor`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_factor: Option<FormFactor>,
    /// Designed or marketed for use in datacenters (Note 2 to 3A090.a and .b); `None` if unknown.
    pub designed_or_marketed_for_datacenter: Option<bool>,
    /// Commercially available in the United States (a condition of the 2026 H200 review
    /// policy); `None` if unknown. China-only variants (H20, H800, A800) are `false`.
    #[serde(default)]
    pub commercially_available_in_us: Option<bool>,
    /// Process node, e.g. "TSMC 4N".
    pub process_node: Option<String>,
    /// Aggregated transistor count.
    pub transistors: Option<Decimal>,
    /// Aggregate bidirectional I/O to ICs other than volatile memory, GB/s (2022 test of 3A090).
    pub interconnect_bandwidth_gbps: Option<Decimal>,
    /// Processing units with their dense rates.
    pub processing_units: Vec<ProcessingUnit>,
    /// Logic dies.
    pub logic_dies: Vec<LogicDie>,
    /// Whether the sheet states that `logic_dies` lists every logic die of the packaged IC and
    /// that `transistors` is the "aggregated approximated transistor count" over them (15 CFR
    /// 772.1), not a die's: `false` when not stated. Only then does a count below 30 billion
    /// rebut the presumption of Note 1 to 3A090.a by packaging (90 FR 5298); otherwise the count
    /// is read as at least itself (figures copied per die, the MI250X as one GCD: tester round
    /// 9, U2), as `complete` does for a rate list.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub logic_dies_complete: bool,
    /// Memory.
    pub memory: Option<Memory>,
    /// A TPP published by a third party, kept as a cross-check only (never used to classify).
    pub tpp_reported: Option<Decimal>,
    /// ECCN published by the vendor, if any, written as the CCL writes it (`3A090.a`, `EAR99`;
    /// E0247 otherwise). Compared with the ECCNs the figures give: a declared paragraph the
    /// figures do not reach is left undetermined, never cleared (15 CFR 732.3(b); a red flag,
    /// Supp. No. 3 to part 732); figures that reach a stricter ECCN decide, with a warning.
    pub declared_eccn: Option<String>,
    /// Classification published by press or vendor, as text (information only).
    pub published_classification: Option<String>,
    /// Confidence in the figures: "high", "medium", "low".
    pub confidence: Option<String>,
    /// Where the figures come from.
    pub sources: Vec<String>,
    /// Caveats about the figures.
    pub notes: Vec<String>,
    /// For a computer or board (kind `computer`): the products it contains, with counts. A
    /// computer with none listed has unknown contents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<Contained>,
}

impl Product {
    /// A product with an id, a name and a kind, and no other fact: no vendor (unknown), every
    /// figure and flag unknown, no rates, dies, memory, sources or contents. The start of a
    /// product built in code: `Product { vendor: "NVIDIA".into(), ..Product::blank(id, name, kind) }`.
    /// Like every product, it passes [`Product::validate`] or is never cleared.
    pub fn blank(id: impl Into<String>, name: impl Into<String>, kind: ProductKind) -> Product {
        Product {
            id: id.into(),
            name: name.into(),
            vendor: String::new(),
            year: None,
            kind,
            package: None,
            form_factor: None,
            designed_or_marketed_for_datacenter: None,
            commercially_available_in_us: None,
            process_node: None,
            transistors: None,
            interconnect_bandwidth_gbps: None,
            processing_units: Vec::new(),
            logic_dies: Vec::new(),
            logic_dies_complete: false,
            memory: None,
            tpp_reported: None,
            declared_eccn: None,
            published_classification: None,
            confidence: None,
            sources: Vec::new(),
            notes: Vec::new(),
            contains: Vec::new(),
        }
    }
}
