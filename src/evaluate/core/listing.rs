//! Whether a name (of a party or of an owner) is on a screening list as of the date of
//! export, three-valued: listed, near matches and names that cannot be screened left open,
//! lists held only as samples cleared only by an attested screening of that date.

use super::Facts;
use super::missing::{Missing, Near, Who};
use super::parties::Screened;
use super::sink::Notes;
use crate::ruleset::ListEntry;
use crate::ruleset::condition::Truth;

/// The entries among `found` that are on list `list` and in force on the decision's date.
pub(super) fn listed<'r>(f: &Facts<'r>, found: &'r [u32], list: u32) -> impl Iterator<Item = &'r ListEntry> + 'r {
    let (rules, date) = (f.rules, f.date);
    found.iter().filter_map(move |&i| {
        let e = rules.lists.get(i as usize)?;
        (rules.compiled.entry_list.get(i as usize) == Some(&list) && e.period.contains(date)).then_some(e)
    })
}

/// Whether a name (of a party or an owner: `who`) is on list `list`: true when it matches an
/// entry in force; unknown when it matches one only with look-alike characters or as whole
/// words held by a longer name ([`near_matches`]), when there is no name or one not written in
/// Latin letters only ([`unscreenable`]), or when the list is held only as a sample and the
/// party does not attest it was screened against the list as of the date of export
/// ([`screened_as_of_export`]); false otherwise.
pub(super) fn on_list<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    list: u32,
    sc: &'r Screened,
    attested: &'r [(u32, crate::date::Date)],
    who: Who<'r>,
    n: &mut N,
) -> Truth {
    if listed(f, &sc.entries, list).next().is_some() {
        return Truth::True;
    }
    if near_matches(f, list, sc, who, n) || unscreenable(list, sc, who, n) {
        return Truth::Unknown;
    }
    screened_as_of_export(f, list, attested, who, n)
}

/// Whether the name matches entries of list `list` in force only nearly, which leaves the
/// party open, each entry named as a missing fact: look-alike characters first, then spacing
/// and punctuation inside words, then one name held by the other as whole words.
fn near_matches<'r, N: Notes<'r>>(f: &Facts<'r>, list: u32, sc: &'r Screened, who: Who<'r>, n: &mut N) -> bool {
    let near: [(&'r [u32], Near); 4] = [
        (&sc.lookalikes, Near::Lookalike),
        (&sc.unspaced, Near::Unspaced),
        (&sc.contained, Near::Contained),
        (&sc.variants, Near::Variant),
    ];
    for (found, how) in near {
        let mut entries = listed(f, found, list).peekable();
        if entries.peek().is_some() {
            for entry in entries {
                n.missing_fact(Missing::NearMatch { who, list, entry, how });
            }
            return true;
        }
    }
    false
}

/// Whether the name cannot be screened against list `list` at all (the missing fact named):
/// no name, or one not written in Latin letters.
fn unscreenable<'r, N: Notes<'r>>(list: u32, sc: &Screened, who: Who<'r>, n: &mut N) -> bool {
    if !sc.named {
        // Entry ids that match nothing do not screen the party: its name could match.
        n.missing_fact(Missing::Name(who));
        return true;
    }
    if !sc.latin {
        // The lists are published in Latin script: neither this pack nor a screening attested
        // elsewhere can match a name written only in another script against them.
        n.missing_fact(Missing::LatinName(who, list));
        return true;
    }
    false
}

/// A name that matches no entry of list `list` the pack holds: false (not listed) when a
/// screening against the list as of the date of export is attested, or when the pack holds
/// the complete list as of that date; otherwise unknown, the screening missing.
fn screened_as_of_export<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    list: u32,
    attested: &'r [(u32, crate::date::Date)],
    who: Who<'r>,
    n: &mut N,
) -> Truth {
    // A screening attested against the list as of the date of export clears the party.
    if attested.iter().any(|&(l, d)| l == list && d == f.date) {
        return Truth::False;
    }
    // The complete list held (a dated `complete = true` declaration) clears a party only as of
    // its date (15 CFR 744.11: the Entity List as in force on the date of export applies).
    // Dated before the export, entries added since are not in it; dated after, entries removed
    // since are gone from it (an import holds the entries in force on its date, not the ones
    // removed), so a party listed on the date of export could match nothing.
    if let Some(as_of) = f.rules.compiled.list_as_of.get(list as usize).copied().flatten() {
        if as_of == f.date {
            return Truth::False;
        }
        n.missing_fact(Missing::ScreeningAsOf { who, list, date: f.date, as_of });
        return Truth::Unknown;
    }
    // Held only as a sample: what the screenings attested at other dates leave out is written
    // out when shown (`Missing::text`).
    n.missing_fact(Missing::Screening { who, list, date: f.date, attested });
    Truth::Unknown
}
