//! A product with its metrics computed once, ready to be evaluated many times.

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostics;
use crate::metrics::{Metrics, TppBound};
use crate::model::Product;
use crate::number::Ratio;
use crate::ruleset::vocabulary::{Attr, Value};

/// A product and its derived metrics, indexed by attribute for fast evaluation.
///
/// The product is checked as a product sheet is ([`Product::validate`]). A product that fails
/// the checks is never cleared: every attribute reads as unknown, every determination of it is
/// `indeterminate` with the problems in `missing` ([`PreparedProduct::problems`]). Use
/// [`PreparedProduct::try_new`] to refuse it instead.
#[derive(Debug, Clone)]
pub struct PreparedProduct {
    /// The product.
    pub product: Product,
    /// Its metrics.
    pub metrics: Metrics,
    values: [Option<Value>; Attr::ALL.len()],
    /// What `missing` names for each attribute that is unknown or only bounded.
    missing: [Vec<String>; Attr::ALL.len()],
    /// Why the product is invalid (empty when it is valid), one line per problem.
    problems: Vec<String>,
    /// Warnings about the figures that hold whatever the rules.
    warnings: Vec<String>,
}

impl PreparedProduct {
    /// Checks `product` ([`Product::validate`]) and computes its metrics (once). An invalid
    /// product is kept, but every determination of it is `indeterminate`: see
    /// [`PreparedProduct::problems`].
    pub fn new(product: Product) -> Self {
        let problems = match product.validate() {
            Ok(()) => Vec::new(),
            Err(d) => d.0.iter().map(|d| format!("{}: {}", d.file, d.message)).collect(),
        };
        let metrics = Metrics::of(&product);
        let warnings = metrics.warnings(&product);
        let mut prepared =
            Self { values: [None; Attr::ALL.len()], missing: Default::default(), problems, warnings, product, metrics };
        if prepared.problems.is_empty() {
            prepared.values = Attr::ALL.map(|a| prepared.compute(a));
            prepared.missing = Attr::ALL.map(|a| prepared.compute_missing(a));
        } else {
            // Nothing of an invalid product is read: each attribute is unknown for its problems.
            let names: Vec<String> = prepared.problems.iter().map(|p| format!("a valid product ({p})")).collect();
            let kind = prepared.product.kind;
            prepared.values = Attr::ALL.map(|a| (a == Attr::Kind).then_some(Value::Kind(kind)));
            prepared.missing = Attr::ALL.map(|a| if a == Attr::Kind { Vec::new() } else { names.clone() });
        }
        prepared
    }

    /// Checks `product` ([`Product::validate`]) and computes its metrics.
    ///
    /// # Errors
    /// The problems found, with the codes and messages a product sheet gets.
    pub fn try_new(product: Product) -> Result<Self, Diagnostics> {
        product.validate()?;
        Ok(Self::new(product))
    }

    /// Whether the product passed [`Product::validate`]. An invalid product is evaluated as
    /// unknown throughout, and every determination of it is `indeterminate`.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Why the product is invalid, one line per problem (`product `x`, field: message`); empty
    /// when it is valid.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Warnings about the product's figures that hold whatever the rules (e.g. a TPP about
    /// twice the reported one).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn compute(&self, a: Attr) -> Option<Value> {
        let (product, metrics) = (&self.product, &self.metrics);
        let num = |d: Option<Decimal>| d.map(|d| Value::Num(Ratio::from_decimal(d)));
        match a {
            Attr::Tpp => metrics.tpp.map(|t| bounded(Ratio::from_decimal(t), metrics.tpp_bound, Ratio::from_decimal)),
            Attr::PerformanceDensity => {
                let area = metrics.applicable_die_area?;
                metrics.performance_density.map(|pd| bounded(pd, metrics.tpp_bound, |r| Ratio { num: r, den: area }))
            }
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
            Attr::FrontEndFabricatorOrOsat | Attr::ApprovedIcDesignerAttestation | Attr::PackagedOutsideD5OrMacau => {
                None
            }
        }
    }

    /// What `missing` names when `a` is unknown or only bounded.
    fn compute_missing(&self, a: Attr) -> Vec<String> {
        let mut out = Vec::new();
        if self.value(a).is_some_and(|v| !v.is_bound()) {
            return out;
        }
        match a {
            Attr::Tpp => self.tpp_missing(&mut out),
            Attr::PerformanceDensity => {
                self.tpp_missing(&mut out);
                if self.metrics.applicable_die_area.is_none_or(|a| a.is_zero()) {
                    self.area_missing(&mut out);
                }
            }
            Attr::ApplicableDieArea => self.area_missing(&mut out),
            Attr::MemoryBandwidthDensity => {
                let m = self.product.memory.as_ref();
                if m.and_then(|m| m.bandwidth_gbps).is_none() {
                    out.push(Attr::MemoryBandwidth.name().into());
                }
                if m.and_then(|m| m.stack_area_mm2).is_none() {
                    out.push("memory_stack_area".into());
                }
            }
            a if self.value(a).is_none() => out.push(a.name().into()),
            _ => {}
        }
        out
    }

    /// The TPP's missing inputs: the rates when there are none, the rate lists not stated
    /// complete when it is a lower bound, the gap with the reported TPP.
    fn tpp_missing(&self, out: &mut Vec<String>) {
        match (self.metrics.tpp, self.metrics.tpp_bound) {
            (None, _) => out.push(Attr::Tpp.name().into()),
            (Some(_), TppBound::Exact) => {}
            (Some(_), TppBound::AtLeast) => out.extend(
                self.product.processing_units.iter().filter(|u| !u.rates_complete()).map(|u| u.rate_list_name()),
            ),
            (Some(t), TppBound::UpTo(r)) => {
                out.push(format!("tpp: the rates give {t}, tpp_reported is {}", r.normalize()));
            }
        }
    }

    /// The applicable die area's missing inputs: whether each die with an area is non-planar,
    /// and the area of each die that counts (or may).
    fn area_missing(&self, out: &mut Vec<String>) {
        let dies = &self.product.logic_dies;
        let architecture = dies.iter().any(|d| d.non_planar.is_none());
        if architecture {
            out.push("non_planar".into());
        }
        // No die, a die that counts (or may) without its area, or every die planar (no
        // applicable area, so no density: regulation.md §1.2).
        if !architecture || dies.iter().any(|d| d.non_planar != Some(false) && d.area_mm2.is_none()) {
            out.push(Attr::ApplicableDieArea.name().into());
        }
    }

    /// The value of an attribute, `None` when unknown.
    pub fn value(&self, attr: Attr) -> Option<Value> {
        self.values.get(attr.index()).copied().flatten()
    }

    /// The inputs behind an attribute that is unknown or only bounded, as the determination's
    /// `missing` names them: a derived metric names what it is derived from (performance
    /// density → the TPP's and the die area's inputs); a TPP from a rate list not stated
    /// complete names the list (`dense_tops`); a die area with an unknown architecture names
    /// `non_planar`; an invalid product names its problems.
    pub fn missing_inputs(&self, attr: Attr) -> Vec<&str> {
        self.missing.get(attr.index()).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default()
    }

    /// The warning that explains a TPP that is only bounded, for a determination whose outcome
    /// or classification it left open.
    pub(crate) fn bound_warning(&self) -> Option<String> {
        let t = self.metrics.tpp?;
        match self.metrics.tpp_bound {
            TppBound::Exact => None,
            TppBound::AtLeast => {
                let lists: Vec<String> = self
                    .product
                    .processing_units
                    .iter()
                    .filter(|u| !u.rates_complete())
                    .map(|u| u.rate_list_name())
                    .collect();
                Some(format!(
                    "TPP is at least {t}: the rate list ({}) is not stated complete, and TPP is the maximum over every precision the part supports (3A090 Technical Note 2), so a higher TPP could change the outcome. When every precision the part supports is listed, add `complete = true` to the list; or name the others in `unsupported`.",
                    lists.join(", ")
                ))
            }
            TppBound::UpTo(r) => Some(format!(
                "The rates give TPP {t}, below tpp_reported ({}), and a TPP in that gap could change the outcome: check the rates against the source of the reported figure.",
                r.normalize()
            )),
        }
    }
}

/// A value from the figure computed (`lo`) and what is known beyond it: exact, at least, or up
/// to the reported TPP (`up` converts it to the value's unit).
fn bounded(lo: Ratio, bound: TppBound, up: impl Fn(Decimal) -> Ratio) -> Value {
    match bound {
        TppBound::Exact => Value::Num(lo),
        TppBound::AtLeast => Value::Range { lo, hi: None },
        TppBound::UpTo(r) => Value::Range { lo, hi: Some(up(r)) },
    }
}
