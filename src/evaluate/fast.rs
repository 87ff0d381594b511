//! The fast path: the verdict of a transaction from the evaluation core with an explanation
//! sink that records nothing, so that deciding neither allocates, parses nor hashes strings.
//! It gives the same verdict as [`RuleSet::evaluate`], which runs the same core with a
//! recording sink and is the way to get the explanation, review policies, notices and the
//! names of missing inputs.
//!
//! What a [`Decision`] does not carry, and `evaluate` does: warnings (a party whose name
//! resembles a listed entity without matching it; rules resting on unconfirmed facts;
//! notices such as the AI Diffusion and GP10 guidance), review policies and licence
//! conditions, and the citations. Screen with the fast path; file and explain with
//! `evaluate`.

use super::core::{self, Decision, Facts, MissingKinds, Precomputed, PreparedParties, Quant, Scratch, copy_words, get};
use super::error::EvaluateError;
use super::prepared::PreparedProduct;
use super::query::FastQuery;
use crate::model::{Exporter, Party};
use crate::ruleset::RuleSet;
use crate::ruleset::condition::Truth;
use crate::ruleset::index::Epoch;

/// A rule set ready for fast, allocation-free evaluation: the timeline cut into epochs found
/// by binary search, licence requirements and exceptions indexed by epoch and destination,
/// item lists and exception links resolved to indexes (all built when the pack is compiled).
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
/// let q = FastQuery::export_to("CN".parse()?, "2024-06-01".parse()?);
/// assert_eq!(pack.decide(h20, &q, &mut scratch)?.verdict, Verdict::NoLicenseRequired);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledPack {
    rules: RuleSet,
}

static DEFAULT_EXPORTER: Exporter = Exporter {
    front_end_fabricator_or_osat: None,
    approved_ic_designer_attestation: false,
    packaged_outside_d5_or_macau: false,
    packaged_by: None,
};

/// A product classified under every epoch of one [`CompiledPack`] (for an exporter that
/// declares nothing), made by [`CompiledPack::classify_product`]: deciding it reads the
/// classification instead of evaluating the classification rules.
#[derive(Debug, Clone)]
pub struct ClassifiedProduct {
    product: PreparedProduct,
    /// [`exporter_key`] of the exporter it was classified for.
    exporter_key: u32,
    pack: u64,
    /// Per epoch of the pack's index, in order: the classification made in it.
    epochs: Vec<ClassifiedEpoch>,
}

/// The classification of a [`ClassifiedProduct`] in one epoch, each part sized for the pack
/// when it was made: a decision reads it with one bounds check (the epoch's), where slices
/// cut per decision from vectors of every epoch cost about 60 instructions per decision of
/// the peers bench (callgrind).
#[derive(Debug, Clone)]
struct ClassifiedEpoch {
    /// The parameters of every classification rule.
    params: Box<[Truth]>,
    /// The rules that classify the product (one bit per rule, in words of 64).
    yes: Box<[u64]>,
    /// The rules that may classify it.
    maybe: Box<[u64]>,
    /// The paragraphs that classify it.
    paragraphs: Box<[u32]>,
    /// The kinds of missing fact the classification read.
    kinds: MissingKinds,
    /// The truth of every licence requirement's condition (`when`) on the product and this
    /// epoch's parameters: what a decision would evaluate (it reads neither the destination
    /// nor the parties).
    requirements: Box<[Truth]>,
    /// The same for every licence exception's condition.
    exceptions: Box<[Truth]>,
}

/// Every declaration of `e` in one number, distinct for distinct exporters: a decision of a
/// [`ClassifiedProduct`] compares it with the key of the exporter the product was classified
/// for at once, where comparing the fields one by one cost about 20 instructions per decision
/// (callgrind).
#[inline]
fn exporter_key(e: &Exporter) -> u32 {
    use crate::model::Packager;
    // Every field named: a field added to `Exporter` fails to compile here instead of being
    // left out of the key (a product classified for another exporter would then be read).
    let Exporter {
        front_end_fabricator_or_osat,
        approved_ic_designer_attestation,
        packaged_outside_d5_or_macau,
        packaged_by,
    } = *e;
    let fab = match front_end_fabricator_or_osat {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    };
    let by = match packaged_by {
        None => 0,
        Some(Packager::FrontEndFabricator) => 1,
        Some(Packager::ApprovedOsat) => 2,
        Some(Packager::Other) => 3,
    };
    fab | u32::from(approved_ic_designer_attestation) << 2 | u32::from(packaged_outside_d5_or_macau) << 3 | by << 4
}

impl ClassifiedProduct {
    /// The product.
    pub fn product(&self) -> &PreparedProduct {
        &self.product
    }
}

impl Scratch {
    /// The decision's lists, if `pack` made it.
    fn lists_of(&self, pack: &CompiledPack) -> (&[u32], &[(u32, Truth)]) {
        if self.pack == pack.rules.id { (&self.paragraphs, &self.found) } else { (&[], &[]) }
    }

    /// Paragraph ids (e.g. `3A090.a.1`) that classify the product in the last decision of
    /// `pack`, in pack order; none after an error or when `pack` did not make the last decision.
    pub fn paragraphs<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = &'p str> + 'p {
        self.paragraph_numbers(pack).filter_map(|i| pack.paragraph_id(i))
    }

    /// The paragraphs of [`Scratch::paragraphs`] by number ([`CompiledPack::paragraph_id`]
    /// names them): for a caller that maps paragraphs to its own bits or tables once, instead
    /// of comparing ids as strings on every decision.
    pub fn paragraph_numbers<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = usize> + 'p {
        let (paragraphs, _) = self.lists_of(pack);
        paragraphs.iter().map(|&i| i as usize)
    }

    /// Paragraph ids that may classify the product, depending on missing inputs, in the last
    /// decision of `pack` (as [`Determination::undetermined_paragraphs`](super::Determination):
    /// only those whose ECCN no paragraph certainly gives), in pack order.
    pub fn undetermined_paragraphs<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = &'p str> + 'p {
        self.undetermined_paragraph_numbers(pack).filter_map(|i| pack.paragraph_id(i))
    }

    /// The paragraphs of [`Scratch::undetermined_paragraphs`] by number
    /// ([`CompiledPack::paragraph_id`] names them), in pack order.
    pub fn undetermined_paragraph_numbers<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = usize> + 'p {
        let mine = self.pack == pack.rules.id;
        self.undetermined(&pack.rules).filter(move |_| mine)
    }

    /// Licence requirements that apply (`true`) or may apply (`unknown`) in the last decision
    /// of `pack`, by rule id (e.g. `742.6(a)(6)(iii)`), in pack order for the destination given,
    /// then those found only for another destination (where an intermediate or ultimate consignee or end user
    /// is located); none after an error or when `pack` did not make the last decision.
    pub fn requirements<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = (&'p str, Truth)> + 'p {
        let (_, found) = self.lists_of(pack);
        found.iter().filter_map(move |&(i, t)| Some((pack.rules.requirements.get(i as usize)?.meta.id.as_str(), t)))
    }
}

impl Scratch {
    /// Licence exceptions available (`true`) or possibly available (`unknown`) in the last
    /// decision of `pack` that overcome a requirement of [`Scratch::requirements`], by rule id
    /// (e.g. `740.8/NAC`), each with its strongest truth over the destinations, in the order
    /// found; none after an error or when `pack` did not make the last decision. As
    /// [`Determination::exceptions`](super::Determination), which lists them once per name
    /// (one rule's id, the others as `grounds`). An exception that a requirement found makes
    /// unavailable (`unavailable_with`) is `unknown` while that requirement is, and absent
    /// when it applies.
    pub fn exceptions<'p>(&'p self, pack: &'p CompiledPack) -> impl Iterator<Item = (&'p str, Truth)> + 'p {
        let mine = self.pack == pack.rules.id;
        let found = if mine { &self.found_exceptions[..] } else { &[] };
        found.iter().filter_map(move |&(i, t)| Some((pack.rules.exceptions.get(i as usize)?.meta.id.as_str(), t)))
    }

    /// The kinds of fact the last decision of `pack` read and found unknown, where
    /// [`RuleSet::evaluate`] names such a fact in the determination's `missing` (see
    /// [`MissingKinds`]); none after an error or when `pack` did not make the last decision.
    ///
    /// Every kind here is among the kinds of the determination's `missing`; the determination
    /// may name more: it also tests the notices and review policies (a notice on parties names
    /// a party's missing name), every rule in force rather than those the index leaves for the
    /// destination, and names the inputs of every paragraph left undetermined. A condition
    /// unknown only because it reads (`meets`) a paragraph whose status is unconfirmed lacks no
    /// figure: when a status is missing, conditions count no figure here. After
    /// [`CompiledPack::decide_classified`], a computer's unit figure that was unknown where
    /// another unit decided the condition is not counted.
    pub fn missing_kinds(&self, pack: &CompiledPack) -> MissingKinds {
        if self.pack == pack.rules.id {
            self.missing.settled(self.undetermined(&pack.rules).next().is_some())
        } else {
            MissingKinds::NONE
        }
    }
}

impl CompiledPack {
    /// Wraps a loaded rule set (whose index was built when it was compiled). Each pack made
    /// this way is distinct: a [`Scratch`] or [`PreparedParties`] of one is never read as
    /// another's, even for a clone of the same rules.
    pub fn new(mut rules: RuleSet) -> Self {
        rules.id = crate::ruleset::next_pack_id();
        CompiledPack { rules }
    }

    /// The rule set, for [`RuleSet::evaluate`] (full determinations with explanations).
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The number of paragraphs (classification rules) of the pack: the paragraph numbers of
    /// [`Scratch::paragraph_numbers`] are below it.
    pub fn paragraph_count(&self) -> usize {
        self.rules.classifications.len()
    }

    /// The id of paragraph number `i` (e.g. `3A090.a.1`; the pack's classification rules in
    /// pack order), `None` past the last.
    pub fn paragraph_id(&self, i: usize) -> Option<&str> {
        self.rules.classifications.get(i).map(|c| c.meta.id.as_str())
    }

    /// The number of epochs of the timeline (intervals in which no rule, group membership or
    /// equivalence changes), or `None` when the pack is too large to index.
    pub fn epochs(&self) -> Option<usize> {
        self.rules.compiled.index.as_ref().map(|ix| ix.bounds.len())
    }

    /// Screens parties against this pack's screening lists once, for many decisions. A party
    /// or owner matches a list entry when its name, normalised (upper case, letters and digits,
    /// single spaces), equals the entry's name or an alias, or when it names the entry's id in
    /// `list_entries`; whether the entry is in force is checked on each decision's date. Lists:
    /// the Entity List (15 CFR 744 Supp. No. 4) and any imported from the Consolidated Screening
    /// List; the 50% ownership test of 15 CFR 744.11(a)(1) reads the owners' matches.
    pub fn prepare_parties(&self, parties: &[Party]) -> PreparedParties {
        PreparedParties::screen(&self.rules, parties)
    }

    /// Checks the query and gathers the facts every test reads (always inlined, as
    /// [`Facts::in_epoch`]: built in place). The query's parties must have been screened
    /// against this pack ([`CompiledPack::rescreened`] otherwise).
    #[inline(always)]
    fn facts<'a>(
        &'a self,
        product: &'a PreparedProduct,
        q: &'a FastQuery<'_>,
        epoch: Option<usize>,
    ) -> Result<Facts<'a>, EvaluateError> {
        let rules = &self.rules;
        self.facts_with(product, q, || rules.compiled.epoch_of(&rules.groups, q.date, epoch))
    }

    /// As [`CompiledPack::facts`], with the date's epoch made by `epoch` once the query is
    /// checked.
    #[inline(always)]
    fn facts_with<'a>(
        &'a self,
        product: &'a PreparedProduct,
        q: &'a FastQuery<'_>,
        epoch: impl FnOnce() -> Epoch<'a>,
    ) -> Result<Facts<'a>, EvaluateError> {
        let mut f = Facts::with_epoch(
            &self.rules,
            product,
            q.destination,
            q.exported_from,
            q.date,
            q.parties,
            &q.exporter,
            epoch,
        )?;
        f.set_region(q.destination_region)?;
        Ok(f)
    }

    /// `go` on the query with its parties screened again against this pack: for parties
    /// prepared for another pack (kept out of line, so that the usual decision holds no slot
    /// for parties screened again, nor drops one).
    #[cold]
    #[inline(never)]
    fn rescreened<T>(&self, q: &FastQuery<'_>, go: impl FnOnce(&FastQuery<'_>) -> T) -> T {
        let parties = PreparedParties::screen(&self.rules, q.parties.parties());
        let mut q = *q;
        q.parties = &parties;
        go(&q)
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
        if !q.parties.is_for(&self.rules) {
            return self.rescreened(q, |q| self.decide(product, q, scratch));
        }
        let known = self.rules.compiled.index.as_ref().and_then(|ix| scratch.epoch_in(self.rules.id, ix, q.date));
        scratch.begin(&self.rules);
        let f = self.facts(product, q, known).inspect_err(|_| scratch.forget())?;
        let mut kinds = MissingKinds::NONE;
        let d = core::decide_kinds(&f, scratch, &mut kinds);
        scratch.missing = kinds.invalid(!product.is_valid());
        Ok(d)
    }

    /// Classifies a product under every epoch of this pack once, so that deciding it for
    /// many destinations, parties and dates skips the classification (see
    /// [`CompiledPack::decide_classified`]), for an exporter that states nothing about itself
    /// (`Exporter::default()`: whether it is a front-end fabricator or OSAT is unknown).
    pub fn classify_product(&self, product: PreparedProduct) -> ClassifiedProduct {
        self.classify_product_for(product, DEFAULT_EXPORTER)
    }

    /// As [`CompiledPack::classify_product`], for queries with this exporter (the Note 1 to
    /// 3A090.a facts enter the classification): a query with another exporter is classified
    /// on each decision instead.
    pub fn classify_product_for(&self, product: PreparedProduct, exporter: Exporter) -> ClassifiedProduct {
        let mut out = ClassifiedProduct {
            product,
            exporter_key: exporter_key(&exporter),
            pack: self.rules.id,
            epochs: Vec::new(),
        };
        // A computer is classified through its contents (its units) as a decision classifies it.
        let Some(ix) = self.rules.compiled.index.as_ref() else { return out };
        let n = self.rules.classifications.len();
        let mut s = Scratch::default();
        for &from in &ix.bounds {
            // The first epoch may start before the coverage: classified all the same, for the
            // covered dates in it.
            let f = Facts::classification(&self.rules, &out.product, from, &exporter);
            s.begin(&self.rules);
            let mut kinds = MissingKinds::NONE;
            core::classify(&f, &mut s, &mut kinds);
            let params: Box<[Truth]> = (0..n).map(|i| get(&s.params, s.stamp, i)).collect();
            // As a decision reads them: a requirement reaches a computer through any unit, an
            // exception through every unit, each unit with its own parameters.
            let rules = &self.rules;
            let whens = |when: Option<&crate::ruleset::condition::Expr>, quant| {
                when.map_or(Truth::True, |w| core::when_truth(&f, w, &params[..], &s.unit_params, quant, &mut ()))
            };
            let requirements = rules.requirements.iter().map(|r| whens(r.when.as_ref(), Quant::Any)).collect();
            let exceptions = rules.exceptions.iter().map(|x| whens(x.when.as_ref(), Quant::All)).collect();
            out.epochs.push(ClassifiedEpoch {
                yes: s.class_true.clone().into_boxed_slice(),
                maybe: s.class_unknown.clone().into_boxed_slice(),
                paragraphs: s.paragraphs.clone().into_boxed_slice(),
                kinds,
                requirements,
                exceptions,
                params,
            });
        }
        out
    }

    /// Decides a product classified with [`CompiledPack::classify_product`]: the same decision
    /// as [`CompiledPack::decide`], with the classification read from the product. When the
    /// query's exporter is not the one it was classified for (the Note 1 foundry facts enter
    /// the classification), or the
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
        let cached = product.pack == self.rules.id && exporter_key(&q.exporter) == product.exporter_key;
        let found = self.rules.compiled.index.as_ref().filter(|_| cached).and_then(|ix| {
            let e = scratch.epoch_in(self.rules.id, ix, q.date)?;
            Some((u32::try_from(e).ok()?, ix.epochs.get(e)?, product.epochs.get(e)?))
        });
        let Some((e, data, c)) = found else {
            return self.decide(&product.product, q, scratch);
        };
        if !q.parties.is_for(&self.rules) {
            return self.rescreened(q, |q| self.decide_classified(product, q, scratch));
        }
        let params = Precomputed { params: &c.params, requirements: &c.requirements, exceptions: &c.exceptions };
        let mut kinds = c.kinds;
        let s = scratch;
        s.begin_with_classes(&self.rules);
        copy_words(&mut s.class_true, &c.yes);
        copy_words(&mut s.class_unknown, &c.maybe);
        let f = self.facts_with(&product.product, q, || Epoch::indexed(e, data)).inspect_err(|_| s.forget())?;
        // The epoch is borrowed from the index: the facts own nothing, and are not dropped (a
        // call per decision of `drop_in_place::<Facts>`, about 10 instructions, callgrind).
        let f = std::mem::ManuallyDrop::new(f);
        // Pushed one by one: usually none or one or two, where `extend_from_slice` calls
        // `memcpy` (room for every paragraph was made when the scratch was sized).
        for &p in &c.paragraphs {
            s.paragraphs.push(p);
        }
        let d = core::finish_all(&f, s, &params, &mut kinds, |_, _| {});
        s.missing = kinds.invalid(!product.product.is_valid());
        Ok(d)
    }
}
