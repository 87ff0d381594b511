//! Countries, by ISO 3166-1 alpha-2 code (Hong Kong `HK`, Macau `MO`), and Kosovo by `XK`
//! (see [`Country::KOSOVO`]).
//!
//! Country groups (15 CFR 740 Supp. No. 1) are not here: they are effective-dated data in the
//! rule pack (`country-groups.toml`).

use std::fmt;
use std::str::FromStr;

use isocountry::CountryCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A country identified by its ISO 3166-1 alpha-2 code; only assigned codes are accepted, and
/// `XK` for Kosovo ([`Country::KOSOVO`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

/// A code that is not an assigned ISO 3166-1 alpha-2 country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{code}` is not an ISO 3166-1 alpha-2 country code{hint}")]
pub struct UnknownCountry {
    /// The text given.
    pub code: String,
    /// A hint such as " (did you mean `GB`?)"; empty when there is none.
    pub hint: String,
}

impl Country {
    /// The United States, the country of export for an export (as opposed to a reexport).
    pub const US: Country = Country(*b"US");
    /// Ukraine, where some regions are treated apart (15 CFR 746.6; [`super::Region`]).
    pub const UA: Country = Country(*b"UA");
    /// Kosovo, `XK`: not in ISO 3166-1 (whose codes `XA`–`XZ` are left for users to assign),
    /// but a country the EAR names: 15 CFR 740 Supp. No. 1 lists Kosovo (in Country Group B).
    /// `XK` is the user-assigned code in common use for it (the European Commission and other
    /// bodies use it). The shipped pack's
    /// groups (A:5, A:6, D:1, D:4, D:5) do not hold it, so it is decided as any country of none
    /// of them is (tester12 T11).
    pub const KOSOVO: Country = Country(*b"XK");

    /// Whether the country is part of the United States as the EAR defines it: the States, the
    /// District of Columbia, Puerto Rico and all territories, dependencies and possessions of
    /// the United States (15 CFR 772.1, "United States"), i.e. `US`, `PR`, `VI` (US Virgin
    /// Islands), `GU` (Guam), `AS` (American Samoa), `MP` (Northern Mariana Islands) and `UM`
    /// (US Minor Outlying Islands). A shipment between two of them is not an export; a
    /// shipment from one of them abroad is an export from the United States.
    pub fn is_united_states(self) -> bool {
        // The first letters of those codes, one bit each (`letter & 31`): most countries are
        // answered by this one test, without the table of the codes (the destination of every
        // decision is tested; about 8 instructions per decision of the peers bench, callgrind).
        const FIRST: u32 = 1 << (b'U' & 31)
            | 1 << (b'P' & 31)
            | 1 << (b'V' & 31)
            | 1 << (b'G' & 31)
            | 1 << (b'A' & 31)
            | 1 << (b'M' & 31);
        if FIRST >> (self.0[0] & 31) & 1 == 0 {
            return false;
        }
        // `US` first: the usual country of export, answered without the table of the others.
        self.0 == *b"US" || matches!(&self.0, b"PR" | b"VI" | b"GU" | b"AS" | b"MP" | b"UM")
    }

    /// The two-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Every assigned ISO 3166-1 alpha-2 code, and Kosovo's `XK`, in code order.
    pub fn all() -> Vec<Country> {
        let mut v: Vec<Country> = CountryCode::iter().filter_map(|c| c.alpha2().parse().ok()).collect();
        v.push(Country::KOSOVO);
        v.sort();
        v.dedup();
        v
    }

    /// A dense index in `0..Country::INDEX_LIMIT` (26 × first letter + second letter), for
    /// per-country tables and bitsets.
    pub(crate) fn index(self) -> usize {
        let [a, b] = self.0;
        usize::from(a.saturating_sub(b'A')) * 26 + usize::from(b.saturating_sub(b'A'))
    }

    /// The country with [`Country::index`] `i`, assigned or not (used only to look up
    /// memberships, never shown).
    pub(crate) fn from_index(i: usize) -> Option<Country> {
        let a = u8::try_from(i / 26).ok().filter(|a| *a < 26)?;
        let b = u8::try_from(i % 26).ok()?;
        Some(Country([b'A' + a, b'A' + b]))
    }

    /// One more than the largest [`Country::index`].
    pub(crate) const INDEX_LIMIT: usize = 26 * 26;

    /// English short name from ISO 3166-1, e.g. "China"; "Kosovo" for `XK`.
    pub fn name(&self) -> &'static str {
        if *self == Country::KOSOVO {
            return "Kosovo";
        }
        CountryCode::for_alpha2(self.code()).map(|c| c.name()).unwrap_or("?")
    }
}

impl FromStr for Country {
    type Err = UnknownCountry;

    /// Parses an upper-case alpha-2 code, or `XK` (Kosovo, [`Country::KOSOVO`]). Lower case is
    /// refused so that rule files stay uniform; common mistakes get a hint (`UK` → `GB`, an
    /// alpha-3 code → its alpha-2, `xk` → `XK`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hint = |h: &str| UnknownCountry { code: s.to_string(), hint: format!(" (did you mean `{h}`?)") };
        if s == "XK" {
            return Ok(Country::KOSOVO);
        }
        if s.eq_ignore_ascii_case("XK") {
            return Err(hint("XK"));
        }
        if let [a, b] = *s.as_bytes()
            && a.is_ascii_uppercase()
            && b.is_ascii_uppercase()
            && CountryCode::for_alpha2(s).is_ok()
        {
            return Ok(Country([a, b]));
        }
        if s.eq_ignore_ascii_case("UK") {
            return Err(hint("GB"));
        }
        let upper = s.to_ascii_uppercase();
        if upper != s && upper.len() == 2 && CountryCode::for_alpha2(&upper).is_ok() {
            return Err(hint(&upper));
        }
        if let Ok(c) = CountryCode::for_alpha3(&upper) {
            return Err(hint(c.alpha2()));
        }
        Err(UnknownCountry { code: s.to_string(), hint: String::new() })
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_assigned_codes_including_hong_kong_and_macau() {
        for code in ["CN", "HK", "MO", "AE", "US", "KH"] {
            assert_eq!(code.parse::<Country>().unwrap().code(), code);
        }
        assert_eq!("CN".parse::<Country>().unwrap().name(), "China");
    }

    /// Kosovo, listed in 15 CFR 740 Supp. No. 1 (Country Group B), is entered as `XK`
    /// (tester12 T11) and is among every country (screens and impact reports cover it).
    #[test]
    fn accepts_kosovo_as_xk() {
        let xk = "XK".parse::<Country>().unwrap();
        assert_eq!((xk.code(), xk.name()), ("XK", "Kosovo"));
        assert!(!xk.is_united_states());
        assert!(Country::all().contains(&xk));
    }

    /// Of every country, exactly the seven parts of the United States of 15 CFR 772.1 are the
    /// United States (the States and DC as `US`, Puerto Rico and the territories): the test
    /// of their first letters skips none of them and lets no other through.
    #[test]
    fn the_united_states_are_the_seven_codes_of_772_1() {
        let us: Vec<String> =
            Country::all().into_iter().filter(|c| c.is_united_states()).map(|c| c.code().to_string()).collect();
        assert_eq!(us, ["AS", "GU", "MP", "PR", "UM", "US", "VI"]);
        // Same first letters as codes of the list, other countries.
        for other in ["AE", "AU", "GB", "MY", "PL", "UA", "VN"] {
            assert!(!other.parse::<Country>().unwrap().is_united_states(), "{other}");
        }
    }

    #[test]
    fn refuses_unassigned_codes_with_hints() {
        assert_eq!("UK".parse::<Country>().unwrap_err().hint, " (did you mean `GB`?)");
        assert_eq!("cn".parse::<Country>().unwrap_err().hint, " (did you mean `CN`?)");
        assert_eq!("CHN".parse::<Country>().unwrap_err().hint, " (did you mean `CN`?)");
        assert!("XX".parse::<Country>().is_err());
        assert_eq!("xk".parse::<Country>().unwrap_err().hint, " (did you mean `XK`?)");
        assert!("".parse::<Country>().is_err());
    }
}
