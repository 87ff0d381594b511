//! The fast path: the verdict of a transaction, computed over a [`CompiledPack`] without
//! allocating, parsing or hashing strings. It gives the same verdict as
//! [`RuleSet::evaluate`](crate::RuleSet::evaluate), which remains the way to get the
//! explanation, review policies, notices and the names of missing inputs.
//!
//! What a [`Decision`] does not carry, and `evaluate` does: warnings (a party whose name
//! resembles a listed entity without matching it; rules resting on unconfirmed facts;
//! notices such as the AI Diffusion and GP10 guidance), review policies and licence
//! conditions, and the citations. Screen with the fast path; file and explain with
//! `evaluate`.

use std::sync::atomic::{AtomicU64, Ordering};

use rust_decimal::Decimal;

use super::compiled::{Compiled, CompiledParties, CompiledRule, Groups};
use super::determination::Verdict;
use super::evaluate::{EvaluateError, Params, ProductEnv};
use super::prepared::PreparedProduct;
use crate::date::Date;
use crate::model::{Country, Exporter, Party, TransactionKind};
use crate::ruleset::condition::{Expr, Truth};
use crate::ruleset::{PartyFilter, RuleMeta, RuleSet, Scope, normalize_name};

static NEXT_PACK_ID: AtomicU64 = AtomicU64::new(1);

/// A rule set compiled for fast, allocation-free evaluation: the timeline cut into epochs found
/// by binary search, licence requirements and exceptions indexed by epoch and destination,
/// item lists and exception links resolved to indexes. Build it once per loaded pack;
/// `Send + Sync`.
///
/// Packs whose index would exceed 16 Mi entries (64 MiB) are evaluated without it: same
/// verdicts, time linear in the number of rules.
///
/// ```
/// use export_controls::{Catalog, CompiledPack, FastQuery, RuleSet, Scratch, Verdict};
///
/// let pack = CompiledPack::new(RuleSet::shipped()?);
/// let catalog = Catalog::shipped()?;
/// let h20 = catalog.get("nvidia-h20").expect("in the catalog");
/// let mut scratch = Scratch::default();
/// // H20 (TPP 2,368, below the 2023 thresholds) to China before the 2025 is-informed letter.
/// let q = FastQuery::new("CN".parse()?, "US".parse()?, "2024-06-01".parse()?);
/// assert_eq!(pack.decide(h20, &q, &mut scratch)?.verdict, Verdict::NoLicenseRequired);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledPack {
    rules: RuleSet,
    compiled: Compiled,
    id: u64,
}

/// The parties of a transaction, screened once against a [`CompiledPack`] (names normalised
/// and matched against its screening lists) so that deciding many transactions for the same
/// parties does no string work.
#[derive(Debug, Clone)]
pub struct PreparedParties {
    parties: Vec<Party>,
    /// Per party: indexes of the list entries its name or given entry ids match.
    entries: Vec<Vec<u32>>,
    /// Per party, per owner: the share and the matched list entries.
    owners: Vec<Vec<(Option<Decimal>, Vec<u32>)>>,
    /// The pack they were screened against (0: no parties, valid for every pack).
    pack: u64,
}

static NO_PARTIES: PreparedParties = PreparedParties::none();

impl PreparedParties {
    /// No parties: party rules are not evaluated (as with an empty [`Query::parties`](super::Query)).
    pub const fn none() -> Self {
        PreparedParties { parties: Vec::new(), entries: Vec::new(), owners: Vec::new(), pack: 0 }
    }

    /// The parties, as given.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }
}

/// What the fast path evaluates besides the product: the same facts as a
/// [`Query`](super::Query), with the parties prepared.
#[derive(Debug, Clone, Copy)]
pub struct FastQuery<'a> {
    /// Country of destination.
    pub destination: Country,
    /// Country of export (`US` for an export from the United States).
    pub exported_from: Country,
    /// As-of date (date of export).
    pub date: Date,
    /// Parties, prepared with [`CompiledPack::prepare_parties`].
    pub parties: &'a PreparedParties,
    /// What the exporter declares about itself: the front-end fabricator / OSAT facts of Note 1
    /// to 3A090.a (15 CFR 774 Supp. No. 1), which enter the classification.
    pub exporter: Exporter,
}

impl<'a> FastQuery<'a> {
    /// The fast-path query of a [`Query`](super::Query), with its parties prepared.
    pub fn of(q: &super::Query, parties: &'a PreparedParties) -> Self {
        FastQuery {
            destination: q.destination,
            exported_from: q.exported_from,
            date: q.date,
            parties,
            exporter: q.exporter,
        }
    }
}

impl FastQuery<'static> {
    /// A destination-only query: no parties, an ordinary exporter.
    pub fn new(destination: Country, exported_from: Country, date: Date) -> Self {
        FastQuery { destination, exported_from, date, parties: &NO_PARTIES, exporter: Exporter::default() }
    }
}

/// The outcome of the fast path. `verdict` is the strictest outcome not overcome; when
/// missing inputs leave several outcomes possible it is `indeterminate`, and `at_least` /
/// `at_most` bound the outcome whatever the missing inputs turn out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The verdict, as [`Determination::verdict`](super::Determination).
    pub verdict: Verdict,
    /// The least restrictive outcome possible.
    pub at_least: Verdict,
    /// The most restrictive outcome possible.
    pub at_most: Verdict,
}

/// Working memory of the fast path, reused from one decision to the next so that deciding
/// allocates nothing once it has grown to the pack's size. One per thread. After
/// [`CompiledPack::decide`], it also tells which paragraphs and requirements matched.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// The pack of the last decision (0: none).
    pack: u64,
    stamp: u32,
    params: Vec<(u32, Truth)>,
    /// Classification rules that hold (one bit per rule) and that may hold.
    class_true: Vec<u64>,
    class_unknown: Vec<u64>,
    excluded: Vec<(u32, Truth)>,
    requirements: Vec<(u32, Truth)>,
    exceptions: Vec<(u32, Truth)>,
    applied: Vec<u32>,
    candidates: Vec<u32>,
    paragraphs: Vec<u32>,
}

/// A truth stamped with the decision that wrote it: a slot written by an earlier decision
/// reads as false.
fn get(v: &[(u32, Truth)], stamp: u32, i: usize) -> Truth {
    match v.get(i) {
        Some(&(s, t)) if s == stamp => t,
        _ => Truth::False,
    }
}

fn set(v: &mut [(u32, Truth)], stamp: u32, i: usize, t: Truth) {
    if let Some(slot) = v.get_mut(i) {
        *slot = (stamp, t);
    }
}

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Indexes of the rules in force on `date`, for a pack without an index.
fn in_force<'r>(metas: impl Iterator<Item = &'r RuleMeta>, date: Date) -> impl Iterator<Item = u32> {
    metas.enumerate().filter(move |(_, m)| m.period.contains(date)).map(|(i, _)| to_u32(i))
}

impl Scratch {
    /// Starts a decision on `pack`.
    fn begin(&mut self, pack: &CompiledPack) {
        let rules = &pack.rules;
        self.pack = pack.id;
        let fit = |v: &mut Vec<(u32, Truth)>, n: usize| {
            if v.len() != n {
                v.clear();
                v.resize(n, (0, Truth::False));
            }
        };
        fit(&mut self.params, rules.classifications.len());
        let words = rules.classifications.len().div_ceil(64);
        for v in [&mut self.class_true, &mut self.class_unknown] {
            v.clear();
            v.resize(words, 0);
        }
        fit(&mut self.excluded, rules.exclusions.len());
        fit(&mut self.requirements, rules.requirements.len());
        fit(&mut self.exceptions, rules.exceptions.len());
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            for v in [&mut self.params, &mut self.excluded, &mut self.requirements, &mut self.exceptions] {
                v.iter_mut().for_each(|s| *s = (0, Truth::False));
            }
            self.stamp = 1;
        }
        self.applied.clear();
        self.paragraphs.clear();
        self.candidates.clear();
        // Room for the largest possible lists, so that no later decision grows them.
        let most = rules.classifications.len().max(rules.requirements.len()).max(rules.exceptions.len());
        self.candidates.reserve(most);
        self.applied.reserve(rules.requirements.len());
        self.paragraphs.reserve(rules.classifications.len());
    }

    /// The decision's lists, if `pack` made it.
    fn lists_of(&self, pack: &CompiledPack) -> (&[u32], &[u32]) {
        if self.pack == pack.id { (&self.paragraphs, &self.applied) } else { (&[], &[]) }
    }

    /// Paragraph ids (e.g. `3A090.a.1`) that classify the product in the last decision of
    /// `pack`, in pack order; none after an error or when `pack` did not make the last decision.
    pub fn paragraphs<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = &'p str> + 'p {
        let (paragraphs, _) = self.lists_of(pack);
        paragraphs.iter().filter_map(|&i| pack.rules.classifications.get(i as usize)).map(|c| c.meta.id.as_str())
    }

    /// Paragraph ids that may classify the product, depending on missing inputs, in the last
    /// decision of `pack` (as [`Determination::undetermined_paragraphs`](super::Determination):
    /// only those whose ECCN no paragraph certainly gives), in pack order.
    pub fn undetermined_paragraphs<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = &'p str> + 'p {
        let mine = self.pack == pack.id;
        let bit = |v: &[u64], i: usize| v.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0);
        let all = &pack.rules.classifications;
        all.iter()
            .enumerate()
            .filter(move |&(i, c)| {
                mine && bit(&self.class_unknown, i)
                    && !all.iter().enumerate().any(|(j, d)| bit(&self.class_true, j) && d.eccn == c.eccn)
            })
            .map(|(_, c)| c.meta.id.as_str())
    }

    /// Licence requirements that apply (`true`) or may apply (`unknown`) in the last decision
    /// of `pack`, by rule id (e.g. `742.6(a)(6)(iii)`), in pack order; none after an error or
    /// when `pack` did not make the last decision.
    pub fn requirements<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = (&'p str, Truth)> + 'p {
        let (_, applied) = self.lists_of(pack);
        applied.iter().filter_map(move |&i| {
            let r = pack.rules.requirements.get(i as usize)?;
            Some((r.meta.id.as_str(), get(&self.requirements, self.stamp, i as usize)))
        })
    }
}

/// The facts every scope test of one decision reads.
struct Facts<'a> {
    product: &'a PreparedProduct,
    destination: Country,
    kind: TransactionKind,
    date: Date,
    groups: Groups<'a>,
    parties: &'a PreparedParties,
    exporter: &'a Exporter,
    /// The index and epoch, when the pack is indexed (destinations are then already
    /// filtered).
    epoch: Option<(&'a super::compiled::Index, usize)>,
}

static DEFAULT_EXPORTER: Exporter = Exporter {
    front_end_fabricator_or_osat: false,
    approved_ic_designer_attestation: false,
    packaged_outside_d5_or_macau: false,
};

/// A product classified under every epoch of one [`CompiledPack`] (for an exporter that
/// declares nothing), made by [`CompiledPack::classify_product`]: deciding it reads the
/// classification instead of evaluating the classification rules.
#[derive(Debug, Clone)]
pub struct ClassifiedProduct {
    product: PreparedProduct,
    pack: u64,
    /// Per epoch, the parameters of every classification rule.
    params: Vec<Truth>,
    /// Per epoch, the rules that classify the product, then those that may.
    bits: Vec<u64>,
    /// Per epoch, the paragraphs that classify it.
    paragraphs: Vec<Vec<u32>>,
}

impl ClassifiedProduct {
    /// The product.
    pub fn product(&self) -> &PreparedProduct {
        &self.product
    }
}

impl CompiledPack {
    /// Compiles a loaded rule set.
    pub fn new(rules: RuleSet) -> Self {
        let compiled = Compiled::new(&rules);
        CompiledPack { rules, compiled, id: NEXT_PACK_ID.fetch_add(1, Ordering::Relaxed) }
    }

    /// The rule set, for [`RuleSet::evaluate`] (full determinations with explanations).
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The number of epochs of the timeline (intervals in which no rule, group membership or
    /// equivalence changes), or `None` when the pack is too large to index.
    pub fn epochs(&self) -> Option<usize> {
        self.compiled.index.as_ref().map(|ix| ix.bounds.len())
    }

    /// Screens parties against this pack's screening lists once, for many decisions. A party
    /// or owner matches a list entry when its name, normalised (upper case, letters and digits,
    /// single spaces), equals the entry's name or an alias, or when it names the entry's id in
    /// `list_entries`; whether the entry is in force is checked on each decision's date. Lists:
    /// the Entity List (15 CFR 744 Supp. No. 4) and any imported from the Consolidated Screening
    /// List; the 50% ownership test of 15 CFR 744.11(a)(1) reads the owners' matches.
    pub fn prepare_parties(&self, parties: &[Party]) -> PreparedParties {
        let matches = |name: Option<&str>, ids: &[String]| -> Vec<u32> {
            let key = name.map(normalize_name);
            self.rules
                .lists
                .iter()
                .enumerate()
                .filter(|(_, e)| ids.contains(&e.id) || key.as_ref().is_some_and(|k| e.keys.contains(k)))
                .map(|(i, _)| to_u32(i))
                .collect()
        };
        PreparedParties {
            parties: parties.to_vec(),
            entries: parties.iter().map(|p| matches(p.name.as_deref(), &p.list_entries)).collect(),
            owners: parties
                .iter()
                .map(|p| p.owners.iter().map(|o| (o.percent, matches(Some(&o.name), &o.list_entries))).collect())
                .collect(),
            pack: if parties.is_empty() { 0 } else { self.id },
        }
    }

    /// Decides one transaction: the verdict [`RuleSet::evaluate`] gives, without the
    /// explanation. Allocates nothing once `scratch` has grown to the pack's size (the first
    /// call), unless `q.parties` were prepared for another pack (they are then screened again).
    ///
    /// # Errors
    /// [`EvaluateError`] when the date is before the pack's coverage, or when the destination
    /// and the country of export are both the United States (not an export). After an error,
    /// `scratch` reports no paragraphs and no requirements.
    pub fn decide(
        &self,
        product: &PreparedProduct,
        q: &FastQuery<'_>,
        scratch: &mut Scratch,
    ) -> Result<Decision, EvaluateError> {
        let s = scratch;
        s.begin(self);
        let mut rescreened = None;
        let f = self.facts(product, q, self.own_parties(q, &mut rescreened))?;
        self.classify(&f, s);
        let params = std::mem::take(&mut s.params);
        let d = self.finish(&f, s, Stamped(&params, s.stamp));
        s.params = params;
        Ok(d)
    }

    /// Classifies a product under every epoch of this pack once, so that deciding it for
    /// many destinations, parties and dates skips the classification (see
    /// [`CompiledPack::decide_classified`]).
    pub fn classify_product(&self, product: PreparedProduct) -> ClassifiedProduct {
        let mut out =
            ClassifiedProduct { product, pack: self.id, params: Vec::new(), bits: Vec::new(), paragraphs: Vec::new() };
        let Some(ix) = &self.compiled.index else { return out };
        let n = self.rules.classifications.len();
        let mut s = Scratch::default();
        for (e, &from) in ix.bounds.iter().enumerate() {
            let Some(epoch) = ix.epochs.get(e) else { break };
            let f = Facts {
                product: &out.product,
                destination: Country::US,
                kind: TransactionKind::Export,
                date: from,
                groups: Groups::Epoch(epoch),
                parties: &NO_PARTIES,
                exporter: &DEFAULT_EXPORTER,
                epoch: Some((ix, e)),
            };
            s.begin(self);
            self.classify(&f, &mut s);
            out.params.extend((0..n).map(|i| get(&s.params, s.stamp, i)));
            out.bits.extend(s.class_true.iter().chain(&s.class_unknown));
            out.paragraphs.push(s.paragraphs.clone());
        }
        out
    }

    /// Decides a product classified with [`CompiledPack::classify_product`]: the same decision
    /// as [`CompiledPack::decide`], with the classification read from the product. When the
    /// exporter declares anything (the Note 1 foundry facts enter the classification), or the
    /// product was classified under another pack, the classification is computed as by
    /// `decide`.
    ///
    /// # Errors
    /// As [`CompiledPack::decide`].
    pub fn decide_classified(
        &self,
        product: &ClassifiedProduct,
        q: &FastQuery<'_>,
        scratch: &mut Scratch,
    ) -> Result<Decision, EvaluateError> {
        let cached = product.pack == self.id && q.exporter == DEFAULT_EXPORTER;
        let Some((_, e)) = self.compiled.index.as_ref().and_then(|ix| Some((ix, ix.epoch(q.date)?))).filter(|_| cached)
        else {
            return self.decide(&product.product, q, scratch);
        };
        let n = self.rules.classifications.len();
        let words = n.div_ceil(64);
        let (Some(params), Some(bits), Some(paragraphs)) = (
            product.params.get(e * n..(e + 1) * n),
            product.bits.get(2 * e * words..2 * (e + 1) * words),
            product.paragraphs.get(e),
        ) else {
            return self.decide(&product.product, q, scratch);
        };
        let s = scratch;
        s.begin(self);
        let mut rescreened = None;
        let f = self.facts(&product.product, q, self.own_parties(q, &mut rescreened))?;
        let (yes, maybe) = bits.split_at(words);
        s.class_true.copy_from_slice(yes);
        s.class_unknown.copy_from_slice(maybe);
        s.paragraphs.extend_from_slice(paragraphs);
        Ok(self.finish(&f, s, params))
    }

    /// The query's parties, screened again into `slot` if they were prepared for another pack.
    fn own_parties<'a>(&self, q: &FastQuery<'a>, slot: &'a mut Option<PreparedParties>) -> &'a PreparedParties {
        if q.parties.pack == 0 || q.parties.pack == self.id {
            q.parties
        } else {
            slot.insert(self.prepare_parties(&q.parties.parties))
        }
    }

    /// Checks the query and gathers the facts every test reads.
    fn facts<'a>(
        &'a self,
        product: &'a PreparedProduct,
        q: &'a FastQuery<'_>,
        parties: &'a PreparedParties,
    ) -> Result<Facts<'a>, EvaluateError> {
        let rules = &self.rules;
        if !rules.covers(q.date) {
            return Err(EvaluateError::BeforeCoverage {
                date: q.date,
                coverage_from: rules.pack.coverage_from,
                pack: rules.pack.name.clone(),
            });
        }
        if q.destination == q.exported_from && q.destination == Country::US {
            return Err(EvaluateError::NotAnExport(q.destination));
        }
        let epoch = self.compiled.index.as_ref().and_then(|ix| Some((ix, ix.epoch(q.date)?)));
        let groups = match epoch.and_then(|(ix, e)| Some(Groups::Epoch(ix.epochs.get(e)?))) {
            Some(g) => g,
            None => Groups::Dated(rules, q.date),
        };
        Ok(Facts {
            product,
            destination: q.destination,
            kind: TransactionKind::of(q.exported_from, q.destination),
            date: q.date,
            groups,
            parties,
            exporter: &q.exporter,
            epoch,
        })
    }

    /// Evaluates the classification rules in force, in dependency order, into `s`.
    fn classify(&self, f: &Facts<'_>, s: &mut Scratch) {
        let rules = &self.rules;
        let stamp = s.stamp;
        s.candidates.clear();
        match f.epoch {
            Some((ix, e)) => s.candidates.extend_from_slice(ix.classifications.get(e)),
            None => s.candidates.extend(in_force(rules.classifications.iter().map(|r| &r.meta), f.date)),
        }
        for &i in &s.candidates {
            let i = i as usize;
            let Some(c) = rules.classifications.get(i) else { continue };
            let env = ProductEnv { product: f.product, exporter: f.exporter, params: Stamped(&s.params, stamp) };
            let when = c.when.eval(&env, None);
            let mut excluded = Truth::False;
            for &x in &c.exclusions {
                let Some(ex) = rules.exclusions.get(x) else { continue };
                if !ex.meta.period.contains(f.date) {
                    continue;
                }
                let t = match s.excluded.get(x) {
                    Some(&(st, t)) if st == stamp => t,
                    _ => {
                        let t = ex.when.eval(&env, None);
                        set(&mut s.excluded, stamp, x, t);
                        t
                    }
                };
                excluded = excluded.or(t);
            }
            let p = when.and(excluded.not());
            set(&mut s.params, stamp, i, p);
            let t = p.and(Truth::from_bool(c.kinds.contains(&f.product.product.kind)));
            let bits = match t {
                Truth::True => {
                    s.paragraphs.push(to_u32(i));
                    &mut s.class_true
                }
                Truth::Unknown => &mut s.class_unknown,
                Truth::False => continue,
            };
            if let Some(w) = bits.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
    }

    /// Licence requirements, exceptions and the outcome, after the classification.
    fn finish<P: Params + Copy>(&self, f: &Facts<'_>, s: &mut Scratch, params: P) -> Decision {
        let rules = &self.rules;
        let stamp = s.stamp;
        // Rules with a party filter cannot apply when no parties are given.
        let with_parties = !f.parties.parties.is_empty();
        let slot = f.destination.index();
        let candidates = |s: &mut Vec<u32>, postings: &super::compiled::Postings, e: usize| {
            use super::compiled::Index;
            let mut sources = 0;
            for (slot, parties) in [(slot, false), (Index::SLOTS - 1, false), (slot, true), (Index::SLOTS - 1, true)] {
                if parties && !with_parties {
                    break;
                }
                let list = postings.get(Index::key(e, slot, parties));
                sources += usize::from(!list.is_empty());
                s.extend_from_slice(list);
            }
            // Rules are decided in pack order, as by `evaluate`.
            if sources > 1 {
                s.sort_unstable();
            }
        };
        // Licence requirements that can apply at this epoch and destination.
        s.candidates.clear();
        match f.epoch {
            Some((ix, e)) => candidates(&mut s.candidates, &ix.requirements, e),
            None => s.candidates.extend(in_force(rules.requirements.iter().map(|r| &r.meta), f.date)),
        }
        for &r in &s.candidates {
            let (Some(rule), Some(cr)) =
                (rules.requirements.get(r as usize), self.compiled.requirements.get(r as usize))
            else {
                continue;
            };
            let classified = (s.class_true.as_slice(), s.class_unknown.as_slice());
            let t = self.applies(f, &rule.meta, &rule.scope, cr, rule.when.as_ref(), classified, params);
            set(&mut s.requirements, stamp, r as usize, t);
            if t != Truth::False {
                s.applied.push(r);
            }
        }

        // Licence exceptions, unless a requirement that makes them unavailable applies.
        s.candidates.clear();
        match f.epoch {
            Some((ix, e)) => candidates(&mut s.candidates, &ix.exceptions, e),
            None => s.candidates.extend(in_force(rules.exceptions.iter().map(|r| &r.meta), f.date)),
        }
        for &x in &s.candidates {
            let (Some(rule), Some(cx)) = (rules.exceptions.get(x as usize), self.compiled.exceptions.get(x as usize))
            else {
                continue;
            };
            let classified = (s.class_true.as_slice(), s.class_unknown.as_slice());
            let mut t = self.applies(f, &rule.meta, &rule.scope, cx, rule.when.as_ref(), classified, params);
            if t != Truth::False {
                let blocked =
                    cx.links.iter().fold(Truth::False, |acc, &r| acc.or(get(&s.requirements, stamp, r as usize)));
                t = t.and(blocked.not());
            }
            set(&mut s.exceptions, stamp, x as usize, t);
        }

        // Outcome, as a range over the missing inputs.
        let mut lo = Verdict::NoLicenseRequired;
        let mut hi = Verdict::NoLicenseRequired;
        for &r in &s.applied {
            let applies = get(&s.requirements, stamp, r as usize);
            let overcome = self.compiled.requirements.get(r as usize).map_or(Truth::False, |cr| {
                cr.links.iter().fold(Truth::False, |acc, &x| acc.or(get(&s.exceptions, stamp, x as usize)))
            });
            let (min, max) = super::evaluate::outcome_range(applies, overcome);
            lo = lo.max(min);
            hi = hi.max(max);
        }
        let verdict = if lo == hi { lo } else { Verdict::Indeterminate };
        Decision { verdict, at_least: lo, at_most: hi }
    }

    /// A rule's applicability: scope, items and condition, three-valued; unknown when its
    /// status after `confirmed_until` is unconfirmed (fail closed, as in `evaluate`).
    #[allow(clippy::too_many_arguments)]
    fn applies<P: Params>(
        &self,
        f: &Facts<'_>,
        meta: &RuleMeta,
        scope: &Scope,
        cr: &CompiledRule,
        when: Option<&Expr>,
        classified: (&[u64], &[u64]),
        params: P,
    ) -> Truth {
        // Items first: a bit test, and the most selective.
        let mut t = match &cr.items {
            Some(items) => {
                let (yes, maybe) = classified;
                let any = |bits: &[u64]| bits.iter().zip(items).any(|(b, m)| b & m != 0);
                if any(yes) {
                    Truth::True
                } else if any(maybe) {
                    Truth::Unknown
                } else {
                    return Truth::False;
                }
            }
            None => Truth::True,
        };
        t = t.and(self.scope_truth(f, scope, cr));
        if t != Truth::False
            && let Some(when) = when
        {
            let env = ProductEnv { product: f.product, exporter: f.exporter, params };
            t = t.and(when.eval(&env, None));
        }
        if t != Truth::False && meta.confirmed_until.is_some_and(|u| f.date > u) {
            t = Truth::Unknown;
        }
        t
    }

    fn scope_truth(&self, f: &Facts<'_>, s: &Scope, cr: &CompiledRule) -> Truth {
        if let Some(products) = &s.products
            && !products.contains(&f.product.product.id)
        {
            return Truth::False;
        }
        if let Some(kinds) = &s.transaction_kinds
            && !kinds.contains(&f.kind)
        {
            return Truth::False;
        }
        if f.epoch.is_none()
            && let Some(d) = &cr.destinations
            && !d.covers(f.groups, f.destination.index())
        {
            return Truth::False;
        }
        match (&s.parties, &cr.parties) {
            (Some(pf), Some(cp)) => {
                let ps = f.parties;
                ps.parties.iter().enumerate().fold(Truth::False, |acc, (i, p)| {
                    let entries = ps.entries.get(i).map_or(&[][..], Vec::as_slice);
                    let owners = ps.owners.get(i).map_or(&[][..], Vec::as_slice);
                    acc.or(self.party_truth(f, pf, cp, p, entries, owners))
                })
            }
            _ => Truth::True,
        }
    }

    fn listed(&self, entries: &[u32], list: u32, date: Date) -> bool {
        entries.iter().any(|&i| {
            self.compiled.entry_list.get(i as usize) == Some(&list)
                && self.rules.lists.get(i as usize).is_some_and(|e| e.period.contains(date))
        })
    }

    /// Whether one party meets every condition of the filter (as `party_matches`).
    fn party_truth(
        &self,
        f: &Facts<'_>,
        pf: &PartyFilter,
        cp: &CompiledParties,
        p: &Party,
        entries: &[u32],
        owners: &[(Option<Decimal>, Vec<u32>)],
    ) -> Truth {
        let mut t = Truth::True;
        if let Some(roles) = &pf.roles {
            t = t.and(Truth::from_bool(roles.contains(&p.role)));
        }
        if let Some(d) = &cp.located_in {
            t = t.and(p.country.map_or(Truth::Unknown, |c| Truth::from_bool(d.covers(f.groups, c.index()))));
        }
        if let Some(d) = &cp.headquartered_in {
            let test = |c: Option<Country>| c.map(|c| d.covers(f.groups, c.index()));
            t = t.and(match (test(p.headquarters), test(p.parent_headquarters)) {
                (Some(true), _) | (_, Some(true)) => Truth::True,
                (Some(false), Some(false)) => Truth::False,
                _ => Truth::Unknown,
            });
        }
        if let Some(list) = cp.listed_on {
            t = t.and(if self.listed(entries, list, f.date) {
                Truth::True
            } else if p.name.is_none() && p.list_entries.is_empty() {
                Truth::Unknown
            } else {
                Truth::False
            });
        }
        if let Some((list, threshold)) = cp.owned_by_listed {
            let mut known = Decimal::ZERO;
            let mut unknown_share = false;
            for (percent, found) in owners {
                if !self.listed(found, list, f.date) {
                    continue;
                }
                match percent {
                    Some(p) => known += *p,
                    None => unknown_share = true,
                }
            }
            t = t.and(if known >= threshold {
                Truth::True
            } else if unknown_share {
                Truth::Unknown
            } else {
                Truth::False
            });
        }
        if let Some(uses) = &pf.end_uses {
            t = t.and(Truth::from_bool(p.end_uses.iter().any(|u| uses.contains(u))));
        }
        t
    }
}

/// Classification parameters stamped by the current decision, for `meets(...)`.
#[derive(Clone, Copy)]
pub(crate) struct Stamped<'a>(pub &'a [(u32, Truth)], pub u32);

impl super::evaluate::Params for Stamped<'_> {
    fn param(&self, i: usize) -> Truth {
        get(self.0, self.1, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    /// A pack too large to index is decided by scanning its rules: same decisions.
    #[test]
    fn without_the_index_decisions_are_the_same() {
        let indexed = CompiledPack::new(RuleSet::shipped().unwrap());
        assert!(indexed.epochs().is_some_and(|n| n > 10));
        let mut scanned = indexed.clone();
        scanned.compiled.index = None;
        assert_eq!(scanned.epochs(), None);
        let catalog = Catalog::shipped().unwrap();
        let (mut a, mut b) = (Scratch::default(), Scratch::default());
        let us = Country::US;
        let mut seen = std::collections::BTreeSet::new();
        for p in catalog.iter() {
            for to in Country::all() {
                for on in ["2022-10-21", "2023-11-17", "2025-01-20", "2025-09-29"] {
                    let q = FastQuery::new(to, us, on.parse().unwrap());
                    let x = indexed.decide(p, &q, &mut a);
                    let y = scanned.decide(p, &q, &mut b);
                    assert_eq!(x, y, "{} to {to} on {on}", p.product.id);
                    assert!(a.paragraphs(&indexed).eq(b.paragraphs(&scanned)));
                    if let Ok(d) = x {
                        seen.insert(d.verdict);
                    }
                }
            }
        }
        assert!(seen.contains(&Verdict::LicenseRequired) && seen.contains(&Verdict::NoLicenseRequired));
    }
}
