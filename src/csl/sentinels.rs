//! Facts every complete Entity List of a given date holds, which a search, an extract or a
//! made-up file need not: entries listed long ago and never removed (the sentinels), no entry
//! that starts after the list's date, and entries added over several years.
//!
//! The sentinels are the entries of the shipped pack's sample (`rules/us-ear/entity-list.toml`,
//! research cut-off 2026-09-24) that no notice has removed: a list dated after their listing
//! that lacks one is not the whole list. A list dated after the cut-off that lacks one may
//! reflect a removal this pack does not know of; it is then not declared complete, which leaves
//! parties it does not hold undetermined (never cleared).

use std::collections::HashSet;

use super::{CslEntry, parse_date};

/// An entry every complete Entity List dated on or after `listed` holds.
pub struct Sentinel {
    /// The listed name, as the Federal Register notice gives it.
    pub name: &'static str,
    /// What the entry's name (less any parenthesised part) or an alias starts with, in the
    /// form of [`key`]: lower case, letters and digits, single spaces.
    pub starts_with: &'static [&'static str],
    /// The entry's address country (ISO 3166-1 alpha-2).
    pub country: &'static str,
    /// The first list date that must hold it: the later of the entry's effective date and the
    /// notice's publication date.
    pub listed: &'static str,
    /// The Federal Register notice that listed it.
    pub notice: &'static str,
}

/// The sentinels: Huawei Technologies Co., Ltd. (84 FR 22961, published 2019-05-21, effective
/// 2019-05-16) and Semiconductor Manufacturing International Corporation (85 FR 83416,
/// published 2020-12-22, effective 2020-12-18), both in China and listed ever since
/// (`rules/us-ear/entity-list.toml`).
pub const SENTINELS: [Sentinel; 2] = [
    Sentinel {
        name: "Huawei Technologies Co., Ltd.",
        starts_with: &["huawei technologies co"],
        country: "CN",
        listed: "2019-05-21",
        notice: "84 FR 22961",
    },
    Sentinel {
        name: "Semiconductor Manufacturing International Corporation",
        starts_with: &["semiconductor manufacturing international corp", "smic"],
        country: "CN",
        listed: "2020-12-22",
        notice: "85 FR 83416",
    },
];

/// The fewest distinct years the start dates of a complete list span (among entries with a
/// start date, when at least half have one): the list has been built by notices every year
/// since 1997.
pub const MIN_START_YEARS: usize = 5;

/// `s` in lower case, letters and digits only, words separated by one space.
fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// `s` without its parenthesised parts: `Semiconductor Manufacturing International Corporation
/// (SMIC)` is compared as `Semiconductor Manufacturing International Corporation`.
fn unbracketed(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| match c {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// Whether `e` is the sentinel's entry, in force on `date` (`YYYY-MM-DD`: no end date on or
/// before it).
fn holds(s: &Sentinel, e: &CslEntry, date: &str) -> bool {
    let names = std::iter::once(&e.name).chain(&e.aliases).map(|n| key(&unbracketed(n)));
    let named = names.into_iter().any(|n| !n.is_empty() && s.starts_with.iter().any(|p| n.starts_with(p)));
    let ended = e.end_date.as_deref().and_then(parse_date).is_some_and(|end| end.as_str() <= date);
    named && e.countries.iter().any(|c| c == s.country) && !ended
}

/// Why `entries`, said to be the Entity List as of `list_date`, cannot be the whole list: a
/// sentinel listed on or before that date is missing, an entry starts after it, or the start
/// dates span fewer than [`MIN_START_YEARS`] years. `None` when none of these holds (or the
/// date is unknown: completeness then fails for that reason).
pub fn implausible(entries: &[CslEntry], list_date: Option<&str>) -> Option<String> {
    // Dates as `YYYY-MM-DD` strings (`parse_date`), compared as text.
    let date = list_date.and_then(parse_date)?;
    let date = date.as_str();
    let missing: Vec<String> = SENTINELS
        .iter()
        .filter(|s| s.listed <= date)
        .filter(|s| !entries.iter().any(|e| holds(s, e, date)))
        .map(|s| format!("{} ({}, listed by {} on {})", s.name, s.country, s.notice, s.listed))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "it lacks {}, which every Entity List dated {date} holds: a search or an extract, not the whole list",
            missing.join(" and ")
        ));
    }
    let starts: Vec<String> = entries.iter().filter_map(|e| e.start_date.as_deref().and_then(parse_date)).collect();
    if let Some(late) = starts.iter().filter(|s| s.as_str() > date).max() {
        return Some(format!(
            "an entry starts on {late}, after the list's date ({date}): the date is not the list's (import-csl --as-of gives it)"
        ));
    }
    let years: HashSet<&str> = starts.iter().filter_map(|d| d.get(..4)).collect();
    if starts.len() * 2 >= entries.len() && years.len() < MIN_START_YEARS {
        return Some(format!(
            "its entries start in {} year(s), fewer than {MIN_START_YEARS}: the Entity List has grown by notices every year since 1997",
            years.len()
        ));
    }
    None
}
