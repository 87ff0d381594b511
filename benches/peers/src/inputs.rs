//! The inputs every implementation is given: the catalog (and synthetic products exactly on the
//! thresholds, for the agreement test), the destinations, the dates, the pack, and for the peers
//! the country groups as data and the product figures scaled to integers.

use std::path::Path;

use export_controls::model::{Contained, Exporter, LogicDie, Precision, ProcessingUnit, Rate};
use export_controls::number::Ratio;
use export_controls::ruleset::Reading;
use export_controls::{Catalog, Country, Date, PreparedProduct, Product, ProductKind, Query, RuleSet};
use rust_decimal::Decimal;

/// The benchmark pack (`pack/`), loaded and checked by export-controls.
pub fn pack() -> RuleSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pack");
    match RuleSet::load_dir(&dir) {
        Ok(r) => r,
        Err(e) => panic!("the benchmark pack does not load: {e:?}"),
    }
}

/// The shipped catalog (`rules/products`), products prepared once.
pub fn catalog() -> Vec<PreparedProduct> {
    match Catalog::shipped() {
        Ok(c) => c.iter().cloned().collect(),
        Err(e) => panic!("the shipped catalog does not load: {e:?}"),
    }
}

/// Every ISO 3166-1 country except the United States (the country of export).
pub fn destinations() -> Vec<Country> {
    Country::all().into_iter().filter(|c| !c.is_united_states()).collect()
}

/// The as-of dates of the comparison: one under the groups of 2024, one after the 2026-07-10
/// change (the UAE left D:4 and joined A:5, so it left the scope of 742.6(a)(6)(iii)) and after
/// Cambodia left D:5 on 2026-02-03 (it stays in D:1, so in scope).
pub const DATES: [&str; 2] = ["2024-06-01", "2026-08-01"];

/// [`DATES`], parsed.
pub fn dates() -> Vec<Date> {
    DATES.iter().map(|d| date(d)).collect()
}

fn date(s: &str) -> Date {
    s.parse().unwrap_or_else(|e| panic!("date {s}: {e:?}"))
}

/// The exporter of every query: one that states it is neither a front-end fabricator nor an
/// OSAT, so Note 1 to 3A090.a (90 FR 5298, from 2025-01-31) does not apply; the peers do not
/// model Note 1, and an unstated role leaves the engine's answer open.
pub const EXPORTER: Exporter = Exporter {
    front_end_fabricator_or_osat: Some(false),
    approved_ic_designer_attestation: false,
    packaged_outside_d5_or_macau: false,
    packaged_by: None,
};

/// The query of one destination on one date, exported from the US by [`EXPORTER`].
pub fn query(destination: Country, date: Date) -> Query {
    Query::export_to(destination, date).exported_from(Country::US).with_exporter(EXPORTER)
}

/// The five country groups the rules name, in bit order.
pub const GROUP_NAMES: [&str; 5] = ["A:5", "A:6", "D:1", "D:4", "D:5"];

/// The members of each group at every date of the pack's coverage (`pack/country-groups.toml`).
const MEMBERS: [&[&str]; 5] = [
    &[
        "AR", "AT", "AU", "BE", "BG", "CA", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU",
        "IE", "IN", "IS", "IT", "JP", "KR", "LT", "LU", "LV", "NL", "NO", "NZ", "PL", "PT", "RO", "SE", "SI", "SK",
        "TR",
    ],
    &["AL", "CY", "IL", "MT", "MX", "SG", "TW", "ZA"],
    &[
        "AM", "AZ", "BY", "CN", "GE", "IQ", "KG", "KH", "KP", "KZ", "LA", "LY", "MD", "MM", "MN", "MO", "NI", "RU",
        "TJ", "TM", "UZ", "VE", "VN", "YE",
    ],
    &[
        "BH", "BY", "CN", "EG", "IL", "IQ", "IR", "JO", "KP", "KW", "LB", "LY", "MO", "OM", "PK", "QA", "RU", "SA",
        "SY", "VE", "YE",
    ],
    &[
        "AF", "BY", "CD", "CF", "CN", "CU", "ER", "HT", "IQ", "IR", "KP", "LB", "LY", "MM", "NI", "RU", "SD", "SO",
        "SS", "SY", "VE", "ZW",
    ],
];

/// The dated members of `pack/country-groups.toml`: group, country, from (inclusive), until
/// (exclusive).
const DATED: [(&str, &str, Option<&str>, Option<&str>); 3] = [
    ("A:5", "AE", Some("2026-07-10"), None),
    ("D:4", "AE", None, Some("2026-07-10")),
    ("D:5", "KH", None, Some("2026-02-03")),
];

fn country_index(c: Country) -> usize {
    match c.code().as_bytes() {
        [a, b] => usize::from(a - b'A') * 26 + usize::from(b - b'A'),
        _ => panic!("country code {}", c.code()),
    }
}

/// The country groups as the peers are given them: for each period between two dates at which a
/// membership changes, each country's groups as a bit set (bit i = [`GROUP_NAMES`]`[i]`).
/// Built once, like the entities of a Cedar store or a lookup table a ZEN caller keeps; looking
/// a destination up on a date is part of building each request, and is timed.
pub struct Groups {
    /// The dates at which a period starts, after the first.
    starts: Vec<Date>,
    /// One table per period, indexed by [`country_index`].
    tables: Vec<[u8; 26 * 26]>,
}

impl Groups {
    /// From the members and dated members above.
    pub fn new() -> Groups {
        let mut starts: Vec<Date> =
            DATED.iter().flat_map(|(_, _, from, until)| [*from, *until]).flatten().map(date).collect();
        starts.sort();
        starts.dedup();
        let mut tables = Vec::new();
        for period in 0..=starts.len() {
            // Any date of the period: its start (or a date before every change for the first).
            let on = if period == 0 { date("2000-01-01") } else { starts[period - 1] };
            let mut t = [0u8; 26 * 26];
            for (bit, members) in MEMBERS.iter().enumerate() {
                for m in *members {
                    t[country_index(m.parse().unwrap_or_else(|e| panic!("{m}: {e}")))] |= 1 << bit;
                }
            }
            for (g, c, from, until) in DATED {
                let holds = from.is_none_or(|f| on >= date(f)) && until.is_none_or(|u| on < date(u));
                if holds {
                    let bit = GROUP_NAMES.iter().position(|n| *n == g).unwrap_or_else(|| panic!("group {g}"));
                    t[country_index(c.parse().unwrap_or_else(|e| panic!("{c}: {e}")))] |= 1 << bit;
                }
            }
            tables.push(t);
        }
        Groups { starts, tables }
    }

    /// The number of periods.
    pub fn periods(&self) -> usize {
        self.tables.len()
    }

    /// The period of a date.
    #[inline]
    pub fn period(&self, date: Date) -> usize {
        self.starts.partition_point(|s| *s <= date)
    }

    /// The groups of a country in a period, as a bit set.
    #[inline]
    pub fn bits_in(&self, period: usize, country: Country) -> u8 {
        self.tables[period][country_index(country)]
    }

    /// The groups of a country on a date, as a bit set.
    #[inline]
    pub fn bits(&self, country: Country, date: Date) -> u8 {
        self.bits_in(self.period(date), country)
    }

    /// The names of the groups in a bit set.
    pub fn names(bits: u8) -> impl Iterator<Item = &'static str> {
        GROUP_NAMES.iter().enumerate().filter(move |(i, _)| bits & (1 << i) != 0).map(|(_, g)| *g)
    }
}

impl Default for Groups {
    fn default() -> Self {
        Groups::new()
    }
}

/// How the benchmark pack reads the ICs of a computer (`pack/pack.toml` has no `[aggregation]`,
/// so per IC, the default): every implementation tests a computer through the same units.
pub const READING: Reading = Reading::PerIc;

/// The figures of one unit a product is tested as (the product itself, or for a computer each
/// IC it contains): TPP and performance density scaled by 10⁴ and rounded toward zero (Cedar's
/// `decimal` also has 4 places). Every threshold of the rules has at most 4 decimal places, and
/// for such a threshold `k`, `x >= k` exactly when `floor4(x) >= k` (and `x < k` when
/// `floor4(x) < k`), so the truncation never changes an answer (the agreement test checks
/// products 10⁻⁵ under a threshold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitFigures {
    /// TPP × 10⁴, unknown when absent.
    pub tpp: Option<i64>,
    /// Performance density × 10⁴, unknown when TPP or the applicable die area is absent (or zero).
    pub performance_density: Option<i64>,
    /// Designed or marketed for datacenters, unknown when absent (an IC in a computer is when
    /// the computer is).
    pub datacenter: Option<bool>,
}

impl UnitFigures {
    /// The figures of one prepared unit. A TPP known only as a range (a rate list not stated
    /// complete, or a reported TPP above the rates') is given by its lower end, as before
    /// contents were modelled: the agreement check fails on any case where that changes an
    /// answer.
    pub fn of(p: &PreparedProduct) -> UnitFigures {
        UnitFigures {
            tpp: p.metrics().tpp.map(|t| floor4(&Ratio::from_decimal(t))),
            performance_density: p.metrics().performance_density.as_ref().map(floor4),
            datacenter: p.product().designed_or_marketed_for_datacenter,
        }
    }
}

/// What the peers and the integer hand-written function are given of a product, prepared once
/// per product as `PreparedProduct` is for the engine: its kind, and the figures of every unit
/// the rules test it through ([`READING`]; `PreparedProduct::tested_as`): the product itself,
/// or for a computer or board each distinct IC it contains (a unit with every figure unknown
/// for contents not known). A paragraph holds for the product when its parameters hold for
/// some unit (ECCN 4A090: computers containing ICs that meet 3A090).
#[derive(Debug, Clone)]
pub struct PeerMetrics {
    /// Catalog id.
    pub id: String,
    /// The kind of item (of the product, not of its units).
    pub kind: ProductKind,
    /// The units (at least one).
    pub units: Vec<UnitFigures>,
}

impl PeerMetrics {
    /// From a prepared product.
    pub fn of(p: &PreparedProduct) -> PeerMetrics {
        PeerMetrics {
            id: p.product().id.clone(),
            kind: p.product().kind,
            units: p.tested_as(READING).map(UnitFigures::of).collect(),
        }
    }
}

/// `num / den` × 10⁴ rounded toward zero, exactly (128-bit integer division).
pub fn floor4(r: &Ratio) -> i64 {
    let (n, d) = (r.num.mantissa(), r.den.mantissa());
    // num / den = n·10^sd / (d·10^sn); times 10^4 for four decimal places.
    let top = n * 10i128.pow(4 + r.den.scale());
    let bottom = d * 10i128.pow(r.num.scale());
    i64::try_from(top / bottom).unwrap_or_else(|_| panic!("{r} × 10⁴ does not fit in i64"))
}

/// A scaled figure as a decimal with 4 places (for ZEN, whose numbers are `rust_decimal`).
#[inline]
pub fn decimal4(scaled: i64) -> Decimal {
    Decimal::new(scaled, 4)
}

/// A threshold of the rules (at most 4 decimal places) scaled by 10⁴.
pub fn scaled(threshold: &str) -> i64 {
    let d: Decimal = threshold.parse().unwrap_or_else(|e| panic!("threshold {threshold}: {e}"));
    assert!(d.scale() <= 4, "threshold {threshold} has more than 4 decimal places");
    i64::try_from(d.mantissa() * 10i128.pow(4 - d.scale())).unwrap_or_else(|_| panic!("threshold {threshold}"))
}

/// Synthetic products exactly on each threshold of the rules and just under it (by less than
/// 10⁻⁴, which the peers' truncation to 4 places must not turn into "on"), with the datacenter
/// flag true, false or unknown, as integrated circuits and computers: for the agreement test.
/// TPP = 8 × the int8 TOPS given; performance density = TPP / the die area given.
pub fn threshold_products() -> Vec<PreparedProduct> {
    // (TOPS at int8, die area in mm² or unknown): TPP and performance density on or near the thresholds.
    let figures: [(&str, Option<&str>, &str); 16] = [
        ("600", Some("1000"), "tpp 4800, pd 4.8"),
        ("599.99999", Some("1000"), "tpp 4799.99992"),
        ("200", Some("500"), "tpp 1600, pd 3.2"),
        ("199.99999", Some("500"), "tpp 1599.99992"),
        ("200", Some("500.0001"), "tpp 1600, pd 3.19999936"),
        ("300", Some("1500"), "tpp 2400, pd 1.6"),
        ("299.99999", Some("1500"), "tpp 2399.99992, pd 1.59999994"),
        ("300", Some("1500.0001"), "tpp 2400, pd 1.59999989"),
        ("370", Some("500"), "tpp 2960, pd 5.92"),
        ("369.99875", Some("500"), "tpp 2959.99, pd 5.91998"),
        ("370", Some("500.00001"), "tpp 2960, pd 5.9199988"),
        ("600", Some("810.81081"), "tpp 4800, pd 5.92000001"),
        ("599.99999", Some("810.81081"), "tpp 4799.99992, pd 5.91999991"),
        ("200", None, "tpp 1600, pd unknown"),
        ("600", None, "tpp 4800, pd unknown"),
        ("299.99999", None, "tpp 2399.99992, pd unknown"),
    ];
    let mut out = Vec::new();
    for (i, (tops, area, what)) in figures.iter().enumerate() {
        for (dc, dc_name) in [(Some(true), "dc"), (Some(false), "not-dc"), (None, "dc-unknown")] {
            let id = format!("threshold-{i}-integrated-circuit-{dc_name}");
            out.push(PreparedProduct::new(product(&id, what, ProductKind::IntegratedCircuit, dc, tops, *area)));
            // A board of 8 such ICs (not for datacenters themselves), with the board's flag:
            // tested per IC, so 8 × TPP 1600 is not TPP 12800.
            let ic =
                product(&format!("threshold-{i}-ic"), what, ProductKind::IntegratedCircuit, Some(false), tops, *area);
            let id = format!("threshold-{i}-computer-{dc_name}");
            out.push(PreparedProduct::new(system(&id, what, dc, vec![(ic, 8)])));
        }
    }
    // A board holding an IC of 3A090.a (TPP 4800) and one of 3A090.b (TPP 2959.99, PD 5.91998):
    // 4A090.a and 4A090.b; a computer whose contents are not listed: unknown.
    let ic = |i: usize| {
        let (tops, area, what) = figures[i];
        product(&format!("threshold-{i}-ic"), what, ProductKind::IntegratedCircuit, Some(true), tops, area)
    };
    out.push(PreparedProduct::new(system(
        "threshold-mixed-computer",
        "a.1 and b ICs",
        Some(true),
        vec![(ic(0), 2), (ic(9), 4)],
    )));
    out.push(PreparedProduct::new(system("threshold-unknown-contents", "contents not listed", Some(true), Vec::new())));
    // TPP unknown (no rates) with a die area; a stand-alone memory item: no rates and no logic
    // die (a `memory` sheet with figures of a logic IC is refused as E0218 since issue 12, and the
    // engine, given one directly, leaves its licence indeterminate, as a kind written wrong must
    // not take a processor out of 3A090).
    out.push(PreparedProduct::new(product(
        "threshold-tpp-unknown",
        "tpp unknown",
        ProductKind::IntegratedCircuit,
        Some(true),
        "",
        Some("500"),
    )));
    let mut memory = product("threshold-memory", "memory", ProductKind::Memory, Some(true), "", None);
    memory.logic_dies = Vec::new();
    out.push(PreparedProduct::new(memory));
    out
}

/// A computer without figures of its own, holding `contents` (each with its count).
fn system(id: &str, what: &str, dc: Option<bool>, contents: Vec<(Product, u32)>) -> Product {
    let mut p = product(id, what, ProductKind::Computer, dc, "", None);
    p.logic_dies = Vec::new();
    p.contains = contents
        .into_iter()
        .map(|(c, count)| Contained { product: c.id.clone(), count, sheet: Some(Box::new(c)) })
        .collect();
    p
}

fn product(id: &str, what: &str, kind: ProductKind, dc: Option<bool>, tops: &str, area: Option<&str>) -> Product {
    let dec = |s: &str| -> Decimal { s.parse().unwrap_or_else(|e| panic!("{s}: {e}")) };
    let rates = if tops.is_empty() { Vec::new() } else { vec![Rate { precision: Precision::Int8, tops: dec(tops) }] };
    Product {
        vendor: "synthetic".into(),
        designed_or_marketed_for_datacenter: dc,
        processing_units: if rates.is_empty() {
            Vec::new()
        } else {
            vec![ProcessingUnit { name: "unit".into(), rates, complete: true, unsupported: Vec::new() }]
        },
        logic_dies: vec![LogicDie {
            name: None,
            area_mm2: area.map(dec),
            count: 1,
            non_planar: Some(true),
            at_or_below_16_14nm: None,
            wafer_scale: false,
        }],
        ..Product::blank(id, format!("threshold product: {what}"), kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor4_rounds_toward_zero() {
        let r = |n: &str, d: &str| Ratio { num: n.parse().unwrap(), den: d.parse().unwrap() };
        assert_eq!(floor4(&r("4992", "826")), 60435);
        assert_eq!(floor4(&r("5.91999", "1")), 59199);
        assert_eq!(floor4(&r("15831.2", "1")), 158312000);
        assert_eq!(floor4(&r("2000", "628")), 31847);
    }

    #[test]
    fn thresholds_scale_exactly() {
        assert_eq!(scaled("4800"), 48_000_000);
        assert_eq!(scaled("5.92"), 59_200);
        assert_eq!(scaled("1.6"), 16_000);
    }

    #[test]
    fn groups_by_date() {
        let g = Groups::new();
        let bits = |c: &str, d: &str| Groups::names(g.bits(c.parse().unwrap(), date(d))).collect::<Vec<_>>();
        assert_eq!(g.periods(), 3);
        assert_eq!(bits("AE", "2024-06-01"), ["D:4"]);
        assert_eq!(bits("AE", "2026-07-09"), ["D:4"]);
        assert_eq!(bits("AE", "2026-07-10"), ["A:5"]);
        assert_eq!(bits("KH", "2026-02-02"), ["D:1", "D:5"]);
        assert_eq!(bits("KH", "2026-02-03"), ["D:1"]);
        assert_eq!(bits("CN", "2026-08-01"), ["D:1", "D:4", "D:5"]);
        assert_eq!(bits("IL", "2024-06-01"), ["A:6", "D:4"]);
        assert!(bits("BR", "2024-06-01").is_empty());
    }
}
