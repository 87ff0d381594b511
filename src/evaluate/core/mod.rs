//! The evaluation core: every legal decision of a determination, written once. Which rules
//! are in force (the pack's epoch index), the classification, destination and party scope,
//! three-valued conditions, `confirmed_until`, exceptions and what blocks them, and the
//! verdict lattice. It is generic over an explanation [`Sink`]: the fast path
//! ([`CompiledPack::decide`](crate::CompiledPack::decide)) passes `()`, which records nothing
//! and allocates nothing; [`RuleSet::evaluate`] passes a recorder and builds the explained
//! [`Determination`](super::Determination) from what it recorded.

pub(crate) mod declared;
mod embargoed;
mod listing;
pub(crate) mod missing;
mod missing_kinds;
mod owners;
mod parties;
mod places;
mod policy;
pub(crate) mod reason;
mod scope;
mod scratch;
pub(crate) mod sink;
#[cfg(test)]
mod straight_tests;

use missing::{Missing, Warning};
pub use missing_kinds::MissingKinds;
pub use parties::PreparedParties;
pub(crate) use parties::Screened;
pub(crate) use policy::{choose_review_policy, notices, open_policy_warning, review_policies};
use reason::Reason;
pub(crate) use scope::{DestinationReasons, destination_reasons};
pub use scratch::Scratch;
pub(crate) use scratch::{copy_words, get, to_u32};
use sink::{Notes, RuleKind, Sink, Unconfirmed};

use super::determination::Verdict;
use super::error::EvaluateError;
use super::prepared::{PreparedProduct, Unit};
use crate::date::Date;
use crate::model::{Country, Exporter, Party, Region, Role, TransactionKind};
use crate::ruleset::condition::{Env, Expr, Program, Scaled, Straight, Truth};
use crate::ruleset::index::{CompiledRule, Epoch, Index};
use crate::ruleset::vocabulary::{Attr, Value};
use crate::ruleset::{Reading, RuleMeta, RuleSet, Scope};

/// The outcome of a decision. `verdict` is the strictest outcome not overcome; when missing
/// inputs leave several outcomes possible it is `indeterminate`, and `at_least` / `at_most`
/// bound the outcome whatever the missing inputs turn out to be.
///
/// Serializes to JSON as `{"verdict": "license_required", "at_least": ..., "at_most": ...}`,
/// with the verdict names of a [`Determination`](super::Determination).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    /// The verdict, as [`Determination::verdict`](super::Determination).
    pub verdict: Verdict,
    /// The least restrictive outcome possible.
    pub at_least: Verdict,
    /// The most restrictive outcome possible.
    pub at_most: Verdict,
}

/// The facts every test of one decision reads.
pub(crate) struct Facts<'a> {
    pub rules: &'a RuleSet,
    pub product: &'a PreparedProduct,
    pub destination: Country,
    /// The country the item leaves; `None` when not stated (the transaction kind is then
    /// unknown: [`Facts::kind`]).
    pub exported_from: Option<Country>,
    pub date: Date,
    /// Where in Ukraine the item goes (15 CFR 746.6), read on a leg to Ukraine; unknown when
    /// `None`.
    pub region: Option<Region>,
    pub epoch: Epoch<'a>,
    pub parties: &'a PreparedParties,
    pub exporter: &'a Exporter,
    /// How separately packaged ICs in a computer are read (the pack's setting).
    pub reading: Reading,
}

/// Refuses a date the pack does not cover.
pub(crate) fn check_coverage(rules: &RuleSet, date: Date) -> Result<(), EvaluateError> {
    if rules.covers(date) {
        Ok(())
    } else {
        Err(EvaluateError::BeforeCoverage {
            date,
            coverage_from: rules.pack.coverage_from,
            pack: rules.pack.name.clone(),
        })
    }
}

/// Refuses a query no rule can decide: a date the pack does not cover, no export (to the
/// United States, whatever the origin), or parties that could not be read. Always inlined
/// into the fast path's facts: called, its `Result` was written to memory and read back
/// (about 35 instructions per decision of the peers bench, callgrind).
#[inline(always)]
fn check_query(
    rules: &RuleSet,
    destination: Country,
    date: Date,
    parties: &PreparedParties,
) -> Result<(), EvaluateError> {
    check_coverage(rules, date)?;
    // To the United States, from it, from abroad or from a country not stated: no export,
    // reexport or in-country transfer under the EAR whatever the origin (15 CFR 734.13,
    // 734.14: a reexport is a shipment from one foreign country to another, so a shipment into
    // the US is neither). The same holds for a party's country (`Facts::other_destinations`).
    if destination.is_united_states() {
        return Err(EvaluateError::NotAnExport(destination));
    }
    if let Some(e) = &parties.problem {
        return Err(EvaluateError::Party(e.clone()));
    }
    Ok(())
}

impl<'a> Facts<'a> {
    /// Checks the query and gathers the facts every test reads.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        rules: &'a RuleSet,
        product: &'a PreparedProduct,
        destination: Country,
        exported_from: Option<Country>,
        date: Date,
        parties: &'a PreparedParties,
        exporter: &'a Exporter,
    ) -> Result<Self, EvaluateError> {
        Self::in_epoch(rules, product, destination, exported_from, date, parties, exporter, None)
    }

    /// These facts for a transaction to `region` of Ukraine (15 CFR 746.6), if one is given.
    ///
    /// # Errors
    /// [`EvaluateError::Region`] when the transaction goes nowhere in Ukraine: a region read
    /// for nothing would hide a mistyped destination, as in a transaction file (E0512).
    pub(crate) fn in_region(mut self, region: Option<Region>) -> Result<Self, EvaluateError> {
        self.set_region(region)?;
        Ok(self)
    }

    /// As [`Facts::in_region`], in place: the fast path's facts are not moved (a move of
    /// these facts and of the result holding them cost about 60 instructions per decision).
    ///
    /// # Errors
    /// As [`Facts::in_region`].
    #[inline]
    pub(crate) fn set_region(&mut self, region: Option<Region>) -> Result<(), EvaluateError> {
        // No region (the usual query): nothing to check, and no call.
        if region.is_none() {
            self.region = None;
            return Ok(());
        }
        crate::model::check_region(region, self.destination, &self.parties.parties).map_err(EvaluateError::Region)?;
        self.region = region;
        Ok(())
    }

    /// As [`Facts::new`], with the number of the date's epoch in the pack's index when the
    /// caller has found it already. Always inlined: the fast path's facts are then built in
    /// place, where a call returned them through a `Result` copied twice (about 100
    /// instructions per decision of the peers bench, callgrind).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(crate) fn in_epoch(
        rules: &'a RuleSet,
        product: &'a PreparedProduct,
        destination: Country,
        exported_from: Option<Country>,
        date: Date,
        parties: &'a PreparedParties,
        exporter: &'a Exporter,
        epoch: Option<usize>,
    ) -> Result<Self, EvaluateError> {
        let epoch = || rules.compiled.epoch_of(&rules.groups, date, epoch);
        Self::with_epoch(rules, product, destination, exported_from, date, parties, exporter, epoch)
    }

    /// As [`Facts::in_epoch`], with the date's epoch made by `epoch` once the query is checked
    /// (always inlined: an epoch borrowed from the pack's index is then known to the caller to
    /// own nothing).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(crate) fn with_epoch(
        rules: &'a RuleSet,
        product: &'a PreparedProduct,
        destination: Country,
        exported_from: Option<Country>,
        date: Date,
        parties: &'a PreparedParties,
        exporter: &'a Exporter,
        epoch: impl FnOnce() -> Epoch<'a>,
    ) -> Result<Self, EvaluateError> {
        check_query(rules, destination, date, parties)?;
        Ok(Facts {
            rules,
            product,
            destination,
            exported_from,
            date,
            region: None,
            epoch: epoch(),
            parties,
            exporter,
            reading: rules.pack.aggregation.separate_packages,
        })
    }

    /// The other destinations the transaction is decided for. The ultimate destination is
    /// where the ultimate consignee and the end user are, and the items enter the country of
    /// an intermediate consignee on their way ([`Role::takes_the_items`]; tester round 10, V3:
    /// goods for the UAE delivered to a forwarder in Iran were cleared): each country where
    /// one of them is located other than the destination given is a destination too (each
    /// once, in party order; the United States is left out whatever the origin: a shipment
    /// into the US is no export, reexport or in-country transfer, 15 CFR 734.13, 734.14; until
    /// hunt13 a foreign origin kept it, so that hiding the origin cleared). The place of an end use a party declares
    /// is one too when the items are where it takes place
    /// ([`DeclaredEndUse::destination`](crate::model::DeclaredEndUse); tester round 11, W10: a
    /// military end use declared in Iran for goods delivered to the UAE was cleared). With the
    /// party that places it there.
    pub(crate) fn other_destinations(&self) -> impl Iterator<Item = (Country, &'a Party)> + '_ {
        let parties = &self.parties.parties;
        let places = move || parties.iter().flat_map(|p| places::places_of(p).map(move |c| (c, p)));
        places().enumerate().filter_map(move |(i, (c, p))| {
            let repeated = c == self.destination || c.is_united_states() || places().take(i).any(|(d, _)| d == c);
            (!repeated).then_some((c, p))
        })
    }

    /// The same facts for another destination.
    pub(crate) fn to(&self, destination: Country) -> Facts<'a> {
        Facts {
            rules: self.rules,
            product: self.product,
            destination,
            exported_from: self.exported_from,
            date: self.date,
            region: self.region,
            epoch: self.epoch.clone(),
            parties: self.parties,
            exporter: self.exporter,
            reading: self.reading,
        }
    }

    /// Export, reexport or in-country transfer (15 CFR 734.14) from the country the item
    /// leaves to this destination; `None` when that country is not stated: unknown to a rule
    /// keyed to it ([`scope::scope_truth`]). Computed when a rule reads it (few do), not stored
    /// with the facts on every decision (about 15 instructions per decision of the peers bench,
    /// callgrind).
    pub(crate) fn kind(&self) -> Option<TransactionKind> {
        self.exported_from.map(|from| TransactionKind::of(from, self.destination))
    }

    /// The units the rules test: a computer's contained products (or their aggregate), or
    /// none for a product tested itself.
    pub(crate) fn units(&self) -> &'a [Unit] {
        self.product.units(self.reading)
    }
}

impl<'a> Facts<'a> {
    /// The facts of a classification alone (which reads neither the destination nor the
    /// parties), without checking the date against the pack's coverage.
    pub(crate) fn classification(
        rules: &'a RuleSet,
        product: &'a PreparedProduct,
        date: Date,
        exporter: &'a Exporter,
    ) -> Self {
        Facts {
            rules,
            product,
            destination: Country::US,
            exported_from: Some(Country::US),
            date,
            region: None,
            epoch: rules.compiled.epoch(&rules.groups, date),
            parties: PreparedParties::none_ref(),
            exporter,
            reading: rules.pack.aggregation.separate_packages,
        }
    }
}

/// The parameters of the classification rules evaluated so far, for `meets(...)`.
pub(crate) trait Params: Copy {
    /// The parameters of classification rule `i` (false for a rule not in force).
    fn param(&self, i: usize) -> Truth;

    /// The truth of the condition (`when`) of licence requirement or exception `i` (`which`)
    /// for the product, when it was decided beforehand with these parameters
    /// ([`ClassifiedProduct`](crate::ClassifiedProduct)); `None`: evaluate it.
    fn when_of(&self, _which: Which, _i: usize) -> Option<Truth> {
        None
    }
}

impl Params for &[Truth] {
    fn param(&self, i: usize) -> Truth {
        self.get(i).copied().unwrap_or(Truth::Unknown)
    }
}

/// Classification parameters stamped by the current decision.
#[derive(Clone, Copy)]
pub(crate) struct Stamped<'a>(pub &'a [(u32, Truth)], pub u32);

impl Params for Stamped<'_> {
    fn param(&self, i: usize) -> Truth {
        get(self.0, self.1, i)
    }
}

/// Classification parameters of a product classified beforehand, with the truth of every
/// licence requirement's and exception's condition on those parameters (by rule index).
/// Passed by reference (`&Precomputed` is the [`Params`]): by value, its six words were copied
/// to the stack twice per decision (about 10 instructions of the peers bench, callgrind).
pub(crate) struct Precomputed<'a> {
    pub params: &'a [Truth],
    pub requirements: &'a [Truth],
    pub exceptions: &'a [Truth],
}

impl Params for &Precomputed<'_> {
    fn param(&self, i: usize) -> Truth {
        self.params.param(i)
    }
    fn when_of(&self, which: Which, i: usize) -> Option<Truth> {
        match which {
            Which::Requirements => self.requirements.get(i).copied(),
            Which::Exceptions => self.exceptions.get(i).copied(),
        }
    }
}

/// The attributes of a prepared product and the exporter's declarations, as conditions read
/// them.
pub(crate) struct ProductEnv<'a, P> {
    pub rules: &'a RuleSet,
    pub product: &'a PreparedProduct,
    pub params: P,
    pub exporter: &'a Exporter,
}

impl<P: Params> Env for ProductEnv<'_, P> {
    fn value(&self, attr: Attr) -> Option<Value> {
        match attr {
            Attr::FrontEndFabricatorOrOsat => self.exporter.front_end_fabricator_or_osat.map(Value::Bool),
            Attr::ApprovedIcDesignerAttestation => Some(Value::Bool(self.exporter.approved_ic_designer_attestation)),
            Attr::PackagedOutsideD5OrMacau => Some(Value::Bool(self.exporter.packaged_outside_d5_or_macau)),
            Attr::PackagedByFrontEndFabricatorOrApprovedOsat => self.flag(attr).map(Value::Bool),
            _ => self.product.value(attr),
        }
    }
    fn flag(&self, attr: Attr) -> Option<bool> {
        match attr {
            Attr::FrontEndFabricatorOrOsat => self.exporter.front_end_fabricator_or_osat,
            Attr::ApprovedIcDesignerAttestation => Some(self.exporter.approved_ic_designer_attestation),
            Attr::PackagedOutsideD5OrMacau => Some(self.exporter.packaged_outside_d5_or_macau),
            // Who packaged the die matters only to a packaging rebuttal: with none claimed, an
            // unstated packager reads as one that cannot rebut (the presumption stands).
            Attr::PackagedByFrontEndFabricatorOrApprovedOsat => match self.exporter.packaged_by {
                Some(p) => Some(p.may_rebut()),
                None if !self.exporter.packaged_outside_d5_or_macau => Some(false),
                None => None,
            },
            _ => self.product.flag(attr),
        }
    }
    fn shown(&self, attr: Attr) -> String {
        match attr {
            Attr::FrontEndFabricatorOrOsat
            | Attr::ApprovedIcDesignerAttestation
            | Attr::PackagedOutsideD5OrMacau
            | Attr::PackagedByFrontEndFabricatorOrApprovedOsat => {
                self.value(attr).map_or_else(|| "unknown".to_string(), |v| v.to_string())
            }
            _ => self.product.shown(attr),
        }
    }
    fn scaled(&self, attr: Attr) -> Option<Scaled> {
        // The exporter's declarations are flags, never numbers.
        self.product.scaled(attr)
    }
    fn meets(&self, rules: &[usize]) -> Truth {
        // The disjunction of the rules' parameters, stopping at the first that holds.
        let mut acc = Truth::False;
        for &i in rules {
            acc = acc.or(self.params.param(i));
            if acc == Truth::True {
                break;
            }
        }
        acc
    }
    fn text_matches(&self, attr: Attr, normalized: &str) -> Option<bool> {
        self.product.text_matches(attr, normalized)
    }
    fn text(&self, attr: Attr) -> Option<String> {
        self.product.text(attr)
    }
    fn write_shown(&self, attr: Attr, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        match attr {
            Attr::FrontEndFabricatorOrOsat
            | Attr::ApprovedIcDesignerAttestation
            | Attr::PackagedOutsideD5OrMacau
            | Attr::PackagedByFrontEndFabricatorOrApprovedOsat => out.write_str(&self.shown(attr)),
            _ => self.product.write_shown(attr, out),
        }
    }
    fn write_text(&self, attr: Attr, out: &mut dyn std::fmt::Write) -> Option<std::fmt::Result> {
        self.product.write_text(attr, out)
    }
    fn meets_unknown_attrs(&self, rules: &[usize], out: &mut Vec<Attr>) {
        for &i in rules {
            if self.params.param(i) != Truth::Unknown {
                continue;
            }
            let Some(c) = self.rules.classifications.get(i) else { continue };
            c.when.unknown_attrs(self, out);
            for x in c.exclusions.iter().filter_map(|&x| self.rules.exclusions.get(x)) {
                x.when.unknown_attrs(self, out);
            }
        }
    }
}

/// How a rule's condition is read for a computer tested through its units (its contained
/// products, or their aggregate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quant {
    /// It holds when it holds for some unit: a requirement or notice reaches the system
    /// through any part it contains.
    Any,
    /// It holds when it holds for every unit: an exception is available for the system only
    /// if it is for every part.
    All,
    /// Unit `k` only (review policies are chosen per unit, then the strictest is taken).
    Unit(usize),
}

/// The classification of the decision so far: the rules that classify the product, those that
/// may, and for a computer the parameters of each unit (unit-major, one slot per rule).
#[derive(Clone, Copy)]
pub(crate) struct Classified<'a> {
    pub yes: &'a [u64],
    pub maybe: &'a [u64],
    pub units: &'a [Truth],
}

impl<'a> Classified<'a> {
    pub(crate) fn of(s: &'a Scratch) -> Self {
        Classified { yes: &s.class_true, maybe: &s.class_unknown, units: &s.unit_params }
    }
}

/// Evaluates a condition on the environment of unit `k`, with its comparisons (when recorded)
/// named after the unit.
fn eval_on_unit<'r, N: Notes<'r>, E: Env + ?Sized>(
    when: &'r Expr,
    program: Option<&Program>,
    env: &E,
    k: usize,
    n: &mut N,
) -> Truth {
    n.eval_program(when, program, env, Some(to_u32(k)))
}

/// The truth of a rule's condition for the product: on the product itself, or for a computer
/// on its units as `quant` says.
pub(crate) fn when_truth<'r, N: Notes<'r>, P: Params>(
    f: &Facts<'r>,
    when: &'r Expr,
    params: P,
    unit_params: &[Truth],
    quant: Quant,
    n: &mut N,
) -> Truth {
    let units = f.units();
    if units.is_empty() {
        let env = ProductEnv { rules: f.rules, product: f.product, exporter: f.exporter, params };
        let w = n.eval(when, &env, None);
        if w == Truth::Unknown {
            n.unknown_attrs(when, &env, None);
        }
        return w;
    }
    let per = f.rules.classifications.len();
    let (mut acc, range) = match quant {
        Quant::Any => (Truth::False, 0..units.len()),
        Quant::All => (Truth::True, 0..units.len()),
        Quant::Unit(k) => (Truth::True, k..k + 1),
    };
    for k in range {
        let Some(unit) = units.get(k) else { continue };
        let up = unit_params.get(k * per..(k + 1) * per).unwrap_or(&[]);
        let env = ProductEnv { rules: f.rules, product: &unit.product, exporter: f.exporter, params: up };
        let w = eval_on_unit(when, None, &env, k, n);
        if w == Truth::Unknown {
            n.unknown_attrs(when, &env, Some(to_u32(k)));
        }
        acc = if quant == Quant::Any { acc.or(w) } else { acc.and(w) };
    }
    acc
}

/// The parts of a rule its applicability reads.
pub(crate) struct RuleRef<'r> {
    pub meta: &'r RuleMeta,
    pub scope: &'r Scope,
    pub when: Option<&'r Expr>,
    pub compiled: &'r CompiledRule,
    /// A country the rule's destinations name also counts when it enters through a party's
    /// location, headquarters or ultimate parent (notices: a warning tied to a country).
    pub through_parties: bool,
    /// A party's location stands for the place of an end use it declares without one when the
    /// location is in the rule's `end_use_in`: only for a notice (a warning, which may err on the
    /// side of saying more). Requirements, exceptions and review policies set it false: the
    /// place is a missing fact ([`scope::scope_truth`], [`policy::review_policies`]).
    pub presume_place: bool,
    /// An unknown transaction kind (the country of export not stated) is a missing fact of the
    /// determination: every rule but a review policy, which then gives way to a stricter one
    /// with a warning instead ([`policy::review_policies`]).
    pub origin_missing: bool,
    /// The truth of `when` for the product, when it was decided beforehand (see
    /// [`Params::when_of`]).
    pub when_known: Option<Truth>,
}

impl<'r> RuleRef<'r> {
    /// The parts of a rule: its destinations entered by the destination alone, its condition
    /// evaluated.
    pub(crate) fn new(
        meta: &'r RuleMeta,
        scope: &'r Scope,
        when: Option<&'r Expr>,
        compiled: &'r CompiledRule,
    ) -> Self {
        RuleRef {
            meta,
            scope,
            when,
            compiled,
            through_parties: false,
            presume_place: true,
            origin_missing: true,
            when_known: None,
        }
    }
}

/// Indexes of the rules in force on `date`, for a pack without an index.
fn in_force<'r>(metas: impl Iterator<Item = &'r RuleMeta>, date: Date) -> impl Iterator<Item = u32> {
    metas.enumerate().filter(move |(_, m)| m.period.contains(date)).map(|(i, _)| to_u32(i))
}

/// The outcomes a requirement allows, least and most restrictive, given whether it applies
/// (true or unknown) and whether an available exception overcomes it.
pub(crate) fn outcome_range(applies: Truth, overcome: Truth) -> (Verdict, Verdict) {
    match (applies, overcome) {
        (Truth::Unknown, Truth::True) => (Verdict::NoLicenseRequired, Verdict::LicenseException),
        (Truth::Unknown, _) => (Verdict::NoLicenseRequired, Verdict::LicenseRequired),
        (_, Truth::True) => (Verdict::LicenseException, Verdict::LicenseException),
        (_, Truth::Unknown) => (Verdict::LicenseException, Verdict::LicenseRequired),
        (_, Truth::False) => (Verdict::LicenseRequired, Verdict::LicenseRequired),
    }
}

/// Which requirements or exceptions to test.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    Requirements,
    Exceptions,
}

/// Evaluates the classification rules in force, in dependency order, into `s`: each rule's
/// parameters (`when` and no exclusion) and its classification (parameters and product kind);
/// then the ECCN the product declares, where the figures contradict it, leaves its paragraphs
/// open ([`declared::reconcile`]).
pub(crate) fn classify<'r, S: Sink<'r>>(f: &Facts<'r>, s: &mut Scratch, sink: &mut S) {
    classify_figures(f, s, sink);
    if f.product.product().declared_eccn.is_some() {
        declared::reconcile(f, s);
    }
}

/// The classification by the figures alone (see [`classify`]).
fn classify_figures<'r, S: Sink<'r>>(f: &Facts<'r>, s: &mut Scratch, sink: &mut S) {
    let rules = f.rules;
    // The rules in force: the index's list, or for a pack without one a scan into a buffer of
    // the scratch (taken out while the rules are tested, and put back).
    if let (Some(ix), Some(e)) = (&rules.compiled.index, f.epoch.number()) {
        // A sink that records nothing need not visit the rules whose kinds leave out the kind
        // of a product tested as itself: such a rule's parameters read as false (a slot this
        // decision did not write) and it classifies nothing, as `classify_rule` finds.
        let list = if !S::EXPLAINS && !<S::Notes as Notes<'r>>::ON && f.units().is_empty() {
            let kind = f.product.product().kind;
            if let Some(st) = rules.compiled.straight(e, kind)
                && classify_straight(f, s, st, S::RECORDS_NOTHING)
            {
                return;
            }
            ix.classifications_of_kind.get(Index::kind_key(e, kind))
        } else {
            let list = ix.classifications.get(e);
            // The same for a sink that explains nothing: what a computer's units leave when
            // every condition is true or false adds no missing kind.
            if !S::EXPLAINS && !f.units().is_empty() && classify_units_straight(f, s, list, e) {
                return;
            }
            list
        };
        classify_listed(f, s, list, sink);
        return;
    }
    let mut scanned = std::mem::take(&mut s.candidates);
    scanned.clear();
    scanned.extend(in_force(rules.classifications.iter().map(|r| &r.meta), f.date));
    classify_listed(f, s, &scanned, sink);
    s.candidates = scanned;
}

/// Classifies a product tested as itself by the straight form of the classifications of its
/// kind in force ([`Straight`]): the same parameters and classification as [`classify_rule`]
/// gives each of them, two-valued when every comparison the form makes is decided (each figure
/// known, exactly or as a range on one side of the threshold) and every flag known, else
/// three-valued ([`Straight::run_kleene`]). False (nothing written) for a figure known without
/// a value at the fixed scale, or when not `kleene` (a sink that counts missing kinds from
/// the notes per rule): the general path decides.
#[inline]
fn classify_straight(f: &Facts<'_>, s: &mut Scratch, st: &Straight, kleene: bool) -> bool {
    let env = ProductEnv { rules: f.rules, product: f.product, exporter: f.exporter, params: &[][..] };
    // Only the rules that hold or may hold are written: a false rule's parameters read as a
    // slot this decision did not write (false), and a false classification records nothing.
    if let Some(m) = st.run(&env) {
        for &(i, bit) in st.rules() {
            if Straight::truth(m, bit) == Truth::True {
                scratch::set(&mut s.params, s.stamp, i as usize, Truth::True);
                record_classification(s, i as usize, Truth::True);
            }
        }
        return true;
    }
    // Some figure or flag unknown, or a comparison undecided: the same form, three-valued,
    // for a sink that records nothing (`kleene`).
    let Some(bits) = st.run_kleene(&env).filter(|_| kleene) else { return false };
    for &(i, bit) in st.rules() {
        let t = Straight::truth_kleene(bits, bit);
        if t != Truth::False {
            scratch::set(&mut s.params, s.stamp, i as usize, t);
            record_classification(s, i as usize, t);
        }
    }
    true
}

/// Classifies a computer through its units by the straight forms of the classifications each
/// unit's kind is tested against ([`Straight`]): the same unit parameters, parameters and
/// classification as [`classify_units`] gives the rules in force `list` in epoch `e`, when
/// every unit has a straight form, every comparison it makes is decided (each figure known,
/// exactly or as a range on one side of the threshold) and every flag it reads known. Then
/// every condition is true or false: the general path would note no missing kind. False
/// otherwise, with nothing but the units' parameters written (which the general path writes
/// again).
fn classify_units_straight(f: &Facts<'_>, s: &mut Scratch, list: &[u32], e: usize) -> bool {
    let units = f.units();
    let per = f.rules.classifications.len();
    s.unit_params.clear();
    s.unit_params.resize(units.len() * per, Truth::False);
    for (u, unit) in units.iter().enumerate() {
        let Some(st) = f.rules.compiled.straight_units(e, unit.product.product().kind) else { return false };
        let env = ProductEnv { rules: f.rules, product: &unit.product, exporter: f.exporter, params: &[][..] };
        let Some(m) = st.run(&env) else { return false };
        let Some(up) = s.unit_params.get_mut(u * per..(u + 1) * per) else { return false };
        for &(i, bit) in st.rules() {
            if let Some(v) = up.get_mut(i as usize) {
                *v = Straight::truth(m, bit);
            }
        }
    }
    let kind = f.product.product().kind;
    for &i in list {
        let i = i as usize;
        let Some(c) = f.rules.classifications.get(i) else {
            s.corrupt = true;
            continue;
        };
        let p = (0..units.len())
            .fold(Truth::False, |p, u| p.or(s.unit_params.get(u * per + i).copied().unwrap_or(Truth::False)));
        scratch::set(&mut s.params, s.stamp, i, p);
        record_classification(s, i, p.and(Truth::from_bool(c.kinds.contains(&kind))));
    }
    true
}

/// Tests the classification rules `list` (in force, in dependency order).
fn classify_listed<'r, S: Sink<'r>>(f: &Facts<'r>, s: &mut Scratch, list: &[u32], sink: &mut S) {
    let units = f.units();
    if units.is_empty() {
        for &i in list {
            classify_rule(f, s, i as usize, sink);
        }
    } else {
        classify_units(f, s, list, units, sink);
    }
}

/// Tests classification rule `i` on the product itself.
fn classify_rule<'r, S: Sink<'r>>(f: &Facts<'r>, s: &mut Scratch, i: usize, sink: &mut S) {
    let rules = f.rules;
    let Some(c) = rules.classifications.get(i) else {
        s.corrupt = true;
        return;
    };
    let kind = f.product.product().kind;
    let stamp = s.stamp;
    // A product tested as itself (not a computer, whose units are its ICs) cannot meet a
    // paragraph that does not classify its kind: a stand-alone memory stack is never 3A090.a
    // or .b (15 CFR 774 Supp. No. 1: they classify ICs by TPP and density; E0218 refuses a
    // memory with a processor's figures). Its parameters are false for `meets(...)`, and
    // nothing they read is missing (tester finding P7).
    if !c.kinds.contains(&kind) {
        scratch::set(&mut s.params, stamp, i, Truth::False);
        record_classification(s, i, Truth::False);
        if S::EXPLAINS {
            let mut notes = sink.notes(RuleKind::Classification);
            notes.reason(Reason::KindsOnly { kinds: &c.kinds, kind });
            sink.rule(RuleKind::Classification, i, Truth::False, notes);
        }
        return;
    }
    let mut notes = sink.notes(RuleKind::Classification);
    let env = ProductEnv { rules, product: f.product, exporter: f.exporter, params: Stamped(&s.params, stamp) };
    let when = notes.eval_program(&c.when, rules.compiled.classification_when(i), &env, None);
    let excluded = if when != Truth::False || S::EXPLAINS {
        excluded_by(f, c, Tested::Stamped(&mut s.excluded, stamp), &env, sink, &mut notes)
    } else {
        Truth::False
    };
    let p = classification_status(f, &c.meta, when.and(excluded.not()), true, &mut notes);
    scratch::set(&mut s.params, stamp, i, p);
    record_classification(s, i, p);
    sink.rule(RuleKind::Classification, i, p, notes);
}

/// Where the truth of each exclusion is kept once tested: stamped by the decision for the
/// product itself, or one slot per exclusion for a unit of a computer (named in the notes).
enum Tested<'s, 'r> {
    Stamped(&'s mut [(u32, Truth)], u32),
    Unit(&'s mut [Option<Truth>], &'r Unit, usize),
}

/// Whether the exclusions of classification rule `c` take the product (or the unit) out:
/// each tested once per decision ([`exclusion`]), noted on the rule.
fn excluded_by<'r, S: Sink<'r>, E: Env>(
    f: &Facts<'r>,
    c: &crate::ruleset::Classification,
    mut tested: Tested<'_, 'r>,
    env: &E,
    sink: &mut S,
    notes: &mut S::Notes,
) -> Truth {
    let mut excluded = Truth::False;
    for &x in &c.exclusions {
        excluded = excluded.or(exclusion(f, &mut tested, x, env, sink, notes));
    }
    excluded
}

/// The truth of exclusion `x` for the product or the unit (tested once per decision, then
/// read again from `tested`), noted on the classification rule it may take out. Unknown for
/// an exclusion the pack does not have (fail closed); false when it is not in force.
fn exclusion<'r, S: Sink<'r>, E: Env>(
    f: &Facts<'r>,
    tested: &mut Tested<'_, 'r>,
    x: usize,
    env: &E,
    sink: &mut S,
    notes: &mut S::Notes,
) -> Truth {
    let Some(ex) = f.rules.exclusions.get(x) else {
        // Fail closed: an exclusion that cannot be read may take the product out.
        return Truth::Unknown;
    };
    if !ex.meta.period.contains(f.date) {
        return Truth::False;
    }
    let known = match tested {
        Tested::Stamped(t, stamp) => t.get(x).filter(|(st, _)| st == stamp).map(|(_, t)| *t),
        Tested::Unit(t, ..) => t.get(x).copied().flatten(),
    };
    let unit = match tested {
        Tested::Stamped(..) => None,
        Tested::Unit(_, unit, k) => Some((*unit, *k)),
    };
    let t = match known {
        Some(t) => t,
        None => {
            let mut xn = sink.notes(RuleKind::Exclusion);
            let program = f.rules.compiled.exclusion_when(x);
            let t = match unit {
                Some((_, k)) => eval_on_unit(&ex.when, program, env, k, &mut xn),
                None => xn.eval_program(&ex.when, program, env, None),
            };
            match unit {
                Some((unit, _)) => {
                    xn.reason(Reason::UnitAppliesTo(&ex.applies_to, unit));
                }
                None => xn.reason(Reason::AppliesTo(&ex.applies_to)),
            }
            sink.rule(RuleKind::Exclusion, x, t, xn);
            match tested {
                Tested::Stamped(tested, stamp) => scratch::set(tested, *stamp, x, t),
                Tested::Unit(tested, ..) => {
                    if let Some(v) = tested.get_mut(x) {
                        *v = Some(t);
                    }
                }
            }
            t
        }
    };
    if t != Truth::False {
        match unit {
            Some((unit, _)) => notes.reason(Reason::UnitTakesOut(unit, &ex.meta.id, t)),
            None => notes.reason(Reason::TakesOut(&ex.meta.id, t)),
        }
    }
    t
}

/// Records the truth of classification rule `i`: a paragraph that classifies the product, or
/// may.
fn record_classification(s: &mut Scratch, i: usize, t: Truth) {
    let bits = match t {
        Truth::True => {
            s.paragraphs.push(to_u32(i));
            Some(&mut s.class_true)
        }
        Truth::Unknown => Some(&mut s.class_unknown),
        Truth::False => None,
    };
    if let Some(w) = bits.and_then(|b| b.get_mut(i / 64)) {
        *w |= 1 << (i % 64);
    }
}

/// Classifies a computer through its units: each classification rule's parameters are
/// evaluated on every unit (its `when`, less the exclusions), and hold for the computer when
/// they hold for some unit; the rule classifies the computer when its kinds include the
/// computer's (ECCN 4A090: computers containing ICs that meet 3A090).
fn classify_units<'r, S: Sink<'r>>(f: &Facts<'r>, s: &mut Scratch, list: &[u32], units: &'r [Unit], sink: &mut S) {
    let rules = f.rules;
    let per = rules.classifications.len();
    let nx = rules.exclusions.len();
    s.unit_params.clear();
    s.unit_params.resize(units.len() * per, Truth::False);
    s.unit_excluded.clear();
    s.unit_excluded.resize(units.len() * nx, None);
    for &i in list {
        let i = i as usize;
        let Some(c) = rules.classifications.get(i) else {
            s.corrupt = true;
            continue;
        };
        let mut notes = sink.notes(RuleKind::Classification);
        let mut p = Truth::False;
        for (u, unit) in units.iter().enumerate() {
            let pu = unit_params(f, s, c, i, u, unit, sink, &mut notes);
            notes.reason(Reason::UnitParams(unit, pu));
            p = p.or(pu);
        }
        scratch::set(&mut s.params, s.stamp, i, p);
        let kind = f.product.product().kind;
        let kind_ok = c.kinds.contains(&kind);
        if !kind_ok {
            notes.reason(Reason::KindsOnly { kinds: &c.kinds, kind });
        }
        let t = p.and(Truth::from_bool(kind_ok));
        record_classification(s, i, t);
        sink.rule(RuleKind::Classification, i, t, notes);
    }
}

/// The parameters of classification rule `c` (number `i`) on unit `u` of a computer: its
/// `when` less the exclusions (each tested once per unit), recorded in `s.unit_params`.
#[allow(clippy::too_many_arguments)]
fn unit_params<'r, S: Sink<'r>>(
    f: &Facts<'r>,
    s: &mut Scratch,
    c: &'r crate::ruleset::Classification,
    i: usize,
    u: usize,
    unit: &'r Unit,
    sink: &mut S,
    notes: &mut S::Notes,
) -> Truth {
    let rules = f.rules;
    let (per, nx) = (rules.classifications.len(), rules.exclusions.len());
    let base = u * per;
    // A unit cannot meet a paragraph of other kinds of product, as a product tested as itself
    // ([`classify_rule`]): a memory stack in a board is never 3A090.a or .b, and is not asked
    // for a TPP or die area it cannot have (E0218; tester round 6, S16); an IC is never
    // 3A090.c. A paragraph that classifies computers only (4A090) is read through every unit.
    // The slot stays false.
    let kind = unit.product.product().kind;
    if !crate::ruleset::index::tests_unit_of(c, kind) {
        notes.reason(Reason::KindsOnly { kinds: &c.kinds, kind });
        return Truth::False;
    }
    let up = s.unit_params.get(base..base + per).unwrap_or(&[]);
    let env = ProductEnv { rules, product: &unit.product, exporter: f.exporter, params: up };
    let when = eval_on_unit(&c.when, rules.compiled.classification_when(i), &env, u, notes);
    let slots = s.unit_excluded.get_mut(u * nx..(u + 1) * nx).unwrap_or(&mut []);
    let excluded = excluded_by(f, c, Tested::Unit(slots, unit, u), &env, sink, notes);
    let pu = classification_status(f, &c.meta, when.and(excluded.not()), true, notes);
    if let Some(v) = s.unit_params.get_mut(base + i) {
        *v = pu;
    }
    pu
}

/// The requirements or exceptions to test: every one in force when the sink explains them all
/// (or the pack has no index: then scanned into `buf`), else those the index says can apply at
/// this epoch and destination (with parties, merged into `buf`). With whether the destination
/// was already tested.
fn candidates<'a, 'r: 'a, S: Sink<'r>>(f: &Facts<'r>, buf: &'a mut Vec<u32>, which: Which) -> (&'a [u32], bool) {
    let rules = f.rules;
    buf.clear();
    let (Some(ix), Some(e)) = (&rules.compiled.index, f.epoch.number()) else {
        match which {
            Which::Requirements => buf.extend(in_force(rules.requirements.iter().map(|r| &r.meta), f.date)),
            Which::Exceptions => buf.extend(in_force(rules.exceptions.iter().map(|r| &r.meta), f.date)),
        }
        return (buf, false);
    };
    let (in_force, postings) = match which {
        Which::Requirements => (&ix.requirements_in_force, &ix.requirements),
        Which::Exceptions => (&ix.exceptions_in_force, &ix.exceptions),
    };
    if S::EXPLAINS {
        return (in_force.get(e), false);
    }
    // The destination's rules without a party filter, merged with those for every destination
    // when the index was built: all that can apply when no parties are given.
    let key = crate::ruleset::index::Index::key;
    let slot = f.destination.index();
    let own = postings.get(key(e, slot, false));
    if f.parties.parties.is_empty() {
        return (own, true);
    }
    let mut sources = 0;
    for list in [own, postings.get(key(e, slot, true)), postings.get(key(e, Country::INDEX_LIMIT, true))] {
        sources += usize::from(!list.is_empty());
        buf.extend_from_slice(list);
    }
    // Rules are decided in pack order.
    if sources > 1 {
        buf.sort_unstable();
    }
    (buf, true)
}

/// Tests the licence requirements (`Which::Requirements`: after the classification, each
/// one's truth, and those that apply or may apply) or the licence exceptions (after the
/// requirements) in force, in pack order.
pub(crate) fn test_rules<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    params: P,
    sink: &mut S,
    which: Which,
) {
    let none = match which {
        Which::Requirements => f.rules.requirements.is_empty(),
        Which::Exceptions => f.rules.exceptions.is_empty(),
    };
    if none {
        return;
    }
    let mut test = |s: &mut Scratch, list: &[u32], prefiltered: bool| {
        for &i in list {
            match which {
                Which::Requirements => requirement(f, s, i as usize, params, prefiltered, sink),
                Which::Exceptions => exception(f, s, i as usize, params, prefiltered, sink),
            }
        }
    };
    // Without parties, the index's list for the destination, read in place (no buffer taken
    // out of the scratch and put back).
    if !S::EXPLAINS
        && let Some(list) = own_candidates(f, which)
    {
        // Most destinations have none: then no call of the closure (whose saved registers
        // cost about 10 instructions per decision of the peers bench, callgrind).
        if !list.is_empty() {
            test(s, list, true);
        }
        return;
    }
    let mut buf = std::mem::take(&mut s.candidates);
    let (list, prefiltered) = candidates::<S>(f, &mut buf, which);
    test(s, list, prefiltered);
    s.candidates = buf;
}

/// The requirements or exceptions the index lists for the epoch and destination when no
/// parties are given (as [`candidates`] gives them then, prefiltered); `None` with parties or
/// without an index.
#[inline]
fn own_candidates<'r>(f: &Facts<'r>, which: Which) -> Option<&'r [u32]> {
    let rules = f.rules;
    let (Some(ix), Some(e)) = (&rules.compiled.index, f.epoch.number()) else { return None };
    if !f.parties.parties.is_empty() {
        return None;
    }
    let postings = match which {
        Which::Requirements => &ix.requirements,
        Which::Exceptions => &ix.exceptions,
    };
    Some(postings.get(crate::ruleset::index::Index::key(e, f.destination.index(), false)))
}

/// The applicability of licence requirement or exception `i` (`which`: any unit of a computer
/// brings a requirement, an exception needs every unit), with its compiled form and the notes
/// begun; `None`, and the scratch marked corrupt, when the pack lacks it.
fn rule_applies<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    which: Which,
    i: usize,
    (params, prefiltered): (P, bool),
    sink: &mut S,
) -> Option<(Truth, &'r CompiledRule, S::Notes)> {
    let rules = f.rules;
    let (parts, compiled, kind, quant) = match which {
        Which::Requirements => (
            rules.requirements.get(i).map(|r| (&r.meta, &r.scope, r.when.as_ref())),
            rules.compiled.requirements.get(i),
            RuleKind::LicenseRequirement,
            Quant::Any,
        ),
        Which::Exceptions => (
            rules.exceptions.get(i).map(|r| (&r.meta, &r.scope, r.when.as_ref())),
            rules.compiled.exceptions.get(i),
            RuleKind::LicenseException,
            Quant::All,
        ),
    };
    let (Some((meta, scope, when)), Some(compiled)) = (parts, compiled) else {
        s.corrupt = true;
        return None;
    };
    let rr = RuleRef {
        when_known: params.when_of(which, i),
        // Neither a licence requirement nor a licence exception takes the declaring party's
        // location for the place of an end use declared without one: the place is a missing
        // fact, and the rule may or may not apply (the generator's soundness check found a
        // requirement presumed to apply where the hidden place was outside its scope).
        presume_place: false,
        // An exception's unknown transaction kind (origin not stated) is a missing fact only
        // where it may overcome a requirement that applies or may apply: elsewhere it decides
        // nothing, and the determination names nothing more than with the origin stated.
        origin_missing: which == Which::Requirements || (f.exported_from.is_none() && may_overcome(rules, s, i)),
        ..RuleRef::new(meta, scope, when, compiled)
    };
    let mut notes = sink.notes(kind);
    let t = applies(f, &rr, Classified::of(s), params, prefiltered, true, quant, &mut notes);
    Some((t, compiled, notes))
}

/// Whether licence exception `x` overcomes a requirement that applies or may apply to this
/// destination (one of `s.applied`).
fn may_overcome(rules: &RuleSet, s: &Scratch, x: usize) -> bool {
    s.applied
        .iter()
        .any(|&r| rules.compiled.requirements.get(r as usize).is_some_and(|cr| cr.links.contains(&to_u32(x))))
}

/// Tests licence requirement `r`.
fn requirement<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    r: usize,
    params: P,
    prefiltered: bool,
    sink: &mut S,
) {
    if !<S::Notes as Notes<'r>>::ON
        && let Some(t) = plain_requirement(f, s, r, prefiltered)
    {
        let mut notes = sink.notes(RuleKind::LicenseRequirement);
        if t == Truth::Unknown {
            notes.condition_unknown();
        }
        scratch::set(&mut s.requirements, s.stamp, r, t);
        if t != Truth::False {
            s.applied.push(to_u32(r));
        }
        sink.rule(RuleKind::LicenseRequirement, r, t, notes);
        return;
    }
    let Some((t, _, notes)) = rule_applies(f, s, Which::Requirements, r, (params, prefiltered), sink) else { return };
    scratch::set(&mut s.requirements, s.stamp, r, t);
    if t != Truth::False {
        s.applied.push(to_u32(r));
    }
    sink.rule(RuleKind::LicenseRequirement, r, t, notes);
}

/// The truth of licence requirement `r` read from the classification alone, when that is what
/// [`applies`] would give with notes that record nothing: a plain requirement
/// ([`CompiledRule::plain`]) on a destination the index lists it for (`prefiltered`) whose
/// coverage hinges on no unverified group membership in the epoch
/// ([`EpochData::unsure`](crate::ruleset::index::EpochData::unsure)). Then its scope is true and it has no condition
/// and no unconfirmed status, so its truth is its items' (unknown items: the condition is
/// unknown, as `applies` notes). `None`: the general path decides.
#[inline]
fn plain_requirement<'r>(f: &Facts<'r>, s: &Scratch, r: usize, prefiltered: bool) -> Option<Truth> {
    if !prefiltered || f.epoch.data.unsure(f.destination.index()) || r >= f.rules.requirements.len() {
        return None;
    }
    let cr = f.rules.compiled.requirements.get(r).filter(|cr| cr.plain)?;
    Some(items_truth(cr, Classified::of(s)))
}

/// Tests licence exception `x`: eligible, and not made unavailable by a requirement that
/// applies (`unavailable_with`).
fn exception<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    x: usize,
    params: P,
    prefiltered: bool,
    sink: &mut S,
) {
    let Some((mut t, compiled, mut notes)) = rule_applies(f, s, Which::Exceptions, x, (params, prefiltered), sink)
    else {
        return;
    };
    let rules = f.rules;
    if t != Truth::False {
        let mut blocked = Truth::False;
        for &r in &compiled.links {
            let applies = get(&s.requirements, s.stamp, r as usize);
            if applies != Truth::False {
                let id = rules.requirements.get(r as usize).map_or("?", |q| q.meta.id.as_str());
                notes.reason(Reason::NotAvailableWhere(id));
            }
            blocked = blocked.or(applies);
        }
        t = t.and(blocked.not());
        if rules.exceptions.get(x).is_some_and(|e| e.one_consignee_and_end_user)
            && let Some(why) = beyond_one_notification(&f.parties.parties)
        {
            let name = rules.exceptions.get(x).map_or("the exception", |e| e.name.as_str());
            if notes.reasons() {
                notes.reason(Reason::NotOneNotification(why.clone()));
            }
            notes.warning(Warning::NotOneNotification { name, why });
            t = Truth::False;
        }
    }
    scratch::set(&mut s.exceptions, s.stamp, x, t);
    s.exceptions_open |= t != Truth::False;
    sink.rule(RuleKind::LicenseException, x, t, notes);
}

/// Why a transaction's parties do not fit one notification naming one ultimate consignee and
/// one end user, and no distributor (License Exception NAC: BIS NAC guidance, 15 CFR 740.8):
/// more than one end user or ultimate consignee, or an intermediate consignee; `None` when they
/// fit.
pub(crate) fn beyond_one_notification(parties: &[Party]) -> Option<String> {
    let count = |role: Role| parties.iter().filter(|p| p.role == role).count();
    let mut why = Vec::new();
    for (role, what) in [(Role::EndUser, "end users"), (Role::UltimateConsignee, "ultimate consignees")] {
        let n = count(role);
        if n > 1 {
            why.push(format!("{n} {what}"));
        }
    }
    let n = count(Role::IntermediateConsignee);
    if n > 0 {
        why.push(format!("{n} intermediate consignee{} (read as a distributor)", if n == 1 { "" } else { "s" }));
    }
    (!why.is_empty()).then(|| {
        format!(
            "{}; a notification names one ultimate consignee and one end user, and no distributor (BIS NAC guidance)",
            why.join(", ")
        )
    })
}

/// Whether the exceptions that overcome requirement `r` are available: true, unknown or false.
pub(crate) fn overcome(rules: &RuleSet, s: &Scratch, r: usize) -> Truth {
    if !s.exceptions_open {
        return Truth::False;
    }
    rules.compiled.requirements.get(r).map_or(Truth::False, |cr| {
        cr.links.iter().fold(Truth::False, |acc, &x| acc.or(get(&s.exceptions, s.stamp, x as usize)))
    })
}

/// The verdict lattice: the strictest outcome not overcome, as a range over the missing
/// inputs; `indeterminate` when the range holds more than one outcome. An invalid product
/// (see [`PreparedProduct::is_valid`]) is never cleared: every outcome stays possible.
///
/// Inlined, with the requirements that apply read out of line: most decisions find none (85%
/// of the peers bench's), and the call with its saved registers cost about 30 instructions per
/// such decision (callgrind).
#[inline(always)]
pub(crate) fn outcome(rules: &RuleSet, s: &Scratch, product: &PreparedProduct) -> Decision {
    let (mut lo, mut hi) = if s.corrupt || !product.is_valid() {
        (Verdict::NoLicenseRequired, Verdict::LicenseRequired)
    } else {
        (Verdict::NoLicenseRequired, Verdict::NoLicenseRequired)
    };
    if !s.applied.is_empty() {
        (lo, hi) = applied_range(rules, s, (lo, hi));
    }
    let verdict = if lo == hi { lo } else { Verdict::Indeterminate };
    Decision { verdict, at_least: lo, at_most: hi }
}

/// The range of outcomes `(lo, hi)` widened by each requirement that applies or may apply
/// (`s.applied`), as far as its exceptions leave it standing.
#[inline(never)]
fn applied_range(rules: &RuleSet, s: &Scratch, (mut lo, mut hi): (Verdict, Verdict)) -> (Verdict, Verdict) {
    for &r in &s.applied {
        let (min, max) = outcome_range(get(&s.requirements, s.stamp, r as usize), overcome(rules, s, r as usize));
        lo = lo.max(min);
        hi = hi.max(max);
    }
    (lo, hi)
}

/// Licence requirements, exceptions and the outcome, after the classification.
pub(crate) fn finish<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    params: P,
    sink: &mut S,
) -> Decision {
    test_rules(f, s, params, sink, Which::Requirements);
    // A pack without licence exceptions (the call costs about 15 instructions per decision).
    if !f.rules.exceptions.is_empty() {
        test_rules(f, s, params, sink, Which::Exceptions);
    }
    outcome(f.rules, s, f.product)
}

/// Two decisions of one transaction (for two of its destinations) as one: the strictest
/// outcome possible of either, the range of outcomes as wide as both.
pub(crate) fn merge(a: Decision, b: Decision) -> Decision {
    let (lo, hi) = (a.at_least.max(b.at_least), a.at_most.max(b.at_most));
    Decision { verdict: if lo == hi { lo } else { Verdict::Indeterminate }, at_least: lo, at_most: hi }
}

/// Where [`finish_all`] is, for a caller that keeps each destination's findings.
pub(crate) enum Step<'x, 'r> {
    /// About to decide for destination number `k` (0: the destination given), and the party
    /// located there that makes it a destination.
    Before(usize, Option<(Country, &'r Party)>),
    /// Decided for this destination; the scratch holds its requirements and exceptions.
    After(&'x Facts<'r>, &'x Scratch),
}

/// Requirements, exceptions and the outcome for the destination given and for each other
/// destination ([`Facts::other_destinations`]), merged; `s.found` collects the requirements
/// of every destination. `each` is told before and after each destination.
pub(crate) fn finish_all<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &mut Scratch,
    params: P,
    sink: &mut S,
    mut each: impl FnMut(Step<'_, 'r>, &mut S),
) -> Decision {
    // `s.found` and `s.found_exceptions` were emptied by `Scratch::begin` (not again here: two
    // stores per decision).
    // Without parties there is no other destination, no party of an embargoed country and no
    // end use or recipient left unplaced: the destination given alone is decided (the tests
    // below read the parties only, and skipping them saves about 60 instructions per decision
    // of the peers bench, callgrind).
    let parties = !f.parties.parties.is_empty();
    let embargoed = if parties { embargoed::open_for_embargoed(f, s, params, sink) } else { None };
    each(Step::Before(0, None), sink);
    let mut d = finish(f, s, params, sink);
    s.collect_found(f.rules);
    each(Step::After(f, s), sink);
    if !parties {
        return after_cut_off_open(f, d, sink);
    }
    for (k, (c, p)) in f.other_destinations().enumerate() {
        s.next_destination();
        let fc = f.to(c);
        each(Step::Before(k + 1, Some((c, p))), sink);
        d = merge(d, finish(&fc, s, params, sink));
        s.collect_found(f.rules);
        each(Step::After(&fc, s), sink);
    }
    // A party that takes the items (an intermediate or ultimate consignee, an end user) whose
    // location is unknown may take them anywhere: the destination is open, and so is every
    // outcome up to a licence requirement.
    let placed = |p: &&Party| p.role.takes_the_items() && p.country.is_none();
    if places::unplaced_end_uses(f, sink) {
        let open = Decision {
            verdict: Verdict::Indeterminate,
            at_least: Verdict::NoLicenseRequired,
            at_most: Verdict::LicenseRequired,
        };
        d = merge(d, open);
    }
    for p in f.parties.parties.iter().filter(placed) {
        sink.fact_missing(Missing::Recipient(p));
        let open = Decision {
            verdict: Verdict::Indeterminate,
            at_least: Verdict::NoLicenseRequired,
            at_most: Verdict::LicenseRequired,
        };
        d = merge(d, open);
    }
    if let Some(open) = embargoed {
        d = merge(d, open);
    }
    after_cut_off_open(f, d, sink)
}

/// Decision `d`, open up to a licence requirement after the pack's research cut-off: rules it
/// does not hold may then be in force, so a licence requirement found stands, and any lesser
/// outcome (no licence, a licence exception) is open.
#[inline]
fn after_cut_off_open<'r, S: Sink<'r>>(f: &Facts<'r>, d: Decision, sink: &mut S) -> Decision {
    if !f.rules.researched(f.date) && d.at_most != Verdict::LicenseRequired {
        sink.fact_missing(Missing::AfterCutOff);
        let open = Decision {
            verdict: Verdict::Indeterminate,
            at_least: Verdict::NoLicenseRequired,
            at_most: Verdict::LicenseRequired,
        };
        return merge(d, open);
    }
    d
}

/// The missing fact of a decision after the pack's research cut-off.
pub(crate) fn after_cut_off(rules: &RuleSet) -> String {
    format!(
        "the rules in force after {}, the research cut-off of pack {} (`researched_until`): rules published or in force later are not encoded",
        rules.pack.researched_until, rules.pack.name
    )
}

/// A whole decision on the fast path (classification, requirements, exceptions and the
/// outcome), adding the kinds of missing fact it finds to `kinds`. A product tested as itself
/// is classified with notes that record nothing, and the kinds its classification leaves are
/// read from the classification made ([`MissingKinds::of_classification`]): the same kinds,
/// without notes per rule (they cost about 7% of the decision on the peers bench, callgrind).
pub(crate) fn decide_kinds(f: &Facts<'_>, s: &mut Scratch, kinds: &mut MissingKinds) -> Decision {
    if f.units().is_empty() {
        classify(f, s, &mut ());
        *kinds = kinds.union(MissingKinds::of_classification(f.rules, s, f.date));
    } else {
        classify(f, s, kinds);
    }
    finish_classified(f, s, kinds)
}

/// Requirements, exceptions and the outcome of every destination, after [`classify`].
fn finish_classified<'r, S: Sink<'r>>(f: &Facts<'r>, s: &mut Scratch, sink: &mut S) -> Decision {
    let params = std::mem::take(&mut s.params);
    let stamp = s.stamp;
    let d = finish_all(f, s, Stamped(&params, stamp), sink, |_, _| {});
    s.params = params;
    d
}

/// Truth of "the product is one of the rule's items", from the classification bits.
fn items_truth(cr: &CompiledRule, c: Classified<'_>) -> Truth {
    let (yes, maybe) = (c.yes, c.maybe);
    let Some(items) = &cr.items else { return Truth::True };
    let any = |bits: &[u64]| bits.iter().zip(items).any(|(b, m)| b & m != 0);
    if any(yes) {
        Truth::True
    } else if any(maybe) {
        Truth::Unknown
    } else {
        Truth::False
    }
}

/// Names the inputs that leave the rule's items undecided: what the conditions (and exclusions)
/// of each paragraph among the items that may or may not hold read and the product lacks, on
/// the product or on each of its units. A paragraph undecided is named here even where its
/// ECCN is certain by another paragraph, since this rule covers that paragraph alone.
fn items_unknown_attrs<'r, N: Notes<'r>, P: Params>(
    f: &Facts<'r>,
    cr: &CompiledRule,
    c: Classified<'_>,
    params: P,
    n: &mut N,
) {
    let Some(items) = &cr.items else { return };
    let per = f.rules.classifications.len();
    let units = f.units();
    for (w, (&maybe, &mask)) in c.maybe.iter().zip(items).enumerate() {
        let mut bits = maybe & mask;
        while bits != 0 {
            let i = w * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(class) = f.rules.classifications.get(i) else { continue };
            let exclusions = class.exclusions.iter().filter_map(|&x| f.rules.exclusions.get(x));
            let whens = std::iter::once(&class.when).chain(exclusions.map(|x| &x.when));
            if units.is_empty() {
                let env = ProductEnv { rules: f.rules, product: f.product, exporter: f.exporter, params };
                whens.for_each(|when| n.unknown_attrs(when, &env, None));
                continue;
            }
            let whens: Vec<&Expr> = whens.collect();
            for (k, unit) in units.iter().enumerate() {
                let up = c.units.get(k * per..(k + 1) * per).unwrap_or(&[]);
                let env = ProductEnv { rules: f.rules, product: &unit.product, exporter: f.exporter, params: up };
                whens.iter().for_each(|when| n.unknown_attrs(when, &env, Some(to_u32(k))));
            }
        }
    }
}

/// A rule's applicability: items, scope and condition, three-valued. A rule whose status
/// after `confirmed_until` is not confirmed fails closed: when it `decides` (a requirement or
/// an exception), its truth becomes unknown.
#[allow(clippy::too_many_arguments)]
pub(crate) fn applies<'r, N: Notes<'r>, P: Params>(
    f: &Facts<'r>,
    rule: &RuleRef<'r>,
    classified: Classified<'_>,
    params: P,
    prefiltered: bool,
    decides: bool,
    quant: Quant,
    n: &mut N,
) -> Truth {
    // Items first: a bit test, and the most selective (notes need the scope's reasons, so a
    // recording sink goes on).
    let items = items_truth(rule.compiled, classified);
    if items == Truth::False && !N::ON {
        return Truth::False;
    }
    if items == Truth::Unknown {
        if N::ON {
            items_unknown_attrs(f, rule.compiled, classified, params, n);
        } else {
            n.condition_unknown();
        }
    }
    let reading = (rule.through_parties, rule.presume_place, rule.origin_missing);
    let mut t = scope::scope_truth(f, rule.scope, rule.compiled, prefiltered, reading, n);
    if t != Truth::False {
        t = t.and(items);
    }
    if t != Truth::False
        && let Some(when) = rule.when
    {
        t = t.and(match rule.when_known {
            Some(w) => {
                if w == Truth::Unknown {
                    n.condition_unknown();
                }
                w
            }
            None => when_truth(f, when, params, classified.units, quant, n),
        });
    }
    if t != Truth::False
        && let Some(what) = Unconfirmed::on(rule.meta, f.date)
    {
        n.unconfirmed(rule.meta, what, decides);
        if decides {
            t = Truth::Unknown;
        }
    }
    t
}

/// The truth `p` of a classification paragraph's parameters, on a date the sources leave its
/// status unconfirmed (before its `confirmed_from`, after its `confirmed_until`): a product it
/// classifies or may classify may or may not be in it, so its truth is unknown, noted when
/// the paragraph can classify the product (`noted`).
fn classification_status<'r, N: Notes<'r>>(
    f: &Facts<'r>,
    meta: &'r RuleMeta,
    p: Truth,
    noted: bool,
    n: &mut N,
) -> Truth {
    match Unconfirmed::on(meta, f.date) {
        Some(what) if p != Truth::False => {
            if noted {
                n.unconfirmed(meta, what, true);
            }
            Truth::Unknown
        }
        _ => p,
    }
}
