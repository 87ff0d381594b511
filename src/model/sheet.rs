//! Product sheets: the TOML form of a [`Product`] (see rules/README.md for the format).
//!
//! Figures are exact decimals taken from the literal text (see [`crate::number`]); units are
//! fixed per key (GB/s, mm², GB, TOPS) and a quoted figure may repeat its unit (`"3350 GB/s"`).
//! Unknown keys, wrong types, negative or zero figures, impossible counts and contradictory
//! rate lists are refused with the file, line and column; the checks are those of
//! [`Product::validate`] (see `validate.rs`), which applies them to a product made any other way.
//!
//! A rate list (`[dense_tops]`) gives the TPP exactly only when it says it is complete
//! (`complete = true`) or names every precision it leaves out (`unsupported = [...]`);
//! otherwise the TPP is a lower bound (see [`ProcessingUnit`]).

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::figures::{Figure, Problem, names_hbm};
use super::plausible;
use super::product::{
    Contained, FormFactor, LogicDie, Memory, Precision, ProcessingUnit, Product, ProductKind, Rate, SINGLE_UNIT,
};
use super::validate;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::number::{NumLit, exact_decimal, slice};

type Num = Spanned<NumLit>;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct SheetFile {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "String")]
    name: Spanned<String>,
    #[schemars(with = "String")]
    vendor: Spanned<String>,
    #[schemars(with = "Option<i64>")]
    year: Option<Spanned<i64>>,
    #[schemars(with = "crate::model::KindLit")]
    kind: Spanned<String>,
    package: Option<String>,
    /// The physical form (`pcie_card`, `module`, `chip`); see [`FormFactor`].
    form_factor: Option<FormFactor>,
    designed_or_marketed_for_datacenter: Option<bool>,
    commercially_available_in_us: Option<bool>,
    process_node: Option<String>,
    #[schemars(with = "Option<NumLit>")]
    transistors: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    interconnect_bandwidth: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    tpp_reported: Option<Num>,
    /// The vendor's published ECCN (`3A090.a`, `EAR99`): compared with the figures' (E0247
    /// when not written as an ECCN).
    #[schemars(with = "Option<String>")]
    declared_eccn: Option<Spanned<String>>,
    published_classification: Option<String>,
    confidence: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[schemars(with = "Option<DenseTops>")]
    dense_tops: Option<Spanned<DenseTops>>,
    #[serde(default)]
    processing_unit: Vec<UnitFile>,
    #[serde(default)]
    logic_die: Vec<DieFile>,
    /// `[[logic_die]]` lists every logic die of the package and `transistors` is the
    /// aggregate over them.
    logic_dies_complete: Option<bool>,
    memory: Option<MemoryFile>,
    /// For a computer or board: the products it contains, each a catalog id or an inline sheet,
    /// with a count.
    #[serde(default)]
    #[schemars(with = "Vec<ContainsFile>")]
    contains: Vec<Spanned<ContainsFile>>,
}

/// One entry of `contains`: `{ product = "nvidia-h20", count = 8 }` (a catalog id), or
/// `{ sheet = { ... }, count = 2 }` (an inline product sheet).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ContainsFile {
    /// Catalog id of the contained product.
    #[schemars(with = "Option<String>")]
    product: Option<Spanned<String>>,
    /// How many the system holds (1 to 100000).
    #[schemars(with = "i64")]
    count: Spanned<i64>,
    /// The contained product's own sheet, instead of a catalog id.
    sheet: Option<Box<SheetFile>>,
}

/// Where a key's value is in the sheet, if it is given.
type Span = Option<Range<usize>>;

/// Where a sheet gives the figures checked against each other (`None` where it does not).
struct FigureSpans {
    rates: Option<Range<usize>>,
    transistors: Option<Range<usize>>,
    die_areas: Vec<Option<Range<usize>>>,
    die_counts: Vec<Option<Range<usize>>>,
    /// Per logic die: its `at_or_below_16_14nm` flag, else its `non_planar` flag.
    die_flags: Vec<(Span, Span)>,
    memory_bandwidth: Option<Range<usize>>,
    hbm: Option<Range<usize>>,
    stack_area: Option<Range<usize>>,
    interconnect: Option<Range<usize>>,
}

impl FigureSpans {
    fn of(file: &SheetFile) -> Self {
        let m = file.memory.as_ref();
        FigureSpans {
            rates: file
                .dense_tops
                .as_ref()
                .map(|t| t.span())
                .or_else(|| file.processing_unit.first().map(|u| u.dense_tops.span())),
            transistors: file.transistors.as_ref().map(|t| t.span()),
            die_areas: file.logic_die.iter().map(|d| d.area.as_ref().map(|a| a.span())).collect(),
            die_counts: file.logic_die.iter().map(|d| d.count.as_ref().map(|c| c.span())).collect(),
            die_flags: file
                .logic_die
                .iter()
                .map(|d| (d.at_or_below_16_14nm.as_ref().map(|f| f.span()), d.non_planar.as_ref().map(|f| f.span())))
                .collect(),
            memory_bandwidth: m.and_then(|m| m.bandwidth.as_ref()).map(|b| b.span()),
            hbm: m.and_then(|m| m.hbm.as_ref()).map(|h| h.span()),
            stack_area: m.and_then(|m| m.stack_area.as_ref()).map(|a| a.span()),
            interconnect: file.interconnect_bandwidth.as_ref().map(|i| i.span()),
        }
    }
}

/// Deepest nesting of inline sheets in `contains`.
const MAX_CONTAINS_DEPTH: usize = 8;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    name: String,
    #[schemars(with = "DenseTops")]
    dense_tops: Spanned<DenseTops>,
}

/// Dense TOPS per precision; the field names are the product-sheet keys of [`Precision`]. Then
/// whether the list is complete, and the precisions the part does not support.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct DenseTops {
    #[schemars(with = "Option<NumLit>")]
    fp64: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp64_tensor: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp64_matrix: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp32: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp32_matrix: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    tf32: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    bf16: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp16: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    int16: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp8: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    int8: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp6: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    fp4: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    int4: Option<Num>,
    /// Every precision the part supports is listed (or none left out could set the maximum):
    /// the TPP is exact. Without it (or a full `unsupported` list) the TPP is a lower bound.
    #[schemars(with = "Option<bool>")]
    complete: Option<Spanned<bool>>,
    /// Precisions the part does not support, by key (`"fp64"`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    unsupported: Vec<Spanned<String>>,
}

impl DenseTops {
    fn entries(&self) -> [(Precision, &Option<Num>); 14] {
        use Precision::*;
        [
            (Fp64, &self.fp64),
            (Fp64Tensor, &self.fp64_tensor),
            (Fp64Matrix, &self.fp64_matrix),
            (Fp32, &self.fp32),
            (Fp32Matrix, &self.fp32_matrix),
            (Tf32, &self.tf32),
            (Bf16, &self.bf16),
            (Fp16, &self.fp16),
            (Int16, &self.int16),
            (Fp8, &self.fp8),
            (Int8, &self.int8),
            (Fp6, &self.fp6),
            (Fp4, &self.fp4),
            (Int4, &self.int4),
        ]
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct DieFile {
    #[schemars(with = "Option<String>")]
    name: Option<Spanned<String>>,
    #[schemars(with = "Option<NumLit>")]
    area: Option<Num>,
    #[schemars(with = "Option<i64>")]
    count: Option<Spanned<i64>>,
    #[schemars(with = "Option<bool>")]
    non_planar: Option<Spanned<bool>>,
    #[schemars(with = "Option<bool>")]
    at_or_below_16_14nm: Option<Spanned<bool>>,
    /// The die is one wafer-scale or multi-reticle die, larger than one exposure field (858 mm²).
    wafer_scale: Option<bool>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct MemoryFile {
    kind: Option<String>,
    #[schemars(with = "Option<NumLit>")]
    bandwidth: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    capacity: Option<Num>,
    #[schemars(with = "Option<bool>")]
    hbm: Option<Spanned<bool>>,
    #[schemars(with = "Option<NumLit>")]
    stack_area: Option<Num>,
}

const TOPS: &[&str] = &["TOPS", "TFLOPS"];
const GBPS: &[&str] = &["GB/s", "GBps"];
const MM2: &[&str] = &["mm2", "mm²"];
const GB: &[&str] = &["GB"];

/// Reads figures from one sheet, collecting every problem rather than stopping at the first.
struct Reader<'a> {
    src: &'a SourceFile,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn num(&mut self, n: &Option<Num>, units: &[&str]) -> Option<Decimal> {
        let n = n.as_ref()?;
        let raw = slice(&self.src.text, &n.span());
        match exact_decimal(n.get_ref(), &raw, units) {
            Ok(v) => Some(v),
            Err(msg) => {
                self.errors.push(self.src.error(Code::E0201, n.span(), msg));
                None
            }
        }
    }

    /// A figure that must be greater than zero (every figure of a sheet: zero is not a figure).
    fn positive(&mut self, n: &Option<Num>, units: &[&str], figure: Figure) -> Option<Decimal> {
        let v = self.num(n, units)?;
        if v.is_zero() {
            let span = n.as_ref().map(|n| n.span()).unwrap_or(0..0);
            self.problem(span, validate::zero(figure));
            return None;
        }
        Some(v)
    }

    /// A transistor count: positive, whole and at least 1,000,000 (E0223), else none.
    fn transistors(&mut self, n: &Option<Num>) -> Option<Decimal> {
        let v = self.positive(n, &[], Figure::Transistors)?;
        if let Some(p) = validate::transistor_count(v) {
            let span = n.as_ref().map(|n| n.span()).unwrap_or(0..0);
            self.problem(span, p);
            return None;
        }
        Some(v)
    }

    /// One rate list: its rates, whether it is stated complete, and its unsupported precisions.
    fn unit(&mut self, name: &str, tops: &DenseTops, at: Range<usize>) -> ProcessingUnit {
        let mut rates = Vec::new();
        for (precision, value) in tops.entries() {
            if let Some(v) = self.positive(value, TOPS, Figure::Rate) {
                rates.push(Rate { precision, tops: v });
            }
        }
        let mut unsupported = Vec::new();
        for u in &tops.unsupported {
            let Some(p) = Precision::parse(u.get_ref()) else {
                let names = Precision::ALL.map(Precision::as_str);
                let help = did_you_mean(u.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
                let d = self
                    .src
                    .error(
                        Code::E0212,
                        u.span(),
                        format!(
                            "unknown precision `{}` in `unsupported`; expected one of {}",
                            u.get_ref(),
                            names.join(", ")
                        ),
                    )
                    .with_help_opt(help);
                self.errors.push(d);
                continue;
            };
            if unsupported.contains(&p) {
                self.problem(u.span(), validate::twice(p));
            } else if tops.entries().iter().any(|(q, v)| *q == p && v.is_some()) {
                self.problem(u.span(), validate::rate_and_unsupported(p));
            }
            unsupported.push(p);
        }
        let complete = tops.complete.as_ref().is_some_and(|c| *c.get_ref());
        let unit = ProcessingUnit { name: name.to_string(), rates, complete, unsupported };
        let no_rate = tops.entries().iter().all(|(_, v)| v.is_none());
        if no_rate && unit.rates_complete() {
            self.problem(tops.complete.as_ref().map_or(at, |c| c.span()), validate::complete_without_rates());
        }
        unit
    }

    fn problem(&mut self, span: Range<usize>, p: Problem) {
        let d = self.src.error(p.code, span, p.message).with_help_opt(p.help);
        self.errors.push(d);
    }

    fn error(&mut self, span: Range<usize>, code: Code, msg: impl Into<String>) {
        self.errors.push(self.src.error(code, span, msg));
    }
}

/// JSON Schema of product sheets.
pub fn sheet_schema() -> schemars::Schema {
    schemars::schema_for!(SheetFile)
}

/// Largest product sheet, transaction or rule-test file accepted, in bytes (1 MiB).
pub const MAX_SHEET_BYTES: usize = 1024 * 1024;

/// Parses one product sheet.
///
/// # Errors
/// Every problem found, each with file, line and column; no product is returned unless the
/// whole sheet is valid.
pub fn parse_product_sheet(src: &SourceFile) -> Result<Product, Diagnostics> {
    parse_product_sheet_refs(src).map(|(p, _)| p)
}

/// Parses one product sheet, with the span of each catalog id its `contains` names (in the
/// order [`Product::contained_refs`] visits them), for errors found when the ids are resolved.
pub(crate) fn parse_product_sheet_refs(src: &SourceFile) -> Result<(Product, Vec<Range<usize>>), Diagnostics> {
    if src.text.len() > MAX_SHEET_BYTES {
        return Err(Diagnostics(vec![
            src.file_error(Code::E0210, format!("a product sheet is larger than {MAX_SHEET_BYTES} bytes")),
        ]));
    }
    let file: SheetFile = toml::from_str(&src.text).map_err(|e| Diagnostics(vec![src.toml_error(&e)]))?;
    let mut r = Reader { src, errors: Vec::new() };
    let mut refs = Vec::new();
    let product = r.product(file, 0, &mut refs);
    if r.errors.is_empty()
        && let Some(e) = contained_total_error(src, &product)
    {
        r.errors.push(e);
    }
    if r.errors.is_empty() { Ok((product, refs)) } else { Err(Diagnostics(r.errors)) }
}

/// E0224 for a sheet whose product holds more than [`validate::MAX_CONTAINED_TOTAL`] products
/// in all (its inline sheets, and the catalog sheets its ids name once they are resolved),
/// placed at the sheet's `contains`.
pub(crate) fn contained_total_error(src: &SourceFile, product: &Product) -> Option<Diagnostic> {
    let p = validate::contained_total_problem(product)?;
    let span = contains_span(&src.text);
    Some(src.error(p.code, span, p.message).with_help_opt(p.help))
}

/// The span of the first `contains` key of a sheet (`contains = [` or `[[contains]]`), or
/// the start of the file.
fn contains_span(text: &str) -> Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let at = offset + (line.len() - t.len());
        if let Some(rest) = t.strip_prefix("contains")
            && rest.trim_start().starts_with('=')
        {
            return at..at + "contains".len();
        }
        if t.starts_with("[[contains]]") {
            return at..at + "[[contains]]".len();
        }
        offset += line.len();
    }
    0..0
}

impl Reader<'_> {
    /// The product of one sheet (the file's, or an inline sheet of `contains` at `depth`); the
    /// span of each catalog id named in `contains` is pushed to `refs`, in the order
    /// [`Product::contained_refs`] visits them.
    fn product(&mut self, mut file: SheetFile, depth: usize, refs: &mut Vec<Range<usize>>) -> Product {
        let r = self;
        let id = file.id.get_ref().clone();
        if let Some(p) = validate::id(&id) {
            r.problem(file.id.span(), p);
        }
        for (field, text) in [("name", &file.name), ("vendor", &file.vendor)] {
            if let Some(p) = validate::direction_control(field, text.get_ref()) {
                r.problem(text.span(), p);
            }
            if let Some(p) = validate::control_character(field, text.get_ref()) {
                r.problem(text.span(), p);
            }
        }
        if let Some(p) = validate::blank_name(file.name.get_ref()) {
            r.problem(file.name.span(), p);
        }
        if let Some(d) = &file.declared_eccn
            && let Some(p) = super::eccn::declared_eccn(d.get_ref())
        {
            r.problem(d.span(), p);
        }
        let kind = r.kind(&file.kind);
        let year = file.year.as_ref().and_then(|y| match validate::year(*y.get_ref()) {
            None => u16::try_from(*y.get_ref()).ok(),
            Some(p) => {
                r.problem(y.span(), p);
                None
            }
        });
        let processing_units = r.processing_units(&file);
        r.kind_against_contents(&file, kind, &processing_units);
        r.die_names_once(&file);
        let logic_dies: Vec<LogicDie> = file.logic_die.iter().map(|die| r.logic_die(die)).collect();
        let transistors = r.transistors(&file.transistors);
        r.transistor_densities(&file, transistors, &logic_dies);
        let memory = file.memory.as_ref().map(|m| Memory {
            kind: m.kind.clone(),
            bandwidth_gbps: r.positive(&m.bandwidth, GBPS, Figure::MemoryBandwidth),
            capacity_gb: r.positive(&m.capacity, GB, Figure::MemoryCapacity),
            hbm: m.hbm.as_ref().map(|h| *h.get_ref()),
            stack_area_mm2: r.positive(&m.stack_area, MM2, Figure::StackArea),
        });
        if let Some((m, file_m)) = memory.as_ref().zip(file.memory.as_ref())
            && let Some(p) = validate::hbm_bandwidth(m)
        {
            let span = file_m.bandwidth.as_ref().map(|n| n.span()).unwrap_or(0..0);
            r.problem(span, p);
        }
        let contains = r.contents(std::mem::take(&mut file.contains), kind, depth, refs);
        let spans = FigureSpans::of(&file);
        let kind_span = file.kind.span();
        let product = Product {
            id,
            name: file.name.into_inner(),
            vendor: file.vendor.into_inner(),
            year,
            kind: kind.unwrap_or(ProductKind::IntegratedCircuit),
            package: file.package,
            form_factor: file.form_factor,
            designed_or_marketed_for_datacenter: file.designed_or_marketed_for_datacenter,
            commercially_available_in_us: file.commercially_available_in_us,
            process_node: file.process_node,
            transistors,
            interconnect_bandwidth_gbps: r.positive(&file.interconnect_bandwidth, GBPS, Figure::InterconnectBandwidth),
            processing_units,
            logic_dies,
            logic_dies_complete: file.logic_dies_complete == Some(true),
            memory,
            tpp_reported: r.positive(&file.tpp_reported, &[], Figure::TppReported),
            declared_eccn: file.declared_eccn.map(Spanned::into_inner),
            published_classification: file.published_classification,
            confidence: file.confidence,
            sources: file.sources,
            notes: file.notes,
            contains,
        };
        r.figures_against_each_other(&spans, &product);
        if let Some(p) = super::die_count::computer_names_dies(&product) {
            r.problem(kind_span, p);
        }
        product
    }

    /// A `memory` kind beside rates, logic dies or an interconnect (E0218, at the kind or the
    /// interconnect), and an HBM memory kind with `hbm = false` (E0221, at `hbm`).
    fn kind_against_contents(&mut self, file: &SheetFile, kind: Option<ProductKind>, units: &[ProcessingUnit]) {
        if kind == Some(ProductKind::Memory) && units.iter().any(|u| !u.rates.is_empty()) {
            self.problem(file.kind.span(), validate::memory_with_rates());
        }
        if kind == Some(ProductKind::Memory) {
            if !file.logic_die.is_empty() {
                self.problem(file.kind.span(), validate::memory_with_logic("logic die ([[logic_die]])"));
            }
            if let Some(ic) = &file.interconnect_bandwidth {
                self.problem(ic.span(), validate::memory_with_logic("interconnect bandwidth"));
            }
        }
        if let Some(m) = &file.memory
            && let Some(k) = m.kind.as_deref().filter(|k| names_hbm(k))
            && let Some(h) = m.hbm.as_ref().filter(|h| !*h.get_ref())
        {
            self.problem(h.span(), validate::hbm_kind_not_hbm(k));
        }
    }

    /// A logic die name given twice (E0222, at the second).
    fn die_names_once(&mut self, file: &SheetFile) {
        let mut seen: Vec<&str> = Vec::new();
        for name in file.logic_die.iter().filter_map(|d| d.name.as_ref()) {
            let text = name.get_ref().as_str();
            match seen.iter().find(|s| validate::same_die_name(s, text)) {
                Some(first) => self.problem(name.span(), validate::die_listed_twice(first)),
                None => seen.push(text),
            }
        }
    }

    /// The transistor count against the logic dies' area (E0230, E0233, at the count).
    fn transistor_densities(&mut self, file: &SheetFile, transistors: Option<Decimal>, logic_dies: &[LogicDie]) {
        let span = file.transistors.as_ref().map(|n| n.span()).unwrap_or(0..0);
        if let Some(p) = transistors.and_then(|t| validate::transistor_density(t, logic_dies)) {
            self.problem(span.clone(), p);
        }
        if let Some(p) = transistors.and_then(|t| validate::legacy_planar_density(t, logic_dies)) {
            self.problem(span, p);
        }
    }

    /// The checks of figures against each other once the product is read (each problem at the
    /// figure most likely mistyped): a TPP too low for the transistors or the HBM beside it
    /// (E0234, at the rates), an interconnect below a PCIe 3.0 x16 host link for a datacenter,
    /// HBM or TPP 4,800 part (E0225, at the interconnect bandwidth), a density below the stated node's (E0235, at the first die's
    /// area), a die above the reticle limit (E0236, at its area), the dies' total area above one
    /// wafer's (E0226, at the largest count, else the first area), a stand-alone memory's HBM
    /// flag or stack area against its bandwidth density (E0237 at `hbm`, E0238 at `stack_area`), and
    /// its HBM flag against its name (E0526, at `hbm`).
    fn figures_against_each_other(&mut self, spans: &FigureSpans, product: &Product) {
        let at = |s: &Option<Range<usize>>| s.clone().unwrap_or(0..0);
        if let Some(p) = validate::tpp_too_low(product).or_else(|| plausible::tpp_too_low_for_memory_or_die(product)) {
            self.problem(at(&spans.rates), p);
        }
        if let Some(p) = validate::interconnect_below_host_link(product) {
            self.problem(at(&spans.interconnect), p);
        }
        if let Some(p) = plausible::hbm_generation_bandwidth(product) {
            self.problem(at(&spans.memory_bandwidth), p);
        }
        if let Some(p) = validate::node_density(product) {
            let first_area = spans.die_areas.iter().flatten().next().cloned();
            self.problem(first_area.or_else(|| spans.transistors.clone()).unwrap_or(0..0), p);
        }
        for (i, die) in product.logic_dies.iter().enumerate() {
            if let Some(p) = validate::die_above_reticle(product, die) {
                self.problem(at(spans.die_areas.get(i).unwrap_or(&None)), p);
            }
            if let Some(p) = plausible::die_flags_against_node(product, die) {
                let (node, planar) = spans.die_flags.get(i).cloned().unwrap_or_default();
                self.problem(at(if p.code == Code::E0240 { &node } else { &planar }), p);
            }
        }
        if let Some(p) = super::die_count::package_area(product) {
            let largest = product.logic_dies.iter().enumerate().max_by_key(|(_, d)| d.count).map(|(i, _)| i);
            let count = largest.and_then(|i| spans.die_counts.get(i).cloned().flatten());
            self.problem(count.or_else(|| spans.die_areas.iter().flatten().next().cloned()).unwrap_or(0..0), p);
        }
        if let Some(p) = super::die_count::more_dies_named(product) {
            let count = spans.die_counts.iter().flatten().next().cloned();
            self.problem(count.or_else(|| spans.die_areas.iter().flatten().next().cloned()).unwrap_or(0..0), p);
        }
        if let Some(p) = validate::stack_density(product) {
            let span = if p.code == Code::E0237 { &spans.hbm } else { &spans.stack_area };
            self.problem(at(span), p);
        }
        if let Some(p) = validate::hbm_name_not_hbm(product) {
            self.problem(at(&spans.hbm), p);
        }
    }

    /// The product's kind, or an error naming the kinds (with the nearest).
    fn kind(&mut self, kind: &Spanned<String>) -> Option<ProductKind> {
        let k = ProductKind::parse(kind.get_ref());
        if k.is_none() {
            let names = ProductKind::ALL.map(ProductKind::as_str);
            let help = did_you_mean(kind.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
            let d = self
                .src
                .error(
                    Code::E0204,
                    kind.span(),
                    format!("unknown kind `{}`; expected one of {}", kind.get_ref(), names.join(", ")),
                )
                .with_help_opt(help);
            self.errors.push(d);
        }
        k
    }

    /// The processing units: `[dense_tops]` (one unit) or `[[processing_unit]]` entries, not
    /// both.
    fn processing_units(&mut self, file: &SheetFile) -> Vec<ProcessingUnit> {
        let mut units = Vec::new();
        if let Some(t) = &file.dense_tops {
            if !file.processing_unit.is_empty() {
                self.error(t.span(), Code::E0206, "give either [dense_tops] or [[processing_unit]] entries, not both");
            }
            units.push(self.unit(SINGLE_UNIT, t.get_ref(), t.span()));
        }
        for u in &file.processing_unit {
            units.push(self.unit(&u.name, u.dense_tops.get_ref(), u.dense_tops.span()));
        }
        units
    }

    /// One logic die, its area and count checked.
    fn logic_die(&mut self, die: &DieFile) -> LogicDie {
        let area_mm2 = self.positive(&die.area, MM2, Figure::DieArea);
        let count = match &die.count {
            None => 1,
            Some(c) => match validate::die_count(*c.get_ref()) {
                None => u32::try_from(*c.get_ref()).unwrap_or(1),
                Some(p) => {
                    self.problem(c.span(), p);
                    1
                }
            },
        };
        LogicDie {
            name: die.name.as_ref().map(|n| n.get_ref().clone()),
            area_mm2,
            count,
            non_planar: die.non_planar.as_ref().map(|b| *b.get_ref()),
            at_or_below_16_14nm: die.at_or_below_16_14nm.as_ref().map(|b| *b.get_ref()),
            wafer_scale: die.wafer_scale == Some(true),
        }
    }

    /// What a computer contains: catalog ids (their spans pushed to `refs`) and inline sheets
    /// (read at `depth + 1`, up to [`MAX_CONTAINS_DEPTH`]); an error for another kind.
    fn contents(
        &mut self,
        entries: Vec<Spanned<ContainsFile>>,
        kind: Option<ProductKind>,
        depth: usize,
        refs: &mut Vec<Range<usize>>,
    ) -> Vec<Contained> {
        let r = self;
        let mut contains = Vec::new();
        if !entries.is_empty() && kind.is_some_and(|k| k != ProductKind::Computer) {
            let span = entries.first().map_or(0..0, |c| c.span());
            r.problem(span, validate::contains_in_ic());
        }
        for entry in entries {
            let span = entry.span();
            let c = entry.into_inner();
            let count = match validate::contains_count(*c.count.get_ref()) {
                None => u32::try_from(*c.count.get_ref()).unwrap_or(1),
                Some(p) => {
                    r.problem(c.count.span(), p);
                    1
                }
            };
            match (c.product, c.sheet) {
                (Some(id), None) => {
                    refs.push(id.span());
                    contains.push(Contained { product: id.into_inner(), count, sheet: None });
                }
                (None, Some(_)) if depth + 1 >= MAX_CONTAINS_DEPTH => {
                    r.error(
                        span,
                        Code::E0217,
                        format!("inline sheets are nested more than {MAX_CONTAINS_DEPTH} levels deep"),
                    );
                }
                (None, Some(sheet)) => {
                    let inner = r.product(*sheet, depth + 1, refs);
                    contains.push(Contained { product: inner.id.clone(), count, sheet: Some(Box::new(inner)) });
                }
                _ => r.error(
                    span,
                    Code::E0214,
                    "each entry of `contains` names a catalog `product` or gives an inline `sheet` (one of the two)",
                ),
            }
        }
        contains
    }
}

/// Writes a product as a product sheet (TOML) that [`parse_product_sheet`] reads back to the
/// same product. Figures are written as quoted exact decimals.
pub fn write_product_sheet(p: &Product) -> String {
    toml::to_string(&sheet_table(p)).unwrap_or_default()
}

/// A product as the table of its sheet; a contained product with figures is written inline.
fn sheet_table(p: &Product) -> toml::Table {
    use toml::{Table, Value};
    let dec = decimal_value;
    let strings = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
    let mut t = Table::new();
    t.insert("id".into(), Value::String(p.id.clone()));
    t.insert("name".into(), Value::String(p.name.clone()));
    t.insert("vendor".into(), Value::String(p.vendor.clone()));
    if let Some(y) = p.year {
        t.insert("year".into(), Value::Integer(i64::from(y)));
    }
    t.insert("kind".into(), Value::String(p.kind.as_str().into()));
    let mut opt_str = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            t.insert(k.into(), Value::String(v.clone()));
        }
    };
    opt_str("package", &p.package);
    opt_str("process_node", &p.process_node);
    opt_str("declared_eccn", &p.declared_eccn);
    opt_str("published_classification", &p.published_classification);
    opt_str("confidence", &p.confidence);
    if let Some(f) = p.form_factor {
        t.insert("form_factor".into(), Value::String(f.as_str().into()));
    }
    if let Some(b) = p.designed_or_marketed_for_datacenter {
        t.insert("designed_or_marketed_for_datacenter".into(), Value::Boolean(b));
    }
    if let Some(b) = p.commercially_available_in_us {
        t.insert("commercially_available_in_us".into(), Value::Boolean(b));
    }
    for (k, v) in [
        ("transistors", &p.transistors),
        ("interconnect_bandwidth", &p.interconnect_bandwidth_gbps),
        ("tpp_reported", &p.tpp_reported),
    ] {
        if let Some(v) = v {
            t.insert(k.into(), dec(v));
        }
    }
    if !p.sources.is_empty() {
        t.insert("sources".into(), strings(&p.sources));
    }
    if !p.notes.is_empty() {
        t.insert("notes".into(), strings(&p.notes));
    }
    match p.processing_units.as_slice() {
        [] => {}
        [only] if only.name == SINGLE_UNIT => {
            t.insert("dense_tops".into(), Value::Table(rates_table(only)));
        }
        units => {
            let list = units
                .iter()
                .map(|u| {
                    let mut ut = Table::new();
                    ut.insert("name".into(), Value::String(u.name.clone()));
                    ut.insert("dense_tops".into(), Value::Table(rates_table(u)));
                    Value::Table(ut)
                })
                .collect();
            t.insert("processing_unit".into(), Value::Array(list));
        }
    }
    if !p.logic_dies.is_empty() {
        t.insert("logic_die".into(), Value::Array(p.logic_dies.iter().map(die_value).collect()));
    }
    if p.logic_dies_complete {
        t.insert("logic_dies_complete".into(), Value::Boolean(true));
    }
    if let Some(m) = &p.memory {
        t.insert("memory".into(), Value::Table(memory_table(m)));
    }
    if !p.contains.is_empty() {
        t.insert("contains".into(), Value::Array(p.contains.iter().map(contained_value).collect()));
    }
    t
}

/// A decimal as a sheet writes it: a quoted exact decimal.
fn decimal_value(d: &Decimal) -> toml::Value {
    toml::Value::String(d.normalize().to_string())
}

/// A processing unit's rates (`[dense_tops]`), with `complete` and `unsupported`.
fn rates_table(u: &ProcessingUnit) -> toml::Table {
    use toml::Value;
    let mut r = toml::Table::new();
    for rate in &u.rates {
        r.insert(rate.precision.as_str().into(), decimal_value(&rate.tops));
    }
    if u.complete {
        r.insert("complete".into(), Value::Boolean(true));
    }
    if !u.unsupported.is_empty() {
        let names = u.unsupported.iter().map(|p| Value::String(p.as_str().into())).collect();
        r.insert("unsupported".into(), Value::Array(names));
    }
    r
}

/// One `[[logic_die]]`.
fn die_value(d: &LogicDie) -> toml::Value {
    use toml::Value;
    let mut dt = toml::Table::new();
    if let Some(n) = &d.name {
        dt.insert("name".into(), Value::String(n.clone()));
    }
    if let Some(a) = &d.area_mm2 {
        dt.insert("area".into(), decimal_value(a));
    }
    dt.insert("count".into(), Value::Integer(i64::from(d.count)));
    if let Some(np) = d.non_planar {
        dt.insert("non_planar".into(), Value::Boolean(np));
    }
    if let Some(n) = d.at_or_below_16_14nm {
        dt.insert("at_or_below_16_14nm".into(), Value::Boolean(n));
    }
    if d.wafer_scale {
        dt.insert("wafer_scale".into(), Value::Boolean(true));
    }
    Value::Table(dt)
}

/// The `[memory]` table.
fn memory_table(m: &Memory) -> toml::Table {
    use toml::Value;
    let mut mt = toml::Table::new();
    if let Some(k) = &m.kind {
        mt.insert("kind".into(), Value::String(k.clone()));
    }
    for (k, v) in [("bandwidth", &m.bandwidth_gbps), ("capacity", &m.capacity_gb), ("stack_area", &m.stack_area_mm2)] {
        if let Some(v) = v {
            mt.insert(k.into(), decimal_value(v));
        }
    }
    if let Some(h) = m.hbm {
        mt.insert("hbm".into(), Value::Boolean(h));
    }
    mt
}

/// One entry of `contains`: a catalog id, or an inline sheet.
fn contained_value(c: &Contained) -> toml::Value {
    use toml::Value;
    let mut ct = toml::Table::new();
    match &c.sheet {
        Some(sheet) => {
            ct.insert("sheet".into(), Value::Table(sheet_table(sheet)));
        }
        None => {
            ct.insert("product".into(), Value::String(c.product.clone()));
        }
    }
    ct.insert("count".into(), Value::Integer(i64::from(c.count)));
    Value::Table(ct)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Product, Diagnostics> {
        parse_product_sheet(&SourceFile::new("p.toml", text))
    }

    const MINIMAL: &str = "id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"integrated_circuit\"\n";

    #[test]
    fn reads_rates_and_dies_exactly() {
        let p = parse(&format!("{MINIMAL}[dense_tops]\nfp8 = 1978.9\n[[logic_die]]\narea = 814\nnon_planar = true\n"))
            .unwrap();
        assert_eq!(p.processing_units[0].rates[0].tops.to_string(), "1978.9");
        assert_eq!(p.logic_dies[0].area_mm2.unwrap().to_string(), "814");
    }

    #[test]
    fn negative_area_is_refused_at_its_line_and_column() {
        let err = parse(&format!("{MINIMAL}[[logic_die]]\narea = -814\n")).unwrap_err();
        let d = &err.0[0];
        assert_eq!((d.line, d.column), (6, 8));
        assert!(d.message.contains("negative"), "{}", d.message);
    }

    #[test]
    fn unknown_precision_and_wrong_unit_are_refused() {
        let err = parse(&format!("{MINIMAL}[dense_tops]\nfp9 = 1\n")).unwrap_err();
        assert_eq!(err.0[0].line, 6);
        assert!(err.0[0].message.contains("unknown field `fp9`"), "{}", err.0[0].message);
        let err = parse(&format!("{MINIMAL}[memory]\nbandwidth = \"3.35 TB/s\"\n")).unwrap_err();
        assert!(err.0[0].message.contains("GB/s"), "{}", err.0[0].message);
    }

    #[test]
    fn reports_several_errors_at_once() {
        let err = parse(&format!("{MINIMAL}interconnect_bandwidth = -1\n[[logic_die]]\narea = 0\n")).unwrap_err();
        assert_eq!(err.0.len(), 2);
    }
}
