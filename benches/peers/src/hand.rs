//! The same rules written by hand as plain Rust, no rule files, three ways:
//!
//! - [`hand_int_decide`]: over the figures scaled by 10⁴ to `i64` ([`PeerMetrics`], exact for
//!   these thresholds): the practical speed limit, the baseline of the "within 3×" target;
//! - [`hand_decide`]: the same code over the engine's exact `Decimal` TPP and `Ratio`
//!   performance density, as the benchmark first had it (kept for comparison: it pays for the
//!   engine's number types, about three times the integer version);
//! - [`HandClassified`]: the integer version run once per product, leaving only the
//!   destination test per call, as the engine's `decide_classified` does.
//!
//! `None` is an unknown figure; `and`/`or`/`not` follow Kleene logic as the engine does.

use export_controls::number::Ratio;
use export_controls::{Country, Date, PreparedProduct, ProductKind};
use rust_decimal::Decimal;

use crate::answer::{Answer, Licence};
use crate::inputs::{PeerMetrics, READING, UnitFigures};

const fn dec(mantissa: u32, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa, 0, 0, false, scale)
}
const fn ratio(mantissa: u32, scale: u32) -> Ratio {
    Ratio { num: dec(mantissa, scale), den: Decimal::ONE }
}

const TPP_1600: Decimal = dec(1600, 0);
const TPP_2400: Decimal = dec(2400, 0);
const TPP_4800: Decimal = dec(4800, 0);
const PD_1_6: Ratio = ratio(16, 1);
const PD_3_2: Ratio = ratio(32, 1);
const PD_5_92: Ratio = ratio(592, 2);

type T = Option<bool>;

fn and(a: T, b: T) -> T {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}
fn or(a: T, b: T) -> T {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}
fn not(a: T) -> T {
    a.map(|b| !b)
}

/// Destinations in D:1, D:4 or D:5 and in neither A:5 nor A:6 on `date`: the UAE left D:4 and
/// joined A:5 on 2026-07-10 (Cambodia's leaving D:5 on 2026-02-03 changes nothing: it stays in
/// D:1).
#[inline]
fn in_scope(c: Country, date: Date) -> bool {
    match c.code() {
        "AE" => date.ymd() < (2026, 7, 10),
        code => in_scope_always(code),
    }
}

fn in_scope_always(code: &str) -> bool {
    matches!(
        code,
        "AF" | "AM"
            | "AZ"
            | "BH"
            | "BY"
            | "CD"
            | "CF"
            | "CN"
            | "CU"
            | "EG"
            | "ER"
            | "GE"
            | "HT"
            | "IQ"
            | "IR"
            | "JO"
            | "KG"
            | "KH"
            | "KP"
            | "KW"
            | "KZ"
            | "LA"
            | "LB"
            | "LY"
            | "MD"
            | "MM"
            | "MN"
            | "MO"
            | "NI"
            | "OM"
            | "PK"
            | "QA"
            | "RU"
            | "SA"
            | "SD"
            | "SO"
            | "SS"
            | "SY"
            | "TJ"
            | "TM"
            | "UZ"
            | "VE"
            | "VN"
            | "YE"
            | "ZW"
    )
}

/// The parameters of 3A090.a.1, .a.2, .b.1 and .b.2 of one unit (Note 2 applied), on the
/// engine's number types.
#[inline]
fn params_decimal(p: &PreparedProduct) -> [T; 4] {
    let tpp = p.metrics().tpp;
    let pd = p.metrics().performance_density.as_ref();
    let tpp_ge = |k: Decimal| tpp.map(|t| t >= k);
    let tpp_lt = |k: Decimal| tpp.map(|t| t < k);
    let pd_ge = |k: &Ratio| pd.map(|d| d.exact_cmp(k).is_some_and(|o| o.is_ge()));
    let pd_lt = |k: &Ratio| pd.map(|d| d.exact_cmp(k).is_some_and(|o| o.is_lt()));

    // Note 2: not for datacenters and TPP < 4800 takes the product out of 3A090.a and .b.
    let note2 = and(not(p.product().designed_or_marketed_for_datacenter), tpp_lt(TPP_4800));
    let a1 = and(tpp_ge(TPP_4800), not(note2));
    let a2 = and(and(tpp_ge(TPP_1600), pd_ge(&PD_5_92)), not(note2));
    let meets_a = or(a1, a2);
    let mut b1 = Some(false);
    let mut b2 = Some(false);
    if meets_a != Some(true) {
        b1 = and(
            and(and(tpp_ge(TPP_2400), tpp_lt(TPP_4800)), and(pd_ge(&PD_1_6), pd_lt(&PD_5_92))),
            and(not(meets_a), not(note2)),
        );
        b2 = and(and(tpp_ge(TPP_1600), and(pd_ge(&PD_3_2), pd_lt(&PD_5_92))), and(not(meets_a), not(note2)));
    }
    [a1, a2, b1, b2]
}

/// The paragraphs certainly and possibly matched and whether the item is a 3A090.a/.b or
/// 4A090.a/.b item, from the parameters of each unit the product is tested as: an IC's own, a
/// computer's through the ICs it contains (a paragraph holds when it holds for one of them).
#[inline]
fn classify(kind: ProductKind, units: impl Iterator<Item = [T; 4]>) -> (u8, u8, T) {
    let (mut certain, mut possible, mut item) = (0u8, 0u8, Some(false));
    let mut set = |bit: u8, t: T| {
        if t == Some(true) {
            certain |= bit;
        }
        if t != Some(false) {
            possible |= bit;
        }
    };
    for [a1, a2, b1, b2] in units {
        let (meets_a, meets_b) = (or(a1, a2), or(b1, b2));
        match kind {
            ProductKind::IntegratedCircuit => {
                set(0b00_0001, a1);
                set(0b00_0010, a2);
                set(0b00_0100, b1);
                set(0b00_1000, b2);
            }
            ProductKind::Computer => {
                set(0b01_0000, meets_a);
                set(0b10_0000, meets_b);
            }
            ProductKind::Memory => continue,
        }
        item = or(item, or(meets_a, meets_b));
    }
    (certain, possible, item)
}

/// One determination by hand, on the engine's number types.
#[inline]
pub fn hand_decide(p: &PreparedProduct, destination: Country, date: Date) -> Answer {
    let (certain, possible, classified) = classify(p.product().kind, p.tested_as(READING).map(params_decimal));
    let licence = if in_scope(destination, date) { classified } else { Some(false) };
    Answer::from_bounds(certain, possible, licence == Some(true), licence != Some(false))
}

const TPP4_1600: i64 = 1600_0000;
const TPP4_2400: i64 = 2400_0000;
const TPP4_4800: i64 = 4800_0000;
const PD4_1_6: i64 = 1_6000;
const PD4_3_2: i64 = 3_2000;
const PD4_5_92: i64 = 5_9200;

/// The parameters of one unit over the integer figures: [`params_decimal`] line for line, on
/// `i64`.
#[inline]
fn params_int(u: &UnitFigures) -> [T; 4] {
    let tpp = u.tpp;
    let pd = u.performance_density;
    let tpp_ge = |k: i64| tpp.map(|t| t >= k);
    let tpp_lt = |k: i64| tpp.map(|t| t < k);
    let pd_ge = |k: i64| pd.map(|d| d >= k);
    let pd_lt = |k: i64| pd.map(|d| d < k);

    let note2 = and(not(u.datacenter), tpp_lt(TPP4_4800));
    let a1 = and(tpp_ge(TPP4_4800), not(note2));
    let a2 = and(and(tpp_ge(TPP4_1600), pd_ge(PD4_5_92)), not(note2));
    let meets_a = or(a1, a2);
    let mut b1 = Some(false);
    let mut b2 = Some(false);
    if meets_a != Some(true) {
        b1 = and(
            and(and(tpp_ge(TPP4_2400), tpp_lt(TPP4_4800)), and(pd_ge(PD4_1_6), pd_lt(PD4_5_92))),
            and(not(meets_a), not(note2)),
        );
        b2 = and(and(tpp_ge(TPP4_1600), and(pd_ge(PD4_3_2), pd_lt(PD4_5_92))), and(not(meets_a), not(note2)));
    }
    [a1, a2, b1, b2]
}

/// The classification by hand over the integer figures.
#[inline]
fn classify_int(m: &PeerMetrics) -> (u8, u8, T) {
    classify(m.kind, m.units.iter().map(params_int))
}

/// One determination by hand over the integer figures: the practical speed limit.
#[inline]
pub fn hand_int_decide(m: &PeerMetrics, destination: Country, date: Date) -> Answer {
    let (certain, possible, classified) = classify_int(m);
    let licence = if in_scope(destination, date) { classified } else { Some(false) };
    Answer::from_bounds(certain, possible, licence == Some(true), licence != Some(false))
}

/// A product classified once by hand: the answer without the licence, and the item's bounds.
#[derive(Debug, Clone, Copy)]
pub struct HandClassified {
    answer: Answer,
    item: T,
}

impl HandClassified {
    /// Classifies once.
    pub fn of(m: &PeerMetrics) -> HandClassified {
        let (certain, possible, item) = classify_int(m);
        HandClassified { answer: Answer::from_bounds(certain, possible, false, false), item }
    }

    /// One determination: only the destination is tested.
    #[inline]
    pub fn decide(&self, destination: Country, date: Date) -> Answer {
        let licence = if in_scope(destination, date) { self.item } else { Some(false) };
        Answer { licence: Licence::of(licence), ..self.answer }
    }
}
