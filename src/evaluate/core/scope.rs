//! Whether a rule's scope (products, transaction kinds, destinations, parties) covers a
//! transaction, three-valued, with the reasons and the missing party facts.

use rust_decimal::Decimal;

use super::Facts;
use super::listing::{listed, on_list};
use super::missing::{Missing, Who};
use super::parties::Screened;
use super::reason::Reason;
use super::sink::Notes;
use crate::model::{Country, Party, Region, Role, TransactionKind, shown_name};
use crate::ruleset::condition::Truth;
use crate::ruleset::index::{CompiledParties, CompiledRule, EpochData};
use crate::ruleset::{Destinations, PartyFilter, RuleSet, Scope};

/// The truth of a rule's scope. `prefiltered`: the index already established that the
/// destination is covered. `through_parties`: a country the destinations name also counts when
/// it is a party's location, headquarters or ultimate parent's headquarters (for destinations
/// that name groups or countries, not "everywhere except"). `presume_place`: a party's location
/// in the countries of an `end_use_in` stands for the place of an end use it declares without
/// one (the stricter reading for a rule that restricts; a licence exception's conditions must
/// be established, so for an exception the place stays unknown: see [`one_end_use_place`]).
/// `origin_missing`: an unknown transaction kind is named as a missing fact ([`kind_truth`]).
pub(crate) fn scope_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    s: &'r Scope,
    cr: &CompiledRule,
    prefiltered: bool,
    (through_parties, presume_place, origin_missing): (bool, bool, bool),
    n: &mut N,
) -> Truth {
    if let Some(products) = &s.products {
        let Some(named) = products.iter().find(|p| f.product.is_or_contains(p)) else {
            n.reason(Reason::ProductsOnly(products));
            return Truth::False;
        };
        let id = &f.product.product().id;
        n.reason(Reason::NamesProduct { named, id });
    }
    let kind = match &s.transaction_kinds {
        Some(kinds) => kind_truth(f, kinds, origin_missing, n),
        None => Truth::True,
    };
    if kind == Truth::False {
        return Truth::False;
    }
    // The index lists a destination a scope may cover through an unverified membership with
    // those it covers: then the destination is tested again, three-valued (any other listed
    // destination is covered).
    let mut entered = Truth::True;
    if let Some(d) = cr.destinations
        && (!prefiltered || N::ON || f.epoch.data.unsure(f.destination.index()))
    {
        let covered = f.rules.compiled.covers(d, &f.epoch, f.destination.index());
        if let Some(written) = &s.destinations {
            explain_destination(f, written, d, covered, n);
        }
        let named = s.destinations.as_ref().is_some_and(|w| !w.groups.is_empty() || !w.countries.is_empty());
        entered = covered;
        if covered != Truth::True && through_parties && named {
            entered = entered.or(through_a_party(f, d, n));
        }
        if entered == Truth::False {
            return Truth::False;
        }
        if covered == Truth::Unknown && entered == Truth::Unknown {
            unverified_missing(f, d, f.destination, n);
        }
    }
    let region = match &s.regions {
        Some(regions) => region_truth(f, regions, n).and(entered),
        None => entered,
    };
    if region == Truth::False {
        return Truth::False;
    }
    let parties = match (&s.parties, &cr.parties) {
        (Some(pf), Some(cp)) => parties_truth(f, pf, cp, presume_place, n).and(region),
        _ => region,
    };
    parties.and(kind)
}

/// Whether the transaction is of one of `kinds` (export, reexport, in-country transfer; 15 CFR
/// 734.14), from the country the item leaves: unknown when that country is not stated
/// (tester round 10, V5: the H200 review policy for exports from the US rested on a default of
/// `US`), named as the missing fact `exported_from` when `origin_missing` (a rule whose truth
/// decides the outcome: not a review policy, whose stricter alternative is given instead, with
/// its own warning). Read only for a rule that lists kinds, so that a transaction no such rule
/// reaches misses nothing.
fn kind_truth<'r, N: Notes<'r>>(f: &Facts<'r>, kinds: &'r [TransactionKind], origin_missing: bool, n: &mut N) -> Truth {
    match f.kind() {
        Some(kind) if kinds.contains(&kind) => Truth::True,
        Some(kind) => {
            n.reason(Reason::KindsOfTransaction { kinds, kind: Some(kind) });
            Truth::False
        }
        // Every kind is possible for a destination outside the US whatever the origin stated.
        None if TransactionKind::ALL.iter().all(|k| kinds.contains(k)) => Truth::True,
        None => {
            n.reason(Reason::KindsOfTransaction { kinds, kind: None });
            if origin_missing {
                n.missing_fact(Missing::ExportedFrom);
            }
            Truth::Unknown
        }
    }
}

/// Whether the item goes to one of `regions` of Ukraine (15 CFR 746.6): false on a leg to
/// another country, unknown (naming `destination_region`) when the region is not given.
fn region_truth<'r, N: Notes<'r>>(f: &Facts<'r>, regions: &[Region], n: &mut N) -> Truth {
    if f.destination != Country::UA {
        return Truth::False;
    }
    let names = || regions.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
    match f.region {
        Some(r) if regions.contains(&r) => {
            n.note(|| format!("the item goes to the {r} region of Ukraine"));
            Truth::True
        }
        Some(r) => {
            n.note(|| format!("concerns the {} region(s) of Ukraine only; the item goes to {r}", names()));
            Truth::False
        }
        None => {
            n.note(|| {
                format!("concerns the {} region(s) of Ukraine; where in Ukraine the item goes is not given", names())
            });
            n.missing_fact(Missing::Region);
            Truth::Unknown
        }
    }
}

/// Whether a party's location, headquarters or ultimate parent's headquarters is a country the
/// destination scope `d` covers: unknown when it may be, through an unverified membership.
fn through_a_party<'r, N: Notes<'r>>(f: &Facts<'r>, d: u32, n: &mut N) -> Truth {
    let located = |p: &'r crate::model::Party| {
        [
            (p.country, "is located in"),
            (p.headquarters, "is headquartered in"),
            (p.parent_headquarters, "has its ultimate parent in"),
        ]
    };
    let mut unsure = false;
    for p in &f.parties.parties {
        for (c, how) in located(p) {
            let Some(c) = c else { continue };
            match f.rules.compiled.covers(d, &f.epoch, c.index()) {
                Truth::True => {
                    n.note(|| format!("{c} enters through a party: {} {how} {c}", p.label()));
                    return Truth::True;
                }
                Truth::Unknown => unsure = true,
                Truth::False => {}
            }
        }
    }
    if !unsure {
        return Truth::False;
    }
    // Each country whose membership is unverified named once, in the order the parties give
    // them (no list is kept: the fast path allocates nothing).
    let countries = || f.parties.parties.iter().flat_map(|p| located(p).into_iter().filter_map(|(c, _)| c));
    for (i, c) in countries().enumerate() {
        if f.rules.compiled.covers(d, &f.epoch, c.index()) == Truth::Unknown && !countries().take(i).any(|e| e == c) {
            unverified_missing(f, d, c, n);
        }
    }
    Truth::Unknown
}

/// Names, as missing facts, the unverified memberships on which whether destination scope `d`
/// covers `country` (or a country it is treated as) hinges.
fn unverified_missing<'r, N: Notes<'r>>(f: &Facts<'r>, d: u32, country: Country, n: &mut N) {
    let rules = f.rules;
    let epoch = &f.epoch.data;
    let Some(cd) = rules.compiled.dests.get(d as usize) else { return };
    let (groups, except_groups) = cd.group_ids();
    let equivalents = epoch.treated_as.iter().filter(|t| t.from == country.index());
    let countries = std::iter::once(country).chain(equivalents.filter_map(|t| Country::from_index(t.to)));
    for c in countries {
        for &g in groups.iter().chain(except_groups) {
            if let Some((_, group)) = rules.groups.groups.get_index(g)
                && !epoch.group(g).contains(c.index())
                && group.is_unverified(c, f.date)
            {
                // Formatted only by a sink that records (the fast path allocates nothing).
                n.missing_fact(Missing::Unverified(group, c, f.date));
            }
        }
    }
}

/// Whether at least one party meets the filter. When parties are given without an end user,
/// the end user is an unknown party: a filter it could meet is unknown rather than false.
fn parties_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    pf: &PartyFilter,
    cp: &CompiledParties,
    presume_place: bool,
    n: &mut N,
) -> Truth {
    let ps = f.parties;
    if ps.parties.is_empty() {
        n.parties_not_given();
        n.reason(Reason::PartiesNotGiven);
        return Truth::False;
    }
    let mut any = Truth::False;
    let mut missing = n.child();
    for (i, p) in ps.parties.iter().enumerate() {
        let one = OneParty {
            party: p,
            screened: ps.screened.get(i).unwrap_or(&NOT_SCREENED),
            owners: ps.owners.get(i).map_or(&[][..], Vec::as_slice),
            attested: ps.attested.get(i).map_or(&[][..], Vec::as_slice),
            owners_attested: ps.owners_attested.get(i).map_or(&[][..], Vec::as_slice),
        };
        let mut pn = n.child();
        let t = party_truth(f, pf, cp, &one, presume_place, &mut pn);
        n.absorb(&mut pn, t != Truth::False, false);
        missing.absorb(&mut pn, false, t == Truth::Unknown);
        any = any.or(t);
    }
    if !ps.end_party {
        let mut pn = n.child();
        let t = absent_end_user_truth(pf, cp, ps.consignee_given, &mut pn);
        missing.absorb(&mut pn, false, t == Truth::Unknown);
        any = any.or(t);
    }
    if any == Truth::Unknown {
        n.absorb(&mut missing, false, true);
    }
    any
}

/// Whether the end user, when none is given, meets the filter: it holds the end user's role
/// (and the ultimate consignee's when none is given either), and every fact a condition reads
/// is unknown.
fn absent_end_user_truth<'r, N: Notes<'r>>(
    pf: &PartyFilter,
    cp: &CompiledParties,
    consignee_given: bool,
    n: &mut N,
) -> Truth {
    if let Some(roles) = &pf.roles
        && !roles.iter().any(|r| *r == Role::EndUser || (*r == Role::UltimateConsignee && !consignee_given))
    {
        return Truth::False;
    }
    let CompiledParties { located_in, headquartered_in, for_headquartered_in, listed_on, owned_by_listed, end_use_in } =
        cp;
    let reads_facts = located_in.is_some()
        || end_use_in.is_some()
        || headquartered_in.is_some()
        || for_headquartered_in.is_some()
        || listed_on.is_some()
        || owned_by_listed.is_some()
        || pf.end_uses.is_some();
    if reads_facts {
        n.missing_fact(Missing::AbsentEndUser { beside_consignee: consignee_given });
        Truth::Unknown
    } else {
        Truth::True
    }
}

/// A party with what screening found about it.
struct OneParty<'r> {
    party: &'r Party,
    screened: &'r Screened,
    owners: &'r [(Option<Decimal>, Screened)],
    /// Lists the party attests it was screened against elsewhere.
    attested: &'r [(u32, crate::date::Date)],
    /// Per owner: the lists the owner attests it was screened against (never the party's).
    owners_attested: &'r [Vec<(u32, crate::date::Date)>],
}

static NOT_SCREENED: Screened = Screened {
    entries: Vec::new(),
    lookalikes: Vec::new(),
    unspaced: Vec::new(),
    contained: Vec::new(),
    variants: Vec::new(),
    named: false,
    identified: false,
    latin: false,
};

/// Whether one party meets every condition of the filter (each tested only while the others
/// have not made it false).
fn party_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    pf: &PartyFilter,
    cp: &CompiledParties,
    one: &OneParty<'r>,
    presume_place: bool,
    n: &mut N,
) -> Truth {
    let p = one.party;
    let covers = |d: u32, c: Country, n: &mut N| {
        let t = f.rules.compiled.covers(d, &f.epoch, c.index());
        if t == Truth::Unknown {
            unverified_missing(f, d, c, n);
        }
        t
    };
    let mut t = Truth::True;
    if let Some(roles) = &pf.roles {
        t = t.and(Truth::from_bool(roles.contains(&p.role)));
    }
    if let Some(d) = cp.located_in
        && t != Truth::False
    {
        t = t.and(location_truth(p, |c, n: &mut N| covers(d, c, n), n));
    }
    if let Some(d) = cp.headquartered_in
        && t != Truth::False
    {
        t = t.and(headquarters_truth(p, |c, n: &mut N| c.map(|c| covers(d, c, n)), n));
    }
    if let Some(d) = cp.for_headquartered_in
        && t != Truth::False
    {
        t = t.and(for_headquarters_truth(f, p, |c, n: &mut N| c.map(|c| covers(d, c, n)), n));
    }
    if let Some(list) = cp.listed_on
        && t != Truth::False
    {
        t = t.and(listed_truth(f, pf, list, one, n));
    }
    if let Some((list, threshold)) = cp.owned_by_listed
        && t != Truth::False
    {
        t = t.and(owned_truth(f, list, threshold, one, n));
    }
    if let Some(d) = cp.end_use_in
        && t != Truth::False
    {
        t = t.and(end_use_place_truth(f, p, (pf.end_uses.as_deref(), d), presume_place, n));
    } else if let Some(uses) = &pf.end_uses
        && t != Truth::False
    {
        t = t.and(end_use_truth(p, uses, n));
    }
    t
}

/// Whether the party is located in a country the filter covers (`covers`, which names an
/// unverified membership it hinges on).
fn location_truth<'r, N: Notes<'r>>(p: &'r Party, covers: impl Fn(Country, &mut N) -> Truth, n: &mut N) -> Truth {
    match p.country {
        Some(c) => {
            let t = covers(c, n);
            if t == Truth::True {
                n.reason(Reason::Located(p, c));
            }
            t
        }
        None => {
            n.missing_fact(Missing::Country(p));
            Truth::Unknown
        }
    }
}

/// Whether the party is on list `list` (as [`on_list`]), with the entries it matches.
fn listed_truth<'r, N: Notes<'r>>(f: &Facts<'r>, pf: &PartyFilter, list: u32, one: &OneParty<'r>, n: &mut N) -> Truth {
    let p = one.party;
    let on = on_list(f, list, one.screened, one.attested, Who::Party(p), n);
    if on == Truth::True {
        let list_name = pf.listed_on.as_deref().unwrap_or_default();
        for e in listed(f, &one.screened.entries, list) {
            n.note(|| format!("{} matches {} entry {} \"{}\" ({})", p.label(), list_name, e.id, e.name, e.source));
            n.entry(e);
        }
    }
    on
}

/// Whether owners on list `list` hold `threshold` percent of the party or more (the 50% rule):
/// true on the shares of owners certainly listed, unknown when owners that may be listed or
/// shares not given could reach it.
fn owned_truth<'r, N: Notes<'r>>(f: &Facts<'r>, list: u32, threshold: Decimal, one: &OneParty<'r>, n: &mut N) -> Truth {
    let p = one.party;
    let mut shares = Shares::default();
    let tree = super::owners::Tree { owners: one.owners, attested: one.owners_attested };
    // The index in `tree` of the next owner of the party (its owners' owners come between).
    let mut at = 0;
    for owner in &p.owners {
        let j = at;
        at += 1;
        let Some((percent, sc)) = one.owners.get(j) else { break };
        shares.given += percent.unwrap_or_default();
        // An owner is cleared of a sample-held list by its own attestation only.
        let attested = one.owners_attested.get(j).map_or(&[][..], Vec::as_slice);
        let who = Who::Party(p).owner(owner);
        let on = on_list(f, list, sc, attested, who, n);
        if on != Truth::False {
            at += super::owners::walked(owner, 1) - 1;
        }
        match (on, percent) {
            (Truth::False, _) => {
                // Not listed itself: what listed entities hold of it through its own owners
                // (the rule counts ownership "directly or indirectly").
                let held = super::owners::held_by_listed(f, list, threshold, owner, 1, &tree, &mut at, who, n);
                let (lo, mut hi) = super::owners::reached(held, threshold);
                if super::owners::unidentified(sc, who, n) {
                    hi = Decimal::ONE_HUNDRED;
                }
                match percent {
                    Some(pct) => {
                        shares.through(*pct, lo, hi);
                        if lo > Decimal::ZERO {
                            n.note(|| {
                                format!(
                                    "{} is {pct}% owned by \"{}\", of which entities on the {} hold {lo}%{}",
                                    p.label(),
                                    shown_name(&owner.name),
                                    super::missing::list_name(f.rules, list),
                                    if held.0 >= threshold { " (counted whole: it is itself reached)" } else { "" }
                                )
                            });
                        }
                    }
                    None if hi > Decimal::ZERO => shares.not_given(p, &owner.name, n),
                    None => {}
                }
            }
            (Truth::True, Some(pct)) => {
                shares.listed(*pct);
                n.note(|| {
                    let ids: Vec<&str> = listed(f, &sc.entries, list).map(|e| e.id.as_str()).collect();
                    format!(
                        "{} is {pct}% owned by \"{}\", listed as {}",
                        p.label(),
                        shown_name(&owner.name),
                        ids.join(", ")
                    )
                });
            }
            (Truth::Unknown, Some(pct)) => shares.maybe(*pct),
            (_, None) => shares.not_given(p, &owner.name, n),
        }
        if on == Truth::True {
            listed(f, &sc.entries, list).for_each(|e| n.entry(e));
        }
    }
    shares.truth(p, list, threshold, n)
}

/// The shares of a party's owners as [`owned_truth`] adds them (percent): those certainly held
/// by listed entities (rounded toward zero when not exact) and those that may be (rounded away
/// from zero), with what was given and whether a share is unknown.
#[derive(Default)]
struct Shares {
    /// Held by owners certainly listed, directly or through their own owners.
    known: Decimal,
    /// Held by owners that may be listed, or may be held by listed entities.
    possible: Decimal,
    /// The sum of the shares given.
    given: Decimal,
    /// An owner's share is not given where it could matter.
    unknown_share: bool,
    /// A share was too long to add exactly and was rounded (away from clearing).
    rounded: bool,
}

impl Shares {
    /// An owner certainly listed holds `pct`.
    fn listed(&mut self, pct: Decimal) {
        let (k, r) = super::owners::add(self.known, pct, rust_decimal::RoundingStrategy::ToZero);
        (self.known, self.rounded) = (k, self.rounded || r);
    }

    /// An owner that may be listed holds `pct`.
    fn maybe(&mut self, pct: Decimal) {
        let (q, r) = super::owners::add(self.possible, pct, rust_decimal::RoundingStrategy::AwayFromZero);
        (self.possible, self.rounded) = (q, self.rounded || r);
    }

    /// An owner not listed itself holds `pct`, of which listed entities hold between `lo` and
    /// `hi` percent through its own owners.
    fn through(&mut self, pct: Decimal, lo: Decimal, hi: Decimal) {
        use super::owners::{add, part};
        use rust_decimal::RoundingStrategy::{AwayFromZero, ToZero};
        let (k, r1) = part(pct, lo, ToZero);
        let (open, r2) = add(hi, -lo, AwayFromZero);
        let (q, r3) = part(pct, open, AwayFromZero);
        let (k, r4) = add(self.known, k, ToZero);
        let (q, r5) = add(self.possible, q, AwayFromZero);
        (self.known, self.possible) = (k, q);
        self.rounded |= r1 || r2 || r3 || r4 || r5;
    }

    /// An owner whose share is not given, where it could matter: named as missing.
    fn not_given<'r, N: Notes<'r>>(&mut self, p: &'r Party, owner: &'r str, n: &mut N) {
        self.unknown_share = true;
        n.missing_fact(Missing::Share(p, owner));
    }

    /// The 50% rule on these shares: true when listed owners hold `threshold` or more, unknown
    /// when the shares that may be listed, not given or not accounted for (unless the party
    /// states its owners are known, `owners_known`) could reach it, naming what is missing.
    fn truth<'r, N: Notes<'r>>(self, p: &'r Party, list: u32, threshold: Decimal, n: &mut N) -> Truth {
        // Unless the party states that its owners are known (`owners_known`), the shares no
        // owner given holds (all of them, when no owner is given) may be held by listed
        // entities: missing ownership is not "no owners".
        // A statement that leaves a rest that could reach the threshold, alone or with the
        // shares listed entities hold or may hold among the owners given, is not taken
        // (owners::unaccounted).
        let (known, possible) = (self.known, self.possible);
        let held = (known, known.checked_add(possible).unwrap_or(Decimal::MAX));
        let (rest, stated_known) =
            super::owners::unaccounted(p.owners_known, !p.owners.is_empty(), self.given, held, threshold);
        if known >= threshold {
            Truth::True
        } else if self.unknown_share || known + possible >= threshold {
            if self.rounded && !self.unknown_share {
                // Only the rounding of shares too long to add exactly may leave it open: name it.
                n.missing_fact(Missing::InexactShares(Who::Party(p)));
            }
            Truth::Unknown
        } else if known + possible + rest >= threshold {
            n.missing_fact(Missing::Owners { party: p, rest, list, threshold, stated_known });
            Truth::Unknown
        } else {
            Truth::False
        }
    }
}

/// Whether the party declared one of the end uses `uses`.
fn end_use_truth<'r, N: Notes<'r>>(p: &Party, uses: &[crate::model::EndUse], n: &mut N) -> Truth {
    let mut hit = p.end_uses.iter().filter(|u| uses.contains(&u.end_use)).peekable();
    let any = hit.peek().is_some();
    if any {
        n.note(|| {
            let hit: Vec<&str> = hit.map(|u| u.end_use.as_str()).collect();
            format!("{} declared the end use {}", p.label(), hit.join(", "))
        });
    }
    Truth::from_bool(any)
}

/// Whether the party declared one of the end uses `uses` (any, when `None`) taking place in a
/// country of destination scope `d` (`end_use_in`): true on a declared place `d` covers, or on
/// an end use declared without a place by a party located in such a country; unknown, naming
/// the place as a missing fact, for an end use declared without a place by a party located
/// elsewhere or nowhere stated (15 CFR 744.23(a)(1) reaches a supercomputer "located in or
/// destined to" Macau or D:5, 744.21 a military end use in the countries it lists, wherever
/// the party sits); false when no such end use is declared or every one is placed elsewhere.
fn end_use_place_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    p: &'r Party,
    (uses, d): (Option<&[crate::model::EndUse]>, u32),
    presume_place: bool,
    n: &mut N,
) -> Truth {
    let mut any = Truth::False;
    for u in p.end_uses.iter().filter(|u| uses.is_none_or(|us| us.contains(&u.end_use))) {
        any = any.or(one_end_use_place(f, p, *u, (d, presume_place), n));
        if any == Truth::True {
            break;
        }
    }
    any
}

/// Whether one declared end use takes place in a country of destination scope `d` (see
/// [`end_use_place_truth`]). Without a place, the party's location in the scope stands for it
/// only when `presume_place` (a rule that restricts); for a licence exception the place is
/// unknown, never presumed to meet the exception's condition (the exporter establishes that
/// an exception's conditions are met, 15 CFR 740.2(a)).
fn one_end_use_place<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    p: &'r Party,
    u: crate::model::DeclaredEndUse,
    (d, presume_place): (u32, bool),
    n: &mut N,
) -> Truth {
    let covers = |c: Country, n: &mut N| {
        let t = f.rules.compiled.covers(d, &f.epoch, c.index());
        if t == Truth::Unknown {
            unverified_missing(f, d, c, n);
        }
        t
    };
    let use_ = u.end_use;
    if let Some(c) = u.place {
        let t = covers(c, n);
        if t == Truth::True {
            n.note(|| format!("{} declared the end use {use_} in {c}", p.label()));
        }
        return t;
    }
    // Without a place, the party's location stands for it only when it is in the scope.
    match p.country {
        Some(c) if presume_place && covers(c, n) == Truth::True => {
            n.reason(Reason::Located(p, c));
            n.note(|| format!("{} declared the end use {use_}", p.label()));
            return Truth::True;
        }
        Some(_) => {}
        None => n.missing_fact(Missing::Country(p)),
    }
    n.missing_fact(Missing::EndUsePlace(p, use_));
    Truth::Unknown
}

/// Whether the entity the party uses the item for is headquartered (or its ultimate parent is)
/// in the scope: the party itself or any beneficiary of the transaction (a party for which, or on
/// whose behalf, the item is used), as [`headquarters_truth`] reads each. The BIS policy statement
/// of 2025-05-13 reaches training "for or on behalf of" such an entity: a cloud provider declares
/// the training, its customer is the beneficiary (tester round 11, W6).
fn for_headquarters_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    p: &'r Party,
    test: impl Fn(Option<Country>, &mut N) -> Option<Truth>,
    n: &mut N,
) -> Truth {
    let beneficiaries = f.parties.parties.iter().filter(|b| b.role == Role::Beneficiary && !std::ptr::eq(*b, p));
    let mut any = Truth::False;
    let mut missing = n.child();
    for b in std::iter::once(p).chain(beneficiaries) {
        let mut bn = n.child();
        let t = headquarters_truth(b, &test, &mut bn);
        n.absorb(&mut bn, t != Truth::False, false);
        missing.absorb(&mut bn, false, t == Truth::Unknown);
        any = any.or(t);
    }
    if any == Truth::Unknown {
        n.absorb(&mut missing, false, true);
    }
    any
}

/// Whether the party or its ultimate parent is headquartered in the scope (`test` tells for one
/// country, unknown on an unverified membership it names; `None` when the country is not
/// given).
fn headquarters_truth<'r, N: Notes<'r>>(
    p: &'r Party,
    test: impl Fn(Option<Country>, &mut N) -> Option<Truth>,
    n: &mut N,
) -> Truth {
    // The unverified memberships are named only when the answer is unknown.
    let mut unsure = n.child();
    let hq = test(p.headquarters, &mut unsure);
    let mut parent = test(p.parent_headquarters, &mut unsure);
    // A stated parent outside the scope against a controlling owner registered in it, or a
    // company whose registration country is not given (it may be registered there): open.
    let against = if parent == Some(Truth::False) {
        super::owners::controlling_top_where(p, &mut |o| match &o.registration {
            Some(r) => test(Some(r.country), &mut unsure) != Some(Truth::False),
            None => super::owners::may_be_a_company(o),
        })
    } else {
        None
    };
    if against.is_some() {
        parent = Some(Truth::Unknown);
    }
    match (hq, parent) {
        (Some(Truth::True), _) => {
            n.reason(Reason::Headquartered(p));
            Truth::True
        }
        (_, Some(Truth::True)) => {
            n.reason(Reason::ParentHeadquartered(p));
            Truth::True
        }
        (Some(Truth::False), Some(Truth::False)) => Truth::False,
        _ => {
            if hq.is_none() {
                n.missing_fact(Missing::Headquarters(p));
            }
            if parent.is_none() {
                n.missing_fact(Missing::ParentHeadquarters(p));
            }
            if let Some(o) = against {
                n.missing_fact(Missing::ParentHeadquartersAgainstOwner(p, o));
            }
            n.absorb(&mut unsure, false, true);
            Truth::Unknown
        }
    }
}

/// The reasons a destination is or is not within a rule's destinations, recorded as one
/// [`Reason::Destination`] (what it needs: the destinations as written, their compiled form,
/// the destination and `Compiled::covers`'s decision, `covered`) and written out only when
/// shown, by [`destination_reasons`]. Decides nothing.
fn explain_destination<'r, N: Notes<'r>>(f: &Facts<'r>, d: &'r Destinations, dest: u32, covered: Truth, n: &mut N) {
    if !N::ON || !n.reasons() {
        return;
    }
    n.reason(Reason::Destination(DestinationReasons { written: d, dest, covered, country: f.destination }));
}

/// What [`destination_reasons`] explains: destination `country` found within (`covered`) the
/// destinations `written` of a rule, compiled as the pack's destination scope `dest`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DestinationReasons<'r> {
    pub written: &'r Destinations,
    pub dest: u32,
    pub covered: Truth,
    pub country: Country,
}

/// The reasons `d.country` is or is not within the destinations `d.written` in `epoch` (the
/// epoch of the date), each given to `each` in turn: its group memberships and equivalences
/// (Hong Kong treated as China), for the destination and each country it is treated as (a
/// country treated as another, named, in a group, excepted by name, in an excepted group);
/// then, when it is not covered, that it is not among them even were every unverified
/// membership a membership. Explains the decision of `Compiled::covers`; decides nothing.
/// Nothing when the pack lacks the compiled scope.
pub(crate) fn destination_reasons<'r, E>(
    rules: &'r RuleSet,
    epoch: &EpochData,
    d: DestinationReasons<'r>,
    each: &mut impl FnMut(&Reason<'r>) -> Result<(), E>,
) -> Result<(), E> {
    let country = d.country;
    let Some(cd) = rules.compiled.dests.get(d.dest as usize) else { return Ok(()) };
    let (groups, except_groups) = cd.group_ids();
    let equivalents = epoch.treated_as.iter().filter(|t| t.from == country.index());
    let equivalents = std::iter::once((country, None))
        .chain(equivalents.filter_map(|t| Some((Country::from_index(t.to)?, rules.groups.treated_as.get(t.rule)))));
    // The groups among `ids` that hold `c` in this epoch, by name.
    let holding = |ids: &'r [usize], c: Country| {
        ids.iter()
            .filter(move |&&g| epoch.group(g).contains(c.index()))
            .filter_map(|&g| rules.groups.groups.get_index(g).map(|(name, _)| name.as_str()))
    };
    for (c, via) in equivalents {
        if let Some(t) = via {
            each(&Reason::TreatedAs(t))?;
        }
        if d.written.countries.contains(&c) {
            each(&Reason::Named(c))?;
        }
        for g in holding(groups, c) {
            each(&Reason::InGroup(c, g))?;
        }
        if d.written.except_countries.contains(&c) {
            each(&Reason::ExceptedByName(c))?;
        }
        for g in holding(except_groups, c) {
            each(&Reason::InExceptedGroup(c, g))?;
        }
    }
    // Not among them even were every unverified membership a membership. A destination
    // covered, certainly or possibly, is among them (`Coverage`: both are drawn from the
    // countries included with the unverified memberships counted): the sets are made only for
    // one that is not.
    if d.covered == Truth::False && !cd.sets_with(epoch, true).included.contains(country.index()) {
        each(&Reason::NotAmong(country))?;
    }
    Ok(())
}
