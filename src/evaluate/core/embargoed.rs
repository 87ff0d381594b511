//! Parties of an embargoed destination that do not take the items (tester round 11, W11): a
//! purchaser (or a beneficiary) located in Iran, buying for delivery elsewhere; and parties of
//! any role stated headquartered in one, located elsewhere (an Iranian company's branch abroad:
//! 560.204 reaches a supply "indirectly" to Iran, and the Cuban Assets Control Regulations make
//! an organization "having its principal place of business in Cuba" a national of Cuba wherever
//! it acts, 31 CFR 515.302(a)(2)).
//!
//! The embargoes of 15 CFR part 746 reach more than the country of delivery: 31 CFR 560.204
//! prohibits the "exportation, reexportation, sale, or supply, directly or indirectly, from the
//! United States, or by a United States person, wherever located, of any goods ... to Iran or
//! the Government of Iran", including to a person in a third country with knowledge or reason to
//! know the goods are intended for Iran; 560.206 any dealing in goods "for exportation,
//! reexportation, sale or supply, directly or indirectly, to Iran"; 746.7 (Iran), 746.4 (North
//! Korea), 746.9 (Syria) and 746.2 (Cuba) require licences for the destination. Whether a sale to
//! such a party is a supply to the embargoed country turns on facts the transaction does not
//! state (who the party acts for, where it takes the items next, whether it is the Government
//! of Iran), so the determination is left open naming them, never cleared. A party in the
//! United States, or in any country no embargo requirement of the pack holds for, changes
//! nothing.

use super::missing::Missing;
use super::sink::Sink;
use super::{Decision, Facts, Params, Scratch, finish, get};
use crate::evaluate::determination::Verdict;
use crate::model::{Country, Party};
use crate::ruleset::ControlReason;
use crate::ruleset::condition::Truth;

/// Each country where a party is located without taking the items (the purchaser, the
/// beneficiary), or where a party of any role is stated headquartered (`headquarters`, tester
/// round 11: a Tehran company's branch in Dubai), that is not a destination of the transaction
/// already (`destinations`), with the party and whether it is its headquarters. A headquarters
/// that is not given is not read: a determination that turned on it would have to be left open
/// for every such party (the headquarters rules of 742.6(a)(6)(iii) and 744.23, which name
/// headquarters, ask for it themselves).
fn seats<'r, 'x>(f: &'x Facts<'r>) -> impl Iterator<Item = (Country, &'r Party, bool)> + 'x
where
    'r: 'x,
{
    let parties: &'r [Party] = &f.parties.parties;
    let taken = move |c: Country| c == f.destination || f.other_destinations().any(|(d, _)| d == c);
    let located = parties.iter().filter(|p| !p.role.takes_the_items()).filter_map(|p| Some((p.country?, p, false)));
    let headquartered = parties
        .iter()
        .filter_map(|p| Some((p.headquarters?, p, true)))
        .filter(|&(c, p, _)| Some(c) != p.country || p.role.takes_the_items());
    located.chain(headquartered).filter(move |&(c, _, _)| !taken(c))
}

/// Whether the pack has an embargo requirement (`reason = "embargo"`).
fn any_embargo(f: &Facts<'_>) -> bool {
    f.rules.requirements.iter().any(|r| r.reason == ControlReason::Embargo)
}

/// Whether an embargo requirement of the pack (`reason = "embargo"`) may name country `c` in
/// this epoch: a cheap test before deciding the transaction for it.
fn may_be_embargoed(f: &Facts<'_>, c: Country) -> bool {
    let compiled = &f.rules.compiled.requirements;
    f.rules.requirements.iter().zip(compiled).any(|(r, cr)| {
        r.reason == ControlReason::Embargo
            && cr.destinations.is_some_and(|d| f.rules.compiled.covers(d, &f.epoch, c.index()) != Truth::False)
    })
}

/// The embargo requirement (its id) found to hold, or that may hold, when the transaction is decided with `c` as
/// its destination, if any. Decided with notes that record nothing, in the scratch of the
/// decision, before the destinations are decided (they start afresh after).
fn embargo_for<'r, P: Params + Copy>(f: &Facts<'r>, c: Country, s: &mut Scratch, params: P) -> Option<&'r str> {
    s.next_destination();
    finish(&f.to(c), s, params, &mut ());
    let rules = f.rules;
    s.applied.iter().map(|&r| r as usize).find_map(|r| {
        let req = rules.requirements.get(r)?;
        let holds = get(&s.requirements, s.stamp, r) != Truth::False;
        (holds && req.reason == ControlReason::Embargo).then_some(req.meta.id.as_str())
    })
}

/// Whether the decision is open up to a licence requirement because a party that does not
/// take the items is located in a country an embargo requirement of the pack holds (or may
/// hold) for, or its location is not given while the pack has embargo requirements; each such
/// fact named ([`Missing::EmbargoedParty`], [`Missing::Country`]). Called before the
/// destinations are decided: it leaves the scratch ready for the destination given.
pub(crate) fn open_for_embargoed<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    params: P,
    sink: &mut S,
) -> Option<Decision> {
    if f.parties.parties.is_empty() {
        return None;
    }
    let mut open = false;
    // Not the recipients' case (`Missing::Recipient` in `decide`, `Role::takes_the_items`),
    // and not merged with it: a recipient's country is a destination (15 CFR 748.5(d)-(f)), so
    // an unknown one opens every pack's destination rules; a purchaser or beneficiary takes no
    // delivery (748.5(c)), and where it sits matters only to an embargo that reaches a sale or
    // supply through it (31 CFR 560.204), so its unknown country opens only a pack with one.
    // Two legal decisions, two checks (parties13, W11 leftover).
    let unlocated = f.parties.parties.iter().filter(|p| !p.role.takes_the_items() && p.country.is_none());
    for p in unlocated {
        if any_embargo(f) {
            sink.fact_missing(Missing::Country(p));
            open = true;
        }
    }
    let mut probed = false;
    for (c, p, headquarters) in seats(f) {
        if c.is_united_states() || !may_be_embargoed(f, c) {
            continue;
        }
        probed = true;
        if let Some(rule) = embargo_for(f, c, s, params) {
            sink.fact_missing(Missing::EmbargoedParty { party: p, country: c, rule, headquarters });
            open = true;
        }
    }
    if probed {
        s.next_destination();
    }
    open.then_some(Decision {
        verdict: Verdict::Indeterminate,
        at_least: Verdict::NoLicenseRequired,
        at_most: Verdict::LicenseRequired,
    })
}
