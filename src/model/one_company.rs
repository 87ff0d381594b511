//! Two statements of what may be one company, compared (E0520): every party, and every owner at
//! every level of a party's owners (`[[party.owner]]`, `[[party.owner.owner]]`, ...), is a
//! statement of a company; two statements whose names may name one company must not give it two
//! headquarters, two parent headquarters or two sets of owners.
//!
//! When two names may name one company: their keys are equal ([`crate::names::company_key`]:
//! company forms, accents, spacing and case aside: `Acme Rechenzentrum`, `Acme Rechenzentrum
//! G.m.b.H.`, `AcmeRechenzentrum GmbH`), or they are one letter off in one word of 6 letters or
//! more ([`crate::names::one_letter_off`]: `Acme Rechenzentrun` beside `Acme Rechenzentrum`);
//! and, for two parties, they are in the same country or one of them gives none. An owner gives
//! no country, so it may be one company with any statement of its name.
//!
//! `Acme AG` beside `Acme GmbH` (company forms that differ) may be one company, and is refused
//! when the two give different headquarters or owners. Decided so, and why: a lawyer would
//! rather be asked than clear, and here the error asks at little cost. Registries judge whether
//! a new company's name is distinguishable from those already registered with the company form
//! disregarded (UK: Companies Act 2006 s.66 and the Company, Limited Liability Partnership and
//! Business (Names and Trading Disclosures) Regulations 2015, Sch. 3, which disregard `limited`,
//! `plc`, `AG`, `GmbH` and the like; Germany: HGB §30(1), where the form alone does not set a
//! firm apart), so two companies of one country whose names differ only by the form are rare,
//! while one company written once as `AG` and once as `GmbH` is a common slip. And the refusal
//! bites only when the two statements give different facts: two real companies of one name in
//! one country are refused only if one states another headquarters or ownership than the
//! other, which group companies of one country seldom do. Reading the forms as two companies
//! instead would decide on the favourable statement whenever the form is written otherwise, the
//! false clearance E0520 is there to stop (tester round 6, S11). The error's help tells the user
//! to give one company's facts once, or name two companies apart.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::country::Country;
use super::party::{Owner, Party, PartyError, PartyErrorKind, holds_a_share, shown_name};

/// One statement of a company: a party, or an owner at any level of a party's owners.
struct Statement<'a> {
    /// Index of the party.
    party: usize,
    /// For an owner: the party's owner it is or is held through (0-based), and the path of
    /// owners down to it (names, for the message).
    owner: Option<(usize, Vec<&'a str>)>,
    name: &'a str,
    country: Option<Country>,
    headquarters: Option<Country>,
    parent_headquarters: Option<Country>,
    owners: &'a [Owner],
    owners_known: bool,
}

/// The statements seen so far, found by their names' keys.
#[derive(Default)]
pub(super) struct Companies<'a> {
    seen: Vec<Statement<'a>>,
    /// Statements by [`crate::names::company_key`].
    keys: HashMap<String, Vec<usize>>,
    /// Statements by each of [`crate::names::company_masks`], with their company words.
    masks: HashMap<String, Vec<(usize, String)>>,
}

impl<'a> Companies<'a> {
    /// Compares party `i` (named) with the statements seen, then records it.
    pub(super) fn party(&mut self, parties: &'a [Party], i: usize) -> Result<(), PartyError> {
        let Some(p) = parties.get(i) else { return Ok(()) };
        let Some(name) = p.name.as_deref() else { return Ok(()) };
        self.add(
            parties,
            Statement {
                party: i,
                owner: None,
                name,
                country: p.country,
                headquarters: p.headquarters,
                parent_headquarters: p.parent_headquarters,
                owners: &p.owners,
                owners_known: p.owners_known,
            },
        )
    }

    /// Compares each owner of party `i`, at every level, with the statements seen, then records
    /// it. Owners named by a placeholder (`Unknown`, `N/A`) name no company and are not compared.
    pub(super) fn owners(&mut self, parties: &'a [Party], i: usize) -> Result<(), PartyError> {
        type Found<'a> = Vec<(usize, Vec<&'a str>, &'a Owner)>;
        fn walk<'a>(j: usize, path: &[&'a str], o: &'a Owner, depth: usize, out: &mut Found<'a>) {
            let mut here = path.to_vec();
            here.push(&o.name);
            out.push((j, here.clone(), o));
            if depth < super::party::MAX_OWNER_DEPTH {
                o.owners.iter().for_each(|c| walk(j, &here, c, depth + 1, out));
            }
        }
        let Some(p) = parties.get(i) else { return Ok(()) };
        let mut found = Vec::new();
        for (j, o) in p.owners.iter().enumerate() {
            walk(j, &[], o, 1, &mut found);
        }
        // In the order of `owners_in_depth`: an owner before its own owners.
        for (j, path, o) in found {
            let key = crate::names::normalize_name(&o.name);
            if key.is_empty() || crate::names::is_placeholder_name(&key) {
                continue;
            }
            let s = Statement {
                party: i,
                owner: Some((j, path)),
                name: &o.name,
                country: None,
                headquarters: None,
                parent_headquarters: None,
                owners: &o.owners,
                owners_known: o.owners_known,
            };
            self.add(parties, s)?;
        }
        Ok(())
    }

    /// Compares `s` with every statement seen whose name may name the same company, in the
    /// order given, then records it.
    fn add(&mut self, parties: &[Party], s: Statement<'a>) -> Result<(), PartyError> {
        let key = crate::names::company_key(s.name);
        let words = crate::names::company_words(s.name);
        let masks = crate::names::company_masks(&words);
        let mut candidates: Vec<usize> = self.keys.get(&key).cloned().unwrap_or_default();
        for m in &masks {
            let near = self.masks.get(m).into_iter().flatten();
            candidates.extend(near.filter(|(_, w)| crate::names::one_letter_off(w, &words)).map(|(k, _)| *k));
        }
        candidates.sort_unstable();
        candidates.dedup();
        for k in candidates {
            let Some(f) = self.seen.get(k) else { continue };
            let one_country = f.country.is_none() || s.country.is_none() || f.country == s.country;
            if let Some(field) = contradiction(f, &s).filter(|_| one_country) {
                // Which of the names written as this one it is (the statements seen hold every
                // name given before it), to place the error in a file.
                let nth = 1 + self.seen.iter().filter(|x| x.name == s.name).count();
                return Err(error(parties, f, &s, field, nth));
            }
        }
        let at = self.seen.len();
        self.keys.entry(key).or_default().push(at);
        for m in masks {
            self.masks.entry(m).or_default().push((at, words.clone()));
        }
        self.seen.push(s);
        Ok(())
    }
}

/// The fact that two statements of one company give differently, if any: both state it and
/// the values differ (a fact one of them leaves out is not a contradiction). Owners are stated
/// when one holding a share is listed ([`holds_a_share`]) or they are declared complete
/// (`owners_known`), and compared as sets of (name key, share) of the owners holding a share:
/// an owner at 0 % on one side only is no contradiction.
fn contradiction(a: &Statement<'_>, b: &Statement<'_>) -> Option<&'static str> {
    let differ = |x: Option<Country>, y: Option<Country>| x.is_some() && y.is_some() && x != y;
    if differ(a.headquarters, b.headquarters) {
        return Some("headquarters");
    }
    if differ(a.parent_headquarters, b.parent_headquarters) {
        return Some("parent_headquarters");
    }
    let stated = |s: &Statement<'_>| s.owners_known || s.owners.iter().any(holds_a_share);
    if stated(a) && stated(b) && owner_set(a.owners) != owner_set(b.owners) {
        return Some("owners");
    }
    None
}

/// Owners holding a share ([`holds_a_share`]) as (name key, share), sorted.
fn owner_set(owners: &[Owner]) -> Vec<(String, Option<Decimal>)> {
    let mut v: Vec<_> = owners
        .iter()
        .filter(|o| holds_a_share(o))
        .map(|o| (crate::names::normalize_name(&o.name), o.percent.map(|x| x.normalize())))
        .collect();
    v.sort();
    v
}

/// The E0520 error of statement `s` contradicting the earlier statement `f` on `field`: between
/// two parties [`PartyErrorKind::ContradictoryParty`], worded by [`PartyError::new`]; with an
/// owner among them [`PartyErrorKind::ContradictoryOwner`], naming each owner by its path.
fn error(parties: &[Party], f: &Statement<'_>, s: &Statement<'_>, field: &'static str, nth: usize) -> PartyError {
    if f.owner.is_none() && s.owner.is_none() {
        return PartyError::new(parties, s.party, None, PartyErrorKind::ContradictoryParty { first: f.party, field });
    }
    let who = |x: &Statement<'_>| {
        let party = parties.get(x.party).map_or_else(|| "party".to_string(), Party::label);
        match &x.owner {
            None => format!("{party} (party {})", x.party + 1),
            Some((_, path)) => {
                let mut chain: Vec<String> =
                    path.iter().rev().map(|n| format!("owner \"{}\"", shown_name(n))).collect();
                chain.push(format!("{party} (party {})", x.party + 1));
                chain.join(" of ")
            }
        }
    };
    let owners = |x: &Statement<'_>| {
        let list: Vec<String> = x
            .owners
            .iter()
            .filter(|o| holds_a_share(o))
            .map(|o| match o.percent {
                Some(p) => format!("\"{}\" {p} %", shown_name(&o.name)),
                None => format!("\"{}\"", shown_name(&o.name)),
            })
            .collect();
        if list.is_empty() { "none".to_string() } else { list.join(", ") }
    };
    let same = if crate::names::company_key(f.name) == crate::names::company_key(s.name) {
        "the same name once company forms, accents, spacing and case are set aside"
    } else {
        "the same name but one letter in a long word"
    };
    let message = format!(
        "{} and {} may be one company ({same}; an owner gives no country, so they may be one) but give different owners: {} and {}",
        who(s),
        who(f),
        owners(s),
        owners(f)
    );
    let kind = PartyErrorKind::ContradictoryOwner {
        first: f.party,
        first_owner: f.owner.as_ref().map(|(j, _)| *j),
        name: s.name.to_string(),
        nth,
    };
    // The owner is located by its name's occurrence (`nth`), so the path names only the
    // party's owner it is or is held through.
    let owner = s.owner.as_ref().map(|(j, _)| *j);
    PartyError { party: s.party, owner, owner_path: owner.into_iter().collect(), kind, message }
}
