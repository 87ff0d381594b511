//! Whether a rule's scope (products, transaction kinds, destinations, parties) covers a
//! transaction, three-valued, with the reasons and the missing party facts.

use rust_decimal::Decimal;

use super::Facts;
use super::sink::Notes;
use crate::model::{Country, Party};
use crate::ruleset::condition::Truth;
use crate::ruleset::index::{CompiledParties, CompiledRule};
use crate::ruleset::{Destinations, ListEntry, PartyFilter, Scope};

/// The truth of a rule's scope. `prefiltered`: the index already established that the
/// destination is covered. `through_parties`: a country the destinations name also counts when
/// it is a party's location, headquarters or ultimate parent's headquarters (for destinations
/// that name groups or countries, not "everywhere except").
pub(crate) fn scope_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    s: &'r Scope,
    cr: &CompiledRule,
    prefiltered: bool,
    through_parties: bool,
    n: &mut N,
) -> Truth {
    if let Some(products) = &s.products {
        let Some(named) = products.iter().find(|p| f.product.is_or_contains(p)) else {
            n.note(|| format!("concerns {} only", products.join(", ")));
            return Truth::False;
        };
        let id = &f.product.product.id;
        n.note(|| {
            if named == id {
                format!("the rule names the product {id}")
            } else {
                format!("the rule names {named}, which {id} contains")
            }
        });
    }
    if let Some(kinds) = &s.transaction_kinds
        && !kinds.contains(&f.kind)
    {
        n.note(|| {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            format!("concerns {} only; this is an {}", kinds.join(", "), f.kind.as_str())
        });
        return Truth::False;
    }
    if let Some(d) = cr.destinations
        && (!prefiltered || N::ON)
    {
        let covered = f.rules.compiled.covers(d, &f.epoch, f.destination.index());
        if let Some(written) = &s.destinations {
            explain_destination(f, written, d, n);
        }
        let named = s.destinations.as_ref().is_some_and(|w| !w.groups.is_empty() || !w.countries.is_empty());
        let entered = covered || (through_parties && named && through_a_party(f, d, n));
        if !entered {
            return Truth::False;
        }
    }
    match (&s.parties, &cr.parties) {
        (Some(pf), Some(cp)) => parties_truth(f, pf, cp, n),
        _ => Truth::True,
    }
}

/// Whether a party's location, headquarters or ultimate parent's headquarters is a country the
/// destination scope `d` covers.
fn through_a_party<'r, N: Notes<'r>>(f: &Facts<'r>, d: u32, n: &mut N) -> bool {
    for p in &f.parties.parties {
        let facts = [
            (p.country, "is located in"),
            (p.headquarters, "is headquartered in"),
            (p.parent_headquarters, "has its ultimate parent in"),
        ];
        for (c, how) in facts {
            if let Some(c) = c
                && f.rules.compiled.covers(d, &f.epoch, c.index())
            {
                n.note(|| format!("{c} enters through a party: {} {how} {c}", p.label()));
                return true;
            }
        }
    }
    false
}

/// Whether at least one party meets the filter.
fn parties_truth<'r, N: Notes<'r>>(f: &Facts<'r>, pf: &PartyFilter, cp: &CompiledParties, n: &mut N) -> Truth {
    let ps = f.parties;
    if ps.parties.is_empty() {
        n.parties_not_given();
        n.note(|| "concerns parties; none were given".into());
        return Truth::False;
    }
    let mut any = Truth::False;
    let mut missing = n.child();
    for (i, p) in ps.parties.iter().enumerate() {
        let entries = ps.entries.get(i).map_or(&[][..], Vec::as_slice);
        let owners = ps.owners.get(i).map_or(&[][..], Vec::as_slice);
        let mut pn = n.child();
        let t = party_truth(f, pf, cp, p, entries, owners, &mut pn);
        n.absorb(&mut pn, t != Truth::False, false);
        missing.absorb(&mut pn, false, t == Truth::Unknown);
        any = any.or(t);
    }
    if any == Truth::Unknown {
        n.absorb(&mut missing, false, true);
    }
    any
}

/// The entries among `found` that are on list `list` and in force on the decision's date.
fn listed<'r>(f: &Facts<'r>, found: &'r [u32], list: u32) -> impl Iterator<Item = &'r ListEntry> + 'r {
    let (rules, date) = (f.rules, f.date);
    found.iter().filter_map(move |&i| {
        let e = rules.lists.get(i as usize)?;
        (rules.compiled.entry_list.get(i as usize) == Some(&list) && e.period.contains(date)).then_some(e)
    })
}

/// Whether one party meets every condition of the filter.
fn party_truth<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    pf: &PartyFilter,
    cp: &CompiledParties,
    p: &'r Party,
    entries: &'r [u32],
    owners: &'r [(Option<Decimal>, Vec<u32>)],
    n: &mut N,
) -> Truth {
    let covers = |d: u32, c: Country| f.rules.compiled.covers(d, &f.epoch, c.index());
    let mut t = Truth::True;
    if let Some(roles) = &pf.roles {
        t = t.and(Truth::from_bool(roles.contains(&p.role)));
    }
    if let Some(d) = cp.located_in
        && t != Truth::False
    {
        t = t.and(match p.country {
            Some(c) if covers(d, c) => {
                n.note(|| format!("{} is located in {c}", p.label()));
                Truth::True
            }
            Some(_) => Truth::False,
            None => {
                n.missing(|| format!("{}: country", p.label()));
                Truth::Unknown
            }
        });
    }
    if let Some(d) = cp.headquartered_in
        && t != Truth::False
    {
        t = t.and(headquarters_truth(p, |c| c.map(|c| covers(d, c)), n));
    }
    if let Some(list) = cp.listed_on
        && t != Truth::False
    {
        let mut found = listed(f, entries, list).peekable();
        t = t.and(if found.peek().is_some() {
            let list_name = pf.listed_on.as_deref().unwrap_or_default();
            for e in found {
                n.note(|| format!("{} matches {} entry {} \"{}\" ({})", p.label(), list_name, e.id, e.name, e.source));
                n.entry(e);
            }
            Truth::True
        } else if p.name.is_none() && p.list_entries.is_empty() {
            n.missing(|| format!("{}: name (for screening)", p.label()));
            Truth::Unknown
        } else {
            Truth::False
        });
    }
    if let Some((list, threshold)) = cp.owned_by_listed
        && t != Truth::False
    {
        let mut known = Decimal::ZERO;
        let mut unknown_share = false;
        for (owner, (percent, ids)) in p.owners.iter().zip(owners) {
            let mut found = listed(f, ids, list).peekable();
            if found.peek().is_none() {
                continue;
            }
            match percent {
                Some(pct) => {
                    known += *pct;
                    n.note(|| {
                        let ids: Vec<&str> = listed(f, ids, list).map(|e| e.id.as_str()).collect();
                        format!("{} is {pct}% owned by \"{}\", listed as {}", p.label(), owner.name, ids.join(", "))
                    });
                }
                None => {
                    unknown_share = true;
                    n.missing(|| format!("{}: share owned by \"{}\"", p.label(), owner.name));
                }
            }
            found.for_each(|e| n.entry(e));
        }
        t = t.and(if known >= threshold {
            Truth::True
        } else if unknown_share {
            Truth::Unknown
        } else {
            Truth::False
        });
    }
    if let Some(uses) = &pf.end_uses
        && t != Truth::False
    {
        let mut hit = p.end_uses.iter().filter(|u| uses.contains(u)).peekable();
        let any = hit.peek().is_some();
        if any {
            n.note(|| {
                let hit: Vec<&str> = hit.map(String::as_str).collect();
                format!("{} declared the end use {}", p.label(), hit.join(", "))
            });
        }
        t = t.and(Truth::from_bool(any));
    }
    t
}

/// Whether the party or its ultimate parent is headquartered in the scope (`test` tells for one
/// country, `None` when it is not given).
fn headquarters_truth<'r, N: Notes<'r>>(p: &Party, test: impl Fn(Option<Country>) -> Option<bool>, n: &mut N) -> Truth {
    let hq = test(p.headquarters);
    let parent = test(p.parent_headquarters);
    let show = |c: Option<Country>| c.map_or("?".into(), |c| c.to_string());
    match (hq, parent) {
        (Some(true), _) => {
            n.note(|| format!("{} is headquartered in {}", p.label(), show(p.headquarters)));
            Truth::True
        }
        (_, Some(true)) => {
            n.note(|| format!("{}'s ultimate parent is headquartered in {}", p.label(), show(p.parent_headquarters)));
            Truth::True
        }
        (Some(false), Some(false)) => Truth::False,
        _ => {
            if hq.is_none() {
                n.missing(|| format!("{}: headquarters", p.label()));
            }
            if parent.is_none() {
                n.missing(|| format!("{}: parent_headquarters", p.label()));
            }
            Truth::Unknown
        }
    }
}

/// The reasons a destination is or is not within a rule's destinations: its group memberships
/// and equivalences (Hong Kong treated as China). Explains the decision of
/// `Compiled::covers`; decides nothing.
fn explain_destination<'r, N: Notes<'r>>(f: &Facts<'r>, d: &Destinations, dest: u32, n: &mut N) {
    if !N::ON {
        return;
    }
    let rules = f.rules;
    let epoch = &f.epoch.data;
    let country = f.destination;
    let equivalents = epoch.treated_as.iter().filter(|t| t.from == country.index());
    let equivalents = std::iter::once((country, None))
        .chain(equivalents.filter_map(|t| Some((Country::from_index(t.to)?, rules.groups.treated_as.get(t.rule)))));
    let in_group =
        |g: &str, c: Country| rules.groups.groups.get_index_of(g).is_some_and(|g| epoch.group(g).contains(c.index()));
    for (c, via) in equivalents {
        if let Some(t) = via {
            n.note(|| format!("{} is treated as {} ({})", t.country, t.as_country, t.source));
        }
        if d.countries.contains(&c) {
            n.note(|| format!("{c} is named in the rule"));
        }
        for g in d.groups.iter().filter(|g| in_group(g, c)) {
            n.note(|| format!("{c} is in Country Group {g}"));
        }
        if d.except_countries.contains(&c) {
            n.note(|| format!("{c} is excepted by name"));
        }
        for g in d.except_groups.iter().filter(|g| in_group(g, c)) {
            n.note(|| format!("{c} is in Country Group {g}, which is excepted"));
        }
    }
    let included =
        rules.compiled.dests.get(dest as usize).is_some_and(|cd| cd.sets(epoch).included.contains(country.index()));
    if !included {
        n.note(|| format!("{country} is not among the countries named"));
    }
}
