//! The explained determination: the evaluation core run with a recording sink, then the
//! determination assembled from what it recorded (review policies, notices, warnings, the
//! classification summary, the metrics and the inputs).

use std::collections::BTreeSet;

use super::core::sink::{Notes, RuleKind, Sink};
use super::core::{self, Facts, PreparedParties, ProductEnv, Scratch, Stamped, get};
use super::determination::{
    Certainty, CountryRef, Determination, ExceptionFinding, MetricsReport, PackRef, ProductSummary, RequirementFinding,
    TraceEntry, Verdict,
};
use super::prepared::PreparedProduct;
use super::query::{EvaluateError, Options, Query};
use crate::date::Date;
use crate::model::Exporter;
use crate::ruleset::condition::{Comparison, Env, Expr, Truth};
use crate::ruleset::vocabulary::Attr;
use crate::ruleset::{ListEntry, RuleMeta, RuleSet};

/// The classification of a product on a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClassificationResult {
    /// The as-of date.
    pub as_of: Date,
    /// ECCNs matched, e.g. `["3A090.a"]`.
    pub eccns: Vec<String>,
    /// Paragraphs matched.
    pub paragraphs: Vec<String>,
    /// Paragraphs that may match, depending on missing inputs.
    pub undetermined_paragraphs: Vec<String>,
    /// Absent inputs the classification depends on.
    pub missing: Vec<String>,
    /// Rules tried (empty when tracing is off).
    pub trace: Vec<TraceEntry>,
}

/// What one rule's test found, recorded.
pub(crate) struct RuleNotes<'r> {
    comparisons: Option<Vec<Comparison>>,
    notes: Vec<String>,
    missing: Vec<String>,
    entries: Vec<&'r ListEntry>,
    unknown_attrs: Vec<Attr>,
    /// The status warning, and the missing fact when the status decides.
    unconfirmed: Option<(String, Option<String>)>,
    parties_not_given: bool,
}

impl RuleNotes<'_> {
    fn empty() -> Self {
        RuleNotes {
            comparisons: None,
            notes: Vec::new(),
            missing: Vec::new(),
            entries: Vec::new(),
            unknown_attrs: Vec::new(),
            unconfirmed: None,
            parties_not_given: false,
        }
    }
}

impl<'r> Notes<'r> for RuleNotes<'r> {
    const ON: bool = true;
    fn child(&self) -> Self {
        RuleNotes::empty()
    }
    fn note(&mut self, f: impl FnOnce() -> String) {
        self.notes.push(f());
    }
    fn missing(&mut self, f: impl FnOnce() -> String) {
        self.missing.push(f());
    }
    fn entry(&mut self, e: &'r ListEntry) {
        self.entries.push(e);
    }
    fn comparisons(&mut self) -> Option<&mut Vec<Comparison>> {
        self.comparisons.as_mut()
    }
    fn unknown_attrs(&mut self, when: &Expr, env: &dyn Env) {
        when.unknown_attrs(env, &mut self.unknown_attrs);
    }
    fn unconfirmed(&mut self, meta: &'r RuleMeta, until: Date, decides: bool) {
        // Fail closed: a requirement or exception whose status is unconfirmed may or may not
        // be in force; if that changes the outcome, the verdict is indeterminate, otherwise
        // this warning says so.
        let warning = format!(
            "{} matches this transaction, but its status after {until} is not confirmed by the sources ({})",
            meta.id, meta.source
        );
        self.unconfirmed = Some((warning, decides.then(|| format!("status of {} after {until}", meta.id))));
    }
    fn parties_not_given(&mut self) {
        self.parties_not_given = true;
    }
    fn absorb(&mut self, other: &mut Self, notes: bool, missing: bool) {
        if notes {
            self.notes.append(&mut other.notes);
            self.entries.append(&mut other.entries);
        }
        if missing {
            self.missing.append(&mut other.missing);
        }
    }
}

/// A licence requirement that applies or may apply, with why.
struct Found<'r> {
    index: usize,
    basis: Vec<String>,
    entries: Vec<&'r ListEntry>,
}

/// The recording sink: the trace (when asked for), the reasons of the requirements found, the
/// missing inputs and the status warnings.
pub(crate) struct Recorder<'r> {
    rules: &'r RuleSet,
    trace_on: bool,
    trace: Vec<TraceEntry>,
    missing_attrs: BTreeSet<Attr>,
    missing_facts: Vec<String>,
    status_warnings: Vec<String>,
    parties_not_given: bool,
    found: Vec<Found<'r>>,
}

impl<'r> Recorder<'r> {
    fn new(rules: &'r RuleSet, trace_on: bool) -> Self {
        Recorder {
            rules,
            trace_on,
            trace: Vec::new(),
            missing_attrs: BTreeSet::new(),
            missing_facts: Vec::new(),
            status_warnings: Vec::new(),
            parties_not_given: false,
            found: Vec::new(),
        }
    }

    fn meta(&self, kind: RuleKind, i: usize) -> Option<&'r RuleMeta> {
        let r = self.rules;
        match kind {
            RuleKind::Classification => r.classifications.get(i).map(|x| &x.meta),
            RuleKind::Exclusion => r.exclusions.get(i).map(|x| &x.meta),
            RuleKind::LicenseRequirement => r.requirements.get(i).map(|x| &x.meta),
            RuleKind::LicenseException => r.exceptions.get(i).map(|x| &x.meta),
            RuleKind::ReviewPolicy => r.review_policies.get(i).map(|x| &x.meta),
            RuleKind::Notice => r.notices.get(i).map(|x| &x.meta),
        }
    }
}

impl<'r> Sink<'r> for Recorder<'r> {
    type Notes = RuleNotes<'r>;
    const EXPLAINS: bool = true;

    fn notes(&self) -> RuleNotes<'r> {
        RuleNotes { comparisons: self.trace_on.then(Vec::new), ..RuleNotes::empty() }
    }

    fn rule(&mut self, kind: RuleKind, i: usize, t: Truth, mut n: RuleNotes<'r>) {
        self.missing_attrs.extend(n.unknown_attrs.drain(..));
        self.parties_not_given |= n.parties_not_given;
        if t == Truth::Unknown {
            self.missing_facts.append(&mut n.missing);
        }
        if let Some((warning, fact)) = n.unconfirmed.take() {
            self.status_warnings.push(warning);
            self.missing_facts.extend(fact);
        }
        if kind == RuleKind::LicenseRequirement && t != Truth::False {
            let basis = if self.trace_on { n.notes.clone() } else { std::mem::take(&mut n.notes) };
            self.found.push(Found { index: i, basis, entries: std::mem::take(&mut n.entries) });
        }
        if self.trace_on
            && let Some(meta) = self.meta(kind, i)
        {
            self.trace.push(TraceEntry {
                rule: meta.id.clone(),
                kind: std::borrow::Cow::Borrowed(kind.as_str()),
                result: t,
                comparisons: n.comparisons.unwrap_or_default(),
                notes: n.notes,
                source: meta.source.clone(),
            });
        }
    }
}

/// What the core decided, as the explained determination reads it.
struct Run<'r, 'a> {
    f: Facts<'r>,
    s: Scratch,
    params: Vec<(u32, Truth)>,
    rec: Recorder<'r>,
    decision: core::Decision,
    product: &'a PreparedProduct,
}

impl Run<'_, '_> {
    fn params(&self) -> Stamped<'_> {
        Stamped(&self.params, self.s.stamp)
    }
}

impl RuleSet {
    /// Evaluates one product for one destination and date.
    ///
    /// The verdict is the strictest outcome not overcome (no licence < licence exception <
    /// licence required). When missing inputs leave more than one outcome possible, the verdict
    /// is `indeterminate` and `missing` names them; when every possible value gives the same
    /// outcome, the verdict stands and a warning says the classification is undetermined.
    ///
    /// # Errors
    /// [`EvaluateError`] when the date is before the pack's coverage, or when the destination
    /// and the country of export are both the United States (not an export).
    pub fn evaluate(
        &self,
        product: &PreparedProduct,
        q: &Query,
        opts: Options,
    ) -> Result<Determination, EvaluateError> {
        self.evaluate_with(product, q, opts, true)
    }

    /// As [`RuleSet::evaluate`] without the trace and without the notices (no notice ids and
    /// no warnings from notices): for comparisons that read only the verdict, classification,
    /// requirements and exceptions ([`crate::impact`]), whose cost must not grow with the
    /// number of notices in the pack.
    pub(crate) fn evaluate_outcome(
        &self,
        product: &PreparedProduct,
        q: &Query,
    ) -> Result<Determination, EvaluateError> {
        self.evaluate_with(product, q, Options { trace: false }, false)
    }

    fn evaluate_with(
        &self,
        product: &PreparedProduct,
        q: &Query,
        opts: Options,
        with_notices: bool,
    ) -> Result<Determination, EvaluateError> {
        let parties = PreparedParties::screen(self, &q.parties);
        let f = Facts::new(self, product, q.destination, q.exported_from, q.date, &parties, &q.exporter)?;
        let mut s = Scratch::default();
        s.begin(self);
        let mut rec = Recorder::new(self, opts.trace);
        core::classify(&f, &mut s, &mut rec);
        let params = std::mem::take(&mut s.params);
        let stamp = s.stamp;
        let decision = core::finish(&f, &mut s, Stamped(&params, stamp), &mut rec);
        let mut run = Run { f, s, params, rec, decision, product };
        Ok(self.assemble(&mut run, q, with_notices))
    }

    /// The determination from a run of the core.
    fn assemble(&self, run: &mut Run<'_, '_>, q: &Query, with_notices: bool) -> Determination {
        let params = Stamped(&run.params, run.s.stamp);
        let policies = core::review_policies(&run.f, &run.s, params, &mut run.rec);
        let notice_truths = if with_notices { core::notices(&run.f, &run.s, params, &mut run.rec) } else { Vec::new() };
        let mut warnings = Vec::new();
        let notices = self.notice_warnings(&notice_truths, &mut warnings);
        self.possible_match_warnings(q, &mut warnings);
        let requirements = self.requirement_findings(run, &policies, &mut warnings);
        let exceptions = self.exception_findings(run, &mut warnings);
        for w in std::mem::take(&mut run.rec.status_warnings) {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        let verdict = run.decision.verdict;
        let summary = self.summarize(run);
        let mut missing = summary.missing;
        for f in std::mem::take(&mut run.rec.missing_facts) {
            if !missing.contains(&f) {
                missing.push(f);
            }
        }
        warnings.extend(summary.warnings);
        if !summary.undetermined.is_empty() && verdict != Verdict::Indeterminate {
            warnings.push(format!(
                "The classification is undetermined ({} may apply; missing: {}). The verdict is the same whatever the missing figures are, but the ECCN must be settled before export filings.",
                summary.undetermined.join(", "),
                missing.join(", ")
            ));
        }
        let product = run.product;
        Determination {
            verdict,
            as_of: q.date,
            product: ProductSummary {
                id: product.product.id.clone(),
                name: product.product.name.clone(),
                vendor: product.product.vendor.clone(),
                kind: product.product.kind,
                designed_or_marketed_for_datacenter: product.product.designed_or_marketed_for_datacenter,
            },
            destination: CountryRef::from(q.destination),
            exported_from: CountryRef::from(q.exported_from),
            eccns: summary.eccns,
            paragraphs: summary.paragraphs,
            undetermined_paragraphs: summary.undetermined,
            metrics: metrics_report(product),
            requirements,
            exceptions,
            missing,
            warnings,
            notices,
            trace: std::mem::take(&mut run.rec.trace),
            inputs: crate::audit::Inputs {
                product: product.product.clone(),
                parties: q.parties.clone(),
                exporter: q.exporter,
            },
            rules: PackRef {
                name: self.pack.name.clone(),
                version: self.pack.version.clone(),
                sha256: self.pack.sha256.clone(),
                unlocked: self.pack.unlocked.is_some(),
            },
            scope: self.scope_lines(run.rec.parties_not_given),
        }
    }

    /// The ids of the notices that apply or may apply, and their warnings.
    fn notice_warnings(&self, truths: &[(usize, Truth)], warnings: &mut Vec<String>) -> Vec<String> {
        let mut ids = Vec::new();
        for &(i, t) in truths {
            let Some(n) = self.notices.get(i) else { continue };
            ids.push(n.meta.id.clone());
            let (title, id, source) = (&n.meta.title, &n.meta.id, &n.meta.source);
            match t {
                Truth::True => warnings.push(format!("{title} [{id}; {source}]")),
                Truth::Unknown => {
                    warnings.push(format!("May apply (depends on missing data): {title} [{id}; {source}]"))
                }
                Truth::False => {}
            }
        }
        ids
    }

    /// Names close to a list entry without matching it exactly: screen them by hand.
    fn possible_match_warnings(&self, q: &Query, warnings: &mut Vec<String>) {
        for p in &q.parties {
            let Some(name) = &p.name else { continue };
            let key = crate::ruleset::normalize_name(name);
            let exact = self.lists.iter().any(|e| e.period.contains(q.date) && e.keys.contains(&key));
            if exact || !p.list_entries.is_empty() {
                continue;
            }
            for e in self.possible_matches(name, q.date) {
                warnings.push(format!(
                    "{} resembles {} entry {} \"{}\" ({}) without matching it exactly: screen the party and, if it is the listed entity, give its entry id in list_entries",
                    p.label(),
                    e.list,
                    e.id,
                    e.name,
                    e.source
                ));
            }
        }
    }

    /// Each requirement that applies or may apply: its certainty, basis, review policy and the
    /// exceptions that overcome it.
    fn requirement_findings(
        &self,
        run: &Run<'_, '_>,
        policies: &[Vec<&crate::ruleset::ReviewPolicyRule>],
        warnings: &mut Vec<String>,
    ) -> Vec<RequirementFinding> {
        let mut out = Vec::new();
        for (found, matching) in run.rec.found.iter().zip(policies) {
            let Some(req) = self.requirements.get(found.index) else { continue };
            let applies = get(&run.s.requirements, run.s.stamp, found.index);
            let by = self.overcome_by(run, found.index);
            let policy = core::choose_review_policy(req, matching, &found.entries);
            if let Some((id, u)) = &policy.unverified {
                warnings.push(format!("The review policy of {} comes from {id}, which rests on facts not confirmed from a primary source: {u}", req.meta.id));
            }
            for e in found.entries.iter().filter(|e| e.unverified.is_some()) {
                let u = e.unverified.as_deref().unwrap_or("");
                warnings.push(format!("{} entry {} is not confirmed from a primary source: {u}", e.list, e.id));
            }
            if applies == Truth::True
                && let Some(u) = &req.meta.unverified
            {
                warnings.push(format!("{} rests on facts not confirmed from a primary source: {u}", req.meta.id));
            }
            out.push(RequirementFinding {
                id: req.meta.id.clone(),
                title: req.meta.title.clone(),
                reason: req.reason.clone(),
                source: req.meta.source.clone(),
                certainty: certainty(applies),
                destination_basis: found.basis.clone(),
                review_policy: policy.policy,
                review_policy_source: policy.source,
                review_conditions: policy.conditions,
                overcome_by: by,
            });
        }
        out
    }

    /// Indexes of the exceptions available (true or unknown) that overcome requirement `r`.
    fn overcoming(&self, run: &Run<'_, '_>, r: usize) -> impl Iterator<Item = usize> {
        let links = self.compiled.requirements.get(r).map_or(&[][..], |c| c.links.as_slice());
        let (s, stamp) = (&run.s.exceptions, run.s.stamp);
        links
            .iter()
            .map(|&x| x as usize)
            .filter(move |&x| get(s, stamp, x) != Truth::False)
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// Names of the exceptions that overcome requirement `r`.
    fn overcome_by(&self, run: &Run<'_, '_>, r: usize) -> Vec<String> {
        self.overcoming(run, r).filter_map(|x| self.exceptions.get(x)).map(|x| x.name.clone()).collect()
    }

    /// The exceptions available that overcome a requirement found, with what they overcome.
    fn exception_findings(&self, run: &Run<'_, '_>, warnings: &mut Vec<String>) -> Vec<ExceptionFinding> {
        let used: BTreeSet<usize> = run.rec.found.iter().flat_map(|f| self.overcoming(run, f.index)).collect();
        let applied: Vec<&str> =
            run.rec.found.iter().filter_map(|f| self.requirements.get(f.index)).map(|r| r.meta.id.as_str()).collect();
        let mut out = Vec::new();
        for (xi, x) in self.exceptions.iter().enumerate() {
            if !used.contains(&xi) {
                continue;
            }
            let t = get(&run.s.exceptions, run.s.stamp, xi);
            if let Some(u) = &x.meta.unverified {
                warnings.push(format!(
                    "{} ({}) rests on facts not confirmed from a primary source: {u}",
                    x.name, x.meta.id
                ));
            }
            out.push(ExceptionFinding {
                id: x.meta.id.clone(),
                name: x.name.clone(),
                title: x.meta.title.clone(),
                source: x.meta.source.clone(),
                certainty: certainty(t),
                overcomes: x.overcomes.iter().filter(|o| applied.contains(&o.as_str())).cloned().collect(),
                obligations: x.obligations.clone(),
            });
        }
        out
    }

    /// Classifies a product as of `date`: ECCNs and paragraphs matched, those that depend on
    /// missing inputs, and the missing inputs. Destination-independent.
    ///
    /// # Errors
    /// [`EvaluateError::BeforeCoverage`] when the date is before the pack's coverage.
    pub fn classify(
        &self,
        product: &PreparedProduct,
        date: Date,
        opts: Options,
    ) -> Result<ClassificationResult, EvaluateError> {
        core::check_coverage(self, date)?;
        let exporter = Exporter::default();
        let f = Facts::classification(self, product, date, &exporter);
        let mut s = Scratch::default();
        s.begin(self);
        let mut rec = Recorder::new(self, opts.trace);
        core::classify(&f, &mut s, &mut rec);
        let params = std::mem::take(&mut s.params);
        let decision = core::Decision {
            verdict: Verdict::NoLicenseRequired,
            at_least: Verdict::NoLicenseRequired,
            at_most: Verdict::NoLicenseRequired,
        };
        let mut run = Run { f, s, params, rec, decision, product };
        let summary = self.summarize(&mut run);
        Ok(ClassificationResult {
            as_of: date,
            eccns: summary.eccns,
            paragraphs: summary.paragraphs,
            undetermined_paragraphs: summary.undetermined,
            missing: summary.missing,
            trace: run.rec.trace,
        })
    }

    /// The classification: ECCNs and paragraphs that hold, those undetermined, the inputs
    /// missing for them (and for every condition found unknown), and unverified paragraphs.
    fn summarize(&self, run: &mut Run<'_, '_>) -> Summary {
        let mut s = Summary::default();
        // A paragraph left undecided only matters when its ECCN is not already certain (an
        // H100-class part without a die area is 3A090.a by a.1 whatever a.2 says).
        let env = ProductEnv { product: run.product, params: run.params(), exporter: run.f.exporter };
        let mut attrs = Vec::new();
        for i in run.s.undetermined(self) {
            let Some(c) = self.classifications.get(i) else { continue };
            s.undetermined.push(c.meta.id.clone());
            c.when.unknown_attrs(&env, &mut attrs);
            for ex in c.exclusions.iter().filter_map(|&x| self.exclusions.get(x)) {
                ex.when.unknown_attrs(&env, &mut attrs);
            }
        }
        run.rec.missing_attrs.extend(attrs);
        for (i, c) in self.classifications.iter().enumerate() {
            if run.s.classified(i) != Truth::True {
                continue;
            }
            s.paragraphs.push(c.meta.id.clone());
            if !s.eccns.contains(&c.eccn) {
                s.eccns.push(c.eccn.clone());
            }
            if let Some(u) = &c.meta.unverified {
                s.warnings.push(format!("{} rests on facts not confirmed from a primary source: {u}", c.meta.id));
            }
        }
        s.eccns.sort();
        s.paragraphs.sort();
        for a in &run.rec.missing_attrs {
            for m in run.product.missing_inputs(*a) {
                if !s.missing.iter().any(|x| x == m) {
                    s.missing.push(m.to_string());
                }
            }
        }
        s
    }

    fn scope_lines(&self, parties_not_given: bool) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(what) = &self.pack.unlocked {
            v.push(format!(
                "{UNLOCKED_SCOPE} {} {} differs from its rules.lock ({what}): this determination was not made under the reviewed rules of that name and version.",
                self.pack.name, self.pack.version
            ));
        }
        v.push(format!("This determination covers only the rules in pack {} {}.", self.pack.name, self.pack.version));
        if parties_not_given {
            v.push("No parties were given: rules about buyers and end users (headquarters in D:5 or Macau, the Entity List, affiliates, end uses) were not evaluated. Give the parties to have them checked.".into());
        }
        v.extend(self.pack.scope_notes.iter().cloned());
        v
    }
}

/// How the scope line of a determination made under an unlocked pack starts.
pub const UNLOCKED_SCOPE: &str = "UNLOCKED PACK: the rule pack";

#[derive(Default)]
struct Summary {
    eccns: Vec<String>,
    paragraphs: Vec<String>,
    undetermined: Vec<String>,
    missing: Vec<String>,
    warnings: Vec<String>,
}

fn certainty(t: Truth) -> Certainty {
    if t == Truth::True { Certainty::Certain } else { Certainty::Possible }
}

/// The metrics as decimal strings (densities rounded to 4 places for display).
fn metrics_report(product: &PreparedProduct) -> MetricsReport {
    let m = &product.metrics;
    let show = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string());
    let mem = product.product.memory.as_ref();
    MetricsReport {
        tpp: show(m.tpp),
        tpp_terms: m.tpp_terms.clone(),
        applicable_die_area: show(m.applicable_die_area),
        performance_density: m.performance_density.map(|r| r.rounded(4).to_string()),
        interconnect_bandwidth: show(product.product.interconnect_bandwidth_gbps),
        memory_bandwidth: show(mem.and_then(|m| m.bandwidth_gbps)),
        memory_bandwidth_density: m.memory_bandwidth_density.map(|r| r.rounded(4).to_string()),
        rounding: std::borrow::Cow::Borrowed(
            "densities are shown rounded to 4 decimal places; every threshold comparison uses exact values",
        ),
    }
}
