//! The straight form of a classification ([`Straight`]) against the general path, over
//! generated packs and products: for every product tested as itself the two leave the same
//! parameters, the same paragraphs that classify it or may, and the same missing kinds. The
//! products' figures lie exactly on every threshold the generated conditions name, one unit of
//! the fixed scale (10⁻⁶) either side, unknown, known only as a range (across a threshold or
//! on one side of it), or not exact at the scale (a third); flags are true, false or unknown.
//! Computers of one or two ICs (each TPP exact, up to a reported TPP, or a lower bound) are
//! classified through their units, with the missing-kind sink of the fast path.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use rust_decimal::Decimal;

use super::{Facts, MissingKinds, Scratch, classify, classify_listed, scratch};
use crate::date::Date;
use crate::evaluate::prepared::PreparedProduct;
use crate::model::{Exporter, parse_product_sheet};
use crate::number::Ratio;
use crate::ruleset::condition::Truth;
use crate::ruleset::index::Index;
use crate::ruleset::vocabulary::{Attr, Value};
use crate::ruleset::{RuleSet, SourceFile, compile};

const DATES: [&str; 5] = ["2022-01-01", "2023-11-17", "2024-06-01", "2025-01-16", "2026-07-10"];
const ECCNS: [&str; 3] = ["3A090.a", "3A090.b", "4A090.a"];
const KINDS: [&str; 3] = ["integrated_circuit", "computer", "memory"];
const OPS: [&str; 6] = [">=", ">", "<=", "<", "==", "!="];
/// Thresholds in TPP and in performance density, as the rules write them.
const TPPS: [&str; 4] = ["1600", "2400", "4800", "4799.999999"];
const DENSITIES: [&str; 4] = ["1.6", "3.2", "5.92", "0.000001"];

/// A literal of a generated condition.
#[derive(Debug, Clone)]
enum Lit {
    Tpp(usize, usize),
    Density(usize, usize),
    Datacenter,
    FrontEnd,
    Meets(usize),
    Const(bool),
}

/// A generated condition: literals (each possibly negated) joined by `and` or `or`, or a
/// nested shape that has no flat code.
#[derive(Debug, Clone)]
struct Cond {
    all: bool,
    lits: Vec<(Lit, bool)>,
    nested: bool,
}

#[derive(Debug, Clone)]
struct Para {
    eccn: usize,
    kinds: Vec<usize>,
    when: Cond,
    from: usize,
    until: Option<usize>,
    confirmed: Option<usize>,
}

#[derive(Debug, Clone)]
struct Excl {
    applies: Vec<usize>,
    when: Cond,
    from: usize,
}

#[derive(Debug, Clone)]
struct Pack {
    paras: Vec<Para>,
    exclusions: Vec<Excl>,
}

fn lit() -> impl Strategy<Value = Lit> {
    prop_oneof![
        4 => (0..OPS.len(), 0..TPPS.len()).prop_map(|(o, k)| Lit::Tpp(o, k)),
        4 => (0..OPS.len(), 0..DENSITIES.len()).prop_map(|(o, k)| Lit::Density(o, k)),
        2 => Just(Lit::Datacenter),
        1 => Just(Lit::FrontEnd),
        2 => (0..ECCNS.len()).prop_map(Lit::Meets),
        1 => any::<bool>().prop_map(Lit::Const),
    ]
}

fn cond() -> impl Strategy<Value = Cond> {
    (any::<bool>(), prop::collection::vec((lit(), any::<bool>()), 1..5), prop::bool::weighted(0.1))
        .prop_map(|(all, lits, nested)| Cond { all, lits, nested })
}

fn para() -> impl Strategy<Value = Para> {
    (
        0..ECCNS.len(),
        prop::collection::vec(0..KINDS.len(), 1..3),
        cond(),
        0..3usize,
        prop::option::weighted(0.2, 2..DATES.len()),
        prop::option::weighted(0.1, 0..DATES.len()),
    )
        .prop_map(|(eccn, kinds, when, from, until, confirmed)| Para { eccn, kinds, when, from, until, confirmed })
}

fn pack() -> impl Strategy<Value = Pack> {
    (
        prop::collection::vec(para(), 1..6),
        prop::collection::vec(
            (prop::collection::vec(0..6usize, 1..3), cond(), 0..3usize).prop_map(|(applies, when, from)| Excl {
                applies,
                when,
                from,
            }),
            0..3,
        ),
    )
        .prop_map(|(paras, exclusions)| Pack { paras, exclusions })
}

/// Paragraph `i`'s id.
fn para_id(p: &Pack, i: usize) -> String {
    format!("{}.{}", ECCNS[p.paras[i].eccn], i + 1)
}

/// A condition as text; `meets` names only ECCNs of paragraphs before `limit` (no paragraph
/// depends on itself or a later one), else reads `true`.
fn write_cond(c: &Cond, p: &Pack, limit: usize) -> String {
    let lit = |l: &Lit| match l {
        Lit::Tpp(o, k) => format!("tpp {} {}", OPS[*o], TPPS[*k]),
        Lit::Density(o, k) => format!("performance_density {} {}", OPS[*o], DENSITIES[*k]),
        Lit::Datacenter => "designed_or_marketed_for_datacenter".to_string(),
        Lit::FrontEnd => "front_end_fabricator_or_osat".to_string(),
        Lit::Meets(e) if p.paras.iter().take(limit).any(|q| q.eccn == *e) => {
            let later = p.paras.iter().skip(limit).any(|q| q.eccn == *e);
            if later { "true".to_string() } else { format!("meets(\"{}\")", ECCNS[*e]) }
        }
        Lit::Meets(_) => "true".to_string(),
        Lit::Const(b) => b.to_string(),
    };
    let parts: Vec<String> = c.lits.iter().map(|(l, n)| if *n { format!("not {}", lit(l)) } else { lit(l) }).collect();
    let text = parts.join(if c.all { " and " } else { " or " });
    // A nested `or` inside `not`: a shape without flat code.
    if c.nested { format!("not ({text} or false) or {}", lit(&Lit::Datacenter)) } else { text }
}

fn write_pack(p: &Pack) -> Vec<SourceFile> {
    let pack_toml = "name = \"generated\"\ntitle = \"A generated pack\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = 2022-01-01\nresearched_until = 9999-12-31\n";
    let mut ccl = String::new();
    for (i, q) in p.paras.iter().enumerate() {
        let kinds: Vec<String> = q.kinds.iter().map(|&k| format!("\"{}\"", KINDS[k])).collect();
        let _ = writeln!(
            ccl,
            "[[classification]]\nid = \"{}\"\neccn = \"{}\"\ntitle = \"t\"\nsource = \"generated\"\nfrom = {}\nkinds = [{}]\nwhen = '{}'",
            para_id(p, i),
            ECCNS[q.eccn],
            DATES[q.from],
            kinds.join(", "),
            write_cond(&q.when, p, i)
        );
        if let Some(u) = q.until.filter(|&u| u > q.from) {
            let _ = writeln!(ccl, "until = {}", DATES[u]);
        }
        if let Some(c) = q.confirmed {
            let _ = writeln!(ccl, "confirmed_until = {}", DATES[c]);
        }
        ccl.push('\n');
    }
    for (j, x) in p.exclusions.iter().enumerate() {
        let applies: Vec<String> =
            x.applies.iter().filter(|&&a| a < p.paras.len()).map(|&a| format!("\"{}\"", para_id(p, a))).collect();
        if applies.is_empty() {
            continue;
        }
        let limit = x.applies.iter().copied().filter(|&a| a < p.paras.len()).min().unwrap_or(0);
        let _ = writeln!(
            ccl,
            "[[exclusion]]\nid = \"Note {j}\"\ntitle = \"t\"\nsource = \"generated\"\nfrom = {}\napplies_to = [{}]\nwhen = '{}'\n",
            DATES[x.from],
            applies.join(", "),
            write_cond(&x.when, p, limit)
        );
    }
    // The loader refuses a pack without a licence requirement (E0306).
    let mut eccns: Vec<String> = p.paras.iter().map(|q| format!("\"{}\"", ECCNS[q.eccn])).collect();
    eccns.dedup();
    let _ = writeln!(
        ccl,
        "[[license_requirement]]\nid = \"742.6\"\ntitle = \"t\"\nreason = \"RS\"\nsource = \"generated\"\nfrom = 2022-01-01\nitems = [{}]\ndestinations = {{ countries = [\"CN\"] }}",
        eccns.join(", ")
    );
    vec![SourceFile::new("pack.toml", pack_toml), SourceFile::new("ccl.toml", ccl)]
}

/// A figure: exactly on threshold `k`, one unit of the fixed scale under or over it, unknown,
/// a range around it, a third (not exact at the scale), or a range on one side of it: from it
/// one unit up, one and two units over it, one and two units under it, from it up without
/// bound, or from one unit under it to it.
fn figure(pool: &[&str], k: usize, how: usize) -> Option<Value> {
    let t: Decimal = pool[k % pool.len()].parse().ok()?;
    let unit = Decimal::new(1, 6);
    let num = |d: Decimal| Value::Num(Ratio::from_decimal(d));
    let range = |lo: Decimal, hi: Option<Decimal>| {
        Some(Value::Range { lo: Ratio::from_decimal(lo), hi: hi.map(Ratio::from_decimal) })
    };
    match how {
        0 => Some(num(t)),
        1 => Some(num(t - unit)),
        2 => Some(num(t + unit)),
        3 => None,
        4 => range(t - unit, Some(t + unit)),
        5 => Ratio::new(t, Decimal::from(3)).map(Value::Num),
        6 => range(t, Some(t + unit)),
        7 => range(t + unit, Some(t + unit + unit)),
        8 => range(t - unit - unit, Some(t - unit)),
        9 => range(t, None),
        _ => range(t - unit, Some(t)),
    }
}

#[derive(Debug, Clone)]
struct Product {
    kind: usize,
    tpp: (usize, usize),
    density: (usize, usize),
    datacenter: Option<bool>,
    front_end: Option<bool>,
}

fn product() -> impl Strategy<Value = Product> {
    // Known exact figures are the most common: those the straight form decides; then ranges
    // on one side of a threshold, which it decides too.
    let how = prop_oneof![6 => 0..3usize, 1 => 3..6usize, 2 => 6..11usize];
    // Products tested as themselves: ICs and memories.
    (
        prop_oneof![Just(0usize), Just(2usize)],
        (0..TPPS.len(), how.clone()),
        (0..DENSITIES.len(), how),
        any::<Option<bool>>(),
        any::<Option<bool>>(),
    )
        .prop_map(|(kind, tpp, density, datacenter, front_end)| Product {
            kind,
            tpp,
            density,
            datacenter,
            front_end,
        })
}

fn prepare(p: &Product) -> (PreparedProduct, Exporter) {
    let sheet = format!("id = \"generated\"\nname = \"Generated\"\nvendor = \"Test\"\nkind = \"{}\"\n", KINDS[p.kind]);
    let product = parse_product_sheet(&SourceFile::new("generated.toml", sheet)).expect("a valid sheet");
    let prepared = PreparedProduct::new(product)
        .with_value(Attr::Tpp, figure(&TPPS, p.tpp.0, p.tpp.1))
        .with_value(Attr::PerformanceDensity, figure(&DENSITIES, p.density.0, p.density.1))
        .with_value(Attr::DesignedOrMarketedForDatacenter, p.datacenter.map(Value::Bool));
    let exporter = Exporter { front_end_fabricator_or_osat: p.front_end, ..Exporter::default() };
    (prepared, exporter)
}

/// A computer of one or two ICs given by their sheets (TPP from dense INT8 TOPS, performance
/// density from the logic die's area), each IC's TPP on a threshold or one step of its sheet
/// either side, and known exactly, only up to a reported TPP (a threshold of the pool, when
/// above the computed one: a range) or only from below (the rates not stated complete).
#[derive(Debug, Clone)]
struct Computer {
    ics: Vec<(usize, usize, usize, Option<bool>, Bound)>,
    datacenter: Option<bool>,
}

/// How much of an IC's TPP its sheet gives.
#[derive(Debug, Clone, Copy)]
enum Bound {
    Exact,
    /// `tpp_reported` is threshold `r` of the pool.
    Reported(usize),
    /// The rates are not stated complete: the TPP is at least the computed one.
    AtLeast,
}

fn bound() -> impl Strategy<Value = Bound> {
    prop_oneof![2 => Just(Bound::Exact), 2 => (0..TPPS.len()).prop_map(Bound::Reported), 1 => Just(Bound::AtLeast)]
}

/// Die areas in mm²: TPP ÷ area is exact at the fixed scale for some, not for others.
const AREAS: [&str; 4] = ["800", "500", "811", "300"];

fn computer() -> impl Strategy<Value = Computer> {
    let ic = (0..TPPS.len(), 0..3usize, 0..AREAS.len(), any::<Option<bool>>(), bound());
    (prop::collection::vec(ic, 1..3), any::<Option<bool>>()).prop_map(|(ics, datacenter)| Computer { ics, datacenter })
}

fn prepare_computer(c: &Computer) -> PreparedProduct {
    let mut sheet = "id = \"board\"\nname = \"Generated board\"\nvendor = \"Test\"\nkind = \"computer\"\n".to_string();
    if let Some(d) = c.datacenter {
        let _ = writeln!(sheet, "designed_or_marketed_for_datacenter = {d}");
    }
    for (j, &(k, how, area, datacenter, bound)) in c.ics.iter().enumerate() {
        // A sheet states TOPS to 6 decimal places: TPP (8 × INT8 TOPS) one step either side
        // of a threshold is 8 units of the fixed scale off it.
        let unit = Decimal::new(1, 6);
        let tops = TPPS[k].parse::<Decimal>().unwrap_or_default() / Decimal::from(8);
        let tops = [tops, tops - unit, tops + unit][how % 3].round_dp(6);
        let _ = writeln!(
            sheet,
            "[[contains]]\ncount = 1\n[contains.sheet]\nid = \"ic-{j}\"\nname = \"IC {j}\"\nvendor = \"Test\"\nkind = \"integrated_circuit\""
        );
        if let Some(d) = datacenter {
            let _ = writeln!(sheet, "designed_or_marketed_for_datacenter = {d}");
        }
        let reported = match bound {
            Bound::Reported(r) => TPPS[r].parse::<Decimal>().ok().filter(|t| *t > tops * Decimal::from(8)),
            Bound::Exact | Bound::AtLeast => None,
        };
        if let Some(t) = reported {
            let _ = writeln!(sheet, "tpp_reported = \"{t}\"");
        }
        let complete = !matches!(bound, Bound::AtLeast);
        let _ = writeln!(sheet, "[contains.sheet.dense_tops]\ncomplete = {complete}\nint8 = \"{tops}\"");
        let _ = writeln!(sheet, "[[contains.sheet.logic_die]]\narea = \"{}\"\nnon_planar = true", AREAS[area]);
    }
    let product = parse_product_sheet(&SourceFile::new("board.toml", sheet.clone()))
        .unwrap_or_else(|e| panic!("generated sheet refused: {e}\n{sheet}"));
    PreparedProduct::new(product)
}

/// Classifies computer `product` on `date` both ways, with the missing-kind sink the fast path
/// gives a computer; whether every unit was decided by a straight form.
fn both_units(rules: &RuleSet, product: &PreparedProduct, date: Date) -> Result<bool, TestCaseError> {
    let exporter = Exporter::default();
    let f = Facts::classification(rules, product, date, &exporter);
    prop_assert!(!f.units().is_empty());
    let mut s = Scratch::default();
    s.begin(rules);
    let mut fast_kinds = MissingKinds::NONE;
    classify(&f, &mut s, &mut fast_kinds);
    let (fast, fast_units) = (left(rules, &s, date), s.unit_params.clone());
    let (Some(ix), Some(e)) = (&rules.compiled.index, f.epoch.number()) else { return Ok(false) };
    let decided = f.units().iter().all(|u| {
        let env = super::ProductEnv { rules, product: &u.product, exporter: &exporter, params: &[][..] };
        rules.compiled.straight_units(e, u.product.product().kind).and_then(|st| st.run(&env)).is_some()
    });
    s.begin(rules);
    let mut general_kinds = MissingKinds::NONE;
    classify_listed(&f, &mut s, ix.classifications.get(e), &mut general_kinds);
    prop_assert_eq!(&fast, &left(rules, &s, date), "on {}", date);
    prop_assert_eq!(&fast_units, &s.unit_params, "units on {}", date);
    prop_assert_eq!(fast_kinds, general_kinds, "missing kinds on {}", date);
    Ok(decided)
}

/// What a classification leaves for the rest of the decision.
#[derive(Debug, PartialEq)]
struct Left {
    params: Vec<Truth>,
    yes: Vec<u64>,
    maybe: Vec<u64>,
    paragraphs: Vec<u32>,
    corrupt: bool,
    kinds: MissingKinds,
}

fn left(rules: &RuleSet, s: &Scratch, date: Date) -> Left {
    Left {
        params: (0..rules.classifications.len()).map(|i| scratch::get(&s.params, s.stamp, i)).collect(),
        yes: s.class_true.clone(),
        maybe: s.class_unknown.clone(),
        paragraphs: s.paragraphs.clone(),
        corrupt: s.corrupt,
        kinds: MissingKinds::of_classification(rules, s, date),
    }
}

/// Classifies `product` on `date` both ways; whether the straight form decided it.
fn both(rules: &RuleSet, product: &PreparedProduct, exporter: &Exporter, date: Date) -> Result<bool, TestCaseError> {
    let f = Facts::classification(rules, product, date, exporter);
    // A computer is tested through its units (even with no contents listed): not here.
    if !f.units().is_empty() {
        return Ok(false);
    }
    let mut s = Scratch::default();
    s.begin(rules);
    // The fast path: the straight form when it decides, else the general path.
    classify(&f, &mut s, &mut ());
    let fast = left(rules, &s, date);
    let (Some(ix), Some(e)) = (&rules.compiled.index, f.epoch.number()) else { return Ok(false) };
    let kind = product.product().kind;
    let decided = rules.compiled.straight(e, kind).and_then(|st| {
        let env = super::ProductEnv { rules, product, exporter, params: &[][..] };
        st.run(&env)
    });
    // The general path on the same rules.
    s.begin(rules);
    classify_listed(&f, &mut s, ix.classifications_of_kind.get(Index::kind_key(e, kind)), &mut ());
    let general = left(rules, &s, date);
    prop_assert_eq!(&fast, &general, "on {}", date);
    Ok(decided.is_some())
}

#[test]
fn the_straight_form_classifies_as_the_general_path() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256);
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let counts = std::cell::Cell::new((0usize, 0usize, 0usize));
    let computed = std::cell::Cell::new((0usize, 0usize));
    let strategy = (pack(), prop::collection::vec(product(), 12), prop::collection::vec(computer(), 4));
    runner
        .run(&strategy, |(p, products, computers)| {
            let files = write_pack(&p);
            let rules = match compile(&files) {
                Ok(rules) => rules,
                Err(e) => {
                    let text: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
                    return Err(TestCaseError::fail(format!("pack refused: {e}\n{}", text.join("\n"))));
                }
            };
            let (mut straight, mut compared, mut forms) = counts.get();
            forms += rules.compiled.index.as_ref().map_or(0, |ix| ix.straight.iter().flatten().count());
            for q in &products {
                let (product, exporter) = prepare(q);
                for d in DATES {
                    let date: Date = d.parse().expect("a date");
                    straight += usize::from(both(&rules, &product, &exporter, date)?);
                    compared += 1;
                }
            }
            let (mut units, mut boards) = computed.get();
            for c in &computers {
                let product = prepare_computer(c);
                for d in DATES {
                    units += usize::from(both_units(&rules, &product, d.parse().expect("a date"))?);
                    boards += 1;
                }
            }
            computed.set((units, boards));
            counts.set((straight, compared, forms));
            Ok(())
        })
        .unwrap();
    let (straight, compared, forms) = counts.get();
    // The comparison is not vacuous: the straight form exists and decides many of the cases.
    assert!(forms > cases as usize, "{forms} straight forms");
    assert!(straight * 5 > compared, "{straight} of {compared} decided by the straight form");
    let (units, boards) = computed.get();
    assert!(units * 10 > boards, "{units} of {boards} computers decided by the straight forms");
}
