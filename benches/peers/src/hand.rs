//! The practical speed limit: the same rules written by hand as plain Rust over the prepared
//! metrics, no rule files. `None` is an unknown figure; `and`/`or`/`not` follow Kleene logic as
//! the engine does.

use export_controls::number::Ratio;
use export_controls::{Country, PreparedProduct, ProductKind};
use rust_decimal::Decimal;

use crate::answer::Answer;

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

/// Destinations in D:1, D:4 or D:5 and in neither A:5 nor A:6 on 2024-06-01.
fn in_scope(c: Country) -> bool {
    matches!(
        c.code(),
        "AE" | "AF"
            | "AM"
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

/// One determination by hand.
#[inline]
pub fn hand_decide(p: &PreparedProduct, destination: Country) -> Answer {
    let tpp = p.metrics.tpp;
    let pd = p.metrics.performance_density.as_ref();
    let tpp_ge = |k: Decimal| tpp.map(|t| t >= k);
    let tpp_lt = |k: Decimal| tpp.map(|t| t < k);
    let pd_ge = |k: &Ratio| pd.map(|d| d.exact_cmp(k).is_some_and(|o| o.is_ge()));
    let pd_lt = |k: &Ratio| pd.map(|d| d.exact_cmp(k).is_some_and(|o| o.is_lt()));

    // Note 2: not for datacenters and TPP < 4800 takes the product out of 3A090.a and .b.
    let note2 = and(not(p.product.designed_or_marketed_for_datacenter), tpp_lt(TPP_4800));
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
    let meets_b = or(b1, b2);

    let (mut certain, mut possible) = (0u8, 0u8);
    let mut set = |bit: u8, t: T| {
        if t == Some(true) {
            certain |= bit;
        }
        if t != Some(false) {
            possible |= bit;
        }
    };
    let classified = match p.product.kind {
        ProductKind::IntegratedCircuit => {
            set(0b00_0001, a1);
            set(0b00_0010, a2);
            set(0b00_0100, b1);
            set(0b00_1000, b2);
            or(meets_a, meets_b)
        }
        ProductKind::Computer => {
            set(0b01_0000, meets_a);
            set(0b10_0000, meets_b);
            or(meets_a, meets_b)
        }
        ProductKind::Memory => Some(false),
    };
    let licence = if in_scope(destination) { classified } else { Some(false) };
    Answer::from_bounds(certain, possible, licence == Some(true), licence != Some(false))
}
