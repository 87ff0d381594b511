//! The inputs every implementation is given: the catalog, the destinations, the pack, and the
//! country groups as of [`crate::AS_OF`] for the peers.

use std::path::Path;

use export_controls::number::Ratio;
use export_controls::{Catalog, Country, PreparedProduct, Query, RuleSet};
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
    Country::all().into_iter().filter(|c| *c != Country::US).collect()
}

/// The query of one destination on the as-of date, exported from the US.
pub fn query(destination: Country) -> Query {
    let date = crate::AS_OF.parse().unwrap_or_else(|e| panic!("as-of date: {e:?}"));
    Query::export_to(destination, date)
}

/// The country groups as of 2024-06-01 (rules/us-ear/country-groups.toml with the dated members
/// resolved: AE in D:4 until 2026-07-10, KH in D:5 until 2026-02-03, AE in A:5 only from
/// 2026-07-10). The peers are given these memberships as data.
pub const GROUPS: [(&str, &[&str]); 5] = [
    (
        "A:5",
        &[
            "AR", "AT", "AU", "BE", "BG", "CA", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU",
            "IE", "IN", "IS", "IT", "JP", "KR", "LT", "LU", "LV", "NL", "NO", "NZ", "PL", "PT", "RO", "SE", "SI", "SK",
            "TR",
        ],
    ),
    ("A:6", &["AL", "CY", "IL", "MT", "MX", "SG", "TW", "ZA"]),
    (
        "D:1",
        &[
            "AM", "AZ", "BY", "CN", "GE", "IQ", "KG", "KH", "KP", "KZ", "LA", "LY", "MD", "MM", "MN", "MO", "NI", "RU",
            "TJ", "TM", "UZ", "VE", "VN", "YE",
        ],
    ),
    (
        "D:4",
        &[
            "AE", "BH", "BY", "CN", "EG", "IL", "IQ", "IR", "JO", "KP", "KW", "LB", "LY", "MO", "OM", "PK", "QA", "RU",
            "SA", "SY", "VE", "YE",
        ],
    ),
    (
        "D:5",
        &[
            "AF", "BY", "CD", "CF", "CN", "CU", "ER", "HT", "IQ", "IR", "KH", "KP", "LB", "LY", "MM", "NI", "RU", "SD",
            "SO", "SS", "SY", "VE", "ZW",
        ],
    ),
];

/// The groups `country` belongs to as of the as-of date.
pub fn groups_of(country: Country) -> Vec<&'static str> {
    GROUPS.iter().filter(|(_, members)| members.contains(&country.code())).map(|(g, _)| *g).collect()
}

/// The metrics the peers are given, from the prepared product: TPP and performance density as
/// decimals with at most 4 decimal places (Cedar's `decimal` has 4), rounded toward zero.
/// Every threshold of the rules has at most 4 decimal places, and for such a threshold `k`,
/// `x >= k` exactly when `floor4(x) >= k` (and `x < k` when `floor4(x) < k`), so the truncation
/// never changes an answer.
#[derive(Debug, Clone)]
pub struct PeerMetrics {
    /// Catalog id.
    pub id: String,
    /// TPP, unknown when absent.
    pub tpp: Option<Decimal>,
    /// Performance density, unknown when TPP or the applicable die area is absent (or zero).
    pub performance_density: Option<Decimal>,
    /// Designed or marketed for datacenters, unknown when absent.
    pub datacenter: Option<bool>,
    /// `integrated_circuit`, `computer` or `memory`.
    pub kind: &'static str,
}

impl PeerMetrics {
    /// From a prepared product.
    pub fn of(p: &PreparedProduct) -> PeerMetrics {
        PeerMetrics {
            id: p.product.id.clone(),
            tpp: p.metrics.tpp.map(|t| floor4(&Ratio::from_decimal(t))),
            performance_density: p.metrics.performance_density.as_ref().map(floor4),
            datacenter: p.product.designed_or_marketed_for_datacenter,
            kind: p.product.kind.as_str(),
        }
    }
}

/// `num / den` rounded toward zero to 4 decimal places, exactly (128-bit integer division).
fn floor4(r: &Ratio) -> Decimal {
    let (n, d) = (r.num.mantissa(), r.den.mantissa());
    // num / den = n·10^sd / (d·10^sn); times 10^4 for four decimal places.
    let top = n * 10i128.pow(4 + r.den.scale());
    let bottom = d * 10i128.pow(r.num.scale());
    Decimal::from_i128_with_scale(top / bottom, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor4_rounds_toward_zero() {
        let r = |n: &str, d: &str| Ratio { num: n.parse().unwrap(), den: d.parse().unwrap() };
        assert_eq!(floor4(&r("4992", "826")).to_string(), "6.0435");
        assert_eq!(floor4(&r("5.91999", "1")).to_string(), "5.9199");
        assert_eq!(floor4(&r("15831.2", "1")).to_string(), "15831.2000");
        assert_eq!(floor4(&r("2000", "628")).to_string(), "3.1847");
    }
}
