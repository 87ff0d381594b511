//! What a rule pack checks about parties before screening them: list-entry ids and screening
//! attestations must name what the pack holds (an id that matches nothing would otherwise be
//! ignored, and the party read as not listed), and owners' shares must add up.

use super::core::{PreparedParties, Screened};
use super::determination::{ScopeKind, ScopeLine, ScreeningBasis};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::model::{
    MAX_OWNER_DEPTH, Owner, Party, PartyError, PartyErrorKind, Screening, Transaction, validate_parties,
};
use crate::ruleset::{ListEntry, RuleSet, ScreeningList, normalize_name};

impl RuleSet {
    /// Checks parties against this pack: the checks of [`validate_parties`] (owners' shares),
    /// then every list-entry id of a party or an owner names an entry of the pack (ids are
    /// exact: `EL:Huawei-Technologies` or `huawei-technologies` is refused with the id meant),
    /// and every screening attestation names a list of the pack.
    /// [`RuleSet::evaluate`] and [`CompiledPack::decide`](crate::CompiledPack::decide) refuse
    /// parties that fail it.
    ///
    /// # Errors
    /// The first problem, naming the party.
    pub fn check_parties(&self, parties: &[Party]) -> Result<(), PartyError> {
        validate_parties(parties)?;
        for (i, p) in parties.iter().enumerate() {
            // Each owner at every level read, with its path: a problem names and locates the
            // owner it is about, not the party's owner it is held through.
            let tree = crate::model::owner_paths(p, crate::model::MAX_OWNER_DEPTH);
            let owners = tree.iter().map(|(path, o)| (path.as_slice(), &o.list_entries));
            for (owner, ids) in std::iter::once((&[][..], &p.list_entries)).chain(owners) {
                if let Some(id) = ids.iter().find(|id| !self.lists.iter().any(|e| &e.id == *id)) {
                    let kind =
                        PartyErrorKind::UnknownListEntry { id: id.clone(), suggestion: self.entry_suggestion(id) };
                    return Err(PartyError::at_owner(parties, i, owner.to_vec(), kind));
                }
            }
            let attestations = std::iter::once((&[][..], &p.screened))
                .chain(tree.iter().map(|(path, o)| (path.as_slice(), &o.screened)))
                .flat_map(|(owner, screened)| screened.iter().map(move |s| (owner, s)));
            let mut attestations = attestations;
            if let Some((owner, s)) = attestations.find(|(_, s)| !self.lists.iter().any(|e| e.list == s.list)) {
                let mut names: Vec<&str> = Vec::new();
                for e in &self.lists {
                    if !names.contains(&e.list.as_str()) {
                        names.push(&e.list);
                    }
                }
                let given = s.list.trim();
                let suggestion = names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(given) || n.replace('_', "-").eq_ignore_ascii_case(given))
                    .copied()
                    .or_else(|| did_you_mean(given, names.iter().copied()))
                    .map(str::to_string);
                let kind = PartyErrorKind::UnknownList { list: s.list.clone(), suggestion };
                return Err(PartyError::at_owner(parties, i, owner.to_vec(), kind));
            }
        }
        Ok(())
    }

    /// The id of the entry an unknown id most likely means: the same id in another case or
    /// without its list prefix, an entry whose name or alias it is, or the closest id.
    fn entry_suggestion(&self, id: &str) -> Option<String> {
        let t = id.trim();
        let same = |e: &&ListEntry| {
            e.id.eq_ignore_ascii_case(t) || e.id.split_once(':').is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(t))
        };
        if let Some(e) = self.lists.iter().find(same) {
            return Some(e.id.clone());
        }
        let key = normalize_name(t.split_once(':').map_or(t, |(_, rest)| rest));
        if let Some(e) = self.lists.iter().find(|e| !key.is_empty() && e.keys.contains(&key)) {
            return Some(e.id.clone());
        }
        did_you_mean(t, self.lists.iter().map(|e| e.id.as_str())).map(str::to_string)
    }

    /// Checks a transaction's parties against this pack ([`RuleSet::check_parties`]), with
    /// the problem located in the file it was read from (`src`).
    ///
    /// # Errors
    /// One diagnostic: E0506 for a share, E0508 for an unknown list-entry id, E0509 for an
    /// attestation naming an unknown list.
    pub fn check_transaction(&self, t: &Transaction, src: &SourceFile) -> Result<(), Diagnostics> {
        let Err(e) = self.check_parties(&t.parties) else { return Ok(()) };
        let needle = match &e.kind {
            PartyErrorKind::Share(_)
            | PartyErrorKind::SharesTotal(_)
            | PartyErrorKind::BidiControl(_)
            | PartyErrorKind::ControlChar(_)
            | PartyErrorKind::ListDateAfterToday { .. }
            | PartyErrorKind::DuplicateParty { .. }
            | PartyErrorKind::DuplicateOwner { .. }
            | PartyErrorKind::ContradictoryParty { .. }
            | PartyErrorKind::ContradictoryOwner { .. }
            | PartyErrorKind::TooManyParties(_)
            | PartyErrorKind::TooManyOwners(_)
            | PartyErrorKind::OwnersTooDeep(_)
            | PartyErrorKind::NameTooLong(_)
            | PartyErrorKind::PreparedForOtherParties => None,
            PartyErrorKind::UnknownListEntry { id, .. } => Some(id.as_str()),
            PartyErrorKind::UnknownList { list, .. } => Some(list.as_str()),
            PartyErrorKind::Registration { number, .. } => Some(number.as_str()),
        };
        let code = e.code();
        let span = crate::model::repeat_span(&src.text, &t.parties, &e)
            .or_else(|| {
                needle.and_then(|n| {
                    let (dq, sq) = (format!("\"{n}\""), format!("'{n}'"));
                    src.text
                        .find(&dq)
                        .map(|at| at..at + dq.len())
                        .or_else(|| src.text.find(&sq).map(|at| at..at + sq.len()))
                })
            })
            .or_else(|| {
                // A direction or other control, as written: the character itself or a TOML/JSON
                // escape.
                let (PartyErrorKind::BidiControl(c) | PartyErrorKind::ControlChar(c)) = e.kind else { return None };
                crate::model::written_char_span(&src.text, c)
            })
            .unwrap_or(0..1);
        let d: Diagnostic = src.error(code, span, e.message.clone()).with_help_opt(e.help());
        Err(Diagnostics(vec![d]))
    }
}

/// Every screening attestation of `parties`, each with whose name it screened: the party's
/// own (`end user "X"`) and each owner's (`end user "X"'s owner "Y"`).
fn attestations(parties: &[Party]) -> impl Iterator<Item = (String, &Screening)> {
    parties.iter().flat_map(|p| {
        let own = p.screened.iter().map(move |s| (p.label(), s));
        let owners =
            owner_labels(p).into_iter().flat_map(move |(label, o)| o.screened.iter().map(move |s| (label.clone(), s)));
        own.chain(owners)
    })
}

/// Every owner of `p` at every level, in the order of
/// [`owners_in_depth`](crate::model::owners_in_depth), each with the path from the party down
/// to it as `missing` names it (`end user "X"'s owner "H"'s owner "A"`): an owner's owner is
/// not the party's own owner (tester round 7, T6).
fn owner_labels(p: &Party) -> Vec<(String, &Owner)> {
    fn walk<'a>(above: &str, o: &'a Owner, depth: usize, out: &mut Vec<(String, &'a Owner)>) {
        let label = format!("{above}'s owner \"{}\"", crate::model::shown_name(&o.name));
        out.push((label.clone(), o));
        if depth < MAX_OWNER_DEPTH {
            o.owners.iter().for_each(|c| walk(&label, c, depth + 1, out));
        }
    }
    let mut out = Vec::with_capacity(p.owners.len());
    let label = p.label();
    p.owners.iter().for_each(|o| walk(&label, o, 1, &mut out));
    out
}

/// A warning for each owner whose name reads as a class of holders, a role or a withheld name
/// ([`crate::names::names_a_class_of_holders`]: `Employees`, `Custodian`, `Public float`,
/// `Nominee shareholders`). Whether an owner is identified is what the transaction states
/// (`registration`, `identified`), never read from these words (tester round 9, U3 and O2);
/// the words only ask the exporter to look again.
fn holder_class_warnings(parties: &[Party], warnings: &mut Vec<String>) {
    for p in parties {
        for (who, o) in owner_labels(p) {
            if crate::names::names_a_class_of_holders(&crate::names::normalize_name(&o.name)) {
                let stated = if o.is_identified() {
                    "the transaction states it identified this owner: check that it is one person, and name the persons behind a nominee or custodian"
                } else {
                    "name the persons that hold this share, each with its registration or identified = true"
                };
                warnings.push(format!(
                    "{who} reads as a class of holders, a role or a withheld name, not one person: {stated} (15 CFR 744.11 as amended by 90 FR 47201 aggregates ownership by legal persons)."
                ));
            }
        }
    }
}

/// Who screened, as the attestation names it: `None` when `by` is absent or blank.
fn screener(s: &Screening) -> Option<&str> {
    s.by.as_deref().map(str::trim).filter(|b| !b.is_empty())
}

impl RuleSet {
    /// The basis of screening `parties` against each list of the pack: what the pack holds of
    /// it (entries, complete or sample, date, sources) and the screenings the parties attest.
    /// Empty without parties.
    pub fn screening_basis(&self, parties: &[Party]) -> Vec<ScreeningBasis> {
        if parties.is_empty() {
            return Vec::new();
        }
        let mut lists: Vec<&str> = Vec::new();
        for e in &self.lists {
            if !lists.contains(&e.list.as_str()) {
                lists.push(&e.list);
            }
        }
        lists
            .into_iter()
            .map(|list| {
                let decl: Vec<&ScreeningList> = self.screening_lists.iter().filter(|s| s.list == list).collect();
                let complete = decl.iter().any(|s| s.complete);
                let as_of = decl.iter().filter(|s| s.complete || !complete).filter_map(|s| s.as_of).max();
                let sources = decl
                    .iter()
                    .map(|s| {
                        let kind = if s.complete { "complete list" } else { "sample" };
                        let dated = s.as_of.map_or_else(|| " (undated)".to_string(), |d| format!(" as of {d}"));
                        format!("{kind}{dated}: {} ({})", s.source, s.location)
                    })
                    .collect::<Vec<_>>();
                let sources = if sources.is_empty() {
                    vec![
                        "the pack does not say what it holds of this list ([[screening_list]]): taken as a sample"
                            .into(),
                    ]
                } else {
                    sources
                };
                let attested = attestations(parties)
                    .filter(|(_, s)| s.list == list)
                    .map(|(who, s)| {
                        let by = screener(s).map(|b| format!(" by {b}")).unwrap_or_default();
                        format!("{who}: screened against the list of {}{by}", s.list_date)
                    })
                    .collect();
                ScreeningBasis {
                    list: list.to_string(),
                    name: decl.first().map_or_else(|| list.to_string(), |s| s.name.clone()),
                    entries: self.lists.iter().filter(|e| e.list == list).count(),
                    complete,
                    as_of,
                    sources,
                    attested,
                }
            })
            .collect()
    }

    /// Scope lines and warnings about the screening basis of a determination on `date`.
    pub(crate) fn screening_notes(
        &self,
        basis: &[ScreeningBasis],
        parties: &[Party],
        date: Date,
        scope: &mut Vec<ScopeLine>,
        warnings: &mut Vec<String>,
    ) {
        for b in basis {
            let dated = b.as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
            if b.complete {
                scope.push(ScopeLine::new(
                    ScopeKind::Screening,
                    format!("Parties were screened against the complete {}{dated} ({} entries).", b.name, b.entries),
                ));
                if let Some(as_of) = b.as_of.filter(|d| *d < date) {
                    warnings.push(format!(
                        "The {} held is dated {as_of}, before the date of export {date}: entries added since are not screened; import the list again before export.",
                        b.name
                    ));
                }
            } else {
                scope.push(ScopeLine::new(ScopeKind::Screening, format!(
                    "The pack holds a sample of the {} ({} entries{dated}), not the complete list: a party that matches none of its entries is cleared of the {} only by a screening against the full list, which the party attests (`screened`), or by importing the complete list (`export-controls import-csl`).",
                    b.name, b.entries, b.name
                )));
            }
        }
        for (who, s) in attestations(parties) {
            let name = basis.iter().find(|b| b.list == s.list).map_or(s.list.as_str(), |b| b.name.as_str());
            if s.list_date < date {
                warnings.push(format!(
                    "{who} was screened against the {name} of {}, before the date of export {date}: screen again before export.",
                    s.list_date
                ));
            }
            if screener(s).is_none() {
                warnings.push(format!(
                    "The screening of {who} against the {name} of {} names no screener (`by`): the record of the screening (15 CFR 762.2) should say who or what screened.",
                    s.list_date
                ));
            }
        }
        holder_class_warnings(parties, warnings);
    }

    /// Warnings for names that match list entries only with look-alike characters, only once
    /// the spaces inside them are removed, or only as variants (abbreviated, plural or one
    /// letter off).
    pub(crate) fn lookalike_warnings(&self, parties: &PreparedParties, date: Date, warnings: &mut Vec<String>) {
        self.near_match_warnings(parties, date, warnings, |sc| &sc.lookalikes, |who, e| {
            format!(
                "{who} is written with look-alike characters (other scripts, marks or confusable letters) that read as {} entry {} \"{}\" ({}): if it is that entity, give its id in list_entries; otherwise write the name as registered",
                e.list, e.id, e.name, e.source
            )
        });
        self.near_match_warnings(parties, date, warnings, |sc| &sc.unspaced, |who, e| {
            format!(
                "{who} matches {} entry {} \"{}\" ({}) once spacing and punctuation inside words are ignored: if it is that entity, give its id in list_entries; otherwise write the name as registered",
                e.list, e.id, e.name, e.source
            )
        });
        self.near_match_warnings(parties, date, warnings, |sc| &sc.variants, |who, e| {
            format!(
                "{who} reads as {} entry {} \"{}\" ({}) with words abbreviated, in the plural or one letter off: if it is that entity, give its id in list_entries; otherwise write the name as registered",
                e.list, e.id, e.name, e.source
            )
        });
    }

    /// One warning per party or owner and per entry in force on `date` among the near matches
    /// that `found` picks from its screening, worded by `message(who, entry)`.
    fn near_match_warnings(
        &self,
        parties: &PreparedParties,
        date: Date,
        warnings: &mut Vec<String>,
        found: impl Fn(&Screened) -> &[u32],
        message: impl Fn(&str, &ListEntry) -> String,
    ) {
        let mut warn = |who: String, sc: &Screened| {
            for e in found(sc).iter().filter_map(|&i| self.lists.get(i as usize)).filter(|e| e.period.contains(date)) {
                warnings.push(message(&who, e));
            }
        };
        for (i, p) in parties.parties.iter().enumerate() {
            if let Some(sc) = parties.screened.get(i) {
                warn(p.label(), sc);
            }
            for ((label, _), (_, sc)) in
                owner_labels(p).into_iter().zip(parties.owners.get(i).map_or(&[][..], Vec::as_slice))
            {
                warn(label, sc);
            }
        }
    }
}
