//! Derived metrics of a product, computed once, exactly: total processing performance (TPP),
//! applicable die area, performance density and memory bandwidth density.
//!
//! Sources: 15 CFR 774 Supp. 1, ECCN 3A090, Technical Note 2 to 3A090.a and .b (TPP; performance
//! density) of 88 FR 73458 (rules/us-ear/NOTES.md §3); ECCN 3A090.c (memory
//! bandwidth density, 89 FR 96790; rules/us-ear/NOTES.md §3).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Precision, Product};
use crate::number::Ratio;

/// The rate that sets a processing unit's TPP: the precision whose `TOPS × bit length` is highest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct TppTerm {
    /// Processing unit label.
    pub unit: String,
    /// Precision of the decisive rate.
    pub precision: Precision,
    /// Dense rate, TOPS.
    pub tops: Decimal,
    /// Bit length of the operation.
    pub bits: u32,
    /// `tops × bits`, this unit's TPP.
    pub tpp: Decimal,
}

/// What is known of the TPP besides the figure computed from the rates. TPP is the maximum over
/// every precision a part supports (Technical Note 2 to 3A090), so a rate list that may leave a
/// precision out gives a lower bound, and a published TPP above the computed one leaves the
/// gap open until it is explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TppBound {
    /// Every rate list is complete and no reported TPP is higher: `tpp` is the TPP.
    Exact,
    /// A rate list is not stated complete: the TPP is at least `tpp`.
    AtLeast,
    /// The rate lists are complete but `tpp_reported` is higher: the TPP is at least `tpp` and
    /// at most this reported figure.
    UpTo(Decimal),
}

/// Lowest ratio of the computed to the reported TPP read as "about twice" (a 2:4-sparse rate
/// entered as dense doubles it).
const SPARSE_LOW: Decimal = Decimal::from_parts(19, 0, 0, false, 1);
/// Highest such ratio.
const SPARSE_HIGH: Decimal = Decimal::from_parts(21, 0, 0, false, 1);

/// Metrics of one product. `None` means unknown because an input is absent (never zero).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metrics {
    /// TPP = Σ over processing units of max over precisions of (dense TOPS × bit length), in
    /// bit × TOPS. TOPS as vendors print them already equal 2 × MacTOPS (Technical Note 2).
    /// Exact, or a lower bound: see `tpp_bound`. Unknown when a unit has no rate, or when the
    /// arithmetic overflows (never a smaller figure).
    pub tpp: Option<Decimal>,
    /// Whether `tpp` is exact, a lower bound, or the lower end of a gap with `tpp_reported`.
    pub tpp_bound: TppBound,
    /// The decisive rate of each processing unit.
    pub tpp_terms: Vec<TppTerm>,
    /// Sum of the areas of all non-planar logic dies, mm² (Technical Note; HBM and planar dies
    /// excluded).
    pub applicable_die_area: Option<Decimal>,
    /// TPP / applicable die area, exact (per mm²); a lower bound when `tpp` is. Unknown when
    /// either input is unknown or when no die is non-planar (the ratio is then undefined;
    /// rules/us-ear/NOTES.md §3).
    pub performance_density: Option<Ratio>,
    /// Memory bandwidth / stack area, exact (GB/s per mm²), for stand-alone memory stacks.
    pub memory_bandwidth_density: Option<Ratio>,
}

impl Metrics {
    /// Computes every metric of `product`.
    pub fn of(product: &Product) -> Self {
        let (tpp, tpp_terms) = tpp(product);
        let complete = product.processing_units.iter().all(|u| crate::model::rates_exact(product, u));
        let tpp_bound = match (tpp, product.tpp_reported) {
            (Some(_), _) if !complete => TppBound::AtLeast,
            (Some(t), Some(r)) if r > t => TppBound::UpTo(r),
            _ => TppBound::Exact,
        };
        let applicable_die_area = applicable_die_area(product);
        let performance_density = match (tpp, applicable_die_area) {
            (Some(t), Some(a)) => Ratio::new(t, a),
            _ => None,
        };
        let memory_bandwidth_density =
            product.memory.as_ref().and_then(|m| Ratio::new(m.bandwidth_gbps?, m.stack_area_mm2?));
        Metrics { tpp, tpp_bound, tpp_terms, applicable_die_area, performance_density, memory_bandwidth_density }
    }

    /// The TPP as known: `15831.2`, `at least 2176`, `4750 to 4850`, or `unknown`.
    pub fn tpp_text(&self) -> String {
        match (self.tpp, self.tpp_bound) {
            (None, _) => "unknown".into(),
            (Some(t), TppBound::Exact) => t.to_string(),
            (Some(t), TppBound::AtLeast) => format!("at least {t}"),
            (Some(t), TppBound::UpTo(r)) => format!("{t} to {}", r.normalize()),
        }
    }

    /// The performance density as known, rounded to `dp` places for display: `19.4487`,
    /// `at least 2.6732`, `6.3333 to 6.4667`, or `unknown`.
    pub fn performance_density_text(&self, dp: u32) -> String {
        let Some(pd) = self.performance_density else { return "unknown".into() };
        let lo = pd.rounded(dp);
        match self.tpp_bound {
            TppBound::Exact => lo.to_string(),
            TppBound::AtLeast => format!("at least {lo}"),
            TppBound::UpTo(r) => format!("{lo} to {}", Ratio { num: r, den: pd.den }.rounded(dp)),
        }
    }

    /// Warnings about the figures that hold whatever the rules: a TPP computed from the rates
    /// at about twice the reported one (a 2:4-sparse rate was probably entered as dense).
    pub fn warnings(&self, product: &Product) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(t), Some(r)) = (self.tpp, product.tpp_reported)
            && let Some(ratio) = t.checked_div(r)
            && (SPARSE_LOW..=SPARSE_HIGH).contains(&ratio)
        {
            out.push(format!(
                "The TPP computed from the rates ({t}) is about twice tpp_reported ({}): a sparse (2:4) rate was probably entered as dense, or the reported figure covers part of the product. Check the rates: TPP counts dense rates only.",
                r.normalize()
            ));
        }
        out
    }
}

fn tpp(product: &Product) -> (Option<Decimal>, Vec<TppTerm>) {
    if product.processing_units.is_empty() {
        return (None, Vec::new());
    }
    let mut total = Decimal::ZERO;
    let mut terms = Vec::new();
    for unit in &product.processing_units {
        let mut best: Option<TppTerm> = None;
        for r in &unit.rates {
            let bits = r.precision.bits();
            // A rate whose product overflows makes the TPP unknown: dropping it would give a
            // smaller TPP than the part's.
            let Some(tpp) = r.tops.checked_mul(Decimal::from(bits)) else { return (None, Vec::new()) };
            let term = TppTerm { unit: unit.name.clone(), precision: r.precision, tops: r.tops, bits, tpp };
            // Highest TPP; on a tie, the bit length preferred by rules/products/NOTES.md §2 (8, 16, 4, 6, 32, 64),
            // which only changes which rate is shown, never the TPP.
            best = match best {
                Some(a) if !(term.tpp > a.tpp || (term.tpp == a.tpp && tie_rank(term.bits) < tie_rank(a.bits))) => {
                    Some(a)
                }
                _ => Some(term),
            };
        }
        let Some(best) = best else { return (None, Vec::new()) };
        let Some(sum) = total.checked_add(best.tpp) else { return (None, Vec::new()) };
        total = sum;
        terms.push(best);
    }
    (Some(total.normalize()), terms)
}

fn tie_rank(bits: u32) -> usize {
    [8, 16, 4, 6, 32, 64].iter().position(|b| *b == bits).unwrap_or(6)
}

fn applicable_die_area(product: &Product) -> Option<Decimal> {
    if product.logic_dies.is_empty() {
        return None;
    }
    let mut total = Decimal::ZERO;
    for die in &product.logic_dies {
        match die.non_planar? {
            false => continue,
            true => {
                let area = die.area_mm2?.checked_mul(Decimal::from(die.count))?;
                total = total.checked_add(area)?;
            }
        }
    }
    Some(total.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LogicDie, ProcessingUnit, ProductKind, Rate};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn product(rates: &[(Precision, &str)], dies: &[(&str, u32, bool)]) -> Product {
        Product {
            id: "t".into(),
            name: "t".into(),
            vendor: "t".into(),
            year: None,
            kind: ProductKind::IntegratedCircuit,
            package: None,
            form_factor: None,
            designed_or_marketed_for_datacenter: Some(true),
            commercially_available_in_us: None,
            process_node: None,
            transistors: None,
            interconnect_bandwidth_gbps: None,
            processing_units: vec![ProcessingUnit {
                name: "gpu".into(),
                rates: rates.iter().map(|(p, v)| Rate { precision: *p, tops: d(v) }).collect(),
                complete: true,
                unsupported: vec![],
            }],
            logic_dies: dies
                .iter()
                .map(|(a, n, np)| LogicDie {
                    name: None,
                    area_mm2: Some(d(a)),
                    count: *n,
                    non_planar: Some(*np),
                    at_or_below_16_14nm: None,
                    wafer_scale: false,
                })
                .collect(),
            logic_dies_complete: false,
            memory: None,
            tpp_reported: None,
            declared_eccn: None,
            published_classification: None,
            confidence: None,
            sources: vec![],
            notes: vec![],
            contains: vec![],
        }
    }

    #[test]
    fn bis_worked_example_600_tops_int8_is_tpp_4800() {
        // Technical Note example (rules/us-ear/NOTES.md §3): 600 TOPS at 8 bits, or 300 TFLOPS at 16 bits.
        assert_eq!(Metrics::of(&product(&[(Precision::Int8, "600")], &[])).tpp, Some(d("4800")));
        assert_eq!(Metrics::of(&product(&[(Precision::Fp16, "300")], &[])).tpp, Some(d("4800")));
    }

    #[test]
    fn planar_dies_do_not_count_and_all_planar_leaves_density_unknown() {
        let m = Metrics::of(&product(&[(Precision::Fp8, "300")], &[("500", 2, true), ("100", 1, false)]));
        assert_eq!(m.applicable_die_area, Some(d("1000")));
        assert_eq!(m.performance_density.unwrap().to_string(), "2.4");
        let m = Metrics::of(&product(&[(Precision::Fp8, "300")], &[("100", 1, false)]));
        assert_eq!(m.applicable_die_area, Some(d("0")));
        assert_eq!(m.performance_density, None);
    }

    #[test]
    fn ties_are_shown_at_the_bit_length_chips_md_prefers() {
        // H20: TF32 74 x 32 = FP8 296 x 8 = 2368; rules/products/NOTES.md §2 breaks ties in the order 8, 16, 4, 6, 32, 64.
        let m =
            Metrics::of(&product(&[(Precision::Tf32, "74"), (Precision::Fp8, "296"), (Precision::Fp16, "148")], &[]));
        assert_eq!(m.tpp_terms[0].precision, Precision::Fp8);
        let m = Metrics::of(&product(&[(Precision::Fp16, "148"), (Precision::Tf32, "74")], &[]));
        assert_eq!(m.tpp_terms[0].precision, Precision::Fp16);
        // A strictly higher product always wins, whatever the order.
        let m = Metrics::of(&product(&[(Precision::Fp8, "296"), (Precision::Tf32, "74.1")], &[]));
        assert_eq!(m.tpp_terms[0].precision, Precision::Tf32);
        let m = Metrics::of(&product(&[(Precision::Tf32, "74.1"), (Precision::Fp8, "296")], &[]));
        assert_eq!(m.tpp_terms[0].precision, Precision::Tf32);
    }

    #[test]
    fn an_overflowing_rate_makes_tpp_unknown_never_smaller() {
        // fp64 × 64 overflows a decimal; dropping it would leave int8 1 × 8 = 8.
        let huge = "79228162514264337593543950335";
        let m = Metrics::of(&product(&[(Precision::Fp64, huge), (Precision::Int8, "1")], &[]));
        assert_eq!(m.tpp, None);
        assert!(m.tpp_terms.is_empty());
        // Two units whose sum overflows: unknown too.
        let mut p = product(&[(Precision::Int8, "9900000000000000000000000000")], &[]);
        p.processing_units.push(p.processing_units[0].clone());
        assert_eq!(Metrics::of(&p).tpp, None);
    }

    #[test]
    fn a_list_not_stated_complete_gives_a_lower_bound() {
        let mut p = product(&[(Precision::Fp64, "34"), (Precision::Fp32, "67")], &[]);
        p.processing_units[0].complete = false;
        let m = Metrics::of(&p);
        assert_eq!((m.tpp, m.tpp_bound), (Some(d("2176")), TppBound::AtLeast));
        assert_eq!(m.tpp_text(), "at least 2176");
        // Every other precision unsupported: complete without saying so.
        p.processing_units[0].unsupported =
            Precision::ALL.into_iter().filter(|q| !matches!(q, Precision::Fp64 | Precision::Fp32)).collect();
        assert_eq!(Metrics::of(&p).tpp_bound, TppBound::Exact);
    }

    #[test]
    fn a_reported_tpp_above_the_computed_one_opens_a_gap_and_twice_below_warns() {
        let mut p = product(&[(Precision::Fp4, "1187.5")], &[]);
        p.tpp_reported = Some(d("4850"));
        let m = Metrics::of(&p);
        assert_eq!(m.tpp_bound, TppBound::UpTo(d("4850")));
        assert_eq!(m.tpp_text(), "4750 to 4850");
        assert!(m.warnings(&p).is_empty());
        p.tpp_reported = Some(d("2375"));
        let m = Metrics::of(&p);
        assert_eq!(m.tpp_bound, TppBound::Exact);
        assert!(m.warnings(&p)[0].contains("about twice tpp_reported (2375)"), "{:?}", m.warnings(&p));
        p.tpp_reported = Some(d("3000"));
        assert!(Metrics::of(&p).warnings(&p).is_empty());
    }

    #[test]
    fn absent_rates_give_unknown_not_zero() {
        let m = Metrics::of(&product(&[], &[("814", 1, true)]));
        assert_eq!(m.tpp, None);
        assert_eq!(m.performance_density, None);
    }
}
