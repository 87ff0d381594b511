//! Derived metrics of a product, computed once, exactly: total processing performance (TPP),
//! applicable die area, performance density and memory bandwidth density.
//!
//! Sources: 15 CFR 774 Supp. 1, ECCN 3A090, Technical Note 2 to 3A090.a and .b (TPP; performance
//! density) as quoted in ../shared/reference/regulation.md §1.1–§1.2; ECCN 3A090.c (memory
//! bandwidth density, 89 FR 96790) per §1.4.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Precision, Product};
use crate::number::Ratio;

/// The rate that sets a processing unit's TPP: the precision whose `TOPS × bit length` is highest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// Metrics of one product. `None` means unknown because an input is absent (never zero).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metrics {
    /// TPP = Σ over processing units of max over precisions of (dense TOPS × bit length), in
    /// bit × TOPS. TOPS as vendors print them already equal 2 × MacTOPS (Technical Note 2).
    pub tpp: Option<Decimal>,
    /// The decisive rate of each processing unit.
    pub tpp_terms: Vec<TppTerm>,
    /// Sum of the areas of all non-planar logic dies, mm² (Technical Note; HBM and planar dies
    /// excluded).
    pub applicable_die_area: Option<Decimal>,
    /// TPP / applicable die area, exact (per mm²). Unknown when either input is unknown or when no
    /// die is non-planar (the ratio is then undefined; regulation.md §1.2 open point).
    pub performance_density: Option<Ratio>,
    /// Memory bandwidth / stack area, exact (GB/s per mm²), for stand-alone memory stacks.
    pub memory_bandwidth_density: Option<Ratio>,
}

impl Metrics {
    /// Computes every metric of `product`.
    pub fn of(product: &Product) -> Self {
        let (tpp, tpp_terms) = tpp(product);
        let applicable_die_area = applicable_die_area(product);
        let performance_density = match (tpp, applicable_die_area) {
            (Some(t), Some(a)) => Ratio::new(t, a),
            _ => None,
        };
        let memory_bandwidth_density =
            product.memory.as_ref().and_then(|m| Ratio::new(m.bandwidth_gbps?, m.stack_area_mm2?));
        Metrics { tpp, tpp_terms, applicable_die_area, performance_density, memory_bandwidth_density }
    }
}

fn tpp(product: &Product) -> (Option<Decimal>, Vec<TppTerm>) {
    if product.processing_units.is_empty() {
        return (None, Vec::new());
    }
    let mut total = Decimal::ZERO;
    let mut terms = Vec::new();
    for unit in &product.processing_units {
        let best = unit
            .rates
            .iter()
            .filter_map(|r| {
                let bits = r.precision.bits();
                Some(TppTerm {
                    unit: unit.name.clone(),
                    precision: r.precision,
                    tops: r.tops,
                    bits,
                    tpp: r.tops.checked_mul(Decimal::from(bits))?,
                })
            })
            // Highest TPP; on a tie, the bit length preferred by chips.md (8, 16, 4, 6, 32, 64),
            // which only changes which rate is shown, never the TPP.
            .reduce(
                |a, b| if b.tpp > a.tpp || (b.tpp == a.tpp && tie_rank(b.bits) < tie_rank(a.bits)) { b } else { a },
            );
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
            designed_or_marketed_for_datacenter: Some(true),
            commercially_available_in_us: None,
            process_node: None,
            transistors: None,
            interconnect_bandwidth_gbps: None,
            processing_units: vec![ProcessingUnit {
                name: "gpu".into(),
                rates: rates.iter().map(|(p, v)| Rate { precision: *p, tops: d(v) }).collect(),
            }],
            logic_dies: dies
                .iter()
                .map(|(a, n, np)| LogicDie { name: None, area_mm2: Some(d(a)), count: *n, non_planar: Some(*np) })
                .collect(),
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
        // Technical Note example (regulation.md §1.1): 600 TOPS at 8 bits, or 300 TFLOPS at 16 bits.
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
        // H20: TF32 74 x 32 = FP8 296 x 8 = 2368; chips.md breaks ties in the order 8, 16, 4, 6, 32, 64.
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
    fn absent_rates_give_unknown_not_zero() {
        let m = Metrics::of(&product(&[], &[("814", 1, true)]));
        assert_eq!(m.tpp, None);
        assert_eq!(m.performance_density, None);
    }
}
