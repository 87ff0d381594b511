//! Parties screened once against a pack's screening lists: which entries each party's and
//! each owner's name or given entry ids match.

use rust_decimal::Decimal;

use crate::model::{Party, PartyError};
use crate::ruleset::{RuleSet, normalize_name};

/// The parties of a transaction, screened once against a pack (names normalised and matched
/// against its screening lists) so that deciding many transactions for the same parties does
/// no string work.
#[derive(Debug, Clone)]
pub struct PreparedParties {
    pub(crate) parties: Vec<Party>,
    /// Per party: indexes of the list entries its name or given entry ids match.
    pub(crate) entries: Vec<Vec<u32>>,
    /// Per party, per owner: the share and the matched list entries.
    pub(crate) owners: Vec<Vec<(Option<Decimal>, Vec<u32>)>>,
    /// The pack they were screened against (0: no parties, valid for every pack).
    pub(crate) pack: u64,
    /// Why the parties cannot be evaluated against the pack ([`RuleSet::check_parties`]):
    /// every decision with them is refused.
    pub(crate) problem: Option<PartyError>,
}

static NO_PARTIES: PreparedParties = PreparedParties::none();

impl PreparedParties {
    /// No parties: party rules are not evaluated (as with an empty
    /// [`Query::parties`](crate::evaluate::Query)).
    pub const fn none() -> Self {
        PreparedParties { parties: Vec::new(), entries: Vec::new(), owners: Vec::new(), pack: 0, problem: None }
    }

    /// A shared empty set of parties.
    pub(crate) fn none_ref() -> &'static PreparedParties {
        &NO_PARTIES
    }

    /// The parties, as given.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// Why these parties cannot be evaluated against the pack they were prepared for (an
    /// unknown list-entry id, an owner's share out of range), if they cannot: every decision
    /// with them returns [`EvaluateError::Party`](crate::EvaluateError::Party).
    pub fn problem(&self) -> Option<&PartyError> {
        self.problem.as_ref()
    }

    /// Screens `parties` against the lists of `rules`. A party or owner matches a list entry
    /// when its name, normalised (upper case, letters and digits, single spaces), equals the
    /// entry's name or an alias, or when it names the entry's id in `list_entries`; whether the
    /// entry is in force is checked on each decision's date.
    pub(crate) fn screen(rules: &RuleSet, parties: &[Party]) -> PreparedParties {
        let matches = |name: Option<&str>, ids: &[String]| -> Vec<u32> {
            let key = name.map(normalize_name);
            rules
                .lists
                .iter()
                .enumerate()
                .filter(|(_, e)| ids.contains(&e.id) || key.as_ref().is_some_and(|k| e.keys.contains(k)))
                .filter_map(|(i, _)| u32::try_from(i).ok())
                .collect()
        };
        PreparedParties {
            parties: parties.to_vec(),
            entries: parties.iter().map(|p| matches(p.name.as_deref(), &p.list_entries)).collect(),
            owners: parties
                .iter()
                .map(|p| p.owners.iter().map(|o| (o.percent, matches(Some(&o.name), &o.list_entries))).collect())
                .collect(),
            pack: if parties.is_empty() { 0 } else { rules.id },
            problem: rules.check_parties(parties).err(),
        }
    }

    /// These parties if they were screened against `rules` (or are none), else screened again
    /// into `slot`.
    pub(crate) fn for_pack<'a>(
        &'a self,
        rules: &RuleSet,
        slot: &'a mut Option<PreparedParties>,
    ) -> &'a PreparedParties {
        if self.pack == 0 || self.pack == rules.id { self } else { slot.insert(Self::screen(rules, &self.parties)) }
    }
}

impl RuleSet {
    /// Entries whose name or alias resembles `name` without matching it exactly (one contains the
    /// other as whole words), for a "screen this party" warning.
    pub(crate) fn possible_matches(&self, name: &str, date: crate::date::Date) -> Vec<&crate::ruleset::ListEntry> {
        let key = format!(" {} ", normalize_name(name));
        self.lists
            .iter()
            .filter(|e| e.period.contains(date) && !e.keys.iter().any(|k| format!(" {k} ") == key))
            .filter(|e| {
                e.keys.iter().any(|k| {
                    let k = format!(" {k} ");
                    k.trim().len() >= 4 && (key.contains(&k) || k.contains(&key))
                })
            })
            .collect()
    }
}
