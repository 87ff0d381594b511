//! Ownership through owners' own owners, for the Affiliates rule (90 FR 47201: an entity owned
//! 50 percent or more "directly or indirectly, individually or in aggregate" by listed
//! entities): how much of an owner listed entities hold, as bounds; and the owner at the top of
//! the chain of controlling owners, which the headquarters rule compares with the ultimate
//! parent's headquarters stated ([`controlling_top_where`]).

use rust_decimal::{Decimal, RoundingStrategy};

use super::Facts;
use super::listing::{listed, on_list};
use super::missing::{Missing, Who};
use super::sink::Notes;
use crate::model::{MAX_OWNER_DEPTH, Owner, Party};
use crate::ruleset::condition::Truth;

/// Decimal places a share carried through a chain is kept to when it cannot be held exactly (a
/// product or sum of more than 28 significant digits): a part is then cut down and one unit of
/// the last place taken off for the share listed entities certainly hold, and rounded up and
/// one unit added for the share they may hold, so that rounding never clears. Shares that fit
/// (every product of shares of up to 5 decimal places through [`MAX_OWNER_DEPTH`] levels, and
/// shares of up to 25 decimal places counted whole) are kept exactly (tester round 7, T1:
/// shares of 21 to 23 decimal places were cut to 20 and an exact 50% read as 49.99…).
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
    let mut rounded = false;
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
            Truth::False => {
                let (lo, hi) = reached(held_by_listed(f, list, threshold, c, depth + 1, tree, at, who_c, n), threshold);
                (lo, if unidentified(sc, who_c, n) { Decimal::ONE_HUNDRED } else { hi })
            }
        };
        given += percent.unwrap_or_default();
        match percent {
            Some(p) => {
                let (l, r1) = part(*p, clo, RoundingStrategy::ToZero);
                let (h, r2) = part(*p, chi, RoundingStrategy::AwayFromZero);
                let (l, r3) = add(lo, l, RoundingStrategy::ToZero);
                let (h, r4) = add(hi, h, RoundingStrategy::AwayFromZero);
                (lo, hi) = (l, h);
                rounded |= r1 || r2 || r3 || r4;
            }
            None if chi > Decimal::ZERO => {
                unknown_share = true;
                n.missing_fact(Missing::OwnerShare(who_c));
            }
            None => {}
        }
    }
    // The rest is weighed against the shares given, before an unknown share opens them all.
    let (rest, stated_known) = unaccounted(o.owners_known, !o.owners.is_empty(), given, (lo, hi), threshold);
    if unknown_share {
        hi = Decimal::ONE_HUNDRED;
    }
    if rest > Decimal::ZERO {
        hi += rest;
        let none_given = o.owners.is_empty();
        n.missing_fact(Missing::OwnersOfOwner { who, none_given, rest, list, threshold, stated_known });
    }
    let (lo, hi) = (lo.min(Decimal::ONE_HUNDRED), hi.min(Decimal::ONE_HUNDRED));
    if rounded && lo < threshold && hi >= threshold {
        // Only the rounding leaves it open: name it, so that the verdict names what is missing.
        n.missing_fact(Missing::InexactShares(who));
    }
    (lo, hi)
}

/// The share of a party or owner (percent) that no owner given holds and that may be held by
/// listed entities, and whether it is left open although the owners were stated known:
/// `(rest, stated_known)`. `given`: the sum of the shares given; `any_given`: some owner is
/// given at all; `(lo, hi)`: the share the owners given hold through listed entities, at least
/// and at most (percent).
///
/// Without `owners_known`, the whole rest (`100 − given`, all of it when no owner is given):
/// missing ownership is never "no owners". With `owners_known` and no owner given, none: the
/// statement is that no owner holds a share that could count. With `owners_known` and owners
/// given whose shares leave a rest of `threshold` or more, the statement cannot hold as made:
/// an owner not given may hold that rest, `threshold` percent or more by itself, and the
/// Affiliates rule (50 percent, 90 FR 47201) or the ultimate-parent tests would reach it
/// (tester round 14, F3: owners of 40 % given, 60 % unaccounted). Nor can it where the rest,
/// added to what listed entities hold or may hold among the owners given, reaches the
/// threshold while they alone do not: the rule counts ownership "individually or in the
/// aggregate", so a listed owner not given holding the rest would reach it together with them
/// (tester15: Huawei's 30 % given with a clean 30 %, 40 % unaccounted, was NO LICENCE REQUIRED).
/// The rest is then open as if the owners were not stated known, with `stated_known` true so
/// that the missing fact says why. Any other rest is taken as the statement says (it cannot
/// reach the threshold, alone or with the listed shares given).
pub(crate) fn unaccounted(
    owners_known: bool,
    any_given: bool,
    given: Decimal,
    (lo, hi): (Decimal, Decimal),
    threshold: Decimal,
) -> (Decimal, bool) {
    let rest = (Decimal::ONE_HUNDRED - given).max(Decimal::ZERO);
    // Whether the rest, held by listed entities, could take the listed share from below the
    // threshold to it (rounded away from clearing: a sum too long to add exactly counts as
    // reaching it).
    let with_rest = hi.checked_add(rest).unwrap_or(Decimal::MAX);
    match (owners_known, any_given) {
        (false, _) => (rest, false),
        (true, false) => (Decimal::ZERO, false),
        (true, true) if rest >= threshold => (rest, true),
        (true, true) if rest > Decimal::ZERO && lo < threshold && with_rest >= threshold => (rest, true),
        (true, true) => (Decimal::ZERO, false),
    }
}

/// Whether the owner screened as `sc` (`who`) is one the transaction does not identify (no
/// registration, no `identified`; [`Screened::identified`](super::parties::Screened)), the
/// missing fact named: its name may stand for a class of holders (`Employees`, `Custodian`,
/// `Offshore SPV`), so whoever holds its share may be listed. The Affiliates rule aggregates
/// ownership by legal persons (15 CFR 744.11 as amended by 90 FR 47201; tester round 9, U3):
/// the share may then be held by listed entities whole (`possibly` 100 %), while what its
/// stated owners certainly hold still counts.
pub(crate) fn unidentified<'r, N: Notes<'r>>(sc: &super::parties::Screened, who: Who<'r>, n: &mut N) -> bool {
    if sc.identified {
        return false;
    }
    n.missing_fact(Missing::Identity(who));
    true
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

/// `share` percent of `of` percent, in percent: exact when it fits a decimal, else rounded by
/// `rounding` (see [`PLACES`]). The second value is true when it was rounded.
pub(crate) fn part(share: Decimal, of: Decimal, rounding: RoundingStrategy) -> (Decimal, bool) {
    let exact = share.mantissa().checked_mul(of.mantissa()).and_then(|m| fit(m, share.scale() + of.scale() + 2));
    match exact {
        Some(d) => (d, false),
        None => (inexact(share.checked_mul(of).and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)), rounding), true),
    }
}

/// `a + b`: exact when it fits a decimal, else rounded by `rounding` (see [`PLACES`]). The second
/// value is true when it was rounded.
pub(crate) fn add(a: Decimal, b: Decimal, rounding: RoundingStrategy) -> (Decimal, bool) {
    let s = a.scale().max(b.scale());
    let up = |d: Decimal| d.mantissa().checked_mul(10i128.checked_pow(s - d.scale())?);
    let exact = up(a).zip(up(b)).and_then(|(x, y)| x.checked_add(y)).and_then(|m| fit(m, s));
    match exact {
        Some(d) => (d, false),
        None => (inexact(a.checked_add(b), rounding), true),
    }
}

/// The decimal `m × 10^-scale`, if it is held exactly (at most 28 places, 96 bits), trailing
/// zeros dropped as needed.
fn fit(mut m: i128, mut scale: u32) -> Option<Decimal> {
    const MAX: i128 = (1i128 << 96) - 1;
    while (scale > 28 || m.abs() > MAX) && scale > 0 && m % 10 == 0 {
        m /= 10;
        scale -= 1;
    }
    (scale <= 28).then(|| Decimal::try_from_i128_with_scale(m, scale).ok()).flatten()
}

/// A value the decimal arithmetic may have rounded either way, moved past that rounding in the
/// direction of `rounding` (down for `ToZero`, up otherwise); 0 or 100 percent when it could not
/// be computed at all.
fn inexact(value: Option<Decimal>, rounding: RoundingStrategy) -> Decimal {
    let unit = Decimal::new(1, PLACES);
    let down = rounding == RoundingStrategy::ToZero;
    match value {
        Some(v) if down => (v.round_dp_with_strategy(PLACES, rounding) - unit).max(Decimal::ZERO),
        Some(v) => v.round_dp_with_strategy(PLACES, rounding) + unit,
        None if down => Decimal::ZERO,
        None => Decimal::ONE_HUNDRED,
    }
}

/// Whether an owner given without a registration may be a company, whose headquarters (its
/// registration country) the transaction does not state (tester round 11): unless the exporter
/// identified it (`identified = true`) by a name that holds no company-form word
/// ([`COMPANY_FORMS`](crate::names::COMPANY_FORMS): `Co`, `Ltd`, `Inc`, `GmbH`, `Sdn`, `Bhd`,
/// ...), a natural person, who has no headquarters. `Example Shenzhen Holdings Co., Ltd.`,
/// identified or not, may be; `Tan Ah Kow`, identified, is not.
pub(crate) fn may_be_a_company(o: &Owner) -> bool {
    let key = crate::names::normalize_name(&o.name);
    !o.identified || key.split(' ').any(|w| crate::names::COMPANY_FORMS.contains(&w))
}

/// The first owner, in the order of the owners written, that may be at the top of a chain of
/// owners each holding 50 percent or more of the one below (the party's owner holding 50
/// percent or more, that owner's owner holding 50 percent or more of it, and so on, to
/// [`MAX_OWNER_DEPTH`] levels) and for which `against` holds: a company that may control the
/// party through the ownership the transaction states, its ultimate parent as far as the
/// transaction tells (tester round 11, W8). 50 percent counts, as for the Affiliates rule
/// (90 FR 47201): two half owners both control, and an owner whose share is not given may
/// control unless the shares stated for the others leave it less than half. An owner is a
/// possible top unless one of its own owners certainly holds 50 percent or more of it (or it
/// is at the last level). Every possible top is tried, whatever the order of the owners: the
/// first that may hold half is not the only one (hunt13: a natural person whose share was not
/// given, written before a company holding 60 percent, hid the company). `None` when no
/// possible top is `against`.
pub(crate) fn controlling_top_where<'p>(
    p: &'p Party,
    against: &mut impl FnMut(&'p Owner) -> bool,
) -> Option<&'p Owner> {
    top_where(&p.owners, 1, against)
}

/// [`controlling_top_where`] for the owners at `level` (1: the party's own owners).
fn top_where<'p>(owners: &'p [Owner], level: usize, against: &mut impl FnMut(&'p Owner) -> bool) -> Option<&'p Owner> {
    let half = Decimal::from(50);
    let deeper = level < MAX_OWNER_DEPTH;
    for o in owners.iter().filter(|o| may_hold_half(o, owners)) {
        let controlled = o.owners.iter().any(|x| x.percent.is_some_and(|x| x >= half));
        if (!deeper || !controlled) && against(o) {
            return Some(o);
        }
        if deeper && let Some(top) = top_where(&o.owners, level + 1, against) {
            return Some(top);
        }
    }
    None
}

/// Whether owner `o`, one of `siblings`, may hold 50 percent or more: its share stated at 50 or
/// more, or not stated while the shares stated for the others leave it 50 or more (or cannot be
/// summed).
fn may_hold_half(o: &Owner, siblings: &[Owner]) -> bool {
    let half = Decimal::from(50);
    match o.percent {
        Some(x) => x >= half,
        None => siblings
            .iter()
            .filter(|s| !std::ptr::eq(*s, o))
            .try_fold(Decimal::ZERO, |sum, s| sum.checked_add(s.percent.unwrap_or(Decimal::ZERO)))
            .is_none_or(|stated| Decimal::ONE_HUNDRED - stated >= half),
    }
}
