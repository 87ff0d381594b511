//! A product with its metrics computed once, ready to be evaluated many times.

use crate::metrics::Metrics;
use crate::model::Product;
use crate::number::Ratio;
use crate::ruleset::vocabulary::{Attr, Value};

/// A product and its derived metrics, indexed by attribute for fast evaluation.
#[derive(Debug, Clone)]
pub struct PreparedProduct {
    /// The product.
    pub product: Product,
    /// Its metrics.
    pub metrics: Metrics,
    values: [Option<Value>; Attr::ALL.len()],
}

impl PreparedProduct {
    /// Computes the metrics of `product` (once).
    pub fn new(product: Product) -> Self {
        let metrics = Metrics::of(&product);
        let num = |d: Option<rust_decimal::Decimal>| d.map(|d| Value::Num(Ratio::from_decimal(d)));
        let values = Attr::ALL.map(|a| {
            match a {
                Attr::Tpp => num(metrics.tpp),
                Attr::PerformanceDensity => metrics.performance_density.map(Value::Num),
                Attr::ApplicableDieArea => num(metrics.applicable_die_area),
                Attr::InterconnectBandwidth => num(product.interconnect_bandwidth_gbps),
                Attr::MemoryBandwidth => num(product.memory.as_ref().and_then(|m| m.bandwidth_gbps)),
                Attr::MemoryBandwidthDensity => metrics.memory_bandwidth_density.map(Value::Num),
                Attr::Transistors => num(product.transistors),
                Attr::DesignedOrMarketedForDatacenter => product.designed_or_marketed_for_datacenter.map(Value::Bool),
                Attr::Hbm => product.memory.as_ref().and_then(|m| m.hbm).map(Value::Bool),
                Attr::CommerciallyAvailableInUs => product.commercially_available_in_us.map(Value::Bool),
                Attr::Kind => Some(Value::Kind(product.kind)),
                // Transaction facts: supplied by the query, not the product.
                Attr::FrontEndFabricatorOrOsat
                | Attr::ApprovedIcDesignerAttestation
                | Attr::PackagedOutsideD5OrMacau => None,
            }
        });
        Self { product, metrics, values }
    }

    /// The value of an attribute, `None` when unknown.
    pub fn value(&self, attr: Attr) -> Option<Value> {
        self.values.get(attr.index()).copied().flatten()
    }

    /// The absent inputs behind an unknown attribute, named as in the vocabulary: a derived
    /// metric names what it is derived from (performance density → `tpp` and/or
    /// `applicable_die_area`).
    pub fn missing_inputs(&self, attr: Attr) -> Vec<&'static str> {
        let mut out = Vec::new();
        match attr {
            Attr::PerformanceDensity => {
                if self.metrics.tpp.is_none() {
                    out.push(Attr::Tpp.name());
                }
                if self.metrics.applicable_die_area.is_none_or(|a| a.is_zero()) {
                    out.push(Attr::ApplicableDieArea.name());
                }
            }
            Attr::MemoryBandwidthDensity => {
                let m = self.product.memory.as_ref();
                if m.and_then(|m| m.bandwidth_gbps).is_none() {
                    out.push(Attr::MemoryBandwidth.name());
                }
                if m.and_then(|m| m.stack_area_mm2).is_none() {
                    out.push("memory_stack_area");
                }
            }
            a if self.value(a).is_none() => out.push(a.name()),
            _ => {}
        }
        out
    }
}
