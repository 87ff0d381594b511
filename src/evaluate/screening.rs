//! What a rule pack checks about parties before screening them: list-entry ids and screening
//! attestations must name what the pack holds (an id that matches nothing would otherwise be
//! ignored, and the party read as not listed), and owners' shares must add up.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::model::{Party, PartyError, PartyErrorKind, Transaction, validate_parties};
use crate::ruleset::{RuleSet, normalize_name};

impl RuleSet {
    /// Checks parties against this pack: the checks of [`validate_parties`] (owners' shares),
    /// then every list-entry id of a party or an owner names an entry of the pack. Ids are
    /// exact: `EL:Huawei-Technologies` or `huawei-technologies` is refused with the id meant.
    /// [`RuleSet::evaluate`] and [`CompiledPack::decide`](crate::CompiledPack::decide) refuse
    /// parties that fail it.
    ///
    /// # Errors
    /// The first problem, naming the party.
    pub fn check_parties(&self, parties: &[Party]) -> Result<(), PartyError> {
        validate_parties(parties)?;
        for (i, p) in parties.iter().enumerate() {
            let owners = p.owners.iter().enumerate().map(|(j, o)| (Some(j), &o.list_entries));
            for (owner, ids) in std::iter::once((None, &p.list_entries)).chain(owners) {
                if let Some(id) = ids.iter().find(|id| !self.lists.iter().any(|e| &e.id == *id)) {
                    let kind =
                        PartyErrorKind::UnknownListEntry { id: id.clone(), suggestion: self.entry_suggestion(id) };
                    return Err(PartyError::new(parties, i, owner, kind));
                }
            }
        }
        Ok(())
    }

    /// The id of the entry an unknown id most likely means: the same id in another case or
    /// without its list prefix, an entry whose name or alias it is, or the closest id.
    fn entry_suggestion(&self, id: &str) -> Option<String> {
        let t = id.trim();
        let same = |e: &&crate::ruleset::ListEntry| {
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
        let (code, needle) = match &e.kind {
            PartyErrorKind::Share(_) | PartyErrorKind::SharesTotal(_) => (Code::E0506, None),
            PartyErrorKind::UnknownListEntry { id, .. } => (Code::E0508, Some(id.as_str())),
            PartyErrorKind::UnknownList { list, .. } => (Code::E0509, Some(list.as_str())),
        };
        let span = needle
            .and_then(|n| {
                let (dq, sq) = (format!("\"{n}\""), format!("'{n}'"));
                src.text
                    .find(&dq)
                    .map(|at| at..at + dq.len())
                    .or_else(|| src.text.find(&sq).map(|at| at..at + sq.len()))
            })
            .unwrap_or(0..1);
        let d: Diagnostic = src.error(code, span, e.message.clone()).with_help_opt(e.help());
        Err(Diagnostics(vec![d]))
    }
}
