//! Whether a rule's scope (destinations, parties, products, transaction kinds) covers a
//! transaction, three-valued, with the reasons and the missing party facts.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::model::{Country, Party, TransactionKind};
use crate::ruleset::condition::Truth;
use crate::ruleset::groups::CountryGroups;
use crate::ruleset::{Destinations, ListEntry, PartyFilter, RuleSet, Scope, normalize_name};

/// The transaction facts a scope is tested against.
pub(crate) struct Ctx<'a> {
    pub product_id: &'a str,
    pub destination: Country,
    pub kind: TransactionKind,
    pub date: Date,
    pub parties: &'a [Party],
}

/// The outcome of a scope test.
pub(crate) struct ScopeResult<'r> {
    pub truth: Truth,
    pub notes: Vec<String>,
    pub missing: Vec<String>,
    pub entries: Vec<&'r ListEntry>,
    /// The scope concerns parties, none were given, and everything else matched.
    pub parties_not_given: bool,
}

/// Whether `country` is within `d` on `date`, with the reasons (group memberships,
/// equivalences such as Hong Kong treated as China).
pub(crate) fn destination_matches(
    d: &Destinations,
    groups: &CountryGroups,
    country: Country,
    date: Date,
) -> (bool, Vec<String>) {
    // Only exceptions given: every destination except those.
    let mut included = d.groups.is_empty() && d.countries.is_empty();
    let mut excluded = false;
    let mut why = Vec::new();
    for (c, via) in groups.equivalents(country, date) {
        if let Some(t) = via {
            why.push(format!("{} is treated as {} ({})", t.country, t.as_country, t.source));
        }
        if d.countries.contains(&c) {
            included = true;
            why.push(format!("{c} is named in the rule"));
        }
        for g in &d.groups {
            if groups.contains(g, c, date) {
                included = true;
                why.push(format!("{c} is in Country Group {g}"));
            }
        }
        if d.except_countries.contains(&c) {
            excluded = true;
            why.push(format!("{c} is excepted by name"));
        }
        for g in &d.except_groups {
            if groups.contains(g, c, date) {
                excluded = true;
                why.push(format!("{c} is in Country Group {g}, which is excepted"));
            }
        }
    }
    if !included {
        why.push(format!("{country} is not among the countries named"));
    }
    (included && !excluded, why)
}

impl RuleSet {
    /// Entries of `list` in force on `date` that match a name or explicit entry ids.
    pub(crate) fn list_matches(&self, list: &str, name: Option<&str>, ids: &[String], date: Date) -> Vec<&ListEntry> {
        let key = name.map(normalize_name);
        self.lists
            .iter()
            .filter(|e| e.list == list && e.period.contains(date))
            .filter(|e| ids.contains(&e.id) || key.as_ref().is_some_and(|k| e.keys.contains(k)))
            .collect()
    }

    /// Entries whose name or alias resembles `name` without matching it exactly (one contains the
    /// other as whole words), for a "screen this party" warning.
    pub(crate) fn possible_matches(&self, name: &str, date: Date) -> Vec<&ListEntry> {
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

    pub(crate) fn eval_scope<'r>(&'r self, s: &Scope, cx: &Ctx) -> ScopeResult<'r> {
        let mut r = ScopeResult {
            truth: Truth::True,
            notes: Vec::new(),
            missing: Vec::new(),
            entries: Vec::new(),
            parties_not_given: false,
        };
        if let Some(products) = &s.products {
            if !products.iter().any(|p| p == cx.product_id) {
                r.truth = Truth::False;
                r.notes.push(format!("concerns {} only", products.join(", ")));
                return r;
            }
            r.notes.push(format!("the rule names the product {}", cx.product_id));
        }
        if let Some(kinds) = &s.transaction_kinds
            && !kinds.contains(&cx.kind)
        {
            r.truth = Truth::False;
            r.notes.push(format!(
                "concerns {} only; this is an {}",
                kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "),
                cx.kind.as_str()
            ));
            return r;
        }
        if let Some(d) = &s.destinations {
            let (ok, why) = destination_matches(d, &self.groups, cx.destination, cx.date);
            r.notes.extend(why);
            if !ok {
                r.truth = Truth::False;
                return r;
            }
        }
        if let Some(pf) = &s.parties {
            if cx.parties.is_empty() {
                r.truth = Truth::False;
                r.parties_not_given = true;
                r.notes.push("concerns parties; none were given".into());
                return r;
            }
            let mut any = Truth::False;
            let mut missing = Vec::new();
            for p in cx.parties {
                let (t, mut notes, miss, entries) = self.party_matches(pf, p, cx.date);
                if t != Truth::False {
                    r.notes.append(&mut notes);
                    r.entries.extend(entries);
                }
                if t == Truth::Unknown {
                    missing.extend(miss);
                }
                any = any.or(t);
            }
            if any == Truth::Unknown {
                r.missing = missing;
            }
            r.truth = any;
        }
        r
    }

    /// Whether one party meets every condition of the filter.
    fn party_matches<'r>(
        &'r self,
        f: &PartyFilter,
        p: &Party,
        date: Date,
    ) -> (Truth, Vec<String>, Vec<String>, Vec<&'r ListEntry>) {
        let who = p.label();
        let mut t = Truth::True;
        let mut notes = Vec::new();
        let mut missing = Vec::new();
        let mut entries = Vec::new();
        if let Some(roles) = &f.roles {
            t = t.and(Truth::from_bool(roles.contains(&p.role)));
        }
        if let Some(d) = &f.located_in {
            t = t.and(match p.country {
                Some(c) => {
                    let (ok, _) = destination_matches(d, &self.groups, c, date);
                    if ok {
                        notes.push(format!("{who} is located in {c}"));
                    }
                    Truth::from_bool(ok)
                }
                None => {
                    missing.push(format!("{who}: country"));
                    Truth::Unknown
                }
            });
        }
        if let Some(d) = &f.headquartered_in {
            let test = |c: Option<Country>| c.map(|c| destination_matches(d, &self.groups, c, date).0);
            let hq = test(p.headquarters);
            let parent = test(p.parent_headquarters);
            let truth = match (hq, parent) {
                (Some(true), _) | (_, Some(true)) => Truth::True,
                (Some(false), Some(false)) => Truth::False,
                _ => Truth::Unknown,
            };
            match truth {
                Truth::True => {
                    if hq == Some(true) {
                        notes.push(format!(
                            "{who} is headquartered in {}",
                            p.headquarters.map_or("?".into(), |c| c.to_string())
                        ));
                    } else {
                        notes.push(format!(
                            "{who}'s ultimate parent is headquartered in {}",
                            p.parent_headquarters.map_or("?".into(), |c| c.to_string())
                        ));
                    }
                }
                Truth::Unknown => {
                    if hq.is_none() {
                        missing.push(format!("{who}: headquarters"));
                    }
                    if parent.is_none() {
                        missing.push(format!("{who}: parent_headquarters"));
                    }
                }
                Truth::False => {}
            }
            t = t.and(truth);
        }
        if let Some(list) = &f.listed_on {
            let found = self.list_matches(list, p.name.as_deref(), &p.list_entries, date);
            let truth = if !found.is_empty() {
                for e in &found {
                    notes.push(format!("{who} matches {} entry {} \"{}\" ({})", list, e.id, e.name, e.source));
                }
                entries.extend(found);
                Truth::True
            } else if p.name.is_none() && p.list_entries.is_empty() {
                missing.push(format!("{who}: name (for screening)"));
                Truth::Unknown
            } else {
                Truth::False
            };
            t = t.and(truth);
        }
        if let Some((list, threshold)) = &f.owned_by_listed {
            let mut known = Decimal::ZERO;
            let mut unknown_share = false;
            for o in &p.owners {
                let found = self.list_matches(list, Some(&o.name), &o.list_entries, date);
                if found.is_empty() {
                    continue;
                }
                match o.percent {
                    Some(pct) => {
                        known += pct;
                        let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
                        notes.push(format!("{who} is {pct}% owned by \"{}\", listed as {}", o.name, ids.join(", ")));
                    }
                    None => {
                        unknown_share = true;
                        missing.push(format!("{who}: share owned by \"{}\"", o.name));
                    }
                }
                entries.extend(found);
            }
            let truth = if known >= *threshold {
                Truth::True
            } else if unknown_share {
                Truth::Unknown
            } else {
                Truth::False
            };
            t = t.and(truth);
        }
        if let Some(uses) = &f.end_uses {
            let hit: Vec<&String> = p.end_uses.iter().filter(|u| uses.contains(u)).collect();
            if !hit.is_empty() {
                notes.push(format!(
                    "{who} declared the end use {}",
                    hit.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            t = t.and(Truth::from_bool(!hit.is_empty()));
        }
        (t, notes, missing, entries)
    }
}
