//! The two evaluation paths agree on rule packs nobody here wrote.
//!
//! proptest generates whole rule packs as TOML text: `pack.toml` (with `scope_notes` and either
//! `[aggregation]` reading of separate packages), country groups with static, dated and
//! unverified members and `treated_as` equivalences, screening-list entries with aliases,
//! countries, footnotes and periods, classification paragraphs with conditions on every
//! attribute of the vocabulary (TPP, performance density, die area, interconnect, memory and
//! summed bandwidths, memory bandwidth density, transistors, HBM, datacenter, commercial
//! availability, advanced logic, kind, vendor, the exporter's declarations), `meets(...)` and
//! exclusions, licence requirements (item lists, destinations with groups, countries and
//! exceptions, "everywhere except" scopes, regions of Ukraine, party filters of every key
//! including `end_use_in`, product lists, transaction kinds, `confirmed_until`,
//! `confirmed_from`), licence exceptions (`overcomes`, `unavailable_with`,
//! `one_consignee_and_end_user`), review policies and notices, each with the keys that only
//! inform readers (`published`, `effective`, `note`, `follows_lapse`, `unverified`). Each pack
//! goes through the real loader (`ruleset::compile`) and is decided for generated products and
//! queries by `RuleSet::evaluate` (trace off and on) and by `CompiledPack::decide` /
//! `decide_classified`; fuzz/src/agreement.rs (shared with the `rule_file` fuzz target) says
//! what must agree: the verdict, paragraphs, requirements, exceptions and missing facts.
//!
//! Products are chips, memories and systems (one or two of an IC, with the system's own vendor,
//! to which the IC answers, and its own bandwidths within or above its contents'). Queries have
//! parties with owners of owners (`[[party.owner.owner]]`, `owners_known` at each level, shares
//! along the chain, registrations), end uses with their place (`{ use, in }`), screenings
//! attested by parties and owners, the packager, and the region of Ukraine. Rate lists are an INT8 rate, FP32 and
//! FP64 rates with the low precisions named `unsupported`, or an FP32 rate alone stated
//! complete (doubted for a part designed for AI: tester round 11, W4).
//!
//! Left out, with why: `Product` figures no condition reads
//! (`year`, `package`, `process_node`, `tpp_reported`, `declared_eccn`, `sources`, memory
//! `capacity`, die `count` and `name`) and `Transaction::quantity` (not in a `Query`) are not
//! generated; a system's own rates (TPP above its contents) are not generated (the own
//! bandwidths take that path); `catalog` products by id in `contains` need a catalog.
//!
//! Each product and query is generated with every fact known, then again with some facts hidden
//! (figures missing, a rate list's completeness, a vendor written as a placeholder, a party's
//! name (left out or written as a placeholder such as `Multiple end users`), location or
//! headquarters, an owner's share, registration or whether its owners are known, where an end
//! use takes place, a screening, the region or the packager). Both variants
//! must agree across the paths, and the hidden variant must not claim more than the complete one
//! allows: a definite verdict on incomplete facts is the verdict of the complete facts, and the
//! range of possible outcomes contains it (a missing fact never reads as "does not apply").
//! Complete facts on a date no `confirmed_until` has passed give a definite verdict.
//!
//! `PROPTEST_CASES` sets the number of packs (default [`DEFAULT_CASES`]).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::str::FromStr;

use export_controls::model::{Exporter, Owner, Party, PartyErrorKind, Role, parse_product_sheet};
use export_controls::ruleset::condition::Truth;
use export_controls::ruleset::{SourceFile, compile, is_under, normalize_name};
use export_controls::{
    CompiledPack, Country, Date, Determination, EvaluateError, PreparedProduct, Query, Scratch, Verdict,
};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use rust_decimal::Decimal;

mod agreement {
    include!("../fuzz/src/agreement.rs");
}

use agreement::Outcome;

/// Packs generated when `PROPTEST_CASES` is not set. Measured with the generator of systems,
/// vendors, owners of owners and places of end uses: 32 packs took 2.9 s of CPU (user time) in
/// a debug build on a 2-core machine with a load average of 18, so 160 take about 15 s (about
/// 9 product × query pairs a pack, each decided complete and incomplete by five entry points).
const DEFAULT_CASES: u32 = 160;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_CASES);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------------------------
// Pools the generator draws from.

/// Dates rules, memberships and equivalences start and end on, ascending. The pack's coverage
/// starts on the second or third; queries fall on each, the day before and the day after.
const DATES: [&str; 8] =
    ["2021-06-01", "2022-01-01", "2022-10-21", "2023-11-17", "2024-04-04", "2025-01-15", "2025-09-29", "2026-07-10"];
/// A query date after every date of the pack.
const LATE: &str = "2027-03-01";
const COUNTRIES: [&str; 15] =
    ["CN", "HK", "MO", "RU", "IR", "AE", "SA", "FR", "IN", "SG", "VN", "KH", "IL", "US", "UA"];
/// Ukraine, whose regions some requirements name (15 CFR 746.6).
const UKRAINE: usize = 14;
const REGIONS: [&str; 4] = ["crimea", "dnr", "lnr", "other"];
const GROUPS: [&str; 5] = ["A:5", "A:6", "D:1", "D:4", "D:5"];
const ECCNS: [&str; 4] = ["3A090.a", "3A090.b", "4A090.a", "3A090.c"];
const REQUIREMENT_IDS: [&str; 6] =
    ["742.6(a)(6)(iii)", "742.6(a)(6)(iv)", "744.11", "744.23(a)(2)", "746.8", "746.8(a)(1)/RU"];
const EXCEPTION_NAMES: [&str; 3] = ["NAC", "ACA", "GBS"];
const LISTS: [&str; 2] = ["entity_list", "military_end_user"];
const POLICIES: [&str; 4] = ["presumption_of_approval", "case_by_case", "presumption_of_denial", "policy_of_denial"];
const KINDS: [&str; 3] = ["integrated_circuit", "computer", "memory"];
const TRANSACTION_KINDS: [&str; 3] = ["export", "reexport", "in_country_transfer"];
const ROLES: [Role; Role::ALL.len()] = Role::ALL;
const END_USES: [&str; 3] = ["supercomputer", "advanced_node_ic_production", "military_end_use"];
/// Vendors of ICs and of the systems around them; a hidden vendor is written as a placeholder
/// that names nobody.
const VENDORS: [&str; 4] = ["NVIDIA", "Mellanox", "AMD", "Foxconn"];
const VENDOR_PLACEHOLDER: &str = "N/A";
/// Whether separately packaged ICs in one system are tested each on its own or as one (the
/// pack's `[aggregation]`; `None`: left to the default, per IC).
const READINGS: [Option<&str>; 3] = [None, Some("per_ic"), Some("aggregate")];
const PACKAGERS: [export_controls::model::Packager; 3] = export_controls::model::Packager::ALL;
const EXPORTER_FLAGS: [&str; 3] =
    ["front_end_fabricator_or_osat", "approved_ic_designer_attestation", "packaged_outside_d5_or_macau"];
/// Names of listed entities and of parties (each list entry takes a name and aliases from here).
const NAMES: [&str; 6] = [
    "Huawei Technologies Co., Ltd.",
    "Huawei",
    "Semiconductor Manufacturing International Corporation",
    "SMIC",
    "Sunrise Trading FZE",
    "Lion City Compute Pte. Ltd.",
];
/// Names that stand for unnamed parties or point elsewhere (tester round 12, T10): a hidden
/// party name is written as one of them now and then.
const PLACEHOLDER_NAMES: [&str; 4] = ["Multiple end users", "Same as consignee", "Forwarder to be nominated", "TBD"];
const PRODUCT_IDS: [&str; 3] = ["chip-a", "chip-b", "board-c"];
/// How a product's rate list is written (the TPP is the same): an INT8 rate, complete; FP32 and
/// FP64 rates, complete, with every precision of 16 bits or fewer named `unsupported` (exact);
/// an FP32 rate alone, stated complete, which a part designed for AI does not make complete
/// (src/model/complete_rates.rs, tester round 11, W4: then the TPP is a lower bound).
const RATES: [&str; 3] = ["int8", "fp32 and fp64, unsupported named", "fp32 alone"];

/// Thresholds of conditions; product figures fall on them, just below and just above.
const TPP_THRESHOLDS: [&str; 4] = ["800", "1600", "2400", "4800"];
const DENSITY_THRESHOLDS: [&str; 3] = ["1.6", "3.2", "5.92"];
const INTERCONNECT_THRESHOLD: &str = "600";
const MEMORY_THRESHOLDS: [&str; 2] = ["1400", "4100"];
/// Thresholds of `memory_and_interconnect_bandwidth` (4000 + 600, 4100 + 900 of the pools below).
const MEMORY_AND_INTERCONNECT_THRESHOLDS: [&str; 2] = ["4600", "5000"];
/// The 3A090.c parameter, GB/s per mm² of stack (89 FR 96790).
const MEMORY_DENSITY_THRESHOLD: &str = "2";
/// Thresholds of `transistors`: Note 1 to 3A090.a's 30 and 35 billion.
const TRANSISTOR_THRESHOLDS: [&str; 2] = ["30000000000", "35000000000"];
const AREA_THRESHOLD: &str = "811";
/// With the areas below, several TPPs give a density exactly on a threshold (2960 / 500 = 5.92,
/// 1600 / 1000 = 1.6, 4800 / 1500 = 3.2, 8880 / 1500 = 5.92, 800 / 500 = 1.6).
const TPPS: [&str; 9] = ["800", "1599.99", "1600", "2400", "2960", "4799", "4800", "4801", "8880"];
const AREAS: [&str; 5] = ["500", "1000", "1500", "811", "270.5"];
const INTERCONNECTS: [&str; 3] = ["599", "600", "900"];
const MEMORY_BANDWIDTHS: [&str; 4] = ["1399", "1400", "4000", "4100"];
/// Stack areas (mm²) of an HBM memory: 1399 / 699.5 = 2 exactly, 1400 / 699.5 just above,
/// 4000 / 699.5 above; 110 puts every pool bandwidth far above. (An HBM stack under 2 GB/s per
/// mm² is refused, E0238: every HBM stack in production exceeds 2, 89 FR 96790; the GDDR
/// memory below is the case under 2.) A GDDR memory's 2100 keeps every pool
/// bandwidth under 2 GB/s per mm² (a memory not HBM above it is refused, E0237).
const HBM_STACK_AREAS: [&str; 2] = ["699.5", "110"];
const GDDR_STACK_AREA: &str = "2100";
const TRANSISTOR_COUNTS: [&str; 4] = ["20000000000", "30000000000", "35000000000", "80000000000"];
/// Shares and ownership thresholds; most often the 50 % of the Affiliates rule and shares on
/// either side of it.
const PERCENTS: [&str; 7] = ["0", "10", "25", "49.99", "50", "51", "100"];

fn percent() -> impl Strategy<Value = usize> {
    prop_oneof![2 => 0..PERCENTS.len(), 1 => Just(2usize), 2 => Just(3usize), 2 => Just(4usize)]
}

fn pick<T: Copy>(pool: &[T], i: usize) -> T {
    pool[i % pool.len()]
}

// ---------------------------------------------------------------------------------------------
// What is generated: a pack, products and queries, as plain data that shrinks well. References
// between rules are indexes taken modulo the length of what they refer to when the pack is
// written, so that a shrunk pack still compiles.

#[derive(Debug, Clone, Copy)]
struct PeriodSpec {
    from: usize,
    until: Option<usize>,
}

impl PeriodSpec {
    /// `from` and `until` as indexes into [`DATES`]; `until` only when after `from`.
    fn bounds(self) -> (usize, Option<usize>) {
        (self.from, self.until.filter(|&u| u > self.from))
    }

    fn overlaps(self, other: PeriodSpec) -> bool {
        let ((a, au), (b, bu)) = (self.bounds(), other.bounds());
        au.is_none_or(|u| b < u) && bu.is_none_or(|u| a < u)
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Ge,
    Gt,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }
}

/// A condition. `Meets(sel, level)` names classification `sel` (modulo their number) by its
/// paragraph (level 0), its ECCN (1) or its ECCN family, e.g. `3A090` (2).
#[derive(Debug, Clone)]
enum Cond {
    Const(bool),
    Tpp(Op, usize),
    Density(Op, usize),
    Interconnect(Op),
    Memory(Op, usize),
    /// `applicable_die_area` against [`AREA_THRESHOLD`].
    Area(Op),
    /// The memory is HBM.
    Hbm,
    Datacenter,
    Kind(bool, usize),
    Exporter(usize),
    /// `vendor == ...` of [`VENDORS`].
    Vendor(usize),
    Transistors(Op, usize),
    /// `memory_and_interconnect_bandwidth` against [`MEMORY_AND_INTERCONNECT_THRESHOLDS`].
    MemoryAndInterconnect(Op, usize),
    /// `memory_bandwidth_density` against [`MEMORY_DENSITY_THRESHOLD`].
    MemoryDensity(Op),
    CommerciallyAvailable,
    AdvancedLogic,
    /// `packaged_by_front_end_fabricator_or_approved_osat`.
    PackagedBy,
    Meets(usize, usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

#[derive(Debug, Clone, Default)]
struct DestSpec {
    groups: Vec<usize>,
    countries: Vec<usize>,
    except_groups: Vec<usize>,
    except_countries: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct PartiesSpec {
    roles: Option<Vec<usize>>,
    located_in: Option<DestSpec>,
    headquartered_in: Option<DestSpec>,
    listed_on: Option<usize>,
    owned_by_listed: Option<(usize, usize)>,
    end_uses: Option<Vec<usize>>,
    /// Where the declared end use takes place (`end_use_in`).
    end_use_in: Option<DestSpec>,
}

#[derive(Debug, Clone, Default)]
struct ScopeSpec {
    destinations: Option<DestSpec>,
    parties: Option<PartiesSpec>,
    products: Option<Vec<usize>>,
    transaction_kinds: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
struct GroupSpec {
    members: Vec<usize>,
    /// Countries whose membership the sources do not confirm (`unverified_members`).
    unverified: Vec<usize>,
    /// (country, from, until), as indexes into [`COUNTRIES`] and [`DATES`].
    dated: Vec<(usize, Option<usize>, Option<usize>)>,
}

#[derive(Debug, Clone)]
struct EntrySpec {
    list: usize,
    name: usize,
    aliases: Vec<usize>,
    country: Option<usize>,
    /// More countries of the entry (`countries`).
    countries: Vec<usize>,
    period: PeriodSpec,
    /// Written without `from` (in force from the start) when the period starts on the first date.
    review_policy: Option<usize>,
    /// Bits: 0 `footnote`, 1 `license_requirement`, 2 `note`, 3 `unverified`.
    meta: u8,
}

#[derive(Debug, Clone)]
struct ClassSpec {
    eccn: usize,
    paragraph: usize,
    /// Bit mask over [`KINDS`] added to the kind of the ECCN (3A090.a and .b integrated
    /// circuits, 3A090.c memory, 4A090 computers).
    kinds: usize,
    when: Cond,
    confirmed_until: Option<usize>,
    confirmed_from: Option<usize>,
    meta: u8,
    period: PeriodSpec,
}

#[derive(Debug, Clone)]
struct ExclusionSpec {
    applies_to: Vec<(usize, usize)>,
    when: Cond,
    meta: u8,
    period: PeriodSpec,
}

/// `None`: "all"; else classification references as in [`Cond::Meets`].
type ItemsSpec = Option<Vec<(usize, usize)>>;

#[derive(Debug, Clone)]
struct RequirementSpec {
    id: usize,
    items: ItemsSpec,
    scope: ScopeSpec,
    confirmed_until: Option<usize>,
    confirmed_from: Option<usize>,
    when: Option<Cond>,
    review_policy: Option<usize>,
    /// Regions of Ukraine (`regions`; the destinations are then Ukraine alone).
    regions: Option<Vec<usize>>,
    meta: u8,
    period: PeriodSpec,
}

#[derive(Debug, Clone)]
struct ExceptionSpec {
    name: usize,
    overcomes: Vec<usize>,
    items: ItemsSpec,
    scope: ScopeSpec,
    confirmed_until: Option<usize>,
    when: Option<Cond>,
    /// (requirement, how much of its id: 0 whole, 1 up to the first `(` or `/`, 2 the part).
    unavailable_with: Vec<(usize, usize)>,
    confirmed_from: Option<usize>,
    /// `one_consignee_and_end_user` (License Exception NAC's notification).
    one_consignee: bool,
    meta: u8,
    period: PeriodSpec,
}

#[derive(Debug, Clone)]
struct PolicySpec {
    applies_to: Vec<usize>,
    policy: usize,
    scope: ScopeSpec,
    when: Option<Cond>,
    supersedes: Vec<usize>,
    confirmed_until: Option<usize>,
    confirmed_from: Option<usize>,
    obligations: bool,
    meta: u8,
    period: PeriodSpec,
}

#[derive(Debug, Clone)]
struct NoticeSpec {
    scope: ScopeSpec,
    when: Option<Cond>,
    confirmed_until: Option<usize>,
    confirmed_from: Option<usize>,
    meta: u8,
    period: PeriodSpec,
}

#[derive(Debug, Clone)]
struct PackSpec {
    coverage: usize,
    /// The pack's screening lists are declared complete imports (else samples, which clear no one).
    lists_complete: bool,
    /// The date of the complete lists, as an index into [`DATES`]: they clear a party only on an
    /// export of that date (15 CFR 744.11).
    list_as_of: usize,
    /// Index into [`READINGS`].
    reading: usize,
    scope_notes: bool,
    groups: Vec<GroupSpec>,
    treated_as: Vec<(usize, usize, PeriodSpec)>,
    entries: Vec<EntrySpec>,
    classifications: Vec<ClassSpec>,
    exclusions: Vec<ExclusionSpec>,
    requirements: Vec<RequirementSpec>,
    exceptions: Vec<ExceptionSpec>,
    policies: Vec<PolicySpec>,
    notices: Vec<NoticeSpec>,
}

/// A product with every figure known, and which figures its incomplete variant lacks.
#[derive(Debug, Clone)]
struct ProductSpec {
    id: usize,
    kind: usize,
    datacenter: bool,
    tpp: usize,
    area: usize,
    /// Its only die is planar: applicable die area 0, performance density undefined (unknown).
    planar: bool,
    interconnect: usize,
    memory: usize,
    hbm: bool,
    /// Index into [`HBM_STACK_AREAS`] (an HBM memory) for the memory's `stack_area`.
    stack_area: usize,
    /// The IC's vendor, and the system's around it (a computer), as indexes into [`VENDORS`].
    vendor: usize,
    system_vendor: usize,
    transistors: usize,
    commercially_available: bool,
    /// The die is made at the 16/14 nm node or below (`at_or_below_16_14nm`).
    advanced_node: bool,
    /// A computer: how many of the IC it contains (1 or 2; with 2 the pack's reading of
    /// separate packages decides), and its own bandwidths: 0 none stated, 1 stated within
    /// its contents', 2 stated above them (the contents are then unknown).
    count: u32,
    own: u8,
    /// Bits: 0 datacenter flag, 1 rates (TPP), 2 dies (area), 3 whether the die is non-planar,
    /// 4 interconnect, 5 the memory table, 6 the memory bandwidth, 7 whether it is HBM, 8 the
    /// IC's vendor, 9 transistors, 10 commercial availability in the US, 11 the die's node,
    /// 12 the stack area, 13 the system's vendor, 14 the rate list's completeness (the list
    /// then gives a lower bound: `complete = false`, or for [`RATES`] 1 `unsupported` left out).
    hide: u16,
    /// How the rate list is written, an index into [`RATES`].
    rates: usize,
}

#[derive(Debug, Clone)]
struct OwnerSpec {
    name: (usize, usize),
    percent: usize,
    entry: Option<usize>,
    hide_percent: bool,
    /// Its own owners (`[[party.owner.owner]]`), with their shares of it.
    owners: Vec<OwnerSpec>,
    /// The incomplete variant does not state that its owners are known.
    hide_known: bool,
    /// It attests a screening against the list of this index (the party's `screened`).
    screened: Option<usize>,
    /// Its registration's country ([`COUNTRIES`]); hidden with `hide_known` (without it an
    /// owner with a company-form name, or not identified, may be a company registered anywhere).
    registered: Option<usize>,
}

/// A party with every fact known, and which facts its incomplete variant lacks.
#[derive(Debug, Clone)]
struct PartySpec {
    role: usize,
    /// (name, variant): as written, lower case, other punctuation, a near miss, a word dropped.
    name: (usize, usize),
    country: usize,
    headquarters: usize,
    parent: usize,
    /// Entry ids it is known to match ([`None`] inside: an id no entry has).
    entries: Vec<Option<usize>>,
    owners: Vec<OwnerSpec>,
    /// (end use, where it takes place), as indexes into [`END_USES`] and [`COUNTRIES`].
    end_uses: Vec<(usize, usize)>,
    /// A screening it attests: (list, whether of the date of export or of a date of the pool).
    screened: Option<(usize, Option<usize>)>,
    /// Bits: 0 name, 1 country, 2 headquarters, 3 parent's headquarters, 4 that its owners are
    /// known (`owners_known`; the complete facts state it), 5 where its end uses take place, 6
    /// its screenings.
    hide: u8,
    /// A hidden name is written as this placeholder of [`PLACEHOLDER_NAMES`] (src/names/unnamed.rs:
    /// it names no party), or left out (`None`).
    placeholder: Option<usize>,
}

#[derive(Debug, Clone)]
struct QuerySpec {
    to: usize,
    /// 0: from the US; 1: within the destination; 2: from [`COUNTRIES`]`[from_country]`.
    from: usize,
    from_country: usize,
    /// Index into [`DATES`] (or [`LATE`] past its end), and a shift of -1, 0 or +1 day.
    date: (usize, i8),
    parties: Vec<PartySpec>,
    exporter: u8,
    /// Where in Ukraine the item goes (an index into [`REGIONS`]; stated for Ukraine only), and
    /// who packaged the IC (an index into [`PACKAGERS`]).
    region: usize,
    packaged_by: usize,
    /// Bits: 0 the region, 1 the packager, 2 where the items ship from (`exported_from`),
    /// hidden in the incomplete variant.
    hide: u8,
}

#[derive(Debug, Clone)]
struct Case {
    pack: PackSpec,
    products: Vec<ProductSpec>,
    queries: Vec<QuerySpec>,
}

// ---------------------------------------------------------------------------------------------
// Strategies.

fn period() -> impl Strategy<Value = PeriodSpec> {
    (prop_oneof![2 => 0..3usize, 1 => 0..DATES.len()], prop::option::weighted(0.35, 0..DATES.len()))
        .prop_map(|(from, until)| PeriodSpec { from, until })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![4 => Just(Op::Ge), 2 => Just(Op::Lt), 1 => Just(Op::Gt), 1 => Just(Op::Le), 1 => Just(Op::Eq), 1 => Just(Op::Ne)]
}

fn cond() -> impl Strategy<Value = Cond> {
    let leaf = prop_oneof![
        1 => any::<bool>().prop_map(Cond::Const),
        4 => (op(), 0..TPP_THRESHOLDS.len()).prop_map(|(o, t)| Cond::Tpp(o, t)),
        3 => (op(), 0..DENSITY_THRESHOLDS.len()).prop_map(|(o, t)| Cond::Density(o, t)),
        2 => op().prop_map(Cond::Interconnect),
        2 => (op(), 0..MEMORY_THRESHOLDS.len()).prop_map(|(o, t)| Cond::Memory(o, t)),
        1 => op().prop_map(Cond::Area),
        1 => Just(Cond::Hbm),
        2 => Just(Cond::Datacenter),
        1 => (any::<bool>(), 0..KINDS.len()).prop_map(|(eq, k)| Cond::Kind(eq, k)),
        1 => (0..EXPORTER_FLAGS.len()).prop_map(Cond::Exporter),
        2 => (0..VENDORS.len()).prop_map(Cond::Vendor),
        1 => (op(), 0..TRANSISTOR_THRESHOLDS.len()).prop_map(|(o, t)| Cond::Transistors(o, t)),
        1 => (op(), 0..MEMORY_AND_INTERCONNECT_THRESHOLDS.len()).prop_map(|(o, t)| Cond::MemoryAndInterconnect(o, t)),
        1 => op().prop_map(Cond::MemoryDensity),
        1 => Just(Cond::CommerciallyAvailable),
        1 => Just(Cond::AdvancedLogic),
        1 => Just(Cond::PackagedBy),
        3 => (0..8usize, 0..3usize).prop_map(|(s, l)| Cond::Meets(s, l)),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            prop::collection::vec(inner.clone(), 2..=3).prop_map(Cond::And),
            prop::collection::vec(inner, 2..=3).prop_map(Cond::Or),
        ]
    })
}

/// A classification's parameters: mostly thresholds a product meets or misses narrowly, joined
/// by `and`, with any condition now and then.
fn parameters() -> impl Strategy<Value = Cond> {
    let threshold = prop_oneof![
        3 => (0..TPP_THRESHOLDS.len()).prop_map(|t| Cond::Tpp(Op::Ge, t)),
        2 => (0..DENSITY_THRESHOLDS.len()).prop_map(|t| Cond::Density(Op::Ge, t)),
        1 => Just(Cond::Interconnect(Op::Ge)),
        1 => (0..MEMORY_THRESHOLDS.len()).prop_map(|t| Cond::Memory(Op::Ge, t)),
        1 => Just(Cond::And(vec![Cond::Hbm, Cond::MemoryDensity(Op::Gt)])),
        1 => Just(Cond::Datacenter),
        1 => (0..8usize, 0..3usize).prop_map(|(s, l)| Cond::Not(Box::new(Cond::Meets(s, l)))),
    ];
    prop_oneof![
        2 => threshold.clone(),
        2 => prop::collection::vec(threshold, 2..=2).prop_map(Cond::And),
        1 => cond(),
    ]
}

/// Keys that only inform readers (`published`, `effective`, `note`, `follows_lapse`,
/// `unverified`, or their equivalents for list entries), as bits: mostly none.
fn meta() -> impl Strategy<Value = u8> {
    prop_oneof![3 => Just(0u8), 1 => 0..32u8]
}

fn some_of(n: usize, max: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..n, 0..=max)
}

/// At least one of `n`: a set-valued rule key (`roles`, `products`, `transaction_kinds`) written
/// empty is refused at load (E0243).
fn one_or_more_of(n: usize, max: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..n, 1..=max)
}

fn dest() -> impl Strategy<Value = DestSpec> {
    (some_of(GROUPS.len(), 2), some_of(COUNTRIES.len(), 3), some_of(GROUPS.len(), 1), some_of(COUNTRIES.len(), 2))
        .prop_map(|(groups, countries, except_groups, except_countries)| DestSpec {
            groups,
            countries,
            except_groups,
            except_countries,
        })
}

fn parties_filter() -> impl Strategy<Value = PartiesSpec> {
    (
        prop::option::weighted(0.4, one_or_more_of(ROLES.len(), 2)),
        prop::option::weighted(0.3, dest()),
        prop::option::weighted(0.3, dest()),
        prop::option::weighted(0.4, 0..LISTS.len()),
        prop::option::weighted(0.35, (0..LISTS.len(), percent())),
        prop::option::weighted(0.3, prop::collection::vec(0..END_USES.len(), 1..=2)),
        prop::option::weighted(0.5, dest()),
    )
        .prop_map(|(roles, located_in, headquartered_in, listed_on, owned_by_listed, end_uses, end_use_in)| {
            PartiesSpec { roles, located_in, headquartered_in, listed_on, owned_by_listed, end_uses, end_use_in }
        })
}

fn scope() -> impl Strategy<Value = ScopeSpec> {
    (
        prop::option::weighted(0.6, dest()),
        prop::option::weighted(0.35, parties_filter()),
        prop::option::weighted(0.15, one_or_more_of(PRODUCT_IDS.len(), 2)),
        prop::option::weighted(0.15, one_or_more_of(TRANSACTION_KINDS.len(), 2)),
    )
        .prop_map(|(destinations, parties, products, transaction_kinds)| ScopeSpec {
            destinations,
            parties,
            products,
            transaction_kinds,
        })
}

fn items() -> impl Strategy<Value = ItemsSpec> {
    prop::option::weighted(0.65, prop::collection::vec((0..8usize, 0..3usize), 1..=2))
}

fn group() -> impl Strategy<Value = GroupSpec> {
    (
        some_of(COUNTRIES.len(), 6),
        prop::collection::vec(
            (0..COUNTRIES.len(), prop::option::of(0..DATES.len()), prop::option::of(0..DATES.len())),
            0..=3,
        ),
        prop_oneof![4 => Just(Vec::new()), 1 => some_of(COUNTRIES.len(), 2)],
    )
        .prop_map(|(members, dated, unverified)| GroupSpec { members, unverified, dated })
}

/// A destination treated as another: mostly Hong Kong or Macau as China, often for part of the
/// coverage only.
fn treated_as() -> impl Strategy<Value = (usize, usize, PeriodSpec)> {
    let period = (prop_oneof![2 => 0..3usize, 1 => 0..DATES.len()], prop::option::weighted(0.5, 0..DATES.len()))
        .prop_map(|(from, until)| PeriodSpec { from, until });
    (
        prop_oneof![2 => Just(1usize), 1 => Just(2usize), 1 => 0..COUNTRIES.len()],
        prop_oneof![3 => Just(0usize), 1 => 0..COUNTRIES.len()],
        period,
    )
}

fn entry() -> impl Strategy<Value = EntrySpec> {
    (
        prop_oneof![3 => Just(0usize), 1 => Just(1usize)],
        0..NAMES.len(),
        some_of(NAMES.len(), 2),
        prop::option::of(0..COUNTRIES.len()),
        period(),
        prop::option::of(0..POLICIES.len()),
        (prop_oneof![3 => Just(Vec::new()), 1 => some_of(COUNTRIES.len(), 2)], meta()),
    )
        .prop_map(|(list, name, aliases, country, period, review_policy, (countries, meta))| EntrySpec {
            list,
            name,
            aliases,
            country,
            countries,
            period,
            review_policy,
            meta,
        })
}

fn classification() -> impl Strategy<Value = ClassSpec> {
    let eccn = prop_oneof![3 => Just(0usize), 3 => Just(1usize), 1 => Just(2usize), 1 => Just(3usize)];
    (
        eccn,
        1..=3usize,
        prop_oneof![4 => Just(0usize), 1 => 1..8usize],
        parameters(),
        period(),
        prop::option::weighted(0.1, 0..DATES.len()),
        prop::option::weighted(0.1, 0..DATES.len()),
        meta(),
    )
        .prop_map(|(eccn, paragraph, kinds, when, period, confirmed_until, confirmed_from, meta)| ClassSpec {
            eccn,
            paragraph,
            kinds,
            when,
            confirmed_until,
            confirmed_from,
            meta,
            period,
        })
}

fn exclusion() -> impl Strategy<Value = ExclusionSpec> {
    // Mostly shaped like Note 2 to 3A090.a and .b: not for datacenters and below a TPP.
    let when = prop_oneof![
        3 => (0..TPP_THRESHOLDS.len()).prop_map(|t| Cond::And(vec![
            Cond::Not(Box::new(Cond::Datacenter)),
            Cond::Tpp(Op::Lt, t),
        ])),
        1 => cond(),
    ];
    (prop::collection::vec((0..8usize, 0..3usize), 0..=2), when, meta(), period())
        .prop_map(|(applies_to, when, meta, period)| ExclusionSpec { applies_to, when, meta, period })
}

fn requirement() -> impl Strategy<Value = RequirementSpec> {
    // One in three concerns parties only, as 744.11 (a listed party) or 744.23 (an end use):
    // every item, everywhere (or a few destinations), for the parties the filter names.
    let parties_only = (prop::option::weighted(0.3, dest()), parties_filter()).prop_map(|(destinations, parties)| {
        ScopeSpec { destinations, parties: Some(parties), products: None, transaction_kinds: None }
    });
    let scope = prop_oneof![2 => scope().prop_map(|s| (s, false)), 1 => parties_only.prop_map(|s| (s, true))];
    (
        0..REQUIREMENT_IDS.len(),
        items(),
        scope,
        prop::option::weighted(0.15, 0..DATES.len()),
        prop::option::weighted(0.4, cond()),
        prop::option::of(0..POLICIES.len()),
        period(),
        (
            prop::option::weighted(0.1, 0..DATES.len()),
            prop::option::weighted(0.1, prop::collection::vec(0..REGIONS.len(), 1..=2)),
            meta(),
        ),
    )
        .prop_map(
            |(id, items, (scope, parties_only), confirmed_until, when, review_policy, period, (cf, regions, meta))| {
                RequirementSpec {
                    id,
                    items: items.filter(|_| !parties_only),
                    scope,
                    confirmed_until,
                    confirmed_from: cf,
                    when: when.filter(|_| !parties_only),
                    review_policy,
                    regions,
                    meta,
                    period,
                }
            },
        )
}

fn exception() -> impl Strategy<Value = ExceptionSpec> {
    // Broader than requirements, so that exceptions often overcome what applies.
    let scope = (
        prop::option::weighted(0.4, dest()),
        prop::option::weighted(0.2, parties_filter()),
        prop::option::weighted(0.1, one_or_more_of(PRODUCT_IDS.len(), 2)),
        prop::option::weighted(0.1, one_or_more_of(TRANSACTION_KINDS.len(), 2)),
    )
        .prop_map(|(destinations, parties, products, transaction_kinds)| ScopeSpec {
            destinations,
            parties,
            products,
            transaction_kinds,
        });
    (
        0..EXCEPTION_NAMES.len(),
        prop::collection::vec(0..8usize, 1..=3),
        prop::option::weighted(0.4, prop::collection::vec((0..8usize, 0..3usize), 1..=2)),
        scope,
        prop::option::weighted(0.15, 0..DATES.len()),
        prop::option::weighted(0.3, cond()),
        prop::collection::vec((0..8usize, 0..3usize), 0..=1),
        period(),
        (prop::option::weighted(0.1, 0..DATES.len()), prop::bool::weighted(0.3), meta()),
    )
        .prop_map(
            |(name, overcomes, items, scope, confirmed_until, when, unavailable_with, period, (cf, one, meta))| {
                ExceptionSpec {
                    name,
                    overcomes,
                    items,
                    scope,
                    confirmed_until,
                    when,
                    unavailable_with,
                    confirmed_from: cf,
                    one_consignee: one,
                    meta,
                    period,
                }
            },
        )
}

fn policy() -> impl Strategy<Value = PolicySpec> {
    (
        prop::collection::vec(0..8usize, 0..=2),
        0..POLICIES.len(),
        scope(),
        prop::option::weighted(0.3, cond()),
        some_of(4, 1),
        period(),
        (
            prop::option::weighted(0.15, 0..DATES.len()),
            prop::option::weighted(0.1, 0..DATES.len()),
            any::<bool>(),
            meta(),
        ),
    )
        .prop_map(
            |(
                applies_to,
                policy,
                scope,
                when,
                supersedes,
                period,
                (confirmed_until, confirmed_from, obligations, meta),
            )| {
                PolicySpec {
                    applies_to,
                    policy,
                    scope,
                    when,
                    supersedes,
                    confirmed_until,
                    confirmed_from,
                    obligations,
                    meta,
                    period,
                }
            },
        )
}

fn notice() -> impl Strategy<Value = NoticeSpec> {
    (
        scope(),
        prop::option::weighted(0.5, cond()),
        prop::option::weighted(0.2, 0..DATES.len()),
        prop::option::weighted(0.1, 0..DATES.len()),
        meta(),
        period(),
    )
        .prop_map(|(scope, when, confirmed_until, confirmed_from, meta, period)| NoticeSpec {
            scope,
            when,
            confirmed_until,
            confirmed_from,
            meta,
            period,
        })
}

fn pack() -> impl Strategy<Value = PackSpec> {
    (
        (
            1..=2usize,
            prop::collection::vec(group(), 1..=GROUPS.len()),
            prop::collection::vec(treated_as(), 0..=2),
            prop::collection::vec(entry(), 1..=3),
            prop::bool::weighted(0.8),
            0..DATES.len(),
            (0..READINGS.len(), any::<bool>()),
        ),
        (
            prop::collection::vec(classification(), 0..=6),
            prop::collection::vec(exclusion(), 0..=2),
            prop::collection::vec(requirement(), 1..=3),
            prop::collection::vec(exception(), 0..=3),
            prop::collection::vec(policy(), 0..=2),
            prop::collection::vec(notice(), 0..=2),
        ),
    )
        .prop_map(
            |(
                (coverage, groups, treated_as, entries, lists_complete, list_as_of, (reading, scope_notes)),
                (classifications, exclusions, requirements, exceptions, policies, notices),
            )| {
                // Hong Kong treated as China, as the EAR does, unless the generator chose otherwise.
                let treated_as =
                    if treated_as.is_empty() { vec![(1, 0, PeriodSpec { from: 0, until: None })] } else { treated_as };
                PackSpec {
                    coverage,
                    lists_complete,
                    list_as_of,
                    reading,
                    scope_notes,
                    groups,
                    treated_as,
                    entries,
                    classifications,
                    exclusions,
                    requirements,
                    exceptions,
                    policies,
                    notices,
                }
            },
        )
}

fn product() -> impl Strategy<Value = ProductSpec> {
    (
        0..PRODUCT_IDS.len(),
        prop_oneof![6 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)],
        any::<bool>(),
        0..TPPS.len(),
        0..AREAS.len(),
        prop::bool::weighted(0.1),
        0..INTERCONNECTS.len(),
        (0..MEMORY_BANDWIDTHS.len(), any::<bool>(), 0..HBM_STACK_AREAS.len()),
        prop_oneof![1 => Just(0u16), 2 => 0..(1u16 << 15), 2 => (0..15u32).prop_map(|i| 1u16 << i)],
        (
            0..VENDORS.len(),
            prop_oneof![1 => Just(None), 3 => (0..VENDORS.len()).prop_map(Some)],
            0..TRANSISTOR_COUNTS.len(),
            any::<bool>(),
            any::<bool>(),
            prop_oneof![2 => Just(1u32), 1 => Just(2u32)],
            prop_oneof![2 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
            prop_oneof![4 => Just(0usize), 2 => 1..RATES.len()],
        ),
    )
        // A part stated not for datacenters has none of their design features (HBM, an
        // interconnect of 600 GB/s or more): beside them the flag is unknown (probe finding 16),
        // and complete facts would not be complete.
        .prop_map(
            |(
                id,
                kind,
                datacenter,
                tpp,
                area,
                planar,
                interconnect,
                (memory, hbm, stack_area),
                hide,
                (vendor, system_vendor, transistors, commercially_available, advanced_node, count, own, rates),
            )| ProductSpec {
                id,
                kind,
                datacenter,
                tpp,
                area,
                planar,
                interconnect: if datacenter { interconnect } else { 0 },
                memory,
                hbm: hbm && datacenter,
                stack_area,
                vendor,
                // A system of the IC's vendor, or of another.
                system_vendor: system_vendor.unwrap_or(vendor),
                transistors,
                commercially_available,
                advanced_node,
                count,
                own,
                // A system's own bandwidths above its contents' leave the contents unknown, but
                // only when the contents' figures are known: with a content's memory or
                // interconnect unknown nothing is compared (prepared.rs, `bandwidths_short`) and
                // the contents are read as complete (reported to the lead, not fixed here), so
                // the incomplete variant keeps those figures.
                hide: if KINDS[kind] == "computer" && own == 2 { hide & !0x70 } else { hide },
                rates,
            },
        )
}

fn name() -> impl Strategy<Value = (usize, usize)> {
    (0..NAMES.len(), prop_oneof![3 => Just(0usize), 3 => 1..5usize])
}

/// An owner, with owners of its own down to two more levels (holding companies).
fn owner() -> impl Strategy<Value = OwnerSpec> {
    let fields = || {
        (
            name(),
            percent(),
            prop::option::weighted(0.2, 0..3usize),
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.3),
            prop::option::weighted(0.2, 0..LISTS.len()),
            prop::option::weighted(0.3, 0..COUNTRIES.len()),
        )
    };
    let spec = |(name, percent, entry, hide_percent, hide_known, screened, registered), owners| OwnerSpec {
        name,
        percent,
        entry,
        hide_percent,
        owners,
        hide_known,
        screened,
        registered,
    };
    let leaf = fields().prop_map(move |f| spec(f, Vec::new()));
    leaf.prop_recursive(2, 6, 2, move |inner| {
        (fields(), prop::collection::vec(inner, 0..=2)).prop_map(move |(f, owners)| spec(f, owners))
    })
}

fn party() -> impl Strategy<Value = PartySpec> {
    (
        0..ROLES.len(),
        name(),
        (0..COUNTRIES.len(), 0..COUNTRIES.len(), 0..COUNTRIES.len()),
        prop::collection::vec(prop::option::weighted(0.8, 0..3usize), 0..=1),
        prop::collection::vec(owner(), 0..=2),
        prop::collection::vec((0..END_USES.len(), 0..COUNTRIES.len()), 0..=1),
        prop::option::weighted(0.3, (0..LISTS.len(), prop::option::weighted(0.3, 0..DATES.len()))),
        (
            prop_oneof![1 => Just(0u8), 1 => any::<u8>().prop_map(|b| b & 0x7f)],
            prop::option::weighted(0.3, 0..PLACEHOLDER_NAMES.len()),
        ),
    )
        .prop_map(
            |(
                role,
                name,
                (country, headquarters, parent),
                entries,
                owners,
                end_uses,
                screened,
                (hide, placeholder),
            )| {
                PartySpec {
                    role,
                    name,
                    country,
                    headquarters,
                    parent,
                    entries,
                    owners,
                    end_uses,
                    screened,
                    hide,
                    placeholder,
                }
            },
        )
}

fn query() -> impl Strategy<Value = QuerySpec> {
    (
        0..COUNTRIES.len(),
        prop_oneof![6 => Just(0usize), 1 => Just(1usize), 2 => Just(2usize)],
        0..COUNTRIES.len(),
        (0..=DATES.len(), -1i8..=1),
        prop_oneof![1 => Just(0..=0usize), 4 => Just(1..=3usize)].prop_flat_map(|n| prop::collection::vec(party(), n)),
        prop_oneof![2 => Just(0u8), 2 => Just(8u8), 1 => 0..16u8],
        (0..REGIONS.len(), 0..PACKAGERS.len(), prop_oneof![2 => Just(0u8), 1 => 0..8u8]),
    )
        .prop_map(|(to, from, from_country, date, parties, exporter, (region, packaged_by, hide))| QuerySpec {
            to,
            from,
            from_country,
            date,
            parties,
            exporter,
            region,
            packaged_by,
            hide,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (pack(), prop::collection::vec(product(), 1..=3), prop::collection::vec(query(), 1..=5))
        .prop_map(|(pack, products, queries)| Case { pack, products, queries })
}

// ---------------------------------------------------------------------------------------------
// Writing a pack as TOML.

/// The classification paragraphs as written (ids and ECCNs), for references.
struct Paragraphs {
    ids: Vec<String>,
    eccns: Vec<String>,
}

impl Paragraphs {
    /// The reference `(sel, level)`: a paragraph, its ECCN or its ECCN family; `None` when the
    /// pack has no classification.
    fn prefix(&self, (sel, level): (usize, usize)) -> Option<String> {
        if self.ids.is_empty() {
            return None;
        }
        let j = sel % self.ids.len();
        Some(match level {
            0 => self.ids[j].clone(),
            1 => self.eccns[j].clone(),
            _ => self.eccns[j].split('.').next().unwrap_or_default().to_string(),
        })
    }

    /// Indexes of the paragraphs under `prefix`.
    fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.ids.iter().enumerate().filter(move |(_, id)| is_under(prefix, id)).map(|(i, _)| i)
    }
}

/// Writes a condition; `meets(...)` only names paragraphs before `limit` (so that no paragraph
/// depends on itself), and is `true` otherwise.
fn write_cond(c: &Cond, paras: &Paragraphs, limit: usize) -> String {
    let w = |c: &Cond| write_cond(c, paras, limit);
    match c {
        Cond::Const(b) => b.to_string(),
        Cond::Tpp(o, t) => format!("tpp {} {}", o.as_str(), TPP_THRESHOLDS[*t]),
        Cond::Density(o, t) => format!("performance_density {} {}", o.as_str(), DENSITY_THRESHOLDS[*t]),
        Cond::Interconnect(o) => format!("interconnect_bandwidth {} {INTERCONNECT_THRESHOLD}", o.as_str()),
        Cond::Memory(o, t) => format!("memory_bandwidth {} {}", o.as_str(), MEMORY_THRESHOLDS[*t]),
        Cond::Area(o) => format!("applicable_die_area {} {AREA_THRESHOLD}", o.as_str()),
        Cond::Hbm => "hbm".into(),
        Cond::Datacenter => "designed_or_marketed_for_datacenter".into(),
        Cond::Kind(eq, k) => format!("kind {} \"{}\"", if *eq { "==" } else { "!=" }, KINDS[*k]),
        Cond::Exporter(f) => EXPORTER_FLAGS[*f].into(),
        Cond::Vendor(v) => format!("vendor == \"{}\"", VENDORS[*v]),
        Cond::Transistors(o, t) => format!("transistors {} {}", o.as_str(), TRANSISTOR_THRESHOLDS[*t]),
        Cond::MemoryAndInterconnect(o, t) => {
            format!("memory_and_interconnect_bandwidth {} {}", o.as_str(), MEMORY_AND_INTERCONNECT_THRESHOLDS[*t])
        }
        Cond::MemoryDensity(o) => format!("memory_bandwidth_density {} {MEMORY_DENSITY_THRESHOLD}", o.as_str()),
        Cond::CommerciallyAvailable => "commercially_available_in_us".into(),
        Cond::AdvancedLogic => "applicable_advanced_logic".into(),
        Cond::PackagedBy => "packaged_by_front_end_fabricator_or_approved_osat".into(),
        Cond::Meets(sel, level) => match paras.prefix((*sel, *level)) {
            Some(p) if paras.under(&p).all(|i| i < limit) => format!("meets(\"{p}\")"),
            _ => "true".into(),
        },
        Cond::Not(c) => format!("not ({})", w(c)),
        Cond::And(cs) => format!("({})", cs.iter().map(w).collect::<Vec<_>>().join(" and ")),
        Cond::Or(cs) => format!("({})", cs.iter().map(w).collect::<Vec<_>>().join(" or ")),
    }
}

fn quoted<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    format!("[{}]", items.into_iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", "))
}

/// The members of `pool` that `sel` picks (modulo its length), each once.
fn ids<T: Copy + PartialEq>(pool: &[T], sel: &[usize]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for &i in sel {
        let s = pick(pool, i);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn write_dest(d: &DestSpec, groups: &[&str]) -> String {
    let mut keys = Vec::new();
    for (key, v, pool) in [
        ("groups", &d.groups, groups),
        ("countries", &d.countries, &COUNTRIES[..]),
        ("except_groups", &d.except_groups, groups),
        ("except_countries", &d.except_countries, &COUNTRIES[..]),
    ] {
        if !v.is_empty() {
            keys.push(format!("{key} = {}", quoted(ids(pool, v))));
        }
    }
    if keys.is_empty() {
        keys.push("countries = [\"CN\"]".into());
    }
    format!("{{ {} }}", keys.join(", "))
}

fn write_date(d: usize) -> &'static str {
    DATES[d]
}

fn write_period(out: &mut String, p: PeriodSpec) {
    let (from, until) = p.bounds();
    let _ = writeln!(out, "from = {}", write_date(from));
    if let Some(u) = until {
        let _ = writeln!(out, "until = {}", write_date(u));
    }
}

/// The keys of `meta` that only inform readers: the publication date (the first of the pool,
/// before every rule), the effective date (the rule's `from`), a note, why a version follows a
/// lapse, and what the sources could not confirm.
fn write_meta(out: &mut String, meta: u8, p: PeriodSpec) {
    let bit = |b: u8| meta & (1 << b) != 0;
    if bit(0) {
        let _ = writeln!(out, "published = {}", DATES[0]);
    }
    if bit(1) {
        let _ = writeln!(out, "effective = {}", write_date(p.bounds().0));
    }
    if bit(2) {
        out.push_str("note = \"a note\"\n");
    }
    if bit(3) {
        out.push_str("follows_lapse = \"a stay\"\n");
    }
    if bit(4) {
        out.push_str("unverified = \"what the sources do not confirm\"\n");
    }
}

/// `confirmed_from` when the date `c` falls after the period's start and on or before its end
/// (E0362 otherwise); the window it leaves unconfirmed goes to `windows`.
fn write_confirmed_from(out: &mut String, c: Option<usize>, p: PeriodSpec, windows: &mut Vec<(Date, Date)>) {
    let (from, until) = p.bounds();
    if let Some(c) = c.filter(|&c| c > from && until.is_none_or(|u| c <= u)) {
        let _ = writeln!(out, "confirmed_from = {}", write_date(c));
        windows.push((date(DATES[from]), date(DATES[c])));
    }
}

/// What a pack written from a [`PackSpec`] is: its files, and the `confirmed_until` dates of
/// its requirements and exceptions (after which complete facts may still leave the verdict open).
struct Written {
    files: Vec<SourceFile>,
    confirmed: Vec<Date>,
    /// The periods from a rule's `from` to its `confirmed_from` (exclusive), in which a
    /// determination the rule could change is open.
    unconfirmed: Vec<(Date, Date)>,
    /// Some country group has members the sources do not confirm.
    unverified_members: bool,
    entries: usize,
    /// The screening lists the pack holds (that parties may attest screenings against).
    lists: Vec<&'static str>,
    /// The date of the complete lists, when they are complete.
    list_as_of: Option<Date>,
}

impl Written {
    fn text(&self) -> String {
        self.files.iter().map(|f| format!("# --- {}\n{}", f.path, f.text)).collect::<Vec<_>>().join("\n")
    }
}

/// Ids given so far per rule kind with their periods; a new rule whose id is in force over part
/// of its period gets a suffix (so it stays under the same paragraph), else it is a new version
/// of the same rule.
#[derive(Default)]
struct Ids(Vec<(String, PeriodSpec)>);

impl Ids {
    fn take(&mut self, id: String, p: PeriodSpec, sep: &str) -> String {
        let mut candidate = id.clone();
        let mut k = 2;
        while self.0.iter().any(|(i, q)| *i == candidate && q.overlaps(p)) {
            candidate = format!("{id}{sep}v{k}");
            k += 1;
        }
        self.0.push((candidate.clone(), p));
        candidate
    }
}

struct Writer<'a> {
    out: String,
    groups: Vec<&'static str>,
    lists: Vec<&'static str>,
    paras: &'a Paragraphs,
}

impl Writer<'_> {
    fn scope(&mut self, s: &ScopeSpec) {
        if let Some(d) = &s.destinations {
            let _ = writeln!(self.out, "destinations = {}", write_dest(d, &self.groups));
        }
        if let Some(p) = &s.parties {
            let mut keys = Vec::new();
            if let Some(r) = &p.roles {
                let roles: Vec<&str> = ids(&ROLES, r).into_iter().map(Role::as_str).collect();
                keys.push(format!("roles = {}", quoted(roles)));
            }
            if let Some(d) = &p.located_in {
                keys.push(format!("located_in = {}", write_dest(d, &self.groups)));
            }
            if let Some(d) = &p.headquartered_in {
                keys.push(format!("headquartered_in = {}", write_dest(d, &self.groups)));
            }
            if let Some(l) = p.listed_on {
                keys.push(format!("listed_on = \"{}\"", pick(&self.lists, l)));
            }
            if let Some((l, pct)) = p.owned_by_listed {
                let list = pick(&self.lists, l);
                keys.push(format!("owned_by_listed = {{ list = \"{list}\", percent = {} }}", PERCENTS[pct]));
            }
            if let Some(u) = &p.end_uses {
                keys.push(format!("end_uses = {}", quoted(ids(&END_USES, u))));
            }
            if let Some(d) = &p.end_use_in {
                keys.push(format!("end_use_in = {}", write_dest(d, &self.groups)));
            }
            if keys.is_empty() {
                keys.push(format!("listed_on = \"{}\"", self.lists[0]));
            }
            let _ = writeln!(self.out, "parties = {{ {} }}", keys.join(", "));
        }
        if let Some(p) = &s.products {
            let _ = writeln!(self.out, "products = {}", quoted(ids(&PRODUCT_IDS, p)));
        }
        if let Some(k) = &s.transaction_kinds {
            let _ = writeln!(self.out, "transaction_kinds = {}", quoted(ids(&TRANSACTION_KINDS, k)));
        }
    }

    fn when(&mut self, c: &Option<Cond>) {
        if let Some(c) = c {
            let _ = writeln!(self.out, "when = '{}'", write_cond(c, self.paras, self.paras.ids.len()));
        }
    }

    fn items(&mut self, items: &ItemsSpec) {
        let list: Vec<String> =
            items.iter().flatten().filter_map(|&r| self.paras.prefix(r)).fold(Vec::new(), |mut v, p| {
                if !v.contains(&p) {
                    v.push(p);
                }
                v
            });
        if list.is_empty() {
            self.out.push_str("items = \"all\"\n");
        } else {
            let _ = writeln!(self.out, "items = {}", quoted(list.iter().map(String::as_str)));
        }
    }

    fn confirmed(&mut self, c: Option<usize>, confirmed: &mut Vec<Date>) {
        if let Some(c) = c {
            let _ = writeln!(self.out, "confirmed_until = {}", write_date(c));
            confirmed.push(date(DATES[c]));
        }
    }
}

fn date(s: &str) -> Date {
    s.parse().expect("a date of the pool")
}

/// Writes a pack: `pack.toml`, `groups.toml` (country groups, equivalences, list entries),
/// `ccl.toml` (classifications, exclusions) and `rules.toml` (requirements, exceptions, review
/// policies, notices).
fn write_pack(p: &PackSpec) -> Written {
    let mut pack_toml = format!(
        "name = \"generated\"\ntitle = \"A generated pack\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = {}\nresearched_until = 9999-12-31\n",
        DATES[p.coverage]
    );
    if p.scope_notes {
        pack_toml.push_str("scope_notes = [\"generated\"]\n");
    }
    if let Some(reading) = READINGS[p.reading] {
        let _ = writeln!(
            pack_toml,
            "[aggregation]\nseparate_packages = \"{reading}\"\nsource = \"generated\"\nnote = \"n\"\nunverified = \"u\""
        );
    }
    let mut unconfirmed = Vec::new();
    let mut unverified_members = false;

    // Country groups, equivalences, list entries.
    let mut g = String::new();
    let groups: Vec<&'static str> = GROUPS.iter().copied().take(p.groups.len()).collect();
    for (id, spec) in groups.iter().zip(&p.groups) {
        let members = ids(&COUNTRIES, &spec.members);
        let _ = writeln!(g, "[[country_group]]\nid = \"{id}\"\ntitle = \"Group {id}\"\nsource = \"generated\"");
        let _ = writeln!(g, "members = {}", quoted(members.iter().copied()));
        // Unverified members are neither members nor dated members (E0363).
        let dated: Vec<&str> = spec.dated.iter().map(|&(c, _, _)| pick(&COUNTRIES, c)).collect();
        let unverified: Vec<&str> = ids(&COUNTRIES, &spec.unverified)
            .into_iter()
            .filter(|c| !members.contains(c) && !dated.contains(c))
            .collect();
        if !unverified.is_empty() {
            unverified_members = true;
            let _ = writeln!(g, "unverified_members = {}", quoted(unverified.iter().copied()));
            g.push_str("unverified = \"not confirmed\"\nunverified_source = \"generated\"\n");
        }
        g.push('\n');
        for &(c, from, until) in &spec.dated {
            let country = pick(&COUNTRIES, c);
            if members.contains(&country) {
                continue;
            }
            let from = from.or(if until.is_none() { Some(3) } else { None });
            let until = until.filter(|u| from.is_none_or(|f| u > &f));
            if from.is_none() && until.is_none() {
                continue;
            }
            let _ = writeln!(g, "[[country_group.dated_member]]\ncountry = \"{country}\"\nsource = \"generated\"");
            if let Some(f) = from {
                let _ = writeln!(g, "from = {}", write_date(f));
            }
            if let Some(u) = until {
                let _ = writeln!(g, "until = {}", write_date(u));
            }
            g.push('\n');
        }
    }
    // An equivalence the loader refuses (E0529: a country as itself, as two countries on a
    // common day, or a chain) is left out.
    let mut written: Vec<(&str, &str, PeriodSpec)> = Vec::new();
    for &(c, a, period) in &p.treated_as {
        let (c, a) = (pick(&COUNTRIES, c), pick(&COUNTRIES, a));
        let conflict =
            |&(wc, wa, wp): &(&str, &str, PeriodSpec)| wp.overlaps(period) && (wc == c || wc == a || wa == c);
        if c == a || written.iter().any(conflict) {
            continue;
        }
        written.push((c, a, period));
        let _ = writeln!(g, "[[treated_as]]\ncountry = \"{c}\"\nas = \"{a}\"\nsource = \"generated\"\nnote = \"n\"");
        write_period(&mut g, period);
        g.push('\n');
    }
    let mut lists: Vec<&'static str> = Vec::new();
    for (i, e) in p.entries.iter().enumerate() {
        let list = pick(&LISTS, e.list);
        if !lists.contains(&list) {
            lists.push(list);
        }
        let _ = writeln!(g, "[[list_entry]]\nlist = \"{list}\"\nid = \"EL:{i}\"\nname = \"{}\"", pick(&NAMES, e.name));
        let _ = writeln!(g, "aliases = {}\nsource = \"generated\"", quoted(ids(&NAMES, &e.aliases)));
        if let Some(c) = e.country {
            let _ = writeln!(g, "country = \"{}\"", pick(&COUNTRIES, c));
        }
        if !e.countries.is_empty() {
            let _ = writeln!(g, "countries = {}", quoted(ids(&COUNTRIES, &e.countries)));
        }
        if let Some(r) = e.review_policy {
            let _ = writeln!(g, "review_policy = \"{}\"", POLICIES[r]);
        }
        let bit = |b: u8| e.meta & (1 << b) != 0;
        if bit(0) {
            let _ = writeln!(g, "footnote = {}", 4 + i % 2);
        }
        if bit(1) {
            g.push_str("license_requirement = \"For all items subject to the EAR\"\n");
        }
        if bit(2) {
            g.push_str("note = \"n\"\n");
        }
        if bit(3) {
            g.push_str("unverified = \"u\"\n");
        }
        // An entry in force from the start of the pool is written without `from`.
        if e.period.from == 0 {
            if let (_, Some(u)) = e.period.bounds() {
                let _ = writeln!(g, "until = {}", write_date(u));
            }
        } else {
            write_period(&mut g, e.period);
        }
        g.push('\n');
    }

    for list in &lists {
        let _ = writeln!(g, "[[screening_list]]\nlist = \"{list}\"\nname = \"{list}\"");
        let _ = writeln!(g, "complete = {}", p.lists_complete);
        if p.lists_complete {
            let _ = writeln!(g, "as_of = {}", DATES[p.list_as_of]);
        }
        g.push_str("source = \"generated\"\n\n");
    }

    // Classifications (each may only meet those written before it) and exclusions.
    let mut confirmed = Vec::new();
    let mut taken = Ids::default();
    let mut paras = Paragraphs { ids: Vec::new(), eccns: Vec::new() };
    for c in &p.classifications {
        let eccn = ECCNS[c.eccn].to_string();
        paras.ids.push(taken.take(format!("{eccn}.{}", c.paragraph), c.period, "."));
        paras.eccns.push(eccn);
    }
    let mut ccl = String::new();
    for (i, c) in p.classifications.iter().enumerate() {
        let own = match ECCNS[c.eccn] {
            "4A090.a" => 1,
            "3A090.c" => 2,
            _ => 0,
        };
        let kinds: Vec<&str> =
            (0..KINDS.len()).filter(|&k| k == own || c.kinds & (1 << k) != 0).map(|k| KINDS[k]).collect();
        let _ = writeln!(
            ccl,
            "[[classification]]\nid = \"{}\"\neccn = \"{}\"\ntitle = \"t\"\nsource = \"generated\"\nkinds = {}",
            paras.ids[i],
            paras.eccns[i],
            quoted(kinds)
        );
        let _ = writeln!(ccl, "when = '{}'", write_cond(&c.when, &paras, i));
        if let Some(u) = c.confirmed_until {
            let _ = writeln!(ccl, "confirmed_until = {}", write_date(u));
            confirmed.push(date(DATES[u]));
        }
        write_confirmed_from(&mut ccl, c.confirmed_from, c.period, &mut unconfirmed);
        write_meta(&mut ccl, c.meta, c.period);
        write_period(&mut ccl, c.period);
        ccl.push('\n');
    }
    if !paras.ids.is_empty() {
        for (i, x) in p.exclusions.iter().enumerate() {
            // An ECCN or its category names the family of paragraphs under it, written with `*`.
            let applies: Vec<String> = x
                .applies_to
                .iter()
                .filter_map(|&r| paras.prefix(r).map(|p| if r.1 == 0 { p } else { format!("{p}.*") }))
                .collect();
            let family = |a: &String| a.trim_end_matches('*').trim_end_matches('.').to_string();
            let limit = applies.iter().map(family).flat_map(|a| paras.under(&a).collect::<Vec<_>>()).min();
            let limit = limit.unwrap_or(paras.ids.len());
            let _ = writeln!(
                ccl,
                "[[exclusion]]\nid = \"Note {i}\"\ntitle = \"t\"\nsource = \"generated\"\napplies_to = {}",
                quoted(applies.iter().map(String::as_str))
            );
            let _ = writeln!(ccl, "when = '{}'", write_cond(&x.when, &paras, limit));
            write_meta(&mut ccl, x.meta, x.period);
            write_period(&mut ccl, x.period);
            ccl.push('\n');
        }
    }

    // Requirements, exceptions, review policies, notices.
    let mut w = Writer { out: String::new(), groups, lists, paras: &paras };
    let mut taken = Ids::default();
    let mut requirement_ids = Vec::new();
    for r in &p.requirements {
        let id = taken.take(REQUIREMENT_IDS[r.id].to_string(), r.period, "/");
        let _ = writeln!(
            w.out,
            "[[license_requirement]]\nid = \"{id}\"\ntitle = \"t\"\nreason = \"RS\"\nsource = \"generated\""
        );
        requirement_ids.push(id);
        w.items(&r.items);
        match &r.regions {
            // Regions of Ukraine, with Ukraine alone as the destinations (E0367 otherwise).
            Some(regions) => {
                let scope = ScopeSpec {
                    destinations: Some(DestSpec { countries: vec![UKRAINE], ..DestSpec::default() }),
                    ..r.scope.clone()
                };
                w.scope(&scope);
                let _ = writeln!(w.out, "regions = {}", quoted(ids(&REGIONS, regions)));
            }
            None => w.scope(&r.scope),
        }
        w.confirmed(r.confirmed_until, &mut confirmed);
        write_confirmed_from(&mut w.out, r.confirmed_from, r.period, &mut unconfirmed);
        w.when(&r.when);
        if let Some(rp) = r.review_policy {
            let _ = writeln!(w.out, "review_policy = \"{}\"", POLICIES[rp]);
        }
        write_meta(&mut w.out, r.meta, r.period);
        write_period(&mut w.out, r.period);
        w.out.push('\n');
    }
    for (i, x) in p.exceptions.iter().enumerate() {
        let name = EXCEPTION_NAMES[x.name];
        let overcomes: Vec<&str> = ids(&requirement_ids.iter().map(String::as_str).collect::<Vec<_>>(), &x.overcomes);
        let _ = writeln!(
            w.out,
            "[[license_exception]]\nid = \"740.{i}/{name}\"\nname = \"{name}\"\ntitle = \"t\"\nsource = \"generated\""
        );
        let _ = writeln!(w.out, "overcomes = {}", quoted(overcomes));
        w.items(&x.items);
        w.scope(&x.scope);
        w.confirmed(x.confirmed_until, &mut confirmed);
        w.when(&x.when);
        let unavailable: Vec<String> = x
            .unavailable_with
            .iter()
            .map(|&(r, level)| {
                let id = &requirement_ids[r % requirement_ids.len()];
                let cut = match level {
                    0 => id.len(),
                    1 => id.find(['(', '/']).unwrap_or(id.len()),
                    _ => id.find(['.', '(', '/']).unwrap_or(id.len()),
                };
                // A part of an id names the family of rules under it, written with `*`.
                if cut < id.len() { format!("{}*", &id[..cut]) } else { id.clone() }
            })
            .collect();
        if !unavailable.is_empty() {
            let _ = writeln!(w.out, "unavailable_with = {}", quoted(unavailable.iter().map(String::as_str)));
        }
        let _ = writeln!(w.out, "obligations = [\"notify\"]");
        if x.one_consignee {
            w.out.push_str("one_consignee_and_end_user = true\n");
        }
        write_confirmed_from(&mut w.out, x.confirmed_from, x.period, &mut unconfirmed);
        write_meta(&mut w.out, x.meta, x.period);
        write_period(&mut w.out, x.period);
        w.out.push('\n');
    }
    let policy_ids: Vec<String> = (0..p.policies.len()).map(|i| format!("742.6(b)(10)/{i}")).collect();
    for (i, rp) in p.policies.iter().enumerate() {
        let applies = ids(&requirement_ids.iter().map(String::as_str).collect::<Vec<_>>(), &rp.applies_to);
        let supersedes = ids(&policy_ids.iter().map(String::as_str).collect::<Vec<_>>(), &rp.supersedes);
        let _ = writeln!(
            w.out,
            "[[review_policy]]\nid = \"{}\"\ntitle = \"t\"\nsource = \"generated\"\napplies_to = {}\npolicy = \"{}\"\nsupersedes = {}",
            policy_ids[i],
            quoted(applies),
            POLICIES[rp.policy],
            quoted(supersedes)
        );
        w.scope(&rp.scope);
        w.when(&rp.when);
        if rp.obligations {
            w.out.push_str("obligations = [\"apply\"]\n");
        }
        w.confirmed(rp.confirmed_until, &mut confirmed);
        write_confirmed_from(&mut w.out, rp.confirmed_from, rp.period, &mut unconfirmed);
        write_meta(&mut w.out, rp.meta, rp.period);
        write_period(&mut w.out, rp.period);
        w.out.push('\n');
    }
    for (i, n) in p.notices.iter().enumerate() {
        let _ = writeln!(w.out, "[[notice]]\nid = \"notice {i}\"\ntitle = \"t\"\nsource = \"generated\"");
        w.scope(&n.scope);
        let mut ignored = Vec::new();
        w.confirmed(n.confirmed_until, &mut ignored);
        write_confirmed_from(&mut w.out, n.confirmed_from, n.period, &mut Vec::new());
        w.when(&n.when);
        write_meta(&mut w.out, n.meta, n.period);
        write_period(&mut w.out, n.period);
        w.out.push('\n');
    }

    let entries = p.entries.len();
    let lists = w.lists.clone();
    Written {
        list_as_of: p.lists_complete.then(|| date(DATES[p.list_as_of])),
        files: vec![
            SourceFile::new("pack.toml", pack_toml),
            SourceFile::new("groups.toml", g),
            SourceFile::new("ccl.toml", ccl),
            SourceFile::new("rules.toml", w.out),
        ],
        confirmed,
        unconfirmed,
        unverified_members,
        entries,
        lists,
    }
}

// ---------------------------------------------------------------------------------------------
// Products and queries.

/// The product sheet of `p`, without the facts `hide` names.
fn product_sheet(p: &ProductSpec, hide: u16) -> String {
    let hidden = |bit: u16| hide & (1 << bit) != 0;
    let vendor = |v: usize, bit: u16| if hidden(bit) { VENDOR_PLACEHOLDER } else { VENDORS[v] };
    let kind = KINDS[p.kind];
    let mut s = format!("id = \"{}\"\nname = \"Generated\"\nkind = \"{kind}\"\n", PRODUCT_IDS[p.id]);
    if kind == "computer" {
        // A computer is described by what it contains (4A090: computers containing ICs that
        // meet 3A090): one or two of an IC with the figures, under the pack's reading of
        // separate packages. The system states the IC's datacenter fact and commercial
        // availability as its own (an IC in a datacenter system is read as a datacenter IC; a
        // system's unknown flag leaves a non-datacenter IC's open), and its own vendor, to
        // which the IC answers as well (the "is informed" letters bind the vendor who exports).
        let _ = writeln!(s, "vendor = \"{}\"", vendor(p.system_vendor, 13));
        if !hidden(0) {
            let _ = writeln!(s, "designed_or_marketed_for_datacenter = {}", p.datacenter);
        }
        if !hidden(10) {
            let _ = writeln!(s, "commercially_available_in_us = {}", p.commercially_available);
        }
        own_bandwidths(&mut s, p);
        let _ = writeln!(s, "[[contains]]\ncount = {}\n[contains.sheet]", p.count);
        let _ = writeln!(s, "id = \"{}-ic\"\nname = \"Generated IC\"", PRODUCT_IDS[p.id]);
        let _ = writeln!(s, "vendor = \"{}\"", vendor(p.vendor, 8));
        s.push_str("kind = \"integrated_circuit\"\n");
        figures(&mut s, p, hide, "contains.sheet.");
    } else {
        let _ = writeln!(s, "vendor = \"{}\"", vendor(p.vendor, 8));
        figures(&mut s, p, hide, "");
    }
    s
}

/// A system's own interconnect and memory bandwidths (S7): the sums of its contents'
/// (`own == 1`: the same facts stated twice), or above them (`own == 2`), which leaves the
/// contents unknown.
fn own_bandwidths(s: &mut String, p: &ProductSpec) {
    let (io, mem) = (Decimal::from_str(INTERCONNECTS[p.interconnect]), Decimal::from_str(MEMORY_BANDWIDTHS[p.memory]));
    let (io, mem) = (io.expect("a number"), mem.expect("a number"));
    let count = Decimal::from(p.count);
    let (io, mem) = match p.own {
        1 => (io * count, mem * count),
        2 => (io * count + Decimal::ONE, mem * count + Decimal::ONE),
        _ => return,
    };
    // A system not for datacenters states no interconnect of the NVLink class (as its IC).
    if p.datacenter || io < Decimal::from(600) {
        let _ = writeln!(s, "interconnect_bandwidth = \"{io}\"");
    }
    let _ = writeln!(s, "[memory]\nkind = \"{}\"\nhbm = {}\nbandwidth = \"{mem}\"", memory_kind(p), p.hbm);
}

fn memory_kind(p: &ProductSpec) -> &'static str {
    if p.hbm { "HBM3" } else { "GDDR6" }
}

/// The figures of a generated product, less those `hide` names, with tables under `prefix`.
fn figures(s: &mut String, p: &ProductSpec, hide: u16, prefix: &str) {
    let hidden = |bit: u16| hide & (1 << bit) != 0;
    if !hidden(0) {
        let _ = writeln!(s, "designed_or_marketed_for_datacenter = {}", p.datacenter);
    }
    if !hidden(10) {
        let _ = writeln!(s, "commercially_available_in_us = {}", p.commercially_available);
    }
    // A memory part has no figures of a logic IC (E0218): no interconnect, no logic die, no
    // transistor count of logic.
    let memory = KINDS[p.kind] == "memory";
    if !hidden(4) && !memory {
        let _ = writeln!(s, "interconnect_bandwidth = \"{}\"", INTERCONNECTS[p.interconnect]);
    }
    if !hidden(9) && !memory {
        // A planar die above the 16/14 nm node holds under 40 million transistors per mm² (E0233).
        let count = if p.planar && !p.advanced_node { "1000000000" } else { TRANSISTOR_COUNTS[p.transistors] };
        let _ = writeln!(s, "transistors = {count}");
        // With its dies given, the count is the package's whole logic (a count of some dies only
        // is read as at least itself, and a low one rebuts Note 1 only so stated: dies10, U2).
        if !hidden(2) {
            let _ = writeln!(s, "logic_dies_complete = true");
        }
        // The node, so that the count can be checked against the dies (a count the engine
        // cannot check is read as at least itself: src/model/transistor_count.rs): of the 16/14
        // nm class for an advanced die (every count here is above its typical 8 million per
        // mm²), else above it. A planar die of the 16/14 nm class is on a planar node (FD-SOI:
        // GlobalFoundries 12FDX), since `16FF` names FinFETs (E0241 refuses planar dies beside it).
        let node = match (p.advanced_node, p.planar) {
            (true, true) => "GlobalFoundries 12FDX",
            (true, false) => "TSMC 16FF",
            (false, _) => "TSMC 28HPM",
        };
        let _ = writeln!(s, "process_node = \"{node}\"");
    }
    // A memory part has no processing rates (E0218): its TPP is unknown.
    if !hidden(1) && !memory {
        // TPP = TOPS × bit length, the maximum over the precisions ([`RATES`]); bit 14: the list
        // gives a lower bound.
        let tpp = Decimal::from_str(TPPS[p.tpp]).expect("a number");
        // A TPP whose FP32 rate would need more than the 6 decimal places a figure has (E0201:
        // 1599.99) is written as an INT8 rate.
        let fp32 = tpp / Decimal::from(32);
        let rates = if fp32.normalize().scale() > 6 { 0 } else { p.rates };
        let complete = !(hidden(14) && rates != 1);
        let _ = writeln!(s, "[{prefix}dense_tops]\ncomplete = {complete}");
        match rates {
            0 => {
                let _ = writeln!(s, "int8 = \"{}\"", tpp / Decimal::from(8));
            }
            1 => {
                let fp64 = (tpp / Decimal::from(128)).round_dp(2);
                let _ = writeln!(s, "fp32 = \"{fp32}\"\nfp64 = \"{fp64}\"");
                if !hidden(14) {
                    let low = export_controls::model::Precision::ALL.iter().filter(|x| x.bits() <= 16);
                    let _ = writeln!(s, "unsupported = {}", quoted(low.map(|x| x.as_str())));
                }
            }
            _ => {
                let _ = writeln!(s, "fp32 = \"{fp32}\"");
            }
        }
    }
    if !hidden(2) && !memory {
        // An area above one exposure field (858 mm², E0236) is written as two identical dies
        // of half of it: the applicable die area is the same.
        match AREAS[p.area] {
            "1000" => {
                let _ = writeln!(s, "[[{prefix}logic_die]]\narea = \"500\"\ncount = 2");
            }
            "1500" => {
                let _ = writeln!(s, "[[{prefix}logic_die]]\narea = \"750\"\ncount = 2");
            }
            area => {
                let _ = writeln!(s, "[[{prefix}logic_die]]\narea = \"{area}\"");
            }
        }
        if !hidden(3) {
            let _ = writeln!(s, "non_planar = {}", !p.planar);
        }
        if !hidden(11) {
            let _ = writeln!(s, "at_or_below_16_14nm = {}", p.advanced_node);
        }
    }
    if !hidden(5) {
        let _ = writeln!(s, "[{prefix}memory]\nkind = \"{}\"", memory_kind(p));
        if !hidden(7) {
            let _ = writeln!(s, "hbm = {}", p.hbm);
        }
        if !hidden(6) {
            let _ = writeln!(s, "bandwidth = \"{}\"", MEMORY_BANDWIDTHS[p.memory]);
        }
        if !hidden(12) {
            let area = if p.hbm { HBM_STACK_AREAS[p.stack_area] } else { GDDR_STACK_AREA };
            let _ = writeln!(s, "stack_area = \"{area}\"");
        }
    }
}

fn prepare(sheet: &str) -> PreparedProduct {
    let product = parse_product_sheet(&SourceFile::new("generated.toml", sheet))
        .unwrap_or_else(|e| panic!("generated sheet refused: {e}\n{sheet}"));
    PreparedProduct::new(product)
}

/// Whether every figure a generated condition reads is known (a system's own bandwidths above
/// its contents' leave the contents unknown).
/// An FP32 rate alone, stated complete, for a part designed for AI (for the datacenter, or
/// with HBM) gives a lower bound: its TPP is then unknown.
fn complete(p: &ProductSpec, hide: u16) -> bool {
    hide == 0
        && !p.planar
        && KINDS[p.kind] != "memory"
        && !(KINDS[p.kind] == "computer" && p.own == 2)
        && !(p.rates == 2 && (p.datacenter || p.hbm) && TPPS[p.tpp] != "1599.99")
}

fn country(i: usize) -> Country {
    pick(&COUNTRIES, i).parse().expect("a country of the pool")
}

/// A name as a party writes it: as listed, in lower case, with other punctuation (the same after
/// normalising), with a word added (a near miss), or with its last word dropped.
fn party_name((n, variant): (usize, usize)) -> String {
    let base = pick(&NAMES, n);
    match variant {
        0 => base.to_string(),
        1 => base.to_lowercase(),
        2 => format!("  {}. ", base.replace(' ', " - ")),
        3 => format!("{base} Holdings"),
        _ => base.rsplit_once(' ').map_or(base, |(head, _)| head).to_string(),
    }
}

fn entry_id(e: Option<usize>, entries: usize) -> String {
    match e {
        Some(i) => format!("EL:{}", i % entries.max(1)),
        None => "EL:not-an-entry".into(),
    }
}

/// An attestation that a name was screened against `list` (an index into the pack's lists) as
/// of `on`.
fn screening(w: &Written, list: usize, on: Date) -> export_controls::model::Screening {
    export_controls::model::Screening { list: pick(&w.lists, list).to_string(), list_date: on, by: None }
}

/// The owners of `specs` (a party's, or an owner's own), each name once under one owner
/// (E0514) and shares capped at 100 % in all (E0506), on the complete facts so that hiding a
/// share changes nothing else; without the facts the incomplete variant hides.
fn build_owners(specs: &[OwnerSpec], w: &Written, on: Date, hide: bool, known: bool) -> Vec<Owner> {
    let mut total = Decimal::ZERO;
    let mut names = std::collections::HashSet::new();
    specs
        .iter()
        .filter(|o| {
            let key = normalize_name(&party_name(o.name));
            key.is_empty() || names.insert(key)
        })
        .map(|o| {
            let pct = Decimal::from_str(PERCENTS[o.percent]).expect("a number").min(Decimal::ONE_HUNDRED - total);
            total += pct;
            // The owner's own ownership is a fact as the party's is (tester round 6, S2).
            let known = known && !(hide && o.hide_known);
            Owner {
                name: party_name(o.name),
                percent: (!(hide && o.hide_percent)).then_some(pct),
                list_entries: o.entry.map(|e| entry_id(Some(e), w.entries)).into_iter().collect(),
                screened: o.screened.filter(|_| !w.lists.is_empty()).map(|l| screening(w, l, on)).into_iter().collect(),
                owners_known: known,
                owners: build_owners(&o.owners, w, on, hide, known),
                registration: o
                    .registered
                    .filter(|_| !(hide && o.hide_known))
                    .map(|c| export_controls::model::Registration { country: country(c), number: "GEN-1".into() }),
                // Identified as its ownership is known: hiding one hides the other (tester round 9, U3).
                identified: !(hide && o.hide_known),
            }
        })
        .collect()
}

fn build_party(p: &PartySpec, w: &Written, on: Date, hide: bool) -> Party {
    let hidden = |bit: u8| hide && p.hide & (1 << bit) != 0;
    let mut party = Party::new(pick(&ROLES, p.role));
    party.name =
        if hidden(0) { p.placeholder.map(|i| PLACEHOLDER_NAMES[i].to_string()) } else { Some(party_name(p.name)) };
    party.country = (!hidden(1)).then(|| country(p.country));
    party.headquarters = (!hidden(2)).then(|| country(p.headquarters));
    party.parent_headquarters = (!hidden(3)).then(|| country(p.parent));
    party.owners_known = !hidden(4);
    party.list_entries = p.entries.iter().map(|&e| entry_id(e, w.entries)).collect();
    party.owners = build_owners(&p.owners, w, on, hide, !hidden(4));
    // Each end use once (the same use at two places is two declarations).
    let mut uses: Vec<export_controls::model::DeclaredEndUse> = Vec::new();
    for &(u, place) in &p.end_uses {
        let end_use: export_controls::model::EndUse = pick(&END_USES, u).parse().expect("a vocabulary end use");
        let declared = export_controls::model::DeclaredEndUse { end_use, place: (!hidden(5)).then(|| country(place)) };
        if !uses.contains(&declared) {
            uses.push(declared);
        }
    }
    party.end_uses = uses;
    if let Some((list, on_pool)) = p.screened.filter(|_| !hidden(6) && !w.lists.is_empty()) {
        party.screened = vec![screening(w, list, on_pool.map_or(on, |d| date(DATES[d])))];
    }
    party
}

fn query_date(q: &QuerySpec) -> Date {
    let base = date(DATES.get(q.date.0).copied().unwrap_or(LATE));
    match q.date.1 {
        -1 => base.prev_day().expect("a day before"),
        1 => base.next_day().expect("a day after"),
        _ => base,
    }
}

fn build_query(q: &QuerySpec, w: &Written, hide: bool) -> Query {
    let to = country(q.to);
    let from = match q.from {
        0 => Country::US,
        1 => to,
        _ => country(q.from_country),
    };
    let mut query = Query::export_to(to, query_date(q)).exported_from(from);
    // A party repeated with the same role, name and country is refused (E0514): a party that
    // repeats another on the complete facts or on the facts with some hidden is left out of
    // both, so that hiding a fact changes nothing else.
    let mut seen = std::collections::HashSet::new();
    query.parties = q
        .parties
        .iter()
        .filter(|p| {
            let keys: Vec<_> = [false, true]
                .into_iter()
                .map(|h| build_party(p, w, query_date(q), h))
                .map(|b| (b.role, normalize_name(b.name.as_deref().unwrap_or("")), b.country))
                .filter(|k| !k.1.is_empty())
                .collect();
            let new = keys.iter().all(|k| !seen.contains(k));
            seen.extend(keys);
            new
        })
        .map(|p| build_party(p, w, query_date(q), hide))
        .collect();
    query.exporter = Exporter {
        // Bit 8: whether the exporter is a front-end fabricator or OSAT is not stated.
        front_end_fabricator_or_osat: (q.exporter & 8 == 0).then_some(q.exporter & 1 != 0),
        approved_ic_designer_attestation: q.exporter & 2 != 0,
        packaged_outside_d5_or_macau: q.exporter & 4 != 0,
        // Bit 1 of `hide`: who packaged the IC is not stated. Only beside a claim that it was
        // packaged outside D:5 and Macau: without that claim an unstated packager is read as
        // one that cannot rebut Note 1's presumption (core/mod.rs, `ProductEnv::flag`), a
        // reading, not an unknown, so hiding it there would change the facts.
        packaged_by: (!(hide && q.hide & 2 != 0 && q.exporter & 4 != 0)).then(|| pick(&PACKAGERS, q.packaged_by)),
    };
    // Where the items ship from, not stated (bit 2 of `hide`): the transaction kind unknown
    // (tester round 10, V5). Not for a destination in the US, which from a country not stated
    // is no export, as from the US (refused on both paths).
    if hide && q.hide & 4 != 0 && !to.is_united_states() {
        query = query.origin_not_stated();
    }
    // Where in Ukraine the item goes, stated for an export to Ukraine (bit 0 of `hide`).
    if q.to == UKRAINE && !(hide && q.hide & 1 != 0) {
        query = query.in_region(export_controls::model::Region::parse(REGIONS[q.region]).expect("a region"));
    }
    query
}

// ---------------------------------------------------------------------------------------------
// The properties.

fn country_text(c: Option<Country>) -> String {
    c.map_or_else(|| "?".into(), |c| c.to_string())
}

/// A query as a reader checks it: destination, origin, date, exporter, and each party's facts
/// (`?` for an unknown one).
fn describe(q: &Query) -> String {
    let mut s = format!("to {} from {} on {}", q.destination, country_text(q.exported_from), q.date);
    if let Some(r) = q.destination_region {
        let _ = write!(s, " ({} region)", r.as_str());
    }
    if q.exporter != Exporter::default() {
        let _ = write!(s, ", exporter {:?}", q.exporter);
    }
    for p in &q.parties {
        let _ = write!(
            s,
            "\n  {}: name {:?}, country {}, headquarters {}, parent headquarters {}, entries {:?}, end uses {:?}",
            p.role.as_str(),
            p.name,
            country_text(p.country),
            country_text(p.headquarters),
            country_text(p.parent_headquarters),
            p.list_entries,
            p.end_uses
        );
        if !p.screened.is_empty() {
            let _ = write!(s, ", screened {:?}", p.screened);
        }
        let _ = write!(s, ", owners known {}", p.owners_known);
        for (depth, o) in owners_with_depth(&p.owners, 1) {
            let pct = o.percent.map_or_else(|| "?".into(), |d| d.to_string());
            let _ = write!(
                s,
                "\n    {}owned {pct} % by {:?}, entries {:?}, screened {:?}, owners known {}",
                "  ".repeat(depth - 1),
                o.name,
                o.list_entries,
                o.screened,
                o.owners_known
            );
        }
    }
    s
}

/// Owners and their owners, depth first, with their level (1: the party's own).
fn owners_with_depth(owners: &[Owner], depth: usize) -> Vec<(usize, &Owner)> {
    owners.iter().flat_map(|o| std::iter::once((depth, o)).chain(owners_with_depth(&o.owners, depth + 1))).collect()
}

fn fail(what: &str, written: &Written, sheet: &str, q: &Query, detail: &str) -> TestCaseError {
    TestCaseError::fail(format!(
        "{what}: {detail}\n\nquery: {}\n\nproduct sheet:\n{sheet}\npack:\n{}",
        describe(q),
        written.text()
    ))
}

/// The requirements a determination finds, with their truth.
fn found(d: &Determination) -> Vec<(String, Truth)> {
    d.requirements
        .iter()
        .map(|r| {
            let t = match r.certainty {
                export_controls::evaluate::Certainty::Certain => Truth::True,
                export_controls::evaluate::Certainty::Possible => Truth::Unknown,
            };
            (r.id.clone(), t)
        })
        .collect()
}

/// What one generated pack gave: verdicts reached (to show the generator reaches them all).
#[derive(Debug, Default)]
struct Tally {
    verdicts: std::collections::BTreeMap<Verdict, usize>,
    errors: usize,
    /// Decisions with an exception found (compared one by one), with other destinations (range
    /// checked against the merged findings), with a missing fact.
    exceptions: usize,
    destinations: usize,
    missing: usize,
}

/// Decides every product × query of `case`, complete and incomplete, with both paths, and checks
/// agreement and the soundness of incomplete answers.
fn check_case(case: &Case, tally: &mut Tally, indexed: bool) -> Result<(), TestCaseError> {
    let mut written = write_pack(&case.pack);
    if !indexed {
        written.files.push(padding());
    }
    let rules = compile(&written.files)
        .unwrap_or_else(|d| panic!("the generated pack does not compile: {d}\n\n{}", written.text()));
    let pack = CompiledPack::new(rules);
    assert_eq!(pack.epochs().is_some(), indexed, "the pack is {}indexed", if indexed { "not " } else { "" });
    let mut scratch = Scratch::default();
    if !indexed {
        // A pack without its index is slow to build: decide each product (complete facts) for
        // each query to every destination of the pool on every date of the pool as well.
        for p in &case.products {
            let sheet = product_sheet(p, 0);
            let product = prepare(&sheet);
            for qs in &case.queries {
                for to in 0..COUNTRIES.len() {
                    for on in 0..DATES.len() {
                        let q = build_query(&QuerySpec { to, date: (on, 0), ..qs.clone() }, &written, false);
                        agreement::check(&pack, &mut scratch, &product, None, &q)
                            .map_err(|e| fail("the paths disagree (no index)", &written, &sheet, &q, &e))?;
                    }
                }
            }
        }
    }
    for p in &case.products {
        let (full_sheet, part_sheet) = (product_sheet(p, 0), product_sheet(p, p.hide));
        let (full, part) = (prepare(&full_sheet), prepare(&part_sheet));
        let full_classified = pack.classify_product(full.clone());
        let part_classified = pack.classify_product(part.clone());
        for qs in &case.queries {
            let fq = build_query(qs, &written, false);
            let pq = build_query(qs, &written, true);
            let a = agreement::check(&pack, &mut scratch, &full, Some(&full_classified), &fq)
                .map_err(|e| fail("the paths disagree (complete facts)", &written, &full_sheet, &fq, &e))?;
            let b = agreement::check(&pack, &mut scratch, &part, Some(&part_classified), &pq)
                .map_err(|e| fail("the paths disagree (incomplete facts)", &written, &part_sheet, &pq, &e))?;
            match (&a, &b) {
                (Outcome::Decided(d, f), Outcome::Decided(e, g)) => {
                    *tally.verdicts.entry(d.verdict).or_default() += 1;
                    *tally.verdicts.entry(e.verdict).or_default() += 1;
                    for x in [d, e] {
                        tally.exceptions += usize::from(!x.exceptions.is_empty());
                        tally.destinations += usize::from(!x.other_destinations.is_empty());
                        tally.missing += usize::from(!x.missing.is_empty());
                    }
                    let unsound = |detail: String| {
                        let detail = format!(
                            "{detail}\n\ncomplete facts: {}\nmissing {:?}\n\nincomplete facts: missing {:?}",
                            describe(&fq),
                            d.missing,
                            e.missing
                        );
                        fail("unsound on incomplete facts", &written, &part_sheet, &pq, &detail)
                    };
                    // Hiding facts may open the verdict, never change it.
                    if e.verdict != Verdict::Indeterminate && e.verdict != d.verdict {
                        return Err(unsound(format!(
                            "{:?} on incomplete facts, {:?} on the complete ones",
                            e.verdict, d.verdict
                        )));
                    }
                    if !(g.at_least <= f.at_least && f.at_most <= g.at_most) {
                        return Err(unsound(format!(
                            "the range {:?}..{:?} does not contain the complete facts' {:?}..{:?}",
                            g.at_least, g.at_most, f.at_least, f.at_most
                        )));
                    }
                    // A requirement that applies on incomplete facts applies on the complete
                    // ones; one that applies on the complete facts applies or may apply on
                    // incomplete ones.
                    let (complete_reqs, partial_reqs) = (found(d), found(e));
                    for (id, t) in partial_reqs.iter() {
                        if *t == Truth::True && !complete_reqs.contains(&(id.clone(), Truth::True)) {
                            return Err(unsound(format!("{id} applies on incomplete facts only: {complete_reqs:?}")));
                        }
                    }
                    // (Unless the location of a party that takes the items is unknown, or the
                    // place of an end use where the items are (tester round 11, W10): the
                    // destination is then open, the outcome widened up to a licence without
                    // naming a rule.)
                    let destination_open = pq.parties.iter().any(|p| {
                        (p.role.takes_the_items() && p.country.is_none())
                            || p.end_uses.iter().any(|u| u.place.is_none() && u.end_use.places_the_items())
                    });
                    for (id, _) in complete_reqs.iter().filter(|_| !destination_open) {
                        if !partial_reqs.iter().any(|(j, _)| j == id) {
                            return Err(unsound(format!("{id} applies, but not even possibly on incomplete facts")));
                        }
                    }
                    if let Some(x) = e.paragraphs.iter().find(|x| !d.paragraphs.contains(x)) {
                        return Err(unsound(format!("paragraph {x} holds on incomplete facts only")));
                    }
                    // A review policy set by a review-policy rule on the complete facts is given at
                    // least as strict on incomplete ones: a rule that may hold governs where it is
                    // the stricter, and a lenient one is never presumed (parties13: the place of an
                    // end use is not presumed for a review policy). Not where the destination is
                    // open: a destination the complete facts add has its own policies.
                    let by_rule = |r: &&export_controls::evaluate::RequirementFinding| {
                        r.review_policy_source.as_deref().is_some_and(|s| s.starts_with("742.6(b)(10)/"))
                    };
                    for r in d.requirements.iter().filter(by_rule).filter(|_| !destination_open) {
                        if let Some(q) = e.requirements.iter().find(|q| q.id == r.id)
                            && q.review_policy < r.review_policy
                        {
                            return Err(unsound(format!(
                                "{}: review policy {:?} on incomplete facts, {:?} on the complete ones",
                                r.id, q.review_policy, r.review_policy
                            )));
                        }
                    }
                    // Complete facts, on a date no `confirmed_until` has passed: nothing is open.
                    let date = fq.date;
                    // Parties are screened only against complete lists of the date of export, and
                    // only with an end user given are they all known (a purchaser or an ultimate
                    // consignee alone is not: 15 CFR 748.5(e)-(f)).
                    let parties_known = fq.parties.is_empty()
                        || (written.list_as_of == Some(date) && fq.parties.iter().any(|p| p.role == Role::EndUser));
                    // Whether the exporter is a front-end fabricator or OSAT is a fact too.
                    let exporter_known = fq.exporter.front_end_fabricator_or_osat.is_some();
                    // A party or owner whose name holds a listed name or alias as whole words, or
                    // is held by one (`Huawei Technologies Co., Ltd.` beside an entry `Huawei`),
                    // is left open by design (an affiliate, a branch or another company form:
                    // README, "Names are compared"), however complete the other facts are.
                    let near_miss = {
                        let keys: Vec<String> = case
                            .pack
                            .entries
                            .iter()
                            .flat_map(|e| std::iter::once(e.name).chain(e.aliases.iter().copied()))
                            .map(|i| normalize_name(pick(&NAMES, i)))
                            .collect();
                        let near = |name: &str| {
                            let k = normalize_name(name);
                            keys.iter().any(|e| export_controls::names::contains_words(&k, e))
                        };
                        fq.parties.iter().any(|p| {
                            p.name.as_deref().is_some_and(near)
                                || export_controls::model::owners_in_depth(p).iter().any(|(_, o)| near(&o.name))
                        })
                    };
                    // A rule whose status is not confirmed yet on the date (`confirmed_from`), or
                    // a country group membership the sources do not confirm, leaves open what
                    // it could change.
                    let confirmed = written.confirmed.iter().all(|c| date <= *c)
                        && !written.unconfirmed.iter().any(|&(from, until)| from <= date && date < until)
                        && !written.unverified_members;
                    // Under the aggregate reading a system's memory bandwidth density is unknown
                    // (the aggregate keeps no stack area; reported to the lead, not fixed here).
                    let aggregate = KINDS[p.kind] == "computer" && READINGS[case.pack.reading] == Some("aggregate");
                    if complete(p, 0) && !aggregate && parties_known && !near_miss && exporter_known && confirmed {
                        let open = d.verdict == Verdict::Indeterminate
                            || !d.undetermined_paragraphs.is_empty()
                            || !d.missing.is_empty()
                            || complete_reqs.iter().any(|(_, t)| *t != Truth::True);
                        if open {
                            return Err(fail(
                                "complete facts leave the determination open",
                                &written,
                                &full_sheet,
                                &fq,
                                &format!(
                                    "{:?}, undetermined {:?}, missing {:?}, requirements {complete_reqs:?}",
                                    d.verdict, d.undetermined_paragraphs, d.missing
                                ),
                            ));
                        }
                    }
                }
                // Two statements of one company that disagree (E0520) are refused on the complete
                // facts; the incomplete variant may hide what makes them one company (a name, a
                // country) or one of the two values, and is then decided or refused otherwise.
                (Outcome::Refused(EvaluateError::Party(x)), _)
                    if matches!(
                        x.kind,
                        PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. }
                    ) =>
                {
                    tally.errors += 1;
                }
                // Decided on the complete facts, refused as possibly one company on the
                // incomplete variant: it hides the country that makes two statements of one
                // name two companies (E0520 compares a statement without a country with every
                // statement of the name). A refusal is never a clearance.
                (Outcome::Decided(..), Outcome::Refused(EvaluateError::Party(y)))
                    if matches!(
                        y.kind,
                        PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. }
                    ) =>
                {
                    tally.errors += 1;
                }
                (Outcome::Refused(x), Outcome::Refused(y)) => {
                    tally.errors += 1;
                    // The same error; a party's label may differ (its name is hidden).
                    let same = match (x, y) {
                        // Two statements of one company that disagree: which fact is named
                        // first depends on which the incomplete variant hides.
                        (EvaluateError::Party(a), EvaluateError::Party(b))
                            if matches!(
                                a.kind,
                                PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. }
                            ) =>
                        {
                            matches!(
                                b.kind,
                                PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. }
                            )
                        }
                        // The incomplete variant hides a country, so two statements of one name
                        // may be one company (E0520), found before the error the complete facts
                        // were refused for (which the variant may hide, such as a list entry).
                        (_, EvaluateError::Party(b))
                            if matches!(
                                b.kind,
                                PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. }
                            ) =>
                        {
                            true
                        }
                        (EvaluateError::Party(a), EvaluateError::Party(b)) => a.kind == b.kind,
                        _ => x == y,
                    };
                    if !same {
                        return Err(fail("different errors", &written, &part_sheet, &pq, &format!("{x} / {y}")));
                    }
                }
                _ => {
                    return Err(fail(
                        "refused only on some facts",
                        &written,
                        &part_sheet,
                        &pq,
                        &format!("{a:?} / {b:?}"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Both paths agree on generated packs, products and queries, complete and incomplete, and an
/// incomplete answer never claims more than the complete facts allow. The packs reach every
/// verdict and both errors, so agreement is not agreement on one answer.
#[test]
fn both_paths_agree_on_generated_packs() {
    let config = config();
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let tally = RefCell::new(Tally::default());
    if let Err(e) = runner.run(&case(), |case| check_case(&case, &mut tally.borrow_mut(), true)) {
        panic!("{e}");
    }
    let tally = tally.into_inner();
    eprintln!(
        "{cases} packs: verdicts {:?}, {} refused; {} with exceptions, {} with other destinations, {} with missing facts",
        tally.verdicts, tally.errors, tally.exceptions, tally.destinations, tally.missing
    );
    // A licence exception granted is rare in generated packs (170 of 18,754 queries in a run of
    // 2,000 packs: an exception needs its scope, conditions and no block all to hold), so a
    // run of CI's size may draw none with a random seed; every other verdict it always reaches.
    if cases >= 32 {
        let others = [Verdict::NoLicenseRequired, Verdict::LicenseRequired, Verdict::Indeterminate];
        assert!(others.iter().all(|v| tally.verdicts.contains_key(v)), "{:?}", tally.verdicts);
        if cases >= 1000 {
            assert_eq!(tally.verdicts.len(), 4, "{:?}", tally.verdicts);
        }
        assert!(tally.errors > 0, "no query was refused");
        assert!(tally.exceptions > 0 && tally.destinations > 0 && tally.missing > 0, "{tally:?}");
    }
}

/// Packs for [`hiding_one_fact_never_clears`] when `PROPTEST_CASES` is not set: each decides
/// every product and query once per fact (about 15 product facts and 7 per party), so it runs
/// fewer packs than [`both_paths_agree_on_generated_packs`].
const ONE_FACT_CASES: u32 = 24;

/// The variants of `q` that hide one fact each: the region, the packager, where the items ship
/// from; one fact of one party (its bits); one owner's share, or its identity (with whether its
/// own owners are known and its registration). Every other hide of the spec is cleared.
fn one_fact_queries(q: &QuerySpec) -> Vec<QuerySpec> {
    fn clear(o: &mut OwnerSpec) {
        o.hide_percent = false;
        o.hide_known = false;
        o.owners.iter_mut().for_each(clear);
    }
    /// Paths (indexes from the party's owners down) to every owner.
    fn paths(owners: &[OwnerSpec], at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        for (i, o) in owners.iter().enumerate() {
            at.push(i);
            out.push(at.clone());
            paths(&o.owners, at, out);
            at.pop();
        }
    }
    fn at<'a>(owners: &'a mut [OwnerSpec], path: &[usize]) -> &'a mut OwnerSpec {
        let (first, rest) = path.split_first().expect("a path to an owner");
        let o = &mut owners[*first];
        if rest.is_empty() { o } else { at(&mut o.owners, rest) }
    }
    let mut base = q.clone();
    base.hide = 0;
    for p in &mut base.parties {
        p.hide = 0;
        p.owners.iter_mut().for_each(clear);
    }
    // Hiding where the items ship from beside a party located, or placing an end use, in the US
    // once cleared (seeds 2794706597 and 3042682064 of this property): the US was a further
    // destination from a foreign origin only. It never is now (15 CFR 734.13, 734.14).
    let mut out: Vec<QuerySpec> = (0..3).map(|b| QuerySpec { hide: 1 << b, ..base.clone() }).collect();
    for i in 0..base.parties.len() {
        for b in 0..7 {
            let mut v = base.clone();
            v.parties[i].hide = 1 << b;
            out.push(v);
        }
        let mut owner_paths = Vec::new();
        paths(&base.parties[i].owners, &mut Vec::new(), &mut owner_paths);
        for path in owner_paths {
            for share in [true, false] {
                let mut v = base.clone();
                let o = at(&mut v.parties[i].owners, &path);
                if share {
                    o.hide_percent = true;
                } else {
                    o.hide_known = true;
                }
                out.push(v);
            }
        }
    }
    out
}

/// Hiding one fact at a time never clears what the complete facts do not: where the complete
/// facts give a licence requirement, a licence exception or an indeterminate verdict, no
/// variant that hides a single fact (one figure or flag of the product, one fact of the query,
/// of a party or of an owner) gives no licence required (monotonicity in information; the
/// generated packs' check hides several facts at once, which can hide one non-monotonicity
/// behind another). Decided by `RuleSet::evaluate`, which the other property checks against
/// the fast path.
#[test]
fn hiding_one_fact_never_clears() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(ONE_FACT_CASES);
    let mut runner = TestRunner::new(ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() });
    let result = runner.run(&case(), |case| {
        let written = write_pack(&case.pack);
        let rules = compile(&written.files)
            .unwrap_or_else(|d| panic!("the generated pack does not compile: {d}\n\n{}", written.text()));
        let decide = |sheet: &str, q: &Query| {
            rules.evaluate(&prepare(sheet), q, export_controls::Options::default()).ok().map(|d| d.verdict)
        };
        for p in &case.products {
            let full_sheet = product_sheet(p, 0);
            // A computer whose own bandwidths exceed its contents' keeps its contents' memory
            // and interconnect (see `product`).
            // Nor, under the aggregate reading, a computer's interconnect or memory: two ICs of
            // 599 GB/s sum to an interconnect of the datacenter class, beside which a flag stated
            // `false` is unknown (probe finding 16), and hiding the interconnect clears it
            // (seed 2794706597 of this property; reported to the lead, not fixed here).
            let aggregate = KINDS[p.kind] == "computer" && READINGS[case.pack.reading] == Some("aggregate");
            let bits = (0..15u16).filter(|b| {
                !(KINDS[p.kind] == "computer" && p.own == 2 && (4..=6).contains(b) || aggregate && (4..=7).contains(b))
            });
            let sheets: Vec<String> = bits.map(|b| product_sheet(p, 1 << b)).collect();
            for qs in &case.queries {
                let fq = build_query(qs, &written, false);
                let Some(full) = decide(&full_sheet, &fq) else { continue };
                if full == Verdict::NoLicenseRequired {
                    continue;
                }
                let products = sheets.iter().map(|sheet| (sheet.clone(), fq.clone()));
                let queries =
                    one_fact_queries(qs).into_iter().map(|v| (full_sheet.clone(), build_query(&v, &written, true)));
                for (sheet, q) in products.chain(queries) {
                    if decide(&sheet, &q) == Some(Verdict::NoLicenseRequired) {
                        return Err(fail(
                            "one fact hidden clears what the complete facts do not",
                            &written,
                            &sheet,
                            &q,
                            &format!("complete facts: {full:?}\n{}\n\ncomplete sheet:\n{full_sheet}", describe(&fq)),
                        ));
                    }
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Requirements that never apply (they name only a product no sheet has) but each start on another day, for
/// every destination except the United States: so many epochs × destinations that the compiled
/// pack gives up its index and decides by scanning the rules (as it does for packs too large to
/// index).
fn padding() -> SourceFile {
    let mut s = String::new();
    // From the latest coverage start on: epochs before the coverage are not indexed.
    let mut day = date(DATES[2]);
    for k in 0..240 {
        day = day.next_day().expect("a day after");
        let _ = writeln!(
            s,
            "[[license_requirement]]\nid = \"999.{k}\"\ntitle = \"t\"\nreason = \"RS\"\nsource = \"generated\"\n\
             items = \"all\"\ndestinations = {{ except_countries = [\"US\"] }}\nproducts = [\"no-such-product\"]\nfrom = {day}\n"
        );
    }
    SourceFile::new("padding.toml", s)
}

/// As [`both_paths_agree_on_generated_packs`], for packs the fast path decides without its
/// epoch index, by scanning the rules (the fallback for packs too large to index, whose
/// country-group and `treated_as` lookups by date are code of their own). Building the index
/// until it is given up takes seconds in a debug build, so one pack in 256 as many (one by
/// default).
#[test]
fn both_paths_agree_on_generated_packs_without_the_index() {
    let mut config = config();
    config.cases = (config.cases / 256).max(1);
    let mut runner = TestRunner::new(config);
    let tally = RefCell::new(Tally::default());
    if let Err(e) = runner.run(&case(), |case| check_case(&case, &mut tally.borrow_mut(), false)) {
        panic!("{e}");
    }
}

/// Runs the generator and fails on the first determination (complete or incomplete facts) for
/// which `open` holds but `missing` is empty.
fn names_what_is_missing(what: &str, open: fn(&Determination) -> bool) {
    let mut runner = TestRunner::new(config());
    let result = runner.run(&case(), |case| {
        let written = write_pack(&case.pack);
        let rules = compile(&written.files).unwrap_or_else(|d| panic!("{d}"));
        for p in &case.products {
            for hide in [0, p.hide] {
                let sheet = product_sheet(p, hide);
                let product = prepare(&sheet);
                for qs in &case.queries {
                    for hidden in [false, true] {
                        let q = build_query(qs, &written, hidden);
                        let Ok(d) = rules.evaluate(&product, &q, export_controls::Options::default()) else { continue };
                        if open(&d) && d.missing.is_empty() {
                            let detail = format!(
                                "{:?} with undetermined paragraphs {:?} and requirements {:?}, but nothing named missing",
                                d.verdict,
                                d.undetermined_paragraphs,
                                found(&d)
                            );
                            return Err(fail(what, &written, &sheet, &q, &detail));
                        }
                    }
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// An indeterminate verdict names the missing inputs it depends on (DESIGN.md: "A determination
/// whose outcome depends on an unknown is indeterminate and lists the missing inputs"), on every
/// generated pack, product (with and without a hidden figure) and query. The minimal packs it
/// found are kept below: `an_indeterminate_verdict_names_the_figure_behind_meets_of_another_kind`
/// and `an_indeterminate_verdict_names_the_figure_of_a_paragraph_whose_eccn_is_certain`.
#[test]
fn indeterminate_verdicts_name_what_is_missing() {
    names_what_is_missing("issue 11", |d| d.verdict == Verdict::Indeterminate);
}

/// The same for the classification: a paragraph that may apply depending on missing inputs
/// names them (rules/README.md: "a warning says the classification is undetermined" with what
/// is missing); see `an_undetermined_paragraph_names_the_figure_behind_meets_of_another_kind`.
#[test]
fn undetermined_paragraphs_name_what_is_missing() {
    names_what_is_missing("issue 11 (classification)", |d| !d.undetermined_paragraphs.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Regressions: minimal packs the generator found, kept as they were shrunk (then pared by hand).

const PACK_TOML: &str = "name = \"generated\"\ntitle = \"A generated pack\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = 2022-01-01\nresearched_until = 9999-12-31\n";

/// A chip every generated figure of which is known (TPP 800, 100 TOPS INT8 × 8; 500 mm²).
const CHIP: &str = "id = \"chip-a\"\nname = \"Generated\"\nvendor = \"Test\"\nkind = \"integrated_circuit\"\n\
    designed_or_marketed_for_datacenter = false\ninterconnect_bandwidth = \"599\"\n[dense_tops]\nint8 = \"100\"\n\
    [[logic_die]]\narea = \"500\"\nnon_planar = true\n[memory]\nkind = \"HBM3\"\nbandwidth = \"1399\"\n";

/// Decides `sheet` for `q` on the pack of `rules` (one rule file beside [`PACK_TOML`]) with every
/// path, which must agree; the verdict (`None` when refused).
fn decide_text(rules: &str, sheet: &str, q: &Query) -> Option<Verdict> {
    let files = [SourceFile::new("pack.toml", PACK_TOML), SourceFile::new("rules.toml", rules)];
    let pack = CompiledPack::new(compile(&files).unwrap_or_else(|d| panic!("{d}")));
    let product = prepare(sheet);
    let classified = pack.classify_product(product.clone());
    agreement::check(&pack, &mut Scratch::default(), &product, Some(&classified), q)
        .unwrap_or_else(|e| panic!("the paths disagree: {e}"))
        .verdict()
}

/// Found by `both_paths_agree_on_generated_packs` (its soundness check; both paths agree). A
/// licence is required when a party is on the Entity List (15 CFR 744.11). The purchaser's name
/// is unknown, and the one entry id it gives matches no entry in force on the date (`EL:2` is
/// listed later): whether it is listed is not known, since with its name it might match `EL:1`,
/// as the complete facts show. Both paths read the party as certainly not listed and answered
/// "no licence required"; the answer must be indeterminate (a missing fact never gives
/// no_license_required; DESIGN.md counts "an unknown list id" among missing facts). An id that
/// names no entry of the pack at all is refused by both paths (issue 12, item 2).
#[test]
fn an_unknown_name_beside_an_entry_id_that_matches_nothing_is_not_screened() {
    let rules = r#"
[[screening_list]]
list = "entity_list"
name = "Entity List"
complete = true
as_of = 2024-01-01
source = "generated"

[[list_entry]]
list = "entity_list"
id = "EL:1"
name = "Lion City Compute Pte. Ltd."
source = "generated"
from = 2021-06-01

[[list_entry]]
list = "entity_list"
id = "EL:2"
name = "Harbour Front Systems Ltd."
source = "generated"
from = 2025-01-01

[[license_requirement]]
id = "744.11"
title = "t"
reason = "Entity List"
source = "generated"
items = "all"
parties = { listed_on = "entity_list" }
from = 2021-06-01
"#;
    let mut q = Query::export_to(country(0), date("2024-06-01"));
    let mut end_user = Party::new(Role::EndUser);
    end_user.name = Some("Lion City Compute Pte. Ltd.".into());
    end_user.list_entries = vec!["EL:2".into()];
    q.parties = vec![end_user];
    assert_eq!(decide_text(rules, CHIP, &q), Some(Verdict::LicenseRequired), "complete facts");
    q.parties[0].name = None;
    assert_eq!(decide_text(rules, CHIP, &q), Some(Verdict::Indeterminate), "the name is unknown");
    q.parties[0].list_entries = vec!["EL:not-an-entry".into()];
    assert_eq!(decide_text(rules, CHIP, &q), None, "an id the pack does not hold is refused");
}

/// A determination of `sheet` for `q` on the pack of `rules`, after checking that the paths agree.
fn determination(rules: &str, sheet: &str, q: &Query) -> Determination {
    decide_text(rules, sheet, q);
    let files = [SourceFile::new("pack.toml", PACK_TOML), SourceFile::new("rules.toml", rules)];
    let rules = compile(&files).unwrap_or_else(|d| panic!("{d}"));
    rules.evaluate(&prepare(sheet), q, export_controls::Options::default()).expect("decided")
}

/// A computer whose TPP is unknown (no rates).
const COMPUTER_WITHOUT_TPP: &str = "id = \"board-c\"\nname = \"Generated\"\nvendor = \"Test\"\nkind = \"computer\"\n\
    designed_or_marketed_for_datacenter = false\n";

/// Found by `indeterminate_verdicts_name_what_is_missing` (issue 11; both paths agree on the
/// verdict). The requirement applies unless the product meets the parameters of 3A090.a.1
/// (`tpp >= 800`), a paragraph for integrated circuits. A computer is tested through the ICs it
/// contains (its sheet's `contains`, issue 11 item 1), and this one says nothing of them nor of
/// its own rates: whether it meets 3A090.a.1 is unknown, so the requirement may or may not
/// apply: indeterminate, and what is missing is what it contains (when the generator found this
/// pack, before systems were modelled, `missing` was empty).
#[test]
fn an_indeterminate_verdict_names_the_figure_behind_meets_of_another_kind() {
    let rules = r#"
[[classification]]
id = "3A090.a.1"
eccn = "3A090.a"
title = "t"
source = "generated"
kinds = ["integrated_circuit"]
when = 'tpp >= 800'
from = 2021-06-01

[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "RS"
source = "generated"
items = "all"
when = 'not meets("3A090.a.1")'
from = 2021-06-01
"#;
    let d = determination(rules, COMPUTER_WITHOUT_TPP, &Query::export_to(country(0), date("2024-06-01")));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, ["contains"]);
}

/// Found by `undetermined_paragraphs_name_what_is_missing` (issue 11; both paths agree).
/// 3A090.b.1 holds for an integrated circuit unless it meets 4A090.a.1 (`tpp >= 800`, a paragraph
/// for computers). Before, `meets` read 4A090.a.1's figures for the chip whatever its kind, so
/// with the chip's TPP unknown 3A090.b.1 was undetermined and `missing` had to name `tpp`. Since
/// a product tested as itself never meets a paragraph whose kinds leave its kind out (tester
/// round 3, P7: a memory stack was asked for TPP by paragraphs for integrated circuits), an
/// integrated circuit does not meet a paragraph for computers, whatever its TPP: 3A090.b.1 holds,
/// nothing is undetermined and nothing is missing (the verdict is a licence either way, as the
/// requirement covers every item).
#[test]
fn an_undetermined_paragraph_names_the_figure_behind_meets_of_another_kind() {
    let rules = r#"
[[classification]]
id = "4A090.a.1"
eccn = "4A090.a"
title = "t"
source = "generated"
kinds = ["computer"]
when = 'tpp >= 800'
from = 2021-06-01

[[classification]]
id = "3A090.b.1"
eccn = "3A090.b"
title = "t"
source = "generated"
kinds = ["integrated_circuit"]
when = 'not meets("4A090.a.1")'
from = 2021-06-01

[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "RS"
source = "generated"
items = "all"
from = 2021-06-01
"#;
    let chip = CHIP.replace("[dense_tops]\nint8 = \"100\"\n", "");
    let d = determination(rules, &chip, &Query::export_to(country(0), date("2024-06-01")));
    assert_eq!(
        (d.verdict, d.paragraphs.as_slice(), d.undetermined_paragraphs.as_slice()),
        (Verdict::LicenseRequired, &["3A090.b.1".to_string()][..], &[][..])
    );
    assert!(d.missing.is_empty(), "{:?}", d.missing);
}

/// Found by `indeterminate_verdicts_name_what_is_missing` (issue 11; both paths agree on the
/// verdict). The requirement covers paragraph 3A090.b.1 (`tpp >= 800`) only; 3A090.b.2 holds
/// for every chip, so the ECCN 3A090.b is certain, and the figures of its undecided paragraphs
/// are not collected. With the chip's TPP unknown the requirement may or may not apply:
/// indeterminate, rightly, and `missing` must name `tpp` (it was empty: the rule's items were
/// undecided and nothing named why).
#[test]
fn an_indeterminate_verdict_names_the_figure_of_a_paragraph_whose_eccn_is_certain() {
    let rules = r#"
[[classification]]
id = "3A090.b.1"
eccn = "3A090.b"
title = "t"
source = "generated"
kinds = ["integrated_circuit"]
when = 'tpp >= 800'
from = 2021-06-01

[[classification]]
id = "3A090.b.2"
eccn = "3A090.b"
title = "t"
source = "generated"
kinds = ["integrated_circuit"]
when = 'true'
from = 2021-06-01

[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "RS"
source = "generated"
items = ["3A090.b.1"]
from = 2021-06-01
"#;
    let chip = CHIP.replace("[dense_tops]\nint8 = \"100\"\n", "");
    let d = determination(rules, &chip, &Query::export_to(country(0), date("2024-06-01")));
    assert_eq!((d.verdict, d.paragraphs.as_slice()), (Verdict::Indeterminate, &["3A090.b.2".to_string()][..]));
    assert_eq!(d.missing, ["tpp"]);
}

/// Group A:5 (Macau alone) and one licence requirement `742.6(a)(6)(iii)` for every item, with
/// its `reason` and its scope lines (`scope`), in force from 2021-06-01: the start of the
/// hand-written packs below.
fn a5_and_requirement(reason: &str, scope: &str) -> String {
    format!(
        r#"
[[country_group]]
id = "A:5"
title = "Group A:5"
source = "generated"
members = ["MO"]

[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "{reason}"
source = "generated"
items = "all"
{scope}
from = 2021-06-01
"#
    )
}

/// Found by `both_paths_agree_on_generated_packs` (its soundness check; both paths agree). A
/// licence exception available only for an end use that takes place in Group A:5 (`end_use_in`),
/// and a purchaser located in Macau (in A:5 on the date) that declares a supercomputer end use
/// without saying where the supercomputer is. A rule reading the place took the party's
/// location for it when that location was in the rule's countries (since 2026-12-02 no rule
/// does: README, "End uses"). For an exception it granted the exception on a presumed
/// fact: "licence exception" without the place, while the same purchaser declaring the
/// supercomputer in China (outside A:5) leaves it unavailable. The exporter must establish that
/// a licence exception's conditions are met (15 CFR 740.2(a)); an unstated place does not, so the
/// exception is only possible and the verdict indeterminate, naming the place. A requirement
/// keyed to the place no longer reads the location for it either: indeterminate, naming the place.
#[test]
fn an_exception_is_not_granted_on_a_presumed_place_of_end_use() {
    let rules = |scope: &str| {
        a5_and_requirement("RS", scope)
            + r#"
[[license_exception]]
id = "740.0/NAC"
name = "NAC"
title = "t"
source = "generated"
overcomes = ["742.6(a)(6)(iii)"]
items = "all"
parties = { end_use_in = { groups = ["A:5"] } }
obligations = ["notify"]
from = 2021-06-01
"#
    };
    let query = |place: Option<&str>| {
        let mut q = Query::export_to("MO".parse().unwrap(), date("2025-09-29"));
        let mut p = Party::new(Role::EndUser);
        p.name = Some("Lion City Compute Pte. Ltd.".into());
        p.country = Some("MO".parse().unwrap());
        p.end_uses = vec![export_controls::model::DeclaredEndUse {
            end_use: export_controls::model::EndUse::Supercomputer,
            place: place.map(|c| c.parse().unwrap()),
        }];
        q.parties = vec![p];
        q
    };
    let everywhere = rules("");
    assert_eq!(decide_text(&everywhere, CHIP, &query(Some("MO"))), Some(Verdict::LicenseException), "in A:5");
    assert_eq!(decide_text(&everywhere, CHIP, &query(Some("CN"))), Some(Verdict::LicenseRequired), "outside A:5");
    let d = determination(&everywhere, CHIP, &query(None));
    assert_eq!(d.verdict, Verdict::Indeterminate, "the place is not given: {:?}", d.exceptions);
    assert!(d.missing.iter().any(|m| m.contains("where the supercomputer is")), "{:?}", d.missing);
    // A requirement keyed to the place does not take the party's location for it either: the
    // supercomputer of a purchaser in Macau may be in China, outside A:5 (the generator's
    // soundness check found a requirement presumed to apply where the hidden place was outside
    // its scope). The place is missing; stated, it decides.
    let keyed = rules(r#"parties = { end_uses = ["supercomputer"], end_use_in = { groups = ["A:5"] } }"#);
    let keyed = keyed.split("[[license_exception]]").next().unwrap();
    let d = determination(keyed, CHIP, &query(None));
    assert_eq!(d.verdict, Verdict::Indeterminate, "requirement, no place: {:?}", d.requirements);
    assert!(d.missing.iter().any(|m| m.contains("where the supercomputer is")), "{:?}", d.missing);
    assert_eq!(decide_text(keyed, CHIP, &query(Some("MO"))), Some(Verdict::LicenseRequired), "requirement, in A:5");
    assert_eq!(decide_text(keyed, CHIP, &query(Some("CN"))), Some(Verdict::NoLicenseRequired), "requirement, outside");
}

/// Found by `both_paths_agree_on_generated_packs` in CI (both paths agree; the oracle was
/// wrong). A beneficiary (a party that receives nothing) is stated without its country, and the
/// pack's only licence requirement is keyed to a destination group the destination is not in;
/// a notice reads where the parties are located. The determination names the beneficiary's
/// country as missing, for the notice ("May apply (depends on missing data)"), and both paths
/// answer "no licence required": no requirement of the pack turns on where a party that takes
/// nothing is. Only an embargo requirement does (31 CFR 560.204, 15 CFR 746.7; tester round 11,
/// W11: a purchaser or beneficiary in Iran), and the pack has none. The agreement oracle read
/// every party's missing country as opening the verdict up to a licence requirement, whatever
/// named it missing.
#[test]
fn an_unlocated_beneficiary_opens_nothing_without_an_embargo_requirement() {
    let rules = |reason: &str| {
        a5_and_requirement(reason, r#"destinations = { groups = ["A:5"] }"#)
            + r#"
[[notice]]
id = "notice 0"
title = "t"
source = "generated"
parties = { located_in = { countries = ["CN"] } }
from = 2021-06-01
"#
    };
    let mut q = Query::export_to("CN".parse().unwrap(), date("2022-10-21"));
    let mut p = Party::new(Role::Beneficiary);
    p.name = Some("Huawei Technologies Co., Ltd.".into());
    q.parties = vec![p];
    let d = determination(&rules("RS"), CHIP, &q);
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?} {:?}", d.requirements, d.missing);
    assert!(d.missing.iter().any(|m| m.contains("beneficiary") && m.ends_with(": country")), "{:?}", d.missing);
    assert_eq!(d.notices, ["notice 0"]);
    // The same requirement as an embargo (15 CFR 746): the beneficiary may be in the embargoed
    // country, so the answer is open, naming its country.
    let d = determination(&rules("embargo"), CHIP, &q);
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?} {:?}", d.requirements, d.missing);
}

/// A requirement for exports only (`transaction_kinds = ["export"]`), on every item and
/// destination: the minimal pack `both_paths_agree_on_generated_packs` failed on after origin11
/// (2 runs in 3; reverted by cea9425).
const EXPORTS_ONLY: &str = r#"
[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "RS"
source = "generated"
items = "all"
transaction_kinds = ["export"]
from = 2021-06-01
"#;

/// Found by `both_paths_agree_on_generated_packs` (tester round 10, V5 re-landed). Whether a
/// shipment to China is an export (from the United States, 15 CFR 734.13), a reexport (from a
/// third country, 734.14) or an in-country transfer (within China, 734.16) decides a requirement
/// keyed to the kind: a licence from the US, none from Singapore or within China. With the
/// origin not stated the kind is unknown, so the requirement may apply: indeterminate, naming
/// `exported_from` alone (an unstated origin cannot clear). Both paths named it; the agreement
/// check read the determination's `exported_from (…)` as a figure of the product, against the
/// fast path's kind, a fact written in words (`MissingKinds::FACTS`, as its documentation
/// lists the country of export): "missing kinds: fast MissingKinds(2), not all among the
/// determination's MissingKinds(1)".
#[test]
fn an_unstated_origin_leaves_a_requirement_for_exports_open_on_both_paths() {
    let on = date("2024-06-01");
    let to_cn = |from: Option<&str>| {
        let q = Query::export_to(country(0), on);
        match from {
            Some(c) => q.exported_from(c.parse().unwrap()),
            None => q.origin_not_stated(),
        }
    };
    assert_eq!(decide_text(EXPORTS_ONLY, CHIP, &to_cn(Some("US"))), Some(Verdict::LicenseRequired), "export");
    assert_eq!(decide_text(EXPORTS_ONLY, CHIP, &to_cn(Some("SG"))), Some(Verdict::NoLicenseRequired), "reexport");
    assert_eq!(decide_text(EXPORTS_ONLY, CHIP, &to_cn(Some("CN"))), Some(Verdict::NoLicenseRequired), "transfer");
    let d = determination(EXPORTS_ONLY, CHIP, &to_cn(None));
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert_eq!(d.missing, [export_controls::model::EXPORTED_FROM_MISSING]);
    assert_eq!(agreement::missing_kinds(&d), export_controls::MissingKinds::FACTS);
}

/// An exception for exports only overcomes a requirement for China (the generator's ids): with
/// the origin not stated, whether it is available is unknown where the requirement applies, so
/// the outcome is a licence exception or a licence, naming `exported_from` (15 CFR 734.13-734.14;
/// a licence exception's conditions must be established, 740.2(a)). The same, and the same on
/// both paths, when China is a destination only through the end user located there (the items
/// go to the UAE first, and the requirement does not apply to that leg): the legs are decided
/// one after the other in one scratch, and the exception names the missing origin on the leg
/// where it may overcome a requirement.
#[test]
fn an_unstated_origin_leaves_an_exception_for_exports_open_on_every_leg() {
    let rules = r#"
[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "RS"
source = "generated"
items = "all"
destinations = { countries = ["CN"] }
from = 2021-06-01

[[license_exception]]
id = "740.0/NAC"
name = "NAC"
title = "t"
source = "generated"
overcomes = ["742.6(a)(6)(iii)"]
items = "all"
transaction_kinds = ["export"]
obligations = ["notify"]
from = 2021-06-01
"#;
    let on = date("2024-06-01");
    let to_cn = Query::export_to(country(0), on);
    assert_eq!(decide_text(rules, CHIP, &to_cn), Some(Verdict::LicenseException), "export");
    let reexport = to_cn.clone().exported_from("SG".parse().unwrap());
    assert_eq!(decide_text(rules, CHIP, &reexport), Some(Verdict::LicenseRequired), "reexport");
    let d = determination(rules, CHIP, &to_cn.origin_not_stated());
    assert_eq!(
        (d.verdict, d.missing.as_slice()),
        (Verdict::Indeterminate, &[export_controls::model::EXPORTED_FROM_MISSING.to_string()][..])
    );
    // Delivered to the UAE for an end user in China.
    let mut end_user = Party::new(Role::EndUser);
    end_user.name = Some("Lion City Compute Pte. Ltd.".into());
    end_user.country = Some(country(0));
    let via_ae = Query::export_to("AE".parse().unwrap(), on).with_parties(vec![end_user]);
    assert_eq!(decide_text(rules, CHIP, &via_ae), Some(Verdict::LicenseException), "export via AE");
    let d = determination(rules, CHIP, &via_ae.origin_not_stated());
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == export_controls::model::EXPORTED_FROM_MISSING), "{:?}", d.missing);
}

/// Found by `both_paths_agree_on_generated_packs` (1 run in 10 on this branch; not about the
/// origin: the generated packs never hold an embargo requirement, so it failed since the
/// embargoed-party reading of places11, tester round 11 W11). A requirement for in-country
/// transfers only does not reach a shipment from China to Israel, a reexport (15 CFR 734.14,
/// 734.16): no licence required, whatever the location of the beneficiary, which an exception
/// that overcomes nothing here reads. Both paths said so; the agreement check took the
/// beneficiary's location, named missing by the exception, for the location of a party that
/// opens the outcome (which holds only for a pack with embargo requirements, 15 CFR part 746)
/// and read the range as up to a licence. Within Israel (an in-country transfer) the requirement
/// applies and the exception for parties in China is open while the beneficiary's location is
/// not given; with it in China the exception is available.
#[test]
fn an_unlocated_beneficiary_opens_nothing_without_embargo_rules() {
    let rules = r#"
[[license_requirement]]
id = "742.6(a)(6)(iii)"
title = "t"
reason = "RS"
source = "generated"
items = "all"
transaction_kinds = ["in_country_transfer"]
from = 2021-06-01

[[license_exception]]
id = "740.0/NAC"
name = "NAC"
title = "t"
source = "generated"
overcomes = ["742.6(a)(6)(iii)"]
items = "all"
parties = { located_in = { countries = ["CN"] } }
obligations = ["notify"]
from = 2021-06-01
"#;
    let mut beneficiary = Party::new(Role::Beneficiary);
    beneficiary.name = Some("Huawei Technologies Co., Ltd.".into());
    beneficiary.parent_headquarters = Some(country(0));
    let to_il = |from: &str, b: &Party| {
        Query::export_to("IL".parse().unwrap(), date("2022-01-01"))
            .exported_from(from.parse().unwrap())
            .with_parties(vec![b.clone()])
    };
    assert_eq!(decide_text(rules, CHIP, &to_il("CN", &beneficiary)), Some(Verdict::NoLicenseRequired), "reexport");
    assert_eq!(decide_text(rules, CHIP, &to_il("IL", &beneficiary)), Some(Verdict::Indeterminate), "transfer");
    beneficiary.country = Some(country(0));
    assert_eq!(decide_text(rules, CHIP, &to_il("IL", &beneficiary)), Some(Verdict::LicenseException), "in CN");
}
