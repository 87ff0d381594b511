//! The compared answer: paragraphs matched, paragraphs undetermined, licence required.

use std::fmt;

/// The paragraphs the benchmark rules classify under, in bit order.
pub const PARAGRAPHS: [&str; 6] = ["3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2", "4A090.a", "4A090.b"];

/// The ECCN of each paragraph, as a mask of the paragraphs under the same ECCN.
const ECCN_MASK: [u8; 6] = [0b00_0011, 0b00_0011, 0b00_1100, 0b00_1100, 0b01_0000, 0b10_0000];

/// The ECCN reported for each paragraph.
pub const ECCNS: [&str; 6] = ["3A090.a", "3A090.a", "3A090.b", "3A090.b", "4A090.a", "4A090.b"];

/// Whether the licence requirement 742.6(a)(6)(iii) applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Licence {
    /// It does not apply.
    NotRequired,
    /// It applies.
    Required,
    /// It applies or not depending on a missing figure.
    Indeterminate,
}

impl Licence {
    /// From the Kleene truth value of the requirement.
    #[inline]
    pub fn of(t: Option<bool>) -> Licence {
        match t {
            Some(true) => Licence::Required,
            Some(false) => Licence::NotRequired,
            None => Licence::Indeterminate,
        }
    }
}

/// One determination reduced to what every implementation can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Answer {
    /// Paragraphs certainly matched (bit i = `PARAGRAPHS[i]`).
    pub paragraphs: u8,
    /// Paragraphs that may match depending on a missing figure, left out when their ECCN is
    /// already certain (an H100-class part without a die area is 3A090.a by a.1 whatever a.2 says).
    pub undetermined: u8,
    /// The licence requirement.
    pub licence: Licence,
}

impl Answer {
    /// From the paragraphs that are certainly true and those that are possibly true (not
    /// certainly false), and the same two bounds of the licence requirement.
    #[inline]
    pub fn from_bounds(certain: u8, possible: u8, licence_certain: bool, licence_possible: bool) -> Answer {
        let unknown = possible & !certain;
        let mut undetermined = 0;
        for (i, mask) in ECCN_MASK.iter().enumerate() {
            if unknown & (1 << i) != 0 && certain & mask == 0 {
                undetermined |= 1 << i;
            }
        }
        let licence = if licence_certain {
            Licence::Required
        } else if licence_possible {
            Licence::Indeterminate
        } else {
            Licence::NotRequired
        };
        Answer { paragraphs: certain, undetermined, licence }
    }

    /// The bit of a paragraph id (bit i = `PARAGRAPHS[i]`).
    #[inline]
    pub fn bit(paragraph: &str) -> Option<u8> {
        Some(match paragraph {
            "3A090.a.1" => 1,
            "3A090.a.2" => 2,
            "3A090.b.1" => 4,
            "3A090.b.2" => 8,
            "4A090.a" => 16,
            "4A090.b" => 32,
            _ => return None,
        })
    }

    /// The ECCNs certainly matched, sorted.
    pub fn eccns(&self) -> Vec<&'static str> {
        let mut v: Vec<&str> =
            ECCNS.iter().enumerate().filter(|(i, _)| self.paragraphs & (1 << i) != 0).map(|(_, e)| *e).collect();
        v.dedup();
        v
    }

    fn names(bits: u8) -> Vec<&'static str> {
        PARAGRAPHS.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, p)| *p).collect()
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "paragraphs {:?}, undetermined {:?}, licence {:?}",
            Answer::names(self.paragraphs),
            Answer::names(self.undetermined),
            self.licence
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_follow_paragraphs() {
        for (i, p) in PARAGRAPHS.iter().enumerate() {
            assert_eq!(Answer::bit(p), Some(1 << i), "{p}");
        }
        assert_eq!(Answer::bit("3A090.c"), None);
    }
}
