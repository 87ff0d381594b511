//! A product sheet's `declared_eccn`: the vendor's published classification, checked to be
//! written as the Commerce Control List writes an ECCN (15 CFR 774 Supp. No. 1), and compared
//! with the ECCNs the figures give (see `evaluate/core/declared.rs`).

use crate::diagnostic::Code;

use super::figures::Problem;

/// The designation of items subject to the EAR that no ECCN lists (15 CFR 734.3(c)).
pub const EAR99: &str = "EAR99";

/// Whether `text` is written as an ECCN: a Category digit (0-9), a Product Group letter (A-E)
/// and three digits (15 CFR 738.2(d): `3A090`), then optionally paragraphs, each a `.` and one
/// to three lower-case letters or digits, at most four deep (`3A090.a`, `4A090.b`, `5A992.c`,
/// `3A991.p`, `3A001.z.1.b`); or `EAR99`.
pub fn is_eccn(text: &str) -> bool {
    if text == EAR99 {
        return true;
    }
    let mut chars = text.chars();
    let mut next = || chars.next().unwrap_or(' ');
    let entry = next().is_ascii_digit()
        && ('A'..='E').contains(&next())
        && next().is_ascii_digit()
        && next().is_ascii_digit()
        && next().is_ascii_digit();
    let rest = text.get(5..).unwrap_or("");
    if !entry {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let Some(paragraphs) = rest.strip_prefix('.') else { return false };
    let parts: Vec<&str> = paragraphs.split('.').collect();
    parts.len() <= 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// The problem with a `declared_eccn`, if it is not written as an ECCN (E0247): a classification
/// that names nothing the rules can compare with the figures would pass for the vendor's.
pub(crate) fn declared_eccn(text: &str) -> Option<Problem> {
    if is_eccn(text) {
        return None;
    }
    let mut p = Problem::new(
        Code::E0247,
        format!(
            "declared_eccn `{text}` is not written as an ECCN (a digit, a letter A-E, three digits, then paragraphs such as `.a`), nor `EAR99`"
        ),
    );
    p.help = Some(
        "write the vendor's classification as the Commerce Control List writes it, e.g. `3A090.a`, `4A090.b`, `5A992.c` or `EAR99`; leave the key out if the vendor published none".into(),
    );
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms of 15 CFR 774 Supp. No. 1 are ECCNs; prose, upper-case paragraphs, spaces and
    /// a letter outside A-E are not.
    #[test]
    fn eccns_are_written_as_the_ccl_writes_them() {
        for ok in ["3A090.a", "4A090.b", "5A992.c", "EAR99", "3A991.p", "3A090", "3A001.z.1.b", "0A501.y.1"] {
            assert!(is_eccn(ok), "{ok}");
        }
        for bad in [
            "not an ECCN at all",
            "3A090.A",
            " 3A090.a",
            "3A090.a ",
            "3F090.a",
            "3A09.a",
            "3A090.",
            "3A090..a",
            "3A090a",
            "ear99",
            "",
            "3A090.a.1.b.2.c",
            "3A090.abcd",
        ] {
            assert!(!is_eccn(bad), "{bad:?}");
        }
    }
}
