//! The attributes a rule condition may read: one name per concept, the same in rule files,
//! product sheets, JSON output and code (../shared/DESIGN.md, Vocabulary).

use crate::model::ProductKind;
use crate::number::Ratio;

/// An attribute of the product under evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attr {
    /// Total processing performance, bit × TOPS (Technical Note 2 to 3A090.a and .b).
    Tpp,
    /// TPP per mm² of applicable die area (Technical Note to 3A090).
    PerformanceDensity,
    /// Sum of non-planar logic die areas, mm².
    ApplicableDieArea,
    /// Aggregate bidirectional I/O to ICs other than volatile memory, GB/s (3A090.a, 2022 text).
    InterconnectBandwidth,
    /// Total DRAM/HBM bandwidth, GB/s.
    MemoryBandwidth,
    /// Memory bandwidth plus interconnect bandwidth, GB/s (the "two together" test of the 2025
    /// company notices).
    MemoryAndInterconnectBandwidth,
    /// Memory bandwidth per mm² of an HBM stack, GB/s per mm² (3A090.c).
    MemoryBandwidthDensity,
    /// Aggregated transistor count.
    Transistors,
    /// Designed or marketed for use in datacenters (Note 2 to 3A090.a and .b).
    DesignedOrMarketedForDatacenter,
    /// Whether the memory is HBM.
    Hbm,
    /// Commercially available in the United States (the 2026 H200 review policy).
    CommerciallyAvailableInUs,
    /// An "applicable advanced logic integrated circuit" (15 CFR 772.1): a logic die produced at
    /// the "16/14 nanometer node" or below, or with a non-planar transistor architecture. Read
    /// from each `[[logic_die]]`'s `non_planar` and `at_or_below_16_14nm`; unknown while a die
    /// neither qualifies nor is known not to (Note 1 to 3A090.a, 90 FR 5298).
    ApplicableAdvancedLogic,
    /// Whether the product is an integrated circuit whose main function is logic, the IC that
    /// the Note to 3A090.c takes its co-packaged HBM out with (89 FR 96790): true for an IC,
    /// false for a memory stack or a computer, and unknown for an IC with HBM whose compute is
    /// far below any processor's for its memory, or whose name or package says it is a stack
    /// ([`crate::model::main_function_logic_doubt`]; tester round 8, T6).
    MainFunctionLogic,
    /// Kind of item: `integrated_circuit`, `computer`, `memory`.
    Kind,
    /// The vendor, compared with a quoted name after normalising case, punctuation and spaces
    /// (`vendor == "NVIDIA"`): company-specific letters and notices name a vendor.
    Vendor,
    /// The product's name, compared word by word with a quoted name (`name == "H20"`): it holds
    /// when the name's words, read as names are (NFKC, upper case, punctuation a break), hold
    /// the quoted words in order (`HGX H20 96GB (China)` names the H20; `H200` does not). The
    /// "is informed" letters name parts (the H20, the MI308) as well as their figures (NVIDIA
    /// Form 8-K 2025-04-15; AMD Form 8-K, event 2025-04-15; tester round 9, U9).
    Name,
    /// The exporter is a front-end fabricator or OSAT (Note 1 to 3A090.a). Transaction fact.
    FrontEndFabricatorOrOsat,
    /// An approved or authorized IC designer attested the IC is not 3A090.a. Transaction fact.
    ApprovedIcDesignerAttestation,
    /// Packaged outside Macau and D:5 with a transistor-count attestation. Transaction fact.
    PackagedOutsideD5OrMacau,
    /// The die was packaged by the front-end fabricator or by an approved OSAT (Supp. No. 7 to
    /// 15 CFR part 740), the packagers whose transistor-count attestation rebuts Note 1 to
    /// 3A090.a (routes (b) and (c), 90 FR 5298); unknown while a packaging rebuttal is claimed
    /// (`packaged_outside_d5_or_macau`) and `exporter.packaged_by` is not stated, false while
    /// none is claimed and it is not stated. Transaction fact.
    PackagedByFrontEndFabricatorOrApprovedOsat,
}

/// The type of an attribute, for type-checking conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// A number in the given unit.
    Number(&'static str),
    /// True or false.
    Bool,
    /// A product kind, compared with a quoted name.
    Kind,
    /// A name (the vendor), compared with `==` or `!=` and a quoted name.
    Text,
}

/// A value of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// An exact number (a ratio for densities).
    Num(Ratio),
    /// A number known only to lie between `lo` and `hi` (inclusive; no upper bound when `hi`
    /// is `None`): a TPP from a rate list not stated complete is "at least" its figure. A
    /// comparison that some value in the range makes true and another false is unknown.
    Range {
        /// Lowest possible value.
        lo: Ratio,
        /// Highest possible value, if bounded.
        hi: Option<Ratio>,
    },
    /// A truth value.
    Bool(bool),
    /// A product kind.
    Kind(ProductKind),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Num(r) => write!(f, "{r}"),
            Value::Range { lo, hi: None } => write!(f, "at least {lo}"),
            Value::Range { lo, hi: Some(hi) } => write!(f, "{lo} to {hi}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Kind(k) => write!(f, "\"{}\"", k.as_str()),
        }
    }
}

impl Value {
    /// Whether the value is only a bound (a [`Value::Range`]), so that a comparison of it may
    /// be unknown.
    pub fn is_bound(&self) -> bool {
        matches!(self, Value::Range { .. })
    }
}

impl Attr {
    /// The attribute in words for explanations, with its unit where one reads it with the
    /// figure, e.g. `TPP`, `interconnect bandwidth (GB/s)`.
    pub fn label(self) -> String {
        match self {
            Attr::Tpp => "TPP".into(),
            Attr::InterconnectBandwidth => "interconnect bandwidth (GB/s)".into(),
            Attr::MemoryBandwidth => "memory bandwidth (GB/s)".into(),
            other => other.name().replace('_', " "),
        }
    }
}

impl Attr {
    /// Every attribute.
    pub const ALL: [Attr; 20] = [
        Attr::Tpp,
        Attr::PerformanceDensity,
        Attr::ApplicableDieArea,
        Attr::InterconnectBandwidth,
        Attr::MemoryBandwidth,
        Attr::MemoryAndInterconnectBandwidth,
        Attr::MemoryBandwidthDensity,
        Attr::Transistors,
        Attr::DesignedOrMarketedForDatacenter,
        Attr::Hbm,
        Attr::CommerciallyAvailableInUs,
        Attr::ApplicableAdvancedLogic,
        Attr::MainFunctionLogic,
        Attr::Kind,
        Attr::Vendor,
        Attr::Name,
        Attr::FrontEndFabricatorOrOsat,
        Attr::ApprovedIcDesignerAttestation,
        Attr::PackagedOutsideD5OrMacau,
        Attr::PackagedByFrontEndFabricatorOrApprovedOsat,
    ];

    /// The vocabulary name.
    pub fn name(self) -> &'static str {
        match self {
            Attr::Tpp => "tpp",
            Attr::PerformanceDensity => "performance_density",
            Attr::ApplicableDieArea => "applicable_die_area",
            Attr::InterconnectBandwidth => "interconnect_bandwidth",
            Attr::MemoryBandwidth => "memory_bandwidth",
            Attr::MemoryAndInterconnectBandwidth => "memory_and_interconnect_bandwidth",
            Attr::MemoryBandwidthDensity => "memory_bandwidth_density",
            Attr::Transistors => "transistors",
            Attr::DesignedOrMarketedForDatacenter => "designed_or_marketed_for_datacenter",
            Attr::Hbm => "hbm",
            Attr::CommerciallyAvailableInUs => "commercially_available_in_us",
            Attr::ApplicableAdvancedLogic => "applicable_advanced_logic",
            Attr::MainFunctionLogic => "main_function_logic",
            Attr::Kind => "kind",
            Attr::Vendor => "vendor",
            Attr::Name => "name",
            Attr::FrontEndFabricatorOrOsat => "front_end_fabricator_or_osat",
            Attr::ApprovedIcDesignerAttestation => "approved_ic_designer_attestation",
            Attr::PackagedOutsideD5OrMacau => "packaged_outside_d5_or_macau",
            Attr::PackagedByFrontEndFabricatorOrApprovedOsat => "packaged_by_front_end_fabricator_or_approved_osat",
        }
    }

    /// The attribute's type and unit.
    pub fn ty(self) -> AttrType {
        match self {
            Attr::Tpp => AttrType::Number("bit × TOPS"),
            Attr::PerformanceDensity => AttrType::Number("TPP per mm²"),
            Attr::ApplicableDieArea => AttrType::Number("mm²"),
            Attr::InterconnectBandwidth | Attr::MemoryBandwidth | Attr::MemoryAndInterconnectBandwidth => {
                AttrType::Number("GB/s")
            }
            Attr::MemoryBandwidthDensity => AttrType::Number("GB/s per mm²"),
            Attr::Transistors => AttrType::Number("count"),
            Attr::DesignedOrMarketedForDatacenter
            | Attr::Hbm
            | Attr::CommerciallyAvailableInUs
            | Attr::ApplicableAdvancedLogic
            | Attr::MainFunctionLogic
            | Attr::FrontEndFabricatorOrOsat
            | Attr::ApprovedIcDesignerAttestation
            | Attr::PackagedOutsideD5OrMacau
            | Attr::PackagedByFrontEndFabricatorOrApprovedOsat => AttrType::Bool,
            Attr::Kind => AttrType::Kind,
            Attr::Vendor | Attr::Name => AttrType::Text,
        }
    }

    /// Whether the product's own sheet decides the attribute: its figures and flags, as opposed
    /// to the kind, the vendor and name (which identify the product) and the transaction facts
    /// (the exporter's: Note 1 to 3A090.a, Supp. No. 7 to 15 CFR part 740). A sheet that takes a
    /// catalog part's name is compared with the catalog on these
    /// ([`crate::catalog`]; tester round 9, U8). The match is exhaustive, so that a new
    /// attribute is placed on one side or the other.
    pub fn decided_by_the_sheet(self) -> bool {
        match self {
            Attr::Tpp
            | Attr::PerformanceDensity
            | Attr::ApplicableDieArea
            | Attr::InterconnectBandwidth
            | Attr::MemoryBandwidth
            | Attr::MemoryAndInterconnectBandwidth
            | Attr::MemoryBandwidthDensity
            | Attr::Transistors
            | Attr::DesignedOrMarketedForDatacenter
            | Attr::Hbm
            | Attr::CommerciallyAvailableInUs
            | Attr::ApplicableAdvancedLogic
            | Attr::MainFunctionLogic => true,
            Attr::Kind
            | Attr::Vendor
            | Attr::Name
            | Attr::FrontEndFabricatorOrOsat
            | Attr::ApprovedIcDesignerAttestation
            | Attr::PackagedOutsideD5OrMacau
            | Attr::PackagedByFrontEndFabricatorOrApprovedOsat => false,
        }
    }

    /// Looks an attribute up by name.
    pub fn parse(name: &str) -> Option<Attr> {
        Attr::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Position in [`Attr::ALL`], for array-indexed facts.
    pub fn index(self) -> usize {
        self as usize
    }
}
