//! Comparisons on a product's precomputed scaled values (`Scaled`, integers at 10^-6) decide
//! exactly as the exact comparisons of decimals and ratios: every condition of the shipped
//! pack, evaluated with each of its numeric attributes at each threshold it is compared with,
//! one unit of the scale (10^-6) either side, and a hair either side (a repeating quotient),
//! gives the same truth on both paths. A part at 5.92 does not flip on rounding.

use export_controls::RuleSet;
use export_controls::number::Ratio;
use export_controls::ruleset::condition::{Env, Expr, Operand, Scaled, Truth};
use export_controls::ruleset::vocabulary::{Attr, Value};
use rust_decimal::Decimal;

/// Every attribute at one value (flags true, kind integrated circuit), with or without the
/// scaled form.
struct At {
    attr: Attr,
    value: Value,
    scaled: bool,
}

impl Env for At {
    fn value(&self, attr: Attr) -> Option<Value> {
        match attr.ty() {
            _ if attr == self.attr => Some(self.value),
            export_controls::ruleset::vocabulary::AttrType::Number(_) => Some(Value::Num(r("1000"))),
            export_controls::ruleset::vocabulary::AttrType::Bool => Some(Value::Bool(true)),
            export_controls::ruleset::vocabulary::AttrType::Kind => {
                Some(Value::Kind(export_controls::ProductKind::IntegratedCircuit))
            }
            export_controls::ruleset::vocabulary::AttrType::Text => None,
        }
    }
    fn scaled(&self, attr: Attr) -> Option<Scaled> {
        if !self.scaled {
            return None;
        }
        self.value(attr).as_ref().and_then(Scaled::of)
    }
    fn meets(&self, _: &[usize]) -> Truth {
        Truth::False
    }
}

fn r(s: &str) -> Ratio {
    Ratio::from_decimal(s.parse().unwrap())
}

/// Every (attribute, literal) a condition compares.
fn thresholds(e: &Expr, out: &mut Vec<(Attr, Decimal)>) {
    match e {
        Expr::And(p) | Expr::Or(p) => p.iter().for_each(|x| thresholds(x, out)),
        Expr::Not(x) => thresholds(x, out),
        Expr::Cmp { lhs: Operand::Attr(a), rhs: Operand::Num(k), .. } => out.push((*a, *k)),
        _ => {}
    }
}

/// Values at `k`, one unit of the scale either side, and a hair either side, as plain numbers,
/// quotients and ranges.
fn around(k: Decimal) -> Vec<Value> {
    let ulp: Decimal = "0.000001".parse().unwrap();
    let hair: Decimal = "0.0000001".parse().unwrap();
    let mut points = Vec::new();
    for x in [k, k + ulp, k - ulp, k + hair, k - hair] {
        if x >= Decimal::ZERO {
            points.push(Ratio::from_decimal(x));
        }
    }
    for den in ["3", "347", "814.5"] {
        let den: Decimal = den.parse().unwrap();
        for num in [k * den, k * den + ulp, k * den - ulp] {
            if num >= Decimal::ZERO {
                points.extend(Ratio::new(num, den));
            }
        }
    }
    let mut v: Vec<Value> = points.iter().map(|&p| Value::Num(p)).collect();
    for &lo in &points {
        v.push(Value::Range { lo, hi: None });
        for &hi in &points {
            if hi.exact_cmp(&lo) != Some(std::cmp::Ordering::Less) {
                v.push(Value::Range { lo, hi: Some(hi) });
            }
        }
    }
    v
}

#[test]
fn every_threshold_of_the_shipped_pack_is_decided_alike_on_scaled_values() {
    let rules = RuleSet::shipped().unwrap();
    let mut conditions: Vec<&Expr> = Vec::new();
    conditions.extend(rules.classifications().iter().map(|c| &c.when));
    conditions.extend(rules.exclusions().iter().map(|x| &x.when));
    conditions.extend(rules.requirements().iter().filter_map(|x| x.when.as_ref()));
    conditions.extend(rules.exceptions().iter().filter_map(|x| x.when.as_ref()));
    conditions.extend(rules.review_policies().iter().filter_map(|x| x.when.as_ref()));
    conditions.extend(rules.notices().iter().filter_map(|x| x.when.as_ref()));
    let mut checked = 0;
    let mut seen = Vec::new();
    for e in conditions {
        let mut ks = Vec::new();
        thresholds(e, &mut ks);
        for (attr, k) in ks {
            if !seen.contains(&(attr, k)) {
                seen.push((attr, k));
            }
            for value in around(k) {
                let slow = e.eval(&At { attr, value, scaled: false }, None);
                let fast = e.eval(&At { attr, value, scaled: true }, None);
                assert_eq!(fast, slow, "{} = {value} in a condition comparing it with {k}", attr.name());
                let mut trace = Vec::new();
                let traced = e.eval(&At { attr, value, scaled: true }, Some(&mut trace));
                assert_eq!(traced, slow, "traced: {} = {value} against {k}", attr.name());
                checked += 1;
            }
        }
    }
    // TPP 4800, 2400, 1600, PD 5.92, 3.2, 1.6, interconnect 600, transistor counts, 3A090.c...
    assert!(seen.len() >= 8, "{seen:?}");
    assert!(seen.iter().any(|&(a, k)| a == Attr::PerformanceDensity && k == "5.92".parse().unwrap()));
    assert!(checked > 1000, "{checked}");
}

/// A datacenter IC with one FP8 rate (TPP = 8 × rate), one non-planar die and a PCIe 4.0 x16
/// host link (64 GB/s both ways; 1 GB/s, below any datacenter host link, is refused: E0225).
fn chip(fp8: &str, area: &str) -> export_controls::PreparedProduct {
    let text = format!(
        "id = \"synthetic\"\nname = \"Synthetic\"\nvendor = \"Test\"\nkind = \"integrated_circuit\"\n\
         designed_or_marketed_for_datacenter = true\ninterconnect_bandwidth = 64\n\
         [dense_tops]\ncomplete = true\nfp8 = {fp8}\n[[logic_die]]\narea = {area}\nnon_planar = true\n"
    );
    let src = export_controls::ruleset::SourceFile::new("synthetic.toml", text);
    export_controls::PreparedProduct::new(export_controls::model::parse_product_sheet(&src).unwrap())
}

#[test]
fn parts_one_unit_of_the_scale_around_each_density_threshold_classify_exactly_on_both_paths() {
    use export_controls::{CompiledPack, FastQuery, Options, Query, Scratch};
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let on = "2024-06-01".parse().unwrap();
    let cn = "CN".parse().unwrap();
    let mut scratch = Scratch::default();
    // (FP8 rate, die area, performance density, paragraphs): the density is the threshold
    // itself, or 10^-6 above or below it; the TPP stays inside the band under test.
    let cases: [(&str, &str, &str, &[&str]); 12] = [
        ("296", "400", "5.92", &["3A090.a.2"]),
        ("296.00005", "400", "5.920001", &["3A090.a.2"]),
        ("295.99995", "400", "5.919999", &["3A090.b.2"]),
        ("240", "600", "3.2", &["3A090.b.2"]),
        ("240.000075", "600", "3.200001", &["3A090.b.2"]),
        ("239.999925", "600", "3.199999", &[]),
        ("400", "2000", "1.6", &["3A090.b.1"]),
        ("400.00025", "2000", "1.600001", &["3A090.b.1"]),
        ("399.99975", "2000", "1.599999", &[]),
        // TPP 4800, and one unit of the rate (8 × 10^-6 of TPP) either side.
        ("600", "4000", "1.2", &["3A090.a.1"]),
        ("600.000001", "4000", "1.200000002", &["3A090.a.1"]),
        ("599.999999", "4000", "1.199999998", &[]),
    ];
    for (fp8, area, pd, want) in cases {
        let p = chip(fp8, area);
        let d = pack.rules().evaluate(&p, &Query::export_to(cn, on), Options { trace: true }).unwrap();
        assert_eq!(d.paragraphs, want, "FP8 {fp8} over {area} mm² (PD {pd})");
        assert!(d.undetermined_paragraphs.is_empty());
        let fast = pack.decide(&p, &FastQuery::export_to(cn, on), &mut scratch).unwrap();
        assert_eq!(fast.verdict, d.verdict, "FP8 {fp8} over {area} mm²");
        assert!(scratch.paragraphs(&pack).eq(want.iter().copied()), "fast path: FP8 {fp8} over {area} mm²");
    }
}
