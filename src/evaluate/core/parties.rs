//! Parties screened once against a pack's screening lists: which entries each party's and
//! each owner's name or given entry ids match.

use rust_decimal::Decimal;

use crate::model::{Party, PartyError, PartyErrorKind, Role};
use crate::names::{
    contains_words, fold_key, has_legal_form_spelt_out, is_variant, legal_form_key, lookalike_keys, plain_letters,
    split_key, withholds_name, written_in_latin_letters,
};
use crate::ruleset::{RuleSet, is_placeholder_name, matches_unspaced, normalize_name};

/// One name screened against a pack's lists.
#[derive(Debug, Clone, Default)]
pub(crate) struct Screened {
    /// Indexes of the list entries the name or the given entry ids match.
    pub entries: Vec<u32>,
    /// Indexes of the entries the name matches only with look-alike characters, or holds or is
    /// held by as whole words only so read (`SMlC Beijing`, `S1MIC Beijing`; none of
    /// `entries`).
    pub lookalikes: Vec<u32>,
    /// Indexes of the entries whose name the name holds once the spaces are removed, spaced
    /// otherwise or glued to other letters (`Hua wei`, `ShenzhenHuawei`, `BeijingSMIC`:
    /// [`matches_unspaced`], read on the name's [`split_key`]; none of the others).
    pub unspaced: Vec<u32>,
    /// Indexes of the entries whose name holds the name, or is held by it, as whole words
    /// ([`contains_words`]; none of `entries` or `lookalikes`).
    pub contained: Vec<u32>,
    /// Indexes of the entries whose name the name is, holds or is held by only once their
    /// words are folded (plurals, common abbreviations: `Biren Technologies`, `Semiconductor
    /// Mfg Intl Corp`) or one of its words is read as the entry's word one edit from it
    /// (`Hwawei Technologies`): [`is_variant`]; none of the others.
    pub variants: Vec<u32>,
    /// Whether there is a name to screen (not absent, blank, punctuation only or a
    /// placeholder such as `N/A` or `TBD`).
    pub named: bool,
    /// Whether the transaction identifies whose name it is: always for a party (a party is
    /// the person the transaction names); for an owner, a registration or the exporter's
    /// `identified` ([`crate::model::Owner::is_identified`]). An owner that is not identified
    /// may be a class of holders (`Employees`, `Custodian`), so its name clears nothing.
    pub identified: bool,
    /// Whether the name is written in Latin letters only ([`written_in_latin_letters`]). The
    /// Entity List (15 CFR 744 Supp. No. 4) and the other lists are published in Latin script:
    /// a name written wholly or partly in another script (`华为技术有限公司`, `华为 Co., Ltd.`,
    /// `Хуавэй`) cannot be matched against their entries however it is screened, so it
    /// screens nothing unless it names an entry exactly.
    pub latin: bool,
}

/// The parties of a transaction, screened once against a pack (names normalised and matched
/// against its screening lists) so that deciding many transactions for the same parties does
/// no string work.
#[derive(Debug, Clone)]
pub struct PreparedParties {
    pub(crate) parties: Vec<Party>,
    /// Per party: its name screened.
    pub(crate) screened: Vec<Screened>,
    /// Per party, per owner at every level in the order of
    /// [`owners_in_depth`](crate::model::owners_in_depth): the share and the owner's name
    /// screened.
    pub(crate) owners: Vec<Vec<(Option<Decimal>, Screened)>>,
    /// Per party: the lists (interned ids) it attests it was screened against elsewhere.
    pub(crate) attested: Vec<Vec<(u32, crate::date::Date)>>,
    /// Per party, per owner (as `owners`): the lists the owner attests it was screened against (the
    /// party's own attestation does not cover its owners).
    pub(crate) owners_attested: Vec<Vec<Vec<(u32, crate::date::Date)>>>,
    /// Whether an end user is among the parties. When parties are given without one, the end
    /// user is an unknown party that party rules must consider: an ultimate consignee given
    /// alone does not stand for it (15 CFR 748.5(e)-(f); tester round 10, V1: an H100 to a
    /// Malaysian distributor, its buyer unknown, was cleared on the distributor's facts).
    pub(crate) end_party: bool,
    /// Whether an ultimate consignee is among the parties: when none is, the absent end user
    /// is taken to receive the items too (it holds both roles for the party rules).
    pub(crate) consignee_given: bool,
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
        PreparedParties {
            parties: Vec::new(),
            screened: Vec::new(),
            owners: Vec::new(),
            attested: Vec::new(),
            owners_attested: Vec::new(),
            end_party: false,
            consignee_given: false,
            pack: 0,
            problem: None,
        }
    }

    /// A shared empty set of parties.
    pub(crate) fn none_ref() -> &'static PreparedParties {
        &NO_PARTIES
    }

    /// Parties that stand for a preparation of other parties than the query's: every
    /// decision with them is refused (E0516).
    pub(crate) fn other_ref() -> &'static PreparedParties {
        static OTHER: std::sync::LazyLock<PreparedParties> = std::sync::LazyLock::new(|| PreparedParties {
            problem: Some(PartyError::new(&[], 0, None, PartyErrorKind::PreparedForOtherParties)),
            ..PreparedParties::none()
        });
        &OTHER
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
    /// when its name's key ([`normalize_name`]: NFKC, invisible characters dropped, upper case,
    /// letters and digits, single spaces) equals the key of the entry's name or an alias, or
    /// when it names the entry's id in `list_entries`; a name that equals an entry's only with
    /// look-alike characters, that holds it or is held by it as whole words, or that holds it
    /// once the spaces are removed (glued to other letters, or spaced otherwise:
    /// [`matches_unspaced`]), or that is the entry's written otherwise (abbreviated, plural or
    /// one edit off: [`is_variant`]), is recorded as such (screening leaves it open). Whether the entry
    /// is in force is checked on each decision's date.
    pub(crate) fn screen(rules: &RuleSet, parties: &[Party]) -> PreparedParties {
        // No parties: nothing to screen or check (`check_parties` finds nothing in none).
        if parties.is_empty() {
            return PreparedParties::none();
        }
        let list_id =
            |l: &str| rules.compiled.list_names.iter().position(|n| n == l).and_then(|i| u32::try_from(i).ok());
        let attested = |screened: &[crate::model::Screening]| -> Vec<(u32, crate::date::Date)> {
            screened.iter().filter_map(|s| Some((list_id(&s.list)?, s.list_date))).collect()
        };
        PreparedParties {
            parties: parties.to_vec(),
            screened: parties.iter().map(|p| Screened::of(rules, p.name.as_deref(), &p.list_entries, None)).collect(),
            owners: parties
                .iter()
                .map(|p| {
                    let tree = crate::model::owners_in_depth(p).into_iter();
                    let screened = |o: &crate::model::Owner| {
                        Screened::of(rules, Some(&o.name), &o.list_entries, Some(o.is_identified()))
                    };
                    tree.map(|(_, o)| (o.percent, screened(o))).collect()
                })
                .collect(),
            attested: parties.iter().map(|p| attested(&p.screened)).collect(),
            owners_attested: parties
                .iter()
                .map(|p| crate::model::owners_in_depth(p).into_iter().map(|(_, o)| attested(&o.screened)).collect())
                .collect(),
            end_party: parties.iter().any(|p| p.role == Role::EndUser),
            consignee_given: parties.iter().any(|p| p.role == Role::UltimateConsignee),
            pack: if parties.is_empty() { 0 } else { rules.id },
            problem: rules.check_parties(parties).err(),
        }
    }

    /// Whether these parties were screened against `rules` (or are none): a decision with
    /// them reads their matches as they are; otherwise it screens them again.
    #[inline]
    pub(crate) fn is_for(&self, rules: &RuleSet) -> bool {
        self.pack == 0 || self.pack == rules.id
    }
}

impl Screened {
    /// Screens one name and the entry ids given with it against the lists of `rules`.
    /// `owner`: whether the name is an owner's, and whether the transaction identifies it
    /// (`None` for a party's name).
    fn of(rules: &RuleSet, name: Option<&str>, ids: &[String], owner: Option<bool>) -> Screened {
        let keys = NameKeys::read(name, owner);
        let latin = keys.key.as_deref().is_some_and(written_in_latin_letters);
        let identified = owner.unwrap_or(true);
        let mut out = Screened { named: keys.key.is_some(), latin, identified, ..Screened::default() };
        for (i, e) in rules.lists.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            match keys.against(e, ids) {
                Some(Match::Entry) => out.entries.push(i),
                Some(Match::Lookalike) => out.lookalikes.push(i),
                Some(Match::Contained) => out.contained.push(i),
                Some(Match::Unspaced) => out.unspaced.push(i),
                Some(Match::Variant) => out.variants.push(i),
                None => {}
            }
        }
        out
    }
}

/// How a name matches one list entry: the list of [`Screened`] the entry's index goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// [`Screened::entries`].
    Entry,
    /// [`Screened::lookalikes`].
    Lookalike,
    /// [`Screened::contained`].
    Contained,
    /// [`Screened::unspaced`].
    Unspaced,
    /// [`Screened::variants`].
    Variant,
}

/// The keys one name is screened by: its key, split where the case changes, its look-alike
/// keys, read as plain letters, and with its words folded.
struct NameKeys {
    /// The name's key ([`normalize_name`]); `None` when there is no name to screen.
    key: Option<String>,
    /// The key with breaks where the case changes inside a word (`BeijingSMIC`).
    split: Option<String>,
    /// The name's look-alike keys ([`lookalike_keys`]).
    look: Vec<String>,
    /// The key and the split key read as plain letters ([`plain_letters`]).
    folded: Option<(String, String)>,
    /// The keys with their words folded (plurals, abbreviations), for [`is_variant`].
    forms: Vec<String>,
}

impl NameKeys {
    /// The keys of `name`. A blank name, or a placeholder for an unknown one, screens nothing.
    /// An owner's name (`owner` is `Some`) is read as no name only when it withholds one
    /// (`N/A`, `Nominee ...`): whether an owner is a person is what `identified` says, not its
    /// words (tester round 9, O2).
    fn read(name: Option<&str>, owner: Option<bool>) -> NameKeys {
        let no_name = |k: &String| if owner.is_some() { withholds_name(k) } else { is_placeholder_name(k) };
        let key = name.map(normalize_name).filter(|k| !k.is_empty() && !no_name(k));
        let split = key.as_ref().and(name).map(split_key);
        let look = match &key {
            Some(_) => name.map(lookalike_keys).unwrap_or_default(),
            None => Vec::new(),
        };
        // Read as plain letters (`Huá Wéi Technologies` without its accents, `HUAW3I` and
        // `HUAVVEI` with digits and `vv` read as letters: [`plain_letters`]), the key and the
        // split key: a name that is, holds or is held by an entry only so read is left open.
        let folded = key.as_ref().and(name).and_then(plain_letters).map(|f| (normalize_name(&f), split_key(&f)));
        let mut forms: Vec<String> = Vec::new();
        let keys = [key.as_ref(), split.as_ref(), folded.as_ref().map(|f| &f.0), folded.as_ref().map(|f| &f.1)];
        for f in keys.into_iter().flatten().map(|k| fold_key(k)) {
            if !forms.contains(&f) {
                forms.push(f);
            }
        }
        NameKeys { key, split, look, folded, forms }
    }

    /// How the name (or the entry ids given with it, `ids`) matches the list entry `e`, the
    /// first of these that holds: named by id or by its key (also split where the case
    /// changes: `MooreThreads` for `Moore Threads`) is the entry; a look-alike key is left open;
    /// a key that holds the entry's or is held by it as whole words (also once split:
    /// `BeijingBiren`), or holds it once the spaces are removed, is left open; so are the
    /// same read as plain letters, a look-alike key that holds or is held by the entry's
    /// look-alike as whole words, and a name the entry's written otherwise.
    fn against(&self, e: &crate::ruleset::ListEntry, ids: &[String]) -> Option<Match> {
        let (key, split, folded) = (self.key.as_ref(), self.split.as_ref(), self.folded.as_ref());
        // The key as it is, or with its legal form abbreviated as the entry's (`Company
        // Limited` for `Co., Ltd.`): the same name.
        let exact = |k: &String| {
            e.keys.contains(k) || {
                let legal = legal_form_key(k);
                let spelt_out = legal != *k;
                e.keys.iter().any(|ek| (spelt_out || has_legal_form_spelt_out(ek)) && legal_form_key(ek) == legal)
            }
        };
        let words = |k: &String| e.keys.iter().any(|ek| contains_words(k, ek));
        let unspaced = |k: &String| e.keys.iter().any(|ek| matches_unspaced(k, ek));
        if ids.contains(&e.id) || key.is_some_and(exact) || split.is_some_and(exact) {
            Some(Match::Entry)
        } else if self.look.iter().any(|k| e.lookalikes.contains(k)) {
            Some(Match::Lookalike)
        } else if key.is_some_and(words) {
            Some(Match::Contained)
        } else if split.is_some_and(unspaced) {
            Some(Match::Unspaced)
        } else if split.is_some_and(words) {
            Some(Match::Contained)
        } else if folded.is_some_and(|(fk, fs)| exact(fk) || exact(fs)) {
            Some(Match::Lookalike)
        } else if folded.is_some_and(|(fk, fs)| words(fk) || words(fs)) {
            Some(Match::Contained)
        } else if folded.is_some_and(|(_, fs)| unspaced(fs)) {
            Some(Match::Unspaced)
        } else if self.look.iter().any(|k| e.lookalikes.iter().any(|ek| contains_words(k, ek))) {
            // A look-alike key that holds the entry's, or is held by it, as whole words:
            // `SMlC Beijing` (a lower-case `l` for `I`), `S1MIC Beijing` (a digit slipped
            // into a short listed name, read as not there) beside a place (names8).
            Some(Match::Lookalike)
        } else if self.forms.iter().any(|f| e.folded.iter().any(|ef| is_variant(f, ef))) {
            Some(Match::Variant)
        } else {
            None
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// No parties screen to [`PreparedParties::none`] without being read: the checks find
    /// nothing wrong in none (so the shortcut of `screen` drops no problem), and parties given
    /// are still checked (a share over 100 %, E0506, is refused).
    #[test]
    fn no_parties_screen_to_none() {
        let rules = RuleSet::shipped().unwrap();
        assert!(rules.check_parties(&[]).is_ok());
        let none = PreparedParties::screen(&rules, &[]);
        assert!(none.parties.is_empty() && none.screened.is_empty() && none.owners.is_empty());
        assert!(none.attested.is_empty() && none.owners_attested.is_empty());
        assert!(!none.end_party && !none.consignee_given && none.problem.is_none());
        assert_eq!(none.pack, 0);
        assert!(none.is_for(&rules));
        let party: Party = serde_json::from_str(
            r#"{"role": "end_user", "name": "Example Co", "country": "MY",
                "owner": [{"name": "Holder Ltd", "percent": "101"}]}"#,
        )
        .unwrap();
        let some = PreparedParties::screen(&rules, std::slice::from_ref(&party));
        assert!(some.problem.is_some());
        assert_eq!(some.pack, rules.id);
    }
}
