//! The pack's index, built once when the pack is compiled: the timeline cut into epochs
//! (intervals in which no rule, group membership or equivalence changes), found by binary
//! search; per epoch, the rules in force, and per epoch and destination, the licence
//! requirements and exceptions that can apply; destinations as country bitsets; item lists and
//! exception links resolved to indexes.
//!
//! Destination membership is computed in one place, [`CompiledDest::sets_with`]: the index, the
//! evaluation of a destination and of a party's location or headquarters all read it.

use super::condition::{Program, Straight, StraightBuilder, Truth};
use super::groups::CountryGroups;
use super::{Destinations, Items, PartyFilter, RuleSet, Scope, is_under, names_rule};
use crate::date::Date;
use crate::model::{Country, ProductKind};

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

/// The countries a destination scope includes and excepts in one epoch (a country treated as
/// another is included or excepted with it).
pub(crate) struct DestSets {
    pub included: Countries,
    pub excepted: Countries,
}

/// A destination scope's countries in one epoch, three-valued: those it certainly covers, and
/// those it covers or not depending on group memberships the sources leave unverified.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Coverage {
    pub sure: Countries,
    pub unsure: Countries,
}

impl Coverage {
    /// Whether the country with index `c` is covered: unknown when it hinges on an unverified
    /// membership.
    pub(crate) fn truth(&self, c: usize) -> Truth {
        if self.sure.contains(c) {
            Truth::True
        } else if self.unsure.contains(c) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// Every country the scope covers or may cover.
    fn possible(&self) -> Countries {
        let mut c = self.sure;
        c.union(&self.unsure);
        c
    }
}

impl CompiledDest {
    fn new(d: &Destinations, groups: &CountryGroups) -> Self {
        // A group the pack does not define matches nothing (the loader refuses such packs).
        let ids = |g: &[String]| g.iter().filter_map(|g| groups.groups.get_index_of(g)).collect();
        CompiledDest {
            open: d.groups.is_empty() && d.countries.is_empty(),
            groups: ids(&d.groups),
            countries: Countries::of(&d.countries),
            except_groups: ids(&d.except_groups),
            except_countries: Countries::of(&d.except_countries),
        }
    }

    /// What the scope includes and excepts in `epoch`, counting unverified members as members
    /// (`with_unverified`) or not: the one definition of destination membership.
    pub(crate) fn sets_with(&self, epoch: &EpochData, with_unverified: bool) -> DestSets {
        let group = |g: usize| if with_unverified { epoch.group_or_unverified(g) } else { epoch.group(g) };
        let mut inc = if self.open { Countries::all() } else { self.countries };
        let mut exc = self.except_countries;
        for &g in &self.groups {
            inc.union(&group(g));
        }
        for &g in &self.except_groups {
            exc.union(&group(g));
        }
        // A destination treated as another is covered (or excepted) with it.
        let (base_inc, base_exc) = (inc, exc);
        for t in &epoch.treated_as {
            if base_inc.contains(t.to) {
                inc.insert(t.from);
            }
            if base_exc.contains(t.to) {
                exc.insert(t.from);
            }
        }
        DestSets { included: inc, excepted: exc }
    }

    /// The groups the scope names, and those it excepts, as indexes into the pack's groups
    /// (in the order written).
    pub(crate) fn group_ids(&self) -> (&[usize], &[usize]) {
        (&self.groups, &self.except_groups)
    }

    /// The countries covered in `epoch`, three-valued: certainly when included with unverified
    /// members left out and not excepted with them counted; possibly when included with them
    /// counted and not excepted with them left out.
    pub(crate) fn coverage(&self, epoch: &EpochData) -> Coverage {
        let low = self.sets_with(epoch, false);
        if !epoch.unverified {
            return Coverage { sure: low.included.minus(&low.excepted), unsure: Countries::default() };
        }
        let high = self.sets_with(epoch, true);
        let sure = low.included.minus(&high.excepted);
        let possible = high.included.minus(&low.excepted);
        Coverage { sure, unsure: possible.minus(&sure) }
    }
}

/// A `treated_as` equivalence in force in an epoch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Equivalence {
    /// Index of the destination as given.
    pub from: usize,
    /// Index of the destination whose controls apply to it.
    pub to: usize,
    /// Index into [`CountryGroups::treated_as`].
    pub rule: usize,
}

/// What holds throughout one epoch: group memberships and equivalences.
#[derive(Debug, Clone)]
pub(crate) struct EpochData {
    /// Members of each country group, in group order.
    groups: Vec<Countries>,
    /// Members of each country group with its unverified members, in group order.
    with_unverified: Vec<Countries>,
    /// Whether some group has unverified members (then a destination's coverage is
    /// three-valued).
    pub unverified: bool,
    /// The countries whose coverage by a destination scope may hinge on an unverified
    /// membership: the unverified members of each group that are not certain members, and
    /// every country treated as one of them ([`CompiledDest::sets_with`] reads a country's
    /// groups and those of the country it is treated as, nothing else). Every scope covers
    /// any other country certainly or certainly not.
    unsure: Countries,
    /// Equivalences in force, in pack order.
    pub treated_as: Vec<Equivalence>,
}

impl EpochData {
    /// Memberships and equivalences on `date`.
    pub(crate) fn at(groups: &CountryGroups, date: Date) -> EpochData {
        let members: Vec<Countries> = groups
            .groups
            .values()
            .map(|g| {
                let mut c = Countries::default();
                g.members.iter().for_each(|m| c.insert(m.index()));
                g.dated.iter().filter(|(_, p, _)| p.contains(date)).for_each(|(m, _, _)| c.insert(m.index()));
                c
            })
            .collect();
        let with_unverified: Vec<Countries> = groups
            .groups
            .values()
            .zip(&members)
            .map(|(g, m)| {
                let mut c = *m;
                g.unverified_members.iter().for_each(|u| c.insert(u.index()));
                g.unverified_dated.iter().filter(|u| u.period.contains(date)).for_each(|u| c.insert(u.country.index()));
                c
            })
            .collect();
        let treated_as: Vec<Equivalence> = groups
            .treated_as
            .iter()
            .enumerate()
            .filter(|(_, t)| t.period.contains(date))
            .map(|(rule, t)| Equivalence { from: t.country.index(), to: t.as_country.index(), rule })
            .collect();
        let mut unsure = Countries::default();
        for (m, u) in members.iter().zip(&with_unverified) {
            unsure.union(&u.minus(m));
        }
        let hinging = unsure;
        for t in &treated_as {
            if hinging.contains(t.to) {
                unsure.insert(t.from);
            }
        }
        EpochData {
            unverified: groups.groups.values().any(|g| {
                !g.unverified_members.is_empty() || g.unverified_dated.iter().any(|u| u.period.contains(date))
            }),
            groups: members,
            with_unverified,
            unsure,
            treated_as,
        }
    }

    /// Whether a destination scope may cover the country with index `c` or not depending on
    /// an unverified group membership in this epoch ([`Coverage::truth`] unknown for some
    /// scope). When not, a scope the index lists the country for covers it certainly: the
    /// fast path need not test it again.
    #[inline]
    pub(crate) fn unsure(&self, c: usize) -> bool {
        self.unsure.contains(c)
    }

    /// Members of group `g` (by index).
    pub(crate) fn group(&self, g: usize) -> Countries {
        self.groups.get(g).copied().unwrap_or_default()
    }

    /// Members of group `g` (by index) and its unverified members.
    pub(crate) fn group_or_unverified(&self, g: usize) -> Countries {
        self.with_unverified.get(g).copied().unwrap_or_default()
    }
}

/// A party filter with its destinations (indexes into [`Compiled::dests`]) and list resolved.
#[derive(Debug, Clone)]
pub(crate) struct CompiledParties {
    pub located_in: Option<u32>,
    pub headquartered_in: Option<u32>,
    /// Where the party, or a beneficiary, is headquartered ([`PartyFilter::for_headquartered_in`]).
    pub for_headquartered_in: Option<u32>,
    /// Interned list id (`u32::MAX`: a list no entry is on).
    pub listed_on: Option<u32>,
    pub owned_by_listed: Option<(u32, rust_decimal::Decimal)>,
    /// Where a declared end use takes place: index into [`Compiled::dests`].
    pub end_use_in: Option<u32>,
}

/// A rule's scope and items, resolved.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    /// Index into [`Compiled::dests`].
    pub destinations: Option<u32>,
    pub parties: Option<CompiledParties>,
    /// The classification rules the items cover, one bit per rule; `None` for every item.
    pub items: Option<Vec<u64>>,
    /// For a requirement: exceptions that overcome it. For an exception: requirements that make
    /// it unavailable. Empty for other rules.
    pub links: Vec<u32>,
    /// For a licence requirement: whether, on a destination the index lists it for (certainly,
    /// not through an unverified group membership), it applies exactly when its items classify
    /// the product: its scope names no product, transaction kind, region of Ukraine or party
    /// filter, and it has no condition (`when`) and neither `confirmed_from` nor
    /// `confirmed_until`. Then the fast path reads its truth from the classification bits
    /// alone ([`crate::evaluate`]'s requirement loop). False for every other rule.
    pub plain: bool,
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

/// The epoch index: boundaries, per-epoch data, rules in force per epoch, the requirements and
/// exceptions that can apply per (epoch, destination), and every destination scope's countries
/// per epoch.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    /// First day of each epoch, ascending; the first is on or before the pack's coverage.
    pub bounds: Vec<Date>,
    pub epochs: Vec<EpochData>,
    /// Per epoch: classifications, requirements and exceptions in force, in pack order.
    pub classifications: Postings,
    /// Per epoch and product kind ([`Index::kind_key`]): the classifications in force whose
    /// kinds include it, in pack order (the dependency order). The fast path tests only these
    /// on a product tested as itself: any other reads as false and classifies nothing.
    pub classifications_of_kind: Postings,
    /// Per epoch and product kind ([`Index::kind_key`]): the classifications of
    /// `classifications_of_kind` compiled to straight-line tests, when they have that form.
    pub straight: Vec<Option<Straight>>,
    /// Per epoch and product kind ([`Index::kind_key`]): the classifications in force that a
    /// unit of that kind in a computer is tested against ([`tests_unit_of`]) compiled to
    /// straight-line tests, when they have that form.
    pub straight_units: Vec<Option<Straight>>,
    pub requirements_in_force: Postings,
    pub exceptions_in_force: Postings,
    /// Key: `Index::key(epoch, country slot, has party filter)`; the slot is the country's
    /// index, or `Country::INDEX_LIMIT` for rules that concern every destination. A country's
    /// list without a party filter also holds the rules for every destination without one.
    pub requirements: Postings,
    pub exceptions: Postings,
    /// Per epoch, per destination scope ([`Compiled::dests`]): the countries it covers.
    dest_countries: Vec<Coverage>,
}

impl Index {
    /// Destination slots per epoch: one per country index, and one for every destination.
    pub(crate) const SLOTS: usize = Country::INDEX_LIMIT + 1;

    /// The postings key of a destination slot in an epoch, for rules without (`false`) or with
    /// a party filter.
    pub(crate) fn key(epoch: usize, slot: usize, parties: bool) -> usize {
        2 * (epoch * Self::SLOTS + slot) + usize::from(parties)
    }

    /// The postings key of the classifications of `kind` in force in `epoch`.
    pub(crate) fn kind_key(epoch: usize, kind: ProductKind) -> usize {
        epoch * ProductKind::ALL.len() + kind as usize
    }

    /// The epoch containing `date`, if the date is not before the first boundary.
    #[inline]
    pub(crate) fn epoch(&self, date: Date) -> Option<usize> {
        self.bounds.partition_point(|b| *b <= date).checked_sub(1)
    }
}

/// The compiled form of a rule set: destination scopes, the index, and the conditions of the
/// classification rules and exclusions as flat code (the loader's trees are kept for
/// explanations and the other rules).
#[derive(Debug, Clone, Default)]
pub(crate) struct Compiled {
    /// Every destination scope of the pack (rules' destinations, parties' locations and
    /// headquarters).
    pub dests: Vec<CompiledDest>,
    pub requirements: Vec<CompiledRule>,
    pub exceptions: Vec<CompiledRule>,
    pub review_policies: Vec<CompiledRule>,
    /// Per requirement: the review-policy rules whose `applies_to` names it, in pack order.
    pub policies_of: Vec<Vec<u32>>,
    pub notices: Vec<CompiledRule>,
    /// Interned list id of each screening-list entry.
    pub entry_list: Vec<u32>,
    /// Per interned list id: its name.
    pub list_names: Vec<String>,
    /// Per interned list id: the date of the complete list held (the latest `as_of` of its
    /// `[[screening_list]]` declarations with `complete = true`); `None` when the pack holds
    /// no complete, dated list of it: a party that matches nothing on a list held only as a
    /// sample is not cleared of it.
    pub list_as_of: Vec<Option<crate::date::Date>>,
    /// `None` when the pack's index would exceed [`MAX_INDEX_ENTRIES`] or [`MAX_INDEX_WORK`].
    pub index: Option<Index>,
    /// Per classification rule, then per exclusion: its condition as flat code for the fast
    /// path (`None` when it is evaluated as a tree).
    pub classification_whens: Vec<Option<Program>>,
    pub exclusion_whens: Vec<Option<Program>>,
    /// Per classification rule: its ECCN, numbered (rules under the same ECCN share it).
    pub eccn_ids: Vec<u32>,
}

/// The epoch of a date: its index in the pack's index, if any, and its data.
#[derive(Debug, Clone)]
pub(crate) struct Epoch<'a> {
    /// Index of the epoch (`None` when the pack has no index: the data is then computed for
    /// the date). Kept as a `u32` (read with [`Epoch::number`]): an `Option<usize>`, two words
    /// built on every decision, was copied between stack slots seven times before the facts
    /// held it (about 20 instructions per decision of the peers bench, callgrind).
    number: Option<u32>,
    pub data: EpochRef<'a>,
}

impl<'a> Epoch<'a> {
    /// Index of the epoch in the pack's index; `None` when the pack has no index.
    #[inline]
    pub(crate) fn number(&self) -> Option<usize> {
        self.number.map(|n| n as usize)
    }

    /// Epoch `number` of a pack's index, whose data is `data` (`Index::epochs[number]`),
    /// borrowed: it owns nothing.
    #[inline]
    pub(crate) fn indexed(number: u32, data: &'a EpochData) -> Self {
        Epoch { number: Some(number), data: EpochRef::Borrowed(data) }
    }
}

/// An epoch's data: borrowed from the pack's index, or computed for a date when the pack has
/// no index. Two words, not the data itself: the fast path builds its facts (which hold the
/// epoch) on every decision, and a `Cow<EpochData>` made them 64 bytes larger to copy.
#[derive(Debug, Clone)]
pub(crate) enum EpochRef<'a> {
    /// An epoch of the pack's index.
    Borrowed(&'a EpochData),
    /// Computed for the date (a pack too large to index).
    Owned(Box<EpochData>),
}

impl std::ops::Deref for EpochRef<'_> {
    type Target = EpochData;

    #[inline]
    fn deref(&self) -> &EpochData {
        match self {
            EpochRef::Borrowed(d) => d,
            EpochRef::Owned(d) => d,
        }
    }
}

impl Compiled {
    /// The straight form of the classifications of `kind` in force in `epoch`, if they have
    /// one ([`Straight`]).
    #[inline]
    pub(crate) fn straight(&self, epoch: usize, kind: ProductKind) -> Option<&Straight> {
        self.index.as_ref()?.straight.get(Index::kind_key(epoch, kind))?.as_ref()
    }

    /// The straight form of the classifications a unit of `kind` in a computer is tested
    /// against in `epoch`, if they have one ([`Straight`]).
    #[inline]
    pub(crate) fn straight_units(&self, epoch: usize, kind: ProductKind) -> Option<&Straight> {
        self.index.as_ref()?.straight_units.get(Index::kind_key(epoch, kind))?.as_ref()
    }

    /// The flat code of classification rule `i`'s condition, if it has one.
    #[inline]
    pub(crate) fn classification_when(&self, i: usize) -> Option<&Program> {
        self.classification_whens.get(i).and_then(Option::as_ref)
    }

    /// The flat code of exclusion `x`'s condition, if it has one.
    #[inline]
    pub(crate) fn exclusion_when(&self, x: usize) -> Option<&Program> {
        self.exclusion_whens.get(x).and_then(Option::as_ref)
    }

    /// The epoch of `date`. Inlined (a call per decision cost about 50 instructions on the
    /// peers bench, callgrind); the epoch computed for a pack without an index is not.
    #[inline]
    pub(crate) fn epoch(&self, groups: &CountryGroups, date: Date) -> Epoch<'_> {
        if let Some(ix) = &self.index
            && let Some(e) = ix.epoch(date)
            && let Some(data) = ix.epochs.get(e)
            && let Ok(n) = u32::try_from(e)
        {
            return Epoch { number: Some(n), data: EpochRef::Borrowed(data) };
        }
        Self::epoch_computed(groups, date)
    }

    /// The epoch of `date` computed from the groups (a pack without an index).
    #[cold]
    #[inline(never)]
    fn epoch_computed(groups: &CountryGroups, date: Date) -> Epoch<'static> {
        Epoch { number: None, data: EpochRef::Owned(Box::new(EpochData::at(groups, date))) }
    }

    /// As [`Compiled::epoch`], when the caller may have found the number of the date's epoch
    /// already (`known`): epoch `known` of the index if it has one, else the epoch of `date`.
    /// Built once, in place: an `Option` of an epoch matched into one was moved between stack
    /// slots on every decision.
    #[inline]
    pub(crate) fn epoch_of(&self, groups: &CountryGroups, date: Date, known: Option<usize>) -> Epoch<'_> {
        if let Some(ix) = &self.index
            && let Some(e) = known.filter(|&e| e < ix.epochs.len()).or_else(|| ix.epoch(date))
            && let Some(data) = ix.epochs.get(e)
            && let Ok(n) = u32::try_from(e)
        {
            return Epoch { number: Some(n), data: EpochRef::Borrowed(data) };
        }
        Self::epoch_computed(groups, date)
    }

    /// Whether destination scope `d` covers the country with index `c` in `epoch`: unknown
    /// when it hinges on a group membership the sources leave unverified.
    pub(crate) fn covers(&self, d: u32, epoch: &Epoch<'_>, c: usize) -> Truth {
        if let (Some(ix), Some(e)) = (&self.index, epoch.number())
            && let Some(set) = ix.dest_countries.get(e * self.dests.len() + d as usize)
        {
            return set.truth(c);
        }
        self.dests.get(d as usize).map_or(Truth::False, |dest| dest.coverage(&epoch.data).truth(c))
    }
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

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn indexes(n: usize, f: impl Fn(usize) -> bool) -> Vec<u32> {
    (0..n).filter(|&i| f(i)).map(to_u32).collect()
}

/// Builds the compiled rules, collecting destination scopes as it goes.
struct Builder<'a> {
    rules: &'a RuleSet,
    lists: ListIds<'a>,
    dests: Vec<CompiledDest>,
}

impl Builder<'_> {
    fn dest(&mut self, d: &Destinations) -> u32 {
        self.dests.push(CompiledDest::new(d, &self.rules.groups));
        to_u32(self.dests.len() - 1)
    }

    fn parties(&mut self, f: &PartyFilter) -> CompiledParties {
        CompiledParties {
            located_in: f.located_in.as_ref().map(|d| self.dest(d)),
            headquartered_in: f.headquartered_in.as_ref().map(|d| self.dest(d)),
            for_headquartered_in: f.for_headquartered_in.as_ref().map(|d| self.dest(d)),
            listed_on: f.listed_on.as_deref().map(|l| self.lists.id(l)),
            owned_by_listed: f.owned_by_listed.as_ref().map(|(l, t)| (self.lists.id(l), *t)),
            end_use_in: f.end_use_in.as_ref().map(|d| self.dest(d)),
        }
    }

    fn rule(&mut self, scope: &Scope, items: Option<&Items>, links: Vec<u32>) -> CompiledRule {
        let classifications = &self.rules.classifications;
        CompiledRule {
            destinations: scope.destinations.as_ref().map(|d| self.dest(d)),
            parties: scope.parties.as_ref().map(|p| self.parties(p)),
            items: match items {
                None | Some(Items::All) => None,
                Some(Items::List(list)) => {
                    let mut mask = vec![0u64; classifications.len().div_ceil(64)];
                    for (i, c) in classifications.iter().enumerate() {
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
            plain: false,
        }
    }
}

/// Whether licence requirement `r` applies, on a destination its scope certainly covers and
/// with no parties, exactly when its items classify the product ([`CompiledRule::plain`]).
fn plain_requirement(r: &super::Requirement) -> bool {
    // Every field of the scope is named, so that a field added to `Scope` is considered here.
    let Scope { destinations: _, parties, products, transaction_kinds, regions } = &r.scope;
    r.when.is_none()
        && r.meta.confirmed_from.is_none()
        && r.meta.confirmed_until.is_none()
        && parties.is_none()
        && products.is_none()
        && transaction_kinds.is_none()
        && regions.is_none()
}

impl Compiled {
    /// Compiles the scopes, items and links of `rules` and builds its index.
    pub(crate) fn new(rules: &RuleSet) -> Compiled {
        let mut b = Builder { rules, lists: ListIds::new(rules), dests: Vec::new() };
        let requirements = rules
            .requirements
            .iter()
            .map(|r| {
                let by = indexes(rules.exceptions.len(), |x| {
                    rules.exceptions.get(x).is_some_and(|x| x.overcomes.iter().any(|o| names_rule(o, &r.meta.id)))
                });
                CompiledRule { plain: plain_requirement(r), ..b.rule(&r.scope, Some(&r.items), by) }
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
                        .is_some_and(|r| x.unavailable_with.iter().any(|p| names_rule(p, &r.meta.id)))
                });
                b.rule(&x.scope, Some(&x.items), blockers)
            })
            .collect();
        let review_policies = rules.review_policies.iter().map(|p| b.rule(&p.scope, None, Vec::new())).collect();
        let policies_of = rules
            .requirements
            .iter()
            .map(|r| {
                indexes(rules.review_policies.len(), |p| {
                    rules.review_policies.get(p).is_some_and(|p| p.applies_to.iter().any(|a| names_rule(a, &r.meta.id)))
                })
            })
            .collect();
        let notices = rules.notices.iter().map(|n| b.rule(&n.scope, None, Vec::new())).collect();
        let entry_list = rules.lists.iter().map(|e| b.lists.id(&e.list)).collect();
        let list_names: Vec<String> = b.lists.0.iter().map(|l| l.to_string()).collect();
        let list_as_of = list_names
            .iter()
            .map(|l| rules.screening_lists.iter().filter(|s| &s.list == l && s.complete).filter_map(|s| s.as_of).max())
            .collect();
        let mut c = Compiled {
            dests: b.dests,
            requirements,
            exceptions,
            review_policies,
            policies_of,
            notices,
            entry_list,
            list_names,
            list_as_of,
            index: None,
            classification_whens: rules.classifications.iter().map(|c| Program::of(&c.when)).collect(),
            exclusion_whens: rules.exclusions.iter().map(|x| Program::of(&x.when)).collect(),
            eccn_ids: eccn_ids(rules),
        };
        c.index = c.build_index(rules);
        c
    }

    /// The epoch index of the pack ([`Index`]), or `None` when it would exceed
    /// [`MAX_INDEX_WORK`] or [`MAX_INDEX_ENTRIES`].
    fn build_index(&self, rules: &RuleSet) -> Option<Index> {
        let bounds = epoch_bounds(rules);
        let rule_count = rules.classifications.len() + rules.requirements.len() + rules.exceptions.len();
        if bounds.len().saturating_mul(rule_count.max(1) + self.dests.len()) > MAX_INDEX_WORK {
            return None;
        }
        let mut budget = MAX_INDEX_ENTRIES;
        let mut ix = Index {
            epochs: Vec::with_capacity(bounds.len()),
            classifications: Postings::default(),
            classifications_of_kind: Postings::default(),
            straight: Vec::new(),
            straight_units: Vec::new(),
            requirements_in_force: Postings::default(),
            exceptions_in_force: Postings::default(),
            requirements: Postings::default(),
            exceptions: Postings::default(),
            dest_countries: Vec::new(),
            bounds: Vec::new(),
        };
        // Per country, rules without and with a party filter: a query without parties reads
        // only the first.
        let mut per_country: Vec<Vec<u32>> = vec![Vec::new(); 2 * Index::SLOTS];
        let req_periods: Vec<_> = rules.requirements.iter().map(|r| r.meta.period).collect();
        let exc_periods: Vec<_> = rules.exceptions.iter().map(|r| r.meta.period).collect();
        for &from in &bounds {
            let epoch = EpochData::at(&rules.groups, from);
            budget = budget.checked_sub(self.dests.len())?;
            let dest_countries: Vec<Coverage> = self.dests.iter().map(|d| d.coverage(&epoch)).collect();
            budget = self.index_classifications(&mut ix, rules, from, budget)?;
            for (compiled, periods, in_force, out) in [
                (&self.requirements, &req_periods, &mut ix.requirements_in_force, &mut ix.requirements),
                (&self.exceptions, &exc_periods, &mut ix.exceptions_in_force, &mut ix.exceptions),
            ] {
                let active = indexes(periods.len(), |i| periods.get(i).is_some_and(|p| p.contains(from)));
                budget = budget.checked_sub(active.len())?;
                budget = by_destination(compiled, &active, &dest_countries, &mut per_country, budget)?;
                in_force.push_key(active);
                budget = push_per_country(&per_country, out, budget)?;
            }
            ix.dest_countries.extend(dest_countries);
            ix.epochs.push(epoch);
        }
        ix.bounds = bounds;
        Some(ix)
    }

    /// Adds the epoch from `from` to the classification lists of `ix`: the classifications in
    /// force, and per product kind those of that kind and their straight forms (for a product
    /// tested as itself and for a unit of a computer). The budget left, or `None` when spent.
    fn index_classifications(&self, ix: &mut Index, rules: &RuleSet, from: Date, budget: usize) -> Option<usize> {
        let active = indexes(rules.classifications.len(), |i| {
            rules.classifications.get(i).is_some_and(|c| c.meta.period.contains(from))
        });
        let mut budget = budget.checked_sub(active.len())?;
        for kind in ProductKind::ALL {
            let of = |keep: &dyn Fn(&super::Classification) -> bool| -> Vec<u32> {
                active.iter().copied().filter(|&i| rules.classifications.get(i as usize).is_some_and(keep)).collect()
            };
            let of_kind = of(&|c| c.kinds.contains(&kind));
            budget = budget.checked_sub(of_kind.len())?;
            ix.straight.push(self.straight_of(&of_kind, rules, from));
            let of_units = of(&|c| tests_unit_of(c, kind));
            ix.straight_units.push(self.straight_of(&of_units, rules, from));
            ix.classifications_of_kind.push_key(of_kind);
        }
        ix.classifications.push_key(active);
        Some(budget)
    }
}

/// Sorts the requirements or exceptions `active` (indexes into `compiled`) by destination
/// slot into `per_country` (cleared first): per country, and at [`Country::INDEX_LIMIT`] for
/// those that concern every destination, without and with a party filter. A country a rule's
/// destinations may cover (an unverified membership) is listed too: the core decides it,
/// unknown. The budget left, or `None` when spent.
fn by_destination(
    compiled: &[CompiledRule],
    active: &[u32],
    dest_countries: &[Coverage],
    per_country: &mut [Vec<u32>],
    mut budget: usize,
) -> Option<usize> {
    per_country.iter_mut().for_each(Vec::clear);
    for &i in active {
        let Some(rule) = compiled.get(i as usize) else { continue };
        let parties = usize::from(rule.parties.is_some());
        let Some(d) = rule.destinations else {
            // Every destination: one entry, read with every country's.
            budget = budget.checked_sub(1)?;
            if let Some(list) = per_country.get_mut(2 * Country::INDEX_LIMIT + parties) {
                list.push(i);
            }
            continue;
        };
        let Some(set) = dest_countries.get(d as usize).map(Coverage::possible) else { continue };
        for c in set.iter() {
            budget = budget.checked_sub(1)?;
            if let Some(list) = per_country.get_mut(2 * c + parties) {
                list.push(i);
            }
        }
    }
    Some(budget)
}

/// Pushes one postings key per entry of `per_country` ([`by_destination`]) onto `out`. A
/// country's rules without a party filter are stored merged with those for every destination
/// (in pack order): a query without parties reads one list. The budget left, or `None` when
/// spent.
fn push_per_country(per_country: &[Vec<u32>], out: &mut Postings, mut budget: usize) -> Option<usize> {
    let every = per_country.get(2 * Country::INDEX_LIMIT).cloned().unwrap_or_default();
    for (k, list) in per_country.iter().enumerate() {
        if k % 2 == 0 && k < 2 * Country::INDEX_LIMIT && !every.is_empty() {
            budget = budget.checked_sub(every.len())?;
            out.push_key(merged(list, &every));
        } else {
            out.push_key(list.iter().copied());
        }
    }
    Some(budget)
}

impl Compiled {
    /// The classification rules `list` (in force from `from` to the end of its epoch, in
    /// dependency order) compiled to straight-line tests, if they have that form: each rule's
    /// condition and its exclusions in force have flat code of comparisons at the fixed scale,
    /// flags, constants and `meets(...)`, and no rule has a `confirmed_from` or
    /// `confirmed_until` (its status may be unconfirmed, which makes it unknown: the general
    /// path decides), and no exclusion reads `meets(...)`.
    fn straight_of(&self, list: &[u32], rules: &RuleSet, from: Date) -> Option<Straight> {
        let mut b = StraightBuilder::new();
        // Every test first (their bits come first), then the steps.
        let mut parts = Vec::with_capacity(list.len());
        for &i in list {
            let c = rules.classifications.get(i as usize)?;
            if c.meta.confirmed_from.is_some() || c.meta.confirmed_until.is_some() {
                return None;
            }
            let when = self.classification_when(i as usize)?;
            b.tests_of(when)?;
            let mut xs = Vec::with_capacity(c.exclusions.len());
            for &x in &c.exclusions {
                // An exclusion the pack does not have is unknown (fail closed): general path.
                if !rules.exclusions.get(x)?.meta.period.contains(from) {
                    continue;
                }
                // The general path tests an exclusion where a rule it applies to first has a
                // condition not false: one that reads other rules' parameters may differ by
                // where that is.
                let program = self.exclusion_when(x).filter(|p| !StraightBuilder::reads_rules(p))?;
                b.tests_of(program)?;
                xs.push((x, program));
            }
            parts.push((i as usize, when, xs));
        }
        let mut params: Vec<Option<u32>> = vec![None; rules.classifications.len()];
        let mut excluded: Vec<Option<u32>> = vec![None; rules.exclusions.len()];
        for (i, when, xs) in parts {
            let mut bits = Vec::with_capacity(xs.len());
            for (x, program) in xs {
                let bit = match excluded.get(x).copied().flatten() {
                    Some(bit) => bit,
                    None => b.program(program, |t| params.get(t).copied().flatten(), &[])?,
                };
                if let Some(slot) = excluded.get_mut(x) {
                    *slot = Some(bit);
                }
                bits.push(bit);
            }
            let bit = b.program(when, |t| params.get(t).copied().flatten(), &bits)?;
            b.rule(i, bit)?;
            *params.get_mut(i)? = Some(bit);
        }
        Some(b.finish())
    }
}

/// Whether classification `c` is tested on a unit of kind `kind` in a computer: a paragraph of
/// its kind, or one that classifies computers only (4A090, read through every unit: computers
/// containing ICs that meet 3A090). A unit cannot meet a paragraph of other kinds of product: a
/// memory stack in a board is never 3A090.a or .b, and an IC is never 3A090.c.
pub(crate) fn tests_unit_of(c: &super::Classification, kind: ProductKind) -> bool {
    c.kinds.contains(&kind) || c.kinds.iter().all(|k| *k == ProductKind::Computer)
}

/// Two ascending lists as one, ascending.
fn merged(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out.sort_unstable();
    out
}

/// Per classification rule, the number of its ECCN in order of first appearance.
fn eccn_ids(rules: &RuleSet) -> Vec<u32> {
    let mut seen: indexmap::IndexSet<&str> = indexmap::IndexSet::new();
    rules.classifications.iter().map(|c| to_u32(seen.insert_full(c.eccn.as_str()).0)).collect()
}

/// The first day of every epoch from the pack's coverage on: every date on which a rule, a
/// group membership or an equivalence starts or ends, or a classification's status turns
/// confirmed or unconfirmed.
fn epoch_bounds(rules: &RuleSet) -> Vec<Date> {
    let mut bounds = vec![rules.pack.coverage_from];
    let mut add = |p: &super::Period| {
        bounds.push(p.from);
        bounds.extend(p.until);
    };
    rules.classifications.iter().for_each(|r| add(&r.meta.period));
    rules.exclusions.iter().for_each(|r| add(&r.meta.period));
    rules.requirements.iter().for_each(|r| add(&r.meta.period));
    rules.exceptions.iter().for_each(|r| add(&r.meta.period));
    for g in rules.groups.groups.values() {
        g.dated.iter().for_each(|(_, p, _)| add(p));
        g.unverified_dated.iter().for_each(|u| add(&u.period));
    }
    rules.groups.treated_as.iter().for_each(|t| add(&t.period));
    // A classification is unknown on the days the sources leave its status unconfirmed (the
    // core's `classification_status`), and a classified product is cached per epoch.
    for m in rules.classifications.iter().map(|r| &r.meta) {
        bounds.extend(m.confirmed_from);
        bounds.extend(m.confirmed_until.and_then(Date::next_day));
    }
    bounds.sort();
    bounds.dedup();
    // Epochs before the coverage are never evaluated.
    let first = bounds.partition_point(|b| *b <= rules.pack.coverage_from).saturating_sub(1);
    bounds.drain(..first);
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_keys_follow_the_order_the_index_is_built_in() {
        // `build_index` pushes one list per kind in `ProductKind::ALL` order after each epoch's.
        for (i, kind) in ProductKind::ALL.into_iter().enumerate() {
            assert_eq!(Index::kind_key(0, kind), i);
            assert_eq!(Index::kind_key(2, kind), 2 * ProductKind::ALL.len() + i);
        }
    }

    /// Every scope covers a country outside [`EpochData::unsure`] certainly or certainly not
    /// (what lets the fast path skip testing a listed destination again), in every epoch of the
    /// shipped pack and with Hong Kong treated as an unverified member instead of China.
    #[test]
    fn countries_outside_the_unsure_set_are_covered_or_not_for_sure() {
        let rules = RuleSet::shipped().unwrap();
        let c = |s: &str| s.parse::<Country>().unwrap().index();
        let mut groups = rules.groups.clone();
        let at = |groups: &CountryGroups, on: &str| EpochData::at(groups, on.parse().unwrap());
        // Cyprus's D:5 membership is unverified throughout (country-groups.toml: CSET lists it,
        // the eCFR snapshot of 2026-07-08 does not); Cambodia's between State's removal from
        // 22 CFR 126.1 (2025-11-07) and BIS's conforming rule (2026-02-03) only.
        let mid = at(&groups, "2025-12-01");
        assert!(mid.unsure(c("CY")) && mid.unsure(c("KH")));
        assert!(!mid.unsure(c("CN")) && !mid.unsure(c("HK")) && !mid.unsure(c("US")));
        let before = at(&groups, "2025-06-01");
        assert!(before.unsure(c("CY")) && !before.unsure(c("KH")));
        assert!(!at(&groups, "2026-03-01").unsure(c("KH")));
        // A country treated as one whose membership is unverified hinges on it too.
        let mut bounds = epoch_bounds(&rules);
        bounds.push("2025-12-01".parse().unwrap());
        let check = |groups: &CountryGroups, bounds: &[Date]| {
            for &from in bounds {
                let epoch = EpochData::at(groups, from);
                for d in &rules.compiled.dests {
                    let cov = d.coverage(&epoch);
                    for k in (0..Country::INDEX_LIMIT).filter(|&k| !epoch.unsure(k)) {
                        assert_ne!(cov.truth(k), Truth::Unknown, "country {k} on {from}");
                    }
                }
            }
        };
        check(&groups, &bounds);
        let hk = groups.treated_as.iter_mut().find(|t| t.country.index() == c("HK")).unwrap();
        hk.as_country = "CY".parse().unwrap();
        assert!(at(&groups, "2025-12-01").unsure(c("HK")));
        check(&groups, &bounds);
    }

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
