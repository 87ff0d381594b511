//! Ownership through owners' own owners, for the Affiliates rule (90 FR 47201: an entity owned
//! 50 percent or more "directly or indirectly, individually or in aggregate" by listed
//! entities): how much of an owner listed entities hold, as bounds.

use rust_decimal::{Decimal, RoundingStrategy};

use super::Facts;
use super::listing::{listed, on_list};
use super::missing::{Missing, Who};
use super::sink::Notes;
use crate::model::{MAX_OWNER_DEPTH, Owner};
use crate::ruleset::condition::Truth;

/// Decimal places the shares carried through a chain are kept to: a product is cut down for the
/// share listed entities certainly hold and rounded up for the share they may hold, so that
/// rounding never clears.
const PLACES: u32 = 20;

/// The owners of a party, at every level in the order of
/// [`owners_in_depth`](crate::model::owners_in_depth), with what screening found.
pub(crate) struct Tree<'r> {
    /// Per owner: its share and its name screened.
    pub owners: &'r [(Option<Decimal>, super::parties::Screened)],
    /// Per owner: the lists it attests it was screened against.
    pub attested: &'r [Vec<(u32, crate::date::Date)>],
}

/// How many entries of [`Tree`] owner `o` (at `depth`, 1 for a party's owner) takes, itself
/// and its owners, as [`owners_in_depth`](crate::model::owners_in_depth) walks them.
pub(crate) fn walked(o: &Owner, depth: usize) -> usize {
    1 + if depth < MAX_OWNER_DEPTH { o.owners.iter().map(|c| walked(c, depth + 1)).sum() } else { 0 }
}

/// The share of owner `o` (at `depth`) that listed entities on list `list` hold through its
/// own owners, in percent of `o`, as bounds `(certainly, possibly)`: its owners read from
/// `tree` from index `*at` on (advanced past them). An owner of `o` that is listed counts its
/// whole share; one that may be listed (a near match, a sample list not attested) counts
/// towards `possibly`; one that is not listed counts what listed entities hold of it, and its
/// whole share when that reaches `threshold` (it is then itself reached by the rule, as an
/// entity owned 50 percent or more by listed entities; the reading that an affiliate's
/// holdings count whole is OFAC's for its 50 percent rule, which the Affiliates rule follows:
/// UNVERIFIED, rules/us-ear/NOTES.md §9). Without `owners_known`, the shares of `o` none of its
/// owners holds may be listed (`possibly`), named as a missing fact.
#[allow(clippy::too_many_arguments)]
pub(crate) fn held_by_listed<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    list: u32,
    threshold: Decimal,
    o: &'r Owner,
    depth: usize,
    tree: &Tree<'r>,
    at: &mut usize,
    who: Who<'r>,
    n: &mut N,
) -> (Decimal, Decimal) {
    let (mut lo, mut hi, mut given) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut unknown_share = false;
    let deeper = depth < MAX_OWNER_DEPTH;
    for c in o.owners.iter().filter(|_| deeper) {
        let j = *at;
        *at += 1;
        let Some((percent, sc)) = tree.owners.get(j) else { break };
        let attested = tree.attested.get(j).map_or(&[][..], Vec::as_slice);
        let who_c = who.owner(c);
        let on = on_list(f, list, sc, attested, who_c, n);
        let (clo, chi) = match on {
            Truth::True => {
                // The review policy of the entries it matches applies (as for a party's owner).
                listed(f, &sc.entries, list).for_each(|e| n.entry(e));
                *at += walked(c, depth + 1) - 1;
                (Decimal::ONE_HUNDRED, Decimal::ONE_HUNDRED)
            }
            Truth::Unknown => {
                *at += walked(c, depth + 1) - 1;
                (Decimal::ZERO, Decimal::ONE_HUNDRED)
            }
            Truth::False => reached(held_by_listed(f, list, threshold, c, depth + 1, tree, at, who_c, n), threshold),
        };
        given += percent.unwrap_or_default();
        match percent {
            Some(p) => {
                lo += part(*p, clo, RoundingStrategy::ToZero);
                hi += part(*p, chi, RoundingStrategy::AwayFromZero);
            }
            None if chi > Decimal::ZERO => {
                unknown_share = true;
                n.missing_fact(Missing::OwnerShare(who_c));
            }
            None => {}
        }
    }
    if unknown_share {
        hi = Decimal::ONE_HUNDRED;
    }
    if !o.owners_known {
        let rest = (Decimal::ONE_HUNDRED - given).max(Decimal::ZERO);
        if rest > Decimal::ZERO {
            hi += rest;
            n.missing_fact(Missing::OwnersOfOwner { who, none_given: o.owners.is_empty(), rest, list, threshold });
        }
    }
    (lo.min(Decimal::ONE_HUNDRED), hi.min(Decimal::ONE_HUNDRED))
}

/// The bounds of what listed entities hold of an owner, the owner counted whole when they
/// certainly reach `threshold` (it is then reached by the rule itself), and possibly whole when
/// they may.
pub(crate) fn reached((lo, hi): (Decimal, Decimal), threshold: Decimal) -> (Decimal, Decimal) {
    if lo >= threshold {
        (Decimal::ONE_HUNDRED, Decimal::ONE_HUNDRED)
    } else if hi >= threshold {
        (lo, Decimal::ONE_HUNDRED)
    } else {
        (lo, hi)
    }
}

/// `share` percent of `of` percent, in percent, kept to [`PLACES`] decimal places by
/// `rounding`.
pub(crate) fn part(share: Decimal, of: Decimal, rounding: RoundingStrategy) -> Decimal {
    (share * of / Decimal::ONE_HUNDRED).round_dp_with_strategy(PLACES, rounding)
}
