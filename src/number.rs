//! Exact numbers: decimal literals read from TOML without passing through a float, and exact
//! ratios for quotients such as performance density.
//!
//! A TOML float (`5.92`) reaches serde as an `f64`; we never use that `f64`. Instead the loader
//! keeps the literal's byte span and re-reads the literal text as a [`Decimal`], so a threshold
//! or a die area is exactly what the author typed. A quoted string (`"5.92"`, `"3350 GB/s"`)
//! is accepted too, with an optional unit that must be the expected one.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Largest magnitude accepted for any figure (10^15). Keeps every product and cross-product
/// used in exact comparisons inside the range of the 96-bit decimal mantissa.
pub const MAX_MAGNITUDE: i64 = 1_000_000_000_000_000;

/// Most decimal places accepted for any figure.
pub const MAX_SCALE: u32 = 6;

/// A number as written in a TOML file, before exact conversion.
#[derive(Debug, Clone, PartialEq)]
pub enum NumLit {
    /// A TOML integer.
    Int(i64),
    /// A TOML float; only used to know the literal was a float — its text is re-read.
    Float(f64),
    /// A quoted string such as `"5.92"` or `"3350 GB/s"`.
    Text(String),
}

impl<'de> Deserialize<'de> for NumLit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumLit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number (e.g. 814 or 5.92) or a quoted number with its unit (e.g. \"3350 GB/s\")")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumLit, E> {
                Ok(NumLit::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumLit, E> {
                i64::try_from(v).map(NumLit::Int).map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumLit, E> {
                Ok(NumLit::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumLit, E> {
                Ok(NumLit::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The JSON Schema of a figure: a number, or a quoted number with its unit.
impl schemars::JsonSchema for NumLit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Figure".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A figure: a number (814, 5.92) or a quoted number with its unit (\"3350 GB/s\")",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*[0-9][0-9_]*(\\.[0-9]+)?([eE][+-]?[0-9]+)?\\s*[A-Za-z/²%]*\\s*$" }
            ]
        })
    }
}

/// Converts a number literal to an exact decimal.
///
/// `raw` is the literal's source text (from its span); `units` lists the unit spellings
/// accepted after a quoted number (the first is the canonical one, named in errors). Empty
/// `units` means a plain count.
///
/// # Errors
/// A message saying what was expected: not a number, a wrong unit, a negative value, a value
/// above [`MAX_MAGNITUDE`] or with more than [`MAX_SCALE`] decimal places.
pub fn exact_decimal(lit: &NumLit, raw: &str, units: &[&str]) -> Result<Decimal, String> {
    let value = exact_signed(lit, raw, units)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(negative(value));
    }
    Ok(value)
}

/// As [`exact_decimal`], negative values included (the caller says what range it accepts).
///
/// # Errors
/// A message saying what was expected: not a number, a wrong unit, a value above
/// [`MAX_MAGNITUDE`] or with more than [`MAX_SCALE`] decimal places.
pub(crate) fn exact_signed(lit: &NumLit, raw: &str, units: &[&str]) -> Result<Decimal, String> {
    let text = match lit {
        NumLit::Int(_) | NumLit::Float(_) => raw.trim().replace('_', ""),
        NumLit::Text(s) => {
            let s = s.trim();
            // Any letter starts the unit, not only ASCII ones: `814 µm²` is the unit `µm²`, never the
            // number `814 µ` and the unit `m²`.
            let (num, unit) = match s.find(|c: char| c.is_alphabetic() || c == '/' || c == '²') {
                Some(i) => (s[..i].trim(), s[i..].trim()),
                None => (s, ""),
            };
            if num.is_empty() {
                return Err(format!("`{s}` is not a number; write digits with a decimal point, e.g. 5.92"));
            }
            if let Some(expected) = bits_for_bytes(unit, units) {
                let bytes = parse_decimal_text(num).ok().and_then(|v| v.checked_div(Decimal::from(8)));
                let hint =
                    bytes.map(|b| format!(" ({num} {unit} is {} {expected})", b.normalize())).unwrap_or_default();
                return Err(format!(
                    "unit `{unit}` is in bits, not bytes: give the figure in {expected}, 8 bits to the byte{hint}"
                ));
            }
            if !unit.is_empty() && !units.iter().any(|u| u.eq_ignore_ascii_case(unit)) {
                return Err(match units.first() {
                    Some(expected) => format!("unit `{unit}` is not accepted here: give the figure in {expected}"),
                    None => format!("unit `{unit}` is not accepted here: give a plain number"),
                });
            }
            num.to_string()
        }
    };
    let value = parse_decimal_text(&text)?;
    check_range(value)?;
    Ok(value.normalize())
}

/// The byte unit meant, when `unit` is a bit unit where `units` are byte units: `Gb/s`, `Gbps`,
/// `Gbit/s` or `gbits/s` for `GB/s`, `Gb` for `GB` (a lower-case `b`, or `bit`, is a bit; the
/// other letters' case is ignored). Such a figure is 8 times the figure in bytes, and is
/// refused rather than read as bytes.
fn bits_for_bytes<'u>(unit: &str, units: &[&'u str]) -> Option<&'u str> {
    let spelled = |u: &str| {
        let lower = unit.to_ascii_lowercase();
        ["bits", "bit"].iter().any(|b| {
            let (g, rest) = u.split_once('B').unwrap_or((u, ""));
            lower == format!("{}{b}{}", g.to_ascii_lowercase(), rest.to_ascii_lowercase())
        })
    };
    let bits = units.iter().copied().filter(|u| u.contains('B')).any(|u| {
        let b = u.find('B');
        (unit.eq_ignore_ascii_case(u) && b.is_some_and(|i| unit.as_bytes().get(i) == Some(&b'b'))) || spelled(u)
    });
    // Named by the first byte unit accepted (`GB/s`, not `GBps`).
    bits.then(|| units.iter().copied().find(|u| u.contains('B'))).flatten()
}

/// The message for a negative figure of a product sheet, where zero is refused too.
pub(crate) fn negative(value: Decimal) -> String {
    format!("{value} is negative; figures must be greater than zero")
}

/// Reads an owner's share, in percent, written as text: a plain decimal (`60`, `33.3`,
/// `100`), digits with at most one decimal point between digits. Spaces, a sign (`-0`, `+60`),
/// an exponent (`6e1`), a unit (`60%`) or digit separators are refused, in TOML and JSON alike
/// (the literal of a TOML number and of a JSON number are read the same way). The range (0 to
/// 100, at most 100 in all) is checked with the other party checks
/// ([`crate::model::validate_parties`]), for every way a party is made.
///
/// # Errors
/// A message naming the text and the form expected; for a negative share, the wording of
/// the range check (`-10 is negative; ...`).
pub fn parse_percent(text: &str) -> Result<Decimal, String> {
    let bad = || {
        format!(
            "`{text}` is not a share; write a plain decimal from 0 to 100 (60, 33.3 or \"60\"), without spaces, sign, exponent or unit"
        )
    };
    let plain = |t: &str| {
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        digits(int) && (!t.contains('.') || digits(frac))
    };
    if let Some(magnitude) = text.strip_prefix('-').filter(|m| plain(m)) {
        // A negative share, in the range check's words (`-0` is a sign, not a share).
        let v = parse_decimal_text(magnitude).map_err(|_| bad())?;
        if !v.is_zero() {
            return Err(format!("-{} is negative; a share is a percentage from 0 to 100", v.normalize()));
        }
    }
    if !plain(text) {
        return Err(bad());
    }
    Ok(parse_decimal_text(text).map_err(|_| bad())?.normalize())
}

/// Parses a plain decimal (`5.92`, `1e3`, `4800`) exactly, digit by digit: a literal that
/// cannot be held exactly is refused rather than rounded.
///
/// # Errors
/// A message: not a number (a comma, letters, two points), or more significant digits than a
/// decimal holds exactly (28).
pub fn parse_decimal_text(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let bad = || format!("`{t}` is not a number; write digits with a decimal point, e.g. 5.92");
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        Some(_) => (false, t),
        None => return Err(bad()),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().map_err(|_| bad())?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return Err(bad());
    }
    // value = digits × 10^(-scale)
    let mut digits = format!("{int}{frac}").trim_start_matches('0').to_string();
    let mut scale = i64::try_from(frac.len()).map_err(|_| bad())? - i64::from(exp);
    while scale > 0 && digits.ends_with('0') {
        digits.pop();
        scale -= 1;
    }
    if digits.is_empty() {
        return Ok(Decimal::ZERO);
    }
    if digits.len() > 28 {
        return Err(format!("`{t}` has more significant digits than can be held exactly (28)"));
    }
    let mut m: i128 = digits.parse().map_err(|_| bad())?;
    if scale < 0 {
        let up = u32::try_from(-scale).ok().and_then(|k| 10i128.checked_pow(k)).and_then(|p| m.checked_mul(p));
        m = up.ok_or_else(|| format!("`{t}` is larger than the largest accepted figure (10^15)"))?;
        scale = 0;
    }
    let scale =
        u32::try_from(scale).ok().filter(|s| *s <= 28).ok_or_else(|| format!("`{t}` has too many decimal places"))?;
    Decimal::try_from_i128_with_scale(if neg { -m } else { m }, scale)
        .map_err(|_| format!("`{t}` is larger than the largest accepted figure (10^15)"))
}

/// Checks the magnitude and scale limits.
///
/// # Errors
/// A message naming the limit exceeded.
pub fn check_range(value: Decimal) -> Result<(), String> {
    if value.abs() > Decimal::from(MAX_MAGNITUDE) {
        return Err(format!("{value} is larger than the largest accepted figure (10^15)"));
    }
    if value.normalize().scale() > MAX_SCALE {
        return Err(format!("{value} has more than {MAX_SCALE} decimal places"));
    }
    Ok(())
}

/// Source text of a span, or an empty string if the span is out of range.
pub fn slice(text: &str, span: &Range<usize>) -> String {
    text.get(span.clone()).unwrap_or_default().to_string()
}

/// An exact non-negative ratio `num / den` with `den > 0`; plain numbers have `den = 1`.
///
/// Used for performance density (TPP / mm²) and memory bandwidth density (GB/s / mm²), so that
/// `performance_density >= 5.92` is decided as `tpp >= 5.92 × area`, never on a rounded quotient
/// (15 CFR 774 Supp. 1, ECCN 3A090, Technical Notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator.
    pub num: Decimal,
    /// Denominator, positive.
    pub den: Decimal,
}

impl Ratio {
    /// A whole number as a ratio.
    pub fn from_decimal(value: Decimal) -> Self {
        Self { num: value, den: Decimal::ONE }
    }

    /// `num / den`, or `None` when `den` is not positive.
    pub fn new(num: Decimal, den: Decimal) -> Option<Self> {
        (den > Decimal::ZERO).then_some(Self { num, den })
    }

    /// Exact comparison by cross-multiplication in 128-bit integers. `None` only if the
    /// cross-products overflow, which the input limits rule out for any real figure; callers
    /// treat `None` as an evaluation error (never as a result).
    pub fn exact_cmp(&self, other: &Ratio) -> Option<Ordering> {
        let lhs = mul_exact(self.num, other.den)?;
        let rhs = mul_exact(other.num, self.den)?;
        let scale = lhs.1.max(rhs.1);
        let l = lhs.0.checked_mul(10i128.checked_pow(scale - lhs.1)?)?;
        let r = rhs.0.checked_mul(10i128.checked_pow(scale - rhs.1)?)?;
        Some(l.cmp(&r))
    }

    /// The quotient rounded half-away-from-zero to `dp` decimal places, for display only.
    pub fn rounded(&self, dp: u32) -> Decimal {
        self.num
            .checked_div(self.den)
            .map(|q| q.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize())
            .unwrap_or_default()
    }

    /// True when the ratio is a whole decimal (`den = 1`).
    pub fn is_plain(&self) -> bool {
        self.den == Decimal::ONE
    }
}

/// The scale of [`Fixed`] numbers: every threshold a condition may write has at most
/// [`MAX_SCALE`] decimal places, so it is an integer at this scale.
pub const FIXED_SCALE: u32 = MAX_SCALE;

/// A number as a key at the scale 10^-[`FIXED_SCALE`]: twice `floor(x × 10^6)`, plus one when
/// `x × 10^6` is not an integer. Keys order exactly as the numbers do against any number that is
/// an integer at that scale (every literal a condition may hold): when `x × 10^6` is not an
/// integer it lies strictly between `floor` and `floor + 1`, and so does its key between theirs,
/// so no threshold equals it and one integer comparison tells on which side it lies. A part at
/// 5.92 cannot flip on rounding.
///
/// Made once per product ([`Fixed::of_ratio`]), where [`Ratio::exact_cmp`] multiplies 128-bit
/// integers on every comparison. Figures too large for the key (above about 4.6 × 10^12) have
/// none, and are compared on the exact path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fixed(i64);

impl Fixed {
    /// Above every number: the upper end of a range with no upper bound.
    pub const UNBOUNDED: Fixed = Fixed(i64::MAX);

    /// `x` at the fixed scale, or `None` when it does not fit (the exact path is then used).
    pub fn of_ratio(x: &Ratio) -> Option<Fixed> {
        // x × 10^6 = (nm × 10^(6 + ds)) / (dm × 10^ns), with x = (nm / 10^ns) / (dm / 10^ds).
        let (nm, ns) = (x.num.mantissa(), x.num.scale());
        let (dm, ds) = (x.den.mantissa(), x.den.scale());
        let n = nm.checked_mul(10i128.checked_pow(FIXED_SCALE.checked_add(ds)?)?)?;
        let d = dm.checked_mul(10i128.checked_pow(ns)?)?;
        if d <= 0 {
            return None;
        }
        let inexact = i128::from(n.rem_euclid(d) != 0);
        let key = n.div_euclid(d).checked_mul(2)?.checked_add(inexact)?;
        i64::try_from(key).ok().filter(|k| *k != i64::MAX && *k != i64::MIN).map(Fixed)
    }

    /// A decimal at the fixed scale, or `None` when it does not fit.
    pub fn of_decimal(x: Decimal) -> Option<Fixed> {
        Self::of_ratio(&Ratio::from_decimal(x))
    }

    /// A threshold at the fixed scale: `None` when it has more than [`FIXED_SCALE`] decimal
    /// places (never for a parsed condition) or does not fit.
    pub fn threshold(k: Decimal) -> Option<Fixed> {
        Self::of_decimal(k).filter(|f| f.0 % 2 == 0)
    }
}

/// Exact product of two decimals as (mantissa, scale).
fn mul_exact(a: Decimal, b: Decimal) -> Option<(i128, u32)> {
    Some((a.mantissa().checked_mul(b.mantissa())?, a.scale() + b.scale()))
}

impl fmt::Display for Ratio {
    /// Plain numbers print exactly; quotients print rounded to 4 decimal places.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_plain() { write!(f, "{}", self.num.normalize()) } else { write!(f, "{}", self.rounded(4)) }
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_literal_text_not_the_float() {
        assert_eq!(exact_decimal(&NumLit::Float(5.92), "5.92", &[]).unwrap(), d("5.92"));
        assert_eq!(exact_decimal(&NumLit::Int(80), "80_000", &[]).unwrap(), d("80000"));
        assert_eq!(exact_decimal(&NumLit::Float(1e3), "1e3", &[]).unwrap(), d("1000"));
        assert_eq!(exact_decimal(&NumLit::Text("3350 GB/s".into()), "", &["GB/s"]).unwrap(), d("3350"));
    }

    #[test]
    fn refuses_bits_where_bytes_are_meant() {
        let units = ["GB/s", "GBps"];
        for (text, bytes) in [("32000 Gb/s", "4000"), ("8224 Gbps", "1028"), ("8 Gbit/s", "1"), ("12 gbits/s", "1.5")] {
            let e = exact_decimal(&NumLit::Text(text.into()), "", &units).unwrap_err();
            assert!(e.contains("bits, not bytes") && e.contains(&format!("is {bytes} GB/s")), "{text}: {e}");
        }
        assert!(exact_decimal(&NumLit::Text("80 Gb".into()), "", &["GB"]).unwrap_err().contains("bits, not bytes"));
        // Bytes in any case of the other letters are bytes.
        for text in ["3350 GB/s", "3350 gB/s", "3350 GBps"] {
            assert_eq!(exact_decimal(&NumLit::Text(text.into()), "", &units).unwrap(), d("3350"), "{text}");
        }
    }

    #[test]
    fn refuses_wrong_units_negatives_and_commas() {
        assert!(exact_decimal(&NumLit::Text("3.35 TB/s".into()), "", &["GB/s"]).unwrap_err().contains("GB/s"));
        assert!(exact_decimal(&NumLit::Float(-1.0), "-1.0", &[]).unwrap_err().contains("negative"));
        assert!(exact_decimal(&NumLit::Text("5,92".into()), "", &[]).is_err());
        assert!(exact_decimal(&NumLit::Text("1e30".into()), "", &[]).is_err());
        // The largest accepted figure is 10^15 itself.
        assert!(exact_decimal(&NumLit::Int(1_000_000_000_000_000), "1000000000000000", &[]).is_ok());
        assert!(exact_decimal(&NumLit::Int(1_000_000_000_000_001), "1000000000000001", &[]).is_err());
        // 31 significant digits would round to 600 in a 96-bit decimal: refused, not rounded.
        let long = "599.99999999999999999999999999999";
        assert!(exact_decimal(&NumLit::Float(600.0), long, &[]).unwrap_err().contains("significant digits"));
        assert!(exact_decimal(&NumLit::Float(599.9999999), "599.9999999", &[]).unwrap_err().contains("decimal places"));
        assert_eq!(exact_decimal(&NumLit::Float(5.92), "5.9200000000", &[]).unwrap(), d("5.92"));
        // Trailing zeros carry no significance: 30 of them still read as 5.92.
        let zeros = format!("5.92{}", "0".repeat(30));
        assert_eq!(exact_decimal(&NumLit::Float(5.92), &zeros, &[]).unwrap(), d("5.92"));
        assert_eq!(exact_decimal(&NumLit::Float(1.5e3), "1.5e3", &[]).unwrap(), d("1500"));
    }

    #[test]
    fn a_literal_without_digits_is_not_zero() {
        // A point or an exponent alone has no digits: refused, never read as 0.
        for text in [".", "e5", "-.", "+e2"] {
            assert!(parse_decimal_text(text).unwrap_err().contains("is not a number"), "{text}");
        }
    }

    #[test]
    fn twenty_eight_significant_digits_are_held_and_twenty_nine_are_not() {
        // A decimal holds 28 significant digits exactly (96-bit mantissa): 28 are read as written.
        let digits = "1234567890123456789012345678";
        assert_eq!(parse_decimal_text(digits).unwrap(), d(digits));
        assert_eq!(parse_decimal_text(&format!("0.{digits}")).unwrap(), d(&format!("0.{digits}")));
        assert!(parse_decimal_text(&format!("{digits}9")).unwrap_err().contains("significant digits"));
    }

    #[test]
    fn one_sign_only() {
        // "--5" and "+-5" are not numbers; the sign may only be written once.
        for text in ["--5", "+-5", "-+5", "++5"] {
            assert!(parse_decimal_text(text).unwrap_err().contains("is not a number"), "{text}");
            assert!(exact_decimal(&NumLit::Text(text.into()), "", &[]).is_err(), "{text}");
        }
    }

    #[test]
    fn six_decimal_places_are_accepted_and_seven_are_not() {
        // MAX_SCALE is 6: 0.000001 is the finest figure accepted.
        assert_eq!(exact_decimal(&NumLit::Float(1e-6), "0.000001", &[]).unwrap(), d("0.000001"));
        assert!(check_range(d("0.000001")).is_ok());
        assert!(check_range(d("0.0000001")).unwrap_err().contains("more than 6 decimal places"));
    }

    #[test]
    fn plain_numbers_print_exactly_and_quotients_rounded() {
        // Display: a plain number is printed exactly, whatever its decimal places.
        assert_eq!(Ratio::from_decimal(d("1.234567")).to_string(), "1.234567");
        assert_eq!(Ratio::new(d("1.234567"), d("1")).unwrap().to_string(), "1.234567");
        assert_eq!(Ratio::new(d("2"), d("3")).unwrap().to_string(), "0.6667");
    }

    #[test]
    fn units_starting_with_a_symbol_are_checked_too() {
        assert!(exact_decimal(&NumLit::Text("3350 /s".into()), "", &["GB/s"]).unwrap_err().contains("unit `/s`"));
        assert!(exact_decimal(&NumLit::Text("121 ²".into()), "", &["GB/s"]).unwrap_err().contains("unit `²`"));
    }

    /// A die area in square micrometres names its whole unit, micro sign included (tester14 D0).
    #[test]
    fn a_unit_with_a_non_ascii_letter_is_named_whole() {
        let err = exact_decimal(&NumLit::Text("814 µm²".into()), "", &["mm2", "mm²"]).unwrap_err();
        assert_eq!(err, "unit `µm²` is not accepted here: give the figure in mm2");
    }

    #[test]
    fn a_non_number_says_what_was_expected() {
        let err = toml::from_str::<std::collections::BTreeMap<String, NumLit>>("area = true").unwrap_err();
        assert!(err.message().contains("a number (e.g. 814 or 5.92)"), "{}", err.message());
    }

    /// Values at, one unit of the fixed scale (10^-6) around, and a hair (10^-7, or a repeating
    /// quotient) around each threshold.
    fn around(k: &str) -> Vec<Ratio> {
        let k = d(k);
        let ulp = d("0.000001");
        let hair = d("0.0000001");
        let mut v = Vec::new();
        for x in [k, k + ulp, k + hair, k - ulp, k - hair] {
            if x >= Decimal::ZERO {
                v.push(Ratio::from_decimal(x));
            }
        }
        for den in ["3", "7", "347", "814", "0.5", "1000.000001"] {
            let den = d(den);
            for num in [k * den, k * den + ulp, k * den - ulp, k * den + hair, k * den - hair] {
                if let Some(r) = Ratio::new(num, den).filter(|_| num >= Decimal::ZERO) {
                    v.push(r);
                }
            }
        }
        v
    }

    #[test]
    fn fixed_orders_like_the_exact_comparison_at_and_around_every_threshold() {
        let thresholds =
            ["0", "0.000001", "1", "1.6", "2", "3.2", "5.92", "600", "1600", "2400", "4800", "30000000000"];
        let mut checked = 0;
        for k in thresholds {
            let kk = Fixed::threshold(d(k)).unwrap();
            for t in thresholds {
                for x in around(t) {
                    let exact = x.exact_cmp(&Ratio::from_decimal(d(k))).unwrap();
                    let fixed = Fixed::of_ratio(&x).unwrap().cmp(&kk);
                    assert_eq!(fixed, exact, "{}/{} against {k}", x.num, x.den);
                    checked += 1;
                }
            }
        }
        assert!(checked > 3000, "{checked}");
        // 5.92 exactly from a quotient, and one unit of the scale either side.
        let pd = Ratio::new(d("2054.24"), d("347")).unwrap();
        let k = Fixed::threshold(d("5.92")).unwrap();
        assert_eq!(Fixed::of_ratio(&pd).unwrap().cmp(&k), Ordering::Equal);
        assert_eq!(Fixed::of_decimal(d("5.919999")).unwrap().cmp(&k), Ordering::Less);
        assert_eq!(Fixed::of_decimal(d("5.920001")).unwrap().cmp(&k), Ordering::Greater);
        assert!(Fixed::of_decimal(d("1000000000000")).unwrap() < Fixed::UNBOUNDED);
    }

    #[test]
    fn a_threshold_finer_than_the_scale_or_a_value_too_large_has_no_fixed_form() {
        assert_eq!(Fixed::threshold(d("5.9200001")), None);
        assert_eq!(Fixed::threshold(d("5.920000")), Fixed::threshold(d("5.92")));
        // 4.6 × 10^12 is the largest figure with a key; larger ones are compared exactly.
        assert!(Fixed::of_decimal(d("4600000000000")).is_some());
        assert_eq!(Fixed::of_decimal(d("4700000000000")), None);
        assert_eq!(Fixed::of_decimal(Decimal::MAX), None);
        assert_eq!(Fixed::of_ratio(&Ratio { num: Decimal::MAX, den: d("0.0000000000000000000000000001") }), None);
        assert_eq!(Fixed::of_ratio(&Ratio { num: d("1"), den: d("-1") }), None);
        assert_eq!(Fixed::of_ratio(&Ratio { num: d("1"), den: Decimal::ZERO }), None);
    }

    #[test]
    fn ratio_comparison_is_exact_at_the_threshold() {
        // 5.92 × 1000 = 5920 exactly: PD equals 5.92, not "about" 5.92.
        let pd = Ratio::new(d("5920"), d("1000")).unwrap();
        assert_eq!(pd.exact_cmp(&Ratio::from_decimal(d("5.92"))), Some(Ordering::Equal));
        let below = Ratio::new(d("5919.99"), d("1000")).unwrap();
        assert_eq!(below.exact_cmp(&Ratio::from_decimal(d("5.92"))), Some(Ordering::Less));
        // One third is never equal to its rounded decimal.
        let third = Ratio::new(d("1"), d("3")).unwrap();
        assert_eq!(third.exact_cmp(&Ratio::from_decimal(d("0.3333333333"))), Some(Ordering::Greater));
        assert_eq!(Ratio::new(d("2368"), d("814")).unwrap().to_string(), "2.9091");
    }
}
