//! Product sheets: the TOML form of a [`Product`] (see rules/README.md for the format).
//!
//! Figures are exact decimals taken from the literal text (see [`crate::number`]); units are
//! fixed per key (GB/s, mm², GB, TOPS) and a quoted figure may repeat its unit (`"3350 GB/s"`).
//! Unknown keys, wrong types, negative or zero areas, and impossible counts are refused with
//! the file, line and column.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::product::{LogicDie, Memory, Precision, ProcessingUnit, Product, ProductKind, Rate};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::number::{NumLit, exact_decimal, slice};

type Num = Spanned<NumLit>;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct SheetFile {
    #[schemars(with = "String")]
    id: Spanned<String>,
    name: String,
    vendor: String,
    #[schemars(with = "Option<i64>")]
    year: Option<Spanned<i64>>,
    #[schemars(with = "crate::schema::KindLit")]
    kind: Spanned<String>,
    package: Option<String>,
    designed_or_marketed_for_datacenter: Option<bool>,
    commercially_available_in_us: Option<bool>,
    process_node: Option<String>,
    #[schemars(with = "Option<NumLit>")]
    transistors: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    interconnect_bandwidth: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    tpp_reported: Option<Num>,
    declared_eccn: Option<String>,
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
    memory: Option<MemoryFile>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    name: String,
    dense_tops: DenseTops,
}

/// Dense TOPS per precision; the field names are the product-sheet keys of [`Precision`].
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
    name: Option<String>,
    #[schemars(with = "Option<NumLit>")]
    area: Option<Num>,
    #[schemars(with = "Option<i64>")]
    count: Option<Spanned<i64>>,
    non_planar: Option<bool>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct MemoryFile {
    kind: Option<String>,
    #[schemars(with = "Option<NumLit>")]
    bandwidth: Option<Num>,
    #[schemars(with = "Option<NumLit>")]
    capacity: Option<Num>,
    hbm: Option<bool>,
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

    fn positive(&mut self, n: &Option<Num>, units: &[&str], what: &str) -> Option<Decimal> {
        let v = self.num(n, units)?;
        if v.is_zero() {
            let span = n.as_ref().map(|n| n.span()).unwrap_or(0..0);
            self.errors.push(self.src.error(
                Code::E0202,
                span,
                format!("{what} must be greater than zero; leave the key out if it is unknown"),
            ));
            return None;
        }
        Some(v)
    }

    fn rates(&mut self, tops: &DenseTops) -> Vec<Rate> {
        let mut out = Vec::new();
        for (precision, value) in tops.entries() {
            if let Some(v) = self.num(value, TOPS) {
                out.push(Rate { precision, tops: v });
            }
        }
        out
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
    if src.text.len() > MAX_SHEET_BYTES {
        return Err(Diagnostics(vec![
            src.file_error(Code::E0210, format!("a product sheet is larger than {MAX_SHEET_BYTES} bytes")),
        ]));
    }
    let file: SheetFile = toml::from_str(&src.text).map_err(|e| Diagnostics(vec![src.toml_error(&e)]))?;
    let mut r = Reader { src, errors: Vec::new() };

    let id = file.id.get_ref().clone();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        r.error(file.id.span(), Code::E0203, format!("product id `{id}` must be lower-case letters, digits and `-`"));
    }
    let kind = ProductKind::parse(file.kind.get_ref());
    if kind.is_none() {
        let names = ProductKind::ALL.map(ProductKind::as_str);
        let help = did_you_mean(file.kind.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
        let d = src
            .error(
                Code::E0204,
                file.kind.span(),
                format!("unknown kind `{}`; expected one of {}", file.kind.get_ref(), names.join(", ")),
            )
            .with_help_opt(help);
        r.errors.push(d);
    }
    let year = file.year.as_ref().and_then(|y| match u16::try_from(*y.get_ref()) {
        Ok(v) if (1950..=2100).contains(&v) => Some(v),
        _ => {
            r.error(y.span(), Code::E0205, format!("year {} is not between 1950 and 2100", y.get_ref()));
            None
        }
    });

    let mut processing_units = Vec::new();
    if let Some(t) = &file.dense_tops {
        if !file.processing_unit.is_empty() {
            r.error(t.span(), Code::E0206, "give either [dense_tops] or [[processing_unit]] entries, not both");
        }
        let rates = r.rates(t.get_ref());
        processing_units.push(ProcessingUnit { name: "processor".into(), rates });
    }
    for u in &file.processing_unit {
        let rates = r.rates(&u.dense_tops);
        processing_units.push(ProcessingUnit { name: u.name.clone(), rates });
    }

    let mut logic_dies = Vec::new();
    for die in &file.logic_die {
        let area_mm2 = r.positive(&die.area, MM2, "a die area");
        let count = match &die.count {
            None => 1,
            Some(c) => match u32::try_from(*c.get_ref()) {
                Ok(v) if (1..=10_000).contains(&v) => v,
                _ => {
                    r.error(
                        c.span(),
                        Code::E0207,
                        format!("die count {} must be a whole number from 1 to 10000", c.get_ref()),
                    );
                    1
                }
            },
        };
        logic_dies.push(LogicDie { name: die.name.clone(), area_mm2, count, non_planar: die.non_planar });
    }

    let memory = file.memory.as_ref().map(|m| Memory {
        kind: m.kind.clone(),
        bandwidth_gbps: r.num(&m.bandwidth, GBPS),
        capacity_gb: r.num(&m.capacity, GB),
        hbm: m.hbm,
        stack_area_mm2: r.positive(&m.stack_area, MM2, "a stack area"),
    });

    let product = Product {
        id,
        name: file.name,
        vendor: file.vendor,
        year,
        kind: kind.unwrap_or(ProductKind::IntegratedCircuit),
        package: file.package,
        designed_or_marketed_for_datacenter: file.designed_or_marketed_for_datacenter,
        commercially_available_in_us: file.commercially_available_in_us,
        process_node: file.process_node,
        transistors: r.num(&file.transistors, &[]),
        interconnect_bandwidth_gbps: r.num(&file.interconnect_bandwidth, GBPS),
        processing_units,
        logic_dies,
        memory,
        tpp_reported: r.num(&file.tpp_reported, &[]),
        declared_eccn: file.declared_eccn,
        published_classification: file.published_classification,
        confidence: file.confidence,
        sources: file.sources,
        notes: file.notes,
    };
    if r.errors.is_empty() { Ok(product) } else { Err(Diagnostics(r.errors)) }
}

/// Writes a product as a product sheet (TOML) that [`parse_product_sheet`] reads back to the
/// same product. Figures are written as quoted exact decimals.
pub fn write_product_sheet(p: &Product) -> String {
    use toml::{Table, Value};
    let dec = |d: &Decimal| Value::String(d.normalize().to_string());
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
    let rates = |u: &ProcessingUnit| {
        let mut r = Table::new();
        for rate in &u.rates {
            r.insert(rate.precision.as_str().into(), dec(&rate.tops));
        }
        r
    };
    match p.processing_units.as_slice() {
        [] => {}
        [only] if only.name == "processor" => {
            t.insert("dense_tops".into(), Value::Table(rates(only)));
        }
        units => {
            let list = units
                .iter()
                .map(|u| {
                    let mut ut = Table::new();
                    ut.insert("name".into(), Value::String(u.name.clone()));
                    ut.insert("dense_tops".into(), Value::Table(rates(u)));
                    Value::Table(ut)
                })
                .collect();
            t.insert("processing_unit".into(), Value::Array(list));
        }
    }
    if !p.logic_dies.is_empty() {
        let dies = p
            .logic_dies
            .iter()
            .map(|d| {
                let mut dt = Table::new();
                if let Some(n) = &d.name {
                    dt.insert("name".into(), Value::String(n.clone()));
                }
                if let Some(a) = &d.area_mm2 {
                    dt.insert("area".into(), dec(a));
                }
                dt.insert("count".into(), Value::Integer(i64::from(d.count)));
                if let Some(np) = d.non_planar {
                    dt.insert("non_planar".into(), Value::Boolean(np));
                }
                Value::Table(dt)
            })
            .collect();
        t.insert("logic_die".into(), Value::Array(dies));
    }
    if let Some(m) = &p.memory {
        let mut mt = Table::new();
        if let Some(k) = &m.kind {
            mt.insert("kind".into(), Value::String(k.clone()));
        }
        for (k, v) in
            [("bandwidth", &m.bandwidth_gbps), ("capacity", &m.capacity_gb), ("stack_area", &m.stack_area_mm2)]
        {
            if let Some(v) = v {
                mt.insert(k.into(), dec(v));
            }
        }
        if let Some(h) = m.hbm {
            mt.insert("hbm".into(), Value::Boolean(h));
        }
        t.insert("memory".into(), Value::Table(mt));
    }
    toml::to_string(&t).unwrap_or_default()
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
