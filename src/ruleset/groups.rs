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
    /// Countries whose membership the sources do not confirm (throughout the coverage): their
    /// membership is unknown, never assumed either way.
    pub unverified_members: BTreeSet<Country>,
    /// What the sources could not confirm about `unverified_members`, and where they are and
    /// are not listed (`None` when there are none).
    pub unverified: Option<UnverifiedMembership>,
    /// Memberships the sources leave unverified for a period only
    /// (`[[country_group.unverified_member]]`): on the days of the period the country's
    /// membership is unknown, never assumed either way (Cambodia in D:5 from 2025-11-07, when
    /// State removed it from 22 CFR 126.1, to 2026-02-03, when BIS's conforming rule removed
    /// it from Supp. No. 1 to part 740). The loader refuses a period that overlaps a
    /// membership of the same country or another unverified period of it (E0229).
    pub unverified_dated: Vec<UnverifiedPeriod>,
    /// Where the group's id is written: what the lint points at.
    pub site: Site,
    /// Where its `members` are written (the list): what the lint of an empty group (L021)
    /// points at.
    pub members_site: Site,
}

impl CountryGroup {
    /// Whether the group has no member on any day: no `members`, no dated member and no
    /// unverified member. A rule naming it concerns no country.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
            && self.dated.is_empty()
            && self.unverified_members.is_empty()
            && self.unverified_dated.is_empty()
    }
}

/// A membership the sources leave unverified on the days of `period` only.
#[derive(Debug, Clone)]
pub struct UnverifiedPeriod {
    /// The country whose membership is unknown.
    pub country: Country,
    /// The days on which it is unknown (`from` inclusive, `until` exclusive).
    pub period: Period,
    /// What the sources could not confirm, and where the membership is and is not found.
    pub why: UnverifiedMembership,
}

/// Why a group's unverified members are unverified.
#[derive(Debug, Clone)]
pub struct UnverifiedMembership {
    /// What the sources could not confirm.
    pub reason: String,
    /// Where the membership is and is not found.
    pub source: String,
}

impl CountryGroup {
    /// Whether `country` is a member on `date`; if so, the citation of a dated membership. A
    /// country whose membership is unverified is not a member here: ask
    /// [`CountryGroup::is_unverified`] first when the difference matters.
    pub fn membership(&self, country: Country, date: Date) -> Option<Option<&str>> {
        if self.members.contains(&country) {
            return Some(None);
        }
        self.dated.iter().find(|(c, p, _)| *c == country && p.contains(date)).map(|(_, _, s)| Some(s.as_str()))
    }
}

impl CountryGroup {
    /// Whether the sources leave `country`'s membership unverified (unknown) on `date`:
    /// throughout the coverage (`unverified_members`) or on the days of an unverified period
    /// (`unverified_member`).
    pub fn is_unverified(&self, country: Country, date: Date) -> bool {
        self.unverified_members.contains(&country) || self.unverified_period(country, date).is_some()
    }

    /// The unverified period of `country` that holds `date`, if any.
    pub fn unverified_period(&self, country: Country, date: Date) -> Option<&UnverifiedPeriod> {
        self.unverified_dated.iter().find(|u| u.country == country && u.period.contains(date))
    }

    /// The missing fact when `country`'s membership is unverified on `date`, e.g. "whether
    /// Cyprus is in Country Group D:5 (unverified: …; source: …)", or for a period "whether
    /// Cambodia is in Country Group D:5 on 2025-12-01 (unverified from 2025-11-07 to
    /// 2026-02-02: …; source: …)".
    pub fn unverified_fact(&self, country: Country, date: Date) -> Option<String> {
        if let Some(u) = self.unverified_period(country, date) {
            // A period written without `from` starts on the loader's first day (1900-01-01).
            let open_start = Date::from_ymd(1900, 1, 1).is_ok_and(|d| u.period.from <= d);
            let days = match (open_start, u.period.until.and_then(Date::prev_day)) {
                (false, Some(last)) => format!("from {} to {last}", u.period.from),
                (false, None) => format!("from {}", u.period.from),
                (true, Some(last)) => format!("to {last}"),
                (true, None) => String::new(),
            };
            return Some(format!(
                "whether {} is in Country Group {} on {date} (unverified {days}: {}; source: {})",
                country.name(),
                self.id,
                u.why.reason.trim_end_matches('.'),
                u.why.source
            ));
        }
        let u = self.unverified.as_ref().filter(|_| self.unverified_members.contains(&country))?;
        Some(format!(
            "whether {} is in Country Group {} (unverified: {}; source: {})",
            country.name(),
            self.id,
            u.reason.trim_end_matches('.'),
            u.source
        ))
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

    /// Whether `country` is in group `id` on `date` (false for a country whose membership is
    /// unverified: see [`CountryGroups::membership_truth`]).
    pub fn contains(&self, id: &str, country: Country, date: Date) -> bool {
        self.groups.get(id).is_some_and(|g| g.membership(country, date).is_some())
    }

    /// Whether `country` is in group `id` on `date`, three-valued: unknown when the sources
    /// leave its membership unverified.
    pub fn membership_truth(&self, id: &str, country: Country, date: Date) -> crate::ruleset::condition::Truth {
        use crate::ruleset::condition::Truth;
        match self.groups.get(id) {
            Some(g) if g.membership(country, date).is_some() => Truth::True,
            Some(g) if g.is_unverified(country, date) => Truth::Unknown,
            _ => Truth::False,
        }
    }
}
