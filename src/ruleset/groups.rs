//! Country groups (15 CFR 740 Supp. No. 1) with effective-dated memberships, and destinations
//! the EAR treats as another (Hong Kong as China, 85 FR 83765).

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::Period;
use crate::date::Date;
use crate::diagnostic::Site;
use crate::model::Country;

/// One country group, e.g. `D:5`.
#[derive(Debug, Clone)]
pub struct CountryGroup {
    /// Group id as in Supp. No. 1 to part 740, e.g. `D:5`, `A:6`.
    pub id: String,
    /// Title, e.g. "U.S. Arms Embargoed Countries".
    pub title: String,
    /// Citation.
    pub source: String,
    /// Remark for readers.
    pub note: Option<String>,
    /// Members throughout the pack's coverage.
    pub members: BTreeSet<Country>,
    /// Members for part of the coverage only, with the period and its citation.
    pub dated: Vec<(Country, Period, String)>,
    /// Where the group's id is written: what the lint points at.
    pub site: Site,
}

impl CountryGroup {
    /// Whether `country` is a member on `date`; if so, the citation of a dated membership.
    pub fn membership(&self, country: Country, date: Date) -> Option<Option<&str>> {
        if self.members.contains(&country) {
            return Some(None);
        }
        self.dated.iter().find(|(c, p, _)| *c == country && p.contains(date)).map(|(_, _, s)| Some(s.as_str()))
    }
}

/// `country` is treated as `as_country` during `period` (e.g. HK as CN).
#[derive(Debug, Clone)]
pub struct TreatedAs {
    /// The destination as given.
    pub country: Country,
    /// The destination whose controls apply to it.
    pub as_country: Country,
    /// When.
    pub period: Period,
    /// Citation.
    pub source: String,
    /// Remark for readers.
    pub note: Option<String>,
}

/// All country groups of a pack.
#[derive(Debug, Clone, Default)]
pub struct CountryGroups {
    /// Groups by id, in file order.
    pub groups: IndexMap<String, CountryGroup>,
    /// Equivalences.
    pub treated_as: Vec<TreatedAs>,
}

impl CountryGroups {
    /// The countries whose controls apply to a destination on `date`: itself, then any country
    /// it is treated as.
    pub fn equivalents(&self, country: Country, date: Date) -> Vec<(Country, Option<&TreatedAs>)> {
        let mut out = vec![(country, None)];
        for t in &self.treated_as {
            if t.country == country && t.period.contains(date) {
                out.push((t.as_country, Some(t)));
            }
        }
        out
    }

    /// Whether `country` is in group `id` on `date`.
    pub fn contains(&self, id: &str, country: Country, date: Date) -> bool {
        self.groups.get(id).is_some_and(|g| g.membership(country, date).is_some())
    }
}
