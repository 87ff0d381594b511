//! A rule pack compiled for fast evaluation: the timeline cut into epochs (intervals in which
//! no rule, group membership or equivalence changes), found by binary search; per epoch and
//! destination, the licence requirements and exceptions that can apply; destinations as
//! country bitsets; item lists and exception links resolved to indexes.
//!
//! Evaluation over this form (see `decide.rs`) neither parses, hashes strings nor allocates.

use crate::date::Date;
use crate::model::Country;
use crate::ruleset::{Destinations, Items, PartyFilter, RuleSet, Scope, is_under};

/// Most (epoch, destination) index entries a pack may compile to (64 MiB of `u32`); a pack
/// beyond it is evaluated without the index (same verdicts, time linear in the rules).
const MAX_INDEX_ENTRIES: usize = 16 * 1024 * 1024;

/// Most (epoch × rule) checks building the index may take; a pack beyond it (e.g. 100,000
/// rules with as many distinct dates) is evaluated without the index.
const MAX_INDEX_WORK: usize = 64 * 1024 * 1024;

/// A set of countries, one bit per [`Country::index`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Countries([u64; Countries::WORDS]);

impl Countries {
    const WORDS: usize = Country::INDEX_LIMIT.div_ceil(64);

    fn insert(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn union(&mut self, other: &Countries) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    fn all() -> Countries {
        let mut c = Countries([u64::MAX; Countries::WORDS]);
        // Clear the bits past the last index.
        if let Some(last) = c.0.last_mut() {
            let used = Country::INDEX_LIMIT - 64 * (Countries::WORDS - 1);
            *last = if used == 64 { u64::MAX } else { (1u64 << used) - 1 };
        }
        c
    }

    fn minus(mut self, other: &Countries) -> Countries {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a &= !b;
        }
        self
    }

    /// The members, ascending.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    64 * w + b
                })
            })
        })
    }

    fn of(list: &[Country]) -> Countries {
        let mut c = Countries::default();
        list.iter().for_each(|x| c.insert(x.index()));
        c
    }
}

/// A destination scope with groups resolved to indexes: `(countries ∪ groups) − (except_groups
/// ∪ except_countries)`, applied to a destination and every country it is treated as.
#[derive(Debug, Clone)]
pub(crate) struct CompiledDest {
    open: bool,
    groups: Vec<usize>,
    countries: Countries,
    except_groups: Vec<usize>,
    except_countries: Countries,
}

impl CompiledDest {
    fn new(d: &Destinations, rules: &RuleSet) -> Self {
        // A group the pack does not define matches nothing (the loader refuses such packs).
        let ids = |g: &[String]| g.iter().filter_map(|g| rules.groups.groups.get_index_of(g)).collect();
        CompiledDest {
            open: d.groups.is_empty() && d.countries.is_empty(),
            groups: ids(&d.groups),
            countries: Countries::of(&d.countries),
            except_groups: ids(&d.except_groups),
            except_countries: Countries::of(&d.except_countries),
        }
    }

    /// Every country it covers in `epoch`.
    fn countries(&self, epoch: &EpochData) -> Countries {
        let mut inc = if self.open { Countries::all() } else { self.countries };
        let mut exc = self.except_countries;
        for &g in &self.groups {
            inc.union(&epoch.group(g));
        }
        for &g in &self.except_groups {
            exc.union(&epoch.group(g));
        }
        // A destination treated as another is covered (or excepted) with it.
        let (base_inc, base_exc) = (inc, exc);
        for &(from, to) in &epoch.treated_as {
            if base_inc.contains(to) {
                inc.insert(from);
            }
            if base_exc.contains(to) {
                exc.insert(from);
            }
        }
        inc.minus(&exc)
    }

    /// Whether the country with index `c` is covered.
    pub(crate) fn covers(&self, groups: Groups<'_>, c: usize) -> bool {
        let test = |c: usize| {
            let inc = self.countries.contains(c) || self.groups.iter().any(|&g| groups.contains(g, c));
            let exc = self.except_countries.contains(c) || self.except_groups.iter().any(|&g| groups.contains(g, c));
            (inc, exc)
        };
        let (mut inc, mut exc) = test(c);
        inc |= self.open;
        groups.for_each_treated_as(c, |to| {
            let (i, e) = test(to);
            inc |= i;
            exc |= e;
        });
        inc && !exc
    }
}

/// Country-group memberships and equivalences at one date: from the epoch index, or looked
/// up in the rule set when the pack has no index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Groups<'a> {
    /// Precomputed for the epoch.
    Epoch(&'a EpochData),
    /// Looked up for the date.
    Dated(&'a RuleSet, Date),
}

impl Groups<'_> {
    fn contains(self, g: usize, c: usize) -> bool {
        match self {
            Groups::Epoch(e) => e.group(g).contains(c),
            Groups::Dated(rules, date) => {
                rules.groups.groups.get_index(g).is_some_and(|(_, group)| {
                    Country::from_index(c).is_some_and(|c| group.membership(c, date).is_some())
                })
            }
        }
    }

    /// Calls `f` with the index of every country that `c` is treated as.
    fn for_each_treated_as(self, c: usize, mut f: impl FnMut(usize)) {
        match self {
            Groups::Epoch(e) => e.treated_as.iter().filter(|(from, _)| *from == c).for_each(|(_, to)| f(*to)),
            Groups::Dated(rules, date) => rules
                .groups
                .treated_as
                .iter()
                .filter(|t| t.country.index() == c && t.period.contains(date))
                .for_each(|t| f(t.as_country.index())),
        }
    }
}

/// A party filter with its destinations and list resolved.
#[derive(Debug, Clone)]
pub(crate) struct CompiledParties {
    pub located_in: Option<CompiledDest>,
    pub headquartered_in: Option<CompiledDest>,
    /// Interned list id (`u32::MAX`: a list no entry is on).
    pub listed_on: Option<u32>,
    pub owned_by_listed: Option<(u32, rust_decimal::Decimal)>,
}

/// A requirement's or exception's scope and items, resolved.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub destinations: Option<CompiledDest>,
    pub parties: Option<CompiledParties>,
    /// The classification rules the items cover, one bit per rule; `None` for every item.
    pub items: Option<Vec<u64>>,
    /// For a requirement: exceptions that overcome it. For an exception: requirements that make
    /// it unavailable.
    pub links: Vec<u32>,
}

/// What holds throughout one epoch.
#[derive(Debug, Clone)]
pub(crate) struct EpochData {
    /// Members of each country group, in group order.
    groups: Vec<Countries>,
    /// `(country, treated as)` pairs in force, by country index.
    treated_as: Vec<(usize, usize)>,
}

impl EpochData {
    fn group(&self, g: usize) -> Countries {
        self.groups.get(g).copied().unwrap_or_default()
    }
}

/// Lists of `u32` per key, flattened.
#[derive(Debug, Clone, Default)]
pub(crate) struct Postings {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Postings {
    pub(crate) fn get(&self, key: usize) -> &[u32] {
        let (Some(&a), Some(&b)) = (self.offsets.get(key), self.offsets.get(key + 1)) else { return &[] };
        self.items.get(a as usize..b as usize).unwrap_or_default()
    }

    fn push_key(&mut self, list: impl IntoIterator<Item = u32>) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.items.extend(list);
        self.offsets.push(u32::try_from(self.items.len()).unwrap_or(u32::MAX));
    }
}

/// The epoch index: boundaries, per-epoch data, classifications in force per epoch, and the
/// requirements and exceptions that can apply per (epoch, destination).
#[derive(Debug, Clone)]
pub(crate) struct Index {
    /// First day of each epoch, ascending; the first is on or before the pack's coverage.
    pub bounds: Vec<Date>,
    pub epochs: Vec<EpochData>,
    pub classifications: Postings,
    /// Key: `Index::key(epoch, country slot, has party filter)`; the slot is the country's
    /// index, or `Country::INDEX_LIMIT` for rules that concern every destination.
    pub requirements: Postings,
    pub exceptions: Postings,
}

impl Index {
    /// Destination slots per epoch: one per country index, and one for every destination.
    pub(crate) const SLOTS: usize = Country::INDEX_LIMIT + 1;

    /// The postings key of a destination slot in an epoch, for rules without (`false`) or with
    /// a party filter.
    pub(crate) fn key(epoch: usize, slot: usize, parties: bool) -> usize {
        2 * (epoch * Self::SLOTS + slot) + usize::from(parties)
    }

    /// The epoch containing `date`, if the date is not before the first boundary.
    pub(crate) fn epoch(&self, date: Date) -> Option<usize> {
        self.bounds.partition_point(|b| *b <= date).checked_sub(1)
    }
}

/// The compiled form of a rule set (everything but the conditions, which are evaluated as
/// compiled by the loader: trees over interned attribute slots).
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub requirements: Vec<CompiledRule>,
    pub exceptions: Vec<CompiledRule>,
    /// Interned list id of each screening-list entry.
    pub entry_list: Vec<u32>,
    /// `None` when the pack's index would exceed [`MAX_INDEX_ENTRIES`].
    pub index: Option<Index>,
}

/// Screening lists by name, numbered in order of first appearance.
struct ListIds<'a>(indexmap::IndexSet<&'a str>);

impl<'a> ListIds<'a> {
    fn new(rules: &'a RuleSet) -> Self {
        ListIds(rules.lists.iter().map(|e| e.list.as_str()).collect())
    }

    /// The list's number; `u32::MAX` for a list no entry is on.
    fn id(&self, list: &str) -> u32 {
        self.0.get_index_of(list).and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX)
    }
}

fn compile_parties(f: &PartyFilter, rules: &RuleSet, lists: &ListIds) -> CompiledParties {
    CompiledParties {
        located_in: f.located_in.as_ref().map(|d| CompiledDest::new(d, rules)),
        headquartered_in: f.headquartered_in.as_ref().map(|d| CompiledDest::new(d, rules)),
        listed_on: f.listed_on.as_deref().map(|l| lists.id(l)),
        owned_by_listed: f.owned_by_listed.as_ref().map(|(l, t)| (lists.id(l), *t)),
    }
}

fn compile_rule(scope: &Scope, items: &Items, links: Vec<u32>, rules: &RuleSet, lists: &ListIds) -> CompiledRule {
    CompiledRule {
        destinations: scope.destinations.as_ref().map(|d| CompiledDest::new(d, rules)),
        parties: scope.parties.as_ref().map(|p| compile_parties(p, rules, lists)),
        items: match items {
            Items::All => None,
            Items::List(list) => {
                let mut mask = vec![0u64; rules.classifications.len().div_ceil(64)];
                for (i, c) in rules.classifications.iter().enumerate() {
                    if list.iter().any(|x| is_under(x, &c.meta.id) || is_under(x, &c.eccn))
                        && let Some(w) = mask.get_mut(i / 64)
                    {
                        *w |= 1 << (i % 64);
                    }
                }
                Some(mask)
            }
        },
        links,
    }
}

fn indexes(n: usize, f: impl Fn(usize) -> bool) -> Vec<u32> {
    (0..n).filter(|&i| f(i)).filter_map(|i| u32::try_from(i).ok()).collect()
}

impl Compiled {
    pub(crate) fn new(rules: &RuleSet) -> Compiled {
        let lists = ListIds::new(rules);
        let requirements = rules
            .requirements
            .iter()
            .map(|r| {
                let by = indexes(rules.exceptions.len(), |x| {
                    rules.exceptions.get(x).is_some_and(|x| x.overcomes.contains(&r.meta.id))
                });
                compile_rule(&r.scope, &r.items, by, rules, &lists)
            })
            .collect();
        let exceptions = rules
            .exceptions
            .iter()
            .map(|x| {
                let blockers = indexes(rules.requirements.len(), |r| {
                    rules
                        .requirements
                        .get(r)
                        .is_some_and(|r| x.unavailable_with.iter().any(|p| is_under(p, &r.meta.id)))
                });
                compile_rule(&x.scope, &x.items, blockers, rules, &lists)
            })
            .collect();
        let entry_list = rules.lists.iter().map(|e| lists.id(&e.list)).collect();
        let mut c = Compiled { requirements, exceptions, entry_list, index: None };
        c.index = c.build_index(rules);
        c
    }

    fn build_index(&self, rules: &RuleSet) -> Option<Index> {
        let mut bounds = vec![rules.pack.coverage_from];
        let mut add = |p: &crate::ruleset::Period| {
            bounds.push(p.from);
            bounds.extend(p.until);
        };
        rules.classifications.iter().for_each(|r| add(&r.meta.period));
        rules.exclusions.iter().for_each(|r| add(&r.meta.period));
        rules.requirements.iter().for_each(|r| add(&r.meta.period));
        rules.exceptions.iter().for_each(|r| add(&r.meta.period));
        for g in rules.groups.groups.values() {
            g.dated.iter().for_each(|(_, p, _)| add(p));
        }
        rules.groups.treated_as.iter().for_each(|t| add(&t.period));
        bounds.sort();
        bounds.dedup();
        // Epochs before the coverage are never evaluated.
        let first = bounds.partition_point(|b| *b <= rules.pack.coverage_from).saturating_sub(1);
        bounds.drain(..first);
        let rule_count = rules.classifications.len() + rules.requirements.len() + rules.exceptions.len();
        if bounds.len().saturating_mul(rule_count.max(1)) > MAX_INDEX_WORK {
            return None;
        }

        // Members throughout, per group; dated members are added per epoch.
        let static_members: Vec<Countries> = rules
            .groups
            .groups
            .values()
            .map(|g| {
                let mut c = Countries::default();
                g.members.iter().for_each(|m| c.insert(m.index()));
                c
            })
            .collect();
        let mut epochs = Vec::with_capacity(bounds.len());
        let mut classifications = Postings::default();
        let mut requirements = Postings::default();
        let mut exceptions = Postings::default();
        let mut budget = MAX_INDEX_ENTRIES;
        // Per country, rules without and with a party filter: a query without parties reads
        // only the first.
        let mut per_country: Vec<Vec<u32>> = vec![Vec::new(); 2 * Index::SLOTS];
        let req_periods: Vec<_> = rules.requirements.iter().map(|r| r.meta.period).collect();
        let exc_periods: Vec<_> = rules.exceptions.iter().map(|r| r.meta.period).collect();
        for &from in &bounds {
            let epoch = EpochData {
                groups: rules
                    .groups
                    .groups
                    .values()
                    .zip(&static_members)
                    .map(|(g, members)| {
                        let mut c = *members;
                        for (m, period, _) in &g.dated {
                            if period.contains(from) {
                                c.insert(m.index());
                            }
                        }
                        c
                    })
                    .collect(),
                treated_as: rules
                    .groups
                    .treated_as
                    .iter()
                    .filter(|t| t.period.contains(from))
                    .map(|t| (t.country.index(), t.as_country.index()))
                    .collect(),
            };
            let active = indexes(rules.classifications.len(), |i| {
                rules.classifications.get(i).is_some_and(|c| c.meta.period.contains(from))
            });
            budget = budget.checked_sub(active.len())?;
            classifications.push_key(active);
            for (compiled, periods, out) in [
                (&self.requirements, &req_periods, &mut requirements),
                (&self.exceptions, &exc_periods, &mut exceptions),
            ] {
                per_country.iter_mut().for_each(Vec::clear);
                for (i, (rule, period)) in compiled.iter().zip(periods.iter()).enumerate() {
                    if !period.contains(from) {
                        continue;
                    }
                    let i = u32::try_from(i).ok()?;
                    let parties = usize::from(rule.parties.is_some());
                    let Some(d) = &rule.destinations else {
                        // Every destination: one entry, read with every country's.
                        budget = budget.checked_sub(1)?;
                        if let Some(list) = per_country.get_mut(2 * Country::INDEX_LIMIT + parties) {
                            list.push(i);
                        }
                        continue;
                    };
                    for c in d.countries(&epoch).iter() {
                        budget = budget.checked_sub(1)?;
                        if let Some(list) = per_country.get_mut(2 * c + parties) {
                            list.push(i);
                        }
                    }
                }
                for list in &per_country {
                    out.push_key(list.iter().copied());
                }
            }
            epochs.push(epoch);
        }
        Some(Index { bounds, epochs, classifications, requirements, exceptions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_sets_hold_exactly_their_members() {
        let all = Countries::all();
        assert_eq!(all.iter().count(), Country::INDEX_LIMIT);
        assert!(all.iter().eq(0..Country::INDEX_LIMIT));
        let cn: Country = "CN".parse().unwrap();
        let mo: Country = "MO".parse().unwrap();
        let s = Countries::of(&[mo, cn]);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![cn.index(), mo.index()]);
        assert!(s.contains(cn.index()) && !s.contains(Country::US.index()));
        assert_eq!(all.minus(&s).iter().count(), Country::INDEX_LIMIT - 2);
        assert_eq!(Country::from_index(cn.index()), Some(cn));
        assert_eq!(Country::from_index(Country::INDEX_LIMIT), None);
    }
}
