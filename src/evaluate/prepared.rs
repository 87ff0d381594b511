//! A product with its metrics computed once, ready to be evaluated many times; a computer or
//! board with its contents prepared as the units the rules test (each contained product, or
//! their aggregate).

use std::sync::Arc;

use rust_decimal::Decimal;

use super::determination::MetricsReport;
use crate::diagnostic::Diagnostics;
use crate::metrics::{Metrics, TppBound};
use crate::model::{LogicDie, Memory, ProcessingUnit, Product, ProductKind, Rate};
use crate::names::{
    glued_part_keys, holds_part_glued, holds_unspaced, names_no_part, near_vendor, split_key, without_accents,
    written_in_latin_letters,
};
use crate::number::Ratio;
use crate::ruleset::Reading;
use crate::ruleset::condition::Scaled;
use crate::ruleset::vocabulary::{Attr, Value};
use crate::ruleset::{key_looks_like, lookalike_keys, normalize_name};

mod against_catalog;

/// One answer of [`PreparedProduct::text_matches`] worked out ahead: the attribute, the name
/// (normalised), the answer.
type TextAnswer = (Attr, Box<str>, Option<bool>);

/// Deepest nesting of `contains` followed (a deeper one is unknown contents).
const MAX_DEPTH: usize = 16;

/// A product and its derived metrics, indexed by attribute for fast evaluation.
///
/// The product is checked as a product sheet is ([`Product::validate`]). A product that fails
/// the checks is never cleared: every attribute reads as unknown, and a determination of it is
/// `indeterminate` with the problems in `missing` ([`PreparedProduct::problems`]), or
/// `license_required` where a requirement applies whatever the figures. Use
/// [`PreparedProduct::try_new`] to refuse it instead.
///
/// The product and its metrics are read through [`PreparedProduct::product`] and
/// [`PreparedProduct::metrics`], never written: everything a decision reads is computed from
/// them once, at preparation, so a product changed afterwards would be decided as the one
/// prepared while its determination named the other (tester finding P5). To decide another
/// product, prepare it.
#[derive(Debug, Clone)]
pub struct PreparedProduct {
    /// The product (read-only: [`PreparedProduct::product`]).
    product: Product,
    /// Its metrics (read-only: [`PreparedProduct::metrics`]).
    metrics: Metrics,
    values: [Option<Value>; Attr::ALL.len()],
    /// The numeric values at the fixed scale, for comparing with literals fast (`None` where
    /// the value is unknown, not a number, or too large: `values` is read instead).
    scaled: [Option<Scaled>; Attr::ALL.len()],
    /// Each known value as traces show it (formatted once, not at every comparison).
    shown: [Option<String>; Attr::ALL.len()],
    /// The metrics as determinations report them (formatted once).
    report: MetricsReport,
    /// What `missing` names for each attribute that is unknown or only bounded.
    missing: [Vec<String>; Attr::ALL.len()],
    /// Why the product is invalid (empty when it is valid), one line per problem.
    problems: Vec<String>,
    /// Warnings about the figures that hold whatever the rules.
    warnings: Vec<String>,
    /// The vendor names it answers to, normalised (`vendor == "..."`); for an aggregate, the
    /// vendors of its contents.
    vendors: Vec<String>,
    /// The product's name normalised as names are, between spaces (` HGX H20 96GB CHINA `),
    /// for `name == "..."` without allocating per decision.
    name_words: String,
    /// The name's glued readings ([`glued_part_keys`]: `H-20`, `Н20`, `HGXH20` read `H2O`): a
    /// name that holds a part a rule names only so read is not known not to be that part.
    name_glued: Vec<String>,
    /// Whether the name cannot identify a part ([`names_no_part`]): `name == "..."` is then
    /// unknown unless the name holds the part's words, never false.
    name_names_no_part: bool,
    /// Whether a vendor is unknown (a content whose sheet is missing).
    vendor_unknown: bool,
    /// Whether a vendor is not written in Latin letters only (`英伟达`, `英伟达 Corp`,
    /// [`written_in_latin_letters`]): it cannot be told apart from a vendor a rule names, so
    /// `vendor == "..."` is unknown for it (never false).
    vendor_unreadable: bool,
    /// The look-alike keys of the vendor names ([`lookalike_keys`]): a vendor that reads as
    /// another only through confusable characters (`NVIDlA`) is not known to be, or not to be,
    /// that vendor.
    vendor_keys: Vec<String>,
    /// The vendor names' keys with breaks where the case changes inside a word
    /// ([`split_key`]: `ShanghaiNVIDIA` is `SHANGHAI NVIDIA`): a vendor that holds a vendor a
    /// rule names glued to other letters ([`holds_unspaced`]: `TheNVIDIA Corporation`,
    /// `NVIDIAGraphics`, `NV IDIA (Shanghai)`) is not known to be, or not to be, that vendor.
    vendor_splits: Vec<String>,
    /// The split key of the vendor without its accents, when it has any (`ShanghaiNVÍDIA`):
    /// a vendor that is or holds a vendor a rule names only so read is not known not to be it.
    vendor_folded: Vec<String>,
    /// For a product contained in a computer or board: the vendors of the systems around it
    /// (id and vendor as written, outermost first), whose names it answers to as well (see
    /// [`Around`]).
    around: Vec<Around>,
    /// [`PreparedProduct::text_matches`] worked out ahead for the names a rule set compares
    /// with ([`PreparedProduct::remember_text_matches`]): attribute, name, answer. Empty until
    /// then, and emptied when the vendor names change; shared by the clones.
    text_answers: Arc<[TextAnswer]>,
    /// Catalog ids of the product and of every product it contains, at any depth.
    ids: Vec<String>,
    /// For a computer: its contents, one unit per distinct leaf product (an integrated circuit
    /// or memory), with counts; a placeholder unit when the contents are unknown.
    parts: Vec<Unit>,
    /// For a computer: its contents as one aggregate integrated circuit.
    aggregate: Vec<Unit>,
}

/// What a computer is tested as: one of its contained products (read per IC), or its contents
/// as one aggregate IC (read as an aggregate). Rule conditions are evaluated on each unit.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The contained product (or the aggregate).
    pub product: PreparedProduct,
    /// How many the system holds.
    pub count: u64,
    /// The contained product's id, which names its missing figures (`nvidia-h20: tpp`); none
    /// for the aggregate, whose figures are the system's own.
    pub prefix: Option<String>,
    /// Contents not known (no `contains`, or an id without a sheet), named in missing inputs:
    /// instead of the figures for a placeholder, besides them for the aggregate.
    pub unknown_contents: Option<String>,
    /// The unit stands for unknown contents; it has no figures.
    pub placeholder: bool,
    /// The system whose unknown datacenter flag leaves this non-datacenter IC's unknown (see
    /// `leaves_of`): the missing input is the system's.
    pub datacenter_of: Option<String>,
}

impl Unit {
    /// How the unit is named in explanations: `nvidia-h20 x8`, or `the aggregate`.
    pub(crate) fn label(&self) -> String {
        match (&self.prefix, self.placeholder) {
            (_, true) => self.unknown_contents.clone().unwrap_or_else(|| "unknown contents".into()),
            (Some(p), false) => format!("{p} x{}", self.count),
            (None, false) => "the contents as one aggregate".into(),
        }
    }

    /// The missing inputs behind an unknown attribute of this unit, as named in a
    /// determination's `missing`.
    pub(crate) fn missing_inputs(&self, attr: Attr) -> Vec<String> {
        if attr == Attr::Kind {
            return Vec::new();
        }
        if matches!(attr, Attr::FrontEndFabricatorOrOsat | Attr::PackagedByFrontEndFabricatorOrApprovedOsat) {
            // The exporter's fact, whatever unit left it open: named once, without the unit.
            return self.product.missing_inputs(attr).into_iter().map(str::to_string).collect();
        }
        if self.placeholder {
            return self.unknown_contents.iter().cloned().collect();
        }
        if let (Attr::DesignedOrMarketedForDatacenter, Some(system)) = (attr, &self.datacenter_of) {
            return vec![format!("{system}: designed_or_marketed_for_datacenter")];
        }
        let mut out: Vec<String> = self
            .product
            .missing_inputs(attr)
            .into_iter()
            .map(|m| match &self.prefix {
                Some(p) => format!("{p}: {m}"),
                None => m.to_string(),
            })
            .collect();
        if attr == Attr::Vendor && !self.product.around.is_empty() {
            out = self.product.around_vendor_missing();
        }
        if !out.is_empty() {
            out.extend(self.unknown_contents.iter().cloned());
        }
        out
    }
}

/// Company suffixes that may be glued to a vendor's name (`NVIDIACORPORATION` is `NVIDIA`), in
/// the upper case of [`normalize_name`].
const COMPANY_SUFFIXES: &[&str] =
    &["CORPORATION", "CORP", "INCORPORATED", "INC", "LIMITED", "LTD", "COMPANY", "CO", "LLC", "GMBH", "AG", "PLC"];

/// The names one vendor answers to, as [`PreparedProduct::text_matches`] reads them (see the
/// fields of [`PreparedProduct`] of the same names).
struct VendorNames {
    forms: Vec<String>,
    unknown: bool,
    unreadable: bool,
    keys: Vec<String>,
    splits: Vec<String>,
    folded: Vec<String>,
}

impl VendorNames {
    /// The names `vendor` (as written) answers to: none when it is blank or names nobody (then
    /// it is unknown).
    fn of(vendor: &str) -> Self {
        let normalized = normalize_name(vendor);
        let unknown = normalized.is_empty() || crate::ruleset::is_placeholder_name(&normalized);
        VendorNames {
            unreadable: !normalized.is_empty() && !written_in_latin_letters(&normalized),
            forms: if unknown { Vec::new() } else { PreparedProduct::vendor_forms(normalized) },
            unknown,
            keys: lookalike_keys(vendor),
            splits: if unknown { Vec::new() } else { vec![split_key(vendor)] },
            folded: if unknown {
                Vec::new()
            } else {
                without_accents(vendor).map(|f| split_key(&f)).into_iter().collect()
            },
        }
    }
}

/// What `missing` names for a vendor that may be, but is not written as, a vendor a rule names:
/// the vendor as written and what to confirm.
fn vendor_to_confirm(vendor: &str) -> String {
    format!(
        "vendor (is \"{vendor}\" the vendor a rule names? It reads as that vendor only through look-alike characters, one or two letters off, or glued to other letters: confirm which company it is, or give the vendor's name as the rules write it, e.g. NVIDIA, AMD, Intel, alone or followed by other words)"
    )
}

/// A system around a contained product: its id and its vendor as written. The "is informed"
/// letters (15 CFR 744.23; NVIDIA Form 8-K of 2022-08-31: the A100, the H100 "as well as any
/// system that includes those circuits"; NVIDIA Form 8-K of 2025-04-15: the H20 "and any other
/// circuits achieving" its bandwidths; rules/us-ear/NOTES.md §11) bind the vendor who exports, and
/// what a system's vendor exports is the system with every IC in it: so a contained IC answers
/// to `vendor == "..."` when its own vendor or the vendor of any system around it does, and is
/// unknown when either is unknown or unreadable (tester round 6, S1: an NVIDIA board of ICs whose
/// sheet names Foxconn escaped the H20 letter).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Around {
    id: String,
    vendor: String,
}

impl PreparedProduct {
    /// The forms a vendor name (normalised by [`normalize_name`]) answers to: as written; with
    /// its single letters joined (`N.V.I.D.I.A. Corp`, normalised `N V I D I A CORP`, is
    /// `NVIDIA CORP`); and with no spaces at all (`NV IDIA`). A rule's `vendor == "NVIDIA"`
    /// holds when one of them is the name, alone or followed by more words or a company
    /// suffix.
    pub(crate) fn vendor_forms(normalized: String) -> Vec<String> {
        let mut joined = String::with_capacity(normalized.len());
        let mut prev_single = false;
        for (i, w) in normalized.split(' ').enumerate() {
            let single = w.chars().count() == 1;
            if i > 0 && !(single && prev_single) {
                joined.push(' ');
            }
            joined.push_str(w);
            prev_single = single;
        }
        let spaceless: String = normalized.chars().filter(|c| *c != ' ').collect();
        let mut out = vec![normalized];
        for f in [joined, spaceless] {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// The vendor names a set of products answers to together (an aggregate's: each of its
    /// contents' forms, once, in order).
    pub(crate) fn vendors_of<'p>(products: impl IntoIterator<Item = &'p PreparedProduct>) -> Vec<String> {
        let mut vendors: Vec<String> = Vec::new();
        for p in products {
            for v in &p.vendors {
                if !vendors.contains(v) {
                    vendors.push(v.clone());
                }
            }
        }
        vendors
    }

    /// Makes a contained product answer to the vendors of the systems `around` it as well as to
    /// its own ([`Around`]): each system's names are added, and a system whose vendor is
    /// unknown or unreadable leaves the product's vendor unknown where its own does not decide.
    fn answer_also_to(&mut self, around: Vec<Around>) {
        fn add(to: &mut Vec<String>, from: Vec<String>) {
            for v in from {
                if !to.contains(&v) {
                    to.push(v);
                }
            }
        }
        for a in &around {
            let v = VendorNames::of(&a.vendor);
            add(&mut self.vendors, v.forms);
            add(&mut self.vendor_keys, v.keys);
            add(&mut self.vendor_splits, v.splits);
            add(&mut self.vendor_folded, v.folded);
            self.vendor_unknown |= v.unknown;
            self.vendor_unreadable |= v.unreadable;
        }
        self.around = around;
        // Answers worked out for the names before.
        self.text_answers = Arc::new([]);
    }

    /// What `missing` names when `vendor == "..."` is unknown for a contained product that
    /// answers to the vendors of the systems around it: the vendors that name nobody or are not
    /// written in Latin letters (each as `<id>: vendor ...`), else every vendor it answers to
    /// (one of them reads as a vendor a rule names only through look-alike characters, or holds
    /// it glued to other letters).
    fn around_vendor_missing(&self) -> Vec<String> {
        let own = std::iter::once((&self.product.id, &self.product.vendor));
        let named: Vec<(&String, &String, VendorNames)> = own
            .chain(self.around.iter().map(|a| (&a.id, &a.vendor)))
            .map(|(id, v)| (id, v, VendorNames::of(v)))
            .collect();
        let plain: Vec<String> = named
            .iter()
            .filter_map(|(id, _, v)| {
                if v.unknown {
                    Some(format!("{id}: vendor"))
                } else if v.unreadable {
                    Some(format!("{id}: vendor (not written in Latin letters: give the vendor's name as the rules write it, e.g. NVIDIA, AMD, Intel)"))
                } else {
                    None
                }
            })
            .collect();
        if !plain.is_empty() {
            return plain;
        }
        named.iter().map(|(id, vendor, _)| format!("{id}: {}", vendor_to_confirm(vendor))).collect()
    }

    /// Checks `product` ([`Product::validate`]) and computes its metrics (once); for a
    /// computer, prepares its contents. An invalid product is kept, but every determination of
    /// it is `indeterminate`: see [`PreparedProduct::problems`].
    pub fn new(product: Product) -> Self {
        Self::prepare(product, 0, false)
    }

    /// Checks `product` ([`Product::validate`]) and computes its metrics.
    ///
    /// # Errors
    /// The problems found, with the codes and messages a product sheet gets.
    pub fn try_new(product: Product) -> Result<Self, Diagnostics> {
        product.validate()?;
        Ok(Self::new(product))
    }

    /// `aggregate`: `product` is a computer's figures read as one IC, checked with
    /// [`Product::validate_as_aggregate`] (no bound on what one package holds).
    fn prepare(product: Product, depth: usize, aggregate: bool) -> Self {
        let checked = if aggregate { product.validate_as_aggregate() } else { product.validate() };
        let problems = match checked {
            Ok(()) => Vec::new(),
            Err(d) => d.0.iter().map(|d| format!("{}: {}", d.file, d.message)).collect(),
        };
        let (parts, aggregate, understated) = contents_of(&product, depth);
        let figures = aggregate.first().map_or(&product, |u| &u.product.product);
        let metrics = Metrics::of(figures);
        let mut warnings = metrics.warnings(figures);
        warnings.extend(understated);
        if let Some(w) = datacenter_flag_contradicted(figures) {
            warnings.push(w);
        }
        let (mem_aside, io_aside) = set_aside_bandwidths(figures);
        for (name, why) in [("memory_bandwidth", mem_aside), ("interconnect_bandwidth", io_aside)] {
            if let Some(why) = why {
                warnings.push(format!("the {name} is read as unknown: {why}"));
            }
        }
        let v = VendorNames::of(&product.vendor);
        let mut ids = vec![product.id.clone()];
        ids_of(&product, depth, &mut ids);
        let mut prepared = Self {
            values: [None; Attr::ALL.len()],
            scaled: [None; Attr::ALL.len()],
            shown: Default::default(),
            report: MetricsReport::default(),
            missing: Default::default(),
            problems,
            warnings,
            vendor_unreadable: v.unreadable,
            vendors: v.forms,
            name_words: format!(" {} ", crate::names::normalize_name(&product.name)),
            name_glued: glued_part_keys(&product.name),
            name_names_no_part: names_no_part(&product.name),
            vendor_unknown: v.unknown,
            vendor_keys: v.keys,
            vendor_splits: v.splits,
            vendor_folded: v.folded,
            around: Vec::new(),
            text_answers: Arc::new([]),
            ids,
            product,
            metrics,
            parts,
            aggregate,
        };
        prepared.read_values();
        prepared.shown = prepared.values.map(|v| v.map(|v| v.to_string()));
        prepared.report = metrics_report(&prepared);
        prepared
    }

    /// Reads every attribute's value (and what names it when missing) from the figures; for an
    /// invalid product, only its kind (every other attribute is unknown for its problems).
    fn read_values(&mut self) {
        let prepared = self;
        if prepared.problems.is_empty() {
            let values = {
                let figures = prepared.figures_product();
                Attr::ALL.map(|a| compute(figures, prepared.product.kind, &prepared.metrics, a))
            };
            prepared.values = values;
            prepared.scaled = values.map(|v| v.as_ref().and_then(Scaled::of));
            let missing = {
                let figures = prepared.figures_product();
                Attr::ALL.map(|a| prepared.compute_missing(figures, a))
            };
            prepared.missing = missing;
        } else {
            // Nothing of an invalid product is read: each attribute is unknown for its problems.
            let names: Vec<String> = prepared.problems.iter().map(|p| format!("a valid product ({p})")).collect();
            let kind = prepared.product.kind;
            prepared.values = Attr::ALL.map(|a| (a == Attr::Kind).then_some(Value::Kind(kind)));
            prepared.missing = Attr::ALL.map(|a| if a == Attr::Kind { Vec::new() } else { names.clone() });
        }
    }

    /// The product whose figures the attributes read: for a computer, its aggregate.
    fn figures_product(&self) -> &Product {
        self.aggregate.first().map_or(&self.product, |u| &u.product.product)
    }

    /// The product prepared (for a system, with the sheets of its contents as resolved).
    pub fn product(&self) -> &Product {
        &self.product
    }

    /// The product's metrics (TPP in bit × TOPS, areas in mm², densities per mm²: see
    /// [`Metrics`]). For a computer, the metrics of its figures as one aggregate (its own
    /// figures where its sheet gives them, else the sum over its contents).
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Whether the product passed [`Product::validate`]. An invalid product is evaluated as
    /// unknown throughout, and no determination of it clears it.
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

    /// What `missing` names when `a` is unknown or only bounded.
    fn compute_missing(&self, figures: &Product, a: Attr) -> Vec<String> {
        let mut out = Vec::new();
        if self.value(a).is_some_and(|v| !v.is_bound()) {
            return out;
        }
        match a {
            Attr::Tpp => self.tpp_missing(figures, &mut out),
            Attr::PerformanceDensity => {
                self.tpp_missing(figures, &mut out);
                if self.metrics.applicable_die_area.is_none_or(|a| a.is_zero()) {
                    area_missing(figures, &mut out);
                }
                if let Some(why) =
                    crate::model::unconfirmed_die_count(figures).filter(|_| self.product.kind != ProductKind::Computer)
                {
                    out.push(format!("logic_die count ({why})"));
                }
            }
            Attr::ApplicableDieArea => area_missing(figures, &mut out),
            Attr::ApplicableAdvancedLogic => {
                advanced_logic_missing(figures, &mut out);
                if let Some(why) = crate::model::planar_flags_doubted(figures, self.metrics.tpp) {
                    out.push(format!("{} ({why})", a.name()));
                }
            }
            Attr::MainFunctionLogic => match crate::model::main_function_logic_doubt(figures) {
                Some(why) => out.push(format!("{} ({why})", a.name())),
                None if self.value(a).is_none() => out.push(a.name().into()),
                None => {}
            },
            Attr::MemoryBandwidthDensity => {
                let m = figures.memory.as_ref();
                if m.and_then(|m| m.bandwidth_gbps).is_none() {
                    out.push(Attr::MemoryBandwidth.name().into());
                }
                if m.and_then(|m| m.stack_area_mm2).is_none() {
                    out.push("memory_stack_area".into());
                }
            }
            Attr::MemoryAndInterconnectBandwidth => {
                for a in [Attr::MemoryBandwidth, Attr::InterconnectBandwidth] {
                    if self.value(a).is_none() {
                        out.push(bandwidth_missing(figures, a));
                    }
                }
            }
            Attr::MemoryBandwidth | Attr::InterconnectBandwidth if self.value(a).is_none() => {
                out.push(bandwidth_missing(figures, a));
            }
            Attr::Vendor if self.vendor_unknown => out.push(Attr::Vendor.name().into()),
            Attr::Vendor if self.vendor_unreadable => {
                out.push("vendor (not written in Latin letters: give the vendor's name as the rules write it, e.g. NVIDIA, AMD, Intel)".into());
            }
            Attr::Vendor if !self.vendor_keys.is_empty() => out.push(vendor_to_confirm(&self.product.vendor)),
            Attr::Vendor => {}
            Attr::Name if self.name_names_no_part => out.push(format!(
                "name (\"{}\" identifies no part: give the product's name as the vendor writes it, e.g. H20, MI308X, A100 SXM4 80GB, so that the rules naming parts can be read)",
                self.product.name.escape_debug()
            )),
            Attr::Name => out.push(format!(
                "name (is \"{}\" the part a rule names? Read without its separators or look-alike characters, or without a board prefix (HGX, DGX), it holds that part's name: confirm which part it is, or give its name as the vendor writes it, e.g. H20, MI308X, A100, H100)",
                self.product.name
            )),
            Attr::DesignedOrMarketedForDatacenter if figures.designed_or_marketed_for_datacenter == Some(false) => {
                out.push(format!(
                    "{} (stated false, but the sheet shows datacenter design features: {})",
                    a.name(),
                    flag_doubts(figures).join(", ")
                ));
            }
            Attr::Transistors => match crate::model::unchecked_transistors(figures) {
                Some(why) => out.push(format!("{} ({why})", a.name())),
                None if self.value(a).is_none() => out.push(a.name().into()),
                None => {}
            },
            // A transaction fact: the exporter's, unknown until stated (never the product's).
            Attr::FrontEndFabricatorOrOsat => out.push(format!("exporter.{}", a.name())),
            Attr::PackagedByFrontEndFabricatorOrApprovedOsat => {
                out.push("exporter.packaged_by (front_end_fabricator, approved_osat or other)".into());
            }
            a if self.value(a).is_none() => out.push(a.name().into()),
            _ => {}
        }
        out
    }

    /// The TPP's missing inputs: the rates when there are none, the rate lists not stated
    /// complete when it is a lower bound, the gap with the reported TPP.
    fn tpp_missing(&self, figures: &Product, out: &mut Vec<String>) {
        match (self.metrics.tpp, self.metrics.tpp_bound) {
            (None, _) => out.push(Attr::Tpp.name().into()),
            (Some(_), TppBound::Exact) => {}
            (Some(_), TppBound::AtLeast) => out.extend(rate_lists_not_exact(figures)),
            (Some(t), TppBound::UpTo(r)) => {
                out.push(format!("tpp: the rates give {t}, tpp_reported is {}", r.normalize()));
            }
        }
    }

    /// The value of an attribute, `None` when unknown.
    pub fn value(&self, attr: Attr) -> Option<Value> {
        self.values.get(attr.index()).copied().flatten()
    }

    /// An attribute's value as traces show it: `unknown` when unknown.
    pub(crate) fn shown(&self, attr: Attr) -> String {
        match self.shown.get(attr.index()) {
            Some(Some(v)) => v.clone(),
            _ => "unknown".into(),
        }
    }

    /// The metrics as a determination reports them (for a computer, those of its aggregate:
    /// see [`PreparedProduct::figures`]).
    pub(crate) fn report(&self) -> &MetricsReport {
        &self.report
    }

    /// A flag's value, `None` when unknown or not a flag (read without copying the value).
    pub fn flag(&self, attr: Attr) -> Option<bool> {
        match self.values.get(attr.index()) {
            Some(Some(Value::Bool(b))) => Some(*b),
            _ => None,
        }
    }

    /// This product with `attr`'s value set to `v` (and its scaled value made from it), for
    /// tests that need a figure exactly on, or one unit of the fixed scale off, a threshold.
    #[cfg(test)]
    pub(crate) fn with_value(mut self, attr: Attr, v: Option<Value>) -> Self {
        if let Some(slot) = self.values.get_mut(attr.index()) {
            *slot = v;
        }
        if let Some(slot) = self.scaled.get_mut(attr.index()) {
            *slot = v.as_ref().and_then(Scaled::of);
        }
        self
    }

    /// A numeric attribute's value at the fixed scale ([`Scaled`]), `None` when it is unknown
    /// or has none (then [`PreparedProduct::value`] is compared).
    pub fn scaled(&self, attr: Attr) -> Option<Scaled> {
        self.scaled.get(attr.index()).copied().flatten()
    }

    /// Works out [`PreparedProduct::text_matches`] ahead for each of `names` (an attribute
    /// and a name normalised by [`normalize_name`]: those a rule set compares with,
    /// [`crate::RuleSet::compared_texts`]), for this product and every product it contains, so
    /// that a decision looks the answer up instead of reading the names again (a recorded
    /// determination compares the vendor with a few dozen names). The answers are the same;
    /// names not among `names` are worked out when asked, as before. Replaces the answers
    /// remembered before.
    pub fn remember_text_matches(&mut self, names: &[(Attr, &str)]) {
        for u in self.parts.iter_mut().chain(self.aggregate.iter_mut()) {
            u.product.remember_text_matches(names);
        }
        self.text_answers = Arc::new([]);
        let answers: Vec<_> =
            names.iter().map(|&(a, n)| (a, Box::from(n), self.text_matches_worked_out(a, n))).collect();
        self.text_answers = answers.into();
    }

    /// Whether a text attribute (the vendor) is `normalized` (a name already normalised by
    /// [`normalize_name`]), alone or followed by more words (`NVIDIA CORPORATION` is `NVIDIA`);
    /// `None` when unknown. An aggregate matches any of its contents' vendors. The answer
    /// remembered for the name ([`PreparedProduct::remember_text_matches`]) when there is one.
    pub(crate) fn text_matches(&self, attr: Attr, normalized: &str) -> Option<bool> {
        match self.text_answers.iter().find(|(a, n, _)| *a == attr && **n == *normalized) {
            Some(&(_, _, answer)) => answer,
            None => self.text_matches_worked_out(attr, normalized),
        }
    }

    /// Test support for the catalog's tests (src/catalog.rs,
    /// `remembered_text_matches_are_those_worked_out`, there so that evaluate/ does not load the
    /// catalog): asserts that this product's remembered answers (and those of every product it
    /// contains, at any depth) are `fresh`'s, the same product with nothing remembered, for
    /// every one of `names`, and that a name no rule compares with (`others`) is worked out;
    /// counts the answers by kind in `seen` (true, false, unknown).
    #[cfg(test)]
    pub(crate) fn assert_remembered_answers(
        &self,
        fresh: &PreparedProduct,
        names: &[(Attr, &str)],
        others: &[(Attr, &str)],
        seen: &mut [usize; 3],
    ) {
        assert_eq!(self.text_answers.len(), names.len(), "{}: every name remembered", self.product.id);
        for &(a, n) in names {
            let answer = self.text_matches(a, n);
            assert_eq!(answer, fresh.text_matches_worked_out(a, n), "{} {a:?} {n}", self.product.id);
            if let Some(count) = seen.get_mut(match answer {
                Some(true) => 0,
                Some(false) => 1,
                None => 2,
            }) {
                *count += 1;
            }
        }
        for &(a, n) in others {
            assert_eq!(self.text_matches(a, n), fresh.text_matches_worked_out(a, n), "{} {a:?} {n}", self.product.id);
        }
        fn units(q: &PreparedProduct) -> Vec<&PreparedProduct> {
            q.parts.iter().chain(&q.aggregate).map(|u| &u.product).collect()
        }
        let (ours, theirs) = (units(self), units(fresh));
        assert_eq!(ours.len(), theirs.len());
        for (u, f) in ours.into_iter().zip(theirs) {
            u.assert_remembered_answers(f, names, others, seen);
        }
    }

    /// [`PreparedProduct::text_matches`] worked out from the names.
    fn text_matches_worked_out(&self, attr: Attr, normalized: &str) -> Option<bool> {
        // A vendor written with a company suffix ("NVIDIA Corporation", or glued to the name as
        // in "NVIDIACorp") is the vendor named.
        let names = |v: &String| {
            v.strip_prefix(normalized).is_some_and(|rest| {
                rest.is_empty()
                    || rest.starts_with(' ')
                    || COMPANY_SUFFIXES
                        .iter()
                        .any(|s| rest.strip_prefix(s).is_some_and(|r| r.is_empty() || r.starts_with(' ')))
            })
        };
        // A vendor whose words, once split where the case changes, are the vendor named, with or
        // without a company form after them (`AdvancedMicroDevices`, `AdvancedMicroDevicesInc`
        // for `ADVANCED MICRO DEVICES`), is that vendor.
        let split_names = |v: &String| {
            v.strip_prefix(normalized).is_some_and(|rest| {
                rest.is_empty() || rest.strip_prefix(' ').is_some_and(|r| COMPANY_SUFFIXES.contains(&r))
            })
        };
        match attr {
            // A name holds the quoted words in order, word by word (`HGX H20 96GB CHINA` names
            // `H20`); a product always has a name, but an invalid one is read as unknown
            // throughout.
            Attr::Name if !self.is_valid() => None,
            Attr::Name
                if self.name_words.match_indices(normalized).any(|(i, _)| {
                    self.name_words[..i].ends_with(' ') && self.name_words[i + normalized.len()..].starts_with(' ')
                }) =>
            {
                Some(true)
            }
            // `H-20`, `H 20`, Cyrillic `Н20`, `HGXH20`: the part read without separators or
            // look-alike characters, or glued to a board prefix, is not known not to be named.
            // A name that identifies no part (blank, or a generic word: `---`, `GPU`, `Hopper`)
            // cannot say the part is not the one named: unknown, never false.
            Attr::Name if self.name_names_no_part => None,
            Attr::Name if holds_part_glued(&self.name_glued, normalized) => None,
            Attr::Name => Some(false),
            Attr::Vendor if self.vendors.iter().any(names) || self.vendor_splits.iter().any(split_names) => Some(true),
            Attr::Vendor if self.vendor_unknown => None,
            // `NVIDlA` (a lower-case L) or `NVIDІA` (a Cyrillic І) is not known not to be NVIDIA.
            Attr::Vendor if self.looks_like(normalized) => None,
            // `ShanghaiNVIDIA`, `TheNVIDIA Corporation`, `NVIDIAGraphics`: NVIDIA glued to other
            // letters is not known not to be NVIDIA.
            Attr::Vendor if self.vendor_splits.iter().any(|v| holds_unspaced(v, normalized, 3)) => None,
            // `英伟达` (NVIDIA's Chinese name) or any name in another script is not known not to
            // be the vendor named.
            Attr::Vendor if self.vendor_unreadable => None,
            // `ShanghaiNVÍDIA`, `Nvídia Corp`: read without accents, the vendor named.
            Attr::Vendor
                if self
                    .vendor_folded
                    .iter()
                    .any(|v| split_names(v) || names(v) || holds_unspaced(v, normalized, 3)) =>
            {
                None
            }
            // `Nvida`, `NVIDA Corp`, `Itnel`: a few letters off the vendor named (misspelt, or
            // written as a ticker such as `NVDA`) is not known not to be it.
            Attr::Vendor if self.vendors.iter().any(|v| near_vendor(v, normalized)) => None,
            Attr::Vendor => Some(false),
            _ => None,
        }
    }

    /// Whether a vendor name shares a look-alike key with `normalized` (alone or followed by
    /// more words) without matching it.
    fn looks_like(&self, normalized: &str) -> bool {
        self.vendor_keys.iter().any(|k| key_looks_like(k, normalized))
    }

    /// [`PreparedProduct::shown`] written to `out` (the string it holds, not copied).
    pub(crate) fn write_shown(&self, attr: Attr, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        match self.shown.get(attr.index()) {
            Some(Some(v)) => out.write_str(v),
            _ => out.write_str("unknown"),
        }
    }

    /// [`PreparedProduct::text`] written to `out` in pieces, without making the string; `None`,
    /// writing nothing, when it is `None`.
    pub(crate) fn write_text(&self, attr: Attr, out: &mut dyn std::fmt::Write) -> Option<std::fmt::Result> {
        match attr {
            Attr::Name => Some(out.write_str(&self.product.name)),
            Attr::Vendor if !self.vendors.is_empty() => Some(if self.parts.is_empty() && self.aggregate.is_empty() {
                (|| {
                    out.write_str(&self.product.vendor)?;
                    for a in &self.around {
                        write!(out, " (in {}, vendor {})", a.id, a.vendor)?;
                    }
                    Ok(())
                })()
            } else {
                (|| {
                    for (i, v) in self.vendors.iter().enumerate() {
                        if i > 0 {
                            out.write_str(", ")?;
                        }
                        out.write_str(v)?;
                    }
                    Ok(())
                })()
            }),
            _ => None,
        }
    }

    /// A text attribute as shown in traces: [`PreparedProduct::write_text`] into a string (one
    /// rendering, so that the trace written straight and the owned determination agree).
    pub(crate) fn text(&self, attr: Attr) -> Option<String> {
        let mut shown = String::new();
        // Writing into a String cannot fail.
        self.write_text(attr, &mut shown)?.ok()?;
        Some(shown)
    }

    /// Whether `id` is this product's catalog id or that of a product it contains, at any
    /// depth (so that a rule naming a product reaches the systems containing it).
    pub fn is_or_contains(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i == id)
    }

    /// Whether the product is a computer or board, tested through its contents.
    pub fn is_system(&self) -> bool {
        !self.parts.is_empty()
    }

    /// The units the rules test under `reading`: for a computer, each contained product
    /// (`PerIc`) or their aggregate (`Aggregate`); for any other product none (the product is
    /// tested itself).
    pub(crate) fn units(&self, reading: Reading) -> &[Unit] {
        match reading {
            Reading::PerIc => &self.parts,
            Reading::Aggregate => &self.aggregate,
        }
    }

    /// What the classification rules are evaluated on under `reading` (the pack's
    /// `[aggregation] separate_packages`): for a computer or board, each distinct product it
    /// contains (`PerIc`; a placeholder with every figure unknown stands for unknown contents)
    /// or their aggregate (`Aggregate`); for any other product, the product itself. A rule's
    /// parameters hold for a computer when they hold for one of them (ECCN 4A090: computers
    /// containing ICs that meet 3A090), and a contained IC reads as designed or marketed for
    /// datacenters when the system does (see `leaves_of`).
    pub fn tested_as(&self, reading: Reading) -> impl Iterator<Item = &PreparedProduct> {
        let units = self.units(reading);
        units.is_empty().then_some(self).into_iter().chain(units.iter().map(|u| &u.product))
    }

    /// Whether the two readings can differ: a computer holding more than one IC, or whose own
    /// figures differ from its contents'.
    pub fn readings_may_differ(&self) -> bool {
        let count: u64 = self.parts.iter().map(|p| p.count).sum();
        self.is_system() && (count > 1 || self.parts.iter().any(|p| p.placeholder) || has_own_figures(&self.product))
    }

    /// The figures a determination shows: for a computer, its aggregate (own figures where
    /// given, else the sum over its contents); else the product's.
    pub fn figures(&self) -> &PreparedProduct {
        self.aggregate.first().map_or(self, |u| &u.product)
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
                let lists = rate_lists_not_exact(self.figures_product());
                Some(format!(
                    "TPP is at least {t}: the rate list ({}) is not stated complete, or not taken as complete, and TPP is the maximum over every precision the part supports (3A090 Technical Note 2), so a higher TPP could change the outcome. When every precision the part supports is listed, add `complete = true` to the list; or name the others in `unsupported`.",
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

/// A leaf of a computer's contents: a product that is not a computer, or unknown contents.
struct Leaf {
    product: Product,
    count: u64,
    /// Set for unknown contents: how they are named in missing inputs.
    unknown: Option<String>,
    /// The system whose unknown datacenter flag leaves this non-datacenter IC's unknown.
    datacenter_of: Option<String>,
    /// The systems around it, outermost first, whose vendors it answers to ([`Around`]).
    around: Vec<Around>,
}

/// A placeholder for unknown contents.
fn unknown_leaf(id: &str, name: &str, count: u64, missing: String) -> Leaf {
    let product = Product::blank(id, name, ProductKind::IntegratedCircuit);
    Leaf { product, count, unknown: Some(missing), datacenter_of: None, around: Vec::new() }
}

/// Unknown contents standing for more of `p` (contained, or containing) than a count can
/// carry.
fn too_many(p: &Product, count: u64) -> Leaf {
    let missing = format!("{}: a count above {} (cannot be carried)", p.id, u64::MAX);
    unknown_leaf(&p.id, &p.name, count, missing)
}

/// Three-valued "either is true".
fn either(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// The leaves of a computer, `mult` times each, merged when equal. An IC inside a system
/// designed or marketed for datacenters is designed or marketed for datacenters as part of it
/// (the item exported is the system: 15 CFR 740.8(a) and Note 2 to 3A090.a and .b read the
/// item's datacenter design or marketing), so each leaf takes its own datacenter flag or its
/// systems' (`datacenter`: `Some(false)` at the top, three-valued: a system whose flag is
/// unknown leaves a non-datacenter IC in it unknown too). Each leaf also answers to the vendors
/// of the systems `around` it and of `system` ([`Around`]).
fn leaves_of(
    system: &Product,
    mult: u64,
    depth: usize,
    datacenter: (Option<bool>, Option<&str>),
    around: &[Around],
    out: &mut Vec<Leaf>,
) {
    let mut around = around.to_vec();
    around.push(Around { id: system.id.clone(), vendor: system.vendor.clone() });
    let around = around.as_slice();
    let own = system.designed_or_marketed_for_datacenter;
    let flag = either(datacenter.0, own);
    // The system whose flag is unknown, named in missing inputs when it leaves an IC's open.
    let unknown_in = match (flag, own) {
        (Some(_), _) => None,
        (None, None) => Some(system.id.as_str()),
        (None, Some(_)) => datacenter.1,
    };
    let datacenter = (flag, unknown_in);
    // Counts are carried exactly or not at all: a count past `u64` makes the leaf unknown
    // contents, never a smaller count (issue 12: overflow makes TPP unknown, never smaller).
    // `Product::validate` refuses such a system first (E0224, `MAX_CONTAINED_TOTAL`), so this
    // is reached only by a product prepared with its problems.
    let push = |leaf: Leaf, out: &mut Vec<Leaf>| match out.iter_mut().find(|l| {
        l.product == leaf.product
            && l.unknown == leaf.unknown
            && l.datacenter_of == leaf.datacenter_of
            && l.around == leaf.around
    }) {
        Some(l) => match l.count.checked_add(leaf.count) {
            Some(n) => l.count = n,
            None => *l = too_many(&leaf.product, 1),
        },
        None => out.push(leaf),
    };
    if system.contains.is_empty() || depth >= MAX_DEPTH {
        let missing = if depth == 0 { "contains".to_string() } else { format!("contains of {}", system.id) };
        push(unknown_leaf(&system.id, &system.name, mult, missing), out);
        return;
    }
    for c in &system.contains {
        let Some(count) = mult.checked_mul(u64::from(c.count)) else {
            push(too_many(system, 1), out);
            continue;
        };
        match &c.sheet {
            None => push(
                unknown_leaf(&c.product, &c.product, count, format!("{}: sheet (not in the catalog)", c.product)),
                out,
            ),
            Some(p) if p.kind == ProductKind::Computer => {
                // A system inside a system: its own figures against its own contents, as the
                // outermost system's are (tester round 9, U10: a board whose own HBM exceeds its
                // contents was open alone and cleared inside a server).
                let mut own = Vec::new();
                leaves_of(p, 1, depth + 1, datacenter, around, &mut own);
                if let Some(missing) = contents_short(p, &own) {
                    push(unknown_leaf(&p.id, &p.name, count, missing), out);
                }
                leaves_of(p, count, depth + 1, datacenter, around, out);
            }
            Some(p) => {
                let mut product = (**p).clone();
                let own = product.designed_or_marketed_for_datacenter;
                product.designed_or_marketed_for_datacenter = either(own, flag);
                let datacenter_of = match (product.designed_or_marketed_for_datacenter, own) {
                    (None, Some(false)) => unknown_in.map(str::to_string),
                    _ => None,
                };
                push(Leaf { product, count, unknown: None, datacenter_of, around: around.to_vec() }, out);
            }
        }
    }
}

/// Every catalog id a product contains, at any depth.
fn ids_of(p: &Product, depth: usize, out: &mut Vec<String>) {
    if depth >= MAX_DEPTH {
        return;
    }
    for c in &p.contains {
        if !out.contains(&c.product) {
            out.push(c.product.clone());
        }
        if let Some(s) = &c.sheet {
            ids_of(s, depth + 1, out);
        }
    }
}

/// Whether a computer's sheet gives figures of its own.
fn has_own_figures(p: &Product) -> bool {
    !p.processing_units.is_empty()
        || !p.logic_dies.is_empty()
        || p.memory.is_some()
        || p.interconnect_bandwidth_gbps.is_some()
        || p.transistors.is_some()
}

/// A sum of `count x figure` over the leaves; unknown if any is.
fn sum(leaves: &[Leaf], f: impl Fn(&Product) -> Option<Decimal>) -> Option<Decimal> {
    leaves.iter().try_fold(Decimal::ZERO, |acc, l| {
        if l.unknown.is_some() {
            return None;
        }
        acc.checked_add(f(&l.product)?.checked_mul(Decimal::from(l.count))?)
    })
}

/// Three-valued "any is true" over the leaves.
fn any(leaves: &[Leaf], f: impl Fn(&Product) -> Option<bool>) -> Option<bool> {
    let vals: Vec<Option<bool>> =
        leaves.iter().map(|l| if l.unknown.is_some() { None } else { f(&l.product) }).collect();
    if vals.contains(&Some(true)) {
        Some(true)
    } else if vals.iter().all(|v| *v == Some(false)) {
        Some(false)
    } else {
        None
    }
}

/// The contents of a computer as one integrated circuit: its own figures where its sheet gives
/// them, else the sum over its contents (TPP, die areas, bandwidths, transistors).
fn aggregate_of(system: &Product, leaves: &[Leaf]) -> Product {
    let known = leaves.iter().all(|l| l.unknown.is_none());
    // Own rates below what the contents give are not the system's: its contents' rates and
    // dies govern (an understated figure would clear the aggregate reading, probe finding 8).
    let own = if own_tpp_understated(system, leaves).is_some() {
        Product { processing_units: Vec::new(), logic_dies: Vec::new(), ..system.clone() }
    } else {
        system.clone()
    };
    let system = &own;
    let processing_units = aggregate_rates(system, leaves, known);
    let logic_dies = aggregate_dies(system, leaves, known);
    let mut own_memory = system.memory.clone();
    if let Some(m) = own_memory.as_mut()
        && let Some(contents) = sum(leaves, |p| p.memory.as_ref()?.bandwidth_gbps)
    {
        m.bandwidth_gbps = larger(m.bandwidth_gbps, Some(contents));
    }
    let memory = own_memory.or_else(|| {
        Some(Memory {
            kind: None,
            bandwidth_gbps: sum(leaves, |p| p.memory.as_ref()?.bandwidth_gbps),
            capacity_gb: sum(leaves, |p| p.memory.as_ref()?.capacity_gb),
            hbm: any(leaves, |p| p.memory.as_ref()?.hbm),
            stack_area_mm2: None,
        })
    });
    let all_available = all_available_in_us(leaves);
    Product {
        vendor: system.vendor.clone(),
        year: system.year,
        package: system.package.clone(),
        form_factor: system.form_factor,
        // The system's own flag or any of its contents' (one true makes the aggregate a
        // datacenter IC; a system stated not for datacenters does not hide a datacenter IC).
        designed_or_marketed_for_datacenter: either(
            system.designed_or_marketed_for_datacenter,
            any(leaves, |p| p.designed_or_marketed_for_datacenter),
        ),
        commercially_available_in_us: system.commercially_available_in_us.or(all_available),
        transistors: larger(system.transistors, sum(leaves, |p| p.transistors)),
        interconnect_bandwidth_gbps: larger(
            system.interconnect_bandwidth_gbps,
            sum(leaves, |p| p.interconnect_bandwidth_gbps),
        ),
        processing_units,
        logic_dies,
        memory,
        // Contents that are all memory stacks make no IC: the aggregate is a memory.
        ..Product::blank(
            &system.id,
            &system.name,
            if logic(leaves).next().is_none() { ProductKind::Memory } else { ProductKind::IntegratedCircuit },
        )
    }
}

/// The larger of a system's own figure and its contents' sum: an own figure below the sum
/// understates the aggregate, and the larger governs; either alone when the other is unknown.
fn larger(own: Option<Decimal>, contents: Option<Decimal>) -> Option<Decimal> {
    match (own, contents) {
        (Some(o), Some(c)) => Some(o.max(c)),
        (o, c) => o.or(c),
    }
}

/// Why a system's own rates understate it: their TPP is below the sum of its contents' (each
/// content's TPP as computed, a lower bound, times its count), so they cannot be the figures of
/// the contents read as one IC (15 CFR 774 Supp. No. 1, 3A090 Technical Note: TPP at the highest
/// level of integration; ref §1.6). `None` when they are not below it, or when it cannot be
/// told (no own rates, unknown contents, a content's TPP unknown). A content of kind `memory`
/// has no TPP.
fn own_tpp_understated(system: &Product, leaves: &[Leaf]) -> Option<String> {
    if system.processing_units.is_empty() || leaves.iter().any(|l| l.unknown.is_some()) {
        return None;
    }
    let own = Metrics::of(system).tpp?;
    let mut contents = Decimal::ZERO;
    for l in leaves {
        if l.product.kind == ProductKind::Memory && l.product.processing_units.is_empty() {
            continue;
        }
        let tpp = Metrics::of(&l.product).tpp?;
        contents = contents.checked_add(tpp.checked_mul(Decimal::from(l.count))?)?;
    }
    (own < contents).then(|| {
        format!(
            "The own rates of {} give TPP {}, below the {} its contents give together: they are not used, and the contents' rates and dies are read as the aggregate IC",
            system.id,
            own.normalize(),
            contents.normalize()
        )
    })
}

/// For a computer, its contents as the rules test them: one unit per distinct leaf product
/// (with counts; a placeholder for unknown contents), and their aggregate as one IC (which
/// answers to every content's vendor), with a warning when the system's own rates understate
/// its contents. Nothing for another product.
fn contents_of(product: &Product, depth: usize) -> (Vec<Unit>, Vec<Unit>, Option<String>) {
    if product.kind != ProductKind::Computer {
        return (Vec::new(), Vec::new(), None);
    }
    let mut leaves = Vec::new();
    leaves_of(product, 1, depth, (Some(false), None), &[], &mut leaves);
    let understated = own_tpp_understated(product, &leaves);
    if let Some(missing) = contents_short(product, &leaves) {
        leaves.push(unknown_leaf(&product.id, &product.name, 1, missing));
    }
    let agg = aggregate_of(product, &leaves);
    let unknown = leaves.iter().find_map(|l| l.unknown.clone());
    let parts: Vec<Unit> = leaves
        .into_iter()
        .map(|l| Unit {
            prefix: Some(l.product.id.clone()),
            placeholder: l.unknown.is_some(),
            unknown_contents: l.unknown,
            datacenter_of: l.datacenter_of,
            count: l.count,
            product: {
                let mut p = PreparedProduct::prepare(l.product, depth + 1, false);
                p.answer_also_to(l.around);
                p
            },
        })
        .collect();
    let mut agg = PreparedProduct::prepare(agg, depth + 1, true);
    agg.vendor_unknown = parts.iter().any(|p| p.placeholder || p.product.vendor_unknown);
    agg.vendor_unreadable = parts.iter().any(|p| p.product.vendor_unreadable);
    agg.vendors = PreparedProduct::vendors_of(parts.iter().map(|p| &p.product));
    agg.vendor_keys = parts.iter().flat_map(|p| p.product.vendor_keys.iter().cloned()).collect();
    agg.vendor_splits = parts.iter().flat_map(|p| p.product.vendor_splits.iter().cloned()).collect();
    agg.vendor_folded = parts.iter().flat_map(|p| p.product.vendor_folded.iter().cloned()).collect();
    let mut aggregate = vec![Unit {
        product: agg,
        count: 1,
        prefix: None,
        unknown_contents: unknown,
        placeholder: false,
        datacenter_of: None,
    }];
    // A memory stack is tested as itself under the aggregate reading too (3A090.c classifies
    // memory, never an IC: 89 FR 96790).
    aggregate.extend(parts.iter().filter(|u| !u.placeholder && u.product.product.kind == ProductKind::Memory).cloned());
    (parts, aggregate, understated)
}

/// Why `contains` cannot be all a system holds, or cannot be shown to be: its own figures are
/// above what its contents can give, so a processor or a memory is missing from the list (or the
/// list is not what it holds), and the rules, which test a system through its contents, would
/// not see it (tester round 6, S7: a board of eight L20 with 32,000 GB/s of HBM3 of its own was
/// decided on the L20s). Compared: its own rates' TPP with the most its contents' TPPs give
/// ([`tpp_short`]); its own memory and interconnect bandwidths with the sums of its contents'
/// ([`bandwidths_short`]); an own HBM memory with its contents' HBM ([`hbm_short`]).
///
/// Three-valued: when a content's figure is unknown (or its TPP only a lower bound) and the
/// contents' known figures do not already account for the own figure, whether a part is missing
/// cannot be told, and the contents are open too, naming the content's figure: hiding a fact
/// must never turn an open answer into a decided one (the pack generator's finding: a content's
/// memory bandwidth left out made a short system decided). `None` when the contents account for
/// every own figure, or when the contents are unknown (named already).
fn contents_short(system: &Product, leaves: &[Leaf]) -> Option<String> {
    if leaves.iter().any(|l| l.unknown.is_some()) {
        return None;
    }
    let checks = [tpp_short(system, leaves)]
        .into_iter()
        .chain(bandwidths_short(system, leaves))
        .chain([hbm_short(system, leaves)]);
    let (mut short, mut open) = (Vec::new(), Vec::new());
    for check in checks {
        match check {
            Accounted::Yes => {}
            Accounted::Short(why) => short.push(why),
            Accounted::Unknown(why) => open.push(why),
        }
    }
    let tail = match (short.len(), open.is_empty()) {
        (0, _) => "whether a processor or a memory is missing from `contains` cannot be told until these are given",
        (1, true) if short.first().is_some_and(|w| w.starts_with("its own rates")) => {
            "a processor is missing from `contains`"
        }
        _ => "a processor or a memory is missing from `contains`, or the contents listed are not what it holds",
    };
    short.extend(open);
    (!short.is_empty()).then(|| format!("contains of {} ({}: {tail})", system.id, short.join("; ")))
}

/// Whether a system's contents account for one of its own figures ([`contents_short`]).
enum Accounted {
    /// They do, or there is no own figure to account for.
    Yes,
    /// They cannot: the comparison.
    Short(String),
    /// It cannot be told: the comparison with the contents' known figures, and the unknown ones.
    Unknown(String),
}

impl Accounted {
    /// `own` against what the contents with a known figure give (`known`, `None` past the
    /// arithmetic's range: more than any own figure), the contents whose figure is unknown
    /// named in `unknown` (`id: figure`).
    fn compare(own: Decimal, known: Option<Decimal>, unknown: &[String], what: impl Fn(Decimal) -> String) -> Self {
        match known {
            Some(known) if own > known && unknown.is_empty() => Accounted::Short(what(known)),
            Some(known) if own > known => {
                Accounted::Unknown(format!("{} with a known figure; unknown: {}", what(known), unknown.join(", ")))
            }
            _ => Accounted::Yes,
        }
    }
}

/// The sum over `leaves` of a figure times each leaf's count, over the leaves where `f` gives
/// it, and the leaves where it does not (`id: name`). The sum is `None` past the arithmetic's
/// range.
fn known_sum(leaves: &[Leaf], name: &str, f: impl Fn(&Product) -> Option<Decimal>) -> (Option<Decimal>, Vec<String>) {
    let mut unknown = Vec::new();
    let mut total = Some(Decimal::ZERO);
    for l in leaves {
        match f(&l.product) {
            Some(v) => total = total.and_then(|t| t.checked_add(v.checked_mul(Decimal::from(l.count))?)),
            None => unknown.push(format!("{}: {name}", l.product.id)),
        }
    }
    (total, unknown)
}

/// Whether a system's own rates give a TPP above the most its contents can give (each
/// content's TPP, exact or up to its `tpp_reported`, times its count). A content whose TPP is
/// unknown, or only a lower bound, may give any more: then it cannot be told unless the
/// others' already account for it. A content of kind `memory` has no TPP (its sheet has no
/// rates). No own rates: nothing to account for.
fn tpp_short(system: &Product, leaves: &[Leaf]) -> Accounted {
    if system.processing_units.is_empty() {
        return Accounted::Yes;
    }
    let Some(own) = Metrics::of(system).tpp else { return Accounted::Yes };
    let processors: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| !(l.product.kind == ProductKind::Memory && l.product.processing_units.is_empty()))
        .collect();
    let mut unknown = Vec::new();
    let mut most = Some(Decimal::ZERO);
    for l in processors {
        let m = Metrics::of(&l.product);
        let at_most = match (m.tpp_bound, m.tpp) {
            (TppBound::Exact, Some(t)) => t,
            (TppBound::UpTo(r), _) => r,
            (TppBound::AtLeast, Some(t)) => {
                unknown.push(format!("{}: {} (only a lower bound)", l.product.id, Attr::Tpp.name()));
                t
            }
            _ => {
                unknown.push(format!("{}: {}", l.product.id, Attr::Tpp.name()));
                Decimal::ZERO
            }
        };
        most = most.and_then(|s| s.checked_add(at_most.checked_mul(Decimal::from(l.count))?));
    }
    Accounted::compare(own, most, &unknown, |most| {
        format!("its own rates give TPP {}, more than the {} its contents can give", own.normalize(), most.normalize())
    })
}

/// A system's own memory and interconnect bandwidths (GB/s) against the sums of its contents'
/// (each content's figure times its count; a memory stack has no interconnect of its own).
fn bandwidths_short(system: &Product, leaves: &[Leaf]) -> [Accounted; 2] {
    let own_memory = system.memory.as_ref().and_then(|m| m.bandwidth_gbps);
    let memory = known_sum(leaves, Attr::MemoryBandwidth.name(), |p| p.memory.as_ref()?.bandwidth_gbps);
    let interconnect = known_sum(leaves, Attr::InterconnectBandwidth.name(), |p| {
        if p.kind == ProductKind::Memory {
            Some(p.interconnect_bandwidth_gbps.unwrap_or_default())
        } else {
            p.interconnect_bandwidth_gbps
        }
    });
    let compare = |name: &str, own: Option<Decimal>, (known, unknown): (Option<Decimal>, Vec<String>)| match own {
        None => Accounted::Yes,
        Some(own) => Accounted::compare(own, known, &unknown, |contents| {
            format!(
                "its own {name} {} GB/s, more than the {} GB/s its contents can give",
                own.normalize(),
                contents.normalize()
            )
        }),
    };
    [
        compare("memory bandwidth", own_memory, memory),
        compare("interconnect bandwidth", system.interconnect_bandwidth_gbps, interconnect),
    ]
}

/// A system's own memory stated HBM against its contents': short when none of them has HBM,
/// open when none is known to and some are not known.
fn hbm_short(system: &Product, leaves: &[Leaf]) -> Accounted {
    if system.memory.as_ref().is_none_or(|m| m.hbm != Some(true)) {
        return Accounted::Yes;
    }
    match any(leaves, |p| p.memory.as_ref()?.hbm) {
        Some(true) => Accounted::Yes,
        Some(false) => Accounted::Short("its own memory is HBM, and none of its contents has HBM".into()),
        None => {
            let unknown: Vec<String> = leaves
                .iter()
                .filter(|l| l.product.memory.as_ref().and_then(|m| m.hbm).is_none())
                .map(|l| format!("{}: {}", l.product.id, Attr::Hbm.name()))
                .collect();
            Accounted::Unknown(format!(
                "its own memory is HBM, and none of its contents is known to have HBM; unknown: {}",
                unknown.join(", ")
            ))
        }
    }
}

/// Whether a leaf is a memory stack (`kind = "memory"`): it has no rates or logic dies (E0218),
/// so the aggregate IC's rates and dies come from the other contents, and it is tested as
/// itself under either reading (3A090.c classifies memory).
fn is_memory(l: &Leaf) -> bool {
    l.unknown.is_none() && l.product.kind == ProductKind::Memory
}

/// The leaves that are not memory stacks ([`is_memory`]).
fn logic(leaves: &[Leaf]) -> impl Iterator<Item = &Leaf> {
    leaves.iter().filter(|l| !is_memory(l))
}

/// A system's processing units: its own, else (when every content is known and has rates)
/// each content's, its rates scaled by the count.
fn aggregate_rates(system: &Product, leaves: &[Leaf], known: bool) -> Vec<ProcessingUnit> {
    if !system.processing_units.is_empty() {
        system.processing_units.clone()
    } else if known && logic(leaves).all(|l| !l.product.processing_units.is_empty()) {
        let scale = |count: u64, r: &Rate| -> Option<Rate> {
            Some(Rate { precision: r.precision, tops: r.tops.checked_mul(Decimal::from(count))? })
        };
        let units: Option<Vec<ProcessingUnit>> = logic(leaves)
            .flat_map(|l| l.product.processing_units.iter().map(move |u| (l, u)))
            .map(|(l, u)| {
                let rates: Option<Vec<Rate>> = u.rates.iter().map(|r| scale(l.count, r)).collect();
                Some(ProcessingUnit {
                    name: format!("{} x{}: {}", l.product.id, l.count, u.name),
                    rates: rates?,
                    complete: u.complete,
                    unsupported: u.unsupported.clone(),
                })
            })
            .collect();
        units.unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// A system's logic dies: its own, else (when every content is known and has dies) each
/// content's, counted as many times as the content.
fn aggregate_dies(system: &Product, leaves: &[Leaf], known: bool) -> Vec<LogicDie> {
    if !system.logic_dies.is_empty() {
        system.logic_dies.clone()
    } else if known && logic(leaves).all(|l| !l.product.logic_dies.is_empty()) {
        let dies: Option<Vec<LogicDie>> = logic(leaves)
            .flat_map(|l| l.product.logic_dies.iter().map(move |d| (l, d)))
            .map(|(l, d)| {
                let count = u32::try_from(u64::from(d.count).checked_mul(l.count)?).ok()?;
                Some(LogicDie { count, ..d.clone() })
            })
            .collect();
        dies.unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// Whether every content is commercially available in the US: false when one is not, unknown
/// when one is unknown.
fn all_available_in_us(leaves: &[Leaf]) -> Option<bool> {
    let vals: Vec<Option<bool>> = leaves
        .iter()
        .map(|l| if l.unknown.is_some() { None } else { l.product.commercially_available_in_us })
        .collect();
    if vals.contains(&Some(false)) {
        Some(false)
    } else if vals.iter().all(|v| *v == Some(true)) {
        Some(true)
    } else {
        None
    }
}

/// The value of `a` read from a product's figures and metrics.
fn compute(product: &Product, kind: ProductKind, metrics: &Metrics, a: Attr) -> Option<Value> {
    let num = |d: Option<Decimal>| d.map(|d| Value::Num(Ratio::from_decimal(d)));
    // The stated bandwidths, less those set aside (read once per attribute that needs them).
    let bandwidths = || {
        let (mem_aside, io_aside) = set_aside_bandwidths(product);
        let mem = product.memory.as_ref().and_then(|m| m.bandwidth_gbps).filter(|_| mem_aside.is_none());
        (mem, product.interconnect_bandwidth_gbps.filter(|_| io_aside.is_none()))
    };
    match a {
        Attr::Tpp => metrics.tpp.map(|t| bounded(Ratio::from_decimal(t), metrics.tpp_bound, Ratio::from_decimal)),
        Attr::PerformanceDensity => {
            let area = metrics.applicable_die_area?;
            let pd =
                metrics.performance_density.map(|pd| bounded(pd, metrics.tpp_bound, |r| Ratio { num: r, den: area }));
            // A die count nothing confirms is read as 1 up to the count stated (tester round 9, U5).
            match crate::model::least_applicable_area(product).filter(|a| kind != ProductKind::Computer && !a.is_zero())
            {
                Some(least) => pd.map(|pd| up_to_least_area(pd, least)),
                None => pd,
            }
        }
        Attr::ApplicableDieArea => num(metrics.applicable_die_area),
        Attr::InterconnectBandwidth => num(bandwidths().1),
        Attr::MemoryBandwidth => num(bandwidths().0),
        Attr::MemoryAndInterconnectBandwidth => {
            let (mem, io) = bandwidths();
            num(mem.zip(io).and_then(|(m, i)| m.checked_add(i)))
        }
        Attr::MemoryBandwidthDensity => metrics.memory_bandwidth_density.map(Value::Num),
        // A count that cannot be checked against its dies is read as at least the count stated
        // (a slip only lowers it): see `crate::model::unchecked_transistors`.
        Attr::Transistors => match crate::model::unchecked_transistors(product) {
            Some(_) => product.transistors.map(|t| Value::Range { lo: Ratio::from_decimal(t), hi: None }),
            None => num(product.transistors),
        },
        // `false` against the sheet's own datacenter design features is not taken as given.
        Attr::DesignedOrMarketedForDatacenter => match product.designed_or_marketed_for_datacenter {
            Some(false) if !flag_doubts(product).is_empty() => None,
            flag => flag.map(Value::Bool),
        },
        Attr::Hbm => product.memory.as_ref().and_then(|m| m.hbm).map(Value::Bool),
        Attr::CommerciallyAvailableInUs => product.commercially_available_in_us.map(Value::Bool),
        // Planar flags beyond any planar die's density are not taken (tester round 9, U7b).
        Attr::ApplicableAdvancedLogic => applicable_advanced_logic(product)
            .filter(|v| *v || crate::model::planar_flags_doubted(product, metrics.tpp).is_none())
            .map(Value::Bool),
        Attr::MainFunctionLogic => match kind {
            ProductKind::IntegratedCircuit if crate::model::main_function_logic_doubt(product).is_some() => None,
            k => Some(Value::Bool(k == ProductKind::IntegratedCircuit)),
        },
        // The kind of the product itself (a computer's aggregate is read as an IC).
        Attr::Kind => Some(Value::Kind(kind)),
        // Text and transaction facts: answered by the evaluation's environment.
        Attr::Vendor
        | Attr::Name
        | Attr::FrontEndFabricatorOrOsat
        | Attr::ApprovedIcDesignerAttestation
        | Attr::PackagedOutsideD5OrMacau
        | Attr::PackagedByFrontEndFabricatorOrApprovedOsat => None,
    }
}

/// The applicable die area's missing inputs: whether each die with an area is non-planar, and
/// the area of each die that counts (or may).
fn area_missing(product: &Product, out: &mut Vec<String>) {
    let dies = &product.logic_dies;
    let architecture = dies.iter().any(|d| d.non_planar.is_none());
    if architecture {
        out.push("non_planar".into());
    }
    // Every die stated planar: the applicable area is known, 0 mm² (the technical notes to ECCN
    // 3A090, 88 FR 73458, count only logic dies of a non-planar transistor architecture, so a
    // planar die's area is never it), and the density undefined: named with why, not asked for.
    if !dies.is_empty() && dies.iter().all(|d| d.non_planar == Some(false)) {
        out.push(format!("{} ({PLANAR_AREA})", Attr::ApplicableDieArea.name()));
        return;
    }
    // No die, or a die that counts (or may) without its area.
    if !architecture || dies.iter().any(|d| d.non_planar != Some(false) && d.area_mm2.is_none()) {
        out.push(Attr::ApplicableDieArea.name().into());
    }
}

/// Why the applicable die area of an IC whose every logic die is stated planar leaves its
/// performance density open (tester round 12, T11): the area is not the dies' area but 0 mm²,
/// as the Technical Note to 3A090.a and .b (88 FR 73458) counts only "logic dies manufactured
/// with a process node that uses a non-planar transistor architecture"; TPP over 0 mm² is
/// undefined, and how 3A090.a.2 and .b read such an IC is not settled (rules/us-ear/NOTES.md §3).
const PLANAR_AREA: &str = "0 mm²: every logic die is stated planar, and only non-planar logic dies count (Technical Note to 3A090.a and .b, 88 FR 73458), so the performance density is undefined and whether a fully planar IC meets 3A090.a.2 or .b is not settled: confirm the classification with BIS";

/// Interconnect bandwidth at or above which a chip-to-chip link is of the NVLink class, GB/s:
/// the 600 GB/s line of the 2022 3A090 text, set at the A100's NVLink (87 FR 62186; ref §1.5).
const NVLINK_CLASS_GBPS: u32 = 600;

/// The datacenter design features a sheet shows, in words: HBM, an interconnect of the NVLink
/// class ([`NVLINK_CLASS_GBPS`]), an SXM or OAM module package. BIS and practitioners read
/// "designed or marketed for use in datacenters" (Note 2 to 3A090.a and .b) from such
/// datacenter-specific design features, e.g. a high-bandwidth connection socket, and from the
/// marketing (88 FR 73458; CSET explainer, rules/us-ear/NOTES.md §3). Empty when none.
pub(crate) fn datacenter_features(product: &Product) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = &product.memory
        && (m.hbm == Some(true) || m.kind.as_deref().is_some_and(crate::model::names_hbm))
    {
        out.push("HBM".to_string());
    }
    if let Some(io) = product.interconnect_bandwidth_gbps
        && io >= rust_decimal::Decimal::from(NVLINK_CLASS_GBPS)
    {
        out.push(format!("interconnect {} GB/s (NVLink class, at least {NVLINK_CLASS_GBPS})", io.normalize()));
    }
    // Read as names are: a full-width `ＳＸＭ5` or `S.X.M.5` is an SXM package (tester round 6, S4).
    if let Some(form) = crate::model::module_package(product) {
        out.push(format!("{form} module package"));
    }
    out
}

/// The rate lists of `figures` that do not give the TPP exactly, each by its name: not stated
/// complete, or stated complete and doubted ([`crate::model::complete_rates_doubted`]: FP64/FP32
/// alone for a part designed for AI), with why.
fn rate_lists_not_exact(figures: &Product) -> Vec<String> {
    let name = |u: &crate::model::ProcessingUnit| match crate::model::complete_rates_doubted(figures, u) {
        Some(why) if u.rates_complete() => format!("{} ({why})", u.rate_list_name()),
        _ => u.rate_list_name(),
    };
    figures.processing_units.iter().filter(|u| !crate::model::rates_exact(figures, u)).map(name).collect()
}

/// The memory and interconnect bandwidths stated too low to be taken as given, each with why
/// (see [`crate::model::MIN_DATACENTER_MEMORY_GBPS`] and
/// [`crate::model::MIN_DATACENTER_INTERCONNECT_GBPS`]): read as unknown, so that a rule they
/// decide (the "is informed" letters, the 2022 3A090 interconnect test) is `indeterminate`.
fn set_aside_bandwidths(product: &Product) -> (Option<String>, Option<String>) {
    let datacenter =
        product.designed_or_marketed_for_datacenter == Some(true) || !datacenter_features(product).is_empty();
    let mem = crate::model::implausible_memory_bandwidth(product, datacenter);
    let io = product.interconnect_bandwidth_gbps.and_then(|io| crate::model::implausible_interconnect(io, datacenter));
    (mem, io)
}

/// What `missing` names for an unknown memory or interconnect bandwidth: its name, with why a
/// stated figure is read as unknown.
fn bandwidth_missing(product: &Product, a: Attr) -> String {
    let (mem, io) = set_aside_bandwidths(product);
    let why = if a == Attr::MemoryBandwidth { mem } else { io };
    match why {
        Some(why) => format!("{} ({why})", a.name()),
        None => a.name().into(),
    }
}

/// What contradicts `designed_or_marketed_for_datacenter = false`: the sheet's datacenter design
/// features ([`datacenter_features`]) and its own text marketing the part for datacenters
/// ([`crate::model::datacenter_marketing`]: the name or package says `data center` or `server`,
/// tester round 12, T7). Empty when nothing does.
fn flag_doubts(product: &Product) -> Vec<String> {
    let mut out = datacenter_features(product);
    out.extend(crate::model::datacenter_marketing(product));
    out
}

/// A warning when `designed_or_marketed_for_datacenter = false` sits beside datacenter design
/// features: the flag is then unknown wherever it decides (Note 2 to 3A090.a and .b, License
/// Exceptions NAC/ACA), never taken as given.
fn datacenter_flag_contradicted(product: &Product) -> Option<String> {
    if product.designed_or_marketed_for_datacenter != Some(false) {
        return None;
    }
    let features = flag_doubts(product);
    (!features.is_empty()).then(|| {
        format!(
            "designed_or_marketed_for_datacenter is stated false, but the sheet shows datacenter design features ({}); the flag is read as unknown wherever it decides (Note 2 to 3A090.a and .b, License Exceptions NAC/ACA): confirm it from the datasheet and the marketing",
            features.join(", ")
        )
    })
}

/// Whether the product is an "applicable advanced logic integrated circuit" (15 CFR 772.1):
/// some logic die is non-planar or produced at the 16/14 nm node or below. `false` only when
/// every die is known planar and known above that node; `None` with no die listed, or while a
/// die that might qualify leaves either fact unstated.
fn applicable_advanced_logic(product: &Product) -> Option<bool> {
    let dies = &product.logic_dies;
    if dies.iter().any(|d| d.non_planar == Some(true) || d.at_or_below_16_14nm == Some(true)) {
        return Some(true);
    }
    let all_known = !dies.is_empty() && dies.iter().all(|d| d.non_planar.is_some() && d.at_or_below_16_14nm.is_some());
    all_known.then_some(false)
}

/// What leaves [`applicable_advanced_logic`] unknown: no `[[logic_die]]`, or the die facts
/// unstated (`non_planar`, `at_or_below_16_14nm`).
fn advanced_logic_missing(product: &Product, out: &mut Vec<String>) {
    let dies = &product.logic_dies;
    if dies.is_empty() {
        out.push("logic_die".into());
    }
    if dies.iter().any(|d| d.non_planar.is_none()) {
        out.push("non_planar".into());
    }
    if dies.iter().any(|d| d.at_or_below_16_14nm.is_none()) {
        out.push("at_or_below_16_14nm".into());
    }
}

/// A performance density whose highest value is over the `least` applicable die area (see
/// [`crate::model::least_applicable_area`]): a range up to it, unbounded when the TPP is.
fn up_to_least_area(pd: Value, least: Decimal) -> Value {
    match pd {
        Value::Num(lo) => Value::Range { lo, hi: Some(Ratio { num: lo.num, den: least }) },
        Value::Range { lo, hi } => Value::Range { lo, hi: hi.map(|h| Ratio { num: h.num, den: least }) },
        other => other,
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

/// The metrics as decimal strings (densities rounded to 4 places for display). An invalid
/// product's figures were not used, so none is shown.
fn metrics_report(product: &PreparedProduct) -> MetricsReport {
    let valid = product.is_valid();
    let m = &product.metrics;
    let show = |d: Option<rust_decimal::Decimal>| d.filter(|_| valid).map(|d| d.normalize().to_string());
    let mem = product.product.memory.as_ref();
    let (tpp_is_lower_bound, tpp_upper_bound) = match (m.tpp.filter(|_| valid), m.tpp_bound) {
        (None, _) | (_, TppBound::Exact) => (false, None),
        (Some(_), TppBound::AtLeast) => (true, None),
        (Some(_), TppBound::UpTo(r)) => (true, show(Some(r))),
    };
    MetricsReport {
        tpp: show(m.tpp),
        tpp_is_lower_bound,
        tpp_upper_bound,
        tpp_terms: if valid { m.tpp_terms.clone() } else { Vec::new() },
        applicable_die_area: show(m.applicable_die_area),
        performance_density: m.performance_density.filter(|_| valid).map(|r| r.rounded(4).to_string()),
        interconnect_bandwidth: show(product.product.interconnect_bandwidth_gbps),
        memory_bandwidth: show(mem.and_then(|m| m.bandwidth_gbps)),
        memory_bandwidth_density: m.memory_bandwidth_density.filter(|_| valid).map(|r| r.rounded(4).to_string()),
        rounding: std::borrow::Cow::Borrowed(
            "densities are shown rounded to 4 decimal places; every threshold comparison uses exact values",
        ),
    }
}
