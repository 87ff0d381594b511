//! Calendar dates for effective periods and as-of dates.
//!
//! Rule files write dates as bare TOML dates (`from = 2023-11-17`); JSON and the CLI use
//! ISO 8601 strings (`"2023-11-17"`). Both become a [`Date`], a day with no time zone: the
//! EAR states effective dates as calendar days.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Month;

/// A calendar day (proleptic Gregorian), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

/// Why a text or TOML value is not a calendar date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(String);

impl Date {
    /// Builds a date from year, month (1–12) and day.
    ///
    /// # Errors
    /// [`DateError`] when the day does not exist (e.g. 2023-02-30).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        let m = Month::try_from(month).map_err(|_| DateError(format!("month {month} is not between 1 and 12")))?;
        time::Date::from_calendar_date(year, m, day)
            .map(Date)
            .map_err(|_| DateError(format!("{year:04}-{month:02}-{day:02} is not a calendar day")))
    }

    /// Today's date in UTC, from the system clock.
    pub fn today_utc() -> Self {
        Date(time::OffsetDateTime::now_utc().date())
    }

    /// Converts a TOML date value. Only a bare local date (`2023-11-17`) is accepted: a time of
    /// day or an offset would make an effective date ambiguous.
    ///
    /// # Errors
    /// [`DateError`] naming what was found instead.
    pub fn from_toml(value: &toml::value::Datetime) -> Result<Self, DateError> {
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => Self::from_ymd(i32::from(d.year), d.month, d.day),
            _ => Err(DateError(format!(
                "expected a date like 2023-11-17, found `{value}` (a time of day or offset is not allowed)"
            ))),
        }
    }

    /// The day after, `None` after the last representable day.
    pub fn next_day(self) -> Option<Date> {
        self.0.next_day().map(Date)
    }

    /// The day before, `None` before the first representable day.
    pub fn prev_day(self) -> Option<Date> {
        self.0.previous_day().map(Date)
    }

    /// Year, month (1–12) and day.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DateError(format!("expected a date like 2023-11-17, found `{s}`"));
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = s.get(r).ok_or_else(bad)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<u32>().map_err(|_| bad())
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let m = u8::try_from(m).map_err(|_| bad())?;
        let d = u8::try_from(d).map_err(|_| bad())?;
        Self::from_ymd(y as i32, m, d)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The JSON Schema of a bare TOML date such as `2023-11-17`, for the fields of rule files,
/// transactions and rule tests that read one (`#[schemars(with = "crate::date::DateLit")]`).
pub struct DateLit;

impl schemars::JsonSchema for DateLit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A date, written as a bare TOML date, year first, with dashes and no quotes: 2023-11-17",
            "type": "string",
            "format": "date"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_iso_dates() {
        let a: Date = "2023-11-16".parse().unwrap();
        let b: Date = "2023-11-17".parse().unwrap();
        assert!(a < b);
        assert_eq!(b.to_string(), "2023-11-17");
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        assert!("2023-02-30".parse::<Date>().is_err());
        assert!("2023-13-01".parse::<Date>().is_err());
        assert!("2023-1-01".parse::<Date>().is_err());
        assert!("2023-01-0x".parse::<Date>().is_err());
        assert!("２０２３-01-01".parse::<Date>().is_err());
    }

    #[test]
    fn converts_bare_toml_dates_only() {
        let v: toml::Value = toml::from_str::<toml::Table>("d = 2024-04-04").unwrap()["d"].clone();
        let toml::Value::Datetime(dt) = v else { panic!("not a datetime") };
        assert_eq!(Date::from_toml(&dt).unwrap().to_string(), "2024-04-04");
        let v = toml::from_str::<toml::Table>("d = 2024-04-04T10:00:00").unwrap()["d"].clone();
        let toml::Value::Datetime(dt) = v else { panic!("not a datetime") };
        assert!(Date::from_toml(&dt).is_err());
    }
}
